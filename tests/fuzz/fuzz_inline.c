/*
 * fuzz_inline — the tags and placeholders of a segment
 * (src/formats/inline.c): the input, every byte of it, is the segment.
 * Its pieces cover it exactly, in order, each code written as its own
 * shape; a fault found lies inside the segment; a segment carries the same
 * codes as itself, and as the same codes written in reverse order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/inline.h"
#include "oracle.h"

ORACLE static void check_pieces(const char *s, size_t n)
{
	size_t pos = 0, covered = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		if (p.off != covered || p.len == 0 || pos != p.off + p.len)
			abort();
		if (p.kind != INLINE_TEXT && p.kind != INLINE_PLACEHOLDER && (p.id < 1 || p.id > INLINE_ID_MAX))
			abort();
		if (p.kind == INLINE_OPEN && s[p.off] != '<')
			abort();
		covered = pos;
	}
	if (covered != n)
		abort();
}

/* The segment's codes alone, last first. */
static char *codes_reversed(const char *s, size_t n, size_t *len)
{
	char *out = malloc(n + 1);
	size_t at = n, pos = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p))
		if (p.kind != INLINE_TEXT) {
			at -= p.len;
			memcpy(out + at, s + p.off, p.len);
		}
	*len = n - at;
	memmove(out, out + at, *len);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	memcpy(s, data, size);
	check_pieces(s, size);
	size_t at = 0;
	inline_error e = inline_check(s, size, &at);
	if (e != INLINE_OK && (at >= size || !*inline_error_message(e)))
		abort();
	char missing[32];
	if (inline_same(s, size, s, size, missing, sizeof missing) != 1)
		abort();
	size_t rn;
	char *r = codes_reversed(s, size, &rn);
	if (inline_same(s, size, r, rn, missing, sizeof missing) != 1)
		abort();
	free(r);
	free(s);
	return 0;
}
