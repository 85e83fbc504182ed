/*
 * inline — the marks a segment of text to translate carries besides its
 * words: inline formatting as numbered tags, and placeholders.
 *
 * A segment is plain UTF-8 in which exactly these are codes:
 *
 *   <gN> ... </gN>   a paired tag: formatting around some words (bold, a link)
 *   <xN/>            a standalone tag: something in the line that is no text
 *                    (an image, a footnote mark, a line break)
 *   {N} {name}       a placeholder that a program fills in: N digits, or a
 *                    name of letters, digits and _ starting with a letter
 *   %s %d %1$s       a printf placeholder: %, an optional N$, then s, d or i
 *
 * N is 1 to 9999.  Any other "<", "{" or "%" is text ("a < b", "50 %").
 * The same numbers in a translation mean the same codes as in its source, so
 * a translator moves tags and placeholders but neither adds nor drops one:
 * inline_check says whether a segment's codes are well formed, and
 * inline_same whether two segments carry the same codes.  XLIFF maps the
 * tags to <g>/<x> (1.2) and <pc>/<ph> (2.0); the segmenter never breaks
 * inside a code.
 *
 * Only inline_same allocates; text is read left to right, never beyond the length
 * given.
 */
#ifndef LIAISON_INLINE_H
#define LIAISON_INLINE_H

#include <stddef.h>

#define INLINE_ID_MAX 9999

typedef enum inline_kind {
	INLINE_TEXT,         /* a run of text with no code in it */
	INLINE_OPEN,         /* <gN> */
	INLINE_CLOSE,        /* </gN> */
	INLINE_EMPTY,        /* <xN/> */
	INLINE_PLACEHOLDER,  /* {N}, {name}, %s, %1$s */
} inline_kind;

typedef struct inline_piece {
	inline_kind kind;
	int id;          /* a tag's N; 0 for text and placeholders */
	size_t off, len; /* where the piece is in the segment */
} inline_piece;

/* The piece of s (n bytes) that starts at *pos, and *pos moved past it;
 * 0 when *pos is at the end. */
int inline_next(const char *s, size_t n, size_t *pos, inline_piece *out);

/* Why a segment's codes are not well formed. */
typedef enum inline_error {
	INLINE_OK,
	INLINE_UNOPENED,   /* </g2> with no <g2> open */
	INLINE_CROSSED,    /* <g1><g2></g1>: tags closed out of order */
	INLINE_UNCLOSED,   /* <g1> never closed */
	INLINE_REPEATED,   /* a tag's number used twice */
} inline_error;

/* INLINE_OK, or the first fault and the offset of the code at fault. */
inline_error inline_check(const char *s, size_t n, size_t *at);
const char *inline_error_message(inline_error e);  /* English, for the catalogs */

/* 1 when a and b carry the same tags and placeholders (each as many times),
 * in any order; 0 otherwise, with a code that one has more often than the
 * other copied into missing (up to size bytes, NUL-terminated); -1 when
 * memory ran out.  Time O(k log k) for k codes. */
int inline_same(const char *a, size_t an, const char *b, size_t bn, char *missing, size_t size);

#endif
