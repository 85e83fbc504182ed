/*
 * test_pdf — the PDF writer: documents come out as whole PDF files (header,
 * trailer), the page count follows the amount of text, the title reaches
 * the metadata and headings the outline, and empty, huge or broken input
 * still gives a document.  The page content itself is compressed: what it
 * says, its structure tree (tags) and its catalog are read back with
 * poppler-utils, which tools/setup --tests installs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/utf8.h"
#include "formats/pdf.h"

/* Fontconfig keeps its font cache for the life of the process and stores
 * pointers inside it as offsets, which LeakSanitizer cannot follow: every
 * report it makes there is a cache entry, not a leak.  Only that library is
 * named; a leak in Liaison's own code is still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* ...and the count of what was suppressed is not worth a line per run. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static const char *sentence =
	"La délégation sera accueillie par le département de la coopération "
	"internationale et des partenariats ; les échanges porteront sur les "
	"priorités régionales, l'élaboration des stratégies et l'évaluation "
	"à mi-parcours. La reunión con la delegación tendrá lugar en español.";

/* Finish d, expecting success and a whole PDF file. */
static void finish_ok(pdf_doc *d, buf *out)
{
	char err[128] = "";
	assert_non_null(d);
	int rc = pdf_finish(d, out, err, sizeof err);
	if (rc != 0)
		fail_msg("pdf_finish: %s", err);
	assert_true(out->len > 100);
	assert_memory_equal(out->data, "%PDF-", 5);
	size_t n = out->len;
	while (n > 0 && (out->data[n - 1] == '\n' || out->data[n - 1] == '\r'))
		n--;   /* one line end after %%EOF is usual */
	assert_true(out->len - n <= 2);
	assert_true(n >= 5);
	assert_memory_equal(out->data + n - 5, "%%EOF", 5);
}

/* Page objects: "/Type /Page" but not the "/Type /Pages" tree node. */
static int count_pages(const buf *b)
{
	static const char key[] = "/Type /Page";
	size_t k = sizeof key - 1;
	int pages = 0;
	const char *p = b->data, *end = b->data + b->len;
	while ((p = memmem(p, (size_t)(end - p), key, k)) != NULL) {
		p += k;
		if (p == end || !isalnum((unsigned char)*p))
			pages++;
	}
	return pages;
}

static int contains(const buf *b, const char *s)
{
	return memmem(b->data, b->len, s, strlen(s)) != NULL;
}

/* Hex strings may come in either case. */
static int contains_nocase(const buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->len; i++)
		if (strncasecmp(b->data + i, s, n) == 0)
			return 1;
	return 0;
}

static void add_text(pdf_doc *d, int paragraphs)
{
	pdf_heading(d, 1, "Programme de la visite");
	for (int i = 0; i < paragraphs; i++) {
		if (i % 8 == 0)
			pdf_heading(d, 2, "Séance de travail");
		pdf_paragraph(d, sentence);
		if (i % 5 == 0)
			pdf_item(d, "Présentation du département — coopération régionale");
	}
}

static void test_short_document(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Briefing", "en");
	pdf_heading(d, 1, "Briefing");
	pdf_fact(d, "Date", "18 March 2025, 09:30–10:45");
	pdf_fact(d, "Room", "B-104");
	pdf_paragraph(d, "A short note.");
	pdf_item(d, "One point");
	buf out = BUF_INIT;
	finish_ok(d, &out);
	assert_int_equal(count_pages(&out), 1);
	buf_free(&out);
}

static void test_long_document(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Visite de la délégation", "fr");
	add_text(d, 40);   /* two pages and a half */
	buf out = BUF_INIT;
	finish_ok(d, &out);
	int pages = count_pages(&out);
	assert_in_range(pages, 2, 4);
	buf_free(&out);

	/* more text, more pages */
	d = pdf_new("Visite de la délégation", "fr");
	add_text(d, 120);
	finish_ok(d, &out);
	assert_true(count_pages(&out) > pages);
	buf_free(&out);
}

static void test_title_metadata(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Briefing for the delegation of Peru", "en");
	pdf_paragraph(d, "Text.");
	buf out = BUF_INIT;
	finish_ok(d, &out);
	assert_true(contains(&out, "/Title (Briefing for the delegation of Peru)"));
	assert_true(contains(&out, "/Creator (Liaison)"));
	buf_free(&out);

	/* beyond ASCII, PDF text strings are UTF-16BE with a byte order mark */
	d = pdf_new("Réunion", "fr");
	finish_ok(d, &out);
	assert_true(contains_nocase(&out, "/Title <FEFF005200E90075006E0069006F006E>"));
	buf_free(&out);
}

static void test_outline(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Briefing", "en");
	pdf_heading(d, 1, "Programme");
	pdf_heading(d, 2, "Morning");
	pdf_paragraph(d, "Coffee.");
	pdf_heading(d, 2, "Afternoon");
	pdf_paragraph(d, "Tea.");
	buf out = BUF_INIT;
	finish_ok(d, &out);
	assert_true(contains(&out, "/Type /Outlines"));
	assert_true(contains(&out, "/Title (Programme)"));
	assert_true(contains(&out, "/Title (Morning)"));
	assert_true(contains(&out, "/Title (Afternoon)"));
	buf_free(&out);
}

static void test_thousand_paragraphs(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Long", "es");
	char text[64];
	for (int i = 1; i <= 1000; i++) {
		snprintf(text, sizeof text, "Párrafo número %d.", i);
		pdf_paragraph(d, text);
	}
	buf out = BUF_INIT;
	finish_ok(d, &out);
	/* one line and a gap each: a few dozen to a page */
	assert_in_range(count_pages(&out), 15, 60);
	buf_free(&out);
}

static void test_empty_document(void **state)
{
	(void)state;
	buf out = BUF_INIT;
	finish_ok(pdf_new("Empty", "en"), &out);
	assert_int_equal(count_pages(&out), 1);
	buf_free(&out);

	finish_ok(pdf_new(NULL, NULL), &out);   /* no title, no language */
	assert_int_equal(count_pages(&out), 1);
	assert_false(contains(&out, "/Title"));
	buf_free(&out);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Bad \xC3 title \xFF", "f\xFFr");
	pdf_heading(d, 1, "caf\xC3");
	pdf_heading(d, 2, "\xED\xA0\x80 surrogate");
	pdf_paragraph(d, "stray \x80\xBF bytes, cut \xF0\x9F and overlong \xC0\xAF\n\r\x01\x1b[0m");
	pdf_item(d, "\xE2\x82");
	pdf_fact(d, "\xFE\xFE", "\xF4\x90\x80\x80 past U+10FFFF");
	pdf_paragraph(d, "");
	pdf_paragraph(d, NULL);
	pdf_item(d, NULL);
	pdf_fact(d, NULL, NULL);
	pdf_heading(d, 1, NULL);
	buf out = BUF_INIT;
	finish_ok(d, &out);
	assert_int_equal(count_pages(&out), 1);
	/* the title was repaired, not dropped: "Bad " then U+FFFD */
	assert_true(contains_nocase(&out, "/Title <FEFF0042006100640020FFFD"));
	buf_free(&out);
}

static void test_misuse(void **state)
{
	(void)state;
	char err[64] = "";
	buf out = BUF_INIT;
	/* what a caller holds when pdf_new ran out of memory */
	pdf_heading(NULL, 1, "x");
	pdf_paragraph(NULL, "x");
	pdf_item(NULL, "x");
	pdf_fact(NULL, "x", "y");
	assert_int_equal(pdf_finish(NULL, &out, err, sizeof err), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(out.len, 0);
	assert_int_equal(pdf_finish(NULL, &out, NULL, 0), -1);

	/* levels outside 1–2 are taken as the nearest */
	pdf_doc *d = pdf_new("Levels", "en");
	pdf_heading(d, 0, "Zero");
	pdf_heading(d, 7, "Seven");
	finish_ok(d, &out);
	assert_true(contains(&out, "/Title (Zero)"));
	assert_true(contains(&out, "/Title (Seven)"));
	buf_free(&out);
}

/* Output goes to the end of out; what was there stays. */
static void test_appends(void **state)
{
	(void)state;
	buf out = BUF_INIT;
	buf_puts(&out, "prefix");
	pdf_doc *d = pdf_new("Append", "en");
	char err[64];
	assert_int_equal(pdf_finish(d, &out, err, sizeof err), 0);
	assert_memory_equal(out.data, "prefix%PDF-", 11);
	buf_free(&out);
}

/* What a poppler tool (poppler-utils, installed by tools/setup --tests) says
 * of the PDF: "pdftotext -enc UTF-8 %s -" with the file's path for %s.
 * Standard error goes to *err when err is given. */
static void poppler(const buf *pdf, const char *cmd, buf *out, buf *err)
{
	char path[] = "/tmp/liaison-pdf-XXXXXX", errpath[] = "/tmp/liaison-pdf-err-XXXXXX";
	int fd = mkstemp(path), efd = mkstemp(errpath);
	assert_true(fd >= 0 && efd >= 0);
	assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(fd);
	close(efd);
	buf line = BUF_INIT;
	buf_printf(&line, cmd, path);
	buf_printf(&line, " 2>%s", errpath);
	FILE *p = popen(buf_str(&line), "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(out, chunk, n);
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("%s: exit status %d", buf_str(&line), rc);
	FILE *e = fopen(errpath, "r");
	assert_non_null(e);
	while (err && (n = fread(chunk, 1, sizeof chunk, e)) > 0)
		buf_add(err, chunk, n);
	fclose(e);
	unlink(path);
	unlink(errpath);
	buf_free(&line);
}

static void test_text_extraction(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Visite officielle", "fr");
	add_text(d, 40);
	pdf_fact(d, "Lieu", "Salle B-104, Genève");
	buf out = BUF_INIT;
	finish_ok(d, &out);
	buf text = BUF_INIT;
	poppler(&out, "pdftotext -enc UTF-8 %s -", &text, NULL);
	assert_non_null(strstr(buf_str(&text), "Programme de la visite"));
	assert_null(strstr(buf_str(&text), "Visite officielle"));       /* the running header is ink, not text */
	assert_non_null(strstr(buf_str(&text), "délégation"));
	assert_non_null(strstr(buf_str(&text), "Genève"));
	assert_non_null(strstr(buf_str(&text), "\f"));                  /* more than one page */
	buf_free(&text);
	buf_free(&out);
}

static size_t count_lines(const char *s, const char *line);

/* A page break starts a new page only when the page holds something, so a
 * cover is alone on its page and no page is blank; the marking is ink on
 * every page, neither text nor structure, and a page break is no element. */
static void test_page_break_and_marking(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Dossier", "fr");
	pdf_marking(d, "DIFFUSION RESTREINTE");
	pdf_page_break(d);                  /* at the top of the first page: nothing */
	pdf_paragraph(d, "Couverture");
	pdf_page_break(d);
	pdf_page_break(d);                  /* a second one in a row: nothing */
	pdf_heading(d, 2, "Programme");
	buf out = BUF_INIT;
	finish_ok(d, &out);
	assert_int_equal(count_pages(&out), 2);
	buf text = BUF_INIT, tree = BUF_INIT, err = BUF_INIT;
	poppler(&out, "pdftotext -enc UTF-8 -f 1 -l 1 %s -", &text, NULL);
	assert_non_null(strstr(buf_str(&text), "Couverture"));
	assert_null(strstr(buf_str(&text), "Programme"));               /* on the second page only */
	assert_null(strstr(buf_str(&text), "DIFFUSION"));               /* the marking is ink */
	poppler(&out, "pdfinfo -struct-text %s", &tree, &err);
	assert_string_equal(buf_str(&err), "");
	assert_null(strstr(buf_str(&tree), "DIFFUSION"));
	assert_int_equal(count_lines(buf_str(&tree), "  P (block)"), 1);
	assert_int_equal(count_lines(buf_str(&tree), "  H2 (block)"), 1);
	/* the marking draws: the same document without it is smaller */
	pdf_doc *plain = pdf_new("Dossier", "fr");
	pdf_marking(plain, "DIFFUSION RESTREINTE");
	pdf_marking(plain, NULL);           /* taken back */
	pdf_paragraph(plain, "Couverture");
	pdf_page_break(plain);
	pdf_heading(plain, 2, "Programme");
	buf bare = BUF_INIT;
	finish_ok(plain, &bare);
	assert_int_equal(count_pages(&bare), 2);
	assert_true(bare.len < out.len);
	pdf_marking(NULL, "nothing");       /* no document: nothing happens */
	pdf_page_break(NULL);
	buf_free(&bare);
	buf_free(&err);
	buf_free(&tree);
	buf_free(&text);
	buf_free(&out);
}

static size_t count_lines(const char *s, const char *line)
{
	size_t n = 0, k = strlen(line);
	for (const char *p = s; (p = strstr(p, line)) != NULL; p += k)
		if ((p == s || p[-1] == '\n') && (p[k] == '\n' || p[k] == '\0'))
			n++;
	return n;
}

/* The structure tree, as poppler reads it: every kind of block under its
 * type, lists and tables whole, across page breaks, and the running header
 * and page numbers left out of it. */
static void test_tagged_structure(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Running title", "en");
	pdf_heading(d, 1, "Programme");
	pdf_paragraph(d, "Opening words.");
	pdf_heading(d, 2, "Visitors");
	const char *head[] = { "Name", "Position" }, *row[] = { "Amina Okonkwo", "Adviser" };
	pdf_row(d, 1, head, 2);
	pdf_row(d, 0, row, 2);
	pdf_fact(d, "Room", "B-104");
	pdf_fact(d, "Date", "18 March");
	for (int i = 0; i < 90; i++)   /* three pages of bullets: breaks inside the list */
		pdf_item(d, "A point long enough to wrap onto a second line in the column of the bullets' text, surely.");
	buf longer = BUF_INIT;   /* a paragraph longer than a page: breaks inside it */
	for (int i = 0; i < 40; i++)
		buf_puts(&longer, sentence);
	pdf_paragraph(d, buf_str(&longer));
	buf_free(&longer);
	buf out = BUF_INIT, tree = BUF_INIT, info = BUF_INIT, err = BUF_INIT;
	finish_ok(d, &out);
	poppler(&out, "pdfinfo %s", &info, &err);
	assert_non_null(strstr(buf_str(&info), "Tagged:          yes"));
	assert_string_equal(buf_str(&err), "");
	poppler(&out, "pdfinfo -struct-text %s", &tree, NULL);
	const char *t = buf_str(&tree);
	assert_int_equal(count_lines(t, "  H1 (block)"), 1);
	assert_int_equal(count_lines(t, "  H2 (block)"), 1);
	assert_true(strncmp(t, "Document\n", 9) == 0);   /* one root, as readers expect */
	assert_int_equal(count_lines(t, "Document"), 1);
	assert_non_null(strstr(t, "  H1 (block)\n    \"Programme\"\n"));
	assert_non_null(strstr(t, "  P (block)\n    \"Opening words.\"\n"));
	assert_non_null(strstr(t, "  Table (block)\n    TR\n      TH\n        \"Name\"\n      TH\n        \"Position\"\n"));
	assert_non_null(strstr(t, "      TD\n        \"Amina Okonkwo\"\n"));
	assert_non_null(strstr(t, "      TH\n        \"Room\"\n      TD\n        \"B-104\"\n"));
	assert_int_equal(count_lines(t, "  Table (block)"), 2);   /* the rows' table and the facts' */
	assert_int_equal(count_lines(t, "  L (block)"), 1);       /* one list over three pages */
	assert_int_equal(count_lines(t, "    LI (block)"), 90);
	assert_int_equal(count_lines(t, "      Lbl (block)"), 90);
	assert_int_equal(count_lines(t, "  P (block)"), 2);       /* the long paragraph is one, over pages */
	/* neither the running header nor a page number is content */
	assert_null(strstr(t, "Running title"));
	assert_null(strstr(t, "\"1\""));
	assert_null(strstr(t, "\"2\""));
	buf_free(&out);
	buf_free(&tree);
	buf_free(&info);
	buf_free(&err);
}

/* The catalog Cairo 1.16 writes, updated: the language, tagged content and
 * the title shown by viewers; poppler reads the update without complaint. */
static void test_catalog(void **state)
{
	(void)state;
	const char *langs[][2] = { { "fr", "/Lang (fr)" }, { "es-419", "/Lang (es-419)" }, { NULL, NULL }, { "f(r)", NULL } };
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		pdf_doc *d = pdf_new("Réunion", langs[i][0]);
		pdf_heading(d, 1, "Programme");
		buf out = BUF_INIT, info = BUF_INIT, err = BUF_INIT;
		finish_ok(d, &out);
		assert_true(contains(&out, "/ViewerPreferences << /DisplayDocTitle true >>"));
		assert_true(contains(&out, "/MarkInfo << /Marked true >>"));
		assert_true(langs[i][1] ? contains(&out, langs[i][1]) : !contains(&out, "/Lang"));
		assert_true(contains(&out, "/Prev "));
		poppler(&out, "pdfinfo %s", &info, &err);
		assert_string_equal(buf_str(&err), "");
		assert_non_null(strstr(buf_str(&info), "Tagged:          yes"));
		assert_non_null(strstr(buf_str(&info), "Title:           Réunion"));
		buf_free(&out);
		buf_free(&info);
		buf_free(&err);
	}
}

/* text as the PDF writes a text string: <FEFF then UTF-16BE in hex>. */
static void utf16_hex(const char *text, buf *out)
{
	buf_puts(out, "<FEFF");
	for (size_t at = 0, n = strlen(text), k; at < n; at += k) {
		uint32_t c;
		k = utf8_next(text + at, n - at, &c);
		if (c >= 0x10000)
			buf_printf(out, "%04X%04X", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
		else
			buf_printf(out, "%04X", c);
	}
	buf_putc(out, '>');
}

static size_t occurrences(const buf *b, const char *s)
{
	size_t n = 0, k = strlen(s);
	for (const char *p = b->data; (p = memmem(p, b->len - (size_t)(p - b->data), s, k)) != NULL; p += k)
		n++;
	return n;
}

static void tick_in_thousands(double v, buf *out, void *ctx)
{
	buf_printf(out, "%s%.0f k", (const char *)ctx, v / 1000);
}

/* A chart is a Figure of the structure tree with its /Alt (the summary, in
 * the document's language), its words ink and not text, between the
 * blocks around it; each of several charts has its own Alt. */
static void test_figure(void **state)
{
	(void)state;
	const char *alt = "Besoins et financement par région : le plus grand écart au Sud du Sahara 🌍.";
	const char *other = "Requirements by year.";
	const char *regions[] = { "Sud du Sahara", "Extrême-Orient", "Amérique du Sud" };
	double needs[] = { 1200000, 500000, 80000 }, got[] = { 300000, 450000, 0 };
	const char *needs_text[] = { "1 200 000 USD", "500 000 USD", "80 000 USD" };
	const char *got_text[] = { "300 000 USD", "450 000 USD", "0 USD" };
	chart_series both[] = { { "Besoins", needs, needs_text }, { "Financement reçu", got, got_text } };
	pdf_doc *d = pdf_new("Appel annuel", "fr");
	pdf_heading(d, 1, "Appel annuel");
	pdf_bars(d, alt, regions, 3, both, 2, tick_in_thousands, "≈");
	const char *head[] = { "Région", "Besoins" }, *row[] = { "Océanie", "1 000 USD" };
	pdf_row(d, 1, head, 2);
	pdf_row(d, 0, row, 2);
	const char *years[] = { "2031" };
	pdf_bars(d, other, years, 1, both, 1, NULL, NULL);
	pdf_paragraph(d, "Fin du document.");
	buf out = BUF_INIT, tree = BUF_INIT, info = BUF_INIT, err = BUF_INIT, text = BUF_INIT, want = BUF_INIT;
	finish_ok(d, &out);
	poppler(&out, "pdfinfo %s", &info, &err);
	assert_string_equal(buf_str(&err), "");
	assert_non_null(strstr(buf_str(&info), "Tagged:          yes"));
	poppler(&out, "pdfinfo -struct-text %s", &tree, NULL);
	const char *t = buf_str(&tree);
	assert_int_equal(count_lines(t, "  Figure"), 2);
	/* no text of its own (its words are ink), between the blocks around it */
	assert_non_null(strstr(t, "  H1 (block)\n    \"Appel annuel\"\n  Figure\n    \"\"\n  Table (block)\n"));
	assert_non_null(strstr(t, "  Figure\n    \"\"\n  P (block)\n    \"Fin du document.\"\n"));
	/* each Figure element again, with its summary, in the order drawn */
	utf16_hex(alt, &want);
	const char *first = memmem(out.data, out.len, buf_str(&want), want.len);
	assert_non_null(first);
	buf_reset(&want);
	utf16_hex(other, &want);
	const char *second = memmem(out.data, out.len, buf_str(&want), want.len);
	assert_non_null(second);
	assert_true(first < second);
	assert_int_equal(occurrences(&out, "/Alt <FEFF"), 2);
	assert_int_equal(occurrences(&out, "/S /Figure"), 4);   /* Cairo's two, and the two again */
	/* the chart's words are ink: the table's are text */
	poppler(&out, "pdftotext -enc UTF-8 %s -", &text, NULL);
	assert_null(strstr(buf_str(&text), "Extrême-Orient"));
	assert_null(strstr(buf_str(&text), "≈"));
	assert_non_null(strstr(buf_str(&text), "Océanie"));
	assert_non_null(strstr(buf_str(&text), "Fin du document."));
	buf_free(&want);
	buf_free(&text);
	buf_free(&out);
	buf_free(&tree);
	buf_free(&info);
	buf_free(&err);
}

/* Charts of nothing draw nothing; too many bars or series are cut, values
 * that are no amount draw no bar, and missing texts still give a document. */
static void test_figure_misuse(void **state)
{
	(void)state;
	double odd[PDF_MAX_BARS + 5];
	for (size_t i = 0; i < PDF_MAX_BARS + 5; i++)
		odd[i] = (double[]){ NAN, -5, INFINITY, 1e300, 0, 7 }[i % 6];
	chart_series series[PDF_MAX_SERIES + 2];
	for (size_t s = 0; s < PDF_MAX_SERIES + 2; s++)
		series[s] = (chart_series){ s % 2 ? NULL : "Series", s == 1 ? NULL : odd, NULL };
	const char *many[PDF_MAX_BARS + 5];
	for (size_t i = 0; i < PDF_MAX_BARS + 5; i++)
		many[i] = i % 3 ? "Région \xC3" : NULL;
	pdf_bars(NULL, "nothing", many, 3, series, 1, NULL, NULL);
	pdf_doc *d = pdf_new("Charts", "en");
	pdf_bars(d, "no categories", many, 0, series, 1, NULL, NULL);
	pdf_bars(d, "no series", many, 3, series, 0, NULL, NULL);
	pdf_bars(d, "no series either", many, 3, NULL, 2, NULL, NULL);
	pdf_bars(d, NULL, many, 5, series, 2, NULL, NULL);
	pdf_bars(d, "all of them", many, PDF_MAX_BARS + 5, series, PDF_MAX_SERIES + 2, NULL, NULL);
	buf out = BUF_INIT, tree = BUF_INIT;
	finish_ok(d, &out);
	poppler(&out, "pdfinfo -struct-text %s", &tree, NULL);
	assert_int_equal(count_lines(buf_str(&tree), "  Figure"), 2);
	assert_int_equal(count_pages(&out), 2);   /* the tallest chart is whole, on a page of its own */
	assert_int_equal(occurrences(&out, "/Alt <FEFF"), 2);
	buf_free(&tree);
	buf_free(&out);
}

/* Rows take 1 to PDF_MAX_CELLS cells; others, NULL cells and broken text
 * still give a document. */
static void test_rows_misuse(void **state)
{
	(void)state;
	const char *many[] = { "a", "b", "c", "d", "e", "f", "g", "h" }, *holes[] = { NULL, "\xFF", "" };
	pdf_doc *d = pdf_new("Rows", "en");
	pdf_row(d, 1, many, 8);
	pdf_row(d, 0, holes, 3);
	pdf_row(d, 0, NULL, 2);
	pdf_row(d, 0, many, 0);
	pdf_row(d, 0, many, -1);
	pdf_row(NULL, 0, many, 2);
	buf out = BUF_INIT, tree = BUF_INIT;
	finish_ok(d, &out);
	poppler(&out, "pdfinfo -struct-text %s", &tree, NULL);
	assert_int_equal(count_lines(buf_str(&tree), "      TH"), PDF_MAX_CELLS);
	assert_null(strstr(buf_str(&tree), "\"g\""));
	buf_free(&out);
	buf_free(&tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_document),
		cmocka_unit_test(test_long_document),
		cmocka_unit_test(test_title_metadata),
		cmocka_unit_test(test_outline),
		cmocka_unit_test(test_thousand_paragraphs),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_text_extraction),
		cmocka_unit_test(test_tagged_structure),
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_rows_misuse),
		cmocka_unit_test(test_page_break_and_marking),
		cmocka_unit_test(test_figure),
		cmocka_unit_test(test_figure_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
