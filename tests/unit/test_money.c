/*
 * test_money — amounts of money as the API writes them: texts read into
 * minor units by each currency's decimals, every mistake refused at its
 * byte with its reason, the edges of int64_t kept or refused exactly, every
 * amount written back as the one text that reads as it, and the one
 * addition refusing to add two currencies.
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

#include "core/xorshift.h"
#include "formats/money.h"

static const struct {
	const char *text, *currency;
	int64_t minor;
} examples[] = {
	{ "1250000.00", "USD", 125000000 },
	{ "12.5", "USD", 1250 },
	{ "12", "USD", 1200 },
	{ "0", "USD", 0 },
	{ "0.01", "EUR", 1 },
	{ "-3.50", "EUR", -350 },
	{ "1250000", "JPY", 1250000 },
	{ "-7", "JPY", -7 },
	{ "12.345", "KWD", 12345 },
	{ "12.3", "KWD", 12300 },
	{ "1.0001", "CLF", 10001 },
	{ "92233720368547758.07", "USD", INT64_MAX },
	{ "-92233720368547758.08", "USD", INT64_MIN },
	{ "9223372036854775807", "JPY", INT64_MAX },
	{ "-9223372036854775808", "JPY", INT64_MIN },
	{ "9223372036854775.807", "KWD", INT64_MAX },
};

static void test_examples(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
		int64_t minor = 42;
		char err[160] = "";
		if (money_parse(examples[i].text, examples[i].currency, &minor, err, sizeof err) != 0)
			fail_msg("%s %s: %s", examples[i].text, examples[i].currency, err);
		assert_int_equal(minor, examples[i].minor);
	}
}

/* text, currency, the reason's words (with its byte) */
static const struct {
	const char *text, *currency, *reason;
} faults[] = {
	{ "", "USD", "the amount is empty" },
	{ "-", "USD", "at byte 1: a digit is expected" },
	{ "12.345", "USD", "at byte 5: USD takes at most 2 decimals" },
	{ "12.3", "JPY", "at byte 2: JPY takes no decimals" },
	{ "1.23456", "KWD", "at byte 5: KWD takes at most 3 decimals" },
	{ "1,250,000.00", "USD", "at byte 1: ',' is not written: no thousands separators" },
	{ "1 250", "EUR", "at byte 1: ' ' is not written" },
	{ "1'250", "CHF", "at byte 1: ''' is not written" },
	{ "12,50", "EUR", "at byte 2: ',' is not written" },
	{ "+12", "USD", "at byte 0: only a leading '-' is a sign" },
	{ "--12", "USD", "at byte 1: only a leading '-' is a sign" },
	{ "12-", "USD", "at byte 2: only a leading '-' is a sign" },
	{ "1e3", "USD", "at byte 1: no exponent is written" },
	{ ".5", "USD", "at byte 0: a digit is expected before the dot" },
	{ "5.", "USD", "at byte 2: a digit is expected after the dot" },
	{ "5..0", "USD", "at byte 2: a digit is expected after the dot" },
	{ "5.0.0", "USD", "at byte 3: a digit is expected before the dot" },
	{ "007.50", "USD", "at byte 0: a leading zero is not written" },
	{ "-01", "USD", "at byte 1: a leading zero is not written" },
	{ " 12", "USD", "at byte 0: ' ' is not written" },
	{ "12 ", "USD", "at byte 2: ' ' is not written" },
	{ "12$", "USD", "at byte 2: '$' is not part of an amount" },
	{ "12\xC2\xA0", "EUR", "at byte 2: byte 0xC2 is not part of an amount" },
	{ "-0", "USD", "at byte 0: zero takes no sign" },
	{ "-0.00", "USD", "at byte 0: zero takes no sign" },
	{ "92233720368547758.08", "USD", "at byte 0: the amount is too large to be kept in USD's minor units" },
	{ "-92233720368547758.09", "USD", "at byte 1: the amount is too large" },
	{ "92233720368547759", "USD", "at byte 0: the amount is too large" },
	{ "9223372036854775808", "JPY", "at byte 0: the amount is too large" },
	{ "-9223372036854775809", "JPY", "at byte 1: the amount is too large" },
	{ "99999999999999999999999999999999999999999999", "JPY", "the amount is too large" },
	{ "0.00000000000000000000000000000000000000001", "KWD", "at byte 5: KWD takes at most 3 decimals" },
	{ "12", "ABC", "ABC is not an ISO 4217 currency" },
	{ "12", "XAU", "XAU is not an ISO 4217 currency" },
	{ "12", "usd", "a currency is three capital letters of ISO 4217" },
	{ "12", "", "a currency is three capital letters" },
	{ "12", NULL, "a currency is three capital letters" },
};

static void test_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
		int64_t minor = 42;
		char err[160] = "";
		if (money_parse(faults[i].text, faults[i].currency, &minor, err, sizeof err) != -1)
			fail_msg("'%s' was read", faults[i].text);
		if (!strstr(err, faults[i].reason))
			fail_msg("'%s': \"%s\", not \"%s\"", faults[i].text, err, faults[i].reason);
		assert_int_equal(minor, 0);
	}
}

static const char *const currencies[] = { "USD", "EUR", "JPY", "KWD", "CLF", "CHF", "XOF" };
#define NCURRENCIES (sizeof currencies / sizeof *currencies)

static int64_t random_amount(uint64_t *seed)
{
	uint64_t bits = (uint64_t)xorshift_below(seed, UINT32_MAX) << 32 | xorshift_below(seed, UINT32_MAX);
	switch (xorshift_below(seed, 4)) {
	case 0: return (int64_t)bits;                        /* anywhere */
	case 1: return (int64_t)(bits % 200001) - 100000;    /* small, either sign */
	case 2: return xorshift_below(seed, 2) ? INT64_MAX - (int64_t)(bits % 1000) : INT64_MIN + (int64_t)(bits % 1000);
	default: return (int64_t)(bits >> xorshift_below(seed, 64));
	}
}

/* Every amount is written as a text that reads as it, and only that text:
 * the text written again is the same. */
static void test_written_reads_back(void **state)
{
	(void)state;
	uint64_t seed = 0x6d6f6e6579;
	for (int i = 0; i < 200000; i++) {
		int64_t amount = random_amount(&seed), again = 0;
		const char *currency = currencies[xorshift_below(&seed, NCURRENCIES)];
		buf text = BUF_INIT;
		char err[160];
		money_format_plain(amount, currency, &text);
		assert_true(text.len < MONEY_TEXT_MAX);
		if (money_parse(buf_str(&text), currency, &again, err, sizeof err) != 0)
			fail_msg("%" PRId64 " %s written \"%s\": %s", amount, currency, buf_str(&text), err);
		assert_int_equal(again, amount);
		buf_free(&text);
	}
}

static void test_written_text(void **state)
{
	(void)state;
	static const struct { int64_t minor; const char *currency, *text; } written[] = {
		{ 125000000, "USD", "1250000.00" }, { -350, "USD", "-3.50" }, { 5, "USD", "0.05" },
		{ -5, "EUR", "-0.05" }, { 0, "USD", "0.00" }, { 1250000, "JPY", "1250000" },
		{ 0, "JPY", "0" }, { 12345, "KWD", "12.345" }, { 7, "KWD", "0.007" }, { 1, "CLF", "0.0001" },
		{ INT64_MIN, "USD", "-92233720368547758.08" }, { INT64_MIN, "JPY", "-9223372036854775808" },
		{ INT64_MIN, "CLF", "-922337203685477.5808" },
	};
	for (size_t i = 0; i < sizeof written / sizeof *written; i++) {
		buf text = BUF_INIT;
		money_format_plain(written[i].minor, written[i].currency, &text);
		assert_string_equal(buf_str(&text), written[i].text);
		buf_free(&text);
	}
}

/* Each text written, with one byte changed, dropped or doubled, is refused
 * or read as an amount whose full text is itself — or itself with the
 * decimals it left out. */
static void test_mutations_never_read_otherwise(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789.-+, e";
	uint64_t seed = 0xfeed;
	for (int i = 0; i < 20000; i++) {
		const char *currency = currencies[xorshift_below(&seed, NCURRENCIES)];
		buf text = BUF_INIT;
		money_format_plain(random_amount(&seed), currency, &text);
		char mutated[MONEY_TEXT_MAX * 2];
		size_t at = xorshift_below(&seed, (uint32_t)text.len + 1), n = text.len;
		memcpy(mutated, text.data, text.len + 1);
		switch (xorshift_below(&seed, 3)) {
		case 0: if (at < n) mutated[at] = alphabet[xorshift_below(&seed, sizeof alphabet - 1)]; break;
		case 1: if (at < n) memmove(mutated + at, mutated + at + 1, n - at); break;
		default: memmove(mutated + at + 1, mutated + at, n - at + 1); mutated[at] = mutated[at ? at - 1 : 0]; break;
		}
		int64_t amount;
		char err[160];
		buf_free(&text);
		if (money_parse(mutated, currency, &amount, err, sizeof err) != 0) {
			assert_true(strncmp(err, "at byte ", 8) == 0 || strstr(err, "empty"));
			continue;
		}
		money_format_plain(amount, currency, &text);
		assert_true(strncmp(buf_str(&text), mutated, strlen(mutated)) == 0);
		for (size_t k = strlen(mutated); k < text.len; k++)
			assert_true(text.data[k] == '0' || text.data[k] == '.');
		buf_free(&text);
	}
}

static void test_add_one_currency(void **state)
{
	(void)state;
	char err[160] = "";
	money sum = { 1250, "USD" };
	assert_int_equal(money_add(&sum, &(money){ -250, "USD" }, err, sizeof err), 0);
	assert_int_equal(sum.minor, 1000);
	assert_int_equal(money_add(&sum, &(money){ 5, "JPY" }, err, sizeof err), -1);
	assert_string_equal(err, "cannot add JPY to USD without converting it");
	assert_int_equal(sum.minor, 1000);

	sum = (money){ INT64_MAX - 1, "EUR" };
	assert_int_equal(money_add(&sum, &(money){ 1, "EUR" }, err, sizeof err), 0);
	assert_int_equal(sum.minor, INT64_MAX);
	assert_int_equal(money_add(&sum, &(money){ 1, "EUR" }, err, sizeof err), -1);
	assert_string_equal(err, "the sum of EUR amounts is too large to be kept");
	assert_int_equal(sum.minor, INT64_MAX);
	sum = (money){ INT64_MIN, "EUR" };
	assert_int_equal(money_add(&sum, &(money){ -1, "EUR" }, err, sizeof err), -1);
	assert_int_equal(sum.minor, INT64_MIN);
	assert_int_equal(money_add(&sum, &(money){ INT64_MAX, "EUR" }, err, sizeof err), 0);
	assert_int_equal(sum.minor, -1);
}

/* Over random amounts: a sum is the exact one, or refused when the exact
 * one leaves int64_t. */
static void test_add_exact_or_refused(void **state)
{
	(void)state;
	uint64_t seed = 0xadd;
	for (int i = 0; i < 100000; i++) {
		money sum = { random_amount(&seed), "KWD" }, add = { random_amount(&seed), "KWD" };
		__int128 exact = (__int128)sum.minor + add.minor;
		int64_t before = sum.minor;
		char err[160];
		int rc = money_add(&sum, &add, err, sizeof err);
		if (exact > INT64_MAX || exact < INT64_MIN) {
			assert_int_equal(rc, -1);
			assert_int_equal(sum.minor, before);
		} else {
			assert_int_equal(rc, 0);
			assert_true(sum.minor == exact);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_written_text),
		cmocka_unit_test(test_written_reads_back),
		cmocka_unit_test(test_mutations_never_read_otherwise),
		cmocka_unit_test(test_add_one_currency),
		cmocka_unit_test(test_add_exact_or_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
