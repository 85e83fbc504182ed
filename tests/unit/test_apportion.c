/*
 * test_apportion — an amount cut into parts by weights (core/apportion.h),
 * parts of one key added up (core/tally.h), and an IATI transaction cut over its activity's sectors and places
 * (domains/donors/iati.c's iati_split): over generated amounts and
 * weights, the parts always add up to the whole, none is further than one
 * unit from its exact share, a larger weight never gets less, refunds cut
 * as their size; and the split follows IATI's rules (the transaction's own
 * sector or country takes its side whole, a group without percentages
 * shares equally, the DAC 5-digit vocabulary first).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apportion.h"
#include "core/tally.h"
#include "core/xorshift.h"
#include "domains/donors/donors.h"

static int64_t sum_of(const int64_t *v, size_t n)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

static void test_thirds(void **state)
{
	(void)state;
	int64_t w[] = { 3333, 3333, 3334 }, parts[3];
	assert_int_equal(apportion(10000, w, 3, parts), 0);
	assert_int_equal(parts[0], 3333);
	assert_int_equal(parts[1], 3333);
	assert_int_equal(parts[2], 3334);
	int64_t equal[] = { 1, 1, 1 };
	assert_int_equal(apportion(100, equal, 3, parts), 0);   /* 33.33...: the spare unit to the first */
	assert_int_equal(parts[0], 34);
	assert_int_equal(parts[1], 33);
	assert_int_equal(parts[2], 33);
	assert_int_equal(apportion(-100, equal, 3, parts), 0);   /* a refund, cut as its size */
	assert_int_equal(parts[0], -34);
	assert_int_equal(parts[2], -33);
}

static void test_refused(void **state)
{
	(void)state;
	int64_t parts[2] = { 7, 7 }, zero[] = { 0, 0 }, negative[] = { 5, -1 }, huge[] = { INT64_MAX, 1 };
	assert_int_equal(apportion(10, zero, 2, parts), -1);
	assert_int_equal(apportion(10, negative, 2, parts), -1);
	assert_int_equal(apportion(10, huge, 2, parts), -1);
	assert_int_equal(apportion(10, zero, 0, parts), -1);
	assert_int_equal(parts[0], 7);   /* untouched */
}

static void test_extremes(void **state)
{
	(void)state;
	int64_t w[] = { 100000000, 1, 99999999 }, parts[3];
	assert_int_equal(apportion(INT64_MAX, w, 3, parts), 0);
	assert_int_equal(sum_of(parts, 3), INT64_MAX);
	assert_int_equal(apportion(INT64_MIN, w, 3, parts), 0);
	uint64_t size = 0;
	for (int i = 0; i < 3; i++)
		size += (uint64_t)0 - (uint64_t)parts[i];
	assert_true(size == (uint64_t)1 << 63);
	int64_t one[] = { 5 };
	assert_int_equal(apportion(INT64_MIN, one, 1, parts), 0);
	assert_true(parts[0] == INT64_MIN);
}

/* Over generated cases: the whole kept, each part within one unit of its exact share, order kept. */
static void test_generated(void **state)
{
	(void)state;
	uint64_t rng = 0x5DEECE66Du;
	for (int round = 0; round < 20000; round++) {
		size_t n = 1 + xorshift_below(&rng, 40);
		int64_t w[40], parts[40];
		for (size_t i = 0; i < n; i++)
			w[i] = xorshift_below(&rng, 4) ? xorshift_below(&rng, 10001) : 0;
		w[xorshift_below(&rng, (uint32_t)n)] += 1;
		int64_t total = ((int64_t)xorshift_below(&rng, 1u << 31) << xorshift_below(&rng, 31)) *
				(xorshift_below(&rng, 5) ? 1 : -1);
		assert_int_equal(apportion(total, w, n, parts), 0);
		assert_true(sum_of(parts, n) == total);
		long double wsum = 0;
		for (size_t i = 0; i < n; i++)
			wsum += w[i];
		for (size_t i = 0; i < n; i++) {
			long double exact = (long double)total * w[i] / wsum;
			assert_true(parts[i] - exact < 1.0001L && exact - parts[i] < 1.0001L);
			if (w[i] == 0)
				assert_true(parts[i] == 0);
			for (size_t j = 0; j < n; j++)
				if (w[i] > w[j])
					assert_true(total >= 0 ? parts[i] >= parts[j] : parts[i] <= parts[j]);
		}
	}
}

/* ---- items of one key added up ---- */

typedef struct item {
	int key;
	int64_t amount;
} item;

static int by_key(const void *a, const void *b)
{
	return (((const item *)a)->key > ((const item *)b)->key) - (((const item *)a)->key < ((const item *)b)->key);
}

static void test_tally(void **state)
{
	(void)state;
	uint64_t rng = 42;
	item v[500];
	int64_t want[10] = { 0 };
	for (int i = 0; i < 500; i++) {
		v[i] = (item){ (int)xorshift_below(&rng, 10), (int64_t)xorshift_below(&rng, 1000000) - 500000 };
		want[v[i].key] += v[i].amount;
	}
	long n = tally(v, 500, sizeof *v, by_key, offsetof(item, amount));
	assert_int_equal(n, 10);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(v[i].key, i);
		assert_true(v[i].amount == want[i]);
	}
	item over[] = { { 1, INT64_MAX }, { 2, 5 }, { 1, 1 } };
	assert_int_equal(tally(over, 3, sizeof *over, by_key, offsetof(item, amount)), -1);
	assert_int_equal(tally(over, 0, sizeof *over, by_key, offsetof(item, amount)), 0);
}

/* ---- the split of a transaction ---- */

static const iati_sector three_sectors[] = {
	{ "15190", "1", 3333, 0 }, { "16010", "1", 3333, 0 }, { "72010", "1", 3334, 0 }, { "151", "2", 10000, 0 },
};
static const iati_country two_countries[] = { { "PH", 5000, 0 }, { "VN", 3000, 0 } };
static const iati_region one_region[] = { { "298", "1", 2000, 0 } };

static iati_activity activity(void)
{
	iati_activity a = { .identifier = "XM-NL-1-MIG-001", .reporting_org = { .ref = "XM-NL-1" } };
	a.sectors = three_sectors;
	a.nsectors = 4;
	a.countries = two_countries;
	a.ncountries = 2;
	a.regions = one_region;
	a.nregions = 1;
	return a;
}

static iati_transaction transaction(const char *type, int64_t minor)
{
	iati_transaction t = { .type = type, .sector_code = "", .sector_vocabulary = "1", .recipient_country = "" };
	t.value.minor = minor;
	memcpy(t.value.currency, "EUR", 4);
	return t;
}

static int64_t part_sum(const funding_parts *p, const char *sector, const char *country)
{
	int64_t s = 0;
	for (size_t i = 0; i < p->n; i++)
		if ((!sector || !strcmp(p->v[i].sector, sector)) && (!country || !strcmp(p->v[i].country, country)))
			s += p->v[i].amount;
	return s;
}

static void test_split_shares(void **state)
{
	(void)state;
	iati_activity a = activity();
	iati_transaction t = transaction("3", 10000001);
	funding_parts p = { 0 };
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 9);   /* three DAC 5-digit sectors (vocabulary 2 left out) by three places */
	assert_true(part_sum(&p, NULL, NULL) == 10000001);
	/* each side's total within a unit or so of its share of the whole */
	assert_true(llabs(part_sum(&p, NULL, "PH") - 5000000) <= 3);
	assert_true(llabs(part_sum(&p, NULL, "298") - 2000000) <= 3);
	assert_true(llabs(part_sum(&p, "72010", NULL) - 3334000) <= 3);
	assert_true(part_sum(&p, "151", NULL) == 0);
	funding_parts_free(&p);
}

/* Many sectors and places: more parts than fit on the stack. */
static void test_split_many(void **state)
{
	(void)state;
	static char codes[90][8];
	iati_sector sectors[40];
	iati_country where[50];
	for (int i = 0; i < 40; i++) {
		snprintf(codes[i], sizeof codes[i], "%05d", 11110 + i);
		sectors[i] = (iati_sector){ codes[i], "1", 250, 0 };
	}
	for (int i = 0; i < 50; i++) {
		snprintf(codes[40 + i], sizeof codes[0], "C%d", i);
		where[i] = (iati_country){ codes[40 + i], 200, 0 };
	}
	iati_activity a = { .identifier = "XM-X-2", .sectors = sectors, .nsectors = 40, .countries = where, .ncountries = 50 };
	iati_transaction t = transaction("3", 123456789);
	funding_parts p = { 0 };
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 2000);
	assert_true(part_sum(&p, NULL, NULL) == 123456789);
	for (size_t i = 0; i < p.n; i++)
		assert_true(p.v[i].amount == 61728 || p.v[i].amount == 61729);
	funding_parts_free(&p);
}

static void test_split_own_codes(void **state)
{
	(void)state;
	iati_activity a = activity();
	iati_transaction t = transaction("3", 999);
	t.sector_code = "15190";
	funding_parts p = { 0 };
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 3);   /* its own sector whole, the places shared */
	assert_true(part_sum(&p, "15190", NULL) == 999);
	t.recipient_country = "SN";
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 1);
	assert_true(p.v[0].amount == 999 && !strcmp(p.v[0].country, "SN") && !strcmp(p.v[0].sector, "15190"));
	funding_parts_free(&p);
}

static void test_split_without_percentages(void **state)
{
	(void)state;
	static const iati_sector unshared[] = { { "15190", "1", IATI_NO_PERCENT, 0 }, { "16010", "1", IATI_NO_PERCENT, 0 } };
	iati_activity a = { .identifier = "XM-X-1" };
	a.sectors = unshared;
	a.nsectors = 2;
	iati_transaction t = transaction("1", 101);
	funding_parts p = { 0 };
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 2);
	assert_true(p.v[0].amount == 51 && p.v[1].amount == 50);   /* equal shares, the spare unit first */
	assert_string_equal(p.v[0].country, "");                  /* no place: one part without */
	a.nsectors = 0;
	assert_int_equal(iati_split(&a, &t, &p), 0);
	assert_int_equal(p.n, 1);
	assert_true(p.v[0].amount == 101 && !*p.v[0].sector);
	funding_parts_free(&p);
}

static void test_donor(void **state)
{
	(void)state;
	iati_activity a = activity();
	iati_transaction t = transaction("3", 1);
	assert_string_equal(iati_donor(&a, &t), "XM-NL-1");   /* money going out: the reporting organisation's */
	t.type = "1";
	assert_string_equal(iati_donor(&a, &t), "");          /* incoming funds from nobody named */
	t.provider.ref = "XM-EAST-FUND";
	assert_string_equal(iati_donor(&a, &t), "XM-EAST-FUND");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thirds),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_split_shares),
		cmocka_unit_test(test_split_many),
		cmocka_unit_test(test_split_own_codes),
		cmocka_unit_test(test_split_without_percentages),
		cmocka_unit_test(test_donor),
	};
	return cmocka_run_group_tests_name("apportion", tests, NULL, NULL);
}
