/*
 * fuzz_worddiff — the comparison of two texts (src/core/worddiff.c).  The
 * input's first byte picks the bounds (a tight cap on a pair's edits, a
 * small budget, or the defaults); the rest is the old text up to the first
 * NUL and the new text after it (without a NUL, the new text is the old
 * one with its halves swapped, so that paragraphs move).  Whatever the
 * texts, the answer rebuilds both exactly (tests/unit/worddiff_rebuild.h),
 * and a text compared with itself has nothing changed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/worddiff.h"
#include "oracle.h"
#include "worddiff_rebuild.h"

ORACLE static void check(const worddiff *d, const char *a, size_t an, const char *b, size_t bn)
{
	if (worddiff_rebuilds(d, a, an, b, bn))
		abort();
	if (an == bn && memcmp(a, b, an) == 0 && (d->nparts || d->words_deleted || d->words_inserted))
		abort();
}

static worddiff_limits bounds(uint8_t pick)
{
	switch (pick % 4) {
	case 0:
		return (worddiff_limits){ .max_edits = 2, .budget = WORDDIFF_BUDGET };
	case 1:
		return (worddiff_limits){ .max_edits = WORDDIFF_MAX_EDITS, .budget = pick };
	default:
		return (worddiff_limits){ .max_edits = WORDDIFF_MAX_EDITS, .budget = WORDDIFF_BUDGET };
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	worddiff_limits limits = bounds(data[0]);
	size_t n = size - 1;
	char *a = malloc(n + 1), *b = malloc(n + 1);   /* exactly the texts' bytes, each in its own block */
	const uint8_t *text = data + 1, *nul = memchr(text, 0, n);
	size_t an = nul ? (size_t)(nul - text) : n, bn = nul ? n - an - 1 : n;
	memcpy(a, text, an);
	if (nul) {
		memcpy(b, nul + 1, bn);
	} else {
		memcpy(b, text + n / 2, n - n / 2);
		memcpy(b + (n - n / 2), text, n / 2);
	}
	worddiff d;
	if (worddiff_texts(&d, a, an, b, bn, &limits) == 0) {
		check(&d, a, an, b, bn);
		worddiff_free(&d);
	}
	worddiff d2;
	if (worddiff_texts(&d2, a, an, a, an, &limits) == 0) {
		check(&d2, a, an, a, an);
		worddiff_free(&d2);
	}
	free(a);
	free(b);
	return 0;
}
