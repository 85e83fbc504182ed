/*
 * test_memory — the translation memory on a real database: exact and
 * in-context matches, fuzzy results in order under a threshold, a unit
 * found as soon as its transaction commits, numbers adapted, bad units
 * refused with their reason, and, over a few thousand random units with
 * near-duplicates, the index's answers the very answers of a scan of every
 * unit, at several thresholds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xorshift.h"
#include "domains/translation/memory.h"
#include "testdb.h"

static int setup(void **state)
{
	*state = testdb_open();
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

static int64_t add(testdb *t, const char *source, const char *target, const char *when, const char *prev,
		   const char *next)
{
	store_conn *c = store_begin(t->st);
	tm_unit u = { "en", "fr", source, target, "C/115/1", 7, "A. Translator", when, prev, next };
	int64_t id = 0;
	char err[200] = "";
	assert_non_null(c);
	if (tm_add(c, &u, &id, err, sizeof err)) {
		store_rollback(c);
		fail_msg("%s", err);
	}
	assert_int_equal(store_commit(c), STORE_OK);
	return id;
}

static size_t fuzzy(testdb *t, const char *source, int threshold, int k, arena *a, tm_match **out)
{
	tm_query q = { "en", "fr", source, NULL, NULL, threshold, k };
	size_t n = 0;
	char err[200] = "";
	tm_stats st;
	if (tm_fuzzy(store_reader(t->st), &q, a, out, &n, &st, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(st.bounded, 0);
	return n;
}

static void test_exact_and_context(void **state)
{
	testdb *t = *state;
	arena a = ARENA_INIT;
	int64_t plain = add(t, "The Council decides.", "Le Conseil décide.", "2024-01-01T00:00:00Z", NULL, NULL);
	int64_t ctx = add(t, "The  Council decides.", "Le Conseil décide ainsi.", "2023-01-01T00:00:00Z", "Item 4.",
			  "Item 5.");
	add(t, "The council decides.", "le conseil décide.", "2025-01-01T00:00:00Z", NULL, NULL);
	tm_query q = { "en", "fr", "The Council\tdecides.", "Item 4.", "Item  5.", 50, 5 };
	tm_match *m;
	size_t n;
	char err[200];
	assert_int_equal(tm_exact(store_reader(t->st), &q, &a, &m, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);  /* case is kept: "council" is no exact match */
	assert_int_equal(m[0].id, ctx);
	assert_int_equal(m[0].score, 101);
	assert_int_equal(m[1].id, plain);
	assert_int_equal(m[1].score, 100);
	assert_string_equal(m[1].origin, "C/115/1");
	assert_int_equal(m[1].job, 7);
	/* fuzzy: the in-context one first, then the 100s by recency */
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &m, &n, NULL, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].score, 101);
	assert_int_equal(m[1].score, 100);
	assert_string_equal(m[1].created_at, "2025-01-01T00:00:00Z");
	assert_int_equal(m[2].id, plain);
	/* no context given: no 101 */
	q.prev_source = q.next_source = NULL;
	assert_int_equal(tm_exact(store_reader(t->st), &q, &a, &m, &n, err, sizeof err), 0);
	assert_int_equal(m[0].score, 100);
	assert_int_equal(m[0].id, plain);
	arena_free(&a);
}

static void test_fuzzy_order_and_threshold(void **state)
{
	testdb *t = *state;
	arena a = ARENA_INIT;
	add(t, "The Executive Committee adopted the report of its session", "t1", "2024-01-01T00:00:00Z", NULL, NULL);
	int64_t s88 = add(t, "The Executive Committee adopted the report of its first session", "t2",
			  "2024-01-01T00:00:00Z", NULL, NULL);
	int64_t old = add(t, "The Standing Committee adopted the report of its session", "t3", "2020-01-01T00:00:00Z",
			  NULL, NULL);
	int64_t newer = add(t, "The Executive Committee noted the report of its session", "t4",
			    "2024-06-01T00:00:00Z", NULL, NULL);
	add(t, "Nothing in common here at all", "t5", "2024-01-01T00:00:00Z", NULL, NULL);
	tm_match *m;
	size_t n = fuzzy(t, "The Executive Committee adopted the report of its session", 60, 10, &a, &m);
	assert_int_equal(n, 4);
	assert_int_equal(m[0].score, 100);
	assert_int_equal(m[1].id, s88);  /* 9 of 10: 90 */
	assert_int_equal(m[1].score, 90);
	assert_int_equal(m[1].nmarks, 1);
	assert_int_equal(m[1].marks[0].op, TM_DELETE);
	assert_int_equal(m[2].id, newer);  /* 89 both: the more recent first */
	assert_int_equal(m[2].score, 89);
	assert_int_equal(m[3].id, old);
	assert_int_equal(m[3].score, 89);
	/* top k, threshold */
	assert_int_equal(fuzzy(t, "The Executive Committee adopted the report of its session", 60, 2, &a, &m), 2);
	assert_int_equal(m[1].id, s88);
	assert_int_equal(fuzzy(t, "The Executive Committee adopted the report of its session", 90, 10, &a, &m), 2);
	assert_int_equal(fuzzy(t, "Completely unrelated words", 30, 10, &a, &m), 0);
	arena_free(&a);
}

static void test_found_once_committed(void **state)
{
	testdb *t = *state;
	arena a = ARENA_INIT;
	tm_match *m;
	assert_int_equal(fuzzy(t, "The delegation of Ruritania requested the floor", 70, 5, &a, &m), 0);
	store_conn *c = store_begin(t->st);
	tm_unit u = { "en", "es", "The delegation of Ruritania requested the floor", "La delegación de Ruritania pidió la palabra",
		      NULL, 0, NULL, NULL, NULL, NULL };
	char err[200];
	int64_t id;
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), 0);
	store_rollback(c);  /* never committed: never found */
	tm_query q = { "en", "es", "The delegation of Ruritania requested the floor", NULL, NULL, 70, 5 };
	size_t n;
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &m, &n, NULL, err, sizeof err), 0);
	assert_int_equal(n, 0);
	c = store_begin(t->st);
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	q.source = "The delegation of Ruritania requested the word";
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &m, &n, NULL, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, id);
	assert_int_equal(m[0].score, 86);
	/* another pair does not see it, by the index or by the scan */
	q.target_lang = "fr";
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &m, &n, NULL, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tm_fuzzy_scan(store_reader(t->st), &q, &a, &m, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	q.target_lang = "es";
	assert_int_equal(tm_fuzzy_scan(store_reader(t->st), &q, &a, &m, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	arena_free(&a);
}

static void test_numbers_adapted(void **state)
{
	testdb *t = *state;
	arena a = ARENA_INIT;
	tm_match *m;
	add(t, "See paragraph 15 of document C/115/3.", "Voir le paragraphe 15 du document C/115/3.", NULL, NULL, NULL);
	add(t, "Item 4 of the agenda", "Point quatre de l'ordre du jour", NULL, NULL, NULL);
	assert_int_equal(fuzzy(t, "See paragraph 12 of document C/115/4.", 50, 5, &a, &m), 1);
	assert_int_equal(m[0].score, 100);
	assert_true(m[0].adapted);
	assert_string_equal(m[0].target, "Voir le paragraphe 12 du document C/115/4.");
	assert_int_equal(m[0].nmarks, 2);  /* what changed is still shown */
	/* the number is not in the target: the literal score, no adaptation */
	assert_int_equal(fuzzy(t, "Item 5 of the agenda", 50, 5, &a, &m), 1);
	assert_int_equal(m[0].score, 80);
	assert_false(m[0].adapted);
	assert_string_equal(m[0].target, "Point quatre de l'ordre du jour");
	arena_free(&a);
}

static void test_refused(void **state)
{
	testdb *t = *state;
	store_conn *c = store_begin(t->st);
	char err[200];
	int64_t id;
	tm_unit u = { "en", "de", "Text", "Text", NULL, 0, NULL, NULL, NULL, NULL };
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), -1);
	assert_string_equal(err, "target_lang: 'de' is not en, fr or es");
	u = (tm_unit){ "en", "fr", "Bad \xe2\x82 text", "Texte", NULL, 0, NULL, NULL, NULL, NULL };
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), -1);
	assert_string_equal(err, "source: not UTF-8 at byte 4");
	u = (tm_unit){ "en", "fr", "Text", "", NULL, 0, NULL, NULL, NULL, NULL };
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), -1);
	assert_string_equal(err, "target: empty");
	u = (tm_unit){ "en", "fr", "Text", "Texte", NULL, 0, NULL, "yesterday", NULL, NULL };
	assert_int_equal(tm_add(c, &u, &id, err, sizeof err), -1);
	store_rollback(c);
	arena a = ARENA_INIT;
	tm_match *m;
	size_t n;
	tm_query q = { "en", "fr", "Text", NULL, NULL, 0, 5 };
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &m, &n, NULL, err, sizeof err), -1);
	assert_string_equal(err, "threshold: 0 is not from 1 to 100");
	arena_free(&a);
}

/* ---- the index against the scan -------------------------------------------- */

static const char *vocabulary[] = {
	"the", "of", "and", "to", "council", "committee", "report", "session", "member", "states", "decides",
	"requests", "director", "general", "programme", "budget", "organization", "international", "cooperation",
	"migration", "adopted", "resolution", "paragraph", "annex", "document", "draft", "financial", "year",
	"audit", "external", "delegation", "chair", "meeting", "agenda", "item", "approved", "noted", "invites",
	"welcomes", "urges", "partners", "funding", "project", "evaluation", "strategy", "policy", "framework",
	"assistance", "support", "humanitarian", "emergency", "response", "office", "regional", "country",
	"Ruritania", "Freedonia", "Elbonia", "Genovia", "Latveria",
};
#define NWORDS (sizeof vocabulary / sizeof *vocabulary)

/* A word, the first ones far more often (about Zipf's law), or a number. */
static void random_word(uint64_t *seed, buf *b)
{
	if (xorshift_below(seed, 12) == 0) {
		buf_printf(b, "%u", xorshift_below(seed, 40));
		return;
	}
	uint32_t r = xorshift_below(seed, NWORDS);
	buf_puts(b, vocabulary[xorshift_below(seed, r + 1)]);
}

static void random_sentence(uint64_t *seed, buf *b)
{
	uint32_t n = 3 + xorshift_below(seed, 14);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		random_word(seed, b);
	}
}

/* s with one to three words replaced, dropped or added. */
static void mutate(uint64_t *seed, const char *s, buf *out)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", s);
	char *words[64];
	size_t n = 0;
	for (char *w = strtok(copy, " "); w && n < 60; w = strtok(NULL, " "))
		words[n++] = w;
	uint32_t edits = 1 + xorshift_below(seed, 3);
	char extra[8][32];
	for (uint32_t e = 0; e < edits && n; e++) {
		uint32_t at = xorshift_below(seed, (uint32_t)n), how = xorshift_below(seed, 3);
		buf w = BUF_INIT;
		random_word(seed, &w);
		snprintf(extra[e], sizeof extra[e], "%s", buf_str(&w));
		buf_free(&w);
		if (how == 0)
			words[at] = extra[e];
		else if (how == 1 && n > 1) {
			memmove(&words[at], &words[at + 1], (n - at - 1) * sizeof *words);
			n--;
		} else if (n < 60) {
			memmove(&words[at + 1], &words[at], (n - at) * sizeof *words);
			words[at] = extra[e];
			n++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ' ');
		buf_puts(out, words[i]);
	}
}

static void assert_same_answers(testdb *t, const char *source, int threshold)
{
	arena a = ARENA_INIT;
	tm_query q = { "en", "fr", source, NULL, NULL, threshold, 5 };
	tm_match *x, *y;
	size_t nx, ny;
	tm_stats st;
	char err[200];
	assert_int_equal(tm_fuzzy(store_reader(t->st), &q, &a, &x, &nx, &st, err, sizeof err), 0);
	assert_int_equal(tm_fuzzy_scan(store_reader(t->st), &q, &a, &y, &ny, err, sizeof err), 0);
	assert_int_equal(st.bounded, 0);
	if (nx != ny)
		fail_msg("\"%s\" at %d: %zu results from the index, %zu from the scan", source, threshold, nx, ny);
	for (size_t i = 0; i < nx; i++) {
		if (x[i].id != y[i].id || x[i].score != y[i].score)
			fail_msg("\"%s\" at %d, result %zu: %lld (%d) from the index, %lld (%d) from the scan", source,
				 threshold, i, (long long)x[i].id, x[i].score, (long long)y[i].id, y[i].score);
		assert_true(x[i].score >= threshold);
	}
	arena_free(&a);
}

static void test_index_agrees_with_scan(void **state)
{
	testdb *t = *state;
	uint64_t seed = 20240611;
	enum { UNITS = 3000, QUERIES = 80 };
	char **sources = calloc(UNITS, sizeof *sources);
	store_conn *c = store_begin(t->st);
	tm_batch *b = tm_batch_begin(c);
	char err[200];
	for (int i = 0; i < UNITS; i++) {
		buf s = BUF_INIT, when = BUF_INIT;
		if (i > 10 && xorshift_below(&seed, 3) == 0)
			mutate(&seed, sources[xorshift_below(&seed, (uint32_t)i)], &s);
		else
			random_sentence(&seed, &s);
		buf_printf(&when, "2024-0%u-1%uT00:00:00Z", 1 + xorshift_below(&seed, 9), xorshift_below(&seed, 10));
		tm_unit u = { "en", "fr", buf_str(&s), "cible", NULL, 0, NULL, buf_str(&when), NULL, NULL };
		if (tm_batch_add(b, &u, NULL, err, sizeof err))
			fail_msg("%s", err);
		sources[i] = buf_steal(&s);
		buf_free(&when);
		if (i == UNITS / 2) {
			/* half in one batch, the rest in another: parts appended to */
			assert_int_equal(tm_batch_end(b, err, sizeof err), 0);
			b = tm_batch_begin(c);
		}
	}
	assert_int_equal(tm_batch_end(b, err, sizeof err), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	/* a few one by one: appended to the rows the batches wrote */
	for (int i = 0; i < 20; i++)
		add(t, sources[i], "cible", "2024-12-01T00:00:00Z", NULL, NULL);
	static const int thresholds[] = { 30, 50, 70, 85, 95 };
	for (int qi = 0; qi < QUERIES; qi++) {
		buf s = BUF_INIT;
		if (qi % 4 == 3)
			random_sentence(&seed, &s);
		else
			mutate(&seed, sources[xorshift_below(&seed, UNITS)], &s);
		for (size_t k = 0; k < sizeof thresholds / sizeof *thresholds; k++)
			assert_same_answers(t, buf_str(&s), thresholds[k]);
		buf_free(&s);
	}
	for (int i = 0; i < UNITS; i++)
		free(sources[i]);
	free(sources);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_and_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzzy_order_and_threshold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_once_committed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers_adapted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_agrees_with_scan, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
