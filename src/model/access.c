/*
 * access — who may do what, read from data: each role's role_def (what it
 * reads of a classification) and each kind's sets of roles per operation
 * (registry.h).  The classifications, in words:
 *
 *   public        everyone who may read the kind
 *   internal      staff; a partner when it is their own organization's record
 *   restricted    the record's own division, directors, admins
 *   confidential  its creator, the users granted it, admins
 *
 * Writing needs reading first.  Of a kind's writers, those in its
 * own_division set change only their own division's records, those in its
 * own_org set only their own organization's; the user a kind's assignee
 * field names may update that record whatever their role.  A field with
 * writers of its own is given a value by them alone.
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

static int in(role_set s, const user *u) { return (s & ROLE_BIT(u->role)) != 0; }

static unsigned sees(const model_ctx *m) { return registry_sees(m->reg, m->u->role); }

int access_is_staff(const user *u) { return role_defs[u->role].staff; }

/* The roles that may do op to records of the kind. */
static role_set op_roles(const entity_def *d, access_op op)
{
	if (op == OP_CREATE && d->area_creates)
		return 0;   /* made by its area alone */
	role_set s = op == OP_READ ? d->read : op == OP_CREATE ? d->create : op == OP_UPDATE ? d->update : d->archive;
	if (op != OP_READ && !s)
		s = d->write;
	return s & ~NOBODY;
}

/* A kind with an assignee: any account may be the one it names. */
static int may_be_assignee(const user *u, const entity *e, access_op op)
{
	return op == OP_UPDATE && e->def->assignee && u->id > 0 && role_defs[u->role].account;
}

role_set access_roles(const entity *e, access_op op) { return op_roles(e->def, op); }

int access_kind(const user *u, const entity *e, access_op op)
{
	return in(op_roles(e->def, op), u) || may_be_assignee(u, e, op);
}

int access_kind_domain(const user *u, const entity *e, access_op op)
{
	if (op == OP_CREATE && e->def->area_creates)
		return in(e->def->area_creates, u);
	if (!e->def->area_writes || op == OP_READ)
		return access_kind(u, e, op);
	return in(e->def->area_writes, u);
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

/* Whether the partner reading belongs to the audience (registry.h's audience). */
static int in_audience(model_ctx *m, const audience *a)
{
	return (sees(m) & SEES_OWN_ORG) && m->u->org_id > 0 && a->includes(m, m->u->org_id) == 1;
}

/* Whether an internal record is shared with the partner reading through one of its kind's audiences. */
static int shared_with(model_ctx *m, const entity *e, const record *r)
{
	for (const audience *a = e->def->audiences; a && a->field; a++) {
		int col = entity_column(e, a->field);
		if (col >= 0 && same(text_of(r, col), a->value) && in_audience(m, a))
			return 1;
	}
	return 0;
}

static int may_read(model_ctx *m, store_conn *c, const entity *e, const record *r)
{
	const user *u = m->u;
	const char *cls = text_of(r, COL_CLASSIFICATION);
	if ((sees(m) & SEES_ALL) || same(cls, "public"))
		return 1;
	if (same(cls, "internal"))
		return (sees(m) & SEES_INTERNAL) || ((sees(m) & SEES_OWN_ORG) && (partners_own(u, e, r) || shared_with(m, e, r)));
	if (same(cls, "restricted"))
		return (sees(m) & SEES_RESTRICTED) ||
		       ((sees(m) & SEES_DIVISION) && same(u->division, text_of(r, COL_DIVISION)));
	return same(cls, "confidential") && (sees(m) & SEES_GRANTED) && granted(m, c, e, r);
}

int access_parent(model_ctx *m, store_conn *c, const record *r, record *parent)
{
	const entity *e = r->e;
	const store_value *id = &r->v[e->parent_col];
	if (!e->parent || id->type != SV_INT)
		return 0;
	return model_fetch(m, c, e->parent, id->i, parent) == 1;
}

/* Whether u, whose role is in own_division, may change r: only a record of
 * their own division, or of none. */
static int division_allows(const user *u, role_set own_division, const record *r)
{
	if (!in(own_division, u))
		return 1;
	const char *div = text_of(r, COL_DIVISION);
	return !div || same(div, u->division);
}

/* Whether u is the user one of r's assignee fields names. */
static int is_assignee(const user *u, const entity *e, const record *r)
{
	for (size_t i = 0; u->id > 0 && e->def->assignee && i < e->ncols; i++) {
		const column *col = &e->cols[i];
		if (col->field && entity_assigns(e->def, col->field->name) && r->v[i].type == SV_INT && r->v[i].i == u->id)
			return 1;
	}
	return 0;
}

/* The rules of the record itself, the kind already allowed, for a user let
 * in to write by the set writers (or as a possible assignee). */
static int rows_allow(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op, role_set writers)
{
	if (e->parent) {
		record parent;
		access_op on_parent = op == OP_READ ? OP_READ : OP_UPDATE;
		return access_parent(m, c, r, &parent) && access_kind(m->u, e->parent, on_parent) &&
		       rows_allow(m, c, e->parent, &parent, on_parent, op_roles(e->parent->def, on_parent));
	}
	const user *u = m->u;
	if (!may_read(m, c, e, r))
		return 0;
	if (op == OP_READ)
		return 1;
	if (!in(writers, u) && !is_assignee(u, e, r))
		return 0;
	if (in(e->def->own_org, u) && !partners_own(u, e, r))
		return 0;
	return division_allows(u, e->def->own_division, r);
}

int access_own_org(const user *u, const entity *e) { return in(e->def->own_org, u); }

int access_field(const user *u, const field_def *f) { return !f->writers || in(f->writers, u); }

int access_move(const user *u, const record *r, const transition *t)
{
	if (!t->who)
		return 1;
	return in(t->who, u) && division_allows(u, t->own_division, r);
}

int access_record(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op)
{
	return access_kind(m->u, e, op) && rows_allow(m, c, e, r, op, op_roles(e->def, op));
}

int access_record_domain(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op)
{
	if (op == OP_CREATE && e->def->area_creates)
		return in(e->def->area_creates, m->u) && rows_allow(m, c, e, r, op, e->def->area_creates);
	if (!e->def->area_writes || op == OP_READ)
		return access_record(m, c, e, r, op);
	return in(e->def->area_writes, m->u) && rows_allow(m, c, e, r, op, e->def->area_writes);
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
	unsigned what = sees(m);
	store_cond *any = arena_alloc(&m->a, 4 * sizeof *any);
	int k = 0;
	any[k++] = COND_EQ("classification", sv_text("public"));
	if (what & SEES_INTERNAL) {
		any[k++] = COND_EQ("classification", sv_text("internal"));
	} else if (what & SEES_OWN_ORG) {
		store_cond *own = arena_alloc(&m->a, 2 * sizeof *own);
		own[0] = COND_EQ("classification", sv_text("internal"));
		own[1] = org_col ? COND_EQ(org_col, SV_INT_(u->org_id > 0 ? u->org_id : -1)) : COND(NULL, OP_ANY, SV_NUL);
		any[k++] = (store_cond){ .op = OP_ALL, .sub = own, .nsub = 2 };
	}
	if (what & (SEES_RESTRICTED | SEES_DIVISION)) {
		store_cond *restricted = arena_alloc(&m->a, 2 * sizeof *restricted);
		restricted[0] = COND_EQ("classification", sv_text("restricted"));
		int nr = 1;
		if (!(what & SEES_RESTRICTED))
			restricted[nr++] = COND_EQ("division", sv_text(u->division ? u->division : ""));
		any[k++] = (store_cond){ .op = OP_ALL, .sub = restricted, .nsub = nr };
	}
	if (what & SEES_GRANTED) {
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
/* The kind's audiences the partner reading belongs to, as "classification
 * internal and field value" conditions into any[]; how many. */
static int audience_rows(model_ctx *m, const entity *e, store_cond *any)
{
	int k = 0;
	for (const audience *a = e->def->audiences; a && a->field; a++) {
		if (!in_audience(m, a))
			continue;
		store_cond *both = arena_alloc(&m->a, 2 * sizeof *both);
		both[0] = COND_EQ("classification", sv_text("internal"));
		both[1] = COND_EQ(a->field, sv_text(a->value));
		any[k++] = (store_cond){ .op = OP_ALL, .sub = both, .nsub = 2 };
	}
	return k;
}

static size_t naudiences(const entity *e)
{
	size_t n = 0;
	while (e->def->audiences && e->def->audiences[n].field)
		n++;
	return n;
}

static int in_any_audience(model_ctx *m, const entity *e)
{
	for (const audience *a = e->def->audiences; a && a->field; a++)
		if (in_audience(m, a))
			return 1;
	return 0;
}

static store_cond own_rows(model_ctx *m, const entity *e)
{
	if (!e->parent && naudiences(e)) {
		store_cond *any = arena_alloc(&m->a, (naudiences(e) + 1) * sizeof *any);
		any[0] = visibility(m, e, "id", e->def->self_org ? "id" : e->def->org_field);
		int k = 1 + audience_rows(m, e, any + 1);
		return k == 1 ? any[0] : (store_cond){ .op = OP_ANY, .sub = any, .nsub = k };
	}
	if (!e->parent)
		return visibility(m, e, "id", e->def->self_org ? "id" : e->def->org_field);
	store_cond *sub = arena_alloc(&m->a, sizeof *sub);
	*sub = own_rows(m, e->parent);
	return (store_cond){ .col = e->cols[e->parent_col].name, .op = OP_EXISTS, .sub = sub, .nsub = 1,
			     .sub_table = e->parent->def->table, .sub_col = "id" };
}

void access_visible(model_ctx *m, const entity *e, store_cond *where, int *n)
{
	if (sees(m) & SEES_ALL)
		return;
	where[(*n)++] = own_rows(m, e);
}

/* The condition on a search_docs row of kind e. */
static store_cond doc_rows(model_ctx *m, const entity *e)
{
	if (!e->parent && !in_any_audience(m, e)) { /* the facts search_docs keeps are enough */
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
		if (sees(m) & SEES_ALL) {
			kinds[k++] = both[0];
			continue;
		}
		both[1] = doc_rows(m, e);
		kinds[k++] = (store_cond){ .op = OP_ALL, .sub = both, .nsub = 2 };
	}
	return (store_cond){ .op = OP_ANY, .sub = kinds, .nsub = k };
}
