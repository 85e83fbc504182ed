/*
 * iatidemo — `liaison demo --iati N`: N invented IATI transactions written
 * straight into the IATI tables, as a donor landscape looks: about 200
 * donors (governments, agencies, foundations of invented places), up to
 * 5,000 activities, each with one to three DAC sectors from IATI's code
 * list and one to three recipient countries (now and then a region)
 * sharing 100%, in the donor's currency (several), running for one to
 * four years between 2015 and 2026; their transactions mostly
 * disbursements and expenditure by the donor, some commitments, and
 * incoming funds from one to three co-funding donors.
 *
 * It writes through the import's own writer (iati.c: the same rows, the
 * same funding summary), activities built in memory one at a time, in
 * transactions of ACTIVITIES_PER_COMMIT activities; the caller puts the
 * store in bulk mode.  The numbers come from a fixed seed: the same N
 * gives the same data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xorshift.h"
#include "domains/donors/donors.h"

#define DONORS 200
#define ACTIVITIES_MAX 5000
#define ACTIVITIES_PER_COMMIT 50

static const char *const places[] = {
	"Northland", "Southland", "Eastland", "Westland", "Arcadia", "Borealia", "Calderon", "Dunmore", "Elbania",
	"Fernia", "Galdor", "Harmonia", "Istria Nova", "Jorvia", "Kestrel Isles", "Lunaria", "Marrow", "Norvale",
	"Ostmark", "Pellinor", "Quarrel Bay", "Rivenia", "Solvany", "Tarrin", "Umbria Nova", "Valdora", "Wexmoor",
	"Xandria", "Yarrow", "Zembla", "Aldermark", "Brightwater", "Coldharbour", "Deepdale", "Emberly", "Frostholm",
	"Glenmoor", "Hollowmere", "Ironvale", "Juniper Coast",
};
#define NPLACES (sizeof places / sizeof *places)
static const char *const kinds[] = { "Ministry of Foreign Affairs of %s", "%s Development Agency",
				     "%s Humanitarian Fund", "Foundation for %s", "%s Cooperation Office" };
static const char *const countries[] = {
	"PH", "VN", "BD", "NP", "LK", "PK", "AF", "MM", "ID", "TL", "SN", "ML", "NE", "NG", "GH", "CI", "BF", "GN",
	"ET", "SO", "SD", "SS", "KE", "UG", "TZ", "CD", "CF", "TD", "CM", "LY", "MA", "TN", "EG", "JO", "LB", "SY",
	"IQ", "YE", "HT", "GT", "HN", "SV", "MX", "CO", "VE", "EC", "PE", "BO", "UA", "MD", "GE", "AM", "TJ", "KG",
};
#define NCOUNTRIES (sizeof countries / sizeof *countries)
static const char *const regions[] = { "298", "89", "619", "489", "789" };
static const char *const currencies[] = { "USD", "EUR", "GBP", "JPY", "CHF", "SEK", "CAD", "NOK" };

typedef struct donor {
	char ref[16], name[80], currency[4];
} donor;

typedef struct demo {
	uint64_t rng;
	donor donors[DONORS];
	size_t nsectors;                 /* in IATI's list */
	iati_transaction *t;
	size_t tcap;
} demo;

static void make_donors(demo *d)
{
	for (size_t i = 0; i < DONORS; i++) {
		donor *x = &d->donors[i];
		snprintf(x->ref, sizeof x->ref, "XM-DEMO-%03zu", i + 1);
		snprintf(x->name, sizeof x->name, kinds[i % 5], places[(i / 5) % NPLACES]);
		snprintf(x->currency, sizeof x->currency, "%s", currencies[i % 8 < 3 ? 0 : i % 8]);
	}
	while (iati_sector_at(d->nsectors))
		d->nsectors++;
}

static iati_org org_of(const donor *x, const char *role)
{
	return (iati_org){ x->ref, "10", role, { { x->name, NULL, NULL } } };
}

/* n shares of 100% in hundredths, each at least 10%. */
static void shares(demo *d, int *out, size_t n)
{
	int left = 10000;
	for (size_t i = 0; i + 1 < n; i++) {
		int most = left - (int)(n - i - 1) * 1000;
		out[i] = 1000 + (int)xorshift_below(&d->rng, (uint32_t)(most - 1000) / 100 + 1) * 100;
		left -= out[i];
	}
	out[n - 1] = left;
}

/* The transaction k of an activity of donor x running from first to last
 * (years), its incoming funds from one of its co-funders. */
static void make_transaction(demo *d, iati_transaction *t, const donor *x, const donor *const *cofunders, size_t ncofunders,
			     int first, int last, size_t k)
{
	uint32_t kind = xorshift_below(&d->rng, 100);
	const char *type = kind < 60 ? "3" : kind < 75 ? "4" : kind < 85 ? "2" : "1";
	*t = (iati_transaction){ .type = type, .sector_code = "", .sector_vocabulary = "1", .recipient_country = "" };
	int year = first + (int)xorshift_below(&d->rng, (uint32_t)(last - first + 1));
	snprintf(t->date, IATI_DATE_MAX, "%04u-%02u-%02u", (unsigned)year % 10000, xorshift_below(&d->rng, 12) + 1,
		 xorshift_below(&d->rng, 28) + 1);
	int64_t major = 1000 + xorshift_below(&d->rng, 1000000);
	t->value = (iati_money){ strcmp(x->currency, "JPY") ? major * 100 : major * 150, "", "" };   /* yen have no cents */
	memcpy(t->value.currency, x->currency, 4);
	memcpy(t->value.value_date, t->date, IATI_DATE_MAX);
	if (!strcmp(type, "1"))
		t->provider = org_of(cofunders[k % ncofunders], "");
	else
		t->provider = org_of(x, "");
}

static int write_activity(demo *d, iati_saver *sv, size_t index, size_t ntransactions, char *err, size_t errlen)
{
	const donor *x = &d->donors[xorshift_below(&d->rng, DONORS)];
	char identifier[48];
	snprintf(identifier, sizeof identifier, "%s-ACT-%05zu", x->ref, index + 1);
	int sector_pct[3], place_pct[4];
	size_t nsectors = 1 + xorshift_below(&d->rng, 3), ncountries = 1 + xorshift_below(&d->rng, 3),
	       nregions = xorshift_below(&d->rng, 5) == 0;
	iati_sector sectors[3];
	iati_country where[3];
	iati_region region;
	shares(d, sector_pct, nsectors);
	shares(d, place_pct, ncountries + nregions);
	for (size_t i = 0; i < nsectors; i++)
		sectors[i] = (iati_sector){ iati_sector_at((index * 3 + i * 101) % d->nsectors), "1", sector_pct[i], 0 };
	for (size_t i = 0; i < ncountries; i++)
		where[i] = (iati_country){ countries[(index * 5 + i * 17) % NCOUNTRIES], place_pct[i], 0 };
	region = (iati_region){ regions[index % 5], "1", place_pct[ncountries], 0 };
	int first = 2015 + (int)xorshift_below(&d->rng, 10), last = first + (int)xorshift_below(&d->rng, 4);
	if (last > 2026)
		last = 2026;
	const donor *cofunders[3];
	size_t ncofunders = 1 + xorshift_below(&d->rng, 3);
	for (size_t i = 0; i < ncofunders; i++)
		cofunders[i] = &d->donors[xorshift_below(&d->rng, DONORS)];
	for (size_t k = 0; k < ntransactions; k++)
		make_transaction(d, &d->t[k], x, cofunders, ncofunders, first, last, k);
	iati_org participants[1] = { org_of(x, "1") };
	iati_activity a = {
		.identifier = identifier, .default_currency = x->currency, .reporting_org = org_of(x, ""),
		.title = { { "Invented migration activity", "Activité inventée sur la migration", "Actividad inventada" } },
		.status = "2", .participants = participants, .nparticipants = 1,
		.countries = where, .ncountries = ncountries, .regions = &region, .nregions = nregions,
		.sectors = sectors, .nsectors = nsectors, .transactions = d->t, .ntransactions = ntransactions,
	};
	snprintf(a.dates[IATI_ACTUAL_START], IATI_DATE_MAX, "%04u-01-01", (unsigned)first % 10000);
	int replaced;
	return iati_saver_put(sv, &a, &replaced, err, errlen);
}

int donors_iati_demo_present(store *st, char *why, size_t whylen)
{
	int64_t n = store_rows(st, "iati_activities");
	snprintf(why, whylen, "The database already has %lld IATI activities; demo transactions go only where there are none.",
		 (long long)n);
	return n < 0 ? -1 : n > 0;
}

int donors_iati_demo(store *st, const registry *reg, long count, char *err, size_t errlen)
{
	(void)reg;
	demo d = { .rng = 20260101 };
	make_donors(&d);
	size_t total = count > 0 ? (size_t)count : 0;
	size_t nact = total / 100 < 1 ? 1 : total / 100 > ACTIVITIES_MAX ? ACTIVITIES_MAX : total / 100;
	size_t each = total / nact;
	d.tcap = each + nact;
	if (!(d.t = malloc(d.tcap * sizeof *d.t)))
		abort();
	int rc = 0;
	for (size_t done = 0; rc == 0 && done < nact; done += ACTIVITIES_PER_COMMIT) {
		store_conn *c = store_begin(st);
		if (!c) {
			snprintf(err, errlen, "the database is busy");
			rc = -1;
			break;
		}
		iati_saver *sv = iati_saver_begin(c, "demo");
		for (size_t i = done; rc == 0 && i < nact && i < done + ACTIVITIES_PER_COMMIT; i++)
			rc = write_activity(&d, sv, i, i + 1 == nact ? total - each * (nact - 1) : each, err, errlen);
		iati_saver_end(sv);
		if (rc)
			store_rollback(c);
		else if (store_commit(c) != STORE_OK) {
			snprintf(err, errlen, "the demo transactions could not be committed");
			rc = -1;
		}
	}
	free(d.t);
	return rc ? -1 : 0;
}
