/*
 * errmsg — the one-line reasons functions hand back in (err, errlen)
 * buffers: "the file is truncated", "hours: '25:00' is not a time of day".
 */
#ifndef LIAISON_ERRMSG_H
#define LIAISON_ERRMSG_H

#include <stddef.h>

/* Writes the reason (when err is not NULL) and returns -1, so that a
 * failing path reads "return errmsg(err, errlen, ...);". */
int errmsg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
