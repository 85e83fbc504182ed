/*
 * countries — every ISO 3166-1 country, with its names in the three
 * languages and its membership of the organization.
 *
 * The list and the names come from Debian's iso-codes at `liaison init`:
 * a country is named as people name it ("Bolivia", "Tanzania"), in every
 * list, picker and search, and its ISO name ("Bolivia, Plurinational State
 * of") stays on its own page as its official name.  A database seeded with
 * the ISO names gets the common ones at its next `liaison init`, but for a
 * name someone has changed since;
 * membership comes only from `liaison import member-states`, never from
 * Liaison itself: who is a Member State is a fact the organization states.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/partners/partners.h"
#include "formats/isocodes.h"

static const char *const memberships[] = { "member", "observer", "none", NULL };
static const char *const membership_labels[] = { N_("Member State"), N_("Observer"), N_("Not a member"), NULL };
static const char *const columns[] = { "name", "iso2", "membership", "membership_date", NULL };

static const field_def fields[] = {
	{ "iso2", F_TEXT, REQUIRED | UNIQUE, .max = 2, .label = N_("ISO code (2 letters)") },
	{ "iso3", F_TEXT, REQUIRED | UNIQUE, .max = 3, .label = N_("ISO code (3 letters)") },
	{ "numeric", F_TEXT, 0, .max = 3, .label = N_("ISO numeric code") },
	{ "name", F_LANGTEXT, REQUIRED | SEARCHED | TITLE | MATCHED, .max = 200, .label = N_("Name") },  /* MATCHED: typos forgiven */
	{ "official_name", F_LANGTEXT, SEARCHED, .max = 200, .label = N_("Official name") },  /* where it differs */
	{ "membership", F_ENUM, INDEXED | FACET, .values = memberships, .labels = membership_labels, .label = N_("Membership") },
	{ "membership_date", F_DATE, 0, .label = N_("Member since") },
	{ "demo", F_BOOL, 0, .label = N_("Set by demo data") },  /* membership set by demo data, not by the organization */
};

/* Membership stated by an import or an admin is the organization's own word:
 * it is no longer demo data unless the same change says so. */
static int membership_is_real(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)m;
	(void)c;
	(void)e;
	if (record_given(r, "membership") && !record_given(r, "demo"))
		*record_field(r, "demo") = SV_INT_(0);
	return 0;
}

const entity_def countries = {
	.name = "countries", .table = "countries", .label = N_("country"),
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_ANYONE, .write = WHO_ADMIN,
	.key_field = "iso2", .default_sort = "iso2",
	.validate = membership_is_real,
	.heading = N_("Countries"), .columns = columns, .menu = { 3 },
	.alias = "member-states",   /* `liaison import member-states`: the membership file, keyed by iso2 */
};

/* The names of k as the model takes them: people's name, and the ISO one
 * where it differs. */
static json_t *names(const iso_country *k, const char *const ours[NLANGS])
{
	const char *common[NLANGS] = { k->common_en, k->common_fr, k->common_es };
	const char *iso[NLANGS] = { k->name_en, k->name_fr, k->name_es };
	json_t *body = json_object(), *name = json_object(), *official = json_object();
	int differs = 0;
	for (int l = 0; l < NLANGS; l++) {
		differs |= strcmp(common[l], iso[l]) != 0;
		if (!ours || !strcmp(ours[l], iso[l])) /* a name someone changed stays theirs */
			json_object_set_new(name, registry_langs[l], json_string(common[l]));
		json_object_set_new(official, registry_langs[l], json_string(iso[l]));
	}
	json_object_set_new(body, "name", name);
	if (differs)
		json_object_set_new(body, "official_name", official);
	else
		json_decref(official);
	return body;
}

/* Through the model, like any record: validated, audited, indexed for search. */
static int insert_country(model_ctx *m, store_conn *c, const entity *e, const iso_country *k)
{
	json_t *body = names(k, NULL);
	json_object_set_new(body, "iso2", json_string(k->iso2));
	json_object_set_new(body, "iso3", json_string(k->iso3));
	json_object_set_new(body, "numeric", json_string(k->numeric));
	json_object_set_new(body, "membership", json_string("none"));
	json_object_set_new(body, "classification", json_string("public"));
	record r;
	int rc = model_create_in(m, c, e, body, 0, &r);
	json_decref(body);
	return rc;
}

/* A country seeded before it had a common name: its ISO name moves to
 * official_name, and its name becomes the common one in each language
 * where it is still the ISO name.  Once done, nothing more to do. */
static int rename_country(model_ctx *m, store_conn *c, const entity *e, const iso_country *k)
{
	if (!strcmp(k->common_en, k->name_en) && !strcmp(k->common_fr, k->name_fr) && !strcmp(k->common_es, k->name_es))
		return 0;
	model_ctx g;
	model_init(&g, m->st, m->reg, m->u);
	json_t *rec = model_get(&g, e, k->iso2) == 0 ? json_loadb(g.body.data, g.body.len, 0, NULL) : NULL;
	model_done(&g);
	json_t *had = json_object_get(rec, "name");
	const char *ours[NLANGS];
	for (int l = 0; l < NLANGS; l++) {
		const char *v = json_string_value(json_object_get(had, registry_langs[l]));
		ours[l] = v ? v : "";
	}
	int rc = 0;
	if (rec && !json_is_string(json_object_get(json_object_get(rec, "official_name"), "en"))) {
		record after;
		json_t *patch = names(k, ours);
		rc = model_update_in(m, c, e, k->iso2, 0, patch, &after);
		json_decref(patch);
	}
	json_decref(rec);
	return rc;
}

int countries_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	store_conn *c = store_reader(s);
	int64_t have = 0;
	if (!c || store_count(c, "countries", NULL, 0, &have) != STORE_OK) {
		snprintf(err, errlen, "cannot read the countries table");
		return -1;
	}
	iso_countries list;
	if (isocodes_load_countries(NULL, &list, err, errlen))
		return -1;
	static const user system = { 0, "liaison", ROLE_ADMIN, NULL, 0, "en" };
	model_ctx m;
	model_init(&m, s, reg, &system);
	const entity *e = registry_find(reg, "countries");
	c = store_begin(s);
	int rc = c ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < list.n; i++)
		rc = (have ? rename_country : insert_country)(&m, c, e, &list.v[i]);
	if (c && rc)
		store_rollback(c);
	else if (c && store_commit(c) != STORE_OK)
		rc = -1;
	if (rc)
		snprintf(err, errlen, "cannot load the countries: %s", m.detail ? m.detail : "the database refused them");
	model_done(&m);
	iso_countries_free(&list);
	return rc;
}
