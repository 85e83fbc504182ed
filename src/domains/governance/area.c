/*
 * governance — the governing bodies: bodies, sessions, agendas, delegations, the speakers' list,
 * decisions, official documents and their language versions. The area's table: its kinds of record,
 * routes, pages, roles, figures, periodic passes, settings and first records, whatever it has of them
 * (domains.h). domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/governance/governance.h"

static const route routes[] = {
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
	  .params = API_PARAMS(PARAM_ID), .guests = 1,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/*", HDR_DISPOSITION },
				 { 404, .about = "no such version the caller may read, or a version without a file" }, { 503 }) },
	{ "PUT", "/api/v1/delegations/{id}/credentials", credentials_put, 0,
	  "Send a delegation's credentials: a PDF, DOCX or ODT, known by its content; every file sent is kept",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the delegation's id", .min = 1, .max = INT64_MAX },
			       { "name", PARAM_STRING, "the file's name, as downloads give it" }),
	  .request = { .body = BODY_MEDIA, .schema = "application/*" }, .max_body = 16u << 20,
	  .answers = API_ANSWERS({ 200, BODY_RECORD, "delegations", HDR_ETAG },
				 { 400, .about = "an empty body" },
				 { 403, .about = "the caller may not change this delegation: staff, or a delegate of its own State or organization" },
				 { 404, .about = "no delegation with this id the caller may read" },
				 { 413, .about = "a file over 16 MiB" },
				 { 415, .about = "a file that is not a PDF, DOCX or ODT by its content, or not the one its Content-Type declares" },
				 { 503 }) },
	{ "GET", "/api/v1/delegations/{id}/credentials", credentials_get, 0, "The delegation's credentials, the newest sent, as they came",
	  .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/*", HDR_DISPOSITION },
				 { 404, .about = "no such delegation the caller may read, or none sent yet" }, { 503 }) },
};

static const route pages[] = {
	{ "GET", "/sessions/calendar", sessions_calendar, 1 },
	{ "GET", "/sessions/{id}", session_page, 1 },
	{ "GET", "/sessions/{id}/participants", participants_page, 1 },
	{ "GET", "/sessions/{id}/participants.csv", participants_csv, 1 },
	{ "GET", "/sessions/{id}/participants.pdf", participants_pdf, 1 },
	{ "GET", "/documents/{id}", document_page, 1 },
	{ "GET", "/document-versions/{id}", version_page, 1 },
	{ "POST", "/document-versions/{id}/file", document_file_page, 1, .max_body = 64u << 20 },
	{ "GET", "/documents/{id}/compare", document_compare_page, 1 },
	{ "GET", "/delegations/{id}", delegation_page, 1 },
	{ "POST", "/delegations/{id}/credentials", credentials_form, 1, .max_body = 16u << 20 },
};

const area governance_area = {
	.name = "governance",
	.kinds = (const entity_def *const[]){ &bodies, &sessions, &agenda_items, &delegations, &speaker_requests, &decisions, &gb_documents, &document_versions, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = governance_schemas,
	.pages = pages, .npages = COUNT(pages),
};
