/*
 * appeal — an appeal told as a document to send to donors: what it
 * requires, by DAC region (formats/regions.h) and then by country, each
 * requirement with the funding its programme received and the gap left,
 * the totals, and a chart of requirements and funding by region; as PDF,
 * in English, French or Spanish, and the appeal's page that links to it:
 *
 *   GET /appeals/{id}                    the record, with its document in each language
 *   GET /appeals/{id}/document.pdf       ?lang=fr&currency=USD
 *   liaison appeal document ID --lang fr --out appeal.pdf
 *
 * A requirement is of a programme, a country, or both.  Its place is its
 * country, else its programme's when the programme names one, else
 * "several countries" in the region they share (or in none).  Its funding
 * is its programme's allocations, each converted into the requirement's
 * currency at the rate of the day its contribution came (the ratebook); a
 * programme with several requirements in the appeal gives each the share
 * of the programme its country has, the rest evenly to those naming none of
 * its countries.  An allocation without a rate is left out, and the
 * document names the rate missing instead of failing: a donor reading it
 * sees the figure is short and why.  A requirement of a country alone has
 * no funding to trace.
 *
 * Amounts are never added across currencies: the totals of a region, and
 * in all, are one line per currency; beside them the whole is converted
 * into the reporting currency at the rates of the document's day, with the
 * rates used listed (and any missing named), and the chart is drawn in it.
 *
 * Everything is said in the document's language: the regions' and
 * countries' names, each programme's title (else another language's),
 * amounts as the language writes them, and countries in its collation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apportion.h"
#include "domains/donors/donors.h"
#include "formats/collate.h"
#include "formats/isocodes.h"
#include "formats/pdf.h"
#include "formats/regions.h"
#include "model/access.h"
#include "model/today.h"
#include "web/web.h"

#define REPORTING_DEFAULT "USD"
#define MAX_CURRENCIES 16   /* of one total: beyond that, a total's lines stop */

/* One requirement, placed and funded. */
typedef struct need {
	int64_t programme;          /* 0: none named */
	const char *country;        /* ISO code; NULL: several or none */
	int region;                 /* REGION_NONE: none, or several */
	const char *country_name, *programme_title;
	money amount;               /* what is required */
	money funded;               /* what its programme received for it, in its currency */
	int short_of_rate;          /* an allocation was left out for want of a rate */
	int64_t in_reporting[2];    /* amount and funded in the reporting currency */
	int converted;              /* in_reporting holds them */
} need;

typedef struct sheet {
	model_ctx *m;
	store_conn *c;
	int lang;
	const char *reporting, *date;
	record appeal;
	need *v;
	size_t n, cap;
	rate_table *rates;
	rate_list used;             /* the rates the reporting totals used, each once */
	size_t capused;
	const char **missing;       /* the rates missing, as sentences, each once */
	size_t nmissing, capmissing;
	int untraced;               /* a requirement names no programme */
} sheet;

static const char *say(const sheet *s, const char *msgid, const char *const *values, int n)
{
	return i18n_say(&s->m->a, s->lang, msgid, values, n);
}

static const char *money_words(const sheet *s, int64_t minor, const char *currency)
{
	buf b = BUF_INIT;
	i18n_money(s->lang, minor, currency, &b);
	const char *out = arena_strdup(&s->m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

static const char *date_words(const sheet *s, const char *iso)
{
	buf b = BUF_INIT;
	i18n_date(s->lang, iso, &b);
	const char *out = arena_strdup(&s->m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* A multilingual field of r in the document's language, else the first other there is. */
static const char *in_language(const sheet *s, const record *r, const char *field)
{
	const char *text = NULL;
	for (int l = -1; l < NLANGS && !(text && *text); l++) {
		char col[64];
		snprintf(col, sizeof col, "%s_%s", field, registry_langs[l < 0 ? s->lang : l]);
		text = record_text(r, col);
	}
	return text && *text ? text : NULL;
}

static void note_missing(sheet *s, const char *sentence)
{
	for (size_t i = 0; i < s->nmissing; i++)
		if (!strcmp(s->missing[i], sentence))
			return;
	if (s->nmissing == s->capmissing) {
		s->capmissing = s->capmissing ? s->capmissing * 2 : 8;
		const char **grown = arena_alloc(&s->m->a, s->capmissing * sizeof *grown);
		if (s->nmissing)
			memcpy(grown, s->missing, s->nmissing * sizeof *grown);
		s->missing = grown;
	}
	s->missing[s->nmissing++] = sentence;
}

static void note_used(sheet *s, const rate_path *path)
{
	for (size_t k = 0; k < path->n; k++) {
		size_t i = 0;
		while (i < s->used.n && memcmp(&s->used.v[i], &path->legs[k], sizeof path->legs[k]))
			i++;
		if (i < s->used.n)
			continue;
		if (s->used.n == s->capused) {
			s->capused = s->capused ? s->capused * 2 : 8;
			rate *grown = arena_alloc(&s->m->a, s->capused * sizeof *grown);
			if (s->used.n)
				memcpy(grown, s->used.v, s->used.n * sizeof *grown);
			s->used.v = grown;
		}
		s->used.v[s->used.n++] = path->legs[k];
	}
}

/* ---- the requirements ------------------------------------------------------------------------- */

static int take_need(void *ctx, store_row *row)
{
	sheet *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		need *grown = arena_alloc(&s->m->a, s->cap * sizeof *grown);
		if (s->n)
			memcpy(grown, s->v, s->n * sizeof *grown);
		s->v = grown;
	}
	need *d = &s->v[s->n++];
	*d = (need){ .programme = store_isnull(row, 0) ? 0 : store_int(row, 0) };
	const char *country = store_text(row, 1, NULL), *currency = store_text(row, 3, NULL);
	d->country = country ? arena_strdup(&s->m->a, country) : NULL;
	d->amount.minor = store_int(row, 2);
	snprintf(d->amount.currency, sizeof d->amount.currency, "%s", currency ? currency : "");
	d->funded = (money){ 0 };
	memcpy(d->funded.currency, d->amount.currency, sizeof d->funded.currency);
	return 0;
}

static int read_needs(sheet *s)
{
	const entity *e = registry_find(s->m->reg, appeal_requirements.name);
	store_cond where[8] = { COND_EQ("appeal", SV_INT_(s->appeal.v[COL_ID].i)), COND_EQ("archived", SV_INT_(0)) };
	int nw = 2;
	access_visible(s->m, e, where, &nw);
	store_order order = { "id", 0, NOT_NULL };
	store_select q = { .table = e->def->table,
			   .cols = (const char *[]){ "programme", "country", "amount", "amount_currency" }, .ncols = 4,
			   .where = where, .nwhere = nw, .order = &order, .norder = 1 };
	if (store_query(s->c, &q, take_need, s) != STORE_OK)
		return model_fail(s->m, 500, "Store error", "the appeal's requirements could not be read");
	return 0;
}

/* The programme's countries as "CODE SHARE" items: codes[] and hundredths[] (10000 for a code alone). */
static size_t programme_countries(const record *p, char codes[][8], int *hundredths, size_t max)
{
	const char *stored = record_text(p, "countries");
	json_t *items = stored ? json_loads(stored, 0, NULL) : NULL, *item;
	size_t n = 0, i;
	json_array_foreach(items, i, item) {
		int h;
		if (n < max && json_string_value(item) && share_read(json_string_value(item), codes[n], sizeof codes[n], &h) == 0)
			hundredths[n++] = h < 0 ? 10000 : h;
	}
	json_decref(items);
	return n;
}

/* Where a requirement without a country goes: its programme's one country, else the region all of them share. */
static void place_by_programme(sheet *s, need *d, const record *p)
{
	char codes[64][8];
	int h[64];
	size_t n = programme_countries(p, codes, h, 64);
	if (n == 1) {
		d->country = arena_strdup(&s->m->a, codes[0]);
		return;
	}
	d->region = n ? region_of_country(codes[0]) : REGION_NONE;
	for (size_t i = 1; i < n; i++)
		if (region_of_country(codes[i]) != d->region)
			d->region = REGION_NONE;
}

static void place(sheet *s, need *d)
{
	const entity *pe = registry_find(s->m->reg, programmes.name), *ce = registry_find(s->m->reg, "countries");
	record p, country;
	if (d->programme && model_fetch(s->m, s->c, pe, d->programme, &p) > 0) {
		d->programme_title = in_language(s, &p, "title");
		if (!d->country)
			place_by_programme(s, d, &p);
	}
	if (!d->country) {
		d->country_name = i18n_text(s->lang, N_("Several countries"));
		return;
	}
	d->region = region_of_country(d->country);
	if (model_fetch_where(s->m, s->c, ce, "iso2", sv_text(d->country), &country) > 0)
		d->country_name = in_language(s, &country, "name");
	if (!d->country_name)
		d->country_name = d->country;
}

/* ---- the funding of each requirement ------------------------------------------------------------ */

typedef struct gift {
	int64_t amount;
	const char *currency, *date;
} gift;

typedef struct gifts {
	sheet *s;
	gift *v;
	size_t n, cap;
} gifts;

static int take_gift(void *ctx, store_row *row)
{
	gifts *g = ctx;
	record contribution;
	const entity *ce = registry_find(g->s->m->reg, contributions.name);
	if (model_fetch(g->s->m, g->s->c, ce, store_int(row, 0), &contribution) <= 0 || contribution.v[COL_ARCHIVED].i)
		return 0;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		gift *grown = arena_alloc(&g->s->m->a, g->cap * sizeof *grown);
		if (g->n)
			memcpy(grown, g->v, g->n * sizeof *grown);
		g->v = grown;
	}
	g->v[g->n++] = (gift){ store_int(row, 1), arena_strdup(&g->s->m->a, store_text(row, 2, NULL)),
			       arena_strdup(&g->s->m->a, record_text(&contribution, "received_on")) };
	return 0;
}

/* What the programme's live allocations gave, each with its contribution's day. */
static int read_gifts(sheet *s, int64_t programme, gifts *g)
{
	*g = (gifts){ s };
	store_cond where[] = { COND_EQ("programme", SV_INT_(programme)), COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = allocations.table, .cols = (const char *[]){ "contribution", "amount", "amount_currency" },
			   .ncols = 3, .where = where, .nwhere = 2 };
	if (store_query(s->c, &q, take_gift, g) != STORE_OK)
		return model_fail(s->m, 500, "Store error", "the allocations could not be read");
	return 0;
}

/* The gifts in currency, each at its day's rate; one left out names its missing rate. */
static int64_t received_in(sheet *s, const gifts *g, const char *currency, const char *title, int *short_of_rate)
{
	int64_t sum = 0, one;
	char why[200];
	for (size_t i = 0; i < g->n; i++) {
		if (rates_convert(s->rates, g->v[i].amount, g->v[i].currency, currency, g->v[i].date, &one, NULL, why, sizeof why) ||
		    __builtin_add_overflow(sum, one, &sum)) {
			*short_of_rate = 1;
			note_missing(s, say(s, N_("No exchange rate from {1} to {2} on or before {3}: what {4} received that day is not counted."),
					    (const char *[]){ g->v[i].currency, currency, date_words(s, g->v[i].date), title }, 4));
		}
	}
	return sum;
}

/* Each requirement of the programme its part of the programme's funding: its country's share, the rest
 * evenly to those that name none of the programme's countries; all of it to a requirement alone. */
static void weigh(sheet *s, int64_t programme, int64_t *weights, size_t *mine, size_t n)
{
	record p;
	char codes[64][8];
	int h[64];
	size_t nc = model_fetch(s->m, s->c, registry_find(s->m->reg, programmes.name), programme, &p) > 0
			    ? programme_countries(&p, codes, h, 64) : 0;
	int64_t given = 0;
	size_t unmatched = 0;
	for (size_t k = 0; k < n; k++) {
		weights[k] = -1;
		for (size_t i = 0; n > 1 && i < nc; i++)
			if (s->v[mine[k]].country && !strcmp(codes[i], s->v[mine[k]].country))
				weights[k] = h[i];
		given += weights[k] > 0 ? weights[k] : 0;
		unmatched += weights[k] < 0;
	}
	for (size_t k = 0; k < n; k++)
		if (weights[k] < 0)
			weights[k] = given < 10000 ? (10000 - given) / (int64_t)unmatched : 0;
}

#define MAX_NEEDS_OF_ONE 200   /* requirements of one programme in one appeal: more go without funding */

static int fund(sheet *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].programme) {
			s->untraced = 1;
			continue;
		}
		size_t mine[MAX_NEEDS_OF_ONE], n = 0;
		int seen = 0;
		for (size_t j = 0; j < s->n; j++)
			if (s->v[j].programme == s->v[i].programme) {
				seen |= j < i;
				if (n < MAX_NEEDS_OF_ONE)
					mine[n++] = j;
			}
		if (seen)
			continue;   /* the programme's requirements were funded with its first */
		gifts g;
		if (read_gifts(s, s->v[i].programme, &g))
			return -1;
		int64_t weights[MAX_NEEDS_OF_ONE], parts[MAX_NEEDS_OF_ONE];
		weigh(s, s->v[i].programme, weights, mine, n);
		const char *title = s->v[i].programme_title ? s->v[i].programme_title : "";
		for (size_t k = 0; k < n; k++) {
			need *d = &s->v[mine[k]];
			int64_t got = received_in(s, &g, d->amount.currency, title, &d->short_of_rate);
			d->funded.minor = apportion(got, weights, n, parts) == 0 ? parts[k] : 0;
		}
	}
	return 0;
}

static int64_t gap_of(const need *d) { return d->amount.minor > d->funded.minor ? d->amount.minor - d->funded.minor : 0; }

/* Each requirement and its funding in the reporting currency, at the rates of the document's day. */
static void convert(sheet *s)
{
	char why[200];
	for (size_t i = 0; i < s->n; i++) {
		need *d = &s->v[i];
		rate_path path;
		if (rates_find(s->rates, d->amount.currency, s->reporting, s->date, &path, why, sizeof why) ||
		    rate_path_convert(&path, d->amount.minor, d->amount.currency, s->reporting, &d->in_reporting[0], why, sizeof why) ||
		    rate_path_convert(&path, d->funded.minor, d->amount.currency, s->reporting, &d->in_reporting[1], why, sizeof why)) {
			note_missing(s, say(s, N_("No exchange rate from {1} to {2} on or before {3}: requirements in {1} are left out of the chart and of the total in {2}."),
					    (const char *[]){ d->amount.currency, s->reporting, date_words(s, s->date) }, 3));
			continue;
		}
		note_used(s, &path);
		d->converted = 1;
	}
}

/* ---- order: regions, then countries, in the language's collation --------------------------------- */

static const char *region_words(const sheet *s, int region)
{
	return region == REGION_NONE ? i18n_text(s->lang, N_("No DAC region")) : region_name(region, registry_langs[s->lang]);
}

/* Each text's rank in the language's collation, equal texts ranked alike. */
static size_t *ranks(sheet *s, const char *const *texts)
{
	size_t *order = arena_alloc(&s->m->a, (s->n + 1) * sizeof *order), *rank = arena_alloc(&s->m->a, (s->n + 1) * sizeof *rank);
	collate_order(registry_langs[s->lang], texts, s->n, order);   /* as given when ICU cannot */
	for (size_t k = 0; k < s->n; k++)
		rank[order[k]] = k && !strcmp(texts[order[k]], texts[order[k - 1]]) ? rank[order[k - 1]] : k;
	return rank;
}

typedef struct place_key {
	size_t region, country, index;   /* ranks: the unnamed (no region, several countries) after the named */
} place_key;

static int by_place(const void *a, const void *b)
{
	const place_key *x = a, *y = b;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->country != y->country)
		return x->country < y->country ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* order[0..n) of the requirements: by region, then country, each by its name; the unnamed last. */
static size_t *ordered(sheet *s)
{
	const char **regions = arena_alloc(&s->m->a, (s->n + 1) * sizeof *regions);
	const char **countries = arena_alloc(&s->m->a, (s->n + 1) * sizeof *countries);
	for (size_t i = 0; i < s->n; i++) {
		regions[i] = region_words(s, s->v[i].region);
		countries[i] = s->v[i].country_name;
	}
	size_t *rr = ranks(s, regions), *cr = ranks(s, countries), *order = arena_alloc(&s->m->a, (s->n + 1) * sizeof *order);
	place_key *keys = arena_alloc(&s->m->a, (s->n + 1) * sizeof *keys);
	for (size_t i = 0; i < s->n; i++)
		keys[i] = (place_key){ rr[i] + (s->v[i].region == REGION_NONE ? s->n : 0),
				       cr[i] + (s->v[i].country ? 0 : s->n), i };
	qsort(keys, s->n, sizeof *keys, by_place);
	for (size_t i = 0; i < s->n; i++)
		order[i] = keys[i].index;
	return order;
}

/* ---- totals ---------------------------------------------------------------------------------------- */

typedef struct total {
	money amount, funded, gap;
} total;

typedef struct totals {
	total v[MAX_CURRENCIES];
	size_t n;
} totals;

static void add_total(totals *t, const need *d)
{
	size_t i = 0;
	while (i < t->n && strcmp(t->v[i].amount.currency, d->amount.currency))
		i++;
	if (i == MAX_CURRENCIES)
		return;
	if (i == t->n) {
		t->v[t->n++] = (total){ d->amount, d->funded, d->amount };
		t->v[i].gap.minor = gap_of(d);
		return;
	}
	money gap = { gap_of(d), { 0 } };
	memcpy(gap.currency, d->amount.currency, sizeof gap.currency);
	char err[120];
	money_add(&t->v[i].amount, &d->amount, err, sizeof err);   /* of one currency: only an overflow fails, */
	money_add(&t->v[i].funded, &d->funded, err, sizeof err);   /* and leaves the sum as it was */
	money_add(&t->v[i].gap, &gap, err, sizeof err);
}

/* ---- the document ----------------------------------------------------------------------------------- */

/* A table's header: the first column's, a programme's when programmes are listed, then the amounts. */
static void table_head(const sheet *s, pdf_doc *d, const char *first, int programmes)
{
	const char *cells[] = { i18n_text(s->lang, first), i18n_text(s->lang, N_("Programme")),
				i18n_text(s->lang, N_("Requirement")), i18n_text(s->lang, N_("Funding received")),
				i18n_text(s->lang, N_("Gap")) };
	cells[1] = programmes ? cells[1] : cells[0];
	pdf_row(d, 1, cells + !programmes, 5 - !programmes);
}

/* A line per currency, under the requirements' table (its programme's column empty) or alone. */
static void totals_rows(const sheet *s, pdf_doc *d, const totals *t, int programmes)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *cells[] = { say(s, N_("Total in {1}"), (const char *const[]){ t->v[i].amount.currency }, 1), "",
					money_words(s, t->v[i].amount.minor, t->v[i].amount.currency),
					money_words(s, t->v[i].funded.minor, t->v[i].funded.currency),
					money_words(s, t->v[i].gap.minor, t->v[i].gap.currency) };
		cells[1] = programmes ? cells[1] : cells[0];
		pdf_row(d, 0, cells + !programmes, 5 - !programmes);
	}
}

static void need_row(const sheet *s, pdf_doc *d, const need *n)
{
	const char *funded = n->programme ? money_words(s, n->funded.minor, n->funded.currency) : "—";
	if (n->short_of_rate)
		funded = arena_printf(&s->m->a, "%s *", funded);
	const char *cells[] = { n->country_name, n->programme_title ? n->programme_title : "—",
				money_words(s, n->amount.minor, n->amount.currency), funded,
				money_words(s, gap_of(n), n->amount.currency) };
	pdf_row(d, 0, cells, 5);
}

/* The regions in order, each with its requirements in the reporting currency (those converted). */
typedef struct by_region {
	int region[PDF_MAX_BARS + 32];
	double amount[PDF_MAX_BARS + 32], funded[PDF_MAX_BARS + 32];
	size_t n;
} by_region;

static void tick(double v, buf *out, void *ctx)
{
	const sheet *s = ctx;
	i18n_number(s->lang, (int64_t)llround(v), 0, out);
}

/* The chart of requirements and funding by region, with the same figures as a table beside it. */
static void chart(sheet *s, pdf_doc *d, const by_region *br)
{
	size_t n = br->n < PDF_MAX_BARS ? br->n : PDF_MAX_BARS, widest = 0;
	if (n == 0)
		return;
	double unit = pow(10, isocodes_minor_units(s->reporting)), all[2] = { 0, 0 };
	const char **names = arena_alloc(&s->m->a, n * sizeof *names);
	const char **texts[2] = { arena_alloc(&s->m->a, n * sizeof(char *)), arena_alloc(&s->m->a, n * sizeof(char *)) };
	double *values[2] = { arena_alloc(&s->m->a, n * sizeof(double)), arena_alloc(&s->m->a, n * sizeof(double)) };
	for (size_t i = 0; i < n; i++) {
		names[i] = region_words(s, br->region[i]);
		for (int k = 0; k < 2; k++) {
			double minor = k ? br->funded[i] : br->amount[i];
			texts[k][i] = money_words(s, (int64_t)minor, s->reporting);
			values[k][i] = minor / unit;
			all[k] += minor;
		}
		if (br->amount[i] - br->funded[i] > br->amount[widest] - br->funded[widest])
			widest = i;
	}
	chart_series series[] = { { i18n_text(s->lang, N_("Requirements")), values[0], texts[0] },
				  { i18n_text(s->lang, N_("Funding received")), values[1], texts[1] } };
	const char *alt = say(s, N_("Requirements and funding by region, in {1}: {2} required and {3} received in all; the largest gap is in {4}, {5}."),
			      (const char *[]){ s->reporting, money_words(s, (int64_t)all[0], s->reporting),
						money_words(s, (int64_t)all[1], s->reporting), names[widest],
						money_words(s, (int64_t)(br->amount[widest] - br->funded[widest]), s->reporting) }, 5);
	pdf_bars(d, alt, names, n, series, 2, tick, s);
	const char *head[] = { i18n_text(s->lang, N_("Region")), series[0].name, series[1].name };
	pdf_row(d, 1, head, 3);
	for (size_t i = 0; i < n; i++)
		pdf_row(d, 0, (const char *[]){ names[i], texts[0][i], texts[1][i] }, 3);
}

static void gather_regions(const sheet *s, const size_t *order, by_region *br)
{
	br->n = 0;
	for (size_t k = 0; k < s->n; k++) {
		const need *d = &s->v[order[k]];
		if (br->n == 0 || br->region[br->n - 1] != d->region) {
			if (br->n == COUNT(br->region))
				return;
			br->region[br->n] = d->region;
			br->amount[br->n] = br->funded[br->n] = 0;
			br->n++;
		}
		if (d->converted) {
			br->amount[br->n - 1] += (double)d->in_reporting[0];
			br->funded[br->n - 1] += (double)d->in_reporting[1];
		}
	}
}

static void cover(sheet *s, pdf_doc *d, const char *title)
{
	const entity *e = registry_find(s->m->reg, appeals.name);
	const field_def *kind = entity_field(e, "appeal_type");
	int k = enum_index(kind->values, record_text(&s->appeal, "appeal_type"));
	pdf_heading(d, 1, title);
	if (k >= 0)
		pdf_fact(d, i18n_text(s->lang, N_("Kind of appeal")), i18n_text(s->lang, kind->labels[k]));
	pdf_fact(d, i18n_text(s->lang, N_("Year")), arena_printf(&s->m->a, "%lld", (long long)record_field(&s->appeal, "year")->i));
	pdf_fact(d, i18n_text(s->lang, N_("Reporting currency")), s->reporting);
	pdf_fact(d, i18n_text(s->lang, N_("Date of this document")), date_words(s, s->date));
	const char *summary = in_language(s, &s->appeal, "summary");
	if (summary)
		pdf_paragraph(d, summary);
}

/* Per region its heading, its requirements, and its totals per currency. */
static void regions(sheet *s, pdf_doc *d, const size_t *order)
{
	for (size_t k = 0; k < s->n;) {
		int region = s->v[order[k]].region;
		totals t = { .n = 0 };
		pdf_heading(d, 2, region_words(s, region));
		table_head(s, d, N_("Country"), 1);
		for (; k < s->n && s->v[order[k]].region == region; k++) {
			need_row(s, d, &s->v[order[k]]);
			add_total(&t, &s->v[order[k]]);
		}
		totals_rows(s, d, &t, 1);
	}
}

static void closing(sheet *s, pdf_doc *d, const by_region *br)
{
	totals all = { .n = 0 };
	for (size_t i = 0; i < s->n; i++)
		add_total(&all, &s->v[i]);
	pdf_heading(d, 2, i18n_text(s->lang, N_("In all")));
	table_head(s, d, N_("Currency"), 0);
	totals_rows(s, d, &all, 0);
	double amount = 0, funded = 0;
	for (size_t i = 0; i < br->n; i++)
		amount += br->amount[i], funded += br->funded[i];
	pdf_paragraph(d, say(s, N_("In all, converted into {1} at the rates of {2}: {3} required, {4} received, a gap of {5}."),
			     (const char *[]){ s->reporting, date_words(s, s->date), money_words(s, (int64_t)amount, s->reporting),
					       money_words(s, (int64_t)funded, s->reporting),
					       money_words(s, (int64_t)(amount > funded ? amount - funded : 0), s->reporting) }, 5));
	if (s->used.n)
		pdf_heading(d, 2, i18n_text(s->lang, N_("Exchange rates used")));
	for (size_t i = 0; i < s->used.n; i++) {
		buf b = BUF_INIT;
		rate_describe(&s->used.v[i], &b);
		pdf_item(d, buf_str(&b));
		buf_free(&b);
	}
	if (s->nmissing)
		pdf_heading(d, 2, i18n_text(s->lang, N_("Missing exchange rates")));
	for (size_t i = 0; i < s->nmissing; i++)
		pdf_item(d, s->missing[i]);
	if (s->nmissing)
		pdf_paragraph(d, i18n_text(s->lang, N_("* Funding without all of its exchange rates: what has no rate is not counted.")));
	if (s->untraced)
		pdf_paragraph(d, i18n_text(s->lang, N_("— A requirement of a country alone names no programme: its funding cannot be traced, and it counts as not funded.")));
}

static int write_document(sheet *s, buf *out)
{
	const char *title = in_language(s, &s->appeal, "title");
	pdf_doc *d = pdf_new(title ? title : "", registry_langs[s->lang]);
	size_t *order = ordered(s);
	by_region br;
	gather_regions(s, order, &br);
	cover(s, d, title ? title : "");
	pdf_heading(d, 2, i18n_text(s->lang, N_("Requirements and funding by region")));
	chart(s, d, &br);
	regions(s, d, order);
	closing(s, d, &br);
	char err[200];
	if (pdf_finish(d, out, err, sizeof err))
		return model_fail(s->m, 500, "PDF", "%s", err);
	return 0;
}

int donors_appeal_document(model_ctx *m, store_conn *c, const char *appeal, int lang, const char *reporting,
			   const char *date, buf *out)
{
	sheet s = { .m = m, .c = c, .lang = lang, .reporting = reporting, .date = date };
	if (!isocodes_currency_known(reporting))
		return model_fail(m, 400, "Bad Request", "currency is an ISO 4217 currency code, such as USD");
	if (model_find(m, c, registry_find(m->reg, appeals.name), appeal, &s.appeal) || read_needs(&s))
		return -1;
	for (size_t i = 0; i < s.n; i++)
		place(&s, &s.v[i]);
	int rc = donors_ratebook(m, c, &s.rates);
	if (rc == 0 && (rc = fund(&s)) == 0) {
		convert(&s);
		rc = write_document(&s, out);
	}
	rates_table_free(s.rates);
	return rc;
}

/* ---- the routes --------------------------------------------------------------------------------------- */

static int may_read_money(page *p)
{
	if (page_user(p)->role != ROLE_PARTNER)
		return 1;
	page_error(p, 403, NULL);
	return 0;
}

void donors_appeal_pdf(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !may_read_money(&p)) {
		page_end(&p);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	store_conn *c = store_reader(r->app->st);
	const char *currency = page_query(&p, "currency");
	char today[11];
	today_date(today);
	buf out = BUF_INIT;
	if (!c)
		model_fail(&m, 503, "Store busy", "the database cannot be read now");
	if (!c || donors_appeal_document(&m, c, r->params[0], p.lang, currency && *currency ? currency : REPORTING_DEFAULT,
					 today, &out))
		page_model_error(&p, &m);
	else {
		http_text(r, 200, "application/pdf", out.data, out.len);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"appeal-%s-%s.pdf\"",
								       r->params[0], registry_langs[p.lang]));
	}
	buf_free(&out);
	model_done(&m);
	page_end(&p);
}

void donors_appeal_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		const entity *e = registry_find(&r->app->reg, appeals.name);
		json_t *rec = records_load(&p, e, r->params[0]);
		if (rec && page_user(&p)->role != ROLE_PARTNER) {
			json_t *files = json_array();
			for (int l = 0; registry_langs[l]; l++)
				json_array_append_new(files, json_pack("{s:s, s:s, s:s}", "language", i18n_endonym(l), "lang",
								       registry_langs[l], "href",
								       arena_printf(&r->a, "/appeals/%s/document.pdf?lang=%s",
										    r->params[0], registry_langs[l])));
			json_object_set_new(p.ctx, "documents", json_pack("{s:o}", "files", files));
		}
		if (rec)
			records_detail_render(&p, e, rec, "appeal");
		json_decref(rec);
	}
	page_end(&p);
}
