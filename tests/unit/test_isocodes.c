/*
 * Tests for formats/isocodes: the .mo reader against hand-built catalogs
 * (valid, in both byte orders, and damaged in every way we can think of,
 * since a bad file must be reported and never read out of bounds), the
 * loaders against a fixture tree, and the loaders against the installed
 * iso-codes package, which is what `liaison init` really reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/isocodes.h"

#define SYSTEM_DIR "/usr/share"

/* ---- helpers ----------------------------------------------------------- */

typedef struct pair {
	const char *id;
	size_t idlen;           /* may include NULs: plural msgids do */
	const char *str;
	size_t strlen;
} pair;

#define P(a, b) { a, sizeof a - 1, b, sizeof b - 1 }

static void put32(unsigned char *p, size_t at, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[at + (size_t)i] = (unsigned char)(v >> (big ? 24 - 8 * i : 8 * i));
}

/* A .mo image: header, original table, translation table, then strings. */
static size_t build_mo(unsigned char *out, size_t cap, const pair *p, size_t n, int big)
{
	size_t orig = 28, trans = orig + 8 * n, at = trans + 8 * n;
	memset(out, 0, cap);
	put32(out, 0, 0x950412deu, big);
	put32(out, 8, (uint32_t)n, big);
	put32(out, 12, (uint32_t)orig, big);
	put32(out, 16, (uint32_t)trans, big);
	for (size_t i = 0; i < n; i++) {
		assert_true(at + p[i].idlen + 1 <= cap);
		put32(out, orig + 8 * i, (uint32_t)p[i].idlen, big);
		put32(out, orig + 8 * i + 4, (uint32_t)at, big);
		memcpy(out + at, p[i].id, p[i].idlen);
		at += p[i].idlen + 1;
	}
	for (size_t i = 0; i < n; i++) {
		assert_true(at + p[i].strlen + 1 <= cap);
		put32(out, trans + 8 * i, (uint32_t)p[i].strlen, big);
		put32(out, trans + 8 * i + 4, (uint32_t)at, big);
		memcpy(out + at, p[i].str, p[i].strlen);
		at += p[i].strlen + 1;
	}
	return at;
}

/* Deliberately unsorted, with a context entry, a plural and an empty msgstr. */
static const pair sample[] = {
	P("", "Content-Type: text/plain; charset=UTF-8\n"),
	P("Germany", "Allemagne"),
	P("France", "France"),
	P("menu\x04" "Open", "Ouvrir"),
	{ "file\0files", 10, "fichier\0fichiers", 16 },
	P("Empty", ""),
};
#define NSAMPLE (sizeof sample / sizeof sample[0])

static size_t sample_mo(unsigned char *out, size_t cap, int big)
{
	return build_mo(out, cap, sample, NSAMPLE, big);
}

static void mkdirs(const char *path)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0700);
		*p = '/';
	}
}

static void write_file(const char *path, const void *data, size_t len)
{
	mkdirs(path);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_text(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	write_file(path, text, strlen(text));
}

static void write_mo(const char *dir, const char *rel, const pair *p, size_t n)
{
	unsigned char img[4096];
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	write_file(path, img, build_mo(img, sizeof img, p, n, 0));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int tmp_setup(void **state)
{
	char *dir = strdup("/tmp/liaison-isocodes-XXXXXX");
	assert_non_null(mkdtemp(dir));
	*state = dir;
	return 0;
}

static int tmp_teardown(void **state)
{
	nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(*state);
	return 0;
}

/* Open an image written to DIR/x.mo; the catalog or NULL, err filled. */
static mo_catalog *open_image(const char *dir, const unsigned char *img, size_t len,
                              char *err, size_t errlen)
{
	char path[512];
	mo_catalog *cat = NULL;
	snprintf(path, sizeof path, "%s/x.mo", dir);
	write_file(path, img, len);
	err[0] = '\0';
	if (mo_open(path, &cat, err, errlen) < 0) {
		assert_null(cat);
		assert_true(err[0] != '\0');
		return NULL;
	}
	return cat;
}

static void expect_rejected(const char *dir, const unsigned char *img, size_t len,
                            const char *needle)
{
	char err[512];
	assert_null(open_image(dir, img, len, err, sizeof err));
	assert_non_null(strstr(err, needle));
}

static int have_system_data(void)
{
	return access(SYSTEM_DIR "/iso-codes/json/iso_3166-1.json", R_OK) == 0 &&
	       access(SYSTEM_DIR "/locale/fr/LC_MESSAGES/iso_3166-1.mo", R_OK) == 0;
}

static const iso_country *find_country(const iso_countries *c, const char *iso2)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].iso2, iso2) == 0)
			return &c->v[i];
	return NULL;
}

static const iso_currency *find_currency(const iso_currencies *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].code, code) == 0)
			return &c->v[i];
	return NULL;
}

/* ---- .mo reader -------------------------------------------------------- */

static void test_mo_lookup_both_byte_orders(void **state)
{
	unsigned char img[1024];
	char err[512];
	for (int big = 0; big <= 1; big++) {
		size_t len = sample_mo(img, sizeof img, big);
		mo_catalog *cat = open_image(*state, img, len, err, sizeof err);
		assert_non_null(cat);
		assert_string_equal(mo_lookup(cat, "Germany"), "Allemagne");
		assert_string_equal(mo_lookup(cat, "France"), "France");
		assert_string_equal(mo_lookup(cat, "file"), "fichier");
		assert_null(mo_lookup(cat, "Open"));  /* the entry with a context answers only with it */
		assert_string_equal(mo_lookup(cat, "menu\x04" "Open"), "Ouvrir");
		assert_null(mo_lookup(cat, "Empty"));
		assert_null(mo_lookup(cat, ""));
		assert_null(mo_lookup(cat, "Spain"));
		mo_close(cat);
	}
	assert_null(mo_lookup(NULL, "Germany"));
	mo_close(NULL);
}

static void test_mo_every_truncation_rejected(void **state)
{
	unsigned char img[1024];
	size_t len = sample_mo(img, sizeof img, 0);
	char err[512];
	/* The last byte is a string's NUL, so every proper prefix is damaged. */
	for (size_t cut = 0; cut < len; cut++)
		assert_null(open_image(*state, img, cut, err, sizeof err));
	expect_rejected(*state, img, 10, "truncated");
}

static void test_mo_bad_magic(void **state)
{
	unsigned char img[1024];
	size_t len = sample_mo(img, sizeof img, 0);
	img[0] ^= 0x01;
	expect_rejected(*state, img, len, "magic");
	expect_rejected(*state, (const unsigned char *)"this is not a catalog at all", 28, "magic");
}

static void test_mo_bad_revision(void **state)
{
	unsigned char img[1024];
	size_t len = sample_mo(img, sizeof img, 1);
	put32(img, 4, 2u << 16, 1);
	expect_rejected(*state, img, len, "revision");
}

static void test_mo_offsets_out_of_range(void **state)
{
	unsigned char img[1024];
	size_t len;
	size_t orig = 28, trans = 28 + 8 * NSAMPLE;

	len = sample_mo(img, sizeof img, 0);
	put32(img, 8, 0xffffffffu, 0);                  /* string count */
	expect_rejected(*state, img, len, "out of range");

	len = sample_mo(img, sizeof img, 0);
	put32(img, 12, 0xfffffff0u, 0);                 /* original table */
	expect_rejected(*state, img, len, "out of range");

	len = sample_mo(img, sizeof img, 0);
	put32(img, 16, (uint32_t)len - 4, 0);           /* translation table */
	expect_rejected(*state, img, len, "out of range");

	len = sample_mo(img, sizeof img, 0);
	put32(img, orig + 8 + 4, (uint32_t)len, 0);     /* offset at end of file */
	expect_rejected(*state, img, len, "out of range");

	len = sample_mo(img, sizeof img, 0);
	put32(img, trans + 8, 0xffffffffu, 0);          /* length wraps 32 bits */
	put32(img, trans + 8 + 4, 0xffffffffu, 0);
	expect_rejected(*state, img, len, "out of range");
}

static void test_mo_missing_terminator(void **state)
{
	unsigned char img[1024];
	size_t len = sample_mo(img, sizeof img, 0);
	/* Grow "Germany" by one byte: its NUL is now inside the string. */
	put32(img, 28 + 8, 8, 0);
	expect_rejected(*state, img, len, "string 1");
}

static void test_mo_bad_charset(void **state)
{
	const pair latin1[] = {
		P("", "Content-Type: text/plain; charset=ISO-8859-1\n"),
		P("Germany", "Allemagne"),
	};
	unsigned char img[1024];
	size_t len = build_mo(img, sizeof img, latin1, 2, 0);
	expect_rejected(*state, img, len, "charset");
}

/* Any single damaged byte is either caught or harmless; the sanitizers
 * make an out-of-bounds read fail the test. */
static void test_mo_byte_damage_never_crashes(void **state)
{
	unsigned char img[1024], bad[1024];
	size_t len = sample_mo(img, sizeof img, 0);
	char err[512];
	const unsigned char values[] = { 0x00, 0x7f, 0xff };
	for (size_t at = 0; at < len; at++) {
		for (size_t v = 0; v < sizeof values; v++) {
			memcpy(bad, img, len);
			bad[at] = values[v];
			mo_catalog *cat = open_image(*state, bad, len, err, sizeof err);
			mo_lookup(cat, "Germany");
			mo_lookup(cat, "file");
			mo_close(cat);
		}
	}
}

static void test_mo_missing_file(void **state)
{
	char path[512], err[512];
	mo_catalog *cat = NULL;
	snprintf(path, sizeof path, "%s/nope/fr.mo", (char *)*state);
	assert_int_equal(mo_open(path, &cat, err, sizeof err), -1);
	assert_null(cat);
	assert_non_null(strstr(err, path));
	/* A directory is not a catalog either. */
	assert_int_equal(mo_open(*state, &cat, err, sizeof err), -1);
}

static void test_mo_installed_catalog(void **state)
{
	(void)state;
	if (!have_system_data())
		skip();
	char err[512];
	mo_catalog *cat = NULL;
	assert_int_equal(mo_open(SYSTEM_DIR "/locale/es/LC_MESSAGES/iso_3166-1.mo",
	                         &cat, err, sizeof err), 0);
	assert_string_equal(mo_lookup(cat, "Germany"), "Alemania");
	assert_null(mo_lookup(cat, "Atlantis"));
	mo_close(cat);
}

/* ---- loaders on a fixture tree ---------------------------------------- */

static const char fixture_countries[] =
	"{\"3166-1\": [\n"
	" {\"alpha_2\": \"DE\", \"alpha_3\": \"DEU\", \"name\": \"Germany\", \"numeric\": \"276\"},\n"
	" {\"alpha_2\": \"FR\", \"alpha_3\": \"FRA\", \"name\": \"France\", \"numeric\": \"250\"},\n"
	" {\"alpha_2\": \"BO\", \"alpha_3\": \"BOL\", \"name\": \"Bolivia, Plurinational State of\", \"numeric\": \"068\",\n"
	"  \"common_name\": \"Bolivia\", \"official_name\": \"Plurinational State of Bolivia\"},\n"
	" {\"alpha_2\": \"SY\", \"alpha_3\": \"SYR\", \"name\": \"Syrian Arab Republic\", \"numeric\": \"760\",\n"
	"  \"common_name\": \"Syria\"}\n"
	"]}\n";

static const char fixture_currencies[] =
	"{\"4217\": [\n"
	" {\"alpha_3\": \"JPY\", \"name\": \"Yen\", \"numeric\": \"392\"},\n"
	" {\"alpha_3\": \"EUR\", \"name\": \"Euro\", \"numeric\": \"978\"}\n"
	"]}\n";

/* French translates Germany and Bolivia only; Spanish translates nothing. */
static void write_fixture(const char *dir)
{
	const pair fr[] = { P("", "Content-Type: text/plain; charset=UTF-8\n"),
	                    P("Germany", "Allemagne"), P("Yen", "Yen japonais"), P("Bolivia", "Bolivie") };
	const pair es[] = { P("", "Content-Type: text/plain; charset=UTF-8\n") };
	write_text(dir, "iso-codes/json/iso_3166-1.json", fixture_countries);
	write_text(dir, "iso-codes/json/iso_4217.json", fixture_currencies);
	write_mo(dir, "locale/fr/LC_MESSAGES/iso_3166-1.mo", fr, 4);
	write_mo(dir, "locale/es/LC_MESSAGES/iso_3166-1.mo", es, 1);
	write_mo(dir, "locale/fr/LC_MESSAGES/iso_4217.mo", fr, 4);
	write_mo(dir, "locale/es/LC_MESSAGES/iso_4217.mo", es, 1);
}

static void test_fixture_countries_fall_back_to_english(void **state)
{
	iso_countries c;
	char err[512];
	write_fixture(*state);
	assert_int_equal(isocodes_load_countries(*state, &c, err, sizeof err), 0);
	assert_int_equal(c.n, 4);
	const iso_country *de = find_country(&c, "DE");
	assert_non_null(de);
	assert_string_equal(de->iso3, "DEU");
	assert_string_equal(de->numeric, "276");
	assert_string_equal(de->name_en, "Germany");
	assert_string_equal(de->name_fr, "Allemagne");
	assert_string_equal(de->name_es, "Germany");
	assert_string_equal(find_country(&c, "FR")->name_fr, "France");
	assert_string_equal(de->common_en, "Germany"); /* no common name: the ISO one */
	assert_string_equal(de->common_fr, "Allemagne");
	const iso_country *bo = find_country(&c, "BO");
	assert_string_equal(bo->name_en, "Bolivia, Plurinational State of");
	assert_string_equal(bo->common_en, "Bolivia");
	assert_string_equal(bo->common_fr, "Bolivie");          /* the catalog's */
	assert_string_equal(bo->common_es, "Bolivia");          /* untranslated: kept in English */
	const iso_country *sy = find_country(&c, "SY");
	assert_string_equal(sy->common_fr, "Syrie");            /* our table, where the catalog has none */
	assert_string_equal(sy->common_es, "Siria");
	assert_string_equal(sy->name_es, "Syrian Arab Republic");
	iso_countries_free(&c);
	assert_null(c.v);
	assert_int_equal(c.n, 0);
}

static void test_fixture_currencies(void **state)
{
	iso_currencies c;
	char err[512];
	write_fixture(*state);
	assert_int_equal(isocodes_load_currencies(*state, &c, err, sizeof err), 0);
	assert_int_equal(c.n, 2);
	const iso_currency *jpy = find_currency(&c, "JPY");
	assert_non_null(jpy);
	assert_string_equal(jpy->numeric, "392");
	assert_int_equal(jpy->minor_units, 0);
	assert_string_equal(jpy->name_fr, "Yen japonais");
	assert_string_equal(jpy->name_es, "Yen");
	assert_int_equal(find_currency(&c, "EUR")->minor_units, 2);
	iso_currencies_free(&c);
}

static void test_fixture_corrupt_catalog(void **state)
{
	iso_countries c;
	char err[512];
	write_fixture(*state);
	write_text(*state, "locale/es/LC_MESSAGES/iso_3166-1.mo", "garbage, not a catalog");
	assert_int_equal(isocodes_load_countries(*state, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "es/LC_MESSAGES/iso_3166-1.mo"));
	assert_null(c.v);
}

static void test_fixture_missing_catalog(void **state)
{
	iso_currencies c;
	char path[512], err[512];
	write_fixture(*state);
	snprintf(path, sizeof path, "%s/locale/fr/LC_MESSAGES/iso_4217.mo", (char *)*state);
	assert_int_equal(remove(path), 0);
	assert_int_equal(isocodes_load_currencies(*state, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
}

static void test_fixture_bad_json(void **state)
{
	iso_countries c;
	char err[512];
	write_fixture(*state);
	write_text(*state, "iso-codes/json/iso_3166-1.json", "{\"3166-1\": [\n{\"alpha_2\": }\n");
	assert_int_equal(isocodes_load_countries(*state, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2"));

	write_text(*state, "iso-codes/json/iso_3166-1.json",
	           "{\"3166-1\": [{\"alpha_2\": \"DE\", \"alpha_3\": \"DEU\", \"name\": \"Germany\", \"numeric\": \"276\"},"
	           " {\"alpha_2\": \"fr\", \"alpha_3\": \"FRA\", \"name\": \"France\", \"numeric\": \"250\"}]}");
	assert_int_equal(isocodes_load_countries(*state, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "entry 1"));
	assert_non_null(strstr(err, "alpha_2"));

	write_text(*state, "iso-codes/json/iso_3166-1.json", "{\"3166-2\": []}");
	assert_int_equal(isocodes_load_countries(*state, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "3166-1"));
}

static void test_missing_directory(void **state)
{
	iso_countries c;
	iso_currencies m;
	char dir[512], err[512];
	snprintf(dir, sizeof dir, "%s/does-not-exist", (char *)*state);
	assert_int_equal(isocodes_load_countries(dir, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, dir));
	assert_int_equal(isocodes_load_currencies(dir, &m, err, sizeof err), -1);
	assert_non_null(strstr(err, dir));
}

/* ---- loaders on the installed package ---------------------------------- */

static void test_installed_countries(void **state)
{
	(void)state;
	if (!have_system_data())
		skip();
	iso_countries c;
	char err[512];
	assert_int_equal(isocodes_load_countries(NULL, &c, err, sizeof err), 0);
	assert_int_equal(c.n, 249);
	const iso_country *fr = find_country(&c, "FR");
	assert_non_null(fr);
	assert_string_equal(fr->iso3, "FRA");
	assert_string_equal(fr->name_en, "France");
	assert_string_equal(fr->name_fr, "France");
	const iso_country *de = find_country(&c, "DE");
	assert_non_null(de);
	assert_string_equal(de->name_fr, "Allemagne");
	assert_string_equal(de->name_es, "Alemania");
	assert_string_equal(find_country(&c, "CH")->numeric, "756");
	static const char *const common[][4] = {
		{ "BO", "Bolivia", "Bolivie", "Bolivia" },         { "VE", "Venezuela", "Vénézuela", "Venezuela" },
		{ "IR", "Iran", "Iran", "Irán" },                  { "TZ", "Tanzania", "Tanzanie", "Tanzania" },
		{ "MD", "Moldova", "Moldavie", "Moldavia" },       { "KR", "South Korea", "Corée du Sud", "Corea del Sur" },
		{ "SY", "Syria", "Syrie", "Siria" },               { "FR", "France", "France", "Francia" },
	};
	for (size_t i = 0; i < sizeof common / sizeof *common; i++) {
		const iso_country *k = find_country(&c, common[i][0]);
		assert_string_equal(k->common_en, common[i][1]);
		assert_string_equal(k->common_fr, common[i][2]);
		assert_string_equal(k->common_es, common[i][3]);
	}
	assert_string_equal(find_country(&c, "BO")->name_en, "Bolivia, Plurinational State of");
	iso_countries_free(&c);
}

static void test_installed_currencies(void **state)
{
	(void)state;
	if (!have_system_data())
		skip();
	iso_currencies c;
	char err[512];
	assert_int_equal(isocodes_load_currencies(SYSTEM_DIR, &c, err, sizeof err), 0);
	const iso_currency *eur = find_currency(&c, "EUR");
	assert_non_null(eur);
	assert_string_equal(eur->numeric, "978");
	assert_int_equal(eur->minor_units, 2);
	assert_int_equal(find_currency(&c, "JPY")->minor_units, 0);
	assert_int_equal(find_currency(&c, "KWD")->minor_units, 3);
	const iso_currency *usd = find_currency(&c, "USD");
	assert_non_null(usd);
	assert_non_null(strcasestr(usd->name_fr, "dollar"));
	iso_currencies_free(&c);
}

static void test_minor_units_table(void **state)
{
	(void)state;
	assert_int_equal(isocodes_minor_units("JPY"), 0);
	assert_int_equal(isocodes_minor_units("XPF"), 0);
	assert_int_equal(isocodes_minor_units("TND"), 3);
	assert_int_equal(isocodes_minor_units("CLF"), 4);
	assert_int_equal(isocodes_minor_units("UYW"), 4);
	assert_int_equal(isocodes_minor_units("USD"), 2);
	assert_int_equal(isocodes_minor_units(NULL), 2);
}

/* The built-in list of money is the installed package's list, less the
 * units without minor units, in both directions. */
static void test_known_currencies_match_installed(void **state)
{
	(void)state;
	if (!have_system_data())
		skip();
	static const char *const no_minor_units[] = { "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR",
						      "XPD", "XPT", "XSU", "XTS", "XUA", "XXX" };
	iso_currencies c;
	char err[512];
	assert_int_equal(isocodes_load_currencies(SYSTEM_DIR, &c, err, sizeof err), 0);
	size_t money = 0;
	for (size_t i = 0; i < c.n; i++) {
		int none = 0;
		for (size_t k = 0; k < sizeof no_minor_units / sizeof *no_minor_units; k++)
			none |= strcmp(c.v[i].code, no_minor_units[k]) == 0;
		assert_int_equal(isocodes_currency_known(c.v[i].code), !none);
		money += !none;
	}
	size_t known = 0;   /* every three capitals: the list holds nothing more */
	char code[4] = "AAA";
	for (int a = 0; a < 26 * 26 * 26; a++) {
		code[0] = (char)('A' + a / 676), code[1] = (char)('A' + a / 26 % 26), code[2] = (char)('A' + a % 26);
		known += (size_t)isocodes_currency_known(code);
	}
	assert_int_equal(known, money);
	assert_false(isocodes_currency_known("usd"));
	assert_false(isocodes_currency_known("USDX"));
	assert_false(isocodes_currency_known(""));
	assert_false(isocodes_currency_known(NULL));
	iso_currencies_free(&c);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TMP_TEST(test_mo_lookup_both_byte_orders),
		TMP_TEST(test_mo_every_truncation_rejected),
		TMP_TEST(test_mo_bad_magic),
		TMP_TEST(test_mo_bad_revision),
		TMP_TEST(test_mo_offsets_out_of_range),
		TMP_TEST(test_mo_missing_terminator),
		TMP_TEST(test_mo_bad_charset),
		TMP_TEST(test_mo_byte_damage_never_crashes),
		TMP_TEST(test_mo_missing_file),
		cmocka_unit_test(test_mo_installed_catalog),
		TMP_TEST(test_fixture_countries_fall_back_to_english),
		TMP_TEST(test_fixture_currencies),
		TMP_TEST(test_fixture_corrupt_catalog),
		TMP_TEST(test_fixture_missing_catalog),
		TMP_TEST(test_fixture_bad_json),
		TMP_TEST(test_missing_directory),
		cmocka_unit_test(test_installed_countries),
		cmocka_unit_test(test_installed_currencies),
		cmocka_unit_test(test_minor_units_table),
		cmocka_unit_test(test_known_currencies_match_installed),
	};
	return cmocka_run_group_tests_name("isocodes", tests, NULL, NULL);
}
