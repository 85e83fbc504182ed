/*
 * pick — reference fields in forms: a record, or a list of records, chosen
 * by name, never by its number.
 *
 * A reference (F_REF to a kind people find by title, users included) is a
 * text box "FIELD.q" holding the chosen record's title beside a hidden
 * "FIELD" holding its id, or its key for a kind referred to by key (a
 * country's ISO code: the suggestions carry it).  Links (F_LINKS) are the chosen records, each a
 * checkbox "FIELD" whose value is "kind/id" labelled with its title, with
 * its role in "FIELD.role.kind/id", and a text box "FIELD.add" for one
 * more.  liaison.js turns the text boxes into type-ahead lists
 * (/api/v1/search/suggest?type=the field's kinds) and the checkboxes into
 * chips with a remove button.  Without it, a name typed is looked up when
 * the form is sent: the one record of that name is taken; several are
 * offered as a choice (radios "FIELD.pick", or unchecked chips) beside a
 * field error; none is a field error.
 */
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "model/search.h"
#include "web/web.h"

static int has_flag(const entity *e, unsigned flag)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if (e->def->fields[i].flags & flag)
			return 1;
	return 0;
}

/* A kind the type-ahead knows: titles in the search index, or the accounts. */
static int findable(const entity *e)
{
	return e && has_flag(e, TITLE) && (has_flag(e, SEARCHED) || strcmp(e->def->name, "users") == 0);
}

int pick_is_picker(const page *p, const field_def *f)
{
	if (f->type == F_LINKS)
		return 1;
	return f->type == F_REF && findable(registry_find(&p->r->app->reg, f->ref));
}

/* What a reference holds, from a form's or an address's text: a key ("BO")
 * for a kind referred to by key, else an id; NULL for nothing of the kind. */
static json_t *ref_of(const field_def *f, const char *s)
{
	if (!s || !*s)
		return NULL;
	if (f->ref_key)
		return json_string(s);
	return model_parse_id(s) > 0 ? json_integer(model_parse_id(s)) : NULL;
}

/* The member of a suggestion that a reference of f holds. */
static const char *ref_member(const field_def *f) { return f->ref_key ? "key" : "id"; }

/* The kinds a field's picker offers, as suggest's type takes them; NULL for any. */
static const char *kinds_of(page *p, const field_def *f)
{
	if (f->type == F_REF)
		return f->ref;
	if (!f->link_kinds)
		return NULL;
	buf b = BUF_INIT;
	for (const char *const *k = f->link_kinds; *k; k++)
		buf_printf(&b, "%s%s", b.len ? "," : "", *k);
	char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static const char *kind_label(page *p, const char *kind)
{
	const entity *e = registry_find(&p->r->app->reg, kind ? kind : "");
	return e && e->def->heading ? page_tr(p, e->def->heading) : kind ? kind : "";
}

static const char *form_part(page *p, const field_def *f, const char *part)
{
	return page_field(p, arena_printf(&p->r->a, "%s.%s", f->name, part));
}

static char *folded(page *p, const char *s)
{
	buf b = BUF_INIT;
	text_fold(&b, s ? s : "", s ? strlen(s) : 0);
	char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* ---- names typed, looked up ----------------------------------------------------------- */

/* Whether a suggestion is named exactly what was typed (its title, or a user's e-mail). */
static int named(page *p, json_t *item, const char *typed)
{
	const char *title = json_string_value(json_object_get(item, "title"));
	const char *email = json_string_value(json_object_get(item, "email"));
	return strcmp(folded(p, title), typed) == 0 || (email && strcmp(folded(p, email), typed) == 0);
}

/* The suggestion a name typed in field f stands for, {kind, id, title}; or
 * NULL with a field error in m, and the records it could mean kept for the
 * form (p->picks) when there are several. */
static json_t *resolve(page *p, model_ctx *m, const field_def *f, const char *typed)
{
	model_ctx s;
	model_init(&s, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *items = NULL, *item, *exact = NULL;
	if (model_suggest(&s, typed, kinds_of(p, f)) == 0) {
		json_t *body = view_body(&s);
		items = json_incref(json_object_get(body, "items"));
		json_decref(body);
	}
	model_done(&s);
	const char *want = folded(p, typed);
	size_t i, nexact = 0;
	json_array_foreach(items, i, item)
		if (named(p, item, want) && ++nexact == 1)
			exact = item;
	json_t *found = nexact == 1 ? exact : nexact == 0 && json_array_size(items) == 1 ? json_array_get(items, 0) : NULL;
	if (found) {
		json_incref(found);
	} else if (!json_array_size(items)) {
		model_field_error(m, f->name, N_("No record has this name. Type a few letters of it and choose from the list."));
	} else {
		model_field_error(m, f->name, N_("Several records match this name. Choose the one you mean."));
		if (!p->picks)
			p->picks = json_object();
		json_object_set(p->picks, f->name, items);
	}
	json_decref(items);
	return found;
}

/* ---- the form's fields as the API's values ------------------------------------------------ */

static json_t *ref_value(page *p, model_ctx *m, const field_def *f, int creating)
{
	const char *pick = form_part(p, f, "pick"), *q = form_part(p, f, "q"), *id = page_field(p, f->name);
	json_t *n = ref_of(f, pick);
	if (n)
		return n;
	if (!q) { /* a form of a script's own, which names the record by its id */
		n = ref_of(f, id);
		return n ? n : creating ? NULL : json_null();
	}
	q = page_trim(p, q);
	if (!*q)
		return creating ? NULL : json_null();
	if ((n = ref_of(f, id))) { /* still the title of the record chosen? */
		json_t *ref = view_ref(p, f->ref, n);
		int same = strcmp(folded(p, json_string_value(json_object_get(ref, "text"))), folded(p, q)) == 0;
		json_decref(ref);
		if (same)
			return n;
		json_decref(n);
	}
	json_t *found = resolve(p, m, f, q);
	json_t *v = found ? json_copy(json_object_get(found, ref_member(f))) : NULL;
	json_decref(found);
	return v;
}

/* "kind/id" as a link {kind, id, role}, or NULL when it is not shaped so. */
static json_t *link_of(page *p, const field_def *f, const char *value)
{
	const char *slash = strchr(value, '/');
	int64_t id = slash ? model_parse_id(slash + 1) : 0;
	if (id <= 0)
		return NULL;
	const char *role = form_part(p, f, arena_printf(&p->r->a, "role.%s", value));
	return json_pack("{s:s%, s:I, s:s}", "kind", value, (size_t)(slash - value), "id", (json_int_t)id, "role",
			 role ? page_trim(p, role) : "");
}

static int has_link(json_t *links, json_t *kind, json_t *id)
{
	size_t i;
	json_t *l;
	json_array_foreach(links, i, l)
		if (json_equal(json_object_get(l, "kind"), kind) && json_equal(json_object_get(l, "id"), id))
			return 1;
	return 0;
}

static json_t *links_value(page *p, model_ctx *m, const field_def *f)
{
	json_t *links = json_array();
	const char *chosen = page_field(p, f->name);
	char *copy = arena_strdup(&p->r->a, chosen ? chosen : ""), *save = NULL;
	for (char *v = strtok_r(copy, "\n", &save); v; v = strtok_r(NULL, "\n", &save)) {
		json_t *l = link_of(p, f, page_trim(p, v));
		if (!l) /* the model says what is wrong with a link no page writes */
			l = json_pack("{s:s}", "kind", page_trim(p, v));
		if (has_link(links, json_object_get(l, "kind"), json_object_get(l, "id")))
			json_decref(l);
		else
			json_array_append_new(links, l);
	}
	const char *add = form_part(p, f, "add");
	json_t *found = add && *page_trim(p, add) ? resolve(p, m, f, page_trim(p, add)) : NULL;
	if (found && !has_link(links, json_object_get(found, "kind"), json_object_get(found, "id")))
		json_array_append_new(links, json_pack("{s:O, s:O, s:s}", "kind", json_object_get(found, "kind"), "id",
						      json_object_get(found, "id"), "role", ""));
	json_decref(found);
	return links;
}

json_t *pick_value(page *p, model_ctx *m, const field_def *f, int creating)
{
	return f->type == F_LINKS ? links_value(p, m, f) : ref_value(p, m, f, creating);
}

/* ---- the pickers as the form shows them --------------------------------------------------- */

/* The kinds' names in the reader's language, for the type-ahead's options. */
static const char *kind_labels(page *p, const field_def *f)
{
	json_t *o = json_object();
	for (const char *const *k = f->link_kinds; k && *k; k++)
		json_object_set_new(o, *k, json_string(kind_label(p, *k)));
	char *s = json_dumps(o, JSON_COMPACT), *out = arena_strdup(&p->r->a, s ? s : "{}");
	free(s);
	json_decref(o);
	return out;
}

/* One record of a links picker, chosen (checked) or offered, as the template shows it. */
static json_t *chip(page *p, const field_def *f, const char *kind, json_t *id, const char *role, int checked, int n)
{
	json_t *ref = view_ref(p, kind, id);
	char *value = arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, kind, json_integer_value(id));
	json_object_set_new(ref, "value", json_string(value));
	json_object_set_new(ref, "checked", json_boolean(checked));
	int several = !f->link_kinds || (f->link_kinds[0] && f->link_kinds[1]);  /* else the kind goes without saying */
	json_object_set_new(ref, "kind_label", json_string(several ? kind_label(p, kind) : ""));
	json_object_set_new(ref, "role", json_string(role ? role : ""));
	json_object_set_new(ref, "role_name", json_string(arena_printf(&p->r->a, "%s.role.%s", f->name, value)));
	json_object_set_new(ref, "box_id", json_string(arena_printf(&p->r->a, "f-%s-%d", f->name, n)));
	json_object_set_new(ref, "role_id", json_string(arena_printf(&p->r->a, "f-%s-%d-role", f->name, n)));
	return ref;
}

/* The links chosen: the record's, what the form sent when it comes back, or
 * the address's ("?participants=organizations/12", a record page's "new" link). */
static json_t *chosen_links(page *p, const field_def *f, json_t *rec)
{
	if (rec && !p->form)
		return json_incref(json_object_get(rec, f->name));
	json_t *links = json_array();
	const char *chosen = p->form ? page_field(p, f->name) : page_query(p, f->name);
	char *copy = arena_strdup(&p->r->a, chosen ? chosen : ""), *save = NULL;
	for (char *v = strtok_r(copy, "\n", &save); v; v = strtok_r(NULL, "\n", &save)) {
		json_t *l = link_of(p, f, page_trim(p, v));
		if (l)
			json_array_append_new(links, l);
	}
	return links;
}

static void links_view(page *p, const field_def *f, json_t *rec, json_t *v)
{
	json_t *chips = json_array(), *offered = json_array(), *links = chosen_links(p, f, rec), *l;
	size_t i;
	int n = 0;
	json_array_foreach(links, i, l)
		json_array_append_new(chips, chip(p, f, json_string_value(json_object_get(l, "kind")), json_object_get(l, "id"),
						  json_string_value(json_object_get(l, "role")), 1, n++));
	json_decref(links);
	json_t *c, *candidates = p->picks ? json_object_get(p->picks, f->name) : NULL;
	json_array_foreach(candidates, i, c)
		json_array_append_new(offered, chip(p, f, json_string_value(json_object_get(c, "kind")),
						    json_object_get(c, "id"), NULL, 0, n++));
	/* a name that fitted several records is answered by the choice: not typed again */
	const char *add = candidates ? "" : p->form ? form_part(p, f, "add") : NULL;
	json_object_set_new(v, "chips", chips);
	json_object_set_new(v, "offered", offered);
	json_object_set_new(v, "has_offered", json_boolean(json_array_size(offered) > 0));
	json_object_set_new(v, "value", json_string(add ? add : ""));
	json_object_set_new(v, "picks", json_string(kinds_of(p, f) ? kinds_of(p, f) : ""));
	json_object_set_new(v, "kinds", json_string(kind_labels(p, f)));
	json_object_set_new(v, "is_links", json_true());
	json_object_set_new(v, "hint", json_string(page_tr(p, N_("Type a few letters of a name and choose from the list."))));
}

/* The reference chosen: {id as text, its title} from the record, the form
 * sent back, or the address (a "new" link from a record's page). */
static void ref_view(page *p, const field_def *f, json_t *rec, json_t *v)
{
	const char *id = NULL, *q = NULL;
	json_t *value = NULL;
	if (p->form) {
		id = page_field(p, f->name);
		q = form_part(p, f, "q");
	} else if (rec) {
		value = json_incref(json_object_get(rec, f->name));
	} else {
		id = page_query(p, f->name);
	}
	if (!value)
		value = ref_of(f, id);
	if (!q && (json_is_integer(value) || json_is_string(value))) {
		json_t *ref = view_ref(p, f->ref, value);
		q = arena_strdup(&p->r->a, json_string_value(json_object_get(ref, "text")));
		json_decref(ref);
	}
	json_object_set_new(v, "chosen", json_string(json_is_integer(value) ? arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT,
											  json_integer_value(value))
						     : json_is_string(value) ? json_string_value(value) : ""));
	json_decref(value);
	json_object_set_new(v, "value", json_string(q ? q : ""));
	json_object_set_new(v, "picks", json_string(f->ref));
	json_object_set_new(v, "is_ref", json_true());
	json_t *offered = json_array(), *c, *candidates = p->picks ? json_object_get(p->picks, f->name) : NULL;
	size_t i;
	json_array_foreach(candidates, i, c) {
		json_t *ref = view_ref(p, f->ref, json_object_get(c, ref_member(f)));
		json_object_set_new(ref, "value", json_copy(json_object_get(c, ref_member(f))));
		json_object_set_new(ref, "box_id", json_string(arena_printf(&p->r->a, "f-%s-%zu", f->name, i)));
		json_array_append_new(offered, ref);
	}
	json_object_set_new(v, "offered", offered);
	json_object_set_new(v, "has_offered", json_boolean(json_array_size(offered) > 0));
	int users = strcmp(f->ref, "users") == 0;  /* accounts: found by e-mail too */
	json_object_set_new(v, "hint", json_string(page_tr(p, users ? N_("Type a few letters of a name or e-mail and choose from the list.")
								    : N_("Type a few letters of its name and choose from the list."))));
}

void pick_view(page *p, const field_def *f, json_t *rec, json_t *v)
{
	if (f->type == F_LINKS)
		links_view(p, f, rec, v);
	else
		ref_view(p, f, rec, v);
}
