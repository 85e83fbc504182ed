/*
 * entities — the meetings tracker's kinds of record, described once:
 * meetings, the rules that say which matter (meeting-priority-rules), and
 * the organization's representations at them.
 */
#include <string.h>

#include "core/clock.h"
#include "domains/meetings/meetings.h"
#include "model/model.h"

const char *const meeting_levels[] = { "ministerial", "senior_officials", "technical", "expert", NULL };
const char *const meeting_level_labels[] = { N_("Ministerial"), N_("Senior officials"), N_("Technical"), N_("Expert"), NULL };
const char *const meeting_priorities[] = { "high", "medium", "low", NULL };
const char *const meeting_priority_labels[] = { NC_("priority", "High"), NC_("priority", "Medium"), NC_("priority", "Low"),
						NULL };

/* What the organizers say of their meeting: it happens, its dates are put off, or it is called off. */
static const char *const meeting_states[] = { "planned", "postponed", "cancelled", NULL };
static const char *const meeting_state_labels[] = { NC_("meeting", "Planned"), NC_("meeting", "Postponed"),
						    NC_("meeting", "Cancelled"), NULL };

const system_role alerts_role = { ROLE_ALERTS, "alerts", SEES_ALL };

/* Every item of the list field is a country's ISO code ("PH"), as the countries hold them. */
static void known_countries(model_ctx *m, store_conn *c, const record *r, const char *field)
{
	json_t *codes = json_loads(record_text(r, field) ? record_text(r, field) : "[]", 0, NULL), *code;
	size_t i;
	json_array_foreach(codes, i, code) {
		store_cond w = COND_EQ("iso2", sv_text(json_string_value(code) ? json_string_value(code) : ""));
		int64_t n = 0;
		if (store_count(c, "countries", &w, 1, &n) != STORE_OK || n == 0)
			model_field_error(m, arena_printf(&m->a, "%s[%zu]", field, i), N_("is not a country's ISO code, such as PH"));
	}
	json_decref(codes);
}

/* ---- meetings ---------------------------------------------------------------------------- */

static const field_def meeting_fields[] = {
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Title") },
	{ "organizer", F_REF, INDEXED | FACET, .ref = "organizations", .label = N_("Organizer") },
	{ "starts_on", F_DATE, REQUIRED | INDEXED, .label = N_("First day") },
	{ "ends_on", F_DATE, 0, .label = N_("Last day"), .hint = N_("Empty for a meeting of one day.") },
	{ "place", F_TEXT, SEARCHED, .max = 300, .label = N_("Place") },
	{ "virtual", F_BOOL, 0, .label = N_("Virtual") },
	{ "level", F_ENUM, INDEXED | FACET, .values = meeting_levels, .labels = meeting_level_labels, .label = N_("Level") },
	{ "topics", F_LIST, SEARCHED | FACET, .max = 30, .label = N_("Topics") },
	{ "member_states", F_LIST, FACET, .max = 200, .label = N_("Member States involved"),
	  .hint = N_("Their ISO codes, one per line, such as PH or MX.") },
	{ "invitation_received", F_DATE, 0, .label = N_("Invitation received on") },
	{ "invitation", F_TEXT, SEARCHED, .max = 20000, .label = N_("Invitation") },
	{ "owner", F_REF, INDEXED, .ref = "users", .label = N_("Followed by"),
	  .hint = N_("Who hears of a gap in representation; the record's creator when empty.") },
	{ "priority", F_ENUM, READONLY | INDEXED, .values = meeting_priorities, .labels = meeting_priority_labels,
	  .label = N_("Priority") },
	{ "priority_score", F_INT, READONLY, .label = N_("Priority score") },
	/* the rules that matched, as facts (JSON), from which the page says it in the reader's language */
	{ "priority_facts", F_TEXT, READONLY | UNSHOWN, .max = 20000, .label = N_("Priority explanation") },
	{ "priority_override", F_ENUM, 0, .values = meeting_priorities, .labels = meeting_priority_labels,
	  .label = N_("Priority set by hand"), .hint = N_("Takes the place of the score's; say why below.") },
	{ "override_reason", F_TEXT, 0, .max = 2000, .label = N_("Reason for the priority set by hand") },
	{ "status", F_ENUM, INDEXED, .values = meeting_states, .labels = meeting_state_labels, .label = N_("Status"),
	  .initial = "planned", .hint = N_("A postponed or cancelled meeting raises no alert.") },
	{ "gap_alerted_at", F_TIME, READONLY, .label = N_("Representation alert sent") },
};
static const char *const meeting_columns[] = { "title", "starts_on", "level", "priority", "organizer", NULL };

static int meeting_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	const char *starts = record_text(r, "starts_on"), *ends = record_text(r, "ends_on");
	if (starts && ends && strcmp(ends, starts) < 0)
		model_field_error(m, "ends_on", N_("is before the first day"));
	int overridden = record_text(r, "priority_override") != NULL;
	const char *reason = record_text(r, "override_reason");
	if (overridden && (!reason || !reason[strspn(reason, " \t\r\n")]))
		model_field_error(m, "override_reason", N_("is required when the priority is set by hand"));
	known_countries(m, c, r, "member_states");
	if (m->nerrors)
		return -1;
	return meetings_score(m, c, r);
}

const entity_def meetings = {
	.name = "meetings", .table = "meetings", .label = N_("meeting"),
	.fields = meeting_fields, .nfields = COUNT(meeting_fields),
	.read = WHO_STAFF | WHO_ALERTS, .write = WHO_EDITORS,
	.default_sort = "starts_on", .validate = meeting_rules,
	.heading = N_("International meetings"), .new_label = N_("New meeting"), .columns = meeting_columns,
	.menu = { 10 }, .home_counts = meeting_counts, .views = meeting_views, .dated = "starts_on",
};

/* ---- the rules of priority --------------------------------------------------------------- */

static const field_def rule_fields[] = {
	{ "name", F_TEXT, REQUIRED | TITLE, .max = 200, .label = N_("Name") },
	{ "active", F_BOOL, 0, .label = N_("Active"), .hint = N_("An inactive rule counts for nothing.") },
	{ "level", F_ENUM, 0, .values = meeting_levels, .labels = meeting_level_labels, .label = N_("When the level is") },
	{ "topics", F_LIST, 0, .max = 50, .label = N_("When a topic is one of"),
	  .hint = N_("The organization's strategic topics, one per line.") },
	{ "member_states", F_LIST, 0, .max = 200, .label = N_("When one of these Member States takes part"),
	  .hint = N_("Their ISO codes, one per line, such as PH or MX.") },
	{ "organizer", F_REF, 0, .ref = "organizations", .label = N_("When the organizer is") },
	{ "points", F_INT, REQUIRED, .min_int = -1000, .max_int = 1000, .label = N_("Points"),
	  .hint = N_("Added to the score of every meeting that meets all the rule's conditions.") },
};
static const char *const rule_columns[] = { "name", "points", "level", "active", NULL };

static int rule_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	known_countries(m, c, r, "member_states");
	if (m->nerrors)
		return -1;
	static const char *const conditions[] = { "level", "topics", "member_states", "organizer" };
	for (size_t i = 0; i < COUNT(conditions); i++) {
		const store_value *v = record_field(r, conditions[i]);
		if (v->type == SV_INT || (v->type == SV_TEXT && strcmp(v->s, "[]") != 0))
			return 0;
	}
	model_field_error(m, "level", N_("a rule needs at least one condition: a level, topics, Member States or an organizer"));
	return -1;
}

const entity_def meeting_priority_rules = {
	.name = "meeting-priority-rules", .table = "meeting_priority_rules", .label = N_("priority rule"),
	.fields = rule_fields, .nfields = COUNT(rule_fields),
	.read = WHO_STAFF | WHO_ALERTS, .write = WHO_ADMIN,
	.default_sort = "name", .validate = rule_rules, .after_write = meetings_rescore_all,
	.heading = N_("Meeting priority rules"), .new_label = N_("New priority rule"), .columns = rule_columns,
};

/* ---- representations --------------------------------------------------------------------- */

static const char *const representation_states[] = { "proposed", "confirmed", "attended", "reported", "cancelled", NULL };
static const char *const representation_state_labels[] = {
	NC_("representation", "Proposed"), NC_("representation", "Confirmed"), NC_("representation", "Attended"),
	NC_("representation", "Reported"), NC_("representation", "Cancelled"), NULL,
};

static const field_def representation_fields[] = {
	{ "meeting", F_REF, REQUIRED | INDEXED, .ref = "meetings", .label = N_("Meeting") },
	{ "who", F_REF, REQUIRED | INDEXED, .ref = "users", .label = N_("Representative") },
	{ "level", F_ENUM, 0, .values = meeting_levels, .labels = meeting_level_labels, .label = N_("Level of representation") },
	{ "status", F_ENUM, INDEXED, .values = representation_states, .labels = representation_state_labels,
	  .label = N_("Status") },
	{ "report", F_TEXT, SEARCHED, .max = 50000, .label = N_("Report") },
	{ "report_due", F_DATE, INDEXED, .label = N_("Report due"),
	  .hint = N_("Set when the meeting is attended, from its last day, when empty.") },
	{ "confirmed_at", F_TIME, READONLY, .label = N_("Confirmed on") },
	{ "attended_at", F_TIME, READONLY, .label = N_("Marked as attended") },
	{ "reported_at", F_TIME, READONLY, .label = N_("Reported on") },
	{ "cancelled_at", F_TIME, READONLY, .label = N_("Cancelled on") },
	{ "report_alerted_at", F_TIME, READONLY, .label = N_("Report reminder sent") },
	/* the representative's name, kept so that lists and links name a representation by who goes */
	{ "name", F_TEXT, READONLY | TITLE | UNSHOWN, .max = 100, .label = N_("Representative") },
};

/* Proposed, confirmed, attended, then reported; cancelled until attended.
 * Attended and reported do not go back: a mistake is corrected by hand. */
static const char *const representation_starts[] = { "proposed", "confirmed", NULL };
static const transition representation_moves[] = {
	{ "proposed", "confirmed" }, { "confirmed", "attended" }, { "attended", "reported" },
	{ "proposed", "cancelled" }, { "confirmed", "cancelled" },
};
static const char *const with_report[] = { "report", NULL };
static const state_rule representation_rules[] = {
	{ "confirmed", NULL, "confirmed_at" }, { "attended", NULL, "attended_at" },
	{ "reported", with_report, "reported_at" }, { "cancelled", NULL, "cancelled_at" }, { NULL },
};

/* On entering attended: the report is due report_days after the meeting's last day. */
static int representation_moved(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	const char *status = record_text(r, "status");
	store_value *due = record_field(r, "report_due");
	if (!status || strcmp(status, "attended") != 0 || due->type != SV_NULL)
		return 0;
	record meeting;
	if (model_load(m, c, registry_find(m->reg, "meetings"), record_field(r, "meeting")->i, &meeting))
		return -1;
	const char *last = record_text(&meeting, "ends_on");
	char day[11];
	if (clock_add_days(last ? last : record_text(&meeting, "starts_on"), meetings_settings()->report_days, day) == 0)
		*due = sv_text(arena_strdup(&m->a, day));
	return 0;
}

static const workflow representation_workflow = {
	.field = "status", .starts = representation_starts, .moves = representation_moves,
	.nmoves = COUNT(representation_moves), .rules = representation_rules, .on_move = representation_moved,
};
static const char *const representation_columns[] = { "name", "meeting", "level", "status", "report_due", NULL };

/* The title follows the representative. */
static int representation_named(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record who;
	if (model_load(m, c, registry_find(m->reg, "users"), record_field(r, "who")->i, &who))
		return -1;
	*record_field(r, "name") = sv_text(record_text(&who, "name"));
	return 0;
}

/* Read by who reads the meeting; the representative may write their own (the report). */
const entity_def representations = {
	.name = "representations", .table = "representations", .label = N_("representation"),
	.fields = representation_fields, .nfields = COUNT(representation_fields),
	.read = WHO_STAFF | WHO_ALERTS, .write = WHO_EDITORS, .parent = "meeting", .assignee = "who",
	.default_sort = "-created_at", .validate = representation_named,
	.heading = N_("Representations"), .new_label = N_("New representation"), .columns = representation_columns,
	.menu = { 11 }, .workflow = &representation_workflow, .home_counts = representation_counts,
	.views = representation_views,
};
