/*
 * access — roles against entity levels, then classification against the
 * user.  The rules, in words:
 *
 *   public        everyone who may read the kind
 *   internal      staff; a partner when it is their own organization's record
 *   restricted    the record's own division, directors, admins
 *   confidential  its creator, the users granted it, admins
 *
 * Writing needs reading first; staff edit only their own division's records
 * of kinds written ACCESS_DIVISION; viewers, partners and the public write
 * nothing.
 *
 * A record of a kind with a parent (a message of an inquiry) has no rules of
 * its own: whoever may read its parent reads it, whoever may change its
 * parent writes it.  Its classification and division only repeat the
 * parent's, for people; the rules always ask the parent itself, so a record
 * written before its parent moved can never be read by the wrong people.
 */
#include "access.h"

#include <string.h>

#include "model/registry.h"

int access_is_staff(const user *u) { return u->role <= ROLE_VIEWER; }

static int is_editor(const user *u)
{
	return u->role == ROLE_ADMIN || u->role == ROLE_DIRECTOR || u->role == ROLE_STAFF;
}

static int level_allows(const user *u, access_level level)
{
	switch (level) {
	case ACCESS_PUBLIC:
		return 1;
	case ACCESS_ACCOUNT:
		return u->role != ROLE_PUBLIC;
	case ACCESS_STAFF:
		return access_is_staff(u);
	case ACCESS_EDITORS:
	case ACCESS_DIVISION:
		return is_editor(u);
	case ACCESS_ADMIN:
		return u->role == ROLE_ADMIN;
	default: /* ACCESS_DOMAIN: no generic write, whoever asks */
		return 0;
	}
}

int access_kind(const user *u, const entity *e, access_op op)
{
	if (op == OP_READ)
		return level_allows(u, e->def->read);
	if (u->role == ROLE_PUBLIC || u->role == ROLE_PARTNER || u->role == ROLE_VIEWER)
		return 0;
	return level_allows(u, e->def->write);
}

static const char *text_of(const record *r, int col)
{
	const store_value *v = &r->v[col];
	return v->type == SV_TEXT ? v->s : NULL;
}

static int same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static int partners_own(const user *u, const entity *e, const record *r)
{
	if (u->org_id <= 0)
		return 0;
	if (e->def->self_org && r->v[COL_ID].i == u->org_id)
		return 1;
	if (!e->def->org_field)
		return 0;
	int col = entity_column(e, e->def->org_field);
	return col >= 0 && r->v[col].type == SV_INT && r->v[col].i == u->org_id;
}

static int granted(model_ctx *m, store_conn *c, const entity *e, const record *r)
{
	if (r->v[COL_CREATED_BY].type == SV_INT && r->v[COL_CREATED_BY].i == m->u->id)
		return 1;
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", r->v[COL_ID]),
			   COND_EQ("user_id", SV_INT_(m->u->id)) };
	int64_t n = 0;
	return store_count(c, "record_grants", w, 3, &n) == STORE_OK && n > 0;
}

static int may_read(model_ctx *m, store_conn *c, const entity *e, const record *r)
{
	const user *u = m->u;
	const char *cls = text_of(r, COL_CLASSIFICATION);
	if (u->role == ROLE_ADMIN || same(cls, "public"))
		return 1;
	if (u->role == ROLE_PUBLIC)
		return 0;
	if (u->role == ROLE_PARTNER)
		return same(cls, "internal") && partners_own(u, e, r);
	if (same(cls, "internal"))
		return 1;
	if (same(cls, "restricted"))
		return u->role == ROLE_DIRECTOR || same(u->division, text_of(r, COL_DIVISION));
	return same(cls, "confidential") && granted(m, c, e, r);
}

int access_parent(model_ctx *m, store_conn *c, const record *r, record *parent)
{
	const entity *e = r->e;
	const store_value *id = &r->v[e->parent_col];
	if (!e->parent || id->type != SV_INT)
		return 0;
	return model_fetch(m, c, e->parent, id->i, parent) == 1;
}

/* The rules of the record itself, its kind's levels already allowed. */
static int record_allows(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op)
{
	if (e->parent) {
		record parent;
		access_op on_parent = op == OP_READ ? OP_READ : OP_UPDATE;
		return access_parent(m, c, r, &parent) && access_kind(m->u, e->parent, on_parent) &&
		       record_allows(m, c, e->parent, &parent, on_parent);
	}
	const user *u = m->u;
	if (!may_read(m, c, e, r))
		return 0;
	if (op == OP_READ || u->role != ROLE_STAFF || e->def->write != ACCESS_DIVISION)
		return 1;
	const char *div = text_of(r, COL_DIVISION);
	return !div || same(div, u->division);
}

int access_move(const user *u, const record *r, access_level who)
{
	if (!who)
		return 1;
	if (!level_allows(u, who))
		return 0;
	if (who != ACCESS_DIVISION || u->role != ROLE_STAFF)
		return 1;
	const char *div = text_of(r, COL_DIVISION);
	return !div || same(div, u->division);
}

int access_record(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op)
{
	return access_kind(m->u, e, op) && record_allows(m, c, e, r, op);
}

int access_record_domain(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op)
{
	if (e->def->write != ACCESS_DOMAIN || op == OP_READ)
		return access_record(m, c, e, r, op);
	return is_editor(m->u) && record_allows(m, c, e, r, op);
}

/*
 * The visibility rules as one condition on a row that names a record of
 * kind e: id_col holds the record's id, org_col the organization that makes
 * it a partner's own (NULL when none does).  Lists use the record's own
 * table; search uses search_docs, which keeps the same facts.
 */
static store_cond visibility(model_ctx *m, const entity *e, const char *id_col, const char *org_col)
{
	const user *u = m->u;
	store_cond *any = arena_alloc(&m->a, 4 * sizeof *any);
	int k = 0;
	any[k++] = COND_EQ("classification", sv_text("public"));
	if (u->role == ROLE_PARTNER) {
		store_cond *own = arena_alloc(&m->a, 2 * sizeof *own);
		own[0] = COND_EQ("classification", sv_text("internal"));
		own[1] = org_col ? COND_EQ(org_col, SV_INT_(u->org_id > 0 ? u->org_id : -1)) : COND(NULL, OP_ANY, SV_NUL);
		any[k++] = (store_cond){ .op = OP_ALL, .sub = own, .nsub = 2 };
	} else if (u->role != ROLE_PUBLIC) {
		any[k++] = COND_EQ("classification", sv_text("internal"));
		store_cond *restricted = arena_alloc(&m->a, 2 * sizeof *restricted);
		restricted[0] = COND_EQ("classification", sv_text("restricted"));
		int nr = 1;
		if (u->role != ROLE_DIRECTOR)
			restricted[nr++] = COND_EQ("division", sv_text(u->division ? u->division : ""));
		any[k++] = (store_cond){ .op = OP_ALL, .sub = restricted, .nsub = nr };

		store_cond *grant = arena_alloc(&m->a, 2 * sizeof *grant);
		grant[0] = COND_EQ("kind", sv_text(e->def->name));
		grant[1] = COND_EQ("user_id", SV_INT_(u->id));
		store_cond *who = arena_alloc(&m->a, 2 * sizeof *who);
		who[0] = COND_EQ("created_by", SV_INT_(u->id));
		who[1] = (store_cond){ .col = id_col, .op = OP_IN_SELECT, .sub = grant, .nsub = 2,
				       .sub_table = "record_grants", .sub_col = "record_id" };
		store_cond *conf = arena_alloc(&m->a, 2 * sizeof *conf);
		conf[0] = COND_EQ("classification", sv_text("confidential"));
		conf[1] = (store_cond){ .op = OP_ANY, .sub = who, .nsub = 2 };
		any[k++] = (store_cond){ .op = OP_ALL, .sub = conf, .nsub = 2 };
	}
	return (store_cond){ .op = OP_ANY, .sub = any, .nsub = k };
}

/* The condition on a row of e's own table: its rules, or its parent's,
 * asked of the parent's row (one look-up by id per row). */
static store_cond own_rows(model_ctx *m, const entity *e)
{
	if (!e->parent)
		return visibility(m, e, "id", e->def->self_org ? "id" : e->def->org_field);
	store_cond *sub = arena_alloc(&m->a, sizeof *sub);
	*sub = own_rows(m, e->parent);
	return (store_cond){ .col = e->cols[e->parent_col].name, .op = OP_EXISTS, .sub = sub, .nsub = 1,
			     .sub_table = e->parent->def->table, .sub_col = "id" };
}

void access_visible(model_ctx *m, const entity *e, store_cond *where, int *n)
{
	if (m->u->role == ROLE_ADMIN)
		return;
	where[(*n)++] = own_rows(m, e);
}

/* The condition on a search_docs row of kind e. */
static store_cond doc_rows(model_ctx *m, const entity *e)
{
	if (!e->parent) {
		int owned = e->def->self_org || e->def->org_field;
		return visibility(m, e, "record_id", owned ? "org" : NULL);
	}
	store_cond *sub = arena_alloc(&m->a, sizeof *sub);
	*sub = own_rows(m, e);
	return (store_cond){ .col = "record_id", .op = OP_EXISTS, .sub = sub, .nsub = 1, .sub_table = e->def->table,
			     .sub_col = "id" };
}

store_cond access_visible_docs(model_ctx *m)
{
	const registry *reg = m->reg;
	store_cond *kinds = arena_alloc(&m->a, (reg->n + 1) * sizeof *kinds);
	int k = 0;
	for (size_t i = 0; i < reg->n; i++) {
		const entity *e = &reg->v[i];
		if (!access_kind(m->u, e, OP_READ))
			continue;
		store_cond *both = arena_alloc(&m->a, 2 * sizeof *both);
		both[0] = COND_EQ("kind", sv_text(e->def->name));
		if (m->u->role == ROLE_ADMIN) {
			kinds[k++] = both[0];
			continue;
		}
		both[1] = doc_rows(m, e);
		kinds[k++] = (store_cond){ .op = OP_ALL, .sub = both, .nsub = 2 };
	}
	return (store_cond){ .op = OP_ANY, .sub = kinds, .nsub = k };
}
