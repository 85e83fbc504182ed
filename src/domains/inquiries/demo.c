/*
 * demo — invented inquiries for trying the desk and for the benchmarks:
 * a few routing rules, then inquiries over every channel and language,
 * routed like real ones; the same data for the same count.
 */
#include <stdio.h>
#include <string.h>

#include "domains/inquiries/inquiries.h"

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

typedef struct demo {
	store *st;
	const registry *reg;
	model_ctx m;
	store_conn *c;
	size_t pending;
	char *err;
	size_t errlen;
} demo;

static int add(demo *d, const char *kind, json_t *body)
{
	if (!d->c && !(d->c = store_begin(d->st))) {
		snprintf(d->err, d->errlen, "the database is busy");
		json_decref(body);
		return -1;
	}
	record r;
	int rc = model_create_in(&d->m, d->c, registry_find(d->reg, kind), body, CREATE_FORCE | CREATE_AS_IS, &r);
	if (rc)
		snprintf(d->err, d->errlen, "%s: %s %s", kind, d->m.detail ? d->m.detail : "",
			 d->m.nerrors ? d->m.errors[0].message : "");
	json_decref(body);
	if (++d->pending == 5000 || rc) { /* commit every few thousand: memory stays flat */
		if (rc)
			store_rollback(d->c);
		else if (store_commit(d->c) != STORE_OK)
			rc = -1;
		d->c = NULL;
		d->pending = 0;
		model_done(&d->m);
		model_init(&d->m, d->st, d->reg, &demo_user);
	}
	return rc;
}

int inquiries_demo_present(store *st, char *why, size_t whylen)
{
	int64_t n = store_rows(st, "inquiries");
	snprintf(why, whylen, "The database already has %lld inquiries; demo inquiries go only where there are none.",
		 (long long)n);
	return n < 0 ? -1 : n > 0;
}

int inquiries_demo(store *st, const registry *reg, long n, char *err, size_t errlen)
{
	demo d = { .st = st, .reg = reg, .err = err, .errlen = errlen };
	model_init(&d.m, st, reg, &demo_user);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < COUNT(rules); i++)
		rc = add(&d, "routing-rules", json_pack("{s:I, s:s, s:b, s:[s], s:s}", "position", (json_int_t)(i + 1) * 10,
							"name", rules[i][2], "active", 1, "words", rules[i][0],
							"to_division", rules[i][1]));
	unsigned long long x = 20261127;
	for (long i = 0; rc == 0 && i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned s = (unsigned)(x >> 33) % COUNT(subjects), lang = (unsigned)(x >> 40) % 3;
		rc = add(&d, "inquiries",
			 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", channels[(x >> 20) % COUNT(channels)],
				   "subject", subjects[s][lang], "body", subjects[s][lang], "language", registry_langs[lang],
				   "priority", priorities[(x >> 50) % COUNT(priorities)], "requester_email",
				   "requester@example.org"));
	}
	if (rc == 0 && d.c && store_commit(d.c) != STORE_OK) {
		snprintf(err, errlen, "the last inquiries could not be committed");
		rc = -1;
	}
	model_done(&d.m);
	return rc;
}
