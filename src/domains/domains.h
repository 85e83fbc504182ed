/*
 * domains — every kind of record Liaison knows and every route a domain
 * adds to the generic API, gathered in one place for the server and the
 * command line.
 */
#ifndef LIAISON_DOMAINS_H
#define LIAISON_DOMAINS_H

#include "http/http.h"
#include "model/passes.h"
#include "model/registry.h"

extern const entity_def *const all_entities[];
extern const size_t nall_entities;
extern const system_role *const domain_roles[];  /* the areas' system roles, NULL-terminated */
extern const route domain_routes[];
extern const size_t ndomain_routes;
extern const api_schema *const domain_schemas[];  /* the routes' named schemas, by area */
extern const route domain_pages[];   /* the domains' own web pages */
extern const size_t ndomain_pages;
extern const gauge domain_gauges[];  /* the areas' figures on /metrics */
extern const size_t ndomain_gauges;
extern const periodic_pass domain_passes[];  /* the areas' periodic passes (model/passes.h) */
extern const size_t ndomain_passes;

/* The areas' settings from the --config file (NULL: the defaults), once
 * before serving or running passes; 0, or -1 with one line in err. */
int domains_configure(const char *path, char *err, size_t errlen);

/* What `liaison init` puts in a new database beyond the tables: countries
 * from iso-codes, the relationship types. */
int domains_seed(store *s, const registry *reg, char *err, size_t errlen);

#endif
