/*
 * extract — the text of PDF, DOCX and ODT documents; see extract.h.
 *
 * Every reader writes through one sink, which owns what the text looks like
 * (paragraphs, white space, ligatures, the cap on its length), so that the
 * three formats give the same text for the same document, and a language
 * version in PDF compares with its original in DOCX.
 *
 * DOCX and ODT are ZIP packages of XML.  libzip reads the one part that
 * holds the text, never more of it than max_unzipped, whatever the archive
 * declares: a zip bomb stops at the cap.  libxml2 reads the part as a SAX
 * stream, without building a tree, through handlers that refuse a DTD
 * (which no document needs, and which alone could define entities or fetch
 * anything), and that know the few elements that matter from a table per
 * format: a paragraph, a run of text, a tab, a break, what to skip.
 *
 * PDF has no paragraphs, only lines placed on pages.  poppler gives each
 * page's text in reading order, one line at a time, and where each
 * character lies; the paragraphs are found again from that geometry: a
 * line ends its paragraph when a gap follows it, when the next line is of
 * another size (a heading), when the next line begins with a bullet, or
 * when it ends a sentence so far short of the right margin that the next
 * line's first word would have fitted there.  A word hyphenated across two
 * lines is joined again.  Running heads and feet, page numbers among them,
 * are left out: the lines at a page's top or bottom that a page nearby
 * repeats at the same height, but for their numbers.  With them out of the
 * way, a paragraph that a page break cuts goes on on the next page.
 */
#include "formats/extract.h"

#include <limits.h>
#include <poppler.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <utf8proc.h>
#include <zip.h>

#include "core/errmsg.h"
#include "core/fold.h"
#include "core/utf8.h"

#define HEADER_REACH 1024      /* readers look for "%PDF-" this far in */
#define MIME_MAX 128           /* the longest mimetype file worth reading */
#define MANIFEST_MAX (1 << 20) /* an ODF manifest lists the parts: a few kilobytes */
#define XML_DEPTH 128          /* deeper nesting is an attack on the stack, not a document */
#define XML_CHUNK (1 << 20)    /* bytes handed to the XML parser at a time */
#define ZIP_CHUNK (1 << 16)    /* bytes unpacked at a time */
#define OLE_MAGIC "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"   /* a Compound File: .doc, or an encrypted DOCX */

#define ODT_MIMETYPE "application/vnd.oasis.opendocument.text"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

const extract_limits extract_default_limits = {
	.max_text = 16u << 20,
	.max_unzipped = 64u << 20,
	.max_pages = 2000,
};

/* ---- the sink: what the text looks like --------------------------------- */

enum { OWE_NOTHING, OWE_SPACE, OWE_TAB };   /* the white space due before the next character */

typedef struct sink {
	buf *out;
	size_t start;     /* out->len before this document: the cap counts from here */
	size_t max;       /* bytes of text allowed */
	int in_para;      /* a character was written since the last paragraph's end */
	int owed;         /* OWE_*: white space seen, written only if a character follows */
	int over;         /* the cap was reached: the document is refused */
} sink;

static void sink_put(sink *s, const char *p, size_t n)
{
	size_t used = s->out->len - s->start;
	int newline = !s->in_para && used > 0, owed = s->in_para && s->owed != OWE_NOTHING;
	if (s->over || n + (size_t)newline + (size_t)owed > s->max - used) {
		s->over = 1;
		return;
	}
	if (newline)
		buf_putc(s->out, '\n');
	if (owed)
		buf_putc(s->out, s->owed == OWE_TAB ? '\t' : ' ');
	buf_add(s->out, p, n);
	s->in_para = 1;
	s->owed = OWE_NOTHING;
}

/* White space at the start or the end of a paragraph is never written. */
static void sink_space(sink *s)
{
	if (s->owed == OWE_NOTHING)
		s->owed = OWE_SPACE;
}

static void sink_tab(sink *s) { s->owed = OWE_TAB; }

static void sink_break(sink *s)
{
	s->in_para = 0;
	s->owed = OWE_NOTHING;
}

/* Spaces of every width, line and paragraph separators, and the controls:
 * all of them separate words and none shows. */
static int is_white(uint32_t c)
{
	if (c < 0x80)
		return c <= 0x20 || c == 0x7F;
	if (c < 0xA0 || c == 0x2028 || c == 0x2029)
		return 1;
	return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ZS;
}

/* U+FB00 to U+FB06 in letters; NULL for any other character. */
static const char *ligature(uint32_t c)
{
	static const char *const letters[] = { "ff", "fi", "fl", "ffi", "ffl", "st", "st" };
	return c >= 0xFB00 && c <= 0xFB06 ? letters[c - 0xFB00] : NULL;
}

/* The n bytes at p, as text of the open paragraph (or a new one). */
static void sink_text(sink *s, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && !s->over) {
		uint32_t c;
		size_t k = utf8_next(p + i, n - i, &c);
		const char *spelt;
		if (k == 0)
			sink_put(s, "\xEF\xBF\xBD", 3);   /* U+FFFD for a broken sequence */
		else if (is_white(c))
			sink_space(s);
		else if ((spelt = ligature(c)) != NULL)
			sink_put(s, spelt, strlen(spelt));
		else if (c != 0xAD && c != 0xFEFF)    /* soft hyphens and stray byte order marks show nothing */
			sink_put(s, p + i, k);
		i += k ? k : 1;
	}
}

/* ---- words --------------------------------------------------------------- */

static int is_digit(uint32_t c) { return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND; }

/* Whether c, between two word characters (before: a digit or not), keeps
 * them in one word. */
static int joins(uint32_t c, int digit_before, uint32_t after)
{
	if (c == '\'' || c == 0x2019 || c == 0x02BC || c == '-' || c == 0x2010 || c == 0x2011)
		return 1;
	return (c == '.' || c == ',') && digit_before && is_digit(after);
}

size_t extract_count_words(const char *s, size_t n)
{
	size_t words = 0, i = 0;
	int in_word = 0, digit = 0;
	while (i < n) {
		uint32_t c, after = 0;
		size_t k = utf8_next(s + i, n - i, &c);
		if (k == 0) {
			in_word = 0;
			i++;
			continue;
		}
		if (text_word_char((int32_t)c)) {
			words += !in_word;
			in_word = 1;
			digit = is_digit(c);
		} else if (in_word && utf8_next(s + i + k, n - i - k, &after) && text_word_char((int32_t)after) &&
			   joins(c, digit, after)) {
			;   /* the word goes on after it */
		} else {
			in_word = 0;
		}
		i += k;
	}
	return words;
}

/* ---- ZIP packages -------------------------------------------------------- */

typedef enum { PART_OK, PART_MISSING, PART_TOO_LARGE, PART_UNREADABLE } part_status;

/* The archive in the len bytes at data, borrowed, not copied; NULL when it is none. */
static zip_t *zip_from_memory(const unsigned char *data, size_t len)
{
	zip_error_t e;
	zip_error_init(&e);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &e);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &e) : NULL;
	if (src && !za)
		zip_source_free(src);
	zip_error_fini(&e);
	return za;
}

/* Unpacks the part named name (the case of its letters aside, as Office
 * reads them) into out, never more than max bytes of it. */
static part_status read_part(zip_t *za, const char *name, size_t max, buf *out)
{
	zip_int64_t at = zip_name_locate(za, name, ZIP_FL_NOCASE);
	if (at < 0)
		return PART_MISSING;
	zip_stat_t st;
	if (zip_stat_index(za, (zip_uint64_t)at, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > max)
		return PART_TOO_LARGE;
	zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)at, 0);
	if (!f)
		return PART_UNREADABLE;
	part_status status = PART_OK;
	char chunk[ZIP_CHUNK];
	zip_int64_t got;
	while ((got = zip_fread(f, chunk, sizeof chunk)) > 0) {
		if ((size_t)got > max - out->len) {   /* the archive lied about the size */
			status = PART_TOO_LARGE;
			break;
		}
		buf_add(out, chunk, (size_t)got);
	}
	if (got < 0 && status == PART_OK)
		status = PART_UNREADABLE;
	zip_fclose(f);
	return status;
}

static doc_type package_type(zip_t *za)
{
	buf mime = BUF_INIT;
	doc_type type = DOC_UNKNOWN;
	if (read_part(za, "mimetype", MIME_MAX, &mime) == PART_OK)
		type = strcmp(buf_str(&mime), ODT_MIMETYPE) == 0 && mime.len == strlen(ODT_MIMETYPE) ? DOC_ODT : DOC_UNKNOWN;
	else if (zip_name_locate(za, "word/document.xml", ZIP_FL_NOCASE) >= 0)
		type = DOC_DOCX;
	else if (zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
		type = DOC_XLSX;
	buf_free(&mime);
	return type;
}

/* ---- sniffing ------------------------------------------------------------ */

static int looks_pdf(const unsigned char *data, size_t len)
{
	size_t window = len < HEADER_REACH ? len : HEADER_REACH;
	return window >= 5 && memmem(data, window, "%PDF-", 5) != NULL;
}

doc_type extract_sniff(const unsigned char *data, size_t len)
{
	if (!data)
		return DOC_UNKNOWN;
	/* A package first: the text of its first part, stored, could hold "%PDF-". */
	if (len < 4 || memcmp(data, "PK\3\4", 4) != 0)
		return looks_pdf(data, len) ? DOC_PDF : DOC_UNKNOWN;
	zip_t *za = zip_from_memory(data, len);
	if (!za)
		return DOC_UNKNOWN;
	doc_type type = package_type(za);
	zip_discard(za);
	return type;
}

const char *extract_type_name(doc_type type)
{
	switch (type) {
	case DOC_PDF: return "PDF";
	case DOC_DOCX: return "DOCX";
	case DOC_ODT: return "ODT";
	case DOC_XLSX: return "XLSX";
	default: return "unknown";
	}
}

/* ---- XML: the markup of each format, as data ----------------------------- */

typedef enum { M_PARA, M_TEXT, M_TAB, M_BREAK, M_SPACES, M_HYPHEN, M_SKIP } markup_role;

typedef struct markup {
	const char *ns, *name;
	markup_role role;
} markup;

/* WordprocessingML, in its transitional and strict namespaces: text is only
 * inside w:t; paragraph properties hold tab stops (w:tab too) and deleted
 * runs their own tabs, neither of them text; text moved away by a tracked
 * change is read where it was moved to (w:moveTo), not also where it was.  A text box is written twice,
 * as a drawing and as its fallback for older readers: the fallback is
 * skipped, or its text would come out twice. */
#define DOCX_MARKUP(ns) \
	{ ns, "p", M_PARA }, { ns, "t", M_TEXT }, { ns, "tab", M_TAB }, { ns, "br", M_BREAK }, \
	{ ns, "cr", M_BREAK }, { ns, "noBreakHyphen", M_HYPHEN }, { ns, "pPr", M_SKIP }, { ns, "del", M_SKIP }, \
	{ ns, "moveFrom", M_SKIP }
static const markup docx_markup[] = { DOCX_MARKUP(NS_W), DOCX_MARKUP(NS_W_STRICT), { NS_MC, "Fallback", M_SKIP } };

/* OpenDocument: any character inside a paragraph or a heading is text, but
 * for comments, tracked deletions, footnote marks and images' descriptions. */
static const markup odt_markup[] = {
	{ NS_TEXT, "p", M_PARA },
	{ NS_TEXT, "h", M_PARA },
	{ NS_TEXT, "s", M_SPACES },
	{ NS_TEXT, "tab", M_TAB },
	{ NS_TEXT, "line-break", M_BREAK },
	{ NS_TEXT, "tracked-changes", M_SKIP },
	{ NS_TEXT, "note-citation", M_SKIP },
	{ NS_OFFICE, "annotation", M_SKIP },
	{ NS_SVG, "title", M_SKIP },
	{ NS_SVG, "desc", M_SKIP },
};

typedef struct format {
	const char *name;      /* "DOCX" */
	const char *part;      /* the part that holds the text */
	const markup *markup;
	size_t nmarkup;
	int text_anywhere;     /* every character of a paragraph is text, not only M_TEXT's */
	const char *manifest;  /* the part that says whether the package is encrypted; NULL when none does */
	const char *notes[3];  /* parts read after it when they are there, NULL after the last */
} format;

/* A DOCX keeps its footnotes and endnotes in parts of their own, read after
 * the body; an ODT has them in the text, where they are cited.  Headers and
 * footers, like a PDF's running heads, are not the document's text. */
static const format docx = { "DOCX", "word/document.xml", docx_markup, sizeof docx_markup / sizeof docx_markup[0], 0,
			     NULL, { "word/footnotes.xml", "word/endnotes.xml", NULL } };
static const format odt = { "ODT", "content.xml", odt_markup, sizeof odt_markup / sizeof odt_markup[0], 1,
			    "META-INF/manifest.xml", { NULL } };

typedef struct walk {
	const format *f;
	sink *out;
	xmlParserCtxtPtr ctxt;
	unsigned depth;
	unsigned skip_from;   /* the depth of the element being skipped; 0 when none */
	unsigned in_para, in_text;
	const char *refused;  /* why the walk stopped, when it did */
} walk;

static int markup_of(const format *f, const xmlChar *ns, const xmlChar *name, markup_role *role)
{
	for (size_t i = 0; ns && i < f->nmarkup; i++) {
		if (strcmp((const char *)name, f->markup[i].name) == 0 && strcmp((const char *)ns, f->markup[i].ns) == 0) {
			*role = f->markup[i].role;
			return 1;
		}
	}
	return 0;
}

static void stop(walk *w, const char *why)
{
	if (!w->refused)
		w->refused = why;
	xmlStopParser(w->ctxt);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *ns, int nns,
		     const xmlChar **nss, int nattr, int ndefaulted, const xmlChar **attrs)
{
	(void)prefix, (void)nns, (void)nss, (void)nattr, (void)ndefaulted, (void)attrs;
	walk *w = ctx;
	if (++w->depth > XML_DEPTH) {
		stop(w, "is nested too deeply");
		return;
	}
	markup_role role;
	if (w->skip_from || !markup_of(w->f, ns, name, &role))
		return;
	switch (role) {
	case M_PARA: sink_break(w->out); w->in_para++; break;   /* a paragraph inside one (a note) ends it */
	case M_TEXT: w->in_text++; break;
	case M_TAB: sink_tab(w->out); break;
	case M_BREAK: case M_SPACES: sink_space(w->out); break;
	case M_HYPHEN: sink_text(w->out, "-", 1); break;
	case M_SKIP: w->skip_from = w->depth; break;
	}
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *ns)
{
	(void)prefix;
	walk *w = ctx;
	markup_role role;
	if (w->skip_from == w->depth) {
		w->skip_from = 0;
	} else if (!w->skip_from && markup_of(w->f, ns, name, &role)) {
		if (role == M_PARA && w->in_para) {
			sink_break(w->out);
			w->in_para--;
		} else if (role == M_TEXT && w->in_text) {
			w->in_text--;
		}
	}
	w->depth--;
}

static void on_characters(void *ctx, const xmlChar *p, int n)
{
	walk *w = ctx;
	if (w->skip_from || !w->in_para || (!w->f->text_anywhere && !w->in_text))
		return;
	sink_text(w->out, (const char *)p, (size_t)n);
	if (w->out->over)
		xmlStopParser(w->ctxt);
}

static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
	(void)name, (void)external, (void)system;
	stop(ctx, "declares a DTD, which no document needs");
}

static void on_error(void *ctx, xmlErrorPtr e) { (void)ctx, (void)e; }   /* the outcome says it */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_start(void) { xmlInitParser(); }

/* The text of the XML part, through the format's markup.  0 or -1. */
static int walk_xml(const format *f, const char *part, const buf *xml, sink *s, char *err, size_t errlen)
{
	pthread_once(&xml_once, xml_start);
	xmlSAXHandler sax = { 0 };
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.cdataBlock = on_characters;
	sax.internalSubset = on_dtd;
	sax.externalSubset = on_dtd;
	sax.serror = on_error;
	walk w = { .f = f, .out = s };
	w.ctxt = xmlCreatePushParserCtxt(&sax, &w, NULL, 0, NULL);
	if (!w.ctxt)
		return errmsg(err, errlen, "out of memory reading the %s", f->name);
	xmlCtxtUseOptions(w.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	size_t at = 0;
	do {
		size_t n = xml->len - at < XML_CHUNK ? xml->len - at : XML_CHUNK;
		xmlParseChunk(w.ctxt, xml->data ? xml->data + at : "", (int)n, at + n == xml->len);
		at += n;
	} while (at < xml->len && !w.refused && !s->over && w.ctxt->wellFormed);
	int well_formed = w.ctxt->wellFormed;
	int line = xmlSAX2GetLineNumber(w.ctxt);
	xmlFreeParserCtxt(w.ctxt);
	if (s->over)
		return errmsg(err, errlen, "the text is longer than %zu bytes", s->max);
	if (w.refused)
		return errmsg(err, errlen, "the %s's %s %s", f->name, part, w.refused);
	if (!well_formed)
		return errmsg(err, errlen, "the %s's %s is not well-formed XML (line %d)", f->name, part, line);
	return 0;
}

/* An encrypted ODT keeps its ZIP and its part names, but its parts are
 * ciphertext, which would read as XML that is not well-formed: the
 * manifest names the cipher of each. */
static int package_encrypted(const format *f, zip_t *za)
{
	buf manifest = BUF_INIT;
	int encrypted = f->manifest && read_part(za, f->manifest, MANIFEST_MAX, &manifest) == PART_OK &&
			manifest.len > 0 && memmem(manifest.data, manifest.len, "encryption-data", 15) != NULL;
	buf_free(&manifest);
	return encrypted;
}

/* The text of one part of the package, which must be there when required.  0 or -1. */
static int part_text(const format *f, zip_t *za, const char *part, int required, const extract_limits *lim, sink *s,
		     char *err, size_t errlen)
{
	buf xml = BUF_INIT;
	part_status st = read_part(za, part, lim->max_unzipped, &xml);
	int rc = -1;
	if (st == PART_MISSING && !required)
		rc = 0;
	else if (st == PART_MISSING)
		errmsg(err, errlen, "the %s has no %s", f->name, part);
	else if (st == PART_TOO_LARGE)
		errmsg(err, errlen, "the %s's %s is larger than %zu bytes unpacked", f->name, part, lim->max_unzipped);
	else if (st == PART_UNREADABLE)
		errmsg(err, errlen, "the %s's %s cannot be unpacked (encrypted or damaged)", f->name, part);
	else
		rc = walk_xml(f, part, &xml, s, err, errlen);
	sink_break(s);   /* a part's last paragraph ends with it, closed or not */
	buf_free(&xml);
	return rc;
}

static int package_text(const format *f, const unsigned char *data, size_t len, const extract_limits *lim, sink *s,
			char *err, size_t errlen)
{
	zip_t *za = zip_from_memory(data, len);
	if (!za)
		return errmsg(err, errlen, "the %s is not a readable ZIP package", f->name);
	int rc;
	if (package_encrypted(f, za))
		rc = errmsg(err, errlen, "the %s is encrypted", f->name);
	else
		rc = part_text(f, za, f->part, 1, lim, s, err, errlen);
	for (size_t i = 0; rc == 0 && f->notes[i]; i++)
		rc = part_text(f, za, f->notes[i], 0, lim, s, err, errlen);
	zip_discard(za);
	return rc;
}

/* ---- PDF: lines back into paragraphs ------------------------------------- */

typedef struct line {
	const char *s;        /* its text, without the "\n" */
	size_t n;
	int placed;           /* the geometry below is known */
	double top, bottom, left, right;
	double first_end;     /* where its first word ends */
	int first_done;       /* a space after the first word was seen */
	int furniture;        /* a running head or foot, a page number: not the document's text */
} line;

typedef struct page_lines {
	line *v;
	size_t n, cap;
	double leading;   /* the usual distance from a line to the next of a paragraph; 0 when unknown */
	size_t top, bottom;   /* lines before top and from bottom on are at the page's edges (see find_edges) */
} page_lines;

static void add_line(page_lines *p, const char *s, size_t n)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = realloc(p->v, p->cap * sizeof *p->v);
		if (!p->v)
			abort();   /* as buf does: a few kilobytes short, nothing useful can follow */
	}
	p->v[p->n++] = (line){ .s = s, .n = n, .top = 1e9, .bottom = -1e9, .left = 1e9, .right = -1e9 };
}

static void place(line *l, const PopplerRectangle *r)
{
	if (!l->first_done)
		l->first_end = r->x2;
	l->placed = 1;
	l->top = r->y1 < l->top ? r->y1 : l->top;
	l->bottom = r->y2 > l->bottom ? r->y2 : l->bottom;
	l->left = r->x1 < l->left ? r->x1 : l->left;
	l->right = r->x2 > l->right ? r->x2 : l->right;
}

/* The page's text cut into lines, each placed by the rectangles of its
 * characters (one per character of the text, the "\n"s included), when
 * poppler gave as many as there are characters. */
static void split_lines(const char *text, const PopplerRectangle *rects, guint nrects, page_lines *p)
{
	size_t len = strlen(text), chars = 0, begin = 0;
	for (size_t i = 0; i < len; chars++) {
		size_t k = utf8_next(text + i, len - i, NULL);
		i += k ? k : 1;
	}
	int geometry = chars == nrects;
	size_t c = 0;
	add_line(p, text, 0);
	for (size_t i = 0; i < len; c++) {
		size_t k = utf8_next(text + i, len - i, NULL);
		k = k ? k : 1;
		if (text[i] == '\n') {
			p->v[p->n - 1].n = i - begin;
			begin = i + 1;
			add_line(p, text + begin, 0);
		} else if (geometry && text[i] != ' ') {
			place(&p->v[p->n - 1], &rects[c]);
		} else if (p->v[p->n - 1].placed) {
			p->v[p->n - 1].first_done = 1;
		}
		i += k;
	}
	p->v[p->n - 1].n = len - begin;
}

/* The line without white space at its end. */
static size_t trimmed(const line *l)
{
	size_t n = l->n;
	while (n > 0 && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t' || l->s[n - 1] == '\r'))
		n--;
	return n;
}

/* The last character of the line's first n bytes, and where it begins. */
static uint32_t last_char(const line *l, size_t n, size_t *at)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)l->s[i - 1] & 0xC0) == 0x80)
		i--;
	uint32_t c = 0;
	if (i > 0 && utf8_next(l->s + i - 1, n - i + 1, &c) == 0)
		c = 0;
	*at = i > 0 ? i - 1 : 0;
	return c;
}

static uint32_t first_char(const line *l)
{
	size_t i = 0;
	while (i < l->n && l->s[i] == ' ')
		i++;
	uint32_t c = 0;
	return utf8_next(l->s + i, l->n - i, &c) ? c : 0;
}

static int ends_sentence(uint32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2026 || c == 0xBB || c == 0x201D ||
	       c == '"' || c == ')';
}

static int is_bullet(uint32_t c) { return c == 0x2022 || c == 0x25E6 || c == 0x25AA || c == 0x2023 || c == 0x25CF; }

static int is_lower(uint32_t c) { return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_LL; }

static double height(const line *l) { return l->bottom - l->top; }

/* Whether the space from a down to b is more than a line's: an empty line,
 * or the space a paragraph leaves after it.  Lines are placed by their
 * boxes, whose height is a font's and not the leading the typesetter chose,
 * so the page's usual distance is the measure when it is known. */
static int gap_between(const line *a, const line *b, double leading)
{
	if (leading > 0)
		return b->top - a->top > 1.25 * leading;
	double h = height(a) < height(b) ? height(a) : height(b);
	return b->top - a->bottom > 0.5 * h;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The distance from a line to the next that the page has most often, to
 * the half point, between lines of one size: what its leading is. */
static void find_leading(page_lines *p)
{
	double *steps = malloc((p->n ? p->n : 1) * sizeof *steps);
	size_t n = 0;
	if (!steps)
		abort();
	for (size_t i = 0; i + 1 < p->n; i++) {
		const line *a = &p->v[i], *b = &p->v[i + 1];
		double step = b->top - a->top;
		if (a->placed && b->placed && step > 0.5 * height(a) && step < 3 * height(a) &&
		    height(a) < 1.15 * height(b) && height(b) < 1.15 * height(a))
			steps[n++] = (double)(long)(step * 2 + 0.5) / 2;
	}
	qsort(steps, n, sizeof *steps, by_value);
	size_t best = 0, run = 0;
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && steps[i] == steps[i - 1] ? run + 1 : 1;
		if (run > best) {
			best = run;
			p->leading = steps[i];
		}
	}
	free(steps);
}

/* Whether a ends its paragraph, b (the next line, on the same page or at
 * the top of the next) beginning another.  right is the right margin: the
 * rightmost end of a line on the pages around (a page that holds one short
 * line would make it the margin); leading is a's page's. */
static int ends_paragraph(const line *a, const line *b, double right, double leading, int same_page)
{
	size_t n = trimmed(a), at;
	if (n == 0 || trimmed(b) == 0 || is_bullet(first_char(b)))
		return 1;
	int sentence = ends_sentence(last_char(a, n, &at));
	if (!a->placed || !b->placed)
		return sentence;
	if (same_page && (gap_between(a, b, leading) || b->bottom < a->top))   /* a gap, or a new column */
		return 1;
	if (height(a) > 1.15 * height(b) || height(b) > 1.15 * height(a))
		return 1;
	/* A sentence ends where the next line's first word would have fitted:
	 * the line was broken on purpose, not for want of room.  A ragged right
	 * margin makes no line short enough for a word it did not take. */
	return sentence && right - a->right > b->first_end - b->left + 0.3 * height(a);
}

/* A hyphen that ends a line after a letter: a word cut in two. */
static int hyphenated(const line *a, size_t *cut)
{
	size_t n = trimmed(a), at, before;
	uint32_t c = last_char(a, n, &at);
	if (c != '-' && c != 0x2010)
		return 0;
	uint32_t prev = at > 0 ? last_char(a, at, &before) : 0;
	if (!text_word_char((int32_t)prev) || is_digit(prev))
		return 0;
	*cut = at;
	return 1;
}

/* ---- PDF: pages, their furniture, and the text across them -------------- */

#define PAGES_HELD 5   /* pages held at once: one, and the two on either side it is compared with */
#define EDGE 2         /* lines at a page's top and at its bottom that may be running heads or feet */

typedef struct pdf_page {
	int index;        /* which page of the document; -1 for none yet */
	char *text;       /* poppler's, which the lines point into */
	page_lines lines;
} pdf_page;

typedef struct pdf_reader {
	PopplerDocument *doc;
	int pages;
	pdf_page ring[PAGES_HELD];   /* page i in ring[i % PAGES_HELD] */
	double right;            /* the right margin: the rightmost end of a line on the pages read so far */
} pdf_reader;

static void page_free(pdf_page *p)
{
	free(p->lines.v);
	g_free(p->text);
	*p = (pdf_page){ .index = -1 };
}

/* Where the EDGE lines with text at the top of the page end, and where
 * those at its bottom begin. */
static void find_edges(page_lines *p)
{
	size_t seen = 0;
	for (p->top = 0; p->top < p->n && seen < EDGE; p->top++)
		seen += trimmed(&p->v[p->top]) > 0;
	seen = 0;
	for (p->bottom = p->n; p->bottom > 0 && seen < EDGE; p->bottom--)
		seen += trimmed(&p->v[p->bottom - 1]) > 0;
}

static int at_edge(const page_lines *p, size_t k) { return k < p->top || k >= p->bottom; }

/* Page i, its text cut into placed lines; read from the document unless it is held. */
static pdf_page *page_at(pdf_reader *r, int i)
{
	pdf_page *p = &r->ring[i % PAGES_HELD];
	if (p->index == i)
		return p;
	page_free(p);
	p->index = i;
	PopplerPage *page = poppler_document_get_page(r->doc, i);
	p->text = page ? poppler_page_get_text(page) : NULL;
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	if (p->text && !poppler_page_get_text_layout(page, &rects, &nrects))
		nrects = 0;
	if (p->text)
		split_lines(p->text, rects, nrects, &p->lines);
	find_leading(&p->lines);
	find_edges(&p->lines);
	for (size_t k = 0; k < p->lines.n; k++)
		if (p->lines.v[k].placed && p->lines.v[k].right > r->right)
			r->right = p->lines.v[k].right;
	g_free(rects);
	if (page)
		g_object_unref(page);
	return p;
}

static int is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* The same text but for the numbers in it: "Page 3" and "Page 14". */
static int same_but_numbers(const line *a, const line *b)
{
	size_t i = 0, j = 0, n = trimmed(a), m = trimmed(b);
	while (i < n && j < m) {
		int number = is_ascii_digit(a->s[i]);
		if (number != is_ascii_digit(b->s[j]) || (!number && a->s[i] != b->s[j]))
			return 0;
		i++, j++;
		while (number && i < n && is_ascii_digit(a->s[i]))
			i++;
		while (number && j < m && is_ascii_digit(b->s[j]))
			j++;
	}
	return i == n && j == m;
}

/* Whether l is repeated at the same height at an edge of page i: what a
 * running head, a foot or a page number is. */
static int repeated_on(pdf_reader *r, const line *l, int i)
{
	const page_lines *p = &page_at(r, i)->lines;
	for (size_t k = 0; k < p->n; k++) {
		const line *m = &p->v[k];
		if (m->placed && m->top - l->top < 1.5 && l->top - m->top < 1.5 && same_but_numbers(l, m) && at_edge(p, k))
			return 1;
	}
	return 0;
}

/* Marks page i's running heads and feet: the lines at its edges that the
 * page before or after it, or the one beyond (heads that alternate between
 * left and right pages), holds at the same height.  The pages compared
 * with are all in the window, so page i stays where it is. */
static void mark_furniture(pdf_reader *r, int i)
{
	page_lines *p = &page_at(r, i)->lines;
	for (size_t k = 0; k < p->n; k++) {
		line *l = &p->v[k];
		if (!l->placed || trimmed(l) == 0 || !at_edge(p, k))
			continue;
		for (int d = -2; d <= 2 && !l->furniture; d++)
			if (d != 0 && i + d >= 0 && i + d < r->pages)
				l->furniture = repeated_on(r, l, i + d);
	}
}

/* The first line of the document's text after line k of page i, on that
 * page or at the top of the next (*same_page says which); NULL at the end. */
static const line *next_text_line(pdf_reader *r, int i, size_t k, int *same_page)
{
	const page_lines *p = &page_at(r, i)->lines;
	*same_page = 1;
	for (size_t j = k + 1; j < p->n; j++)
		if (!p->v[j].furniture)
			return &p->v[j];
	if (i + 1 >= r->pages)
		return NULL;
	*same_page = 0;
	p = &page_at(r, i + 1)->lines;
	for (size_t j = 0; j < p->n; j++)
		if (!p->v[j].furniture)
			return &p->v[j];
	return NULL;
}

/* Page i's text into the sink, each line joined to the next or ending its
 * paragraph, the last to the next page's first when the text goes on there. */
static void page_paragraphs(pdf_reader *r, int i, sink *s)
{
	pdf_page *page = page_at(r, i);
	for (size_t k = 0; k < page->lines.n && !s->over; k++) {
		const line *a = &page->lines.v[k];
		if (a->furniture)
			continue;
		int same_page;
		const line *b = next_text_line(r, i, k, &same_page);
		size_t cut;
		if (!b || ends_paragraph(a, b, r->right, page->lines.leading, same_page)) {
			sink_text(s, a->s, a->n);
			sink_break(s);
		} else if (hyphenated(a, &cut)) {
			/* "coopé-" "ration" is one word; "États-" "Unis" keeps its hyphen */
			sink_text(s, a->s, is_lower(first_char(b)) ? cut : trimmed(a));
		} else {
			sink_text(s, a->s, a->n);
			sink_space(s);
		}
	}
}

/* Every page's text into the sink, in order; a page's furniture is marked
 * before the page above it asks whether its text goes on there. */
static void read_pages(PopplerDocument *doc, int pages, sink *s)
{
	pdf_reader r = { .doc = doc, .pages = pages, .right = -1e9 };
	for (int k = 0; k < PAGES_HELD; k++)
		r.ring[k].index = -1;
	if (pages > 0)
		mark_furniture(&r, 0);
	for (int i = 0; i < pages && !s->over; i++) {
		if (i + 1 < pages)
			mark_furniture(&r, i + 1);
		page_paragraphs(&r, i, s);
	}
	for (int k = 0; k < PAGES_HELD; k++)
		page_free(&r.ring[k]);
}

static int pdf_text(const unsigned char *data, size_t len, const extract_limits *lim, sink *s, char *err,
		    size_t errlen)
{
	if (len > INT_MAX)
		return errmsg(err, errlen, "the PDF is larger than %d bytes", INT_MAX);
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (!doc) {
		int encrypted = gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED);
		g_clear_error(&gerr);
		return errmsg(err, errlen, encrypted ? "the PDF is encrypted" : "the PDF is damaged and cannot be read");
	}
	int rc = 0;
	int pages = poppler_document_get_n_pages(doc);
	if (pages < 0 || (unsigned)pages > lim->max_pages)
		rc = errmsg(err, errlen, "the PDF has %d pages, more than the %u allowed", pages, lim->max_pages);
	else
		read_pages(doc, pages, s);
	g_object_unref(doc);
	if (rc == 0 && s->over)
		rc = errmsg(err, errlen, "the text is longer than %zu bytes", s->max);
	return rc;
}

/* ---- the interface -------------------------------------------------------- */

/* Office encrypts a DOCX into a Compound File, the container of the older
 * .doc: a reason people can act on beats "not a document". */
static int not_a_document(const unsigned char *data, size_t len, char *err, size_t errlen)
{
	if (data && len >= 8 && memcmp(data, OLE_MAGIC, 8) == 0)
		return errmsg(err, errlen, "the file is an encrypted DOCX or an older Word document (.doc), "
					   "neither of which can be read");
	return errmsg(err, errlen, "the file is not a PDF, DOCX or ODT document");
}

int extract_text(const unsigned char *data, size_t len, doc_type type, const extract_limits *lim, buf *out,
		 size_t *words, char *err, size_t errlen)
{
	if (!lim)
		lim = &extract_default_limits;
	sink s = { .out = out, .start = out->len, .max = lim->max_text };
	int rc;
	if (!data)
		type = DOC_UNKNOWN;
	switch (type) {
	case DOC_PDF: rc = pdf_text(data, len, lim, &s, err, errlen); break;
	case DOC_DOCX: rc = package_text(&docx, data, len, lim, &s, err, errlen); break;
	case DOC_ODT: rc = package_text(&odt, data, len, lim, &s, err, errlen); break;
	case DOC_XLSX: rc = errmsg(err, errlen, "the text of an XLSX workbook is not read"); break;
	default: rc = not_a_document(data, len, err, errlen); break;
	}
	if (rc < 0) {
		out->len = s.start;
		if (out->data)
			out->data[out->len] = '\0';
		return -1;
	}
	if (words)
		*words = extract_count_words(out->data ? out->data + s.start : "", out->len - s.start);
	return 0;
}
