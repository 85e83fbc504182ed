/*
 * edge — the server's guard against clients that hold connections without
 * asking anything: a cap on the connections one address may have open, over
 * every server thread, and deadlines for a request's head and its body.
 *
 * server.c hands edge_accept and edge_notify to libmicrohttpd, and tells
 * the connection's guard where its request stands with edge_phase.
 */
#ifndef LIAISON_EDGE_H
#define LIAISON_EDGE_H

#include <microhttpd.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct edge edge;
typedef struct edge_conn edge_conn;

typedef enum edge_phase_t {
	EDGE_HEAD,     /* waiting for a request's line and headers */
	EDGE_BODY,     /* the head is in; waiting for the body */
	EDGE_ANSWER,   /* the request is ours to answer: no deadline */
} edge_phase_t;

/* per_address connections at most from one address; head_seconds to send a
 * request's head (from the connection's start or the previous answer),
 * body_seconds to send its body (from the end of the head).  NULL when out
 * of memory or the watcher thread cannot start. */
edge *edge_new(unsigned per_address, unsigned head_seconds, unsigned body_seconds, unsigned max_connections);
void edge_free(edge *e);  /* after every daemon using it has stopped */

/* For MHD_start_daemon: the accept policy (cls is the edge) and
 * MHD_OPTION_NOTIFY_CONNECTION (cls is the edge). */
enum MHD_Result edge_accept(void *cls, const struct sockaddr *sa, socklen_t len);
void edge_notify(void *cls, struct MHD_Connection *c, void **context, enum MHD_ConnectionNotificationCode what);

/* Moves the connection's request to phase, starting that phase's deadline.
 * Returns -1 when the deadline had already passed and the connection is
 * being cut: the request must not be acted on. */
int edge_phase(struct MHD_Connection *c, edge_phase_t phase);

#endif
