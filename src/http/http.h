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
#include "model/model.h"

struct MHD_Connection;
struct request;
typedef void (*handler_fn)(struct request *r);

typedef struct route {
	const char *method;   /* "GET", ... */
	const char *pattern;  /* "/api/v1/organizations/{id}/timeline": {x} matches one segment */
	handler_fn fn;
	int no_auth;          /* answers without credentials (healthz, the session form) */
	const char *summary;  /* for OpenAPI */
} route;

extern const route platform_routes[];
extern const size_t nplatform_routes;

typedef struct limits {
	size_t max_body;          /* bytes; 413 beyond */
	unsigned threads;
	unsigned timeout;         /* seconds a connection may stay idle or slow */
	unsigned max_connections;
	size_t max_header;        /* bytes of memory per connection for the request head */
} limits;

#define NBUCKETS 12
typedef struct metrics {
	atomic_uint_fast64_t by_status[6];       /* 1xx..5xx, index status/100 */
	atomic_uint_fast64_t buckets[NBUCKETS];  /* latency histogram, cumulative on output */
	atomic_uint_fast64_t count, micros_sum;
} metrics;

struct ratelimit;
struct authcache;

typedef struct app {
	store *st;
	registry reg;
	const route *routes;     /* the domains' routes, tried before the platform's */
	size_t nroutes;
	const route *pages[3];   /* pages, tried after the API: generic, the domains', generic */
	size_t npages[3];
	handler_fn not_found;    /* answers an unknown address outside /api (a page) */
	handler_fn not_allowed;  /* answers a known address asked with the wrong method, outside /api */
	limits lim;
	metrics met;
	struct ratelimit *logins;
	struct ratelimit *intake;   /* the public inquiry form, per address */
	struct authcache *tokens;   /* recently checked API tokens */
	int secure_cookies;
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
	buf body_in;
	int too_large;
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
} request;

/* Reading the request. */
const char *http_header(request *r, const char *name);
const char *http_query(request *r, const char *name);
int http_json_body(request *r);         /* parses r->json; answers 400/415 itself and returns -1 */
int64_t http_if_match(request *r);      /* the version in If-Match, 0 when absent, -1 when malformed */

/* Writing the answer. */
void http_header_add(request *r, const char *name, const char *value);  /* value copied */
void http_json(request *r, int status, const buf *body);
void http_problem(request *r, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void http_model(request *r, model_ctx *m);  /* the outcome of a model operation */
void http_text(request *r, int status, const char *type, const char *body, size_t n);
const char *http_remote(request *r);  /* the client's address, "unknown" when it has none */

/* Pieces with files of their own. */
void router_dispatch(request *r);
int auth_request(request *r);  /* 0 when the caller is known or anonymous; -1 answered 401 */
typedef enum auth_result { AUTH_OK, AUTH_BAD_TOKEN, AUTH_EXPIRED, AUTH_NO_CSRF } auth_result;
auth_result auth_identify(request *r);  /* the same, leaving the answer to the caller (pages) */
int auth_csrf_ok(request *r, const char *csrf);  /* 1 when csrf is the session's token */
typedef enum signin_result { SIGNIN_OK, SIGNIN_WRONG, SIGNIN_THROTTLED, SIGNIN_BUSY } signin_result;
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
void auth_revoke_tokens(request *r);
void calendar_links_get(request *r);
void calendar_links_renew(request *r);
void api_list(request *r);
void api_get(request *r);
void api_create(request *r);
void api_update(request *r);
void api_archive(request *r);
void api_audit(request *r);
void api_merge(request *r);
void api_search(request *r);
void api_suggest(request *r);
void api_merge_get(request *r);
void api_merge_undo(request *r);
void api_openapi(request *r);
void metrics_observe(metrics *m, int status, uint64_t micros);
void metrics_handler(request *r);
void health_handler(request *r);
const entity *api_entity(request *r, const char *name);  /* 404 answered when unknown */

typedef struct server server;
server *server_start(app *a, const char *host, int port, char *err, size_t errlen);
int server_port(server *s);
void server_stop(server *s);  /* stop accepting, finish what is in flight, close */

#endif
