/*
 * csvio — CSV import and export for any kind of record.
 *
 * The header row names the fields; a multilingual field is three columns
 * (name_en, name_fr, name_es) and a list is one cell with items separated
 * by ";".  An import is all or nothing: every row is checked, every bad row
 * is reported (line, column, reason), and only a file without a single bad
 * row is written, in one transaction.  A row whose key field (a country's
 * iso2) names an existing record updates it; any other row creates one.
 */
#ifndef LIAISON_CSVIO_H
#define LIAISON_CSVIO_H

#include "model/model.h"

typedef struct import_error {
	size_t line;
	const char *column;   /* header name, or NULL for the whole row */
	const char *reason;
} import_error;

typedef struct import_report {
	size_t rows, created, updated;
	import_error *errors;  /* in the model_ctx's arena */
	size_t nerrors;
	int fatal;             /* the file itself is broken: reading stopped */
} import_report;

enum { IMPORT_DRY_RUN = 1, IMPORT_FORCE = 2 };

int csvio_import(model_ctx *m, const entity *e, const char *data, size_t len, unsigned flags, import_report *rep);
int csvio_export(model_ctx *m, const entity *e, buf *out);

#endif
