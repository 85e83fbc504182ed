/*
 * xmlstream — what the streaming XML codecs of the translation tools (TMX,
 * TBX, XLIFF) share: a reader that walks a document node by node over
 * libxml2's xmlTextReader and refuses it with a line and a one-line
 * reason, and the writing of text and language tags as XML carries them.
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
#include <stdint.h>

#include "core/buf.h"

#define XMLSTREAM_REASON_MAX 256

/* What a refusal says, to the codecs' callers: the line (0 when no line
 * applies) and why, in one line. */
typedef struct xmlstream_error {
	long line;
	char reason[XMLSTREAM_REASON_MAX];
} xmlstream_error;

/* Sets *err (when not NULL) to line and the reason; returns -1. */
int xmlstream_error_set(xmlstream_error *err, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

typedef struct xmlstream {
	void *reader;                 /* libxml2's xmlTextReader */
	void *parse_fault;            /* the parser's first complaint, told when the walk reaches it */
	int type;                     /* the current node's type, asked of libxml2 once (it costs a scan of text) */
	int failed;                   /* a reason is set: the first fault is the one told */
	long text_line;               /* past line 65,535: the line where the last text node read ends */
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

/* What a codec reads: len bytes at data, or (data NULL) the open file fd. */
typedef struct xmlstream_input {
	const char *data;
	size_t len;
	int fd;
} xmlstream_input;

/* A whole document read: opens x on in, walks to the root element, which
 * must be named root (or, root NULL, any: read_root judges it, by its
 * namespace say), calls read_root(ctx) on it, then reads on to the
 * end of the document (where a fault may still be), and closes x.  0, or
 * -1 with *err (when not NULL) set from x's reason. */
int xmlstream_read(xmlstream *x, const xmlstream_input *in, const char *root, int (*read_root)(void *ctx), void *ctx,
		   xmlstream_error *err);

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
const char *xmlstream_local_name(const xmlstream *x);   /* its name without its prefix */
const char *xmlstream_namespace(const xmlstream *x);    /* its namespace's URI; "" when it has none */
int xmlstream_depth(const xmlstream *x);
int xmlstream_empty(const xmlstream *x);          /* 1 on an element written <e/> */
long xmlstream_line(const xmlstream *x);          /* the current node's line */
const char *xmlstream_text(const xmlstream *x);   /* a text node's text, valid until the next move */

/* Copies the values of the current element's attributes named in names
 * (n of them, qualified names) into store, each NUL-terminated, and their
 * offsets into at[i]; (size_t)-1 for one absent.  0 or -1. */
int xmlstream_attributes(xmlstream *x, const char *const *names, size_t n, buf *store, size_t *at);

/* Copies the reader's refusal into *err (when not NULL). */
void xmlstream_told(const xmlstream *x, xmlstream_error *err);

/* Appends the text inside the current element to store, that of the
 * elements inside it too (inline markup, <hi>), then a NUL; the reader is
 * left on the element's end.  0 or -1. */
int xmlstream_element_text(xmlstream *x, buf *store);

/* Appends s (n bytes of UTF-8) to b in NFC, so that a look-up finds "é"
 * however a tool composed it.  Text most often is already, which is seen
 * from its characters without normalizing.  0, or -1 when s is not UTF-8. */
int xmlstream_nfc(buf *b, const char *s, size_t n);

/* ---- writing ----------------------------------------------------------- */

/* Appends s (n bytes) escaped for an element's content (attribute 0) or
 * an attribute's value in double quotes (attribute 1): & < > always, " and
 * tab and line breaks in an attribute, and a carriage return always, as
 * character references, so that the text reads back byte for byte.  0, or
 * -1 (nothing appended) when s is not UTF-8 or holds a character XML 1.0
 * cannot carry (a control character, U+FFFE, U+FFFF), with *bad (when not
 * NULL) its offset. */
int xmlstream_put(buf *b, const char *s, size_t n, int attribute, size_t *bad);

/* 1 when XML 1.0 can carry the character c (its Char production): no
 * control character but tab and line ends, no surrogate, no U+FFFE, U+FFFF. */
int xmlstream_char(uint32_t c);

/* Appends ' name="value"' (nothing when value is NULL or ""); 0, or -1
 * (nothing appended) as xmlstream_put. */
int xmlstream_put_attr(buf *b, const char *name, const char *value);

void xmlstream_put_number(buf *b, unsigned v);   /* in decimal, without printf */

/* A document written to a callback in pieces: the writer appends to b,
 * and hands b on once it holds XMLSTREAM_CHUNK bytes or more, so that its
 * memory is a piece and the last record, whatever the document's length. */
#define XMLSTREAM_CHUNK 65536
typedef int (*xmlstream_write_fn)(void *ctx, const char *data, size_t len);   /* 0, or nonzero to stop */
typedef struct xmlstream_out {
	buf b;
	xmlstream_write_fn write;
	void *ctx;
	int broken;   /* the callback refused bytes: nothing more is handed on */
} xmlstream_out;

/* Hands b on when it is full (all 0) or whatever it holds (all 1).  0, or
 * -1 with *err once the callback has refused. */
int xmlstream_out_flush(xmlstream_out *o, int all, xmlstream_error *err);

/* Takes back what was appended since b held mark bytes (a record refused
 * half way leaves nothing). */
void xmlstream_out_undo(xmlstream_out *o, size_t mark);

/* ---- languages --------------------------------------------------------- */

/* Reads a language tag as xml:lang holds it ("en", "en-US", "EN-GB",
 * "es_419"): a primary subtag of 2 or 3 letters, then subtags of 1 to 8
 * letters or digits after "-" (or "_", as some tools write it).  Its
 * primary language lower-cased into primary; 0, or -1 when it is no tag. */
int xmlstream_lang(const char *tag, char primary[4]);

/* 1 when primary is one of list (ending with NULL), or list is NULL. */
int xmlstream_lang_known(const char *primary, const char *const *list);

#endif
