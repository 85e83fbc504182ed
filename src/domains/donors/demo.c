/*
 * demo — the Donor Relations Division's records for trying the area: four
 * invented donors of different kinds with their profiles, programmes with
 * their sectors and countries, pledges in four currencies with instalments
 * and contributions (one received in full, one in part, one only
 * pledged), allocations to programmes, an appeal with its requirements, a
 * report overdue and one due soon, and the exchange rates that let totals
 * be told in US dollars or euros.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/donors/donors.h"
#include "model/bulk.h"
#include "model/today.h"

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

static const struct {
	const char *en, *fr, *es, *acronym, *type, *country, *donor_type;
	const char *sectors[3], *countries[3], *themes[2];
} donors_shown[] = {
	{ "Republic of Arcadia", "République d'Arcadie", "República de Arcadia", NULL, "government", NULL, "government",
	  { "15190 5", "16010 3" }, { "PH 4", "MX 3" }, { "labour migration 5" } },
	{ "Nordhaven Development Agency", "Agence de développement de Nordhaven", "Agencia de Desarrollo de Nordhaven",
	  "NDA", "donor_agency", NULL, "agency", { "72010 5", "73010 4" }, { "SD 5" }, { "displacement 5", "climate mobility 3" } },
	{ "Meridian Foundation", "Fondation Méridien", "Fundación Meridiano", NULL, "foundation", NULL, "foundation",
	  { "15160 5", "15190 2" }, { "GT 3" }, { "protection 4" } },
	{ "Coral Bay Shipping Company", "Compagnie maritime de Coral Bay", "Compañía Naviera de Coral Bay", NULL, "private_sector",
	  NULL, "company", { "16010 4" }, { "PH 5" }, { "labour migration 3" } },
};

static const struct {
	const char *code, *en, *fr, *es, *status, *countries[3], *sectors[3], *theme, *budget, *currency, *starts;
} programmes_shown[] = {
	{ "PRG-2026-001", "Safe labour migration corridors", "Couloirs de migration de main-d'œuvre sûrs",
	  "Corredores seguros de migración laboral", "active", { "PH 60", "MX 40" }, { "15190 70", "16010 30" },
	  "labour migration", "4200000.00", "USD", "2026-01-01" },
	{ "PRG-2026-002", "Emergency shelter after the floods", "Abris d'urgence après les inondations",
	  "Refugios de emergencia tras las inundaciones", "active", { "SD" }, { "72010 100" }, "displacement", "2500000.00",
	  "EUR", "2026-03-01" },
	{ "PRG-2026-003", "Protection of migrants in transit", "Protection des migrants en transit",
	  "Protección de los migrantes en tránsito", "pipeline", { "GT 50", "MX 50" }, { "15160 80", "15190 20" },
	  "protection", "1800000.00", "USD", "2027-01-01" },
	{ "PRG-2026-004", "Recovery of homes and livelihoods", "Reconstruction des logements et des moyens de subsistance",
	  "Recuperación de viviendas y medios de vida", "pipeline", { "SD" }, { "73010 100" }, "displacement",
	  "300000000", "JPY", "2027-03-01" },
};

/* A rate into US dollars on the first of every month of 2026, moving a little, as rates do. */
static const struct {
	const char *from;
	int rate, step;   /* the January rate in ten-thousandths; each month adds step */
} rates_shown[] = {
	{ "EUR", 10845, 11 }, { "CHF", 11236, -7 }, { "JPY", 67, 0 },
};

static json_int_t id_of(const record *r) { return (json_int_t)r->v[COL_ID].i; }

static json_t *money_json(const char *amount, const char *currency)
{
	return json_pack("{s:s, s:s}", "amount", amount, "currency", currency);
}

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int donors(model_ctx *m, store_conn *c, int64_t owner, record *orgs)
{
	for (size_t i = 0; i < COUNT(donors_shown); i++) {
		record profile;
		json_t *org = json_pack("{s:{s:s, s:s, s:s}, s:s}", "name", "en", donors_shown[i].en, "fr", donors_shown[i].fr,
					"es", donors_shown[i].es, "type", donors_shown[i].type);
		if (donors_shown[i].acronym)
			json_object_set_new(org, "acronym", json_string(donors_shown[i].acronym));
		if (bulk_few_add(m, c, "organizations", org, &orgs[i]) ||
		    bulk_few_add(m, c, "donor-profiles",
				 json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:s}", "organization", id_of(&orgs[i]),
					   "donor_type", donors_shown[i].donor_type, "priority_sectors",
					   strings(donors_shown[i].sectors, 3), "priority_countries",
					   strings(donors_shown[i].countries, 3), "priority_themes", strings(donors_shown[i].themes, 2),
					   "languages", json_pack("[s]", i == 0 ? "fr" : "en"), "owner", (json_int_t)owner,
					   "reporting_requirements", "Narrative and financial reports every six months."),
				 &profile))
			return -1;
	}
	return 0;
}

static int programmes_made(model_ctx *m, store_conn *c, int64_t owner, record *out)
{
	for (size_t i = 0; i < COUNT(programmes_shown); i++) {
		json_t *body = json_pack("{s:s, s:{s:s, s:s, s:s}, s:s, s:o, s:o, s:[s], s:s, s:o, s:I, s:s}", "code",
					 programmes_shown[i].code, "title", "en", programmes_shown[i].en, "fr",
					 programmes_shown[i].fr, "es", programmes_shown[i].es, "status", programmes_shown[i].status,
					 "countries", strings(programmes_shown[i].countries, 3), "sectors",
					 strings(programmes_shown[i].sectors, 3), "themes", programmes_shown[i].theme, "starts_on",
					 programmes_shown[i].starts, "budget",
					 money_json(programmes_shown[i].budget, programmes_shown[i].currency), "manager",
					 (json_int_t)owner, "office", "Invented Country Office");
		if (bulk_few_add(m, c, "programmes", body, &out[i]))
			return -1;
	}
	return 0;
}

static int rates(model_ctx *m, store_conn *c)
{
	for (size_t i = 0; i < COUNT(rates_shown); i++)
		for (int month = 1; month <= 12; month++) {
			record r;
			int v = rates_shown[i].rate + (month - 1) * rates_shown[i].step;
			char date[11], rate[24];
			snprintf(date, sizeof date, "2026-%02d-01", month);
			snprintf(rate, sizeof rate, "%d.%04d", v / 10000, v % 10000);
			if (bulk_few_add(m, c, "exchange-rates",
					 json_pack("{s:s, s:s, s:s, s:s, s:s}", "rate_date", date, "currency", rates_shown[i].from,
						   "base", "USD", "rate", rate, "source", "Invented treasury rates"),
					 &r))
				return -1;
		}
	return 0;
}

/* A pledge with its instalments (each half, the first paid when paid is set) and deadlines. */
static int pledge(model_ctx *m, store_conn *c, const record *donor, const record *programme, const char *amount,
		  const char *half, const char *currency, const char *earmarking, int paid, int64_t owner, record *out)
{
	json_t *body = json_pack("{s:I, s:o, s:s, s:s, s:s, s:I, s:s}", "donor", id_of(donor), "amount",
				 money_json(amount, currency), "pledged_on", "2026-02-15", "earmarking", earmarking, "status", "signed",
				 "owner", (json_int_t)owner, "agreement", "AGR-2026-0001");
	if (programme)
		json_object_set_new(body, "programme", json_integer(id_of(programme)));
	record inst[2], contribution, deadline;
	static const char *const due[] = { "2026-03-31", "2026-09-30" };
	if (bulk_few_add(m, c, "pledges", body, out))
		return -1;
	for (int k = 0; k < 2; k++)
		if (bulk_few_add(m, c, "instalments",
				 json_pack("{s:I, s:s, s:o}", "pledge", id_of(out), "due_on", due[k], "amount", money_json(half, currency)),
				 &inst[k]))
			return -1;
	for (int k = 0; k < paid; k++)
		if (bulk_few_add(m, c, "contributions",
				 json_pack("{s:I, s:I, s:s, s:o, s:s}", "pledge", id_of(out), "instalment", id_of(&inst[k]),
					   "received_on", due[k], "amount", money_json(half, currency), "reference", "TRF-INVENTED"),
				 &contribution) ||
		    (programme && bulk_few_add(m, c, "allocations",
					       json_pack("{s:I, s:I, s:s}", "contribution", id_of(&contribution), "programme",
							 id_of(programme), "share", "100"),
					       &deadline)))
			return -1;
	char overdue[11], soon[11], today[11];
	today_date(today);
	if (clock_add_days(today, -10, overdue) || clock_add_days(today, 20, soon))
		return model_fail(m, 500, "Date error", "today's date could not be read");
	return bulk_few_add(m, c, "reporting-deadlines",
			    json_pack("{s:I, s:s, s:s, s:I}", "pledge", id_of(out), "deliverable", "interim_narrative", "due_on",
				      paid ? soon : overdue, "owner", (json_int_t)owner),
			    &deadline) ||
	       bulk_few_add(m, c, "reporting-deadlines",
			    json_pack("{s:I, s:s, s:s, s:I}", "pledge", id_of(out), "deliverable", "final_financial", "due_on",
				      "2027-03-31", "owner", (json_int_t)owner),
			    &deadline);
}

static int appeal(model_ctx *m, store_conn *c, const record *progs, const record *donor)
{
	record a, r;
	if (bulk_few_add(m, c, "appeals",
			 json_pack("{s:{s:s, s:s, s:s}, s:s, s:i}", "title", "en", "Annual Appeal 2027", "fr", "Appel annuel 2027",
				   "es", "Llamamiento anual 2027", "appeal_type", "annual", "year", 2027),
			 &a))
		return -1;
	for (size_t i = 0; i < COUNT(programmes_shown); i++)
		if (bulk_few_add(m, c, "appeal-requirements",
				 json_pack("{s:I, s:I, s:s%, s:o}", "appeal", id_of(&a), "programme", id_of(&progs[i]), "country",
					   programmes_shown[i].countries[0], (size_t)2, "amount",
					   money_json(programmes_shown[i].budget, programmes_shown[i].currency)),
				 &r))
			return -1;
	return bulk_few_add(m, c, "appeal-submissions",
			    json_pack("{s:I, s:I, s:s, s:s}", "appeal", id_of(&a), "donor", id_of(donor), "submitted_on", "2026-11-02",
				      "outcome", "pending"),
			    &r);
}

static int write_all(model_ctx *m, store_conn *c)
{
	int64_t owner;
	record orgs[COUNT(donors_shown)], progs[COUNT(programmes_shown)], p;
	if (bulk_first_user(m, c, &owner) || rates(m, c) || donors(m, c, owner, orgs) || programmes_made(m, c, owner, progs))
		return -1;
	return pledge(m, c, &orgs[0], &progs[0], "1000000.00", "500000.00", "USD", "earmarked", 2, owner, &p) ||
	       pledge(m, c, &orgs[1], &progs[1], "800000.00", "400000.00", "EUR", "earmarked", 1, owner, &p) ||
	       pledge(m, c, &orgs[2], NULL, "250000.00", "125000.00", "CHF", "unearmarked", 0, owner, &p) ||
	       pledge(m, c, &orgs[3], &progs[0], "40000000", "20000000", "JPY", "earmarked", 1, owner, &p) ||
	       appeal(m, c, progs, &orgs[2]);
}

int donors_demo(store *s, const registry *reg, char *err, size_t errlen)
{
	return bulk_few(s, reg, &demo_user, write_all, "demo donors", err, errlen);
}
