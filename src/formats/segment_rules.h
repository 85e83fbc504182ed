/*
 * segment_rules — the data the segmenter (segment.c) reads: ordered sets of
 * break and no-break rules, and which sets each language applies, in the
 * order they apply (SRX's languagerules and maprules).  The rules and the
 * pattern language they are written in are in segment_rules.c; only
 * segment.c includes this.
 */
#ifndef LIAISON_SEGMENT_RULES_H
#define LIAISON_SEGMENT_RULES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct segment_rule {
	bool breaks;          /* a break rule; otherwise a no-break rule */
	const char *before;   /* a pattern the text before the position ends with ("" matches always) */
	const char *after;    /* a pattern the text after the position starts with */
} segment_rule;

typedef struct segment_ruleset {
	const char *name;
	const segment_rule *rules;
	size_t count;
} segment_ruleset;

#define SEGMENT_SETS_MAX 4

typedef struct segment_map {
	const char *lang;                                 /* "en": also "en-..." */
	const segment_ruleset *sets[SEGMENT_SETS_MAX];    /* applied in this order; NULL after the last */
} segment_map;

extern const segment_ruleset *const segment_rulesets[];   /* every set, NULL after the last */
extern const segment_map segment_maps[];                  /* every language, lang NULL after the last */

#endif
