/*
 * test_schema — the registry checked against the database on every start
 * (schema_upgrade), with kinds of its own: a column the registry does not
 * know (a field renamed or removed without its migration) and a column of
 * another type (a field whose type changed without its migration) each stop
 * the start with one line naming the table and column, and leave the
 * database exactly as it was; a new field's column and a new kind's table
 * are added; a column the kind declares as its own (private_columns) is
 * known; the migrations' task to rebuild the search index is done once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/registry.h"
#include "model/schema.h"
#include "scratchdb.h"

static const field_def lamp_fields[] = {
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 80 },
	{ "wicks", F_INT, 0 },
};
static const entity_def lamps = {
	.name = "lamps", .table = "lamps", .label = "lamp", .fields = lamp_fields, .nfields = COUNT(lamp_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
};

/* The same kind a release later, each time differently. */
static const field_def wicks_as_text[] = {
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 80 },
	{ "wicks", F_TEXT, 0, .max = 20 },
};
static const field_def wicks_renamed[] = {
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 80 },
	{ "flames", F_INT, 0 },
};
static const field_def wicks_removed[] = {
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 80 },
};
static const field_def with_a_colour[] = {
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 80 },
	{ "wicks", F_INT, 0 },
	{ "colour", F_LANGTEXT, 0, .max = 40 },
};
static const field_def oil_fields[] = {
	{ "lamp", F_REF, REQUIRED, .ref = "lamps" },
	{ "litres", F_INT, 0 },
};
static const entity_def oils = {
	.name = "oils", .table = "oils", .label = "oil", .fields = oil_fields, .nfields = COUNT(oil_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
};

typedef scratchdb db;

static int open_with(db *d, const entity_def *const *defs, size_t n, char *err, size_t errlen)
{
	registry reg;
	if (registry_build(&reg, defs, n, err, errlen))
		return -1;
	int rc = schema_upgrade(d->st, &reg, err, errlen);
	registry_free(&reg);
	return rc;
}

static entity_def lamps_with(const field_def *fields, size_t n)
{
	entity_def e = lamps;
	e.fields = fields;
	e.nfields = n;
	return e;
}

/* A database made by the first release: lamps, with two of them. */
static int setup(void **state)
{
	db *d = scratchdb_open();
	char err[256] = "";
	const entity_def *defs[] = { &lamps };
	assert_int_equal(open_with(d, defs, 1, err, sizeof err), 0);
	assert_int_equal(sqlite3_exec(d->raw,
				      "INSERT INTO lamps (version, archived, classification, created_at, updated_at, name, wicks) "
				      "VALUES (1, 0, 'internal', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z', 'Harbour lantern', 2), "
				      "(1, 0, 'internal', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z', 'Reading lamp', 1)",
				      NULL, NULL, NULL), SQLITE_OK);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	scratchdb_close(*state);
	return 0;
}

static const char *one(db *d, const char *sql) { return scratchdb_one(d, sql); }

/* The next release opens the database with lamps described otherwise, and refuses. */
static void refused(db *d, const field_def *fields, size_t n, const char *expected)
{
	char err[512] = "";
	buf before = BUF_INIT, after = BUF_INIT;
	scratchdb_snapshot(d, &before);
	entity_def changed = lamps_with(fields, n);
	const entity_def *defs[] = { &changed, &oils };
	assert_int_equal(open_with(d, defs, 2, err, sizeof err), -1);
	assert_string_equal(err, expected);
	scratchdb_snapshot(d, &after);
	assert_string_equal(buf_str(&after), buf_str(&before));  /* no column added, no oils table */
	buf_free(&before);
	buf_free(&after);
}

static void a_field_renamed_without_its_migration_is_refused(void **state)
{
	refused(*state, wicks_renamed, COUNT(wicks_renamed),
		"lamps.wicks is in the database but not in the registry: a field renamed or removed needs a migration "
		"that renames or drops its column (docs/operations.md, Schema changes); nothing was changed");
}

static void a_field_removed_without_its_migration_is_refused(void **state)
{
	refused(*state, wicks_removed, COUNT(wicks_removed),
		"lamps.wicks is in the database but not in the registry: a field renamed or removed needs a migration "
		"that renames or drops its column (docs/operations.md, Schema changes); nothing was changed");
}

static void a_type_changed_without_its_migration_is_refused(void **state)
{
	refused(*state, wicks_as_text, COUNT(wicks_as_text),
		"lamps.wicks is INTEGER in the database but TEXT in the registry: a field whose type changed needs a "
		"migration that converts its column (docs/operations.md, Schema changes); nothing was changed");
}

/* A column made by hand (or by an older build) with a type the registry never gives. */
static void a_column_of_another_type_made_elsewhere_is_refused(void **state)
{
	db *d = *state;
	assert_int_equal(sqlite3_exec(d->raw, "ALTER TABLE lamps DROP COLUMN wicks; ALTER TABLE lamps ADD COLUMN wicks REAL",
				      NULL, NULL, NULL), SQLITE_OK);
	refused(d, lamp_fields, COUNT(lamp_fields),
		"lamps.wicks is REAL in the database but INTEGER in the registry: a field whose type changed needs a "
		"migration that converts its column (docs/operations.md, Schema changes); nothing was changed");
}

/* Once the migration has renamed the column, the same registry opens the database. */
static void the_migration_makes_it_match(void **state)
{
	db *d = *state;
	char err[512] = "";
	assert_int_equal(sqlite3_exec(d->raw, "ALTER TABLE lamps RENAME COLUMN wicks TO flames", NULL, NULL, NULL), SQLITE_OK);
	entity_def changed = lamps_with(wicks_renamed, COUNT(wicks_renamed));
	const entity_def *defs[] = { &changed };
	assert_int_equal(open_with(d, defs, 1, err, sizeof err), 0);
	assert_string_equal(one(d, "SELECT group_concat(flames, ',') FROM lamps"), "2,1");
}

static void new_fields_and_new_kinds_are_added(void **state)
{
	db *d = *state;
	char err[512] = "";
	entity_def changed = lamps_with(with_a_colour, COUNT(with_a_colour));
	const entity_def *defs[] = { &changed, &oils };
	assert_int_equal(open_with(d, defs, 2, err, sizeof err), 0);
	assert_string_equal(one(d, "SELECT group_concat(name || '/' || quote(colour_fr), ',') FROM lamps"),
			    "Harbour lantern/NULL,Reading lamp/NULL");
	assert_string_equal(one(d, "SELECT group_concat(name, ',') FROM pragma_table_info('oils')"),
			    "id,version,archived,classification,division,created_at,updated_at,created_by,updated_by,lamp,litres");
}

static void a_kind_s_own_columns_are_known(void **state)
{
	db *d = *state;
	char err[512] = "";
	assert_int_equal(sqlite3_exec(d->raw, "ALTER TABLE lamps ADD COLUMN secret_hash TEXT", NULL, NULL, NULL), SQLITE_OK);
	const entity_def *defs[] = { &lamps };
	assert_int_equal(open_with(d, defs, 1, err, sizeof err), -1);
	entity_def keeping = lamps;
	keeping.private_columns = (const char *const[]){ "secret_hash", NULL };
	const entity_def *own[] = { &keeping };
	assert_int_equal(open_with(d, own, 1, err, sizeof err), 0);
}

static void the_search_index_is_rebuilt_once_when_a_migration_asks(void **state)
{
	db *d = *state;
	char err[512] = "";
	/* the lamps were written behind the model's back: not in the index */
	assert_string_equal(one(d, "SELECT count(*) FROM search_docs"), "0");
	assert_int_equal(sqlite3_exec(d->raw, "INSERT INTO migration_tasks (task) VALUES ('reindex')", NULL, NULL, NULL),
			 SQLITE_OK);
	const entity_def *defs[] = { &lamps };
	assert_int_equal(open_with(d, defs, 1, err, sizeof err), 0);
	assert_string_equal(one(d, "SELECT count(*) FROM search_docs WHERE kind = 'lamps'"), "2");
	assert_string_equal(one(d, "SELECT count(*) FROM migration_tasks"), "0");
	assert_int_equal(sqlite3_exec(d->raw, "INSERT INTO migration_tasks (task) VALUES ('polish')", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(open_with(d, defs, 1, err, sizeof err), -1);
	assert_string_equal(err, "the migrations left a task this build does not know (polish): run the build that "
				 "migrated the database");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_field_renamed_without_its_migration_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_field_removed_without_its_migration_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_type_changed_without_its_migration_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_column_of_another_type_made_elsewhere_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(the_migration_makes_it_match, setup, teardown),
		cmocka_unit_test_setup_teardown(new_fields_and_new_kinds_are_added, setup, teardown),
		cmocka_unit_test_setup_teardown(a_kind_s_own_columns_are_known, setup, teardown),
		cmocka_unit_test_setup_teardown(the_search_index_is_rebuilt_once_when_a_migration_asks, setup, teardown),
	};
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
