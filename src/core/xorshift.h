/*
 * xorshift — a small deterministic generator of numbers for the tests and
 * benchmarks (Marsaglia's xorshift64), so that a failure or a figure can be
 * made again from its seed.  Never for secrets: every output follows from
 * the one before.
 */
#ifndef LIAISON_XORSHIFT_H
#define LIAISON_XORSHIFT_H

#include <stdint.h>

/* The next number of the sequence at *state (never 0), below below (> 0). */
static inline uint32_t xorshift_below(uint64_t *state, uint32_t below)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (uint32_t)(x >> 32) % below;
}

#endif
