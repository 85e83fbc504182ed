/*
 * xliff — a translation job written as XLIFF 1.2 or 2.0 and read back
 * (see xliff.h for the mapping of codes and states).
 *
 * The two versions differ in names more than in shape, so the writer and
 * the reader each keep one walk and ask a small table for the names: a
 * version's namespace, its unit, its paired and standalone tags.
 *
 * The reader never expands an entity nor loads a DTD or anything over the
 * network: libxml2 is given XML_PARSE_NONET and not XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD, and an entity reference left in the text is refused.
 */
#include "formats/xliff.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "formats/inline.h"

#define NS_12 "urn:oasis:names:tc:xliff:document:1.2"
#define NS_20 "urn:oasis:names:tc:xliff:document:2.0"
#define NS_MTC "urn:oasis:names:tc:xliff:matches:2.0"
#define TAG_DEPTH 64   /* inline elements open at once in one text */

/* The names that differ between the versions. */
typedef struct names {
	const char *unit, *paired, *standalone;
} names;

static const names names_12 = { "trans-unit", "g", "x" };
static const names names_20 = { "unit", "pc", "ph" };

static const names *names_of(xliff_version v) { return v == XLIFF_12 ? &names_12 : &names_20; }

static void set_error(xliff_error *err, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_error(xliff_error *err, long line, const char *fmt, ...)
{
	int at = line > 0 ? snprintf(err->message, sizeof err->message, "line %ld: ", line) : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message + at, sizeof err->message - (size_t)at, fmt, ap);
	va_end(ap);
	err->line = line;
}

/* ---- a set of segment ids ------------------------------------------------ */

/* Open addressing over ids of 1 or more; 0 marks a free slot. */
typedef struct idset {
	int *slots;
	size_t cap, count;
} idset;

static size_t idset_slot(const idset *s, int id)
{
	size_t i = ((uint32_t)id * 2654435761u) & (s->cap - 1);
	while (s->slots[i] && s->slots[i] != id)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* 1 when id was added, 0 when it was there, -1 when memory ran out. */
static int idset_add(idset *s, int id)
{
	if ((s->count + 1) * 2 > s->cap) {
		idset grown = { calloc(s->cap ? s->cap * 2 : 64, sizeof(int)), s->cap ? s->cap * 2 : 64, 0 };
		if (!grown.slots)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				grown.slots[idset_slot(&grown, s->slots[i])] = s->slots[i], grown.count++;
		free(s->slots);
		*s = grown;
	}
	size_t i = idset_slot(s, id);
	if (s->slots[i])
		return 0;
	s->slots[i] = id;
	s->count++;
	return 1;
}

/* ---- what a job's text may hold ------------------------------------------ */

/* Why text cannot travel in XML, or NULL: not UTF-8, or a character XML
 * 1.0 has no way to carry (controls other than tab and line ends, U+FFFE,
 * U+FFFF). */
static const char *xml_text_fault(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t len = utf8_next(s + i, n - i, &c);
		if (!len)
			return "is not UTF-8";
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
			return "holds a control character that XML cannot carry";
		i += len;
	}
	return NULL;
}

/* The two letters of a language Liaison works in, from "fr" or "fr-FR";
 * 0 when it is another. */
static int language_of(const char *tag, char out[3])
{
	static const char *const known[] = { "en", "fr", "es" };
	if (!tag || strlen(tag) < 2 || (tag[2] && tag[2] != '-' && tag[2] != '_'))
		return 0;
	char two[3] = { (char)(tag[0] | 0x20), (char)(tag[1] | 0x20), 0 };
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(two, known[i]) == 0) {
			memcpy(out, two, 3);
			return 1;
		}
	return 0;
}

/* A number of 1 to max, in decimal without sign or leading zero; 0 when
 * the text is no such number. */
static long number_of(const char *s, long max)
{
	long v = 0;
	if (!s || *s < '1' || *s > '9')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* ---- writing ------------------------------------------------------------- */

struct xliff_writer {
	xliff_version version;
	xliff_out out;
	void *ctx;
	buf pending;   /* what is written and not yet handed over */
	idset ids;
	int failed;
	size_t units;
};

/* The references XML needs in an element's content.  A CR is one, or the
 * parser would make it a LF. */
static const char *text_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '\r': return "&#13;";
	default: return NULL;
	}
}

/* In an attribute's value, also quotes, and tabs and line ends, or they
 * would become spaces. */
static const char *attr_entity(unsigned char c)
{
	switch (c) {
	case '"': return "&quot;";
	case '\t': return "&#9;";
	case '\n': return "&#10;";
	default: return text_entity(c);
	}
}

static void put_escaped(buf *b, const char *s, size_t n) { buf_add_escaped(b, s, n, text_entity); }

static void put_attr(buf *b, const char *name, const char *value)
{
	buf_printf(b, " %s=\"", name);
	buf_add_escaped(b, value, strlen(value), attr_entity);
	buf_putc(b, '"');
}

/* A segment's text with its tags as the version's elements. */
static void put_text(buf *b, xliff_version v, const char *s)
{
	const names *nm = names_of(v);
	size_t n = strlen(s), pos = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		switch (p.kind) {
		case INLINE_OPEN: buf_printf(b, "<%s id=\"%d\">", nm->paired, p.id); break;
		case INLINE_CLOSE: buf_printf(b, "</%s>", nm->paired); break;
		case INLINE_EMPTY: buf_printf(b, "<%s id=\"%d\"/>", nm->standalone, p.id); break;
		default: put_escaped(b, s + p.off, p.len); break;
		}
	}
}

static void put_element(buf *b, const char *indent, const char *name, xliff_version v, const char *text)
{
	buf_printf(b, "%s<%s>", indent, name);
	put_text(b, v, text);
	buf_printf(b, "</%s>\n", name);
}

static int flush(xliff_writer *w, xliff_error *err)
{
	if (w->pending.len && w->out(w->ctx, w->pending.data, w->pending.len) != 0) {
		w->failed = 1;
		set_error(err, 0, "the output refused what was written");
		return -1;
	}
	buf_reset(&w->pending);
	return 0;
}

/* The job's title as a note of the file, when it has one. */
static void put_title(buf *b, const char *open, const char *close, const char *title)
{
	if (!title || !*title)
		return;
	buf_puts(b, open);
	put_escaped(b, title, strlen(title));
	buf_puts(b, close);
}

static void put_head_12(buf *b, const xliff_job *job)
{
	buf_puts(b, "<xliff version=\"1.2\" xmlns=\"" NS_12 "\">\n <file");
	put_attr(b, "original", job->original);
	put_attr(b, "source-language", job->source_lang);
	put_attr(b, "target-language", job->target_lang);
	buf_puts(b, " datatype=\"plaintext\" xml:space=\"preserve\">\n");
	put_title(b, "  <header>\n   <note>", "</note>\n  </header>\n", job->title);
	buf_puts(b, "  <body>\n");
}

static void put_head_20(buf *b, const xliff_job *job)
{
	buf_puts(b, "<xliff xmlns=\"" NS_20 "\" xmlns:mtc=\"" NS_MTC "\" version=\"2.0\"");
	put_attr(b, "srcLang", job->source_lang);
	put_attr(b, "trgLang", job->target_lang);
	buf_puts(b, ">\n <file id=\"f1\"");
	put_attr(b, "original", job->original);
	buf_puts(b, " xml:space=\"preserve\">\n");
	put_title(b, "  <notes>\n   <note category=\"title\">", "</note>\n  </notes>\n", job->title);
}

xliff_writer *xliff_write_begin(xliff_version v, const xliff_job *job, xliff_out out, void *ctx, xliff_error *err)
{
	char lang[3];
	const char *fault;
	if (v != XLIFF_12 && v != XLIFF_20)
		return set_error(err, 0, "XLIFF %d.%d is no version Liaison writes", v / 10, v % 10), NULL;
	if (!language_of(job->source_lang, lang) || !language_of(job->target_lang, lang) ||
	    strlen(job->source_lang) != 2 || strlen(job->target_lang) != 2)
		return set_error(err, 0, "a job's languages are en, fr or es"), NULL;
	if (!job->original || !*job->original)
		return set_error(err, 0, "a job names its original document"), NULL;
	if ((fault = xml_text_fault(job->original, strlen(job->original))) ||
	    (job->title && (fault = xml_text_fault(job->title, strlen(job->title)))))
		return set_error(err, 0, "the job's original or title %s", fault), NULL;
	xliff_writer *w = calloc(1, sizeof *w);
	if (!w)
		return set_error(err, 0, "out of memory"), NULL;
	*w = (xliff_writer){ .version = v, .out = out, .ctx = ctx };
	buf_puts(&w->pending, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	(v == XLIFF_12 ? put_head_12 : put_head_20)(&w->pending, job);
	return w;
}

/* Why one text of a segment cannot be written, into err; 0 when it can. */
static int check_text(const xliff_segment *s, const char *what, const char *text, xliff_error *err)
{
	size_t n = strlen(text), at;
	const char *fault = xml_text_fault(text, n);
	if (fault)
		return set_error(err, 0, "segment %d's %s %s", s->id, what, fault), -1;
	inline_error e = inline_check(text, n, &at);
	if (e != INLINE_OK)
		return set_error(err, 0, "segment %d's %s, at byte %zu: %s", s->id, what, at, inline_error_message(e)), -1;
	return 0;
}

static int check_segment(const xliff_segment *s, xliff_error *err)
{
	if (s->id < 1)
		return set_error(err, 0, "segment %d: ids are 1 or more", s->id), -1;
	if (s->state < XLIFF_NEW || s->state > XLIFF_REVIEWED)
		return set_error(err, 0, "segment %d: no such state", s->id), -1;
	if (!s->source)
		return set_error(err, 0, "segment %d has no source", s->id), -1;
	if (check_text(s, "source", s->source, err) || (s->target && check_text(s, "target", s->target, err)))
		return -1;
	if (s->nmatches < 0 || s->nmatches > XLIFF_MATCHES_MAX)
		return set_error(err, 0, "segment %d: 0 to %d memory matches", s->id, XLIFF_MATCHES_MAX), -1;
	for (int i = 0; i < s->nmatches; i++) {
		const xliff_match *m = &s->matches[i];
		const char *fault = NULL;
		if (m->score < 0 || m->score > 101)
			return set_error(err, 0, "segment %d: a match's score is 0 to 101", s->id), -1;
		if (!m->source || !m->target)
			return set_error(err, 0, "segment %d: a match has no text", s->id), -1;
		if (check_text(s, "match's source", m->source, err) || check_text(s, "match's target", m->target, err))
			return -1;
		if (m->origin && (fault = xml_text_fault(m->origin, strlen(m->origin))))
			return set_error(err, 0, "segment %d: a match's origin %s", s->id, fault), -1;
	}
	return 0;
}

/* A match's element from its origin on, its start tag left open. */
static void put_match_rest(buf *b, xliff_version v, const xliff_match *m, const char *close)
{
	if (m->origin && *m->origin)
		put_attr(b, "origin", m->origin);
	buf_puts(b, ">\n");
	put_element(b, "     ", "source", v, m->source);
	put_element(b, "     ", "target", v, m->target);
	buf_puts(b, close);
}

static const char *const states_12[] = { "new", "translated", "signed-off" };
static const char *const states_20[] = { "initial", "translated", "reviewed" };

static void put_segment_12(buf *b, const xliff_segment *s, const char *target)
{
	buf_printf(b, "   <trans-unit id=\"%d\">\n", s->id);
	put_element(b, "    ", "source", XLIFF_12, s->source);
	if (*target || s->state != XLIFF_NEW) {
		buf_printf(b, "    <target state=\"%s\">", states_12[s->state]);
		put_text(b, XLIFF_12, target);
		buf_puts(b, "</target>\n");
	}
	for (int i = 0; i < s->nmatches; i++) {
		const xliff_match *m = &s->matches[i];
		buf_printf(b, "    <alt-trans match-quality=\"%d\"", m->score);
		put_match_rest(b, XLIFF_12, m, "    </alt-trans>\n");
	}
	buf_puts(b, "   </trans-unit>\n");
}

/* 2.0 keeps memory matches in the Translation Candidates module, which
 * the unit allows before its segments.  Its matchQuality stops at 100: a
 * match of 101 (the same text in the same context) is 100 of type "icm",
 * an in-context match.  The module's own schema is not among those the
 * tests hold: the core schema takes other namespaces' elements in a unit
 * laxly, so the tests validate against the core, and the match is written
 * as the module's specification has it (ref, type, matchQuality, origin). */
static void put_segment_20(buf *b, const xliff_segment *s, const char *target)
{
	buf_printf(b, "  <unit id=\"%d\">\n", s->id);
	if (s->nmatches)
		buf_puts(b, "   <mtc:matches>\n");
	for (int i = 0; i < s->nmatches; i++) {
		const xliff_match *m = &s->matches[i];
		buf_printf(b, "    <mtc:match ref=\"#s%d\" type=\"%s\" matchQuality=\"%d\"", s->id,
			   m->score > 100 ? "icm" : "tm", m->score > 100 ? 100 : m->score);
		put_match_rest(b, XLIFF_20, m, "    </mtc:match>\n");
	}
	if (s->nmatches)
		buf_puts(b, "   </mtc:matches>\n");
	buf_printf(b, "   <segment id=\"s%d\" state=\"%s\">\n", s->id, states_20[s->state]);
	put_element(b, "    ", "source", XLIFF_20, s->source);
	if (*target || s->state != XLIFF_NEW)
		put_element(b, "    ", "target", XLIFF_20, target);
	buf_puts(b, "   </segment>\n  </unit>\n");
}

int xliff_write_segment(xliff_writer *w, const xliff_segment *s, xliff_error *err)
{
	if (w->failed)
		return set_error(err, 0, "the file was already refused"), -1;
	if (check_segment(s, err))
		goto fail;
	int added = idset_add(&w->ids, s->id);
	if (added <= 0) {
		set_error(err, 0, added ? "out of memory" : "segment %d: its id is given twice", s->id);
		goto fail;
	}
	(w->version == XLIFF_12 ? put_segment_12 : put_segment_20)(&w->pending, s, s->target ? s->target : "");
	w->units++;
	return flush(w, err);
fail:
	w->failed = 1;
	return -1;
}

int xliff_write_end(xliff_writer *w, xliff_error *err)
{
	int rc = -1;
	if (w->failed) {
		set_error(err, 0, "the file was refused");
		goto done;
	}
	if (w->version == XLIFF_20 && !w->units) {
		set_error(err, 0, "an XLIFF 2.0 file holds at least one segment");
		goto done;
	}
	buf_puts(&w->pending, w->version == XLIFF_12 ? "  </body>\n </file>\n</xliff>\n" : " </file>\n</xliff>\n");
	rc = flush(w, err);
done:
	buf_free(&w->pending);
	free(w->ids.slots);
	free(w);
	return rc;
}

int xliff_write(xliff_version v, const xliff_job *job, const xliff_segment *segs, size_t n, xliff_out out,
		void *ctx, xliff_error *err)
{
	xliff_writer *w = xliff_write_begin(v, job, out, ctx, err);
	if (!w)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (xliff_write_segment(w, &segs[i], err)) {
			xliff_error ignored;
			xliff_write_end(w, &ignored);
			return -1;
		}
	return xliff_write_end(w, err);
}

/* ---- reading ------------------------------------------------------------- */

typedef struct reader {
	xmlTextReaderPtr r;
	const xliff_reader_cb *cb;
	xliff_error *err;
	const char *ns;           /* the version's namespace */
	xliff_file file;
	buf original, title;
	int file_seen, file_told;
	idset ids;
	/* the unit being read */
	int in_unit, has_source, has_target, approved, stated;
	xliff_unit unit;
	buf source, target;
	int source_tags, target_tags;   /* inline elements turned into codes */
	/* the first error libxml2 reported */
	long xml_line;
	char xml_why[160];
} reader;

static long node_line(reader *rd)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(rd->r);
	long line = node ? xmlGetLineNo(node) : -1;
	return line > 0 ? line : xmlTextReaderGetParserLineNumber(rd->r);
}

static int fail(reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(reader *rd, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	set_error(rd->err, node_line(rd), "%s", why);
	return -1;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	reader *rd = ctx;
	if (rd->xml_why[0] || !e)
		return;
	snprintf(rd->xml_why, sizeof rd->xml_why, "%s", e->message ? e->message : "malformed XML");
	rd->xml_why[strcspn(rd->xml_why, "\r\n")] = '\0';
	rd->xml_line = e->line;
}

/* The next node; 1, or -1 with the reason set when the XML is broken or ends. */
static int next_node(reader *rd)
{
	int rc = xmlTextReaderRead(rd->r);
	if (rc == 1)
		return 1;
	if (rd->xml_why[0])
		set_error(rd->err, rd->xml_line, "%s", rd->xml_why);
	else
		set_error(rd->err, xmlTextReaderGetParserLineNumber(rd->r), "the XML ends too early");
	return -1;
}

static int type_of(reader *rd) { return xmlTextReaderNodeType(rd->r); }
static const char *name_of(reader *rd) { return (const char *)xmlTextReaderConstLocalName(rd->r); }

/* Whether the current element is the version's, named name. */
static int is(reader *rd, const char *name)
{
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(rd->r);
	return ns && strcmp(ns, rd->ns) == 0 && strcmp(name_of(rd), name) == 0;
}

static char *attr(reader *rd, const char *name) { return (char *)xmlTextReaderGetAttribute(rd->r, BAD_CAST name); }

/* Past the current element's content, to its end. */
static int skip(reader *rd)
{
	if (xmlTextReaderIsEmptyElement(rd->r))
		return 0;
	int depth = xmlTextReaderDepth(rd->r);
	while (next_node(rd) == 1)
		if (type_of(rd) == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(rd->r) == depth)
			return 0;
	return -1;
}

/* The number an inline element's attribute holds, 1 to 9999; 0 after
 * setting the error when it holds none. */
static int tag_id(reader *rd, const char *first, const char *second)
{
	char *v = attr(rd, first);
	if (!v && second)
		v = attr(rd, second);
	int id = (int)number_of(v, INLINE_ID_MAX);
	if (!id)
		fail(rd, "<%s id=\"%s\">: Liaison numbers its tags 1 to %d", name_of(rd), v ? v : "", INLINE_ID_MAX);
	xmlFree(v);
	return id;
}

/* The character a 2.0 <cp hex="..."/> names, into out. */
static int code_point(reader *rd, buf *out)
{
	char *hex = attr(rd, "hex");
	char *end = NULL;
	unsigned long c = hex && *hex ? strtoul(hex, &end, 16) : 0;
	int ok = end && !*end && strlen(hex) <= 6 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
	xmlFree(hex);
	char s[4];
	size_t n = 0;
	if (ok) {
		if (c < 0x80)
			s[n++] = (char)c;
		else if (c < 0x800)
			s[n++] = (char)(0xC0 | c >> 6), s[n++] = (char)(0x80 | (c & 0x3F));
		else if (c < 0x10000)
			s[n++] = (char)(0xE0 | c >> 12), s[n++] = (char)(0x80 | (c >> 6 & 0x3F)),
			s[n++] = (char)(0x80 | (c & 0x3F));
		else
			s[n++] = (char)(0xF0 | c >> 18), s[n++] = (char)(0x80 | (c >> 12 & 0x3F)),
			s[n++] = (char)(0x80 | (c >> 6 & 0x3F)), s[n++] = (char)(0x80 | (c & 0x3F));
	}
	if (!ok || xml_text_fault(s, n))
		return fail(rd, "<cp>: a character Liaison's segments do not hold");
	buf_add(out, s, n);
	return 0;
}

/* What an inline element becomes in Liaison's text. */
typedef enum inline_role {
	ROLE_UNKNOWN,
	ROLE_PAIRED,      /* <g>, <pc>: <gN> here, </gN> at its end */
	ROLE_STANDALONE,  /* <x>, <ph>, <it>: <xN/>, its content dropped */
	ROLE_OPENS,       /* <bx>, <bpt>, <sc>: <gN>, content dropped */
	ROLE_CLOSES,      /* <ex>, <ept>, <ec>: </gN>, content dropped */
	ROLE_MARK,        /* <mrk>: its text kept, the mark dropped */
	ROLE_DROPPED,     /* <sm>, <em>: dropped */
	ROLE_CHARACTER,   /* <cp>: a character */
} inline_role;

typedef struct inline_element {
	xliff_version version;
	const char *name;
	inline_role role;
	const char *id, *other_id;   /* the attribute that numbers it, and the one to try first */
} inline_element;

static const inline_element inline_elements[] = {
	{ XLIFF_12, "g", ROLE_PAIRED, "id", NULL },
	{ XLIFF_12, "x", ROLE_STANDALONE, "id", NULL },
	{ XLIFF_12, "ph", ROLE_STANDALONE, "id", NULL },
	{ XLIFF_12, "it", ROLE_STANDALONE, "id", NULL },
	{ XLIFF_12, "bx", ROLE_OPENS, "rid", "id" },
	{ XLIFF_12, "bpt", ROLE_OPENS, "rid", "id" },
	{ XLIFF_12, "ex", ROLE_CLOSES, "rid", "id" },
	{ XLIFF_12, "ept", ROLE_CLOSES, "rid", "id" },
	{ XLIFF_12, "mrk", ROLE_MARK, NULL, NULL },
	{ XLIFF_20, "pc", ROLE_PAIRED, "id", NULL },
	{ XLIFF_20, "ph", ROLE_STANDALONE, "id", NULL },
	{ XLIFF_20, "sc", ROLE_OPENS, "id", NULL },
	{ XLIFF_20, "ec", ROLE_CLOSES, "startRef", "id" },
	{ XLIFF_20, "mrk", ROLE_MARK, NULL, NULL },
	{ XLIFF_20, "sm", ROLE_DROPPED, NULL, NULL },
	{ XLIFF_20, "em", ROLE_DROPPED, NULL, NULL },
	{ XLIFF_20, "cp", ROLE_CHARACTER, NULL, NULL },
};

static const inline_element *inline_element_of(reader *rd)
{
	for (size_t i = 0; i < sizeof inline_elements / sizeof *inline_elements; i++)
		if (inline_elements[i].version == rd->file.version && is(rd, inline_elements[i].name))
			return &inline_elements[i];
	return NULL;
}

/* Open paired elements and marks, so that each end knows what it closes. */
typedef struct open_tags {
	int ids[TAG_DEPTH];   /* a tag's number; 0 for a mark */
	int depth;
} open_tags;

/* An inline element's start, into out. */
static int inline_start(reader *rd, buf *out, int *tags, open_tags *open)
{
	const inline_element *e = inline_element_of(rd);
	if (!e)
		return fail(rd, "<%s> is no inline markup Liaison reads", name_of(rd));
	int empty = xmlTextReaderIsEmptyElement(rd->r), id = 0;
	if (e->id && !(id = tag_id(rd, e->id, e->other_id)))
		return -1;
	switch (e->role) {
	case ROLE_PAIRED:
	case ROLE_MARK:
		if (e->role == ROLE_PAIRED)
			buf_printf(out, empty ? "<g%d></g%d>" : "<g%d>", id, id), *tags += empty ? 2 : 1;
		if (empty)
			return 0;
		if (open->depth == TAG_DEPTH)
			return fail(rd, "inline elements nested more than %d deep", TAG_DEPTH);
		open->ids[open->depth++] = id;
		return 0;
	case ROLE_STANDALONE: buf_printf(out, "<x%d/>", id); break;
	case ROLE_OPENS: buf_printf(out, "<g%d>", id); break;
	case ROLE_CLOSES: buf_printf(out, "</g%d>", id); break;
	case ROLE_CHARACTER:
		if (code_point(rd, out))
			return -1;
		break;
	default: break;
	}
	*tags += e->role != ROLE_DROPPED && e->role != ROLE_CHARACTER;
	return skip(rd);
}

/* The text of a <source> or <target>, appended to out; *tags counts the
 * codes that elements made. */
static int read_text(reader *rd, buf *out, int *tags)
{
	if (xmlTextReaderIsEmptyElement(rd->r))
		return 0;
	int depth = xmlTextReaderDepth(rd->r);
	open_tags open = { .depth = 0 };
	while (next_node(rd) == 1) {
		switch (type_of(rd)) {
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			buf_puts(out, (const char *)xmlTextReaderConstValue(rd->r));
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
			return fail(rd, "an entity reference: Liaison expands no entity");
		case XML_READER_TYPE_ELEMENT:
			if (inline_start(rd, out, tags, &open))
				return -1;
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (xmlTextReaderDepth(rd->r) == depth)
				return 0;
			if (open.depth && open.ids[--open.depth])
				buf_printf(out, "</g%d>", open.ids[open.depth]), (*tags)++;
			break;
		}
	}
	return -1;
}

/* The file's languages and original, once; the title may still follow. */
static int read_file(reader *rd)
{
	if (rd->file_seen)
		return fail(rd, "a second <file>: a Liaison job is one file");
	rd->file_seen = 1;
	rd->file.line = node_line(rd);
	char *original = attr(rd, "original");
	int rc = 0;
	if (rd->file.version == XLIFF_12) {
		char *src = attr(rd, "source-language"), *trg = attr(rd, "target-language");
		if (!language_of(src, rd->file.source_lang) || !language_of(trg, rd->file.target_lang))
			rc = fail(rd, "the languages \"%s\" and \"%s\" are not two of en, fr, es", src ? src : "",
				  trg ? trg : "");
		xmlFree(src);
		xmlFree(trg);
	}
	if (!rc && (!original || !*original))
		rc = fail(rd, "the <file> names no original document");
	if (!rc)
		buf_puts(&rd->original, original);
	xmlFree(original);
	return rc;
}

static int tell_file(reader *rd)
{
	if (rd->file_told)
		return 0;
	rd->file_told = 1;
	rd->file.original = buf_str(&rd->original);
	rd->file.title = buf_str(&rd->title);
	return rd->cb->on_file ? rd->cb->on_file(rd->cb->ctx, &rd->file) : 0;
}

static int read_title(reader *rd)
{
	char *category = rd->file.version == XLIFF_20 ? attr(rd, "category") : NULL;
	int wanted = !rd->title.len && (rd->file.version == XLIFF_12 || (category && strcmp(category, "title") == 0));
	xmlFree(category);
	if (!wanted)
		return skip(rd);
	char *text = (char *)xmlTextReaderReadString(rd->r);
	buf_puts(&rd->title, text ? text : "");
	xmlFree(text);
	return skip(rd);
}

static int start_unit(reader *rd)
{
	int told = tell_file(rd);
	if (told)
		return told;
	char *id = attr(rd, "id");
	long n = number_of(id, INT_MAX);
	if (!n) {
		fail(rd, "<%s id=\"%s\">: Liaison numbers its segments 1 and up", name_of(rd), id ? id : "");
		xmlFree(id);
		return -1;
	}
	xmlFree(id);
	int added = idset_add(&rd->ids, (int)n);
	if (added <= 0)
		return added ? fail(rd, "out of memory") : fail(rd, "segment %ld appears twice", n);
	char *approved = rd->file.version == XLIFF_12 ? attr(rd, "approved") : NULL;
	rd->approved = approved && strcmp(approved, "yes") == 0;
	xmlFree(approved);
	rd->in_unit = 1, rd->has_source = 0, rd->has_target = 0, rd->stated = 0;
	rd->source_tags = 0, rd->target_tags = 0;
	rd->unit = (xliff_unit){ .id = (int)n, .state = XLIFF_REVIEWED, .line = node_line(rd) };
	buf_reset(&rd->source);
	buf_reset(&rd->target);
	return xmlTextReaderIsEmptyElement(rd->r) ? fail(rd, "segment %ld has no <source>", n) : 0;
}

/* A state attribute's value as one of Liaison's states; -1 when unknown. */
static int state_of(xliff_version v, const char *s)
{
	static const struct { xliff_version v; const char *name; xliff_state state; } states[] = {
		{ XLIFF_12, "new", XLIFF_NEW }, { XLIFF_12, "needs-translation", XLIFF_NEW },
		{ XLIFF_12, "needs-adaptation", XLIFF_NEW }, { XLIFF_12, "needs-l10n", XLIFF_NEW },
		{ XLIFF_12, "translated", XLIFF_TRANSLATED },
		{ XLIFF_12, "needs-review-translation", XLIFF_TRANSLATED },
		{ XLIFF_12, "needs-review-adaptation", XLIFF_TRANSLATED },
		{ XLIFF_12, "needs-review-l10n", XLIFF_TRANSLATED },
		{ XLIFF_12, "signed-off", XLIFF_REVIEWED }, { XLIFF_12, "final", XLIFF_REVIEWED },
		{ XLIFF_20, "initial", XLIFF_NEW }, { XLIFF_20, "translated", XLIFF_TRANSLATED },
		{ XLIFF_20, "reviewed", XLIFF_REVIEWED }, { XLIFF_20, "final", XLIFF_REVIEWED },
	};
	for (size_t i = 0; i < sizeof states / sizeof *states; i++)
		if (states[i].v == v && strcmp(states[i].name, s) == 0)
			return (int)states[i].state;
	return -1;
}

/* A state attribute on the current element (1.2 <target>, 2.0
 * <segment>), taken when it is less than what the unit had. */
static int take_state(reader *rd, const char *fallback)
{
	char *s = attr(rd, "state");
	if (!s && !fallback)
		return 0;
	int state = state_of(rd->file.version, s ? s : fallback);
	if (s && state < 0) {
		fail(rd, "state=\"%s\" is no XLIFF state", s);
		xmlFree(s);
		return -1;
	}
	rd->stated |= s != NULL || fallback != NULL;
	if (state >= 0 && (xliff_state)state < rd->unit.state)
		rd->unit.state = (xliff_state)state;
	xmlFree(s);
	return 0;
}

/* One text of a unit made into Liaison's: no code that no element made,
 * and tags that balance. */
static int check_unit_text(reader *rd, const char *what, const buf *text, int tags)
{
	size_t pos = 0, at;
	int codes = 0;
	inline_piece p;
	while (inline_next(text->data ? text->data : "", text->len, &pos, &p))
		codes += p.kind == INLINE_OPEN || p.kind == INLINE_CLOSE || p.kind == INLINE_EMPTY;
	if (codes != tags)
		return set_error(rd->err, rd->unit.line, "segment %d's %s has text that reads as an inline code",
				 rd->unit.id, what), -1;
	inline_error e = inline_check(buf_str(text), text->len, &at);
	if (e != INLINE_OK)
		return set_error(rd->err, rd->unit.line, "segment %d's %s: %s", rd->unit.id, what,
				 inline_error_message(e)), -1;
	return 0;
}

static int end_unit(reader *rd)
{
	rd->in_unit = 0;
	if (!rd->has_source)
		return set_error(rd->err, rd->unit.line, "segment %d has no <source>", rd->unit.id), -1;
	if (check_unit_text(rd, "source", &rd->source, rd->source_tags) ||
	    check_unit_text(rd, "target", &rd->target, rd->target_tags))
		return -1;
	if (rd->file.version == XLIFF_12 && rd->approved)
		rd->unit.state = XLIFF_REVIEWED;
	else if (!rd->stated)
		rd->unit.state = rd->file.version == XLIFF_12 && rd->target.len ? XLIFF_TRANSLATED : XLIFF_NEW;
	rd->unit.source = buf_str(&rd->source);
	rd->unit.target = buf_str(&rd->target);
	return rd->cb->on_unit ? rd->cb->on_unit(rd->cb->ctx, &rd->file, &rd->unit) : 0;
}

/* An element inside a unit. */
static int unit_element(reader *rd)
{
	int v20 = rd->file.version == XLIFF_20;
	if (v20 && is(rd, "segment"))
		return take_state(rd, "initial");
	if (v20 && is(rd, "ignorable"))
		return 0;
	if (is(rd, "source")) {
		if (rd->has_source && !v20)
			return fail(rd, "a second <source> in segment %d", rd->unit.id);
		rd->has_source = 1;
		return read_text(rd, &rd->source, &rd->source_tags);
	}
	if (is(rd, "target")) {
		if (rd->has_target && !v20)
			return fail(rd, "a second <target> in segment %d", rd->unit.id);
		rd->has_target = 1;
		if (!v20 && take_state(rd, NULL))
			return -1;
		return read_text(rd, &rd->target, &rd->target_tags);
	}
	return skip(rd);
}

/* An element outside units: the ones that lead to units are entered,
 * the rest skipped. */
static int outer_element(reader *rd)
{
	int depth = xmlTextReaderDepth(rd->r);
	if (is(rd, "file"))
		return read_file(rd);
	if (!rd->file_seen)
		return skip(rd);
	if (is(rd, names_of(rd->file.version)->unit))
		return start_unit(rd);
	if (depth == 3 && is(rd, "note"))
		return read_title(rd);
	if (is(rd, "group") || (depth == 2 && (is(rd, "body") || is(rd, "header") || is(rd, "notes"))))
		return 0;
	return skip(rd);
}

static int end_element(reader *rd)
{
	if (rd->in_unit && is(rd, names_of(rd->file.version)->unit))
		return end_unit(rd);
	if (is(rd, "file"))
		return tell_file(rd);
	return 0;
}

/* The root: which version, and for 2.0 the languages. */
static int read_root(reader *rd)
{
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(rd->r);
	if (strcmp(name_of(rd), "xliff") != 0 || !ns || (strcmp(ns, NS_12) != 0 && strcmp(ns, NS_20) != 0))
		return fail(rd, "the root is not the <xliff> of XLIFF 1.2 or 2.0");
	rd->file.version = strcmp(ns, NS_12) == 0 ? XLIFF_12 : XLIFF_20;
	rd->ns = rd->file.version == XLIFF_12 ? NS_12 : NS_20;
	char *version = attr(rd, "version");
	int rc = 0;
	if (!version)
		rc = fail(rd, "the <xliff> has no version");
	else if (rd->file.version == XLIFF_12 ? strcmp(version, "1.2") != 0
					      : strcmp(version, "2.0") != 0 && strcmp(version, "2.1") != 0)
		rc = fail(rd, "version \"%s\" of the namespace %s is none Liaison reads", version, rd->ns);
	xmlFree(version);
	if (rc || rd->file.version == XLIFF_12)
		return rc;
	char *src = attr(rd, "srcLang"), *trg = attr(rd, "trgLang");
	if (!language_of(src, rd->file.source_lang) || !language_of(trg, rd->file.target_lang))
		rc = fail(rd, "the languages \"%s\" and \"%s\" are not two of en, fr, es", src ? src : "", trg ? trg : "");
	xmlFree(src);
	xmlFree(trg);
	return rc;
}

static int read_nodes(reader *rd)
{
	int rc;
	do {
		int got = xmlTextReaderRead(rd->r);
		if (got == 0 && !rd->xml_why[0])
			return 0;
		if (got != 1) {
			set_error(rd->err, rd->xml_line, "%s", rd->xml_why[0] ? rd->xml_why : "malformed XML");
			return -1;
		}
		switch (type_of(rd)) {
		case XML_READER_TYPE_ELEMENT:
			if (xmlTextReaderDepth(rd->r) == 0)
				rc = read_root(rd);
			else
				rc = rd->in_unit ? unit_element(rd) : outer_element(rd);
			break;
		case XML_READER_TYPE_END_ELEMENT: rc = end_element(rd); break;
		case XML_READER_TYPE_ENTITY_REFERENCE: rc = fail(rd, "an entity reference: Liaison expands no entity"); break;
		default: rc = 0; break;
		}
	} while (rc == 0);
	return rc;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_start(void) { xmlInitParser(); }

int xliff_read(const char *xml, size_t n, const xliff_reader_cb *cb, xliff_error *err)
{
	pthread_once(&xml_once, xml_start);
	set_error(err, 0, "%s", "");
	if (n == 0)
		return set_error(err, 0, "the file is empty"), -1;
	if (n > INT_MAX)
		return set_error(err, 0, "the file is too large"), -1;
	reader rd = { .cb = cb, .err = err };
	int rc = -1;
	rd.r = xmlReaderForMemory(xml ? xml : "", (int)n, NULL, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!rd.r) {
		set_error(err, 0, "out of memory");
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(rd.r, on_xml_error, &rd);
	rc = read_nodes(&rd);
	if (rc == 0 && !rd.file_seen)
		rc = -1, set_error(err, 0, "the file holds no <file>");
	else if (rc == 0)
		rc = tell_file(&rd);
done:
	if (rd.r)
		xmlFreeTextReader(rd.r);
	buf_free(&rd.original);
	buf_free(&rd.title);
	buf_free(&rd.source);
	buf_free(&rd.target);
	free(rd.ids.slots);
	return rc;
}

/* ---- a file against its job ---------------------------------------------- */

typedef struct comparison {
	const xliff_job *job;
	const xliff_segment *segs;
	size_t nsegs;
	size_t *order;          /* the job's segments by id */
	unsigned char *seen;    /* per segment of the job */
	size_t units;
	xliff_error *why;
} comparison;

static int by_id(const void *a, const void *b, void *segs)
{
	const xliff_segment *s = segs;
	int x = s[*(const size_t *)a].id, y = s[*(const size_t *)b].id;
	return (x > y) - (x < y);
}

static int same_file(void *ctx, const xliff_file *f)
{
	comparison *c = ctx;
	if (strcmp(f->source_lang, c->job->source_lang) != 0 || strcmp(f->target_lang, c->job->target_lang) != 0)
		return set_error(c->why, f->line, "the file is %s to %s, the job %s to %s", f->source_lang, f->target_lang,
				 c->job->source_lang, c->job->target_lang), 1;
	if (strcmp(f->original, c->job->original) != 0)
		return set_error(c->why, f->line, "the file is of %.80s, the job of %.80s", f->original, c->job->original), 1;
	return 0;
}

static int same_unit(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f;
	comparison *c = ctx;
	size_t lo = 0, hi = c->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->segs[c->order[mid]].id < u->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->nsegs || c->segs[c->order[lo]].id != u->id)
		return set_error(c->why, u->line, "segment %d is not in the job", u->id), 1;
	const xliff_segment *s = &c->segs[c->order[lo]];
	if (strcmp(s->source, u->source) != 0)
		return set_error(c->why, u->line, "segment %d's source differs from the job's", u->id), 1;
	c->seen[c->order[lo]] = 1;
	c->units++;
	return 0;
}

int xliff_compare(const char *xml, size_t n, const xliff_job *job, const xliff_segment *segs, size_t nsegs,
		  xliff_error *why)
{
	comparison c = { job, segs, nsegs, calloc(nsegs + 1, sizeof(size_t)), calloc(nsegs + 1, 1), 0, why };
	int rc = -1;
	if (!c.order || !c.seen) {
		set_error(why, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nsegs; i++)
		c.order[i] = i;
	qsort_r(c.order, nsegs, sizeof *c.order, by_id, (void *)segs);
	xliff_reader_cb cb = { same_file, same_unit, &c };
	rc = xliff_read(xml, n, &cb, why);
	if (rc != 0 || c.units == nsegs)
		goto done;
	size_t missing = 0;
	while (missing < nsegs && c.seen[missing])
		missing++;
	set_error(why, 0, "the file has %zu segments, the job %zu: segment %d is missing", c.units, nsegs,
		  segs[missing].id);
	rc = 1;
done:
	free(c.order);
	free(c.seen);
	return rc;
}
