/*
 * fuzz_query — the search box's parser (src/search/query.c) on any bytes a
 * user could type: a parse either fails with a position inside the query
 * and a message, or gives an FTS5 expression whose every quote is paired
 * (user text never reaches FTS5 as syntax).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/query.h"

/* Outside the strings the expression holds only the parser's own syntax:
 * a quote always opens a string that a quote closes ("" inside is one). */
static void check_quotes(const char *expr)
{
	int in_string = 0;
	for (const char *p = expr; *p; p++) {
		if (*p != '"')
			continue;
		if (in_string && p[1] == '"')
			p++;
		else
			in_string = !in_string;
	}
	if (in_string)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';   /* the server hands the parser a C string: it ends at the first NUL */
	search_query sq;
	size_t pos = 0;
	char err[200];
	if (search_query_parse(q, &sq, &pos, err, sizeof err) == 0) {
		if (sq.match)
			check_quotes(sq.match);
		search_query_free(&sq);
	} else if (pos > strlen(q) || !err[0]) {
		abort();
	}
	search_query_free(&sq);   /* safe twice, as query.h promises */
	free(q);
	return 0;
}
