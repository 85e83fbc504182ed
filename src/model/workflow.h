/*
 * workflow — a kind's status field as a state machine (registry.h's
 * workflow): where a new record begins, which moves it may make and who may
 * make them, what each state requires and stamps.  Every write goes through
 * here, so a move is the same whether it comes from the transition call, a
 * PATCH, an import, a page or an area's own operation (a reply that answers
 * an inquiry).
 */
#ifndef LIAISON_WORKFLOW_H
#define LIAISON_WORKFLOW_H

#include "model/model.h"

/* 0 when e's workflow is consistent with its fields (or it has none); else -1
 * and one line in err, which stops the start. */
int workflow_check(const entity *e, char *err, size_t errlen);

/* The state r is in, or NULL for a kind without a workflow. */
const char *workflow_state(const record *r);

/* A new record's state before its body is read: the first start, so that a
 * required state field is never missing from a create that names none. */
void workflow_default(record *r);
/* A new record's state: the first start when it names none; one of the
 * starts unless CREATE_AS_IS; then the state's rules.  0, or -1 with 422. */
int workflow_begin(model_ctx *m, record *r, unsigned flags);
/* A change of a record: when its state changed, the move must be one the
 * workflow has and the user may make (else 409 with the moves they may
 * make), its guard must pass, the new state's stamp is set and the area's
 * effect applied; in every case the state's rules hold.  0, or -1. */
int workflow_follow(model_ctx *m, store_conn *c, const record *before, record *after);

/* The states the user may move r to, in the workflow's order, into out (cap
 * entries at most); their number. */
size_t workflow_next(const model_ctx *m, const record *r, const char **out, size_t cap);
/* The same for the record id of kind e as the user may change it now: 0
 * when they may not change it, it is archived, or its kind has no workflow. */
size_t model_moves(model_ctx *m, const entity *e, const char *id, const char **out, size_t cap);
/* A state's label in the reader's language (m->lang). */
const char *workflow_label(const model_ctx *m, const entity *e, const char *state);

/* The transition call: moves the record to state to, with fields the move
 * needs (a confirmed start) set from the optional JSON object fields, in one
 * write audited as a transition.  if_match as model_update's. */
int model_transition(model_ctx *m, const entity *e, const char *id, int64_t if_match, const char *to, json_t *fields);
int model_transition_in(model_ctx *m, store_conn *c, const entity *e, const char *id, const char *to, json_t *fields,
			record *out);

#endif
