/*
 * fuzz_iati_split — the funding summary's cut of an imported file's
 * transactions (src/domains/donors/iati.c's iati_split, over
 * core/apportion.c): the input is an IATI document; every transaction of
 * every activity the reader hands over is cut over its activity's sectors
 * and places, and the parts must add up to its value exactly, name only
 * codes the activity or the transaction gives (or none), and each be
 * between zero and the value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "oracle.h"

ORACLE static int named_sector(const iati_activity *a, const iati_transaction *t, const char *code)
{
	if (!*code || (t->sector_code && !strcmp(code, t->sector_code)))
		return 1;
	for (size_t i = 0; i < a->nsectors; i++)
		if (!strcmp(code, a->sectors[i].code))
			return 1;
	return 0;
}

ORACLE static int named_place(const iati_activity *a, const iati_transaction *t, const char *code)
{
	if (!*code || (t->recipient_country && !strcmp(code, t->recipient_country)))
		return 1;
	for (size_t i = 0; i < a->ncountries; i++)
		if (!strcmp(code, a->countries[i].code))
			return 1;
	for (size_t i = 0; i < a->nregions; i++)
		if (!strcmp(code, a->regions[i].code))
			return 1;
	return 0;
}

ORACLE static void check_parts(const iati_activity *a, const iati_transaction *t, const funding_parts *p)
{
	int64_t v = t->value.minor;
	__int128 sum = 0;
	for (size_t i = 0; i < p->n; i++) {
		int64_t x = p->v[i].amount;
		if ((v >= 0 && (x < 0 || x > v)) || (v < 0 && (x > 0 || x < v)))
			abort();
		if (!named_sector(a, t, p->v[i].sector) || !named_place(a, t, p->v[i].country))
			abort();
		sum += x;
	}
	if (p->n == 0 || sum != v)
		abort();
}

static int on_activity(void *ctx, const iati_activity *a)
{
	funding_parts *p = ctx;
	for (size_t i = 0; i < a->ntransactions; i++) {
		if (iati_split(a, &a->transactions[i], p))
			abort();   /* the reader's shares always weigh something: equal ones at worst */
		check_parts(a, &a->transactions[i], p);
		(void)iati_donor(a, &a->transactions[i]);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const iati_read_callbacks cb = { NULL, on_activity };
	funding_parts p = { 0 };
	iati_error err;
	iati_read(&(xmlstream_input){ (const char *)data, size, -1 }, &cb, &p, NULL, &err);
	funding_parts_free(&p);
	return 0;
}
