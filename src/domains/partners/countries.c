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
#include "model/audit.h"

static const char *const memberships[] = { "member", "observer", "none", NULL };

static const field_def fields[] = {
	{ "iso2", F_TEXT, REQUIRED | UNIQUE, .max = 2 },
	{ "iso3", F_TEXT, REQUIRED | UNIQUE, .max = 3 },
	{ "numeric", F_TEXT, 0, .max = 3 },
	{ "name", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 200 },
	{ "membership", F_ENUM, INDEXED, .values = memberships },
	{ "membership_date", F_DATE, 0 },
	{ "demo", F_BOOL, 0 },  /* membership set by demo data, not by the organization */
};

/* Membership stated by an import or an admin is the organization's own word:
 * it is no longer demo data unless the same change says so. */
static int membership_is_real(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)m;
	(void)c;
	int membership = entity_column(e, "membership"), demo = entity_column(e, "demo");
	if (r->set[membership] && !r->set[demo])
		r->v[demo] = SV_INT_(0);
	return 0;
}

const entity_def countries = {
	.name = "countries", .table = "countries", .label = "country",
	.fields = fields, .nfields = COUNT(fields),
	.read = ACCESS_PUBLIC, .write = ACCESS_ADMIN,
	.key_field = "iso2", .default_sort = "iso2",
	.validate = membership_is_real,
};

static int insert_country(store_conn *c, const registry *reg, const iso_country *k, const char *now)
{
	const entity *e = registry_find(reg, "countries");
	const char *cols[] = { "version", "archived", "classification", "created_at", "updated_at", "iso2", "iso3",
			       "numeric", "name_en", "name_fr", "name_es", "membership" };
	store_value v[] = { SV_INT_(1), SV_INT_(0), sv_text("public"), sv_text(now), sv_text(now), sv_text(k->iso2),
			    sv_text(k->iso3), sv_text(k->numeric), sv_text(k->name_en), sv_text(k->name_fr),
			    sv_text(k->name_es), sv_text("none") };
	int64_t id;
	if (store_insert(c, e->def->table, cols, v, 12, &id) != STORE_OK)
		return -1;
	buf changes = BUF_INIT;
	buf_puts(&changes, "{\"iso2\":{\"after\":");
	buf_json_cstr(&changes, k->iso2);
	buf_puts(&changes, "},\"source\":{\"after\":\"iso-codes\"}}");
	int rc = audit_append(c, NULL, "create", "countries", id, 1, buf_str(&changes));
	buf_free(&changes);
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
	char now[32];
	clock_now_iso(now);
	c = store_begin(s);
	int rc = c ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < list.n; i++)
		rc = insert_country(c, reg, &list.v[i], now);
	if (c && rc)
		store_rollback(c);
	else if (c && store_commit(c) != STORE_OK)
		rc = -1;
	if (rc)
		snprintf(err, errlen, "cannot load the countries into the database");
	iso_countries_free(&list);
	return rc;
}
