/*
 * dupscan — the whole registry's likely duplicates (see dupscan.h).
 *
 * A scan reads a kind's duplicate keys (table dup_keys, duplicates.c) and
 * sorts them: the records that share a key come together, and every two of
 * them make a pair, as the on-create check would find them.  A name's or an
 * acronym's key joins only records with the same value that tells apart
 * (an organization's country), or one without; a key more than
 * DUPLICATES_PER_KEY records share so tells nothing and joins none.  A
 * name with one word more than another is filed under that other name's
 * words but one ("p:WORDS|..."): the scan also files it under "w:WORDS",
 * where the shorter name is; and a name filed with a word's first two
 * letters ("p:WORDS|^am") also under the first alone ("p:WORDS|^a"), where
 * the name with that word's initial is ("A. Okonkwo"), as the check's
 * probes find them.
 *
 * The pairs are sorted, each kept once, and compared by their two records'
 * kept facts (duplicates_score): the cost is the keys'
 * sort and the pairs that share a key, never every record against every
 * other.  The pairs alike enough replace the kind's last scan in one
 * transaction, except those staff dismissed.  The queue is read best first
 * and shows only what the reader may read; a pair whose record was merged
 * or archived since has no kept facts and drops out.
 */
#include "domains/partners/dupscan.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/grow.h"
#include "core/hash.h"
#include "domains/partners/duplicates.h"
#include "model/access.h"
#include "model/audit.h"

int duplicates_kind(const entity *e) { return e && e->def->after_write == duplicates_index; }

static const entity *kind_named(const registry *reg, const char *kind)
{
	const entity *e = kind ? registry_find(reg, kind) : NULL;
	return duplicates_kind(e) ? e : NULL;
}

/* ---- the scan ------------------------------------------------------------------------------ */

/* A key as the scan sorts it: hashes, so that millions sort as numbers and
 * take no copy of their text (two keys of one hash would only bring a pair
 * more to compare). */
typedef struct key_row {
	uint64_t key;     /* the key's hash */
	uint64_t apart;   /* the value that tells apart, hashed; 0 for none */
	int64_t id;
	char letter;      /* the key's kind: "w", "p", "a", "e" (duplicates.c) */
	char derived;     /* a key the scan files the record under, not its own (see above) */
} key_row;

/* Two records filed under a key, the smaller id first; once judged, how alike, in hundredths. */
typedef struct key_pair {
	int64_t first, second;
	int score;
} key_pair;

typedef struct kept_facts {
	int64_t id;
	const char *text;
} kept_facts;

typedef struct scan {
	arena a;
	key_row *rows;
	size_t nrows, caprows;
	key_pair *pairs;
	size_t npairs, cappairs;
	kept_facts *facts;
	size_t nfacts, capfacts;
	int64_t keys;
} scan;

static uint64_t key_hash(const char *s, size_t n) { return hash_bytes(0x6475706b657973u, s, n); }

static void add_row(scan *s, uint64_t key, uint64_t apart, int64_t id, char letter, int derived)
{
	s->rows = grow_room(s->rows, &s->caprows, s->nrows + 1, sizeof *s->rows);
	s->rows[s->nrows++] = (key_row){ key, apart, id, letter, (char)derived };
}

static int take_key(void *ctx, store_row *row)
{
	scan *s = ctx;
	size_t n, na;
	const char *key = store_text(row, 0, &n), *apart_text = store_text(row, 1, &na);
	uint64_t apart = apart_text && na ? key_hash(apart_text, na) | 1 : 0;
	int64_t id = store_int(row, 2);
	if (!key || n < 2)
		return 0;
	s->keys++;
	add_row(s, key_hash(key, n), apart, id, key[0], 0);
	const char *bar = strncmp(key, "p:", 2) == 0 ? memchr(key, '|', n) : NULL;
	if (!bar)
		return 0;
	char shorter[512];   /* "w:" and the words before the bar */
	size_t words = (size_t)(bar - key - 2);
	if (words + 2 <= sizeof shorter) {
		memcpy(shorter, "w:", 2);
		memcpy(shorter + 2, key + 2, words);
		add_row(s, key_hash(shorter, words + 2), apart, id, 'w', 1);
	}
	size_t first = bar[1] == '^' && bar + 2 < key + n ? 1 : 0;   /* the bytes of the word's first letter */
	while (first && bar + 2 + first < key + n && (bar[2 + first] & 0xc0) == 0x80)
		first++;
	if (first && bar + 2 + first < key + n)
		add_row(s, key_hash(key, (size_t)(bar + 2 + first - key)), apart, id, 'p', 1);
	return 0;
}

static int take_facts(void *ctx, store_row *row)
{
	scan *s = ctx;
	s->facts = grow_room(s->facts, &s->capfacts, s->nfacts + 1, sizeof *s->facts);
	s->facts[s->nfacts++] = (kept_facts){ store_int(row, 0), arena_strdup(&s->a, store_text(row, 1, NULL)) };
	return 0;
}

static int by_key(const void *x, const void *y)
{
	const key_row *a = x, *b = y;
	if (a->key != b->key)
		return (a->key > b->key) - (a->key < b->key);
	if (a->apart != b->apart)
		return (a->apart > b->apart) - (a->apart < b->apart);
	if (a->id != b->id)
		return (a->id > b->id) - (a->id < b->id);
	return a->derived - b->derived;
}

static void pair_up(scan *s, const key_row *x, const key_row *y)
{
	if (x->id == y->id || (x->derived && y->derived))
		return;   /* itself, or two names each a word longer than a third */
	s->pairs = grow_room(s->pairs, &s->cappairs, s->npairs + 1, sizeof *s->pairs);
	s->pairs[s->npairs++] = (key_pair){ x->id < y->id ? x->id : y->id, x->id < y->id ? y->id : x->id, 0 };
}

static void pairs_within(scan *s, const key_row *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			pair_up(s, &g[i], &g[j]);
}

static void pairs_across(scan *s, const key_row *g, size_t n, const key_row *h, size_t nh)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nh; j++)
			pair_up(s, &g[i], &h[j]);
}

/* The pairs of the n records filed under one key: those without a value
 * that tells apart come first (its hash is 0). */
static void pairs_of_key(scan *s, const key_row *g, size_t n)
{
	const char kind[] = { g[0].letter, ':', '\0' };
	if (!duplicates_key_common(kind)) {   /* an e-mail address is one body's or person's anywhere */
		if (n <= DUPLICATES_PER_KEY)
			pairs_within(s, g, n);
		return;
	}
	size_t none = 0;
	while (none < n && !g[none].apart)
		none++;
	if (n <= DUPLICATES_PER_KEY)
		pairs_within(s, g, none);
	for (size_t lo = none, hi; lo < n; lo = hi) {
		for (hi = lo; hi < n && g[hi].apart == g[lo].apart; hi++)
			;
		if (none + hi - lo <= DUPLICATES_PER_KEY) {
			pairs_within(s, g + lo, hi - lo);
			pairs_across(s, g, none, g + lo, hi - lo);
		}
	}
}

static int by_pair(const void *x, const void *y)
{
	const key_pair *a = x, *b = y;
	if (a->first != b->first)
		return (a->first > b->first) - (a->first < b->first);
	return (a->second > b->second) - (a->second < b->second);
}

/* Each pair once, however many keys it shares: every pair is judged, so
 * the keys shared count for nothing more. */
static void each_once(scan *s)
{
	qsort(s->pairs, s->npairs, sizeof *s->pairs, by_pair);
	size_t k = 0;
	for (size_t i = 0; i < s->npairs; i++)
		if (!k || by_pair(&s->pairs[k - 1], &s->pairs[i]) != 0)
			s->pairs[k++] = s->pairs[i];
	s->npairs = k;
}

static int by_record(const void *x, const void *y)
{
	const kept_facts *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static const char *facts_of_id(const scan *s, int64_t id)
{
	kept_facts key = { id, NULL }, *f = bsearch(&key, s->facts, s->nfacts, sizeof *s->facts, by_record);
	return f ? f->text : NULL;
}

/* Reads e's keys and kept facts and makes the pairs. */
static int gather(store *st, const entity *e, scan *s)
{
	store_conn *c = store_reader(st);
	if (!c)
		return -1;
	store_cond w = COND_EQ("kind", sv_text(e->def->name));
	store_order by_record = { "record_id", 0, NOT_NULL };
	store_select keys = { .table = "dup_keys", .cols = (const char *[]){ "key", "apart", "record_id" }, .ncols = 3,
			      .where = &w, .nwhere = 1 };
	store_select facts = { .table = "dup_facts", .cols = (const char *[]){ "record_id", "facts" }, .ncols = 2,
			       .where = &w, .nwhere = 1, .order = &by_record, .norder = 1 };
	/* (a record archived between the two reads has no facts, and is in no pair) */
	if (store_query(c, &keys, take_key, s) != STORE_OK || store_query(c, &facts, take_facts, s) != STORE_OK)
		return -1;
	qsort(s->rows, s->nrows, sizeof *s->rows, by_key);
	for (size_t lo = 0, hi; lo < s->nrows; lo = hi) {
		for (hi = lo + 1; hi < s->nrows && s->rows[hi].key == s->rows[lo].key; hi++)
			;
		pairs_of_key(s, s->rows + lo, hi - lo);
	}
	each_once(s);
	return 0;
}

/* Pairs compared between two frees of the facts read for them (about a
 * kilobyte a pair): often enough to bound the memory, seldom enough that
 * the heap is not given back and taken again from the system all the time. */
#define FRESH_EVERY 32768

/* The pairs alike enough, with their scores; how many.
 * The pairs come sorted by their first record, whose facts are read once. */
static size_t judged(store *st, const registry *reg, const entity *e, scan *s)
{
	static const user scanner = { 0, "liaison-scan", ROLE_ADMIN, NULL, 0, "en" };
	size_t kept = 0, since_fresh = 0;
	model_ctx m;
	model_init(&m, st, reg, &scanner);
	dup_facts *first = NULL;
	for (size_t i = 0; i < s->npairs; i++) {
		key_pair p = s->pairs[i];
		if (!i || p.first != s->pairs[i - 1].first) {
			duplicates_facts_free(first);
			if (since_fresh >= FRESH_EVERY) {   /* the facts read so far are done with */
				model_done(&m);
				model_init(&m, st, reg, &scanner);
				since_fresh = 0;
			}
			const char *text = facts_of_id(s, p.first);
			first = text ? duplicates_facts(&m, e, text) : NULL;
		}
		const char *text = first ? facts_of_id(s, p.second) : NULL;
		dup_facts *second = text ? duplicates_facts(&m, e, text) : NULL;
		double score = second ? duplicates_score(&m, first, second, NULL) : 0;
		duplicates_facts_free(second);
		since_fresh++;
		if (score >= DUPLICATE_THRESHOLD) {
			s->pairs[kept] = p;
			s->pairs[kept++].score = (int)(score * 100 + 0.5);
		}
	}
	duplicates_facts_free(first);
	model_done(&m);
	return kept;
}

static int is_dismissed(store_conn *c, const entity *e, const key_pair *p, int *yes)
{
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("first_id", SV_INT_(p->first)),
			   COND_EQ("second_id", SV_INT_(p->second)) };
	int64_t n = 0;
	int rc = store_count(c, "dup_dismissed", w, 3, &n);
	*yes = n > 0;
	return rc == STORE_OK ? 0 : -1;
}

/* The kind's queue replaced by the n pairs found, but those dismissed. */
static int write_queue(store *st, const entity *e, const scan *s, size_t n, dup_scanned *out)
{
	static const char *const cols[] = { "kind", "first_id", "second_id", "score" };
	store_conn *c = store_begin(st);
	if (!c)
		return -1;
	store_cond w = COND_EQ("kind", sv_text(e->def->name));
	int rc = store_delete(c, "dup_pairs", &w, 1) == STORE_OK ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		const key_pair *p = &s->pairs[i];
		int dismissed = 0;
		rc = is_dismissed(c, e, p, &dismissed);
		if (rc || dismissed) {
			out->dismissed += dismissed;
			continue;
		}
		store_value v[] = { sv_text(e->def->name), SV_INT_(p->first), SV_INT_(p->second), SV_INT_(p->score) };
		rc = store_insert(c, "dup_pairs", cols, v, 4, NULL) == STORE_OK ? 0 : -1;
		out->found++;
	}
	if (rc) {
		store_rollback(c);
		return -1;
	}
	return store_commit(c) == STORE_OK ? 0 : -1;
}

int duplicates_scan(store *st, const registry *reg, const entity *e, dup_scanned *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	scan s = { .nrows = 0 };
	int rc = -1;
	if (!duplicates_kind(e))
		snprintf(err, errlen, "%s are not checked for duplicates", e ? e->def->name : "that kind");
	else if (gather(st, e, &s))
		snprintf(err, errlen, "the duplicate keys of %s could not be read", e->def->name);
	else {
		out->records = (int64_t)s.nfacts;
		out->keys = s.keys;
		out->compared = (int64_t)s.npairs;
		rc = write_queue(st, e, &s, judged(st, reg, e, &s), out);
		if (rc)
			snprintf(err, errlen, "the likely duplicates of %s could not be written", e->def->name);
	}
	free(s.rows);
	free(s.pairs);
	free(s.facts);
	arena_free(&s.a);
	return rc;
}

/* ---- the queue ----------------------------------------------------------------------------- */

typedef struct queued {
	const char *kind;
	int64_t first, second, score;
} queued;

typedef struct queue_read {
	model_ctx *m;
	queued *v;
	size_t n, cap;
} queue_read;

static int take_pair(void *ctx, store_row *row)
{
	queue_read *q = ctx;
	q->v = grow_room(q->v, &q->cap, q->n + 1, sizeof *q->v);
	q->v[q->n++] = (queued){ arena_strdup(&q->m->a, store_text(row, 0, NULL)), store_int(row, 1), store_int(row, 2),
				 store_int(row, 3) };
	return 0;
}

/* Record id of e, there, not archived, and readable by m's user: its kept facts, else NULL. */
static dup_facts *readable(model_ctx *m, store_conn *c, const entity *e, int64_t id)
{
	record r;
	const char *text = model_load(m, c, e, id, &r) == 0 && !r.v[COL_ARCHIVED].i &&
			   access_record(m, c, e, &r, OP_READ) ? duplicates_kept(m, c, e, id) : NULL;
	m->status = 0;   /* a pair that is gone is no error of the queue's */
	return text ? duplicates_facts(m, e, text) : NULL;
}

static void side_write(buf *out, const char *name, int64_t id, const dup_facts *d)
{
	buf_printf(out, ",\"%s\":{\"id\":%lld,\"title\":", name, (long long)id);
	buf_json_cstr(out, duplicates_title(d));
	buf_putc(out, '}');
}

/* The pair as the queue's item, when the reader may see both records: 1, else 0. */
static int item_write(model_ctx *m, store_conn *c, const queued *p, int first_item)
{
	const entity *e = kind_named(m->reg, p->kind);
	dup_facts *a = e ? readable(m, c, e, p->first) : NULL, *b = a ? readable(m, c, e, p->second) : NULL;
	if (b) {
		const char *why = NULL;
		duplicates_score(m, a, b, &why);   /* the score is the scan's: the why is in the reader's language */
		buf *out = &m->body;
		buf_printf(out, "%s{\"kind\":", first_item ? "" : ",");
		buf_json_cstr(out, p->kind);
		buf_printf(out, ",\"score\":%.2f,\"reason\":", (double)p->score / 100);
		buf_json_cstr(out, why);
		side_write(out, "first", p->first, a);
		side_write(out, "second", p->second, b);
		buf_putc(out, '}');
	}
	duplicates_facts_free(a);
	duplicates_facts_free(b);
	return b != NULL;
}

/* Pairs read at a time: the queue reads past those the reader may not see, never the whole table. */
#define QUEUE_PAGE 256

int duplicates_queue(model_ctx *m, const char *kind, int64_t limit)
{
	if (!access_is_staff(m->u))
		return model_fail(m, 403, "Forbidden", "the likely duplicates are for the department's staff");
	if (kind && !kind_named(m->reg, kind))
		return model_fail(m, 400, "Bad Request", "kind must be organizations or persons");
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	store_cond w = COND_EQ("kind", sv_text(kind));
	store_order best[] = { { "score", 1, NOT_NULL }, { "kind", 0, NOT_NULL }, { "first_id", 0, NOT_NULL },
			       { "second_id", 0, NOT_NULL } };
	store_value after[4];
	store_select q = { .table = "dup_pairs", .cols = (const char *[]){ "kind", "first_id", "second_id", "score" },
			   .ncols = 4, .where = &w, .nwhere = kind ? 1 : 0, .order = best, .norder = 4,
			   .limit = QUEUE_PAGE };
	queue_read r = { m, NULL, 0, 0 };
	buf_reset(&m->body);
	buf_puts(&m->body, "{\"items\":[");
	int64_t shown = 0;
	int rc = STORE_OK;
	do {
		r.n = 0;
		rc = store_query(c, &q, take_pair, &r);
		for (size_t i = 0; rc == STORE_OK && i < r.n && shown < limit; i++)
			shown += item_write(m, c, &r.v[i], shown == 0);
		if (r.n) {   /* the next page starts after this one's last pair */
			const queued *last = &r.v[r.n - 1];
			after[0] = SV_INT_(last->score);
			after[1] = sv_text(last->kind);
			after[2] = SV_INT_(last->first);
			after[3] = SV_INT_(last->second);
			q.after = after;
		}
	} while (rc == STORE_OK && r.n == QUEUE_PAGE && shown < limit);
	free(r.v);
	if (rc != STORE_OK)
		return model_fail(m, 500, "Store error", "the likely duplicates could not be read");
	buf_puts(&m->body, "]}");
	m->status = 200;
	return 0;
}

/* ---- dismissing a pair --------------------------------------------------------------------- */

/* Record id of e, as the writer sees it, which m's user may change: its version; -1 with the problem. */
static int64_t changeable(model_ctx *m, store_conn *c, const entity *e, int64_t id)
{
	record r;
	if (model_load(m, c, e, id, &r) || !access_record(m, c, e, &r, OP_READ))
		return model_fail(m, 404, "Not Found", "there is no %s %lld", e->def->label, (long long)id);
	if (!access_record(m, c, e, &r, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "your role may not change %s %lld", e->def->name, (long long)id);
	return r.v[COL_VERSION].i;
}

static int dismissal_write(model_ctx *m, store_conn *c, const entity *e, int64_t a, int64_t b, const char *at)
{
	static const char *const cols[] = { "kind", "first_id", "second_id", "dismissed_by", "dismissed_at" };
	store_value v[] = { sv_text(e->def->name), SV_INT_(a), SV_INT_(b), m->u->id ? SV_INT_(m->u->id) : SV_NUL,
			    sv_text(at) };
	int rc = store_insert(c, "dup_dismissed", cols, v, 5, NULL);
	if (rc != STORE_OK && rc != STORE_CONSTRAINT)   /* dismissed before: dismissed still */
		return -1;
	store_cond w[] = { COND_EQ("kind", v[0]), COND_EQ("first_id", v[1]), COND_EQ("second_id", v[2]) };
	return store_delete(c, "dup_pairs", w, 3) == STORE_OK ? 0 : -1;
}

int duplicates_dismiss(model_ctx *m, const char *kind, int64_t a, int64_t b)
{
	const entity *e = kind_named(m->reg, kind);
	if (!e)
		model_field_error(m, "kind", N_("must be organizations or persons"));
	if (a <= 0)
		model_field_error(m, "first", N_("must be a record's id, a whole number from 1"));
	if (b <= 0 || a == b)
		model_field_error(m, "second", b <= 0 ? N_("must be a record's id, a whole number from 1")
						      : N_("give the ids of two different records"));
	if (m->nerrors)
		return model_fail(m, 422, "Some fields are not valid", "%zu field(s) need attention", m->nerrors);
	if (!access_is_staff(m->u) || !access_kind(m->u, e, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "your role may not change %s", e->def->name);
	int64_t first = a < b ? a : b, second = a < b ? b : a;
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database is busy; try again");
	char at[32], changes[64];
	clock_now_iso(at);
	int64_t vfirst = changeable(m, c, e, first), vsecond = vfirst < 0 ? -1 : changeable(m, c, e, second);
	int rc = vsecond < 0 ? -1 : dismissal_write(m, c, e, first, second, at);
	snprintf(changes, sizeof changes, "{\"other\":%lld}", (long long)second);
	rc = rc || audit_append(c, m->u, "not-duplicate", e->def->name, first, vfirst, changes);
	snprintf(changes, sizeof changes, "{\"other\":%lld}", (long long)first);
	rc = rc || audit_append(c, m->u, "not-duplicate", e->def->name, second, vsecond, changes);
	if (rc) {
		store_rollback(c);
		return m->status ? -1 : model_fail(m, 500, "Store error", "the dismissal could not be written");
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the dismissal could not be written");
	buf_reset(&m->body);
	buf_printf(&m->body, "{\"kind\":\"%s\",\"first\":%lld,\"second\":%lld,\"dismissed_at\":\"%s\"}", e->def->name,
		   (long long)first, (long long)second, at);
	m->status = 200;
	return 0;
}
