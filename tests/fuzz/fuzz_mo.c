/*
 * fuzz_mo — every reader of untrusted bytes behind the interface's
 * languages: the .mo catalog reader (src/formats/isocodes.c, used for the
 * iso-codes catalogs and the interface's own), and in src/web/i18n.c the
 * Accept-Language negotiation (a request header) and the dates stored
 * records hand to the formatters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/mo.h"
#include "model/i18n.h"

static void catalog(const uint8_t *data, size_t size)
{
	mo_catalog *cat;
	char err[200];
	if (mo_parse(data, size, &cat, err, sizeof err) < 0) {
		if (!err[0])
			abort();
		return;
	}
	/* Look up strings the file itself holds, whatever they are. */
	mo_lookup(cat, "");
	mo_lookup(cat, "Organizations");
	if (size > 28) {
		char key[16];
		memcpy(key, data + size - 16, 15);
		key[15] = '\0';
		mo_lookup(cat, key);
	}
	mo_close(cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	catalog(data, size);
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	int lang = i18n_negotiate(s);
	if (lang < 0 || lang > 2)
		abort();
	buf out = BUF_INIT;
	i18n_date(lang, s, &out);
	i18n_datetime(lang, s, &out);
	buf_free(&out);
	free(s);
	return 0;
}
