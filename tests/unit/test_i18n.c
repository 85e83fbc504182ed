/*
 * Tests for web/i18n: the embedded catalogs in each language and the
 * fallback to English, the choice of a language from Accept-Language, and
 * the CLDR forms of dates, times, numbers and money in English, French and
 * Spanish, including the inputs a page may hand over by mistake.  The
 * in-memory .mo parser the catalogs go through is tried on damaged data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "formats/mo.h"
#include "model/i18n.h"

#define NNBSP "\xE2\x80\xAF"   /* U+202F, French groups */
#define NBSP "\xC2\xA0"        /* U+00A0, before a currency code */

/* ---- helpers ----------------------------------------------------------- */

static int load(void **state)
{
	char err[256];
	(void)state;
	if (i18n_load(err, sizeof err) < 0) {
		fprintf(stderr, "i18n_load: %s\n", err);
		return -1;
	}
	return 0;
}

static int unload(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

static void check_date(int lang, const char *iso, const char *want)
{
	buf b = BUF_INIT;
	i18n_date(lang, iso, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void check_datetime(int lang, const char *iso, const char *want)
{
	buf b = BUF_INIT;
	i18n_datetime(lang, iso, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void check_number(int lang, int64_t v, int decimals, const char *want)
{
	buf b = BUF_INIT;
	i18n_number(lang, v, decimals, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void check_money(int lang, int64_t v, const char *currency, const char *want)
{
	buf b = BUF_INIT;
	i18n_money(lang, v, currency, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static const embedded_file *catalog(const char *name)
{
	for (const embedded_file *f = web_catalogs; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	fail_msg("%s is not embedded", name);
	return NULL;
}

/* mo_parse must refuse the bytes, say why, and hand back nothing. */
static void expect_refused(const void *data, size_t len)
{
	static char sentinel;
	mo_catalog *cat = (mo_catalog *)&sentinel;   /* must come back NULL */
	char err[256] = "";
	assert_int_equal(mo_parse(data, len, &cat, err, sizeof err), -1);
	assert_null(cat);
	assert_true(err[0] != '\0');
}

/* ---- catalogs ---------------------------------------------------------- */

static void test_lookup_each_language(void **state)
{
	(void)state;
	assert_string_equal(i18n_lookup(LANG_EN, "Sign in"), "Sign in");
	assert_string_equal(i18n_lookup(LANG_FR, "Sign in"), "Se connecter");
	assert_string_equal(i18n_lookup(LANG_ES, "Sign in"), "Iniciar sesión");
	assert_string_equal(i18n_text(LANG_FR, "Sign in"), "Se connecter");
	assert_string_equal(i18n_text(LANG_ES, "Sign in"), "Iniciar sesión");
}

static void test_fallback_to_msgid(void **state)
{
	(void)state;
	const char *msgid = "A message no catalog has";
	assert_null(i18n_lookup(LANG_FR, msgid));
	assert_ptr_equal(i18n_text(LANG_FR, msgid), msgid);
	assert_ptr_equal(i18n_text(LANG_EN, msgid), msgid);
	/* Look-ups are exact: no case folding, no trimming. */
	assert_null(i18n_lookup(LANG_FR, "sign in"));
	assert_null(i18n_lookup(LANG_FR, "Sign in "));
	/* The header entry is not a message. */
	assert_null(i18n_lookup(LANG_FR, ""));
	assert_string_equal(i18n_text(LANG_ES, ""), "");
	/* A language that does not exist, or no message at all. */
	assert_null(i18n_lookup(3, "Sign in"));
	assert_null(i18n_lookup(-1, "Sign in"));
	assert_string_equal(i18n_text(7, "Sign in"), "Sign in");
	assert_null(i18n_lookup(LANG_FR, NULL));
	assert_string_equal(i18n_text(LANG_FR, NULL), "");
}

/* One English word, two messages: the context tells them apart, and an
 * untranslated one reads as its English, without the context. */
static void test_contexts(void **state)
{
	(void)state;
	assert_string_equal(i18n_text(LANG_FR, NC_("briefing", "Cancelled")), "Annulée");
	assert_string_equal(i18n_text(LANG_FR, NC_("follow-up", "Cancelled")), "Annulé");
	assert_string_equal(i18n_text(LANG_ES, NC_("briefing", "Cancelled")), "Cancelada");
	assert_string_equal(i18n_text(LANG_EN, NC_("briefing", "Cancelled")), "Cancelled");
	assert_string_equal(i18n_text(LANG_FR, NC_("no such context", "Cancelled")), "Cancelled");
	assert_null(i18n_lookup(LANG_FR, NC_("no such context", "Cancelled")));
}

static void test_load_twice_free_and_reload(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(i18n_load(err, sizeof err), 0);   /* already loaded */
	assert_string_equal(i18n_text(LANG_FR, "Sign in"), "Se connecter");
	i18n_free();
	assert_null(i18n_lookup(LANG_FR, "Sign in"));
	assert_string_equal(i18n_text(LANG_FR, "Sign in"), "Sign in");
	i18n_free();                                        /* harmless */
	assert_int_equal(i18n_load(err, sizeof err), 0);
	assert_string_equal(i18n_text(LANG_ES, "Sign in"), "Iniciar sesión");
}

static void test_lang_codes(void **state)
{
	(void)state;
	assert_int_equal(i18n_lang("en"), LANG_EN);
	assert_int_equal(i18n_lang("fr"), LANG_FR);
	assert_int_equal(i18n_lang("es"), LANG_ES);
	assert_int_equal(i18n_lang("de"), -1);
	assert_int_equal(i18n_lang("fr-CH"), -1);
	assert_int_equal(i18n_lang("f"), -1);
	assert_int_equal(i18n_lang(""), -1);
	assert_int_equal(i18n_lang(NULL), -1);
}

/* ---- Accept-Language --------------------------------------------------- */

static void test_negotiate_q_values(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate("fr"), LANG_FR);
	assert_int_equal(i18n_negotiate("es"), LANG_ES);
	assert_int_equal(i18n_negotiate("en;q=0.5, fr;q=0.8"), LANG_FR);
	assert_int_equal(i18n_negotiate("fr;q=0.3, es;q=0.7, en;q=0.5"), LANG_ES);
	assert_int_equal(i18n_negotiate("de, es;q=0.001"), LANG_ES);
	assert_int_equal(i18n_negotiate("es;Q=1.000,fr;q=0.999"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr ; q=0.9 ,\tes ; q=0.95"), LANG_ES);
	/* Ties go to the earlier range. */
	assert_int_equal(i18n_negotiate("es, fr"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=0.8, es;q=0.8, en;q=0.8"), LANG_FR);
	/* q=0 means "not acceptable", whatever its place. */
	assert_int_equal(i18n_negotiate("fr;q=0"), LANG_EN);
	assert_int_equal(i18n_negotiate("fr;q=0.000, es;q=0.1"), LANG_ES);
}

static void test_negotiate_regions(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate("fr-CH"), LANG_FR);
	assert_int_equal(i18n_negotiate("FR-ca"), LANG_FR);
	assert_int_equal(i18n_negotiate("es-419,es;q=0.9"), LANG_ES);
	assert_int_equal(i18n_negotiate("de-CH, fr-CH;q=0.9, en;q=0.8"), LANG_FR);
	assert_int_equal(i18n_negotiate("es-MX-x-private"), LANG_ES);
	assert_int_equal(i18n_negotiate("en-US,en;q=0.9,fr;q=0.8"), LANG_EN);
	/* Two regions of one language: the better weight, then the earlier. */
	assert_int_equal(i18n_negotiate("fr-BE;q=0.2, es;q=0.5, fr-CH;q=0.6"), LANG_FR);
	assert_int_equal(i18n_negotiate("fr-CH;q=0.5, es;q=0.5, fr-BE;q=0.5"), LANG_FR);
	/* The range naming French itself is what the user said about French. */
	assert_int_equal(i18n_negotiate("fr-CH;q=0.9, fr;q=0.1, es;q=0.5"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr-CH, fr;q=0"), LANG_EN);
	/* Same letters, other languages: no prefix matching. */
	assert_int_equal(i18n_negotiate("fra, esp, french"), LANG_EN);
	assert_int_equal(i18n_negotiate("frx-CH, es"), LANG_ES);
}

static void test_negotiate_wildcards(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate("*"), LANG_EN);
	assert_int_equal(i18n_negotiate("de, *;q=0.5"), LANG_EN);
	assert_int_equal(i18n_negotiate("en;q=0, *"), LANG_FR);
	assert_int_equal(i18n_negotiate("en;q=0, fr;q=0, *;q=0.1"), LANG_ES);
	assert_int_equal(i18n_negotiate("*;q=0.9, es;q=0.5"), LANG_EN);
	assert_int_equal(i18n_negotiate("*;q=0.5, es"), LANG_ES);
	assert_int_equal(i18n_negotiate("*;q=0"), LANG_EN);
}

static void test_negotiate_garbage(void **state)
{
	(void)state;
	char big[4096];
	assert_int_equal(i18n_negotiate(NULL), LANG_EN);
	assert_int_equal(i18n_negotiate(""), LANG_EN);
	assert_int_equal(i18n_negotiate(",,, ,"), LANG_EN);
	assert_int_equal(i18n_negotiate(";;;q=1"), LANG_EN);
	assert_int_equal(i18n_negotiate("de"), LANG_EN);
	/* A malformed element is dropped; the rest still counts. */
	assert_int_equal(i18n_negotiate("fr;q=abc, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=1.5, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=0.1234, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=1.001, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;level=1, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr q=0.5, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr-, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr--CH, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr-abcdefghi, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr-\xC3\xA9, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("1fr, es;q=0.2"), LANG_ES);
	assert_int_equal(i18n_negotiate("fr;q=0.5;q=0.9, es;q=0.2"), LANG_ES);
	/* A long header of junk with one real wish at the end. */
	memset(big, 'x', sizeof big);
	memcpy(big + sizeof big - 8, ", es-AR", 8);
	assert_int_equal(i18n_negotiate(big), LANG_ES);
}

/* ---- dates ------------------------------------------------------------- */

static void test_dates(void **state)
{
	(void)state;
	check_date(LANG_EN, "2026-11-27", "27 November 2026");
	check_date(LANG_FR, "2026-11-27", "27 novembre 2026");
	check_date(LANG_ES, "2026-11-27", "27 de noviembre de 2026");
	check_date(LANG_EN, "2027-01-01", "1 January 2027");
	check_date(LANG_FR, "2027-01-01", "1 janvier 2027");
	check_date(LANG_ES, "2027-01-01", "1 de enero de 2027");
	check_date(LANG_FR, "2026-08-15", "15 ao\xC3\xBBt 2026");
	check_date(LANG_FR, "2026-12-03", "3 d\xC3\xA9" "cembre 2026");
	check_date(LANG_FR, "2026-02-09", "9 f\xC3\xA9vrier 2026");
	check_date(LANG_ES, "2026-09-30", "30 de septiembre de 2026");
	check_date(LANG_EN, "0987-05-06", "6 May 987");
	/* Leap days exist only in leap years. */
	check_date(LANG_EN, "2024-02-29", "29 February 2024");
	check_date(LANG_EN, "2000-02-29", "29 February 2000");
	/* A date with a time is written as a date (UTC). */
	check_date(LANG_EN, "2026-11-27T14:05:00Z", "27 November 2026");
	check_date(LANG_ES, "2026-12-31T23:30:00-01:00", "1 de enero de 2027");
	/* An unknown language writes English. */
	check_date(9, "2026-11-27", "27 November 2026");
}

static void test_dates_bad_input(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "tomorrow", "2026", "2026-11", "2026-11-2", "2026-1-27", "26-11-27",
		"2026/11/27", "2026-00-10", "2026-13-01", "2026-11-00", "2026-11-31",
		"2025-02-29", "1900-02-29", "2026-11-27x", "2026-11-27T", "2026-11-27T14",
		"2026-11-27T24:00Z", "2026-11-27T14:60Z", "2026-11-27T14:05:61Z",
		"2026-11-27T14:05:00.Z", "2026-11-27T14:05:00Zjunk", "2026-11-27T14:05+5",
		"2026-11-27T14:05+24:00", " 2026-11-27", "2026-11-27 ", "0000-01-01T00:30+01:00",
		"9999-12-31T23:30-01:00", "\uFEFF2026-11-27",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_date(LANG_FR, bad[i], bad[i]);
		check_datetime(LANG_ES, bad[i], bad[i]);
	}
	check_date(LANG_EN, NULL, "");
	check_datetime(LANG_EN, NULL, "");
	i18n_date(LANG_EN, "2026-11-27", NULL);
	i18n_datetime(LANG_EN, "2026-11-27", NULL);
}

static void test_date_appends(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "Due: ");
	i18n_date(LANG_FR, "2026-11-27", &b);
	assert_string_equal(buf_str(&b), "Due: 27 novembre 2026");
	buf_free(&b);
}

static void test_datetimes(void **state)
{
	(void)state;
	check_datetime(LANG_EN, "2026-11-27T14:05:00Z", "27 November 2026, 14:05");
	check_datetime(LANG_FR, "2026-11-27T14:05:00Z", "27 novembre 2026 \xC3\xA0 14:05");
	check_datetime(LANG_ES, "2026-11-27T14:05:00Z", "27 de noviembre de 2026, 14:05");
	/* CLDR: English and French pad the hour, Spanish does not. */
	check_datetime(LANG_EN, "2027-01-01T09:05:00Z", "1 January 2027, 09:05");
	check_datetime(LANG_FR, "2027-01-01T09:05:00Z", "1 janvier 2027 \xC3\xA0 09:05");
	check_datetime(LANG_ES, "2027-01-01T09:05:00Z", "1 de enero de 2027, 9:05");
	check_datetime(LANG_ES, "2027-01-01T00:00:00Z", "1 de enero de 2027, 0:00");
	/* Seconds and fractions are read, not shown; no zone means UTC. */
	check_datetime(LANG_EN, "2026-11-27T14:05:59.999Z", "27 November 2026, 14:05");
	check_datetime(LANG_EN, "2026-11-27T14:05", "27 November 2026, 14:05");
	check_datetime(LANG_EN, "2026-11-27 14:05:00", "27 November 2026, 14:05");
	/* Other zones are converted to UTC, across a day or a year. */
	check_datetime(LANG_EN, "2026-11-27T14:05:00+02:00", "27 November 2026, 12:05");
	check_datetime(LANG_EN, "2026-11-27T14:05:00-0530", "27 November 2026, 19:35");
	check_datetime(LANG_FR, "2027-01-01T00:30:00+01:00", "31 d\xC3\xA9" "cembre 2026 \xC3\xA0 23:30");
	check_datetime(LANG_EN, "2024-02-28T23:00:00-02:00", "29 February 2024, 01:00");
	check_datetime(LANG_EN, "2026-03-01T01:00:00+03:00", "28 February 2026, 22:00");
	/* A plain date has no time to show. */
	check_datetime(LANG_ES, "2026-11-27", "27 de noviembre de 2026");
}

/* ---- numbers ----------------------------------------------------------- */

static void test_numbers_whole(void **state)
{
	(void)state;
	check_number(LANG_EN, 0, 0, "0");
	check_number(LANG_FR, 0, 0, "0");
	check_number(LANG_ES, 0, 0, "0");
	check_number(LANG_EN, 999, 0, "999");
	check_number(LANG_EN, 1250, 0, "1,250");
	check_number(LANG_FR, 1250, 0, "1" NNBSP "250");
	check_number(LANG_ES, 1250, 0, "1250");
	check_number(LANG_ES, 12500, 0, "12.500");
	check_number(LANG_EN, 1250000, 0, "1,250,000");
	check_number(LANG_FR, 1250000, 0, "1" NNBSP "250" NNBSP "000");
	check_number(LANG_ES, 1250000, 0, "1.250.000");
	check_number(LANG_EN, 100000, 0, "100,000");
	check_number(LANG_EN, -5, 0, "-5");
	check_number(LANG_ES, -1250, 0, "-1250");
	check_number(LANG_FR, -1250000, 0, "-1" NNBSP "250" NNBSP "000");
	check_number(LANG_EN, INT64_MAX, 0, "9,223,372,036,854,775,807");
	check_number(LANG_EN, INT64_MIN, 0, "-9,223,372,036,854,775,808");
	check_number(LANG_ES, INT64_MIN, 0, "-9.223.372.036.854.775.808");
	check_number(42, 1250, 0, "1,250");
}

static void test_numbers_decimals(void **state)
{
	(void)state;
	check_number(LANG_EN, 125050, 2, "1,250.50");
	check_number(LANG_FR, 125050, 2, "1" NNBSP "250,50");
	check_number(LANG_ES, 125050, 2, "1250,50");
	check_number(LANG_ES, 1250050, 2, "12.500,50");
	check_number(LANG_EN, 0, 2, "0.00");
	check_number(LANG_EN, 5, 2, "0.05");
	check_number(LANG_FR, -5, 3, "-0,005");
	check_number(LANG_EN, -125050, 1, "-12,505.0");
	check_number(LANG_EN, INT64_MIN, 4, "-922,337,203,685,477.5808");
	/* Out-of-range decimals are clamped, never a crash. */
	check_number(LANG_EN, 1250, -3, "1,250");
	check_number(LANG_EN, 1, 1000, "0.000000000000000001");
	check_number(LANG_EN, INT64_MIN, 18, "-9.223372036854775808");
	i18n_number(LANG_EN, 1, 2, NULL);
}

/* ---- money ------------------------------------------------------------- */

static void test_money(void **state)
{
	(void)state;
	check_money(LANG_EN, 125000000, "USD", "1,250,000.00" NBSP "USD");
	check_money(LANG_FR, 125000000, "USD", "1" NNBSP "250" NNBSP "000,00" NBSP "USD");
	check_money(LANG_ES, 125000000, "USD", "1.250.000,00" NBSP "USD");
	check_money(LANG_ES, 125000, "EUR", "1250,00" NBSP "EUR");
	check_money(LANG_EN, -1999, "EUR", "-19.99" NBSP "EUR");
	check_money(LANG_EN, 0, "USD", "0.00" NBSP "USD");
	/* Currencies without minor units, and with three. */
	check_money(LANG_EN, 1250000, "JPY", "1,250,000" NBSP "JPY");
	check_money(LANG_ES, 1250000, "JPY", "1.250.000" NBSP "JPY");
	check_money(LANG_FR, 5000, "XOF", "5" NNBSP "000" NBSP "XOF");
	check_money(LANG_EN, 1250500, "KWD", "1,250.500" NBSP "KWD");
	check_money(LANG_FR, 1250500, "KWD", "1" NNBSP "250,500" NBSP "KWD");
	check_money(LANG_ES, 1250500, "KWD", "1250,500" NBSP "KWD");
	check_money(LANG_EN, 7, "TND", "0.007" NBSP "TND");
}

/* What each language writes, typed back, is the plain number; a mark that
 * cannot be a group is a decimal mark in French and Spanish, and is left to
 * be refused in English, never guessed. */
static void test_numbers_typed(void **state)
{
	(void)state;
	static const struct {
		int lang;
		const char *typed, *plain;
	} cases[] = {
		{ LANG_EN, "1,250,000.50", "1250000.50" }, { LANG_EN, "1250000.50", "1250000.50" },
		{ LANG_EN, "1,5", "1,5" },                 { LANG_EN, " 12 ", "12" },
		{ LANG_FR, "1 250 000,50", "1250000.50" }, { LANG_FR, "1\xE2\x80\xAF" "250,5", "1250.5" },
		{ LANG_FR, "1\xC2\xA0" "250", "1250" },    { LANG_FR, "1250.50", "1250.50" },
		{ LANG_ES, "1.250.000,50", "1250000.50" }, { LANG_ES, "12.5", "12.5" },
		{ LANG_ES, "1.250", "1250" },              { LANG_ES, "-3,50", "-3.50" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		i18n_number_typed(cases[i].lang, cases[i].typed, &b);
		assert_string_equal(buf_str(&b), cases[i].plain);
		buf_free(&b);
	}
	/* every amount each language writes reads back as itself */
	const int64_t values[] = { 0, 5, 99, 100, 1234, 999999, 1000000, 1250000050, -350, INT64_MAX / 1000 };
	for (int lang = LANG_EN; lang <= LANG_ES; lang++)
		for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
			for (int decimals = 0; decimals <= 3; decimals++) {
				buf written = BUF_INIT, typed = BUF_INIT, plain = BUF_INIT;
				i18n_number(lang, values[i], decimals, &written);
				i18n_number(LANG_EN, values[i], decimals, &plain);
				i18n_number_typed(lang, buf_str(&written), &typed);
				buf en = BUF_INIT;  /* English without its groups is the plain form */
				i18n_number_typed(LANG_EN, buf_str(&plain), &en);
				assert_string_equal(buf_str(&typed), buf_str(&en));
				buf_free(&written);
				buf_free(&typed);
				buf_free(&plain);
				buf_free(&en);
			}
}

static void test_money_bad_currency(void **state)
{
	(void)state;
	/* A well-formed code not in the table has two decimals. */
	check_money(LANG_EN, 125000, "XYZ", "1,250.00" NBSP "XYZ");
	/* Not a code: the amount with two decimals, the text as it is. */
	check_money(LANG_EN, 1250, "jpy", "12.50" NBSP "jpy");
	check_money(LANG_EN, 1250, "JPYEN", "12.50" NBSP "JPYEN");
	check_money(LANG_EN, 1250, "", "12.50");
	check_money(LANG_FR, 1250, NULL, "12,50");
	check_money(LANG_EN, INT64_MIN, "JPY", "-9,223,372,036,854,775,808" NBSP "JPY");
	i18n_money(LANG_EN, 1, "USD", NULL);
}

/* ---- mo_parse ---------------------------------------------------------- */

static void test_mo_parse_embedded(void **state)
{
	(void)state;
	const embedded_file *fr = catalog("fr.mo");
	mo_catalog *cat = NULL;
	char err[256];
	assert_int_equal(mo_parse(fr->data, fr->len, &cat, err, sizeof err), 0);
	assert_string_equal(mo_lookup(cat, "Sign in"), "Se connecter");
	assert_null(mo_lookup(cat, ""));
	mo_close(cat);
}

/* The catalog keeps its own copy: the caller's bytes can go. */
static void test_mo_parse_copies(void **state)
{
	(void)state;
	const embedded_file *es = catalog("es.mo");
	char *copy = malloc(es->len);
	mo_catalog *cat = NULL;
	char err[256];
	assert_non_null(copy);
	memcpy(copy, es->data, es->len);
	assert_int_equal(mo_parse(copy, es->len, &cat, err, sizeof err), 0);
	memset(copy, 0, es->len);
	free(copy);
	assert_string_equal(mo_lookup(cat, "Sign in"), "Iniciar sesión");
	mo_close(cat);
}

static void test_mo_parse_damaged(void **state)
{
	(void)state;
	const embedded_file *en = catalog("en.mo");
	unsigned char *img = malloc(en->len);
	assert_non_null(img);
	expect_refused(NULL, 0);
	expect_refused(NULL, 100);
	expect_refused("", 0);
	expect_refused("not a message catalog, not at all", 34);
	/* Every proper prefix lacks at least the last string's NUL. */
	for (size_t cut = 0; cut < en->len; cut++)
		expect_refused(en->data, cut);
	memcpy(img, en->data, en->len);
	img[0] ^= 0xff;                          /* magic */
	expect_refused(img, en->len);
	memcpy(img, en->data, en->len);
	memset(img + 12, 0xff, 4);               /* original table offset */
	expect_refused(img, en->len);
	/* Any byte set to any of a few values: refused or harmless. */
	for (size_t at = 0; at < en->len; at++) {
		for (int v = 0; v < 256; v += 85) {
			mo_catalog *cat = NULL;
			char err[256];
			memcpy(img, en->data, en->len);
			img[at] = (unsigned char)v;
			if (mo_parse(img, en->len, &cat, err, sizeof err) == 0)
				mo_lookup(cat, "Sign in");
			mo_close(cat);
		}
	}
	free(img);
}


static void month_and_weekday_names(void **state)
{
	(void)state;
	assert_string_equal(i18n_month(LANG_EN, 1), "January");
	assert_string_equal(i18n_month(LANG_FR, 8), "août");
	assert_string_equal(i18n_month(LANG_ES, 12), "diciembre");
	assert_string_equal(i18n_month(LANG_FR, 13), "");
	assert_string_equal(i18n_weekday(LANG_EN, 0), "Monday");
	assert_string_equal(i18n_weekday(LANG_ES, 2), "miércoles");
	assert_string_equal(i18n_weekday(LANG_FR, 6), "dimanche");
	assert_string_equal(i18n_weekday(LANG_EN, -1), "");
	assert_string_equal(i18n_endonym(LANG_FR), "Français");
	assert_string_equal(i18n_endonym(LANG_ES), "Español");
	assert_string_equal(i18n_endonym(3), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(month_and_weekday_names),
		cmocka_unit_test(test_lookup_each_language),
		cmocka_unit_test(test_fallback_to_msgid),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_load_twice_free_and_reload),
		cmocka_unit_test(test_lang_codes),
		cmocka_unit_test(test_negotiate_q_values),
		cmocka_unit_test(test_negotiate_regions),
		cmocka_unit_test(test_negotiate_wildcards),
		cmocka_unit_test(test_negotiate_garbage),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_dates_bad_input),
		cmocka_unit_test(test_date_appends),
		cmocka_unit_test(test_datetimes),
		cmocka_unit_test(test_numbers_whole),
		cmocka_unit_test(test_numbers_decimals),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_money_bad_currency),
		cmocka_unit_test(test_numbers_typed),
		cmocka_unit_test(test_mo_parse_embedded),
		cmocka_unit_test(test_mo_parse_copies),
		cmocka_unit_test(test_mo_parse_damaged),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
