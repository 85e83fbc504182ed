/*
 * server — libmicrohttpd glue: one epoll thread per core, each with a
 * listening socket of its own, request bodies gathered within the size
 * limit, one JSON log line per request, and a shutdown that lets requests in
 * flight finish.
 *
 * Why a socket per thread (SO_REUSEPORT) rather than libmicrohttpd's thread
 * pool on one socket: in the pool, whichever thread wakes first accepts, and
 * a client that opens its keep-alive connections at once (a proxy, a load
 * test) could find them all on one thread while the other cores idle.  The
 * kernel spreads connections over the sockets of a port evenly.
 *
 * An answer is a buffer the handler filled, or a stream (http_stream) whose
 * pieces are made as libmicrohttpd asks for bytes, so that an answer of any
 * length costs one piece of memory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "http/edge.h"
#include "http/http.h"

struct server {
	unsigned n;               /* threads, each a daemon with its own socket */
	struct MHD_Daemon **d;
	int *fd;
	app *app;
	edge *edge;               /* connections per address and deadlines, over every thread */
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

/* Worked out on first use: only sign-ins and public forms ask, and
 * formatting an address for every request costs more than routing it. */
const char *http_remote(request *r)
{
	if (r->remote[0])
		return r->remote;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *got = NULL;
	if (sa && sa->sa_family == AF_INET)
		got = inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->remote, sizeof r->remote);
	else if (sa && sa->sa_family == AF_INET6)
		got = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->remote, sizeof r->remote);
	if (!got)
		snprintf(r->remote, sizeof r->remote, "unknown");
	return r->remote;
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
	return r;
}

/* A streamed answer: the piece being sent, and how to make the next. */
struct http_stream {
	store *st;
	http_stream_fn next;
	void *ctx;
	void (*release)(void *ctx);
	buf piece;
	size_t sent;      /* bytes of piece already handed over */
	int more;         /* next's last answer: 1 more to come, 0 done, -1 broken off */
};

static void stream_free(void *cls)
{
	struct http_stream *s = cls;
	if (s->release)
		s->release(s->ctx);
	buf_free(&s->piece);
	free(s);
}

void http_stream(request *r, int status, const char *type, http_stream_fn next, void *ctx, void (*release)(void *ctx))
{
	struct http_stream *s = calloc(1, sizeof *s);
	if (!s) {
		if (release)
			release(ctx);
		http_problem(r, 500, "Internal error", "out of memory");
		return;
	}
	*s = (struct http_stream){ .st = r->app->st, .next = next, .ctx = ctx, .release = release, .more = 1 };
	if (r->stream)
		stream_free(r->stream);
	r->stream = s;
	r->status = status;
	r->content_type = type;
	buf_reset(&r->out);
}

/* libmicrohttpd's reader: the rest of the piece, or the next piece made in a snapshot of its own. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct http_stream *s = cls;
	while (s->sent == s->piece.len) {
		if (s->more <= 0)
			return s->more == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
		buf_reset(&s->piece);
		s->sent = 0;
		store_snapshot_begin(s->st);
		s->more = s->next(s->ctx, &s->piece);
		store_snapshot_end(s->st);
	}
	size_t n = s->piece.len - s->sent < max ? s->piece.len - s->sent : max;
	memcpy(out, s->piece.data + s->sent, n);
	s->sent += n;
	return (ssize_t)n;
}

static void request_free(request *r)
{
	if (!r)
		return;
	if (r->stream)
		stream_free(r->stream);   /* never handed to libmicrohttpd */
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
	struct MHD_Response *resp;
	if (r->stream) {
		/* The stream is libmicrohttpd's from here: it calls stream_free when done with it. */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, r->stream, stream_free);
		if (resp)
			r->stream = NULL;
	} else {
		resp = MHD_create_response_from_buffer(len, buf_steal(&r->out), MHD_RESPMEM_MUST_FREE);
	}
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	int cache_set = 0; /* by the answer itself (static files): else nothing is kept */
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
		cache_set |= strcasecmp(r->hname[i], "Cache-Control") == 0;
	}
	if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	uint64_t micros = clock_micros() - r->started;
	metrics_observe(&r->app->met, r->route, r->status, micros);
	log_request(r->method, r->url, r->status, len, micros, r->u->name);
	return ok;
}

static void dispatch(request *r)
{
	store_snapshot_begin(r->app->st);
	if (r->refused == 413)
		http_error(r, 413, "Body too large", "the request body is over the limit of %zu bytes", r->body_limit);
	else if (r->refused)
		http_error(r, r->refused, "Bad request",
			   "the body's length is ambiguous: send one Content-Length, or Transfer-Encoding alone");
	else
		router_dispatch(r);
	store_snapshot_end(r->app->st);
}

typedef struct framing {
	int lengths, encodings;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	framing *f = cls;
	f->lengths += strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0;
	f->encodings += strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0;
	return MHD_YES;
}

/*
 * What the head alone says is wrong with the body, before a byte of it is
 * read (and so before a client that sent Expect: 100-continue is told to go
 * on): 400 when its length is ambiguous, two Content-Length or one with
 * Transfer-Encoding, which a proxy in front may read otherwise than we do;
 * 413 when the declared length is over the limit.  0 when it may come.
 */
static int refusal(request *r)
{
	framing f = { 0, 0 };
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.lengths > 1 || (f.lengths && f.encodings))
		return 400;
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	r->body_limit = router_body_limit(r);
	return cl && strtoull(cl, NULL, 10) > r->body_limit ? 413 : 0;
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
		edge_phase(conn, EDGE_BODY);
		if (!(r->refused = refusal(r)))
			return MHD_YES;
		edge_phase(conn, EDGE_ANSWER);
		dispatch(r);
		return send_answer(r);
	}
	if (*upload_size) {
		if (!r->refused && r->body_in.len + *upload_size <= r->body_limit)
			buf_add(&r->body_in, upload, *upload_size);
		else
			r->refused = 413; /* a chunked body: read and dropped within its deadline, then answered */
		*upload_size = 0;
		return MHD_YES;
	}
	if (edge_phase(conn, EDGE_ANSWER))
		return MHD_NO; /* too late: the connection is being closed */
	dispatch(r);
	return send_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)why;
	edge_phase(conn, EDGE_HEAD); /* the next request on this connection, if any, is due from now */
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
size_t http_unescape(char *s)
{
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

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return http_unescape(s);
}

/* A listening socket on sa; shared means it shares its port with the others of the server. */
static int listen_on(const struct sockaddr_in *sa, int shared)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int on = 1;
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
	    (shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on)) ||
	    bind(fd, (const struct sockaddr *)sa, sizeof *sa) || listen(fd, SOMAXCONN)) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *daemon_on(server *s, int fd, unsigned max_connections)
{
	app *a = s->app;
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)a->tls_key },
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)a->tls_cert },
		{ MHD_OPTION_END, 0, NULL },
	};
	int use_tls = a->tls_cert && a->tls_key;
	return MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | (use_tls ? MHD_USE_TLS : 0), 0, edge_accept,
				s->edge, on_request, a,
				MHD_OPTION_ARRAY, use_tls ? tls : tls + 2,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_NOTIFY_CONNECTION, edge_notify, s->edge,
				MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_TIMEOUT, a->lim.timeout,
				MHD_OPTION_CONNECTION_LIMIT, max_connections,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, a->lim.max_header,
				MHD_OPTION_END);
}

/* No new connections on any thread; those open are still served. */
static void quiesce_all(server *s)
{
	for (unsigned i = 0; i < s->n; i++)
		MHD_quiesce_daemon(s->d[i]);
}

/* Stops the threads (after quiesce_all, so that the sockets stay ours to close). */
static void stop_all(server *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		MHD_stop_daemon(s->d[i]);
		close(s->fd[i]);
	}
	edge_free(s->edge);
	free(s->d);
	free(s->fd);
	free(s);
}

server *server_start(app *a, const char *host, int port, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "cannot listen on '%s': give an IPv4 address like 127.0.0.1", host);
		return NULL;
	}
	/* No more threads than connections allowed: each takes a share of the limit. */
	unsigned threads = a->lim.threads < a->lim.max_connections ? a->lim.threads : a->lim.max_connections;
	server *s = calloc(1, sizeof *s);
	if (!s || !(s->d = calloc(threads, sizeof *s->d)) || !(s->fd = calloc(threads, sizeof *s->fd))) {
		if (s)
			free(s->d);
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->app = a;
	if (!(s->edge = edge_new(a->lim.per_address, a->lim.head_timeout, a->lim.body_timeout, a->lim.max_connections))) {
		snprintf(err, errlen, "out of memory");
		stop_all(s);
		return NULL;
	}
	/* A port another server listens on is refused, not shared: the probe
	 * does not offer to share it, so it fails where anyone listens. */
	int probe = port ? listen_on(&sa, 0) : -2;
	if (probe == -1) {
		snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(errno));
		stop_all(s);
		return NULL;
	}
	if (probe >= 0)
		close(probe);
	for (; s->n < threads; s->n++) {
		int fd = listen_on(&sa, 1);
		if (fd < 0) {
			snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(errno));
			break;
		}
		s->fd[s->n] = fd;
		unsigned share = a->lim.max_connections / threads + (s->n < a->lim.max_connections % threads);
		s->d[s->n] = daemon_on(s, fd, share);
		if (!s->d[s->n]) {
			close(fd);
			snprintf(err, errlen, "cannot start the server on %s:%d", host, port);
			break;
		}
		/* Port 0 asked for any free port: the other sockets take the same one. */
		socklen_t len = sizeof sa;
		getsockname(fd, (struct sockaddr *)&sa, &len);
	}
	if (s->n < threads) {
		quiesce_all(s);
		stop_all(s);
		return NULL;
	}
	return s;
}

int server_port(server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d[0], MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

void server_stop(server *s)
{
	if (!s)
		return;
	/* Requests in flight get up to ten seconds to be answered; idle
	 * keep-alive connections are not waited for. */
	quiesce_all(s);
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	stop_all(s);
}
