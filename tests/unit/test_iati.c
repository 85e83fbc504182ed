/*
 * test_iati — IATI 2.03 activity files: IATI's own example and test files
 * read as IATI means them, each error refused with its line and a reason
 * that names it, each warning told with its line, amounts read exactly and
 * rounded half to even, the exact line of a fault far down a large file;
 * and the writer's documents, for generated activities with every field,
 * valid against IATI's schema and read back as the activities written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xorshift.h"
#include "fixtures.h"
#include "formats/iati.h"
#include "formats/isocodes.h"
#include "schemavalid.h"

/* ---- reading helpers ----------------------------------------------------- */

/* What a read handed over: each activity described as text, one a line. */
typedef struct got {
	buf text;
	size_t n;
	iati_activity first;   /* the first activity's scalars (its pointers are gone) */
	int stop_after;        /* stop the read after this many (0: never) */
} got;

static void describe_text(buf *b, const iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		buf_printf(b, "[%s]", t->text[k] ? t->text[k] : "");
}

static const char *s_(const char *s) { return s ? s : ""; }

static void describe_org(buf *b, const iati_org *o)
{
	buf_printf(b, "%s,%s,%s", s_(o->ref), s_(o->type), s_(o->role));
	describe_text(b, &o->name);
}

static void describe_money(buf *b, const iati_money *m)
{
	buf_printf(b, "%lld %s %s", (long long)m->minor, m->currency, m->value_date);
}

/* Everything an activity holds but the lines, as text: what a round trip must keep. */
static void describe(buf *b, const iati_activity *a)
{
	buf_printf(b, "%s|%s|", s_(a->identifier), s_(a->default_currency));
	describe_org(b, &a->reporting_org);
	describe_text(b, &a->title);
	describe_text(b, &a->description);
	buf_printf(b, "|%s|%s,%s,%s,%s", s_(a->status), a->dates[0], a->dates[1], a->dates[2], a->dates[3]);
	for (size_t k = 0; k < a->nparticipants; k++)
		buf_puts(b, "|P:"), describe_org(b, &a->participants[k]);
	for (size_t k = 0; k < a->ncountries; k++)
		buf_printf(b, "|C:%s,%d", a->countries[k].code, a->countries[k].percentage);
	for (size_t k = 0; k < a->nregions; k++)
		buf_printf(b, "|R:%s,%s,%d", a->regions[k].code, a->regions[k].vocabulary, a->regions[k].percentage);
	for (size_t k = 0; k < a->nsectors; k++)
		buf_printf(b, "|S:%s,%s,%d", a->sectors[k].code, a->sectors[k].vocabulary, a->sectors[k].percentage);
	for (size_t k = 0; k < a->nbudgets; k++) {
		const iati_budget *x = &a->budgets[k];
		buf_printf(b, "|B:%s,%s,%s,%s,", s_(x->type), s_(x->status), x->period_start, x->period_end);
		describe_money(b, &x->value);
	}
	for (size_t k = 0; k < a->ntransactions; k++) {
		const iati_transaction *t = &a->transactions[k];
		buf_printf(b, "|T:%s,%s,", t->type, t->date);
		describe_money(b, &t->value);
		buf_putc(b, ',');
		describe_org(b, &t->provider);
		describe_org(b, &t->receiver);
		buf_printf(b, ",%s,%s,%s", s_(t->sector_code), s_(t->sector_vocabulary), s_(t->recipient_country));
	}
	buf_putc(b, '\n');
}

static int on_activity(void *ctx, const iati_activity *a)
{
	got *g = ctx;
	if (g->n++ == 0)
		g->first = *a;
	describe(&g->text, a);
	return g->stop_after && g->n >= (size_t)g->stop_after;
}

static const iati_read_callbacks callbacks = { NULL, on_activity };

static int read_doc(const char *doc, size_t len, got *g, iati_warnings *w, iati_error *err)
{
	return iati_read(&(xmlstream_input){ doc, len, -1 }, &callbacks, g, w, err);
}

/* noinline: gcc -O3 inlines it and then takes its local data for the buffer returned (a false
 * -Wdangling-pointer) */
__attribute__((noinline)) static char *load_fixture(const char *name, size_t *len)
{
	char path[PATH_MAX], err[256], *data = NULL;
	if (file_read(fixture_path(name, path), 1 << 20, &data, len, err, sizeof err))
		fail_msg("%s", err);
	return data;
}

/* The line of the first occurrence of needle in doc; 0 when none. */
static long line_of(const char *doc, const char *needle)
{
	const char *at = strstr(doc, needle);
	if (!at)
		return 0;
	long line = 1;
	for (const char *c = doc; c < at; c++)
		line += *c == '\n';
	return line;
}

/* A warning whose reason holds want, on line (any line when 0). */
static int warned(const iati_warnings *w, const char *want, long line)
{
	for (size_t k = 0; k < w->n; k++)
		if (strstr(w->v[k].reason, want) && (line == 0 || w->v[k].line == line))
			return 1;
	return 0;
}

static void print_warnings(const iati_warnings *w)
{
	for (size_t k = 0; k < w->n; k++)
		print_message("  warning line %ld: %s\n", w->v[k].line, w->v[k].reason);
}

/* ---- IATI's own files ------------------------------------------------------ */

static void test_example(void **state)
{
	(void)state;
	size_t len;
	char *doc = load_fixture("schemas/iati/example-activity-2.03.xml", &len);
	got g = { BUF_INIT, 0, { 0 }, 0 };
	iati_warnings w = IATI_WARNINGS_INIT;
	iati_error err;
	assert_int_equal(read_doc(doc, len, &g, &w, &err), 0);
	print_warnings(&w);
	assert_int_equal(g.n, 1);
	assert_int_equal(w.count, 0);
	const char *want = "AA-AAA-123456789-ABC123|USD|AA-AAA-123456789,40,[Organisation name][Nom de l'organisme][]"
			   "[Activity title][Titre de l'activité][Título de la actividad]"
			   "[General activity description text.  Long description of the activity with no particular structure.]"
			   "[Activité générale du texte de description. Longue description de l'activité sans structure particulière.][]"
			   "|2|2012-04-15,2012-04-28,2015-12-31,"
			   "|P:BB-BBB-123456789,40,1[Name of Agency B][][]"
			   "|P:CC-CCC-123456789,10,2[Name of Agency C][][]"
			   "|P:AA-AAA-123456789,21,3[Name of Agency A][Nom de l'agence A][]"
			   "|C:AF,2500|C:AG,2500|R:489,1,2500|R:A1,99,2500"
			   "|S:111,2,5000|S:112,2,5000|S:A1,99,10000"
			   "|B:1,1,2014-01-01,2014-12-31,300000 EUR 2014-01-01"
			   "|T:1,2012-01-01,100000 EUR 2012-01-01,BB-BBB-123456789,10,[Agency B][][]AA-AAA-123456789,23,[Agency A][][],"
			   "111,2,TM\n";
	assert_string_equal(buf_str(&g.text), want);
	assert_int_equal(g.first.line, line_of(doc, "<iati-activity "));
	iati_warnings_free(&w);
	buf_free(&g.text);
	free(doc);
}

/* IATI's schema tests leave placeholders where a real file has values
 * (version="xx", an empty identifier, a value without currency): valid
 * against the schema, refused by IATI's rules, as Liaison refuses them.
 * Filled in, they read as the schema tests mean. */
static char *filled(const char *doc)
{
	static const struct {
		const char *from, *to;
	} fills[] = {
		{ "version=\"xx\"", "version=\"2.03\"" },
		{ "<iati-identifier></iati-identifier>", "<iati-identifier>XM-EX-1</iati-identifier>" },
		{ "<iati-activity>", "<iati-activity default-currency=\"EUR\">" },
	};
	buf b = BUF_INIT;
	buf_puts(&b, doc);
	for (size_t k = 0; k < sizeof fills / sizeof fills[0]; k++) {
		char *at = strstr(b.data, fills[k].from);
		assert_non_null(at);
		buf out = BUF_INIT;
		buf_add(&out, b.data, (size_t)(at - b.data));
		buf_puts(&out, fills[k].to);
		buf_puts(&out, at + strlen(fills[k].from));
		buf_free(&b);
		b = out;
	}
	return buf_steal(&b);
}

static const char *const should_pass[] = { "02-minimal-doc.xml", "19-budget.xml", "21-transaction.xml",
					   "22-participating-org.xml", "34-sector.xml" };

static void test_should_pass(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof should_pass / sizeof should_pass[0]; k++) {
		char name[128];
		size_t len;
		snprintf(name, sizeof name, "schemas/iati/should-pass/%s", should_pass[k]);
		char *doc = load_fixture(name, &len);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_warnings w = IATI_WARNINGS_INIT;
		iati_error err;
		/* as published: the placeholder version is refused first */
		assert_int_equal(read_doc(doc, len, &g, &w, &err), -1);
		assert_non_null(strstr(err.reason, "version \"xx\""));
		assert_int_equal(err.line, line_of(doc, "<iati-activities"));
		char *fill = filled(doc);
		iati_warnings_free(&w);
		if (read_doc(fill, strlen(fill), &g, &w, &err) != 0)
			fail_msg("%s: line %ld: %s", should_pass[k], err.line, err.reason);
		assert_int_equal(g.n, 1);
		/* the placeholder codes are not IATI's: each told, with its line */
		assert_true(warned(&w, "the activity-status \"xx\"", line_of(fill, "<activity-status")));
		assert_true(warned(&w, "participating-org's role \"xx\"", line_of(fill, "<participating-org")));
		assert_true(warned(&w, "activity-date's type \"xx\"", line_of(fill, "<activity-date")));
		if (strstr(fill, "<transaction"))
			assert_true(warned(&w, "transaction-type \"X\"", line_of(fill, "<transaction-type")));
		if (strstr(fill, "<sector code=\"xx\""))
			assert_true(warned(&w, "DAC 5-digit sector \"xx\"", line_of(fill, "<sector code=\"xx\"")));
		iati_warnings_free(&w);
		buf_free(&g.text);
		free(fill);
		free(doc);
	}
}

static void test_should_fail(void **state)
{
	(void)state;
	static const struct {
		const char *file, *reason, *at;   /* at: where the fault is found */
	} cases[] = {
		{ "21-sector-missing-code.xml", "a <sector> without its code", "<sector>" },
		{ "24-two-titles.xml", "a second <title>", "<title> <!-- 1 and only 1-->\n      <narrative>Xxxxxxx</narrative> <!-- At least 1-->\n    </title>\n    <title>" },
		{ "budget/03-missing-value.xml", "a budget without its value", "<budget>" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char name[128];
		size_t len;
		snprintf(name, sizeof name, "schemas/iati/should-fail/%s", cases[k].file);
		char *doc = load_fixture(name, &len), *fill = filled(doc);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_error err;
		assert_int_equal(read_doc(fill, strlen(fill), &g, NULL, &err), -1);
		if (!strstr(err.reason, cases[k].reason))
			fail_msg("%s: \"%s\", not \"%s\"", cases[k].file, err.reason, cases[k].reason);
		long line = line_of(fill, cases[k].at);
		if (strstr(cases[k].at, "\n"))   /* the second of two: the last line of the needle */
			for (const char *c = cases[k].at; *c; c++)
				line += *c == '\n';
		assert_int_equal(err.line, line);
		assert_int_equal(g.n, 0);
		buf_free(&g.text);
		free(fill);
		free(doc);
	}
}

/* ---- errors and warnings of generated documents ------------------------------- */

/* A document of one activity with body inside it, after its title. */
static char *doc_of(const char *version, const char *activity_attrs, const char *identifier, const char *body)
{
	buf b = BUF_INIT;
	buf_printf(&b,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<iati-activities version=\"%s\">\n"
		   " <iati-activity%s>\n"
		   "  <iati-identifier>%s</iati-identifier>\n"
		   "  <reporting-org ref=\"XM-EX\" type=\"10\"><narrative>Example Agency</narrative></reporting-org>\n"
		   "  <title><narrative>A title</narrative></title>\n"
		   "%s\n"
		   " </iati-activity>\n"
		   "</iati-activities>\n",
		   version, activity_attrs, identifier, body);
	return buf_steal(&b);
}

#define USD " default-currency=\"USD\""
#define BUDGET(value) \
	"  <budget><period-start iso-date=\"2020-01-01\"/><period-end iso-date=\"2020-12-31\"/>" value "</budget>"

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *version, *attrs, *identifier, *body;
		const char *reason;   /* what the reason must say */
		const char *at;       /* the faulty line holds this */
	} cases[] = {
		{ "2.03", USD, "XM-EX-1", "  <sector code=\"11110\"></sectr>", "not well-formed", "</sectr>" },
		{ "1.05", USD, "XM-EX-1", "", "version \"1.05\" is not IATI 2.0x", "<iati-activities" },
		{ "2.1", USD, "XM-EX-1", "", "version \"2.1\"", "<iati-activities" },
		{ "", USD, "XM-EX-1", "", "version \"\"", "<iati-activities" },
		{ "2.03", USD, "", "", "without its iati-identifier", "<iati-activity" },
		{ "2.03", USD, "  ", "", "without its iati-identifier", "<iati-activity" },
		{ "2.03", USD, "XM-EX-1", BUDGET("<value value-date=\"2020-01-01\">1,000</value>"),
		  "value \"1,000\" is not a decimal", "<budget>" },
		{ "2.03", USD, "XM-EX-1", BUDGET("<value value-date=\"2020-01-01\">1e6</value>"), "is not a decimal", "<budget>" },
		{ "2.03", USD, "XM-EX-1", BUDGET("<value value-date=\"2020-01-01\">99999999999999999999</value>"),
		  "is not a decimal", "<budget>" },
		{ "2.03", USD, "XM-EX-1", "  <activity-date type=\"1\" iso-date=\"2020-13-01\"/>",
		  "\"2020-13-01\" is not a date YYYY-MM-DD", "<activity-date" },
		{ "2.03", USD, "XM-EX-1", "  <activity-date type=\"1\" iso-date=\"2020-1-01\"/>", "is not a date", "<activity-date" },
		{ "2.03", USD, "XM-EX-1", BUDGET("<value value-date=\"01/02/2020\">10</value>"), "\"01/02/2020\" is not a date",
		  "<budget>" },
		{ "2.03", USD, "XM-EX-1",
		  "  <transaction>\n   <transaction-date iso-date=\"2020-01-01\"/><value value-date=\"2020-01-01\">5</value>\n  </transaction>",
		  "a transaction without its transaction-type", "<transaction>" },
		{ "2.03", USD, "XM-EX-1",
		  "  <transaction>\n   <transaction-type code=\"3\"/><transaction-date iso-date=\"2020-01-01\"/>\n  </transaction>",
		  "a transaction without its value", "<transaction>" },
		{ "2.03", USD, "XM-EX-1",
		  "  <sector vocabulary=\"2\" code=\"111\" percentage=\"50\"/>\n  <sector vocabulary=\"2\" code=\"112\" percentage=\"40\"/>",
		  "sectors of vocabulary 2: their percentages add up to 90.00, not 100", "<sector" },
		{ "2.03", USD, "XM-EX-1",
		  "  <sector code=\"11110\" percentage=\"50.01\"/>\n  <sector code=\"11120\" percentage=\"50.01\"/>",
		  "sectors of vocabulary 1: their percentages add up to 100.02", "<sector" },
		{ "2.03", USD, "XM-EX-1",
		  "  <sector code=\"11110\" percentage=\"50\"/>\n  <sector code=\"11120\"/>",
		  "some give a percentage and some do not", "<sector" },
		{ "2.03", USD, "XM-EX-1",
		  "  <recipient-country code=\"PH\" percentage=\"50\"/>\n  <recipient-region code=\"298\" percentage=\"40\"/>",
		  "recipient countries and regions: their percentages add up to 90.00", "<recipient-country" },
		{ "2.03", USD, "XM-EX-1", "  <recipient-country code=\"PH\" percentage=\"120\"/>", "not a decimal from 0 to 100",
		  "<recipient-country" },
		{ "2.03", USD, "XM-EX-1", BUDGET("<value currency=\"XYZ\" value-date=\"2020-01-01\">10</value>"),
		  "unknown currency \"XYZ\"", "<budget>" },
		{ "2.03", "", "XM-EX-1", BUDGET("<value value-date=\"2020-01-01\">10</value>"),
		  "no currency, and the activity no default-currency", "<budget>" },
		{ "2.03", " default-currency=\"ABC\"", "XM-EX-1", "", "default-currency \"ABC\"", "<iati-activity" },
		{ "2.03", USD, "XM-EX-1", "  <budget><period-start iso-date=\"2020-01-01\"/><value value-date=\"2020-01-01\">1</value></budget>",
		  "a budget without its period-start and period-end", "<budget>" },
		{ "2.03", USD, "XM-EX-1", "  <recipient-country percentage=\"100\"/>", "a <recipient-country> without its code",
		  "<recipient-country" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *doc = doc_of(cases[k].version, cases[k].attrs, cases[k].identifier, cases[k].body);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_error err;
		if (read_doc(doc, strlen(doc), &g, NULL, &err) != -1)
			fail_msg("case %zu read: %s", k, cases[k].body);
		if (!strstr(err.reason, cases[k].reason))
			fail_msg("case %zu: \"%s\", not \"%s\"", k, err.reason, cases[k].reason);
		if (err.line != line_of(doc, cases[k].at))
			fail_msg("case %zu: line %ld, not %ld (%s)", k, err.line, line_of(doc, cases[k].at), err.reason);
		assert_null(strchr(err.reason, '\n'));
		assert_int_equal(g.n, 0);
		buf_free(&g.text);
		free(doc);
	}
	/* a root other than <iati-activities> */
	const char *org = "<?xml version=\"1.0\"?>\n<iati-organisations version=\"2.03\"/>\n";
	iati_error err;
	assert_int_equal(read_doc(org, strlen(org), NULL, NULL, &err), -1);
	assert_non_null(strstr(err.reason, "not <iati-activities>"));
	assert_int_equal(err.line, 2);
}

static void test_percentages_within_rounding(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"  <sector code=\"11110\" percentage=\"33.33\"/><sector code=\"11120\" percentage=\"33.33\"/>"
		"<sector code=\"11130\" percentage=\"33.33\"/>",
		"  <sector vocabulary=\"99\" code=\"a\" percentage=\"16.67\"/><sector vocabulary=\"99\" code=\"b\" percentage=\"16.67\"/>"
		"<sector vocabulary=\"99\" code=\"c\" percentage=\"16.67\"/><sector vocabulary=\"99\" code=\"d\" percentage=\"16.67\"/>"
		"<sector vocabulary=\"99\" code=\"e\" percentage=\"16.67\"/><sector vocabulary=\"99\" code=\"f\" percentage=\"16.67\"/>",
		"  <recipient-country code=\"PH\" percentage=\"60\"/><recipient-region code=\"298\" percentage=\"40\"/>",
		"  <sector code=\"11110\"/><sector vocabulary=\"2\" code=\"111\"/>",   /* one per vocabulary: all of it */
		"  <sector code=\"11110\" percentage=\"100\"/><sector vocabulary=\"2\" code=\"111\" percentage=\"100\"/>",
	};
	for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
		char *doc = doc_of("2.03", USD, "XM-EX-1", bodies[k]);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_error err;
		if (read_doc(doc, strlen(doc), &g, NULL, &err) != 0)
			fail_msg("case %zu: line %ld: %s", k, err.line, err.reason);
		assert_int_equal(g.n, 1);
		buf_free(&g.text);
		free(doc);
	}
}

static void test_warnings(void **state)
{
	(void)state;
	const char *body = "  <participating-org role=\"7\"/>\n"
			   "  <activity-status code=\"9\"/>\n"
			   "  <activity-date type=\"5\" iso-date=\"2020-01-01\"/>\n"
			   "  <recipient-country code=\"PH\" percentage=\"66.665\"/>\n"
			   "  <recipient-country code=\"VN\" percentage=\"33.335\"/>\n"
			   "  <sector code=\"99999\"/>\n"
			   "  <sector vocabulary=\"77\" code=\"X\"/>\n"
			   "  <transaction>\n"
			   "   <transaction-type code=\"14\"/>\n"
			   "   <transaction-date iso-date=\"2020-01-01\"/>\n"
			   "   <value value-date=\"2020-01-01\">10.125</value>\n"
			   "  </transaction>";
	char *doc = doc_of("2.03", USD, "XM-EX-1", body);
	got g = { BUF_INIT, 0, { 0 }, 0 };
	iati_warnings w = IATI_WARNINGS_INIT;
	iati_error err;
	assert_int_equal(read_doc(doc, strlen(doc), &g, &w, &err), 0);
	print_warnings(&w);
	assert_true(warned(&w, "participating-org's role \"7\"", line_of(doc, "role=\"7\"")));
	assert_true(warned(&w, "activity-status \"9\"", line_of(doc, "<activity-status")));
	assert_true(warned(&w, "activity-date's type \"5\"", line_of(doc, "<activity-date")));
	assert_true(warned(&w, "percentage 66.665 rounded", line_of(doc, "66.665")));
	assert_true(warned(&w, "percentage 33.335 rounded", line_of(doc, "33.335")));
	assert_true(warned(&w, "DAC 5-digit sector \"99999\"", line_of(doc, "99999")));
	assert_true(warned(&w, "sector's vocabulary \"77\"", line_of(doc, "\"77\"")));
	assert_true(warned(&w, "transaction-type \"14\"", line_of(doc, "code=\"14\"")));
	assert_true(warned(&w, "value 10.125 USD rounded to 2 decimals", line_of(doc, "10.125")));
	assert_int_equal(w.count, 9);
	assert_int_equal(w.n, 9);
	/* half to even: 66.665 -> 66.66, 33.335 -> 33.34, 10.125 -> 10.12 */
	assert_non_null(strstr(buf_str(&g.text), "|C:PH,6666|C:VN,3334|"));
	assert_non_null(strstr(buf_str(&g.text), "1012 USD 2020-01-01"));
	iati_warnings_free(&w);
	buf_free(&g.text);
	free(doc);
}

/* ---- amounts --------------------------------------------------------------- */

static void test_decimal(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int decimals;
		int64_t want;
		int rounded;
	} cases[] = {
		{ "1000000.99", 2, 100000099, 0 }, { "100", 2, 10000, 0 }, { "100", 0, 100, 0 }, { "1234.567", 3, 1234567, 0 },
		{ "0.5", 0, 0, 1 }, { "1.5", 0, 2, 1 }, { "2.5", 0, 2, 1 }, { "-2.5", 0, -2, 1 }, { "-3.5", 0, -4, 1 },
		{ "2.50001", 0, 3, 1 }, { "1.005", 2, 100, 1 }, { "1.015", 2, 102, 1 }, { "1.0149", 2, 101, 1 },
		{ "1.2345", 3, 1234, 1 }, { "1.2355", 3, 1236, 1 }, { "100.00", 0, 100, 0 }, { " +7.1 \n", 2, 710, 0 },
		{ ".5", 2, 50, 0 }, { "5.", 2, 500, 0 }, { "-0", 2, 0, 0 }, { "0.0001", 3, 0, 1 },
		{ "92233720368547758.07", 2, INT64_MAX, 0 }, { "-92233720368547758.07", 2, -INT64_MAX, 0 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int64_t v;
		int rounded;
		if (iati_decimal(cases[k].text, cases[k].decimals, &v, &rounded))
			fail_msg("\"%s\" refused", cases[k].text);
		if (v != cases[k].want || rounded != cases[k].rounded)
			fail_msg("\"%s\" (%d decimals): %lld%s", cases[k].text, cases[k].decimals, (long long)v,
				 rounded ? " rounded" : "");
	}
	static const char *const bad[] = { "", " ", ".", "-", "+", "1,5", "1e3", "--1", "1 000", "0x10", "1.2.3",
					   "92233720368547758.08", "9223372036854775808", "NaN", "١٢" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		int64_t v;
		int rounded;
		if (iati_decimal(bad[k], 2, &v, &rounded) == 0)
			fail_msg("\"%s\" read as %lld", bad[k], (long long)v);
	}
}

/* Every amount written in a currency's decimals reads back exactly, not rounded. */
static void test_amounts_round_trip(void **state)
{
	(void)state;
	uint64_t seed = 0x1a71u;
	buf b = BUF_INIT;
	for (int k = 0; k < 20000; k++) {
		int decimals = (int)xorshift_below(&seed, 5);
		int64_t v = ((int64_t)xorshift_below(&seed, 1u << 31) << 31 | xorshift_below(&seed, 1u << 31)) >>
			    xorshift_below(&seed, 62);
		if (xorshift_below(&seed, 2))
			v = -v;
		buf_reset(&b);
		iati_put_amount(&b, v, decimals);
		int64_t back;
		int rounded;
		assert_int_equal(iati_decimal(b.data, decimals, &back, &rounded), 0);
		if (back != v || rounded)
			fail_msg("%lld with %d decimals written \"%s\", read %lld", (long long)v, decimals, b.data, (long long)back);
		int p = (int)xorshift_below(&seed, 10001);
		buf_reset(&b);
		iati_put_percent(&b, p);
		assert_int_equal(iati_decimal(b.data, 2, &back, &rounded), 0);
		assert_int_equal(back, p);
	}
	buf_free(&b);
}

/* ---- a large file ------------------------------------------------------------ */

/* A document of activities eight lines each; on line fault_from or after,
 * the activity's line bad is written in place of its activity-date line.
 * *at is set to the line it lands on. */
static char *large_doc(long fault_from, const char *bad, long *at, size_t *activities_before)
{
	buf b = BUF_INIT;
	long line = 3;
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n");
	*at = 0;
	for (int k = 0; !*at || k % 2; k++) {
		int faulty = !*at && line + 5 >= fault_from;
		buf_printf(&b, " <iati-activity default-currency=\"EUR\">\n  <iati-identifier>XM-EX-%d</iati-identifier>\n"
			       "  <title><narrative>Activity %d</narrative></title>\n"
			       "  <participating-org role=\"1\" ref=\"XM-EX\"/>\n  <activity-status code=\"2\"/>\n",
			   k, k);
		if (faulty) {
			*at = line + 5;
			*activities_before = (size_t)k;
		}
		buf_printf(&b, "%s\n", faulty ? bad : "  <activity-date type=\"1\" iso-date=\"2020-01-01\"/>");
		buf_puts(&b, "  <sector code=\"11110\"/>\n </iati-activity>\n");
		line += 8;
	}
	buf_puts(&b, "</iati-activities>\n");
	return buf_steal(&b);
}

static void test_line_beyond_65535(void **state)
{
	(void)state;
	static const struct {
		const char *bad, *reason;
	} faults[] = {
		{ "  <activity-date type=\"1\" iso-date=\"2020-01-01\"></activity-dat>", "not well-formed" },
		{ "  <activity-date type=\"1\" iso-date=\"2020-02-30\"/>", "\"2020-02-30\" is not a date" },
		{ "  <activity-date type=\"1\" iso-date=\"2020-02-30\"><narrative>Late</narrative></activity-date>", "is not a date" },
	};
	for (size_t k = 0; k < sizeof faults / sizeof faults[0]; k++) {
		long at;
		size_t before;
		char *doc = large_doc(70001 + (long)k * 3001, faults[k].bad, &at, &before);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_error err;
		assert_true(at > 70000);
		assert_int_equal(read_doc(doc, strlen(doc), &g, NULL, &err), -1);
		if (!strstr(err.reason, faults[k].reason) || err.line != at)
			fail_msg("fault %zu: line %ld (%s), not line %ld", k, err.line, err.reason, at);
		assert_int_equal(g.n, before);   /* those before were handed over: the caller rolls them back */
		buf_free(&g.text);
		free(doc);
	}
}

/* ---- the reader's other ways ------------------------------------------------- */

static void test_stop_and_fd(void **state)
{
	(void)state;
	long at;
	size_t before;
	char *doc = large_doc(100, "  <activity-date type=\"1\" iso-date=\"2020-01-01\"/>", &at, &before);
	got g = { BUF_INIT, 0, { 0 }, 3 };
	iati_error err;
	assert_int_equal(read_doc(doc, strlen(doc), &g, NULL, &err), 1);
	assert_int_equal(g.n, 3);
	assert_int_equal(err.line, 19);   /* the third activity's */

	char path[] = "/tmp/test_iati_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	lseek(fd, 0, SEEK_SET);
	got from_file = { BUF_INIT, 0, { 0 }, 0 }, from_memory = { BUF_INIT, 0, { 0 }, 0 };
	assert_int_equal(iati_read(&(xmlstream_input){ NULL, 0, fd }, &callbacks, &from_file, NULL, &err), 0);
	assert_int_equal(read_doc(doc, strlen(doc), &from_memory, NULL, &err), 0);
	assert_string_equal(buf_str(&from_file.text), buf_str(&from_memory.text));
	assert_int_equal(from_file.n, before + 2);
	close(fd);
	unlink(path);
	buf_free(&g.text);
	buf_free(&from_file.text);
	buf_free(&from_memory.text);
	free(doc);
}

/* The narratives' languages: xml:lang, else the activity's, else the document's, else English. */
static void test_narrative_languages(void **state)
{
	(void)state;
	const char *doc = "<iati-activities version=\"2.02\" xml:lang=\"fr\">\n"
			  " <iati-activity default-currency=\"EUR\">\n  <iati-identifier>A</iati-identifier>\n"
			  "  <title><narrative>Titre</narrative><narrative xml:lang=\"EN-GB\">Title</narrative>"
			  "<narrative xml:lang=\"de\">Titel</narrative><narrative xml:lang=\"es\">Título</narrative>"
			  "<narrative xml:lang=\"fr\">Second</narrative></title>\n"
			  "  <description type=\"2\"><narrative>Objectifs</narrative></description>\n"
			  "  <description><narrative>Générale</narrative></description>\n </iati-activity>\n"
			  " <iati-activity xml:lang=\"es\" default-currency=\"EUR\">\n  <iati-identifier>B</iati-identifier>\n"
			  "  <title><narrative>Título</narrative><narrative xml:lang=\"zz-invalid-tag-\">x</narrative></title>\n"
			  " </iati-activity>\n"
			  "</iati-activities>\n";
	got g = { BUF_INIT, 0, { 0 }, 0 };
	iati_error err;
	assert_int_equal(read_doc(doc, strlen(doc), &g, NULL, &err), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.text.data, "A|EUR|,,[][][][Title][Titre][Título][][Générale][]|"));
	assert_non_null(strstr(g.text.data, "B|EUR|,,[][][][][][Título][][][]|"));
	buf_free(&g.text);
}

/* ---- writing ----------------------------------------------------------------- */

static const char *const tricky[] = {
	"Fonds & <partenaires>", "\"Quoted\" and 'single'", "Año de la niña — ñ, ü, ç", "日本語の名前",
	"a > b && c < d", "Plain name", "Tab\tand\nnewline", "Ω ≈ ∑ 𝄞",
};
static const char *const currencies[] = { "JPY", "USD", "KWD", "EUR" };
static const char *const dac[] = { "11110", "12220", "15110", "72010", "43010" };

/* n parts of 100% in hundredths, into parts. */
static void split(uint64_t *seed, int n, int *parts)
{
	int left = 10000;
	for (int k = 0; k < n - 1; k++) {
		parts[k] = (int)xorshift_below(seed, (uint32_t)(left / (n - k)) + 1);
		left -= parts[k];
	}
	parts[n - 1] = left;
}

static const char *pick(uint64_t *seed, const char *const *list, size_t n) { return list[xorshift_below(seed, (uint32_t)n)]; }
#define PICK(seed, list) pick(seed, list, sizeof list / sizeof list[0])

static void gen_date(uint64_t *seed, char out[IATI_DATE_MAX])
{
	snprintf(out, IATI_DATE_MAX, "20%02u-%02u-%02u", xorshift_below(seed, 40), xorshift_below(seed, 12) + 1,
		 xorshift_below(seed, 28) + 1);
}

static void gen_text(arena *a, uint64_t *seed, iati_text *t, int required)
{
	for (int k = 0; k < IATI_LANGS; k++)
		t->text[k] = xorshift_below(seed, 3) ? arena_printf(a, "%s %d", PICK(seed, tricky), k) : "";
	if (required && !t->text[IATI_EN][0] && !t->text[IATI_FR][0] && !t->text[IATI_ES][0])
		t->text[IATI_FR] = PICK(seed, tricky);
}

static void gen_org(arena *a, uint64_t *seed, iati_org *o, const char *role)
{
	o->ref = arena_printf(a, "XM-EX-%u", xorshift_below(seed, 1000));
	o->type = xorshift_below(seed, 2) ? "10" : "21";
	o->role = role;
	gen_text(a, seed, &o->name, 0);
}

static void gen_money(uint64_t *seed, iati_money *m)
{
	m->minor = (int64_t)xorshift_below(seed, 1u << 30) * (int64_t)xorshift_below(seed, 1000);
	if (xorshift_below(seed, 8) == 0)
		m->minor = -m->minor;
	memcpy(m->currency, PICK(seed, currencies), 4);
	gen_date(seed, m->value_date);
}

static void gen_transaction(arena *a, uint64_t *seed, iati_transaction *t)
{
	static const char *const types[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13" };
	t->type = PICK(seed, types);
	gen_date(seed, t->date);
	gen_money(seed, &t->value);
	gen_org(a, seed, &t->provider, "");
	gen_org(a, seed, &t->receiver, "");
	int sector = (int)xorshift_below(seed, 2);
	t->sector_code = sector ? PICK(seed, dac) : "";
	t->sector_vocabulary = sector ? "1" : "";
	t->recipient_country = xorshift_below(seed, 2) ? "PH" : "";
}

/* An activity with every field, from the seed; its memory from a. */
static void gen_activity(arena *a, uint64_t *seed, int index, iati_activity *act)
{
	*act = (iati_activity){ 0 };
	act->identifier = arena_printf(a, "XM-EX-%d-%s", index, index % 3 ? "A&B<C>" : "plain");
	act->default_currency = xorshift_below(seed, 2) ? PICK(seed, currencies) : "";
	gen_org(a, seed, &act->reporting_org, "");
	act->reporting_org.name.text[IATI_EN] = "Example Agency \"Ltd\" & Co";
	gen_text(a, seed, &act->title, 1);
	gen_text(a, seed, &act->description, 1);
	act->status = arena_printf(a, "%u", xorshift_below(seed, 6) + 1);
	for (int k = 0; k < IATI_DATES; k++)
		if (k == 0 || xorshift_below(seed, 2))
			gen_date(seed, act->dates[k]);
	size_t np = 1 + xorshift_below(seed, 4), nc = xorshift_below(seed, 3), nr = xorshift_below(seed, 3);
	size_t ns = xorshift_below(seed, 4), nb = xorshift_below(seed, 4), nt = xorshift_below(seed, 8);
	iati_org *p = arena_alloc(a, np * sizeof *p);
	for (size_t k = 0; k < np; k++)
		gen_org(a, seed, &p[k], arena_printf(a, "%zu", k % 4 + 1));
	int parts[8];
	split(seed, (int)(nc + nr ? nc + nr : 1), parts);
	int with_percent = nc + nr > 1 || xorshift_below(seed, 2);
	iati_country *c = arena_alloc(a, (nc + 1) * sizeof *c);
	for (size_t k = 0; k < nc; k++)
		c[k] = (iati_country){ k ? "VN" : "PH", with_percent ? parts[k] : IATI_NO_PERCENT, 0 };
	iati_region *r = arena_alloc(a, (nr + 1) * sizeof *r);
	for (size_t k = 0; k < nr; k++)
		r[k] = (iati_region){ k ? "789" : "298", "1", with_percent ? parts[nc + k] : IATI_NO_PERCENT, 0 };
	split(seed, (int)(ns ? ns : 1), parts);
	iati_sector *s = arena_alloc(a, (ns + 1) * sizeof *s);
	for (size_t k = 0; k < ns; k++)
		s[k] = (iati_sector){ dac[k], "1", parts[k], 0 };
	iati_budget *b = arena_alloc(a, (nb + 1) * sizeof *b);
	for (size_t k = 0; k < nb; k++) {
		b[k] = (iati_budget){ .type = "1", .status = k % 2 ? "2" : "1" };
		gen_date(seed, b[k].period_start);
		gen_date(seed, b[k].period_end);
		gen_money(seed, &b[k].value);
	}
	iati_transaction *t = arena_alloc(a, (nt + 1) * sizeof *t);
	for (size_t k = 0; k < nt; k++)
		gen_transaction(a, seed, &t[k]);
	act->participants = p, act->nparticipants = np;
	act->countries = c, act->ncountries = nc;
	act->regions = r, act->nregions = nr;
	act->sectors = s, act->nsectors = ns;
	act->budgets = b, act->nbudgets = nb;
	act->transactions = t, act->ntransactions = nt;
}

#define IATI_SCHEMA "schemas/iati/iati-activities-schema.xsd"

/* Generated activities written, valid against the schema, read back as written. */
static void test_write_valid_and_round_trip(void **state)
{
	(void)state;
	for (uint64_t round = 1; round <= 8; round++) {
		uint64_t seed = 0x9e3779b97f4a7c15u * round;
		arena a = ARENA_INIT;
		buf out = BUF_INIT, want = BUF_INIT;
		iati_error err;
		iati_writer *w = iati_write_begin(iati_write_to_buf, &out, "2026-12-07T10:15:00Z", &err);
		assert_non_null(w);
		for (int k = 0; k < 25; k++) {
			iati_activity act;
			gen_activity(&a, &seed, k, &act);
			if (iati_write_activity(w, &act, &err))
				fail_msg("activity %d refused: %s", k, err.reason);
			describe(&want, &act);
		}
		assert_int_equal(iati_write_end(w, &err), 0);
		assert_non_null(strstr(out.data, "<iati-activities version=\"2.03\" generated-datetime=\"2026-12-07T10:15:00Z\">"));
		assert_int_equal(schema_valid(out.data, out.len, IATI_SCHEMA), 0);
		got g = { BUF_INIT, 0, { 0 }, 0 };
		iati_warnings warnings = IATI_WARNINGS_INIT;
		if (read_doc(out.data, out.len, &g, &warnings, &err))
			fail_msg("line %ld: %s", err.line, err.reason);
		assert_int_equal(warnings.count, 0);
		assert_int_equal(g.n, 25);
		assert_string_equal(buf_str(&g.text), buf_str(&want));
		buf_free(&g.text);
		buf_free(&out);
		buf_free(&want);
		arena_free(&a);
	}
}

/* The amounts of currencies with 0, 2 and 3 decimals as IATI writes them. */
static void test_write_amounts(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	uint64_t seed = 7;
	iati_activity act;
	gen_activity(&a, &seed, 1, &act);
	iati_budget budgets[3] = {
		{ "1", "1", "2026-01-01", "2026-12-31", { 1234567, "JPY", "2026-01-01" }, 0 },
		{ "1", "1", "2026-01-01", "2026-12-31", { -1234567, "USD", "2026-01-01" }, 0 },
		{ "1", "1", "2026-01-01", "2026-12-31", { 1234567, "KWD", "2026-01-01" }, 0 },
	};
	act.budgets = budgets, act.nbudgets = 3;
	buf out = BUF_INIT;
	iati_error err;
	iati_writer *w = iati_write_begin(iati_write_to_buf, &out, NULL, &err);
	assert_int_equal(iati_write_activity(w, &act, &err), 0);
	assert_int_equal(iati_write_end(w, &err), 0);
	assert_non_null(strstr(out.data, "<value currency=\"JPY\" value-date=\"2026-01-01\">1234567</value>"));
	assert_non_null(strstr(out.data, "<value currency=\"USD\" value-date=\"2026-01-01\">-12345.67</value>"));
	assert_non_null(strstr(out.data, "<value currency=\"KWD\" value-date=\"2026-01-01\">1234.567</value>"));
	assert_int_equal(schema_valid(out.data, out.len, IATI_SCHEMA), 0);
	buf_free(&out);
	arena_free(&a);
}

/* An activity the schema or the reader would refuse is refused whole, the others kept. */
static void test_write_refusals(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	uint64_t seed = 11;
	iati_activity good;
	gen_activity(&a, &seed, 1, &good);
	iati_sector halves[2] = { { "11110", "1", 5000, 0 }, { "11120", "1", 4000, 0 } };
	iati_transaction no_type = { .type = "", .date = "2026-01-01", .value = { 1, "USD", "2026-01-01" } };
	iati_budget bad_currency = { "1", "1", "2026-01-01", "2026-12-31", { 1, "XYZ", "2026-01-01" }, 0 };
	iati_budget bad_date = { "1", "1", "2026-01-01", "2026-12-31", { 1, "USD", "2026-1-1" }, 0 };
	static const char *const reasons[] = { "iati-identifier", "reporting-org", "title", "participating-org",
					       "add up to 90.00", "transaction without its type", "unknown currency",
					       "not a date", "XML cannot carry" };
	buf out = BUF_INIT;
	iati_error err;
	iati_writer *w = iati_write_begin(iati_write_to_buf, &out, "2026-12-07T10:15:00Z", &err);
	assert_int_equal(iati_write_activity(w, &good, &err), 0);
	for (size_t k = 0; k < sizeof reasons / sizeof reasons[0]; k++) {
		iati_activity bad = good;
		switch (k) {
		case 0: bad.identifier = ""; break;
		case 1: bad.reporting_org.ref = NULL; break;
		case 2: bad.title = (iati_text){ { "", NULL, "" } }; break;
		case 3: bad.nparticipants = 0; break;
		case 4: bad.sectors = halves, bad.nsectors = 2; break;
		case 5: bad.transactions = &no_type, bad.ntransactions = 1; break;
		case 6: bad.budgets = &bad_currency, bad.nbudgets = 1; break;
		case 7: bad.budgets = &bad_date, bad.nbudgets = 1; break;
		case 8: bad.title.text[IATI_EN] = "bell \a"; break;
		}
		size_t before = out.len;
		assert_int_equal(iati_write_activity(w, &bad, &err), -1);
		if (!strstr(err.reason, reasons[k]))
			fail_msg("refusal %zu: \"%s\", not \"%s\"", k, err.reason, reasons[k]);
		assert_int_equal(out.len, before);
	}
	assert_int_equal(iati_write_activity(w, &good, &err), 0);
	assert_int_equal(iati_write_end(w, &err), 0);
	assert_int_equal(schema_valid(out.data, out.len, IATI_SCHEMA), 0);
	got g = { BUF_INIT, 0, { 0 }, 0 };
	assert_int_equal(read_doc(out.data, out.len, &g, NULL, &err), 0);
	assert_int_equal(g.n, 2);
	assert_null(iati_write_begin(iati_write_to_buf, &out, "yesterday", &err));
	buf_free(&g.text);
	buf_free(&out);
	arena_free(&a);
}

/* An activity of many transactions is handed over whole. */
static void test_many_transactions(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	uint64_t seed = 5;
	iati_activity act;
	gen_activity(&a, &seed, 1, &act);
	size_t n = 20000;
	iati_transaction *t = arena_alloc(&a, n * sizeof *t);
	for (size_t k = 0; k < n; k++)
		gen_transaction(&a, &seed, &t[k]);
	act.transactions = t, act.ntransactions = n;
	buf out = BUF_INIT, want = BUF_INIT;
	iati_error err;
	iati_writer *w = iati_write_begin(iati_write_to_buf, &out, NULL, &err);
	assert_int_equal(iati_write_activity(w, &act, &err), 0);
	assert_int_equal(iati_write_end(w, &err), 0);
	describe(&want, &act);
	got g = { BUF_INIT, 0, { 0 }, 0 };
	assert_int_equal(read_doc(out.data, out.len, &g, NULL, &err), 0);
	assert_int_equal(g.first.ntransactions, n);
	assert_string_equal(buf_str(&g.text), buf_str(&want));
	buf_free(&g.text);
	buf_free(&want);
	buf_free(&out);
	arena_free(&a);
}

/* ---- code lists -------------------------------------------------------------- */

static void test_codes(void **state)
{
	(void)state;
	assert_true(iati_code_known(IATI_TRANSACTION_TYPE, "1"));
	assert_true(iati_code_known(IATI_TRANSACTION_TYPE, "13"));
	assert_false(iati_code_known(IATI_TRANSACTION_TYPE, "14"));
	assert_false(iati_code_known(IATI_TRANSACTION_TYPE, ""));
	assert_true(iati_code_known(IATI_ORGANISATION_ROLE, "4"));
	assert_false(iati_code_known(IATI_ORGANISATION_ROLE, "5"));
	assert_true(iati_code_known(IATI_ACTIVITY_STATUS, "6"));
	assert_false(iati_code_known(IATI_ACTIVITY_STATUS, "0"));
	assert_true(iati_code_known(IATI_SECTOR_VOCABULARY, "99"));
	assert_false(iati_code_known(IATI_SECTOR_VOCABULARY, "12"));
	assert_true(iati_code_known(IATI_SECTOR, "11110"));
	assert_false(iati_code_known(IATI_SECTOR, "11111"));
	assert_false(iati_code_known(IATI_SECTOR, "1111"));
	assert_string_equal(iati_sector_name("11110", "en"), "Education policy and administrative management");
	assert_string_equal(iati_sector_name("11110", "fr"), "Politique de l’éducation et gestion administrative");
	assert_string_equal(iati_sector_name("11110", "es"), "Education policy and administrative management");
	assert_null(iati_sector_name("00000", "en"));
	/* every code of the sector list, in order, is found by its search */
	assert_true(iati_code_known(IATI_SECTOR, "99820"));
	assert_true(isocodes_currency_known("KWD"));
	assert_false(isocodes_currency_known("XAU"));
	assert_false(isocodes_currency_known("usd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_should_pass),
		cmocka_unit_test(test_should_fail),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_percentages_within_rounding),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_amounts_round_trip),
		cmocka_unit_test(test_line_beyond_65535),
		cmocka_unit_test(test_stop_and_fd),
		cmocka_unit_test(test_narrative_languages),
		cmocka_unit_test(test_write_valid_and_round_trip),
		cmocka_unit_test(test_write_amounts),
		cmocka_unit_test(test_write_refusals),
		cmocka_unit_test(test_many_transactions),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
