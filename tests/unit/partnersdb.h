/*
 * partnersdb — a test database (testdb.h) seeded and filled with the demo's
 * partners at scale 1, with the catalogs loaded: what the duplicate check's
 * and the registry scan's tests measure against.  One per test program.
 */
#ifndef LIAISON_PARTNERSDB_H
#define LIAISON_PARTNERSDB_H

#include <sodium.h>

#include "domains/partners/partners.h"
#include "model/i18n.h"
#include "testdb.h"

static testdb *t;

static int partnersdb_setup(void **state)
{
	(void)state;
	char err[256];
	if (sodium_init() < 0 || i18n_load(err, sizeof err))
		return -1;
	t = testdb_open();
	if (domains_seed(t->st, &t->reg, err, sizeof err) || partners_demo(t->st, &t->reg, 1, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int partnersdb_teardown(void **state)
{
	(void)state;
	testdb_close(t);
	i18n_free();
	return 0;
}

#endif
