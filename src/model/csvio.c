/*
 * csvio — see csvio.h.  Rows become JSON bodies and go through the same
 * validation, access and duplicate checks as the API: an import is a batch
 * of ordinary creates and updates in one transaction.
 */
#include "model/csvio.h"

#include <stdlib.h>
#include <string.h>

#include "formats/csv.h"
#include "model/access.h"

#define MAX_REPORTED 1000

static void report(model_ctx *m, import_report *rep, size_t line, const char *column, const char *reason)
{
	if (rep->nerrors == MAX_REPORTED)
		return;
	if (!rep->errors)
		rep->errors = arena_alloc(&m->a, MAX_REPORTED * sizeof *rep->errors);
	rep->errors[rep->nerrors++] = (import_error){ line, arena_strdup(&m->a, column), arena_strdup(&m->a, reason) };
}

/* The JSON value of one cell for a field, or NULL with a reason. */
static json_t *cell_value(const field_def *f, const char *s, const char **why)
{
	switch (f->type) {
	case F_INT:
	case F_REF: {
		if (f->type == F_REF && f->ref_key)
			return json_string(s);
		char *end;
		long long v = strtoll(s, &end, 10);
		if (*end) {
			*why = "is not a whole number";
			return NULL;
		}
		return json_integer(v);
	}
	case F_BOOL:
		if (!strcmp(s, "true") || !strcmp(s, "false"))
			return json_boolean(!strcmp(s, "true"));
		*why = "must be true or false";
		return NULL;
	case F_LIST:
	case F_EMAILS: {
		json_t *a = json_array();
		char *copy = strdup(s), *save = NULL;
		for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
			while (*item == ' ')
				item++;
			size_t n = strlen(item);
			while (n && item[n - 1] == ' ')
				item[--n] = '\0';
			if (n)
				json_array_append_new(a, json_stringn(item, n));
		}
		free(copy);
		return a;
	}
	default:
		return json_string(s);
	}
}

typedef struct header {
	const field_def **field;  /* per column; NULL for system columns */
	const char **lang;        /* per column: "fr" for name_fr, else NULL */
	const char **names;
	size_t n;
	int key;                  /* column of the key field, or -1 */
} header;

static const char *const system_columns[] = { "classification", "division", NULL };

static int read_header(model_ctx *m, const entity *e, const csv_row *row, header *h, import_report *rep)
{
	h->n = row->nfields;
	h->field = arena_alloc(&m->a, h->n * sizeof *h->field);
	h->lang = arena_alloc(&m->a, h->n * sizeof *h->lang);
	h->names = arena_alloc(&m->a, h->n * sizeof *h->names);
	h->key = -1;
	for (size_t i = 0; i < h->n; i++) {
		const char *name = arena_strdup(&m->a, row->fields[i]);
		h->names[i] = name;
		if (enum_index(system_columns, name) >= 0)
			continue;
		const field_def *f = entity_field(e, name);
		size_t len = strlen(name);
		if (!f && len > 3 && name[len - 3] == '_') {
			const char *lang = name + len - 2;
			const field_def *base = entity_field(e, arena_strndup(&m->a, name, len - 3));
			if (base && base->type == F_LANGTEXT && enum_index(registry_langs, lang) >= 0) {
				f = base;
				h->lang[i] = lang;
			}
		}
		if (!f || f->type == F_LINKS || (f->type == F_LANGTEXT && !h->lang[i])) {
			report(m, rep, row->line, name, "is not a column this kind can import");
			continue;
		}
		h->field[i] = f;
		if (e->def->key_field && strcmp(name, e->def->key_field) == 0)
			h->key = (int)i;
	}
	return rep->nerrors ? -1 : 0;
}

static json_t *row_body(model_ctx *m, const header *h, const csv_row *row, import_report *rep)
{
	json_t *body = json_object();
	int ok = 1;
	for (size_t i = 0; i < h->n && i < row->nfields; i++) {
		const char *s = row->fields[i];
		if (!*s)
			continue;
		if (!h->field[i]) {
			json_object_set_new(body, h->names[i], json_string(s));
			continue;
		}
		const char *why = NULL;
		json_t *v = cell_value(h->field[i], s, &why);
		if (!v) {
			report(m, rep, row->line, h->names[i], why);
			ok = 0;
			continue;
		}
		if (h->lang[i]) {
			json_t *langs = json_object_get(body, h->field[i]->name);
			if (!langs)
				json_object_set_new(body, h->field[i]->name, langs = json_object());
			json_object_set_new(langs, h->lang[i], v);
		} else {
			json_object_set_new(body, h->field[i]->name, v);
		}
	}
	if (!ok) {
		json_decref(body);
		return NULL;
	}
	return body;
}

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

static void report_model(model_ctx *m, import_report *rep, size_t line)
{
	if (m->nerrors == 0)
		report(m, rep, line, NULL, m->detail ? m->detail : "cannot be imported");
	for (size_t i = 0; i < m->nerrors; i++)
		report(m, rep, line, column_of(m, m->errors[i].field), m->errors[i].message);
	m->nerrors = 0;
	m->status = 0;
	buf_reset(&m->body);
}

static int exists(model_ctx *m, store_conn *c, const entity *e, const char *key)
{
	int64_t n = 0;
	store_cond w = COND_EQ(e->def->key_field, sv_text(key));
	(void)m;
	return store_count(c, e->def->table, &w, 1, &n) == STORE_OK && n > 0;
}

static void import_row(model_ctx *m, store_conn *c, const entity *e, const header *h, const csv_row *row,
		       unsigned flags, import_report *rep)
{
	rep->rows++;
	if (row->nfields != h->n) {
		report(m, rep, row->line, NULL,
		       arena_printf(&m->a, "has %zu fields where the header has %zu", row->nfields, h->n));
		return;
	}
	json_t *body = row_body(m, h, row, rep);
	if (!body)
		return;
	record r;
	const char *key = h->key >= 0 ? row->fields[h->key] : NULL;
	if (key && *key && exists(m, c, e, key)) {
		json_object_del(body, e->def->key_field);
		if (model_update_in(m, c, e, key, 0, body, &r))
			report_model(m, rep, row->line);
		else
			rep->updated++;
	} else if (model_create_in(m, c, e, body, flags & IMPORT_FORCE ? CREATE_FORCE : 0, &r)) {
		report_model(m, rep, row->line);
	} else {
		rep->created++;
	}
	json_decref(body);
}

int csvio_import(model_ctx *m, const entity *e, const char *data, size_t len, unsigned flags, import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	csv_reader *rd = csv_open(data, len);
	csv_row row;
	csv_error err;
	header h = { 0 };
	int rc, have_header = 0;
	while ((rc = csv_next(rd, &row, &err)) != 0) {
		if (rc < 0) {
			report(m, rep, err.line, NULL, arena_printf(&m->a, "field %zu: %s", err.column, err.message));
			if (err.fatal) {
				rep->fatal = 1;
				break;
			}
			continue;
		}
		if (!have_header) {
			have_header = 1;
			if (read_header(m, e, &row, &h, rep)) {
				rep->fatal = 1;
				break;
			}
			continue;
		}
		import_row(m, c, e, &h, &row, flags, rep);
	}
	csv_close(rd);
	if (!have_header && !rep->nerrors)
		report(m, rep, 1, NULL, "the file is empty: the first row must name the columns");
	if (rep->nerrors || (flags & IMPORT_DRY_RUN)) {
		store_rollback(c);
		return rep->nerrors ? -1 : 0;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the import could not be committed");
	return 0;
}

/* ---- export ------------------------------------------------------------------- */

static int exported(const column *c, size_t i)
{
	if (i < NSYSCOLS)
		return i == COL_ID || i == COL_VERSION || i == COL_CLASSIFICATION || i == COL_DIVISION ||
		       i == COL_CREATED_AT || i == COL_UPDATED_AT;
	return c->field->type != F_LINKS;
}

typedef struct exporter {
	const entity *e;
	buf *out;
} exporter;

static void list_cell(buf *out, const char *json, int first)
{
	json_t *a = json_loads(json, 0, NULL);
	buf joined = BUF_INIT;
	size_t i;
	json_t *item;
	json_array_foreach(a, i, item) {
		if (i)
			buf_puts(&joined, "; ");
		buf_puts(&joined, json_string_value(item));
	}
	csv_field(out, buf_str(&joined), joined.len, first);
	buf_free(&joined);
	json_decref(a);
}

static int export_row(void *ctx, store_row *row)
{
	exporter *x = ctx;
	int first = 1;
	for (size_t i = 0; i < x->e->ncols; i++) {
		const column *c = &x->e->cols[i];
		if (!exported(c, i))
			continue;
		store_value v = store_get(row, (int)i);
		if (v.type == SV_NULL) {
			csv_field_raw(x->out, "", 0, first);
		} else if (v.type == SV_INT) {
			char num[32];
			int n = c->field && c->field->type == F_BOOL ? snprintf(num, sizeof num, "%s", v.i ? "true" : "false")
								       : snprintf(num, sizeof num, "%lld", (long long)v.i);
			csv_field_raw(x->out, num, (size_t)n, first);
		} else if (c->field && (c->field->type == F_LIST || c->field->type == F_EMAILS)) {
			list_cell(x->out, v.s, first);
		} else {
			csv_field(x->out, v.s, v.n, first);
		}
		first = 0;
	}
	csv_end_row(x->out);
	return 0;
}

int csvio_export(model_ctx *m, const entity *e, buf *out)
{
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read %s", e->def->name);
	int first = 1;
	for (size_t i = 0; i < e->ncols; i++) {
		if (!exported(&e->cols[i], i))
			continue;
		csv_field_raw(out, e->cols[i].name, strlen(e->cols[i].name), first);
		first = 0;
	}
	csv_end_row(out);
	store_cond w[2] = { COND_EQ("archived", SV_INT_(0)) };
	int n = 1;
	access_visible(m, e, w, &n);
	store_order o = { "id", 0, 0 };
	store_select q = { .table = e->def->table, .cols = e->colnames, .ncols = (int)e->ncols, .where = w,
			   .nwhere = n, .order = &o, .norder = 1 };
	exporter x = { e, out };
	store_conn *c = store_reader(m->st);
	if (!c || store_query(c, &q, export_row, &x) != STORE_OK)
		return model_fail(m, 500, "Store error", "the records could not be read");
	m->status = 200;
	return 0;
}
