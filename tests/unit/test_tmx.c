/*
 * Tests for formats/tmx: a desktop tool's memory read to the exact units,
 * inline codes and all; language tags; how codes are numbered; every kind
 * of broken file refused with its line (one at line 90,000 among them),
 * entities refused; the writer's output valid against the TMX 1.4 DTD and
 * read back as it was written, over generated units with every tricky
 * character; what the writer refuses, and the bounded pieces it writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xorshift.h"
#include "fixtures.h"
#include "formats/tmx.h"

/* ---- what the reader hands over, written out as text to compare --------- */

typedef struct seen {
	buf text;        /* every unit, one line per field */
	buf header;
	int units, stop_at;
} seen;

static int on_header(void *ctx, const tmx_header *h)
{
	seen *s = ctx;
	buf_printf(&s->header, "srclang=%s adminlang=%s tool=%s/%s segtype=%s datatype=%s o-tmf=%s created=%s",
		   h->srclang, h->adminlang, h->tool, h->tool_version, h->segtype, h->datatype, h->o_tmf, h->created);
	return 0;
}

static void describe(buf *b, const tmx_unit *u)
{
	buf_printf(b, "tu %s|%s|%s|%s|%s\n", u->tuid, u->created, u->creator, u->changed, u->changer);
	for (size_t k = 0; k < u->nprops; k++)
		buf_printf(b, " prop %s=%s\n", u->props[k].name, u->props[k].value);
	for (size_t k = 0; k < u->nvariants; k++) {
		assert_int_equal(strlen(u->variants[k].text), u->variants[k].len);
		buf_printf(b, " %s(%s) %s\n", u->variants[k].lang, u->variants[k].tag, u->variants[k].text);
	}
}

static int on_unit(void *ctx, const tmx_unit *u)
{
	seen *s = ctx;
	describe(&s->text, u);
	return ++s->units == s->stop_at;
}

static int read_text(const char *doc, seen *s, tmx_error *err, const char *const *languages)
{
	*s = (seen){ BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { on_header, on_unit, s, languages };
	return tmx_read_memory(doc, strlen(doc), &o, err);
}

static void seen_free(seen *s)
{
	buf_free(&s->text);
	buf_free(&s->header);
}

#define HEAD "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" " \
	     "segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/><body>\n"
#define TAIL "</body></tmx>\n"

/* The segment one <seg> (inside an English tuv) reads as, or the refusal. */
static void assert_segment(const char *seg, const char *want)
{
	char doc[4096];
	snprintf(doc, sizeof doc, HEAD "<tu><tuv xml:lang=\"en\"><seg>%s</seg></tuv></tu>" TAIL, seg);
	seen s;
	tmx_error err;
	int rc = read_text(doc, &s, &err, NULL);
	if (rc != 0)
		fail_msg("%s: refused, line %ld: %s", seg, err.line, err.reason);
	char expect[4096];
	snprintf(expect, sizeof expect, "tu ||||\n en(en) %s\n", want);
	assert_string_equal(buf_str(&s.text), expect);
	seen_free(&s);
}

/* A document refused at line with a reason holding why; no unit after the fault. */
static void assert_refused(const char *doc, long line, const char *why)
{
	seen s;
	tmx_error err;
	assert_int_equal(read_text(doc, &s, &err, NULL), -1);
	if (err.line != line || !strstr(err.reason, why))
		fail_msg("refused at line %ld with \"%s\"; expected line %ld with \"%s\"", err.line, err.reason, line, why);
	assert_null(strchr(err.reason, '\n'));
	seen_free(&s);
}

static char *load_fixture(const char *name, size_t *len)
{
	char path[PATH_MAX], err[256];
	char *data = NULL;
	if (file_read(fixture_path(name, path), 1 << 20, &data, len, err, sizeof err))
		fail_msg("%s: %s", path, err);
	return data;
}

/* ---- reading ------------------------------------------------------------ */

static void test_desktop_tool_file(void **state)
{
	(void)state;
	size_t len;
	char *doc = load_fixture("tmx/desktop.tmx", &len);
	seen s = { BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { on_header, on_unit, &s, NULL };
	tmx_error err;
	assert_int_equal(tmx_read_memory(doc, len, &o, &err), 0);
	assert_string_equal(buf_str(&s.header), "srclang=en-US adminlang=en-US tool=Desktop Translator/16.2.8 "
						 "segtype=sentence datatype=xml o-tmf=DT Translation Memory "
						 "created=2025-03-11T09:15:02Z");
	assert_string_equal(buf_str(&s.text),
		"tu c115-0001|2025-03-11T09:15:02Z|NORTHWIND\\r.okafor|2025-04-02T14:07:30Z|NORTHWIND\\l.ferrand\n"
		" prop origin=C/115/1\n"
		" prop context=agenda item 4\n"
		" en(en-US) The <g1>Council</g1> adopted the report<x2/>.\n"
		" fr(FR-fr) Le <g1>Conseil</g1> a adopté le rapport<x2/>.\n"
		" es(es-ES) El <g1>Consejo</g1> aprobó el informe<x2/>.\n"
		"tu c115-0002|2025-03-11T09:18:00Z|||\n"
		" en(en-GB) <x1/> see <g2>annex <g3>II</g3></g2> & {0} of 50 %\n"
		" fr(fr) voir l'<annexe> II\n");
	seen_free(&s);
	free(doc);
}

static void test_broken_fixture(void **state)
{
	(void)state;
	size_t len;
	char *doc = load_fixture("tmx/broken.tmx", &len);
	seen s = { BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { NULL, on_unit, &s, NULL };
	tmx_error err;
	assert_int_equal(tmx_read_memory(doc, len, &o, &err), -1);
	assert_int_equal(err.line, 11);
	assert_string_equal(err.reason, "<bpt i=\"1\"> without its <ept> in the segment");
	assert_int_equal(s.units, 1);   /* handed before the fault: the caller's transaction rolls it back */
	seen_free(&s);
	free(doc);
}

static void test_language_tags(void **state)
{
	(void)state;
	static const struct { const char *tag, *lang; } good[] = {
		{ "en", "en" }, { "en-US", "en" }, { "EN-GB", "en" }, { "fr-FR", "fr" }, { "es-ES", "es" },
		{ "es_419", "es" }, { "zh-Hant-TW", "zh" }, { "Ar", "ar" }, { "ast", "ast" },
	};
	for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
		char doc[512], want[128];
		snprintf(doc, sizeof doc, HEAD "<tu><tuv xml:lang=\"%s\"><seg>x</seg></tuv></tu>" TAIL, good[k].tag);
		snprintf(want, sizeof want, "tu ||||\n %s(%s) x\n", good[k].lang, good[k].tag);
		seen s;
		tmx_error err;
		assert_int_equal(read_text(doc, &s, &err, NULL), 0);
		assert_string_equal(buf_str(&s.text), want);
		seen_free(&s);
	}
	static const char *const bad[] = { "e", "english", "en-", "en--US", "en US", "1en", "en-abcdefghi", "*all*" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char doc[512];
		snprintf(doc, sizeof doc, HEAD "<tu><tuv xml:lang=\"%s\"><seg>x</seg></tuv></tu>" TAIL, bad[k]);
		assert_refused(doc, 3, "is not a language tag");
	}
	assert_refused(HEAD "<tu><tuv><seg>x</seg></tuv></tu>" TAIL, 3, "a <tuv> without xml:lang");
	/* A list of languages makes the others unknown. */
	static const char *const official[] = { "en", "fr", "es", NULL };
	seen s;
	tmx_error err;
	assert_int_equal(read_text(HEAD "<tu><tuv xml:lang=\"EN-gb\"><seg>a</seg></tuv>\n<tuv xml:lang=\"de-DE\"><seg>b</seg>"
				   "</tuv></tu>" TAIL, &s, &err, official), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.reason, "unknown language \"de-DE\"");
	seen_free(&s);
}

static void test_inline_codes(void **state)
{
	(void)state;
	assert_segment("plain", "plain");
	assert_segment("", "");
	/* Without x, codes are numbered in the order they open; an ept takes its bpt's number. */
	assert_segment("<bpt i=\"7\">{b}</bpt>a<ept i=\"7\">{/b}</ept><ph>&lt;br/&gt;</ph><it pos=\"begin\">x</it><ut>u</ut>",
		       "<g1>a</g1><x2/><x3/><x4/>");
	assert_segment("<bpt i=\"1\"/><bpt i=\"2\"/>a<ept i=\"2\"/><ept i=\"1\"/>", "<g1><g2>a</g2></g1>");
	assert_segment("<hi>a<hi/>b</hi>", "<g1>a<g2></g2>b</g1>");
	/* With an x of its own on every code, x is the number: the same across the unit's languages. */
	assert_segment("<ph x=\"5\"/><bpt i=\"1\" x=\"2\"/>a<ept i=\"1\"/><hi x=\"9\">b</hi>", "<x5/><g2>a</g2><g9>b</g9>");
	/* One without, two alike, or one out of range: numbered in order. */
	assert_segment("<ph x=\"5\"/><ph/>", "<x1/><x2/>");
	assert_segment("<ph x=\"5\"/><ph x=\"5\"/>", "<x1/><x2/>");
	assert_segment("<ph x=\"10000\"/><ph x=\"2\"/>", "<x1/><x2/>");
	/* What a code holds is the other tool's, sub included. */
	assert_segment("<ph>&lt;a href=&quot;x&quot;&gt;<sub>link text</sub></ph>end", "<x1/>end");
	/* Text that only looks like Liaison's codes, and placeholders, stay text. */
	assert_segment("a &lt; b, &lt;b&gt;, &lt;g&gt;, &lt;g0&gt;, &lt;x1&gt;, {0}, %1$s, 50 %",
		       "a < b, <b>, <g>, <g0>, <x1>, {0}, %1$s, 50 %");
	assert_segment("<![CDATA[<i>&amp;</i>]]>", "<i>&amp;</i>");
	/* Text is read into NFC; a combining mark after a code stays apart from it. */
	assert_segment("Cafe\xcc\x81 <ph/>\xcc\xb8", "Caf\xc3\xa9 <x1/>\xcc\xb8");
	assert_segment("&lt;\xcc\xb8", "\xe2\x89\xae");
}

static void test_codes_refused(void **state)
{
	(void)state;
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a<ept i=\"1\"/></seg></tuv></tu>" TAIL, 3,
		       "<ept i=\"1\"> without its <bpt> before it");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>\n<bpt i=\"1\"/><bpt i=\"2\"/><ept i=\"1\"/><ept i=\"2\"/></seg></tuv></tu>" TAIL,
		       4, "tags that cross cannot be kept");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg><hi><bpt i=\"1\"/></hi><ept i=\"1\"/></seg></tuv></tu>" TAIL, 3,
		       "tags that cross cannot be kept");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>\n\n<bpt i=\"4\"/>a</seg></tuv></tu>" TAIL, 5,
		       "<bpt i=\"4\"> without its <ept>");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg><bpt/>a</seg></tuv></tu>" TAIL, 3, "<bpt> without an i");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg><bpt i=\"one\"/>a</seg></tuv></tu>" TAIL, 3, "<bpt> without an i");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a<b>b</b></seg></tuv></tu>" TAIL, 3,
		       "<b> is not one of the inline elements");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a<sub>b</sub></seg></tuv></tu>" TAIL, 3,
		       "<sub> is not one of the inline elements");
	/* Text typed as Liaison's codes cannot be told from codes. */
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a &lt;g1&gt;b&lt;/g1&gt;</seg></tuv></tu>" TAIL, 3,
		       "the text \"<g1>\" of a segment reads as an inline code");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg><![CDATA[<x]]>1/></seg></tuv></tu>" TAIL, 3,
		       "the text \"<x1/>\" of a segment reads as an inline code");
}

static void test_structure_refused(void **state)
{
	(void)state;
	assert_refused(HEAD "<tu tuid=\"a\">\n</tu>" TAIL, 3, "a <tu> without any <tuv>");
	assert_refused(HEAD "<tu>\n<tuv xml:lang=\"en\"></tuv></tu>" TAIL, 4, "a <tuv> without its <seg>");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a</seg>\n<seg>b</seg></tuv></tu>" TAIL, 4, "a second <seg>");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a</seg><foo/></tuv></tu>" TAIL, 3, "<foo> inside a <tuv>");
	assert_refused(HEAD "<tu><seg>a</seg></tu>" TAIL, 3, "<seg> inside a <tu>");
	assert_refused(HEAD "\n<tuv xml:lang=\"en\"><seg>a</seg></tuv>" TAIL, 4, "<tuv> inside the <body>");
	assert_refused(HEAD "<tu creationdate=\"2026-12-07\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" TAIL, 3,
		       "creationdate \"2026-12-07\" is not a time written as 20261207T101500Z");
	assert_refused(HEAD "<tu changedate=\"20260231T101500Z\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" TAIL, 3,
		       "changedate");
	assert_refused("<?xml version=\"1.0\"?>\n<tmx><body/></tmx>", 2, "<body> where the <tmx> holds its <header>");
	assert_refused("<?xml version=\"1.0\"?>\n<tmx>\n<header srclang=\"en\"/></tmx>", 2, "a <tmx> without its <header> and <body>");
	assert_refused("<?xml version=\"1.0\"?>\n\n<xliff/>", 3, "the document is <xliff>, not <tmx>");
	assert_refused("", 1, "");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a</tuv></tu>" TAIL, 3, "not well-formed XML");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>" TAIL "<tmx/>", 4,
		       "not well-formed XML: Extra content at the end of the document");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n", 3, "not well-formed XML");
	assert_refused(HEAD "<tu><tuv xml:lang=\"en\"><seg>\xff</seg></tuv></tu>" TAIL, 3, "not well-formed XML");
}

/* The reader refuses entities however they come, and quickly: no file
 * fetched, no expansion. */
static void test_entities_refused(void **state)
{
	(void)state;
	/* The DOCTYPE's line is where the parser was when it handed the DOCTYPE over. */
	static const char *const declared[] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY org \"Northwind Council\">\n]>\n"
		"<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>&org;</seg></tuv></tu></body></tmx>",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY secret SYSTEM \"file:///etc/passwd\">\n]>\n"
		"<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>&secret;</seg></tuv></tu></body></tmx>",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY % p \"\">\n]>\n<tmx version=\"1.4\"/>",
	};
	for (size_t k = 0; k < sizeof declared / sizeof declared[0]; k++) {
		seen s;
		tmx_error err;
		assert_int_equal(read_text(declared[k], &s, &err, NULL), -1);
		assert_true(err.line >= 2 && err.line <= 5);
		assert_string_equal(err.reason, "the DOCTYPE declares entities, which are not read");
		assert_int_equal(s.units, 0);
		seen_free(&s);
	}
	/* An expansion bomb: ten levels of ten, referenced in an attribute. */
	buf bomb = BUF_INIT;
	buf_puts(&bomb, "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY a0 \"lol\">\n");
	for (int k = 1; k < 10; k++) {
		buf_printf(&bomb, "<!ENTITY a%d \"", k);
		for (int j = 0; j < 10; j++)
			buf_printf(&bomb, "&a%d;", k - 1);
		buf_puts(&bomb, "\">\n");
	}
	buf_puts(&bomb, "]>\n<tmx version=\"1.4\"><header srclang=\"en\" creationid=\"&a9;\"/><body/></tmx>");
	seen s;
	tmx_error err;
	assert_int_equal(read_text(bomb.data, &s, &err, NULL), -1);
	seen_free(&s);
	buf_free(&bomb);
	/* A reference to an entity no DOCTYPE declares. */
	assert_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\"><header srclang=\"en\"/>"
		       "<body><tu><tuv xml:lang=\"en\"><seg>a &nbsp; b</seg></tuv></tu></body></tmx>", 3, "&nbsp;");
	/* The usual DOCTYPE, naming the DTD it is not read against, is welcome. */
	assert_segment("ok", "ok");
	seen ok;
	assert_int_equal(read_text("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"http://example.invalid/tmx14.dtd\">\n"
				   "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>&amp;&#233;</seg>"
				   "</tuv></tu></body></tmx>", &ok, &err, NULL), 0);
	assert_string_equal(buf_str(&ok.text), "tu ||||\n en(en) &\xc3\xa9\n");
	seen_free(&ok);
}

/* A broken tag deep in a large file: its own line, past 65,535. */
static void test_fault_at_line_90000(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	buf_puts(&doc, HEAD);   /* two lines */
	long line = 3;
	for (; line < 90000; line++)
		buf_printf(&doc, "<tu tuid=\"%ld\"><tuv xml:lang=\"en\"><seg>Unit %ld</seg></tuv></tu>\n", line, line);
	buf_puts(&doc, "<tu><tuv xml:lang=\"en\"><seg>broken</sge></tuv></tu>\n" TAIL);
	seen s = { BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { NULL, on_unit, &s, NULL };
	tmx_error err;
	assert_int_equal(tmx_read_memory(doc.data, doc.len, &o, &err), -1);
	assert_int_equal(err.line, 90000);
	assert_non_null(strstr(err.reason, "seg"));
	/* The units before it were handed over, but for those the parser had read
	 * along with the fault: the caller rolls back either way. */
	assert_true(s.units > 89000 && s.units <= 90000 - 3);
	/* A structural fault that far down has its line too. */
	doc.len -= strlen("<tu><tuv xml:lang=\"en\"><seg>broken</sge></tuv></tu>\n" TAIL);
	buf_puts(&doc, "<tu>\n</tu>\n" TAIL);
	s.units = 0;
	assert_int_equal(tmx_read_memory(doc.data, doc.len, &o, &err), -1);
	assert_int_equal(err.line, 90000);
	assert_string_equal(err.reason, "a <tu> without any <tuv>");
	seen_free(&s);
	buf_free(&doc);
}

static void test_caller_stops(void **state)
{
	(void)state;
	seen s = { BUF_INIT, BUF_INIT, 0, 2 };
	tmx_reader_opts o = { NULL, on_unit, &s, NULL };
	const char *doc = HEAD "<tu><tuv xml:lang=\"en\"><seg>1</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>2</seg></tuv></tu>\n"
			       "<tu><tuv xml:lang=\"en\"><seg>3</seg></tuv></tu>" TAIL;
	tmx_error err;
	assert_int_equal(tmx_read_memory(doc, strlen(doc), &o, &err), 1);
	assert_int_equal(s.units, 2);
	assert_int_equal(err.line, 4);
	seen_free(&s);
}

static void test_read_from_file(void **state)
{
	(void)state;
	char path[PATH_MAX];
	int fd = open(fixture_path("tmx/desktop.tmx", path), O_RDONLY);
	assert_true(fd >= 0);
	seen s = { BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { NULL, on_unit, &s, NULL };
	tmx_error err;
	assert_int_equal(tmx_read_fd(fd, &o, &err), 0);
	assert_int_equal(s.units, 2);
	close(fd);
	seen_free(&s);
}

/* ---- writing ------------------------------------------------------------ */

typedef struct sink {
	buf out;
	size_t pieces, largest;
	int refuse;
} sink;

static int to_sink(void *ctx, const char *data, size_t len)
{
	sink *k = ctx;
	buf_add(&k->out, data, len);
	k->pieces++;
	if (len > k->largest)
		k->largest = len;
	return k->refuse;
}

static const tmx_header liaison_header = { .srclang = "en", .tool_version = "0.1.0", .created = "2026-12-07T10:15:00Z" };

/* The document is valid against the TMX 1.4 DTD of the fixtures. */
static void assert_valid_tmx(const buf *doc)
{
	char path[PATH_MAX];
	xmlDocPtr d = xmlReadMemory(doc->data, (int)doc->len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(d);
	xmlDtdPtr dtd = xmlParseDTD(NULL, (const xmlChar *)fixture_path("schemas/tmx/tmx14.dtd", path));
	assert_non_null(dtd);
	xmlValidCtxtPtr v = xmlNewValidCtxt();
	int valid = xmlValidateDtd(v, d, dtd);
	xmlFreeValidCtxt(v);
	xmlFreeDtd(dtd);
	xmlFreeDoc(d);
	if (!valid)
		fail_msg("not valid against tmx14.dtd:\n%.2000s", doc->data);
}

/* Generated units: segments of words, every character XML escapes, text
 * that looks like markup or codes without being one, placeholders, non-ASCII
 * in NFC, and Liaison's codes nested, numbered in any order. */
static const char *const pieces[] = {
	"The Council", " ", "adopted", "&", "<", ">", "\"", "'", "]]>", "a < b", "<b>", "</i>", "<g>", "<g0>",
	"<x1>", "&amp;", "&#38;", "{0}", "{count}", "%s", "%1$d", "50 %", "\t", "\n", "\r\n", "\r", "  ",
	"é", "Ñandú", "Conseil d’État", "日本語", "𝄞", "ﬁ", "\xc2\xa0", "—",
};

typedef struct gen {
	uint64_t rng;
	int next_id, ids[64];   /* the codes' numbers of the segment being made, in the order they are used */
} gen;

static uint32_t draw(gen *g, uint32_t below) { return xorshift_below(&g->rng, below); }

static void gen_text(gen *g, buf *b, int depth)
{
	for (uint32_t n = draw(g, 6); n > 0; n--) {
		uint32_t what = draw(g, 10);
		if (what < 7 || g->next_id >= 60) {
			buf_puts(b, pieces[draw(g, sizeof pieces / sizeof pieces[0])]);
		} else if (what < 8) {
			buf_printf(b, "<x%d/>", g->ids[g->next_id++]);
		} else if (depth < 4) {
			int id = g->ids[g->next_id++];
			buf_printf(b, "<g%d>", id);
			gen_text(g, b, depth + 1);
			buf_printf(b, "</g%d>", id);
		}
	}
}

/* Distinct numbers from 1 to 9999 in a drawn order. */
static void draw_ids(gen *g)
{
	for (int k = 0; k < 64; k++) {
		int id, dup;
		do {
			id = 1 + (int)draw(g, k % 2 ? 9999 : 80);
			dup = 0;
			for (int j = 0; j < k; j++)
				dup |= g->ids[j] == id;
		} while (dup);
		g->ids[k] = id;
	}
}

static const char *gen_string(gen *g)
{
	static const char *const s[] = { "", "T.Okafor", "NORTHWIND\\l.ferrand", "a \"quoted\" <id> & 'more'",
					  "tab\there\nline", "Conseil d’État", "  spaced  " };
	return s[draw(g, sizeof s / sizeof s[0])];
}

typedef struct unit_store {
	tmx_unit u;
	tmx_variant v[4];
	tmx_prop p[3];
	buf texts[4];
} unit_store;

static void gen_unit(gen *g, unit_store *s, int n)
{
	static const char *const langs[] = { "en", "fr", "es", "ar", "zh" };
	static const char *const prop_names[] = { "origin", "context", "job" };
	static const char *const times[] = { "", "2026-12-07T10:15:00Z", "1999-01-31T00:00:00Z", "2030-02-28T23:59:59Z" };
	char tuid[32];
	if (n % 3)
		snprintf(tuid, sizeof tuid, "tu-%d", n);
	else
		tuid[0] = '\0';
	s->u = (tmx_unit){ .tuid = strdup(tuid), .creator = gen_string(g), .changer = gen_string(g) };
	strcpy(s->u.created, times[draw(g, 4)]);
	strcpy(s->u.changed, times[draw(g, 4)]);
	s->u.nvariants = 1 + draw(g, 4);
	for (size_t k = 0; k < s->u.nvariants; k++) {
		buf_reset(&s->texts[k]);
		draw_ids(g);
		g->next_id = 0;
		gen_text(g, &s->texts[k], 0);
		s->v[k] = (tmx_variant){ .text = buf_str(&s->texts[k]), .len = s->texts[k].len };
		strcpy(s->v[k].lang, langs[draw(g, 5)]);
	}
	s->u.variants = s->v;
	s->u.nprops = draw(g, 4);
	for (size_t k = 0; k < s->u.nprops; k++)
		s->p[k] = (tmx_prop){ prop_names[k], gen_string(g) };
	s->u.props = s->p;
}

/* What a unit reads back as, to compare: the writer's lang is the tag too. */
static void describe_written(buf *b, const tmx_unit *u)
{
	buf_printf(b, "tu %s|%s|%s|%s|%s\n", u->tuid, u->created, u->creator, u->changed, u->changer);
	for (size_t k = 0; k < u->nprops; k++)
		buf_printf(b, " prop %s=%s\n", u->props[k].name, u->props[k].value);
	for (size_t k = 0; k < u->nvariants; k++)
		buf_printf(b, " %s(%s) %s\n", u->variants[k].lang, u->variants[k].lang, u->variants[k].text);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		gen g = { .rng = 0x9E3779B97F4A7C15u * seed };
		unit_store s = { 0 };
		sink k = { BUF_INIT, 0, 0, 0 };
		buf want = BUF_INIT;
		tmx_error err;
		tmx_writer *w = tmx_writer_open(&liaison_header, to_sink, &k, &err);
		assert_non_null(w);
		for (int n = 0; n < 60; n++) {
			gen_unit(&g, &s, n);
			if (tmx_writer_unit(w, &s.u, &err))
				fail_msg("seed %llu unit %d refused: %s", (unsigned long long)seed, n, err.reason);
			describe_written(&want, &s.u);
			free((char *)s.u.tuid);
		}
		assert_int_equal(tmx_writer_close(w, &err), 0);
		assert_valid_tmx(&k.out);
		seen got = { BUF_INIT, BUF_INIT, 0, 0 };
		tmx_reader_opts o = { on_header, on_unit, &got, NULL };
		if (tmx_read_memory(k.out.data, k.out.len, &o, &err))
			fail_msg("seed %llu: read back refused at line %ld: %s", (unsigned long long)seed, err.line, err.reason);
		assert_string_equal(buf_str(&got.text), buf_str(&want));
		assert_string_equal(buf_str(&got.header), "srclang=en adminlang=en tool=Liaison/0.1.0 segtype=sentence "
							  "datatype=plaintext o-tmf=Liaison created=2026-12-07T10:15:00Z");
		for (int t = 0; t < 4; t++)
			buf_free(&s.texts[t]);
		seen_free(&got);
		buf_free(&want);
		buf_free(&k.out);
	}
}

static void test_writer_shape(void **state)
{
	(void)state;
	sink k = { BUF_INIT, 0, 0, 0 };
	tmx_error err;
	tmx_writer *w = tmx_writer_open(&liaison_header, to_sink, &k, &err);
	tmx_variant v[2] = { { .lang = "en", .text = "The <g1>Council</g1> & {0}<x2/>" },
			     { .lang = "fr", .text = "Le <g1>Conseil</g1> & {0}<x2/>" } };
	v[0].len = strlen(v[0].text), v[1].len = strlen(v[1].text);
	tmx_prop p = { "origin", "C/115/1" };
	tmx_unit u = { .tuid = "7", .created = "2026-12-07T10:15:00Z", .creator = "T.Okafor", .variants = v,
		       .nvariants = 2, .props = &p, .nprops = 1 };
	assert_int_equal(tmx_writer_unit(w, &u, &err), 0);
	assert_int_equal(k.pieces, 0);   /* held until a piece is full */
	assert_int_equal(tmx_writer_close(w, &err), 0);
	assert_string_equal(buf_str(&k.out),
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n"
		"<header creationtool=\"Liaison\" creationtoolversion=\"0.1.0\" segtype=\"sentence\" o-tmf=\"Liaison\" "
		"adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\" creationdate=\"20261207T101500Z\"/>\n<body>\n"
		"<tu tuid=\"7\" creationdate=\"20261207T101500Z\" creationid=\"T.Okafor\">\n"
		"  <prop type=\"x-origin\">C/115/1</prop>\n"
		"  <tuv xml:lang=\"en\"><seg>The <bpt i=\"1\" x=\"1\"/>Council<ept i=\"1\"/> &amp; {0}<ph x=\"2\"/></seg></tuv>\n"
		"  <tuv xml:lang=\"fr\"><seg>Le <bpt i=\"1\" x=\"1\"/>Conseil<ept i=\"1\"/> &amp; {0}<ph x=\"2\"/></seg></tuv>\n"
		"</tu>\n</body>\n</tmx>\n");
	buf_free(&k.out);
}

/* A refused unit says why and leaves the document as it was. */
static void test_writer_refusals(void **state)
{
	(void)state;
	static const struct { const char *lang, *text, *created, *why; } bad[] = {
		{ "en", "a\x01z", "", "holds a character XML cannot carry (at byte 1)" },
		{ "en", "a\xef\xbf\xbf", "", "holds a character XML cannot carry (at byte 1)" },
		{ "en", "caf\xc3", "", "is not UTF-8" },
		{ "en", "<g1>a", "", "never closed" },
		{ "en", "<g1><g2></g1></g2>", "", "" },
		{ "EN", "a", "", "not a primary language in lower case" },
		{ "e", "a", "", "not a primary language" },
		{ "en", "a", "2026-12-07 10:15", "is not a UTC time" },
	};
	for (size_t n = 0; n < sizeof bad / sizeof bad[0]; n++) {
		sink k = { BUF_INIT, 0, 0, 0 };
		tmx_error err;
		tmx_writer *w = tmx_writer_open(&liaison_header, to_sink, &k, &err);
		tmx_variant v = { .text = bad[n].text, .len = strlen(bad[n].text) };
		snprintf(v.lang, sizeof v.lang, "%s", bad[n].lang);
		tmx_unit u = { .tuid = "1", .variants = &v, .nvariants = 1 };
		snprintf(u.created, sizeof u.created, "%s", bad[n].created);
		assert_int_equal(tmx_writer_unit(w, &u, &err), -1);
		if (!strstr(err.reason, bad[n].why))
			fail_msg("%zu: \"%s\" does not say \"%s\"", n, err.reason, bad[n].why);
		assert_int_equal(tmx_writer_close(w, &err), 0);
		assert_null(strstr(k.out.data, "<tu"));
		assert_valid_tmx(&k.out);
		buf_free(&k.out);
	}
	tmx_error err;
	sink k = { BUF_INIT, 0, 0, 0 };
	assert_null(tmx_writer_open(&(tmx_header){ .srclang = "english" }, to_sink, &k, &err));
	assert_string_equal(err.reason, "srclang \"english\" is not a language tag");
	tmx_writer *w = tmx_writer_open(&(tmx_header){ .srclang = "*all*" }, to_sink, &k, &err);
	tmx_unit none = { .tuid = "1" };
	assert_int_equal(tmx_writer_unit(w, &none, &err), -1);
	assert_string_equal(err.reason, "a unit without any language");
	/* An output that refuses its bytes fails the close. */
	k.refuse = 1;
	assert_int_equal(tmx_writer_close(w, &err), -1);
	buf_free(&k.out);
}

/* Many units go out in pieces of bounded size, not as one document. */
static void test_writer_streams(void **state)
{
	(void)state;
	sink k = { BUF_INIT, 0, 0, 0 };
	tmx_error err;
	tmx_writer *w = tmx_writer_open(&liaison_header, to_sink, &k, &err);
	char text[200];
	for (int n = 0; n < 20000; n++) {
		snprintf(text, sizeof text, "Unit %d of the Standing Committee's memory, <g1>with a tag</g1>.", n);
		tmx_variant v = { .lang = "en", .text = text, .len = strlen(text) };
		tmx_unit u = { .variants = &v, .nvariants = 1 };
		assert_int_equal(tmx_writer_unit(w, &u, &err), 0);
	}
	assert_int_equal(tmx_writer_close(w, &err), 0);
	assert_true(k.pieces > 20);
	assert_true(k.largest < TMX_WRITE_CHUNK + 256);
	seen s = { BUF_INIT, BUF_INIT, 0, 0 };
	tmx_reader_opts o = { NULL, on_unit, &s, NULL };
	assert_int_equal(tmx_read_memory(k.out.data, k.out.len, &o, &err), 0);
	assert_int_equal(s.units, 20000);
	seen_free(&s);
	buf_free(&k.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desktop_tool_file),
		cmocka_unit_test(test_broken_fixture),
		cmocka_unit_test(test_language_tags),
		cmocka_unit_test(test_inline_codes),
		cmocka_unit_test(test_codes_refused),
		cmocka_unit_test(test_structure_refused),
		cmocka_unit_test(test_entities_refused),
		cmocka_unit_test(test_fault_at_line_90000),
		cmocka_unit_test(test_caller_stops),
		cmocka_unit_test(test_read_from_file),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_shape),
		cmocka_unit_test(test_writer_refusals),
		cmocka_unit_test(test_writer_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
