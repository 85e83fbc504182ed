/*
 * validate — a JSON body checked against an entity's fields and applied to a
 * record.  See validate.c.
 */
#ifndef LIAISON_VALIDATE_H
#define LIAISON_VALIDATE_H

#include "model/model.h"

int validate_body(model_ctx *m, store_conn *c, record *r, json_t *body); /* 0, or -1 with 400/422 */
const char *email_problem(const char *s);  /* NULL for an address mail can go to, else why not */
const char *enum_list(model_ctx *m, const char *const *values);  /* "a, b, c" */
/* A new record's defaults: today in its TODAY dates. */
void validate_defaults(model_ctx *m, record *r);
/* 1 when r holds no value for f (a multilingual field: in no language). */
int validate_missing(const record *r, const field_def *f);

#endif
