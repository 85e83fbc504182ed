/*
 * fuzz_extract — documents' text (src/formats/extract.c): the input is a
 * file as it arrives, sniffed, then read as the type found (and, for a
 * ZIP package, as the other package type too, so that a DOCX's part is
 * looked for in an ODT and the other way round).  Whatever it holds, the
 * text is well-formed UTF-8 within its cap, its paragraphs one per line,
 * none empty, none starting or ending with white space, no control
 * character but the tab; a refusal says why and leaves the buffer as it
 * was.  The seeds' packages are stored, not deflated, so that mutations
 * reach the XML.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	doc_type type = extract_sniff(data, size);
	if (type == DOC_UNKNOWN) {
		read_as(data, size, DOC_UNKNOWN);
		return 0;
	}
	read_as(data, size, type);
	if (type == DOC_DOCX)
		read_as(data, size, DOC_ODT);
	else if (type == DOC_ODT)
		read_as(data, size, DOC_DOCX);
	return 0;
}
