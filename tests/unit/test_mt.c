/*
 * test_mt — machine translation suggestions.  With stand-ins for Apertium
 * (small shell scripts in a scratch folder, always run): a segment goes
 * there and back unchanged, codes and characters HTML gives meaning to
 * included; codes the program dropped come back at the end; a program
 * too slow, too talkative, failing, missing or not reading is stopped and
 * named, with the calling process unharmed, from several threads at once.
 * With the real Apertium (skipped when it is not installed): each pair
 * Debian has, English-French through Spanish, codes kept untranslated, and
 * unknown words marked only when asked.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xorshift.h"
#include "formats/inline.h"
#include "formats/mt.h"

static char scratch[] = "/tmp/liaison-mt-XXXXXX";
static char program[256];

/* A stand-in for apertium: a script of body, with a data folder holding
 * the modes of every pair so that the route is found. */
static void stand_in(const char *body)
{
	snprintf(program, sizeof program, "%s/apertium", scratch);
	FILE *f = fopen(program, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(program, 0755);
}

static mt_options stand_in_options(int timeout_ms)
{
	return (mt_options){ .program = program, .data_dir = scratch, .timeout_ms = timeout_ms };
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(scratch))
		return -1;
	char path[512];
	snprintf(path, sizeof path, "%s/modes", scratch);
	mkdir(path, 0755);
	static const char *modes[] = { "eng-spa", "spa-eng", "fr-es", "es-fr" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/modes/%s.mode", scratch, modes[i]);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fclose(f);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static mt_error translate(const mt_options *o, const char *from, const char *to, const char *text, mt_result *r)
{
	size_t at = 99;
	mt_error e = mt_translate(o, from, to, text, strlen(text), r, &at);
	assert_int_equal(at, 0);
	if (e != MT_OK)
		assert_null(r->text);
	return e;
}

/* ---- with stand-ins -------------------------------------------------------- */

/* Random segments of words, codes and the characters HTML reads (& < > ;
 * "&amp;" as text) come back from a program that echoes its input exactly
 * as they went. */
static void test_round_trip(void **state)
{
	(void)state;
	stand_in("exec cat");
	mt_options o = stand_in_options(5000);
	static const char *parts[] = { "The Council ", "<g1>", "</g1>", "<x2/>", "{0}", "{name}", "%s", "%1$s",
				       "a < b", " & ", "&amp;", "&#233;", "<c1/>", "é ", "\xe2\x80\xaf", "\n", "x > y;" };
	uint64_t seed = 0xfeedbeef;
	for (int round = 0; round < 40; round++) {
		buf text = BUF_INIT;
		for (int k = (int)xorshift_below(&seed, 10); k >= 0; k--)
			buf_puts(&text, parts[xorshift_below(&seed, sizeof parts / sizeof *parts)]);
		mt_result r;
		assert_int_equal(translate(&o, "en", "es", buf_str(&text), &r), MT_OK);
		assert_int_equal(r.len, text.len);
		assert_memory_equal(r.text, buf_str(&text), text.len);
		assert_int_equal(r.pivot, 0);
		mt_result_free(&r);
		/* Through Spanish: two runs, the same text. */
		assert_int_equal(translate(&o, "en", "fr", buf_str(&text), &r), MT_OK);
		assert_string_equal(r.text, buf_str(&text));
		assert_int_equal(r.pivot, 1);
		mt_result_free(&r);
		buf_free(&text);
	}
}

/* A program that loses every code, or repeats one: each comes back once. */
static void test_lost_codes_restored(void **state)
{
	(void)state;
	const char *src = "The <g1>Council</g1> decided {0} <x2/>.";
	mt_options o = stand_in_options(5000);
	mt_result r;
	stand_in("exec sed 's|<c[0-9]*/>||g'");
	assert_int_equal(translate(&o, "en", "es", src, &r), MT_OK);
	assert_string_equal(r.text, "The Council decided  .<g1></g1>{0}<x2/>");
	assert_int_equal(inline_same(src, strlen(src), r.text, r.len, NULL, 0), 1);
	mt_result_free(&r);
	stand_in("exec sed 's|<c3/>|<c3/><c3/><c9/>|'");
	assert_int_equal(translate(&o, "es", "en", src, &r), MT_OK);
	assert_string_equal(r.text, src);
	mt_result_free(&r);
}

static long long elapsed_ms(const struct timespec *since)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - since->tv_sec) * 1000LL + (t.tv_nsec - since->tv_nsec) / 1000000;
}

static void test_runs_stopped(void **state)
{
	(void)state;
	mt_result r;
	struct timespec t0;

	/* Too slow: the whole group is killed at the time allowed, its child "sleep" with it. */
	stand_in("cat >/dev/null; sleep 30; echo late");
	mt_options o = stand_in_options(300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(translate(&o, "fr", "es", "Le Conseil", &r), MT_TIMEOUT);
	assert_true(elapsed_ms(&t0) < 5000);

	/* Too talkative. */
	stand_in("exec yes 'El Consejo'");
	o = stand_in_options(5000);
	o.output_max = 4096;
	assert_int_equal(translate(&o, "fr", "es", "Le Conseil", &r), MT_TOO_LONG);

	/* Failing, after an answer. */
	stand_in("cat; exit 3");
	o = stand_in_options(5000);
	assert_int_equal(translate(&o, "es", "fr", "El Consejo", &r), MT_FAILED);

	/* Not reading a long text: a write to no reader fails the run, not the process. */
	stand_in("exit 0");
	buf big = BUF_INIT;
	for (int i = 0; i < 20000; i++)
		buf_puts(&big, "The Council decided. ");
	assert_int_equal(translate(&o, "en", "es", big.data, &r), MT_FAILED);
	buf_free(&big);

	/* Missing. */
	o.program = "/nonexistent/apertium";
	assert_int_equal(translate(&o, "en", "es", "The Council", &r), MT_START);
}

static void test_refusals(void **state)
{
	(void)state;
	stand_in("exec cat");
	mt_options o = stand_in_options(5000);
	mt_result r = { (char *)1, 1, 1 };
	size_t at;
	assert_int_equal(mt_translate(&o, "en", "de", "x", 1, &r, &at), MT_LANGUAGE);
	assert_null(r.text);
	assert_int_equal(mt_translate(&o, "es", "es", "x", 1, &r, &at), MT_LANGUAGE);
	assert_int_equal(mt_translate(&o, NULL, "es", "x", 1, &r, &at), MT_LANGUAGE);
	assert_int_equal(mt_translate(&o, "en", "es", "The Cons\xc3il", 12, &r, &at), MT_UTF8);
	assert_int_equal(at, 8);
	assert_int_equal(mt_translate(&o, "en", "es", "The\0Council", 11, &r, &at), MT_UTF8);
	assert_int_equal(at, 3);

	/* A data folder without pairs: no route, even through Spanish. */
	mt_options none = { .data_dir = "/nonexistent/apertium" };
	int pivot = 7;
	assert_int_equal(mt_route(&none, "en", "es", &pivot), MT_NO_PAIR);
	assert_int_equal(pivot, 0);
	assert_int_equal(mt_translate(&none, "en", "fr", "x", 1, &r, &at), MT_NO_PAIR);
	assert_int_equal(mt_route(&o, "fr", "en", &pivot), MT_OK);
	assert_int_equal(pivot, 1);
	assert_int_equal(mt_route(&o, "es", "fr", &pivot), MT_OK);
	assert_int_equal(pivot, 0);
	for (int e = MT_OK + 1; e < MT_ERRORS; e++)
		assert_string_not_equal(mt_error_message((mt_error)e), "");
}

static void *translate_many(void *arg)
{
	mt_options o = stand_in_options(10000);
	char text[64];
	for (int i = 0; i < 10; i++) {
		snprintf(text, sizeof text, "Segment <g1>%d</g1> of thread {%d}.", i, (int)(uintptr_t)arg);
		mt_result r;
		if (mt_translate(&o, "en", "es", text, strlen(text), &r, NULL) != MT_OK || strcmp(r.text, text) != 0)
			return (void *)1;
		mt_result_free(&r);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	stand_in("exec cat");
	pthread_t th[4];
	for (uintptr_t t = 0; t < 4; t++)
		assert_int_equal(pthread_create(&th[t], NULL, translate_many, (void *)t), 0);
	for (int t = 0; t < 4; t++) {
		void *failed;
		pthread_join(th[t], &failed);
		assert_null(failed);
	}
}

/* ---- with Apertium ------------------------------------------------------------- */

static int apertium_installed(void)
{
	if (system("command -v apertium >/dev/null 2>&1") != 0 || mt_route(NULL, "en", "es", NULL) != MT_OK ||
	    mt_route(NULL, "fr", "es", NULL) != MT_OK) {
		fprintf(stderr, "apertium with its en-es and fr-es pairs is not installed: run tools/setup\n");
		return 0;
	}
	return 1;
}

/* The suggestion for text holds every one of words. */
static void assert_suggests(const char *from, const char *to, const char *text, int pivot, const char *const *words)
{
	mt_result r;
	assert_int_equal(translate(NULL, from, to, text, &r), MT_OK);
	assert_int_equal(r.pivot, pivot);
	for (; *words; words++)
		if (!strstr(r.text, *words))
			fail_msg("%s-%s: \"%s\" not in \"%s\"", from, to, *words, r.text);
	assert_int_equal(inline_same(text, strlen(text), r.text, r.len, NULL, 0), 1);
	mt_result_free(&r);
}

static void test_apertium_pairs(void **state)
{
	(void)state;
	if (!apertium_installed())
		skip();
	assert_suggests("en", "es", "The Council approved the report.", 0, (const char *[]){ "Consejo", "informe", NULL });
	assert_suggests("es", "en", "El Consejo aprobó el informe.", 0, (const char *[]){ "Council", "report", NULL });
	assert_suggests("fr", "es", "Le Conseil a approuvé le rapport.", 0, (const char *[]){ "Consejo", "informe", NULL });
	assert_suggests("es", "fr", "El Consejo aprobó el informe.", 0, (const char *[]){ "Conseil", "rapport", NULL });
	assert_suggests("en", "fr", "The Council approved the report.", 1, (const char *[]){ "Conseil", "rapport", NULL });
	assert_suggests("fr", "en", "Le Conseil a approuvé le rapport.", 1, (const char *[]){ "Council", "report", NULL });
	/* Codes untranslated ("{name}" is no word to translate), HTML's characters kept. */
	assert_suggests("en", "es", "The <g1>Council</g1> approved {name} and %s <x2/>: 5 < 7 & 8 > 2.", 0,
			(const char *[]){ "<g1>Consejo</g1>", "{name}", "%s", "<x2/>", "5 < 7 & 8 > 2", NULL });
}

static void test_apertium_unknown_words(void **state)
{
	(void)state;
	if (!apertium_installed())
		skip();
	mt_result r;
	assert_int_equal(translate(NULL, "en", "es", "The Councl approved the report.", &r), MT_OK);
	assert_null(strchr(r.text, '*'));
	assert_non_null(strstr(r.text, "Councl"));
	mt_result_free(&r);
	mt_options marked = { .mark_unknown = 1 };
	assert_int_equal(translate(&marked, "en", "es", "The Councl approved the report.", &r), MT_OK);
	assert_non_null(strstr(r.text, "*Councl"));
	mt_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_lost_codes_restored),
		cmocka_unit_test(test_runs_stopped),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_apertium_pairs),
		cmocka_unit_test(test_apertium_unknown_words),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
