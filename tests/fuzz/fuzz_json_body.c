/*
 * fuzz_json_body — a request body as the server reads it (jansson,
 * duplicate members refused, as http_json_body does) and then created as a
 * record of every kind in the registry by an administrator, on a temporary
 * database: validation, the kinds' own checks, and the write with its links,
 * audit entry and search entry.  The creates are rolled back, so every
 * input meets the same database.  The outcome must be a decision — created, or a
 * status with a title — never a crash; a 500 would be a bug as well, since
 * bad input must get a 4xx.  A record created must read back as JSON.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzzdb.h"

/* The record as the API would answer it must be JSON again. */
static void answer_is_json(model_ctx *m, store_conn *c, const record *r)
{
	model_record_json(m, c, r, &m->body);
	json_t *back = json_loadb(buf_str(&m->body), m->body.len, 0, NULL);
	if (!back)
		abort();
	json_decref(back);
}

/* One transaction for every kind, rolled back at the end: a create that
 * fails part-way leaves its rows for the next kinds to meet, which only
 * widens what they see. */
static void create_as_each_kind(testdb *t, json_t *body)
{
	store_conn *c = store_begin(t->st);
	if (!c)
		abort();
	for (size_t i = 0; i < t->reg.n; i++) {
		model_ctx m;
		model_init(&m, t->st, &t->reg, &fuzz_admin);
		record r;
		if (model_create_in(&m, c, &t->reg.v[i], body, CREATE_DOMAIN, &r) == 0)
			answer_is_json(&m, c, &r);
		else if (m.status < 400 || m.status >= 500 || !m.title)
			abort();
		model_done(&m);
	}
	store_rollback(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	testdb *t = fuzzdb_get();
	json_error_t e;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!body)
		return 0;
	create_as_each_kind(t, body);
	json_decref(body);
	return 0;
}
