/*
 * test_symbol — the governing bodies' document symbols: the shapes the
 * documents carry read into their parts, the texts that are no symbol
 * refused with the right reason at the right byte, the text written back
 * the very text read, and, over generated symbols and their mutations,
 * that nothing read is ever written back otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/symbol.h"

static const struct {
	const char *text;
	symbol want;
} examples[] = {
	{ "C/115/1", { .series = "C", .session = 115, .number = 1 } },
	{ "C/115/1/Rev.2", { .series = "C", .session = 115, .number = 1, .rev = 2 } },
	{ "C/114/L/6/Rev.1", { .series = "C", .session = 114, .kind = SYMBOL_L, .number = 6, .rev = 1 } },
	{ "C/Sp/7/L/1", { .series = "C", .special = true, .session = 7, .kind = SYMBOL_L, .number = 1 } },
	{ "C/115/RES/1412", { .series = "C", .session = 115, .kind = SYMBOL_RES, .number = 1412 } },
	{ "C/115/INF/3", { .series = "C", .session = 115, .kind = SYMBOL_INF, .number = 3 } },
	{ "S/33/4", { .series = "S", .session = 33, .number = 4 } },
	{ "MC/2398/Rev.1", { .series = "MC", .number = 2398, .rev = 1 } },
	{ "C/115/1/Add.1/Corr.2", { .series = "C", .session = 115, .number = 1, .add = 1, .corr = 2 } },
	{ "MC/2398", { .series = "MC", .number = 2398 } },
	{ "C/115/CRP/2", { .series = "C", .session = 115, .kind = SYMBOL_CRP, .number = 2 } },
	{ "C/Sp/7/3/Corr.1", { .series = "C", .special = true, .session = 7, .number = 3, .corr = 1 } },
	{ "ABCDEFGH/999999/RES/999999/Rev.999999/Add.999999/Corr.999999",
	  { .series = "ABCDEFGH", .session = 999999, .kind = SYMBOL_RES, .number = 999999, .rev = 999999, .add = 999999,
	    .corr = 999999 } },
	{ "IDM/2398/5", { .series = "IDM", .session = 2398, .number = 5 } },   /* a digit after the number: a session */
};

/* text, the error, the offset it is reported at */
static const struct {
	const char *text;
	symbol_error error;
	size_t at;
} faults[] = {
	{ "", SYMBOL_EMPTY, 0 },
	{ "c/115/1", SYMBOL_LOWERCASE, 0 },
	{ "Cc/115/1", SYMBOL_LOWERCASE, 1 },
	{ "C/115/l/6", SYMBOL_LOWERCASE, 6 },
	{ "C/115/Res/1", SYMBOL_LOWERCASE, 7 },
	{ "C/115/1/rev.2", SYMBOL_SUFFIX, 8 },
	{ "C/115/1/REV.2", SYMBOL_SUFFIX, 8 },
	{ "MC/2398/rev.1", SYMBOL_SUFFIX, 8 },         /* a misspelt suffix keeps the number a serial one */
	{ " C/115/1", SYMBOL_SPACE, 0 },
	{ "C /115/1", SYMBOL_SPACE, 1 },
	{ "C/115/ 1", SYMBOL_SPACE, 6 },
	{ "C/115/1 ", SYMBOL_SPACE, 7 },
	{ "C/115/1/Rev. 2", SYMBOL_SPACE, 12 },
	{ "C/115/1/Rev 2", SYMBOL_SPACE, 11 },
	{ "C/115/1\t", SYMBOL_SPACE, 7 },
	{ "C/115/1/Rev2", SYMBOL_SUFFIX_DOT, 11 },
	{ "C/115/1/Rev", SYMBOL_SUFFIX_DOT, 11 },
	{ "C/115/1/Rev.0", SYMBOL_ZERO, 12 },
	{ "C/0/1", SYMBOL_ZERO, 2 },
	{ "C/115/01", SYMBOL_LEADING_ZERO, 6 },
	{ "C/0115/1", SYMBOL_LEADING_ZERO, 2 },
	{ "C/115/1/Add.007", SYMBOL_LEADING_ZERO, 12 },
	{ "C/1150000/1", SYMBOL_NUMBER_LONG, 2 },
	{ "C/115/1000000", SYMBOL_NUMBER_LONG, 6 },
	{ "MC/2398/Rev.1234567", SYMBOL_NUMBER_LONG, 12 },
	{ "C/115/1/", SYMBOL_TRAILING_SLASH, 7 },
	{ "C/", SYMBOL_TRAILING_SLASH, 1 },
	{ "C/115/L/", SYMBOL_TRAILING_SLASH, 7 },
	{ "C/115/", SYMBOL_TRAILING_SLASH, 5 },
	{ "C//1", SYMBOL_EMPTY_PART, 2 },
	{ "C/115//1", SYMBOL_EMPTY_PART, 6 },
	{ "C/115/1//Rev.1", SYMBOL_EMPTY_PART, 8 },
	{ "\xC3\x87/115/1", SYMBOL_NOT_ASCII, 0 },     /* Ç */
	{ "C/115/1\xC2\xA0", SYMBOL_NOT_ASCII, 7 },   /* a no-break space */
	{ "\xD0\xA1/115/1", SYMBOL_NOT_ASCII, 0 },     /* a Cyrillic С */
	{ "C/115/1-2", SYMBOL_BAD_CHARACTER, 7 },
	{ "C/115/1,", SYMBOL_BAD_CHARACTER, 7 },
	{ "C_1/115/1", SYMBOL_BAD_CHARACTER, 1 },
	{ "ABCDEFGHI/115/1", SYMBOL_SERIES, 0 },
	{ "/115/1", SYMBOL_SERIES, 0 },
	{ "115/1", SYMBOL_SERIES, 0 },
	{ "C", SYMBOL_SLASH, 1 },
	{ "C115/1", SYMBOL_SLASH, 1 },
	{ "C/Sp/7", SYMBOL_SLASH, 6 },
	{ "C/Sp7/1", SYMBOL_SLASH, 4 },
	{ "C/115/L", SYMBOL_SLASH, 7 },
	{ "C/115/L1", SYMBOL_SLASH, 7 },
	{ "C/SP/7/1", SYMBOL_SESSION, 2 },
	{ "C/sp/7/1", SYMBOL_SESSION, 2 },
	{ "C/L/1", SYMBOL_SESSION, 2 },
	{ "C/115/DRAFT/1", SYMBOL_KIND, 6 },
	{ "C/115/Sp/1", SYMBOL_KIND, 6 },
	{ "C/Sp/7/Rev.1", SYMBOL_KIND, 7 },            /* a special session's document has a number */
	{ "C/115/L/Rev.1", SYMBOL_NUMBER, 8 },
	{ "C/115/1/Rev.", SYMBOL_NUMBER, 12 },
	{ "C/115/L/.", SYMBOL_NUMBER, 8 },
	{ "C/115/1/Amend.1", SYMBOL_SUFFIX, 8 },
	{ "C/115/1/2", SYMBOL_SUFFIX, 8 },
	{ "C/115/1/L/2", SYMBOL_SUFFIX, 8 },
	{ "C/115/1/Add.1/Rev.1", SYMBOL_REV_ORDER, 14 },
	{ "C/115/1/Corr.1/Rev.1", SYMBOL_REV_ORDER, 15 },
	{ "C/115/1/Corr.1/Add.1", SYMBOL_ADD_ORDER, 15 },
	{ "C/115/1/Rev.1/Rev.2", SYMBOL_REV_TWICE, 14 },
	{ "C/115/1/Rev.1/Add.1/Rev.2", SYMBOL_REV_TWICE, 20 },
	{ "C/115/1/Add.1/Add.2", SYMBOL_ADD_TWICE, 14 },
	{ "MC/2398/Corr.1/Corr.1", SYMBOL_CORR_TWICE, 15 },
	{ "C/115/1x", SYMBOL_TRAILING, 7 },
	{ "C/115/1.", SYMBOL_TRAILING, 7 },
	{ "MC/2398x", SYMBOL_TRAILING, 7 },
	{ "C/115/1/Rev.1.2", SYMBOL_TRAILING, 13 },
};

static symbol parsed(const char *text)
{
	symbol s;
	size_t at;
	symbol_error e = symbol_parse(text, strlen(text), &s, &at);
	if (e != SYMBOL_OK)
		fail_msg("'%s' refused at %zu: %s", text, at, symbol_error_message(e));
	assert_int_equal(at, strlen(text));
	return s;
}

static void assert_same_symbol(const symbol *got, const symbol *want, const char *text)
{
	if (strcmp(got->series, want->series) || got->special != want->special || got->session != want->session ||
	    got->kind != want->kind || got->number != want->number || got->rev != want->rev || got->add != want->add ||
	    got->corr != want->corr)
		fail_msg("'%s' read as %s special %d session %u kind %d number %u rev %u add %u corr %u", text, got->series,
			 got->special, (unsigned)got->session, got->kind, (unsigned)got->number, (unsigned)got->rev,
			 (unsigned)got->add, (unsigned)got->corr);
}

static void test_examples(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		symbol s = parsed(examples[i].text);
		assert_same_symbol(&s, &examples[i].want, examples[i].text);
		assert_true(symbol_equal(&s, &examples[i].want));
	}
}

static void test_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		symbol s;
		size_t at = 999;
		const char *text = faults[i].text;
		symbol_error e = symbol_parse(text, strlen(text), &s, &at);
		if (e != faults[i].error || at != faults[i].at)
			fail_msg("'%s': %d at %zu (%s); wanted %d at %zu (%s)", text, e, at, symbol_error_message(e),
				 faults[i].error, faults[i].at, symbol_error_message(faults[i].error));
		assert_true(symbol_equal(&s, &(symbol){ 0 }));   /* nothing half read is left */
	}
}

/* Every code is reached by some text above, and says something of its own. */
static void test_messages(void **state)
{
	(void)state;
	for (int e = SYMBOL_EMPTY; e < SYMBOL_ERRORS; e++) {
		int used = 0;
		for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
			used |= faults[i].error == (symbol_error)e;
		if (!used)
			fail_msg("error %d (%s) has no case", e, symbol_error_message(e));
		assert_true(strlen(symbol_error_message(e)) > 8);
		for (int f = SYMBOL_OK; f < e; f++)
			assert_string_not_equal(symbol_error_message(e), symbol_error_message(f));
	}
	assert_non_null(symbol_error_message((symbol_error)-1));
	assert_non_null(symbol_error_message(SYMBOL_ERRORS));
}

static void test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		symbol s = parsed(examples[i].text);
		char out[SYMBOL_TEXT_MAX];
		assert_int_equal(symbol_format(&s, out, sizeof out), (int)strlen(examples[i].text));
		assert_string_equal(out, examples[i].text);
	}
}

static void test_format_refuses(void **state)
{
	(void)state;
	char out[SYMBOL_TEXT_MAX] = "x";
	const symbol bad[] = {
		{ .series = "", .session = 1, .number = 1 },
		{ .series = "c", .session = 1, .number = 1 },
		{ .series = "C", .session = 1, .number = 0 },
		{ .series = "C", .session = 1, .number = 1000000 },
		{ .series = "C", .session = 0, .special = true, .number = 1 },   /* a special session has a number */
		{ .series = "C", .session = 0, .kind = SYMBOL_L, .number = 1 },  /* a serial document has no kind */
		{ .series = "C", .session = 1, .kind = (symbol_kind)9, .number = 1 },
		{ .series = "C", .session = 1, .number = 1, .corr = 1000000 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(symbol_format(&bad[i], out, sizeof out), -1);
		assert_string_equal(out, "");
	}
	symbol nine = { .series = "ABCDEFGH", .session = 1, .number = 1 };
	nine.series[8] = 'I';   /* no NUL within the series' room */
	assert_int_equal(symbol_format(&nine, out, sizeof out), -1);
	symbol s = parsed("C/115/1/Rev.2");
	assert_int_equal(symbol_format(&s, out, 13), -1);   /* no room for the NUL */
	assert_int_equal(symbol_format(&s, out, 14), 13);
	assert_int_equal(symbol_format(&s, NULL, 0), -1);
}

static void test_same_base(void **state)
{
	(void)state;
	const char *const same[][2] = {
		{ "C/115/1", "C/115/1/Rev.2" },
		{ "C/115/1/Rev.1", "C/115/1/Rev.2/Add.1/Corr.1" },
		{ "MC/2398", "MC/2398/Corr.3" },
		{ "C/Sp/7/L/1", "C/Sp/7/L/1/Rev.1" },
	};
	const char *const other[][2] = {
		{ "C/115/1", "C/115/L/1" },
		{ "C/115/1", "C/116/1" },
		{ "C/115/1", "C/115/2" },
		{ "C/115/1", "S/115/1" },
		{ "C/7/1", "C/Sp/7/1" },
		{ "MC/1", "MC/1/1" },
		{ "C/115/RES/1", "C/115/INF/1" },
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		symbol a = parsed(same[i][0]), b = parsed(same[i][1]);
		assert_true(symbol_same_base(&a, &b));
		assert_true(symbol_same_base(&b, &a));
		assert_false(symbol_equal(&a, &b));
	}
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		symbol a = parsed(other[i][0]), b = parsed(other[i][1]);
		if (symbol_same_base(&a, &b) || symbol_same_base(&b, &a))
			fail_msg("%s and %s taken for the same document", other[i][0], other[i][1]);
	}
}

/* Each text in a buffer of exactly its length, and each of its prefixes:
 * under AddressSanitizer a byte read past the length fails the test. */
static void parse_exactly(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	symbol s;
	size_t at;
	symbol_error e = symbol_parse(copy, len, &s, &at);
	assert_true(at <= len);
	assert_true(e != SYMBOL_OK || at == len);
	free(copy);
}

static void test_never_past_the_length(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++)
		for (size_t k = 0; k <= strlen(examples[i].text); k++)
			parse_exactly(examples[i].text, k);
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		for (size_t k = 0; k <= strlen(faults[i].text); k++)
			parse_exactly(faults[i].text, k);
	symbol s;
	size_t at;
	assert_int_equal(symbol_parse("C/115/1/Rev.2", 7, &s, &at), SYMBOL_OK);   /* the length, not the NUL, ends it */
	assert_int_equal(s.rev, 0);
	assert_int_equal(symbol_parse("C/115/1\0/Rev.2", 14, &s, &at), SYMBOL_BAD_CHARACTER);
	assert_int_equal(at, 7);
	assert_int_equal(symbol_parse(NULL, 5, &s, &at), SYMBOL_EMPTY);
	assert_int_equal(symbol_parse("C/1", 3, &s, NULL), SYMBOL_OK);
}

/* A megabyte of one thing is refused where it stops being a symbol. */
static void test_long_texts(void **state)
{
	(void)state;
	enum { N = 1 << 20 };
	char *text = malloc(N);
	symbol s;
	size_t at;
	memset(text, 'A', N);
	assert_int_equal(symbol_parse(text, N, &s, &at), SYMBOL_SERIES);
	assert_int_equal(at, 0);
	memcpy(text, "C/115/", 6);
	assert_int_equal(symbol_parse(text, N, &s, &at), SYMBOL_KIND);
	assert_int_equal(at, 6);
	memset(text + 6, '1', N - 6);
	assert_int_equal(symbol_parse(text, N, &s, &at), SYMBOL_NUMBER_LONG);
	assert_int_equal(at, 6);
	for (size_t i = 7; i + 1 < N; i += 2)
		memcpy(text + i, "/1", 2);
	assert_int_equal(symbol_parse(text, N, &s, &at), SYMBOL_SUFFIX);
	assert_int_equal(at, 8);
	free(text);
}

static unsigned next(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A number of the grammar, as often short as long. */
static uint32_t random_number(unsigned *seed)
{
	static const uint32_t bounds[] = { 9, 99, 999, 9999, 99999, 999999 };
	return 1 + next(seed) % bounds[next(seed) % 6];
}

static uint32_t random_suffix(unsigned *seed)
{
	return next(seed) % 3 ? 0 : random_number(seed);
}

static void random_symbol(unsigned *seed, symbol *s)
{
	*s = (symbol){ 0 };
	size_t n = 1 + next(seed) % SYMBOL_SERIES_MAX;
	for (size_t i = 0; i < n; i++)
		s->series[i] = (char)('A' + next(seed) % 26);
	if (next(seed) % 4) {
		s->session = random_number(seed);
		s->special = next(seed) % 5 == 0;
		s->kind = (symbol_kind)(next(seed) % 5);
	}
	s->number = random_number(seed);
	s->rev = random_suffix(seed);
	s->add = random_suffix(seed);
	s->corr = random_suffix(seed);
}

static void test_generated(void **state)
{
	(void)state;
	unsigned seed = 2026;
	for (int round = 0; round < 50000; round++) {
		symbol s, back;
		char text[SYMBOL_TEXT_MAX], again[SYMBOL_TEXT_MAX];
		random_symbol(&seed, &s);
		int n = symbol_format(&s, text, sizeof text);
		assert_true(n > 0);
		size_t at;
		symbol_error e = symbol_parse(text, (size_t)n, &back, &at);
		if (e != SYMBOL_OK)
			fail_msg("'%s' written, then refused at %zu: %s", text, at, symbol_error_message(e));
		assert_true(symbol_equal(&back, &s));
		assert_int_equal(symbol_format(&back, again, sizeof again), n);
		assert_string_equal(again, text);
	}
}

/* One change to a symbol's text: a byte replaced, taken out or put in. */
static size_t mutate(unsigned *seed, char *text, size_t len, size_t cap)
{
	static const char bytes[] = "0123456789/.ACLRSpevdor \xC3\x87\t-0";
	size_t at = next(seed) % (len + 1);
	char b = bytes[next(seed) % (sizeof bytes - 1)];
	switch (next(seed) % 3) {
	case 0:
		if (at < len)
			text[at] = b;
		return len;
	case 1:
		if (at < len)
			memmove(text + at, text + at + 1, --len - at);
		return len;
	default:
		if (len + 1 >= cap)
			return len;
		memmove(text + at + 1, text + at, len - at);
		text[at] = b;
		return len + 1;
	}
}

static void test_mutations(void **state)
{
	(void)state;
	unsigned seed = 7;
	int refused = 0, read = 0;
	for (int round = 0; round < 50000; round++) {
		symbol s;
		char text[SYMBOL_TEXT_MAX + 8], back[SYMBOL_TEXT_MAX];
		random_symbol(&seed, &s);
		size_t len = (size_t)symbol_format(&s, text, sizeof text);
		for (unsigned m = 1 + next(&seed) % 3; m > 0; m--)
			len = mutate(&seed, text, len, sizeof text);
		size_t at;
		symbol_error e = symbol_parse(text, len, &s, &at);
		if (e != SYMBOL_OK) {
			refused++;
			assert_true(at <= len);
			assert_true(at < len || e == SYMBOL_EMPTY || e == SYMBOL_SLASH || e == SYMBOL_NUMBER ||
				    e == SYMBOL_SUFFIX_DOT);   /* only what stops short points past the last byte */
			continue;
		}
		read++;
		text[len] = '\0';
		assert_int_equal(symbol_format(&s, back, sizeof back), (int)len);
		assert_string_equal(back, text);
	}
	assert_true(refused > 5000 && read > 5000);   /* both outcomes were tried often */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format_refuses),
		cmocka_unit_test(test_same_base),
		cmocka_unit_test(test_never_past_the_length),
		cmocka_unit_test(test_long_texts),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests_name("symbol", tests, NULL, NULL);
}
