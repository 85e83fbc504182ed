/*
 * tbx — termbases in TBX (ISO 30042:2019, TBX-Core structure with TBX-Basic's
 * data categories, DCA style), read and written one concept at a time.
 *
 * A termbase is a list of concepts (<conceptEntry id>), each with an
 * optional subject field and definition, and its terms by language
 * (<langSec xml:lang> holding <termSec>s): the term itself, its part of
 * speech, its administrative status (preferred, admitted, deprecated), a
 * definition, a source and a note.  Liaison hands its caller a concept's
 * terms as one list, each with its language, in the order of the file;
 * the writer puts the terms that follow one another in the same language
 * into one <langSec>.
 *
 * What TBX-Basic can say beyond this (transactions, cross-references,
 * contexts, grammatical gender, another namespace's data categories) is
 * passed over.  A definition given for a whole <langSec> goes to each of
 * its terms that has none of its own.  Texts are read into NFC; inline
 * markup in them (<hi>) is read as its text.
 *
 * Errors.  A document that is not well-formed, declares entities (see
 * xmlstream.h), is no <tbx>, holds a concept without any term, a term
 * without a language, a term whose text is empty, or a value outside
 * TBX-Basic's picklists, is refused with its line and a one-line reason.
 * As with TMX, concepts before the fault have been handed over: the caller
 * holds one transaction over the read and rolls it back on -1.
 */
#ifndef LIAISON_TBX_H
#define LIAISON_TBX_H

#include <stddef.h>

#include "formats/xmlstream.h"

#define TBX_LANG_MAX 36   /* xml:lang as written, and its NUL */

typedef enum tbx_status {
	TBX_STATUS_NONE,   /* not said */
	TBX_PREFERRED,     /* preferredTerm-admn-sts */
	TBX_ADMITTED,      /* admittedTerm-admn-sts */
	TBX_DEPRECATED,    /* deprecatedTerm-admn-sts */
} tbx_status;

typedef struct tbx_term {
	char lang[4];               /* the primary language, lower-case: "en" of "en-GB" */
	char tag[TBX_LANG_MAX];     /* xml:lang as the file wrote it; the writer ignores it */
	const char *text;           /* the term, never "" */
	const char *pos;            /* part of speech: "noun", "verb", "adjective", "adverb",
				     * "properNoun", "other", or "" */
	tbx_status status;
	const char *definition, *source, *note;   /* "" when absent */
} tbx_term;

typedef struct tbx_concept {
	const char *id;             /* conceptEntry's id, or "" */
	const char *subject;        /* the subject field, or "" */
	const char *definition;     /* the concept's definition, or "" */
	const tbx_term *terms;
	size_t nterms;              /* at least 1 */
	long line;                  /* where the <conceptEntry> starts; the reader fills it in */
} tbx_concept;

typedef xmlstream_error tbx_error;

/* ---- reading ----------------------------------------------------------- */

typedef struct tbx_reader_opts {
	/* Called once per concept; the concept and its strings live until it returns. */
	int (*on_concept)(void *ctx, const tbx_concept *c);
	void *ctx;
	/* Primary languages accepted, lower-case, ending with NULL; NULL accepts any well-formed tag. */
	const char *const *languages;
} tbx_reader_opts;

/* Read a whole TBX document.  0 when it was read to its end; -1 when it is
 * refused (*err says where and why); 1 when the callback returned nonzero,
 * which stops the reading at once. */
int tbx_read_memory(const char *data, size_t len, const tbx_reader_opts *o, tbx_error *err);
int tbx_read_fd(int fd, const tbx_reader_opts *o, tbx_error *err);

/* ---- writing ----------------------------------------------------------- */

typedef struct tbx_writer tbx_writer;

/* Starts a TBX-Basic document in lang (a language tag: the termbase's
 * working language), titled title (or untitled when NULL), written to
 * write in pieces of about XMLSTREAM_CHUNK bytes.  NULL (and *err) when
 * lang is no language tag or memory ran out. */
tbx_writer *tbx_writer_open(const char *lang, const char *title, xmlstream_write_fn write, void *ctx, tbx_error *err);

/* One concept.  0, or -1 with *err (a refused concept writes nothing): no
 * term, a term with an empty text or no primary language in lower case, a
 * part of speech not in the list, an id that is no XML name, text that is
 * not UTF-8 or holds a character XML cannot carry. */
int tbx_writer_concept(tbx_writer *w, const tbx_concept *c, tbx_error *err);

/* Ends the document, hands on the rest, frees w.  0, or -1 with *err: the
 * output refused it, or no concept was written (TBX's body holds one or
 * more; the document is written all the same). */
int tbx_writer_close(tbx_writer *w, tbx_error *err);

#endif
