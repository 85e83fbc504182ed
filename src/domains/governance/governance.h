/*
 * governance — the governing bodies' sessions: the bodies and their notice
 * rules, sessions and their agendas, delegations,
 * decisions and resolutions, and the official documents with a version per
 * language.  The Governing Bodies Division prepares them; Member States'
 * delegates take part in them.
 */
#ifndef LIAISON_GOVERNANCE_H
#define LIAISON_GOVERNANCE_H

#include "http/http.h"
#include "model/registry.h"

extern const entity_def bodies, sessions, agenda_items, delegations, decisions, gb_documents, document_versions;

/* ---- rules (rules.c): the hooks the kinds above name ---- */
int body_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int session_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
/* The notice rule, as the guard of the move to "convened". */
int session_notice_given(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int agenda_item_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int delegation_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);

/* ---- documents (documents.c) ---- */
int document_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int decision_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int document_version_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);

/* ---- comparing texts (compare.c), the pages (pages.c), what the API answers (schemas.c) ---- */
void documents_compare(request *r);        /* GET /api/v1/documents/{id}/compare */
void document_compare_page(request *r);    /* GET /documents/{id}/compare */
void document_page(request *r);            /* GET /documents/{id}: the record, and its comparison's link */
extern const api_schema governance_schemas[];


#endif
