/*
 * test_fit — donors and programmes scored (src/search/fit.c): the arithmetic
 * of shares and weights, the explanation's terms summing to the score, the
 * parts a programme shares nothing in scoring 0, fully funded programmes
 * never ranked, ties broken the same way every time, the reverse ranking
 * giving the forward scores, and, over generated worlds, the index's scores
 * against a plain computation from the records as given (every code and
 * stem compared by string, the IDF counted afresh).  Bad input is refused
 * with the place and the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xorshift.h"
#include "formats/words.h"
#include "search/fit.h"

#define YEAR 2024

/* Every part weighed, whatever the defaults are tuned to. */
static fit_params defaults(void)
{
	fit_params prm;
	fit_params_default(&prm, YEAR);
	double weight[FIT_NPARTS] = { 0.35, 0.10, 0.10, 0.10, 0.05, 0.10, 0.20 };
	memcpy(prm.weight, weight, sizeof weight);
	prm.half_life = 2;
	prm.history_continuation = 0.6;
	prm.history_sector = 0.3;
	prm.history_country = 0.1;
	return prm;
}

static double term_sum(const fit_result *r)
{
	double sum = 0;
	for (size_t t = 0; t < r->nterms; t++)
		sum += r->terms[t].contribution;
	return sum;
}

static const fit_term *term_named(const fit_result *r, fit_part part, const char *code)
{
	for (size_t t = 0; t < r->nterms; t++)
		if (r->terms[t].part == part && strcmp(r->terms[t].code, code) == 0)
			return &r->terms[t];
	return NULL;
}

/* ---- arithmetic --------------------------------------------------------- */

static const fit_entry mixed_profile[] = {
	{ FIT_SECTOR, "15190", 40 }, { FIT_SECTOR, "72010", 60 },
	{ FIT_COUNTRY, "EC", 100 },
	{ FIT_THEME, "gender", 0 }, { FIT_THEME, "climate", 0 }, { FIT_THEME, "youth", 0 },
};

static void test_shares_times_weights(void **state)
{
	(void)state;
	fit_programme ps[] = { { .id = "P-1", .profile = mixed_profile, .nprofile = 6, .gap = 1000 } };
	fit_entry wants[] = { { FIT_SECTOR, "15190", 3 }, { FIT_COUNTRY, "EC", 5 }, { FIT_THEME, "climate", 2 },
			      { FIT_SECTOR, "16010", 5 } };
	fit_donor d = { .id = "D-1", .priorities = wants, .npriorities = 4 };
	fit_params prm = defaults();
	char err[256];
	fit_index *ix = fit_index_build(ps, 1, err, sizeof err);
	assert_non_null(ix);
	fit_result r;
	assert_int_equal(fit_score(ix, &d, 0, &prm, &r, err, sizeof err), 0);

	const fit_term *sector = term_named(&r, FIT_PART_SECTOR, "15190");
	assert_non_null(sector);
	assert_float_equal(sector->a, 0.40, 1e-12);   /* 40% of the programme */
	assert_float_equal(sector->b, 0.60, 1e-12);   /* weight 3 of 5 */
	assert_float_equal(sector->contribution, 0.35 * 0.24, 1e-12);
	assert_null(term_named(&r, FIT_PART_SECTOR, "72010"));   /* the donor gives it no weight */
	assert_null(term_named(&r, FIT_PART_SECTOR, "16010"));   /* the programme has none of it */
	assert_float_equal(r.parts[FIT_PART_COUNTRY], 0.10 * 1.0, 1e-12);
	const fit_term *theme = term_named(&r, FIT_PART_THEME, "climate");
	assert_non_null(theme);
	assert_float_equal(theme->a, 1.0 / 3, 1e-12);   /* themes without shares split evenly */
	assert_float_equal(r.parts[FIT_PART_THEME], 0.10 * (1.0 / 3) * 0.4, 1e-12);
	assert_float_equal(r.score, 0.35 * 0.24 + 0.10 + 0.10 * 0.4 / 3, 1e-12);
	assert_float_equal(term_sum(&r), r.score, 1e-12);
	fit_results_free(&r, 1);
	fit_index_free(ix);
}

/* The score's part of one programme of profile[n] for a donor of wants[nw], whose terms must sum to the score. */
static double part_for(const fit_entry *profile, size_t n, const fit_entry *wants, size_t nw, fit_part part)
{
	fit_programme ps[] = { { .id = "P", .profile = profile, .nprofile = n, .gap = 1 } };
	fit_donor d = { .id = "D", .priorities = wants, .npriorities = nw };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(ps, 1, NULL, 0);
	assert_non_null(ix);
	fit_result r;
	assert_int_equal(fit_score(ix, &d, 0, &prm, &r, NULL, 0), 0);
	assert_float_equal(term_sum(&r), r.score, 1e-12);
	double got = r.parts[part];
	fit_results_free(&r, 1);
	fit_index_free(ix);
	return got;
}

/* Shares within the tolerance count as whole: 33.3 × 3 is 99.9 per cent
 * of the programme, each a third of it. */
static void test_shares_near_100_normalized(void **state)
{
	(void)state;
	fit_entry thirds[] = { { FIT_SECTOR, "a", 33.3 }, { FIT_SECTOR, "b", 33.3 }, { FIT_SECTOR, "c", 33.3 } };
	fit_entry wants[] = { { FIT_SECTOR, "a", 5 }, { FIT_SECTOR, "b", 5 }, { FIT_SECTOR, "c", 5 } };
	assert_float_equal(part_for(thirds, 3, wants, 3, FIT_PART_SECTOR), 0.35, 1e-12);
}

static void refuses_programme(fit_entry *profile, size_t n, double gap, const char *text, const char *reason);

/* Regions nest (a region and its continent) and need not cover the programme: each share as given, of 100. */
static void test_region_shares_nest(void **state)
{
	(void)state;
	fit_entry nested[] = { { FIT_REGION, "789", 60 }, { FIT_REGION, "798", 60 }, { FIT_REGION, "289", 30 },
			       { FIT_REGION, "298", 30 } };   /* a tenth of it in a country of no region */
	fit_entry wants[] = { { FIT_REGION, "798", 5 }, { FIT_REGION, "289", 1 } };
	/* weight 0.10 × (0.6 × 5/5 + 0.3 × 1/5) */
	assert_float_equal(part_for(nested, 4, wants, 2, FIT_PART_REGION), 0.10 * (0.6 + 0.06), 1e-12);
	fit_entry over[] = { { FIT_REGION, "798", 101 } };
	refuses_programme(over, 1, 1, NULL, "region 798: a share of 101%");
}

/* ---- text and history ----------------------------------------------------- */

static const fit_entry camp_profile[] = { { FIT_SECTOR, "72010", 100 }, { FIT_COUNTRY, "HT", 100 } };
static const fit_entry return_profile[] = { { FIT_SECTOR, "15190", 70 }, { FIT_SECTOR, "72010", 30 },
					    { FIT_COUNTRY, "EC", 100 } };
static const fit_entry law_profile[] = { { FIT_SECTOR, "15160", 100 }, { FIT_COUNTRY, "ZA", 100 } };

static const fit_programme small_world[] = {
	{ .id = "P-camp", .profile = camp_profile, .nprofile = 2, .gap = 500,
	  .text = { "Shelter and water for displaced families in camps", NULL, NULL } },
	{ .id = "P-return", .profile = return_profile, .nprofile = 3, .gap = 800,
	  .text = { "Safe return and reintegration of migrants", "Retour et réintégration des migrants", NULL } },
	{ .id = "P-law", .profile = law_profile, .nprofile = 2, .gap = 300,
	  .text = { "Training judges on the rights of migrant workers", NULL, NULL } },
	{ .id = "P-done", .profile = camp_profile, .nprofile = 2, .gap = 0,
	  .text = { "Shelter for displaced families, fully funded", NULL, NULL } },
};

static void test_shared_words_explain_the_text(void **state)
{
	(void)state;
	fit_donor d = { .id = "D", .text = { "We fund shelter for displaced families and clean water", NULL, NULL } };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(small_world, 4, NULL, 0);
	fit_result r;
	assert_int_equal(fit_score(ix, &d, 0, &prm, &r, NULL, 0), 0);
	assert_true(r.parts[FIT_PART_TEXT] > 0);
	assert_non_null(term_named(&r, FIT_PART_TEXT, "shelter"));
	assert_non_null(term_named(&r, FIT_PART_TEXT, "famili"));   /* stemmed: "families" */
	assert_non_null(term_named(&r, FIT_PART_TEXT, "water"));
	assert_null(term_named(&r, FIT_PART_TEXT, "camp"));          /* the donor never says it */
	double text = 0, previous = INFINITY;
	for (size_t t = 0; t < r.nterms; t++)
		if (r.terms[t].part == FIT_PART_TEXT) {
			assert_true(r.terms[t].contribution <= previous);   /* the top shared words first */
			previous = r.terms[t].contribution;
			text += r.terms[t].contribution;
		}
	assert_float_equal(text, r.parts[FIT_PART_TEXT], 1e-12);
	fit_results_free(&r, 1);
	fit_index_free(ix);
}

static void test_history_continuation_and_overlap(void **state)
{
	(void)state;
	/* 300 in the year ranked for and 200 two years before, which counts half */
	fit_funding grants[] = { { "P-camp", 300, YEAR }, { "P-return", 200, YEAR - 2 }, { "elsewhere", 0, YEAR - 1 } };
	fit_donor d = { .id = "D", .history = grants, .nhistory = 3 };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(small_world, 4, NULL, 0);
	fit_result r;
	assert_int_equal(fit_score(ix, &d, 0, &prm, &r, NULL, 0), 0);
	double camp = 300 / 400.0, ret = 100 / 400.0;
	const fit_term *again = term_named(&r, FIT_PART_HISTORY, "P-camp");
	const fit_term *near = term_named(&r, FIT_PART_HISTORY, "P-return");
	assert_non_null(again);
	assert_non_null(near);
	assert_float_equal(again->a, 1, 1e-12);   /* a continuation of its largest programme */
	assert_float_equal(again->b, prm.history_continuation, 1e-12);
	assert_float_equal(near->a, ret, 1e-12);
	assert_float_equal(near->b, prm.history_sector * 0.30, 1e-12);   /* shares 72010 at 30%, no country */
	assert_float_equal(r.parts[FIT_PART_HISTORY],
			   prm.weight[FIT_PART_HISTORY] * (prm.history_continuation + ret * prm.history_sector * 0.3), 1e-12);
	fit_results_free(&r, 1);
	/* seen from the other programme: a continuation of a third of the largest */
	assert_int_equal(fit_score(ix, &d, 1, &prm, &r, NULL, 0), 0);
	again = term_named(&r, FIT_PART_HISTORY, "P-return");
	assert_non_null(again);
	assert_float_equal(again->a, 100 / 300.0, 1e-12);
	assert_float_equal(term_named(&r, FIT_PART_HISTORY, "P-camp")->a, camp, 1e-12);
	assert_float_equal(term_sum(&r), r.score, 1e-12);
	fit_results_free(&r, 1);
	fit_index_free(ix);
}

/* A programme with no code, word or past programme in common with the
 * donor scores 0 in every part, and its explanation is empty. */
static void test_nothing_shared_scores_zero(void **state)
{
	(void)state;
	fit_entry wants[] = { { FIT_SECTOR, "72010", 5 }, { FIT_COUNTRY, "HT", 4 } };
	fit_funding grants[] = { { "P-camp", 100, YEAR - 1 } };
	fit_donor d = { .id = "D", .priorities = wants, .npriorities = 2, .history = grants, .nhistory = 1,
			.text = { "shelter water displaced", NULL, NULL } };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(small_world, 4, NULL, 0);
	fit_result r;
	assert_int_equal(fit_score(ix, &d, 2, &prm, &r, NULL, 0), 0);
	for (int p = 0; p < FIT_NPARTS; p++)
		assert_true(r.parts[p] == 0);
	assert_true(r.score == 0);
	assert_int_equal(r.nterms, 0);
	fit_results_free(&r, 1);
	fit_index_free(ix);
}

/* ---- ranking -------------------------------------------------------------- */

static void test_fully_funded_never_ranked(void **state)
{
	(void)state;
	fit_entry wants[] = { { FIT_SECTOR, "72010", 5 }, { FIT_COUNTRY, "HT", 5 } };
	fit_donor d = { .id = "D", .priorities = wants, .npriorities = 2,
			.text = { "shelter for displaced families, fully funded", NULL, NULL } };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(small_world, 4, NULL, 0);
	fit_result top[4], done;
	long n = fit_rank_programmes(ix, &d, &prm, 4, top, NULL, 0);
	assert_int_equal(n, 3);
	for (long i = 0; i < n; i++)
		assert_int_not_equal(top[i].index, 3);
	assert_int_equal(top[0].index, 0);
	/* yet it is the best fit of all, scored on its own */
	assert_int_equal(fit_score(ix, &d, 3, &prm, &done, NULL, 0), 0);
	assert_true(done.score > top[0].score);
	fit_results_free(top, (size_t)n);
	fit_results_free(&done, 1);
	fit_index_free(ix);
}

/* Programmes alike in everything rank by gap, then by id. */
static void test_ties_by_gap_then_id(void **state)
{
	(void)state;
	fit_programme ps[] = {
		{ .id = "P-c", .profile = camp_profile, .nprofile = 2, .gap = 10 },
		{ .id = "P-b", .profile = camp_profile, .nprofile = 2, .gap = 50 },
		{ .id = "P-a", .profile = camp_profile, .nprofile = 2, .gap = 10 },
		{ .id = "P-d", .profile = camp_profile, .nprofile = 2, .gap = 50 },
	};
	fit_entry wants[] = { { FIT_SECTOR, "72010", 3 } };
	fit_donor d = { .id = "D", .priorities = wants, .npriorities = 1 };
	fit_params prm = defaults();
	fit_index *ix = fit_index_build(ps, 4, NULL, 0);
	fit_result top[4];
	assert_int_equal(fit_rank_programmes(ix, &d, &prm, 4, top, NULL, 0), 4);
	const char *want[] = { "P-b", "P-d", "P-a", "P-c" };
	for (int i = 0; i < 4; i++)
		assert_string_equal(ps[top[i].index].id, want[i]);
	fit_results_free(top, 4);
	assert_int_equal(fit_rank_programmes(ix, &d, &prm, 2, top, NULL, 0), 2);   /* k cuts the same order */
	assert_string_equal(ps[top[0].index].id, "P-b");
	assert_string_equal(ps[top[1].index].id, "P-d");
	fit_results_free(top, 2);
	assert_int_equal(fit_rank_programmes(ix, &d, &prm, 0, top, NULL, 0), 0);
	fit_index_free(ix);
}

/* ---- generated worlds ----------------------------------------------------- */

static const char *const sector_codes[] = { "15190", "72010", "16010", "15160", "73010", "12220", "11220" };
static const char *const country_codes[] = { "EC", "HT", "ZA", "PH", "CO", "SN", "JO", "BD" };
static const char *const region_codes[] = { "americas", "africa", "asia", "mena" };
static const char *const theme_codes[] = { "gender", "climate", "youth", "health", "data" };
static const char *const vocabulary[] = { "migrants", "migration", "shelter", "water", "families", "return",
					  "border", "health", "children", "women", "training", "camps", "rights",
					  "jobs", "climate", "floods", "data", "schools", "the", "of", "and" };
static const char *const mots[] = { "migrants", "retour", "abri", "eau", "familles", "droits", "frontière" };

#define NPROG 40
#define NDONOR 12
#define MAXENT 12
#define MAXGRANT 10

typedef struct world {
	fit_programme ps[NPROG];
	fit_entry entries[NPROG][MAXENT];
	char ids[NPROG][16];
	char texts[NPROG][2][400];
	fit_donor ds[NDONOR];
	fit_entry wants[NDONOR][MAXENT];
	fit_funding grants[NDONOR][MAXGRANT];
	char dids[NDONOR][16];
	char dtexts[NDONOR][400];
} world;

static uint64_t rng;
static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

static void words_into(char *out, size_t size, const char *const *from, size_t n, int count)
{
	out[0] = '\0';
	for (int w = 0; w < count; w++) {
		strncat(out, from[draw((uint32_t)n)], size - strlen(out) - 2);
		strncat(out, " ", size - strlen(out) - 1);
	}
}

/* k distinct codes of pool into entries, with shares summing to 100 (or
 * none given, for an even split). */
static size_t some_codes(fit_entry *e, fit_dim dim, const char *const *pool, size_t npool, size_t k, int shares)
{
	size_t first = draw((uint32_t)npool), left = 100;
	for (size_t j = 0; j < k; j++) {
		size_t share = j + 1 == k ? left : 1 + draw((uint32_t)(left - (k - j - 1)));
		left -= j + 1 == k ? left : share;
		e[j] = (fit_entry){ dim, pool[(first + j) % npool], shares ? (double)share : 0 };
	}
	return k;
}

static void make_programme(world *w, size_t i)
{
	fit_entry *e = w->entries[i];
	size_t n = some_codes(e, FIT_SECTOR, sector_codes, 7, 1 + draw(3), 1);
	n += some_codes(e + n, FIT_COUNTRY, country_codes, 8, 1 + draw(2), 1);
	n += some_codes(e + n, FIT_REGION, region_codes, 4, 1, 1);
	n += some_codes(e + n, FIT_THEME, theme_codes, 5, draw(4), 0);
	snprintf(w->ids[i], sizeof w->ids[i], "P-%02zu", i);
	words_into(w->texts[i][0], sizeof w->texts[i][0], vocabulary, 21, (int)draw(25));
	words_into(w->texts[i][1], sizeof w->texts[i][1], mots, 7, (int)draw(4) * 3);
	w->ps[i] = (fit_programme){ .id = w->ids[i], .profile = e, .nprofile = n, .gap = (double)draw(3) * 1000,
				    .text = { w->texts[i][0], draw(2) ? w->texts[i][1] : NULL, NULL } };
}

static void make_donor(world *w, size_t j)
{
	fit_entry *e = w->wants[j];
	size_t n = some_codes(e, FIT_SECTOR, sector_codes, 7, draw(4), 0);
	n += some_codes(e + n, FIT_COUNTRY, country_codes, 8, draw(3), 0);
	n += some_codes(e + n, FIT_REGION, region_codes, 4, draw(2), 0);
	n += some_codes(e + n, FIT_THEME, theme_codes, 5, draw(3), 0);
	for (size_t k = 0; k < n; k++)
		e[k].value = 1 + draw(5);
	size_t grants = draw(MAXGRANT);
	for (size_t g = 0; g < grants; g++) {
		uint32_t q = draw(NPROG + 3);   /* now and then a programme the index does not hold */
		w->grants[j][g] = (fit_funding){ q < NPROG ? w->ids[q] : "P-gone", 100.0 * (1 + draw(50)), YEAR - (int)draw(6) };
	}
	snprintf(w->dids[j], sizeof w->dids[j], "D-%02zu", j);
	words_into(w->dtexts[j], sizeof w->dtexts[j], vocabulary, 21, (int)draw(12));
	w->ds[j] = (fit_donor){ .id = w->dids[j], .priorities = e, .npriorities = n, .history = w->grants[j],
				.nhistory = grants, .text = { w->dtexts[j], NULL, NULL } };
}

static world *make_world(uint64_t seed)
{
	world *w = calloc(1, sizeof *w);
	rng = seed;
	for (size_t i = 0; i < NPROG; i++)
		make_programme(w, i);
	for (size_t j = 0; j < NDONOR; j++)
		make_donor(w, j);
	return w;
}

/* ---- the plain computation: no numbering, everything by string ------------ */

typedef struct bag {
	char *stem[400];
	double tf[400];
	size_t n;
} bag;

static void bag_of(const char *const text[FIT_NLANGS], bag *b)
{
	static const char *const langs[] = { "en", "fr", "es" };
	b->n = 0;
	for (int l = 0; l < FIT_NLANGS; l++) {
		word_list wl;
		words_init(&wl, langs[l]);
		words_read(&wl, text[l] ? text[l] : "", text[l] ? strlen(text[l]) : 0);
		for (size_t i = 0; i < words_count(&wl); i++) {
			size_t len, k;
			const char *s = words_stem(&wl, i, &len);
			for (k = 0; k < b->n && !(strlen(b->stem[k]) == len && memcmp(b->stem[k], s, len) == 0); k++)
				;
			if (k == b->n)
				b->stem[b->n] = strndup(s, len), b->tf[b->n++] = 0;
			b->tf[k]++;
		}
		words_free(&wl);
	}
}

static void bag_free(bag *b)
{
	for (size_t k = 0; k < b->n; k++)
		free(b->stem[k]);
}

static double tf_of(const bag *b, const char *stem)
{
	for (size_t k = 0; k < b->n; k++)
		if (strcmp(b->stem[k], stem) == 0)
			return b->tf[k];
	return 0;
}

static double idf_of(const bag *all, size_t n, const char *stem)
{
	size_t df = 0;
	for (size_t i = 0; i < n; i++)
		df += tf_of(&all[i], stem) > 0;
	return log((1.0 + (double)n) / (1.0 + (double)df)) + 1;
}

static double tfidf_norm(const bag *b, const bag *all, size_t n)
{
	double sum = 0;
	for (size_t k = 0; k < b->n; k++) {
		double w = (1 + log(b->tf[k])) * idf_of(all, n, b->stem[k]);
		sum += w * w;
	}
	return sqrt(sum);
}

static double plain_cosine(const bag *donor, const bag *prog, const bag *all, size_t n)
{
	double dn = tfidf_norm(donor, all, n), pn = tfidf_norm(prog, all, n), dot = 0;
	for (size_t k = 0; k < prog->n; k++) {
		double tf = tf_of(donor, prog->stem[k]);
		if (tf > 0) {
			double idf = idf_of(all, n, prog->stem[k]);
			dot += (1 + log(tf)) * idf * (1 + log(prog->tf[k])) * idf;
		}
	}
	return dot > 0 ? dot / (dn * pn) : 0;
}

/* The programme's share of code in dim, normalized as fit.h says. */
static double share_of(const fit_programme *p, fit_dim dim, const char *code)
{
	double sum = 0, mine = -1;
	size_t codes = 0;
	for (size_t k = 0; k < p->nprofile; k++)
		if (p->profile[k].dim == dim) {
			codes++;
			sum += p->profile[k].value;
			if (strcmp(p->profile[k].code, code) == 0)
				mine = p->profile[k].value;
		}
	if (mine < 0)
		return 0;
	return sum > 0 ? mine / sum : 1.0 / (double)codes;
}

static double plain_overlap(const fit_programme *p, const fit_programme *q, fit_dim dim)
{
	double sum = 0;
	for (size_t k = 0; k < p->nprofile; k++)
		if (p->profile[k].dim == dim)
			sum += fmin(share_of(p, dim, p->profile[k].code), share_of(q, dim, p->profile[k].code));
	return sum;
}

static const fit_programme *programme_named(const world *w, const char *id)
{
	for (size_t i = 0; i < NPROG; i++)
		if (strcmp(w->ps[i].id, id) == 0)
			return &w->ps[i];
	return NULL;
}

static double plain_history(const world *w, const fit_donor *d, const fit_programme *p, const fit_params *prm)
{
	double total = 0, sum = 0, own = 0, most = 0;
	for (size_t g = 0; g < d->nhistory; g++) {
		const fit_funding *f = &d->history[g];
		double mass = f->amount * pow(0.5, (prm->year - f->year) / prm->half_life);
		const fit_programme *q = programme_named(w, f->programme);
		total += mass;
		if (q == p)
			own += mass;
		else if (q)
			sum += mass * (prm->history_sector * plain_overlap(p, q, FIT_SECTOR) +
				       prm->history_country * plain_overlap(p, q, FIT_COUNTRY));
	}
	for (size_t i = 0; i < NPROG; i++) {   /* the programme it funded most */
		double mass = 0;
		for (size_t g = 0; g < d->nhistory; g++)
			if (strcmp(d->history[g].programme, w->ps[i].id) == 0)
				mass += d->history[g].amount * pow(0.5, (prm->year - d->history[g].year) / prm->half_life);
		most = fmax(most, mass);
	}
	if (total <= 0)
		return 0;
	return sum / total + (own > 0 ? prm->history_continuation * own / most : 0);
}

static double plain_score(const world *w, const bag *all, const fit_donor *d, size_t i, const fit_params *prm)
{
	const fit_programme *p = &w->ps[i];
	double score = 0;
	for (size_t k = 0; k < d->npriorities; k++) {
		const fit_entry *e = &d->priorities[k];
		score += prm->weight[e->dim] * share_of(p, e->dim, e->code) * e->value / prm->scale;
	}
	bag donor;
	bag_of(d->text, &donor);
	score += prm->weight[FIT_PART_TEXT] * plain_cosine(&donor, &all[i], all, NPROG);
	bag_free(&donor);
	return score + prm->weight[FIT_PART_HISTORY] * plain_history(w, d, p, prm);
}

static fit_params random_params(void)
{
	fit_params prm = defaults();
	for (int p = 0; p < FIT_NPARTS; p++)
		prm.weight[p] = draw(100) / 100.0;
	prm.half_life = 0.5 + draw(6);
	prm.history_continuation = draw(40) / 100.0;
	prm.history_sector = draw(40) / 100.0;
	prm.history_country = draw(20) / 100.0;
	return prm;
}

static void test_index_agrees_with_plain_computation(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		world *w = make_world(seed * 0x9E3779B97F4A7C15u);
		fit_params prm = seed == 1 ? defaults() : random_params();
		if (seed == 2)
			fit_params_default(&prm, YEAR);
		char err[256] = "";
		fit_index *ix = fit_index_build(w->ps, NPROG, err, sizeof err);
		assert_non_null(ix);
		bag all[NPROG];
		for (size_t i = 0; i < NPROG; i++)
			bag_of(w->ps[i].text, &all[i]);
		for (size_t j = 0; j < NDONOR; j++)
			for (size_t i = 0; i < NPROG; i++) {
				fit_result r;
				assert_int_equal(fit_score(ix, &w->ds[j], i, &prm, &r, err, sizeof err), 0);
				assert_float_equal(r.score, plain_score(w, all, &w->ds[j], i, &prm), 1e-9);
				assert_float_equal(term_sum(&r), r.score, 1e-9);
				for (int p = 0; p < FIT_NPARTS; p++)
					assert_true(r.parts[p] >= 0 && r.parts[p] <= prm.weight[p] + 1e-9);
				fit_results_free(&r, 1);
			}
		for (size_t i = 0; i < NPROG; i++)
			bag_free(&all[i]);
		fit_index_free(ix);
		free(w);
	}
}

/* The ranking is the scores of every programme with a gap, sorted; the
 * same twice; and the reverse ranking gives each donor the same score. */
static void test_rankings_agree_with_scores(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		world *w = make_world(seed * 0xD1B54A32D192ED03u);
		fit_params prm = defaults();
		fit_index *ix = fit_index_build(w->ps, NPROG, NULL, 0);
		double score[NDONOR][NPROG];
		for (size_t j = 0; j < NDONOR; j++)
			for (size_t i = 0; i < NPROG; i++) {
				fit_result r;
				assert_int_equal(fit_score(ix, &w->ds[j], i, &prm, &r, NULL, 0), 0);
				score[j][i] = r.score;
				fit_results_free(&r, 1);
			}
		for (size_t j = 0; j < NDONOR; j++) {
			fit_result top[10], again[10];
			long n = fit_rank_programmes(ix, &w->ds[j], &prm, 10, top, NULL, 0);
			assert_int_equal(fit_rank_programmes(ix, &w->ds[j], &prm, 10, again, NULL, 0), n);
			size_t funded = 0;
			int in_top[NPROG] = { 0 };
			for (size_t i = 0; i < NPROG; i++)
				funded += w->ps[i].gap > 0;
			assert_int_equal(n, funded < 10 ? funded : 10);
			for (long r = 0; r < n; r++) {
				in_top[top[r].index] = 1;
				assert_int_equal(top[r].index, again[r].index);
				assert_true(top[r].score == again[r].score);
				assert_true(top[r].score == score[j][top[r].index]);
				assert_true(w->ps[top[r].index].gap > 0);
				assert_true(r == 0 || top[r - 1].score >= top[r].score);
				assert_float_equal(term_sum(&top[r]), top[r].score, 1e-9);
			}
			for (size_t i = 0; n && i < NPROG; i++)   /* nothing left out scores above the last kept */
				assert_true(in_top[i] || w->ps[i].gap <= 0 || score[j][i] <= top[n - 1].score);
			fit_results_free(top, (size_t)n);
			fit_results_free(again, (size_t)n);
		}
		for (size_t i = 0; i < NPROG; i++) {
			fit_result top[NDONOR];
			long n = fit_rank_donors(ix, i, w->ds, NDONOR, &prm, NDONOR, top, NULL, 0);
			assert_int_equal(n, NDONOR);
			for (long r = 0; r < n; r++) {
				assert_true(top[r].score == score[top[r].index][i]);
				assert_true(r == 0 || top[r - 1].score > top[r].score ||
					    (top[r - 1].score == top[r].score &&
					     strcmp(w->ds[top[r - 1].index].id, w->ds[top[r].index].id) < 0));
				assert_float_equal(term_sum(&top[r]), top[r].score, 1e-9);
			}
			fit_results_free(top, (size_t)n);
		}
		fit_index_free(ix);
		free(w);
	}
}

/* ---- bad input ------------------------------------------------------------ */

static void refuses_programme(fit_entry *profile, size_t n, double gap, const char *text, const char *reason)
{
	fit_programme ps[] = { { .id = "P-ok", .gap = 1 },
			       { .id = "P-bad", .profile = profile, .nprofile = n, .gap = gap, .text = { NULL, text, NULL } } };
	char err[256] = "";
	assert_null(fit_index_build(ps, 2, err, sizeof err));
	if (!strstr(err, reason) || !strstr(err, "programme 1 (P-bad)"))
		fail_msg("\"%s\" does not say \"%s\"", err, reason);
}

static void test_bad_programmes_refused(void **state)
{
	(void)state;
	fit_entry ninety[] = { { FIT_SECTOR, "15190", 60 }, { FIT_SECTOR, "72010", 30 } };
	refuses_programme(ninety, 2, 1, NULL, "sector shares sum to 90, not 100");
	fit_entry over[] = { { FIT_COUNTRY, "EC", 60 }, { FIT_COUNTRY, "HT", 41 } };
	refuses_programme(over, 2, 1, NULL, "country shares sum to 101");
	fit_entry mixed[] = { { FIT_THEME, "gender", 50 }, { FIT_THEME, "youth", 0 } };
	refuses_programme(mixed, 2, 1, NULL, "theme: 1 of 2 codes have a share");
	fit_entry nan[] = { { FIT_SECTOR, "15190", NAN } };
	refuses_programme(nan, 1, 1, NULL, "sector 15190: nan is not a number");
	fit_entry negative[] = { { FIT_SECTOR, "15190", 150 }, { FIT_SECTOR, "72010", -50 } };
	refuses_programme(negative, 2, 1, NULL, "sector 72010: -50 is not a number of 0 or more");
	fit_entry twice[] = { { FIT_SDG, "10", 50 }, { FIT_SDG, "10", 50 } };
	refuses_programme(twice, 2, 1, NULL, "sdg 10 is given twice");
	fit_entry nameless[] = { { FIT_REGION, "", 100 } };
	refuses_programme(nameless, 1, 1, NULL, "entry 0, region, has no code");
	fit_entry fine[] = { { FIT_SECTOR, "15190", 100 } };
	refuses_programme(fine, 1, NAN, NULL, "the gap is not a number");
	refuses_programme(fine, 1, 1, "caf\xC3", "text fr is not UTF-8");

	fit_programme same[] = { { .id = "P-1", .gap = 1 }, { .id = "P-1", .gap = 2 } };
	char err[256];
	assert_null(fit_index_build(same, 2, err, sizeof err));
	assert_non_null(strstr(err, "programme 1 (P-1): the id is already programme 0's"));
}

static void refuses_donor(const fit_donor *d, const fit_params *prm, const char *reason)
{
	fit_index *ix = fit_index_build(small_world, 4, NULL, 0);
	char err[256] = "";
	fit_result top[2];
	assert_int_equal(fit_rank_programmes(ix, d, prm, 2, top, err, sizeof err), -1);
	if (!strstr(err, reason))
		fail_msg("\"%s\" does not say \"%s\"", err, reason);
	assert_int_equal(fit_rank_donors(ix, 0, d, 1, prm, 2, top, err, sizeof err), -1);
	assert_int_equal(fit_score(ix, d, 0, prm, top, err, sizeof err), -1);
	fit_index_free(ix);
}

static void test_bad_donors_and_params_refused(void **state)
{
	(void)state;
	fit_params prm = defaults();
	fit_entry negative[] = { { FIT_SECTOR, "15190", -1 } };
	refuses_donor(&(fit_donor){ .id = "D-1", .priorities = negative, .npriorities = 1 }, &prm,
		      "donor D-1: sector 15190: -1 is not a number of 0 or more");
	fit_entry above[] = { { FIT_THEME, "youth", 6 } };
	refuses_donor(&(fit_donor){ .id = "D-2", .priorities = above, .npriorities = 1 }, &prm,
		      "donor D-2: theme youth: weight 6 is above the scale's 5");
	fit_entry nan[] = { { FIT_COUNTRY, "EC", NAN } };
	refuses_donor(&(fit_donor){ .id = "D-3", .priorities = nan, .npriorities = 1 }, &prm, "country EC: nan");
	fit_funding future[] = { { "P-camp", 10, YEAR + 1 } };
	refuses_donor(&(fit_donor){ .id = "D-4", .history = future, .nhistory = 1 }, &prm,
		      "grant 0 (P-camp): year 2025 is after the year ranked for, 2024");
	fit_funding nan_amount[] = { { "P-camp", NAN, YEAR } };
	refuses_donor(&(fit_donor){ .id = "D-5", .history = nan_amount, .nhistory = 1 }, &prm,
		      "grant 0 (P-camp): amount nan");
	refuses_donor(&(fit_donor){ .id = NULL }, &prm, "a donor has no id");

	fit_donor fine = { .id = "D" };
	fit_params bad = prm;
	bad.weight[FIT_PART_TEXT] = -0.1;
	refuses_donor(&fine, &bad, "weight of the text part: -0.1");
	bad = prm;
	bad.weight[FIT_PART_HISTORY] = NAN;
	refuses_donor(&fine, &bad, "weight of the history part: nan");
	bad = prm;
	bad.half_life = 0;
	refuses_donor(&fine, &bad, "half-life: 0");
	bad = prm;
	bad.history_sector = 0.35;
	refuses_donor(&fine, &bad, "history: continuation 0.6, sector 0.35 and country 0.1 must be 0 or more, 1 at most");
}

static void test_names(void **state)
{
	(void)state;
	for (int d = 0; d < FIT_NDIMS; d++)
		assert_int_equal(fit_dim_named(fit_part_name((fit_part)d)), d);
	assert_int_equal(fit_dim_named("text"), -1);
	assert_int_equal(fit_dim_named(NULL), -1);
	assert_string_equal(fit_part_name(FIT_PART_HISTORY), "history");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_times_weights),
		cmocka_unit_test(test_shares_near_100_normalized),
		cmocka_unit_test(test_region_shares_nest),
		cmocka_unit_test(test_shared_words_explain_the_text),
		cmocka_unit_test(test_history_continuation_and_overlap),
		cmocka_unit_test(test_nothing_shared_scores_zero),
		cmocka_unit_test(test_fully_funded_never_ranked),
		cmocka_unit_test(test_ties_by_gap_then_id),
		cmocka_unit_test(test_index_agrees_with_plain_computation),
		cmocka_unit_test(test_rankings_agree_with_scores),
		cmocka_unit_test(test_bad_programmes_refused),
		cmocka_unit_test(test_bad_donors_and_params_refused),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
