/*
 * Tests for myers: the edit script between two sequences is a correct one
 * (the elements left unmarked on both sides are equal, in order) and the
 * shortest (as many kept as the longest common subsequence, counted by the
 * textbook quadratic table), over many random pairs; and under a cap or a
 * spent budget it is still correct, only longer, and says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/myers.h"
#include "core/xorshift.h"

#define MAX 60

static uint64_t rng = 0x853C49E6748FEA9Bu;

/* The longest common subsequence's length, by the quadratic table. */
static size_t lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	static size_t t[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++)
			t[i][j] = !i || !j ? 0 : a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1
						 : t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
	return t[n][m];
}

/* The elements kept on each side, which must be the same sequence; their count. */
static size_t kept(const uint32_t *a, size_t n, const unsigned char *del, const uint32_t *b, size_t m,
		   const unsigned char *ins)
{
	size_t i = 0, j = 0, same = 0;
	for (;;) {
		while (i < n && del[i])
			i++;
		while (j < m && ins[j])
			j++;
		if (i == n || j == m)
			break;
		assert_int_equal(a[i], b[j]);
		i++, j++, same++;
	}
	while (i < n)
		assert_true(del[i++]);   /* nothing kept on one side is left without its match */
	while (j < m)
		assert_true(ins[j++]);
	return same;
}

static void random_sequence(uint32_t *v, size_t n, uint32_t letters)
{
	for (size_t i = 0; i < n; i++)
		v[i] = xorshift_below(&rng, letters);
}

static void the_script_is_the_shortest(void **state)
{
	(void)state;
	uint32_t a[MAX], b[MAX];
	unsigned char del[MAX], ins[MAX];
	for (int round = 0; round < 20000; round++) {
		size_t n = xorshift_below(&rng, MAX + 1), m = xorshift_below(&rng, MAX + 1);
		uint32_t letters = 1 + xorshift_below(&rng, 6);
		random_sequence(a, n, letters);
		if (round % 2) {   /* half of them a revision of a, as texts mostly are */
			m = n;
			memcpy(b, a, n * sizeof *a);
			for (int e = xorshift_below(&rng, 4); e > 0 && m; e--)
				b[xorshift_below(&rng, (uint32_t)m)] = xorshift_below(&rng, letters + 2);
		} else {
			random_sequence(b, m, letters);
		}
		memset(del, 0, sizeof del);
		memset(ins, 0, sizeof ins);
		myers_bound unbounded = { 0, UINT64_MAX };
		assert_int_equal(myers_diff(a, n, b, m, del, ins, &unbounded), 0);
		assert_int_equal(kept(a, n, del, b, m, ins), lcs(a, n, b, m));
	}
}

static void past_a_bound_the_script_is_correct_and_says_so(void **state)
{
	(void)state;
	uint32_t a[MAX], b[MAX];
	unsigned char del[MAX], ins[MAX];
	int cut = 0;
	for (int round = 0; round < 5000; round++) {
		size_t n = 1 + xorshift_below(&rng, MAX), m = 1 + xorshift_below(&rng, MAX);
		random_sequence(a, n, 3);
		random_sequence(b, m, 3);
		memset(del, 0, sizeof del);
		memset(ins, 0, sizeof ins);
		myers_bound tight = { round % 2 ? 2 : 0, round % 2 ? UINT64_MAX : xorshift_below(&rng, 40) };
		int rc = myers_diff(a, n, b, m, del, ins, &tight);
		assert_true(rc == 0 || rc == 1);
		cut += rc;
		size_t same = kept(a, n, del, b, m, ins);
		assert_true(same <= lcs(a, n, b, m));
		if (rc == 0)
			assert_int_equal(same, lcs(a, n, b, m));
	}
	assert_true(cut > 1000);   /* the bounds were reached, not only allowed */
}

static void empty_and_equal_sequences(void **state)
{
	(void)state;
	uint32_t a[] = { 1, 2, 3 };
	unsigned char del[4] = { 0 }, ins[4] = { 0 };
	myers_bound b = { 0, 1000 };
	assert_int_equal(myers_diff(a, 3, a, 3, del, ins, &b), 0);
	assert_int_equal(del[0] + del[1] + del[2] + ins[0] + ins[1] + ins[2], 0);
	assert_int_equal(myers_diff(a, 0, a, 3, del, ins, &b), 0);
	assert_int_equal(ins[0] + ins[1] + ins[2], 3);
	memset(ins, 0, sizeof ins);
	assert_int_equal(myers_diff(a, 3, a, 0, del, ins, &b), 0);
	assert_int_equal(del[0] + del[1] + del[2], 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_script_is_the_shortest),
		cmocka_unit_test(past_a_bound_the_script_is_correct_and_says_so),
		cmocka_unit_test(empty_and_equal_sequences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
