/*
 * records — the pages every kind of record gets from its description in
 * the registry: a list with filters, sort and paging; a detail page; a form
 * to create or edit it, showing the model's field errors next to their
 * fields; archiving.  A domain's own pages reuse these pieces.
 *
 *   GET  /KIND              list          GET  /KIND/new       empty form
 *   GET  /KIND/ID           detail        POST /KIND/new       create
 *   GET  /KIND/ID/edit      form          POST /KIND/ID/edit   update (If-Match from the form)
 *   POST /KIND/ID/archive   archive
 */
#include <ctype.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "model/access.h"
#include "model/personal.h"
#include "model/search.h"
#include "model/today.h"
#include "model/workflow.h"
#include "web/web.h"

/* The kind named in the path, when it has pages; else a 404 page. */
static const entity *page_kind(page *p, const char *name)
{
	const entity *e = registry_find(&p->r->app->reg, name);
	if (!e || !e->def->heading) {
		page_error(p, 404, NULL);
		return NULL;
	}
	return e;
}

static const char *field_label(const page *p, const field_def *f)
{
	return page_tr(p, f->label ? f->label : f->name);
}

/* ---- list ------------------------------------------------------------------------- */

typedef struct filters {
	const char *names[16], *values[16];
	int n;
} filters;

/* The list's filters: the enum and reference columns, from the query. */
static json_t *filter_controls(page *p, const entity *e, filters *fl)
{
	json_t *controls = json_array();
	for (const char *const *c = e->def->columns; c && *c; c++) {
		const field_def *f = entity_field(e, *c);
		if (!f || (f->type != F_ENUM && !(f->type == F_REF && f->ref_key)) || fl->n == 16)
			continue;
		const char *v = page_query(p, f->name);
		if (v && *v) {
			fl->names[fl->n] = f->name;
			fl->values[fl->n++] = v;
		}
		json_t *ctl = json_pack("{s:s, s:s, s:s}", "name", f->name, "label", field_label(p, f), "value", v ? v : "");
		if (f->type == F_ENUM) {
			json_t *opts = json_array();
			for (int i = 0; f->values[i]; i++)
				json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", f->values[i], "label",
								      view_enum_label(p, f, f->values[i]),
								      "selected", v && !strcmp(v, f->values[i])));
			json_object_set_new(ctl, "options", opts);
			json_object_set_new(ctl, "is_select", json_true());
		}
		json_array_append_new(controls, ctl);
	}
	return controls;
}

/* The list's scope: a reference or link in the query that is no control of
 * its own ("?organization=12", "?participants=persons/7", as a record's
 * related records link here), named as people read it, with a way out. */
static json_t *scope_filters(page *p, const entity *e, filters *fl)
{
	json_t *scope = json_array();
	for (size_t i = 0; i < e->def->nfields && fl->n < 16; i++) {
		const field_def *f = &e->def->fields[i];
		const char *v = page_query(p, f->name);
		int shown_as_control = 0;
		for (int k = 0; k < fl->n; k++)
			shown_as_control |= !strcmp(fl->names[k], f->name);
		if (!v || !*v || shown_as_control || (f->type != F_REF && f->type != F_LINKS))
			continue;
		fl->names[fl->n] = f->name;
		fl->values[fl->n++] = v;
		const char *slash = f->type == F_LINKS ? strchr(v, '/') : NULL;
		const char *kind = f->type == F_LINKS ? arena_strndup(&p->r->a, v, slash ? (size_t)(slash - v) : 0) : f->ref;
		const char *id = slash ? slash + 1 : v;
		json_t *value = f->ref_key ? json_string(id) : json_integer(strtoll(id, NULL, 10));
		json_t *ref = view_ref(p, kind, value);
		json_decref(value);
		json_object_set_new(ref, "label", json_string(field_label(p, f)));
		json_object_set_new(ref, "name", json_string(f->name));
		json_object_set_new(ref, "value", json_string(v));
		json_object_set_new(ref, "clear_href", json_string(page_url_with(p, f->name, NULL)));
		json_array_append_new(scope, ref);
	}
	return scope;
}

static json_t *column_heads(page *p, const entity *e, const char *sort)
{
	json_t *heads = json_array();
	for (const char *const *c = e->def->columns; c && *c; c++) {
		const field_def *f = entity_field(e, *c);
		if (!f)
			continue;
		json_t *h = json_pack("{s:s}", "label", field_label(p, f));
		if (f->type != F_LIST && f->type != F_EMAILS && f->type != F_LINKS) {
			int asc = sort && !strcmp(sort, f->name), desc = sort && sort[0] == '-' && !strcmp(sort + 1, f->name);
			const char *next = asc ? arena_printf(&p->r->a, "-%s", f->name) : f->name;
			json_object_set_new(h, "href", json_string(page_url_with(p, "sort", next)));
			if (asc || desc)
				json_object_set_new(h, "sorted", json_string(asc ? "ascending" : "descending"));
		}
		json_array_append_new(heads, h);
	}
	return heads;
}

static json_t *list_row(page *p, const entity *e, json_t *rec)
{
	json_t *cells = json_array();
	const char *lang;
	json_t *row = json_pack("{s:s, s:s, s:o}", "href", view_href(p, e, rec), "title", view_title(p, e, rec, &lang),
				"cells", cells);
	if (lang)
		json_object_set_new(row, "lang", json_string(lang));
	int first = 1;
	for (const char *const *c = e->def->columns; c && *c; c++) {
		const field_def *f = entity_field(e, *c);
		if (!f)
			continue;
		if (first && (f->flags & TITLE)) { /* the title is the row's link */
			first = 0;
			continue;
		}
		first = 0;
		json_t *v = view_value(p, f, json_object_get(rec, f->name));
		v = v ? v : view_complete(json_object());
		json_object_set_new(v, "column", json_string(field_label(p, f))); /* the cell's label on a phone */
		const char *state = json_string_value(json_object_get(rec, f->name));
		if (state && e->def->workflow && !strcmp(e->def->workflow->field, f->name))
			json_object_set_new(v, "state", json_string(state)); /* its status colour */
		json_array_append_new(cells, v);
	}
	if (json_is_true(json_object_get(rec, "archived")))
		json_object_set_new(row, "archived", json_true());
	return row;
}

/* The list's filters that search takes too ("country:PH type:igo"), so that
 * "search in this list" searches the list as it is filtered. */
static const char *within(page *p, const entity *e, const filters *fl)
{
	buf b = BUF_INIT;
	buf_printf(&b, "type:%s", e->def->name);
	for (int i = 0; i < fl->n; i++)
		if (search_facet(&p->r->app->reg, fl->names[i]) && !strpbrk(fl->values[i], " \"\t"))
			buf_printf(&b, " %s:%s", fl->names[i], fl->values[i]);
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

void web_list(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = page_kind(&p, r->params[0]))) {
		page_end(&p);
		return;
	}
	filters fl = { 0 };
	json_t *ctx = p.ctx;
	const char *sort = page_query(&p, "sort");
	json_object_set_new(ctx, "filters", filter_controls(&p, e, &fl));
	json_object_set_new(ctx, "scope", scope_filters(&p, e, &fl));
	json_object_set_new(ctx, "heads", column_heads(&p, e, sort));
	json_t *first = json_array_get(json_object_get(ctx, "heads"), 0);
	const char *title_column = json_string_value(json_object_get(first, "label"));
	json_object_set_new(ctx, "title_column", json_string(title_column ? title_column : ""));
	json_object_set_new(ctx, "kind", json_string(e->def->name));
	json_object_set_new(ctx, "heading", json_string(page_tr(&p, e->def->heading)));
	if (e->def->new_label && access_kind(page_user(&p), e, OP_CREATE))
		json_object_set_new(ctx, "new", json_pack("{s:s, s:s}", "href", arena_printf(&r->a, "/%s/new", e->def->name),
							  "label", page_tr(&p, e->def->new_label)));
	json_t *links = json_array();
	for (const page_link *l = e->def->list_links; l && l->href; l++)
		if (access_is_staff(page_user(&p)) && access_kind(page_user(&p), e, OP_UPDATE))
			json_array_append_new(links, json_pack("{s:s, s:s}", "href", l->href, "label", page_tr(&p, l->label)));
	json_object_set_new(ctx, "links", links);
	list_params lp = { fl.names, fl.values, fl.n, sort, page_query(&p, "cursor"), 50,
			   page_query(&p, "archived") != NULL, .view = page_query(&p, "view") };
	const list_view *view = entity_view(e, lp.view);
	if (view)
		json_object_set_new(ctx, "heading", json_string(page_tr(&p, view->heading)));
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	if (model_list(&m, e, &lp)) {
		if (m.status == 400)
			page_error(&p, 400, page_tr(&p, N_("This list cannot be sorted or filtered that way.")));
		else
			page_model_error(&p, &m);
		goto done;
	}
	json_t *body = view_body(&m), *rows = json_array(), *rec;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, rec)
		json_array_append_new(rows, list_row(&p, e, rec));
	json_object_set_new(ctx, "rows", rows);
	int64_t total = 0;
	if (model_count(&m, e, &lp, PAGE_COUNT_MAX + 1, &total) == 0)
		json_object_set_new(ctx, "total", json_string(page_count(&p, total)));
	json_object_set_new(ctx, "within", json_string(within(&p, e, &fl)));
	const char *next = json_string_value(json_object_get(body, "next_cursor"));
	if (next)
		json_object_set_new(ctx, "next_href", json_string(page_url_with(&p, "cursor", next)));
	if (page_query(&p, "cursor"))
		json_object_set_new(ctx, "first_href", json_string(page_url_with(&p, "cursor", NULL)));
	json_decref(body);
	page_render(&p, 200, "list", page_tr(&p, view ? view->heading : e->def->heading));
done:
	model_done(&m);
	page_end(&p);
}

/* ---- detail ------------------------------------------------------------------------ */

json_t *records_load(page *p, const entity *e, const char *id)
{
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *rec = NULL;
	if (model_get(&m, e, id) == 0)
		rec = view_body(&m);
	else
		page_model_error(p, &m);
	model_done(&m);
	return rec;
}

/* The workflow's moves the reader may make from where the record is: one
 * button each, never one that would end on a refusal. */
static void moves_view(page *p, const entity *e, json_t *rec)
{
	request *r = p->r;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(p));
	char *id = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(rec, "id")));
	const char *next[32];
	size_t n = model_moves(&m, e, id, next, COUNT(next));
	json_t *moves = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(moves, json_pack("{s:s, s:s}", "value", next[i], "label", workflow_label(&m, e, next[i])));
	model_done(&m);
	if (n)
		json_object_set_new(p->ctx, "moves_action", json_string(arena_printf(&r->a, "/%s/%s/transitions", e->def->name, id)));
	json_object_set_new(p->ctx, "moves", moves);
}

/* Export and erasure, for those who answer data-protection requests, on the
 * kinds that hold personal data (erasure where the kind is written by hand). */
static void personal_view(page *p, const entity *e, json_t *rec)
{
	if (!personal_may(page_user(p)) || !personal_kind(e))
		return;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	json_object_set_new(p->ctx, "export_href", json_string(arena_printf(&p->r->a, "/api/v1/%s/%" JSON_INTEGER_FORMAT
									     "/export", e->def->name, id)));
	if (api_offers(e, "POST"))
		json_object_set_new(p->ctx, "erase_href", json_string(arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT "/erase",
										    e->def->name, id)));
}

void records_detail_render(page *p, const entity *e, json_t *rec, const char *tpl)
{
	request *r = p->r;
	json_t *ctx = p->ctx;
	const char *lang;
	const char *title = view_title(p, e, rec, &lang);
	char *href = view_href(p, e, rec);
	json_object_set_new(ctx, "title_text", json_string(title));
	if (lang)
		json_object_set_new(ctx, "title_lang", json_string(lang));
	json_object_set_new(ctx, "kind", json_string(e->def->name));
	json_object_set_new(ctx, "heading", json_string(page_tr(p, e->def->heading)));
	json_object_set_new(ctx, "list_href", json_string(arena_printf(&r->a, "/%s", e->def->name)));
	json_object_set_new(ctx, "id", json_object_get(rec, "id") ? json_copy(json_object_get(rec, "id")) : json_null());
	json_object_set_new(ctx, "facts", view_facts(p, e, rec));
	const char *cls = json_string_value(json_object_get(rec, "classification"));
	if (cls)
		json_object_set_new(ctx, "classification", json_string(view_classification(p, cls)));
	if (json_is_true(json_object_get(rec, "archived")))
		json_object_set_new(ctx, "archived", json_true());
	if (access_kind(page_user(p), e, OP_UPDATE) && !json_is_true(json_object_get(rec, "archived"))) {
		json_object_set_new(ctx, "edit_href", json_string(arena_printf(&r->a, "%s/edit", href)));
		json_object_set_new(ctx, "archive_action", json_string(arena_printf(&r->a, "%s/archive", href)));
	}
	json_object_set_new(ctx, "audit_href", json_string(arena_printf(&r->a, "/admin/audit?kind=%s&id=%" JSON_INTEGER_FORMAT,
									 e->def->name, json_integer_value(json_object_get(rec, "id")))));
	grants_view(p, e, rec);
	moves_view(p, e, rec);
	personal_view(p, e, rec);
	timeline_view(p, e, rec);
	related_view(p, e, rec);
	merges_view(p, e, rec);
	mail_view(p, e, rec);
	static const char *const rarer[] = { "archive_action", "merge_href", "export_href", "erase_href" };
	for (size_t i = 0; i < COUNT(rarer); i++) /* behind "More actions", when there is any */
		if (json_object_get(ctx, rarer[i]))
			json_object_set_new(ctx, "more", json_true());
	if (page_query(p, "saved"))
		json_object_set_new(ctx, "notice", json_string(page_tr(p, N_("Saved."))));
	if (page_query(p, "erased"))
		json_object_set_new(ctx, "notice", json_string(page_tr(p, N_("The personal data has been erased."))));
	page_render(p, 200, tpl, title);
}

void web_detail(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = page_kind(&p, r->params[0])) &&
	    (rec = records_load(&p, e, r->params[1])))
		records_detail_render(&p, e, rec, "detail");
	json_decref(rec);
	page_end(&p);
}

/* ---- forms ------------------------------------------------------------------------- */

/* A field's current value as the form writes it, from the record. */
static char *form_text(page *p, const field_def *f, json_t *v, const char *lang)
{
	arena *a = &p->r->a;
	if (f->type == F_LANGTEXT)
		v = json_object_get(v, lang);
	if (json_is_string(v))
		return arena_strdup(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (!json_is_array(v))
		return "";
	buf b = BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		if (i)
			buf_putc(&b, '\n');
		if (json_is_string(x))
			buf_puts(&b, json_string_value(x));
	}
	char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* The value to show: what was sent when the form comes back, else the
 * record's; a new record's, from the address ("?organization=12"), else its
 * default (today, for a date flagged so). */
static const char *shown(page *p, const field_def *f, json_t *rec, const char *name, const char *lang)
{
	if (p->form)
		return page_field(p, name) ? page_field(p, name) : "";
	if (rec)
		return form_text(p, f, json_object_get(rec, f->name), lang);
	if (page_query(p, name))
		return page_query(p, name);
	if (f->initial)
		return f->initial;
	if (!(f->flags & TODAY))
		return "";
	char *today = arena_alloc(&p->r->a, 11);
	today_date(today);
	return today;
}

static const char *input_type(const field_def *f)
{
	switch (f->type) {
	case F_EMAIL: return "email";
	case F_DATE: return "date";
	case F_INT: return "number";
	default: return "text";
	}
}

/* A choice's values in a form: a workflow's state begins in one of its starts. */
static const char *const *choices(const entity *e, const field_def *f)
{
	const workflow *w = e->def->workflow;
	return w && !strcmp(f->name, w->field) ? w->starts : f->values;
}

/* How wide a one-line field is drawn, as a class of the stylesheet's: a
 * date, a number, a choice or a code is not stretched across the form, and
 * short fields stand side by side where they fit.  NULL: the full width. */
static const char *field_width(page *p, const field_def *f)
{
	switch (f->type) {
	case F_DATE:
	case F_TIME: return "w-date";
	case F_INT: return "w-num";
	case F_ENUM: return "w-choice";
	case F_EMAIL: return "w-m";
	case F_URL: return "w-l";
	case F_REF: return f->ref_key && !pick_is_picker(p, f) ? "w-xs" : "w-m";  /* a code, or a name */
	case F_TEXT: break;
	default: return NULL;
	}
	return !f->max || f->max > 300 ? NULL : f->max <= 8 ? "w-xs" : f->max <= 40 ? "w-s" : f->max <= 100 ? "w-m" : NULL;
}

static json_t *form_field(page *p, const entity *e, const field_def *f, json_t *rec, const model_ctx *m)
{
	json_t *v = json_pack("{s:s, s:s, s:b}", "name", f->name, "label", field_label(p, f), "required",
			      (f->flags & REQUIRED) != 0);
	const char *err = field_error_for(p, m, f->name);
	if (err)
		json_object_set_new(v, "error", json_string(err));
	if (f->hint)
		json_object_set_new(v, "hint", json_string(page_tr(p, f->hint)));
	if (field_width(p, f))
		json_object_set_new(v, "size", json_string(field_width(p, f)));
	if (f->max && f->type != F_LIST && f->type != F_EMAILS && f->type != F_LINKS)
		json_object_set_new(v, "maxlength", json_integer((json_int_t)f->max));
	switch (f->type) {
	case F_LANGTEXT: {
		json_t *langs = json_array();
		for (int i = 0; i < NLANGS; i++) {
			char *name = arena_printf(&p->r->a, "%s.%s", f->name, registry_langs[i]);
			json_t *l = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "code", registry_langs[i], "label",
					      i18n_endonym(i), "value", shown(p, f, rec, name, registry_langs[i]));
			if (err)
				json_object_set_new(l, "described", json_string(arena_printf(&p->r->a, "e-%s", f->name)));
			json_array_append_new(langs, l);
		}
		json_object_set_new(v, "langs", langs);
		json_object_set_new(v, "is_langtext", json_true());
		break;
	}
	case F_MONEY: {
		static const char *const parts[] = { "amount", "currency" };
		json_t *inputs = json_object();
		for (size_t i = 0; i < COUNT(parts); i++) {
			const char *name = arena_printf(&p->r->a, "%s.%s", f->name, parts[i]);
			json_t *was = json_object_get(rec ? json_object_get(rec, f->name) : NULL, parts[i]);
			const char *value = p->form ? (page_field(p, name) ? page_field(p, name) : "")
				: json_is_string(was) ? json_string_value(was) : page_query(p, name) ? page_query(p, name) : "";
			json_object_set_new(inputs, parts[i], json_pack("{s:s, s:s}", "name", name, "value", value));
		}
		json_object_set_new(v, "money", inputs);
		json_object_set_new(v, "error_id", json_string(arena_printf(&p->r->a, "e-%s", f->name)));
		json_object_set_new(v, "is_money", json_true());
		break;
	}
	case F_ENUM: {
		const char *cur = shown(p, f, rec, f->name, NULL);
		const char *const *values = choices(e, f);
		json_t *opts = json_array();
		for (int i = 0; values[i]; i++)
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
							      view_enum_label(p, f, values[i]), "selected", !strcmp(cur, values[i])));
		json_object_set_new(v, "options", opts);
		json_object_set_new(v, "is_enum", json_true());
		break;
	}
	case F_BOOL: {
		int on = p->form ? page_field(p, f->name) != NULL : rec && json_is_true(json_object_get(rec, f->name));
		json_object_set_new(v, "checked", json_boolean(on));
		json_object_set_new(v, "is_bool", json_true());
		break;
	}
	case F_LIST:
	case F_EMAILS:
		json_object_set_new(v, "value", json_string(shown(p, f, rec, f->name, NULL)));
		json_object_set_new(v, "is_textarea", json_true());
		json_object_set_new(v, "hint", json_string(page_tr(p, N_("One per line."))));
		break;
	case F_TEXT:
		json_object_set_new(v, "value", json_string(shown(p, f, rec, f->name, NULL)));
		json_object_set_new(v, f->max > 300 ? "is_textarea" : "is_input", json_true());
		json_object_set_new(v, "type", json_string("text"));
		break;
	case F_TIME: { /* the reader's wall time, the zone said beside it */
		const char *cur = shown(p, f, rec, f->name, NULL);
		char local[32];
		if (!p->form && !zone_local(p, cur, local))
			cur = arena_strndup(&p->r->a, local, 16); /* "2026-12-10T10:00" */
		buf city = BUF_INIT;
		zone_city(p, &city);
		json_object_set_new(v, "value", json_string(cur));
		json_object_set_new(v, "is_input", json_true());
		json_object_set_new(v, "type", json_string("datetime-local"));
		json_object_set_new(v, "hint", json_string(arena_printf(&p->r->a, page_tr(p, N_("Time in %s (%s).")),
									buf_str(&city), zone_of(p))));
		buf_free(&city);
		break;
	}
	case F_LINKS:
	case F_REF:
		if (pick_is_picker(p, f)) {
			pick_view(p, f, rec, v);
			break;
		}
		json_object_set_new(v, "value", json_string(shown(p, f, rec, f->name, NULL)));
		json_object_set_new(v, "is_input", json_true());
		json_object_set_new(v, "type", json_string("text"));
		json_object_set_new(v, "hint", json_string(page_tr(p, f->ref_key ? N_("The code, like FR.")
									    : N_("The record's number, shown on its page."))));
		break;
	default:
		json_object_set_new(v, "value", json_string(shown(p, f, rec, f->name, NULL)));
		json_object_set_new(v, "is_input", json_true());
		json_object_set_new(v, "type", json_string(input_type(f)));
		if (f->type == F_URL) /* a web address without https:// is welcome: not the browser's type=url */
			json_object_set_new(v, "inputmode", json_string("url"));
		break;
	}
	return v;
}

static json_t *classification_field(page *p, json_t *rec)
{
	const char *cur = p->form ? page_field(p, "classification") : json_string_value(json_object_get(rec, "classification"));
	json_t *opts = json_array();
	for (int i = 0; classifications[i]; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", classifications[i], "label",
						      view_classification(p, classifications[i]), "selected",
						      cur ? !strcmp(cur, classifications[i]) : i == 1));
	return json_pack("{s:s, s:s, s:o, s:b, s:s}", "name", "classification", "label", page_tr(p, N_("Classification")),
			 "options", opts, "is_enum", 1, "size", "w-choice");
}

/* The division a record belongs to: the creator's by default. */
static json_t *division_field(page *p, json_t *rec, const model_ctx *m)
{
	const char *cur = p->form ? page_field(p, "division")
				  : rec ? json_string_value(json_object_get(rec, "division")) : page_user(p)->division;
	json_t *opts = json_array();
	for (int i = 0; divisions[i]; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", divisions[i], "label",
						      view_enum_label(p, &registry_division, divisions[i]), "selected",
						      cur && !strcmp(cur, divisions[i])));
	json_t *v = json_pack("{s:s, s:s, s:o, s:b, s:s}", "name", "division", "label", page_tr(p, N_("Division")), "options",
			      opts, "is_enum", 1, "size", "w-choice");
	const char *err = field_error_for(p, m, "division");
	if (err)
		json_object_set_new(v, "error", json_string(err));
	return v;
}

/* Whether a form has field f for the reader u: never what Liaison sets,
 * nor what the field's own writers alone set, nor the organization of one
 * who writes their own organization's records only; a workflow's state only
 * when creating (later it moves by the record page's buttons). */
static int in_form(const user *u, const entity *e, const field_def *f, int creating)
{
	const workflow *w = e->def->workflow;
	if ((f->flags & READONLY) || !access_field(u, f))
		return 0;
	if (access_own_org(u, e) && e->def->org_field && !strcmp(f->name, e->def->org_field))
		return 0;
	return creating || !w || strcmp(f->name, w->field) != 0;
}

/* Whether the form asks the record's division and classification: not of
 * one whose records are their own organization's, whom staff classify. */
static int classified_in_form(const user *u, const entity *e) { return !access_own_org(u, e); }

static void form_render(page *p, const entity *e, json_t *rec, const model_ctx *m, const char *action, int status)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < e->def->nfields; i++)
		if (in_form(page_user(p), e, &e->def->fields[i], rec == NULL))
			json_array_append_new(fields, form_field(p, e, &e->def->fields[i], rec, m));
	if (classified_in_form(page_user(p), e)) {
		json_array_append_new(fields, division_field(p, rec, m));
		json_array_append_new(fields, classification_field(p, rec));
	}
	json_t *ctx = p->ctx;
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "kind", json_string(e->def->name));
	json_object_set_new(ctx, "heading", json_string(page_tr(p, e->def->heading)));
	json_object_set_new(ctx, "list_href", json_string(arena_printf(&p->r->a, "/%s", e->def->name)));
	field_errors_show(p, m, fields, e);
	const char *title;
	if (rec) {
		const char *lang;
		title = view_title(p, e, rec, &lang);
		json_object_set_new(ctx, "version", json_copy(json_object_get(rec, "version")));
		json_object_set_new(ctx, "cancel_href", json_string(view_href(p, e, rec)));
	} else {
		title = page_tr(p, e->def->new_label ? e->def->new_label : e->def->heading);
		json_object_set_new(ctx, "cancel_href", json_string(arena_printf(&p->r->a, "/%s", e->def->name)));
	}
	json_object_set_new(ctx, "form_title", json_string(title));
	page_render(p, status, "form", title);
}

/* A part of a kind's form shown elsewhere (a panel on the record's page):
 * the fields named, "division" and "classification" among them, as the
 * field template shows them, with m's errors beside them. */
json_t *records_form_fields(page *p, const entity *e, json_t *rec, const model_ctx *m, const char *const *names)
{
	json_t *fields = json_array();
	for (; *names; names++) {
		const field_def *f = entity_field(e, *names);
		if (!strcmp(*names, "division") && classified_in_form(page_user(p), e))
			json_array_append_new(fields, division_field(p, rec, m));
		else if (!strcmp(*names, "classification") && classified_in_form(page_user(p), e))
			json_array_append_new(fields, classification_field(p, rec));
		else if (f && in_form(page_user(p), e, f, 0))
			json_array_append_new(fields, form_field(p, e, f, rec, m));
	}
	/* the page around has values of these names too (a page's own error): a field's own, even none, wins */
	static const char *const own[] = { "error", "hint", "maxlength", "value" };
	size_t i;
	json_t *v;
	json_array_foreach(fields, i, v)
		for (size_t k = 0; k < COUNT(own); k++)
			if (!json_object_get(v, own[k]))
				json_object_set_new(v, own[k], json_null());
	return fields;
}

/* ---- the form's fields as the API's JSON body ---------------------------------------- */

static json_t *lines_json(page *p, const field_def *f, const char *s)
{
	json_t *arr = json_array();
	char *copy = arena_strdup(&p->r->a, s), *save = NULL;
	const char *seps = f->type == F_EMAILS ? "\n,;" : "\n";
	for (char *line = strtok_r(copy, seps, &save); line; line = strtok_r(NULL, seps, &save)) {
		char *t = page_trim(p, line);
		if (*t)
			json_array_append_new(arr, json_string(t));
	}
	return arr;
}

/* An amount as typed in the reader's language ("1 250 000,50") and its
 * currency ("usd" is USD); both empty: none. */
static json_t *money_json(page *p, const field_def *f, int creating)
{
	const char *amount = page_field(p, arena_printf(&p->r->a, "%s.amount", f->name));
	const char *currency = page_field(p, arena_printf(&p->r->a, "%s.currency", f->name));
	char *a = amount ? page_trim(p, amount) : "", *c = currency ? page_trim(p, currency) : "";
	if (!*a && !*c)
		return creating ? NULL : json_null();
	buf plain = BUF_INIT;
	i18n_number_typed(p->lang, a, &plain);
	for (char *x = c; *x; x++)
		*x = (char)toupper((unsigned char)*x);
	json_t *v = json_pack("{s:s, s:s}", "amount", buf_str(&plain), "currency", c);
	buf_free(&plain);
	return v;
}

static json_t *field_json(page *p, model_ctx *m, const field_def *f, int creating)
{
	if (pick_is_picker(p, f))
		return pick_value(p, m, f, creating);
	if (f->type == F_BOOL)
		return json_boolean(page_field(p, f->name) != NULL);
	if (f->type == F_MONEY)
		return money_json(p, f, creating);
	if (f->type == F_LANGTEXT) {
		json_t *o = json_object();
		for (int i = 0; i < NLANGS; i++) {
			const char *s = page_field(p, arena_printf(&p->r->a, "%s.%s", f->name, registry_langs[i]));
			char *t = s ? page_trim(p, s) : "";
			if (*t || !creating)
				json_object_set_new(o, registry_langs[i], *t ? json_string(t) : json_null());
		}
		return o;
	}
	const char *s = page_field(p, f->name);
	char *t = s ? page_trim(p, s) : "";
	if (f->type == F_LIST || f->type == F_EMAILS)
		return lines_json(p, f, t);
	if (!*t)
		return creating ? NULL : json_null();
	if (f->type == F_INT || (f->type == F_REF && !f->ref_key)) {
		char *end;
		long long v = strtoll(t, &end, 10);
		if (!*end)
			return json_integer(v);
	}
	char utc[32];
	if (f->type == F_TIME && !zone_utc(p, t, utc)) /* typed in the reader's zone; anything else is checked as it is */
		return json_string(utc);
	return json_string(t);
}

static int named(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (!strcmp(*names, name))
			return 1;
	return !names;
}

/* The form as the API's body, of the fields named only (NULL: all of the
 * form's); a name typed that fits no record, or several, is a field error in m. */
static json_t *form_body(page *p, model_ctx *m, const entity *e, int creating, const char *const *names)
{
	json_t *body = json_object();
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (!in_form(page_user(p), e, f, creating) || !named(names, f->name))
			continue;
		json_t *v = field_json(p, m, f, creating);
		if (v)
			json_object_set_new(body, f->name, v);
	}
	if (!classified_in_form(page_user(p), e))
		return body;
	const char *cls = page_field(p, "classification"), *div = page_field(p, "division");
	if (cls && *cls && named(names, "classification"))
		json_object_set_new(body, "classification", json_string(cls));
	if (div && named(names, "division"))
		json_object_set_new(body, "division", *div ? json_string(div) : json_null());
	return body;
}

json_t *records_form_patch(page *p, model_ctx *m, const entity *e, const char *const *names)
{
	return form_body(p, m, e, 0, names);
}

/* ---- new, create, edit, update, archive ----------------------------------------------- */

/* When a name typed fits no record, the rest of the form is still checked,
 * writing nothing, so that every field that needs attention is marked at
 * once, not one more after each try. */
static void check_the_rest(page *p, model_ctx *m, const entity *e, json_t *body, const char *id)
{
	store_conn *c = store_reader(p->r->app->st);
	record before, after;
	if (!c)
		return;
	if (id)
		model_build_update(m, c, e, id, 0, body, &before, &after);
	else
		model_build_create(m, c, e, body, CREATE_FORCE, &after);
}

const entity *records_writable(page *p, const char *name, access_op op)
{
	const entity *e = page_kind(p, name);
	if (!e || access_kind(page_user(p), e, op))
		return e;
	page_error(p, 403, NULL);
	return NULL;
}

void web_new(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = records_writable(&p, r->params[0], OP_CREATE)))
		form_render(&p, e, NULL, NULL, arena_printf(&r->a, "/%s/new", e->def->name), 200);
	page_end(&p);
}

/* The likely duplicates of a 409, as links. */
static void duplicates(page *p, const entity *e, model_ctx *m)
{
	/* the problem's extra members, as the API adds them after its own */
	char *members = arena_printf(&p->r->a, "{%s}", buf_str(&m->body));
	json_t *extra = json_loads(members, 0, NULL), *list = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(extra, "candidates"), i, c) {
		json_t *ref = view_ref(p, e->def->name, json_object_get(c, "id"));
		const char *why = json_string_value(json_object_get(c, "reason"));
		if (why) /* why it looks the same, in the reader's language (the model wrote it so) */
			json_object_set_new(ref, "why", json_string(why));
		json_array_append_new(list, ref);
	}
	json_decref(extra);
	json_object_set_new(p->ctx, "duplicates", list);
	json_object_set_new(p->ctx, "has_duplicates", json_boolean(json_array_size(list) > 0));
}

void web_create(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_CREATE))) {
		page_end(&p);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	m.lang = p.lang;   /* the likely duplicates' reasons */
	json_t *body = form_body(&p, &m, e, 1, NULL);
	const char *force = page_field(&p, "force");
	char *action = arena_printf(&r->a, "/%s/new", e->def->name);
	if (m.nerrors) {
		check_the_rest(&p, &m, e, body, NULL);
		form_render(&p, e, NULL, &m, action, 422);
	} else if (model_create(&m, e, body, force && *force ? CREATE_FORCE : 0) == 0) {
		page_redirect(&p, arena_printf(&r->a, "/%s/%" PRId64 "?saved=1", e->def->name, m.id));
	} else if (m.status == 422) {
		form_render(&p, e, NULL, &m, action, 422);
	} else if (m.status == 409) {
		duplicates(&p, e, &m);
		form_render(&p, e, NULL, &m, action, 409);
	} else {
		page_model_error(&p, &m);
	}
	json_decref(body);
	model_done(&m);
	page_end(&p);
}

void web_edit(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = records_writable(&p, r->params[0], OP_UPDATE)) &&
	    (rec = records_load(&p, e, r->params[1])))
		form_render(&p, e, rec, NULL, arena_printf(&r->a, "%s/edit", view_href(&p, e, rec)), 200);
	json_decref(rec);
	page_end(&p);
}

void web_update(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_UPDATE)) ||
	    !(rec = records_load(&p, e, r->params[1]))) {
		page_end(&p);
		return;
	}
	const char *version = page_field(&p, "version");
	int64_t if_match = version ? model_parse_id(version) : 0;
	char *href = view_href(&p, e, rec);
	char *action = arena_printf(&r->a, "%s/edit", href);
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	json_t *patch = form_body(&p, &m, e, 0, NULL);
	if (if_match <= 0) {
		page_error(&p, 400, NULL);
	} else if (!m.nerrors && model_update(&m, e, r->params[1], if_match, patch) == 0) {
		page_redirect(&p, arena_printf(&r->a, "%s?saved=1", href));
	} else if (m.nerrors) {
		if (m.status != 422)
			check_the_rest(&p, &m, e, patch, r->params[1]);
		json_object_set_new(rec, "version", json_integer(if_match));
		form_render(&p, e, rec, &m, action, 422);
	} else if (m.status == 412) {
		/* What they typed stays; saving again replaces the newer version, knowingly. */
		json_object_set_new(p.ctx, "conflict", json_string(href));
		form_render(&p, e, rec, NULL, action, 409);
	} else {
		page_model_error(&p, &m);
	}
	json_decref(patch);
	json_decref(rec);
	model_done(&m);
	page_end(&p);
}

/* The fields a model's errors name, as the reader reads them: "Confirmed start, Report". */
static const char *missing_labels(page *p, const entity *e, const model_ctx *m)
{
	buf out = BUF_INIT;
	for (size_t i = 0; i < m->nerrors; i++) {
		const field_def *f = entity_field(e, m->errors[i].field);
		buf_printf(&out, "%s%s", i ? ", " : "", f && f->label ? page_tr(p, f->label) : m->errors[i].field);
	}
	const char *s = arena_strdup(&p->r->a, buf_str(&out));
	buf_free(&out);
	return s;
}

/* The personal fields' labels of kind e, as the reader reads them. */
static json_t *personal_labels(page *p, const entity *e)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < e->def->nfields; i++)
		if (e->def->fields[i].flags & PERSONAL)
			json_array_append_new(fields, json_string(page_tr(p, e->def->fields[i].label)));
	return fields;
}

/* The confirmation step: what will be erased, the record's own records' too, and a button. */
void web_erase_form(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = page_kind(&p, r->params[0]))) {
		page_end(&p);
		return;
	}
	if (!personal_may(page_user(&p)) || !personal_kind(e) || !api_offers(e, "POST")) {
		page_error(&p, personal_may(page_user(&p)) ? 404 : 403, NULL);
	} else if ((rec = records_load(&p, e, r->params[1]))) {
		json_t *children = json_array();
		for (size_t k = 0; k < r->app->reg.n; k++) {
			const entity *c = &r->app->reg.v[k];
			if (c->parent == e && personal_kind(c))
				json_array_append_new(children, json_pack("{s:s, s:o}", "heading", page_tr(&p, c->def->heading),
									  "fields", personal_labels(&p, c)));
		}
		json_object_set_new(p.ctx, "personal_fields", personal_labels(&p, e));
		json_object_set_new(p.ctx, "children", children);
		json_object_set_new(p.ctx, "action", json_string(arena_printf(&r->a, "/%s/%s/erase", e->def->name, r->params[1])));
		json_object_set_new(p.ctx, "cancel_href", json_string(view_href(&p, e, rec)));
		records_detail_render(&p, e, rec, "erase");
	}
	json_decref(rec);
	page_end(&p);
}

void web_erase(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = page_kind(&p, r->params[0]))) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		if (model_erase(&m, e, r->params[1]) == 0)
			page_redirect(&p, arena_printf(&r->a, "/%s/%" PRId64 "?erased=1", e->def->name, m.id));
		else
			page_model_error(&p, &m);
		model_done(&m);
	}
	page_end(&p);
}

/* A move's button: to the record again, or the reason it cannot be made,
 * in the reader's language (the model writes a refused move's reason so). */
void web_transition(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_UPDATE))) {
		page_end(&p);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	if (model_transition(&m, e, r->params[1], 0, page_field(&p, "to"), NULL) == 0)
		page_redirect(&p, arena_printf(&r->a, "/%s/%s?saved=1", e->def->name, r->params[1]));
	else if (m.status == 409)
		page_error(&p, 409, m.detail);
	else if (m.status == 422 && m.nerrors)
		page_error(&p, 422, arena_printf(&r->a, "%s %s", page_tr(&p, N_("This move needs a value first, in:")),
						 missing_labels(&p, e, &m)));
	else
		page_model_error(&p, &m);
	model_done(&m);
	page_end(&p);
}

void web_archive(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_ARCHIVE))) {
		page_end(&p);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	if (model_archive(&m, e, r->params[1]) == 0)
		page_redirect(&p, arena_printf(&r->a, "/%s/%s", e->def->name, r->params[1]));
	else
		page_model_error(&p, &m);
	model_done(&m);
	page_end(&p);
}
