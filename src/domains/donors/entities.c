/*
 * entities — the donors' side and the programmes' side: a donor's profile
 * (what it funds, when, how it wants to be reported to), the programmes
 * that need funding, and the appeals that ask for it, with what each
 * appeal requires and to whom it was submitted.
 */
#include <string.h>

#include "domains/donors/donors.h"

/* ---- donor profiles --------------------------------------------------------------------- */

static const char *const donor_types[] = { "government", "agency", "multilateral", "foundation", "company", "other", NULL };
static const char *const donor_type_labels[] = { N_("Government"), N_("Donor agency"), N_("Multilateral fund"),
						 N_("Foundation"), N_("Company"), N_("Other donor"), NULL };

#define WEIGHTS_HINT N_("One per line, each with its weight from 1 to 5: 15190 5.")

static const field_def profile_fields[] = {
	{ "organization", F_REF, REQUIRED | UNIQUE | INDEXED, .ref = "organizations", .label = N_("Donor") },
	/* the organization's name, kept so that lists and links name a profile by its donor */
	{ "name", F_LANGTEXT, READONLY | TITLE | SEARCHED | UNSHOWN, .max = 300, .label = N_("Donor") },
	{ "donor_type", F_ENUM, REQUIRED | INDEXED | FACET, .values = donor_types, .labels = donor_type_labels,
	  .label = N_("Type of donor") },
	{ "priority_sectors", F_LIST, SEARCHED, .max = 60, .label = N_("Priority sectors"),
	  .hint = N_("DAC 5-digit sector codes, one per line, each with its weight from 1 to 5: 15190 5.") },
	{ "priority_countries", F_LIST, 0, .max = 200, .label = N_("Priority countries"),
	  .hint = N_("ISO codes, one per line, each with its weight from 1 to 5: PH 3.") },
	{ "priority_regions", F_LIST, 0, .max = 40, .label = N_("Priority regions"),
	  .hint = N_("DAC region codes, one per line, each with its weight from 1 to 5: 298 2.") },
	{ "priority_themes", F_LIST, SEARCHED, .max = 40, .label = N_("Priority themes"), .hint = WEIGHTS_HINT },
	{ "sdg_targets", F_LIST, 0, .max = 40, .label = N_("SDG targets"),
	  .hint = N_("One per line, such as 10.7.") },
	{ "funding_cycle", F_TEXT, 0, .max = 1000, .label = N_("Funding cycle"),
	  .hint = N_("Its fiscal year and when it decides, such as April to March, proposals by 30 September.") },
	{ "funding_windows", F_TEXT, 0, .max = 2000, .label = N_("Funding windows") },
	{ "reporting_requirements", F_TEXT, SEARCHED, .max = 4000, .label = N_("Reporting requirements") },
	{ "languages", F_LIST, 0, .max = 10, .label = N_("Preferred languages"),
	  .hint = N_("Their codes, one per line, such as en or fr.") },
	{ "focal_point", F_REF, INDEXED, .ref = "persons", .label = N_("Focal point") },
	{ "owner", F_REF, INDEXED, .ref = "users", .label = N_("Followed by") },
};
static const char *const profile_columns[] = { "name", "donor_type", "owner", NULL };

static int profile_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	weights_check(m, c, r, "priority_sectors", CODE_SECTOR);
	weights_check(m, c, r, "priority_countries", CODE_COUNTRY);
	weights_check(m, c, r, "priority_regions", CODE_REGION);
	weights_check(m, c, r, "priority_themes", CODE_THEME);
	weights_check(m, c, r, "sdg_targets", CODE_SDG);
	record org;
	if (m->nerrors || model_fetch_ref(m, c, r, "organization", &org) <= 0)
		return m->nerrors ? -1 : 0;
	for (int l = 0; l < NLANGS; l++) {
		const char *lang = registry_langs[l];
		char col[16];
		snprintf(col, sizeof col, "name_%s", lang);
		*record_field(r, col) = *record_field(&org, col);
	}
	return 0;
}

/* The department's own knowledge of a donor: staff read it, a donor's partners do not. */
const entity_def donor_profiles = {
	.name = "donor-profiles", .table = "donor_profiles", .label = N_("donor profile"),
	.fields = profile_fields, .nfields = COUNT(profile_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "name", .validate = profile_rules,
	.heading = N_("Donors"), .new_label = N_("New donor profile"), .columns = profile_columns, .menu = { 30 },
};

/* ---- programmes ------------------------------------------------------------------------- */

static const char *const programme_states[] = { "pipeline", "active", "closed", NULL };
static const char *const programme_state_labels[] = { NC_("programme", "Pipeline"), NC_("programme", "Active"),
						      NC_("programme", "Closed"), NULL };

static const field_def programme_fields[] = {
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Title") },
	{ "description", F_LANGTEXT, SEARCHED, .max = 8000, .label = N_("Description") },
	{ "code", F_TEXT, UNIQUE | SEARCHED, .max = 40, .label = N_("Programme code"), .sample = "PRG-{n}" },
	{ "iati_identifier", F_TEXT, UNIQUE, .max = 150, .label = N_("IATI identifier"),
	  .hint = N_("The activity's identifier in IATI files, such as XM-DAC-47066-PRG-1.") },
	{ "status", F_ENUM, INDEXED | FACET, .values = programme_states, .labels = programme_state_labels,
	  .label = N_("Status") },
	{ "countries", F_LIST, 0, .max = 100, .label = N_("Countries"),
	  .hint = N_("ISO codes, one per line, each with its share of the programme in percent: PH 60.") },
	{ "sectors", F_LIST, 0, .max = 30, .label = N_("Sectors"),
	  .hint = N_("DAC 5-digit sector codes, one per line, each with its share in percent: 15190 60.") },
	{ "themes", F_LIST, SEARCHED | FACET, .max = 30, .label = N_("Themes") },
	{ "starts_on", F_DATE, INDEXED, .label = N_("Starts on") },
	{ "ends_on", F_DATE, 0, .label = N_("Ends on") },
	{ "budget", F_MONEY, 0, .label = N_("Budget") },
	{ "office", F_TEXT, SEARCHED, .max = 200, .label = N_("Implementing office") },
	{ "manager", F_REF, INDEXED, .ref = "users", .label = N_("Programme manager") },
	{ "activated_at", F_TIME, READONLY, .label = N_("Active since") },
	{ "closed_at", F_TIME, READONLY, .label = N_("Closed on") },
};
static const char *const programme_columns[] = { "title", "code", "status", "starts_on", "budget", NULL };

/* In the pipeline until funded and started, active, then closed; a
 * pipeline programme that never starts is closed too. */
static const char *const programme_starts[] = { "pipeline", "active", NULL };
static const transition programme_moves[] = { { "pipeline", "active" }, { "active", "closed" }, { "pipeline", "closed" } };
static const char *const active_needs[] = { "budget", "starts_on", NULL };
static const state_rule programme_rules_by_state[] = {
	{ "active", active_needs, "activated_at" }, { "closed", NULL, "closed_at" }, { NULL },
};
static const workflow programme_workflow = {
	.field = "status", .starts = programme_starts, .moves = programme_moves, .nmoves = COUNT(programme_moves),
	.rules = programme_rules_by_state,
};

static int dates_in_order(model_ctx *m, const record *r, const char *first, const char *last)
{
	const char *a = record_text(r, first), *b = record_text(r, last);
	if (a && b && strcmp(b, a) < 0)
		model_field_error(m, last, N_("is before the first day"));
	return 0;
}

static int programme_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	dates_in_order(m, r, "starts_on", "ends_on");
	shares_check(m, c, r, "countries", CODE_COUNTRY);
	shares_check(m, c, r, "sectors", CODE_SECTOR);
	const store_value *budget = record_field(r, "budget");
	if (budget->type == SV_INT && budget->i < 0)
		model_field_error(m, "budget", N_("is below zero"));
	return m->nerrors ? -1 : 0;
}

const entity_def programmes = {
	.name = "programmes", .table = "programmes", .label = N_("programme"),
	.fields = programme_fields, .nfields = COUNT(programme_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS,
	.default_sort = "starts_on", .validate = programme_rules, .workflow = &programme_workflow,
	.heading = N_("Programmes"), .new_label = N_("New programme"), .columns = programme_columns, .menu = { 31 },
};

/* ---- appeals ---------------------------------------------------------------------------- */

static const char *const appeal_kinds[] = { "annual", "crisis", NULL };
static const char *const appeal_kind_labels[] = { N_("Annual appeal"), N_("Crisis appeal"), NULL };
static const char *const appeal_states[] = { "draft", "launched", "closed", NULL };
static const char *const appeal_state_labels[] = { NC_("appeal", "Draft"), NC_("appeal", "Launched"),
						   NC_("appeal", "Closed"), NULL };

static const field_def appeal_fields[] = {
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Title") },
	{ "appeal_type", F_ENUM, REQUIRED | INDEXED | FACET, .values = appeal_kinds, .labels = appeal_kind_labels,
	  .label = N_("Kind of appeal") },
	{ "year", F_INT, REQUIRED | INDEXED, .min_int = 1990, .max_int = 2100, .label = N_("Year") },
	{ "summary", F_LANGTEXT, SEARCHED, .max = 8000, .label = N_("Summary") },
	{ "status", F_ENUM, INDEXED, .values = appeal_states, .labels = appeal_state_labels, .label = N_("Status") },
	{ "launched_at", F_TIME, READONLY, .label = N_("Launched on") },
};
static const char *const appeal_columns[] = { "title", "appeal_type", "year", "status", NULL };
static const char *const appeal_starts[] = { "draft", NULL };
static const transition appeal_moves[] = { { "draft", "launched" }, { "launched", "closed" } };
static const state_rule appeal_rules_by_state[] = { { "launched", NULL, "launched_at" }, { NULL } };
static const workflow appeal_workflow = {
	.field = "status", .starts = appeal_starts, .moves = appeal_moves, .nmoves = COUNT(appeal_moves),
	.rules = appeal_rules_by_state,
};

const entity_def appeals = {
	.name = "appeals", .table = "appeals", .label = N_("appeal"),
	.fields = appeal_fields, .nfields = COUNT(appeal_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .default_sort = "-year", .workflow = &appeal_workflow,
	.heading = N_("Appeals"), .new_label = N_("New appeal"), .columns = appeal_columns, .menu = { 32 },
};

static const field_def requirement_fields[] = {
	{ "appeal", F_REF, REQUIRED | INDEXED, .ref = "appeals", .label = N_("Appeal") },
	{ "programme", F_REF, INDEXED, .ref = "programmes", .label = N_("Programme") },
	{ "country", F_REF, INDEXED | FACET, .ref = "countries", .ref_key = "iso2", .label = N_("Country") },
	{ "amount", F_MONEY, REQUIRED, .label = N_("Requirement") },
	{ "note", F_TEXT, 0, .max = 2000, .label = N_("Note") },
};
static const char *const requirement_columns[] = { "programme", "country", "amount", NULL };

static int requirement_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	if (record_field(r, "programme")->type == SV_NULL && record_field(r, "country")->type == SV_NULL)
		model_field_error(m, "programme", N_("a requirement is of a programme, a country, or both"));
	const store_value *amount = record_field(r, "amount");
	if (amount->type == SV_INT && amount->i <= 0)
		model_field_error(m, "amount", N_("is not above zero"));
	return m->nerrors ? -1 : 0;
}

/* What an appeal asks for, per programme and country: read and written by who reads and writes the appeal. */
const entity_def appeal_requirements = {
	.name = "appeal-requirements", .table = "appeal_requirements", .label = N_("requirement"),
	.fields = requirement_fields, .nfields = COUNT(requirement_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .parent = "appeal", .validate = requirement_rules,
	.heading = N_("Requirements"), .new_label = N_("New requirement"), .columns = requirement_columns,
};

static const char *const outcomes[] = { "pending", "funded", "partly_funded", "declined", NULL };
static const char *const outcome_labels[] = { NC_("outcome", "Pending"), NC_("outcome", "Funded"),
					      NC_("outcome", "Partly funded"), NC_("outcome", "Declined"), NULL };

static const field_def submission_fields[] = {
	{ "appeal", F_REF, REQUIRED | INDEXED, .ref = "appeals", .label = N_("Appeal") },
	{ "donor", F_REF, REQUIRED | INDEXED, .ref = "organizations", .label = N_("Donor") },
	{ "submitted_on", F_DATE, REQUIRED | TODAY, .label = N_("Submitted on") },
	{ "outcome", F_ENUM, INDEXED | FACET, .values = outcomes, .labels = outcome_labels, .initial = "pending",
	  .label = N_("Outcome") },
	{ "pledge", F_REF, 0, .ref = "pledges", .label = N_("Pledge that came of it") },
	{ "note", F_TEXT, 0, .max = 4000, .label = N_("Note") },
};
static const char *const submission_columns[] = { "donor", "submitted_on", "outcome", NULL };

/* An appeal as sent to a donor, and what came of it. */
const entity_def appeal_submissions = {
	.name = "appeal-submissions", .table = "appeal_submissions", .label = N_("submission"),
	.fields = submission_fields, .nfields = COUNT(submission_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .parent = "appeal", .default_sort = "-submitted_on",
	.heading = N_("Submissions to donors"), .new_label = N_("New submission"), .columns = submission_columns,
};
