/*
 * bench/iatigen — IATI activity files of a given size for the benchmarks
 * (bench_iati reads one, bench_funding imports one): activities in the
 * shape donors publish, titles and descriptions in English and French,
 * two to four participating organisations, recipient countries and a
 * region sharing 100%, DAC sectors, yearly budgets and 10 to 200
 * transactions in USD, EUR, JPY or KWD with their provider and receiver,
 * written with the codec's writer.  The same sizes give the same files.
 */
#include "iatigen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xorshift.h"
#include "fileout.h"
#include "formats/iati.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static const char *const titles[][2] = {
	{ "Return and reintegration assistance", "Aide au retour et à la réintégration" },
	{ "Border management capacity building", "Renforcement des capacités de gestion des frontières" },
	{ "Emergency shelter & non-food items", "Abris d'urgence et articles non alimentaires" },
	{ "Labour migration and skills partnership", "Partenariat pour la migration de main-d'œuvre et les compétences" },
};
static const char *const sectors[] = { "15110", "15190", "72010", "72050", "16020", "12220" };
static const char *const countries[] = { "PH", "VN", "SN", "GT", "NE", "HT", "BD", "ET" };
static const char *const currencies[] = { "USD", "EUR", "JPY", "KWD" };
static const char *const donors[][2] = {
	{ "XM-DAC-7", "Ministry of Foreign Affairs of Northland" },
	{ "XM-DAC-41", "Southland Development Agency" },
	{ "XM-OCHA-CBPF", "Pooled Fund for Eastland" },
};

static void a_date(int year, char out[IATI_DATE_MAX])
{
	snprintf(out, IATI_DATE_MAX, "%04d-%02u-%02u", year, xorshift_below(&rng, 12) + 1, xorshift_below(&rng, 28) + 1);
}

static iati_org org(int which, const char *role)
{
	iati_org o = { donors[which][0], "10", role, { { donors[which][1], "", "" } } };
	return o;
}

/* One activity of ntransactions, index n, into w. */
static int write_activity(iati_writer *w, size_t n, size_t ntransactions, iati_transaction *t, iati_error *err)
{
	char identifier[48];
	snprintf(identifier, sizeof identifier, "XM-DAC-47066-PRJ-%06zu", n);
	uint32_t topic = xorshift_below(&rng, 4);
	iati_org participants[3] = { org(0, "1"), org(1, "2"), org(2, "4") };
	iati_country places[2] = { { countries[n % 8], 7000, 0 }, { countries[(n + 3) % 8], 2000, 0 } };
	iati_region region = { "298", "1", 1000, 0 };
	iati_sector sector[2] = { { sectors[n % 6], "1", 6000, 0 }, { sectors[(n + 1) % 6], "1", 4000, 0 } };
	iati_budget budgets[3];
	const char *currency = currencies[n % 4];
	for (int k = 0; k < 3; k++) {
		budgets[k] = (iati_budget){ .type = "1", .status = "2" };
		snprintf(budgets[k].period_start, IATI_DATE_MAX, "%d-01-01", 2024 + k);
		snprintf(budgets[k].period_end, IATI_DATE_MAX, "%d-12-31", 2024 + k);
		budgets[k].value = (iati_money){ (int64_t)xorshift_below(&rng, 1u << 30) * 100, "", "2024-01-01" };
		memcpy(budgets[k].value.currency, currency, 4);
	}
	for (size_t k = 0; k < ntransactions; k++) {
		t[k] = (iati_transaction){ .type = k == 0 ? "11" : k % 3 ? "3" : "4" };
		a_date(2024 + (int)(k % 3), t[k].date);
		t[k].value = (iati_money){ (int64_t)xorshift_below(&rng, 1u << 28) + 1, "", "" };
		memcpy(t[k].value.currency, currency, 4);
		memcpy(t[k].value.value_date, t[k].date, IATI_DATE_MAX);
		t[k].provider = org((int)(k % 3), "");
		t[k].receiver = org((int)((k + 1) % 3), "");
		t[k].sector_code = k % 4 ? "" : sectors[k % 6];
		t[k].sector_vocabulary = "1";
		t[k].recipient_country = k % 5 ? "" : countries[k % 8];
	}
	iati_activity a = {
		.identifier = identifier, .default_currency = currency, .reporting_org = org(1, ""),
		.title = { { titles[topic][0], titles[topic][1], "" } },
		.description = { { "Assistance to migrants returning home: counselling, travel, reintegration grants "
				   "and referral to local services, with the authorities of the countries concerned.",
				   "Aide aux migrants qui rentrent chez eux : conseil, voyage, aides à la réintégration "
				   "et orientation vers les services locaux, avec les autorités des pays concernés.",
				   "" } },
		.status = "2", .dates = { "2024-01-01", "2024-02-15", "2026-12-31", "" },
		.participants = participants, .nparticipants = 2 + n % 2,
		.countries = places, .ncountries = 2, .regions = &region, .nregions = 1,
		.sectors = sector, .nsectors = 2, .budgets = budgets, .nbudgets = 3,
		.transactions = t, .ntransactions = ntransactions,
	};
	return iati_write_activity(w, &a, err);
}

size_t iatigen_write_file(int fd, size_t mb, size_t *bytes, size_t *transactions)
{
	file_out f = { fd, 0 };
	iati_error err;
	iati_transaction *t = malloc(200 * sizeof *t);
	iati_writer *w = iati_write_begin(to_file, &f, "2026-12-07T10:15:00Z", &err);
	size_t n = 0;
	*transactions = 0;
	while (w && t && f.bytes < mb * 1000000) {
		size_t nt = 10 + xorshift_below(&rng, 191);
		if (write_activity(w, n++, nt, t, &err)) {
			fprintf(stderr, "iatigen: %s\n", err.reason);
			n = 0;
			break;
		}
		*transactions += nt;
	}
	if (!w || iati_write_end(w, &err))
		n = 0;
	free(t);
	*bytes = f.bytes;
	return n;
}

