/*
 * fuzz_qa — the checks on a translated segment (src/formats/qa.c): the
 * input is the source, a NUL, then the target (no NUL: the whole input is
 * the source, the target empty).  The first byte of the source picks the
 * pair of languages, and the source's first word stands for a term hit
 * with the target's first word as its preferred term and its last as a
 * deprecated one.  Every warning has a known code with its message and lies
 * within the target, its item NUL-terminated, and checking again gives the
 * same report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/qa.h"
#include "oracle.h"

static const char *const langs[] = { "en", "fr", "es", "xx" };

ORACLE static void check_report(const qa_report *r, const qa_segment *g)
{
	for (size_t i = 0; i < r->n; i++) {
		const qa_warning *w = &r->v[i];
		if (w->code < 0 || w->code >= QA_CODES_COUNT || !*qa_message(w->code) || !*qa_code_name(w->code))
			abort();
		size_t limit = w->code == QA_SOURCE_UTF8 ? g->source_len : g->target_len;
		if (w->off > limit || w->len > limit - w->off || !memchr(w->item, '\0', QA_ITEM_MAX))
			abort();
	}
}

ORACLE static void check_same(const qa_report *a, const qa_report *b)
{
	if (a->n != b->n || (a->n && memcmp(a->v, b->v, a->n * sizeof *a->v) != 0))
		abort();
}

/* The first run of letters of s, as a NUL-terminated copy (to free). */
static char *first_word(const char *s, size_t n, int last)
{
	size_t from = 0, to = 0;
	for (size_t i = 0; i < n;) {
		if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < n && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
			i++;
		from = start, to = i;
		if (!last)
			break;
	}
	char *w = malloc(to - from + 1);
	memcpy(w, s + from, to - from);
	w[to - from] = '\0';
	return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t slen = nul ? (size_t)(nul - data) : size;
	size_t tlen = nul ? size - slen - 1 : 0;
	char *source = malloc(slen ? slen : 1), *target = malloc(tlen ? tlen : 1);   /* no NUL after either */
	memcpy(source, data, slen);
	memcpy(target, data + slen + (nul != NULL), tlen);

	char *preferred = first_word(target, tlen, 0), *deprecated = first_word(target, tlen, 1);
	const char *pref[] = { preferred }, *dep[] = { deprecated };
	qa_term term = { .off = 0, .len = slen < 8 ? slen : 8, .preferred = pref, .npreferred = 1, .deprecated = dep,
			 .ndeprecated = *deprecated != '\0' };
	unsigned pair = slen ? (unsigned char)source[0] : 0;
	qa_segment g = { .source = source, .source_len = slen, .target = target, .target_len = tlen,
			 .source_lang = langs[pair % 4], .target_lang = langs[(pair / 4) % 4],
			 .terms = &term, .nterms = *preferred != '\0' };
	qa_report a, b;
	qa_check(&g, &a);
	check_report(&a, &g);
	qa_check(&g, &b);
	check_same(&a, &b);
	qa_report_free(&a);
	qa_report_free(&b);
	free(preferred);
	free(deprecated);
	free(source);
	free(target);
	return 0;
}
