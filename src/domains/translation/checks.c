/*
 * checks — what is wrong, or may be, in a translation of a sentence: the
 * checks of formats/qa.h (numbers, tags and placeholders, terms of the
 * termbase found in the source, spaces, end punctuation) and spelling with
 * the target language's Hunspell dictionary.  The editor shows them beside
 * the sentence; the API answers them for any translation proposed.
 *
 * Each is {code, message (English, in the catalogs), item, offset, length}
 * with offsets in bytes of the target; spelling adds its suggestions.
 */
#include <pthread.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "formats/qa.h"
#include "formats/spell.h"

#define N_(s) s

/* One speller for the process: dictionaries are large and slow to load,
 * and spell.c guards each with its own lock. */
static pthread_once_t speller_once = PTHREAD_ONCE_INIT;
static spell *speller;
static void speller_open(void) { speller = spell_new(NULL); }

static size_t count(const char **v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

static void quality(json_t *items, arena *a, const checked *in)
{
	qa_term *terms = arena_alloc(a, (in->nhits ? (size_t)in->nhits : 1) * sizeof *terms);
	size_t nterms = 0;
	for (int i = 0; i < in->nhits; i++) {
		const term_hit *h = &in->hits[i];
		size_t np = count(h->preferred), nd = count(h->deprecated);
		if (np || nd)
			terms[nterms++] = (qa_term){ .off = h->off, .len = h->len, .preferred = h->preferred, .npreferred = np,
						     .deprecated = h->deprecated, .ndeprecated = nd };
	}
	qa_segment seg = { .source = in->source, .source_len = strlen(in->source), .target = in->target,
			   .target_len = strlen(in->target), .source_lang = in->from, .target_lang = in->to, .terms = terms,
			   .nterms = nterms };
	qa_report report;
	qa_check(&seg, &report);
	for (size_t i = 0; i < report.n; i++) {
		const qa_warning *w = &report.v[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:I}", "code", qa_code_name(w->code), "message",
						       qa_message(w->code), "item", w->item, "offset", (json_int_t)w->off,
						       "length", (json_int_t)w->len));
	}
	qa_report_free(&report);
}

static void spelling(json_t *items, const checked *in)
{
	pthread_once(&speller_once, speller_open);
	spell_misses misses;
	size_t at;
	if (!speller || spell_check(speller, in->to, in->target, strlen(in->target), &misses, &at) != SPELL_OK)
		return;
	for (size_t i = 0; i < misses.n; i++) {
		const spell_miss *miss = &misses.v[i];
		json_t *suggest = json_array();
		for (size_t k = 0; k < miss->nsuggest; k++)
			json_array_append_new(suggest, json_string(miss->suggest[k]));
		json_array_append_new(items, json_pack("{s:s, s:s, s:s%, s:I, s:I, s:o}", "code", "spelling", "message",
						       N_("A word is not in the dictionary:"), "item", in->target + miss->off,
						       miss->len, "offset", (json_int_t)miss->off, "length", (json_int_t)miss->len,
						       "suggest", suggest));
	}
	spell_misses_free(&misses);
}

json_t *checks_of(arena *a, const checked *in)
{
	json_t *items = json_array();
	if (!in->target || !*in->target)
		return items;
	quality(items, a, in);
	spelling(items, in);
	return items;
}
