/*
 * merge — two records of one kind that are the same body or person become
 * one, and the merge can be undone.
 *
 * Which references to move is read from the registry: every F_REF field of
 * any kind that points at the merged kind, and every link (F_LINKS) to it.
 * Each moved reference, and what the kept record gained (empty fields
 * filled, lists joined), is written down in the merges table, so undo puts
 * back exactly what the merge moved and nothing that changed since.  Both
 * histories stay: every change is an ordinary audited write.
 */
#ifndef LIAISON_MERGE_H
#define LIAISON_MERGE_H

#include "model/model.h"

int model_merge(model_ctx *m, const entity *e, const char *keep_id, const char *merge_id);
int model_merge_undo(model_ctx *m, const char *merge_id);
int model_merge_get(model_ctx *m, const char *merge_id);
/* The merges into one record, newest first (at most 20): {"items": [{id, merged, at, undone_at}]}. */
int model_merges_into(model_ctx *m, const entity *e, int64_t kept_id);

#endif
