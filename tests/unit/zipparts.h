/*
 * zipparts — ZIP packages made in memory for the tests that read them
 * (DOCX, ODT, XLSX are ZIP packages of named parts): each part's text,
 * stored or deflated.  Include after cmocka.h; link libzip.
 */
#ifndef LIAISON_TEST_ZIPPARTS_H
#define LIAISON_TEST_ZIPPARTS_H

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"

typedef struct part {
	const char *name;
	const char *text;
	int deflate;
} part;

/* A ZIP archive of the parts, made in memory. */
static inline void make_zip(const part *parts, size_t n, buf *out)
{
	zip_error_t e;
	zip_error_init(&e);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &e);
	assert_non_null(mem);
	zip_source_keep(mem);
	zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &e);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i].text, strlen(parts[i].text), 0);
		zip_int64_t at = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(at >= 0);
		zip_set_file_compression(za, (zip_uint64_t)at, parts[i].deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_stat(mem, &st), 0);
	assert_int_equal(zip_source_open(mem), 0);
	char *bytes = malloc(st.size);
	assert_int_equal(zip_source_read(mem, bytes, st.size), (zip_int64_t)st.size);
	zip_source_close(mem);
	zip_source_free(mem);
	buf_reset(out);
	buf_add(out, bytes, st.size);
	free(bytes);
	zip_error_fini(&e);
}

#endif
