/*
 * query — search box syntax to FTS5 expression and filters.
 *
 * One pass cuts the query into items (terms, ORs, filters) and checks each
 * as it comes, so an error points at the first fault; a second pass writes
 * the expression.  Items point into the query: nothing is copied until the
 * expression and the filter values are built.
 */
#include "search/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/fold.h"

enum item_kind { ITEM_TERM, ITEM_OR, ITEM_FILTER };

typedef struct item {
	enum item_kind kind;
	size_t pos;        /* first byte in the query, the '-' of an exclusion */
	const char *text;  /* a term's word, or a phrase between its quotes */
	size_t len;
	int exclude;
	int prefix;
	int searchable;    /* has a letter or digit: folds to some word */
} item;

/* ORs stand between terms, and filters are the parser's own (each once) and
 * at most SEARCH_FILTERS_MAX others, so this bounds the items. */
#define ITEMS_MAX (2 * SEARCH_TERMS_MAX + SEARCH_FILTERS_MAX + 8)

typedef struct parser {
	const char *q;
	size_t n;
	size_t i;          /* next byte to read */
	search_query *out;
	item items[ITEMS_MAX];
	size_t nitems;
	size_t nterms;
	unsigned filters_seen;
	size_t err_pos;
	char msg[200];
} parser;

/* User text quoted in messages is cut to this many bytes. */
#define QUOTE_MAX 40

static int fail_at(parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	p->err_pos = pos;
	return -1;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		abort();  /* as buf does: nothing useful is left to do */
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* ---- the whole text --------------------------------------------------- */

/* Length of the character at s, 0 when no valid one starts there; asks
 * fold.c's validator, the one definition of valid UTF-8 in Liaison. */
static size_t char_len(const char *s, size_t n)
{
	for (size_t len = 1; len <= 4 && len <= n; len++)
		if (utf8_valid(s, len))
			return len;
	return 0;
}

/* Control characters are refused rather than searched: they never belong
 * in a search, and one at the start of a string could pass for the
 * tokenizer's language marker. */
static int check_text(parser *p)
{
	if (p->n > SEARCH_QUERY_MAX)
		return fail_at(p, SEARCH_QUERY_MAX, "the search is too long (more than %d bytes)",
			       SEARCH_QUERY_MAX);
	for (size_t i = 0; i < p->n;) {
		size_t len = char_len(p->q + i, p->n - i);
		unsigned char c = (unsigned char)p->q[i];
		if (!len)
			return fail_at(p, i, "invalid UTF-8 text");
		if ((c < 0x20 && !is_space((char)c)) || c == 0x7f)
			return fail_at(p, i, "control character in the search");
		i += len;
	}
	return 0;
}

/* ---- filters ---------------------------------------------------------- */

typedef int (*filter_set)(parser *p, const char *v, size_t n, size_t pos);

static int set_type(parser *p, const char *v, size_t n, size_t pos)
{
	char *s = dup_n(v, n);
	for (size_t k = 0; k < n; k++) {
		s[k] = lower(s[k]);
		if (!is_alpha(s[k]) && !is_digit(s[k]) && s[k] != '-' && s[k] != '_') {
			free(s);
			return fail_at(p, pos + k, "type: expects the name of a kind of record, "
				       "such as type:organizations");
		}
	}
	p->out->type = s;
	return 0;
}

static int set_lang(parser *p, const char *v, size_t n, size_t pos)
{
	static const char *const codes[] = { "en", "fr", "es" };
	char code[3] = { n == 2 ? lower(v[0]) : 0, n == 2 ? lower(v[1]) : 0, 0 };

	for (size_t k = 0; k < sizeof codes / sizeof *codes; k++) {
		if (strcmp(code, codes[k]) == 0) {
			p->out->lang = dup_n(code, 2);
			return 0;
		}
	}
	return fail_at(p, pos, "lang: expects en, fr or es");
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t k = 0; k < n; k++)
		v = v * 10 + (s[k] - '0');
	return v;
}

/* One end of a date: YYYY or YYYY-MM-DD, written to day as YYYY-MM-DD; a
 * bare year means its first day (last when is_end).  0, or -1 when it is
 * not a date. */
static int parse_day(const char *s, size_t n, int is_end, char day[11])
{
	for (size_t k = 0; k < n; k++)
		if (!is_digit(s[k]) && !(s[k] == '-' && (k == 4 || k == 7)))
			return -1;
	if (n == 4) {
		snprintf(day, 11, "%.4s-%s", s, is_end ? "12-31" : "01-01");
		return 0;
	}
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	return 0;
}

/* date:A, date:A..B, date:A.., date:..B with A and B as in parse_day. */
static int set_date(parser *p, const char *v, size_t n, size_t pos)
{
	static const char how[] = "date: expects YYYY or YYYY-MM-DD, or a range such as 2016..2017";
	const char *dots = NULL;
	char from[11] = "", to[11] = "";

	for (size_t k = 0; k + 1 < n && !dots; k++)
		if (v[k] == '.' && v[k + 1] == '.')
			dots = v + k;
	size_t a = dots ? (size_t)(dots - v) : n;
	const char *b = dots ? dots + 2 : v;
	size_t bn = dots ? n - a - 2 : n;
	if (dots && a == 0 && bn == 0)
		return fail_at(p, pos, "%s", how);
	if (a && parse_day(v, a, 0, from) < 0)
		return fail_at(p, pos, "%s", how);
	if (bn && parse_day(b, bn, 1, to) < 0)
		return fail_at(p, pos + (size_t)(b - v), "%s", how);
	if (*from && *to && strcmp(from, to) > 0)
		return fail_at(p, pos, "date: the range ends before it starts");
	p->out->date_from = *from ? dup_n(from, 10) : NULL;
	p->out->date_to = *to ? dup_n(to, 10) : NULL;
	return 0;
}

static const struct filter_def {
	const char *name;
	filter_set set;
} filter_defs[] = {
	{ "type", set_type },
	{ "lang", set_lang },
	{ "date", set_date },
};

const char search_filters_builtin[] = "type, lang, date";

#define FILTER_COUNT (sizeof filter_defs / sizeof *filter_defs)

/* Length of "name" when the text at i reads name: with a name of ASCII
 * letters, digits and underscores that starts with a letter (a field's
 * name); 0 when it does not look like a filter. */
static size_t filter_name_len(const parser *p, size_t i)
{
	size_t k = i;
	while (k < p->n && (is_alpha(p->q[k]) || (k > i && (is_digit(p->q[k]) || p->q[k] == '_'))))
		k++;
	return k > i && k < p->n && p->q[k] == ':' ? k - i : 0;
}

int search_filter_builtin(const char *name)
{
	for (size_t k = 0; k < FILTER_COUNT; k++)
		if (strcmp(filter_defs[k].name, name) == 0)
			return 1;
	return 0;
}

static int find_filter(const char *name, size_t n)
{
	for (size_t k = 0; k < FILTER_COUNT; k++)
		if (strlen(filter_defs[k].name) == n && strncasecmp(filter_defs[k].name, name, n) == 0)
			return (int)k;
	return -1;
}

/* ---- items ------------------------------------------------------------ */

static item *add_item(parser *p, enum item_kind kind, size_t pos)
{
	item *it = &p->items[p->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->pos = pos;
	return it;
}

static const item *last_item(const parser *p)
{
	return p->nitems ? &p->items[p->nitems - 1] : NULL;
}

/* An OR needs a term that is not excluded on each side: FTS5 has no
 * "a OR NOT b", and an OR beside a filter joins nothing. */
static int check_or_operand(parser *p, const item *or, const item *operand)
{
	if (operand && operand->kind == ITEM_TERM && operand->exclude)
		return fail_at(p, or->pos, "OR cannot join an excluded term");
	if (!operand || operand->kind != ITEM_TERM)
		return fail_at(p, or->pos, "OR must stand between two words or phrases");
	return 0;
}

/* Reads the text between the quote at p->i and the next one. */
static int read_quoted(parser *p, const char **text, size_t *len)
{
	size_t open = p->i;
	const char *close = memchr(p->q + open + 1, '"', p->n - open - 1);

	if (!close)
		return fail_at(p, open, "this quote is never closed");
	*text = p->q + open + 1;
	*len = (size_t)(close - *text);
	p->i = (size_t)(close - p->q) + 1;
	return 0;
}

/* A filter the parser does not know is the caller's: kept by name, once. */
static int set_other(parser *p, size_t pos, size_t name_len, const char *v, size_t vn)
{
	search_query *out = p->out;
	char *name = dup_n(p->q + pos, name_len);
	for (size_t k = 0; k < name_len; k++)
		name[k] = lower(name[k]);
	for (size_t k = 0; k < out->nfilters; k++)
		if (strcmp(out->filters[k].name, name) == 0) {
			free(name);
			return fail_at(p, pos, "the filter %.*s: is given twice",
				       (int)(name_len > QUOTE_MAX ? QUOTE_MAX : name_len), p->q + pos);
		}
	if (out->nfilters == SEARCH_FILTERS_MAX) {
		free(name);
		return fail_at(p, pos, "too many filters (more than %d)", SEARCH_FILTERS_MAX);
	}
	out->filters[out->nfilters++] = (search_filter){ name, dup_n(v, vn), pos };
	return 0;
}

static int lex_filter(parser *p, size_t name_len)
{
	size_t pos = p->i;
	int f = find_filter(p->q + pos, name_len);

	if (f >= 0 && (p->filters_seen & (1u << f)))
		return fail_at(p, pos, "the filter %s: is given twice", filter_defs[f].name);
	if (f >= 0)
		p->filters_seen |= 1u << f;
	add_item(p, ITEM_FILTER, pos);
	p->i += name_len + 1;
	size_t vpos = p->i;
	const char *v = p->q + vpos;
	size_t vn = 0;
	if (p->i < p->n && p->q[p->i] == '"') {
		if (read_quoted(p, &v, &vn) < 0)
			return -1;
		vpos++;
	} else {
		while (p->i < p->n && !is_space(p->q[p->i]))
			p->i++;
		vn = p->i - vpos;
	}
	if (vn == 0)
		return fail_at(p, vpos, "the filter %.*s: needs a value", (int)(name_len > QUOTE_MAX ? QUOTE_MAX : name_len),
			       p->q + pos);
	return f >= 0 ? filter_defs[f].set(p, v, vn, vpos) : set_other(p, pos, name_len, v, vn);
}

/* A bare word runs to white space or a quote; trailing stars make it a
 * prefix. */
static int lex_word(parser *p, item *t)
{
	size_t start = p->i;

	while (p->i < p->n && !is_space(p->q[p->i]) && p->q[p->i] != '"')
		p->i++;
	size_t end = p->i;
	while (end > start && p->q[end - 1] == '*')
		end--;
	if (end == start)
		return fail_at(p, start, "'*' must follow the beginning of a word, as in migr*");
	t->text = p->q + start;
	t->len = end - start;
	t->prefix = end < p->i;
	return 0;
}

static int lex_phrase(parser *p, item *t)
{
	if (read_quoted(p, &t->text, &t->len) < 0)
		return -1;
	while (p->i < p->n && p->q[p->i] == '*') {
		t->prefix = 1;
		p->i++;
	}
	return 0;
}

static int searchable(const char *s, size_t n)
{
	buf folded = BUF_INIT;

	text_fold(&folded, s, n);
	int yes = folded.len > 0;
	buf_free(&folded);
	return yes;
}

static int lex_term(parser *p)
{
	size_t pos = p->i;
	int exclude = p->q[p->i] == '-';

	p->i += (size_t)exclude;
	if (exclude && (p->i == p->n || is_space(p->q[p->i])))
		return fail_at(p, pos, "'-' must be followed by the word or phrase to leave out, "
			       "as in -Philippines");
	if (exclude && filter_name_len(p, p->i))
		return fail_at(p, pos, "a filter cannot be excluded");
	if (p->nterms == SEARCH_TERMS_MAX)
		return fail_at(p, pos, "too many words (more than %d)", SEARCH_TERMS_MAX);
	item *t = add_item(p, ITEM_TERM, pos);
	t->exclude = exclude;
	p->nterms++;
	int rc = p->q[p->i] == '"' ? lex_phrase(p, t) : lex_word(p, t);
	if (rc < 0)
		return -1;
	t->searchable = searchable(t->text, t->len);
	return 0;
}

static int is_or(const parser *p)
{
	size_t i = p->i;
	return i + 1 < p->n && p->q[i] == 'O' && p->q[i + 1] == 'R' &&
	       (i + 2 == p->n || is_space(p->q[i + 2]));
}

/* Reads the item at p->i and checks it against the one before. */
static int lex_item(parser *p)
{
	const item *prev = last_item(p);

	if (is_or(p)) {
		const item *or = add_item(p, ITEM_OR, p->i);
		p->i += 2;
		return check_or_operand(p, or, prev);
	}
	size_t name_len = filter_name_len(p, p->i);
	int rc = name_len ? lex_filter(p, name_len) : lex_term(p);
	if (rc < 0)
		return -1;
	if (prev && prev->kind == ITEM_OR)
		return check_or_operand(p, prev, last_item(p));
	return 0;
}

static int lex(parser *p)
{
	for (;;) {
		while (p->i < p->n && is_space(p->q[p->i]))
			p->i++;
		if (p->i == p->n)
			break;
		if (lex_item(p) < 0)
			return -1;
	}
	const item *last = last_item(p);
	if (last && last->kind == ITEM_OR)
		return check_or_operand(p, last, NULL);
	return 0;
}

/* ---- the FTS5 expression ---------------------------------------------- */

/* An FTS5 string: FTS5 gives its contents to the tokenizer as they are,
 * so no user text is ever read as an operator or a column name. */
static void put_term(buf *b, const item *t)
{
	buf_putc(b, '"');
	for (size_t k = 0; k < t->len; k++) {
		if (t->text[k] == '"')
			buf_putc(b, '"');
		buf_putc(b, t->text[k]);
	}
	buf_putc(b, '"');
	if (t->prefix)
		buf_puts(b, " *");
}

/* Appends one OR group (1 or more searchable terms) to the AND list. */
static void flush_group(buf *expr, buf *group, size_t *members, size_t *groups)
{
	if (*members == 0)
		return;
	if (*groups)
		buf_puts(expr, " AND ");
	if (*members > 1)
		buf_putc(expr, '(');
	buf_add(expr, group->data, group->len);
	if (*members > 1)
		buf_putc(expr, ')');
	(*groups)++;
	*members = 0;
	buf_reset(group);
}

/* Writes the terms that are not excluded, in AND-ed OR groups; returns the
 * number of groups. */
static size_t put_wanted(const parser *p, buf *expr)
{
	buf group = BUF_INIT;
	size_t members = 0, groups = 0;

	for (size_t k = 0; k < p->nitems; k++) {
		const item *t = &p->items[k];
		if (t->kind != ITEM_TERM || t->exclude)
			continue;
		if (k == 0 || p->items[k - 1].kind != ITEM_OR)
			flush_group(expr, &group, &members, &groups);
		if (!t->searchable)
			continue;
		if (members++)
			buf_puts(&group, " OR ");
		put_term(&group, t);
	}
	flush_group(expr, &group, &members, &groups);
	buf_free(&group);
	return groups;
}

static const item *first_term(const parser *p, int exclude)
{
	for (size_t k = 0; k < p->nitems; k++)
		if (p->items[k].kind == ITEM_TERM && p->items[k].exclude == exclude)
			return &p->items[k];
	return NULL;
}

/* Why a query with no term to look for cannot run, or 0 when it has
 * filters only. */
static int no_wanted_terms(parser *p)
{
	const item *excluded = first_term(p, 1);
	const item *wanted = first_term(p, 0);

	if (excluded)
		return fail_at(p, excluded->pos, "a search cannot only leave words out: give a word to look for");
	if (wanted)
		return fail_at(p, wanted->pos, "nothing to search for: no letters or digits");
	if (p->nitems == 0)
		return fail_at(p, 0, "the search is empty");
	return 0;
}

static int build(parser *p)
{
	buf wanted = BUF_INIT, expr = BUF_INIT;
	size_t groups = put_wanted(p, &wanted);

	if (groups == 0) {
		buf_free(&wanted);
		return no_wanted_terms(p);
	}
	/* FTS5's NOT is binary: (wanted) NOT "x" NOT "y". */
	buf unwanted = BUF_INIT;
	for (size_t k = 0; k < p->nitems; k++) {
		const item *t = &p->items[k];
		if (t->kind != ITEM_TERM || !t->exclude || !t->searchable)
			continue;
		buf_puts(&unwanted, " NOT ");
		put_term(&unwanted, t);
	}
	int wrap = unwanted.len && groups > 1;
	buf_puts(&expr, wrap ? "(" : "");
	buf_add(&expr, wanted.data, wanted.len);
	buf_puts(&expr, wrap ? ")" : "");
	buf_add(&expr, unwanted.data, unwanted.len);
	p->out->match = buf_steal(&expr);
	buf_free(&wanted);
	buf_free(&unwanted);
	return 0;
}

/* ---- interface -------------------------------------------------------- */

void search_query_free(search_query *q)
{
	if (!q)
		return;
	free(q->match);
	free(q->type);
	free(q->lang);
	for (size_t k = 0; k < q->nfilters; k++) {
		free(q->filters[k].name);
		free(q->filters[k].value);
	}
	free(q->date_from);
	free(q->date_to);
	memset(q, 0, sizeof *q);
}

int search_query_parse(const char *q, search_query *out, size_t *err_pos, char *err, size_t errlen)
{
	parser *p = calloc(1, sizeof *p);

	if (!p)
		abort();
	memset(out, 0, sizeof *out);
	p->q = q;
	p->n = strlen(q);
	p->out = out;
	int rc = check_text(p);
	if (rc == 0)
		rc = lex(p);
	if (rc == 0)
		rc = build(p);
	if (rc < 0) {
		search_query_free(out);
		if (err_pos)
			*err_pos = p->err_pos;
		if (err && errlen)
			snprintf(err, errlen, "%s", p->msg);
	}
	free(p);
	return rc;
}
