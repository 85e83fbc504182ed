/*
 * test_tmscore — the translation memory's scorer: what a token is, scores
 * as OmegaT computes them by hand, the banded edit distance against the full
 * table on random sequences, the fewest shared tokens a threshold needs
 * against the score itself, the marks of what differs, and a suggestion's
 * numbers and codes brought to the query's.
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
#include "search/tmscore.h"

/* The score of two segments, as the memory computes it for segments without numbers. */
static int score_of(const char *a, const char *b)
{
	tm_tokens x = TM_TOKENS_INIT, y = TM_TOKENS_INIT;
	assert_int_equal(tm_tokenize(a, strlen(a), &x, NULL), 0);
	assert_int_equal(tm_tokenize(b, strlen(b), &y, NULL), 0);
	uint64_t kx[64], ky[64];
	tm_keys(&x, kx, 1);
	tm_keys(&y, ky, 1);
	long d = tm_distance(kx, x.n, ky, y.n, 1000);
	int s = tm_score(x.n, y.n, (size_t)d);
	tm_tokens_free(&x);
	tm_tokens_free(&y);
	return s;
}

static void test_omegat_scores(void **state)
{
	(void)state;
	/* 3 tokens, 1 substitution: 100 * 2 / 3 = 66.7 */
	assert_int_equal(score_of("The Council decides", "the Council decided"), 67);
	/* identical once folded: case and punctuation are no tokens' difference */
	assert_int_equal(score_of("The Council decides.", "the council DECIDES"), 100);
	/* 5 against 4 tokens, one deleted: 100 * 4 / 5 */
	assert_int_equal(score_of("The Council decides to adopt", "The Council decides adopt"), 80);
	/* 9 tokens, 2 replaced: 100 * 7 / 9 = 77.8 */
	assert_int_equal(score_of("The Executive Committee adopted the report on its session",
				  "The Standing Committee adopted the report of its session"), 78);
	/* 7 against 3, nothing shared */
	assert_int_equal(score_of("a b c", "d e f g h i j"), 0);
	/* 2 of 3 replaced: 33.3 */
	assert_int_equal(score_of("x y z", "x b c"), 33);
	/* one of 8 (87.5 rounds up) */
	assert_int_equal(score_of("one two three four five six seven eight", "one two three four five six seven nine"), 88);
	/* accents are kept: a change the translator must make */
	assert_int_equal(score_of("informe público", "informe publico"), 50);
	assert_int_equal(score_of("INFORME PÚBLICO", "informe público"), 100);
	assert_int_equal(score_of("ÉTÉ ÇA ÑANDÚ ŁÓDŹ", "été ça ñandú łódź"), 100);
	/* folding, not lower case: ß is ss, ſ is s */
	assert_int_equal(score_of("STRASSE", "straße"), 100);
	assert_int_equal(score_of("ſeas", "SEAS"), 100);
	/* NFC: a composed and a decomposed é are one letter */
	assert_int_equal(score_of("r\xc3\xa9sum\xc3\xa9", "re\xcc\x81sume\xcc\x81"), 100);
}

static void test_tokens(void **state)
{
	(void)state;
	const char *s = "Paragraph 12 of C/115/1: 1,000.50 francs, <g1>bold</g1>{0} %s.";
	tm_tokens t = TM_TOKENS_INIT;
	assert_int_equal(tm_tokenize(s, strlen(s), &t, NULL), 0);
	const char *want[] = { "Paragraph", "12", "of", "C", "115", "1", "1,000.50", "francs", "<g1>", "bold", "</g1>",
			       "{0}", "%s" };
	const tm_kind kinds[] = { TM_WORD, TM_NUMBER, TM_WORD, TM_WORD, TM_NUMBER, TM_NUMBER, TM_NUMBER, TM_WORD,
				  TM_CODE, TM_WORD, TM_CODE, TM_CODE, TM_CODE };
	assert_int_equal(t.n, sizeof want / sizeof *want);
	for (size_t i = 0; i < t.n; i++) {
		assert_int_equal(t.v[i].len, strlen(want[i]));
		assert_memory_equal(s + t.v[i].off, want[i], t.v[i].len);
		assert_int_equal(t.v[i].kind, kinds[i]);
		assert_int_equal(tm_key_adaptable(t.v[i].key), kinds[i] != TM_WORD);
		if (kinds[i] == TM_WORD)
			assert_true(t.v[i].key == t.v[i].literal);
	}
	/* numbers share a key, keep their literal; tags by kind, not number */
	assert_true(t.v[1].key == t.v[4].key && t.v[1].literal != t.v[4].literal);
	assert_true(t.v[8].key != t.v[10].key);
	tm_tokens g = TM_TOKENS_INIT;
	assert_int_equal(tm_tokenize("<g7>x</g7>", 10, &g, NULL), 0);
	assert_true(g.v[0].key == t.v[8].key && g.v[0].literal != t.v[8].literal);
	tm_tokens_free(&g);
	tm_tokens_free(&t);

	/* a broken sequence is refused at its byte */
	size_t at = 0;
	assert_int_equal(tm_tokenize("good \xc3(", 7, &t, &at), -1);
	assert_int_equal(at, 5);
	tm_tokens_free(&t);
	assert_int_equal(tm_tokenize("", 0, &t, NULL), 0);
	assert_int_equal(t.n, 0);
	tm_tokens_free(&t);
}

static void test_normalize(void **state)
{
	(void)state;
	const char *spaced = "  The\xc2\xa0" "Council\n\t decides  ";
	char *n = tm_normalize(spaced, strlen(spaced));
	assert_string_equal(n, "The Council decides");
	free(n);
	n = tm_normalize("Re\xcc\x81sume\xcc\x81", 10);
	assert_string_equal(n, "R\xc3\xa9sum\xc3\xa9");
	free(n);
	assert_null(tm_normalize("\xff", 1));
	assert_true(tm_hash("a", 1) != tm_hash("A", 1));
}

/* The Levenshtein distance by the whole table. */
static size_t full_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m)
{
	size_t *d = malloc((n + 1) * (m + 1) * sizeof *d);
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			if (!i || !j) {
				d[i * (m + 1) + j] = i + j;
				continue;
			}
			size_t v = d[(i - 1) * (m + 1) + j - 1] + (a[i - 1] != b[j - 1]);
			size_t up = d[(i - 1) * (m + 1) + j] + 1, left = d[i * (m + 1) + j - 1] + 1;
			d[i * (m + 1) + j] = v < up ? (v < left ? v : left) : (up < left ? up : left);
		}
	size_t r = d[n * (m + 1) + m];
	free(d);
	return r;
}

static void test_banded_distance(void **state)
{
	(void)state;
	uint64_t seed = 42;
	uint64_t a[300], b[300];
	for (int round = 0; round < 3000; round++) {
		size_t n = xorshift_below(&seed, round < 2900 ? 40 : 300), m = xorshift_below(&seed, round < 2900 ? 40 : 300);
		uint32_t alphabet = 1 + xorshift_below(&seed, 6);
		for (size_t i = 0; i < n; i++)
			a[i] = xorshift_below(&seed, alphabet);
		for (size_t j = 0; j < m; j++)
			b[j] = xorshift_below(&seed, alphabet);
		size_t want = full_distance(a, n, b, m), cap = xorshift_below(&seed, 50);
		long got = tm_distance(a, n, b, m, cap);
		assert_int_equal(got, want <= cap ? (long)want : (long)cap + 1);
		assert_int_equal(tm_distance(a, n, b, m, 1000), want);
	}
}

static void test_min_common(void **state)
{
	(void)state;
	for (size_t longer = 1; longer <= 120; longer++)
		for (int t = 1; t <= 100; t++) {
			size_t c = tm_min_common(longer, t);
			assert_true(c <= longer);
			assert_true(tm_score(longer, longer, longer - c) >= t);
			if (c > 0)
				assert_true(tm_score(longer, longer, longer - c + 1) < t);
		}
	assert_int_equal(tm_min_common(3, 67), 2);
	assert_int_equal(tm_min_common(3, 68), 3);
	assert_int_equal(tm_min_common(10, 50), 5);
}

/* The marks of cand against query as "op:cand>query" words. */
static void assert_marks(const char *query, const char *cand, const char *want)
{
	tm_tokens q = TM_TOKENS_INIT, c = TM_TOKENS_INIT;
	tm_tokenize(query, strlen(query), &q, NULL);
	tm_tokenize(cand, strlen(cand), &c, NULL);
	tm_mark *marks;
	size_t n;
	assert_int_equal(tm_marks(&q, &c, &marks, &n), 0);
	char got[512] = "";
	for (size_t i = 0; i < n; i++) {
		char one[128];
		const char *op = marks[i].op == TM_REPLACE ? "R" : marks[i].op == TM_DELETE ? "D" : "I";
		snprintf(one, sizeof one, "%s:%.*s@%u>%.*s ", op, (int)marks[i].cand_len, cand + marks[i].cand_off,
			 marks[i].cand_off, (int)marks[i].query_len, query + marks[i].query_off);
		strcat(got, one);
	}
	assert_string_equal(got, want);
	free(marks);
	tm_tokens_free(&q);
	tm_tokens_free(&c);
}

static void test_marks(void **state)
{
	(void)state;
	assert_marks("The Council decides", "the Council decided", "R:decided@12>decides ");
	assert_marks("The Council decides", "The Council decides", "");
	assert_marks("The Council decides to adopt", "The Council adopt", "I:@12>decides I:@12>to ");
	assert_marks("The Council adopts", "The Executive Council adopts", "D:Executive@4> ");
	assert_marks("paragraph 12", "paragraph 15", "R:15@10>12 ");
	assert_marks("a b", "", "I:@0>a I:@0>b ");
	assert_marks("a b c", "a b", "I:@3>c ");
}

/* tm_adapt of a unit (source, target) to the query: the new target, or NULL. */
static void assert_adapted(const char *query, const char *source, const char *target, int want_rc,
			   const char *want)
{
	tm_tokens q = TM_TOKENS_INIT, c = TM_TOKENS_INIT;
	tm_tokenize(query, strlen(query), &q, NULL);
	tm_tokenize(source, strlen(source), &c, NULL);
	char *out = NULL;
	assert_int_equal(tm_adapt(query, &q, &c, target, strlen(target), &out), want_rc);
	if (want)
		assert_string_equal(out, want);
	else
		assert_null(out);
	free(out);
	tm_tokens_free(&q);
	tm_tokens_free(&c);
}

static void test_adapt(void **state)
{
	(void)state;
	assert_adapted("See paragraph 12.", "See paragraph 15.", "Voir le paragraphe 15.", 1, "Voir le paragraphe 12.");
	/* by position, replaced at once: 12 becomes 15 while 15 becomes 16 */
	assert_adapted("paragraphs 15 and 16", "paragraphs 12 and 15", "párrafos 12 y 15", 1, "párrafos 15 y 16");
	assert_adapted("{1} documents of <g3>C/115/2</g3>", "{0} documents of <g1>C/115/1</g1>",
		       "{0} documents de <g1>C/115/1</g1>", 1, "{1} documents de <g3>C/115/2</g3>");
	assert_adapted("1,000.50 francs", "2,500.00 francs", "2,500.00 francs", 1, "1,000.50 francs");
	/* nothing to adapt */
	assert_adapted("paragraph 12", "paragraph 12", "paragraphe 12", 0, NULL);
	/* the value is not in the target: cannot */
	assert_adapted("paragraph 12", "paragraph 15", "paragraphe quinze", -1, NULL);
	/* one value would become two */
	assert_adapted("items 1 and 2", "items 3 and 3", "points 3 et 3", -1, NULL);
	/* a word differs: not a question of numbers */
	assert_adapted("chapter 12", "paragraph 15", "paragraphe 15", -1, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_omegat_scores),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_banded_distance),
		cmocka_unit_test(test_min_common),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_adapt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
