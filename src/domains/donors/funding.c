/*
 * funding — the money received, told in one currency and cut one way: by
 * donor, by year, by earmarking, by programme, by sector, by country or by
 * region.
 *
 * What is counted is the contributions received (live, between two dates,
 * those the reader may read), each converted into the reporting currency
 * at the rate of the day it came (the ratebook: the latest rate on or
 * before that day, never older than a month), so that a total is a sum of
 * amounts of one currency; a missing rate stops the total and names it.
 *
 * A contribution reaches sectors and countries through its allocations:
 * each allocation's part of it goes to its programme, and a programme's
 * part is split by the programme's shares of sectors or countries, as IATI
 * splits a transaction over its activity's; what is not allocated, or goes
 * to a programme that names no sector, is told as such.  A region's part
 * is the sum of its countries' (formats/regions.h: each country in its
 * most specific DAC region), and a country in none is told as no region.
 * Every split is
 * exact in minor units (largest remainder): the parts add up to the whole,
 * and the total of every cut is the same.
 *
 * Beside the rows: the share of the five largest and the Herfindahl index
 * (the sum of the squared shares: 1 when one row holds everything), how
 * concentrated the funding is.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apportion.h"
#include "domains/donors/donors.h"
#include "formats/iati.h"
#include "formats/isocodes.h"
#include "formats/regions.h"
#include "model/access.h"

const char *const funding_cuts[] = { "donor", "year", "earmarking", "programme", "sector", "country", "region", NULL };

#define MAX_PARTS 200   /* a programme's sectors or countries; a contribution's allocations */

/* ---- keys and their amounts ---------------------------------------------------------------- */

typedef struct tally {
	model_ctx *m;
	funding *out;
	size_t cap;
} tally;

static int add_to(tally *t, const char *key, int64_t amount)
{
	funding *f = t->out;
	size_t i = 0;
	while (i < f->n && strcmp(f->rows[i].key, key) != 0)
		i++;
	if (i == f->n) {
		if (f->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 32;
			funding_row *grown = arena_alloc(&t->m->a, t->cap * sizeof *grown);
			if (f->n)
				memcpy(grown, f->rows, f->n * sizeof *grown);
			f->rows = grown;
		}
		f->rows[f->n++] = (funding_row){ arena_strdup(&t->m->a, key), NULL, 0 };
	}
	if (__builtin_add_overflow(f->rows[i].amount, amount, &f->rows[i].amount) ||
	    __builtin_add_overflow(f->total, amount, &f->total))
		return model_fail(t->m, 422, "Total too large", "the amounts add up beyond what Liaison can count");
	return 0;
}

/* ---- what is read once per answer ------------------------------------------------------------ */

typedef struct allocation {
	int64_t contribution, programme, amount;
} allocation;

typedef struct programme_row {
	int64_t id;
	const char *codes;   /* its sectors or countries as stored (a JSON list), or NULL */
} programme_row;

typedef struct reading {
	model_ctx *m;
	arena *a;
	allocation *alloc;
	size_t nalloc, capalloc;
	programme_row *prog;
	size_t nprog, capprog;
} reading;

static int take_allocation(void *ctx, store_row *row)
{
	reading *r = ctx;
	if (r->nalloc == r->capalloc) {
		r->capalloc = r->capalloc ? r->capalloc * 2 : 64;
		allocation *grown = arena_alloc(r->a, r->capalloc * sizeof *grown);
		if (r->nalloc)
			memcpy(grown, r->alloc, r->nalloc * sizeof *grown);
		r->alloc = grown;
	}
	r->alloc[r->nalloc++] = (allocation){ store_int(row, 0), store_int(row, 1), store_int(row, 2) };
	return 0;
}

static int take_programme(void *ctx, store_row *row)
{
	reading *r = ctx;
	if (r->nprog == r->capprog) {
		r->capprog = r->capprog ? r->capprog * 2 : 64;
		programme_row *grown = arena_alloc(r->a, r->capprog * sizeof *grown);
		if (r->nprog)
			memcpy(grown, r->prog, r->nprog * sizeof *grown);
		r->prog = grown;
	}
	const char *codes = store_text(row, 1, NULL);
	r->prog[r->nprog++] = (programme_row){ store_int(row, 0), codes ? arena_strdup(r->a, codes) : NULL };
	return 0;
}

static int read_allocations(reading *r, store_conn *c, const char *codes_field)
{
	store_cond live = COND_EQ("archived", SV_INT_(0));
	store_order by_contribution[] = { { "contribution", 0, NOT_NULL }, { "id", 0, NOT_NULL } };
	store_select qa = { .table = allocations.table, .cols = (const char *[]){ "contribution", "programme", "amount" },
			    .ncols = 3, .where = &live, .nwhere = 1, .order = by_contribution, .norder = 2 };
	store_order by_id = { "id", 0, NOT_NULL };
	store_select qp = { .table = programmes.table, .cols = (const char *[]){ "id", codes_field }, .ncols = 2,
			    .order = &by_id, .norder = 1 };
	if (store_query(c, &qa, take_allocation, r) != STORE_OK || store_query(c, &qp, take_programme, r) != STORE_OK)
		return model_fail(r->m, 500, "Store error", "the allocations could not be read");
	return 0;
}

/* The programme's codes, found by halving: the programmes are read in the order of their ids. */
static const char *codes_of(const reading *r, int64_t programme)
{
	size_t lo = 0, hi = r->nprog;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->prog[mid].id < programme)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nprog && r->prog[lo].id == programme ? r->prog[lo].codes : NULL;
}

/* ---- one contribution ------------------------------------------------------------------------ */

typedef struct walk {
	model_ctx *m;
	store_conn *c;
	const char *cut, *currency;
	rate_table *rates;
	reading *r;
	tally t;
	rate_list *used;
	size_t capused;
	int failed;
} walk;

static void note_rates(walk *w, const rate_path *path)
{
	for (size_t k = 0; k < path->n; k++) {
		size_t i = 0;
		while (i < w->used->n && memcmp(&w->used->v[i], &path->legs[k], sizeof path->legs[k]) != 0)
			i++;
		if (i < w->used->n)
			continue;
		if (w->used->n == w->capused) {
			w->capused = w->capused ? w->capused * 2 : 8;
			rate *grown = arena_alloc(&w->m->a, w->capused * sizeof *grown);
			if (w->used->n)
				memcpy(grown, w->used->v, w->used->n * sizeof *grown);
			w->used->v = grown;
		}
		w->used->v[w->used->n++] = path->legs[k];
	}
}

/* The key a code of a programme's list is counted under: the code itself, or a country's region. */
static const char *key_of(walk *w, const char *code)
{
	if (strcmp(w->cut, "region"))
		return code;
	int region = region_of_country(code);
	return region == REGION_NONE ? "-" : arena_printf(&w->m->a, "%d", region);
}

/* A programme's part, split by its shares of sectors or countries ("15190 60"). */
static int to_codes(walk *w, const char *codes, int64_t amount)
{
	json_t *items = codes ? json_loads(codes, 0, NULL) : NULL, *item;
	size_t n = 0, i;
	char keys[MAX_PARTS][64];
	int64_t weights[MAX_PARTS], parts[MAX_PARTS];
	json_array_foreach(items, i, item) {
		int h;
		if (n == MAX_PARTS || !json_string_value(item) ||
		    share_read(json_string_value(item), keys[n], sizeof keys[n], &h))
			continue;
		weights[n++] = h < 0 ? 10000 : h;   /* a code alone is all of it */
	}
	json_decref(items);
	if (n == 0)
		return add_to(&w->t, "-", amount);   /* a programme that names none */
	if (apportion(amount, weights, n, parts))
		return add_to(&w->t, "-", amount);   /* shares all of 0: the programme names none */
	for (size_t k = 0; k < n; k++)
		if (add_to(&w->t, key_of(w, keys[k]), parts[k]))
			return -1;
	return 0;
}

/* amount (converted) of contribution id, through its allocations to the programmes' codes. */
static int through_allocations(walk *w, int64_t id, int64_t own, int64_t amount)
{
	int64_t weights[MAX_PARTS + 1], parts[MAX_PARTS + 1], given = 0;
	const allocation *mine[MAX_PARTS];
	size_t n = 0;
	size_t lo = 0, hi = w->r->nalloc;   /* the contribution's first allocation, by halving: they are in its order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->r->alloc[mid].contribution < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < w->r->nalloc && w->r->alloc[i].contribution == id && n < MAX_PARTS; i++) {
		mine[n] = &w->r->alloc[i];
		weights[n++] = w->r->alloc[i].amount;
		given += w->r->alloc[i].amount;
	}
	weights[n] = own > given ? own - given : 0;   /* what is not allocated */
	if (apportion(amount, weights, n + 1, parts))
		return add_to(&w->t, "", amount);
	for (size_t k = 0; k < n; k++) {
		int rc = !strcmp(w->cut, "programme")
				 ? add_to(&w->t, arena_printf(&w->m->a, "%" PRId64, mine[k]->programme), parts[k])
				 : to_codes(w, codes_of(w->r, mine[k]->programme), parts[k]);
		if (rc)
			return -1;
	}
	return parts[n] ? add_to(&w->t, "", parts[n]) : 0;
}

static const char *pledge_value(walk *w, int64_t pledge, const char *field)
{
	record p;
	if (model_fetch(w->m, w->c, registry_find(w->m->reg, pledges.name), pledge, &p) <= 0)
		return NULL;
	const store_value *v = record_field(&p, field);
	return v->type == SV_INT ? arena_printf(&w->m->a, "%" PRId64, v->i) : v->type == SV_TEXT ? v->s : NULL;
}

static int take_contribution(void *ctx, store_row *row)
{
	walk *w = ctx;
	int64_t id = store_int(row, 0), pledge = store_int(row, 1), own = store_int(row, 3), converted;
	const char *date = store_text(row, 2, NULL), *currency = store_text(row, 4, NULL);
	char why[200];
	rate_path path;
	if (rates_convert(w->rates, own, currency, w->currency, date, &converted, &path, why, sizeof why)) {
		model_fail(w->m, 422, "Missing exchange rate", "%s", why);
		return w->failed = 1;
	}
	note_rates(w, &path);
	int rc;
	if (!strcmp(w->cut, "year"))
		rc = add_to(&w->t, arena_strndup(&w->m->a, date, 4), converted);
	else if (!strcmp(w->cut, "donor") || !strcmp(w->cut, "earmarking")) {
		const char *key = pledge_value(w, pledge, w->cut);
		rc = add_to(&w->t, key ? key : "-", converted);
	} else
		rc = through_allocations(w, id, own, converted);
	return w->failed = rc != 0;
}

/* ---- the answer ------------------------------------------------------------------------------- */

static int by_amount(const void *a, const void *b)
{
	const funding_row *x = a, *y = b;
	if (x->amount != y->amount)
		return x->amount > y->amount ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const funding_row *)a)->key, ((const funding_row *)b)->key);
}

void donors_concentration(const int64_t *amounts, size_t n, double *top5, double *hhi)
{
	long double total = 0, h = 0, top = 0;
	for (size_t i = 0; i < n; i++)
		total += (long double)amounts[i];
	for (size_t i = 0; i < n && total > 0; i++) {
		long double s = (long double)amounts[i] / total;
		h += s * s;
		top += i < 5 ? s : 0;
	}
	*top5 = (double)top;
	*hhi = (double)h;
}

static void concentration(funding *f)
{
	int64_t *amounts = malloc((f->n ? f->n : 1) * sizeof *amounts);
	if (!amounts)
		abort();
	for (size_t i = 0; i < f->n; i++)
		amounts[i] = f->rows[i].amount;
	donors_concentration(amounts, f->n, &f->top5_share, &f->hhi);
	free(amounts);
}

int funding_compute(model_ctx *m, store_conn *c, const char *cut, const char *currency, const char *from, const char *to,
		    funding *out)
{
	*out = (funding){ .currency = currency, .cut = cut };
	if (enum_index(funding_cuts, cut) < 0)
		return model_fail(m, 400, "Bad Request", "by is one of donor, year, earmarking, programme, sector, country, region");
	if (!isocodes_currency_known(currency))
		return model_fail(m, 400, "Bad Request", "currency is an ISO 4217 currency code, such as USD");
	rate_table *rates = NULL;
	reading rd = { m, &m->a };
	const char *codes = !strcmp(cut, "sector") ? "sectors" : "countries";
	int rc = donors_ratebook(m, c, &rates);
	if (rc == 0 && (!strcmp(cut, "sector") || !strcmp(cut, "country") || !strcmp(cut, "region") || !strcmp(cut, "programme")))
		rc = read_allocations(&rd, c, codes);
	if (rc) {
		rates_table_free(rates);
		return -1;
	}
	const entity *e = registry_find(m->reg, contributions.name);
	store_cond w[8] = { COND_EQ("archived", SV_INT_(0)) };
	int nw = 1;
	if (from)
		w[nw++] = COND("received_on", OP_GE, sv_text(from));
	if (to)
		w[nw++] = COND("received_on", OP_LE, sv_text(to));
	access_visible(m, e, w, &nw);
	store_order order[] = { { "received_on", 0, NOT_NULL }, { "id", 0, NOT_NULL } };
	store_select q = { .table = e->def->table,
			   .cols = (const char *[]){ "id", "pledge", "received_on", "amount", "amount_currency" }, .ncols = 5,
			   .where = w, .nwhere = nw, .order = order, .norder = 2 };
	walk wk = { m, c, cut, currency, rates, &rd, { m, out, 0 }, &out->rates };
	if (store_query(c, &q, take_contribution, &wk) != STORE_OK && !wk.failed)
		model_fail(m, 500, "Store error", "the contributions could not be read");
	rates_table_free(rates);
	if (m->status >= 400)
		return -1;
	qsort(out->rows, out->n, sizeof *out->rows, !strcmp(cut, "year") ? by_key : by_amount);
	concentration(out);
	return 0;
}

/* ---- the rows' names, in the reader's language --------------------------------------------------- */

/* The title of the record of kind whose key column is key, in lang (else another language). */
static const char *title_of(model_ctx *m, store_conn *c, const char *kind, const char *field, const char *key, int lang)
{
	const entity *e = registry_find(m->reg, kind);
	record r;
	int64_t id = model_parse_id(key);
	int found = strcmp(field, "id") ? model_fetch_where(m, c, e, field, sv_text(key), &r) : model_fetch(m, c, e, id, &r);
	if (found <= 0)
		return NULL;
	const char *title = strcmp(kind, "programmes") ? "name" : "title";
	char col[24];
	for (int k = -1; k < NLANGS; k++) {
		snprintf(col, sizeof col, "%s_%s", title, registry_langs[k < 0 ? lang : k]);
		const char *t = record_text(&r, col);
		if (t && *t)
			return t;
	}
	return NULL;
}

void funding_label(model_ctx *m, store_conn *c, funding *f, int lang)
{
	const field_def *earmarking = entity_field(registry_find(m->reg, pledges.name), "earmarking");
	for (size_t i = 0; i < f->n; i++) {
		funding_row *row = &f->rows[i];
		const char *key = row->key, *name = NULL;
		if (!*key)
			name = i18n_text(lang, N_("Not allocated to a programme"));
		else if (!strcmp(key, "-"))
			name = i18n_text(lang, !strcmp(f->cut, "sector")  ? N_("No sector given")
					       : !strcmp(f->cut, "region") ? N_("No region: no country given, or none of the DAC's")
									   : N_("No country given"));
		else if (!strcmp(f->cut, "donor"))
			name = title_of(m, c, "organizations", "id", key, lang);
		else if (!strcmp(f->cut, "programme"))
			name = title_of(m, c, "programmes", "id", key, lang);
		else if (!strcmp(f->cut, "country"))
			name = title_of(m, c, "countries", "iso2", key, lang);
		else if (!strcmp(f->cut, "region"))
			name = region_name(atoi(key), registry_langs[lang]);
		else if (!strcmp(f->cut, "sector") && iati_sector_name(key, registry_langs[lang]))
			name = arena_printf(&m->a, "%s %s", key, iati_sector_name(key, registry_langs[lang]));
		else if (!strcmp(f->cut, "earmarking") && enum_index(earmarking->values, key) >= 0)
			name = i18n_text(lang, earmarking->labels[enum_index(earmarking->values, key)]);
		row->label = name ? name : key;
	}
}
