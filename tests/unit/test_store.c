/*
 * test_store — the store's query builder against a real SQLite file:
 * inserts, conditions (nested AND/OR, IN (SELECT), JSON list membership),
 * keyset cursors with NULLs, constraint errors, refusal of bad identifiers,
 * transactions and the online backup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include <dirent.h>
#include <sqlite3.h>

#include "core/embed.h"
#include "store/tokenizer.h"

typedef struct collected {
	int64_t ids[64];
	int n;
} collected;

static int collect(void *ctx, store_row *r)
{
	collected *c = ctx;
	c->ids[c->n++] = store_int(r, 0);
	return 0;
}

static void add_country(store_conn *c, const char *iso2, const char *name, const char *tags)
{
	static const char *const cols[] = { "version", "archived", "classification", "created_at", "updated_at", "iso2", "iso3", "name_en", "membership" };
	char iso3[4] = { iso2[0], iso2[1], 'X', 0 };
	store_value v[] = { SV_INT_(1), SV_INT_(0), sv_text("public"), sv_text("2026-01-01T00:00:00Z"), sv_text("2026-01-01T00:00:00Z"),
			    sv_text(iso2), sv_text(iso3), sv_text(name), sv_text(tags) };
	assert_int_equal(store_insert(c, "countries", cols, v, 9, NULL), STORE_OK);
}

static int setup(void **state)
{
	testdb *t = testdb_open();
	store_conn *c = store_begin(t->st);
	add_country(c, "AA", "Alpha", "member");
	add_country(c, "BB", NULL, "observer");
	add_country(c, "CC", "Gamma", "none");
	add_country(c, "DD", "Beta", "member");
	add_country(c, "EE", NULL, "none");
	assert_int_equal(store_commit(c), STORE_OK);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

static collected select_ids(testdb *t, const store_cond *w, int nw, const store_order *o, int no,
			    const store_value *after, int64_t limit)
{
	collected got = { 0 };
	store_select q = { .table = "countries", .cols = (const char *[]){ "id" }, .ncols = 1, .where = w, .nwhere = nw,
			   .order = o, .norder = no, .after = after, .limit = limit };
	assert_int_equal(store_query(store_reader(t->st), &q, collect, &got), STORE_OK);
	return got;
}

static void equality_and_or(void **state)
{
	testdb *t = *state;
	store_cond any[] = { COND_EQ("iso2", sv_text("AA")), COND_EQ("iso2", sv_text("CC")) };
	store_cond w[] = { { .op = OP_ANY, .sub = any, .nsub = 2 } };
	store_order o = { "id", 0, NOT_NULL };
	collected got = select_ids(t, w, 1, &o, 1, NULL, 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.ids[0], 1);
	assert_int_equal(got.ids[1], 3);
	store_cond none[] = { { .op = OP_ANY, .sub = NULL, .nsub = 0 } };
	assert_int_equal(select_ids(t, none, 1, &o, 1, NULL, 0).n, 0);
}

static void keyset_cursor_with_nulls(void **state)
{
	testdb *t = *state;
	/* name_en: NULL, NULL, Alpha, Beta, Gamma in NULL_AS_TEXT order, ties by id */
	store_order o[] = { { "name_en", 0, NULL_AS_TEXT }, { "id", 0, NOT_NULL } };
	collected all = select_ids(t, NULL, 0, o, 2, NULL, 0);
	int64_t expect[] = { 2, 5, 1, 4, 3 };
	assert_int_equal(all.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(all.ids[i], expect[i]);
	store_value after[] = { SV_NUL, SV_INT_(5) }; /* after the second NULL */
	collected rest = select_ids(t, NULL, 0, o, 2, after, 2);
	assert_int_equal(rest.n, 2);
	assert_int_equal(rest.ids[0], 1);
	assert_int_equal(rest.ids[1], 4);
	store_order desc[] = { { "name_en", 1, NULL_AS_TEXT }, { "id", 1, NOT_NULL } };
	store_value after_beta[] = { sv_text("Beta"), SV_INT_(4) };
	collected d = select_ids(t, NULL, 0, desc, 2, after_beta, 0);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.ids[0], 1);
	assert_int_equal(d.ids[1], 5);
	assert_int_equal(d.ids[2], 2);
}

static void in_select_and_count(void **state)
{
	testdb *t = *state;
	store_cond sub[] = { COND_EQ("membership", sv_text("member")) };
	store_cond w[] = { { .col = "id", .op = OP_IN_SELECT, .sub = sub, .nsub = 1, .sub_table = "countries", .sub_col = "id" } };
	int64_t n = 0;
	assert_int_equal(store_count(store_reader(t->st), "countries", w, 1, &n), STORE_OK);
	assert_int_equal(n, 2);
}

/* EXISTS and NOT EXISTS on the same look-up split the table between them. */
static void exists_and_not(void **state)
{
	testdb *t = *state;
	store_cond sub[] = { COND_EQ("membership", sv_text("member")) };
	store_cond yes = { .col = "id", .op = OP_EXISTS, .sub = sub, .nsub = 1, .sub_table = "countries", .sub_col = "id" };
	store_cond no = yes;
	no.op = OP_NOT_EXISTS;
	int64_t all = 0, in = 0, out = 0;
	store_conn *c = store_reader(t->st);
	assert_int_equal(store_count(c, "countries", NULL, 0, &all), STORE_OK);
	assert_int_equal(store_count(c, "countries", &yes, 1, &in), STORE_OK);
	assert_int_equal(store_count(c, "countries", &no, 1, &out), STORE_OK);
	assert_int_equal(in, 2);
	assert_int_equal(in + out, all);
}

static void unique_violation_is_constraint(void **state)
{
	testdb *t = *state;
	store_conn *c = store_begin(t->st);
	static const char *const cols[] = { "version", "archived", "classification", "created_at", "updated_at", "iso2", "iso3" };
	store_value v[] = { SV_INT_(1), SV_INT_(0), sv_text("public"), sv_text("x"), sv_text("x"), sv_text("AA"), sv_text("ZZZ") };
	assert_int_equal(store_insert(c, "countries", cols, v, 7, NULL), STORE_CONSTRAINT);
	store_rollback(c);
	int64_t n = 0;
	store_count(store_reader(t->st), "countries", NULL, 0, &n);
	assert_int_equal(n, 5);
}

/* A count that stops at its bound: what a page needs to say "10,000+". */
static void counts_stop_at_their_bound(void **state)
{
	testdb *t = *state;
	store_conn *c = store_reader(t->st);
	int64_t all = 0, some = 0;
	assert_int_equal(store_count(c, "countries", NULL, 0, &all), STORE_OK);
	assert_true(all > 3);
	assert_int_equal(store_count_upto(c, "countries", NULL, 0, 3, &some), STORE_OK);
	assert_int_equal(some, 3);
	assert_int_equal(store_count_upto(c, "countries", NULL, 0, all + 10, &some), STORE_OK);
	assert_int_equal(some, all);
	store_cond w = COND_EQ("iso2", sv_text("CC"));
	assert_int_equal(store_count_upto(c, "countries", &w, 1, 3, &some), STORE_OK);
	assert_int_equal(some, 1);
}

/* Counters start at 1 on first use and go up by one, each name its own,
 * inside a transaction and across transactions. */
static void counters_count_on(void **state)
{
	testdb *t = *state;
	int64_t n = 0;
	store_conn *c = store_begin(t->st);
	assert_int_equal(store_counter_next(c, "pledges-2026", &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_counter_next(c, "pledges-2026", &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_counter_next(c, "appeals-2026", &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_commit(c), STORE_OK);
	c = store_begin(t->st);
	assert_int_equal(store_counter_next(c, "pledges-2026", &n), STORE_OK);
	assert_int_equal(n, 3);
	store_rollback(c);
	c = store_begin(t->st);
	assert_int_equal(store_counter_next(c, "pledges-2026", &n), STORE_OK);
	assert_int_equal(n, 3);  /* the rolled-back number is handed out again */
	assert_int_equal(store_commit(c), STORE_OK);
}

static void bad_identifiers_are_refused(void **state)
{
	testdb *t = *state;
	store_cond w[] = { COND_EQ("iso2; DROP TABLE countries", sv_text("AA")) };
	int64_t n = 0;
	assert_int_equal(store_count(store_reader(t->st), "countries", w, 1, &n), STORE_ERROR);
	assert_int_equal(store_count(store_reader(t->st), "countries x", NULL, 0, &n), STORE_ERROR);
	store_conn *c = store_begin(t->st);
	assert_int_equal(store_delete(c, "countries", NULL, 0), STORE_ERROR); /* never unconditional */
	store_rollback(c);
}

static void update_reports_changes(void **state)
{
	testdb *t = *state;
	store_conn *c = store_begin(t->st);
	store_cond w[] = { COND_EQ("iso2", sv_text("EE")), COND_EQ("version", SV_INT_(1)) };
	store_value v[] = { sv_text("Epsilon"), SV_INT_(2) };
	int changed = -1;
	assert_int_equal(store_update(c, "countries", (const char *[]){ "name_en", "version" }, v, 2, w, 2, &changed), STORE_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(store_update(c, "countries", (const char *[]){ "name_en", "version" }, v, 2, w, 2, &changed), STORE_OK);
	assert_int_equal(changed, 0); /* the version moved on: nothing matched */
	store_rollback(c);
}

static void backup_is_a_usable_copy(void **state)
{
	testdb *t = *state;
	char out[128], err[256];
	snprintf(out, sizeof out, "%s/copy.db", t->dir);
	assert_int_equal(store_backup(t->st, out, err, sizeof err), STORE_OK);
	store *copy = store_open(out, err, sizeof err);
	assert_non_null(copy);
	int64_t n = 0;
	assert_int_equal(store_count(store_reader(copy), "countries", NULL, 0, &n), STORE_OK);
	assert_int_equal(n, 5);
	store_close(copy);
	assert_int_equal(store_backup(t->st, "/nonexistent/dir/x.db", err, sizeof err), STORE_ERROR);
	assert_non_null(strstr(err, "/nonexistent/dir/x.db"));
}

/* The database file opened beside the store, with the tokenizer, and the
 * text of the migration whose name starts with prefix ("007_"). */
static sqlite3 *open_raw(testdb *t)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(search_register_tokenizer(db), SQLITE_OK);
	return db;
}

static const char *migration(const char *prefix)
{
	const embedded_file *m = migrations;
	while (m->name && strncmp(m->name, prefix, 4) != 0)
		m++;
	assert_non_null(m->name);
	return m->data;
}

static int count_row(void *ctx, store_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

/* How many documents a filter of the facets column finds. */
static int found_by_facet(store_conn *c, const char *name, const char *value)
{
	buf expr = BUF_INIT;
	store_search_facet(&expr, name, value);
	int found = 0;
	assert_int_equal(store_search(c, buf_str(&expr), NULL, NULL, 0, 10, count_row, &found), STORE_OK);
	buf_free(&expr);
	return found;
}

/* A document's facet values are words of the index that a filter finds
 * whole, in any case or accents, and never by a part of the value, another
 * facet's name or a value that runs into the name. */
static void facet_words_match_whole_values(void **state)
{
	(void)state;
	testdb *t = testdb_open();
	store_conn *c = store_begin(t->st);
	search_doc d = { .kind = "inquiry-messages", .record_id = 7, .classification = "internal",
			 .division = "Legal Affairs", .updated_at = "2026-01-01T00:00:00Z", .langs = "[\"en\",\"fr\"]",
			 .titles = "{}", .text = { "Title", "Body" },
			 .facets = "division\tLegal Affairs\ncountry\tPH\ntags\tMigración laboral\ntags\trcp\n" };
	assert_int_equal(store_search_put(c, &d, 1), STORE_OK);
	static const struct { const char *name, *value; int found; } cases[] = {
		{ "kind", "inquiry-messages", 1 }, { "lang", "fr", 1 }, { "lang", "es", 0 }, { "country", "ph", 1 },
		{ "division", "legal affairs", 1 }, { "division", "Legal", 0 }, { "tags", "migracion-laboral", 1 },
		{ "tags", "RCP", 1 }, { "tags", "migracion", 0 }, { "tag", "srcp", 0 }, { "countr", "yPH", 0 },
		{ "country", "PHL", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (found_by_facet(c, cases[i].name, cases[i].value) != cases[i].found)
			fail_msg("%s:%s should %sbe found", cases[i].name, cases[i].value, cases[i].found ? "" : "not ");
	store_rollback(c);
	testdb_close(t);
}

typedef struct words {
	char v[8][32];
	int n;
} words;

static int take_word(void *ctx, store_row *r)
{
	words *w = ctx;
	if (w->n < 8)
		snprintf(w->v[w->n++], sizeof w->v[0], "%s", store_text(r, 0, NULL));
	return 0;
}

/* The vocabulary of titles holds each word once, however many titles have
 * it, and migration 008 fills it from the trigram index it replaces. */
static void title_words_once_and_migrated(void **state)
{
	testdb *t = *state;
	store_conn *c = store_begin(t->st);
	search_doc d = { .kind = "organizations", .record_id = 8, .classification = "internal",
			 .updated_at = "2026-01-01T00:00:00Z", .langs = "[]", .titles = "{}", .text = { "Norlande Council" },
			 .vocabulary = "norlande council " };
	assert_int_equal(store_search_put(c, &d, 1), STORE_OK);
	d.record_id = 9;
	d.vocabulary = "council  of ostrena";
	assert_int_equal(store_search_put(c, &d, 1), STORE_OK);
	words got = { 0 };
	assert_int_equal(store_search_similar_words(c, "\"oun\" OR \"unc\"", 10, take_word, &got), STORE_OK);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.v[0], "council");
	assert_int_equal(store_commit(c), STORE_OK);

	sqlite3 *db = open_raw(t);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE title_word_trigrams; DROP TABLE title_words;"
					  "CREATE VIRTUAL TABLE search_trigrams USING fts5(title, tokenize = 'trigram');"
					  "INSERT INTO search_trigrams (rowid, title) VALUES (1, 'valdoria council '), "
					  "(2, 'council  of ostrena'), (3, '')",
				 NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, migration("008_"), NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(word, ' ') FROM (SELECT word FROM title_words "
						"ORDER BY word)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "council of ostrena valdoria");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT word FROM title_word_trigrams WHERE title_word_trigrams MATCH "
						"'\"ldo\"'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "valdoria");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The type-ahead's titles follow a document's replacement and removal,
 * and the index stays sound: also when a document without a title goes
 * after the last titled one (search_titles reads its text from
 * search_index, so it must hold every row, titled or not). */
static void titles_removed_cleanly(void **state)
{
	(void)state;
	testdb *t = testdb_open(); /* its own database: an empty index counts from 0 */
	store_conn *c = store_begin(t->st);
	search_doc untitled = { .kind = "interactions", .record_id = 22, .classification = "internal",
				.updated_at = "2026-01-01T00:00:00Z", .langs = "[]", .titles = "{}",
				.text = { "", "minutes of the Quillane meeting" } };
	assert_int_equal(store_search_put(c, &untitled, 1), STORE_OK);
	search_doc d = { .kind = "organizations", .record_id = 21, .classification = "internal",
			 .updated_at = "2026-01-01T00:00:00Z", .langs = "[]", .titles = "{}",
			 .text = { "Quillane Harbour Trust", "" } };
	assert_int_equal(store_search_put(c, &d, 1), STORE_OK);
	int found = 0;
	assert_int_equal(store_search_titles(c, "\"quill\"*", NULL, 0, 10, count_row, &found), STORE_OK);
	assert_int_equal(found, 1);
	d.text[0] = "Tessaline Harbour Trust";
	assert_int_equal(store_search_put(c, &d, 0), STORE_OK); /* replaces the first */
	found = 0;
	assert_int_equal(store_search_titles(c, "\"quill\"*", NULL, 0, 10, count_row, &found), STORE_OK);
	assert_int_equal(found, 0);
	assert_int_equal(store_search_titles(c, "\"harbour\" \"tess\"*", NULL, 0, 10, count_row, &found), STORE_OK);
	assert_int_equal(found, 1);
	assert_int_equal(store_commit(c), STORE_OK);
	const char *kinds[] = { "organizations", "interactions" };
	for (int i = 0; i < 2; i++) { /* each in its own transaction, off the written segments */
		c = store_begin(t->st);
		assert_int_equal(store_search_remove(c, kinds[i], 21 + i), STORE_OK);
		assert_int_equal(store_commit(c), STORE_OK);
	}
	sqlite3 *db = open_raw(t);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO search_titles (search_titles) VALUES ('integrity-check')", NULL,
				      NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	testdb_close(t);
}

static void put_harbour(store_conn *c, int64_t id, const char *title, int is_new)
{
	search_doc d = { .kind = "organizations", .record_id = id, .classification = "internal",
			 .updated_at = "2026-01-01T00:00:00Z", .langs = "[]", .titles = "{}", .text = { title, "minutes" } };
	assert_int_equal(store_search_put(c, &d, is_new), STORE_OK);
}

static int titles_found(store_conn *c, const char *match)
{
	int found = 0;
	assert_int_equal(store_search_titles(c, match, NULL, 0, 100000, count_row, &found), STORE_OK);
	return found;
}

/* A bulk load's documents wait on their connection and enter the index a
 * batch at a time, in the order FTS5 writes fastest (see "a bulk load's
 * words" in store/sqlite.c), yet the index answers at every moment as if
 * each had been written at once: a search or a replacement in the middle
 * of the load sees the documents put before it, a rollback leaves none of
 * its own, a commit writes those still waiting, and the load ends with
 * each document found once and the index sound. */
static void bulk_load_words_wait_in_batches(void **state)
{
	(void)state;
	enum { DOCS = 9000 };   /* more than two batches */
	testdb *t = testdb_open();
	store_conn *c = store_begin(t->st);
	assert_int_equal(store_search_bulk(c, STORE_BULK_BEGIN), STORE_OK);
	for (int64_t id = 1; id <= 10; id++)
		put_harbour(c, id, "Ostrena Harbour Board", 1);
	store_rollback(c);

	c = store_begin(t->st);
	assert_int_equal(store_search_bulk(c, STORE_BULK_BEGIN), STORE_OK);
	for (int64_t id = 1; id <= DOCS; id++) {
		put_harbour(c, id, id == 17 ? "Tessaline Harbour Trust" : "Harbour Board", 1);
		if (id == DOCS / 2 + 1) {
			assert_int_equal(titles_found(c, "\"tessaline\""), 1);
			put_harbour(c, 17, "Quillane Harbour Trust", 0);   /* replaces it */
			assert_int_equal(titles_found(c, "\"tessaline\""), 0);
			assert_int_equal(titles_found(c, "\"quillane\""), 1);
		}
	}
	assert_int_equal(store_search_bulk(c, STORE_BULK_END), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);

	c = store_begin(t->st);
	assert_int_equal(store_search_bulk(c, STORE_BULK_BEGIN), STORE_OK);
	put_harbour(c, DOCS + 1, "Veldmark Harbour Board", 1);
	assert_int_equal(store_commit(c), STORE_OK);   /* without the load's end */

	c = store_reader(t->st);
	assert_int_equal(titles_found(c, "\"harbour\""), DOCS + 1);
	assert_int_equal(titles_found(c, "\"quillane\""), 1);
	assert_int_equal(titles_found(c, "\"veldmark\""), 1);
	assert_int_equal(titles_found(c, "\"ostrena\" OR \"tessaline\""), 0);
	sqlite3 *db = open_raw(t);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO search_index (search_index) VALUES ('integrity-check');"
					  "INSERT INTO search_titles (search_titles) VALUES ('integrity-check')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	testdb_close(t);
}

static int64_t countries(testdb *t)
{
	int64_t n = -1;
	assert_int_equal(store_count(store_reader(t->st), "countries", NULL, 0, &n), STORE_OK);
	return n;
}

/* The countries as one request sees them: in a snapshot, begun and ended. */
static int64_t countries_in_a_request(testdb *t)
{
	store_snapshot_begin(t->st);
	int64_t n = countries(t);
	store_snapshot_end(t->st);
	return n;
}

/* One country added and committed through st's writer. */
static void commit_country(store *st, const char *iso2, const char *name)
{
	store_conn *c = store_begin(st);
	add_country(c, iso2, name, "none");
	assert_int_equal(store_commit(c), STORE_OK);
}

static uint64_t statements_run(testdb *t)
{
	uint64_t n, micros;
	store_stats(t->st, &n, &micros);
	return n;
}

/* A request's snapshot is kept for the thread's next request only while no
 * connection has committed since: not this store's writer, not another
 * process (here another store on the same file), and a snapshot never moves
 * while its request reads. */
static void kept_snapshot_sees_every_commit(void **state)
{
	testdb *t = *state;
	assert_int_equal(countries_in_a_request(t), 5);
	uint64_t before = statements_run(t);
	assert_int_equal(countries_in_a_request(t), 5);
	assert_int_equal(statements_run(t) - before, 1); /* kept: no COMMIT, no BEGIN */

	commit_country(t->st, "FF", "Phi");
	assert_int_equal(countries_in_a_request(t), 6);

	char err[256];
	store *other = store_open(t->path, err, sizeof err);
	assert_non_null(other);
	store_snapshot_begin(t->st);
	assert_int_equal(countries(t), 6);
	commit_country(other, "GG", "Gamma Two");
	assert_int_equal(countries(t), 6); /* the request's own snapshot holds */
	store_snapshot_end(t->st);
	assert_int_equal(countries_in_a_request(t), 7);
	store_close(other);
}

static int checkpoint_blocked(testdb *t)
{
	sqlite3 *db = open_raw(t);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int busy = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return busy;
}

/* How many times the sweeper threads of this process have woken up; -1
 * when there is none. */
static long sweeper_wakeups(void)
{
	long total = -1;
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	for (struct dirent *t; (t = readdir(d));) {
		char path[300], line[128];
		snprintf(path, sizeof path, "/proc/self/task/%s/comm", t->d_name);
		FILE *f = fopen(path, "r");
		int sweeper = f && fgets(line, sizeof line, f) && strncmp(line, "liaison-sweep", 13) == 0;
		if (f)
			fclose(f);
		if (!sweeper)
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%s/status", t->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof line, f))
			if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0)
				total = (total < 0 ? 0 : total) + atol(line + 24);
		fclose(f);
	}
	closedir(d);
	return total;
}

/* A kept snapshot pins the WAL: when its thread has no further request, the
 * sweeper ends it, and the WAL can be checkpointed and emptied again.  With
 * no snapshot left, the sweeper sleeps instead of waking every 50 ms. */
static void idle_snapshot_is_swept(void **state)
{
	testdb *t = *state;
	assert_int_equal(countries_in_a_request(t), 5);
	commit_country(t->st, "HH", "Eta"); /* frames the kept snapshot does not see */
	assert_int_equal(checkpoint_blocked(t), 1);
	usleep(300 * 1000);
	assert_int_equal(checkpoint_blocked(t), 0);
	long woken = sweeper_wakeups();
	assert_true(woken >= 0);
	usleep(300 * 1000);
	assert_true(sweeper_wakeups() - woken <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equality_and_or),
		cmocka_unit_test(keyset_cursor_with_nulls),
		cmocka_unit_test(in_select_and_count),
		cmocka_unit_test(exists_and_not),
		cmocka_unit_test(unique_violation_is_constraint),
		cmocka_unit_test(counters_count_on),
		cmocka_unit_test(counts_stop_at_their_bound),
		cmocka_unit_test(bad_identifiers_are_refused),
		cmocka_unit_test(update_reports_changes),
		cmocka_unit_test(backup_is_a_usable_copy),
		cmocka_unit_test(facet_words_match_whole_values),
		cmocka_unit_test(title_words_once_and_migrated),
		cmocka_unit_test(titles_removed_cleanly),
		cmocka_unit_test(bulk_load_words_wait_in_batches),
		cmocka_unit_test_setup_teardown(kept_snapshot_sees_every_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(idle_snapshot_is_swept, setup, teardown),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
