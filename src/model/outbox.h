/*
 * outbox — mail that leaves Liaison: written in the same transaction as the
 * record that causes it, delivered afterwards by a sender of its own.
 *
 * An area composes a message (formats/mailout.h) and queues it with
 * outbox_queue inside the transaction of its write, so that the message
 * leaves when, and only when, the write commits; no request waits on a
 * relay.  The sender (outbox_sender_start: a thread of `liaison serve`)
 * delivers in passes (outbox_deliver_due): it takes one due message in a
 * short transaction, hands it to the relay outside any, and records the
 * outcome.  The relay took it: sent.  It refused for now (no connection, a
 * 4xx reply): tried again after a growing delay, up to a fixed number of
 * attempts, then failed with the relay's last reason.  It refused for good
 * (a 5xx reply, an address it can never take): failed at once.  The kind of
 * the record a message belongs to learns each outcome through its
 * entity_def's on_mail hook (registry.h), in the transaction that records it.
 *
 * Where mail goes is the outbox's own setting (the "mail" member of the
 * file `liaison serve --config` reads: smtp_url, attempts, retry_after),
 * read once at start, like the catalogs; see docs/operations.md.
 */
#ifndef LIAISON_OUTBOX_H
#define LIAISON_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/model.h"

#define OUTBOX_MAX_DELAYS 16

/* smtp_send's shape (formats/mailout.h): tests hand the sender their own. */
typedef int (*outbox_send_fn)(const char *url, const char *from, const char *const *to, size_t nto, const char *data,
			      size_t len, char *err, size_t errlen);

typedef struct outbox_settings {
	char relay[256];       /* smtp:// or smtps:// URL; "" when no relay is set up: nothing is queued */
	unsigned attempts;     /* tries before a message that keeps being refused for now fails */
	unsigned delays[OUTBOX_MAX_DELAYS];  /* seconds before the 2nd, 3rd ... try; the last repeats (the cap) */
	size_t ndelays;
	unsigned lease;        /* seconds a sender holds a message it took before another may take it */
	outbox_send_fn send;   /* NULL: smtp_send */
} outbox_settings;

/* Reads the "mail" member of the JSON file at path (NULL: the defaults, no
 * relay) into the process's settings; 0, or -1 with one line in err and
 * the settings left as they were.  Once, before the sender starts. */
int outbox_configure(const char *path, char *err, size_t errlen);
void outbox_settings_set(const outbox_settings *s);  /* the same from a struct (tests) */
void outbox_settings_defaults(outbox_settings *s);
const outbox_settings *outbox_settings_get(void);
int outbox_ready(void);  /* 1 when a relay is set up: queued mail will leave */
/* Seconds to wait after the attempts-th failed attempt before the next, or
 * -1 when that was the last one allowed. */
long outbox_retry_delay(const outbox_settings *s, unsigned attempts);

/* A message for the outbox: the record it belongs to, the envelope, the
 * subject (shown on pages) and the composed bytes. */
typedef struct outbox_mail {
	const char *kind;
	int64_t record_id;
	const char *from, *to;
	const char *subject;
	const char *data;
	size_t len;
} outbox_mail;

/* Queues mail inside the caller's transaction c (on the writer), due at
 * once, and wakes the sender, which takes it once c commits (a rollback
 * leaves nothing).  0, or -1 with m's error. */
int outbox_queue(model_ctx *m, store_conn *c, const outbox_mail *mail);

/* ---- delivery (sender.c) ---- */

typedef struct outbox_pass {
	size_t sent, deferred, failed;  /* outcomes of this pass */
	time_t next_due;                /* when the next queued message is due; 0 when none is queued */
} outbox_pass;

/* One pass at time now: every message due is taken, handed to the relay
 * and its outcome recorded, one at a time.  0, or -1 when the store failed
 * (what was recorded stays).  Any number of senders, threads or processes,
 * may run passes at once: each message goes to the relay at most once per
 * attempt. */
int outbox_deliver_due(store *st, const registry *reg, time_t now, outbox_pass *out);

/* The thread of `liaison serve` that runs the passes: it sleeps until mail
 * is queued or the next message is due, and stop ends it between two
 * messages.  NULL with err when it could not start. */
typedef struct outbox_sender outbox_sender;
outbox_sender *outbox_sender_start(store *st, const registry *reg, char *err, size_t errlen);
void outbox_sender_stop(outbox_sender *s);
/* Rings the senders' bell: mail was queued or made due (outbox.c calls it). */
void outbox_wake(void);

/* ---- reading and retrying (outbox.c): answers in m's body ---- */

/* {"items": [message]} of the record e/id and of the records that take
 * their access from it (an inquiry's messages), oldest first, for who may
 * read it. */
int outbox_of_record(model_ctx *m, const entity *e, const char *id);
/* {"items": [message with kind and record_id], "next_cursor"}: the messages
 * not sent (state "queued" or "failed", or both when NULL), newest first;
 * administrators only. */
int outbox_list(model_ctx *m, const char *state, const char *cursor, int64_t limit);
/* An administrator's "try it now": a failed or waiting message due at once,
 * a failed one with its attempts counted afresh (and its record told it is
 * queued again).  The message after it, as outbox_of_record writes each. */
int outbox_retry(model_ctx *m, const char *id);

/* Erasure (model/personal.c), inside c: the mail of record r, and mail to
 * the addresses of its personal fields, loses its recipient and its bytes;
 * what was still queued fails, never to leave, and its records are told. */
int outbox_forget(model_ctx *m, store_conn *c, const record *r);

/* How many messages are in state now (for /metrics); 0, or -1 when it cannot be read. */
int outbox_count(store *st, const char *state, int64_t *n);

extern const user outbox_user;  /* who records what the relay did, "mail": a system role with no rights */

#endif
