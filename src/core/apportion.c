/*
 * apportion — the largest remainder method over 128-bit products, so that
 * an amount of 10^18 minor units times a weight of 10^8 neither overflows
 * nor passes through floating point.  See apportion.h.
 */
#include "core/apportion.h"

#include <stdlib.h>

typedef struct remainder {
	unsigned __int128 left;   /* what the floor dropped, in units of 1/sum */
	size_t index;
	uint64_t part;            /* the part's size: its floor, then maybe one more */
} remainder;

/* Larger remainder first; the earlier part first among equals. */
static int by_remainder(const void *a, const void *b)
{
	const remainder *x = a, *y = b;
	if (x->left != y->left)
		return x->left > y->left ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int weights_sum(const int64_t *weights, size_t n, uint64_t *sum)
{
	*sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (weights[i] < 0 || (uint64_t)weights[i] > (uint64_t)INT64_MAX - *sum)
			return -1;
		*sum += (uint64_t)weights[i];
	}
	return n && *sum ? 0 : -1;
}

int apportion(int64_t total, const int64_t *weights, size_t n, int64_t *parts)
{
	uint64_t sum;
	if (weights_sum(weights, n, &sum))
		return -1;
	/* the size of total, as unsigned so that INT64_MIN has one */
	uint64_t size = total < 0 ? (uint64_t)0 - (uint64_t)total : (uint64_t)total, given = 0;
	remainder stack[32], *left = n <= 32 ? stack : malloc(n * sizeof *left);
	if (!left)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 exact = (unsigned __int128)size * (uint64_t)weights[i];
		uint64_t floor = (uint64_t)(exact / sum);
		left[i] = (remainder){ exact % sum, i, floor };
		given += floor;
	}
	uint64_t spare = size - given;   /* fewer than n: each floor lost less than one unit */
	qsort(left, n, sizeof *left, by_remainder);
	for (uint64_t k = 0; k < spare; k++)
		left[k].part++;
	/* a part is at most size, which the sign of total fits (INT64_MIN whole included) */
	for (size_t k = 0; k < n; k++)
		parts[left[k].index] = (int64_t)(total < 0 ? (uint64_t)0 - left[k].part : left[k].part);
	if (left != stack)
		free(left);
	return 0;
}
