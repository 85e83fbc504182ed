/*
 * Tests for formats/tbx: a terminology tool's termbase read to the exact
 * concepts and terms; what is refused, with its line (a concept without a
 * term, a term without a language or text, values outside TBX-Basic's
 * picklists, entities); the writer's output valid against the TBX-Core
 * RELAX NG schema and read back as it was written, over generated
 * concepts with every tricky character; what the writer refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xorshift.h"
#include "fixtures.h"
#include "formats/tbx.h"

static const char *const status_names[] = { "-", "preferred", "admitted", "deprecated" };

/* A concept as text, one line per term; tags as read (with_tag) or as the writer writes them. */
static void describe(buf *b, const tbx_concept *c, int with_tag)
{
	buf_printf(b, "concept %s|%s|%s\n", c->id, c->subject, c->definition);
	for (size_t k = 0; k < c->nterms; k++) {
		const tbx_term *t = &c->terms[k];
		buf_printf(b, " %s(%s) %s|%s|%s|%s|%s|%s\n", t->lang, with_tag ? t->tag : t->lang, t->text, t->pos,
			   status_names[t->status], t->definition, t->source, t->note);
	}
}

typedef struct seen {
	buf text;
	int concepts, stop_at;
} seen;

static int on_concept(void *ctx, const tbx_concept *c)
{
	seen *s = ctx;
	describe(&s->text, c, 1);
	return ++s->concepts == s->stop_at;
}

static int read_text(const char *doc, seen *s, tbx_error *err, const char *const *languages)
{
	*s = (seen){ BUF_INIT, 0, 0 };
	tbx_reader_opts o = { on_concept, s, languages };
	return tbx_read_memory(doc, strlen(doc), &o, err);
}

#define HEAD "<?xml version=\"1.0\"?>\n<tbx xmlns=\"urn:iso:std:iso:30042:ed:3.0\" type=\"TBX-Basic\" style=\"dca\" " \
	     "xml:lang=\"en\"><tbxHeader/><text><body>\n"
#define TAIL "</body></text></tbx>\n"

static void assert_refused(const char *doc, long line, const char *why)
{
	seen s;
	tbx_error err;
	assert_int_equal(read_text(doc, &s, &err, NULL), -1);
	if (err.line != line || !strstr(err.reason, why))
		fail_msg("refused at line %ld with \"%s\"; expected line %ld with \"%s\"", err.line, err.reason, line, why);
	assert_null(strchr(err.reason, '\n'));
	buf_free(&s.text);
}

/* ---- reading ------------------------------------------------------------ */

static void test_tool_termbase(void **state)
{
	(void)state;
	char path[PATH_MAX], why[256];
	char *doc;
	size_t len;
	if (file_read(fixture_path("tbx/termbase.tbx", path), 1 << 20, &doc, &len, why, sizeof why))
		fail_msg("%s: %s", path, why);
	seen s = { BUF_INIT, 0, 0 };
	tbx_reader_opts o = { on_concept, &s, NULL };
	tbx_error err;
	assert_int_equal(tbx_read_memory(doc, len, &o, &err), 0);
	assert_string_equal(buf_str(&s.text),
		"concept c-0042|migration law|A person who moves away from their place of usual residence.\n"
		" en(en-GB) migrant|noun|preferred||Glossary on Migration, 2019|\n"
		" fr(FR) migrant|noun|preferred|Personne qui quitte son lieu de résidence habituelle.||\n"
		" fr(FR) émigré||deprecated|Terme ancien.||Not used in the Council's texts since 2010.\n"
		"concept c-0043||\n"
		" es(es-ES) país de tránsito|noun|admitted|||\n");
	buf_free(&s.text);
	/* The same from its file, stopped after the first concept. */
	int fd = open(path, O_RDONLY);
	s = (seen){ BUF_INIT, 0, 1 };
	assert_int_equal(tbx_read_fd(fd, &o, &err), 1);
	assert_int_equal(s.concepts, 1);
	close(fd);
	buf_free(&s.text);
	free(doc);
}

static void test_refusals(void **state)
{
	(void)state;
	assert_refused(HEAD "<conceptEntry id=\"a\">\n<descrip type=\"subjectField\">law</descrip></conceptEntry>" TAIL, 3,
		       "a concept without any term");
	assert_refused(HEAD "<conceptEntry>\n<langSec xml:lang=\"en\"></langSec></conceptEntry>" TAIL, 4,
		       "a <langSec> without any <termSec>");
	assert_refused(HEAD "<conceptEntry>\n<langSec><termSec><term>x</term></termSec></langSec></conceptEntry>" TAIL, 4,
		       "a <langSec> without xml:lang: its terms have no language");
	assert_refused(HEAD "<conceptEntry>\n<termSec><term>x</term></termSec></conceptEntry>" TAIL, 4,
		       "a <termSec> outside a <langSec>: the term has no language");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\">\n<termSec><term> </term></termSec></langSec></conceptEntry>" TAIL,
		       4, "a <term> with no text");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term/></termSec></langSec></conceptEntry>" TAIL,
		       3, "a <term> with no text");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\">\n<termSec><note>n</note></termSec></langSec></conceptEntry>" TAIL,
		       4, "a <termSec> without its <term>");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>a</term><term>b</term></termSec></langSec>"
			    "</conceptEntry>" TAIL, 3, "a second <term>");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"english\"><termSec><term>a</term></termSec></langSec>"
			    "</conceptEntry>" TAIL, 3, "xml:lang \"english\" is not a language tag");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>a</term>\n"
			    "<termNote type=\"partOfSpeech\">substantive</termNote></termSec></langSec></conceptEntry>" TAIL,
		       4, "\"substantive\" is not a part of speech TBX-Basic knows");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>a</term>\n"
			    "<termNote type=\"administrativeStatus\">supersededTerm-admn-sts</termNote></termSec></langSec>"
			    "</conceptEntry>" TAIL, 4, "is not a administrative status TBX-Basic knows");
	assert_refused(HEAD "<conceptEntry/>" TAIL, 3, "a concept without any term");
	assert_refused(HEAD "\n<termEntry/>" TAIL, 4, "<termEntry> inside the <body>");
	assert_refused("<?xml version=\"1.0\"?>\n<martif type=\"TBX\"/>", 2, "the document is <martif>, not <tbx>");
	assert_refused("<?xml version=\"1.0\"?>\n<tbx><tbxHeader/></tbx>", 2, "a <tbx> without its <text>");
	assert_refused(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>a</termSec></langSec></conceptEntry>" TAIL,
		       3, "not well-formed XML");
	/* Languages outside a given list are unknown. */
	static const char *const official[] = { "en", "fr", "es", NULL };
	seen s;
	tbx_error err;
	assert_int_equal(read_text(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>a</term></termSec></langSec>\n"
					"<langSec xml:lang=\"de\"><termSec><term>b</term></termSec></langSec></conceptEntry>" TAIL,
				   &s, &err, official), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.reason, "unknown language \"de\"");
	buf_free(&s.text);
	/* Entities are not read. */
	assert_int_equal(read_text("<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
				   "<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>&x;</term></termSec>"
				   "</langSec></conceptEntry></body></text></tbx>", &s, &err, NULL), -1);
	assert_string_equal(err.reason, "the DOCTYPE declares entities, which are not read");
	assert_int_equal(s.concepts, 0);
	buf_free(&s.text);
}

/* A fault after good concepts: those were handed over, the read fails. */
static void test_fault_after_concepts(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	buf_puts(&doc, HEAD);
	for (int k = 0; k < 1000; k++)
		buf_printf(&doc, "<conceptEntry id=\"c%d\"><langSec xml:lang=\"en\"><termSec><term>term %d</term></termSec>"
				 "</langSec></conceptEntry>\n", k, k);
	buf_puts(&doc, "<conceptEntry id=\"bad\">\n</conceptEntry>" TAIL);
	seen s;
	tbx_error err;
	assert_int_equal(read_text(doc.data, &s, &err, NULL), -1);
	assert_int_equal(err.line, 1003);
	assert_string_equal(err.reason, "a concept without any term");
	assert_int_equal(s.concepts, 1000);
	buf_free(&s.text);
	buf_free(&doc);
}

/* ---- writing ------------------------------------------------------------ */

typedef struct sink {
	buf out;
	size_t pieces;
} sink;

static int to_sink(void *ctx, const char *data, size_t len)
{
	sink *k = ctx;
	buf_add(&k->out, data, len);
	k->pieces++;
	return 0;
}

static void assert_valid_tbx(const buf *doc)
{
	char path[PATH_MAX];
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(fixture_path("schemas/tbx/TBXcoreStructV03.rng", path));
	xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
	assert_non_null(schema);
	xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
	xmlDocPtr d = xmlReadMemory(doc->data, (int)doc->len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(d);
	int rc = xmlRelaxNGValidateDoc(vc, d);
	xmlFreeDoc(d);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pc);
	if (rc != 0)
		fail_msg("not valid against TBXcoreStructV03.rng:\n%.3000s", doc->data);
}

static const char *const texts[] = {
	"", "migrant", "country of transit", "a < b & c > d", "\"quoted\" 'term'", "]]>", "tab\there", "line\nbreak",
	"cr\r\nlf", "Conseil d’État", "país de tránsito", "日本語", "𝄞", "<hi>not markup</hi>", "&amp;", "  spaced  ",
};
static const char *const poses[] = { "", "noun", "verb", "adjective", "adverb", "properNoun", "other" };
static const char *const langs[] = { "en", "fr", "es", "ar", "zh" };

typedef struct made {
	tbx_concept c;
	tbx_term t[8];
	char id[16];
} made;

static const char *pick(uint64_t *rng, const char *const *list, size_t n) { return list[xorshift_below(rng, (uint32_t)n)]; }

static void make_concept(uint64_t *rng, made *m, int n)
{
	if (n % 4)
		snprintf(m->id, sizeof m->id, "c%d", n);
	else
		m->id[0] = '\0';
	m->c = (tbx_concept){ .id = m->id, .subject = pick(rng, texts, 16), .definition = pick(rng, texts, 16), .terms = m->t };
	m->c.nterms = 1 + xorshift_below(rng, 8);
	for (size_t k = 0; k < m->c.nterms; k++) {
		const char *text;
		do
			text = pick(rng, texts, 16);
		while (!*text);
		m->t[k] = (tbx_term){ .text = text, .pos = pick(rng, poses, 7), .status = (tbx_status)xorshift_below(rng, 4),
				      .definition = pick(rng, texts, 16), .source = pick(rng, texts, 16),
				      .note = pick(rng, texts, 16) };
		strcpy(m->t[k].lang, k > 0 && xorshift_below(rng, 2) ? m->t[k - 1].lang : pick(rng, langs, 5));
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 30; seed++) {
		uint64_t rng = 0x9E3779B97F4A7C15u * seed;
		sink k = { BUF_INIT, 0 };
		buf want = BUF_INIT;
		tbx_error err;
		tbx_writer *w = tbx_writer_open("en", seed % 2 ? "Council terminology & more" : NULL, to_sink, &k, &err);
		assert_non_null(w);
		for (int n = 0; n < 40; n++) {
			made m;
			make_concept(&rng, &m, n);
			if (tbx_writer_concept(w, &m.c, &err))
				fail_msg("seed %llu concept %d refused: %s", (unsigned long long)seed, n, err.reason);
			describe(&want, &m.c, 0);
		}
		assert_int_equal(tbx_writer_close(w, &err), 0);
		assert_valid_tbx(&k.out);
		seen got;
		if (read_text(k.out.data, &got, &err, NULL))
			fail_msg("seed %llu: read back refused at line %ld: %s", (unsigned long long)seed, err.line, err.reason);
		assert_string_equal(buf_str(&got.text), buf_str(&want));
		buf_free(&got.text);
		buf_free(&want);
		buf_free(&k.out);
	}
}

static void test_writer_shape(void **state)
{
	(void)state;
	sink k = { BUF_INIT, 0 };
	tbx_error err;
	tbx_writer *w = tbx_writer_open("en", "Terms", to_sink, &k, &err);
	tbx_term t[3] = {
		{ .lang = "en", .text = "migrant", .pos = "noun", .status = TBX_PREFERRED, .source = "Glossary" },
		{ .lang = "fr", .text = "migrant", .pos = "noun", .status = TBX_PREFERRED },
		{ .lang = "fr", .text = "émigré", .status = TBX_DEPRECATED, .note = "old" },
	};
	tbx_concept c = { .id = "c42", .subject = "migration law", .terms = t, .nterms = 3 };
	assert_int_equal(tbx_writer_concept(w, &c, &err), 0);
	assert_int_equal(tbx_writer_close(w, &err), 0);
	assert_string_equal(buf_str(&k.out),
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tbx xmlns=\"urn:iso:std:iso:30042:ed:3.0\" type=\"TBX-Basic\" "
		"style=\"dca\" xml:lang=\"en\">\n<tbxHeader>\n <fileDesc>\n  <titleStmt><title>Terms</title></titleStmt>\n"
		"  <sourceDesc><p>Liaison</p></sourceDesc>\n </fileDesc>\n</tbxHeader>\n<text>\n<body>\n"
		"<conceptEntry id=\"c42\">\n"
		"  <descrip type=\"subjectField\">migration law</descrip>\n"
		"  <langSec xml:lang=\"en\">\n"
		"   <termSec>\n    <term>migrant</term>\n"
		"    <termNote type=\"partOfSpeech\">noun</termNote>\n"
		"    <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>\n"
		"    <admin type=\"source\">Glossary</admin>\n"
		"   </termSec>\n"
		"  </langSec>\n"
		"  <langSec xml:lang=\"fr\">\n"
		"   <termSec>\n    <term>migrant</term>\n"
		"    <termNote type=\"partOfSpeech\">noun</termNote>\n"
		"    <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>\n"
		"   </termSec>\n"
		"   <termSec>\n    <term>émigré</term>\n"
		"    <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>\n"
		"    <note>old</note>\n"
		"   </termSec>\n"
		"  </langSec>\n"
		"</conceptEntry>\n</body>\n</text>\n</tbx>\n");
	assert_valid_tbx(&k.out);
	buf_free(&k.out);
}

static void test_writer_refusals(void **state)
{
	(void)state;
	static const struct { const char *id, *lang, *text, *pos; const char *why; } bad[] = {
		{ "c1", "en", "", "", "a term with no text" },
		{ "c1", "en", " \t", "", "a term with no text" },
		{ "c1", "EN", "a", "", "not a primary language in lower case" },
		{ "c1", "", "a", "", "not a primary language" },
		{ "c1", "en", "a", "substantive", "\"substantive\" is not a part of speech" },
		{ "1c", "en", "a", "", "is not an XML name" },
		{ "c 1", "en", "a", "", "is not an XML name" },
		{ "c1", "en", "a\x02", "", "holds a character XML cannot carry" },
		{ "c1", "en", "\xc3", "", "is not UTF-8" },
	};
	for (size_t n = 0; n < sizeof bad / sizeof bad[0]; n++) {
		sink k = { BUF_INIT, 0 };
		tbx_error err;
		tbx_writer *w = tbx_writer_open("en", NULL, to_sink, &k, &err);
		tbx_term t = { .text = bad[n].text, .pos = bad[n].pos };
		snprintf(t.lang, sizeof t.lang, "%s", bad[n].lang);
		tbx_concept c = { .id = bad[n].id, .terms = &t, .nterms = 1 };
		assert_int_equal(tbx_writer_concept(w, &c, &err), -1);
		if (!strstr(err.reason, bad[n].why))
			fail_msg("%zu: \"%s\" does not say \"%s\"", n, err.reason, bad[n].why);
		/* Nothing of it was written: the termbase, empty, says so at its close. */
		assert_int_equal(tbx_writer_close(w, &err), -1);
		assert_string_equal(err.reason, "a termbase without any concept, which TBX cannot hold");
		assert_null(strstr(k.out.data, "<conceptEntry"));
		buf_free(&k.out);
	}
	tbx_error err;
	sink k = { BUF_INIT, 0 };
	assert_null(tbx_writer_open("english", NULL, to_sink, &k, &err));
	tbx_writer *w = tbx_writer_open("fr-CA", NULL, to_sink, &k, &err);
	tbx_concept none = { .id = "c1" };
	assert_int_equal(tbx_writer_concept(w, &none, &err), -1);
	assert_string_equal(err.reason, "a concept without any term");
	tbx_writer_close(w, &err);
	buf_free(&k.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tool_termbase),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_fault_after_concepts),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_shape),
		cmocka_unit_test(test_writer_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
