/*
 * user — `liaison user add` and `liaison token create`.
 */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/accounts.h"

/* One whole line from standard input, without its line end, to free(); NULL
 * when there is none.  Read whole, however long, so that a password too long
 * is refused as such rather than cut and accepted. */
static char *read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

int cmd_user(int argc, char **argv)
{
	static const char *const names[] = { "db", "role", "division", "organization", NULL };
	const char *v[4] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "user", names, v, &a, &rc))
		return rc;
	if (a.argc != 2 || strcmp(a.argv[0], "add") != 0)
		return cli_usage("user: say 'liaison user add NAME --role ROLE'");
	if (!v[1])
		return cli_usage("user: add needs --role ROLE");
	long org = 0;
	if (v[3] && cli_number(v[3], 1, LONG_MAX, &org))
		return cli_usage("user: --organization takes an organization id");
	char err[256];
	char *password = read_password();
	if (!password)
		return cli_fail("no password on standard input; pipe one line, e.g. from a password manager");
	const char *why = accounts_password_problem(password);
	cli_db db;
	if (why) {
		rc = cli_fail("user add: %s", why);
		goto done;
	}
	if (cli_open(&db, cli_db_path(v[0]), 0)) {
		rc = EXIT_FAIL;
		goto done;
	}
	rc = accounts_add(db.st, a.argv[1], v[1], v[2], org, password, err, sizeof err) ? cli_fail("%s", err) : EXIT_OK;
	if (rc == EXIT_OK)
		printf("Added user '%s' (%s%s%s)\n", a.argv[1], v[1], v[2] ? ", " : "", v[2] ? v[2] : "");
	cli_close(&db);
done:
	sodium_memzero(password, strlen(password));
	free(password);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	static const char *const names[] = { "db", "label", "expires", NULL };
	const char *v[3] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "token", names, v, &a, &rc))
		return rc;
	if (a.argc != 2 || strcmp(a.argv[0], "create") != 0)
		return cli_usage("token: say 'liaison token create NAME [--label TEXT] [--expires YYYY-MM-DD]'");
	const char *field, *why = accounts_token_problem(v[1], v[2], &field);
	if (why)
		return cli_usage("token: --%s %s", field, why);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	char token[128], err[256];
	rc = accounts_token_create(db.st, a.argv[1], v[1], v[2], token, sizeof token, err, sizeof err) ? cli_fail("%s", err)
													 : EXIT_OK;
	if (rc == EXIT_OK)
		printf("%s\n", token);
	cli_close(&db);
	return rc;
}
