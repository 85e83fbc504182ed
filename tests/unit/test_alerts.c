/*
 * test_alerts — the platform's alerts (model/alerts.h) against a real
 * SQLite file, with kinds of the test's own: each record the view shows
 * is mailed once to the person its reference field names (else its
 * creator), in their language, and stamped with the pass's time; a second
 * pass sends nothing; a record that left the view between the list and
 * its transaction, a recipient without an address, or one who may not read
 * the record, is neither mailed nor stamped; a message about another
 * record names that record, its title in the recipient's language (else
 * the first it has) and its page; a hook that fails stops the pass with
 * its name and leaves nothing half done; an alert the registry cannot
 * serve is said, not run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <sodium.h>

#include "core/clock.h"
#include "model/accounts.h"
#include "model/alerts.h"
#include "model/outbox.h"
#include "testdb.h"

#define PASS_TIME 1796000000   /* 2026-11-30T09:33:20Z: what the stamps must say */

/* ---- the kinds: chores, each kept by someone, and their steps ------------------------------- */

static const char *const chore_states[] = { "open", "done", NULL };
static const field_def chore_fields[] = {
	{ "title", F_LANGTEXT, TITLE, .max = 100, .label = "Title" },
	{ "state", F_ENUM, 0, .values = chore_states, .initial = "open", .label = "State" },
	{ "due_on", F_DATE, 0, .label = "Due on" },
	{ "keeper", F_REF, 0, .ref = "users", .label = "Keeper" },
	{ "nagged_at", F_TIME, READONLY, .label = "Nagged on" },
};

/* Open chores; after `vanish_after` calls, none: the records leave the view
 * between the pass's list and their own transactions. */
static int vanish_after = -1, calls;
static int open_chores(model_ctx *m, const entity *e, store_cond *w)
{
	(void)m, (void)e;
	int gone = vanish_after >= 0 && calls++ >= vanish_after;
	w[0] = COND_EQ("state", sv_text(gone ? "nobody-has-this-state" : "open"));
	return 1;
}
static const list_view chore_views[] = { { "open", "Open chores", open_chores }, { NULL } };

static const entity_def chores = {
	.name = "chores", .table = "chores", .label = "chore", .fields = chore_fields, .nfields = COUNT(chore_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .views = chore_views,
};

static const field_def step_fields[] = {
	{ "name", F_TEXT, TITLE, .max = 100, .label = "Name" },
	{ "chore", F_REF, REQUIRED, .ref = "chores", .label = "Chore" },
	{ "doer", F_REF, REQUIRED, .ref = "users", .label = "Doer" },
	{ "late_at", F_TIME, READONLY, .label = "Late notice sent" },
};
static int every_step(model_ctx *m, const entity *e, store_cond *w)
{
	(void)m, (void)e;
	w[0] = COND("id", OP_GT, SV_INT_(0));
	return 1;
}
static const list_view step_views[] = { { "all", "Every step", every_step }, { NULL } };
static const entity_def steps = {
	.name = "steps", .table = "steps", .label = "step", .fields = step_fields, .nfields = COUNT(step_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .parent = "chore", .views = step_views,
};

static const entity_def *const test_kinds[] = { &chores, &steps };

/* ---- the alerts ------------------------------------------------------------------------------ */

static const user nagger = { 0, "nagger", ROLE_ADMIN, NULL, 0, "en" };
static const alert_sender desk_address = { "Invented Desk", "desk@liaison.example", "liaison-test" };

static const alert nag = { .kind = "chores", .view = "open", .stamp = "nagged_at", .to = "keeper",
			   .subject = "Chore waiting:", .text = "This chore is still open.", .title = "title",
			   .date = "due_on" };
static const alert late_step = { .kind = "steps", .view = "all", .stamp = "late_at", .to = "doer",
				 .subject = "Step late:", .text = "Your step of this chore is late.", .about = "chore",
				 .title = "title", .date = "due_on" };

static int64_t failing_recipient(model_ctx *m, store_conn *c, const record *r)
{
	(void)c, (void)r;
	return model_fail(m, 500, "Store error", "the invented keepers could not be read");
}
static const alert broken = { .kind = "chores", .view = "open", .stamp = "nagged_at", .recipient = failing_recipient,
			      .subject = "Chore waiting:", .text = "This chore is still open.", .title = "title" };

static const char *hooked_title(model_ctx *m, store_conn *c, const record *about, int lang)
{
	(void)c;
	return arena_printf(&m->a, "chore %" PRId64 " in %s", about->v[COL_ID].i, registry_langs[lang]);
}
static const alert titled = { .kind = "chores", .view = "open", .stamp = "nagged_at", .to = "keeper",
			      .subject = "Chore waiting:", .text = "This chore is still open.", .title_of = hooked_title };

/* ---- the fixture ----------------------------------------------------------------------------- */

static testdb *t;
static account root_account;   /* its user is root */
#define root (root_account.u)
static int64_t fr_keeper, es_keeper, silent_keeper;   /* with an address in French, in Spanish; without one */

/* An account of role, made now, into *out (which owns its strings). */
static void make_account(const char *name, const char *role, const char *division, account *out)
{
	char err[256];
	if (accounts_add(t->st, name, role, division, 0, "zelkova-pass-2026", err, sizeof err) ||
	    accounts_by_name(t->st, name, out))
		fail_msg("cannot make the account %s: %s", name, err);
}

static int64_t staff_id(const char *name)
{
	account a;
	make_account(name, "staff", "DRD", &a);
	return a.u.id;
}

/* A record made by who from JSON text: its id. */
static int64_t make(const user *who, const char *kind, const char *json)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, who);
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	if (model_create(&m, registry_find(&t->reg, kind), body, 0))
		fail_msg("%s not made: %s", kind, m.detail ? m.detail : "?");
	json_t *made = json_loadb(m.body.data, m.body.len, 0, NULL);
	int64_t id = json_integer_value(json_object_get(made, "id"));
	json_decref(made);
	json_decref(body);
	model_done(&m);
	return id;
}

static void patch_user(int64_t id, const char *json)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &root);
	json_t *patch = json_loads(json, 0, NULL);
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	if (model_update(&m, registry_find(&t->reg, "users"), sid, 0, patch))
		fail_msg("user %s not changed: %s", sid, m.detail ? m.detail : "?");
	json_decref(patch);
	model_done(&m);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	t = testdb_open_with(test_kinds, COUNT(test_kinds));
	make_account("root", "admin", NULL, &root_account);
	fr_keeper = staff_id("odile");
	es_keeper = staff_id("ramiro");
	silent_keeper = staff_id("quentin");
	patch_user(fr_keeper, "{\"email\": \"odile.marchetti@liaison.example\", \"language\": \"fr\"}");
	patch_user(es_keeper, "{\"email\": \"ramiro.quispe@liaison.example\", \"language\": \"es\"}");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(t);
	return 0;
}

/* ---- what the pass did ----------------------------------------------------------------------- */

static int run(const alert *a, size_t n, char *err, size_t errlen)
{
	const alert_pass p = { "invented nags", &nagger, a, n };
	return alerts_run(t->st, &t->reg, &p, &desk_address, PASS_TIME, err, errlen);
}

typedef struct mail_seen {
	int n;
	char to[128], subject[200], message[4000];
} mail_seen;

static int seen_row(void *ctx, store_row *row)
{
	mail_seen *s = ctx;
	s->n++;
	size_t len;
	const char *message = store_text(row, 2, &len);
	snprintf(s->to, sizeof s->to, "%s", store_text(row, 0, NULL));
	snprintf(s->subject, sizeof s->subject, "%s", store_text(row, 1, NULL));
	snprintf(s->message, sizeof s->message, "%.*s", (int)len, message);
	return 0;
}

/* The mail queued for kind/id: how many, and the last one's envelope and bytes. */
static mail_seen mail_of(const char *kind, int64_t id)
{
	static const char *const cols[] = { "rcpt_to", "subject", "message" };
	store_cond w[] = { COND_EQ("kind", sv_text(kind)), COND_EQ("record_id", SV_INT_(id)) };
	store_order by = { .col = "id" };
	store_select q = { .table = "outbox", .cols = cols, .ncols = 3, .where = w, .nwhere = 2, .order = &by, .norder = 1 };
	mail_seen s = { 0 };
	assert_int_equal(store_query(store_reader(t->st), &q, seen_row, &s), STORE_OK);
	return s;
}

/* The stamp of kind/id, "" when none. */
static const char *stamp_of(const char *kind, const char *field, int64_t id, char *out, size_t size)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &root);
	record r;
	assert_int_equal(model_load(&m, store_reader(t->st), registry_find(&t->reg, kind), id, &r), 0);
	snprintf(out, size, "%s", record_text(&r, field) ? record_text(&r, field) : "");
	model_done(&m);
	return out;
}

static void assert_unstamped(const char *kind, const char *field, int64_t id)
{
	char s[40];
	assert_string_equal(stamp_of(kind, field, id, s, sizeof s), "");
	assert_int_equal(mail_of(kind, id).n, 0);
}

/* ---- the tests ------------------------------------------------------------------------------- */

static void each_record_once_to_its_keeper_in_their_language(void **state)
{
	(void)state;
	char json[300], err[200] = "", stamp[40], at[32];
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Sweep the invented yard\", \"fr\": \"Balayer la cour\"},"
				    " \"due_on\": \"2026-12-24\", \"keeper\": %" PRId64 "}", fr_keeper);
	int64_t kept = make(&root, "chores", json);
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Finished chore\"}, \"state\": \"done\", \"keeper\": %" PRId64 "}",
		 fr_keeper);
	int64_t done = make(&root, "chores", json);
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Nobody to write to\"}, \"keeper\": %" PRId64 "}", silent_keeper);
	int64_t unreachable = make(&root, "chores", json);

	assert_int_equal(run(&nag, 1, err, sizeof err), 1);
	mail_seen s = mail_of("chores", kept);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.to, "odile.marchetti@liaison.example");
	assert_string_equal(s.subject, "Chore waiting: Balayer la cour");      /* the title in the keeper's language */
	assert_non_null(strstr(s.message, "Content-Language: fr"));
	assert_non_null(strstr(s.message, "24 d=C3=A9cembre 2026"));   /* the date in French, as the wire carries it */
	assert_non_null(strstr(s.message, "From: Invented Desk <desk@liaison.example>"));
	assert_non_null(strstr(s.message, "X-Liaison-Loop: liaison-test"));
	char page[40];
	snprintf(page, sizeof page, "/chores/%" PRId64, kept);
	assert_non_null(strstr(s.message, page));
	clock_iso(PASS_TIME, at);
	assert_string_equal(stamp_of("chores", "nagged_at", kept, stamp, sizeof stamp), at);
	assert_unstamped("chores", "nagged_at", done);
	assert_unstamped("chores", "nagged_at", unreachable);

	assert_int_equal(run(&nag, 1, err, sizeof err), 0);                    /* nothing twice */
	assert_int_equal(mail_of("chores", kept).n, 1);

	patch_user(silent_keeper, "{\"email\": \"quentin.aalto@liaison.example\"}");   /* an address now: the alert goes */
	assert_int_equal(run(&nag, 1, err, sizeof err), 1);
	assert_string_equal(mail_of("chores", unreachable).to, "quentin.aalto@liaison.example");
	assert_string_equal(err, "");
}

static void nobody_named_means_the_creator_and_a_secret_stays_unsaid(void **state)
{
	(void)state;
	char err[200] = "";
	account a;
	assert_int_equal(accounts_by_id(t->st, es_keeper, &a), 0);
	const user maker = a.u;
	int64_t own = make(&maker, "chores", "{\"title\": {\"fr\": \"Tâche sans gardien\"}}");
	char json[200];
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Secret chore\"}, \"classification\": \"confidential\", "
				    "\"keeper\": %" PRId64 "}", fr_keeper);
	int64_t secret = make(&maker, "chores", json);   /* Odile keeps it but was never granted it */

	assert_int_equal(run(&nag, 1, err, sizeof err), 1);
	mail_seen s = mail_of("chores", own);
	assert_string_equal(s.to, "ramiro.quispe@liaison.example");
	assert_string_equal(s.subject, "Chore waiting: Tâche sans gardien");   /* Spanish asked, French the only one */
	assert_unstamped("chores", "nagged_at", secret);
}

static void a_record_that_left_the_view_is_not_alerted(void **state)
{
	(void)state;
	char json[200], err[200] = "";
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Done meanwhile\"}, \"keeper\": %" PRId64 "}", fr_keeper);
	int64_t id = make(&root, "chores", json);
	calls = 0;
	vanish_after = 1;   /* the list sees it; its transaction does not */
	int queued = run(&nag, 1, err, sizeof err);
	vanish_after = -1;
	assert_int_equal(queued, 0);
	assert_unstamped("chores", "nagged_at", id);
	assert_int_equal(run(&nag, 1, err, sizeof err), 1);   /* still open after all: the next pass sends it */
}

static void a_message_about_another_record_names_that_one(void **state)
{
	(void)state;
	char json[200], err[200] = "";
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Paint the invented fence\", \"es\": \"Pintar la valla\"},"
				    " \"state\": \"done\", \"due_on\": \"2026-03-05\"}");
	int64_t chore = make(&root, "chores", json);
	snprintf(json, sizeof json, "{\"name\": \"Buy paint\", \"chore\": %" PRId64 ", \"doer\": %" PRId64 "}", chore,
		 es_keeper);
	int64_t step = make(&root, "steps", json);

	assert_int_equal(run(&late_step, 1, err, sizeof err), 1);
	mail_seen s = mail_of("steps", step);   /* queued for the step, about its chore */
	assert_string_equal(s.subject, "Step late: Pintar la valla");
	char page[40];
	snprintf(page, sizeof page, "/chores/%" PRId64, chore);
	assert_non_null(strstr(s.message, page));
	assert_non_null(strstr(s.message, "marzo"));
	assert_int_equal(mail_of("chores", chore).n, 0);
}

static void a_title_hook_names_what_no_field_does(void **state)
{
	(void)state;
	char json[200], err[200] = "", want[80];
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Hooked chore\"}, \"keeper\": %" PRId64 "}", es_keeper);
	int64_t id = make(&root, "chores", json);
	assert_int_equal(run(&titled, 1, err, sizeof err), 1);
	snprintf(want, sizeof want, "Chore waiting: chore %" PRId64 " in es", id);
	assert_string_equal(mail_of("chores", id).subject, want);
}

static void a_failing_hook_stops_the_pass_and_says_so(void **state)
{
	(void)state;
	char json[200], err[200] = "";
	snprintf(json, sizeof json, "{\"title\": {\"en\": \"Never told\"}, \"keeper\": %" PRId64 "}", fr_keeper);
	int64_t id = make(&root, "chores", json);
	const alert both[] = { broken, nag };
	assert_int_equal(run(both, 2, err, sizeof err), -1);
	assert_string_equal(err, "invented nags: the invented keepers could not be read");
	assert_unstamped("chores", "nagged_at", id);   /* and the alert after it did not run */
}

static void an_alert_the_registry_cannot_serve_is_said(void **state)
{
	(void)state;
	char err[200] = "";
	const alert wrong_view = { .kind = "chores", .view = "overgrown", .stamp = "nagged_at", .to = "keeper",
				   .subject = "x", .text = "x", .title = "title" };
	const alert wrong_kind = { .kind = "hedges", .view = "open", .stamp = "nagged_at", .to = "keeper",
				   .subject = "x", .text = "x", .title = "title" };
	const alert no_stamp = { .kind = "chores", .view = "open", .stamp = "trimmed_at", .to = "keeper",
				 .subject = "x", .text = "x", .title = "title" };
	const alert nobody = { .kind = "chores", .view = "open", .stamp = "nagged_at", .subject = "x", .text = "x",
			       .title = "title" };
	const alert *const wrong[] = { &wrong_view, &wrong_kind, &no_stamp, &nobody };
	for (size_t i = 0; i < COUNT(wrong); i++) {
		err[0] = '\0';
		assert_int_equal(run(wrong[i], 1, err, sizeof err), -1);
		assert_non_null(strstr(err, "invented nags: the alert on "));
		assert_non_null(strstr(err, "is not described whole"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_record_once_to_its_keeper_in_their_language),
		cmocka_unit_test(nobody_named_means_the_creator_and_a_secret_stays_unsaid),
		cmocka_unit_test(a_record_that_left_the_view_is_not_alerted),
		cmocka_unit_test(a_message_about_another_record_names_that_one),
		cmocka_unit_test(a_title_hook_names_what_no_field_does),
		cmocka_unit_test(a_failing_hook_stops_the_pass_and_says_so),
		cmocka_unit_test(an_alert_the_registry_cannot_serve_is_said),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
