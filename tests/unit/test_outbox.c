/*
 * test_outbox — the outbox against a real SQLite file, with the relay
 * played by a function of the test's: a message queued in a transaction
 * that rolls back is never there; the delays between attempts grow, are
 * capped, and run out into "failed" with the relay's last reason; a
 * permanent refusal fails at once, a temporary one is tried again; the
 * reasons smtp_send gives, sorted; two senders at once deliver each
 * message exactly once; a sender that died holding a message lets it go
 * when its lease ends; the kind's on_mail hook hears each outcome, and a
 * hook that fails does not make a message go twice; an administrator's
 * "try again now"; the sender's thread wakes when mail is queued and stops
 * at once; the settings read from the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/clock.h"
#include "formats/mailout.h"
#include "model/outbox.h"
#include "testdb.h"

#define RELAY "smtp://127.0.0.1:1"
#define REFUSED_FOR_GOOD "the relay refused: 550 5.1.1 <nobody@example.org>: no such mailbox (Failed sending data)"
#define REFUSED_FOR_NOW "the relay refused: 451 4.3.0 try again later (Failed sending data)"
#define NO_CONNECTION "smtp: Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server"
#define MANY 40       /* messages two senders share */

static const user clerk = { 0, "clerk", ROLE_ADMIN, NULL, 0, "en" };

/* ---- the relay, played by the test ------------------------------------------------ */

static atomic_int sends;                 /* calls of the relay */
static atomic_int per_message[MANY + 1]; /* by the number in "message N" */
static const char *answer;               /* NULL: taken; else the reason it is refused */
static int slow;                         /* microseconds each send takes */

static int relay(const char *url, const char *from, const char *const *to, size_t nto, const char *data, size_t len,
		 char *err, size_t errlen)
{
	(void)url, (void)from, (void)to, (void)nto, (void)len;
	atomic_fetch_add(&sends, 1);
	int n = 0;
	if (sscanf(data, "message %d", &n) == 1 && n > 0 && n <= MANY)
		atomic_fetch_add(&per_message[n], 1);
	if (slow)
		usleep((useconds_t)slow);
	if (!answer)
		return 0;
	snprintf(err, errlen, "%s", answer);
	return -1;
}

static void use_relay(unsigned attempts, const unsigned *delays, size_t ndelays)
{
	outbox_settings s;
	outbox_settings_defaults(&s);
	snprintf(s.relay, sizeof s.relay, RELAY);
	s.send = relay;
	if (attempts)
		s.attempts = attempts;
	if (ndelays) {
		memcpy(s.delays, delays, ndelays * sizeof *delays);
		s.ndelays = ndelays;
	}
	outbox_settings_set(&s);
	atomic_store(&sends, 0);
	for (int i = 0; i <= MANY; i++)
		atomic_store(&per_message[i], 0);
	answer = NULL;
	slow = 0;
}

/* ---- a kind that listens ------------------------------------------------------------ */

static char heard[16], heard_reason[200];
static int hook_fails;

static int gadget_mail(model_ctx *m, store_conn *c, const entity *e, int64_t id, const char *state, const char *reason)
{
	(void)c, (void)e, (void)id;
	snprintf(heard, sizeof heard, "%s", state);
	snprintf(heard_reason, sizeof heard_reason, "%s", reason ? reason : "");
	return hook_fails ? model_fail(m, 500, "Store error", "the gadget could not be written") : 0;
}

static const field_def gadget_fields[] = { { "name", F_TEXT, TITLE, .max = 100, .label = "Name" } };
static const entity_def gadgets = { .name = "gadgets", .table = "gadgets", .label = "gadget", .fields = gadget_fields,
				    .nfields = 1, .read = WHO_STAFF, .write = WHO_EDITORS, .on_mail = gadget_mail };

typedef struct fixture {
	testdb *t;
	registry reg;   /* the gadgets alone */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[200];
	const entity_def *defs[] = { &gadgets };
	f->t = testdb_open();
	if (registry_build(&f->reg, defs, 1, err, sizeof err) || registry_create_tables(&f->reg, f->t->st, err, sizeof err))
		fail_msg("%s", err);
	use_relay(0, NULL, 0);
	heard[0] = heard_reason[0] = '\0';
	hook_fails = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	registry_free(&f->reg);
	testdb_close(f->t);
	free(f);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------------- */

/* Queues "message n" for gadget 1 and commits (or rolls back). */
static void queue(fixture *f, int n, int commit)
{
	model_ctx m;
	model_init(&m, f->t->st, &f->reg, &clerk);
	store_conn *c = store_begin(f->t->st);
	assert_non_null(c);
	char data[32];
	snprintf(data, sizeof data, "message %d\r\n", n);
	outbox_mail mail = { "gadgets", 1, "desk@liaison.example", "ana.ruiz@example.org", "Hello", data, strlen(data) };
	assert_int_equal(outbox_queue(&m, c, &mail), 0);
	if (commit)
		assert_int_equal(store_commit(c), STORE_OK);
	else
		store_rollback(c);
	model_done(&m);
}

typedef struct row {
	int64_t id, attempts;
	char state[16], next[32], error[300], sending[32];
	int found;
} row;

static int read_row(void *ctx, store_row *r)
{
	row *out = ctx;
	const char *s;
	out->id = store_int(r, 0);
	snprintf(out->state, sizeof out->state, "%s", store_text(r, 1, NULL));
	out->attempts = store_int(r, 2);
	snprintf(out->next, sizeof out->next, "%s", (s = store_text(r, 3, NULL)) ? s : "");
	snprintf(out->error, sizeof out->error, "%s", (s = store_text(r, 4, NULL)) ? s : "");
	snprintf(out->sending, sizeof out->sending, "%s", (s = store_text(r, 5, NULL)) ? s : "");
	out->found++;
	return 0;
}

/* The message with this id (0: the only one), as the database holds it now. */
static row message(fixture *f, int64_t id)
{
	static const char *const cols[] = { "id", "state", "attempts", "next_attempt_at", "last_error", "sending_since" };
	store_cond w = COND_EQ("id", SV_INT_(id));
	store_select q = { .table = "outbox", .cols = cols, .ncols = 6, .where = &w, .nwhere = id ? 1 : 0 };
	row r = { 0 };
	assert_int_equal(store_query(store_reader(f->t->st), &q, read_row, &r), STORE_OK);
	assert_int_equal(r.found, 1);
	return r;
}

static int64_t rows(fixture *f) { return store_rows(f->t->st, "outbox"); }

static time_t when(const char *iso)
{
	time_t t = 0;
	assert_int_equal(clock_parse_time(iso, &t), 0);
	return t;
}

/* A pass at now; its outcomes. */
static outbox_pass deliver(fixture *f, time_t now)
{
	outbox_pass p;
	assert_int_equal(outbox_deliver_due(f->t->st, &f->reg, now, &p), 0);
	return p;
}

/* ---- queuing ------------------------------------------------------------------------ */

static void a_rolled_back_write_queues_nothing(void **state)
{
	fixture *f = *state;
	queue(f, 1, 0);
	assert_int_equal(rows(f), 0);
	outbox_pass p = deliver(f, time(NULL));
	assert_int_equal(atomic_load(&sends), 0);
	assert_int_equal(p.next_due, 0);
	queue(f, 2, 1);
	assert_int_equal(rows(f), 1);
	row r = message(f, 0);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 0);
}

static void a_taken_message_is_sent_once_and_the_kind_hears_it(void **state)
{
	fixture *f = *state;
	queue(f, 1, 1);
	outbox_pass p = deliver(f, time(NULL));
	assert_int_equal(p.sent, 1);
	assert_int_equal(p.next_due, 0);
	assert_int_equal(atomic_load(&sends), 1);
	row r = message(f, 0);
	assert_string_equal(r.state, "sent");
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.next, "");
	assert_string_equal(r.sending, "");
	assert_string_equal(heard, "sent");
	deliver(f, time(NULL) + 86400);
	assert_int_equal(atomic_load(&sends), 1);   /* never again */
}

/* ---- the schedule ---------------------------------------------------------------------- */

static void delays_grow_are_capped_and_run_out(void **state)
{
	(void)state;
	outbox_settings s;
	outbox_settings_defaults(&s);
	s.attempts = 5;
	s.ndelays = 3;
	s.delays[0] = 60, s.delays[1] = 300, s.delays[2] = 900;
	assert_int_equal(outbox_retry_delay(&s, 0), -1);
	assert_int_equal(outbox_retry_delay(&s, 1), 60);
	assert_int_equal(outbox_retry_delay(&s, 2), 300);
	assert_int_equal(outbox_retry_delay(&s, 3), 900);
	assert_int_equal(outbox_retry_delay(&s, 4), 900);   /* the last delay repeats */
	assert_int_equal(outbox_retry_delay(&s, 5), -1);    /* that was the last attempt */
	outbox_settings_defaults(&s);
	for (unsigned a = 1; a + 1 < s.attempts; a++)
		assert_true(outbox_retry_delay(&s, a) <= outbox_retry_delay(&s, a + 1));
	assert_true(outbox_retry_delay(&s, 1) >= 60);
}

/* now + delay, give or take the second a pass may take. */
static void due_after(const row *r, time_t at, long delay)
{
	long off = (long)(when(r->next) - at) - delay;
	assert_true(off >= 0 && off <= 1);
}

static void a_temporary_refusal_is_tried_again_on_schedule_then_fails(void **state)
{
	fixture *f = *state;
	static const unsigned delays[] = { 60, 300, 900 };
	use_relay(5, delays, 3);
	answer = NO_CONNECTION;
	queue(f, 1, 1);
	time_t t = time(NULL);
	static const long expected[] = { 60, 300, 900, 900 };
	for (int attempt = 1; attempt <= 4; attempt++) {
		outbox_pass p = deliver(f, t);
		assert_int_equal(p.deferred, 1);
		row r = message(f, 0);
		assert_string_equal(r.state, "queued");
		assert_int_equal(r.attempts, attempt);
		assert_string_equal(r.error, NO_CONNECTION);
		due_after(&r, t, expected[attempt - 1]);
		assert_int_equal(p.next_due, when(r.next));
		assert_string_equal(heard, "");   /* still queued: nothing to tell the record */
		time_t due = when(r.next);
		deliver(f, due - 2);   /* not yet */
		assert_int_equal(atomic_load(&sends), attempt);
		t = due;
	}
	answer = REFUSED_FOR_NOW;   /* the last attempt: the relay's last reason is the one kept */
	outbox_pass p = deliver(f, t);
	assert_int_equal(p.failed, 1);
	row r = message(f, 0);
	assert_string_equal(r.state, "failed");
	assert_int_equal(r.attempts, 5);
	assert_string_equal(r.next, "");
	assert_string_equal(r.error, REFUSED_FOR_NOW);
	assert_string_equal(heard, "failed");
	assert_string_equal(heard_reason, REFUSED_FOR_NOW);
	deliver(f, t + 86400);
	assert_int_equal(atomic_load(&sends), 5);
}

static void a_permanent_refusal_fails_at_once(void **state)
{
	fixture *f = *state;
	answer = REFUSED_FOR_GOOD;
	queue(f, 1, 1);
	outbox_pass p = deliver(f, time(NULL));
	assert_int_equal(p.failed, 1);
	row r = message(f, 0);
	assert_string_equal(r.state, "failed");
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.error, REFUSED_FOR_GOOD);
	assert_string_equal(heard, "failed");
	assert_string_equal(heard_reason, REFUSED_FOR_GOOD);
	answer = REFUSED_FOR_NOW;
	queue(f, 2, 1);
	p = deliver(f, time(NULL));
	assert_int_equal(p.deferred, 1);
	assert_string_equal(message(f, 2).state, "queued");
}

static void the_reasons_are_sorted(void **state)
{
	(void)state;
	assert_true(smtp_reason_temporary(NO_CONNECTION));
	assert_true(smtp_reason_temporary(REFUSED_FOR_NOW));
	assert_true(smtp_reason_temporary("smtp: Timeout was reached"));
	assert_false(smtp_reason_temporary(REFUSED_FOR_GOOD));
	assert_false(smtp_reason_temporary("the relay refused: 554 5.7.1 relaying denied (Failed sending data)"));
	assert_false(smtp_reason_temporary("the relay does not offer SMTPUTF8, which josé@example.org needs (its part before @ is not ASCII)"));
	assert_false(smtp_reason_temporary("the relay's address must start with smtp:// or smtps://"));
	assert_false(smtp_reason_temporary("a recipient is not an e-mail address: it needs an @"));
	assert_false(smtp_reason_temporary(NULL));
	/* and smtp_send's own reasons, from a relay that is not there and an address it cannot take */
	char err[300];
	const char *to[] = { "ana@example.org" }, *bad[] = { "ana@@example.org" };
	assert_int_equal(smtp_send("smtp://127.0.0.1:1", "desk@example.org", to, 1, "x", 1, err, sizeof err), -1);
	assert_true(smtp_reason_temporary(err));
	assert_int_equal(smtp_send("smtp://127.0.0.1:1", "desk@example.org", bad, 1, "x", 1, err, sizeof err), -1);
	assert_false(smtp_reason_temporary(err));
}

/* ---- two senders ----------------------------------------------------------------------- */

typedef struct sender_run {
	fixture *f;
	size_t sent;
} sender_run;

static void *sender(void *arg)
{
	sender_run *s = arg;
	for (;;) {
		outbox_pass p;
		if (outbox_deliver_due(s->f->t->st, &s->f->reg, time(NULL), &p))
			break;
		s->sent += p.sent;
		if (p.sent + p.deferred + p.failed == 0)
			break;   /* nothing was due for this one: the rest is the other's, or done */
	}
	return NULL;
}

static void two_senders_deliver_each_message_once(void **state)
{
	fixture *f = *state;
	slow = 2000;
	for (int i = 1; i <= MANY; i++)
		queue(f, i, 1);
	sender_run a = { f, 0 }, b = { f, 0 };
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, sender, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, sender, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (int i = 1; i <= MANY; i++)
		assert_int_equal(atomic_load(&per_message[i]), 1);
	assert_int_equal(atomic_load(&sends), MANY);
	assert_int_equal(a.sent + b.sent, MANY);
	assert_true(a.sent > 0 && b.sent > 0);   /* both took their share */
	int64_t n = 0;
	store_cond w = COND_EQ("state", sv_text("sent"));
	assert_int_equal(store_count(store_reader(f->t->st), "outbox", &w, 1, &n), STORE_OK);
	assert_int_equal(n, MANY);
}

/* A sender that died holding a message: the lease keeps others off it until it ends. */
static void a_message_held_by_a_dead_sender_goes_after_its_lease(void **state)
{
	fixture *f = *state;
	queue(f, 1, 1);
	time_t now = time(NULL);
	char taken[32], lease_end[32];
	clock_iso(now, taken);
	clock_iso(now + outbox_settings_get()->lease, lease_end);
	store_conn *c = store_begin(f->t->st);
	static const char *const cols[] = { "attempts", "sending_since", "next_attempt_at" };
	store_value v[] = { SV_INT_(1), sv_text(taken), sv_text(lease_end) };
	store_cond w = COND_EQ("state", sv_text("queued"));
	assert_int_equal(store_update(c, "outbox", cols, v, 3, &w, 1, NULL), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	outbox_pass p = deliver(f, now);
	assert_int_equal(atomic_load(&sends), 0);
	assert_int_equal(p.next_due, now + outbox_settings_get()->lease);
	deliver(f, now + outbox_settings_get()->lease - 1);
	assert_int_equal(atomic_load(&sends), 0);
	deliver(f, now + outbox_settings_get()->lease);
	assert_int_equal(atomic_load(&sends), 1);
	row r = message(f, 0);
	assert_string_equal(r.state, "sent");
	assert_int_equal(r.attempts, 2);
}

/* The record could not say so: the message is sent all the same, and once. */
static void a_failing_hook_does_not_send_twice(void **state)
{
	fixture *f = *state;
	hook_fails = 1;
	queue(f, 1, 1);
	deliver(f, time(NULL));
	assert_string_equal(heard, "sent");
	assert_string_equal(message(f, 0).state, "sent");
	deliver(f, time(NULL) + 3600);
	assert_int_equal(atomic_load(&sends), 1);
}

/* ---- trying again now ---------------------------------------------------------------- */

static void an_administrator_tries_failed_mail_again(void **state)
{
	fixture *f = *state;
	model_ctx m;
	model_init(&m, f->t->st, &f->reg, &clerk);
	json_t *kettle = json_pack("{s:s}", "name", "Kettle");
	assert_int_equal(model_create(&m, registry_find(&f->reg, "gadgets"), kettle, 0), 0);   /* gadget 1 */
	json_decref(kettle);
	model_done(&m);
	answer = REFUSED_FOR_GOOD;
	queue(f, 1, 1);
	deliver(f, time(NULL));
	int64_t id = message(f, 0).id;
	char ids[24];
	snprintf(ids, sizeof ids, "%" PRId64, id);
	const user staff = { 0, "ana", ROLE_STAFF, "IPD", 0, "en" };
	model_init(&m, f->t->st, &f->reg, &staff);
	assert_int_equal(outbox_retry(&m, ids), -1);
	assert_int_equal(m.status, 403);
	model_done(&m);
	model_init(&m, f->t->st, &f->reg, &clerk);
	assert_int_equal(outbox_retry(&m, ids), 0);
	assert_non_null(strstr(buf_str(&m.body), "\"state\":\"queued\""));
	model_done(&m);
	row r = message(f, id);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 0);
	assert_string_equal(heard, "queued");   /* the record is told it waits again */
	answer = NULL;
	deliver(f, time(NULL));
	assert_string_equal(message(f, id).state, "sent");
	model_init(&m, f->t->st, &f->reg, &clerk);
	assert_int_equal(outbox_retry(&m, ids), -1);
	assert_int_equal(m.status, 409);   /* sent already */
	model_done(&m);
	model_init(&m, f->t->st, &f->reg, &clerk);
	assert_int_equal(outbox_retry(&m, "999"), -1);
	assert_int_equal(m.status, 404);
	model_done(&m);
}

/* ---- the thread ------------------------------------------------------------------------- */

static void the_sender_wakes_when_mail_is_queued_and_stops_at_once(void **state)
{
	fixture *f = *state;
	char err[200];
	outbox_sender *s = outbox_sender_start(f->t->st, &f->reg, err, sizeof err);
	assert_non_null(s);
	usleep(100 * 1000);   /* its first pass found nothing: it sleeps for a minute unless rung */
	queue(f, 1, 1);
	for (int i = 0; i < 100 && strcmp(message(f, 0).state, "sent") != 0; i++)
		usleep(50 * 1000);
	assert_string_equal(message(f, 0).state, "sent");
	uint64_t before = clock_micros();
	outbox_sender_stop(s);
	assert_true(clock_micros() - before < 2000000);
	assert_int_equal(atomic_load(&sends), 1);
}

/* ---- settings ----------------------------------------------------------------------------- */

static int configure(const char *json, char *err, size_t errlen)
{
	char path[] = "/tmp/liaison-outbox-conf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	int rc = outbox_configure(path, err, errlen);
	unlink(path);
	return rc;
}

static void the_settings_are_read_from_the_file(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(configure("{\"mail\": {\"smtp_url\": \"smtp://relay.example.org:25\", \"attempts\": 3, "
				   "\"retry_after\": [5, 10]}}", err, sizeof err), 0);
	const outbox_settings *s = outbox_settings_get();
	assert_string_equal(s->relay, "smtp://relay.example.org:25");
	assert_int_equal(s->attempts, 3);
	assert_int_equal(s->ndelays, 2);
	assert_int_equal(outbox_retry_delay(s, 2), 10);
	assert_true(outbox_ready());
	assert_int_equal(configure("{\"calendar\": {}}", err, sizeof err), 0);   /* no mail member: no relay */
	assert_false(outbox_ready());
	assert_int_equal(outbox_settings_get()->attempts, 8);
	assert_int_equal(configure("{\"mail\": {\"smtp_url\": \"smtps://relay.example.org\"}}", err, sizeof err), 0);
	static const char *const wrong[][2] = {
		{ "{\"mail\": {\"retry_after\": [1, -5]}}", "mail.retry_after must hold numbers of seconds" },
		{ "{\"mail\": {\"retry_after\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}}", "a list of 1 to 16" },
		{ "{\"mail\": {\"attempts\": 101}}", "mail.attempts must be a whole number from 1 to 100" },
		{ "{\"mail\": {\"smtp_url\": \"http://relay\"}}", "must start with smtp:// or smtps://" },
		{ "{\"mail\": 3}", "mail must be an object" },
		{ "{\"mail\": ", "" },
	};
	for (size_t i = 0; i < COUNT(wrong); i++) {
		err[0] = '\0';
		assert_int_equal(configure(wrong[i][0], err, sizeof err), -1);
		assert_non_null(strstr(err, wrong[i][1]));
		assert_null(strchr(err, '\n'));
	}
	assert_string_equal(outbox_settings_get()->relay, "smtps://relay.example.org");   /* a wrong file changes nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_rolled_back_write_queues_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_taken_message_is_sent_once_and_the_kind_hears_it, setup, teardown),
		cmocka_unit_test(delays_grow_are_capped_and_run_out),
		cmocka_unit_test_setup_teardown(a_temporary_refusal_is_tried_again_on_schedule_then_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(a_permanent_refusal_fails_at_once, setup, teardown),
		cmocka_unit_test(the_reasons_are_sorted),
		cmocka_unit_test_setup_teardown(two_senders_deliver_each_message_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_message_held_by_a_dead_sender_goes_after_its_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failing_hook_does_not_send_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(an_administrator_tries_failed_mail_again, setup, teardown),
		cmocka_unit_test_setup_teardown(the_sender_wakes_when_mail_is_queued_and_stops_at_once, setup, teardown),
		cmocka_unit_test(the_settings_are_read_from_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
