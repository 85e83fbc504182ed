/*
 * countries — every ISO 3166-1 country, with its names in the three
 * languages and its membership of the organization.
 *
 * The list and the names come from Debian's iso-codes at `liaison init`;
 * membership comes only from `liaison import member-states`, never from
 * Liaison itself: who is a Member State is a fact the organization states.
 */
#include <stdio.h>

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

/* Through the model, like any record: validated, audited, indexed for search. */
static int insert_country(model_ctx *m, store_conn *c, const entity *e, const iso_country *k)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s}", "iso2", k->iso2, "iso3", k->iso3,
				 "numeric", k->numeric, "name", "en", k->name_en, "fr", k->name_fr, "es", k->name_es,
				 "membership", "none", "classification", "public");
	record r;
	int rc = body ? model_create_in(m, c, e, body, 0, &r) : -1;
	json_decref(body);
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
	if (have > 0)
		return 0;
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
		rc = insert_country(&m, c, e, &list.v[i]);
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
