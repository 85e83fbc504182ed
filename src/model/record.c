/*
 * record — the generic operations on records of any kind: get, create,
 * update, archive, list.  Each write is one transaction that holds the
 * record, its links and its audit entry, so a request happens entirely or
 * not at all.
 */
#include "model/model.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "formats/money.h"
#include "model/access.h"
#include "model/audit.h"
#include "model/search.h"
#include "model/validate.h"
#include "model/workflow.h"
#include "model/i18n.h"

const user public_user = { 0, NULL, ROLE_PUBLIC, NULL, 0, "en" };

void model_init(model_ctx *m, store *st, const registry *reg, const user *u)
{
	memset(m, 0, sizeof *m);
	m->st = st;
	m->reg = reg;
	m->u = u ? u : &public_user;
	m->lang = i18n_lang(m->u->language) < 0 ? LANG_EN : i18n_lang(m->u->language);
	m->hold = json_array();
}

void model_done(model_ctx *m)
{
	arena_free(&m->a);
	buf_free(&m->body);
	free(m->errors);
	json_decref(m->hold);
	m->errors = NULL;
	m->hold = NULL;
}

int model_fail(model_ctx *m, int status, const char *title, const char *fmt, ...)
{
	/* A failure of the server's own carries no extra members, and an answer
	 * that was being written when it struck is not the answer. */
	if (status >= 500)
		buf_reset(&m->body);
	/* A write the disk refused is no fault of the request and passes once
	 * space returns: a 503, whichever step of the operation noticed it. */
	if (status == 500 && store_disk_refused(m->st))
		return model_fail(m, 503, "Disk full",
				  "the server's disk is full or failing, so nothing was saved; reading goes on, and "
				  "writing works again once space is freed");
	va_list ap;
	va_start(ap, fmt);
	buf d = BUF_INIT;
	buf_vprintf(&d, fmt, ap);
	va_end(ap);
	m->status = status;
	m->title = title;
	m->detail = arena_strdup(&m->a, buf_str(&d));
	buf_free(&d);
	return -1;
}

void model_field_error(model_ctx *m, const char *field, const char *fmt, ...)
{
	if (m->nerrors == m->caperrors) {
		m->caperrors = m->caperrors ? m->caperrors * 2 : 8;
		m->errors = realloc(m->errors, m->caperrors * sizeof *m->errors);
		if (!m->errors)
			abort();
	}
	va_list ap;
	va_start(ap, fmt);
	buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	m->errors[m->nerrors++] = (field_error){ arena_strdup(&m->a, field), arena_strdup(&m->a, buf_str(&msg)) };
	buf_free(&msg);
}

int64_t model_parse_id(const char *s)
{
	if (!s || *s < '1' || *s > '9')
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return *end || errno ? 0 : v;
}

static record record_new(model_ctx *m, const entity *e)
{
	record r = { e, arena_alloc(&m->a, e->ncols * sizeof *r.v), arena_alloc(&m->a, e->ncols),
		     arena_alloc(&m->a, (e->def->nfields + 1) * sizeof *r.links) };
	return r;
}

record model_copy(model_ctx *m, const record *from)
{
	record r = record_new(m, from->e);
	memcpy(r.v, from->v, from->e->ncols * sizeof *r.v);
	return r;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct into {
	model_ctx *m;
	record *r;
	int found;
} into;

static int take_row(void *ctx, store_row *row)
{
	into *in = ctx;
	store_row_copy(row, (int)in->r->e->ncols, in->r->v, &in->m->a);
	in->found = 1;
	return 1;
}

/* sql: the text of this select when built once (e->load_sql, by id), or
 * NULL.  1 when found, 0 when not, -1 when the store failed. */
static int fetch_where(model_ctx *m, store_conn *c, const entity *e, store_cond w, const char *sql, record *out)
{
	*out = record_new(m, e);
	into in = { m, out, 0 };
	store_select q = { .table = e->def->table, .cols = e->colnames, .ncols = (int)e->ncols, .where = &w, .nwhere = 1,
			   .sql = sql };
	if (store_query(c, &q, take_row, &in) != STORE_OK)
		return -1;
	return in.found;
}

static int load_where(model_ctx *m, store_conn *c, const entity *e, store_cond w, const char *sql, record *out)
{
	int found = fetch_where(m, c, e, w, sql, out);
	if (found < 0)
		return model_fail(m, 500, "Store error", "the record could not be read");
	if (!found)
		return model_fail(m, 404, "Not found", "no %s with that id", e->def->label);
	return 0;
}

int model_fetch(model_ctx *m, store_conn *c, const entity *e, int64_t id, record *out)
{
	return fetch_where(m, c, e, COND_EQ("id", SV_INT_(id)), e->load_sql, out);
}

int model_fetch_where(model_ctx *m, store_conn *c, const entity *e, const char *field, store_value v, record *out)
{
	return fetch_where(m, c, e, COND_EQ(field, v), NULL, out);
}

void model_answer(model_ctx *m, json_t *answer)
{
	char *text = json_dumps(answer, JSON_COMPACT | JSON_REAL_PRECISION(6));  /* scores and shares, not money */
	buf_puts(&m->body, text ? text : "{}");
	free(text);
	json_decref(answer);
	m->status = 200;
}

int model_fetch_ref(model_ctx *m, store_conn *c, const record *r, const char *field, record *out)
{
	const field_def *f = entity_field(r->e, field);
	const store_value *v = record_field(r, field);
	const entity *e = registry_find(m->reg, f->ref);
	if (v->type == SV_NULL)
		return 0;
	return f->ref_key ? model_fetch_where(m, c, e, f->ref_key, *v, out) : model_fetch(m, c, e, v->i, out);
}

int model_load(model_ctx *m, store_conn *c, const entity *e, int64_t id, record *out)
{
	return load_where(m, c, e, COND_EQ("id", SV_INT_(id)), e->load_sql, out);
}

/* By id, or by the kind's key field (a country's ISO code). */
static int load_by(model_ctx *m, store_conn *c, const entity *e, const char *id, record *out)
{
	int64_t n = model_parse_id(id);
	if (n > 0)
		return model_load(m, c, e, n, out);
	if (e->def->key_field && id && *id)
		return load_where(m, c, e, COND_EQ(e->def->key_field, sv_text(id)), NULL, out);
	return model_fail(m, 404, "Not found", "no %s with that id", e->def->label);
}

/* ---- JSON ------------------------------------------------------------------ */

static void value_json(buf *out, const column *col, store_value v)
{
	if (v.type == SV_NULL) {
		buf_puts(out, "null");
	} else if (v.type == SV_INT) {
		if (col->field && col->field->type == F_BOOL)
			buf_puts(out, v.i ? "true" : "false");
		else
			buf_json_int(out, v.i);
	} else if (col->field && (col->field->type == F_LIST || col->field->type == F_EMAILS)) {
		buf_add(out, v.s, v.n); /* stored as canonical JSON */
	} else {
		buf_json_str(out, v.s, v.n);
	}
}

/* {"amount": "1250000.00", "currency": "USD"}, or null. */
static void money_json(buf *out, store_value amount, store_value currency)
{
	if (amount.type != SV_INT || currency.type != SV_TEXT) {
		buf_puts(out, "null");
		return;
	}
	buf_puts(out, "{\"amount\":\"");
	money_format_plain(amount.i, currency.s, out);
	buf_puts(out, "\",\"currency\":");
	buf_json_str(out, currency.s, currency.n);
	buf_putc(out, '}');
}

typedef struct link_walk {
	buf *out;
	const char *field;
	int n;
} link_walk;

static int link_json(void *ctx, store_row *r)
{
	link_walk *w = ctx;
	buf_puts(w->out, w->n++ ? "," : "");
	buf_puts(w->out, "{\"kind\":");
	buf_json_cstr(w->out, store_text(r, 0, NULL));
	buf_printf(w->out, ",\"id\":%" PRId64 ",\"role\":", store_int(r, 1));
	buf_json_cstr(w->out, store_text(r, 2, NULL));
	buf_putc(w->out, '}');
	return 0;
}

static void links_json(model_ctx *m, store_conn *c, const record *r, const field_def *f, buf *out)
{
	store_cond w[] = { COND_EQ("kind", sv_text(r->e->def->name)), COND_EQ("record_id", r->v[COL_ID]),
			   COND_EQ("field", sv_text(f->name)) };
	store_order o = { "position", 0, 0 };
	store_select q = { .table = "links", .cols = (const char *[]){ "target_kind", "target_id", "role" },
			   .ncols = 3, .where = w, .nwhere = 3, .order = &o, .norder = 1 };
	link_walk lw = { out, f->name, 0 };
	buf_putc(out, '[');
	if (store_query(c, &q, link_json, &lw) != STORE_OK)
		model_fail(m, 500, "Store error", "links of the record could not be read");
	buf_putc(out, ']');
}

void model_record_json(model_ctx *m, store_conn *c, const record *r, buf *out)
{
	const entity *e = r->e;
	buf_puts(out, "{\"id\":");
	buf_json_int(out, r->v[COL_ID].i);
	buf_puts(out, ",\"version\":");
	buf_json_int(out, r->v[COL_VERSION].i);
	buf_puts(out, r->v[COL_ARCHIVED].i ? ",\"archived\":true" : ",\"archived\":false");
	for (size_t i = COL_CLASSIFICATION; i < e->ncols; i++) {
		const column *col = &e->cols[i];
		if (col->lang > 0 || col->currency)
			continue; /* written with its English sibling, or its amount */
		const char *name = col->field ? col->field->name : col->name;
		buf_puts(out, ",");
		buf_json_cstr(out, name);
		buf_putc(out, ':');
		if (col->lang == 0) {
			buf_putc(out, '{');
			for (int l = 0; l < NLANGS; l++) {
				static const char *const keys[NLANGS] = { "\"en\":", ",\"fr\":", ",\"es\":" };
				buf_puts(out, keys[l]);
				value_json(out, col, r->v[i + (size_t)l]);
			}
			buf_putc(out, '}');
		} else if (col->field && col->field->type == F_MONEY) {
			money_json(out, r->v[i], r->v[i + 1]);
		} else {
			value_json(out, col, r->v[i]);
		}
	}
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (f->type != F_LINKS)
			continue;
		buf_puts(out, ",");
		buf_json_cstr(out, f->name);
		buf_putc(out, ':');
		links_json(m, c, r, f, out);
	}
	buf_putc(out, '}');
}

/* ---- writing --------------------------------------------------------------- */

static int same_value(store_value a, store_value b)
{
	if (a.type != b.type)
		return 0;
	if (a.type == SV_INT)
		return a.i == b.i;
	if (a.type == SV_TEXT)
		return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
	return 1;
}

/* {"field": {"before": x, "after": y}, ...} over the columns that changed.
 * An erasure records which fields it emptied, never what they held. */
static void changes_json(const record *before, const record *after, int erasure, buf *out)
{
	const entity *e = after->e;
	int n = 0;
	buf_putc(out, '{');
	for (size_t i = COL_CLASSIFICATION; i < e->ncols; i++) {
		if (i == COL_UPDATED_AT || i == COL_UPDATED_BY || i == COL_CREATED_AT || i == COL_CREATED_BY)
			continue;
		store_value b = before ? before->v[i] : SV_NUL;
		if (same_value(b, after->v[i]))
			continue;
		const column *col = &e->cols[i];
		buf_puts(out, n++ ? "," : "");
		buf_json_cstr(out, col->name);
		if (erasure) {
			buf_puts(out, ":{\"erased\":true}");
			continue;
		}
		buf_puts(out, ":{\"before\":");
		value_json(out, col, b);
		buf_puts(out, ",\"after\":");
		value_json(out, col, after->v[i]);
		buf_putc(out, '}');
	}
	for (size_t i = 0; i < e->def->nfields; i++) {
		if (!after->links[i])
			continue;
		char *text = json_dumps(after->links[i], JSON_COMPACT);
		buf_puts(out, n++ ? "," : "");
		buf_json_cstr(out, e->def->fields[i].name);
		buf_printf(out, ":{\"after\":%s}", text ? text : "null");
		free(text);
	}
	buf_putc(out, '}');
}

static int write_links(store_conn *c, const record *r)
{
	const entity *e = r->e;
	for (size_t i = 0; i < e->def->nfields; i++) {
		json_t *list = r->links[i];
		if (!list)
			continue;
		const char *field = e->def->fields[i].name;
		store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", r->v[COL_ID]),
				   COND_EQ("field", sv_text(field)) };
		if (store_delete(c, "links", w, 3) != STORE_OK)
			return -1;
		size_t k;
		json_t *item;
		json_array_foreach(list, k, item) {
			static const char *const cols[] = { "kind", "record_id", "field", "position",
							    "target_kind", "target_id", "role" };
			const char *role = json_string_value(json_object_get(item, "role"));
			store_value v[] = { sv_text(e->def->name), r->v[COL_ID], sv_text(field), SV_INT_((int64_t)k),
					    sv_text(json_string_value(json_object_get(item, "kind"))),
					    SV_INT_(json_integer_value(json_object_get(item, "id"))),
					    sv_text(role && *role ? role : NULL) };  /* an empty role is none */
			if (store_insert(c, "links", cols, v, 7, NULL) != STORE_OK)
				return -1;
		}
	}
	return 0;
}

static int constraint_failed(model_ctx *m, const entity *e)
{
	return model_fail(m, 409, "Conflict", "another %s already has one of these unique values", e->def->label);
}

/* ---- inherited access ------------------------------------------------------- */

/* A record of a kind with a parent repeats its parent's classification and
 * division, so that people see them on it (access itself always asks the
 * parent: access.c). */
static int inherit_access(model_ctx *m, store_conn *c, record *r)
{
	record parent;
	if (!access_parent(m, c, r, &parent))
		return model_fail(m, 500, "Store error", "the record this %s belongs to could not be read", r->e->def->label);
	r->v[COL_CLASSIFICATION] = parent.v[COL_CLASSIFICATION];
	r->v[COL_DIVISION] = parent.v[COL_DIVISION];
	return 0;
}

static int take_id(void *ctx, store_row *row)
{
	json_array_append_new(ctx, json_integer(store_int(row, 0)));
	return 0;
}

json_t *model_child_ids(model_ctx *m, store_conn *c, const entity *child, const record *parent)
{
	json_t *ids = json_array();
	json_array_append_new(m->hold, ids);
	store_cond w = COND_EQ(child->cols[child->parent_col].name, parent->v[COL_ID]);
	store_select q = { .table = child->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = &w,
			   .nwhere = 1 };
	return store_query(c, &q, take_id, ids) == STORE_OK ? ids : NULL;
}

/* After a record moved to another classification or division, the records
 * that take their access from it follow (rows and search entries; no new
 * versions: the parent's audit entry says what changed). */
static int inherit_children(model_ctx *m, store_conn *c, const record *parent)
{
	for (size_t k = 0; k < m->reg->n; k++) {
		const entity *child = &m->reg->v[k];
		if (child->parent != parent->e)
			continue;
		json_t *ids = model_child_ids(m, c, child, parent);
		if (!ids)
			return -1;
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id) {
			record r;
			if (model_fetch(m, c, child, json_integer_value(id), &r) != 1)
				return -1;
			r.v[COL_CLASSIFICATION] = parent->v[COL_CLASSIFICATION];
			r.v[COL_DIVISION] = parent->v[COL_DIVISION];
			store_cond by_id = COND_EQ("id", r.v[COL_ID]);
			if (store_update(c, child->def->table, (const char *[]){ "classification", "division" },
					 &r.v[COL_CLASSIFICATION], 2, &by_id, 1, NULL) != STORE_OK ||
			    search_refresh_record(m, c, &r) || (child->has_children && inherit_children(m, c, &r)))
				return -1;
		}
	}
	return 0;
}

static int moved(const record *before, const record *after)
{
	return !same_value(before->v[COL_CLASSIFICATION], after->v[COL_CLASSIFICATION]) ||
	       !same_value(before->v[COL_DIVISION], after->v[COL_DIVISION]);
}

/*
 * Writes r (new when before is NULL) with its links and audit entry.  An
 * update only succeeds against the version it was read at; the caller holds
 * the write lock, so that cannot change underneath, but the WHERE says so
 * anyway: the database, not the caller, is the last word on versions.
 */
int model_write_record(model_ctx *m, store_conn *c, record *r, const record *before, const char *action)
{
	const entity *e = r->e;
	char now[32];
	clock_now_iso(now);
	store_value who = m->u->id > 0 ? SV_INT_(m->u->id) : SV_NUL;
	r->v[COL_UPDATED_AT] = sv_text(arena_strdup(&m->a, now));
	r->v[COL_UPDATED_BY] = who;
	if (e->parent && inherit_access(m, c, r))
		return -1;
	if (!before) {
		r->v[COL_VERSION] = SV_INT_(1);
		r->v[COL_ARCHIVED] = SV_INT_(0);
		r->v[COL_CREATED_AT] = r->v[COL_UPDATED_AT];
		r->v[COL_CREATED_BY] = who;
		int64_t id;
		int first = r->v[COL_ID].type == SV_INT ? COL_ID : COL_ID + 1; /* an id chosen by the caller, or the next */
		int rc = store_insert(c, e->def->table, e->colnames + first, r->v + first, (int)e->ncols - first, &id);
		if (rc == STORE_CONSTRAINT)
			return constraint_failed(m, e);
		if (rc != STORE_OK)
			return model_fail(m, 500, "Store error", "the %s could not be written", e->def->label);
		r->v[COL_ID] = SV_INT_(id);
	} else {
		r->v[COL_VERSION] = SV_INT_(before->v[COL_VERSION].i + 1);
		store_cond w[] = { COND_EQ("id", before->v[COL_ID]), COND_EQ("version", before->v[COL_VERSION]) };
		int changed = 0;
		int rc = store_update(c, e->def->table, e->colnames + 1, r->v + 1, (int)e->ncols - 1, w, 2, &changed);
		if (rc == STORE_CONSTRAINT)
			return constraint_failed(m, e);
		if (rc != STORE_OK)
			return model_fail(m, 500, "Store error", "the %s could not be written", e->def->label);
		if (!changed)
			return model_fail(m, 412, "Precondition failed", "the %s was changed by someone else", e->def->label);
	}
	if (e->def->after_write && e->def->after_write(m, c, e, r))
		return -1;
	if (e->has_children && before && moved(before, r) && inherit_children(m, c, r))
		return model_fail(m, 500, "Store error", "the records of this %s could not follow it", e->def->label);
	if (search_index_record(m, c, r))
		return model_fail(m, 500, "Store error", "the search index could not be written");
	buf changes = BUF_INIT;
	changes_json(before, r, strcmp(action, "erase") == 0, &changes);
	int rc = write_links(c, r) ||
		 audit_append(c, m->u, action, e->def->name, r->v[COL_ID].i, r->v[COL_VERSION].i, buf_str(&changes));
	buf_free(&changes);
	if (rc)
		return model_fail(m, 500, "Store error", "the %s could not be written", e->def->label);
	m->id = r->v[COL_ID].i;
	m->version = r->v[COL_VERSION].i;
	return 0;
}

/* ---- operations ------------------------------------------------------------ */

static int forbidden(model_ctx *m, const char *what)
{
	return model_fail(m, 403, "Forbidden", "your role may not %s", what);
}

int model_find(model_ctx *m, store_conn *c, const entity *e, const char *id, record *r)
{
	if (!access_kind(m->u, e, OP_READ))
		return forbidden(m, "read these records");
	if (load_by(m, c, e, id, r))
		return -1;
	if (!access_record(m, c, e, r, OP_READ))
		return model_fail(m, 404, "Not found", "no %s with that id", e->def->label);
	return 0;
}

int model_read(model_ctx *m, const entity *e, const char *id, record *out)
{
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	return model_find(m, c, e, id, out);
}

int model_get(model_ctx *m, const entity *e, const char *id)
{
	record r;
	if (model_read(m, e, id, &r))
		return -1;
	model_record_json(m, store_reader(m->st), &r, &m->body);
	m->id = r.v[COL_ID].i;
	m->version = r.v[COL_VERSION].i;
	m->status = 200;
	return 0;
}

int model_finish_write(model_ctx *m, store_conn *c, record *r, int status)
{
	buf_reset(&m->body);
	model_record_json(m, c, r, &m->body);
	if (m->status) {
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the change could not be committed");
	m->status = status;
	return 0;
}

/* The kind's own sets of roles; an area's own operation asks the kind's
 * area_writes when its area writes it alone (then access_record_domain, with
 * the record). */
static int may_create(const user *u, const entity *e, unsigned flags)
{
	return (flags & CREATE_DOMAIN) ? access_kind_domain(u, e, OP_CREATE) : access_kind(u, e, OP_CREATE);
}

store_value *record_field(const record *r, const char *name)
{
	int col = entity_column(r->e, name);
	if (col < 0) {
		log_event("error", "a record of %s has no field %s", r->e->def->name, name);
		abort();
	}
	return &r->v[col];
}

int record_given(const record *r, const char *name) { return r->set[record_field(r, name) - r->v]; }

const char *record_text(const record *r, const char *name)
{
	const store_value *v = record_field(r, name);
	return v->type == SV_TEXT ? v->s : NULL;
}

/* Everything a create checks, nothing written: on any connection, a reader's included. */
int model_build_create(model_ctx *m, store_conn *c, const entity *e, json_t *body, unsigned flags, record *out)
{
	if (!may_create(m->u, e, flags))
		return forbidden(m, "create records of this kind");
	record r = record_new(m, e);
	r.v[COL_CLASSIFICATION] = sv_text("internal");
	r.v[COL_DIVISION] = sv_text(m->u->division);
	workflow_default(&r);
	if (!(flags & CREATE_AS_IS))
		validate_defaults(m, &r);
	if (access_own_org(m->u, e) && e->def->org_field && m->u->org_id > 0)  /* theirs unless they say */
		r.v[entity_column(e, e->def->org_field)] = SV_INT_(m->u->org_id);
	if (validate_body(m, c, &r, body) || workflow_begin(m, &r, flags))
		return -1;
	r.v[COL_ID] = SV_NUL;
	r.v[COL_CREATED_BY] = m->u->id > 0 ? SV_INT_(m->u->id) : SV_NUL; /* the creator reads a confidential record */
	if (!((flags & CREATE_DOMAIN) ? access_record_domain : access_record)(m, c, e, &r, OP_CREATE))
		return forbidden(m, e->parent ? "add to that record" : "create records for that division");
	if (!(flags & CREATE_FORCE) && e->def->before_create && e->def->before_create(m, c, e, &r))
		return -1;
	*out = r;
	return 0;
}

int model_insert(model_ctx *m, store_conn *c, record *r)
{
	if (r->e->def->prepare && r->e->def->prepare(m, c, r->e, r))
		return -1;
	return model_write_record(m, c, r, NULL, "create");
}

/* A create inside the caller's transaction; the record is left in *out. */
int model_create_in(model_ctx *m, store_conn *c, const entity *e, json_t *body, unsigned flags, record *out)
{
	record r;
	if (model_build_create(m, c, e, body, flags, &r) || model_insert(m, c, &r))
		return -1;
	*out = r;
	return 0;
}

int model_create(model_ctx *m, const entity *e, json_t *body, unsigned flags)
{
	if (!access_kind(m->u, e, OP_CREATE))
		return forbidden(m, "create records of this kind");
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record r;
	if (model_create_in(m, c, e, body, flags, &r)) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &r, 201);
}

/* Loads a record for a write and checks the caller may see it, write it and
 * has the current version.  A record the caller cannot see is a 404. */
static int load_for_write(model_ctx *m, store_conn *c, const entity *e, const char *id, access_op op,
			  int64_t if_match, record *r)
{
	if (load_by(m, c, e, id, r))
		return -1;
	if (!access_record(m, c, e, r, OP_READ))
		return model_fail(m, 404, "Not found", "no %s with that id", e->def->label);
	if (!access_record(m, c, e, r, op))
		return forbidden(m, "change this record");
	if (if_match && r->v[COL_VERSION].i != if_match)
		return model_fail(m, 412, "Precondition failed",
				  "the %s is at version %" PRId64 ", not the one you read; reload it and apply your change again",
				  e->def->label, r->v[COL_VERSION].i);
	return 0;
}

int model_build_update(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t if_match, json_t *patch,
		       record *before, record *after)
{
	if (!access_kind(m->u, e, OP_UPDATE))
		return forbidden(m, "change records of this kind");
	if (load_for_write(m, c, e, id, OP_UPDATE, if_match, before))
		return -1;
	if (before->v[COL_ARCHIVED].i)
		return model_fail(m, 409, "Archived", "this %s is archived and cannot be changed", e->def->label);
	*after = model_copy(m, before);
	if (validate_body(m, c, after, patch))
		return -1;
	if (!access_record(m, c, e, after, OP_UPDATE))
		return forbidden(m, "move this record to that division or classification");
	return workflow_follow(m, c, before, after);
}

int model_changed(const record *before, const record *after)
{
	const entity *e = after->e;
	for (size_t i = COL_CLASSIFICATION; i < e->ncols; i++)
		if (!same_value(before->v[i], after->v[i]))
			return 1;
	for (size_t i = 0; i < e->def->nfields; i++)
		if (after->links[i])
			return 1;
	return 0;
}

int model_update_in(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t if_match, json_t *patch,
		    record *out)
{
	record before, after;
	if (model_build_update(m, c, e, id, if_match, patch, &before, &after) ||
	    model_write_record(m, c, &after, &before, "update"))
		return -1;
	*out = after;
	return 0;
}

int model_update(model_ctx *m, const entity *e, const char *id, int64_t if_match, json_t *patch)
{
	if (!access_kind(m->u, e, OP_UPDATE))
		return forbidden(m, "change records of this kind");
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record r;
	if (model_update_in(m, c, e, id, if_match, patch, &r)) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &r, 200);
}

int model_archive(model_ctx *m, const entity *e, const char *id)
{
	if (!access_kind(m->u, e, OP_ARCHIVE))
		return forbidden(m, "archive records of this kind");
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record before, after;
	if (load_for_write(m, c, e, id, OP_ARCHIVE, 0, &before))
		goto fail;
	if (before.v[COL_ARCHIVED].i) { /* archiving twice changes nothing */
		store_rollback(c);
		m->status = 204;
		return 0;
	}
	after = model_copy(m, &before);
	after.v[COL_ARCHIVED] = SV_INT_(1);
	if (model_write_record(m, c, &after, &before, "archive"))
		goto fail;
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the change could not be committed");
	m->status = 204;
	return 0;
fail:
	store_rollback(c);
	return -1;
}
