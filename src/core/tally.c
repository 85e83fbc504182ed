/*
 * tally — sort, then one pass that adds each run into its first item.
 * See tally.h.
 */
#include "core/tally.h"

#include <stdlib.h>
#include <string.h>

static int64_t amount_at(const char *item, size_t offset)
{
	int64_t v;
	memcpy(&v, item + offset, sizeof v);
	return v;
}

long tally(void *v, size_t n, size_t size, int (*same_key)(const void *, const void *), size_t amount)
{
	if (n == 0)
		return 0;
	char *items = v;
	qsort(items, n, size, same_key);
	size_t kept = 0;
	for (size_t i = 1; i < n; i++) {
		char *run = items + kept * size, *item = items + i * size;
		if (same_key(run, item) == 0) {
			int64_t sum;
			if (__builtin_add_overflow(amount_at(run, amount), amount_at(item, amount), &sum))
				return -1;
			memcpy(run + amount, &sum, sizeof sum);
		} else if (++kept != i) {
			memcpy(items + kept * size, item, size);
		}
	}
	return (long)(kept + 1);
}
