/*
 * isocodes — countries (ISO 3166-1) and currencies (ISO 4217) from Debian's
 * iso-codes package, named in English, French and Spanish.
 *
 * `liaison init` fills its reference tables from here.  The English names
 * come from the package's JSON files; the French and Spanish ones from the
 * package's own gettext catalogs.  Those catalogs are read directly
 * (formats/mo.h) rather than through setlocale/gettext: the
 * locales need not be installed, and the C locale is process-global state
 * that a server must not flip back and forth.
 *
 * Files are looked up under a root directory so tests can use a fixture
 * tree:  DIR/iso-codes/json/iso_3166-1.json
 *        DIR/locale/{fr,es}/LC_MESSAGES/iso_3166-1.mo   (same for iso_4217)
 * Every catalog must be present and well formed; a name it does not
 * translate keeps its English form.
 *
 * A country has two names: the ISO one ("Bolivia, Plurinational State of",
 * "name") and the one people use ("Bolivia", the package's "common_name"
 * where it has one, else the ISO name again).  A common name the package's
 * catalogs do not translate is taken from a short table of our own, else
 * kept in English.
 */
#ifndef LIAISON_ISOCODES_H
#define LIAISON_ISOCODES_H

#include <stddef.h>

#include "formats/mo.h"

#define ISOCODES_DEFAULT_DIR "/usr/share"

/* ---- countries ------------------------------------------------------- */

typedef struct iso_country {
	char iso2[3], iso3[4], numeric[4];    /* "FR", "FRA", "250" */
	char *name_en, *name_fr, *name_es;    /* the ISO name; UTF-8, never NULL */
	char *common_en, *common_fr, *common_es;  /* the name people use; never NULL, the ISO name when none */
} iso_country;

typedef struct iso_countries {
	iso_country *v;
	size_t n;
} iso_countries;

/* dir NULL means ISOCODES_DEFAULT_DIR.  0 ok; -1 with a reason in err. */
int isocodes_load_countries(const char *dir, iso_countries *out, char *err, size_t errlen);
void iso_countries_free(iso_countries *c);

/* ---- currencies ------------------------------------------------------ */

typedef struct iso_currency {
	char code[4], numeric[4];             /* "EUR", "978" */
	int minor_units;                      /* decimals: 2 for EUR, 0 for JPY */
	char *name_en, *name_fr, *name_es;    /* UTF-8, never NULL */
} iso_currency;

typedef struct iso_currencies {
	iso_currency *v;
	size_t n;
} iso_currencies;

int isocodes_load_currencies(const char *dir, iso_currencies *out, char *err, size_t errlen);
void iso_currencies_free(iso_currencies *c);

/*
 * Decimals of an ISO 4217 alphabetic code.  iso-codes does not carry them,
 * so a built-in table lists the exceptions; any other code gets 2.
 */
int isocodes_minor_units(const char *code);

/* 1 when code is an ISO 4217 currency of money (not a metal, nor XXX). */
int isocodes_currency_known(const char *code);

#endif
