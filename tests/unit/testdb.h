/*
 * testdb — a fresh database in a temporary folder, opened as Liaison opens
 * one (model/schema.h): migrated and with the whole registry's tables, for
 * unit tests that need a real store.
 */
#ifndef LIAISON_TESTDB_H
#define LIAISON_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domains/domains.h"
#include "model/registry.h"
#include "model/schema.h"
#include "model/search.h"
#include "store/store.h"

typedef struct testdb {
	char dir[64];
	char path[96];
	store *st;
	registry reg;
} testdb;

/* The whole registry, and the kinds extra that exist only in a test. */
static inline testdb *testdb_open_with(const entity_def *const *extra, size_t nextra)
{
	testdb *t = calloc(1, sizeof *t);
	char err[256];
	domains dom;
	domains_gather(&dom);
	const entity_def **defs = calloc(dom.nkinds + nextra, sizeof *defs);
	memcpy(defs, dom.kinds, dom.nkinds * sizeof *defs);
	if (nextra)
		memcpy(defs + dom.nkinds, extra, nextra * sizeof *defs);
	snprintf(t->dir, sizeof t->dir, "/tmp/liaison-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		abort();
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	t->st = store_open(t->path, err, sizeof err);
	if (!t->st || registry_build(&t->reg, defs, dom.nkinds + nextra, err, sizeof err) ||
	    registry_add_roles(&t->reg, dom.roles, err, sizeof err) || schema_upgrade(t->st, &t->reg, err, sizeof err) ||
	    search_prepare(t->st, &t->reg, NULL, err, sizeof err)) {
		fprintf(stderr, "testdb: %s\n", err);
		abort();
	}
	free(defs);
	domains_release(&dom);
	return t;
}

static inline testdb *testdb_open(void) { return testdb_open_with(NULL, 0); }

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
