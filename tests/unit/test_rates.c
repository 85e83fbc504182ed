/*
 * test_rates — exchange rates: their text read strictly, CSV tables of
 * both shapes with every bad line named, the rate of a date found as a
 * scan of the whole table would find it, amounts converted exactly and
 * rounded half to even once, the edges of int64_t refused, inverse and
 * cross rates agreeing with direct ones, round trips within a minor unit,
 * and totals that list exactly the rates they used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xorshift.h"
#include "formats/isocodes.h"
#include "formats/rates.h"

#define EUR_USD(date, m, s) { date, "EUR", "USD", { m, s } }

static rate_table *table_of(const rate *v, size_t n, const char *base, int max_age)
{
	rate_table *t = NULL;
	char err[200] = "";
	if (rates_table_new(v, n, base, max_age, &t, err, sizeof err) != 0)
		fail_msg("table: %s", err);
	return t;
}

/* ---- a rate's text -------------------------------------------------------- */

static void test_rate_text(void **state)
{
	(void)state;
	static const struct { const char *text; int64_t mantissa; int scale; const char *written; } good[] = {
		{ "1.0845", 10845, 4, "1.0845" }, { "151.23", 15123, 2, "151.23" }, { "0.9123456789", 9123456789, 10, NULL },
		{ "150", 150, 0, NULL }, { "1.50", 15, 1, "1.5" }, { "2.0", 2, 0, "2" }, { "0.0000000001", 1, 10, NULL },
		{ "999999999999", 999999999999, 0, NULL }, { "0.000123456789012", 123456789012, 15, "x" },
		{ "12345678.9012", 123456789012, 4, NULL }, { "100.000", 100, 0, "100" },
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		rate_value v;
		char err[160] = "";
		int rc = rate_parse(good[i].text, strlen(good[i].text), &v, err, sizeof err);
		if (good[i].written && good[i].written[0] == 'x') {   /* 15 decimals: refused */
			assert_int_equal(rc, -1);
			assert_string_equal(err, "at byte 12: a rate takes at most 10 decimals");
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", good[i].text, err);
		assert_int_equal(v.mantissa, good[i].mantissa);
		assert_int_equal(v.scale, good[i].scale);
		buf out = BUF_INIT;
		rate_format(v, &out);
		assert_string_equal(buf_str(&out), good[i].written ? good[i].written : good[i].text);
		buf_free(&out);
	}
	buf odd = BUF_INIT;   /* values no table holds are written as such, never read past */
	rate_format((rate_value){ 5, -3 }, &odd);
	rate_format((rate_value){ 0, 0 }, &odd);
	rate_format((rate_value){ INT64_MAX, RATE_SCALE_MAX + 40 }, &odd);
	assert_string_equal(buf_str(&odd), "(not a rate)(not a rate)(not a rate)");
	buf_free(&odd);
	static const struct { const char *text, *reason; } bad[] = {
		{ "", "the rate is empty" }, { "0", "at byte 0: a rate is not zero" }, { "0.000", "a rate is not zero" },
		{ "-1.2", "at byte 0: a rate takes no sign" }, { "+1.2", "at byte 0: a rate takes no sign" },
		{ "1e3", "at byte 1: no exponent is written" }, { "1.2.3", "at byte 3: a digit is expected before the dot" },
		{ ".5", "at byte 0: a digit is expected before the dot" }, { "5.", "at byte 2: a digit is expected after the dot" },
		{ "1,08", "at byte 1: ',' is not written" }, { "01.5", "at byte 0: a leading zero is not written" },
		{ "1234567890123", "a rate takes at most 12 significant digits" },
		{ "123.4567890123", "at byte 0: a rate takes at most 12 significant digits" },
		{ "1.23456789012", "at byte 12: a rate takes at most 10 decimals" },
		{ "1.08 ", "at byte 4: a space is not written" }, { "1.0\xC3\xA9", "at byte 3: byte 0xC3 is not part of a rate" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		rate_value v;
		char err[160] = "";
		if (rate_parse(bad[i].text, strlen(bad[i].text), &v, err, sizeof err) != -1)
			fail_msg("%s was read", bad[i].text);
		if (!strstr(err, bad[i].reason))
			fail_msg("%s: \"%s\", not \"%s\"", bad[i].text, err, bad[i].reason);
		assert_int_equal(v.mantissa, 0);
	}
}

/* ---- CSV ------------------------------------------------------------------- */

static void test_csv_both_shapes(void **state)
{
	(void)state;
	static const char by_base[] = "date,currency,rate\r\n2026-03-31,USD,1.0845\n2026-03-31,JPY,162.5\n"
				      "2026-03-31,USD,1.08450\n2026-02-27,CHF,0.9412\n";
	static const char by_pair[] = "date,from,to,rate\n2026-03-31,EUR,USD,1.0845\n2026-03-31,USD,KWD,0.307\n";
	rate_list l;
	buf problems = BUF_INIT;
	assert_int_equal(rates_read_csv(by_base, strlen(by_base), "EUR", &l, &problems), 0);
	assert_int_equal(problems.len, 0);
	assert_int_equal(l.n, 3);   /* the same rate twice is one */
	buf all = BUF_INIT;
	for (size_t i = 0; i < l.n; i++) {
		rate_describe(&l.v[i], &all);
		buf_putc(&all, ';');
	}
	assert_string_equal(buf_str(&all), "1 EUR = 0.9412 CHF (2026-02-27);1 EUR = 162.5 JPY (2026-03-31);"
					   "1 EUR = 1.0845 USD (2026-03-31);");
	rate_list_free(&l);
	assert_int_equal(rates_read_csv(by_pair, strlen(by_pair), NULL, &l, &problems), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].from, "USD");
	assert_string_equal(l.v[1].to, "KWD");
	assert_int_equal(l.v[1].value.mantissa, 307);
	rate_list_free(&l);
	buf_free(&all);
	buf_free(&problems);
}

/* Every bad line is named with its reason, all of them, and nothing is
 * returned. */
static void test_csv_every_bad_line(void **state)
{
	(void)state;
	static const char text[] =
		"date,from,to,rate\n"
		"2026-03-31,EUR,USD,1.0845\n"          /* 2 good */
		"2026-3-31,EUR,USD,1.08\n"             /* 3 */
		"2026-02-30,EUR,USD,1.08\n"            /* 4 */
		"2026-03-30,EUR,ABC,1.08\n"            /* 5 */
		"2026-03-30,EUR,usd,1.08\n"            /* 6 */
		"2026-03-30,EUR,USD,0\n"               /* 7 */
		"2026-03-30,EUR,USD,-1.2\n"            /* 8 */
		"2026-03-30,EUR,USD\n"                 /* 9 */
		"2026-03-30,EUR,USD,1.08,x\n"          /* 10 */
		"2026-03-31,EUR,USD,1.0846\n"          /* 11: differs from line 2 */
		"2026-03-30,EUR,EUR,1\n"               /* 12 */
		"2026-03-30,EUR,USD,1e2\n";            /* 13 */
	static const char *const expected[] = {
		"line 3, field 1: the date is not a real date YYYY-MM-DD",
		"line 4, field 1: the date is not a real date YYYY-MM-DD",
		"line 5, field 3: ABC is not an ISO 4217 currency",
		"line 6, field 3: usd is not an ISO 4217 currency",
		"line 7, field 4: at byte 0: a rate is not zero",
		"line 8, field 4: at byte 0: a rate takes no sign",
		"line 9: 3 fields where the header has 4",
		"line 10: 5 fields where the header has 4",
		"line 12: EUR has no rate to itself",
		"line 13, field 4: at byte 1: no exponent is written",
		"line 11: the rate EUR→USD of 2026-03-31 differs from line 2's",
	};
	rate_list l = { (rate *)1, 9 };
	buf problems = BUF_INIT, want = BUF_INIT;
	assert_int_equal(rates_read_csv(text, strlen(text), NULL, &l, &problems), -1);
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
		buf_printf(&want, "%s\n", expected[i]);
	assert_string_equal(buf_str(&problems), buf_str(&want));
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	buf_free(&problems);
	buf_free(&want);
}

static void test_csv_headers_and_structure(void **state)
{
	(void)state;
	static const struct { const char *text, *base, *problem; } cases[] = {
		{ "", "EUR", "line 1: no header" },
		{ "date,rate\n2026-03-31,1\n", "EUR", "line 1: the header is date,currency,rate or date,from,to,rate" },
		{ "Date,Currency,Rate\n", "EUR", "line 1: the header is" },
		{ "date,currency,rate\n2026-03-31,USD,1.08\n", NULL, "line 1: date,currency,rate needs a base currency" },
		{ "date,currency,rate\n2026-03-31,USD,1.08\n", "XAU", "line 1: date,currency,rate needs a base currency of ISO 4217" },
		{ "date,currency,rate\n2026-03-31,EUR,1\n", "EUR", "line 2: EUR has no rate to itself" },
		{ "date,currency,rate\n2026-03-31,\"USD,1.08\n", "EUR", "line 2, field 2: " },
		{ "date,currency,rate\n2026-03-31,USD,1.08\n\n2026-03-30,USD,1.07\n", "EUR", "line 3: 1 fields where the header has 3" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rate_list l;
		buf problems = BUF_INIT;
		assert_int_equal(rates_read_csv(cases[i].text, strlen(cases[i].text), cases[i].base, &l, &problems), -1);
		if (strncmp(buf_str(&problems), cases[i].problem, strlen(cases[i].problem)) != 0)
			fail_msg("case %zu: %s", i, buf_str(&problems));
		assert_int_equal(l.n, 0);
		buf_free(&problems);
	}
}

/* ---- lookup ---------------------------------------------------------------- */

static void test_latest_on_or_before_and_age(void **state)
{
	(void)state;
	const rate v[] = { EUR_USD("2026-01-31", 10400, 4), EUR_USD("2026-02-27", 10500, 4),
			   EUR_USD("2026-03-31", 10845, 4) };
	rate_table *t = table_of(v, 3, "USD", RATES_MAX_AGE_DAYS);
	rate_path p;
	char err[200] = "";
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-03-31", &p, err, sizeof err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.legs[0].date, "2026-03-31");
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-03-30", &p, err, sizeof err), 0);
	assert_string_equal(p.legs[0].date, "2026-02-27");
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-05-01", &p, err, sizeof err), 0);   /* 31 days */
	assert_string_equal(p.legs[0].date, "2026-03-31");
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-05-02", &p, err, sizeof err), -1);  /* 32 */
	assert_string_equal(err, "no EUR→USD rate on or before 2026-05-02 (none within 31 days, direct, inverse or through USD)");
	assert_int_equal(p.n, 0);
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-01-30", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "no EUR→USD rate on or before 2026-01-30"));
	assert_int_equal(rates_find(t, "JPY", "USD", "2026-03-31", &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "no JPY→USD rate on or before 2026-03-31"));
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-02-30", &p, err, sizeof err), -1);
	assert_int_equal(rates_find(t, "EUR", "ABC", "2026-03-31", &p, err, sizeof err), -1);
	assert_int_equal(rates_find(t, "USD", "USD", "2026-03-31", &p, err, sizeof err), 0);
	assert_int_equal(p.n, 0);
	rates_table_free(t);

	t = table_of(v, 3, "USD", 0);   /* no age at all: that very day only */
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-03-31", &p, err, sizeof err), 0);
	assert_int_equal(rates_find(t, "EUR", "USD", "2026-04-01", &p, err, sizeof err), -1);
	rates_table_free(t);
}

static void test_table_refusals(void **state)
{
	(void)state;
	rate_table *t = (rate_table *)1;
	char err[200];
	const rate twice[] = { EUR_USD("2026-03-31", 10845, 4), EUR_USD("2026-03-31", 10846, 4) };
	assert_int_equal(rates_table_new(twice, 2, "USD", 31, &t, err, sizeof err), -1);
	assert_string_equal(err, "two different rates EUR→USD for 2026-03-31");
	assert_null(t);
	const rate same[] = { EUR_USD("2026-03-31", 10845, 4), EUR_USD("2026-03-31", 10845, 4) };
	assert_int_equal(rates_table_new(same, 2, "USD", 31, &t, err, sizeof err), 0);
	rates_table_free(t);
	const rate bad_date[] = { EUR_USD("2026-13-01", 1, 0) }, bad_value[] = { EUR_USD("2026-03-01", 0, 0) };
	const rate self[] = { { "2026-03-01", "EUR", "EUR", { 1, 0 } } }, unknown[] = { { "2026-03-01", "EUR", "ABC", { 1, 0 } } };
	assert_int_equal(rates_table_new(bad_date, 1, "USD", 31, &t, err, sizeof err), -1);
	assert_int_equal(rates_table_new(bad_value, 1, "USD", 31, &t, err, sizeof err), -1);
	assert_int_equal(rates_table_new(self, 1, "USD", 31, &t, err, sizeof err), -1);
	assert_int_equal(rates_table_new(unknown, 1, "USD", 31, &t, err, sizeof err), -1);
	assert_int_equal(rates_table_new(same, 1, "XXX", 31, &t, err, sizeof err), -1);
	assert_int_equal(rates_table_new(same, 1, "USD", -1, &t, err, sizeof err), -1);
}

static rate_value random_rate(uint64_t *seed)
{
	rate_value v = { 1 + xorshift_below(seed, 999999), (int)xorshift_below(seed, 7) };
	if (xorshift_below(seed, 2))
		v.mantissa = v.mantissa * 1000000 + xorshift_below(seed, 1000000);
	while (v.scale > 0 && v.mantissa % 10 == 0)
		v.mantissa /= 10, v.scale--;
	return v;
}

static bool same_rate(const rate *a, const rate *b)
{
	return !strcmp(a->date, b->date) && !strcmp(a->from, b->from) && !strcmp(a->to, b->to) &&
	       a->value.mantissa == b->value.mantissa && a->value.scale == b->value.scale;
}

/* The binary search finds what a scan of every rate finds, over random
 * tables and dates: the latest of the pair on or before the date, direct or
 * inverse, within the age. */
static void test_lookup_as_a_scan_finds(void **state)
{
	(void)state;
	static const char *const codes[] = { "EUR", "USD", "JPY", "CHF" };
	uint64_t seed = 0x7261746573;
	for (int round = 0; round < 40; round++) {
		rate v[300];
		size_t n = 0;
		for (int i = 0; i < 300; i++) {
			rate r = { "", "", "", random_rate(&seed) };
			clock_days_date(20500 + xorshift_below(&seed, 200), r.date);
			memcpy(r.from, codes[xorshift_below(&seed, 4)], 4);
			memcpy(r.to, codes[xorshift_below(&seed, 4)], 4);
			int repeat = 0;
			for (size_t k = 0; k < n; k++)
				repeat |= !strcmp(v[k].date, r.date) && !strcmp(v[k].from, r.from) && !strcmp(v[k].to, r.to);
			if (strcmp(r.from, r.to) != 0 && !repeat)
				v[n++] = r;
		}
		int age = (int)xorshift_below(&seed, 20);
		rate_table *t = table_of(v, n, "USD", age);
		for (int q = 0; q < 200; q++) {
			char date[11];
			int64_t day = 20490 + xorshift_below(&seed, 230);
			clock_days_date(day, date);
			const char *from = codes[xorshift_below(&seed, 4)], *to = codes[xorshift_below(&seed, 4)];
			const rate *best = NULL;   /* the scan: latest of either way, direct on a tie */
			for (size_t k = 0; k < n; k++) {
				int64_t d;
				clock_date_days(v[k].date, &d);
				int direct = !strcmp(v[k].from, from) && !strcmp(v[k].to, to);
				int inverse = !strcmp(v[k].from, to) && !strcmp(v[k].to, from);
				if ((!direct && !inverse) || d > day || day - d > age)
					continue;
				int cmp = best ? strcmp(v[k].date, best->date) : 1;
				if (cmp > 0 || (cmp == 0 && direct))
					best = &v[k];
			}
			rate_path p;
			char err[200];
			int rc = rates_find(t, from, to, date, &p, err, sizeof err);
			if (!strcmp(from, to)) {
				assert_int_equal(rc, 0);
				assert_int_equal(p.n, 0);
			} else if (best) {
				assert_int_equal(rc, 0);
				assert_int_equal(p.n, 1);
				assert_true(same_rate(&p.legs[0], best));
				assert_int_equal(p.inverse[0], strcmp(best->from, from) != 0);
			} else if (rc == 0) {
				assert_int_equal(p.n, 2);   /* only a cross through USD */
				assert_true(strcmp(from, "USD") && strcmp(to, "USD"));
			}
		}
		rates_table_free(t);
	}
}

/* ---- conversion ------------------------------------------------------------ */

static int64_t convert(const rate_table *t, int64_t amount, const char *from, const char *to, const char *date)
{
	int64_t out;
	char err[200];
	if (rates_convert(t, amount, from, to, date, &out, NULL, err, sizeof err) != 0)
		fail_msg("%" PRId64 " %s→%s: %s", amount, from, to, err);
	return out;
}

static void test_conversion_examples_and_half_even(void **state)
{
	(void)state;
	const rate v[] = { EUR_USD("2026-03-31", 10845, 4), { "2026-03-31", "USD", "JPY", { 15123, 2 } },
			   { "2026-03-31", "USD", "KWD", { 307, 3 } }, { "2026-03-31", "CHF", "USD", { 5, 1 } } };
	rate_table *t = table_of(v, 4, "USD", 31);
	const char *d = "2026-03-31";
	assert_int_equal(convert(t, 10000, "EUR", "USD", d), 10845);         /* 100.00 EUR = 108.45 USD */
	assert_int_equal(convert(t, 100, "USD", "JPY", d), 151);             /* 1.00 USD = 151.23 JPY → 151 */
	assert_int_equal(convert(t, 10000, "USD", "KWD", d), 30700);         /* 100.00 USD = 30.700 KWD */
	assert_int_equal(convert(t, 151, "JPY", "USD", d), 100);             /* inverse: 151/151.23 USD = 0.9985 */
	/* 0.5 USD a franc: every odd number of centimes is an exact half */
	assert_int_equal(convert(t, 1, "CHF", "USD", d), 0);
	assert_int_equal(convert(t, 3, "CHF", "USD", d), 2);
	assert_int_equal(convert(t, 5, "CHF", "USD", d), 2);
	assert_int_equal(convert(t, 7, "CHF", "USD", d), 4);
	assert_int_equal(convert(t, -5, "CHF", "USD", d), -2);
	assert_int_equal(convert(t, -3, "CHF", "USD", d), -2);
	assert_int_equal(convert(t, 1, "USD", "CHF", d), 2);                 /* inverse: ×2 exactly */
	/* cross through USD, in one step: 100.00 EUR × 1.0845 × 151.23 = 16400.8935 JPY */
	rate_path p;
	int64_t out;
	char err[200];
	assert_int_equal(rates_convert(t, 10000, "EUR", "JPY", d, &out, &p, err, sizeof err), 0);
	assert_int_equal(out, 16401);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.legs[0].to, "USD");
	assert_string_equal(p.legs[1].from, "USD");
	assert_false(p.inverse[0] || p.inverse[1]);
	/* 1 CHF = 0.5 USD = 75.615 JPY: 2 centimes are 1.5123 yen, 1 centime 0.75615 */
	assert_int_equal(convert(t, 2, "CHF", "JPY", d), 2);
	rates_table_free(t);
}

static void test_overflow_at_the_edges(void **state)
{
	(void)state;
	const rate v[] = { { "2026-03-31", "EUR", "USD", { 1, 0 } }, { "2026-03-31", "USD", "JPY", { 1, 0 } },
			   { "2026-03-31", "CHF", "USD", { 10000000001, 10 } }, { "2026-03-31", "GBP", "USD", { 1, 10 } },
			   { "2026-03-31", "SEK", "USD", { 999999999999, 0 } } };
	rate_table *t = table_of(v, 5, "USD", 31);
	const char *d = "2026-03-31";
	int64_t out;
	char err[200];
	assert_int_equal(convert(t, INT64_MAX, "EUR", "USD", d), INT64_MAX);
	assert_int_equal(convert(t, INT64_MIN, "EUR", "USD", d), INT64_MIN);
	/* 1 USD = 1 JPY: a yen is 100 cents, a cent a hundredth of a yen */
	assert_int_equal(convert(t, INT64_MAX / 100, "JPY", "USD", d), INT64_MAX / 100 * 100);
	assert_int_equal(rates_convert(t, INT64_MAX / 100 + 1, "JPY", "USD", d, &out, NULL, err, sizeof err), -1);
	assert_int_equal(rates_convert(t, INT64_MIN / 100 - 1, "JPY", "USD", d, &out, NULL, err, sizeof err), -1);
	assert_int_equal(convert(t, INT64_MAX, "USD", "JPY", d), INT64_MAX / 100);   /* ...58.07 yen: 58 */
	assert_int_equal(convert(t, INT64_MIN, "USD", "JPY", d), INT64_MIN / 100);   /* ...58.08 yen: 58 */
	assert_int_equal(convert(t, 250, "USD", "JPY", d), 2);
	assert_int_equal(convert(t, 350, "USD", "JPY", d), 4);
	assert_int_equal(convert(t, -250, "USD", "JPY", d), -2);
	assert_int_equal(rates_convert(t, INT64_MAX, "CHF", "USD", d, &out, NULL, err, sizeof err), -1);
	assert_string_equal(err, "92233720368547758.07 CHF in USD is too large to be kept in minor units");
	assert_int_equal(out, 0);
	assert_int_equal(rates_convert(t, INT64_MIN, "CHF", "USD", d, &out, NULL, err, sizeof err), -1);
	assert_int_equal(rates_convert(t, INT64_MAX, "USD", "GBP", d, &out, NULL, err, sizeof err), -1);   /* ×10^10 */
	assert_int_equal(convert(t, INT64_MAX, "GBP", "USD", d), 922337204);                               /* ÷10^10 */
	assert_int_equal(convert(t, 9223372, "SEK", "USD", d), 9223371999990776628);
	assert_int_equal(rates_convert(t, 9223373, "SEK", "USD", d, &out, NULL, err, sizeof err), -1);
	/* the largest factor a cross can have: ~10^12 twice, with 3 decimals of shift */
	assert_int_equal(rates_convert(t, INT64_MAX, "SEK", "JPY", d, &out, NULL, err, sizeof err), -1);
	assert_int_equal(convert(t, -9, "SEK", "USD", d), -8999999999991);
	rates_table_free(t);
}

/* The exact value of a × m / 10^s × 10^shift, rounded half to even, for
 * amounts small enough that it fits in 128 bits: the reference. */
static __int128 reference(int64_t a, int64_t m, int s, int shift)
{
	__int128 num = (__int128)a * m, den = 1;
	for (int i = 0; i < s; i++)
		den *= 10;
	for (int i = 0; i < shift; i++)
		num *= 10;
	for (int i = 0; i < -shift; i++)
		den *= 10;
	__int128 q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r > den || (2 * r == den && (q & 1)))
		q += num < 0 ? -1 : 1;
	return q;
}

static const char *const currencies[] = { "USD", "EUR", "JPY", "KWD", "CLF", "CHF" };
#define NCURRENCIES (sizeof currencies / sizeof *currencies)


/* Direct rates as the reference computes them; the same amount through
 * the inverse of the inverse (when 1/R is a short decimal) and through a
 * cross whose product is a direct rate give the very same result. */
static void test_inverse_and_cross_agree_with_direct(void **state)
{
	(void)state;
	uint64_t seed = 0xc055;
	const char *d = "2026-03-31";
	for (int i = 0; i < 5000; i++) {
		const char *x = currencies[xorshift_below(&seed, NCURRENCIES)], *y = currencies[xorshift_below(&seed, NCURRENCIES)];
		if (!strcmp(x, y) || !strcmp(x, "USD") || !strcmp(y, "USD"))
			continue;
		int64_t a = (int64_t)xorshift_below(&seed, 2000000000) - 1000000000;
		rate_value r1 = { 1 + xorshift_below(&seed, 99999), (int)xorshift_below(&seed, 5) };
		rate_value r2 = { 1 + xorshift_below(&seed, 99999), (int)xorshift_below(&seed, 5) };
		rate_value product = { r1.mantissa * r2.mantissa, r1.scale + r2.scale };
		rate cross[2] = { { "2026-03-31", "", "USD", r1 }, { "2026-03-31", "USD", "", r2 } };
		memcpy(cross[0].from, x, 4);
		memcpy(cross[1].to, y, 4);
		rate direct = { "2026-03-31", "", "", product };
		memcpy(direct.from, x, 4);
		memcpy(direct.to, y, 4);
		rate_table *tc = table_of(cross, 2, "USD", 31), *td = table_of(&direct, 1, "EUR", 31);
		int shift = isocodes_minor_units(y) - isocodes_minor_units(x);
		__int128 want = reference(a, product.mantissa, product.scale, shift);
		int64_t out;
		char err[200];
		if (want > INT64_MAX || want < INT64_MIN) {   /* refused both ways */
			assert_int_equal(rates_convert(td, a, x, y, d, &out, NULL, err, sizeof err), -1);
			assert_int_equal(rates_convert(tc, a, x, y, d, &out, NULL, err, sizeof err), -1);
		} else {
			assert_true(convert(td, a, x, y, d) == want);
			assert_true(convert(tc, a, x, y, d) == want);
		}
		rates_table_free(tc);
		rates_table_free(td);
	}
	/* halves, quarters, fifths...: R and 1/R both short decimals */
	static const rate_value pairs[][2] = { { { 5, 1 }, { 2, 0 } }, { { 25, 2 }, { 4, 0 } }, { { 8, 1 }, { 125, 2 } },
					       { { 16, 1 }, { 625, 3 } }, { { 3125, 4 }, { 32, 1 } } };
	for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++)
		for (int i = 0; i < 2000; i++) {
			rate there = { "2026-03-31", "EUR", "KWD", pairs[k][0] }, back = { "2026-03-31", "KWD", "EUR", pairs[k][1] };
			rate_table *t1 = table_of(&there, 1, "USD", 31), *t2 = table_of(&back, 1, "USD", 31);
			int64_t a = (int64_t)xorshift_below(&seed, 4000000000u) - 2000000000;
			assert_int_equal(convert(t1, a, "EUR", "KWD", d), convert(t2, a, "EUR", "KWD", d));
			assert_int_equal(convert(t1, a, "KWD", "EUR", d), convert(t2, a, "KWD", "EUR", d));
			rates_table_free(t1);
			rates_table_free(t2);
		}
}

/* X→Y→X by one rate comes back within one minor unit of X whenever a minor
 * unit of Y is worth no more than one of X; in general within half a minor
 * unit of X plus half of Y's in X. */
static void test_round_trip(void **state)
{
	(void)state;
	uint64_t seed = 0x7172;
	const char *d = "2026-03-31";
	for (int i = 0; i < 20000; i++) {
		const char *x = currencies[xorshift_below(&seed, NCURRENCIES)], *y = currencies[xorshift_below(&seed, NCURRENCIES)];
		if (!strcmp(x, y))
			continue;
		rate r = { "2026-03-31", "", "", random_rate(&seed) };
		memcpy(r.from, x, 4);
		memcpy(r.to, y, 4);
		rate_table *t = table_of(&r, 1, "USD", 31);
		int64_t a = (int64_t)xorshift_below(&seed, 2000000000) - 1000000000;
		int64_t there, back;
		char err[200];
		if (rates_convert(t, a, x, y, d, &there, NULL, err, sizeof err) != 0 ||
		    rates_convert(t, there, y, x, d, &back, NULL, err, sizeof err) != 0) {
			rates_table_free(t);
			continue;   /* beyond int64_t: the overflow test's business */
		}
		/* the worth of Y's minor unit in X's: 10^(dX - dY - s) / m... as a fraction */
		long double y_in_x = 1.0L;
		for (int k = 0; k < r.value.scale; k++)
			y_in_x *= 10;
		int shift = isocodes_minor_units(x) - isocodes_minor_units(y);
		for (int k = 0; k < (shift > 0 ? shift : -shift); k++)
			y_in_x = shift > 0 ? y_in_x * 10 : y_in_x / 10;
		y_in_x /= (long double)r.value.mantissa;
		long double off = (long double)(back > a ? back - a : a - back);
		if (y_in_x <= 1.0L)
			assert_true(off <= 1.0L);
		else
			assert_true(off <= 0.5L + 0.5L * y_in_x + 1e-9L);
		rates_table_free(t);
	}
}

/* ---- totals ------------------------------------------------------------------ */

static void test_totals_list_exactly_the_rates_used(void **state)
{
	(void)state;
	const rate v[] = { EUR_USD("2026-02-27", 10500, 4), EUR_USD("2026-03-31", 10845, 4),   /* 1.0500: 1.05 */
			   { "2026-03-31", "USD", "JPY", { 15123, 2 } }, { "2026-03-31", "CHF", "USD", { 5, 1 } },
			   { "2026-03-31", "USD", "KWD", { 307, 3 } } };
	rate_table *t = table_of(v, 5, "USD", 31);
	const dated_amount items[] = {
		{ { 10000, "EUR" }, "2026-03-31" },      /* 108.45 USD by EUR→USD of 03-31 */
		{ { 20000, "EUR" }, "2026-04-02" },      /* 216.90 USD, the same rate again */
		{ { 5000, "USD" }, "2026-03-31" },       /* 50.00 USD, no rate */
		{ { 15123, "JPY" }, "2026-03-31" },      /* 100.00 USD by USD→JPY, inversely */
		{ { 1000, "EUR" }, "2026-03-15" },       /* 10.50 USD by EUR→USD of 02-27 */
	};
	money total;
	rate_list used;
	char err[200] = "";
	assert_int_equal(rates_total(t, items, 5, "USD", &total, &used, err, sizeof err), 0);
	assert_int_equal(total.minor, 10845 + 21690 + 5000 + 10000 + 1050);
	assert_string_equal(total.currency, "USD");
	buf lines = BUF_INIT;
	for (size_t i = 0; i < used.n; i++) {
		rate_describe(&used.v[i], &lines);
		buf_putc(&lines, '\n');
	}
	assert_string_equal(buf_str(&lines), "1 EUR = 1.05 USD (2026-02-27)\n1 EUR = 1.0845 USD (2026-03-31)\n"
					     "1 USD = 151.23 JPY (2026-03-31)\n");
	rate_list_free(&used);
	buf_free(&lines);

	/* in euros: the dollars and the yen cross the other way; the francs through USD */
	const dated_amount more[] = { { { 10845, "USD" }, "2026-03-31" }, { { 200, "CHF" }, "2026-03-31" },
				      { { 777, "EUR" }, "2026-03-31" } };
	assert_int_equal(rates_total(t, more, 3, "EUR", &total, &used, err, sizeof err), 0);
	assert_int_equal(total.minor, 10000 + 92 + 777);   /* 2 CHF = 1 USD = 0.9221 EUR */
	assert_int_equal(used.n, 2);
	assert_string_equal(used.v[0].from, "CHF");
	assert_string_equal(used.v[1].from, "EUR");
	rate_list_free(&used);

	assert_int_equal(rates_total(t, items, 0, "KWD", &total, &used, err, sizeof err), 0);
	assert_int_equal(total.minor, 0);
	assert_int_equal(used.n, 0);
	rates_table_free(t);
}

static void test_totals_refuse(void **state)
{
	(void)state;
	const rate v[] = { EUR_USD("2026-03-31", 10845, 4) };
	rate_table *t = table_of(v, 1, "USD", 31);
	money total;
	rate_list used;
	char err[200];
	const dated_amount missing[] = { { { 100, "EUR" }, "2026-03-31" }, { { 100, "GBP" }, "2026-03-31" },
					 { { 100, "JPY" }, "2026-03-31" } };
	assert_int_equal(rates_total(t, missing, 3, "USD", &total, &used, err, sizeof err), -1);
	assert_string_equal(err, "item 2: no GBP→USD rate on or before 2026-03-31 (none within 31 days, direct, inverse or through USD)");
	assert_int_equal(total.minor, 0);
	assert_null(used.v);
	assert_int_equal(used.n, 0);
	const dated_amount too_much[] = { { { INT64_MAX, "USD" }, "2026-03-31" }, { { 1, "USD" }, "2026-03-31" } };
	assert_int_equal(rates_total(t, too_much, 2, "USD", &total, &used, err, sizeof err), -1);
	assert_string_equal(err, "item 2: the sum of USD amounts is too large to be kept");
	const dated_amount edge[] = { { { INT64_MAX, "USD" }, "2026-03-31" }, { { -1, "EUR" }, "2026-03-31" },
				      { { 1, "EUR" }, "2026-03-31" } };
	assert_int_equal(rates_total(t, edge, 3, "USD", &total, &used, err, sizeof err), 0);
	assert_int_equal(total.minor, INT64_MAX);
	rate_list_free(&used);
	assert_int_equal(rates_total(t, edge, 1, "XAU", &total, &used, err, sizeof err), -1);
	rates_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_text),
		cmocka_unit_test(test_csv_both_shapes),
		cmocka_unit_test(test_csv_every_bad_line),
		cmocka_unit_test(test_csv_headers_and_structure),
		cmocka_unit_test(test_latest_on_or_before_and_age),
		cmocka_unit_test(test_table_refusals),
		cmocka_unit_test(test_lookup_as_a_scan_finds),
		cmocka_unit_test(test_conversion_examples_and_half_even),
		cmocka_unit_test(test_overflow_at_the_edges),
		cmocka_unit_test(test_inverse_and_cross_agree_with_direct),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_totals_list_exactly_the_rates_used),
		cmocka_unit_test(test_totals_refuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
