/*
 * xlsx.c — tables as XLSX workbooks over libxlsxwriter: the cells checked
 * before libxlsxwriter sees them (it writes whatever bytes it is given),
 * its refusals turned into one line with the cell's place, and the
 * workbook made in the caller's directory then read back.  See xlsx.h.
 */
#include "formats/xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/clock.h"
#include "core/errmsg.h"
#include "core/file.h"
#include "core/textfit.h"
#include "formats/xmlstream.h"

#define EXCEL_EPOCH_DAYS 25569   /* 1970-01-01 as an Excel serial day (days since 1899-12-30) */
#define EXCEL_MARCH_1900 61      /* 1900-03-01: Excel counts a 1900-02-29 that never was, so days before are a day off */
#define EXACT_INTEGER (INT64_C(1) << 53)
#define MAX_SHEET_COLUMNS 16384  /* Excel's columns, A to XFD */
#define MAX_WORKBOOK (SIZE_MAX / 2)
#define FILTER_BUTTON 3          /* the autofilter's button covers the heading's last characters */

struct xlsx {
	lxw_workbook *book;
	lxw_worksheet *sheet;
	lxw_format *bold, *date, *number[XLSX_MAX_DECIMALS + 1];
	xlsx_column *columns;   /* the sheet's, copied; headings not kept */
	double *widths;         /* each column's widest content, in characters */
	size_t ncolumns;
	size_t column;          /* the next cell's column */
	lxw_row_t row;          /* the current row; 0 is the header */
	char sheet_name[32 * 4 + 1];
	char *path;
	char *tmpdir;
	buf scratch;            /* a text escaped, only to check it */
	char reason[400];   /* the first reason the workbook stopped, with its place */
};

/* ---- errors ---------------------------------------------------------------- */

/* Stops the workbook with the first reason, at the current cell when there is one. */
static int stop(xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int stop(xlsx *x, const char *fmt, ...)
{
	if (x->reason[0])
		return -1;
	char what[200], cell[16];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (!x->sheet) {
		snprintf(x->reason, sizeof x->reason, "%s", what);
		return -1;
	}
	lxw_rowcol_to_cell(cell, x->row, (lxw_col_t)x->column);
	snprintf(x->reason, sizeof x->reason, "sheet \"%s\", cell %s: %s", x->sheet_name, cell, what);
	return -1;
}

static int lxw_check(xlsx *x, lxw_error e)
{
	return e == LXW_NO_ERROR ? 0 : stop(x, "%s", lxw_strerror(e));
}

/* ---- the workbook ----------------------------------------------------------- */

static void make_formats(xlsx *x)
{
	x->bold = workbook_add_format(x->book);
	format_set_bold(x->bold);
	x->date = workbook_add_format(x->book);
	format_set_num_format(x->date, "yyyy-mm-dd");
	for (unsigned d = 0; d <= XLSX_MAX_DECIMALS; d++) {
		char pattern[16] = "#,##0";
		if (d > 0) {
			strcat(pattern, ".");
			strncat(pattern, "000000", d);
		}
		x->number[d] = workbook_add_format(x->book);
		format_set_num_format(x->number[d], pattern);
	}
}

/* A new file of its own in dir, for libxlsxwriter to write the workbook into. */
static char *new_path(const char *dir, char *err, size_t errlen)
{
	char *path = NULL;
	if (asprintf(&path, "%s/liaison-XXXXXX.xlsx", dir) < 0) {
		errmsg(err, errlen, "out of memory");
		return NULL;
	}
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		errmsg(err, errlen, "cannot make a workbook in %s: %s", dir, strerror(errno));
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

xlsx *xlsx_open(const char *dir, int constant_memory, char *err, size_t errlen)
{
	xlsx *x = calloc(1, sizeof *x);
	if (!x || !dir || !*dir) {
		errmsg(err, errlen, x ? "no directory for the workbook" : "out of memory");
		goto fail;
	}
	if (!(x->path = new_path(dir, err, errlen)) || !(x->tmpdir = strdup(dir)))
		goto fail;
	lxw_workbook_options options = { .constant_memory = (uint8_t)(constant_memory != 0), .tmpdir = x->tmpdir };
	if (!(x->book = workbook_new_opt(x->path, &options))) {
		errmsg(err, errlen, "cannot begin a workbook in %s", dir);
		goto fail;
	}
	make_formats(x);
	return x;
fail:
	if (x && x->path)
		unlink(x->path);
	if (x) {
		free(x->path);
		free(x->tmpdir);
	}
	free(x);
	return NULL;
}

const char *xlsx_error(const xlsx *x) { return x->reason; }

/* A text libxlsxwriter may write: UTF-8 of characters XML carries (it
 * writes whatever bytes it is given, and a workbook with others is broken). */
static int check_text(xlsx *x, const char *s)
{
	size_t bad;
	buf_reset(&x->scratch);
	if (xmlstream_put(&x->scratch, s, strlen(s), 0, &bad))
		return stop(x, "the text is not UTF-8 or holds a character a workbook cannot carry, at byte %zu", bad);
	return 0;
}

/* ---- sheets ------------------------------------------------------------------ */

/* The sheet's last touches, once its rows are known: the filter over the
 * table, each column's width. */
static int finish_sheet(xlsx *x)
{
	if (!x->sheet || x->reason[0])
		return x->reason[0] ? -1 : 0;
	lxw_col_t last = (lxw_col_t)(x->ncolumns - 1);
	if (lxw_check(x, worksheet_autofilter(x->sheet, 0, 0, x->row, last)))
		return -1;
	for (size_t c = 0; c < x->ncolumns; c++) {
		double width = fmin(x->widths[c] + 1, XLSX_MAX_WIDTH);
		if (lxw_check(x, worksheet_set_column(x->sheet, (lxw_col_t)c, (lxw_col_t)c, width, NULL)))
			return -1;
	}
	return 0;
}

static int check_columns(xlsx *x, const xlsx_column *columns, size_t ncolumns)
{
	if (!columns || ncolumns == 0 || ncolumns > MAX_SHEET_COLUMNS)
		return stop(x, "sheet \"%s\": a sheet has 1 to %d columns", x->sheet_name, MAX_SHEET_COLUMNS);
	for (size_t c = 0; c < ncolumns; c++) {
		if (columns[c].type > XLSX_DATE)
			return stop(x, "sheet \"%s\": column %zu's type is none of a cell's", x->sheet_name, c + 1);
		if (columns[c].decimals > XLSX_MAX_DECIMALS)
			return stop(x, "sheet \"%s\": column %zu has more than %d decimals", x->sheet_name, c + 1,
				    XLSX_MAX_DECIMALS);
	}
	return 0;
}

static int write_header(xlsx *x, const xlsx_column *columns)
{
	for (x->column = 0; x->column < x->ncolumns; x->column++) {
		const char *heading = columns[x->column].heading;
		if (!heading || !*heading)
			return stop(x, "the column has no heading");
		if (check_text(x, heading) ||
		    lxw_check(x, worksheet_write_string(x->sheet, 0, (lxw_col_t)x->column, heading, x->bold)))
			return -1;
		x->widths[x->column] = (double)text_chars(heading, strlen(heading)) + FILTER_BUTTON;
	}
	worksheet_freeze_panes(x->sheet, 1, 0);
	return 0;
}

int xlsx_sheet(xlsx *x, const char *name, const xlsx_column *columns, size_t ncolumns)
{
	if (finish_sheet(x))
		return -1;
	x->sheet = NULL;
	snprintf(x->sheet_name, sizeof x->sheet_name, "%s", name ? name : "");
	if (!name || !*name)
		return stop(x, "a sheet needs a name");
	if (check_columns(x, columns, ncolumns) || check_text(x, name))
		return -1;
	lxw_error e = workbook_validate_sheet_name(x->book, name);
	if (e != LXW_NO_ERROR)
		return stop(x, "sheet \"%s\": %s", x->sheet_name, lxw_strerror(e));
	if (!(x->sheet = workbook_add_worksheet(x->book, name)))
		return stop(x, "sheet \"%s\" cannot be added", x->sheet_name);
	free(x->columns);
	free(x->widths);
	x->columns = malloc(ncolumns * sizeof *x->columns);
	x->widths = calloc(ncolumns, sizeof *x->widths);
	if (!x->columns || !x->widths)
		return stop(x, "out of memory");
	memcpy(x->columns, columns, ncolumns * sizeof *columns);
	x->ncolumns = ncolumns;
	x->row = 0;
	return write_header(x, columns);
}

int xlsx_row(xlsx *x)
{
	if (x->reason[0])
		return -1;
	if (!x->sheet)
		return stop(x, "a row before its sheet");
	if (x->row + 1 >= LXW_ROW_MAX)
		return stop(x, "the sheet is full: Excel's last row is %d", LXW_ROW_MAX);
	x->row++;
	x->column = 0;
	return 0;
}

/* ---- cells -------------------------------------------------------------------- */

/* Where the next cell goes, of type want (or any, for a blank): 0, or -1
 * when there is no such cell. */
static int next_cell(xlsx *x, int want)
{
	if (x->reason[0])
		return -1;
	if (!x->sheet || x->row == 0)
		return stop(x, "a cell before its row");
	if (x->column >= x->ncolumns)
		return stop(x, "a cell beyond the sheet's %zu columns", x->ncolumns);
	static const char *const names[] = { "text", "integer", "number", "date" };
	xlsx_type type = x->columns[x->column].type;
	if (want >= 0 && (xlsx_type)want != type)
		return stop(x, "a %s given to a column of %ss", names[want], names[type]);
	return 0;
}

static void fit(xlsx *x, double chars)
{
	if (chars > x->widths[x->column])
		x->widths[x->column] = chars;
	x->column++;
}

/* The characters v takes with its decimals and thousands separators. */
static double number_chars(double v, unsigned decimals)
{
	double digits = fabs(v) >= 1 ? floor(log10(fabs(v))) + 1 : 1;
	return digits + floor((digits - 1) / 3) + (decimals ? decimals + 1 : 0) + (v < 0);
}

int xlsx_text(xlsx *x, const char *s)
{
	if (next_cell(x, XLSX_TEXT))
		return -1;
	if (!s || !*s) {
		x->column++;
		return 0;
	}
	if (check_text(x, s) || lxw_check(x, worksheet_write_string(x->sheet, x->row, (lxw_col_t)x->column, s, NULL)))
		return -1;
	fit(x, (double)text_chars(s, strlen(s)));
	return 0;
}

int xlsx_integer(xlsx *x, int64_t v)
{
	if (next_cell(x, XLSX_INTEGER))
		return -1;
	if (v > EXACT_INTEGER || v < -EXACT_INTEGER)
		return stop(x, "%lld is beyond the integers a workbook holds exactly", (long long)v);
	if (lxw_check(x, worksheet_write_number(x->sheet, x->row, (lxw_col_t)x->column, (double)v, NULL)))
		return -1;
	fit(x, snprintf(NULL, 0, "%lld", (long long)v));
	return 0;
}

int xlsx_number(xlsx *x, double v)
{
	if (next_cell(x, XLSX_NUMBER))
		return -1;
	if (!isfinite(v))
		return stop(x, "the number is not finite");
	unsigned decimals = x->columns[x->column].decimals;
	if (lxw_check(x, worksheet_write_number(x->sheet, x->row, (lxw_col_t)x->column, v, x->number[decimals])))
		return -1;
	fit(x, number_chars(v, decimals));
	return 0;
}

int xlsx_date(xlsx *x, const char *date)
{
	if (next_cell(x, XLSX_DATE))
		return -1;
	int64_t days;
	if (!date || clock_date_days(date, &days))
		return stop(x, "\"%.20s\" is no date (YYYY-MM-DD)", date ? date : "");
	if (days + EXCEL_EPOCH_DAYS < EXCEL_MARCH_1900)
		return stop(x, "%s is before 1900-03-01, before which Excel's calendar is a day off", date);
	double serial = (double)(days + EXCEL_EPOCH_DAYS);
	if (lxw_check(x, worksheet_write_number(x->sheet, x->row, (lxw_col_t)x->column, serial, x->date)))
		return -1;
	fit(x, 10);
	return 0;
}

int xlsx_blank(xlsx *x)
{
	if (next_cell(x, -1))
		return -1;
	x->column++;
	return 0;
}

/* ---- the end ------------------------------------------------------------------ */

static void release(xlsx *x)
{
	unlink(x->path);
	free(x->path);
	free(x->tmpdir);
	free(x->columns);
	free(x->widths);
	buf_free(&x->scratch);
	free(x);
}

int xlsx_close(xlsx *x, buf *out, char *err, size_t errlen)
{
	if (!x)
		return errmsg(err, errlen, "no workbook");
	if (!x->reason[0] && !x->sheet && out)
		stop(x, "a workbook needs a sheet");
	finish_sheet(x);
	int rc = -1;
	if (x->reason[0] || !out) {
		lxw_workbook_free(x->book);
		if (x->reason[0])
			errmsg(err, errlen, "%s", x->reason);
		else
			rc = 0;
		goto done;
	}
	lxw_error e = workbook_close(x->book);
	if (e != LXW_NO_ERROR) {
		errmsg(err, errlen, "the workbook cannot be written: %s", lxw_strerror(e));
		goto done;
	}
	char *data = NULL;
	size_t len = 0;
	if (file_read(x->path, MAX_WORKBOOK, &data, &len, err, errlen))
		goto done;
	buf_add(out, data, len);
	free(data);
	rc = 0;
done:
	release(x);
	return rc;
}
