/*
 * files — the files people give to records, kept as they came: a language
 * version's document, a donor's report.  An area names the table of its
 * migrations that holds them (file_table) and checks a file by its content
 * first (formats/filetype.h); this keeps it, in the caller's transaction,
 * with its name, media type, size, SHA-256, who gave it and when, and
 * gives it back byte for byte.  Who may give or read one is the area's
 * question, asked of the record before it comes here.
 */
#ifndef LIAISON_FILES_H
#define LIAISON_FILES_H

#include "formats/filetype.h"
#include "model/model.h"

/* A table of files: the columns KEY, name, type, size, sha256, content,
 * uploaded_at, uploaded_by, and id when it keeps every file. */
typedef struct file_table {
	const char *table;   /* "document_files" */
	const char *key;     /* the column that names the record a file is given to: "version" */
	int keeps_all;       /* every file kept, the newest (by id) given back; else one per record, replaced */
} file_table;

/* A file as a request brought it for a record: its bytes, the type the
 * request declared (NULL: none in particular), the name asked for (NULL:
 * none). */
typedef struct file_given {
	const unsigned char *data;
	size_t len;
	const char *content_type;
	const char *name;
} file_given;

/* An area's taking of a file for its record named id, as m's user: 0 with
 * the record as written in m, or -1 with m's error.  The API's PUT and the
 * pages' form call the same one (http_file_given, page_file_given). */
typedef int (*file_taker)(model_ctx *m, const char *id, const file_given *g);

/* Checks g is a file of one of the accepted types (filetype.h's set) by its
 * content: 0 with *out filled, or -1 with m's error: 400 for no bytes at
 * all, 415 saying what the file is. */
int files_check(model_ctx *m, const file_given *g, unsigned accepted, file_facts *out);

/* A file as it was kept, in m's arena. */
typedef struct kept_file {
	const char *name, *media, *sha256, *uploaded_at;
	const char *content;
	size_t size;
	int64_t uploaded_by;   /* 0: nobody's account */
} kept_file;

/* The name a file is kept under: asked when it is safe to repeat in a header
 * (filetype_name_ok), else stem and the type's extension ("C-115-1.pdf"). */
const char *files_name(model_ctx *m, const char *asked, const char *stem, const file_facts *f);

/* A file's size as people say it, "214 KB", in m's arena. */
const char *files_size(model_ctx *m, size_t n);

/* Keeps the len bytes at data, found to be f, as the file of the record key,
 * given by m's user now, on c inside the caller's transaction.  0, or -1
 * with m's error (500). */
int files_keep(model_ctx *m, store_conn *c, const file_table *t, int64_t key, const unsigned char *data,
	       const file_facts *f, const char *name);

/* The record key's file (its newest, in a table that keeps all) into *out:
 * 1 found, 0 none, -1 with m's error. */
int files_newest(model_ctx *m, store_conn *c, const file_table *t, int64_t key, kept_file *out);

#endif
