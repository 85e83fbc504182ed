/*
 * test_audit — the hash chain against a real SQLite file, tampered with
 * through SQL as an attacker holding the file would: every column of the
 * first, a middle, the last and a userless entry edited (one test per column
 * of the audit table, as the database lists them, so a new column cannot go
 * unchecked); entries deleted, inserted, swapped; the tail cut and the chain
 * rewritten with recomputed hashes, which only a head kept elsewhere shows;
 * forged redactions; genuine erasures, once and twice; entries written
 * before hash format 2, as databases hold them, still verifying; and the
 * heads file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <sodium.h>

#include "model/audit.h"
#include "model/auditheads.h"
#include "testdb.h"

#define N 150          /* entries in the chain */
#define MIDDLE 75
#define USERLESS 2     /* an entry written by no user (user_id and user_name empty) */
#define PERSON 9       /* the record of kind persons with entries at 10, 50 and 90 */
#define REDACTED "{\"redacted\":\"personal data erased\"}"
#define GENESIS_63 "000000000000000000000000000000000000000000000000000000000000000"
#define GENESIS GENESIS_63 "0"

static const user writer = { 7, "amina", ROLE_STAFF, "IPD", 0, "en" };

typedef struct fixture {
	testdb *t;
	const char *column;  /* the column a generated test edits */
} fixture;

static void append_chain(testdb *t)
{
	store_conn *c = store_begin(t->st);
	for (int i = 1; i <= N; i++) {
		char changes[96];
		int person = i == 10 || i == 50 || i == 90;
		snprintf(changes, sizeof changes, "{\"%s\":{\"before\":null,\"after\":\"Value %d\"}}",
			 person ? "family_name" : "acronym", i);
		assert_int_equal(audit_append(c, i % 7 == USERLESS ? NULL : &writer, i == 1 || person ? "create" : "update",
					      person ? "persons" : "organizations", person ? PERSON : i, 1 + i / 10, changes), 0);
	}
	assert_int_equal(store_commit(c), STORE_OK);
}

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	fixture *f = calloc(1, sizeof *f);
	f->column = *state;
	f->t = testdb_open();
	append_chain(f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	testdb_close(f->t);
	free(f);
	return 0;
}

/* Tampering from outside Liaison, as an attacker with the file would. */
static void tamper(testdb *t, const char *fmt, ...)
{
	char *sql;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&sql, fmt, ap);
	va_end(ap);
	assert_true(n > 0);
	sqlite3 *db;
	char *err = NULL;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	free(sql);
}

static audit_report verify(testdb *t, const audit_head *heads, size_t n)
{
	audit_report rep;
	assert_int_equal(audit_verify(t->st, heads, n, &rep), 0);
	return rep;
}

static void assert_broken_at(testdb *t, const audit_head *heads, size_t n, int64_t id, const char *why)
{
	audit_report rep = verify(t, heads, n);
	if (rep.ok)
		fail_msg("tampering expected at entry %" PRId64 " went unnoticed", id);
	if (rep.first_bad != id || (why && !strstr(rep.reason, why)))
		fail_msg("expected entry %" PRId64 " (%s), got %" PRId64 ": %s", id, why ? why : "", rep.first_bad, rep.reason);
}

static audit_head head_now(testdb *t)
{
	audit_head h;
	assert_int_equal(audit_head_of(t->st, &h), 0);
	snprintf(h.origin, sizeof h.origin, "given with --head");
	return h;
}

/* The head at entry seq, as it was recorded then. */
static audit_head head_at(testdb *t, int64_t seq)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	audit_head h = { .seq = seq, .origin = "given with --head" };
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM audit WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(h.hash, sizeof h.hash, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return h;
}

/* ---- a forger: the hash rule of audit.c (format 2), written again ------- */

static void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void field(buf *b, sqlite3_stmt *st, int col, int text)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		buf_puts(b, "-\n");
	else if (text)
		buf_printf(b, "%d:%s\n", sqlite3_column_bytes(st, col), sqlite3_column_text(st, col));
	else
		buf_printf(b, "%lld\n", (long long)sqlite3_column_int64(st, col));
}

/* Recomputes prev_hash and hash of every entry from `from` on, as someone
 * who has the file and knows the rule can. */
static void forge_rehash(testdb *t, int64_t from)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char prev[65] = GENESIS;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, at, user_id, user_name, action, kind, record_id, version, "
						"changes_hash, hash FROM audit ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id >= from) {
			buf b = BUF_INIT;
			static const int text[] = { 0, 1, 0, 1, 1, 1, 0, 0, 1 };
			buf_puts(&b, "liaison audit 2\n");
			for (int col = 0; col < 9; col++)
				field(&b, st, col, text[col]);
			buf_printf(&b, "0\n64:%s\n", prev);
			char hash[65];
			sha256_hex(b.data, b.len, hash);
			buf_free(&b);
			char *sql = sqlite3_mprintf("UPDATE audit SET prev_hash = %Q, hash = %Q WHERE id = %lld", prev, hash,
						    (long long)id);
			assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
			sqlite3_free(sql);
			snprintf(prev, sizeof prev, "%s", hash);
		} else {
			snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 9));
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* changes rewritten with a matching changes_hash */
static void forge_changes(testdb *t, int64_t id, const char *changes)
{
	char h[65];
	sha256_hex(changes, strlen(changes), h);
	tamper(t, "UPDATE audit SET changes = '%s', changes_hash = '%s' WHERE id = %lld", changes, h, (long long)id);
}

/* ---- the intact chain ----------------------------------------------------- */

static void intact_chain_verifies(void **state)
{
	fixture *f = *state;
	audit_report rep = verify(f->t, NULL, 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, N);
	audit_head h = head_now(f->t);
	assert_int_equal(h.seq, N);
	rep = verify(f->t, &h, 1);
	assert_true(rep.ok);
	assert_int_equal(rep.heads, 1);
}

static void new_entries_are_format_2(void **state)
{
	fixture *f = *state;
	int64_t n = 0;
	store_cond w = COND_EQ("hash_format", SV_INT_(2));
	assert_int_equal(store_count(store_reader(f->t->st), "audit", &w, 1, &n), STORE_OK);
	assert_int_equal(n, N);
}

/* ---- every column ------------------------------------------------------------ */

/* The column edited in place, whatever its type: a number moved, a text
 * lengthened, an empty value filled. */
static void edit_column(testdb *t, const char *col, int64_t id)
{
	tamper(t, "UPDATE audit SET \"%s\" = CASE typeof(\"%s\") WHEN 'integer' THEN \"%s\" + 1000 "
		  "WHEN 'text' THEN \"%s\" || 'x' ELSE 1 END WHERE id = %lld", col, col, col, col, (long long)id);
}

static void restore(testdb *t)
{
	tamper(t, "DELETE FROM audit; INSERT INTO audit SELECT * FROM intact");
}

static void column_edit_is_caught(void **state)
{
	fixture *f = *state;
	static const int64_t at[] = { 1, USERLESS, MIDDLE, N };
	tamper(f->t, "CREATE TABLE intact AS SELECT * FROM audit");
	for (size_t i = 0; i < COUNT(at); i++) {
		edit_column(f->t, f->column, at[i]);
		/* an id moved 1000 on leaves a gap where it was, found at the next entry (or at itself, the last) */
		int64_t expect = strcmp(f->column, "id") != 0 ? at[i] : at[i] == N ? N + 1000 : at[i] + 1;
		assert_broken_at(f->t, NULL, 0, expect, NULL);
		restore(f->t);
		assert_true(verify(f->t, NULL, 0).ok);
	}
}

static void nul_byte_in_a_text_is_caught(void **state)
{
	fixture *f = *state;
	static const char *const texts[] = { "at", "user_name", "action", "kind", "changes", "changes_hash", "prev_hash", "hash" };
	tamper(f->t, "CREATE TABLE intact AS SELECT * FROM audit");
	for (size_t i = 0; i < COUNT(texts); i++) {
		tamper(f->t, "UPDATE audit SET %s = %s || char(0) || 'x' WHERE id = %d", texts[i], texts[i], MIDDLE);
		assert_broken_at(f->t, NULL, 0, MIDDLE, texts[i]);
		restore(f->t);
	}
}

/* ---- removed, inserted, swapped ----------------------------------------------- */

static void removed_first_entry_is_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "DELETE FROM audit WHERE id = 1");
	assert_broken_at(f->t, NULL, 0, 2, "not consecutive");
}

static void removed_middle_entry_is_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "DELETE FROM audit WHERE id = %d", MIDDLE);
	assert_broken_at(f->t, NULL, 0, MIDDLE + 1, "not consecutive");
}

static void renumbered_removal_is_caught(void **state)
{
	fixture *f = *state;
	/* remove entry 2 and close the gap: ids look consecutive, hashes do not chain */
	tamper(f->t, "DELETE FROM audit WHERE id = 2; UPDATE audit SET id = id - 1 WHERE id > 2");
	assert_broken_at(f->t, NULL, 0, 2, "previous hash");
}

static void removed_last_entry_is_caught_by_a_head(void **state)
{
	fixture *f = *state;
	audit_head h = head_now(f->t);
	tamper(f->t, "DELETE FROM audit WHERE id = %d", N);
	/* the chain alone cannot tell: what is left is a chain */
	assert_true(verify(f->t, NULL, 0).ok);
	assert_broken_at(f->t, &h, 1, N, "the chain ends at 149 but a head at 150 was given with --head: entries were removed");
}

/* Entry k+1 made room for, with a new entry in it. */
static void insert_after(testdb *t, int64_t k)
{
	tamper(t, "UPDATE audit SET id = -(id + 1) WHERE id > %lld; UPDATE audit SET id = -id WHERE id < 0;"
		  "INSERT INTO audit SELECT %lld, at, user_id, user_name, action, kind, record_id, version, changes, "
		  "changes_hash, redacted, hash, hash, hash_format FROM audit WHERE id = %lld",
	       (long long)k, (long long)k + 1, (long long)k);
	forge_changes(t, k + 1, "{\"acronym\":{\"before\":null,\"after\":\"Forged\"}}");
}

static void inserted_entry_is_caught(void **state)
{
	fixture *f = *state;
	insert_after(f->t, MIDDLE);
	assert_broken_at(f->t, NULL, 0, MIDDLE + 1, "altered");
}

static void inserted_entry_with_recomputed_hashes_is_caught_by_a_head(void **state)
{
	fixture *f = *state;
	audit_head h = head_now(f->t);
	insert_after(f->t, MIDDLE);
	forge_rehash(f->t, MIDDLE + 1);
	audit_report rep = verify(f->t, NULL, 0);
	assert_true(rep.ok); /* the forger's hashes are right: only the head can tell */
	assert_int_equal(rep.entries, N + 1);
	assert_broken_at(f->t, &h, 1, N, "hash differs from the head given with --head: the chain was rewritten");
}

static void swapped_entries_are_caught(void **state)
{
	fixture *f = *state;
	/* entries 3 and 4 trade places, their ids staying where they were */
	tamper(f->t, "CREATE TABLE swap AS SELECT * FROM audit WHERE id IN (3, 4);"
		     "UPDATE swap SET id = 7 - id; DELETE FROM audit WHERE id IN (3, 4);"
		     "INSERT INTO audit SELECT * FROM swap");
	assert_broken_at(f->t, NULL, 0, 3, "previous hash");
}

static void edit_with_recomputed_hashes_is_caught_by_a_head(void **state)
{
	fixture *f = *state;
	audit_head before = head_at(f->t, 40), end = head_now(f->t);
	forge_changes(f->t, MIDDLE, "{\"acronym\":{\"before\":null,\"after\":\"Forged\"}}");
	forge_rehash(f->t, MIDDLE);
	assert_true(verify(f->t, NULL, 0).ok);
	/* a head taken before the edited entry vouches only for the chain up to it */
	audit_report rep = verify(f->t, &before, 1);
	assert_true(rep.ok);
	assert_int_equal(rep.heads, 1);
	assert_broken_at(f->t, &end, 1, N, "the chain was rewritten");
}

/* ---- the tail cut --------------------------------------------------------------- */

static void cut_tail(testdb *t, int n)
{
	tamper(t, "DELETE FROM audit WHERE id > %d", N - n);
}

static void cut_tail_is_caught_by_a_given_head(void **state)
{
	fixture *f = *state;
	static const int cuts[] = { 1, 100 };
	audit_head h = head_now(f->t);
	tamper(f->t, "CREATE TABLE intact AS SELECT * FROM audit");
	for (size_t i = 0; i < COUNT(cuts); i++) {
		cut_tail(f->t, cuts[i]);
		assert_true(verify(f->t, NULL, 0).ok); /* without an anchor a cut tail cannot be seen */
		assert_broken_at(f->t, &h, 1, N - cuts[i] + 1, "entries were removed");
		restore(f->t);
	}
}

static void cut_tail_is_caught_by_recorded_heads(void **state)
{
	fixture *f = *state;
	static const int cuts[] = { 1, 100 };
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/t.db-heads", f->t->dir);
	audit_head h;
	assert_int_equal(audit_heads_record(f->t->st, path, "backup", &h, err, sizeof err), 0);
	assert_int_equal(h.seq, N);
	tamper(f->t, "CREATE TABLE intact AS SELECT * FROM audit");
	for (size_t i = 0; i < COUNT(cuts); i++) {
		audit_heads recorded = { 0 };
		cut_tail(f->t, cuts[i]);
		assert_int_equal(audit_heads_read(path, 0, &recorded, err, sizeof err), 0);
		assert_int_equal(recorded.n, 1);
		assert_broken_at(f->t, recorded.v, recorded.n, N - cuts[i] + 1, "but a head at 150 was recorded on ");
		assert_non_null(strstr(verify(f->t, recorded.v, recorded.n).reason, "(backup): entries were removed"));
		audit_heads_free(&recorded);
		restore(f->t);
	}
}

static void heads_inside_the_chain_all_match(void **state)
{
	fixture *f = *state;
	audit_head heads[3] = { head_now(f->t), { 0 }, head_at(f->t, 20) };
	assert_int_equal(audit_head_parse("0:" GENESIS, &heads[1]), 0);
	audit_report rep = verify(f->t, heads, 3);
	assert_true(rep.ok);
	assert_int_equal(rep.heads, 3);
	snprintf(heads[2].hash, sizeof heads[2].hash, "%s", heads[0].hash);
	assert_broken_at(f->t, heads, 3, 20, "hash differs");
}

/* ---- redaction ------------------------------------------------------------------- */

static void erase(testdb *t, int64_t record_id)
{
	store_conn *c = store_begin(t->st);
	assert_int_equal(audit_redact(c, &writer, "persons", record_id), 0);
	assert_int_equal(audit_append(c, &writer, "erase", "persons", record_id, 99, "{\"family_name\":{\"erased\":true}}"), 0);
	assert_int_equal(store_commit(c), STORE_OK);
}

static int64_t count_where(testdb *t, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void erasure_keeps_the_chain_valid(void **state)
{
	fixture *f = *state;
	erase(f->t, PERSON);
	audit_report rep = verify(f->t, NULL, 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, N + 2);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE redacted = 1 AND record_id = 9 AND kind = 'persons'"
					   " AND changes = '" REDACTED "'"), 3);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE id = 151 AND action = 'redact'"
					   " AND changes = '{\"entries\":[10,50,90]}' AND redacted = 0"), 1);
	/* the person written again, and erased again: the second erasure names only what it redacted */
	store_conn *c = store_begin(f->t->st);
	assert_int_equal(audit_append(c, &writer, "update", "persons", PERSON, 100, "{\"family_name\":{\"after\":\"Again\"}}"), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	erase(f->t, PERSON);
	assert_true(verify(f->t, NULL, 0).ok);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE action = 'redact' AND id = 154"
					   " AND changes = '{\"entries\":[152,153]}'"), 1);
}

static void forged_redaction_is_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "UPDATE audit SET redacted = 1, changes = '" REDACTED "' WHERE id = %d", MIDDLE);
	assert_broken_at(f->t, NULL, 0, MIDDLE, "no later erasure names it");
	assert_int_equal(verify(f->t, NULL, 0).entries, MIDDLE - 1); /* sound: those before it */
}

static void forged_redaction_of_an_erased_record_is_caught(void **state)
{
	fixture *f = *state;
	erase(f->t, PERSON);
	/* an entry about another record, made to look erased with the person's */
	tamper(f->t, "UPDATE audit SET redacted = 1, changes = '" REDACTED "' WHERE id = 11");
	assert_broken_at(f->t, NULL, 0, 11, "no later erasure names it");
}

static void redaction_entry_edited_is_caught(void **state)
{
	fixture *f = *state;
	erase(f->t, PERSON);
	tamper(f->t, "UPDATE audit SET redacted = 1, changes = '" REDACTED "' WHERE id = 11;"
		     "UPDATE audit SET changes = '{\"entries\":[10,11,50,90]}' WHERE action = 'redact'");
	assert_broken_at(f->t, NULL, 0, 151, "changes were altered");
}

static void redacted_changes_edited_are_caught(void **state)
{
	fixture *f = *state;
	erase(f->t, PERSON);
	tamper(f->t, "UPDATE audit SET changes = '{\"family_name\":{\"after\":\"Someone else\"}}' WHERE id = 50");
	assert_broken_at(f->t, NULL, 0, 50, "redacted entry's changes were altered");
}

static void undone_redaction_is_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "CREATE TABLE intact AS SELECT * FROM audit");
	erase(f->t, PERSON);
	/* the erased data put back from a stolen copy: the erasure still names the entry */
	tamper(f->t, "UPDATE audit SET redacted = 0, changes = (SELECT changes FROM intact WHERE id = 50) WHERE id = 50");
	assert_broken_at(f->t, NULL, 0, 151, "names entry 50 as redacted");
}

/* ---- entries written before format 2 ------------------------------------------------ */

/* Written by the release before hash format 2 (its audit_append and
 * audit_redact, then the erasure's own entry), as an upgraded database holds
 * them: migration 011 gave them hash_format 1.  Entry 4 and 5 are a person's,
 * redacted by the erasure that wrote entry 7. */
static const char legacy_rows[] =
	"INSERT INTO audit (id, at, user_id, user_name, action, kind, record_id, version, changes, changes_hash, redacted, prev_hash, hash) VALUES"
	"(1,'2026-12-05T12:23:59Z',NULL,NULL,'create','users',2,1,'{\"name\":{\"after\":\"amina\"},\"role\":{\"after\":\"admin\"}}','6d6f4ae83017cbecdd09c3869f39b5a17882ba2c016df7e8cf40fc0f42eb352d',0,'0000000000000000000000000000000000000000000000000000000000000000','b010670444ba3f27edc45eeb273fc23e7fb03ae8d152918563683fc101fd8c10'),"
	"(2,'2026-12-05T12:23:59Z',2,'amina','create','organizations',1,1,'{\"name_en\":{\"before\":null,\"after\":\"Harbour Weavers Collective\"},\"type\":{\"before\":null,\"after\":\"cso\"}}','9618a34b1ff8d2986a0601e64b39feebb3e99dddef4ad832d4724f675f49e98a',0,'b010670444ba3f27edc45eeb273fc23e7fb03ae8d152918563683fc101fd8c10','4fb5daaaf9bd83fc41fef78440073fb0eb9e7ea53899b63fb899a7843b3f61e2'),"
	"(3,'2026-12-05T12:23:59Z',2,'amina','create','persons',1,1,'{\"given_name\":{\"before\":null,\"after\":\"Teodor\"},\"family_name\":{\"before\":null,\"after\":\"Mirelle\"}}','074fd55873b5e5bc76d82e969f6b9ecdaf2f2930e0014ca287d91890939b9092',0,'4fb5daaaf9bd83fc41fef78440073fb0eb9e7ea53899b63fb899a7843b3f61e2','000ef9f5cd9458905547d5b593e98492b298d1083c2754aad92faa0349667066'),"
	"(4,'2026-12-05T12:23:59Z',2,'amina','create','persons',2,1,'{\"redacted\":\"personal data erased\"}','4e9c95624e22e93beb50f876f10a011e4a628bd1821d755fb3bd8efe17836356',1,'000ef9f5cd9458905547d5b593e98492b298d1083c2754aad92faa0349667066','80733d0f3ba675a92643ff2141c036ec7bb306a12d584cce6788c4ea80db35c7'),"
	"(5,'2026-12-05T12:23:59Z',2,'amina','update','persons',2,2,'{\"redacted\":\"personal data erased\"}','d39c529e41581e3ddf6997b4a48a2b6487502e49cdc4363952610073e6ac935e',1,'80733d0f3ba675a92643ff2141c036ec7bb306a12d584cce6788c4ea80db35c7','4c4e9b770105798cf5401d25ba9d1a55260b9a727da164a53c622d25384211d3'),"
	"(6,'2026-12-05T12:23:59Z',2,'amina','update','organizations',1,2,'{\"acronym\":{\"before\":null,\"after\":\"HWC\"}}','03ead0ba99cd73653eff77795ae563a2d9355d4df49b266c5579ba1af118f7eb',0,'4c4e9b770105798cf5401d25ba9d1a55260b9a727da164a53c622d25384211d3','09bc911e40394356dbb702c0391e4117bb7004e41669910a78258a796d318a5f'),"
	"(7,'2026-12-05T12:23:59Z',2,'amina','erase','persons',2,3,'{\"given_name\":{\"erased\":true},\"family_name\":{\"erased\":true},\"position\":{\"erased\":true}}','da57a41722f1d9166456294068bd047ba5fb38460c2c56f1c3aab332601fe826',0,'09bc911e40394356dbb702c0391e4117bb7004e41669910a78258a796d318a5f','077f3b0feb99557bc9151de495d739732c8cc830b616bc290f429454106fb14a'),"
	"(8,'2026-12-05T12:23:59Z',2,'amina','update','persons',1,2,'{\"position\":{\"before\":null,\"after\":\"Rapporteur\"}}','d7d626a671eaeda63cfa40830b0f4145250d53fb99d458ab74aa55abae868ea9',0,'077f3b0feb99557bc9151de495d739732c8cc830b616bc290f429454106fb14a','332faa699c69bb3320d34c70e34c2b76731e319b0c40d8f5414ccb7aec0396c7')";

static int setup_legacy(void **state)
{
	if (sodium_init() < 0)
		return -1;
	fixture *f = calloc(1, sizeof *f);
	f->t = testdb_open();
	tamper(f->t, "%s", legacy_rows);
	*state = f;
	return 0;
}

static void legacy_entries_verify(void **state)
{
	fixture *f = *state;
	audit_report rep = verify(f->t, NULL, 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, 8);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE hash_format = 1"), 8);
	/* the chain goes on in format 2, and the other person is erased under the new rule */
	store_conn *c = store_begin(f->t->st);
	assert_int_equal(audit_append(c, &writer, "update", "persons", 1, 3, "{\"position\":{\"after\":\"Chair\"}}"), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	erase(f->t, 1);
	rep = verify(f->t, NULL, 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, 11);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE action = 'redact' AND changes = '{\"entries\":[3,8,9]}'"), 1);
	/* person 2 erased again: the entries already redacted stay named by their own erasure */
	erase(f->t, 2);
	assert_true(verify(f->t, NULL, 0).ok);
	assert_int_equal(count_where(f->t, "SELECT count(*) FROM audit WHERE action = 'redact' AND changes = '{\"entries\":[7]}'"), 1);
}

static void legacy_forged_redaction_is_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "UPDATE audit SET redacted = 1, changes = '" REDACTED "' WHERE id = 3");
	assert_broken_at(f->t, NULL, 0, 3, "no later erasure names it");
}

static void legacy_redacted_changes_edited_are_caught(void **state)
{
	fixture *f = *state;
	tamper(f->t, "UPDATE audit SET changes = '{}' WHERE id = 5");
	assert_broken_at(f->t, NULL, 0, 5, "redacted entry's changes were altered");
}

static void format_2_entry_made_format_1_is_caught(void **state)
{
	fixture *f = *state;
	store_conn *c = store_begin(f->t->st);
	assert_int_equal(audit_append(c, &writer, "update", "persons", 1, 3, "{}"), 0);
	assert_int_equal(audit_append(c, &writer, "update", "persons", 1, 4, "{}"), 0);
	assert_int_equal(store_commit(c), STORE_OK);
	tamper(f->t, "UPDATE audit SET hash_format = 1 WHERE id = 10");
	assert_broken_at(f->t, NULL, 0, 10, "format-1 entry after format-2");
	tamper(f->t, "UPDATE audit SET hash_format = 1 WHERE id = 9");
	assert_broken_at(f->t, NULL, 0, 9, "altered");
	tamper(f->t, "UPDATE audit SET hash_format = 2 WHERE id IN (9, 10); UPDATE audit SET hash_format = 2 WHERE id = 8");
	assert_broken_at(f->t, NULL, 0, 8, "altered");
}

/* ---- heads ------------------------------------------------------------------------ */

static void heads_are_parsed_strictly(void **state)
{
	(void)state;
	audit_head h;
	static const char *const bad[] = { "", "12", "12:", ":" GENESIS, "-1:" GENESIS, "1:" GENESIS "0",
					   "1:" GENESIS_63 "g", "1 :" GENESIS, "99999999999999999999:" GENESIS, "0x1:" GENESIS };
	for (size_t i = 0; i < COUNT(bad); i++)
		if (audit_head_parse(bad[i], &h) == 0)
			fail_msg("'%s' taken for a head", bad[i]);
	assert_int_equal(audit_head_parse("42:" GENESIS_63 "A", &h), 0);
	assert_int_equal(h.seq, 42);
	assert_string_equal(h.hash, GENESIS_63 "a");
}

static void empty_chain_has_head_zero(void **state)
{
	(void)state;
	testdb *t = testdb_open();
	audit_head h;
	assert_int_equal(audit_head_of(t->st, &h), 0);
	assert_int_equal(h.seq, 0);
	assert_string_equal(h.hash, GENESIS);
	audit_report rep;
	assert_int_equal(audit_verify(t->st, &h, 1, &rep), 0);
	assert_true(rep.ok);
	testdb_close(t);
}

static void heads_file_lines_are_checked(void **state)
{
	fixture *f = *state;
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/heads", f->t->dir);
	audit_heads list = { 0 };
	assert_int_equal(audit_heads_read(path, 1, &list, err, sizeof err), 0); /* none yet */
	assert_int_equal(list.n, 0);
	assert_int_equal(audit_heads_read(path, 0, &list, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read the heads file"));
	audit_head h = head_now(f->t);
	assert_int_equal(audit_heads_write(path, &h, "start", 1, err, sizeof err), 0);
	assert_int_equal(audit_heads_write(path, &h, "stop", 1, err, sizeof err), 0);
	assert_int_equal(audit_heads_read(path, 0, &list, err, sizeof err), 0);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.v[1].seq, N);
	assert_non_null(strstr(list.v[1].origin, "(stop)"));
	audit_heads_free(&list);
	FILE *fp = fopen(path, "a");
	fputs("2026-12-05T12:00:00Z 12:nothex\n", fp);
	fclose(fp);
	assert_int_equal(audit_heads_read(path, 0, &list, err, sizeof err), -1);
	assert_non_null(strstr(err, "heads:3: not a head"));
	audit_heads_free(&list);
}

/* ---- the tests, one per column of the audit table as the database has it ---------- */

static char **audit_columns(size_t *n)
{
	testdb *t = testdb_open();
	sqlite3 *db;
	sqlite3_stmt *st;
	char **cols = NULL;
	*n = 0;
	if (sqlite3_open(t->path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('audit')", -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		cols = realloc(cols, (*n + 1) * sizeof *cols);
		cols[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	testdb_close(t);
	return cols;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(new_entries_are_format_2, setup, teardown),
		cmocka_unit_test_setup_teardown(nul_byte_in_a_text_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_first_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_middle_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(renumbered_removal_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_last_entry_is_caught_by_a_head, setup, teardown),
		cmocka_unit_test_setup_teardown(inserted_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(inserted_entry_with_recomputed_hashes_is_caught_by_a_head, setup, teardown),
		cmocka_unit_test_setup_teardown(swapped_entries_are_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(edit_with_recomputed_hashes_is_caught_by_a_head, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_tail_is_caught_by_a_given_head, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_tail_is_caught_by_recorded_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(heads_inside_the_chain_all_match, setup, teardown),
		cmocka_unit_test_setup_teardown(erasure_keeps_the_chain_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(forged_redaction_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(forged_redaction_of_an_erased_record_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(redaction_entry_edited_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(redacted_changes_edited_are_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(undone_redaction_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(legacy_entries_verify, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(legacy_forged_redaction_is_caught, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(legacy_redacted_changes_edited_are_caught, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(format_2_entry_made_format_1_is_caught, setup_legacy, teardown),
		cmocka_unit_test(heads_are_parsed_strictly),
		cmocka_unit_test(empty_chain_has_head_zero),
		cmocka_unit_test_setup_teardown(heads_file_lines_are_checked, setup, teardown),
	};
	size_t ncols;
	char **cols = audit_columns(&ncols);
	if (ncols < 14)
		abort();
	struct CMUnitTest *tests = calloc(COUNT(fixed) + ncols, sizeof *tests);
	memcpy(tests, fixed, sizeof fixed);
	for (size_t i = 0; i < ncols; i++) {
		char *name;
		if (asprintf(&name, "column_edit_is_caught(%s)", cols[i]) < 0)
			abort();
		tests[COUNT(fixed) + i] = (struct CMUnitTest){ name, column_edit_is_caught, setup, teardown, cols[i] };
	}
	int failed = _cmocka_run_group_tests("audit", tests, COUNT(fixed) + ncols, NULL, NULL);
	for (size_t i = 0; i < ncols; i++) {
		free((char *)tests[COUNT(fixed) + i].name);
		free(cols[i]);
	}
	free(cols);
	free(tests);
	return failed;
}
