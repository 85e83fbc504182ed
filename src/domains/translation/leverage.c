/*
 * leverage — how much of a text the translation memory already holds, as
 * translation managers plan and cost work: each sentence in the band of
 * its best match (the same sentence in the same context, the same
 * sentence, fuzzy 95-99, 85-94, 75-84, 50-74, nothing), and a sentence met
 * earlier in the same text counted once, its later occurrences as
 * repetitions.  Words per band, weighted by the band's share of the rate
 * (settings.c), give the words paid for and the estimate, in one currency.
 *
 * Each sentence costs one exact look-up by hash and, when that finds
 * nothing, one fuzzy query for the single best match from 50 up: the
 * memory's index (memory.c), never a scan.
 */
#include <math.h>
#include <string.h>

#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/segment.h"
#include "formats/words.h"
#include "search/tmscore.h"

typedef struct spans {
	segment_span *v;
	size_t n, cap;
	arena *a;
} spans;

static int keep_span(void *ctx, segment_span span)
{
	spans *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		segment_span *grown = arena_alloc(s->a, cap * sizeof *grown);
		if (s->n)
			memcpy(grown, s->v, s->n * sizeof *grown);
		s->v = grown;
		s->cap = cap;
	}
	s->v[s->n++] = span;
	return 0;
}

/* The sentences seen so far, by the hash of their normalized text: open
 * addressing in a table twice the sentences' number, so each look-up is a
 * few probes. */
typedef struct seen {
	uint64_t *keys;   /* 0: empty */
	size_t size;
} seen;

static int seen_before(seen *s, uint64_t key)
{
	key |= 1;   /* never 0, the empty slot */
	for (size_t i = key & (s->size - 1);; i = (i + 1) & (s->size - 1)) {
		if (s->keys[i] == key)
			return 1;
		if (s->keys[i] == 0) {
			s->keys[i] = key;
			return 0;
		}
	}
}

static uint64_t sentence_key(const char *s, size_t n)
{
	char *norm = tm_normalize(s, n);
	uint64_t key = norm ? tm_hash(norm, strlen(norm)) : tm_hash(s, n);
	free(norm);
	return key;
}

static int band_of(int score)
{
	return score >= 101 ? BAND_IN_CONTEXT : score >= 100 ? BAND_EXACT : score >= 95 ? BAND_95 : score >= 85 ? BAND_85
	       : score >= 75 ? BAND_75 : score >= 50 ? BAND_50 : BAND_NONE;
}

/* The best score the memory has for sentence i of the text, 0 for none. */
static int best_score(model_ctx *m, store_conn *c, const char *from, const char *to, const char *text, const spans *s,
		      size_t i, int *score)
{
	const segment_span *sp = &s->v[i];
	tm_query q = {
		.source_lang = from, .target_lang = to,
		.source = arena_strndup(&m->a, text + sp->off, sp->len),
		.prev_source = i > 0 ? arena_strndup(&m->a, text + s->v[i - 1].off, s->v[i - 1].len) : NULL,
		.next_source = i + 1 < s->n ? arena_strndup(&m->a, text + s->v[i + 1].off, s->v[i + 1].len) : NULL,
		.threshold = 50, .k = 1,
	};
	tm_match *found = NULL;
	size_t n = 0;
	char err[200];
	*score = 0;
	if (tm_exact(c, &q, &m->a, &found, &n, err, sizeof err) ||
	    (n == 0 && tm_fuzzy(c, &q, &m->a, &found, &n, NULL, err, sizeof err)))
		return model_fail(m, 500, "Memory error", "the translation memory could not be read: %s", err);
	*score = n ? found[0].score : 0;
	return 0;
}

int leverage_of(model_ctx *m, store_conn *c, const char *from, const char *to, const char *text, leverage *out)
{
	memset(out, 0, sizeof *out);
	spans s = { .a = &m->a };
	size_t at = 0;
	segment_error why = segment_text(from, text, strlen(text), keep_span, &s, &at);
	if (why != SEGMENT_OK)
		return model_fail(m, 422, "Text not cut", "the text could not be cut into sentences: %s at byte %zu",
				  segment_error_message(why), at);
	seen set = { .size = 16 };
	while (set.size < 2 * s.n)
		set.size *= 2;
	set.keys = arena_alloc(&m->a, set.size * sizeof *set.keys);
	memset(set.keys, 0, set.size * sizeof *set.keys);
	for (size_t i = 0; i < s.n; i++) {
		const char *sentence = text + s.v[i].off;
		int64_t words = (int64_t)words_counted(sentence, s.v[i].len);
		int band = BAND_REPETITION, score;
		if (!seen_before(&set, sentence_key(sentence, s.v[i].len))) {
			if (best_score(m, c, from, to, text, &s, i, &score))
				return -1;
			band = band_of(score);
		}
		out->segments[band]++;
		out->words[band] += words;
		out->total_segments++;
		out->total_words += words;
	}
	const translation_config *cfg = translation_settings();
	double weighted = 0;
	for (int b = 0; b < LEVERAGE_BANDS; b++)
		weighted += (double)out->words[b] * cfg->weights[b] / 100.0;
	out->weighted_words = llround(weighted);
	out->cost = llround(weighted * cfg->rate_per_word);
	return 0;
}

json_t *leverage_json(const leverage *l)
{
	const translation_config *cfg = translation_settings();
	json_t *bands = json_array();
	for (int b = 0; b < LEVERAGE_BANDS; b++)
		json_array_append_new(bands, json_pack("{s:s, s:I, s:I, s:i}", "band", leverage_band_names[b], "segments",
						       (json_int_t)l->segments[b], "words", (json_int_t)l->words[b],
						       "weight", cfg->weights[b]));
	return json_pack("{s:o, s:I, s:I, s:I, s:{s:I, s:s, s:i}}", "bands", bands, "segments", (json_int_t)l->total_segments,
			 "words", (json_int_t)l->total_words, "weighted_words", (json_int_t)l->weighted_words, "estimate",
			 "amount", (json_int_t)l->cost, "currency", cfg->currency, "rate_per_word", cfg->rate_per_word);
}
