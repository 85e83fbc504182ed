/*
 * backup and audit — `liaison backup OUT`, `liaison audit verify` and
 * `liaison audit head`.
 *
 * A backup records the head of the audit chain it copied, beside the copy
 * (OUT.head) and in the database's heads file; verify checks the chain and
 * every head it is given or finds recorded (model/auditheads.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/audit.h"
#include "model/auditheads.h"

/* --heads FILE, else DB-PATH-heads; malloc'ed. */
static char *heads_file(const char *flag, const char *db_path)
{
	return flag ? strdup(flag) : audit_heads_path(db_path);
}

/* The head of the copy itself, so that it is what the copy holds. */
static int copied_head(const char *out, audit_head *h)
{
	char err[512];
	store *copy = store_open(out, err, sizeof err);
	if (!copy)
		return cli_fail("%s", err);
	int rc = audit_head_of(copy, h) ? cli_fail("cannot read the audit log of the copy %s", out) : EXIT_OK;
	store_close(copy);
	return rc;
}

static int record_backup_head(const char *out, const char *heads, audit_head *h)
{
	char err[512];
	char *beside = NULL;
	int rc = copied_head(out, h);
	if (rc)
		return rc;
	if (asprintf(&beside, "%s.head", out) < 0)
		return cli_fail("out of memory");
	if (audit_heads_write(beside, h, "backup", 0, err, sizeof err) ||
	    audit_heads_write(heads, h, "backup", 1, err, sizeof err))
		rc = cli_fail("the copy is made, but %s", err);
	free(beside);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	static const char *const names[] = { "db", "heads", NULL };
	const char *v[2] = { 0 };
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
	char *heads = heads_file(v[1], store_path(db.st));
	audit_head h;
	rc = store_backup(db.st, a.argv[0], err, sizeof err) ? cli_fail("%s", err) : EXIT_OK;
	if (rc == EXIT_OK)
		rc = record_backup_head(a.argv[0], heads, &h);
	if (rc == EXIT_OK)
		printf("Backed up %s to %s\naudit head %lld:%s, kept in %s.head and %s\n", store_path(db.st), a.argv[0],
		       (long long)h.seq, h.hash, a.argv[0], heads);
	free(heads);
	cli_close(&db);
	return rc;
}

/* Each --head given, SEQ:HASH as 'liaison audit head' prints it. */
static int given_heads(const cli_args *a, audit_heads *given)
{
	for (int i = 0; i < a->nmore; i++) {
		audit_head h;
		if (audit_head_parse(a->more[i], &h))
			return cli_usage("audit: --head takes SEQ:HASH (a number, ':' and 64 hexadecimal digits), "
					 "as 'liaison audit head' prints it, not '%.80s'", a->more[i]);
		snprintf(h.origin, sizeof h.origin, "given with --head");
		if (audit_heads_add(given, &h))
			return cli_fail("out of memory");
	}
	return EXIT_OK;
}

static int print_head(cli_db *db)
{
	audit_head h;
	if (audit_head_of(db->st, &h))
		return cli_fail("cannot read the audit log");
	printf("%lld:%s\n", (long long)h.seq, h.hash);
	return EXIT_OK;
}

static int verify(cli_db *db, const char *heads_flag, audit_heads *heads)
{
	char err[512];
	char *path = heads_file(heads_flag, store_path(db->st));
	/* the heads first: every entry they name was committed before they were read */
	int rc = audit_heads_read(path, heads_flag == NULL, heads, err, sizeof err) ? cli_fail("%s", err) : EXIT_OK;
	free(path);
	if (rc)
		return rc;
	audit_report rep;
	if (audit_verify(db->st, heads->v, heads->n, &rep))
		return cli_fail("cannot read the audit log");
	if (!rep.ok)
		return cli_fail("audit log broken at entry %lld: %s (%lld entries before it are sound)",
				(long long)rep.first_bad, rep.reason, (long long)rep.entries);
	if (rep.heads)
		printf("audit log sound: %lld entries; %lld %s\n", (long long)rep.entries, (long long)rep.heads,
		       rep.heads == 1 ? "head matches" : "heads match");
	else
		printf("audit log sound: %lld entries (no head to check its end against: see 'liaison audit head')\n",
		       (long long)rep.entries);
	return EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
	static const char *const names[] = { "db", "heads", "head+", NULL };
	const char *v[3] = { 0 };
	audit_heads heads = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "audit", names, v, &a, &rc) || (rc = given_heads(&a, &heads)))
		goto done;
	int head = a.argc == 1 && strcmp(a.argv[0], "head") == 0;
	if (!head && (a.argc != 1 || strcmp(a.argv[0], "verify") != 0)) {
		rc = cli_usage("audit: say 'liaison audit verify' or 'liaison audit head'");
		goto done;
	}
	if (head && (heads.n || v[1])) {
		rc = cli_usage("audit: --head and --heads are for 'liaison audit verify'");
		goto done;
	}
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0)) {
		rc = EXIT_FAIL;
		goto done;
	}
	rc = head ? print_head(&db) : verify(&db, v[1], &heads);
	cli_close(&db);
done:
	audit_heads_free(&heads);
	return rc;
}
