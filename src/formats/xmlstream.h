/*
 * xmlstream — what the streaming XML codecs of the translation tools (TMX,
 * TBX) share: a reader that walks a document node by node over libxml2's
 * xmlTextReader and refuses it with a line and a one-line reason, and the
 * writing of text and language tags as XML carries them.
 *
 * The reader never loads a DTD, never reaches the network and expands no
 * entity: a DOCTYPE that declares entities is refused as soon as it is
 * seen, and so is a reference to an entity other than XML's five, so that
 * neither a file on another machine nor an expansion bomb can be reached
 * through a document.  Line numbers beyond 65,535 are exact.
 */
#ifndef LIAISON_XMLSTREAM_H
#define LIAISON_XMLSTREAM_H

#include <stddef.h>

#include "core/buf.h"

#define XMLSTREAM_REASON_MAX 256

typedef struct xmlstream {
	void *reader;                 /* libxml2's xmlTextReader */
	void *parse_fault;            /* the parser's first complaint, told when the walk reaches it */
	int failed;                   /* a reason is set: the first fault is the one told */
	long line;
	char reason[XMLSTREAM_REASON_MAX];
} xmlstream;

/* What kind of node the reader is on. */
typedef enum xmlstream_node {
	XS_OTHER,      /* a comment, a processing instruction, a DOCTYPE without entities */
	XS_ELEMENT,    /* a start tag, or an empty element */
	XS_END,        /* an end tag */
	XS_TEXT,       /* text, CDATA or whitespace */
} xmlstream_node;

/* Opens a reader over len bytes at data (which must outlive it) or over an
 * open file; 0, or -1 (out of memory) with the reason set. */
int xmlstream_open_memory(xmlstream *x, const char *data, size_t len);
int xmlstream_open_fd(xmlstream *x, int fd);
void xmlstream_close(xmlstream *x);

/* Sets the reason (the first only) and returns -1.  line 0 is the current node's. */
int xmlstream_fail(xmlstream *x, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The next node in document order: 1 on it, 0 at the end of the document,
 * -1 when the document is refused (not well-formed, entities). */
int xmlstream_next(xmlstream *x);

/* The children of the element the reader is on are walked with
 *
 *	int depth = xmlstream_children(x), r;
 *	while ((r = xmlstream_child(x, depth)) != 0) { if (r < 0) return -1; ... }
 *
 * xmlstream_child moves to the next node inside that element: 1 on it, 0
 * on the element's end tag (at once for an empty element, <e/>), -1 when
 * the document is refused or ends first.  A child element is read or
 * skipped to its own end before the next call. */
int xmlstream_children(const xmlstream *x);
int xmlstream_child(xmlstream *x, int depth);

/* The same for the child elements alone: the text and comments between
 * them are passed over (where a format holds elements only, its
 * indentation). */
int xmlstream_child_element(xmlstream *x, int depth);

/* Past the content of the element the reader is on, to its end tag
 * (nothing to do for an empty element).  0 or -1. */
int xmlstream_skip(xmlstream *x);

xmlstream_node xmlstream_kind(const xmlstream *x);
const char *xmlstream_name(const xmlstream *x);   /* an element's qualified name ("xml:lang" style) */
int xmlstream_depth(const xmlstream *x);
int xmlstream_empty(const xmlstream *x);          /* 1 on an element written <e/> */
long xmlstream_line(const xmlstream *x);          /* the current node's line */
const char *xmlstream_text(const xmlstream *x);   /* a text node's text, valid until the next move */

/* Copies the values of the current element's attributes named in names
 * (n of them, qualified names) into store, each NUL-terminated, and their
 * offsets into at[i]; (size_t)-1 for one absent.  0 or -1. */
int xmlstream_attributes(xmlstream *x, const char *const *names, size_t n, buf *store, size_t *at);

/* Appends the text inside the current element, which holds only text, to
 * store, then a NUL; 0, or -1 with the reason (an element inside). */
int xmlstream_element_text(xmlstream *x, buf *store);

/* ---- writing ----------------------------------------------------------- */

/* Appends s (n bytes) escaped for an element's content (attribute 0) or
 * an attribute's value in double quotes (attribute 1): & < > always, " and
 * tab and line breaks in an attribute, and a carriage return always, as
 * character references, so that the text reads back byte for byte.  0, or
 * -1 (nothing appended) when s is not UTF-8 or holds a character XML 1.0
 * cannot carry (a control character, U+FFFE, U+FFFF), with *bad (when not
 * NULL) its offset. */
int xmlstream_put(buf *b, const char *s, size_t n, int attribute, size_t *bad);

/* ---- languages --------------------------------------------------------- */

/* Reads a language tag as xml:lang holds it ("en", "en-US", "EN-GB",
 * "es_419"): a primary subtag of 2 or 3 letters, then subtags of 1 to 8
 * letters or digits after "-" (or "_", as some tools write it).  Its
 * primary language lower-cased into primary; 0, or -1 when it is no tag. */
int xmlstream_lang(const char *tag, char primary[4]);

/* 1 when primary is one of list (ending with NULL), or list is NULL. */
int xmlstream_lang_known(const char *primary, const char *const *list);

#endif
