/*
 * Tests for inline: the tags and placeholders of a segment to translate —
 * what is a code and what is text, whether a segment's tags are well
 * formed, and whether a translation carries its source's codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/inline.h"

/* The pieces of s written one per line: T:text, O1, C1, E1, P:{0}. */
static void assert_pieces(const char *s, const char *want)
{
	char got[512] = "";
	size_t pos = 0, n = strlen(s);
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		char line[128];
		switch (p.kind) {
		case INLINE_TEXT: snprintf(line, sizeof line, "T:%.*s|", (int)p.len, s + p.off); break;
		case INLINE_OPEN: snprintf(line, sizeof line, "O%d|", p.id); break;
		case INLINE_CLOSE: snprintf(line, sizeof line, "C%d|", p.id); break;
		case INLINE_EMPTY: snprintf(line, sizeof line, "E%d|", p.id); break;
		case INLINE_PLACEHOLDER: snprintf(line, sizeof line, "P:%.*s|", (int)p.len, s + p.off); break;
		}
		strcat(got, line);
	}
	assert_int_equal(pos, n);
	assert_string_equal(got, want);
}

static void test_codes_and_text(void **state)
{
	(void)state;
	assert_pieces("", "");
	assert_pieces("The Council decides.", "T:The Council decides.|");
	assert_pieces("The <g1>Council</g1> decides<x2/>.", "T:The |O1|T:Council|C1|T: decides|E2|T:.|");
	assert_pieces("{0} of {count} (%s, %1$d, %i)", "P:{0}|T: of |P:{count}|T: (|P:%s|T:, |P:%1$d|T:, |P:%i|T:)|");
	/* Shapes that are not codes stay text. */
	assert_pieces("a < b, 50 %, {}, { x }, <g0>, <g01>, <g10000>, </x1>, <x1>, %1s, {_a}, <G1>",
		      "T:a < b, 50 %, {}, { x }, <g0>, <g01>, <g10000>, </x1>, <x1>, %1s, {_a}, <G1>|");
	/* A code cut short at the end is text. */
	assert_pieces("see <g12", "T:see <g12|");
	assert_pieces("50%", "T:50%|");
	assert_pieces("x<x9999/>", "T:x|E9999|");
}

static void assert_check(const char *s, inline_error want, size_t want_at)
{
	size_t at = 12345;
	assert_int_equal(inline_check(s, strlen(s), &at), want);
	if (want != INLINE_OK)
		assert_int_equal(at, want_at);
	assert_true(*inline_error_message(want) || want == INLINE_OK);
}

static void test_check(void **state)
{
	(void)state;
	assert_check("plain", INLINE_OK, 0);
	assert_check("<g1>a <g2>b</g2></g1><x3/>", INLINE_OK, 0);
	assert_check("a</g2>", INLINE_UNOPENED, 1);
	assert_check("<g1><g2>x</g1></g2>", INLINE_CROSSED, 9);
	assert_check("<g1>x", INLINE_UNCLOSED, 0);
	assert_check("<g1>x</g1><g3>y", INLINE_UNCLOSED, 10);
	assert_check("<g1></g1><g1></g1>", INLINE_REPEATED, 9);
	assert_check("<x1/><g1>", INLINE_REPEATED, 5);
}

static void test_deep_nesting_refused(void **state)
{
	(void)state;
	char s[2000] = "";
	for (int i = 1; i <= 100; i++) {
		char t[16];
		snprintf(t, sizeof t, "<g%d>", i);
		strcat(s, t);
	}
	size_t at;
	assert_int_equal(inline_check(s, strlen(s), &at), INLINE_CROSSED);
}

static void assert_same(const char *a, const char *b, int want, const char *want_missing)
{
	char missing[16];
	assert_int_equal(inline_same(a, strlen(a), b, strlen(b), missing, sizeof missing), want);
	assert_string_equal(missing, want_missing);
}

static void test_same_codes(void **state)
{
	(void)state;
	assert_same("The <g1>Council</g1> decides {0}.", "Le <g1>Conseil</g1> décide {0}.", 1, "");
	assert_same("<x1/> and <x2/>", "<x2/> y <x1/>", 1, "");
	assert_same("{0} and {1}", "{0} et {0}", 0, "{0}");
	assert_same("<g1>a</g1>", "a", 0, "</g1>");
	assert_same("a", "b %s", 0, "%s");
	assert_same("no codes", "sin códigos", 1, "");
	/* missing is cut to its size. */
	char small[4];
	assert_int_equal(inline_same("{alpha}", 7, "", 0, small, sizeof small), 0);
	assert_string_equal(small, "{al");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_and_text),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_deep_nesting_refused),
		cmocka_unit_test(test_same_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
