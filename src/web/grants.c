/*
 * grants — the section of a confidential record's page where its creator
 * or an administrator sees and changes who else may read it, and the two
 * forms behind it (model/grants.c decides):
 *
 *   POST /{kind}/{id}/grants               user=NAME
 *   POST /{kind}/{id}/grants/{user}/remove
 */
#include <string.h>

#include "model/grants.h"
#include "web/web.h"

/* ctx.grants = {action, items: [{name, remove_action}]}, when the reader
 * manages the grants of this confidential record; nothing otherwise. */
void grants_view(page *p, const entity *e, json_t *rec)
{
	const char *cls = json_string_value(json_object_get(rec, "classification"));
	const user *u = page_user(p);
	json_int_t creator = json_integer_value(json_object_get(rec, "created_by"));
	if (e->parent || !cls || strcmp(cls, "confidential") != 0 || (u->role != ROLE_ADMIN && creator != u->id))
		return;
	request *r = p->r;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	char *id_text = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, id);
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, u);
	json_t *list = model_grants(&m, e, id_text) == 0 ? view_body(&m) : NULL;
	model_done(&m);
	if (!list)
		return;
	json_t *items = json_array();
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(list, "items"), i, g) {
		const char *name = json_string_value(json_object_get(json_object_get(g, "user"), "name"));
		buf action = BUF_INIT;
		buf_printf(&action, "/%s/%s/grants/", e->def->name, id_text);
		page_url_component(&action, name);
		buf_puts(&action, "/remove");
		json_array_append_new(items, json_pack("{s:s, s:s}", "name", name, "remove_action", buf_str(&action)));
		buf_free(&action);
	}
	json_decref(list);
	json_object_set_new(p->ctx, "grants",
			    json_pack("{s:s, s:o}", "action", arena_printf(&r->a, "/%s/%s/grants", e->def->name, id_text),
				      "items", items));
}

/* Both forms: the change (the user named by the form's field, or by the
 * address), then back to the record's page. */
static void change(request *r, int add)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN)) {
		page_end(&p);
		return;
	}
	const entity *e = registry_find(&r->app->reg, r->params[0]);
	const char *who = add ? page_field(&p, "user") : r->params[2];
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	if (!e || !e->def->heading)
		page_error(&p, 404, NULL);
	else if ((add ? model_grant : model_ungrant)(&m, e, r->params[1], who) == 0)
		page_redirect(&p, arena_printf(&r->a, "/%s/%s?saved=1", e->def->name, r->params[1]));
	else
		page_model_error(&p, &m);
	model_done(&m);
	page_end(&p);
}

void web_grant(request *r) { change(r, 1); }
void web_ungrant(request *r) { change(r, 0); }
