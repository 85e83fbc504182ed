/*
 * symbol — documents' symbols read by their grammar, and written back; see
 * symbol.h.
 *
 * The grammar (ABNF, RFC 5234; its strings are case-sensitive here, as
 * RFC 7405's %s"..." would write them):
 *
 *   symbol      = series "/" ( session-doc / serial-doc ) suffixes
 *   series      = 1*8 UPPER                  ; "C" Council, "S" SCPF, "MC" older Council series
 *   session-doc = session "/" document
 *   session     = number / "Sp/" number      ; regular "115", special "Sp/7"
 *   document    = [ kind "/" ] number
 *   kind        = "L" / "RES" / "INF" / "CRP"  ; draft, resolution, information, conference room paper
 *   serial-doc  = number                     ; a series numbered without sessions: MC/2398
 *   suffixes    = [ "/Rev." number ] [ "/Add." number ] [ "/Corr." number ]
 *   number      = NZDIGIT 0*5DIGIT           ; no leading zeros, at most 6 digits
 *   UPPER       = %x41-5A
 *   NZDIGIT     = %x31-39
 *
 * The one choice it leaves, serial-doc or session-doc after "series/number",
 * is made by what follows the number: the end or a suffix makes it a serial
 * document (MC/2398, MC/2398/Rev.1); "/" and a digit or a kind makes the
 * number a session (C/115/1, C/115/L/6).  A word after that "/" that is
 * neither, in any case, is read as a kind, and refused as one.
 *
 * Every rule is a function below, reading at a cursor that never passes
 * the text's length; each byte is looked at a bounded number of times (a
 * word's letters at most three: to tell whether the number before it is a
 * session, to read it, to find its lowercase letter), so the time is
 * linear.  The first fault found, left to right, is the one reported:
 * where the text stops being a symbol.
 */
#include "formats/symbol.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#ifndef N_
#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */
#endif

static const char *const messages[SYMBOL_ERRORS] = {
	[SYMBOL_OK] = "",   /* nothing to say, nothing to translate */
	[SYMBOL_EMPTY] = N_("the symbol is empty"),
	[SYMBOL_SPACE] = N_("a symbol has no spaces"),
	[SYMBOL_NOT_ASCII] = N_("a symbol holds only unaccented Latin letters, digits, / and ."),
	[SYMBOL_BAD_CHARACTER] = N_("a symbol holds only letters, digits, / and ."),
	[SYMBOL_LOWERCASE] = N_("this letter is written as a capital"),
	[SYMBOL_SERIES] = N_("the series is 1 to 8 capital letters, as in C/115/1"),
	[SYMBOL_SLASH] = N_("a / was expected"),
	[SYMBOL_EMPTY_PART] = N_("a part is missing between two /"),
	[SYMBOL_TRAILING_SLASH] = N_("the symbol may not end with /"),
	[SYMBOL_SESSION] = N_("a session number was expected, or Sp/ and a number for a special session"),
	[SYMBOL_NUMBER] = N_("a number was expected"),
	[SYMBOL_ZERO] = N_("numbers start at 1"),
	[SYMBOL_LEADING_ZERO] = N_("a number may not start with 0"),
	[SYMBOL_NUMBER_LONG] = N_("a number has at most 6 digits"),
	[SYMBOL_KIND] = N_("unknown document kind: it is L, RES, INF or CRP"),
	[SYMBOL_SUFFIX] = N_("unknown suffix: it is Rev., Add. or Corr., written so"),
	[SYMBOL_SUFFIX_DOT] = N_("Rev, Add and Corr are followed by a dot, as in Rev.1"),
	[SYMBOL_REV_ORDER] = N_("Rev. must come before Add. and Corr."),
	[SYMBOL_ADD_ORDER] = N_("Add. must come before Corr."),
	[SYMBOL_REV_TWICE] = N_("Rev. appears twice"),
	[SYMBOL_ADD_TWICE] = N_("Add. appears twice"),
	[SYMBOL_CORR_TWICE] = N_("Corr. appears twice"),
	[SYMBOL_TRAILING] = N_("the symbol has more after its end"),
};

/* The kinds' words, by symbol_kind; the plain kind has none. */
static const char *const kind_words[] = { [SYMBOL_L] = "L", [SYMBOL_RES] = "RES", [SYMBOL_INF] = "INF",
					  [SYMBOL_CRP] = "CRP" };
#define KINDS (sizeof kind_words / sizeof kind_words[0])

/* The suffixes, in the one order they may come in. */
enum { REV, ADD, CORR, SUFFIXES };
static const char *const suffix_words[SUFFIXES] = { "Rev", "Add", "Corr" };
static const symbol_error suffix_twice[SUFFIXES] = { SYMBOL_REV_TWICE, SYMBOL_ADD_TWICE, SYMBOL_CORR_TWICE };
static const symbol_error suffix_late[SUFFIXES] = { SYMBOL_REV_ORDER, SYMBOL_ADD_ORDER, SYMBOL_OK };

#define END (-1)   /* what peek sees past the last byte */

typedef struct cursor {
	const char *s;
	size_t len, at;
	symbol_error error;   /* the fault found, and where */
	size_t error_at;
} cursor;

/* ---- bytes ------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_letter(int c) { return is_upper(c) || is_lower(c); }

static int byte_at(const cursor *c, size_t at) { return at < c->len ? (unsigned char)c->s[at] : END; }
static int peek(const cursor *c) { return byte_at(c, c->at); }

static int fail(cursor *c, size_t at, symbol_error e)
{
	c->error = e;
	c->error_at = at;
	return -1;
}

/* The byte at the cursor is not what the grammar wants there.  A byte no
 * symbol holds anywhere says so, whatever was expected: "a symbol has no
 * spaces" helps more than "a / was expected". */
static int unexpected(cursor *c, symbol_error expected)
{
	int b = peek(c);
	if (b == ' ' || b == '\t')
		return fail(c, c->at, SYMBOL_SPACE);
	if (b >= 0x80)
		return fail(c, c->at, SYMBOL_NOT_ASCII);
	if (b != END && !is_letter(b) && !is_digit(b) && b != '/' && b != '.')
		return fail(c, c->at, SYMBOL_BAD_CHARACTER);
	return fail(c, c->at, expected);
}

/* How many letters, of either case, from at: a word. */
static size_t word_length(const cursor *c, size_t at)
{
	size_t n = 0;
	while (is_letter(byte_at(c, at + n)))
		n++;
	return n;
}

static int word_is(const cursor *c, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(c->s + c->at, word, n) == 0;
}

/* The same word but for case: "rev" for Rev, "l" for L. */
static int word_is_folded(const cursor *c, size_t at, size_t n, const char *word)
{
	return n == strlen(word) && strncasecmp(c->s + at, word, n) == 0;
}

static int first_lowercase(cursor *c, size_t n)
{
	size_t i = 0;
	while (i < n && !is_lower(byte_at(c, c->at + i)))
		i++;
	return fail(c, c->at + i, SYMBOL_LOWERCASE);
}

/* ---- the rules ---------------------------------------------------------- */

static int slash(cursor *c)
{
	if (peek(c) != '/')
		return unexpected(c, SYMBOL_SLASH);
	c->at++;
	return 0;
}

/* Just after a "/": something must follow it. */
static int part_follows(cursor *c)
{
	if (peek(c) == END)
		return fail(c, c->at - 1, SYMBOL_TRAILING_SLASH);
	if (peek(c) == '/')
		return fail(c, c->at, SYMBOL_EMPTY_PART);
	return 0;
}

/* number = NZDIGIT 0*5DIGIT; a fault is reported at the number's start. */
static int number(cursor *c, uint32_t *out)
{
	size_t start = c->at;
	if (!is_digit(peek(c)))
		return unexpected(c, SYMBOL_NUMBER);
	if (peek(c) == '0')
		return fail(c, start, is_digit(byte_at(c, start + 1)) ? SYMBOL_LEADING_ZERO : SYMBOL_ZERO);
	uint32_t v = 0;
	for (; is_digit(peek(c)); c->at++) {
		if (c->at - start == 6)
			return fail(c, start, SYMBOL_NUMBER_LONG);
		v = v * 10 + (uint32_t)(peek(c) - '0');
	}
	*out = v;
	return 0;
}

/* "/" number: the numbers that stand as parts of their own. */
static int part_number(cursor *c, uint32_t *out)
{
	return slash(c) || part_follows(c) || number(c, out);
}

static int series(cursor *c, char out[SYMBOL_SERIES_MAX + 1])
{
	size_t n = word_length(c, 0);
	if (n == 0)
		return unexpected(c, SYMBOL_SERIES);
	for (size_t i = 0; i < n; i++)
		if (is_lower(byte_at(c, i)))
			return fail(c, i, SYMBOL_LOWERCASE);
	if (n > SYMBOL_SERIES_MAX)
		return fail(c, 0, SYMBOL_SERIES);
	memcpy(out, c->s, n);
	out[n] = '\0';
	c->at = n;
	return 0;
}

/* kind "/" number, at the kind's word of n letters. */
static int kind_and_number(cursor *c, size_t n, symbol *out)
{
	for (size_t k = 1; k < KINDS; k++) {
		if (word_is(c, n, kind_words[k])) {
			out->kind = (symbol_kind)k;
			c->at += n;
			return part_number(c, &out->number);
		}
		if (word_is_folded(c, c->at, n, kind_words[k]))
			return first_lowercase(c, n);
	}
	return fail(c, c->at, SYMBOL_KIND);
}

/* document = [ kind "/" ] number, just after its "/". */
static int document(cursor *c, symbol *out)
{
	size_t n = word_length(c, c->at);
	if (n > 0)
		return kind_and_number(c, n, out);
	return number(c, &out->number);
}

/* "/Rev." number and the like, at the suffix's word: in its order, once. */
static int suffix(cursor *c, symbol *out, int *last)
{
	uint32_t *slots[SUFFIXES] = { &out->rev, &out->add, &out->corr };
	size_t n = word_length(c, c->at);
	if (n == 0)
		return unexpected(c, SYMBOL_SUFFIX);
	int s = 0;
	while (s < SUFFIXES && !word_is(c, n, suffix_words[s]))
		s++;
	if (s == SUFFIXES)
		return fail(c, c->at, SYMBOL_SUFFIX);
	if (*slots[s])
		return fail(c, c->at, suffix_twice[s]);
	if (s < *last)
		return fail(c, c->at, suffix_late[s]);
	c->at += n;
	if (peek(c) != '.')
		return unexpected(c, SYMBOL_SUFFIX_DOT);
	c->at++;
	*last = s;
	return number(c, slots[s]);
}

static int suffixes(cursor *c, symbol *out)
{
	int last = -1;
	while (peek(c) != END) {
		if (peek(c) != '/')
			return unexpected(c, SYMBOL_TRAILING);
		c->at++;
		if (part_follows(c) || suffix(c, out, &last))
			return -1;
	}
	return 0;
}

/* Whether the number just read is a session: "/" and then a digit or a
 * word that is no suffix (in any case: "rev.1" is a misspelt suffix). */
static int session_follows(const cursor *c)
{
	if (peek(c) != '/')
		return 0;
	size_t at = c->at + 1, n = word_length(c, at);
	if (n == 0)
		return is_digit(byte_at(c, at));
	for (int s = 0; s < SUFFIXES; s++)
		if (word_is_folded(c, at, n, suffix_words[s]))
			return 0;
	return 1;
}

/* "Sp/" number "/" document suffixes, at "Sp". */
static int special_session(cursor *c, symbol *out)
{
	if (!word_is(c, word_length(c, c->at), "Sp"))
		return fail(c, c->at, SYMBOL_SESSION);
	c->at += 2;
	out->special = true;
	if (part_number(c, &out->session) || slash(c) || part_follows(c) || document(c, out))
		return -1;
	return suffixes(c, out);
}

/* What follows "series/": a session and its document, or a serial document. */
static int after_series(cursor *c, symbol *out)
{
	if (is_letter(peek(c)))
		return special_session(c, out);
	uint32_t first;
	if (number(c, &first))
		return -1;
	if (!session_follows(c)) {
		out->number = first;
		return suffixes(c, out);
	}
	out->session = first;
	c->at++;
	if (document(c, out))
		return -1;
	return suffixes(c, out);
}

symbol_error symbol_parse(const char *text, size_t len, symbol *out, size_t *at)
{
	cursor c = { .s = text, .len = text ? len : 0 };
	memset(out, 0, sizeof *out);
	int rc = c.len == 0 ? fail(&c, 0, SYMBOL_EMPTY)
			    : series(&c, out->series) || slash(&c) || part_follows(&c) || after_series(&c, out);
	if (rc)
		memset(out, 0, sizeof *out);
	if (at)
		*at = rc ? c.error_at : c.len;
	return rc ? c.error : SYMBOL_OK;
}

const char *symbol_error_message(symbol_error e)
{
	return (unsigned)e < SYMBOL_ERRORS ? messages[e] : messages[SYMBOL_OK];
}

/* ---- writing ------------------------------------------------------------ */

static int valid_number(uint32_t n) { return n >= 1 && n <= SYMBOL_NUMBER_MAX; }
static int valid_suffix(uint32_t n) { return n == 0 || valid_number(n); }

static int valid_series(const char *s)
{
	size_t n = strnlen(s, SYMBOL_SERIES_MAX + 1);
	if (n == 0 || n > SYMBOL_SERIES_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_upper((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether some text names s: a serial document has no kind and is no
 * special session's. */
static int writable(const symbol *s)
{
	if (!valid_series(s->series) || !valid_number(s->number) || (unsigned)s->kind >= KINDS)
		return 0;
	if (s->session == 0 && (s->special || s->kind != SYMBOL_PLAIN))
		return 0;
	if (s->session != 0 && !valid_number(s->session))
		return 0;
	return valid_suffix(s->rev) && valid_suffix(s->add) && valid_suffix(s->corr);
}

int symbol_format(const symbol *s, char *out, size_t size)
{
	if (size > 0)
		out[0] = '\0';
	if (!writable(s))
		return -1;
	char text[SYMBOL_TEXT_MAX + 16];
	int n = snprintf(text, sizeof text, "%s/", s->series);
	if (s->session)
		n += snprintf(text + n, sizeof text - (size_t)n, "%s%u/", s->special ? "Sp/" : "", (unsigned)s->session);
	if (s->kind != SYMBOL_PLAIN)
		n += snprintf(text + n, sizeof text - (size_t)n, "%s/", kind_words[s->kind]);
	n += snprintf(text + n, sizeof text - (size_t)n, "%u", (unsigned)s->number);
	const uint32_t values[SUFFIXES] = { s->rev, s->add, s->corr };
	for (int i = 0; i < SUFFIXES; i++)
		if (values[i])
			n += snprintf(text + n, sizeof text - (size_t)n, "/%s.%u", suffix_words[i], (unsigned)values[i]);
	if ((size_t)n >= size)
		return -1;
	memcpy(out, text, (size_t)n + 1);
	return n;
}

bool symbol_same_base(const symbol *a, const symbol *b)
{
	return strcmp(a->series, b->series) == 0 && a->special == b->special && a->session == b->session &&
	       a->kind == b->kind && a->number == b->number;
}

bool symbol_equal(const symbol *a, const symbol *b)
{
	return symbol_same_base(a, b) && a->rev == b->rev && a->add == b->add && a->corr == b->corr;
}
