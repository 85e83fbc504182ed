/*
 * xliff — a translation job as XLIFF 1.2 or 2.0, so that translators work
 * on it in their desktop tools (OmegaT, Trados, memoQ) and bring it back.
 *
 * A job is a source and a target language (en, fr, es), the document it
 * comes from (its symbol, "C/115/1", and title) and its segments in order.
 * A segment's texts carry Liaison's inline codes (formats/inline.h):
 *
 *   Liaison        XLIFF 1.2          XLIFF 2.0
 *   <gN>...</gN>   <g id="N">...</g>  <pc id="N">...</pc>
 *   <xN/>          <x id="N"/>        <ph id="N"/>
 *   {0}, %s        text               text
 *
 * Placeholders stay text: Liaison knows them by their shape, so they come
 * back as they went whatever a tool does with them, the tools themselves
 * protect {0} and %s by their own patterns, and a placeholder a translator
 * dropped is found by inline_same on the way back.  As elements they would
 * need ids of their own beside the tags' and, in 1.2, a copy of the code as
 * content that a tool might edit.
 *
 * States.  Liaison has three; the writer writes them as
 *   new: state="new" (1.2), "initial" (2.0), and no <target> when it is empty;
 *   translated: state="translated" (1.2), "translated" (2.0);
 *   reviewed: state="signed-off" (1.2), "reviewed" (2.0);
 * and the reader maps back
 *   1.2: new, needs-translation, needs-adaptation, needs-l10n: new;
 *        translated, needs-review-translation, needs-review-adaptation,
 *        needs-review-l10n: translated (there is a translation to review);
 *        signed-off, final, or approved="yes" on the trans-unit: reviewed;
 *        no state: translated when the target holds text, new otherwise;
 *   2.0: initial (also when absent, the standard's default): new;
 *        translated: translated; reviewed, final: reviewed.
 *
 * What the reader does with the rest of the markup:
 *   - 1.2 <bx id="N"/> and <bpt id="N"> open <gN>, <ex rid="N"/> and
 *     <ept id="N"> close it; <ph>, <it> are <xN/>; the native code inside
 *     <bpt>, <ept>, <ph>, <it> (and any <sub> in it) is dropped: Liaison
 *     keeps no native code.  2.0 <sc id="N"/> and <ec startRef="N"/> are the
 *     same pair; <cp hex="..."/> is the character it names.
 *   - <mrk> (1.2 and 2.0, the segments memoQ and Trados mark in a target,
 *     comments, terms) keeps its text and loses the mark; 2.0 <sm/>, <em/>
 *     are dropped.  A 1.2 <seg-source> is skipped (<source> is the text).
 *   - A 2.0 unit of several segments (a tool split it) is one Liaison
 *     segment: its segments' and ignorables' texts joined in order, its
 *     state the least of theirs.
 *   - <alt-trans>, mtc:matches, notes, groups' attributes and every element
 *     of another namespace outside a text are skipped; inside a <source> or
 *     <target> an unknown element is an error, as is an inline id that is
 *     not a number 1-9999 (Liaison numbers its tags), text that reads as an
 *     inline code (Liaison's segments have no escape for it), or tags that
 *     do not balance (inline_check).
 *   - The title is the first <note> of a 1.2 <header>, the file's <note
 *     category="title"> in 2.0.
 *   - Languages may carry a region ("fr-FR"); they are handed back as the
 *     two letters.  XLIFF 2.1 is read as 2.0 (the same namespace).
 *
 * Both read and write stream (over formats/xmlstream.h): the writer hands
 * its output to a callback in pieces of whole segments of about 64 KB,
 * the reader (libxml2's xmlTextReader, no network, no DTD, no entity
 * declared or referred to) hands back each segment as it ends.  A failure
 * is one line, "line 12: why", and the output so far is to be discarded.
 */
#ifndef LIAISON_XLIFF_H
#define LIAISON_XLIFF_H

#include <stddef.h>

#define XLIFF_MATCHES_MAX 5   /* memory matches offered with a segment */

typedef enum xliff_version { XLIFF_12 = 12, XLIFF_20 = 20 } xliff_version;

typedef enum xliff_state {
	XLIFF_NEW,          /* not translated yet */
	XLIFF_TRANSLATED,   /* translated, not reviewed */
	XLIFF_REVIEWED,     /* reviewed: final */
} xliff_state;

typedef struct xliff_job {
	const char *source_lang, *target_lang;   /* "en", "fr", "es" */
	const char *original;                    /* the document's symbol: "C/115/1" */
	const char *title;                       /* may be NULL or "" */
} xliff_job;

typedef struct xliff_match {
	const char *source, *target;   /* with inline codes */
	int score;                     /* 0-101: 100 the same text, 101 the same in the same context */
	const char *origin;            /* where it comes from: "C/114/3", "memory"; may be NULL */
} xliff_match;

typedef struct xliff_segment {
	int id;                        /* 1 or more, unique in the job */
	const char *source;
	const char *target;            /* "" or NULL: not translated */
	xliff_state state;
	int nmatches;                  /* 0 to XLIFF_MATCHES_MAX */
	xliff_match matches[XLIFF_MATCHES_MAX];
} xliff_segment;

/* Where and why reading or writing stopped, as one line: "line 12: why"
 * (line 0 when it is no place in a file). */
typedef struct xliff_error {
	long line;
	char message[256];
} xliff_error;

/* ---- writing --------------------------------------------------------- */

/* Receives the output; 0, or -1 to stop the writer. */
typedef int (*xliff_out)(void *ctx, const char *data, size_t n);

typedef struct xliff_writer xliff_writer;

/* Starts a file (nothing is written until the first segment or the end);
 * NULL with err filled when the job's languages or original are not what
 * a job holds, or memory ran out. */
xliff_writer *xliff_write_begin(xliff_version v, const xliff_job *job, xliff_out out, void *ctx, xliff_error *err);

/* One segment, checked whole before any of it is written: its id new,
 * its texts UTF-8 that XML can carry, with well-formed inline codes, a
 * score 0-101.  0, or -1 with err filled; after a failure the writer
 * writes nothing more. */
int xliff_write_segment(xliff_writer *w, const xliff_segment *s, xliff_error *err);

/* Ends the file and frees the writer: 0, or -1 (err filled) when this or
 * an earlier step failed. */
int xliff_write_end(xliff_writer *w, xliff_error *err);

/* All of it at once: begin, every segment, end. */
int xliff_write(xliff_version v, const xliff_job *job, const xliff_segment *segs, size_t n, xliff_out out,
		void *ctx, xliff_error *err);

/* ---- reading --------------------------------------------------------- */

/* The file as read; its strings last until xliff_read returns. */
typedef struct xliff_file {
	xliff_version version;
	char source_lang[3], target_lang[3];   /* "en", "fr", "es" */
	const char *original;
	const char *title;                     /* "" when the file has none */
	long line;                             /* of the <file> */
} xliff_file;

/* A segment as read; its strings last until the callback returns. */
typedef struct xliff_unit {
	int id;
	const char *source, *target;   /* inline codes; target "" when none */
	xliff_state state;
	long line;                     /* of the <trans-unit> or <unit> */
} xliff_unit;

typedef struct xliff_reader_cb {
	int (*on_file)(void *ctx, const xliff_file *f);   /* once, before the first segment; may be NULL */
	int (*on_unit)(void *ctx, const xliff_file *f, const xliff_unit *u);
	void *ctx;
} xliff_reader_cb;

/* Reads xml (n bytes), calling cb as it goes.  0 when the whole file was
 * read, -1 with err filled when it is not a Liaison job's XLIFF, or the
 * positive value a callback returned to stop. */
int xliff_read(const char *xml, size_t n, const xliff_reader_cb *cb, xliff_error *err);

/* Whether a file that came back is the job's: the same languages and
 * original, and the same segments with the same sources (in any order).
 * 0 when it is; 1 with why filled with the first difference ("line 40:
 * segment 12's source differs from the job's", "the file has 40 segments,
 * the job 41: segment 17 is missing"); -1 with why filled when the file
 * cannot be read. */
int xliff_compare(const char *xml, size_t n, const xliff_job *job, const xliff_segment *segs, size_t nsegs,
		  xliff_error *why);

#endif
