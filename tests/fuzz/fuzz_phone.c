/*
 * fuzz_phone — telephone numbers as people type them (src/formats/phone.c),
 * in any country: the input is cut at its first NUL into what was typed
 * and the country it was typed in.  A number made E.164 is "+" and 6 to 15
 * digits, its extension digits only, and it is its own E.164 form: typed
 * again, with or without its extension, it gives the same number.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/phone.h"
#include "oracle.h"

ORACLE static void check_shape(const phone_number *n)
{
	size_t k = strlen(n->e164), e = strlen(n->ext);
	if (n->e164[0] != '+' || k < 6 || k > 16 || strspn(n->e164 + 1, "0123456789") != k - 1)
		abort();
	if (e > 8 || strspn(n->ext, "0123456789") != e)
		abort();
}

ORACLE static void check_code(const char *country)
{
	const char *cc = phone_calling_code(country);
	size_t k = cc ? strlen(cc) : 1;
	if (cc && (k < 1 || k > 3 || strspn(cc, "0123456789") != k))
		abort();
}

/* The result typed again, in no country: the same number and extension. */
ORACLE static void check_fixed_point(const phone_number *n)
{
	char again[48];
	phone_number m;
	snprintf(again, sizeof again, n->ext[0] ? "%s ext. %s" : "%s", n->e164, n->ext);
	if (phone_e164(again, NULL, &m) || strcmp(m.e164, n->e164) || strcmp(m.ext, n->ext))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *typed = malloc(size + 2);
	memcpy(typed, data, size);
	typed[size] = typed[size + 1] = '\0';
	const char *country = typed + strlen(typed) + 1;
	phone_number n;
	check_code(country);
	if (phone_e164(typed, *country ? country : NULL, &n) == 0) {
		check_shape(&n);
		check_fixed_point(&n);
	}
	free(typed);
	return 0;
}
