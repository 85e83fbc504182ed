/*
 * fold — the one folded form of text used to match names, and the
 * similarity measures computed on it.
 *
 * Folding runs once per record when a million records are indexed, so the
 * work per call is a fixed handful of allocations, never one per character:
 * utf8proc turns the whole string into code points in a single buffer
 * (decomposed, case-folded, marks removed, then recomposed), and one pass
 * over those code points writes words into the caller's buf.
 */
#include "fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"

/* NFKC + case folding; IGNORE drops soft hyphens and zero-width
 * characters so that they do not split a word in two.  Marks are stripped
 * here rather than by UTF8PROC_STRIPMARK, which would also strip the vowel
 * signs of Indic scripts. */
#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
		      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* Code points held on the stack; longer texts cost one malloc. */
#define STACK_CPS 512

/* ---- UTF-8 validity --------------------------------------------------- */

/* The well-formed character at s (n bytes left), 0 when there is none: a
 * NUL is none here, as folded text never holds one. */
static size_t utf8_seq(const char *s, size_t n)
{
	return *s ? utf8_next(s, n, NULL) : 0;
}

int utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_seq(s + i, n - i);
		if (!len)
			return 0;
		i += len;
	}
	return 1;
}

/* Copies the well-formed sequences of s into tmp, skipping bad bytes one at
 * a time so that the next good character is not lost. */
static void drop_invalid(buf *tmp, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_seq(s + i, n - i);
		if (len)
			buf_add(tmp, s + i, len);
		i += len ? len : 1;
	}
}

char *text_nfc(const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return NULL;
	if (n == 0)
		return calloc(1, 1);
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
					  &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0)
		return NULL;
	return (char *)dst;
}

/* ---- folding ---------------------------------------------------------- */

static int is_mark(utf8proc_int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
	       cat == UTF8PROC_CATEGORY_ME;
}

/* Accents are optional decoration on Latin, Greek and Cyrillic letters, and
 * so are Hebrew and Arabic vowel points: people type names with or without
 * them.  In Indic and most other scripts marks are vowels that tell words
 * apart, so they stay. */
static int marks_are_optional(utf8proc_int32_t base)
{
	return base < 0x0780 || (base >= 0x1E00 && base <= 0x1FFF);
}

/* Removes optional marks from decomposed text, in place; returns the new
 * length. */
static utf8proc_ssize_t strip_marks(utf8proc_int32_t *cps, utf8proc_ssize_t n)
{
	utf8proc_int32_t base = 0;
	utf8proc_ssize_t kept = 0;

	for (utf8proc_ssize_t i = 0; i < n; i++) {
		if (!is_mark(cps[i]))
			base = cps[i];
		else if (marks_are_optional(base))
			continue;
		cps[kept++] = cps[i];
	}
	return kept;
}

/* Decodes valid UTF-8 into folded code points.  Uses stack (STACK_CPS
 * entries) when it is enough, otherwise *heap, which the caller frees.
 * Returns the number of code points, negative on failure. */
static utf8proc_ssize_t fold_cps(const char *s, size_t n, utf8proc_int32_t *stack,
				 utf8proc_int32_t **cps, utf8proc_int32_t **heap)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t len = (utf8proc_ssize_t)n;

	*cps = stack;
	*heap = NULL;
	utf8proc_ssize_t need = utf8proc_decompose(u, len, stack, STACK_CPS, FOLD_OPTIONS);
	if (need > STACK_CPS) {
		*heap = malloc((size_t)need * sizeof **heap);
		if (!*heap)
			abort();
		*cps = *heap;
		need = utf8proc_decompose(u, len, *heap, need, FOLD_OPTIONS);
	}
	if (need < 0)
		return need;
	need = strip_marks(*cps, need);
	return utf8proc_normalize_utf32(*cps, need, FOLD_OPTIONS);
}

/* Latin letters that have no decomposition, so neither NFKC nor mark
 * stripping reaches them; spelled the way an English or French keyboard
 * would type them.  Input is already case-folded. */
static const char *latin_spelling(utf8proc_int32_t c)
{
	switch (c) {
	case 0x0153: return "oe"; /* œ */
	case 0x00E6: return "ae"; /* æ */
	case 0x00F8: return "o";  /* ø */
	case 0x0142: return "l";  /* ł */
	case 0x0111: return "d";  /* đ */
	case 0x00F0: return "d";  /* ð */
	case 0x00FE: return "th"; /* þ */
	case 0x0131: return "i";  /* ı */
	default: return NULL;
	}
}

/* Typewriter and typographic apostrophes, and the look-alikes people type
 * in their place. */
static int is_apostrophe(utf8proc_int32_t c)
{
	return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

int text_word_char(int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* French words that lose their vowel before another word: "l'asile",
 * "qu'il", "jusqu'au". */
static int is_elision(const char *w, size_t n)
{
	static const char *const words[] = {
		"c", "d", "j", "l", "m", "n", "s", "t",
		"qu", "jusqu", "lorsqu", "puisqu",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return 1;
	return 0;
}

/* Where the word being written starts, so an elided word can be taken
 * back; the space before a word is written only when the word starts,
 * which is what collapses and trims white space. */
typedef struct fold_state {
	buf *out;
	size_t base;     /* out->len on entry: text before it is not ours */
	size_t sep;      /* out->len before the current word and its space */
	size_t word;     /* offset of the current word's first byte */
	int in_word;
} fold_state;

static void start_word(fold_state *st)
{
	if (st->in_word)
		return;
	st->sep = st->out->len;
	if (st->out->len > st->base)
		buf_putc(st->out, ' ');
	st->word = st->out->len;
	st->in_word = 1;
}

static void put_cp(fold_state *st, utf8proc_int32_t c)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t len = utf8proc_encode_char(c, enc);

	start_word(st);
	buf_add(st->out, enc, (size_t)len);
}

static void apostrophe(fold_state *st)
{
	buf *out = st->out;

	if (st->in_word && is_elision(out->data + st->word, out->len - st->word)) {
		out->len = st->sep;
		out->data[out->len] = '\0';
	}
	st->in_word = 0;
}

static void put_folded(fold_state *st, utf8proc_int32_t c)
{
	const char *spelled = latin_spelling(c);

	if (spelled) {
		start_word(st);
		buf_puts(st->out, spelled);
	} else if (is_apostrophe(c)) {
		apostrophe(st);
	} else if (text_word_char(c)) {
		put_cp(st, c);
	} else {
		st->in_word = 0;
	}
}

void text_fold(buf *out, const char *s, size_t n)
{
	buf clean = BUF_INIT;
	utf8proc_int32_t stack[STACK_CPS], *cps, *heap;

	if (!utf8_valid(s, n)) {
		drop_invalid(&clean, s, n);
		s = buf_str(&clean);
		n = clean.len;
	}
	utf8proc_ssize_t count = fold_cps(s, n, stack, &cps, &heap);
	fold_state st = { out, out->len, 0, 0, 0 };
	for (utf8proc_ssize_t i = 0; i < count; i++)
		put_folded(&st, cps[i]);
	free(heap);
	buf_free(&clean);
}

/* ---- words ------------------------------------------------------------ */

void text_tokens(token_list *out, const char *s, size_t n)
{
	buf b = BUF_INIT;

	text_fold(&b, s, n);
	size_t words = b.len ? 1 : 0;
	for (size_t i = 0; i < b.len; i++)
		words += b.data[i] == ' ';
	out->n = 0;
	out->mem = buf_steal(&b);
	out->v = words ? malloc(words * sizeof *out->v) : NULL;
	if (words && !out->v)
		abort();
	for (char *p = words ? out->mem : NULL; p;) {
		out->v[out->n++] = p;
		p = strchr(p, ' ');
		if (p)
			*p++ = '\0';
	}
}

void token_list_free(token_list *t)
{
	free(t->v);
	free(t->mem);
	t->v = NULL;
	t->mem = NULL;
	t->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Function words of the three working languages, folded, in strcmp order
 * for bsearch.  Kept short: a word that carries meaning in one language
 * must not disappear because it is a function word in another. */
int text_stop_word(const char *w)
{
	static const char *const words[] = {
		"a", "al", "an", "and", "at", "au", "aux", "avec", "by", "con",
		"dans", "de", "del", "des", "du", "e", "el", "en", "et", "for",
		"from", "in", "la", "las", "le", "les", "lo", "los", "o", "of",
		"on", "or", "ou", "par", "para", "por", "pour", "sur", "the", "to",
		"u", "un", "una", "une", "with", "y",
	};
	return bsearch(&w, words, sizeof words / sizeof *words, sizeof *words, cmp_str) != NULL;
}

/* Sorts the words and drops repeats, making the list a set. */
static void make_set(token_list *t)
{
	size_t kept = 0;

	if (t->n < 2)
		return;
	qsort(t->v, t->n, sizeof *t->v, cmp_str);
	for (size_t i = 0; i < t->n; i++)
		if (kept == 0 || strcmp(t->v[kept - 1], t->v[i]) != 0)
			t->v[kept++] = t->v[i];
	t->n = kept;
}

/* Intersection and union sizes of two sets, optionally ignoring stop
 * words, in one merge pass. */
static void overlap(const token_list *a, const token_list *b, int skip_stop,
		    size_t *both, size_t *either)
{
	size_t i = 0, j = 0;

	*both = *either = 0;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
		const char *w = c <= 0 ? a->v[i] : b->v[j];
		i += c <= 0;
		j += c >= 0;
		if (skip_stop && text_stop_word(w))
			continue;
		*both += c == 0;
		*either += 1;
	}
}

void text_token_set(token_list *out, const char *s, size_t n)
{
	text_tokens(out, s, n);
	make_set(out);
}

double token_set_similarity(const token_list *a, const token_list *b)
{
	size_t both, either;
	overlap(a, b, 1, &both, &either);
	if (either == 0)
		overlap(a, b, 0, &both, &either);
	if (a->n == 0 || b->n == 0)
		either = 0;
	return either ? (double)both / (double)either : 0.0;
}

double token_similarity(const char *a, size_t an, const char *b, size_t bn)
{
	token_list ta, tb;
	text_token_set(&ta, a, an);
	text_token_set(&tb, b, bn);
	double s = token_set_similarity(&ta, &tb);
	token_list_free(&ta);
	token_list_free(&tb);
	return s;
}

/* ---- trigrams --------------------------------------------------------- */

static uint64_t trigram(utf8proc_int32_t a, utf8proc_int32_t b, utf8proc_int32_t c)
{
	return (uint64_t)a << 42 | (uint64_t)b << 21 | (uint64_t)c;
}

/* Appends the trigrams of "  word " to g, returns the new count.  The
 * leading pair of spaces gives word beginnings extra weight: typos are
 * rarer at the start of a word. */
static size_t word_trigrams(const char *w, uint64_t *g, size_t count)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)w;
	utf8proc_int32_t x = ' ', y = ' ', c;

	while (*p) {
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &c);
		if (len <= 0)
			break;
		p += len;
		g[count++] = trigram(x, y, c);
		x = y;
		y = c;
	}
	g[count++] = trigram(x, y, ' ');
	return count;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Sorted distinct trigrams of the words of s; *g to free(). */
static size_t trigram_set(const char *s, size_t n, uint64_t **g)
{
	token_list t;
	size_t cap = 0, count = 0, kept = 0;

	text_tokens(&t, s, n);
	for (size_t i = 0; i < t.n; i++)
		cap += strlen(t.v[i]) + 1;  /* bytes bound code points */
	*g = cap ? malloc(cap * sizeof **g) : NULL;
	if (cap && !*g)
		abort();
	for (size_t i = 0; i < t.n; i++)
		count = word_trigrams(t.v[i], *g, count);
	token_list_free(&t);
	if (count)
		qsort(*g, count, sizeof **g, cmp_u64);
	for (size_t i = 0; i < count; i++)
		if (kept == 0 || (*g)[kept - 1] != (*g)[i])
			(*g)[kept++] = (*g)[i];
	return kept;
}

double trigram_similarity(const char *a, size_t an, const char *b, size_t bn)
{
	uint64_t *ga, *gb;
	size_t na = trigram_set(a, an, &ga);
	size_t nb = trigram_set(b, bn, &gb);
	size_t i = 0, j = 0, both = 0;

	while (i < na && j < nb) {
		if (ga[i] < gb[j]) {
			i++;
		} else if (ga[i] > gb[j]) {
			j++;
		} else {
			both++;
			i++;
			j++;
		}
	}
	free(ga);
	free(gb);
	if (na == 0 || nb == 0)
		return 0.0;
	return (double)both / (double)(na + nb - both);
}

/* ---- acronyms --------------------------------------------------------- */

static void put_initial(buf *out, const char *w)
{
	utf8proc_int32_t c;
	utf8proc_uint8_t enc[4];

	if (utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &c) <= 0)
		return;
	utf8proc_ssize_t len = utf8proc_encode_char(utf8proc_toupper(c), enc);
	buf_add(out, enc, (size_t)len);
}

void text_acronym(buf *out, const char *s, size_t n)
{
	token_list t;
	int any_content = 0;

	text_tokens(&t, s, n);
	for (size_t i = 0; i < t.n && !any_content; i++)
		any_content = !text_stop_word(t.v[i]);
	for (size_t i = 0; i < t.n; i++)
		if (!any_content || !text_stop_word(t.v[i]))
			put_initial(out, t.v[i]);
	token_list_free(&t);
}
