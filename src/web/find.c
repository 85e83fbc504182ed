/*
 * find — the search results page behind the box in every page's header:
 * results with their snippets, facets that narrow the search (kind,
 * language and every facet of the registry, each value labelled as people
 * read it), and the next page.  Filters are words of the query
 * itself (type:persons lang:fr), so a search is one shareable address.
 */
#include <inttypes.h>
#include <string.h>

#include "model/search.h"
#include "web/web.h"

/* q with one more filter word, as a link to its results. */
static char *narrowed(page *p, const char *q, const char *filter, const char *value)
{
	buf b = BUF_INIT;
	buf_puts(&b, "/search?q=");
	page_url_component(&b, arena_printf(&p->r->a, "%s %s:%s", q, filter, value));
	char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* One facet of the answer as a list of links, each value by its label (the
 * model's, in the reader's language: a country's name, an enum's label, a
 * referred record's title) with its count; NULL when it has no value. */
static json_t *facet(page *p, const char *q, const char *name, json_t *counts, json_t *labels)
{
	const char *filter = !strcmp(name, "kind") ? "type" : name;
	const field_def *f = search_facet(&p->r->app->reg, name);
	const char *heading = !strcmp(name, "kind") ? N_("Kind") : !strcmp(name, "lang") ? N_("Language")
			      : f && f->label ? f->label : name;
	json_t *items = json_array(), *n;
	const char *value;
	json_object_foreach(counts, value, n) {
		const char *label = json_string_value(json_object_get(labels, value));
		json_array_append_new(items, json_pack("{s:s, s:O, s:s}", "label", label ? label : value, "count", n,
						       "href", narrowed(p, q, filter, value)));
	}
	if (!json_array_size(items)) {
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:s, s:o}", "heading", page_tr(p, heading), "items", items);
}

/* The link "Did you mean": the likeliest words, with the query's filters. */
static char *meant_href(page *p, const char *q, const char *meant)
{
	buf words = BUF_INIT, b = BUF_INIT;
	buf_puts(&words, meant);
	char *cut = arena_strdup(&p->r->a, q);
	for (char *save = NULL, *w = strtok_r(cut, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (strchr(w, ':'))
			buf_printf(&words, " %s", w);
	buf_puts(&b, "/search?q=");
	page_url_component(&b, buf_str(&words));
	char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&words);
	buf_free(&b);
	return s;
}

/* What the search forgave, as the reader's sentence. */
static void forgiven(page *p, const char *q, json_t *body)
{
	const char *how = json_string_value(json_object_get(body, "fallback"));
	const char *meant = json_string_value(json_object_get(body, "did_you_mean"));
	json_t *said = json_array();
	if (how && strstr(how, "typos"))
		json_array_append_new(said, json_string(page_tr(p, N_("No record has these exact words: showing those with words like them."))));
	if (how && strstr(how, "some_words"))
		json_array_append_new(said, json_string(page_tr(p, N_("Few records have every word: those with the most of them follow."))));
	json_object_set_new(p->ctx, "forgiven", said);
	if (meant)
		json_object_set_new(p->ctx, "did_you_mean", json_pack("{s:s, s:s}", "text", meant, "href", meant_href(p, q, meant)));
}

/* Where a result belongs: the labels of its reference facets' values (a
 * person's organization and country), as the answer's facet labels name
 * them; a value without a label (a rare one) is left out, never shown as
 * a code. */
static json_t *belongs(page *p, json_t *item, json_t *labels)
{
	json_t *out = json_array(), *values, *v;
	const char *name;
	size_t i;
	json_object_foreach(json_object_get(item, "facets"), name, values) {
		const field_def *f = search_facet(&p->r->app->reg, name);
		if (!f || f->type != F_REF)
			continue;
		json_array_foreach(values, i, v) {
			json_t *label = json_object_get(json_object_get(labels, name), json_string_value(v));
			if (json_is_string(label) && strcmp(json_string_value(label), json_string_value(v)) != 0)
				json_array_append_new(out, json_pack("{s:O}", "text", label));
		}
	}
	return out;
}

static json_t *result(page *p, json_t *item, json_t *labels)
{
	const char *kind = json_string_value(json_object_get(item, "kind"));
	const entity *e = registry_find(&p->r->app->reg, kind ? kind : "");
	json_t *id = json_object_get(item, "id");
	json_t *v = json_pack("{s:O, s:s}", "title", json_object_get(item, "title"), "href",
			      arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, kind ? kind : "", json_integer_value(id)));
	if (e && e->def->heading)
		json_object_set_new(v, "kind", json_string(page_tr(p, e->def->heading)));
	json_t *snippet = json_object_get(item, "snippet");
	if (json_is_string(snippet))
		json_object_set(v, "html_snippet", snippet); /* escaped by the model, words in <mark> */
	json_object_set_new(v, "belongs", belongs(p, item, labels));
	const char *date = json_string_value(json_object_get(item, "date"));
	if (date) {
		buf b = BUF_INIT;
		page_date(p, date, &b);
		json_object_set_new(v, "date", json_pack("{s:s, s:s}", "datetime", date, "text", buf_str(&b)));
		buf_free(&b);
	}
	return v;
}

void web_search(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN)) {
		page_end(&p);
		return;
	}
	/* a list's "search in this list" sends its filters in search's own words (within) */
	const char *q = page_query(&p, "q"), *type = page_query(&p, "type"), *within = page_query(&p, "within");
	if (q && type && *type)
		q = arena_printf(&r->a, "%s type:%s", q, type);
	if (q && within && *within)
		q = arena_printf(&r->a, "%s %s", q, within);
	json_object_set_new(p.ctx, "q", json_string(q ? q : ""));
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	if (!q || !*q) {
		page_render(&p, 200, "search", page_tr(&p, N_("Search")));
		goto done;
	}
	if (model_search(&m, q, page_query(&p, "cursor"), 20)) {
		if (m.status == 400)
			json_object_set_new(p.ctx, "error", json_string(page_tr(&p, N_("This search cannot be understood. Check the filters (type:, lang:, country:, date:)."))));
		else {
			page_model_error(&p, &m);
			goto done;
		}
		page_render(&p, 400, "search", page_tr(&p, N_("Search")));
		goto done;
	}
	json_t *body = view_body(&m), *results = json_array(), *item;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, item)
		json_array_append_new(results, result(&p, item, json_object_get(body, "facet_labels")));
	json_object_set_new(p.ctx, "results", results);
	json_object_set_new(p.ctx, "total", json_copy(json_object_get(body, "total")));
	forgiven(&p, q, body);
	json_t *facets = json_array(), *counts;
	const char *name;
	json_object_foreach(json_object_get(body, "facets"), name, counts) {
		json_t *one = facet(&p, q, name, counts, json_object_get(json_object_get(body, "facet_labels"), name));
		if (one)
			json_array_append_new(facets, one);
	}
	json_object_set_new(p.ctx, "facets", facets);
	const char *next = json_string_value(json_object_get(body, "next_cursor"));
	if (next)
		json_object_set_new(p.ctx, "next_href", json_string(page_url_with(&p, "cursor", next)));
	json_decref(body);
	page_render(&p, 200, "search", page_tr(&p, N_("Search")));
done:
	model_done(&m);
	page_end(&p);
}
