/*
 * Tests for words: a segment's words folded and stemmed in its language,
 * with their places — the keys a termbase finds its terms by, whatever
 * their inflection, case, accents or elision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/words.h"

static void assert_key(const char *lang, const char *text, const char *want)
{
	word_list wl;
	buf key = BUF_INIT;
	words_init(&wl, lang);
	words_read(&wl, text, strlen(text));
	words_key(&wl, 0, words_count(&wl), &key);
	assert_string_equal(buf_str(&key), want);
	buf_free(&key);
	words_free(&wl);
}

static void test_keys_ignore_inflection_case_accents_elision(void **state)
{
	(void)state;
	assert_key("en", "Migrant Workers", "migrant worker");
	assert_key("en", "migrant worker", "migrant worker");
	assert_key("fr", "États membres", "etat membr");
	assert_key("fr", "l'État membre", "etat membr");
	assert_key("es", "Estados Miembros", "estad miembr");
	assert_key("es", "estado miembro", "estad miembr");
	/* Codes are not words; an unknown language folds without stemming. */
	assert_key("en", "the <g1>Council</g1> {0}", "the council");
	assert_key("de", "Councils", "councils");
	assert_key("en", "", "");
}

static void assert_found(const char *lang, const char *text, const char *phrase, const char *want)
{
	word_list t, p;
	size_t off = 0, len = 0;
	words_init(&t, lang);
	words_init(&p, lang);
	words_read(&t, text, strlen(text));
	words_read(&p, phrase, strlen(phrase));
	if (!want) {
		assert_int_equal(words_find(&t, &p, &off, &len), 0);
	} else {
		assert_int_equal(words_find(&t, &p, &off, &len), 1);
		assert_int_equal(len, strlen(want));
		assert_memory_equal(text + off, want, len);
	}
	words_free(&t);
	words_free(&p);
}

static void test_a_phrase_is_found_where_its_words_are(void **state)
{
	(void)state;
	assert_found("en", "The rights of migrant workers are protected.", "migrant worker", "migrant workers");
	assert_found("fr", "Les États membres ont décidé.", "État membre", "États membres");
	assert_found("es", "Los Estados Miembros decidieron.", "estado miembro", "Estados Miembros");
	assert_found("en", "workers who migrate", "migrant worker", NULL);
	assert_found("en", "anything", "", NULL);
	/* A phrase's words must follow each other. */
	assert_found("en", "migrant and other workers", "migrant worker", NULL);
}

static void test_places_are_the_words_as_written(void **state)
{
	(void)state;
	word_list wl;
	const char *text = "Le <g1>Conseil</g1> d'administration";
	words_init(&wl, "fr");
	words_read(&wl, text, strlen(text));
	assert_int_equal(words_count(&wl), 3);
	const word *w = words_at(&wl, 1);
	assert_memory_equal(text + w->off, "Conseil", w->len);
	size_t n;
	const char *stem = words_stem(&wl, 2, &n);
	assert_int_equal(n, strlen("administr"));
	assert_memory_equal(stem, "administr", n);
	words_free(&wl);
}

static void test_words_are_counted_as_translators_count_them(void **state)
{
	(void)state;
	static const struct { const char *text; size_t n; } cases[] = {
		{ "", 0 }, { "   ", 0 }, { "One.", 1 }, { "The Council noted document C/115/1.", 5 },
		{ "Its 115th session — in Geneva", 5 }, { "The <g1>Standing Committee</g1> met {0} times.", 5 },
		{ "l'Organisation\u00a0: 12,5 %", 2 }, { "Mr. Smith\n\nMrs. Jones", 4 }, { "<x1/> ... -- !", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(words_counted(cases[i].text, strlen(cases[i].text)), cases[i].n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_ignore_inflection_case_accents_elision),
		cmocka_unit_test(test_a_phrase_is_found_where_its_words_are),
		cmocka_unit_test(test_places_are_the_words_as_written),
		cmocka_unit_test(test_words_are_counted_as_translators_count_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
