/*
 * extract — the text of the governing bodies' official documents, as they
 * arrive: PDF, DOCX or ODT files, one per language version.
 *
 * A file's type is told by its content alone (extract_sniff), never by its
 * name or the type it was declared with: a PDF named .docx is a PDF.  Its
 * text comes out as plain UTF-8, one paragraph per line, for the word-level
 * comparison of language versions and for the search index:
 *
 *   - paragraphs are separated by "\n", with no "\n" after the last one, and
 *     none is empty;
 *   - inside a paragraph every run of white space (the no-break spaces
 *     included) is one plain space, with none at either end; a tab of the
 *     document's markup stays a tab, the only control character written;
 *   - the typographic ligatures (U+FB00 to U+FB06) are spelt out in
 *     letters, soft hyphens dropped, broken UTF-8 replaced by U+FFFD;
 *   - the document's own text only: a PDF's running heads and page numbers,
 *     a DOCX's headers and footers, comments, tracked deletions are left
 *     out; a DOCX's footnotes and endnotes follow its body, an ODT's notes
 *     stand where they are cited.
 *
 * The files come from outside: every size is capped (extract_limits), XML
 * is read with no DTD, no entity of its own and no network, and a file
 * that cannot be read is refused with one English sentence, never a crash.
 * Nothing is kept between calls; calls from several threads at once are
 * safe.
 */
#ifndef LIAISON_EXTRACT_H
#define LIAISON_EXTRACT_H

#include <stddef.h>

#include "core/buf.h"

typedef enum doc_type {
	DOC_UNKNOWN,   /* none of the three */
	DOC_PDF,       /* no ZIP, and "%PDF-" in its first 1,024 bytes, where readers look for it */
	DOC_DOCX,      /* a ZIP package holding word/document.xml */
	DOC_ODT,       /* a ZIP package whose mimetype is application/vnd.oasis.opendocument.text */
	DOC_XLSX,      /* a ZIP package holding xl/workbook.xml: known, so that a donor's financial report
			* can be taken, but its text is not read (extract_text refuses it) */
} doc_type;

/* What a file's text may cost.  A file beyond any of them is refused. */
typedef struct extract_limits {
	size_t max_text;       /* bytes of text written to out */
	size_t max_unzipped;   /* bytes of each XML part read out of a DOCX or ODT package */
	unsigned max_pages;    /* pages of a PDF */
} extract_limits;

/* 16 MiB of text, 64 MiB of XML, 2,000 pages: far above any official
 * document, far below what would hurt the server. */
extern const extract_limits extract_default_limits;

/* The type of the len bytes at data, by their content. */
doc_type extract_sniff(const unsigned char *data, size_t len);

/* "PDF", "DOCX", "ODT", "XLSX" or "unknown". */
const char *extract_type_name(doc_type type);

/*
 * Appends the text of the len bytes at data, a document of the given type
 * (as extract_sniff tells it), to out as described above, and its number of
 * words to *words when words is not NULL.  lim NULL means
 * extract_default_limits.  0, or -1 with the reason in err (when err is not
 * NULL) and out as it was.
 */
int extract_text(const unsigned char *data, size_t len, doc_type type, const extract_limits *lim, buf *out,
		 size_t *words, char *err, size_t errlen);

/*
 * The words of the n bytes of UTF-8 at s, counted as translators count
 * them: a word is a run of letters, marks and digits, which an apostrophe or
 * a hyphen between two of them does not end ("aujourd'hui", "Etats-Unis"),
 * nor a point or a comma between two digits ("1,250.75").
 */
size_t extract_count_words(const char *s, size_t n);

#endif
