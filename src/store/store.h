/*
 * store — the only door to the database.
 *
 * Nothing above this layer writes SQL.  Callers describe what they want as
 * data (a table, columns, conditions, an order) and the store turns that into
 * statements it prepares once and caches per connection.  The subset of SQL
 * it emits is the one PostgreSQL also speaks; what differs between the two
 * (JSON list membership, upsert, ids) is decided here and nowhere else.
 *
 * Connections: one writer, shared behind a mutex (SQLite allows one writer at
 * a time anyway; queuing in our own mutex is fairer than busy retries), and
 * one reader per thread, opened on first use.  WAL lets readers run while the
 * writer writes.
 */
#ifndef LIAISON_STORE_H
#define LIAISON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

typedef struct store store;
typedef struct store_conn store_conn;
typedef struct store_row store_row;

typedef enum { SV_NULL, SV_INT, SV_TEXT, SV_BLOB } store_type;  /* SV_BLOB: bytes, written only (a file) */

typedef struct store_value {
	store_type type;
	int64_t i;
	const char *s;  /* not owned; need not be NUL-terminated */
	size_t n;
} store_value;

#define SV_NUL ((store_value){ SV_NULL, 0, NULL, 0 })
#define SV_INT_(x) ((store_value){ SV_INT, (x), NULL, 0 })
store_value sv_text(const char *s);  /* NULL gives SV_NULL */
store_value sv_blob(const void *bytes, size_t n);  /* read back with store_text's length */

enum store_status {
	STORE_OK = 0,
	STORE_CONSTRAINT = 1,  /* a UNIQUE, CHECK or FOREIGN KEY rule said no */
	STORE_ERROR = 2,       /* anything else: logged, answered as 500/503 */
	STORE_FULL = 3,        /* the disk refused the write (full, or failing): nothing written */
};

typedef enum {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_CONTAINS,  /* the column holds a JSON array of strings that has the value */
	OP_ISNULL,
	OP_NOTNULL,
	OP_ANY,        /* at least one of sub holds */
	OP_ALL,        /* every one of sub holds */
	OP_IN_SELECT,  /* col IN (SELECT sub_col FROM sub_table WHERE sub...) */
	OP_EXISTS,     /* the row of sub_table whose sub_col equals this row's col satisfies sub:
			* one indexed look-up per row, where OP_IN_SELECT reads the whole set once */
	OP_NOT_EXISTS, /* no row of sub_table whose sub_col equals this row's col satisfies sub (as OP_EXISTS) */
} store_op;

typedef struct store_cond {
	const char *col;
	store_op op;
	store_value v;
	const struct store_cond *sub;
	int nsub;
	const char *sub_table, *sub_col;
} store_cond;

#define COND(c, o, val) ((store_cond){ .col = (c), .op = (o), .v = (val) })
#define COND_EQ(c, val) COND(c, OP_EQ, val)

/* NULLS_SKIPPED is for indexes only: the rows where the column is NULL are
 * left out (a reference most rows leave empty), which also keeps the
 * planner's statistics about the column honest. */
typedef enum { NOT_NULL, NULL_AS_TEXT, NULL_AS_INT, NULLS_SKIPPED } store_nulls;

typedef struct store_order {
	const char *col;
	int desc;
	store_nulls nulls;  /* a nullable column sorts NULL as '' or as the smallest integer, the
			     * same in both databases (they disagree on where NULLs go) */
} store_order;

typedef struct store_select {
	const char *table;
	const char *const *cols;
	int ncols;
	const store_cond *where;     /* all must hold */
	int nwhere;
	const store_order *order;    /* the last key must be unique (usually id) for cursors */
	int norder;
	const store_value *after;    /* keyset cursor: one value per order key, or NULL */
	int64_t limit;               /* 0: no limit */
	const char *sql;             /* or NULL: store_select_sql's text for this very shape, built once */
} store_select;

/* The SQL of a select, malloc'ed, for a shape queried often (a record by id);
 * NULL when a name in it is not a plain identifier. */
char *store_select_sql(const store_select *q);

/* A row handed to a callback; valid only during the call. */
int64_t store_int(store_row *r, int col);
const char *store_text(store_row *r, int col, size_t *n);  /* NULL for SQL NULL */
int store_isnull(store_row *r, int col);
double store_double(store_row *r, int col);
store_value store_get(store_row *r, int col);  /* borrows the row's memory */
void store_row_copy(store_row *r, int n, store_value *out, arena *a); /* columns 0..n-1, text copied into a */

typedef int (*store_row_fn)(void *ctx, store_row *row);  /* non-zero stops the walk */

store *store_open(const char *path, char *err, size_t errlen);
void store_close(store *s);
const char *store_path(const store *s);

store_conn *store_reader(store *s);  /* this thread's read connection; NULL when it cannot open */
store_conn *store_begin(store *s);   /* the writer, locked, inside BEGIN IMMEDIATE; NULL on failure */
/* This thread's reads, until _end, see one snapshot: the thread's previous
 * one when nothing was committed since (see sqlite.c). */
void store_snapshot_begin(store *s);
void store_snapshot_end(store *s);
/* What had been committed when this thread's read snapshot began, as a mark
 * to compare later: store_mark_current says, without a lock, whether
 * anything was committed since, by any connection of any process (a cache
 * of what was read keeps its entries while nothing was).  valid is 0 where
 * that cannot be told (no snapshot open, not WAL): never current. */
typedef struct store_mark {
	uint32_t words[12];
	int valid;
} store_mark;
void store_mark_take(store *s, store_mark *out);
int store_mark_current(store *s, const store_mark *m);
/* Within the writer's transaction: references (foreign keys) are checked at
 * its commit instead of at each write, so that a batch may write a record
 * before the one it refers to. */
int store_defer_references(store_conn *c);
int store_commit(store_conn *c);     /* commits and unlocks, rolls back on failure */
void store_rollback(store_conn *c);  /* rolls back and unlocks */
const char *store_errmsg(store_conn *c);
/* Whether the disk refused a write on s (STORE_FULL) and no commit has
 * succeeded since: the model tells a full disk from other failures by it,
 * whichever step or thread noticed it.  A state of the store, not of a
 * thread: while the disk refuses, it refuses every writer. */
int store_disk_refused(store *s);

int store_query(store_conn *c, const store_select *q, store_row_fn fn, void *ctx);
int store_count(store_conn *c, const char *table, const store_cond *where, int nwhere, int64_t *n);
/* The same, but counting no further than upto (0: all): a page that says
 * "10,000+" costs ten thousand rows, not a million. */
int store_count_upto(store_conn *c, const char *table, const store_cond *where, int nwhere, int64_t upto, int64_t *n);
/* Sums of an integer column by groups of other columns (a pivot's cells):
 * rows of the groups' values, in the order named, then the sum of sum over
 * the rows where every condition holds; in no promised order.  A sum beyond
 * 64 bits is an error, never wrapped. */
typedef struct store_sums {
	const char *table;
	const char *const *groups;
	int ngroups;
	const char *sum;
	const store_cond *where;
	int nwhere;
} store_sums;
int store_sum_by(store_conn *c, const store_sums *q, store_row_fn fn, void *ctx);
/* The rows of a table, read on this thread's reader; -1 when it cannot be read. */
int64_t store_rows(store *s, const char *table);
int store_insert(store_conn *c, const char *table, const char *const *cols,
		 const store_value *vals, int n, int64_t *rowid);
/* The same in two steps, for a shape written many times (a bulk load's
 * rows): the SQL built once (malloc'ed; NULL when a name is not a plain
 * identifier), then run with each row's values, from the statement cache. */
char *store_insert_sql(const char *table, const char *const *cols, int n);
int store_insert_with(store_conn *c, const char *sql, const store_value *vals, int n, int64_t *rowid);
int store_update(store_conn *c, const char *table, const char *const *cols,
		 const store_value *vals, int n, const store_cond *where, int nwhere, int *changed);
int store_delete(store_conn *c, const char *table, const store_cond *where, int nwhere);
/* The next number of the named counter (1 the first time); on the writer. */
int store_counter_next(store_conn *c, const char *name, int64_t *out);

/* Schema: numbered migrations embedded in the binary, then the tables that the
 * entity registry describes (store_ensure_table adds what is missing).
 *
 * store_apply_migrations runs every migration of list (sorted by name,
 * "016_what.sql") that the database has not had, then then(ctx) when not
 * NULL, all in one transaction with references unchecked until each
 * migration has run (so a table can be rebuilt under the tables that refer
 * to it) and checked after each: any failure rolls everything back, and err
 * says which migration and line, or which row lost what it referred to.
 * store_migrate applies the migrations embedded in the binary, alone. */
struct embedded_file;
typedef int (*store_schema_fn)(void *ctx, store_conn *c, char *err, size_t errlen);
int store_apply_migrations(store *s, const struct embedded_file *list, store_schema_fn then, void *ctx, char *err,
			   size_t errlen);
int store_migrate(store *s, char *err, size_t errlen);
/* The columns of a table as the database has it: rows of (name, declared
 * type); none when there is no such table. */
int store_table_columns(store_conn *c, const char *table, store_row_fn fn, void *ctx);
typedef struct store_column {
	const char *name;
	const char *type;       /* "TEXT" or "INTEGER" */
	const char *references; /* "table(column)" or NULL */
	int unique;
} store_column;
int store_ensure_table(store_conn *c, const char *table, const store_column *cols, int ncols);
/* An index over the keys' sort expressions (see store_order), so that a
 * filter on the first and an ORDER BY on the rest can walk it in order. */
int store_ensure_index(store_conn *c, const char *table, const store_order *keys, int nkeys);

int store_backup(store *s, const char *out, char *err, size_t errlen);
int store_analyze(store *s);
void store_bulk_mode(store *s);  /* a 512 MiB writer cache, search segments left unmerged: bulk loads */
int store_bulk_end(store *s);    /* the search index merged, its usual merging back */
/* The connection's page cache large (512 MiB) while its transaction writes
 * much, so that index pages are not spilled to the log and written again;
 * then (large 0) as it was. */
void store_large_cache(store_conn *c, int large);
/* An FTS5 table written by a bulk load in the writer's transaction (loading
 * 1): its words gathered in memory in large segments left unmerged, the
 * writer's page cache large; then (loading 0) both as they were.  Settings
 * an FTS5 table keeps are written in the transaction: a rollback undoes them. */
int store_fts_bulk(store_conn *c, const char *table, int loading);
int store_drop_indexes(store *s, const char *table);  /* before a bulk load; the registry recreates them */  /* refresh the planner's statistics after bulk loads */
int store_ping(store *s);  /* 0 when the store answers */

/* Full-text search (see sqlite.c for the index's shape). */
#define STORE_SEARCH_COLUMNS 6  /* columns of words at most: the titles', the body's, one per other weight */

typedef struct search_doc {
	const char *kind;
	int64_t record_id;
	const char *classification, *division;
	int64_t created_by, org;
	const char *date, *updated_at;
	const char *langs, *titles;   /* JSON: ["en","fr"], {"en": "...", "fr": "..."} */
	/* The indexed text of each column of words (see store_search_weights), language versions after
	 * their markers; NULL for none. */
	const char *text[STORE_SEARCH_COLUMNS];
	const char *facets;           /* the record's facet values, a line "name\tvalue\n" each */
	const char *vocabulary;       /* its folded words, each once, for typo tolerance */
} search_doc;

/* The search index's columns of words: the titles' (column 0), the body's,
 * then one per further weight, a match in column i counting weights[i]
 * towards a result's rank (n at most STORE_SEARCH_COLUMNS).  Set before the
 * store is shared between threads; store_search_clear makes the index so. */
void store_search_weights(store *s, const double *weights, int n);

/* Rows of store_search and store_search_titles:
 * doc id, kind, record_id, langs, titles, facets, updated_at, score, date. */
int store_search_put(store_conn *c, const search_doc *d, int is_new);  /* is_new: nothing to replace */
int store_search_remove(store_conn *c, const char *kind, int64_t record_id);
int store_search_clear(store_conn *c);
/* Within the writer's transaction: the index written as a bulk load writes
 * it (STORE_BULK_BEGIN), then back to its usual merging, after merging it
 * whole (STORE_BULK_MERGED: after store_search_clear, the index rebuilt) or
 * leaving that to the usual merging (STORE_BULK_END: an import's records
 * added to an index that may be far larger). */
enum { STORE_BULK_END, STORE_BULK_BEGIN, STORE_BULK_MERGED };
int store_search_bulk(store_conn *c, int how);
/* A bulk load may build its search index in another database (see
 * model/search.h): meanwhile this store's search writes are skipped, and
 * the index built is then copied in whole, replacing this one's. */
void store_search_pause(store *s, int paused);
int store_search_paused(store *s);
int store_search_adopt(store *s, const char *from_path);
/* match NULL: no words, the conditions alone (a search of filters only), newest first.
 * groups: NULL, or which word each phrase of match stands for, "0 0 1 2", to
 * rank rows by the words they hold first (store/rank.h). */
#define STORE_RANK_PER_WORD 1.0e4  /* what a word held adds to a score with groups: more than BM25 ever gives */
int store_search(store_conn *c, const char *match, const char *groups, const store_cond *where, int nwhere,
		 int64_t candidates, store_row_fn fn, void *ctx);
/* Titles alone (prefix-indexed), newest first: the type-ahead. */
int store_search_titles(store_conn *c, const char *match, const store_cond *where, int nwhere, int64_t limit,
			store_row_fn fn, void *ctx);
/* Words of titles sharing trigrams with match ("cou" OR "oun" ...), best first: one column, the word. */
/* The rowids of a full-text table's rows (a table of the migrations') that match an FTS5
 * expression, best first, at most limit: a concordance's look-up. */
int store_match(store_conn *c, const char *table, const char *match, int64_t limit, store_row_fn fn, void *ctx);
int store_search_similar_words(store_conn *c, const char *match, int64_t limit, store_row_fn fn, void *ctx);
int store_search_snippet(store_conn *c, const char *match, int64_t doc, buf *out);
/* Adds "and the row's name is value" to an FTS5 expression (name: kind,
 * lang, or a facet of search_doc.facets): filters narrowing the rows FTS5
 * reads, matched as the folded value, so "tags:Labour" finds "labour". */
void store_search_facet(buf *match, const char *name, const char *value);

/* Timings for /metrics: statements run and total microseconds spent in them. */
void store_stats(store *s, uint64_t *statements, uint64_t *micros);

#endif
