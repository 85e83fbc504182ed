/*
 * pages — the partner registry's own pages, beyond the generic ones: an
 * organization with its relationships (read from its end) and its timeline
 * of interactions; a person with relationships and vCard.
 */
#include <string.h>

#include "domains/partners/partners.h"
#include "model/access.h"
#include "web/web.h"

/* Relationships as rows: "member of" → the other party, with dates. */
static json_t *relationship_rows(page *p, const char *end_kind, const char *id)
{
	json_t *rows = json_array();
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *list = partners_relationships(&m, end_kind, id, NULL, 100), *rel;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, rel) {
		const char *lang;
		const char *label = view_langtext(p, json_object_get(rel, "label"), &lang);
		json_t *other = json_object_get(rel, "other");
		json_t *row = json_pack("{s:s, s:s, s:o}", "label", label ? label : "", "label_lang", lang ? lang : "en", "other",
					view_ref(p, json_string_value(json_object_get(other, "kind")), json_object_get(other, "id")));
		json_object_set_new(row, "href", json_string(arena_printf(&p->r->a, "/relationships/%" JSON_INTEGER_FORMAT,
									    json_integer_value(json_object_get(rel, "id")))));
		const char *start = json_string_value(json_object_get(rel, "start_date"));
		const char *end = json_string_value(json_object_get(rel, "end_date"));
		buf b = BUF_INIT;
		if (start)
			page_date(p, start, &b);
		if (end) {
			buf_puts(&b, " – ");
			page_date(p, end, &b);
		}
		json_object_set_new(row, "dates", json_string(buf_str(&b)));
		buf_free(&b);
		json_array_append_new(rows, row);
	}
	json_decref(list);
	model_done(&m);
	return rows;
}

void organizations_page(request *r)
{
	page p;
	json_t *rec = NULL;
	const entity *e = registry_find(&r->app->reg, "organizations");
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (rec = records_load(&p, e, r->params[0]))) {
		char *id = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(rec, "id")));
		json_object_set_new(p.ctx, "relationships", relationship_rows(&p, "organizations", id));
		if (access_kind(page_user(&p), e, OP_UPDATE))
			json_object_set_new(p.ctx, "merge_href", json_string(arena_printf(&r->a, "/organizations/%s/merge", id)));
		records_detail_render(&p, e, rec, "organization");
	}
	json_decref(rec);
	page_end(&p);
}


void persons_page(request *r)
{
	page p;
	json_t *rec = NULL;
	const entity *e = registry_find(&r->app->reg, "persons");
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (rec = records_load(&p, e, r->params[0]))) {
		json_int_t id = json_integer_value(json_object_get(rec, "id"));
		json_object_set_new(p.ctx, "relationships",
				    relationship_rows(&p, "persons", arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, id)));
		json_object_set_new(p.ctx, "vcard_href", json_string(arena_printf(&r->a, "/api/v1/persons/%" JSON_INTEGER_FORMAT "/vcard", id)));
		if (access_kind(page_user(&p), e, OP_UPDATE))
			json_object_set_new(p.ctx, "merge_href", json_string(arena_printf(&r->a, "/persons/%" JSON_INTEGER_FORMAT "/merge", id)));
		records_detail_render(&p, e, rec, "person");
	}
	json_decref(rec);
	page_end(&p);
}

