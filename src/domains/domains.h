/*
 * domains — the areas of the department, each described by one table of
 * what it adds to Liaison (its kinds of record, routes, pages, roles,
 * figures, periodic passes, settings and first records), and the whole of
 * them gathered for the server and the command line.
 *
 * Adding an area is writing its table (src/domains/AREA/area.c) and one
 * line in domains.c's list; adding a kind to an area is one line in its
 * table's kinds.
 */
#ifndef LIAISON_DOMAINS_H
#define LIAISON_DOMAINS_H

#include "http/http.h"
#include "model/passes.h"
#include "model/registry.h"

typedef struct area {
	const char *name;
	const entity_def *const *kinds;   /* NULL-terminated, in any order (registry_build orders them) */
	const system_role *const *roles;  /* the area's system roles, NULL-terminated; or NULL */
	const route *routes;              /* its API routes, tried before the generic ones */
	size_t nroutes;
	const api_schema *schemas;        /* the named schemas its routes answer with, for OpenAPI; or NULL */
	const route *pages;               /* its own web pages */
	size_t npages;
	const gauge *gauges;              /* its figures on /metrics */
	size_t ngauges;
	const periodic_pass *passes;      /* its work caused by time (model/passes.h) */
	size_t npasses;
	/* Its settings from the --config file (NULL: the defaults); 0, or -1 with one line in err. */
	int (*configure)(const char *path, char *err, size_t errlen);
	/* What `liaison init` puts in a new database beyond the tables. */
	int (*seed)(store *s, const registry *reg, char *err, size_t errlen);
} area;

/* Parameters many areas' routes share. */
#define PARAM_ID { "id", PARAM_INTEGER, "the record's id", .min = 1, .max = INT64_MAX }
#define PARAM_PAGE_LIMIT { "limit", PARAM_INTEGER, "records on a page (50 when not given)", .min = 1, .max = 500 }
#define PARAM_PAGE_CURSOR { "cursor", PARAM_STRING, "the next_cursor of the page before" }

/* Every area's tables put together, in the areas' order. */
typedef struct domains {
	const entity_def **kinds;         /* the platform's kinds, then every area's */
	size_t nkinds;
	const system_role **roles;        /* NULL-terminated */
	route *routes;
	size_t nroutes;
	const api_schema **schemas;       /* NULL-terminated */
	route *pages;
	size_t npages;
	gauge *gauges;
	size_t ngauges;
	periodic_pass *passes;
	size_t npasses;
} domains;

/* Fills d from the areas' tables (memory that runs out aborts); release it
 * with domains_release. */
void domains_gather(domains *d);
void domains_release(domains *d);

/* Every area's settings from the --config file (NULL: the defaults), once
 * before serving or running passes; 0, or -1 with one line in err. */
int domains_configure(const char *path, char *err, size_t errlen);

/* What `liaison init` puts in a new database beyond the tables: each
 * area's first records (countries from iso-codes, the relationship types). */
int domains_seed(store *s, const registry *reg, char *err, size_t errlen);

#endif
