/*
 * qa — the checks a translated segment goes through before a reviser sees
 * it: the same numbers as its source (each language writing them its own
 * way), something translated, the same tags and placeholders, the
 * terminology's preferred terms used and its deprecated ones not, no double
 * space, the same white space around it and the same end punctuation.
 *
 * Pure: the caller gives the two texts, their languages and the term hits
 * it found in the source (the terminology lives in the database, not
 * here), and gets warnings back, each with a code, the place in the target
 * and the item at fault.  The message of a code is one line of English that
 * the catalogs translate.
 *
 * Texts are UTF-8 with inline codes (formats/inline.h), of the lengths
 * given; nothing is read beyond them.  Languages are "en", "fr", "es"; any
 * other is checked as English writes numbers, without stemming.
 */
#ifndef LIAISON_QA_H
#define LIAISON_QA_H

#include <stddef.h>

/* A terminology entry found in the source: where, and what the target
 * should and should not say for it. */
typedef struct qa_term {
	size_t off, len;                 /* the term's words in the source */
	const char *const *preferred;    /* the target terms to use; any one will do */
	size_t npreferred;
	const char *const *deprecated;   /* the target terms not to use */
	size_t ndeprecated;
} qa_term;

typedef struct qa_segment {
	const char *source;
	size_t source_len;
	const char *target;
	size_t target_len;
	const char *source_lang, *target_lang;
	const qa_term *terms;
	size_t nterms;
} qa_segment;

typedef enum qa_code {
	QA_SOURCE_UTF8,       /* the source is no UTF-8 (off: in the source); nothing else checked */
	QA_TARGET_UTF8,       /* the target is no UTF-8; nothing else checked */
	QA_EMPTY,             /* no translation */
	QA_UNTRANSLATED,      /* the target is the source */
	QA_CODES_BROKEN,      /* the target's tags are not well formed (item: why) */
	QA_CODES_DIFFER,      /* a tag or placeholder one has and the other lacks (item: the code) */
	QA_NUMBER_MISSING,    /* a number of the source not in the target (item: as the source writes it) */
	QA_NUMBER_ADDED,      /* a number of the target not in the source */
	QA_TERM_MISSING,      /* no preferred term for a source term (item: the first preferred term) */
	QA_TERM_DEPRECATED,   /* a deprecated term in the target (item: the term) */
	QA_DOUBLE_SPACE,      /* two spaces or more within the target */
	QA_LEADING_SPACE,     /* white space before the text other than the source's */
	QA_TRAILING_SPACE,    /* white space after the text other than the source's */
	QA_END_PUNCTUATION,   /* the text ends with other punctuation (item: the source's, "" for none) */
	QA_CODES_COUNT
} qa_code;

#define QA_ITEM_MAX 128   /* 30 characters and an ellipsis at most */

typedef struct qa_warning {
	qa_code code;
	size_t off, len;          /* in the target; len 0 for what is missing, off where it was looked for */
	char item[QA_ITEM_MAX];   /* what is at fault, cut to fit; "" when nothing names it */
} qa_warning;

typedef struct qa_report {
	qa_warning *v;   /* in the order of the checks, each check's in the order of the target */
	size_t n;
} qa_report;

/* Every warning on seg into *out (to free with qa_report_free); their
 * number. */
size_t qa_check(const qa_segment *seg, qa_report *out);
void qa_report_free(qa_report *r);

/* The English message of a code ("a number of the source is missing"), and
 * its stable name for the API ("number-missing"). */
const char *qa_message(qa_code c);
const char *qa_code_name(qa_code c);

#endif
