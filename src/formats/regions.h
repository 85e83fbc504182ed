/*
 * regions — the OECD DAC's regions of the countries that receive official
 * development assistance, as donors state their priorities in them and as
 * IATI's region vocabulary 1 codes them: 289 South of Sahara, 789 Far East
 * Asia, 298 Africa, ...
 *
 * Each country of the DAC List of ODA Recipients (by its ISO 3166-1
 * alpha-2 code) belongs to its most specific region, the one the DAC's
 * statistics file it under (PH → 789, SD → 289, EG → 189, AF → 679); a
 * country that is not an ODA recipient belongs to none.  A region may lie
 * within a larger one, its parent (289 and 189 within 298 Africa; 389 and
 * 489 within 498 America; 589, 619, 679, 689 and 789 within 798 Asia), so
 * that a country counts for its region and for the continent around it.
 *
 * Names are the regions' own, in English, French and Spanish ("Far East
 * Asia", "Extrême-Orient", "Lejano Oriente"), without the vocabulary's
 * ", regional", which says that aid went to the region as a whole: here a
 * region is a place that countries are in.
 *
 * A table built in, read only: no files, nothing allocated.
 */
#ifndef LIAISON_REGIONS_H
#define LIAISON_REGIONS_H

#include <stddef.h>

#define REGION_NONE 0

/* The region of the country whose ISO code is iso2 ("PH", upper case), or REGION_NONE. */
int region_of_country(const char *iso2);
/* The region that holds region (298 for 289), or REGION_NONE for a region that none holds, or an unknown one. */
int region_parent(int region);
/* 1 when code is one of the DAC regions this table knows. */
int region_known(int code);
/* The region's name in lang ("en", "fr", "es"; English for any other), or NULL for an unknown region. */
const char *region_name(int region, const char *lang);

/* The regions, in the table's order (continents after their parts): the i-th, or REGION_NONE past the last. */
int region_at(size_t i);
/* The countries, in the order of their codes: the i-th's code, its region in *region, or NULL past the last. */
const char *region_country_at(size_t i, int *region);

#endif
