/*
 * test_segment — sentences in English, French and Spanish: for each case
 * the text and every sentence it holds, spelled out; the abbreviations,
 * initials, numbers, ellipses, quotation marks and French spacing that
 * decide a break or none; paragraphs; inline codes never cut and kept with
 * the sentence they close; languages and broken UTF-8 refused with their
 * place; and, over generated texts, the spans' own invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xorshift.h"
#include "formats/inline.h"
#include "formats/segment.h"

/* The sentences of a text joined by " | ", as a test spells them out. */
typedef struct joined {
	const char *text;
	char out[4096];
	size_t used;
	size_t count;
	size_t stop_after;   /* stop after so many sentences; 0 never */
} joined;

static int join(void *ctx, segment_span span)
{
	joined *j = ctx;
	int n = snprintf(j->out + j->used, sizeof j->out - j->used, "%s%.*s", j->count ? " | " : "", (int)span.len,
			 j->text + span.off);
	j->used += (size_t)n;
	j->count++;
	return j->stop_after && j->count == j->stop_after;
}

static void assert_sentences(const char *lang, const char *text, const char *want)
{
	joined j = { .text = text };
	size_t at = 1;
	segment_error e = segment_text(lang, text, strlen(text), join, &j, &at);
	if (e != SEGMENT_OK || strcmp(j.out, want) != 0)
		fail_msg("%s: \"%s\"\n  got  \"%s\" (%s)\n  want \"%s\"", lang, text, j.out, segment_error_message(e), want);
	assert_int_equal(at, strlen(text));
}

typedef struct sample { const char *text, *want; } sample;

static void assert_samples(const char *lang, const sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_sentences(lang, s[i].text, s[i].want);
}
#define SAMPLES(lang, array) assert_samples(lang, array, sizeof array / sizeof array[0])

static void test_english(void **state)
{
	(void)state;
	static const sample s[] = {
		{ "The Council adopted the resolution. The session closed.",
		  "The Council adopted the resolution. | The session closed." },
		{ "Is it adopted? Yes! It is.", "Is it adopted? | Yes! | It is." },
		{ "Really?! Then we go.", "Really?! | Then we go." },
		{ "Mr. Rivers and Mrs. Lake met Dr. Stone. Prof. Hale spoke.",
		  "Mr. Rivers and Mrs. Lake met Dr. Stone. | Prof. Hale spoke." },
		{ "Bring papers, pens, etc. and a laptop.", "Bring papers, pens, etc. and a laptop." },
		{ "Bring papers, pens, etc. The rest is provided.", "Bring papers, pens, etc. | The rest is provided." },
		{ "Some States, e.g. Ruritania, abstained. Others, i.e. Freedonia, did not.",
		  "Some States, e.g. Ruritania, abstained. | Others, i.e. Freedonia, did not." },
		{ "See e.g. Annex I. It lists them.", "See e.g. Annex I. | It lists them." },
		{ "Resolution No. 1412 was adopted. No. It was not.", "Resolution No. 1412 was adopted. | No. | It was not." },
		{ "See art. 5.2 and para. 12 of the report. Then vote.",
		  "See art. 5.2 and para. 12 of the report. | Then vote." },
		{ "See p. 17 and cf. Smith. The end.", "See p. 17 and cf. Smith. | The end." },
		{ "J. R. Tolliver wrote it. A. Quill read it.", "J. R. Tolliver wrote it. | A. Quill read it." },
		{ "So did I. Then we left.", "So did I. | Then we left." },
		{ "The rate rose to 3.5 per cent. It was 1.234.567 in all.",
		  "The rate rose to 3.5 per cent. | It was 1.234.567 in all." },
		{ "It rose in 2019. In 2020 it fell.", "It rose in 2019. | In 2020 it fell." },
		{ "Wait... what happened?", "Wait... what happened?" },
		{ "Wait... It happened.", "Wait... | It happened." },
		{ "He paused\xE2\x80\xA6 and went on. Then\xE2\x80\xA6 Silence.",
		  "He paused\xE2\x80\xA6 and went on. | Then\xE2\x80\xA6 | Silence." },
		{ "See document C/115/1/Rev.1. It replaces C/115/1.", "See document C/115/1/Rev.1. | It replaces C/115/1." },
		{ "Visit https://www.example.org/path?x=1. Write to desk@example.org. Thanks.",
		  "Visit https://www.example.org/path?x=1. | Write to desk@example.org. | Thanks." },
		{ "He said \"It is adopted.\" Then he left.", "He said \"It is adopted.\" | Then he left." },
		{ "He said \xE2\x80\x9CIt is adopted.\xE2\x80\x9D Then he left.",
		  "He said \xE2\x80\x9CIt is adopted.\xE2\x80\x9D | Then he left." },
		{ "(See the annex.) The vote follows.", "(See the annex.) | The vote follows." },
		{ "She said ‘Agreed.\xE2\x80\x99 Then silence.", "She said ‘Agreed.\xE2\x80\x99 | Then silence." },
		{ "He wrote: \xE2\x80\x9CShe said \xE2\x80\x98No!\xE2\x80\x99\xE2\x80\x9D Nobody answered.",
		  "He wrote: \xE2\x80\x9CShe said \xE2\x80\x98No!\xE2\x80\x99\xE2\x80\x9D | Nobody answered." },
		{ "Stop.\t\tGo.", "Stop. | Go." },
		{ "Done.Next. Last.", "Done.Next. | Last." },
		{ "The list [see above.] Next item.", "The list [see above.] | Next item." },
		{ "The text (...) Member States agreed.", "The text (...) Member States agreed." },
		{ "It was adopted. \"Good,\" she said.", "It was adopted. | \"Good,\" she said." },
		{ "What now? \"nothing,\" he said.", "What now? \"nothing,\" he said." },
		{ "1. The Council met. It adopted the agenda.", "1. The Council met. | It adopted the agenda." },
		{ "12. Members spoke.", "12. Members spoke." },
		{ "3.2. Members spoke.", "3.2. Members spoke." },
		{ "IV. Adoption of the agenda", "IV. Adoption of the agenda" },
		{ "(a) The first point. (b) The second point. (iv) The fourth. (12) The twelfth.",
		  "(a) The first point. | (b) The second point. | (iv) The fourth. | (12) The twelfth." },
		{ "The costs, etc. (see the annex) are given.", "The costs, etc. (see the annex) are given." },
		{ "a. The first point.", "a. The first point." },
		{ "The end. 12. Not a number here.", "The end. | 12. | Not a number here." },
		{ "  Padded.   Twice.  ", "Padded. | Twice." },
		{ "No full stop", "No full stop" },
		{ "Ends.", "Ends." },
		{ "", "" },
		{ "   ", "" },
	};
	SAMPLES("en", s);
}

static void test_french(void **state)
{
	(void)state;
	static const sample s[] = {
		{ "Le Conseil a adopté la résolution. M. Dupont a pris la parole.",
		  "Le Conseil a adopté la résolution. | M. Dupont a pris la parole." },
		{ "Mme Durand et MM. Martin et Petit sont venus. Me Leroy aussi.",
		  "Mme Durand et MM. Martin et Petit sont venus. | Me Leroy aussi." },
		{ "Certains États, p. ex. la Syldavie, se sont abstenus. D'autres non.",
		  "Certains États, p. ex. la Syldavie, se sont abstenus. | D'autres non." },
		{ "Voir p. ex. Bordurie. Fin.", "Voir p. ex. Bordurie. | Fin." },
		{ "Voir l'art. 5.2 et cf. Annexe II. La suite.", "Voir l'art. 5.2 et cf. Annexe II. | La suite." },
		/* French spacing: a narrow no-break space (U+202F) or a no-break space (U+00A0) before ? ! : */
		{ "Est-ce adopté\xE2\x80\xAF? Oui\xE2\x80\xAF! Le vote suit.",
		  "Est-ce adopté\xE2\x80\xAF? | Oui\xE2\x80\xAF! | Le vote suit." },
		{ "Est-ce adopté\xC2\xA0? Oui.", "Est-ce adopté\xC2\xA0? | Oui." },
		{ "Est-ce adopté ? Oui.", "Est-ce adopté ? | Oui." },
		{ "Il a dit\xC2\xA0: non. Puis il est parti.", "Il a dit\xC2\xA0: non. | Puis il est parti." },
		/* Guillemets with their spaces: the closing one stays with the sentence it closes. */
		{ "Il a dit\xC2\xA0: \xC2\xAB\xC2\xA0Non.\xC2\xA0\xC2\xBB Puis il est parti.",
		  "Il a dit\xC2\xA0: \xC2\xAB\xC2\xA0Non.\xC2\xA0\xC2\xBB | Puis il est parti." },
		{ "Il a dit : \xC2\xAB Vraiment ? \xC2\xBB Puis rien.", "Il a dit : \xC2\xAB Vraiment ? \xC2\xBB | Puis rien." },
		{ "Quoi\xE2\x80\xAF? dit-il.", "Quoi\xE2\x80\xAF? dit-il." },
		{ "Il hésita\xE2\x80\xA6 puis partit.", "Il hésita\xE2\x80\xA6 puis partit." },
		{ "Il hésita\xE2\x80\xA6 Puis il partit.", "Il hésita\xE2\x80\xA6 | Puis il partit." },
		{ "J. R. Dupont et É. Zola ont signé. Fin.", "J. R. Dupont et É. Zola ont signé. | Fin." },
		{ "Voir le document C/115/1/Rev.1. Il remplace le C/115/1.",
		  "Voir le document C/115/1/Rev.1. | Il remplace le C/115/1." },
		{ "Le taux est de 3,5 %. Il était de 1.234.567 en tout.",
		  "Le taux est de 3,5 %. | Il était de 1.234.567 en tout." },
		{ "12. Le Conseil a délibéré. Il a voté.", "12. Le Conseil a délibéré. | Il a voté." },
		{ "etc. Ensuite, le vote.", "etc. | Ensuite, le vote." },
		{ "Écrire à bureau@example.org. Merci.", "Écrire à bureau@example.org. | Merci." },
		{ "Le Conseil\xE2\x80\xAF! Le Comité\xE2\x80\xAF!", "Le Conseil\xE2\x80\xAF! | Le Comité\xE2\x80\xAF!" },
		{ "C'est-à-dire, c.-à-d. Bordurie, vote. Fin.", "C'est-à-dire, c.-à-d. Bordurie, vote. | Fin." },
	};
	SAMPLES("fr", s);
}

static void test_spanish(void **state)
{
	(void)state;
	static const sample s[] = {
		{ "El Consejo aprobó la resolución. El Sr. Pérez tomó la palabra.",
		  "El Consejo aprobó la resolución. | El Sr. Pérez tomó la palabra." },
		{ "La Sra. Gómez y la Dra. Ruiz llegaron. La Srta. Díaz también.",
		  "La Sra. Gómez y la Dra. Ruiz llegaron. | La Srta. Díaz también." },
		{ "¿Vienes mañana? Sí, a las diez.", "¿Vienes mañana? | Sí, a las diez." },
		{ "¡Qué bien! ¿Y tú?", "¡Qué bien! | ¿Y tú?" },
		{ "Dijo: ¡basta! y se fue.", "Dijo: ¡basta! y se fue." },
		{ "¿Vienes? —preguntó ella.", "¿Vienes? —preguntó ella." },
		{ "Véase el art. 5.2 y la pág. 12. Luego, el núm. 3 del informe.",
		  "Véase el art. 5.2 y la pág. 12. | Luego, el núm. 3 del informe." },
		{ "Ud. tiene razón. Gracias.", "Ud. tiene razón. | Gracias." },
		{ "Los EE.UU. apoyaron la propuesta. Los EE. UU. también.",
		  "Los EE.UU. apoyaron la propuesta. | Los EE. UU. también." },
		{ "Algunos Estados, p. ej. Syldavia, se abstuvieron. Otros no.",
		  "Algunos Estados, p. ej. Syldavia, se abstuvieron. | Otros no." },
		{ "Esperó... y luego habló.", "Esperó... y luego habló." },
		{ "Esperó... Luego habló.", "Esperó... | Luego habló." },
		{ "J. R. Tolliver firmó. Á. Ruiz también.", "J. R. Tolliver firmó. | Á. Ruiz también." },
		{ "Dijo «basta.» Luego salió.", "Dijo «basta.» | Luego salió." },
		{ "El plazo vence el 30 de junio. ¿Habrá prórroga? ¡No! Eso dijo la Sra. Ruiz.",
		  "El plazo vence el 30 de junio. | ¿Habrá prórroga? | ¡No! | Eso dijo la Sra. Ruiz." },
		{ "Se aprobó (véase el doc. C/115/INF/3). La sesión terminó.",
		  "Se aprobó (véase el doc. C/115/INF/3). | La sesión terminó." },
		{ "IV. Aprobación del orden del día", "IV. Aprobación del orden del día" },
	};
	SAMPLES("es", s);
}

static void test_paragraphs(void **state)
{
	(void)state;
	/* Every newline ends a paragraph, and a paragraph a sentence, whatever the rules say. */
	assert_sentences("en", "A heading\nThe text. More text.", "A heading | The text. | More text.");
	assert_sentences("en", "Mr.\nRivers", "Mr. | Rivers");
	assert_sentences("en", "one\r\ntwo\rthree\n\nfour", "one | two | three | four");
	assert_sentences("en", "one\xE2\x80\xA8two\xE2\x80\xA9three\xC2\x85" "four\vfive\fsix", "one | two | three | four | five | six");
	assert_sentences("en", "\n\n  \n", "");
	/* A number opens a paragraph, not a line's middle. */
	assert_sentences("en", "Intro.\n2. The second paragraph.", "Intro. | 2. The second paragraph.");
	assert_sentences("fr", "Titre\n\xC2\xA0 1. Le premier point.", "Titre | 1. Le premier point.");
}

static void test_inline_codes(void **state)
{
	(void)state;
	/* A closing tag after the full stop stays with the sentence it closes. */
	assert_sentences("en", "<g1>The Council met.</g1> It adopted the agenda.",
			 "<g1>The Council met.</g1> | It adopted the agenda.");
	assert_sentences("en", "The Council met. <g1>It adopted</g1> the agenda.",
			 "The Council met. | <g1>It adopted</g1> the agenda.");
	assert_sentences("en", "The Council met.<x1/> It adopted the agenda.",
			 "The Council met.<x1/> | It adopted the agenda.");
	/* Codes are invisible to the rules: "Mr.</g2>" is still "Mr.". */
	assert_sentences("en", "<g2>Mr.</g2> Rivers spoke.", "<g2>Mr.</g2> Rivers spoke.");
	assert_sentences("en", "It met. <g1>this</g1> is lowercase.", "It met. <g1>this</g1> is lowercase.");
	/* Placeholders are words: they end or begin a sentence. */
	assert_sentences("en", "The file is {0}. {count} files remain. Done %s. %1$s left.",
			 "The file is {0}. | {count} files remain. | Done %s. | %1$s left.");
	/* No break between a paired tag and its close: each sentence keeps well-formed tags. */
	assert_sentences("en", "<g1>First. Second.</g1> Third.", "<g1>First. Second.</g1> | Third.");
	assert_sentences("en", "<g1>One. <g2>Two. Three.</g2></g1> Four.", "<g1>One. <g2>Two. Three.</g2></g1> | Four.");
	/* An unpaired tag holds nothing back, nor a crossed one: only a pair closed in its order does. */
	assert_sentences("en", "<g1>First. Second. Third.", "<g1>First. | Second. | Third.");
	assert_sentences("en", "First.</g1> Second.", "First.</g1> | Second.");
	assert_sentences("en", "<g1>First. <g2>Second.</g1> Third.</g2> Fourth.",
			 "<g1>First. | <g2>Second.</g1> Third.</g2> | Fourth.");
	/* A pair holds within its paragraph only: one that spans two holds nothing back. */
	assert_sentences("en", "<g1>First. Second.\nThird.</g1> Fourth.", "<g1>First. | Second. | Third.</g1> | Fourth.");
	/* Tags alone make a sentence: nothing but whitespace is left out. */
	assert_sentences("en", "<x1/>\nText.", "<x1/> | Text.");
	/* Shapes that are no code are text. */
	assert_sentences("en", "It is 50 %. Next <g0> one.", "It is 50 %. | Next <g0> one.");
}

static int stop_at_once(void *ctx, segment_span span)
{
	(void)span;
	++*(int *)ctx;
	return 1;
}

static void test_refusals(void **state)
{
	(void)state;
	int calls = 0;
	size_t at = 99;
	assert_int_equal(segment_text("de", "Hallo. Welt.", 12, stop_at_once, &calls, &at), SEGMENT_LANGUAGE);
	assert_int_equal(segment_text(NULL, "x", 1, stop_at_once, &calls, &at), SEGMENT_LANGUAGE);
	assert_int_equal(segment_text("", "x", 1, stop_at_once, &calls, &at), SEGMENT_LANGUAGE);
	assert_int_equal(segment_text("eng", "x", 1, stop_at_once, &calls, &at), SEGMENT_LANGUAGE);
	assert_int_equal(segment_text("en-", "x", 1, stop_at_once, &calls, &at), SEGMENT_LANGUAGE);
	assert_true(segment_language("en") && segment_language("fr-CH") && segment_language("es-419"));
	assert_false(segment_language("EN") || segment_language("pt") || segment_language("e"));
	assert_string_equal(segment_error_message(SEGMENT_LANGUAGE), "sentences are found in English, French and Spanish only");
	assert_string_equal(segment_error_message(SEGMENT_OK), "");
	assert_string_equal(segment_error_message(SEGMENT_ERRORS), "");
	assert_int_equal(calls, 0);

	/* Broken UTF-8 is refused with its offset, before any sentence is given. */
	static const struct { const char *text; size_t len, at; } broken[] = {
		{ "First. Second \xC3", 15, 14 },             /* cut short at the end */
		{ "First. \xC0\xAF Second.", 17, 7 },         /* overlong "/" */
		{ "Ok. \xED\xA0\x80.", 8, 4 },                 /* a surrogate */
		{ "\xFF", 1, 0 },
		{ "A.<g1>\xE9</g1>", 12, 6 },                  /* Latin-1 inside a tag pair */
	};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		at = 99;
		assert_int_equal(segment_text("en", broken[i].text, broken[i].len, stop_at_once, &calls, &at), SEGMENT_UTF8);
		assert_int_equal(at, broken[i].at);
	}
	assert_int_equal(calls, 0);
	assert_string_equal(segment_error_message(SEGMENT_UTF8), "the text is not valid UTF-8");

	/* The length is obeyed: what lies beyond it is never read. */
	joined j = { .text = "One. Two. \xFF" };
	assert_int_equal(segment_text("en", j.text, 9, join, &j, &at), SEGMENT_OK);
	assert_string_equal(j.out, "One. | Two.");

	/* A callback stops the walk; at is where the last sentence given ends. */
	joined k = { .text = "One. Two. Three.", .stop_after = 2 };
	assert_int_equal(segment_text("en", k.text, strlen(k.text), join, &k, &at), SEGMENT_STOPPED);
	assert_string_equal(k.out, "One. | Two.");
	assert_int_equal(at, 9);
}

/* ---- Invariants over generated texts ---- */

static const char *const pieces[] = {
	"The", "Council", "adopted", "it", ".", ". ", "? ", "! ", "... ", "\xE2\x80\xA6 ", " ", "  ", "\n", "\r\n",
	"Mr. ", "M. ", "Sra. ", "etc. ", "e.g. ", "No. 5", "art. ", "3.5", "1.", "IV. ", "(a) ", "\xC2\xA0", "\xE2\x80\xAF",
	"? ", "\xC2\xBB", "\xC2\xAB", "\"", ")", "(", "<g1>", "</g1>", "<g2>", "</g2>", "<x3/>", "{0}", "%s", "<g", "{",
	"J. ", "\xC2\xBF", "\xC2\xA1", "C/115/1/Rev.1", "desk@example.org", "EE. UU. ", "p. ex. ", "\xC3\x89", "a",
};

typedef struct collected {
	segment_span spans[512];
	size_t n;       /* the first spans, kept */
	size_t total;   /* every span given */
} collected;

static int collect(void *ctx, segment_span span)
{
	collected *c = ctx;
	if (c->n < 512)
		c->spans[c->n++] = span;
	c->total++;
	return 0;
}

static int is_space_at(const char *s, size_t n, size_t i, size_t *len)
{
	static const char *const spaces[] = { " ", "\t", "\n", "\r", "\v", "\f", "\xC2\xA0", "\xE2\x80\xAF", "\xC2\x85",
					      "\xE2\x80\xA8", "\xE2\x80\xA9" };
	for (size_t k = 0; k < sizeof spaces / sizeof spaces[0]; k++) {
		*len = strlen(spaces[k]);
		if (i + *len <= n && memcmp(s + i, spaces[k], *len) == 0)
			return 1;
	}
	return 0;
}

/* The offsets where a code starts and ends, as a bit per byte. */
static void inside_codes(const char *s, size_t n, unsigned char *inside)
{
	size_t pos = 0;
	inline_piece p;
	memset(inside, 0, n + 1);
	while (inline_next(s, n, &pos, &p))
		for (size_t i = p.off + 1; p.kind != INLINE_TEXT && i < p.off + p.len; i++)
			inside[i] = 1;
}

static void check_spans(const char *s, size_t n, const collected *c)
{
	unsigned char inside[1024];
	inside_codes(s, n, inside);
	size_t end = 0;
	for (size_t k = 0; k <= c->n; k++) {
		size_t next = k < c->n ? c->spans[k].off : n;
		for (size_t i = end, len; i < next; i += len)
			if (!is_space_at(s, n, i, &len))
				fail_msg("\"%s\": byte %zu outside every sentence is no space", s, i);
		if (k == c->n)
			break;
		segment_span sp = c->spans[k];
		assert_true(sp.len > 0 && sp.off >= end && sp.off + sp.len <= n);
		assert_false(inside[sp.off] || inside[sp.off + sp.len]);
		assert_false((s[sp.off] & 0xC0) == 0x80 || (sp.off + sp.len < n && (s[sp.off + sp.len] & 0xC0) == 0x80));
		size_t len;
		assert_false(is_space_at(s, n, sp.off, &len));
		end = sp.off + sp.len;
	}
}

static void test_generated(void **state)
{
	(void)state;
	uint64_t rng = 20240611;
	static const char *const langs[] = { "en", "fr", "es" };
	for (int round = 0; round < 3000; round++) {
		char text[1024];
		size_t n = 0;
		for (uint32_t k = xorshift_below(&rng, 40); k > 0; k--) {
			const char *p = pieces[xorshift_below(&rng, sizeof pieces / sizeof pieces[0])];
			size_t len = strlen(p);
			if (n + len >= sizeof text)
				break;
			memcpy(text + n, p, len);
			n += len;
		}
		text[n] = '\0';
		collected c = { .n = 0 };
		size_t at;
		assert_int_equal(segment_text(langs[round % 3], text, n, collect, &c, &at), SEGMENT_OK);
		check_spans(text, n, &c);
		/* The same text segmented again gives the same sentences. */
		collected again = { .n = 0 };
		assert_int_equal(segment_text(langs[round % 3], text, n, collect, &again, &at), SEGMENT_OK);
		assert_int_equal(again.n, c.n);
		assert_memory_equal(again.spans, c.spans, c.n * sizeof c.spans[0]);
	}
}

/* A sentence of well-formed tags keeps them well formed in each of its sentences. */
static void test_tags_stay_well_formed(void **state)
{
	(void)state;
	const char *text = "<g1>Bold. Still bold.</g1> Plain. <g2>Link</g2> here. <g3><g4>Deep.</g4> Deeper.</g3> End.";
	collected c = { .n = 0 };
	size_t at;
	assert_int_equal(segment_text("en", text, strlen(text), collect, &c, &at), SEGMENT_OK);
	assert_int_equal(c.n, 5);
	for (size_t k = 0; k < c.n; k++)
		assert_int_equal(inline_check(text + c.spans[k].off, c.spans[k].len, &at), INLINE_OK);
}

/* Long runs of one piece repeated (full stops, closing marks, spaces,
 * tags) are read in one pass, and give the sentences they should. */
static void test_long_runs(void **state)
{
	(void)state;
	static const struct { const char *piece; size_t sentences; } runs[] = {
		{ ". ", 100000 }, { "\xC2\xBB ", 1 }, { ".", 1 }, { " ", 0 }, { "M. ", 1 }, { "Mr. ", 50000 }, { "<x1/>", 1 },
		{ "<g1>", 1 }, { "a ", 1 }, { "1.", 1 }, { "\xE2\x80\xA6", 1 }, { "A. ", 1 }, { "a. B ", 40000 },
		{ "<x1/>. ", 28571 }, { "<g1>Xy. ", 25000 }, { "<g1>Xy.</g1> ", 15384 }, { "<g1>x.</g1> ", 1 },
		{ "<g1>Xy. </g1>", 1 }, { "<g1><g2>Xy. </g2></g1>", 1 },
	};
	size_t n = 200000;
	char *text = malloc(n);
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		size_t len = strlen(runs[r].piece), used = 0;
		while (used + len <= n)
			memcpy(text + used, runs[r].piece, len), used += len;
		collected c = { .n = 0 };
		size_t at;
		assert_int_equal(segment_text("fr", text, used, collect, &c, &at), SEGMENT_OK);
		if (c.total != runs[r].sentences) {
			free(text);
			fail_msg("\"%s\" repeated: %zu sentences, not %zu", runs[r].piece, c.total, runs[r].sentences);
		}
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_french),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_inline_codes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_tags_stay_well_formed),
		cmocka_unit_test(test_long_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
