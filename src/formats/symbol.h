/*
 * symbol — the symbols of the governing bodies' official documents, as the
 * documents carry them: "C/115/1" (Council, 115th session, document 1),
 * "C/114/L/6/Rev.1" (a draft, revised), "C/Sp/7/L/1" (a special session),
 * "C/115/RES/1412" (a resolution), "MC/2398/Rev.1" (a series numbered
 * without sessions), "C/115/1/Add.1/Corr.2".
 *
 * A symbol is read by its grammar (written out in symbol.c), not guessed
 * at: every symbol has exactly one way of being written, so the text read
 * is the text symbol_format writes back, byte for byte.  A text that is no
 * symbol is refused with the offset of what is wrong in it and why, in one
 * of a fixed set of messages the catalogs translate.
 *
 * Nothing is allocated; the text is read from left to right, in time
 * linear in its length, never beyond the length given (it need not end
 * with a NUL).
 */
#ifndef LIAISON_SYMBOL_H
#define LIAISON_SYMBOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYMBOL_SERIES_MAX 8       /* capital letters of a series */
#define SYMBOL_NUMBER_MAX 999999  /* six digits */
/* The longest symbol, "ABCDEFGH/Sp/999999/CRP/999999/Rev.999999/Add.999999/Corr.999999",
 * and its NUL: a buffer this long holds any symbol symbol_format writes. */
#define SYMBOL_TEXT_MAX 64

typedef enum symbol_kind {
	SYMBOL_PLAIN,   /* C/115/1 */
	SYMBOL_L,       /* C/114/L/6: a draft (a draft report, a draft resolution) */
	SYMBOL_RES,     /* C/115/RES/1412: a resolution */
	SYMBOL_INF,     /* C/115/INF/3: for information */
	SYMBOL_CRP,     /* C/115/CRP/2: a conference room paper */
} symbol_kind;

typedef struct symbol {
	char series[SYMBOL_SERIES_MAX + 1];   /* "C", "S", "MC": 1 to 8 capital letters */
	bool special;                         /* a special session: C/Sp/7/... */
	uint32_t session;                     /* 0 in a series numbered without sessions (MC/2398) */
	symbol_kind kind;                     /* SYMBOL_PLAIN in a series without sessions */
	uint32_t number;                      /* the document's number, within its session and kind */
	uint32_t rev, add, corr;              /* Rev.N, Add.N, Corr.N; 0 when absent */
} symbol;

/* Why a text is no symbol.  Each has its message (symbol_error_message). */
typedef enum symbol_error {
	SYMBOL_OK,
	SYMBOL_EMPTY,          /* "" */
	SYMBOL_SPACE,          /* "C/115/ 1" */
	SYMBOL_NOT_ASCII,      /* "Ç/115/1", a letter that only looks like C */
	SYMBOL_BAD_CHARACTER,  /* "C/115/1-2": only letters, digits, / and . */
	SYMBOL_LOWERCASE,      /* "c/115/1", "C/115/l/6" */
	SYMBOL_SERIES,         /* "/115/1", "ABCDEFGHI/1" */
	SYMBOL_SLASH,          /* "C115", "C/Sp/7" */
	SYMBOL_EMPTY_PART,     /* "C//1" */
	SYMBOL_TRAILING_SLASH, /* "C/115/1/" */
	SYMBOL_SESSION,        /* "C/SP/7", "C/X/1" */
	SYMBOL_NUMBER,         /* "C/115/L/.", "C/115/1/Rev." */
	SYMBOL_ZERO,           /* "C/115/1/Rev.0" */
	SYMBOL_LEADING_ZERO,   /* "C/115/01" */
	SYMBOL_NUMBER_LONG,    /* "C/1150000/1" */
	SYMBOL_KIND,           /* "C/115/DRAFT/1" */
	SYMBOL_SUFFIX,         /* "C/115/1/Amend.1", "C/115/1/rev.1" */
	SYMBOL_SUFFIX_DOT,     /* "C/115/1/Rev2" */
	SYMBOL_REV_ORDER,      /* "C/115/1/Add.1/Rev.1" */
	SYMBOL_ADD_ORDER,      /* "C/115/1/Corr.1/Add.1" */
	SYMBOL_REV_TWICE,      /* "C/115/1/Rev.1/Rev.2" */
	SYMBOL_ADD_TWICE,
	SYMBOL_CORR_TWICE,
	SYMBOL_TRAILING,       /* "C/115/1x" */
	SYMBOL_ERRORS          /* how many codes there are */
} symbol_error;

/* Reads the len bytes of text as a symbol into *out.  SYMBOL_OK, or why
 * not, with *at (when at is not NULL) the byte offset of what is wrong:
 * the first byte of the part at fault, or len where the text stops short of
 * a part it needs; len when the text is a symbol.  *at is at most len.
 * On an error *out is all zeros. */
symbol_error symbol_parse(const char *text, size_t len, symbol *out, size_t *at);

/* The English message of an error, which the catalogs translate ("a number
 * may not start with 0"); "" for SYMBOL_OK and for what is no code. */
const char *symbol_error_message(symbol_error e);

/* Writes s as its one canonical text into out (size bytes, SYMBOL_TEXT_MAX
 * always enough).  The length written, or -1 (and out "", when size > 0)
 * when s is not a symbol a text could name or out is too small. */
int symbol_format(const symbol *s, char *out, size_t size);

/* Whether a and b name the same document but for its Rev., Add. and
 * Corr.: C/115/1/Rev.2 and C/115/1 (a revision supersedes the earlier
 * text), not C/115/1 and C/115/L/1. */
bool symbol_same_base(const symbol *a, const symbol *b);

/* Whether a and b are the same symbol, suffixes included. */
bool symbol_equal(const symbol *a, const symbol *b);

#endif
