/*
 * fileout — where the benchmarks' generators write what a codec's writer
 * hands them: a file (or nowhere, fd < 0, to time the writing alone),
 * counting the bytes.
 */
#ifndef LIAISON_BENCH_FILEOUT_H
#define LIAISON_BENCH_FILEOUT_H

#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct file_out {
	int fd;
	size_t bytes;
} file_out;

/* A codec's write function: ctx is a file_out. */
static inline int to_file(void *ctx, const char *data, size_t len)
{
	file_out *f = ctx;
	f->bytes += len;
	return f->fd < 0 || write(f->fd, data, len) == (ssize_t)len ? 0 : -1;
}

#endif
