/*
 * bench/search — the search engine against raw FTS5 over the same texts.
 *
 * usage: bench_search DB [QUERIES] [--queries-only [SHAPE]]
 *
 * On a demo database (make bench builds the scale-100 one) it measures:
 *   - index build: Liaison's index (tokenizer 'liaison', with search_docs,
 *     the type-ahead's titles and the vocabulary of titles) against a plain FTS5 table with the built-in unicode61
 *     tokenizer, over the same first 100,000 records, in records/s, and the
 *     size each takes;
 *   - a fixed, seeded set of queries of seven shapes (one word, two words,
 *     phrase, prefix, filtered, common word, typo), top 20 with snippets,
 *     through model_search as a director, beside the same words as a raw
 *     FTS5 MATCH ... ORDER BY rank LIMIT 20 with snippet();
 *   - suggestions (type-ahead) for prefixes.
 * Each figure is printed beside its baseline, with the ratio.  Nothing is
 * asserted: figures go to bench/RESULTS.md.  The database is not changed:
 * the build measurement works on a temporary copy of the texts.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "model/search.h"
#include "store/tokenizer.h"

#define BUILD_RECORDS 100000

static const user director = { 1, "bench", ROLE_DIRECTOR, NULL, 0, "en" };

typedef struct shape {
	const char *name;
	const char *const *ours;  /* queries in Liaison's syntax */
	const char *const *raw;   /* the same for plain FTS5 */
	size_t n;
} shape;

static const char *const one_word[] = { "council", "asylum", "remittances", "diaspora", "integration",
					"observatory", "trafficking", "consular" };
static const char *const one_word_raw[] = { "council", "asylum", "remittances", "diaspora", "integration",
					    "observatory", "trafficking", "consular" };
static const char *const two_words[] = { "migrant workers", "border management", "climate mobility",
					 "refugee protection", "labour mobility", "return reintegration",
					 "diaspora affairs", "urban migration" };
static const char *const phrase[] = { "\"migrant workers\"", "\"border management\"", "\"exchange of views\"",
				      "\"labour mobility\"", "\"refugee protection\"", "\"health and migration\"" };
static const char *const prefix[] = { "migr*", "integ*", "remit*", "diasp*", "traff*", "consul*" };
static const char *const filtered[] = { "migration country:PH", "asylum type:organizations",
					"integration country:CH", "council country:MX" };
static const char *const filtered_raw[] = { "migration", "asylum", "integration", "council" };
static const char *const common[] = { "views", "exchange", "for", "de" };
static const char *const typo[] = { "Counsil", "Observatry", "Remitances", "Fundacion Diaspra" };
static const char *const typo_raw[] = { "Counsil", "Observatry", "Remitances", "Fundacion Diaspra" };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void pct(uint64_t *v, size_t n, double *p50, double *p99)
{
	qsort(v, n, sizeof *v, cmp_u64);
	*p50 = (double)v[n / 2] / 1000.0;
	*p99 = (double)v[n * 99 / 100] / 1000.0;
}

/* ---- raw FTS5, the floor ----------------------------------------------------------- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536", 0, 0, 0);
	search_register_tokenizer(db); /* to read the texts out of Liaison's index */
	return db;
}

/* The texts Liaison's index holds (of the build copy), into a plain FTS5 table. */
static double raw_build(sqlite3 *raw, const char *src_path, size_t *n)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS src", src_path);
	sqlite3_exec(raw, sql, 0, 0, 0);
	sqlite3_exec(raw, "CREATE VIRTUAL TABLE raw USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')", 0, 0, 0);
	uint64_t t0 = clock_micros();
	sqlite3_exec(raw, "BEGIN", 0, 0, 0);
	snprintf(sql, sizeof sql, "INSERT INTO raw (rowid, title, body) SELECT rowid, title, body FROM src.search_index");
	sqlite3_exec(raw, sql, 0, 0, 0);
	sqlite3_exec(raw, "COMMIT", 0, 0, 0);
	uint64_t took = clock_micros() - t0;
	*n = (size_t)sqlite3_changes(raw);
	sqlite3_exec(raw, "DETACH src", 0, 0, 0);
	return (double)*n / ((double)took / 1e6);
}

static int64_t table_bytes(sqlite3 *db, const char *like)
{
	sqlite3_stmt *st;
	int64_t bytes = 0;
	if (sqlite3_prepare_v2(db, "SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		bytes = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return bytes;
}

static uint64_t raw_query(sqlite3 *raw, const char *q)
{
	sqlite3_stmt *st;
	uint64_t t0 = clock_micros();
	if (sqlite3_prepare_v2(raw, "SELECT rowid, snippet(raw, -1, '<mark>', '</mark>', '…', 16) FROM raw "
				    "WHERE raw MATCH ? ORDER BY rank LIMIT 20", -1, &st, NULL) != SQLITE_OK)
		return 0;
	/* words ANDed, each quoted, as our parser does; a trailing * stays a prefix */
	char *spaced = sqlite3_mprintf("%s", q);
	for (char *p = spaced; *p; p++)
		if (*p == '"')
			*p = ' ';
	char buf2[512] = "";
	char *save = NULL;
	for (char *w = strtok_r(spaced, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w);
		int star = len && w[len - 1] == '*';
		if (star)
			w[len - 1] = '\0';
		char piece[160];
		snprintf(piece, sizeof piece, "%s\"%s\"%s", buf2[0] ? " " : "", w, star ? " *" : "");
		strncat(buf2, piece, sizeof buf2 - strlen(buf2) - 1);
	}
	sqlite3_free(spaced);
	sqlite3_bind_text(st, 1, q[0] == '"' ? q : buf2, -1, SQLITE_TRANSIENT); /* a phrase stays one */
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return clock_micros() - t0;
}

/* ---- Liaison ------------------------------------------------------------------------- */

static uint64_t our_query(cli_db *db, const char *q)
{
	model_ctx m;
	model_init(&m, db->st, &db->reg, &director);
	uint64_t t0 = clock_micros();
	store_snapshot_begin(db->st);
	model_search(&m, q, NULL, 20);
	store_snapshot_end(db->st);
	uint64_t took = clock_micros() - t0;
	model_done(&m);
	return took;
}

static uint64_t our_suggest(cli_db *db, const char *q)
{
	model_ctx m;
	model_init(&m, db->st, &db->reg, &director);
	uint64_t t0 = clock_micros();
	store_snapshot_begin(db->st);
	model_suggest(&m, q, NULL);
	store_snapshot_end(db->st);
	uint64_t took = clock_micros() - t0;
	model_done(&m);
	return took;
}

/* Liaison's own index build over the first records, in a copy (left at
 * copy for raw_build to read the same texts). */
static double our_build(const char *src_path, const char *copy, size_t *n, int64_t *bytes)
{
	char err[256];
	remove(copy);
	cli_db db;
	if (cli_open(&db, src_path, 0))
		return 0;
	if (store_backup(db.st, copy, err, sizeof err)) {
		cli_close(&db);
		return 0;
	}
	cli_close(&db);
	if (cli_open(&db, copy, 0))
		return 0;
	store_bulk_mode(db.st);
	model_ctx m;
	model_init(&m, db.st, &db.reg, &director);
	size_t records = 0;
	search_reindex(&m, 1, &records); /* drops the copied index, untimed */
	uint64_t t0 = clock_micros();
	search_reindex(&m, BUILD_RECORDS, &records);
	uint64_t took = clock_micros() - t0;
	model_done(&m);
	cli_close(&db);
	*n = records;
	sqlite3 *s;
	sqlite3_open(copy, &s);
	*bytes = table_bytes(s, "search_%") + table_bytes(s, "title_word%");
	sqlite3_close(s);
	return (double)records / ((double)took / 1e6);
}

static void line(const char *name, double p50, double p99, double r50, double r99)
{
	printf("%-22s p50 %7.2f ms  p99 %7.2f ms | raw FTS5 p50 %7.2f ms  p99 %7.2f ms | ratio p50 %.2f p99 %.2f\n",
	       name, p50, p99, r50, r99, r50 > 0 ? p50 / r50 : 0, r99 > 0 ? p99 / r99 : 0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_search DB [QUERIES]\n");
		return 2;
	}
	const char *path = argv[1];
	size_t total = argc > 2 ? (size_t)atol(argv[2]) : 1000;
	int queries_only = argc > 3 && strcmp(argv[3], "--queries-only") == 0;
	const char *only = queries_only && argc > 4 ? argv[4] : NULL; /* one shape, to profile it */
	char work[512];
	snprintf(work, sizeof work, "%s", path);
	char *slash = strrchr(work, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(work, sizeof work, ".");

	char raw_path[600];
	snprintf(raw_path, sizeof raw_path, "%s/search-raw.db", work);
	sqlite3 *raw;
	if (!queries_only) { /* index build */
		remove(raw_path);
		raw = raw_open(raw_path);
		size_t nraw = 0, nours = 0;
		int64_t ours_bytes = 0;
		char copy[600];
		snprintf(copy, sizeof copy, "%s/search-build.db", work);
		double our_rate = our_build(path, copy, &nours, &ours_bytes);
		double raw_rate = raw_build(raw, copy, &nraw);
		remove(copy);
		printf("index build (%zu records): %.0f records/s | raw FTS5 %.0f records/s | ratio %.2f\n", nours,
		       our_rate, raw_rate, raw_rate > 0 ? our_rate / raw_rate : 0);
		printf("index size  (%zu records): %.1f MB (words, documents, titles, vocabulary) | raw FTS5 %.1f MB | ratio %.2f\n",
		       nours, (double)ours_bytes / 1e6, (double)table_bytes(raw, "raw%") / 1e6,
		       (double)ours_bytes / (double)table_bytes(raw, "raw%"));
		sqlite3_close(raw);
		remove(raw_path);
	}

	/* queries: raw FTS5 over the same texts of the whole database (kept for the next run) */
	int have_raw = access(raw_path, R_OK) == 0;
	raw = raw_open(raw_path);
	char sql[600];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS src; CREATE VIRTUAL TABLE raw USING fts5(title, body, "
				  "tokenize='unicode61 remove_diacritics 2'); INSERT INTO raw (rowid, title, body) "
				  "SELECT rowid, title, body FROM src.search_index; DETACH src", path);
	if (!have_raw)
		sqlite3_exec(raw, sql, 0, 0, 0);
	cli_db db;
	if (cli_open(&db, path, 0))
		return 1;
	shape shapes[] = {
		{ "one word", one_word, one_word_raw, COUNT(one_word) },
		{ "two words", two_words, two_words, COUNT(two_words) },
		{ "phrase", phrase, phrase, COUNT(phrase) },
		{ "prefix", prefix, prefix, COUNT(prefix) },
		{ "filtered", filtered, filtered_raw, COUNT(filtered) },
		{ "common word", common, common, COUNT(common) },
		{ "typo", typo, typo_raw, COUNT(typo) },
	};
	size_t per = total / COUNT(shapes);
	uint64_t *ours = calloc(per, sizeof *ours), *base = calloc(per, sizeof *base);
	for (size_t s = 0; s < COUNT(shapes); s++) {
		if (only && strcmp(only, shapes[s].name) != 0)
			continue;
		for (size_t i = 0; i < per; i++) {
			size_t k = (i * 7 + s) % shapes[s].n;
			ours[i] = our_query(&db, shapes[s].ours[k]);
			base[i] = raw_query(raw, shapes[s].raw[k]);
		}
		double p50, p99, r50, r99;
		pct(ours, per, &p50, &p99);
		pct(base, per, &r50, &r99);
		line(shapes[s].name, p50, p99, r50, r99);
	}
	static const char *const prefixes[] = { "mig", "Cas", "Coun", "Obs", "Val", "Fund", "Okon", "Lind" };
	for (size_t i = 0; i < per; i++)
		ours[i] = our_suggest(&db, prefixes[i % COUNT(prefixes)]);
	double p50, p99;
	pct(ours, per, &p50, &p99);
	printf("%-22s p50 %7.2f ms  p99 %7.2f ms\n", "suggest", p50, p99);
	printf("(%zu queries of each shape; top 20 with snippets; as a director)\n", per);
	free(ours);
	free(base);
	cli_close(&db);
	sqlite3_close(raw);
	return 0;
}
