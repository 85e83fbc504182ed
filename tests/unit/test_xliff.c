/*
 * Tests for xliff: a translation job written as XLIFF 1.2 and 2.0 is valid
 * against the official schemas (tests/fixtures/schemas, offline through
 * its catalog), reads back as the same segments for generated segments of
 * every shape, files in the style of desktop tools (tests/fixtures/xliff)
 * read as documented, and every refusal names its line and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xorshift.h"
#include "formats/inline.h"
#include "formats/xliff.h"
#include "schemavalid.h"
#include "testpath.h"

/* ---- helpers ------------------------------------------------------------- */

/* A path below tests/. */
static char *tests_path(const char *rel)
{
	buf b = BUF_INIT;
	buf_printf(&b, "../%s", rel);
	char *path = TEST_PATH(b.data);
	buf_free(&b);
	return path;
}

static char *fixture(const char *name, size_t *n)
{
	buf rel = BUF_INIT;
	buf_printf(&rel, "fixtures/xliff/%s", name);
	char *path = tests_path(rel.data), *data = NULL, err[256];
	if (file_read(path, 1 << 20, &data, n, err, sizeof err))
		fail_msg("%s", err);
	free(path);
	buf_free(&rel);
	return data;
}

static int to_buf(void *ctx, const char *data, size_t n)
{
	buf_add(ctx, data, n);
	return 0;
}

/* The segments a file holds, as read. */
typedef struct read_back {
	xliff_file file;
	char original[64], title[128];
	int ids[512];
	char *sources[512], *targets[512];
	xliff_state states[512];
	long lines[512];
	int n;
} read_back;

static int keep_file(void *ctx, const xliff_file *f)
{
	read_back *r = ctx;
	r->file = *f;
	snprintf(r->original, sizeof r->original, "%s", f->original);
	snprintf(r->title, sizeof r->title, "%s", f->title);
	return 0;
}

static int keep_unit(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f;
	read_back *r = ctx;
	assert_true(r->n < 512);
	r->ids[r->n] = u->id;
	r->sources[r->n] = strdup(u->source);
	r->targets[r->n] = strdup(u->target);
	r->states[r->n] = u->state;
	r->lines[r->n++] = u->line;
	return 0;
}

static void read_back_free(read_back *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->sources[i]), free(r->targets[i]);
	r->n = 0;
}

static int read_all(const char *xml, size_t n, read_back *r, xliff_error *err)
{
	memset(r, 0, sizeof *r);
	xliff_reader_cb cb = { keep_file, keep_unit, r };
	return xliff_read(xml, n, &cb, err);
}

static const char *schema_of(xliff_version v)
{
	return v == XLIFF_12 ? "schemas/xliff/xliff-core-1.2-strict.xsd" : "schemas/xliff/xliff-core-2.0.xsd";
}

static const xliff_job council_job = { "en", "fr", "C/115/1", "Provisional agenda & <annotations>" };

/* ---- writing: valid against the schemas ----------------------------------- */

static const xliff_segment sample[] = {
	{ 1, "Opening of the session", "Ouverture de la session", XLIFF_REVIEWED, 0, { { 0 } } },
	{ 2, "Adoption of the <g1>agenda</g1><x2/>", "", XLIFF_NEW, 2,
	  { { "Adoption of the <g1>agenda</g1>", "Adoption de l'<g1>ordre du jour</g1>", 87, "C/114/1" },
	    { "Adoption of the agenda", "Adoption de l'ordre du jour", 101, "memory" } } },
	{ 7, "Report on {0} & %s \"quoted\" <b>", "Rapport sur {0} & %s « cité » <b>", XLIFF_TRANSLATED, 1,
	  { { "Report", "Rapport", 0, NULL } } },
	{ 9, "", NULL, XLIFF_TRANSLATED, 0, { { 0 } } },
};

static void test_written_files_are_valid(void **state)
{
	(void)state;
	xliff_version versions[] = { XLIFF_12, XLIFF_20 };
	for (size_t v = 0; v < 2; v++) {
		buf out = BUF_INIT;
		xliff_error err;
		assert_int_equal(xliff_write(versions[v], &council_job, sample, 4, to_buf, &out, &err), 0);
		assert_int_equal(schema_valid(out.data, out.len, schema_of(versions[v])), 0);
		/* The matches are in the file, the placeholders as text. */
		assert_non_null(strstr(out.data, versions[v] == XLIFF_12 ? "match-quality=\"87\"" : "matchQuality=\"87\""));
		assert_non_null(strstr(out.data, "{0} &amp; %s"));
		assert_non_null(strstr(out.data, versions[v] == XLIFF_12 ? "<x id=\"2\"/>" : "<ph id=\"2\"/>"));
		buf_free(&out);
	}
}

/* A job written without a title or matches is as valid: the optional
 * parts are left out whole. */
static void test_plain_job_is_valid(void **state)
{
	(void)state;
	xliff_job job = { "es", "en", "C/115/INF/3", NULL };
	const xliff_segment one = { 1, "Hola", "", XLIFF_NEW, 0, { { 0 } } };
	for (int v = XLIFF_12; v <= XLIFF_20; v += XLIFF_20 - XLIFF_12) {
		buf out = BUF_INIT;
		xliff_error err;
		assert_int_equal(xliff_write((xliff_version)v, &job, &one, 1, to_buf, &out, &err), 0);
		assert_int_equal(schema_valid(out.data, out.len, schema_of((xliff_version)v)), 0);
		assert_null(strstr(out.data, "note"));
		buf_free(&out);
	}
}

/* ---- round trip: generated segments ------------------------------------- */

/* Text pieces chosen so that no two make a code by meeting. */
static const char *const atoms[] = {
	"The Council", " ", "é", "中文", "😀", "&", "<", ">", "\"", "'", "a < b", "50 %", "{0}", "%s", "%1$d",
	"{count}", "\n", "\t", "\r\n", "  ", "]]>", "&amp;", "Ñandú",
};

/* Random text with well-formed tags numbered from *next_id. */
static void gen_text(uint64_t *rng, buf *b, int *next_id, int depth)
{
	int pieces = (int)xorshift_below(rng, 6);
	for (int i = 0; i < pieces; i++) {
		uint32_t k = xorshift_below(rng, 10);
		if (k == 0 && depth < 3 && *next_id < INLINE_ID_MAX) {
			int id = (*next_id)++;
			buf_printf(b, "<g%d>", id);
			gen_text(rng, b, next_id, depth + 1);
			buf_printf(b, "</g%d>", id);
		} else if (k == 1 && *next_id < INLINE_ID_MAX) {
			buf_printf(b, "<x%d/>", (*next_id)++);
		} else {
			buf_puts(b, atoms[xorshift_below(rng, sizeof atoms / sizeof *atoms)]);
		}
	}
}

static char *gen_segment_text(uint64_t *rng)
{
	buf b = BUF_INIT;
	int next = 1 + (int)xorshift_below(rng, 20);
	gen_text(rng, &b, &next, 0);
	size_t at;
	assert_int_equal(inline_check(buf_str(&b), b.len, &at), INLINE_OK);
	if (!b.data)
		buf_puts(&b, "");
	return buf_steal(&b);
}

static void round_trip(xliff_version v, uint64_t seed)
{
	enum { N = 60 };
	uint64_t rng = seed;
	xliff_segment segs[N];
	char *texts[N * 4] = { 0 };
	int t = 0;
	for (int i = 0; i < N; i++) {
		memset(&segs[i], 0, sizeof segs[i]);
		segs[i].id = 1 + i * 3 + (int)xorshift_below(&rng, 3);
		segs[i].source = texts[t++] = gen_segment_text(&rng);
		segs[i].target = texts[t++] = xorshift_below(&rng, 3) ? gen_segment_text(&rng) : strdup("");
		segs[i].state = (xliff_state)xorshift_below(&rng, 3);
		segs[i].nmatches = (int)xorshift_below(&rng, 2);
		if (segs[i].nmatches) {
			segs[i].matches[0] = (xliff_match){ texts[t] = gen_segment_text(&rng), texts[t + 1] = gen_segment_text(&rng),
							    (int)xorshift_below(&rng, 102), "C/114/2" };
			t += 2;
		}
	}
	xliff_job job = { "fr", "es", "C/115/RES/1412", "Résolution « 1412 » & <annexe>" };
	buf out = BUF_INIT;
	xliff_error err;
	assert_int_equal(xliff_write(v, &job, segs, N, to_buf, &out, &err), 0);
	assert_int_equal(schema_valid(out.data, out.len, schema_of(v)), 0);
	read_back *r = calloc(1, sizeof *r);
	int rc = read_all(out.data, out.len, r, &err);
	if (rc)
		fail_msg("seed %llu: %s", (unsigned long long)seed, err.message);
	assert_int_equal(r->file.version, v);
	assert_string_equal(r->file.source_lang, "fr");
	assert_string_equal(r->file.target_lang, "es");
	assert_string_equal(r->original, job.original);
	assert_string_equal(r->title, job.title);
	assert_int_equal(r->n, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(r->ids[i], segs[i].id);
		assert_string_equal(r->sources[i], segs[i].source);
		assert_string_equal(r->targets[i], segs[i].target);
		assert_int_equal(r->states[i], segs[i].state);
	}
	/* The file is its job's. */
	assert_int_equal(xliff_compare(out.data, out.len, &job, segs, N, &err), 0);
	read_back_free(r);
	free(r);
	buf_free(&out);
	for (int i = 0; i < t; i++)
		free(texts[i]);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		round_trip(XLIFF_12, seed * 0x9E3779B97F4A7C15ull);
		round_trip(XLIFF_20, seed * 0x9E3779B97F4A7C15ull + 7);
	}
}

/* ---- reading files as desktop tools write them ----------------------------- */

static void test_reads_desktop_12(void **state)
{
	(void)state;
	size_t n;
	char *xml = fixture("job-1.2.xlf", &n);
	read_back r;
	xliff_error err;
	assert_int_equal(read_all(xml, n, &r, &err), 0);
	assert_int_equal(r.file.version, XLIFF_12);
	assert_string_equal(r.file.source_lang, "en");   /* en-US */
	assert_string_equal(r.file.target_lang, "fr");
	assert_string_equal(r.original, "C/115/1");
	assert_string_equal(r.title, "Provisional agenda of the 115th session");
	assert_int_equal(r.file.line, 3);
	assert_int_equal(r.n, 6);
	/* signed-off; needs-review-translation inside a <mrk> of a seg-source
	 * tool; needs-translation with an empty target; approved="yes"; no
	 * state with a target; no target. */
	const xliff_state want[] = { XLIFF_REVIEWED, XLIFF_TRANSLATED, XLIFF_NEW, XLIFF_REVIEWED, XLIFF_TRANSLATED, XLIFF_NEW };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(r.ids[i], i + 1);
		assert_int_equal(r.states[i], want[i]);
	}
	assert_string_equal(r.sources[1], "Adoption of the <g1>agenda</g1><x2/>");
	assert_string_equal(r.targets[1], "Adoption de l'<g1>ordre du jour</g1><x2/>");
	assert_int_equal(r.lines[1], 14);
	assert_string_equal(r.sources[2], "Report of the Director General on {0} & %s");
	assert_string_equal(r.targets[2], "");
	assert_string_equal(r.targets[3], "Élection du Bureau");
	read_back_free(&r);
	free(xml);
}

static void test_reads_desktop_20(void **state)
{
	(void)state;
	size_t n;
	char *xml = fixture("job-2.0.xlf", &n);
	read_back r;
	xliff_error err;
	assert_int_equal(read_all(xml, n, &r, &err), 0);
	assert_int_equal(r.file.version, XLIFF_20);
	assert_string_equal(r.file.target_lang, "es");
	assert_string_equal(r.title, "Provisional agenda of the 115th session");
	assert_int_equal(r.n, 4);
	assert_int_equal(r.states[0], XLIFF_REVIEWED);   /* final */
	assert_string_equal(r.targets[1], "Aprobación del <g1>orden del día</g1><x2/>");
	/* Two segments and an ignorable: one text, the lesser state; <sc>/<ec>
	 * a pair, <mrk> its text. */
	assert_string_equal(r.sources[2], "Report of the Director General. See <g4>annex</g4>.");
	assert_string_equal(r.targets[2], "Informe del Director General.Véase el <g4>anexo</g4>.");
	assert_int_equal(r.states[2], XLIFF_TRANSLATED);
	assert_int_equal(r.states[3], XLIFF_NEW);        /* no state: initial */
	assert_string_equal(r.targets[3], "");
	read_back_free(&r);
	free(xml);
}

static void test_broken_fixture(void **state)
{
	(void)state;
	size_t n;
	char *xml = fixture("broken.xlf", &n);
	read_back r;
	xliff_error err;
	assert_int_equal(read_all(xml, n, &r, &err), -1);
	assert_int_equal(err.line, 11);
	assert_non_null(strstr(err.message, "line 11: "));
	assert_non_null(strstr(err.message, "mismatch"));
	read_back_free(&r);
	free(xml);
}

/* ---- what the reader makes of markup ------------------------------------- */

#define HEAD_12 "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">" \
		"<file original=\"C/1\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body>\n"
#define TAIL_12 "</body></file></xliff>"
#define HEAD_20 "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\" trgLang=\"fr\">" \
		"<file id=\"f\" original=\"C/1\">\n"
#define TAIL_20 "</file></xliff>"

/* The one segment of xml, as "source|target|state". */
static void assert_reads(const char *xml, const char *want)
{
	read_back r;
	xliff_error err;
	int rc = read_all(xml, strlen(xml), &r, &err);
	if (rc)
		fail_msg("%s: %s", xml, err.message);
	assert_int_equal(r.n, 1);
	char got[512];
	snprintf(got, sizeof got, "%s|%s|%d", r.sources[0], r.targets[0], (int)r.states[0]);
	assert_string_equal(got, want);
	read_back_free(&r);
}

static void test_states(void **state)
{
	(void)state;
	static const struct { const char *state; int want; } s12[] = {
		{ "new", 0 }, { "needs-translation", 0 }, { "needs-adaptation", 0 }, { "needs-l10n", 0 },
		{ "translated", 1 }, { "needs-review-translation", 1 }, { "needs-review-adaptation", 1 },
		{ "needs-review-l10n", 1 }, { "signed-off", 2 }, { "final", 2 },
	};
	for (size_t i = 0; i < sizeof s12 / sizeof *s12; i++) {
		char xml[512], want[64];
		snprintf(xml, sizeof xml, HEAD_12 "<trans-unit id=\"5\"><source>a</source><target state=\"%s\">b</target>"
			 "</trans-unit>" TAIL_12, s12[i].state);
		snprintf(want, sizeof want, "a|b|%d", s12[i].want);
		assert_reads(xml, want);
	}
	static const struct { const char *state; int want; } s20[] = {
		{ "initial", 0 }, { "translated", 1 }, { "reviewed", 2 }, { "final", 2 },
	};
	for (size_t i = 0; i < sizeof s20 / sizeof *s20; i++) {
		char xml[512], want[64];
		snprintf(xml, sizeof xml, HEAD_20 "<unit id=\"5\"><segment state=\"%s\"><source>a</source><target>b</target>"
			 "</segment></unit>" TAIL_20, s20[i].state);
		snprintf(want, sizeof want, "a|b|%d", s20[i].want);
		assert_reads(xml, want);
	}
	/* approved="yes" wins over the target's state. */
	assert_reads(HEAD_12 "<trans-unit id=\"5\" approved=\"yes\"><source>a</source><target state=\"new\">b</target>"
		     "</trans-unit>" TAIL_12, "a|b|2");
}

static void test_markup_read(void **state)
{
	(void)state;
	/* bx/ex and bpt/ept pair up by rid; ph, it are standalone; native code
	 * and the <sub> in it dropped; <mrk> keeps its text; seg-source
	 * skipped; a self-closing <g/> is an empty pair. */
	assert_reads(HEAD_12 "<trans-unit id=\"1\"><source>a<bx id=\"7\" rid=\"3\"/>b<ex id=\"8\" rid=\"3\"/>"
		     "<bpt id=\"4\">&lt;b&gt;<sub>x</sub></bpt>c<ept id=\"4\">&lt;/b&gt;</ept><ph id=\"5\">{\\par}</ph>"
		     "<it id=\"6\" pos=\"open\">&lt;i&gt;</it><g id=\"9\"/></source>"
		     "<seg-source><mrk mtype=\"seg\" mid=\"1\">ignored</mrk></seg-source>"
		     "<target><mrk mtype=\"seg\" mid=\"1\">A <mrk mtype=\"x-comment\">b</mrk></mrk></target></trans-unit>" TAIL_12,
		     "a<g3>b</g3><g4>c</g4><x5/><x6/><g9></g9>|A b|1");
	/* 2.0: <cp> is its character, <sm/>/<em/> dropped, notes and
	 * originalData skipped. */
	assert_reads(HEAD_20 "<unit id=\"1\"><notes><note>n</note></notes><originalData><data id=\"d\">x</data>"
		     "</originalData><segment state=\"translated\"><source>a<cp hex=\"e9\"/><sm id=\"m\"/>b<em startRef=\"m\"/>"
		     "</source><target>A<pc id=\"2\"><ph id=\"3\"/></pc></target></segment></unit>" TAIL_20,
		     "aéb|A<g2><x3/></g2>|1");
	/* Whitespace and CR kept as written. */
	assert_reads(HEAD_12 "<trans-unit id=\"1\"><source> a&#13;\n b </source></trans-unit>" TAIL_12, " a\r\n b ||0");
}

/* ---- refusals ------------------------------------------------------------- */

static void assert_refused(const char *xml, long line, const char *why)
{
	read_back r;
	xliff_error err;
	assert_int_equal(read_all(xml, strlen(xml), &r, &err), -1);
	if (!strstr(err.message, why) || err.line != line)
		fail_msg("%s\nwanted line %ld: ...%s...\ngot %s", xml, line, why, err.message);
	assert_null(strchr(err.message, '\n'));
	read_back_free(&r);
}

static void test_refusals(void **state)
{
	(void)state;
	assert_refused("", 0, "empty");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file", 2, "");
	assert_refused("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"/>", 1, "no version");
	assert_refused("<xliff version=\"1.1\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"/>", 1, "version \"1.1\"");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:other\"/>", 1, "root is not");
	assert_refused("<tmx version=\"1.4\"/>", 1, "root is not");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"/>", 0, "no <file>");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"C/1\" "
		       "source-language=\"en\" target-language=\"de\" datatype=\"plaintext\"/></xliff>", 2, "\"de\"");
	assert_refused("<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\"/>", 1,
		       "not two of en, fr, es");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file "
		       "source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"/></xliff>", 2, "no original");
	assert_refused(HEAD_12 "<trans-unit id=\"1\"><source>a</source></trans-unit>\n<trans-unit id=\"1\"><source>b</source>"
		       "</trans-unit>" TAIL_12, 3, "segment 1 appears twice");
	assert_refused(HEAD_12 "<trans-unit id=\"tu1\"><source>a</source></trans-unit>" TAIL_12, 2, "\"tu1\"");
	assert_refused(HEAD_12 "\n<trans-unit id=\"4\"><source>a <g id=\"1\">b</g></source><target><bx id=\"1\"/>x"
		       "</target></trans-unit>" TAIL_12, 3, "segment 4's target: a tag is opened and never closed");
	assert_refused(HEAD_12 "<trans-unit id=\"4\"><source>a</source>\n<target>x &lt;x1/&gt;</target></trans-unit>" TAIL_12,
		       2, "reads as an inline code");
	assert_refused(HEAD_12 "<trans-unit id=\"4\"><source>a</source>\n<target><foo/></target></trans-unit>" TAIL_12, 3,
		       "<foo> is no inline markup");
	assert_refused(HEAD_12 "<trans-unit id=\"4\"><source>a</source>\n<target><g id=\"t1\">x</g></target></trans-unit>"
		       TAIL_12, 3, "<g id=\"t1\">");
	assert_refused(HEAD_12 "<trans-unit id=\"4\"><source>a</source>\n<target state=\"done\">x</target></trans-unit>"
		       TAIL_12, 3, "state=\"done\"");
	assert_refused(HEAD_12 "<trans-unit id=\"4\"/>" TAIL_12, 2, "has no <source>");
	assert_refused(HEAD_20 "<unit id=\"1\"><segment><source>a<cp hex=\"1\"/></source></segment></unit>" TAIL_20, 2, "<cp>");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file original=\"a\" "
		       "source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body/></file>\n"
		       "<file original=\"b\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body/></file>"
		       "</xliff>", 2, "a second <file>");
	/* An entity of an internal subset is neither expanded nor accepted. */
	assert_refused("<!DOCTYPE xliff [<!ENTITY big \"boom\">]>\n" HEAD_12 "<trans-unit id=\"1\"><source>&big;</source>"
		       "</trans-unit>" TAIL_12, 3, "the DOCTYPE declares entities");
	/* An external one is not fetched. */
	assert_refused("<!DOCTYPE xliff [<!ENTITY ext SYSTEM \"/etc/passwd\">]>\n" HEAD_12 "<trans-unit id=\"1\"><source>"
		       "&ext;</source></trans-unit>" TAIL_12, 3, "the DOCTYPE declares entities");
	/* Nor is one that an attribute refers to, where the text never shows it. */
	assert_refused("<!DOCTYPE xliff [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<xliff version=\"1.2\" "
		       "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file original=\"&b;\" source-language=\"en\" "
		       "target-language=\"fr\" datatype=\"plaintext\"><body/></file></xliff>", 2, "the DOCTYPE declares entities");
	/* One that a DTD not read would declare is refused where it stands. */
	assert_refused("<!DOCTYPE xliff SYSTEM \"xliff.dtd\">\n" HEAD_12 "<trans-unit id=\"1\">\n<source>a&nbsp;b</source>"
		       "</trans-unit>" TAIL_12, 4, "&nbsp;");
}

/* Elements are XLIFF's by their namespace, whatever their prefix: a
 * prefixed file reads as the same file unprefixed, and an element of
 * another namespace is passed over even when its name is XLIFF's. */
static void test_namespaces(void **state)
{
	(void)state;
	assert_reads("<x:xliff version=\"1.2\" xmlns:x=\"urn:oasis:names:tc:xliff:document:1.2\"><x:file original=\"C/1\" "
		     "source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><x:body>"
		     "<x:trans-unit id=\"1\"><x:source>a <x:g id=\"1\">b</x:g></x:source>"
		     "<x:target state=\"translated\">A <x:g id=\"1\">B</x:g></x:target></x:trans-unit>"
		     "</x:body></x:file></x:xliff>",
		     "a <g1>b</g1>|A <g1>B</g1>|1");
	assert_reads(HEAD_20 "<o:unit xmlns:o=\"urn:other\" id=\"2\"><segment><source>not a segment</source></segment></o:unit>"
		     "<unit id=\"1\"><segment><source>a</source></segment></unit>" TAIL_20,
		     "a||0");
	assert_refused("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\"/>", 1, "version \"1.2\"");
	assert_refused("<x:xliff version=\"1.2\" xmlns:x=\"urn:other\"/>", 1, "root is not");
}

static void test_empty_file_read(void **state)
{
	(void)state;
	read_back r;
	xliff_error err;
	const char *xml = HEAD_12 TAIL_12;
	assert_int_equal(read_all(xml, strlen(xml), &r, &err), 0);
	assert_int_equal(r.n, 0);
	assert_string_equal(r.original, "C/1");
}

/* The output so far stops at the segment refused, and nothing after. */
static void assert_write_refused(xliff_version v, const xliff_job *job, const xliff_segment *segs, size_t n, const char *why)
{
	buf out = BUF_INIT;
	xliff_error err;
	assert_int_equal(xliff_write(v, job, segs, n, to_buf, &out, &err), -1);
	if (!strstr(err.message, why))
		fail_msg("wanted ...%s..., got %s", why, err.message);
	assert_null(strstr(buf_str(&out), "</xliff>"));
	buf_free(&out);
}

static void test_write_refusals(void **state)
{
	(void)state;
	const xliff_job de = { "en", "de", "C/1", NULL }, none = { "en", "fr", "", NULL };
	const xliff_segment ok = { 1, "a", "b", XLIFF_TRANSLATED, 0, { { 0 } } };
	assert_write_refused(XLIFF_12, &de, &ok, 1, "en, fr or es");
	assert_write_refused(XLIFF_12, &none, &ok, 1, "original");
	assert_write_refused(XLIFF_20, &council_job, NULL, 0, "at least one");
	xliff_segment bad[2] = { ok, ok };
	assert_write_refused(XLIFF_12, &council_job, bad, 2, "segment 1: its id is given twice");
	bad[1].id = 2, bad[1].target = "<g1>b";
	assert_write_refused(XLIFF_20, &council_job, bad, 2, "segment 2's target, at byte 0: a tag is opened and never closed");
	bad[1].target = "a\001b";
	assert_write_refused(XLIFF_12, &council_job, bad, 2, "control character");
	bad[1].target = "\xC3(";
	assert_write_refused(XLIFF_12, &council_job, bad, 2, "not UTF-8");
	bad[1].target = "b", bad[1].nmatches = 1, bad[1].matches[0] = (xliff_match){ "a", "b", 102, NULL };
	assert_write_refused(XLIFF_12, &council_job, bad, 2, "0 to 101");
	bad[1].nmatches = 0, bad[1].id = 0;
	assert_write_refused(XLIFF_12, &council_job, bad, 2, "1 or more");
}

static int count_unit(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f, (void)u;
	(*(size_t *)ctx)++;
	return 0;
}

/* What the writer handed on, piece by piece. */
typedef struct pieces {
	buf all;
	size_t count, largest;
	int whole;   /* every piece ends where a line of the file does */
} pieces;

static int keep_piece(void *ctx, const char *data, size_t n)
{
	pieces *p = ctx;
	buf_add(&p->all, data, n);
	p->count++;
	p->largest = n > p->largest ? n : p->largest;
	p->whole &= n > 0 && data[n - 1] == '\n';
	return 0;
}

/* A long job goes out in bounded pieces of whole segments; after a segment
 * refused half way (its target cannot travel, its source could) nothing
 * more goes out, none of that segment either. */
static void test_output_in_pieces(void **state)
{
	(void)state;
	for (int v = 0; v < 2; v++) {
		xliff_version version = v ? XLIFF_20 : XLIFF_12;
		pieces p = { BUF_INIT, 0, 0, 1 };
		xliff_error err;
		xliff_writer *w = xliff_write_begin(version, &council_job, keep_piece, &p, &err);
		assert_non_null(w);
		char source[128], target[128];
		for (int i = 1; i <= 4000; i++) {
			snprintf(source, sizeof source, "Item %d: report of the <g1>Standing Committee</g1> on {0}", i);
			snprintf(target, sizeof target, "Point %d : rapport du <g1>Comité permanent</g1> sur {0}", i);
			xliff_segment s = { i, source, target, XLIFF_TRANSLATED, 0, { { 0 } } };
			assert_int_equal(xliff_write_segment(w, &s, &err), 0);
		}
		assert_true(p.count >= 4);
		assert_true(p.largest < 65536 + 1024);   /* a piece, and one segment beyond it */
		xliff_segment bad = { 4001, "Closing of the session", "Cl\001ture", XLIFF_TRANSLATED, 0, { { 0 } } };
		assert_int_equal(xliff_write_segment(w, &bad, &err), -1);
		assert_non_null(strstr(err.message, "segment 4001's target"));
		assert_int_equal(xliff_write_end(w, &err), -1);
		assert_true(p.whole);
		assert_null(strstr(p.all.data, "Closing of the session"));
		assert_null(strstr(p.all.data, "4001"));
		buf_free(&p.all);
	}
	/* The same job ended reads back whole. */
	pieces p = { BUF_INIT, 0, 0, 1 };
	xliff_error err;
	xliff_writer *w = xliff_write_begin(XLIFF_20, &council_job, keep_piece, &p, &err);
	for (int i = 1; i <= 4000; i++) {
		char source[64];
		snprintf(source, sizeof source, "Paragraph %d & its <x1/> mark", i);
		xliff_segment s = { i, source, "", XLIFF_NEW, 0, { { 0 } } };
		assert_int_equal(xliff_write_segment(w, &s, &err), 0);
	}
	assert_int_equal(xliff_write_end(w, &err), 0);
	assert_true(p.whole && p.count > 1);
	size_t units = 0;
	xliff_reader_cb cb = { NULL, count_unit, &units };
	assert_int_equal(xliff_read(p.all.data, p.all.len, &cb, &err), 0);
	assert_int_equal(units, 4000);
	buf_free(&p.all);
}

static int refuse_output(void *ctx, const char *data, size_t n)
{
	(void)ctx, (void)data, (void)n;
	return -1;
}

static void test_output_refusal_stops(void **state)
{
	(void)state;
	xliff_error err;
	assert_int_equal(xliff_write(XLIFF_12, &council_job, sample, 4, refuse_output, NULL, &err), -1);
	assert_non_null(strstr(err.message, "output"));
}

/* ---- a file against its job ----------------------------------------------- */

static void assert_compare(const char *xml, const xliff_job *job, const xliff_segment *segs, size_t n, int want,
			   long line, const char *why)
{
	xliff_error err;
	int rc = xliff_compare(xml, strlen(xml), job, segs, n, &err);
	if (rc != want || (want && (err.line != line || !strstr(err.message, why))))
		fail_msg("wanted %d, line %ld: ...%s...; got %d, %s", want, line, why, rc, err.message);
}

/* The line of xml on which needle starts. */
static long line_of(const char *xml, const char *needle)
{
	const char *at = strstr(xml, needle);
	assert_non_null(at);
	long line = 1;
	for (const char *p = xml; p < at; p++)
		line += *p == '\n';
	return line;
}

static void test_compare(void **state)
{
	(void)state;
	buf out = BUF_INIT;
	xliff_error err;
	assert_int_equal(xliff_write(XLIFF_12, &council_job, sample, 4, to_buf, &out, &err), 0);
	const char *xml = out.data;
	assert_compare(xml, &council_job, sample, 4, 0, 0, "");
	/* In another order the job is the same. */
	xliff_segment shuffled[4] = { sample[3], sample[1], sample[0], sample[2] };
	assert_compare(xml, &council_job, shuffled, 4, 0, 0, "");
	/* A source changed since: the line of its trans-unit. */
	xliff_segment changed[4] = { sample[0], sample[1], sample[2], sample[3] };
	changed[2].source = "Report on {0}";
	assert_compare(xml, &council_job, changed, 4, 1, line_of(xml, "<trans-unit id=\"7\""),
		       "segment 7's source differs from the job's");
	/* A segment more in the job; one fewer. */
	xliff_segment more[5] = { sample[0], sample[1], sample[2], sample[3], { 12, "New", "", XLIFF_NEW, 0, { { 0 } } } };
	assert_compare(xml, &council_job, more, 5, 1, 0, "the file has 4 segments, the job 5: segment 12 is missing");
	assert_compare(xml, &council_job, sample, 3, 1, line_of(xml, "<trans-unit id=\"9\""), "segment 9 is not in the job");
	/* Another target language, another document. */
	xliff_job es = council_job, other = council_job;
	es.target_lang = "es", other.original = "C/115/2";
	assert_compare(xml, &es, sample, 4, 1, 3, "the file is en to fr, the job en to es");
	assert_compare(xml, &other, sample, 4, 1, 3, "the file is of C/115/1, the job of C/115/2");
	/* A file that cannot be read says so. */
	assert_int_equal(xliff_compare("<x", 2, &council_job, sample, 4, &err), -1);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_files_are_valid),
		cmocka_unit_test(test_plain_job_is_valid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reads_desktop_12),
		cmocka_unit_test(test_reads_desktop_20),
		cmocka_unit_test(test_broken_fixture),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_markup_read),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_empty_file_read),
		cmocka_unit_test(test_write_refusals),
		cmocka_unit_test(test_output_in_pieces),
		cmocka_unit_test(test_output_refusal_stops),
		cmocka_unit_test(test_compare),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCatalogCleanup();
	return rc;
}
