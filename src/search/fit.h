/*
 * fit — how well a donor's priorities fit a programme that needs money, as
 * the donors area ranks them: programmes for a donor, donors for a
 * programme.  No database and no records: the area loads the profiles, the
 * texts and the funding history, this file scores and explains.
 *
 * A profile is a set of dimensions (sector, country, region, theme, SDG),
 * each holding codes with a number.  A donor's number is a weight on the
 * params' scale (1 to 5 by default); a programme's is its share in per cent
 * of that dimension (sectors 60/40).  A programme whose codes in a dimension
 * all carry 0 splits that dimension evenly among them (themes tagged
 * without shares); otherwise its shares must sum to 100 within
 * FIT_SHARE_TOLERANCE.  Regions are the exception: their codes nest (a
 * region and the continent that holds it) and need not cover the whole
 * programme (a country in no region), so a programme's region shares are
 * each its per cent in that region, taken as given, summing to anything.
 *
 * The score of a donor and a programme is a sum of parts, each in [0, 1]
 * times the part's weight (the defaults: fit_params_default):
 *
 *   a dimension   Σ over the codes both name: share / 100 × weight / scale;
 *   text          the cosine of the two texts' TF-IDF vectors over stemmed
 *                 words (formats/words.h: folded, Snowball per language),
 *                 the IDF from the programmes of the index;
 *   history       what the donor funded before, each grant counted by its
 *                 amount halved every half_life years: when the donor funded
 *                 this very programme (a continuation), history_continuation
 *                 × its funding of it over its funding of the programme it
 *                 funded most; plus, over the other programmes it funded,
 *                 Σ their part of its past funding × how alike they are to
 *                 this one: history_sector × the overlap of their sector
 *                 shares + history_country × that of their country shares
 *                 (an overlap being Σ min of the two shares).  A
 *                 continuation is measured against the donor's largest
 *                 programme, not its whole funding, so that a donor of fifty
 *                 programmes still shows that it continues what it began.
 *
 * Every part is explained term by term as data, each term being
 * weight of the part × a × b: for a dimension a code (a = the programme's
 * share, b = the donor's weight over the scale), for the text a shared stem
 * (a, b = the two normalized TF-IDF components), for the history a past
 * programme (a = its part of the past funding, b = its likeness; for a
 * continuation a = its funding over the largest, b = history_continuation).  The
 * terms of a result sum to its score; the pages word them.
 *
 * Strings handed in (ids, codes, texts) are the caller's and must outlive
 * the index; strings handed out point into them or into the index.
 */
#ifndef LIAISON_FIT_H
#define LIAISON_FIT_H

#include <stddef.h>

typedef enum fit_dim { FIT_SECTOR, FIT_COUNTRY, FIT_REGION, FIT_THEME, FIT_SDG, FIT_NDIMS } fit_dim;

/* The parts of a score: the dimensions first, in fit_dim's order. */
typedef enum fit_part {
	FIT_PART_SECTOR, FIT_PART_COUNTRY, FIT_PART_REGION, FIT_PART_THEME, FIT_PART_SDG,
	FIT_PART_TEXT, FIT_PART_HISTORY, FIT_NPARTS
} fit_part;

/* The languages of texts, in this order in the text arrays. */
enum { FIT_EN, FIT_FR, FIT_ES, FIT_NLANGS };

#define FIT_SHARE_TOLERANCE 0.5   /* per cent: shares summing to 99.5..100.5 are whole */

/* "sector", "country", "region", "theme", "sdg", "text", "history". */
const char *fit_part_name(fit_part part);
/* The dimension named name, or -1. */
int fit_dim_named(const char *name);

typedef struct fit_entry {
	fit_dim dim;
	const char *code;   /* "15190", "PH", "asia-pacific" */
	double value;       /* a donor's weight; a programme's share in per cent (0: even split) */
} fit_entry;

typedef struct fit_programme {
	const char *id;
	const fit_entry *profile;
	size_t nprofile;
	const char *text[FIT_NLANGS];   /* title and description per language; NULL when absent */
	double gap;                     /* money still needed; <= 0: fully funded, never ranked for a donor */
} fit_programme;

typedef struct fit_funding {
	const char *programme;   /* the id of the programme funded */
	double amount;           /* in the one reporting currency the caller converted to */
	int year;
} fit_funding;

typedef struct fit_donor {
	const char *id;
	const fit_entry *priorities;
	size_t npriorities;
	const fit_funding *history;
	size_t nhistory;
	const char *text[FIT_NLANGS];   /* its stated priorities; NULL when absent */
} fit_donor;

typedef struct fit_params {
	double weight[FIT_NPARTS];
	double scale;             /* a donor's highest weight */
	int year;                 /* the year ranked for: grants after it are refused */
	double half_life;         /* years after which a past grant counts half */
	double history_continuation;   /* a continuation's worth, for the donor's largest programme */
	double history_sector;         /* a past programme's likeness per unit of sector overlap */
	double history_country;        /* the same for countries; the three sum to at most 1 */
} fit_params;

/* The defaults, for ranking in year, as bench/match.c --tune found them best
 * for the grants of a hidden year on a seed other than the one it reports:
 * weights history 0.80, country 0.10, text 0.05, the others 0; scale 5;
 * half-life 1.5 years; history_continuation 0.6, history_sector 0.05,
 * history_country 0.  In that world what a donor continues says far more
 * than what it states: any weight on the sector part lowered hit@10 (0.268
 * to 0.222 with sector 0.10).  An area that wants stated priorities to
 * count for programmes no donor has funded yet sets the weights itself. */
void fit_params_default(fit_params *prm, int year);
/* 0, or -1 with the reason when a weight is negative or not a number. */
int fit_params_check(const fit_params *prm, char *err, size_t errlen);

/* One term of an explanation: contribution = weight of the part × a × b. */
typedef struct fit_term {
	fit_part part;
	const char *code;   /* the code, the stem, or the past programme's id */
	double a, b, contribution;
} fit_term;

typedef struct fit_result {
	size_t index;               /* of the programme in the index, or of the donor in the array */
	double score;
	double parts[FIT_NPARTS];   /* each part's weighted contribution */
	fit_term *terms;            /* per part in fit_part's order, largest first within a part */
	size_t nterms;
} fit_result;

void fit_results_free(fit_result *r, size_t n);

/* The programmes, checked and made ready for scoring: codes numbered,
 * each text's stems counted and weighted by IDF, ids findable.  NULL with
 * the reason (the programme's place and id, what is wrong) on bad input;
 * the array must outlive the index. */
typedef struct fit_index fit_index;
fit_index *fit_index_build(const fit_programme *ps, size_t n, char *err, size_t errlen);
void fit_index_free(fit_index *ix);
size_t fit_index_count(const fit_index *ix);
/* The index of the programme with id, or -1. */
long fit_index_find(const fit_index *ix, const char *id);

/* 0, or -1 with the reason (a weight out of the scale, not a number, a
 * grant in the future...) */
int fit_donor_check(const fit_donor *d, const fit_params *prm, char *err, size_t errlen);

/* Donor d against programme i of the index, explained into *out (free with
 * fit_results_free(out, 1)).  0, or -1 with the reason. */
int fit_score(const fit_index *ix, const fit_donor *d, size_t i, const fit_params *prm, fit_result *out, char *err,
	      size_t errlen);

/* The k programmes with a gap that fit d best into top[] (k of them at
 * most), explained, best first; ties go to the larger gap, then the smaller
 * id.  The count, or -1 with the reason. */
long fit_rank_programmes(const fit_index *ix, const fit_donor *d, const fit_params *prm, size_t k, fit_result *top,
			 char *err, size_t errlen);

/* The k donors of ds[n] that fit programme i of the index best (the donors
 * most likely to fund it), explained, best first; ties go to the smaller
 * id.  The scores are those fit_rank_programmes gives.  The count, or -1. */
long fit_rank_donors(const fit_index *ix, size_t i, const fit_donor *ds, size_t n, const fit_params *prm, size_t k,
		     fit_result *top, char *err, size_t errlen);

#endif
