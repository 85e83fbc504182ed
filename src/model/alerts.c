/*
 * alerts — an area's alerts as data, run by one pass (see alerts.h).
 *
 * For each alert: the ids its view shows with no stamp, at most a batch of
 * them, read as the pass's system user reads the list; then each id alone
 * in a transaction on the writer, where the view and the stamp are asked
 * again before anything is written, the recipient is found and must be
 * able to read the record, the message is composed in their language,
 * queued, and the record stamped.  What is left beyond the batch waits for
 * the next pass.
 */
#include "model/alerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "formats/mailout.h"
#include "model/access.h"
#include "model/accounts.h"
#include "model/i18n.h"
#include "model/outbox.h"

#define PASS_BATCH 500

/* ---- helpers the areas' hooks share ----------------------------------------------------------- */

int64_t alert_user_in(const record *r, const char *field)
{
	const store_value *v = record_field(r, field);
	return v->type == SV_INT && v->i > 0 ? v->i : 0;
}

int64_t alert_creator(const record *r)
{
	const store_value *v = &r->v[COL_CREATED_BY];
	return v->type == SV_INT && v->i > 0 ? v->i : 0;
}

const char *alert_text_in(const record *r, const char *field, int lang)
{
	const field_def *f = entity_field(r->e, field);
	if (!f || f->type != F_LANGTEXT) {
		const char *s = f ? record_text(r, field) : NULL;
		return s ? s : "";
	}
	char first[128];
	snprintf(first, sizeof first, "%s_%s", field, registry_langs[0]);
	int col = entity_column(r->e, first);   /* the language columns follow in registry_langs' order */
	const int order[] = { lang, LANG_EN, LANG_FR, LANG_ES };
	for (size_t i = 0; col >= 0 && i < COUNT(order); i++) {
		const store_value *v = &r->v[col + order[i]];
		if (v->type == SV_TEXT && *v->s)
			return v->s;
	}
	return "";
}

/* ---- one record ------------------------------------------------------------------------------- */

/* What one alert's message needs, gathered inside its transaction. */
typedef struct alert_job {
	const alert_pass *p;
	const alert *a;
	const alert_sender *from;
	const char *now;          /* the stamp's value */
} alert_job;

/* The record the message speaks of: r itself, or what a->about refers to.
 * 0, or -1 with m's error. */
static int about_of(model_ctx *m, store_conn *c, const alert *a, const record *r, record *about)
{
	if (!a->about) {
		*about = *r;
		return 0;
	}
	int found = model_fetch_ref(m, c, r, a->about, about);
	if (found > 0)
		return 0;
	return found < 0 ? -1 : model_fail(m, 500, "Alert error", "the %s of %s %" PRId64 " could not be found", a->about,
					    a->kind, r->v[COL_ID].i);
}

static int64_t recipient_of(model_ctx *m, store_conn *c, const alert *a, const record *r)
{
	if (a->recipient)
		return a->recipient(m, c, r);
	int64_t uid = alert_user_in(r, a->to);
	return uid ? uid : alert_creator(r);
}

/* Whether the account uid may read r: a confidential record's title is not
 * mailed to someone it was never shared with. */
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

/* The message of the alert about `about` to the account to, in their
 * language, into bytes; its subject into *subject.  0; 1 when it cannot be
 * written for this address (said in the log); -1 with m's error. */
static int compose(model_ctx *m, store_conn *c, const alert_job *j, const record *about, const record *to, buf *bytes,
		   const char **subject)
{
	const alert *a = j->a;
	int lang = i18n_lang(record_text(to, "language"));
	lang = lang < 0 ? LANG_EN : lang;
	const char *title = a->title_of ? a->title_of(m, c, about, lang) : alert_text_in(about, a->title, lang);
	if (!title)
		return -1;
	buf text = BUF_INIT;
	buf_printf(&text, "%s\n\n%s\n", i18n_text(lang, a->text), title);
	if (a->date)
		i18n_date(lang, record_text(about, a->date), &text);
	buf_printf(&text, "\n/%s/%" PRId64 "\n", about->e->def->name, about->v[COL_ID].i);
	*subject = arena_printf(&m->a, "%s %s", i18n_text(lang, a->subject), title);
	mail_out mo = { .from_name = j->from->name, .from_addr = j->from->addr, .to_name = record_text(to, "name"),
			.to_addr = record_text(to, "email"), .subject = *subject, .text = buf_str(&text),
			.loop_id = j->from->loop_id, .auto_submitted = 1, .lang = registry_langs[lang] };
	char err[300];
	int rc = mail_compose(&mo, bytes, NULL, 0, err, sizeof err) ? 1 : 0;
	if (rc)
		log_event("error", "%s: the alert for %s %" PRId64 " not written: %s", j->p->name, a->kind,
			  about->v[COL_ID].i, err);
	buf_free(&text);
	return rc;
}

/* The mail about r queued inside c and r stamped: 1 when queued, 0 when
 * there is nobody to tell (no address, may not read it, an address mail
 * cannot go to: tried again next pass), -1 with m's error. */
static int send_one(model_ctx *m, store_conn *c, const alert_job *j, record *r)
{
	record about, to;
	if (about_of(m, c, j->a, r, &about))
		return -1;
	int64_t uid = recipient_of(m, c, j->a, r);
	if (uid < 0)
		return -1;
	if (uid == 0 || !may_read(m, c, uid, r))
		return 0;   /* made by the system and followed by nobody, or not theirs to read */
	if (model_fetch(m, c, registry_find(m->reg, "users"), uid, &to) != 1 || !record_text(&to, "email"))
		return 0;
	buf bytes = BUF_INIT;
	const char *subject;
	int rc = compose(m, c, j, &about, &to, &bytes, &subject);
	if (rc == 0) {
		outbox_mail mail = { j->a->kind, r->v[COL_ID].i, j->from->addr, record_text(&to, "email"), subject, bytes.data,
				     bytes.len };
		record after = model_copy(m, r);
		*record_field(&after, j->a->stamp) = sv_text(j->now);
		rc = outbox_queue(m, c, &mail) || model_write_record(m, c, &after, r, "alert") ? -1 : 1;
	} else {
		rc = rc > 0 ? 0 : -1;
	}
	buf_free(&bytes);
	return rc;
}

/* Whether record id is still in the view and not alerted, asked inside the
 * writer's transaction c, where nothing else changes it: what changed since
 * the list was read, or another pass that was first, and it is not.  1, 0,
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

/* The alert for record id in a transaction of its own: 1 queued, 0 not, -1 failed. */
static int alert_one(model_ctx *m, const alert_job *j, const entity *e, int64_t id)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy");
	record r;
	int rc = still_due(m, c, j->a, e, id);
	if (rc > 0)
		rc = model_load(m, c, e, id, &r) ? -1 : send_one(m, c, j, &r);
	if (rc <= 0) {
		store_rollback(c);
		m->status = rc < 0 ? m->status : 0;
		return rc;
	}
	return store_commit(c) == STORE_OK ? 1 : model_fail(m, 500, "Store error", "the alert could not be recorded");
}

/* ---- the pass --------------------------------------------------------------------------------- */

/* The ids of what the view shows and the stamp says was not alerted. */
static json_t *due_ids(model_ctx *m, const alert *a, const entity *e)
{
	store_cond fresh = COND(a->stamp, OP_ISNULL, SV_NUL);
	list_params lp = { .limit = PASS_BATCH, .extra = &fresh, .nextra = 1, .view = a->view };
	buf_reset(&m->body);
	if (model_list(m, e, &lp))
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

/* The kind an alert names, with its view and stamp: NULL with m's error when
 * the area's table says what the registry does not hold. */
static const entity *kind_of(model_ctx *m, const alert *a)
{
	const entity *e = registry_find(m->reg, a->kind);
	if (!e || !entity_view(e, a->view) || entity_column(e, a->stamp) < 0 || (!a->recipient && !a->to) ||
	    (!a->title_of && !a->title)) {
		model_fail(m, 500, "Alert error", "the alert on %s (view %s, stamp %s) is not described whole", a->kind,
			   a->view, a->stamp);
		return NULL;
	}
	return e;
}

/* One alert's due records: how many were queued, or -1 with m's error. */
static int run_alert(model_ctx *m, const alert_job *j)
{
	const entity *e = kind_of(m, j->a);
	json_t *ids = e ? due_ids(m, j->a, e) : NULL, *id;
	if (!ids)
		return -1;
	int queued = 0;
	size_t i;
	json_array_foreach(ids, i, id) {
		int one = alert_one(m, j, e, json_integer_value(id));
		if (one < 0) {
			queued = -1;
			break;
		}
		queued += one;
	}
	json_decref(ids);
	return queued;
}

int alerts_run(store *st, const registry *reg, const alert_pass *p, const alert_sender *from, time_t now, char *err,
	       size_t errlen)
{
	model_ctx m;
	model_init(&m, st, reg, p->by);
	char at[32];
	clock_iso(now, at);
	int queued = 0;
	for (size_t k = 0; k < p->nalerts; k++) {
		alert_job j = { .p = p, .a = &p->alerts[k], .from = from, .now = at };
		int n = run_alert(&m, &j);
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", p->name, m.detail ? m.detail : "failed");
			queued = -1;
			break;
		}
		queued += n;
	}
	model_done(&m);
	return queued;
}
