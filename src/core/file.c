/*
 * file — a whole small file read into memory, the way parsers of files
 * (catalogs, iso-codes lists) want it: only a regular file, not beyond a
 * size the caller names, NUL-terminated so text parsers may read it as a
 * C string.  Or a file of any size mapped, for readers that stream through
 * it (imports).  Every failure is one line naming the file.
 */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errmsg.h"

static int read_all(int fd, char *dst, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, dst + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* The regular file at path opened, its size in *st: the descriptor, or -1 with err. */
static int open_regular(const char *path, struct stat *st, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errmsg(err, errlen, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, st) < 0)
		errmsg(err, errlen, "cannot stat %s: %s", path, strerror(errno));
	else if (!S_ISREG(st->st_mode))
		errmsg(err, errlen, "%s: not a regular file", path);
	else
		return fd;
	close(fd);
	return -1;
}

int file_read(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	int fd = open_regular(path, &st, err, errlen);
	if (fd < 0)
		return -1;
	if ((uintmax_t)st.st_size > max) {
		errmsg(err, errlen, "%s: file too large", path);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		errmsg(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (read_all(fd, buf, (size_t)st.st_size) < 0) {
		errmsg(err, errlen, "cannot read %s", path);
		goto fail;
	}
	buf[st.st_size] = '\0';
	close(fd);
	*data = buf;
	*len = (size_t)st.st_size;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

int file_map(const char *path, file_mapped *out, char *err, size_t errlen)
{
	struct stat st;
	*out = (file_mapped){ "", 0 };
	int fd = open_regular(path, &st, err, errlen);
	if (fd < 0)
		return -1;
	void *p = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);   /* the mapping keeps the file */
	if (p == MAP_FAILED)
		return errmsg(err, errlen, "cannot read %s: %s", path, strerror(errno));
	if (p) {
		madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
		*out = (file_mapped){ p, (size_t)st.st_size };
	}
	return 0;
}

void file_unmap(file_mapped *f)
{
	if (f->len)
		munmap((void *)f->data, f->len);
	*f = (file_mapped){ "", 0 };
}
