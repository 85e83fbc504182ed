/*
 * test_audit — the hash chain: appends verify; altering, removing or
 * inserting an entry is caught and named; redaction (erasure) keeps the
 * chain verifiable; the changes themselves are covered by their hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <sodium.h>

#include "model/audit.h"
#include "testdb.h"

static const user writer = { 7, "amina", ROLE_STAFF, "IPD", 0, "en" };

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	testdb *t = testdb_open();
	store_conn *c = store_begin(t->st);
	for (int i = 1; i <= 5; i++) {
		char changes[64];
		snprintf(changes, sizeof changes, "{\"acronym\":{\"before\":null,\"after\":\"A%d\"}}", i);
		assert_int_equal(audit_append(c, &writer, "create", "organizations", i, 1, changes), 0);
	}
	assert_int_equal(store_commit(c), STORE_OK);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

/* Tampering from outside Liaison, as an attacker with the file would. */
static void tamper(testdb *t, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void intact_chain_verifies(void **state)
{
	audit_report rep;
	assert_int_equal(audit_verify(((testdb *)*state)->st, &rep), 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, 5);
}

static void altered_fact_is_named(void **state)
{
	testdb *t = *state;
	tamper(t, "UPDATE audit SET user_name = 'mallory' WHERE id = 3");
	audit_report rep;
	assert_int_equal(audit_verify(t->st, &rep), 0);
	assert_false(rep.ok);
	assert_int_equal(rep.first_bad, 3);
	tamper(t, "UPDATE audit SET user_name = 'amina' WHERE id = 3");
	assert_int_equal(audit_verify(t->st, &rep), 0);
	assert_true(rep.ok);
}

static void altered_changes_are_caught(void **state)
{
	testdb *t = *state;
	tamper(t, "UPDATE audit SET changes = '{}' WHERE id = 2");
	audit_report rep;
	audit_verify(t->st, &rep);
	assert_false(rep.ok);
	assert_int_equal(rep.first_bad, 2);
	assert_non_null(strstr(rep.reason, "changes"));
}

static void removed_entry_is_caught(void **state)
{
	testdb *t = *state;
	tamper(t, "DELETE FROM audit WHERE id = 4");
	audit_report rep;
	audit_verify(t->st, &rep);
	assert_false(rep.ok);
	assert_int_equal(rep.first_bad, 5);
}

static void renumbered_removal_is_caught(void **state)
{
	testdb *t = *state;
	/* remove entry 2 and close the gap: ids look consecutive, hashes do not chain */
	tamper(t, "DELETE FROM audit WHERE id = 2; UPDATE audit SET id = id - 1 WHERE id > 2");
	audit_report rep;
	audit_verify(t->st, &rep);
	assert_false(rep.ok);
	assert_int_equal(rep.first_bad, 2);
}

static void redaction_keeps_chain_valid(void **state)
{
	testdb *t = *state;
	store_conn *c = store_begin(t->st);
	assert_int_equal(audit_redact(c, "organizations", 3), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	audit_report rep;
	audit_verify(t->st, &rep);
	assert_true(rep.ok);
	int64_t n = 0;
	store_cond w[] = { COND_EQ("redacted", SV_INT_(1)), COND_EQ("record_id", SV_INT_(3)) };
	store_count(store_reader(t->st), "audit", w, 2, &n);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(altered_fact_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(altered_changes_are_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(renumbered_removal_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(redaction_keeps_chain_valid, setup, teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
