/*
 * demo — `liaison demo`: fill an empty database with invented data.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "domains/partners/partners.h"
#include "model/search.h"

/* After a bulk load, whether it worked or not: the tables' indexes rebuilt
 * (while the search index, when built beside the load by f, catches up on
 * the other core), that index taken in, merged and merging again, the
 * planner's statistics.  A failed load still leaves a database whose
 * searches and lists work. */
static int end_bulk(cli_db *db, search_follower *f, int loaded, char *err, size_t errlen)
{
	char why[512] = "", search_err[512] = "";
	int rebuilt = registry_create_tables(&db->reg, db->st, why, sizeof why) == 0;
	int followed = !f || search_follow_end(f, search_err, sizeof search_err) == 0;
	int merged = store_bulk_end(db->st) == STORE_OK;
	if (loaded != 0)
		return -1; /* err already says why the load failed */
	if (!rebuilt || !followed)
		snprintf(err, errlen, "%s", rebuilt ? search_err : why);
	else if (!merged)
		snprintf(err, errlen, "the search index could not be merged");
	return rebuilt && followed && merged && store_analyze(db->st) == STORE_OK ? 0 : -1;
}

/* Inquiries into a database that has none yet, loaded like the partners. */
static int demo_inquiries(cli_db *db, long n)
{
	char err[512] = "the planner statistics could not be written";
	uint64_t t0 = clock_micros();
	store_bulk_mode(db->st);
	if (end_bulk(db, NULL, inquiries_demo(db->st, &db->reg, n, err, sizeof err), err, sizeof err))
		return cli_fail("%s", err);
	printf("%ld demo inquiries written in %.1f s\n", n, (double)(clock_micros() - t0) / 1e6);
	return EXIT_OK;
}

/* Partners into a database without any: the records on this core, their
 * search index on the other (search_follow), each table's indexes built
 * in one sorted pass after the load. */
static int demo_partners(cli_db *db, long scale)
{
	char err[512] = "the planner statistics could not be written";
	uint64_t t0 = clock_micros();
	store_bulk_mode(db->st);
	for (size_t i = 0; i < db->reg.n; i++)
		store_drop_indexes(db->st, db->reg.v[i].def->table);
	search_follower *f = search_follow(db->st, &db->reg, err, sizeof err);
	if (!f) /* then the load indexes its records itself, as any write does */
		fprintf(stderr, "liaison: %s; indexing for search along the way\n", err);
	if (end_bulk(db, f, partners_demo(db->st, &db->reg, (int)scale, err, sizeof err), err, sizeof err) ||
	    meetings_demo(db->st, &db->reg, err, sizeof err))   /* a handful: written as any write is */
		return cli_fail("%s", err);
	printf("Demo data at scale %ld written in %.1f s\n", scale, (double)(clock_micros() - t0) / 1e6);
	return EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
	static const char *const names[] = { "db", "scale", "inquiries", NULL };
	const char *v[3] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "demo", names, v, &a, &rc))
		return rc;
	long scale = 1, inquiries = 0;
	if (a.argc)
		return cli_usage("demo: unexpected argument %s", a.argv[0]);
	if (v[1] && cli_number(v[1], 1, 1000, &scale))
		return cli_usage("demo: --scale takes a number from 1 to 1000");
	if (v[2] && cli_number(v[2], 1, 10000000, &inquiries))
		return cli_usage("demo: --inquiries takes a number from 1 to 10000000");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	char why[256];
	int present = inquiries ? inquiries_demo_present(db.st, why, sizeof why) : partners_demo_present(db.st, why, sizeof why);
	rc = EXIT_OK;
	if (present < 0)
		rc = cli_fail("cannot read the database");
	else if (present)
		printf("%s\n", why);   /* nothing to do: demo data goes only where there is none */
	else
		rc = inquiries ? demo_inquiries(&db, inquiries) : demo_partners(&db, scale);
	cli_close(&db);
	return rc;
}
