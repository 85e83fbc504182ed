/*
 * contentlines — checks shared by the vCard and iCalendar tests: the line
 * shape RFC 6350 and RFC 5545 require of what we write, and unfolding.
 * Written apart from src/formats/contentline.c on purpose: a test must not
 * judge the writer with the writer's own code.
 */
#ifndef LIAISON_TEST_CONTENTLINES_H
#define LIAISON_TEST_CONTENTLINES_H

#include <stdlib.h>
#include <string.h>

/* Well-formed UTF-8 of n bytes (shortest forms, no surrogates). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		           : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
		if (len == 0 || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += len;
	}
	return 1;
}

/* The shape every stream we write must have: lines end in CRLF (no bare
 * CR or LF), none is empty or longer than 75 octets, each is valid UTF-8
 * on its own (so no character is torn by a fold), and the stream ends with
 * a line end. */
static void assert_folded(const char *s)
{
	size_t n = strlen(s);
	assert_true(n >= 2);
	assert_memory_equal(s + n - 2, "\r\n", 2);
	const char *p = s;
	while (*p) {
		const char *cr = strstr(p, "\r\n");
		assert_non_null(cr);
		size_t len = (size_t)(cr - p);
		assert_true(len > 0 && len <= 75);
		assert_null(memchr(p, '\n', len));
		assert_null(memchr(p, '\r', len));
		assert_true(utf8_ok((const unsigned char *)p, len));
		p = cr + 2;
	}
}

/* Undo folding: drop every CRLF followed by one space. */
static char *unfold(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *out = malloc(n + 1);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
			i += 2;
			continue;
		}
		out[j++] = s[i];
	}
	out[j] = '\0';
	return out;
}

#endif
