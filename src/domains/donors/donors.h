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
 *   reminders.c  the reminders mailed to a deadline's owner before it is due, and once it is overdue
 *   settings.c   the reminders' days (the "donors" member of --config)
 *   reports.c    the report a donor's staff upload for a deadline: the portal's one write
 *   rates.c      exchange rates, as records (imported from CSV like any kind)
 *   shares.c     lists of codes with a share or a weight: "15190 60", "PH 40"
 *   ratebook.c   the exchange rates as a table that converts, for every total in one currency
 *   iati.c       donors' IATI activity files imported, and the funding landscape's summary kept
 *   iatiout.c    the organization's own programmes written as IATI activities
 *   landscape.c  the funding landscape: a pivot of the IATI summary, per currency or converted
 *   iatiroutes.c the API of the three (schemas.c says what it answers, for OpenAPI)
 *   iatidemo.c   millions of invented IATI transactions, for the demonstration and the benchmark
 *   demo.c       the demonstration's donors, programmes and money
 *
 * Every amount keeps its own currency (F_MONEY); amounts of one record's
 * family (a pledge, its instalments, its contributions) share the pledge's
 * currency, and nothing is added across currencies without a rate.
 */
#ifndef LIAISON_DONORS_H
#define LIAISON_DONORS_H

#include <time.h>

#include "formats/iati.h"
#include "formats/rates.h"
#include "http/http.h"
#include "model/model.h"
#include "model/registry.h"

extern const entity_def donor_profiles, programmes, appeals, appeal_requirements, appeal_submissions;
extern const entity_def pledges, instalments, contributions, allocations;
extern const entity_def reporting_deadlines, exchange_rates;

/* The area's own system role: the reminders pass, which reads every
 * reporting deadline and its pledge to find those to remind of. */
#define ROLE_REMINDERS (ROLE_SYSTEM + 3)
#define WHO_REMINDERS ROLE_BIT(ROLE_REMINDERS)
extern const system_role reminders_role;

/* ---- settings (settings.c) ---- */
typedef struct donors_config {
	int reminder_days;  /* a report not submitted is reminded of this many days before it is due */
} donors_config;
/* The "donors" member of the JSON file at path (NULL: the defaults); 0, or
 * -1 with one line in err and the settings left as they were. */
int donors_configure(const char *path, char *err, size_t errlen);
const donors_config *donors_settings(void);

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

/* ---- IATI activities (iati.c) ---- */

/* A transaction cut over its activity's sectors and places (see iati.c):
 * the parts' amounts add up to the transaction's value. */
typedef struct funding_part {
	const char *sector;      /* "" when the activity gives none */
	const char *country;     /* a country's ISO code or a region's code; "" when none */
	int64_t amount;
} funding_part;
typedef struct funding_parts {
	funding_part *v;
	size_t n, cap;
} funding_parts;
/* The parts of t (of a), into out (emptied first; funding_parts_free
 * after).  0, or -1 when the value cannot be cut (no part). */
int iati_split(const iati_activity *a, const iati_transaction *t, funding_parts *out);
void funding_parts_free(funding_parts *p);
/* Who gave the money of t: the provider's ref, else for money going out
 * (not incoming funds, commitments or pledges: 1, 11, 13) the reporting
 * organisation's, else "". */
const char *iati_donor(const iati_activity *a, const iati_transaction *t);

/* Activities written into the IATI tables on a transaction the caller
 * holds: an activity whose identifier is there already replaces it and
 * everything below it.  The import and the demonstration share it. */
typedef struct iati_saver iati_saver;
iati_saver *iati_saver_begin(store_conn *c, const char *source);
/* 0 (*replaced 1 when it replaced one); 1 when the activity cannot be
 * summed (its amounts add up beyond 64 bits), -1 when the store failed:
 * why in err. */
int iati_saver_put(iati_saver *sv, const iati_activity *a, int *replaced, char *err, size_t errlen);
void iati_saver_end(iati_saver *sv);

/* What an import did, or why it did nothing. */
typedef struct iati_imported {
	int64_t added, updated;          /* activities */
	int64_t transactions;
	iati_warnings warnings;          /* free with iati_imported_free */
	iati_error error;                /* when refused: its line (0: none applies) and why */
	int file_fault;                  /* 1: the file was refused (422); 0: the store failed (503) */
} iati_imported;
/* Every activity of the file in one transaction, or none of them; source
 * names the file, kept with each activity.  dry_run: read and counted, not
 * written.  0, or -1 with got->error. */
int iati_import(store *s, const xmlstream_input *in, const char *source, int dry_run, iati_imported *got);
void iati_imported_free(iati_imported *got);

/* ---- the programmes as IATI activities (iatiout.c) ---- */

/* The organization that publishes: its IATI identifier (also the prefix
 * of the identifiers made from programmes' codes), name and type. */
typedef struct iati_publisher {
	char ref[64], name[200], type[8];
} iati_publisher;
const iati_publisher *iati_publisher_settings(void);
/* The "iati" member of the --config file's "donors" (NULL: the defaults); 0, or -1 with one line in err. */
int iati_configure(const char *path, char *err, size_t errlen);

#define IATI_SKIPPED_KEPT 20
typedef struct iati_exported {
	int64_t activities, transactions;
	int64_t skipped;                          /* programmes IATI cannot hold, left out */
	char why[IATI_SKIPPED_KEPT][320];         /* the first ones' reasons */
} iati_exported;
/* Every programme m's user may read, as an IATI 2.03 file handed to write
 * in pieces: 0, or -1 with m's error. */
int iati_export(model_ctx *m, xmlstream_write_fn write, void *ctx, iati_exported *out);

/* ---- the funding landscape (landscape.c) ---- */

extern const char *const funding_dims[];   /* "donor", "sector", "country", "year" */
typedef struct funding_query {
	const char *rows, *cols;                  /* two different funding_dims */
	const char *type;                         /* a transaction type's code: "3" */
	int from, to;                             /* years, both included */
	const char *donor, *sector, *country;     /* filters, or NULL */
	const char *currency;                     /* convert into it, or NULL: per currency */
} funding_query;
/* The pivot of funding_facts for q, its donors ranked and their
 * concentration, as JSON (the FundingPivot schema) appended to out; 0, or
 * -1 with m's error (422 naming a missing rate). */
int funding_pivot(model_ctx *m, store_conn *c, const funding_query *q, buf *out);

/* ---- the IATI API (iatiroutes.c; what it answers is in schemas.c) ---- */
void iati_activities_post(request *r);
void iati_programmes_get(request *r);
void iati_funding_get(request *r);

/* ---- funding (funding.c) ---- */

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

/* How concentrated n amounts are, the largest first: the share of the five
 * largest in their sum, and the Herfindahl index (the sum of the squared
 * shares: 1 when one holds everything). */
void donors_concentration(const int64_t *amounts, size_t n, double *top5, double *hhi);
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
/* The language's name of a deadline's report ("Final financial report"), its value when unknown. */
const char *deadline_report_name(const record *deadline, int lang);

/* ---- reminders (reminders.c) ---- */
/* One pass of the reminders at now: mail queued, and stamped so that each
 * goes once.  How many were queued, or -1 with err. */
int donors_reminder_pass(store *st, const registry *reg, time_t now, char *err, size_t errlen);

/* ---- reports uploaded for a deadline (reports.c) ---- */
/* The system role a partner's upload is written as (the inquiries take ROLE_SYSTEM, the meetings'
 * alerts + 1): it reads what the partner's organization owns, and changes a deadline and its pledge
 * only through the area's own operation, never an account's. */
#define ROLE_PORTAL (ROLE_SYSTEM + 2)
#define WHO_PORTAL ROLE_BIT(ROLE_PORTAL)
extern const system_role portal_role;
void donors_report_put(request *r);     /* PUT /api/v1/reporting-deadlines/{id}/report */
void donors_report_get(request *r);     /* GET /api/v1/reporting-deadlines/{id}/report */
void donors_report_form(request *r);    /* POST /reporting-deadlines/{id}/report: the deadline page's form */
void donors_deadline_page(request *r);  /* GET /reporting-deadlines/{id}: the deadline, its report, the form */

/* ---- first records (demo.c) ---- */
int donors_demo(store *s, const registry *reg, char *err, size_t errlen);
/* count invented IATI transactions (iatidemo.c), into a database without IATI activities. */
int donors_iati_demo(store *st, const registry *reg, long count, char *err, size_t errlen);
int donors_iati_demo_present(store *st, char *why, size_t whylen);

#endif
