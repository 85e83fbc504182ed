/*
 * segment — a text cut into sentences, for the translation tools:
 * translators work sentence by sentence, and the translation memory keeps
 * pairs of sentences.
 *
 * The cuts are decided by rules written as data (segment_rules.c), in the
 * manner of SRX: per language an ordered list of break and no-break rules,
 * each a pattern before a candidate position and a pattern after it; the
 * first rule whose two patterns match decides, and a position no rule
 * matches is no break.  English ("en"), French ("fr") and Spanish ("es")
 * have rules; any other language is refused.
 *
 * What the rules cannot change, the segmenter keeps itself:
 *   - every newline ends a paragraph, and a paragraph always ends a
 *     sentence (LF, CR, CRLF, VT, FF, U+0085, U+2028, U+2029: a text comes
 *     here one paragraph a line, as the extractors write it);
 *   - a break falls only where a run of whitespace starts after a word, so
 *     never inside a word, a URL, an e-mail address or an inline code
 *     (inline.h), and a tag or placeholder right after a full stop stays
 *     with the sentence it ends;
 *   - no break falls between a paired tag <gN> and its </gN> in the same
 *     paragraph, so the sentences of a text whose tags are well formed have
 *     well-formed tags each.
 *
 * Each sentence is given as a span of the text, without the whitespace
 * around it; what lies outside the spans is whitespace only.  The text is
 * UTF-8 of a given length (no NUL needed); a text that is not is refused,
 * with the offset of the first byte at fault, before any sentence is given.
 * Time is linear in the text's length; memory is an array of 16 bytes a
 * character, freed before returning.
 */
#ifndef LIAISON_SEGMENT_H
#define LIAISON_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct segment_span {
	size_t off, len;   /* where a sentence is in the text */
} segment_span;

/* Called with each sentence, in order; a value other than 0 stops the walk. */
typedef int (*segment_fn)(void *ctx, segment_span span);

typedef enum segment_error {
	SEGMENT_OK,
	SEGMENT_LANGUAGE,   /* no rules for the language asked */
	SEGMENT_UTF8,       /* the text is not well-formed UTF-8 (at: the first byte at fault) */
	SEGMENT_MEMORY,     /* memory ran out */
	SEGMENT_STOPPED,    /* the callback asked to stop (at: the end of the last sentence given) */
	SEGMENT_RULES,      /* a rule's pattern is not well formed (at: the rule's number); a fault of the build */
	SEGMENT_ERRORS      /* how many codes there are */
} segment_error;

/* Whether there are rules for lang: "en", "fr", "es", or one of them
 * followed by "-" and a region ("fr-CH", "es-419"). */
bool segment_language(const char *lang);

/* Walks the len bytes of text in language lang, calling each(ctx, span)
 * with every sentence in order.  SEGMENT_OK, or why not with *at (when at is
 * not NULL) set as each error says; nothing is given before a refusal of
 * the language, the text or the memory. */
segment_error segment_text(const char *lang, const char *text, size_t len, segment_fn each, void *ctx, size_t *at);

/* The English message of an error, which the catalogs translate; "" for
 * SEGMENT_OK and for what is no code. */
const char *segment_error_message(segment_error e);

#endif
