/*
 * views — the partner registry's own routes, beyond the generic API:
 * relationships read from one end, and vCards.
 * (A person's personal-data export and erasure are every personal kind's:
 * model/personal.c.)
 */
#include <string.h>

#include "domains/partners/partners.h"
#include "formats/vcard.h"
#include "model/uuid.h"

static const entity *kind(request *r, const char *name) { return registry_find(&r->app->reg, name); }

/* The record of kind `name` with that id, readable by m's user; else m's error. */
static int find_visible(model_ctx *m, const char *name, const char *id, record *out)
{
	return model_read(m, registry_find(m->reg, name), id, out);
}


/* ---- relationships read from one end --------------------------------------- */

typedef struct labels {
	json_t *types;  /* code -> {"forward": {...}, "reverse": {...}} */
} labels;

static json_t *type_labels(model_ctx *m)
{
	list_params p = { .limit = 500 };
	json_t *out = json_object();
	buf_reset(&m->body);
	if (model_list(m, registry_find(m->reg, "relationship-types"), &p) == 0) {
		json_t *list = json_loads(buf_str(&m->body), 0, NULL);
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(list, "items"), i, t)
			json_object_set(out, json_string_value(json_object_get(t, "code")), t);
		json_decref(list);
	}
	buf_reset(&m->body);
	m->status = 0;
	return out;
}

static void read_from(json_t *rel, json_t *types, const char *end_kind, int64_t id)
{
	const char *from_field = strcmp(end_kind, "organizations") == 0 ? "from_organization" : "from_person";
	json_t *t = json_object_get(types, json_string_value(json_object_get(rel, "type")));
	int forward = json_integer_value(json_object_get(rel, from_field)) == id;
	json_object_set_new(rel, "direction", json_string(forward ? "forward" : "reverse"));
	json_object_set(rel, "label", json_object_get(t, forward ? "forward" : "reverse"));
	const char *other_org = forward ? "to_organization" : "from_organization";
	const char *other_person = forward ? "to_person" : "from_person";
	json_t *o = json_object_get(rel, other_org);
	json_object_set_new(rel, "other", json_is_integer(o)
		? json_pack("{s:s, s:O}", "kind", "organizations", "id", o)
		: json_pack("{s:s, s:O}", "kind", "persons", "id", json_object_get(rel, other_person)));
}

json_t *partners_relationships(model_ctx *m, const char *end_kind, const char *id, const char *cursor, int64_t limit)
{
	int orgs = strcmp(end_kind, "organizations") == 0;
	record end;
	if (find_visible(m, end_kind, id, &end))
		return NULL;
	json_t *types = type_labels(m);
	store_cond *either = arena_alloc(&m->a, 2 * sizeof *either);
	either[0] = COND_EQ(orgs ? "from_organization" : "from_person", end.v[COL_ID]);
	either[1] = COND_EQ(orgs ? "to_organization" : "to_person", end.v[COL_ID]);
	store_cond w = { .op = OP_ANY, .sub = either, .nsub = 2 };
	list_params p = { .sort = "-start_date", .cursor = cursor, .limit = limit, .extra = &w, .nextra = 1 };
	json_t *list = NULL;
	if (model_list(m, registry_find(m->reg, "relationships"), &p) == 0) {
		list = json_loads(buf_str(&m->body), 0, NULL);
		size_t i;
		json_t *rel;
		json_array_foreach(json_object_get(list, "items"), i, rel)
			read_from(rel, types, end_kind, end.v[COL_ID].i);
	}
	json_decref(types);
	return list;
}

static void relationships_of(request *r, const char *end_kind)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	int64_t limit = http_limit(r, 50);   /* -1: answered */
	json_t *list = limit > 0 ? partners_relationships(&m, end_kind, r->params[0], http_query(r, "cursor"), limit) : NULL;
	if (limit > 0 && !list)
		http_model(r, &m);
	else if (list) {
		char *text = json_dumps(list, JSON_COMPACT);
		http_text(r, 200, "application/json", text, strlen(text));
		free(text);
	}
	json_decref(list);
	model_done(&m);
}

void organizations_relationships(request *r) { relationships_of(r, "organizations"); }

void persons_relationships(request *r) { relationships_of(r, "persons"); }

/* ---- vCard -------------------------------------------------------------------- */

static const char **strings(model_ctx *m, json_t *array, size_t *n)
{
	*n = json_array_size(array);
	const char **v = arena_alloc(&m->a, (*n + 1) * sizeof *v);
	for (size_t i = 0; i < *n; i++)
		v[i] = json_string_value(json_array_get(array, i));
	return v;
}

/* A record of kind (organizations, countries) the reader may see, as the API
 * writes it; NULL when there is none. */
static json_t *referred(model_ctx *m, const char *kind, json_t *key)
{
	const char *k = json_is_integer(key) ? arena_printf(&m->a, "%lld", (long long)json_integer_value(key))
					     : json_string_value(key);
	if (!k)
		return NULL;
	model_ctx o;
	model_init(&o, m->st, m->reg, m->u);
	json_t *rec = model_get(&o, registry_find(m->reg, kind), k) == 0 ? json_loads(buf_str(&o.body), 0, NULL) : NULL;
	model_done(&o);
	return rec;
}

/* A multilingual name in the first language it has (English, French, then
 * Spanish): a card names an organization the same for every reader.  *lang
 * gets that language. */
static const char *first_language(model_ctx *m, json_t *names, const char **lang)
{
	for (const char *const *l = registry_langs; *l; l++) {
		const char *s = json_string_value(json_object_get(names, *l));
		if (s && *s) {
			*lang = *l;
			return arena_strdup(&m->a, s);
		}
	}
	*lang = NULL;
	return NULL;
}

/* A country's name (for ADR) by its ISO code, or NULL. */
static const char *country_name(model_ctx *m, json_t *iso)
{
	json_t *country = referred(m, "countries", iso);
	const char *lang, *name = first_language(m, json_object_get(country, "name"), &lang);
	json_decref(country);
	return name;
}

/* What a card takes from the person's organization: its name, and its
 * address (street and country) as the person's work address, else the
 * person's country alone; and the country that reads the person's national
 * telephone numbers, which are work numbers: the organization's, else the
 * person's (a delegate of one country often works in another). */
static void card_organization(model_ctx *m, json_t *p, vcard_person *v)
{
	json_t *org = referred(m, "organizations", json_object_get(p, "organization"));
	v->organization = first_language(m, json_object_get(org, "name"), &v->organization_lang);
	json_t *own = json_object_get(p, "country"), *orgs = json_object_get(org, "country");
	json_t *phones = json_is_string(orgs) ? orgs : own;
	if (json_is_string(phones))
		v->phone_country = arena_strdup(&m->a, json_string_value(phones));
	const char *street = json_string_value(json_object_get(org, "address"));
	if (street && *street) {
		v->address.street = arena_strdup(&m->a, street);
		v->address.country = country_name(m, orgs);
	} else {
		v->address.country = country_name(m, json_is_string(own) ? own : orgs);
	}
	json_decref(org);
}

static void person_card(model_ctx *m, const unsigned char *ns, json_t *p, buf *out)
{
	vcard_person v = { 0 };
	char uid[37];
	model_record_uuid(ns, "persons", json_integer_value(json_object_get(p, "id")), uid);
	v.uid = uid;
	v.honorific = json_string_value(json_object_get(p, "honorific"));
	v.given = json_string_value(json_object_get(p, "given_name"));
	v.family = json_string_value(json_object_get(p, "family_name"));
	v.position = json_string_value(json_object_get(p, "position"));
	v.note = json_string_value(json_object_get(p, "notes"));
	v.rev = json_string_value(json_object_get(p, "updated_at"));
	card_organization(m, p, &v);
	v.emails = strings(m, json_object_get(p, "emails"), &v.nemails);
	v.phones = strings(m, json_object_get(p, "phones"), &v.nphones);
	v.languages = strings(m, json_object_get(p, "languages"), &v.nlanguages);
	v.preferred_language = json_string_value(json_object_get(p, "preferred_language"));
	v.categories = strings(m, json_object_get(p, "tags"), &v.ncategories);
	vcard_write(out, &v);
}

int persons_cards(model_ctx *m, json_t *people, buf *out)
{
	unsigned char ns[UUID_NAMESPACE_BYTES];
	if (model_uuid_namespace(m, ns))
		return -1;
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p)
		person_card(m, ns, p, out);
	return 0;
}

/* The cards of people as the answer; the error instead when there is one. */
static int send_cards(request *r, json_t *people, const char *filename)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	buf out = BUF_INIT;
	int rc = persons_cards(&m, people, &out);
	if (rc) {
		http_model(r, &m);
	} else {
		http_text(r, 200, "text/vcard; charset=utf-8", buf_str(&out), out.len);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s\"", filename));
	}
	buf_free(&out);
	model_done(&m);
	return rc;
}

void persons_vcard(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (model_get(&m, kind(r, "persons"), r->params[0]) == 0) {
		json_t *p = json_loads(buf_str(&m.body), 0, NULL);
		json_t *one = json_pack("[O]", p);
		send_cards(r, one, arena_printf(&r->a, "person-%s.vcf", r->params[0]));
		json_decref(one);
		json_decref(p);
	} else {
		http_model(r, &m);
	}
	model_done(&m);
}

/*
 * GET /api/v1/persons/vcard?organization=12: a page of the persons list (the
 * same filters, sort, limit and cursor), as vCards.  A vCard stream has no
 * room for the list's next_cursor, so it travels in headers: Link with
 * rel="next" (RFC 8288), the address of the next page, and X-Next-Cursor,
 * the cursor alone.  The last page has neither.
 */
void persons_vcard_list(request *r)
{
	r->params[0] = "persons";
	api_list(r);
	if (r->status != 200)
		return;
	json_t *list = json_loadb(r->out.data, r->out.len, 0, NULL);
	const char *next = json_string_value(json_object_get(list, "next_cursor"));
	if (send_cards(r, json_object_get(list, "items"), "persons.vcf") == 0 && next) {
		http_header_add(r, "Link", arena_printf(&r->a, "<%s>; rel=\"next\"", http_url_with(r, "cursor", next)));
		http_header_add(r, "X-Next-Cursor", next);
	}
	json_decref(list);
}
