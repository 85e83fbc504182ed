/*
 * translation — the translators' and the translation manager's tools: jobs cut into sentences, the
 * translation memory, the termbase. The area's table: its kinds of record, routes, pages, roles,
 * figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include <stdint.h>

#include "domains/domains.h"
#include "domains/translation/translation.h"

static const char *const xliff_versions[] = { "1.2", "2.0", NULL };

static const api_param langs_pair[] = {
	{ "from", PARAM_STRING, "the language of the sentences looked up", 1, .values = registry_langs },
	{ "to", PARAM_STRING, "the language of the translations", 1, .values = registry_langs },
	{ NULL },
};

static const route routes[] = {
	{ "GET", "/api/v1/translation-memory/matches", translation_matches, 0,
	  "The memory's matches for a sentence: the same sentence (101 in the same context, 100), then fuzzy matches scored "
	  "as OmegaT scores them, best first, each with the words that differ",
	  .params = API_PARAMS({ "text", PARAM_STRING, "the sentence", 1 },
			       { "from", PARAM_STRING, "its language", 1, .values = registry_langs },
			       { "to", PARAM_STRING, "the language of the translations", 1, .values = registry_langs },
			       { "threshold", PARAM_INTEGER, "the least score (50 when not given)", .min = 1, .max = 100 },
			       { "limit", PARAM_INTEGER, "the most matches (5 when not given)", .min = 1, .max = 20 },
			       { "before", PARAM_STRING, "the sentence before it, for matches in context" },
			       { "after", PARAM_STRING, "the sentence after it" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "MemoryMatches" }, { 400, .about = "languages not two of en, fr, es, no text, "
									   "or a threshold or limit out of range" },
				 { 403, .about = "for staff" }, { 422, .about = "a text that is not well-formed UTF-8" }, { 503 }) },
	{ "GET", "/api/v1/translation-segments/{id}/matches", translation_segment_matches, 0,
	  "The memory's matches for a job's sentence, in its context",
	  .params = API_PARAMS(PARAM_ID, { "limit", PARAM_INTEGER, "the most matches (5 when not given)", .min = 1, .max = 20 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "MemoryMatches" }, { 400, .about = "a limit out of range" },
				 { 403, .about = "for staff" }, { 404 }, { 503 }) },
	{ "POST", "/api/v1/translation-segments/{id}/checks", translation_segment_checks, 0,
	  "The checks on a translation of the sentence, the one given or its own: numbers, tags and placeholders, the "
	  "termbase's terms, spaces, end punctuation, spelling",
	  .params = API_PARAMS(PARAM_ID), .request = { .body = BODY_NAMED, .schema = "TranslationChecked" },
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "TranslationChecks" }, { 404 }, { 503 }) },
	{ "GET", "/api/v1/translation-segments/{id}/machine", translation_segment_machine, 0,
	  "A machine translation of the sentence (Apertium; English-French through Spanish), a suggestion never saved",
	  .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "MachineSuggestion" }, { 404 },
				 { 422, .about = "no machine translation between the job's languages" },
				 { 503, .about = "the machine translation did not answer in time, or is not installed" }) },
	{ "POST", "/api/v1/translation-memory/leverage", translation_leverage, 0,
	  "A text against the memory: its sentences and words in each band of match, and what the rest would cost",
	  .request = { .body = BODY_NAMED, .schema = "LeverageAsked" },
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Leverage" }, { 403, .about = "for staff" },
				 { 422, .about = "languages not two of en, fr, es, or no text" }, { 503 }) },
	{ "GET", "/api/v1/translation-jobs/{id}/leverage", translation_job_leverage, 0,
	  "A job's text against the memory, as the translation manager plans and costs it", .params = API_PARAMS(PARAM_ID),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Leverage" }, { 403, .about = "for staff" }, { 404 }, { 503 }) },
	{ "POST", "/api/v1/translation-memory/tmx", translation_memory_import, 0,
	  "Add a TMX 1.4 file's units to the memory, all of them or, when the file is refused, none",
	  .params = API_PARAMS({ "origin", PARAM_STRING, "the document symbol of units that name none" }),
	  .request = { .body = BODY_MEDIA, .schema = "application/x-tmx+xml" }, .max_body = 64u << 20,
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "MemoryImported" }, { 400, .about = "an empty body" },
				 { 403, .about = "for translators and the staff who edit records" }, { 413, .about = "a file over 64 MiB" },
				 { 415, .about = "a body declared as something other than XML" },
				 { 422, .about = "a file that is no TMX or is broken: its line and why" }, { 503 }) },
	{ "GET", "/api/v1/translation-memory/concordance", translation_concordance, 0,
	  "A word or phrase in context across the memory: the units whose text in the language holds its words one after "
	  "the other, stemmed in that language, best first, each with the other side and where the words are (in characters)",
	  .params = API_PARAMS({ "text", PARAM_STRING, "the word or phrase", 1 },
			       { "lang", PARAM_STRING, "its language", 1, .values = registry_langs },
			       { "limit", PARAM_INTEGER, "the most units (50 when not given)", .min = 1, .max = 200 }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Concordance" },
				 { 400, .about = "no text, a text of no word, a language not en, fr, es, or a limit out of range" },
				 { 403, .about = "for staff" }, { 503 }) },
	{ "GET", "/api/v1/translation-memory/tmx", translation_memory_export, 0, "One language pair of the memory as TMX 1.4",
	  .params = langs_pair,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/x-tmx+xml", HDR_DISPOSITION },
				 { 400, .about = "languages not two of en, fr, es" }, { 403, .about = "for staff" }, { 503 }) },
	{ "GET", "/api/v1/translation-jobs/{id}/xliff", translation_xliff_get, 0,
	  "The job as XLIFF for translators' desktop tools: its sentences in order, with their translations and states",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the job's id", .min = 1, .max = INT64_MAX },
			       { "version", PARAM_STRING, "the XLIFF version (1.2 when not given)", .values = xliff_versions }),
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/xliff+xml", HDR_DISPOSITION },
				 { 400, .about = "a version other than 1.2 and 2.0" },
				 { 404, .about = "no job with this id the caller may read" }, { 503 }) },
	{ "PUT", "/api/v1/translation-jobs/{id}/xliff", translation_xliff_put, 0,
	  "Bring the job's XLIFF back from a desktop tool: every sentence whose translation or state it changed is "
	  "updated, all of them or, when one is refused, none",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the job's id", .min = 1, .max = INT64_MAX }),
	  .request = { .body = BODY_MEDIA, .schema = "application/xliff+xml" }, .max_body = XLIFF_UPLOAD_MAX,
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "XliffImport" },
				 { 400, .about = "an empty body" },
				 { 403, .about = "the caller is not the job's translator or reviser, nor a translation manager" },
				 { 409, .about = "the job is finished: its translation is the document's version now" },
				 { 412, .about = "a sentence changed in Liaison while the file was being read" },
				 { 413, .about = "a file over 64 MiB" },
				 { 415, .about = "a body declared as something other than XML" },
				 { 422, .about = "malformed XML, a version Liaison does not read, other languages, another "
					 "document, other sentences or sources than the job's (with the file's line), or a "
					 "translation a sentence's rules refuse (naming the sentence)" },
				 { 503 }) },
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

static const route pages[] = {
	{ "GET", "/translation", translation_board_page, 1 },
	{ "GET", "/translation-memory", translation_concordance_page, 1 },
	{ "GET", "/translation-jobs/{id}", translation_job_page, 1 },
	{ "GET", "/translation-jobs/{id}/translate", translation_editor_page, 1 },
	{ "POST", "/translation-jobs/{id}/translate", translation_editor_save, 1 },
	{ "GET", "/translation-jobs/{id}/leverage", translation_leverage_page, 1 },
	{ "POST", "/translation-jobs/{id}/xliff", translation_xliff_page, 1, .max_body = XLIFF_UPLOAD_MAX },
};

const area translation_area = {
	.name = "translation",
	.kinds = (const entity_def *const[]){ &translation_jobs, &translation_segments, &concepts, &terms, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = translation_schemas,
	.pages = pages, .npages = COUNT(pages),
	.configure = translation_configure,
};
