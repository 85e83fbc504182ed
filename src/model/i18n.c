/*
 * i18n — the interface's three languages: message look-up in the catalogs
 * embedded in the binary, the choice of a language for a request, and the
 * way each language writes dates, numbers and money.
 *
 * The written forms follow CLDR (the data behind ICU and every browser), so
 * that a page reads as a French or Spanish reader expects:
 *
 *   date      en "27 November 2026"   fr "27 novembre 2026"
 *             es "27 de noviembre de 2026"
 *   datetime  en "…, 14:05"   fr "… à 14:05"   es "…, 9:05" (es: "H:mm")
 *   number    en "1,250,000.5"   fr "1 250 000,5" (U+202F between groups)
 *             es "1.250.000,5", but "1250": Spanish groups only from five
 *             digits up (CLDR minimumGroupingDigits 2)
 *   money     the number, U+00A0, the ISO 4217 code: "1,250,000.00 USD"
 *
 * CLDR's English default is American ("November 27, 2026"); Liaison
 * writes the international English of its organization, day first, as the
 * header promises.  Only the few patterns the interface needs are here,
 * as data, rather than a locale library: the C locale is process-global
 * state a threaded server must not switch, and the servers need not have
 * any locale installed.
 *
 * The catalogs are parsed once by i18n_load at start-up and only read
 * afterwards, so look-ups from every server thread need no lock.
 */
#include "model/i18n.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/embed.h"
#include "formats/isocodes.h"
#include "model/registry.h"

static mo_catalog *catalogs[NLANGS];

/* ---- catalogs ---------------------------------------------------------- */

static const embedded_file *find_catalog(const char *lang)
{
	char name[16];
	snprintf(name, sizeof name, "%s.mo", lang);
	for (const embedded_file *f = web_catalogs; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static int load_one(int lang, char *err, size_t errlen)
{
	char reason[256];
	const embedded_file *f = find_catalog(registry_langs[lang]);
	if (!f) {
		snprintf(err, errlen, "%s.mo: not in the binary", registry_langs[lang]);
		return -1;
	}
	if (mo_parse(f->data, f->len, &catalogs[lang], reason, sizeof reason) < 0) {
		snprintf(err, errlen, "%s: %s", f->name, reason);
		return -1;
	}
	return 0;
}

int i18n_load(char *err, size_t errlen)
{
	if (catalogs[LANG_EN])
		return 0;   /* already loaded: a second call changes nothing */
	for (int lang = 0; lang < NLANGS; lang++) {
		if (load_one(lang, err, errlen) < 0) {
			i18n_free();
			return -1;
		}
	}
	return 0;
}

void i18n_free(void)
{
	for (int lang = 0; lang < NLANGS; lang++) {
		mo_close(catalogs[lang]);
		catalogs[lang] = NULL;
	}
}

const char *i18n_lookup(int lang, const char *msgid)
{
	if (lang < 0 || lang >= NLANGS || !msgid)
		return NULL;
	/* mo_lookup already skips the header entry and empty translations. */
	return mo_lookup(catalogs[lang], msgid);
}

const char *i18n_text(int lang, const char *msgid)
{
	if (!msgid)
		return "";
	const char *t = i18n_lookup(lang, msgid);
	if (t)
		return t;
	const char *text = strchr(msgid, I18N_CONTEXT_END); /* untranslated: the English, without its context */
	return text ? text + 1 : msgid;
}

int i18n_lang(const char *code)
{
	for (int lang = 0; code && lang < NLANGS; lang++)
		if (strcmp(code, registry_langs[lang]) == 0)
			return lang;
	return -1;
}

/* ---- Accept-Language (RFC 9110 section 12.5.4) ------------------------- */

/*
 * How well the header asked for one of our languages.  A range naming the
 * language itself ("fr") outranks a regional one ("fr-CH"), which outranks
 * "*": the most specific statement about a language is the user's wish for
 * it, whatever the order.
 */
enum { MATCH_NONE, MATCH_ANY, MATCH_REGION, MATCH_EXACT };

typedef struct wish {
	int rank;     /* MATCH_* */
	int q;        /* weight in thousandths, 0..1000 */
	int pos;      /* the range's place in the header, for ties */
} wish;

/* One element of the list, as pointers into the header. */
typedef struct span {
	const char *p, *end;
} span;

static int is_ows(char c) { return c == ' ' || c == '\t'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static span trim(span s)
{
	while (s.p < s.end && is_ows(*s.p))
		s.p++;
	while (s.end > s.p && is_ows(s.end[-1]))
		s.end--;
	return s;
}

/* language-range (RFC 4647): "*" or 1*8ALPHA *("-" 1*8alphanum). */
static int range_ok(span r)
{
	if (r.end - r.p == 1 && *r.p == '*')
		return 1;
	const char *p = r.p;
	int first = 1;
	while (p < r.end) {
		const char *start = p;
		while (p < r.end && (is_alpha(*p) || (!first && is_digit(*p))))
			p++;
		if (p == start || p - start > 8)
			return 0;
		first = 0;
		if (p == r.end)
			return 1;
		if (*p++ != '-' || p == r.end)
			return 0;
	}
	return 0;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); -1 if not. */
static int parse_qvalue(span s)
{
	const char *p = s.p;
	if (p == s.end || (*p != '0' && *p != '1'))
		return -1;
	int whole = *p++ - '0', frac = 0, scale = 100;
	if (p < s.end && *p == '.') {
		p++;
		for (int n = 0; p < s.end && is_digit(*p); n++, p++) {
			if (n == 3)
				return -1;
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (p != s.end || (whole == 1 && frac != 0))
		return -1;
	return whole * 1000 + frac;
}

/* The weight after a range: nothing (1000) or ";q=…"; -1 when malformed. */
static int parse_weight(span s)
{
	s = trim(s);
	if (s.p == s.end)
		return 1000;
	if (*s.p != ';')
		return -1;
	s.p++;
	s = trim(s);
	if (s.end - s.p < 2 || (s.p[0] != 'q' && s.p[0] != 'Q') || s.p[1] != '=')
		return -1;
	s.p += 2;
	return parse_qvalue(s);
}

/* How range r bears on language code (two letters). */
static int match_rank(span r, const char *code)
{
	size_t len = (size_t)(r.end - r.p);
	if (len == 1 && *r.p == '*')
		return MATCH_ANY;
	if (len < 2 || strncasecmp(r.p, code, 2) != 0)
		return MATCH_NONE;
	if (len == 2)
		return MATCH_EXACT;
	return r.p[2] == '-' ? MATCH_REGION : MATCH_NONE;
}

static void consider(wish *w, int rank, int q, int pos)
{
	if (rank == MATCH_NONE || rank < w->rank)
		return;
	/* At the same rank the better weight wins; an earlier range wins a tie. */
	if (rank == w->rank && q <= w->q)
		return;
	*w = (wish){ rank, q, pos };
}

static void weigh_element(span el, int pos, wish wishes[NLANGS])
{
	span r = { el.p, el.p };
	while (r.end < el.end && *r.end != ';')
		r.end++;
	int q = parse_weight((span){ r.end, el.end });
	r = trim(r);
	if (q < 0 || !range_ok(r))
		return;   /* garbage is ignored, as if the element were absent */
	for (int lang = 0; lang < NLANGS; lang++)
		consider(&wishes[lang], match_rank(r, registry_langs[lang]), q, pos);
}

static int best_wish(const wish wishes[NLANGS])
{
	int best = -1;
	for (int lang = 0; lang < NLANGS; lang++) {
		const wish *w = &wishes[lang];
		if (w->rank == MATCH_NONE || w->q == 0)
			continue;   /* q=0 means "not this one" */
		if (best < 0 || w->q > wishes[best].q ||
		    (w->q == wishes[best].q && w->pos < wishes[best].pos))
			best = lang;
	}
	return best < 0 ? LANG_EN : best;
}

int i18n_negotiate(const char *accept_language)
{
	wish wishes[NLANGS] = { 0 };
	if (!accept_language)
		return LANG_EN;
	const char *p = accept_language;
	for (int pos = 0; *p; pos++) {
		span el = { p, p };
		while (*el.end && *el.end != ',')
			el.end++;
		weigh_element(trim(el), pos, wishes);
		p = *el.end ? el.end + 1 : el.end;
	}
	return best_wish(wishes);
}

/* ---- dates ------------------------------------------------------------- */

typedef struct when {
	int year, month, day;
	int hour, minute;
	int has_time;
} when;

static const char *const month_names[NLANGS][12] = {
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
	{ "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	  "août", "septembre", "octobre", "novembre", "décembre" },
	{ "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	  "agosto", "septiembre", "octubre", "noviembre", "diciembre" },
};

static const char *const weekday_names[NLANGS][7] = {
	{ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" },
	{ "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche" },
	{ "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo" },
};

/* Formatting with an unknown language falls back to English rather than
 * failing: the output is for a reader, not a check. */
static int lang_or_en(int lang)
{
	return lang >= 0 && lang < NLANGS ? lang : LANG_EN;
}

const char *i18n_endonym(int lang)
{
	static const char *const names[NLANGS] = { "English", "Français", "Español" };
	return lang >= 0 && lang < NLANGS ? names[lang] : "";
}

const char *i18n_month(int lang, int month)
{
	return month >= 1 && month <= 12 ? month_names[lang_or_en(lang)][month - 1] : "";
}

const char *i18n_weekday(int lang, int day)
{
	return day >= 0 && day <= 6 ? weekday_names[lang_or_en(lang)][day] : "";
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* n digits exactly at *s into *v, advancing *s; -1 if not. */
static int digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*s)++) {
		if (!is_digit(**s))
			return -1;
		*v = *v * 10 + (**s - '0');
	}
	return 0;
}

static int parse_date(const char **s, when *w)
{
	if (digits(s, 4, &w->year) < 0 || *(*s)++ != '-' ||
	    digits(s, 2, &w->month) < 0 || *(*s)++ != '-' ||
	    digits(s, 2, &w->day) < 0)
		return -1;
	if (w->month < 1 || w->month > 12 || w->day < 1 ||
	    w->day > days_in_month(w->year, w->month))
		return -1;
	return 0;
}

/* "HH:MM", then optional ":SS" and fraction; seconds are not shown. */
static int parse_clock(const char **s, when *w)
{
	int sec;
	if (digits(s, 2, &w->hour) < 0 || *(*s)++ != ':' || digits(s, 2, &w->minute) < 0)
		return -1;
	if (w->hour > 23 || w->minute > 59)
		return -1;
	if (**s != ':')
		return 0;
	(*s)++;
	if (digits(s, 2, &sec) < 0 || sec > 60)   /* 60: a leap second */
		return -1;
	if (**s == '.' || **s == ',') {
		(*s)++;
		if (!is_digit(**s))
			return -1;
		while (is_digit(**s))
			(*s)++;
	}
	return 0;
}

/* "Z", "±HH:MM", "±HHMM" or nothing (already UTC), as minutes east. */
static int parse_zone(const char **s, int *offset)
{
	int sign, h, m;
	*offset = 0;
	if (**s == 'Z' || **s == 'z') {
		(*s)++;
		return 0;
	}
	if (**s != '+' && **s != '-')
		return 0;
	sign = *(*s)++ == '-' ? -1 : 1;
	if (digits(s, 2, &h) < 0)
		return -1;
	if (**s == ':')
		(*s)++;
	if (digits(s, 2, &m) < 0 || h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 60 + m);
	return 0;
}

/* Moves w by one day either way; an offset is under a day, so one step
 * is all a conversion to UTC can need. */
static void step_day(when *w, int delta)
{
	w->day += delta;
	if (w->day < 1) {
		if (--w->month < 1) {
			w->month = 12;
			w->year--;
		}
		w->day = days_in_month(w->year, w->month);
	} else if (w->day > days_in_month(w->year, w->month)) {
		w->day = 1;
		if (++w->month > 12) {
			w->month = 1;
			w->year++;
		}
	}
}

static void to_utc(when *w, int offset)
{
	int minutes = w->hour * 60 + w->minute - offset;
	if (minutes < 0) {
		minutes += 24 * 60;
		step_day(w, -1);
	} else if (minutes >= 24 * 60) {
		minutes -= 24 * 60;
		step_day(w, 1);
	}
	w->hour = minutes / 60;
	w->minute = minutes % 60;
}

/* An ISO 8601 date, or date and time (in UTC once read); -1 if s is not
 * one, in full: trailing text makes it something else. */
static int parse_iso(const char *s, when *w)
{
	int offset;
	*w = (when){ 0 };
	if (!s || parse_date(&s, w) < 0)
		return -1;
	if (*s == '\0')
		return 0;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (parse_clock(&s, w) < 0 || parse_zone(&s, &offset) < 0 || *s != '\0')
		return -1;
	w->has_time = 1;
	to_utc(w, offset);
	/* A zone can carry 0000-01-01 into year -1 or 9999-12-31 into 10000. */
	return w->year < 0 || w->year > 9999 ? -1 : 0;
}

static void put_date(int lang, const when *w, buf *out)
{
	const char *month = month_names[lang][w->month - 1];
	if (lang == LANG_ES)
		buf_printf(out, "%d de %s de %d", w->day, month, w->year);
	else
		buf_printf(out, "%d %s %d", w->day, month, w->year);
}

/* CLDR: en-GB and fr "HH:mm", es "H:mm"; fr joins with "à". */
static void put_time(int lang, const when *w, buf *out)
{
	if (lang == LANG_FR)
		buf_printf(out, " à %02d:%02d", w->hour, w->minute);
	else if (lang == LANG_ES)
		buf_printf(out, ", %d:%02d", w->hour, w->minute);
	else
		buf_printf(out, ", %02d:%02d", w->hour, w->minute);
}

/* The date, and the time of day when asked for and the value has one; a
 * value that is not a date is written as it is. */
static void put_when(int lang, const char *iso, int with_time, buf *out)
{
	when w;
	if (!out)
		return;
	if (parse_iso(iso, &w) < 0) {
		buf_puts(out, iso ? iso : "");
		return;
	}
	lang = lang_or_en(lang);
	put_date(lang, &w, out);
	if (with_time && w.has_time)
		put_time(lang, &w, out);
}

void i18n_date(int lang, const char *iso, buf *out) { put_when(lang, iso, 0, out); }

/* A plain date has no time of day to show: it is written as a date. */
void i18n_datetime(int lang, const char *iso, buf *out) { put_when(lang, iso, 1, out); }

/* ---- numbers and money ------------------------------------------------- */

/* More decimals than any currency or statistic needs; bounds the buffer. */
#define MAX_DECIMALS 18

static const struct {
	const char *group, *decimal;
	int min_group;     /* integer digits needed before groups are marked */
} number_style[NLANGS] = {
	{ ",", ".", 4 },
	{ "\xE2\x80\xAF", ",", 4 },   /* U+202F NARROW NO-BREAK SPACE */
	{ ".", ",", 5 },
};

/* The decimal digits of v, at least min long (zero-padded on the left). */
static size_t unsigned_digits(uint64_t v, size_t min, char *dst)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t len = n < min ? min : n;
	memset(dst, '0', len - n);
	for (size_t i = 0; i < n; i++)
		dst[len - 1 - i] = tmp[i];
	return len;
}

static void put_grouped(int lang, const char *d, size_t n, buf *out)
{
	if (n < (size_t)number_style[lang].min_group) {
		buf_add(out, d, n);
		return;
	}
	size_t first = n % 3 ? n % 3 : 3;
	buf_add(out, d, first);
	for (size_t i = first; i < n; i += 3) {
		buf_puts(out, number_style[lang].group);
		buf_add(out, d + i, 3);
	}
}

void i18n_number(int lang, int64_t value, int decimals, buf *out)
{
	char d[MAX_DECIMALS + 24];
	if (!out)
		return;
	lang = lang_or_en(lang);
	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	/* The magnitude in unsigned arithmetic, so INT64_MIN has one too. */
	uint64_t mag = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
	size_t n = unsigned_digits(mag, (size_t)decimals + 1, d);
	size_t whole = n - (size_t)decimals;
	if (value < 0)
		buf_putc(out, '-');
	put_grouped(lang, d, whole, out);
	if (decimals == 0)
		return;
	buf_puts(out, number_style[lang].decimal);
	buf_add(out, d + whole, (size_t)decimals);
}

/* Whether every mark in s starts a group of exactly three digits: "1.250.000". */
static int marks_group(const char *s, char mark)
{
	for (const char *m = strchr(s, mark); m; m = strchr(m + 1, mark))
		if (strspn(m + 1, "0123456789") != 3 || (m[4] && m[4] != '.' && m[4] != ','))
			return 0;
	return 1;
}

void i18n_number_typed(int lang, const char *typed, buf *out)
{
	lang = lang_or_en(lang);
	char decimal = *number_style[lang].decimal, other = decimal == '.' ? ',' : '.';
	/* the other mark groups thousands where it can ("1.250.000"); else a "."
	 * is a decimal mark typed in French or Spanish ("1250.50"), and a ","
	 * in English is left to be refused, never guessed */
	int other_groups = marks_group(typed, other);
	int dot_is_decimal = other == '.' && !other_groups && !strchr(typed, decimal);
	for (const char *c = typed; *c; c++) {
		size_t space = *c == ' ' ? 1 : !strncmp(c, "\xC2\xA0", 2) ? 2 : !strncmp(c, "\xE2\x80\xAF", 3) ? 3 : 0;
		if (space) {  /* a space, a no-break space, a narrow one */
			c += space - 1;
			continue;
		}
		if (*c == decimal || (*c == '.' && dot_is_decimal))
			buf_putc(out, '.');
		else if (*c != other || !other_groups)
			buf_putc(out, *c);
	}
}

static int is_currency_code(const char *c)
{
	if (!c || strlen(c) != 3)
		return 0;
	for (int i = 0; i < 3; i++)
		if (c[i] < 'A' || c[i] > 'Z')
			return 0;
	return 1;
}

/* The decimals come from the ISO 4217 table in formats/isocodes; a code
 * that is not three capitals still shows its amount, with two. */
void i18n_money(int lang, int64_t minor_units, const char *currency, buf *out)
{
	if (!out)
		return;
	int decimals = is_currency_code(currency) ? isocodes_minor_units(currency) : 2;
	i18n_number(lang, minor_units, decimals, out);
	if (!currency || !*currency)
		return;
	buf_puts(out, "\xC2\xA0");   /* U+00A0 NO-BREAK SPACE */
	buf_puts(out, currency);
}

void i18n_fill(buf *out, const char *text, const char *const *values, int n)
{
	for (const char *s = text; *s; s++) {
		int k = s[0] == '{' && s[1] >= '1' && s[1] <= '0' + n && s[2] == '}' ? s[1] - '1' : -1;
		if (k < 0) {
			buf_putc(out, *s);
			continue;
		}
		buf_puts(out, values[k] ? values[k] : "");
		s += 2;
	}
}

const char *i18n_say(arena *a, int lang, const char *msgid, const char *const *values, int n)
{
	buf b = BUF_INIT;
	i18n_fill(&b, i18n_text(lang, msgid), values, n);
	const char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}
