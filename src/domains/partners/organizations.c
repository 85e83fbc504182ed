/*
 * organizations — governments, missions, IGOs, UN entities, civil society,
 * donors, media, parliaments, cities: every body the department deals with.
 */
#include "domains/partners/duplicates.h"
#include "domains/partners/partners.h"

static const char *const org_types[] = {
	"government", "permanent_mission", "igo", "un_entity", "cso", "private_sector", "academia", "media",
	"donor_agency", "foundation", "parliament", "local_authority", "rcp_secretariat", "other", NULL,
};

static const field_def fields[] = {
	{ "name", F_LANGTEXT, REQUIRED | SEARCHED | TITLE | MATCHED, .max = 300 },
	{ "acronym", F_TEXT, SEARCHED | INDEXED | ACRONYM, .max = 32 },
	{ "type", F_ENUM, REQUIRED | INDEXED, .values = org_types },
	{ "country", F_REF, INDEXED, .ref = "countries", .ref_key = "iso2" },
	{ "parent", F_REF, 0, .ref = "organizations" },
	{ "website", F_URL, 0, .max = 500 },
	{ "emails", F_EMAILS, MATCHED, .max = 20 },
	{ "phones", F_LIST, 0, .max = 20 },
	{ "address", F_TEXT, 0, .max = 1000 },
	{ "tags", F_LIST, SEARCHED, .max = 50 },
	{ "notes", F_TEXT, SEARCHED, .max = 20000 },
};

static int no_self_parent(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	int col = entity_column(e, "parent");
	if (r->v[COL_ID].type == SV_INT && r->v[col].type == SV_INT && r->v[col].i == r->v[COL_ID].i)
		model_field_error(m, "parent", "an organization cannot be its own parent");
	return 0;
}

const entity_def organizations = {
	.name = "organizations", .table = "organizations", .label = "organization",
	.fields = fields, .nfields = COUNT(fields),
	.read = ACCESS_ACCOUNT, .write = ACCESS_EDITORS,
	.self_org = 1, .default_sort = "name",
	.validate = no_self_parent,
	.before_create = duplicates_check,
	.after_write = duplicates_index,
};
