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

static const route routes[] = {
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
};

static const route pages[] = {
	{ "GET", "/translation-jobs/{id}", translation_job_page, 1 },
	{ "POST", "/translation-jobs/{id}/xliff", translation_xliff_page, 1, .max_body = XLIFF_UPLOAD_MAX },
};

const area translation_area = {
	.name = "translation",
	.kinds = (const entity_def *const[]){ &translation_jobs, &translation_segments, &concepts, &terms, NULL },
	.routes = routes, .nroutes = COUNT(routes),
	.schemas = translation_schemas,
	.pages = pages, .npages = COUNT(pages),
};
