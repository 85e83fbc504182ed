/*
 * worddiff — two texts compared by paragraphs, then by words (worddiff.h).
 *
 * Both texts are cut into paragraphs, and a paragraph into tokens (words
 * and the runs between them) only when it did not stay as it was: in a
 * revision most paragraphs do, and cutting them was most of the time.
 * Equal paragraphs and equal tokens are given the same id by interning
 * their bytes, so the difference itself (core/myers.c) compares numbers and
 * can never take two different texts for the same: that is what makes the
 * parts rebuild both texts exactly.
 *
 * Paragraphs are aligned by their ids.  Between two kept paragraphs the
 * alignment leaves a run of deleted and a run of inserted ones; within such
 * a run, an old paragraph and a new one are taken as the same paragraph
 * changed when enough of their words are common, chosen in order so that
 * the most words are paired (a small dynamic programme; an in-order pairing
 * where that would cost too much).  Each pair is then compared by tokens.
 * A run of spaces or punctuation left unchanged between two changes is
 * counted as changed too: "the annual plan" to "a biennial budget" reads as
 * one replacement, not three cut apart by two kept spaces.
 */
#include "core/worddiff.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/fold.h"
#include "core/hash.h"
#include "core/myers.h"
#include "core/utf8.h"

/* A pairing within one run of paragraphs is worked out when it has no more
 * cells than this; else old and new are paired in order. */
#define PAIR_CELLS_MAX 65536
/* Two paragraphs are the same one changed when their common words are at
 * least a fifth of the words of both (40% alike). */
#define ALIKE_PARTS 5

typedef struct token {
	uint32_t at, len;
	uint32_t word;           /* 1: letters and digits; 0: what is between words */
} token;

#define NOT_CUT SIZE_MAX

/* One text cut up: its paragraphs, and the tokens of those that changed
 * (their ids apart, as myers_diff reads them), each paragraph's a range. */
typedef struct side {
	const char *text;
	size_t n;
	uint32_t *para_at, *para_len, *para_id;
	size_t *tok_first, *tok_end;  /* paragraph p's tokens: tok[tok_first[p]] up to tok_end[p]; NOT_CUT before */
	size_t npara;
	token *tok;
	uint32_t *ids;
	size_t ntok, cap_tok;
} side;

/* Interning: equal bytes, equal id. */
typedef struct slot {
	uint64_t hash;
	const char *s;           /* NULL: a free slot */
	uint32_t len, id;
} slot;

typedef struct table {
	slot *v;
	size_t mask;
	uint32_t next_id;
	uint64_t seed;
} table;

typedef struct work {
	side old, new;
	table tokens, paras;
	worddiff *d;
	size_t cap_paras, cap_parts;
	myers_bound bound;
	size_t max_edits;
	uint32_t *count;             /* per token id: a scratch count for likeness */
	size_t cap_count;
	char *squeezed;              /* each paragraph with its spaces squeezed, as the paragraphs are interned */
} work;

/* v (n items of size bytes, room for *cap) with room for one more, moved
 * if need be; NULL when memory ran out (v is then still v). */
static void *room(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t more = *cap ? 2 * *cap : 64;
	void *p = realloc(v, more * size);
	if (p)
		*cap = more;
	return p;
}

/* ---- tokens and paragraphs ---------------------------------------------------------------- */

int worddiff_next_paragraph(size_t n, const char *text, size_t *at, size_t *start, size_t *len)
{
	if (n == 0 || *at > n)
		return 0;
	const char *lf = memchr(text + *at, '\n', n - *at);
	*start = *at;
	*len = lf ? (size_t)(lf - text) - *at : n - *at;
	*at = lf ? (size_t)(lf - text) + 1 : n + 1;
	return 1;
}

/* Scripts written without spaces between words: each ideograph or kana is a word of its own. */
static int stands_alone(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* The character at s (n bytes left): its length, whether it is of a word
 * and whether it is a word alone.  A byte that begins no well-formed
 * character is one character of its own, between words. */
static size_t character(const char *s, size_t n, int *word, int *alone)
{
	unsigned char b = (unsigned char)*s;
	if (b < 0x80) {   /* most of the three languages' text, without a table's look-up */
		*word = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
		*alone = 0;
		return 1;
	}
	uint32_t c;
	size_t len = utf8_next(s, n, &c);
	if (len == 0) {
		*word = *alone = 0;
		return 1;
	}
	*word = text_word_char((int32_t)c);
	*alone = *word && stands_alone(c);
	return len;
}

/* The token at s (n bytes left): its length and whether it is a word. */
static size_t token_at(const char *s, size_t n, int *is_word)
{
	int word, alone;
	size_t len = character(s, n, &word, &alone);
	*is_word = word;
	if (alone)
		return len;
	while (len < n) {
		int w, a;
		size_t next = character(s + len, n - len, &w, &a);
		if (w != word || a)
			break;
		len += next;
	}
	return len;
}

static size_t count_paragraphs(const char *s, size_t n)
{
	size_t count = 0;
	for (const char *p = s, *end = s + n; n && p; count++) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		p = lf ? lf + 1 : NULL;
	}
	return count;
}

static int side_cut(side *sd, const char *text, size_t n)
{
	sd->text = text;
	sd->n = n;
	size_t npara = count_paragraphs(text, n);
	sd->para_at = malloc((npara + 1) * sizeof *sd->para_at);
	sd->para_len = malloc((npara + 1) * sizeof *sd->para_len);
	sd->para_id = malloc((npara + 1) * sizeof *sd->para_id);
	sd->tok_first = malloc((npara + 1) * sizeof *sd->tok_first);
	sd->tok_end = malloc((npara + 1) * sizeof *sd->tok_end);
	/* tokens from the start, so that an empty paragraph's are at an address too */
	sd->cap_tok = 64;
	sd->tok = malloc(sd->cap_tok * sizeof *sd->tok);
	sd->ids = malloc(sd->cap_tok * sizeof *sd->ids);
	if (!sd->para_at || !sd->para_len || !sd->para_id || !sd->tok_first || !sd->tok_end || !sd->tok || !sd->ids)
		return -1;
	size_t at = 0, start, len;
	while (worddiff_next_paragraph(n, text, &at, &start, &len)) {
		sd->para_at[sd->npara] = (uint32_t)start;
		sd->para_len[sd->npara] = (uint32_t)len;
		sd->tok_first[sd->npara] = sd->tok_end[sd->npara] = NOT_CUT;
		sd->npara++;
	}
	return 0;
}

static void side_free(side *sd)
{
	free(sd->tok);
	free(sd->ids);
	free(sd->para_at);
	free(sd->para_len);
	free(sd->para_id);
	free(sd->tok_first);
	free(sd->tok_end);
}

/* ---- interning ---------------------------------------------------------------------------- */

static int table_open(table *t, size_t items, uint64_t seed)
{
	size_t size = 16;
	while (size < 2 * items + 2)
		size *= 2;
	t->v = calloc(size, sizeof *t->v);
	t->mask = size - 1;
	t->next_id = 0;
	t->seed = seed;
	return t->v ? 0 : -1;
}

static void table_put(table *t, slot sl)
{
	size_t i = (size_t)sl.hash & t->mask;
	while (t->v[i].s)
		i = (i + 1) & t->mask;
	t->v[i] = sl;
}

/* Twice the slots, when half are taken: a free slot is always near. */
static int table_grow(table *t)
{
	if (2 * ((size_t)t->next_id + 1) <= t->mask + 1)
		return 0;
	slot *old = t->v;
	size_t n = t->mask + 1;
	t->v = calloc(2 * n, sizeof *t->v);
	if (!t->v) {
		t->v = old;
		return -1;
	}
	t->mask = 2 * n - 1;
	for (size_t i = 0; i < n; i++)
		if (old[i].s)
			table_put(t, old[i]);
	free(old);
	return 0;
}

/* The id of these bytes, a new one when they are new, into *id; -1 when memory ran out. */
static int intern(table *t, const char *s, uint32_t len, uint32_t *id)
{
	if (table_grow(t))
		return -1;
	uint64_t h = hash_bytes(t->seed, s, len);
	for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		slot *sl = &t->v[i];
		if (!sl->s) {
			*sl = (slot){ h, s, len, t->next_id++ };
			*id = sl->id;
			return 0;
		}
		if (sl->hash == h && sl->len == len && memcmp(sl->s, s, len) == 0) {
			*id = sl->id;
			return 0;
		}
	}
}

static uint64_t draw_seed(void)
{
	uint64_t seed = 0;
	if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
		seed = (uint64_t)(uintptr_t)&seed;   /* no entropy yet: at least not a constant */
	return seed;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* The n bytes at s into out with each run of spaces one space and none at
 * either end: its length. */
static uint32_t squeeze(const char *s, uint32_t n, char *out)
{
	uint32_t len = 0;
	int gap = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (is_space(s[i])) {
			gap = len > 0;
			continue;
		}
		if (gap)
			out[len++] = ' ';
		gap = 0;
		out[len++] = s[i];
	}
	return len;
}

/* Paragraphs that differ only in their spaces (one gained a space, a tab
 * became a space) are the same paragraph, kept: their ids are those of
 * their squeezed bytes. */
static int intern_paragraphs(work *w)
{
	side *sides[2] = { &w->old, &w->new };
	char *out = w->squeezed = malloc(w->old.n + w->new.n + 1);
	if (!out)
		return -1;
	for (int s = 0; s < 2; s++)
		for (size_t p = 0; p < sides[s]->npara; p++) {
			uint32_t len = squeeze(sides[s]->text + sides[s]->para_at[p], sides[s]->para_len[p], out);
			if (intern(&w->paras, out, len, &sides[s]->para_id[p]))
				return -1;
			out += len;
		}
	return 0;
}

/* Paragraph p of sd cut into tokens, each interned (once: a paragraph cut stays cut). */
static int cut_paragraph(work *w, side *sd, size_t p)
{
	if (sd->tok_first[p] != NOT_CUT)
		return 0;
	size_t start = sd->para_at[p], end = start + sd->para_len[p], first = sd->ntok;
	for (size_t pos = start; pos < end;) {
		int word;
		size_t len = token_at(sd->text + pos, end - pos, &word), cap = sd->cap_tok;
		token *tok = room(sd->tok, sd->ntok, &cap, sizeof *tok);
		if (tok)
			sd->tok = tok;
		uint32_t *ids = tok ? room(sd->ids, sd->ntok, &sd->cap_tok, sizeof *ids) : NULL;
		if (!ids)
			return -1;
		sd->ids = ids;
		sd->tok[sd->ntok] = (token){ (uint32_t)pos, (uint32_t)len, (uint32_t)word };
		if (intern(&w->tokens, sd->text + pos, (uint32_t)len, &sd->ids[sd->ntok]))
			return -1;
		sd->ntok++;
		pos += len;
	}
	sd->tok_first[p] = first;
	sd->tok_end[p] = sd->ntok;
	return 0;
}

/* ---- the answer --------------------------------------------------------------------------- */

static int push_para(work *w, worddiff_para p)
{
	worddiff *d = w->d;
	worddiff_para *v = room(d->paras, d->nparas, &w->cap_paras, sizeof *v);
	if (!v)
		return -1;
	d->paras = v;
	d->paras[d->nparas++] = p;
	return 0;
}

/* A run of text, joined to the part before when it is of the same kind and follows it. */
static int push_part(work *w, worddiff_op op, size_t old_at, size_t new_at, size_t len)
{
	worddiff *d = w->d;
	worddiff_para *para = &d->paras[d->nparas - 1];
	worddiff_part *last = para->nparts ? &d->parts[d->nparts - 1] : NULL;
	if (last && last->op == op && (op == WORDDIFF_INS || last->old_at + last->len == old_at) &&
	    (op == WORDDIFF_DEL || last->new_at + last->len == new_at)) {
		last->len += len;
		return 0;
	}
	worddiff_part *v = room(d->parts, d->nparts, &w->cap_parts, sizeof *v);
	if (!v)
		return -1;
	d->parts = v;
	d->parts[d->nparts++] = (worddiff_part){ op, old_at, new_at, len };
	para->nparts++;
	return 0;
}

static size_t words_in(const side *sd, size_t para)
{
	size_t n = 0;
	for (size_t i = sd->tok_first[para]; i < sd->tok_end[para]; i++)
		n += sd->tok[i].word;
	return n;
}

static int kept(work *w, size_t i, size_t j)
{
	return push_para(w, (worddiff_para){ WORDDIFF_KEPT, (long)i, (long)j, w->old.para_at[i], w->old.para_len[i],
					     w->new.para_at[j], w->new.para_len[j] });
}

static int deleted(work *w, size_t i)
{
	w->d->words_deleted += words_in(&w->old, i);
	return push_para(w, (worddiff_para){ WORDDIFF_DELETED, (long)i, -1, w->old.para_at[i], w->old.para_len[i], 0, 0 });
}

static int inserted(work *w, size_t j)
{
	w->d->words_inserted += words_in(&w->new, j);
	return push_para(w, (worddiff_para){ WORDDIFF_INSERTED, -1, (long)j, 0, 0, w->new.para_at[j], w->new.para_len[j] });
}

/* ---- a changed paragraph, word by word ---------------------------------------------------- */

/* A run of spaces and punctuation kept between two changes becomes part of them. */
static void join_changes(const token *a, size_t na, unsigned char *del, size_t nb, unsigned char *ins)
{
	size_t ia = 0, ib = 0;
	int changed_before = 0;
	while (ia < na || ib < nb) {
		if (ia < na && del[ia]) {
			ia++, changed_before = 1;
			continue;
		}
		if (ib < nb && ins[ib]) {
			ib++, changed_before = 1;
			continue;
		}
		size_t sa = ia, sb = ib;
		int between = 1;
		while (ia < na && ib < nb && !del[ia] && !ins[ib]) {
			between &= !a[ia].word;
			ia++, ib++;
		}
		if (between && changed_before && (ia < na || ib < nb)) {
			memset(del + sa, 1, ia - sa);
			memset(ins + sb, 1, ib - sb);
		}
	}
}

/* The parts of a pair from the marks: each change's deleted tokens, then its inserted ones. */
static int emit_parts(work *w, const token *a, size_t na, const unsigned char *del, const token *b, size_t nb,
		      const unsigned char *ins)
{
	size_t ia = 0, ib = 0;
	while (ia < na || ib < nb) {
		int rc;
		if (ia < na && del[ia]) {
			w->d->words_deleted += a[ia].word;
			rc = push_part(w, WORDDIFF_DEL, a[ia].at, 0, a[ia].len);
			ia++;
		} else if (ib < nb && ins[ib]) {
			w->d->words_inserted += b[ib].word;
			rc = push_part(w, WORDDIFF_INS, 0, b[ib].at, b[ib].len);
			ib++;
		} else {
			rc = push_part(w, WORDDIFF_SAME, a[ia].at, b[ib].at, a[ia].len);
			ia++, ib++;
		}
		if (rc)
			return -1;
	}
	return 0;
}

static int wholesale(work *w, size_t i, size_t j)
{
	worddiff_para *para = &w->d->paras[w->d->nparas - 1];
	para->wholesale = 1;
	w->d->words_deleted += words_in(&w->old, i);
	w->d->words_inserted += words_in(&w->new, j);
	if (w->old.para_len[i] && push_part(w, WORDDIFF_DEL, w->old.para_at[i], 0, w->old.para_len[i]))
		return -1;
	if (w->new.para_len[j] && push_part(w, WORDDIFF_INS, 0, w->new.para_at[j], w->new.para_len[j]))
		return -1;
	return 0;
}

static int changed(work *w, size_t i, size_t j)
{
	if (push_para(w, (worddiff_para){ WORDDIFF_CHANGED, (long)i, (long)j, w->old.para_at[i], w->old.para_len[i],
					  w->new.para_at[j], w->new.para_len[j], w->d->nparts, 0 }))
		return -1;
	size_t a0 = w->old.tok_first[i], na = w->old.tok_end[i] - a0;
	size_t b0 = w->new.tok_first[j], nb = w->new.tok_end[j] - b0;
	unsigned char *del = calloc(na + 1, 1), *ins = calloc(nb + 1, 1);
	int rc = -1;
	if (!del || !ins)
		goto done;
	myers_bound bound = { w->max_edits, w->bound.budget };
	rc = myers_diff(w->old.ids + a0, na, w->new.ids + b0, nb, del, ins, &bound);
	w->bound.budget = bound.budget;
	if (rc < 0)
		goto done;
	if (rc > 0) {
		w->d->bounded = 1;
		rc = wholesale(w, i, j);
		goto done;
	}
	join_changes(w->old.tok + a0, na, del, nb, ins);
	rc = emit_parts(w, w->old.tok + a0, na, del, w->new.tok + b0, nb, ins);
done:
	free(del);
	free(ins);
	return rc;
}

/* ---- pairing the paragraphs of a run ------------------------------------------------------ */

/* The words of old paragraph i and new paragraph j in common (as multisets),
 * when they are alike enough to be one paragraph changed; else -1.  Two
 * paragraphs without words (a rule, a number alone) are alike. */
static long alike(work *w, size_t i, size_t j)
{
	const side *a = &w->old, *b = &w->new;
	size_t wa = 0, wb = 0, common = 0;
	for (size_t t = a->tok_first[i]; t < a->tok_end[i]; t++)
		if (a->tok[t].word)
			w->count[a->ids[t]]++, wa++;
	for (size_t t = b->tok_first[j]; t < b->tok_end[j]; t++)
		if (b->tok[t].word) {
			wb++;
			if (w->count[b->ids[t]])
				w->count[b->ids[t]]--, common++;
		}
	for (size_t t = a->tok_first[i]; t < a->tok_end[i]; t++)
		if (a->tok[t].word)
			w->count[a->ids[t]] = 0;
	if (wa + wb == 0)
		return 1;
	return common * ALIKE_PARTS >= wa + wb && common ? (long)common : -1;
}

static uint64_t tokens_in(const side *sd, size_t from, size_t to)
{
	uint64_t n = 0;
	for (size_t p = from; p < to; p++)
		n += sd->tok_end[p] - sd->tok_first[p];
	return n;
}

/* The steps the likeness of every pair of a run costs. */
static uint64_t pairing_cost(const work *w, size_t i0, size_t i1, size_t j0, size_t j1)
{
	return 2 * tokens_in(&w->old, i0, i1) * (j1 - j0) + tokens_in(&w->new, j0, j1) * (i1 - i0);
}

/* The paragraphs of a run cut into tokens, and the scratch counts as many as the ids. */
static int cut_run(work *w, size_t i0, size_t i1, size_t j0, size_t j1)
{
	for (size_t i = i0; i < i1; i++)
		if (cut_paragraph(w, &w->old, i))
			return -1;
	for (size_t j = j0; j < j1; j++)
		if (cut_paragraph(w, &w->new, j))
			return -1;
	if (w->tokens.next_id <= w->cap_count)
		return 0;
	size_t cap = 2 * (size_t)w->tokens.next_id;
	uint32_t *count = realloc(w->count, cap * sizeof *count);
	if (!count)
		return -1;
	memset(count + w->cap_count, 0, (cap - w->cap_count) * sizeof *count);
	w->count = count;
	w->cap_count = cap;
	return 0;
}

/* Old paragraphs i0..i1 and new j0..j1 (neither run empty): the pairs that
 * keep the most words in common, in order, into pair_of[i - i0] (the new
 * paragraph, or SIZE_MAX); -1 when memory ran out. */
static int best_pairs(work *w, size_t i0, size_t i1, size_t j0, size_t j1, size_t *pair_of)
{
	size_t n = i1 - i0, m = j1 - j0;
	long *score = malloc(n * m * sizeof *score);
	uint64_t *best = calloc((n + 1) * (m + 1), sizeof *best);
	if (!score || !best) {
		free(score);
		free(best);
		return -1;
	}
#define BEST(x, y) best[(x) * (m + 1) + (y)]
	for (size_t x = 1; x <= n; x++)
		for (size_t y = 1; y <= m; y++) {
			long s = score[(x - 1) * m + y - 1] = alike(w, i0 + x - 1, j0 + y - 1);
			uint64_t v = BEST(x - 1, y) > BEST(x, y - 1) ? BEST(x - 1, y) : BEST(x, y - 1);
			if (s > 0 && BEST(x - 1, y - 1) + (uint64_t)s > v)
				v = BEST(x - 1, y - 1) + (uint64_t)s;
			BEST(x, y) = v;
		}
	for (size_t x = 0; x < n; x++)
		pair_of[x] = SIZE_MAX;
	for (size_t x = n, y = m; x > 0 && y > 0;) {
		long s = score[(x - 1) * m + y - 1];
		if (s > 0 && BEST(x, y) == BEST(x - 1, y - 1) + (uint64_t)s)
			pair_of[--x] = j0 + --y;
		else if (BEST(x, y) == BEST(x - 1, y))
			x--;
		else
			y--;
	}
#undef BEST
	free(score);
	free(best);
	return 0;
}

/* A run of deleted old paragraphs and inserted new ones, in reading order:
 * each pair as one changed paragraph, the others deleted or inserted where
 * they stand. */
static int run_of_changes(work *w, size_t i0, size_t i1, size_t j0, size_t j1)
{
	size_t n = i1 - i0, m = j1 - j0;
	size_t *pair_of = malloc((n + 1) * sizeof *pair_of);
	if (!pair_of || cut_run(w, i0, i1, j0, j1)) {
		free(pair_of);
		return -1;
	}
	uint64_t cost = n && m ? pairing_cost(w, i0, i1, j0, j1) : 0;
	int rc = 0;
	if (n && m && n * m <= PAIR_CELLS_MAX && cost <= w->bound.budget) {
		w->bound.budget -= cost;
		rc = best_pairs(w, i0, i1, j0, j1, pair_of);
	} else {
		for (size_t x = 0; x < n; x++)
			pair_of[x] = x < m ? j0 + x : SIZE_MAX;
	}
	size_t j = j0;
	for (size_t i = i0; i < i1 && rc == 0; i++) {
		size_t to = pair_of[i - i0];
		if (to == SIZE_MAX) {
			rc = deleted(w, i);
			continue;
		}
		while (j < to && rc == 0)
			rc = inserted(w, j++);
		if (rc == 0)
			rc = changed(w, i, j++);
	}
	while (j < j1 && rc == 0)
		rc = inserted(w, j++);
	free(pair_of);
	return rc;
}

/* The paragraphs aligned, then each run between kept ones paired. */
static int align(work *w)
{
	size_t na = w->old.npara, nb = w->new.npara;
	unsigned char *pdel = calloc(na + 1, 1), *pins = calloc(nb + 1, 1);
	int rc = -1;
	if (!pdel || !pins)
		goto done;
	myers_bound bound = { 0, w->bound.budget };
	int cut = myers_diff(w->old.para_id, na, w->new.para_id, nb, pdel, pins, &bound);
	w->bound.budget = bound.budget;
	if (cut < 0)
		goto done;
	w->d->bounded |= cut;
	size_t i = 0, j = 0;
	rc = 0;
	while ((i < na || j < nb) && rc == 0) {
		if (i < na && j < nb && !pdel[i] && !pins[j]) {
			rc = kept(w, i++, j++);
			continue;
		}
		size_t i0 = i, j0 = j;
		while (i < na && pdel[i])
			i++;
		while (j < nb && pins[j])
			j++;
		rc = run_of_changes(w, i0, i, j0, j);
	}
done:
	free(pdel);
	free(pins);
	return rc;
}

int worddiff_texts(worddiff *d, const char *old_text, size_t old_len, const char *new_text, size_t new_len,
		   const worddiff_limits *limits)
{
	*d = (worddiff){ 0 };
	if (old_len > WORDDIFF_TEXT_MAX || new_len > WORDDIFF_TEXT_MAX)
		return -1;
	work w = { .d = d };
	w.max_edits = limits ? limits->max_edits : WORDDIFF_MAX_EDITS;
	w.bound.budget = limits ? limits->budget : WORDDIFF_BUDGET;
	int rc = -1;
	uint64_t seed = draw_seed();
	if (side_cut(&w.old, old_text, old_len) || side_cut(&w.new, new_text, new_len) ||
	    table_open(&w.paras, w.old.npara + w.new.npara, seed) || table_open(&w.tokens, 1024, seed) ||
	    intern_paragraphs(&w))
		goto done;
	rc = align(&w);
done:
	side_free(&w.old);
	side_free(&w.new);
	free(w.paras.v);
	free(w.tokens.v);
	free(w.count);
	free(w.squeezed);
	if (rc)
		worddiff_free(d);
	return rc;
}

void worddiff_free(worddiff *d)
{
	free(d->paras);
	free(d->parts);
	*d = (worddiff){ 0 };
}
