/*
 * deadlines — the reports each agreement asks for: interim and final,
 * narrative and financial, and the audit, each with its date, owner and
 * state, and the list of those overdue that the home page counts.
 *
 *   /reporting-deadlines?view=overdue       due before today, not submitted
 *   /reporting-deadlines?view=due-soon      due from today within 30 days, not submitted
 *   /reporting-deadlines?view=reminder-due  due from today within the reminders' days
 *                                           (donors.reminder_days, 14), not submitted
 *
 * The last two views are what the reminders (reminders.c) mail about.
 */
#include <string.h>

#include "core/clock.h"
#include "domains/donors/donors.h"
#include "model/i18n.h"
#include "model/today.h"

#define SOON_DAYS 30

static const char *const deliverables[] = { "interim_narrative", "interim_financial", "final_narrative",
					    "final_financial", "audit", NULL };
static const char *const deliverable_labels[] = { N_("Interim narrative report"), N_("Interim financial report"),
						  N_("Final narrative report"), N_("Final financial report"),
						  N_("Audit report"), NULL };
static const char *const deadline_states[] = { "due", "submitted", "accepted", "returned", NULL };
static const char *const deadline_state_labels[] = { NC_("report", "Due"), NC_("report", "Submitted"),
						     NC_("report", "Accepted"), NC_("report", "Returned for changes"), NULL };

static const field_def deadline_fields[] = {
	{ "pledge", F_REF, REQUIRED | INDEXED, .ref = "pledges", .label = N_("Agreement") },
	{ "deliverable", F_ENUM, REQUIRED | INDEXED | FACET, .values = deliverables, .labels = deliverable_labels,
	  .label = N_("Report") },
	{ "due_on", F_DATE, REQUIRED | INDEXED, .label = N_("Due on") },
	{ "owner", F_REF, INDEXED, .ref = "users", .label = N_("Responsible") },
	{ "status", F_ENUM, INDEXED | FACET, .values = deadline_states, .labels = deadline_state_labels,
	  .label = N_("Status") },
	{ "submission", F_TEXT, SEARCHED, .max = 4000, .label = N_("Submission"),
	  .hint = N_("What was sent, how and to whom.") },
	{ "submitted_at", F_TIME, READONLY, .label = N_("Submitted on") },
	{ "accepted_at", F_TIME, READONLY, .label = N_("Accepted on") },
	/* when the reminders went (reminders.c): each once */
	{ "reminded_at", F_TIME, READONLY, .label = N_("Reminder sent") },
	{ "overdue_alerted_at", F_TIME, READONLY, .label = N_("Overdue reminder sent") },
};
static const char *const deadline_columns[] = { "deliverable", "pledge", "due_on", "owner", "status", NULL };
static const char *const deadline_indexes[] = { "status,due_on", NULL };

static const char *const deadline_starts[] = { "due", NULL };
static const transition deadline_moves[] = {
	{ "due", "submitted" }, { "submitted", "accepted" }, { "submitted", "returned" }, { "returned", "submitted" },
};
static const char *const submitted_needs[] = { "submission", NULL };
static const state_rule deadline_rules_by_state[] = {
	{ "submitted", submitted_needs, "submitted_at" }, { "accepted", NULL, "accepted_at" }, { NULL },
};
static const workflow deadline_workflow = {
	.field = "status", .starts = deadline_starts, .moves = deadline_moves, .nmoves = COUNT(deadline_moves),
	.rules = deadline_rules_by_state,
};

/* ---- the lists behind the home page's counts ---------------------------------------------- */

/* Not submitted: due, or returned for changes. */
static store_cond *open_states(model_ctx *m)
{
	store_cond *any = arena_alloc(&m->a, 3 * sizeof *any);
	any[0] = COND_EQ("status", sv_text("due"));
	any[1] = COND_EQ("status", sv_text("returned"));
	any[2] = (store_cond){ .op = OP_ANY, .sub = any, .nsub = 2 };
	return &any[2];
}

static int overdue(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	char today[11];
	today_date(today);
	w[0] = *open_states(m);
	w[1] = COND("due_on", OP_LT, sv_text(arena_strdup(&m->a, today)));
	return 2;
}

/* Not submitted, due from today to days ahead (today included). */
static int due_within(model_ctx *m, int days, store_cond *w)
{
	char today[11], until[11];
	today_date(today);
	if (clock_add_days(today, days, until))
		return model_fail(m, 500, "Date error", "today's date could not be read");
	w[0] = *open_states(m);
	w[1] = COND("due_on", OP_GE, sv_text(arena_strdup(&m->a, today)));
	w[2] = COND("due_on", OP_LE, sv_text(arena_strdup(&m->a, until)));
	return 3;
}

static int due_soon(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	return due_within(m, SOON_DAYS, w);
}

static int reminder_due(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	return due_within(m, donors_settings()->reminder_days, w);
}

const list_view deadline_views[] = {
	{ "overdue", N_("Donor reports overdue"), overdue },
	{ "due-soon", N_("Donor reports due within 30 days"), due_soon },
	{ "reminder-due", N_("Donor reports due soon enough for a reminder"), reminder_due },
	{ NULL },
};

const char *deadline_report_name(const record *deadline, int lang)
{
	const char *value = record_text(deadline, "deliverable");
	for (size_t i = 0; value && deliverables[i]; i++)
		if (strcmp(deliverables[i], value) == 0)
			return i18n_text(lang, deliverable_labels[i]);
	return value ? value : "";
}

/* For the department's staff: a donor's partners read their reports on the list. */
const home_count deadline_counts[] = {
	{ N_("Donor reports overdue"), "/reporting-deadlines?view=overdue", "overdue", .view = "overdue", .who = WHO_STAFF },
	{ N_("Donor reports due within 30 days"), "/reporting-deadlines?view=due-soon", "waiting", .view = "due-soon",
	  .who = WHO_STAFF },
	{ NULL },
};

/* A report is due after its agreement's pledge was made; an agreement written off asks for none new. */
static int deadline_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record pledge;
	if (model_fetch_ref(m, c, r, "pledge", &pledge) <= 0)
		return m->status ? -1 : 0;
	const char *due = record_text(r, "due_on"), *pledged = record_text(&pledge, "pledged_on");
	if (due && pledged && strcmp(due, pledged) < 0)
		model_field_error(m, "due_on", N_("is before the pledge was made"));
	return m->nerrors ? -1 : 0;
}

/* The reports an agreement asks for: read by who reads the pledge (the donor's own partners too,
 * and the reminders), written by who writes it. */
const entity_def reporting_deadlines = {
	.name = "reporting-deadlines", .table = "reporting_deadlines", .label = N_("reporting deadline"),
	.fields = deadline_fields, .nfields = COUNT(deadline_fields),
	.read = WHO_ACCOUNT | WHO_REMINDERS, .write = WHO_EDITORS, .parent = "pledge", .assignee = "owner",
	.default_sort = "due_on", .validate = deadline_rules, .workflow = &deadline_workflow,
	.indexes = deadline_indexes, .views = deadline_views, .home_counts = deadline_counts,
	.heading = N_("Reporting deadlines"), .new_label = N_("New reporting deadline"), .columns = deadline_columns,
	.menu = { 34 }, .dated = "due_on",
};
