/*
 * isocodes — load ISO 3166-1 countries and ISO 4217 currencies from Debian's
 * iso-codes package, with French and Spanish names from its .mo catalogs.
 *
 * The .mo reader trusts nothing in the catalog: every offset and length is
 * checked against its size once, when it is parsed, so that look-ups
 * afterwards only touch memory known to be inside the buffer.  The
 * originals are sorted again after reading because a damaged or hand-made
 * file may not be, and a binary search over unsorted data would silently
 * miss entries.
 */
#include "core/errmsg.h"
#include "isocodes.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Far above any iso-codes file (the largest is about 2 MB); stops a wrong
 * path such as a disk image from being swallowed whole. */
#define MAX_FILE_SIZE ((size_t)64 << 20)

#define MO_MAGIC 0x950412deu
#define MO_HEADER_SIZE 28   /* magic, revision, N, O, T, hash size, hash offset */

/* ---- files ------------------------------------------------------------ */

static int read_all(int fd, char *dst, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, dst + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* The whole file, NUL-terminated (for the JSON parser's sake). */
static int slurp(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errmsg(err, errlen, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		errmsg(err, errlen, "cannot stat %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errmsg(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if ((uintmax_t)st.st_size > MAX_FILE_SIZE) {
		errmsg(err, errlen, "%s: file too large", path);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		errmsg(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (read_all(fd, buf, (size_t)st.st_size) < 0) {
		errmsg(err, errlen, "cannot read %s", path);
		goto fail;
	}
	buf[st.st_size] = '\0';
	close(fd);
	*data = buf;
	*len = (size_t)st.st_size;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

/* ---- .mo catalogs ----------------------------------------------------- */

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
 * (empty msgid), entries with a context (msgid "ctxt\x04id"), which a plain
 * msgid look-up must not match, and empty translations.
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
		if (*id == '\0' || *str == '\0' || strchr(id, '\x04'))
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
	if (slurp(path, &data, &len, err, errlen) < 0)
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

/* ---- one iso-codes standard: its JSON list and its two catalogs ------- */

typedef struct source {
	json_t *root;
	json_t *items;          /* the array inside root */
	mo_catalog *fr, *es;
	char path[PATH_MAX];    /* the JSON file, for messages */
} source;

static void source_close(source *s)
{
	json_decref(s->root);
	mo_close(s->fr);
	mo_close(s->es);
	*s = (source){ 0 };
}

static int open_catalog(const char *dir, const char *lang, const char *base,
                        mo_catalog **out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/locale/%s/LC_MESSAGES/%s.mo", dir, lang, base);
	if (n < 0 || (size_t)n >= sizeof path)
		return errmsg(err, errlen, "%s: path too long", dir);
	return mo_open(path, out, err, errlen);
}

static int load_json(source *s, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	json_error_t je;
	if (slurp(s->path, &text, &len, err, errlen) < 0)
		return -1;
	s->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!s->root)
		return errmsg(err, errlen, "%s: line %d: %s", s->path, je.line, je.text);
	return 0;
}

/* base is the file name ("iso_3166-1"), key the array inside it ("3166-1"). */
static int source_open(source *s, const char *dir, const char *base, const char *key,
                       char *err, size_t errlen)
{
	*s = (source){ 0 };
	if (!dir)
		dir = ISOCODES_DEFAULT_DIR;
	int n = snprintf(s->path, sizeof s->path, "%s/iso-codes/json/%s.json", dir, base);
	if (n < 0 || (size_t)n >= sizeof s->path)
		return errmsg(err, errlen, "%s: path too long", dir);
	if (load_json(s, err, errlen) < 0)
		goto fail;
	s->items = json_object_get(s->root, key);
	if (!json_is_array(s->items) || json_array_size(s->items) == 0) {
		errmsg(err, errlen, "%s: no \"%s\" list of entries", s->path, key);
		goto fail;
	}
	if (open_catalog(dir, "fr", base, &s->fr, err, errlen) < 0 ||
	    open_catalog(dir, "es", base, &s->es, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	source_close(s);
	return -1;
}

/* ---- entry fields ------------------------------------------------------ */

/* A code of exactly `width` characters, upper-case letters or digits. */
static int get_code(json_t *obj, const char *key, int digits, char *dst, size_t width)
{
	const char *s = json_string_value(json_object_get(obj, key));
	if (!s || strlen(s) != width)
		return -1;
	for (size_t i = 0; i < width; i++) {
		int ok = digits ? (s[i] >= '0' && s[i] <= '9') : (s[i] >= 'A' && s[i] <= 'Z');
		if (!ok)
			return -1;
	}
	memcpy(dst, s, width + 1);
	return 0;
}

static char *translate(const mo_catalog *cat, const char *en)
{
	const char *t = mo_lookup(cat, en);
	return strdup(t ? t : en);
}

/* The English "name" and its translations; the caller frees on failure. */
static int get_names(const source *s, json_t *obj, char **en, char **fr, char **es)
{
	const char *name = json_string_value(json_object_get(obj, "name"));
	if (!name || !*name)
		return -1;
	*en = strdup(name);
	*fr = translate(s->fr, name);
	*es = translate(s->es, name);
	return *en && *fr && *es ? 0 : -1;
}

static int bad_entry(const source *s, size_t i, const char *what, char *err, size_t errlen)
{
	return errmsg(err, errlen, "%s: entry %zu: missing or invalid %s", s->path, i, what);
}

/* ---- countries --------------------------------------------------------- */

static int read_country(const source *s, size_t i, iso_country *c, char *err, size_t errlen)
{
	json_t *obj = json_array_get(s->items, i);
	if (get_code(obj, "alpha_2", 0, c->iso2, 2) < 0)
		return bad_entry(s, i, "alpha_2", err, errlen);
	if (get_code(obj, "alpha_3", 0, c->iso3, 3) < 0)
		return bad_entry(s, i, "alpha_3", err, errlen);
	if (get_code(obj, "numeric", 1, c->numeric, 3) < 0)
		return bad_entry(s, i, "numeric", err, errlen);
	if (get_names(s, obj, &c->name_en, &c->name_fr, &c->name_es) < 0)
		return bad_entry(s, i, "name (or out of memory)", err, errlen);
	return 0;
}

int isocodes_load_countries(const char *dir, iso_countries *out, char *err, size_t errlen)
{
	source s;
	*out = (iso_countries){ 0 };
	if (source_open(&s, dir, "iso_3166-1", "3166-1", err, errlen) < 0)
		return -1;
	size_t n = json_array_size(s.items);
	out->v = calloc(n, sizeof *out->v);
	if (!out->v) {
		errmsg(err, errlen, "%s: out of memory", s.path);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		out->n = i + 1;   /* so a half-filled entry is freed too */
		if (read_country(&s, i, &out->v[i], err, errlen) < 0)
			goto fail;
	}
	source_close(&s);
	return 0;
fail:
	iso_countries_free(out);
	source_close(&s);
	return -1;
}

void iso_countries_free(iso_countries *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name_en);
		free(c->v[i].name_fr);
		free(c->v[i].name_es);
	}
	free(c->v);
	*c = (iso_countries){ 0 };
}

/* ---- currencies -------------------------------------------------------- */

/* ISO 4217 decimals other than 2, as published by the maintenance agency. */
static const struct {
	char code[4];
	int units;
} minor_exceptions[] = {
	{ "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 },
	{ "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 },
	{ "UGX", 0 }, { "UYI", 0 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 },
	{ "XOF", 0 }, { "XPF", 0 },
	{ "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 },
	{ "OMR", 3 }, { "TND", 3 },
	{ "CLF", 4 }, { "UYW", 4 },
};

int isocodes_minor_units(const char *code)
{
	size_t n = sizeof minor_exceptions / sizeof minor_exceptions[0];
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, minor_exceptions[i].code) == 0)
			return minor_exceptions[i].units;
	return 2;
}

static int read_currency(const source *s, size_t i, iso_currency *c, char *err, size_t errlen)
{
	json_t *obj = json_array_get(s->items, i);
	if (get_code(obj, "alpha_3", 0, c->code, 3) < 0)
		return bad_entry(s, i, "alpha_3", err, errlen);
	if (get_code(obj, "numeric", 1, c->numeric, 3) < 0)
		return bad_entry(s, i, "numeric", err, errlen);
	if (get_names(s, obj, &c->name_en, &c->name_fr, &c->name_es) < 0)
		return bad_entry(s, i, "name (or out of memory)", err, errlen);
	c->minor_units = isocodes_minor_units(c->code);
	return 0;
}

int isocodes_load_currencies(const char *dir, iso_currencies *out, char *err, size_t errlen)
{
	source s;
	*out = (iso_currencies){ 0 };
	if (source_open(&s, dir, "iso_4217", "4217", err, errlen) < 0)
		return -1;
	size_t n = json_array_size(s.items);
	out->v = calloc(n, sizeof *out->v);
	if (!out->v) {
		errmsg(err, errlen, "%s: out of memory", s.path);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		out->n = i + 1;
		if (read_currency(&s, i, &out->v[i], err, errlen) < 0)
			goto fail;
	}
	source_close(&s);
	return 0;
fail:
	iso_currencies_free(out);
	source_close(&s);
	return -1;
}

void iso_currencies_free(iso_currencies *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name_en);
		free(c->v[i].name_fr);
		free(c->v[i].name_es);
	}
	free(c->v);
	*c = (iso_currencies){ 0 };
}
