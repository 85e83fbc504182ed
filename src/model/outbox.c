/*
 * outbox — the outbox's settings, queuing a message inside a write, and
 * what people see of it: the mail of one record, the administrators' list
 * of mail not sent, and their "try it now" (sender.c delivers).
 *
 * A row is "queued" while it may still leave: due from next_attempt_at on
 * (never NULL while queued), with the attempts made so far and the relay's
 * last reason; "sent" once the relay took it; "failed" once it refused for
 * good or the attempts ran out.  A row being handed to the relay is queued
 * with sending_since set and next_attempt_at moved on by the sender's lease.
 */
#include "model/outbox.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "model/audit.h"

/* Records what the relay did: the least role there is among staff (a
 * viewer, who may change nothing through the generic operations), so that
 * the only writes made as "mail" are the on_mail hooks', each audited. */
const user outbox_user = { .id = 0, .name = "mail", .role = ROLE_MAIL };

/* ---- settings ------------------------------------------------------------------ */

/* The defaults: 1, 5, 15 minutes, an hour, then every four hours, eight
 * attempts in all (about half a day); the lease well above a relay's
 * connection and transfer time-outs (mailout.c). */
#define DEFAULTS \
	{ .attempts = 8, .delays = { 60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60 }, .ndelays = 5, .lease = 10 * 60 }
static const outbox_settings defaults = DEFAULTS;

/* Set once at start (outbox_configure), before any thread reads them. */
static outbox_settings settings = DEFAULTS;

void outbox_settings_defaults(outbox_settings *s) { *s = defaults; }
void outbox_settings_set(const outbox_settings *s) { settings = *s; }
const outbox_settings *outbox_settings_get(void) { return &settings; }

int outbox_ready(void) { return outbox_settings_get()->relay[0] != '\0'; }

long outbox_retry_delay(const outbox_settings *s, unsigned attempts)
{
	if (attempts >= s->attempts || attempts == 0)
		return -1;
	size_t i = attempts - 1 < s->ndelays ? attempts - 1 : s->ndelays - 1;
	return s->ndelays ? (long)s->delays[i] : 0;
}

static int bad(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s: %s (see docs/operations.md)", path ? path : "the configuration", what);
	return -1;
}

static int read_mail(outbox_settings *s, const char *path, json_t *mail, char *err, size_t errlen)
{
	if (!mail)
		return 0;
	if (!json_is_object(mail))
		return bad(err, errlen, path, "mail must be an object of settings");
	json_t *url = json_object_get(mail, "smtp_url"), *attempts = json_object_get(mail, "attempts");
	json_t *delays = json_object_get(mail, "retry_after");
	if (url && (!json_is_string(url) || json_string_length(url) >= sizeof s->relay))
		return bad(err, errlen, path, "mail.smtp_url must be the relay's address, like smtp://relay.example.org:25");
	const char *u = json_string_value(url);
	if (u && *u && strncmp(u, "smtp://", 7) != 0 && strncmp(u, "smtps://", 8) != 0)
		return bad(err, errlen, path, "mail.smtp_url must start with smtp:// or smtps://");
	snprintf(s->relay, sizeof s->relay, "%s", u ? u : "");
	if (attempts && (!json_is_integer(attempts) || json_integer_value(attempts) < 1 || json_integer_value(attempts) > 100))
		return bad(err, errlen, path, "mail.attempts must be a whole number from 1 to 100");
	if (attempts)
		s->attempts = (unsigned)json_integer_value(attempts);
	if (!delays)
		return 0;
	if (!json_is_array(delays) || json_array_size(delays) < 1 || json_array_size(delays) > OUTBOX_MAX_DELAYS)
		return bad(err, errlen, path, "mail.retry_after must be a list of 1 to 16 numbers of seconds");
	size_t i;
	json_t *d;
	json_array_foreach(delays, i, d) {
		if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 7 * 86400)
			return bad(err, errlen, path, "mail.retry_after must hold numbers of seconds from 1 to 604800");
		s->delays[i] = (unsigned)json_integer_value(d);
	}
	s->ndelays = i;
	return 0;
}

int outbox_configure(const char *path, char *err, size_t errlen)
{
	outbox_settings s;
	outbox_settings_defaults(&s);
	json_t *root = NULL;
	json_error_t je;
	if (path && !(root = json_load_file(path, 0, &je))) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	int rc = read_mail(&s, path, json_object_get(root, "mail"), err, errlen);
	json_decref(root);
	if (rc == 0)
		outbox_settings_set(&s);
	return rc;
}

/* ---- queuing ---------------------------------------------------------------------- */

int outbox_queue(model_ctx *m, store_conn *c, const outbox_mail *mail)
{
	char now[32];
	clock_now_iso(now);
	static const char *const cols[] = { "kind", "record_id", "mail_from", "rcpt_to", "subject", "message", "state",
					    "attempts", "next_attempt_at", "created_at", "created_by", "updated_at" };
	store_value v[] = { sv_text(mail->kind), SV_INT_(mail->record_id), sv_text(mail->from), sv_text(mail->to),
			    sv_text(mail->subject), { SV_TEXT, 0, mail->data, mail->len }, sv_text("queued"), SV_INT_(0),
			    sv_text(now), sv_text(now), m->u->id > 0 ? SV_INT_(m->u->id) : SV_NUL, sv_text(now) };
	if (!mail->kind || !mail->from || !mail->to || !mail->data)
		return model_fail(m, 500, "Mail not queued", "a message for the outbox lacks its record, envelope or bytes");
	if (store_insert(c, "outbox", cols, v, (int)COUNT(cols), NULL) != STORE_OK)
		return model_fail(m, 500, "Store error", "the message could not be queued");
	outbox_wake();   /* the sender waits for the writer, so it sees the row once c commits */
	return 0;
}

/* ---- reading ---------------------------------------------------------------------- */

static const char *const row_cols[] = { "id", "kind", "record_id", "rcpt_to", "subject", "state", "attempts",
					"next_attempt_at", "last_error", "created_at", "sent_at", "updated_at" };

typedef struct row_walk {
	buf *out;
	int64_t n, limit;  /* rows written; at most limit of them, 0 for all */
	int64_t last_id;   /* of the last row written */
	int more;          /* a row beyond the limit was there */
} row_walk;

/* One message as the API writes it (docs/api.md, "OutboxMessage"). */
static int row_json(void *ctx, store_row *row)
{
	row_walk *w = ctx;
	buf *b = w->out;
	static const char *const names[] = { "id", "kind", "record_id", "to", "subject", "state", "attempts",
					     "next_attempt_at", "last_error", "created_at", "sent_at", "updated_at" };
	if (w->limit && w->n == w->limit) {
		w->more = 1;
		return 1;
	}
	buf_puts(b, w->n++ ? ",{" : "{");
	for (int i = 0; i < (int)COUNT(names); i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", names[i]);
		if (i == 0 || i == 2 || i == 6)
			buf_json_int(b, store_int(row, i));
		else
			buf_json_cstr(b, store_text(row, i, NULL));
	}
	buf_putc(b, '}');
	w->last_id = store_int(row, 0);
	return 0;
}

/* The messages of q, {"items": [...]} into m's body, with "next_cursor"
 * when paged (limit > 0); limit -1: the one message alone. */
static int rows_into(model_ctx *m, store_conn *c, store_select *q, int64_t limit)
{
	row_walk rw = { &m->body, 0, limit > 0 ? limit : 0, 0, 0 };
	q->cols = row_cols;
	q->ncols = (int)COUNT(row_cols);
	q->limit = limit > 0 ? limit + 1 : limit < 0 ? 1 : 0;
	buf_reset(&m->body);
	buf_puts(&m->body, limit < 0 ? "" : "{\"items\":[");
	if (store_query(c, q, row_json, &rw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the outbox could not be read");
	m->status = 200;
	if (limit < 0)
		return rw.n ? 0 : model_fail(m, 404, "Not found", "no such message in the outbox");
	buf_puts(&m->body, "]");
	if (limit && rw.more)
		buf_printf(&m->body, ",\"next_cursor\":\"%" PRId64 "\"", rw.last_id);
	else if (limit)
		buf_puts(&m->body, ",\"next_cursor\":null");
	buf_putc(&m->body, '}');
	return 0;
}

#define MAX_CHILD_KINDS 8

/* The mail of record r and of the records that take their access from it
 * (an inquiry's and its messages'), read by who reads r. */
int outbox_of_record(model_ctx *m, const entity *e, const char *id)
{
	store_conn *c = store_reader(m->st);
	record r;
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (model_find(m, c, e, id, &r))
		return -1;
	store_cond own[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", r.v[COL_ID]) };
	store_cond parent[MAX_CHILD_KINDS], child[MAX_CHILD_KINDS][2], any[1 + MAX_CHILD_KINDS];
	int n = 0;
	any[n++] = (store_cond){ .op = OP_ALL, .sub = own, .nsub = 2 };
	for (size_t i = 0; i < m->reg->n && n <= MAX_CHILD_KINDS; i++) {
		const entity *k = &m->reg->v[i];
		if (k->parent != e)
			continue;
		parent[n - 1] = COND_EQ(k->cols[k->parent_col].name, r.v[COL_ID]);
		child[n - 1][0] = COND_EQ("kind", sv_text(k->def->name));
		child[n - 1][1] = (store_cond){ .col = "record_id", .op = OP_IN_SELECT, .sub = &parent[n - 1], .nsub = 1,
						.sub_table = k->def->table, .sub_col = "id" };
		any[n] = (store_cond){ .op = OP_ALL, .sub = child[n - 1], .nsub = 2 };
		n++;
	}
	store_cond w = { .op = OP_ANY, .sub = any, .nsub = n };
	store_order oldest = { "id", 0, NOT_NULL };
	store_select q = { .table = "outbox", .where = &w, .nwhere = 1, .order = &oldest, .norder = 1 };
	return rows_into(m, c, &q, 0);
}

int outbox_count(store *st, const char *state, int64_t *n)
{
	store_cond w = COND_EQ("state", sv_text(state));
	store_conn *c = store_reader(st);
	return c && store_count(c, "outbox", &w, 1, n) == STORE_OK ? 0 : -1;
}

static int admins_only(model_ctx *m)
{
	return m->u->role == ROLE_ADMIN ? 0 : model_fail(m, 403, "Forbidden", "the outbox is for administrators");
}

int outbox_list(model_ctx *m, const char *state, const char *cursor, int64_t limit)
{
	if (admins_only(m))
		return -1;
	if (state && strcmp(state, "queued") != 0 && strcmp(state, "failed") != 0)
		return model_fail(m, 400, "Bad request", "state must be queued or failed");
	int64_t after = cursor ? model_parse_id(cursor) : 0;
	if (cursor && after < 1)
		return model_fail(m, 400, "Bad request", "cursor must be the next_cursor of the page before");
	if (limit < 1 || limit > 500)
		return model_fail(m, 400, "Bad request", "limit must be a whole number from 1 to 500");
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	store_cond either[] = { COND_EQ("state", sv_text("queued")), COND_EQ("state", sv_text("failed")) };
	store_cond w[2] = { state ? COND_EQ("state", sv_text(state)) : (store_cond){ .op = OP_ANY, .sub = either, .nsub = 2 } };
	int nw = 1;
	if (after)
		w[nw++] = COND("id", OP_LT, SV_INT_(after));
	store_order newest = { "id", 1, NOT_NULL };
	store_select q = { .table = "outbox", .where = w, .nwhere = nw, .order = &newest, .norder = 1 };
	return rows_into(m, c, &q, limit);
}

/* ---- erasure ------------------------------------------------------------------------ */

#define MAX_FORGOTTEN 32

/* The addresses r holds in its personal fields, at most max, in m's arena. */
static size_t personal_addresses(model_ctx *m, const record *r, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = NSYSCOLS; i < r->e->ncols; i++) {
		const field_def *f = r->e->cols[i].field;
		const store_value *v = &r->v[i];
		if (!(f->flags & PERSONAL) || v->type != SV_TEXT)
			continue;
		if (f->type == F_EMAIL && n < max)
			out[n++] = arena_strndup(&m->a, v->s, v->n);
		if (f->type != F_EMAILS)
			continue;
		json_t *list = json_loadb(v->s, v->n, 0, NULL), *a;
		size_t k;
		json_array_foreach(list, k, a)
			if (json_is_string(a) && n < max)
				out[n++] = arena_strdup(&m->a, json_string_value(a));
		json_decref(list);
	}
	return n;
}

typedef struct owner {
	char kind[64];
	int64_t record_id;
} owner;

typedef struct owners {
	owner v[MAX_FORGOTTEN];
	size_t n;
} owners;

static int owner_row(void *ctx, store_row *row)
{
	owners *o = ctx;
	if (o->n == MAX_FORGOTTEN)
		return 1;
	const char *kind = store_text(row, 0, NULL);
	snprintf(o->v[o->n].kind, sizeof o->v[o->n].kind, "%s", kind ? kind : "");
	o->v[o->n++].record_id = store_int(row, 1);
	return 0;
}

int outbox_forget(model_ctx *m, store_conn *c, const record *r)
{
	static const char reason[] = "not sent: the recipient's personal data was erased first";
	const char *addresses[MAX_FORGOTTEN];
	size_t naddr = personal_addresses(m, r, addresses, MAX_FORGOTTEN);
	store_cond own[] = { COND_EQ("kind", sv_text(r->e->def->name)), COND_EQ("record_id", r->v[COL_ID]) };
	store_cond any[1 + MAX_FORGOTTEN] = { { .op = OP_ALL, .sub = own, .nsub = 2 } };
	for (size_t i = 0; i < naddr; i++)
		any[1 + i] = COND_EQ("rcpt_to", sv_text(addresses[i]));
	store_cond mine = { .op = OP_ANY, .sub = any, .nsub = (int)(1 + naddr) };
	store_cond queued[] = { mine, COND_EQ("state", sv_text("queued")) };
	char now[32];
	clock_now_iso(now);
	/* what was still to leave fails, and its records are told so */
	owners o = { .n = 0 };
	static const char *const cols[] = { "kind", "record_id" };
	store_select q = { .table = "outbox", .cols = cols, .ncols = 2, .where = queued, .nwhere = 2 };
	static const char *const fail_cols[] = { "state", "next_attempt_at", "sending_since", "last_error", "updated_at" };
	store_value fail_v[] = { sv_text("failed"), SV_NUL, SV_NUL, sv_text(reason), sv_text(now) };
	static const char *const blank_cols[] = { "rcpt_to", "message", "updated_at" };
	store_value blank_v[] = { sv_text("[erased]"), sv_text(""), sv_text(now) };
	if (store_query(c, &q, owner_row, &o) != STORE_OK ||
	    store_update(c, "outbox", fail_cols, fail_v, (int)COUNT(fail_cols), queued, 2, NULL) != STORE_OK ||
	    store_update(c, "outbox", blank_cols, blank_v, (int)COUNT(blank_cols), &mine, 1, NULL) != STORE_OK)
		return model_fail(m, 500, "Store error", "the mail to the erased record could not be erased");
	for (size_t i = 0; i < o.n; i++) {
		const entity *e = registry_find(m->reg, o.v[i].kind);
		record held;
		if (e && e->def->on_mail && model_fetch(m, c, e, o.v[i].record_id, &held) == 1 &&
		    e->def->on_mail(m, c, e, o.v[i].record_id, "failed", reason))
			return -1;
	}
	return 0;
}

/* ---- trying again now ------------------------------------------------------------ */

typedef struct held {
	int64_t id, record_id, attempts;
	char kind[64], state[16], next[32], sending[32];
} held;

static void copy_text(store_row *row, int col, char *dst, size_t n)
{
	const char *s = store_text(row, col, NULL);
	snprintf(dst, n, "%s", s ? s : "");
}

static int held_row(void *ctx, store_row *row)
{
	held *h = ctx;
	h->id = store_int(row, 0);
	copy_text(row, 1, h->kind, sizeof h->kind);
	h->record_id = store_int(row, 2);
	copy_text(row, 3, h->state, sizeof h->state);
	h->attempts = store_int(row, 4);
	copy_text(row, 5, h->next, sizeof h->next);
	copy_text(row, 6, h->sending, sizeof h->sending);
	return 1;
}

/* The row id on c: 1 found, 0 not, -1 when it could not be read. */
static int load_held(store_conn *c, int64_t id, held *h)
{
	static const char *const cols[] = { "id", "kind", "record_id", "state", "attempts", "next_attempt_at",
					     "sending_since" };
	store_cond w = COND_EQ("id", SV_INT_(id));
	store_select q = { .table = "outbox", .cols = cols, .ncols = (int)COUNT(cols), .where = &w, .nwhere = 1 };
	h->id = 0;
	if (store_query(c, &q, held_row, h) != STORE_OK)
		return -1;
	return h->id == id;
}

/* Whether a sender holds the message now: it took it and its lease runs. */
static int in_flight(const held *h, const char *now) { return h->sending[0] && strcmp(h->next, now) > 0; }

/* The row made due now; a failed one queued afresh, its record told so and
 * the administrator's word kept in the record's audit trail. */
static int requeue(model_ctx *m, store_conn *c, const held *h, const char *now)
{
	int failed = strcmp(h->state, "failed") == 0;
	static const char *const cols[] = { "state", "next_attempt_at", "attempts", "sending_since", "updated_at" };
	store_value v[] = { sv_text("queued"), sv_text(now), SV_INT_(failed ? 0 : h->attempts), SV_NUL, sv_text(now) };
	store_cond w = COND_EQ("id", SV_INT_(h->id));
	if (store_update(c, "outbox", cols, v, (int)COUNT(cols), &w, 1, NULL) != STORE_OK)
		return model_fail(m, 500, "Store error", "the message could not be queued again");
	const entity *e = registry_find(m->reg, h->kind);
	if (!e)
		return 0;   /* a kind this build no longer has: the mail goes all the same */
	record r;
	int found = model_fetch(m, c, e, h->record_id, &r);
	if (found < 0)
		return model_fail(m, 500, "Store error", "the message's record could not be read");
	char changes[96];
	snprintf(changes, sizeof changes, "{\"outbox\":%" PRId64 "}", h->id);
	if (found && audit_append(c, m->u, "mail retry", e->def->name, h->record_id, r.v[COL_VERSION].i, changes))
		return model_fail(m, 500, "Store error", "the audit entry could not be written");
	if (found && failed && e->def->on_mail)
		return e->def->on_mail(m, c, e, h->record_id, "queued", NULL);
	return 0;
}

static int retry_in(model_ctx *m, store_conn *c, int64_t n, const char *now)
{
	held h;
	int found = load_held(c, n, &h);
	if (found < 0)
		return model_fail(m, 500, "Store error", "the outbox could not be read");
	if (!found)
		return model_fail(m, 404, "Not found", "no message of the outbox has the id %" PRId64, n);
	if (strcmp(h.state, "sent") == 0)
		return model_fail(m, 409, "Conflict", "the message was sent already");
	if (in_flight(&h, now))
		return model_fail(m, 409, "Conflict", "the message is being handed to the relay now; look again in a minute");
	return requeue(m, c, &h, now);
}

int outbox_retry(model_ctx *m, const char *id)
{
	int64_t n = model_parse_id(id);
	char now[32];
	if (admins_only(m))
		return -1;
	if (n < 1)
		return model_fail(m, 404, "Not found", "no message of the outbox has the id %s", id);
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	clock_now_iso(now);
	store_cond w = COND_EQ("id", SV_INT_(n));
	store_select q = { .table = "outbox", .where = &w, .nwhere = 1 };
	/* the answer is read before the commit: the sender may take the message the moment after */
	if (retry_in(m, c, n, now) || rows_into(m, c, &q, -1)) {
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK) {   /* rolled back by the store */
		buf_reset(&m->body);
		return model_fail(m, 500, "Store error", "the message could not be queued again");
	}
	outbox_wake();
	return 0;
}
