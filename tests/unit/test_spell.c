/*
 * test_spell — the misspelt words of a segment, against the system's
 * English, French and Spanish dictionaries: a misspelling found at its
 * byte offset with the right word among its suggestions (membership, never
 * the order, which is the dictionary's), the words that are no words to
 * check passed over, sentences built at random from known words with
 * misspellings planted in them reporting exactly those, several threads
 * sharing one spell, and the refusals (no such language, no dictionary,
 * broken UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xorshift.h"
#include "formats/spell.h"

static spell *shared;

static int dictionaries_installed(void)
{
	return access(SPELL_DIR "/en_US.dic", R_OK) == 0 && access(SPELL_DIR "/fr.dic", R_OK) == 0 &&
	       access(SPELL_DIR "/es_ES.dic", R_OK) == 0;
}

static int setup(void **state)
{
	(void)state;
	shared = spell_new(NULL);
	return shared ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	spell_free(shared);
	return 0;
}

#define NEED_DICTIONARIES()                                                                  \
	do {                                                                                 \
		if (!dictionaries_installed()) {                                             \
			fprintf(stderr, "hunspell dictionaries missing: run tools/setup\n"); \
			skip();                                                              \
		}                                                                            \
	} while (0)

static int suggested(const spell_miss *m, const char *word)
{
	for (size_t i = 0; i < m->nsuggest; i++)
		if (strcmp(m->suggest[i], word) == 0)
			return 1;
	return 0;
}

/* text in lang has exactly one misspelling, the word bad, with good among
 * its suggestions (good NULL: no suggestion expected). */
static void assert_one_miss(const char *lang, const char *text, const char *bad, const char *good)
{
	spell_misses m;
	size_t at = 99;
	assert_int_equal(spell_check(shared, lang, text, strlen(text), &m, &at), SPELL_OK);
	assert_int_equal(at, 0);
	if (m.n != 1)
		fail_msg("%s: %zu misspellings in \"%s\", want one (%s)", lang, m.n, text, bad);
	const char *where = strstr(text, bad);
	assert_non_null(where);
	assert_int_equal(m.v[0].off, (size_t)(where - text));
	assert_int_equal(m.v[0].len, strlen(bad));
	assert_true(m.v[0].nsuggest <= SPELL_SUGGESTIONS_MAX);
	if (good && !suggested(&m.v[0], good))
		fail_msg("%s: \"%s\" is not among the suggestions for \"%s\"", lang, good, bad);
	spell_misses_free(&m);
}

static void assert_no_miss(const char *lang, const char *text)
{
	spell_misses m;
	assert_int_equal(spell_check(shared, lang, text, strlen(text), &m, NULL), SPELL_OK);
	for (size_t i = 0; i < m.n; i++)
		fprintf(stderr, "%s: \"%.*s\" flagged in \"%s\"\n", lang, (int)m.v[i].len, text + m.v[i].off, text);
	assert_int_equal(m.n, 0);
	spell_misses_free(&m);
}

static void test_misspellings_in_three_languages(void **state)
{
	(void)state;
	NEED_DICTIONARIES();
	assert_one_miss("en", "The Councl decided", "Councl", "Council");
	assert_one_miss("en", "The Member States welcomed the <g1>reprot</g1> of the Director General.", "reprot",
			"report");
	assert_one_miss("fr", "Le Conseil a decidé d'approuver le rapport.", "decidé", "décidé");
	assert_one_miss("fr", "L'Organisation a présenté son rapport aujourd’hui au Conseill.", "Conseill", "Conseil");
	assert_one_miss("es", "El Consejo decidio aprobar el informe del año.", "decidio", "decidió");
	assert_one_miss("es", "La Organización presentó su infrome a los Estados Miembros.", "infrome", "informe");
	/* The same word is right in one language and wrong in another. */
	assert_no_miss("fr", "Le Conseil");
	assert_one_miss("es", "El Conseil", "Conseil", NULL);
}

static void test_elisions_hyphens_accents(void **state)
{
	(void)state;
	NEED_DICTIONARIES();
	assert_no_miss("fr", "L'Organisation et l’Organisation ont décidé aujourd'hui qu'il était peut-être temps.");
	assert_no_miss("fr", "« Élèves » et élèves, déjà reçu, Genève.");
	assert_no_miss("es", "¿Aprobó la Organización el informe? ¡Sí! Año, niño, vergüenza, lingüística.");
	assert_no_miss("en", "The Organization's well-known report and the Council's decision don't differ.");
	/* A hyphenated word is right when its parts are. */
	assert_no_miss("en", "A State-funded, partner-led consultation.");
	assert_one_miss("en", "A State-fundd consultation.", "State-fundd", "State-funded");
}

static void test_what_is_no_word(void **state)
{
	(void)state;
	NEED_DICTIONARIES();
	/* Codes, numbers, URLs, addresses, acronyms and symbols: none of them
	 * words, each with letters a dictionary would refuse. */
	assert_no_miss("en", "See {nmae} and %1$s and <x12/> on <g3>page</g3> 12bis, 115th, 3.5xq.");
	assert_no_miss("en", "Write to desk.qwzx@exampel.invalid or see https://exampel.invalid/qwzx?a=b, www.qwzx.invalid.");
	assert_no_miss("en", "The GFMD, the RCPs and UNHCR.");
	assert_no_miss("fr", "Voir C/115/1, MC/2398/Rev.1 et (C/114/L/6/Rev.1).");
	assert_no_miss("es", "Véase el documento S/33/4; el GFMD y la OIM.");
	assert_no_miss("en", "");
	assert_no_miss("en", "  <g1></g1> {0} 42 ");
	/* A code does not hide the word next to it. */
	assert_one_miss("en", "<g1>Councl</g1>{0}", "Councl", "Council");
}

/* Sentences of known words at random, with misspellings planted at random
 * between them and random separators and codes: exactly the planted words
 * are reported, each at its offset. */
static void test_planted_misspellings(void **state)
{
	(void)state;
	NEED_DICTIONARIES();
	static const char *known[] = { "Council", "decided", "report", "Member", "States", "partnership", "migration",
				       "organization", "welcomed", "the", "of", "and" };
	static const char *wrong[] = { "Councl", "deciddd", "repport", "partnrship", "migrashun", "welcommed" };
	static const char *between[] = { " ", ", ", " <g1>", "</g1> ", " {0} ", "\xc2\xa0", " (", ") ", "; ", " %s " };
	uint64_t seed = 0x5eed5ee1;
	for (int round = 0; round < 40; round++) {
		buf text = BUF_INIT;
		size_t planted_off[16], nplanted = 0;
		int words = 3 + (int)xorshift_below(&seed, 12);
		for (int w = 0; w < words; w++) {
			if (w)
				buf_puts(&text, between[xorshift_below(&seed, sizeof between / sizeof *between)]);
			if (nplanted < 16 && xorshift_below(&seed, 4) == 0) {
				planted_off[nplanted++] = text.len;
				buf_puts(&text, wrong[xorshift_below(&seed, sizeof wrong / sizeof *wrong)]);
			} else {
				buf_puts(&text, known[xorshift_below(&seed, sizeof known / sizeof *known)]);
			}
		}
		spell_misses m;
		assert_int_equal(spell_check(shared, "en", text.data, text.len, &m, NULL), SPELL_OK);
		if (m.n != nplanted)
			fail_msg("\"%s\": %zu misspellings, %zu planted", text.data, m.n, nplanted);
		for (size_t i = 0; i < m.n; i++)
			assert_int_equal(m.v[i].off, planted_off[i]);
		spell_misses_free(&m);
		buf_free(&text);
	}
}

static void *check_many(void *arg)
{
	static const char *texts[][2] = {
		{ "en", "The Councl decided" },
		{ "fr", "Le Conseil a decidé" },
		{ "es", "El Consejo decidio" },
	};
	uintptr_t t = (uintptr_t)arg;
	for (int i = 0; i < 30; i++) {
		const char *lang = texts[(t + (uintptr_t)i) % 3][0], *text = texts[(t + (uintptr_t)i) % 3][1];
		spell_misses m;
		if (spell_check(shared, lang, text, strlen(text), &m, NULL) != SPELL_OK || m.n != 1)
			return (void *)1;
		spell_misses_free(&m);
	}
	return NULL;
}

/* Threads share one spell, each language's dictionary loaded once. */
static void test_threads_share_dictionaries(void **state)
{
	(void)state;
	NEED_DICTIONARIES();
	pthread_t th[4];
	for (uintptr_t t = 0; t < 4; t++)
		assert_int_equal(pthread_create(&th[t], NULL, check_many, (void *)t), 0);
	for (int t = 0; t < 4; t++) {
		void *failed;
		pthread_join(th[t], &failed);
		assert_null(failed);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	spell_misses m = { (spell_miss *)1, 7 };
	size_t at = 99;
	assert_int_equal(spell_check(shared, "de", "Der Rat", 7, &m, &at), SPELL_LANGUAGE);
	assert_int_equal(m.n, 0);
	assert_int_equal(at, 0);
	assert_int_equal(spell_check(shared, NULL, "x", 1, &m, NULL), SPELL_LANGUAGE);
	/* A broken sequence is named at its byte, whatever the language. */
	assert_int_equal(spell_check(shared, "fr", "Le Cons\xc3il", 11, &m, &at), SPELL_UTF8);
	assert_int_equal(at, 7);
	assert_null(m.v);

	spell *nowhere = spell_new("/nonexistent/hunspell");
	assert_non_null(nowhere);
	assert_int_equal(spell_check(nowhere, "en", "The Council", 11, &m, &at), SPELL_DICTIONARY);
	assert_int_equal(m.n, 0);
	assert_string_not_equal(spell_error_message(SPELL_DICTIONARY), "");
	spell_free(nowhere);
	for (int e = SPELL_OK + 1; e < SPELL_ERRORS; e++)
		assert_string_not_equal(spell_error_message((spell_error)e), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_misspellings_in_three_languages),
		cmocka_unit_test(test_elisions_hyphens_accents),
		cmocka_unit_test(test_what_is_no_word),
		cmocka_unit_test(test_planted_misspellings),
		cmocka_unit_test(test_threads_share_dictionaries),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
