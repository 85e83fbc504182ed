/*
 * fit — donors and programmes scored and ranked (see fit.h for the model).
 *
 * The index numbers what the programmes hold once: each dimension's codes,
 * each text's stems with their IDF, each programme's shares and normalized
 * TF-IDF vector as flat arrays.  A donor is then made into a view of the
 * same numbers (a weight per code, a text component per stem, its past
 * funding grouped by programme with the past programmes' sector and country
 * shares as postings per code), so that scoring one programme reads only
 * that programme's own entries and terms: one donor against n programmes
 * costs the sum of their sizes, nothing quadratic.
 *
 * Two paths compute a pair: parts_of (the ranking's scan, no allocation)
 * and explain (the terms of a result).  They are written apart on purpose,
 * the history's part in particular (postings summed per code in the scan,
 * likeness per past programme in the terms), and the tests hold them to the
 * same sums.
 */
#include "search/fit.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/errmsg.h"
#include "core/fold.h"
#include "formats/words.h"
#include "search/tmscore.h"

static const char *const part_names[FIT_NPARTS] = { "sector", "country", "region", "theme", "sdg", "text", "history" };
static const char *const langs[FIT_NLANGS] = { "en", "fr", "es" };

const char *fit_part_name(fit_part part) { return part < FIT_NPARTS ? part_names[part] : "?"; }

int fit_dim_named(const char *name)
{
	for (int d = 0; name && d < FIT_NDIMS; d++)
		if (strcmp(name, part_names[d]) == 0)
			return d;
	return -1;
}

void fit_params_default(fit_params *prm, int year)
{
	*prm = (fit_params){
		.weight = { [FIT_PART_SECTOR] = 0.0, [FIT_PART_COUNTRY] = 0.10, [FIT_PART_REGION] = 0.0,
			    [FIT_PART_THEME] = 0.0, [FIT_PART_SDG] = 0.0, [FIT_PART_TEXT] = 0.05,
			    [FIT_PART_HISTORY] = 0.80 },
		.scale = 5,
		.year = year,
		.half_life = 1.5,
		.history_continuation = 0.6,
		.history_sector = 0.05,
		.history_country = 0.0,
	};
}

static int finite_at_least(double v, double low) { return isfinite(v) && v >= low; }

int fit_params_check(const fit_params *prm, char *err, size_t errlen)
{
	for (int p = 0; p < FIT_NPARTS; p++)
		if (!finite_at_least(prm->weight[p], 0))
			return errmsg(err, errlen, "weight of the %s part: %g is not a number of 0 or more", part_names[p],
				      prm->weight[p]);
	if (!finite_at_least(prm->scale, 0) || prm->scale == 0)
		return errmsg(err, errlen, "scale: %g is not a number above 0", prm->scale);
	if (!finite_at_least(prm->half_life, 0) || prm->half_life == 0)
		return errmsg(err, errlen, "half-life: %g is not a number of years above 0", prm->half_life);
	if (!finite_at_least(prm->history_continuation, 0) || !finite_at_least(prm->history_sector, 0) ||
	    !finite_at_least(prm->history_country, 0) ||
	    prm->history_continuation + prm->history_sector + prm->history_country > 1 + 1e-12)
		return errmsg(err, errlen,
			      "history: continuation %g, sector %g and country %g must be 0 or more, 1 at most together",
			      prm->history_continuation, prm->history_sector, prm->history_country);
	return 0;
}

/* ---- memory ------------------------------------------------------------- */

/* As buf and arena: a process that cannot allocate this much cannot go on. */
static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

/* ---- strings to numbers ------------------------------------------------- */

/* Open addressing, half full at most; the keys are the caller's or the
 * index's arena's bytes, never copied. */
typedef struct strmap {
	struct slot {
		const char *s;
		size_t len;
		uint32_t id;
	} *v;
	size_t n, cap;
} strmap;

static long strmap_get(const strmap *m, const char *s, size_t len)
{
	if (!m->cap)
		return -1;
	for (size_t i = tm_hash(s, len) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		const struct slot *x = &m->v[i];
		if (!x->s)
			return -1;
		if (x->len == len && memcmp(x->s, s, len) == 0)
			return x->id;
	}
}

static void strmap_place(strmap *m, const char *s, size_t len, uint32_t id)
{
	size_t i = tm_hash(s, len) & (m->cap - 1);
	while (m->v[i].s)
		i = (i + 1) & (m->cap - 1);
	m->v[i] = (struct slot){ s, len, id };
	m->n++;
}

/* Adds s with id unless present; either way the id s has. */
static uint32_t strmap_put(strmap *m, const char *s, size_t len, uint32_t id)
{
	long had = strmap_get(m, s, len);
	if (had >= 0)
		return (uint32_t)had;
	if (2 * (m->n + 1) > m->cap) {
		strmap bigger = { zalloc(m->cap ? 2 * m->cap : 64, sizeof *m->v), 0, m->cap ? 2 * m->cap : 64 };
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].s)
				strmap_place(&bigger, m->v[i].s, m->v[i].len, m->v[i].id);
		free(m->v);
		*m = bigger;
	}
	strmap_place(m, s, len, id);
	return id;
}

/* ---- stems of texts ----------------------------------------------------- */

typedef struct stem_count {
	const char *s;
	size_t len, tf;
} stem_count;

typedef struct stemmers {
	word_list wl[FIT_NLANGS];
} stemmers;

static void stemmers_init(stemmers *st)
{
	for (int l = 0; l < FIT_NLANGS; l++)
		words_init(&st->wl[l], langs[l]);
}

static void stemmers_free(stemmers *st)
{
	for (int l = 0; l < FIT_NLANGS; l++)
		words_free(&st->wl[l]);
}

static int by_stem(const void *x, const void *y)
{
	const stem_count *a = x, *b = y;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->s, b->s, a->len);
}

/* The stems of the texts with how often each occurs, into out (as
 * stem_count), pointing into st's lists until their next read. */
static void stem_counts(stemmers *st, const char *const text[FIT_NLANGS], buf *out)
{
	buf_reset(out);
	for (int l = 0; l < FIT_NLANGS; l++) {
		word_list *wl = &st->wl[l];
		words_read(wl, text[l] ? text[l] : "", text[l] ? strlen(text[l]) : 0);
		for (size_t i = 0; i < words_count(wl); i++) {
			stem_count c = { .tf = 1 };
			c.s = words_stem(wl, i, &c.len);
			buf_add(out, &c, sizeof c);
		}
	}
	stem_count *v = (stem_count *)(void *)out->data;
	size_t n = out->len / sizeof *v, kept = 0;
	if (!n)
		return;
	qsort(v, n, sizeof *v, by_stem);
	for (size_t i = 1; i < n; i++) {
		if (by_stem(&v[kept], &v[i]) == 0)
			v[kept].tf++;
		else
			v[++kept] = v[i];
	}
	out->len = (kept + 1) * sizeof *v;
}

/* A stem's weight in a text: sublinear in its count, so that a word said
 * ten times does not drown the others. */
static double tf_weight(size_t tf) { return 1 + log((double)tf); }

/* ---- checking what comes in --------------------------------------------- */

/* who: "programme 12 (P-12)" or "donor D-3", the place errors name. */
static int check_texts(const char *const text[FIT_NLANGS], const char *who, char *err, size_t errlen)
{
	for (int l = 0; l < FIT_NLANGS; l++)
		if (text[l] && !utf8_valid(text[l], strlen(text[l])))
			return errmsg(err, errlen, "%s: text %s is not UTF-8", who, langs[l]);
	return 0;
}

/* What every entry of a profile must be, whatever its number means. */
static int check_entry(const fit_entry *e, const fit_entry *all, size_t k, const char *who, char *err, size_t errlen)
{
	if ((unsigned)e->dim >= FIT_NDIMS)
		return errmsg(err, errlen, "%s: entry %zu has no dimension (%d)", who, k, (int)e->dim);
	if (!e->code || !*e->code)
		return errmsg(err, errlen, "%s: entry %zu, %s, has no code", who, k, part_names[e->dim]);
	if (!isfinite(e->value) || e->value < 0)
		return errmsg(err, errlen, "%s: %s %s: %g is not a number of 0 or more", who, part_names[e->dim], e->code,
			      e->value);
	for (size_t j = 0; j < k; j++)
		if (all[j].dim == e->dim && strcmp(all[j].code, e->code) == 0)
			return errmsg(err, errlen, "%s: %s %s is given twice", who, part_names[e->dim], e->code);
	return 0;
}

/* Shares of one dimension: all 0 (split evenly) or summing to 100; regions nest, and are not summed. */
static int check_shares(const fit_programme *p, const char *who, char *err, size_t errlen)
{
	for (int d = 0; d < FIT_NDIMS; d++) {
		double sum = 0;
		size_t given = 0, codes = 0;
		for (size_t k = 0; k < p->nprofile; k++)
			if (p->profile[k].dim == (fit_dim)d)
				codes++, given += p->profile[k].value > 0, sum += p->profile[k].value;
		if (given && given < codes)
			return errmsg(err, errlen, "%s: %s: %zu of %zu codes have a share", who, part_names[d], given,
				      codes);
		if (given && d != FIT_REGION && fabs(sum - 100) > FIT_SHARE_TOLERANCE)
			return errmsg(err, errlen, "%s: %s shares sum to %g, not 100", who, part_names[d], sum);
	}
	return 0;
}

static int check_programme(const fit_programme *p, size_t at, char *err, size_t errlen)
{
	if (!p->id || !*p->id)
		return errmsg(err, errlen, "programme %zu has no id", at);
	char who[128];
	snprintf(who, sizeof who, "programme %zu (%.80s)", at, p->id);
	if (isnan(p->gap))
		return errmsg(err, errlen, "%s: the gap is not a number", who);
	for (size_t k = 0; k < p->nprofile; k++)
		if (check_entry(&p->profile[k], p->profile, k, who, err, errlen) < 0)
			return -1;
	for (size_t k = 0; k < p->nprofile; k++)
		if (p->profile[k].value > 100)
			return errmsg(err, errlen, "%s: %s %s: a share of %g%%", who, part_names[p->profile[k].dim],
				      p->profile[k].code, p->profile[k].value);
	if (check_shares(p, who, err, errlen) < 0)
		return -1;
	return check_texts(p->text, who, err, errlen);
}

static int check_history(const fit_donor *d, const fit_params *prm, char *err, size_t errlen)
{
	for (size_t h = 0; h < d->nhistory; h++) {
		const fit_funding *f = &d->history[h];
		if (!f->programme || !*f->programme)
			return errmsg(err, errlen, "donor %s: grant %zu names no programme", d->id, h);
		if (!finite_at_least(f->amount, 0))
			return errmsg(err, errlen, "donor %s: grant %zu (%s): amount %g is not a number of 0 or more", d->id, h,
				      f->programme, f->amount);
		if (f->year > prm->year)
			return errmsg(err, errlen, "donor %s: grant %zu (%s): year %d is after the year ranked for, %d", d->id,
				      h, f->programme, f->year, prm->year);
	}
	return 0;
}

int fit_donor_check(const fit_donor *d, const fit_params *prm, char *err, size_t errlen)
{
	if (fit_params_check(prm, err, errlen) < 0)
		return -1;
	if (!d->id || !*d->id)
		return errmsg(err, errlen, "a donor has no id");
	char who[128];
	snprintf(who, sizeof who, "donor %.80s", d->id);
	for (size_t k = 0; k < d->npriorities; k++) {
		const fit_entry *e = &d->priorities[k];
		if (check_entry(e, d->priorities, k, who, err, errlen) < 0)
			return -1;
		if (e->value > prm->scale)
			return errmsg(err, errlen, "donor %s: %s %s: weight %g is above the scale's %g", d->id,
				      part_names[e->dim], e->code, e->value, prm->scale);
	}
	if (check_history(d, prm, err, errlen) < 0)
		return -1;
	return check_texts(d->text, who, err, errlen);
}

/* ---- the index ---------------------------------------------------------- */

struct fit_index {
	const fit_programme *ps;
	size_t n;
	strmap ids;                       /* programme id -> its index */
	strmap codes[FIT_NDIMS];          /* code -> its number in the dimension */
	buf code_names[FIT_NDIMS];        /* number -> code, as const char * */
	/* programme i's entries are [entry_at[i], entry_at[i + 1]) */
	size_t *entry_at;
	uint8_t *entry_dim;
	uint32_t *entry_code;
	double *entry_share;              /* in [0, 1], summing to 1 per dimension */
	/* the stems: text, IDF; programme i's terms are [term_at[i], term_at[i + 1]) */
	arena stem_text;
	strmap stems;
	buf stem_names;                   /* number -> stem, as const char * */
	double *idf;
	double unseen_idf;                /* of a donor's stem no programme has */
	size_t *term_at;
	uint32_t *term_stem;
	double *term_weight;              /* normalized: a programme's vector has length 1 (or none) */
};

size_t fit_index_count(const fit_index *ix) { return ix->n; }

long fit_index_find(const fit_index *ix, const char *id) { return id ? strmap_get(&ix->ids, id, strlen(id)) : -1; }

static size_t ncodes(const fit_index *ix, int d) { return ix->code_names[d].len / sizeof(const char *); }

static const char *code_name(const fit_index *ix, int d, uint32_t c)
{
	return ((const char *const *)(const void *)ix->code_names[d].data)[c];
}

static size_t nstems(const fit_index *ix) { return ix->stem_names.len / sizeof(const char *); }

static const char *stem_name(const fit_index *ix, uint32_t s)
{
	return ((const char *const *)(const void *)ix->stem_names.data)[s];
}

/* A dimension's share of each code: as given, over the sum (so that 99.8
 * counts as whole), or even when none is given; a region's as given, of
 * 100, since regions nest. */
static void add_entries(fit_index *ix, const fit_programme *p, size_t *at)
{
	for (int d = 0; d < FIT_NDIMS; d++) {
		double sum = 0;
		size_t codes = 0;
		for (size_t k = 0; k < p->nprofile; k++)
			if (p->profile[k].dim == (fit_dim)d)
				codes++, sum += p->profile[k].value;
		for (size_t k = 0; k < p->nprofile; k++) {
			const fit_entry *e = &p->profile[k];
			if (e->dim != (fit_dim)d)
				continue;
			uint32_t next = (uint32_t)ncodes(ix, d);
			uint32_t c = strmap_put(&ix->codes[d], e->code, strlen(e->code), next);
			if (c == next)
				buf_add(&ix->code_names[d], &e->code, sizeof e->code);
			ix->entry_dim[*at] = (uint8_t)d;
			ix->entry_code[*at] = c;
			double whole = d == FIT_REGION ? 100 : sum;
			ix->entry_share[*at] = sum > 0 ? e->value / whole : 1.0 / (double)codes;
			(*at)++;
		}
	}
}

static uint32_t stem_number(fit_index *ix, const stem_count *c)
{
	uint32_t next = (uint32_t)nstems(ix);
	long had = strmap_get(&ix->stems, c->s, c->len);
	if (had >= 0)
		return (uint32_t)had;
	const char *kept = arena_strndup(&ix->stem_text, c->s, c->len);
	strmap_put(&ix->stems, kept, c->len, next);
	buf_add(&ix->stem_names, &kept, sizeof kept);
	return next;
}

/* Each programme's stems numbered with their counts (terms as tf for now),
 * and the number of programmes each stem occurs in. */
static void count_terms(fit_index *ix, buf *df)
{
	stemmers st;
	stemmers_init(&st);
	buf counts = BUF_INIT, stems = BUF_INIT, weights = BUF_INIT;
	ix->term_at = zalloc(ix->n + 1, sizeof *ix->term_at);
	for (size_t i = 0; i < ix->n; i++) {
		stem_counts(&st, ix->ps[i].text, &counts);
		const stem_count *v = (const stem_count *)(const void *)counts.data;
		for (size_t k = 0; k < counts.len / sizeof *v; k++) {
			uint32_t s = stem_number(ix, &v[k]);
			double tf = (double)v[k].tf;
			size_t zero = 0;
			while (df->len / sizeof(size_t) <= s)
				buf_add(df, &zero, sizeof zero);
			((size_t *)(void *)df->data)[s]++;
			buf_add(&stems, &s, sizeof s);
			buf_add(&weights, &tf, sizeof tf);
		}
		ix->term_at[i + 1] = stems.len / sizeof(uint32_t);
	}
	ix->term_stem = (uint32_t *)(void *)buf_steal(&stems);
	ix->term_weight = (double *)(void *)buf_steal(&weights);
	buf_free(&counts);
	stemmers_free(&st);
}

/* The stems' IDF, smoothed (a stem in every programme still weighs a
 * little), and each programme's vector weighted and made of length 1. */
static void weigh_terms(fit_index *ix, const size_t *df)
{
	double docs = (double)ix->n;
	ix->idf = zalloc(nstems(ix), sizeof *ix->idf);
	for (size_t s = 0; s < nstems(ix); s++)
		ix->idf[s] = log((1 + docs) / (1 + (double)df[s])) + 1;
	ix->unseen_idf = log(1 + docs) + 1;
	for (size_t i = 0; i < ix->n; i++) {
		double norm = 0;
		for (size_t t = ix->term_at[i]; t < ix->term_at[i + 1]; t++) {
			ix->term_weight[t] = tf_weight((size_t)ix->term_weight[t]) * ix->idf[ix->term_stem[t]];
			norm += ix->term_weight[t] * ix->term_weight[t];
		}
		norm = sqrt(norm);
		for (size_t t = ix->term_at[i]; t < ix->term_at[i + 1]; t++)
			ix->term_weight[t] /= norm;
	}
}

fit_index *fit_index_build(const fit_programme *ps, size_t n, char *err, size_t errlen)
{
	size_t entries = 0;
	for (size_t i = 0; i < n; i++) {
		if (check_programme(&ps[i], i, err, errlen) < 0)
			return NULL;
		entries += ps[i].nprofile;
	}
	fit_index *ix = zalloc(1, sizeof *ix);
	ix->ps = ps;
	ix->n = n;
	for (size_t i = 0; i < n; i++)
		if (strmap_put(&ix->ids, ps[i].id, strlen(ps[i].id), (uint32_t)i) != i) {
			errmsg(err, errlen, "programme %zu (%s): the id is already programme %ld's", i, ps[i].id,
			       fit_index_find(ix, ps[i].id));
			fit_index_free(ix);
			return NULL;
		}
	ix->entry_at = zalloc(n + 1, sizeof *ix->entry_at);
	ix->entry_dim = zalloc(entries, sizeof *ix->entry_dim);
	ix->entry_code = zalloc(entries, sizeof *ix->entry_code);
	ix->entry_share = zalloc(entries, sizeof *ix->entry_share);
	for (size_t i = 0, at = 0; i < n; i++) {
		add_entries(ix, &ps[i], &at);
		ix->entry_at[i + 1] = at;
	}
	buf df = BUF_INIT;
	count_terms(ix, &df);
	weigh_terms(ix, (const size_t *)(const void *)df.data);
	buf_free(&df);
	return ix;
}

void fit_index_free(fit_index *ix)
{
	if (!ix)
		return;
	free(ix->ids.v);
	for (int d = 0; d < FIT_NDIMS; d++) {
		free(ix->codes[d].v);
		buf_free(&ix->code_names[d]);
	}
	free(ix->entry_at);
	free(ix->entry_dim);
	free(ix->entry_code);
	free(ix->entry_share);
	arena_free(&ix->stem_text);
	free(ix->stems.v);
	buf_free(&ix->stem_names);
	free(ix->idf);
	free(ix->term_at);
	free(ix->term_stem);
	free(ix->term_weight);
	free(ix);
}

/* ---- a donor seen through the index ------------------------------------- */

/* A programme the donor funded before, and its part of the donor's past
 * funding, counted by recency. */
typedef struct past {
	uint32_t programme;
	double mass;
} past;

/* The sector or country shares of the past programmes, by code. */
typedef struct postings {
	size_t *at;   /* code c's postings are [at[c], at[c + 1]) */
	struct posting {
		uint32_t past;
		double share;
	} *v;
} postings;

enum { HIST_SECTOR, HIST_COUNTRY, NHIST };
static const fit_dim hist_dim[NHIST] = { FIT_SECTOR, FIT_COUNTRY };

typedef struct donor_view {
	double *weight[FIT_NDIMS];   /* per code: the donor's weight over the scale */
	double *text;                /* per stem: the donor's normalized TF-IDF component */
	past *past;                  /* by programme */
	size_t npast;
	postings post[NHIST];
	double most;                 /* the largest mass of a past programme */
	double likeness[NHIST];      /* the params' history_sector, history_country */
} donor_view;

static void view_priorities(donor_view *v, const fit_index *ix, const fit_donor *d, const fit_params *prm)
{
	for (int dim = 0; dim < FIT_NDIMS; dim++)
		v->weight[dim] = zalloc(ncodes(ix, dim), sizeof(double));
	for (size_t k = 0; k < d->npriorities; k++) {
		const fit_entry *e = &d->priorities[k];
		long c = strmap_get(&ix->codes[e->dim], e->code, strlen(e->code));
		if (c >= 0)
			v->weight[e->dim][c] = e->value / prm->scale;
	}
}

/* The donor's text against the index's IDF; a stem no programme has
 * weighs in the donor's length but meets nothing. */
static void view_text(donor_view *v, const fit_index *ix, const fit_donor *d)
{
	v->text = zalloc(nstems(ix), sizeof *v->text);
	stemmers st;
	stemmers_init(&st);
	buf counts = BUF_INIT;
	stem_counts(&st, d->text, &counts);
	const stem_count *c = (const stem_count *)(const void *)counts.data;
	double norm = 0;
	for (size_t k = 0; k < counts.len / sizeof *c; k++) {
		long s = strmap_get(&ix->stems, c[k].s, c[k].len);
		double w = tf_weight(c[k].tf) * (s >= 0 ? ix->idf[s] : ix->unseen_idf);
		norm += w * w;
		if (s >= 0)
			v->text[s] = w;
	}
	norm = sqrt(norm);
	for (size_t s = 0; norm > 0 && s < nstems(ix); s++)
		v->text[s] /= norm;
	buf_free(&counts);
	stemmers_free(&st);
}

static int by_programme(const void *x, const void *y)
{
	const past *a = x, *b = y;
	return a->programme < b->programme ? -1 : a->programme > b->programme;
}

/* The grants grouped by programme, each weighed by amount and recency over
 * all the donor's grants (those of programmes outside the index included:
 * they are funding the donor gave elsewhere). */
static void view_past(donor_view *v, const fit_index *ix, const fit_donor *d, const fit_params *prm)
{
	double total = 0;
	v->past = zalloc(d->nhistory, sizeof *v->past);
	for (size_t h = 0; h < d->nhistory; h++) {
		const fit_funding *f = &d->history[h];
		double mass = f->amount * exp2(-(double)(prm->year - f->year) / prm->half_life);
		long i = fit_index_find(ix, f->programme);
		total += mass;
		if (i >= 0)
			v->past[v->npast++] = (past){ (uint32_t)i, mass };
	}
	qsort(v->past, v->npast, sizeof *v->past, by_programme);
	size_t kept = 0;
	for (size_t j = 0; j < v->npast; j++) {
		if (kept && v->past[kept - 1].programme == v->past[j].programme)
			v->past[kept - 1].mass += v->past[j].mass;
		else
			v->past[kept++] = v->past[j];
	}
	v->npast = kept;
	for (size_t j = 0; j < v->npast; j++) {
		v->past[j].mass = total > 0 ? v->past[j].mass / total : 0;
		v->most = fmax(v->most, v->past[j].mass);
	}
}

/* Postings by code of one dimension's shares of the past programmes. */
static void view_postings(donor_view *v, const fit_index *ix, int which)
{
	postings *p = &v->post[which];
	int dim = (int)hist_dim[which];
	size_t codes = ncodes(ix, dim), total = 0;
	p->at = zalloc(codes + 1, sizeof *p->at);
	for (size_t j = 0; j < v->npast; j++) {
		uint32_t q = v->past[j].programme;
		for (size_t e = ix->entry_at[q]; e < ix->entry_at[q + 1]; e++)
			if (ix->entry_dim[e] == dim)
				p->at[ix->entry_code[e] + 1]++, total++;
	}
	for (size_t c = 0; c < codes; c++)
		p->at[c + 1] += p->at[c];
	p->v = zalloc(total, sizeof *p->v);
	size_t *fill = zalloc(codes + 1, sizeof *fill);
	memcpy(fill, p->at, (codes + 1) * sizeof *fill);
	for (size_t j = 0; j < v->npast; j++) {
		uint32_t q = v->past[j].programme;
		for (size_t e = ix->entry_at[q]; e < ix->entry_at[q + 1]; e++)
			if (ix->entry_dim[e] == dim)
				p->v[fill[ix->entry_code[e]]++] = (struct posting){ (uint32_t)j, ix->entry_share[e] };
	}
	free(fill);
}

static void view_free(donor_view *v)
{
	for (int d = 0; d < FIT_NDIMS; d++)
		free(v->weight[d]);
	free(v->text);
	free(v->past);
	for (int w = 0; w < NHIST; w++) {
		free(v->post[w].at);
		free(v->post[w].v);
	}
}

static int view_make(donor_view *v, const fit_index *ix, const fit_donor *d, const fit_params *prm, char *err,
		     size_t errlen)
{
	*v = (donor_view){ .likeness = { prm->history_sector, prm->history_country } };
	if (fit_donor_check(d, prm, err, errlen) < 0)
		return -1;
	view_priorities(v, ix, d, prm);
	view_text(v, ix, d);
	view_past(v, ix, d, prm);
	for (int w = 0; w < NHIST; w++)
		view_postings(v, ix, w);
	return 0;
}

/* The donor's past entry of programme i, or NULL. */
static const past *past_of(const donor_view *v, size_t i)
{
	past key = { (uint32_t)i, 0 };
	return bsearch(&key, v->past, v->npast, sizeof *v->past, by_programme);
}

/* ---- the scan ----------------------------------------------------------- */

static double history_of_entry(const donor_view *v, int which, uint32_t code, double share, size_t i)
{
	const postings *p = &v->post[which];
	double sum = 0;
	for (size_t k = p->at[code]; k < p->at[code + 1]; k++) {
		const struct posting *x = &p->v[k];
		if (v->past[x->past].programme != i)   /* a continuation counts apart, below */
			sum += v->past[x->past].mass * fmin(share, x->share);
	}
	return v->likeness[which] * sum;
}

/* The weighted parts of programme i for the donor; returns their sum. */
static double parts_of(const fit_index *ix, const donor_view *v, size_t i, const fit_params *prm,
		       double parts[FIT_NPARTS])
{
	double raw[FIT_NPARTS] = { 0 };
	for (size_t e = ix->entry_at[i]; e < ix->entry_at[i + 1]; e++) {
		int d = ix->entry_dim[e];
		raw[d] += ix->entry_share[e] * v->weight[d][ix->entry_code[e]];
		for (int w = 0; w < NHIST; w++)
			if ((int)hist_dim[w] == d)
				raw[FIT_PART_HISTORY] += history_of_entry(v, w, ix->entry_code[e], ix->entry_share[e], i);
	}
	for (size_t t = ix->term_at[i]; t < ix->term_at[i + 1]; t++)
		raw[FIT_PART_TEXT] += ix->term_weight[t] * v->text[ix->term_stem[t]];
	const past *self = past_of(v, i);
	if (self && v->most > 0)   /* grants of nothing weigh nothing */
		raw[FIT_PART_HISTORY] += prm->history_continuation * self->mass / v->most;
	double score = 0;
	for (int p = 0; p < FIT_NPARTS; p++)
		score += parts[p] = prm->weight[p] * raw[p];
	return score;
}

/* ---- explanations ------------------------------------------------------- */

static void add_term(buf *terms, fit_part part, const char *code, double a, double b, const fit_params *prm)
{
	if (a * b <= 0 || prm->weight[part] <= 0)
		return;
	fit_term t = { part, code, a, b, prm->weight[part] * a * b };
	buf_add(terms, &t, sizeof t);
}

/* Σ over the codes of dimension dim both programmes name of the smaller share. */
static double overlap(const fit_index *ix, size_t p, size_t q, int dim)
{
	double sum = 0;
	for (size_t e = ix->entry_at[p]; e < ix->entry_at[p + 1]; e++)
		for (size_t f = ix->entry_at[q]; ix->entry_dim[e] == dim && f < ix->entry_at[q + 1]; f++)
			if (ix->entry_dim[f] == dim && ix->entry_code[f] == ix->entry_code[e])
				sum += fmin(ix->entry_share[e], ix->entry_share[f]);
	return sum;
}

static double likeness(const fit_index *ix, const donor_view *v, size_t p, size_t q)
{
	double sum = 0;
	for (int w = 0; w < NHIST; w++)
		sum += v->likeness[w] * overlap(ix, p, q, (int)hist_dim[w]);
	return sum;
}

static int by_part_then_contribution(const void *x, const void *y)
{
	const fit_term *a = x, *b = y;
	if (a->part != b->part)
		return a->part < b->part ? -1 : 1;
	if (a->contribution != b->contribution)
		return a->contribution > b->contribution ? -1 : 1;
	return strcmp(a->code, b->code);
}

static void explain(const fit_index *ix, const donor_view *v, size_t i, const fit_params *prm, fit_result *r)
{
	buf terms = BUF_INIT;
	for (size_t e = ix->entry_at[i]; e < ix->entry_at[i + 1]; e++) {
		int d = ix->entry_dim[e];
		uint32_t c = ix->entry_code[e];
		add_term(&terms, (fit_part)d, code_name(ix, d, c), ix->entry_share[e], v->weight[d][c], prm);
	}
	for (size_t t = ix->term_at[i]; t < ix->term_at[i + 1]; t++) {
		uint32_t s = ix->term_stem[t];
		add_term(&terms, FIT_PART_TEXT, stem_name(ix, s), v->text[s], ix->term_weight[t], prm);
	}
	for (size_t j = 0; j < v->npast; j++) {
		size_t q = v->past[j].programme;
		if (q == i && v->most > 0)   /* a continuation: how much of it, against the donor's largest */
			add_term(&terms, FIT_PART_HISTORY, ix->ps[q].id, v->past[j].mass / v->most,
				 prm->history_continuation, prm);
		else if (q != i)
			add_term(&terms, FIT_PART_HISTORY, ix->ps[q].id, v->past[j].mass, likeness(ix, v, i, q), prm);
	}
	r->nterms = terms.len / sizeof(fit_term);
	r->terms = (fit_term *)(void *)buf_steal(&terms);
	if (r->terms)
		qsort(r->terms, r->nterms, sizeof *r->terms, by_part_then_contribution);
}

void fit_results_free(fit_result *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		free(r[i].terms);
		r[i].terms = NULL;
		r[i].nterms = 0;
	}
}

static void result_of(const fit_index *ix, const donor_view *v, size_t i, size_t index, const fit_params *prm,
		      fit_result *r)
{
	*r = (fit_result){ .index = index };
	r->score = parts_of(ix, v, i, prm, r->parts);
	explain(ix, v, i, prm, r);
}

int fit_score(const fit_index *ix, const fit_donor *d, size_t i, const fit_params *prm, fit_result *out, char *err,
	      size_t errlen)
{
	if (i >= ix->n)
		return errmsg(err, errlen, "programme %zu: the index holds %zu", i, ix->n);
	donor_view v;
	int rc = view_make(&v, ix, d, prm, err, errlen);
	if (rc == 0)
		result_of(ix, &v, i, i, prm, out);
	view_free(&v);
	return rc;
}

/* ---- top k -------------------------------------------------------------- */

typedef struct candidate {
	size_t index;
	double score, gap;
	const char *id;
} candidate;

/* 1 when a ranks before b: higher score, then larger gap, then smaller id. */
static int ranks_before(const candidate *a, const candidate *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->gap != b->gap)
		return a->gap > b->gap;
	return strcmp(a->id, b->id) < 0;
}

/* The k best so far, the worst of them at the root. */
typedef struct heap {
	candidate *v;
	size_t n, k;
} heap;

static void sift_down(heap *h, size_t i)
{
	for (;;) {
		size_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < h->n && ranks_before(&h->v[worst], &h->v[l]))
			worst = l;
		if (r < h->n && ranks_before(&h->v[worst], &h->v[r]))
			worst = r;
		if (worst == i)
			return;
		candidate t = h->v[i];
		h->v[i] = h->v[worst];
		h->v[worst] = t;
		i = worst;
	}
}

static void heap_offer(heap *h, const candidate *c)
{
	if (h->n < h->k) {
		size_t i = h->n++;
		h->v[i] = *c;
		while (i && ranks_before(&h->v[(i - 1) / 2], &h->v[i])) {
			candidate t = h->v[i];
			h->v[i] = h->v[(i - 1) / 2];
			h->v[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
		return;
	}
	if (h->k && ranks_before(c, &h->v[0])) {
		h->v[0] = *c;
		sift_down(h, 0);
	}
}

static int best_first(const void *x, const void *y)
{
	const candidate *a = x, *b = y;
	return ranks_before(a, b) ? -1 : ranks_before(b, a);
}

static void heap_sort(heap *h) { qsort(h->v, h->n, sizeof *h->v, best_first); }

long fit_rank_programmes(const fit_index *ix, const fit_donor *d, const fit_params *prm, size_t k, fit_result *top,
			 char *err, size_t errlen)
{
	donor_view v;
	if (view_make(&v, ix, d, prm, err, errlen) < 0) {
		view_free(&v);
		return -1;
	}
	heap h = { zalloc(k, sizeof(candidate)), 0, k };
	double parts[FIT_NPARTS];
	for (size_t i = 0; k && i < ix->n; i++) {
		if (!(ix->ps[i].gap > 0))
			continue;
		candidate c = { i, parts_of(ix, &v, i, prm, parts), ix->ps[i].gap, ix->ps[i].id };
		heap_offer(&h, &c);
	}
	heap_sort(&h);
	for (size_t r = 0; r < h.n; r++)
		result_of(ix, &v, h.v[r].index, h.v[r].index, prm, &top[r]);
	long found = (long)h.n;
	free(h.v);
	view_free(&v);
	return found;
}

long fit_rank_donors(const fit_index *ix, size_t i, const fit_donor *ds, size_t n, const fit_params *prm, size_t k,
		     fit_result *top, char *err, size_t errlen)
{
	if (i >= ix->n)
		return errmsg(err, errlen, "programme %zu: the index holds %zu", i, ix->n);
	heap h = { zalloc(k, sizeof(candidate)), 0, k };
	double parts[FIT_NPARTS];
	long found = -1;
	for (size_t j = 0; j < n; j++) {
		donor_view v;
		int rc = view_make(&v, ix, &ds[j], prm, err, errlen);
		if (rc == 0) {
			candidate c = { j, parts_of(ix, &v, i, prm, parts), 0, ds[j].id };
			heap_offer(&h, &c);
		}
		view_free(&v);
		if (rc < 0)
			goto fail;
	}
	heap_sort(&h);
	for (size_t r = 0; r < h.n; r++) {
		donor_view v;
		view_make(&v, ix, &ds[h.v[r].index], prm, NULL, 0);
		result_of(ix, &v, i, h.v[r].index, prm, &top[r]);
		view_free(&v);
	}
	found = (long)h.n;
fail:
	free(h.v);
	return found;
}
