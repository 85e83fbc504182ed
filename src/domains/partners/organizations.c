/*
 * organizations — governments, missions, IGOs, UN entities, civil society,
 * donors, media, parliaments, cities: every body the department deals with.
 */
#include <string.h>

#include "domains/partners/duplicates.h"
#include "domains/partners/partners.h"

const char *const org_types[] = {
	"government", "permanent_mission", "igo", "un_entity", "cso", "private_sector", "academia", "media",
	"donor_agency", "foundation", "parliament", "local_authority", "rcp_secretariat", "other", NULL,
};
const char *const org_type_labels[] = {
	N_("Government"), N_("Permanent mission"), N_("Intergovernmental organization"), N_("UN entity"),
	N_("Civil society organization"), N_("Private sector"), N_("Academia"), N_("Media outlet"), N_("Donor agency"),
	N_("Foundation"), N_("Parliament"), N_("Local authority"), N_("RCP secretariat"), N_("Other"), NULL,
};
static const char *const columns[] = { "name", "acronym", "type", "country", NULL };
/* Lists filtered on both a type and a country, in name order. */
static const char *const indexes[] = { "type,country,name", NULL };

static const field_def fields[] = {
	{ "name", F_LANGTEXT, REQUIRED | SEARCHED | TITLE | MATCHED, .max = 300, .label = N_("Name") },
	{ "acronym", F_TEXT, SEARCHED | INDEXED | ACRONYM, .max = 32, .label = N_("Acronym"),
	  .weight = 5 },  /* who types an acronym means the organization, not a note that cites it */
	{ "type", F_ENUM, REQUIRED | INDEXED, .values = org_types, .labels = org_type_labels, .label = N_("Type") },
	{ "country", F_REF, INDEXED | FACET | TELLS_APART, .ref = "countries", .ref_key = "iso2", .label = N_("Country") },
	{ "parent", F_REF, 0, .ref = "organizations", .label = N_("Parent organization") },
	{ "website", F_URL, 0, .max = 500, .label = N_("Website") },
	{ "emails", F_EMAILS, MATCHED, .max = 20, .label = N_("E-mail addresses") },
	{ "phones", F_LIST, 0, .max = 20, .label = N_("Telephone numbers") },
	{ "address", F_TEXT, 0, .max = 1000, .label = N_("Address") },
	{ "tags", F_LIST, SEARCHED | FACET, .max = 50, .label = N_("Tags") },
	{ "notes", F_TEXT, SEARCHED, .max = 20000, .label = N_("Notes") },
};

static int no_self_parent(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const store_value *parent = record_field(r, "parent");
	if (r->v[COL_ID].type == SV_INT && parent->type == SV_INT && parent->i == r->v[COL_ID].i)
		model_field_error(m, "parent", N_("an organization cannot be its own parent"));
	return 0;
}

const entity_def organizations = {
	.name = "organizations", .table = "organizations", .label = N_("organization"),
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS,
	.self_org = 1, .default_sort = "name",
	.heading = N_("Organizations"), .new_label = N_("New organization"), .columns = columns, .recent = 1,
	.home_changed = 1, .menu = { 1 },
	.indexes = indexes,
	.validate = no_self_parent,
	.before_create = duplicates_check,
	.after_write = duplicates_index,
	.list_links = (const page_link[]){ { "/duplicates?kind=organizations", N_("Likely duplicates") }, { NULL } },
	.rederive = duplicates_rederive,
};

/* A Member State's own: a government or permanent mission whose country is a member. */
int partners_member_state(model_ctx *m, int64_t org_id)
{
	store_conn *c = store_reader(m->st);
	record org, country;
	const char *type, *iso2;
	if (!c || model_fetch(m, c, registry_find(m->reg, "organizations"), org_id, &org) != 1)
		return 0;
	type = record_text(&org, "type");
	iso2 = record_text(&org, "country");
	if (!type || !iso2 || (strcmp(type, "government") && strcmp(type, "permanent_mission")))
		return 0;
	if (model_fetch_where(m, c, registry_find(m->reg, "countries"), "iso2", sv_text(iso2), &country) != 1)
		return 0;
	const char *membership = record_text(&country, "membership");
	return membership && strcmp(membership, "member") == 0;
}
