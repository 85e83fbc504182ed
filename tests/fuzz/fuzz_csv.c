/*
 * fuzz_csv — the CSV reader (src/formats/csv.c) and the import built on it
 * (src/model/csvio.c).  The reader's promises are checked on every record:
 * fields end with their NUL at their length and hold none before it, no
 * field is longer than CSV_MAX_FIELD, lines only go forward, every error
 * says where and what, and after a fatal one the reader stays stopped.
 * Then the same bytes are imported, as a dry run, into every kind of the
 * registry that the header row names, on a temporary database: a bad file
 * gives a report, never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv.h"
#include "fuzzdb.h"
#include "model/csvio.h"
#include "oracle.h"

ORACLE static void read_records(const char *data, size_t size)
{
	csv_reader *r = csv_open(data, size);
	csv_row row;
	csv_error err;
	size_t last_line = 0;
	int rc;
	while ((rc = csv_next(r, &row, &err)) != 0) {
		if (rc < 0) {
			if (err.line < 1 || err.column < 1 || !err.message[0])
				abort();
			if (err.fatal) {
				if (csv_next(r, &row, &err) != -1 || !err.fatal)
					abort();
				break;
			}
			continue;
		}
		if (row.line < last_line || row.nfields == 0)
			abort();
		last_line = row.line;
		for (size_t i = 0; i < row.nfields; i++)
			if (row.lens[i] > CSV_MAX_FIELD || strlen(row.fields[i]) != row.lens[i])
				abort();
	}
	csv_close(r);
}

/* Whether a column of the header row (name, or name_en for a
 * multilingual field) is a field of e.  An import into a kind the header
 * does not name stops at the header, and costs a write transaction: kinds
 * without one are left out, so that the fuzzer's time goes to the rows. */
ORACLE static int header_names(const entity *e, const csv_row *header)
{
	for (size_t i = 0; i < header->nfields; i++) {
		size_t n = header->lens[i];
		char name[64];
		if (n >= sizeof name)
			continue;
		memcpy(name, header->fields[i], n + 1);
		if (entity_field(e, name))
			return 1;
		if (n > 3 && name[n - 3] == '_') {
			name[n - 3] = '\0';
			if (entity_field(e, name))
				return 1;
		}
	}
	return 0;
}

static void import_as_each_kind(const char *data, size_t size)
{
	csv_reader *rd = csv_open(data, size);
	csv_row header;
	csv_error err;
	if (csv_next(rd, &header, &err) != 1) {
		csv_close(rd);
		return;
	}
	testdb *t = fuzzdb_get();
	for (size_t i = 0; i < t->reg.n; i++) {
		if (!header_names(&t->reg.v[i], &header))
			continue;
		model_ctx m;
		model_init(&m, t->st, &t->reg, &fuzz_admin);
		import_report rep;
		int rc = csvio_import(&m, &t->reg.v[i], data, size, &(import_opts){ IMPORT_DRY_RUN, NULL, NULL }, &rep);
		if (rc == 0 ? rep.nerrors != 0 : (rep.nerrors == 0 && m.status < 400))
			abort();
		for (size_t k = 0; k < rep.nerrors; k++)
			if (!rep.errors[k].reason)
				abort();
		model_done(&m);
	}
	csv_close(rd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_records((const char *)data, size);
	import_as_each_kind((const char *)data, size);
	return 0;
}
