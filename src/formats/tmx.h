/*
 * tmx — translation memories in TMX 1.4, read and written as streams.
 *
 * A translation memory is a list of units (<tu>), each the same sentence in
 * several languages (<tuv xml:lang> with its <seg>).  Files from the
 * translators' desktop tools run to hundreds of thousands of units and a
 * gigabyte, so neither side ever holds the file: the reader hands the
 * caller one unit at a time and forgets it, the writer takes one unit at a
 * time and hands its bytes on in pieces of bounded size.
 *
 * A segment is Liaison's text of inline codes (formats/inline.h): TMX's
 * paired <bpt>/<ept> (matched by i) and <hi> become <gN>...</gN>; <ph>,
 * <it> and <ut> become <xN/>; what those elements hold (the native code of
 * another tool, and any <sub> in it) is left out.  N is the element's x
 * when every code of the segment has a distinct x from 1 to 9999 (TMX's
 * way of saying "the same code" across the languages of a unit, which is
 * what N means in Liaison); otherwise the codes are numbered 1, 2, ... in
 * the order they open.  The writer writes N as x, so what it writes reads
 * back as it was.  Segment text is read into NFC, so that a translation
 * memory's look-ups find "é" whichever way a tool composed it.
 *
 * Errors.  A file that is not well-formed XML, that breaks TMX's structure
 * (a <tu> without <tuv>, a <tuv> without its one <seg>, a <bpt> without its
 * <ept>, an unreadable xml:lang or date), or that declares entities in a
 * DOCTYPE (no DTD is ever loaded and no entity expanded, so neither a file
 * on the network nor an expansion bomb is reached) is refused with its
 * line and a one-line reason.  As the reader streams, units before the
 * fault have already been handed over when the fault is found: the caller
 * holds one transaction over the whole read and rolls it back when
 * tmx_read_* returns -1, so that a file is imported whole or not at all.
 */
#ifndef LIAISON_TMX_H
#define LIAISON_TMX_H

#include <stddef.h>
#include <stdint.h>

#include "formats/xmlstream.h"

#define TMX_LANG_MAX 36      /* xml:lang as written, and its NUL */
#define TMX_TIME_MAX 21      /* "2026-12-07T10:15:00Z" and its NUL */

/* One language of a unit. */
typedef struct tmx_variant {
	char lang[4];                /* the primary language, lower-case: "en" of "EN-GB" */
	char tag[TMX_LANG_MAX];      /* xml:lang as the file wrote it; the writer ignores it */
	const char *text;            /* the segment in Liaison's inline codes, NFC, NUL-terminated */
	size_t len;
} tmx_variant;

/* A property of the unit's own: <prop type="x-NAME">VALUE</prop>; name
 * without its "x-".  Other properties are the tools' and are not read. */
typedef struct tmx_prop {
	const char *name, *value;
} tmx_prop;

/* A <tu>.  Every string is "" when absent; times are Liaison's UTC form,
 * "2026-12-07T10:15:00Z", which TMX writes 20261207T101500Z. */
typedef struct tmx_unit {
	const char *tuid;
	char created[TMX_TIME_MAX], changed[TMX_TIME_MAX];
	const char *creator, *changer;   /* creationid, changeid */
	const tmx_variant *variants;
	size_t nvariants;
	const tmx_prop *props;
	size_t nprops;
	long line;                       /* where the <tu> starts; the reader fills it in */
} tmx_unit;

/* The <header>'s attributes (the reader's: "" when absent). */
typedef struct tmx_header {
	const char *srclang;        /* a language tag, or "*all*" */
	const char *adminlang;
	const char *tool, *tool_version;   /* creationtool, creationtoolversion: the writer's are Liaison's */
	const char *segtype, *datatype, *o_tmf;
	char created[TMX_TIME_MAX];
} tmx_header;

/* What a refusal says: the line (0 when no line applies) and why. */
typedef xmlstream_error tmx_error;

/* ---- reading ----------------------------------------------------------- */

typedef struct tmx_reader_opts {
	/* Called once, before the first unit; may be NULL. */
	int (*on_header)(void *ctx, const tmx_header *h);
	/* Called once per unit; the unit and its strings live until it returns. */
	int (*on_unit)(void *ctx, const tmx_unit *u);
	void *ctx;
	/* Primary languages accepted, lower-case, ending with NULL: a variant
	 * in any other is refused as an unknown language.  NULL accepts any
	 * well-formed tag. */
	const char *const *languages;
} tmx_reader_opts;

/* Read a whole TMX document.  0 when it was read to its end; -1 when it is
 * refused (*err says where and why); 1 when a callback returned nonzero,
 * which stops the reading at once (err->line is where). */
int tmx_read_memory(const char *data, size_t len, const tmx_reader_opts *o, tmx_error *err);
int tmx_read_fd(int fd, const tmx_reader_opts *o, tmx_error *err);

/* ---- writing ----------------------------------------------------------- */

/* Takes the next len bytes of the document; 0, or nonzero to stop. */
typedef xmlstream_write_fn tmx_write_fn;

typedef struct tmx_writer tmx_writer;

/* Starts a document: the XML declaration and the header, with
 * creationtool "Liaison", segtype "sentence" and datatype "plaintext";
 * h->srclang is required, h->adminlang is "en" when NULL or "", the
 * other fields are optional.  NULL (and *err) when the header is refused
 * or memory ran out.  Output is handed on in pieces of at most about
 * TMX_WRITE_CHUNK bytes, or one unit's bytes when a unit is longer. */
#define TMX_WRITE_CHUNK XMLSTREAM_CHUNK
tmx_writer *tmx_writer_open(const tmx_header *h, tmx_write_fn write, void *ctx, tmx_error *err);

/* One unit.  0, or -1 with *err when the unit cannot be written (a
 * variant's language is no language tag, its text is no well-formed
 * segment, holds a character XML cannot carry, a time is not Liaison's
 * UTC form) or the output refused it; a refused unit writes nothing. */
int tmx_writer_unit(tmx_writer *w, const tmx_unit *u, tmx_error *err);

/* Ends the document, hands on what is left and frees w (also after an
 * error).  0, or -1 with *err. */
int tmx_writer_close(tmx_writer *w, tmx_error *err);

#endif
