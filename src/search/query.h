/*
 * query — the search box: what users type, turned into an FTS5 MATCH
 * expression and the filters that go into the WHERE clause.
 *
 * Syntax:
 *     migration asile              every word must match
 *     "travailleurs migrants"      an exact phrase
 *     asile OR refugee             either (OR binds tighter than the
 *                                  implicit AND: a b OR c is a AND (b OR c))
 *     -Philippines  -"pilot phase" leave out rows that match
 *     migr*                        words starting with (not stemmed)
 *     type:organizations lang:fr country:PH division:DRD tag:labour
 *     date:2016  date:2016-03-01  date:2016..2017  date:2016..  date:..2017
 *     division:"Legal Affairs"     a filter value with spaces
 *
 * Users paste anything, so nothing they type reaches FTS5 as syntax: every
 * word and phrase is emitted as an FTS5 string ("word", quotes doubled),
 * which FTS5 hands whole to the tokenizer; AND, OR, NOT, NEAR, parentheses,
 * colons, ^ and * in user text are only characters there.  The operators in
 * the expression are the ones written here.  Words with no letter or digit
 * ("&", "(") are left out: FTS5 treats an empty string as matching nothing,
 * which would empty every result.  Text that looks like a filter but names
 * none ("col:term") is an error rather than silently searched, so a typo in
 * a filter name is noticed; quoting it ("col:term") searches it.
 */
#ifndef LIAISON_SEARCH_QUERY_H
#define LIAISON_SEARCH_QUERY_H

#include <stddef.h>

/* Longest query accepted, in bytes, and most words and phrases in it: a
 * search box needs far less, and each term is an index lookup. */
#define SEARCH_QUERY_MAX 2048
#define SEARCH_TERMS_MAX 64

/* Every member is NULL when the query does not give it. */
typedef struct search_query {
	char *match;      /* FTS5 MATCH expression; NULL when only filters */
	char *type;       /* type: a kind's name, lower case: "organizations" */
	char *lang;       /* lang: "en", "fr" or "es" */
	char *country;    /* country: ISO 3166-1 alpha-2, upper case: "PH" */
	char *division;   /* division: as typed */
	char *tag;        /* tag: as typed */
	char *date_from;  /* date: first day included, YYYY-MM-DD */
	char *date_to;    /* date: last day included, YYYY-MM-DD */
} search_query;

/*
 * Parses the NUL-terminated query q into *out.  Returns 0, or -1 with *out
 * left empty, *err_pos set to the byte offset (from 0) where the fault
 * starts, and a message for the user in err (errlen bytes, truncated).
 * err_pos and err may be NULL.
 */
int search_query_parse(const char *q, search_query *out, size_t *err_pos, char *err, size_t errlen);

/* Frees the members and empties *q; safe on an empty or freed query. */
void search_query_free(search_query *q);

#endif
