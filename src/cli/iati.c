/*
 * iati — `liaison iati import FILE` and `liaison iati export`: donors' IATI
 * 2.03 activity files into the database, and the organization's own
 * programmes out as one, as the API's /api/v1/iati/activities and
 * /api/v1/programmes/iati do it (domains/donors/iati.c, iatiout.c), but
 * read from and written to files as streams, so that a donor's file of a
 * gigabyte passes through a few megabytes of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domains/donors/donors.h"

/* The export acts as the system: every programme is the organization's to publish. */

static void print_warnings(const char *path, const iati_warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, "%s:%ld: warning: %s\n", path, w->v[i].line, w->v[i].reason);
	if (w->count > w->n)
		fprintf(stderr, "%s: %zu more warnings\n", path, w->count - w->n);
}

static int import_file(cli_db *db, const char *path, int dry_run)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("cannot read %s: %s", path, strerror(errno));
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	iati_imported got;
	int rc = iati_import(db->st, &(xmlstream_input){ NULL, 0, fd }, base, dry_run, &got);
	close(fd);
	if (rc) {
		rc = got.error.line ? cli_fail("%s:%ld: %s; nothing imported", path, got.error.line, got.error.reason)
				    : cli_fail("%s: %s; nothing imported", path, got.error.reason);
		iati_imported_free(&got);
		return rc;
	}
	print_warnings(path, &got.warnings);
	printf("%s %" PRId64 " activities (%" PRId64 " added, %" PRId64 " updated) with %" PRId64
	       " transactions from %s, %zu warnings\n",
	       dry_run ? "Would import" : "Imported", got.added + got.updated, got.added, got.updated, got.transactions,
	       path, got.warnings.count);
	iati_imported_free(&got);
	return EXIT_OK;
}

static int write_out(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

static int export_all(cli_db *db)
{
	model_ctx m;
	iati_exported out;
	model_init(&m, db->st, &db->reg, &cli_system);
	int rc = iati_export(&m, write_out, stdout, &out);
	if (rc)
		rc = cli_fail("%s", m.detail ? m.detail : "the programmes could not be exported");
	else if (fflush(stdout) || ferror(stdout))
		rc = cli_fail("cannot write the file: %s", strerror(errno));
	model_done(&m);
	if (rc)
		return rc;
	for (int64_t i = 0; i < out.skipped && i < IATI_SKIPPED_KEPT; i++)
		fprintf(stderr, "left out: %s\n", out.why[i]);
	fprintf(stderr, "Exported %" PRId64 " programmes as IATI activities with %" PRId64 " transactions", out.activities,
		out.transactions);
	if (out.skipped)
		fprintf(stderr, "; %" PRId64 " left out", out.skipped);
	fprintf(stderr, "\n");
	return EXIT_OK;
}

int cmd_iati(int argc, char **argv)
{
	static const char *const names[] = { "db", "dry-run!", "config", NULL };
	const char *v[3] = { 0 };
	cli_args a;
	int rc;
	char err[300];
	if (cli_options(argc, argv, "iati", names, v, &a, &rc))
		return rc;
	int importing = a.argc == 2 && strcmp(a.argv[0], "import") == 0;
	int exporting = a.argc == 1 && strcmp(a.argv[0], "export") == 0;
	if (!importing && !exporting)
		return cli_usage("iati: say 'liaison iati import FILE.xml' or 'liaison iati export > FILE.xml'");
	if (exporting && iati_configure(v[2], err, sizeof err))
		return cli_fail("%s", err);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	rc = importing ? import_file(&db, a.argv[1], v[1] != NULL) : export_all(&db);
	cli_close(&db);
	return rc;
}
