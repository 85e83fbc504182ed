/*
 * donors — donor relations: donors and their priorities, programmes, appeals, pledges, contributions
 * and their allocation, reporting deadlines, exchange rates. The area's table: its kinds of record,
 * routes, pages, roles, figures, periodic passes, settings and first records, whatever it has of
 * them (domains.h). domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/donors/donors.h"

#define REPORT_MAX (64u << 20)   /* a report's file: far above any report, far below what would hurt */

static const char *const cuts[] = { "donor", "year", "earmarking", "programme", "sector", "country", "region", NULL };

static const char *const iati_dims[] = { "donor", "sector", "country", "year", NULL };

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
	{ "PUT", "/api/v1/reporting-deadlines/{id}/report", donors_report_put, 0,
	  "Upload the report a reporting deadline asks for: a PDF, DOCX, ODT or XLSX, known by its content. The deadline "
	  "moves from due or returned to submitted, its submission saying what was received; the donor's own partners "
	  "may upload too",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the deadline's id", .min = 1, .max = INT64_MAX },
			       { "name", PARAM_STRING, "the file's name, as downloads and the submission give it "
				 "(report-ID with the type's extension when not given)" }),
	  .request = { .body = BODY_MEDIA, .schema = "application/*" }, .max_body = REPORT_MAX,
	  .answers = API_ANSWERS({ 200, BODY_RECORD, "reporting-deadlines", HDR_ETAG },
				 { 400, .about = "an empty body" },
				 { 403, .about = "the caller reads the deadline but may not report on it" },
				 { 404, .about = "no deadline with this id the caller may read" },
				 { 409, .about = "the deadline's report was submitted already (submitted or accepted)" },
				 { 413, .about = "a file over 64 MiB" },
				 { 415, .about = "a file that is not a PDF, DOCX, ODT or XLSX by its content, or not the one its "
					 "Content-Type declares" },
				 { 503 }) },
	{ "GET", "/api/v1/reporting-deadlines/{id}/report", donors_report_get, 0,
	  "The deadline's report, the newest uploaded, as it was given",
	  .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/*", HDR_DISPOSITION },
				 { 404, .about = "no such deadline the caller may read, or none uploaded" }, { 503 }) },
	{ "POST", "/api/v1/iati/activities", iati_activities_post, 0,
	  "Import a donor's IATI 2.03 activity file: every activity with its organisations, sectors, places, budgets "
	  "and transactions, in one transaction, or none when the file is refused; an activity already there (the same "
	  "iati-identifier) is replaced",
	  .params = API_PARAMS({ "source", PARAM_STRING, "the file's name, kept with each activity (api when not given)" }),
	  .request = { .body = BODY_MEDIA, .schema = "application/xml" }, .max_body = 256u << 20,
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "IatiImported" }, { 400, .about = "an empty body" },
				 { 403, .about = "for the staff who edit records" }, { 413, .about = "a file over 256 MiB" },
				 { 415, .about = "a body declared as something other than XML" },
				 { 422, .about = "a file that is no IATI 2.0x activity file or is broken: the detail gives its line "
					 "and the reason, the member line the line; nothing imported" },
				 { 503 }) },
	{ "GET", "/api/v1/programmes/iati", iati_programmes_get, 0,
	  "The programmes as an IATI 2.03 activity file: titles and descriptions in three languages, status, dates, "
	  "sectors and countries with their shares, the budget, and the contributions allocated as incoming funds",
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/xml", HDR_DISPOSITION }, { 403, .about = "for staff" },
				 { 503 }) },
	{ "GET", "/api/v1/iati/funding", iati_funding_get, 0,
	  "The funding landscape from the imported IATI files: the money of one transaction type by two of donor, "
	  "sector, country and year, per currency or converted into one at each year's last rate; the donors ranked, "
	  "with the share of the five largest and the Herfindahl index",
	  .params = API_PARAMS({ "rows", PARAM_STRING, "the rows' dimension (donor when not given)", .values = iati_dims },
			       { "cols", PARAM_STRING, "the columns' dimension (year when not given)", .values = iati_dims },
			       { "type", PARAM_STRING, "a transaction type's code (3, disbursements, when not given)" },
			       { "from", PARAM_INTEGER, "the first year (2015 when not given)", .min = 1900, .max = 2200 },
			       { "to", PARAM_INTEGER, "the last year (2026 when not given)", .min = 1900, .max = 2200 },
			       { "currency", PARAM_STRING, "convert every amount into this currency" },
			       { "donor", PARAM_STRING, "only this donor's money (its IATI ref)" },
			       { "sector", PARAM_STRING, "only this sector's" },
			       { "country", PARAM_STRING, "only this country's or region's" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "FundingPivot" },
				 { 400, .about = "a dimension, type, year or currency that is none" },
				 { 403, .about = "for staff" },
				 { 422, .about = "a rate missing for a conversion, named: no EUR→USD rate on or before 2025-12-31" },
				 { 503 }) },
};

static const route pages[] = {
	{ "GET", "/donor-profiles/{id}", donors_profile_page, 1 },
	{ "GET", "/programmes/{id}", donors_programme_page, 1 },
	{ "GET", "/appeals/{id}", donors_appeal_page, 1 },
	{ "GET", "/appeals/{id}/document.pdf", donors_appeal_pdf, 1 },
	{ "GET", "/funding", donors_funding_page, 1 },
	{ "GET", "/funding.csv", donors_funding_csv, 1 },
	{ "GET", "/funding.xlsx", donors_funding_xlsx, 1 },
	{ "GET", "/reporting-deadlines/{id}", donors_deadline_page, 1 },
	{ "POST", "/reporting-deadlines/{id}/report", donors_report_form, 1, .max_body = REPORT_MAX },
};

static const periodic_pass passes[] = {
	{ "donor-reminders", donors_reminder_pass },
};

const area donors_area = {
	.name = "donors",
	.routes = routes, .nroutes = COUNT(routes),
	.pages = pages, .npages = COUNT(pages),
	.schemas = donors_schemas,
	.kinds = (const entity_def *const[]){ &donor_profiles, &programmes, &appeals, &appeal_requirements, &appeal_submissions,
					      &pledges, &instalments, &contributions, &allocations, &reporting_deadlines,
					      &exchange_rates, NULL },
	.roles = (const system_role *const[]){ &reminders_role, &portal_role, NULL },
	.passes = passes, .npasses = COUNT(passes),
	.configure = donors_configure,
};
