/*
 * fuzz_contentline — vCard and iCalendar content lines
 * (src/formats/contentline.c) and the writers built on them (vcard.c,
 * ical.c), given record text that may hold anything: the input is cut at
 * NUL bytes into the values of a person and of an event.  Whatever the
 * values, the output must be lines of well-formed UTF-8 ending in CRLF,
 * none longer than 75 octets, with no other control character than the
 * TAB, and folding must never split a character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/contentline.h"
#include "formats/ical.h"
#include "formats/vcard.h"
#include "oracle.h"
#include "utf8ok.h"

#define NVALUES 24

ORACLE static void check_lines(const buf *b)
{
	const char *p = b->data ? b->data : "", *end = p + b->len;
	while (p < end) {
		const char *crlf = p;   /* not memmem: libFuzzer would take its argument for a word of the input */
		while (crlf + 1 < end && !(crlf[0] == '\r' && crlf[1] == '\n'))
			crlf++;
		if (crlf + 1 >= end)
			abort();   /* every line ends with CRLF */
		size_t n = (size_t)(crlf - p);
		if (n > 75 || !utf8_ok(p, n))
			abort();
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				abort();
		}
		p = crlf + 2;
	}
}

ORACLE static int64_t number(const char *s)
{
	int64_t v = 0;
	memcpy(&v, s, strnlen(s, sizeof v));
	return v;
}

static void person(char *const *v)
{
	const char *const emails[] = { v[8], v[9] }, *const phones[] = { v[10], v[11] },
			  *const langs[] = { v[12], v[13] }, *const categories[] = { v[20], v[21] };
	vcard_person p = { .uid = v[0], .honorific = v[1], .given = v[2], .family = v[3], .position = v[4],
			   .organization = v[5], .organization_lang = v[12], .note = v[6], .rev = v[7],
			   .address = { v[15], v[16], v[17], v[18], v[19] },
			   .emails = emails, .nemails = 2, .phones = phones, .nphones = 2, .phone_country = v[22],
			   .categories = categories, .ncategories = 2, .languages = langs, .nlanguages = 2,
			   .preferred_language = v[14] };
	buf b = BUF_INIT;
	vcard_write(&b, &p);
	check_lines(&b);
	buf_free(&b);
}

static void event(char *const *v)
{
	const ical_person attendees[] = { { v[20], v[21] }, { v[22], v[23] } };
	ical_event ev = { v[15], number(v[16]), number(v[17]), number(v[18]), number(v[19]), v[0], v[6], v[5],
			  { v[2], v[8] }, attendees, 2, v[1][0] & 1 };
	buf b = BUF_INIT;
	ical_write(&ev, &b);
	check_lines(&b);
	buf_free(&b);
}

static void lines(char *const *v)
{
	static const cl_mode modes[] = { CL_RAW, CL_TEXT, CL_VTEXT, CL_PARAM };
	buf b = BUF_INIT;
	for (size_t i = 0; i < 4; i++) {
		cl_line l = cl_begin(&b, v[0]);
		cl_piece(&l, ";X=", 3);
		cl_put(&l, v[1], modes[(i + 1) % 4]);
		cl_piece(&l, ":", 1);
		cl_put(&l, v[2], modes[i]);
		cl_end(&l);
		cl_text_prop(&b, "NOTE", v[3 + i]);
	}
	check_lines(&b);
	buf_free(&b);
}

/* The values: the input cut at its NULs, in a copy the caller frees; those
 * it lacks are empty. */
ORACLE static char *cut(const uint8_t *data, size_t size, char **v)
{
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *p = copy, *end = copy + size;
	for (size_t i = 0; i < NVALUES; i++) {
		v[i] = p;
		if (p < end)
			p += strlen(p) + 1;
		if (p > end)
			p = end;
	}
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v[NVALUES];
	char *copy = cut(data, size, v);
	person(v);
	event(v);
	lines(v);
	free(copy);
	return 0;
}
