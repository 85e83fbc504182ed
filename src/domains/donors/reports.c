/*
 * reports — the donor portal's one write: a report uploaded for a
 * reporting deadline, by the donor's own staff or by the department for
 * them, and given back to whoever reads the deadline.
 *
 *   PUT /api/v1/reporting-deadlines/{id}/report?name=interim-2026.pdf   the file as the body
 *   GET /api/v1/reporting-deadlines/{id}/report                          the newest report as it came
 *   GET /reporting-deadlines/{id}, POST /reporting-deadlines/{id}/report  the page and its form
 *
 * A report is a PDF, DOCX, ODT or XLSX by its content (formats/filetype.h),
 * up to 64 MiB (the routes' max_body).  Taking it moves the deadline from
 * due or returned to submitted, its submission saying what came ("Report
 * interim-2026.pdf (214 KB) uploaded by NAME"), and keeps the file
 * (donor_reports, every one) in the same transaction as the deadline and
 * its audit entry; a deadline submitted or accepted takes none (409).
 *
 * Who may upload: the department's staff who may change the deadline, and
 * the partners of the organization that made the pledge.  A partner may
 * change no deadline through the generic API; their upload is this area's
 * own operation, written by the system role ROLE_PORTAL on their behalf:
 * the audit names the partner, and the role reads only what the partner's
 * organization owns.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "formats/filetype.h"
#include "model/access.h"
#include "model/files.h"
#include "web/web.h"

#define REPORT_TYPES (FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_DOCX) | FILETYPE_SET(DOC_ODT) | FILETYPE_SET(DOC_XLSX))

const system_role portal_role = { ROLE_PORTAL, "donor portal", SEES_OWN_ORG };

/* Every report kept, the newest the deadline's (migration 028). */
static const file_table report_files = { "donor_reports", "deadline", 1 };

/* ---- who may upload -------------------------------------------------------------------------- */

/* Whether m's user, who reads the deadline d, may upload its report, and as whom: themselves (staff
 * who may change it), or the portal's role on behalf of a partner of the pledge's donor. */
static int uploader(model_ctx *m, store_conn *c, const record *d, user *acting)
{
	*acting = *m->u;
	if (access_record(m, c, d->e, d, OP_UPDATE))
		return 1;
	record pledge;
	if (m->u->role != ROLE_PARTNER || m->u->org_id <= 0 || model_fetch_ref(m, c, d, "pledge", &pledge) <= 0)
		return 0;
	const store_value *donor = record_field(&pledge, "donor");
	if (donor->type != SV_INT || donor->i != m->u->org_id)
		return 0;
	acting->role = ROLE_PORTAL;
	return 1;
}

/* Whether the deadline still waits for its report. */
static int open_for_report(const record *d)
{
	const char *s = record_text(d, "status");
	return !s || !strcmp(s, "due") || !strcmp(s, "returned");
}

/* ---- taking a report -------------------------------------------------------------------------- */

/* The deadline submitted, saying what came, and the file kept, in one transaction as m's user. */
static int store_report(model_ctx *m, const record *d, const file_given *g, const file_facts *f, const char *who)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	const char *name = files_name(m, g->name, arena_printf(&m->a, "report-%" PRId64, d->v[COL_ID].i), f);
	const char *said = arena_printf(&m->a, "Report %s (%s) uploaded by %s", name, files_size(m, f->size), who);
	json_t *patch = json_pack("{s:s, s:s}", "status", "submitted", "submission", said);
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, d->v[COL_ID].i);
	record after;
	int rc = model_update_in(m, c, d->e, id, 0, patch, &after) ||
		 files_keep(m, c, &report_files, d->v[COL_ID].i, g->data, f, name);
	json_decref(patch);
	if (rc) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &after, 200);
}

/* Takes g as the report for the deadline named id (a file_taker); the user the write is made as
 * lives in m's arena, as long as m uses it. */
static int take_report(model_ctx *m, const char *id, const file_given *g)
{
	user *acting = arena_alloc(&m->a, sizeof *acting);
	const entity *e = registry_find(m->reg, "reporting-deadlines");
	store_conn *reader = store_reader(m->st);
	record d;
	file_facts f;
	if (!reader)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (model_find(m, reader, e, id, &d))
		return -1;
	if (!uploader(m, reader, &d, acting))
		return model_fail(m, 403, "Forbidden", "you may not report on this deadline");
	if (!open_for_report(&d))
		return model_fail(m, 409, "Already submitted", "the report of this deadline was submitted already (%s)",
				  record_text(&d, "status"));
	if (files_check(m, g, REPORT_TYPES, &f))
		return -1;
	const char *who = m->u->name ? m->u->name : "?";
	m->u = acting;
	return store_report(m, &d, g, &f, who);
}

void donors_report_put(request *r) { http_file_given(r, take_report); }

void donors_report_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	http_kept_file(r, &m, registry_find(m.reg, "reporting-deadlines"), &report_files, "no report was uploaded for this deadline");
	model_done(&m);
}

/* ---- the page ---------------------------------------------------------------------------------- */

/* The deadline page's form: the file sent, then back to the deadline. */
void donors_report_form(request *r) { page_file_given(r, "reporting-deadlines", take_report); }

static int has_report(store_conn *c, int64_t deadline)
{
	store_cond w = COND_EQ("deadline", SV_INT_(deadline));
	int64_t n = 0;
	return c && store_count(c, "donor_reports", &w, 1, &n) == STORE_OK && n > 0;
}

static void deadline_body(page *p, model_ctx *m)
{
	const entity *e = registry_find(&p->r->app->reg, "reporting-deadlines");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	store_conn *c = store_reader(p->r->app->st);
	record d;
	user acting;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	if (has_report(c, id))
		json_object_set_new(p->ctx, "report_href",
				    json_string(arena_printf(&p->r->a, "/api/v1/reporting-deadlines/%" JSON_INTEGER_FORMAT "/report", id)));
	if (c && model_find(m, c, e, p->r->params[0], &d) == 0 && open_for_report(&d) && uploader(m, c, &d, &acting))
		json_object_set_new(p->ctx, "report_action",
				    json_string(arena_printf(&p->r->a, "/reporting-deadlines/%" JSON_INTEGER_FORMAT "/report", id)));
	records_detail_render(p, e, rec, "deadline");
	json_decref(rec);
}

void donors_deadline_page(request *r) { page_run(r, PAGE_SIGNED_IN, deadline_body); }
