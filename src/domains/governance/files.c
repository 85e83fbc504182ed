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
#include <stdarg.h>
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

/* What came: the bytes, what the request declared them to be, the name asked for. */
typedef struct given {
	const unsigned char *data;
	size_t len;
	const char *content_type;  /* NULL: declared as nothing in particular */
	const char *name;          /* NULL: the version's own */
} given;

/* An outcome: 200 with the version written into m, or a status and why. */
typedef struct outcome {
	int status;
	const char *why;
} outcome;

static outcome refused(request *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static outcome refused(request *r, int status, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return (outcome){ status, arena_strdup(&r->a, why) };
}

/* The file's type by its content, and that it is the declared one; 0 when so. */
static int file_type(request *r, const given *g, file_facts *f, outcome *o)
{
	char why[256];
	if (filetype_check(g->data, g->len, g->content_type, VERSION_TYPES, f, why, sizeof why) == 0)
		return 0;
	*o = refused(r, 415, "%s", why);
	return -1;
}

/* The version's new text and word count, then its file, in one transaction. */
static outcome store_version_file(model_ctx *m, const record *v, const given *g, const file_facts *f, buf *text,
				  size_t words)
{
	store_conn *c = store_begin(m->st);
	record after;
	char id[24];
	outcome o = { 200, NULL };
	snprintf(id, sizeof id, "%" PRId64, v->v[COL_ID].i);
	json_t *patch = json_pack("{s:s, s:I}", "text", buf_str(text), "word_count", (json_int_t)words);
	const char *name = files_name(m, g->name, record_text(v, "name") ? record_text(v, "name") : "document", f);
	if (!c) {
		o = (outcome){ 503, "the database is busy; try again" };
	} else if (model_update_in(m, c, registry_find(m->reg, "document-versions"), id, 0, patch, &after) ||
		   files_keep(m, c, &version_files, v->v[COL_ID].i, g->data, f, name)) {
		store_rollback(c);
		o = (outcome){ m->status ? m->status : 500, m->detail ? m->detail : "the version could not be written" };
	} else if (model_finish_write(m, c, &after, 200)) {
		o = (outcome){ 500, "the file could not be kept" };
	}
	json_decref(patch);
	return o;
}

/* Gives the version named id its file, as m's user: 200 and the version in m, or why not. */
static outcome give_file(request *r, model_ctx *m, const char *id, const given *g)
{
	const entity *e = registry_find(m->reg, "document-versions");
	store_conn *reader = store_reader(m->st);
	record v;
	file_facts f;
	outcome o;
	buf text = BUF_INIT;
	size_t words = 0;
	char err[256];
	extract_limits lim = extract_default_limits;
	lim.max_text = entity_field(e, "text")->max;
	if (!reader)
		o = (outcome){ 503, "the database cannot be opened" };
	else if (!g->len)
		o = (outcome){ 400, "the body is empty: send the file" };
	else if (model_find(m, reader, e, id, &v))
		o = (outcome){ m->status, m->detail };
	else if (!access_record(m, reader, e, &v, OP_UPDATE))
		o = (outcome){ 403, "you may not change this language version" };
	else if (file_type(r, g, &f, &o))
		; /* o says why */
	else if (extract_text(g->data, g->len, f.type, &lim, &text, &words, err, sizeof err))
		o = refused(r, 422, "the text of the %s cannot be read: %s", extract_type_name(f.type), err);
	else
		o = store_version_file(m, &v, g, &f, &text, words);
	buf_free(&text);
	return o;
}

void document_file_put(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	given g = { (const unsigned char *)r->body_in.data, r->body_in.len, http_header(r, "Content-Type"),
		    http_query(r, "name") };
	outcome o = give_file(r, &m, r->params[0], &g);
	if (o.status == 200)
		http_model(r, &m);
	else
		http_problem(r, o.status, http_status_phrase(o.status) ? http_status_phrase(o.status) : "Error", "%s", o.why);
	model_done(&m);
}

/* The version's page form: the file sent, then back to the version. */
void document_file_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		size_t len = 0;
		const char *data = page_file(&p, "file", &len);
		given g = { (const unsigned char *)data, data ? len : 0, NULL, NULL };
		outcome o = give_file(r, &m, r->params[0], &g);
		if (o.status == 200)
			page_redirect(&p, arena_printf(&r->a, "/document-versions/%s", r->params[0]));
		else
			page_error(&p, o.status, o.why);
		model_done(&m);
	}
	page_end(&p);
}

void document_file_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	http_kept_file(r, &m, registry_find(m.reg, "document-versions"), &version_files, "this language version has no file");
	model_done(&m);
}
