/*
 * audit — append, verify, redact and list the hash chain.
 *
 * The rules `audit verify` holds every entry to, column by column:
 *
 * - id: 1, 2, 3, ... without a gap; prev_hash: the hash of the entry before
 *   (64 zeros before the first).
 * - Every column holds a value of its type: integers are integers, texts
 *   are texts without NUL bytes, and only user_id and user_name may be empty.
 * - hash: SHA-256 of the entry's text, which hash_format decides.  Format 2,
 *   every entry written since migration 011, is the lines
 *     "liaison audit 2", id, at, user_id, user_name, action, kind,
 *     record_id, version, changes_hash, redacted as written (0), prev_hash
 *   with each text as LENGTH:BYTES and an empty value as "-", so that no two
 *   entries share a text.  Format 1, the entries written before, is
 *     prev_hash, id, at, user_id, user_name, action, kind, record_id,
 *     version, changes_hash
 *   joined by newlines, empty values as nothing; `redacted` is not in it.
 *   No format-1 entry follows a format-2 one.
 * - changes_hash: SHA-256 of changes, while the entry is not redacted.
 * - redacted: 0, or 1 when an erasure replaced the changes.  A redacted
 *   entry's changes are exactly REDACTED, and a later entry names it: the
 *   "redact" entry the erasure appends in its own transaction, whose changes
 *   are {"entries": [ids]}.  Each id a "redact" entry names is an earlier,
 *   redacted entry.  Format-1 entries redacted before "redact" entries
 *   existed are named by the format-1 "erase" entry the erasure wrote then
 *   about the same record.
 *
 * So no column of an entry changes without its hash being recomputed, and
 * with it every later hash: that is what a head kept outside the database
 * (audit.h) catches, and what the chain alone cannot — a chain rewritten
 * from some entry to its end, or cut short, is again a chain.
 */
#include "model/audit.h"

#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "model/access.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define FORMAT 2  /* what audit_append writes */
#define REDACTED "{\"redacted\":\"personal data erased\"}"
#define REDACT "redact"  /* the action of the entry naming what an erasure redacted */
#define ERASE "erase"    /* the action that named them in format 1 (model/record.c writes it) */

static void sha256_hex(const char *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

typedef struct entry {
	int64_t id, user_id, record_id, version, redacted, format;
	const char *at, *user_name, *action, *kind, *changes, *changes_hash, *prev_hash, *hash;
	size_t changes_len;
	int has_user;
} entry;

static void put_int(buf *b, int has, int64_t v)
{
	if (has)
		buf_printf(b, "%" PRId64 "\n", v);
	else
		buf_puts(b, "-\n");
}

static void put_text(buf *b, const char *s)
{
	if (s)
		buf_printf(b, "%zu:%s\n", strlen(s), s);
	else
		buf_puts(b, "-\n");
}

static void text_v2(const entry *e, buf *b)
{
	buf_puts(b, "liaison audit 2\n");
	put_int(b, 1, e->id);
	put_text(b, e->at);
	put_int(b, e->has_user, e->user_id);
	put_text(b, e->user_name);
	put_text(b, e->action);
	put_text(b, e->kind);
	put_int(b, 1, e->record_id);
	put_int(b, 1, e->version);
	put_text(b, e->changes_hash);
	put_int(b, 1, 0); /* redacted, as every entry is written; a redaction is vouched for by a later entry */
	put_text(b, e->prev_hash);
}

static void text_v1(const entry *e, buf *b)
{
	buf_printf(b, "%s\n%" PRId64 "\n%s\n", e->prev_hash, e->id, e->at);
	if (e->has_user)
		buf_printf(b, "%" PRId64, e->user_id);
	buf_printf(b, "\n%s\n%s\n%s\n%" PRId64 "\n%" PRId64 "\n%s", e->user_name ? e->user_name : "",
		   e->action, e->kind, e->record_id, e->version, e->changes_hash);
}

static void entry_hash(const entry *e, char out[65])
{
	buf b = BUF_INIT;
	if (e->format == 1)
		text_v1(e, &b);
	else
		text_v2(e, &b);
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
	entry e = { .id = 1, .prev_hash = prev, .format = FORMAT };
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
	static const char *const cols[] = { "id", "at", "user_id", "user_name", "action", "kind", "record_id",
					    "version", "changes", "changes_hash", "prev_hash", "hash", "hash_format" };
	store_value v[] = { SV_INT_(e.id), sv_text(at), e.has_user ? SV_INT_(e.user_id) : SV_NUL,
			    sv_text(e.user_name), sv_text(action), sv_text(kind), SV_INT_(record_id),
			    SV_INT_(version), sv_text(changes), sv_text(changes_hash), sv_text(prev), sv_text(hash),
			    SV_INT_(FORMAT) };
	return store_insert(c, "audit", cols, v, 13, NULL) == STORE_OK ? 0 : -1;
}

/* ---- heads -------------------------------------------------------------- */

static int newest(void *ctx, store_row *r)
{
	audit_head *h = ctx;
	const char *hash = store_text(r, 1, NULL);
	h->seq = store_int(r, 0);
	snprintf(h->hash, sizeof h->hash, "%s", hash ? hash : "");
	return 1;
}

int audit_head_of(store *s, audit_head *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->hash, sizeof out->hash, "%s", GENESIS);
	store_conn *c = store_reader(s);
	store_order desc = { "id", 1, 0 };
	store_select q = { .table = "audit", .cols = (const char *[]){ "id", "hash" }, .ncols = 2,
			   .order = &desc, .norder = 1, .limit = 1 };
	return c && store_query(c, &q, newest, out) == STORE_OK ? 0 : -1;
}

int audit_head_parse(const char *text, audit_head *out)
{
	const char *p = text;
	int64_t seq = 0;
	memset(out, 0, sizeof *out);
	for (; isdigit((unsigned char)*p); p++) {
		if (seq > (INT64_MAX - 9) / 10)
			return -1;
		seq = seq * 10 + (*p - '0');
	}
	if (p == text || *p++ != ':' || strlen(p) != 64)
		return -1;
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		out->hash[i] = (char)tolower((unsigned char)p[i]);
	}
	out->seq = seq;
	return 0;
}

/* ---- verify ------------------------------------------------------------- */

static const char *const entry_cols[] = { "id", "at", "user_id", "user_name", "action", "kind", "record_id",
					  "version", "changes", "changes_hash", "redacted", "prev_hash", "hash",
					  "hash_format" };
/* What each column holds: i an integer, t a text; in capitals where it may be empty. */
static const char entry_types[] = "itITttiittitti";
enum { NCOLS = COUNT(entry_cols) };
_Static_assert(sizeof entry_types - 1 == NCOLS, "a type for every column");

/* The entry in row r; NULL when every column holds a value of its type,
 * else the name of the first that does not. */
static const char *entry_of(store_row *r, entry *e)
{
	const char *wrong = NULL;
	for (int i = 0; i < NCOLS && !wrong; i++) {
		store_value v = store_get(r, i);
		int text = tolower((unsigned char)entry_types[i]) == 't';
		if (v.type == SV_NULL ? !isupper((unsigned char)entry_types[i])
				      : v.type != (text ? SV_TEXT : SV_INT) ||
						(text && (!v.s || memchr(v.s, '\0', v.n))))
			wrong = entry_cols[i];
	}
	*e = (entry){
		.id = store_int(r, 0), .at = store_text(r, 1, NULL), .has_user = !store_isnull(r, 2),
		.user_id = store_int(r, 2), .user_name = store_text(r, 3, NULL), .action = store_text(r, 4, NULL),
		.kind = store_text(r, 5, NULL), .record_id = store_int(r, 6), .version = store_int(r, 7),
		.changes = store_text(r, 8, NULL), .changes_hash = store_text(r, 9, NULL),
		.redacted = store_int(r, 10), .prev_hash = store_text(r, 11, NULL), .hash = store_text(r, 12, NULL),
		.format = store_int(r, 13),
	};
	e->changes_len = e->changes ? strlen(e->changes) : 0;
	return wrong;
}

/* A redacted entry, waiting for the later entry that names it. */
typedef struct redaction {
	int64_t id, record_id, format;
	char *kind;
	int named;
} redaction;

typedef struct walk {
	audit_report *rep;
	char prev[65];
	int64_t expect_id, format;
	redaction *red;           /* in id order */
	size_t nred, capred;
	const audit_head **heads; /* in seq order */
	size_t nheads, next_head;
} walk;

__attribute__((format(printf, 3, 4))) static int bad(walk *w, int64_t id, const char *fmt, ...)
{
	va_list ap;
	w->rep->ok = 0;
	w->rep->first_bad = id;
	va_start(ap, fmt);
	vsnprintf(w->rep->reason, sizeof w->rep->reason, fmt, ap);
	va_end(ap);
	return 1;
}

static int remember_redaction(walk *w, const entry *e)
{
	if (w->nred == w->capred) {
		size_t cap = w->capred ? 2 * w->capred : 16;
		redaction *more = realloc(w->red, cap * sizeof *more);
		if (!more)
			return bad(w, e->id, "out of memory");
		w->red = more;
		w->capred = cap;
	}
	char *kind = strdup(e->kind);
	if (!kind)
		return bad(w, e->id, "out of memory");
	w->red[w->nred++] = (redaction){ e->id, e->record_id, e->format, kind, 0 };
	return 0;
}

static redaction *find_redaction(walk *w, int64_t id)
{
	size_t lo = 0, hi = w->nred;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->red[mid].id == id)
			return &w->red[mid];
		if (w->red[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int check_changes(walk *w, const entry *e)
{
	if (e->redacted == 0) {
		char ch[65];
		sha256_hex(e->changes, e->changes_len, ch);
		return strcmp(ch, e->changes_hash) != 0 ? bad(w, e->id, "changes were altered") : 0;
	}
	if (e->redacted != 1)
		return bad(w, e->id, "redacted is %" PRId64 ", neither 0 nor 1", e->redacted);
	if (strcmp(e->changes, REDACTED) != 0)
		return bad(w, e->id, "a redacted entry's changes were altered");
	return remember_redaction(w, e);
}

/* The entries a "redact" entry names, each an earlier redacted one. */
static int names_redacted(walk *w, const entry *e)
{
	json_t *root = json_loadb(e->changes, e->changes_len, 0, NULL), *ids = json_object_get(root, "entries"), *x;
	size_t i;
	int rc = json_is_array(ids) ? 0 : bad(w, e->id, "a redaction entry that does not list the entries it redacted");
	json_array_foreach(ids, i, x) {
		redaction *d = json_is_integer(x) ? find_redaction(w, json_integer_value(x)) : NULL;
		if (!d) {
			rc = bad(w, e->id, "names entry %" JSON_INTEGER_FORMAT " as redacted, which is not an earlier redacted entry",
				 json_integer_value(x));
			break;
		}
		d->named = 1;
	}
	json_decref(root);
	return rc;
}

static int check_names(walk *w, const entry *e)
{
	if (strcmp(e->action, REDACT) == 0 && e->format >= 2 && !e->redacted)
		return names_redacted(w, e);
	if (strcmp(e->action, ERASE) == 0 && e->format == 1)
		for (size_t i = 0; i < w->nred; i++)
			if (w->red[i].format == 1 && w->red[i].record_id == e->record_id && strcmp(w->red[i].kind, e->kind) == 0)
				w->red[i].named = 1;
	return 0;
}

static int check_heads(walk *w, int64_t seq, const char *hash)
{
	for (; w->next_head < w->nheads && w->heads[w->next_head]->seq == seq; w->next_head++) {
		const audit_head *h = w->heads[w->next_head];
		if (strcmp(h->hash, hash) != 0)
			return bad(w, seq, "entry %" PRId64 "'s hash differs from the head %s: the chain was rewritten up to there",
				   seq, h->origin);
		w->rep->heads++;
	}
	return 0;
}

static int check_entry(void *ctx, store_row *r)
{
	walk *w = ctx;
	entry e;
	char hash[65];
	const char *wrong = entry_of(r, &e);
	if (wrong)
		return bad(w, e.id, "its %s is not a value of the column's type: the entry was altered", wrong);
	if (e.id != w->expect_id)
		return bad(w, e.id, "entry ids are not consecutive: an entry was removed or inserted");
	if (strcmp(e.prev_hash, w->prev) != 0)
		return bad(w, e.id, "previous hash does not match: an entry before it was removed, inserted or altered");
	if (e.format != 1 && e.format != FORMAT)
		return bad(w, e.id, "hash format %" PRId64 " is unknown: the entry was altered", e.format);
	if (e.format < w->format)
		return bad(w, e.id, "a format-1 entry after format-2 ones: the entry was altered or inserted");
	if (check_changes(w, &e))
		return 1;
	entry_hash(&e, hash);
	if (strcmp(hash, e.hash) != 0)
		return bad(w, e.id, "entry was altered");
	if (check_names(w, &e) || check_heads(w, e.id, e.hash))
		return 1;
	snprintf(w->prev, sizeof w->prev, "%s", e.hash);
	w->format = e.format;
	w->expect_id++;
	w->rep->entries++;
	return 0;
}

/* After the walk: every redaction named, every head inside the chain. */
static void check_end(walk *w)
{
	for (size_t i = 0; i < w->nred; i++)
		if (!w->red[i].named) {
			bad(w, w->red[i].id, "entry is marked redacted but no later erasure names it: the redaction was forged");
			w->rep->entries = w->red[i].id - 1;
			return;
		}
	if (w->next_head < w->nheads) {
		const audit_head *h = w->heads[w->next_head];
		bad(w, w->expect_id, "the chain ends at %" PRId64 " but a head at %" PRId64 " was %s: entries were removed",
		    w->expect_id - 1, h->seq, h->origin);
	}
}

static int by_seq(const void *a, const void *b)
{
	int64_t x = (*(const audit_head *const *)a)->seq, y = (*(const audit_head *const *)b)->seq;
	return (x > y) - (x < y);
}

int audit_verify(store *s, const audit_head *heads, size_t nheads, audit_report *out)
{
	memset(out, 0, sizeof *out);
	out->ok = 1;
	walk w = { .rep = out, .prev = GENESIS, .expect_id = 1, .format = 1, .nheads = nheads };
	int rc = -1;
	w.heads = malloc((nheads ? nheads : 1) * sizeof *w.heads);
	store_conn *c = store_reader(s);
	if (!w.heads || !c)
		goto done;
	for (size_t i = 0; i < nheads; i++)
		w.heads[i] = &heads[i];
	qsort(w.heads, nheads, sizeof *w.heads, by_seq);
	store_order asc = { "id", 0, 0 };
	store_select q = { .table = "audit", .cols = entry_cols, .ncols = NCOLS, .order = &asc, .norder = 1 };
	if (check_heads(&w, 0, GENESIS) == 0 && store_query(c, &q, check_entry, &w) != STORE_OK)
		goto done;
	if (out->ok)
		check_end(&w);
	rc = 0;
done:
	for (size_t i = 0; i < w.nred; i++)
		free(w.red[i].kind);
	free(w.red);
	free(w.heads);
	return rc;
}

/* ---- redact ------------------------------------------------------------- */

typedef struct id_list {
	buf json;
	int n;
} id_list;

static int list_id(void *ctx, store_row *r)
{
	id_list *l = ctx;
	buf_printf(&l->json, "%s%" PRId64, l->n++ ? "," : "", store_int(r, 0));
	return 0;
}

int audit_redact(store_conn *c, const user *u, const char *kind, int64_t record_id)
{
	/* Entries already redacted have nothing left to erase, and "redact"
	 * entries hold only ids; each is named once, by the erasure that redacted it. */
	store_cond w[] = { COND_EQ("kind", sv_text(kind)), COND_EQ("record_id", SV_INT_(record_id)),
			   COND_EQ("redacted", SV_INT_(0)), COND("action", OP_NE, sv_text(REDACT)) };
	store_order asc = { "id", 0, 0 };
	store_select q = { .table = "audit", .cols = (const char *[]){ "id" }, .ncols = 1, .where = w,
			   .nwhere = COUNT(w), .order = &asc, .norder = 1 };
	id_list l = { BUF_INIT, 0 };
	int rc = -1, changed = 0;
	buf_puts(&l.json, "{\"entries\":[");
	if (store_query(c, &q, list_id, &l) != STORE_OK)
		goto done;
	buf_puts(&l.json, "]}");
	store_value v[] = { sv_text(REDACTED), SV_INT_(1) };
	if (l.n && (store_update(c, "audit", (const char *[]){ "changes", "redacted" }, v, 2, w, COUNT(w), &changed) != STORE_OK ||
		    changed != l.n))
		goto done;
	rc = l.n ? audit_append(c, u, REDACT, kind, record_id, 0, buf_str(&l.json)) : 0;
done:
	buf_free(&l.json);
	return rc;
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
	entry e;
	entry_of(r, &e);
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
	store_select q = { .table = "audit", .cols = entry_cols, .ncols = NCOLS, .where = w, .nwhere = n,
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
