/*
 * fuzz_address — e-mail addresses as people type them into a field or as a
 * message names them (src/formats/address.c, libidn2 under it): the input,
 * to its first NUL, is the address.  A refusal says why in one of the
 * catalogs' messages and leaves no wire form; an accepted address has a
 * wire form of at most 254 octets, one @, the local part as typed and an
 * ASCII host name, which is itself accepted and unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/address.h"
#include "oracle.h"

#define REFUSAL "is not an e-mail address:"

ORACLE static void check_wire(const char *typed, const char *wire)
{
	const char *at = strchr(wire, '@'), *typed_at = strchr(typed, '@');
	size_t n = strlen(wire);
	if (!at || !typed_at || n > MAIL_ADDRESS_MAX || strchr(at + 1, '@'))
		abort();
	size_t local = (size_t)(at - wire);
	if (local != (size_t)(typed_at - typed) || memcmp(wire, typed, local) != 0)
		abort();   /* the local part goes out as it was written */
	for (const char *p = at + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '.'))
			abort();   /* the domain goes out as an ASCII host name */
	int beyond_ascii = 0;
	for (size_t i = 0; i < local; i++)
		beyond_ascii |= (unsigned char)wire[i] >= 0x80;
	if (mail_address_utf8(wire) != beyond_ascii)
		abort();
}

ORACLE static void check_fixed_point(const char *wire)
{
	char again[MAIL_ADDRESS_MAX + 1];
	if (mail_address(wire, again) || strcmp(again, wire) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *typed = malloc(size + 1);
	memcpy(typed, data, size);
	typed[size] = '\0';
	char wire[MAIL_ADDRESS_MAX + 1];
	const char *why = mail_address(typed, wire);
	if (why) {
		if (strncmp(why, REFUSAL, strlen(REFUSAL)) != 0 || wire[0])
			abort();
	} else {
		check_wire(typed, wire);
		check_fixed_point(wire);
	}
	free(typed);
	return 0;
}
