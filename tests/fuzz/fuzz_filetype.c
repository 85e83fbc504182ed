/*
 * fuzz_filetype — a received file checked by its content
 * (src/formats/filetype.c): the input's first byte chooses the types
 * accepted and the Content-Type the file is declared as, the rest is the
 * file.  A file taken is of a type accepted, the one extract_sniff finds,
 * with that type's media type, its own size and the SHA-256 of its bytes;
 * a file refused says why.  The rest, read as a name, is one a download
 * may repeat only when it holds no quote, slash or control character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/filetype.h"
#include "oracle.h"

static const char *const declared[] = {
	NULL, "application/octet-stream", "application/pdf", "application/vnd.oasis.opendocument.text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document; charset=x",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain", "",
};

ORACLE static void check_taken(const uint8_t *data, size_t size, unsigned accepted, const file_facts *f)
{
	char hex[65];
	filetype_sha256(data, size, hex);
	if (!(accepted & FILETYPE_SET(f->type)) || f->type != extract_sniff(data, size) || f->size != size ||
	    strcmp(f->media, filetype_media(f->type)) != 0 || strcmp(f->sha256, hex) != 0 || !f->extension[0])
		abort();
}

ORACLE static void check_name(const char *name, size_t n)
{
	if (!filetype_name_ok(name))
		return;
	if (n == 0 || n > 200 || strpbrk(name, "\"/\\\x7f"))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned accepted = (data[0] & 0x1e);   /* a set of the four types, DOC_UNKNOWN never */
	const char *ct = declared[(data[0] >> 5) & 7];
	file_facts f;
	char why[256] = "";
	if (filetype_check(data + 1, size - 1, ct, accepted, &f, why, sizeof why) == 0)
		check_taken(data + 1, size - 1, accepted, &f);
	else if (!why[0])
		abort();
	char *name = malloc(size);
	memcpy(name, data + 1, size - 1);
	name[size - 1] = '\0';
	check_name(name, strlen(name));
	free(name);
	return 0;
}
