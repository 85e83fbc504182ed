/*
 * mt — machine translation suggestions for a segment, from Apertium run as
 * a child process.
 *
 * Debian's Apertium pairs for the organization's languages are
 * English-Spanish (eng-spa, spa-eng) and French-Spanish (fr-es, es-fr);
 * there is no English-French pair.  English and French are translated
 * through Spanish, and the result says so (pivot): two machine translations
 * in a row lose more, and a translator should know the suggestion is
 * rougher than a direct one.  A pair with neither way installed is refused.
 *
 * The segment's inline codes (formats/inline.h) are kept as they are:
 * Apertium reads the text as HTML, in which each code has become an empty
 * tag it passes through untranslated, and the codes are put back after.  A
 * code Apertium dropped is added at the end, so a suggestion always has
 * its source's codes.  Unknown words are left unmarked unless asked: a
 * suggestion is text to edit, and a "*" pasted into a translation is one
 * more thing to take out.
 *
 * Apertium runs with no shell, its text on its standard input, in a process
 * group of its own that is killed whole (its pipeline of programs with it)
 * when it takes longer than the time allowed or writes more than the
 * output allowed.  Safe to call from several threads at once.
 */
#ifndef LIAISON_MT_H
#define LIAISON_MT_H

#include <stddef.h>

#define MT_DATA_DIR "/usr/share/apertium"   /* where Debian puts the pairs, modes/ within */
#define MT_TIMEOUT_MS 10000
#define MT_OUTPUT_MAX (256 * 1024)

typedef struct mt_options {
	const char *program;    /* NULL: "apertium", found in PATH */
	const char *data_dir;   /* NULL: MT_DATA_DIR */
	int timeout_ms;         /* 0: MT_TIMEOUT_MS, for the whole translation */
	size_t output_max;      /* 0: MT_OUTPUT_MAX bytes from each run */
	int mark_unknown;       /* 1: words Apertium does not know keep its "*" */
} mt_options;

typedef struct mt_result {
	char *text;   /* to free(), NUL-terminated */
	size_t len;
	int pivot;    /* translated through Spanish */
} mt_result;

typedef enum mt_error {
	MT_OK,
	MT_LANGUAGE,   /* a language other than en, fr, es, or the same on both sides */
	MT_NO_PAIR,    /* no installed Apertium pair translates between them, even through Spanish */
	MT_UTF8,       /* the text is not valid UTF-8 (*at: where) */
	MT_START,      /* Apertium could not be started */
	MT_TIMEOUT,    /* Apertium took longer than allowed, and was stopped */
	MT_TOO_LONG,   /* Apertium wrote more than allowed, and was stopped */
	MT_FAILED,     /* Apertium ended with an error */
	MT_ERRORS
} mt_error;

/* The suggestion for text (n bytes, in language from) in language to.
 * MT_OK with *out filled, or why not (*out empty), with *at (when not
 * NULL) the byte of the text at fault, 0 when none is. */
mt_error mt_translate(const mt_options *o, const char *from, const char *to, const char *text, size_t n,
		      mt_result *out, size_t *at);
void mt_result_free(mt_result *r);

/* Whether from can be translated to with the pairs installed: MT_OK (and
 * *pivot set when through Spanish), MT_LANGUAGE or MT_NO_PAIR. */
mt_error mt_route(const mt_options *o, const char *from, const char *to, int *pivot);

/* The English message of an error, which the catalogs translate. */
const char *mt_error_message(mt_error e);

#endif
