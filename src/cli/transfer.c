/*
 * transfer — `liaison import` and `liaison export`: CSV (and vCard for
 * persons) between files and the database.  The command line acts as the
 * system itself, with an admin's rights, and says so in the audit log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/file.h"
#include "model/csvio.h"


static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_steal(&b);
}

/* The likely duplicates for review into f, opened at path before the import (no file is left when
 * there are none).  0, or -1 having said why. */
static int write_review(FILE *f, const char *path, const buf *review)
{
	int bad = review->len && fwrite(review->data, 1, review->len, f) != review->len;
	bad = fclose(f) || bad;
	if (!review->len)
		unlink(path);
	if (bad)
		cli_fail("cannot write %s: the rows were imported, the likely duplicates were not written", path);
	return bad ? -1 : 0;
}

static const char *review_count(size_t n, const char *path)
{
	static char say[600];
	snprintf(say, sizeof say, ", %zu likely duplicate%s %s", n, n == 1 ? "" : "s",
		 n ? "written for review to " : "for review");
	if (n)
		strncat(say, path, sizeof say - strlen(say) - 1);
	return say;
}

/* The file to import: mapped when it is a regular file (read as it is used, of any size), else
 * (a pipe, /dev/stdin) read whole.  0, or -1 having said why. */
static int open_input(const char *path, file_mapped *map, char **read, size_t *len)
{
	char err[300];
	*read = NULL;
	if (file_map(path, map, err, sizeof err) == 0) {
		*len = map->len;
		return 0;
	}
	if ((*read = read_file(path, len)))
		return 0;
	cli_fail("%s", err);
	return -1;
}

int cmd_import(int argc, char **argv)
{
	static const char *const names[] = { "db", "dry-run!", "force!", "review", NULL };
	const char *v[4] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "import", names, v, &a, &rc))
		return rc;
	if (a.argc != 2)
		return cli_usage("import: say 'liaison import KIND FILE'");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	file_mapped map = { "", 0 };
	char *read = NULL;
	size_t len = 0;
	const entity *e = registry_find_alias(&db.reg, a.argv[0]);
	if (!e) {
		rc = cli_usage("import: unknown kind '%s'", a.argv[0]);
		goto done;
	}
	if (open_input(a.argv[1], &map, &read, &len)) {
		rc = EXIT_FAIL;
		goto done;
	}
	rc = EXIT_OK;
	model_ctx m;
	model_init(&m, db.st, &db.reg, &cli_system);
	import_report rep;
	buf review = BUF_INIT;
	FILE *review_file = v[3] ? fopen(v[3], "wbx") : NULL;   /* never over a file that is there */
	if (v[3] && !review_file) {
		rc = cli_fail("cannot write %s: %s", v[3], errno == EEXIST ? "it is there already" : strerror(errno));
		model_done(&m);
		goto done;
	}
	import_opts o = { (v[1] ? IMPORT_DRY_RUN : 0) | (v[2] ? IMPORT_FORCE : 0), stderr, v[3] ? &review : NULL };
	if (csvio_import(&m, e, read ? read : map.data, len, &o, &rep) && !rep.nerrors)
		rc = cli_fail("%s", m.detail);
	for (size_t i = 0; i < rep.nerrors; i++)
		fprintf(stderr, "%s:%zu: %s%s%s\n", a.argv[1], rep.errors[i].line,
			rep.errors[i].column ? rep.errors[i].column : "", rep.errors[i].column ? ": " : "",
			rep.errors[i].reason);
	if (rep.nerrors)
		rc = cli_fail("nothing imported: %zu problem(s) in %s%s", rep.nerrors, a.argv[1],
			      rep.fatal ? " (reading stopped at the first broken line)" : "");
	if (review_file && write_review(review_file, v[3], rc == EXIT_OK ? &review : &(buf)BUF_INIT))
		rc = EXIT_FAIL;
	if (rc == EXIT_OK)
		printf("%s %zu rows: %zu created, %zu updated, %zu unchanged%s\n",
		       v[1] ? "Checked (dry run, nothing written)" : "Imported", rep.rows, rep.created, rep.updated,
		       rep.unchanged, v[3] ? review_count(rep.for_review, v[3]) : "");
	buf_free(&review);
	model_done(&m);
done:
	cli_close(&db);
	file_unmap(&map);
	free(read);
	return rc;
}

/* Every person, page by page through the ordinary list, as vCards. */
/* The kinds that export as vCards, "persons" or "persons, ...". */
static const char *with_cards(const registry *reg)
{
	static char names[256];
	names[0] = '\0';
	for (size_t i = 0; i < reg->n; i++)
		if (reg->v[i].def->cards)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
				 reg->v[i].def->name);
	return names;
}

static int export_cards(model_ctx *m, const entity *e, buf *out)
{
	char *cursor = NULL;
	do {
		list_params p = { .limit = 500, .cursor = cursor, .sort = "id" };
		buf_reset(&m->body);
		if (model_list(m, e, &p))
			return -1;
		json_t *page = json_loads(buf_str(&m->body), 0, NULL);
		if (e->def->cards(m, json_object_get(page, "items"), out)) {
			json_decref(page);
			return -1;
		}
		const char *next = json_string_value(json_object_get(page, "next_cursor"));
		cursor = next ? arena_strdup(&m->a, next) : NULL;
		json_decref(page);
	} while (cursor);
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const char *const names[] = { "db", "format", NULL };
	const char *v[2] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "export", names, v, &a, &rc))
		return rc;
	if (a.argc != 1)
		return cli_usage("export: say 'liaison export KIND'");
	int vcard = v[1] && strcmp(v[1], "vcard") == 0;
	if (v[1] && !vcard && strcmp(v[1], "csv") != 0)
		return cli_usage("export: --format takes csv or vcard");
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0))
		return EXIT_FAIL;
	rc = EXIT_OK;
	const entity *e = registry_find_alias(&db.reg, a.argv[0]);
	if (!e) {
		rc = cli_usage("export: unknown kind '%s'", a.argv[0]);
	} else if (vcard && !e->def->cards) {
		rc = cli_usage("export: vCards are for %s", with_cards(&db.reg));
	} else {
		model_ctx m;
		model_init(&m, db.st, &db.reg, &cli_system);
		buf out = BUF_INIT;
		if ((vcard ? export_cards(&m, e, &out) : csvio_export(&m, e, &out)))
			rc = cli_fail("%s", m.detail);
		else
			fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
		model_done(&m);
	}
	cli_close(&db);
	return rc;
}
