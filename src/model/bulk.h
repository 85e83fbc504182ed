/*
 * bulk — many records written by one writer, as demo data is: the records
 * created one after another through the model (validated, numbered,
 * audited like any), committed every so many, so that memory stays
 * bounded and a commit writes the pages the records share fewer times.
 */
#ifndef LIAISON_BULK_H
#define LIAISON_BULK_H

#include "model/model.h"

typedef struct bulk {
	store *st;
	const registry *reg;
	model_ctx m;          /* the writer's context, renewed at each commit */
	const user *u;
	store_conn *c;        /* the open transaction, or NULL */
	size_t pending, per_commit;
	char err[256];        /* why the last write failed */
} bulk;

void bulk_begin(bulk *b, store *st, const registry *reg, const user *u, size_t per_commit);
/* The transaction the next write goes into, begun when none is open; NULL (with err) when busy. */
store_conn *bulk_conn(bulk *b);
/* Creates a record of kind from body (taken), as it is (CREATE_AS_IS, CREATE_FORCE): its id, or -1
 * with err, the records since the last commit rolled back. */
int64_t bulk_add(bulk *b, const char *kind, json_t *body);
/* Counts a write made in bulk_conn's transaction by the caller itself; 0, or -1 when a commit failed. */
int bulk_wrote(bulk *b);
/* Commits what is pending when ok, else rolls it back; 0, or -1 when the commit failed. */
int bulk_end(bulk *b, int ok);

/* A handful of records written by fn as any write is (their rules, audit
 * and search), in one transaction as user u: committed when fn returns 0,
 * else rolled back with "what: why" in err.  The demos' last few records. */
int bulk_few(store *st, const registry *reg, const user *u, int (*fn)(model_ctx *m, store_conn *c), const char *what,
	     char *err, size_t errlen);
/* Within such a fn: a record of kind from body (taken), as any create is but for the duplicate check
 * (CREATE_FORCE), into out; 0, or -1 with m's error. */
int bulk_few_add(model_ctx *m, store_conn *c, const char *kind, json_t *body, record *out);
/* The first account's id, to whom demo work is given; 0, or -1 with m's error when there is none. */
int bulk_first_user(model_ctx *m, store_conn *c, int64_t *id);

#endif
