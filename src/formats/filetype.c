/*
 * filetype — a received file's type by its content, its media type and its
 * SHA-256; see filetype.h.
 *
 * The one table below says, for each type Liaison takes, the media type a
 * Content-Type names it by and the extension a download gives it: the check
 * of what was declared and the answer that gives the file back read the
 * same row, so that a file goes out as the type it came in as.
 */
#include "formats/filetype.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/errmsg.h"

static const struct {
	doc_type type;
	const char *media, *extension;
	const char *article;   /* as the type's name is said: "an XLSX" */
} types[] = {
	{ DOC_PDF, "application/pdf", "pdf", "a" },
	{ DOC_DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "a" },
	{ DOC_ODT, "application/vnd.oasis.opendocument.text", "odt", "an" },
	{ DOC_XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "an" },
};
#define NTYPES (sizeof types / sizeof *types)

const char *filetype_media(doc_type type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return types[i].media;
	return "application/octet-stream";
}

static const char *extension_of(doc_type type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return types[i].extension;
	return "bin";
}

static const char *article_of(doc_type type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return types[i].article;
	return "a";
}

/* Whether the Content-Type ct names media, parameters (";charset=...") aside; the case does not count. */
static int names(const char *ct, const char *media)
{
	size_t n = strlen(media);
	return strncasecmp(ct, media, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* What a Content-Type declares: one of the types, DOC_UNKNOWN for nothing in particular, -1 for another. */
static int declared(const char *content_type)
{
	if (!content_type || !*content_type || names(content_type, "application/octet-stream"))
		return DOC_UNKNOWN;
	for (size_t i = 0; i < NTYPES; i++)
		if (names(content_type, types[i].media))
			return (int)types[i].type;
	return -1;
}

void filetype_names(unsigned set, char *out, size_t size)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < NTYPES; i++)
		n += (set & FILETYPE_SET(types[i].type)) != 0;
	buf b = BUF_INIT;
	for (size_t i = 0; i < NTYPES; i++) {
		if (!(set & FILETYPE_SET(types[i].type)))
			continue;
		if (k++)
			buf_puts(&b, k == n ? " or " : ", ");
		buf_puts(&b, extract_type_name(types[i].type));
	}
	snprintf(out, size, "%s", n ? buf_str(&b) : "no");
	buf_free(&b);
}

void filetype_sha256(const unsigned char *data, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data ? data : (const unsigned char *)"", data ? len : 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

int filetype_check(const unsigned char *data, size_t len, const char *content_type, unsigned accepted,
		   file_facts *out, char *why, size_t whylen)
{
	char wanted[64];
	filetype_names(accepted, wanted, sizeof wanted);
	doc_type type = extract_sniff(data, len);
	if (type == DOC_UNKNOWN || !(accepted & FILETYPE_SET(type)))
		return errmsg(why, whylen, "the file is not a %s document", wanted);
	int said = declared(content_type);
	if (said < 0 || (said != DOC_UNKNOWN && said != (int)type))
		return errmsg(why, whylen, "the file is %s %s, not the %s its Content-Type declares (%s)", article_of(type),
			      extract_type_name(type), said < 0 ? "type" : extract_type_name((doc_type)said), content_type);
	*out = (file_facts){ .type = type, .media = filetype_media(type), .extension = extension_of(type), .size = len };
	filetype_sha256(data, len, out->sha256);
	return 0;
}

int filetype_name_ok(const char *name)
{
	if (!name || !*name || strlen(name) > 200)
		return 0;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '"' || *s == '/' || *s == '\\')
			return 0;
	return 1;
}
