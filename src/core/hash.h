/*
 * hash — the one hash of bytes for tables kept in memory and for the keys
 * the translation memory stores: FNV-1a from a seed, then splitmix64's
 * finalizer, since FNV alone leaves the high bits of short keys poorly
 * mixed and a table that takes its slot from some bits needs every input
 * bit spread over all of them.  Not for secrets.
 */
#ifndef LIAISON_HASH_H
#define LIAISON_HASH_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64's finalizer. */
static inline uint64_t hash_mix(uint64_t h)
{
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9u;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebu;
	return h ^ (h >> 31);
}

/* The n bytes at p hashed from seed (0, or one drawn so that keys chosen to
 * collide cannot be written in advance). */
static inline uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3u;
	return hash_mix(h);
}

#endif
