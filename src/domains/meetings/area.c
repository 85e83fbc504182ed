/*
 * meetings — the international meetings tracker: meetings organized by others, the rules that score
 * them, and who represents the organization. The area's table: its kinds of record, routes, pages,
 * roles, figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/meetings/meetings.h"

static const route routes[] = {
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
};

static const route pages[] = {
	{ "GET", "/meetings/{id}", meeting_page, 1 },
};

static const periodic_pass passes[] = {
	{ "meeting-alerts", meetings_alert_pass },
};

const area meetings_area = {
	.name = "meetings",
	.kinds = (const entity_def *const[]){ &meetings, &meeting_priority_rules, &representations, NULL },
	.roles = (const system_role *const[]){ &alerts_role, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.pages = pages, .npages = COUNT(pages),
	.passes = passes, .npasses = COUNT(passes),
	.configure = meetings_configure,
};
