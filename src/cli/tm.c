/*
 * tm — `liaison tm import FILE.tmx` and `liaison tm export --from en --to fr`:
 * the translation memory between a TMX file and the database, as the API's
 * /api/v1/translation-memory/tmx does it (domains/translation/memoryio.c),
 * but read from and written to files as streams, so that a memory of a
 * gigabyte passes through a few tens of megabytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domains/translation/translation.h"

static int import_file(cli_db *db, const char *path, const char *origin)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("cannot read %s: %s", path, strerror(errno));
	memory_imported got;
	int rc = memory_import(db->st, NULL, 0, fd, origin, &got);
	close(fd);
	if (rc)
		return cli_fail("%s: nothing imported: %s", path, got.error);
	printf("Imported %" PRId64 " units from %s", got.units, path);
	if (got.skipped)
		printf(" (%" PRId64 " variants in other languages left out)", got.skipped);
	printf("\n");
	return EXIT_OK;
}

static int write_out(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

static int export_pair(cli_db *db, const char *from, const char *to)
{
	int64_t n = 0;
	char err[320];
	if (!from || !to || enum_index(registry_langs, from) < 0 || enum_index(registry_langs, to) < 0 || !strcmp(from, to))
		return cli_usage("tm export: --from and --to are two of en, fr, es");
	if (memory_export(db->st, from, to, write_out, stdout, &n, err, sizeof err))
		return cli_fail("%s", err);
	if (fflush(stdout) || ferror(stdout))
		return cli_fail("cannot write the memory: %s", strerror(errno));
	fprintf(stderr, "Exported %" PRId64 " units from %s into %s\n", n, from, to);
	return EXIT_OK;
}

int cmd_tm(int argc, char **argv)
{
	static const char *const names[] = { "db", "origin", "from", "to", NULL };
	const char *v[4] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "tm", names, v, &a, &rc))
		return rc;
	int importing = a.argc == 2 && strcmp(a.argv[0], "import") == 0;
	int exporting = a.argc == 1 && strcmp(a.argv[0], "export") == 0;
	if (!importing && !exporting)
		return cli_usage("tm: say 'liaison tm import FILE.tmx' or 'liaison tm export --from en --to fr > FILE.tmx'");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	rc = importing ? import_file(&db, a.argv[1], v[1]) : export_pair(&db, v[2], v[3]);
	cli_close(&db);
	return rc;
}
