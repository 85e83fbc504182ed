/*
 * best — the matches a translator is offered for a sentence, as the
 * editor, the API and the XLIFF export all offer them: the memory's exact
 * matches first (the same sentence in the same context, 101, before the
 * same sentence, 100), then its fuzzy matches from the threshold, best
 * first, none given twice, q->k in all.
 */
#include "domains/translation/memory.h"
#include "domains/translation/translation.h"

int memory_best(store_conn *c, const tm_query *q, arena *a, tm_match **out, size_t *nout, char *err, size_t errlen)
{
	tm_match *exact = NULL, *fuzzy = NULL;
	size_t nexact = 0, nfuzzy = 0, n = 0;
	*out = NULL;
	*nout = 0;
	if (tm_exact(c, q, a, &exact, &nexact, err, errlen) || tm_fuzzy(c, q, a, &fuzzy, &nfuzzy, NULL, err, errlen))
		return -1;
	tm_match *all = arena_alloc(a, (nexact + nfuzzy ? nexact + nfuzzy : 1) * sizeof *all);
	for (size_t i = 0; i < nexact + nfuzzy && n < (size_t)q->k; i++) {
		const tm_match *t = i < nexact ? &exact[i] : &fuzzy[i - nexact];
		int given = 0;
		for (size_t k = 0; i >= nexact && k < nexact; k++)
			given |= exact[k].id == t->id;
		if (!given)
			all[n++] = *t;
	}
	*out = all;
	*nout = n;
	return 0;
}
