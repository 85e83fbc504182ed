/*
 * iatiout — the organization's own programmes (the programmes kind) as an
 * IATI 2.03 activity file, through the codec's streaming writer
 * (formats/iati.h), for the API and `liaison iati export` alike.
 *
 * A programme becomes an activity: its identifier is its iati_identifier,
 * or the organization's prefix and its code ("XX-EXAMPLE-PRG-12", the id
 * when it has no code); its titles and descriptions in the three
 * languages (the title stands for a description never written: IATI
 * requires one); its status (pipeline 1, active 2, closed 4); its first
 * day as the planned start (the actual one once active) and its last day
 * as the planned end (the actual one once closed); its sectors and
 * countries with their shares; its budget over its dates; and every
 * contribution allocated to it as incoming funds (transaction type 1) from
 * the donor of the contribution's pledge, on the day it was received.
 *
 * The organization that publishes is a setting, the "donors" member of
 * the file `liaison serve --config` reads:
 *
 *   "donors": {"iati": {"ref": "XM-DAC-47066", "name": "…", "type": "40"}}
 *
 * ref is both the reporting organisation's identifier and the prefix of
 * the identifiers made from codes.  A programme IATI cannot hold (no date
 * at all) is left out and counted, never written half.
 *
 * Programmes are read a page at a time by id, so that memory holds one
 * page whatever the number of programmes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "domains/donors/donors.h"
#include "formats/jsonfile.h"
#include "model/access.h"

#define PAGE_PROGRAMMES 100

#define PUBLISHER_DEFAULTS { "XX-LIAISON", "The Organization", "40" }
static iati_publisher publisher = PUBLISHER_DEFAULTS;

const iati_publisher *iati_publisher_settings(void) { return &publisher; }

static int setting(json_t *o, const char *name, char *out, size_t size, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, name);
	if (!v)
		return 0;
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) >= size || strpbrk(s, "<>&\"\n")) {
		snprintf(err, errlen, "donors.iati.%s must be a text of 1 to %zu characters without <, >, & or quotes", name,
			 size - 1);
		return -1;
	}
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int iati_configure(const char *path, char *err, size_t errlen)
{
	iati_publisher p = PUBLISHER_DEFAULTS;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	json_t *o = json_object_get(json_object_get(root, "donors"), "iati");
	int rc = setting(o, "ref", p.ref, sizeof p.ref, err, errlen) || setting(o, "name", p.name, sizeof p.name, err, errlen) ||
		 setting(o, "type", p.type, sizeof p.type, err, errlen);
	if (rc == 0)
		publisher = p;
	json_decref(root);
	return rc ? -1 : 0;
}

/* ---- a page of programmes ----------------------------------------------------------------- */

static const char *const programme_cols[] = {
	"id", "title_en", "title_fr", "title_es", "description_en", "description_fr", "description_es", "code",
	"iati_identifier", "status", "countries", "sectors", "starts_on", "ends_on", "budget", "budget_currency",
};
enum {
	P_ID, P_TITLE, P_DESCRIPTION = P_TITLE + 3, P_CODE = P_DESCRIPTION + 3, P_IATI, P_STATUS, P_COUNTRIES, P_SECTORS,
	P_STARTS, P_ENDS, P_BUDGET, P_CURRENCY, P_NCOLS
};

typedef struct page {
	arena a;
	store_value (*rows)[P_NCOLS];
	size_t n;
} page;

static int take_programme(void *ctx, store_row *row)
{
	page *p = ctx;
	store_row_copy(row, P_NCOLS, p->rows[p->n++], &p->a);
	return 0;
}

static int read_page(model_ctx *m, store_conn *c, int64_t after, page *p)
{
	const entity *e = registry_find(m->reg, programmes.name);
	store_cond w[4] = { COND_EQ("archived", SV_INT_(0)), COND("id", OP_GT, SV_INT_(after)) };
	int nw = 2;
	access_visible(m, e, w, &nw);
	store_order by[] = { { "id" } };
	store_select q = { .table = programmes.table, .cols = programme_cols, .ncols = P_NCOLS, .where = w, .nwhere = nw,
			   .order = by, .norder = 1, .limit = PAGE_PROGRAMMES };
	p->n = 0;
	return store_query(c, &q, take_programme, p) == STORE_OK ? 0
	       : model_fail(m, 500, "Store error", "the programmes could not be read");
}

/* ---- one programme as an activity --------------------------------------------------------- */

/* What one activity is built from, its strings in the exporter's arena. */
typedef struct building {
	arena *a;
	iati_activity act;
	iati_org participants[2];
	iati_country *countries;
	iati_sector *sectors;
	iati_budget budget;
	iati_transaction *transactions;
	size_t ntransactions, cap;
	const char *funder_names[8];   /* donors named as funding participants */
	size_t nfunders;
} building;

static const char *text_of(const store_value *v) { return v->type == SV_TEXT ? v->s : ""; }

/* The items of a list field ("15190 60") as codes and shares, into codes/shares (n at most max). */
static size_t shares_of(arena *a, const store_value *v, const char **codes, int *shares, size_t max)
{
	json_t *list = v->type == SV_TEXT ? json_loadb(v->s, v->n, 0, NULL) : NULL;
	size_t n = 0, i;
	json_t *item;
	json_array_foreach(list, i, item) {
		char code[64];
		int hundredths;
		if (n == max || !json_is_string(item) || share_read(json_string_value(item), code, sizeof code, &hundredths))
			continue;
		codes[n] = arena_strdup(a, code);
		shares[n++] = hundredths < 0 ? IATI_NO_PERCENT : hundredths;
	}
	json_decref(list);
	/* one item whose share went unsaid is the whole */
	if (n == 1)
		shares[0] = IATI_NO_PERCENT;
	return n;
}

static void places_and_sectors(building *b, const store_value *row)
{
	enum { MAX = 200 };
	const char *codes[MAX];
	int shares[MAX];
	size_t n = shares_of(b->a, &row[P_COUNTRIES], codes, shares, MAX);
	b->countries = arena_alloc(b->a, (n ? n : 1) * sizeof *b->countries);
	for (size_t i = 0; i < n; i++)
		b->countries[i] = (iati_country){ codes[i], shares[i], 0 };
	b->act.countries = b->countries;
	b->act.ncountries = n;
	n = shares_of(b->a, &row[P_SECTORS], codes, shares, MAX);
	b->sectors = arena_alloc(b->a, (n ? n : 1) * sizeof *b->sectors);
	for (size_t i = 0; i < n; i++)
		b->sectors[i] = (iati_sector){ codes[i], "1", shares[i], 0 };
	b->act.sectors = b->sectors;
	b->act.nsectors = n;
}

static const char *status_code(const char *status)
{
	return !strcmp(status, "active") ? "2" : !strcmp(status, "closed") ? "4" : "1";
}

static void head(building *b, const store_value *row)
{
	const iati_publisher *pub = &publisher;
	iati_activity *a = &b->act;
	const char *own = text_of(&row[P_IATI]), *code = text_of(&row[P_CODE]), *status = text_of(&row[P_STATUS]);
	a->identifier = *own    ? own
			: *code ? arena_printf(b->a, "%s-%s", pub->ref, code)
				: arena_printf(b->a, "%s-%lld", pub->ref, (long long)row[P_ID].i);
	a->reporting_org = (iati_org){ pub->ref, pub->type, "", { { pub->name, NULL, NULL } } };
	for (int k = 0; k < IATI_LANGS; k++) {
		a->title.text[k] = text_of(&row[P_TITLE + k]);
		a->description.text[k] = *text_of(&row[P_DESCRIPTION + k]) ? text_of(&row[P_DESCRIPTION + k]) : a->title.text[k];
	}
	a->status = status_code(status);
	const char *starts = text_of(&row[P_STARTS]), *ends = text_of(&row[P_ENDS]);
	int started = strcmp(status, "pipeline") != 0 && *status, closed = !strcmp(status, "closed");
	snprintf(a->dates[started ? IATI_ACTUAL_START : IATI_PLANNED_START], IATI_DATE_MAX, "%s", starts);
	snprintf(a->dates[closed ? IATI_ACTUAL_END : IATI_PLANNED_END], IATI_DATE_MAX, "%s", ends);
	b->participants[0] = (iati_org){ pub->ref, pub->type, "2", { { pub->name, NULL, NULL } } };
	a->participants = b->participants;
	a->nparticipants = 1;
	if (row[P_BUDGET].type == SV_INT && *starts && *ends) {
		b->budget = (iati_budget){ .type = "1", .status = "1" };
		snprintf(b->budget.period_start, IATI_DATE_MAX, "%s", starts);
		snprintf(b->budget.period_end, IATI_DATE_MAX, "%s", ends);
		b->budget.value = (iati_money){ row[P_BUDGET].i, "", "" };
		snprintf(b->budget.value.currency, sizeof b->budget.value.currency, "%s", text_of(&row[P_CURRENCY]));
		snprintf(b->budget.value.value_date, IATI_DATE_MAX, "%s", starts);
		a->budgets = &b->budget;
		a->nbudgets = 1;
		a->default_currency = b->budget.value.currency;
	}
}

/* ---- the money allocated to it ------------------------------------------------------------ */

typedef struct allocation {
	int64_t contribution, amount;
	char currency[4];
} allocation;

typedef struct allocations_read {
	allocation *v;
	size_t n, cap;
} allocations_read;

static int take_allocation(void *ctx, store_row *row)
{
	allocations_read *r = ctx;
	if (store_isnull(row, 1))
		return 0;
	r->v = grow_room(r->v, &r->cap, r->n + 1, sizeof *r->v);
	allocation *x = &r->v[r->n++];
	x->contribution = store_int(row, 0);
	x->amount = store_int(row, 1);
	snprintf(x->currency, sizeof x->currency, "%s", store_text(row, 2, NULL) ? store_text(row, 2, NULL) : "");
	return 0;
}

static int take_values(void *ctx, store_row *row)
{
	store_value *out = ((store_value **)ctx)[0];
	arena *a = ((arena **)ctx)[1];
	store_row_copy(row, 3, out, a);
	return 1;
}

/* Up to three columns of the row of table whose id is id, into out: 1 found, 0 not, -1 error. */
static int row_of(store_conn *c, arena *a, const char *table, int64_t id, const char *const *cols, int ncols,
		  store_value *out)
{
	store_cond w[] = { COND_EQ("id", SV_INT_(id)) };
	store_select q = { .table = table, .cols = cols, .ncols = ncols, .where = w, .nwhere = 1 };
	for (int i = 0; i < 3; i++)
		out[i] = SV_NUL;
	void *ctx[2] = { out, a };
	if (store_query(c, &q, take_values, ctx) != STORE_OK)
		return -1;
	return out[0].type != SV_NULL;
}

static void add_funder(building *b, const char *name)
{
	for (size_t i = 0; i < b->nfunders; i++)
		if (!strcmp(b->funder_names[i], name))
			return;
	if (b->nfunders < sizeof b->funder_names / sizeof *b->funder_names)
		b->funder_names[b->nfunders++] = name;
}

static iati_transaction *next_transaction(building *b)
{
	b->transactions = grow_room(b->transactions, &b->cap, b->ntransactions + 1, sizeof *b->transactions);
	iati_transaction *t = &b->transactions[b->ntransactions++];
	*t = (iati_transaction){ .type = "1", .sector_code = "", .sector_vocabulary = "1", .recipient_country = "" };
	return t;
}

/* One allocation as incoming funds from its donor: 0, or -1 when the store failed. */
static int incoming(building *b, store_conn *c, const allocation *x)
{
	static const char *const contribution_cols[] = { "received_on", "pledge" };
	static const char *const pledge_cols[] = { "donor" };
	static const char *const org_cols[] = { "name_en", "name_fr", "name_es" };
	store_value contribution[3], pledge[3], org[3];
	int rc = row_of(c, b->a, contributions.table, x->contribution, contribution_cols, 2, contribution);
	if (rc <= 0 || contribution[1].type != SV_INT)
		return rc;
	if ((rc = row_of(c, b->a, pledges.table, contribution[1].i, pledge_cols, 1, pledge)) <= 0 || pledge[0].type != SV_INT)
		return rc;
	if ((rc = row_of(c, b->a, "organizations", pledge[0].i, org_cols, 3, org)) < 0)
		return rc;
	iati_transaction *t = next_transaction(b);
	snprintf(t->date, IATI_DATE_MAX, "%s", text_of(&contribution[0]));
	t->value = (iati_money){ x->amount, "", "" };
	memcpy(t->value.currency, x->currency, sizeof t->value.currency);
	memcpy(t->value.value_date, t->date, IATI_DATE_MAX);
	t->provider = (iati_org){ "", "", "", { { text_of(&org[0]), text_of(&org[1]), text_of(&org[2]) } } };
	t->receiver = (iati_org){ publisher.ref, publisher.type, "", { { publisher.name, NULL, NULL } } };
	const char *name = *text_of(&org[0]) ? text_of(&org[0]) : *text_of(&org[1]) ? text_of(&org[1]) : text_of(&org[2]);
	if (*name)
		add_funder(b, name);
	return 0;
}

static int money_allocated(building *b, store_conn *c, int64_t programme)
{
	static const char *const cols[] = { "contribution", "amount", "amount_currency" };
	store_cond w[] = { COND_EQ("programme", SV_INT_(programme)), COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "id" } };
	store_select q = { .table = allocations.table, .cols = cols, .ncols = 3, .where = w, .nwhere = 2, .order = by,
			   .norder = 1 };
	allocations_read r = { 0 };
	int rc = store_query(c, &q, take_allocation, &r) == STORE_OK ? 0 : -1;
	for (size_t i = 0; i < r.n && rc == 0; i++)
		rc = incoming(b, c, &r.v[i]);
	free(r.v);
	return rc;
}

/* The donors of the money as funding participants (role 1), after the organization itself. */
static void funders(building *b, iati_org *room)
{
	room[0] = b->participants[0];
	for (size_t i = 0; i < b->nfunders; i++)
		room[i + 1] = (iati_org){ "", "", "1", { { b->funder_names[i], NULL, NULL } } };
	b->act.participants = room;
	b->act.nparticipants = b->nfunders + 1;
}

/* ---- the file ----------------------------------------------------------------------------- */

static int write_programme(model_ctx *m, store_conn *c, iati_writer *w, const store_value *row, iati_exported *out)
{
	arena a = ARENA_INIT;
	building b = { .a = &a };
	iati_org with_funders[1 + sizeof b.funder_names / sizeof *b.funder_names];
	iati_error err;
	int rc = 0;
	head(&b, row);
	places_and_sectors(&b, row);
	if (money_allocated(&b, c, row[P_ID].i)) {
		rc = model_fail(m, 500, "Store error", "the money allocated to the programmes could not be read");
		goto done;
	}
	b.act.transactions = b.transactions;
	b.act.ntransactions = b.ntransactions;
	funders(&b, with_funders);
	if (iati_write_activity(w, &b.act, &err) == 0) {
		out->activities++;
		out->transactions += (int64_t)b.ntransactions;
	} else if (out->skipped++ < IATI_SKIPPED_KEPT) {
		snprintf(out->why[out->skipped - 1], sizeof out->why[0], "programme %lld: %s", (long long)row[P_ID].i,
			 err.reason);
	}
done:
	free(b.transactions);
	arena_free(&a);
	return rc;
}

int iati_export(model_ctx *m, xmlstream_write_fn write, void *ctx, iati_exported *out)
{
	*out = (iati_exported){ 0 };
	iati_error err;
	const entity *e = registry_find(m->reg, programmes.name);
	if (!access_kind(m->u, e, OP_READ))
		return model_fail(m, 403, "Forbidden", "the programmes are not for this account to read");
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	iati_writer *w = iati_write_begin(write, ctx, NULL, &err);
	if (!w)
		return model_fail(m, 500, "IATI", "%s", err.reason);
	page p = { .rows = malloc(PAGE_PROGRAMMES * sizeof *p.rows) };
	if (!p.rows)
		abort();
	int64_t after = 0;
	int rc = 0;
	do {
		arena_free(&p.a);
		if ((rc = read_page(m, c, after, &p)))
			break;
		for (size_t i = 0; i < p.n && rc == 0; i++)
			rc = write_programme(m, c, w, p.rows[i], out);
		if (p.n)
			after = p.rows[p.n - 1][P_ID].i;
	} while (rc == 0 && p.n == PAGE_PROGRAMMES);
	arena_free(&p.a);
	free(p.rows);
	if (iati_write_end(w, &err) && rc == 0)
		rc = model_fail(m, 500, "IATI", "the file could not be written: %s", err.reason);
	return rc;
}
