/*
 * files — a language version's file, as the division receives it: a PDF,
 * DOCX or ODT, up to FILE_MAX bytes.
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
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/governance/governance.h"
#include "formats/extract.h"
#include "model/access.h"
#include "model/model.h"
#include "web/web.h"

/* The media types a Content-Type may declare, by the type the content must be. */
static const struct {
	doc_type type;
	const char *media;
} media[] = {
	{ DOC_PDF, "application/pdf" },
	{ DOC_DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ DOC_ODT, "application/vnd.oasis.opendocument.text" },
};

static const char *media_of(doc_type t)
{
	for (size_t i = 0; i < COUNT(media); i++)
		if (media[i].type == t)
			return media[i].media;
	return "application/octet-stream";
}

/* What a Content-Type declares: one of the three, DOC_UNKNOWN for none or a generic one, -1 for another. */
static int declared(const char *content_type)
{
	if (!content_type || !strncmp(content_type, "application/octet-stream", 24))
		return DOC_UNKNOWN;
	for (size_t i = 0; i < COUNT(media); i++)
		if (!strncmp(content_type, media[i].media, strlen(media[i].media)))
			return (int)media[i].type;
	return -1;
}

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
static int file_type(request *r, const given *g, doc_type *type, outcome *o)
{
	*type = extract_sniff(g->data, g->len);
	int said = declared(g->content_type);
	if (*type == DOC_UNKNOWN) {
		*o = (outcome){ 415, "the file is not a PDF, DOCX or ODT document" };
		return -1;
	}
	if (said < 0 || (said != DOC_UNKNOWN && said != (int)*type)) {
		*o = refused(r, 415, "the file is a %s, not the %s its Content-Type declares (%s)", extract_type_name(*type),
			     said < 0 ? "type" : extract_type_name((doc_type)said), g->content_type);
		return -1;
	}
	return 0;
}

/* A file name as asked for, one line, else the version's own name. */
static const char *file_name(request *r, const given *g, const record *v, doc_type type)
{
	if (g->name && *g->name && strlen(g->name) <= 200 && !strpbrk(g->name, "\r\n\"/\\"))
		return g->name;
	return arena_printf(&r->a, "%s.%s", record_text(v, "name") ? record_text(v, "name") : "document",
			    type == DOC_PDF ? "pdf" : type == DOC_DOCX ? "docx" : "odt");
}

static int keep_file(request *r, store_conn *c, const record *v, const given *g, const char *name, doc_type type)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof h + 1], now[32];
	crypto_hash_sha256(h, g->data, g->len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	clock_now_iso(now);
	store_cond w = COND_EQ("version", v->v[COL_ID]);
	static const char *const cols[] = { "version", "name", "type", "size", "sha256", "content", "uploaded_at",
					    "uploaded_by" };
	store_value vals[] = { v->v[COL_ID], sv_text(name), sv_text(media_of(type)), SV_INT_((int64_t)g->len),
			       sv_text(hex), sv_blob(g->data, g->len), sv_text(now),
			       r->u->id > 0 ? SV_INT_(r->u->id) : SV_NUL };
	return store_delete(c, "document_files", &w, 1) != STORE_OK ||
	       store_insert(c, "document_files", cols, vals, (int)COUNT(cols), NULL) != STORE_OK ? -1 : 0;
}

/* The version's new text and word count, then its file, in one transaction. */
static outcome store_version_file(request *r, model_ctx *m, const record *v, const given *g, doc_type type, buf *text,
				  size_t words)
{
	store_conn *c = store_begin(m->st);
	record after;
	char id[24];
	outcome o = { 200, NULL };
	snprintf(id, sizeof id, "%" PRId64, v->v[COL_ID].i);
	json_t *patch = json_pack("{s:s, s:I}", "text", buf_str(text), "word_count", (json_int_t)words);
	if (!c) {
		o = (outcome){ 503, "the database is busy; try again" };
	} else if (model_update_in(m, c, registry_find(m->reg, "document-versions"), id, 0, patch, &after)) {
		store_rollback(c);
		o = (outcome){ m->status ? m->status : 500, m->detail ? m->detail : "the version could not be written" };
	} else if (keep_file(r, c, v, g, file_name(r, g, v, type), type)) {
		store_rollback(c);
		o = (outcome){ 500, "the file could not be kept" };
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
	doc_type type;
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
	else if (file_type(r, g, &type, &o))
		; /* o says why */
	else if (extract_text(g->data, g->len, type, &lim, &text, &words, err, sizeof err))
		o = refused(r, 422, "the text of the %s cannot be read: %s", extract_type_name(type), err);
	else
		o = store_version_file(r, m, &v, g, type, &text, words);
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

typedef struct kept {
	const char *name, *type, *content;
	size_t size;
	arena *a;
} kept;

static int take_file(void *ctx, store_row *row)
{
	kept *k = ctx;
	size_t n;
	const char *content = store_text(row, 2, &n);
	k->name = arena_strdup(k->a, store_text(row, 0, NULL));
	k->type = arena_strdup(k->a, store_text(row, 1, NULL));
	k->content = content ? arena_strndup(k->a, content, n) : NULL;
	k->size = n;
	return 0;
}

void document_file_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record v;
	store_conn *c = store_reader(r->app->st);
	kept k = { .a = &r->a };
	if (!c) {
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
	} else if (model_find(&m, c, registry_find(m.reg, "document-versions"), r->params[0], &v)) {
		http_model(r, &m);
	} else {
		store_cond w = COND_EQ("version", v.v[COL_ID]);
		store_select q = { .table = "document_files", .cols = (const char *[]){ "name", "type", "content" }, .ncols = 3,
				   .where = &w, .nwhere = 1 };
		if (store_query(c, &q, take_file, &k) != STORE_OK)
			http_problem(r, 500, "Store error", "the file could not be read");
		else if (!k.content)
			http_problem(r, 404, "Not found", "this language version has no file");
		else {
			http_text(r, 200, k.type, k.content, k.size);
			http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s\"", k.name));
		}
	}
	model_done(&m);
}
