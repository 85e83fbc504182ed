/*
 * backup and audit — `liaison backup OUT` and `liaison audit verify`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "model/audit.h"

int cmd_backup(int argc, char **argv)
{
	static const char *const names[] = { "db", NULL };
	const char *v[1] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "backup", names, v, &a, &rc))
		return rc;
	if (a.argc != 1)
		return cli_usage("backup: say 'liaison backup OUT'");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	char err[512];
	rc = store_backup(db.st, a.argv[0], err, sizeof err) ? cli_fail("%s", err) : EXIT_OK;
	if (rc == EXIT_OK)
		printf("Backed up %s to %s\n", store_path(db.st), a.argv[0]);
	cli_close(&db);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	static const char *const names[] = { "db", NULL };
	const char *v[1] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "audit", names, v, &a, &rc))
		return rc;
	if (a.argc != 1 || strcmp(a.argv[0], "verify") != 0)
		return cli_usage("audit: say 'liaison audit verify'");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	audit_report rep;
	if (audit_verify(db.st, NULL, 0, &rep))
		rc = cli_fail("cannot read the audit log");
	else if (!rep.ok)
		rc = cli_fail("audit log broken at entry %lld: %s (%lld entries before it are sound)",
			      (long long)rep.first_bad, rep.reason, (long long)rep.entries);
	else {
		printf("audit log sound: %lld entries\n", (long long)rep.entries);
		rc = EXIT_OK;
	}
	cli_close(&db);
	return rc;
}
