/*
 * interactions — the contact log: every meeting, call, letter, note verbale
 * or visit, with whom (organizations and persons, each in a role), which
 * staff took part, and the follow-ups it left, each with an owner and a due
 * date: the department's one list of things to do, where the actions a
 * governing body's decision asks for go too.
 */
#include <inttypes.h>
#include <stdio.h>

#include "core/clock.h"
#include "domains/partners/partners.h"
#include "model/model.h"

static const char *const kinds[] = { "meeting", "call", "email", "letter", "note_verbale", "visit", "event", NULL };
static const char *const kind_labels[] = { N_("Meeting"), N_("Call"), N_("E-mail"), N_("Letter"), N_("Note verbale"),
					  N_("Visit"), N_("Event"), NULL };
static const char *const columns[] = { "subject", "date", "kind", NULL };
static const char *const follow_up_columns[] = { "task", "due_date", "owner", "status", NULL };
static const char *const parties[] = { "organizations", "persons", NULL };
static const char *const staff[] = { "users", NULL };

static const field_def fields[] = {
	{ "date", F_DATE, REQUIRED | INDEXED | TODAY, .label = N_("Date") },
	{ "kind", F_ENUM, REQUIRED | INDEXED, .values = kinds, .labels = kind_labels, .label = N_("Kind") },
	{ "subject", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Subject") },
	{ "summary", F_TEXT, SEARCHED, .max = 20000, .label = N_("Summary") },
	{ "participants", F_LINKS, 0, .link_kinds = parties, .label = N_("Participants") },
	{ "staff", F_LINKS, 0, .link_kinds = staff, .label = N_("Staff") },
	{ "tags", F_LIST, SEARCHED | FACET, .max = 50, .label = N_("Tags") },
};

const entity_def interactions = {
	.name = "interactions", .table = "interactions", .label = N_("interaction"),
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "-date", .dated = "date",
	.heading = N_("Interactions"), .new_label = N_("Record an interaction"), .columns = columns,
	.home = &(const home_list){ N_("Recent interactions"), N_("No interactions yet."), "date", .newest_first = 1 },
	.menu = { 4 },
};

static const char *const states[] = { "open", "done", "cancelled", NULL };
static const char *const state_labels[] = { NC_("follow-up", "Open"), NC_("follow-up", "Done"),
					     NC_("follow-up", "Cancelled"), NULL };

static const field_def follow_up_fields[] = {
	{ "interaction", F_REF, INDEXED, .ref = "interactions", .label = N_("Interaction") },
	{ "decision", F_REF, INDEXED, .ref = "decisions", .label = N_("Decision"),
	  .hint = N_("The decision or resolution of a governing body this action follows up, if any.") },
	{ "task", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 1000, .label = N_("Task") },
	{ "owner", F_REF, REQUIRED | INDEXED, .ref = "users", .label = N_("Owner") },
	{ "due_date", F_DATE, REQUIRED | INDEXED, .label = N_("Due date") },
	{ "status", F_ENUM, REQUIRED | INDEXED, .values = states, .labels = state_labels, .label = N_("Status"),
	  .initial = "open" },
};

/* The reader's open follow-ups, and those of them due today or before: the
 * conditions of the list the home page links to (owner, status) and its date. */
static int follow_ups_count(model_ctx *m, const entity *e, int due, int64_t *n)
{
	char now[32], me[24];
	clock_now_iso(now);
	snprintf(me, sizeof me, "%" PRId64, m->u->id);
	const char *names[] = { "owner", "status" }, *values[] = { me, "open" };
	store_cond w[] = { COND("due_date", OP_LT, sv_text(now)) };   /* a date is before its own day's times */
	list_params lp = { names, values, 2, .extra = w, .nextra = due };
	return model_count(m, e, &lp, 0, n);
}

static int my_open(model_ctx *m, const entity *e, int64_t *n) { return follow_ups_count(m, e, 0, n); }
static int my_due(model_ctx *m, const entity *e, int64_t *n) { return follow_ups_count(m, e, 1, n); }

static const home_count follow_up_counts[] = {
	{ N_("My open follow-ups"), "/follow-ups?owner={me}&status=open", NULL, my_open },
	{ N_("My follow-ups due"), "/follow-ups?owner={me}&status=open", "waiting", my_due },
	{ NULL },
};

const entity_def follow_ups = {
	.name = "follow-ups", .table = "follow_ups", .label = N_("follow-up"),
	.fields = follow_up_fields, .nfields = COUNT(follow_up_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "due_date",
	.heading = N_("Follow-ups"), .new_label = N_("New follow-up"), .columns = follow_up_columns,
	.home = &(const home_list){ N_("My follow-ups"), N_("Nothing due."), "due_date", .owner_field = "owner",
				    .field = "status", .value = "open" },
	.home_counts = follow_up_counts,
	.menu = { 5 },
};
