/*
 * persons — the people in the partner organizations: delegates, ministers,
 * heads of agencies, journalists, researchers.  Personal data: each field
 * marked PERSONAL is exported with the person and replaced on erasure.
 */
#include "domains/partners/duplicates.h"
#include "domains/partners/partners.h"

static const char *const columns[] = { "family_name", "given_name", "position", "organization", "country", NULL };
static const char *const bases[] = { "consent", "contract", "legal_obligation", "vital_interest", "public_task",
				     "legitimate_interest", NULL };
static const char *const basis_labels[] = { N_("Consent"), N_("Contract"), N_("Legal obligation"), N_("Vital interest"),
					   N_("Public task"), N_("Legitimate interest"), NULL };

static const field_def fields[] = {
	{ "honorific", F_TEXT, PERSONAL, .max = 40, .label = N_("Honorific") },
	{ "given_name", F_TEXT, SEARCHED | TITLE | PERSONAL | MATCHED, .max = 100, .label = N_("Given name") },
	{ "family_name", F_TEXT, REQUIRED | SEARCHED | TITLE | PERSONAL | MATCHED, .max = 100, .label = N_("Family name") },
	{ "position", F_TEXT, SEARCHED | PERSONAL, .max = 200, .label = N_("Position") },
	{ "organization", F_REF, INDEXED | FACET | TELLS_APART, .ref = "organizations", .label = N_("Organization") },
	{ "country", F_REF, INDEXED | FACET, .ref = "countries", .ref_key = "iso2", .label = N_("Country") },
	{ "emails", F_EMAILS, PERSONAL | MATCHED, .max = 20, .label = N_("E-mail addresses") },
	{ "phones", F_LIST, PERSONAL, .max = 20, .label = N_("Telephone numbers") },
	{ "languages", F_LIST, PERSONAL, .max = 20, .label = N_("Languages") },
	{ "preferred_language", F_ENUM, 0, .values = registry_langs, .labels = registry_lang_labels, .label = N_("Preferred language") },
	{ "tags", F_LIST, SEARCHED | FACET, .max = 50, .label = N_("Tags") },
	{ "consent_basis", F_ENUM, 0, .values = bases, .labels = basis_labels, .label = N_("Legal basis") },
	{ "consent_date", F_DATE, 0, .label = N_("Consent date") },
	{ "notes", F_TEXT, SEARCHED | PERSONAL, .max = 20000, .label = N_("Notes") },
};

const entity_def persons = {
	.name = "persons", .table = "persons", .label = N_("person"),
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS,
	.org_field = "organization", .default_sort = "family_name",
	.heading = N_("Persons"), .new_label = N_("New person"), .columns = columns, .recent = 1,
	.home_changed = 1, .menu = { 2 },
	.before_create = duplicates_check,
	.after_write = duplicates_index,
	.list_links = (const page_link[]){ { "/duplicates?kind=persons", N_("Likely duplicates") }, { NULL } },
	.rederive = duplicates_rederive,
	.cards = persons_cards,
};
