/*
 * personal — data-protection requests on any kind of record that holds
 * personal data (fields marked PERSONAL): everything held on one record,
 * and its erasure.  Administrators and directors only.  See personal.c.
 */
#ifndef LIAISON_PERSONAL_H
#define LIAISON_PERSONAL_H

#include "model/model.h"

/* 1 when the kind has a PERSONAL field. */
int personal_kind(const entity *e);
/* 1 when u answers data-protection requests: administrators and directors. */
int personal_may(const user *u);

/* m->body: {"kind", "record", "referring": {KIND: [records]}, "audit": [entries]}:
 * the record, every record of every kind that refers to it (by a reference
 * or a link) that the user may read, and its audit trail.  0, or -1. */
int model_personal_export(model_ctx *m, const entity *e, const char *id);

/* Empties every PERSONAL field of the record and of the records that take
 * their access from it (an inquiry's messages); a required text field
 * becomes "[erased]".  Their audit entries' changes are redacted and the
 * erasure recorded: which fields, never what they held.  m->body: the
 * record as it is now.  0, or -1. */
int model_erase(model_ctx *m, const entity *e, const char *id);

#endif
