/*
 * access — the one place that decides who may do what.
 *
 * Two questions, asked in this order: may this user do this to records of
 * this kind at all (the entity's read/write levels against the user's role),
 * and may they do it to this record (its classification, its division, the
 * partner's own organization, the named users of a confidential record).
 * Lists ask the same question as a condition inside the query, so a user
 * never sees, counts or pages through a record they may not read.  A kind
 * with a parent (registry.h) asks both questions of the parent instead.
 */
#ifndef LIAISON_ACCESS_H
#define LIAISON_ACCESS_H

#include "model/model.h"

typedef enum access_op { OP_READ, OP_CREATE, OP_UPDATE, OP_ARCHIVE } access_op;

int access_kind(const user *u, const entity *e, access_op op);
/* The roles the kind lets do op (its .write where the op's own set is 0). */
role_set access_roles(const entity *e, access_op op);
int access_record(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op);
/* The same for an area's own write: a kind its area writes alone
 * (area_writes) is then open to the roles it names, its record's rules
 * still apply. */
int access_kind_domain(const user *u, const entity *e, access_op op);
int access_record_domain(model_ctx *m, store_conn *c, const entity *e, const record *r, access_op op);
/* The record whose access r takes (r's parent), into *parent: 1 when found. */
int access_parent(model_ctx *m, store_conn *c, const record *r, record *parent);
/* Appends the visibility condition for lists to where[*n] (room for one more). */
void access_visible(model_ctx *m, const entity *e, store_cond *where, int *n);
int access_is_staff(const user *u);
/* Whether u, who may change r, may make the workflow move t (registry.h's
 * transition: its who and own_division). */
int access_move(const user *u, const record *r, const transition *t);
/* Whether u writes only their own organization's records of the kind
 * (its own_org): their records are made for their organization. */
int access_own_org(const user *u, const entity *e);
/* Whether u may give field f a value, being a writer of its kind (its writers). */
int access_field(const user *u, const field_def *f);
/* The same rules over search_docs rows of every kind the user may read. */
store_cond access_visible_docs(model_ctx *m);

#endif
