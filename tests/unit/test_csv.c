/*
 * test_csv — the CSV reader's accepted syntax and its error reports (which
 * users read to fix their import files), and the writer's quoting and
 * formula injection guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv.h"

/* Read the next record and check it is a row of the given fields. */
static void expect_row(csv_reader *r, size_t line, size_t n, const char *const *want)
{
	csv_row row;
	csv_error err;
	int rc = csv_next(r, &row, &err);
	if (rc != 1)
		fail_msg("expected a row at line %zu, got %d: %s", line, rc, err.message);
	assert_int_equal(row.line, line);
	assert_int_equal(row.nfields, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(row.fields[i], want[i]);
		assert_int_equal(row.lens[i], strlen(want[i]));
	}
}

static void expect_end(csv_reader *r)
{
	csv_row row;
	csv_error err;
	assert_int_equal(csv_next(r, &row, &err), 0);
}

static void expect_error(csv_reader *r, size_t line, size_t column, int fatal, const char *msg_part)
{
	csv_row row;
	csv_error err;
	assert_int_equal(csv_next(r, &row, &err), -1);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	assert_int_equal(err.fatal, fatal);
	if (!strstr(err.message, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, msg_part);
}

static csv_reader *open_str(const char *s) { return csv_open(s, strlen(s)); }

static void test_simple_lf_and_crlf(void **state)
{
	(void)state;
	csv_reader *r = open_str("name,country\r\nAmina Okonkwo-Ferreira,NG\nJonas Eklund-Mbeki,SE");
	expect_row(r, 1, 2, (const char *const[]){ "name", "country" });
	expect_row(r, 2, 2, (const char *const[]){ "Amina Okonkwo-Ferreira", "NG" });
	expect_row(r, 3, 2, (const char *const[]){ "Jonas Eklund-Mbeki", "SE" });
	expect_end(r);
	expect_end(r);
	csv_close(r);
}

static void test_quoted_fields(void **state)
{
	(void)state;
	csv_reader *r = open_str(
		"\"Organisation des Exemples Fictifs, Genève\",\"say \"\"hi\"\"\"\n"
		"\"two\nlines\",\"crlf\r\ninside\",plain\r\n"
		"\"\",\"\"\"\"\n"
		"after,multi-line\n");
	expect_row(r, 1, 2, (const char *const[]){ "Organisation des Exemples Fictifs, Genève", "say \"hi\"" });
	expect_row(r, 2, 3, (const char *const[]){ "two\nlines", "crlf\r\ninside", "plain" });
	expect_row(r, 5, 2, (const char *const[]){ "", "\"" });
	expect_row(r, 6, 2, (const char *const[]){ "after", "multi-line" });
	expect_end(r);
	csv_close(r);
}

static void test_empty_fields(void **state)
{
	(void)state;
	csv_reader *r = open_str(",,\na,,b,\n\nlast\n");
	expect_row(r, 1, 3, (const char *const[]){ "", "", "" });
	expect_row(r, 2, 4, (const char *const[]){ "a", "", "b", "" });
	expect_row(r, 3, 1, (const char *const[]){ "" });   /* blank line inside */
	expect_row(r, 4, 1, (const char *const[]){ "last" });
	expect_end(r);
	csv_close(r);
}

static void test_trailing_lines_bom_and_empty_input(void **state)
{
	(void)state;
	csv_reader *r = open_str("\xEF\xBB\xBF" "id\r\n1\r\n\r\n");
	expect_row(r, 1, 1, (const char *const[]){ "id" });
	expect_row(r, 2, 1, (const char *const[]){ "1" });
	expect_end(r);
	csv_close(r);

	r = csv_open("", 0);
	expect_end(r);
	csv_close(r);

	r = open_str("\xEF\xBB\xBF");
	expect_end(r);
	csv_close(r);
}

static void test_lone_cr_line_ends(void **state)
{
	(void)state;
	csv_reader *r = open_str("a,b\r\"c\rd\",e\rf");
	expect_row(r, 1, 2, (const char *const[]){ "a", "b" });
	expect_row(r, 2, 2, (const char *const[]){ "c\rd", "e" });
	expect_row(r, 4, 1, (const char *const[]){ "f" });
	expect_end(r);
	csv_close(r);
}

static void test_unterminated_quote_in_large_input(void **state)
{
	(void)state;
	buf in = BUF_INIT;
	for (int i = 1; i <= 10000; i++) {
		if (i == 9000)
			buf_printf(&in, "%d,\"Organisation des Exemples Fictifs,broken\r\n", i);
		else
			buf_printf(&in, "%d,Amina Okonkwo-Ferreira,amina%d@example.org\r\n", i, i);
	}
	csv_reader *r = csv_open(in.data, in.len);
	csv_row row;
	csv_error err;
	size_t rows = 0;
	int rc;
	while ((rc = csv_next(r, &row, &err)) == 1) {
		assert_int_equal(row.line, rows + 1);
		rows++;
	}
	assert_int_equal(rc, -1);
	assert_int_equal(rows, 8999);
	assert_int_equal(err.line, 9000);
	assert_int_equal(err.column, 2);
	assert_true(err.fatal);
	assert_string_equal(err.message, "unterminated quoted field starting on line 9000");
	expect_error(r, 9000, 2, 1, "unterminated");   /* sticky */
	csv_close(r);
	buf_free(&in);
}

static void test_stray_quote(void **state)
{
	(void)state;
	csv_reader *r = open_str("ok,row\nfine,Jonas \"JJ\" Eklund,x\n");
	expect_row(r, 1, 2, (const char *const[]){ "ok", "row" });
	expect_error(r, 2, 2, 1, "quote inside an unquoted field");
	expect_error(r, 2, 2, 1, "quote inside an unquoted field");
	csv_close(r);
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	csv_reader *r = open_str("a,\"multi\nline\"x,c\n");
	expect_error(r, 2, 2, 1, "text after a closing quote");
	csv_close(r);

	r = open_str("\"a\" ,b\n");
	expect_error(r, 1, 1, 1, "text after a closing quote");
	csv_close(r);
}

static void test_invalid_utf8_is_per_record(void **state)
{
	(void)state;
	/* Latin-1 é in line 2, an overlong '/' in a quoted field starting on
	 * line 3 but broken on line 4, a surrogate on line 5. */
	csv_reader *r = open_str(
		"Zoë,Ωmega,日本,😀\n"
		"ok,Gen\xE8ve\n"
		"x,\"first\nsec\xC0\xAFond\"\n"
		"a,b,\xED\xA0\x80\n"
		"last,row");
	expect_row(r, 1, 4, (const char *const[]){ "Zoë", "Ωmega", "日本", "😀" });
	expect_error(r, 2, 2, 0, "invalid UTF-8 (byte 0xE8)");
	expect_error(r, 4, 2, 0, "invalid UTF-8 (byte 0xC0)");
	expect_error(r, 5, 3, 0, "invalid UTF-8 (byte 0xED)");
	expect_row(r, 6, 2, (const char *const[]){ "last", "row" });
	expect_end(r);
	csv_close(r);
}

static void test_truncated_utf8_at_end(void **state)
{
	(void)state;
	csv_reader *r = open_str("a,\xE6\x97");
	expect_error(r, 1, 2, 0, "invalid UTF-8");
	expect_end(r);
	csv_close(r);
}

static void test_nul_byte(void **state)
{
	(void)state;
	static const char in[] = "a,b\0c\nd,e\n";
	csv_reader *r = csv_open(in, sizeof in - 1);
	expect_error(r, 1, 2, 0, "NUL byte");
	expect_row(r, 2, 2, (const char *const[]){ "d", "e" });
	csv_close(r);
}

static void test_field_length_limit(void **state)
{
	(void)state;
	buf in = BUF_INIT;
	char *big = malloc(CSV_MAX_FIELD + 2);
	memset(big, 'x', CSV_MAX_FIELD + 1);
	big[CSV_MAX_FIELD + 1] = '\0';

	buf_printf(&in, "a,%s\n", big + 1);                 /* exactly the limit */
	buf_printf(&in, "b,\"%s\"\n", big);                 /* one byte over, quoted */
	buf_printf(&in, "c,%s\n", big);                     /* one byte over, plain */
	buf_puts(&in, "d,e\n");

	csv_reader *r = csv_open(in.data, in.len);
	csv_row row;
	csv_error err;
	assert_int_equal(csv_next(r, &row, &err), 1);
	assert_int_equal(row.lens[1], CSV_MAX_FIELD);
	expect_error(r, 2, 2, 0, "field longer than 65536 bytes");
	expect_error(r, 3, 2, 0, "field longer than 65536 bytes");
	expect_row(r, 4, 2, (const char *const[]){ "d", "e" });
	expect_end(r);
	csv_close(r);
	free(big);
	buf_free(&in);
}

static void test_first_error_of_record_wins(void **state)
{
	(void)state;
	csv_reader *r = open_str("\xFF,\xFE\n");
	expect_error(r, 1, 1, 0, "0xFF");
	expect_end(r);
	csv_close(r);
}

/* ---- writer ---- */

static void field(buf *b, const char *s, int first) { csv_field(b, s, strlen(s), first); }

static void test_writer_quoting(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	field(&b, "Amina Okonkwo-Ferreira", 1);
	field(&b, "", 0);
	field(&b, "Organisation des Exemples Fictifs, Genève", 0);
	field(&b, "say \"hi\"", 0);
	field(&b, "two\nlines", 0);
	field(&b, " padded", 0);
	field(&b, "padded ", 0);
	field(&b, "cr\rinside", 0);
	csv_end_row(&b);
	assert_string_equal(buf_str(&b),
		"Amina Okonkwo-Ferreira,,\"Organisation des Exemples Fictifs, Genève\","
		"\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\"padded \",\"cr\rinside\"\r\n");
	buf_free(&b);
}

static void test_writer_formula_guard(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	field(&b, "=HYPERLINK(\"http://example.org\")", 1);
	field(&b, "+41 22 555 01 23", 0);
	field(&b, "-5", 0);
	field(&b, "@SUM(A1)", 0);
	field(&b, "\tx", 0);
	field(&b, "\rx", 0);
	field(&b, "a=b", 0);
	field(&b, "'tis", 0);
	csv_field_raw(&b, "-5", 2, 0);
	csv_end_row(&b);
	assert_string_equal(buf_str(&b),
		"\"'=HYPERLINK(\"\"http://example.org\"\")\",'+41 22 555 01 23,'-5,'@SUM(A1),"
		"\"'\tx\",\"'\rx\",a=b,''tis,-5\r\n");
	buf_free(&b);
}

/* Whatever a cell holds, guarding then unguarding gives it back; the guard is
 * taken away only where it was put. */
static void test_unguard_undoes_exactly_the_guard(void **state)
{
	(void)state;
	static const char *const cells[] = {
		"=1+1", "+41 22", "-5", "@cmd", "\tx", "\rx", "'", "''", "'=1", "''=1", "'tis", "'tis'", "it's",
		"=", "plain", "", "'\t", "-'-",
	};
	for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
		buf b = BUF_INIT;
		field(&b, cells[i], 1);
		csv_reader *r = csv_open(b.data ? b.data : "", b.len);
		csv_row row;
		csv_error err;
		if (*cells[i]) {
			assert_int_equal(csv_next(r, &row, &err), 1);
			assert_string_equal(csv_unguard(row.fields[0]), cells[i]);
		}
		csv_close(r);
		buf_free(&b);
	}
	/* cells typed by hand: an apostrophe before anything else is data */
	assert_string_equal(csv_unguard("'tis"), "'tis");
	assert_string_equal(csv_unguard("'"), "'");
	assert_string_equal(csv_unguard("'=A1"), "=A1");
	assert_string_equal(csv_unguard("x'"), "x'");
}

static void expect_items(const char *cell, const char *const *want, size_t n)
{
	buf item = BUF_INIT;
	size_t pos = 0, k = 0;
	while (csv_list_next(cell, strlen(cell), &pos, &item)) {
		assert_true(k < n);
		assert_string_equal(buf_str(&item), want[k]);
		assert_int_equal(strlen(buf_str(&item)), item.len);
		k++;
	}
	assert_int_equal(k, n);
	buf_free(&item);
}

static void test_list_items_escaped_both_ways(void **state)
{
	(void)state;
	static const char *const items[] = {
		"plain", "semi;colon", "back\\slash", "\\;", " lead", "trail ", " both ", "  ", "two  inner",
		"line\nbreak", "quote \"x\"", "=SUM(A1)", "\\", "a\\ b", "ends with \\", ";",
	};
	size_t n = sizeof items / sizeof *items;
	buf cell = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		csv_list_item(&cell, items[i], strlen(items[i]), i == 0);
	expect_items(buf_str(&cell), items, n);
	buf_free(&cell);
	expect_items("a;b", (const char *const[]){ "a", "b" }, 2);
	expect_items("aid;  labour ;", (const char *const[]){ "aid", "labour" }, 2);
	expect_items(" ; ;; ", NULL, 0);
	expect_items("", NULL, 0);
	expect_items("C:\\temp; x\\", (const char *const[]){ "C:\\temp", "x\\" }, 2);  /* by hand */
	expect_items("a\\;b; c", (const char *const[]){ "a;b", "c" }, 2);
	buf one = BUF_INIT;
	csv_list_item(&one, "x", 1, 0);
	assert_string_equal(buf_str(&one), "; x");
	buf_free(&one);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const char *const cells[] = {
		"Jonas \"JJ\" Eklund-Mbeki", "line\r\nbreak", "", " both ", "a,b", "日本語",
	};
	buf b = BUF_INIT;
	for (size_t i = 0; i < 6; i++)
		csv_field_raw(&b, cells[i], strlen(cells[i]), i == 0);
	csv_end_row(&b);
	csv_field_raw(&b, "next", 4, 1);
	csv_end_row(&b);

	csv_reader *r = csv_open(b.data, b.len);
	expect_row(r, 1, 6, cells);
	expect_row(r, 3, 1, (const char *const[]){ "next" });
	expect_end(r);
	csv_close(r);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_lf_and_crlf),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_trailing_lines_bom_and_empty_input),
		cmocka_unit_test(test_lone_cr_line_ends),
		cmocka_unit_test(test_unterminated_quote_in_large_input),
		cmocka_unit_test(test_stray_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_invalid_utf8_is_per_record),
		cmocka_unit_test(test_truncated_utf8_at_end),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_field_length_limit),
		cmocka_unit_test(test_first_error_of_record_wins),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_writer_formula_guard),
		cmocka_unit_test(test_unguard_undoes_exactly_the_guard),
		cmocka_unit_test(test_list_items_escaped_both_ways),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
