/*
 * demo — a little of everything the translators work with, written after
 * the other demo data: a termbase of a few concepts in three languages
 * (one French term deprecated), a job half translated into French (its
 * confirmed sentences in the memory), a job queued for Spanish whose
 * sentences the memory partly knows, and both given to the first account.
 * Every text is invented.
 */
#include <stdio.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "model/bulk.h"

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

static const struct {
	const char *subject;
	const char *en, *fr, *es, *fr_deprecated;
} concepts_shown[] = {
	{ "migration", "migrant worker", "travailleur migrant", "trabajador migrante", "travailleur immigré" },
	{ "governance", "Member State", "État membre", "Estado Miembro", NULL },
	{ "finance", "remittances", "envois de fonds", "remesas", NULL },
	{ "governance", "governing body", "organe directeur", "órgano rector", NULL },
};

static const char *const note_text =
	"The Council welcomed the report on remittances. Mr. Okafor presented document C/115/4.\n\n"
	"Member States noted the rights of migrant workers. The governing body will meet again in 2027.";
static const char *const note_french[] = {
	"Le Conseil a accueilli avec satisfaction le rapport sur les envois de fonds.",
	"M. Okafor a présenté le document C/115/4.",
};
static const char *const brief_text =
	"The Council welcomed the report on remittances. The Standing Committee will examine it in May.";

static int termbase(model_ctx *m, store_conn *c)
{
	for (size_t i = 0; i < COUNT(concepts_shown); i++) {
		record concept, term;
		if (bulk_few_add(m, c, "concepts", json_pack("{s:s}", "subject", concepts_shown[i].subject), &concept))
			return -1;
		json_int_t id = (json_int_t)concept.v[COL_ID].i;
		const char *texts[] = { concepts_shown[i].en, concepts_shown[i].fr, concepts_shown[i].es };
		for (int l = 0; l < NLANGS; l++)
			if (bulk_few_add(m, c, "terms", json_pack("{s:I, s:s, s:s, s:s}", "concept", id, "language", registry_langs[l],
							 "text", texts[l], "status", "preferred"), &term))
				return -1;
		if (concepts_shown[i].fr_deprecated &&
		    bulk_few_add(m, c, "terms", json_pack("{s:I, s:s, s:s, s:s}", "concept", id, "language", "fr", "text",
						 concepts_shown[i].fr_deprecated, "status", "deprecated"), &term))
			return -1;
	}
	return 0;
}

/* The job's first sentences confirmed with these translations. */
static int translate(model_ctx *m, store_conn *c, int64_t job, const char *const *targets, size_t n)
{
	const entity *e = registry_find(m->reg, "translation-segments");
	store_cond w[] = { COND_EQ("job", SV_INT_(job)) };
	store_order by[] = { { "position" } };
	store_select q = { .table = e->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = w, .nwhere = 1,
			   .order = by, .norder = 1, .limit = (int64_t)n };
	model_ids ids = { 0 };
	if (model_select_ids(m, c, &q, &ids) != STORE_OK)
		return model_fail(m, 500, "Store error", "the demo job's sentences could not be read");
	for (size_t i = 0; i < ids.n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)ids.v[i]);
		json_t *patch = json_pack("{s:s, s:s}", "target", targets[i], "state", "translated");
		record after;
		int rc = model_update_in(m, c, e, id, 0, patch, &after);
		json_decref(patch);
		if (rc)
			return -1;
	}
	return 0;
}

static int write_all(model_ctx *m, store_conn *c)
{
	int64_t who;
	record job;
	if (bulk_first_user(m, c, &who) || termbase(m, c))
		return -1;
	if (bulk_few_add(m, c, "translation-jobs", json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title", "Note on remittances",
						     "source_language", "en", "target_language", "fr", "source_text", note_text,
						     "translator", (json_int_t)who, "priority", "high"), &job) ||
	    translate(m, c, job.v[COL_ID].i, note_french, COUNT(note_french)))
		return -1;
	json_t *move = json_pack("{s:s}", "status", "translating");
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)job.v[COL_ID].i);
	record after;
	int rc = model_update_in(m, c, registry_find(m->reg, "translation-jobs"), id, 0, move, &after);
	json_decref(move);
	if (rc)
		return -1;
	return bulk_few_add(m, c, "translation-jobs", json_pack("{s:s, s:s, s:s, s:s, s:I}", "title", "Brief for the Standing Committee",
						       "source_language", "en", "target_language", "fr", "source_text",
						       brief_text, "translator", (json_int_t)who), &job);
}

int translation_demo(store *st, const registry *reg, char *err, size_t errlen)
{
	return bulk_few(st, reg, &demo_user, write_all, "demo translation", err, errlen);
}
