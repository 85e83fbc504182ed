/*
 * audit — append, verify, redact and list the hash chain.
 *
 * hash = SHA-256 of the text
 *   prev_hash "\n" id "\n" at "\n" user_id "\n" user_name "\n" action "\n"
 *   kind "\n" record_id "\n" version "\n" changes_hash
 * with the id included so that moving an entry breaks the chain too.
 */
#include "model/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "model/access.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void sha256_hex(const char *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

typedef struct entry {
	int64_t id, user_id, record_id, version;
	const char *at, *user_name, *action, *kind, *changes, *changes_hash, *prev_hash, *hash;
	int redacted, has_user;
} entry;

static void entry_hash(const entry *e, char out[65])
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s\n%" PRId64 "\n%s\n", e->prev_hash, e->id, e->at);
	if (e->has_user)
		buf_printf(&b, "%" PRId64, e->user_id);
	buf_printf(&b, "\n%s\n%s\n%s\n%" PRId64 "\n%" PRId64 "\n%s", e->user_name ? e->user_name : "",
		   e->action, e->kind, e->record_id, e->version, e->changes_hash);
	sha256_hex(b.data, b.len, out);
	buf_free(&b);
}

static int last_entry(void *ctx, store_row *r)
{
	entry *e = ctx;
	e->id = store_int(r, 0) + 1;
	snprintf((char *)e->prev_hash, 65, "%s", store_text(r, 1, NULL));
	return 1;
}

int audit_append(store_conn *c, const user *u, const char *action, const char *kind,
		 int64_t record_id, int64_t version, const char *changes)
{
	char prev[65] = GENESIS, changes_hash[65], hash[65], at[32];
	entry e = { .id = 1, .prev_hash = prev };
	store_order desc = { "id", 1, 0 };
	store_select q = { .table = "audit", .cols = (const char *[]){ "id", "hash" }, .ncols = 2,
			   .order = &desc, .norder = 1, .limit = 1 };
	if (store_query(c, &q, last_entry, &e) != STORE_OK)
		return -1;
	clock_now_iso(at);
	sha256_hex(changes, strlen(changes), changes_hash);
	e.at = at;
	e.has_user = u && u->id > 0;
	e.user_id = e.has_user ? u->id : 0;
	e.user_name = u ? u->name : NULL;
	e.action = action;
	e.kind = kind;
	e.record_id = record_id;
	e.version = version;
	e.changes_hash = changes_hash;
	entry_hash(&e, hash);
	static const char *const cols[] = { "id", "at", "user_id", "user_name", "action", "kind",
					    "record_id", "version", "changes", "changes_hash", "prev_hash", "hash" };
	store_value v[] = { SV_INT_(e.id), sv_text(at), e.has_user ? SV_INT_(e.user_id) : SV_NUL,
			    sv_text(e.user_name), sv_text(action), sv_text(kind), SV_INT_(record_id),
			    SV_INT_(version), sv_text(changes), sv_text(changes_hash), sv_text(prev), sv_text(hash) };
	return store_insert(c, "audit", cols, v, 12, NULL) == STORE_OK ? 0 : -1;
}

/* ---- verify ------------------------------------------------------------- */

static const char *const entry_cols[] = { "id", "at", "user_id", "user_name", "action", "kind", "record_id",
					  "version", "changes", "changes_hash", "redacted", "prev_hash", "hash" };

static entry entry_of(store_row *r)
{
	entry e = {
		.id = store_int(r, 0), .at = store_text(r, 1, NULL), .has_user = !store_isnull(r, 2),
		.user_id = store_int(r, 2), .user_name = store_text(r, 3, NULL), .action = store_text(r, 4, NULL),
		.kind = store_text(r, 5, NULL), .record_id = store_int(r, 6), .version = store_int(r, 7),
		.changes = store_text(r, 8, NULL), .changes_hash = store_text(r, 9, NULL),
		.redacted = (int)store_int(r, 10), .prev_hash = store_text(r, 11, NULL), .hash = store_text(r, 12, NULL),
	};
	return e;
}

typedef struct walk {
	audit_report *rep;
	char prev[65];
	int64_t expect_id;
} walk;

static int bad(walk *w, int64_t id, const char *why)
{
	w->rep->ok = 0;
	w->rep->first_bad = id;
	snprintf(w->rep->reason, sizeof w->rep->reason, "%s", why);
	return 1;
}

static int check_entry(void *ctx, store_row *r)
{
	walk *w = ctx;
	entry e = entry_of(r);
	char hash[65];
	if (!e.at || !e.action || !e.kind || !e.changes || !e.changes_hash || !e.prev_hash || !e.hash)
		return bad(w, e.id, "entry has empty facts");
	if (e.id != w->expect_id)
		return bad(w, e.id, "entry ids are not consecutive: an entry was removed or inserted");
	if (strcmp(e.prev_hash, w->prev) != 0)
		return bad(w, e.id, "previous hash does not match: an entry before it was removed, inserted or altered");
	if (!e.redacted) {
		char ch[65];
		sha256_hex(e.changes, strlen(e.changes), ch);
		if (strcmp(ch, e.changes_hash) != 0)
			return bad(w, e.id, "changes were altered");
	}
	entry_hash(&e, hash);
	if (strcmp(hash, e.hash) != 0)
		return bad(w, e.id, "entry was altered");
	snprintf(w->prev, sizeof w->prev, "%s", e.hash);
	w->expect_id++;
	w->rep->entries++;
	return 0;
}

int audit_verify(store *s, audit_report *out)
{
	memset(out, 0, sizeof *out);
	out->ok = 1;
	walk w = { out, GENESIS, 1 };
	store_conn *c = store_reader(s);
	store_order asc = { "id", 0, 0 };
	store_select q = { .table = "audit", .cols = entry_cols, .ncols = 13, .order = &asc, .norder = 1 };
	if (!c || store_query(c, &q, check_entry, &w) != STORE_OK)
		return -1;
	return 0;
}

int audit_redact(store_conn *c, const char *kind, int64_t record_id)
{
	store_cond w[] = { COND_EQ("kind", sv_text(kind)), COND_EQ("record_id", SV_INT_(record_id)) };
	store_value v[] = { sv_text("{\"redacted\":\"personal data erased\"}"), SV_INT_(1) };
	return store_update(c, "audit", (const char *[]){ "changes", "redacted" }, v, 2, w, 2, NULL) == STORE_OK ? 0 : -1;
}

/* ---- list --------------------------------------------------------------- */

typedef struct list_walk {
	buf *out;
	int n;
	int64_t last;
} list_walk;

static int entry_json(void *ctx, store_row *r)
{
	list_walk *lw = ctx;
	entry e = entry_of(r);
	buf *b = lw->out;
	buf_puts(b, lw->n++ ? "," : "");
	buf_printf(b, "{\"id\":%" PRId64 ",\"at\":", e.id);
	buf_json_cstr(b, e.at);
	buf_puts(b, ",\"user\":");
	buf_json_cstr(b, e.user_name);
	buf_puts(b, ",\"action\":");
	buf_json_cstr(b, e.action);
	buf_puts(b, ",\"kind\":");
	buf_json_cstr(b, e.kind);
	buf_printf(b, ",\"record_id\":%" PRId64 ",\"version\":%" PRId64 ",\"changes\":%s,\"hash\":", e.record_id,
		   e.version, e.changes);
	buf_json_cstr(b, e.hash);
	buf_putc(b, '}');
	lw->last = e.id;
	return 0;
}

static int may_read_log(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t *record_id)
{
	const user *u = m->u;
	if (!e || !id) {
		if (u->role != ROLE_ADMIN)
			return model_fail(m, 403, "Forbidden", "only admins read the whole log; ask for one record with kind= and id=");
		return 0;
	}
	if (!access_is_staff(u))
		return model_fail(m, 403, "Forbidden", "your role may not read the audit log");
	record root, up;
	if (model_find(m, c, e, id, &root)) /* 404 for what the caller may not read */
		return -1;
	*record_id = root.v[COL_ID].i;
	if (u->role == ROLE_ADMIN || u->role == ROLE_DIRECTOR)
		return 0;
	for (; root.e->parent; root = up) /* a record that takes its access from another: that one's division */
		if (!access_parent(m, c, &root, &up))
			return model_fail(m, 404, "Not found", "no %s with that id", e->def->label);
	const store_value *div = &root.v[COL_DIVISION];
	if (div->type != SV_TEXT || !u->division || strcmp(div->s, u->division) != 0)
		return model_fail(m, 403, "Forbidden", "only the record's own division reads its audit trail");
	return 0;
}

int audit_list(model_ctx *m, const entity *e, const char *id, int64_t before_id, int64_t limit)
{
	int64_t record_id = 0;
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (may_read_log(m, c, e, id, &record_id))
		return -1;
	store_cond w[3];
	int n = 0;
	if (e)
		w[n++] = COND_EQ("kind", sv_text(e->def->name));
	if (record_id > 0)
		w[n++] = COND_EQ("record_id", SV_INT_(record_id));
	if (before_id > 0)
		w[n++] = COND("id", OP_LT, SV_INT_(before_id));
	store_order desc = { "id", 1, 0 };
	store_select q = { .table = "audit", .cols = entry_cols, .ncols = 13, .where = w, .nwhere = n,
			   .order = &desc, .norder = 1, .limit = limit };
	list_walk lw = { &m->body, 0, 0 };
	buf_puts(&m->body, "{\"items\":[");
	if (store_query(c, &q, entry_json, &lw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the audit log could not be read");
	buf_puts(&m->body, "],\"next_cursor\":");
	if (lw.n == limit)
		buf_printf(&m->body, "\"%" PRId64 "\"}", lw.last);
	else
		buf_puts(&m->body, "null}");
	m->status = 200;
	return 0;
}
