/*
 * filetype — a file that came from outside, as Liaison takes it: its type
 * by its content alone, among the types the taker accepts, never by its
 * name or by the Content-Type it was sent with; its media type and the
 * extension a download names it by; its SHA-256, which says later that the
 * bytes kept are the bytes received; and the name it was given, when that
 * name is safe to repeat in a header.
 *
 * The types are extract.h's (extract_sniff reads the content).  A
 * Content-Type that declares nothing in particular (none, or
 * application/octet-stream) lets the content speak; one that declares a
 * type must declare the very type the content is.  Nothing is kept between
 * calls.
 */
#ifndef LIAISON_FILETYPE_H
#define LIAISON_FILETYPE_H

#include <stddef.h>

#include "formats/extract.h"

/* A set of doc_types a taker accepts: FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_DOCX) */
#define FILETYPE_SET(t) (1u << (t))

/* What a file's bytes were found to be. */
typedef struct file_facts {
	doc_type type;
	const char *media;       /* "application/pdf": static */
	const char *extension;   /* "pdf": static */
	size_t size;             /* bytes */
	char sha256[65];         /* lower-case hexadecimal */
} file_facts;

/*
 * Checks the len bytes at data, sent as content_type (NULL: as nothing in
 * particular): their type must be one of accepted and, when content_type
 * declares a type, that one.  0 with *out filled, or -1 with one English
 * sentence in why saying what the file is and what was expected ("the file
 * is a DOCX, not the PDF its Content-Type declares (application/pdf)").
 */
int filetype_check(const unsigned char *data, size_t len, const char *content_type, unsigned accepted,
		   file_facts *out, char *why, size_t whylen);

/* The media type of a type: "application/pdf"; application/octet-stream for DOC_UNKNOWN. */
const char *filetype_media(doc_type type);

/* The types of a set as people name them, "PDF, DOCX, ODT or XLSX", into out (size bytes). */
void filetype_names(unsigned set, char *out, size_t size);

/* 1 when name may be repeated as a download's file name: one line of at most 200 bytes, not empty,
 * with no quote, slash, backslash or control character. */
int filetype_name_ok(const char *name);

/* The len bytes' SHA-256 in lower-case hexadecimal. */
void filetype_sha256(const unsigned char *data, size_t len, char hex[65]);

#endif
