/*
 * dupqueue — the review queue of likely duplicates (dupscan.h) for people:
 * GET /api/v1/duplicates and POST /api/v1/duplicates/dismissals, and the
 * page /duplicates, where each pair is merged (into the older record, with
 * the merge's own form) or dismissed.
 */
#include <stdlib.h>
#include <string.h>

#include "domains/partners/dupscan.h"
#include "domains/partners/partners.h"
#include "web/web.h"

#define QUEUE_SHOWN 50

void duplicates_list(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);   /* the reasons */
	int64_t limit = http_limit(r, QUEUE_SHOWN);
	if (limit > 0) {
		duplicates_queue(&m, http_query(r, "kind"), limit);
		http_model(r, &m);
	}
	model_done(&m);
}

/* The body's members: each known one of the right type, none other; 0, or -1 with m's problem. */
static int dismissal_body(model_ctx *m, json_t *body)
{
	if (!json_is_object(body))
		return model_fail(m, 422, "Invalid dismissal", "send {\"kind\": ..., \"first\": ID, \"second\": ID}");
	const char *name;
	json_t *v;
	json_object_foreach(body, name, v) {
		if (strcmp(name, "kind") == 0 && !json_is_string(v))
			model_field_error(m, name, N_("must be organizations or persons"));
		else if ((strcmp(name, "first") == 0 || strcmp(name, "second") == 0) &&
			 (!json_is_integer(v) || json_integer_value(v) < 1))
			model_field_error(m, name, N_("must be a record's id, a whole number from 1"));
		else if (strcmp(name, "kind") != 0 && strcmp(name, "first") != 0 && strcmp(name, "second") != 0)
			model_field_error(m, name, N_("is not a member of a dismissal: kind, first and second are"));
	}
	return m->nerrors ? model_fail(m, 422, "Some fields are not valid", "%zu field(s) need attention", m->nerrors) : 0;
}

void duplicates_dismissal(request *r)
{
	if (http_json_body(r))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	if (dismissal_body(&m, r->json) == 0)
		duplicates_dismiss(&m, json_string_value(json_object_get(r->json, "kind")),
				   json_integer_value(json_object_get(r->json, "first")),
				   json_integer_value(json_object_get(r->json, "second")));
	http_model(r, &m);
	model_done(&m);
}

/* ---- the page ------------------------------------------------------------------------------ */

static json_t *side(page *p, const char *kind, json_t *rec)
{
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	return json_pack("{s:I, s:O, s:s}", "id", id, "title", json_object_get(rec, "title"), "href",
			 arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, kind, id));
}

static json_t *pair_view(page *p, json_t *item)
{
	const char *kind = json_string_value(json_object_get(item, "kind"));
	const entity *e = registry_find(&p->r->app->reg, kind);
	json_t *first = json_object_get(item, "first"), *second = json_object_get(item, "second");
	char percent[16];
	snprintf(percent, sizeof percent, p->lang == LANG_EN ? "%.0f%%" : "%.0f\u00a0%%",
		 json_real_value(json_object_get(item, "score")) * 100);
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:O, s:s, s:I, s:I}", "kind", kind, "kind_label",
			 page_tr(p, e->def->heading), "score", arena_strdup(&p->r->a, percent), "first", side(p, kind, first),
			 "second", side(p, kind, second), "reason", json_object_get(item, "reason"), "merge_action",
			 arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT "/merge", kind,
				      json_integer_value(json_object_get(first, "id"))),
			 "first_id", json_integer_value(json_object_get(first, "id")), "second_id",
			 json_integer_value(json_object_get(second, "id")));
}

static void queue_body(page *p, model_ctx *m)
{
	const char *kind = page_query(p, "kind");
	if (kind && !*kind)
		kind = NULL;
	if (duplicates_queue(m, kind, QUEUE_SHOWN)) {
		page_model_error(p, m);
		return;
	}
	json_t *answer = json_loads(buf_str(&m->body), 0, NULL), *rows = json_array(), *item;
	size_t i;
	json_array_foreach(json_object_get(answer, "items"), i, item)
		json_array_append_new(rows, pair_view(p, item));
	json_decref(answer);
	json_t *kinds = json_array();
	for (size_t k = 0; k < p->r->app->reg.n; k++) {
		const entity *e = &p->r->app->reg.v[k];
		if (duplicates_kind(e))
			json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", e->def->name, "label",
							       page_tr(p, e->def->heading), "selected",
							       kind && !strcmp(kind, e->def->name)));
	}
	json_object_set_new(p->ctx, "kinds", kinds);
	json_object_set_new(p->ctx, "has_items", json_boolean(json_array_size(rows) > 0));
	json_object_set_new(p->ctx, "items", rows);
	if (page_query(p, "dismissed"))
		json_object_set_new(p->ctx, "notice", json_string(page_tr(p, N_("The two records stay apart; the pair will not be shown again."))));
	page_render(p, 200, "duplicates", page_tr(p, N_("Likely duplicates")));
}

void duplicates_page(request *r) { page_run(r, PAGE_SIGNED_IN, queue_body); }

static void dismiss_body(page *p, model_ctx *m)
{
	const char *first = page_field(p, "first"), *second = page_field(p, "second");
	if (duplicates_dismiss(m, page_field(p, "kind"), first ? model_parse_id(first) : 0,
			       second ? model_parse_id(second) : 0)) {
		page_model_error(p, m);
		return;
	}
	page_redirect(p, "/duplicates?dismissed=1");
}

void duplicates_dismiss_page(request *r) { page_run(r, PAGE_SIGNED_IN, dismiss_body); }
