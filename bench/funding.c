/*
 * bench/funding — the donors' IATI tools at scale, each beside a baseline
 * measured in the same run:
 *
 *   (a) a donor's IATI file imported end to end (read, cut into the
 *       funding summary, written in one transaction: iati_import), in MB a
 *       second, beside `xmllint --stream --noout` walking the same file,
 *       libxml2's own floor;
 *   (b) the donor × year × sector pivot of disbursements, 2015 to 2026,
 *       over 1,000,000 and 10,000,000 invented transactions (`liaison demo
 *       --iati`'s, written by the same bulk path): p50 and p99 of the API's
 *       query function (funding_pivot: the summary's covering index, the
 *       donors' ranking, the labels), beside the same GROUP BY written on
 *       raw SQLite over the transactions table, cut over the activities'
 *       sectors by their shares as the summary is.
 *
 * usage: bench_funding [--mb N] [--transactions N,N] [--rounds N]
 *
 * The file is bench/iatigen.c's (100 MB by default), the databases fresh
 * ones in /tmp.  It prints the figures, the ratios and whether the goals
 * are met (import at 50 MB a second, a pivot's p99 under 100 ms).
 * Nothing is asserted.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "domains/donors/donors.h"
#include "iatigen.h"
#include "median.h"
#include "xmllint.h"

#define IMPORT_GOAL 50.0   /* MB a second */
#define PIVOT_GOAL 100.0   /* ms, p99 */

static const user bench_user = { 0, "bench", ROLE_ADMIN, NULL, 0, "en" };

/* A fresh database with Liaison's tables, at path (made from a template in /tmp). */
static store *fresh_store(char *path, size_t size)
{
	char err[300];
	snprintf(path, size, "/tmp/bench_funding_XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	unlink(path);
	store *st = store_open(path, err, sizeof err);
	if (!st || store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "bench_funding: %s\n", err);
		store_close(st);
		return NULL;
	}
	return st;
}

static void drop_store(store *st, const char *path)
{
	char side[300];
	store_close(st);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* ---- (a) import ----------------------------------------------------------------------------- */

/* Seconds one import of the file took into a fresh database, -1 when it failed. */
static double import_once(const char *file, int64_t *transactions)
{
	char path[64];
	store *st = fresh_store(path, sizeof path);
	int fd = open(file, O_RDONLY);
	if (!st || fd < 0)
		return -1;
	iati_imported got;
	uint64_t start = clock_micros();
	int rc = iati_import(st, &(xmlstream_input){ NULL, 0, fd }, "bench", 0, &got);
	double s = (double)(clock_micros() - start) / 1e6;
	if (rc)
		fprintf(stderr, "bench_funding: refused at line %ld: %s\n", got.error.line, got.error.reason);
	*transactions = got.transactions;
	iati_imported_free(&got);
	close(fd);
	drop_store(st, path);
	return rc ? -1 : s;
}

static int bench_import(size_t mb, int rounds)
{
	char file[] = "/tmp/bench_funding_iati_XXXXXX";
	int fd = mkstemp(file);
	size_t bytes = 0, transactions = 0, activities = fd < 0 ? 0 : iatigen_write_file(fd, mb, &bytes, &transactions);
	if (fd >= 0)
		close(fd);
	double ours[rounds], lint[rounds];
	int64_t imported = 0;
	int rc = activities ? 0 : -1;
	for (int i = 0; i < rounds && rc == 0; i++) {
		ours[i] = import_once(file, &imported);
		lint[i] = bench_xmllint_stream(file);
		if (ours[i] < 0 || lint[i] < 0 || imported != (int64_t)transactions)
			rc = -1;
	}
	unlink(file);
	if (rc)
		return -1;
	double o = bench_median(ours, rounds), l = bench_median(lint, rounds), size = (double)bytes / 1e6;
	printf("(a) import of %.1f MB: %zu activities, %zu transactions, %d round%s (median)\n", size, activities,
	       transactions, rounds, rounds > 1 ? "s" : "");
	printf("    %-34s %7.1f MB/s %10.0f transactions/s | goal >= 50 MB/s: %s\n", "iati_import (file to database)",
	       size / o, (double)transactions / o, size / o >= IMPORT_GOAL ? "met" : "NOT MET");
	printf("    %-34s %7.1f MB/s | import at %.2f of its speed\n", "xmllint --stream --noout", size / l, l / o);
	return 0;
}

/* ---- (b) the pivot -------------------------------------------------------------------------- */

static double percentile(double *v, int n, double p)
{
	bench_median(v, n);   /* sorts */
	int k = (int)(p * (n - 1) + 0.5);
	return v[k];
}

static double pivot_once(store *st, size_t *bytes)
{
	model_ctx m;
	model_init(&m, st, NULL, &bench_user);
	funding_query q = { .rows = "donor", .cols = "sector", .type = "3", .from = 2015, .to = 2026 };
	buf out = BUF_INIT;
	store_snapshot_begin(st);
	uint64_t start = clock_micros();
	int rc = funding_pivot(&m, store_reader(st), &q, &out);
	double ms = (double)(clock_micros() - start) / 1e3;
	store_snapshot_end(st);
	*bytes = out.len;
	if (rc)
		fprintf(stderr, "bench_funding: %s\n", m.detail ? m.detail : "the pivot failed");
	buf_free(&out);
	model_done(&m);
	return rc ? -1 : ms;
}

static int count_row(void *ctx, int ncols, char **cols, char **names)
{
	(void)ncols;
	(void)cols;
	(void)names;
	(*(long *)ctx)++;
	return 0;
}

/* The same pivot on raw SQLite: the transactions joined with their activity's sectors. */
static double raw_once(const char *path, long *cells)
{
	static const char sql[] =
		"SELECT t.provider_ref, t.year, s.code, t.currency, "
		"sum(t.value * coalesce(s.share, 10000) / 10000) FROM iati_transactions t "
		"JOIN iati_sectors s ON s.activity = t.activity "
		"WHERE t.type = '3' AND t.year BETWEEN 2015 AND 2026 GROUP BY 1, 2, 3, 4";
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	*cells = 0;
	uint64_t start = clock_micros();
	int rc = sqlite3_exec(db, sql, count_row, cells, NULL);
	double ms = (double)(clock_micros() - start) / 1e3;
	sqlite3_close(db);
	return rc == SQLITE_OK ? ms : -1;
}

static int bench_pivot(long transactions, int rounds)
{
	char path[64], err[300];
	store *st = fresh_store(path, sizeof path);
	if (!st)
		return -1;
	store_bulk_mode(st);
	uint64_t start = clock_micros();
	int rc = donors_iati_demo(st, NULL, transactions, err, sizeof err);
	double load = (double)(clock_micros() - start) / 1e6;
	store_bulk_end(st);
	if (rc || store_analyze(st) != STORE_OK) {
		fprintf(stderr, "bench_funding: %s\n", rc ? err : "no statistics");
		drop_store(st, path);
		return -1;
	}
	int64_t facts = store_rows(st, "funding_facts");
	int ours_rounds = rounds * 50, raw_rounds = rounds;
	double ours[ours_rounds], raw[raw_rounds];
	size_t bytes = 0;
	long cells = 0;
	for (int i = 0; i < ours_rounds && rc == 0; i++)
		rc = (ours[i] = pivot_once(st, &bytes)) < 0;
	for (int i = 0; i < raw_rounds && rc == 0; i++)
		rc = (raw[i] = raw_once(path, &cells)) < 0;
	drop_store(st, path);
	if (rc)
		return -1;
	double p50 = percentile(ours, ours_rounds, 0.5), p99 = percentile(ours, ours_rounds, 0.99);
	double r50 = percentile(raw, raw_rounds, 0.5), r99 = percentile(raw, raw_rounds, 0.99);
	printf("(b) donor x year x sector pivot of disbursements over %ld transactions (%" PRId64
	       " summary rows; written by the demo's bulk path in %.1f s, %.0f transactions/s)\n",
	       transactions, facts, load, (double)transactions / load);
	printf("    %-34s p50 %8.1f ms  p99 %8.1f ms (%d rounds, %zu bytes of JSON) | goal p99 < 100 ms: %s\n",
	       "funding_pivot (the API's)", p50, p99, ours_rounds, bytes, p99 < PIVOT_GOAL ? "met" : "NOT MET");
	printf("    %-34s p50 %8.1f ms  p99 %8.1f ms (%d rounds, %ld cells) | funding_pivot %.0fx faster at p50\n",
	       "GROUP BY on raw SQLite", r50, r99, raw_rounds, cells, r50 / p50);
	return 0;
}

int main(int argc, char **argv)
{
	long mb = 100;
	int rounds = 3;
	char sizes[200] = "1000000,10000000";
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--mb") == 0)
			mb = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--transactions") == 0)
			snprintf(sizes, sizeof sizes, "%s", argv[++i]);
		else
			mb = -1;
	}
	if (mb < 0 || mb > 10000 || rounds < 1 || rounds > 50) {
		fprintf(stderr, "usage: bench_funding [--mb N] [--transactions N,N] [--rounds N]\n");
		return 2;
	}
	printf("bench_funding: IATI import and the funding landscape's pivot\n");
	if (mb > 0 && bench_import((size_t)mb, rounds))
		return 1;
	for (char *s = strtok(sizes, ","); s; s = strtok(NULL, ",")) {
		long n = atol(s);
		if (n < 1 || bench_pivot(n, rounds))
			return 1;
	}
	return 0;
}
