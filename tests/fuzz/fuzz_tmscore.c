/*
 * fuzz_tmscore — the translation memory's reading of a segment
 * (src/search/tmscore.c): the input is two segments, split at the first
 * NUL byte (the whole input is the first when there is none).  Tokens lie
 * inside their segment, in order, never overlapping; a segment that is not
 * UTF-8 is refused at a byte inside it; the distance is symmetric, zero to
 * itself and within the band asked for; the score of a segment with itself
 * is 100; the marks point inside both segments; adapting a segment to
 * itself changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "search/tmscore.h"
#include "utf8ok.h"

ORACLE static int tokens_ok(const tm_tokens *t, size_t n)
{
	size_t end = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].off < end || !t->v[i].len || t->v[i].off + t->v[i].len > n)
			return 0;
		end = t->v[i].off + t->v[i].len;
	}
	return 1;
}

/* The tokens of s, or -1 after checking the refusal. */
static int read_segment(const char *s, size_t n, tm_tokens *t)
{
	size_t bad = 0;
	if (tm_tokenize(s, n, t, &bad) == 0) {
		if (!tokens_ok(t, n))
			abort();
		return 0;
	}
	if (bad >= n || utf8_ok(s, n))
		abort();
	return -1;
}

static void check_pair(const char *a, size_t an, const tm_tokens *x, const char *b, size_t bn, const tm_tokens *y)
{
	uint64_t *kx = malloc((x->n + 1) * sizeof *kx), *ky = malloc((y->n + 1) * sizeof *ky);
	tm_keys(x, kx, 0);
	tm_keys(y, ky, 0);
	long d = tm_distance(kx, x->n, ky, y->n, 1u << 20), back = tm_distance(ky, y->n, kx, x->n, 1u << 20);
	if (d < 0 || d != back || tm_distance(kx, x->n, kx, x->n, 0) != 0)
		abort();
	if (d > 0 && tm_distance(kx, x->n, ky, y->n, (size_t)d - 1) != d)
		abort();
	if (x->n && tm_score(x->n, x->n, 0) != 100)
		abort();
	tm_mark *marks;
	size_t nm;
	if (tm_marks(x, y, &marks, &nm) == 0) {
		for (size_t i = 0; i < nm; i++)
			if (marks[i].cand_off + marks[i].cand_len > bn || marks[i].query_off + marks[i].query_len > an)
				abort();
		free(marks);
	}
	char *out = NULL;
	if (tm_adapt(a, x, x, b, bn, &out) != 0 || out)
		abort();
	free(kx);
	free(ky);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	size_t an = strlen(s), bn = an < size ? size - an - 1 : 0;
	const char *a = s, *b = an < size ? s + an + 1 : "";
	tm_tokens x = TM_TOKENS_INIT, y = TM_TOKENS_INIT;
	if (read_segment(a, an, &x) == 0 && read_segment(b, bn, &y) == 0)
		check_pair(a, an, &x, b, bn, &y);
	char *norm = tm_normalize(a, an);
	if (norm && !utf8_ok(norm, strlen(norm)))
		abort();
	free(norm);
	tm_tokens_free(&x);
	tm_tokens_free(&y);
	free(s);
	return 0;
}
