/*
 * Tests for fold: the folded form and similarity measures that duplicate
 * detection relies on, exercised with partner names as they are typed in
 * English, French and Spanish, and with the broken input that real imports
 * contain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fold.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void assert_fold(const char *in, size_t n, const char *want)
{
	buf b = BUF_INIT;
	text_fold(&b, in, n);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void assert_acronym(const char *in, const char *want)
{
	buf b = BUF_INIT;
	text_acronym(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static double tok_sim(const char *a, const char *b)
{
	return token_similarity(a, strlen(a), b, strlen(b));
}

static double tri_sim(const char *a, const char *b)
{
	return trigram_similarity(a, strlen(a), b, strlen(b));
}

/* ---- utf8_valid ---- */

static void valid_accepts_well_formed(void **state)
{
	(void)state;
	assert_true(utf8_valid(S("")));
	assert_true(utf8_valid(S("Partners Desk")));
	assert_true(utf8_valid(S("Fondation Étoile du Berger")));
	assert_true(utf8_valid(S("Asociación Niños del Río")));
	assert_true(utf8_valid(S("\xf0\x9f\x8c\x8d earth")));          /* U+1F30D */
	assert_true(utf8_valid(S("\xf4\x8f\xbf\xbf")));                /* U+10FFFF */
	assert_true(utf8_valid(S("\xed\x9f\xbf")));                    /* U+D7FF */
}

static void valid_rejects_malformed(void **state)
{
	(void)state;
	assert_false(utf8_valid(S("\xc0\xaf")));            /* overlong '/' */
	assert_false(utf8_valid(S("\xe0\x80\xaf")));        /* overlong, 3 bytes */
	assert_false(utf8_valid(S("\xf0\x80\x80\xaf")));    /* overlong, 4 bytes */
	assert_false(utf8_valid(S("ab\x80" "cd")));         /* lone continuation */
	assert_false(utf8_valid(S("\xed\xa0\x80")));        /* surrogate U+D800 */
	assert_false(utf8_valid(S("caf\xc3")));             /* truncated at end */
	assert_false(utf8_valid(S("\xe2\x82 x")));          /* truncated inside */
	assert_false(utf8_valid(S("\xf4\x90\x80\x80")));    /* above U+10FFFF */
	assert_false(utf8_valid(S("\xf5\x80\x80\x80")));
	assert_false(utf8_valid(S("\xff")));
	assert_false(utf8_valid(S("caf\xe9")));             /* Latin-1, not UTF-8 */
	assert_false(utf8_valid(S("a\0b")));                /* NUL byte */
}

/* ---- text_nfc ---- */

static void nfc_composes(void **state)
{
	(void)state;
	char *s = text_nfc(S("Re\xcc\x81seau Cafe\xcc\x81"));  /* e + U+0301 */
	assert_non_null(s);
	assert_string_equal(s, "Réseau Café");
	free(s);

	s = text_nfc(S(""));
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);

	assert_null(text_nfc(S("caf\xe9")));
	assert_null(text_nfc(S("a\0b")));
}

/* ---- text_fold ---- */

static void fold_spanish(void **state)
{
	(void)state;
	assert_fold(S("Organización Regional para las Migraciones Ficticias"),
		    "organizacion regional para las migraciones ficticias");
	assert_fold(S("Asociación de Niños y Niñas del Río Verde"),
		    "asociacion de ninos y ninas del rio verde");
}

static void fold_variants_agree(void **state)
{
	(void)state;
	buf a = BUF_INIT, b = BUF_INIT;
	text_fold(&a, S("Organisation Internationale pour les Migrations"));
	text_fold(&b, S("ORGANISATION internationale pour les  migrations!"));
	assert_string_equal(buf_str(&a), buf_str(&b));
	assert_string_equal(buf_str(&a), "organisation internationale pour les migrations");
	buf_free(&a);
	buf_free(&b);
}

static void fold_diacritics_and_ligatures(void **state)
{
	(void)state;
	assert_fold(S("Éducation Façade Über Peña"), "education facade uber pena");
	assert_fold(S("Œuvre des Sœurs"), "oeuvre des soeurs");
	assert_fold(S("ÆTHER Cæsar"), "aether caesar");
	assert_fold(S("Großstraße GROSSSTRASSE"), "grossstrasse grossstrasse");
	assert_fold(S("Łódź Søndergaard"), "lodz sondergaard");
	/* Decomposed input folds like composed input. */
	assert_fold(S("Re\xcc\x81seau"), "reseau");
}

static void fold_compatibility_forms(void **state)
{
	(void)state;
	assert_fold(S("\xef\xac\x81nance"), "finance");                /* U+FB01 */
	assert_fold(S("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3"), "abc"); /* full width */
	assert_fold(S("Organi\xc2\xadsation"), "organisation");        /* soft hyphen */
}

static void fold_punctuation_and_space(void **state)
{
	(void)state;
	assert_fold(S("  ¡Hola,   Mundo! — «Bienvenue» \t\n"), "hola mundo bienvenue");
	assert_fold(S("Croix-Verte & Cie (Genève)"), "croix verte cie geneve");
	assert_fold(S("Plan 2030: Agua/Eau/Water"), "plan 2030 agua eau water");
	assert_fold(S("!!! ... ???"), "");
	assert_fold(S(""), "");
}

static void fold_elision(void **state)
{
	(void)state;
	assert_fold(S("Œuvre d'Asile"), "oeuvre asile");
	assert_fold(S("L’Organisation"), "organisation");
	assert_fold(S("jusqu'à l'aube, qu'il vienne"), "a aube il vienne");
	/* Only the French elided words go; other apostrophes just break. */
	assert_fold(S("O'Donnell Partners' Fund"), "o donnell partners fund");
	assert_fold(S("aujourd'hui"), "aujourd hui");
}

static void fold_other_scripts(void **state)
{
	(void)state;
	assert_fold(S("ΚΑΛΗΜΈΡΑ"), "καλημερα");
	assert_fold(S("Мир"), "мир");
	assert_fold(S("한국 협회"), "한국 협회");  /* Hangul stays composed */
	assert_fold(S("Tiếng Việt"), "tieng viet");
	/* Devanagari vowel signs are letters' vowels, not accents. */
	assert_fold(S("नमस्ते दुनिया"), "नमस्ते दुनिया");
	assert_fold(S("عَلَيْكُمْ"), "عليكم");
}

static void fold_drops_invalid_bytes(void **state)
{
	(void)state;
	assert_fold(S("Caf\xe9 Noir"), "caf noir");
	assert_fold(S("ab\xc0\xaf" "cd"), "abcd");
	assert_fold(S("Ni\xed\xa0\x80\xc3\xb1os"), "ninos");
	assert_fold(S("x\0y"), "xy");
}

static void fold_appends_and_is_idempotent(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "key=");
	text_fold(&b, S("  Fondation Lumière  "));
	assert_string_equal(buf_str(&b), "key=fondation lumiere");
	buf_free(&b);

	buf once = BUF_INIT, twice = BUF_INIT;
	text_fold(&once, S("L’Œuvre d'Entraide — Ñandú & Straße, ΣΟΦΟΣ"));
	text_fold(&twice, once.data, once.len);
	assert_string_equal(buf_str(&once), buf_str(&twice));
	buf_free(&once);
	buf_free(&twice);
}

static void fold_long_text(void **state)
{
	(void)state;
	buf in = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 400; i++) {
		buf_puts(&in, "Été ");
		buf_puts(&want, i ? " ete" : "ete");
	}
	assert_fold(in.data, in.len, buf_str(&want));
	buf_free(&in);
	buf_free(&want);
}

/* ---- text_tokens ---- */

static void tokens_split_words(void **state)
{
	(void)state;
	token_list t;
	text_tokens(&t, S("Œuvre d'Asile"));
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0], "oeuvre");
	assert_string_equal(t.v[1], "asile");
	token_list_free(&t);

	text_tokens(&t, S("L’Organisation"));
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0], "organisation");
	token_list_free(&t);

	text_tokens(&t, S("  Red   de Apoyo, S.A.  "));
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[0], "red");
	assert_string_equal(t.v[4], "a");
	token_list_free(&t);
}

static void tokens_empty(void **state)
{
	(void)state;
	token_list t;
	text_tokens(&t, S(""));
	assert_int_equal(t.n, 0);
	token_list_free(&t);

	text_tokens(&t, S(" -- ; "));
	assert_int_equal(t.n, 0);
	token_list_free(&t);

	text_tokens(&t, S("\xff\xfe"));
	assert_int_equal(t.n, 0);
	token_list_free(&t);
}

/* ---- token_similarity ---- */

static void token_sim_reordered(void **state)
{
	(void)state;
	assert_float_equal(tok_sim("Fondation Solidaire des Rivières",
				   "Rivieres (Solidaire), FONDATION"), 1.0, 1e-9);
	assert_float_equal(tok_sim("Northbridge Relief Trust", "Trust for Northbridge Relief"),
			   1.0, 1e-9);
	assert_float_equal(tok_sim("Asociación Puentes Abiertos",
				   "Puentes Abiertos, Asociacion"), 1.0, 1e-9);
}

static void token_sim_partial_and_different(void **state)
{
	(void)state;
	assert_true(tok_sim("Fondation Lumière du Sahel", "Association Horizons Verts") < 0.3);
	assert_true(tok_sim("Red Andina de Salud", "Northbridge Relief Trust") < 0.3);
	/* Sharing only function words is not similarity. */
	assert_float_equal(tok_sim("Les Amis de la Terre Rouge", "Les Enfants de la Mer"),
			   0.0, 1e-9);
	assert_float_equal(tok_sim("Lumière Sahel", "Fondation Lumière du Sahel"),
			   2.0 / 3.0, 1e-9);
}

static void token_sim_stop_words_only(void **state)
{
	(void)state;
	assert_float_equal(tok_sim("The", "the!"), 1.0, 1e-9);
	assert_float_equal(tok_sim("De la", "de los"), 1.0 / 3.0, 1e-9);
}

static void token_sim_empty(void **state)
{
	(void)state;
	assert_float_equal(tok_sim("", ""), 0.0, 1e-9);
	assert_float_equal(tok_sim("", "Fondation Lumière"), 0.0, 1e-9);
	assert_float_equal(tok_sim("Fondation Lumière", "  ...  "), 0.0, 1e-9);
}

/* ---- trigram_similarity ---- */

static void trigram_typos(void **state)
{
	(void)state;
	double typo = tri_sim("Intrnational Orgnization", "International Organization");
	double other = tri_sim("Intrnational Orgnization", "National Council");
	assert_true(typo > 0.5);
	assert_true(other < 0.3);
	assert_true(typo > other + 0.3);

	assert_true(tri_sim("Fondation Lumiere", "Fondation Lumière") > 0.99);
	assert_true(tri_sim("Asociacion Puentes Abiertas", "Asociación Puentes Abiertos") > 0.7);
	assert_true(tri_sim("Fundacion Mar Azul", "Fondation Lumière du Sahel") < 0.2);
}

static void trigram_edges(void **state)
{
	(void)state;
	assert_float_equal(tri_sim("Northbridge", "NORTHBRIDGE!"), 1.0, 1e-9);
	assert_float_equal(tri_sim("", ""), 0.0, 1e-9);
	assert_float_equal(tri_sim("", "Northbridge"), 0.0, 1e-9);
	assert_true(tri_sim("a", "a") > 0.99);
	assert_true(tri_sim("한국 협회", "한국") > 0.3);
}

/* ---- text_acronym ---- */

static void acronym_three_languages(void **state)
{
	(void)state;
	assert_acronym("Regional Organization for Fictional Migration", "ROFM");
	assert_acronym("Organisation régionale pour les migrations fictives", "ORMF");
	assert_acronym("Organización Regional para las Migraciones Ficticias", "ORMF");
	assert_acronym("Global Alliance for Clean Water and Sanitation", "GACWS");
	assert_acronym("Alliance mondiale pour l'Eau potable", "AMEP");
	assert_acronym("Red Latinoamericana de Apoyo a los Migrantes", "RLAM");
	assert_acronym("Œuvre d'Éducation Populaire", "OEP");
}

static void acronym_edges(void **state)
{
	(void)state;
	assert_acronym("", "");
	assert_acronym("  -- ", "");
	assert_acronym("The", "T");
	assert_acronym("Agenda 2030 Partners", "A2P");
	assert_acronym("Союз Помощи", "СП");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_accepts_well_formed),
		cmocka_unit_test(valid_rejects_malformed),
		cmocka_unit_test(nfc_composes),
		cmocka_unit_test(fold_spanish),
		cmocka_unit_test(fold_variants_agree),
		cmocka_unit_test(fold_diacritics_and_ligatures),
		cmocka_unit_test(fold_compatibility_forms),
		cmocka_unit_test(fold_punctuation_and_space),
		cmocka_unit_test(fold_elision),
		cmocka_unit_test(fold_other_scripts),
		cmocka_unit_test(fold_drops_invalid_bytes),
		cmocka_unit_test(fold_appends_and_is_idempotent),
		cmocka_unit_test(fold_long_text),
		cmocka_unit_test(tokens_split_words),
		cmocka_unit_test(tokens_empty),
		cmocka_unit_test(token_sim_reordered),
		cmocka_unit_test(token_sim_partial_and_different),
		cmocka_unit_test(token_sim_stop_words_only),
		cmocka_unit_test(token_sim_empty),
		cmocka_unit_test(trigram_typos),
		cmocka_unit_test(trigram_edges),
		cmocka_unit_test(acronym_three_languages),
		cmocka_unit_test(acronym_edges),
	};
	return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
