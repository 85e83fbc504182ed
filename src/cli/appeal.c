/*
 * appeal — `liaison appeal document ID --lang fr --out appeal.pdf`: an
 * appeal's document (domains/donors/appeal.c), as GET
 * /appeals/{id}/document.pdf serves it, written to a file for sending or
 * printing where no browser is at hand.  The command acts as the system,
 * which reads every appeal.  The file appears whole or not at all: the PDF
 * is written beside it under another name, then renamed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domains/donors/donors.h"
#include "model/i18n.h"
#include "model/today.h"


/* bytes to path, through path.part renamed; or to standard output when path is NULL. */
static int write_whole(const char *path, const buf *bytes)
{
	if (!path)
		return fwrite(bytes->data, 1, bytes->len, stdout) == bytes->len && fflush(stdout) == 0 ? EXIT_OK
			: cli_fail("cannot write the document: %s", strerror(errno));
	char part[4096];
	if (snprintf(part, sizeof part, "%s.part", path) >= (int)sizeof part)
		return cli_fail("%s: the name is too long", path);
	FILE *f = fopen(part, "wb");
	if (!f)
		return cli_fail("cannot write %s: %s", part, strerror(errno));
	int ok = fwrite(bytes->data, 1, bytes->len, f) == bytes->len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(part, path)) {
		int e = errno;
		unlink(part);
		return cli_fail("cannot write %s: %s", path, strerror(e));
	}
	return EXIT_OK;
}

static int document(cli_db *db, const char *id, const char *lang, const char *currency, const char *out)
{
	int l = lang ? i18n_lang(lang) : LANG_EN;
	model_ctx m;
	model_init(&m, db->st, &db->reg, &cli_system);
	store_conn *c = store_reader(db->st);
	char today[11];
	today_date(today);
	buf pdf = BUF_INIT;
	int rc = EXIT_OK;
	if (!c)
		rc = cli_fail("the database cannot be read now");
	else if (donors_appeal_document(&m, c, id, l, currency ? currency : "USD", today, &pdf))
		rc = cli_fail("appeal %s: %s", id, m.detail ? m.detail : "the document cannot be made");
	else
		rc = write_whole(out, &pdf);
	buf_free(&pdf);
	model_done(&m);
	return rc;
}

int cmd_appeal(int argc, char **argv)
{
	static const char *const names[] = { "db", "lang", "currency", "out", NULL };
	const char *v[4] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "appeal", names, v, &a, &rc))
		return rc;
	if (a.argc != 2 || strcmp(a.argv[0], "document"))
		return cli_usage("appeal: say 'liaison appeal document ID --lang fr --out FILE.pdf'");
	if (v[1] && i18n_lang(v[1]) < 0)
		return cli_usage("appeal: --lang is one of en, fr, es");
	char err[512];
	if (i18n_load(err, sizeof err))   /* the document is in the language asked for */
		return cli_fail("the catalogs cannot be loaded: %s", err);
	cli_db db;
	if (cli_open(&db, cli_db_path(v[0]), 0)) {
		i18n_free();
		return EXIT_FAIL;
	}
	rc = document(&db, a.argv[1], v[1], v[2], v[3]);
	cli_close(&db);
	i18n_free();
	return rc;
}
