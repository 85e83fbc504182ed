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
 * Index design: one table, one row per language version of a record, e.g.
 *
 *     CREATE VIRTUAL TABLE search_index USING fts5(
 *         title, body, kind UNINDEXED, id UNINDEXED, lang UNINDEXED,
 *         tokenize = 'liaison all');
 *
 * with every indexed value prefixed by the marker of its language
 * (SEARCH_MARK_FR "Conseil d'administration").  The marker is consumed by
 * the tokenizer, never indexed.  Why one table rather than one per language:
 * one MATCH, one bm25() ranking across languages, one snippet() call, and
 * the lang: filter is a plain WHERE on the lang column.  FTS5 in SQLite 3.40
 * gives a tokenizer no other way to learn a row's language.  The price: the
 * marker is part of the stored text, so strip it from snippet() and
 * highlight() output with search_mark_len().
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
 * queries: 'liaison en', 'liaison fr', 'liaison es' or 'liaison all'.
 */
#ifndef LIAISON_SEARCH_TOKENIZER_H
#define LIAISON_SEARCH_TOKENIZER_H

#include <stddef.h>
#include <sqlite3.h>

/* Language markers, placed at the very start of an indexed value. */
#define SEARCH_MARK_EN "\001en\001"
#define SEARCH_MARK_FR "\001fr\001"
#define SEARCH_MARK_ES "\001es\001"
#define SEARCH_MARK_LEN 4

/* Registers the tokenizer "liaison" with the FTS5 of db; an SQLite code. */
int search_register_tokenizer(sqlite3 *db);

/* SEARCH_MARK_LEN when s (n bytes) starts with a language marker, else 0:
 * how many bytes to skip in a value, snippet() or highlight() read back. */
size_t search_mark_len(const char *s, size_t n);

#endif
