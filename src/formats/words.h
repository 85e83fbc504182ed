/*
 * words — the words of a segment to translate as terms are compared: each
 * word outside the segment's inline codes, folded as names are (case,
 * accents, French elision: core/fold.h) and cut to its Snowball stem in
 * the segment's language, with its place in the text.
 *
 * So "États membres" and "l'État membre" are the same two stems, and a
 * termbase finds "migrant worker" in "the migrant workers' rights".  The
 * checks on a translation (qa.c) look for terms with it, and the termbase
 * keys its terms by it.
 */
#ifndef LIAISON_WORDS_H
#define LIAISON_WORDS_H

#include <stddef.h>

#include "core/buf.h"

typedef struct word {
	size_t off, len;         /* where the word is in the text */
	size_t stem, stem_len;   /* its stem, in the list's stems */
} word;

typedef struct word_list {
	buf v;                        /* the words, as struct word */
	buf stems;                    /* their stems, one after the other */
	struct sb_stemmer *stemmer;   /* NULL: a word is its own stem */
} word_list;

/* A list for texts in lang ("en", "fr", "es"; any other: words unstemmed). */
void words_init(word_list *wl, const char *lang);
void words_free(word_list *wl);

/* The words of s (n bytes of UTF-8), in place of what the list held. */
void words_read(word_list *wl, const char *s, size_t n);

size_t words_count(const word_list *wl);
const word *words_at(const word_list *wl, size_t i);
const char *words_stem(const word_list *wl, size_t i, size_t *len);

/* Where the words of phrase occur in text one after the other: 1 with the
 * run's place in *off, *len; 0 when they do not (or phrase has none). */
int words_find(const word_list *text, const word_list *phrase, size_t *off, size_t *len);

/* The words of s (n bytes) as translators count them: runs of characters
 * between spaces that hold a letter or a digit ("C/115/1" is one, "115th"
 * one), outside the inline codes, which are no words. */
size_t words_counted(const char *s, size_t n);

/* The stems of words i..i+n-1 of wl joined by single spaces, appended to out:
 * a phrase's key, the same whatever its inflection. */
void words_key(const word_list *wl, size_t i, size_t n, buf *out);

#endif
