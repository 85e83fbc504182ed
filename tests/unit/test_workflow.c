/*
 * test_workflow — a workflow's mechanism on an invented kind that uses every
 * part of it, none of which the department's own kinds all use: a move only
 * administrators make, a move only the record's division makes, a guard, a
 * state's requirement and stamp, the area's effect of a move, and where a
 * new record may begin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/workflow.h"

static const char *const phases[] = { "draft", "review", "published", "withdrawn", NULL };
static const char *const phase_labels[] = { "Draft", "In review", "Published", "Withdrawn", NULL };
static const field_def note_fields[] = {
	{ "title", F_TEXT, REQUIRED | TITLE, .max = 100 },
	{ "summary", F_TEXT, 0, .max = 500 },
	{ "reason", F_TEXT, 0, .max = 500 },
	{ "phase", F_ENUM, 0, .values = phases, .labels = phase_labels },
	{ "published_at", F_TIME, READONLY },
	{ "moves", F_INT, READONLY },
};

/* Withdrawing needs a reason: the area's own condition. */
static int reason_given(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	if (r->v[entity_column(e, "reason")].type == SV_NULL) {
		model_field_error(m, "reason", "is needed to withdraw");
		return model_fail(m, 422, "Some fields are not valid", "say why it is withdrawn");
	}
	return 0;
}

/* The area's effect of any move: counted. */
static int count_move(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)m;
	(void)c;
	store_value *v = &r->v[entity_column(e, "moves")];
	*v = SV_INT_(v->type == SV_INT ? v->i + 1 : 1);
	return 0;
}

static const transition note_moves[] = {
	{ "draft", "review" },
	{ "review", "draft", WHO_EDITORS, ROLE_BIT(ROLE_STAFF) },
	{ "review", "published", WHO_ADMIN },
	{ "published", "withdrawn", .guard = reason_given },
};
static const char *const published_needs[] = { "summary", NULL };
static const workflow note_workflow = {
	.field = "phase", .starts = (const char *const[]){ "draft", NULL }, .moves = note_moves,
	.nmoves = sizeof note_moves / sizeof *note_moves,
	.rules = (const state_rule[]){ { "published", published_needs, "published_at" }, { NULL } },
	.on_move = count_move,
};
static const entity_def notes = {
	.name = "notes", .table = "notes", .label = "note", .fields = note_fields,
	.nfields = sizeof note_fields / sizeof *note_fields, .read = WHO_STAFF, .write = WHO_EDITORS,
	.workflow = &note_workflow,
};

static const user admin = { 1, "root", ROLE_ADMIN, NULL, 0, "en" };
static const user ipd = { 2, "ana", ROLE_STAFF, "IPD", 0, "en" };
static const user drd = { 3, "bruno", ROLE_STAFF, "DRD", 0, "fr" };

static char dir[64];
static store *st;
static registry reg;

static int setup(void **state)
{
	(void)state;
	char path[96], err[256];
	snprintf(dir, sizeof dir, "/tmp/liaison-workflow-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	const entity_def *defs[] = { &notes };
	if (!(st = store_open(path, err, sizeof err)) || store_migrate(st, err, sizeof err) ||
	    registry_build(&reg, defs, 1, err, sizeof err) || registry_create_tables(&reg, st, err, sizeof err)) {
		fprintf(stderr, "test_workflow: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[96];
	registry_free(&reg);
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const entity *kind(void) { return registry_find(&reg, "notes"); }

/* A new note by ana, of division IPD: its id. */
static char *new_note(const char *json)
{
	static char id[32];
	model_ctx m;
	model_init(&m, st, &reg, &ipd);
	json_t *body = json_loads(json, 0, NULL);
	assert_int_equal(model_create(&m, kind(), body, 0), 0);
	snprintf(id, sizeof id, "%lld", (long long)m.id);
	json_decref(body);
	model_done(&m);
	return id;
}

/* Moves note id to state as u; the status, and in out (when given) the answer's body. */
static int move(const user *u, const char *id, const char *to, const char *fields, char *out, size_t outlen)
{
	model_ctx m;
	model_init(&m, st, &reg, u);
	json_t *f = fields ? json_loads(fields, 0, NULL) : NULL;
	model_transition(&m, kind(), id, 0, to, f);
	if (out)
		snprintf(out, outlen, "%s", buf_str(&m.body));
	int status = m.status;
	json_decref(f);
	model_done(&m);
	return status;
}

static json_t *note(const char *id)
{
	model_ctx m;
	model_init(&m, st, &reg, &admin);
	assert_int_equal(model_get(&m, kind(), id), 0);
	json_t *j = json_loads(buf_str(&m.body), 0, NULL);
	model_done(&m);
	return j;
}

static void a_new_record_begins_where_its_workflow_says(void **state)
{
	(void)state;
	json_t *n = note(new_note("{\"title\": \"Invented minutes\"}"));
	assert_string_equal(json_string_value(json_object_get(n, "phase")), "draft");
	json_decref(n);
	model_ctx m;
	model_init(&m, st, &reg, &ipd);
	json_t *body = json_loads("{\"title\": \"Born published\", \"phase\": \"published\"}", 0, NULL);
	assert_int_equal(model_create(&m, kind(), body, 0), -1);
	assert_int_equal(m.status, 422);
	json_decref(body);
	model_done(&m);
}

static void who_may_make_a_move_is_the_moves_own(void **state)
{
	(void)state;
	char *id = strdup(new_note("{\"title\": \"Invented report\", \"summary\": \"Short.\"}"));
	char body[2048];
	assert_int_equal(move(&drd, id, "review", NULL, NULL, 0), 200);   /* any editor sends it to review */
	/* back to draft is its division's move; publishing is an administrator's */
	assert_int_equal(move(&drd, id, "published", NULL, body, sizeof body), 409);
	assert_non_null(strstr(body, "\"allowed\":[]"));    /* bruno, of DRD, may make neither move */
	assert_int_equal(move(&ipd, id, "published", NULL, body, sizeof body), 409);
	assert_non_null(strstr(body, "\"allowed\":[{\"to\":\"draft\",\"label\":\"Draft\"}]"));
	assert_int_equal(move(&admin, id, "published", NULL, NULL, 0), 200);
	json_t *n = note(id);
	assert_string_equal(json_string_value(json_object_get(n, "phase")), "published");
	assert_non_null(json_string_value(json_object_get(n, "published_at")));   /* the state's stamp */
	assert_int_equal(json_integer_value(json_object_get(n, "moves")), 2);      /* the area's effect, each move */
	json_decref(n);
	free(id);
}

static void a_state_requires_its_fields_and_a_guard_has_its_say(void **state)
{
	(void)state;
	char *id = strdup(new_note("{\"title\": \"Invented notice\"}"));
	assert_int_equal(move(&ipd, id, "review", NULL, NULL, 0), 200);
	assert_int_equal(move(&admin, id, "published", NULL, NULL, 0), 422);       /* no summary yet */
	assert_int_equal(move(&admin, id, "published", "{\"summary\": \"Now it has one.\"}", NULL, 0), 200);
	assert_int_equal(move(&ipd, id, "withdrawn", NULL, NULL, 0), 422);          /* the guard: no reason */
	json_t *n = note(id);
	assert_string_equal(json_string_value(json_object_get(n, "phase")), "published");   /* nothing written */
	json_decref(n);
	assert_int_equal(move(&ipd, id, "withdrawn", "{\"reason\": \"Superseded.\"}", NULL, 0), 200);
	free(id);
}

static void the_moves_offered_are_those_the_user_may_make(void **state)
{
	(void)state;
	char *id = strdup(new_note("{\"title\": \"Invented agenda\"}"));
	assert_int_equal(move(&ipd, id, "review", NULL, NULL, 0), 200);
	const user *who[] = { &drd, &ipd, &admin };
	const size_t expect[] = { 0, 1, 2 };
	for (size_t i = 0; i < 3; i++) {
		model_ctx m;
		model_init(&m, st, &reg, who[i]);
		const char *next[8];
		assert_int_equal(model_moves(&m, kind(), id, next, 8), expect[i]);
		model_done(&m);
	}
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_record_begins_where_its_workflow_says),
		cmocka_unit_test(who_may_make_a_move_is_the_moves_own),
		cmocka_unit_test(a_state_requires_its_fields_and_a_guard_has_its_say),
		cmocka_unit_test(the_moves_offered_are_those_the_user_may_make),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
