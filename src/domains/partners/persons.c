/*
 * persons — the people in the partner organizations: delegates, ministers,
 * heads of agencies, journalists, researchers.  Personal data: each field
 * marked PERSONAL is exported with the person and replaced on erasure.
 */
#include "domains/partners/duplicates.h"
#include "domains/partners/partners.h"

static const char *const languages[] = { "en", "fr", "es", NULL };
static const char *const bases[] = { "consent", "contract", "legal_obligation", "vital_interest", "public_task",
				     "legitimate_interest", NULL };

static const field_def fields[] = {
	{ "honorific", F_TEXT, PERSONAL, .max = 40 },
	{ "given_name", F_TEXT, SEARCHED | TITLE | PERSONAL | MATCHED, .max = 100 },
	{ "family_name", F_TEXT, REQUIRED | SEARCHED | TITLE | PERSONAL | MATCHED, .max = 100 },
	{ "position", F_TEXT, SEARCHED | PERSONAL, .max = 200 },
	{ "organization", F_REF, INDEXED, .ref = "organizations" },
	{ "country", F_REF, INDEXED, .ref = "countries", .ref_key = "iso2" },
	{ "emails", F_EMAILS, PERSONAL | MATCHED, .max = 20 },
	{ "phones", F_LIST, PERSONAL, .max = 20 },
	{ "languages", F_LIST, PERSONAL, .max = 20 },
	{ "preferred_language", F_ENUM, 0, .values = languages },
	{ "tags", F_LIST, SEARCHED, .max = 50 },
	{ "consent_basis", F_ENUM, 0, .values = bases },
	{ "consent_date", F_DATE, 0 },
	{ "notes", F_TEXT, SEARCHED | PERSONAL, .max = 20000 },
};

const entity_def persons = {
	.name = "persons", .table = "persons", .label = "person",
	.fields = fields, .nfields = COUNT(fields),
	.read = ACCESS_ACCOUNT, .write = ACCESS_EDITORS,
	.org_field = "organization", .default_sort = "family_name",
	.before_create = duplicates_check,
	.after_write = duplicates_index,
};
