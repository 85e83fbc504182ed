/*
 * mail — reads one e-mail message into a mail_message; see mail.h.
 *
 * GMime parses the MIME structure, the addresses, the dates, the threading
 * headers and the parameters (RFC 2231 file names).  This file adds what the
 * inquiry desk needs on top and GMime does not give:
 *
 *   - Text that is always valid UTF-8.  Body parts are converted from their
 *     declared charset with GMime's iconv wrappers, except that "iso-8859-1"
 *     is read as windows-1252 (its superset, and what Outlook really sends
 *     under that label) and undeclared text is taken as UTF-8 when it is
 *     valid, else as windows-1252.  A last pass over every string replaces
 *     what is still broken with U+FFFD and turns C1 control characters back
 *     into the windows-1252 punctuation they were mislabelled from: no one
 *     types a C1 control, so that guess is never wrong in practice.
 *   - The subject, decoded here rather than by GMime because GMime decodes
 *     each RFC 2047 encoded word on its own, and some mailers split a
 *     multibyte character across two words; only decoding adjacent words of
 *     one charset together gets the character back.
 *   - A multipart whose boundary never appears, which GMime leaves with no
 *     parts and the whole body as its preface: the body is parsed again with
 *     the boundary it really uses, or the preface is the text.
 *   - HTML turned into plain text when the message has no text part (libxml2
 *     reads the HTML).
 *   - The rules that recognize automatic replies, as a table.
 *
 * Memory: the caller's bytes are not copied.  GMime reads them through a
 * memory stream that borrows them and keeps parts as ranges of that stream;
 * each attachment is decoded once, into the array handed to the caller.
 * Only a broken multipart is copied, when it is parsed a second time.
 */
#include "formats/mail.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <limits.h>
#include <libxml/HTMLparser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/textfit.h"
#include "core/utf8.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD in UTF-8 */
#define MAX_DEPTH 32                 /* deeper nesting is an attack on the stack, not mail */
#define LANG_SAMPLE 4096             /* bytes of text mail_guess_lang looks at */

/* ---------------------------------------------------------------------------
 * GMime's global state: set up once per process, never torn down, because
 * other threads may be parsing at any moment.
 */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void) { g_mime_init(); }

void mail_init(void) { pthread_once(&gmime_once, gmime_start); }

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();   /* the policy of buf.c: no useful answer without memory */
	return p;
}

static int fail(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return -1;
}

/* ---------------------------------------------------------------------------
 * UTF-8 output.
 */

/* windows-1252 for 0x80..0x9F; 0 where the code page leaves a byte undefined. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Encodes c into s (4 bytes of room); NUL, surrogates and values beyond
 * Unicode become U+FFFD. */
static size_t utf8_encode(uint32_t c, char *s)
{
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) {
		s[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		s[0] = (char)(0xC0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		s[0] = (char)(0xE0 | c >> 12);
		s[1] = (char)(0x80 | (c >> 6 & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	s[0] = (char)(0xF0 | c >> 18);
	s[1] = (char)(0x80 | (c >> 12 & 0x3F));
	s[2] = (char)(0x80 | (c >> 6 & 0x3F));
	s[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static void put_char(buf *b, uint32_t c)
{
	char s[4];
	buf_add(b, s, utf8_encode(c, s));
}

/* 1 when s is well-formed UTF-8; NUL bytes do not count against it (they
 * are dropped on output anyway). */
static int is_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t c;
		size_t len = utf8_next((const char *)p, (size_t)(end - p), &c);
		if (!len)
			return 0;
		p += len;
	}
	return 1;
}

/* Appends s as valid UTF-8: broken sequences become U+FFFD, NULs are
 * dropped (every string handed out is a C string), C1 controls become the
 * windows-1252 characters they stand for. */
static void add_utf8(buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p && *p < 0x80)
			p++;
		buf_add(b, run, (size_t)(p - run));
		if (p == end)
			break;
		if (!*p) {
			p++;
			continue;
		}
		uint32_t c;
		size_t len = utf8_next((const char *)p, (size_t)(end - p), &c);
		if (!len) {
			buf_add(b, REPLACEMENT, 3);
			p++;
			continue;
		}
		if (c >= 0x80 && c <= 0x9F)
			put_char(b, cp1252_c1[c - 0x80]);   /* 0, undefined, gives U+FFFD */
		else
			buf_add(b, p, len);
		p += len;
	}
}

static void add_cp1252(buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	for (; p < end; p++) {
		if (!*p)
			continue;
		if (*p < 0x80)
			buf_putc(b, (char)*p);
		else if (*p < 0xA0)
			put_char(b, cp1252_c1[*p - 0x80]);
		else
			put_char(b, *p);   /* Latin-1 and windows-1252 agree from 0xA0 */
	}
}

/* Text whose charset no one declared: UTF-8 when it is valid, as it mostly
 * is now, else windows-1252, the commonest legacy charset of our
 * correspondents and a superset of Latin-1. */
static void add_guess(buf *b, const char *s, size_t n)
{
	if (is_utf8(s, n))
		add_utf8(b, s, n);
	else
		add_cp1252(b, s, n);
}

static int name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(name, *list))
			return 1;
	return 0;
}

enum { CS_UNDECLARED, CS_UTF8, CS_CP1252, CS_OTHER };

/* Which way to read a declared charset.  ASCII labels count as undeclared:
 * mailers put them on 8-bit text they never looked at. */
static int charset_kind(const char *cs)
{
	static const char *const undeclared[] = {
		"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "unknown-8bit", "x-unknown", "default", NULL,
	};
	static const char *const utf8[] = { "utf-8", "utf8", NULL };
	static const char *const cp1252[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819", "ibm819",
		"windows-1252", "cp1252", "x-cp1252", "cp-1252", "win-1252", NULL,
	};
	if (!cs || !*cs || name_in(cs, undeclared))
		return CS_UNDECLARED;
	if (name_in(cs, utf8))
		return CS_UTF8;
	if (name_in(cs, cp1252))
		return CS_CP1252;
	return CS_OTHER;
}

/* Converts through GMime's iconv cache; -1 when the charset is unknown.
 * A byte the charset does not have becomes U+FFFD and conversion goes on. */
static int add_iconv(buf *b, const char *s, size_t n, const char *charset)
{
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return -1;
	buf tmp = BUF_INIT;
	char chunk[4096];
	char *in = (char *)s;
	size_t left = n;
	while (left > 0) {
		char *o = chunk;
		size_t room = sizeof chunk;
		size_t r = iconv(cd, &in, &left, &o, &room);
		buf_add(&tmp, chunk, (size_t)(o - chunk));
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ (not of this charset) or EINVAL (cut short at the end) */
		buf_add(&tmp, REPLACEMENT, 3);
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	char *o = chunk;
	size_t room = sizeof chunk;
	iconv(cd, NULL, NULL, &o, &room);   /* the closing shift of stateful charsets */
	buf_add(&tmp, chunk, (size_t)(o - chunk));
	g_mime_iconv_close(cd);
	add_utf8(b, buf_str(&tmp), tmp.len);   /* iconv's UTF-8 may still hold C1 controls */
	buf_free(&tmp);
	return 0;
}

static void add_charset(buf *b, const char *s, size_t n, const char *charset)
{
	switch (charset_kind(charset)) {
	case CS_UTF8:
		add_utf8(b, s, n);
		return;
	case CS_CP1252:
		add_cp1252(b, s, n);
		return;
	case CS_UNDECLARED:
		add_guess(b, s, n);
		return;
	}
	if (add_iconv(b, s, n, charset) < 0)
		add_guess(b, s, n);
}

/* Valid UTF-8 on one line, cleaned as every intake cleans names and
 * subjects (core/textfit.h): line breaks and tabs become spaces, other
 * controls go, no space at either end.  For subjects, names and ids, which
 * are shown on one line and may go back out in a reply's headers. */
static char *one_line(const char *s, size_t n)
{
	buf clean = BUF_INIT, out = BUF_INIT;
	add_utf8(&clean, s, n);
	text_one_line(&out, buf_str(&clean), clean.len);
	buf_free(&clean);
	return buf_steal(&out);
}

/* one_line of a GMime string, NULL when there is nothing left of it. */
static char *line_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *r = one_line(s, strlen(s));
	if (!*r) {
		free(r);
		return NULL;
	}
	return r;
}

/* ---------------------------------------------------------------------------
 * RFC 2047 encoded words in unstructured headers.
 */

typedef struct {
	const char *charset;   /* without an RFC 2231 "*language" */
	size_t charset_len;
	char enc;              /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t len;            /* the whole word, "=?" to "?=" */
} encoded_word;

/* Recognizes "=?charset?enc?text?=" at p.  Loose as mailers need: the text
 * may hold spaces (some mailers leave them unencoded) and ends at the first "?=";
 * only a line break inside it means it is not an encoded word. */
static int parse_word(const char *p, const char *end, encoded_word *w)
{
	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	const char *cs = p + 2, *q = cs;
	while (q < end && *q != '?' && (unsigned char)*q > ' ')
		q++;
	if (q == end || *q != '?' || q == cs || q - cs > 40)
		return 0;
	const char *star = memchr(cs, '*', (size_t)(q - cs));
	w->charset = cs;
	w->charset_len = (size_t)((star ? star : q) - cs);
	if (!w->charset_len || end - q < 5 || q[2] != '?' || !strchr("BbQq", q[1]))
		return 0;
	w->enc = (q[1] == 'b' || q[1] == 'B') ? 'B' : 'Q';
	const char *t = q + 3, *e = t;
	for (; e + 1 < end && !(e[0] == '?' && e[1] == '='); e++)
		if (*e == '\r' || *e == '\n')
			return 0;
	if (e + 1 >= end)
		return 0;
	w->text = t;
	w->text_len = (size_t)(e - t);
	w->len = (size_t)(e + 2 - p);
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void decode_q(buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '_') {
			buf_putc(out, ' ');
		} else if (s[i] == '=' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0
			   && (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			buf_putc(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_putc(out, s[i]);
		}
	}
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Tolerant: skips what is not base64, stops at the padding. */
static void decode_b(buf *out, const char *s, size_t n)
{
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)(acc >> bits & 0xFF));
		}
	}
}

/* The bytes of adjacent encoded words of one charset, decoded together. */
typedef struct {
	buf bytes;
	char charset[48];
} word_run;

static void run_flush(word_run *r, buf *out)
{
	if (r->bytes.len)
		add_charset(out, r->bytes.data, r->bytes.len, r->charset);
	buf_reset(&r->bytes);
}

static void run_add(word_run *r, buf *out, const encoded_word *w)
{
	int same = strlen(r->charset) == w->charset_len && !strncasecmp(r->charset, w->charset, w->charset_len);
	if (!same) {
		run_flush(r, out);
		memcpy(r->charset, w->charset, w->charset_len);   /* parse_word keeps it under 41 */
		r->charset[w->charset_len] = '\0';
	}
	if (w->enc == 'B')
		decode_b(&r->bytes, w->text, w->text_len);
	else
		decode_q(&r->bytes, w->text, w->text_len);
}

/* An unstructured header value (the subject) as one line of UTF-8.  Encoded
 * words may touch each other or the text around them ("Re:=?utf-8?..."),
 * whitespace between two of them is dropped (RFC 2047 6.2), and raw 8-bit
 * text is guessed as UTF-8 or windows-1252. */
static char *decode_header_text(const char *raw)
{
	buf out = BUF_INIT;
	word_run run = { BUF_INIT, "" };
	const char *p = raw, *end = raw + strlen(raw);
	int space = 0, after_word = 0;
	encoded_word w;
	while (p < end) {
		if ((unsigned char)*p <= ' ') {
			space = 1;
			p++;
			continue;
		}
		if (parse_word(p, end, &w)) {
			if (!after_word && space && out.len)
				buf_putc(&out, ' ');
			space = 0;
			run_add(&run, &out, &w);
			after_word = 1;
			p += w.len;
			continue;
		}
		run_flush(&run, &out);
		after_word = 0;
		if (space && out.len)
			buf_putc(&out, ' ');
		space = 0;
		const char *q = p + 1;
		while (q < end && (unsigned char)*q > ' ' && !(q[0] == '=' && q + 1 < end && q[1] == '?'))
			q++;
		add_guess(&out, p, (size_t)(q - p));
		p = q;
	}
	run_flush(&run, &out);
	buf_free(&run.bytes);
	char *line = one_line(buf_str(&out), out.len);   /* encoded words may hold controls */
	buf_free(&out);
	return line;
}

/* ---------------------------------------------------------------------------
 * Is it a message at all?
 */

/* The end of the header block: the first empty line, or the end. */
static const char *header_block_end(const char *p, const char *end)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return end;
		if (nl == p || (nl == p + 1 && *p == '\r'))
			return p;
		p = nl + 1;
	}
	return end;
}

/* "Name:" at p, the field name being printable ASCII (RFC 5322 3.6.8); a
 * space before the colon is tolerated, as obsolete syntax allowed it. */
static int is_field_line(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q > ' ' && *q < 0x7F && *q != ':')
		q++;
	if (q == p)
		return 0;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	return q < end && *q == ':';
}

/* Why data cannot be a message, or NULL.  GMime reads almost anything as a
 * message with a few odd headers; the caller wants those quarantined. */
static const char *not_a_message(const char *data, size_t len)
{
	const char *end = data + len;
	const char *hdr_end = header_block_end(data, end);
	if (hdr_end == data)
		return "not a message: it begins with an empty line, not a header";
	if (memchr(data, '\0', (size_t)(hdr_end - data)))
		return "not a message: binary data in the header block";
	if (!is_field_line(data, end))
		return "not a message: it does not begin with a header field";
	return NULL;
}

/* Skips what may come before the first header: a UTF-8 byte order mark
 * (some tools save messages with one) and an mbox "From " envelope line. */
static void skip_envelope(const char **data, size_t *len)
{
	if (*len >= 3 && !memcmp(*data, "\xEF\xBB\xBF", 3)) {
		*data += 3;
		*len -= 3;
	}
	if (*len >= 5 && !memcmp(*data, "From ", 5)) {
		const char *nl = memchr(*data, '\n', *len);
		size_t skip = nl ? (size_t)(nl + 1 - *data) : *len;
		*data += skip;
		*len -= skip;
	}
}

/* ---------------------------------------------------------------------------
 * Parsing with GMime.
 */

typedef struct {
	GByteArray *bytes;   /* wraps the caller's data: never written, never freed by GLib */
	GMimeStream *stream;
	GMimeParserOptions *options;
	GMimeMessage *msg;
} source;

static int source_open(source *s, const char *data, size_t len)
{
	static const char *const fallback[] = { "utf-8", "windows-1252", NULL };
	/* The stream does not own the array, and the array is emptied before
	 * it is freed (source_close), so the cast away from const is safe:
	 * GMime only reads a stream it parses. */
	s->bytes = g_byte_array_new_take((guint8 *)data, len);
	s->stream = g_mime_stream_mem_new_with_byte_array(s->bytes);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(s->stream), FALSE);
	s->options = g_mime_parser_options_new();
	/* Undeclared 8-bit headers (names, file names): UTF-8, else windows-1252. */
	g_mime_parser_options_set_fallback_charsets(s->options, (const char **)fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(s->options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(s->options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(s->options, GMIME_RFC_COMPLIANCE_LOOSE);
	GMimeParser *parser = g_mime_parser_new_with_stream(s->stream);
	g_mime_parser_set_persist_stream(parser, TRUE);   /* parts stay ranges of our bytes */
	s->msg = g_mime_parser_construct_message(parser, s->options);
	g_object_unref(parser);
	return s->msg ? 0 : -1;
}

static void source_close(source *s)
{
	if (s->msg)
		g_object_unref(s->msg);
	if (s->stream)
		g_object_unref(s->stream);
	if (s->bytes) {
		guint8 *theirs = g_byte_array_steal(s->bytes, NULL);   /* the caller's: not ours to free */
		(void)theirs;
		g_byte_array_unref(s->bytes);
	}
	if (s->options)
		g_mime_parser_options_free(s->options);
}

static const char *header(GMimeMessage *msg, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(msg), name);
}

/* ---------------------------------------------------------------------------
 * Headers: threading, sender, recipients, subject, date.
 */

/* A message id as handed out: trimmed, NULL when empty. */
static char *msgid_or_null(const char *id)
{
	return line_or_null(id);
}

typedef struct {
	char **v;
	size_t n;
} id_list;

static void ids_push(id_list *l, char *id)
{
	if (!id)
		return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = id;
}

/* Every "<...@...>" of a header value, for what GMime gives up on. */
static void scan_ids(id_list *l, const char *v)
{
	for (const char *p = strchr(v, '<'); p; p = strchr(p, '<')) {
		const char *e = strchr(p + 1, '>');
		if (!e)
			return;
		char *id = one_line(p + 1, (size_t)(e - p - 1));
		if (*id && strchr(id, '@') && !strchr(id, ' '))
			ids_push(l, id);
		else
			free(id);
		p = e + 1;
	}
}

/* The message ids of a threading header, in order.  GMime's parser first;
 * it finds nothing in some free text that mailers put there ("In-Reply-To:
 * Your message of Mon, 3 Mar ... <id>"), and then every <...> holding an
 * '@' is taken, and failing that a lone bare "id@host". */
static void thread_ids(id_list *l, GMimeParserOptions *options, const char *v)
{
	if (!v)
		return;
	GMimeReferences *refs = g_mime_references_parse(options, v);
	int n = refs ? g_mime_references_length(refs) : 0;
	for (int i = 0; i < n; i++)
		ids_push(l, msgid_or_null(g_mime_references_get_message_id(refs, i)));
	if (refs)
		g_mime_references_free(refs);
	if (!l->n)
		scan_ids(l, v);
	if (!l->n) {
		char *bare = line_or_null(v);
		if (bare && strchr(bare, '@') && !strchr(bare, ' '))
			ids_push(l, bare);
		else
			free(bare);
	}
}

static void read_threading(GMimeMessage *msg, GMimeParserOptions *options, mail_message *m)
{
	m->message_id = msgid_or_null(g_mime_message_get_message_id(msg));
	id_list irt = { NULL, 0 };
	thread_ids(&irt, options, header(msg, "In-Reply-To"));
	if (irt.n)
		m->in_reply_to = irt.v[0];   /* a second id there is rare and of no use */
	for (size_t i = 1; i < irt.n; i++)
		free(irt.v[i]);
	free(irt.v);
	id_list refs = { NULL, 0 };
	thread_ids(&refs, options, header(msg, "References"));
	m->references = refs.v;
	m->nreferences = refs.n;
}

/* The address of a mailbox, lower-cased (ASCII only: the domain is case-
 * insensitive and no one relies on case in the local part), or NULL. */
static char *address_of(InternetAddressMailbox *mb)
{
	char *a = line_or_null(internet_address_mailbox_get_addr(mb));
	for (char *p = a; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return a;
}

/* The first mailbox of a list, looking into groups. */
static InternetAddressMailbox *first_mailbox(InternetAddressList *list, int depth)
{
	int n = list && depth < 4 ? internet_address_list_length(list) : 0;
	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			return INTERNET_ADDRESS_MAILBOX(a);
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			InternetAddressList *members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));
			InternetAddressMailbox *mb = first_mailbox(members, depth + 1);
			if (mb)
				return mb;
		}
	}
	return NULL;
}

static void add_recipient(mail_message *m, char *addr)
{
	for (size_t i = 0; i < m->nto; i++) {
		if (!strcmp(m->to[i], addr)) {
			free(addr);   /* the same person in To and Cc is one recipient */
			return;
		}
	}
	m->to = xrealloc(m->to, (m->nto + 1) * sizeof *m->to);
	m->to[m->nto++] = addr;
}

static void add_recipients(mail_message *m, InternetAddressList *list, int depth)
{
	int n = list && depth < 4 ? internet_address_list_length(list) : 0;
	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			add_recipients(m, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), depth + 1);
			continue;
		}
		char *addr = INTERNET_ADDRESS_IS_MAILBOX(a) ? address_of(INTERNET_ADDRESS_MAILBOX(a)) : NULL;
		if (addr)
			add_recipient(m, addr);
	}
}

static void read_people(GMimeMessage *msg, mail_message *m)
{
	InternetAddressMailbox *from = first_mailbox(g_mime_message_get_from(msg), 0);
	if (from) {
		m->from_name = line_or_null(internet_address_get_name(INTERNET_ADDRESS(from)));
		m->from_addr = address_of(from);
	}
	InternetAddressMailbox *reply = first_mailbox(g_mime_message_get_reply_to(msg), 0);
	if (reply)
		m->reply_to = address_of(reply);
	add_recipients(m, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), 0);
	add_recipients(m, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC), 0);
}

static void read_headers(GMimeMessage *msg, GMimeParserOptions *options, mail_message *m)
{
	read_threading(msg, options, m);
	read_people(msg, m);
	/* The raw value, so that words split inside a character can be joined. */
	GMimeHeader *h = g_mime_header_list_get_header(g_mime_object_get_header_list(GMIME_OBJECT(msg)), "Subject");
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	m->subject = decode_header_text(raw ? raw : "");
	GDateTime *date = g_mime_message_get_date(msg);
	m->date = date ? g_date_time_to_unix(date) : 0;
}

/* ---------------------------------------------------------------------------
 * HTML to plain text: enough to read a message, not a browser.  libxml2's
 * HTML parser reads the markup as browsers do, broken markup included, and
 * decodes the entities; the walk over its tree below drops the elements
 * whose content is not shown, ends lines after block elements, puts a
 * bullet before list items (indented under the item they are in) and turns
 * runs of whitespace into one space, as a browser shows them.
 */

typedef struct {
	buf *out;
	int space;    /* whitespace seen since the last word */
	int breaks;   /* line breaks owed before the next word: 2 leaves a blank line */
	int pre;      /* inside <pre>: whitespace is kept */
	int lists;    /* lists open around the current node */
} html_text;

/* Writes a word, after the break or the space it is owed; nothing is owed
 * at the very start, so the text has no leading or trailing whitespace. */
static void emit(html_text *h, const char *s, size_t n)
{
	if (h->out->len) {
		if (h->breaks)
			buf_add(h->out, "\n\n", (size_t)h->breaks);
		else if (h->space)
			buf_putc(h->out, ' ');
	}
	h->breaks = h->space = 0;
	buf_add(h->out, s, n);
}

static void owe_break(html_text *h, int n)
{
	if (h->breaks < n)
		h->breaks = n;
}

static void owe_newline(html_text *h)
{
	if (h->breaks < 2)
		h->breaks++;
}

/* Length of the HTML whitespace character at p (a no-break space counts,
 * Outlook fills empty paragraphs with them), 0 for anything else. */
static size_t html_space(const char *p, const char *end)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
		return 1;
	if (end - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	return 0;
}

static void html_whitespace(html_text *h, char c)
{
	if (!h->pre)
		h->space = 1;
	else if (c == '\n')
		owe_newline(h);
	else if (c != '\r')
		emit(h, " ", 1);
}

/* A text node's characters: words, and the whitespace between them.  A
 * reference to a C1 control (&#150;) means the windows-1252 character, as
 * browsers read it: add_utf8 makes it so. */
static void html_words(html_text *h, const char *text)
{
	buf fixed = BUF_INIT;
	add_utf8(&fixed, text, strlen(text));
	const char *s = buf_str(&fixed), *end = s + fixed.len;
	while (s < end) {
		size_t sp = html_space(s, end);
		if (sp) {
			html_whitespace(h, sp == 2 ? ' ' : *s);
			s += sp;
			continue;
		}
		const char *q = s + 1;
		while (q < end && !html_space(q, end))
			q++;
		emit(h, s, (size_t)(q - s));
		s = q;
	}
	buf_free(&fixed);
}

static int tag_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return 1;
	return 0;
}

/* An element's effect on the text where it opens and where it closes. */
static void apply_tag(html_text *h, const char *name, int closing)
{
	static const char *const paragraphs[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl", "blockquote", "pre", "hr",
		"address", "figure", NULL,
	};
	static const char *const lines[] = {
		"div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "main",
		"form", "fieldset", "caption", "center", "figcaption", NULL,
	};
	if (!strcmp(name, "br")) {
		if (!closing)
			owe_newline(h);
		return;
	}
	if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
		/* a list inside a list item goes on the next line, not after a blank one */
		h->lists += closing ? 0 : 1;
		owe_break(h, h->lists > 1 ? 1 : 2);
		h->lists -= closing && h->lists > 0 ? 1 : 0;
		return;
	}
	if (!strcmp(name, "pre"))
		h->pre = !closing;
	if (tag_in(name, paragraphs))
		owe_break(h, 2);
	else if (tag_in(name, lines))
		owe_break(h, 1);
	else if (!strcmp(name, "td") || !strcmp(name, "th"))
		h->space = 1;
	if (!closing && !strcmp(name, "li")) {
		static const char bullet[] = "                -";   /* two spaces a level, eight levels */
		int depth = h->lists > 8 ? 8 : h->lists > 0 ? h->lists : 1;
		size_t n = 2 * (size_t)(depth - 1) + 1;
		emit(h, bullet + sizeof bullet - 1 - n, n);
		h->space = 1;
	}
}

/* An element met in the walk: 1 when its content is shown (walk into it). */
static int html_enter(html_text *h, xmlNode *n)
{
	static const char *const hidden[] = { "script", "style", "head", "title", "template", "xml", NULL };
	const char *name = (const char *)n->name;
	if (tag_in(name, hidden))
		return 0;
	apply_tag(h, name, 0);
	if (n->children)
		return 1;
	apply_tag(h, name, 1);
	return 0;
}

/* The text of the document, in order.  The walk is a loop over the tree's
 * links rather than a recursion: a message of a hundred thousand nested
 * elements must not take the stack with it. */
static void html_walk(html_text *h, xmlDoc *doc)
{
	xmlNode *top = (xmlNode *)doc;
	for (xmlNode *n = doc->children; n;) {
		int into = 0;
		if (n->type == XML_ELEMENT_NODE)
			into = html_enter(h, n);
		else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			html_words(h, (const char *)n->content);
		if (into) {
			n = n->children;
			continue;
		}
		while (!n->next && n->parent && n->parent != top) {
			n = n->parent;
			apply_tag(h, (const char *)n->name, 1);
		}
		n = n->next;
	}
}

/* HTML 5 reads "<![" as the start of a comment that ends at the next '>':
 * Outlook's "<![if !supportLists]>" and "<![endif]>" around its list
 * bullets.  libxml2 2.9 shows them as text instead, so they are cut first
 * (outside real comments, whose "<![endif]-->" is the comment's end). */
static void cut_bracket_comments(buf *out, const char *html)
{
	const char *p = html;
	for (const char *lt; (lt = strstr(p, "<!")) != NULL;) {
		const char *resume;
		if (strncmp(lt, "<!--", 4) == 0) {   /* a comment: kept whole */
			const char *end = strstr(lt + 4, "-->");
			resume = end ? end + 3 : lt + strlen(lt);
			buf_add(out, p, (size_t)(resume - p));
		} else if (lt[2] == '[') {           /* cut */
			const char *gt = strchr(lt, '>');
			buf_add(out, p, (size_t)(lt - p));
			resume = gt ? gt + 1 : lt + strlen(lt);
		} else {                             /* a doctype, or text */
			resume = lt + 2;
			buf_add(out, p, (size_t)(resume - p));
		}
		p = resume;
	}
	buf_puts(out, p);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_start(void) { xmlInitParser(); }

/* html is UTF-8 already (part_text converted it from the part's charset),
 * so the parser is told so, and a <meta charset> inside is not obeyed. */
static char *html_to_text(const char *html)
{
	pthread_once(&xml_once, xml_start);
	buf in = BUF_INIT, out = BUF_INIT;
	cut_bracket_comments(&in, html);
	xmlDoc *doc = in.len > INT_MAX ? NULL : htmlReadMemory(buf_str(&in), (int)in.len, NULL, "UTF-8",
								 HTML_PARSE_RECOVER | HTML_PARSE_NONET |
								 HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	buf_free(&in);
	if (doc) {
		html_text h = { &out, 0, 0, 0, 0 };
		html_walk(&h, doc);
		xmlFreeDoc(doc);
	}
	return buf_steal(&out);   /* "" when there is no text */
}

/* ---------------------------------------------------------------------------
 * Bodies and attachments.
 */

typedef struct {
	mail_message *m;
	GMimeParserOptions *options;
	size_t cap;          /* room in m->attachments */
	int have_text;       /* the first inline text/plain part was taken */
	char *preface;       /* UTF-8 preface of a multipart without parts: the text of last resort */
	int recovering;      /* inside a body parsed again: no second attempt */
} walk;

static void walk_object(walk *w, GMimeObject *obj, int depth);

/* Takes the bytes of an array, and frees the array: no copy. */
static unsigned char *array_take(GByteArray *arr, size_t *len)
{
	gsize n = 0;
	guint8 *d = g_byte_array_steal(arr, &n);
	g_byte_array_unref(arr);
	if (!d)
		d = g_malloc0(1);
	*len = n;
	return d;
}

/* A memory stream filling arr, which outlives it. */
static GMimeStream *array_stream(GByteArray *arr)
{
	GMimeStream *st = g_mime_stream_mem_new_with_byte_array(arr);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(st), FALSE);
	return st;
}

/* The decoded content of a part (base64 and quoted-printable undone), in
 * memory from g_malloc, sized from the encoded length so that a large
 * attachment is written once without growing. */
static unsigned char *part_bytes(GMimePart *part, size_t *len)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *src = content ? g_mime_data_wrapper_get_stream(content) : NULL;
	gint64 encoded = src ? g_mime_stream_length(src) : 0;
	guint hint = encoded > 0 && encoded < G_MAXUINT / 2 ? (guint)encoded : 0;
	GByteArray *arr = g_byte_array_sized_new(hint);
	if (content) {
		GMimeStream *st = array_stream(arr);
		g_mime_data_wrapper_write_to_stream(content, st);
		g_object_unref(st);
	}
	return array_take(arr, len);
}

/* Line ends as "\n" whatever the wire used. */
static char *unix_lines(char *s)
{
	char *r = s, *w = s;
	for (; *r; r++) {
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static char *part_text(GMimePart *part)
{
	size_t len;
	unsigned char *bytes = part_bytes(part, &len);
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	buf b = BUF_INIT;
	add_charset(&b, (const char *)bytes, len, charset);
	g_free(bytes);
	return unix_lines(buf_steal(&b));
}

/* A file name fit to show and to save: valid UTF-8, no directory (a name
 * like "../../x" must not escape wherever the file is saved), no control
 * characters; "attachment-N" when nothing is left. */
static char *attachment_name(const char *name, size_t n)
{
	char *clean = line_or_null(name);
	const char *base = clean;
	for (const char *p = clean; p && *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (base && *base && strcmp(base, ".") && strcmp(base, "..")) {
		char *r = strdup(base);
		free(clean);
		if (!r)
			abort();
		return r;
	}
	free(clean);
	buf b = BUF_INIT;
	buf_printf(&b, "attachment-%zu", n);
	return buf_steal(&b);
}

static char *mime_type(GMimeContentType *ct)
{
	char *t = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *r = line_or_null(t ? t : "application/octet-stream");
	g_free(t);
	for (char *p = r; p && *p; p++)
		*p = g_ascii_tolower(*p);
	return r ? r : strdup("application/octet-stream");
}

static void add_attachment(walk *w, const char *name, GMimeContentType *ct, unsigned char *data, size_t len)
{
	mail_message *m = w->m;
	if (m->nattachments == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 4;
		m->attachments = xrealloc(m->attachments, w->cap * sizeof *m->attachments);
	}
	mail_attachment *a = &m->attachments[m->nattachments++];
	a->filename = attachment_name(name, m->nattachments);
	a->content_type = mime_type(ct);
	a->data = data;
	a->len = len;
}

/* An attachment: marked as one, or not text, or carrying a file name. */
static int is_attachment(GMimeObject *obj, GMimeContentType *ct, const char *name)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	if (d && g_mime_content_disposition_is_attachment(d))
		return 1;
	if (!ct || !g_mime_content_type_is_type(ct, "text", "*"))
		return 1;
	return name && *name;
}

static void take_part(walk *w, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *name = g_mime_part_get_filename(part);
	if (!is_attachment(obj, ct, name)) {
		if (g_mime_content_type_is_type(ct, "text", "plain")) {
			if (!w->have_text)
				w->m->text = part_text(part);
			w->have_text = 1;
			return;
		}
		if (g_mime_content_type_is_type(ct, "text", "html")) {
			if (!w->m->html)
				w->m->html = part_text(part);
			return;
		}
		/* other text (a calendar, CSV): not a body, so kept as a file */
	}
	size_t len;
	unsigned char *data = part_bytes(part, &len);
	add_attachment(w, name, ct, data, len);
}

/* A forwarded or bounced message: kept whole, as the bytes of a .eml. */
static void keep_message(walk *w, GMimeMessagePart *mp)
{
	GMimeObject *obj = GMIME_OBJECT(mp);
	const char *name = g_mime_object_get_content_disposition_parameter(obj, "filename");
	if (!name)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	GByteArray *arr = g_byte_array_new();
	if (inner) {
		GMimeStream *st = array_stream(arr);
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, st);
		g_object_unref(st);
	}
	size_t len;
	unsigned char *data = array_take(arr, &len);
	add_attachment(w, name, g_mime_object_get_content_type(obj), data, len);
}

/* The boundary a body really uses: the first "--token" line that is
 * followed by a Content- header, so that a signature line or an
 * "-----Original Message-----" is not taken for one. */
static int find_boundary(const char *s, char *out, size_t outlen)
{
	for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (p[0] != '-' || p[1] != '-')
			continue;
		const char *b = p + 2, *e = b;
		while (*e && *e != '\r' && *e != '\n')
			e++;
		const char *next = e;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		size_t n = (size_t)(e - b);
		if (*next == '\r')
			next++;
		if (*next == '\n')
			next++;
		if (!n || n >= outlen || memchr(b, '"', n) || memchr(b, '\\', n))
			continue;
		if (g_ascii_strncasecmp(next, "Content-", 8))
			continue;
		memcpy(out, b, n);
		out[n] = '\0';
		return 1;
	}
	return 0;
}

/* A multipart whose boundary never appears has no parts: GMime leaves the
 * whole body as its preface.  Usually the parts are there under another
 * boundary than the declared one (a gateway rewrote one and not the
 * other), so the body is parsed again with the boundary it uses.  The
 * preface itself is kept as the text of last resort. */
static void recover(walk *w, GMimeMultipart *mp, int depth)
{
	const char *preface = g_mime_multipart_get_prologue(mp);
	if (!preface || !*preface)
		return;
	if (!w->preface) {
		buf b = BUF_INIT;
		add_guess(&b, preface, strlen(preface));
		w->preface = unix_lines(buf_steal(&b));
	}
	char boundary[80];
	if (w->recovering || !find_boundary(preface, boundary, sizeof boundary))
		return;
	char head[128];
	int n = snprintf(head, sizeof head, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary);
	size_t plen = strlen(preface);
	if (n < 0 || (size_t)n >= sizeof head || plen > G_MAXUINT / 2)
		return;
	GByteArray *src = g_byte_array_sized_new((guint)((size_t)n + plen));
	g_byte_array_append(src, (const guint8 *)head, (guint)n);
	g_byte_array_append(src, (const guint8 *)preface, (guint)plen);
	GMimeStream *st = g_mime_stream_mem_new_with_byte_array(src);   /* owns src */
	GMimeParser *parser = g_mime_parser_new_with_stream(st);
	GMimeObject *obj = g_mime_parser_construct_part(parser, w->options);
	if (obj) {
		w->recovering = 1;
		walk_object(w, obj, depth + 1);
		w->recovering = 0;
		g_object_unref(obj);
	}
	g_object_unref(parser);
	g_object_unref(st);
}

static void walk_object(walk *w, GMimeObject *obj, int depth)
{
	if (!obj || depth > MAX_DEPTH)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n; i++)
			walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		if (n == 0)
			recover(w, mp, depth);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		keep_message(w, GMIME_MESSAGE_PART(obj));
	} else if (GMIME_IS_PART(obj)) {
		take_part(w, GMIME_PART(obj));
	}
}

static void read_body(GMimeMessage *msg, GMimeParserOptions *options, mail_message *m)
{
	walk w = { m, options, 0, 0, NULL, 0 };
	walk_object(&w, g_mime_message_get_mime_part(msg), 0);
	if (!m->text && m->html)
		m->text = html_to_text(m->html);
	if (!m->text && w.preface) {
		m->text = w.preface;
		w.preface = NULL;
	}
	if (!m->text)
		m->text = strdup("");
	if (!m->text)
		abort();
	free(w.preface);
}

/* ---------------------------------------------------------------------------
 * Automatic replies.  Each rule returns why it fired, or NULL; the first
 * that fires is the reason.  Header rules come first: they are what
 * well-behaved software sets; the subject is the last resort.
 */

typedef const char *(*auto_rule)(GMimeMessage *msg, const mail_message *m);

/* The first word of a header value, lower-cased: "auto-replied" of
 * "Auto-Replied; owner-email=..." */
static void first_token(const char *v, char *out, size_t n)
{
	size_t k = 0;
	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v && *v != ';' && *v != ',' && *v != '(' && (unsigned char)*v > ' '; v++)
		if (k + 1 < n)
			out[k++] = g_ascii_tolower(*v);
	out[k] = '\0';
}

static const char *rule_auto_submitted(GMimeMessage *msg, const mail_message *m)
{
	static const char *const kinds[][2] = {
		{ "auto-replied", "Auto-Submitted: auto-replied" },
		{ "auto-generated", "Auto-Submitted: auto-generated" },
		{ "auto-notified", "Auto-Submitted: auto-notified" },
	};
	(void)m;
	const char *v = header(msg, "Auto-Submitted");
	char t[32];
	if (!v)
		return NULL;
	first_token(v, t, sizeof t);
	if (!strcmp(t, "no"))
		return NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(t, kinds[i][0]))
			return kinds[i][1];
	return "Auto-Submitted";
}

static const char *rule_autoreply_headers(GMimeMessage *msg, const mail_message *m)
{
	(void)m;
	if (header(msg, "X-Autoreply"))
		return "X-Autoreply";
	if (header(msg, "X-Autorespond"))
		return "X-Autorespond";
	return NULL;
}

/* Exchange's list of what not to answer: "All", or "OOF" among others. */
static const char *rule_response_suppress(GMimeMessage *msg, const mail_message *m)
{
	(void)m;
	const char *v = header(msg, "X-Auto-Response-Suppress");
	while (v && *v) {
		char t[16];
		first_token(v, t, sizeof t);
		if (!strcmp(t, "all"))
			return "X-Auto-Response-Suppress: All";
		if (!strcmp(t, "oof"))
			return "X-Auto-Response-Suppress: OOF";
		v = strchr(v, ',');
		v = v ? v + 1 : NULL;
	}
	return NULL;
}

static const char *rule_precedence(GMimeMessage *msg, const mail_message *m)
{
	static const char *const kinds[][2] = {
		{ "bulk", "Precedence: bulk" },
		{ "junk", "Precedence: junk" },
		{ "list", "Precedence: list" },
		{ "auto_reply", "Precedence: auto_reply" },
	};
	(void)m;
	const char *v = header(msg, "Precedence");
	char t[16];
	if (!v)
		return NULL;
	first_token(v, t, sizeof t);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(t, kinds[i][0]))
			return kinds[i][1];
	return NULL;
}

static const char *rule_list(GMimeMessage *msg, const mail_message *m)
{
	(void)m;
	if (header(msg, "List-Id"))
		return "List-Id";
	if (header(msg, "List-Unsubscribe"))
		return "List-Unsubscribe";
	return NULL;
}

/* "Return-Path: <>" is how a bounce or other automatic message says that
 * nothing must be sent back (RFC 5321 4.5.5). */
static const char *rule_null_return_path(GMimeMessage *msg, const mail_message *m)
{
	(void)m;
	const char *v = header(msg, "Return-Path");
	char squeezed[8];
	size_t k = 0;
	for (; v && *v && k < sizeof squeezed - 1; v++)
		if ((unsigned char)*v > ' ')
			squeezed[k++] = *v;
	squeezed[k] = '\0';
	return v && !strcmp(squeezed, "<>") ? "Return-Path: <>" : NULL;
}

static const char *rule_daemon_sender(GMimeMessage *msg, const mail_message *m)
{
	(void)msg;
	const char *a = m->from_addr;
	if (!a)
		return NULL;
	size_t local = strcspn(a, "@");
	if (local == strlen("mailer-daemon") && !strncmp(a, "mailer-daemon", local))
		return "From: mailer-daemon";
	if (local == strlen("postmaster") && !strncmp(a, "postmaster", local))
		return "From: postmaster";
	return NULL;
}

static const char *rule_report(GMimeMessage *msg, const mail_message *m)
{
	(void)m;
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimeContentType *ct = body ? g_mime_object_get_content_type(body) : NULL;
	return ct && g_mime_content_type_is_type(ct, "multipart", "report") ? "Content-Type: multipart/report" : NULL;
}

/* Out-of-office subjects, folded (lower case, no accents, punctuation as
 * spaces) as text_fold writes them. */
static const char *const ooo_subjects[][2] = {
	{ "out of office", "Subject: Out of Office" },
	{ "out of the office", "Subject: Out of Office" },
	{ "automatic reply", "Subject: Automatic reply" },
	{ "autoreply", "Subject: Autoreply" },
	{ "auto reply", "Subject: Autoreply" },
	{ "reponse automatique", "Subject: Réponse automatique" },
	{ "absence du bureau", "Subject: Absence du bureau" },
	{ "absent du bureau", "Subject: Absence du bureau" },
	{ "respuesta automatica", "Subject: Respuesta automática" },
	{ "fuera de la oficina", "Subject: Fuera de la oficina" },
	{ "fuera de oficina", "Subject: Fuera de la oficina" },
};

static const char *rule_subject(GMimeMessage *msg, const mail_message *m)
{
	(void)msg;
	buf folded = BUF_INIT;
	const char *why = NULL;
	text_fold(&folded, m->subject, strlen(m->subject));
	const char *s = buf_str(&folded);
	for (size_t i = 0; i < sizeof ooo_subjects / sizeof ooo_subjects[0] && !why; i++) {
		size_t n = strlen(ooo_subjects[i][0]);
		if (!strncmp(s, ooo_subjects[i][0], n) && (s[n] == '\0' || s[n] == ' '))
			why = ooo_subjects[i][1];
	}
	buf_free(&folded);
	return why;
}

static const auto_rule auto_rules[] = {
	rule_auto_submitted, rule_autoreply_headers, rule_response_suppress, rule_precedence, rule_list,
	rule_null_return_path, rule_daemon_sender, rule_report, rule_subject,
};

static void classify(GMimeMessage *msg, mail_message *m)
{
	for (size_t i = 0; i < sizeof auto_rules / sizeof auto_rules[0] && !m->auto_reason; i++)
		m->auto_reason = auto_rules[i](msg, m);
	m->auto_reply = m->auto_reason != NULL;
	m->loop = header(msg, MAIL_LOOP_HEADER) != NULL;
}

/* ---------------------------------------------------------------------------
 * The interface.
 */

int mail_parse(const char *data, size_t len, mail_message *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!data || !len)
		return fail(err, errlen, "empty message");
	skip_envelope(&data, &len);
	if (!len)
		return fail(err, errlen, "empty message: nothing after the mbox From line");
	const char *why = not_a_message(data, len);
	if (why)
		return fail(err, errlen, why);
	if (len > G_MAXUINT)
		return fail(err, errlen, "message too large");
	mail_init();

	source src = { 0 };
	int rc = source_open(&src, data, len);
	if (rc == 0) {
		read_headers(src.msg, src.options, out);
		read_body(src.msg, src.options, out);
		classify(src.msg, out);
	} else if (header_block_end(data, data + len) == data + len) {
		fail(err, errlen, "GMime could not parse the message: its header block is cut short");
	} else {
		fail(err, errlen, "GMime could not parse the message");
	}
	source_close(&src);
	return rc;
}

void mail_free(mail_message *m)
{
	if (!m)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->from_name);
	free(m->from_addr);
	free(m->reply_to);
	for (size_t i = 0; i < m->nto; i++)
		free(m->to[i]);
	free(m->to);
	free(m->subject);
	free(m->text);
	free(m->html);
	for (size_t i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].filename);
		free(m->attachments[i].content_type);
		g_free(m->attachments[i].data);   /* decoded by GMime into GLib memory */
	}
	free(m->attachments);
	memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------------------
 * Language guess: function words are the commonest words of any text and
 * differ between the three languages.  Words the languages share ("de",
 * "la", "que", "en", "un", "a"...) are left out; the words are folded as
 * text_fold writes them (no accents).  The table is in strcmp order, so that
 * each word of a text costs a binary search, not a comparison with every
 * entry: a message's first 4 KB hold hundreds of words.
 */

enum { EN, FR, ES };

static const struct lang_word {
	const char *word;
	int lang;
} lang_words[] = {
	{ "al", ES }, { "and", EN }, { "are", EN }, { "at", EN }, { "au", FR }, { "aux", FR }, { "avec", FR },
	{ "be", EN }, { "ce", FR }, { "cette", FR }, { "como", ES }, { "con", ES }, { "dans", FR }, { "del", ES },
	{ "des", FR }, { "du", FR }, { "el", ES }, { "ella", ES }, { "elle", FR }, { "ellos", ES }, { "es", ES },
	{ "est", FR }, { "esta", ES }, { "este", ES }, { "estos", ES }, { "et", FR }, { "ete", FR }, { "for", EN },
	{ "from", EN }, { "fue", ES }, { "gracias", ES }, { "has", EN }, { "have", EN }, { "hay", ES }, { "i", EN },
	{ "il", FR }, { "in", EN }, { "is", EN }, { "it", EN }, { "je", FR }, { "las", ES }, { "le", FR },
	{ "les", FR }, { "lo", ES }, { "los", ES }, { "mais", FR }, { "mas", ES }, { "merci", FR }, { "muy", ES },
	{ "no", ES }, { "nos", FR }, { "not", EN }, { "notre", FR }, { "nous", FR }, { "nuestra", ES },
	{ "nuestro", ES }, { "of", EN }, { "on", EN }, { "ou", FR }, { "our", EN }, { "par", FR }, { "para", ES },
	{ "pas", FR }, { "pero", ES }, { "please", EN }, { "por", ES }, { "pour", FR }, { "qui", FR },
	{ "sont", FR }, { "su", ES }, { "sur", FR }, { "sus", ES }, { "thank", EN }, { "that", EN }, { "the", EN },
	{ "they", EN }, { "this", EN }, { "to", EN }, { "una", ES }, { "une", FR }, { "usted", ES },
	{ "votre", FR }, { "vous", FR }, { "was", EN }, { "we", EN }, { "which", EN }, { "will", EN },
	{ "with", EN }, { "would", EN }, { "y", ES }, { "you", EN }, { "your", EN },
};

static int by_word(const void *key, const void *entry)
{
	return strcmp(key, ((const struct lang_word *)entry)->word);
}

/* The language whose function word w is, or -1. */
static int lang_of(const char *w)
{
	const struct lang_word *e =
		bsearch(w, lang_words, sizeof lang_words / sizeof lang_words[0], sizeof lang_words[0], by_word);
	return e ? e->lang : -1;
}

int mail_guess_lang(const char *text)
{
	if (!text)
		return -1;
	size_t n = strnlen(text, LANG_SAMPLE);
	token_list t;
	int count[3] = { 0, 0, 0 };
	text_tokens(&t, text, n);
	for (size_t i = 0; i < t.n; i++) {
		int l = lang_of(t.v[i]);
		if (l >= 0)
			count[l]++;
	}
	token_list_free(&t);
	int best = 0, second = -1;
	for (int l = 1; l < 3; l++)
		if (count[l] > count[best])
			best = l;
	for (int l = 0; l < 3; l++)
		if (l != best && (second < 0 || count[l] > count[second]))
			second = l;
	/* Clearly ahead: two words at least, and twice as many as the next. */
	if (count[best] < 2 || count[best] < 2 * count[second])
		return -1;
	return best;
}
