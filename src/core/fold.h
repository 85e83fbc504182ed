/*
 * fold — text normalization for matching names across English, French and
 * Spanish.
 *
 * Partner names arrive typed by many hands: "Organisation Internationale",
 * "ORGANISATION internationale!", "Organisation  internationale" and
 * "organisation internationale" must all be recognised as the same thing by
 * duplicate detection, and later by full-text search.  Everything here
 * reduces text to one folded form (lower case, no accents, no punctuation,
 * single spaces) and compares names on that form, so that both features
 * agree on what "the same text" means.
 *
 * All functions take UTF-8 of n bytes (not necessarily NUL-terminated).
 */
#ifndef LIAISON_FOLD_H
#define LIAISON_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* 1 when s is well-formed UTF-8: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence.  A NUL byte counts as invalid. */
int utf8_valid(const char *s, size_t n);

/* A letter, mark or digit: what words are made of, here and in the search tokenizer. */
int text_word_char(int32_t c);

/* NFC-normalized copy, NUL-terminated, to free(); NULL on invalid UTF-8. */
char *text_nfc(const char *s, size_t n);

/*
 * Appends the folded form of s to out: compatibility-normalized (NFKC, so
 * "ﬁ" and full-width letters become plain letters), case-folded, accents
 * stripped from Latin, Greek and Cyrillic letters (and vowel points from
 * Hebrew and Arabic, but not the vowel signs of Indic scripts), œ æ ß ø ł đ ð
 * þ ı spelled out in Latin letters, French elisions dropped ("l'", "d'",
 * "qu'"... before a word, with ' or ’), every other character that is neither
 * letter nor digit turned into a word break, words joined by single spaces,
 * no leading or trailing space.  Invalid UTF-8 bytes are dropped.  Folding a
 * folded string changes nothing.
 */
void text_fold(buf *out, const char *s, size_t n);

/* The words of a folded text. */
typedef struct token_list {
	char **v;    /* v[0] .. v[n-1], each NUL-terminated */
	size_t n;
	char *mem;   /* storage the words live in */
} token_list;

/* Folds s and splits it into words; free with token_list_free. */
void text_tokens(token_list *out, const char *s, size_t n);
void token_list_free(token_list *t);

/* 1 when w (folded) is a function word of English, French or Spanish: "the", "pour", "las". */
int text_stop_word(const char *w);

/*
 * Jaccard similarity (0..1) of the sets of words of a and b, leaving out
 * en/fr/es function words ("the", "pour", "las"...) unless both texts consist
 * of nothing else.  Word order and repetition do not matter.
 * Returns 0 when either side has no words, including when both are empty:
 * two blank names are no evidence of a duplicate.
 */
double token_similarity(const char *a, size_t an, const char *b, size_t bn);

/* The same, with each side's words made once into a set (text_token_set,
 * freed with token_list_free) and compared many times. */
void text_token_set(token_list *out, const char *s, size_t n);
double token_set_similarity(const token_list *a, const token_list *b);

/*
 * Jaccard similarity (0..1) of the character trigrams of the folded words of
 * a and b, each word padded with two spaces before and one after; tolerant of
 * typos.  Returns 0 when either side has no words, as above.
 */
double trigram_similarity(const char *a, size_t an, const char *b, size_t bn);

/*
 * Appends the initials of the words of s that are not function words, in
 * upper case: "International Organization for Migration" gives "IOM".  When
 * every word is a function word, all of them count.  Latin-script names give
 * ASCII; a word in another script contributes its upper-cased first letter.
 */
void text_acronym(buf *out, const char *s, size_t n);

#endif
