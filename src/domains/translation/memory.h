/*
 * memory — the translation memory: segment pairs that translators saved,
 * found again for a new segment as exact, in-context and fuzzy matches.
 *
 * A unit is saved with its index in the caller's transaction (tm_add, or a
 * batch for many), so that it is found by every process as soon as that
 * transaction commits.  A query (tm_fuzzy) reads the index, never the whole
 * memory: see memory.c for how candidates are found and why none that can
 * reach the threshold is missed.  tm_fuzzy_scan scores every unit of the
 * language pair with the same scorer: the reference the index is checked
 * against.  Scores are search/tmscore.h's.
 */
#ifndef LIAISON_TRANSLATION_MEMORY_H
#define LIAISON_TRANSLATION_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "search/tmscore.h"
#include "store/store.h"

/* A segment pair to save. */
typedef struct tm_unit {
	const char *source_lang, *target_lang;  /* "en", "fr" or "es", not the same */
	const char *source, *target;            /* UTF-8, not empty */
	const char *origin;                     /* a document symbol, "C/115/1"; NULL or "" for none */
	int64_t job;                            /* 0: none */
	const char *translator;                 /* NULL or "" for none */
	const char *created_at;                 /* YYYY-MM-DDThh:mm:ssZ; NULL: now */
	const char *prev_source, *next_source;  /* the neighbouring source segments; NULL at an edge */
} tm_unit;

/* What a translator asks for. */
typedef struct tm_query {
	const char *source_lang, *target_lang;
	const char *source;
	const char *prev_source, *next_source;  /* the context, NULL where unknown */
	int threshold;                          /* the least score shown, 1 to 100 */
	int k;                                  /* the most results */
} tm_query;

/* A suggestion: a unit, its score, and what differs. */
typedef struct tm_match {
	int64_t id;
	int score;         /* 1..100; 101: the same source in the same context */
	int adapted;       /* target's numbers and codes replaced by the query's (score 100) */
	const char *source, *target, *origin, *translator, *created_at;  /* the arena's */
	int64_t job;
	tm_mark *marks;    /* the candidate's source against the query's (the arena's) */
	size_t nmarks;
} tm_match;

/* What a query cost, for the benchmark. */
typedef struct tm_stats {
	uint64_t lists;       /* posting lists read */
	uint64_t entries;     /* postings decoded */
	uint64_t candidates;  /* units that shared a term the threshold needs */
	uint64_t verified;    /* units whose tokens were read and scored */
	int bounded;          /* the query's work bound was reached: results may lack a match */
} tm_stats;

/* Many units in the caller's transaction: the index's writes gathered and
 * written by term at tm_batch_end (or when the batch holds much), rather
 * than a few rows per unit. */
typedef struct tm_batch tm_batch;

tm_batch *tm_batch_begin(store_conn *c);
/* 0 with the unit's id in *id (may be NULL), or -1 with the reason in err
 * (a field and, for text, the byte offset at fault); a refused unit leaves
 * nothing behind and the batch usable. */
int tm_batch_add(tm_batch *b, const tm_unit *u, int64_t *id, char *err, size_t errlen);
/* The same in two steps, so that a bulk load does the first on another
 * thread than the one that writes: a unit made ready to save (its tokens,
 * keys and hashes, checked), which needs no database; NULL with the reason
 * in err as above.  Then the unit added with it (u as it was made ready). */
typedef struct tm_ready tm_ready;
tm_ready *tm_ready_make(const tm_unit *u, char *err, size_t errlen);
int tm_batch_add_ready(tm_batch *b, const tm_unit *u, const tm_ready *r, int64_t *id, char *err, size_t errlen);
void tm_ready_free(tm_ready *r);
/* Writes what is gathered and frees the batch; 0, or -1 (the caller rolls back). */
int tm_batch_end(tm_batch *b, char *err, size_t errlen);
/* Frees the batch without writing (the caller rolls back). */
void tm_batch_abandon(tm_batch *b);

/* One unit: a batch of one. */
int tm_add(store_conn *c, const tm_unit *u, int64_t *id, char *err, size_t errlen);

/* The units with the query's very source (normalized), in-context ones
 * (101) first, then the most recent; at most q->k. */
int tm_exact(store_conn *c, const tm_query *q, arena *a, tm_match **out, size_t *nout, char *err, size_t errlen);
/* The best q->k units scoring q->threshold or more, best first, ties the
 * most recent first (created_at, then id).  stats may be NULL.  0, or -1
 * with the reason in err. */
int tm_fuzzy(store_conn *c, const tm_query *q, arena *a, tm_match **out, size_t *nout, tm_stats *stats, char *err,
	     size_t errlen);
/* The same answer, from every unit of the pair scored in turn. */
int tm_fuzzy_scan(store_conn *c, const tm_query *q, arena *a, tm_match **out, size_t *nout, char *err, size_t errlen);

#endif
