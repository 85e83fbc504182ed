/*
 * Tests for namematch: the telling form of a name, the likeness of two names
 * as a reader judges it, and the keys that bring likely duplicates together.
 * Every name is invented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "core/namematch.h"

static char *form_text(const char *name, int kind)
{
	static char out[512];
	name_form f;
	name_form_of(&f, name, strlen(name), kind);
	out[0] = '\0';
	for (size_t i = 0; i < f.n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s%s", i ? " " : "", f.w[i],
			 f.common[i] ? "*" : f.initial[i] ? "." : "");
	name_form_free(&f);
	return out;
}

static name_likeness like(const char *a, const char *b, int kind)
{
	name_form x, y;
	name_form_of(&x, a, strlen(a), kind);
	name_form_of(&y, b, strlen(b), kind);
	name_likeness l = name_compare(&x, &y);
	name_likeness back = name_compare(&y, &x);
	assert_true(fabs(l.score - back.score) < 1e-9);   /* the same both ways */
	name_form_free(&x);
	name_form_free(&y);
	return l;
}

static double score(const char *a, const char *b) { return like(a, b, NAME_BODY).score; }

static void the_form_keeps_the_telling_words(void **state)
{
	(void)state;
	/* articles and prepositions out, plurals singular, words sorted, each once, common ones marked */
	assert_string_equal(form_text("The Fenlande Ministry for Migrant Workers", NAME_BODY),
			    "fenlande migrant* ministry* worker");
	assert_string_equal(form_text("Ministère des travailleurs migrants de Fenlande", NAME_BODY),
			    "fenlande migrant* ministry* travailleur");
	assert_string_equal(form_text("Min. of Intl Labor, Fenlande", NAME_BODY), "fenlande international* labour ministry*");
	assert_string_equal(form_text("Bureaux nationaux des agencies", NAME_BODY), "agency* national* office*");
	assert_string_equal(form_text("Réseau, réseaux et RÉSEAU", NAME_BODY), "network*");
	/* the abbreviations and the other languages' words, wherever they are in the list of them */
	assert_string_equal(form_text("Agcy Cncl Off Univ Fdn Assoc", NAME_BODY),
			    "agency* association* council* foundation* office* university*");
	assert_string_equal(form_text("Agencia Consejo Oficina Universidad Fundación Asociación", NAME_BODY),
			    "agency* association* council* foundation* office* university*");
	assert_string_equal(form_text("", NAME_BODY), "");
	assert_string_equal(form_text("of the and", NAME_BODY), "");
	/* a person's single letters are initials; a body's, words ("Team B", "Council 1") */
	assert_string_equal(form_text("A. Okonkwo", NAME_PERSON), "a. okonkwo");
	assert_string_equal(form_text("U.N. Kestrel Council 1", NAME_BODY), "1 council* kestrel n");
}

static void a_form_read_back_is_the_same(void **state)
{
	(void)state;
	static const char *const names[] = { "The Fenlande Ministry for Migrant Workers", "A. Okonkwo", "", "Αθήνα Κέντρο" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		name_form f, back;
		buf line = BUF_INIT, again = BUF_INIT;
		name_form_of(&f, names[i], strlen(names[i]), i == 1 ? NAME_PERSON : NAME_BODY);
		name_form_write(&f, &line);
		name_form_read(&back, line.data ? line.data : "", line.len);
		name_form_write(&back, &again);
		assert_string_equal(buf_str(&line), buf_str(&again));
		assert_int_equal(f.n, back.n);
		assert_true(name_compare(&f, &back).score == (f.n ? 1.0 : 0.0));
		name_form_free(&f);
		name_form_free(&back);
		buf_free(&line);
		buf_free(&again);
	}
	assert_string_equal(form_text("A. Okonkwo", NAME_PERSON), "a. okonkwo");
}

static void words_alike_are_typos_abbreviations_and_initials(void **state)
{
	(void)state;
	assert_true(name_words_alike("fenlande", "fenlandd"));     /* one substitution */
	assert_true(name_words_alike("ministry", "minsitry"));     /* two letters swapped */
	assert_true(name_words_alike("worker", "worke"));          /* one letter missing */
	assert_true(name_words_alike("trabajadore", "trabajador"));
	assert_true(name_words_alike("observatory", "observ"));    /* an abbreviation */
	assert_true(name_words_alike("sorensen", "sørensen"));
	assert_true(name_words_alike("castellanos", "castelanoz")); /* two edits in a long word */
	assert_false(name_words_alike("castellanos", "costelanoz"));
	assert_false(name_words_alike("fenlande", "qorlande"));
	assert_false(name_words_alike("asylum", "asile"));
	assert_false(name_words_alike("red", "rde"));               /* too short for a typo to be told from another word */
	assert_false(name_words_alike("a", "amina"));               /* only a person's initial, name_compare knows */
	assert_false(name_words_alike("kel", "kelvin"));            /* too short an abbreviation of too short a word */
	assert_false(name_words_alike("quentin0", "quentin1"));     /* a number is no typo */
	assert_false(name_words_alike("vorlandzm", "vorlandus"));   /* two slips only in a word of ten letters or more */
	assert_false(name_words_alike("room101", "room1011"));
}

static void duplicates_score_high(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{ "Fenlande Ministry for Migrant Workers", "Fenlande Ministry for Migrant Worker" },
		{ "Fenlande Ministry for Migrant Workers", "fenlande ministry for migrant workers" },
		{ "Fenlande Ministry for Migrant Workers", "Ministry for Migrant Workers, Fenlande" },
		{ "Fenlande Ministry for Migrant Workers", "Fenlandd Ministry for Migrant Workers" },
		{ "Fenlande Ministry for Migrant Workers", "Fenlande Minsitry for Migrant Workers" },
		{ "Fenlande Ministry for Migrant Workers", "Fenlande Min. for Migrant Workers" },
		{ "Fenlande Ministry for Migrant Workers", "The Ministry of Fenlande for the Migrant Workers" },
		{ "Kestrel Harbour International Association", "Kestrel Harbour Intl Assoc." },
		{ "Organización Internacional de Migraciones de Quoddy", "Organizacion internacional de migraciones de Quoddy" },
		{ "Consejo de Migración de Fenlande", "Fenlande Council for Migration" },
		{ "Ministère des affaires consulaires de Fenlande", "Ministere des Affaires Consulaires de Fenlande" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		double s = score(pairs[i][0], pairs[i][1]);
		if (s < 0.75)
			fail_msg("%s / %s: %.2f", pairs[i][0], pairs[i][1], s);
	}
	assert_true(score("Fenlande Ministry for Migrant Workers", "Fenlande Ministry for Migrant Workers") == 1.0);
	assert_true(score("Fenlande Ministry for Migrant Workers", "Fenlandd Ministry for Migrant Workers") < 1.0);
}

static void names_differing_in_the_word_that_matters_score_low(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{ "Fenlande Ministry for Migrant Workers", "Qorland Ministry for Migrant Workers" },   /* another place */
		{ "Fenlande Ministry for Migrant Workers", "Fenlande Ministry for Consular Affairs" },  /* another subject */
		{ "Fenlande Council for Migration", "Fenlande Council for Asylum" },
		{ "Fenlande Council for Migrant Workers", "Fenlande Observatory for Migrant Workers" },  /* another body */
		{ "Fenlande Institute for Human Mobility Research", "Fenlande Institute for Climate Mobility" },
		{ "Marova Migrant Aid", "Zellbridge Seafarers Chapel" },
		{ "Ministry", "Kestrel" },
		{ "Kestrel Harbour Council 1", "Kestrel Harbour Council 2" },   /* numbers count */
		{ "Kestrel Team A", "Kestrel Team B" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		double s = score(pairs[i][0], pairs[i][1]);
		if (s >= 0.75)
			fail_msg("%s / %s: %.2f", pairs[i][0], pairs[i][1], s);
	}
}

static void the_likeness_counts_its_words(void **state)
{
	(void)state;
	name_likeness l = like("Fenlande Ministry for Migrant Workers", "Fenlandd Ministry for Migrant Workers and Families",
			       NAME_BODY);
	assert_int_equal(l.same, 3);
	assert_int_equal(l.alike, 1);
	assert_int_equal(l.apart, 1);
	l = like("Amina Okonkwo", "A. Okonkwo", NAME_PERSON);
	assert_int_equal(l.same, 1);
	assert_int_equal(l.alike, 1);
	assert_true(l.score >= 0.75);
	l = like("Amina Okonkwo", "B. Okonkwo", NAME_PERSON);
	assert_int_equal(l.alike, 0);
	l = like("Agency Kestrel", "A Kestrel", NAME_BODY);   /* a body's letter is no initial */
	assert_int_equal(l.alike, 0);
	l = like("Amina Okonkwo", "Tomás Okonkwo", NAME_PERSON);
	assert_true(l.score < 0.75);
	l = like("Okonkwo Amina", "amina okonkwo", NAME_PERSON);
	assert_true(l.score == 1.0);
}

/* ---- keys ---------------------------------------------------------------------- */

typedef struct keyset {
	char keys[64][256];
	int prefix[64];
	int n;
} keyset;

static void collect(void *ctx, const char *key, int is_prefix)
{
	keyset *k = ctx;
	assert_true(k->n < 64);
	snprintf(k->keys[k->n], sizeof k->keys[k->n], "%s", key);
	k->prefix[k->n++] = is_prefix;
}

static keyset keys_of_kind(const char *name, int probes, int kind)
{
	keyset k = { .n = 0 };
	name_form f;
	name_form_of(&f, name, strlen(name), kind);
	(probes ? name_probes : name_keys)(&f, collect, &k);
	name_form_free(&f);
	return k;
}

static keyset keys_of(const char *name, int probes) { return keys_of_kind(name, probes, NAME_BODY); }

/* Whether a probe of a finds b: a key equal to one of b's, or a prefix of one. */
static int found_kind(const char *a, const char *b, int kind)
{
	keyset probes = keys_of_kind(a, 1, kind), filed = keys_of_kind(b, 0, kind);
	for (int i = 0; i < probes.n; i++)
		for (int j = 0; j < filed.n; j++) {
			size_t n = strlen(probes.keys[i]);
			if (probes.prefix[i] ? strncmp(probes.keys[i], filed.keys[j], n) == 0
					     : strcmp(probes.keys[i], filed.keys[j]) == 0)
				return 1;
		}
	return 0;
}

static int found(const char *a, const char *b) { return found_kind(a, b, NAME_BODY); }

static void the_keys_are_the_words_and_the_words_but_one(void **state)
{
	(void)state;
	keyset k = keys_of("Fenlande Ministry for Migrant Workers", 0);
	assert_int_equal(k.n, 9);
	assert_string_equal(k.keys[0], "w:fenlande migrant ministry worker");
	assert_string_equal(k.keys[1], "p:migrant ministry worker|^fe");
	assert_string_equal(k.keys[2], "p:migrant ministry worker|$de");
	assert_string_equal(k.keys[8], "p:fenlande migrant ministry|$er");
	k = keys_of("Αθήνα Κέντρο", 0);   /* letters, not bytes */
	assert_string_equal(k.keys[1], "p:κεντρο|^αθ");
	assert_string_equal(k.keys[4], "p:αθηνα|$ρο");
	k = keys_of("Kestrel", 0);
	assert_int_equal(k.n, 1);
	assert_int_equal(keys_of("of the", 0).n, 0);
	k = keys_of("Fenlande Ministry for Migrant Workers", 1);
	assert_int_equal(k.n, 9 + 4 + 1);
	assert_string_equal(k.keys[13], "p:fenlande migrant ministry worker|");
	assert_true(k.prefix[13]);
}

static void probes_find_the_names_a_reader_would(void **state)
{
	(void)state;
	const char *name = "Fenlande Ministry for Migrant Workers";
	assert_true(found("Ministry of Fenlande for the Migrant Worker", name));   /* order, articles, plural */
	assert_true(found("Fenlandd Ministry for Migrant Workers", name));          /* a typo past the second letter */
	assert_true(found("Fenlande Minstry for Migrant Workers", name));
	assert_true(found("Genlande Ministry for Migrant Workers", name));          /* in its first letters */
	assert_true(found("Fenlande Ministry for Migrant Workerz", name));          /* in its last ones */
	assert_true(found("Fnlande Ministry for Migrant Workers", name));
	assert_true(found("Fenlande Ministry for Migrant Workers and Families", name));  /* a word more */
	assert_true(found("Fenlande Ministry for Workers", name));                        /* a word less */
	assert_true(found("Ministerio de Trabajadores Migrantes de Fenlande", "Ministerio de Trabajadores Migrantes de Fenlandd"));
	assert_true(found_kind("A. Okonkwo", "Amina Okonkwo", NAME_PERSON));   /* an initial */
	assert_false(found_kind("T. Okonkwo", "Amina Okonkwo", NAME_PERSON));
	assert_false(found("Qorland Ministry for Consular Affairs", name));
	assert_false(found("Fenlande Council for Asylum", name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_form_keeps_the_telling_words),
		cmocka_unit_test(a_form_read_back_is_the_same),
		cmocka_unit_test(words_alike_are_typos_abbreviations_and_initials),
		cmocka_unit_test(duplicates_score_high),
		cmocka_unit_test(names_differing_in_the_word_that_matters_score_low),
		cmocka_unit_test(the_likeness_counts_its_words),
		cmocka_unit_test(the_keys_are_the_words_and_the_words_but_one),
		cmocka_unit_test(probes_find_the_names_a_reader_would),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
