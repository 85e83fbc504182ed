/*
 * alerts — what needs someone's attention in the tracker, in two places
 * that must agree: the home page's counts, each a link to the list that
 * shows exactly what it counts (the list's named view, registry.h
 * list_view), and mail queued in the outbox by the periodic pass.
 *
 *   /meetings?view=unrepresented         high priority, planned (not postponed nor
 *                                        cancelled), starting within alert_days
 *                                        (today included), and nobody confirmed
 *   /representations?view=report-overdue attended, the report due before today
 *
 * The pass (meetings_alert_pass: hourly while serving, or `liaison pass`)
 * mails each of them once: the meeting's follower (its owner, else its
 * creator) of the gap, the representative of the report.  The record is
 * stamped (gap_alerted_at, report_alerted_at) in the transaction that
 * queues the mail, so a second pass finds it alerted and a rollback leaves
 * neither; inside that transaction the view's conditions are asked again,
 * so that someone confirmed, or a pass in another process, since the list
 * was read stops the alert.  Someone without an e-mail address is not stamped: the alert
 * goes once they have one.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "formats/mailout.h"
#include "model/access.h"
#include "model/accounts.h"
#include "model/outbox.h"
#include "model/today.h"

#define PASS_BATCH 500

/* ---- the views -------------------------------------------------------------------------------- */

static int unrepresented(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	char today[11], until[11];
	today_date(today);
	if (clock_add_days(today, meetings_settings()->alert_days, until))
		return model_fail(m, 500, "Date error", "today's date could not be read");
	store_cond *going = arena_alloc(&m->a, 5 * sizeof *going);
	going[0] = COND_EQ("archived", SV_INT_(0));
	going[1] = COND_EQ("status", sv_text("confirmed"));
	going[2] = COND_EQ("status", sv_text("attended"));
	going[3] = COND_EQ("status", sv_text("reported"));
	going[4] = (store_cond){ .op = OP_ANY, .sub = going + 1, .nsub = 3 };
	store_cond *sub = arena_alloc(&m->a, 4 * sizeof *sub);
	sub[0] = going[0];
	sub[1] = going[4];
	sub[2] = COND("status", OP_ISNULL, SV_NUL);   /* planned: said so, or brought in without a status */
	sub[3] = COND_EQ("status", sv_text("planned"));
	w[0] = COND_EQ("priority", sv_text("high"));
	w[1] = COND("starts_on", OP_GE, sv_text(arena_strdup(&m->a, today)));
	w[2] = COND("starts_on", OP_LE, sv_text(arena_strdup(&m->a, until)));
	w[3] = (store_cond){ .col = "id", .op = OP_NOT_EXISTS, .sub = sub, .nsub = 2, .sub_table = representations.table,
			     .sub_col = "meeting" };
	w[4] = (store_cond){ .op = OP_ANY, .sub = sub + 2, .nsub = 2 };
	return 5;
}

static int report_overdue(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	char today[11];
	today_date(today);
	w[0] = COND_EQ("status", sv_text("attended"));
	w[1] = COND("report_due", OP_LT, sv_text(arena_strdup(&m->a, today)));
	return 2;
}

const list_view meeting_views[] = {
	{ "unrepresented", N_("High-priority meetings soon, nobody confirmed"), unrepresented },
	{ NULL },
};
const list_view representation_views[] = {
	{ "report-overdue", N_("Reports past due"), report_overdue },
	{ NULL },
};

/* ---- the home page ---------------------------------------------------------------------------- */

const home_count meeting_counts[] = {
	{ N_("High-priority meetings soon, nobody confirmed"), "/meetings?view=unrepresented", "overdue",
	  .view = "unrepresented" },
	{ NULL },
};
const home_count representation_counts[] = {
	{ N_("Reports past due"), "/representations?view=report-overdue", "overdue", .view = "report-overdue" },
	{ NULL },
};

/* ---- the pass --------------------------------------------------------------------------------- */

static const user alerts_user = { .id = 0, .name = "alerts", .role = ROLE_ALERTS, .language = "en" };

/* What an alert says, and of which record. */
typedef struct alert {
	const entity_def *e;       /* the kind stamped */
	const char *stamp;         /* its field that says the alert went */
	const char *view;
	const char *subject, *text;  /* msgids: the subject is followed by the meeting's title */
} alert;

static const alert alerts[] = {
	{ &meetings, "gap_alerted_at", "unrepresented", N_("Nobody confirmed yet:"),
	  N_("This high-priority meeting is coming soon and nobody is confirmed to represent the organization.") },
	{ &representations, "report_alerted_at", "report-overdue", N_("Report past due:"),
	  N_("Your report on this meeting is past due. Write it on the representation's page and mark it reported.") },
};

/* The meeting a record is or belongs to. */
static int meeting_of(model_ctx *m, store_conn *c, const record *r, record *meeting)
{
	if (strcmp(r->e->def->name, meetings.name) == 0) {
		*meeting = *r;
		return 0;
	}
	return model_load(m, c, registry_find(m->reg, "meetings"), record_field(r, "meeting")->i, meeting);
}

/* Who hears of it: a meeting's follower (else its creator), a representation's representative. */
static int64_t recipient(const record *r, const record *meeting)
{
	if (strcmp(r->e->def->name, meetings.name) != 0)
		return record_field(r, "who")->i;
	const store_value *owner = record_field(meeting, "owner");
	return owner->type == SV_INT ? owner->i : r->v[COL_CREATED_BY].type == SV_INT ? r->v[COL_CREATED_BY].i : 0;
}

/* The meeting's title in lang, else in the first language it has. */
static const char *title_in(const record *meeting, int lang)
{
	int col = entity_column(meeting->e, "title_en");
	const int order[] = { lang, LANG_EN, LANG_FR, LANG_ES };
	for (size_t i = 0; i < COUNT(order); i++) {
		const store_value *v = &meeting->v[col + order[i]];
		if (v->type == SV_TEXT && *v->s)
			return v->s;
	}
	return "";
}

/* Whether the account uid may read r: a confidential meeting's title is not
 * mailed to a follower it was never shared with. */
static int may_read(model_ctx *m, store_conn *c, int64_t uid, const record *r)
{
	account acct;
	if (accounts_by_id(m->st, uid, &acct))
		return 0;   /* archived since */
	model_ctx as;
	model_init(&as, m->st, m->reg, &acct.u);
	int may = access_record(&as, c, r->e, r, OP_READ);
	model_done(&as);
	return may;
}

/* The message of alert a about meeting to the account to, in their
 * language, into bytes; its subject into *subject.  -1 when it cannot be
 * written (the address), said in the log. */
static int compose(model_ctx *m, const alert *a, const record *meeting, const record *to, buf *bytes, const char **subject)
{
	int lang = i18n_lang(record_text(to, "language"));
	lang = lang < 0 ? LANG_EN : lang;
	const char *title = title_in(meeting, lang);
	buf text = BUF_INIT;
	buf_printf(&text, "%s\n\n%s\n", i18n_text(lang, a->text), title);
	i18n_date(lang, record_text(meeting, "starts_on"), &text);
	buf_printf(&text, "\n/meetings/%" PRId64 "\n", meeting->v[COL_ID].i);
	const desk_config *d = desk();
	*subject = arena_printf(&m->a, "%s %s", i18n_text(lang, a->subject), title);
	mail_out mo = { .from_name = d->from_name, .from_addr = d->from_addr, .to_name = record_text(to, "name"),
			.to_addr = record_text(to, "email"), .subject = *subject, .text = buf_str(&text),
			.loop_id = d->loop_id, .auto_submitted = 1, .lang = registry_langs[lang] };
	char err[300];
	int rc = mail_compose(&mo, bytes, NULL, 0, err, sizeof err);
	if (rc)
		log_event("error", "meeting alert for %s %" PRId64 " not written: %s", a->e->name, meeting->v[COL_ID].i, err);
	buf_free(&text);
	return rc;
}

/* The mail of alert a about r, queued inside c and r stamped; 1 when queued,
 * 0 when there is nobody to tell (no address, may not read it, an address
 * mail cannot go to: tried again next pass), -1 with m's error. */
static int send_one(model_ctx *m, store_conn *c, const alert *a, record *r, const char *now)
{
	record meeting, to;
	if (meeting_of(m, c, r, &meeting))
		return -1;
	int64_t uid = recipient(r, &meeting);
	if (uid <= 0 || !may_read(m, c, uid, r))
		return 0;   /* made by the system and followed by nobody, or not theirs to read */
	if (model_load(m, c, registry_find(m->reg, "users"), uid, &to) || !record_text(&to, "email")) {
		m->status = 0;
		return 0;
	}
	buf bytes = BUF_INIT;
	const char *subject;
	int rc = 0;
	if (compose(m, a, &meeting, &to, &bytes, &subject) == 0) {
		const desk_config *d = desk();
		outbox_mail mail = { a->e->name, r->v[COL_ID].i, d->from_addr, record_text(&to, "email"), subject, bytes.data,
				     bytes.len };
		record after = model_copy(m, r);
		*record_field(&after, a->stamp) = sv_text(now);
		rc = outbox_queue(m, c, &mail) || model_write_record(m, c, &after, r, "alert") ? -1 : 1;
	}
	buf_free(&bytes);
	return rc;
}

/* Alert a for the record id in a transaction of its own: 1 queued, 0 not, -1 failed. */
/* Whether record id is still in the view and not alerted, asked inside the
 * writer's transaction c, where nothing else changes it: someone confirmed
 * since the list was read, or another pass was first, and it is not.  1, 0,
 * or -1 with m's error. */
static int still_due(model_ctx *m, store_conn *c, const alert *a, const entity *e, int64_t id)
{
	store_cond w[VIEW_CONDS_MAX + 3];
	int n = entity_view(e, a->view)->conditions(m, e, w);
	if (n < 0)
		return -1;
	w[n++] = COND_EQ("id", SV_INT_(id));
	w[n++] = COND_EQ("archived", SV_INT_(0));
	w[n++] = COND(a->stamp, OP_ISNULL, SV_NUL);
	int64_t k = 0;
	if (store_count(c, e->def->table, w, n, &k) != STORE_OK)
		return model_fail(m, 500, "Store error", "the alerts could not be read");
	return k > 0;
}

static int alert_one(model_ctx *m, const alert *a, int64_t id, const char *now)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy");
	const entity *e = registry_find(m->reg, a->e->name);
	record r;
	int rc = still_due(m, c, a, e, id);
	if (rc > 0)
		rc = model_load(m, c, e, id, &r) ? -1 : send_one(m, c, a, &r, now);
	if (rc <= 0) {
		store_rollback(c);
		return rc;
	}
	return store_commit(c) == STORE_OK ? 1 : model_fail(m, 500, "Store error", "the alert could not be recorded");
}

/* The ids of what the view shows and the stamp says was not alerted. */
static json_t *due_ids(model_ctx *m, const alert *a)
{
	store_cond fresh = COND(a->stamp, OP_ISNULL, SV_NUL);
	list_params lp = { .limit = PASS_BATCH, .extra = &fresh, .nextra = 1, .view = a->view };
	buf_reset(&m->body);
	if (model_list(m, registry_find(m->reg, a->e->name), &lp))
		return NULL;
	json_t *page = json_loadb(m->body.data, m->body.len, 0, NULL), *ids = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(page, "items"), i, x)
		json_array_append(ids, json_object_get(x, "id"));
	json_decref(page);
	buf_reset(&m->body);
	m->status = 0;
	return ids;
}

int meetings_alert_pass(store *st, const registry *reg, time_t now, char *err, size_t errlen)
{
	model_ctx m;
	model_init(&m, st, reg, &alerts_user);
	char at[32];
	clock_iso(now, at);
	int queued = 0, rc = 0;
	for (size_t k = 0; k < COUNT(alerts) && rc == 0; k++) {
		json_t *ids = due_ids(&m, &alerts[k]), *id;
		size_t i;
		json_array_foreach(ids, i, id) {
			int one = alert_one(&m, &alerts[k], json_integer_value(id), at);
			if (one < 0) {
				rc = -1;
				break;
			}
			queued += one;
		}
		rc = ids ? rc : -1;
		json_decref(ids);
	}
	if (rc)
		snprintf(err, errlen, "meeting alerts: %s", m.detail ? m.detail : "failed");
	model_done(&m);
	return rc ? -1 : queued;
}
