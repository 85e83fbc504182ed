/*
 * auditheads — heads of the audit chain kept outside the database.
 *
 * A head is an entry's sequence number and hash (audit.h).  A heads file is
 * text that only grows, one head a line:
 *
 *   TIME SEQ:HASH WHAT
 *
 * TIME as YYYY-MM-DDThh:mm:ssZ, WHAT who recorded it (start, running, stop,
 * backup).  The server and `liaison backup` append to it; `liaison audit
 * verify` reads it and checks that the database still holds every head it
 * lists.  By default it lies beside the database (DB-PATH-heads); a copy on
 * another machine is what an attacker holding the database cannot rewrite.
 */
#ifndef LIAISON_AUDITHEADS_H
#define LIAISON_AUDITHEADS_H

#include <stddef.h>

#include "model/audit.h"

typedef struct audit_heads {
	audit_head *v;
	size_t n, cap;
} audit_heads;

char *audit_heads_path(const char *db_path);  /* DB-PATH-heads, malloc'ed */

/* h as one line of the file at path, appended, or replacing the file when
 * append is 0; on the disk before it returns.  0, or -1 with err. */
int audit_heads_write(const char *path, const audit_head *h, const char *what, int append, char *err, size_t errlen);

/* The newest head of s, written to path as above. */
int audit_heads_record(store *s, const char *path, const char *what, audit_head *out, char *err, size_t errlen);

/* Adds the heads listed in path to list; a file that does not exist adds
 * none when missing_ok.  0, or -1 with err naming the file (and the line). */
int audit_heads_read(const char *path, int missing_ok, audit_heads *list, char *err, size_t errlen);

int audit_heads_add(audit_heads *list, const audit_head *h);
void audit_heads_free(audit_heads *list);

#endif
