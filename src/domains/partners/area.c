/*
 * partners — the registry of whom the department deals with: countries, organizations, persons, their
 * relationships, interactions and follow-ups. The area's table: its kinds of record, routes, pages,
 * roles, figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/partners/partners.h"

static const route routes[] = {
	{ "GET", "/api/v1/organizations/{id}/relationships", organizations_relationships, 0,
	  "Its relationships, labelled from its end", .params = API_PARAMS(PARAM_ID, PARAM_PAGE_LIMIT, PARAM_PAGE_CURSOR),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "RelationshipsFromOneEnd" }, { 400, .about = "a bad limit or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/{id}/relationships", persons_relationships, 0, "Their relationships, labelled from their end",
	  .params = API_PARAMS(PARAM_ID, PARAM_PAGE_LIMIT, PARAM_PAGE_CURSOR),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "RelationshipsFromOneEnd" }, { 400, .about = "a bad limit or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/{id}/vcard", persons_vcard, 0, "The person as a vCard 4.0", .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/vcard", HDR_DISPOSITION }, { 403 }, { 503 }) },
	{ "GET", "/api/v1/persons/vcard", persons_vcard_list, 0, "A page of the persons list as vCards",
	  .params = API_PARAMS({ "limit", PARAM_INTEGER, "persons on a page (50 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_STRING, "the next_cursor of the list's page before" },
			       { "sort", PARAM_STRING, "fields to sort by: family_name,-updated_at" },
			       { "filters", PARAM_FILTERS, .kind = "persons" }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/vcard", HDR_DISPOSITION }, { 400, .about = "a bad limit, sort, filter or cursor" },
				 { 403 }, { 503 }) },
	{ "GET", "/api/v1/duplicates", duplicates_list, 0,
	  "The likely duplicates the last scan found (liaison duplicates scan), best first, among the records the caller may read",
	  .params = API_PARAMS({ "kind", PARAM_STRING, "organizations or persons (both when not given)",
				 .values = (const char *const[]){ "organizations", "persons", NULL } },
			       { "limit", PARAM_INTEGER, "pairs on a page (50 when not given)", .min = 1, .max = 500 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "DuplicateQueue" }, { 400, .about = "a bad kind or limit" },
				 { 403, .about = "for staff" }, { 503 }) },
	{ "POST", "/api/v1/duplicates/dismissals", duplicates_dismissal, 0,
	  "Two records that the queue pairs are two: the pair leaves the queue, and no scan lists it again",
	  .request = { .body = BODY_NAMED, .schema = "DuplicateDismissal" },
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "DuplicateDismissed" }, { 403, .about = "for staff who may change both" },
				 { 404, .about = "a record that is not there" },
				 { 422, .about = "a kind not checked for duplicates, or not two different ids" }, { 503 }) },
};

static const route pages[] = {
	{ "GET", "/organizations/{id}", organizations_page, 1 },
	{ "GET", "/persons/{id}", persons_page, 1 },
	{ "GET", "/duplicates", duplicates_page, 1 },
	{ "POST", "/duplicates/dismissals", duplicates_dismiss_page, 1 },
};

/* What `liaison init` puts in a new database: countries from iso-codes, the relationship types. */
static int partners_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	return countries_seed(s, reg, err, errlen) || relationship_types_seed(s, reg, err, errlen) ? -1 : 0;
}

const area partners_area = {
	.name = "partners",
	.kinds = (const entity_def *const[]){ &countries, &organizations, &persons, &relationship_types, &relationships, &interactions, &follow_ups, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = partners_schemas,
	.pages = pages, .npages = COUNT(pages),
	.seed = partners_seed,
};
