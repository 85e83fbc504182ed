/*
 * collate — see collate.h.  Each text's ICU sort key is made once, so the
 * sort compares bytes: n keys, not n log n collations.
 */
#include "formats/collate.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/uiter.h>

typedef struct keyed {
	unsigned char *key;
	size_t len, index;
} keyed;

static int by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index; /* stable */
}

/* The sort key of a UTF-8 text, malloc'ed; NULL when out of memory. */
static unsigned char *sort_key(const UCollator *coll, const char *text, size_t *len)
{
	size_t cap = 64 + 4 * strlen(text);
	unsigned char *key = malloc(cap);
	if (!key)
		return NULL;
	UCharIterator it;
	uiter_setUTF8(&it, text, (int32_t)strlen(text));
	uint32_t state[2] = { 0, 0 };
	UErrorCode status = U_ZERO_ERROR;
	*len = 0;
	for (;;) { /* the key comes in pieces, until a piece is short */
		int32_t got = ucol_nextSortKeyPart(coll, &it, state, key + *len, (int32_t)(cap - *len), &status);
		if (U_FAILURE(status)) {
			free(key);
			return NULL;
		}
		*len += (size_t)got;
		if (*len < cap)
			return key;
		unsigned char *more = realloc(key, cap *= 2);
		if (!more) {
			free(key);
			return NULL;
		}
		key = more;
	}
}

int collate_order(const char *lang, const char *const *texts, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	UErrorCode status = U_ZERO_ERROR;
	UCollator *coll = ucol_open(lang, &status);
	keyed *v = coll && U_SUCCESS(status) ? calloc(n ? n : 1, sizeof *v) : NULL;
	int rc = v ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		v[i].index = i;
		if (!(v[i].key = sort_key(coll, texts[i] ? texts[i] : "", &v[i].len)))
			rc = -1;
	}
	if (rc == 0) {
		qsort(v, n, sizeof *v, by_key);
		for (size_t i = 0; i < n; i++)
			order[i] = v[i].index;
	}
	for (size_t i = 0; v && i < n; i++)
		free(v[i].key);
	free(v);
	if (coll)
		ucol_close(coll);
	return rc;
}
