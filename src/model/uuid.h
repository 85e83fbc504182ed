/*
 * uuid — a UUID for every record, for the formats that name records
 * globally (a vCard's UID: urn:uuid:...).
 *
 * Nothing is stored per record: the UUID is computed from the
 * installation's random namespace (table installation, migration 013) and
 * the record's kind and id, as a name-based UUID of version 8 with SHA-256
 * (RFC 9562, 5.8 and appendix B.2).  So the same record has the same UUID
 * in every export, records never share one, and neither do two
 * installations whose ids happen to agree.
 */
#ifndef LIAISON_UUID_H
#define LIAISON_UUID_H

#include <stdint.h>

#include "model/model.h"

#define UUID_NAMESPACE_BYTES 16

/* This installation's namespace, read on m's store; -1 with m's error. */
int model_uuid_namespace(model_ctx *m, unsigned char ns[UUID_NAMESPACE_BYTES]);

/* The UUID of record id of kind, as 36 characters and a NUL
 * ("6f1c2a9e-3b4d-8e5f-8a7b-0c1d2e3f4a5b"). */
void model_record_uuid(const unsigned char ns[UUID_NAMESPACE_BYTES], const char *kind, int64_t id, char out[37]);

#endif
