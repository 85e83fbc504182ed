/*
 * entities — the governing bodies' kinds of record, described once: bodies,
 * sessions, agenda items, delegations, the speakers' list and decisions.
 * The official documents are in documents.c.
 */
#include "domains/governance/governance.h"
#include "domains/partners/partners.h"

static const char *const body_types[] = { "council", "committee", "dialogue", "consultations", "conference",
					  "working_group", NULL };
static const char *const body_type_labels[] = { N_("Council"), N_("Standing committee"), N_("Dialogue"),
						N_("Informal consultations"), N_("Ministerial conference"),
						N_("Working group"), NULL };

static const field_def body_fields[] = {
	{ "name", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 200, .label = N_("Name") },
	{ "series", F_TEXT, REQUIRED | UNIQUE, .max = 8, .label = N_("Symbol series"),
	  .hint = N_("The capital letters its documents' symbols begin with: C for the Council."), .sample = "{A}" },
	{ "type", F_ENUM, REQUIRED | INDEXED, .values = body_types, .labels = body_type_labels, .label = N_("Type") },
	{ "notice_days", F_INT, 0, .min_int = 0, .max_int = 365, .label = N_("Notice of a regular session (days)"),
	  .hint = N_("A session is convened at least this many days before it opens.") },
	{ "special_notice_days", F_INT, 0, .min_int = 0, .max_int = 365,
	  .label = N_("Notice of a special session (days)") },
	{ "documents_due_weeks", F_INT, 0, .min_int = 0, .max_int = 52, .label = N_("Documents due (weeks before)"),
	  .hint = N_("Pre-session documents are due this many weeks before the session opens.") },
};
static const char *const body_columns[] = { "name", "series", "type", NULL };

const entity_def bodies = {
	.name = "bodies", .table = "bodies", .label = N_("governing body"),
	.fields = body_fields, .nfields = COUNT(body_fields),
	.read = WHO_ACCOUNT, .write = WHO_ADMIN | ROLE_BIT(ROLE_DIRECTOR),
	.key_field = "series", .default_sort = "series", .validate = body_rules,
	.heading = N_("Governing bodies"), .new_label = N_("New governing body"), .columns = body_columns,
};

static const char *const session_states[] = { "planned", "convened", "in_session", "closed", "report_adopted", NULL };
static const char *const session_state_labels[] = { NC_("session", "Planned"), NC_("session", "Convened"),
						    NC_("session", "In session"), NC_("session", "Closed"),
						    NC_("session", "Report adopted"), NULL };

/* Who beyond staff sees a session that is not public: Member States' delegates, who register their
 * delegation to it and ask for the floor on its agenda. */
static const char *const session_audiences[] = { "member_states", "staff", NULL };
static const char *const session_audience_labels[] = { N_("Member States' delegates"), N_("Staff only"), NULL };
static const audience session_shared[] = { { "open_to", "member_states", partners_member_state }, { NULL } };

static const field_def session_fields[] = {
	{ "symbol", F_TEXT, READONLY | UNIQUE | SEARCHED | TITLE, .max = 40, .label = N_("Session") },
	{ "body", F_REF, REQUIRED | INDEXED | FACET, .ref = "bodies", .ref_key = "series", .label = N_("Body") },
	{ "number", F_TEXT, REQUIRED, .max = 12, .label = N_("Number"),
	  .hint = N_("115 for a regular session, Sp/7 for a special one."), .sample = "{n}" },
	{ "title", F_LANGTEXT, SEARCHED, .max = 300, .label = N_("Title") },
	{ "starts_on", F_DATE, REQUIRED | INDEXED, .label = N_("Opens on") },
	{ "ends_on", F_DATE, REQUIRED, .label = N_("Closes on") },
	{ "venue", F_TEXT, SEARCHED, .max = 300, .label = N_("Venue") },
	{ "virtual", F_BOOL, 0, .label = N_("Held online") },
	{ "time_zone", F_TEXT, 0, .max = 64, .label = N_("Time zone"), .sample = "Europe/Zurich",
	  .hint = N_("Where the session takes place, such as Europe/Zurich.") },
	{ "opens_at", F_TEXT, 0, .max = 5, .label = N_("Opening time"), .sample = "10:00",
	  .hint = N_("On the opening day, in the session's time zone: 10:00.") },
	{ "closes_at", F_TEXT, 0, .max = 5, .label = N_("Closing time"), .sample = "18:00",
	  .hint = N_("On the closing day, in the session's time zone: 18:00.") },
	{ "status", F_ENUM, INDEXED, .values = session_states, .labels = session_state_labels, .label = N_("Status") },
	{ "open_to", F_ENUM, 0, .values = session_audiences, .labels = session_audience_labels, .initial = "member_states",
	  .label = N_("Open to"),
	  .hint = N_("Member States' delegates see the session and its agenda, register their delegation and ask for the "
		     "floor; a public session is seen by everyone.") },
	{ "documents_due", F_DATE, READONLY, .label = N_("Documents due") },
	{ "convened_at", F_TIME, READONLY, .label = N_("Convened on") },
	{ "closed_at", F_TIME, READONLY, .label = N_("Closed on") },
	{ "report_adopted_at", F_TIME, READONLY, .label = N_("Report adopted on") },
};
/* A session is planned, convened with the notice its body requires, held,
 * closed, and ends when its report is adopted.  Nothing goes back: a
 * session that will not take place is archived. */
static const char *const session_starts[] = { "planned", NULL };
static const transition session_moves[] = {
	{ "planned", "convened", .guard = session_notice_given },
	{ "convened", "in_session" }, { "in_session", "closed" }, { "closed", "report_adopted" },
};
static const state_rule session_rules_by_state[] = {
	{ "convened", NULL, "convened_at" }, { "closed", NULL, "closed_at" }, { "report_adopted", NULL, "report_adopted_at" },
	{ NULL },
};
static const workflow session_workflow = {
	.field = "status", .starts = session_starts, .moves = session_moves, .nmoves = COUNT(session_moves),
	.rules = session_rules_by_state,
};
static const char *const session_columns[] = { "symbol", "title", "starts_on", "venue", "status", NULL };

const entity_def sessions = {
	.name = "sessions", .table = "sessions", .label = N_("session"),
	.fields = session_fields, .nfields = COUNT(session_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS,
	.key_field = "symbol", .default_sort = "-starts_on", .validate = session_rules, .audiences = session_shared,
	.heading = N_("Sessions"), .new_label = N_("New session"), .columns = session_columns,
	.menu = { 8, "/sessions/calendar" }, .workflow = &session_workflow, .dated = "starts_on",
};

static const field_def agenda_item_fields[] = {
	{ "session", F_REF, REQUIRED | INDEXED, .ref = "sessions", .label = N_("Session") },
	{ "number", F_TEXT, REQUIRED, .max = 12, .label = N_("Item"),
	  .hint = N_("4 for an item, 4.2 for the second sub-item of item 4."), .sample = "{n}" },
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 500, .label = N_("Title") },
	{ "reference", F_TEXT, READONLY | UNIQUE | UNSHOWN, .max = 60, .label = N_("Reference") },
	{ "position", F_INT, READONLY | UNSHOWN, .label = N_("Order") },
};
static const char *const agenda_item_columns[] = { "title", "number", "session", NULL };

/* Items are read and written by who reads and writes their session. */
const entity_def agenda_items = {
	.name = "agenda-items", .table = "agenda_items", .label = N_("agenda item"),
	.fields = agenda_item_fields, .nfields = COUNT(agenda_item_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .parent = "session",
	.default_sort = "position", .validate = agenda_item_rules,
	.heading = N_("Agenda items"), .new_label = N_("New agenda item"), .columns = agenda_item_columns,
};

static const char *const delegation_categories[] = { "member_state", "observer_state", "igo", "cso", NULL };
static const char *const delegation_category_labels[] = { N_("Member State"), N_("Observer State"),
							  N_("Intergovernmental organization"),
							  N_("Civil society organization"), NULL };
static const char *const delegate_kinds[] = { "persons", NULL };

static const field_def delegation_fields[] = {
	{ "session", F_REF, REQUIRED | INDEXED, .ref = "sessions", .label = N_("Session") },
	{ "organization", F_REF, REQUIRED | INDEXED, .ref = "organizations", .label = N_("Member State or organization") },
	{ "name", F_LANGTEXT, READONLY | SEARCHED | TITLE, .max = 300, .label = N_("Delegation of") },
	{ "category", F_ENUM, REQUIRED | INDEXED | FACET, .values = delegation_categories,
	  .labels = delegation_category_labels, .label = N_("Taking part as") },
	{ "head", F_REF, 0, .ref = "persons", .label = N_("Head of delegation") },
	{ "delegates", F_LINKS, 0, .link_kinds = delegate_kinds, .label = N_("Delegates") },
	{ "credentials_sent", F_TEXT, READONLY, .max = 400, .label = N_("Credentials sent") },
	{ "credentials_received_on", F_DATE, 0, .label = N_("Credentials received on"), .writers = WHO_EDITORS },
	{ "credentials_received_by", F_REF, 0, .ref = "users", .label = N_("Credentials received by"), .writers = WHO_EDITORS },
	{ "registered_on", F_DATE, TODAY, .label = N_("Registered on") },
	{ "reference", F_TEXT, READONLY | UNIQUE | UNSHOWN, .max = 60, .label = N_("Reference") },
};
static const char *const delegation_columns[] = { "name", "category", "head", "credentials_received_on", NULL };

/* A delegation belongs to its Member State or organization: their own
 * partners read it, as they read their organization's other records, and
 * its delegates register it and change it, as staff do; that its
 * credentials were received, staff alone say. */
const entity_def delegations = {
	.name = "delegations", .table = "delegations", .label = N_("delegation"),
	.fields = delegation_fields, .nfields = COUNT(delegation_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS | ROLE_BIT(ROLE_PARTNER), .archive = WHO_EDITORS,
	.own_org = ROLE_BIT(ROLE_PARTNER), .org_field = "organization",
	.default_sort = "reference", .validate = delegation_rules,
	.heading = N_("Delegations"), .new_label = N_("New delegation"), .columns = delegation_columns,
};

static const char *const speaker_states[] = { "waiting", "spoke", "withdrawn", NULL };
static const char *const speaker_state_labels[] = { NC_("speaker", "Waiting"), NC_("speaker", "Spoke"),
						    NC_("speaker", "Withdrawn"), NULL };

static const field_def speaker_fields[] = {
	{ "delegation", F_REF, REQUIRED | INDEXED, .ref = "delegations", .label = N_("Delegation") },
	{ "agenda_item", F_REF, REQUIRED | INDEXED, .ref = "agenda-items", .within = "session",
	  .label = N_("Agenda item") },
	{ "name", F_LANGTEXT, READONLY | TITLE, .max = 300, .label = N_("Speaker") },
	{ "requested_at", F_TIME, READONLY | INDEXED, .label = N_("Requested at") },
	{ "seconds_used", F_INT, 0, .min_int = 0, .max_int = 36000, .label = N_("Time used (seconds)"), .writers = WHO_EDITORS },
	{ "status", F_ENUM, INDEXED, .values = speaker_states, .labels = speaker_state_labels, .label = N_("Status") },
};
static const char *const speaker_starts[] = { "waiting", NULL };
/* The chair's staff say who spoke; a request is withdrawn by its delegation too. */
static const transition speaker_moves[] = { { "waiting", "spoke", .who = WHO_EDITORS }, { "waiting", "withdrawn" } };
static const workflow speaker_workflow = {
	.field = "status", .starts = speaker_starts, .moves = speaker_moves, .nmoves = COUNT(speaker_moves),
};
static const char *const speaker_columns[] = { "name", "agenda_item", "requested_at", "status", "seconds_used", NULL };
/* An item's speakers' list, in the order the floor was asked for. */
static const char *const speaker_indexes[] = { "agenda_item,requested_at", NULL };

/* A request for the floor belongs to its delegation: read and written by
 * who reads and writes the delegation, its own delegates among them. */
const entity_def speaker_requests = {
	.name = "speaker-requests", .table = "speaker_requests", .label = N_("request for the floor"),
	.fields = speaker_fields, .nfields = COUNT(speaker_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS | ROLE_BIT(ROLE_PARTNER), .archive = WHO_EDITORS, .parent = "delegation",
	.default_sort = "requested_at", .validate = speaker_request_rules, .workflow = &speaker_workflow,
	.indexes = speaker_indexes,
	.heading = N_("Speakers' list"), .new_label = N_("New request for the floor"), .columns = speaker_columns,
};

static const field_def decision_fields[] = {
	{ "symbol", F_TEXT, REQUIRED | UNIQUE | SEARCHED, .max = 60, .label = N_("Symbol"),
	  .hint = N_("As the organization numbers them: C/115/RES/1412."), .sample = "C/115/RES/{n}" },
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 500, .label = N_("Title") },
	{ "session", F_REF, READONLY | INDEXED, .ref = "sessions", .label = N_("Session") },
	{ "agenda_item", F_REF, INDEXED, .ref = "agenda-items", .label = N_("Agenda item") },
	{ "text", F_LANGTEXT, SEARCHED, .max = 200000, .label = N_("Text") },
	{ "adopted_on", F_DATE, INDEXED, .label = N_("Adopted on") },
};
static const char *const decision_columns[] = { "title", "symbol", "adopted_on", NULL };

const entity_def decisions = {
	.name = "decisions", .table = "decisions", .label = N_("decision"),
	.fields = decision_fields, .nfields = COUNT(decision_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS,
	.key_field = "symbol", .default_sort = "-adopted_on", .validate = decision_rules,
	.heading = N_("Decisions and resolutions"), .new_label = N_("New decision"), .columns = decision_columns,
	.dated = "adopted_on",
};
