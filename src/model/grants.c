/*
 * grants — the named users who may read a confidential record besides its
 * creator (access.c reads them from record_grants).
 *
 * Who grants: the record's creator and administrators, the same people who
 * read it without a grant.  What may be granted: a confidential record of a
 * kind with rules of its own (a message takes its inquiry's: grant the
 * inquiry), to a member of staff (a partner reads only their organization's
 * internal records, whatever is granted).  A grant and its withdrawal are
 * audit entries of the record; the record itself does not change.
 */
#include "model/grants.h"

#include <inttypes.h>
#include <string.h>

#include "model/access.h"
#include "model/audit.h"

static const char *text_of(const record *r, int col)
{
	return r->v[col].type == SV_TEXT ? r->v[col].s : NULL;
}

/* The record, readable, of a kind with its own rules, and the caller one
 * who manages its grants: 0, or -1 with m's answer. */
static int managed(model_ctx *m, store_conn *c, const entity *e, const char *id, int writing, record *r)
{
	if (model_find(m, c, e, id, r))
		return -1;
	if (e->parent)
		return model_fail(m, 409, "Conflict", "a %s takes its access from its %s: grant that instead", e->def->label,
				  e->parent->def->label);
	const store_value *creator = &r->v[COL_CREATED_BY];
	int own = creator->type == SV_INT && creator->i == m->u->id;
	if (m->u->role != ROLE_ADMIN && !own)
		return model_fail(m, 403, "Forbidden", "only the record's creator and administrators manage who may read it");
	const char *cls = text_of(r, COL_CLASSIFICATION);
	if (writing && (!cls || strcmp(cls, "confidential") != 0))
		return model_fail(m, 409, "Conflict", "only confidential records are granted to named users; this one is %s",
				  cls ? cls : "unclassified");
	return 0;
}

/* The user named (by name or id), in staff: 0, or -1 with a field error. */
static int grantee(model_ctx *m, store_conn *c, const char *who, record *u)
{
	const entity *ue = registry_find(m->reg, "users");
	const char *role = NULL;
	if (ue && who && *who && model_find(m, c, ue, who, u) == 0 && !u->v[COL_ARCHIVED].i)
		role = text_of(u, entity_column(ue, "role"));
	m->status = 0;
	if (!role) {
		model_field_error(m, "user", "no user is called %s", who && *who ? who : "(nothing)");
		return model_fail(m, 422, "Invalid grant", "send {\"user\": NAME}");
	}
	if (strcmp(role, "partner") == 0) {
		model_field_error(m, "user", "is a partner, who reads only their organization's internal records");
		return model_fail(m, 422, "Invalid grant", "grant confidential records to members of staff");
	}
	return 0;
}

typedef struct grant_walk {
	buf *out;
	int n;
} grant_walk;

static int grant_json(void *ctx, store_row *row)
{
	grant_walk *w = ctx;
	buf_puts(w->out, w->n++ ? "," : "");
	buf_printf(w->out, "{\"user\":{\"id\":%" PRId64 ",\"name\":", store_int(row, 0));
	buf_json_cstr(w->out, store_text(row, 1, NULL));
	buf_puts(w->out, "}}");
	return 0;
}

/* {"items": [{"user": {"id", "name"}}, ...]}, by name. */
static int list_into(model_ctx *m, store_conn *c, const entity *e, const record *r)
{
	store_cond sub[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", r->v[COL_ID]) };
	store_cond w = { .col = "id", .op = OP_IN_SELECT, .sub = sub, .nsub = 2, .sub_table = "record_grants",
			 .sub_col = "user_id" };
	store_order by_name = { "name", 0, NOT_NULL };
	store_select q = { .table = "users", .cols = (const char *[]){ "id", "name" }, .ncols = 2, .where = &w, .nwhere = 1,
			   .order = &by_name, .norder = 1 };
	grant_walk gw = { &m->body, 0 };
	buf_reset(&m->body);
	buf_puts(&m->body, "{\"items\":[");
	if (store_query(c, &q, grant_json, &gw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the grants could not be read");
	buf_puts(&m->body, "]}");
	return 0;
}

int model_grants(model_ctx *m, const entity *e, const char *id)
{
	store_conn *c = store_reader(m->st);
	record r;
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	if (managed(m, c, e, id, 0, &r) || list_into(m, c, e, &r))
		return -1;
	m->status = 200;
	return 0;
}

/* One grant written or withdrawn, with its audit entry, in one transaction. */
static int change(model_ctx *m, const entity *e, const char *id, const char *who, int add)
{
	store_conn *c = store_begin(m->st);
	record r, u;
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	if (managed(m, c, e, id, add, &r) || grantee(m, c, who, &u))
		goto fail;
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", r.v[COL_ID]),
			   COND_EQ("user_id", u.v[COL_ID]) };
	int64_t held = 0;
	if (store_count(c, "record_grants", w, 3, &held) != STORE_OK)
		goto store_failed;
	if (!add && !held) {
		model_fail(m, 404, "Not found", "%s holds no grant of this %s", who, e->def->label);
		goto fail;
	}
	if (add == (held > 0)) { /* granted already: nothing to write */
		store_rollback(c);
		m->status = 200;
		return 0;
	}
	static const char *const cols[] = { "kind", "record_id", "user_id" };
	store_value v[] = { sv_text(e->def->name), r.v[COL_ID], u.v[COL_ID] };
	int rc = add ? store_insert(c, "record_grants", cols, v, 3, NULL) : store_delete(c, "record_grants", w, 3);
	buf changes = BUF_INIT;
	buf_printf(&changes, "{\"grant\":{\"%s\":", add ? "after" : "before");
	buf_json_cstr(&changes, text_of(&u, entity_column(u.e, "name")));
	buf_puts(&changes, "}}");
	if (rc == STORE_OK)
		rc = audit_append(c, m->u, add ? "grant" : "ungrant", e->def->name, r.v[COL_ID].i, r.v[COL_VERSION].i,
				  buf_str(&changes));
	buf_free(&changes);
	if (rc != STORE_OK)
		goto store_failed;
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the grant could not be saved");
	m->id = u.v[COL_ID].i;
	m->status = add ? 201 : 204;
	return 0;
store_failed:
	model_fail(m, 500, "Store error", "the grant could not be saved");
fail:
	store_rollback(c);
	return -1;
}

int model_grant(model_ctx *m, const entity *e, const char *id, const char *who)
{
	if (change(m, e, id, who, 1))
		return -1;
	int status = m->status;
	store_conn *c = store_reader(m->st);
	record r;
	if (!c || model_find(m, c, e, id, &r) || list_into(m, c, e, &r))
		return -1;
	m->status = status;
	return 0;
}

int model_ungrant(model_ctx *m, const entity *e, const char *id, const char *who)
{
	return change(m, e, id, who, 0);
}
