/*
 * contentline — the content lines of vCard (RFC 6350) and iCalendar (RFC
 * 5545): NAME;PARAM=VALUE:VALUE, CRLF-terminated, folded before 75 octets.
 *
 * The line writer counts the octets on the current physical line and folds
 * before a piece that would not fit.  The pieces it is given are whole
 * characters or whole escapes ("\," "\n"), which keeps folding from
 * splitting a UTF-8 sequence or an escape: the RFCs would allow the split,
 * but many readers unfold after decoding and then show garbage.
 */
#ifndef LIAISON_CONTENTLINE_H
#define LIAISON_CONTENTLINE_H

#include <stddef.h>

#include "core/buf.h"

/* How a value's characters are written. */
typedef enum {
	CL_RAW,    /* names, numbers, times, URIs: as given, controls and line breaks dropped */
	CL_TEXT,   /* iCalendar TEXT and vCard components (N, ADR, ORG): \ ; , escaped, line breaks as \n */
	CL_VTEXT,  /* vCard's plain text (RFC 6350 3.3 "text"): the same, but ';' as it is, for "\;"
	            * is no escape there and strict readers keep the backslash */
	CL_PARAM,  /* parameter values: DQUOTE dropped, line breaks become spaces */
} cl_mode;

typedef struct cl_line {
	buf *b;
	size_t col;   /* octets already on the current physical line */
} cl_line;

cl_line cl_begin(buf *b, const char *name);           /* starts a line with its name (raw) */
void cl_piece(cl_line *l, const char *s, size_t n);   /* n octets that must stay together */
void cl_put(cl_line *l, const char *s, cl_mode m);    /* a value (NULL is nothing); broken UTF-8 → U+FFFD */
void cl_end(cl_line *l);                              /* CRLF */
/* NAME:VALUE as a whole line, the value written in mode m; nothing when the
 * value is NULL or empty.  cl_text_prop is the CL_TEXT case. */
void cl_prop(buf *b, const char *name, const char *value, cl_mode m);
void cl_text_prop(buf *b, const char *name, const char *value);

#endif
