/*
 * pdf — simple documents (headings, paragraphs, bullet items, key-value
 * lines, tables, bar charts) laid out on A4 pages and written as PDF with Cairo and
 * Pango, in any of Liaison's languages and any script people's names come
 * in (fonts from the system's fontconfig; Pango shapes Arabic and falls
 * back to a font that has the characters, see tools/setup).
 *
 * The PDF is tagged: a structure tree says what each piece of text is (H1,
 * H2, P; a run of bullets is an L of LI, each a Lbl and an LBody; a run of
 * facts or of table rows is a Table of TR, with TH for labels and headers
 * and TD for values; a chart is a Figure whose /Alt says in one sentence
 * what it shows), so that screen readers and reflowing viewers follow the
 * document's sense, not just its ink.  The catalog also names the
 * document's language (/Lang) and asks viewers to show its title rather
 * than the file name (/DisplayDocTitle), which Cairo 1.16 cannot say, nor
 * a Figure's /Alt: see pdf.c.
 */
#ifndef LIAISON_PDF_H
#define LIAISON_PDF_H

#include "core/buf.h"
#include "formats/chart.h"

typedef struct pdf_doc pdf_doc;

/* A new document; title goes into the PDF's metadata and page headers;
 * lang ("fr") sets the language Pango shapes and breaks lines for, and the
 * document's /Lang.  NULL when out of memory. */
pdf_doc *pdf_new(const char *title, const char *lang);
void pdf_heading(pdf_doc *d, int level, const char *text);   /* level 1 or 2 */
void pdf_paragraph(pdf_doc *d, const char *text);
void pdf_item(pdf_doc *d, const char *text);                 /* a bullet */
void pdf_fact(pdf_doc *d, const char *label, const char *value);
/* A table row of n cells (n from 1 to PDF_MAX_CELLS; more are left out);
 * header rows are bold and tagged TH.  Consecutive rows make one table. */
#define PDF_MAX_CELLS 6
void pdf_row(pdf_doc *d, int header, const char *const *cells, int n);
/* A bar chart: for each of n categories (1 to PDF_MAX_BARS; more are left
 * out) a group of horizontal bars, one per series (1 to PDF_MAX_SERIES, in
 * chart.h's palette, with a legend), all to one axis from zero
 * (chart_nice_axis) whose ticks format writes (NULL: in digits), each bar
 * with its series' label of the value at its end.  A value below zero or
 * not a number draws no bar.  Tagged as a Figure whose /Alt is alt, the
 * chart's one-sentence summary; its words are ink, as the running header's
 * are, so that a screen reader reads the summary and not a jumble of
 * labels: give the data as a table too (pdf_row), for those who read
 * rather than look.  Kept whole on one page. */
#define PDF_MAX_BARS 16     /* with PDF_MAX_SERIES: the tallest chart still fits a page */
#define PDF_MAX_SERIES 3
void pdf_bars(pdf_doc *d, const char *alt, const char *const *categories, size_t n, const chart_series *series,
	      size_t nseries, chart_format_fn format, void *ctx);
/* What follows starts a new page (after a cover); nothing when the page is empty. */
void pdf_page_break(pdf_doc *d);
/* A marking (a classification: "CONFIDENTIAL") drawn bold at the top and
 * the bottom of every page, as ink like the running header; NULL or "" for none. */
void pdf_marking(pdf_doc *d, const char *text);
/* Lays out and writes the PDF bytes to out; frees d.  0, or -1 with a reason. */
int pdf_finish(pdf_doc *d, buf *out, char *err, size_t errlen);

#endif
