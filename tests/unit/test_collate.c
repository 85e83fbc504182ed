/*
 * Tests for collate: names in the order each language's readers expect
 * (French accents with their letter, Spanish Ñ after N, case apart from
 * order), not in the order of their bytes, and equal names left as given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/collate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_order(const char *lang, const char *const *in, size_t n, const char *const *want)
{
	size_t order[16];
	assert_int_equal(collate_order(lang, in, n, order), 0);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(in[order[i]], want[i]);
}

static void test_french_accents_sort_with_their_letter(void **state)
{
	(void)state;
	const char *in[] = { "Zambie", "États-Unis d'Amérique", "Égypte", "Allemagne", "Eswatini", "Émirats arabes unis" };
	const char *want[] = { "Allemagne", "Égypte", "Émirats arabes unis", "Eswatini", "États-Unis d'Amérique", "Zambie" };
	assert_order("fr", in, N(in), want);
}

static void test_spanish_enye_comes_after_n(void **state)
{
	(void)state;
	const char *in[] = { "Omán", "Ñandutí", "Nicaragua", "Namibia", "Níger" };
	const char *want[] = { "Namibia", "Nicaragua", "Níger", "Ñandutí", "Omán" };
	assert_order("es", in, N(in), want);
}

static void test_case_does_not_order_before_letters(void **state)
{
	(void)state;
	const char *in[] = { "barbados", "Bahamas", "Bélgica", "belice" };
	const char *want[] = { "Bahamas", "barbados", "Bélgica", "belice" };
	assert_order("es", in, N(in), want);
}

static void test_equal_names_keep_their_order_and_empty_comes_first(void **state)
{
	(void)state;
	const char *in[] = { "Chile", "", "Chile", "Canadá" };
	size_t order[4];
	assert_int_equal(collate_order("es", in, 4, order), 0);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);  /* the first Chile before the second */
	assert_int_equal(order[3], 2);
}

static void test_english_is_not_byte_order(void **state)
{
	(void)state;
	const char *in[] = { "Zimbabwe", "Åland Islands", "Afghanistan", "Côte d'Ivoire", "Cuba" };
	const char *want[] = { "Afghanistan", "Åland Islands", "Côte d'Ivoire", "Cuba", "Zimbabwe" };
	assert_order("en", in, N(in), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_french_accents_sort_with_their_letter),
		cmocka_unit_test(test_spanish_enye_comes_after_n),
		cmocka_unit_test(test_case_does_not_order_before_letters),
		cmocka_unit_test(test_equal_names_keep_their_order_and_empty_comes_first),
		cmocka_unit_test(test_english_is_not_byte_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
