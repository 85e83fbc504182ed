/*
 * translation — the translators' and the translation manager's tools: jobs cut into sentences, the
 * translation memory, the termbase. The area's table: its kinds of record, routes, pages, roles,
 * figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include "domains/domains.h"
#include "domains/translation/translation.h"

static const route routes[] = {
	{ "GET", "/api/v1/concepts/tbx", termbase_tbx_get, 0,
	  "The termbase as TBX (TBX-Basic): every concept the caller may read with its terms, concept ids \"c\" and the record id",
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/xml", HDR_DISPOSITION },
				 { 403, .about = "a role that may not read the termbase" },
				 { 404, .about = "no concept with a term to write: TBX cannot hold an empty termbase" }, { 503 }) },
	{ "POST", "/api/v1/concepts/tbx", termbase_tbx_post, 0,
	  "Import a TBX file: every concept and its terms created in one transaction, or nothing (no duplicate detection: "
	  "a term imported twice is there twice)",
	  .request = { .body = BODY_MEDIA, .schema = "application/xml" }, .max_body = 64u << 20,
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "TermbaseImport", HDR_LOCATION, "the termbase that now holds them, as TBX" }, { 400, .about = "an empty body" },
				 { 403, .about = "a role that may not add to the termbase" }, { 413, .about = "a file over 64 MiB" },
				 { 415, .about = "a Content-Type other than XML's (application/xml, text/xml, application/x-tbx, any +xml)" },
				 { 422, .about = "a file refused, nothing imported: the detail gives its line and the reason, the member line the line" },
				 { 503 }) },
	{ "GET", "/api/v1/terms/found", terms_found, 0,
	  "The termbase's terms found in a text whatever their inflection, each with its place in characters and the concept's terms in another language",
	  .params = API_PARAMS({ "text", PARAM_STRING, "the text: a sentence or a paragraph, at most 20,000 bytes", 1 },
			       { "lang", PARAM_STRING, "the text's language", 1, .values = registry_langs },
			       { "to", PARAM_STRING, "the language of the terms wanted", 1, .values = registry_langs }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "FoundTerms" },
				 { 400, .about = "no text, a text too long or not UTF-8, a language other than en, fr, es" },
				 { 403, .about = "a role that may not read the termbase" }, { 503 }) },
};

const area translation_area = {
	.name = "translation",
	.kinds = (const entity_def *const[]){ &translation_jobs, &translation_segments, &concepts, &terms, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = translation_schemas,
};
