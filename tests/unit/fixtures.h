/*
 * fixtures — where the files under tests/fixtures are, for a unit test
 * that reads them: found from this header's own path, which the compiler
 * was given relative to the build directory, where the test program lives.
 */
#ifndef LIAISON_TEST_FIXTURES_H
#define LIAISON_TEST_FIXTURES_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* tests/fixtures/NAME as a path into out (PATH_MAX bytes). */
static inline const char *fixture_path(const char *name, char out[PATH_MAX])
{
	char here[PATH_MAX] = "";
	if (__FILE__[0] != '/') {
		ssize_t n = readlink("/proc/self/exe", here, sizeof here - 1);
		here[n > 0 ? n : 0] = '\0';
		char *slash = strrchr(here, '/');
		here[slash ? (size_t)(slash + 1 - here) : 0] = '\0';
	}
	if (snprintf(out, PATH_MAX, "%s%s", here, __FILE__) >= PATH_MAX)
		return "";
	char *slash = strrchr(out, '/');   /* .../tests/unit/fixtures.h -> .../tests/unit */
	if (slash)
		*slash = '\0';
	size_t len = strlen(out);
	if (snprintf(out + len, PATH_MAX - len, "%s../fixtures/%s", slash ? "/" : "", name) >= (int)(PATH_MAX - len))
		return "";
	return out;
}

#endif
