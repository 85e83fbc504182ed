/*
 * searchload — a bulk load's search index, built on a second core.
 *
 * Indexing a record costs about as much as writing it (its words, stems
 * and titles go through FTS5), and SQLite lets one connection write a
 * database at a time.  So while a bulk load writes the records with the
 * store's search writes paused, a thread follows the audit log — every
 * write appends an entry, in commit order — and indexes each record it
 * names, as it then is, into a scratch database of its own.  When the load
 * is over the thread catches up, merges its index and the store adopts it
 * in one transaction.  The result is the index the load would have
 * written itself: every record of the database, indexed in the order it
 * was written (an update indexes the record again, an archive removes it).
 */
#include "model/search.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 2000          /* audit entries read at a time */
#define COMMIT_EVERY 50000  /* records indexed per transaction of the scratch database */
#define IDLE_MICROS 2000    /* between looks at an audit log that has nothing new */

struct search_follower {
	store *st, *scratch;
	const registry *reg;
	char *path;
	pthread_t thread;
	atomic_int load_over;
	int failed;
	char err[256];
};

typedef struct entry {
	int64_t id, record_id;
	const entity *e;
} entry;

typedef struct batch {
	const registry *reg;
	entry v[BATCH];
	size_t n;
} batch;

static const user loader = { 0, "liaison-search", ROLE_ADMIN, NULL, 0, "en" };

static int take_entry(void *ctx, store_row *row)
{
	batch *b = ctx;
	b->v[b->n++] = (entry){ store_int(row, 0), store_int(row, 2),
				registry_find(b->reg, store_text(row, 1, NULL)) };
	return 0;
}

/* The audit entries after *last; each names a record (or an account,
 * which has no entity and is skipped). */
static int next_entries(store_conn *from, int64_t last, batch *b)
{
	store_cond w = COND("id", OP_GT, SV_INT_(last));
	store_order by = { "id", 0, NOT_NULL };
	store_select q = { .table = "audit", .cols = (const char *[]){ "id", "kind", "record_id" }, .ncols = 3,
			   .where = &w, .nwhere = 1, .order = &by, .norder = 1, .limit = BATCH };
	b->n = 0;
	return store_query(from, &q, take_entry, b) == STORE_OK ? 0 : -1;
}

static int index_entries(search_follower *f, model_ctx *m, store_conn *from, store_conn *to, const batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		record r;
		if (!b->v[i].e || model_load(m, from, b->v[i].e, b->v[i].record_id, &r))
			continue; /* not a record, or one merged away since */
		if (search_index_record(m, to, &r)) {
			snprintf(f->err, sizeof f->err, "the search index could not be written");
			return -1;
		}
	}
	return 0;
}

/* Reads the audit log until the load is over and nothing is left. */
static int follow_log(search_follower *f, model_ctx *m, store_conn *from)
{
	store_conn *to = store_begin(f->scratch);
	batch *b = malloc(sizeof *b);
	int64_t last = 0;
	size_t since_commit = 0;
	int rc = to && b ? 0 : -1;
	if (b)
		b->reg = f->reg;
	while (rc == 0) {
		int over = atomic_load(&f->load_over); /* read first: a look after it sees every write */
		rc = next_entries(from, last, b) || index_entries(f, m, from, to, b);
		if (rc || (!b->n && over))
			break;
		if (!b->n) {
			usleep(IDLE_MICROS);
			continue;
		}
		last = b->v[b->n - 1].id;
		arena_free(&m->a);
		if ((since_commit += b->n) >= COMMIT_EVERY) {
			since_commit = 0;
			int committed = store_commit(to) == STORE_OK; /* which ends the transaction either way */
			to = committed ? store_begin(f->scratch) : NULL;
			rc = to ? 0 : -1;
		}
	}
	if (to && rc)
		store_rollback(to);
	else if (to && store_commit(to) != STORE_OK)
		rc = -1;
	free(b);
	return rc;
}

static void *follow(void *arg)
{
	search_follower *f = arg;
	model_ctx m;
	model_init(&m, f->scratch, f->reg, &loader);
	store_conn *from = store_reader(f->st);
	if (!from || follow_log(f, &m, from)) {
		f->failed = 1;
		if (!f->err[0])
			snprintf(f->err, sizeof f->err, "the audit log could not be followed into the search index");
	} else if (store_bulk_end(f->scratch) != STORE_OK) { /* merged here, while the load rebuilds its indexes */
		f->failed = 1;
		snprintf(f->err, sizeof f->err, "the search index could not be merged");
	}
	model_done(&m);
	return NULL;
}

static void remove_scratch(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		unlink(name);
	}
}

static void release(search_follower *f)
{
	store_close(f->scratch);
	if (f->path)
		remove_scratch(f->path);
	free(f->path);
	free(f);
}

search_follower *search_follow(store *st, const registry *reg, char *err, size_t errlen)
{
	search_follower *f = calloc(1, sizeof *f);
	if (!f || asprintf(&f->path, "%s-search-load", store_path(st)) < 0) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->st = st;
	f->reg = reg;
	remove_scratch(f->path); /* left by a load that was killed */
	f->scratch = store_open(f->path, err, errlen);
	if (!f->scratch || store_migrate(f->scratch, err, errlen) ||
	    search_prepare_empty(f->scratch, reg, err, errlen)) {
		release(f);
		return NULL;
	}
	store_bulk_mode(f->scratch);
	if (pthread_create(&f->thread, NULL, follow, f)) {
		snprintf(err, errlen, "cannot start the search indexing thread");
		release(f);
		return NULL;
	}
	store_search_pause(st, 1);
	return f;
}

int search_follow_end(search_follower *f, char *err, size_t errlen)
{
	atomic_store(&f->load_over, 1);
	pthread_join(f->thread, NULL);
	store_search_pause(f->st, 0);
	int rc = 0;
	if (f->failed) {
		snprintf(err, errlen, "%s; run 'liaison reindex'", f->err);
		rc = -1;
	} else if (store_search_adopt(f->st, f->path) != STORE_OK) {
		snprintf(err, errlen, "the search index built beside the load could not be taken in; run 'liaison reindex'");
		rc = -1;
	}
	release(f);
	return rc;
}
