/*
 * tmx — TMX 1.4 read one unit at a time and written one unit at a time
 * (see tmx.h).
 *
 * The reader walks the document with formats/xmlstream, one function per
 * element it knows (tmx, header, body, tu, tuv, seg), each reading its
 * children until its own end tag.  A unit's strings go into one buffer
 * that is emptied for the next unit, so a unit costs its own size and no
 * more, whatever the file's.
 *
 * A segment is read in two steps, because how its codes are numbered (by
 * their x, or in order) is known only once all of them are seen: first
 * its text and a list of its codes with where each stands in the text,
 * then the segment written out with the codes in Liaison's notation.  Text
 * that would itself read as a code ("<g1>" typed in a sentence) cannot be
 * told from one afterwards, so it is refused.
 */
#include "formats/tmx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/fold.h"
#include "core/utf8.h"
#include "formats/inline.h"
#include "formats/xmlstream.h"

#define UNIT_BYTES_MAX (32u << 20)   /* a unit's text and attributes, all languages */
#define VARIANTS_MAX 256
#define PROPS_MAX 256

/* ---- reading ----------------------------------------------------------- */

/* A code of the segment being read, before it is numbered. */
typedef struct code {
	inline_kind kind;   /* INLINE_OPEN, INLINE_CLOSE or INLINE_EMPTY */
	int x;              /* its x attribute; 0 when it has none that is a number 1..INLINE_ID_MAX */
	long i;             /* a <bpt>'s or <ept>'s i; -1 for <hi> */
	size_t at;          /* where it stands in the segment's text */
	size_t open;        /* a close's open code */
	long line;
	int id;             /* the number it is given */
} code;

typedef struct variant_at {
	char lang[4], tag[TMX_LANG_MAX];
	size_t text, len;   /* in the unit's strings */
} variant_at;

typedef struct prop_at {
	size_t name, value;
} prop_at;

typedef struct reader {
	xmlstream x;
	const tmx_reader_opts *o;
	int stopped;        /* a callback returned nonzero */
	buf strings;        /* the unit's strings (the header's before the first unit) */
	variant_at *variants;
	size_t nvariants;
	prop_at props[PROPS_MAX];
	size_t nprops;
	buf text;           /* the segment's text without its codes */
	code *codes;
	size_t ncodes, codes_cap;
	size_t *open;       /* the codes open, innermost last */
	size_t nopen;
	unsigned char x_seen[INLINE_ID_MAX / 8 + 1];
} reader;

static int fail(reader *rd, long line, const char *why) { return xmlstream_fail(&rd->x, line, "%s", why); }

/* TMX's 20261207T101500Z as Liaison's 2026-12-07T10:15:00Z; "" stays "". */
static int tmx_time_read(const char *s, char out[TMX_TIME_MAX])
{
	out[0] = '\0';
	if (!*s)
		return 0;
	if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	/* YYYYMMDDThhmmssZ -> YYYY-MM-DDThh:mm:ssZ, byte by byte (a unit has two) */
	static const signed char from[TMX_TIME_MAX - 1] = { 0, 1, 2, 3, -'-', 4, 5, -'-', 6, 7, 8,
							    9, 10, -':', 11, 12, -':', 13, 14, 15 };
	for (int k = 0; k < TMX_TIME_MAX - 1; k++)
		out[k] = from[k] >= 0 ? s[from[k]] : (char)-from[k];
	out[TMX_TIME_MAX - 1] = '\0';
	return clock_valid_time(out) ? 0 : -1;
}

static const char *stored(const reader *rd, size_t at) { return at == (size_t)-1 ? "" : rd->strings.data + at; }

static int read_time(reader *rd, size_t at, const char *name, char out[TMX_TIME_MAX])
{
	if (tmx_time_read(stored(rd, at), out) == 0)
		return 0;
	return xmlstream_fail(&rd->x, 0, "%s \"%.40s\" is not a time written as 20261207T101500Z", name,
			      stored(rd, at));
}

/* A number from 1 to max written in decimal; 0 when s is none. */
static long small_number(const char *s, long max)
{
	long v = 0;
	if (!*s || *s == '0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (*s - '0')) > max)
			return 0;
	}
	return v;
}

static int add_code(reader *rd, inline_kind kind, int x, long i)
{
	if (rd->ncodes == INLINE_ID_MAX)
		return fail(rd, 0, "a segment holds more than 9999 inline codes");
	if (rd->ncodes == rd->codes_cap) {
		size_t cap = rd->codes_cap ? rd->codes_cap * 2 : 16;
		code *c = realloc(rd->codes, cap * sizeof *c);
		size_t *o = realloc(rd->open, cap * sizeof *o);
		if (c)
			rd->codes = c;
		if (o)
			rd->open = o;
		if (!c || !o)
			return fail(rd, 0, "out of memory reading a segment");
		rd->codes_cap = cap;
	}
	rd->codes[rd->ncodes] = (code){ kind, x, i, rd->text.len, 0, xmlstream_line(&rd->x), 0 };
	if (kind == INLINE_OPEN)
		rd->open[rd->nopen++] = rd->ncodes;
	rd->ncodes++;
	return 0;
}

/* An <ept>, or the end of a <hi>: it closes the innermost code open, which
 * must be its own (Liaison's tags nest, TMX's bpt/ept may cross). */
static int close_code(reader *rd, long i)
{
	if (rd->nopen == 0 || rd->codes[rd->open[rd->nopen - 1]].i != i) {
		if (i < 0)
			return fail(rd, 0, "a <hi> ends while a <bpt> inside it is open: tags that cross cannot be kept");
		for (size_t k = 0; k < rd->nopen; k++)
			if (rd->codes[rd->open[k]].i == i)
				return xmlstream_fail(&rd->x, 0, "<ept i=\"%ld\"> closes a tag that is not the last opened: "
								 "tags that cross cannot be kept", i);
		return xmlstream_fail(&rd->x, 0, "<ept i=\"%ld\"> without its <bpt> before it", i);
	}
	size_t open = rd->open[--rd->nopen];
	if (add_code(rd, INLINE_CLOSE, 0, i))
		return -1;
	rd->codes[rd->ncodes - 1].open = open;
	return 0;
}

/* One code element in a segment: its attributes, and its content skipped
 * (another tool's native code; Liaison keeps only the code's place). */
static int read_code(reader *rd, const char *name)
{
	static const char *const attrs[] = { "i", "x" };
	size_t mark = rd->strings.len, at[2];
	xmlstream_attributes(&rd->x, attrs, 2, &rd->strings, at);
	int x = (int)small_number(stored(rd, at[1]), INLINE_ID_MAX);
	long i = small_number(stored(rd, at[0]), 1L << 30);
	rd->strings.len = mark;   /* the attributes were needed only here */
	int paired = strcmp(name, "bpt") == 0 || strcmp(name, "ept") == 0;
	if (paired && i == 0)
		return xmlstream_fail(&rd->x, 0, "<%s> without an i that is a number", name);
	int rc;
	if (strcmp(name, "bpt") == 0)
		rc = add_code(rd, INLINE_OPEN, x, i);
	else if (paired)
		rc = close_code(rd, i);
	else if (strcmp(name, "hi") == 0)
		return add_code(rd, INLINE_OPEN, x, -1) || (xmlstream_empty(&rd->x) && close_code(rd, -1)) ? -1 : 0;
	else if (strcmp(name, "ph") == 0 || strcmp(name, "it") == 0 || strcmp(name, "ut") == 0)
		rc = add_code(rd, INLINE_EMPTY, x, 0);
	else
		return xmlstream_fail(&rd->x, 0, "<%s> is not one of the inline elements of a <seg>", name);
	return rc ? -1 : xmlstream_skip(&rd->x);
}

/* The codes' numbers: their x when every code that opens or stands alone
 * has one of its own, else 1, 2, ... in order.  A close takes its open's. */
static void number_codes(reader *rd)
{
	int by_x = 1, next = 0;
	memset(rd->x_seen, 0, sizeof rd->x_seen);
	for (size_t k = 0; k < rd->ncodes && by_x; k++) {
		const code *c = &rd->codes[k];
		if (c->kind == INLINE_CLOSE)
			continue;
		if (c->x == 0 || (rd->x_seen[c->x / 8] & (1u << (c->x % 8))))
			by_x = 0;
		rd->x_seen[c->x / 8] |= (unsigned char)(1u << (c->x % 8));
	}
	for (size_t k = 0; k < rd->ncodes; k++) {
		code *c = &rd->codes[k];
		c->id = c->kind == INLINE_CLOSE ? rd->codes[c->open].id : by_x ? c->x : ++next;
	}
}

/* A run of the segment's text between codes, into NFC, into the unit's
 * strings; refused when it would read as a code. */
static int put_run(reader *rd, const char *s, size_t n, long line)
{
	size_t from = rd->strings.len;
	if (xmlstream_nfc(&rd->strings, s, n))
		return fail(rd, line, "a segment's text is not UTF-8");
	const char *run = rd->strings.data + from;
	size_t len = rd->strings.len - from, pos = 0;
	inline_piece p;
	if (!memchr(run, '<', len))   /* every tag starts with "<" */
		return 0;
	while (inline_next(run, len, &pos, &p))
		if (p.kind != INLINE_TEXT && p.kind != INLINE_PLACEHOLDER)
			return xmlstream_fail(&rd->x, line, "the text \"%.*s\" of a segment reads as an inline code",
					      (int)p.len, run + p.off);
	return 0;
}

static void put_code(buf *b, const code *c)
{
	buf_puts(b, c->kind == INLINE_OPEN ? "<g" : c->kind == INLINE_CLOSE ? "</g" : "<x");
	xmlstream_put_number(b, (unsigned)c->id);
	buf_puts(b, c->kind == INLINE_EMPTY ? "/>" : ">");
}

/* The segment read, written out in Liaison's codes as the variant's text. */
static int finish_segment(reader *rd, variant_at *v, long line)
{
	if (rd->nopen) {
		const code *c = &rd->codes[rd->open[rd->nopen - 1]];
		if (c->i < 0)
			return fail(rd, c->line, "a <hi> is not closed");
		return xmlstream_fail(&rd->x, c->line, "<bpt i=\"%ld\"> without its <ept> in the segment", c->i);
	}
	number_codes(rd);
	v->text = rd->strings.len;
	const char *text = buf_str(&rd->text);
	size_t from = 0;
	for (size_t k = 0; k < rd->ncodes; k++) {
		const code *c = &rd->codes[k];
		if (put_run(rd, text + from, c->at - from, line))
			return -1;
		put_code(&rd->strings, c);
		from = c->at;
	}
	if (put_run(rd, text + from, rd->text.len - from, line))
		return -1;
	v->len = rd->strings.len - v->text;
	buf_add(&rd->strings, "", 1);
	return 0;
}

static int read_seg(reader *rd, variant_at *v)
{
	long line = xmlstream_line(&rd->x);
	buf_reset(&rd->text);
	rd->ncodes = rd->nopen = 0;
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child(&rd->x, depth)) != 0) {
		if (r < 0)
			return -1;
		xmlstream_node kind = xmlstream_kind(&rd->x);
		if (kind == XS_TEXT)
			buf_puts(&rd->text, xmlstream_text(&rd->x));
		else if (kind == XS_ELEMENT && read_code(rd, xmlstream_name(&rd->x)))
			return -1;
		else if (kind == XS_END && close_code(rd, -1))   /* a <hi>'s: the others' content was skipped */
			return -1;
		if (rd->strings.len + rd->text.len > UNIT_BYTES_MAX)
			return fail(rd, line, "a unit is longer than 32 MB");
	}
	return finish_segment(rd, v, line);
}

static int read_lang(reader *rd, variant_at *v)
{
	static const char *const attrs[] = { "xml:lang", "lang" };   /* lang: TMX 1.1's, still written by some tools */
	size_t mark = rd->strings.len, at[2];
	xmlstream_attributes(&rd->x, attrs, 2, &rd->strings, at);
	const char *tag = at[0] != (size_t)-1 ? stored(rd, at[0]) : stored(rd, at[1]);
	int rc = 0;
	if (!*tag)
		rc = fail(rd, 0, "a <tuv> without xml:lang");
	else if (strlen(tag) >= TMX_LANG_MAX || xmlstream_lang(tag, v->lang))
		rc = xmlstream_fail(&rd->x, 0, "xml:lang \"%.40s\" is not a language tag", tag);
	else if (!xmlstream_lang_known(v->lang, rd->o->languages))
		rc = xmlstream_fail(&rd->x, 0, "unknown language \"%s\"", tag);
	else
		strcpy(v->tag, tag);
	rd->strings.len = mark;
	return rc;
}

static int read_tuv(reader *rd)
{
	if (rd->nvariants == VARIANTS_MAX)
		return fail(rd, 0, "a <tu> with more than 256 <tuv>");
	variant_at *v = &rd->variants[rd->nvariants];
	*v = (variant_at){ .text = (size_t)-1 };
	long line = xmlstream_line(&rd->x);
	if (read_lang(rd, v))
		return -1;
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		const char *name = xmlstream_name(&rd->x);
		if (strcmp(name, "seg") == 0) {
			if (v->text != (size_t)-1)
				return fail(rd, 0, "a <tuv> with a second <seg>");
			if (read_seg(rd, v))
				return -1;
		} else if (strcmp(name, "note") == 0 || strcmp(name, "prop") == 0) {
			if (xmlstream_skip(&rd->x))
				return -1;
		} else {
			return xmlstream_fail(&rd->x, 0, "<%s> inside a <tuv>", name);
		}
	}
	if (r < 0)
		return -1;
	if (v->text == (size_t)-1)
		return fail(rd, line, "a <tuv> without its <seg>");
	rd->nvariants++;
	return 0;
}

/* A <prop>: kept when its type is Liaison's own kind, "x-NAME". */
static int read_prop(reader *rd)
{
	static const char *const attrs[] = { "type" };
	size_t mark = rd->strings.len, at;
	xmlstream_attributes(&rd->x, attrs, 1, &rd->strings, &at);
	const char *type = stored(rd, at);
	if (strncmp(type, "x-", 2) != 0 || !type[2] || rd->nprops == PROPS_MAX) {
		rd->strings.len = mark;
		return xmlstream_skip(&rd->x);
	}
	rd->props[rd->nprops] = (prop_at){ at + 2, rd->strings.len };
	if (xmlstream_element_text(&rd->x, &rd->strings))
		return -1;
	rd->nprops++;
	return 0;
}

static int read_tu_children(reader *rd)
{
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		const char *name = xmlstream_name(&rd->x);
		int rc = strcmp(name, "tuv") == 0    ? read_tuv(rd)
			 : strcmp(name, "prop") == 0 ? read_prop(rd)
			 : strcmp(name, "note") == 0 ? xmlstream_skip(&rd->x)
						     : xmlstream_fail(&rd->x, 0, "<%s> inside a <tu>", name);
		if (rc)
			return -1;
	}
	return r;
}

static int hand_unit(reader *rd, tmx_unit *u, const size_t *at)
{
	tmx_variant variants[VARIANTS_MAX];
	tmx_prop props[PROPS_MAX];
	for (size_t k = 0; k < rd->nvariants; k++) {
		const variant_at *v = &rd->variants[k];
		variants[k] = (tmx_variant){ .text = rd->strings.data + v->text, .len = v->len };
		memcpy(variants[k].lang, v->lang, sizeof v->lang);
		memcpy(variants[k].tag, v->tag, sizeof v->tag);
	}
	for (size_t k = 0; k < rd->nprops; k++)
		props[k] = (tmx_prop){ rd->strings.data + rd->props[k].name, rd->strings.data + rd->props[k].value };
	u->tuid = stored(rd, at[0]);
	u->creator = stored(rd, at[3]);
	u->changer = stored(rd, at[4]);
	u->variants = variants, u->nvariants = rd->nvariants;
	u->props = props, u->nprops = rd->nprops;
	if (rd->o->on_unit && rd->o->on_unit(rd->o->ctx, u)) {
		rd->stopped = 1;
		return xmlstream_fail(&rd->x, u->line, "stopped by its reader");
	}
	return 0;
}

static int read_tu(reader *rd)
{
	static const char *const attrs[] = { "tuid", "creationdate", "changedate", "creationid", "changeid" };
	size_t at[5];
	tmx_unit u = { .line = xmlstream_line(&rd->x) };
	buf_reset(&rd->strings);
	rd->nvariants = rd->nprops = 0;
	xmlstream_attributes(&rd->x, attrs, 5, &rd->strings, at);
	if (read_time(rd, at[1], "creationdate", u.created) || read_time(rd, at[2], "changedate", u.changed))
		return -1;
	if (read_tu_children(rd))
		return -1;
	if (rd->nvariants == 0)
		return fail(rd, u.line, "a <tu> without any <tuv>");
	return hand_unit(rd, &u, at);
}

static int read_header(reader *rd)
{
	static const char *const attrs[] = { "srclang", "adminlang", "creationtool", "creationtoolversion",
					     "segtype", "datatype", "o-tmf", "creationdate" };
	size_t at[8];
	buf_reset(&rd->strings);
	xmlstream_attributes(&rd->x, attrs, 8, &rd->strings, at);
	tmx_header h = { stored(rd, at[0]), stored(rd, at[1]), stored(rd, at[2]), stored(rd, at[3]),
			 stored(rd, at[4]), stored(rd, at[5]), stored(rd, at[6]), "" };
	char primary[4];
	if (strcmp(h.srclang, "*all*") != 0 && (xmlstream_lang(h.srclang, primary) || strlen(h.srclang) >= TMX_LANG_MAX))
		return xmlstream_fail(&rd->x, 0, "srclang \"%.40s\" is not a language tag", h.srclang);
	if (read_time(rd, at[7], "creationdate", h.created) || xmlstream_skip(&rd->x))
		return -1;
	if (rd->o->on_header && rd->o->on_header(rd->o->ctx, &h)) {
		rd->stopped = 1;
		return fail(rd, 0, "stopped by its reader");
	}
	return 0;
}

static int read_body(reader *rd)
{
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		if (strcmp(xmlstream_name(&rd->x), "tu") != 0)
			return xmlstream_fail(&rd->x, 0, "<%s> inside the <body>", xmlstream_name(&rd->x));
		if (read_tu(rd))
			return -1;
	}
	return r;
}

/* <tmx>: its <header>, then its <body>. */
static int read_tmx(reader *rd)
{
	int depth = xmlstream_children(&rd->x), r, header = 0, body = 0;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		const char *name = xmlstream_name(&rd->x);
		if (strcmp(name, "header") == 0 && !header && !body) {
			header = 1;
			if (read_header(rd))
				return -1;
		} else if (strcmp(name, "body") == 0 && header && !body) {
			body = 1;
			if (read_body(rd))
				return -1;
		} else {
			return xmlstream_fail(&rd->x, 0, "<%s> where the <tmx> holds its <header> then its <body>", name);
		}
	}
	if (r < 0)
		return -1;
	return body ? 0 : fail(rd, 0, "a <tmx> without its <header> and <body>");
}

static int read_root(void *rd) { return read_tmx(rd); }

/* The document in, its units out to o; see tmx.h. */
static int read_input(const xmlstream_input *in, const tmx_reader_opts *o, tmx_error *err)
{
	if (err)
		*err = (tmx_error){ 0 };
	reader *rd = calloc(1, sizeof *rd);
	if (rd)
		rd->variants = malloc(VARIANTS_MAX * sizeof *rd->variants);
	if (!rd || !rd->variants) {
		free(rd);
		return xmlstream_error_set(err, 0, "out of memory");
	}
	rd->o = o;
	int rc = xmlstream_read(&rd->x, in, "tmx", read_root, rd, err);
	rc = rc == 0 ? 0 : rd->stopped ? 1 : -1;
	buf_free(&rd->strings);
	buf_free(&rd->text);
	free(rd->variants);
	free(rd->codes);
	free(rd->open);
	free(rd);
	return rc;
}

int tmx_read_memory(const char *data, size_t len, const tmx_reader_opts *o, tmx_error *err)
{
	return read_input(&(xmlstream_input){ data ? data : "", len, -1 }, o, err);
}

int tmx_read_fd(int fd, const tmx_reader_opts *o, tmx_error *err)
{
	return read_input(&(xmlstream_input){ NULL, 0, fd }, o, err);
}

/* ---- writing ----------------------------------------------------------- */

struct tmx_writer {
	xmlstream_out out;
};

#define werr(err, ...) xmlstream_error_set(err, 0, __VA_ARGS__)

/* name="value" with value escaped; nothing for an absent or empty value. */
static int put_attr(buf *b, const char *name, const char *value, tmx_error *err)
{
	if (xmlstream_put_attr(b, name, value))
		return werr(err, "%s is not UTF-8 or holds a character XML cannot carry", name);
	return 0;
}

/* Liaison's 2026-12-07T10:15:00Z as TMX's 20261207T101500Z. */
static int put_time(buf *b, const char *name, const char *t, tmx_error *err)
{
	if (!t || !*t)
		return 0;
	if (!clock_valid_time(t))
		return werr(err, "%s \"%.40s\" is not a UTC time 2026-12-07T10:15:00Z", name, t);
	buf_printf(b, " %s=\"%.4s%.2s%.2sT%.2s%.2s%.2sZ\"", name, t, t + 5, t + 8, t + 11, t + 14, t + 17);
	return 0;
}

tmx_writer *tmx_writer_open(const tmx_header *h, tmx_write_fn write, void *ctx, tmx_error *err)
{
	char primary[4];
	const char *admin = h->adminlang && *h->adminlang ? h->adminlang : "en";
	if (!h->srclang || (strcmp(h->srclang, "*all*") != 0 && xmlstream_lang(h->srclang, primary))) {
		werr(err, "srclang \"%.40s\" is not a language tag", h->srclang ? h->srclang : "");
		return NULL;
	}
	if (xmlstream_lang(admin, primary)) {
		werr(err, "adminlang \"%.40s\" is not a language tag", admin);
		return NULL;
	}
	tmx_writer *w = calloc(1, sizeof *w);
	if (!w) {
		werr(err, "out of memory");
		return NULL;
	}
	w->out.write = write, w->out.ctx = ctx;
	buf_puts(&w->out.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
			  "<tmx version=\"1.4\">\n<header creationtool=\"Liaison\"");
	if (put_attr(&w->out.b, "creationtoolversion", h->tool_version && *h->tool_version ? h->tool_version : "0", err) ||
	    put_attr(&w->out.b, "segtype", "sentence", err) ||
	    put_attr(&w->out.b, "o-tmf", h->o_tmf && *h->o_tmf ? h->o_tmf : "Liaison", err) ||
	    put_attr(&w->out.b, "adminlang", admin, err) || put_attr(&w->out.b, "srclang", h->srclang, err) ||
	    put_attr(&w->out.b, "datatype", "plaintext", err) || put_time(&w->out.b, "creationdate", h->created, err)) {
		buf_free(&w->out.b);
		free(w);
		return NULL;
	}
	buf_puts(&w->out.b, "/>\n<body>\n");
	return w;
}

/* A segment in Liaison's codes as TMX: <gN> as <bpt i="N" x="N"/>, </gN> as
 * <ept i="N"/>, <xN/> as <ph x="N"/>; text and placeholders escaped. */
static int put_segment(buf *b, const tmx_variant *v, tmx_error *err)
{
	size_t at, pos = 0;
	inline_error e = inline_check(v->text, v->len, &at);
	if (e != INLINE_OK)
		return werr(err, "the %s segment's codes: %s (at byte %zu)", v->lang, inline_error_message(e), at);
	inline_piece p;
	while (inline_next(v->text, v->len, &pos, &p)) {
		size_t bad;
		if (p.kind == INLINE_OPEN) {
			buf_puts(b, "<bpt i=\"");
			xmlstream_put_number(b, (unsigned)p.id);
			buf_puts(b, "\" x=\"");
			xmlstream_put_number(b, (unsigned)p.id);
			buf_puts(b, "\"/>");
		} else if (p.kind == INLINE_CLOSE) {
			buf_puts(b, "<ept i=\"");
			xmlstream_put_number(b, (unsigned)p.id);
			buf_puts(b, "\"/>");
		} else if (p.kind == INLINE_EMPTY) {
			buf_puts(b, "<ph x=\"");
			xmlstream_put_number(b, (unsigned)p.id);
			buf_puts(b, "\"/>");
		} else if (xmlstream_put(b, v->text + p.off, p.len, 0, &bad))
			return werr(err, "the %s segment is not UTF-8 or holds a character XML cannot carry (at byte %zu)",
				    v->lang, p.off + bad);
	}
	return 0;
}

static int put_variant(buf *b, const tmx_variant *v, tmx_error *err)
{
	char primary[4];
	if (xmlstream_lang(v->lang, primary) || strcmp(primary, v->lang) != 0)
		return werr(err, "\"%.8s\" is not a primary language in lower case", v->lang);
	buf_puts(b, "  <tuv xml:lang=\"");
	buf_puts(b, v->lang);
	buf_puts(b, "\"><seg>");
	if (put_segment(b, v, err))
		return -1;
	buf_puts(b, "</seg></tuv>\n");
	return 0;
}

static int put_unit(buf *b, const tmx_unit *u, tmx_error *err)
{
	if (u->nvariants == 0)
		return werr(err, "a unit without any language");
	buf_puts(b, "<tu");
	if (put_attr(b, "tuid", u->tuid, err) || put_time(b, "creationdate", u->created, err) ||
	    put_attr(b, "creationid", u->creator, err) || put_time(b, "changedate", u->changed, err) ||
	    put_attr(b, "changeid", u->changer, err))
		return -1;
	buf_puts(b, ">\n");
	for (size_t k = 0; k < u->nprops; k++) {
		const tmx_prop *p = &u->props[k];
		if (!p->name || !*p->name)
			return werr(err, "a property without a name");
		buf_puts(b, "  <prop type=\"x-");
		if (xmlstream_put(b, p->name, strlen(p->name), 1, NULL))
			return werr(err, "a property's name is not UTF-8 or holds a character XML cannot carry");
		buf_puts(b, "\">");
		if (p->value && xmlstream_put(b, p->value, strlen(p->value), 0, NULL))
			return werr(err, "the property %.40s is not UTF-8 or holds a character XML cannot carry", p->name);
		buf_puts(b, "</prop>\n");
	}
	for (size_t k = 0; k < u->nvariants; k++)
		if (put_variant(b, &u->variants[k], err))
			return -1;
	buf_puts(b, "</tu>\n");
	return 0;
}

int tmx_writer_unit(tmx_writer *w, const tmx_unit *u, tmx_error *err)
{
	size_t mark = w->out.b.len;
	if (put_unit(&w->out.b, u, err)) {
		xmlstream_out_undo(&w->out, mark);   /* a refused unit leaves nothing behind */
		return -1;
	}
	return xmlstream_out_flush(&w->out, 0, err);
}

int tmx_writer_close(tmx_writer *w, tmx_error *err)
{
	buf_puts(&w->out.b, "</body>\n</tmx>\n");
	int rc = xmlstream_out_flush(&w->out, 1, err);
	buf_free(&w->out.b);
	free(w);
	return rc;
}
