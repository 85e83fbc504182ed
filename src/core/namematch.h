/*
 * namematch — two names compared as a reader compares them.
 *
 * "Fenlande Ministry for Migrant Worker", "Min. for Migrant Workers,
 * Fenlande" and "Ministerio de Trabajadores Migrantes de Fenlande" name one
 * body; "Qorland Ministry for Migrant Workers" another.  A name is reduced to
 * its telling form: folded words without articles and prepositions, plurals
 * made singular, abbreviations written out, and the three languages' words
 * for a kind of body ("ministère", "ministerio", "Min.") made one word.
 * Words most names of bodies hold ("ministry", "national", "migration")
 * weigh less than the rest, so that two names differing in the word that
 * matters (a place, a subject) are told apart although most of their words
 * agree.  Words are alike when one is a typo of the other (an edit or two,
 * by length), an abbreviation of it ("Observ."), or a person's initial.
 *
 * The same form gives the keys under which a name is filed for finding its
 * likely duplicates without comparing it with every other name: the whole
 * set of its words, and each set of all its words but one with the first
 * two letters of the word left out, and again with its last two.  Two
 * names share a key when they have the same words, or all but one word and
 * a typo in it (which leaves its first two letters or its last two as they
 * were); a name with one word more or less finds the other by probing
 * (name_probes).
 */
#ifndef LIAISON_NAMEMATCH_H
#define LIAISON_NAMEMATCH_H

#include <stddef.h>

#include "core/buf.h"

enum { NAME_BODY = 0, NAME_PERSON = 1 };

typedef struct name_form {
	char **w;                 /* the telling words, sorted, each once */
	unsigned char *common;    /* 1 for a word most names of bodies hold */
	unsigned char *initial;   /* 1 for a person's initial ("A." of "A. Okonkwo") */
	size_t n;
	char *mem;
} name_form;

/* The telling form of a name of n bytes of UTF-8; kind NAME_BODY or NAME_PERSON
 * (a person's single letters are initials).  Free with name_form_free. */
void name_form_of(name_form *out, const char *s, size_t n, int kind);
void name_form_free(name_form *f);

/* The form as one line: its words, spaces between, each marked "*" when
 * common and "." when an initial; and a form read back from such a line of
 * n bytes (kept where a name is compared often, so as not to fold it again). */
void name_form_write(const name_form *f, buf *out);
void name_form_read(name_form *out, const char *s, size_t n);

typedef struct name_likeness {
	double score;          /* 0 nothing alike … 1 the same words */
	unsigned same;         /* words the same in both */
	unsigned alike;        /* words alike: a typo, an abbreviation, an initial */
	unsigned apart;        /* words in one name only */
} name_likeness;

/* How alike two names are: the weight of the words they share (alike words
 * a little less) over the weight of all their words.  Two empty names are
 * not alike at all. */
name_likeness name_compare(const name_form *a, const name_form *b);

/* 1 when two words are alike: one a typo of the other or an abbreviation of it
 * (a word with a digit is alike no other: a number is meant as typed).
 * (A person's initial is alike the words it begins, name_compare knows.) */
int name_words_alike(const char *a, const char *b);

/* Each key under which the name is filed ("w:" its words; "p:" all its words
 * but one, then "|^" and that word's first two letters, or "|$" and its last
 * two), passed to fn. */
typedef void (*name_key_fn)(void *ctx, const char *key, int is_prefix);
void name_keys(const name_form *f, name_key_fn fn, void *ctx);

/* Each key to look up for names like this one: its own keys, the words of
 * the names with one word less ("w:" all its words but one), and, with
 * is_prefix set, the start of the keys of names with one word more, and of
 * the names with a word that an initial of this one begins. */
void name_probes(const name_form *f, name_key_fn fn, void *ctx);

#endif
