/*
 * testdb — a fresh database in a temporary folder, migrated and with the
 * whole registry's tables, for unit tests that need a real store.
 */
#ifndef LIAISON_TESTDB_H
#define LIAISON_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domains/domains.h"
#include "model/registry.h"
#include "model/search.h"
#include "store/store.h"

typedef struct testdb {
	char dir[64];
	char path[96];
	store *st;
	registry reg;
} testdb;

static inline testdb *testdb_open(void)
{
	testdb *t = calloc(1, sizeof *t);
	char err[256];
	snprintf(t->dir, sizeof t->dir, "/tmp/liaison-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		abort();
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	t->st = store_open(t->path, err, sizeof err);
	if (!t->st || store_migrate(t->st, err, sizeof err) ||
	    registry_build(&t->reg, all_entities, nall_entities, err, sizeof err) ||
	    registry_create_tables(&t->reg, t->st, err, sizeof err) ||
	    search_prepare(t->st, &t->reg, NULL, err, sizeof err)) {
		fprintf(stderr, "testdb: %s\n", err);
		abort();
	}
	return t;
}

static inline void testdb_close(testdb *t)
{
	char cmd[160];
	registry_free(&t->reg);
	store_close(t->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "testdb: could not remove %s\n", t->dir);
	free(t);
}

#endif
