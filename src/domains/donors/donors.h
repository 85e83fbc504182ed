/*
 * donors — the Donor Relations Division's records: donors and what they
 * fund, the programmes that need funding, appeals, pledges with their
 * instalments, contributions received and their allocation to programmes,
 * the reports each agreement asks for, and the exchange rates that turn
 * amounts of many currencies into one for a total.
 *
 *   entities.c   donor profiles, programmes, appeals with their requirements and submissions
 *   pledges.c    pledges, instalments, contributions and allocations: money that must agree
 *   deadlines.c  reporting deadlines, the overdue list and its count
 *   rates.c      exchange rates, as records (imported from CSV like any kind)
 *   shares.c     lists of codes with a share or a weight: "15190 60", "PH 40"
 *   ratebook.c   the exchange rates as a table that converts, for every total in one currency
 *   demo.c       the demonstration's donors, programmes and money
 *
 * Every amount keeps its own currency (F_MONEY); amounts of one record's
 * family (a pledge, its instalments, its contributions) share the pledge's
 * currency, and nothing is added across currencies without a rate.
 */
#ifndef LIAISON_DONORS_H
#define LIAISON_DONORS_H

#include "formats/rates.h"
#include "http/http.h"
#include "model/model.h"
#include "model/registry.h"

extern const entity_def donor_profiles, programmes, appeals, appeal_requirements, appeal_submissions;
extern const entity_def pledges, instalments, contributions, allocations;
extern const entity_def reporting_deadlines, exchange_rates;

/* ---- shares and weights (shares.c) ---- */

/* What the codes of a list field must be. */
typedef enum code_kind {
	CODE_SECTOR,    /* a DAC 5-digit sector: 15190 */
	CODE_COUNTRY,   /* a country's ISO code, as the countries hold them: PH */
	CODE_REGION,    /* a DAC region: 3 digits, 298 */
	CODE_THEME,     /* any words: "labour migration" */
	CODE_SDG,       /* a target of the Sustainable Development Goals: 10.7, 8.a */
} code_kind;

/* The list field's items as "CODE SHARE" (a programme's sectors, shares
 * adding up to 100, one item alone may leave its 100 unsaid) or "CODE
 * WEIGHT" (a donor's priorities, 1 to 5, 1 unsaid): each checked, a field
 * error in m naming the item otherwise. */
void shares_check(model_ctx *m, store_conn *c, const record *r, const char *field, code_kind kind);
void weights_check(model_ctx *m, store_conn *c, const record *r, const char *field, code_kind kind);

/* One item read: its code (into code, size bytes) and its number in
 * hundredths (a share of 40.5% is 4050; a weight of 3 is 300), -1 when the
 * item gives none.  0, or -1 when the item is not CODE [NUMBER]. */
int share_read(const char *item, char *code, size_t size, int *hundredths);
/* "40", "40.5", "33.33": hundredths of the number (4050), or -1 when it is
 * none (more than two decimals, a sign, anything else). */
int hundredths_of(const char *s);

/* ---- exchange rates (ratebook.c) ---- */
/* The exchange-rates kind's live rates as a table (rates_table_free it): 0, or -1 with m's error. */
int donors_ratebook(model_ctx *m, store_conn *c, rate_table **out);

/* ---- funding (funding.c) ---- */
/* total split by weights[0..n) (n at most 201) into parts that add up to it exactly: each its floor,
 * then the units left to the largest remainders (the first of equals first); all 0 when the weights are. */
void donors_split(int64_t total, const int64_t *weights, size_t n, int64_t *parts);

typedef struct funding_row {
	const char *key;      /* a donor's or programme's id, a year, a code; "" not allocated, "-" none given */
	const char *label;    /* its name for the reader, once funding_label has run */
	int64_t amount;       /* in the reporting currency's minor units */
} funding_row;

typedef struct funding {
	const char *cut, *currency;
	funding_row *rows;    /* the largest first; years in their order */
	size_t n;
	int64_t total;        /* the rows' sum: the same whatever the cut */
	rate_list rates;      /* the rates used, each once */
	double top5_share;    /* of the total, the five largest rows' */
	double hhi;           /* the Herfindahl index of the rows' shares */
} funding;

extern const char *const funding_cuts[];  /* donor, year, earmarking, programme, sector, country, region */
/* The contributions received from from to to (NULL: no bound, dates YYYY-MM-DD) that m's user may read,
 * in currency, cut one of funding_cuts' ways, into out (in m's arena): 0, or -1 with m's error (400 for
 * a bad cut or currency, 422 naming a missing rate). */
int funding_compute(model_ctx *m, store_conn *c, const char *cut, const char *currency, const char *from,
		    const char *to, funding *out);
/* Each row's label in lang: a donor's or programme's name, a sector's code and name, a country's or region's name. */
void funding_label(model_ctx *m, store_conn *c, funding *f, int lang);

/* ---- the analyses' routes (analysis.c) ---- */
void donors_funding(request *r);       /* GET /api/v1/funding */
void donors_funding_page(request *r);  /* GET /funding */
void donors_funding_csv(request *r);   /* GET /funding.csv */
void donors_funding_xlsx(request *r);  /* GET /funding.xlsx */
extern const api_schema donors_schemas[];

/* ---- matching (matching.c, pages.c) ---- */
/* The k programmes that fit the donor of profile best, explained, as {"programme", "score", "parts",
 * "terms"} items (search/fit.h); 0, or -1 with m's error. */
int donors_programmes_for(model_ctx *m, store_conn *c, const record *profile, size_t k, json_t **items);
/* The k donors most likely to fund programme, as {"donor_profile", "donor", "score", ...} items. */
int donors_donors_for(model_ctx *m, store_conn *c, int64_t programme, size_t k, json_t **items);
void donors_profile_matches(request *r);   /* GET /api/v1/donor-profiles/{id}/programmes */
void donors_programme_donors(request *r);  /* GET /api/v1/programmes/{id}/donors */
void donors_profile_page(request *r);      /* GET /donor-profiles/{id} */
void donors_programme_page(request *r);    /* GET /programmes/{id} */

/* ---- the appeal document (appeal.c) ---- */
/* The appeal (its id as text) as m's user may read it, told as a PDF in lang (registry_langs' index)
 * into out: its requirements by DAC region then country, each with the funding its programme received
 * and the gap, totals per currency and in reporting (an ISO 4217 code) at the rates of date
 * (YYYY-MM-DD), and a chart.  0, or -1 with m's error (404 for an appeal m's user may not read). */
int donors_appeal_document(model_ctx *m, store_conn *c, const char *appeal, int lang, const char *reporting,
			   const char *date, buf *out);
void donors_appeal_pdf(request *r);   /* GET /appeals/{id}/document.pdf?lang=fr&currency=USD */
void donors_appeal_page(request *r);  /* GET /appeals/{id}: the record, with its document in each language */

/* ---- deadlines (deadlines.c) ---- */
extern const list_view deadline_views[];
extern const home_count deadline_counts[];

/* ---- first records (demo.c) ---- */
int donors_demo(store *s, const registry *reg, char *err, size_t errlen);

#endif
