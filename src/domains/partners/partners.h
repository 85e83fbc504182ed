/*
 * partners — the registry of whom the department deals with: countries,
 * organizations, persons, the relationships between them and the log of
 * interactions with them.
 */
#ifndef LIAISON_PARTNERS_H
#define LIAISON_PARTNERS_H

#include "http/http.h"
#include "model/registry.h"

extern const entity_def countries, organizations, persons, relationship_types, relationships,
	interactions, follow_ups;
extern const char *const org_types[], *const org_type_labels[];  /* an organization's type, and its label */

int countries_seed(store *s, const registry *reg, char *err, size_t errlen);
int relationship_types_seed(store *s, const registry *reg, char *err, size_t errlen);
/* 1 when partners of the organization speak for a Member State: a government or permanent mission
 * of a member country (a document distributed to Member States is shared with them). */
int partners_member_state(model_ctx *m, int64_t org_id);
int partners_demo(store *st, const registry *reg, long scale, char *err, size_t errlen);
/* 1 when the database has partners already (why says so), 0 when it has none, -1 when it cannot tell. */
int partners_demo_present(store *st, char *why, size_t whylen);

/* The named schemas of the routes below, for OpenAPI (schemas.c). */
extern const api_schema partners_schemas[];
void organizations_relationships(request *r);
void persons_relationships(request *r);
void persons_vcard(request *r);
void persons_vcard_list(request *r);
void duplicates_list(request *r);
void duplicates_dismissal(request *r);

/* The same as a model operation, for the pages: relationships of an
 * organization or person labelled from that end (NULL on error). */
json_t *partners_relationships(model_ctx *m, const char *end_kind, const char *id, const char *cursor, int64_t limit);

/* Pages */
void organizations_page(request *r);
void persons_page(request *r);
void duplicates_page(request *r);
void duplicates_dismiss_page(request *r);

/* Persons (a JSON array, as the API writes them) as vCards 4.0, appended to
 * out; -1 with m's error. */
int persons_cards(model_ctx *m, json_t *people, buf *out);

#endif
