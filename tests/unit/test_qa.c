/*
 * test_qa — the checks on a translated segment, each in English, French
 * and Spanish: numbers read in each language's own way (and, over random
 * numbers written each way, equal exactly when their values are), nothing
 * left untranslated, the same codes, preferred and deprecated terms found
 * folded and stemmed, double spaces, the white space around the text and
 * the end punctuation; every warning at its place in the target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/xorshift.h"
#include "formats/qa.h"

#define NNBSP "\xe2\x80\xaf"   /* U+202F, before French ? ! : ; and between digits */
#define NBSP "\xc2\xa0"

static qa_report run_terms(const char *src, const char *sl, const char *tgt, const char *tl, const qa_term *terms,
			   size_t nterms)
{
	qa_segment g = { .source = src, .source_len = strlen(src), .target = tgt, .target_len = strlen(tgt),
			 .source_lang = sl, .target_lang = tl, .terms = terms, .nterms = nterms };
	qa_report r;
	size_t n = qa_check(&g, &r);
	assert_int_equal(n, r.n);
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.v[i].off + r.v[i].len <= g.target_len || r.v[i].code == QA_SOURCE_UTF8);
		assert_true(strlen(r.v[i].item) < QA_ITEM_MAX);
	}
	return r;
}

static qa_report run(const char *src, const char *sl, const char *tgt, const char *tl)
{
	return run_terms(src, sl, tgt, tl, NULL, 0);
}

static void print_report(const qa_report *r, const char *tgt)
{
	for (size_t i = 0; i < r->n; i++)
		fprintf(stderr, "  %s at %zu+%zu \"%s\" in \"%s\"\n", qa_code_name(r->v[i].code), r->v[i].off, r->v[i].len,
			r->v[i].item, tgt);
}

/* No warning at all. */
static void assert_clean(const char *src, const char *sl, const char *tgt, const char *tl)
{
	qa_report r = run(src, sl, tgt, tl);
	if (r.n) {
		print_report(&r, tgt);
		fail_msg("%zu warnings, none expected", r.n);
	}
	qa_report_free(&r);
}

/* Exactly one warning, code at the bytes of tgt that start at the first
 * occurrence of at (NULL: at off with len 0), with item (NULL: any). */
static void assert_one(const char *src, const char *sl, const char *tgt, const char *tl, qa_code code, const char *at,
		       size_t off, const char *item)
{
	qa_report r = run(src, sl, tgt, tl);
	if (r.n != 1 || r.v[0].code != code) {
		print_report(&r, tgt);
		fail_msg("want one %s", qa_code_name(code));
	}
	if (at) {
		const char *p = strstr(tgt, at);
		assert_non_null(p);
		assert_int_equal(r.v[0].off, (size_t)(p - tgt));
		assert_int_equal(r.v[0].len, strlen(at));
	} else {
		assert_int_equal(r.v[0].off, off);
		assert_int_equal(r.v[0].len, 0);
	}
	if (item)
		assert_string_equal(r.v[0].item, item);
	qa_report_free(&r);
}

/* ---- numbers ---------------------------------------------------------------- */

static void test_numbers_each_language_way(void **state)
{
	(void)state;
	const char *en = "The Council approved 1,234.5 dollars for 3 projects on 12 May 2024.";
	assert_clean(en, "en", "Le Conseil a approuvé 1 234,5 dollars pour 3 projets le 12 mai 2024.", "fr");
	assert_clean(en, "en", "Le Conseil a approuvé 1" NNBSP "234,5 dollars pour 3 projets le 12 mai 2024.", "fr");
	assert_clean(en, "en", "Le Conseil a approuvé 1" NBSP "234,5 dollars pour 3 projets le 12 mai 2024.", "fr");
	assert_clean(en, "en", "El Consejo aprobó 1.234,5 dólares para 3 proyectos el 12 de mayo de 2024.", "es");
	assert_clean("El Consejo aprobó 1.234.567 dólares.", "es", "Le Conseil a approuvé 1 234 567 dollars.", "fr");
	assert_clean("Se aprobaron 2.5 millones.", "es", "2.5 million were approved.", "en");   /* Mexico's decimal point */
	/* In the order of the target, whatever the order of the source. */
	assert_clean("From 3 to 12 on 2 May.", "en", "Le 2 mai, de 3 à 12.", "fr");

	/* A number written the source's way in the target reads as another. */
	qa_report r = run(en, "en", "Le Conseil a approuvé 1,234.5 dollars pour 3 projets le 12 mai 2024.", "fr");
	assert_int_equal(r.n, 3);   /* 1234.5 missing; 1,234 and 5 added */
	assert_int_equal(r.v[0].code, QA_NUMBER_MISSING);
	assert_string_equal(r.v[0].item, "1,234.5");
	assert_int_equal(r.v[1].code, QA_NUMBER_ADDED);
	assert_string_equal(r.v[1].item, "1,234");
	assert_int_equal(r.v[2].code, QA_NUMBER_ADDED);
	assert_string_equal(r.v[2].item, "5");
	qa_report_free(&r);

	assert_one("The Council met on 12 May.", "en", "El Consejo se reunió el doce de mayo.", "es", QA_NUMBER_MISSING, NULL,
		   0, "12");
	assert_one("The Council met.", "en", "Le Conseil s'est réuni le 13.", "fr", QA_NUMBER_ADDED, "13", 0, "13");
	/* Twice in the source, once in the target. */
	assert_one("3 and 3", "en", "3 y tres", "es", QA_NUMBER_MISSING, NULL, 0, "3");
	/* Codes are no numbers. */
	assert_clean("See {1} and <g2>this</g2> and %3$s.", "en", "Voir {1} et <g2>ceci</g2> et %3$s.", "fr");
}

/* Writes v (an integer part and two decimals, or none) as lang writes it. */
static void write_number(buf *out, uint64_t whole, int cents, const char *lang, const char *group)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_puts(out, group);
		buf_putc(out, digits[i]);
	}
	if (cents >= 0)
		buf_printf(out, "%c%02d", strcmp(lang, "en") == 0 ? '.' : ',', cents);
}

/* Random amounts written in each language's way with each of its group
 * separators are the same numbers; one changed is one missing and one
 * added, where it is. */
static void test_numbers_random(void **state)
{
	(void)state;
	static const struct {
		const char *lang, *group;
	} ways[] = { { "en", "," }, { "en", NNBSP }, { "fr", " " }, { "fr", NNBSP }, { "fr", NBSP }, { "es", "." },
		     { "es", NBSP } };
	size_t nways = sizeof ways / sizeof *ways;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (int round = 0; round < 300; round++) {
		uint64_t whole = xorshift_below(&seed, 1000000000u) >> xorshift_below(&seed, 30);
		int cents = (int)xorshift_below(&seed, 120) - 20;   /* some without decimals */
		size_t a = xorshift_below(&seed, (uint32_t)nways), b = xorshift_below(&seed, (uint32_t)nways);
		buf src = BUF_INIT, tgt = BUF_INIT, other = BUF_INIT;
		buf_puts(&src, "Total: ");
		write_number(&src, whole, cents, ways[a].lang, ways[a].group);
		buf_puts(&src, ".");
		buf_puts(&tgt, "Total : ");
		write_number(&tgt, whole, cents, ways[b].lang, ways[b].group);
		buf_puts(&tgt, ".");
		assert_clean(src.data, ways[a].lang, tgt.data, ways[b].lang);

		buf_puts(&other, "Total : ");
		size_t at = other.len;
		write_number(&other, whole + 1, cents, ways[b].lang, ways[b].group);
		size_t end = other.len;
		buf_puts(&other, ".");
		qa_report r = run(src.data, ways[a].lang, other.data, ways[b].lang);
		assert_int_equal(r.n, 2);
		assert_int_equal(r.v[0].code, QA_NUMBER_MISSING);
		assert_int_equal(r.v[1].code, QA_NUMBER_ADDED);
		assert_int_equal(r.v[1].off, at);
		assert_int_equal(r.v[1].len, end - at);
		qa_report_free(&r);
		buf_free(&src);
		buf_free(&tgt);
		buf_free(&other);
	}
}

/* ---- something translated ------------------------------------------------------ */

static void test_untranslated(void **state)
{
	(void)state;
	assert_one("The Council decided.", "en", "", "fr", QA_EMPTY, NULL, 0, "");
	assert_one("El Consejo decidió.", "es", "  \n", "en", QA_EMPTY, NULL, 0, "");
	assert_one("Le Conseil a décidé.", "fr", "Le Conseil a décidé.", "es", QA_UNTRANSLATED, "Le Conseil a décidé.", 0,
		   "");
	assert_one("The Council decided.", "en", " The Council decided. ", "es", QA_UNTRANSLATED, "The Council decided.",
		   0, "");
	/* What stands as it is in every language. */
	assert_clean("2024", "en", "2024", "fr");
	assert_clean("<x1/> {0} %s", "fr", "<x1/> {0} %s", "es");
	assert_clean("IOM", "en", "IOM", "es");
	assert_clean("C/115/1", "en", "C/115/1", "fr");
	assert_clean("", "en", "", "fr");
}

/* ---- codes ------------------------------------------------------------------ */

static void test_codes(void **state)
{
	(void)state;
	assert_clean("The <g1>Council</g1> decided {0}.", "en", "Le {0} <g1>Conseil</g1> a décidé.", "fr");
	assert_one("The <g1>Council</g1> decided.", "en", "El <g1>Consejo decidió.", "es", QA_CODES_BROKEN, NULL, 3,
		   NULL);
	assert_one("The Council decided {0}.", "en", "Le Conseil a décidé.", "fr", QA_CODES_DIFFER, NULL, 0, "{0}");
	assert_one("El Consejo decidió.", "es", "The Council decided %s.", "en", QA_CODES_DIFFER, "%s", 0, "%s");
	assert_one("<x1/> El Consejo.", "es", "<x2/> Le Conseil.", "fr", QA_CODES_DIFFER, NULL, 0, NULL);
}

/* ---- terms ------------------------------------------------------------------ */

static void test_terms(void **state)
{
	(void)state;
	static const char *fr_pref[] = { "États membres" }, *fr_dep[] = { "pays membres" };
	qa_term t = { .off = 4, .len = 13, .preferred = fr_pref, .npreferred = 1, .deprecated = fr_dep, .ndeprecated = 1 };
	const char *src = "The Member States decided.";

	/* Folded: case and accents; stemmed: the singular finds the plural. */
	qa_report r = run_terms(src, "en", "Les États Membres ont décidé.", "fr", &t, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
	r = run_terms(src, "en", "Chaque État membre a décidé.", "fr", &t, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
	r = run_terms(src, "en", "Les ETATS MEMBRES ont décidé.", "fr", &t, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);

	const char *tgt = "Les pays membres ont décidé.";
	r = run_terms(src, "en", tgt, "fr", &t, 1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0].code, QA_TERM_MISSING);
	assert_string_equal(r.v[0].item, "États membres");
	assert_int_equal(r.v[1].code, QA_TERM_DEPRECATED);
	assert_int_equal(r.v[1].off, 4);
	assert_int_equal(r.v[1].len, strlen("pays membres"));
	assert_string_equal(r.v[1].item, "pays membres");
	qa_report_free(&r);

	/* Words of a term must be next to each other. */
	r = run_terms(src, "en", "Les États du monde et leurs membres.", "fr", &t, 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].code, QA_TERM_MISSING);
	qa_report_free(&r);

	/* Spanish: any of two preferred terms will do; the deprecated one is found with its elision-free article. */
	static const char *es_pref[] = { "Estados Miembros", "Estado Miembro" }, *es_dep[] = { "países miembros" };
	qa_term e = { .off = 4, .len = 13, .preferred = es_pref, .npreferred = 2, .deprecated = es_dep, .ndeprecated = 1 };
	r = run_terms(src, "en", "Los estados miembros decidieron.", "es", &e, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
	r = run_terms(src, "en", "Los Países Miembros decidieron.", "es", &e, 1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[1].code, QA_TERM_DEPRECATED);
	assert_int_equal(r.v[1].off, 4);
	qa_report_free(&r);

	/* English target; French elision before the term in a French target. */
	static const char *en_pref[] = { "organization" }, *fr_org[] = { "Organisation" };
	qa_term o = { .off = 3, .len = 12, .preferred = en_pref, .npreferred = 1 };
	r = run_terms("La Organización decidió.", "es", "The Organizations decided.", "en", &o, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
	qa_term f = { .off = 3, .len = 12, .preferred = fr_org, .npreferred = 1 };
	r = run_terms("La Organización decidió.", "es", "L'Organisation a décidé.", "fr", &f, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
	/* A term inside a tag's text is found; a code's letters are no word. */
	r = run_terms("La <g1>Organización</g1> decidió.", "es", "The <g1>organization</g1> decided.", "en", &o, 1);
	assert_int_equal(r.n, 0);
	qa_report_free(&r);
}

/* ---- white space ---------------------------------------------------------------- */

static void test_spaces(void **state)
{
	(void)state;
	assert_one("The Council decided.", "en", "Le Conseil  a décidé.", "fr", QA_DOUBLE_SPACE, "  ", 0, "");
	assert_one("The Council decided.", "en", "El Consejo" NBSP " decidió.", "es", QA_DOUBLE_SPACE, NBSP " ", 0, "");
	qa_report r = run("The Council decided.", "en", "Le  Conseil   a décidé.", "fr");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0].off, 2);
	assert_int_equal(r.v[1].off, 11);
	assert_int_equal(r.v[1].len, 3);
	qa_report_free(&r);
	/* The source's own layout is kept. */
	assert_clean("Item 1:  the Council.", "en", "Point 1 :  le Conseil.", "fr");

	assert_one("The Council decided.", "en", " El Consejo decidió.", "es", QA_LEADING_SPACE, " ", 0, "");
	assert_one("The Council decided.", "en", "Le Conseil a décidé.\n", "fr", QA_TRAILING_SPACE, "\n", 0, "");
	assert_one("  The Council decided.", "en", "Le Conseil a décidé.", "fr", QA_LEADING_SPACE, NULL, 0, "");
	assert_clean("The Council decided.\n", "en", "El Consejo decidió.\n", "es");
	assert_clean(" The Council decided. ", "en", NBSP "Le Conseil a décidé." NBSP, "fr");
}

/* ---- end punctuation ---------------------------------------------------------- */

static void test_end_punctuation(void **state)
{
	(void)state;
	assert_clean("Did the Council decide?", "en", "Le Conseil a-t-il décidé" NNBSP "?", "fr");
	assert_clean("Did the Council decide?", "en", "Le Conseil a-t-il décidé ?", "fr");
	assert_clean("Did the Council decide?", "en", "¿Decidió el Consejo?", "es");
	assert_clean("The Council said \"yes.\"", "en", "Le Conseil a dit « oui. »", "fr");
	assert_clean("The Council waited...", "en", "El Consejo esperó…", "es");
	assert_clean("The Council", "en", "Le Conseil", "fr");
	assert_clean("<g1>The Council decided.</g1>", "en", "<g1>El Consejo decidió.</g1>", "es");

	const char *t = "Le Conseil a décidé";
	assert_one("The Council decided.", "en", t, "fr", QA_END_PUNCTUATION, NULL, strlen(t), ".");
	assert_one("The Council decided", "en", "El Consejo decidió.", "es", QA_END_PUNCTUATION, ".", 0, "");
	assert_one("Decidió el Consejo?", "es", "The Council decided:", "en", QA_END_PUNCTUATION, ":", 0, "?");
	assert_one("<g1>The Council decided</g1>!", "en", "<g1>Le Conseil a décidé</g1>.", "fr", QA_END_PUNCTUATION, ".", 0,
		   "!");
	assert_one("The Council waited...", "en", "El Consejo esperó.", "es", QA_END_PUNCTUATION, ".", 0, ".");
}

/* ---- bad input ------------------------------------------------------------------- */

static void test_bad_utf8(void **state)
{
	(void)state;
	qa_report r = run("The Council.", "en", "Le Cons\xc3il.", "fr");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].code, QA_TARGET_UTF8);
	assert_int_equal(r.v[0].off, 7);
	qa_report_free(&r);
	r = run("The \xff Council.", "en", "Le Conseil.", "fr");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].code, QA_SOURCE_UTF8);
	assert_int_equal(r.v[0].off, 4);
	qa_report_free(&r);
}

static void test_messages(void **state)
{
	(void)state;
	for (int c = 0; c < QA_CODES_COUNT; c++) {
		assert_string_not_equal(qa_message((qa_code)c), "");
		assert_string_not_equal(qa_code_name((qa_code)c), "");
		for (int d = 0; d < c; d++)
			assert_string_not_equal(qa_code_name((qa_code)c), qa_code_name((qa_code)d));
	}
	assert_string_equal(qa_message(QA_CODES_COUNT), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_each_language_way),
		cmocka_unit_test(test_numbers_random),
		cmocka_unit_test(test_untranslated),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_end_punctuation),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
