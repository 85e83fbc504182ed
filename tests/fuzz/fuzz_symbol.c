/*
 * fuzz_symbol — the governing bodies' document symbols
 * (src/formats/symbol.c): the input, every byte of it, NULs included, is
 * the text.  A refusal names a code with its message and an offset within
 * the text, and leaves nothing half read; a symbol read is written back as
 * the very text it was read from, and that text read again is the same
 * symbol, of the same base as itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/symbol.h"
#include "oracle.h"

ORACLE static void check_refusal(symbol_error e, size_t at, size_t size, const symbol *s)
{
	const char *why = symbol_error_message(e);
	if (e <= SYMBOL_OK || e >= SYMBOL_ERRORS || at > size || !why || !*why)
		abort();
	if (!symbol_equal(s, &(symbol){ 0 }))
		abort();
}

ORACLE static void check_fixed_point(const char *text, size_t size, const symbol *s)
{
	char out[SYMBOL_TEXT_MAX];
	int n = symbol_format(s, out, sizeof out);
	if (n < 0 || (size_t)n != size || memcmp(out, text, size) != 0)
		abort();
	symbol again;
	size_t at;
	if (symbol_parse(out, (size_t)n, &again, &at) != SYMBOL_OK || at != size || !symbol_equal(&again, s) ||
	    !symbol_same_base(&again, s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);   /* exactly the input's bytes, no NUL after them */
	memcpy(text, data, size);
	symbol s;
	size_t at;
	symbol_error e = symbol_parse(text, size, &s, &at);
	if (e != SYMBOL_OK)
		check_refusal(e, at, size, &s);
	else
		check_fixed_point(text, size, &s);
	free(text);
	return 0;
}
