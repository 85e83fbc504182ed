/*
 * worddiff — what changed between two texts, paragraph by paragraph and,
 * inside a changed paragraph, word by word: the comparison of a document's
 * revision with the text it supersedes.
 *
 * A text is a list of paragraphs, one a line (split at LF; "" has none).
 * Paragraphs are aligned first (kept, changed, inserted, deleted; a moved
 * one is deleted where it was and inserted where it went), then each
 * changed pair is compared by its words.  A word is a run of letters and
 * digits (an ideograph of Chinese or Japanese is a word by itself); the
 * spaces and punctuation between words are tokens of their own, kept as
 * they are, so that the parts of the answer rebuild both texts exactly:
 * the "old" side (kept, deleted, and a changed paragraph's same and
 * deleted parts) joined by LF is the old text, the "new" side the new.
 *
 * The work is bounded (core/myers.h): a pair of paragraphs needing more
 * than max_edits word edits, or met when the budget of the whole
 * comparison is spent, is shown replaced wholesale (its whole old text
 * deleted, its whole new text inserted).  Texts are taken as bytes; UTF-8
 * that is not well formed is compared byte by byte, never misread.
 */
#ifndef LIAISON_WORDDIFF_H
#define LIAISON_WORDDIFF_H

#include <stddef.h>
#include <stdint.h>

typedef enum worddiff_kind {
	WORDDIFF_KEPT,      /* the same in both */
	WORDDIFF_CHANGED,   /* an old paragraph and the new one it became: see its parts */
	WORDDIFF_DELETED,   /* only in the old text */
	WORDDIFF_INSERTED,  /* only in the new text */
} worddiff_kind;

typedef enum worddiff_op { WORDDIFF_SAME, WORDDIFF_DEL, WORDDIFF_INS } worddiff_op;

/* A run of a changed paragraph's text: the same on both sides (at old_at in
 * the old text and new_at in the new), deleted (old_at) or inserted (new_at). */
typedef struct worddiff_part {
	worddiff_op op;
	size_t old_at, new_at, len;
} worddiff_part;

typedef struct worddiff_para {
	worddiff_kind kind;
	long old_index, new_index;   /* the paragraph's number on each side, from 0; -1 on a side it is not on */
	size_t old_at, old_len;      /* its bytes in the old text (not the LF) */
	size_t new_at, new_len;      /* and in the new */
	size_t first, nparts;        /* WORDDIFF_CHANGED: its parts, parts[first] on */
	int wholesale;               /* WORDDIFF_CHANGED: too different, or past a bound: one part deleted, one inserted */
} worddiff_para;

typedef struct worddiff {
	worddiff_para *paras;
	size_t nparas;
	worddiff_part *parts;
	size_t nparts;
	size_t words_deleted, words_inserted;  /* words (not spaces) in deleted and inserted parts and paragraphs */
	int bounded;                 /* some part of the work was cut short by a bound */
} worddiff;

typedef struct worddiff_limits {
	size_t max_edits;            /* word edits of one pair of paragraphs before it is replaced wholesale */
	uint64_t budget;             /* steps of the whole comparison (paragraphs and words) */
} worddiff_limits;

/* 2,000 edits a paragraph, 100 million steps (a few tenths of a second at worst). */
#define WORDDIFF_MAX_EDITS 2000
#define WORDDIFF_BUDGET 100000000u
/* The longest text taken, in bytes: offsets are kept in 32 bits. */
#define WORDDIFF_TEXT_MAX ((size_t)1 << 30)

/* Compares old_text (old_len bytes) with new_text into d; limits NULL for
 * the defaults.  0, or -1 when memory ran out or a text is longer than
 * WORDDIFF_TEXT_MAX (d then holds nothing).  Free d with worddiff_free. */
int worddiff_texts(worddiff *d, const char *old_text, size_t old_len, const char *new_text, size_t new_len,
		   const worddiff_limits *limits);
void worddiff_free(worddiff *d);

/* The next paragraph of a text of n bytes, for callers that show texts
 * side by side: *at starts at 0 and is moved past the paragraph's LF; 1
 * with its start and length, or 0 when there is none left.  The one way
 * texts are cut into paragraphs. */
int worddiff_next_paragraph(size_t n, const char *text, size_t *at, size_t *start, size_t *len);

#endif
