/*
 * regions — the DAC regions of the countries that receive official
 * development assistance; see regions.h.
 *
 * The countries are those of the DAC List of ODA Recipients for the flows
 * of 2024 and 2025, each filed under its region as the DAC's Creditor
 * Reporting System files it (Afghanistan and Myanmar in South Asia; Armenia,
 * Azerbaijan and Georgia in Central Asia; Türkiye in Europe).  Kosovo is a
 * recipient too, but has no ISO 3166-1 code, and Liaison names countries by
 * those codes only.  A country that leaves the list (graduates) leaves this
 * table; a donor's funding of it before then is still told under its code.
 *
 * The table of countries is sorted by code, so that a look-up is a binary
 * search; test_regions checks the order, and that every code is ISO's.
 */
#include "formats/regions.h"

#include <stdlib.h>
#include <string.h>

typedef struct region_def {
	int code, parent;
	const char *name[3];   /* en, fr, es */
} region_def;

/* Continents after their parts; 998 is no place, but donors name it. */
static const region_def regions[] = {
	{ 89, REGION_NONE, { "Europe", "Europe", "Europa" } },
	{ 189, 298, { "North of Sahara", "Nord du Sahara", "Norte del Sahara" } },
	{ 289, 298, { "South of Sahara", "Sud du Sahara", "Sur del Sahara" } },
	{ 389, 498, { "North and Central America", "Amérique du Nord et centrale", "América del Norte y Central" } },
	{ 489, 498, { "South America", "Amérique du Sud", "América del Sur" } },
	{ 589, 798, { "Middle East", "Moyen-Orient", "Oriente Medio" } },
	{ 619, 798, { "Central Asia", "Asie centrale", "Asia Central" } },
	{ 679, 798, { "South Asia", "Asie du Sud", "Asia del Sur" } },
	{ 689, 798, { "South and Central Asia", "Asie du Sud et centrale", "Asia del Sur y Central" } },
	{ 789, 798, { "Far East Asia", "Extrême-Orient", "Lejano Oriente" } },
	{ 889, REGION_NONE, { "Oceania", "Océanie", "Oceanía" } },
	{ 298, REGION_NONE, { "Africa", "Afrique", "África" } },
	{ 498, REGION_NONE, { "America", "Amérique", "América" } },
	{ 798, REGION_NONE, { "Asia", "Asie", "Asia" } },
	{ 998, REGION_NONE, { "Developing countries, unspecified", "Pays en développement, non précisé",
			      "Países en desarrollo, sin especificar" } },
};

typedef struct country_region {
	char iso2[3];
	int region;
} country_region;

static const country_region countries[] = {
	{ "AF", 679 }, { "AL", 89 }, { "AM", 619 }, { "AO", 289 }, { "AR", 489 }, { "AZ", 619 }, { "BA", 89 },
	{ "BD", 679 }, { "BF", 289 }, { "BI", 289 }, { "BJ", 289 }, { "BO", 489 }, { "BR", 489 }, { "BT", 679 },
	{ "BW", 289 }, { "BY", 89 }, { "BZ", 389 }, { "CD", 289 }, { "CF", 289 }, { "CG", 289 }, { "CI", 289 },
	{ "CM", 289 }, { "CN", 789 }, { "CO", 489 }, { "CR", 389 }, { "CU", 389 }, { "CV", 289 }, { "DJ", 289 },
	{ "DM", 389 }, { "DO", 389 }, { "DZ", 189 }, { "EC", 489 }, { "EG", 189 }, { "ER", 289 }, { "ET", 289 },
	{ "FJ", 889 }, { "FM", 889 }, { "GA", 289 }, { "GD", 389 }, { "GE", 619 }, { "GH", 289 }, { "GM", 289 },
	{ "GN", 289 }, { "GQ", 289 }, { "GT", 389 }, { "GW", 289 }, { "GY", 489 }, { "HN", 389 }, { "HT", 389 },
	{ "ID", 789 }, { "IN", 679 }, { "IQ", 589 }, { "IR", 589 }, { "JM", 389 }, { "JO", 589 }, { "KE", 289 },
	{ "KG", 619 }, { "KH", 789 }, { "KI", 889 }, { "KM", 289 }, { "KP", 789 }, { "KZ", 619 }, { "LA", 789 },
	{ "LB", 589 }, { "LC", 389 }, { "LK", 679 }, { "LR", 289 }, { "LS", 289 }, { "LY", 189 }, { "MA", 189 },
	{ "MD", 89 }, { "ME", 89 }, { "MG", 289 }, { "MH", 889 }, { "MK", 89 }, { "ML", 289 }, { "MM", 679 },
	{ "MN", 789 }, { "MR", 289 }, { "MS", 389 }, { "MU", 289 }, { "MV", 679 }, { "MW", 289 }, { "MX", 389 },
	{ "MY", 789 }, { "MZ", 289 }, { "NA", 289 }, { "NE", 289 }, { "NG", 289 }, { "NI", 389 }, { "NP", 679 },
	{ "NR", 889 }, { "NU", 889 }, { "PA", 389 }, { "PE", 489 }, { "PG", 889 }, { "PH", 789 }, { "PK", 679 },
	{ "PS", 589 }, { "PW", 889 }, { "PY", 489 }, { "RS", 89 }, { "RW", 289 }, { "SB", 889 }, { "SD", 289 },
	{ "SH", 289 }, { "SL", 289 }, { "SN", 289 }, { "SO", 289 }, { "SR", 489 }, { "SS", 289 }, { "ST", 289 },
	{ "SV", 389 }, { "SY", 589 }, { "SZ", 289 }, { "TD", 289 }, { "TG", 289 }, { "TH", 789 }, { "TJ", 619 },
	{ "TK", 889 }, { "TL", 789 }, { "TM", 619 }, { "TN", 189 }, { "TO", 889 }, { "TR", 89 }, { "TV", 889 },
	{ "TZ", 289 }, { "UA", 89 }, { "UG", 289 }, { "UZ", 619 }, { "VC", 389 }, { "VE", 489 }, { "VN", 789 },
	{ "VU", 889 }, { "WF", 889 }, { "WS", 889 }, { "YE", 589 }, { "ZA", 289 }, { "ZM", 289 }, { "ZW", 289 },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const region_def *find_region(int code)
{
	for (size_t i = 0; i < COUNT_OF(regions); i++)
		if (regions[i].code == code)
			return &regions[i];
	return NULL;
}

static int by_code(const void *key, const void *item)
{
	return strcmp(key, ((const country_region *)item)->iso2);
}

int region_of_country(const char *iso2)
{
	if (!iso2 || strlen(iso2) != 2)
		return REGION_NONE;
	const country_region *c = bsearch(iso2, countries, COUNT_OF(countries), sizeof *countries, by_code);
	return c ? c->region : REGION_NONE;
}

int region_parent(int region)
{
	const region_def *r = find_region(region);
	return r ? r->parent : REGION_NONE;
}

int region_known(int code) { return code != REGION_NONE && find_region(code) != NULL; }

const char *region_name(int region, const char *lang)
{
	const region_def *r = find_region(region);
	if (!r)
		return NULL;
	int l = lang && !strcmp(lang, "fr") ? 1 : lang && !strcmp(lang, "es") ? 2 : 0;
	return r->name[l];
}

int region_at(size_t i) { return i < COUNT_OF(regions) ? regions[i].code : REGION_NONE; }

const char *region_country_at(size_t i, int *region)
{
	if (i >= COUNT_OF(countries))
		return NULL;
	if (region)
		*region = countries[i].region;
	return countries[i].iso2;
}
