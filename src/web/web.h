/*
 * web — Liaison in a browser: pages rendered by the server from the
 * embedded templates, in the reader's language.
 *
 * A page handler is an ordinary route handler.  It opens a page (which
 * decides the language, checks the session and, for a form, its CSRF
 * token), puts what the template needs into p->ctx, and renders.  The
 * layout, the navigation, the language switch and the error pages are
 * the same for every page and live in page.c; the generic pages of every
 * kind of record (list, detail, form) in records.c; a domain adds only the
 * pages particular to it.
 */
#ifndef LIAISON_WEB_H
#define LIAISON_WEB_H

#include <jansson.h>

#include "http/http.h"
#include "model/access.h"
#include "model/i18n.h"

/* Templates and catalogs, once, before serving.  0, or -1 with a reason. */
int web_start(char *err, size_t errlen);
void web_stop(void);

extern const route web_routes_first[], web_routes[];  /* before and after the domains' pages */
extern const size_t nweb_routes_first, nweb_routes;

typedef enum page_need {
	PAGE_ANYONE,     /* the sign-in page, the public portal */
	PAGE_SIGNED_IN,  /* anyone with an account; else to the sign-in page */
	PAGE_ERROR,      /* an error page for any request: a body it came with is not read */
} page_need;

typedef struct page {
	request *r;
	int lang;                /* LANG_EN, LANG_FR, LANG_ES */
	json_t *ctx;             /* what the templates see */
	json_t *form;            /* a POST's fields, name → string */
	struct upload *files;    /* a POST's files (multipart) */
	user me;                 /* the reader, with the page's language (lists sort by it) */
	json_t *refs;            /* records referred to, already looked up for this page */
	json_t *picks;           /* per field of a form sent back: the records a name typed could mean */
} page;

/* Opens the page; -1 when it was answered already (a redirect to sign in,
 * a refused form).  Every opened page is closed with page_end. */
int page_begin(page *p, request *r, page_need need);
void page_end(page *p);

/* The shape of most page handlers: opens the page, gives body a model
 * context for the reader, closes both.  body answers (renders, redirects
 * or shows an error page). */
typedef void (*page_body)(page *p, model_ctx *m);
void page_run(request *r, page_need need, page_body body);

/* Interface text in the page's language. */
const char *page_tr(const page *p, const char *msgid);
/* A number as the page's language writes it (1,250 / 1 250 / 1.250), in the request's arena. */
const char *page_number(const page *p, int64_t n);
/* A sentence of the catalogs with its places {1}, {2}... filled, in the request's arena. */
const char *page_say(const page *p, const char *msgid, const char *const *values, int n);
/* Records and values as people read them, in the page's language; a time
 * in the reader's zone, which it names: "10 December 2026, 10:00 (Zurich)". */
void page_date(const page *p, const char *iso, buf *out);

/* How many records a page counts at most before it says "1,000+": a count
 * costs the rows it reads, each checked against what the reader may see
 * (ten thousand took a filtered list of organizations past 18 ms). */
#define PAGE_COUNT_MAX 1000
/* A count as the page's language writes it, "+" after it when it reached
 * PAGE_COUNT_MAX + 1 (count with model_count(..., PAGE_COUNT_MAX + 1, ...)). */
const char *page_count(const page *p, int64_t n);

/* ---- times in the reader's zone (zone.c) ---- */
#define WEB_ZONE_DEFAULT "Europe/Zurich"  /* a user who chose no zone */
const char *zone_of(const page *p);       /* the reader's zone's name */
void zone_city(const page *p, buf *out);  /* its last part, as people say it: "Zurich" */
/* A UTC time ("…Z") as the reader's wall time, still written "…Z"; -1 when it is no time. */
int zone_local(const page *p, const char *utc, char out[32]);
/* A wall time the reader typed ("2026-12-10T10:00", seconds optional) as UTC; -1 when it is none. */
int zone_utc(const page *p, const char *local, char out[32]);

/* Renders template (with the layout around it) as the answer. */
void page_render(page *p, int status, const char *tpl, const char *title);
void page_redirect(page *p, const char *location);  /* 303 See Other */
/* A friendly error page for 400, 403, 404, 409, 500…; detail may be NULL. */
void page_error(page *p, int status, const char *detail);
/* The outcome of a model operation that failed, as an error page. */
void page_model_error(page *p, const model_ctx *m);

/* A field of the POST's form, or NULL. */
const char *page_field(const page *p, const char *name);
/* s without the spaces and line ends around it, in the request's arena. */
char *page_trim(const page *p, const char *s);
/* A file of a multipart POST, or NULL: its bytes and size. */
const char *page_file(const page *p, const char *name, size_t *len);
/* The name the sender's computer gave that file, or NULL (not checked: see formats/filetype.h). */
const char *page_file_name(const page *p, const char *name);
/* A form's file (its field "file") given to the record of kind the path's {id} names, taken by take as
 * the page's user; then back to the record's page, or the error page saying why not. */
void page_file_given(request *r, const char *kind, file_taker take);

/* A model's field error in the reader's language; the first error of the
 * form field name (its languages "name.fr" and items "name[2]" included). */
const char *field_error_text(const page *p, const char *message);
const char *field_error_for(const page *p, const model_ctx *m, const char *name);
/* Marks each of m's errors on its field in fields (objects with "name" and
 * "label") and sets the page's summary, "errors" (text, label, href) and
 * "invalid"; e, or NULL, names the fields the form does not show. */
void field_errors_show(page *p, const model_ctx *m, json_t *fields, const entity *e);

/* The query parameter, or NULL. */
const char *page_query(const page *p, const char *name);
/* r->url with its query, lang replaced (for the language switch). */
char *page_url_with(const page *p, const char *name, const char *value);

/* The reader, for model calls made for this page. */
const user *page_user(const page *p);
/* A URL component, percent-encoded. */
void page_url_component(buf *out, const char *s);

/* ---- views of records (view.c) ---- */
json_t *view_body(model_ctx *m);  /* the model's JSON answer, parsed */
/* The items of a page of e's list as the API lists them, for the reader (an empty array when the list
 * cannot be read): what a domain's page shows of a list of its own. */
json_t *view_list_items(page *p, const entity *e, const list_params *lp);
const char *view_langtext(const page *p, json_t *obj, const char **lang);
const char *view_enum_label(const page *p, const field_def *f, const char *value);
const char *view_title(const page *p, const entity *e, json_t *rec, const char **lang);
char *view_href(const page *p, const entity *e, json_t *rec);
json_t *view_ref(page *p, const char *kind, json_t *value);
/* The records of kind e with these ids (a JSON array of integers) that the
 * reader may see, in one query; and the same looked up for the view_ref
 * calls that follow: one query for a whole list, not one per row. */
json_t *view_records(page *p, const entity *e, json_t *ids);
void view_refs_load(page *p, const char *kind, json_t *ids);
json_t *view_value(page *p, const field_def *f, json_t *value);  /* NULL when empty */
/* An amount (the API's {"amount", "currency"}) as the reader's language writes it, appended to out. */
void view_money(page *p, json_t *money, buf *out);
json_t *view_facts(page *p, const entity *e, json_t *rec);
json_t *view_complete(json_t *v);
const char *view_classification(const page *p, const char *value);  /* every key of a value view present (null when absent) */

/* ---- reference fields in forms, chosen by name (pick.c) ---- */
/* Whether field f is a picker in forms: links, or a reference to a kind people find by name. */
int pick_is_picker(const page *p, const field_def *f);
/* What the form shows of picker f: the records chosen (rec's, or as the form was sent), and
 * those a name typed could mean; set in the field's view v. */
void pick_view(page *p, const field_def *f, json_t *rec, json_t *v);
/* Picker f's value as the API takes it, from the form sent; NULL when it sets none.  A name
 * typed that fits no record, or several, is a field error in m (the several kept in p->picks). */
json_t *pick_value(page *p, model_ctx *m, const field_def *f, int creating);

/* ---- the generic pages of a kind (records.c), for domains to build on ---- */
/* Puts the record (as a view) into p->ctx.record and answers errors itself;
 * returns the parsed record (json_decref it) or NULL when answered. */
json_t *records_load(page *p, const entity *e, const char *id);
/* The kind named, if it has pages and the user may do op on it; else NULL
 * with the 404 or 403 page answered. */
const entity *records_writable(page *p, const char *name, access_op op);
void records_detail_render(page *p, const entity *e, json_t *rec, const char *tpl);
/* A part of e's form shown elsewhere (a panel on a record's page): the fields
 * named ("division" and "classification" among them) as templates/field.html
 * shows them, with m's errors (may be NULL) beside them; and those fields of
 * the form sent as the patch model_update takes (pickers' names typed looked
 * up, a field error in m when they fit no record or several). */
json_t *records_form_fields(page *p, const entity *e, json_t *rec, const model_ctx *m, const char *const *names);
json_t *records_form_patch(page *p, model_ctx *m, const entity *e, const char *const *names);
/* ctx.related: the records that point to rec, per referring field (related.c). */
void related_view(page *p, const entity *e, json_t *rec);
void timeline_view(page *p, const entity *e, json_t *rec);   /* its events, when some dated kind refers to it */
/* ctx.mail: the record's mail in the outbox and what became of it, when it has any (mail.c). */
void mail_view(page *p, const entity *e, json_t *rec);
/* ctx.merges: the merges into rec, each a link to its page, where it can be undone (transfer.c). */
void merges_view(page *p, const entity *e, json_t *rec);
/* ctx.grants, for the creator or an administrator of a confidential record (grants.c). */
void grants_view(page *p, const entity *e, json_t *rec);

/* Handlers */
void web_static_file(request *r);
void web_error_page(request *r, int status);  /* app.error_page: the error page for status */
void web_sign_in_form(request *r);
void web_sign_in(request *r);
void web_sign_out(request *r);
void web_home(request *r);
void web_search(request *r);
void web_list(request *r);
void web_detail(request *r);
void web_new(request *r);
void web_create(request *r);
void web_edit(request *r);
void web_update(request *r);
void web_archive(request *r);
void web_transition(request *r);
void web_erase_form(request *r);
void web_erase(request *r);
void web_grant(request *r);
void web_ungrant(request *r);

#endif
