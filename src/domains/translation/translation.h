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
 *   best.c       the matches a translator is offered: exact ones, then fuzzy ones
 *   checks.c     what may be wrong in a translation: numbers, tags, terms, spaces, spelling
 *   concordance.c a word or a phrase in context across the memory, in either language
 *   memoryio.c   the memory in and out as TMX, for the API and the command line
 *   board.c      the translation manager's page: open jobs by state, each translator's workload
 *   editor.c     the translator's page: a sentence with its matches, terms, checks and a machine's suggestion
 *   routes.c     the area's API: matches, leverage, the memory as TMX
 *   leverage.c   a text against the memory, in the industry's bands, with what it would cost
 *   settings.c   the rates and weights the estimates count with (the "translation" member of --config)
 *   xliff.c      a job taken to translators' desktop tools as XLIFF and brought back,
 *                its API and its page
 *   demo.c       a termbase, a job half translated, a job queued: for trying the area
 *   area.c       what the area adds to Liaison, as one table
 */
#ifndef LIAISON_TRANSLATION_H
#define LIAISON_TRANSLATION_H

#include "formats/tbx.h"
#include "http/http.h"
#include "model/model.h"
#include "model/registry.h"
#include "store/tokenizer.h"

extern const entity_def translation_jobs, translation_segments, concepts, terms;

/* The largest XLIFF file a job takes back. */
#define XLIFF_UPLOAD_MAX (64u << 20)

void translation_xliff_get(request *r);   /* GET /api/v1/translation-jobs/{id}/xliff */
void translation_xliff_put(request *r);   /* PUT /api/v1/translation-jobs/{id}/xliff */
void translation_job_page(request *r);    /* GET /translation-jobs/{id} */
void translation_xliff_page(request *r);  /* POST /translation-jobs/{id}/xliff */

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

/* ---- leverage and its settings (leverage.c, settings.c) ---- */

/* The bands of a leverage analysis, best first: the same sentence in the
 * same context (101), the same sentence (100), fuzzy matches 95-99, 85-94,
 * 75-84, 50-74, nothing, and repetitions of a sentence earlier in the text. */
enum { BAND_IN_CONTEXT, BAND_EXACT, BAND_95, BAND_85, BAND_75, BAND_50, BAND_NONE, BAND_REPETITION, LEVERAGE_BANDS };
extern const char *const leverage_band_names[LEVERAGE_BANDS];

typedef struct translation_config {
	char currency[4];               /* ISO 4217 */
	int rate_per_word;              /* in the currency's minor units */
	int weights[LEVERAGE_BANDS];    /* per cent of the rate a band's words cost */
} translation_config;
const translation_config *translation_settings(void);
/* The "translation" member of the JSON file at path (NULL: the defaults);
 * 0, or -1 with one line in err and the settings left as they were. */
int translation_configure(const char *path, char *err, size_t errlen);

typedef struct leverage {
	int64_t segments[LEVERAGE_BANDS], words[LEVERAGE_BANDS];
	int64_t total_segments, total_words;
	int64_t weighted_words;         /* words times their band's weight, rounded: what is paid for */
	int64_t cost;                   /* weighted words times the rate, in minor units of currency */
} leverage;

/* The text (in from) against the memory's units into to: each sentence's
 * band by its best match, a sentence seen before in the text counted as a
 * repetition.  0, or -1 with m's error. */
int leverage_of(model_ctx *m, store_conn *c, const char *from, const char *to, const char *text, leverage *out);
/* The analysis as JSON: bands with their segments, words and weight, the
 * totals, and the estimate with its currency. */
json_t *leverage_json(const leverage *l);

/* ---- what a translator is offered (best.c) ---- */
struct tm_query;
struct tm_match;
/* The memory's matches for q: exact ones first (101, then 100), then fuzzy
 * ones from q->threshold, best first, none twice, q->k at most, into a;
 * 0, or -1 with the reason in err. */
int memory_best(store_conn *c, const struct tm_query *q, arena *a, struct tm_match **out, size_t *nout, char *err,
		size_t errlen);

/* ---- checks on a translation (checks.c) ---- */

typedef struct checked {
	const char *from, *to;          /* the languages */
	const char *source, *target;
	const term_hit *hits;           /* the termbase's terms in the source (terms_in), or NULL */
	int nhits;
} checked;
/* The warnings on the target, as JSON objects {code, message, item, offset, length[, suggest]}. */
json_t *checks_of(arena *a, const checked *in);

/* ---- the concordance (concordance.c) ---- */

/* The unit's words into the concordance's index, in the caller's transaction: whoever saves a unit
 * calls it; 0 or -1. */
int concordance_add(store_conn *c, int64_t unit, const char *source_lang, const char *source, const char *target_lang,
		    const char *target);
/* A unit's words made ahead by a tokenizer of the concordance's (search_tokenizer_new("all"), one per
 * thread), on any thread: each language's column as the index takes it, for a language the unit is in
 * (has).  Then added in the writer's transaction as concordance_add adds them.  0 or -1 each. */
typedef struct concordance_words {
	buf text[NLANGS];
	int has[NLANGS];
} concordance_words;
int concordance_words_of(search_tokenizer *t, const char *source_lang, const char *source, const char *target_lang,
			 const char *target, concordance_words *out);
int concordance_add_words(store_conn *c, int64_t unit, const concordance_words *w);
void concordance_words_free(concordance_words *w);
/* Many units' words added in the caller's transaction (loading 1), then the index's usual settings
 * back (loading 0): see store_fts_bulk; 0 or -1. */
int concordance_bulk(store_conn *c, int loading);
/* The units whose text in lang holds text's words one after the other (stemmed), best first, at most
 * limit, as JSON objects with the place found; 0, or -1 with m's error (400 for a text of no word). */
int concordance_find(model_ctx *m, store_conn *c, const char *lang, const char *text, int64_t limit, json_t **items);

/* ---- the memory as TMX (memoryio.c) ---- */

typedef struct memory_import {
	int64_t units;        /* units added */
	int64_t skipped;      /* variants in no language of Liaison's, or empty */
	long line;            /* where a refused file is wrong, 0 when no line applies */
	char error[320];      /* why it was refused: one line */
} memory_imported;

/* A TMX document (data, len; or read from fd when data is NULL) into the
 * memory in one transaction of st: 0, or -1 with nothing added and out
 * saying why.  origin: the document symbol of units that name none. */
int memory_import(store *st, const char *data, size_t len, int fd, const char *origin, memory_imported *out);

/* One language pair's units as a TMX document, handed to write in pieces;
 * 0 with their number in *count, or -1 with one line in err. */
int memory_export(store *st, const char *from, const char *to, int (*write)(void *ctx, const char *data, size_t len),
		  void *ctx, int64_t *count, char *err, size_t errlen);

/* A few jobs, terms and memory units for trying the area, after the other
 * demo data (the first account translates); 0, or -1 with one line in err. */
int translation_demo(store *st, const registry *reg, char *err, size_t errlen);

/* ---- pages and routes ---- */
extern const api_schema translation_schemas[];
void translation_editor_page(request *r);
void translation_editor_save(request *r);
void translation_leverage_page(request *r);
void translation_board_page(request *r);
void translation_concordance(request *r);
void translation_segment_checks(request *r);
void translation_segment_machine(request *r);
void translation_concordance_page(request *r);
/* What the job's page shows of the translation: its progress, the links to the editor and the leverage. */
struct page;
void translation_job_view(struct page *p, json_t *job);
void translation_matches(request *r);
void translation_segment_matches(request *r);
void translation_leverage(request *r);
void translation_job_leverage(request *r);
void translation_memory_import(request *r);
void translation_memory_export(request *r);
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

#endif
