/*
 * file — a whole small file in memory.  See file.c.
 */
#ifndef LIAISON_FILE_H
#define LIAISON_FILE_H

#include <stddef.h>

/* The regular file at path, of at most max bytes, into *data (malloc'd, with
 * a NUL after its *len bytes).  0, or -1 with one line in err. */
int file_read(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen);

#endif
