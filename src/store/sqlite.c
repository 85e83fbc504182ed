/*
 * sqlite — the store on SQLite: WAL, one locked writer, a reader per thread,
 * statements built from descriptions and cached per connection.
 *
 * Invariant: every SQL text this file prepares is built from identifiers that
 * come from the program itself (the registry, the migrations); values are
 * always bound, never pasted.  Identifiers are still checked (ident_ok) so a
 * mistake in a registry entry fails loudly instead of becoming an injection.
 */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/fold.h"
#include "store/rank.h"
#include "store/tokenizer.h"

#define CACHE_BUCKETS 128

typedef struct cached {
	char *sql;
	sqlite3_stmt *stmt;
	struct cached *next;
} cached;

/* The first copy of SQLite's wal-index header (https://sqlite.org/walformat.html):
 * a commit by any connection of any process rewrites it. */
#define WAL_HEADER_WORDS 12

struct store_conn {
	store *owner;
	sqlite3 *db;
	cached *cache[CACHE_BUCKETS];
	struct store_conn *next_reader;  /* list of all readers, for closing */
	int writer;
	/* A reader's kept snapshot (store_snapshot_begin). */
	pthread_mutex_t use;             /* held by its thread while it reads in the snapshot */
	int snapshot;                    /* a snapshot is open */
	int in_request;                  /* between store_snapshot_begin and _end */
	uint64_t last_used;              /* when its last request ended, for the sweeper */
	const uint32_t *wal_header;      /* NULL: not in WAL mode, snapshots are never kept */
	uint32_t seen[WAL_HEADER_WORDS]; /* the header when the snapshot began */
	/* A bulk load's documents waiting for the search index (see "a bulk load's words"). */
	int batching;
	struct waiting_doc *waiting;
	size_t nwaiting;
};

struct store_row {
	sqlite3_stmt *stmt;
};

struct store {
	char *path;
	store_conn *writer;
	pthread_mutex_t write_lock;
	pthread_mutex_t readers_lock;
	pthread_key_t reader_key;
	store_conn *readers;
	atomic_uint_fast64_t statements;
	atomic_uint_fast64_t micros;
	atomic_int disk_refusing;  /* the disk refused a write, and nothing has been committed since */
	atomic_int search_paused;  /* a bulk load's index is built elsewhere (store_search_adopt) */
	double search_weights[STORE_SEARCH_COLUMNS];  /* of the index's columns of words (store_search_weights) */
	int search_columns;
	/* The sweeper: a thread that ends snapshots left idle (store_snapshot_begin). */
	atomic_int sweeper_started;
	pthread_t sweeper;
	int sweeping;              /* under readers_lock: the sweeper runs; 0 asks it to stop */
	pthread_cond_t sweeper_wake;
	atomic_int snapshots_open; /* none: the sweeper sleeps until one opens */
};

store_value sv_blob(const void *bytes, size_t n) { return (store_value){ SV_BLOB, 0, bytes, n }; }

store_value sv_text(const char *s)
{
	if (!s)
		return SV_NUL;
	return (store_value){ SV_TEXT, 0, s, strlen(s) };
}

static int run_cached(store_conn *c, const char *sql);
static int status_of(store_conn *c, int rc);

/* ---- connections ---------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void conn_close(store_conn *c);
static const uint32_t *map_wal_header(sqlite3 *db);
static void sweeper_stop(store *s);

static store_conn *conn_open(store *s, int writer, char *err, size_t errlen)
{
	store_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->owner = s;
	c->writer = writer;
	pthread_mutex_init(&c->use, NULL);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(s->path, &c->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", s->path,
			 c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(c->db, 5000);
	if (search_register_tokenizer(c->db) != SQLITE_OK || search_register_rank(c->db) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up full-text search on %s", s->path);
		goto fail;
	}
	/* A bounded page cache per connection and no memory map: the server's
	 * resident memory stays flat however large the database grows, and the
	 * kernel's page cache still keeps hot pages a pread away. */
	exec(c->db, "PRAGMA cache_size=-16384");
	sqlite3_extended_result_codes(c->db, 1);
	if (exec(c->db, "PRAGMA foreign_keys=ON") ||
	    (writer && (exec(c->db, "PRAGMA journal_mode=WAL") || exec(c->db, "PRAGMA synchronous=NORMAL")))) {
		snprintf(err, errlen, "cannot set up database %s: %s", s->path, sqlite3_errmsg(c->db));
		goto fail;
	}
	if (!writer)
		c->wal_header = map_wal_header(c->db);
	return c;
fail:
	conn_close(c);
	return NULL;
}

static void forget_waiting(store_conn *c);
static int settle_words(store_conn *c);

static void conn_close(store_conn *c)
{
	if (!c)
		return;
	forget_waiting(c);
	for (int i = 0; i < CACHE_BUCKETS; i++) {
		for (cached *e = c->cache[i], *next; e; e = next) {
			next = e->next;
			sqlite3_finalize(e->stmt);
			free(e->sql);
			free(e);
		}
	}
	sqlite3_close(c->db);
	pthread_mutex_destroy(&c->use);
	free(c);
}

/* Before SQLite's first use: without memory statistics, SQLite's allocator
 * takes no global mutex, which every thread would otherwise queue on. */
static void configure_once(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

store *store_open(const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->path = strdup(path);
	store_search_weights(s, (const double[]){ 10.0, 1.0 }, 2);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->readers_lock, NULL);
	pthread_cond_init(&s->sweeper_wake, NULL);
	pthread_key_create(&s->reader_key, NULL);
	s->writer = conn_open(s, 1, err, errlen);
	if (!s->writer) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(store *s)
{
	if (!s)
		return;
	sweeper_stop(s);
	for (store_conn *c = s->readers, *next; c; c = next) {
		next = c->next_reader;
		conn_close(c);
	}
	if (s->writer) {
		exec(s->writer->db, "PRAGMA optimize");
		conn_close(s->writer);
	}
	pthread_key_delete(s->reader_key);
	pthread_mutex_destroy(&s->write_lock);
	pthread_mutex_destroy(&s->readers_lock);
	pthread_cond_destroy(&s->sweeper_wake);
	free(s->path);
	free(s);
}

const char *store_path(const store *s) { return s->path; }

store_conn *store_reader(store *s)
{
	store_conn *c = pthread_getspecific(s->reader_key);
	if (c)
		return c;
	char err[256];
	c = conn_open(s, 0, err, sizeof err);
	if (!c)
		return NULL;
	pthread_setspecific(s->reader_key, c);
	pthread_mutex_lock(&s->readers_lock);
	c->next_reader = s->readers;
	s->readers = c;
	pthread_mutex_unlock(&s->readers_lock);
	return c;
}

/* ---- snapshots ------------------------------------------------------ */

/*
 * A request reads in one transaction: one snapshot for all its statements
 * (a list and the links of its items agree), and one lock round-trip
 * instead of one per statement.
 *
 * The next request on the same thread keeps that snapshot when nothing was
 * committed since, by any connection of any process: beginning and ending a
 * read transaction costs file locks (fcntl) and a mutex that every thread
 * shares, more than reading one record does.  SQLite rewrites the header of
 * its wal-index (shared memory, mapped by every connection) on each commit,
 * so comparing that header with the one seen at the snapshot's beginning
 * tells, without a lock, whether the snapshot is still the newest.  A
 * snapshot left open pins the WAL against checkpoints, so a sweeper thread
 * ends those idle for more than SNAPSHOT_IDLE_US.
 */
#define SNAPSHOT_IDLE_US 50000

/* Region 0 of the wal-index, already mapped by this WAL-mode connection's
 * first read (https://sqlite.org/walformat.html); NULL in any other mode. */
static const uint32_t *map_wal_header(sqlite3 *db)
{
	sqlite3_stmt *st;
	int wal = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	sqlite3_file *f = NULL;
	volatile void *region = NULL;
	if (!wal || sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
	    !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap ||
	    f->pMethods->xShmMap(f, 0, 32768, 0, &region) != SQLITE_OK)
		return NULL;
	return (const uint32_t *)region;
}

static void read_wal_header(const store_conn *c, uint32_t out[WAL_HEADER_WORDS])
{
	for (int i = 0; i < WAL_HEADER_WORDS; i++)
		out[i] = __atomic_load_n(&c->wal_header[i], __ATOMIC_ACQUIRE);
}

/* Begins a snapshot that is at least as new as the header it records:
 * the header is read before the transaction takes its own. */
static void snapshot_take(store_conn *c)
{
	store *s = c->owner;
	if (c->wal_header)
		read_wal_header(c, c->seen);
	run_cached(c, "BEGIN");
	c->snapshot = 1;
	if (atomic_fetch_add(&s->snapshots_open, 1) == 0) {
		pthread_mutex_lock(&s->readers_lock);
		pthread_cond_signal(&s->sweeper_wake);
		pthread_mutex_unlock(&s->readers_lock);
	}
}

static void snapshot_drop(store_conn *c)
{
	run_cached(c, "COMMIT");
	c->snapshot = 0;
	atomic_fetch_sub(&c->owner->snapshots_open, 1);
}

static int snapshot_newest(const store_conn *c)
{
	uint32_t now[WAL_HEADER_WORDS];
	if (!c->wal_header)
		return 0;
	read_wal_header(c, now);
	return memcmp(now, c->seen, sizeof now) == 0;
}

void store_mark_take(store *s, store_mark *out)
{
	_Static_assert(sizeof out->words == sizeof ((store_conn *)0)->seen, "a mark is a wal-index header");
	store_conn *c = pthread_getspecific(s->reader_key);
	out->valid = c && c->snapshot && c->wal_header;
	if (out->valid)
		memcpy(out->words, c->seen, sizeof out->words);
}

int store_mark_current(store *s, const store_mark *m)
{
	store_conn *c = pthread_getspecific(s->reader_key);
	uint32_t now[WAL_HEADER_WORDS];
	if (!m->valid || !c || !c->wal_header)
		return 0;
	read_wal_header(c, now);
	return memcmp(now, m->words, sizeof now) == 0;
}

/* Every SNAPSHOT_IDLE_US, ends the snapshots no request has used since;
 * while none is open, sleeps until one is (an idle server stays asleep). */
static void *sweep(void *arg)
{
	store *s = arg;
	pthread_setname_np(pthread_self(), "liaison-sweep");
	pthread_mutex_lock(&s->readers_lock);
	while (s->sweeping) {
		if (atomic_load(&s->snapshots_open) == 0) {
			pthread_cond_wait(&s->sweeper_wake, &s->readers_lock);
			continue;
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += SNAPSHOT_IDLE_US * 1000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&s->sweeper_wake, &s->readers_lock, &until);
		uint64_t now = clock_micros();
		for (store_conn *c = s->readers; c; c = c->next_reader) {
			if (pthread_mutex_trylock(&c->use) != 0)
				continue; /* in a request */
			if (c->snapshot && now - c->last_used >= SNAPSHOT_IDLE_US)
				snapshot_drop(c);
			pthread_mutex_unlock(&c->use);
		}
	}
	pthread_mutex_unlock(&s->readers_lock);
	return NULL;
}

/* Once per store, by the first snapshot. */
static void sweeper_start(store *s)
{
	if (atomic_load(&s->sweeper_started) || atomic_exchange(&s->sweeper_started, 1))
		return;
	pthread_mutex_lock(&s->readers_lock);
	s->sweeping = pthread_create(&s->sweeper, NULL, sweep, s) == 0;
	pthread_mutex_unlock(&s->readers_lock);
}

static void sweeper_stop(store *s)
{
	pthread_mutex_lock(&s->readers_lock);
	int running = s->sweeping;
	s->sweeping = 0;
	pthread_cond_signal(&s->sweeper_wake);
	pthread_mutex_unlock(&s->readers_lock);
	if (running)
		pthread_join(s->sweeper, NULL);
}

void store_snapshot_begin(store *s)
{
	store_conn *c = store_reader(s);
	if (!c)
		return;
	sweeper_start(s);
	pthread_mutex_lock(&c->use);
	c->in_request = 1;
	if (c->snapshot && snapshot_newest(c))
		return;
	if (c->snapshot)
		snapshot_drop(c);
	snapshot_take(c);
}

void store_snapshot_end(store *s)
{
	store_conn *c = pthread_getspecific(s->reader_key);
	if (!c)
		return;
	if (c->snapshot && !c->wal_header)
		snapshot_drop(c);
	c->in_request = 0;
	c->last_used = clock_micros();
	pthread_mutex_unlock(&c->use);
}

store_conn *store_begin(store *s)
{
	pthread_mutex_lock(&s->write_lock);
	if (exec(s->writer->db, "BEGIN IMMEDIATE")) {
		pthread_mutex_unlock(&s->write_lock);
		return NULL;
	}
	return s->writer;
}

int store_defer_references(store_conn *c)
{
	return exec(c->db, "PRAGMA defer_foreign_keys = ON") ? STORE_ERROR : STORE_OK; /* until COMMIT or ROLLBACK */
}

int store_commit(store_conn *c)
{
	int rc = settle_words(c) != STORE_OK || exec(c->db, "COMMIT");
	int status = rc ? status_of(c, sqlite3_extended_errcode(c->db)) : STORE_OK;
	if (rc)
		exec(c->db, "ROLLBACK");
	else
		atomic_store(&c->owner->disk_refusing, 0);   /* the disk takes writes again */
	pthread_mutex_unlock(&c->owner->write_lock);
	/* What this thread just wrote, the rest of its request must see: the
	 * request's snapshot moves forward.  (Outside a request, a kept snapshot
	 * is the sweeper's, and the next request finds it stale anyway.) */
	store_conn *reader = pthread_getspecific(c->owner->reader_key);
	if (!rc && reader && reader->in_request) {
		snapshot_drop(reader);
		snapshot_take(reader);
	}
	return status;
}

void store_rollback(store_conn *c)
{
	forget_waiting(c);
	exec(c->db, "ROLLBACK");
	pthread_mutex_unlock(&c->owner->write_lock);
}

const char *store_errmsg(store_conn *c) { return sqlite3_errmsg(c->db); }

int store_ping(store *s)
{
	store_conn *c = store_reader(s);
	return c && exec(c->db, "SELECT 1") == 0 ? 0 : -1;
}

void store_stats(store *s, uint64_t *statements, uint64_t *micros)
{
	*statements = atomic_load(&s->statements);
	*micros = atomic_load(&s->micros);
}

/* ---- statements ----------------------------------------------------- */

/* The selects of one kind share their long column list, so the hash takes
 * the length, the head and the tail, where they differ, and leaves the
 * middle to strcmp: every request looks its statements up here. */
static unsigned hash_sql(const char *s)
{
	size_t n = strlen(s);
	unsigned h = 2166136261u ^ (unsigned)n;
	for (size_t i = 0; i < n; i++) {
		if (i == 32 && n > 96)
			i = n - 64;
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
}

/* The prepared statement for sql, from the cache or newly prepared; reset and unbound. */
static sqlite3_stmt *prepare(store_conn *c, const char *sql)
{
	unsigned b = hash_sql(sql) % CACHE_BUCKETS;
	for (cached *e = c->cache[b]; e; e = e->next)
		if (strcmp(e->sql, sql) == 0)
			return e->stmt;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	cached *e = malloc(sizeof *e);
	if (!e) {
		sqlite3_finalize(st);
		return NULL;
	}
	e->sql = strdup(sql);
	e->stmt = st;
	e->next = c->cache[b];
	c->cache[b] = e;
	return st;
}

static int bind(sqlite3_stmt *st, int idx, const store_value *v)
{
	switch (v->type) {
	case SV_INT:
		return sqlite3_bind_int64(st, idx, v->i);
	case SV_TEXT:
		return sqlite3_bind_text(st, idx, v->s ? v->s : "", (int)v->n, SQLITE_STATIC);
	case SV_BLOB:
		return sqlite3_bind_blob(st, idx, v->s ? v->s : "", (int)v->n, SQLITE_STATIC);
	default:
		return sqlite3_bind_null(st, idx);
	}
}

/* A full disk, or one failing to write or sync: the request is not at fault,
 * and the same write can succeed once space returns. */
static int disk_refused(int rc)
{
	return (rc & 0xff) == SQLITE_FULL || rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
	       rc == SQLITE_IOERR_DIR_FSYNC || rc == SQLITE_IOERR_TRUNCATE;
}

/* The status of a failed statement, remembered for store_disk_refused. */
static int status_of(store_conn *c, int rc)
{
	if (disk_refused(rc)) {
		atomic_store(&c->owner->disk_refusing, 1);
		return STORE_FULL;
	}
	return (rc & 0xff) == SQLITE_CONSTRAINT ? STORE_CONSTRAINT : STORE_ERROR;
}

int store_disk_refused(store *s) { return s && atomic_load(&s->disk_refusing); }

/* Runs st to completion, calling fn for each row.  Always leaves st reset. */
static int run(store_conn *c, sqlite3_stmt *st, store_row_fn fn, void *ctx)
{
	uint64_t t0 = clock_micros();
	store_row row = { st };
	int rc, status = STORE_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn && fn(ctx, &row))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = status_of(c, rc);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	atomic_fetch_add(&c->owner->statements, 1);
	atomic_fetch_add(&c->owner->micros, clock_micros() - t0);
	return status;
}

/* A statement without values, from the cache: BEGIN and COMMIT of every
 * request's snapshot are parsed once per connection, not once per request. */
static int run_cached(store_conn *c, const char *sql)
{
	sqlite3_stmt *st = prepare(c, sql);
	return st ? run(c, st, NULL, NULL) : STORE_ERROR;
}

static int ident_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static const char *op_sql(store_op op)
{
	static const char *const ops[] = { "=", "<>", "<", "<=", ">", ">=" };
	return op <= OP_GE ? ops[op] : "=";
}

/* Conditions name their columns plainly; only OP_EXISTS needs to say whose
 * row it looks from: `outer` is how the enclosing row is named (its table, or
 * an alias), `depth` numbers the aliases of nested look-ups. */
static int where_list(buf *sql, const store_cond *w, int n, const char *joiner, const char *outer, int depth);

/* Appends one condition; -1 when a name in it is not a plain identifier. */
static int cond_sql(buf *sql, const store_cond *w, const char *outer, int depth)
{
	if (w->op != OP_ANY && w->op != OP_ALL && !ident_ok(w->col))
		return -1;
	switch (w->op) {
	case OP_CONTAINS:
		buf_printf(sql, "EXISTS (SELECT 1 FROM json_each(%s) WHERE value = ?)", w->col);
		return 0;
	case OP_ISNULL:
		buf_printf(sql, "%s IS NULL", w->col);
		return 0;
	case OP_NOTNULL:
		buf_printf(sql, "%s IS NOT NULL", w->col);
		return 0;
	case OP_ANY:
	case OP_ALL:
		if (w->nsub == 0) { /* an empty OR is false, an empty AND true */
			buf_puts(sql, w->op == OP_ANY ? "0 = 1" : "1 = 1");
			return 0;
		}
		buf_putc(sql, '(');
		if (where_list(sql, w->sub, w->nsub, w->op == OP_ANY ? " OR " : " AND ", outer, depth))
			return -1;
		buf_putc(sql, ')');
		return 0;
	case OP_IN_SELECT:
		if (!ident_ok(w->sub_table) || !ident_ok(w->sub_col))
			return -1;
		buf_printf(sql, "%s IN (SELECT %s FROM %s WHERE ", w->col, w->sub_col, w->sub_table);
		if (where_list(sql, w->sub, w->nsub, " AND ", w->sub_table, depth))
			return -1;
		buf_putc(sql, ')');
		return 0;
	case OP_EXISTS:
	case OP_NOT_EXISTS: {
		if (!ident_ok(w->sub_table) || !ident_ok(w->sub_col) || !outer)
			return -1;
		char alias[16];
		snprintf(alias, sizeof alias, "x%d", depth + 1);
		buf_printf(sql, "%sEXISTS (SELECT", w->op == OP_NOT_EXISTS ? "NOT " : "");
		buf_printf(sql, " 1 FROM %s AS %s WHERE %s.%s = %s.%s", w->sub_table, alias, alias,
			   w->sub_col, outer, w->col);
		if (w->nsub) {
			buf_puts(sql, " AND ");
			if (where_list(sql, w->sub, w->nsub, " AND ", alias, depth + 1))
				return -1;
		}
		buf_putc(sql, ')');
		return 0;
	}
	default:
		buf_puts(sql, w->col);
		buf_putc(sql, ' ');
		buf_puts(sql, op_sql(w->op));
		buf_puts(sql, " ?");
		return 0;
	}
}

static int where_list(buf *sql, const store_cond *w, int n, const char *joiner, const char *outer, int depth)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(sql, joiner);
		if (cond_sql(sql, &w[i], outer, depth))
			return -1;
	}
	return 0;
}

static int where_sql(buf *sql, const char *table, const store_cond *where, int n)
{
	if (n == 0)
		return 0;
	buf_puts(sql, " WHERE ");
	return where_list(sql, where, n, " AND ", table, 0);
}

/* Binds in the same order cond_sql wrote the placeholders. */
static int bind_where(sqlite3_stmt *st, int *idx, const store_cond *where, int n)
{
	for (int i = 0; i < n; i++) {
		const store_cond *w = &where[i];
		switch (w->op) {
		case OP_ISNULL:
		case OP_NOTNULL:
			break;
		case OP_ANY:
		case OP_ALL:
		case OP_IN_SELECT:
		case OP_EXISTS:
		case OP_NOT_EXISTS:
			if (bind_where(st, idx, w->sub, w->nsub))
				return -1;
			break;
		default:
			if (bind(st, (*idx)++, &w->v) != SQLITE_OK)
				return -1;
		}
	}
	return 0;
}

/* The sort key of a column: itself, or with NULL mapped to a value, in the
 * exact form store_ensure_index indexes, so that the index serves the sort. */
static void order_key(buf *sql, const store_order *o)
{
	if (o->nulls == NOT_NULL || o->nulls == NULLS_SKIPPED) {
		buf_puts(sql, o->col);
		return;
	}
	buf_puts(sql, "COALESCE(");
	buf_puts(sql, o->col);
	buf_puts(sql, o->nulls == NULL_AS_TEXT ? ", '')" : ", -9223372036854775807)");
}

/*
 * Keyset pagination: rows strictly after the cursor in the given order,
 * written as (k1 > a) OR (k1 = a AND (k2 > b OR (k2 = b AND ...))).
 * Each level binds its value twice, once for > and once for =.
 */
static void after_sql(buf *sql, const store_select *q, int level)
{
	const store_order *o = &q->order[level];
	buf_putc(sql, '(');
	order_key(sql, o);
	buf_puts(sql, o->desc ? " < ?" : " > ?");
	if (level + 1 < q->norder) {
		buf_puts(sql, " OR (");
		order_key(sql, o);
		buf_puts(sql, " = ? AND ");
		after_sql(sql, q, level + 1);
		buf_putc(sql, ')');
	}
	buf_putc(sql, ')');
}

static int bind_after(sqlite3_stmt *st, int *idx, const store_select *q)
{
	for (int i = 0; i < q->norder; i++) {
		int times = i + 1 < q->norder ? 2 : 1;
		store_value v = q->after[i];
		if (v.type == SV_NULL)
			v = q->order[i].nulls == NULL_AS_TEXT ? sv_text("") : SV_INT_(-9223372036854775807LL);
		for (int t = 0; t < times; t++)
			if (bind(st, (*idx)++, &v) != SQLITE_OK)
				return -1;
	}
	return 0;
}

static int select_sql(buf *sql, const store_select *q)
{
	if (!ident_ok(q->table))
		return -1;
	buf_puts(sql, "SELECT ");
	for (int i = 0; i < q->ncols; i++) {
		if (!ident_ok(q->cols[i]))
			return -1;
		if (i)
			buf_puts(sql, ", ");
		buf_puts(sql, q->cols[i]);
	}
	buf_puts(sql, " FROM ");
	buf_puts(sql, q->table);
	if (where_sql(sql, q->table, q->where, q->nwhere))
		return -1;
	if (q->after && q->norder) {
		buf_puts(sql, q->nwhere ? " AND " : " WHERE ");
		after_sql(sql, q, 0);
	}
	for (int i = 0; i < q->norder; i++) {
		if (!ident_ok(q->order[i].col))
			return -1;
		buf_puts(sql, i ? ", " : " ORDER BY ");
		order_key(sql, &q->order[i]);
		if (q->order[i].desc)
			buf_puts(sql, " DESC");
	}
	if (q->limit > 0)
		buf_puts(sql, " LIMIT ?");
	return 0;
}

char *store_select_sql(const store_select *q)
{
	buf sql = BUF_INIT;
	if (select_sql(&sql, q)) {
		buf_free(&sql);
		return NULL;
	}
	return buf_steal(&sql);
}

int store_query(store_conn *c, const store_select *q, store_row_fn fn, void *ctx)
{
	buf sql = BUF_INIT;
	int status = STORE_ERROR, idx = 1;
	if (!q->sql && select_sql(&sql, q))
		goto done;
	sqlite3_stmt *st = prepare(c, q->sql ? q->sql : buf_str(&sql));
	if (!st)
		goto done;
	if (bind_where(st, &idx, q->where, q->nwhere) ||
	    (q->after && q->norder && bind_after(st, &idx, q)) ||
	    (q->limit > 0 && sqlite3_bind_int64(st, idx, q->limit) != SQLITE_OK)) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		goto done;
	}
	status = run(c, st, fn, ctx);
done:
	buf_free(&sql);
	return status;
}

static int take_count(void *ctx, store_row *r)
{
	*(int64_t *)ctx = store_int(r, 0);
	return 1;
}

int store_count_upto(store_conn *c, const char *table, const store_cond *where, int nwhere, int64_t upto, int64_t *n)
{
	buf sql = BUF_INIT;
	int status = STORE_ERROR, idx = 1;
	*n = 0;
	if (!ident_ok(table))
		goto done;
	buf_printf(&sql, upto > 0 ? "SELECT count(*) FROM (SELECT 1 FROM %s" : "SELECT count(*) FROM %s", table);
	if (where_sql(&sql, table, where, nwhere))
		goto done;
	if (upto > 0)
		buf_printf(&sql, " LIMIT %lld)", (long long)upto);
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	if (!st || bind_where(st, &idx, where, nwhere))
		goto done;
	status = run(c, st, take_count, n);
done:
	buf_free(&sql);
	return status;
}

int store_count(store_conn *c, const char *table, const store_cond *where, int nwhere, int64_t *n)
{
	return store_count_upto(c, table, where, nwhere, 0, n);
}

int store_sum_by(store_conn *c, const store_sums *q, store_row_fn fn, void *ctx)
{
	buf sql = BUF_INIT, groups = BUF_INIT;
	int status = STORE_ERROR, idx = 1;
	if (!ident_ok(q->table) || !ident_ok(q->sum))
		goto done;
	for (int i = 0; i < q->ngroups; i++) {
		if (!ident_ok(q->groups[i]))
			goto done;
		buf_puts(&groups, q->groups[i]);
		buf_puts(&groups, ", ");
	}
	buf_printf(&sql, "SELECT %ssum(%s) FROM %s", buf_str(&groups), q->sum, q->table);
	if (where_sql(&sql, q->table, q->where, q->nwhere))
		goto done;
	if (q->ngroups) {
		groups.len -= 2;   /* the last ", " */
		buf_printf(&sql, " GROUP BY %.*s", (int)groups.len, groups.data);
	}
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	if (!st || bind_where(st, &idx, q->where, q->nwhere))
		goto done;
	status = run(c, st, fn, ctx);
done:
	buf_free(&sql);
	buf_free(&groups);
	return status;
}

static int take_int(void *ctx, store_row *row)
{
	*(int64_t *)ctx = store_int(row, 0);
	return 1;
}

int64_t store_rows(store *s, const char *table)
{
	int64_t n = 0;
	store_conn *c = store_reader(s);
	return c && store_count(c, table, NULL, 0, &n) == STORE_OK ? n : -1;
}

int store_counter_next(store_conn *c, const char *name, int64_t *out)
{
	/* An update, then an insert when the counter is new: neither statement
	 * can fail half-way, so SQLite opens no statement savepoint for them.
	 * A savepoint makes every FTS5 table written in the transaction flush
	 * its pending words into a new segment, and a bulk load numbering each
	 * record it indexes would write one segment per record. */
	sqlite3_stmt *up = prepare(c, "UPDATE counters SET value = value + 1 WHERE name = ?");
	sqlite3_stmt *get = prepare(c, "SELECT value FROM counters WHERE name = ?");
	*out = 0;
	if (!up || !get || sqlite3_bind_text(up, 1, name, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    run(c, up, NULL, NULL) != STORE_OK || sqlite3_bind_text(get, 1, name, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    run(c, get, take_int, out) != STORE_OK)
		return STORE_ERROR;
	if (*out > 0)
		return STORE_OK;
	sqlite3_stmt *add = prepare(c, "INSERT INTO counters (name, value) VALUES (?, 1)");
	if (!add || sqlite3_bind_text(add, 1, name, -1, SQLITE_TRANSIENT) != SQLITE_OK || run(c, add, NULL, NULL) != STORE_OK)
		return STORE_ERROR;
	*out = 1;
	return STORE_OK;
}

char *store_insert_sql(const char *table, const char *const *cols, int n)
{
	buf sql = BUF_INIT;
	if (!ident_ok(table))
		goto fail;
	buf_puts(&sql, "INSERT INTO ");
	buf_puts(&sql, table);
	buf_puts(&sql, " (");
	for (int i = 0; i < n; i++) {
		if (!ident_ok(cols[i]))
			goto fail;
		if (i)
			buf_puts(&sql, ", ");
		buf_puts(&sql, cols[i]);
	}
	buf_puts(&sql, ") VALUES (");
	for (int i = 0; i < n; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_putc(&sql, ')');
	return buf_steal(&sql);
fail:
	buf_free(&sql);
	return NULL;
}

int store_insert_with(store_conn *c, const char *sql, const store_value *vals, int n, int64_t *rowid)
{
	sqlite3_stmt *st = sql ? prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	for (int i = 0; i < n; i++)
		bind(st, i + 1, &vals[i]);
	int status = run(c, st, NULL, NULL);
	if (status == STORE_OK && rowid)
		*rowid = sqlite3_last_insert_rowid(c->db);
	return status;
}

int store_insert(store_conn *c, const char *table, const char *const *cols,
		 const store_value *vals, int n, int64_t *rowid)
{
	char *sql = store_insert_sql(table, cols, n);
	int status = store_insert_with(c, sql, vals, n, rowid);
	free(sql);
	return status;
}

int store_update(store_conn *c, const char *table, const char *const *cols,
		 const store_value *vals, int n, const store_cond *where, int nwhere, int *changed)
{
	buf sql = BUF_INIT;
	int status = STORE_ERROR, idx = 1;
	if (!ident_ok(table))
		goto done;
	buf_puts(&sql, "UPDATE ");
	buf_puts(&sql, table);
	buf_puts(&sql, " SET ");
	for (int i = 0; i < n; i++) {
		if (!ident_ok(cols[i]))
			goto done;
		if (i)
			buf_puts(&sql, ", ");
		buf_puts(&sql, cols[i]);
		buf_puts(&sql, " = ?");
	}
	if (where_sql(&sql, table, where, nwhere))
		goto done;
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	if (!st)
		goto done;
	for (int i = 0; i < n; i++)
		bind(st, idx++, &vals[i]);
	if (bind_where(st, &idx, where, nwhere)) {
		sqlite3_reset(st);
		goto done;
	}
	status = run(c, st, NULL, NULL);
	if (changed)
		*changed = status == STORE_OK ? sqlite3_changes(c->db) : 0;
done:
	buf_free(&sql);
	return status;
}

int store_delete(store_conn *c, const char *table, const store_cond *where, int nwhere)
{
	buf sql = BUF_INIT;
	int status = STORE_ERROR, idx = 1;
	if (!ident_ok(table) || nwhere == 0) /* never an unconditional delete */
		goto done;
	buf_printf(&sql, "DELETE FROM %s", table);
	if (where_sql(&sql, table, where, nwhere))
		goto done;
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	if (!st || bind_where(st, &idx, where, nwhere))
		goto done;
	status = run(c, st, NULL, NULL);
done:
	buf_free(&sql);
	return status;
}

/* ---- rows ----------------------------------------------------------- */

int64_t store_int(store_row *r, int col) { return sqlite3_column_int64(r->stmt, col); }

const char *store_text(store_row *r, int col, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(r->stmt, col);
	if (n)
		*n = s ? (size_t)sqlite3_column_bytes(r->stmt, col) : 0;
	return s;
}

int store_isnull(store_row *r, int col) { return sqlite3_column_type(r->stmt, col) == SQLITE_NULL; }

double store_double(store_row *r, int col) { return sqlite3_column_double(r->stmt, col); }

store_value store_get(store_row *r, int col)
{
	switch (sqlite3_column_type(r->stmt, col)) {
	case SQLITE_NULL:
		return SV_NUL;
	case SQLITE_INTEGER:
		return SV_INT_(sqlite3_column_int64(r->stmt, col));
	default: {
		size_t n;
		const char *s = store_text(r, col, &n);
		return (store_value){ SV_TEXT, 0, s, n };
	}
	}
}

void store_row_copy(store_row *r, int n, store_value *out, arena *a)
{
	for (int i = 0; i < n; i++) {
		switch (sqlite3_column_type(r->stmt, i)) {
		case SQLITE_NULL:
			out[i] = SV_NUL;
			break;
		case SQLITE_INTEGER:
			out[i] = SV_INT_(sqlite3_column_int64(r->stmt, i));
			break;
		default: {
			/* As bytes: asked for as text, SQLite would first copy the
			 * value once more to end it with a NUL; the copy here ends it. */
			const char *s = sqlite3_column_blob(r->stmt, i);
			size_t len = (size_t)sqlite3_column_bytes(r->stmt, i);
			out[i] = (store_value){ SV_TEXT, 0, arena_strndup(a, s ? s : "", len), len };
		}
		}
	}
}

/* ---- schema --------------------------------------------------------- */

int store_table_columns(store_conn *c, const char *table, store_row_fn fn, void *ctx)
{
	sqlite3_stmt *st = prepare(c, "SELECT name, type FROM pragma_table_info(?)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	return run(c, st, fn, ctx);
}

typedef struct column_sought {
	const char *name;
	int found;
} column_sought;

static int is_sought(void *ctx, store_row *r)
{
	column_sought *q = ctx;
	q->found = strcmp(store_text(r, 0, NULL), q->name) == 0;
	return q->found;
}

static int table_has_column(store_conn *c, const char *table, const char *col)
{
	column_sought q = { col, 0 };
	return store_table_columns(c, table, is_sought, &q) == STORE_OK ? q.found : -1;
}

static void column_sql(buf *sql, const store_column *col, int adding)
{
	buf_printf(sql, "%s %s", col->name, col->type);
	/* ALTER TABLE ADD COLUMN cannot add UNIQUE; store_ensure_table adds an index instead. */
	if (col->unique && !adding)
		buf_puts(sql, " UNIQUE");
	if (col->references)
		buf_printf(sql, " REFERENCES %s", col->references);
}

int store_ensure_table(store_conn *c, const char *table, const store_column *cols, int ncols)
{
	buf sql = BUF_INIT;
	int status = STORE_ERROR;
	if (!ident_ok(table))
		goto done;
	buf_printf(&sql, "CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY", table);
	for (int i = 0; i < ncols; i++) {
		if (!ident_ok(cols[i].name))
			goto done;
		buf_puts(&sql, ", ");
		column_sql(&sql, &cols[i], 0);
	}
	buf_putc(&sql, ')');
	if (exec(c->db, buf_str(&sql)))
		goto done;
	for (int i = 0; i < ncols; i++) {
		int has = table_has_column(c, table, cols[i].name);
		if (has < 0)
			goto done;
		if (has)
			continue;
		buf_reset(&sql);
		buf_printf(&sql, "ALTER TABLE %s ADD COLUMN ", table);
		column_sql(&sql, &cols[i], 1);
		if (exec(c->db, buf_str(&sql)))
			goto done;
		if (cols[i].unique) {
			buf_reset(&sql);
			buf_printf(&sql, "CREATE UNIQUE INDEX IF NOT EXISTS %s_%s_unique ON %s (%s)", table,
				   cols[i].name, table, cols[i].name);
			if (exec(c->db, buf_str(&sql)))
				goto done;
		}
	}
	status = STORE_OK;
done:
	buf_free(&sql);
	return status;
}

int store_ensure_index(store_conn *c, const char *table, const store_order *keys, int nkeys)
{
	buf name = BUF_INIT, cols = BUF_INIT, sql = BUF_INIT;
	int rc = STORE_ERROR;
	if (!ident_ok(table) || nkeys < 1)
		goto done;
	buf_puts(&name, table);
	for (int i = 0; i < nkeys; i++) {
		if (!ident_ok(keys[i].col))
			goto done;
		buf_printf(&name, "_%s%s", keys[i].col, keys[i].nulls == NULLS_SKIPPED ? "_nn" : keys[i].nulls ? "_k" : "");
		if (i)
			buf_puts(&cols, ", ");
		order_key(&cols, &keys[i]);
	}
	buf_printf(&sql, "CREATE INDEX IF NOT EXISTS %s ON %s (%s)", buf_str(&name), table, buf_str(&cols));
	if (keys[0].nulls == NULLS_SKIPPED)
		buf_printf(&sql, " WHERE %s IS NOT NULL", keys[0].col);
	rc = exec(c->db, buf_str(&sql)) ? STORE_ERROR : STORE_OK;
done:
	buf_free(&name);
	buf_free(&cols);
	buf_free(&sql);
	return rc;
}

/* An FTS5 table's setting (name, value) or command (value < 0: none), as
 * FTS5 takes them: an insert into the column named after the table. */
static int fts_command(sqlite3 *db, const char *table, const char *name, int64_t value)
{
	if (!ident_ok(table))
		return -1;
	char sql[256];
	if (value < 0)
		snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES('%s')", table, table, name);
	else
		snprintf(sql, sizeof sql, "INSERT INTO %s(%s, rank) VALUES('%s', %lld)", table, table, name,
			 (long long)value);
	return exec(db, sql);
}

/* A bulk load gathers 64 MiB of words in memory before writing a segment,
 * not 1, and keeps its segments unmerged while it loads, instead of merging
 * them over and over. */
static int fts_bulk_begin(sqlite3 *db, const char *table)
{
	return fts_command(db, table, "automerge", 0) || fts_command(db, table, "hashsize", 64 << 20);
}

/* The usual settings back; optimize: the load's segments and the ones
 * before merged into one, which reads fastest. */
static int fts_bulk_end(sqlite3 *db, const char *table, int optimize)
{
	return (optimize && fts_command(db, table, "optimize", -1)) || fts_command(db, table, "automerge", 4) ||
	       fts_command(db, table, "hashsize", 1 << 20);
}

/* The search index is merged once into one segment at the end instead of
 * over and over. */
static void search_bulk_begin(sqlite3 *db)
{
	fts_bulk_begin(db, "search_index");
	fts_bulk_begin(db, "search_titles");
}

static int search_bulk_end(sqlite3 *db, int optimize)
{
	int bad = fts_bulk_end(db, "search_index", optimize) ||
		  (optimize && fts_command(db, "title_word_trigrams", "optimize", -1)) ||
		  fts_bulk_end(db, "search_titles", optimize);
	return bad ? STORE_ERROR : STORE_OK;
}

/* A large page cache on the writer for loading much at once (demo data,
 * imports): index pages stay in memory instead of being read back. */
void store_bulk_mode(store *s)
{
	exec(s->writer->db, "PRAGMA cache_size=-524288");
	search_bulk_begin(s->writer->db);
	s->writer->batching = 1;
}

int store_bulk_end(store *s)
{
	s->writer->batching = 0;
	if (settle_words(s->writer) != STORE_OK)
		return STORE_ERROR;
	return search_bulk_end(s->writer->db, 1);
}

void store_large_cache(store_conn *c, int large)
{
	exec(c->db, large ? "PRAGMA cache_size=-524288" : "PRAGMA cache_size=-16384");
}

/* An import's page cache is large enough for the indexes it writes to stay
 * mostly in memory, and bounded: whatever the file's size, the process stays
 * under 300 MB (bench/RESULTS.md); the kernel keeps the rest a pread away. */
int store_search_bulk(store_conn *c, int how)
{
	exec(c->db, how == STORE_BULK_BEGIN ? "PRAGMA cache_size=-131072" : "PRAGMA cache_size=-16384");
	c->batching = how == STORE_BULK_BEGIN;
	if (how == STORE_BULK_BEGIN) {
		search_bulk_begin(c->db);
		return STORE_OK;
	}
	if (settle_words(c) != STORE_OK)
		return STORE_ERROR;
	return search_bulk_end(c->db, how == STORE_BULK_MERGED);
}

int store_fts_bulk(store_conn *c, const char *table, int loading)
{
	store_large_cache(c, loading);
	if (loading)
		return fts_bulk_begin(c->db, table) ? STORE_ERROR : STORE_OK;
	return fts_bulk_end(c->db, table, 0) ? STORE_ERROR : STORE_OK;
}

static int take_name(void *ctx, store_row *r)
{
	buf *names = ctx;
	buf_puts(names, store_text(r, 0, NULL));
	buf_putc(names, '\n');
	return 0;
}

/* Drops the secondary indexes of a table (not those behind UNIQUE): a bulk
 * load then appends to the table alone, and store_ensure_index rebuilds
 * each index in one sorted pass afterwards. */
int store_drop_indexes(store *s, const char *table)
{
	buf names = BUF_INIT, sql = BUF_INIT;
	int rc = STORE_ERROR;
	store_conn *c = s->writer;
	sqlite3_stmt *st = prepare(c, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
				      "AND sql NOT LIKE 'CREATE UNIQUE%'");
	if (!ident_ok(table) || !st)
		goto done;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (run(c, st, take_name, &names) != STORE_OK)
		goto done;
	rc = STORE_OK;
	for (char *save = NULL, *name = strtok_r(names.data ? names.data : "", "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		if (!ident_ok(name))
			continue;
		buf_reset(&sql);
		buf_printf(&sql, "DROP INDEX %s", name);
		if (exec(c->db, buf_str(&sql)))
			rc = STORE_ERROR;
	}
done:
	buf_free(&names);
	buf_free(&sql);
	return rc;
}

int store_analyze(store *s)
{
	/* each index's statistics from a sample of its rows, as PRAGMA optimize
	 * takes them: a whole read of a database larger than memory took
	 * longer than the estimates are worth */
	return exec(s->writer->db, "PRAGMA analysis_limit=1000; ANALYZE") ? STORE_ERROR : STORE_OK;
}

/* ---- migrations ---------------------------------------------------------
 * A migration (src/store/migrations/NNN_what.sql) runs statement by statement,
 * so that a failure can name its line.  Every pending migration and then the
 * caller's own changes (the registry's tables) share one transaction: the
 * database is brought to this build's schema, or left exactly as it was.
 * References are not enforced meanwhile (PRAGMA foreign_keys changes only
 * outside a transaction): a table is rebuilt by creating the new one,
 * copying, dropping the old and renaming the new, and the rows that refer
 * to it would stop the drop.  After each migration foreign_key_check looks
 * instead, and a row whose reference the migration broke fails it.
 * Migrations run at open, before any other thread writes.
 */

/* Where the next statement starts: after blanks and comments. */
static const char *statement_start(const char *p)
{
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* A migration runs inside the runner's transaction: one that would begin or
 * end a transaction of its own is refused when it is prepared, before it
 * could commit half of the work. */
static int no_transactions(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d;
	return action == SQLITE_TRANSACTION ? SQLITE_DENY : SQLITE_OK;
}

static int run_statement(sqlite3 *db, const char *sql, const char **tail)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, tail);
	while (rc == SQLITE_OK && st && (rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);  /* keeps the error message */
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int run_script(sqlite3 *db, const embedded_file *m, char *err, size_t errlen)
{
	int rc = SQLITE_OK;
	const char *p = statement_start(m->data), *tail = NULL;
	sqlite3_set_authorizer(db, no_transactions, NULL);
	for (; *p && (rc = run_statement(db, p, &tail)) == SQLITE_OK; p = statement_start(tail))
		;
	sqlite3_set_authorizer(db, NULL, NULL);
	if (rc == SQLITE_AUTH)
		snprintf(err, errlen, "migration %s begins or ends a transaction at line %d: a migration never writes "
			 "BEGIN, COMMIT or ROLLBACK", m->name, line_of(m->data, p));
	else if (rc != SQLITE_OK)
		snprintf(err, errlen, "migration %s failed at line %d: %s", m->name, line_of(m->data, p),
			 sqlite3_errmsg(db));
	return rc == SQLITE_OK ? 0 : -1;
}

/* The first row whose reference the migration broke, if any, as err. */
static int references_hold(sqlite3 *db, const char *name, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(err, errlen, "migration %s leaves row %lld of %s referring to a row of %s that does not exist",
			 name, (long long)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 0),
			 (const char *)sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		snprintf(err, errlen, "migration %s: its references cannot be checked: %s", name, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A migration that only some databases need (those an old build made)
 * says so on its first line, "-- when: SELECT ...": it runs where the query
 * finds a row, and elsewhere is recorded as applied without running. */
static int is_needed(sqlite3 *db, const embedded_file *m, char *err, size_t errlen)
{
	static const char mark[] = "-- when:";
	if (strncmp(m->data, mark, sizeof mark - 1) != 0)
		return 1;
	const char *q = m->data + sizeof mark - 1;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, q, (int)strcspn(q, "\n"), &st, NULL);
	if (rc == SQLITE_OK)
		rc = st ? sqlite3_step(st) : SQLITE_MISUSE;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		snprintf(err, errlen, "migration %s failed at line 1 (its when): %s", m->name,
			 rc == SQLITE_MISUSE ? "no query" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int applied(void *ctx, store_row *r)
{
	*(int64_t *)ctx = store_int(r, 0);
	return 1;
}

static int apply_one(store_conn *c, const embedded_file *m, char *err, size_t errlen)
{
	int64_t version = atoll(m->name), have = 0;
	store_cond w = COND_EQ("version", SV_INT_(version));
	store_select q = { .table = "schema_migrations", .cols = (const char *[]){ "version" }, .ncols = 1,
			   .where = &w, .nwhere = 1 };
	if (store_query(c, &q, applied, &have) != STORE_OK) {
		snprintf(err, errlen, "cannot read schema_migrations: %s", sqlite3_errmsg(c->db));
		return -1;
	}
	if (have)
		return 0;
	int needed = is_needed(c->db, m, err, errlen);
	if (needed < 0)
		return -1;
	if (needed && (run_script(c->db, m, err, errlen) || references_hold(c->db, m->name, err, errlen)))
		return -1;
	char now[32];
	clock_now_iso(now);
	store_value v[] = { SV_INT_(version), sv_text(m->name), sv_text(now) };
	if (store_insert(c, "schema_migrations", (const char *[]){ "version", "name", "applied_at" }, v, 3, NULL) !=
	    STORE_OK) {
		snprintf(err, errlen, "migration %s could not be recorded: %s", m->name, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

int store_apply_migrations(store *s, const embedded_file *list, store_schema_fn then, void *ctx, char *err,
			   size_t errlen)
{
	sqlite3 *db = s->writer->db;
	int status = STORE_ERROR;
	store_conn *c = NULL;
	if (exec(db, "PRAGMA foreign_keys=OFF") || !(c = store_begin(s))) {
		snprintf(err, errlen, "database is busy: %s", sqlite3_errmsg(db));
		goto done;
	}
	/* What migrations have run, and what they left to do once every table is
	 * in place (a task name per row: model/schema.c does them) */
	if (exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
		     "name TEXT NOT NULL, applied_at TEXT NOT NULL); "
		     "CREATE TABLE IF NOT EXISTS migration_tasks (task TEXT PRIMARY KEY)")) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", sqlite3_errmsg(db));
		goto fail;
	}
	for (const embedded_file *m = list; m->name; m++)
		if (apply_one(c, m, err, errlen))
			goto fail;
	if (then && then(ctx, c, err, errlen))
		goto fail;
	if (store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "the migrations could not be committed: %s; nothing was changed", sqlite3_errmsg(db));
		goto done;
	}
	status = STORE_OK;
	goto done;
fail:
	store_rollback(c);
	size_t n = strlen(err);
	snprintf(err + n, errlen - n, "; nothing was changed");
done:
	if (exec(db, "PRAGMA foreign_keys=ON") && status == STORE_OK) {
		snprintf(err, errlen, "cannot turn references back on: %s", sqlite3_errmsg(db));
		status = STORE_ERROR;
	}
	return status;
}

int store_migrate(store *s, char *err, size_t errlen)
{
	return store_apply_migrations(s, migrations, NULL, NULL, err, errlen);
}

int store_backup(store *s, const char *out, char *err, size_t errlen)
{
	store_conn *src = store_reader(s);
	sqlite3 *dst = NULL;
	int status = STORE_ERROR;
	if (!src) {
		snprintf(err, errlen, "cannot open %s for reading", s->path);
		return STORE_ERROR;
	}
	if (sqlite3_open_v2(out, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", out, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	/* One step copies everything inside a single read transaction, so the copy
	 * is a consistent snapshot even while the writer keeps writing (WAL). */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src->db, "main");
	if (!b) {
		snprintf(err, errlen, "cannot back up to %s: %s", out, sqlite3_errmsg(dst));
		goto done;
	}
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup to %s failed: %s", out, sqlite3_errstr(rc));
		goto done;
	}
	status = STORE_OK;
done:
	sqlite3_close(dst);
	return status;
}

/* ---- full-text search -------------------------------------------------------
 * search_docs holds what a hit needs without touching the record (kind, id,
 * languages, titles, what access and filters look at, its facet values);
 * search_index its words, a column per weight (title, body, body2...: see
 * store_search_weights), and its facets as words; search_titles its titles
 * alone (their text read from search_index, migration 010); title_words the
 * vocabulary typo tolerance looks in (migration 008; named when it held
 * the words of titles alone, now those of every searched field); search_shape
 * (migration 015) what the model built the index for.
 *
 * FTS5 keeps doclists in ascending row id order and reads them forwards
 * cheaply, but must load a whole doclist to walk it backwards.  The newest
 * documents are the ones a bounded search wants first, so the FTS5 row id
 * of document N is FTS_BASE - N: ascending order is newest first. */
#define FTS_BASE_DIGITS 4611686018427387904 /* 2^62; migration 007 writes it too */
#define FTS_BASE ((int64_t)FTS_BASE_DIGITS)
#define SQL_TEXT_(x) #x
#define SQL_TEXT(x) SQL_TEXT_(x)
#define FTS_BASE_SQL SQL_TEXT(FTS_BASE_DIGITS)

static int exec_bound(store_conn *c, const char *sql, const store_value *v, int n)
{
	sqlite3_stmt *st = prepare(c, sql);
	if (!st)
		return STORE_ERROR;
	for (int i = 0; i < n; i++)
		bind(st, i + 1, &v[i]);
	return run(c, st, NULL, NULL);
}

static int take_doc_id(void *ctx, store_row *r)
{
	*(int64_t *)ctx = store_int(r, 0);
	return 1;
}

/* By row id, one row at a time: FTS5 finds a row id directly, while a
 * "rowid IN (subquery)" would have it scan the whole index. */
int store_search_remove(store_conn *c, const char *kind, int64_t record_id)
{
	if (settle_words(c) != STORE_OK)
		return STORE_ERROR;
	store_cond w[] = { COND_EQ("kind", sv_text(kind)), COND_EQ("record_id", SV_INT_(record_id)) };
	store_select q = { .table = "search_docs", .cols = (const char *[]){ "id" }, .ncols = 1, .where = w, .nwhere = 2 };
	for (;;) {
		int64_t doc = 0;
		if (store_query(c, &q, take_doc_id, &doc) != STORE_OK)
			return STORE_ERROR;
		if (!doc)
			return STORE_OK;
		store_value id = SV_INT_(doc), fts = SV_INT_(FTS_BASE - doc);
		/* titles first: removing one reads its text in search_index */
		if (exec_bound(c, "DELETE FROM search_titles WHERE rowid = ?", &fts, 1) != STORE_OK ||
		    exec_bound(c, "DELETE FROM search_index WHERE rowid = ?", &fts, 1) != STORE_OK ||
		    exec_bound(c, "DELETE FROM search_docs WHERE id = ?", &id, 1) != STORE_OK)
			return STORE_ERROR;
	}
}

/* A filter's value as one word of the facets column: the name and the
 * folded value (case, accents and punctuation do not matter), both in
 * hexadecimal, so that the word is letters and digits only and no value is
 * cut into words or taken for another (name 6e616d65, 'x', value): folded
 * by the tokenizer, it stays what it is.  Values are cut at FACET_VALUE_MAX
 * folded bytes. */
#define FACET_VALUE_MAX 256

static void hex(buf *out, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, digits[(unsigned char)s[i] >> 4]);
		buf_putc(out, digits[(unsigned char)s[i] & 15]);
	}
}

static void facet_word(buf *out, const char *name, const char *value, size_t n)
{
	buf folded = BUF_INIT;
	text_fold(&folded, value, n);
	buf_putc(out, ' ');
	hex(out, name, strlen(name));
	buf_putc(out, 'x');
	hex(out, buf_str(&folded), folded.len < FACET_VALUE_MAX ? folded.len : FACET_VALUE_MAX);
	buf_free(&folded);
}

/* The facets column of a document: its kind, each language, each facet value. */
static void facets_of(buf *out, const search_doc *d)
{
	buf_puts(out, SEARCH_MARK_EXACT);
	facet_word(out, "kind", d->kind, strlen(d->kind));
	for (const char *p = d->langs ? strchr(d->langs, '"') : NULL; p; p = strchr(p + 1, '"')) {
		const char *end = strchr(p + 1, '"');
		if (!end)
			break;
		facet_word(out, "lang", p + 1, (size_t)(end - p - 1));
		p = end;
	}
	for (const char *line = d->facets ? d->facets : ""; *line;) {
		size_t n = strcspn(line, "\n"), name = strcspn(line, "\t");
		if (name < n) {
			char key[64];
			snprintf(key, sizeof key, "%.*s", (int)name, line);
			facet_word(out, key, line + name + 1, n - name - 1);
		}
		line += n + (line[n] == '\n');
	}
}

void store_search_facet(buf *match, const char *name, const char *value)
{
	buf_puts(match, match->len ? " AND facets : \"" SEARCH_MARK_EXACT : "facets : \"" SEARCH_MARK_EXACT);
	facet_word(match, name, value, strlen(value));
	buf_putc(match, '"');
}

/* The name of the index's column of words i: title, body, body2, body3... */
static void text_column(buf *out, int i)
{
	if (i == 0)
		buf_puts(out, "title");
	else if (i == 1)
		buf_puts(out, "body");
	else
		buf_printf(out, "body%d", i);
}

void store_search_weights(store *s, const double *weights, int n)
{
	s->search_columns = n < 2 ? 2 : n > STORE_SEARCH_COLUMNS ? STORE_SEARCH_COLUMNS : n;
	for (int i = 0; i < s->search_columns; i++)
		s->search_weights[i] = i < n ? weights[i] : 1.0;
}

/* A word into the vocabulary, and its trigrams when it is new. */
static int add_word(store_conn *c, const char *w, size_t n)
{
	store_value word = { .type = SV_TEXT, .s = w, .n = n };
	if (exec_bound(c, "INSERT OR IGNORE INTO title_words (word) VALUES (?)", &word, 1) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(c->db) == 0)
		return STORE_OK;
	store_value v[] = { SV_INT_(sqlite3_last_insert_rowid(c->db)), word };
	return exec_bound(c, "INSERT INTO title_word_trigrams (rowid, word) VALUES (?, ?)", v, 2);
}

/* ---- a bulk load's words, in batches ------------------------------------ */

/* FTS5 writes out the words it holds in memory as a new segment whenever a
 * row id comes that is not above the last one it took, and each new
 * document's row id is below the one before (FTS_BASE - N, newest first):
 * written as they come, a load's documents would be a segment each, merged
 * over and over (an import of 16,000 organizations spent a third of its time
 * so).  During a bulk load (store_bulk_mode, store_search_bulk) they wait on
 * their connection and go in SEARCH_BATCH at a time in ascending row id
 * order: a segment per batch.  Whatever reads or removes words, and the
 * commit, writes the waiting ones first; a rollback forgets them. */
#define SEARCH_BATCH 4096

typedef struct waiting_doc {
	int64_t rowid;
	int n;                                   /* values: the columns of words, then the facets */
	char *values[STORE_SEARCH_COLUMNS + 1];
} waiting_doc;

/* A document's words into search_index (n columns of words, then the
 * facets) and its titles into search_titles. */
static int write_words(store_conn *c, int64_t rowid, const store_value *values, int n)
{
	store_value row[STORE_SEARCH_COLUMNS + 2] = { SV_INT_(rowid) };
	buf sql = BUF_INIT;
	buf_puts(&sql, "INSERT INTO search_index (rowid");
	for (int i = 0; i < n - 1; i++) {
		buf_puts(&sql, ", ");
		text_column(&sql, i);
	}
	buf_puts(&sql, ", facets) VALUES (?");
	for (int i = 0; i < n; i++) {
		buf_puts(&sql, ", ?");
		row[i + 1] = values[i];
	}
	buf_putc(&sql, ')');
	int rc = exec_bound(c, buf_str(&sql), row, n + 1);
	buf_free(&sql);
	/* every row, titled or not: search_titles reads its text from
	 * search_index, and removing a row it never had would corrupt its count */
	return rc == STORE_OK ? exec_bound(c, "INSERT INTO search_titles (rowid, title) VALUES (?, ?)", row, 2) : rc;
}

static void forget_waiting(store_conn *c)
{
	for (size_t i = 0; i < c->nwaiting; i++)
		for (int k = 0; k < c->waiting[i].n; k++)
			free(c->waiting[i].values[k]);
	free(c->waiting);
	c->waiting = NULL;
	c->nwaiting = 0;
}

static int by_rowid(const void *a, const void *b)
{
	int64_t x = ((const waiting_doc *)a)->rowid, y = ((const waiting_doc *)b)->rowid;
	return (x > y) - (x < y);
}

static int write_waiting(store_conn *c)
{
	int rc = STORE_OK;
	qsort(c->waiting, c->nwaiting, sizeof *c->waiting, by_rowid);
	for (size_t i = 0; i < c->nwaiting && rc == STORE_OK; i++) {
		waiting_doc *w = &c->waiting[i];
		store_value values[STORE_SEARCH_COLUMNS + 1];
		for (int k = 0; k < w->n; k++)
			values[k] = sv_text(w->values[k]);
		rc = write_words(c, w->rowid, values, w->n);
	}
	forget_waiting(c);
	return rc;
}

static int wait_words(store_conn *c, int64_t rowid, const store_value *values, int n)
{
	if (!c->waiting && !(c->waiting = malloc(SEARCH_BATCH * sizeof *c->waiting)))
		return STORE_ERROR;
	waiting_doc *w = &c->waiting[c->nwaiting++];
	w->rowid = rowid;
	w->n = n;
	for (int k = 0; k < n; k++)
		if (!(w->values[k] = strndup(values[k].s, values[k].n)))
			abort();
	return c->nwaiting == SEARCH_BATCH ? write_waiting(c) : STORE_OK;
}

/* Before the index is read, or a document removed from it, or the load committed. */
static int settle_words(store_conn *c) { return c->nwaiting ? write_waiting(c) : STORE_OK; }

int store_search_put(store_conn *c, const search_doc *d, int is_new)
{
	if (!is_new && store_search_remove(c, d->kind, d->record_id) != STORE_OK)
		return STORE_ERROR;
	static const char *const cols[] = { "kind", "record_id", "langs", "titles", "classification", "division",
					    "created_by", "org", "facets", "date", "updated_at" };
	store_value v[] = { sv_text(d->kind), SV_INT_(d->record_id), sv_text(d->langs), sv_text(d->titles),
			    sv_text(d->classification), sv_text(d->division),
			    d->created_by > 0 ? SV_INT_(d->created_by) : SV_NUL, d->org > 0 ? SV_INT_(d->org) : SV_NUL,
			    sv_text(d->facets), sv_text(d->date), sv_text(d->updated_at) };
	int64_t id;
	if (store_insert(c, "search_docs", cols, v, 11, &id) != STORE_OK)
		return STORE_ERROR;
	int n = c->owner->search_columns;
	buf facets = BUF_INIT;
	facets_of(&facets, d);
	store_value words[STORE_SEARCH_COLUMNS + 1];
	for (int i = 0; i < n; i++)
		words[i] = sv_text(d->text[i] ? d->text[i] : "");
	words[n] = sv_text(buf_str(&facets));
	int rc = (c->batching ? wait_words : write_words)(c, FTS_BASE - id, words, n + 1);
	for (const char *w = d->vocabulary; rc == STORE_OK && w && *w;) {
		size_t len = strcspn(w, " ");
		if (len)
			rc = add_word(c, w, len);
		w += len + (w[len] == ' ');
	}
	buf_free(&facets);
	return rc;
}

/* The tables of the search index: FTS5 tables (each with the shadow tables
 * named after it that hold its data) and plain ones. */
static const char *const search_tables[] = { "search_index", "search_titles", "search_docs", "title_word_trigrams",
					     "title_words" };
#define NSEARCH_TABLES (sizeof search_tables / sizeof *search_tables)

/* Empty by dropping the tables and running their migrations again: deleting
 * every row of an FTS5 table would write a tombstone for each.  The
 * migrations make the index with the default columns of words (title,
 * body); with more, search_index is made again with them (search_titles
 * reads its titles by name from whichever table is called so). */
int store_search_clear(store_conn *c)
{
	for (size_t i = 0; i < NSEARCH_TABLES; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DROP TABLE %s", search_tables[i]);
		if (exec(c->db, sql))
			return STORE_ERROR;
	}
	static const char *const making[] = { "004_", "006_", "007_", "008_", "009_", "010_", "015_" };  /* the migrations that made them */
	for (size_t i = 0; i < sizeof making / sizeof *making; i++) {
		const embedded_file *f = migrations;
		while (f->name && strncmp(f->name, making[i], 4) != 0)
			f++;
		if (!f->name || exec(c->db, f->data))
			return STORE_ERROR;
	}
	int n = c->owner->search_columns;
	if (n == 2)
		return STORE_OK;
	buf sql = BUF_INIT;
	buf_puts(&sql, "DROP TABLE search_index; CREATE VIRTUAL TABLE search_index USING fts5(");
	for (int i = 0; i < n; i++) {
		text_column(&sql, i);
		buf_puts(&sql, ", ");
	}
	buf_puts(&sql, "facets, tokenize = 'liaison all')");
	int rc = exec(c->db, buf_str(&sql)) ? STORE_ERROR : STORE_OK;
	buf_free(&sql);
	return rc;
}

void store_search_pause(store *s, int paused) { atomic_store(&s->search_paused, paused); }

int store_search_paused(store *s) { return atomic_load(&s->search_paused); }

/* The real tables behind the search index in the attached database
 * "loaded": the plain ones, and each FTS5 table's shadow tables (the FTS5
 * table itself is only their interface). */
static int loaded_search_tables(store_conn *c, buf *names)
{
	sqlite3_stmt *st = prepare(c, "SELECT name FROM loaded.sqlite_master WHERE type = 'table' AND "
				      "sql NOT LIKE 'CREATE VIRTUAL%' AND (name = ?1 OR name GLOB ?1 || '_*')");
	for (size_t i = 0; st && i < NSEARCH_TABLES; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, search_tables[i], -1, SQLITE_STATIC);
		if (run(c, st, take_name, names) != STORE_OK)
			return STORE_ERROR;
	}
	return st ? STORE_OK : STORE_ERROR;
}

/* Copies every table behind the index as it is, in one transaction.  On a
 * connection of its own: the writer's FTS5 tables reload what they cached
 * when another connection has committed, never after their own
 * connection wrote their shadow tables by hand. */
int store_search_adopt(store *s, const char *from)
{
	char err[256];
	buf names = BUF_INIT, sql = BUF_INIT;
	int rc = STORE_ERROR;
	pthread_mutex_lock(&s->write_lock);
	store_conn *c = conn_open(s, 1, err, sizeof err);
	store_value path = sv_text(from);
	if (!c || exec_bound(c, "ATTACH ? AS loaded", &path, 1) != STORE_OK)
		goto done;
	if (loaded_search_tables(c, &names) == STORE_OK && !exec(c->db, "BEGIN IMMEDIATE")) {
		rc = STORE_OK;
		for (char *save = NULL, *t = strtok_r(names.data ? names.data : "", "\n", &save); t && rc == STORE_OK;
		     t = strtok_r(NULL, "\n", &save)) {
			if (!ident_ok(t))
				continue;
			buf_reset(&sql);
			buf_printf(&sql, "DELETE FROM main.%s; INSERT INTO main.%s SELECT * FROM loaded.%s", t, t, t);
			rc = exec(c->db, buf_str(&sql)) ? STORE_ERROR : STORE_OK;
		}
		if (rc != STORE_OK || exec(c->db, "COMMIT")) {
			exec(c->db, "ROLLBACK");
			rc = STORE_ERROR;
		}
	}
	exec(c->db, "DETACH loaded");
done:
	conn_close(c);
	pthread_mutex_unlock(&s->write_lock);
	buf_free(&names);
	buf_free(&sql);
	return rc;
}

/* The text, without the language markers inside it. */
static int take_text(void *ctx, store_row *r)
{
	buf *out = ctx;
	size_t n;
	const char *s = store_text(r, 0, &n);
	for (size_t i = 0; s && i < n;) {
		size_t mark = search_mark_len(s + i, n - i);
		if (mark) {
			if (out->len && out->data[out->len - 1] != ' ')
				buf_putc(out, ' ');
			i += mark;
		} else {
			buf_putc(out, s[i++]);
		}
	}
	return 1;
}

/* The body's best fragment for one document, matches between \x02 and \x03
 * (the caller turns them into its own markup, after escaping the text). */
int store_search_snippet(store_conn *c, const char *match, int64_t doc, buf *out)
{
	if (settle_words(c) != STORE_OK)
		return STORE_ERROR;
	sqlite3_stmt *st = prepare(c, "SELECT snippet(search_index, -1, '\x02', '\x03', '…', 16) FROM search_index "
				      "WHERE search_index MATCH ? AND rowid = ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, FTS_BASE - doc);
	return run(c, st, take_text, out);
}

/* Matches of one FTS5 table joined with search_docs, the caller's
 * conditions on the latter, in the given order, at most limit rows.  Without
 * an expression (filters alone, of which the index's facets hold neither
 * tags nor dates) search_docs alone is read, newest first: the order the
 * index's row ids give, with no words to score. */
static int search_in(store_conn *c, const char *table, const char *score, const char *score_arg, const char *order,
		     const char *match, const store_cond *where, int nwhere, int64_t limit, store_row_fn fn, void *ctx)
{
	if (settle_words(c) != STORE_OK)
		return STORE_ERROR;
	buf sql = BUF_INIT;
	int idx = 1, status = STORE_ERROR;
	const char *glue = " AND ";
	if (match) {
		buf_printf(&sql, "SELECT d.id, d.kind, d.record_id, d.langs, d.titles, d.facets, d.updated_at, %s, d.date "
				 "FROM %s JOIN search_docs AS d ON d.id = " FTS_BASE_SQL " - %s.rowid WHERE %s MATCH ?",
			   score, table, table, table);
	} else {
		buf_puts(&sql, "SELECT d.id, d.kind, d.record_id, d.langs, d.titles, d.facets, d.updated_at, 0, d.date "
			       "FROM search_docs AS d");
		glue = " WHERE ";
		order = "d.id DESC";
	}
	for (int i = 0; i < nwhere; i++, glue = " AND ") {
		buf_puts(&sql, glue);
		if (cond_sql(&sql, &where[i], "d", 0))
			goto done;
	}
	buf_printf(&sql, " ORDER BY %s LIMIT ?", order);
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	if (!st)
		goto done;
	if (match && score_arg) /* score's own ? comes first in the statement */
		sqlite3_bind_text(st, idx++, score_arg, -1, SQLITE_STATIC);
	if (match)
		sqlite3_bind_text(st, idx++, match, -1, SQLITE_STATIC);
	if (bind_where(st, &idx, where, nwhere) || sqlite3_bind_int64(st, idx, limit) != SQLITE_OK) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		goto done;
	}
	status = run(c, st, fn, ctx);
	if (status == STORE_ERROR && strstr(sqlite3_errmsg(c->db), "fts5"))
		status = STORE_CONSTRAINT; /* a malformed expression: the caller's fault */
done:
	buf_free(&sql);
	return status;
}

/*
 * The bounded first phase: the `candidates` most recently indexed matches
 * the caller may see, each with its bm25 score (each column of words
 * weighed by its weight, the facets by nothing).  FTS5 walks its doclists
 * forwards (newest first, see FTS_BASE) and stops at the limit, so a word
 * in every record costs the limit, not the index.
 */
int store_search(store_conn *c, const char *match, const char *groups, const store_cond *where, int nwhere,
		 int64_t candidates, store_row_fn fn, void *ctx)
{
	const store *s = c->owner;
	buf score = BUF_INIT;
	buf_puts(&score, "liaison_rank(search_index");
	for (int i = 0; i < s->search_columns; i++)
		buf_printf(&score, ", %.17g", s->search_weights[i]);
	/* the rows' row ids run from FTS_BASE - (newest document) to FTS_BASE - 1 */
	buf_puts(&score, ", 0.0, " FTS_BASE_SQL " - (SELECT max(id) FROM search_docs), (SELECT max(id) FROM search_docs)");
	buf_puts(&score, groups ? ", ?)" : ")");
	int rc = search_in(c, "search_index", buf_str(&score), groups, "search_index.rowid", match, where, nwhere,
			   candidates, fn, ctx);
	buf_free(&score);
	return rc;
}

/* Suggestions: titles matching the words, the last a prefix, newest first. */
int store_search_titles(store_conn *c, const char *match, const store_cond *where, int nwhere, int64_t limit,
			store_row_fn fn, void *ctx)
{
	return search_in(c, "search_titles", "0", NULL, "search_titles.rowid", match, where, nwhere, limit, fn, ctx);
}

/* Typo tolerance: words of titles sharing trigrams with the expression's,
 * those sharing the rarest trigrams first. */
int store_match(store_conn *c, const char *table, const char *match, int64_t limit, store_row_fn fn, void *ctx)
{
	if (!ident_ok(table))
		return STORE_ERROR;
	buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT rowid FROM %s WHERE %s MATCH ? ORDER BY rank LIMIT ?", table, table);
	sqlite3_stmt *st = prepare(c, buf_str(&sql));
	buf_free(&sql);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	return run(c, st, fn, ctx);
}

int store_search_similar_words(store_conn *c, const char *match, int64_t limit, store_row_fn fn, void *ctx)
{
	sqlite3_stmt *st = prepare(c, "SELECT word FROM title_word_trigrams WHERE title_word_trigrams MATCH ? "
				      "ORDER BY rank LIMIT ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	return run(c, st, fn, ctx);
}
