/*
 * test_dupscan — the whole registry's scan for likely duplicates and its
 * review queue, over a real store with the demo's partners: its precision
 * and recall on labelled pairs against the same floor as the check, every
 * pair the check would flag found by the scan too, a dismissed pair kept
 * out of every later scan, a pair whose record is archived dropped from
 * the queue, what a dismissal refuses, and a key many records share
 * comparing none of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domains/partners/duplicates.h"
#include "domains/partners/duppairs.h"
#include "domains/partners/dupscan.h"
#include "partnersdb.h"

#define PRECISION_FLOOR 0.95
#define RECALL_FLOOR 0.95
#define PAIRS 400

static const user admin = { 1, "root", ROLE_ADMIN, NULL, 0, "en" };
static const user delegate = { 7, "delegate", ROLE_PARTNER, NULL, 1, "fr" };

static const entity *kind(const char *name) { return registry_find(&t->reg, name); }

static dup_scanned scan(const char *what)
{
	dup_scanned got;
	char err[256] = "";
	int rc = duplicates_scan(t->st, &t->reg, kind(what), &got, err, sizeof err);
	if (rc)
		printf("# %s\n", err);
	assert_int_equal(rc, 0);
	return got;
}

/* The queue of kind as the user reads it, in language lang: its items (to json_decref). */
static json_t *queue(const user *u, const char *what, int lang)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, u);
	m.lang = lang;
	assert_int_equal(duplicates_queue(&m, what, 500), 0);
	json_t *q = json_loads(buf_str(&m.body), 0, NULL);
	assert_non_null(q);
	json_t *items = json_incref(json_object_get(q, "items"));
	json_decref(q);
	model_done(&m);
	return items;
}

static int listed(json_t *items, int64_t a, int64_t b)
{
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		int64_t x = json_integer_value(json_object_get(json_object_get(item, "first"), "id"));
		int64_t y = json_integer_value(json_object_get(json_object_get(item, "second"), "id"));
		if ((x == a && y == b) || (x == b && y == a))
			return 1;
	}
	return 0;
}

static int64_t create(const char *what, const char *json)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	json_t *body = json_loads(json, 0, NULL);
	int64_t id = model_create(&m, kind(what), body, CREATE_FORCE) == 0 ? m.id : 0;
	json_decref(body);
	model_done(&m);
	assert_true(id > 0);
	return id;
}

static void the_scan_finds_what_the_check_finds(void **state)
{
	(void)state;
	dup_pair *pairs;
	char err[256];
	assert_int_equal(duppairs_make(t->st, &t->reg, PAIRS, 20261208, &pairs, err, sizeof err), 0);
	unsigned char checked[PAIRS], scanned[PAIRS];
	assert_int_equal(duppairs_check(t->st, &t->reg, pairs, PAIRS, checked, err, sizeof err), 0);
	dup_scanned got;
	assert_int_equal(duppairs_scan(t->st, &t->reg, pairs, PAIRS, scanned, &got, err, sizeof err), 0);
	size_t both = 0, check_only = 0;
	for (size_t i = 0; i < PAIRS; i++) {
		both += checked[i] && scanned[i];
		check_only += checked[i] && !scanned[i];
		if (checked[i] != scanned[i])
			printf("# %s by the %s alone (%s)\n", pairs[i].duplicate ? "a duplicate" : "two records",
			       scanned[i] ? "scan" : "check", pairs[i].variation);
	}
	dup_quality q = duppairs_quality(pairs, PAIRS, scanned, NULL);
	printf("# %zu pairs: the scan's precision %.3f, recall %.3f; %lld pairs compared among %lld records\n",
	       (size_t)PAIRS, q.precision, q.recall, (long long)got.compared, (long long)got.records);
	assert_true(q.precision >= PRECISION_FLOOR);
	assert_true(q.recall >= RECALL_FLOOR);
	assert_true(both > PAIRS / 4);
	assert_true(check_only * 50 <= both);   /* what the check flags, the scan finds (98 % at least) */
	/* far fewer comparisons than every two records */
	assert_true(got.compared < got.records * 10);
	duppairs_free(pairs, PAIRS);
}

/* Read a page of pairs at a time, the queue gives the best first, each once, as many as asked. */
static void the_queue_reads_its_pairs_page_after_page(void **state)
{
	(void)state;
	for (int i = 0; i < 150; i++)   /* 150 pairs more: the queue holds more than a page of its reads */
		for (int twice = 0; twice < 2; twice++) {
			char body[160];
			snprintf(body, sizeof body, "{\"name\":{\"en\":\"Zorv%c%c Beacon Trust\"},\"type\":\"cso\"}",
				 'a' + i / 26, 'a' + i % 26);
			create("organizations", body);
		}
	scan("organizations");
	int64_t stored = store_rows(t->st, "dup_pairs");
	assert_true(stored > 300);
	json_t *items = queue(&admin, NULL, 500);
	assert_int_equal(json_array_size(items), stored < 500 ? stored : 500);
	double before = 2;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *item = json_array_get(items, i);
		double score = json_real_value(json_object_get(item, "score"));
		assert_true(score <= before && score >= DUPLICATE_THRESHOLD);
		before = score;
		int64_t a = json_integer_value(json_object_get(json_object_get(item, "first"), "id"));
		int64_t b = json_integer_value(json_object_get(json_object_get(item, "second"), "id"));
		for (size_t j = 0; j < i; j++) {
			json_t *other = json_array_get(items, j);
			assert_false(json_integer_value(json_object_get(json_object_get(other, "first"), "id")) == a &&
				     json_integer_value(json_object_get(json_object_get(other, "second"), "id")) == b &&
				     !strcmp(json_string_value(json_object_get(other, "kind")),
					     json_string_value(json_object_get(item, "kind"))));
		}
	}
	json_decref(items);
}

static void a_dismissed_pair_stays_out(void **state)
{
	(void)state;
	int64_t a = create("organizations", "{\"name\":{\"en\":\"Quillmoor Office for Seasonal Workers\"},\"type\":\"government\"}");
	int64_t b = create("organizations", "{\"name\":{\"en\":\"Quillmoor Office for Seasonal Worker\"},\"type\":\"government\"}");
	scan("organizations");
	json_t *items = queue(&admin, "organizations", LANG_FR);
	assert_true(listed(items, a, b));
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)   /* each pair once, the smaller id first, why in the reader's language */
		if (json_integer_value(json_object_get(json_object_get(item, "first"), "id")) == a) {
			assert_int_equal(json_integer_value(json_object_get(json_object_get(item, "second"), "id")), b);
			assert_non_null(strstr(json_string_value(json_object_get(item, "reason")), "nom :"));
		}
	json_decref(items);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	int64_t audit = store_rows(t->st, "audit");
	assert_int_equal(duplicates_dismiss(&m, "organizations", b, a), 0);
	assert_int_equal(store_rows(t->st, "audit"), audit + 2);   /* each record's history says so */
	model_done(&m);
	items = queue(&admin, "organizations", LANG_EN);
	assert_false(listed(items, a, b));
	json_decref(items);
	dup_scanned got = scan("organizations");
	assert_true(got.dismissed >= 1);
	items = queue(&admin, NULL, LANG_EN);
	assert_false(listed(items, a, b));
	json_decref(items);
	model_init(&m, t->st, &t->reg, &admin);   /* said twice, still said */
	assert_int_equal(duplicates_dismiss(&m, "organizations", a, b), 0);
	model_done(&m);
}

static void an_archived_record_leaves_the_queue(void **state)
{
	(void)state;
	int64_t a = create("persons", "{\"given_name\":\"Ottoline\",\"family_name\":\"Brackenbury\",\"emails\":[\"o.brackenbury@example.org\"]}");
	int64_t b = create("persons", "{\"given_name\":\"Otoline\",\"family_name\":\"Brakenbury\",\"emails\":[\"o.brackenbury@example.org\"]}");
	scan("persons");
	json_t *items = queue(&admin, "persons", LANG_EN);
	assert_true(listed(items, a, b));
	json_decref(items);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)b);
	assert_int_equal(model_archive(&m, kind("persons"), id), 0);
	model_done(&m);
	items = queue(&admin, "persons", LANG_EN);
	assert_false(listed(items, a, b));
	json_decref(items);
}

static void a_dismissal_refuses_what_it_cannot_do(void **state)
{
	(void)state;
	int64_t a = create("organizations", "{\"name\":{\"en\":\"Tarnwick Bureau of Returns\"},\"type\":\"government\"}");
	int64_t b = create("organizations", "{\"name\":{\"en\":\"Tarnwick Bureau of Return\"},\"type\":\"government\"}");
	static const struct {
		const user *u;
		const char *kind;
		int first, second, status;   /* 1 a, 2 b, 9 none such */
	} cases[] = {
		{ &admin, "countries", 1, 2, 422 }, { &admin, NULL, 1, 2, 422 }, { &admin, "organizations", 1, 1, 422 },
		{ &admin, "organizations", 1, 0, 422 }, { &admin, "organizations", 1, 9, 404 },
		{ &delegate, "organizations", 1, 2, 403 },
	};
	int64_t audit = store_rows(t->st, "audit");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t ids[] = { 0, a, b, 0, 0, 0, 0, 0, 0, 999999 };
		model_ctx m;
		model_init(&m, t->st, &t->reg, cases[i].u);
		assert_int_equal(duplicates_dismiss(&m, cases[i].kind, ids[cases[i].first], ids[cases[i].second]), -1);
		assert_int_equal(m.status, cases[i].status);
		model_done(&m);
	}
	assert_int_equal(store_rows(t->st, "audit"), audit);   /* nothing half written */
	model_ctx m;
	model_init(&m, t->st, &t->reg, &delegate);
	assert_int_equal(duplicates_queue(&m, NULL, 10), -1);   /* the queue is the staff's */
	assert_int_equal(m.status, 403);
	model_done(&m);
	model_init(&m, t->st, &t->reg, &admin);
	assert_int_equal(duplicates_queue(&m, "countries", 10), -1);
	assert_int_equal(m.status, 400);
	model_done(&m);
}

static void a_key_many_share_compares_none(void **state)
{
	(void)state;
	dup_scanned before = scan("organizations");
	for (int i = 0; i < DUPLICATES_PER_KEY + 20; i++)
		create("organizations", "{\"name\":{\"en\":\"Velmora Working Group\"},\"type\":\"cso\"}");
	dup_scanned after = scan("organizations");
	/* 120 records under the same keys: not 7,140 pairs, which would grow with the square of them */
	assert_true(after.compared - before.compared < DUPLICATES_PER_KEY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_scan_finds_what_the_check_finds),
		cmocka_unit_test(the_queue_reads_its_pairs_page_after_page),
		cmocka_unit_test(a_dismissed_pair_stays_out),
		cmocka_unit_test(an_archived_record_leaves_the_queue),
		cmocka_unit_test(a_dismissal_refuses_what_it_cannot_do),
		cmocka_unit_test(a_key_many_share_compares_none),
	};
	return cmocka_run_group_tests(tests, partnersdb_setup, partnersdb_teardown);
}
