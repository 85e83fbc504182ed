/*
 * matching — for a donor, the programmes that need money ranked by how
 * well they fit it; for a programme, the donors most likely to fund it;
 * each score explained term by term (search/fit.h scores and explains,
 * this file reads the records it needs and words nothing).
 *
 * A programme's profile is its sectors and countries with their shares,
 * the DAC regions of its countries (each country's region and the
 * continent around it, each with the country's share, so that a donor's
 * priority regions count) and its themes; its text, its title and description in each language; its
 * gap, its budget less what its allocations brought, in the budget's
 * currency (an allocation whose amount has no rate into it is left out,
 * and the gap then overstated).  Closed programmes are not ranked, nor
 * those without a budget or fully funded.  A donor's profile is its
 * priorities with their weights; its history, what its contributions gave
 * each programme and when, in US dollars at the rate of their day.
 *
 * The weights are fit_params_default's, which trust what a donor funded
 * before over what it states; a donor that has funded nothing yet is
 * ranked by its stated priorities, the history's weight given to them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domains/donors/donors.h"
#include "formats/regions.h"
#include "model/access.h"
#include "search/fit.h"

#define HISTORY_CURRENCY "USD"

typedef struct gift {
	int64_t donor, programme, amount;
	const char *currency, *date;
} gift;

typedef struct gifts {
	model_ctx *m;
	store_conn *c;
	gift *v;
	size_t n, cap;
} gifts;

typedef struct world {
	model_ctx *m;          /* &own: what the world is read with, and its memory */
	model_ctx own;
	const store *st;       /* the database it was read from */
	int64_t written;       /* the last audit entry when it was read: any write since makes it old */
	int64_t reader;        /* the user it was read for: the programmes they may see */
	user reader_user;      /* who it is read as, while it is built */
	int refs;              /* the answers using it, and the keeper's own while kept */
	fit_programme *ps;
	size_t nps, capps;
	int64_t *ids;          /* each programme's record id */
	fit_index *ix;
	rate_table *rates;
	gifts given;           /* every live allocation, with its donor and day */
} world;

/* ---- lists of codes as profile entries ------------------------------------------------------- */

typedef struct entries {
	fit_entry *v;
	size_t n, cap;
} entries;

static void add_entry(model_ctx *m, entries *e, fit_dim dim, const char *code, double value)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		fit_entry *grown = arena_alloc(&m->a, e->cap * sizeof *grown);
		if (e->n)
			memcpy(grown, e->v, e->n * sizeof *grown);
		e->v = grown;
	}
	e->v[e->n++] = (fit_entry){ dim, arena_strdup(&m->a, code), value };
}

/* The items of a stored list ("15190 60"): shares in per cent, or weights; unsaid is all (a share alone)
 * or 1 (a weight), and themes carry 0, an even split. */
static void add_list(model_ctx *m, entries *e, fit_dim dim, const char *stored, int weights)
{
	json_t *items = stored ? json_loads(stored, 0, NULL) : NULL, *item;
	size_t i, n = json_array_size(items);
	json_array_foreach(items, i, item) {
		char code[64];
		int h;
		if (!json_string_value(item) || share_read(json_string_value(item), code, sizeof code, &h))
			continue;
		double value = dim == FIT_THEME && !weights ? 0 : h >= 0 ? h / 100.0 : weights ? 1 : n == 1 ? 100 : 0;
		add_entry(m, e, dim, code, value);
	}
	json_decref(items);
}

/* The regions of the country entries e[from..): each country's share added to its region's and to the
 * continent's around it (search/fit.h: region shares nest, and are not summed to 100). */
static void add_regions(model_ctx *m, entries *e, size_t from)
{
	size_t countries = e->n;
	for (size_t i = from; i < countries; i++) {
		double share = e->v[i].value > 0 ? e->v[i].value : 100.0 / (double)(countries - from);   /* 0: an even split */
		for (int r = region_of_country(e->v[i].code); r != REGION_NONE; r = region_parent(r)) {
			char code[16];
			snprintf(code, sizeof code, "%d", r);
			size_t k = countries;
			while (k < e->n && strcmp(e->v[k].code, code))
				k++;
			if (k < e->n)   /* never above the whole, whatever the shares' rounding */
				e->v[k].value = e->v[k].value + share > 100 ? 100 : e->v[k].value + share;
			else
				add_entry(m, e, FIT_REGION, code, share);
		}
	}
}

/* ---- the programmes ---------------------------------------------------------------------------- */

static const char *const programme_cols[] = { "id", "title_en", "title_fr", "title_es", "description_en", "description_fr",
					      "description_es", "sectors", "countries", "themes", "budget", "budget_currency" };

typedef struct programme_walk {
	world *w;
	store_conn *c;
} programme_walk;

static const char *text_at(model_ctx *m, store_row *row, int title, int description)
{
	const char *t = store_text(row, title, NULL), *d = store_text(row, description, NULL);
	if (!t && !d)
		return NULL;
	return arena_printf(&m->a, "%s\n%s", t ? t : "", d ? d : "");
}

/* What the programme's allocations brought, in its budget's currency. */
static int64_t received_for(const world *w, int64_t programme, const char *currency);

static int take_programme(void *ctx, store_row *row)
{
	programme_walk *pw = ctx;
	world *w = pw->w;
	model_ctx *m = w->m;
	if (store_isnull(row, 10))
		return 0;   /* no budget: no gap to tell */
	if (w->nps == w->capps) {
		w->capps = w->capps ? w->capps * 2 : 64;
		fit_programme *grown = arena_alloc(&m->a, w->capps * sizeof *grown);
		int64_t *ids = arena_alloc(&m->a, w->capps * sizeof *ids);
		if (w->nps) {
			memcpy(grown, w->ps, w->nps * sizeof *grown);
			memcpy(ids, w->ids, w->nps * sizeof *ids);
		}
		w->ps = grown;
		w->ids = ids;
	}
	int64_t id = store_int(row, 0), budget = store_int(row, 10);
	const char *currency = arena_strdup(&m->a, store_text(row, 11, NULL));
	entries e = { 0 };
	add_list(m, &e, FIT_SECTOR, store_text(row, 7, NULL), 0);
	size_t countries = e.n;
	add_list(m, &e, FIT_COUNTRY, store_text(row, 8, NULL), 0);
	add_regions(m, &e, countries);
	add_list(m, &e, FIT_THEME, store_text(row, 9, NULL), 0);
	fit_programme *p = &w->ps[w->nps];
	*p = (fit_programme){ arena_printf(&m->a, "%lld", (long long)id), e.v, e.n,
			      { text_at(m, row, 1, 4), text_at(m, row, 2, 5), text_at(m, row, 3, 6) },
			      (double)(budget - received_for(w, id, currency)) };
	w->ids[w->nps++] = id;
	return 0;
}

/* ---- what was given, and when ---------------------------------------------------------------- */

static int take_gift(void *ctx, store_row *row)
{
	gifts *g = ctx;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		gift *grown = arena_alloc(&g->m->a, g->cap * sizeof *grown);
		if (g->n)
			memcpy(grown, g->v, g->n * sizeof *grown);
		g->v = grown;
	}
	record contribution, pledge;
	int64_t cid = store_int(row, 0);
	if (model_fetch(g->m, g->c, registry_find(g->m->reg, contributions.name), cid, &contribution) <= 0 ||
	    contribution.v[COL_ARCHIVED].i ||
	    model_fetch(g->m, g->c, registry_find(g->m->reg, pledges.name), record_field(&contribution, "pledge")->i, &pledge) <= 0)
		return 0;
	g->v[g->n++] = (gift){ record_field(&pledge, "donor")->i, store_int(row, 1), store_int(row, 2),
			       arena_strdup(&g->m->a, store_text(row, 3, NULL)),
			       arena_strdup(&g->m->a, record_text(&contribution, "received_on")) };
	return 0;
}

/* The live allocations in the order of their programme, so that a programme's are found by halving. */
static int read_gifts(model_ctx *m, store_conn *c, gifts *g)
{
	*g = (gifts){ m, c };
	store_cond live = COND_EQ("archived", SV_INT_(0));
	store_order order[] = { { "programme", 0, NOT_NULL }, { "id", 0, NOT_NULL } };
	store_select q = { .table = allocations.table,
			   .cols = (const char *[]){ "contribution", "programme", "amount", "amount_currency" }, .ncols = 4,
			   .where = &live, .nwhere = 1, .order = order, .norder = 2 };
	if (store_query(c, &q, take_gift, g) != STORE_OK)
		return model_fail(m, 500, "Store error", "the allocations could not be read");
	return 0;
}

/* The first of the gifts to programme (or where they would be). */
static size_t first_gift(const gifts *g, int64_t programme)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->v[mid].programme < programme)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int64_t received_for(const world *w, int64_t programme, const char *currency)
{
	int64_t sum = 0, one;
	char why[200];
	for (size_t i = first_gift(&w->given, programme); i < w->given.n && w->given.v[i].programme == programme; i++) {
		const gift *g = &w->given.v[i];
		if (rates_convert(w->rates, g->amount, g->currency, currency, g->date, &one, NULL, why, sizeof why) == 0)
			sum += one;
	}
	return sum;
}

static int this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

/* A donor's history: its gifts, in US dollars at their day's rate. */
static void history_of(model_ctx *m, const world *w, int64_t donor, fit_funding **out, size_t *n)
{
	*out = arena_alloc(&m->a, (w->given.n + 1) * sizeof **out);
	*n = 0;
	char why[200];
	for (size_t i = 0; i < w->given.n; i++) {
		int64_t usd;
		const gift *g = &w->given.v[i];
		/* money dated after this year (a typing slip) is no history yet */
		if (g->donor != donor || atoi(g->date) > this_year() ||
		    rates_convert(w->rates, g->amount, g->currency, HISTORY_CURRENCY, g->date, &usd, NULL, why, sizeof why))
			continue;
		(*out)[(*n)++] = (fit_funding){ arena_printf(&m->a, "%lld", (long long)g->programme), usd / 100.0,
					       atoi(g->date) };
	}
}

/* ---- the world the answers rank in ------------------------------------------------------------ */

/*
 * Building the world (the programmes read and their texts stemmed into the
 * index) costs what ranking never does: at 10,000 programmes some 70 ms,
 * against half a millisecond to rank.  So the last one built is kept, for
 * the reader it was built for, until anything is written (the audit log's
 * last entry says when): answers share it read-only, counting their uses,
 * and the last to let go of a world no longer kept frees it.
 */
static pthread_mutex_t keeper = PTHREAD_MUTEX_INITIALIZER;
static world *kept;

static void world_free(world *w)
{
	fit_index_free(w->ix);
	rates_table_free(w->rates);
	model_done(&w->own);
	free(w);
}

static void world_put(world *w)
{
	pthread_mutex_lock(&keeper);
	int last = --w->refs == 0;
	pthread_mutex_unlock(&keeper);
	if (last)
		world_free(w);
}

static int last_written(model_ctx *m, store_conn *c, int64_t *id)
{
	store_order newest = { "id", 1, NOT_NULL };
	store_select q = { .table = "audit", .cols = (const char *[]){ "id" }, .ncols = 1, .order = &newest, .norder = 1,
			   .limit = 1 };
	model_ids ids = { 0 };
	if (model_select_ids(m, c, &q, &ids) != STORE_OK)
		return model_fail(m, 500, "Store error", "the audit log could not be read");
	*id = ids.n ? ids.v[0] : 0;
	return 0;
}

static int world_build(world *w, store_conn *c)
{
	model_ctx *m = w->m;
	if (donors_ratebook(m, c, &w->rates) || read_gifts(m, c, &w->given))
		return -1;
	const entity *e = registry_find(m->reg, programmes.name);
	store_cond where[6] = { COND_EQ("archived", SV_INT_(0)), COND("status", OP_NE, sv_text("closed")) };
	int nw = 2;
	access_visible(m, e, where, &nw);
	store_order order = { "id", 0, NOT_NULL };
	store_select q = { .table = e->def->table, .cols = programme_cols, .ncols = (int)COUNT(programme_cols), .where = where,
			   .nwhere = nw, .order = &order, .norder = 1 };
	programme_walk pw = { w, c };
	char err[200];
	if (store_query(c, &q, take_programme, &pw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the programmes could not be read");
	if (!(w->ix = fit_index_build(w->ps, w->nps, err, sizeof err)))
		return model_fail(m, 500, "Matching", "%s", err);
	return 0;
}

/* The world for m's reader as the database holds it now: the one kept, or a new one, kept in its place.
 * NULL with m's error. */
static world *world_get(model_ctx *m, store_conn *c)
{
	int64_t written = 0;
	if (last_written(m, c, &written))
		return NULL;
	pthread_mutex_lock(&keeper);
	world *w = kept && kept->st == m->st && kept->written == written && kept->reader == m->u->id ? kept : NULL;
	if (w)
		w->refs++;
	pthread_mutex_unlock(&keeper);
	if (w)
		return w;
	if (!(w = calloc(1, sizeof *w)))
		abort();
	w->reader_user = *m->u;   /* read as the reader, whose request ends before the world does */
	model_init(&w->own, m->st, m->reg, &w->reader_user);
	w->m = &w->own;
	w->st = m->st;
	w->written = written;
	w->reader = m->u->id;
	w->refs = 1;
	if (world_build(w, c)) {
		model_fail(m, w->own.status ? w->own.status : 500, w->own.title ? w->own.title : "Matching", "%s",
			   w->own.detail ? w->own.detail : "the programmes could not be read");
		world_free(w);
		return NULL;
	}
	w->own.u = &public_user;   /* the reader's names and language end with their request */
	pthread_mutex_lock(&keeper);
	world *old = kept;
	int free_old = old && --old->refs == 0;
	kept = w;
	w->refs++;   /* the keeper's */
	pthread_mutex_unlock(&keeper);
	if (free_old)
		world_free(old);
	return w;
}

/* How much what a donor funded before counts beside what it states. */
typedef enum trust { TRUST_HISTORY, TRUST_STATED, TRUST_BOTH } trust;

static void weigh(fit_params *prm, trust t)
{
	fit_params_default(prm, this_year());
	if (t == TRUST_HISTORY)
		return;
	/* sector, country, region, theme, SDG, text, history (fit_part's order) */
	static const double stated[FIT_NPARTS] = { 0.40, 0.25, 0.05, 0.15, 0.05, 0.10, 0 };
	static const double both[FIT_NPARTS] = { 0.20, 0.15, 0.05, 0.05, 0.05, 0.05, 0.45 };
	memcpy(prm->weight, t == TRUST_STATED ? stated : both, sizeof prm->weight);
}

/* A profile's donor, priorities and history; the params that rank it. */
static void donor_of(model_ctx *m, const world *w, const record *profile, fit_donor *d, fit_params *prm)
{
	entries e = { 0 };
	add_list(m, &e, FIT_SECTOR, record_text(profile, "priority_sectors"), 1);
	add_list(m, &e, FIT_COUNTRY, record_text(profile, "priority_countries"), 1);
	add_list(m, &e, FIT_REGION, record_text(profile, "priority_regions"), 1);
	add_list(m, &e, FIT_THEME, record_text(profile, "priority_themes"), 1);
	add_list(m, &e, FIT_SDG, record_text(profile, "sdg_targets"), 1);
	int64_t donor = record_field(profile, "organization")->i;
	fit_funding *h;
	size_t nh;
	history_of(m, w, donor, &h, &nh);
	*d = (fit_donor){ arena_printf(&m->a, "%lld", (long long)donor), e.v, e.n, h, nh, { NULL } };
	weigh(prm, nh ? TRUST_HISTORY : TRUST_STATED);
}

/* ---- the answers -------------------------------------------------------------------------------- */

static json_t *terms_json(const fit_result *r)
{
	json_t *parts = json_object(), *terms = json_array();
	for (int k = 0; k < FIT_NPARTS; k++)
		if (r->parts[k] > 0)
			json_object_set_new(parts, fit_part_name((fit_part)k), json_real(r->parts[k]));
	for (size_t i = 0; i < r->nterms; i++)
		json_array_append_new(terms, json_pack("{s:s, s:s, s:f, s:f, s:f}", "part", fit_part_name(r->terms[i].part), "code",
						       r->terms[i].code, "a", r->terms[i].a, "b", r->terms[i].b, "contribution",
						       r->terms[i].contribution));
	return json_pack("{s:f, s:o, s:o}", "score", r->score, "parts", parts, "terms", terms);
}

int donors_programmes_for(model_ctx *m, store_conn *c, const record *profile, size_t k, json_t **items)
{
	fit_donor d;
	fit_params prm;
	char err[200];
	world *w = world_get(m, c);
	fit_result *top = arena_alloc(&m->a, (k + 1) * sizeof *top);
	long n = 0;
	int rc = w ? 0 : -1;
	if (w) {
		donor_of(m, w, profile, &d, &prm);
		if ((n = fit_rank_programmes(w->ix, &d, &prm, k, top, err, sizeof err)) < 0)
			rc = model_fail(m, 500, "Matching", "%s", err);
	}
	*items = json_array();
	for (long i = 0; rc == 0 && i < n && top[i].score > 0; i++) {   /* a programme sharing nothing does not fit */
		json_t *one = terms_json(&top[i]);
		json_object_set_new(one, "programme", json_integer(w->ids[top[i].index]));
		json_array_append_new(*items, one);
	}
	if (n > 0)
		fit_results_free(top, (size_t)n);
	if (w)
		world_put(w);
	return rc;
}

int donors_donors_for(model_ctx *m, store_conn *c, int64_t programme, size_t k, json_t **items)
{
	char err[200];
	*items = json_array();
	world *w = world_get(m, c);
	if (!w)
		return -1;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)programme);
	long at = fit_index_find(w->ix, id);
	const entity *pe = registry_find(m->reg, donor_profiles.name);
	model_ids ids = { 0 };
	store_cond live = COND_EQ("archived", SV_INT_(0));
	store_select q = { .table = pe->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = &live, .nwhere = 1 };
	int rc = 0;
	if (at >= 0 && model_select_ids(m, c, &q, &ids) != STORE_OK)
		rc = model_fail(m, 500, "Store error", "the donor profiles could not be read");
	fit_donor *ds = arena_alloc(&m->a, (ids.n + 1) * sizeof *ds);
	int64_t *orgs = arena_alloc(&m->a, (ids.n + 1) * sizeof *orgs);
	size_t nd = 0;
	for (size_t i = 0; rc == 0 && at >= 0 && i < ids.n; i++) {
		record profile;
		fit_params own;
		if (model_fetch(m, c, pe, ids.v[i], &profile) <= 0)
			continue;
		donor_of(m, w, &profile, &ds[nd], &own);
		orgs[nd++] = ids.v[i];
	}
	/* donors compared with each other are scored alike: history and statements both count */
	fit_params prm;
	weigh(&prm, TRUST_BOTH);
	fit_result *top = arena_alloc(&m->a, (k + 1) * sizeof *top);
	long n = 0;
	if (rc == 0 && nd > 0 && (n = fit_rank_donors(w->ix, (size_t)at, ds, nd, &prm, k, top, err, sizeof err)) < 0)
		rc = model_fail(m, 500, "Matching", "%s", err);
	for (long i = 0; rc == 0 && i < n && top[i].score > 0; i++) {
		json_t *one = terms_json(&top[i]);
		json_object_set_new(one, "donor_profile", json_integer(orgs[top[i].index]));
		json_object_set_new(one, "donor", json_integer(atoll(ds[top[i].index].id)));
		json_array_append_new(*items, one);
	}
	if (n > 0)
		fit_results_free(top, (size_t)n);
	world_put(w);
	return rc;
}
