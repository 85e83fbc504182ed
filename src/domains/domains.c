/*
 * domains — the table of every kind of record and every domain route.
 * Adding an area of the department is adding its entities and routes here.
 */
#include "domains/domains.h"

#include "domains/inquiries/inquiries.h"
#include "domains/partners/partners.h"
#include "model/accounts.h"

/* Order matters: a kind comes after the kinds it refers to, so tables are
 * created with their references in place. */
const entity_def *const all_entities[] = {
	&countries, &organizations, &users_entity, &persons, &relationship_types, &relationships, &interactions,
	&follow_ups, &inquiries, &inquiry_messages, &canned_answers, &kb_articles, &routing_rules, &briefings,
};
const size_t nall_entities = COUNT(all_entities);

const route domain_routes[] = {
	{ "GET", "/api/v1/organizations/{id}/timeline", organizations_timeline, 0, "Interactions with it, newest first" },
	{ "GET", "/api/v1/organizations/{id}/relationships", organizations_relationships, 0,
	  "Its relationships, labelled from its end" },
	{ "GET", "/api/v1/persons/{id}/relationships", persons_relationships, 0, "Their relationships, labelled from their end" },
	{ "GET", "/api/v1/persons/{id}/export", persons_export, 0, "Everything held on the person (JSON)" },
	{ "POST", "/api/v1/persons/{id}/erase", persons_erase, 0, "Erase the person's personal data" },
	{ "GET", "/api/v1/persons/{id}/vcard", persons_vcard, 0, "The person as a vCard 4.0" },
	{ "GET", "/api/v1/persons/vcard", persons_vcard_list, 0, "A page of the persons list as vCards" },
	{ "GET", "/api/v1/inquiries/queue", inquiries_queue, 0, "The desk's queue: ?mine, ?division, ?overdue, ?status" },
	{ "GET", "/api/v1/inquiries/numbers", inquiries_numbers, 0, "Open by division and status, overdue, weekly medians (?format=csv)" },
	{ "POST", "/api/v1/inquiries/{id}/status", inquiries_status, 0, "Move an inquiry to another status" },
	{ "POST", "/api/v1/inquiries/{id}/reply", inquiries_reply, 0, "Answer the requester (sent by SMTP when set up)" },
	{ "POST", "/api/v1/inquiries/{id}/notes", inquiries_note, 0, "An internal note in the thread" },
	{ "GET", "/api/v1/inquiries/{id}/thread", inquiries_thread, 0, "The inquiry's messages, oldest first" },
	{ "POST", "/api/v1/inquiries/{id}/split", inquiries_split, 0, "Move some messages to a new inquiry" },
	{ "GET", "/api/v1/inquiry-messages/{id}/attachments/{n}", inquiries_attachment, 0, "An attachment of a received message" },
	{ "POST", "/api/v1/public/inquiries", public_inquiry_create, 1, "The public inquiry form (no account)" },
	{ "GET", "/api/v1/briefings/{id}/invitation.ics", briefings_ics, 0, "The invitation (iCalendar) for the confirmed time" },
	{ "POST", "/api/v1/briefings/{id}/invitation", briefings_invite, 0, "E-mail the invitation (or cancellation) to everyone invited" },
	{ "GET", "/api/v1/calendar/{file}", briefings_feed, 1, "A calendar feed by its secret link ({secret}.ics; no other credentials)" },
	{ "GET", "/api/v1/public/inquiries/{ref}", public_inquiry_track, 1, "The requester's view (?token=)" },
};
const size_t ndomain_routes = COUNT(domain_routes);

const route domain_pages[] = {
	{ "GET", "/desk", desk_page, 1 },
	{ "GET", "/inquiries/{id}", inquiry_page, 1 },
	{ "POST", "/inquiries/{id}/reply", inquiry_reply_page, 1 },
	{ "POST", "/inquiries/{id}/status", inquiry_status_page, 1 },
	{ "GET", "/ask", ask_page, 1 },
	{ "POST", "/ask", ask_submit, 1 },
	{ "GET", "/track/{ref}", track_page, 1 },
	{ "GET", "/help", help_page, 1 },
	{ "GET", "/help/{id}", help_article_page, 1 },
	{ "GET", "/briefings/calendar", briefings_calendar, 1 },
	{ "GET", "/briefings/{id}", briefing_page, 1 },
	{ "POST", "/briefings/{id}/invitation", briefing_invite_page, 1 },
	{ "GET", "/briefings/{id}/pack", briefing_pack_page, 1 },
	{ "GET", "/briefings/{id}/pack.pdf", briefing_pack_pdf, 1 },
	{ "GET", "/organizations/{id}", organizations_page, 1 },
	{ "GET", "/persons/{id}", persons_page, 1 },
	{ "GET", "/persons/{id}/erase", persons_erase_page, 1 },
	{ "POST", "/persons/{id}/erase", persons_erase_confirmed, 1 },
};
const size_t ndomain_pages = COUNT(domain_pages);

int domains_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	if (countries_seed(s, reg, err, errlen))
		return -1;
	return relationship_types_seed(s, reg, err, errlen);
}
