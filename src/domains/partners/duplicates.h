/*
 * duplicates — finding the organization or person that is already there.
 *
 * "Organisation Internationale pour les Migrations" typed again in another
 * case, without its accents, or as "OIM"; a second person with the same
 * e-mail address: before a create goes through, records sharing a key with
 * the new one are scored, and a likely duplicate answers 409 with the
 * candidates (unless the caller insists with ?force=true).
 */
#ifndef LIAISON_DUPLICATES_H
#define LIAISON_DUPLICATES_H

#include "model/model.h"

#define DUPLICATE_THRESHOLD 0.75
#define DUPLICATES_PER_KEY 100   /* records looked at per key: a key more share tells nothing */

int duplicates_check(model_ctx *m, store_conn *c, const entity *e, record *r);  /* before_create */
int duplicates_index(model_ctx *m, store_conn *c, const entity *e, record *r);  /* after_write */
int duplicates_rederive(model_ctx *m, store_conn *c, const entity *e, record *r);  /* rederive */

typedef struct dup_candidate {
	int64_t id;
	double score;
	const char *reason;  /* why, field by field, in the caller's language */
	const char *title;  /* its first name, to show */
} dup_candidate;

/* Candidates for r among existing records of its kind, best first (for imports and tests). */
int duplicates_find(model_ctx *m, store_conn *c, const record *r, dup_candidate **out, size_t *n);

/* For the whole registry's scan (dupscan.h): whether a key is a name's or
 * an acronym's (shared by chance, and only within the value that tells
 * apart); a record's kept facts (table dup_facts) as text, in m's arena
 * (NULL when none: it is archived or gone), read into m's arena
 * (duplicates_facts_free after), its title, and two of them compared, why
 * in m's language. */
int duplicates_key_common(const char *key);
const char *duplicates_kept(model_ctx *m, store_conn *c, const entity *e, int64_t id);
typedef struct dup_facts dup_facts;
dup_facts *duplicates_facts(model_ctx *m, const entity *e, const char *text);
void duplicates_facts_free(dup_facts *d);
const char *duplicates_title(const dup_facts *d);
double duplicates_score(model_ctx *m, const dup_facts *a, const dup_facts *b, const char **why);

#endif
