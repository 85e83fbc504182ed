/*
 * Tests for textfit: received text made to fit a field — one line for names
 * and subjects, no control characters in texts, and a length cut where a
 * character as people see it ends — with the hostile and broken values an
 * intake receives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fold.h"
#include "core/textfit.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void assert_line(const char *in, size_t n, const char *want)
{
	buf b = BUF_INIT;
	text_one_line(&b, in, n);
	assert_string_equal(buf_str(&b), want);
	assert_true(utf8_valid(b.data ? b.data : "", b.len));
	buf_free(&b);
}

static void assert_texts(const char *in, size_t n, const char *want)
{
	buf b = BUF_INIT;
	text_drop_controls(&b, in, n);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* s cut to max characters: what comes out, and whether it was cut. */
static void assert_cut(const char *in, size_t max, const char *want, int cut)
{
	buf b = BUF_INIT;
	assert_int_equal(text_cut(&b, in, strlen(in), max), cut);
	assert_string_equal(buf_str(&b), want);
	assert_true(text_chars(b.data ? b.data : "", b.len) <= max);
	assert_true(utf8_valid(b.data ? b.data : "", b.len));
	buf_free(&b);
}

/* ---- one line ---- */

static void line_breaks_and_tabs_become_one_space(void **state)
{
	(void)state;
	assert_line(S("Tamsin\r\nBcc: all@example.org"), "Tamsin Bcc: all@example.org");
	assert_line(S("Ana\tRuiz\n\n\nOrtega"), "Ana Ruiz Ortega");
	assert_line(S("Ana\vRuiz\fOrtega"), "Ana Ruiz Ortega");
	assert_line(S("Ana\xC2\x85Ruiz"), "Ana Ruiz");                    /* NEL */
	assert_line(S("Ana\xE2\x80\xA8Ruiz\xE2\x80\xA9Ortega"), "Ana Ruiz Ortega");   /* LS, PS */
	assert_line(S("  \r\n Ana   Ruiz \t "), "Ana Ruiz");
}

static void other_controls_are_dropped(void **state)
{
	(void)state;
	assert_line(S("Ta\x07msin\x1b[31m"), "Tamsin[31m");
	assert_line(S("Ana\x7f Ruiz"), "Ana Ruiz");
	assert_line(S("Ana\xC2\x9B Ruiz\xC2\x80"), "Ana Ruiz");          /* C1: CSI, PAD */
	assert_line(S("Ana\0Ruiz"), "AnaRuiz");
	assert_line(S("\x01\x02\r\n"), "");
}

static void everything_else_is_kept(void **state)
{
	(void)state;
	assert_line(S("José Nuñez-Ó\xC2\xA0" "Brien"), "José Nuñez-Ó\xC2\xA0" "Brien");   /* a no-break space is text */
	assert_line(S("\xE2\x80\xAA" "abc"), "\xE2\x80\xAA" "abc");   /* a format character, not a control */
	assert_line(S("王小明 \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd"), "王小明 \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd");
	assert_line(S("plain"), "plain");
}

/* ---- texts ---- */

static void texts_keep_their_lines_and_lose_their_controls(void **state)
{
	(void)state;
	assert_texts(S("Dear desk,\r\n\tthe figures\f are\x1b[0m here.\x7f\xC2\x9B"), "Dear desk,\r\n\tthe figures are[0m here.");
	assert_texts(S("caf\xC3\xA9 \xC2\xA0ok"), "caf\xC3\xA9 \xC2\xA0ok");
	assert_texts(S(""), "");
}

/* One rule for what a text field refuses (model/validate.c) and what the intakes drop. */
static void controls_are_told_by_their_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_control_len("", 0), 0);
	assert_int_equal(text_control_len("\x1b[", 2), 1);
	assert_int_equal(text_control_len("\x7f", 1), 1);
	assert_int_equal(text_control_len("\xC2\x85x", 3), 2);   /* NEL */
	assert_int_equal(text_control_len("\xC2\x9F", 2), 2);
	assert_int_equal(text_control_len("\xC2\xA0", 2), 0);    /* a no-break space */
	assert_int_equal(text_control_len("\xC2\x85", 1), 0);    /* a cut character is not one */
	assert_int_equal(text_control_len("\t", 1), 0);
	assert_int_equal(text_control_len("\n", 1), 0);
	assert_int_equal(text_control_len("\r", 1), 0);
	assert_int_equal(text_control_len("a", 1), 0);
	assert_texts(S("ends cut \xC2"), "ends cut \xC2");
}

/* ---- cutting ---- */

static void short_text_is_kept_whole(void **state)
{
	(void)state;
	assert_cut("", 5, "", 0);
	assert_cut("abcde", 5, "abcde", 0);
	assert_cut("éééé", 4, "éééé", 0);
}

static void long_text_ends_with_an_ellipsis_within_the_length(void **state)
{
	(void)state;
	assert_cut("abcdef", 5, "abcd…", 1);
	assert_cut("ééééé数", 5, "éééé…", 1);
	assert_cut("abcdef", 1, "…", 1);
}

static void a_cut_never_splits_what_people_see_as_one_character(void **state)
{
	(void)state;
	/* e + combining acute: the accent goes with its letter */
	assert_cut("abce\xCC\x81" "fg", 5, "abc…", 1);
	/* waving hand + skin tone modifier */
	assert_cut("ab\xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd" "cd", 4, "ab…", 1);
	/* a family: man, ZWJ, woman, ZWJ, girl */
	assert_cut("a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 4, "a…", 1);
	/* one letter under more marks than the room: cut between code points, still within the length */
	assert_cut("e\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81", 3, "e\xCC\x81…", 1);
}

static void counting_is_by_code_point(void **state)
{
	(void)state;
	assert_int_equal(text_chars(S("")), 0);
	assert_int_equal(text_chars(S("abc")), 3);
	assert_int_equal(text_chars(S("é数\xf0\x9f\x91\x8b")), 3);
	assert_int_equal(text_chars(S("e\xCC\x81")), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_breaks_and_tabs_become_one_space),
		cmocka_unit_test(other_controls_are_dropped),
		cmocka_unit_test(everything_else_is_kept),
		cmocka_unit_test(texts_keep_their_lines_and_lose_their_controls),
		cmocka_unit_test(controls_are_told_by_their_bytes),
		cmocka_unit_test(short_text_is_kept_whole),
		cmocka_unit_test(long_text_ends_with_an_ellipsis_within_the_length),
		cmocka_unit_test(a_cut_never_splits_what_people_see_as_one_character),
		cmocka_unit_test(counting_is_by_code_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
