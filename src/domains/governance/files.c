/*
 * files — a language version's file, as the division receives it: a PDF,
 * DOCX or ODT, up to 64 MiB (the routes' max_body).
 *
 *   PUT /api/v1/document-versions/{id}/file?name=C-115-1-fr.pdf   the file as the body
 *   GET /api/v1/document-versions/{id}/file                        the file as it was given
 *
 * A file is what its bytes say it is, never what its name or its
 * Content-Type claim: one whose content is not a document of the three, or
 * not the one its Content-Type declares, is refused.  Its text, extracted
 * (formats/extract.h), becomes the version's text and word count, so that
 * the one search box finds it in its language; the file is kept beside the
 * version (document_files), replaced by the next one, in the same
 * transaction as the version's new text and its audit entry.  Who may
 * change the version may give its file; who may read it may read the file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/governance/governance.h"
#include "formats/extract.h"
#include "formats/filetype.h"
#include "model/access.h"
#include "model/files.h"
#include "model/model.h"
#include "web/web.h"

/* What a version's file may be. */
#define VERSION_TYPES (FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_DOCX) | FILETYPE_SET(DOC_ODT))

/* One file per version, replaced by the next (migration 021). */
static const file_table version_files = { "document_files", "version", 0 };

/* The version's new text and word count, then its file, in one transaction. */
static int store_version_file(model_ctx *m, const record *v, const file_given *g, const file_facts *f, buf *text,
			      size_t words)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record after;
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, v->v[COL_ID].i);
	json_t *patch = json_pack("{s:s, s:I}", "text", buf_str(text), "word_count", (json_int_t)words);
	const char *name = files_name(m, g->name, record_text(v, "name") ? record_text(v, "name") : "document", f);
	int rc = model_update_in(m, c, registry_find(m->reg, "document-versions"), id, 0, patch, &after) ||
		 files_keep(m, c, &version_files, v->v[COL_ID].i, g->data, f, name);
	json_decref(patch);
	if (rc) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &after, 200);
}

/* Takes g as the file of the version named id (a file_taker). */
static int give_file(model_ctx *m, const char *id, const file_given *g)
{
	const entity *e = registry_find(m->reg, "document-versions");
	store_conn *reader = store_reader(m->st);
	record v;
	file_facts f;
	buf text = BUF_INIT;
	size_t words = 0;
	char why[256];
	extract_limits lim = extract_default_limits;
	lim.max_text = entity_field(e, "text")->max;
	int rc;
	if (!reader)
		rc = model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	else if (model_find(m, reader, e, id, &v))
		rc = -1;
	else if (!access_record(m, reader, e, &v, OP_UPDATE))
		rc = model_fail(m, 403, "Forbidden", "you may not change this language version");
	else if (files_check(m, g, VERSION_TYPES, &f))
		rc = -1;
	else if (extract_text(g->data, g->len, f.type, &lim, &text, &words, why, sizeof why))
		rc = model_fail(m, 422, "Unprocessable Content", "the text of the %s cannot be read: %s",
				extract_type_name(f.type), why);
	else
		rc = store_version_file(m, &v, g, &f, &text, words);
	buf_free(&text);
	return rc;
}

void document_file_put(request *r) { http_file_given(r, give_file); }

/* The version's page form: the file sent, then back to the version. */
void document_file_page(request *r) { page_file_given(r, "document-versions", give_file); }

void document_file_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	http_kept_file(r, &m, registry_find(m.reg, "document-versions"), &version_files, "this language version has no file");
	model_done(&m);
}
