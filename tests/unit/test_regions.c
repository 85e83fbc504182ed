/*
 * test_regions — the DAC regions of the countries: every country the table
 * files is a real ISO 3166-1 code (as iso-codes holds them) and filed in a
 * region the table names, every region has its three names and a parent
 * that is itself a region without a parent of its own, the look-up finds
 * each country of the table and nothing else, and the regions of a few
 * countries whose place people argue about are the DAC's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/isocodes.h"
#include "formats/regions.h"

static int iso_has(const iso_countries *all, const char *iso2)
{
	for (size_t i = 0; i < all->n; i++)
		if (!strcmp(all->v[i].iso2, iso2))
			return 1;
	return 0;
}

/* Every country filed is ISO's, in order, once, in a known region; and found by the look-up. */
static void test_countries_are_iso_codes_in_known_regions(void **state)
{
	(void)state;
	iso_countries all;
	char err[200];
	assert_int_equal(isocodes_load_countries(NULL, &all, err, sizeof err), 0);
	const char *prev = "";
	size_t n = 0;
	int region;
	for (const char *c; (c = region_country_at(n, &region)) != NULL; n++) {
		if (!iso_has(&all, c))
			fail_msg("%s is no ISO 3166-1 code", c);
		assert_true(strcmp(prev, c) < 0);   /* sorted, each once: the binary search relies on it */
		assert_true(region_known(region));
		assert_int_equal(region_of_country(c), region);
		prev = c;
	}
	assert_in_range(n, 120, 160);   /* the DAC list holds about 140 */
	/* every ISO code the table does not file belongs to none */
	size_t none = 0;
	for (size_t i = 0; i < all.n; i++)
		none += region_of_country(all.v[i].iso2) == REGION_NONE;
	assert_int_equal(none, all.n - n);
	iso_countries_free(&all);
}

/* Each region named three ways, distinctly in English; a parent is a region that has none itself. */
static void test_regions_have_names_and_parents(void **state)
{
	(void)state;
	static const char *const langs[] = { "en", "fr", "es" };
	size_t n = 0;
	for (int r; (r = region_at(n)) != REGION_NONE; n++) {
		assert_true(region_known(r));
		for (size_t l = 0; l < 3; l++) {
			const char *name = region_name(r, langs[l]);
			assert_non_null(name);
			assert_true(strlen(name) > 3);
		}
		for (size_t k = 0; k < n; k++)
			assert_string_not_equal(region_name(region_at(k), "en"), region_name(r, "en"));
		int parent = region_parent(r);
		if (parent == REGION_NONE)
			continue;
		assert_true(region_known(parent));
		assert_int_not_equal(parent, r);
		assert_int_equal(region_parent(parent), REGION_NONE);
	}
	assert_int_equal(n, 15);   /* IATI's region vocabulary 1, the continents and 998 */
	assert_string_equal(region_name(789, "fr"), "Extrême-Orient");
	assert_string_equal(region_name(289, "es"), "Sur del Sahara");
	assert_string_equal(region_name(298, "de"), "Africa");   /* any other language: English */
	assert_null(region_name(123, "en"));
	assert_false(region_known(REGION_NONE));
	assert_false(region_known(123));
	assert_int_equal(region_parent(123), REGION_NONE);
}

static void test_the_dac_s_regions(void **state)
{
	(void)state;
	static const struct {
		const char *iso2;
		int region, parent;
	} cases[] = {
		{ "PH", 789, 798 }, { "SD", 289, 298 }, { "EG", 189, 298 }, { "MX", 389, 498 }, { "BR", 489, 498 },
		{ "AF", 679, 798 }, { "MM", 679, 798 }, { "GE", 619, 798 }, { "JO", 589, 798 }, { "PS", 589, 798 },
		{ "TR", 89, REGION_NONE }, { "UA", 89, REGION_NONE }, { "FJ", 889, REGION_NONE }, { "HT", 389, 498 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(region_of_country(cases[i].iso2), cases[i].region);
		assert_int_equal(region_parent(cases[i].region), cases[i].parent);
	}
	/* not ODA recipients, or not codes */
	static const char *const none[] = { "FR", "CH", "US", "JP", "CL", "UY", "SA", "", "P", "PHL", "ph", NULL };
	for (size_t i = 0; none[i]; i++)
		assert_int_equal(region_of_country(none[i]), REGION_NONE);
	assert_int_equal(region_of_country(NULL), REGION_NONE);
	assert_int_equal(region_parent(998), REGION_NONE);
	assert_int_equal(region_parent(689), 798);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countries_are_iso_codes_in_known_regions),
		cmocka_unit_test(test_regions_have_names_and_parents),
		cmocka_unit_test(test_the_dac_s_regions),
	};
	return cmocka_run_group_tests_name("regions", tests, NULL, NULL);
}
