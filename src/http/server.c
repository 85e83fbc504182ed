/*
 * server — libmicrohttpd glue: a pool of epoll threads, request bodies
 * gathered within the size limit, one JSON log line per request, and a
 * shutdown that lets requests in flight finish.
 */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "http/http.h"

struct server {
	struct MHD_Daemon *d;
	app *app;
};

/* Requests between their first byte and their answer's last, for shutdown. */
static atomic_int in_flight;

static void split_path(request *r)
{
	char *path = arena_strdup(&r->a, r->url);
	char *save = NULL;
	for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (r->nsegs == MAX_SEGS) {
			r->nsegs = MAX_SEGS + 1; /* too deep for any route: answered 404 */
			return;
		}
		r->segs[r->nsegs++] = seg;
	}
}

static void remote_address(request *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	snprintf(r->remote, sizeof r->remote, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->remote, sizeof r->remote);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->remote, sizeof r->remote);
}

static request *request_new(app *a, struct MHD_Connection *conn, const char *url, const char *method)
{
	request *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->app = a;
	r->conn = conn;
	r->started = clock_micros();
	r->method = arena_strdup(&r->a, method);
	r->url = arena_strdup(&r->a, url);
	r->u = &public_user;
	split_path(r);
	remote_address(r);
	return r;
}

static void request_free(request *r)
{
	if (!r)
		return;
	json_decref(r->json);
	buf_free(&r->body_in);
	buf_free(&r->out);
	arena_free(&r->a);
	free(r);
}

static enum MHD_Result send_answer(request *r)
{
	if (!r->status)
		http_problem(r, 500, "Internal error", "the request was not answered");
	size_t len = r->out.len;
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf_steal(&r->out), MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	uint64_t micros = clock_micros() - r->started;
	metrics_observe(&r->app->met, r->status, micros);
	log_request(r->method, r->url, r->status, len, micros, r->u->name);
	return ok;
}

static void dispatch(request *r)
{
	store_snapshot_begin(r->app->st);
	router_dispatch(r);
	store_snapshot_end(r->app->st);
}

/* Content-Length beyond the limit is refused before any byte of the body is read. */
static int declared_too_large(request *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return cl && strtoull(cl, NULL, 10) > r->app->lim.max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)version;
	app *a = cls;
	request *r = *state;
	if (!r) {
		r = request_new(a, conn, url, method);
		if (!r)
			return MHD_NO;
		*state = r;
		atomic_fetch_add(&in_flight, 1);
		r->too_large = declared_too_large(r);
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->body_in.len + *upload_size <= a->lim.max_body)
			buf_add(&r->body_in, upload, *upload_size);
		else
			r->too_large = 1; /* keep reading and dropping, then answer 413 */
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_large)
		http_problem(r, 413, "Body too large", "the request body is over the limit of %zu bytes", a->lim.max_body);
	else
		dispatch(r);
	return send_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)conn;
	(void)why;
	if (*state)
		atomic_fetch_sub(&in_flight, 1);
	request_free(*state);
	*state = NULL;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Percent-decoding of paths and query values, except that %00 stays as it
 * is: everything downstream reads C strings, and a NUL would silently cut
 * "/organizations/1%00zzz" down to "/organizations/1".
 */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	char *out = s;
	for (const char *in = s; *in; in++) {
		int hi, lo;
		if (in[0] == '%' && (hi = hex(in[1])) >= 0 && (lo = hex(in[2])) >= 0 && (hi | lo)) {
			*out++ = (char)(hi << 4 | lo);
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

server *server_start(app *a, const char *host, int port, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "cannot listen on '%s': give an IPv4 address like 127.0.0.1", host);
		return NULL;
	}
	server *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC;
	s->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, a,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, a->lim.threads,
				MHD_OPTION_CONNECTION_TIMEOUT, a->lim.timeout,
				MHD_OPTION_CONNECTION_LIMIT, a->lim.max_connections,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, a->lim.max_header,
				MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s:%d (in use, or not allowed)", host, port);
		free(s);
		return NULL;
	}
	return s;
}

int server_port(server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

void server_stop(server *s)
{
	if (!s)
		return;
	MHD_socket listener = MHD_quiesce_daemon(s->d);
	/* Give requests in flight up to ten seconds to be answered; idle
	 * keep-alive connections are not waited for. */
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(s->d);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	free(s);
}
