/*
 * scratchdb — a database file in a temporary folder, the store open on it,
 * and a plain SQLite connection of the test's own beside it to look at
 * what the store did: one value of a query, or everything as text.
 */
#ifndef LIAISON_SCRATCHDB_H
#define LIAISON_SCRATCHDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "store/store.h"

typedef struct scratchdb {
	char dir[64], path[96];
	store *st;
	sqlite3 *raw;
} scratchdb;

static inline scratchdb *scratchdb_open(void)
{
	scratchdb *d = calloc(1, sizeof *d);
	char err[256] = "";
	if (!d)
		abort();
	snprintf(d->dir, sizeof d->dir, "/tmp/liaison-scratch-XXXXXX");
	if (!mkdtemp(d->dir))
		abort();
	snprintf(d->path, sizeof d->path, "%s/s.db", d->dir);
	d->st = store_open(d->path, err, sizeof err);
	if (!d->st || sqlite3_open(d->path, &d->raw) != SQLITE_OK) {
		fprintf(stderr, "scratchdb: %s\n", err);
		abort();
	}
	return d;
}

static inline void scratchdb_close(scratchdb *d)
{
	char cmd[160];
	sqlite3_close(d->raw);
	store_close(d->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "scratchdb: could not remove %s\n", d->dir);
	free(d);
}

/* The first column of the first row of a query, as text: "" for none, NULL or an error. */
static inline const char *scratchdb_one(scratchdb *d, const char *sql)
{
	static char out[1024];
	sqlite3_stmt *st = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(d->raw, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* Everything the database holds, as text: every schema entry, every row of
 * every real table (an FTS5 table through its shadow tables: reading it
 * needs Liaison's tokenizer, which this connection lacks). */
static inline void scratchdb_snapshot(scratchdb *d, buf *out)
{
	sqlite3_stmt *tables = NULL, *rows = NULL;
	sqlite3_prepare_v2(d->raw, "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY name", -1, &tables,
			   NULL);
	while (tables && sqlite3_step(tables) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(tables, 0);
		const char *name = (const char *)sqlite3_column_text(tables, 1);
		const char *sql = (const char *)sqlite3_column_text(tables, 2);
		buf_printf(out, "%s %s: %s\n", type, name, sql);
		if (strcmp(type, "table") != 0 || strncmp(sql, "CREATE VIRTUAL", 14) == 0)
			continue;
		char q[128];
		snprintf(q, sizeof q, "SELECT * FROM \"%s\"", name);
		sqlite3_prepare_v2(d->raw, q, -1, &rows, NULL);
		while (rows && sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				const unsigned char *v = sqlite3_column_text(rows, i);
				buf_printf(out, "%s|", v ? (const char *)v : "NULL");
			}
			buf_putc(out, '\n');
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
}

#endif
