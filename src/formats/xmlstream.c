/*
 * xmlstream — a document walked node by node, refused with its line; text
 * escaped for XML; language tags (see xmlstream.h).
 *
 * libxml2's reader builds each node and frees it once the walk is past it,
 * so memory follows the depth of the document and the longest text node,
 * never its length.  Its parser reads ahead of the node the walk is on, so
 * the parser's own complaint (a broken tag further down) is kept apart
 * from the walk's and told only when the walk reaches it: the fault
 * reported is always the first in the document.
 */
#include "formats/xmlstream.h"

#include <libxml/hash.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/utf8.h"

/* No DTD loaded, no entity substituted, nothing fetched; CDATA as text;
 * lines counted past 65,535. */
#define READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The parser's first complaint, kept until the walk reaches it. */
typedef struct parse_fault {
	int seen;
	long line;
	char reason[XMLSTREAM_REASON_MAX];
} parse_fault;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_start(void) { xmlInitParser(); }

static xmlTextReaderPtr R(const xmlstream *x) { return (xmlTextReaderPtr)x->reader; }

/* One line: libxml2's messages end with a newline, some hold others. */
static void one_line(char *dst, size_t size, const char *msg)
{
	size_t n = 0;
	for (; msg && *msg && n + 1 < size; msg++)
		dst[n++] = *msg == '\n' || *msg == '\r' || *msg == '\t' ? ' ' : *msg;
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	parse_fault *f = ctx;
	if (f->seen || !e || e->level < XML_ERR_ERROR)
		return;
	f->seen = 1;
	f->line = e->line;
	one_line(f->reason, sizeof f->reason, e->message ? e->message : "the document is not well-formed XML");
}

static int opened(xmlstream *x, xmlTextReaderPtr r)
{
	if (!r) {
		x->reader = NULL;
		return xmlstream_fail(x, 0, "out of memory opening the document");
	}
	parse_fault *f = calloc(1, sizeof *f);
	if (!f) {
		xmlFreeTextReader(r);
		x->reader = NULL;
		return xmlstream_fail(x, 0, "out of memory opening the document");
	}
	x->reader = r;
	x->parse_fault = f;
	xmlTextReaderSetStructuredErrorHandler(r, on_parse_error, f);
	return 0;
}

int xmlstream_open_memory(xmlstream *x, const char *data, size_t len)
{
	pthread_once(&xml_once, xml_start);
	*x = (xmlstream){ 0 };
	if (len > INT32_MAX)
		return xmlstream_fail(x, 0, "the document is larger than 2 GB: read it from its file");
	return opened(x, xmlReaderForMemory(data ? data : "", (int)len, NULL, NULL, READ_OPTIONS));
}

int xmlstream_open_fd(xmlstream *x, int fd)
{
	pthread_once(&xml_once, xml_start);
	*x = (xmlstream){ 0 };
	return opened(x, xmlReaderForFd(fd, NULL, NULL, READ_OPTIONS));
}

void xmlstream_close(xmlstream *x)
{
	if (!x->reader)
		return;
	xmlFreeTextReader(R(x));
	free(x->parse_fault);
	x->reader = x->parse_fault = NULL;
}

static int read_document(xmlstream *x, const char *root, int (*read_root)(void *ctx), void *ctx)
{
	int r;
	while ((r = xmlstream_next(x)) > 0) {
		if (xmlstream_kind(x) != XS_ELEMENT)
			continue;
		if (root && strcmp(xmlstream_name(x), root) != 0)
			return xmlstream_fail(x, 0, "the document is <%s>, not <%s>", xmlstream_name(x), root);
		if (read_root(ctx))
			return -1;
		while ((r = xmlstream_next(x)) > 0)
			;
		return r;
	}
	if (r < 0)
		return -1;
	return root ? xmlstream_fail(x, 1, "the document has no <%s>", root) : xmlstream_fail(x, 1, "the document has no element");
}

int xmlstream_read(xmlstream *x, const xmlstream_input *in, const char *root, int (*read_root)(void *ctx), void *ctx,
		   xmlstream_error *err)
{
	int rc = in->data ? xmlstream_open_memory(x, in->data, in->len) : xmlstream_open_fd(x, in->fd);
	if (rc == 0)
		rc = read_document(x, root, read_root, ctx);
	if (rc)
		xmlstream_told(x, err);
	xmlstream_close(x);
	return rc;
}

int xmlstream_fail(xmlstream *x, long line, const char *fmt, ...)
{
	if (x->failed)
		return -1;
	x->failed = 1;
	x->line = line ? line : x->reader ? xmlstream_line(x) : 0;
	char reason[XMLSTREAM_REASON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	one_line(x->reason, sizeof x->reason, reason);   /* a value quoted in it may hold line breaks */
	return -1;
}

/* Past line 65,535 libxml2 keeps the exact line of text nodes only (under
 * XML_PARSE_BIG_LINES), as the line where the text ends: an element's line
 * is that of the first text inside it, less the line breaks of that text. */
static long big_line(xmlNodePtr n)
{
	while (n && n->type == XML_ELEMENT_NODE)
		n = n->children;
	if (!n || n->type != XML_TEXT_NODE || !n->psvi)
		return -1;
	long line = (long)(ptrdiff_t)n->psvi;
	for (const xmlChar *c = n->content; c && *c; c++)
		line -= *c == '\n';
	return line;
}

/* An element without text inside it (<e a="1"/>) has no exact line of its
 * own past 65,535; the white space before it, the last text node read,
 * ends on the line where the element starts.  The parser's line, which
 * runs ahead of the walk, is the last resort. */
long xmlstream_line(const xmlstream *x)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(R(x));
	long line = !n ? -1 : n->line == 65535 ? big_line(n) : xmlGetLineNo(n);
	if (line <= 0 && n && n->line == 65535 && n->type == XML_ELEMENT_NODE)
		line = x->text_line;
	return line > 0 ? line : xmlTextReaderGetParserLineNumber(R(x));
}

/* Past line 65,535, where each text node ends, for the element after it. */
static void note_text_line(xmlstream *x)
{
	if (xmlstream_kind(x) != XS_TEXT)
		return;
	xmlNodePtr n = xmlTextReaderCurrentNode(R(x));
	if (n && n->line == 65535 && n->psvi)
		x->text_line = (long)(ptrdiff_t)n->psvi;
}

static int parse_failed(xmlstream *x)
{
	const parse_fault *f = x->parse_fault;
	if (f && f->seen)
		return xmlstream_fail(x, f->line, "not well-formed XML: %s", f->reason);
	return xmlstream_fail(x, xmlTextReaderGetParserLineNumber(R(x)), "not well-formed XML");
}

static int declares_entities(xmlNodePtr n)
{
	if (!n || n->type != XML_DTD_NODE)
		return 0;
	xmlDtdPtr dtd = (xmlDtdPtr)n;
	return (dtd->entities && xmlHashSize(dtd->entities) > 0) || (dtd->pentities && xmlHashSize(dtd->pentities) > 0);
}

/* The entities a DOCTYPE declares and the references to them are the way to
 * another machine's files and to expansion bombs: neither is followed. */
static int refuse_entities(xmlstream *x)
{
	int type = x->type;
	if (type == XML_READER_TYPE_DOCUMENT_TYPE && declares_entities(xmlTextReaderCurrentNode(R(x))))
		return xmlstream_fail(x, 0, "the DOCTYPE declares entities, which are not read");
	if (type == XML_READER_TYPE_ENTITY_REFERENCE || type == XML_READER_TYPE_ENTITY)
		return xmlstream_fail(x, 0, "a reference to the entity &%s;, which is not read",
				      (const char *)xmlTextReaderConstName(R(x)));
	return 0;
}

int xmlstream_next(xmlstream *x)
{
	if (x->failed)
		return -1;
	int r = xmlTextReaderRead(R(x));
	if (r < 0)
		return parse_failed(x);
	if (r == 0)
		return 0;
	x->type = xmlTextReaderNodeType(R(x));
	note_text_line(x);
	return refuse_entities(x) ? -1 : 1;
}

int xmlstream_children(const xmlstream *x) { return xmlstream_empty(x) ? -1 : xmlstream_depth(x); }

int xmlstream_child(xmlstream *x, int depth)
{
	if (depth < 0)
		return 0;
	int r = xmlstream_next(x);
	if (r == 0)
		return xmlstream_fail(x, 0, "the document ends inside an element");
	if (r < 0)
		return -1;
	return xmlstream_kind(x) == XS_END && xmlstream_depth(x) == depth ? 0 : 1;
}

int xmlstream_child_element(xmlstream *x, int depth)
{
	int r;
	while ((r = xmlstream_child(x, depth)) > 0 && xmlstream_kind(x) != XS_ELEMENT)
		;
	return r;
}

int xmlstream_skip(xmlstream *x)
{
	int depth = xmlstream_children(x), r;
	while ((r = xmlstream_child(x, depth)) > 0)
		;
	return r;
}

xmlstream_node xmlstream_kind(const xmlstream *x)
{
	switch (x->type) {
	case XML_READER_TYPE_ELEMENT: return XS_ELEMENT;
	case XML_READER_TYPE_END_ELEMENT: return XS_END;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: return XS_TEXT;
	default: return XS_OTHER;
	}
}

const char *xmlstream_name(const xmlstream *x)
{
	const xmlChar *name = xmlTextReaderConstName(R(x));
	return name ? (const char *)name : "";
}

const char *xmlstream_local_name(const xmlstream *x)
{
	const xmlChar *name = xmlTextReaderConstLocalName(R(x));
	return name ? (const char *)name : "";
}

const char *xmlstream_namespace(const xmlstream *x)
{
	const xmlChar *uri = xmlTextReaderConstNamespaceUri(R(x));
	return uri ? (const char *)uri : "";
}

int xmlstream_depth(const xmlstream *x) { return xmlTextReaderDepth(R(x)); }
int xmlstream_empty(const xmlstream *x) { return xmlTextReaderIsEmptyElement(R(x)) == 1; }

const char *xmlstream_text(const xmlstream *x)
{
	const xmlChar *v = xmlTextReaderConstValue(R(x));
	return v ? (const char *)v : "";
}

int xmlstream_attributes(xmlstream *x, const char *const *names, size_t n, buf *store, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		at[i] = (size_t)-1;
	for (int r = xmlTextReaderMoveToFirstAttribute(R(x)); r == 1; r = xmlTextReaderMoveToNextAttribute(R(x))) {
		const char *name = (const char *)xmlTextReaderConstName(R(x));
		for (size_t i = 0; name && i < n; i++) {
			if (strcmp(name, names[i]) != 0)
				continue;
			at[i] = store->len;
			buf_puts(store, xmlstream_text(x));   /* copied now: the value lives only until the next move */
			buf_add(store, "", 1);
		}
	}
	xmlTextReaderMoveToElement(R(x));
	return 0;
}

int xmlstream_element_text(xmlstream *x, buf *store)
{
	int depth = xmlstream_children(x), r;
	while ((r = xmlstream_child(x, depth)) > 0)
		if (xmlstream_kind(x) == XS_TEXT)
			buf_puts(store, xmlstream_text(x));
	buf_add(store, "", 1);
	return r;
}

int xmlstream_error_set(xmlstream_error *err, long line, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->line = line;
	char reason[XMLSTREAM_REASON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	one_line(err->reason, sizeof err->reason, reason);
	return -1;
}

void xmlstream_told(const xmlstream *x, xmlstream_error *err)
{
	if (err)
		xmlstream_error_set(err, x->line, "%s", x->reason);
}

/* Whether text is in NFC as it stands, known from its characters alone:
 * below U+0300 (Latin letters, accented or not), general punctuation and
 * currency signs, CJK ideographs, none of which decomposes or combines
 * with what comes before it. */
static int nfc_already(const char *s, size_t n)
{
	for (size_t k = 0; k < n;) {
		uint32_t c;
		size_t len = (unsigned char)s[k] < 0x80 ? (c = 0, 1) : utf8_next(s + k, n - k, &c);
		if (len == 0 || !(c < 0x300 || (c >= 0x2010 && c <= 0x20BF) || (c >= 0x4E00 && c <= 0x9FFF)))
			return 0;
		k += len;
	}
	return 1;
}

int xmlstream_nfc(buf *b, const char *s, size_t n)
{
	if (nfc_already(s, n)) {
		buf_add(b, s, n);
		return 0;
	}
	char *nfc = text_nfc(s, n);
	if (!nfc)
		return -1;
	buf_puts(b, nfc);
	free(nfc);
	return 0;
}

/* ---- writing ----------------------------------------------------------- */

int xmlstream_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
	       (c >= 0x10000 && c <= 0x10FFFF);
}

static const char *escape_of(char c, int attribute)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";   /* "]]>" may not stand in text */
	case '\r': return "&#13;"; /* a bare CR reads back as LF */
	case '"': return attribute ? "&quot;" : NULL;
	case '\t': return attribute ? "&#9;" : NULL;    /* attribute values read white space as spaces */
	case '\n': return attribute ? "&#10;" : NULL;
	default: return NULL;
	}
}

int xmlstream_put(buf *b, const char *s, size_t n, int attribute, size_t *bad)
{
	size_t start = b->len, i = 0, run = 0;
	while (i < n) {
		uint32_t c;
		size_t len = (unsigned char)s[i] < 0x80 ? (c = (unsigned char)s[i], 1) : utf8_next(s + i, n - i, &c);
		if (len == 0 || !xmlstream_char(c)) {
			b->len = start;
			if (b->data)
				b->data[start] = '\0';
			if (bad)
				*bad = i;
			return -1;
		}
		const char *esc = len == 1 ? escape_of(s[i], attribute) : NULL;
		if (esc) {
			buf_add(b, s + run, i - run);
			buf_puts(b, esc);
			run = i + 1;
		}
		i += len;
	}
	buf_add(b, s + run, n - run);
	return 0;
}

int xmlstream_put_attr(buf *b, const char *name, const char *value)
{
	if (!value || !*value)
		return 0;
	size_t mark = b->len;
	buf_putc(b, ' ');
	buf_puts(b, name);
	buf_puts(b, "=\"");
	if (xmlstream_put(b, value, strlen(value), 1, NULL)) {
		b->len = mark;
		b->data[mark] = '\0';
		return -1;
	}
	buf_putc(b, '"');
	return 0;
}

void xmlstream_put_number(buf *b, unsigned v)
{
	char digits[12];
	int n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		buf_putc(b, digits[--n]);
}

int xmlstream_out_flush(xmlstream_out *o, int all, xmlstream_error *err)
{
	if (!all && o->b.len < XMLSTREAM_CHUNK)
		return 0;
	if (o->b.len && !o->broken && o->write(o->ctx, o->b.data, o->b.len))
		o->broken = 1;
	buf_reset(&o->b);
	return o->broken ? xmlstream_error_set(err, 0, "the output refused the document") : 0;
}

void xmlstream_out_undo(xmlstream_out *o, size_t mark)
{
	o->b.len = mark;
	if (o->b.data)
		o->b.data[mark] = '\0';
}

/* ---- languages --------------------------------------------------------- */

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_letter(c) || (c >= '0' && c <= '9'); }

int xmlstream_lang(const char *tag, char primary[4])
{
	size_t i = 0;
	while (is_letter(tag[i]))
		i++;
	if (i < 2 || i > 3)
		return -1;
	for (size_t k = 0; k < i; k++)
		primary[k] = (char)(tag[k] | 0x20);
	primary[i] = '\0';
	while (tag[i]) {
		if (tag[i] != '-' && tag[i] != '_')
			return -1;
		size_t from = ++i;
		while (is_alnum(tag[i]))
			i++;
		if (i == from || i - from > 8)
			return -1;
	}
	return 0;
}

int xmlstream_lang_known(const char *primary, const char *const *list)
{
	if (!list)
		return 1;
	for (; *list; list++)
		if (strcmp(*list, primary) == 0)
			return 1;
	return 0;
}
