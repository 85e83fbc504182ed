/*
 * pdf — simple documents (headings, paragraphs, bullet items, key-value
 * lines) laid out on A4 pages and written as PDF with Cairo and Pango, in
 * any of Liaison's languages (fonts from the system's fontconfig).
 */
#ifndef LIAISON_PDF_H
#define LIAISON_PDF_H

#include "core/buf.h"

typedef struct pdf_doc pdf_doc;

/* A new document; title goes into the PDF's metadata and page headers;
 * lang ("fr") sets the language Pango shapes and breaks lines for (Cairo
 * 1.16 cannot write a document language).  NULL when out of memory. */
pdf_doc *pdf_new(const char *title, const char *lang);
void pdf_heading(pdf_doc *d, int level, const char *text);   /* level 1 or 2 */
void pdf_paragraph(pdf_doc *d, const char *text);
void pdf_item(pdf_doc *d, const char *text);                 /* a bullet */
void pdf_fact(pdf_doc *d, const char *label, const char *value);
/* Lays out and writes the PDF bytes to out; frees d.  0, or -1 with a reason. */
int pdf_finish(pdf_doc *d, buf *out, char *err, size_t errlen);

#endif
