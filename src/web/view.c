/*
 * view — records as people read them: a value of each field written for
 * the page's language (dates in words, labels of enum values, the title of
 * the record a reference points to), with the language it is actually in
 * when a translation is missing.
 *
 * A view is JSON for the templates: {"text", "lang", "fallback", "href",
 * "items"}.  Nothing here writes HTML; the templates escape what they show.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"
#include "formats/money.h"

const char *view_classification(const page *p, const char *value)
{
	static const char *const labels[] = { N_("Public"), N_("Internal"), N_("Restricted"), N_("Confidential") };
	int i = value ? enum_index(classifications, value) : -1;
	return i < 0 ? value : page_tr(p, labels[i]);
}

json_t *view_body(model_ctx *m)
{
	json_t *v = json_loadb(m->body.data, m->body.len, 0, NULL);
	return v ? v : json_object();
}

/* A LANGTEXT value in the page's language, else the first language that has
 * one; *lang is the language it is in. */
const char *view_langtext(const page *p, json_t *obj, const char **lang)
{
	const char *s = json_string_value(json_object_get(obj, registry_langs[p->lang]));
	*lang = registry_langs[p->lang];
	for (int i = 0; (!s || !*s) && i < NLANGS; i++) {
		s = json_string_value(json_object_get(obj, registry_langs[i]));
		*lang = registry_langs[i];
	}
	return s && *s ? s : NULL;
}

/* Every key the value template asks for, null when absent: a template looks
 * a missing key up in the outer contexts, and a cell must never borrow its
 * row's link or language. */
json_t *view_complete(json_t *v)
{
	static const char *const keys[] = { "text", "lang", "fallback", "href", "items", "datetime", "role" };
	for (size_t i = 0; i < COUNT(keys); i++)
		if (!json_object_get(v, keys[i]))
			json_object_set_new(v, keys[i], json_null());
	json_object_set_new(v, "is_list", json_boolean(json_array_size(json_object_get(v, "items")) > 0));
	return v;
}

static void set_text(json_t *v, const char *s)
{
	json_object_set_new(v, "text", json_string(s));
}

const char *view_enum_label(const page *p, const field_def *f, const char *value)
{
	int i = enum_index(f->values, value);
	if (i < 0 || !f->labels)
		return value;
	return page_tr(p, f->labels[i]);
}

const char *view_title(const page *p, const entity *e, json_t *rec, const char **lang)
{
	buf b = BUF_INIT;
	*lang = NULL;
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (!(f->flags & TITLE))
			continue;
		json_t *v = json_object_get(rec, f->name);
		const char *s = f->type == F_LANGTEXT ? view_langtext(p, v, lang) : json_string_value(v);
		if (s && *s)
			buf_printf(&b, "%s%s", b.len ? " " : "", s);
	}
	if (!b.len) { /* "Relation 3911": the kind's word, in the reader's language, capitalised */
		const char *label = page_tr(p, e->def->label);
		buf_printf(&b, "%c%s %" JSON_INTEGER_FORMAT, label[0] >= 'a' && label[0] <= 'z' ? label[0] - 'a' + 'A' : label[0],
			   label[0] ? label + 1 : "", json_integer_value(json_object_get(rec, "id")));
	}
	char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

char *view_href(const page *p, const entity *e, json_t *rec)
{
	json_t *key = e->def->key_field ? json_object_get(rec, e->def->key_field) : NULL;
	if (json_is_string(key) && !strchr(json_string_value(key), '/'))  /* a symbol, C/115/1, is no one segment */
		return arena_printf(&p->r->a, "/%s/%s", e->def->name, json_string_value(key));
	return arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, e->def->name,
			    json_integer_value(json_object_get(rec, "id")));
}

/* The record a reference names, as {text, href}; a record the reader may
 * not see is named by its number only, without a link. */
json_t *view_ref(page *p, const char *kind, json_t *value)
{
	if (!kind)
		kind = "";
	const entity *e = registry_find(&p->r->app->reg, kind);
	char *id = json_is_integer(value) ? arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(value))
					  : arena_strdup(&p->r->a, json_string_value(value) ? json_string_value(value) : "");
	char *key = arena_printf(&p->r->a, "%s/%s", kind, id);
	json_t *seen = p->refs ? json_object_get(p->refs, key) : NULL;
	if (seen) /* a list names the same country fifty times: look it up once */
		return json_deep_copy(seen);
	json_t *v = json_object();
	if (!e) {
		set_text(v, id);
		return view_complete(v);
	}
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_get(&m, e, id) == 0) {
		json_t *rec = view_body(&m);
		const char *lang;
		set_text(v, view_title(p, e, rec, &lang));
		if (lang)
			json_object_set_new(v, "lang", json_string(lang));
		json_object_set_new(v, "href", json_string(view_href(p, e, rec)));
		json_decref(rec);
	} else {
		set_text(v, arena_printf(&p->r->a, "#%s", id));
	}
	model_done(&m);
	if (!p->refs)
		p->refs = json_object();
	json_object_set_new(p->refs, key, json_deep_copy(view_complete(v)));
	return v;
}

/* The records of kind e whose ids are the integers of ids that the reader
 * may see, in one query by their primary keys: a list that names a record
 * per row must not ask once per row.  Archived ones too. */
json_t *view_records(page *p, const entity *e, json_t *ids)
{
	size_t n = json_array_size(ids), k = 0, i;
	json_t *x, *found = NULL;
	if (!n)
		return json_array();
	store_cond *any = arena_alloc(&p->r->a, n * sizeof *any);
	json_array_foreach(ids, i, x)
		if (json_is_integer(x))
			any[k++] = COND_EQ("id", SV_INT_(json_integer_value(x)));
	store_cond w = { .op = OP_ANY, .sub = any, .nsub = (int)k };
	list_params lp = { .limit = (int64_t)k, .extra = &w, .nextra = 1, .archived = 1 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (k && model_list(&m, e, &lp) == 0)
		found = view_body(&m);
	model_done(&m);
	json_t *items = json_incref(json_object_get(found, "items"));
	json_decref(found);
	return items ? items : json_array();
}

/* Those of view_records, for the view_ref calls that follow; the ids not
 * found (hidden from the reader, or gone) named by their number, as
 * view_ref names them. */
void view_refs_load(page *p, const char *kind, json_t *ids)
{
	const entity *e = registry_find(&p->r->app->reg, kind);
	if (!e)
		return;
	if (!p->refs)
		p->refs = json_object();
	json_t *wanted = json_array(), *x, *rec;
	size_t i;
	json_array_foreach(ids, i, x)
		if (json_is_integer(x) && !json_object_get(p->refs, arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, kind,
										  json_integer_value(x))))
			json_array_append(wanted, x);
	json_t *found = view_records(p, e, wanted);
	json_array_foreach(found, i, rec) {
		const char *lang;
		json_t *v = json_pack("{s:s, s:s}", "text", view_title(p, e, rec, &lang), "href", view_href(p, e, rec));
		if (lang)
			json_object_set_new(v, "lang", json_string(lang));
		json_object_set_new(p->refs, arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, kind,
							  json_integer_value(json_object_get(rec, "id"))), view_complete(v));
	}
	json_array_foreach(wanted, i, x) {
		char *key = arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, kind, json_integer_value(x));
		if (!json_object_get(p->refs, key))
			json_object_set_new(p->refs, key, view_complete(json_pack("{s:s}", "text",
										arena_printf(&p->r->a, "#%" JSON_INTEGER_FORMAT,
											     json_integer_value(x)))));
	}
	json_decref(found);
	json_decref(wanted);
}

static json_t *view_list(page *p, const json_t *arr, int emails)
{
	json_t *items = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x))
			continue;
		json_t *v = json_pack("{s:O}", "text", x);
		if (emails)
			json_object_set_new(v, "href", json_string(arena_printf(&p->r->a, "mailto:%s", json_string_value(x))));
		json_array_append_new(items, view_complete(v));
	}
	return items;
}

static json_t *view_links(page *p, json_t *arr)
{
	json_t *items = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		json_t *v = view_ref(p, json_string_value(json_object_get(x, "kind")), json_object_get(x, "id"));
		json_t *role = json_object_get(x, "role");
		if (json_is_string(role) && *json_string_value(role))
			json_object_set(v, "role", role);
		json_array_append_new(items, v);
	}
	return items;
}

/* An amount as the reader's language writes it: "1 250 000,00 USD". */
void view_money(page *p, json_t *money, buf *out)
{
	const char *amount = json_string_value(json_object_get(money, "amount"));
	const char *currency = json_string_value(json_object_get(money, "currency"));
	int64_t minor;
	char why[120];
	if (amount && currency && money_parse(amount, currency, &minor, why, sizeof why) == 0)
		i18n_money(p->lang, minor, currency, out);
}

json_t *view_value(page *p, const field_def *f, json_t *value)
{
	if (!value || json_is_null(value))
		return NULL;
	json_t *v = json_object();
	const char *s = json_string_value(value);
	buf b = BUF_INIT;
	const char *lang;
	switch (f->type) {
	case F_LANGTEXT:
		if (!(s = view_langtext(p, value, &lang)))
			break;
		set_text(v, s);
		json_object_set_new(v, "lang", json_string(lang));
		if (strcmp(lang, registry_langs[p->lang]) != 0)
			json_object_set_new(v, "fallback", json_string(lang));
		break;
	case F_ENUM:
		set_text(v, view_enum_label(p, f, s));
		break;
	case F_DATE:
	case F_TIME:
		page_date(p, s, &b);
		set_text(v, buf_str(&b));
		json_object_set_new(v, "datetime", json_string(s));
		break;
	case F_BOOL:
		set_text(v, page_tr(p, json_is_true(value) ? N_("Yes") : N_("No")));
		break;
	case F_INT:
		i18n_number(p->lang, json_integer_value(value), 0, &b);
		set_text(v, buf_str(&b));
		break;
	case F_URL:
		set_text(v, s);
		json_object_set_new(v, "href", json_string(s));
		break;
	case F_EMAIL:
		set_text(v, s);
		json_object_set_new(v, "href", json_string(arena_printf(&p->r->a, "mailto:%s", s)));
		break;
	case F_REF:
		json_decref(v);
		v = view_ref(p, f->ref, value);
		break;
	case F_LIST:
	case F_EMAILS:
		if (json_array_size(value))
			json_object_set_new(v, "items", view_list(p, value, f->type == F_EMAILS));
		break;
	case F_LINKS:
		if (json_array_size(value))
			json_object_set_new(v, "items", view_links(p, value));
		break;
	case F_TEXT:
		if (s && *s)
			set_text(v, s);
		break;
	case F_MONEY:
		view_money(p, value, &b);
		if (b.len)
			set_text(v, buf_str(&b));
		break;
	}
	buf_free(&b);
	if (!json_object_get(v, "text") && !json_object_get(v, "items")) {
		json_decref(v);
		return NULL;
	}
	return view_complete(v);
}

/* Every field with a value, as [{label, name, value…}], in the order of the registry. */
json_t *view_facts(page *p, const entity *e, json_t *rec)
{
	json_t *facts = json_array();
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		json_t *v = f->flags & UNSHOWN ? NULL : view_value(p, f, json_object_get(rec, f->name));
		if (!v)
			continue;
		json_object_set_new(v, "label", json_string(page_tr(p, f->label ? f->label : f->name)));
		json_object_set_new(v, "name", json_string(f->name));
		json_array_append_new(facts, v);
	}
	return facts;
}

json_t *view_list_items(page *p, const entity *e, const list_params *lp)
{
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *items = NULL;
	if (model_list(&m, e, lp) == 0) {
		json_t *body = view_body(&m);
		items = json_incref(json_object_get(body, "items"));
		json_decref(body);
	}
	model_done(&m);
	return items ? items : json_array();
}
