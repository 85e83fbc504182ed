/*
 * compare — a document's text beside another's, paragraph by paragraph:
 * a revision beside the text it supersedes, with the words deleted and
 * inserted marked (core/worddiff.h), or two language versions of one
 * document set side by side by position (translations are not compared
 * word by word).
 *
 *   GET /api/v1/documents/{id}/compare?with=ID&lang=xx&with_lang=yy
 *   GET /documents/{id}/compare?with=ID&text_lang=xx&with_lang=yy   the page
 *
 * The left text is the document's own in lang (the reader's language when
 * not given; on the page, text_lang, as lang is the interface's there); the
 * right one is document `with` (the same document when not given) in
 * with_lang (the left text's language when not given).  Both documents and both
 * versions are read as the reader: one they may not read is missing, the
 * same 404 whether it exists or not.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/worddiff.h"
#include "domains/governance/governance.h"
#include "web/web.h"

/* Refusals people read, in the catalogs; the API answers them in English. */
static const char *const no_other = N_("Say what to compare the text with: another document (with) or another language (with_lang).");
static const char *const bad_with = N_("The document to compare with (with) is given by its number.");
static const char *const bad_lang = N_("A language is one of en, fr and es.");
static const char *const same_text = N_("A text compared with itself shows nothing: choose another document or language.");
static const char *const no_version = N_("One of the two documents has no version in the language asked for that you may read.");

typedef struct side {
	record doc, version;
	const char *lang;
	const char *text;
	size_t len;
} side;

typedef struct comparison {
	side left, right;
	const char *why;   /* the refusal's words when the comparison itself refused, else NULL */
} comparison;

typedef struct asked {
	const char *id, *with, *lang, *with_lang;
	int reader_lang;   /* an index into registry_langs */
} asked;

static int refuse(model_ctx *m, comparison *c, int status, const char *why)
{
	c->why = why;
	return model_fail(m, status, status == 404 ? "Not found" : "Bad request", "%s", why);
}

/* lang, or the fallback when not given; NULL when it names no language. */
static const char *language(const char *lang, const char *fallback)
{
	if (!lang)
		return fallback;
	int i = enum_index(registry_langs, lang);
	return i < 0 ? NULL : registry_langs[i];
}

/* The document (as the reader may read it) and its version in lang. */
static int read_side(model_ctx *m, store_conn *conn, comparison *c, const char *id, const char *lang, side *s)
{
	const entity *docs = registry_find(m->reg, "documents"), *versions = registry_find(m->reg, "document-versions");
	if (model_find(m, conn, docs, id, &s->doc))
		return -1;
	char *ref = arena_printf(&m->a, "%" PRId64 "/%s", s->doc.v[COL_ID].i, lang);
	int found = model_fetch_where(m, conn, versions, "reference", sv_text(ref), &s->version);
	if (found < 0)
		return m->status ? -1 : model_fail(m, 503, "Store unavailable", "the versions could not be read");
	if (found == 0 || s->version.v[COL_ARCHIVED].i || !access_record(m, conn, versions, &s->version, OP_READ))
		return refuse(m, c, 404, no_version);
	s->lang = lang;
	s->text = record_text(&s->version, "text");
	s->text = s->text ? s->text : "";
	s->len = strlen(s->text);
	return 0;
}

static int comparison_read(model_ctx *m, const asked *q, comparison *c)
{
	memset(c, 0, sizeof *c);
	const char *lang = language(q->lang, registry_langs[q->reader_lang]);
	const char *with_lang = lang ? language(q->with_lang, lang) : NULL;
	if (!q->with && !q->with_lang)
		return refuse(m, c, 400, no_other);
	if (q->with && model_parse_id(q->with) <= 0)
		return refuse(m, c, 400, bad_with);
	if (!lang || !with_lang)
		return refuse(m, c, 400, bad_lang);
	const char *with = q->with ? q->with : q->id;
	if (model_parse_id(with) == model_parse_id(q->id) && !strcmp(lang, with_lang))
		return refuse(m, c, 400, same_text);
	store_conn *conn = store_reader(m->st);
	if (!conn)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (read_side(m, conn, c, q->id, lang, &c->left) || read_side(m, conn, c, with, with_lang, &c->right))
		return -1;
	return 0;
}

/* ---- the answer, as JSON ------------------------------------------------------------------ */

/* Texts are read from the store, where only valid UTF-8 is written, and
 * cut where characters end; "" all the same if one were not. */
static json_t *text_json(const char *text, size_t at, size_t len)
{
	json_t *s = json_stringn(text + at, len);
	return s ? s : json_string("");
}

static json_t *number_json(long index) { return index < 0 ? json_null() : json_integer(index + 1); }

static json_t *side_json(const side *s)
{
	return json_pack("{s:I, s:s, s:I, s:s}", "document", (json_int_t)s->doc.v[COL_ID].i, "symbol",
			 record_text(&s->doc, "symbol"), "version", (json_int_t)s->version.v[COL_ID].i, "language", s->lang);
}

static json_t *parts_json(const comparison *c, const worddiff *d, const worddiff_para *p)
{
	static const char *const ops[] = { "same", "deleted", "inserted" };
	json_t *parts = json_array();
	for (size_t i = p->first; i < p->first + p->nparts; i++) {
		const worddiff_part *part = &d->parts[i];
		json_t *text = part->op == WORDDIFF_INS ? text_json(c->right.text, part->new_at, part->len)
							: text_json(c->left.text, part->old_at, part->len);
		json_array_append_new(parts, json_pack("{s:s, s:o}", "op", ops[part->op], "text", text));
	}
	return parts;
}

static json_t *paragraph_json(const comparison *c, const worddiff *d, const worddiff_para *p)
{
	static const char *const kinds[] = { "kept", "changed", "deleted", "inserted" };
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", kinds[p->kind], "left_number", number_json(p->old_index),
			      "right_number", number_json(p->new_index), "left",
			      p->old_index < 0 ? json_null() : text_json(c->left.text, p->old_at, p->old_len), "right",
			      p->new_index < 0 ? json_null() : text_json(c->right.text, p->new_at, p->new_len));
	if (p->kind == WORDDIFF_CHANGED) {
		json_object_set_new(o, "wholesale", json_boolean(p->wholesale));
		json_object_set_new(o, "parts", parts_json(c, d, p));
	}
	return o;
}

/* The same language: paragraphs aligned, words compared. */
static int by_words(const comparison *c, json_t *answer)
{
	worddiff d;
	if (worddiff_texts(&d, c->left.text, c->left.len, c->right.text, c->right.len, NULL))
		return -1;
	json_t *paras = json_array();
	for (size_t i = 0; i < d.nparas; i++)
		json_array_append_new(paras, paragraph_json(c, &d, &d.paras[i]));
	json_object_set_new(answer, "by", json_string("words"));
	json_object_set_new(answer, "paragraphs", paras);
	json_object_set_new(answer, "words_deleted", json_integer((json_int_t)d.words_deleted));
	json_object_set_new(answer, "words_inserted", json_integer((json_int_t)d.words_inserted));
	json_object_set_new(answer, "bounded", json_boolean(d.bounded));
	worddiff_free(&d);
	return 0;
}

/* Two languages: paragraph n beside paragraph n, nothing marked. */
static void by_position(const comparison *c, json_t *answer)
{
	json_t *paras = json_array();
	size_t la = 0, ra = 0, ls, ll, rs, rl;
	for (long n = 0;; n++) {
		int l = worddiff_next_paragraph(c->left.len, c->left.text, &la, &ls, &ll);
		int r = worddiff_next_paragraph(c->right.len, c->right.text, &ra, &rs, &rl);
		if (!l && !r)
			break;
		json_array_append_new(paras, json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", "aligned", "left_number",
						       number_json(l ? n : -1), "right_number", number_json(r ? n : -1),
						       "left", l ? text_json(c->left.text, ls, ll) : json_null(), "right",
						       r ? text_json(c->right.text, rs, rl) : json_null()));
	}
	json_object_set_new(answer, "by", json_string("position"));
	json_object_set_new(answer, "paragraphs", paras);
	json_object_set_new(answer, "words_deleted", json_integer(0));
	json_object_set_new(answer, "words_inserted", json_integer(0));
	json_object_set_new(answer, "bounded", json_false());
}

/* The comparison as the API answers it (held by m), or NULL with m's error. */
static json_t *comparison_json(model_ctx *m, const comparison *c)
{
	json_t *answer = json_pack("{s:o, s:o}", "left", side_json(&c->left), "right", side_json(&c->right));
	if (strcmp(c->left.lang, c->right.lang) != 0) {
		by_position(c, answer);
	} else if (by_words(c, answer)) {
		json_decref(answer);
		model_fail(m, 503, "Out of memory", "the texts could not be compared");
		return NULL;
	}
	json_array_append_new(m->hold, answer);
	return answer;
}

void documents_compare(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	asked q = { r->params[0], http_query(r, "with"), http_query(r, "lang"), http_query(r, "with_lang"), m.lang };
	comparison c;
	json_t *answer;
	if (comparison_read(&m, &q, &c) == 0 && (answer = comparison_json(&m, &c))) {
		char *text = json_dumps(answer, JSON_COMPACT);
		buf_puts(&m.body, text ? text : "{}");
		free(text);
		m.status = 200;
	}
	http_model(r, &m);
	model_done(&m);
}

/* ---- the page ----------------------------------------------------------------------------- */

/* A cell's runs of text: each kept, or deleted or inserted (marked so in the template). */
static json_t *cell(const char *lang, json_t *text, const char *mark)
{
	json_t *runs = json_array();
	if (json_string_length(text))
		json_array_append_new(runs, json_pack("{s:O, s:b, s:b}", "text", text, "del", mark && !strcmp(mark, "del"),
						      "ins", mark && !strcmp(mark, "ins")));
	return json_pack("{s:s, s:o}", "lang", lang, "runs", runs);
}

/* A changed paragraph's cells: the left one's kept and deleted runs, the right one's kept and inserted. */
static void changed_cells(json_t *para, json_t *left, json_t *right)
{
	size_t i;
	json_t *part;
	json_array_foreach(json_object_get(para, "parts"), i, part) {
		const char *op = json_string_value(json_object_get(part, "op"));
		json_t *text = json_object_get(part, "text");
		json_t *run = json_pack("{s:O, s:b, s:b}", "text", text, "del", !strcmp(op, "deleted"), "ins", !strcmp(op, "inserted"));
		if (strcmp(op, "inserted"))
			json_array_append(json_object_get(left, "runs"), run);
		if (strcmp(op, "deleted"))
			json_array_append(json_object_get(right, "runs"), run);
		json_decref(run);
	}
}

static json_t *row(const comparison *c, json_t *para)
{
	const char *kind = json_string_value(json_object_get(para, "kind"));
	json_t *left_text = json_object_get(para, "left"), *right_text = json_object_get(para, "right");
	int changed = !strcmp(kind, "changed");
	json_t *left = cell(c->left.lang, changed ? NULL : left_text, !strcmp(kind, "deleted") ? "del" : NULL);
	json_t *right = cell(c->right.lang, changed ? NULL : right_text, !strcmp(kind, "inserted") ? "ins" : NULL);
	if (changed)
		changed_cells(para, left, right);
	return json_pack("{s:s, s:o, s:o}", "kind", kind, "left", left, "right", right);
}

/* Rows of the page, but a blank line kept on both sides. */
static json_t *rows(const comparison *c, json_t *answer)
{
	json_t *out = json_array(), *para;
	size_t i;
	json_array_foreach(json_object_get(answer, "paragraphs"), i, para) {
		if (!json_string_length(json_object_get(para, "left")) && !json_string_length(json_object_get(para, "right")))
			continue;
		json_array_append_new(out, row(c, para));
	}
	return out;
}

/* "C/115/1/Rev.1 — English" */
static const char *label(const page *p, const side *s)
{
	const field_def *lang = entity_field(registry_find(&p->r->app->reg, "document-versions"), "language");
	return arena_printf(&p->r->a, "%s — %s", record_text(&s->doc, "symbol"), view_enum_label(p, lang, s->lang));
}

static char *document_href(const page *p, const side *s)
{
	return arena_printf(&p->r->a, "/documents/%" PRId64, s->doc.v[COL_ID].i);
}

/* A count as the page's language writes it: "1 204" in French. */
static json_t *number(const page *p, json_t *n)
{
	return json_string(page_number(p, json_integer_value(n)));
}

static void compare_body(page *p, model_ctx *m)
{
	/* lang is the interface's on every page (the language switch sets it): the
	 * left text is in the page's language, or in text_lang when given, so that
	 * switching the interface's language keeps the texts compared */
	asked q = { p->r->params[0], page_query(p, "with"), page_query(p, "text_lang"), page_query(p, "with_lang"), p->lang };
	comparison c;
	json_t *answer;
	if (comparison_read(m, &q, &c) || !(answer = comparison_json(m, &c))) {
		if (c.why)
			page_error(p, m->status, page_tr(p, c.why));
		else
			page_model_error(p, m);
		return;
	}
	int words = !strcmp(json_string_value(json_object_get(answer, "by")), "words");
	json_object_set_new(p->ctx, "left_label", json_string(label(p, &c.left)));
	json_object_set_new(p->ctx, "right_label", json_string(label(p, &c.right)));
	json_object_set_new(p->ctx, "left_href", json_string(document_href(p, &c.left)));
	json_object_set_new(p->ctx, "right_href", json_string(document_href(p, &c.right)));
	json_object_set_new(p->ctx, "by_words", json_boolean(words));
	json_object_set_new(p->ctx, "ui_lang", json_string(registry_langs[p->lang]));  /* the hidden words' language */
	json_object_set_new(p->ctx, "words_deleted", number(p, json_object_get(answer, "words_deleted")));
	json_object_set_new(p->ctx, "words_inserted", number(p, json_object_get(answer, "words_inserted")));
	json_object_set_new(p->ctx, "bounded", json_incref(json_object_get(answer, "bounded")));
	json_object_set_new(p->ctx, "rows", rows(&c, answer));
	page_render(p, 200, "compare", page_tr(p, N_("Texts compared")));
}

void document_compare_page(request *r) { page_run(r, PAGE_ANYONE, compare_body); }
