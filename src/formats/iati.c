/*
 * iati — IATI 2.03 activity files read one activity at a time and written
 * one activity at a time (see iati.h).
 *
 * The reader walks the document with formats/xmlstream, one function per
 * element it keeps, each reading its children until its own end tag and
 * passing over the elements Liaison does not keep.  An activity's strings
 * live in an arena and its lists (transactions, sectors...) in arrays
 * whose room is kept for the next activity; the arena is emptied when the
 * activity has been handed over, so memory follows the largest activity,
 * never the file.
 */
#include "formats/iati.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "formats/isocodes.h"
#include "formats/xmlstream.h"

#define ITEMS_MAX 10000000   /* of one kind in one activity: a bound on a hostile file's memory */

/* ---- amounts ----------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* v * 10 + d within INT64_MAX; -1 when it would not fit. */
static int shift_in(uint64_t *v, int d)
{
	if (*v > ((uint64_t)INT64_MAX - (uint64_t)d) / 10)
		return -1;
	*v = *v * 10 + (uint64_t)d;
	return 0;
}

/* The digits kept and the first digit dropped, with whether any after it
 * is not zero: what rounding half to even needs. */
typedef struct digits {
	uint64_t kept;
	int count, first_dropped, rest_nonzero, dropped;
} digits;

static int read_digits(const char **s, digits *d, int *fraction_room)
{
	for (; is_digit(**s); (*s)++, d->count++) {
		int digit = **s - '0';
		if (!fraction_room || *fraction_room > 0) {
			if (shift_in(&d->kept, digit))
				return -1;
			if (fraction_room)
				(*fraction_room)--;
		} else if (!d->dropped++) {
			d->first_dropped = digit;
		} else if (digit) {
			d->rest_nonzero = 1;
		}
	}
	return 0;
}

int iati_decimal(const char *s, int decimals, int64_t *out, int *rounded)
{
	digits d = { 0 };
	int negative = 0, room = decimals;
	*rounded = 0;
	while (is_space(*s))
		s++;
	if (*s == '+' || *s == '-')
		negative = *s++ == '-';
	if (read_digits(&s, &d, NULL))
		return -1;
	if (*s == '.') {
		s++;
		if (read_digits(&s, &d, &room))
			return -1;
	}
	while (is_space(*s))
		s++;
	if (*s || d.count == 0)
		return -1;
	for (; room > 0; room--)
		if (shift_in(&d.kept, 0))
			return -1;
	int up = d.first_dropped > 5 || (d.first_dropped == 5 && (d.rest_nonzero || (d.kept & 1)));
	if (up && d.kept == (uint64_t)INT64_MAX)
		return -1;
	d.kept += (uint64_t)up;
	*rounded = d.first_dropped || d.rest_nonzero;
	*out = negative ? -(int64_t)d.kept : (int64_t)d.kept;
	return 0;
}

void iati_put_amount(buf *b, int64_t v, int decimals)
{
	uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, scale = 1;
	for (int k = 0; k < decimals; k++)
		scale *= 10;
	buf_printf(b, "%s%llu", v < 0 ? "-" : "", (unsigned long long)(magnitude / scale));
	if (decimals > 0)
		buf_printf(b, ".%0*llu", decimals, (unsigned long long)(magnitude % scale));
}

void iati_put_percent(buf *b, int hundredths)
{
	buf_printf(b, "%d", hundredths / 100);
	int cents = hundredths % 100;
	if (cents)
		buf_printf(b, cents % 10 ? ".%02d" : ".%d", cents % 10 ? cents : cents / 10);
}

/* ---- percentages ------------------------------------------------------- */

/* One group that shares 100%: the sectors of one vocabulary, or the
 * recipient countries and regions together. */
typedef struct share {
	long sum, given, items;
	long line;        /* the group's first element */
} share;

static void share_add(share *s, int percentage, long line)
{
	if (s->items++ == 0)
		s->line = line;
	if (percentage != IATI_NO_PERCENT) {
		s->sum += percentage;
		s->given++;
	}
}

/* NULL when the group keeps the rule, else why not (see iati.h). */
static const char *share_fault(const share *s, char *why, size_t size)
{
	long tolerance = (s->items + 1) / 2;
	if (s->given == 0)
		return NULL;
	if (s->given != s->items)
		return "some give a percentage and some do not";
	if (s->sum >= 10000 - tolerance && s->sum <= 10000 + tolerance)
		return NULL;
	snprintf(why, size, "their percentages add up to %ld.%02ld, not 100", s->sum / 100, s->sum % 100);
	return why;
}

/* The activity's percentages checked: 0, or -1 with the line and reason in
 * *line and why. */
static int shares_check(const iati_activity *a, long *line, char *why, size_t size)
{
	char fault[128];
	const char *f;
	share places = { 0 };
	for (size_t k = 0; k < a->ncountries; k++)
		share_add(&places, a->countries[k].percentage, a->countries[k].line);
	for (size_t k = 0; k < a->nregions; k++)
		share_add(&places, a->regions[k].percentage, a->regions[k].line);
	if ((f = share_fault(&places, fault, sizeof fault))) {
		*line = places.line;
		snprintf(why, size, "the recipient countries and regions: %s", f);
		return -1;
	}
	for (size_t k = 0; k < a->nsectors; k++) {
		const char *vocabulary = a->sectors[k].vocabulary;
		int first = 1;
		for (size_t j = 0; j < k && first; j++)
			first = strcmp(a->sectors[j].vocabulary, vocabulary) != 0;
		if (!first)
			continue;
		share sectors = { 0 };
		for (size_t j = k; j < a->nsectors; j++)
			if (strcmp(a->sectors[j].vocabulary, vocabulary) == 0)
				share_add(&sectors, a->sectors[j].percentage, a->sectors[j].line);
		if ((f = share_fault(&sectors, fault, sizeof fault))) {
			*line = sectors.line;
			snprintf(why, size, "the sectors of vocabulary %.20s: %s", vocabulary, f);
			return -1;
		}
	}
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

/* A growing list of one kind of the activity's elements. */
typedef struct list {
	void *v;
	size_t n, cap;
} list;

typedef struct reader {
	xmlstream x;
	const iati_read_callbacks *cb;
	void *ctx;
	iati_warnings *w;
	int stopped;           /* a callback returned nonzero */
	int doc_lang;          /* the document's xml:lang: IATI_EN.. or -1 another language */
	int lang;              /* the activity's */
	arena strings;         /* the activity's strings */
	buf attrs;             /* the current element's attributes */
	buf text;              /* an element's text, before it is kept */
	iati_activity a;
	list participants, countries, regions, sectors, budgets, transactions;
	int has_title, has_description;
} reader;

static int fail(reader *rd, long line, const char *why) { return xmlstream_fail(&rd->x, line, "%s", why); }

static void warn(reader *rd, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(reader *rd, long line, const char *fmt, ...)
{
	iati_warnings *w = rd->w;
	if (!w)
		return;
	w->count++;
	if (w->n == IATI_WARNINGS_KEPT)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		xmlstream_error *v = realloc(w->v, cap * sizeof *v);
		if (!v)
			return;   /* counted, not kept */
		w->v = v, w->cap = cap;
	}
	char reason[XMLSTREAM_REASON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	xmlstream_error_set(&w->v[w->n++], line, "%s", reason);
}

void iati_warnings_free(iati_warnings *w)
{
	free(w->v);
	*w = (iati_warnings)IATI_WARNINGS_INIT;
}

/* Room for one more element of size bytes in l, zeroed; NULL (and the
 * reason set) when the activity holds too many. */
static void *list_add(reader *rd, list *l, size_t size)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = l->n < ITEMS_MAX ? realloc(l->v, cap * size) : NULL;
		if (!v) {
			fail(rd, 0, "an activity with more elements of one kind than memory allows");
			return NULL;
		}
		l->v = v, l->cap = cap;
	}
	void *item = (char *)l->v + l->n++ * size;
	memset(item, 0, size);
	return item;
}

/* The current element's attributes named in names, into at[] as strings
 * ("" when absent), valid until the next element's. */
static void attributes(reader *rd, const char *const *names, size_t n, const char **at)
{
	size_t off[8];
	buf_reset(&rd->attrs);
	xmlstream_attributes(&rd->x, names, n, &rd->attrs, off);
	for (size_t k = 0; k < n; k++)
		at[k] = off[k] == (size_t)-1 ? "" : rd->attrs.data + off[k];
}

static const char *keep(reader *rd, const char *s) { return arena_strdup(&rd->strings, s); }

/* s without the white space around it, kept. */
static const char *keep_trimmed(reader *rd, const char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return arena_strndup(&rd->strings, s, n);
}

/* The language index of an xml:lang value: IATI_EN.., -1 for another
 * language (or no readable tag), fallback when the value is "". */
static int lang_of(const char *tag, int fallback)
{
	static const char *const kept[IATI_LANGS] = { "en", "fr", "es" };
	char primary[4];
	if (!*tag)
		return fallback;
	if (xmlstream_lang(tag, primary))
		return -1;
	for (int k = 0; k < IATI_LANGS; k++)
		if (strcmp(primary, kept[k]) == 0)
			return k;
	return -1;
}

/* The element's text into rd->text, as a string; the reader left on its end. */
static const char *element_text(reader *rd)
{
	buf_reset(&rd->text);
	if (xmlstream_element_text(&rd->x, &rd->text))
		return NULL;
	return rd->text.data;
}

/* The <narrative> children of the current element into t; the other children passed over. */
static int read_narratives(reader *rd, iati_text *t)
{
	static const char *const names[] = { "xml:lang" };
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		if (strcmp(xmlstream_name(&rd->x), "narrative") != 0) {
			if (xmlstream_skip(&rd->x))
				return -1;
			continue;
		}
		const char *lang_attr;
		attributes(rd, names, 1, &lang_attr);
		int lang = lang_of(lang_attr, rd->lang);
		const char *text = element_text(rd);
		if (!text)
			return -1;
		if (lang >= 0 && !t->text[lang][0])
			t->text[lang] = keep_trimmed(rd, text);
	}
	return r;
}

static void text_init(iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		t->text[k] = "";
}

/* A date attribute: "" stays "" when optional; else it must be YYYY-MM-DD. */
static int read_date(reader *rd, const char *s, const char *what, int required, char out[IATI_DATE_MAX])
{
	out[0] = '\0';
	if (!*s && !required)
		return 0;
	if (!*s)
		return xmlstream_fail(&rd->x, 0, "%s without its iso-date", what);
	if (strlen(s) != IATI_DATE_MAX - 1 || !clock_valid_date(s))
		return xmlstream_fail(&rd->x, 0, "%s: \"%.40s\" is not a date YYYY-MM-DD", what, s);
	memcpy(out, s, IATI_DATE_MAX);
	return 0;
}

/* A percentage attribute in hundredths; IATI_NO_PERCENT when absent. */
static int read_percent(reader *rd, const char *s, const char *what, int *out)
{
	int64_t v;
	int rounded;
	*out = IATI_NO_PERCENT;
	if (!*s)
		return 0;
	if (iati_decimal(s, 2, &v, &rounded) || v < 0 || v > 10000)
		return xmlstream_fail(&rd->x, 0, "%s: percentage \"%.40s\" is not a decimal from 0 to 100", what, s);
	if (rounded)
		warn(rd, xmlstream_line(&rd->x), "%s: percentage %.40s rounded to hundredths", what, s);
	*out = (int)v;
	return 0;
}

static void check_code(reader *rd, iati_codelist list, const char *code, const char *what)
{
	if (!iati_code_known(list, code))
		warn(rd, xmlstream_line(&rd->x), "%s \"%.40s\" is not in IATI's code list", what, code);
}

/* A <value>: its currency (or the activity's default), value-date and amount. */
static int read_value(reader *rd, iati_money *m, const char *what)
{
	static const char *const names[] = { "currency", "value-date" };
	const char *at[2];
	long line = xmlstream_line(&rd->x);
	attributes(rd, names, 2, at);
	const char *currency = *at[0] ? at[0] : rd->a.default_currency;
	if (!*currency)
		return xmlstream_fail(&rd->x, 0, "%s's value has no currency, and the activity no default-currency", what);
	if (!isocodes_currency_known(currency))
		return xmlstream_fail(&rd->x, 0, "%s's value: unknown currency \"%.20s\"", what, currency);
	memcpy(m->currency, currency, 4);
	if (read_date(rd, at[1], "a value's value-date", 1, m->value_date))
		return -1;
	const char *text = element_text(rd);
	if (!text)
		return -1;
	int decimals = isocodes_minor_units(m->currency), rounded;
	if (iati_decimal(text, decimals, &m->minor, &rounded))
		return xmlstream_fail(&rd->x, line, "%s's value \"%.40s\" is not a decimal amount", what, text);
	if (rounded)
		warn(rd, line, "%s's value %.40s %s rounded to %d decimals", what, text, m->currency, decimals);
	return 0;
}

/* An organisation: reporting-org, participating-org, provider-org, receiver-org. */
static int read_org(reader *rd, iati_org *o, int with_role)
{
	static const char *const names[] = { "ref", "type", "role" };
	const char *at[3];
	attributes(rd, names, 3, at);
	o->ref = keep(rd, at[0]);
	o->type = keep(rd, at[1]);
	o->role = with_role ? keep(rd, at[2]) : "";
	if (with_role)
		check_code(rd, IATI_ORGANISATION_ROLE, o->role, "a participating-org's role");
	text_init(&o->name);
	return read_narratives(rd, &o->name);
}

static int read_participant(reader *rd)
{
	iati_org *o = list_add(rd, &rd->participants, sizeof *o);
	return o ? read_org(rd, o, 1) : -1;
}

static int read_title(reader *rd)
{
	if (rd->has_title++)
		return fail(rd, 0, "an activity with a second <title>");
	return read_narratives(rd, &rd->a.title);
}

/* The general description (type 1, or none) is kept; the others passed over. */
static int read_description(reader *rd)
{
	static const char *const names[] = { "type" };
	const char *type;
	attributes(rd, names, 1, &type);
	if ((*type && strcmp(type, "1") != 0) || rd->has_description++)
		return xmlstream_skip(&rd->x);
	return read_narratives(rd, &rd->a.description);
}

static int read_identifier(reader *rd)
{
	const char *text = element_text(rd);
	if (!text)
		return -1;
	rd->a.identifier = keep_trimmed(rd, text);
	return 0;
}

static int read_status(reader *rd)
{
	static const char *const names[] = { "code" };
	const char *code;
	attributes(rd, names, 1, &code);
	rd->a.status = keep(rd, code);
	check_code(rd, IATI_ACTIVITY_STATUS, code, "the activity-status");
	return xmlstream_skip(&rd->x);
}

static int read_activity_date(reader *rd)
{
	static const char *const names[] = { "type", "iso-date" };
	const char *at[2];
	char date[IATI_DATE_MAX];
	attributes(rd, names, 2, at);
	if (read_date(rd, at[1], "an activity-date", 1, date))
		return -1;
	if (iati_code_known(IATI_ACTIVITY_DATE_TYPE, at[0]))
		memcpy(rd->a.dates[at[0][0] - '1'], date, IATI_DATE_MAX);
	else
		warn(rd, xmlstream_line(&rd->x), "an activity-date's type \"%.40s\" is not in IATI's code list", at[0]);
	return xmlstream_skip(&rd->x);
}

/* A code attribute the element cannot go without. */
static int require_code(reader *rd, const char *code, const char *what)
{
	return *code ? 0 : xmlstream_fail(&rd->x, 0, "a <%s> without its code", what);
}

static int read_country(reader *rd)
{
	static const char *const names[] = { "code", "percentage" };
	const char *at[2];
	attributes(rd, names, 2, at);
	iati_country *c = list_add(rd, &rd->countries, sizeof *c);
	if (!c || require_code(rd, at[0], "recipient-country") ||
	    read_percent(rd, at[1], "a recipient-country", &c->percentage))
		return -1;
	c->code = keep(rd, at[0]);
	c->line = xmlstream_line(&rd->x);
	return xmlstream_skip(&rd->x);
}

static int read_region(reader *rd)
{
	static const char *const names[] = { "code", "vocabulary", "percentage" };
	const char *at[3];
	attributes(rd, names, 3, at);
	iati_region *g = list_add(rd, &rd->regions, sizeof *g);
	if (!g || require_code(rd, at[0], "recipient-region") ||
	    read_percent(rd, at[2], "a recipient-region", &g->percentage))
		return -1;
	g->code = keep(rd, at[0]);
	g->vocabulary = keep(rd, *at[1] ? at[1] : "1");
	g->line = xmlstream_line(&rd->x);
	return xmlstream_skip(&rd->x);
}

/* A sector's code and vocabulary ("1" when none), checked against the code lists. */
static int sector_code(reader *rd, const char *code, const char *vocabulary, const char **code_out,
		       const char **vocabulary_out)
{
	if (require_code(rd, code, "sector"))
		return -1;
	if (!*vocabulary)
		vocabulary = "1";
	check_code(rd, IATI_SECTOR_VOCABULARY, vocabulary, "a sector's vocabulary");
	if (strcmp(vocabulary, "1") == 0)
		check_code(rd, IATI_SECTOR, code, "the DAC 5-digit sector");
	*code_out = keep(rd, code);
	*vocabulary_out = keep(rd, vocabulary);
	return 0;
}

static int read_sector(reader *rd)
{
	static const char *const names[] = { "code", "vocabulary", "percentage" };
	const char *at[3];
	attributes(rd, names, 3, at);
	iati_sector *s = list_add(rd, &rd->sectors, sizeof *s);
	if (!s || read_percent(rd, at[2], "a sector", &s->percentage) ||
	    sector_code(rd, at[0], at[1], &s->code, &s->vocabulary))
		return -1;
	s->line = xmlstream_line(&rd->x);
	return xmlstream_skip(&rd->x);
}

/* An element whose one attribute is wanted, the rest passed over. */
static void read_one_attribute(reader *rd, const char *name, const char **value)
{
	const char *const names[] = { name };
	attributes(rd, names, 1, value);
}

static int read_budget_child(reader *rd, iati_budget *b, const char *name, int *seen)
{
	const char *date;
	if (strcmp(name, "period-start") == 0 || strcmp(name, "period-end") == 0) {
		int start = name[7] == 's';
		read_one_attribute(rd, "iso-date", &date);
		*seen |= start ? 1 : 2;
		if (read_date(rd, date, start ? "a budget's period-start" : "a budget's period-end", 1,
			      start ? b->period_start : b->period_end))
			return -1;
		return xmlstream_skip(&rd->x);
	}
	if (strcmp(name, "value") == 0) {
		*seen |= 4;
		return read_value(rd, &b->value, "a budget");
	}
	return xmlstream_skip(&rd->x);
}

static int read_budget(reader *rd)
{
	static const char *const names[] = { "type", "status" };
	const char *at[2];
	iati_budget *b = list_add(rd, &rd->budgets, sizeof *b);
	if (!b)
		return -1;
	attributes(rd, names, 2, at);
	b->type = keep(rd, at[0]);
	b->status = keep(rd, at[1]);
	b->line = xmlstream_line(&rd->x);
	int depth = xmlstream_children(&rd->x), r, seen = 0;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0)
		if (read_budget_child(rd, b, xmlstream_name(&rd->x), &seen))
			return -1;
	if (r < 0)
		return -1;
	if (!(seen & 4))
		return fail(rd, b->line, "a budget without its value");
	return seen == 7 ? 0 : fail(rd, b->line, "a budget without its period-start and period-end");
}

static int read_transaction_child(reader *rd, iati_transaction *t, const char *name, int *seen)
{
	const char *at[2];
	if (strcmp(name, "transaction-type") == 0) {
		read_one_attribute(rd, "code", at);
		t->type = keep(rd, at[0]);
		check_code(rd, IATI_TRANSACTION_TYPE, at[0], "the transaction-type");
		*seen |= 1;
	} else if (strcmp(name, "transaction-date") == 0) {
		read_one_attribute(rd, "iso-date", at);
		*seen |= 2;
		if (read_date(rd, at[0], "a transaction-date", 1, t->date))
			return -1;
	} else if (strcmp(name, "value") == 0) {
		*seen |= 4;
		return read_value(rd, &t->value, "a transaction");
	} else if (strcmp(name, "provider-org") == 0) {
		return read_org(rd, &t->provider, 0);
	} else if (strcmp(name, "receiver-org") == 0) {
		return read_org(rd, &t->receiver, 0);
	} else if (strcmp(name, "sector") == 0 && !*t->sector_code) {
		static const char *const names[] = { "code", "vocabulary" };
		attributes(rd, names, 2, at);
		if (sector_code(rd, at[0], at[1], &t->sector_code, &t->sector_vocabulary))
			return -1;
	} else if (strcmp(name, "recipient-country") == 0 && !*t->recipient_country) {
		read_one_attribute(rd, "code", at);
		if (require_code(rd, at[0], "recipient-country"))
			return -1;
		t->recipient_country = keep(rd, at[0]);
	}
	return xmlstream_skip(&rd->x);
}

static int read_transaction(reader *rd)
{
	iati_transaction *t = list_add(rd, &rd->transactions, sizeof *t);
	if (!t)
		return -1;
	t->line = xmlstream_line(&rd->x);
	t->type = t->sector_code = t->sector_vocabulary = t->recipient_country = "";
	t->provider = t->receiver = (iati_org){ "", "", "", { { "", "", "" } } };
	int depth = xmlstream_children(&rd->x), r, seen = 0;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0)
		if (read_transaction_child(rd, t, xmlstream_name(&rd->x), &seen))
			return -1;
	if (r < 0)
		return -1;
	if (!(seen & 1))
		return fail(rd, t->line, "a transaction without its transaction-type");
	if (!(seen & 4))
		return fail(rd, t->line, "a transaction without its value");
	return seen & 2 ? 0 : fail(rd, t->line, "a transaction without its transaction-date");
}

static int read_reporting_org(reader *rd) { return read_org(rd, &rd->a.reporting_org, 0); }

/* The elements of an activity Liaison keeps, and who reads each. */
static const struct {
	const char *name;
	int (*read)(reader *rd);
} activity_elements[] = {
	{ "iati-identifier", read_identifier },
	{ "reporting-org", read_reporting_org },
	{ "title", read_title },
	{ "description", read_description },
	{ "participating-org", read_participant },
	{ "activity-status", read_status },
	{ "activity-date", read_activity_date },
	{ "recipient-country", read_country },
	{ "recipient-region", read_region },
	{ "sector", read_sector },
	{ "budget", read_budget },
	{ "transaction", read_transaction },
};

static int read_activity_element(reader *rd, const char *name)
{
	for (size_t k = 0; k < sizeof activity_elements / sizeof activity_elements[0]; k++)
		if (strcmp(name, activity_elements[k].name) == 0)
			return activity_elements[k].read(rd);
	return xmlstream_skip(&rd->x);
}

/* A fresh activity: what the last one held forgotten, its room kept. */
static void activity_start(reader *rd, long line)
{
	arena_free(&rd->strings);
	rd->participants.n = rd->countries.n = rd->regions.n = 0;
	rd->sectors.n = rd->budgets.n = rd->transactions.n = 0;
	rd->has_title = rd->has_description = 0;
	iati_activity *a = &rd->a;
	*a = (iati_activity){ .identifier = "", .default_currency = "", .status = "", .line = line };
	a->reporting_org = (iati_org){ "", "", "", { { "", "", "" } } };
	text_init(&a->title);
	text_init(&a->description);
}

static void activity_lists(reader *rd)
{
	iati_activity *a = &rd->a;
	a->participants = rd->participants.v, a->nparticipants = rd->participants.n;
	a->countries = rd->countries.v, a->ncountries = rd->countries.n;
	a->regions = rd->regions.v, a->nregions = rd->regions.n;
	a->sectors = rd->sectors.v, a->nsectors = rd->sectors.n;
	a->budgets = rd->budgets.v, a->nbudgets = rd->budgets.n;
	a->transactions = rd->transactions.v, a->ntransactions = rd->transactions.n;
}

static int activity_attributes(reader *rd)
{
	static const char *const names[] = { "xml:lang", "default-currency" };
	const char *at[2];
	attributes(rd, names, 2, at);
	rd->lang = lang_of(at[0], rd->doc_lang);
	if (*at[1] && !isocodes_currency_known(at[1]))
		return xmlstream_fail(&rd->x, 0, "the activity's default-currency \"%.20s\" is no ISO 4217 currency", at[1]);
	rd->a.default_currency = keep(rd, at[1]);
	return 0;
}

/* The whole activity read, its rules checked, handed over. */
static int finish_activity(reader *rd)
{
	char why[XMLSTREAM_REASON_MAX];
	long line;
	activity_lists(rd);
	if (!*rd->a.identifier)
		return fail(rd, rd->a.line, "an activity without its iati-identifier");
	if (shares_check(&rd->a, &line, why, sizeof why))
		return xmlstream_fail(&rd->x, line, "activity %.60s: %s", rd->a.identifier, why);
	if (rd->cb->on_activity && rd->cb->on_activity(rd->ctx, &rd->a)) {
		rd->stopped = 1;
		return fail(rd, rd->a.line, "stopped by its reader");
	}
	return 0;
}

static int read_activity(reader *rd)
{
	activity_start(rd, xmlstream_line(&rd->x));
	if (activity_attributes(rd))
		return -1;
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0)
		if (read_activity_element(rd, xmlstream_name(&rd->x)))
			return -1;
	if (r < 0)
		return -1;
	return finish_activity(rd);
}

/* IATI 2.0x: "2.01", "2.02", "2.03"... */
static int version_2(const char *v) { return strlen(v) == 4 && strncmp(v, "2.0", 3) == 0 && v[3] >= '1' && v[3] <= '9'; }

static int read_activities(void *ctx)
{
	static const char *const names[] = { "version", "xml:lang" };
	reader *rd = ctx;
	const char *at[2];
	attributes(rd, names, 2, at);
	if (!version_2(at[0]))
		return xmlstream_fail(&rd->x, 0, "version \"%.20s\" is not IATI 2.0x", at[0]);
	rd->doc_lang = lang_of(at[1], IATI_EN);
	if (rd->cb->on_document && rd->cb->on_document(rd->ctx, at[0])) {
		rd->stopped = 1;
		return fail(rd, 0, "stopped by its reader");
	}
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		int rc = strcmp(xmlstream_name(&rd->x), "iati-activity") == 0 ? read_activity(rd) : xmlstream_skip(&rd->x);
		if (rc)
			return -1;
	}
	return r;
}

/* ---- copying ---------------------------------------------------------- */

/* The copy of the last string copied, so that a string the activity's
 * parts share (its sectors' codes among its transactions...) is copied
 * once and stays one, as the import's tallying relies on being cheap. */
typedef struct copier {
	arena *ar;
	const char *from, *to;
} copier;

static const char *copy_str(copier *cp, const char *s)
{
	if (!s || !*s)
		return s ? "" : NULL;
	if (s == cp->from)
		return cp->to;
	cp->from = s;
	cp->to = arena_strdup(cp->ar, s);
	return cp->to;
}

static void *copy_list(copier *cp, const void *v, size_t n, size_t size)
{
	if (!n)
		return NULL;
	void *out = arena_alloc(cp->ar, n * size);
	memcpy(out, v, n * size);
	return out;
}

static void copy_text(copier *cp, iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		t->text[k] = copy_str(cp, t->text[k]);
}

static void copy_org(copier *cp, iati_org *o)
{
	o->ref = copy_str(cp, o->ref);
	o->type = copy_str(cp, o->type);
	o->role = copy_str(cp, o->role);
	copy_text(cp, &o->name);
}

iati_activity *iati_activity_copy(arena *ar, const iati_activity *a)
{
	copier cp = { ar, NULL, NULL };
	iati_activity *c = arena_alloc(ar, sizeof *c);
	*c = *a;
	c->identifier = copy_str(&cp, a->identifier);
	c->default_currency = copy_str(&cp, a->default_currency);
	c->status = copy_str(&cp, a->status);
	copy_org(&cp, &c->reporting_org);
	copy_text(&cp, &c->title);
	copy_text(&cp, &c->description);
	iati_org *parts = copy_list(&cp, a->participants, a->nparticipants, sizeof *parts);
	for (size_t i = 0; i < a->nparticipants; i++)
		copy_org(&cp, &parts[i]);
	iati_country *countries = copy_list(&cp, a->countries, a->ncountries, sizeof *countries);
	for (size_t i = 0; i < a->ncountries; i++)
		countries[i].code = copy_str(&cp, countries[i].code);
	iati_region *regions = copy_list(&cp, a->regions, a->nregions, sizeof *regions);
	for (size_t i = 0; i < a->nregions; i++) {
		regions[i].code = copy_str(&cp, regions[i].code);
		regions[i].vocabulary = copy_str(&cp, regions[i].vocabulary);
	}
	iati_sector *sectors = copy_list(&cp, a->sectors, a->nsectors, sizeof *sectors);
	for (size_t i = 0; i < a->nsectors; i++) {
		sectors[i].code = copy_str(&cp, sectors[i].code);
		sectors[i].vocabulary = copy_str(&cp, sectors[i].vocabulary);
	}
	iati_budget *budgets = copy_list(&cp, a->budgets, a->nbudgets, sizeof *budgets);
	for (size_t i = 0; i < a->nbudgets; i++) {
		budgets[i].type = copy_str(&cp, budgets[i].type);
		budgets[i].status = copy_str(&cp, budgets[i].status);
	}
	iati_transaction *ts = copy_list(&cp, a->transactions, a->ntransactions, sizeof *ts);
	for (size_t i = 0; i < a->ntransactions; i++) {
		ts[i].type = copy_str(&cp, ts[i].type);
		copy_org(&cp, &ts[i].provider);
		copy_org(&cp, &ts[i].receiver);
		ts[i].sector_code = copy_str(&cp, ts[i].sector_code);
		ts[i].sector_vocabulary = copy_str(&cp, ts[i].sector_vocabulary);
		ts[i].recipient_country = copy_str(&cp, ts[i].recipient_country);
	}
	c->participants = parts, c->countries = countries, c->regions = regions;
	c->sectors = sectors, c->budgets = budgets, c->transactions = ts;
	return c;
}

int iati_read(const xmlstream_input *in, const iati_read_callbacks *cb, void *ctx, iati_warnings *w, iati_error *err)
{
	if (err)
		*err = (iati_error){ 0 };
	reader *rd = calloc(1, sizeof *rd);
	if (!rd)
		return xmlstream_error_set(err, 0, "out of memory");
	rd->cb = cb, rd->ctx = ctx, rd->w = w;
	int rc = xmlstream_read(&rd->x, in, "iati-activities", read_activities, rd, err);
	rc = rc == 0 ? 0 : rd->stopped ? 1 : -1;
	arena_free(&rd->strings);
	buf_free(&rd->attrs);
	buf_free(&rd->text);
	list *lists[] = { &rd->participants, &rd->countries, &rd->regions, &rd->sectors, &rd->budgets, &rd->transactions };
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
		free(lists[k]->v);
	free(rd);
	return rc;
}

/* ---- writing ----------------------------------------------------------- */

struct iati_writer {
	xmlstream_out out;
};

#define werr(err, ...) xmlstream_error_set(err, 0, __VA_ARGS__)

static const char *or_empty(const char *s) { return s ? s : ""; }

int iati_write_to_buf(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
	return 0;
}

iati_writer *iati_write_begin(xmlstream_write_fn write, void *ctx, const char *generated, iati_error *err)
{
	char now[32];
	if (!generated) {
		clock_now_iso(now);
		generated = now;
	}
	if (!clock_valid_time(generated)) {
		werr(err, "generated-datetime \"%.40s\" is not a UTC time 2026-12-07T10:15:00Z", generated);
		return NULL;
	}
	iati_writer *w = calloc(1, sizeof *w);
	if (!w) {
		werr(err, "out of memory");
		return NULL;
	}
	w->out.write = write, w->out.ctx = ctx;
	buf_printf(&w->out.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<iati-activities version=\"2.03\" generated-datetime=\"%s\">\n", generated);
	return w;
}

/* An element's text, escaped; -1 (with the reason) when XML cannot carry it. */
static int put_text(buf *b, const char *s, const char *what, iati_error *err)
{
	if (xmlstream_put(b, s, strlen(s), 0, NULL))
		return werr(err, "%s is not UTF-8 or holds a character XML cannot carry", what);
	return 0;
}

static int put_attr(buf *b, const char *name, const char *value, iati_error *err)
{
	if (xmlstream_put_attr(b, name, value))
		return werr(err, "%s \"%.40s\" is not UTF-8 or holds a character XML cannot carry", name, value);
	return 0;
}

static int has_text(const iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		if (t->text[k] && *t->text[k])
			return 1;
	return 0;
}

/* The narratives of t, each with its xml:lang, so that it reads back in its language. */
static int put_narratives(buf *b, const iati_text *t, const char *indent, const char *what, iati_error *err)
{
	static const char *const langs[IATI_LANGS] = { "en", "fr", "es" };
	for (int k = 0; k < IATI_LANGS; k++) {
		if (!t->text[k] || !*t->text[k])
			continue;
		buf_printf(b, "%s<narrative xml:lang=\"%s\">", indent, langs[k]);
		if (put_text(b, t->text[k], what, err))
			return -1;
		buf_puts(b, "</narrative>\n");
	}
	return 0;
}

/* <name ...attributes>narratives</name>, or <name .../> when it has none. */
static int put_org(buf *b, const char *name, const iati_org *o, int with_role, const char *indent, iati_error *err)
{
	buf_printf(b, "%s<%s", indent, name);
	if (put_attr(b, "ref", o->ref, err) || put_attr(b, "type", o->type, err) ||
	    (with_role && put_attr(b, "role", o->role, err)))
		return -1;
	if (!has_text(&o->name)) {
		buf_puts(b, "/>\n");
		return 0;
	}
	buf_puts(b, ">\n");
	char inner[16];
	snprintf(inner, sizeof inner, "%s ", indent);
	if (put_narratives(b, &o->name, inner, name, err))
		return -1;
	buf_printf(b, "%s</%s>\n", indent, name);
	return 0;
}

static int put_date_attr(buf *b, const char *name, const char *date, const char *what, iati_error *err)
{
	if (!clock_valid_date(date) || strlen(date) != IATI_DATE_MAX - 1)
		return werr(err, "%s: \"%.40s\" is not a date YYYY-MM-DD", what, date);
	buf_printf(b, " %s=\"%s\"", name, date);
	return 0;
}

static int put_value(buf *b, const iati_money *m, const char *indent, const char *what, iati_error *err)
{
	if (!isocodes_currency_known(m->currency))
		return werr(err, "%s's value: unknown currency \"%.20s\"", what, m->currency);
	buf_printf(b, "%s<value currency=\"%s\"", indent, m->currency);
	if (put_date_attr(b, "value-date", m->value_date, "a value's value-date", err))
		return -1;
	buf_putc(b, '>');
	iati_put_amount(b, m->minor, isocodes_minor_units(m->currency));
	buf_puts(b, "</value>\n");
	return 0;
}

static void put_percent_attr(buf *b, int percentage)
{
	if (percentage == IATI_NO_PERCENT)
		return;
	buf_puts(b, " percentage=\"");
	iati_put_percent(b, percentage);
	buf_putc(b, '"');
}

static int check_percent(int percentage, iati_error *err)
{
	if (percentage != IATI_NO_PERCENT && (percentage < 0 || percentage > 10000))
		return werr(err, "a percentage of %d hundredths is not from 0 to 100", percentage);
	return 0;
}

static int put_head(buf *b, const iati_activity *a, iati_error *err)
{
	const iati_org *r = &a->reporting_org;
	buf_puts(b, " <iati-activity");
	if (put_attr(b, "default-currency", a->default_currency, err))
		return -1;
	buf_puts(b, ">\n  <iati-identifier>");
	if (put_text(b, a->identifier, "the iati-identifier", err))
		return -1;
	buf_puts(b, "</iati-identifier>\n");
	if (put_org(b, "reporting-org", r, 0, "  ", err))
		return -1;
	buf_puts(b, "  <title>\n");
	if (put_narratives(b, &a->title, "   ", "the title", err))
		return -1;
	buf_puts(b, "  </title>\n  <description type=\"1\">\n");
	if (put_narratives(b, &a->description, "   ", "the description", err))
		return -1;
	buf_puts(b, "  </description>\n");
	for (size_t k = 0; k < a->nparticipants; k++)
		if (put_org(b, "participating-org", &a->participants[k], 1, "  ", err))
			return -1;
	buf_puts(b, "  <activity-status");
	if (put_attr(b, "code", a->status, err))
		return -1;
	buf_puts(b, "/>\n");
	for (int k = 0; k < IATI_DATES; k++) {
		if (!a->dates[k][0])
			continue;
		buf_printf(b, "  <activity-date type=\"%d\"", k + 1);
		if (put_date_attr(b, "iso-date", a->dates[k], "an activity-date", err))
			return -1;
		buf_puts(b, "/>\n");
	}
	return 0;
}

/* <name code=... [vocabulary=...] [percentage=...]/>; a code is required. */
static int put_place(buf *b, const char *name, const char *code, const char *vocabulary, int percentage,
		     iati_error *err)
{
	if (!*or_empty(code))
		return werr(err, "a %s without its code", name);
	buf_printf(b, "  <%s", name);
	if (put_attr(b, "vocabulary", vocabulary, err) || put_attr(b, "code", code, err) || check_percent(percentage, err))
		return -1;
	put_percent_attr(b, percentage);
	buf_puts(b, "/>\n");
	return 0;
}

static int put_places(buf *b, const iati_activity *a, iati_error *err)
{
	for (size_t k = 0; k < a->ncountries; k++)
		if (put_place(b, "recipient-country", a->countries[k].code, NULL, a->countries[k].percentage, err))
			return -1;
	for (size_t k = 0; k < a->nregions; k++)
		if (put_place(b, "recipient-region", a->regions[k].code, a->regions[k].vocabulary, a->regions[k].percentage,
			      err))
			return -1;
	for (size_t k = 0; k < a->nsectors; k++)
		if (put_place(b, "sector", a->sectors[k].code, a->sectors[k].vocabulary, a->sectors[k].percentage, err))
			return -1;
	return 0;
}

static int put_budget(buf *b, const iati_budget *x, iati_error *err)
{
	buf_puts(b, "  <budget");
	if (put_attr(b, "type", x->type, err) || put_attr(b, "status", x->status, err))
		return -1;
	buf_puts(b, ">\n   <period-start");
	if (put_date_attr(b, "iso-date", x->period_start, "a budget's period-start", err))
		return -1;
	buf_puts(b, "/>\n   <period-end");
	if (put_date_attr(b, "iso-date", x->period_end, "a budget's period-end", err))
		return -1;
	buf_puts(b, "/>\n");
	if (put_value(b, &x->value, "   ", "a budget", err))
		return -1;
	buf_puts(b, "  </budget>\n");
	return 0;
}

static int put_transaction(buf *b, const iati_transaction *t, iati_error *err)
{
	if (!t->type || !*t->type)
		return werr(err, "a transaction without its type");
	buf_puts(b, "  <transaction>\n   <transaction-type");
	if (put_attr(b, "code", t->type, err))
		return -1;
	buf_puts(b, "/>\n   <transaction-date");
	if (put_date_attr(b, "iso-date", t->date, "a transaction-date", err))
		return -1;
	buf_puts(b, "/>\n");
	if (put_value(b, &t->value, "   ", "a transaction", err))
		return -1;
	const iati_org *ends[2] = { &t->provider, &t->receiver };
	for (int k = 0; k < 2; k++) {
		if (!*or_empty(ends[k]->ref) && !*or_empty(ends[k]->type) && !has_text(&ends[k]->name))
			continue;
		if (put_org(b, k ? "receiver-org" : "provider-org", ends[k], 0, "   ", err))
			return -1;
	}
	if (*or_empty(t->sector_code)) {
		buf_puts(b, "   <sector");
		if (put_attr(b, "vocabulary", t->sector_vocabulary, err) || put_attr(b, "code", t->sector_code, err))
			return -1;
		buf_puts(b, "/>\n");
	}
	if (*or_empty(t->recipient_country)) {
		buf_puts(b, "   <recipient-country");
		if (put_attr(b, "code", t->recipient_country, err))
			return -1;
		buf_puts(b, "/>\n");
	}
	buf_puts(b, "  </transaction>\n");
	return 0;
}

/* What the schema requires of an activity, and what the reader would refuse. */
static int check_activity(const iati_activity *a, iati_error *err)
{
	long line;
	char why[XMLSTREAM_REASON_MAX];
	const iati_org *r = &a->reporting_org;
	int dated = 0;
	for (int k = 0; k < IATI_DATES; k++)
		dated |= a->dates[k][0] != '\0';
	if (!*or_empty(a->identifier))
		return werr(err, "an activity without its iati-identifier");
	if (!*or_empty(r->ref) || !*or_empty(r->type) || !has_text(&r->name))
		return werr(err, "activity %.60s: the reporting-org needs its ref, type and name", a->identifier);
	if (!has_text(&a->title) || !has_text(&a->description))
		return werr(err, "activity %.60s: an activity needs its title and description", a->identifier);
	if (a->nparticipants == 0 || !*or_empty(a->status) || !dated)
		return werr(err, "activity %.60s: an activity needs a participating-org, its status and a date",
			    a->identifier);
	for (size_t k = 0; k < a->nparticipants; k++)
		if (!*or_empty(a->participants[k].role))
			return werr(err, "activity %.60s: a participating-org without its role", a->identifier);
	if (*or_empty(a->default_currency) && !isocodes_currency_known(a->default_currency))
		return werr(err, "activity %.60s: unknown default-currency \"%.20s\"", a->identifier, a->default_currency);
	if (shares_check(a, &line, why, sizeof why))
		return werr(err, "activity %.60s: %s", a->identifier, why);
	return 0;
}

static int put_activity(buf *b, const iati_activity *a, iati_error *err)
{
	if (check_activity(a, err) || put_head(b, a, err) || put_places(b, a, err))
		return -1;
	for (size_t k = 0; k < a->nbudgets; k++)
		if (put_budget(b, &a->budgets[k], err))
			return -1;
	for (size_t k = 0; k < a->ntransactions; k++)
		if (put_transaction(b, &a->transactions[k], err))
			return -1;
	buf_puts(b, " </iati-activity>\n");
	return 0;
}

int iati_write_activity(iati_writer *w, const iati_activity *a, iati_error *err)
{
	size_t mark = w->out.b.len;
	if (put_activity(&w->out.b, a, err)) {
		xmlstream_out_undo(&w->out, mark);   /* a refused activity leaves nothing behind */
		return -1;
	}
	return xmlstream_out_flush(&w->out, 0, err);
}

int iati_write_end(iati_writer *w, iati_error *err)
{
	buf_puts(&w->out.b, "</iati-activities>\n");
	int rc = xmlstream_out_flush(&w->out, 1, err);
	buf_free(&w->out.b);
	free(w);
	return rc;
}
