/*
 * donors — donor relations: donors and their priorities, programmes, appeals, pledges, contributions
 * and their allocation, reporting deadlines, exchange rates. The area's table: its kinds of record,
 * routes, pages, roles, figures, periodic passes, settings and first records, whatever it has of
 * them (domains.h). domains.c lists the areas; nothing else names this area's parts.
 */
#include "domains/domains.h"
#include "domains/donors/donors.h"

static const char *const cuts[] = { "donor", "year", "earmarking", "programme", "sector", "country", "region", NULL };

static const route routes[] = {
	{ "GET", "/api/v1/funding", donors_funding, 0,
	  "The contributions received, in one currency, cut by donor, year, earmarking, programme, sector, country or region: "
	  "each received amount converted at the rate of its day, split over allocations and a programme's shares, "
	  "with the rates used and how concentrated the funding is",
	  .params = API_PARAMS({ "by", PARAM_STRING, "the cut (donor when not given)", .values = cuts },
			       { "currency", PARAM_STRING, "the reporting currency, ISO 4217 (USD when not given)" },
			       { "from", PARAM_STRING, "received on or after this date, YYYY-MM-DD" },
			       { "to", PARAM_STRING, "received on or before this date, YYYY-MM-DD" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Funding" },
				 { 400, .about = "an unknown cut or currency, or a date that is none" },
				 { 403, .about = "for the department's staff" },
				 { 422, .about = "an amount without an exchange rate for its day: the rate missing is named" },
				 { 503 }) },
	{ "GET", "/api/v1/donor-profiles/{id}/programmes", donors_profile_matches, 0,
	  "The programmes that still need money ranked by how well they fit the donor: its priorities, the texts, "
	  "what it funded before; each score explained term by term",
	  .params = API_PARAMS(PARAM_ID, { "limit", PARAM_INTEGER, "the most programmes (10 when not given)", .min = 1, .max = 50 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Matches" }, { 400, .about = "a limit out of range" },
				 { 403, .about = "for the department's staff" }, { 404 }, { 503 }) },
	{ "GET", "/api/v1/programmes/{id}/donors", donors_programme_donors, 0,
	  "The donors most likely to fund the programme, ranked and explained as the programmes for a donor are",
	  .params = API_PARAMS(PARAM_ID, { "limit", PARAM_INTEGER, "the most donors (10 when not given)", .min = 1, .max = 50 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Matches" }, { 400, .about = "a limit out of range" },
				 { 403, .about = "for the department's staff" }, { 404 }, { 503 }) },
};

static const route pages[] = {
	{ "GET", "/donor-profiles/{id}", donors_profile_page, 1 },
	{ "GET", "/programmes/{id}", donors_programme_page, 1 },
	{ "GET", "/appeals/{id}", donors_appeal_page, 1 },
	{ "GET", "/appeals/{id}/document.pdf", donors_appeal_pdf, 1 },
	{ "GET", "/funding", donors_funding_page, 1 },
	{ "GET", "/funding.csv", donors_funding_csv, 1 },
	{ "GET", "/funding.xlsx", donors_funding_xlsx, 1 },
};

const area donors_area = {
	.name = "donors",
	.routes = routes, .nroutes = COUNT(routes),
	.pages = pages, .npages = COUNT(pages),
	.schemas = donors_schemas,
	.kinds = (const entity_def *const[]){ &donor_profiles, &programmes, &appeals, &appeal_requirements, &appeal_submissions,
					      &pledges, &instalments, &contributions, &allocations, &reporting_deadlines,
					      &exchange_rates, NULL },
};
