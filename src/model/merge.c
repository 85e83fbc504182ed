/*
 * merge — see merge.h.  Everything happens in one write transaction.
 */
#include "model/merge.h"

#include <inttypes.h>
#include <string.h>

#include "core/clock.h"
#include "model/access.h"
#include "model/audit.h"

typedef struct merge_run {
	model_ctx *m;
	store_conn *c;
	const entity *e;
	int64_t keep, gone;
	json_t *moves;        /* see 003_merges.sql */
	json_t *kept_before;  /* column -> value before the merge */
} merge_run;

static json_t *value_json(store_value v)
{
	if (v.type == SV_INT)
		return json_integer(v.i);
	if (v.type == SV_TEXT)
		return json_stringn(v.s, v.n);
	return json_null();
}

static store_value value_of(model_ctx *m, json_t *j)
{
	if (json_is_integer(j))
		return SV_INT_(json_integer_value(j));
	if (json_is_string(j))
		return (store_value){ SV_TEXT, 0, arena_strdup(&m->a, json_string_value(j)), json_string_length(j) };
	return SV_NUL;
}

/* Sets one column of one record through an ordinary audited write. */
static int set_column(model_ctx *m, store_conn *c, const entity *x, int64_t id, int col, store_value v, const char *action)
{
	record before;
	if (model_load(m, c, x, id, &before))
		return -1;
	record after = model_copy(m, &before);
	after.v[col] = v;
	return model_write_record(m, c, &after, &before, action);
}

/* ---- the kept record gains what it lacked -------------------------------------- */

static store_value joined_list(model_ctx *m, store_value a, store_value b)
{
	json_t *x = json_loadb(a.s, a.n, 0, NULL), *y = json_loadb(b.s, b.n, 0, NULL);
	size_t i, j;
	json_t *item, *have;
	json_array_foreach(y, i, item) {
		int dup = 0;
		json_array_foreach(x, j, have) dup |= json_equal(item, have);
		if (!dup)
			json_array_append(x, item);
	}
	char *s = json_dumps(x, JSON_COMPACT);
	store_value v = sv_text(arena_strdup(&m->a, s));
	free(s);
	json_decref(x);
	json_decref(y);
	return v;
}

static int absorb(merge_run *run, const record *keep, const record *gone)
{
	const entity *e = run->e;
	record after = model_copy(run->m, keep);
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		store_value k = keep->v[i], g = gone->v[i];
		const field_def *f = e->cols[i].field;
		if (g.type == SV_NULL || (f->flags & (UNIQUE | READONLY)))
			continue;
		if (k.type == SV_NULL)
			after.v[i] = g;
		else if (f->type == F_LIST || f->type == F_EMAILS)
			after.v[i] = joined_list(run->m, k, g);
		else
			continue;
		json_object_set_new(run->kept_before, e->cols[i].name, value_json(k));
	}
	return model_write_record(run->m, run->c, &after, keep, "merge");
}

/* ---- references move from the merged record to the kept one -------------------- */

static int move_column(merge_run *run, const entity *x, size_t col)
{
	model_ids found;
	store_cond w = COND_EQ(x->cols[col].name, SV_INT_(run->gone));
	store_select q = { .table = x->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = &w, .nwhere = 1 };
	if (model_select_ids(run->m, run->c, &q, &found) != STORE_OK)
		return model_fail(run->m, 500, "Store error", "references could not be read");
	for (size_t i = 0; i < found.n; i++) {
		if (x == run->e && found.v[i] == run->keep)
			continue; /* the kept record pointing at the merged one keeps its pointer */
		if (set_column(run->m, run->c, x, found.v[i], (int)col, SV_INT_(run->keep), "merge"))
			return -1;
		json_array_append_new(run->moves, json_pack("{s:s, s:I, s:s}", "kind", x->def->name, "id",
							    (json_int_t)found.v[i], "column", x->cols[col].name));
	}
	return 0;
}

static int move_links(merge_run *run)
{
	model_ids found;
	store_cond w[] = { COND_EQ("target_kind", sv_text(run->e->def->name)), COND_EQ("target_id", SV_INT_(run->gone)) };
	store_select q = { .table = "links", .cols = (const char *[]){ "id" }, .ncols = 1, .where = w, .nwhere = 2 };
	if (model_select_ids(run->m, run->c, &q, &found) != STORE_OK)
		return model_fail(run->m, 500, "Store error", "links could not be read");
	for (size_t i = 0; i < found.n; i++) {
		store_cond one = COND_EQ("id", SV_INT_(found.v[i]));
		store_value v = SV_INT_(run->keep);
		if (store_update(run->c, "links", (const char *[]){ "target_id" }, &v, 1, &one, 1, NULL) != STORE_OK)
			return model_fail(run->m, 500, "Store error", "links could not be moved");
		json_array_append_new(run->moves, json_pack("{s:I}", "link", (json_int_t)found.v[i]));
	}
	return 0;
}

static int move_references(merge_run *run)
{
	const registry *reg = run->m->reg;
	for (size_t k = 0; k < reg->n; k++) {
		const entity *x = &reg->v[k];
		for (size_t col = NSYSCOLS; col < x->ncols; col++) {
			const field_def *f = x->cols[col].field;
			if (f->type == F_REF && !f->ref_key && strcmp(f->ref, run->e->def->name) == 0 && move_column(run, x, col))
				return -1;
		}
	}
	return move_links(run);
}

static int record_merge(merge_run *run)
{
	char now[32], *moves = json_dumps(run->moves, JSON_COMPACT), *before = json_dumps(run->kept_before, JSON_COMPACT);
	clock_now_iso(now);
	static const char *const cols[] = { "kind", "kept_id", "merged_id", "moves", "kept_before", "at", "user_id" };
	store_value v[] = { sv_text(run->e->def->name), SV_INT_(run->keep), SV_INT_(run->gone), sv_text(moves),
			    sv_text(before), sv_text(now), run->m->u->id > 0 ? SV_INT_(run->m->u->id) : SV_NUL };
	int64_t id = 0;
	int rc = store_insert(run->c, "merges", cols, v, 7, &id);
	free(moves);
	free(before);
	if (rc != STORE_OK)
		return model_fail(run->m, 500, "Store error", "the merge could not be recorded");
	run->m->id = id;
	return audit_append(run->c, run->m->u, "merge", "merges", id, 1, "{}") ? -1 : 0;
}

static int check_pair(model_ctx *m, store_conn *c, const entity *e, const char *keep_id, const char *merge_id,
		      record *keep, record *gone)
{
	if (!access_kind(m->u, e, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "your role may not merge %s", e->def->name);
	if (model_find(m, c, e, keep_id, keep) || model_find(m, c, e, merge_id, gone))
		return -1;
	if (keep->v[COL_ID].i == gone->v[COL_ID].i)
		return model_fail(m, 422, "Same record", "a record cannot be merged into itself");
	if (keep->v[COL_ARCHIVED].i || gone->v[COL_ARCHIVED].i)
		return model_fail(m, 409, "Archived", "archived records cannot be merged");
	if (!access_record(m, c, e, keep, OP_UPDATE) || !access_record(m, c, e, gone, OP_ARCHIVE))
		return model_fail(m, 403, "Forbidden", "you may not change both records");
	return 0;
}

int model_merge(model_ctx *m, const entity *e, const char *keep_id, const char *merge_id)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record keep, gone;
	merge_run run = { m, c, e, 0, 0, json_array(), json_object() };
	int rc = -1;
	if (check_pair(m, c, e, keep_id, merge_id, &keep, &gone))
		goto done;
	run.keep = keep.v[COL_ID].i;
	run.gone = gone.v[COL_ID].i;
	if (absorb(&run, &keep, &gone) || move_references(&run) ||
	    set_column(m, c, e, run.gone, COL_ARCHIVED, SV_INT_(1), "merged") || record_merge(&run))
		goto done;
	rc = 0;
done:
	json_decref(run.moves);
	json_decref(run.kept_before);
	if (rc) {
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the merge could not be committed");
	return model_merge_get(m, NULL);
}

/* ---- reading and undoing ---------------------------------------------------------- */

typedef struct merge_row {
	int found;
	int64_t id, kept, merged;
	const char *kind, *moves, *kept_before, *at, *undone_at;
} merge_row;

static int take_merge(void *ctx, store_row *r)
{
	void **p = ctx;
	merge_row *row = p[0];
	model_ctx *m = p[1];
	row->found = 1;
	row->id = store_int(r, 0);
	row->kind = arena_strdup(&m->a, store_text(r, 1, NULL));
	row->kept = store_int(r, 2);
	row->merged = store_int(r, 3);
	row->moves = arena_strdup(&m->a, store_text(r, 4, NULL));
	row->kept_before = arena_strdup(&m->a, store_text(r, 5, NULL));
	row->at = arena_strdup(&m->a, store_text(r, 6, NULL));
	row->undone_at = arena_strdup(&m->a, store_text(r, 7, NULL));
	return 1;
}

static int load_merge(model_ctx *m, store_conn *c, int64_t id, merge_row *row)
{
	static const char *const cols[] = { "id", "kind", "kept_id", "merged_id", "moves", "kept_before", "at", "undone_at" };
	store_cond w = COND_EQ("id", SV_INT_(id));
	store_select q = { .table = "merges", .cols = cols, .ncols = 8, .where = &w, .nwhere = 1 };
	void *ctx[] = { row, m };
	memset(row, 0, sizeof *row);
	if (id <= 0 || store_query(c, &q, take_merge, ctx) != STORE_OK || !row->found)
		return model_fail(m, 404, "Not found", "no merge with that id");
	record r;
	const entity *e = registry_find(m->reg, row->kind);
	char sid[32];
	snprintf(sid, sizeof sid, "%" PRId64, row->kept);
	if (!e || model_find(m, c, e, sid, &r)) /* a merge is as visible as its kept record */
		return model_fail(m, 404, "Not found", "no merge with that id");
	return 0;
}

static void merge_json(const merge_row *row, buf *out)
{
	json_t *moves = json_loads(row->moves, 0, NULL);
	buf_printf(out, "{\"id\":%" PRId64 ",\"kind\":", row->id);
	buf_json_cstr(out, row->kind);
	buf_printf(out, ",\"kept\":%" PRId64 ",\"merged\":%" PRId64 ",\"moved\":%zu,\"at\":", row->kept, row->merged,
		   json_array_size(moves));
	buf_json_cstr(out, row->at);
	buf_puts(out, ",\"undone_at\":");
	buf_json_cstr(out, row->undone_at);
	buf_puts(out, ",\"moves\":");
	buf_puts(out, row->moves);
	buf_putc(out, '}');
	json_decref(moves);
}

int model_merge_get(model_ctx *m, const char *merge_id)
{
	int64_t id = merge_id ? model_parse_id(merge_id) : m->id;
	store_conn *c = store_reader(m->st);
	merge_row row;
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (load_merge(m, c, id, &row))
		return -1;
	buf_reset(&m->body);
	merge_json(&row, &m->body);
	m->status = merge_id ? 200 : 201;
	m->version = 0;
	return 0;
}

typedef struct merges_walk {
	buf *out;
	int n;
} merges_walk;

static int take_merge_line(void *ctx, store_row *r)
{
	merges_walk *w = ctx;
	buf_printf(w->out, "%s{\"id\":%" PRId64 ",\"merged\":%" PRId64 ",\"at\":", w->n++ ? "," : "", store_int(r, 0),
		   store_int(r, 1));
	buf_json_cstr(w->out, store_text(r, 2, NULL));
	buf_puts(w->out, ",\"undone_at\":");
	buf_json_cstr(w->out, store_text(r, 3, NULL));
	buf_putc(w->out, '}');
	return 0;
}

int model_merges_into(model_ctx *m, const entity *e, int64_t kept_id)
{
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read %s", e->def->name);
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("kept_id", SV_INT_(kept_id)) };
	store_order newest = { "id", 1, NOT_NULL };
	store_select q = { .table = "merges", .cols = (const char *[]){ "id", "merged_id", "at", "undone_at" }, .ncols = 4,
			   .where = w, .nwhere = 2, .order = &newest, .norder = 1, .limit = 20 };
	buf_reset(&m->body);
	buf_puts(&m->body, "{\"items\":[");
	merges_walk mw = { &m->body, 0 };
	if (store_query(c, &q, take_merge_line, &mw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the merges could not be read");
	buf_puts(&m->body, "]}");
	m->status = 200;
	return 0;
}

/* Puts one moved reference back, when it still points where the merge put it. */
static int unmove(model_ctx *m, store_conn *c, const merge_row *row, json_t *move)
{
	json_t *link = json_object_get(move, "link");
	if (link) {
		store_cond w[] = { COND_EQ("id", SV_INT_(json_integer_value(link))), COND_EQ("target_id", SV_INT_(row->kept)) };
		store_value v = SV_INT_(row->merged);
		return store_update(c, "links", (const char *[]){ "target_id" }, &v, 1, w, 2, NULL) == STORE_OK ? 0 : -1;
	}
	const entity *x = registry_find(m->reg, json_string_value(json_object_get(move, "kind")));
	int col = x ? entity_column(x, json_string_value(json_object_get(move, "column"))) : -1;
	record now;
	if (col < 0 || model_load(m, c, x, json_integer_value(json_object_get(move, "id")), &now)) {
		m->status = 0; /* gone since: nothing to put back */
		return 0;
	}
	if (now.v[col].type != SV_INT || now.v[col].i != row->kept)
		return 0; /* changed since the merge: leave it */
	return set_column(m, c, x, now.v[COL_ID].i, col, SV_INT_(row->merged), "unmerge");
}

static int restore_kept(model_ctx *m, store_conn *c, const entity *e, const merge_row *row)
{
	json_t *before = json_loads(row->kept_before, 0, NULL);
	record keep;
	int rc = model_load(m, c, e, row->kept, &keep);
	if (rc == 0 && json_object_size(before)) {
		record after = model_copy(m, &keep);
		const char *col;
		json_t *v;
		json_object_foreach(before, col, v) {
			int i = entity_column(e, col);
			if (i >= 0)
				after.v[i] = value_of(m, v);
		}
		rc = model_write_record(m, c, &after, &keep, "unmerge");
	}
	json_decref(before);
	return rc;
}

int model_merge_undo(model_ctx *m, const char *merge_id)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	merge_row row;
	json_t *moves = NULL;
	int rc = -1;
	if (load_merge(m, c, model_parse_id(merge_id), &row))
		goto done;
	const entity *e = registry_find(m->reg, row.kind);
	if (!access_kind(m->u, e, OP_UPDATE)) {
		model_fail(m, 403, "Forbidden", "your role may not undo merges");
		goto done;
	}
	if (row.undone_at) {
		model_fail(m, 409, "Already undone", "this merge was undone at %s", row.undone_at);
		goto done;
	}
	moves = json_loads(row.moves, 0, NULL);
	size_t i;
	json_t *move;
	json_array_foreach(moves, i, move) {
		if (unmove(m, c, &row, move))
			goto done;
	}
	char now[32];
	clock_now_iso(now);
	store_cond w = COND_EQ("id", SV_INT_(row.id));
	store_value v = sv_text(now);
	if (restore_kept(m, c, e, &row) || set_column(m, c, e, row.merged, COL_ARCHIVED, SV_INT_(0), "unmerge") ||
	    store_update(c, "merges", (const char *[]){ "undone_at" }, &v, 1, &w, 1, NULL) != STORE_OK ||
	    audit_append(c, m->u, "unmerge", "merges", row.id, 2, "{}"))
		goto done;
	rc = 0;
done:
	json_decref(moves);
	if (rc) {
		if (!m->status)
			model_fail(m, 500, "Store error", "the merge could not be undone");
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the undo could not be committed");
	return model_merge_get(m, merge_id);
}
