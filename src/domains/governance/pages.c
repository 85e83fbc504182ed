/*
 * pages — the governing bodies' own pages beyond the generic ones: a
 * session with its documents, in the order of their symbols, and for each
 * the state of its version in every language, what is late flagged; the
 * year's sessions by month; a document's page, which offers the comparison
 * with the text it supersedes when it supersedes one.
 *
 *   GET /sessions/{id}        GET /sessions/calendar?year=2027
 *   GET /documents/{id}       GET /document-versions/{id}: with its file and the form to send one
 *
 * A version is late when the session's documents are due and it is not
 * published; a language with no version at all is late too.  The reader
 * sees only the documents and versions they may read: the lists are asked
 * of the model as them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domains/governance/governance.h"
#include "model/access.h"
#include "model/today.h"
#include "web/web.h"

#define PAGE_OF 500  /* records read at a time */

json_t *session_records(page *p, const char *kind, const char *session, const char *sort)
{
	const entity *e = registry_find(&p->r->app->reg, kind);
	json_t *all = json_array();
	const char *cursor = NULL;
	do {
		model_ctx m;
		model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
		list_params lp = { (const char *[]){ "session" }, (const char *[]){ session }, 1, .sort = sort, .cursor = cursor,
				   .limit = PAGE_OF };
		json_t *got = model_list(&m, e, &lp) == 0 ? json_loads(buf_str(&m.body), 0, NULL) : NULL;
		json_array_extend(all, json_object_get(got, "items"));
		const char *next = json_string_value(json_object_get(got, "next_cursor"));
		cursor = next ? arena_strdup(&p->r->a, next) : NULL;
		json_decref(got);
		model_done(&m);
	} while (cursor);
	return all;
}

/* ---- the columns a page needs, not whole records ---------------------------------------- */

/* A document's cells by its id, for its versions to find (sorted by id once the documents are read). */
typedef struct doc_ref {
	int64_t id;
	json_t *cells;
} doc_ref;

#define MAX_STATES 8

typedef struct taking {
	page *p;
	const entity *e;
	const char *const *cols;
	int ncols;
	int (*take)(struct taking *t, store_row *row);  /* each row, or NULL: into rows as objects */
	json_t *rows;
	doc_ref *refs;
	size_t nrefs, caprefs;
	json_t *state_text[MAX_STATES], *state_name[MAX_STATES];  /* a version state's label and name, made once */
} taking;

static int take_columns(void *ctx, store_row *row)
{
	taking *t = ctx;
	if (t->take)
		return t->take(t, row);
	json_t *o = json_object();
	for (int i = 0; i < t->ncols; i++) {
		int col = entity_column(t->e, t->cols[i]);
		const char *text = store_text(row, i, NULL);
		if (text && t->e->cols[col].is_int)
			json_object_set_new(o, t->cols[i], json_integer(store_int(row, i)));
		else if (text)
			json_object_set_new(o, t->cols[i], json_string(text));
	}
	json_array_append_new(t->rows, o);
	return 0;
}

/* Some columns of the session's records of t's kind, those the reader may
 * read and not archived, in order.  A session's page shows hundreds of
 * documents in three languages: their texts are not read. */
static void session_columns(taking *t, int64_t session, const char *order)
{
	model_ctx m;
	model_init(&m, t->p->r->app->st, &t->p->r->app->reg, page_user(t->p));
	store_conn *c = store_reader(t->p->r->app->st);
	if (c && access_kind(page_user(t->p), t->e, OP_READ)) {
		store_cond where[3] = { COND_EQ("session", SV_INT_(session)), COND_EQ("archived", SV_INT_(0)) };
		int nw = 2;
		access_visible(&m, t->e, where, &nw);
		store_order by[] = { { order, 0, NOT_NULL }, { "id", 0, NOT_NULL } };
		store_select q = { .table = t->e->def->table, .cols = t->cols, .ncols = t->ncols, .where = where,
				   .nwhere = nw, .order = by, .norder = 2 };
		store_query(c, &q, take_columns, t); /* a failure shows what was read */
	}
	model_done(&m);
}

/* A document's title in the reader's language, else the first there is; *lang says which. */
static const char *title_of(page *p, store_row *row, int first_col, const char **lang)
{
	for (int l = -1; l < NLANGS; l++) {
		int k = l < 0 ? p->lang : l;
		const char *t = store_text(row, first_col + k, NULL);
		if (t && *t) {
			*lang = registry_langs[k];
			return t;
		}
	}
	*lang = registry_langs[p->lang];
	return "";
}

/* A document's row: symbol, title, item, and a cell per language, none yet. */
static int take_document(taking *t, store_row *row)
{
	const char *lang, *title = title_of(t->p, row, 2, &lang);
	int64_t id = store_int(row, 0);
	json_t *cells = json_array(), *doc = json_object();
	for (int l = 0; l < NLANGS; l++)
		json_array_append_new(cells, json_object());
	json_object_set_new(doc, "href", json_string(arena_printf(&t->p->r->a, "/documents/%" PRId64, id)));
	json_object_set_new(doc, "symbol", json_string(store_text(row, 1, NULL) ? store_text(row, 1, NULL) : ""));
	json_object_set_new(doc, "title", json_string(title));
	json_object_set_new(doc, "title_lang", json_string(lang));
	json_object_set_new(doc, "cells", cells);
	if (store_text(row, 5, NULL))
		json_object_set_new(doc, "item_id", json_integer(store_int(row, 5)));
	json_array_append_new(t->rows, doc);
	if (t->nrefs == t->caprefs) {
		t->caprefs = t->caprefs ? 2 * t->caprefs : 512;
		doc_ref *more = realloc(t->refs, t->caprefs * sizeof *more);
		if (!more)
			return -1;
		t->refs = more;
	}
	t->refs[t->nrefs++] = (doc_ref){ id, cells };
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const doc_ref *)a)->id, y = ((const doc_ref *)b)->id;
	return (x > y) - (x < y);
}

/* A version's state as its label and its name, each made once for the page. */
static void set_state(taking *t, json_t *cell, const char *status)
{
	const field_def *f = entity_field(t->e, "status");
	int k = enum_index(f->values, status);
	if (k < 0 || k >= MAX_STATES)
		return;
	if (!t->state_text[k]) {
		t->state_text[k] = json_string(view_enum_label(t->p, f, status));
		t->state_name[k] = json_string(status);
	}
	json_object_set(cell, "text", t->state_text[k]);
	json_object_set(cell, "state", t->state_name[k]);
}

/* A version into its document's cell for its language. */
static int take_version(taking *t, store_row *row)
{
	doc_ref key = { store_int(row, 1), NULL };
	const doc_ref *doc = bsearch(&key, t->refs, t->nrefs, sizeof *t->refs, by_id);
	const char *lang = store_text(row, 2, NULL), *status = store_text(row, 3, NULL);
	int l = lang ? enum_index(registry_langs, lang) : -1;
	json_t *cell = doc && l >= 0 ? json_array_get(doc->cells, (size_t)l) : NULL;
	if (!cell || !status)
		return 0;
	set_state(t, cell, status);
	json_object_set_new(cell, "href", json_string(arena_printf(&t->p->r->a, "/document-versions/%" PRId64, store_int(row, 0))));
	return 0;
}

/* Each language's cell is late when the documents are due and its version is not published. */
static void mark_late(json_t *docs)
{
	json_t *doc, *cell;
	size_t i, k;
	json_array_foreach(docs, i, doc) json_array_foreach(json_object_get(doc, "cells"), k, cell) {
		const char *state = json_string_value(json_object_get(cell, "state"));
		if (!state || strcmp(state, "published"))
			json_object_set_new(cell, "late", json_true());
	}
}

/* Each document's item number, from the session's agenda. */
static void name_items(page *p, json_t *docs, int64_t session)
{
	static const char *const cols[] = { "id", "number" };
	taking t = { p, registry_find(&p->r->app->reg, "agenda-items"), cols, COUNT(cols), NULL, json_array() };
	session_columns(&t, session, "position");
	json_t *numbers = json_object(), *it, *doc;
	size_t i;
	json_array_foreach(t.rows, i, it) {
		char key[24];
		snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(it, "id")));
		json_object_set(numbers, key, json_object_get(it, "number"));
	}
	json_array_foreach(docs, i, doc) {
		char key[24];
		snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(doc, "item_id")));
		json_t *n = json_object_get(numbers, key);
		if (n)
			json_object_set(doc, "item", n);
	}
	json_decref(numbers);
	json_decref(t.rows);
}

/* The session's documents as rows, each with its versions' cells. */
static json_t *document_rows(page *p, int64_t session, int due_passed)
{
	static const char *const doc_cols[] = { "id", "symbol", "title_en", "title_fr", "title_es", "agenda_item" };
	static const char *const version_cols[] = { "id", "document", "language", "status" };
	taking t = { p, registry_find(&p->r->app->reg, "documents"), doc_cols, COUNT(doc_cols), take_document, json_array() };
	session_columns(&t, session, "sort_key");
	qsort(t.refs, t.nrefs, sizeof *t.refs, by_id);
	t.e = registry_find(&p->r->app->reg, "document-versions");
	t.cols = version_cols;
	t.ncols = COUNT(version_cols);
	t.take = take_version;
	session_columns(&t, session, "id");
	if (due_passed)
		mark_late(t.rows);
	name_items(p, t.rows, session);
	for (int k = 0; k < MAX_STATES; k++) {
		json_decref(t.state_text[k]);
		json_decref(t.state_name[k]);
	}
	free(t.refs);
	return t.rows;
}

static json_t *language_heads(page *p)
{
	json_t *heads = json_array();
	for (int l = 0; registry_langs[l]; l++)
		json_array_append_new(heads, json_pack("{s:s}", "label", page_tr(p, registry_lang_labels[l])));
	return heads;
}

void session_page(request *r)
{
	page p;
	json_t *rec = NULL;
	const entity *e = registry_find(&r->app->reg, "sessions");
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (rec = records_load(&p, e, r->params[0]))) {
		const char *due = json_string_value(json_object_get(rec, "documents_due"));
		char today[11];
		today_date(today);
		int due_passed = due && strcmp(today, due) > 0;
		json_t *docs = document_rows(&p, json_integer_value(json_object_get(rec, "id")), due_passed);
		json_object_set_new(p.ctx, "has_documents", json_boolean(json_array_size(docs) > 0));
		json_object_set_new(p.ctx, "documents", docs);
		json_object_set_new(p.ctx, "languages", language_heads(&p));
		json_object_set_new(p.ctx, "participants_href", json_string(arena_printf(&r->a, "/sessions/%" JSON_INTEGER_FORMAT
										     "/participants", json_integer_value(json_object_get(rec, "id")))));
		records_detail_render(&p, e, rec, "session");
	}
	json_decref(rec);
	page_end(&p);
}

/* ---- the sessions calendar ------------------------------------------------------------------ */

/* The year asked for (?year=2027), else this one; 0 when asked for something else. */
static int year_asked(page *p)
{
	const char *y = page_query(p, "year");
	char today[11];
	today_date(today);
	if (!y)
		return atoi(today);
	char *end;
	long n = strtol(y, &end, 10);
	return *end || n < 1900 || n > 2999 ? 0 : (int)n;
}

/* One session as the calendar shows it: symbol, body, dates, venue, state. */
static json_t *calendar_entry(page *p, const entity *e, json_t *s)
{
	buf dates = BUF_INIT;
	page_date(p, json_string_value(json_object_get(s, "starts_on")), &dates);
	buf_puts(&dates, " – ");
	page_date(p, json_string_value(json_object_get(s, "ends_on")), &dates);
	const char *status = json_string_value(json_object_get(s, "status"));
	json_t *v = json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:s}", "href", view_href(p, e, s), "symbol",
			      json_string_value(json_object_get(s, "symbol")), "dates", buf_str(&dates), "venue",
			      json_string_value(json_object_get(s, "venue")), "state", status, "status",
			      status ? view_enum_label(p, entity_field(e, "status"), status) : "");
	buf_free(&dates);
	return v;
}

static void sessions_calendar_body(page *p, model_ctx *m)
{
	request *r = p->r;
	int year = year_asked(p);
	if (!year) {
		page_error(p, 400, page_tr(p, N_("Give a year, such as 2027.")));
		return;
	}
	char *from = arena_printf(&r->a, "%04d-01-01", year), *to = arena_printf(&r->a, "%04d-01-01", year + 1);
	store_cond w[] = { COND("starts_on", OP_GE, sv_text(from)), COND("starts_on", OP_LT, sv_text(to)) };
	list_params lp = { .sort = "starts_on", .limit = 500, .extra = w, .nextra = 2 };
	const entity *e = registry_find(&r->app->reg, "sessions");
	if (model_list(m, e, &lp)) {
		page_model_error(p, m);
		return;
	}
	json_t *body = view_body(m), *months = json_array(), *month = NULL, *s;
	int shown = 0;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, s) {
		int mo = atoi(json_string_value(json_object_get(s, "starts_on")) + 5);
		if (mo != shown) {
			json_array_append_new(months, month = json_pack("{s:s, s:[]}", "name", i18n_month(p->lang, mo), "sessions"));
			shown = mo;
		}
		json_array_append_new(json_object_get(month, "sessions"), calendar_entry(p, e, s));
	}
	json_decref(body);
	json_object_set_new(p->ctx, "months", months);
	json_object_set_new(p->ctx, "year", json_integer(year));
	json_object_set_new(p->ctx, "prev_href", json_string(arena_printf(&r->a, "/sessions/calendar?year=%d", year - 1)));
	json_object_set_new(p->ctx, "next_href", json_string(arena_printf(&r->a, "/sessions/calendar?year=%d", year + 1)));
	page_render(p, 200, "sessions_calendar", arena_printf(&r->a, "%s %d", page_tr(p, N_("Sessions calendar")), year));
}

void sessions_calendar(request *r) { page_run(r, PAGE_SIGNED_IN, sessions_calendar_body); }

/* ---- a document ---------------------------------------------------------------------------- */

static void document_body(page *p, model_ctx *m)
{
	(void)m;
	const entity *e = registry_find(&p->r->app->reg, "documents");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	json_t *earlier = json_object_get(rec, "supersedes");
	if (json_is_integer(earlier))
		json_object_set_new(p->ctx, "compare_href",
				    json_string(arena_printf(&p->r->a, "/documents/%" JSON_INTEGER_FORMAT "/compare?with=%" JSON_INTEGER_FORMAT,
							     json_integer_value(earlier),
							     json_integer_value(json_object_get(rec, "id")))));
	records_detail_render(p, e, rec, "document");
	json_decref(rec);
}

void document_page(request *r) { page_run(r, PAGE_SIGNED_IN, document_body); }

/* ---- a language version -------------------------------------------------------------------- */

static int has_file(page *p, json_int_t version)
{
	store_conn *c = store_reader(p->r->app->st);
	store_cond w = COND_EQ("version", SV_INT_(version));
	int64_t n = 0;
	return c && store_count(c, "document_files", &w, 1, &n) == STORE_OK && n > 0;
}

static void version_body(page *p, model_ctx *m)
{
	(void)m;
	const entity *e = registry_find(&p->r->app->reg, "document-versions");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	if (has_file(p, id))
		json_object_set_new(p->ctx, "file_href",
				    json_string(arena_printf(&p->r->a, "/api/v1/document-versions/%" JSON_INTEGER_FORMAT "/file", id)));
	if (access_kind(page_user(p), e, OP_UPDATE))
		json_object_set_new(p->ctx, "file_action",
				    json_string(arena_printf(&p->r->a, "/document-versions/%" JSON_INTEGER_FORMAT "/file", id)));
	records_detail_render(p, e, rec, "version");
	json_decref(rec);
}

void version_page(request *r) { page_run(r, PAGE_SIGNED_IN, version_body); }
