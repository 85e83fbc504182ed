/*
 * csvio — CSV import and export for any kind of record: what export writes,
 * import takes back unchanged.
 *
 * Columns.  Export writes id, version, classification, division,
 * created_at and updated_at, then the kind's fields in their order: a
 * multilingual field as one column per language (name_en, name_fr,
 * name_es), a list as one cell of items separated by "; ", a field of links
 * the same way with each link as kind/id and its role after a space
 * ("persons/12 speaker"; see formats/csv.h for the escapes of ";" and "\"
 * in an item).  The system's bookkeeping (UNSHOWN fields) is left out.
 * Text cells carry csv.h's formula guard, which import takes away again.
 * A file may have any of these columns, in any order.
 *
 * Rows.  A row names its record by its id, or else by the kind's key field
 * (a country's iso2):
 *  - a record that exists: the cells that differ from it change it, but
 *    only at the version the row gives (the version column must still be
 *    the record's; when the row names it by id, the version is required);
 *    a row that changes nothing is counted as unchanged and writes nothing,
 *    whatever its version;
 *  - an id that names no record: an administrator's import creates the
 *    record with that id, so that a file brought into another database
 *    keeps the references between records; anyone else's row is refused;
 *  - neither: a new record.
 * Of a column the file has, every cell is taken, an empty one included: it
 * empties the field (on a new record the field is absent; an empty
 * classification keeps the record's).  A column the file lacks is left as
 * it is.  created_at and updated_at are the system's: exported for
 * reading, never taken.  So are the fields the system sets (READONLY: an
 * inquiry's reference, status and clocks): a new record gets them from the
 * system as any new record does, and a row that would change them on an
 * existing one is refused.  The same id, or the same value of a unique
 * field, on two rows of a file is refused.
 *
 * All or nothing.  Every row is checked and every bad row reported (line,
 * column, reason); only a file without a single bad row is written, in one
 * transaction.  A row may refer to a record that a later row of the file
 * brings with its id (the database checks those references at commit).
 *
 * Checking (IMPORT_DRY_RUN) runs every row as the import would, through the
 * same code, up to the write: on the reader's connection, never holding the
 * writer's lock, so that other writes go on meanwhile.  It reads the
 * database as it is, with the file's own ids and unique values taken into
 * account.  What a kind's rederive hook derives from each row it passes
 * (its duplicate keys) goes to a scratch database of the run's own
 * (model_ctx.staged), so that two rows that look like duplicates of each
 * other are found as the import finds them.
 *
 * Review (import_opts.review).  A migration brings thousands of rows, some
 * of them likely duplicates: instead of refusing the file for them, every
 * other row is imported and the likely duplicates are written to a review
 * file: the rows as they were, with a column "likely_duplicates" naming
 * their candidates (id, name, score, why) and an empty "create_anyway".
 * Staff mark with "yes" the rows to create anyway and import the review
 * file; the others they merge or leave.  A malformed row still stops the
 * whole import.  "create_anyway" may be a column of any file.
 */
#ifndef LIAISON_CSVIO_H
#define LIAISON_CSVIO_H

#include <stdio.h>

#include "model/model.h"

typedef struct import_error {
	size_t line;
	const char *column;   /* header name, or NULL for the whole row */
	const char *reason;
} import_error;

typedef struct import_report {
	size_t rows, created, updated, unchanged;
	size_t for_review;     /* likely duplicates written to the review file */
	import_error *errors;  /* in the model_ctx's arena */
	size_t nerrors;
	int fatal;             /* the file itself is broken: reading stopped */
} import_report;

enum { IMPORT_DRY_RUN = 1, IMPORT_FORCE = 2 };

#define PROGRESS_ROWS 10000
typedef struct import_opts {
	unsigned flags;        /* IMPORT_DRY_RUN, IMPORT_FORCE */
	FILE *progress;        /* when not NULL: told every PROGRESS_ROWS rows how many were read */
	buf *review;           /* when not NULL: the likely duplicates go here, as CSV (see above) */
} import_opts;
int csvio_import(model_ctx *m, const entity *e, const char *data, size_t len, const import_opts *o, import_report *rep);
int csvio_export(model_ctx *m, const entity *e, buf *out);

#endif
