/*
 * edge — the cap on connections per address and the deadlines of a
 * request's head and body (see edge.h).
 *
 * Why not libmicrohttpd's own limits: its per-address limit counts per
 * daemon, and each server thread is a daemon with a socket of its own; its
 * timeout is an idle timeout, started again by every byte, so a client that
 * sends one byte every few seconds would hold its connection for ever.
 *
 * How: every connection is noted when it opens (its socket, its address, a
 * deadline) in a table hashed by address, and forgotten when it closes.  A
 * new connection from an address that already holds per_address is refused
 * at accept.  A watcher thread looks at the deadlines five times a second
 * and shuts down the socket of every connection past its own; libmicrohttpd
 * then finds the socket closed and ends the connection on its own thread.
 * The socket stays open until libmicrohttpd has told us it closed the
 * connection (under the table's lock), so the watcher never touches a socket
 * number that was reused.  The lock is taken when a connection opens or
 * closes and by the watcher, never per request: a request only stores its
 * deadline, and one atomic exchange settles whether the request or the
 * watcher had it first.
 *
 * The check at accept and the note when the connection starts are two
 * steps, so server threads accepting from one address at the same moment may
 * each let one more in: an address may briefly hold per_address plus the
 * number of threads less one.
 */
#include "http/edge.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

#define EXPIRED UINT64_MAX  /* the watcher is cutting the connection */
#define TICK_MS 200

typedef struct address {
	unsigned char bytes[16];
	unsigned char len;  /* 4 or 16; 0 when the family is neither (then no cap applies) */
} address;

struct edge_conn {
	edge_conn *prev, *next;        /* in its bucket */
	edge *e;
	int fd;
	address addr;
	_Atomic uint64_t deadline;     /* monotonic microseconds; 0 for none; EXPIRED */
};

struct edge {
	pthread_mutex_t lock;          /* the buckets, open and stop */
	pthread_cond_t wake;
	pthread_t watcher;
	int stop;
	unsigned per_address;
	uint64_t head_us, body_us;
	size_t open;
	size_t nbuckets;               /* a power of two */
	edge_conn **buckets;
};

static void address_of(const struct sockaddr *sa, address *a)
{
	memset(a, 0, sizeof *a);
	if (sa && sa->sa_family == AF_INET) {
		memcpy(a->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		a->len = 4;
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(a->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		a->len = 16;
	}
}

static edge_conn **bucket(edge *e, const address *a)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (unsigned i = 0; i < a->len; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return &e->buckets[h & (e->nbuckets - 1)];
}

static int same(const address *a, const address *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

enum MHD_Result edge_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	(void)len;
	edge *e = cls;
	address a;
	address_of(sa, &a);
	if (!a.len)
		return MHD_YES;
	unsigned n = 0;
	pthread_mutex_lock(&e->lock);
	for (edge_conn *c = *bucket(e, &a); c && n < e->per_address; c = c->next)
		n += same(&c->addr, &a);
	pthread_mutex_unlock(&e->lock);
	return n < e->per_address ? MHD_YES : MHD_NO;
}

static edge_conn *conn_open(edge *e, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *from = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	edge_conn *ec = fd ? calloc(1, sizeof *ec) : NULL;
	if (!ec) {
		if (fd) /* not watched means not served: refused */
			shutdown(fd->connect_fd, SHUT_RDWR);
		return NULL;
	}
	ec->e = e;
	ec->fd = fd->connect_fd;
	address_of(from ? from->client_addr : NULL, &ec->addr);
	atomic_store(&ec->deadline, clock_micros() + e->head_us);
	pthread_mutex_lock(&e->lock);
	edge_conn **b = bucket(e, &ec->addr);
	ec->next = *b;
	if (*b)
		(*b)->prev = ec;
	*b = ec;
	if (e->open++ == 0)
		pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	return ec;
}

static void conn_close(edge *e, edge_conn *ec)
{
	if (!ec)
		return;
	pthread_mutex_lock(&e->lock);
	if (ec->prev)
		ec->prev->next = ec->next;
	else
		*bucket(e, &ec->addr) = ec->next;
	if (ec->next)
		ec->next->prev = ec->prev;
	e->open--;
	pthread_mutex_unlock(&e->lock);
	free(ec);
}

void edge_notify(void *cls, struct MHD_Connection *c, void **context, enum MHD_ConnectionNotificationCode what)
{
	if (what == MHD_CONNECTION_NOTIFY_STARTED)
		*context = conn_open(cls, c);
	else
		conn_close(cls, *context);
}

int edge_phase(struct MHD_Connection *c, edge_phase_t phase)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	edge_conn *ec = ci ? ci->socket_context : NULL;
	if (!ec)
		return 0;
	uint64_t next = phase == EDGE_ANSWER ? 0 : clock_micros() + (phase == EDGE_HEAD ? ec->e->head_us : ec->e->body_us);
	return atomic_exchange(&ec->deadline, next) == EXPIRED ? -1 : 0;
}

/* Under the lock: shuts down every connection past its deadline. */
static void cut_overdue(edge *e, uint64_t now)
{
	for (size_t i = 0; i < e->nbuckets; i++)
		for (edge_conn *c = e->buckets[i]; c; c = c->next) {
			uint64_t d = atomic_load(&c->deadline);
			if (d && d != EXPIRED && d <= now && atomic_compare_exchange_strong(&c->deadline, &d, EXPIRED))
				shutdown(c->fd, SHUT_RDWR);
		}
}

static void *watch(void *arg)
{
	edge *e = arg;
	pthread_mutex_lock(&e->lock);
	while (!e->stop) {
		if (!e->open) { /* nothing to watch: sleep until a connection opens */
			pthread_cond_wait(&e->wake, &e->lock);
			continue;
		}
		cut_overdue(e, clock_micros());
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->wake, &e->lock, &until);
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

edge *edge_new(unsigned per_address, unsigned head_seconds, unsigned body_seconds, unsigned max_connections)
{
	edge *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->per_address = per_address;
	e->head_us = (uint64_t)head_seconds * 1000000;
	e->body_us = (uint64_t)body_seconds * 1000000;
	for (e->nbuckets = 64; e->nbuckets < max_connections; e->nbuckets *= 2)
		;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (!(e->buckets = calloc(e->nbuckets, sizeof *e->buckets)) ||
	    pthread_create(&e->watcher, NULL, watch, e) != 0)
		goto fail;
	return e;
fail:
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e->buckets);
	free(e);
	return NULL;
}

void edge_free(edge *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->stop = 1;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	pthread_join(e->watcher, NULL);
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e->buckets);
	free(e);
}
