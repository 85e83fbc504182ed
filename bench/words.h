/*
 * bench/words — the made-up words the benchmarks write their texts in:
 * word w spelled from syllables by its number, accented now and then, so
 * that any vocabulary size has distinct words of prose-like lengths.
 */
#ifndef LIAISON_BENCH_WORDS_H
#define LIAISON_BENCH_WORDS_H

#include <stdint.h>

#include "core/buf.h"

static inline void bench_word(buf *out, uint32_t w)
{
	static const char *const syllables[] = { "ta", "ri", "mo", "sé", "na", "lu", "ve", "co", "pra", "dí",
						 "gen", "tor", "mi", "sa", "bel", "qua", "no", "ré", "fi", "da" };
	do {
		buf_puts(out, syllables[w % 20]);
		w /= 20;
	} while (w);
}

#endif
