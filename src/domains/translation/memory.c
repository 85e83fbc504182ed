/*
 * memory — the translation memory's units, their index, and the matching
 * engine that reads it (see memory.h for the interface, tmscore.h for the
 * scores).
 *
 * The index.  A unit's distinct token keys, each made a term of its language
 * pair, are posted under (term, bucket of the unit's length): tm_postings
 * rows of up to PART_MAX entries (unit id, its length, how often it holds
 * the term), written in the unit's transaction; tm_terms counts the units
 * per term.  A query reads a term's rows for the buckets of the lengths that
 * can reach the threshold: a range of the primary key.
 *
 * Why no unit that reaches the threshold t is missed.  Let the query have n
 * tokens and a unit m, max = max(n, m), and d their token edit distance.  An
 * edit script of d operations leaves at least max - d tokens of the longer
 * side untouched, each aligned to an equal token of the other: the two share
 * at least max - d tokens counted with repetition (their multiset overlap).
 * Scoring t after rounding needs max - d >= L(max) = tm_min_common(max, t),
 * so the unit shares at least L(max) >= L(n) tokens with the query, and
 * min(n, m) >= L(max) bounds m (the length filter).  Order the query's
 * distinct terms rarest first, t_1 .. t_u, with query multiplicities w_j,
 * and let T_i = w_i + ... + w_u.  A unit that holds none of t_1 .. t_{i-1}
 * shares at most T_i tokens with the query, since it can match t_j at most
 * w_j times.  So a unit of length m that can reach t holds some t_i with
 * T_i >= L(max(n, m)): reading, for each i, the lengths m with
 * L(max(n, m)) <= T_i finds every such unit ("generation"); the terms past
 * the point where T_i < L(n) find nothing new and only count.
 *
 * Then each candidate's overlap with the query is bounded from above: what
 * the lists read say it shares, plus the multiplicity of every list not
 * read.  Candidates are scored in the order of that bound, best first, and
 * the scoring stops when the bound falls below the k-th best score found:
 * none left could enter the top k.  Scoring a candidate reads its token keys
 * and computes the edit distance only in the band the k-th best score
 * still allows (tm_distance).
 *
 * The work of one query is bounded (QUERY_ENTRIES): a query of only very
 * common words ("the of the") would otherwise decode the postings of most of
 * the memory.  Lists of terms whose count would take the query past the bound
 * are not read; a list that only counts is skipped, which weakens the bound
 * of the candidates but loses none; a generating list skipped may lose
 * candidates that share nothing else with the query, and the query says so
 * (tm_stats.bounded).
 */
#include "domains/translation/memory.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/errmsg.h"
#include "core/fold.h"

#define PART_MAX 256                   /* entries in a row of tm_postings */
#define BATCH_FLUSH_BYTES (256u << 20) /* a batch writes what it holds beyond this */
#define QUERY_ENTRIES 1500000          /* postings one query decodes at most */
#define REFINE_PER_CANDIDATE 8         /* a counting list is read when no longer than this per candidate:
                                        * measured on 200,000 units, 2 scores 6 times more units and 64
                                        * decodes 3 times more postings, both slower than 8 */

/* ---- shared ------------------------------------------------------------- */

static int lang_ok(const char *l)
{
	return l && (!strcmp(l, "en") || !strcmp(l, "fr") || !strcmp(l, "es"));
}

static int pair_check(const char *sl, const char *tl, char *err, size_t errlen)
{
	if (!lang_ok(sl))
		return errmsg(err, errlen, "source_lang: '%s' is not en, fr or es", sl ? sl : "");
	if (!lang_ok(tl))
		return errmsg(err, errlen, "target_lang: '%s' is not en, fr or es", tl ? tl : "");
	if (!strcmp(sl, tl))
		return errmsg(err, errlen, "target_lang: the same language as the source");
	return 0;
}


/* A token key within a language pair: the pair's units alone share a term. */
static int64_t term_of(const char *sl, const char *tl, uint64_t key)
{
	return (int64_t)tm_mix(key ^ ((uint64_t)(unsigned char)sl[0] << 56 | (uint64_t)(unsigned char)sl[1] << 48 |
				   (uint64_t)(unsigned char)tl[0] << 40 | (uint64_t)(unsigned char)tl[1] << 32));
}

/* Lengths up to 8 are a bucket each; above, buckets about 20% wide: a
 * range of lengths reads few rows, and a length few more entries than it needs. */
static int bucket_of(size_t ntok)
{
	if (ntok <= 8)
		return (int)ntok;
	int b = 8;
	for (size_t top = 8; ntok > top; top += top / 5 + 1)
		b++;
	return b;
}

/* The exact-match hash: the pair and the normalized source. */
static int64_t source_hash(const char *sl, const char *tl, const char *s, int *bad)
{
	char *norm = tm_normalize(s, strlen(s));
	if (!norm) {
		*bad = 1;
		return 0;
	}
	buf b = BUF_INIT;
	buf_printf(&b, "%s\t%s\t%s", sl, tl, norm);
	int64_t h = (int64_t)tm_hash(b.data, b.len);
	buf_free(&b);
	free(norm);
	return h;
}

/* The context hash of a neighbouring segment: 0 for none. */
static int64_t context_hash(const char *s)
{
	if (!s)
		return 0;
	char *norm = tm_normalize(s, strlen(s));
	if (!norm)
		return 0;
	int64_t h = (int64_t)tm_hash(norm, strlen(norm));
	free(norm);
	return h;
}

static void put_varint(buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	buf_add(b, tmp, n);
}

/* The varint at *p (before end); 0 at a cut one, *p then at end. */
static uint64_t get_varint(const unsigned char **p, const unsigned char *end)
{
	uint64_t v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	*p = end;
	return 0;
}

/* A posting: the id as the distance from the one before, then the unit's
 * length with a bit for a count above one, then that count. */
static void put_entry(buf *b, int64_t *prev, int64_t id, uint32_t ntok, uint32_t count)
{
	put_varint(b, (uint64_t)(id - *prev));
	put_varint(b, (uint64_t)ntok << 1 | (count > 1));
	if (count > 1)
		put_varint(b, count);
	*prev = id;
}

static int get_entry(const unsigned char **p, const unsigned char *end, int64_t *id, uint32_t *ntok, uint32_t *count)
{
	if (*p >= end)
		return 0;
	*id += (int64_t)get_varint(p, end);
	uint64_t v = get_varint(p, end);
	*ntok = (uint32_t)(v >> 1);
	*count = v & 1 ? (uint32_t)get_varint(p, end) : 1;
	return 1;
}

/* A unit's tokens as stored: each key, then the literal of each number and
 * code in order (a word's literal is its key), 8 little-endian bytes each,
 * the same on every machine. */
static void put_u64(buf *out, uint64_t v)
{
	unsigned char b[8];
	for (int k = 0; k < 8; k++)
		b[k] = (unsigned char)(v >> (8 * k));
	buf_add(out, b, 8);
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v |= (uint64_t)p[k] << (8 * k);
	return v;
}

static void tokens_to_blob(const tm_tokens *t, buf *out)
{
	for (size_t i = 0; i < t->n; i++)
		put_u64(out, t->v[i].key);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind != TM_WORD)
			put_u64(out, t->v[i].literal);
}

/* The n keys and literals of a stored blob; -1 when it is not one of n tokens. */
static int tokens_from_blob(const unsigned char *p, size_t len, size_t n, uint64_t *keys, uint64_t *literals)
{
	size_t total = len / 8, lit = n;
	if (total < n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		keys[i] = literals[i] = get_u64(p + 8 * i);
		if (!tm_key_adaptable(keys[i]))
			continue;
		if (lit >= total)
			return -1;
		literals[i] = get_u64(p + 8 * lit++);
	}
	return 0;
}

/* ---- a map of 64-bit keys (never 0) to indexes -------------------------- */

typedef struct keymap {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, n;
} keymap;

static void keymap_free(keymap *m)
{
	free(m->keys);
	free(m->vals);
	*m = (keymap){ 0 };
}

static void keymap_grow(keymap *m)
{
	keymap old = *m;
	m->cap = old.cap ? 2 * old.cap : 1024;
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	if (!m->keys || !m->vals)
		abort();
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t s = tm_mix(old.keys[i]) & (m->cap - 1);
		while (m->keys[s])
			s = (s + 1) & (m->cap - 1);
		m->keys[s] = old.keys[i];
		m->vals[s] = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
}

/* The value of key; with add, a new key gets value fresh, and *added says so. */
static uint32_t *keymap_at(keymap *m, uint64_t key, int add, uint32_t fresh, int *added)
{
	if (add && 2 * (m->n + 1) > m->cap)
		keymap_grow(m);
	if (!m->cap)
		return NULL;
	size_t s = tm_mix(key) & (m->cap - 1);
	while (m->keys[s] && m->keys[s] != key)
		s = (s + 1) & (m->cap - 1);
	if (m->keys[s])
		return &m->vals[s];
	if (!add)
		return NULL;
	m->keys[s] = key;
	m->vals[s] = fresh;
	m->n++;
	if (added)
		*added = 1;
	return &m->vals[s];
}

/* ---- a unit made ready to save --------------------------------------------- */

typedef struct ready {
	tm_tokens tokens;
	uint64_t *keys;
	buf blob;
	int64_t hash, prev, next;
	char now[32];
} ready;

static void ready_free(ready *r)
{
	tm_tokens_free(&r->tokens);
	free(r->keys);
	buf_free(&r->blob);
}

static int text_check(const char *field, const char *s, int required, char *err, size_t errlen)
{
	if (!s)
		return required ? errmsg(err, errlen, "%s: missing", field) : 0;
	size_t n = strlen(s);
	if (required && !n)
		return errmsg(err, errlen, "%s: empty", field);
	if (!utf8_valid(s, n)) {
		size_t at = 0;
		tm_tokens t = TM_TOKENS_INIT;
		tm_tokenize(s, n, &t, &at);
		tm_tokens_free(&t);
		return errmsg(err, errlen, "%s: not UTF-8 at byte %zu", field, at);
	}
	return 0;
}

static int unit_ready(const tm_unit *u, ready *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (pair_check(u->source_lang, u->target_lang, err, errlen) ||
	    text_check("source", u->source, 1, err, errlen) || text_check("target", u->target, 1, err, errlen) ||
	    text_check("origin", u->origin, 0, err, errlen) || text_check("translator", u->translator, 0, err, errlen) ||
	    text_check("prev_source", u->prev_source, 0, err, errlen) ||
	    text_check("next_source", u->next_source, 0, err, errlen))
		return -1;
	if (u->created_at && !clock_valid_time(u->created_at))
		return errmsg(err, errlen, "created_at: '%s' is not YYYY-MM-DDThh:mm:ssZ", u->created_at);
	if (!u->created_at)
		clock_now_iso(r->now);
	size_t bad = 0;
	int broken = 0;
	if (tm_tokenize(u->source, strlen(u->source), &r->tokens, &bad))
		return errmsg(err, errlen, "source: not UTF-8 at byte %zu", bad);
	r->hash = source_hash(u->source_lang, u->target_lang, u->source, &broken);
	r->prev = context_hash(u->prev_source);
	r->next = context_hash(u->next_source);
	r->keys = malloc((r->tokens.n + 1) * sizeof *r->keys);
	if (!r->keys || broken)
		return errmsg(err, errlen, "source: cannot be read");
	tm_keys(&r->tokens, r->keys, 0);
	tokens_to_blob(&r->tokens, &r->blob);
	return 0;
}

static int unit_insert(store_conn *c, const tm_unit *u, const ready *r, int64_t *id)
{
	static const char *const cols[] = { "source_lang", "target_lang", "source", "target", "origin", "job",
					    "translator", "created_at", "source_hash", "prev_hash", "next_hash",
					    "ntok", "tokens" };
	store_value v[] = {
		sv_text(u->source_lang), sv_text(u->target_lang), sv_text(u->source), sv_text(u->target),
		sv_text(u->origin ? u->origin : ""), u->job ? SV_INT_(u->job) : SV_NUL,
		sv_text(u->translator ? u->translator : ""), sv_text(u->created_at ? u->created_at : r->now),
		SV_INT_(r->hash), SV_INT_(r->prev), SV_INT_(r->next), SV_INT_((int64_t)r->tokens.n),
		sv_blob(r->blob.data ? r->blob.data : "", r->blob.len),
	};
	return store_insert(c, "tm_units", cols, v, (int)(sizeof v / sizeof *v), id) == STORE_OK ? 0 : -1;
}

/* ---- the batch -------------------------------------------------------------- */

/* The postings gathered for one (term, bucket): entries as put_entry writes
 * them, the first one's distance from 0. */
typedef struct plist {
	int64_t term;
	int bucket;
	uint32_t n;
	buf bytes;
} plist;

typedef struct bterm {
	int64_t term;
	int64_t df;       /* units of the batch that hold it */
	int existed;      /* the database had it before the batch */
} bterm;

struct tm_batch {
	store_conn *c;
	keymap plist_at, term_at;
	plist *plists;
	size_t nplists, capplists;
	bterm *terms;
	size_t nterms, capterms;
	size_t bytes;
};

tm_batch *tm_batch_begin(store_conn *c)
{
	tm_batch *b = calloc(1, sizeof *b);
	if (b)
		b->c = c;
	return b;
}

static void batch_clear(tm_batch *b)
{
	for (size_t i = 0; i < b->nplists; i++)
		buf_free(&b->plists[i].bytes);
	keymap_free(&b->plist_at);
	keymap_free(&b->term_at);
	b->nplists = b->nterms = b->bytes = 0;
}

void tm_batch_abandon(tm_batch *b)
{
	if (!b)
		return;
	batch_clear(b);
	free(b->plists);
	free(b->terms);
	free(b);
}

static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	*cap = *cap ? 2 * *cap : 1024;
	v = realloc(v, *cap * size);
	if (!v)
		abort();
	return v;
}

static plist *plist_for(tm_batch *b, int64_t term, int bucket)
{
	uint64_t key = tm_mix((uint64_t)term + (uint64_t)bucket * 0x9e3779b97f4a7c15ULL);
	for (;;) {
		int added = 0;
		uint32_t *at = keymap_at(&b->plist_at, key, 1, (uint32_t)b->nplists, &added);
		if (added) {
			b->plists = grow(b->plists, &b->capplists, b->nplists + 1, sizeof *b->plists);
			b->plists[b->nplists] = (plist){ term, bucket, 0, BUF_INIT };
			return &b->plists[b->nplists++];
		}
		plist *p = &b->plists[*at];
		if (p->term == term && p->bucket == bucket)
			return p;
		key = tm_mix(key + 1);  /* two (term, bucket) on one key: the next key, as a probe */
	}
}

static void term_count(tm_batch *b, int64_t term)
{
	int added = 0;
	uint32_t *at = keymap_at(&b->term_at, (uint64_t)term, 1, (uint32_t)b->nterms, &added);
	if (added) {
		b->terms = grow(b->terms, &b->capterms, b->nterms + 1, sizeof *b->terms);
		b->terms[b->nterms++] = (bterm){ term, 0, 0 };
	}
	b->terms[*at].df++;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Each distinct key of the unit posted once, with how often the unit holds it. */
static void post_unit(tm_batch *b, const tm_unit *u, const ready *r, int64_t id)
{
	size_t n = r->tokens.n;
	uint64_t *sorted = malloc((n + 1) * sizeof *sorted);
	if (!sorted)
		abort();
	memcpy(sorted, r->keys, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_u64);
	int bucket = bucket_of(n);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		int64_t term = term_of(u->source_lang, u->target_lang, sorted[i]);
		plist *p = plist_for(b, term, bucket);
		size_t before = p->bytes.len;
		int64_t from_zero = 0;  /* a batch's entries hold whole ids: parts are cut at the flush */
		put_entry(&p->bytes, &from_zero, id, (uint32_t)n, (uint32_t)(j - i));
		p->n++;
		b->bytes += p->bytes.len - before;
		term_count(b, term);
	}
	free(sorted);
}

static int batch_flush(tm_batch *b, char *err, size_t errlen);

int tm_batch_add(tm_batch *b, const tm_unit *u, int64_t *id, char *err, size_t errlen)
{
	ready r;
	int64_t rowid = 0;
	int rc = -1;
	if (unit_ready(u, &r, err, errlen))
		goto out;
	if (unit_insert(b->c, u, &r, &rowid)) {
		errmsg(err, errlen, "the unit could not be saved: %s", store_errmsg(b->c));
		goto out;
	}
	post_unit(b, u, &r, rowid);
	if (id)
		*id = rowid;
	rc = b->bytes > BATCH_FLUSH_BYTES ? batch_flush(b, err, errlen) : 0;
out:
	ready_free(&r);
	return rc;
}

/* A row of tm_postings being filled: the last one stored, or a new one. */
typedef struct part {
	int64_t first, last;
	uint32_t n;
	buf bytes;
	int stored;
} part;

static int take_part(void *ctx, store_row *row)
{
	part *p = ctx;
	size_t n;
	const char *bytes = store_text(row, 3, &n);
	p->first = store_int(row, 0);
	p->last = store_int(row, 1);
	p->n = (uint32_t)store_int(row, 2);
	buf_add(&p->bytes, bytes ? bytes : "", n);
	p->stored = 1;
	return 1;
}

static int last_part(store_conn *c, int64_t term, int bucket, part *p)
{
	static const char *const cols[] = { "first_unit", "last_unit", "n", "units" };
	store_cond w[] = { COND_EQ("term", SV_INT_(term)), COND_EQ("bucket", SV_INT_(bucket)) };
	store_order o[] = { { "first_unit", 1, NOT_NULL } };
	store_select q = { .table = "tm_postings", .cols = cols, .ncols = 4, .where = w, .nwhere = 2,
			   .order = o, .norder = 1, .limit = 1 };
	return store_query(c, &q, take_part, p) == STORE_OK ? 0 : -1;
}

static int part_write(store_conn *c, int64_t term, int bucket, const part *p)
{
	store_value blob = sv_blob(p->bytes.data ? p->bytes.data : "", p->bytes.len);
	if (p->stored) {
		static const char *const cols[] = { "last_unit", "n", "units" };
		store_value v[] = { SV_INT_(p->last), SV_INT_(p->n), blob };
		store_cond w[] = { COND_EQ("term", SV_INT_(term)), COND_EQ("bucket", SV_INT_(bucket)),
				   COND_EQ("first_unit", SV_INT_(p->first)) };
		return store_update(c, "tm_postings", cols, v, 3, w, 3, NULL) == STORE_OK ? 0 : -1;
	}
	static const char *const cols[] = { "term", "bucket", "first_unit", "last_unit", "n", "units" };
	store_value v[] = { SV_INT_(term), SV_INT_(bucket), SV_INT_(p->first), SV_INT_(p->last), SV_INT_(p->n), blob };
	return store_insert(c, "tm_postings", cols, v, 6, NULL) == STORE_OK ? 0 : -1;
}

/* The gathered postings of one (term, bucket) appended to the last row
 * while it has room, then in new rows of PART_MAX. */
static int plist_write(store_conn *c, const plist *pl, int existed)
{
	part p = { 0, 0, 0, BUF_INIT, 0 };
	int rc = -1;
	if (existed && last_part(c, pl->term, pl->bucket, &p))
		goto out;
	if (p.stored && p.n >= PART_MAX) {
		buf_reset(&p.bytes);
		p = (part){ 0, 0, 0, p.bytes, 0 };
	}
	const unsigned char *at = (const unsigned char *)pl->bytes.data, *end = at + pl->bytes.len;
	int64_t id = 0;
	uint32_t ntok, count;
	while (id = 0, get_entry(&at, end, &id, &ntok, &count)) {
		if (p.n == PART_MAX) {
			if (part_write(c, pl->term, pl->bucket, &p))
				goto out;
			buf_reset(&p.bytes);
			p = (part){ 0, 0, 0, p.bytes, 0 };
		}
		if (!p.n)
			p.first = p.last = id;
		put_entry(&p.bytes, &p.last, id, ntok, count);
		p.n++;
	}
	rc = p.n ? part_write(c, pl->term, pl->bucket, &p) : 0;
out:
	buf_free(&p.bytes);
	return rc;
}

static int take_int(void *ctx, store_row *row)
{
	*(int64_t *)ctx = store_int(row, 0);
	return 1;
}

static int term_df(store_conn *c, int64_t term, int64_t *df)
{
	static const char *const cols[] = { "df" };
	store_cond w[] = { COND_EQ("term", SV_INT_(term)) };
	store_select q = { .table = "tm_terms", .cols = cols, .ncols = 1, .where = w, .nwhere = 1 };
	*df = 0;
	return store_query(c, &q, take_int, df) == STORE_OK ? 0 : -1;
}

static int term_write(store_conn *c, bterm *t)
{
	int64_t df;
	if (term_df(c, t->term, &df))
		return -1;
	t->existed = df > 0;
	static const char *const cols[] = { "term", "df" };
	store_value v[] = { SV_INT_(t->term), SV_INT_(df + t->df) };
	if (!t->existed)
		return store_insert(c, "tm_terms", cols, v, 2, NULL) == STORE_OK ? 0 : -1;
	store_cond w[] = { COND_EQ("term", SV_INT_(t->term)) };
	return store_update(c, "tm_terms", cols + 1, v + 1, 1, w, 1, NULL) == STORE_OK ? 0 : -1;
}

static int cmp_plist(const void *a, const void *b)
{
	const plist *x = *(const plist *const *)a, *y = *(const plist *const *)b;
	if (x->term != y->term)
		return x->term < y->term ? -1 : 1;
	return (x->bucket > y->bucket) - (x->bucket < y->bucket);
}

/* Everything gathered written, in the order of the index's key (the B-tree
 * is then filled from left to right), and the batch emptied. */
static int batch_flush(tm_batch *b, char *err, size_t errlen)
{
	const plist **order = malloc((b->nplists + 1) * sizeof *order);
	int rc = -1;
	if (!order)
		goto out;
	for (size_t i = 0; i < b->nterms; i++)
		if (term_write(b->c, &b->terms[i]))
			goto out;
	for (size_t i = 0; i < b->nplists; i++)
		order[i] = &b->plists[i];
	qsort(order, b->nplists, sizeof *order, cmp_plist);
	for (size_t i = 0; i < b->nplists; i++) {
		uint32_t *t = keymap_at(&b->term_at, (uint64_t)order[i]->term, 0, 0, NULL);
		if (plist_write(b->c, order[i], t && b->terms[*t].existed))
			goto out;
	}
	rc = 0;
out:
	if (rc)
		errmsg(err, errlen, "the memory's index could not be written: %s", store_errmsg(b->c));
	free(order);
	batch_clear(b);
	return rc;
}

int tm_batch_end(tm_batch *b, char *err, size_t errlen)
{
	int rc = batch_flush(b, err, errlen);
	tm_batch_abandon(b);
	return rc;
}

int tm_add(store_conn *c, const tm_unit *u, int64_t *id, char *err, size_t errlen)
{
	tm_batch *b = tm_batch_begin(c);
	if (!b)
		return errmsg(err, errlen, "out of memory");
	if (tm_batch_add(b, u, id, err, errlen)) {
		tm_batch_abandon(b);
		return -1;
	}
	return tm_batch_end(b, err, errlen);
}

/* ---- queries ------------------------------------------------------------------ */

#define K_MAX 100  /* results a query may ask for */

/* A query made ready: its tokens, keys and hashes. */
typedef struct asked {
	const tm_query *q;
	tm_tokens tokens;
	uint64_t *keys, *literals;
	size_t n;
	int64_t hash, prev, next;
	int has_literals;  /* some token is a number or a code */
} asked;

static void asked_free(asked *a)
{
	tm_tokens_free(&a->tokens);
	free(a->keys);
	free(a->literals);
}

static int asked_ready(const tm_query *q, asked *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->q = q;
	if (pair_check(q->source_lang, q->target_lang, err, errlen) || text_check("source", q->source, 1, err, errlen) ||
	    text_check("prev_source", q->prev_source, 0, err, errlen) ||
	    text_check("next_source", q->next_source, 0, err, errlen))
		return -1;
	if (q->threshold < 1 || q->threshold > 100)
		return errmsg(err, errlen, "threshold: %d is not from 1 to 100", q->threshold);
	if (q->k < 1 || q->k > K_MAX)
		return errmsg(err, errlen, "k: %d is not from 1 to %d", q->k, K_MAX);
	int broken = 0;
	if (tm_tokenize(q->source, strlen(q->source), &a->tokens, NULL))
		return errmsg(err, errlen, "source: cannot be read");
	a->n = a->tokens.n;
	a->keys = malloc((a->n + 1) * sizeof *a->keys);
	a->literals = malloc((a->n + 1) * sizeof *a->literals);
	if (!a->keys || !a->literals)
		return errmsg(err, errlen, "out of memory");
	tm_keys(&a->tokens, a->keys, 0);
	tm_keys(&a->tokens, a->literals, 1);
	for (size_t i = 0; i < a->n; i++)
		a->has_literals |= a->tokens.v[i].kind != TM_WORD;
	a->hash = source_hash(q->source_lang, q->target_lang, q->source, &broken);
	a->prev = context_hash(q->prev_source);
	a->next = context_hash(q->next_source);
	return 0;
}

/* A unit found, kept while it is among the best k. */
typedef struct found {
	int64_t id, job;
	int score, adapted;
	const char *source, *target, *origin, *translator, *created_at;
} found;

/* Whether x comes before y: the higher score, then the more recent. */
static int better(const found *x, const found *y)
{
	if (x->score != y->score)
		return x->score > y->score;
	int c = strcmp(x->created_at, y->created_at);
	if (c)
		return c > 0;
	return x->id > y->id;
}

/* The scorer's state across the units it is shown, by the index or by the scan. */
typedef struct judge {
	const asked *a;
	arena *ar;
	found top[K_MAX];
	size_t ntop, k;
	uint64_t *keys, *literals;  /* the unit's, room for cap */
	size_t cap;
	tm_stats *stats;
	int failed;
	int exact_only;            /* tm_exact: the same normalized source, no scoring */
} judge;

static const char *const unit_cols[] = { "id", "source", "target", "origin", "job", "translator", "created_at",
					 "source_hash", "prev_hash", "next_hash", "ntok", "tokens" };
#define UNIT_NCOLS 12

/* The least score a unit must have to enter the best k now. */
static int floor_score(const judge *j)
{
	int t = j->a->q->threshold;
	if (j->ntop == j->k && j->top[j->k - 1].score > t)
		t = j->top[j->k - 1].score;
	return t > 100 ? 100 : t;
}

static void keep(judge *j, const found *f)
{
	size_t at = j->ntop < j->k ? j->ntop++ : j->k - 1;
	while (at > 0 && better(f, &j->top[at - 1])) {
		j->top[at] = j->top[at - 1];
		at--;
	}
	j->top[at] = *f;
}

/* The score of a unit whose keys equal the query's at distance 0 but whose
 * numbers or codes differ: 100 adapted, or the literal tokens' score. */
static int literal_score(judge *j, store_row *row, size_t m, size_t max_d, found *f, char **adapted)
{
	const asked *a = j->a;
	size_t sn, tn;
	const char *src = store_text(row, 1, &sn), *target = store_text(row, 2, &tn);
	tm_tokens ct = TM_TOKENS_INIT;
	if (src && target && !tm_tokenize(src, sn, &ct, NULL) &&
	    tm_adapt(a->q->source, &a->tokens, &ct, target, tn, adapted) == 1) {
		tm_tokens_free(&ct);
		f->adapted = 1;
		return 100;
	}
	tm_tokens_free(&ct);
	long d = tm_distance(a->literals, a->n, j->literals, m, max_d);
	return d < 0 || (size_t)d > max_d ? -1 : tm_score(a->n, m, (size_t)d);
}

/* The unit's score against the query, or -1 below the floor. */
static int unit_score(judge *j, store_row *row, found *f, char **adapted)
{
	const asked *a = j->a;
	size_t len, m = (size_t)store_int(row, 10);
	const unsigned char *blob = (const unsigned char *)store_text(row, 11, &len);
	if (m + 1 > j->cap) {
		j->cap = 2 * (m + 1);
		j->keys = realloc(j->keys, j->cap * sizeof *j->keys);
		j->literals = realloc(j->literals, j->cap * sizeof *j->literals);
		if (!j->keys || !j->literals)
			abort();
	}
	if (!blob || tokens_from_blob(blob, len, m, j->keys, j->literals))
		return -1;
	size_t n = a->n, longer = n > m ? n : m, shorter = n + m - longer;
	size_t need = tm_min_common(longer, floor_score(j));
	if (need > shorter || !longer)
		return -1;
	size_t max_d = longer - need;
	long d = tm_distance(a->keys, n, j->keys, m, max_d);
	if (d < 0)
		j->failed = 1;
	if (d < 0 || (size_t)d > max_d)
		return -1;
	int unit_literals = memcmp(j->keys, j->literals, m * sizeof *j->keys) != 0;
	if (!a->has_literals && !unit_literals)
		return tm_score(n, m, (size_t)d);
	/* numbers or codes on a side: their values count, or are adapted */
	if (d == 0 && memcmp(a->literals, j->literals, n * sizeof *a->literals))
		return literal_score(j, row, m, max_d, f, adapted);
	if (d > 0)
		d = tm_distance(a->literals, n, j->literals, m, max_d);
	if (d < 0 || (size_t)d > max_d)
		return -1;
	return tm_score(n, m, (size_t)d);
}

/* Whether the unit is the query's very source: same normalized text. */
static int same_source(const asked *a, store_row *row)
{
	size_t sn;
	const char *src = store_text(row, 1, &sn);
	char *x = tm_normalize(a->q->source, strlen(a->q->source)), *y = src ? tm_normalize(src, sn) : NULL;
	int same = x && y && !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

static int in_context(const asked *a, store_row *row)
{
	return (a->prev || a->next) && store_int(row, 8) == a->prev && store_int(row, 9) == a->next &&
	       store_int(row, 7) == a->hash && same_source(a, row);
}

/* Judges one unit: kept when it is among the best k so far. */
static int judge_row(void *ctx, store_row *row)
{
	judge *j = ctx;
	found f = { .id = store_int(row, 0) };
	char *adapted = NULL;
	if (j->stats)
		j->stats->verified++;
	if (j->exact_only)
		f.score = same_source(j->a, row) ? 100 : -1;
	else
		f.score = unit_score(j, row, &f, &adapted);
	if (f.score < 0 || j->failed) {
		free(adapted);
		return j->failed;
	}
	if (f.score == 100 && !f.adapted && in_context(j->a, row))
		f.score = 101;
	f.created_at = store_text(row, 6, NULL);
	if (!f.created_at)
		f.created_at = "";
	if (j->ntop == j->k && !better(&f, &j->top[j->k - 1])) {
		free(adapted);
		return 0;
	}
	f.created_at = arena_strdup(j->ar, f.created_at);
	f.source = arena_strdup(j->ar, store_text(row, 1, NULL));
	f.target = adapted ? arena_strdup(j->ar, adapted) : arena_strdup(j->ar, store_text(row, 2, NULL));
	f.origin = arena_strdup(j->ar, store_text(row, 3, NULL));
	f.job = store_int(row, 4);
	f.translator = arena_strdup(j->ar, store_text(row, 5, NULL));
	free(adapted);
	keep(j, &f);
	return 0;
}

/* The results as the caller sees them, with the marks of each. */
static int results(judge *j, tm_match **out, size_t *nout)
{
	tm_match *v = arena_alloc(j->ar, (j->ntop + 1) * sizeof *v);
	for (size_t i = 0; i < j->ntop; i++) {
		const found *f = &j->top[i];
		v[i] = (tm_match){ f->id, f->score, f->adapted, f->source, f->target, f->origin, f->translator,
				   f->created_at, f->job, NULL, 0 };
		tm_tokens ct = TM_TOKENS_INIT;
		tm_mark *marks = NULL;
		size_t nm = 0;
		if (tm_tokenize(f->source, strlen(f->source), &ct, NULL) || tm_marks(&j->a->tokens, &ct, &marks, &nm)) {
			tm_tokens_free(&ct);
			return -1;
		}
		v[i].marks = arena_alloc(j->ar, (nm + 1) * sizeof *marks);
		if (nm)
			memcpy(v[i].marks, marks, nm * sizeof *marks);
		v[i].nmarks = nm;
		free(marks);
		tm_tokens_free(&ct);
	}
	*out = v;
	*nout = j->ntop;
	return 0;
}

static void judge_free(judge *j)
{
	free(j->keys);
	free(j->literals);
}

/* The units of the pair with the query's exact-match hash, judged. */
static int exact_units(store_conn *c, judge *j)
{
	store_cond w[] = { COND_EQ("source_hash", SV_INT_(j->a->hash)) };
	store_select q = { .table = "tm_units", .cols = unit_cols, .ncols = UNIT_NCOLS, .where = w, .nwhere = 1 };
	return store_query(c, &q, judge_row, j) == STORE_OK && !j->failed ? 0 : -1;
}

/* Every unit of the pair judged (scan), or those with the query's exact
 * source (exact): the two answers that read no posting. */
static int judged(store_conn *c, const tm_query *q, int exact, arena *ar, tm_match **out, size_t *nout, char *err,
		  size_t errlen)
{
	asked a;
	judge j = { .a = &a, .ar = ar, .k = (size_t)q->k, .exact_only = exact };
	int rc = -1;
	*out = NULL;
	*nout = 0;
	if (asked_ready(q, &a, err, errlen))
		goto out;
	store_cond w[] = { COND_EQ("source_lang", sv_text(q->source_lang)), COND_EQ("target_lang", sv_text(q->target_lang)) };
	store_select sel = { .table = "tm_units", .cols = unit_cols, .ncols = UNIT_NCOLS, .where = w, .nwhere = 2 };
	int read = exact ? exact_units(c, &j) : store_query(c, &sel, judge_row, &j) == STORE_OK && !j.failed ? 0 : -1;
	if (read || results(&j, out, nout)) {
		errmsg(err, errlen, "the memory could not be read: %s", store_errmsg(c));
		goto out;
	}
	rc = 0;
out:
	judge_free(&j);
	asked_free(&a);
	return rc;
}

int tm_exact(store_conn *c, const tm_query *q, arena *ar, tm_match **out, size_t *nout, char *err, size_t errlen)
{
	return judged(c, q, 1, ar, out, nout, err, errlen);
}

int tm_fuzzy_scan(store_conn *c, const tm_query *q, arena *ar, tm_match **out, size_t *nout, char *err,
		  size_t errlen)
{
	return judged(c, q, 0, ar, out, nout, err, errlen);
}

/* ---- the index's candidates ------------------------------------------------------ */

/* A distinct term of the query: how often the query holds it, how many units do. */
typedef struct qterm {
	int64_t term;
	uint32_t w;
	int64_t df;
} qterm;

static int cmp_rarity(const void *a, const void *b)
{
	const qterm *x = a, *y = b;
	if (x->df != y->df)
		return x->df < y->df ? -1 : 1;
	return (x->term > y->term) - (x->term < y->term);
}

/* The query's distinct terms, rarest first; their number. */
static size_t query_terms(store_conn *c, const asked *a, qterm *out)
{
	uint64_t *sorted = malloc((a->n + 1) * sizeof *sorted);
	size_t u = 0;
	if (!sorted)
		abort();
	memcpy(sorted, a->keys, a->n * sizeof *sorted);
	qsort(sorted, a->n, sizeof *sorted, cmp_u64);
	for (size_t i = 0, j; i < a->n; i = j) {
		for (j = i + 1; j < a->n && sorted[j] == sorted[i]; j++)
			;
		out[u].term = term_of(a->q->source_lang, a->q->target_lang, sorted[i]);
		out[u].w = (uint32_t)(j - i);
		if (term_df(c, out[u].term, &out[u].df))
			out[u].df = -1;
		u++;
	}
	free(sorted);
	qsort(out, u, sizeof *out, cmp_rarity);
	return u;
}

/* A unit met in the lists: its length, the tokens it shares with the query so far. */
typedef struct cand {
	int64_t id;
	uint32_t ntok, shared;
	int bound;
} cand;

typedef struct gather {
	keymap at;
	cand *v;
	size_t n, cap;
	uint32_t lo, hi;  /* the lengths that can reach the threshold */
	uint32_t gen_hi;  /* the lengths this list generates candidates for; 0: none */
	uint32_t w;       /* the query's multiplicity of the term read */
	uint64_t entries;
} gather;

static int take_postings(void *ctx, store_row *row)
{
	gather *g = ctx;
	size_t len;
	const unsigned char *p = (const unsigned char *)store_text(row, 1, &len), *end = p + len;
	int64_t id = store_int(row, 0);
	uint32_t m, count;
	while (p && get_entry(&p, end, &id, &m, &count)) {
		g->entries++;
		if (m < g->lo || m > g->hi)
			continue;
		int added = 0;
		uint32_t *at = keymap_at(&g->at, (uint64_t)id, m <= g->gen_hi, (uint32_t)g->n, &added);
		if (!at)
			continue;
		if (added) {
			g->v = grow(g->v, &g->cap, g->n + 1, sizeof *g->v);
			g->v[g->n++] = (cand){ id, m, 0, 0 };
		}
		g->v[*at].shared += count < g->w ? count : g->w;
	}
	return 0;
}

static int read_list(store_conn *c, gather *g, int64_t term)
{
	static const char *const cols[] = { "first_unit", "units" };
	store_cond w[] = { COND_EQ("term", SV_INT_(term)), COND("bucket", OP_GE, SV_INT_(bucket_of(g->lo))),
			   COND("bucket", OP_LE, SV_INT_(bucket_of(g->hi))) };
	store_select q = { .table = "tm_postings", .cols = cols, .ncols = 2, .where = w, .nwhere = 3 };
	return store_query(c, &q, take_postings, g) == STORE_OK ? 0 : -1;
}

/* Reads the lists of the query's terms, rarest first (see the top of this
 * file); the multiplicity of the lists left unread, or -1. */
static long gather_candidates(store_conn *c, const asked *a, int t, gather *g, tm_stats *stats)
{
	qterm *terms = malloc((a->n + 1) * sizeof *terms);
	size_t u = query_terms(c, a, terms), n = a->n;
	size_t need_n = tm_min_common(n, t);
	long unread = 0, rest = (long)n;  /* rest: T_i, the multiplicity of terms i and after */
	g->lo = (uint32_t)(need_n ? need_n : 1);
	g->hi = (uint32_t)(200 * n / (size_t)(2 * t - 1));
	for (size_t i = 0; i < u; i++) {
		qterm *q = &terms[i];
		int generating = rest >= (long)need_n;
		rest -= q->w;
		if (q->df < 0) {
			unread = -1;
			break;
		}
		if (!q->df)
			continue;  /* no unit holds it: nothing to read, nothing unread */
		int refine_cheap = (uint64_t)q->df <= REFINE_PER_CANDIDATE * (uint64_t)g->n;
		int within = g->entries + (uint64_t)q->df <= QUERY_ENTRIES;
		if (!within || (!generating && !refine_cheap)) {
			unread += q->w;
			stats->bounded |= generating;
			continue;
		}
		size_t reach = 200 * (size_t)(rest + q->w) / (size_t)(2 * t - 1);
		g->gen_hi = generating ? (uint32_t)(reach < n ? n : reach > g->hi ? g->hi : reach) : 0;
		g->w = q->w;
		stats->lists++;
		if (read_list(c, g, q->term)) {
			unread = -1;
			break;
		}
	}
	free(terms);
	return unread;
}

static int cmp_bound(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->bound != y->bound)
		return x->bound > y->bound ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* Each candidate's best possible score, those that can reach the threshold
 * first in order of it; their number. */
static size_t rank_candidates(gather *g, size_t n, long unread, int t)
{
	size_t kept = 0;
	for (size_t i = 0; i < g->n; i++) {
		cand *c = &g->v[i];
		size_t m = c->ntok, longer = n > m ? n : m, shorter = n + m - longer;
		size_t shared = c->shared + (size_t)unread;
		if (shared > shorter)
			shared = shorter;
		c->bound = tm_score(n, m, longer - shared);
		if (c->bound >= t)
			g->v[kept++] = *c;
	}
	if (kept)
		qsort(g->v, kept, sizeof *g->v, cmp_bound);
	return kept;
}

/* Scores the candidates in the order of their bound, each unit once
 * across the stages (seen). */
static int verify(store_conn *c, judge *j, gather *g, size_t kept, keymap *seen)
{
	for (size_t i = 0; i < kept; i++) {
		int floor = j->ntop == j->k ? j->top[j->k - 1].score : 0;
		if (g->v[i].bound < (floor > 100 ? 100 : floor))
			break;  /* none after can enter the best k */
		int added = 0;
		keymap_at(seen, (uint64_t)g->v[i].id, 1, 0, &added);
		if (!added)
			continue;
		store_cond w[] = { COND_EQ("id", SV_INT_(g->v[i].id)) };
		store_select q = { .table = "tm_units", .cols = unit_cols, .ncols = UNIT_NCOLS, .where = w, .nwhere = 1 };
		if (store_query(c, &q, judge_row, j) != STORE_OK || j->failed)
			return -1;
	}
	return 0;
}

/*
 * The index read in two stages.  A memory holds near-duplicates: a first
 * stage at a high threshold reads only the query's rarest lists (few
 * tokens may differ, so few need be looked up), and when it fills the best
 * k, their k-th score is the threshold of the second, which reads
 * correspondingly few lists; without it, the second stage at the query's
 * threshold reads what a single one would.  Either way every unit that can
 * enter the best k is found: the second stage's threshold is one it must
 * reach.
 */
#define FIRST_STAGE 90

static int stage(store_conn *c, const asked *a, judge *j, gather *g, int t, keymap *seen)
{
	keymap_free(&g->at);
	g->n = g->entries = 0;
	long unread = gather_candidates(c, a, t, g, j->stats);
	if (unread < 0)
		return -1;
	j->stats->entries += g->entries;
	j->stats->candidates += g->n;
	return verify(c, j, g, rank_candidates(g, a->n, unread, t), seen);
}

static int stages(store_conn *c, const asked *a, judge *j, gather *g)
{
	keymap seen = { 0 };
	int t = a->q->threshold, rc = -1;
	if (t < FIRST_STAGE && stage(c, a, j, g, FIRST_STAGE, &seen))
		goto out;
	if (j->ntop == j->k && j->top[j->k - 1].score >= FIRST_STAGE) {
		rc = 0;  /* the first stage's threshold was the one to reach */
		goto out;
	}
	if (j->ntop == j->k && j->top[j->k - 1].score > t)
		t = j->top[j->k - 1].score;
	j->stats->bounded = 0;  /* the second stage reads what the first may have left */
	rc = stage(c, a, j, g, t, &seen);
out:
	keymap_free(&seen);
	return rc;
}

int tm_fuzzy(store_conn *c, const tm_query *q, arena *ar, tm_match **out, size_t *nout, tm_stats *stats, char *err,
	     size_t errlen)
{
	asked a;
	tm_stats local;
	judge j = { .a = &a, .ar = ar, .k = (size_t)q->k, .stats = stats ? stats : &local };
	gather g = { 0 };
	int rc = -1;
	*out = NULL;
	*nout = 0;
	memset(j.stats, 0, sizeof *j.stats);
	if (asked_ready(q, &a, err, errlen))
		goto out;
	if (!a.n) {
		/* no words to compare: only the very same text matches */
		j.exact_only = 1;
		if (exact_units(c, &j) || results(&j, out, nout))
			goto fail;
		rc = 0;
		goto out;
	}
	if (stages(c, &a, &j, &g) || results(&j, out, nout))
		goto fail;
	rc = 0;
	goto out;
fail:
	errmsg(err, errlen, "the memory could not be read: %s", store_errmsg(c));
out:
	keymap_free(&g.at);
	free(g.v);
	judge_free(&j);
	asked_free(&a);
	return rc;
}
