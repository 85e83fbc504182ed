/*
 * test_uuid — records' UUIDs: the same record always gets the same one, two
 * records never share one, two installations (databases) never share one,
 * and each is a well-formed RFC 9562 UUID of version 8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>

#include "model/uuid.h"
#include "testdb.h"

static void uuid_of(testdb *t, const char *kind, int64_t id, char out[37])
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &public_user);
	unsigned char ns[UUID_NAMESPACE_BYTES];
	assert_int_equal(model_uuid_namespace(&m, ns), 0);
	model_record_uuid(ns, kind, id, out);
	model_done(&m);
}

static void assert_uuid_form(const char *u)
{
	assert_int_equal(strlen(u), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_true(isxdigit((unsigned char)u[i]) && !isupper((unsigned char)u[i]));
	}
	assert_int_equal(u[14], '8');                  /* version 8 */
	assert_non_null(strchr("89ab", u[19]));         /* the RFC 9562 variant */
}

static void test_stable_and_distinct(void **state)
{
	(void)state;
	testdb *a = testdb_open(), *b = testdb_open();
	char first[37], again[37], other[37], kind[37], elsewhere[37];
	uuid_of(a, "persons", 42, first);
	uuid_of(a, "persons", 42, again);
	uuid_of(a, "persons", 43, other);
	uuid_of(a, "organizations", 42, kind);
	uuid_of(b, "persons", 42, elsewhere);
	assert_uuid_form(first);
	assert_uuid_form(elsewhere);
	assert_string_equal(first, again);
	assert_string_not_equal(first, other);
	assert_string_not_equal(first, kind);
	assert_string_not_equal(first, elsewhere);   /* another installation, the same id */
	testdb_close(a);
	testdb_close(b);
}

/* The namespace is the database's: reopening it gives the same UUIDs. */
static void test_survives_reopening(void **state)
{
	(void)state;
	testdb *t = testdb_open();
	char before[37], after[37], err[256];
	uuid_of(t, "persons", 7, before);
	store_close(t->st);
	t->st = store_open(t->path, err, sizeof err);
	assert_non_null(t->st);
	assert_int_equal(store_migrate(t->st, err, sizeof err), 0);
	uuid_of(t, "persons", 7, after);
	assert_string_equal(before, after);
	testdb_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_and_distinct),
		cmocka_unit_test(test_survives_reopening),
	};
	return cmocka_run_group_tests_name("uuid", tests, NULL, NULL);
}
