/*
 * mo — GNU .mo message catalogs, read and checked in full before use.
 * See mo.c.
 */
#ifndef LIAISON_MO_H
#define LIAISON_MO_H

#include <stddef.h>

typedef struct mo_catalog mo_catalog;

/*
 * Read and check the whole file.  Returns 0 and *out, or -1 with a one-line
 * reason in err; a damaged file is reported, never trusted.  Entries with a
 * context (msgctxt) are ignored; plural entries are found by their singular
 * msgid and yield the first form.  The catalog must be UTF-8 (or ASCII).
 */
int mo_open(const char *path, mo_catalog **out, char *err, size_t errlen);

/* The same for a catalog already in memory (len bytes at data, which the
 * catalog copies); the reason in err then names no file. */
int mo_parse(const void *data, size_t len, mo_catalog **out, char *err, size_t errlen);

/* The translation of msgid, or NULL if none; valid until mo_close. */
const char *mo_lookup(const mo_catalog *cat, const char *msgid);

void mo_close(mo_catalog *cat);   /* NULL is fine */

#endif
