/*
 * bulk — see bulk.h.
 */
#include "model/bulk.h"

#include <stdio.h>

void bulk_begin(bulk *b, store *st, const registry *reg, const user *u, size_t per_commit)
{
	*b = (bulk){ .st = st, .reg = reg, .u = u, .per_commit = per_commit };
	model_init(&b->m, st, reg, u);
}

store_conn *bulk_conn(bulk *b)
{
	if (!b->c && !(b->c = store_begin(b->st)))
		snprintf(b->err, sizeof b->err, "the database is busy");
	return b->c;
}

/* Ends the transaction: committed when ok, else rolled back; a fresh context after it. */
static int settle(bulk *b, int ok)
{
	int rc = 0;
	if (b->c && ok && store_commit(b->c) != STORE_OK) {
		snprintf(b->err, sizeof b->err, "the records could not be committed");
		rc = -1;
	} else if (b->c && !ok) {
		store_rollback(b->c);
	}
	b->c = NULL;
	b->pending = 0;
	model_done(&b->m);
	model_init(&b->m, b->st, b->reg, b->u);
	return rc;
}

int bulk_wrote(bulk *b)
{
	return ++b->pending < b->per_commit ? 0 : settle(b, 1);
}

int64_t bulk_add(bulk *b, const char *kind, json_t *body)
{
	record r;
	int64_t id = -1;
	if (bulk_conn(b) &&
	    model_create_in(&b->m, b->c, registry_find(b->reg, kind), body, CREATE_FORCE | CREATE_AS_IS, &r) == 0)
		id = r.v[COL_ID].i;
	else if (b->c)
		snprintf(b->err, sizeof b->err, "%s: %s %s", kind, b->m.detail ? b->m.detail : "",
			 b->m.nerrors ? b->m.errors[0].message : "");
	json_decref(body);
	if (id < 0) {
		settle(b, 0);
		return -1;
	}
	return bulk_wrote(b) ? -1 : id;
}

int bulk_end(bulk *b, int ok)
{
	int rc = settle(b, ok);
	model_done(&b->m);
	return rc;
}

int bulk_few(store *st, const registry *reg, const user *u, int (*fn)(model_ctx *m, store_conn *c), const char *what,
	     char *err, size_t errlen)
{
	model_ctx m;
	model_init(&m, st, reg, u);
	store_conn *c = store_begin(st);
	int rc = c ? fn(&m, c) : -1;
	if (rc == 0 && store_commit(c) != STORE_OK)
		rc = -1;
	else if (rc && c)
		store_rollback(c);
	if (rc)
		snprintf(err, errlen, "%s: %s %s", what, m.detail ? m.detail : "the database is busy",
			 m.nerrors ? m.errors[0].message : "");
	model_done(&m);
	return rc;
}

int bulk_few_add(model_ctx *m, store_conn *c, const char *kind, json_t *body, record *out)
{
	int rc = model_create_in(m, c, registry_find(m->reg, kind), body, CREATE_FORCE, out);
	json_decref(body);
	return rc;
}

int bulk_first_user(model_ctx *m, store_conn *c, int64_t *id)
{
	store_order order[] = { { "id", 0, NOT_NULL } };
	store_select q = { .table = "users", .cols = (const char *[]){ "id" }, .ncols = 1, .order = order, .norder = 1,
			   .limit = 1 };
	model_ids ids = { 0 };
	*id = model_select_ids(m, c, &q, &ids) == STORE_OK && ids.n ? ids.v[0] : 0;
	return *id ? 0 : model_fail(m, 500, "No account", "the demo's work needs an account to give it to");
}
