/*
 * utf8 — decoding as RFC 3629 defines it.  The range of the second byte is
 * what excludes overlong forms (after E0 and F0), surrogates (after ED) and
 * code points above U+10FFFF (after F4), so no decoded value needs checking
 * afterwards.
 */
#include "core/utf8.h"

size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;
	uint32_t c;
	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		len = 1, c = p[0];
	} else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2, c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3, c = p[0] & 0x0F;
		lo = p[0] == 0xE0 ? 0xA0 : lo;
		hi = p[0] == 0xED ? 0x9F : hi;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4, c = p[0] & 0x07;
		lo = p[0] == 0xF0 ? 0x90 : lo;
		hi = p[0] == 0xF4 ? 0x8F : hi;
	} else {
		return 0;
	}
	if (len > 1 && (n < len || p[1] < lo || p[1] > hi))
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if (cp)
		*cp = c;
	return len;
}

size_t utf8_check(const char *s, size_t n)
{
	for (size_t i = 0, len; i < n; i += len)
		if (!(len = utf8_next(s + i, n - i, NULL)))
			return i;
	return n;
}
