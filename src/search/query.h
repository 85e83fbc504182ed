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
 *     type:organizations lang:fr   the parser's own filters: a kind, a language
 *     date:2016  date:2016-03-01  date:2016..2017  date:2016..  date:..2017
 *     country:PH division:DRD      any other name:value, which the caller
 *     tags:"labour migration"      checks against the facets it knows of
 *
 * Users paste anything, so nothing they type reaches FTS5 as syntax: every
 * word and phrase is emitted as an FTS5 string ("word", quotes doubled),
 * which FTS5 hands whole to the tokenizer; AND, OR, NOT, NEAR, parentheses,
 * colons, ^ and * in user text are only characters there.  The operators in
 * the expression are the ones written here.  Words with no letter or digit
 * ("&", "(") are left out: FTS5 treats an empty string as matching nothing,
 * which would empty every result.  The parser does not know the registry:
 * a name:value that is not one of its own filters is handed to the caller
 * as it is (search_query.filters), and the caller answers a name it does not
 * know with an error rather than searching it, so a typo in a filter name is
 * noticed; quoting it ("col:term") searches it.
 */
#ifndef LIAISON_SEARCH_QUERY_H
#define LIAISON_SEARCH_QUERY_H

#include <stddef.h>

/* Longest query accepted, in bytes, and most words and phrases in it: a
 * search box needs far less, and each term is an index lookup. */
#define SEARCH_QUERY_MAX 2048
#define SEARCH_TERMS_MAX 64

#define SEARCH_FILTERS_MAX 16  /* name:value filters besides the parser's own */

/* A filter the parser leaves to the caller: country:PH. */
typedef struct search_filter {
	char *name;       /* lower case: "country" */
	char *value;      /* as typed, without its quotes: "PH" */
	size_t pos;       /* of its name in the query, for the caller's errors */
} search_filter;

/* Every member is NULL when the query does not give it. */
typedef struct search_query {
	char *match;      /* FTS5 MATCH expression; NULL when only filters */
	char *type;       /* type: a kind's name, lower case: "organizations" */
	char *lang;       /* lang: "en", "fr" or "es" */
	char *date_from;  /* date: first day included, YYYY-MM-DD */
	char *date_to;    /* date: last day included, YYYY-MM-DD */
	search_filter filters[SEARCH_FILTERS_MAX];  /* the others, in the order written */
	size_t nfilters;
} search_query;

/* 1 when name is one of the parser's own filters (type, lang, date), which a
 * facet may not be named like. */
int search_filter_builtin(const char *name);
/* The parser's own filters' names, for messages: "type, lang, date". */
extern const char search_filters_builtin[];

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
