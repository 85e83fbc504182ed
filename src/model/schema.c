/*
 * schema — see schema.h.
 */
#include "model/schema.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/embed.h"
#include "model/model.h"
#include "model/search.h"

typedef struct table_check {
	const entity *e;
	char *err;
	size_t errlen;
	int bad;
} table_check;

static int is_private(const entity_def *d, const char *name)
{
	for (const char *const *p = d->private_columns; p && *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

static int check_column(void *ctx, store_row *row)
{
	table_check *t = ctx;
	const char *name = store_text(row, 0, NULL), *type = store_text(row, 1, NULL);
	const char *table = t->e->def->table;
	int i = entity_column(t->e, name);
	if (i < 0 && !is_private(t->e->def, name)) {
		snprintf(t->err, t->errlen, "%s.%s is in the database but not in the registry: a field renamed or "
			 "removed needs a migration that renames or drops its column (docs/operations.md, Schema changes)",
			 table, name);
		return t->bad = 1;
	}
	const char *want = i < 0 ? NULL : t->e->cols[i].is_int ? "INTEGER" : "TEXT";
	if (want && strcasecmp(type ? type : "", want) != 0) {
		snprintf(t->err, t->errlen, "%s.%s is %s in the database but %s in the registry: a field whose type "
			 "changed needs a migration that converts its column (docs/operations.md, Schema changes)",
			 table, name, type && *type ? type : "untyped", want);
		return t->bad = 1;
	}
	return 0;
}

int schema_check(const registry *r, store_conn *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < r->n; i++) {
		table_check t = { &r->v[i], err, errlen, 0 };
		if (store_table_columns(c, r->v[i].def->table, check_column, &t) != STORE_OK) {
			snprintf(err, errlen, "cannot read the columns of %s: %s", r->v[i].def->table, store_errmsg(c));
			return -1;
		}
		if (t.bad)
			return -1;
	}
	return 0;
}

static int check_and_make(void *ctx, store_conn *c, char *err, size_t errlen)
{
	const registry *r = ctx;
	return schema_check(r, c, err, errlen) || registry_make_tables(r, c, err, errlen) ? -1 : 0;
}

/* ---- what the migrations left to do ------------------------------------ */

static const user system_user = { 0, "liaison", ROLE_ADMIN, NULL, 0, "en" };

static int take_task(void *ctx, store_row *row)
{
	buf_puts(ctx, store_text(row, 0, NULL));
	buf_putc(ctx, '\n');
	return 0;
}

static int reindex(store *s, const registry *r, char *err, size_t errlen)
{
	model_ctx m;
	model_init(&m, s, r, &system_user);
	size_t n = 0;
	int rc = search_reindex(&m, 0, &n);
	if (rc)
		snprintf(err, errlen, "the search index could not be rebuilt after the migrations: %s; "
			 "run 'liaison reindex'", m.detail ? m.detail : "store error");
	model_done(&m);
	return rc;
}

#define REDERIVE_BATCH 10000   /* records per transaction: the write lock is let go between */

/* One kind's records passed through its rederive hook, a batch per transaction
 * and per model context (the batch's memory is let go with it). */
static int rederive_kind(store *s, const registry *r, const entity *e, char *why, size_t whylen)
{
	model_ctx all;   /* holds the ids from start to end */
	model_init(&all, s, r, &system_user);
	model_ids ids;
	store_conn *c = store_reader(s);
	store_select q = { .table = e->def->table, .cols = (const char *[]){ "id" }, .ncols = 1 };
	int rc = !c || model_select_ids(&all, c, &q, &ids) != STORE_OK ? -1 : 0;
	size_t n = rc ? 0 : ids.n;
	for (size_t from = 0; from < n && !rc; from += REDERIVE_BATCH) {
		model_ctx m;
		model_init(&m, s, r, &system_user);
		c = store_begin(s);
		for (size_t i = from; c && i < n && i < from + REDERIVE_BATCH && !rc; i++) {
			record rec;
			rc = model_load(&m, c, e, ids.v[i], &rec) || e->def->rederive(&m, c, e, &rec) ? -1 : 0;
		}
		if (rc && c)
			store_rollback(c);
		if (!c || (!rc && store_commit(c) != STORE_OK))
			rc = -1;
		snprintf(why, whylen, "%s", m.detail ? m.detail : "store error");
		model_done(&m);
	}
	model_done(&all);
	return rc;
}

/* What after_write derives, derived again for every record of the kinds that say how. */
static int rederive(store *s, const registry *r, char *err, size_t errlen)
{
	char why[200] = "";
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].def->rederive && rederive_kind(s, r, &r->v[i], why, sizeof why)) {
			snprintf(err, errlen, "the migrations asked for the data %s derives again and it could not be "
				 "written: %s", r->v[i].def->name, why);
			return -1;
		}
	return 0;
}

static int task_done(store *s, const char *task, char *err, size_t errlen)
{
	store_conn *c = store_begin(s);
	store_cond w = COND_EQ("task", sv_text(task));
	int deleted = c && store_delete(c, "migration_tasks", &w, 1) == STORE_OK;
	if (c && !deleted)
		store_rollback(c);
	if (!deleted || store_commit(c) != STORE_OK) {  /* a failed commit has rolled back */
		snprintf(err, errlen, "cannot mark the migrations' task %s done", task);
		return -1;
	}
	return 0;
}

static int run_tasks(store *s, const registry *r, char *err, size_t errlen)
{
	buf tasks = BUF_INIT;
	store_conn *c = store_reader(s);
	store_select q = { .table = "migration_tasks", .cols = (const char *[]){ "task" }, .ncols = 1 };
	int rc = !c || store_query(c, &q, take_task, &tasks) != STORE_OK ? -1 : 0;
	if (rc)
		snprintf(err, errlen, "cannot read what the migrations left to do");
	for (char *save = NULL, *t = strtok_r(rc || !tasks.data ? "" : tasks.data, "\n", &save); t && !rc;
	     t = strtok_r(NULL, "\n", &save)) {
		int (*task)(store *, const registry *, char *, size_t) =
			strcmp(t, "reindex") == 0 ? reindex : strcmp(t, "rederive") == 0 ? rederive : NULL;
		if (!task) {
			snprintf(err, errlen, "the migrations left a task this build does not know (%s): run the build "
				 "that migrated the database", t);
			rc = -1;
		} else {
			rc = task(s, r, err, errlen) || task_done(s, t, err, errlen) ? -1 : 0;
		}
	}
	buf_free(&tasks);
	return rc;
}

int schema_upgrade(store *s, const registry *r, char *err, size_t errlen)
{
	/* the index's columns of words are the registry's: a reindex the
	 * migrations ask for builds them so (search_prepare then finds the
	 * fingerprint it wants, and builds nothing twice) */
	store_search_weights(s, r->weights, r->nweights);
	if (store_apply_migrations(s, migrations, check_and_make, (void *)r, err, errlen) != STORE_OK)
		return -1;
	return run_tasks(s, r, err, errlen);
}
