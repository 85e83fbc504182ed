/*
 * contentline — see contentline.h.
 */
#include "formats/contentline.h"

#include <string.h>

#include "core/utf8.h"

#define LINE_MAX_OCTETS 75   /* RFC 5545 3.1 and RFC 6350 3.2, not counting the CRLF */


void cl_piece(cl_line *l, const char *s, size_t n)
{
	if (l->col + n > LINE_MAX_OCTETS) {
		buf_add(l->b, "\r\n ", 3);
		l->col = 1;   /* the leading space is part of the line */
	}
	buf_add(l->b, s, n);
	l->col += n;
}

/* A line break in the source text, in whichever of its three forms. */
static void put_break(cl_line *l, cl_mode m)
{
	if (m == CL_TEXT || m == CL_VTEXT)
		cl_piece(l, "\\n", 2);
	else if (m == CL_PARAM)
		cl_piece(l, " ", 1);
	/* RAW values have no way to hold one: dropped */
}

static void put_ascii(cl_line *l, char c, cl_mode m)
{
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return;   /* CONTROL characters are excluded from every value */
	if (m == CL_PARAM && c == '"')
		return;   /* no escape exists for DQUOTE inside a parameter */
	if ((m == CL_TEXT || m == CL_VTEXT) && (c == '\\' || c == ',' || (c == ';' && m == CL_TEXT))) {
		char e[2] = { '\\', c };
		cl_piece(l, e, 2);
		return;
	}
	cl_piece(l, &c, 1);
}

/* Append s (NULL is nothing) in the given mode. */
void cl_put(cl_line *l, const char *s, cl_mode m)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return;
	while (*p) {
		size_t n = utf8_next((const char *)p, strnlen((const char *)p, 4), NULL);
		if (n == 0) {
			cl_piece(l, "\xEF\xBF\xBD", 3);   /* U+FFFD for each broken byte */
			p++;
		} else if (n > 1) {
			cl_piece(l, (const char *)p, n);
			p += n;
		} else if (*p == '\r' || *p == '\n') {
			p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
			put_break(l, m);
		} else {
			put_ascii(l, (char)*p++, m);
		}
	}
}

cl_line cl_begin(buf *b, const char *name)
{
	cl_line l = { b, 0 };
	cl_put(&l, name, CL_RAW);
	return l;
}

void cl_end(cl_line *l) { buf_add(l->b, "\r\n", 2); }

void cl_prop(buf *b, const char *name, const char *value, cl_mode m)
{
	if (!value || !*value)
		return;
	cl_line l = cl_begin(b, name);
	cl_piece(&l, ":", 1);
	cl_put(&l, value, m);
	cl_end(&l);
}

void cl_text_prop(buf *b, const char *name, const char *value) { cl_prop(b, name, value, CL_TEXT); }
