/*
 * tmscore — the translation memory's scorer: tokens, token edit distance,
 * score, marks and adaptation.  See tmscore.h for what a token is and why.
 */
#include "search/tmscore.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/utf8.h"
#include "core/hash.h"
#include "formats/inline.h"

/* ---- hashing ------------------------------------------------------------ */

uint64_t tm_hash(const void *p, size_t n)
{
	uint64_t h = hash_bytes(0, p, n);
	return h ? h : 1;
}

uint64_t tm_mix(uint64_t h)
{
	h = hash_mix(h);
	return h ? h : 1;
}

/* The keys of the classes of adaptable tokens: never a word's, since a
 * word's bytes never start with a control character.  Made once. */
enum { CLASS_NUMBER, CLASS_OPEN, CLASS_CLOSE, CLASS_EMPTY, CLASS_PLACEHOLDER, NCLASSES };
static uint64_t classes[NCLASSES];
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

static void classes_make(void)
{
	static const char names[NCLASSES] = { '#', '<', '/', 'x', '{' };
	for (int i = 0; i < NCLASSES; i++) {
		char name[2] = { '\001', names[i] };
		classes[i] = tm_hash(name, 2);
	}
}

static uint64_t class_key(int which)
{
	pthread_once(&classes_once, classes_make);
	return classes[which];
}

/* ---- tokens ------------------------------------------------------------- */

static void push(tm_tokens *t, tm_kind kind, uint64_t key, uint64_t literal, size_t off, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
		if (!t->v)
			abort();  /* as buf and arena: a few bytes short means nothing useful can go on */
	}
	t->v[t->n++] = (tm_token){ key, literal, (uint32_t)off, (uint32_t)len, kind };
}

void tm_tokens_free(tm_tokens *t)
{
	free(t->v);
	*t = (tm_tokens)TM_TOKENS_INIT;
}

static int is_digit(uint32_t c)
{
	return c < 0x80 ? (c >= '0' && c <= '9') : utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}

/* The case folding of the Latin letters below U+0250 that fold to one code
 * point (utf8proc's own answer, asked once); 0 for the few that fold to two
 * ("ß" to "ss").  Text of these letters alone is NFC already: composition
 * only ever joins a combining mark, all of them above U+0300. */
#define LATIN_END 0x250
static uint32_t latin_fold[LATIN_END];
static pthread_once_t latin_once = PTHREAD_ONCE_INIT;

static void latin_make(void)
{
	for (uint32_t cp = 1; cp < LATIN_END; cp++) {
		utf8proc_uint8_t in[4], *out = NULL;
		utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, in);
		utf8proc_ssize_t r = utf8proc_map(in, n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		uint32_t folded = 0;
		if (r > 0 && utf8_next((const char *)out, (size_t)r, &folded) != (size_t)r)
			folded = 0;  /* folds to more than one code point */
		latin_fold[cp] = folded < LATIN_END ? folded : 0;
		free(out);
	}
}

/* The folded word hashed without utf8proc's allocation when every letter is
 * a Latin one of the table, most words of the three languages' texts; 0
 * when one is not. */
static uint64_t latin_key(const char *w, size_t n)
{
	unsigned char low[128];
	size_t len = 0;
	pthread_once(&latin_once, latin_make);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = utf8_next(w + i, n - i, &cp);
		if (!l || cp >= LATIN_END || !latin_fold[cp] || len + 2 > sizeof low)
			return 0;
		uint32_t f = latin_fold[cp];
		if (f < 0x80)
			low[len++] = (unsigned char)f;
		else {
			low[len++] = (unsigned char)(0xC0 | f >> 6);
			low[len++] = (unsigned char)(0x80 | (f & 0x3F));
		}
		i += l;
	}
	return tm_hash(low, len);
}

/* The key of a word: its case-folded NFC form hashed. */
static uint64_t word_key(const char *w, size_t n, int ascii)
{
	if (ascii && n <= 64) {
		char low[64];
		for (size_t i = 0; i < n; i++)
			low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
		return tm_hash(low, n);
	}
	uint64_t latin = latin_key(w, n);
	if (latin)
		return latin;
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &folded,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	uint64_t h = r < 0 ? tm_hash(w, n) : tm_hash(folded, (size_t)r);
	free(folded);
	return h;
}

/* Where the word starting at i ends, and what it is made of.  A number runs
 * on over "." or "," followed by a digit, so that "1,000.50" is one value
 * to adapt.  0 with *bad set at a broken sequence. */
static size_t word_end(const char *s, size_t i, size_t end, int *digits, int *ascii, size_t *bad)
{
	*digits = 1;
	*ascii = 1;
	while (i < end) {
		uint32_t cp;
		size_t l = utf8_next(s + i, end - i, &cp);
		if (!l) {
			*bad = i;
			return 0;
		}
		if (text_word_char((int32_t)cp)) {
			*ascii &= cp < 0x80;
			*digits &= is_digit(cp);
			i += l;
			continue;
		}
		uint32_t next;
		if (*digits && (cp == '.' || cp == ',') && i + 1 < end && utf8_next(s + i + 1, end - i - 1, &next) &&
		    is_digit(next)) {
			i++;
			continue;
		}
		break;
	}
	return i;
}

/* The words and numbers of the text from off to end. */
static int text_tokens_of(const char *s, size_t off, size_t end, tm_tokens *out, size_t *bad)
{
	uint64_t number_key = class_key(CLASS_NUMBER);
	size_t i = off;
	while (i < end) {
		uint32_t cp;
		size_t l = utf8_next(s + i, end - i, &cp);
		if (!l) {
			*bad = i;
			return -1;
		}
		if (!text_word_char((int32_t)cp)) {
			i += l;
			continue;
		}
		int digits, ascii;
		size_t stop = word_end(s, i, end, &digits, &ascii, bad);
		if (!stop)
			return -1;
		if (digits)
			push(out, TM_NUMBER, number_key, tm_hash(s + i, stop - i), i, stop - i);
		else {
			uint64_t k = word_key(s + i, stop - i, ascii);
			push(out, TM_WORD, k, k, i, stop - i);
		}
		i = stop;
	}
	return 0;
}

int tm_tokenize(const char *s, size_t n, tm_tokens *out, size_t *bad_at)
{
	static const int code_class[] = { [INLINE_OPEN] = CLASS_OPEN, [INLINE_CLOSE] = CLASS_CLOSE,
					  [INLINE_EMPTY] = CLASS_EMPTY, [INLINE_PLACEHOLDER] = CLASS_PLACEHOLDER };
	size_t pos = 0, bad = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		if (p.kind == INLINE_TEXT) {
			if (text_tokens_of(s, p.off, p.off + p.len, out, &bad)) {
				if (bad_at)
					*bad_at = bad;
				return -1;
			}
			continue;
		}
		push(out, TM_CODE, class_key(code_class[p.kind]), tm_hash(s + p.off, p.len), p.off, p.len);
	}
	return 0;
}

int tm_key_adaptable(uint64_t key)
{
	pthread_once(&classes_once, classes_make);
	for (int i = 0; i < NCLASSES; i++)
		if (key == classes[i])
			return 1;
	return 0;
}

void tm_keys(const tm_tokens *t, uint64_t *keys, int literal)
{
	for (size_t i = 0; i < t->n; i++)
		keys[i] = literal ? t->v[i].literal : t->v[i].key;
}

/* ---- exact form ----------------------------------------------------------- */

static int is_space(uint32_t c)
{
	if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85)
		return 1;
	if (c < 0x80)
		return 0;
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/* Whether s (valid UTF-8) is NFC by its letters alone: nothing from U+0300 on. */
static int below_marks(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xCC)  /* the lead byte of U+0300 and beyond */
			return 0;
	return 1;
}

char *tm_normalize(const char *s, size_t n)
{
	char *nfc = utf8_valid(s, n) && below_marks(s, n) ? strndup(s, n) : text_nfc(s, n);
	if (!nfc)
		return NULL;
	buf out = BUF_INIT;
	size_t len = strlen(nfc);
	int space = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t l = utf8_next(nfc + i, len - i, &cp);
		if (!l)
			l = 1;  /* cannot happen: text_nfc checked; never loop forever */
		if (is_space(cp))
			space = 1;
		else {
			if (space && out.len)
				buf_putc(&out, ' ');
			space = 0;
			buf_add(&out, nfc + i, l);
		}
		i += l;
	}
	free(nfc);
	return out.data ? buf_steal(&out) : calloc(1, 1);
}

/* ---- score ---------------------------------------------------------------- */

int tm_score(size_t n, size_t m, size_t d)
{
	size_t longer = n > m ? n : m;
	if (!longer || d >= longer)
		return 0;
	/* round(100 * (longer - d) / longer), halves up, in integers */
	return (int)((200 * (longer - d) + longer) / (2 * longer));
}

/* round(100 c / L) >= t  <=>  200 c + L >= 2 t L  <=>  c >= (2t - 1) L / 200 */
size_t tm_min_common(size_t longer, int threshold)
{
	if (threshold <= 0)
		return 0;
	if (threshold > 100)
		threshold = 100;
	return ((size_t)(2 * threshold - 1) * longer + 199) / 200;
}

long tm_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m, size_t max_d)
{
	size_t diff = n > m ? n - m : m - n;
	if (diff > max_d)
		return (long)max_d + 1;
	if (!n || !m)
		return (long)(n + m);
	uint32_t local[2 * 128], *rows = local;
	if (m + 1 > 128 && !(rows = malloc(2 * (m + 1) * sizeof *rows)))
		return -1;
	uint32_t big = (uint32_t)(max_d < UINT32_MAX - 2 ? max_d + 1 : UINT32_MAX - 2);
	uint32_t *prev = rows, *cur = rows + m + 1;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j <= max_d ? (uint32_t)j : big;
	long result = -2;
	for (size_t i = 1; i <= n && result == -2; i++) {
		size_t lo = i > max_d ? i - max_d : 1, hi = i + max_d < m ? i + max_d : m;
		cur[lo - 1] = lo == 1 && i <= max_d ? (uint32_t)i : big;
		uint32_t row_min = cur[lo - 1];
		for (size_t j = lo; j <= hi; j++) {
			uint32_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v > big ? big : v;
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (hi < m)
			cur[hi + 1] = big;  /* the next row reads it as the cell above */
		if (row_min > max_d)
			result = (long)max_d + 1;
		uint32_t *t = prev;
		prev = cur;
		cur = t;
	}
	if (result == -2)
		result = prev[m] > max_d ? (long)max_d + 1 : (long)prev[m];
	if (rows != local)
		free(rows);
	return result;
}

/* ---- marks ---------------------------------------------------------------- */

/* Beyond this many cells the full table is not worth it: the candidate is
 * marked as one replacement, still true, only coarse. */
#define MARKS_MAX_CELLS (4u << 20)

static void add_mark(tm_mark *v, size_t *n, tm_edit op, const tm_tokens *c, size_t j, const tm_tokens *q, size_t i)
{
	tm_mark k = { .op = op };
	if (op == TM_INSERT) {
		/* before the candidate's token j, or after its last */
		k.cand_off = j < c->n ? c->v[j].off : c->n ? c->v[c->n - 1].off + c->v[c->n - 1].len : 0;
	} else {
		k.cand_off = c->v[j].off;
		k.cand_len = c->v[j].len;
	}
	if (op != TM_DELETE) {
		k.query_off = q->v[i].off;
		k.query_len = q->v[i].len;
	}
	v[(*n)++] = k;
}

static void reverse_marks(tm_mark *v, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		tm_mark t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

int tm_marks(const tm_tokens *q, const tm_tokens *c, tm_mark **out, size_t *nout)
{
	size_t n = q->n, m = c->n, w = m + 1;
	*out = NULL;
	*nout = 0;
	tm_mark *marks = malloc((n + m + 1) * sizeof *marks);
	if (!marks)
		return -1;
	if ((n + 1) * w > MARKS_MAX_CELLS) {
		marks[0] = (tm_mark){ TM_REPLACE, 0, m ? c->v[m - 1].off + c->v[m - 1].len : 0, 0,
				      n ? q->v[n - 1].off + q->v[n - 1].len : 0 };
		*out = marks;
		*nout = 1;
		return 0;
	}
	uint32_t *d = malloc((n + 1) * w * sizeof *d);
	if (!d) {
		free(marks);
		return -1;
	}
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			if (!i || !j) {
				d[i * w + j] = (uint32_t)(i + j);
				continue;
			}
			uint32_t v = d[(i - 1) * w + j - 1] + (q->v[i - 1].literal != c->v[j - 1].literal);
			uint32_t up = d[(i - 1) * w + j] + 1, left = d[i * w + j - 1] + 1;
			d[i * w + j] = v < up ? (v < left ? v : left) : (up < left ? up : left);
		}
	size_t i = n, j = m, k = 0;
	while (i || j) {
		uint32_t here = d[i * w + j];
		if (i && j && here == d[(i - 1) * w + j - 1] + (q->v[i - 1].literal != c->v[j - 1].literal)) {
			if (q->v[i - 1].literal != c->v[j - 1].literal)
				add_mark(marks, &k, TM_REPLACE, c, j - 1, q, i - 1);
			i--, j--;
		} else if (j && here == d[i * w + j - 1] + 1) {
			add_mark(marks, &k, TM_DELETE, c, j - 1, q, 0);
			j--;
		} else {
			add_mark(marks, &k, TM_INSERT, c, j, q, i - 1);
			i--;
		}
	}
	free(d);
	reverse_marks(marks, k);
	*out = marks;
	*nout = k;
	return 0;
}

/* ---- adaptation ------------------------------------------------------------- */

/* One value of the unit's source and what the query has in its place. */
typedef struct swap {
	uint64_t from;
	const char *to;
	size_t to_len;
	int used;
} swap;

/* The values that differ, position by position; -1 when the key sequences
 * differ or one value would become two. */
static int find_swaps(const char *qsrc, const tm_tokens *q, const tm_tokens *c, swap *sw, size_t *nsw)
{
	*nsw = 0;
	if (q->n != c->n)
		return -1;
	for (size_t i = 0; i < q->n; i++) {
		const tm_token *a = &q->v[i], *b = &c->v[i];
		if (a->key != b->key)
			return -1;
		if (a->literal == b->literal)
			continue;
		size_t s = 0;
		while (s < *nsw && sw[s].from != b->literal)
			s++;
		if (s < *nsw) {
			if (sw[s].to_len != a->len || memcmp(sw[s].to, qsrc + a->off, a->len))
				return -1;
			continue;
		}
		sw[(*nsw)++] = (swap){ b->literal, qsrc + a->off, a->len, 0 };
	}
	return 0;
}

int tm_adapt(const char *qsrc, const tm_tokens *q, const tm_tokens *c, const char *target, size_t tn, char **out)
{
	*out = NULL;
	swap *sw = malloc((q->n + 1) * sizeof *sw);
	tm_tokens t = TM_TOKENS_INIT;
	buf b = BUF_INIT;
	size_t nsw, done = 0;
	int rc = -1;
	if (!sw || find_swaps(qsrc, q, c, sw, &nsw))
		goto out;
	if (!nsw) {
		rc = 0;
		goto out;
	}
	if (tm_tokenize(target, tn, &t, NULL))
		goto out;
	for (size_t i = 0; i < t.n; i++) {
		const tm_token *tok = &t.v[i];
		if (tok->kind == TM_WORD)
			continue;
		for (size_t s = 0; s < nsw; s++) {
			if (sw[s].from != tok->literal)
				continue;
			buf_add(&b, target + done, tok->off - done);
			buf_add(&b, sw[s].to, sw[s].to_len);
			done = tok->off + tok->len;
			sw[s].used = 1;
			break;
		}
	}
	for (size_t s = 0; s < nsw; s++)
		if (!sw[s].used)
			goto out;
	buf_add(&b, target + done, tn - done);
	*out = buf_steal(&b);
	rc = 1;
out:
	buf_free(&b);
	tm_tokens_free(&t);
	free(sw);
	return rc;
}
