/*
 * sender — the outbox's deliveries: passes over the mail that is due, and
 * the thread of `liaison serve` that runs them.
 *
 * A pass takes one due message at a time.  Taking it is a transaction of
 * its own on the writer: the oldest queued message whose next_attempt_at
 * has passed gets its attempt counted, sending_since stamped and
 * next_attempt_at moved on by the lease.  Any other sender (a thread, or
 * another process on the same database) then sees it as not due: that is
 * what keeps a message from reaching the relay twice.  The relay is asked
 * with no transaction open, since it may take a minute.  The outcome is a
 * second transaction, on the condition that the row is still as it was
 * taken (queued, with the same attempts): a sender whose lease ran out
 * records nothing over the one that took the message after it.  A sender
 * that dies between the two leaves the message queued; it is taken again
 * once the lease has run out.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "formats/mailout.h"
#include "model/outbox.h"

#define PASS_MAX 20        /* messages in one pass: the thread looks at its stop flag between passes */
#define IDLE_LOOK_S 60     /* the longest sleep: mail queued by another process rings no bell here */

/* ---- one message --------------------------------------------------------------- */

typedef struct taken {
	int64_t id, record_id, attempts;   /* attempts: counting the one being made */
	char kind[64];
	char *from, *to, *data;            /* malloc'ed */
	size_t len;
} taken;

static void taken_free(taken *t)
{
	free(t->from);
	free(t->to);
	free(t->data);
	memset(t, 0, sizeof *t);
}

static char *copy(store_row *row, int col, size_t *len)
{
	size_t n = 0;
	const char *s = store_text(row, col, &n);
	char *out = malloc(n + 1);
	if (out) {
		memcpy(out, s ? s : "", n);
		out[n] = '\0';
	}
	if (len)
		*len = n;
	return out;
}

static int taken_row(void *ctx, store_row *row)
{
	taken *t = ctx;
	t->id = store_int(row, 0);
	const char *kind = store_text(row, 1, NULL);
	snprintf(t->kind, sizeof t->kind, "%s", kind ? kind : "");
	t->record_id = store_int(row, 2);
	t->attempts = store_int(row, 3);
	t->from = copy(row, 4, NULL);
	t->to = copy(row, 5, NULL);
	t->data = copy(row, 6, &t->len);
	return 1;
}

/* Takes the oldest due message at time now: 1 taken, 0 none due, -1 when
 * the store failed. */
static int take(store *st, const char *now, const char *lease_end, taken *t)
{
	static const char *const cols[] = { "id", "kind", "record_id", "attempts", "mail_from", "rcpt_to", "message" };
	store_cond due[] = { COND_EQ("state", sv_text("queued")), COND("next_attempt_at", OP_LE, sv_text(now)) };
	store_order o[] = { { "next_attempt_at", 0, NOT_NULL }, { "id", 0, NOT_NULL } };
	store_select q = { .table = "outbox", .cols = cols, .ncols = (int)COUNT(cols), .where = due, .nwhere = 2,
			   .order = o, .norder = 2, .limit = 1 };
	store_conn *c = store_begin(st);
	if (!c)
		return -1;
	memset(t, 0, sizeof *t);
	if (store_query(c, &q, taken_row, t) != STORE_OK || (t->id && (!t->from || !t->to || !t->data))) {
		store_rollback(c);
		taken_free(t);
		return -1;
	}
	if (!t->id) {
		store_rollback(c);
		return 0;
	}
	static const char *const set[] = { "attempts", "sending_since", "next_attempt_at", "updated_at" };
	store_value v[] = { SV_INT_(++t->attempts), sv_text(now), sv_text(lease_end), sv_text(now) };
	store_cond w = COND_EQ("id", SV_INT_(t->id));
	if (store_update(c, "outbox", set, v, (int)COUNT(set), &w, 1, NULL) != STORE_OK) {
		store_rollback(c);
		taken_free(t);
		return -1;
	}
	if (store_commit(c) != STORE_OK) {   /* rolled back: the message stays due */
		taken_free(t);
		return -1;
	}
	return 1;
}

/* What the relay's answer makes of the message. */
typedef struct outcome {
	const char *state;       /* "sent", "queued" (to try again) or "failed" */
	const char *reason;      /* the relay's, or NULL when sent */
	char next[32];           /* when queued: the next attempt */
} outcome;

static void judge(const outbox_settings *s, const taken *t, int ok, const char *reason, time_t now, outcome *o)
{
	long delay = ok ? -1 : outbox_retry_delay(s, (unsigned)t->attempts);
	o->reason = ok ? NULL : reason;
	o->next[0] = '\0';
	if (ok)
		o->state = "sent";
	else if (smtp_reason_temporary(reason) && delay >= 0)
		o->state = "queued";
	else
		o->state = "failed";
	if (!strcmp(o->state, "queued"))
		clock_iso(now + delay, o->next);
}

/* Writes the outcome on the row as it was taken; with the record's hook
 * unless hooked is 0.  1 recorded, 0 the row had moved on (another sender
 * took it after the lease), -1 when the store or the hook failed. */
static int record_outcome(store *st, const registry *reg, const taken *t, const outcome *o, const char *now, int hooked)
{
	int sent = !strcmp(o->state, "sent"), queued = !strcmp(o->state, "queued");
	static const char *const set[] = { "state", "next_attempt_at", "sending_since", "last_error", "sent_at", "updated_at" };
	store_value v[] = { sv_text(o->state), queued ? sv_text(o->next) : SV_NUL, SV_NUL,
			    sent ? SV_NUL : sv_text(o->reason), sent ? sv_text(now) : SV_NUL, sv_text(now) };
	store_cond w[] = { COND_EQ("id", SV_INT_(t->id)), COND_EQ("attempts", SV_INT_(t->attempts)),
			   COND_EQ("state", sv_text("queued")) };
	int changed = 0;
	store_conn *c = store_begin(st);
	if (!c)
		return -1;
	if (store_update(c, "outbox", set, v, (int)COUNT(set), w, 3, &changed) != STORE_OK) {
		store_rollback(c);
		return -1;
	}
	const entity *e = registry_find(reg, t->kind);
	if (changed && !queued && hooked && e && e->def->on_mail) {
		model_ctx m;
		model_init(&m, st, reg, &outbox_user);
		int rc = e->def->on_mail(&m, c, e, t->record_id, o->state, o->reason);
		if (rc)
			log_event("error", "mail: outbox message %" PRId64 " is %s, but its %s %" PRId64 " could not say so: %s",
				  t->id, o->state, e->def->label, t->record_id, m.detail ? m.detail : "");
		model_done(&m);
		if (rc) {
			store_rollback(c);
			return -1;
		}
	}
	if (store_commit(c) != STORE_OK)
		return -1;
	return changed ? 1 : 0;
}

/* Hands one taken message to the relay and records what it said. */
static int deliver(store *st, const registry *reg, const outbox_settings *s, taken *t, time_t now, outbox_pass *out)
{
	char reason[512] = "", stamp[32];
	const char *rcpt[] = { t->to };
	outbox_send_fn send = s->send ? s->send : smtp_send;
	int ok = send(s->relay, t->from, rcpt, 1, t->data, t->len, reason, sizeof reason) == 0;
	outcome o;
	judge(s, t, ok, reason[0] ? reason : "the relay gave no reason", now, &o);
	clock_iso(now, stamp);
	int rc = record_outcome(st, reg, t, &o, stamp, 1);
	if (rc < 0)   /* the record would not follow: the outbox's own row must, or the mail goes twice */
		rc = record_outcome(st, reg, t, &o, stamp, 0);
	if (rc == 0)
		log_event("warning", "mail: outbox message %" PRId64 " was taken by another sender while this one held it",
			  t->id);
	if (rc > 0 && ok)
		out->sent++;
	else if (rc > 0 && !strcmp(o.state, "queued"))
		out->deferred++;
	else if (rc > 0)
		out->failed++;
	return rc < 0 ? -1 : 0;
}

/* ---- a pass -------------------------------------------------------------------- */

static int next_row(void *ctx, store_row *row)
{
	time_t t;
	const char *s = store_text(row, 0, NULL);
	*(time_t *)ctx = s && clock_parse_time(s, &t) == 0 ? t : 0;
	return 1;
}

/* When the soonest queued message is due, 0 when none is queued. */
static time_t next_due(store *st)
{
	store_cond w = COND_EQ("state", sv_text("queued"));
	store_order o = { "next_attempt_at", 0, NOT_NULL };
	store_select q = { .table = "outbox", .cols = (const char *[]){ "next_attempt_at" }, .ncols = 1, .where = &w,
			   .nwhere = 1, .order = &o, .norder = 1, .limit = 1 };
	time_t t = 0;
	store_conn *c = store_reader(st);   /* outside a snapshot: what is committed now */
	if (c)
		store_query(c, &q, next_row, &t);
	return t;
}

/* Up to max messages; the clock runs on from now as the pass takes time. */
static int pass(store *st, const registry *reg, time_t now, size_t max, atomic_int *stop, outbox_pass *out)
{
	const outbox_settings *s = outbox_settings_get();
	time_t started = time(NULL);
	int rc = 0;
	memset(out, 0, sizeof *out);
	for (size_t n = 0; n < max && !(stop && atomic_load(stop)); n++) {
		time_t at = now + (time(NULL) - started);
		char stamp[32], lease_end[32];
		clock_iso(at, stamp);
		clock_iso(at + (time_t)s->lease, lease_end);
		taken t;
		int got = take(st, stamp, lease_end, &t);
		if (got <= 0) {
			rc = got;
			break;
		}
		rc = deliver(st, reg, s, &t, at, out);
		taken_free(&t);
		if (rc)
			break;
	}
	out->next_due = next_due(st);
	return rc;
}

int outbox_deliver_due(store *st, const registry *reg, time_t now, outbox_pass *out)
{
	return pass(st, reg, now, SIZE_MAX, NULL, out);
}

/* ---- the bell and the thread ------------------------------------------------------ */

/* Rung by whoever queues mail, in this process; the sender sleeps on it.
 * The one state the outbox shares between threads, behind its mutex. */
static pthread_mutex_t bell_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bell = PTHREAD_COND_INITIALIZER;
static uint64_t rings;

void outbox_wake(void)
{
	pthread_mutex_lock(&bell_lock);
	rings++;
	pthread_cond_broadcast(&bell);
	pthread_mutex_unlock(&bell_lock);
}

struct outbox_sender {
	pthread_t thread;
	store *st;
	const registry *reg;
	atomic_int stop;
};

/* Sleeps until the bell rings, the sender is stopped, or until. */
static void sleep_until(outbox_sender *s, uint64_t *seen, time_t until)
{
	struct timespec ts = { .tv_sec = until };
	pthread_mutex_lock(&bell_lock);
	while (!atomic_load(&s->stop) && rings == *seen && time(NULL) < until)
		pthread_cond_timedwait(&bell, &bell_lock, &ts);
	*seen = rings;
	pthread_mutex_unlock(&bell_lock);
}

static void *run(void *arg)
{
	outbox_sender *s = arg;
	pthread_mutex_lock(&bell_lock);
	uint64_t seen = rings;
	pthread_mutex_unlock(&bell_lock);
	while (!atomic_load(&s->stop)) {
		outbox_pass p;
		time_t now = time(NULL);
		int rc = pass(s->st, s->reg, now, PASS_MAX, &s->stop, &p);
		if (rc)
			log_event("error", "mail: the outbox could not be read or written; trying again in a few seconds");
		if (p.sent || p.deferred || p.failed)
			log_event("info", "mail: %zu sent, %zu to be tried again, %zu failed", p.sent, p.deferred, p.failed);
		time_t until = now + (rc ? 5 : IDLE_LOOK_S);
		if (!rc && p.next_due && p.next_due < until)
			until = p.next_due;
		sleep_until(s, &seen, until);
	}
	return NULL;
}

outbox_sender *outbox_sender_start(store *st, const registry *reg, char *err, size_t errlen)
{
	outbox_sender *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "mail: out of memory");
		return NULL;
	}
	s->st = st;
	s->reg = reg;
	atomic_init(&s->stop, 0);
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		snprintf(err, errlen, "mail: the sender's thread could not start");
		free(s);
		return NULL;
	}
	return s;
}

void outbox_sender_stop(outbox_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&bell_lock);
	atomic_store(&s->stop, 1);
	pthread_cond_broadcast(&bell);
	pthread_mutex_unlock(&bell_lock);
	pthread_join(s->thread, NULL);
	free(s);
}
