/*
 * grow — room in an array that grows by doubling, for the lists a reader
 * gathers one item at a time (rates, allocations, a transaction's parts).
 * Memory that runs out aborts, as everywhere in Liaison.
 */
#ifndef LIAISON_GROW_H
#define LIAISON_GROW_H

#include <stdlib.h>

/* The array v (of items of size bytes, *cap of them) with room for need
 * items: v itself, or its new place, *cap raised. */
static inline void *grow_room(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *grown = realloc(v, n * size);
	if (!grown)
		abort();
	*cap = n;
	return grown;
}

#endif
