/*
 * isocodes — load ISO 3166-1 countries and ISO 4217 currencies from Debian's
 * iso-codes package, with French and Spanish names from its .mo catalogs
 * (formats/mo.c).
 */
#include "core/errmsg.h"
#include "core/file.h"
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
	if (file_read(s->path, MAX_FILE_SIZE, &text, &len, err, errlen) < 0)
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

/* Common names the package's catalogs leave untranslated (iso-codes 4.x). */
static const struct {
	const char *lang, *en, *name;
} common_names[] = {
	{ "fr", "Iran", "Iran" },    { "fr", "Laos", "Laos" },       { "fr", "Syria", "Syrie" },
	{ "es", "Iran", "Irán" },    { "es", "Laos", "Laos" },       { "es", "Syria", "Siria" },
	{ "es", "South Korea", "Corea del Sur" },                    { "es", "North Korea", "Corea del Norte" },
};

static char *translate_common(const mo_catalog *cat, const char *lang, const char *en)
{
	const char *t = mo_lookup(cat, en);
	for (size_t i = 0; !t && i < sizeof common_names / sizeof *common_names; i++)
		if (!strcmp(common_names[i].lang, lang) && !strcmp(common_names[i].en, en))
			t = common_names[i].name;
	return strdup(t ? t : en);
}

/* Countries whose name an intergovernmental organization keeps as the
 * United Nations write it, whatever name people use: "Taiwan, Province of
 * China", not the package's "Taiwan". */
static const char *const official_only[] = { "TW", NULL };

static int keeps_official_name(const char *iso2)
{
	for (size_t i = 0; official_only[i]; i++)
		if (!strcmp(official_only[i], iso2))
			return 1;
	return 0;
}

/* The name people use, where the package gives one; else the ISO names again. */
static int get_common_names(const source *s, json_t *obj, iso_country *c)
{
	const char *common = json_string_value(json_object_get(obj, "common_name"));
	if (!common || !*common || keeps_official_name(c->iso2)) {
		c->common_en = strdup(c->name_en);
		c->common_fr = strdup(c->name_fr);
		c->common_es = strdup(c->name_es);
	} else {
		c->common_en = strdup(common);
		c->common_fr = translate_common(s->fr, "fr", common);
		c->common_es = translate_common(s->es, "es", common);
	}
	return c->common_en && c->common_fr && c->common_es ? 0 : -1;
}

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
	if (get_common_names(s, obj, c) < 0)
		return bad_entry(s, i, "common_name (or out of memory)", err, errlen);
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
		free(c->v[i].common_en);
		free(c->v[i].common_fr);
		free(c->v[i].common_es);
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

/* ISO 4217's currencies as iso-codes lists them, in order (searched by
 * halves), less the codes that are no money: precious metals, bond market
 * units, the testing and "no currency" codes. */
static const char money_codes[][4] = {
	"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
	"BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
	"CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF",
	"DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD",
	"GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
	"JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
	"LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
	"MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
	"PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG",
	"SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
	"TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW",
	"UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMW",
	"ZWL"
};

static int by_currency(const void *key, const void *entry) { return strcmp(key, entry); }

int isocodes_currency_known(const char *code)
{
	if (!code || strlen(code) != 3)
		return 0;
	return bsearch(code, money_codes, sizeof money_codes / sizeof money_codes[0], sizeof money_codes[0], by_currency) != NULL;
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
