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
 * can reach the threshold: a range of the primary key.  A unit's token keys
 * are also kept apart from its texts (tm_keys), so that scoring a candidate
 * reads a row of a few hundred bytes, and its texts only when its score may
 * enter the results.
 *
 * A batch (a bulk load) appends each unit's postings to one array, and,
 * when it writes them, sorts them by term and bucket in passes over the
 * array (by bucket, then by the term's top bits, each bin then in order or
 * nearly), and writes each (term, bucket) run as rows of PART_MAX with
 * inserts prepared once.
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
 * read.  That bound only falls as the counting lists are read: before each,
 * the candidates whose bound with every list left is below L(max(n, m))
 * are dropped (prune), and a list is read only when it costs less than
 * scoring the candidates left (worth_counting); once they are few, only
 * the parts of a list that hold one of them are decoded (some_between).
 * Candidates are scored in the order of that bound, best first, and
 * the scoring stops when the bound falls below the k-th best score found:
 * none left could enter the top k.  Scoring a candidate reads its token keys
 * and computes the edit distance only in the band the k-th best score
 * still allows (tm_distance).
 *
 * The generating lists of one query are bounded (QUERY_ENTRIES): a query of
 * only very common words ("the of the") would otherwise gather most of the
 * memory as candidates.  A generating list that would take the query past
 * the bound is not read, which may lose candidates that share nothing else
 * with the query, and the query says so (tm_stats.bounded).  A list that
 * only counts and is not read weakens the bound of the candidates but loses
 * none: they are scored instead.
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
#define SORT_BIN_BITS 16               /* a batch's postings sorted first by this many top bits of their term */
#define QUERY_ENTRIES 1500000          /* postings one query decodes at most */
#define ROW_COST 32                    /* a row of a list read, in postings decoded */
#define VERIFY_COST 256                /* a unit's keys read and scored, in postings decoded */

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


/* The language pair as a number, tm_keys.pair: its four letters. */
static int64_t pair_code(const char *sl, const char *tl)
{
	return (int64_t)((uint32_t)(unsigned char)sl[0] << 24 | (uint32_t)(unsigned char)sl[1] << 16 |
			 (uint32_t)(unsigned char)tl[0] << 8 | (uint32_t)(unsigned char)tl[1]);
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
	buf b = BUF_INIT;  /* "sl\ttl\tnorm", made without printf: a bulk load makes one per unit */
	buf_puts(&b, sl);
	buf_putc(&b, '\t');
	buf_puts(&b, tl);
	buf_putc(&b, '\t');
	buf_puts(&b, norm);
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

/* ---- a unit made ready to save --------------------------------------------- */

struct tm_ready {
	tm_tokens tokens;
	uint64_t *keys;
	buf blob;
	int64_t hash, prev, next;
	char now[32];
};

static void ready_free(tm_ready *r)
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

static int unit_ready(const tm_unit *u, tm_ready *r, char *err, size_t errlen)
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

tm_ready *tm_ready_make(const tm_unit *u, char *err, size_t errlen)
{
	tm_ready *r = malloc(sizeof *r);
	if (!r) {
		errmsg(err, errlen, "out of memory");
		return NULL;
	}
	if (unit_ready(u, r, err, errlen)) {
		tm_ready_free(r);
		return NULL;
	}
	return r;
}

void tm_ready_free(tm_ready *r)
{
	if (!r)
		return;
	ready_free(r);
	free(r);
}

/* ---- the batch -------------------------------------------------------------- */

/* A posting gathered by the batch: the unit holds the term count times. */
typedef struct gathered {
	int64_t term, id;
	uint32_t ntok, count;
	int bucket;
} gathered;

/* The inserts a batch runs for every unit and part, their SQL built once. */
enum { INSERT_UNIT, INSERT_KEYS, INSERT_PART, INSERT_TERM, INSERTS };

static const char *const unit_write_cols[] = { "source_lang", "target_lang", "source", "target", "origin", "job",
					       "translator", "created_at", "source_hash", "prev_hash", "next_hash" };
static const char *const keys_write_cols[] = { "id", "pair", "ntok", "tokens" };
static const char *const part_write_cols[] = { "term", "bucket", "first_unit", "last_unit", "n", "units" };
static const char *const term_write_cols[] = { "term", "df" };

struct tm_batch {
	store_conn *c;
	char *sql[INSERTS];
	gathered *v;  /* what the units of the batch post, in the order they came */
	size_t n, cap;
	uint64_t *sorted;  /* a unit's keys in order, room for nsorted */
	size_t nsorted;
};

tm_batch *tm_batch_begin(store_conn *c)
{
	tm_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->c = c;
	b->sql[INSERT_UNIT] = store_insert_sql("tm_units", unit_write_cols, 11);
	b->sql[INSERT_KEYS] = store_insert_sql("tm_keys", keys_write_cols, 4);
	b->sql[INSERT_PART] = store_insert_sql("tm_postings", part_write_cols, 6);
	b->sql[INSERT_TERM] = store_insert_sql("tm_terms", term_write_cols, 2);
	for (int i = 0; i < INSERTS; i++) {
		if (!b->sql[i]) {
			tm_batch_abandon(b);
			return NULL;
		}
	}
	return b;
}

void tm_batch_abandon(tm_batch *b)
{
	if (!b)
		return;
	for (int i = 0; i < INSERTS; i++)
		free(b->sql[i]);
	free(b->v);
	free(b->sorted);
	free(b);
}

static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	*cap = *cap ? 2 * *cap : 1024;
	if (*cap < need)
		*cap = need;
	v = realloc(v, *cap * size);
	if (!v)
		abort();
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The unit's rows: its texts, and its keys under the same id. */
static int unit_insert(tm_batch *b, const tm_unit *u, const tm_ready *r, int64_t *id)
{
	store_value v[] = {
		sv_text(u->source_lang), sv_text(u->target_lang), sv_text(u->source), sv_text(u->target),
		sv_text(u->origin ? u->origin : ""), u->job ? SV_INT_(u->job) : SV_NUL,
		sv_text(u->translator ? u->translator : ""), sv_text(u->created_at ? u->created_at : r->now),
		SV_INT_(r->hash), SV_INT_(r->prev), SV_INT_(r->next),
	};
	if (store_insert_with(b->c, b->sql[INSERT_UNIT], v, 11, id) != STORE_OK)
		return -1;
	store_value k[] = { SV_INT_(*id), SV_INT_(pair_code(u->source_lang, u->target_lang)),
			    SV_INT_((int64_t)r->tokens.n), sv_blob(r->blob.data ? r->blob.data : "", r->blob.len) };
	return store_insert_with(b->c, b->sql[INSERT_KEYS], k, 4, NULL) == STORE_OK ? 0 : -1;
}

/* Each distinct key of the unit posted once, with how often the unit holds
 * it: appended to one array, sorted by term when written (tm_batch's
 * writes then cost a sort, not a look-up per posting). */
static void post_unit(tm_batch *b, const tm_unit *u, const tm_ready *r, int64_t id)
{
	size_t n = r->tokens.n;
	b->sorted = grow(b->sorted, &b->nsorted, n + 1, sizeof *b->sorted);
	memcpy(b->sorted, r->keys, n * sizeof *b->sorted);
	qsort(b->sorted, n, sizeof *b->sorted, cmp_u64);
	int bucket = bucket_of(n);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && b->sorted[j] == b->sorted[i]; j++)
			;
		b->v = grow(b->v, &b->cap, b->n + 1, sizeof *b->v);
		b->v[b->n++] = (gathered){ term_of(u->source_lang, u->target_lang, b->sorted[i]), id, (uint32_t)n,
					   (uint32_t)(j - i), bucket };
	}
}

static int batch_flush(tm_batch *b, char *err, size_t errlen);

int tm_batch_add_ready(tm_batch *b, const tm_unit *u, const tm_ready *r, int64_t *id, char *err, size_t errlen)
{
	int64_t rowid = 0;
	if (unit_insert(b, u, r, &rowid))
		return errmsg(err, errlen, "the unit could not be saved: %s", store_errmsg(b->c));
	post_unit(b, u, r, rowid);
	if (id)
		*id = rowid;
	return b->n * sizeof *b->v > BATCH_FLUSH_BYTES ? batch_flush(b, err, errlen) : 0;
}

int tm_batch_add(tm_batch *b, const tm_unit *u, int64_t *id, char *err, size_t errlen)
{
	tm_ready r;
	int rc = unit_ready(u, &r, err, errlen) ? -1 : tm_batch_add_ready(b, u, &r, id, err, errlen);
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

static int part_write(tm_batch *b, int64_t term, int bucket, const part *p)
{
	store_value blob = sv_blob(p->bytes.data ? p->bytes.data : "", p->bytes.len);
	if (p->stored) {
		static const char *const cols[] = { "last_unit", "n", "units" };
		store_value v[] = { SV_INT_(p->last), SV_INT_(p->n), blob };
		store_cond w[] = { COND_EQ("term", SV_INT_(term)), COND_EQ("bucket", SV_INT_(bucket)),
				   COND_EQ("first_unit", SV_INT_(p->first)) };
		return store_update(b->c, "tm_postings", cols, v, 3, w, 3, NULL) == STORE_OK ? 0 : -1;
	}
	store_value v[] = { SV_INT_(term), SV_INT_(bucket), SV_INT_(p->first), SV_INT_(p->last), SV_INT_(p->n), blob };
	return store_insert_with(b->c, b->sql[INSERT_PART], v, 6, NULL) == STORE_OK ? 0 : -1;
}

/* The postings of one (term, bucket), n of them in the order of their ids,
 * appended to the last row while it has room, then in new rows of PART_MAX. */
static int plist_write(tm_batch *b, const gathered *g, size_t n, int existed)
{
	part p = { 0, 0, 0, BUF_INIT, 0 };
	int rc = -1;
	if (existed && last_part(b->c, g->term, g->bucket, &p))
		goto out;
	if (p.stored && p.n >= PART_MAX) {
		buf_reset(&p.bytes);
		p = (part){ 0, 0, 0, p.bytes, 0 };
	}
	for (size_t i = 0; i < n; i++) {
		if (p.n == PART_MAX) {
			if (part_write(b, g->term, g->bucket, &p))
				goto out;
			buf_reset(&p.bytes);
			p = (part){ 0, 0, 0, p.bytes, 0 };
		}
		if (!p.n)
			p.first = p.last = g[i].id;
		put_entry(&p.bytes, &p.last, g[i].id, g[i].ntok, g[i].count);
		p.n++;
	}
	rc = p.n ? part_write(b, g->term, g->bucket, &p) : 0;
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

/* The count of units that hold term, more by units; *existed: the database
 * had the term before. */
static int term_write(tm_batch *b, int64_t term, int64_t units, int *existed)
{
	int64_t df;
	if (term_df(b->c, term, &df))
		return -1;
	*existed = df > 0;
	store_value v[] = { SV_INT_(term), SV_INT_(df + units) };
	if (!*existed)
		return store_insert_with(b->c, b->sql[INSERT_TERM], v, 2, NULL) == STORE_OK ? 0 : -1;
	store_cond w[] = { COND_EQ("term", SV_INT_(term)) };
	return store_update(b->c, "tm_terms", term_write_cols + 1, v + 1, 1, w, 1, NULL) == STORE_OK ? 0 : -1;
}

static int cmp_gathered(const void *a, const void *b)
{
	const gathered *x = a, *y = b;
	if (x->term != y->term)
		return x->term < y->term ? -1 : 1;
	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* The bin of a posting by its term's top bits, as the index orders terms
 * (signed), or by its bucket. */
static size_t term_bin(const gathered *g)
{
	return (size_t)(((uint64_t)g->term ^ (1ULL << 63)) >> (64 - SORT_BIN_BITS));
}

static size_t bucket_bin(const gathered *g)
{
	return g->bucket < 255 ? (size_t)g->bucket : 255;
}

/* The n postings of from placed into to by bin, keeping their order within
 * a bin; ends[k] is then where bin k ends. */
static void place_by(const gathered *from, gathered *to, size_t n, size_t (*bin)(const gathered *), size_t *ends,
		     size_t nbins)
{
	memset(ends, 0, (nbins + 1) * sizeof *ends);
	for (size_t i = 0; i < n; i++)
		ends[bin(&from[i]) + 1]++;
	for (size_t k = 1; k <= nbins; k++)
		ends[k] += ends[k - 1];
	for (size_t i = 0; i < n; i++)
		to[ends[bin(&from[i])]++] = from[i];
}

/* What was gathered in the order of (term, bucket, id), in passes over the
 * array rather than comparisons: placed by bucket, then by the top bits of
 * the term, keeping the order of the ids they came in; a bin is then in
 * order but where it mixes terms, a few dozen postings sorted in place.
 * (A common word's postings, a tenth of all, fill a bin of their own.) */
static void gathered_sort(tm_batch *b)
{
	size_t nbins = 1u << SORT_BIN_BITS, *ends = malloc((nbins + 1) * sizeof *ends);
	gathered *other = malloc((b->n + 1) * sizeof *other);
	if (!ends || !other)
		abort();
	place_by(b->v, other, b->n, bucket_bin, ends, 256);
	place_by(other, b->v, b->n, term_bin, ends, nbins);
	for (size_t k = 0, from = 0; k < nbins; from = ends[k++]) {
		size_t i = from + 1;
		while (i < ends[k] && cmp_gathered(&b->v[i - 1], &b->v[i]) < 0)
			i++;
		if (i < ends[k])
			qsort(b->v + from, ends[k] - from, sizeof *b->v, cmp_gathered);
	}
	free(other);
	free(ends);
}

/* Everything gathered written, in the order of the index's key (the B-tree
 * is then filled from left to right), and the batch emptied. */
static int batch_flush(tm_batch *b, char *err, size_t errlen)
{
	int rc = -1;
	gathered_sort(b);
	for (size_t i = 0, end; i < b->n; i = end) {
		for (end = i + 1; end < b->n && b->v[end].term == b->v[i].term; end++)
			;
		int existed;
		if (term_write(b, b->v[i].term, (int64_t)(end - i), &existed))
			goto out;
		for (size_t k = i, next; k < end; k = next) {
			for (next = k + 1; next < end && b->v[next].bucket == b->v[k].bucket; next++)
				;
			if (plist_write(b, &b->v[k], next - k, existed))
				goto out;
		}
	}
	rc = 0;
out:
	if (rc)
		errmsg(err, errlen, "the memory's index could not be written: %s", store_errmsg(b->c));
	b->n = 0;
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

/* A query made ready: its tokens, keys and hashes, and the SQL of the
 * look-ups it repeats, built once. */
typedef struct asked {
	const tm_query *q;
	tm_tokens tokens;
	uint64_t *keys, *literals;
	size_t n;
	int64_t hash, prev, next;
	int has_literals;  /* some token is a number or a code */
	char *keys_sql, *unit_sql, *list_sql;
} asked;

static void asked_free(asked *a)
{
	tm_tokens_free(&a->tokens);
	free(a->keys);
	free(a->literals);
	free(a->keys_sql);
	free(a->unit_sql);
	free(a->list_sql);
}

static const char *const key_cols[] = { "id", "ntok", "tokens" };
static const char *const unit_cols[] = { "id", "source", "target", "origin", "job", "translator", "created_at",
					 "source_hash", "prev_hash", "next_hash" };
#define UNIT_NCOLS 10
static const char *const list_cols[] = { "first_unit", "last_unit", "units" };

/* The shapes of the look-ups by id and of a list's rows, as SQL. */
static int asked_sql(asked *a)
{
	store_cond by_id[] = { COND_EQ("id", SV_INT_(0)) };
	store_cond in_list[] = { COND_EQ("term", SV_INT_(0)), COND("bucket", OP_GE, SV_INT_(0)),
				 COND("bucket", OP_LE, SV_INT_(0)) };
	store_select keys = { .table = "tm_keys", .cols = key_cols, .ncols = 3, .where = by_id, .nwhere = 1 };
	store_select unit = { .table = "tm_units", .cols = unit_cols, .ncols = UNIT_NCOLS, .where = by_id, .nwhere = 1 };
	store_select list = { .table = "tm_postings", .cols = list_cols, .ncols = 3, .where = in_list, .nwhere = 3 };
	a->keys_sql = store_select_sql(&keys);
	a->unit_sql = store_select_sql(&unit);
	a->list_sql = store_select_sql(&list);
	return a->keys_sql && a->unit_sql && a->list_sql ? 0 : -1;
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
	if (!a->keys || !a->literals || asked_sql(a))
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

/* The scorer's state across the units it is shown, by the index or by the
 * scan.  A unit is judged in two steps: its keys (tm_keys), and, only when
 * their score may enter the best k, its row (tm_units). */
typedef struct judge {
	const asked *a;
	store_conn *c;
	arena *ar;
	found top[K_MAX];
	size_t ntop, k;
	uint64_t *keys, *literals;  /* the unit's, room for cap */
	size_t cap, m;
	int keys_score;            /* the score its keys give */
	int literal_pending;       /* equal keys, other numbers or codes: the texts decide */
	tm_stats *stats;
	int failed;
	int exact_only;            /* tm_exact: the same normalized source, no scoring */
} judge;

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
static int literal_score(judge *j, store_row *row, found *f, char **adapted)
{
	const asked *a = j->a;
	size_t sn, tn, m = j->m, longer = a->n > m ? a->n : m;
	size_t max_d = longer - tm_min_common(longer, floor_score(j));
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

/* The score of the unit's keys (j->keys, j->m of them) against the query,
 * or -1 below the floor; j->literal_pending when the texts must decide. */
static int keys_score(judge *j)
{
	const asked *a = j->a;
	size_t n = a->n, m = j->m, longer = n > m ? n : m, shorter = n + m - longer;
	size_t need = tm_min_common(longer, floor_score(j));
	j->literal_pending = 0;
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
	if (d == 0 && memcmp(a->literals, j->literals, n * sizeof *a->literals)) {
		j->literal_pending = 1;
		return 100;  /* at most: adapted, or fewer by the literals */
	}
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

/* Judges a unit's row: kept when it is among the best k so far.  Its score
 * is its keys' (j->keys_score), finished here from the texts, or, for an
 * exact match, whether its source is the query's. */
static int judge_row(void *ctx, store_row *row)
{
	judge *j = ctx;
	found f = { .id = store_int(row, 0) };
	char *adapted = NULL;
	if (j->exact_only)
		f.score = same_source(j->a, row) ? 100 : -1;
	else
		f.score = j->literal_pending ? literal_score(j, row, &f, &adapted) : j->keys_score;
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

/* Judges a unit by its keys (id, ntok, tokens); its row is read only when
 * the score may enter the best k: at least the k-th's, which a tie may
 * pass by recency, and 100 may become 101 in context. */
static int judge_keys(void *ctx, store_row *row)
{
	judge *j = ctx;
	int64_t id = store_int(row, 0);
	size_t len, m = (size_t)store_int(row, 1);
	const unsigned char *blob = (const unsigned char *)store_text(row, 2, &len);
	j->stats->verified++;
	size_t had = j->cap;
	j->keys = grow(j->keys, &j->cap, m + 1, sizeof *j->keys);
	if (j->cap != had && !(j->literals = realloc(j->literals, j->cap * sizeof *j->literals)))
		abort();
	j->m = m;
	if (!blob || tokens_from_blob(blob, len, m, j->keys, j->literals))
		return 0;
	int score = keys_score(j);
	if (score < 0 || j->failed)
		return j->failed;
	int best = score == 100 && (j->a->prev || j->a->next) ? 101 : score;
	if (j->ntop == j->k && best < j->top[j->k - 1].score)
		return 0;
	j->keys_score = score;
	store_cond w[] = { COND_EQ("id", SV_INT_(id)) };
	store_select q = { .table = "tm_units", .cols = unit_cols, .ncols = UNIT_NCOLS, .where = w, .nwhere = 1,
			   .sql = j->a->unit_sql };
	if (store_query(j->c, &q, judge_row, j) != STORE_OK)
		j->failed = 1;
	return j->failed;
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
	tm_stats unused;
	judge j = { .a = &a, .c = c, .ar = ar, .k = (size_t)q->k, .exact_only = exact, .stats = &unused };
	int rc = -1;
	*out = NULL;
	*nout = 0;
	if (asked_ready(q, &a, err, errlen))
		goto out;
	store_cond w[] = { COND_EQ("pair", SV_INT_(pair_code(q->source_lang, q->target_lang))) };
	store_select sel = { .table = "tm_keys", .cols = key_cols, .ncols = 3, .where = w, .nwhere = 1 };
	int read = exact ? exact_units(c, &j) : store_query(c, &sel, judge_keys, &j) == STORE_OK && !j.failed ? 0 : -1;
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

/* A unit met in the lists: its length, the tokens it shares with the query
 * so far (16 bytes: four to a cache line). */
typedef struct cand {
	int64_t id;  /* 0: an empty slot (ids start at 1) */
	uint32_t ntok, shared;
} cand;

/* A candidate that can reach the threshold, with the best score it can have. */
typedef struct ranked {
	int64_t id;
	int bound;
} ranked;

/* The candidates by id, in place in their slots (open addressing, linear
 * probing, never more than half full): one memory access finds a unit and
 * its counts.  The slots are kept for the query's next stage. */
typedef struct candset {
	cand *slot;
	size_t cap, n;  /* cap a power of two */
	int shift;      /* 64 - log2(cap) */
} candset;

#define CANDSET_MIN 1024

static void candset_make(candset *s, size_t cap)
{
	s->slot = calloc(cap, sizeof *s->slot);
	if (!s->slot)
		abort();
	s->cap = cap;
	s->n = 0;
	s->shift = 64;
	for (size_t c = cap; c > 1; c >>= 1)
		s->shift--;
}

#define ROOM_SHARE 8
#define SORTED_IDS_MAX 4096  /* candidates sorted by id to skip the parts of lists without one: about
                              * the parts of a list of the commonest words, which more would all hit */

static void candset_clear(candset *s)
{
	if (!s->slot) {
		candset_make(s, CANDSET_MIN);
		return;
	}
	memset(s->slot, 0, s->cap * sizeof *s->slot);
	s->n = 0;
}

/* Fibonacci hashing: unit ids are consecutive, their products spread. */
static size_t slot_of(const candset *s, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> s->shift);
}

static cand *candset_find(const candset *s, int64_t id)
{
	for (size_t at = slot_of(s, id);; at = (at + 1) & (s->cap - 1)) {
		if (s->slot[at].id == id)
			return &s->slot[at];
		if (!s->slot[at].id)
			return NULL;
	}
}

static void candset_put(candset *s, const cand *c)
{
	size_t at = slot_of(s, c->id);
	while (s->slot[at].id)
		at = (at + 1) & (s->cap - 1);
	s->slot[at] = *c;
	s->n++;
}

/* The candidates of old that keep (all when keep is NULL) in slots of cap. */
static void candset_rebuild(candset *s, size_t cap, int (*keeps)(const cand *, const void *), const void *ctx)
{
	candset old = *s;
	candset_make(s, cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].id && (!keeps || keeps(&old.slot[i], ctx)))
			candset_put(s, &old.slot[i]);
	free(old.slot);
}

/* Room for n candidates without growing. */
static void candset_room(candset *s, size_t n)
{
	if (2 * n <= s->cap)
		return;
	size_t cap = s->cap ? s->cap : CANDSET_MIN;
	while (cap < 2 * n)
		cap *= 2;
	free(s->slot);
	candset_make(s, cap);
}

static cand *candset_add(candset *s, int64_t id, uint32_t ntok)
{
	cand *c = candset_find(s, id);
	if (c)
		return c;
	if (2 * (s->n + 1) > s->cap)
		candset_rebuild(s, 2 * s->cap, NULL, NULL);
	candset_put(s, &(cand){ id, ntok, 0 });
	return candset_find(s, id);
}

typedef struct gather {
	candset set;
	ranked *ranked;   /* those that can reach the threshold, best first */
	size_t capranked;
	int64_t *ids;     /* the candidates' ids in order, once no list adds any */
	size_t nids, capids;
	int ids_valid;
	size_t walk;          /* some_between's place in ids */
	int64_t walked_to;    /* and the first unit of the part it was asked of */
	uint32_t lo, hi;  /* the lengths that can reach the threshold */
	uint32_t alive_lo, alive_hi;  /* the lengths of the candidates still in the running */
	uint32_t *need;   /* [m - lo]: the tokens a unit of length m must share to reach it */
	size_t capneed;
	uint32_t gen_hi;  /* the lengths this list generates candidates for; 0: none */
	uint32_t w;       /* the query's multiplicity of the term read */
	uint64_t entries;
} gather;

/* The candidates' ids in order (gather.ids) for the lists that only count,
 * once they are few enough that many parts of a list hold none: sorted
 * once, then only thinned as candidates drop out. */
static void gather_ids(gather *g)
{
	if (g->ids_valid) {
		size_t kept = 0;
		for (size_t i = 0; i < g->nids; i++)
			if (candset_find(&g->set, g->ids[i]))
				g->ids[kept++] = g->ids[i];
		g->nids = kept;
		return;
	}
	if (g->set.n > SORTED_IDS_MAX)
		return;
	g->ids = grow(g->ids, &g->capids, g->set.n + 1, sizeof *g->ids);
	g->nids = 0;
	for (size_t i = 0; i < g->set.cap; i++)
		if (g->set.slot[i].id)
			g->ids[g->nids++] = g->set.slot[i].id;
	qsort(g->ids, g->nids, sizeof *g->ids, cmp_u64);
	g->ids_valid = 1;
}

/* Whether some candidate's id is from first to last: a part of a list
 * that only counts is decoded only then (every part, before the ids are
 * sorted).  A list's rows come in the order of the index's key, parts by
 * their first unit within a bucket: the ids are walked alongside, from the
 * start again at each bucket. */
static int some_between(gather *g, int64_t first, int64_t last)
{
	if (!g->ids_valid)
		return 1;
	if (first < g->walked_to)
		g->walk = 0;  /* the next bucket */
	g->walked_to = first;
	while (g->walk < g->nids && g->ids[g->walk] < first)
		g->walk++;
	return g->walk < g->nids && g->ids[g->walk] <= last;
}

/* A posting decoded, waiting for its slot to reach the cache. */
typedef struct decoded {
	int64_t id;
	uint32_t ntok, count;
} decoded;

#define AHEAD 16  /* postings decoded before their slots are used: the memory's latency overlapped */

static void take_decoded(gather *g, const decoded *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cand *c = d[i].ntok <= g->gen_hi ? candset_add(&g->set, d[i].id, d[i].ntok)
						 : candset_find(&g->set, d[i].id);
		if (c)
			c->shared += d[i].count < g->w ? d[i].count : g->w;
	}
}

static int take_postings(void *ctx, store_row *row)
{
	gather *g = ctx;
	size_t len, n = 0;
	int64_t id = store_int(row, 0);
	if (!g->gen_hi && !some_between(g, id, store_int(row, 1)))
		return 0;
	const unsigned char *p = (const unsigned char *)store_text(row, 2, &len), *end = p + len;
	decoded d[AHEAD];
	uint32_t m, count;
	while (p && get_entry(&p, end, &id, &m, &count)) {
		g->entries++;
		if (m < g->lo || m > g->hi)
			continue;
		__builtin_prefetch(&g->set.slot[slot_of(&g->set, id)]);
		d[n++] = (decoded){ id, m, count };
		if (n == AHEAD) {
			take_decoded(g, d, n);
			n = 0;
		}
	}
	take_decoded(g, d, n);
	return 0;
}

/* A list's rows for the lengths that generate candidates, or, for a list
 * that only counts, those of the candidates left. */
static int read_list(store_conn *c, const asked *a, gather *g, int64_t term)
{
	uint32_t lo = g->gen_hi ? g->lo : g->alive_lo, hi = g->gen_hi ? g->hi : g->alive_hi;
	g->walk = 0;
	g->walked_to = INT64_MIN;
	store_cond w[] = { COND_EQ("term", SV_INT_(term)), COND("bucket", OP_GE, SV_INT_(bucket_of(lo))),
			   COND("bucket", OP_LE, SV_INT_(bucket_of(hi))) };
	store_select q = { .table = "tm_postings", .cols = list_cols, .ncols = 3, .where = w, .nwhere = 3,
			   .sql = a->list_sql };
	return store_query(c, &q, take_postings, g) == STORE_OK ? 0 : -1;
}

/* The best score a candidate of n query tokens can have when it shares, at
 * most, what the lists read say plus extra more. */
static int reach(const cand *c, size_t n, size_t extra)
{
	size_t m = c->ntok, longer = n > m ? n : m, shorter = n + m - longer;
	size_t shared = c->shared + extra;
	if (shared > shorter)
		shared = shorter;
	return tm_score(n, m, longer - shared);
}

/* The tokens a unit of each length must share with the query's n to reach
 * t (gather.need); UINT32_MAX where its shorter side cannot hold them. */
static void gather_needs(gather *g, size_t n, int t)
{
	g->need = grow(g->need, &g->capneed, g->hi - g->lo + 1, sizeof *g->need);
	for (size_t m = g->lo; m <= g->hi; m++) {
		size_t longer = n > m ? n : m, need = tm_min_common(longer, t);
		g->need[m - g->lo] = need > n + m - longer ? UINT32_MAX : (uint32_t)need;
	}
}

/* What prune asks of a candidate: the lengths' needs, and extra tokens it
 * may still share in the lists not read. */
typedef struct reaching {
	const gather *g;
	size_t extra;
} reaching;

static int still_reaches(const cand *c, const void *ctx)
{
	const reaching *r = ctx;
	return c->shared + r->extra >= r->g->need[c->ntok - r->g->lo];
}

/* The candidates that can still reach the threshold with every list not
 * read (extra tokens more); their number.  The dead are dropped when most
 * are, or when few are left (their ids are then sorted, gather_ids); else
 * they stay, harmless: a list read adds to their shared tokens what it
 * takes from their extra ones, so they can reach nothing, and a rebuild of
 * the slots would cost more than their look-ups. */
static size_t prune(gather *g, size_t extra)
{
	reaching r = { g, extra };
	size_t alive = 0;
	g->alive_lo = UINT32_MAX;
	g->alive_hi = 0;
	for (size_t i = 0; i < g->set.cap; i++) {
		const cand *c = &g->set.slot[i];
		if (!c->id || !still_reaches(c, &r))
			continue;
		alive++;
		g->alive_lo = c->ntok < g->alive_lo ? c->ntok : g->alive_lo;
		g->alive_hi = c->ntok > g->alive_hi ? c->ntok : g->alive_hi;
	}
	if (alive == g->set.n || (alive > g->set.n / 4 && alive > SORTED_IDS_MAX))
		return alive;
	size_t cap = CANDSET_MIN;
	while (cap < 2 * alive)
		cap *= 2;
	candset_rebuild(&g->set, cap, still_reaches, &r);
	return alive;
}

/* Whether a list that only counts is worth reading for alive candidates:
 * its rows, and the parts of it that hold one of them decoded, cost less
 * than scoring the candidates it may rule out. */
static int worth_counting(int64_t df, size_t alive)
{
	uint64_t rows = (uint64_t)df / PART_MAX + 1, decoded = (uint64_t)alive * PART_MAX;
	if (decoded > (uint64_t)df)
		decoded = (uint64_t)df;
	return rows * ROW_COST + decoded <= (uint64_t)alive * VERIFY_COST;
}

/* The postings of the lists that generate candidates (those before the
 * multiplicity left falls below need_n), within the query's bound: what
 * the candidates can number at most.  The set is made room for a share of
 * it (ROOM_SHARE): most postings are of lengths that cannot reach the
 * threshold, or of units met in an earlier list, and a table made for all
 * of them is memory cleared and scattered over for nothing (measured on
 * 1,000,000 units: p99 at threshold 50 57 ms with room for all, 42 with an
 * eighth); it grows when it needs. */
static size_t generated_at_most(const qterm *terms, size_t u, size_t need_n)
{
	uint64_t total = 0, rest = 0;
	for (size_t i = 0; i < u; i++)
		rest += terms[i].w;
	for (size_t i = 0; i < u && rest >= need_n; i++) {
		total += terms[i].df > 0 ? (uint64_t)terms[i].df : 0;
		rest -= terms[i].w;
	}
	return total < QUERY_ENTRIES ? (size_t)total : QUERY_ENTRIES;
}

/* Reads the lists of the query's terms, rarest first (see the top of this
 * file); the multiplicity of the lists left unread, or -1. */
static long gather_candidates(store_conn *c, const asked *a, int t, gather *g, tm_stats *stats)
{
	qterm *terms = malloc((a->n + 1) * sizeof *terms);
	size_t u = query_terms(c, a, terms), n = a->n;
	size_t need_n = tm_min_common(n, t), alive = 0;
	long unread = 0, rest = (long)n;  /* rest: T_i, the multiplicity of terms i and after */
	int counted = 1;                  /* a counting list was read since the last prune */
	g->lo = (uint32_t)(need_n ? need_n : 1);
	g->hi = (uint32_t)(200 * n / (size_t)(2 * t - 1));
	gather_needs(g, n, t);
	candset_room(&g->set, generated_at_most(terms, u, need_n) / ROOM_SHARE);
	for (size_t i = 0; i < u; i++) {
		qterm *q = &terms[i];
		int generating = rest >= (long)need_n;
		if (!generating && counted) {
			size_t before = g->set.n;
			alive = prune(g, (size_t)(unread + rest));
			if (!g->ids_valid || alive < before)
				gather_ids(g);
			counted = 0;
		}
		rest -= q->w;
		if (q->df < 0) {
			unread = -1;
			break;
		}
		if (!q->df)
			continue;  /* no unit holds it: nothing to read, nothing unread */
		/* a generating list past the bound may lose candidates: the query says so;
		 * a counting list not read only leaves more candidates to score */
		int within = g->entries + (uint64_t)q->df <= QUERY_ENTRIES;
		if (generating ? !within : !worth_counting(q->df, alive)) {
			unread += q->w;
			stats->bounded |= generating;
			continue;
		}
		size_t reach_m = 200 * (size_t)(rest + q->w) / (size_t)(2 * t - 1);
		g->gen_hi = generating ? (uint32_t)(reach_m < n ? n : reach_m > g->hi ? g->hi : reach_m) : 0;
		g->w = q->w;
		counted |= !generating;
		stats->lists++;
		if (read_list(c, a, g, q->term)) {
			unread = -1;
			break;
		}
	}
	free(terms);
	return unread;
}

static int cmp_bound(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->bound != y->bound)
		return x->bound > y->bound ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* The candidates that can reach the threshold, in order of their best
 * possible score (gather.ranked); their number. */
static size_t rank_candidates(gather *g, size_t n, long unread, int t)
{
	size_t kept = 0;
	const cand *v = g->set.slot;
	for (size_t i = 0; i < g->set.cap; i++) {
		if (!v[i].id)
			continue;
		int bound = reach(&v[i], n, (size_t)unread);
		if (bound < t)
			continue;
		g->ranked = grow(g->ranked, &g->capranked, kept + 1, sizeof *g->ranked);
		g->ranked[kept++] = (ranked){ v[i].id, bound };
	}
	if (kept)
		qsort(g->ranked, kept, sizeof *g->ranked, cmp_bound);
	return kept;
}

/* Scores the candidates in the order of their bound, each unit once
 * across the stages (seen). */
static int verify(store_conn *c, judge *j, const ranked *v, size_t kept, candset *seen)
{
	for (size_t i = 0; i < kept; i++) {
		int floor = j->ntop == j->k ? j->top[j->k - 1].score : 0;
		if (v[i].bound < (floor > 100 ? 100 : floor))
			break;  /* none after can enter the best k */
		if (candset_find(seen, v[i].id))
			continue;
		candset_add(seen, v[i].id, 0);
		store_cond w[] = { COND_EQ("id", SV_INT_(v[i].id)) };
		store_select q = { .table = "tm_keys", .cols = key_cols, .ncols = 3, .where = w, .nwhere = 1,
				   .sql = j->a->keys_sql };
		if (store_query(c, &q, judge_keys, j) != STORE_OK || j->failed)
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

static int stage(store_conn *c, const asked *a, judge *j, gather *g, int t, candset *seen)
{
	candset_clear(&g->set);
	g->entries = 0;
	g->ids_valid = 0;
	long unread = gather_candidates(c, a, t, g, j->stats);
	if (unread < 0)
		return -1;
	j->stats->entries += g->entries;
	j->stats->candidates += g->set.n;
	size_t kept = rank_candidates(g, a->n, unread, t);
	return verify(c, j, g->ranked, kept, seen);
}

static int stages(store_conn *c, const asked *a, judge *j, gather *g)
{
	candset seen = { 0 };
	int t = a->q->threshold, rc = -1;
	candset_clear(&seen);
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
	free(seen.slot);
	return rc;
}

int tm_fuzzy(store_conn *c, const tm_query *q, arena *ar, tm_match **out, size_t *nout, tm_stats *stats, char *err,
	     size_t errlen)
{
	asked a;
	tm_stats local;
	judge j = { .a = &a, .c = c, .ar = ar, .k = (size_t)q->k, .stats = stats ? stats : &local };
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
	free(g.set.slot);
	free(g.ids);
	free(g.need);
	free(g.ranked);
	judge_free(&j);
	asked_free(&a);
	return rc;
}
