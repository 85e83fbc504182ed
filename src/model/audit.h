/*
 * audit — the append-only, hash-chained log of every write.
 *
 * Each entry's hash covers the previous entry's hash and every column of
 * the entry; the changes enter through their own hash (changes_hash), so
 * that erasing a person's data from an old entry's changes keeps the chain
 * checkable.  An erasure names the entries it redacted in an entry of its
 * own, and a redaction that no later entry names is a forgery.
 * `liaison audit verify` recomputes the chain and names the first entry that
 * was altered, removed or inserted; a head (an entry's sequence number and
 * hash) kept outside the database also shows that no entry was cut from the
 * end or rewritten up to it, which the chain alone cannot show.
 */
#ifndef LIAISON_AUDIT_H
#define LIAISON_AUDIT_H

#include <stdint.h>

#include "model/model.h"

int audit_append(store_conn *c, const user *u, const char *action, const char *kind,
		 int64_t record_id, int64_t version, const char *changes);

/* An entry of the chain as an anchor: "SEQ:HASH".  seq 0 is the start of
 * the chain (the hash of no entry, 64 zeros). */
typedef struct audit_head {
	int64_t seq;
	char hash[65];
	char origin[96];  /* where it comes from, for messages: "given with --head", "recorded on ..." */
} audit_head;

int audit_head_of(store *s, audit_head *out);             /* the newest entry; 0 when it could read */
int audit_head_parse(const char *text, audit_head *out);  /* 0 when text is SEQ:HASH */

typedef struct audit_report {
	int ok;
	int64_t entries;      /* checked */
	int64_t first_bad;    /* id of the first bad entry (or the first missing one), 0 when ok */
	int64_t heads;        /* heads found in the chain */
	char reason[400];
} audit_report;
/* Checks the chain and that each of heads is in it.  Read the heads before
 * calling: an entry a head names was committed before the head was taken. */
int audit_verify(store *s, const audit_head *heads, size_t nheads, audit_report *out);  /* 0 when it could read the log */

/* Erasure: replaces the changes of every entry about one record, and
 * appends an entry, by u, naming them; the chain stays valid. */
int audit_redact(store_conn *c, const user *u, const char *kind, int64_t record_id);

/* The entries as JSON, newest first, for one record (e and id) or for all.
 * Admins read everything; directors the entries of any record they may read;
 * other staff those of records of their own division. */
int audit_list(model_ctx *m, const entity *e, const char *id, int64_t before_id, int64_t limit);

#endif
