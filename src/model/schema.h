/*
 * schema — the database brought to what this build expects, on every start
 * (init, serve, every command that opens it).
 *
 * In one transaction: the migrations the database has not had, then each
 * kind's table checked against the registry, then what is missing created.
 * The check refuses a table that has a column the registry does not know (a
 * field renamed or removed without the migration that renames or drops its
 * column) and a column whose type is not the one its field needs (a field
 * whose type changed without the migration that converts it).  A column
 * the registry has and the table lacks is added: a new field is purely
 * additive, its old records hold no value in it.  Any failure leaves the
 * database as it was and says so in err, one line.
 *
 * Then what the migrations left to do once every table is in place (a row
 * of migration_tasks each, which the migration runner creates), each done
 * and forgotten: "reindex", the search index rebuilt from the records;
 * "rederive", what each kind's after_write derives (duplicate keys) derived
 * again by its rederive hook, a batch of records per transaction.
 */
#ifndef LIAISON_SCHEMA_H
#define LIAISON_SCHEMA_H

#include <stddef.h>

#include "model/registry.h"
#include "store/store.h"

int schema_upgrade(store *s, const registry *r, char *err, size_t errlen);

/* The check alone, within the caller's transaction: 0 when every kind's
 * table, where it exists, has only the registry's columns with their types. */
int schema_check(const registry *r, store_conn *c, char *err, size_t errlen);

#endif
