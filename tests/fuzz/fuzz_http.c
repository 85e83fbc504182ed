/*
 * fuzz_http — what src/http reads itself in a request's head (libmicrohttpd
 * splits the head into lines, headers and cookies): the entity-tag lists
 * of If-Match and If-None-Match (respond.c) and the percent-decoding of
 * paths and query values (server.c).  The input is one header line, and
 * the same bytes as a path.
 *
 * An entity-tag list is "*" or tags: a tag the weak comparison misses the
 * strong one misses too, and a list that does not name the tag does once
 * the tag is added to it.  Decoding never grows a string, never makes a
 * NUL (a %00 stays as it is), and leaves what has no escape as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "oracle.h"

ORACLE static void etags(const char *line)
{
	static const char *const tags[] = { "\"1\"", "\"42\"", "\"9223372036854775807\"" };
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		int strong = http_etag_list(line, tags[i], 0), weak = http_etag_list(line, tags[i], 1);
		if (strong < -1 || strong > 1 || weak < -1 || weak > 1 || (strong < 0) != (weak < 0) || strong > weak)
			abort();
		if (strong != 0)
			continue;
		size_t n = strlen(line);
		char *more = malloc(n + 32);
		memcpy(more, line, n);
		strcpy(more + n, ", ");
		strcat(more, tags[i]);
		if (http_etag_list(more, tags[i], 0) != 1)
			abort();
		free(more);
	}
}

ORACLE static void check_decoded(const char *before, const char *after, size_t n)
{
	if (n > strlen(before) || strlen(after) != n)
		abort();
	if (!strchr(before, '%') && strcmp(before, after) != 0)
		abort();
}

ORACLE static void path(const char *line)
{
	char *s = strdup(line);
	size_t n = http_unescape(s);
	check_decoded(line, s, n);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';   /* a header's value and a path are C strings to the server */
	etags(line);
	path(line);
	free(line);
	return 0;
}
