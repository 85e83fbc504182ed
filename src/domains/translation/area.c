/*
 * translation — the translators' and the translation manager's tools: jobs cut into sentences, the
 * translation memory, the termbase. The area's table: its kinds of record, routes, pages, roles,
 * figures, periodic passes, settings and first records, whatever it has of them (domains.h).
 * domains.c lists the areas; nothing else names this area's parts.
 */
#include "domains/domains.h"
#include "domains/translation/translation.h"

const area translation_area = {
	.name = "translation",
	.kinds = (const entity_def *const[]){ &translation_jobs, &translation_segments, &concepts, &terms, NULL },
};
