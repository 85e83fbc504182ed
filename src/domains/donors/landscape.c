/*
 * landscape — the funding landscape: what donors gave, by donor, sector,
 * country and year, read from the summary the IATI import keeps
 * (funding_facts, see iati.c), as a pivot of two of those dimensions.
 *
 * Money of different currencies is never added: a cell holds one amount
 * per currency.  Asked for one currency, each (year, currency) part of a
 * cell is converted at the rate of the year's last day (donors_ratebook:
 * the latest rate on or before it, no older than RATES_MAX_AGE_DAYS),
 * exactly and rounded once, then added; the answer lists every rate it
 * used, and a rate missing is an error that names it ("no EUR→USD rate on
 * or before 2025-12-31"), never a total that quietly leaves money out.
 *
 * Beside the pivot, for the same filter: the donors ranked by what they
 * gave, and how concentrated the giving is, per currency (or in the one
 * asked for): the share of the five largest donors and the
 * Herfindahl-Hirschman index (the sum of the squared shares: 1 when one
 * donor gives everything, 1/n when n give alike).  Money from no donor
 * named (donor "") is in the pivot but in neither ranking nor index.
 *
 * The summary's index (type, year, donor, sector, country, currency,
 * amount) covers the query: a pivot reads index pages only, and only the
 * type and years asked for.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/tally.h"
#include "domains/donors/donors.h"
#include "formats/isocodes.h"
#include "formats/money.h"

#define TOP_DONORS 10
#define TOP_SHARE_OF 5

const char *const funding_dims[] = { "donor", "sector", "country", "year", NULL };

/* One summed part of the answer: a cell's (row, col), its year, currency and donor. */
typedef struct part {
	const char *row, *col, *donor;
	int year;
	char currency[4];
	int64_t amount;
} part;

typedef struct parts {
	part *v;
	size_t n, cap;
	arena *a;
	int year_row, year_col;   /* whether row, col are the year (an integer column) */
	int donor_row;            /* whether the row is the donor (read once) */
} parts;

static const char *value_text(parts *p, store_row *row, int col, int is_year)
{
	if (is_year)
		return arena_printf(p->a, "%" PRId64, store_int(row, col));
	const char *s = store_text(row, col, NULL);
	return arena_strdup(p->a, s ? s : "");
}

static int take_part(void *ctx, store_row *row)
{
	parts *p = ctx;
	p->v = grow_room(p->v, &p->cap, p->n + 1, sizeof *p->v);
	part *x = &p->v[p->n++];
	x->row = value_text(p, row, 0, p->year_row);
	x->col = value_text(p, row, 1, p->year_col);
	x->year = (int)store_int(row, 2);
	const char *currency = store_text(row, 3, NULL);
	snprintf(x->currency, sizeof x->currency, "%s", currency ? currency : "");
	/* the donor, when it is not the row, is a fifth group; the sum comes last */
	x->donor = p->donor_row ? x->row : value_text(p, row, 4, 0);
	x->amount = store_int(row, p->donor_row ? 4 : 5);
	return 0;
}

/* The summary's rows the query selects, summed by row, col, year, currency
 * and donor: one scan serves the cells and the donors' ranking. */
static int read_parts(model_ctx *m, store_conn *c, const funding_query *q, const char *row_dim, const char *col_dim,
		      parts *out)
{
	store_cond w[6] = { COND_EQ("type", sv_text(q->type)), COND("year", OP_GE, SV_INT_(q->from)),
			    COND("year", OP_LE, SV_INT_(q->to)) };
	int nw = 3;
	if (q->donor)
		w[nw++] = COND_EQ("donor", sv_text(q->donor));
	if (q->sector)
		w[nw++] = COND_EQ("sector", sv_text(q->sector));
	if (q->country)
		w[nw++] = COND_EQ("country", sv_text(q->country));
	out->a = &m->a;
	out->year_row = !strcmp(row_dim, "year");
	out->year_col = !strcmp(col_dim, "year");
	out->donor_row = !strcmp(row_dim, "donor");
	const char *groups[] = { row_dim, col_dim, "year", "currency", "donor" };
	store_sums s = { .table = "funding_facts", .groups = groups, .ngroups = out->donor_row ? 4 : 5, .sum = "amount",
			 .where = w, .nwhere = nw };
	if (store_sum_by(c, &s, take_part, out) != STORE_OK)
		return model_fail(m, 500, "Store error", "the funding summary could not be read: %s", store_errmsg(c));
	return 0;
}

/* ---- converting ---------------------------------------------------------------------------- */

typedef struct used_rates {
	rate *v;
	size_t n, cap;
} used_rates;

static void rate_used(used_rates *u, const rate *r)
{
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->v[i].from, r->from) && !strcmp(u->v[i].to, r->to) && !strcmp(u->v[i].date, r->date))
			return;
	u->v = grow_room(u->v, &u->cap, u->n + 1, sizeof *u->v);
	u->v[u->n++] = *r;
}

/* Every part in currency, each at the rate of its year's last day: 0, or -1 with m's error (422 naming the rate). */
static int convert_parts(model_ctx *m, const rate_table *t, parts *p, const char *currency, used_rates *used)
{
	for (size_t i = 0; i < p->n; i++) {
		part *x = &p->v[i];
		if (!strcmp(x->currency, currency))
			continue;
		char day[16], err[200];
		snprintf(day, sizeof day, "%04u-12-31", (unsigned)x->year % 10000);
		rate_path path;
		int64_t converted;
		if (rates_find(t, x->currency, currency, day, &path, err, sizeof err))
			return model_fail(m, 422, "Missing exchange rate", "%s", err);
		if (rate_path_convert(&path, x->amount, x->currency, currency, &converted, err, sizeof err))
			return model_fail(m, 422, "Amount too large", "%s", err);
		for (size_t k = 0; k < path.n; k++)
			rate_used(used, &path.legs[k]);
		x->amount = converted;
		memcpy(x->currency, currency, sizeof x->currency);
	}
	return 0;
}

/* ---- cells --------------------------------------------------------------------------------- */

static int by_cell(const void *pa, const void *pb)
{
	const part *a = pa, *b = pb;
	int c = strcmp(a->row, b->row);
	if (!c)
		c = strcmp(a->col, b->col);
	return c ? c : strcmp(a->currency, b->currency);
}

/* The parts of one (row, col, currency) made one cell, by their sum: 0, or -1 with m's error. */
static int merge_cells(model_ctx *m, parts *p)
{
	long n = tally(p->v, p->n, sizeof *p->v, by_cell, offsetof(part, amount));
	if (n < 0)
		return model_fail(m, 422, "Amount too large", "a cell's total is beyond what an amount can hold");
	p->n = (size_t)n;
	return 0;
}

static void amount_json(buf *out, int64_t minor, const char *currency)
{
	buf_puts(out, "\"amount\":\"");
	money_format_plain(minor, currency, out);
	buf_puts(out, "\",\"currency\":");
	buf_json_cstr(out, currency);
}

static void cells_json(buf *out, const parts *p)
{
	buf_puts(out, "\"cells\":[");
	for (size_t i = 0; i < p->n; i++) {
		const part *x = &p->v[i];
		buf_puts(out, i ? ",{\"row\":" : "{\"row\":");
		buf_json_cstr(out, x->row);
		buf_puts(out, ",\"col\":");
		buf_json_cstr(out, x->col);
		buf_putc(out, ',');
		amount_json(out, x->amount, x->currency);
		buf_putc(out, '}');
	}
	buf_puts(out, "]");
}

/* ---- labels -------------------------------------------------------------------------------- */

static int take_name(void *ctx, store_row *row)
{
	const char *s = store_text(row, 0, NULL);
	snprintf(ctx, 200, "%s", s ? s : "");
	return 1;
}

/* The name the files gave the organisation ref, into name (200 bytes); "" when none. */
static void org_name(store_conn *c, const char *ref, char *name)
{
	static const char *const cols[] = { "name" };
	store_cond w[] = { COND_EQ("ref", sv_text(ref)) };
	store_select q = { .table = "iati_organisations", .cols = cols, .ncols = 1, .where = w, .nwhere = 1 };
	name[0] = '\0';
	store_query(c, &q, take_name, name);
}

static int by_text(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* "CODE": "name" for each distinct code of one side (rows or cols) that has a name. */
static void side_labels(buf *out, store_conn *c, const parts *p, int rows, int donor, const char *lang, int *first)
{
	const char **codes = malloc((p->n ? p->n : 1) * sizeof *codes);
	if (!codes)
		abort();
	for (size_t i = 0; i < p->n; i++)
		codes[i] = rows ? p->v[i].row : p->v[i].col;
	qsort(codes, p->n, sizeof *codes, by_text);
	for (size_t i = 0; i < p->n; i++) {
		char name[200];
		if (!*codes[i] || (i && !strcmp(codes[i], codes[i - 1])))
			continue;
		if (donor)
			org_name(c, codes[i], name);
		else
			snprintf(name, sizeof name, "%s", iati_sector_name(codes[i], lang) ? iati_sector_name(codes[i], lang) : "");
		if (!*name)
			continue;
		buf_puts(out, *first ? "" : ",");
		*first = 0;
		buf_json_cstr(out, codes[i]);
		buf_putc(out, ':');
		buf_json_cstr(out, name);
	}
	free(codes);
}

/* {"CODE": "name", ...} for the donors and sectors the rows or columns name. */
static void labels_json(buf *out, store_conn *c, const parts *p, const funding_query *q, const char *lang)
{
	int first = 1;
	buf_puts(out, "\"labels\":{");
	for (int rows = 1; rows >= 0; rows--) {
		const char *dim = rows ? q->rows : q->cols;
		if (!strcmp(dim, "donor") || !strcmp(dim, "sector"))
			side_labels(out, c, p, rows, !strcmp(dim, "donor"), lang, &first);
	}
	buf_putc(out, '}');
}

static void rates_json(buf *out, const used_rates *u)
{
	buf_puts(out, "\"rates\":[");
	for (size_t i = 0; i < u->n; i++) {
		const rate *r = &u->v[i];
		buf_printf(out, "%s{\"date\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"rate\":\"", i ? "," : "", r->date, r->from,
			   r->to);
		rate_format(r->value, out);
		buf_puts(out, "\",\"text\":\"");
		rate_describe(r, out);
		buf_puts(out, "\"}");
	}
	buf_putc(out, ']');
}

/* ---- donors ranked, and concentration ------------------------------------------------------ */

/* A donor's total in one currency. */
typedef struct donor_total {
	const char *donor;
	char currency[4];
	int64_t amount;
} donor_total;

static int by_currency_then_amount(const void *pa, const void *pb)
{
	const donor_total *a = pa, *b = pb;
	int c = strcmp(a->currency, b->currency);
	if (c)
		return c;
	if (a->amount != b->amount)
		return a->amount > b->amount ? -1 : 1;
	return strcmp(a->donor, b->donor);
}

/* Donor totals per currency from parts whose row is the donor (cells merged). */
static size_t donor_totals(const parts *p, donor_total *out)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!*p->v[i].row || p->v[i].amount <= 0)
			continue;
		out[n] = (donor_total){ .donor = p->v[i].row, .amount = p->v[i].amount };
		memcpy(out[n++].currency, p->v[i].currency, sizeof out->currency);
	}
	qsort(out, n, sizeof *out, by_currency_then_amount);
	return n;
}

/* One currency's ranking and concentration, from its n totals (largest first). */
static void concentration_json(buf *out, store_conn *c, const donor_total *t, size_t n)
{
	int64_t sum = 0, *amounts = malloc(n * sizeof *amounts);
	double top5, hhi;
	if (!amounts)
		abort();
	for (size_t i = 0; i < n; i++)   /* a sum beyond 64 bits is held at the largest amount, never wrapped */
		if (__builtin_add_overflow(sum, amounts[i] = t[i].amount, &sum))
			sum = INT64_MAX;
	donors_concentration(amounts, n, &top5, &hhi);
	free(amounts);
	buf_puts(out, "{\"currency\":");
	buf_json_cstr(out, t[0].currency);
	buf_puts(out, ",\"total\":\"");
	money_format_plain(sum, t[0].currency, out);
	buf_printf(out, "\",\"donors\":%zu,\"top5_share\":%.4f,\"herfindahl\":%.4f,\"top\":[", n, top5, hhi);
	for (size_t i = 0; i < n && i < TOP_DONORS; i++) {
		char name[200];
		org_name(c, t[i].donor, name);
		buf_puts(out, i ? ",{\"donor\":" : "{\"donor\":");
		buf_json_cstr(out, t[i].donor);
		buf_puts(out, ",\"name\":");
		buf_json_cstr(out, name);
		buf_putc(out, ',');
		amount_json(out, t[i].amount, t[i].currency);
		buf_printf(out, ",\"share\":%.4f}", (double)t[i].amount / (double)sum);
	}
	buf_puts(out, "]}");
}

static void donors_json(buf *out, store_conn *c, const parts *by_donor)
{
	donor_total *t = malloc((by_donor->n ? by_donor->n : 1) * sizeof *t);
	if (!t)
		abort();
	size_t n = donor_totals(by_donor, t);
	buf_puts(out, "\"donors\":[");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(t[j].currency, t[i].currency))
			j++;
		if (i)
			buf_putc(out, ',');
		concentration_json(out, c, t + i, j - i);
		i = j;
	}
	buf_putc(out, ']');
	free(t);
}

/* ---- the answer ---------------------------------------------------------------------------- */

/* The parts read once (in q->currency when asked), then added up twice:
 * into cells by (row, col, currency), and into donors by (donor, currency). */
static int pivot_parts(model_ctx *m, store_conn *c, const funding_query *q, const rate_table *t, parts *cells,
		       parts *by_donor, used_rates *used)
{
	if (read_parts(m, c, q, q->rows, q->cols, cells) || (q->currency && convert_parts(m, t, cells, q->currency, used)))
		return -1;
	by_donor->v = grow_room(NULL, &by_donor->cap, cells->n ? cells->n : 1, sizeof *by_donor->v);
	for (size_t i = 0; i < cells->n; i++) {
		by_donor->v[i] = cells->v[i];
		by_donor->v[i].row = by_donor->v[i].col = cells->v[i].donor;
	}
	by_donor->n = cells->n;
	return merge_cells(m, cells) || merge_cells(m, by_donor) ? -1 : 0;
}

int funding_pivot(model_ctx *m, store_conn *c, const funding_query *q, buf *out)
{
	rate_table *t = NULL;
	parts cells = { 0 }, by_donor = { 0 };
	used_rates used = { 0 };
	int rc = -1;
	if (q->currency && donors_ratebook(m, c, &t))
		goto done;
	if (pivot_parts(m, c, q, t, &cells, &by_donor, &used))
		goto done;
	buf_puts(out, "{\"rows\":");
	buf_json_cstr(out, q->rows);
	buf_puts(out, ",\"cols\":");
	buf_json_cstr(out, q->cols);
	buf_puts(out, ",\"type\":");
	buf_json_cstr(out, q->type);
	buf_printf(out, ",\"from\":%d,\"to\":%d,\"currency\":", q->from, q->to);
	buf_json_cstr(out, q->currency);
	buf_putc(out, ',');
	cells_json(out, &cells);
	buf_putc(out, ',');
	labels_json(out, c, &cells, q, registry_langs[m->lang]);
	buf_putc(out, ',');
	rates_json(out, &used);
	buf_putc(out, ',');
	donors_json(out, c, &by_donor);
	buf_putc(out, '}');
	rc = 0;
done:
	rates_table_free(t);
	free(cells.v);
	free(by_donor.v);
	free(used.v);
	return rc;
}
