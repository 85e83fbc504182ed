/*
 * terms — `liaison terms import FILE.tbx` and `liaison terms export`: the
 * termbase between a TBX file and the database, as the API's
 * /api/v1/concepts/tbx does it (domains/translation/termbase.c).  The
 * command acts as the system, with an admin's rights, or as the user
 * --as names, whose rights then apply.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domains/translation/translation.h"
#include "model/accounts.h"


static int import_file(model_ctx *m, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("cannot read %s: %s", path, strerror(errno));
	termbase_counts n;
	int rc = termbase_import_fd(m, fd, &n);
	close(fd);
	if (rc)
		return cli_fail("%s: nothing imported: %s", path, m->detail ? m->detail : "the import failed");
	printf("Imported %zu concepts and %zu terms from %s\n", n.concepts, n.terms, path);
	return EXIT_OK;
}

static int write_out(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

static int export_all(model_ctx *m)
{
	termbase_export *x = termbase_export_open(write_out, stdout);
	if (!x)
		return cli_fail("out of memory");
	store *st = m->st;
	const registry *reg = m->reg;
	const user *u = m->u;
	int more;
	do {
		model_done(m);
		model_init(m, st, reg, u);   /* each page's memory its own */
		more = termbase_export_page(x, m);
	} while (more > 0);
	termbase_export_free(x);
	if (more < 0)
		return cli_fail("%s", m->detail ? m->detail : "the export failed");
	if (fflush(stdout) || ferror(stdout))
		return cli_fail("cannot write the termbase: %s", strerror(errno));
	return EXIT_OK;
}

int cmd_terms(int argc, char **argv)
{
	static const char *const names[] = { "db", "as", NULL };
	const char *v[2] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "terms", names, v, &a, &rc))
		return rc;
	int importing = a.argc == 2 && strcmp(a.argv[0], "import") == 0;
	int exporting = a.argc == 1 && strcmp(a.argv[0], "export") == 0;
	if (!importing && !exporting)
		return cli_usage("terms: say 'liaison terms import FILE.tbx' or 'liaison terms export > FILE.tbx'");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	account as;
	const user *u = &cli_system;
	if (v[1] && accounts_by_name(db.st, v[1], &as)) {
		rc = cli_fail("no user named '%s'", v[1]);
		goto done;
	}
	if (v[1])
		u = &as.u;
	model_ctx m;
	model_init(&m, db.st, &db.reg, u);
	rc = importing ? import_file(&m, a.argv[1]) : export_all(&m);
	model_done(&m);
done:
	cli_close(&db);
	return rc;
}
