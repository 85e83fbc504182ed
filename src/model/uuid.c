/*
 * uuid — records' UUIDs from the installation's namespace; see uuid.h.
 */
#include "model/uuid.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	unsigned char *ns;
	int found;
} namespace_row;

static int take_namespace(void *ctx, store_row *row)
{
	namespace_row *r = ctx;
	size_t n;
	const char *hex = store_text(row, 0, &n);
	size_t got;
	r->found = hex && n == 2 * UUID_NAMESPACE_BYTES &&
		   sodium_hex2bin(r->ns, UUID_NAMESPACE_BYTES, hex, n, NULL, &got, NULL) == 0 &&
		   got == UUID_NAMESPACE_BYTES;
	return 1;   /* one row */
}

int model_uuid_namespace(model_ctx *m, unsigned char ns[UUID_NAMESPACE_BYTES])
{
	namespace_row r = { ns, 0 };
	store_select q = { .table = "installation", .cols = (const char *[]){ "uuid_namespace" }, .ncols = 1 };
	store_conn *c = store_reader(m->st);
	if (!c || store_query(c, &q, take_namespace, &r) != STORE_OK || !r.found)
		return model_fail(m, 500, "Store error", "the installation's UUID namespace cannot be read");
	return 0;
}

void model_record_uuid(const unsigned char ns[UUID_NAMESPACE_BYTES], const char *kind, int64_t id, char out[37])
{
	/* the name hashed after the namespace: "persons/42" */
	char name[160];
	int n = snprintf(name, sizeof name, "%s/%" PRId64, kind, id);
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, ns, UUID_NAMESPACE_BYTES);
	crypto_hash_sha256_update(&st, (const unsigned char *)name, n < (int)sizeof name ? (size_t)n : sizeof name - 1);
	crypto_hash_sha256_final(&st, h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x80);   /* version 8 */
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);   /* the RFC 9562 variant */
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = digits[h[i] >> 4];
		out[o++] = digits[h[i] & 15];
	}
	out[o] = '\0';
}
