/*
 * test_model — the generic record operations over the real registry:
 * validation with field-level errors, merge-patch updates and versions,
 * the access matrix (every role × every kind × every operation, and every
 * classification), and duplicate scoring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>

#include "domains/partners/duplicates.h"
#include "model/access.h"
#include "testdb.h"

static testdb *t;

enum { ADMIN, DIRECTOR, STAFF_IPD, STAFF_DRD, TRANSLATOR, VIEWER_IPD, PARTNER, PUBLIC, NUSERS };
static const user users[NUSERS] = {
	{ 1, "root", ROLE_ADMIN, NULL, 0, "en" },
	{ 2, "carmen", ROLE_DIRECTOR, NULL, 0, "fr" },
	{ 3, "ana", ROLE_STAFF, "IPD", 0, "en" },
	{ 4, "bruno", ROLE_STAFF, "DRD", 0, "es" },
	{ 5, "emil", ROLE_TRANSLATOR, "GBD", 0, "en" },
	{ 6, "dora", ROLE_VIEWER, "IPD", 0, "en" },
	{ 7, "pia", ROLE_PARTNER, NULL, 1, "en" },  /* of organization 1 */
	{ 0, NULL, ROLE_PUBLIC, NULL, 0, "en" },
};

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	t = testdb_open();
	char err[256];
	return domains_seed(t->st, &t->reg, err, sizeof err);
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(t);
	return 0;
}

static const entity *kind(const char *name) { return registry_find(&t->reg, name); }

/* Creates an organization as u; returns its id, or 0 with the model's status in *status. */
static int64_t create(const user *u, const char *json, unsigned flags, int *status)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, u);
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	int64_t id = model_create(&m, kind("organizations"), body, flags) == 0 ? m.id : 0;
	if (status)
		*status = m.status;
	json_decref(body);
	model_done(&m);
	return id;
}

static int get_status(const user *u, const char *what, int64_t id)
{
	char s[32];
	snprintf(s, sizeof s, "%lld", (long long)id);
	model_ctx m;
	model_init(&m, t->st, &t->reg, u);
	model_get(&m, kind(what), s);
	int status = m.status;
	model_done(&m);
	return status;
}

/* ---- validation ------------------------------------------------------------- */

static int has_field_error(model_ctx *m, const char *field)
{
	for (size_t i = 0; i < m->nerrors; i++)
		if (strcmp(m->errors[i].field, field) == 0)
			return 1;
	return 0;
}

static void every_bad_field_is_reported(void **state)
{
	(void)state;
	model_ctx m;
	model_init(&m, t->st, &t->reg, &users[STAFF_IPD]);
	json_t *body = json_loads("{\"name\": {\"en\": 5, \"de\": \"x\"}, \"type\": \"club\", \"country\": \"XX\","
				  " \"parent\": 999, \"website\": \"javascript:alert(1)\", \"emails\": [\"nope\"],"
				  " \"unknown\": 1, \"id\": 4, \"classification\": \"secret\"}", 0, NULL);
	assert_int_equal(model_create(&m, kind("organizations"), body, CREATE_FORCE), -1);
	assert_int_equal(m.status, 422);
	const char *fields[] = { "name.en", "name.de", "type", "country", "parent", "website", "emails[0]",
				 "unknown", "id", "classification" };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (!has_field_error(&m, fields[i]))
			fail_msg("no error for %s", fields[i]);
	}
	json_decref(body);
	model_done(&m);
}

static void required_and_lengths(void **state)
{
	(void)state;
	char name[400];
	memset(name, 'x', 301);
	name[301] = '\0';
	char json[512];
	snprintf(json, sizeof json, "{\"name\": {\"en\": \"%s\"}, \"type\": \"igo\"}", name);
	int status;
	assert_int_equal(create(&users[STAFF_IPD], json, CREATE_FORCE, &status), 0);
	assert_int_equal(status, 422);
	assert_int_equal(create(&users[STAFF_IPD], "{\"type\": \"igo\"}", CREATE_FORCE, &status), 0);
	assert_int_equal(status, 422);
	/* 300 characters of two bytes each is within the limit: characters, not bytes */
	char wide[700] = "{\"name\": {\"fr\": \"";
	for (int i = 0; i < 300; i++)
		strcat(wide, "é");
	strcat(wide, "\"}, \"type\": \"igo\"}");
	assert_true(create(&users[STAFF_IPD], wide, CREATE_FORCE, &status) > 0);
}

static void merge_patch_and_versions(void **state)
{
	(void)state;
	int64_t id = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Ondrel Dialogue Platform\", \"fr\": \"Plateforme de dialogue d'Ondrel\"}, \"type\": \"cso\", \"tags\": [\"rcp\"]}", CREATE_FORCE, NULL);
	assert_true(id > 0);
	char sid[32];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &users[STAFF_IPD]);
	json_t *patch = json_loads("{\"name\": {\"es\": \"Plataforma de diálogo de Ondrel\", \"fr\": null}, \"tags\": null}", 0, NULL);
	assert_int_equal(model_update(&m, kind("organizations"), sid, 1, patch), 0);
	assert_int_equal(m.version, 2);
	json_t *out = json_loads(buf_str(&m.body), 0, NULL);
	json_t *name = json_object_get(out, "name");
	assert_string_equal(json_string_value(json_object_get(name, "en")), "Ondrel Dialogue Platform");
	assert_true(json_is_null(json_object_get(name, "fr")));
	assert_string_equal(json_string_value(json_object_get(name, "es")), "Plataforma de diálogo de Ondrel");
	assert_true(json_is_null(json_object_get(out, "tags")));
	json_decref(out);
	model_done(&m);
	model_init(&m, t->st, &t->reg, &users[STAFF_IPD]);
	assert_int_equal(model_update(&m, kind("organizations"), sid, 1, patch), -1);
	assert_int_equal(m.status, 412);
	model_done(&m);
	/* clearing every language of a required multilingual field is refused */
	json_decref(patch);
	patch = json_loads("{\"name\": {\"en\": null, \"es\": null}}", 0, NULL);
	model_init(&m, t->st, &t->reg, &users[STAFF_IPD]);
	assert_int_equal(model_update(&m, kind("organizations"), sid, 2, patch), -1);
	assert_int_equal(m.status, 422);
	assert_true(has_field_error(&m, "name"));
	model_done(&m);
	json_decref(patch);
}

/* ---- access ------------------------------------------------------------------- */

static void kind_level_matrix(void **state)
{
	(void)state;
	/* R: may read the kind; W: may create, update and archive it. */
	static const char *const kinds[] = { "countries", "organizations", "persons", "relationship-types",
					     "relationships", "interactions", "follow-ups" };
	static const char *const expect[NUSERS][7] = {
		[ADMIN] = { "RW", "RW", "RW", "RW", "RW", "RW", "RW" },
		[DIRECTOR] = { "R-", "RW", "RW", "R-", "RW", "RW", "RW" },
		[STAFF_IPD] = { "R-", "RW", "RW", "R-", "RW", "RW", "RW" },
		[STAFF_DRD] = { "R-", "RW", "RW", "R-", "RW", "RW", "RW" },
		[TRANSLATOR] = { "R-", "R-", "R-", "R-", "R-", "R-", "R-" },
		[VIEWER_IPD] = { "R-", "R-", "R-", "R-", "R-", "R-", "R-" },
		[PARTNER] = { "R-", "R-", "R-", "R-", "--", "--", "--" },
		[PUBLIC] = { "R-", "--", "--", "--", "--", "--", "--" },
	};
	for (int u = 0; u < NUSERS; u++) {
		for (int k = 0; k < 7; k++) {
			const entity *e = kind(kinds[k]);
			int r = access_kind(&users[u], e, OP_READ);
			int c = access_kind(&users[u], e, OP_CREATE), up = access_kind(&users[u], e, OP_UPDATE),
			    a = access_kind(&users[u], e, OP_ARCHIVE);
			if (r != (expect[u][k][0] == 'R') || c != (expect[u][k][1] == 'W') || up != c || a != c)
				fail_msg("user %d on %s: got read %d create %d update %d archive %d, want %s", u, kinds[k], r, c, up,
					 a, expect[u][k]);
		}
	}
}

static void classification_matrix(void **state)
{
	(void)state;
	int64_t pub = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Public Body Kestra\"}, \"type\": \"cso\", \"classification\": \"public\"}", CREATE_FORCE, NULL);
	int64_t internal = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Internal Body Lorva\"}, \"type\": \"cso\"}", CREATE_FORCE, NULL);
	int64_t restricted = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Restricted Body Mendi\"}, \"type\": \"cso\", \"classification\": \"restricted\"}", CREATE_FORCE, NULL);
	int64_t confidential = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Confidential Body Nuro\"}, \"type\": \"cso\", \"classification\": \"confidential\"}", CREATE_FORCE, NULL);
	assert_true(pub && internal && restricted && confidential);
	struct { int64_t id; int want[NUSERS]; } rows[] = {
		/*                 admin dir  ipd  drd  trans view partner public */
		{ pub,          { 200, 200, 200, 200, 200, 200, 200, 401 } },
		{ internal,     { 200, 200, 200, 200, 200, 200, 404, 401 } },
		{ restricted,   { 200, 200, 200, 404, 404, 200, 404, 401 } },
		{ confidential, { 200, 404, 200, 404, 404, 404, 404, 401 } },
	};
	for (size_t r = 0; r < sizeof rows / sizeof *rows; r++)
		for (int u = 0; u < NUSERS; u++) {
			int got = get_status(&users[u], "organizations", rows[r].id);
			if (got == 403 && users[u].role == ROLE_PUBLIC)
				got = 401; /* the API answers a refused anonymous caller 401 */
			if (got != rows[r].want[u])
				fail_msg("record %zu, user %d: %d, want %d", r, u, got, rows[r].want[u]);
		}
	/* the partner reads its own organization (id 1) when internal */
	assert_int_equal(get_status(&users[PARTNER], "organizations", 1), 200);
}

static void staff_write_only_their_division_where_the_kind_says(void **state)
{
	(void)state;
	int status;
	/* organizations are written by WHO_EDITORS: staff may file one for another division */
	assert_true(create(&users[STAFF_DRD], "{\"name\": {\"en\": \"Cross Division Body Ulma\"}, \"type\": \"cso\", \"division\": \"IPD\"}", CREATE_FORCE, &status) > 0);
	/* but a restricted record of another division is invisible, so it cannot be changed either */
	int64_t id = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Restricted Body Pell\"}, \"type\": \"cso\", \"classification\": \"restricted\"}", CREATE_FORCE, NULL);
	char sid[32];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &users[STAFF_DRD]);
	json_t *patch = json_loads("{\"acronym\": \"X\"}", 0, NULL);
	assert_int_equal(model_update(&m, kind("organizations"), sid, 1, patch), -1);
	assert_int_equal(m.status, 404);
	model_done(&m);
	json_decref(patch);
}

static void lists_count_only_what_is_visible(void **state)
{
	(void)state;
	list_params p = { .limit = 500 };
	int counts[NUSERS] = { 0 };
	for (int u = 0; u < NUSERS; u++) {
		model_ctx m;
		model_init(&m, t->st, &t->reg, &users[u]);
		if (model_list(&m, kind("organizations"), &p) == 0) {
			json_t *out = json_loads(buf_str(&m.body), 0, NULL);
			json_t *items = json_object_get(out, "items");
			counts[u] = (int)json_array_size(items);
			size_t i;
			json_t *it;
			json_array_foreach(items, i, it) { /* everything listed is readable one by one */
				int got = get_status(&users[u], "organizations", json_integer_value(json_object_get(it, "id")));
				if (got != 200)
					fail_msg("user %d lists organization %lld but gets %d", u,
						 (long long)json_integer_value(json_object_get(it, "id")), got);
			}
			json_decref(out);
		}
		model_done(&m);
	}
	assert_true(counts[ADMIN] > counts[STAFF_DRD]);
	assert_true(counts[STAFF_IPD] > counts[STAFF_DRD]);
	assert_true(counts[DIRECTOR] < counts[ADMIN]);  /* confidential ones */
}

/* ---- duplicates ------------------------------------------------------------------ */

static void duplicates_are_found_across_case_accents_and_acronyms(void **state)
{
	(void)state;
	int status;
	int64_t id = create(&users[STAFF_IPD], "{\"name\": {\"fr\": \"Organisation Internationale pour les Migrations Fictives\"}, \"acronym\": \"OIMF\", \"type\": \"igo\", \"emails\": [\"info@oimf.example\"]}", 0, &status);
	assert_true(id > 0);
	assert_int_equal(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"organisation internationale pour les migrations fictives\"}, \"type\": \"igo\"}", 0, &status), 0);
	assert_int_equal(status, 409);
	assert_int_equal(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"ORGANISATION INTERNATIONALE POUR LES MIGRATIONS FICTIVES!\"}, \"type\": \"igo\"}", 0, &status), 0);
	assert_int_equal(status, 409);
	assert_int_equal(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Something Else Entirely\"}, \"acronym\": \"oimf\", \"type\": \"igo\"}", 0, &status), 0);
	assert_int_equal(status, 409);
	assert_int_equal(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Yet Another Body\"}, \"emails\": [\"INFO@oimf.example\"], \"type\": \"igo\"}", 0, &status), 0);
	assert_int_equal(status, 409);
	/* a name whose initials are the acronym */
	assert_int_equal(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Observatorio Independiente de Migraciones Fronterizas\"}, \"type\": \"igo\"}", 0, &status), 0);
	assert_int_equal(status, 409);
	/* different bodies pass */
	assert_true(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Harbour Workers Union of Tessaly\"}, \"type\": \"cso\"}", 0, &status) > 0);
	/* and force creates anyway */
	assert_true(create(&users[STAFF_IPD], "{\"name\": {\"en\": \"organisation internationale pour les migrations fictives\"}, \"type\": \"igo\"}", CREATE_FORCE, &status) > 0);
}

/* A field read or set by name: the value, whether the request gave it, and
 * for a name the kind lacks, the program stops rather than read beside the
 * record. */
static void fields_by_name(void **state)
{
	(void)state;
	int64_t id = create(&users[STAFF_IPD], "{\"name\": {\"en\": \"Ombra Island Bureau\"}, \"type\": \"cso\"}",
			    CREATE_FORCE, NULL);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &users[ADMIN]);
	record r;
	assert_int_equal(model_fetch(&m, store_reader(t->st), kind("organizations"), id, &r), 1);
	assert_null(record_text(&r, "acronym"));
	*record_field(&r, "acronym") = sv_text("OIB");
	assert_string_equal(record_text(&r, "acronym"), "OIB");
	assert_null(record_text(&r, "website"));
	assert_false(record_given(&r, "acronym"));
	r.set[entity_column(r.e, "acronym")] = 1;
	assert_true(record_given(&r, "acronym"));
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		freopen("/dev/null", "w", stderr);
		record_field(&r, "acronyms");
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	model_done(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bad_field_is_reported),
		cmocka_unit_test(fields_by_name),
		cmocka_unit_test(required_and_lengths),
		cmocka_unit_test(merge_patch_and_versions),
		cmocka_unit_test(kind_level_matrix),
		cmocka_unit_test(classification_matrix),
		cmocka_unit_test(staff_write_only_their_division_where_the_kind_says),
		cmocka_unit_test(lists_count_only_what_is_visible),
		cmocka_unit_test(duplicates_are_found_across_case_accents_and_acronyms),
	};
	return cmocka_run_group_tests_name("model", tests, setup, teardown);
}
