/*
 * mo — GNU gettext's compiled catalogs (.mo), read without gettext: the
 * interface's own catalogs embedded in the binary, and iso-codes' names of
 * countries and currencies in French and Spanish.
 *
 * The reader trusts nothing in the catalog: every offset and length is
 * checked against its size once, when it is parsed, so that look-ups
 * afterwards only touch memory known to be inside the buffer.  The
 * originals are sorted again after reading because a damaged or hand-made
 * file may not be, and a binary search over unsorted data would silently
 * miss entries.
 */
#include "formats/mo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/errmsg.h"
#include "core/file.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER_SIZE 28   /* magic, revision, N, O, T, hash size, hash offset */
#define MO_MAX_FILE ((size_t)64 << 20)   /* far above any catalog (iso-codes' largest is about 2 MB) */

typedef struct mo_entry {
	const char *id, *str;   /* both point into mo_catalog.data */
} mo_entry;

struct mo_catalog {
	char *data;             /* the file, kept so entries can point into it */
	mo_entry *v;            /* usable entries, sorted by id */
	size_t n;
};

typedef struct mo_file {
	const unsigned char *p;
	size_t size;
	int big_endian;
} mo_file;

static uint32_t mo_u32(const mo_file *f, size_t at)
{
	const unsigned char *b = f->p + at;
	if (f->big_endian)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/*
 * The string described by the (length, offset) pair at descriptor offset
 * `at`.  The format stores a NUL after each string; requiring it lets the
 * strings be used as C strings in place.
 */
static const char *mo_string(const mo_file *f, size_t at)
{
	uint64_t len = mo_u32(f, at);
	uint64_t off = mo_u32(f, at + 4);
	if (off + len >= f->size || f->p[off + len] != '\0')
		return NULL;
	return (const char *)f->p + off;
}

static int mo_table_fits(const mo_file *f, uint32_t off, uint32_t n)
{
	return (uint64_t)off + (uint64_t)n * 8 <= f->size;
}

/*
 * The catalog header names its charset.  Liaison stores UTF-8 only and
 * does not convert, so anything else is refused rather than stored garbled.
 */
static int mo_charset_ok(const char *header)
{
	static const char *const ok[] = { "UTF-8", "UTF8", "ASCII", "US-ASCII" };
	const char *cs = strcasestr(header, "charset=");
	if (!cs)
		return 1;   /* no declaration: gettext tools write UTF-8 */
	cs += strlen("charset=");
	size_t len = strcspn(cs, " \t\r\n;");
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (len == strlen(ok[i]) && strncasecmp(cs, ok[i], len) == 0)
			return 1;
	return 0;
}

/* The parser's messages carry no file name: mo_open adds the path, and a
 * catalog read from memory has none. */
static int mo_header(mo_file *f, char *err, size_t errlen)
{
	if (f->size < MO_HEADER_SIZE)
		return errmsg(err, errlen, "truncated header");
	f->big_endian = 0;
	if (mo_u32(f, 0) != MO_MAGIC) {
		f->big_endian = 1;
		if (mo_u32(f, 0) != MO_MAGIC)
			return errmsg(err, errlen, "bad magic number, not a .mo file");
	}
	/* Minor revisions only add optional tables; a new major one may not. */
	uint32_t rev = mo_u32(f, 4);
	if (rev >> 16 > 1)
		return errmsg(err, errlen, "unsupported revision %u.%u",
		               (unsigned)(rev >> 16), (unsigned)(rev & 0xffff));
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const mo_entry *)a)->id, ((const mo_entry *)b)->id);
}

/*
 * Fill cat->v with the entries worth looking up.  Skipped: the header
 * (empty msgid) and empty translations.  An entry with a context is kept
 * under its whole msgid, "ctxt\x04id", which only a look-up naming the
 * context matches: a plain "id" never does.
 */
static int mo_entries(const mo_file *f, mo_catalog *cat, char *err, size_t errlen)
{
	uint32_t n = mo_u32(f, 8), orig = mo_u32(f, 12), trans = mo_u32(f, 16);
	if (!mo_table_fits(f, orig, n) || !mo_table_fits(f, trans, n))
		return errmsg(err, errlen, "string table out of range");
	/* n * 8 <= size now, so this allocation is bounded by the file. */
	cat->v = malloc(((size_t)n + 1) * sizeof *cat->v);
	if (!cat->v)
		return errmsg(err, errlen, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		const char *id = mo_string(f, (size_t)orig + (size_t)i * 8);
		const char *str = mo_string(f, (size_t)trans + (size_t)i * 8);
		if (!id || !str)
			return errmsg(err, errlen, "string %u out of range", (unsigned)i);
		if (*id == '\0' && !mo_charset_ok(str))
			return errmsg(err, errlen, "charset is not UTF-8");
		if (*id == '\0' || *str == '\0')
			continue;
		cat->v[cat->n++] = (mo_entry){ id, str };
	}
	qsort(cat->v, cat->n, sizeof *cat->v, entry_cmp);
	return 0;
}

/*
 * The one parser behind mo_parse and mo_open.  It takes ownership of data
 * (malloc'd, len bytes plus a NUL) whatever happens, so that a file read
 * by mo_open is not copied a second time.
 */
static int mo_parse_owned(char *data, size_t len, mo_catalog **out, char *err, size_t errlen)
{
	mo_file f = { (const unsigned char *)data, len, 0 };
	mo_catalog *cat = calloc(1, sizeof *cat);
	if (!cat) {
		free(data);
		return errmsg(err, errlen, "out of memory");
	}
	cat->data = data;
	if (mo_header(&f, err, errlen) < 0 || mo_entries(&f, cat, err, errlen) < 0) {
		mo_close(cat);
		return -1;
	}
	*out = cat;
	return 0;
}

int mo_parse(const void *data, size_t len, mo_catalog **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!data && len)
		return errmsg(err, errlen, "no data");
	/* The catalog keeps its own copy: entries point into it, and the
	 * caller's bytes need not outlive the catalog. */
	char *copy = malloc(len + 1);
	if (!copy)
		return errmsg(err, errlen, "out of memory");
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return mo_parse_owned(copy, len, out, err, errlen);
}

int mo_open(const char *path, mo_catalog **out, char *err, size_t errlen)
{
	char *data = NULL, reason[256];
	size_t len = 0;
	*out = NULL;
	if (file_read(path, MO_MAX_FILE, &data, &len, err, errlen) < 0)
		return -1;
	if (mo_parse_owned(data, len, out, reason, sizeof reason) < 0)
		return errmsg(err, errlen, "%s: %s", path, reason);
	return 0;
}

const char *mo_lookup(const mo_catalog *cat, const char *msgid)
{
	if (!cat || !msgid)
		return NULL;
	mo_entry key = { msgid, NULL };
	const mo_entry *e = bsearch(&key, cat->v, cat->n, sizeof *cat->v, entry_cmp);
	return e ? e->str : NULL;
}

void mo_close(mo_catalog *cat)
{
	if (!cat)
		return;
	free(cat->v);
	free(cat->data);
	free(cat);
}

