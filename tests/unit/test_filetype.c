/*
 * test_filetype — a received file checked by its content: every type
 * against every set a taker may accept and every Content-Type it may be
 * sent with (none, a generic one, each type's own with and without
 * parameters, another), the outcome worked out here independently of the
 * code; the reasons said; the SHA-256 against the standard's vectors; the
 * names a download may repeat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/filetype.h"
#include "zipparts.h"

#define NKINDS 5   /* DOC_UNKNOWN and the four types */

static const char *const media[NKINDS] = {
	NULL, "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.oasis.opendocument.text", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/* A file of each kind, by its content. */
static void sample(doc_type t, buf *out)
{
	buf_reset(out);
	switch (t) {
	case DOC_PDF:
		buf_puts(out, "%PDF-1.7\n% an invented report\n");
		return;
	case DOC_DOCX: {
		const part p[] = { { "[Content_Types].xml", "<Types/>", 1 }, { "word/document.xml", "<w:document/>", 1 } };
		make_zip(p, 2, out);
		return;
	}
	case DOC_ODT: {
		const part p[] = { { "mimetype", "application/vnd.oasis.opendocument.text", 0 }, { "content.xml", "<x/>", 1 } };
		make_zip(p, 2, out);
		return;
	}
	case DOC_XLSX: {
		const part p[] = { { "[Content_Types].xml", "<Types/>", 1 }, { "xl/workbook.xml", "<workbook/>", 1 } };
		make_zip(p, 2, out);
		return;
	}
	default:
		buf_puts(out, "Plain words, no document.\n");
	}
}

/* What a Content-Type declares, worked out here: 0 nothing in particular, a type, or -1 another. */
static int declares(const char *ct)
{
	if (!ct || !*ct || !strncmp(ct, "application/octet-stream", 24))
		return 0;
	for (int k = 1; k < NKINDS; k++)
		if (!strncmp(ct, media[k], strlen(media[k])))
			return k;
	return -1;
}

static void test_every_type_set_and_declaration(void **state)
{
	(void)state;
	buf file = BUF_INIT;
	char with_params[160];
	int taken = 0, refused = 0;
	for (int k = 0; k < NKINDS; k++) {
		sample((doc_type)k, &file);
		for (unsigned set = 0; set < (1u << NKINDS); set += 2) {   /* never DOC_UNKNOWN itself */
			/* -3 none, -2 generic, -1 another; 1..4 a type's own, 6..9 the same with a parameter */
			for (int d = -3; d < 2 * NKINDS; d++) {
				if (d == 0 || d == NKINDS)
					continue;
				snprintf(with_params, sizeof with_params, "%s; charset=binary", media[d > NKINDS ? d - NKINDS : 1]);
				const char *ct = d == -3 ? NULL : d == -2 ? "application/octet-stream" : d == -1 ? "text/plain"
					       : d < NKINDS ? media[d] : with_params;
				int said = declares(ct);
				int want = k != DOC_UNKNOWN && (set & FILETYPE_SET(k)) && (said == 0 || said == k);
				file_facts f = { 0 };
				char why[256] = "";
				int rc = filetype_check((const unsigned char *)file.data, file.len, ct, set, &f, why, sizeof why);
				assert_int_equal(rc, want ? 0 : -1);
				if (!want) {
					assert_true(strlen(why) > 20);
					refused++;
					continue;
				}
				taken++;
				assert_int_equal(f.type, k);
				assert_string_equal(f.media, media[k]);
				assert_string_equal(f.media, filetype_media((doc_type)k));
				assert_int_equal(f.size, file.len);
				assert_int_equal(strlen(f.sha256), 64);
			}
		}
	}
	assert_true(taken > 50 && refused > 50);
	buf_free(&file);
}

static void test_reasons(void **state)
{
	(void)state;
	buf file = BUF_INIT;
	char why[256];
	file_facts f;
	unsigned documents = FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_DOCX) | FILETYPE_SET(DOC_ODT);
	sample(DOC_XLSX, &file);
	assert_int_equal(filetype_check((const unsigned char *)file.data, file.len, NULL, documents, &f, why, sizeof why), -1);
	assert_string_equal(why, "the file is not a PDF, DOCX or ODT document");
	assert_int_equal(filetype_check((const unsigned char *)file.data, file.len, media[DOC_PDF],
					documents | FILETYPE_SET(DOC_XLSX), &f, why, sizeof why), -1);
	assert_string_equal(why, "the file is an XLSX, not the PDF its Content-Type declares (application/pdf)");
	sample(DOC_PDF, &file);
	assert_int_equal(filetype_check((const unsigned char *)file.data, file.len, "text/plain", documents, &f, why, sizeof why), -1);
	assert_string_equal(why, "the file is a PDF, not the type its Content-Type declares (text/plain)");
	assert_int_equal(filetype_check((const unsigned char *)file.data, file.len, "APPLICATION/PDF", documents, &f, why, sizeof why), 0);
	assert_string_equal(f.extension, "pdf");
	assert_int_equal(filetype_check((const unsigned char *)file.data, file.len, "application/pdfx", documents, &f, why, sizeof why), -1);
	assert_int_equal(filetype_check(NULL, 0, NULL, documents, &f, why, sizeof why), -1);
	char names[64];
	filetype_names(FILETYPE_SET(DOC_XLSX), names, sizeof names);
	assert_string_equal(names, "XLSX");
	filetype_names(FILETYPE_SET(DOC_PDF) | FILETYPE_SET(DOC_XLSX), names, sizeof names);
	assert_string_equal(names, "PDF or XLSX");
	filetype_names(0, names, sizeof names);
	assert_string_equal(names, "no");
	assert_string_equal(filetype_media(DOC_UNKNOWN), "application/octet-stream");
	buf_free(&file);
}

/* FIPS 180-2's examples. */
static void test_sha256(void **state)
{
	(void)state;
	char hex[65];
	filetype_sha256((const unsigned char *)"abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	filetype_sha256((const unsigned char *)"", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	filetype_sha256((const unsigned char *)two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_names(void **state)
{
	(void)state;
	const char *ok[] = { "interim-2026.pdf", "Rapport intérimaire 2026.docx", "a", "x (1).xlsx" };
	const char *bad[] = { NULL, "", "a\"b.pdf", "../report.pdf", "C:\\report.pdf", "two\nlines.pdf", "tab\there",
			      "del\x7f.pdf" };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		assert_true(filetype_name_ok(ok[i]));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(filetype_name_ok(bad[i]));
	char longest[202];
	memset(longest, 'n', 200);
	longest[200] = '\0';
	assert_true(filetype_name_ok(longest));
	longest[200] = 'n';
	longest[201] = '\0';
	assert_false(filetype_name_ok(longest));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_set_and_declaration),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("filetype", tests, NULL, NULL);
}
