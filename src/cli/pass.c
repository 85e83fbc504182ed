/*
 * pass — `liaison pass`: the areas' periodic passes (model/passes.h), each
 * run once, for a cron job or a test; the server runs the same ones on a
 * thread of its own.
 */
#include "cli/cli.h"
#include "domains/domains.h"
#include "model/i18n.h"
#include "model/passes.h"

int cmd_pass(int argc, char **argv)
{
	static const char *const names[] = { "db", "config", NULL };
	const char *v[2] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "pass", names, v, &a, &rc))
		return rc;
	if (a.argc)
		return cli_usage("pass: unexpected argument %s", a.argv[0]);
	char err[512];
	if (domains_configure(v[1], err, sizeof err))
		return cli_fail("%s", err);
	if (i18n_load(err, sizeof err))   /* the mail is written in each recipient's language */
		return cli_fail("the catalogs cannot be loaded: %s", err);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0)) {
		i18n_free();
		return EXIT_FAIL;
	}
	rc = passes_run(db.st, &db.reg, db.dom.passes, db.dom.npasses, time(NULL)) ? EXIT_FAIL : EXIT_OK;
	cli_close(&db);
	i18n_free();
	return rc;
}
