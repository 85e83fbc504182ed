/*
 * test_migrate — the migration runner against a real SQLite file, with
 * migrations of its own over a small schema of invented tables that refer
 * to each other: each kind of change the docs describe (rename a column,
 * rename a table, drop a column, drop a table, change a type with the data
 * converted, by columns and by rebuilding the table under the tables that
 * refer to it) keeps the data and the references; a failing migration, one
 * that breaks a reference, one that ends its transaction and a failing step
 * after them leave the database exactly as it was, with one line that says
 * which migration and line; a migration marked "-- when:" runs only where
 * its query finds a row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/embed.h"
#include "scratchdb.h"

#define MIGRATION(name, sql) { name, sql, sizeof sql - 1 }
#define END { NULL, NULL, 0 }

static const char base_sql[] =
	"CREATE TABLE guilds (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, founded TEXT);\n"
	"CREATE TABLE members (id INTEGER PRIMARY KEY, guild INTEGER REFERENCES guilds(id), nick TEXT, age TEXT,\n"
	"                      notes TEXT);\n"
	"CREATE INDEX members_nick ON members (nick);\n"
	"CREATE INDEX members_notes ON members (notes);\n"
	"CREATE TABLE badges (id INTEGER PRIMARY KEY, member INTEGER NOT NULL REFERENCES members(id), label TEXT);\n"
	"CREATE TABLE scraps (id INTEGER PRIMARY KEY, what TEXT);\n"
	"INSERT INTO guilds VALUES (1, 'Lantern Makers', '1921'), (2, 'Net Menders', 'long ago');\n"
	"INSERT INTO members VALUES (1, 1, 'wick', '42', 'keeps the keys'), (2, 2, 'knot', '37', NULL),\n"
	"                           (3, 1, NULL, 'unknown', NULL);\n"
	"INSERT INTO badges VALUES (1, 1, 'gold'), (2, 3, 'tin');\n"
	"INSERT INTO scraps VALUES (1, 'old');\n";

typedef scratchdb db;

/* A fresh database with the base schema applied. */
static int setup(void **state)
{
	db *d = scratchdb_open();
	char err[256];
	const embedded_file base[] = { MIGRATION("001_base.sql", base_sql), END };
	assert_int_equal(store_apply_migrations(d->st, base, NULL, NULL, err, sizeof err), STORE_OK);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	scratchdb_close(*state);
	return 0;
}

/* The base, then the given migrations. */
static int apply(db *d, const embedded_file *change, char *err, size_t errlen)
{
	embedded_file list[8] = { MIGRATION("001_base.sql", base_sql) };
	for (int i = 0; change[i].name; i++)
		list[i + 1] = change[i];
	return store_apply_migrations(d->st, list, NULL, NULL, err, errlen);
}

/* The base, then one migration that must go through. */
static void migrated(db *d, const char *name, const char *sql)
{
	char err[512] = "";
	const embedded_file change[] = { { name, sql, strlen(sql) }, END };
	int rc = apply(d, change, err, sizeof err);
	if (rc != STORE_OK)
		fail_msg("%s", err);
}

static const char *one(db *d, const char *sql) { return scratchdb_one(d, sql); }

static int has(db *d, const char *sql) { return one(d, sql)[0] != '\0'; }

/* The references are enforced again after the migrations: a badge of no member is refused. */
static void references_are_enforced(db *d)
{
	store_conn *c = store_begin(d->st);
	store_value v[] = { SV_INT_(99), sv_text("lost") };
	assert_int_equal(store_insert(c, "badges", (const char *[]){ "member", "label" }, v, 2, NULL), STORE_CONSTRAINT);
	store_rollback(c);
}

static void rename_a_column(void **state)
{
	db *d = *state;
	migrated(d, "002_nickname.sql", "ALTER TABLE members RENAME COLUMN nick TO nickname;");
	assert_string_equal(one(d, "SELECT group_concat(nickname, ',') FROM (SELECT nickname FROM members ORDER BY id)"), "wick,knot");
	assert_true(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'members_nick' AND sql LIKE '%(nickname)%'"));
	assert_string_equal(one(d, "SELECT name FROM schema_migrations WHERE version = 2"), "002_nickname.sql");
}

static void rename_a_table(void **state)
{
	db *d = *state;
	migrated(d, "002_crafts.sql", "ALTER TABLE guilds RENAME TO crafts;");
	assert_string_equal(one(d, "SELECT group_concat(name, ',') FROM crafts"), "Lantern Makers,Net Menders");
	/* the tables that referred to it refer to it by its new name */
	assert_true(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'members' AND sql LIKE '%REFERENCES \"crafts\"%'"));
	assert_false(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'guilds'"));
	references_are_enforced(d);
}

static void drop_a_column(void **state)
{
	db *d = *state;
	/* an indexed column: its index goes first */
	migrated(d, "002_no_notes.sql", "DROP INDEX members_notes;\nALTER TABLE members DROP COLUMN notes;");
	assert_false(has(d, "SELECT 1 FROM pragma_table_info('members') WHERE name = 'notes'"));
	assert_string_equal(one(d, "SELECT group_concat(age, ',') FROM members"), "42,37,unknown");
}

static void drop_a_table(void **state)
{
	db *d = *state;
	migrated(d, "002_no_scraps.sql", "DROP TABLE scraps;");
	assert_false(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'scraps'"));
}

/* The type of a column no constraint names, by columns: add, convert, drop, rename. */
static void change_a_type_by_columns(void **state)
{
	db *d = *state;
	migrated(d, "002_founded_year.sql",
		 "ALTER TABLE guilds ADD COLUMN founded_year INTEGER;\n"
		 "UPDATE guilds SET founded_year = CAST(founded AS INTEGER) WHERE founded GLOB '[0-9]*';\n"
		 "ALTER TABLE guilds DROP COLUMN founded;\n"
		 "ALTER TABLE guilds RENAME COLUMN founded_year TO founded;");
	assert_string_equal(one(d, "SELECT type FROM pragma_table_info('guilds') WHERE name = 'founded'"), "INTEGER");
	assert_string_equal(one(d, "SELECT typeof(founded) || ' ' || founded FROM guilds WHERE id = 1"), "integer 1921");
	assert_string_equal(one(d, "SELECT typeof(founded) FROM guilds WHERE id = 2"), "null");
}

/* The type of a column of a table others refer to, by rebuilding the table:
 * create the new one, copy with the conversion, drop the old, rename the
 * new, make its indexes again. */
static void change_a_type_by_rebuilding(void **state)
{
	db *d = *state;
	migrated(d, "002_age_years.sql",
		 "CREATE TABLE members_new (id INTEGER PRIMARY KEY, guild INTEGER REFERENCES guilds(id),\n"
		 "                          nick TEXT, age INTEGER, notes TEXT);\n"
		 "INSERT INTO members_new (id, guild, nick, age, notes)\n"
		 "SELECT id, guild, nick, CASE WHEN age GLOB '[0-9]*' THEN CAST(age AS INTEGER) END, notes\n"
		 "FROM members;\n"
		 "DROP TABLE members;\n"
		 "ALTER TABLE members_new RENAME TO members;\n"
		 "CREATE INDEX members_nick ON members (nick);\n"
		 "CREATE INDEX members_notes ON members (notes);");
	assert_string_equal(one(d, "SELECT group_concat(typeof(age) || ':' || coalesce(age, ''), ',') FROM members"),
			    "integer:42,integer:37,null:");
	assert_string_equal(one(d, "SELECT group_concat(nick || '/' || notes, ',') FROM members WHERE notes IS NOT NULL"),
			    "wick/keeps the keys");
	/* badges still refer to members, by that name, and the rows they name are there */
	assert_true(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'badges' AND sql LIKE '%REFERENCES members(id)%'"));
	assert_string_equal(one(d, "SELECT count(*) FROM badges JOIN members ON members.id = badges.member"), "2");
	assert_true(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'members_notes'"));
	references_are_enforced(d);
}

/* A failure leaves the database as it was before the run, the migrations
 * before the failing one included, and err is one line. */
static void refused(db *d, const embedded_file *change, const char *expected)
{
	char err[512] = "";
	buf before = BUF_INIT, after = BUF_INIT;
	scratchdb_snapshot(d, &before);
	assert_int_equal(apply(d, change, err, sizeof err), STORE_ERROR);
	assert_string_equal(err, expected);
	assert_null(strchr(err, '\n'));
	scratchdb_snapshot(d, &after);
	assert_string_equal(buf_str(&after), buf_str(&before));
	references_are_enforced(d);
	buf_free(&before);
	buf_free(&after);
}

static void a_failing_migration_changes_nothing(void **state)
{
	const embedded_file change[] = {
		MIGRATION("002_fine.sql", "CREATE TABLE lamps (id INTEGER PRIMARY KEY);\nINSERT INTO lamps VALUES (1);"),
		MIGRATION("003_typo.sql", "-- the members' age, in years\n"
					  "UPDATE members SET notes = 'checked';\n"
					  "\n"
					  "UPDATE members SET age = agee + 0;\n"),
		END,
	};
	refused(*state, change, "migration 003_typo.sql failed at line 4: no such column: agee; nothing was changed");
}

static void a_migration_that_breaks_a_reference_changes_nothing(void **state)
{
	const embedded_file change[] = { MIGRATION("002_no_members.sql", "DROP TABLE members;"), END };
	refused(*state, change,
		"migration 002_no_members.sql leaves row 1 of badges referring to a row of members that does not exist"
		"; nothing was changed");
}

static void a_migration_that_commits_changes_nothing(void **state)
{
	const embedded_file change[] = {
		MIGRATION("002_own_transaction.sql", "DELETE FROM scraps;\nCOMMIT;\nDELETE FROM badges;"), END,
	};
	refused(*state, change,
		"migration 002_own_transaction.sql begins or ends a transaction at line 2: a migration never writes BEGIN, "
		"COMMIT or ROLLBACK; nothing was changed");
}

static int refuse_after(void *ctx, store_conn *c, char *err, size_t errlen)
{
	(void)ctx;
	(void)c;
	snprintf(err, errlen, "members.nick is in the database but not in the registry");
	return -1;
}

/* What comes after the migrations in their transaction (the registry's
 * tables and their check) takes them back with it when it fails. */
static void a_failure_after_the_migrations_takes_them_back(void **state)
{
	db *d = *state;
	char err[256] = "";
	buf before = BUF_INIT, after = BUF_INIT;
	scratchdb_snapshot(d, &before);
	const embedded_file list[] = {
		MIGRATION("001_base.sql", base_sql), MIGRATION("002_no_scraps.sql", "DROP TABLE scraps;"), END,
	};
	assert_int_equal(store_apply_migrations(d->st, list, refuse_after, NULL, err, sizeof err), STORE_ERROR);
	assert_string_equal(err, "members.nick is in the database but not in the registry; nothing was changed");
	scratchdb_snapshot(d, &after);
	assert_string_equal(buf_str(&after), buf_str(&before));
	buf_free(&before);
	buf_free(&after);
}

static void a_migration_runs_once(void **state)
{
	db *d = *state;
	migrated(d, "002_lamps.sql", "INSERT INTO scraps (what) VALUES ('lamp');");
	migrated(d, "002_lamps.sql", "INSERT INTO scraps (what) VALUES ('lamp');");
	assert_string_equal(one(d, "SELECT count(*) FROM scraps WHERE what = 'lamp'"), "1");
}

static void a_migration_for_some_databases_runs_where_its_query_finds_a_row(void **state)
{
	db *d = *state;
	char err[256] = "";
	const embedded_file change[] = {
		MIGRATION("002_if_wick.sql", "-- when: SELECT 1 FROM members WHERE nick = 'wick'\n"
					     "UPDATE members SET notes = 'found' WHERE nick = 'wick';"),
		MIGRATION("003_if_none.sql", "-- when: SELECT 1 FROM members WHERE nick = 'nobody'\n"
					     "DROP TABLE badges;"),
		END,
	};
	assert_int_equal(apply(d, change, err, sizeof err), STORE_OK);
	assert_string_equal(one(d, "SELECT notes FROM members WHERE id = 1"), "found");
	assert_true(has(d, "SELECT 1 FROM sqlite_master WHERE name = 'badges'"));
	/* recorded either way: the question is asked once */
	assert_string_equal(one(d, "SELECT group_concat(version, ',') FROM schema_migrations"), "1,2,3");
	const embedded_file bad[] = { MIGRATION("004_bad_when.sql", "-- when: SELECT 1 FROM nowhere\nDROP TABLE scraps;"),
				      END };
	refused(d, bad, "migration 004_bad_when.sql failed at line 1 (its when): no such table: nowhere; nothing was changed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rename_a_column, setup, teardown),
		cmocka_unit_test_setup_teardown(rename_a_table, setup, teardown),
		cmocka_unit_test_setup_teardown(drop_a_column, setup, teardown),
		cmocka_unit_test_setup_teardown(drop_a_table, setup, teardown),
		cmocka_unit_test_setup_teardown(change_a_type_by_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(change_a_type_by_rebuilding, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failing_migration_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_migration_that_breaks_a_reference_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_migration_that_commits_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failure_after_the_migrations_takes_them_back, setup, teardown),
		cmocka_unit_test_setup_teardown(a_migration_runs_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_migration_for_some_databases_runs_where_its_query_finds_a_row, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
