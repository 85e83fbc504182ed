/*
 * demo — invented inquiries for trying the desk and for the benchmarks:
 * a few routing rules, then inquiries over every channel and language,
 * routed like real ones; the same data for the same count.
 */
#include <stdio.h>
#include <string.h>

#include "domains/inquiries/inquiries.h"
#include "model/bulk.h"

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

static const char *const subjects[][3] = {
	{ "Visa requirements for a delegation", "Exigences de visa pour une délégation", "Requisitos de visado para una delegación" },
	{ "Interview request on labour migration", "Demande d'entretien sur la migration de main-d'œuvre", "Solicitud de entrevista sobre migración laboral" },
	{ "Funding call for partners", "Appel à financement pour les partenaires", "Convocatoria de financiación para socios" },
	{ "Documents of the governing bodies", "Documents des organes directeurs", "Documentos de los órganos rectores" },
	{ "Question on international migration law", "Question sur le droit international de la migration", "Pregunta sobre el derecho internacional de la migración" },
	{ "Research data on remittances", "Données de recherche sur les envois de fonds", "Datos de investigación sobre remesas" },
};
static const char *const channels[] = { "web", "email", "phone", "letter", "visit", "api" };
static const char *const priorities[] = { "low", "normal", "normal", "high", "urgent" };

static const char *const rules[][3] = { /* a word, the division, the rule's name */
	{ "visa", "IPD", "Visas to IPD" }, { "interview", "MCD", "Press to MCD" }, { "funding", "DRD", "Funding to DRD" },
	{ "documents", "GBD", "Documents to GBD" }, { "law", "IML", "Law to IML" }, { "research", "MPR", "Research to MPR" },
};

int inquiries_demo_present(store *st, char *why, size_t whylen)
{
	int64_t n = store_rows(st, "inquiries");
	snprintf(why, whylen, "The database already has %lld inquiries; demo inquiries go only where there are none.",
		 (long long)n);
	return n < 0 ? -1 : n > 0;
}

int inquiries_demo(store *st, const registry *reg, long n, char *err, size_t errlen)
{
	bulk b;
	bulk_begin(&b, st, reg, &demo_user, 5000);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < COUNT(rules); i++)
		rc = bulk_add(&b, "routing-rules", json_pack("{s:I, s:s, s:b, s:[s], s:s}", "position", (json_int_t)(i + 1) * 10,
							      "name", rules[i][2], "active", 1, "words", rules[i][0],
							      "to_division", rules[i][1])) < 0;
	unsigned long long x = 20261127;
	for (long i = 0; rc == 0 && i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned s = (unsigned)(x >> 33) % COUNT(subjects), lang = (unsigned)(x >> 40) % 3;
		rc = bulk_add(&b, "inquiries",
			      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", channels[(x >> 20) % COUNT(channels)],
					"subject", subjects[s][lang], "body", subjects[s][lang], "language", registry_langs[lang],
					"priority", priorities[(x >> 50) % COUNT(priorities)], "requester_email",
					"requester@example.org")) < 0;
	}
	if (bulk_end(&b, rc == 0))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "demo inquiries stopped: %s", b.err);
	return rc;
}
