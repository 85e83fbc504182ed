/*
 * xlsx — tables as Excel workbooks (the funding analyses, beside their CSV),
 * written through libxlsxwriter.  The module knows no records: the caller
 * gives each sheet's columns and then its rows, cell by cell, with texts
 * already translated.
 *
 * A sheet is a table: its first row holds the columns' headings in bold,
 * stays in view when the reader scrolls (a frozen pane) and carries an
 * autofilter over the table; each column is as wide as its longest content,
 * counted in characters (UTF-8), within bounds.  Cells are typed as their
 * column says:
 *   XLSX_TEXT      a string;
 *   XLSX_INTEGER   a whole number (a count, a year), in Excel's general format;
 *   XLSX_NUMBER    a number shown with a fixed count of decimals and a
 *                  thousands separator: money in its currency's decimals
 *                  ("#,##0" for 0, "#,##0.00" for 2, "#,##0.000" for 3);
 *   XLSX_DATE      a real Excel date (a serial day, sorted and filtered as
 *                  a date) from "YYYY-MM-DD", shown as yyyy-mm-dd.
 * A workbook holds several sheets one after the other (the table, then a
 * "Sources" sheet of the exchange rates used, which are the caller's rows).
 *
 * Text never becomes a formula: a text cell is a string cell, which Excel
 * and LibreOffice show as it is and never evaluate, "=1+1" included.  CSV
 * has no types, so csv_field() puts an apostrophe before such a text to
 * say what a string cell already says here; the apostrophe would be a
 * character of the text in a workbook, so the rule is CSV's alone.
 *
 * Writing streams: the sheets, their rows and the cells of a row are
 * written in order, never revisited, so a workbook may be opened in
 * constant memory (libxlsxwriter's constant_memory): each row goes to a
 * temporary file as the next begins, memory stays that of one row however
 * long the table, and texts are written in the cells (inline strings)
 * rather than in a table of shared strings.  The temporary files and the
 * workbook itself are made in the caller's directory (not /tmp, which may
 * be memory); xlsx_close reads the workbook back into a buffer and removes
 * every file.
 *
 * Errors.  A bad cell (a text not UTF-8 or holding a character XML cannot
 * carry, a number not finite, a date that is no date, a cell of another
 * type than its column's, a row beyond Excel's last) and whatever
 * libxlsxwriter refuses (a sheet's name too long or of forbidden
 * characters, a text too long for a cell) stop the workbook: that call
 * and every later one return -1, and xlsx_close gives the first reason, in
 * one line with its place ("sheet \"Funding\", cell C12: ..."), and no
 * workbook.
 */
#ifndef LIAISON_XLSX_H
#define LIAISON_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define XLSX_MAX_DECIMALS 6
#define XLSX_MAX_WIDTH 60   /* a column's width at most, in characters; longer text is cut at the column's edge */

typedef struct xlsx xlsx;

typedef enum xlsx_type { XLSX_TEXT, XLSX_INTEGER, XLSX_NUMBER, XLSX_DATE } xlsx_type;

typedef struct xlsx_column {
	const char *heading;   /* the header row's text */
	xlsx_type type;
	unsigned decimals;     /* XLSX_NUMBER: 0 to XLSX_MAX_DECIMALS */
} xlsx_column;

/* A workbook written in a new file in dir, in constant memory when
 * constant_memory is 1 (see above).  NULL with the reason in err when the
 * file cannot be made. */
xlsx *xlsx_open(const char *dir, int constant_memory, char *err, size_t errlen);

/* Begins a sheet named name (at most 31 characters, none of []:*?/\) with
 * its columns (1 or more; the array is read at once) and writes its header
 * row; the sheet before it is finished.  0 or -1. */
int xlsx_sheet(xlsx *x, const char *name, const xlsx_column *columns, size_t ncolumns);

/* Begins the sheet's next row; its cells follow, in the columns' order.
 * A row given fewer cells than columns leaves the rest empty. */
int xlsx_row(xlsx *x);

/* The row's next cell.  0 or -1. */
int xlsx_text(xlsx *x, const char *s);        /* "" is an empty cell */
int xlsx_integer(xlsx *x, int64_t v);         /* exact up to 2^53, as Excel's numbers are */
int xlsx_number(xlsx *x, double v);
int xlsx_date(xlsx *x, const char *date);     /* "YYYY-MM-DD" */
int xlsx_blank(xlsx *x);                      /* an empty cell, in any column */

/* The first reason the workbook stopped, "" while it has not. */
const char *xlsx_error(const xlsx *x);

/* Finishes the workbook, appends its bytes to out (nothing when out is
 * NULL: a workbook abandoned) and removes its file; frees x.  0, or -1
 * with the reason in err and nothing appended. */
int xlsx_close(xlsx *x, buf *out, char *err, size_t errlen);

#endif
