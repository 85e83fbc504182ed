/*
 * http — the server's shared vocabulary: the application context, a request
 * with its answer, routes, and the helpers that write answers.
 *
 * A handler reads the request (method, path segments, query, parsed JSON
 * body, the authenticated user) and leaves an answer in it (status,
 * content type, body, headers).  server.c turns that into bytes.
 */
#ifndef LIAISON_HTTP_H
#define LIAISON_HTTP_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "model/accounts.h"
#include "model/files.h"
#include "model/model.h"

struct MHD_Connection;
struct request;
typedef void (*handler_fn)(struct request *r);

/*
 * What the OpenAPI description says of a route, declared in the route's own
 * table entry (openapi.c writes the document from it).  A body is one of: a
 * record of a kind, a list page of them, a new record or a merge patch of
 * one (requests), a schema of components/schemas by name (the platform's in
 * openapi.c, an area's in its api_schema table), the problem document, or
 * another media type.  The kind is `schema`, or the path's {kind} when NULL.
 */
typedef enum api_body {
	BODY_DEFAULT,   /* answers: none for 204 and 304, the problem document from 400 on */
	BODY_RECORD,
	BODY_PAGE,      /* {"items": [records], "next_cursor": "…" | null} */
	BODY_NEW,       /* a new record: its required fields, none of the read-only ones */
	BODY_PATCH,     /* application/merge-patch+json: every member optional */
	BODY_TRANSITION,  /* {"to": a state of the kind's workflow, and the patch's members} */
	BODY_EXPORT,    /* everything held on a record: the record, the records referring to it, its audit */
	BODY_TIMELINE,  /* {"items": [{"kind", "date", "record"}], "next_cursor"}: the events about a record */
	BODY_NAMED,     /* schema: its name in components/schemas */
	BODY_MEDIA,     /* schema: the media type, "text/csv" (any body of it) */
	BODY_NONE,      /* explicitly none */
} api_body;

/* Response headers an answer declares (components/headers). */
enum api_header {
	HDR_LOCATION = 1 << 0, HDR_ETAG = 1 << 1, HDR_RETRY_AFTER = 1 << 2, HDR_DISPOSITION = 1 << 3,
	HDR_SET_COOKIE = 1 << 4,
};

typedef struct api_answer {
	int status;           /* 0 ends a list of answers; unused for a request body */
	api_body body;
	const char *schema;
	unsigned headers;     /* api_header flags */
	const char *about;    /* when: "a likely duplicate (with candidates)" */
} api_answer;

typedef enum api_type { PARAM_STRING, PARAM_INTEGER, PARAM_BOOLEAN, PARAM_FILTERS } api_type;

/* A query parameter, a path one when the pattern names it ({id}), or a
 * header; a path parameter not listed is a string (the generic routes' {id}
 * is their kind's id or key).  PARAM_FILTERS stands for the list filters
 * (FIELD=VALUE) of the kind it names, or of the path's {kind} when it names
 * none: one parameter per field. */
typedef struct api_param {
	const char *name;     /* NULL ends a list */
	api_type type;
	const char *about;
	int required;
	const char *const *values;  /* one of these, NULL-terminated */
	long long min, max;         /* integer bounds when min < max */
	int header;                 /* a request header, not a query parameter */
	const char *kind;           /* PARAM_FILTERS: whose */
} api_param;

/* The named schemas an area (or the platform) declares: JSON Schema as
 * text, written in C with API_JSON({...}) so that it reads as JSON. */
typedef struct api_schema {
	const char *name;     /* NULL ends a table */
	const char *json;
} api_schema;
#define API_JSON(...) #__VA_ARGS__
#define API_ANSWERS(...) ((const api_answer[]){ __VA_ARGS__, { 0 } })
#define API_PARAMS(...) ((const api_param[]){ __VA_ARGS__, { 0 } })

typedef struct route {
	const char *method;   /* "GET", ... */
	const char *pattern;  /* "/api/v1/organizations/{id}/timeline": {x} matches one segment */
	handler_fn fn;
	int no_auth;          /* answers without credentials (healthz, the session form) */
	const char *summary;  /* for OpenAPI, and the rest: */
	int guests;           /* credentials optional: without, the caller sees what is public */
	const api_param *params;
	api_answer request;   /* the body it reads: .body and .schema */
	int body_optional;    /* the body may be left out (every member has a default) */
	/* What it answers beyond what follows from the above (openapi.c adds
	 * 401 and the CSRF 403 where credentials are read, 404 where the path
	 * names something, 400, 413 and 415 where a JSON body is read). */
	const api_answer *answers;
	unsigned only;        /* a {kind} route only for kinds with: ONLY_* */
	size_t max_body;      /* bytes of body it takes (a document's file), 0: the server's limit */
} route;

enum { ONLY_WORKFLOW = 1 << 0, ONLY_PERSONAL = 1 << 1, ONLY_TIMELINE = 1 << 2 };
/* Whether route rt serves kind e: the kind offers the method, and has what .only asks. */
int route_serves(const route *rt, const registry *reg, const entity *e);

extern const route platform_routes[];
extern const size_t nplatform_routes;

typedef struct limits {
	size_t max_body;          /* bytes; 413 beyond */
	unsigned threads;
	unsigned timeout;         /* seconds a connection may stay idle or slow */
	unsigned max_connections;
	size_t max_header;        /* bytes of memory per connection for the request head */
	unsigned per_address;     /* connections open at once from one client address */
	unsigned head_timeout;    /* seconds to send a request's line and headers */
	unsigned body_timeout;    /* seconds to send a request's body, once its head is in */
} limits;

#define NBUCKETS 12
#define NSERIES 2048  /* (route, status) pairs counted; far more than the routes answer */
typedef struct metric_series {
	atomic_int state;                        /* 0 free, 1 being claimed, 2 in use */
	const char *route;                       /* the route's pattern, "" when none matched */
	int status;
	atomic_uint_fast64_t n;
} metric_series;
typedef struct metrics {
	metric_series series[NSERIES];           /* requests by route and status, hashed */
	atomic_uint_fast64_t buckets[NBUCKETS];  /* latency histogram, cumulative on output */
	atomic_uint_fast64_t count, micros_sum;
} metrics;

/* A figure an area reports on /metrics (open inquiries...), read when scraped. */
typedef struct gauge {
	const char *name;  /* liaison_inquiries_open */
	const char *help;
	int (*read)(store *st, double *value);  /* 0, or -1 when it cannot be told now (left out) */
} gauge;

struct ratelimit;
struct authcache;

typedef struct app {
	store *st;
	registry reg;
	const route *routes;     /* the domains' routes, tried before the platform's */
	size_t nroutes;
	const route *pages[3];   /* pages, tried after the API: generic, the domains', generic */
	size_t npages[3];
	const api_schema *const *schemas;  /* the areas' named schemas for OpenAPI: tables, then NULL */
	const gauge *gauges;     /* the areas' figures on /metrics */
	size_t ngauges;
	/* Answers a problem outside /api (unknown address, wrong method, body
	 * too large...) as a page in the reader's language; see http_error. */
	void (*error_page)(struct request *r, int status);
	limits lim;
	metrics met;
	const char *const *metrics_from;  /* addresses that may read /metrics without credentials; NULL-terminated */
	struct ratelimit *logins;
	struct ratelimit *intake;   /* the public inquiry form, per address */
	struct authcache *tokens;   /* recently checked API tokens */
	int secure_cookies;         /* reached over HTTPS (TLS here, or a proxy's): cookies are Secure */
	const char *tls_cert, *tls_key;  /* PEM: the server speaks TLS itself; NULL: plain HTTP */
} app;

#define MAX_SEGS 8
#define MAX_HEADERS 8

typedef struct request {
	app *app;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	const char *segs[MAX_SEGS];   /* the path split at '/', without the empty first one */
	int nsegs;
	const char *params[MAX_SEGS]; /* the {x} segments of the matched route, in order */
	int nparams;
	const route *route;           /* the route the path matched (for the metrics), or NULL */
	buf body_in;
	size_t body_limit;            /* bytes of body taken (router_body_limit), 413 beyond */
	int refused;                  /* a status the server answers before routing (400, 413), else 0 */
	json_t *json;                 /* the parsed body, when the handler asked for it */
	account acct;
	const user *u;                /* &acct.u, or the public user */
	int via_session;
	char remote[64];              /* the client's address: read it with http_remote */
	arena a;
	uint64_t started;
	/* the answer */
	int status;
	const char *content_type;
	buf out;
	const char *hname[MAX_HEADERS], *hvalue[MAX_HEADERS];
	int nheaders;
	struct http_stream *stream;   /* an answer written piece by piece (http_stream), or NULL */
} request;

/* Reading the request. */
const char *http_header(request *r, const char *name);
const char *http_query(request *r, const char *name);
/* ?limit=: a whole number from 1 to 500, dflt when not given; -1 when it is
 * not, with the 400 answered. */
int64_t http_limit(request *r, int64_t dflt);
/* The language to answer in: Accept-Language when the request has it, else
 * the user's own (an index into registry_langs). */
int http_lang(request *r);
/* 1 when a body declared so may be XML: any type ending in +xml, application/xml, text/xml, bytes of
 * no type said (application/octet-stream), or no Content-Type at all; the file's own reader decides. */
int http_xml_declared(const char *content_type);
int http_json_body(request *r);         /* parses r->json; answers 400/415 itself and returns -1 */
/* Whether the entity-tags of header (If-Match, If-None-Match: every line, as
 * one list, or "*") name the record at version: 1 when one does, 0 when none
 * does, -1 when the header is malformed, -2 when absent.  weak: compare as
 * If-None-Match does (W/"3" names version 3); else strongly, as If-Match
 * does (a weak tag names nothing). */
int http_etag_match(request *r, const char *header, int64_t version, int weak);
/* One line of such a header, a list of entity-tags or "*": 1 when one names
 * tag (quotes included: "\"3\""), 0 when none does, -1 when it is not such
 * a list. */
int http_etag_list(const char *line, const char *tag, int weak);
/* Percent-decodes s in place, except %00, which stays as it is; the length. */
size_t http_unescape(char *s);

/* Writing the answer. */
void http_header_add(request *r, const char *name, const char *value);  /* value copied */
void http_json(request *r, int status, const buf *body);
/* RFC 9457, type about:blank: the title is the status phrase; a title more
 * specific than that opens the detail ("Likely duplicate: …"). */
void http_problem(request *r, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *http_status_phrase(int status);  /* RFC 9110's: "Not Found"; NULL when unknown */
/* The same under /api/; elsewhere the application's error page for status. */
void http_error(request *r, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int http_is_api(const request *r);  /* 1 when the path is under /api/ */
void http_model(request *r, model_ctx *m);  /* the outcome of a model operation */
void http_text(request *r, int status, const char *type, const char *body, size_t n);
/* The file kept for the record of kind e named by the path's {id} (model/files.h), as it was given,
 * to m's user who may read the record; 404 with none's words when it has none. */
void http_kept_file(request *r, model_ctx *m, const entity *e, const file_table *t, const char *none);
/* A file given to the record the path's {id} names: the body, its Content-Type and ?name=, taken by take
 * as the caller; the record, or the problem. */
void http_file_given(request *r, file_taker take);
/*
 * An answer too long to hold (a whole termbase), written piece by piece as
 * the client takes it: next appends the answer's next piece to out and
 * returns 1 while more may follow, 0 with the last piece, -1 when it cannot
 * go on, which cuts the connection so that the client sees an answer broken
 * off rather than one that looks whole.  Each call runs on the server's
 * thread inside a read snapshot of its own, after the handler returned;
 * release frees ctx once the answer is sent or abandoned, or when the
 * stream could not start (ctx is then released at once).  The body is the
 * pieces alone: anything in r->out is dropped.
 */
typedef int (*http_stream_fn)(void *ctx, buf *out);
void http_stream(request *r, int status, const char *type, http_stream_fn next, void *ctx, void (*release)(void *ctx));
const char *http_remote(request *r);  /* the client's address, "unknown" when it has none */
/* This request's path and query with parameter name set to value (left out
 * when value is NULL), escaped, in r's arena; and one escaped component. */
char *http_url_with(request *r, const char *name, const char *value);
void http_url_component(buf *out, const char *s);

/* Pieces with files of their own. */
void router_dispatch(request *r);
/* The body the request's route takes at most: its own limit, else the server's. */
size_t router_body_limit(request *r);
int auth_request(request *r);  /* 0 when the caller is known or anonymous; -1 answered 401 */
typedef enum auth_result { AUTH_OK, AUTH_BAD_TOKEN, AUTH_EXPIRED, AUTH_NO_CSRF } auth_result;
auth_result auth_identify(request *r);  /* the same, leaving the answer to the caller (pages) */
int auth_csrf_ok(request *r, const char *csrf);  /* 1 when csrf is the session's token */
/* SIGNIN_FOREIGN: the form was sent from another site (its Origin is not ours): login CSRF. */
typedef enum signin_result { SIGNIN_OK, SIGNIN_WRONG, SIGNIN_THROTTLED, SIGNIN_BUSY, SIGNIN_FOREIGN } signin_result;
/* Checks the password (rate-limited) and opens a session: cookie set, r->acct.csrf filled. */
signin_result auth_sign_in(request *r, const char *name, const char *password, unsigned *wait);
int auth_sign_out(request *r);  /* closes the caller's session; -1 when there is none */
/* The user called name, when the caller is an admin or that user: 0, else 401, 403, 404 or 503. */
int auth_target_user(request *r, const char *name, account *target);
/* The same for the user named by the path's first {id}: 0, or answered. */
int auth_path_user(request *r, account *target);
void auth_login(request *r);
void auth_logout(request *r);
void auth_whoami(request *r);
void auth_set_password(request *r);
void auth_create_token(request *r);
void auth_list_tokens(request *r);
void auth_revoke_tokens(request *r);
void calendar_links_get(request *r);
void calendar_links_renew(request *r);
void api_list(request *r);
void api_get(request *r);
void api_create(request *r);
void api_update(request *r);
void api_archive(request *r);
void api_transition(request *r);
void api_personal_export(request *r);
void api_timeline(request *r);
void api_erase(request *r);
void api_audit(request *r);
void api_merge(request *r);
void api_search(request *r);
void api_suggest(request *r);
void api_merge_get(request *r);
void api_grants(request *r);
void api_grant(request *r);
void api_ungrant(request *r);
void api_outbox(request *r);
void api_outbox_list(request *r);
void api_outbox_retry(request *r);
void api_merge_undo(request *r);
void api_openapi(request *r);
json_t *openapi_document(const app *a);  /* what it answers, as JSON (new reference) */
/* 0 when every API route describes its answers and every schema it names
 * exists and parses; else the first mistake in err (the server refuses to start). */
int openapi_check(const app *a, char *err, size_t errlen);
void metrics_observe(metrics *m, const route *rt, int status, uint64_t micros);
void metrics_handler(request *r);
void health_handler(request *r);
const entity *api_entity(request *r, const char *name);  /* 404 answered when unknown */
/* 0 when the generic route of method does not exist for kind e: its area
 * keeps its writes to itself (area_writes), or nobody may. */
int api_offers(const entity *e, const char *method);

typedef struct server server;
server *server_start(app *a, const char *host, int port, char *err, size_t errlen);
int server_port(server *s);
void server_stop(server *s);  /* stop accepting, finish what is in flight, close */

#endif
