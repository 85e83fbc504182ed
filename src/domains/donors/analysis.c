/*
 * analysis — the funding received, as the API's JSON, as a page (a table,
 * a chart drawn by the server, the rates used, how concentrated it is) and
 * as CSV and XLSX files, all from funding.c and in the reader's language:
 *
 *   GET /api/v1/funding?by=donor&currency=USD&from=2026-01-01&to=2026-12-31
 *   GET /funding?by=…   GET /funding.csv?by=…   GET /funding.xlsx?by=…
 *
 * The rows are the largest first (years in their order), each with its
 * share of the total; a year's chart is columns, any other cut bars.  The
 * files carry the same rows, and the rates used after them: a total is
 * never told without the rates that made it.
 */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/donors/donors.h"
#include "formats/chart.h"
#include "formats/csv.h"
#include "formats/isocodes.h"
#include "formats/money.h"
#include "formats/xlsx.h"
#include "model/access.h"
#include "web/web.h"

#define REPORTING_DEFAULT "USD"

static const char *const cut_headings[] = { N_("Funding by donor"), N_("Funding by year"), N_("Funding by earmarking"),
					    N_("Funding by programme"), N_("Funding by sector"), N_("Funding by country"),
					    N_("Funding by region"), NULL };
static const char *const cut_labels[] = { N_("Donor"), N_("Year"), N_("Earmarking"), N_("Programme"), N_("Sector"),
					  N_("Country"), N_("Region"), NULL };

typedef struct asked {
	const char *cut, *currency, *from, *to;
} asked;

/* The query's cut, currency and dates; 0, or -1 with the reason in why. */
static int read_asked(const char *by, const char *currency, const char *from, const char *to, asked *a, const char **why)
{
	*a = (asked){ by && *by ? by : "donor", currency && *currency ? currency : REPORTING_DEFAULT, from && *from ? from : NULL,
		      to && *to ? to : NULL };
	if (enum_index(funding_cuts, a->cut) < 0)
		*why = "by is one of donor, year, earmarking, programme, sector, country, region";
	else if (!isocodes_currency_known(a->currency))
		*why = "currency is an ISO 4217 currency code, such as USD";
	else if ((a->from && !clock_valid_date(a->from)) || (a->to && !clock_valid_date(a->to)))
		*why = "from and to are dates, YYYY-MM-DD";
	else
		return 0;
	return -1;
}

static int compute(model_ctx *m, store *st, const asked *a, int lang, funding *f)
{
	store_conn *c = store_reader(st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database cannot be read now");
	if (funding_compute(m, c, a->cut, a->currency, a->from, a->to, f))
		return -1;
	funding_label(m, c, f, lang);
	return 0;
}

static const char *plain(model_ctx *m, int64_t minor, const char *currency)
{
	buf b = BUF_INIT;
	money_format_plain(minor, currency, &b);
	const char *s = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static double share_of(const funding *f, size_t i)
{
	return f->total > 0 ? (double)f->rows[i].amount / (double)f->total : 0;
}

/* ---- the API ---------------------------------------------------------------------------------- */

static json_t *money_json(model_ctx *m, int64_t minor, const char *currency)
{
	return json_pack("{s:s, s:s}", "amount", plain(m, minor, currency), "currency", currency);
}

static json_t *rates_json(const funding *f)
{
	json_t *out = json_array();
	for (size_t i = 0; i < f->rates.n; i++) {
		buf b = BUF_INIT;
		rate_describe(&f->rates.v[i], &b);
		json_array_append_new(out, json_string(buf_str(&b)));
		buf_free(&b);
	}
	return out;
}

void donors_funding(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	asked a;
	const char *why = NULL;
	funding f;
	if (!access_kind(r->u, registry_find(&r->app->reg, contributions.name), OP_READ) || r->u->role == ROLE_PARTNER)
		model_fail(&m, 403, "Forbidden", "the funding analyses are for the department's staff");
	else if (read_asked(http_query(r, "by"), http_query(r, "currency"), http_query(r, "from"), http_query(r, "to"), &a, &why))
		model_fail(&m, 400, "Bad Request", "%s", why);
	else if (compute(&m, r->app->st, &a, m.lang, &f) == 0) {
		json_t *rows = json_array();
		for (size_t i = 0; i < f.n; i++)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:o, s:f}", "key", f.rows[i].key, "label", f.rows[i].label,
							      "amount", money_json(&m, f.rows[i].amount, f.currency), "share",
							      share_of(&f, i)));
		json_t *answer = json_pack("{s:s, s:s, s:o, s:o, s:o, s:f, s:f}", "by", f.cut, "currency", f.currency, "rows", rows,
					   "total", money_json(&m, f.total, f.currency), "rates", rates_json(&f), "top5_share",
					   f.top5_share, "hhi", f.hhi);
		model_answer(&m, answer);
	}
	http_model(r, &m);
	model_done(&m);
}

/* ---- the page --------------------------------------------------------------------------------- */

static const char *money_text(const page *p, int64_t minor, const char *currency)
{
	buf b = BUF_INIT;
	i18n_money(p->lang, minor, currency, &b);
	const char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static const char *percent_text(const page *p, double share)
{
	buf b = BUF_INIT;
	i18n_number(p->lang, (int64_t)llround(share * 1000), 1, &b);
	buf_puts(&b, "\xC2\xA0%");
	const char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static const char *query_of(page *p, const asked *a, const char *cut)
{
	buf b = BUF_INIT;
	buf_puts(&b, "?by=");
	http_url_component(&b, cut);
	buf_puts(&b, "&currency=");
	http_url_component(&b, a->currency);
	if (a->from) {
		buf_puts(&b, "&from=");
		http_url_component(&b, a->from);
	}
	if (a->to) {
		buf_puts(&b, "&to=");
		http_url_component(&b, a->to);
	}
	const char *s = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

typedef struct tick_ctx {
	const page *p;
} tick_ctx;

static void tick(double v, buf *out, void *ctx)
{
	const tick_ctx *t = ctx;
	i18n_number(t->p->lang, (int64_t)llround(v), 0, out);
}

/* The chart of the rows (the twelve largest, or every year), in major units of the currency. */
static const char *chart_of(page *p, const funding *f, const char *heading)
{
	size_t n = !strcmp(f->cut, "year") ? f->n : f->n < 12 ? f->n : 12;
	if (n == 0)
		return NULL;
	const char **names = arena_alloc(&p->r->a, n * sizeof *names), **labels = arena_alloc(&p->r->a, n * sizeof *labels);
	double *values = arena_alloc(&p->r->a, n * sizeof *values), unit = pow(10, isocodes_minor_units(f->currency));
	for (size_t i = 0; i < n; i++) {
		names[i] = f->rows[i].label;
		labels[i] = money_text(p, f->rows[i].amount, f->currency);
		values[i] = f->rows[i].amount > 0 ? (double)f->rows[i].amount / unit : 0;
	}
	const char *desc = page_say(p, N_("{1}: {2} in all, in {3}; the largest, {4}, {5}."),
				    (const char *const[]){ heading, money_text(p, f->total, f->currency), f->currency,
							   f->rows[0].label, percent_text(p, share_of(f, 0)) }, 5);
	chart_series s = { heading, values, labels };
	tick_ctx t = { p };
	chart_spec spec = { !strcmp(f->cut, "year") ? CHART_COLUMNS : CHART_BARS, "funding", heading, desc, names, n, &s, 1,
			    tick, &t, 0 };
	buf svg = BUF_INIT;
	char err[200];
	const char *out = chart_svg(&spec, &svg, err, sizeof err) == 0 ? arena_strdup(&p->r->a, buf_str(&svg)) : NULL;
	buf_free(&svg);
	return out;
}

static void fill_page(page *p, const asked *a, const funding *f)
{
	int k = enum_index(funding_cuts, a->cut);
	const char *heading = page_tr(p, cut_headings[k]);
	json_t *rows = json_array(), *cuts = json_array(), *rates = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "label", f->rows[i].label, "amount",
						      money_text(p, f->rows[i].amount, f->currency), "share",
						      percent_text(p, share_of(f, i))));
	for (int i = 0; funding_cuts[i]; i++)
		json_array_append_new(cuts, json_pack("{s:s, s:s, s:b}", "label", page_tr(p, cut_labels[i]), "href",
						      arena_printf(&p->r->a, "/funding%s", query_of(p, a, funding_cuts[i])),
						      "current", i == k));
	for (size_t i = 0; i < f->rates.n; i++) {
		buf b = BUF_INIT;
		rate_describe(&f->rates.v[i], &b);
		json_array_append_new(rates, json_string(buf_str(&b)));
		buf_free(&b);
	}
	const char *q = query_of(p, a, a->cut);
	json_object_set_new(p->ctx, "heading", json_string(heading));
	json_object_set_new(p->ctx, "cut_label", json_string(page_tr(p, cut_labels[k])));
	json_object_set_new(p->ctx, "rows", rows);
	json_object_set_new(p->ctx, "cuts", cuts);
	json_object_set_new(p->ctx, "rates", rates);
	json_object_set_new(p->ctx, "total", json_string(money_text(p, f->total, f->currency)));
	json_object_set_new(p->ctx, "top5", json_string(percent_text(p, f->top5_share)));
	json_object_set_new(p->ctx, "hhi", json_string(percent_text(p, f->hhi)));
	const char *chart = chart_of(p, f, heading);
	json_object_set_new(p->ctx, "html_chart", json_string(chart ? chart : ""));
	json_object_set_new(p->ctx, "has_chart", json_boolean(chart != NULL));
	json_object_set_new(p->ctx, "has_rates", json_boolean(f->rates.n > 0));
	json_object_set_new(p->ctx, "csv", json_string(arena_printf(&p->r->a, "/funding.csv%s&lang=%s", q, registry_langs[p->lang])));
	json_object_set_new(p->ctx, "xlsx", json_string(arena_printf(&p->r->a, "/funding.xlsx%s&lang=%s", q, registry_langs[p->lang])));
}

static int page_asked(page *p, asked *a)
{
	const char *why = NULL;
	if (read_asked(page_query(p, "by"), page_query(p, "currency"), page_query(p, "from"), page_query(p, "to"), a, &why) == 0)
		return 0;
	page_error(p, 400, page_tr(p, N_("This analysis cannot be made: choose a cut, a currency of three letters and dates.")));
	return -1;
}

static int may_analyse(page *p)
{
	const user *u = page_user(p);
	if (access_kind(u, registry_find(&p->r->app->reg, contributions.name), OP_READ) && u->role != ROLE_PARTNER)
		return 1;
	page_error(p, 403, NULL);
	return 0;
}

static void funding_page_body(page *p, model_ctx *m)
{
	asked a;
	funding f;
	if (!may_analyse(p) || page_asked(p, &a))
		return;
	json_object_set_new(p->ctx, "currency", json_string(a.currency));
	json_object_set_new(p->ctx, "from", json_string(a.from ? a.from : ""));
	json_object_set_new(p->ctx, "to", json_string(a.to ? a.to : ""));
	json_object_set_new(p->ctx, "by", json_string(a.cut));
	if (compute(m, p->r->app->st, &a, p->lang, &f) == 0)
		fill_page(p, &a, &f);
	else if (m->status == 422)
		json_object_set_new(p->ctx, "missing_rate", json_string(m->detail ? m->detail : ""));
	else {
		page_model_error(p, m);
		return;
	}
	page_render(p, 200, "funding", page_tr(p, N_("Funding received")));
}

void donors_funding_page(request *r) { page_run(r, PAGE_SIGNED_IN, funding_page_body); }

/* ---- the files -------------------------------------------------------------------------------- */

static int write_csv(page *p, const funding *f, buf *out)
{
	int k = enum_index(funding_cuts, f->cut);
	const char *head[] = { page_tr(p, cut_labels[k]), page_tr(p, N_("Amount")), page_tr(p, N_("Currency")),
			       page_tr(p, N_("Share of the total")) };
	for (size_t i = 0; i < COUNT(head); i++)
		csv_field(out, head[i], strlen(head[i]), i == 0);
	csv_end_row(out);
	for (size_t i = 0; i < f->n; i++) {
		buf amount = BUF_INIT, share = BUF_INIT;
		money_format_plain(f->rows[i].amount, f->currency, &amount);
		buf_printf(&share, "%.4f", share_of(f, i));
		csv_field(out, f->rows[i].label, strlen(f->rows[i].label), 1);
		csv_field_raw(out, amount.data, amount.len, 0);
		csv_field(out, f->currency, strlen(f->currency), 0);
		csv_field_raw(out, share.data, share.len, 0);
		csv_end_row(out);
		buf_free(&amount);
		buf_free(&share);
	}
	const char *rates = page_tr(p, N_("Exchange rates used"));
	for (size_t i = 0; i < f->rates.n; i++) {
		buf b = BUF_INIT;
		rate_describe(&f->rates.v[i], &b);
		csv_field(out, rates, strlen(rates), 1);
		csv_field(out, b.data, b.len, 0);
		csv_end_row(out);
		buf_free(&b);
	}
	return 0;
}

static int write_xlsx(page *p, const funding *f, buf *out)
{
	char dir[4096], err[256];
	snprintf(dir, sizeof dir, "%s", store_path(p->r->app->st));
	int k = enum_index(funding_cuts, f->cut);
	unsigned decimals = (unsigned)isocodes_minor_units(f->currency);
	const xlsx_column table[] = { { page_tr(p, cut_labels[k]), XLSX_TEXT, 0 },
				      { arena_printf(&p->r->a, "%s (%s)", page_tr(p, N_("Amount")), f->currency), XLSX_NUMBER,
					decimals },
				      { page_tr(p, N_("Share of the total")), XLSX_NUMBER, 4 } };
	const xlsx_column sources[] = { { page_tr(p, N_("Exchange rates used")), XLSX_TEXT, 0 } };
	xlsx *x = xlsx_open(dirname(dir), 1, err, sizeof err);
	if (!x)
		return -1;
	int rc = xlsx_sheet(x, page_tr(p, N_("Funding")), table, COUNT(table));
	for (size_t i = 0; rc == 0 && i < f->n; i++)
		rc = xlsx_row(x) || xlsx_text(x, f->rows[i].label) ||
		     xlsx_number(x, (double)f->rows[i].amount / pow(10, decimals)) || xlsx_number(x, share_of(f, i));
	rc = rc || xlsx_sheet(x, page_tr(p, N_("Sources")), sources, COUNT(sources));
	for (size_t i = 0; rc == 0 && i < f->rates.n; i++) {
		buf b = BUF_INIT;
		rate_describe(&f->rates.v[i], &b);
		rc = xlsx_row(x) || xlsx_text(x, buf_str(&b));
		buf_free(&b);
	}
	return xlsx_close(x, rc ? NULL : out, err, sizeof err) || rc ? -1 : 0;
}

typedef int (*file_writer)(page *p, const funding *f, buf *out);

static void funding_file(request *r, const char *type, const char *ext, file_writer write)
{
	page p;
	asked a;
	funding f;
	model_ctx m;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !may_analyse(&p) || page_asked(&p, &a)) {
		page_end(&p);
		return;
	}
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	buf out = BUF_INIT;
	if (compute(&m, r->app->st, &a, p.lang, &f))
		page_model_error(&p, &m);
	else if (write(&p, &f, &out))
		page_error(&p, 500, NULL);
	else {
		http_text(r, 200, type, out.data, out.len);
		http_header_add(r, "Content-Disposition",
				arena_printf(&r->a, "attachment; filename=\"funding-by-%s-%s.%s\"", a.cut, a.currency, ext));
	}
	buf_free(&out);
	model_done(&m);
	page_end(&p);
}

void donors_funding_csv(request *r) { funding_file(r, "text/csv; charset=utf-8", "csv", write_csv); }
void donors_funding_xlsx(request *r)
{
	funding_file(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", write_xlsx);
}
