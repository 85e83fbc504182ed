/*
 * audit — the append-only, hash-chained log of every write.
 *
 * Each entry's hash covers the previous entry's hash and this entry's facts;
 * the changes enter through their own hash (changes_hash), so that erasing a
 * person's data from an old entry's changes keeps the chain checkable.
 * `liaison audit verify` recomputes the chain and names the first entry that
 * was altered, removed or inserted.
 */
#ifndef LIAISON_AUDIT_H
#define LIAISON_AUDIT_H

#include <stdint.h>

#include "model/model.h"

int audit_append(store_conn *c, const user *u, const char *action, const char *kind,
		 int64_t record_id, int64_t version, const char *changes);

typedef struct audit_report {
	int ok;
	int64_t entries;      /* checked */
	int64_t first_bad;    /* id of the first bad entry, 0 when ok */
	char reason[200];
} audit_report;
int audit_verify(store *s, audit_report *out);  /* 0 when it could read the log */

/* Replaces the changes of every entry about one record (erasure); the hashes stay valid. */
int audit_redact(store_conn *c, const char *kind, int64_t record_id);

/* The entries as JSON, newest first, for one record (e and id) or for all.
 * Admins read everything; directors the entries of any record they may read;
 * other staff those of records of their own division. */
int audit_list(model_ctx *m, const entity *e, const char *id, int64_t before_id, int64_t limit);

#endif
