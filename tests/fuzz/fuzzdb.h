/*
 * fuzzdb — the database the model's harnesses write into: one per process,
 * made on the first input (a replay forks a process per input, and SQLite
 * connections must not cross a fork), seeded like `liaison init`, removed
 * when the process that made it exits.
 */
#ifndef LIAISON_FUZZDB_H
#define LIAISON_FUZZDB_H

#include <sodium.h>

#include "model/accounts.h"
#include "model/model.h"
#include "testdb.h"

static testdb *fuzzdb;
static pid_t fuzzdb_owner;

/* An administrator (the database's first account, so id 1): every kind
 * may be written, so validation is reached. */
static const user fuzz_admin = { 1, "fuzz", ROLE_ADMIN, "IPD", 0, "en" };

static void fuzzdb_remove(void)
{
	if (fuzzdb && getpid() == fuzzdb_owner)
		testdb_close(fuzzdb);
}

static inline testdb *fuzzdb_get(void)
{
	if (fuzzdb)
		return fuzzdb;
	char err[256];
	if (sodium_init() < 0)
		abort();
	fuzzdb = testdb_open();
	fuzzdb_owner = getpid();
	atexit(fuzzdb_remove);
	if (domains_seed(fuzzdb->st, &fuzzdb->reg, err, sizeof err) ||
	    accounts_add(fuzzdb->st, fuzz_admin.name, "admin", fuzz_admin.division, 0, "fuzz-password-0001", err,
			 sizeof err)) {
		fprintf(stderr, "fuzzdb: %s\n", err);
		abort();
	}
	return fuzzdb;
}

#endif
