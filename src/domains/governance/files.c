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
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/governance/governance.h"
#include "formats/extract.h"
#include "model/access.h"
#include "model/model.h"

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

/* The version named in the path, if the caller may do op on it; else answered. */
static int version_for(request *r, model_ctx *m, store_conn *c, access_op op, record *v)
{
	const entity *e = registry_find(m->reg, "document-versions");
	if (model_find(m, c, e, r->params[0], v)) {
		http_model(r, m);
		return -1;
	}
	if (op != OP_READ && !access_record(m, c, e, v, op)) {
		http_problem(r, 403, "Forbidden", "you may not change this language version");
		return -1;
	}
	return 0;
}

/* The file's type by its content, and that it is the declared one; 0, or answered with 415. */
static int file_type(request *r, doc_type *type)
{
	const unsigned char *data = (const unsigned char *)r->body_in.data;
	*type = extract_sniff(data, r->body_in.len);
	int said = declared(http_header(r, "Content-Type"));
	if (*type == DOC_UNKNOWN) {
		http_problem(r, 415, "Unsupported Media Type", "the file is not a PDF, DOCX or ODT document");
		return -1;
	}
	if (said < 0 || (said != DOC_UNKNOWN && said != (int)*type)) {
		http_problem(r, 415, "Unsupported Media Type", "the file is a %s, not the %s its Content-Type declares (%s)",
			     extract_type_name(*type), said < 0 ? "type" : extract_type_name((doc_type)said),
			     http_header(r, "Content-Type"));
		return -1;
	}
	return 0;
}

/* A file name as given (?name=), one line, else the version's own name. */
static const char *file_name(request *r, const record *v, doc_type type)
{
	const char *name = http_query(r, "name");
	if (name && *name && strlen(name) <= 200 && !strpbrk(name, "\r\n\"/\\"))
		return name;
	return arena_printf(&r->a, "%s.%s", record_text(v, "reference") ? record_text(v, "reference") : "document",
			    type == DOC_PDF ? "pdf" : type == DOC_DOCX ? "docx" : "odt");
}

static int keep_file(request *r, store_conn *c, const record *v, const char *name, doc_type type)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof h + 1], now[32];
	crypto_hash_sha256(h, (const unsigned char *)r->body_in.data, r->body_in.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	clock_now_iso(now);
	store_cond w = COND_EQ("version", v->v[COL_ID]);
	static const char *const cols[] = { "version", "name", "type", "size", "sha256", "content", "uploaded_at",
					    "uploaded_by" };
	store_value vals[] = { v->v[COL_ID], sv_text(name), sv_text(media_of(type)), SV_INT_((int64_t)r->body_in.len),
			       sv_text(hex), sv_blob(r->body_in.data, r->body_in.len), sv_text(now),
			       r->u->id > 0 ? SV_INT_(r->u->id) : SV_NUL };
	return store_delete(c, "document_files", &w, 1) != STORE_OK ||
	       store_insert(c, "document_files", cols, vals, (int)COUNT(cols), NULL) != STORE_OK ? -1 : 0;
}

/* The version's new text and word count, then its file, in one transaction. */
static void store_version_file(request *r, model_ctx *m, const record *v, doc_type type, buf *text, size_t words)
{
	store_conn *c = store_begin(m->st);
	record after;
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, v->v[COL_ID].i);
	json_t *patch = json_pack("{s:s, s:I}", "text", buf_str(text), "word_count", (json_int_t)words);
	if (!c) {
		http_problem(r, 503, "Store busy", "the database is busy; try again");
	} else if (model_update_in(m, c, registry_find(m->reg, "document-versions"), id, 0, patch, &after)) {
		store_rollback(c);
		http_model(r, m);
	} else if (keep_file(r, c, v, file_name(r, v, type), type)) {
		store_rollback(c);
		http_problem(r, 500, "Store error", "the file could not be kept");
	} else {
		model_finish_write(m, c, &after, 200);
		http_model(r, m);
	}
	json_decref(patch);
}

void document_file_put(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record v;
	doc_type type;
	store_conn *reader = store_reader(r->app->st);
	buf text = BUF_INIT;
	size_t words = 0;
	char err[256];
	extract_limits lim = extract_default_limits;
	lim.max_text = entity_field(registry_find(m.reg, "document-versions"), "text")->max;
	if (!reader)
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
	else if (!r->body_in.len)
		http_problem(r, 400, "Bad request", "the body is empty: send the file");
	else if (version_for(r, &m, reader, OP_UPDATE, &v) || file_type(r, &type))
		; /* answered */
	else if (extract_text((const unsigned char *)r->body_in.data, r->body_in.len, type, &lim, &text, &words, err, sizeof err))
		http_problem(r, 422, "Unprocessable Content", "the text of the %s cannot be read: %s", extract_type_name(type), err);
	else
		store_version_file(r, &m, &v, type, &text, words);
	buf_free(&text);
	model_done(&m);
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
	} else if (version_for(r, &m, c, OP_READ, &v) == 0) {
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
