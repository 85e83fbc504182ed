/*
 * translation — the translators' and the translation manager's tools: jobs
 * that turn a document's language version (or any text) into another
 * language, sentence by sentence, with a translation memory and a termbase.
 *
 *   jobs.c       the kinds: translation-jobs (a workflow from queued to done; a finished
 *                job becomes the document's version in its language) and their segments
 *                (the source cut into sentences when the job is made; each confirmed one
 *                goes into the memory)
 *   terms.c      the termbase: concepts and their terms in three languages, each keyed
 *                by its stems so that a segment's terms are found whatever their inflection
 *   memory.c     the translation memory: units, their index, exact and fuzzy matches
 *   area.c       what the area adds to Liaison, as one table
 */
#ifndef LIAISON_TRANSLATION_H
#define LIAISON_TRANSLATION_H

#include "http/http.h"
#include "model/model.h"
#include "model/registry.h"

extern const entity_def translation_jobs, translation_segments, concepts, terms;

/* The longest term the termbase recognizes, in words. */
#define TERM_WORDS_MAX 6

/* A term of the termbase found in a text: where, and the concept's terms in
 * the language asked for, by status. */
typedef struct term_hit {
	size_t off, len;           /* the words in the text */
	int64_t concept, term;     /* the concept and the term found */
	const char *found;         /* the term as the termbase writes it */
	const char **preferred, **admitted, **deprecated;  /* in the other language; NULL-terminated */
} term_hit;

/* The termbase's terms of language lang found in text, longest first where
 * two overlap, into m's arena: their number, or -1 with m's error. */
int terms_in(model_ctx *m, store_conn *c, const char *lang, const char *text, const char *other_lang,
	     term_hit **out);

#endif
