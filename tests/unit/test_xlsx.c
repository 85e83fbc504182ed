/*
 * test_xlsx — tables as workbooks, opened again as a spreadsheet would:
 * the package unzipped with libzip and its sheets read with libxml2, in
 * both of the writer's modes (shared strings, and constant memory with
 * inline strings).  The values are in their cells with their types and
 * number formats, the header row is bold, frozen and filtered, columns are
 * as wide as their characters, a text that looks like a formula stays
 * text, and bad cells stop the workbook with their place and leave no file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "formats/xlsx.h"

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static char dir[] = "/tmp/liaison-xlsx-XXXXXX";

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* ---- the workbook written -------------------------------------------------- */

static const xlsx_column funding[] = {
	{ "Donor", XLSX_TEXT, 0 },
	{ "Year", XLSX_INTEGER, 0 },
	{ "Amount (USD)", XLSX_NUMBER, 2 },
	{ "Amount (JPY)", XLSX_NUMBER, 0 },
	{ "Amount (KWD)", XLSX_NUMBER, 3 },
	{ "Received", XLSX_DATE, 0 },
};
static const xlsx_column sources[] = {
	{ "Currency", XLSX_TEXT, 0 },
	{ "Rate to USD", XLSX_NUMBER, 6 },
	{ "Date", XLSX_DATE, 0 },
};

#define FORMULA "=HYPERLINK(\"http://example.invalid\",\"x\")"
#define LONG_NAME "Fundación Álvarez-Núñez para la Cooperación"   /* 43 characters, 49 bytes */

static void write_workbook(int constant_memory, buf *out)
{
	char err[400] = "";
	xlsx *x = xlsx_open(dir, constant_memory, err, sizeof err);
	assert_non_null(x);
	assert_int_equal(xlsx_sheet(x, "Funding", funding, 6), 0);
	assert_int_equal(xlsx_row(x), 0);
	assert_int_equal(xlsx_text(x, "Republic of Veloria") | xlsx_integer(x, 2024) | xlsx_number(x, 1250000.5) |
				 xlsx_number(x, 98765432) | xlsx_number(x, 1234.5675) | xlsx_date(x, "2024-03-15"),
			 0);
	assert_int_equal(xlsx_row(x), 0);
	assert_int_equal(xlsx_text(x, FORMULA) | xlsx_integer(x, 2025) | xlsx_blank(x) | xlsx_number(x, 0) |
				 xlsx_number(x, -12.5) | xlsx_date(x, "2025-12-31"),
			 0);
	assert_int_equal(xlsx_row(x), 0);   /* a short row: the rest left empty */
	assert_int_equal(xlsx_text(x, LONG_NAME) | xlsx_integer(x, 2026), 0);
	assert_int_equal(xlsx_sheet(x, "Sources", sources, 3), 0);
	assert_int_equal(xlsx_row(x), 0);
	assert_int_equal(xlsx_text(x, "+EUR") | xlsx_number(x, 1.0825) | xlsx_date(x, "2024-01-02"), 0);
	assert_int_equal(xlsx_close(x, out, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(files_in_dir(), 0);   /* the workbook's file and libxlsxwriter's are gone */
}

/* ---- the workbook read ------------------------------------------------------ */

typedef struct part {
	xmlDocPtr doc;
	xmlXPathContextPtr xpath;
} part;

static part part_read(zip_t *z, const char *name)
{
	part p = { NULL, NULL };
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) < 0)
		return p;
	char *data = malloc(st.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	p.doc = xmlReadMemory(data, (int)st.size, name, NULL, XML_PARSE_NONET);
	free(data);
	assert_non_null(p.doc);
	p.xpath = xmlXPathNewContext(p.doc);
	xmlXPathRegisterNs(p.xpath, BAD_CAST "m", BAD_CAST MAIN_NS);
	return p;
}

static void part_free(part *p)
{
	if (!p->doc)
		return;
	xmlXPathFreeContext(p->xpath);
	xmlFreeDoc(p->doc);
}

/* The string value of an XPath expression; "" when it selects nothing. */
static char *eval(part *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *eval(part *p, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST path, p->xpath);
	assert_non_null(o);
	char *s = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	return s;
}

static void assert_eval(part *p, const char *want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void assert_eval(part *p, const char *want, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	char *got = eval(p, "%s", path);
	if (strcmp(got, want))
		fail_msg("%s: \"%s\", not \"%s\"", path, got, want);
	xmlFree(got);
}

typedef struct book {
	zip_t *zip;
	part sheets[2], strings, styles, workbook;
} book;

static book book_open(const buf *b)
{
	book k;
	zip_error_t e;
	zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &e);
	assert_non_null(src);
	k.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &e);
	assert_non_null(k.zip);
	k.sheets[0] = part_read(k.zip, "xl/worksheets/sheet1.xml");
	k.sheets[1] = part_read(k.zip, "xl/worksheets/sheet2.xml");
	k.strings = part_read(k.zip, "xl/sharedStrings.xml");
	k.styles = part_read(k.zip, "xl/styles.xml");
	k.workbook = part_read(k.zip, "xl/workbook.xml");
	assert_non_null(k.sheets[0].doc);
	assert_non_null(k.sheets[1].doc);
	return k;
}

static void book_close(book *k)
{
	for (int i = 0; i < 2; i++)
		part_free(&k->sheets[i]);
	part_free(&k->strings);
	part_free(&k->styles);
	part_free(&k->workbook);
	zip_close(k->zip);
}

/* A text cell's text, whether shared or inline; NULL when the cell is no text. */
static char *cell_text(book *k, int sheet, const char *ref)
{
	part *p = &k->sheets[sheet];
	char *type = eval(p, "string(//m:c[@r='%s']/@t)", ref);
	char *text = NULL;
	if (!strcmp(type, "s")) {
		char *index = eval(p, "string(//m:c[@r='%s']/m:v)", ref);
		assert_non_null(k->strings.doc);
		text = eval(&k->strings, "string(/m:sst/m:si[%d]/m:t)", atoi(index) + 1);
		xmlFree(index);
	} else if (!strcmp(type, "inlineStr")) {
		text = eval(p, "string(//m:c[@r='%s']/m:is/m:t)", ref);
	}
	xmlFree(type);
	return text;
}

static void assert_text(book *k, int sheet, const char *ref, const char *want)
{
	char *got = cell_text(k, sheet, ref);
	if (!got || strcmp(got, want))
		fail_msg("cell %s: \"%s\", not the text \"%s\"", ref, got ? got : "(no text)", want);
	xmlFree(got);
}

/* The number format a cell's style gives it: "General" when none. */
static char *cell_format(book *k, int sheet, const char *ref)
{
	char *style = eval(&k->sheets[sheet], "string(//m:c[@r='%s']/@s)", ref);
	int xf = atoi(style);
	xmlFree(style);
	char *id = eval(&k->styles, "string(/m:styleSheet/m:cellXfs/m:xf[%d]/@numFmtId)", xf + 1);
	char *code = atoi(id) == 0 ? (char *)xmlStrdup(BAD_CAST "General")
				   : eval(&k->styles, "string(//m:numFmt[@numFmtId='%s']/@formatCode)", id);
	xmlFree(id);
	return code;
}

static void assert_number(book *k, int sheet, const char *ref, double want, const char *format)
{
	part *p = &k->sheets[sheet];
	assert_eval(p, "", "string(//m:c[@r='%s']/@t)", ref);   /* a number: no type */
	char *v = eval(p, "string(//m:c[@r='%s']/m:v)", ref);
	if (fabs(strtod(v, NULL) - want) > 1e-9 || !*v)
		fail_msg("cell %s holds %s, not %.17g", ref, v, want);
	xmlFree(v);
	char *code = cell_format(k, sheet, ref);
	if (strcmp(code, format))
		fail_msg("cell %s's format is %s, not %s", ref, code, format);
	xmlFree(code);
}

static double column_width(book *k, int sheet, int column)
{
	char *w = eval(&k->sheets[sheet], "string(//m:col[@min<=%d and @max>=%d]/@width)", column, column);
	double width = strtod(w, NULL);
	xmlFree(w);
	return width;
}

/* ---- the tests ------------------------------------------------------------------ */

static void check_workbook(int constant_memory)
{
	buf b = BUF_INIT;
	write_workbook(constant_memory, &b);
	assert_true(b.len > 4 && !memcmp(b.data, "PK", 2));
	book k = book_open(&b);
	part *funding_sheet = &k.sheets[0];
	assert_eval(&k.workbook, "Funding", "string(//m:sheet[1]/@name)");
	assert_eval(&k.workbook, "Sources", "string(//m:sheet[2]/@name)");
	/* values, with their types and formats */
	assert_text(&k, 0, "A1", "Donor");
	assert_text(&k, 0, "A2", "Republic of Veloria");
	assert_number(&k, 0, "B2", 2024, "General");
	assert_number(&k, 0, "C2", 1250000.5, "#,##0.00");
	assert_number(&k, 0, "D2", 98765432, "#,##0");
	assert_number(&k, 0, "E2", 1234.5675, "#,##0.000");
	assert_number(&k, 0, "F2", 45366, "yyyy-mm-dd");   /* 2024-03-15 as Excel counts days */
	assert_number(&k, 0, "F3", 46022, "yyyy-mm-dd");   /* 2025-12-31 */
	assert_number(&k, 0, "E3", -12.5, "#,##0.000");
	assert_number(&k, 1, "B2", 1.0825, "#,##0.000000");
	assert_number(&k, 1, "C2", 45293, "yyyy-mm-dd");
	assert_text(&k, 0, "A4", LONG_NAME);
	assert_eval(funding_sheet, "0", "count(//m:c[@r='C3']/m:v)");   /* the blank holds nothing */
	assert_eval(funding_sheet, "0", "count(//m:c[@r='C4' or @r='F4']/m:v)");
	/* a text that looks like a formula is text, as given, and no formula */
	assert_text(&k, 0, "A3", FORMULA);
	assert_text(&k, 1, "A2", "+EUR");
	assert_eval(funding_sheet, "0", "count(//m:f)");
	assert_eval(&k.sheets[1], "0", "count(//m:f)");
	/* the header row: bold, frozen, filtered */
	for (int s = 0; s < 2; s++) {
		part *p = &k.sheets[s];
		assert_eval(p, "frozen", "string(//m:sheetView/m:pane/@state)");
		assert_eval(p, "1", "string(//m:sheetView/m:pane/@ySplit)");
		assert_eval(p, "A2", "string(//m:sheetView/m:pane/@topLeftCell)");
		assert_eval(p, s == 0 ? "A1:F4" : "A1:C2", "string(//m:autoFilter/@ref)");
		char *style = eval(p, "string(//m:c[@r='A1']/@s)");
		char *font = eval(&k.styles, "string(/m:styleSheet/m:cellXfs/m:xf[%d]/@fontId)", atoi(style) + 1);
		assert_eval(&k.styles, "1", "count(/m:styleSheet/m:fonts/m:font[%d]/m:b)", atoi(font) + 1);
		xmlFree(style), xmlFree(font);
	}
	assert_eval(&k.workbook, "2", "count(//m:definedName[@name='_xlnm._FilterDatabase'])");   /* one per sheet */
	/* widths by characters: the long name's 43, not its 49 bytes; the year's 4 under its heading */
	double name = column_width(&k, 0, 1), year = column_width(&k, 0, 2);
	assert_true(name >= 43 && name < 47);
	assert_true(year >= 4 + 3 && year < 12);
	assert_true(column_width(&k, 0, 3) >= strlen("1,250,000.50"));
	book_close(&k);
	buf_free(&b);
}

static void test_workbook(void **state)
{
	(void)state;
	check_workbook(0);
}

static void test_workbook_in_constant_memory(void **state)
{
	(void)state;
	check_workbook(1);
}

/* Constant memory writes texts in their cells, not in shared strings. */
static void test_constant_memory_inline(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	write_workbook(1, &b);
	book k = book_open(&b);
	assert_eval(&k.sheets[0], "inlineStr", "string(//m:c[@r='A2']/@t)");
	book_close(&k);
	buf_free(&b);
}

/* ---- refusals ---------------------------------------------------------------------- */

static int cell_nan(xlsx *x) { return xlsx_text(x, "Veloria") | xlsx_integer(x, 1) | xlsx_number(x, NAN); }
static int cell_inf(xlsx *x) { return xlsx_text(x, "Veloria") | xlsx_integer(x, 1) | xlsx_number(x, -INFINITY); }
static int cell_utf8(xlsx *x) { return xlsx_text(x, "Vel\xC3oria"); }
static int cell_control(xlsx *x) { return xlsx_text(x, "Vel\x02oria"); }
static int cell_type(xlsx *x) { return xlsx_number(x, 1.5); }
static int cell_date(xlsx *x) { return xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_date(x, "2024-02-30"); }
static int cell_early(xlsx *x) { return xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_blank(x) | xlsx_date(x, "1900-02-28"); }
static int cell_beyond(xlsx *x)
{
	int rc = 0;
	for (int i = 0; i < 7; i++)
		rc |= xlsx_blank(x);
	return rc;
}
static int cell_huge(xlsx *x) { return xlsx_blank(x) | xlsx_integer(x, INT64_C(1) << 60); }

static void test_bad_cells_refused(void **state)
{
	(void)state;
	static const struct {
		int (*cells)(xlsx *x);
		const char *says;
	} bad[] = {
		{ cell_nan, "cell C2: the number is not finite" },
		{ cell_inf, "cell C2: the number is not finite" },
		{ cell_utf8, "cell A2: the text is not UTF-8" },
		{ cell_control, "at byte 3" },
		{ cell_type, "cell A2: a number given to a column of texts" },
		{ cell_date, "cell F2: \"2024-02-30\" is no date" },
		{ cell_early, "before 1900-03-01" },
		{ cell_beyond, "cell G2: a cell beyond the sheet's 6 columns" },
		{ cell_huge, "cell B2:" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (int constant_memory = 0; constant_memory < 2; constant_memory++) {
			char err[400] = "";
			xlsx *x = xlsx_open(dir, constant_memory, err, sizeof err);
			assert_non_null(x);
			assert_int_equal(xlsx_sheet(x, "Funding", funding, 6) | xlsx_row(x), 0);
			assert_int_equal(bad[i].cells(x), -1);
			assert_int_equal(xlsx_row(x), -1);   /* the workbook stays stopped */
			assert_int_equal(xlsx_text(x, "after"), -1);
			buf out = BUF_INIT;
			assert_int_equal(xlsx_close(x, &out, err, sizeof err), -1);
			assert_int_equal(out.len, 0);   /* no half-written workbook */
			if (!strstr(err, bad[i].says) || strncmp(err, "sheet \"Funding\"", 15))
				fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].says);
			assert_int_equal(files_in_dir(), 0);
		}
	}
}

static void test_bad_sheets_refused(void **state)
{
	(void)state;
	static const char *const names[] = { "Funding/2024", "A name longer than thirty-one chars", "", "Fund\xFF" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char err[400] = "";
		xlsx *x = xlsx_open(dir, 0, err, sizeof err);
		assert_int_equal(xlsx_sheet(x, names[i], funding, 6), -1);
		assert_int_equal(xlsx_close(x, NULL, err, sizeof err), -1);
		assert_true(strlen(err) > 0 && !strchr(err, '\n'));
	}
	/* a column without a heading, no columns, a sheet used twice, no sheet at all */
	static const xlsx_column headless[] = { { NULL, XLSX_TEXT, 0 } };
	static const xlsx_column too_precise[] = { { "Rate", XLSX_NUMBER, XLSX_MAX_DECIMALS + 1 } };
	char err[400];
	xlsx *x = xlsx_open(dir, 0, err, sizeof err);
	assert_int_equal(xlsx_sheet(x, "A", headless, 1), -1);
	xlsx_close(x, NULL, err, sizeof err);
	x = xlsx_open(dir, 0, err, sizeof err);
	assert_int_equal(xlsx_sheet(x, "A", too_precise, 1), -1);
	xlsx_close(x, NULL, err, sizeof err);
	x = xlsx_open(dir, 0, err, sizeof err);
	assert_int_equal(xlsx_sheet(x, "A", funding, 0), -1);
	xlsx_close(x, NULL, err, sizeof err);
	x = xlsx_open(dir, 0, err, sizeof err);
	assert_int_equal(xlsx_sheet(x, "A", funding, 6), 0);
	assert_int_equal(xlsx_sheet(x, "A", funding, 6), -1);
	assert_non_null(strstr(xlsx_error(x), "sheet \"A\""));
	xlsx_close(x, NULL, err, sizeof err);
	x = xlsx_open(dir, 0, err, sizeof err);
	buf out = BUF_INIT;
	assert_int_equal(xlsx_close(x, &out, err, sizeof err), -1);
	assert_int_equal(out.len, 0);
	assert_null(xlsx_open("/nonexistent/liaison", 0, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/liaison"));
	assert_int_equal(files_in_dir(), 0);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workbook),
		cmocka_unit_test(test_workbook_in_constant_memory),
		cmocka_unit_test(test_constant_memory_inline),
		cmocka_unit_test(test_bad_cells_refused),
		cmocka_unit_test(test_bad_sheets_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
