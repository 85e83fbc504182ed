/*
 * init — `liaison init`: create or migrate the database, load the countries
 * and the relationship types, and give a new database its first admin.
 */
#include <sodium.h>
#include <stdio.h>

#include "cli/cli.h"
#include "domains/domains.h"
#include "model/accounts.h"

/* On a database without users: 'admin' with a random password, printed once. */
static int first_admin(store *st)
{
	int64_t n = 0;
	if (accounts_count(st, &n))
		return cli_fail("cannot read the users table");
	if (n > 0)
		return EXIT_OK;
	unsigned char raw[15];
	char password[32], err[256];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(password, sizeof password, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (accounts_add(st, "admin", "admin", NULL, 0, password, err, sizeof err))
		return cli_fail("%s", err);
	printf("Created user 'admin' with password: %s\n(shown once; sign in and keep it safe)\n", password);
	return EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
	static const char *const names[] = { "db", NULL };
	const char *v[1] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "init", names, v, &a, &rc))
		return rc;
	if (a.argc)
		return cli_usage("init: unexpected argument %s", a.argv[0]);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 1))
		return EXIT_FAIL;
	char err[512];
	rc = EXIT_OK;
	if (domains_seed(db.st, &db.reg, err, sizeof err))
		rc = cli_fail("%s", err);
	else
		rc = first_admin(db.st);
	cli_close(&db);
	return rc;
}
