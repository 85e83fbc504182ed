/*
 * csv — RFC 4180 reader and writer; see csv.h for the accepted syntax, the
 * two kinds of error and the formula injection guard.
 *
 * The reader is a single forward pass over the input: every byte is looked
 * at a bounded number of times, so a large file with a problem near its end
 * costs no more than a clean one.  The fields of the current record are
 * unquoted into one buffer, each followed by a NUL; the pointer arrays
 * handed out in csv_row are rebuilt from offsets once the record is
 * complete, because the buffer may move while it grows.
 */
#include "formats/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

struct csv_reader {
	const char *data;
	size_t len;          /* input length, trailing line ends trimmed */
	size_t pos;
	size_t line;         /* physical line of data[pos] */

	buf text;            /* fields of the current record, NUL-separated */
	size_t flen;         /* bytes in the field being read */
	size_t fline;        /* line where that field starts */
	size_t nfields, cap;
	size_t *offs, *lens;
	char **fields;

	int failed;          /* a fatal error happened; err holds it */
	int bad;             /* the current record has an error; err holds it */
	csv_error err;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();   /* same policy as buf: no memory, no service */
	return p;
}

static void set_error(csv_reader *r, size_t line, const char *fmt, va_list ap)
{
	r->err.line = line;
	r->err.column = r->nfields + 1;
	vsnprintf(r->err.message, sizeof r->err.message, fmt, ap);
}

/* A broken structure: stop here for good. */
__attribute__((format(printf, 3, 4)))
static void fail(csv_reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(r, line, fmt, ap);
	va_end(ap);
	r->err.fatal = 1;
	r->failed = 1;
}

/* A bad field in a sound record: remember the first, finish the record. */
__attribute__((format(printf, 3, 4)))
static void flag(csv_reader *r, size_t line, const char *fmt, ...)
{
	if (r->bad)
		return;
	va_list ap;
	va_start(ap, fmt);
	set_error(r, line, fmt, ap);
	va_end(ap);
	r->err.fatal = 0;
	r->bad = 1;
}

/*
 * Look at the content byte at pos: count line breaks, check the encoding.
 * Returns how many bytes belong to this character.
 */
static size_t step(csv_reader *r)
{
	const unsigned char *p = (const unsigned char *)r->data + r->pos;
	size_t left = r->len - r->pos;

	if (p[0] == '\n' || (p[0] == '\r' && (left == 1 || p[1] != '\n'))) {
		r->line++;   /* a CRLF pair is counted at its LF */
		return 1;
	}
	if (p[0] == '\0') {
		flag(r, r->line, "NUL byte in field");
		return 1;
	}
	size_t n = utf8_next((const char *)p, left, NULL);
	if (n)
		return n;
	flag(r, r->line, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", p[0]);
	return 1;
}

/* Add data[from, to) to the current field, unless it is already too long. */
static void take(csv_reader *r, size_t from, size_t to)
{
	size_t n = to - from;
	if (r->flen + n > CSV_MAX_FIELD) {
		flag(r, r->fline, "field longer than %d bytes", CSV_MAX_FIELD);
		r->flen = CSV_MAX_FIELD + 1;   /* keep refusing, copy nothing more */
		return;
	}
	buf_add(&r->text, r->data + from, n);
	r->flen += n;
}

static int quoted_field(csv_reader *r)
{
	size_t start_line = r->line;
	size_t run = ++r->pos;   /* past the opening quote */

	while (r->pos < r->len) {
		if (r->data[r->pos] != '"') {
			r->pos += step(r);
			continue;
		}
		take(r, run, r->pos);
		if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
			take(r, r->pos, r->pos + 1);   /* "" stands for one quote */
			r->pos += 2;
			run = r->pos;
			continue;
		}
		r->pos++;   /* the closing quote */
		return 0;
	}
	fail(r, start_line, "unterminated quoted field starting on line %zu", start_line);
	return -1;
}

static int plain_field(csv_reader *r)
{
	size_t run = r->pos;

	while (r->pos < r->len) {
		char c = r->data[r->pos];
		if (c == ',' || c == '\n' || c == '\r')
			break;
		if (c == '"') {
			fail(r, r->line, "quote inside an unquoted field; "
			     "quote the whole field and double the quotes inside it");
			return -1;
		}
		r->pos += step(r);
	}
	take(r, run, r->pos);
	return 0;
}

/* After a field: 1 if another follows, 0 at the end of the record, -1 on error. */
static int field_end(csv_reader *r)
{
	if (r->pos >= r->len)
		return 0;
	char c = r->data[r->pos++];
	if (c == ',')
		return 1;
	if (c == '\r' && r->pos < r->len && r->data[r->pos] == '\n')
		r->pos++;
	if (c == '\r' || c == '\n') {
		r->line++;
		return 0;
	}
	r->pos--;
	fail(r, r->line, "text after a closing quote; a quoted field must end "
	     "at a comma or at the end of the line");
	return -1;
}

/* Close the current field: NUL-terminate it and remember where it starts. */
static void push_field(csv_reader *r, size_t start)
{
	buf_putc(&r->text, '\0');
	if (r->nfields == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->offs = xrealloc(r->offs, r->cap * sizeof *r->offs);
		r->lens = xrealloc(r->lens, r->cap * sizeof *r->lens);
		r->fields = xrealloc(r->fields, r->cap * sizeof *r->fields);
	}
	r->offs[r->nfields] = start;
	r->lens[r->nfields] = r->text.len - 1 - start;
	r->nfields++;
}

/* Parse one record into r->text; 0 when done, -1 on a fatal error. */
static int read_record(csv_reader *r)
{
	for (;;) {
		size_t start = r->text.len;
		r->flen = 0;
		r->fline = r->line;
		int rc = r->pos < r->len && r->data[r->pos] == '"'
		       ? quoted_field(r) : plain_field(r);
		if (rc < 0)
			return -1;
		rc = field_end(r);   /* before push_field: errors name this field */
		if (rc < 0)
			return -1;
		push_field(r, start);
		if (rc == 0)
			return 0;
	}
}

csv_reader *csv_open(const char *data, size_t len)
{
	csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/* Line ends at the very end only terminate the last record (or are
	 * blank lines); trimming them once here keeps csv_next linear. */
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	r->data = data;
	r->len = len;
	r->line = 1;
	return r;
}

int csv_next(csv_reader *r, csv_row *row, csv_error *err)
{
	if (r->failed) {
		*err = r->err;
		return -1;
	}
	if (r->pos >= r->len)
		return 0;

	size_t line = r->line;
	buf_reset(&r->text);
	r->nfields = 0;
	r->bad = 0;
	if (read_record(r) < 0 || r->bad) {
		*err = r->err;
		return -1;
	}
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->text.data + r->offs[i];
	row->nfields = r->nfields;
	row->fields = r->fields;
	row->lens = r->lens;
	row->line = line;
	return 1;
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	buf_free(&r->text);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r);
}

/* ---- writer ----------------------------------------------------------- */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static int needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (is_blank(s[0]) || is_blank(s[n - 1]))
		return 1;   /* many readers trim unquoted blanks */
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

static void write_quoted(buf *b, const char *prefix, const char *s, size_t n)
{
	buf_putc(b, '"');
	buf_puts(b, prefix);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		buf_add(b, s + run, i + 1 - run);   /* the quote itself ... */
		buf_putc(b, '"');                   /* ... and its double */
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
}

static void write_field(buf *b, const char *prefix, const char *s, size_t n, int first)
{
	if (!first)
		buf_putc(b, ',');
	if (needs_quotes(s, n)) {
		write_quoted(b, prefix, s, n);
		return;
	}
	buf_puts(b, prefix);
	buf_add(b, s, n);
}

/* What a spreadsheet would run as a formula, and the apostrophe itself, so
 * that an apostrophe of the data is never taken for the guard. */
static int guarded(char c) { return c != '\0' && strchr("=+-@\t\r'", c) != NULL; }

void csv_field(buf *b, const char *s, size_t n, int first_in_row)
{
	write_field(b, n > 0 && guarded(s[0]) ? "'" : "", s, n, first_in_row);
}

const char *csv_unguard(const char *s) { return s[0] == '\'' && guarded(s[1]) ? s + 1 : s; }

void csv_field_raw(buf *b, const char *s, size_t n, int first_in_row)
{
	write_field(b, "", s, n, first_in_row);
}

void csv_end_row(buf *b) { buf_add(b, "\r\n", 2); }

/* ---- lists in one cell ------------------------------------------------ */

static int list_special(char c) { return c == ';' || c == '\\'; }

void csv_list_item(buf *cell, const char *item, size_t n, int first)
{
	if (!first)
		buf_add(cell, "; ", 2);
	for (size_t i = 0; i < n; i++) {
		int edge_space = item[i] == ' ' && (i == 0 || i == n - 1);
		if (edge_space || list_special(item[i]))
			buf_putc(cell, '\\');
		buf_putc(cell, item[i]);
	}
}

int csv_list_next(const char *cell, size_t len, size_t *pos, buf *item)
{
	for (;;) {
		size_t i = *pos, kept = 0;   /* kept: the item's length without unescaped trailing spaces */
		if (i >= len)
			return 0;
		buf_reset(item);
		for (; i < len && cell[i] != ';'; i++) {
			char c = cell[i];
			int escaped = c == '\\' && i + 1 < len && (list_special(cell[i + 1]) || cell[i + 1] == ' ');
			if (escaped)
				c = cell[++i];
			else if (c == ' ' && item->len == 0)
				continue;   /* a space before the item */
			buf_putc(item, c);
			if (escaped || c != ' ')
				kept = item->len;
		}
		*pos = i < len ? i + 1 : i;
		if (kept) {
			item->len = kept;
			item->data[kept] = '\0';   /* a buf stays NUL-terminated */
			return 1;
		}
	}
}
