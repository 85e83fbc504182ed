/*
 * search — `liaison search "QUERY"` and `liaison reindex`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "model/accounts.h"
#include "model/search.h"

/* The command line searches as the system (every record), or --as NAME. */

static int print_results(const char *body)
{
	json_t *doc = json_loads(body, 0, NULL);
	json_t *items = json_object_get(doc, "items");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		printf("%-14s %8lld  %s\n", json_string_value(json_object_get(it, "kind")),
		       (long long)json_integer_value(json_object_get(it, "id")),
		       json_string_value(json_object_get(it, "title")) ? json_string_value(json_object_get(it, "title")) : "");
	}
	const char *fallback = json_string_value(json_object_get(doc, "fallback"));
	printf("%lld result(s)%s%s\n", (long long)json_integer_value(json_object_get(doc, "total")),
	       fallback ? ", with " : "", fallback ? fallback : "");
	json_decref(doc);
	return EXIT_OK;
}

int cmd_search(int argc, char **argv)
{
	static const char *const names[] = { "db", "as", "limit", NULL };
	const char *v[3] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "search", names, v, &a, &rc))
		return rc;
	if (a.argc != 1)
		return cli_usage("search: say 'liaison search \"QUERY\"'");
	long limit = 20;
	if (v[2] && cli_number(v[2], 1, 100, &limit))
		return cli_usage("search: --limit takes a number from 1 to 100");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	account as;
	const user *u = &cli_system;
	rc = EXIT_OK;
	if (v[1]) {
		if (accounts_by_name(db.st, v[1], &as)) {
			rc = cli_fail("no user named '%s'", v[1]);
			goto done;
		}
		u = &as.u;
	}
	model_ctx m;
	model_init(&m, db.st, &db.reg, u);
	if (model_search(&m, a.argv[0], NULL, limit))
		rc = m.status == 400 ? cli_usage("search: %s", m.detail) : cli_fail("%s", m.detail);
	else
		rc = print_results(buf_str(&m.body));
	model_done(&m);
done:
	cli_close(&db);
	return rc;
}

int cmd_reindex(int argc, char **argv)
{
	static const char *const names[] = { "db", NULL };
	const char *v[1] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "reindex", names, v, &a, &rc))
		return rc;
	if (a.argc)
		return cli_usage("reindex: unexpected argument %s", a.argv[0]);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	model_ctx m;
	model_init(&m, db.st, &db.reg, &cli_system);
	size_t n = 0;
	rc = search_reindex(&m, 0, &n) ? cli_fail("%s", m.detail) : EXIT_OK;
	if (rc == EXIT_OK)
		printf("Indexed %zu records\n", n);
	model_done(&m);
	cli_close(&db);
	return rc;
}
