/*
 * rates — exchange rates as records: "1 EUR = 1.0845 USD on 2026-03-31",
 * from a source the department trusts (the UN operational rates, a
 * bank's).  They come in as any kind does, one by one or by CSV import
 * (`liaison import exchange-rates FILE`, or the list page's import), and
 * every total in a reporting currency reads them (formats/rates.h): the
 * latest on or before an amount's date, direct, inverse or through
 * another currency, and says which it used.
 */
#include <stdio.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "formats/isocodes.h"
#include "formats/rates.h"

static const field_def rate_fields[] = {
	{ "rate_date", F_DATE, REQUIRED | INDEXED, .label = N_("Date") },
	{ "currency", F_TEXT, REQUIRED | INDEXED | FACET, .max = 3, .label = N_("Currency"), .sample = "EUR" },
	{ "base", F_TEXT, REQUIRED | INDEXED, .max = 3, .label = N_("In currency"), .sample = "USD" },
	{ "rate", F_TEXT, REQUIRED, .max = 24, .label = N_("Rate"),
	  .hint = N_("What one unit of the currency is worth in the other, such as 1.0845."), .sample = "1.{n}" },
	{ "source", F_TEXT, 0, .max = 200, .label = N_("Source") },
	/* "1 EUR = 1.0845 USD (2026-03-31)", kept so that lists and links name a rate */
	{ "name", F_TEXT, READONLY | TITLE, .max = 80, .label = N_("Rate") },
};
static const char *const rate_columns[] = { "name", "source", NULL };

static void known_currency(model_ctx *m, const record *r, const char *field)
{
	const char *code = record_text(r, field);
	if (code && !isocodes_currency_known(code))
		model_field_error(m, field, N_("is not an ISO 4217 currency code, such as EUR"));
}

static int rate_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	known_currency(m, r, "currency");
	known_currency(m, r, "base");
	const char *from = record_text(r, "currency"), *to = record_text(r, "base"), *text = record_text(r, "rate");
	if (from && to && strcmp(from, to) == 0)
		model_field_error(m, "base", N_("is the currency itself"));
	rate one = { .from = "", .to = "" };
	char why[160];
	if (text && rate_parse(text, strlen(text), &one.value, why, sizeof why))
		model_field_error(m, "rate", N_("is not a rate above zero, such as 1.0845"));
	if (m->nerrors)
		return -1;
	/* one rate for a pair and a date: a second is refused, never averaged or chosen between */
	snprintf(one.date, sizeof one.date, "%s", record_text(r, "rate_date"));
	snprintf(one.from, sizeof one.from, "%s", from);
	snprintf(one.to, sizeof one.to, "%s", to);
	buf name = BUF_INIT;
	rate_describe(&one, &name);
	*record_field(r, "name") = sv_text(arena_strdup(&m->a, buf_str(&name)));
	buf_free(&name);
	int64_t self = r->v[COL_ID].type == SV_INT ? r->v[COL_ID].i : 0, n = 0;
	store_cond w[] = { COND_EQ("rate_date", *record_field(r, "rate_date")), COND_EQ("currency", sv_text(from)),
			   COND_EQ("base", sv_text(to)), COND_EQ("archived", SV_INT_(0)), COND("id", OP_NE, SV_INT_(self)) };
	if (store_count(c, e->def->table, w, 5, &n) != STORE_OK)
		return model_fail(m, 500, "Store error", "the exchange rates could not be read");
	if (n > 0)
		model_field_error(m, "rate_date", N_("has a rate for this pair already"));
	return m->nerrors ? -1 : 0;
}

const entity_def exchange_rates = {
	.name = "exchange-rates", .table = "exchange_rates", .label = N_("exchange rate"),
	.fields = rate_fields, .nfields = COUNT(rate_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "-rate_date", .validate = rate_rules,
	.heading = N_("Exchange rates"), .new_label = N_("New exchange rate"), .columns = rate_columns,
	/* the menu leads to what the rates are for: the funding told in one currency, which links to them */
	.menu = { 35, "/funding", N_("Funding received") },
};
