/*
 * credentials — a delegation's credentials, as its delegates send them:
 * the letter naming the delegation, a PDF, DOCX or ODT up to 16 MiB (the
 * routes' max_body), known by its content.
 *
 *   PUT /api/v1/delegations/{id}/credentials?name=credentials.pdf   the file as the body
 *   GET /api/v1/delegations/{id}/credentials                        the newest, as it was sent
 *   POST /delegations/{id}/credentials                              the delegation page's form
 *
 * Who may change the delegation may send them: the department's staff, and
 * a delegate of the delegation's own State or organization (the kind's
 * own_org); who may read it may read them.  Sending says so on the
 * delegation ("credentials.pdf (214 KB) sent by NAME"), in the same
 * transaction as the file and its audit entry; every file sent is kept.
 * That they were received, and by whom, staff say on the delegation.
 */
#include <inttypes.h>
#include <stdio.h>

#include "domains/governance/governance.h"
#include "formats/filetype.h"
#include "model/access.h"
#include "model/files.h"
#include "web/web.h"

#define CREDENTIAL_TYPES (FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_DOCX) | FILETYPE_SET(DOC_ODT))

/* Every file sent kept, the newest the delegation's (migration 031). */
static const file_table credential_files = { "delegation_credentials", "delegation", 1 };

/* The delegation d says what came, and the file is kept, in one transaction. */
static int keep_credentials(model_ctx *m, const record *d, const unsigned char *data, const file_facts *f,
			    const char *asked)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, d->v[COL_ID].i);
	const char *name = files_name(m, asked, arena_printf(&m->a, "credentials-%s", id), f);
	json_t *none = json_object();
	record before, after;
	int rc = model_build_update(m, c, d->e, id, 0, none, &before, &after);
	json_decref(none);
	if (rc == 0) {
		*record_field(&after, "credentials_sent") =
			sv_text(arena_printf(&m->a, "%s (%s) sent by %s", name, files_size(m, f->size), m->u->name ? m->u->name : "?"));
		rc = model_write_record(m, c, &after, &before, "update") ||
		     files_keep(m, c, &credential_files, d->v[COL_ID].i, data, f, name);
	}
	if (rc) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &after, 200);
}

/* Takes g as the credentials of the delegation named id (a file_taker). */
static int take_credentials(model_ctx *m, const char *id, const file_given *g)
{
	const entity *e = registry_find(m->reg, "delegations");
	store_conn *reader = store_reader(m->st);
	record d;
	file_facts f;
	if (!reader)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (model_find(m, reader, e, id, &d))
		return -1;
	if (!access_record(m, reader, e, &d, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "you may not send this delegation's credentials");
	if (files_check(m, g, CREDENTIAL_TYPES, &f))
		return -1;
	return keep_credentials(m, &d, g->data, &f, g->name);
}

void credentials_put(request *r) { http_file_given(r, take_credentials); }

void credentials_form(request *r) { page_file_given(r, "delegations", take_credentials); }

void credentials_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	http_kept_file(r, &m, registry_find(m.reg, "delegations"), &credential_files, "no credentials were sent for this delegation");
	model_done(&m);
}

/* The delegation's page: its record, where to fetch its credentials when
 * some were sent, and the form to send them for who may. */
static void delegation_body(page *p, model_ctx *m)
{
	const entity *e = registry_find(&p->r->app->reg, "delegations");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	store_conn *c = store_reader(p->r->app->st);
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	store_cond w = COND_EQ("delegation", SV_INT_(id));
	int64_t sent = 0;
	record d;
	if (c && store_count(c, credential_files.table, &w, 1, &sent) == STORE_OK && sent > 0)
		json_object_set_new(p->ctx, "credentials_href",
				    json_string(arena_printf(&p->r->a, "/api/v1/delegations/%" JSON_INTEGER_FORMAT "/credentials", id)));
	if (c && model_find(m, c, e, p->r->params[0], &d) == 0 && access_record(m, c, e, &d, OP_UPDATE))
		json_object_set_new(p->ctx, "credentials_action",
				    json_string(arena_printf(&p->r->a, "/delegations/%" JSON_INTEGER_FORMAT "/credentials", id)));
	records_detail_render(p, e, rec, "delegation");
	json_decref(rec);
}

void delegation_page(request *r) { page_run(r, PAGE_SIGNED_IN, delegation_body); }
