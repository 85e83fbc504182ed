/*
 * grants — who besides its creator may read a confidential record: list,
 * grant and withdraw, by the record's creator or an administrator (see
 * grants.c for the rules).  The answers are left in the model_ctx:
 * {"items": [{"user": {"id", "name"}}]} for a list and after a grant (201
 * when new, 200 when it was held already), 204 after a withdrawal.
 */
#ifndef LIAISON_GRANTS_H
#define LIAISON_GRANTS_H

#include "model/model.h"

int model_grants(model_ctx *m, const entity *e, const char *id);
int model_grant(model_ctx *m, const entity *e, const char *id, const char *user);
int model_ungrant(model_ctx *m, const entity *e, const char *id, const char *user);

#endif
