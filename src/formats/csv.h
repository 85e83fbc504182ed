/*
 * csv — RFC 4180 comma-separated values, the format of bulk imports and of
 * every table export.
 *
 * Reading.  Imports are all-or-nothing and must tell the user exactly what
 * to fix, so the reader reports each problem with the physical line and the
 * field number where it occurs.  Accepted: fields quoted with "..." and ""
 * inside them, commas and line breaks (CRLF, LF or a lone CR) inside quoted
 * fields, records ended by CRLF, LF or a lone CR, a last record without a
 * line end, a leading UTF-8 byte order mark.  Line ends at the very end of
 * the input are ignored; an empty line elsewhere is a record with one empty
 * field (the importer's column count check then names it).  Fields must be
 * UTF-8 without NUL bytes and at most CSV_MAX_FIELD bytes.
 *
 * Two kinds of error:
 *  - fatal (err.fatal = 1): the structure is broken — a quote never closed,
 *    a quote inside an unquoted field, text after a closing quote.  Nothing
 *    after that point can be trusted; every further call returns -1 with the
 *    same error.
 *  - record errors (err.fatal = 0): the record's structure is sound but a
 *    field is not valid UTF-8, holds a NUL byte, or is too long.  The record
 *    is skipped and the next call goes on with the following one, so an
 *    import can list every bad row at once.
 * A typical loop:
 *     while ((rc = csv_next(r, &row, &err)) != 0) {
 *         if (rc < 0) { report(&err); if (err.fatal) break; continue; }
 *         ...
 *     }
 *
 * Writing.  csv_field() guards text against spreadsheet formula injection:
 * a cell beginning with = + - @ TAB or CR would be run as a formula by
 * Excel or LibreOffice when the export is opened, so such a cell is written
 * with a leading apostrophe (') — the spreadsheet convention for "this is
 * text" — which keeps the content visible and inert.  A cell that itself
 * begins with an apostrophe gets one more, so that csv_unguard() can take
 * exactly the added one away again: it removes a leading apostrophe only
 * when one of those characters or another apostrophe follows ("'=1" reads
 * "=1", "''x" reads "'x", "'tis" stays "'tis").  The reader itself leaves
 * cells as they are.  Numbers and other values the program itself formats
 * (-5, 2026-11-27) go through csv_field_raw(), which writes them as they
 * are.  Both quote a field when it contains a comma, quote, CR or LF, or
 * begins or ends with a space or TAB.  Rows end in CRLF.
 *
 * Lists in one cell.  csv_list_item() appends an item to a cell, after
 * "; " unless it is the first, with a backslash before a ";" or "\" in it
 * and before a space at its start or end; csv_list_next() reads them back:
 * "\;", "\\" and "\ " stand for the character after the backslash (any
 * other backslash is kept, so "C:\temp" typed by hand stays as it is), spaces
 * around an item are dropped and empty items skipped ("a;; b ;" is a and b).
 * An empty item cannot be written.
 */
#ifndef LIAISON_CSV_H
#define LIAISON_CSV_H

#include <stddef.h>

#include "core/buf.h"

#define CSV_MAX_FIELD 65536   /* bytes in one field, after unquoting */

typedef struct csv_reader csv_reader;

typedef struct {
	size_t nfields;
	char **fields;   /* NUL-terminated; owned by the reader, valid until the next call */
	size_t *lens;    /* byte length of each field */
	size_t line;     /* physical line where the record starts, 1-based */
} csv_row;

typedef struct {
	size_t line;        /* 1-based physical line of the problem */
	size_t column;      /* 1-based field number within the record */
	int fatal;          /* 1: the reader cannot go on; 0: only this record is bad */
	char message[160];  /* one sentence, no line/column prefix */
} csv_error;

/* data is not copied and must outlive the reader.  Never returns NULL. */
csv_reader *csv_open(const char *data, size_t len);

/* 1 = *row filled, 0 = end of input, -1 = *err filled (see above). */
int csv_next(csv_reader *r, csv_row *row, csv_error *err);

void csv_close(csv_reader *r);   /* NULL is fine */

/* Append one field; first_in_row = 1 for the row's first field (no comma). */
void csv_field(buf *b, const char *s, size_t n, int first_in_row);      /* text, guarded */
void csv_field_raw(buf *b, const char *s, size_t n, int first_in_row);  /* as is */
void csv_end_row(buf *b);                                                /* CRLF */

/* s without the guard csv_field() put before it, or s itself (see above). */
const char *csv_unguard(const char *s);

/* One item of a list cell, escaped; first = 1 for the cell's first item. */
void csv_list_item(buf *cell, const char *item, size_t n, int first);
/* The next item of a list cell from *pos on, unescaped into item (emptied
 * first): 1 when there was one, 0 at the end of the cell. */
int csv_list_next(const char *cell, size_t len, size_t *pos, buf *item);

#endif
