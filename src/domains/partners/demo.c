/*
 * demo — invented, multilingual partner data for trying Liaison and for
 * benchmarks.  Deterministic: the same scale gives the same records, so
 * benchmark runs compare like with like.  Every name is made up from word
 * lists; no real person or organization is described.
 *
 * Scale 1 is about 2,000 organizations, 5,000 persons, 6,000 relationships
 * and 3,000 interactions; scale 100 a hundred times that.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/partners/demowords.h"
#include "domains/partners/partners.h"
#include "model/bulk.h"

typedef struct rng {
	uint64_t s;
} rng;

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t pick(rng *r, size_t n) { return (size_t)(next(r) % n); }

static const char *const positions[] = { "Counsellor", "First Secretary", "Director", "Programme Officer",
					 "Head of Unit", "Policy Adviser", "Ambassador", "Researcher", "Journalist" };
static const char *const types[] = { "government", "permanent_mission", "igo", "un_entity", "cso",
				     "private_sector", "academia", "media", "donor_agency", "foundation",
				     "parliament", "local_authority", "rcp_secretariat", "other" };
static const char *const rel_types[] = { "member_of", "funds", "observer_of", "partner_of", "secretariat_of" };
static const char *const kinds[] = { "meeting", "call", "email", "letter", "note_verbale", "visit", "event" };
static const char *const divs[] = { "FO", "GBD", "IPD", "MCD", "DRD", "MPR", "MPD", "IML" };
static const char *const countries_sample[] = { "CH", "FR", "ES", "MX", "SN", "PH", "KE", "CO", "MA", "BD",
						 "DE", "CA", "AR", "NG", "JO", "PE", "TN", "EC", "GT", "VN" };

/* Records per commit: a commit writes out every page the records touched
 * since the last, and the pages of the busiest indexes are touched by
 * nearly every record, so fewer, larger commits write them fewer times
 * while memory stays bounded. */
#define RECORDS_PER_COMMIT 50000

typedef struct demo {
	bulk b;
	rng r;
} demo;

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

static int64_t add(demo *d, const char *kind, json_t *body) { return bulk_add(&d->b, kind, body); }

static json_t *org_body(demo *d, size_t i)
{
	const demo_tri *b = &demo_bodies[pick(&d->r, demo_nbodies)], *t = &demo_topics[pick(&d->r, demo_ntopics)];
	char city[32], en[200], fr[200], es[200], acr[16], mail[96];
	snprintf(city, sizeof city, "%s%s", demo_places_start[pick(&d->r, demo_nplaces_start)],
		 demo_places_end[pick(&d->r, demo_nplaces_end)]);
	snprintf(en, sizeof en, "%s %s for %s", city, b->en, t->en);
	snprintf(fr, sizeof fr, "%s %s de %s", b->fr, t->fr, city);
	snprintf(es, sizeof es, "%s %s de %s", b->es, t->es, city);
	snprintf(acr, sizeof acr, "%c%c%c%zu", city[0], b->en[0], t->en[0], i % 1000);
	snprintf(mail, sizeof mail, "contact%zu@%s.example.org", i, city);
	for (char *p = mail; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	return json_pack("{s:{s:s,s:s,s:s}, s:s, s:s, s:s, s:[s], s:s, s:[s], s:s}", "name", "en", en, "fr", fr,
			 "es", es, "acronym", acr, "type", types[pick(&d->r, COUNT(types))], "country",
			 countries_sample[pick(&d->r, COUNT(countries_sample))], "emails", mail, "classification",
			 pick(&d->r, 10) == 0 ? "restricted" : "internal", "tags", t->en, "division",
			 divs[pick(&d->r, COUNT(divs))]);
}

static json_t *person_body(demo *d, size_t i, int64_t org)
{
	char mail[96];
	const char *g = demo_given[pick(&d->r, demo_ngiven)], *f = demo_family[pick(&d->r, demo_nfamily)];
	snprintf(mail, sizeof mail, "person%zu@example.net", i);
	static const char *const langs[] = { "en", "fr", "es" };
	return json_pack("{s:s, s:s, s:s, s:I, s:[s], s:s, s:s}", "given_name", g, "family_name", f, "position",
			 positions[pick(&d->r, COUNT(positions))], "organization", (json_int_t)org, "emails", mail,
			 "preferred_language", langs[pick(&d->r, 3)], "consent_basis", "legitimate_interest");
}

static int demo_memberships(demo *d)
{
	/* A few countries marked members for the demo, flagged demo: true. */
	for (size_t i = 0; i < COUNT(countries_sample); i++) {
		json_t *patch = json_pack("{s:s, s:s, s:b}", "membership", i % 4 ? "member" : "observer",
					  "membership_date", "2001-12-01", "demo", 1);
		store_conn *c = bulk_conn(&d->b);
		record r;
		int rc = !c || model_update_in(&d->b.m, c, registry_find(d->b.reg, "countries"), countries_sample[i], 0, patch, &r);
		json_decref(patch);
		if (rc) {
			snprintf(d->b.err, sizeof d->b.err, "countries: %s", d->b.m.detail ? d->b.m.detail : "busy");
			return -1;
		}
		if (bulk_wrote(&d->b))
			return -1;
	}
	return 0;
}

int partners_demo_present(store *st, char *why, size_t whylen)
{
	int64_t n = store_rows(st, "organizations");
	snprintf(why, whylen, "The database already has %lld organizations; demo data goes only into an empty one.",
		 (long long)n);
	return n < 0 ? -1 : n > 0;
}

int partners_demo(store *st, const registry *reg, long scale, char *err, size_t errlen)
{
	demo d = { .r = { 20261127 } };
	bulk_begin(&d.b, st, reg, &demo_user, RECORDS_PER_COMMIT);
	size_t norgs = 2000 * (size_t)scale, npersons = 5000 * (size_t)scale;
	int64_t first_org = 0, first_person = 0;
	int rc = demo_memberships(&d);
	for (size_t i = 0; rc == 0 && i < norgs; i++) {
		int64_t id = add(&d, "organizations", org_body(&d, i));
		if (id < 0)
			rc = -1;
		else if (!first_org)
			first_org = id;
	}
	for (size_t i = 0; rc == 0 && i < npersons; i++) {
		int64_t id = add(&d, "persons", person_body(&d, i, first_org + (int64_t)pick(&d.r, norgs)));
		if (id < 0)
			rc = -1;
		else if (!first_person)
			first_person = id;
	}
	for (size_t i = 0; rc == 0 && i < npersons; i++) { /* everyone works for their organization */
		int64_t p = first_person + (int64_t)i, o = first_org + (int64_t)pick(&d.r, norgs);
		json_t *b = json_pack("{s:s, s:I, s:I, s:s}", "type", "works_for", "from_person", (json_int_t)p,
				      "to_organization", (json_int_t)o, "start_date", "2020-01-15");
		rc = add(&d, "relationships", b) < 0 ? -1 : 0;
	}
	for (size_t i = 0; rc == 0 && i < norgs / 2; i++) {
		int64_t a = first_org + (int64_t)pick(&d.r, norgs), b = first_org + (int64_t)pick(&d.r, norgs);
		if (a == b)
			continue;
		json_t *body = json_pack("{s:s, s:I, s:I}", "type", rel_types[pick(&d.r, COUNT(rel_types))],
					 "from_organization", (json_int_t)a, "to_organization", (json_int_t)b);
		rc = add(&d, "relationships", body) < 0 ? -1 : 0;
	}
	for (size_t i = 0; rc == 0 && i < 1500 * (size_t)scale; i++) {
		char date[16], subject[200];
		const demo_tri *t = &demo_topics[pick(&d.r, demo_ntopics)];
		snprintf(date, sizeof date, "20%02zu-%02zu-%02zu", 20 + pick(&d.r, 7), 1 + pick(&d.r, 12), 1 + pick(&d.r, 28));
		snprintf(subject, sizeof subject, "%s: exchange of views", t->en);
		json_t *body = json_pack("{s:s, s:s, s:s, s:[{s:s, s:I, s:s}, {s:s, s:I}]}", "date", date, "kind",
					 kinds[pick(&d.r, COUNT(kinds))], "subject", subject, "participants", "kind",
					 "organizations", "id", (json_int_t)(first_org + (int64_t)pick(&d.r, norgs)),
					 "role", "host", "kind", "persons", "id",
					 (json_int_t)(first_person + (int64_t)pick(&d.r, npersons)));
		rc = add(&d, "interactions", body) < 0 ? -1 : 0;
	}
	if (bulk_end(&d.b, rc == 0))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "demo data stopped: %s", d.b.err);
	return rc;
}
