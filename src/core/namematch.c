/*
 * namematch — names' telling forms, their likeness and their keys (see namematch.h).
 */
#include "core/namematch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fold.h"

#define COMMON_WEIGHT 0.7   /* a word most names of bodies hold, against 1 for any other */
#define ALIKE_CREDIT 0.85   /* an alike word counts for this much of a same one */
#define MAX_KEYED_WORDS 12  /* a longer name is filed under its whole words only */
#define MAX_WORD 64         /* code points compared for a typo; longer words must be the same */

/* A word as names write it (folded, made singular) and the one word it stands for. */
typedef struct word_sense {
	const char *as_written;
	const char *means;
	int common;
} word_sense;

/* In strcmp order of as_written, for bsearch.  Abbreviations, spelling
 * variants and the French and Spanish words for a kind of body; "common"
 * marks the words that so many names of bodies hold that they tell little. */
static const word_sense senses[] = {
	{ "agcy", "agency", 1 }, { "agence", "agency", 1 }, { "agencia", "agency", 1 }, { "agency", "agency", 1 },
	{ "ambassade", "embassy", 1 }, { "asociacion", "association", 1 }, { "assn", "association", 1 },
	{ "assoc", "association", 1 }, { "association", "association", 1 }, { "authority", "authority", 1 },
	{ "autoridad", "authority", 1 }, { "autorite", "authority", 1 }, { "bureau", "office", 1 },
	{ "center", "centre", 1 }, { "centre", "centre", 1 }, { "centro", "centre", 1 }, { "cncl", "council", 1 },
	{ "comision", "commission", 1 }, { "comite", "committee", 1 }, { "comm", "commission", 1 },
	{ "commission", "commission", 1 }, { "committee", "committee", 1 }, { "conseil", "council", 1 },
	{ "consejo", "council", 1 }, { "council", "council", 1 }, { "ctr", "centre", 1 },
	{ "cttee", "committee", 1 }, { "departamento", "department", 1 }, { "departement", "department", 1 },
	{ "department", "department", 1 }, { "dept", "department", 1 }, { "embajada", "embassy", 1 },
	{ "embassy", "embassy", 1 }, { "fdn", "foundation", 1 }, { "federacion", "federation", 1 },
	{ "federation", "federation", 1 }, { "fondation", "foundation", 1 }, { "foro", "forum", 1 },
	{ "forum", "forum", 1 }, { "foundation", "foundation", 1 }, { "fundacion", "foundation", 1 },
	{ "gobierno", "government", 1 }, { "gouvernement", "government", 1 }, { "gov", "government", 1 },
	{ "government", "government", 1 }, { "govt", "government", 1 }, { "inst", "institute", 1 },
	{ "institut", "institute", 1 }, { "institute", "institute", 1 }, { "instituto", "institute", 1 },
	{ "int", "international", 1 }, { "internacional", "international", 1 },
	{ "international", "international", 1 }, { "intl", "international", 1 }, { "labor", "labour", 0 },
	{ "migracion", "migration", 1 }, { "migrant", "migrant", 1 }, { "migrante", "migrant", 1 },
	{ "migration", "migration", 1 }, { "min", "ministry", 1 }, { "ministere", "ministry", 1 },
	{ "ministerio", "ministry", 1 }, { "ministry", "ministry", 1 }, { "mision", "mission", 1 },
	{ "mission", "mission", 1 }, { "nacional", "national", 1 }, { "nat", "national", 1 },
	{ "national", "national", 1 }, { "natl", "national", 1 }, { "network", "network", 1 },
	{ "observatoire", "observatory", 1 }, { "observatorio", "observatory", 1 },
	{ "observatory", "observatory", 1 }, { "off", "office", 1 }, { "office", "office", 1 },
	{ "oficina", "office", 1 }, { "org", "organization", 1 }, { "organisation", "organization", 1 },
	{ "organizacion", "organization", 1 }, { "organization", "organization", 1 },
	{ "permanent", "permanent", 1 }, { "permanente", "permanent", 1 }, { "program", "programme", 0 },
	{ "programa", "programme", 0 }, { "programme", "programme", 0 }, { "red", "network", 1 },
	{ "reseau", "network", 1 }, { "sociedad", "society", 1 }, { "societe", "society", 1 },
	{ "society", "society", 1 }, { "univ", "university", 1 }, { "universidad", "university", 1 },
	{ "universite", "university", 1 }, { "university", "university", 1 },
};

static int by_written(const void *key, const void *item)
{
	return strcmp(key, ((const word_sense *)item)->as_written);
}

static int ends_with(const char *w, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	return n >= t && memcmp(w + n - t, tail, t) == 0;
}

/* The singular of a folded word, in place: "workers" → "worker", "bureaux"
 * → "bureau", "nationaux" → "national", "agencies" and "agency" both →
 * "agency" (the same rule on both sides of a comparison is what counts). */
static void singular(char *w)
{
	size_t n = strlen(w);
	if (n < 4)
		return;
	if (ends_with(w, n, "eaux")) {
		w[n - 1] = '\0';
	} else if (ends_with(w, n, "aux")) {
		w[n - 2] = 'l';
		w[n - 1] = '\0';
	} else if (w[n - 1] == 's' && !strchr("siu", w[n - 2])) {
		w[--n] = '\0';
	}
	if (n >= 4 && ends_with(w, n, "ie")) {
		w[n - 2] = 'y';
		w[n - 1] = '\0';
	}
}

static int by_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A form being made: its words one after another in one buffer, with their marks. */
typedef struct builder {
	buf words;
	size_t *offsets, count;
	unsigned char *common, *initial;
} builder;

/* Room for up to cap words. */
static void begin(builder *b, size_t cap)
{
	*b = (builder){ .words = BUF_INIT };
	b->offsets = malloc(cap * sizeof *b->offsets);
	b->common = malloc(cap);
	b->initial = malloc(cap);
	if (!b->offsets || !b->common || !b->initial)
		abort();
}

static void add_word(builder *b, const char *w, size_t n, int common, int initial)
{
	b->offsets[b->count] = b->words.len;
	b->common[b->count] = (unsigned char)common;
	b->initial[b->count] = (unsigned char)initial;
	buf_add(&b->words, w, n);
	buf_putc(&b->words, '\0');
	b->count++;
}

/* The form made: its words as pointers, sorted, each once, with their marks; the builder is spent. */
static void finish(builder *b, name_form *out)
{
	size_t n = b->count, *offsets = b->offsets;
	unsigned char *common = b->common, *initial = b->initial;
	if (!b->words.data)
		buf_putc(&b->words, '\0');
	out->mem = buf_steal(&b->words);
	out->w = malloc((n ? n : 1) * sizeof *out->w);
	if (!out->w)
		abort();
	for (size_t i = 0; i < n; i++)
		out->w[i] = out->mem + offsets[i];
	/* sort the words with their flags: the flags are found again from each word */
	char **sorted = malloc((n ? n : 1) * sizeof *sorted);
	if (!sorted)
		abort();
	memcpy(sorted, out->w, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_word);
	size_t kept = 0;
	out->common = malloc(n ? n : 1);
	out->initial = malloc(n ? n : 1);
	if (!out->common || !out->initial)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (kept && strcmp(sorted[kept - 1], sorted[i]) == 0)
			continue;
		size_t from = 0;
		while (out->w[from] != sorted[i])
			from++;
		out->common[kept] = common[from];
		out->initial[kept] = initial[from];
		sorted[kept++] = sorted[i];
	}
	free(out->w);
	out->w = sorted;
	out->n = kept;
	free(offsets);
	free(common);
	free(initial);
}

void name_form_of(name_form *out, const char *s, size_t n, int kind)
{
	buf folded = BUF_INIT;
	text_fold(&folded, s, n);
	size_t cap = 1;
	for (size_t i = 0; i < folded.len; i++)
		cap += folded.data[i] == ' ';
	builder b;
	begin(&b, cap);
	char *save = NULL;
	for (char *w = strtok_r(folded.len ? folded.data : "", " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		int one_letter = strlen(w) == 1 && kind == NAME_PERSON;   /* a person's: an initial */
		if (!one_letter && text_stop_word(w))
			continue;
		singular(w);
		const word_sense *sense = kind == NAME_PERSON ? NULL
			: bsearch(w, senses, sizeof senses / sizeof *senses, sizeof *senses, by_written);
		const char *word = sense ? sense->means : w;
		add_word(&b, word, strlen(word), sense && sense->common, one_letter);
	}
	finish(&b, out);
	buf_free(&folded);
}

void name_form_write(const name_form *f, buf *out)
{
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			buf_putc(out, ' ');
		buf_puts(out, f->w[i]);
		if (f->common[i] || f->initial[i])
			buf_putc(out, f->common[i] ? '*' : '.');
	}
}

void name_form_read(name_form *out, const char *s, size_t n)
{
	size_t cap = 1;
	for (size_t i = 0; i < n; i++)
		cap += s[i] == ' ';
	builder b;
	begin(&b, cap);
	for (size_t at = 0; at < n;) {
		size_t end = at;
		while (end < n && s[end] != ' ')
			end++;
		size_t len = end - at;
		char mark = len ? s[end - 1] : 0;
		int marked = mark == '*' || mark == '.';
		if (len > (size_t)marked)
			add_word(&b, s + at, len - (size_t)marked, mark == '*', mark == '.');
		at = end + 1;
	}
	finish(&b, out);
}

void name_form_free(name_form *f)
{
	free(f->w);
	free(f->common);
	free(f->initial);
	free(f->mem);
	*f = (name_form){ 0 };
}

/* ---- likeness ------------------------------------------------------------ */

/* The code points of a word, at most MAX_WORD of them; their count, or -1 when longer. */
static int code_points(const char *w, int32_t *out)
{
	const unsigned char *p = (const unsigned char *)w;
	int n = 0;
	while (*p) {
		int32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
		for (; more && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3f);
		if (n == MAX_WORD)
			return -1;
		out[n++] = c;
	}
	return n;
}

/* Edits (insertions, deletions, substitutions, swaps of neighbours) from a
 * to b, or more than limit when there are more: the optimal string alignment
 * distance, within the band the limit allows. */
static int edits_within(const int32_t *a, int an, const int32_t *b, int bn, int limit)
{
	if (abs(an - bn) > limit)
		return limit + 1;
	int rows[3][MAX_WORD + 1];
	int *before = rows[0], *prev = rows[1], *cur = rows[2];
	for (int j = 0; j <= bn; j++)
		prev[j] = j;
	for (int i = 1; i <= an; i++) {
		int best = cur[0] = i;
		for (int j = 1; j <= bn; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < d)
				d = before[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit)
			return limit + 1;
		int *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[bn];
}

int name_words_alike(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > lb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tl = la;
		la = lb;
		lb = tl;
	}
	if (strpbrk(a, "0123456789") || strpbrk(b, "0123456789"))
		return 0;                  /* a number is a number: "G20" is not "G77", "Room 101" not "102" */
	if (la >= 3 && lb >= 7 && lb >= la + 3 && strncmp(a, b, la) == 0)
		return 1;                  /* an abbreviation of a long word: "observ" of "observatory" */
	int32_t x[MAX_WORD], y[MAX_WORD];
	int nx = code_points(a, x), ny = code_points(b, y);
	if (nx < 0 || ny < 0)
		return 0;
	int shorter = nx < ny ? nx : ny;
	int limit = shorter >= 10 ? 2 : shorter >= 4 ? 1 : 0;
	return limit && edits_within(x, nx, y, ny, limit) <= limit;
}

/* Whether a's word i is an initial that b's word j begins with. */
static int initial_of(const name_form *a, size_t i, const name_form *b, size_t j)
{
	return a->initial[i] && b->w[j][0] == a->w[i][0] && b->w[j][1];
}

static double weight(const name_form *f, size_t i)
{
	return f->common[i] ? COMMON_WEIGHT : 1.0;
}

/* An order of forms, so that a pair is compared the same way round whichever comes first. */
static int form_order(const name_form *a, const name_form *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = 0; i < a->n; i++) {
		int c = strcmp(a->w[i], b->w[i]);
		if (c)
			return c;
	}
	return 0;
}

name_likeness name_compare(const name_form *a, const name_form *b)
{
	name_likeness l = { 0 };
	if (!a->n || !b->n)
		return l;
	if (form_order(a, b) > 0) {   /* which words an alike word pairs with must not depend on the order asked */
		const name_form *t = a;
		a = b;
		b = t;
	}
	unsigned char matched_a[a->n], matched_b[b->n];
	memset(matched_a, 0, a->n);
	memset(matched_b, 0, b->n);
	double shared = 0, all = 0;
	for (size_t i = 0, j = 0; i < a->n && j < b->n;) {   /* the same words: both lists are sorted */
		int c = strcmp(a->w[i], b->w[j]);
		if (c == 0) {
			matched_a[i] = matched_b[j] = 1;
			shared += weight(a, i);
			all += weight(a, i);
			l.same++;
		}
		i += c <= 0;
		j += c >= 0;
	}
	for (size_t i = 0; i < a->n; i++) {                   /* then alike ones, each used once */
		for (size_t j = 0; j < b->n && !matched_a[i]; j++) {
			if (matched_b[j] || !(initial_of(a, i, b, j) || initial_of(b, j, a, i) ||
					      name_words_alike(a->w[i], b->w[j])))
				continue;
			double w = (weight(a, i) + weight(b, j)) / 2;
			matched_a[i] = matched_b[j] = 1;
			shared += ALIKE_CREDIT * w;
			all += w;
			l.alike++;
		}
	}
	for (size_t i = 0; i < a->n; i++)
		if (!matched_a[i]) {
			all += weight(a, i);
			l.apart++;
		}
	for (size_t j = 0; j < b->n; j++)
		if (!matched_b[j]) {
			all += weight(b, j);
			l.apart++;
		}
	l.score = all > 0 ? shared / all : 0;
	return l;
}

/* ---- keys ------------------------------------------------------------------ */

/* "w:" or "p:", then the words but skip (or all when skip is n), space-separated. */
static void words_but(buf *k, const char *kind, const name_form *f, size_t skip)
{
	buf_reset(k);
	buf_puts(k, kind);
	int first = 1;
	for (size_t i = 0; i < f->n; i++) {
		if (i == skip)
			continue;
		if (!first)
			buf_putc(k, ' ');
		buf_puts(k, f->w[i]);
		first = 0;
	}
}

/* The byte where a word's last two letters (code points) begin. */
static size_t last_two(const char *w)
{
	size_t at = strlen(w);
	for (int letters = 0; at > 0 && letters < 2; letters++)
		while (at > 0 && ((unsigned char)w[--at] & 0xc0) == 0x80)
			;
	return at;
}

/* "|^" and a word's first two letters, or "|$" and its last two: one
 * typo in a word of four letters or more leaves one of them as it was. */
static void two_letters(buf *k, const char *w, int last)
{
	buf_puts(k, last ? "|$" : "|^");
	if (last) {
		buf_puts(k, w + last_two(w));
		return;
	}
	const unsigned char *p = (const unsigned char *)w;
	for (int letters = 0; *p && letters < 2; letters++)
		do
			buf_putc(k, (char)*p++);
		while ((*p & 0xc0) == 0x80);
}

void name_keys(const name_form *f, name_key_fn fn, void *ctx)
{
	buf k = BUF_INIT;
	if (!f->n)
		return;
	words_but(&k, "w:", f, f->n);
	fn(ctx, buf_str(&k), 0);
	for (size_t i = 0; f->n >= 2 && f->n <= MAX_KEYED_WORDS && i < f->n; i++)
		for (int last = 0; last < 2; last++) {
			words_but(&k, "p:", f, i);
			two_letters(&k, f->w[i], last);
			fn(ctx, buf_str(&k), 0);
		}
	buf_free(&k);
}

void name_probes(const name_form *f, name_key_fn fn, void *ctx)
{
	buf k = BUF_INIT;
	name_keys(f, fn, ctx);
	for (size_t i = 0; f->n >= 2 && f->n <= MAX_KEYED_WORDS && i < f->n; i++) {
		words_but(&k, "w:", f, i);
		fn(ctx, buf_str(&k), 0);
	}
	if (f->n && f->n < MAX_KEYED_WORDS) {
		words_but(&k, "p:", f, f->n);
		buf_putc(&k, '|');
		fn(ctx, buf_str(&k), 1);
	}
	for (size_t i = 0; f->n >= 2 && f->n <= MAX_KEYED_WORDS && i < f->n; i++) {
		if (!f->initial[i])
			continue;   /* "A." finds the names with the other words and a word that starts with "a" */
		words_but(&k, "p:", f, i);
		buf_printf(&k, "|^%s", f->w[i]);
		fn(ctx, buf_str(&k), 1);
	}
	buf_free(&k);
}
