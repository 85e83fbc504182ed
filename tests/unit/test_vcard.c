/*
 * test_vcard — the vCard 4.0 writer: card layout, escaping, folding of long
 * UTF-8 values, ORG's language, ADR's components, CATEGORIES, EMAIL/TEL/LANG
 * preferences, telephone numbers in E.164 and the UID/REV forms, checked
 * against the exact octets address books will read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "formats/vcard.h"
#include "contentlines.h"

static void expect_card(const vcard_person *p, const char *want)
{
	buf b = BUF_INIT;
	vcard_write(&b, p);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_minimal_card(void **state)
{
	(void)state;
	vcard_person p = { .given = "Amina", .family = "Okonkwo-Ferreira" };
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Amina Okonkwo-Ferreira\r\n"
		"N:Okonkwo-Ferreira;Amina;;;\r\n"
		"END:VCARD\r\n");
}

static void test_full_card(void **state)
{
	(void)state;
	const char *emails[] = { "amina.okonkwo@example.org" };
	const char *phones[] = { "+41 22 555 01 23", "022 555 01 24 (desk)", "022 555 01 25 ext. 7" };
	const char *tags[] = { "labour", "rcp, Asia", "", "geneva;office" };
	const char *langs[] = { "en", "fr", "pt" };
	vcard_person p = {
		.uid = "6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b",
		.honorific = "Dr", .given = "Amina", .family = "Okonkwo-Ferreira",
		.position = "Head of Partnerships",
		.organization = "Organisation des Exemples Fictifs",
		.organization_lang = "fr",
		.address = { .street = "Route des Exemples 17\nCase postale 71", .country = "Suisse" },
		.note = "Met at the 2026 forum",
		.rev = "2026-11-27T18:42:00Z",
		.emails = emails, .nemails = 1,
		.phones = phones, .nphones = 3, .phone_country = "CH",
		.languages = langs, .nlanguages = 3,
		.preferred_language = "fr",
		.categories = tags, .ncategories = 4,
	};
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Dr Amina Okonkwo-Ferreira\r\n"
		"N:Okonkwo-Ferreira;Amina;;Dr;\r\n"
		"ORG;LANGUAGE=fr:Organisation des Exemples Fictifs\r\n"
		"TITLE:Head of Partnerships\r\n"
		"ADR;TYPE=work:;;Route des Exemples 17\\nCase postale 71;;;;Suisse\r\n"
		"EMAIL;TYPE=work;PREF=1:amina.okonkwo@example.org\r\n"
		"TEL;VALUE=uri;TYPE=work;PREF=1:tel:+41225550123\r\n"
		"TEL;VALUE=text;TYPE=work:022 555 01 24 (desk)\r\n"
		"TEL;VALUE=uri;TYPE=work:tel:+41225550125;ext=7\r\n"
		"LANG;PREF=1:fr\r\n"
		"LANG:en\r\n"
		"LANG:pt\r\n"
		"CATEGORIES:labour,rcp\\, Asia,geneva;office\r\n"
		"NOTE:Met at the 2026 forum\r\n"
		"UID:urn:uuid:6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b\r\n"
		"REV:20261127T184200Z\r\n"
		"END:VCARD\r\n");
}

static void test_escaping(void **state)
{
	(void)state;
	vcard_person p = {
		.given = "Jonas, Jr.", .family = "Eklund;Mbeki",
		.organization = "Fictifs; Division A\\B",
		.note = "line one, with comma\nline two; semi\r\nline three\rend\x01!",
	};
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Jonas\\, Jr. Eklund;Mbeki\r\n"
		"N:Eklund\\;Mbeki;Jonas\\, Jr.;;;\r\n"
		"ORG:Fictifs\\; Division A\\\\B\r\n"
		"NOTE:line one\\, with comma\\nline two; semi\\nline three\\nend!\r\n"
		"END:VCARD\r\n");
}

static void test_empty_fields_omitted(void **state)
{
	(void)state;
	const char *emails[] = { "", NULL };
	const char *langs[] = { "" };
	vcard_person p = {
		.uid = "", .honorific = "", .given = NULL, .family = "",
		.position = "", .organization = "Organisation des Exemples Fictifs",
		.note = "", .rev = "",
		.emails = emails, .nemails = 2, .languages = langs, .nlanguages = 1,
		.preferred_language = "",
	};
	/* No name at all: FN falls back to the organization, N is left out. */
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Organisation des Exemples Fictifs\r\n"
		"ORG:Organisation des Exemples Fictifs\r\n"
		"END:VCARD\r\n");
}

static void test_multiple_emails_pref(void **state)
{
	(void)state;
	const char *emails[] = { "", "amina@example.org", "a.okonkwo@example.net", NULL, "aof@example.com" };
	vcard_person p = { .given = "Amina", .emails = emails, .nemails = 5 };
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Amina\r\n"
		"N:;Amina;;;\r\n"
		"EMAIL;TYPE=work;PREF=1:amina@example.org\r\n"
		"EMAIL;TYPE=work:a.okonkwo@example.net\r\n"
		"EMAIL;TYPE=work:aof@example.com\r\n"
		"END:VCARD\r\n");
}

static void test_preferred_language_not_in_list(void **state)
{
	(void)state;
	const char *langs[] = { "EN", "es-419" };
	vcard_person p = { .family = "Eklund-Mbeki", .languages = langs, .nlanguages = 2,
	                   .preferred_language = "en" };
	expect_card(&p,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Eklund-Mbeki\r\n"
		"N:Eklund-Mbeki;;;;\r\n"
		"LANG;PREF=1:en\r\n"
		"LANG:es-419\r\n"
		"END:VCARD\r\n");
}

static void test_uid_and_rev_forms(void **state)
{
	(void)state;
	const char *cases[][3] = {
		/* uid, rev, expected lines between N and END */
		{ "urn:uuid:6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b", "20261127T184200Z",
		  "UID:urn:uuid:6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b\r\nREV:20261127T184200Z\r\n" },
		{ "person/42", "2026-11-27 18:42:00", "UID;VALUE=text:person/42\r\n" },
		{ "a,b", "2026-11-27T18:42:00", "UID;VALUE=text:a\\,b\r\n" },
		{ NULL, "2026-11-27T18:42:00+01:00", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vcard_person p = { .given = "Amina", .uid = cases[i][0], .rev = cases[i][1] };
		buf want = BUF_INIT;
		buf_printf(&want, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Amina\r\nN:;Amina;;;\r\n%sEND:VCARD\r\n",
		           cases[i][2]);
		expect_card(&p, buf_str(&want));
		buf_free(&want);
	}
}

static void test_folding_long_utf8(void **state)
{
	(void)state;
	const char *chunk = "Réunion à Genève — 日本語のメモ 😀🌍 partenariat fictif; ";
	for (size_t shift = 0; shift < 5; shift++) {
		buf note = BUF_INIT;
		for (size_t i = 0; i < shift; i++)
			buf_putc(&note, 'x');   /* move the multi-byte characters across the fold points */
		for (int i = 0; i < 12; i++)
			buf_puts(&note, chunk);

		vcard_person p = { .given = "Amina", .note = buf_str(&note) };
		buf card = BUF_INIT;
		vcard_write(&card, &p);
		assert_folded(buf_str(&card));
		assert_non_null(strstr(buf_str(&card), "\r\n "));   /* it was folded */

		/* Unfolding restores the value exactly (a NOTE's ';' needs no escape). */
		char *flat = unfold(buf_str(&card));
		buf want = BUF_INIT;
		buf_printf(&want, "NOTE:%s\r\n", buf_str(&note));
		assert_non_null(strstr(flat, buf_str(&want)));
		free(flat);
		buf_free(&want);
		buf_free(&card);
		buf_free(&note);
	}
}

static void test_escape_not_split_by_fold(void **state)
{
	(void)state;
	/* "NOTE:" is 5 octets; 69 x's bring the line to 74, so the escape
	 * "\," would straddle octet 75 and must move to the next line whole. */
	char note[80];
	memset(note, 'x', 69);
	strcpy(note + 69, ",y");
	vcard_person p = { .given = "Amina", .note = note };
	buf b = BUF_INIT;
	vcard_write(&b, &p);
	assert_non_null(strstr(buf_str(&b), "x\r\n \\,y\r\n"));
	assert_folded(buf_str(&b));
	buf_free(&b);
}

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	vcard_person p = { .given = "Gen\xE8ve" };
	expect_card(&p,
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Gen\xEF\xBF\xBDve\r\nN:;Gen\xEF\xBF\xBDve;;;\r\nEND:VCARD\r\n");
}

/* Every ADR component is escaped on its own, so none can spill into the
 * next; a card with no address part has no ADR. */
static void test_address_components(void **state)
{
	(void)state;
	vcard_person p = { .family = "Eklund-Mbeki",
	                   .address = { .street = "Quai 3; aile B", .locality = "Gen\xC3\xA8ve, centre",
	                                .region = "GE", .code = "1211", .country = "Suisse" } };
	expect_card(&p,
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eklund-Mbeki\r\nN:Eklund-Mbeki;;;;\r\n"
		"ADR;TYPE=work:;;Quai 3\\; aile B;Gen\xC3\xA8ve\\, centre;GE;1211;Suisse\r\n"
		"END:VCARD\r\n");
	vcard_person q = { .family = "Eklund-Mbeki", .address = { .street = "", .country = NULL },
	                   .categories = (const char *[]){ "", NULL }, .ncategories = 2 };
	expect_card(&q, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eklund-Mbeki\r\nN:Eklund-Mbeki;;;;\r\nEND:VCARD\r\n");
}

/* A national number is made E.164 only where the country to read it in is
 * known; without one it stays as typed. */
static void test_phone_country(void **state)
{
	(void)state;
	const char *phones[] = { "(212) 555-0147" };
	vcard_person p = { .family = "Lund", .phones = phones, .nphones = 1, .phone_country = "US" };
	buf b = BUF_INIT;
	vcard_write(&b, &p);
	assert_non_null(strstr(buf_str(&b), "\r\nTEL;VALUE=uri;TYPE=work;PREF=1:tel:+12125550147\r\n"));
	buf_reset(&b);
	p.phone_country = NULL;
	vcard_write(&b, &p);
	assert_non_null(strstr(buf_str(&b), "\r\nTEL;VALUE=text;TYPE=work;PREF=1:(212) 555-0147\r\n"));
	buf_free(&b);
}

static void test_list_is_concatenation(void **state)
{
	(void)state;
	vcard_person a = { .given = "Amina", .family = "Okonkwo-Ferreira" };
	vcard_person b = { .given = "Jonas", .family = "Eklund-Mbeki" };
	buf out = BUF_INIT;
	vcard_write(&out, &a);
	vcard_write(&out, &b);
	assert_string_equal(buf_str(&out),
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Amina Okonkwo-Ferreira\r\n"
		"N:Okonkwo-Ferreira;Amina;;;\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jonas Eklund-Mbeki\r\n"
		"N:Eklund-Mbeki;Jonas;;;\r\nEND:VCARD\r\n");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_card),
		cmocka_unit_test(test_full_card),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_empty_fields_omitted),
		cmocka_unit_test(test_multiple_emails_pref),
		cmocka_unit_test(test_preferred_language_not_in_list),
		cmocka_unit_test(test_uid_and_rev_forms),
		cmocka_unit_test(test_folding_long_utf8),
		cmocka_unit_test(test_escape_not_split_by_fold),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_address_components),
		cmocka_unit_test(test_phone_country),
		cmocka_unit_test(test_list_is_concatenation),
	};
	return cmocka_run_group_tests_name("vcard", tests, NULL, NULL);
}
