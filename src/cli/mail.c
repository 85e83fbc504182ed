/*
 * mail — `liaison mail import DIR` and `liaison mail retry DIR`: e-mail from
 * a Maildir into the inquiry desk (see domains/inquiries/mailin.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domains/inquiries/inquiries.h"

/* Quarantined messages back into new/, their reasons dropped. */
static int requeue(const char *dir)
{
	char qdir[4096];
	snprintf(qdir, sizeof qdir, "%s/quarantine", dir);
	DIR *d = opendir(qdir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		size_t len = strlen(ent->d_name);
		if (ent->d_name[0] == '.')
			continue;
		char from[8400], to[8400];
		snprintf(from, sizeof from, "%s/%s", qdir, ent->d_name);
		if (len > 7 && strcmp(ent->d_name + len - 7, ".reason") == 0) {
			remove(from);
			continue;
		}
		snprintf(to, sizeof to, "%s/new/%s", dir, ent->d_name);
		n += rename(from, to) == 0;
	}
	closedir(d);
	return n;
}

int cmd_mail(int argc, char **argv)
{
	static const char *const names[] = { "db", "config", NULL };
	const char *v[2] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "mail", names, v, &a, &rc))
		return rc;
	if (a.argc != 2 || (strcmp(a.argv[0], "import") && strcmp(a.argv[0], "retry")))
		return cli_usage("mail: say 'liaison mail import DIR' or 'liaison mail retry DIR'");
	char err[512];
	if (desk_configure(v[1], err, sizeof err))
		return cli_fail("%s", err);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	if (!strcmp(a.argv[0], "retry"))
		printf("%d quarantined message(s) queued again\n", requeue(a.argv[1]));
	mail_report rep = { 0 };
	if (mailin_import_dir(db.st, &db.reg, a.argv[1], &rep, err, sizeof err)) {
		rc = cli_fail("%s", err);
	} else {
		printf("%zu read: %zu new inquiries, %zu joined their inquiry, %zu set aside, %zu quarantined\n", rep.read,
		       rep.imported, rep.joined, rep.ignored, rep.quarantined);
		rc = rep.quarantined ? EXIT_FAIL : EXIT_OK;
	}
	cli_close(&db);
	desk_release();
	return rc;
}
