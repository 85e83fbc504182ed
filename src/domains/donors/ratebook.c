/*
 * ratebook — the department's exchange rates (the exchange-rates kind) as
 * a table that converts (formats/rates.h), read once per answer that needs
 * it.  Cross rates go through the currency most rates are given in (the
 * US dollar, when the rates come from the UN's operational rates), and a
 * rate older than RATES_MAX_AGE_DAYS before an amount's date counts as
 * missing: a total never quietly uses last year's rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "domains/donors/donors.h"

typedef struct rate_walk {
	rate *v;
	size_t n, cap;
	char why[160];
} rate_walk;

static int take_rate(void *ctx, store_row *row)
{
	rate_walk *w = ctx;
	w->v = grow_room(w->v, &w->cap, w->n + 1, sizeof *w->v);
	rate *r = &w->v[w->n];
	const char *text = store_text(row, 3, NULL);
	snprintf(r->date, sizeof r->date, "%s", store_text(row, 0, NULL));
	snprintf(r->from, sizeof r->from, "%s", store_text(row, 1, NULL));
	snprintf(r->to, sizeof r->to, "%s", store_text(row, 2, NULL));
	if (rate_parse(text, strlen(text), &r->value, w->why, sizeof w->why) == 0)
		w->n++;   /* a rate the kind's rules accepted parses; one that does not is left out */
	return 0;
}

/* The currency most rates are given in: the one cross rates go through. */
static const char *usual_base(const rate_walk *w)
{
	size_t best = 0, best_n = 0;
	for (size_t i = 0; i < w->n; i++) {
		size_t n = 0;
		for (size_t j = 0; j < w->n; j++)
			n += strcmp(w->v[j].to, w->v[i].to) == 0;
		if (n > best_n) {
			best = i;
			best_n = n;
		}
	}
	return w->n ? w->v[best].to : "USD";
}

int donors_ratebook(model_ctx *m, store_conn *c, rate_table **out)
{
	static const char *const cols[] = { "rate_date", "currency", "base", "rate" };
	store_cond w[] = { COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = exchange_rates.table, .cols = cols, .ncols = 4, .where = w, .nwhere = 1 };
	rate_walk rw = { 0 };
	int rc = 0;
	char err[200];
	if (store_query(c, &q, take_rate, &rw) != STORE_OK)
		rc = model_fail(m, 500, "Store error", "the exchange rates could not be read");
	else if (rates_table_new(rw.v, rw.n, usual_base(&rw), RATES_MAX_AGE_DAYS, out, err, sizeof err))
		rc = model_fail(m, 500, "Exchange rates", "%s", err);
	free(rw.v);
	return rc;
}
