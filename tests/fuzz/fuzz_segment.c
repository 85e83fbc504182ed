/*
 * fuzz_segment — sentences found in a text (src/formats/segment.c): the
 * input's first byte picks the language (English, French, Spanish, or one
 * with no rules), every other byte, NULs included, is the text.  A refusal
 * of the language gives no sentence; broken UTF-8 is refused at the first
 * byte the one decoder refuses, and gives no sentence either.  Otherwise
 * the spans are in order, do not overlap, lie inside the text, begin and
 * end neither inside a UTF-8 character nor inside an inline code, start
 * and end with no whitespace, and what lies outside them is whitespace
 * only; a text whose tags are well formed gives sentences whose tags are.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "formats/inline.h"
#include "formats/segment.h"
#include "oracle.h"

typedef struct spans {
	segment_span *v;
	size_t n, cap;
} spans;

static int keep(void *ctx, segment_span span)
{
	spans *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	s->v[s->n++] = span;
	return 0;
}

/* The offset of the first byte the decoder refuses; size when none. */
ORACLE static size_t first_broken(const char *text, size_t size)
{
	size_t i = 0, k;
	while (i < size && (k = utf8_next(text + i, size - i, NULL)) > 0)
		i += k;
	return i;
}

/* The length of the whitespace character at text[i], 0 when there is none. */
ORACLE static size_t space_at(const char *text, size_t size, size_t i)
{
	static const char *const spaces[] = { " ", "\t", "\n", "\r", "\v", "\f", "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80",
					      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80" };
	for (size_t k = 0; k < sizeof spaces / sizeof spaces[0]; k++) {
		size_t n = strlen(spaces[k]);
		if (i + n <= size && memcmp(text + i, spaces[k], n) == 0)
			return n;
	}
	/* U+2000 to U+200A */
	if (i + 3 <= size && (unsigned char)text[i] == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
	    (unsigned char)text[i + 2] <= 0x8A)
		return 3;
	return 0;
}

/* A bit per byte: 1 where a code of inline.h continues (a span may not start or end there). */
ORACLE static unsigned char *code_insides(const char *text, size_t size)
{
	unsigned char *inside = calloc(size + 1, 1);
	size_t pos = 0;
	inline_piece p;
	if (!inside)
		abort();
	while (inline_next(text, size, &pos, &p))
		for (size_t i = p.off + 1; p.kind != INLINE_TEXT && i < p.off + p.len; i++)
			inside[i] = 1;
	return inside;
}

ORACLE static int continues_character(const char *text, size_t size, size_t i)
{
	return i < size && ((unsigned char)text[i] & 0xC0) == 0x80;
}

/* Whether the text is one paragraph: no newline of those segment.h names. */
ORACLE static int one_paragraph(const char *text, size_t size)
{
	static const char *const newlines[] = { "\n", "\r", "\v", "\f", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9" };
	for (size_t k = 0; k < sizeof newlines / sizeof newlines[0]; k++)
		if (memmem(text, size, newlines[k], strlen(newlines[k])))
			return 0;
	return 1;
}

ORACLE static void check_spans(const char *text, size_t size, const spans *s)
{
	unsigned char *inside = code_insides(text, size);
	size_t end = 0, at;
	/* A pair of tags may span paragraphs, which always break: only within one are its sentences' tags well formed. */
	int well_formed = one_paragraph(text, size) && inline_check(text, size, &at) == INLINE_OK;
	for (size_t k = 0; k <= s->n; k++) {
		size_t next = k < s->n ? s->v[k].off : size;
		if (next < end)
			abort();   /* out of order, or overlapping */
		for (size_t i = end, n; i < next; i += n)
			if (!(n = space_at(text, size, i)))
				abort();   /* something else than whitespace left out */
		if (k == s->n)
			break;
		segment_span sp = s->v[k];
		if (sp.len == 0 || sp.off + sp.len > size || sp.off + sp.len < sp.off)
			abort();
		if (inside[sp.off] || inside[sp.off + sp.len] || continues_character(text, size, sp.off) ||
		    continues_character(text, size, sp.off + sp.len))
			abort();
		if (space_at(text, size, sp.off))
			abort();
		if (well_formed && inline_check(text + sp.off, sp.len, &at) != INLINE_OK)
			abort();
		end = sp.off + sp.len;
	}
	free(inside);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "fr", "es", "fr-CH", "de" };
	if (size == 0)
		return 0;
	const char *lang = langs[data[0] % 5];
	size--;
	char *text = malloc(size ? size : 1);   /* exactly the text's bytes, no NUL after them */
	memcpy(text, data + 1, size);
	spans s = { 0 };
	size_t at;
	segment_error e = segment_text(lang, text, size, keep, &s, &at);
	size_t broken = first_broken(text, size);
	if (!segment_language(lang)) {
		if (e != SEGMENT_LANGUAGE || s.n)
			abort();
	} else if (broken < size) {
		if (e != SEGMENT_UTF8 || at != broken || s.n)
			abort();
	} else {
		if (e != SEGMENT_OK || at != size)
			abort();
		check_spans(text, size, &s);
	}
	if (!*segment_error_message(e) != (e == SEGMENT_OK))
		abort();
	free(s.v);
	free(text);
	return 0;
}
