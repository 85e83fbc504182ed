/*
 * related — on a record's page, the records that point to it: an
 * organization's persons, a country's organizations, a person's
 * interactions and relationships, an inquiry merged into this one.  The
 * registry says which fields of which kinds refer to a kind (registry.h's
 * field_refers), so a new kind shows up here without a line of code.
 *
 * A record's timeline is the same idea for events: the records of every
 * dated kind that point to it (model/timeline.c), newest first, each with
 * its date, title, what kind of event it is and its first lines, and a
 * button to record a new one with the reference filled in.
 *
 * Each referring field is a row: how many records the reader may see, the
 * first few, a link to all of them (the kind's list, filtered on that
 * field, with its own paging), and an "Add" link that opens the kind's form
 * with the reference filled in.  A row with nothing in it and nothing to
 * add is left out.
 */
#include <inttypes.h>
#include <string.h>

#include "model/timeline.h"
#include "web/web.h"

#define SHOWN 5           /* records named in a row; the list has the rest */
#define SHOWN_EVENTS 20   /* events on a record's page; the API pages through them all */

/* The value that names rec in field f of another kind: its id, its key
 * (a country's "PH"), or KIND/ID for a link. */
static const char *naming(page *p, const entity *e, const field_def *f, json_t *rec)
{
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	if (f->type == F_LINKS)
		return arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, e->def->name, id);
	if (f->ref_key)
		return json_string_value(json_object_get(rec, f->ref_key));
	return arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT, id);
}

/* "/KIND?FIELD=VALUE" or "/KIND/new?FIELD=VALUE", the value encoded. */
static const char *with_field(page *p, const char *path, const field_def *f, const char *value)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s?%s=", path, f->name);
	page_url_component(&b, value);
	const char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* The first records of kind k whose field f names the record, as links. */
static json_t *first_ones(page *p, model_ctx *m, const entity *k, const list_params *lp)
{
	json_t *items = json_array();
	buf_reset(&m->body);
	if (model_list(m, k, lp))
		return items;
	json_t *body = view_body(m), *rec;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, rec) {
		const char *lang;
		const char *title = view_title(p, k, rec, &lang);
		json_t *item = json_pack("{s:s, s:s}", "text", title, "href", view_href(p, k, rec));
		if (lang)
			json_object_set_new(item, "lang", json_string(lang));
		json_array_append_new(items, item);
	}
	json_decref(body);
	return items;
}

static json_t *related_row(page *p, const entity *e, json_t *rec, const entity *k, const field_def *f)
{
	const char *value = naming(p, e, f, rec);
	if (!value)
		return NULL;
	const user *u = page_user(p);
	int may_add = k->def->new_label && !(f->flags & READONLY) && api_offers(k, "POST") && access_kind(u, k, OP_CREATE);
	const char *names[] = { f->name }, *values[] = { value };
	list_params lp = { names, values, 1, NULL, NULL, SHOWN, 0 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, u);
	int64_t n = 0;
	json_t *row = NULL;
	if (model_count(&m, k, &lp, PAGE_COUNT_MAX + 1, &n) == 0 && (n > 0 || may_add)) {
		row = json_pack("{s:s, s:s, s:s, s:o}", "heading", page_tr(p, k->def->heading), "field", page_tr(p, f->label),
				"count", page_count(p, n), "items", n ? first_ones(p, &m, k, &lp) : json_array());
		if (n > SHOWN)
			json_object_set_new(row, "all_href", json_string(with_field(p, arena_printf(&p->r->a, "/%s", k->def->name),
										    f, value)));
		if (may_add)
			json_object_set_new(row, "add", json_pack("{s:s, s:s, s:s}", "href",
								  with_field(p, arena_printf(&p->r->a, "/%s/new", k->def->name), f, value),
								  "label", page_tr(p, k->def->new_label), "context",
								  arena_printf(&p->r->a, "%s — %s", page_tr(p, k->def->new_label),
									       page_tr(p, f->label))));
	}
	model_done(&m);
	return row;
}

void related_view(page *p, const entity *e, json_t *rec)
{
	const registry *reg = &p->r->app->reg;
	json_t *rows = json_array();
	for (size_t i = 0; i < reg->n; i++) {
		const entity *k = &reg->v[i];
		if (!access_kind(page_user(p), k, OP_READ))
			continue;
		for (size_t j = 0; j < k->def->nfields; j++) {
			const field_def *f = &k->def->fields[j];
			json_t *row = field_refers(f, e) && !(f->flags & UNSHOWN) ? related_row(p, e, rec, k, f) : NULL;
			if (row)
				json_array_append_new(rows, row);
		}
	}
	json_object_set_new(p->ctx, "has_related", json_boolean(json_array_size(rows) > 0));
	json_object_set_new(p->ctx, "related", rows);
}

/* ---- the timeline ------------------------------------------------------------------ */

/* What kind of event a record is, as people read it: its first choice
 * field other than its workflow's (an interaction's "Call"), else its kind. */
static const char *event_badge(page *p, const entity *k, json_t *x)
{
	const workflow *w = k->def->workflow;
	for (size_t i = 0; i < k->def->nfields; i++) {
		const field_def *f = &k->def->fields[i];
		if (f->type == F_ENUM && !(w && !strcmp(w->field, f->name)))
			return view_enum_label(p, f, json_string_value(json_object_get(x, f->name)));
	}
	return page_tr(p, k->def->heading);
}

/* Its first lines: the first searched text that is not its title. */
static json_t *event_summary(const entity *k, json_t *x)
{
	for (size_t i = 0; i < k->def->nfields; i++) {
		const field_def *f = &k->def->fields[i];
		if (f->type == F_TEXT && (f->flags & SEARCHED) && !(f->flags & TITLE))
			return json_object_get(x, f->name);
	}
	return NULL;
}

static json_t *event_row(page *p, const entity *k, json_t *item)
{
	json_t *x = json_object_get(item, "record");
	const char *iso = json_string_value(json_object_get(item, "date")), *lang;
	buf when = BUF_INIT;
	page_date(p, iso, &when);
	json_t *row = json_pack("{s:s, s:s?, s:s, s:s, s:s}", "date", buf_str(&when), "datetime", iso, "title",
				view_title(p, k, x, &lang), "href", view_href(p, k, x), "badge", event_badge(p, k, x));
	buf_free(&when);
	if (lang)
		json_object_set_new(row, "lang", json_string(lang));
	json_t *summary = event_summary(k, x);
	if (json_is_string(summary))
		json_object_set(row, "summary", summary);
	return row;
}

/* "Record an interaction", for each dated kind the reader may add to the
 * timeline, with its first field that refers to the record filled in. */
static json_t *event_adds(page *p, const entity *e, json_t *rec)
{
	const registry *reg = &p->r->app->reg;
	json_t *adds = json_array();
	for (size_t i = 0; i < reg->n; i++) {
		const entity *k = &reg->v[i];
		if (!k->def->dated || !k->def->new_label || !api_offers(k, "POST") || !access_kind(page_user(p), k, OP_CREATE))
			continue;
		for (size_t j = 0; j < k->def->nfields; j++) {
			const field_def *f = &k->def->fields[j];
			const char *value = field_refers(f, e) && !(f->flags & READONLY) ? naming(p, e, f, rec) : NULL;
			if (!value)
				continue;
			json_array_append_new(adds, json_pack("{s:s, s:s}", "label", page_tr(p, k->def->new_label), "href",
							      with_field(p, arena_printf(&p->r->a, "/%s/new", k->def->name), f, value)));
			break;
		}
	}
	return adds;
}

void timeline_view(page *p, const entity *e, json_t *rec)
{
	const registry *reg = &p->r->app->reg;
	if (!timeline_of_kind(reg, e))
		return;
	model_ctx m;
	model_init(&m, p->r->app->st, reg, page_user(p));
	const char *id = arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(rec, "id")));
	if (model_timeline(&m, e, id, NULL, SHOWN_EVENTS) == 0) {
		json_t *body = view_body(&m), *item, *events = json_array();
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, item) {
			const entity *k = registry_find(reg, json_string_value(json_object_get(item, "kind")));
			if (k)
				json_array_append_new(events, event_row(p, k, item));
		}
		json_object_set_new(p->ctx, "timeline", json_pack("{s:o, s:o}", "events", events, "adds", event_adds(p, e, rec)));
		json_decref(body);
	}
	model_done(&m);
}
