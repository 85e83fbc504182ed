/*
 * fuzz_extract — documents' text (src/formats/extract.c): the input is a
 * file as it arrives, sniffed, then read as the type found (and, for a
 * ZIP package, as the other package type too, so that a DOCX's part is
 * looked for in an ODT and the other way round).  Whatever it holds, the
 * text is well-formed UTF-8 within its cap, its paragraphs one per line,
 * none empty, none starting or ending with white space, no control
 * character but the tab; a refusal says why and leaves the buffer as it
 * was.  A mutated package rarely passes its CRC, so an input that is no
 * document is also taken as the XML of one: packed here, as a DOCX's
 * word/document.xml and an ODT's content.xml, so that mutations of the XML
 * reach the walker.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "formats/extract.h"
#include "oracle.h"
#include "utf8ok.h"

/* Small caps, so that an input spends its time in the readers, not in copying. */
static const extract_limits limits = { .max_text = 64 << 10, .max_unzipped = 256 << 10, .max_pages = 4 };

ORACLE static void check_text(const char *t, size_t n)
{
	if (n > limits.max_text || strlen(t) != n || !utf8_ok(t, n))
		abort();
	size_t line = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)t[i] : '\n';
		if (c < 0x20 && c != '\t' && c != '\n')
			abort();
		if (c == ' ' && i > 0 && t[i - 1] == ' ')
			abort();
		if (c != '\n')
			continue;
		if (n > 0 && (i == line || t[line] == ' ' || t[line] == '\t' || t[i - 1] == ' ' || t[i - 1] == '\t'))
			abort();   /* an empty paragraph, or white space at an end */
		line = i + 1;
	}
}

static void read_as(const uint8_t *data, size_t size, doc_type type)
{
	buf out = BUF_INIT;
	buf_puts(&out, "kept");
	char err[256] = "";
	size_t words = 0;
	if (extract_text(data, size, type, &limits, &out, &words, err, sizeof err) == 0) {
		check_text(out.data + 4, out.len - 4);
		if (words != extract_count_words(out.data + 4, out.len - 4) || words > out.len)
			abort();
	} else if (!err[0] || out.len != 4 || strcmp(out.data, "kept") != 0) {
		abort();
	}
	buf_free(&out);
}

/* A stored package holding data as the part of both formats; 0 or -1. */
static int pack(const uint8_t *data, size_t size, buf *out)
{
	static const char mimetype[] = "application/vnd.oasis.opendocument.text";
	static const char *const parts[] = { "word/document.xml", "content.xml" };
	zip_error_t e;
	zip_error_init(&e);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &e);
	zip_source_keep(mem);
	zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &e);
	zip_source_t *s = zip_source_buffer(za, mimetype, sizeof mimetype - 1, 0);
	zip_set_file_compression(za, (zip_uint64_t)zip_file_add(za, "mimetype", s, 0), ZIP_CM_STORE, 0);
	for (size_t i = 0; i < 2; i++) {
		s = zip_source_buffer(za, data, size, 0);
		zip_set_file_compression(za, (zip_uint64_t)zip_file_add(za, parts[i], s, 0), ZIP_CM_STORE, 0);
	}
	int rc = zip_close(za) == 0 && zip_source_open(mem) == 0 ? 0 : -1;
	char chunk[4096];
	zip_int64_t got;
	while (rc == 0 && (got = zip_source_read(mem, chunk, sizeof chunk)) > 0)
		buf_add(out, chunk, (size_t)got);
	zip_source_close(mem);
	zip_source_free(mem);
	zip_error_fini(&e);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	doc_type type = extract_sniff(data, size);
	if (type == DOC_UNKNOWN) {
		read_as(data, size, DOC_UNKNOWN);
		buf package = BUF_INIT;
		if (pack(data, size, &package) == 0 && extract_sniff((const uint8_t *)package.data, package.len) == DOC_ODT) {
			read_as((const uint8_t *)package.data, package.len, DOC_ODT);
			read_as((const uint8_t *)package.data, package.len, DOC_DOCX);
		} else {
			abort();   /* a package made here is one */
		}
		buf_free(&package);
		return 0;
	}
	read_as(data, size, type);
	if (type == DOC_DOCX)
		read_as(data, size, DOC_ODT);
	else if (type == DOC_ODT)
		read_as(data, size, DOC_DOCX);
	return 0;
}
