/*
 * file — a whole small file in memory.  See file.c.
 */
#ifndef LIAISON_FILE_H
#define LIAISON_FILE_H

#include <stddef.h>

/* The regular file at path, of at most max bytes, into *data (malloc'd, with
 * a NUL after its *len bytes).  0, or -1 with one line in err. */
int file_read(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen);

/* The regular file at path mapped for reading, of any size: its pages are
 * read as they are used and let go again under memory pressure, so a file
 * larger than memory is read through.  No NUL follows it.  0, or -1 with
 * one line in err; file_unmap after. */
typedef struct file_mapped {
	const char *data;
	size_t len;
} file_mapped;
int file_map(const char *path, file_mapped *out, char *err, size_t errlen);
void file_unmap(file_mapped *f);

#endif
