/*
 * duppairs — labelled pairs for measuring the duplicate check against the demo's partners.
 *
 * Each pair is a record already in the database (an organization or a
 * person the demo made) and a probe: the record as someone might type it
 * again (a true duplicate) or another record that differs from it only in
 * the word that matters (a true non-duplicate).  The variations:
 *
 *   organizations, duplicates: a typo in a word; a plural made singular or
 *   the reverse; the words in another order ("Ministry for Migrant Workers,
 *   Fenlande"); the French or Spanish name without its accents; the kind of
 *   body abbreviated as commonly written ("Min.", "Assoc.", "Cncl."); the
 *   acronym typed as the name; the name in another of the three languages;
 *   "Ministry of Fenlande for …" against "Fenlande Ministry for …"; articles
 *   added; capitals;
 *   organizations, non-duplicates: another place, another subject, another
 *   kind of body, the same name in another country;
 *   persons, duplicates (same organization): a typo; the name without
 *   accents; the given name as an initial; capitals; given and family names
 *   swapped; the same e-mail address under a misspelt name;
 *   persons, non-duplicates: another given name, another family name, the
 *   same name in another organization.
 *
 * The same seed gives the same pairs over the same demo data.
 */
#ifndef LIAISON_DUPPAIRS_H
#define LIAISON_DUPPAIRS_H

#include <stdint.h>

#include "domains/partners/dupscan.h"
#include "model/model.h"

typedef struct dup_pair {
	const entity *e;          /* organizations or persons */
	int64_t original;         /* the record already there */
	json_t *probe;            /* the body of the record typed again, or of another like it */
	int duplicate;            /* 1 the same as original, 0 another */
	const char *variation;    /* how the probe was made: "typo", "another place"… */
} dup_pair;

/* n pairs over the organizations and persons of st, made from seed: *out, to
 * free with duppairs_free.  0, or -1 with a reason in err. */
int duppairs_make(store *st, const registry *reg, size_t n, uint64_t seed, dup_pair **out, char *err, size_t errlen);
void duppairs_free(dup_pair *p, size_t n);

/* The on-create check's verdict on each pair: flagged[i] is 1 when the check
 * names pair i's original among the probe's likely duplicates.  0, or -1 with
 * a reason in err. */
int duppairs_check(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, char *err,
		   size_t errlen);

/* The import's verdict on each pair: each kind's probes as one CSV file,
 * checked as `liaison import KIND FILE --dry-run --review OUT` checks it
 * (each row against the registry and the rows above it); flagged[i] is 1
 * when pair i's row goes for review naming its original.  0, or -1 with a
 * reason in err. */
int duppairs_import(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, char *err,
		    size_t errlen);

/* The whole registry's scan on each pair: each probe created (whatever the
 * check says), then every kind scanned (got: the scans' figures added up);
 * flagged[i] is 1 when the queue pairs pair i's probe with its original.
 * The probes stay in st.  0, or -1 with a reason in err. */
int duppairs_scan(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, dup_scanned *got,
		  char *err, size_t errlen);

typedef struct dup_quality {
	size_t true_pos, false_pos, false_neg, true_neg;
	double precision, recall;
} dup_quality;

/* Precision and recall of verdicts over pairs (all of them, or those of one kind when e is not NULL). */
dup_quality duppairs_quality(const dup_pair *p, size_t n, const unsigned char *flagged, const entity *e);

#endif
