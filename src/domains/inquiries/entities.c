/*
 * entities — the inquiry desk's kinds of record, described once: inquiries
 * and the messages of their threads, canned answers, knowledge-base
 * articles, routing rules, briefings.
 */
#include "domains/inquiries/inquiries.h"
#include "domains/partners/partners.h"
#include <string.h>

static const char *const channels[] = { "web", "api", "email", "phone", "visit", "letter", NULL };
static const char *const channel_labels[] = { N_("Web form"), N_("API"), N_("E-mail"), N_("Telephone"), N_("Visit"),
					      N_("Letter"), NULL };
static const char *const priorities[] = { "low", "normal", "high", "urgent", NULL };
static const char *const priority_labels[] = { N_("Low"), N_("Normal"), N_("High"), N_("Urgent"), NULL };
static const char *const statuses[] = { "new", "triaged", "assigned", "waiting", "answered", "closed", NULL };
static const char *const status_labels[] = { N_("New"), N_("Triaged"), N_("Assigned"), N_("Waiting on requester"),
					     N_("Answered"), N_("Closed"), NULL };

static const field_def inquiry_fields[] = {
	{ "reference", F_TEXT, READONLY | UNIQUE | SEARCHED, .max = 20, .label = N_("Reference") },
	{ "subject", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Subject") },
	{ "body", F_TEXT, SEARCHED, .max = 100000, .label = N_("Message") },
	{ "channel", F_ENUM, REQUIRED | INDEXED, .values = channels, .labels = channel_labels, .label = N_("Channel") },
	{ "requester_person", F_REF, INDEXED, .ref = "persons", .label = N_("Requester (person)") },
	{ "requester_organization", F_REF, INDEXED, .ref = "organizations", .label = N_("Requester (organization)") },
	{ "requester_name", F_TEXT, SEARCHED | PERSONAL, .max = 200, .label = N_("Requester's name") },
	{ "requester_email", F_EMAIL, PERSONAL | INDEXED, .max = 320, .label = N_("Requester's e-mail") },
	{ "language", F_ENUM, INDEXED, .values = registry_langs, .labels = registry_lang_labels, .label = N_("Language") },
	{ "topic", F_TEXT, SEARCHED | INDEXED, .max = 100, .label = N_("Topic") },
	{ "owner", F_REF, INDEXED, .ref = "users", .label = N_("Owner") },
	{ "priority", F_ENUM, INDEXED, .values = priorities, .labels = priority_labels, .label = N_("Priority") },
	{ "tags", F_LIST, SEARCHED | FACET, .max = 50, .label = N_("Tags") },
	{ "status", F_ENUM, INDEXED, .values = statuses, .labels = status_labels, .label = N_("Status") },
	{ "received_at", F_TIME, READONLY | INDEXED, .label = N_("Received on") },
	{ "first_response_at", F_TIME, READONLY, .label = N_("First response") },
	{ "resolved_at", F_TIME, READONLY, .label = N_("Resolved on") },
	{ "first_response_due", F_TIME, READONLY | INDEXED, .label = N_("First response due") },
	{ "resolution_due", F_TIME, READONLY | INDEXED, .label = N_("Resolution due") },
	{ "clock", F_TEXT, READONLY | UNSHOWN, .max = 20000, .label = N_("Service-level clock") },
	{ "routed_by", F_TEXT, READONLY | UNSHOWN, .max = 500, .label = N_("Routed by") },
	/* the same as facts (JSON: rule, name, channel, organization_type, word, topic, language, kept; or none),
	 * from which the pages say it in the reader's language */
	{ "routing", F_TEXT, READONLY | UNSHOWN, .max = 2000, .label = N_("Routing") },
	{ "tracking_token", F_TEXT, READONLY | UNSHOWN, .max = 64, .label = N_("Tracking token") },
	{ "merged_into", F_REF, READONLY, .ref = "inquiries", .label = N_("Merged into") },
	/* the inquiry an e-mail named but could not join: its sender was not in that thread (see mailin.c) */
	{ "mentioned", F_REF, READONLY, .ref = "inquiries", .ref_key = "reference",
	  .label = N_("Mentioned inquiry (not joined)") },
};
/* An inquiry arrives new; it is answered or closed from any open state, and a
 * requester's new message, or staff, reopen it. */
static const char *const inquiry_starts[] = { "new", NULL };
static const transition inquiry_moves[] = {
	{ "new", "triaged" }, { "new", "assigned" }, { "new", "waiting" }, { "new", "answered" }, { "new", "closed" },
	{ "triaged", "assigned" }, { "triaged", "waiting" }, { "triaged", "answered" }, { "triaged", "closed" },
	{ "assigned", "triaged" }, { "assigned", "waiting" }, { "assigned", "answered" }, { "assigned", "closed" },
	{ "waiting", "assigned" }, { "waiting", "answered" }, { "waiting", "closed" },
	{ "answered", "waiting" }, { "answered", "closed" }, { "answered", "assigned" },
	{ "closed", "assigned" },
};
static const workflow inquiry_workflow = {
	.field = "status", .starts = inquiry_starts, .moves = inquiry_moves, .nmoves = COUNT(inquiry_moves),
	.on_move = inquiries_moved,
};
static const char *const inquiry_columns[] = { "subject", "reference", "status", "priority", "resolution_due", NULL };
/* The desk's queue: a division's, or one person's, in order of what is due first. */
static const char *const inquiry_indexes[] = { "division,resolution_due", "owner,resolution_due", NULL };

const entity_def inquiries = {
	.name = "inquiries", .table = "inquiries", .label = N_("inquiry"),
	.fields = inquiry_fields, .nfields = COUNT(inquiry_fields),
	.read = WHO_STAFF | WHO_INTAKE, .write = WHO_EDITORS | WHO_INTAKE, .archive = WHO_EDITORS,
	.key_field = "reference", .default_sort = "-received_at",
	.prepare = inquiries_prepare,
	.heading = N_("Inquiries"), .new_label = N_("New inquiry"), .columns = inquiry_columns, .recent = 1,
	.menu = { 6, "/desk", N_("Inquiry desk") }, .home_counts = inquiry_counts,
	.indexes = inquiry_indexes, .workflow = &inquiry_workflow,
};

static const char *const directions[] = { "in", "out", "note", NULL };
/* An outgoing message is "Outgoing", not "Sent": its delivery says whether the relay took it. */
static const char *const direction_labels[] = { N_("Received"), N_("Outgoing"), N_("Internal note"), NULL };
static const char *const deliveries[] = { "draft", "queued", "sent", "failed", "received", NULL };
static const char *const delivery_labels[] = { N_("Draft"), N_("Queued"), N_("Sent"), N_("Failed"), N_("Received"), NULL };

static const field_def message_fields[] = {
	{ "inquiry", F_REF, REQUIRED | INDEXED, .ref = "inquiries", .label = N_("Inquiry") },
	{ "direction", F_ENUM, REQUIRED, .values = directions, .labels = direction_labels, .label = N_("Direction") },
	{ "subject", F_TEXT, TITLE | SEARCHED, .max = 300, .label = N_("Subject") },
	{ "body", F_TEXT, REQUIRED | SEARCHED, .max = 200000, .label = N_("Message") },
	{ "from_name", F_TEXT, PERSONAL, .max = 200, .label = N_("Sender's name") },
	{ "from_addr", F_EMAIL, PERSONAL, .max = 320, .label = N_("Sender") },
	{ "to_addr", F_EMAIL, PERSONAL, .max = 320, .label = N_("Recipient") },
	{ "message_id", F_TEXT, INDEXED, .max = 500, .label = N_("Message-ID") },
	{ "in_reply_to", F_TEXT, 0, .max = 500, .label = N_("In reply to") },
	{ "at", F_TIME, INDEXED, .label = N_("Date") },
	{ "attachments", F_LIST, 0, .max = 100, .label = N_("Attachments") },
	/* what the mail intake had to shorten to fit these fields; the original in the Maildir keeps it all */
	{ "cut", F_LIST, 0, .max = 20, .label = N_("Shortened on arrival") },
	{ "subject_full", F_TEXT, 0, .max = 20000, .label = N_("Subject in full") },
	{ "attachments_left_out", F_INT, 0, .label = N_("Attachments left out") },
	{ "raw", F_TEXT, READONLY | UNSHOWN, .max = 500, .label = N_("Stored message") },
	{ "delivery", F_ENUM, 0, .values = deliveries, .labels = delivery_labels, .label = N_("Delivery") },
	{ "delivery_error", F_TEXT, 0, .max = 1000, .label = N_("Delivery error") },
};

/* A message is read by who reads its inquiry, and written only by a reply,
 * a note or the mail intake, never through the generic API. */
const entity_def inquiry_messages = {
	.name = "inquiry-messages", .table = "inquiry_messages", .label = N_("inquiry message"),
	.fields = message_fields, .nfields = COUNT(message_fields),
	.read = WHO_STAFF | WHO_INTAKE, .area_writes = WHO_EDITORS | WHO_INTAKE, .parent = "inquiry",
	.default_sort = "at", .on_mail = inquiries_delivered,
};

static const field_def canned_fields[] = {
	{ "code", F_TEXT, REQUIRED | UNIQUE, .max = 60, .label = N_("Code") },
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 200, .label = N_("Title") },
	{ "body", F_LANGTEXT, REQUIRED | SEARCHED, .max = 20000, .label = N_("Text"),
	  .hint = N_("Placeholders: {name} (the requester), {reference} (the inquiry's reference).") },
	{ "topic", F_TEXT, INDEXED, .max = 100, .label = N_("Topic") },
};
static const char *const canned_columns[] = { "title", "code", "topic", NULL };

const entity_def canned_answers = {
	.name = "canned-answers", .table = "canned_answers", .label = N_("canned answer"),
	.fields = canned_fields, .nfields = COUNT(canned_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.key_field = "code", .default_sort = "code",
	.heading = N_("Canned answers"), .new_label = N_("New canned answer"), .columns = canned_columns,
};

static const field_def article_fields[] = {
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Title") },
	{ "body", F_LANGTEXT, REQUIRED | SEARCHED, .max = 100000, .label = N_("Text") },
	{ "topic", F_TEXT, INDEXED | SEARCHED, .max = 100, .label = N_("Topic") },
	{ "tags", F_LIST, SEARCHED | FACET, .max = 50, .label = N_("Tags") },
};
static const char *const article_columns[] = { "title", "topic", NULL };

/* Public articles (classification public) are read by anyone, on the portal. */
const entity_def kb_articles = {
	.name = "kb-articles", .table = "kb_articles", .label = N_("article"),
	.fields = article_fields, .nfields = COUNT(article_fields),
	.read = WHO_ANYONE, .write = WHO_EDITORS,
	.default_sort = "-updated_at",
	.heading = N_("Knowledge base"), .new_label = N_("New article"), .columns = article_columns,
};


static const field_def rule_fields[] = {
	{ "position", F_INT, REQUIRED | INDEXED, .min_int = 1, .max_int = 10000, .label = N_("Order"),
	  .hint = N_("Rules are tried in this order; the first that matches routes the inquiry.") },
	{ "name", F_TEXT, REQUIRED | TITLE, .max = 200, .label = N_("Name") },
	{ "active", F_BOOL, 0, .label = N_("Active") },
	{ "channel", F_ENUM, 0, .values = channels, .labels = channel_labels, .label = N_("When the channel is") },
	{ "organization_type", F_ENUM, 0, .values = org_types, .labels = org_type_labels, .label = N_("When the requester's organization is a") },
	{ "words", F_LIST, 0, .max = 50, .label = N_("When the subject or message has one of the words") },
	{ "topics", F_LIST, 0, .max = 50, .label = N_("When the topic is one of") },
	{ "language", F_ENUM, 0, .values = registry_langs, .labels = registry_lang_labels, .label = N_("When the language is") },
	{ "to_division", F_ENUM, 0, .values = divisions, .label = N_("Route to division") },
	{ "to_owner", F_REF, 0, .ref = "users", .label = N_("Assign to") },
	{ "to_priority", F_ENUM, 0, .values = priorities, .labels = priority_labels, .label = N_("Set priority") },
};
static const char *const rule_columns[] = { "name", "position", "to_division", "to_priority", NULL };

const entity_def routing_rules = {
	.name = "routing-rules", .table = "routing_rules", .label = N_("routing rule"),
	.fields = rule_fields, .nfields = COUNT(rule_fields),
	.read = WHO_STAFF | WHO_INTAKE, .write = WHO_ADMIN,
	.default_sort = "position",
	.heading = N_("Routing rules"), .new_label = N_("New routing rule"), .columns = rule_columns,
};

static const char *const briefing_states[] = { "requested", "scheduled", "held", "reported", "cancelled", NULL };
static const char *const briefing_state_labels[] = { NC_("briefing", "Requested"), NC_("briefing", "Scheduled"),
						     NC_("briefing", "Held"), NC_("briefing", "Reported"),
						     NC_("briefing", "Cancelled"), NULL };
static const char *const visitors_kinds[] = { "persons", NULL };
static const char *const staff_kinds[] = { "users", NULL };

static const field_def briefing_fields[] = {
	{ "title", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Title") },
	{ "organization", F_REF, INDEXED | FACET, .ref = "organizations", .label = N_("Requesting organization") },
	{ "delegation", F_TEXT, SEARCHED, .max = 300, .label = N_("Delegation") },
	{ "visitors", F_LINKS, 0, .link_kinds = visitors_kinds, .label = N_("Visitors") },
	{ "window_start", F_DATE, 0, .label = N_("Earliest date") },
	{ "window_end", F_DATE, 0, .label = N_("Latest date") },
	{ "topics", F_LIST, SEARCHED, .max = 50, .label = N_("Topics") },
	{ "language", F_ENUM, 0, .values = registry_langs, .labels = registry_lang_labels, .label = N_("Language") },
	{ "proposed_slots", F_LIST, 0, .max = 20, .label = N_("Proposed slots"),
	  .hint = N_("One per line, as YYYY-MM-DDThh:mm:ssZ.") },
	{ "starts_at", F_TIME, INDEXED, .label = N_("Confirmed start") },
	{ "ends_at", F_TIME, 0, .label = N_("Confirmed end") },
	{ "time_zone", F_TEXT, 0, .max = 64, .label = N_("Time zone"),
	  .hint = N_("Where the briefing takes place, such as Europe/Zurich; the desk's own zone when empty.") },
	{ "room", F_TEXT, 0, .max = 200, .label = N_("Room") },
	{ "staff", F_LINKS, 0, .link_kinds = staff_kinds, .label = N_("Briefing staff") },
	{ "status", F_ENUM, INDEXED, .values = briefing_states, .labels = briefing_state_labels,
	  .label = N_("Status") },
	{ "agenda", F_LANGTEXT, 0, .max = 20000, .label = N_("Agenda"),
	  .hint = N_("One item per line; shown in the briefing pack in the visitors' language.") },
	{ "talking_points", F_LANGTEXT, 0, .max = 20000, .label = N_("Talking points"),
	  .hint = N_("One point per line; shown in the briefing pack in the visitors' language.") },
	{ "report", F_TEXT, SEARCHED, .max = 50000, .label = N_("Report") },
	{ "invited_at", F_TIME, READONLY, .label = N_("Invitation queued") },   /* see invitations.c */
	{ "held_at", F_TIME, READONLY, .label = N_("Marked as held") },
	{ "cancelled_at", F_TIME, READONLY, .label = N_("Cancelled on") },
};
/* A briefing is requested, then scheduled at a confirmed time, held, and
 * reported; until it is held it may be cancelled.  Held, reported and
 * cancelled briefings do not go back: a new date is a new request. */
static const char *const briefing_starts[] = { "requested", "scheduled", NULL };
static const transition briefing_moves[] = {
	{ "requested", "scheduled" }, { "scheduled", "held" }, { "held", "reported" },
	{ "requested", "cancelled" }, { "scheduled", "cancelled" },
};
static const char *const confirmed[] = { "starts_at", NULL };
static const char *const reported[] = { "starts_at", "report", NULL };
static const state_rule briefing_rules_by_state[] = {
	{ "scheduled", confirmed }, { "held", confirmed, "held_at" }, { "reported", reported },
	{ "cancelled", NULL, "cancelled_at" }, { NULL },
};
static const workflow briefing_workflow = {
	.field = "status", .starts = briefing_starts, .moves = briefing_moves, .nmoves = COUNT(briefing_moves),
	.rules = briefing_rules_by_state,
};
static const char *const briefing_columns[] = { "title", "starts_at", "status", "organization", NULL };

static int briefing_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const store_value *a = record_field(r, "window_start"), *b = record_field(r, "window_end");
	const store_value *s = record_field(r, "starts_at"), *t = record_field(r, "ends_at");
	if (a->type == SV_TEXT && b->type == SV_TEXT && strcmp(a->s, b->s) > 0)
		model_field_error(m, "window_end", N_("is before the start of the window"));
	if (s->type == SV_TEXT && t->type == SV_TEXT && strcmp(s->s, t->s) >= 0)
		model_field_error(m, "ends_at", N_("is not after the start"));
	const store_value *z = record_field(r, "time_zone");
	if (z->type == SV_TEXT && !tz_known(z->s))
		model_field_error(m, "time_zone", N_("is not a time zone of the tz database, such as Europe/Zurich"));
	return 0;
}

const entity_def briefings = {
	.name = "briefings", .table = "briefings", .label = N_("briefing"),
	.fields = briefing_fields, .nfields = COUNT(briefing_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "-starts_at", .validate = briefing_rules,
	.heading = N_("Briefings"), .new_label = N_("New briefing"), .columns = briefing_columns,
	.menu = { 7, "/briefings/calendar" }, .workflow = &briefing_workflow, .home_counts = briefing_counts,
};
