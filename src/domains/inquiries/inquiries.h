/*
 * inquiries — the first port of call: inquiries from Member States,
 * partners, journalists and the public, whatever channel they came by
 * (the public form, the API, e-mail, staff entry), routed to a division,
 * answered on time in the requester's language; the canned answers and
 * knowledge-base articles that help answer them; and briefings for
 * visiting delegations.
 */
#ifndef LIAISON_INQUIRIES_H
#define LIAISON_INQUIRIES_H

#include "domains/inquiries/sla.h"
#include "formats/ical.h"
#include "http/http.h"
#include "model/registry.h"

extern const entity_def inquiries, inquiry_messages, canned_answers, kb_articles, routing_rules, briefings;

/* The desk's own system role: the intake of mail and of the public form,
 * which reads every inquiry (to thread a message into it) and writes only
 * what the kinds below let it. */
#define ROLE_INTAKE ROLE_SYSTEM
#define WHO_INTAKE ROLE_BIT(ROLE_INTAKE)
extern const system_role intake_role;

/* The desk's settings: the business calendar, the targets per priority (in
 * working seconds), and whom its mail comes from (which relay takes it is
 * the outbox's setting, model/outbox.h). */
typedef struct desk_config {
	bizcal cal;
	int64_t first_response[4], resolution[4];  /* by priority: low, normal, high, urgent */
	char from_addr[128], from_name[128];
	char loop_id[64];     /* this installation's X-Liaison-Loop value */
	char mail_dir[512];   /* where received messages are kept (attachments are read back from them) */
	unsigned intake_per_hour;  /* public form submissions per address and hour */
	char maildir[512];    /* the Maildir read while serving, or "": its quarantine is counted on /metrics */
	char time_zone[64];   /* the calendar's zone by name: a briefing's when it names none */
	/* The organization's name per language, on the briefing pack's cover; "" where
	 * the settings give none (the catalog's name of the department is used then). */
	char org_name[NLANGS][200];
} desk_config;

/* Reads the settings (JSON, see docs/inquiries.md) from path, or the
 * defaults when path is NULL.  Once, before serving or importing. */
int desk_configure(const char *path, char *err, size_t errlen);
const desk_config *desk(void);
void desk_watch(const char *maildir);  /* the Maildir `liaison serve --maildir` reads, or NULL */
void desk_release(void);

/* ---- the desk's figures on /metrics (gauges.c): 0, or -1 when unknown ---- */
/* The desk's queue (queue.c): its filters, as the API's and the page's
 * addresses give them, and the conditions they make. */
typedef struct desk_filter {
	int mine, overdue;
	const char *division;    /* NULL: every division */
	const char *status;      /* NULL: every status but closed */
} desk_filter;
int desk_conditions(const desk_filter *f, int64_t me, const char *now, store_cond w[4]);
/* The home page's counts of the desk and the briefings (home.c). */
extern const home_count inquiry_counts[];
extern const home_count briefing_counts[];

int desk_gauge_open(store *st, double *value);
int desk_gauge_overdue(store *st, double *value);
int desk_gauge_failed_deliveries(store *st, double *value);
int desk_gauge_quarantined(store *st, double *value);

/* ---- hooks and workflow (desk.c) ---- */
int inquiries_prepare(model_ctx *m, store_conn *c, const entity *e, record *r);
/* The clocks' part of a move of the workflow (entities.c), as its on_move hook. */
int inquiries_moved(model_ctx *m, store_conn *c, const entity *e, record *after);
/* Moves an inquiry to status along its workflow, inside the caller's transaction. */
int inquiries_set_status(model_ctx *m, store_conn *c, const char *id, const char *status, record *out);
/* A word from the requester: an answered, waiting or closed inquiry is assigned again. */
int inquiries_reopen(model_ctx *m, store_conn *c, record *inq);
/* Adds a message to an inquiry's thread ("in", "out" or "note") inside the
 * caller's transaction; an outgoing one marks the first response. */
int inquiries_add_message(model_ctx *m, store_conn *c, record *inquiry, json_t *message, record *out);

/* A reply ("out", queued in the outbox with the message when a relay is
 * set up, else kept as a draft) or a note:
 * its body, or a canned answer's text in the inquiry's language, with a
 * knowledge-base article's text under it; wait moves the inquiry to waiting
 * on the requester instead of answered. */
typedef struct reply {
	const char *direction;   /* "out" or "note" */
	const char *body, *canned, *article;
	int wait;
} reply;
int inquiries_respond(model_ctx *m, const char *id, const reply *rp, record *msg);
/* The outbox's word on a reply (its on_mail hook): delivery and delivery_error follow. */
int inquiries_delivered(model_ctx *m, store_conn *c, const entity *e, int64_t id, const char *state, const char *reason);
/* A new inquiry from the public form's fields (name, email, subject,
 * message, language); the reference and the tracking token come back. */
int inquiries_intake(model_ctx *m, json_t *fields, char reference[32], char token[65]);
int inquiries_intake_allowed(request *r, unsigned *wait);  /* the rate limit: 0 when over */
/* A robot's receipt (it filled the hidden field): shaped like a real one, kept nowhere. */
void inquiries_decoy(char reference[32], char token[65]);
/* The requester's answer from the tracking page, their token proving who
 * they are: a received message in the thread (as from their e-mail), and the
 * inquiry reopened as their e-mail would; m is the intake's.  404 for a
 * wrong reference or token, 422 with the field "message". */
int inquiries_requester_answer(model_ctx *m, const char *reference, const char *token, const char *text);
/* What the requester sees with their token: status and what was sent them. */
int inquiries_public_view(model_ctx *m, store_conn *c, const char *reference, const char *token, buf *out);
extern const user intake_user;  /* who writes what the public and e-mail bring */
/* A canned answer's text with "{name}" and "{reference}" filled in. */
char *canned_fill(model_ctx *m, const char *text, const char *name, const char *ref);
int inquiries_token_matches(model_ctx *m, const record *r, const char *token);

/* ---- routing (routing.c) ---- */
/* Applies the first routing rule that matches the new inquiry: division,
 * owner, priority, and why, into the record. */
int routing_apply(model_ctx *m, store_conn *c, record *inquiry);
/* The facts of an English routed_by sentence, for an inquiry routed before
 * they were kept beside it (the same shape as its routing); NULL when the
 * sentence is not one routing writes. */
json_t *routing_facts_from(const char *routed_by);

/* ---- e-mail in (mailin.c) ---- */
typedef struct mail_report {
	size_t read, imported, joined, ignored, quarantined;
} mail_report;
/* Imports every message of a Maildir's new/ (then moved to cur/). */
int mailin_import_dir(store *st, const registry *reg, const char *dir, mail_report *rep, char *err, size_t errlen);
/* The bytes of a file of the Maildir, NUL-terminated, to free(), when it is
 * a regular file; NULL with why (a line for the .reason file) when it is
 * anything else, which is never opened, or NULL alone when it cannot be
 * read (gone, not readable). */
char *mailin_read(const char *path, size_t *len, const char **why);

/* ---- briefings in calendars (invitations.c) ---- */
/* A briefing (as the API writes it) as a calendar event, without
 * attendees, strings in m's arena; -1 when it has no confirmed time. */
int briefing_event(model_ctx *m, json_t *briefing, ical_event *ev);
int briefing_cancelled(json_t *briefing);   /* cancelled, or archived */
struct page;
/* The organization's name in the page's language: the settings' (organization_name), else the catalog's. */
const char *inquiries_org_name(const struct page *p);
void briefing_page_render(struct page *p);                      /* briefings.c */
void briefing_invitation_actions(struct page *p, json_t *rec);   /* its invitation's links and button */

/* Invented routing rules and n inquiries (demo.c). */
int inquiries_demo(store *st, const registry *reg, long n, char *err, size_t errlen);
/* 1 when the database has inquiries already (why says so), 0 when it has none, -1 when it cannot tell. */
int inquiries_demo_present(store *st, char *why, size_t whylen);

/* ---- routes ---- */
extern const api_schema inquiries_schemas[];  /* what they read and answer, for OpenAPI (schemas.c) */
void inquiries_queue(request *r);
void inquiries_numbers(request *r);
void inquiries_split(request *r);
void inquiries_attachment(request *r);
void inquiries_reply(request *r);
void inquiries_note(request *r);
void inquiries_thread(request *r);
void public_inquiry_create(request *r);
void desk_page(request *r);
void inquiry_page(request *r);
void inquiry_reply_page(request *r);
void inquiry_triage_page(request *r);
void ask_page(request *r);
void ask_submit(request *r);
void track_page(request *r);
void track_answer(request *r);
void help_page(request *r);
void help_article_page(request *r);
void briefings_ics(request *r);
void briefings_invite(request *r);
void briefing_invite_page(request *r);
void briefings_feed(request *r);
void briefing_page(request *r);
void briefings_calendar(request *r);
void briefing_pack_page(request *r);
void briefing_pack_pdf(request *r);
void public_inquiry_track(request *r);

#endif
