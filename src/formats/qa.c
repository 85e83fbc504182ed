/*
 * qa — the checks on a translated segment (see qa.h).
 *
 * Each check reads only the text between inline codes (inline_next), so
 * that "{1}" or "<g2>" is never a number nor a word.  Numbers are compared
 * by value written one way: every language's reading of its own separators
 * gives digits with "." before the decimals, so 1,234.5 (English),
 * 1 234,5 (French) and 1.234,5 (Spanish) are all "1234.5".  Terms are
 * compared as the search compares words: folded by core/fold.c (case,
 * accents, elisions) and cut to their Snowball stems in the target's
 * language, so "État membre" finds "États membres".
 */
#include "formats/qa.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/textfit.h"
#include "core/utf8.h"
#include "formats/inline.h"
#include "formats/words.h"

#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */

typedef struct qa_run {
	const qa_segment *seg;
	buf found;   /* qa_warning records */
} qa_run;

static void warn(qa_run *r, qa_code code, size_t off, size_t len, const char *item, size_t item_len)
{
	qa_warning w = { .code = code, .off = off, .len = len };
	if (item_len) {
		buf cut = BUF_INIT;
		text_cut(&cut, item, item_len, 30);
		size_t n = cut.len;
		/* A cut keeps a letter's accents whole, so 30 characters may be
		 * more bytes than fit: then cut again where a character starts. */
		if (n >= QA_ITEM_MAX)
			for (n = QA_ITEM_MAX - 1; n && (cut.data[n] & 0xC0) == 0x80; n--)
				;
		memcpy(w.item, cut.data, n);
		w.item[n] = '\0';
		buf_free(&cut);
	}
	buf_add(&r->found, &w, sizeof w);
}

static uint32_t char_at(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp = 0;
	*len = utf8_next(s + i, n - i, &cp);
	if (!*len)
		*len = 1;   /* texts are validated first: never reached on them */
	return cp;
}

/* Spaces within a line, the no-break ones French puts before ? ! : ; included. */
static int is_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x00A0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007;
}

static int is_space(uint32_t cp)
{
	return is_blank(cp) || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x2028 || cp == 0x2029;
}

/* ---- something translated ---------------------------------------------- */

/* Whether the text outside codes has a letter that is not a capital: an
 * acronym or a number may stand as it is in every language, words not. */
static int has_words(const char *s, size_t n)
{
	inline_piece p;
	for (size_t pos = 0; inline_next(s, n, &pos, &p);) {
		if (p.kind != INLINE_TEXT)
			continue;
		size_t len;
		for (size_t i = p.off; i < p.off + p.len; i += len)
			if (utf8proc_category((utf8proc_int32_t)char_at(s, p.off + p.len, i, &len)) == UTF8PROC_CATEGORY_LL)
				return 1;
	}
	return 0;
}

/* The text between its leading and trailing white space. */
static void trim(const char *s, size_t n, size_t *from, size_t *to)
{
	size_t i = 0, len, end = 0;
	while (i < n && is_space(char_at(s, n, i, &len)))
		i += len;
	*from = i;
	for (; i < n; i += len)
		if (!is_space(char_at(s, n, i, &len)))
			end = i + len;
	*to = end > *from ? end : *from;
}

/* 1 when the target is empty or the source itself: nothing else to check. */
static int check_translated(qa_run *r)
{
	const qa_segment *g = r->seg;
	size_t sf, st, tf, tt;
	trim(g->source, g->source_len, &sf, &st);
	trim(g->target, g->target_len, &tf, &tt);
	if (tf == tt) {
		if (sf == st)
			return 1;   /* nothing to translate, nothing translated */
		warn(r, QA_EMPTY, 0, 0, NULL, 0);
		return 1;
	}
	if (st - sf == tt - tf && memcmp(g->source + sf, g->target + tf, tt - tf) == 0 &&
	    has_words(g->source, g->source_len)) {
		warn(r, QA_UNTRANSLATED, tf, tt - tf, NULL, 0);
		return 1;
	}
	return 0;
}

/* ---- tags and placeholders --------------------------------------------- */

static size_t find_bytes(const char *s, size_t n, const char *what, size_t k)
{
	for (size_t i = 0; k && i + k <= n; i++)
		if (memcmp(s + i, what, k) == 0)
			return i;
	return n;
}

static void check_codes(qa_run *r)
{
	const qa_segment *g = r->seg;
	size_t at;
	inline_error e = inline_check(g->target, g->target_len, &at);
	if (e != INLINE_OK) {
		const char *why = inline_error_message(e);
		warn(r, QA_CODES_BROKEN, at, 0, why, strlen(why));
		return;
	}
	char missing[64];
	if (inline_same(g->source, g->source_len, g->target, g->target_len, missing, sizeof missing) != 0)
		return;
	/* A code the target has once too often is pointed at; one it lacks has no place. */
	size_t k = strlen(missing), where = find_bytes(g->target, g->target_len, missing, k);
	if (where < g->target_len && find_bytes(g->source, g->source_len, missing, k) == g->source_len)
		warn(r, QA_CODES_DIFFER, where, k, missing, k);
	else
		warn(r, QA_CODES_DIFFER, 0, 0, missing, k);
}

/* ---- numbers ------------------------------------------------------------ */

/* How a language writes numbers: what may stand between groups of three
 * digits, the decimal mark and the other decimal mark some of its readers
 * use (Spanish in Mexico writes 1.5).  Thin and no-break spaces group
 * digits in every language (the SI's way). */
typedef struct number_style {
	const char *groups;        /* ASCII separators of groups */
	char decimal, decimal_alt;
} number_style;

static number_style style_of(const char *lang)
{
	if (lang && strcmp(lang, "fr") == 0)
		return (number_style){ " ", ',', 0 };
	if (lang && strcmp(lang, "es") == 0)
		return (number_style){ ". ", ',', '.' };
	return (number_style){ ",", '.', 0 };
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The length of a group separator at s[i] in this style, or 0. */
static size_t group_sep_at(const number_style *st, const char *s, size_t n, size_t i)
{
	if (i < n && s[i] != 0 && strchr(st->groups, s[i]))
		return 1;
	size_t len;
	uint32_t cp = i < n ? char_at(s, n, i, &len) : 0;
	return cp == 0x00A0 || cp == 0x202F || cp == 0x2009 ? len : 0;
}

/* Whether exactly three digits start at s[i]. */
static int three_digits_at(const char *s, size_t n, size_t i)
{
	return i + 3 <= n && is_digit(s[i]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) && (i + 3 == n || !is_digit(s[i + 3]));
}

typedef struct number {
	size_t off, len;       /* as written */
	size_t value, value_len;   /* its value's text, in the run's values buffer */
} number;

/* Reads the number starting with the digit at s[i] (n: the end of the
 * text piece); its end, its value appended to values. */
static size_t read_number(const number_style *st, const char *s, size_t n, size_t i, buf *values)
{
	size_t start = i;
	while (i < n && is_digit(s[i]))
		buf_putc(values, s[i++]);
	if (i - start <= 3) {
		for (size_t sep; (sep = group_sep_at(st, s, n, i)) && three_digits_at(s, n, i + sep); i += sep + 3)
			buf_add(values, s + i + sep, 3);
	}
	if (i + 1 < n && (s[i] == st->decimal || (st->decimal_alt && s[i] == st->decimal_alt)) && is_digit(s[i + 1])) {
		buf_putc(values, '.');
		for (i++; i < n && is_digit(s[i]); i++)
			buf_putc(values, s[i]);
	}
	return i;
}

/* The numbers of a text outside its codes, as number records in out. */
static void numbers_of(const char *s, size_t n, const char *lang, buf *out, buf *values)
{
	number_style st = style_of(lang);
	inline_piece p;
	for (size_t pos = 0; inline_next(s, n, &pos, &p);) {
		if (p.kind != INLINE_TEXT)
			continue;
		size_t end = p.off + p.len;
		for (size_t i = p.off; i < end;) {
			if (!is_digit(s[i])) {
				i++;
				continue;
			}
			number num = { .off = i, .value = values->len };
			i = read_number(&st, s, end, i, values);
			num.len = i - num.off;
			num.value_len = values->len - num.value;
			buf_add(out, &num, sizeof num);
		}
	}
}

static int number_cmp(const void *a, const void *b, void *values)
{
	const number *x = a, *y = b;
	const char *v = values;
	size_t n = x->value_len < y->value_len ? x->value_len : y->value_len;
	int c = memcmp(v + x->value, v + y->value, n);
	if (c)
		return c;
	if (x->value_len != y->value_len)
		return x->value_len < y->value_len ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;   /* in the order of the text among equals */
}

static int offset_cmp(const void *a, const void *b)
{
	const number *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Marks with SIZE_MAX the value of every number of a that b also has (as
 * many times), leaving those a has over b; both sorted by value. */
static void strike_common(number *a, size_t na, const char *av, number *b, size_t nb, const char *bv)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		size_t n = a[i].value_len < b[j].value_len ? a[i].value_len : b[j].value_len;
		int c = memcmp(av + a[i].value, bv + b[j].value, n);
		if (!c)
			c = a[i].value_len < b[j].value_len ? -1 : a[i].value_len > b[j].value_len;
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			a[i++].value = SIZE_MAX;
			b[j++].value = SIZE_MAX;
		}
	}
}

static void check_numbers(qa_run *r)
{
	const qa_segment *g = r->seg;
	buf sn = BUF_INIT, sv = BUF_INIT, tn = BUF_INIT, tv = BUF_INIT;
	numbers_of(g->source, g->source_len, g->source_lang, &sn, &sv);
	numbers_of(g->target, g->target_len, g->target_lang, &tn, &tv);
	number *s = (number *)(void *)sn.data, *t = (number *)(void *)tn.data;
	size_t ns = sn.len / sizeof *s, nt = tn.len / sizeof *t;
	if (ns)
		qsort_r(s, ns, sizeof *s, number_cmp, sv.data);
	if (nt)
		qsort_r(t, nt, sizeof *t, number_cmp, tv.data);
	strike_common(s, ns, sv.data, t, nt, tv.data);
	if (ns)
		qsort(s, ns, sizeof *s, offset_cmp);
	if (nt)
		qsort(t, nt, sizeof *t, offset_cmp);
	for (size_t i = 0; i < ns; i++)
		if (s[i].value != SIZE_MAX)
			warn(r, QA_NUMBER_MISSING, 0, 0, g->source + s[i].off, s[i].len);
	for (size_t i = 0; i < nt; i++)
		if (t[i].value != SIZE_MAX)
			warn(r, QA_NUMBER_ADDED, t[i].off, t[i].len, g->target + t[i].off, t[i].len);
	buf_free(&sn);
	buf_free(&sv);
	buf_free(&tn);
	buf_free(&tv);
}

/* ---- terms -------------------------------------------------------------- */

static void check_term(qa_run *r, const qa_term *term, word_list *target, word_list *scratch)
{
	size_t off, len;
	int preferred_used = term->npreferred == 0;
	for (size_t i = 0; i < term->npreferred && !preferred_used; i++) {
		words_read(scratch, term->preferred[i], strlen(term->preferred[i]));
		preferred_used = words_find(target, scratch, &off, &len);
	}
	if (!preferred_used)
		warn(r, QA_TERM_MISSING, 0, 0, term->preferred[0], strlen(term->preferred[0]));
	for (size_t i = 0; i < term->ndeprecated; i++) {
		words_read(scratch, term->deprecated[i], strlen(term->deprecated[i]));
		if (words_find(target, scratch, &off, &len))
			warn(r, QA_TERM_DEPRECATED, off, len, term->deprecated[i], strlen(term->deprecated[i]));
	}
}

static void check_terms(qa_run *r)
{
	const qa_segment *g = r->seg;
	if (!g->nterms)
		return;
	word_list target, scratch;
	words_init(&target, g->target_lang);
	words_init(&scratch, NULL);
	scratch.stemmer = target.stemmer;   /* the terms are in the target's language: one stemmer serves both */
	words_read(&target, g->target, g->target_len);
	for (size_t i = 0; i < g->nterms; i++)
		check_term(r, &g->terms[i], &target, &scratch);
	scratch.stemmer = NULL;
	words_free(&scratch);
	words_free(&target);
}

/* ---- white space -------------------------------------------------------- */

/* Whether the text between its ends has two blanks in a row; the first
 * such run's place in *off, *len. */
static int inner_double_space(const char *s, size_t n, size_t from, size_t to, size_t *off, size_t *len)
{
	size_t i = from, clen;
	while (i < to) {
		if (!is_blank(char_at(s, n, i, &clen))) {
			i += clen;
			continue;
		}
		size_t start = i, count = 0;
		while (i < to && is_blank(char_at(s, n, i, &clen)))
			i += clen, count++;
		if (count >= 2) {
			*off = start;
			*len = i - start;
			return 1;
		}
	}
	return 0;
}

static void check_double_spaces(qa_run *r)
{
	const qa_segment *g = r->seg;
	size_t sf, st, tf, tt, off, len;
	trim(g->source, g->source_len, &sf, &st);
	trim(g->target, g->target_len, &tf, &tt);
	if (inner_double_space(g->source, g->source_len, sf, st, &off, &len))
		return;   /* the source's own layout, kept on purpose */
	for (size_t from = tf; inner_double_space(g->target, g->target_len, from, tt, &off, &len); from = off + len)
		warn(r, QA_DOUBLE_SPACE, off, len, NULL, 0);
}

/* Whether two runs of white space are the same, every blank being one. */
static int same_space(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0, al, bl;
	while (i < an && j < bn) {
		uint32_t x = char_at(a, an, i, &al), y = char_at(b, bn, j, &bl);
		if (x != y && !(is_blank(x) && is_blank(y)))
			return 0;
		i += al;
		j += bl;
	}
	return i == an && j == bn;
}

static void check_ends(qa_run *r)
{
	const qa_segment *g = r->seg;
	size_t sf, st, tf, tt;
	trim(g->source, g->source_len, &sf, &st);
	trim(g->target, g->target_len, &tf, &tt);
	if (!same_space(g->source, sf, g->target, tf))
		warn(r, QA_LEADING_SPACE, 0, tf, NULL, 0);
	if (!same_space(g->source + st, g->source_len - st, g->target + tt, g->target_len - tt))
		warn(r, QA_TRAILING_SPACE, tt, g->target_len - tt, NULL, 0);
}

/* ---- end punctuation ---------------------------------------------------- */

/* What closes a sentence after its punctuation, and is passed over. */
static int is_closer(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x00BB || cp == 0x201D || cp == 0x2019 ||
	       cp == 0x203A;
}

/* The end punctuation of a sentence as one kind: full stops of every
 * script are one, "..." is "…"; 0 for none. */
static uint32_t end_kind(uint32_t cp, uint32_t before)
{
	switch (cp) {
	case '.': return before == '.' ? 0x2026 : '.';
	case 0x3002: return '.';
	case 0xFF1F: return '?';
	case 0xFF01: return '!';
	case '?': case '!': case ':': case ';': case ',': case 0x2026: return cp;
	default: return 0;
	}
}

/* The last character of the text outside codes that is no space nor
 * closer, its place, and the one before it. */
static uint32_t last_mark(const char *s, size_t n, size_t *off, size_t *len, uint32_t *before)
{
	uint32_t last = 0, prev = 0;
	*off = n;
	*len = 0;
	inline_piece p;
	for (size_t pos = 0; inline_next(s, n, &pos, &p);) {
		if (p.kind != INLINE_TEXT)
			continue;
		size_t end = p.off + p.len, clen;
		for (size_t i = p.off; i < end; i += clen) {
			uint32_t cp = char_at(s, end, i, &clen);
			if (is_space(cp) || is_closer(cp))
				continue;
			prev = last;
			last = cp;
			*off = i;
			*len = clen;
		}
	}
	*before = prev;
	return last;
}

static void check_end_punctuation(qa_run *r)
{
	const qa_segment *g = r->seg;
	size_t soff, slen, toff, tlen;
	uint32_t sb, tb;
	uint32_t slast = last_mark(g->source, g->source_len, &soff, &slen, &sb);
	uint32_t tlast = last_mark(g->target, g->target_len, &toff, &tlen, &tb);
	uint32_t sk = end_kind(slast, sb), tk = end_kind(tlast, tb);
	if (sk == tk)
		return;
	if (!tk)
		toff += tlen, tlen = 0;   /* where the missing mark would go */
	warn(r, QA_END_PUNCTUATION, toff, tlen, sk ? g->source + soff : NULL, sk ? slen : 0);
}

/* ---- the report --------------------------------------------------------- */

size_t qa_check(const qa_segment *g, qa_report *out)
{
	qa_run r = { .seg = g, .found = BUF_INIT };
	size_t at;
	if ((at = utf8_check(g->source, g->source_len)) < g->source_len) {
		warn(&r, QA_SOURCE_UTF8, at, 0, NULL, 0);
		goto done;
	}
	if ((at = utf8_check(g->target, g->target_len)) < g->target_len) {
		warn(&r, QA_TARGET_UTF8, at, 0, NULL, 0);
		goto done;
	}
	if (check_translated(&r))
		goto done;
	check_codes(&r);
	check_numbers(&r);
	check_terms(&r);
	check_double_spaces(&r);
	check_ends(&r);
	check_end_punctuation(&r);
done:
	out->n = r.found.len / sizeof(qa_warning);
	out->v = (qa_warning *)(void *)buf_steal(&r.found);
	return out->n;
}

void qa_report_free(qa_report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static const struct {
	const char *name, *message;
} codes[QA_CODES_COUNT] = {
	[QA_SOURCE_UTF8] = { "source-utf8", N_("the source is not valid UTF-8") },
	[QA_TARGET_UTF8] = { "target-utf8", N_("the translation is not valid UTF-8") },
	[QA_EMPTY] = { "empty", N_("the segment is not translated") },
	[QA_UNTRANSLATED] = { "untranslated", N_("the translation is the same as the source") },
	[QA_CODES_BROKEN] = { "codes-broken", N_("the tags of the translation are not well formed") },
	[QA_CODES_DIFFER] = { "codes-differ", N_("the tags and placeholders differ from the source's") },
	[QA_NUMBER_MISSING] = { "number-missing", N_("a number of the source is missing") },
	[QA_NUMBER_ADDED] = { "number-added", N_("a number is not in the source") },
	[QA_TERM_MISSING] = { "term-missing", N_("the preferred term is not used") },
	[QA_TERM_DEPRECATED] = { "term-deprecated", N_("a deprecated term is used") },
	[QA_DOUBLE_SPACE] = { "double-space", N_("two spaces in a row") },
	[QA_LEADING_SPACE] = { "leading-space", N_("the space at the start differs from the source's") },
	[QA_TRAILING_SPACE] = { "trailing-space", N_("the space at the end differs from the source's") },
	[QA_END_PUNCTUATION] = { "end-punctuation", N_("the punctuation at the end differs from the source's") },
};

const char *qa_message(qa_code c)
{
	return c >= 0 && c < QA_CODES_COUNT ? codes[c].message : "";
}

const char *qa_code_name(qa_code c)
{
	return c >= 0 && c < QA_CODES_COUNT ? codes[c].name : "";
}
