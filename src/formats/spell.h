/*
 * spell — the misspelt words of a segment, with suggestions, from the
 * system's hunspell dictionaries (English, French, Spanish).
 *
 * A segment is UTF-8 with inline codes (formats/inline.h).  What is checked
 * is its words: runs of letters joined by an apostrophe or a hyphen
 * ("l'Organisation", "aujourd'hui", "peut-être").  What is no word to check:
 * inline codes, anything with a digit in it (numbers, "115th"), URLs and
 * e-mail addresses, all-capital acronyms ("IOM", "RCPs") and the governing
 * bodies' document symbols ("C/115/1", formats/symbol.h).
 *
 * A spell holds each language's dictionary, opened the first time a segment
 * in that language is checked.  The server's threads share one spell: a
 * dictionary in memory is tens of megabytes and takes a good part of a
 * second to load, so one per thread would cost that many times over, while
 * checking a segment takes well under a millisecond.  So each dictionary has
 * its own mutex, held while it is loaded and while a segment is checked
 * against it (hunspell keeps scratch state in its handle); threads checking
 * different languages never wait for each other.
 */
#ifndef LIAISON_SPELL_H
#define LIAISON_SPELL_H

#include <stddef.h>

#define SPELL_SUGGESTIONS_MAX 5
#define SPELL_DIR "/usr/share/hunspell"   /* where Debian's dictionaries are */

typedef struct spell spell;

/* A spell reading dictionaries from dir (NULL: SPELL_DIR); nothing is
 * loaded yet.  NULL when memory ran out. */
spell *spell_new(const char *dir);
void spell_free(spell *s);

typedef struct spell_miss {
	size_t off, len;                        /* the word, in bytes of the segment */
	size_t nsuggest;
	char *suggest[SPELL_SUGGESTIONS_MAX];   /* the dictionary's, best first */
} spell_miss;

typedef struct spell_misses {
	spell_miss *v;
	size_t n;
} spell_misses;

void spell_misses_free(spell_misses *m);

/* Why a segment could not be checked. */
typedef enum spell_error {
	SPELL_OK,
	SPELL_LANGUAGE,     /* no language Liaison checks: not en, fr or es */
	SPELL_DICTIONARY,   /* the language's dictionary files are missing or unreadable */
	SPELL_UTF8,         /* the segment is not well-formed UTF-8 */
	SPELL_ERRORS
} spell_error;

/* The misspelt words of the segment text (n bytes) in lang ("en", "fr",
 * "es") into *out, in the order they come.  SPELL_OK, or why not with *at
 * (when at is not NULL) the byte offset at fault (0 but for SPELL_UTF8);
 * *out is empty on an error.  Safe to call from several threads at once. */
spell_error spell_check(spell *s, const char *lang, const char *text, size_t n, spell_misses *out, size_t *at);

/* The English message of an error, which the catalogs translate. */
const char *spell_error_message(spell_error e);

#endif
