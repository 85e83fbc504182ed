/*
 * domains — the list of the department's areas, and their tables gathered
 * into the ones the server and the command line read (see domains.h).
 */
#include "domains/domains.h"

#include <stdlib.h>
#include <string.h>

#include "model/accounts.h"

extern const area partners_area, inquiries_area, governance_area, meetings_area, translation_area, donors_area;

/* The tests' build (liaison-specimens) adds a kind of its own, to show that
 * a kind needs nothing beyond its description and its line in an area. */
#ifdef LIAISON_SPECIMENS
extern const entity_def specimens;
static const area tests_area = { .name = "tests", .kinds = (const entity_def *const[]){ &specimens, NULL } };
#define TESTS_AREA &tests_area,
#else
#define TESTS_AREA
#endif

static const area *const areas[] = {
	&partners_area, &inquiries_area, &governance_area, &meetings_area, &translation_area, &donors_area,
	TESTS_AREA
};

/* The kinds the platform itself keeps: accounts are records too. */
static const entity_def *const platform_kinds[] = { &users_entity };

static void *grown(void *p, size_t count, size_t size)
{
	void *q = realloc(p, (count ? count : 1) * size);
	if (!q)
		abort();
	return q;
}

/* Appends n items of size bytes to *list (holding *len). */
static void append(void *list, size_t *len, const void *items, size_t n, size_t size)
{
	void **l = list;
	*l = grown(*l, *len + n, size);
	if (n)
		memcpy((char *)*l + *len * size, items, n * size);
	*len += n;
}

static size_t null_ended(const void *const *list)
{
	size_t n = 0;
	while (list && list[n])
		n++;
	return n;
}

void domains_gather(domains *d)
{
	size_t nroles = 0, nschemas = 0;
	memset(d, 0, sizeof *d);
	append(&d->kinds, &d->nkinds, platform_kinds, COUNT(platform_kinds), sizeof *d->kinds);
	for (size_t i = 0; i < COUNT(areas); i++) {
		const area *a = areas[i];
		append(&d->kinds, &d->nkinds, a->kinds, null_ended((const void *const *)a->kinds), sizeof *d->kinds);
		append(&d->roles, &nroles, a->roles, null_ended((const void *const *)a->roles), sizeof *d->roles);
		append(&d->routes, &d->nroutes, a->routes, a->nroutes, sizeof *d->routes);
		if (a->schemas)
			append(&d->schemas, &nschemas, &a->schemas, 1, sizeof *d->schemas);
		append(&d->pages, &d->npages, a->pages, a->npages, sizeof *d->pages);
		append(&d->gauges, &d->ngauges, a->gauges, a->ngauges, sizeof *d->gauges);
		append(&d->passes, &d->npasses, a->passes, a->npasses, sizeof *d->passes);
	}
	append(&d->roles, &nroles, &(const system_role *){ NULL }, 1, sizeof *d->roles);
	append(&d->schemas, &nschemas, &(const api_schema *){ NULL }, 1, sizeof *d->schemas);
}

void domains_release(domains *d)
{
	free(d->kinds);
	free(d->roles);
	free(d->routes);
	free(d->schemas);
	free(d->pages);
	free(d->gauges);
	free(d->passes);
	memset(d, 0, sizeof *d);
}

int domains_configure(const char *path, char *err, size_t errlen)
{
	for (size_t i = 0; i < COUNT(areas); i++)
		if (areas[i]->configure && areas[i]->configure(path, err, errlen))
			return -1;
	return 0;
}

int domains_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	for (size_t i = 0; i < COUNT(areas); i++)
		if (areas[i]->seed && areas[i]->seed(s, reg, err, errlen))
			return -1;
	return 0;
}
