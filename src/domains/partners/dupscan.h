/*
 * dupscan — the likely duplicates of the whole registry, found at once by
 * `liaison duplicates scan`, and the review queue where staff merge each
 * pair or say that it is two records, which no scan lists again.
 */
#ifndef LIAISON_DUPSCAN_H
#define LIAISON_DUPSCAN_H

#include "model/model.h"

typedef struct dup_scanned {
	int64_t records;   /* with facts kept: not archived */
	int64_t keys;      /* rows of dup_keys read */
	int64_t compared;  /* pairs sharing a key, compared */
	int64_t found;     /* pairs alike enough, now in the queue */
	int64_t dismissed; /* pairs alike enough that staff had said are two */
} dup_scanned;

/* Whether e is a kind whose records are checked for duplicates. */
int duplicates_kind(const entity *e);

/* Every pair of e's records alike enough, in place of the last scan's pairs
 * of e, in one transaction; 0, or -1 with one line in err. */
int duplicates_scan(store *st, const registry *reg, const entity *e, dup_scanned *out, char *err, size_t errlen);

/* The queue, best first, of kind (NULL: every kind checked), as the reader
 * may see it: pairs of records they may read, neither archived, each with
 * why in their language.  m->body: {"items": [...]}; -1 with m's problem. */
int duplicates_queue(model_ctx *m, const char *kind, int64_t limit);

/* Staff say that records a and b of kind are two: the pair leaves the queue
 * for good, and each record's history says so.  m->body: the dismissal. */
int duplicates_dismiss(model_ctx *m, const char *kind, int64_t a, int64_t b);

#endif
