/*
 * utf8ok — whether text is well-formed UTF-8 (no overlong forms, surrogates
 * or values past U+10FFFF): what the harnesses hold every decoded or
 * written text to.
 */
#ifndef LIAISON_FUZZ_UTF8OK_H
#define LIAISON_FUZZ_UTF8OK_H

#include <stddef.h>

#include "oracle.h"

/* n bytes at s; 1 when well formed. */
ORACLE static inline int utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		size_t k = *p < 0x80 ? 1 : *p >= 0xC2 && *p <= 0xDF ? 2 : *p >= 0xE0 && *p <= 0xEF ? 3
			 : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
		if (k == 0 || k > (size_t)(end - p))
			return 0;
		unsigned char lo = *p == 0xE0 ? 0xA0 : *p == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = *p == 0xED ? 0x9F : *p == 0xF4 ? 0x8F : 0xBF;
		if (k > 1 && (p[1] < lo || p[1] > hi))
			return 0;
		for (size_t i = 2; i < k; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += k;
	}
	return 1;
}

#endif
