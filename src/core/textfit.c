/*
 * textfit — cleaning and cutting received text; see textfit.h.
 *
 * The input is walked byte by byte: every character that matters here
 * (the C0 controls, DEL, the C1 controls as U+0080..U+009F, and the line
 * and paragraph separators U+2028 and U+2029) is recognized from its own
 * bytes, and every other byte is copied as it is, so valid UTF-8 stays
 * valid.  Only text_cut needs whole code points, for grapheme clusters.
 */
#include "textfit.h"

#include <stdint.h>
#include <utf8proc.h>

enum kind { KEEP, SPACE, DROP };

/* What the character at p (n bytes left) is to one line, and its length. */
static enum kind line_kind(const unsigned char *p, size_t n, size_t *len)
{
	*len = 1;
	if (*p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f' || *p == ' ')
		return SPACE;
	if (*p < 0x20 || *p == 0x7F)
		return DROP;
	if (*p == 0xC2 && n >= 2 && p[1] >= 0x80 && p[1] <= 0x9F) {
		*len = 2;
		return p[1] == 0x85 ? SPACE : DROP;   /* NEL, the C1 line break */
	}
	if (*p == 0xE2 && n >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
		*len = 3;
		return SPACE;
	}
	return KEEP;
}

void text_one_line(buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t start = out->len;
	int space = 0;
	while (p < end) {
		size_t len;
		enum kind k = line_kind(p, (size_t)(end - p), &len);
		if (k == SPACE)
			space = 1;
		if (k == KEEP) {
			if (space && out->len > start)
				buf_putc(out, ' ');
			space = 0;
			buf_add(out, p, len);
		}
		p += len;
	}
}

size_t text_control_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (n == 0)
		return 0;
	if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F)
		return 1;
	return *p == 0xC2 && n >= 2 && p[1] >= 0x80 && p[1] <= 0x9F ? 2 : 0;
}

void text_drop_controls(buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t run = i, len = 0;
		while (i < n && (len = text_control_len(s + i, n - i)) == 0)
			i++;
		buf_add(out, s + run, i - run);
		i += len;
	}
}

size_t text_chars(const char *s, size_t n)
{
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	return chars;
}

/* The byte offset at which s is cut to keep at most keep characters, at the
 * last boundary between grapheme clusters there; at a code point when the
 * first cluster alone is longer (a letter under a pile of marks). */
static size_t cut_point(const char *s, size_t n, size_t keep)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t prev = -1, c;
	utf8proc_int32_t state = 0;
	size_t at = 0, chars = 0, boundary = 0;
	while (at < n) {
		utf8proc_ssize_t len = utf8proc_iterate(p + at, (utf8proc_ssize_t)(n - at), &c);
		if (len <= 0) {   /* not UTF-8: a byte is a character of its own */
			len = 1;
			c = -1;
		}
		if (prev < 0 || c < 0 || utf8proc_grapheme_break_stateful(prev, c, &state))
			boundary = at;
		if (chars == keep)
			return boundary ? boundary : at;
		prev = c;
		at += (size_t)len;
		chars++;
	}
	return n;
}

int text_cut(buf *out, const char *s, size_t n, size_t max)
{
	if (text_chars(s, n) <= max) {
		buf_add(out, s, n);
		return 0;
	}
	buf_add(out, s, cut_point(s, n, max ? max - 1 : 0));
	buf_puts(out, TEXT_ELLIPSIS);
	return 1;
}
