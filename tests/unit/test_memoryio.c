/*
 * test_memoryio — a TMX file imported into the translation memory on its
 * two threads: every pair saved in the file's order, its concordance words
 * the very words a unit saved alone gets, and a file refused anywhere
 * (in the first chunk of pairs, far into it, at its last line) leaving
 * nothing behind and naming the line.  Run under ThreadSanitizer too.
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
#include "core/xorshift.h"
#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "testdb.h"

#define UNITS 3000  /* more than the reader's queue holds: both threads wait on the other */

static const char *const words[] = { "Council", "migrant", "workers", "l'Organisation", "décide", "año",
				     "organización", "rights", "travailleurs", "œuvre", "Straße", "d’asile",
				     "42", "programme", "session", "derechos" };

/* Unit i's English and French: made-up sentences from a few words. */
static void sentence(buf *en, buf *fr, int i)
{
	uint64_t seed = 0x9E3779B97F4A7C15u * (uint64_t)(i + 1);
	int n = 2 + (int)xorshift_below(&seed, 9);
	buf_reset(en);
	buf_reset(fr);
	for (int w = 0; w < n; w++) {
		buf_printf(en, "%s%s", w ? " " : "", words[xorshift_below(&seed, 16)]);
		buf_printf(fr, "%s%s", w ? " " : "", words[xorshift_below(&seed, 16)]);
	}
	buf_printf(en, " %d.", i);
}

/* The file of units; broken_at: the unit whose <seg> is not closed, -1 for none. */
static char *tmx(int units, int broken_at)
{
	buf b = BUF_INIT, en = BUF_INIT, fr = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "
		     "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" "
		     "datatype=\"plaintext\"/>\n<body>\n");
	for (int i = 0; i < units; i++) {
		sentence(&en, &fr, i);
		buf_printf(&b, "<tu><tuv xml:lang=\"en\"><seg>%s</seg></tuv><tuv xml:lang=\"fr\"><seg>%s</%s></tuv></tu>\n",
			   buf_str(&en), buf_str(&fr), i == broken_at ? "sge" : "seg");
	}
	buf_puts(&b, "</body>\n</tmx>\n");
	buf_free(&en);
	buf_free(&fr);
	return buf_steal(&b);
}

static int64_t units_in(testdb *t)
{
	int64_t n = -1;
	assert_int_equal(store_count(store_reader(t->st), "tm_units", NULL, 0, &n), STORE_OK);
	return n;
}

/* The concordance's answer to text in lang, as JSON text. */
static char *look_up(testdb *t, const char *lang, const char *text)
{
	user u = { 0, "reader", ROLE_ADMIN, NULL, 0, "en" };
	model_ctx m;
	json_t *items = NULL;
	model_init(&m, t->st, &t->reg, &u);
	assert_int_equal(concordance_find(&m, store_reader(t->st), lang, text, 50, &items), 0);
	char *out = json_dumps(items, JSON_SORT_KEYS);
	json_decref(items);
	model_done(&m);
	return out;
}

static void imported_units_are_found_as_units_saved_alone(void **state)
{
	(void)state;
	testdb *imported = testdb_open(), *alone = testdb_open();
	char *file = tmx(UNITS, -1);
	memory_imported got;
	assert_int_equal(memory_import(imported->st, file, strlen(file), -1, "C/115/1", &got), 0);
	assert_int_equal(got.units, UNITS);
	assert_int_equal(got.skipped, 0);
	assert_int_equal(units_in(imported), UNITS);

	store_conn *c = store_begin(alone->st);
	buf en = BUF_INIT, fr = BUF_INIT;
	for (int i = 0; i < UNITS; i++) {
		sentence(&en, &fr, i);
		tm_unit u = { "en", "fr", buf_str(&en), buf_str(&fr), "C/115/1", 0, "", "2026-01-01T00:00:00Z", NULL, NULL };
		int64_t id;
		char err[200];
		assert_int_equal(tm_add(c, &u, &id, err, sizeof err), 0);
		assert_int_equal(id, i + 1);  /* the file's order */
		assert_int_equal(concordance_add(c, id, "en", u.source, "fr", u.target), 0);
	}
	assert_int_equal(store_commit(c), STORE_OK);
	static const char *const asked[][2] = { { "en", "migrant workers" }, { "fr", "travailleur" },
						{ "fr", "organisation décide" }, { "en", "organizacion" },
						{ "en", "Council 17" }, { "fr", "asile" }, { "en", "STRASSE" } };
	for (size_t i = 0; i < sizeof asked / sizeof *asked; i++) {
		char *a = look_up(imported, asked[i][0], asked[i][1]), *b = look_up(alone, asked[i][0], asked[i][1]);
		/* the same units in the same order; created_at and origin differ by how they came */
		json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
		assert_int_equal(json_array_size(ja), json_array_size(jb));
		for (size_t k = 0; k < json_array_size(ja); k++) {
			json_t *x = json_array_get(ja, k), *y = json_array_get(jb, k);
			assert_int_equal(json_integer_value(json_object_get(x, "id")), json_integer_value(json_object_get(y, "id")));
			assert_true(json_equal(json_object_get(x, "found_at"), json_object_get(y, "found_at")));
		}
		if (i < 3)
			assert_true(json_array_size(ja) > 0);
		json_decref(ja);
		json_decref(jb);
		free(a);
		free(b);
	}
	buf_free(&en);
	buf_free(&fr);
	free(file);
	testdb_close(imported);
	testdb_close(alone);
}

/* A unit broken at unit `at`: nothing saved, the line named (unit i is on line i + 4). */
static void refused_at(int at)
{
	testdb *t = testdb_open();
	char *file = tmx(UNITS, at);
	memory_imported got;
	assert_int_equal(memory_import(t->st, file, strlen(file), -1, NULL, &got), -1);
	assert_int_equal(got.line, at + 4);
	char want[32];
	snprintf(want, sizeof want, "line %d:", at + 4);
	if (strncmp(got.error, want, strlen(want)) != 0)
		fail_msg("at %d: %s", at, got.error);
	assert_int_equal(units_in(t), 0);
	/* and the memory takes the next file whole */
	free(file);
	file = tmx(10, -1);
	assert_int_equal(memory_import(t->st, file, strlen(file), -1, NULL, &got), 0);
	assert_int_equal(units_in(t), 10);
	free(file);
	testdb_close(t);
}

static void a_file_refused_anywhere_leaves_nothing(void **state)
{
	(void)state;
	refused_at(0);
	refused_at(300);
	refused_at(UNITS - 1);
}

/* Variants in languages Liaison lacks are counted, not saved; a unit
 * without a source is counted whole. */
static void other_languages_are_counted(void **state)
{
	(void)state;
	testdb *t = testdb_open();
	const char *file = "<tmx version=\"1.4\"><header srclang=\"en\" adminlang=\"en\" creationtool=\"t\" "
			   "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" datatype=\"plaintext\"/><body>\n"
			   "<tu><tuv xml:lang=\"en\"><seg>Council</seg></tuv><tuv xml:lang=\"de\"><seg>Rat</seg></tuv>"
			   "<tuv xml:lang=\"es\"><seg>Consejo</seg></tuv></tu>\n"
			   "<tu><tuv xml:lang=\"de\"><seg>Rat</seg></tuv><tuv xml:lang=\"it\"><seg>Consiglio</seg></tuv></tu>\n"
			   "</body></tmx>";
	memory_imported got;
	assert_int_equal(memory_import(t->st, file, strlen(file), -1, NULL, &got), 0);
	assert_int_equal(got.units, 1);
	assert_int_equal(got.skipped, 3);
	char *found = look_up(t, "es", "consejos");
	assert_non_null(strstr(found, "\"target\": \"Consejo\""));
	free(found);
	testdb_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(imported_units_are_found_as_units_saved_alone),
		cmocka_unit_test(a_file_refused_anywhere_leaves_nothing),
		cmocka_unit_test(other_languages_are_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
