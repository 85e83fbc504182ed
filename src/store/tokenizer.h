/*
 * tokenizer — the FTS5 tokenizer "liaison": full-text search over records
 * written in English, French and Spanish.
 *
 * A search for "organizacion" must find "Organización", "l'Organisation"
 * must find "organisation", and "migrations" must find "migration".  So each
 * word is folded exactly as fold.h folds names (case, accents, œ, French
 * elision) and then stemmed with the Snowball stemmer of its language.
 * Offsets reported to FTS5 point into the original text, so snippet() and
 * highlight() mark the words as they were written, accents included.
 *
 * Index design: one table, one row per record, its language versions one
 * after the other, each introduced by the marker of its language:
 *
 *     SEARCH_MARK_EN "Council of ..." SEARCH_MARK_FR "Conseil de ..."
 *
 * The marker switches the stemmer for the words after it and is never
 * indexed.  One row per record makes "all words must match" and "-word"
 * hold for the record as a whole, whatever language each word is in; one
 * MATCH gives one bm25() ranking and one snippet().  FTS5 in SQLite 3.40
 * gives a tokenizer no other way to learn a text's language.  The price:
 * markers are part of the stored text, so snippet() and highlight() output
 * must be cleaned of them (search_mark_len() tells one where it starts).
 *
 * What goes into the index for each word, all at one position:
 *   - the folded word itself ("organisations"), which prefix queries search;
 *   - its stem tagged with the language that produced it ("fr:organis").
 * Text without a marker is stemmed in the tokenizer's language; 'all' gives
 * it the stems of all three languages.  A query ('all') looks up the stems
 * of each word in all three languages as synonyms, so it finds rows of any
 * language, but a row can only be reached through the stemmer that indexed
 * it: the English stem of a French word is never compared with the French
 * stem of another.  That is what keeps "Conseil" (en:conseil, fr:conseil,
 * es:conseil) away from an English "counsel" (en:counsel), and French
 * "partie" (fr:part) away from English "part" (en:part).
 *
 * Prefix queries ("migr*") are folded but not stemmed and match the folded
 * words, so "organisat*" finds "Organisation" although its stem is
 * "organis".  In a quoted prefix phrase ("travailleurs mig" *) every word is
 * compared unstemmed.  Since the folded words carry no tag, a prefix=
 * index option works on them as usual.
 *
 * Tokenizer argument: the language of text without a marker, and of
 * queries: 'liaison en', 'liaison fr', 'liaison es' or 'liaison all'; or
 * 'liaison exact', which folds every word and stems none, markers or not
 * (the titles of the type-ahead, where only prefixes are looked up).  A
 * second argument 'stems' ('liaison all stems') makes documents give their
 * stems alone, without the folded word: for a table searched only by whole
 * words and phrases (the translation memory's concordance), whose queries
 * read stems alone, it is half the tokens to index, and a prefix query then
 * finds nothing in it.
 */
#ifndef LIAISON_SEARCH_TOKENIZER_H
#define LIAISON_SEARCH_TOKENIZER_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/buf.h"

/* Language markers: the words after one are in its language. */
#define SEARCH_MARK_EN "\001en\001"
#define SEARCH_MARK_FR "\001fr\001"
#define SEARCH_MARK_ES "\001es\001"
#define SEARCH_MARK_LEN 4

/* After this marker, in a row or a query, words are folded but never
 * stemmed: the search index's facets column ("countryPH langfr"), which
 * filters match exactly. */
#define SEARCH_MARK_EXACT "\001==\001"

/* At the very start of a row's text in a table of stems alone, this marker
 * says that the rest is the row's tokens already made by search_tokenize,
 * which the tokenizer hands to FTS5 as they are: a bulk load tokenizes on
 * another thread than the one that writes.  Rows Liaison writes otherwise
 * start with a language marker, never with this one. */
#define SEARCH_MARK_TOKENS "\001tk\001"

/* Registers the tokenizer "liaison" with the FTS5 of db; an SQLite code. */
int search_register_tokenizer(sqlite3 *db);

/* The FTS5 of db, to register more with it; NULL when it has none. */
fts5_api *search_fts5(sqlite3 *db);

/* The tokenizer 'liaison LANG stems' outside SQLite, for one thread at a
 * time: search_tokenize appends to out SEARCH_MARK_TOKENS and the tokens of
 * the document text (n bytes), which a table of that tokenizer indexes as
 * it would index the text itself; 0, or an SQLite code.  NULL: no such
 * language, or no memory. */
typedef struct search_tokenizer search_tokenizer;
search_tokenizer *search_tokenizer_new(const char *lang);
int search_tokenize(search_tokenizer *t, const char *text, size_t n, buf *out);
void search_tokenizer_free(search_tokenizer *t);

/* SEARCH_MARK_LEN when s (n bytes) starts with a marker, else 0:
 * how many bytes to skip in text read back from snippet() or highlight(). */
size_t search_mark_len(const char *s, size_t n);

#endif
