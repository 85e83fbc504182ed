/*
 * search — one search box over every kind of record.
 *
 * Writing: every record whose kind has SEARCHED fields is indexed in the
 * same transaction as the record itself, as one document holding its
 * language versions (search_index_record), so search never shows a record
 * that is not there nor misses one that is.  Archiving removes it.  (A bulk
 * load may instead have it built beside it: search_follow below.)
 *
 * Reading: the query (see search/query.h for its syntax) is matched against
 * the most recent SEARCH_CANDIDATES documents the caller may read — access is
 * a condition of the query, never a filter after it, and filters are part of
 * the FTS5 expression — which are then ranked by liaison_rank (BM25, each
 * field's words weighed by its weight, a title's ten times a body's unless
 * the registry says otherwise; see store/rank.h), ties broken by recency,
 * counted into facets and paged.  When words find almost nothing, the words
 * of titles that look like them are searched instead, and the answer says so.
 *
 * Facets and weights are the registry's (FACET fields, field_def.weight; see
 * searchshape.c): the index is built for them, and search_prepare rebuilds
 * it on start when the registry describes others than the database's index
 * was built for.
 */
#ifndef LIAISON_SEARCH_H
#define LIAISON_SEARCH_H

#include <stdio.h>

#include "model/model.h"

#define SEARCH_CANDIDATES 1000

/* On start, after the registry's tables: gives the store the registry's
 * columns of words and, when the index was built for other facets or
 * columns (or never), rebuilds it, writing its progress to progress (NULL:
 * quiet) as "search: rebuilding the index for changed facets and weights:
 * N of M records".  0, or -1 with a reason in err. */
int search_prepare(store *st, const registry *reg, FILE *progress, char *err, size_t errlen);
/* The same for a database whose records are indexed elsewhere (a bulk
 * load's scratch index): the index's tables made anew, empty, in the
 * registry's shape. */
int search_prepare_empty(store *st, const registry *reg, char *err, size_t errlen);

/* The shape of the index, from the registry (searchshape.c). */
int search_shape_build(registry *r, char *err, size_t errlen);  /* by registry_build */
int search_indexed(const entity *e);                             /* the kind has SEARCHED fields */
int search_column(const registry *r, const field_def *f);        /* a searched field's column of words */
const field_def *search_facet(const registry *r, const char *name);  /* NULL: no facet of that name */
int search_facet_column(const entity *e, const field_def *facet);     /* its column in e, or -1 */
void search_fingerprint(const registry *r, buf *out);

int search_index_record(model_ctx *m, store_conn *c, const record *r);
/* The same for a record whose facts changed without a new version. */
int search_refresh_record(model_ctx *m, store_conn *c, const record *r);
/* Rebuilds the index from the records (the first `limit` only, when not 0). */
int search_reindex(model_ctx *m, size_t limit, size_t *records);

/* A bulk load's index, built beside it on another thread (searchload.c):
 * search_follow pauses the store's own search writes and starts following
 * the audit log; search_follow_end, once the load has committed its last
 * write, waits for the index to catch up and makes it the store's. */
typedef struct search_follower search_follower;
search_follower *search_follow(store *st, const registry *reg, char *err, size_t errlen);
int search_follow_end(search_follower *f, char *err, size_t errlen);

int model_search(model_ctx *m, const char *q, const char *cursor, int64_t limit);
/* type: NULL, a kind, or kinds separated by commas ("organizations,persons"); "users" alone
 * finds accounts by name or e-mail (accounts_suggest). */
int model_suggest(model_ctx *m, const char *prefix, const char *type);

#endif
