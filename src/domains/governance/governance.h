/*
 * governance — the governing bodies' sessions: the bodies and their notice
 * rules, sessions and their agendas, delegations and the speakers' list,
 * decisions and resolutions, and the official documents with a version per
 * language.  The Governing Bodies Division prepares them; Member States'
 * delegates take part in them.
 */
#ifndef LIAISON_GOVERNANCE_H
#define LIAISON_GOVERNANCE_H

#include "http/http.h"
#include "model/registry.h"

extern const entity_def bodies, sessions, agenda_items, delegations, speaker_requests, decisions, gb_documents,
	document_versions;

/* ---- rules (rules.c): the hooks the kinds above name ---- */
int body_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int session_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
/* The notice rule, as the guard of the move to "convened". */
/* "10:00" as minutes since midnight, or -1 when it is no time of day. */
int session_minutes(const char *hhmm);
int session_notice_given(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int agenda_item_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int delegation_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int speaker_request_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);

/* ---- documents (documents.c) ---- */
int document_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
int decision_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);
/* The document's versions written again after it, so that who reads them follows its distribution. */
int document_versions_follow(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *doc);
int document_version_rules(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *r);

/* ---- comparing texts (compare.c), the pages (pages.c), what the API answers (schemas.c) ---- */
void documents_compare(request *r);        /* GET /api/v1/documents/{id}/compare */
void document_compare_page(request *r);    /* GET /documents/{id}/compare */
void document_page(request *r);            /* GET /documents/{id}: the record, and its comparison's link */
extern const api_schema governance_schemas[];


/* ---- calendars (feeds.c): all sessions, a body's, one session's, in ?lang= ---- */
void sessions_feed(request *r);        /* GET /api/v1/sessions/calendar.ics */
void body_sessions_feed(request *r);   /* GET /api/v1/bodies/{series}/calendar.ics */
void session_feed(request *r);         /* GET /api/v1/sessions/{id}/calendar.ics */

/* ---- a language version's file (files.c) ---- */
void document_file_put(request *r);   /* PUT /api/v1/document-versions/{id}/file */
void document_file_get(request *r);   /* GET /api/v1/document-versions/{id}/file */
void document_file_page(request *r);  /* POST /document-versions/{id}/file: the version page's form */
void version_page(request *r);        /* GET /document-versions/{id}: the version, its file and the form to give one */

/* ---- a delegation's credentials (credentials.c) ---- */
void credentials_put(request *r);    /* PUT /api/v1/delegations/{id}/credentials */
void credentials_get(request *r);    /* GET /api/v1/delegations/{id}/credentials */
void credentials_form(request *r);   /* POST /delegations/{id}/credentials: the delegation page's form */
void delegation_page(request *r);    /* GET /delegations/{id}: the delegation, its credentials and the form to send them */

/* ---- demo data (demo.c) ---- */
/* Invented bodies, sessions, agendas and documents: versions language versions in all. */
int governance_demo(store *st, const registry *reg, long versions, char *err, size_t errlen);
/* 1 when the database has governing bodies already (why says so), 0 when none, -1 when it cannot tell. */
int governance_demo_present(store *st, char *why, size_t whylen);

/* ---- pages (pages.c, participants.c) ---- */
struct page;
/* Every record of kind whose field "session" is the session's id, in sort order, as the page's reader may read them. */
json_t *session_records(struct page *p, const char *kind, const char *session, const char *sort);
void session_page(request *r);   /* GET /sessions/{id}: the session with its documents in every language */
void sessions_calendar(request *r);  /* GET /sessions/calendar?year=2027: the year's sessions by month */
void participants_page(request *r);  /* GET /sessions/{id}/participants, .csv, .pdf: in the page's language */
void participants_csv(request *r);
void participants_pdf(request *r);

#endif
