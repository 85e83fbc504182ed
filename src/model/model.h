/*
 * model — what can be done with records, whoever asks: the generic create,
 * get, update, archive and list over the registry, with access control,
 * validation and the audit trail, each write in one transaction.
 *
 * The outcome of an operation is left in the model_ctx: a status (HTTP's
 * numbers, because they are the lingua franca of "what happened": 201, 404,
 * 409, 412, 422), a JSON body, or a problem with field-level errors.  Both
 * the HTTP API and the command line read it from there.
 */
#ifndef LIAISON_MODEL_H
#define LIAISON_MODEL_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "model/registry.h"
#include "store/store.h"

typedef struct user {
	int64_t id;
	const char *name;
	role role;
	const char *division;  /* NULL when none */
	int64_t org_id;        /* partners: their organization */
	const char *language;
	const char *time_zone; /* where the user lives times, "Europe/Zurich"; NULL or "": not chosen */
} user;

extern const user public_user;

typedef struct field_error {
	const char *field;
	const char *message;
} field_error;

typedef struct model_ctx {
	store *st;
	const registry *reg;
	const user *u;
	arena a;                 /* everything the operation allocates; freed by model_done */
	int status;              /* 0 while nothing has been decided */
	const char *title, *detail;
	field_error *errors;
	size_t nerrors, caperrors;
	buf body;                /* the JSON answer, or extra members of a problem (candidates) */
	int64_t id, version;     /* of the record written or read */
	json_t *hold;            /* JSON values kept alive until model_done */
	const struct model_planned *planned;  /* records about to be created, or NULL (see below) */
	store_conn *staged;      /* a dry run's scratch database, or NULL: what the kind's rederive hook
				  * derives from the rows checked so far, each under its line's number
				  * negated, so that a row is compared with the rows above it; and, when
				  * staged_changes, what it derives from the records rows above changed,
				  * under their ids */
	int staged_changes;
	int lang;                /* the reader's language, an index into registry_langs: the user's own,
				  * or what the request asked for */
	const char *shown_once;  /* a secret the operation made, whose hash alone is kept (an inquiry's
				  * tracking token): the caller shows it once, or NULL */
} model_ctx;

/* Records an operation is about to create with ids it chose (an import's rows
 * that carry their id, in any order): a reference to one of them is taken as
 * a reference to an existing record.  The database checks every reference
 * again when the operation commits. */
typedef struct model_planned {
	const char *kind;
	const int64_t *ids;  /* sorted */
	size_t n;
} model_planned;

void model_init(model_ctx *m, store *st, const registry *reg, const user *u);
void model_done(model_ctx *m);
int model_fail(model_ctx *m, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));               /* always returns -1 */
void model_field_error(model_ctx *m, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A record in memory: one value per column of its entity, strings in m->a. */
typedef struct record {
	const entity *e;
	store_value *v;
	unsigned char *set;      /* columns the request set */
	json_t **links;          /* per field index: the F_LINKS arrays the request set, or NULL */
} record;

enum {
	CREATE_FORCE = 1,    /* create even when it looks like a duplicate */
	CREATE_DOMAIN = 2,   /* the area's own operation: a kind its area writes alone (area_writes) may be created */
	CREATE_AS_IS = 4,    /* a record brought in as it already is (an import, the demo's past): it
			      * may begin in any state of its workflow */
};

int model_get(model_ctx *m, const entity *e, const char *id);
int model_create(model_ctx *m, const entity *e, json_t *body, unsigned flags);
/* if_match: the version the record must be at, else 412 (after the 404 and
 * 403 a write without it would get); 0 for any; -1 for none at all. */
int model_update(model_ctx *m, const entity *e, const char *id, int64_t if_match, json_t *patch);
int model_archive(model_ctx *m, const entity *e, const char *id);

typedef struct list_params {
	const char *const *names;   /* filters: field=value pairs from the query string */
	const char *const *values;
	int nfilters;
	const char *sort;           /* "field,-field" */
	const char *cursor;
	int64_t limit;
	int archived;
	const store_cond *extra;    /* conditions a domain view adds (a timeline's links) */
	int nextra;
	const char *view;           /* one of the kind's views (registry.h list_view), or NULL */
} list_params;
int model_list(model_ctx *m, const entity *e, const list_params *p);
/* How many records the list would hold in all, every page, for the user. */
/* How many records the list would hold, counted no further than upto (0: all). */
int model_count(model_ctx *m, const entity *e, const list_params *p, int64_t upto, int64_t *n);
/* The first column (an id) of every row q selects on c, into m's arena:
 * the records a write goes on to change, read before it changes them. */
typedef struct model_ids {
	int64_t *v;
	size_t n, cap;
} model_ids;
int model_select_ids(model_ctx *m, store_conn *c, const store_select *q, model_ids *out);  /* a store_status */
/* The condition "has a link in field to the record id of kind", for the
 * extra conditions of a list of kind e. */
store_cond model_linked(model_ctx *m, const entity *e, const char *field, const char *kind, store_value id);

/* The same inside a transaction the caller holds (imports, domain workflows). */
int model_create_in(model_ctx *m, store_conn *c, const entity *e, json_t *body, unsigned flags, record *out);
int model_update_in(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t if_match, json_t *patch,
		    record *out);

/* The same in two steps, for callers that look before they write (an import's
 * check, which writes nothing): build checks everything — access, fields, the
 * area's rules and duplicate check — on any connection, a reader's included;
 * model_insert then writes a built create (the area's prepare hook, then the
 * record, with the id r holds when it holds one), model_write_record a built
 * update.  model_changed: 1 when after differs from before or sets links. */
int model_build_create(model_ctx *m, store_conn *c, const entity *e, json_t *body, unsigned flags, record *out);
int model_build_update(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t if_match, json_t *patch,
		       record *before, record *after);
int model_insert(model_ctx *m, store_conn *c, record *r);
int model_changed(const record *before, const record *after);

/* A record's value of a field by name (or of a system column): the one way
 * code reads or sets a field it names, instead of an index it looked up.
 * A name the kind lacks is a mistake in the code, never in the data: it
 * stops the program at once with the kind and the name, rather than read
 * beside the record.  (A multilingual field has a column per language:
 * "title_en".)  record_text: the value when it is text, else NULL. */
store_value *record_field(const record *r, const char *name);
const char *record_text(const record *r, const char *name);
int record_given(const record *r, const char *name);  /* whether the request set the field */

/* Pieces the domains reuse. */
int model_load(model_ctx *m, store_conn *c, const entity *e, int64_t id, record *out); /* 0, or -1 with 404 */
int model_fetch(model_ctx *m, store_conn *c, const entity *e, int64_t id, record *out); /* 1 found, 0 not, -1 error;
											 * no status set */
/* The same by another column's value, whoever may read it: the first record whose field is v. */
int model_fetch_where(model_ctx *m, store_conn *c, const entity *e, const char *field, store_value v, record *out);
/* The record r's reference field refers to (by id or by its key), whoever may read it: 1 found, 0 not
 * (the field is empty, or the generic checks have said so already), -1 when it could not be read. */
int model_fetch_ref(model_ctx *m, store_conn *c, const record *r, const char *field, record *out);
int model_find(model_ctx *m, store_conn *c, const entity *e, const char *id, record *out); /* and readable by m->u */
int model_read(model_ctx *m, const entity *e, const char *id, record *out); /* the same, on this thread's reader */
int64_t model_parse_id(const char *s);             /* > 0, or 0 when not a plain id */
/* The ids of the records of kind child whose parent (registry.h) is parent, as
 * a JSON array m holds; NULL when they could not be read. */
json_t *model_child_ids(model_ctx *m, store_conn *c, const entity *child, const record *parent);
record model_copy(model_ctx *m, const record *from);  /* values shared, nothing marked as set */
void model_record_json(model_ctx *m, store_conn *c, const record *r, buf *out);
int model_write_record(model_ctx *m, store_conn *c, record *r, const record *before, const char *action);
/* m's answer is the JSON value answer (taken), with status 200; its real numbers (scores, shares: never
 * money, which is text) to 6 significant digits. */
void model_answer(model_ctx *m, json_t *answer);
/* Answers a write with the record written and commits it; or rolls back when
 * a step left a status.  -1 on either failure. */
int model_finish_write(model_ctx *m, store_conn *c, record *r, int status);

#endif
