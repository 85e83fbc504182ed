/*
 * domains — the table of every kind of record and every domain route.
 * Adding an area of the department is adding its entities and routes here.
 */
#include "domains/domains.h"

#include <stdint.h>

#include "domains/governance/governance.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "domains/partners/partners.h"
#include "model/accounts.h"

/* The tests' build (liaison-specimens) adds a kind of its own, to show that
 * a kind needs nothing beyond its description and its line here. */
#ifdef LIAISON_SPECIMENS
extern const entity_def specimens;
#define TESTS_KINDS &specimens,
#else
#define TESTS_KINDS
#endif

/* Order matters: a kind comes after the kinds it refers to, so tables are
 * created with their references in place. */
const entity_def *const all_entities[] = {
	&countries, &organizations, &users_entity, &persons, &relationship_types, &relationships, &interactions,
	&follow_ups, &inquiries, &inquiry_messages, &canned_answers, &kb_articles, &routing_rules, &briefings,
	&bodies, &sessions, &agenda_items, &delegations, &speaker_requests, &decisions, &gb_documents, &document_versions,
	&meetings, &meeting_priority_rules, &representations,
	TESTS_KINDS
};
const size_t nall_entities = COUNT(all_entities);

const system_role *const domain_roles[] = { &intake_role, &alerts_role, NULL };

/* Parameters the domains' routes share. */
static const api_param by_id[] = { { "id", PARAM_INTEGER, "the record's id", .min = 1, .max = INT64_MAX }, { NULL } };
static const api_param page_of[] = {
	{ "id", PARAM_INTEGER, "the record's id", .min = 1, .max = INT64_MAX },
	{ "limit", PARAM_INTEGER, "records on a page (50 when not given)", .min = 1, .max = 500 },
	{ "cursor", PARAM_STRING, "the next_cursor of the page before" },
	{ NULL },
};
static const api_param inquiry[] = { { "id", PARAM_STRING, "the inquiry's id or reference" }, { NULL } };

const route domain_routes[] = {
	{ "GET", "/api/v1/organizations/{id}/relationships", organizations_relationships, 0,
	  "Its relationships, labelled from its end", .params = page_of,
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "RelationshipsFromOneEnd" }, { 400, .about = "a bad limit or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/{id}/relationships", persons_relationships, 0, "Their relationships, labelled from their end",
	  .params = page_of,
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "RelationshipsFromOneEnd" }, { 400, .about = "a bad limit or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/{id}/vcard", persons_vcard, 0, "The person as a vCard 4.0", .params = by_id,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/vcard", HDR_DISPOSITION }, { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/vcard", persons_vcard_list, 0, "A page of the persons list as vCards",
	  .params = API_PARAMS({ "limit", PARAM_INTEGER, "persons on a page (50 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_STRING, "the next_cursor of the list's page before" },
			       { "sort", PARAM_STRING, "fields to sort by: family_name,-updated_at" },
			       { "filters", PARAM_FILTERS, .kind = "persons" }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/vcard", HDR_DISPOSITION }, { 400, .about = "a bad limit, sort, filter or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/inquiries/queue", inquiries_queue, 0, "The desk's queue: ?mine, ?division, ?overdue, ?status",
	  .params = API_PARAMS({ "mine", PARAM_STRING, "any value but 0: only the caller's own" },
			       { "division", PARAM_STRING, "only this division's", .values = divisions },
			       { "overdue", PARAM_STRING, "any value but 0: only those past their resolution time" },
			       { "status", PARAM_STRING, "only those in this status (else all but closed)" },
			       { "sort", PARAM_STRING, "fields to sort by (resolution_due when not given)" },
			       { "limit", PARAM_INTEGER, "inquiries on a page (50 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_STRING, "the next_cursor of the page before" }),
	  .answers = API_ANSWERS({ 200, BODY_PAGE, "inquiries" }, { 400, .about = "a bad limit, sort or cursor" }, { 403 },
				 { 503 }) },
	{ "GET", "/api/v1/inquiries/numbers", inquiries_numbers, 0, "Open by division and status, overdue, weekly medians (?format=csv)",
	  .params = API_PARAMS({ "weeks", PARAM_INTEGER, "weeks of medians (12 when not given)", .min = 1, .max = 52 },
			       { "format", PARAM_STRING, "json when not given", .values = (const char *const[]){ "json", "csv", NULL } }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "InquiryNumbers" },
				 { 200, BODY_MEDIA, "text/csv", HDR_DISPOSITION, "measure,division,status,week,value" },
				 { 400, .about = "weeks out of range, or another format" }, { 403, .about = "for staff, not translators" },
				 { 503 }) },
	{ "POST", "/api/v1/inquiries/{id}/reply", inquiries_reply, 0,
	  "Answer the requester: the message, its delivery queued (the outbox sends it when a relay is set up)",
	  .params = inquiry, .request = { .body = BODY_NAMED, .schema = "Reply" },
	  .answers = API_ANSWERS({ 201, BODY_RECORD, "inquiry-messages", HDR_ETAG | HDR_LOCATION }, { 403 },
				 { 409, .about = "the inquiry's status cannot move to answered or waiting" },
				 { 422, .about = "no text, or no such canned answer or article" }, { 503 }) },
	{ "POST", "/api/v1/inquiries/{id}/notes", inquiries_note, 0, "An internal note in the thread", .params = inquiry,
	  .request = { .body = BODY_NAMED, .schema = "Reply" },
	  .answers = API_ANSWERS({ 201, BODY_RECORD, "inquiry-messages", HDR_ETAG | HDR_LOCATION }, { 403 },
				 { 422, .about = "no text, or no such canned answer or article" }, { 503 }) },
	{ "GET", "/api/v1/inquiries/{id}/thread", inquiries_thread, 0, "The inquiry's messages, oldest first", .params = inquiry,
	  .answers = API_ANSWERS({ 200, BODY_PAGE, "inquiry-messages" }, { 403 }, { 503 }) },
	{ "POST", "/api/v1/inquiries/{id}/split", inquiries_split, 0, "Move some messages to a new inquiry", .params = inquiry,
	  .request = { .body = BODY_NAMED, .schema = "Split" },
	  .answers = API_ANSWERS({ 201, BODY_RECORD, "inquiries", HDR_ETAG | HDR_LOCATION }, { 403 },
				 { 422, .about = "no messages, or one that is not the inquiry's" }, { 503 }) },
	{ "GET", "/api/v1/inquiry-messages/{id}/attachments/{n}", inquiries_attachment, 0, "An attachment of a received message",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the message's id", .min = 1, .max = INT64_MAX },
			       { "n", PARAM_INTEGER, "the attachment's number, from 1", .min = 1, .max = INT64_MAX }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "*/*", HDR_DISPOSITION, "the attachment, in its own media type" }, { 403 },
				 { 410, .about = "the original message is no longer where it was kept" }, { 503 }) },
	{ "POST", "/api/v1/public/inquiries", public_inquiry_create, 1, "The public inquiry form (no account)",
	  .request = { .body = BODY_NAMED, .schema = "PublicInquiry" },
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "PublicInquiryReceipt", HDR_LOCATION,
				   "received (what a robot that filled the trap is told too: nothing is kept)" },
				 { 422, .about = "no name, e-mail or message, or one not valid" },
				 { 429, .headers = HDR_RETRY_AFTER, .about = "too many inquiries from the address" }, { 503 }) },
	{ "GET", "/api/v1/briefings/{id}/invitation.ics", briefings_ics, 0, "The invitation (iCalendar) for the confirmed time",
	  .params = by_id,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 403 },
				 { 409, .about = "the briefing has no confirmed time yet" }, { 503 }) },
	{ "POST", "/api/v1/briefings/{id}/invitation", briefings_invite, 0,
	  "Queue the invitation (or cancellation) for everyone invited, to be e-mailed by the outbox",
	  .params = by_id,
	  .answers = API_ANSWERS({ 202, BODY_NAMED, "InvitationQueued" }, { 403 },
				 { 409, .about = "no confirmed time yet, nobody invited has an e-mail address, or the briefing changed meanwhile" },
				 { 422, .about = "not one message could be written" },
				 { 503, .about = "no SMTP relay is set up, or the store is busy" }) },
	{ "GET", "/api/v1/calendar/{file}", briefings_feed, 1, "A calendar feed by its secret link ({secret}.ics; no other credentials)",
	  .params = API_PARAMS({ "file", PARAM_STRING, "the secret of the link, then .ics" }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar" },
				 { 404, .about = "no calendar has this link (renewed, or its owner archived)" }, { 503 }) },
	{ "GET", "/api/v1/documents/{id}/compare", documents_compare, 0,
	  "The document's text beside another's, paragraph by paragraph: a revision with its words deleted and inserted, "
	  "or two language versions side by side", .guests = 1,
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the document whose text is on the left", .min = 1, .max = INT64_MAX },
			       { "with", PARAM_INTEGER, "the document whose text is on the right (this one when not given)",
				 .min = 1, .max = INT64_MAX },
			       { "lang", PARAM_STRING, "the left text's language (the reader's when not given)", .values = registry_langs },
			       { "with_lang", PARAM_STRING, "the right text's language (lang when not given): another language sets "
				 "the texts side by side by position", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "DocumentComparison" },
				 { 400, .about = "neither with nor with_lang, with not a number, a language not en, fr or es, or a "
					 "text compared with itself" },
				 { 404, .about = "a document, or its version in the language asked, that does not exist or that the "
					 "caller may not read" },
				 { 503 }) },
	{ "GET", "/api/v1/sessions/calendar.ics", sessions_feed, 0, "The governing bodies' sessions as a calendar, in a language",
	  .params = API_PARAMS({ "lang", PARAM_STRING, "the calendar's language (the caller's when not given)", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 400, .about = "a language other than en, fr, es" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/bodies/{series}/calendar.ics", body_sessions_feed, 0, "One body's sessions as a calendar, in a language",
	  .params = API_PARAMS({ "series", PARAM_STRING, "the body's symbol series: C" },
			       { "lang", PARAM_STRING, "the calendar's language (the caller's when not given)", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 400, .about = "a language other than en, fr, es" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/sessions/{id}/calendar.ics", session_feed, 0, "One session as a calendar, in a language",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the session's id", .min = 1, .max = INT64_MAX },
			       { "lang", PARAM_STRING, "the calendar's language (the caller's when not given)", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 400, .about = "a language other than en, fr, es" },
				 { 403 }, { 404, .about = "no session with this id the caller may read" }, { 503 }) },
	{ "PUT", "/api/v1/document-versions/{id}/file", document_file_put, 0,
	  "Give a language version its file: a PDF, DOCX or ODT, known by its content, whose text becomes the version's",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the version's id", .min = 1, .max = INT64_MAX },
			       { "name", PARAM_STRING, "the file's name, as downloads give it (the version's own when not given)" }),
	  .request = { .body = BODY_MEDIA, .schema = "application/*" }, .max_body = 64u << 20,
	  .answers = API_ANSWERS({ 200, BODY_RECORD, "document-versions", HDR_ETAG },
				 { 400, .about = "an empty body" }, { 403, .about = "the caller may not change this version" },
				 { 413, .about = "a file over 64 MiB" },
				 { 415, .about = "a file that is not a PDF, DOCX or ODT by its content, or not the one its Content-Type declares" },
				 { 422, .about = "a document whose text cannot be read (encrypted, damaged, too long)" }, { 503 }) },
	{ "GET", "/api/v1/document-versions/{id}/file", document_file_get, 0, "The language version's file, as it was given",
	  .params = by_id, .guests = 1,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/*", HDR_DISPOSITION },
				 { 404, .about = "no such version the caller may read, or a version without a file" }, { 503 }) },
	{ "GET", "/api/v1/meetings/calendar.ics", meetings_feed, 0, "The tracker's meetings as a calendar to subscribe to, in a language",
	  .params = API_PARAMS({ "lang", PARAM_STRING, "the calendar's language (the caller's when not given)", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 400, .about = "a language other than en, fr, es" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/meetings/calendar/{file}", meetings_feed_by_link, 1,
	  "The same by a calendar link's secret ({secret}.ics, the link of GET /api/v1/calendar/{secret}.ics; no other credentials)",
	  .params = API_PARAMS({ "file", PARAM_STRING, "the secret of the link, then .ics" },
			       { "lang", PARAM_STRING, "the calendar's language (the link owner's when not given)", .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 400, .about = "a language other than en, fr, es" },
				 { 404, .about = "no calendar has this link (renewed, or its owner archived)" }, { 503 }) },
	{ "GET", "/api/v1/public/inquiries/{ref}", public_inquiry_track, 1, "The requester's view (?token=)",
	  .params = API_PARAMS({ "ref", PARAM_STRING, "the inquiry's reference" },
			       { "token", PARAM_STRING, "the token the form gave", 1 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "PublicTracking" }, { 503 }) },
};
const size_t ndomain_routes = COUNT(domain_routes);
const api_schema *const domain_schemas[] = { partners_schemas, inquiries_schemas, governance_schemas, NULL };

const route domain_pages[] = {
	{ "GET", "/desk", desk_page, 1 },
	{ "GET", "/inquiries/{id}", inquiry_page, 1 },
	{ "POST", "/inquiries/{id}/reply", inquiry_reply_page, 1 },
	{ "POST", "/inquiries/{id}/triage", inquiry_triage_page, 1 },
	{ "GET", "/ask", ask_page, 1 },
	{ "POST", "/ask", ask_submit, 1 },
	{ "GET", "/track/{ref}", track_page, 1 },
	{ "POST", "/track/{ref}", track_answer, 1 },
	{ "GET", "/help", help_page, 1 },
	{ "GET", "/help/{id}", help_article_page, 1 },
	{ "GET", "/briefings/calendar", briefings_calendar, 1 },
	{ "GET", "/briefings/{id}", briefing_page, 1 },
	{ "POST", "/briefings/{id}/invitation", briefing_invite_page, 1 },
	{ "GET", "/briefings/{id}/pack", briefing_pack_page, 1 },
	{ "GET", "/briefings/{id}/pack.pdf", briefing_pack_pdf, 1 },
	{ "GET", "/organizations/{id}", organizations_page, 1 },
	{ "GET", "/persons/{id}", persons_page, 1 },
	{ "GET", "/sessions/calendar", sessions_calendar, 1 },
	{ "GET", "/sessions/{id}", session_page, 1 },
	{ "GET", "/sessions/{id}/participants", participants_page, 1 },
	{ "GET", "/sessions/{id}/participants.csv", participants_csv, 1 },
	{ "GET", "/sessions/{id}/participants.pdf", participants_pdf, 1 },
	{ "GET", "/documents/{id}", document_page, 1 },
	{ "GET", "/document-versions/{id}", version_page, 1 },
	{ "POST", "/document-versions/{id}/file", document_file_page, 1, .max_body = 64u << 20 },
	{ "GET", "/documents/{id}/compare", document_compare_page, 1 },
	{ "GET", "/meetings/{id}", meeting_page, 1 },
};
const size_t ndomain_pages = COUNT(domain_pages);

const gauge domain_gauges[] = {
	{ "liaison_inquiries_open", "Inquiries not closed.", desk_gauge_open },
	{ "liaison_inquiries_overdue", "Inquiries past their resolution due time.", desk_gauge_overdue },
	{ "liaison_inquiry_deliveries_failed", "Replies the mail relay did not take.", desk_gauge_failed_deliveries },
	{ "liaison_mail_quarantined", "Messages that could not be read, in the Maildir's quarantine.", desk_gauge_quarantined },
};
const size_t ndomain_gauges = COUNT(domain_gauges);

const periodic_pass domain_passes[] = {
	{ "meeting-alerts", meetings_alert_pass },
};
const size_t ndomain_passes = COUNT(domain_passes);

int domains_configure(const char *path, char *err, size_t errlen)
{
	return desk_configure(path, err, errlen) || meetings_configure(path, err, errlen) ? -1 : 0;
}

int domains_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	if (countries_seed(s, reg, err, errlen))
		return -1;
	return relationship_types_seed(s, reg, err, errlen);
}
