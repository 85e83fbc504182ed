/*
 * iati — donors' IATI 2.03 activity files imported into the IATI tables
 * (migration 027), and the funding landscape's summary, funding_facts,
 * kept in the same transaction.
 *
 * An import is one transaction: a file refused anywhere (a broken tag on
 * line 90,000) leaves the tables as they were, and the refusal names the
 * line.  The file is read as a stream (formats/iati.h), one activity at a
 * time, and each is written as soon as it is read: memory holds one
 * activity, never the file.  An activity already there (the same
 * iati-identifier) is replaced with everything below it, so importing a
 * donor's file again updates it instead of doubling it.
 *
 * The summary.  IATI means a transaction that names no sector or country
 * of its own to be shared by its activity's sectors and recipient
 * countries and regions as their percentages say.  So each transaction is
 * cut into parts, one per (sector, place), weighted by the product of the
 * two shares, exactly in minor units (core/apportion.h: the parts add up
 * to the value); a group without percentages shares equally; a
 * transaction's own sector or country takes the whole of its side.  The
 * sectors are the DAC 5-digit ones (vocabulary 1), else the DAC 3-digit
 * ones (2), else none.  The parts of one activity are then added up by
 * (type, year, donor, sector, place, currency): a pivot over millions of
 * transactions reads thousands of such rows.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apportion.h"
#include "core/clock.h"
#include "core/grow.h"
#include "core/handoff.h"
#include "core/hash.h"
#include "core/tally.h"
#include "domains/donors/donors.h"

/* ---- cutting a transaction ---------------------------------------------------------------- */

/* One side of the cut: codes and their weights. */
typedef struct side {
	const char **code;
	int64_t *weight;
	size_t n;
} side;

static int is_incoming(const char *type)
{
	return !strcmp(type, "1") || !strcmp(type, "11") || !strcmp(type, "13");
}

const char *iati_donor(const iati_activity *a, const iati_transaction *t)
{
	if (t->provider.ref && *t->provider.ref)
		return t->provider.ref;
	if (!is_incoming(t->type ? t->type : "") && a->reporting_org.ref)
		return a->reporting_org.ref;
	return "";
}

/* Weights from percentages, or equal ones when the group gives none (or they add up to nothing). */
static void weigh(side *s, const int *percentages)
{
	int64_t sum = 0;
	for (size_t i = 0; i < s->n; i++)
		sum += percentages[i] > 0 ? percentages[i] : 0;
	for (size_t i = 0; i < s->n; i++)
		s->weight[i] = sum ? (percentages[i] > 0 ? percentages[i] : 0) : 1;
}

static const char *sector_vocabulary_used(const iati_activity *a)
{
	for (size_t i = 0; i < a->nsectors; i++)
		if (!strcmp(a->sectors[i].vocabulary, "1"))
			return "1";
	for (size_t i = 0; i < a->nsectors; i++)
		if (!strcmp(a->sectors[i].vocabulary, "2"))
			return "2";
	return NULL;
}

/* The side of sectors; memory from the arrays the caller gave (room for nsectors, at least 1). */
static void sectors_side(const iati_activity *a, const iati_transaction *t, side *s, int *pct)
{
	static const char *const none = "";
	const char *vocabulary = sector_vocabulary_used(a);
	s->n = 0;
	if (t->sector_code && *t->sector_code) {
		s->code[s->n] = t->sector_code;
		pct[s->n++] = 0;
	} else if (vocabulary) {
		for (size_t i = 0; i < a->nsectors; i++)
			if (!strcmp(a->sectors[i].vocabulary, vocabulary)) {
				s->code[s->n] = a->sectors[i].code;
				pct[s->n++] = a->sectors[i].percentage;
			}
	}
	if (s->n == 0) {
		s->code[0] = none;
		pct[s->n++] = 0;
	}
	weigh(s, pct);
}

/* The side of countries and regions (room for ncountries + nregions, at least 1). */
static void places_side(const iati_activity *a, const iati_transaction *t, side *s, int *pct)
{
	static const char *const none = "";
	s->n = 0;
	if (t->recipient_country && *t->recipient_country) {
		s->code[s->n] = t->recipient_country;
		pct[s->n++] = 0;
	} else {
		for (size_t i = 0; i < a->ncountries; i++) {
			s->code[s->n] = a->countries[i].code;
			pct[s->n++] = a->countries[i].percentage;
		}
		for (size_t i = 0; i < a->nregions; i++) {
			s->code[s->n] = a->regions[i].code;
			pct[s->n++] = a->regions[i].percentage;
		}
	}
	if (s->n == 0) {
		s->code[0] = none;
		pct[s->n++] = 0;
	}
	weigh(s, pct);
}

void funding_parts_free(funding_parts *p)
{
	free(p->v);
	*p = (funding_parts){ 0 };
}

/* Room for n items of size bytes: the caller's stack when it is enough (most activities name
 * a handful of sectors and places, and a transaction is cut millions of times), else the heap. */
static void *room(void *stack, size_t stack_bytes, size_t n, size_t size)
{
	if (n * size <= stack_bytes)
		return stack;
	void *p = malloc(n * size);
	if (!p)
		abort();
	return p;
}

#define SPLIT_STACK 64

int iati_split(const iati_activity *a, const iati_transaction *t, funding_parts *out)
{
	const char *codes_stack[2 * SPLIT_STACK];
	int64_t weights_stack[2 * SPLIT_STACK], cells_stack[SPLIT_STACK], amounts_stack[SPLIT_STACK];
	int pct_stack[2 * SPLIT_STACK], rc = -1;
	size_t ns = a->nsectors + 1, np = a->ncountries + a->nregions + 1;
	const char **codes = room(codes_stack, sizeof codes_stack, ns + np, sizeof *codes);
	int64_t *weights = room(weights_stack, sizeof weights_stack, ns + np, sizeof *weights);
	int *pct = room(pct_stack, sizeof pct_stack, ns + np, sizeof *pct);
	side sectors = { codes, weights, 0 }, places = { codes + ns, weights + ns, 0 };
	sectors_side(a, t, &sectors, pct);
	places_side(a, t, &places, pct + ns);
	size_t n = sectors.n * places.n;
	int64_t *cell_weights = room(cells_stack, sizeof cells_stack, n, sizeof *cell_weights);
	int64_t *amounts = room(amounts_stack, sizeof amounts_stack, n, sizeof *amounts);
	for (size_t i = 0; i < sectors.n; i++)
		for (size_t j = 0; j < places.n; j++)
			cell_weights[i * places.n + j] = sectors.weight[i] * places.weight[j];
	out->n = 0;
	if (apportion(t->value.minor, cell_weights, n, amounts))
		goto done;
	out->v = grow_room(out->v, &out->cap, n, sizeof *out->v);
	for (size_t i = 0; i < sectors.n; i++)
		for (size_t j = 0; j < places.n; j++) {
			size_t k = i * places.n + j;
			out->v[k] = (funding_part){ sectors.code[i], places.code[j], amounts[k] };
		}
	out->n = n;
	rc = 0;
done:
	if (codes != codes_stack)
		free(codes);
	if (weights != weights_stack)
		free(weights);
	if (pct != pct_stack)
		free(pct);
	if (cell_weights != cells_stack)
		free(cell_weights);
	if (amounts != amounts_stack)
		free(amounts);
	return rc;
}

/* ---- one activity's facts, added up ------------------------------------------------------- */

typedef struct fact {
	const char *type, *donor, *sector, *country, *currency;
	int year;
	int64_t amount;
} fact;

typedef struct facts {
	fact *v;
	size_t n, cap;
} facts;

static void fact_add(facts *f, fact x)
{
	f->v = grow_room(f->v, &f->cap, f->n + 1, sizeof *f->v);
	f->v[f->n++] = x;
}

/* Codes compared as texts; most are the very same text (an activity's
 * sectors and places), which needs no reading. */
static int code_order(const char *a, const char *b) { return a == b ? 0 : strcmp(a, b); }

static int fact_order(const void *pa, const void *pb)
{
	const fact *a = pa, *b = pb;
	int c;
	if ((c = code_order(a->type, b->type)) || (c = (a->year > b->year) - (a->year < b->year)) ||
	    (c = code_order(a->donor, b->donor)) || (c = code_order(a->sector, b->sector)) ||
	    (c = code_order(a->country, b->country)))
		return c;
	return code_order(a->currency, b->currency);
}

/* Facts of the same cell made one, by their sum: 0, or -1 when a sum leaves int64_t. */
static int facts_merge(facts *f)
{
	long n = tally(f->v, f->n, sizeof *f->v, fact_order, offsetof(fact, amount));
	if (n < 0)
		return -1;
	f->n = (size_t)n;
	return 0;
}

/* The year of a transaction: its date's, else its value date's, else 0. */
static int transaction_year(const iati_transaction *t)
{
	const char *d = t->date[0] ? t->date : t->value.value_date;
	return d[0] ? atoi(d) : 0;
}

/* ---- writing ------------------------------------------------------------------------------ */

enum {
	SQL_ACTIVITY, SQL_PARTICIPANT, SQL_SECTOR, SQL_PLACE, SQL_BUDGET, SQL_TRANSACTION, SQL_FACT, SQL_ORG, SQL_N
};

static const char *const activity_cols[] = {
	"identifier", "reporting_org_ref", "reporting_org_name", "title_en", "title_fr", "title_es", "status",
	"default_currency", "planned_start", "actual_start", "planned_end", "actual_end", "source_file", "source_line",
	"imported_at",
};
#define ACTIVITY_COLS 15
static const char *const participant_cols[] = { "activity", "role", "ref", "type", "name" };
static const char *const sector_cols[] = { "activity", "vocabulary", "code", "share" };
static const char *const place_cols[] = { "activity", "kind", "vocabulary", "code", "share" };
static const char *const budget_cols[] = { "activity", "type", "status", "period_start", "period_end", "currency",
					   "value", "value_date" };
static const char *const transaction_cols[] = {
	"activity", "type", "date", "year", "currency", "value", "value_date", "provider_ref", "provider_name",
	"receiver_ref", "receiver_name", "sector_vocabulary", "sector", "country",
};
static const char *const fact_cols[] = { "activity", "type", "year", "donor", "sector", "country", "currency", "amount" };
static const char *const org_cols[] = { "ref", "name" };

/* The tables below an activity, emptied when it is replaced. */
static const char *const child_tables[] = { "iati_participants", "iati_sectors", "iati_places", "iati_budgets",
					    "iati_transactions", "funding_facts" };

/* The organisation names this import wrote: each ref's hash with its last
 * name's, so that a name is written once, not once per transaction naming it
 * (open addressing; a key of 0 marks a free slot). */
typedef struct names_written {
	uint64_t *ref, *name;
	size_t n, cap;
} names_written;

struct iati_saver {
	store_conn *c;
	char *sql[SQL_N];
	const char *source;
	char now[32];
	facts facts;
	funding_parts parts;
	names_written names;
};

iati_saver *iati_saver_begin(store_conn *c, const char *source)
{
	iati_saver *sv = calloc(1, sizeof *sv);
	if (!sv)
		abort();
	sv->c = c;
	sv->source = source ? source : "";
	clock_now_iso(sv->now);
	sv->sql[SQL_ACTIVITY] = store_insert_sql("iati_activities", activity_cols, ACTIVITY_COLS);
	sv->sql[SQL_PARTICIPANT] = store_insert_sql("iati_participants", participant_cols, 5);
	sv->sql[SQL_SECTOR] = store_insert_sql("iati_sectors", sector_cols, 4);
	sv->sql[SQL_PLACE] = store_insert_sql("iati_places", place_cols, 5);
	sv->sql[SQL_BUDGET] = store_insert_sql("iati_budgets", budget_cols, 8);
	sv->sql[SQL_TRANSACTION] = store_insert_sql("iati_transactions", transaction_cols, 14);
	sv->sql[SQL_FACT] = store_insert_sql("funding_facts", fact_cols, 8);
	sv->sql[SQL_ORG] = store_insert_sql("iati_organisations", org_cols, 2);
	return sv;
}

void iati_saver_end(iati_saver *sv)
{
	if (!sv)
		return;
	for (int i = 0; i < SQL_N; i++)
		free(sv->sql[i]);
	free(sv->facts.v);
	funding_parts_free(&sv->parts);
	free(sv->names.ref);
	free(sv->names.name);
	free(sv);
}

/* The first of a text's languages given, English first. */
static const char *first_text(const iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		if (t->text[k] && *t->text[k])
			return t->text[k];
	return "";
}

static store_value text_or_null(const char *s) { return sv_text(s && *s ? s : NULL); }
static store_value share_of(int percentage) { return percentage == IATI_NO_PERCENT ? SV_NUL : SV_INT_(percentage); }

static int take_id(void *ctx, store_row *row)
{
	*(int64_t *)ctx = store_int(row, 0);
	return 1;
}

/* The id of the activity with this identifier, 0 when none: 0, or -1. */
static int activity_id(store_conn *c, const char *identifier, int64_t *id)
{
	static const char *const cols[] = { "id" };
	store_cond w[] = { COND_EQ("identifier", sv_text(identifier)) };
	store_select q = { .table = "iati_activities", .cols = cols, .ncols = 1, .where = w, .nwhere = 1 };
	*id = 0;
	return store_query(c, &q, take_id, id) == STORE_OK ? 0 : -1;
}

static void activity_values(const iati_saver *sv, const iati_activity *a, store_value *v)
{
	const store_value row[ACTIVITY_COLS] = {
		sv_text(a->identifier), sv_text(a->reporting_org.ref ? a->reporting_org.ref : ""),
		sv_text(first_text(&a->reporting_org.name)), sv_text(a->title.text[IATI_EN] ? a->title.text[IATI_EN] : ""),
		sv_text(a->title.text[IATI_FR] ? a->title.text[IATI_FR] : ""),
		sv_text(a->title.text[IATI_ES] ? a->title.text[IATI_ES] : ""), sv_text(a->status ? a->status : ""),
		sv_text(a->default_currency ? a->default_currency : ""), text_or_null(a->dates[IATI_PLANNED_START]),
		text_or_null(a->dates[IATI_ACTUAL_START]), text_or_null(a->dates[IATI_PLANNED_END]),
		text_or_null(a->dates[IATI_ACTUAL_END]), sv_text(sv->source), SV_INT_(a->line), sv_text(sv->now),
	};
	memcpy(v, row, sizeof row);
}

/* The activity's row, new or rewritten in place (its children gone): its id in *id. */
static int put_head(iati_saver *sv, const iati_activity *a, int64_t *id, int *replaced)
{
	store_value v[ACTIVITY_COLS];
	activity_values(sv, a, v);
	if (activity_id(sv->c, a->identifier, id))
		return -1;
	*replaced = *id != 0;
	if (!*id)
		return store_insert_with(sv->c, sv->sql[SQL_ACTIVITY], v, ACTIVITY_COLS, id) == STORE_OK ? 0 : -1;
	for (size_t i = 0; i < sizeof child_tables / sizeof *child_tables; i++) {
		store_cond w[] = { COND_EQ("activity", SV_INT_(*id)) };
		if (store_delete(sv->c, child_tables[i], w, 1) != STORE_OK)
			return -1;
	}
	store_cond w[] = { COND_EQ("id", SV_INT_(*id)) };
	return store_update(sv->c, "iati_activities", activity_cols + 1, v + 1, ACTIVITY_COLS - 1, w, 1, NULL) == STORE_OK
		       ? 0
		       : -1;
}

static int put_lists(iati_saver *sv, const iati_activity *a, int64_t id)
{
	for (size_t i = 0; i < a->nparticipants; i++) {
		const iati_org *o = &a->participants[i];
		store_value v[] = { SV_INT_(id), sv_text(o->role ? o->role : ""), sv_text(o->ref ? o->ref : ""),
				    sv_text(o->type ? o->type : ""), sv_text(first_text(&o->name)) };
		if (store_insert_with(sv->c, sv->sql[SQL_PARTICIPANT], v, 5, NULL) != STORE_OK)
			return -1;
	}
	for (size_t i = 0; i < a->nsectors; i++) {
		const iati_sector *s = &a->sectors[i];
		store_value v[] = { SV_INT_(id), sv_text(s->vocabulary), sv_text(s->code), share_of(s->percentage) };
		if (store_insert_with(sv->c, sv->sql[SQL_SECTOR], v, 4, NULL) != STORE_OK)
			return -1;
	}
	for (size_t i = 0; i < a->ncountries; i++) {
		const iati_country *p = &a->countries[i];
		store_value v[] = { SV_INT_(id), sv_text("country"), sv_text(""), sv_text(p->code), share_of(p->percentage) };
		if (store_insert_with(sv->c, sv->sql[SQL_PLACE], v, 5, NULL) != STORE_OK)
			return -1;
	}
	for (size_t i = 0; i < a->nregions; i++) {
		const iati_region *p = &a->regions[i];
		store_value v[] = { SV_INT_(id), sv_text("region"), sv_text(p->vocabulary ? p->vocabulary : ""),
				    sv_text(p->code), share_of(p->percentage) };
		if (store_insert_with(sv->c, sv->sql[SQL_PLACE], v, 5, NULL) != STORE_OK)
			return -1;
	}
	for (size_t i = 0; i < a->nbudgets; i++) {
		const iati_budget *b = &a->budgets[i];
		store_value v[] = { SV_INT_(id), sv_text(b->type ? b->type : ""), sv_text(b->status ? b->status : ""),
				    sv_text(b->period_start), sv_text(b->period_end), sv_text(b->value.currency),
				    SV_INT_(b->value.minor), text_or_null(b->value.value_date) };
		if (store_insert_with(sv->c, sv->sql[SQL_BUDGET], v, 8, NULL) != STORE_OK)
			return -1;
	}
	return 0;
}

/* A transaction's row. */
static int put_transaction(iati_saver *sv, const iati_transaction *t, int64_t id)
{
	int year = transaction_year(t);
	store_value v[] = {
		SV_INT_(id), sv_text(t->type), text_or_null(t->date), SV_INT_(year), sv_text(t->value.currency),
		SV_INT_(t->value.minor), text_or_null(t->value.value_date), sv_text(t->provider.ref ? t->provider.ref : ""),
		sv_text(first_text(&t->provider.name)), sv_text(t->receiver.ref ? t->receiver.ref : ""),
		sv_text(first_text(&t->receiver.name)),
		t->sector_code && *t->sector_code ? sv_text(t->sector_vocabulary) : SV_NUL, text_or_null(t->sector_code),
		text_or_null(t->recipient_country),
	};
	return store_insert_with(sv->c, sv->sql[SQL_TRANSACTION], v, 14, NULL) == STORE_OK ? 0 : -1;
}

/* The activity's transactions cut into parts and added up by cell into f
 * (its strings a's): 0, or 1 when a sum leaves int64_t.  Needs no database:
 * an import does it on its reading thread. */
static int sum_activity(const iati_activity *a, facts *f, funding_parts *parts)
{
	f->n = 0;
	for (size_t k = 0; k < a->ntransactions; k++) {
		const iati_transaction *t = &a->transactions[k];
		if (iati_split(a, t, parts))
			continue;   /* a value of 0 over no weight: nothing to sum */
		const char *donor = iati_donor(a, t);
		int year = transaction_year(t);
		for (size_t i = 0; i < parts->n; i++)
			fact_add(f, (fact){ t->type, donor, parts->v[i].sector, parts->v[i].country, t->value.currency, year,
					    parts->v[i].amount });
	}
	return facts_merge(f) ? 1 : 0;
}

static int put_facts(iati_saver *sv, const fact *fs, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++) {
		const fact *f = &fs[i];
		store_value v[] = { SV_INT_(id), sv_text(f->type), SV_INT_(f->year), sv_text(f->donor), sv_text(f->sector),
				    sv_text(f->country), sv_text(f->currency), SV_INT_(f->amount) };
		if (store_insert_with(sv->c, sv->sql[SQL_FACT], v, 8, NULL) != STORE_OK)
			return -1;
	}
	return 0;
}

/* The slot of ref's hash h: where it is, or the free one where it would go. */
static size_t name_slot(const names_written *w, uint64_t h)
{
	size_t i = h & (w->cap - 1);
	while (w->ref[i] && w->ref[i] != h)
		i = (i + 1) & (w->cap - 1);
	return i;
}

static void names_grow(names_written *w)
{
	names_written bigger = { calloc(w->cap ? 2 * w->cap : 256, sizeof(uint64_t)),
				 calloc(w->cap ? 2 * w->cap : 256, sizeof(uint64_t)), w->n, w->cap ? 2 * w->cap : 256 };
	if (!bigger.ref || !bigger.name)
		abort();
	for (size_t i = 0; i < w->cap; i++)
		if (w->ref[i]) {
			size_t at = name_slot(&bigger, w->ref[i]);
			bigger.ref[at] = w->ref[i];
			bigger.name[at] = w->name[i];
		}
	free(w->ref);
	free(w->name);
	*w = bigger;
}

/* 1 when ref was last written with this name in this import; else it is noted as written. */
static int name_written(names_written *w, const char *ref, const char *name)
{
	if (2 * (w->n + 1) > w->cap)
		names_grow(w);
	uint64_t r = hash_bytes(0, ref, strlen(ref)) | 1, h = hash_bytes(0, name, strlen(name));
	size_t at = name_slot(w, r);
	if (w->ref[at] && w->name[at] == h)
		return 1;
	w->n += !w->ref[at];
	w->ref[at] = r;
	w->name[at] = h;
	return 0;
}

/* An organisation's name by its ref, the latest one given. */
static int put_org(iati_saver *sv, const iati_org *o)
{
	const char *name = first_text(&o->name);
	if (!o->ref || !*o->ref || !*name || name_written(&sv->names, o->ref, name))
		return 0;
	static const char *const cols[] = { "name" };
	store_value v[] = { sv_text(o->ref), sv_text(name) };
	store_cond w[] = { COND_EQ("ref", v[0]) };
	int changed = 0;
	if (store_update(sv->c, "iati_organisations", cols, v + 1, 1, w, 1, &changed) != STORE_OK)
		return -1;
	return changed || store_insert_with(sv->c, sv->sql[SQL_ORG], v, 2, NULL) == STORE_OK ? 0 : -1;
}

/* The names of the organisations the activity names. */
static int put_orgs(iati_saver *sv, const iati_activity *a)
{
	if (put_org(sv, &a->reporting_org))
		return -1;
	for (size_t i = 0; i < a->nparticipants; i++)
		if (put_org(sv, &a->participants[i]))
			return -1;
	for (size_t i = 0; i < a->ntransactions; i++)
		if (put_org(sv, &a->transactions[i].provider) || put_org(sv, &a->transactions[i].receiver))
			return -1;
	return 0;
}

static int too_much(const iati_activity *a, char *err, size_t errlen)
{
	snprintf(err, errlen, "activity %.100s: its transactions add up beyond what an amount can hold", a->identifier);
	return 1;
}

/* The activity with its summary, fs, summed already: 0, or -1 when the store failed. */
static int save_summed(iati_saver *sv, const iati_activity *a, const fact *fs, size_t nfacts, int *replaced, char *err,
		       size_t errlen)
{
	int64_t id = 0;
	int rc = put_head(sv, a, &id, replaced) || put_lists(sv, a, id);
	for (size_t i = 0; !rc && i < a->ntransactions; i++)
		rc = put_transaction(sv, &a->transactions[i], id);
	if (rc || put_facts(sv, fs, nfacts, id) || put_orgs(sv, a)) {
		snprintf(err, errlen, "activity %.100s could not be saved: %s", a->identifier, store_errmsg(sv->c));
		return -1;
	}
	return 0;
}

int iati_saver_put(iati_saver *sv, const iati_activity *a, int *replaced, char *err, size_t errlen)
{
	if (sum_activity(a, &sv->facts, &sv->parts))
		return too_much(a, err, errlen);
	return save_summed(sv, a, sv->facts.v, sv->facts.n, replaced, err, errlen);
}

/* ---- the import --------------------------------------------------------------------------- */

/*
 * An import runs on two threads, as the translation memory's does: a
 * thread of its own reads the file and copies each activity into a batch;
 * the caller, which holds the transaction, writes the batches in the order
 * they were read (core/handoff.h: at most QUEUE_BATCHES of them waiting).
 * Reading and writing each take about half the work, so the import takes
 * the time of the longer.  The first fault in the file is the one told: a
 * writer that cannot save an activity stops the reader, and a reader that
 * refuses the file ends, after the activities before the fault are written.
 */

#define BATCH_TRANSACTIONS 4096   /* a batch is handed over when it holds so many transactions */
#define BATCH_ACTIVITIES 256      /* or so many activities */
#define QUEUE_BATCHES 4

/* An activity read, with its summary summed on the reading thread. */
typedef struct summed {
	const iati_activity *a;
	const fact *facts;
	size_t nfacts;
	int too_much;          /* a sum left int64_t: the file's fault */
} summed;

typedef struct batch {
	arena a;               /* the activities' copies and their facts */
	summed v[BATCH_ACTIVITIES];
	size_t n, transactions;
} batch;

typedef struct importing {
	/* the reader's */
	const xmlstream_input *in;
	iati_warnings *warnings;
	iati_error read_error;
	int read_rc;                /* iati_read's */
	batch *filling;
	facts sums;                 /* one activity's, before they go into its batch */
	funding_parts parts;
	handoff queue;
	/* the writer's */
	store_conn *c;
	iati_saver *sv;             /* NULL: a dry run */
	iati_imported *got;
	int write_rc;               /* 0; 1 the file's fault (a sum beyond 64 bits); -1 the store's */
} importing;

static void batch_free(void *p)
{
	batch *b = p;
	if (b)
		arena_free(&b->a);
	free(b);
}

/* The batch being filled handed to the writer; 1 when the writer wants no more. */
static int hand_over(importing *k)
{
	batch *b = k->filling;
	k->filling = NULL;
	return b && handoff_give(&k->queue, b, batch_free);
}

static int on_activity(void *ctx, const iati_activity *a)
{
	importing *k = ctx;
	if (!k->filling && !(k->filling = calloc(1, sizeof *k->filling)))
		abort();
	batch *b = k->filling;
	summed *s = &b->v[b->n++];
	s->a = iati_activity_copy(&b->a, a);
	if (k->sv && !(s->too_much = sum_activity(s->a, &k->sums, &k->parts))) {   /* a dry run sums nothing */
		fact *fs = arena_alloc(&b->a, (k->sums.n + 1) * sizeof *fs);
		memcpy(fs, k->sums.v, k->sums.n * sizeof *fs);
		s->facts = fs, s->nfacts = k->sums.n;
	}
	b->transactions += a->ntransactions;
	return b->n == BATCH_ACTIVITIES || b->transactions >= BATCH_TRANSACTIONS ? hand_over(k) : 0;
}

static void *read_file(void *ctx)
{
	static const iati_read_callbacks cb = { NULL, on_activity };
	importing *k = ctx;
	k->read_rc = iati_read(k->in, &cb, k, k->warnings, &k->read_error);
	hand_over(k);
	handoff_end(&k->queue);
	free(k->sums.v);
	funding_parts_free(&k->parts);
	return NULL;
}

/* One activity written (or, in a dry run, looked up) and counted; nonzero with got->error when it cannot be. */
static int write_activity(importing *k, const summed *s)
{
	iati_imported *got = k->got;
	const iati_activity *a = s->a;
	int replaced = 0;
	if (k->sv && s->too_much) {
		k->write_rc = too_much(a, got->error.reason, sizeof got->error.reason);
	} else if (k->sv) {
		k->write_rc = save_summed(k->sv, a, s->facts, s->nfacts, &replaced, got->error.reason,
					  sizeof got->error.reason);
	} else {
		int64_t id;
		k->write_rc = activity_id(k->c, a->identifier, &id) ? -1 : 0;
		if (k->write_rc)
			snprintf(got->error.reason, sizeof got->error.reason, "the activities could not be read");
		replaced = id != 0;
	}
	if (k->write_rc) {
		got->error.line = a->line;
		return -1;
	}
	*(replaced ? &got->updated : &got->added) += 1;
	got->transactions += (int64_t)a->ntransactions;
	return 0;
}

/* Every batch the reader hands over written, or drained once one activity could not be. */
static void write_all(importing *k)
{
	for (batch *b; (b = handoff_take(&k->queue));) {
		for (size_t i = 0; i < b->n && !k->write_rc; i++)
			if (write_activity(k, &b->v[i]))
				handoff_stop(&k->queue);
		batch_free(b);
	}
}

/* Both threads' work: 0, or -1 with got->error, the first fault in the file. */
static int run_import(importing *k)
{
	pthread_t reader;
	handoff_init(&k->queue, QUEUE_BATCHES);
	if (pthread_create(&reader, NULL, read_file, k)) {
		handoff_destroy(&k->queue);
		snprintf(k->got->error.reason, sizeof k->got->error.reason, "the import could not start");
		return -1;
	}
	write_all(k);
	pthread_join(reader, NULL);
	handoff_destroy(&k->queue);
	batch_free(k->filling);
	if (k->write_rc) {
		k->got->file_fault = k->write_rc > 0;
		return -1;
	}
	if (k->read_rc) {
		k->got->error = k->read_error;
		k->got->file_fault = 1;
		return -1;
	}
	return 0;
}

void iati_imported_free(iati_imported *got) { iati_warnings_free(&got->warnings); }

int iati_import(store *s, const xmlstream_input *in, const char *source, int dry_run, iati_imported *got)
{
	*got = (iati_imported){ .warnings = IATI_WARNINGS_INIT };
	importing k = { .in = in, .warnings = &got->warnings, .got = got };
	k.c = dry_run ? store_reader(s) : store_begin(s);
	if (!k.c) {
		snprintf(got->error.reason, sizeof got->error.reason, "the database is busy");
		return -1;
	}
	if (!dry_run) {
		k.sv = iati_saver_begin(k.c, source);
		store_large_cache(k.c, 1);
	}
	int rc = run_import(&k);
	iati_saver_end(k.sv);
	if (!dry_run)
		store_large_cache(k.c, 0);   /* before the commit lets the writer go; dirty pages stay until it */
	if (rc == 0 && !dry_run && store_commit(k.c) != STORE_OK) {
		snprintf(got->error.reason, sizeof got->error.reason, "the import could not be committed");
		got->error.line = 0;
		return -1;
	}
	if (rc != 0 && !dry_run)
		store_rollback(k.c);
	if (rc != 0) {
		got->added = got->updated = got->transactions = 0;
		return -1;
	}
	return 0;
}
