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
 *   termbase.c   the termbase in and out as TBX: an import in one transaction, an
 *                export a page of concepts at a time
 *   termroutes.c the termbase's API: TBX both ways, and a text's terms for the editor
 *   memory.c     the translation memory: units, their index, exact and fuzzy matches
 *   area.c       what the area adds to Liaison, as one table
 */
#ifndef LIAISON_TRANSLATION_H
#define LIAISON_TRANSLATION_H

#include "formats/tbx.h"
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

/* ---- the termbase as TBX (termbase.c) ---- */

typedef struct termbase_counts {
	size_t concepts, terms;   /* created */
} termbase_counts;

/* Every concept of a TBX file and its terms, created as m's user in one
 * transaction: 0 with what was created in *n, or -1 with m's error and
 * nothing written (422 for the file: "line N: reason", and the problem's
 * member "line"; 403 when the user may not add to the termbase).  The file
 * is len bytes at data, or what fd reads. */
int termbase_import_memory(model_ctx *m, const char *data, size_t len, termbase_counts *n);
int termbase_import_fd(model_ctx *m, int fd, termbase_counts *n);

/* The termbase as TBX, handed to write in pieces, a page of concepts at a
 * time.  NULL when memory ran out. */
typedef struct termbase_export termbase_export;
termbase_export *termbase_export_open(xmlstream_write_fn write, void *ctx);
/* The next page of the concepts m's user may read: 1 when it was written
 * and more may follow, 0 when the document's end was written, -1 with m's
 * error (404 when there was no concept to write: TBX cannot hold an empty
 * termbase).  Each page may have a model context of its own. */
int termbase_export_page(termbase_export *x, model_ctx *m);
size_t termbase_exported(const termbase_export *x);   /* concepts written so far */
/* Frees x; a document not ended is dropped, not ended. */
void termbase_export_free(termbase_export *x);

/* ---- the API (termroutes.c) ---- */

void termbase_tbx_get(request *r);
void termbase_tbx_post(request *r);
void terms_found(request *r);
extern const api_schema translation_schemas[];

#endif
