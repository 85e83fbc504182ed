/*
 * csvio — see csvio.h.  A record goes out through its API JSON and comes
 * back through it: a cell is written from a JSON value and read back into
 * one (cell_of and value_of undo each other), a row becomes a body for the
 * model's own create or update, and a row changes only what it holds that
 * differs from the record's JSON.  So the CSV can express exactly what the
 * API can, and an import passes the same validation, access and duplicate
 * checks as the API.
 */
#include "model/csvio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/grow.h"
#include "formats/csv.h"
#include "model/access.h"
#include "model/i18n.h"

#define MAX_REPORTED 1000

/* ---- columns ------------------------------------------------------------------------ */

enum col_role {
	C_ID, C_VERSION,
	C_STAMP,   /* created_at, updated_at: the system's, never taken */
	C_OWN,     /* classification, division: the record's own, taken */
	C_FIELD,
	C_REVIEW,  /* create_anyway, likely_duplicates: a review file's, never a record's */
};

typedef struct csv_col {
	const char *name;      /* in the header: "name_fr" */
	const char *member;    /* in the record's JSON: "name" */
	const char *part;      /* the member within the field's object: "fr" for one language of a
				* multilingual field, "amount" or "currency" of money; else NULL */
	const field_def *f;    /* NULL for the system's columns */
	enum col_role role;
} csv_col;

/* A kind's columns, in the order export writes them. */
static csv_col *columns_of(model_ctx *m, const entity *e, size_t *n)
{
	static const struct {
		const char *name;
		enum col_role role;
	} sys[] = { { "id", C_ID },	    { "version", C_VERSION },	{ "classification", C_OWN },
		    { "division", C_OWN }, { "created_at", C_STAMP }, { "updated_at", C_STAMP } };
	csv_col *v = arena_alloc(&m->a, (COUNT(sys) + e->def->nfields * NLANGS) * sizeof *v);  /* NLANGS > 2, money's columns */
	size_t k = 0;
	for (size_t i = 0; i < COUNT(sys); i++)
		v[k++] = (csv_col){ sys[i].name, sys[i].name, NULL, NULL, sys[i].role };
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (f->flags & UNSHOWN)
			continue;
		if (f->type == F_MONEY) {  /* "pledged" holds the amount, "pledged_currency" its currency */
			v[k++] = (csv_col){ f->name, f->name, "amount", f, C_FIELD };
			v[k++] = (csv_col){ arena_printf(&m->a, "%s_currency", f->name), f->name, "currency", f, C_FIELD };
			continue;
		}
		if (f->type != F_LANGTEXT) {
			v[k++] = (csv_col){ f->name, f->name, NULL, f, C_FIELD };
			continue;
		}
		for (int l = 0; l < NLANGS; l++)
			v[k++] = (csv_col){ arena_printf(&m->a, "%s_%s", f->name, registry_langs[l]), f->name,
					    registry_langs[l], f, C_FIELD };
	}
	*n = k;
	return v;
}

/* The column's value in a record's JSON; NULL when absent, as null is. */
static json_t *member_of(json_t *rec, const csv_col *c)
{
	json_t *v = json_object_get(rec, c->member);
	return c->part ? json_object_get(v, c->part) : v;
}

static void put_member(json_t *body, const csv_col *c, json_t *v)
{
	if (!c->part) {
		json_object_set(body, c->member, v);
		return;
	}
	json_t *parts = json_object_get(body, c->member);
	if (!parts)
		json_object_set_new(body, c->member, parts = json_object());
	json_object_set(parts, c->part, v);
}

/* The parts of money a row left as they were, from the record. */
static void fill_money(json_t *parts, json_t *now)
{
	static const char *const names[] = { "amount", "currency" };
	for (size_t i = 0; i < COUNT(names); i++)
		if (!json_object_get(parts, names[i]))
			json_object_set(parts, names[i], json_is_object(now) ? json_object_get(now, names[i]) : json_null());
}

static int is_readonly(const csv_col *c) { return c->f && (c->f->flags & READONLY); }

/* ---- a value and its cell -------------------------------------------------------------- */

/* The cell of a JSON value, before the formula guard: 1 when it is text
 * (to be guarded), 0 when it is a number, true or false, or empty. */
static int cell_of(json_t *v, const field_def *f, buf *out)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		buf_printf(out, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_boolean(v)) {
		buf_puts(out, json_is_true(v) ? "true" : "false");
		return 0;
	}
	if (json_is_string(v)) {
		buf_add(out, json_string_value(v), json_string_length(v));
		return 1;
	}
	buf one = BUF_INIT;
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		buf_reset(&one);
		if (f && f->type == F_LINKS) {  /* kind/id, then the role after a space */
			buf_printf(&one, "%s/%lld", json_string_value(json_object_get(item, "kind")),
				   (long long)json_integer_value(json_object_get(item, "id")));
			json_t *role = json_object_get(item, "role");
			if (json_is_string(role))
				buf_printf(&one, " %s", json_string_value(role));
		} else {
			buf_add(&one, json_string_value(item), json_string_length(item));
		}
		csv_list_item(out, one.data, one.len, i == 0);
	}
	buf_free(&one);
	return 1;
}

static json_t *whole_number(const char *s, const char **why)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno) {
		*why = N_("is not a whole number");
		return NULL;
	}
	return json_integer(v);
}

/* "persons/12 speaker" → {"kind": "persons", "id": 12, "role": "speaker"}; NULL when it is not one. */
static json_t *link_of(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	if (!slash || slash == s)
		return NULL;
	const char *space = memchr(slash, ' ', n - (size_t)(slash - s));
	const char *end = space ? space : s + n;
	char id[24];
	size_t idn = (size_t)(end - slash - 1);
	if (idn == 0 || idn >= sizeof id)
		return NULL;
	memcpy(id, slash + 1, idn);
	id[idn] = '\0';
	int64_t v = model_parse_id(id);
	if (v <= 0)
		return NULL;
	json_t *role = space ? json_stringn(space + 1, (size_t)(s + n - space - 1)) : json_null();
	return json_pack("{s:s%, s:I, s:o}", "kind", s, (size_t)(slash - s), "id", (json_int_t)v, "role", role);
}

static json_t *items_of(model_ctx *m, const field_def *f, const char *s, const char **why)
{
	json_t *a = json_array();
	buf item = BUF_INIT;
	size_t pos = 0;
	while (csv_list_next(s, strlen(s), &pos, &item)) {
		json_t *v = f->type == F_LINKS ? link_of(item.data, item.len) : json_stringn(item.data, item.len);
		if (!v) {
			*why = i18n_say(&m->a, m->lang, N_("\"{1}\" is not a link like persons/12 (or persons/12 and a role)"),
					(const char *[]){ buf_str(&item) }, 1);
			json_decref(a);
			a = NULL;
			break;
		}
		json_array_append_new(a, v);
	}
	buf_free(&item);
	return a;
}

/* The JSON value of a cell (guard removed), or NULL with the reason. */
static json_t *value_of(model_ctx *m, const csv_col *c, const char *s, const char **why)
{
	const field_def *f = c->f;
	if (!*s)
		return f && f->type == F_LINKS ? json_array() : json_null();  /* a record's links are a list, maybe empty */
	if (c->role == C_ID || c->role == C_VERSION || (f && (f->type == F_INT || (f->type == F_REF && !f->ref_key))))
		return whole_number(s, why);
	if (!f || c->part)
		return json_string(s);
	switch (f->type) {
	case F_BOOL:
		if (!strcasecmp(s, "true") || !strcasecmp(s, "false"))  /* spreadsheets write TRUE */
			return json_boolean(!strcasecmp(s, "true"));
		*why = N_("must be true or false");
		return NULL;
	case F_LIST:
	case F_EMAILS:
	case F_LINKS:
		return items_of(m, f, s, why);
	default:
		return json_string(s);
	}
}

/* ---- export ----------------------------------------------------------------------------- */

typedef struct exporter {
	model_ctx *m;
	store_conn *c;
	const entity *e;
	const csv_col *cols;
	size_t ncols;
	buf *out;
	arena rows;  /* one row's values, emptied after it */
} exporter;

static int export_row(void *ctx, store_row *row)
{
	exporter *x = ctx;
	record r = { x->e, arena_alloc(&x->rows, x->e->ncols * sizeof(store_value)), NULL, NULL };
	store_row_copy(row, (int)x->e->ncols, r.v, &x->rows);
	buf json = BUF_INIT, cell = BUF_INIT;
	model_record_json(x->m, x->c, &r, &json);
	json_t *rec = json_loadb(json.data, json.len, 0, NULL);
	for (size_t i = 0; i < x->ncols; i++) {
		buf_reset(&cell);
		/* an amount is a number, even a refund's "-3.50": no formula guard */
		int text = cell_of(member_of(rec, &x->cols[i]), x->cols[i].f, &cell) &&
			   !(x->cols[i].part && strcmp(x->cols[i].part, "amount") == 0);
		(text ? csv_field : csv_field_raw)(x->out, cell.data, cell.len, i == 0);
	}
	csv_end_row(x->out);
	json_decref(rec);
	buf_free(&json);
	buf_free(&cell);
	arena_free(&x->rows);
	return x->m->status >= 400;  /* the links could not be read */
}

int csvio_export(model_ctx *m, const entity *e, buf *out)
{
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read %s", e->def->name);
	exporter x = { m, store_reader(m->st), e, NULL, 0, out, ARENA_INIT };
	x.cols = columns_of(m, e, &x.ncols);
	for (size_t i = 0; i < x.ncols; i++)
		csv_field_raw(out, x.cols[i].name, strlen(x.cols[i].name), i == 0);
	csv_end_row(out);
	store_cond w[2] = { COND_EQ("archived", SV_INT_(0)) };
	int n = 1;
	access_visible(m, e, w, &n);
	store_order o = { "id", 0, 0 };
	store_select q = { .table = e->def->table, .cols = e->colnames, .ncols = (int)e->ncols, .where = w,
			   .nwhere = n, .order = &o, .norder = 1 };
	int rc = x.c ? store_query(x.c, &q, export_row, &x) : STORE_ERROR;
	arena_free(&x.rows);
	if (rc != STORE_OK || m->status >= 400)
		return model_fail(m, 500, "Store error", "the records could not be read");
	m->status = 200;
	return 0;
}

/* ---- import: what a file may hold ---------------------------------------------------------- */

typedef struct header {
	const csv_col **col;  /* per column of the file */
	size_t n;
	int id, version, key; /* the file's columns of the id, the version and the key field, or -1 */
	int anyway, dups;     /* its create_anyway and likely_duplicates columns, or -1 */
} header;

static const csv_col anyway_col = { "create_anyway", "create_anyway", NULL, NULL, C_REVIEW };
static const csv_col dups_col = { "likely_duplicates", "likely_duplicates", NULL, NULL, C_REVIEW };

/* Values already seen in the file, "field\x1fvalue" → the line, to refuse a
 * second row with the same id or unique value: open addressing, half full
 * at most. */
typedef struct seen_set {
	struct seen_slot {
		const char *key;
		size_t line;
	} *v;
	size_t n, cap;
	arena keys;           /* the keys' copies: a row's own memory ends with the row */
} seen_set;

static size_t hash_of(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void seen_put(seen_set *s, const char *key, size_t line);

static void seen_grow(seen_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;  /* a power of two: slots are hash & (cap - 1) */
	seen_set bigger = { calloc(cap, sizeof *s->v), 0, cap, s->keys };
	if (!bigger.v)
		abort();
	for (size_t i = 0; i < s->cap; i++)
		if (s->v[i].key)
			seen_put(&bigger, s->v[i].key, s->v[i].line);
	free(s->v);
	*s = bigger;
}

static void seen_put(seen_set *s, const char *key, size_t line)
{
	if (2 * (s->n + 1) > s->cap)
		seen_grow(s);
	size_t i = hash_of(key) & (s->cap - 1);
	while (s->v[i].key)
		i = (i + 1) & (s->cap - 1);
	s->v[i] = (struct seen_slot){ key, line };
	s->n++;
}

/* The line where key was first seen, or 0 after remembering it at line. */
static size_t seen_before(seen_set *s, const char *key, size_t line)
{
	for (size_t i = s->cap ? hash_of(key) & (s->cap - 1) : 0; s->cap && s->v[i].key; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->v[i].key, key) == 0)
			return s->v[i].line;
	seen_put(s, arena_strdup(&s->keys, key), line);
	return 0;
}

/* A dry run's scratch database (model_ctx.staged): a file of its own, gone
 * when the run ends; its pages beyond a small cache go to that file, so a
 * large file's check stays within bounded memory too. */
typedef struct scratch {
	store *st;
	store_conn *c;
	char *path;
} scratch;

static void scratch_close(scratch *s)
{
	if (s->c)
		store_rollback(s->c);
	store_close(s->st);
	static const char *const files[] = { "", "-wal", "-shm" };
	for (size_t i = 0; s->path && i < sizeof files / sizeof *files; i++) {
		char *name = NULL;
		if (asprintf(&name, "%s%s", s->path, files[i]) > 0)
			unlink(name);
		free(name);
	}
	free(s->path);
}

static store_conn *scratch_open(scratch *s)
{
	const char *dir = getenv("TMPDIR");
	char err[256];
	int fd = -1;
	if (asprintf(&s->path, "%s/liaison-check-XXXXXX", dir && *dir ? dir : "/tmp") < 0) {
		s->path = NULL;
		return NULL;
	}
	if ((fd = mkstemp(s->path)) < 0 || close(fd) || !(s->st = store_open(s->path, err, sizeof err)) ||
	    store_migrate(s->st, err, sizeof err) || !(s->c = store_begin(s->st))) {
		scratch_close(s);
		return NULL;
	}
	return s->c;
}

/* The records a run created, by id (in the order made: ids only grow), with
 * their lines: a refused import names a likely duplicate of one of them by
 * its line, since it leaves no record of that id. */
typedef struct made_row {
	int64_t id;
	size_t line;
} made_row;

typedef struct made_rows {
	made_row *v;
	size_t n, cap;
} made_rows;

static void made_add(made_rows *r, int64_t id, size_t line)
{
	r->v = grow_room(r->v, &r->cap, r->n + 1, sizeof *r->v);
	r->v[r->n++] = (made_row){ id, line };
}

static int by_made_id(const void *x, const void *y)
{
	const made_row *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

/* The line of the record made with id in this run, or 0. */
static size_t made_line(const made_rows *r, int64_t id)
{
	made_row key = { id, 0 }, *m = bsearch(&key, r->v, r->n, sizeof *r->v, by_made_id);
	return m ? m->line : 0;
}

typedef struct importer {
	model_ctx *file;      /* the caller's: the report, the header, the plan */
	model_ctx *m;         /* the row's own while a row is imported (its memory freed after it), else file */
	store_conn *c;
	const entity *e;
	unsigned flags;
	import_report *rep;
	const csv_col *cols;
	size_t ncols;
	header h;
	seen_set seen;
	model_planned planned;
	FILE *progress;
	buf *review;
	char **header_names;   /* as the file gives them, for the review file's header */
	scratch scratch;       /* a check's, made when its first row passes */
	made_rows made;        /* the records this run created, to name them by their line */
} importer;

/* A reason, in the reader's language when the catalogs have it (the file's
 * model speaks the page's, or English on the command line). */
static void report(importer *x, size_t line, const char *column, const char *reason)
{
	import_report *rep = x->rep;
	if (rep->nerrors == MAX_REPORTED)
		return;
	arena *a = &x->file->a;
	if (!rep->errors)
		rep->errors = arena_alloc(a, MAX_REPORTED * sizeof *rep->errors);
	rep->errors[rep->nerrors++] = (import_error){ line, arena_strdup(a, column),
						      arena_strdup(a, i18n_text(x->file->lang, reason)) };
}

/* The same for a sentence of the catalogs with its places {1}, {2}... filled. */
static void report_said(importer *x, size_t line, const char *column, const char *msgid, const char *const *values,
			int n)
{
	report(x, line, column, i18n_say(&x->m->a, x->file->lang, msgid, values, n));
}

static const char *number(importer *x, int64_t n) { return arena_printf(&x->m->a, "%lld", (long long)n); }

/* A kind's label ("organization") in the reader's language. */
static const char *label_of(importer *x, const entity *e) { return i18n_text(x->file->lang, e->def->label); }

/* The header column a model error speaks of ("name.fr" → "name_fr"). */
static const char *column_of(model_ctx *m, const char *field)
{
	char *c = arena_strdup(&m->a, field);
	char *dot = strchr(c, '.');
	if (dot)
		*dot = '_';
	char *bracket = strchr(c, '[');
	if (bracket)
		*bracket = '\0';
	return c;
}

/* The row's problem, reported or set aside: the next row starts clean. */
static void forget_problem(model_ctx *m)
{
	m->nerrors = 0;
	m->status = 0;
	buf_reset(&m->body);
}

static void report_model(importer *x, size_t line)
{
	model_ctx *m = x->m;
	if (m->nerrors == 0)
		report(x, line, NULL, m->detail ? m->detail : N_("cannot be imported"));
	for (size_t i = 0; i < m->nerrors; i++)
		report(x, line, column_of(m, m->errors[i].field), m->errors[i].message);
	forget_problem(m);
}

static int read_header(importer *x, const csv_row *row)
{
	header *h = &x->h;
	h->n = row->nfields;
	h->col = arena_alloc(&x->m->a, h->n * sizeof *h->col);
	h->id = h->version = h->key = h->anyway = h->dups = -1;
	x->header_names = arena_alloc(&x->m->a, (h->n + 1) * sizeof *x->header_names);
	size_t before = x->rep->nerrors;
	for (size_t i = 0; i < h->n; i++) {
		const char *name = row->fields[i];
		x->header_names[i] = arena_strdup(&x->m->a, name);
		if (strcmp(name, anyway_col.name) == 0)
			h->col[i] = &anyway_col, h->anyway = (int)i;
		else if (strcmp(name, dups_col.name) == 0)
			h->col[i] = &dups_col, h->dups = (int)i;
		for (size_t k = 0; k < x->ncols && !h->col[i]; k++)
			if (strcmp(x->cols[k].name, name) == 0)
				h->col[i] = &x->cols[k];
		for (size_t k = 0; k < i && h->col[i]; k++)
			if (h->col[k] == h->col[i]) {
				report(x, row->line, name, N_("is named twice in the header"));
				break;
			}
		if (!h->col[i]) {
			report(x, row->line, name, N_("is not a column this kind can import"));
			continue;
		}
		if (h->col[i]->role == C_ID)
			h->id = (int)i;
		else if (h->col[i]->role == C_VERSION)
			h->version = (int)i;
		else if (x->e->def->key_field && strcmp(name, x->e->def->key_field) == 0)
			h->key = (int)i;
	}
	return x->rep->nerrors > before ? -1 : 0;
}

/* ---- import: one row ----------------------------------------------------------------------- */

/* The row's cells as JSON values (NULL where a cell is bad, reported). */
static json_t **row_values(importer *x, const csv_row *row, int *bad)
{
	json_t **v = arena_alloc(&x->m->a, x->h.n * sizeof *v);
	for (size_t i = 0; i < x->h.n; i++) {
		const char *why = NULL;
		v[i] = value_of(x->m, x->h.col[i], csv_unguard(row->fields[i]), &why);
		if (!v[i]) {
			report(x, row->line, x->h.col[i]->name, why);
			*bad = 1;
		}
	}
	return v;
}

static void free_values(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
}

static int record_exists(importer *x, store_cond w)
{
	int64_t n = 0;
	return store_count(x->c, x->e->def->table, &w, 1, &n) == STORE_OK && n > 0;
}

static const char *value_text(model_ctx *m, store_value v)
{
	return v.type == SV_INT ? arena_printf(&m->a, "%lld", (long long)v.i) : arena_strndup(&m->a, v.s, v.n);
}

/* A unique field (the key field is one) that r shares with an earlier row of
 * the file, or with another record (when it is new to r): reported, 1. */
static int unique_taken(importer *x, const record *r, const record *before, size_t line)
{
	const entity *e = x->e;
	int taken = 0;
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		int col = entity_column(e, f->name);
		if (!(f->flags & UNIQUE) || f->type == F_LANGTEXT || col < 0 || r->v[col].type == SV_NULL)
			continue;
		const char *value = value_text(x->m, r->v[col]);
		size_t other = seen_before(&x->seen, arena_printf(&x->m->a, "%s\x1f%s", f->name, value), line);
		if (other) {
			report_said(x, line, f->name, N_("has the same value as line {1}"), (const char *[]){ number(x, (int64_t)other) }, 1);
			taken = 1;
			continue;
		}
		if (before && before->v[col].type != SV_NULL && strcmp(value_text(x->m, before->v[col]), value) == 0)
			continue;
		store_cond w[] = { COND_EQ(f->name, r->v[col]), COND("id", OP_NE, r->v[COL_ID]) };
		int64_t n = 0;
		int nw = r->v[COL_ID].type == SV_INT ? 2 : 1;
		if (store_count(x->c, e->def->table, w, nw, &n) == STORE_OK && n > 0) {
			report_said(x, line, f->name, N_("is already used by another {1}"), (const char *[]){ label_of(x, e) }, 1);
			taken = 1;
		}
	}
	return taken;
}

/* Whether a cell goes into the body: the record's own columns and fields do,
 * but not what the system sets, nor an empty classification (a record
 * always has one: the default, or the one it has), nor the classification
 * and division of a kind whose records repeat their parent's (exported as
 * they were, taken again from the parent). */
static int taken(const importer *x, const csv_col *c, json_t *v)
{
	if (c->role == C_OWN)
		return !x->e->parent && (!json_is_null(v) || strcmp(c->name, "classification") != 0);
	return c->role == C_FIELD && !is_readonly(c);
}

/* The row's create_anyway says yes. */
static int anyway(const importer *x, json_t **v)
{
	const char *s = x->h.anyway >= 0 ? json_string_value(v[x->h.anyway]) : NULL;
	return s && (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "x"));
}

static json_int_t id_of(json_t *candidate) { return json_integer_value(json_object_get(candidate, "id")); }

/* The candidates a 409 named, as one cell: "12 Name (0.92, similar name); ...", a row
 * of the file checked in a dry run as "line 7 Name (...)", and one this run made too
 * when the run is refused (lines: it leaves no record of that id). */
static void candidates_cell(const importer *x, buf *cell, int lines)
{
	model_ctx *m = x->m;
	buf whole = BUF_INIT;
	buf_printf(&whole, "{%.*s}", (int)m->body.len, m->body.data ? m->body.data : "");
	json_t *doc = json_loadb(whole.data, whole.len, 0, NULL), *c;
	size_t i;
	json_array_foreach(json_object_get(doc, "candidates"), i, c) {
		int64_t id = id_of(c);
		size_t line = id < 0 ? (size_t)-id : lines ? made_line(&x->made, id) : 0;
		const char *title = json_string_value(json_object_get(c, "title"));
		const char *reason = json_string_value(json_object_get(c, "reason"));
		if (line)
			buf_printf(cell, "%sline %zu", i ? "; " : "", line);
		else
			buf_printf(cell, "%s%lld", i ? "; " : "", (long long)id);
		buf_printf(cell, " %s (%.2f, %s)", title ? title : "", json_real_value(json_object_get(c, "score")),
			   reason ? reason : "");
	}
	json_decref(doc);
	buf_free(&whole);
}

/* A likely duplicate where no review file is kept: refused, naming its candidates and the ways on. */
static void report_likely(importer *x, size_t line)
{
	buf cell = BUF_INIT;
	candidates_cell(x, &cell, 1);
	report_said(x, line, NULL, N_("looks like {1}: to create it anyway, write yes in a column create_anyway"),
		    (const char *[]){ buf_str(&cell) }, 1);
	buf_free(&cell);
	forget_problem(x->m);
}

/* A likely duplicate written to the review file as it came, with its candidates (see csvio.h). */
static void for_review(importer *x, const csv_row *row)
{
	buf *out = x->review;
	const header *h = &x->h;
	if (!x->rep->for_review) {
		for (size_t i = 0; i < h->n; i++)
			csv_field_raw(out, x->header_names[i], strlen(x->header_names[i]), i == 0);
		if (h->anyway < 0)
			csv_field_raw(out, anyway_col.name, strlen(anyway_col.name), 0);
		if (h->dups < 0)
			csv_field_raw(out, dups_col.name, strlen(dups_col.name), 0);
		csv_end_row(out);
	}
	buf cell = BUF_INIT;
	candidates_cell(x, &cell, 0);   /* the import is kept: the records it made are there */
	for (size_t i = 0; i < h->n; i++) {
		if ((int)i == h->dups)
			csv_field(out, cell.data ? cell.data : "", cell.len, i == 0);
		else   /* guarded again as the file had it, or as it should have had it */
			csv_field(out, csv_unguard(row->fields[i]), strlen(csv_unguard(row->fields[i])), i == 0);
	}
	if (h->anyway < 0)
		csv_field_raw(out, "", 0, 0);
	if (h->dups < 0)
		csv_field(out, cell.data ? cell.data : "", cell.len, 0);
	csv_end_row(out);
	buf_free(&cell);
	x->rep->for_review++;
	forget_problem(x->m);
}

/* A checked row as if written: what its kind derives from a record for
 * other records to be compared with (its rederive hook: duplicate keys),
 * written to the run's scratch database, a new record's under its line's
 * number negated (line 0: a record the row changes, under its own id,
 * which the check then takes from there rather than from the database). */
static int stage(importer *x, record *r, size_t line)
{
	const entity *e = x->e;
	if (!e->def->rederive)
		return 0;
	if (!x->file->staged && !(x->file->staged = scratch_open(&x->scratch)))
		return model_fail(x->m, 500, "Store error", "the check could not make its scratch database");
	x->m->staged = x->file->staged;
	if (line) {
		r->v[COL_ID] = SV_INT_(-(int64_t)line);
		r->v[COL_VERSION] = SV_INT_(1);
	} else {
		x->file->staged_changes = 1;
	}
	x->m->staged_changes = x->file->staged_changes;
	return e->def->rederive(x->m, x->m->staged, e, r);
}

static void create_row(importer *x, const csv_row *row, json_t **v, int64_t id)
{
	json_t *body = json_object();
	for (size_t i = 0; i < x->h.n; i++)
		if (taken(x, x->h.col[i], v[i]))
			put_member(body, x->h.col[i], v[i]);
	/* A row brought with its id is a record that exists elsewhere, not a new
	 * entry to compare with likely duplicates. */
	unsigned force = (id || (x->flags & IMPORT_FORCE) || anyway(x, v) ? CREATE_FORCE : 0) | CREATE_AS_IS;
	record r;
	if (model_build_create(x->m, x->c, x->e, body, force, &r)) {
		if (x->review && x->m->status == 409)
			for_review(x, row);
		else if (x->m->status == 409)
			report_likely(x, row->line);
		else
			report_model(x, row->line);
		goto done;
	}
	if (id)
		r.v[COL_ID] = SV_INT_(id);
	if (unique_taken(x, &r, NULL, row->line))
		goto done;
	if (x->flags & IMPORT_DRY_RUN ? stage(x, &r, row->line) : model_insert(x->m, x->c, &r))
		report_model(x, row->line);
	else if (++x->rep->created, !(x->flags & IMPORT_DRY_RUN))
		made_add(&x->made, r.v[COL_ID].i, row->line);
done:
	json_decref(body);
}

/* The cells that differ from the record's JSON, as a merge patch; NULL when
 * one of them is the system's to set (reported). */
static json_t *changes(importer *x, const csv_row *row, json_t **v, json_t *rec)
{
	json_t *patch = json_object();
	int refused = 0;
	for (size_t i = 0; i < x->h.n; i++) {
		const csv_col *c = x->h.col[i];
		json_t *now = member_of(rec, c);
		if ((c->role != C_FIELD && !taken(x, c, v[i])) || json_equal(now ? now : json_null(), v[i]))
			continue;
		if (is_readonly(c)) {
			report(x, row->line, c->name, N_("is set by Liaison: an import cannot change it"));
			refused = 1;
			continue;
		}
		put_member(patch, c, v[i]);
		if (c->f && c->f->type == F_MONEY)  /* an amount is changed with its currency, as the API takes it */
			fill_money(json_object_get(patch, c->member), json_object_get(rec, c->member));
	}
	if (refused) {
		json_decref(patch);
		return NULL;
	}
	return patch;
}

/* Why a row may not change its record: its version is older than the
 * record's (someone changed the record since the file was written), or
 * missing where the row names the record by id.  A version newer than the
 * record's can only come from another database's file (versions only grow),
 * a copy or a restore, which is taken. */
static const char *stale(importer *x, json_t **v, const record *now, int by_id)
{
	int64_t at = x->h.version >= 0 ? json_integer_value(v[x->h.version]) : 0;
	if (by_id && !at)
		return i18n_text(x->file->lang, N_("is required to change a record named by its id: export the records again"));
	if (at && at < now->v[COL_VERSION].i) {
		const char *values[] = { number(x, at), label_of(x, x->e), number(x, now->v[COL_VERSION].i) };
		return i18n_say(&x->m->a, x->file->lang, N_("is {1}, but the {2} is now at version {3}: it changed since "
							    "the file was written; export it again"), values, 3);
	}
	return NULL;
}

/* Applies the row's changes to the record it names (by id, or by key). */
static void change(importer *x, const csv_row *row, json_t **v, const record *now, json_t *patch, const char *name,
		   int by_id)
{
	model_ctx *m = x->m;
	record before, after;
	const char *why = stale(x, v, now, by_id);
	if (why) {
		report(x, row->line, "version", why);
		return;
	}
	if (model_build_update(m, x->c, x->e, name, now->v[COL_VERSION].i, patch, &before, &after)) {
		report_model(x, row->line);
		return;
	}
	if (unique_taken(x, &after, &before, row->line))
		return;
	if (!model_changed(&before, &after))
		x->rep->unchanged++;
	else if (x->flags & IMPORT_DRY_RUN ? stage(x, &after, 0) : model_write_record(m, x->c, &after, &before, "update"))
		report_model(x, row->line);
	else
		x->rep->updated++;
}

static void update_row(importer *x, const csv_row *row, json_t **v, const char *name, int by_id)
{
	model_ctx *m = x->m;
	record now;
	if (model_find(m, x->c, x->e, name, &now)) {
		report_model(x, row->line);
		return;
	}
	buf text = BUF_INIT;
	model_record_json(m, x->c, &now, &text);
	json_t *rec = json_loadb(text.data, text.len, 0, NULL);
	buf_free(&text);
	json_t *patch = changes(x, row, v, rec);
	if (patch && json_object_size(patch) == 0) {  /* nothing to change, whatever the version */
		if (!unique_taken(x, &now, &now, row->line))
			x->rep->unchanged++;
	} else if (patch) {
		change(x, row, v, &now, patch, name, by_id);
	}
	json_decref(patch);
	json_decref(rec);
}

/* Where the row goes: the record it names by id or key, or a new one. */
static void dispatch(importer *x, const csv_row *row, json_t **v)
{
	model_ctx *m = x->m;
	json_t *idv = x->h.id >= 0 ? v[x->h.id] : NULL;
	int64_t id = json_integer_value(idv);
	const char *key = x->h.key >= 0 ? json_string_value(v[x->h.key]) : NULL;
	size_t other;
	if (idv && !json_is_null(idv) && id <= 0)
		report(x, row->line, "id", N_("is not the number of a record"));
	else if (id && (other = seen_before(&x->seen, arena_printf(&m->a, "id\x1f%lld", (long long)id), row->line)))
		report_said(x, row->line, "id", N_("has the same value as line {1}"), (const char *[]){ number(x, (int64_t)other) }, 1);
	else if (id && record_exists(x, COND_EQ("id", SV_INT_(id))))
		update_row(x, row, v, arena_printf(&m->a, "%lld", (long long)id), 1);
	else if (id && m->u->role != ROLE_ADMIN)
		report_said(x, row->line, "id", N_("no {1} has this id"), (const char *[]){ label_of(x, x->e) }, 1);
	else if (!id && key && record_exists(x, COND_EQ(x->e->def->key_field, sv_text(key))))
		update_row(x, row, v, key, 0);
	else
		create_row(x, row, v, id);
}

/* A row in a model context of its own, so that memory holds one row's work, never the file's. */
static void import_row(importer *x, const csv_row *row)
{
	x->rep->rows++;
	if (row->nfields != x->h.n) {
		report_said(x, row->line, NULL, N_("has {1} fields where the header has {2}"),
			    (const char *[]){ number(x, (int64_t)row->nfields), number(x, (int64_t)x->h.n) }, 2);
		return;
	}
	model_ctx m;
	model_init(&m, x->file->st, x->file->reg, x->file->u);
	m.lang = x->file->lang;
	m.planned = x->file->planned;
	m.staged = x->file->staged;
	m.staged_changes = x->file->staged_changes;
	x->m = &m;
	int bad = 0;
	json_t **v = row_values(x, row, &bad);
	if (!bad)
		dispatch(x, row, v);
	free_values(v, x->h.n);
	x->m = x->file;
	model_done(&m);
}

/* ---- import: the file ------------------------------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The ids the file's rows give, sorted: an administrator's rows create the
 * records they name that do not exist, and another row may refer to one
 * before its row comes. */
static void plan_ids(importer *x, const char *data, size_t len)
{
	if (x->h.id < 0 || x->m->u->role != ROLE_ADMIN)
		return;
	csv_reader *rd = csv_open(data, len);
	csv_row row;
	csv_error err;
	size_t cap = 0, lines = 0;
	int64_t *ids = NULL;
	int rc;
	while ((rc = csv_next(rd, &row, &err)) != 0) {
		if (rc < 0 && err.fatal)
			break;
		if (rc < 0 || lines++ == 0 || (size_t)x->h.id >= row.nfields)
			continue;
		int64_t id = model_parse_id(csv_unguard(row.fields[x->h.id]));
		if (id <= 0)
			continue;
		if (x->planned.n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *bigger = arena_alloc(&x->m->a, cap * sizeof *ids);
			if (x->planned.n)
				memcpy(bigger, ids, x->planned.n * sizeof *ids);
			ids = bigger;
		}
		ids[x->planned.n++] = id;
	}
	csv_close(rd);
	if (x->planned.n)
		qsort(ids, x->planned.n, sizeof *ids, cmp_id);
	x->planned.kind = x->e->def->name;
	x->planned.ids = ids;
	x->m->planned = &x->planned;
}

static void read_rows(importer *x, const char *data, size_t len)
{
	csv_reader *rd = csv_open(data, len);
	csv_row row;
	csv_error err;
	int rc, have_header = 0;
	while ((rc = csv_next(rd, &row, &err)) != 0) {
		if (rc < 0) {
			report(x, err.line, NULL, arena_printf(&x->m->a, "field %zu: %s", err.column, err.message));
			if (err.fatal) {
				x->rep->fatal = 1;
				break;
			}
			continue;
		}
		if (!have_header) {
			have_header = 1;
			if (read_header(x, &row)) {
				x->rep->fatal = 1;
				break;
			}
			plan_ids(x, data, len);
			continue;
		}
		import_row(x, &row);
		if (x->progress && x->rep->rows % PROGRESS_ROWS == 0)
			fprintf(x->progress, "import: %zu rows %s\n", x->rep->rows,
				x->flags & IMPORT_DRY_RUN ? "checked" : "read");
	}
	csv_close(rd);
	if (!have_header && !x->rep->nerrors)
		report(x, 1, NULL, N_("the file is empty: the first row must name the columns"));
}

int csvio_import(model_ctx *m, const entity *e, const char *data, size_t len, const import_opts *o, import_report *rep)
{
	unsigned flags = o->flags;
	memset(rep, 0, sizeof *rep);
	int check = flags & IMPORT_DRY_RUN;
	/* A check writes nothing: it reads on this thread's reader and leaves the writer to others. */
	store_conn *c = check ? store_reader(m->st) : store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	if (!check && store_defer_references(c) != STORE_OK) {
		store_rollback(c);
		return model_fail(m, 500, "Store error", "the import could not begin");
	}
	importer x = { m, m, c, e, flags, rep, NULL, 0, { 0 }, { 0 }, { 0 }, o->progress, o->review, NULL, { 0 }, { 0 } };
	x.cols = columns_of(m, e, &x.ncols);
	if (!check)   /* the words gathered in memory, written in large pieces */
		store_search_bulk(c, STORE_BULK_BEGIN);
	read_rows(&x, data, len);
	if (!check && store_search_bulk(c, STORE_BULK_END) != STORE_OK)
		report(&x, 0, NULL, N_("the search index could not be written"));
	free(x.seen.v);
	arena_free(&x.seen.keys);
	free(x.made.v);
	m->planned = NULL;
	if (check) {
		m->staged = NULL;
		m->staged_changes = 0;
		scratch_close(&x.scratch);
		return rep->nerrors ? -1 : 0;
	}
	if (rep->nerrors) {
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the import could not be committed");
	return 0;
}
