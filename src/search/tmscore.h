/*
 * tmscore — how alike two segments are, as the translation memory scores
 * them: the tokens of a segment, the token edit distance, the score, the
 * tokens that differ, and a suggestion's numbers and codes brought to the
 * query's.  No database: the memory (domains/translation/memory.c) finds the
 * candidates, this file judges them.
 *
 * Tokens.  A token is a run of letters, marks and digits (text_word_char, the
 * search tokenizer's notion of a word), case-folded and NFC-normalized by
 * utf8proc; accents are kept, because "publico" for "público" is a change the
 * translator must make.  Two kinds of tokens are adaptable and compared by
 * class: a number (digits, with "." or "," between digits: "12", "1,000.50")
 * and an inline code of formats/inline.h (<g1>, </g1>, <x2/>, {0}, %s), each a
 * token of its own.  A code is a token because a formatting difference is
 * work for the translator (a tag to place); it is compared by kind, not by
 * number, because two documents number their tags independently.
 *
 * Score (OmegaT's): 100 * (max(n, m) - d) / max(n, m), rounded to the
 * nearest integer, for n and m tokens and d the Levenshtein distance over the
 * tokens' keys (numbers and codes by class).  Two segments that differ only
 * in the values of numbers or codes thus score 100; the memory then adapts
 * the suggestion (tm_adapt) or, when it cannot, scores the literal tokens.
 *
 * Exact matching uses another form: the segment NFC-normalized with every
 * run of white space made one space and none at either end, case kept
 * ("Council" and "council" are different exact matches).
 */
#ifndef LIAISON_TMSCORE_H
#define LIAISON_TMSCORE_H

#include <stddef.h>
#include <stdint.h>

typedef enum tm_kind { TM_WORD, TM_NUMBER, TM_CODE } tm_kind;

typedef struct tm_token {
	uint64_t key;      /* what the score compares: the folded word, or the class of a number or code */
	uint64_t literal;  /* the token as written: the folded word again, a number's digits, a code's text */
	uint32_t off, len; /* where the token is in the segment, in bytes */
	tm_kind kind;
} tm_token;

typedef struct tm_tokens {
	tm_token *v;
	size_t n, cap;
} tm_tokens;

#define TM_TOKENS_INIT { NULL, 0, 0 }

/* The tokens of s (n bytes of UTF-8), appended to out.  0, or -1 when s is
 * not well-formed UTF-8, with the offset of the first bad byte in *bad_at. */
int tm_tokenize(const char *s, size_t n, tm_tokens *out, size_t *bad_at);
void tm_tokens_free(tm_tokens *t);

/* The exact-match form of s (see above), NUL-terminated, to free(); NULL on
 * invalid UTF-8. */
char *tm_normalize(const char *s, size_t n);
/* A 64-bit hash of bytes (never 0, so that 0 can mean "none"). */
uint64_t tm_hash(const void *p, size_t n);
/* A 64-bit value with its bits mixed (never 0): keys made of hashes. */
uint64_t tm_mix(uint64_t h);

/* The rounded score of n and m tokens at distance d; 0 when both are empty. */
int tm_score(size_t n, size_t m, size_t d);
/* The fewest equal tokens a pair whose longer side has longer tokens must
 * share to score threshold or more (tm_score rounds, hence 2t - 1). */
size_t tm_min_common(size_t longer, int threshold);

/* The Levenshtein distance of a and b (n and m keys), or max_d + 1 as soon
 * as it is known to exceed max_d: only the band |i - j| <= max_d of the
 * table is computed, and the walk stops at a row whose every cell is over
 * max_d (a row's minimum never decreases).  -1 when memory ran out. */
long tm_distance(const uint64_t *a, size_t n, const uint64_t *b, size_t m, size_t max_d);

/* 1 when key is the class of numbers or of a kind of code: a token whose
 * literal may differ under an equal key. */
int tm_key_adaptable(uint64_t key);

/* The keys of a token list into keys[t->n] (or literals, literal 1). */
void tm_keys(const tm_tokens *t, uint64_t *keys, int literal);

/* What differs, seen from a candidate: its tokens replaced or deleted, and
 * the query's tokens it lacks (inserted), from one shortest edit script over
 * the literal tokens (so a number that differs is marked too). */
typedef enum tm_edit { TM_REPLACE, TM_DELETE, TM_INSERT } tm_edit;

typedef struct tm_mark {
	tm_edit op;
	uint32_t cand_off, cand_len;   /* the candidate's token; len 0 for an insertion, at the place */
	uint32_t query_off, query_len; /* the query's token; len 0 for a deletion */
} tm_mark;

/* The marks of cand against query, in the candidate's order, into *out (to
 * free()); their number in *nout.  0, or -1 when memory ran out. */
int tm_marks(const tm_tokens *query, const tm_tokens *cand, tm_mark **out, size_t *nout);

/*
 * The target of a unit whose source (tokens c) differs from the query
 * (qsrc, tokens q) only in the values of numbers and codes, with each such
 * value of the unit's source replaced, in the target, by the query's value at
 * the same position.  Returns 1 with *out (to free()) when something was
 * replaced; 0 when there is nothing to replace (the literals are equal); -1
 * when the target cannot be adapted: the key sequences differ, a value to
 * replace is not in the target, or one value of the source would become two
 * different ones.
 */
int tm_adapt(const char *qsrc, const tm_tokens *q, const tm_tokens *c, const char *target, size_t tn, char **out);

#endif
