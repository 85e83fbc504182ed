/*
 * test_phone — telephone numbers as people type them, made E.164: the
 * international forms, the national forms of countries with different
 * trunk prefixes, extensions, and the numbers that must be refused rather
 * than guessed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/phone.h"

/* typed, country, E.164 wanted ("" when it must be refused), extension */
static const char *const cases[][4] = {
	/* international forms */
	{ "+41 22 717 91 11", NULL, "+41227179111", "" },
	{ "+41 (0)22 717 91 11", "", "+41227179111", "" },
	{ "+41-22-717-9111", "FR", "+41227179111", "" },
	{ "0041 22 717 91 11", "FR", "+41227179111", "" },
	{ "011 41 22 717 91 11", "US", "+41227179111", "" },
	{ "0011 41 22 717 91 11", "AU", "+41227179111", "" },
	{ "+881 6 3145 6789", NULL, "+881631456789", "" },           /* a satellite telephone */
	/* national forms, each country's way */
	{ "022 717 91 11", "CH", "+41227179111", "" },
	{ "01 44 55 66 77", "fr", "+33144556677", "" },
	{ "(212) 555-0147", "US", "+12125550147", "" },
	{ "1-212-555-0147", "CA", "+12125550147", "" },
	{ "8 (495) 123-45-67", "RU", "+74951234567", "" },
	{ "06 1 234 5678", "HU", "+3612345678", "" },
	{ "06 6982 1234", "IT", "+390669821234", "" },              /* Italy keeps the 0 */
	{ "912 345 678", "ES", "+34912345678", "" },                /* no trunk prefix */
	{ "03-1234-5678", "JP", "+81312345678", "" },
	{ "02\xC2\xA0" "8123 4567", "PH", "+63281234567", "" },     /* a no-break space */
	/* extensions */
	{ "+41 22 717 91 11 ext. 204", NULL, "+41227179111", "204" },
	{ "022 717 91 11 x204", "CH", "+41227179111", "204" },
	{ "01 44 55 66 77 poste 12", "FR", "+33144556677", "12" },
	{ "+1 212 555 0147 #9", NULL, "+12125550147", "9" },
	/* refused: not invented */
	{ "022 717 91 11", NULL, "", "" },                          /* national, country unknown */
	{ "022 717 91 11", "XX", "", "" },                          /* no such country */
	{ "717 91 11", "CH", "", "" },                              /* no area code */
	{ "0912 345 678", "ES", "", "" },                           /* a stray 0 where there is no trunk prefix */
	{ "555-0147", "US", "", "" },                               /* seven digits */
	{ "+999 1234 5678", NULL, "", "" },                         /* unassigned calling code */
	{ "+1 555 0147", NULL, "", "" },                            /* too short for the North American plan */
	{ "+41 22 717 91 11 12 34 56", NULL, "", "" },              /* more than 15 digits */
	{ "+41 22", NULL, "", "" },
	{ "call the switchboard", "CH", "", "" },
	{ "022 717 91 11 (desk)", "CH", "", "" },
	{ "+41 22 717 91 11 ext.", NULL, "", "" },                  /* an extension without digits */
	{ "+41 22 717 91 11 ext 123456789", NULL, "", "" },         /* an extension too long */
	{ "+41 22 717+91 11", NULL, "", "" },
	{ "", "CH", "", "" },
	{ "+", NULL, "", "" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		phone_number n;
		int rc = phone_e164(cases[i][0], cases[i][1], &n);
		if (!*cases[i][2]) {
			if (rc != -1)
				fail_msg("'%s' in %s became %s; it should stay text", cases[i][0],
				         cases[i][1] ? cases[i][1] : "(none)", n.e164);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s' in %s was refused", cases[i][0], cases[i][1] ? cases[i][1] : "(none)");
		assert_string_equal(n.e164, cases[i][2]);
		assert_string_equal(n.ext, cases[i][3]);
	}
}

static void test_null_typed(void **state)
{
	(void)state;
	phone_number n;
	assert_int_equal(phone_e164(NULL, "CH", &n), -1);
}

/* Every number made E.164 is "+" and digits only, 15 at most: whatever the
 * input, nothing else can reach a tel: URI. */
static void test_shape_of_every_result(void **state)
{
	(void)state;
	const char *countries[] = { NULL, "CH", "US", "IT", "RU", "HU", "ES", "JP", "AU" };
	const char alphabet[] = "0123456789 +()-.x#";
	char typed[24];
	unsigned seed = 12345;
	for (int round = 0; round < 20000; round++) {
		size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 22;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			typed[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		typed[len] = '\0';
		phone_number n;
		if (phone_e164(typed, countries[round % 9], &n))
			continue;
		size_t k = strlen(n.e164);
		assert_true(n.e164[0] == '+' && k >= 6 && k <= 16);
		assert_int_equal(strspn(n.e164 + 1, "0123456789"), k - 1);
		assert_int_equal(strspn(n.ext, "0123456789"), strlen(n.ext));
	}
}

static void test_calling_codes(void **state)
{
	(void)state;
	assert_string_equal(phone_calling_code("CH"), "41");
	assert_string_equal(phone_calling_code("ph"), "63");
	assert_string_equal(phone_calling_code("KZ"), "7");
	assert_null(phone_calling_code("XX"));
	assert_null(phone_calling_code("CHE"));
	assert_null(phone_calling_code(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_null_typed),
		cmocka_unit_test(test_shape_of_every_result),
		cmocka_unit_test(test_calling_codes),
	};
	return cmocka_run_group_tests_name("phone", tests, NULL, NULL);
}
