/*
 * duplicates — `liaison duplicates scan`: the whole registry's likely
 * duplicates found again (domains/partners/dupscan.h), for a cron job or
 * before a review, then the queue printed best first.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domains/partners/dupscan.h"

static int scan_kind(cli_db *db, const entity *e)
{
	dup_scanned got;
	char err[200];
	uint64_t t0 = clock_micros();
	if (duplicates_scan(db->st, &db->reg, e, &got, err, sizeof err))
		return cli_fail("duplicates scan: %s", err);
	fprintf(stderr, "%s: %" PRId64 " likely duplicate pairs among %" PRId64 " records (%" PRId64
		" pairs sharing a key compared, %" PRId64 " dismissed before) in %.1f s\n",
		e->def->name, got.found, got.records, got.compared, got.dismissed, (double)(clock_micros() - t0) / 1e6);
	return EXIT_OK;
}

/* The queue as lines of tab-separated values: score, kind, first id and title, second id and title, why. */
static int print_queue(cli_db *db, const char *kind, int64_t limit)
{
	model_ctx m;
	model_init(&m, db->st, &db->reg, &cli_system);
	int rc = duplicates_queue(&m, kind, limit) ? cli_fail("duplicates scan: %s", m.detail) : EXIT_OK;
	json_t *queue = rc ? NULL : json_loads(buf_str(&m.body), 0, NULL), *item;
	size_t i;
	json_array_foreach(json_object_get(queue, "items"), i, item) {
		json_t *a = json_object_get(item, "first"), *b = json_object_get(item, "second");
		printf("%.2f\t%s\t%" JSON_INTEGER_FORMAT "\t%s\t%" JSON_INTEGER_FORMAT "\t%s\t%s\n",
		       json_real_value(json_object_get(item, "score")), json_string_value(json_object_get(item, "kind")),
		       json_integer_value(json_object_get(a, "id")), json_string_value(json_object_get(a, "title")),
		       json_integer_value(json_object_get(b, "id")), json_string_value(json_object_get(b, "title")),
		       json_string_value(json_object_get(item, "reason")));
	}
	json_decref(queue);
	model_done(&m);
	return rc;
}

int cmd_duplicates(int argc, char **argv)
{
	static const char *const names[] = { "db", "kind", "limit", NULL };
	const char *v[3] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "duplicates", names, v, &a, &rc))
		return rc;
	if (a.argc != 1 || strcmp(a.argv[0], "scan") != 0)
		return cli_usage("duplicates: say 'liaison duplicates scan'");
	char *end = NULL;
	long long limit = v[2] ? strtoll(v[2], &end, 10) : 50;
	if (v[2] && (!*v[2] || *end || limit < 0 || limit > 100000))
		return cli_usage("duplicates: --limit must be a whole number from 0 to 100000");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	const entity *only = v[1] ? registry_find(&db.reg, v[1]) : NULL;
	rc = v[1] && !duplicates_kind(only) ? cli_usage("duplicates: --kind must be organizations or persons") : EXIT_OK;
	for (size_t i = 0; i < db.reg.n && rc == EXIT_OK; i++)
		if (duplicates_kind(&db.reg.v[i]) && (!only || only == &db.reg.v[i]))
			rc = scan_kind(&db, &db.reg.v[i]);
	if (rc == EXIT_OK && limit > 0)
		rc = print_queue(&db, v[1], limit);
	cli_close(&db);
	return rc;
}
