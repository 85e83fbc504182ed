/*
 * demo — `liaison demo`: fill an empty database with invented data.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domains/donors/donors.h"
#include "domains/governance/governance.h"
#include "domains/translation/translation.h"
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

/* Demo data into a database without any of its kind: the records on this
 * core, their search index on the other (search_follow), each table's
 * indexes built in one sorted pass after the load. */
typedef int demo_loader(store *st, const registry *reg, long count, char *err, size_t errlen);

static int demo_load(cli_db *db, demo_loader *load, long count, char *err, size_t errlen)
{
	store_bulk_mode(db->st);
	for (size_t i = 0; i < db->reg.n; i++)
		store_drop_indexes(db->st, db->reg.v[i].def->table);
	search_follower *f = search_follow(db->st, &db->reg, err, errlen);
	if (!f) /* then the load indexes its records itself, as any write does */
		fprintf(stderr, "liaison: %s; indexing for search along the way\n", err);
	return end_bulk(db, f, load(db->st, &db->reg, count, err, errlen), err, errlen);
}

/* The registry's demo: partners at the scale asked, and the governing
 * bodies' sessions and documents (a hundred documents in three languages). */
static int partners_and_bodies(store *st, const registry *reg, long scale, char *err, size_t errlen)
{
	return partners_demo(st, reg, scale, err, errlen) || governance_demo(st, reg, 300, err, errlen) ? -1 : 0;
}

#define IATI_PER_SCALE 100000   /* IATI transactions a scale of 2 or more brings per unit */

/* What `liaison demo` fills: each only a database without any of it. */
typedef struct demo_set {
	demo_loader *load;
	int (*present)(store *st, char *why, size_t whylen);
	const char *done;     /* with the count */
	/* a handful more after the load, written as any write is (dated from today), or NULL */
	int (*then)(store *st, const registry *reg, char *err, size_t errlen);
} demo_set;

/* After the partners and the bodies: the meetings tracker's, the translators' and the donor relations' few records. */
static int meetings_and_translation(store *st, const registry *reg, char *err, size_t errlen)
{
	return meetings_demo(st, reg, err, errlen) || translation_demo(st, reg, err, errlen) ||
			       donors_demo(st, reg, err, errlen)
		       ? -1
		       : 0;
}

static const demo_set sets[] = {
	{ partners_and_bodies, partners_demo_present, "Demo data at scale %ld written in %.1f s\n", meetings_and_translation },
	{ inquiries_demo, inquiries_demo_present, "%ld demo inquiries written in %.1f s\n" },
	{ governance_demo, governance_demo_present, "%ld demo document versions written in %.1f s\n" },
	{ donors_iati_demo, donors_iati_demo_present, "%ld demo IATI transactions written in %.1f s\n" },
};

static int demo_fill(cli_db *db, const demo_set *set, long count)
{
	char why[256], err[512] = "the planner statistics could not be written";
	int present = set->present(db->st, why, sizeof why);
	if (present < 0)
		return cli_fail("cannot read the database");
	if (present) {
		printf("%s\n", why);   /* nothing to do: demo data goes only where there is none */
		return EXIT_OK;
	}
	uint64_t t0 = clock_micros();
	if (demo_load(db, set->load, count, err, sizeof err) || (set->then && set->then(db->st, &db->reg, err, sizeof err)))
		return cli_fail("%s", err);
	printf(set->done, count, (double)(clock_micros() - t0) / 1e6);
	return EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
	static const char *const names[] = { "db", "scale", "inquiries", "documents", "iati", NULL };
	const char *v[5] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "demo", names, v, &a, &rc))
		return rc;
	long scale = 1, inquiries = 0, documents = 0, iati = 0;
	if (a.argc)
		return cli_usage("demo: unexpected argument %s", a.argv[0]);
	if (v[1] && cli_number(v[1], 1, 1000, &scale))
		return cli_usage("demo: --scale takes a number from 1 to 1000");
	if (v[2] && cli_number(v[2], 1, 10000000, &inquiries))
		return cli_usage("demo: --inquiries takes a number from 1 to 10000000");
	if (v[3] && cli_number(v[3], 1, 10000000, &documents))
		return cli_usage("demo: --documents takes a number of language versions from 1 to 10000000");
	if (v[4] && cli_number(v[4], 1, 100000000, &iati))
		return cli_usage("demo: --iati takes a number of transactions from 1 to 100000000");
	if (!!inquiries + !!documents + !!iati > 1)
		return cli_usage("demo: --inquiries, --documents and --iati go one at a time");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	rc = inquiries ? demo_fill(&db, &sets[1], inquiries)
	     : documents ? demo_fill(&db, &sets[2], documents)
	     : iati	 ? demo_fill(&db, &sets[3], iati)
			 : demo_fill(&db, &sets[0], scale);
	/* the benchmarks' scales bring the funding landscape's transactions too: 10 million at 100 */
	if (rc == EXIT_OK && !inquiries && !documents && !iati && scale >= 2)
		rc = demo_fill(&db, &sets[3], scale * IATI_PER_SCALE);
	cli_close(&db);
	return rc;
}
