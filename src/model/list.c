/*
 * list — filtered, sorted, cursor-paged lists of records.
 *
 * Paging is by keyset, not offset: the cursor holds the sort values of the
 * last row handed out, so page 1000 costs what page 1 costs and a record
 * created meanwhile never shifts a page.  Visibility is one more condition
 * of the query (access_visible), so limits and cursors count only what the
 * caller may read.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "model/access.h"
#include "model/model.h"

#define MAX_SORT 4

typedef struct plan {
	store_cond *where;
	int nwhere;
	store_order order[MAX_SORT + 1];
	int order_col[MAX_SORT + 1];   /* column index of each key, for the cursor */
	int norder;
	store_value *after;
} plan;

static int bad_request(model_ctx *m, const char *fmt, const char *arg)
{
	return model_fail(m, 400, "Bad request", fmt, arg);
}

static int filter_value(model_ctx *m, const column *col, const char *value, store_value *out)
{
	const field_def *f = col->field;
	if (f && f->type == F_ENUM && enum_index(f->values, value) < 0)
		return bad_request(m, "'%s' is not one of the field's values", value);
	if (!col->is_int) {
		*out = sv_text(value);
		return 0;
	}
	if (col->field && col->field->type == F_BOOL && (!strcmp(value, "true") || !strcmp(value, "false"))) {
		*out = SV_INT_(strcmp(value, "true") == 0);
		return 0;
	}
	char *end;
	long long v = strtoll(value, &end, 10);
	if (!*value || *end)
		return bad_request(m, "filter value '%s' is not a number", value);
	*out = SV_INT_(v);
	return 0;
}

/* FIELD=KIND/ID on a links field: the records with a link to that record. */
static int link_filter(model_ctx *m, const entity *e, const field_def *f, const char *value, store_cond *out)
{
	const char *slash = strchr(value, '/');
	int64_t id = slash ? model_parse_id(slash + 1) : 0;
	char *kind = slash ? arena_strndup(&m->a, value, (size_t)(slash - value)) : NULL;
	int allowed = 0;
	for (const char *const *k = f->link_kinds; kind && *k; k++)
		allowed |= !strcmp(*k, kind);
	if (!allowed || id <= 0)
		return bad_request(m, "a filter on links is KIND/ID, such as persons/12, not '%s'", value);
	*out = model_linked(m, e, f->name, kind, SV_INT_(id));
	return 0;
}

static int add_filters(model_ctx *m, const entity *e, const list_params *p, plan *pl)
{
	for (int i = 0; i < p->nfilters; i++) {
		const field_def *f = entity_field(e, p->names[i]);
		if (f && f->type == F_LINKS) {
			if (link_filter(m, e, f, p->values[i], &pl->where[pl->nwhere++]))
				return -1;
			continue;
		}
		int col = entity_column(e, p->names[i]);
		const column *c = col >= 0 ? &e->cols[col] : NULL;
		if (!c || col == COL_ID || (c->field && (c->field->type == F_LANGTEXT || (c->field->type == F_MONEY && !c->currency))))
			return bad_request(m, "'%s' is not a field this list can be filtered on", p->names[i]);
		store_value v;
		if (filter_value(m, c, p->values[i], &v))
			return -1;
		int list = c->field && (c->field->type == F_LIST || c->field->type == F_EMAILS);
		pl->where[pl->nwhere++] = COND(c->name, list ? OP_CONTAINS : OP_EQ, v);
	}
	return 0;
}

static int sort_column(model_ctx *m, const entity *e, const char *name)
{
	const field_def *f = entity_field(e, name);
	if (f && f->type == F_LANGTEXT) {
		int lang = enum_index(registry_langs, m->u->language);
		char *colname = arena_printf(&m->a, "%s_%s", name, registry_langs[lang < 0 ? 0 : lang]);
		return entity_column(e, colname);
	}
	if (f && (f->type == F_LIST || f->type == F_EMAILS || f->type == F_LINKS))
		return -1;
	return entity_column(e, name);
}

static int add_order(model_ctx *m, const entity *e, const char *sort, plan *pl)
{
	char *spec = arena_strdup(&m->a, sort ? sort : e->def->default_sort ? e->def->default_sort : "id");
	char *save = NULL;
	for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int desc = *tok == '-';
		const char *name = tok + desc;
		int col = sort_column(m, e, name);
		if (col < 0)
			return bad_request(m, "cannot sort by '%s'", name);
		if (col == COL_ID)
			break; /* id is unique: keys after it would never matter */
		/* amounts are compared only within their currency: by the currency first */
		int money = e->cols[col].field && e->cols[col].field->type == F_MONEY && !e->cols[col].currency;
		for (int k = money; k >= 0; k--) {
			if (pl->norder == MAX_SORT)
				return bad_request(m, "sort by at most %s fields", "4");
			pl->order_col[pl->norder] = col + k;
			pl->order[pl->norder++] = (store_order){ e->cols[col + k].name, desc, column_nulls(e, (size_t)(col + k)) };
		}
	}
	/* The id ends every order, so that the cursor always names one place;
	 * it runs the way the last key runs, so that one index serves both. */
	int desc = pl->norder ? pl->order[pl->norder - 1].desc : sort && strcmp(sort, "-id") == 0;
	pl->order_col[pl->norder] = COL_ID;
	pl->order[pl->norder++] = (store_order){ "id", desc, NOT_NULL };
	return 0;
}

/* The cursor: the last row's sort keys as a JSON array, in URL-safe base64. */
static void cursor_encode(model_ctx *m, const plan *pl, const store_value *row, buf *out)
{
	buf json = BUF_INIT;
	buf_putc(&json, '[');
	for (int i = 0; i < pl->norder; i++) {
		store_value v = row[pl->order_col[i]];
		buf_puts(&json, i ? "," : "");
		if (v.type == SV_INT)
			buf_json_int(&json, v.i);
		else if (v.type == SV_TEXT)
			buf_json_str(&json, v.s, v.n);
		else
			buf_puts(&json, "null");
	}
	buf_putc(&json, ']');
	size_t n = sodium_base64_ENCODED_LEN(json.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *b64 = arena_alloc(&m->a, n);
	sodium_bin2base64(b64, n, (const unsigned char *)json.data, json.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_json_cstr(out, b64);
	buf_free(&json);
}

static int cursor_decode(model_ctx *m, const entity *e, const char *cursor, plan *pl)
{
	size_t len = strlen(cursor), n = 0;
	unsigned char *bin = arena_alloc(&m->a, len + 1);
	if (sodium_base642bin(bin, len, cursor, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return bad_request(m, "the cursor '%s' is not one this list handed out", cursor);
	json_t *keys = json_loadb((const char *)bin, n, 0, NULL);
	int ok = json_is_array(keys) && json_array_size(keys) == (size_t)pl->norder;
	pl->after = arena_alloc(&m->a, (size_t)pl->norder * sizeof *pl->after);
	for (int i = 0; ok && i < pl->norder; i++) {
		json_t *k = json_array_get(keys, (size_t)i);
		int text = !e->cols[pl->order_col[i]].is_int;
		if (json_is_integer(k) && !text)
			pl->after[i] = SV_INT_(json_integer_value(k));
		else if (json_is_string(k) && text)
			pl->after[i] = sv_text(arena_strdup(&m->a, json_string_value(k)));
		else if (json_is_null(k))
			pl->after[i] = SV_NUL;
		else
			ok = 0;
	}
	json_decref(keys);
	if (!ok)
		return bad_request(m, "the cursor '%s' does not fit this list and sort", cursor);
	return 0;
}

typedef struct walk {
	model_ctx *m;
	store_conn *c;
	const entity *e;
	const plan *pl;
	int64_t limit, n;
	record r;
} walk;

static int item(void *ctx, store_row *row)
{
	walk *w = ctx;
	if (w->n == w->limit) { /* one row past the page: there is a next page */
		buf_puts(&w->m->body, "],\"next_cursor\":");
		cursor_encode(w->m, w->pl, w->r.v, &w->m->body);
		w->n++;
		return 1;
	}
	store_row_copy(row, (int)w->e->ncols, w->r.v, &w->m->a);
	buf_puts(&w->m->body, w->n++ ? "," : "");
	model_record_json(w->m, w->c, &w->r, &w->m->body);
	return 0;
}

store_cond model_linked(model_ctx *m, const entity *e, const char *field, const char *kind, store_value id)
{
	store_cond *w = arena_alloc(&m->a, 4 * sizeof *w);
	w[0] = COND_EQ("kind", sv_text(e->def->name));
	w[1] = COND_EQ("field", sv_text(field));
	w[2] = COND_EQ("target_kind", sv_text(kind));
	w[3] = COND_EQ("target_id", id);
	return (store_cond){ .col = "id", .op = OP_IN_SELECT, .sub = w, .nsub = 4, .sub_table = "links",
			     .sub_col = "record_id" };
}

typedef struct id_sink {
	model_ctx *m;
	model_ids *out;
} id_sink;

static int take_id(void *ctx, store_row *r)
{
	id_sink *k = ctx;
	model_ids *l = k->out;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		int64_t *v = arena_alloc(&k->m->a, cap * sizeof *v);
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = store_int(r, 0);
	return 0;
}

int model_select_ids(model_ctx *m, store_conn *c, const store_select *q, model_ids *out)
{
	*out = (model_ids){ 0 };
	id_sink k = { m, out };
	return store_query(c, q, take_id, &k);
}

/* ?view=NAME: the kind's named part of the list (registry.h list_view). */
static int add_view(model_ctx *m, const entity *e, const char *name, plan *pl)
{
	const list_view *v = entity_view(e, name);
	if (!v)
		return bad_request(m, "'%s' is not a view of this list", name);
	int n = v->conditions(m, e, pl->where + pl->nwhere);
	if (n < 0 || n > VIEW_CONDS_MAX)
		return n < 0 ? -1 : model_fail(m, 500, "View error", "the view '%s' has too many conditions", name);
	pl->nwhere += n;
	return 0;
}

/* The conditions of a list but the visibility one (access_visible adds it
 * last): the caller's own, archived, the filters.  Room for one more. */
static int plan_where(model_ctx *m, const entity *e, const list_params *p, plan *pl)
{
	pl->where = arena_alloc(&m->a, ((size_t)p->nfilters + (size_t)p->nextra + VIEW_CONDS_MAX + 2) * sizeof *pl->where);
	for (int i = 0; i < p->nextra; i++)
		pl->where[pl->nwhere++] = p->extra[i];
	if (p->view && add_view(m, e, p->view, pl))
		return -1;
	if (!p->archived)
		pl->where[pl->nwhere++] = COND_EQ("archived", SV_INT_(0));
	return add_filters(m, e, p, pl);
}

int model_count(model_ctx *m, const entity *e, const list_params *p, int64_t upto, int64_t *n)
{
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read %s", e->def->name);
	plan pl = { 0 };
	if (plan_where(m, e, p, &pl))
		return -1;
	access_visible(m, e, pl.where, &pl.nwhere);
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (store_count_upto(c, e->def->table, pl.where, pl.nwhere, upto, n) != STORE_OK)
		return model_fail(m, 500, "Store error", "the records could not be counted");
	return 0;
}

int model_list(model_ctx *m, const entity *e, const list_params *p)
{
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read %s", e->def->name);
	if (p->limit < 1 || p->limit > 500)
		return bad_request(m, "limit must be between 1 and 500, not %s",
				   arena_printf(&m->a, "%" PRId64, p->limit));
	plan pl = { 0 };
	if (plan_where(m, e, p, &pl) || add_order(m, e, p->sort, &pl) ||
	    (p->cursor && *p->cursor && cursor_decode(m, e, p->cursor, &pl)))
		return -1;
	access_visible(m, e, pl.where, &pl.nwhere);
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	walk w = { m, c, e, &pl, p->limit, 0, { e, arena_alloc(&m->a, e->ncols * sizeof(store_value)), NULL, NULL } };
	store_select q = { .table = e->def->table, .cols = e->colnames, .ncols = (int)e->ncols, .where = pl.where,
			   .nwhere = pl.nwhere, .order = pl.order, .norder = pl.norder, .after = pl.after,
			   .limit = p->limit + 1 };
	buf_puts(&m->body, "{\"items\":[");
	if (store_query(c, &q, item, &w) != STORE_OK)
		return model_fail(m, 500, "Store error", "the list could not be read");
	if (w.n <= p->limit)
		buf_puts(&m->body, "],\"next_cursor\":null");
	buf_putc(&m->body, '}');
	m->status = 200;
	return 0;
}
