/*
 * inquiries — the inquiry desk and briefings: inquiries and their messages, canned answers, the
 * knowledge base, routing rules, briefings. The area's table: its kinds of record, routes, pages,
 * roles, figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/inquiries/inquiries.h"

static const api_param inquiry[] = { { "id", PARAM_STRING, "the inquiry's id or reference" }, { NULL } };

static const route routes[] = {
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
	  .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar", HDR_DISPOSITION }, { 403 },
				 { 409, .about = "the briefing has no confirmed time yet" }, { 503 }) },
	{ "POST", "/api/v1/briefings/{id}/invitation", briefings_invite, 0,
	  "Queue the invitation (or cancellation) for everyone invited, to be e-mailed by the outbox",
	  .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 202, BODY_NAMED, "InvitationQueued" }, { 403 },
				 { 409, .about = "no confirmed time yet, nobody invited has an e-mail address, or the briefing changed meanwhile" },
				 { 422, .about = "not one message could be written" },
				 { 503, .about = "no SMTP relay is set up, or the store is busy" }) },
	{ "GET", "/api/v1/calendar/{file}", briefings_feed, 1, "A calendar feed by its secret link ({secret}.ics; no other credentials)",
	  .params = API_PARAMS({ "file", PARAM_STRING, "the secret of the link, then .ics" }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/calendar" },
				 { 404, .about = "no calendar has this link (renewed, or its owner archived)" }, { 503 }) },
	{ "GET", "/api/v1/public/inquiries/{ref}", public_inquiry_track, 1, "The requester's view (?token=)",
	  .params = API_PARAMS({ "ref", PARAM_STRING, "the inquiry's reference" },
			       { "token", PARAM_STRING, "the token the form gave", 1 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "PublicTracking" }, { 503 }) },
};

static const route pages[] = {
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
};

static const gauge gauges[] = {
	{ "liaison_inquiries_open", "Inquiries not closed.", desk_gauge_open },
	{ "liaison_inquiries_overdue", "Inquiries past their resolution due time.", desk_gauge_overdue },
	{ "liaison_inquiry_deliveries_failed", "Replies the mail relay did not take.", desk_gauge_failed_deliveries },
	{ "liaison_mail_quarantined", "Messages that could not be read, in the Maildir's quarantine.", desk_gauge_quarantined },
};

const area inquiries_area = {
	.name = "inquiries",
	.kinds = (const entity_def *const[]){ &inquiries, &inquiry_messages, &canned_answers, &kb_articles, &routing_rules, &briefings, NULL },
	.roles = (const system_role *const[]){ &intake_role, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = inquiries_schemas,
	.pages = pages, .npages = COUNT(pages),
	.gauges = gauges, .ngauges = COUNT(gauges),
	.configure = desk_configure,
};
