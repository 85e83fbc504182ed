/*
 * fuzz_namematch — names as anyone may type them (src/core/namematch.c): the
 * input is cut at its first NUL into two names.  Each name's telling form
 * holds sorted words, each once; written as a line and read back it is the
 * same form; a name is wholly like itself (when it has words) and two names
 * are as like each other both ways, between 0 and 1; every key is text of
 * its kind.  A line of stored facts that is not a form's (any bytes) is read
 * without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/namematch.h"
#include "oracle.h"

ORACLE static void check_form(const name_form *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->w[i][0] || (i && strcmp(f->w[i - 1], f->w[i]) >= 0))
			abort();
}

ORACLE static void check_key(void *ctx, const char *key, int is_prefix)
{
	(void)ctx;
	if (strlen(key) < 3 || key[1] != ':' || !strchr("wp", key[0]) || (is_prefix && key[0] != 'p'))
		abort();
}

ORACLE static void check_read_back(const name_form *f)
{
	buf line = BUF_INIT, again = BUF_INIT;
	name_form back;
	name_form_write(f, &line);
	name_form_read(&back, line.data ? line.data : "", line.len);
	name_form_write(&back, &again);
	if (back.n != f->n || strcmp(buf_str(&line), buf_str(&again)) != 0)
		abort();
	name_form_free(&back);
	buf_free(&line);
	buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data, *nul = memchr(data, '\0', size);
	size_t an = nul ? (size_t)(nul - a) : size;
	const char *b = nul ? nul + 1 : "";
	size_t bn = nul ? size - an - 1 : 0;
	name_form x, y, stored;
	name_form_of(&x, a, an, NAME_BODY);
	name_form_of(&y, b, bn, size % 2 ? NAME_PERSON : NAME_BODY);
	name_form_read(&stored, a, an);   /* what a damaged table would hold */
	check_form(&x);
	check_form(&y);
	check_form(&stored);
	check_read_back(&x);
	check_read_back(&y);
	name_likeness xy = name_compare(&x, &y), yx = name_compare(&y, &x), self = name_compare(&x, &x);
	if (xy.score < 0 || xy.score > 1 || xy.score - yx.score > 1e-9 || yx.score - xy.score > 1e-9)
		abort();
	if (x.n && self.score != 1.0)
		abort();
	name_probes(&x, check_key, NULL);
	name_keys(&y, check_key, NULL);
	name_compare(&stored, &y);
	name_form_free(&x);
	name_form_free(&y);
	name_form_free(&stored);
	return 0;
}
