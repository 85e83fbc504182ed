/*
 * testpath — a file beside a test's source, found from the source's own
 * path: the compiler is given that path relative to the build folder when
 * it is not absolute, and the build folder is where the test program lives.
 */
#ifndef LIAISON_TESTPATH_H
#define LIAISON_TESTPATH_H

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"

/* rel, relative to the folder of the source file source; to free(). */
static inline char *test_path_from(const char *source, const char *rel)
{
	buf b = BUF_INIT;
	if (source[0] != '/') {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			buf_add(&b, exe, (size_t)(slash + 1 - exe));
	}
	buf_puts(&b, source);
	char *slash = strrchr(b.data, '/');   /* .../tests/unit/test_NAME.c -> .../tests/unit */
	b.len = slash ? (size_t)(slash - b.data) : 0;
	buf_printf(&b, "%s%s", b.len ? "/" : "", rel);
	return buf_steal(&b);
}

#define TEST_PATH(rel) test_path_from(__FILE__, (rel))

#endif
