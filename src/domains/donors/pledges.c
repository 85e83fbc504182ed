/*
 * pledges — the money: a donor's pledge, the instalments it is paid in,
 * the contributions received, and their allocation to programmes.
 *
 * A pledge's family keeps one currency: its instalments and contributions
 * are in the pledge's, and an allocation in its contribution's, so that
 * every sum below adds amounts of one currency (money_add refuses any
 * other).  What the parts add up to never passes the whole: instalments
 * and contributions the pledge, allocations their contribution.  A
 * pledge's state follows the money received: partly received from the
 * first contribution, received when they come to the pledge (its
 * workflow's guards check it, whoever asks for the move).
 */
#include <stdio.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "formats/money.h"

/* ---- sums ------------------------------------------------------------------------------- */

typedef struct sum_walk {
	money total;
	char why[160];
	int failed;
} sum_walk;

static int add_row(void *ctx, store_row *row)
{
	sum_walk *w = ctx;
	money one = { store_int(row, 0), "" };
	snprintf(one.currency, sizeof one.currency, "%s", store_text(row, 1, NULL) ? store_text(row, 1, NULL) : "");
	if (money_add(&w->total, &one, w->why, sizeof w->why))
		w->failed = 1;
	return w->failed;
}

/* The amounts of kind's live records under parent (its field parent_field),
 * but the record except, added in currency into *total.  0, or -1 with m's
 * error (a sibling in another currency, which the rules below never let in). */
static int siblings_total(model_ctx *m, store_conn *c, const char *kind, const char *parent_field, int64_t parent,
			  int64_t except, const char *currency, money *total)
{
	const entity *e = registry_find(m->reg, kind);
	store_cond w[] = { COND_EQ(parent_field, SV_INT_(parent)), COND_EQ("archived", SV_INT_(0)),
			   COND("id", OP_NE, SV_INT_(except)) };
	store_select q = { .table = e->def->table, .cols = (const char *[]){ "amount", "amount_currency" }, .ncols = 2,
			   .where = w, .nwhere = 3 };
	sum_walk sw = { .total = { 0, "" } };
	snprintf(sw.total.currency, sizeof sw.total.currency, "%s", currency);
	if (store_query(c, &q, add_row, &sw) != STORE_OK)
		return model_fail(m, 500, "Store error", "the amounts of the %s could not be read", e->def->label);
	if (sw.failed)
		return model_fail(m, 409, "Amounts in two currencies", "%s", sw.why);
	*total = sw.total;
	return 0;
}

/* The record's amount, which must be in currency: 0, or a field error. */
static int in_currency(model_ctx *m, const record *r, const char *currency, const char *whose)
{
	const char *mine = record_text(r, "amount_currency");
	if (!mine || !currency || strcmp(mine, currency) == 0)
		return 0;
	model_field_error(m, "amount", "%s", whose);
	return -1;
}

/* That the parts of whole (r and its live siblings) do not pass it: 0, or a field error. */
static int within_whole(model_ctx *m, store_conn *c, const record *r, const char *parent_field, const record *whole,
			const char *beyond)
{
	const store_value *own = record_field(r, "amount");
	if (own->type != SV_INT || r->v[COL_ARCHIVED].i)
		return 0;
	money total, mine = { own->i, "" };
	const char *currency = record_text(whole, "amount_currency");
	snprintf(mine.currency, sizeof mine.currency, "%s", currency);
	char why[160];
	int64_t self = r->v[COL_ID].type == SV_INT ? r->v[COL_ID].i : 0;
	if (siblings_total(m, c, r->e->def->name, parent_field, whole->v[COL_ID].i, self, currency, &total))
		return -1;
	if (money_add(&total, &mine, why, sizeof why))
		return model_fail(m, 422, "Amount too large", "%s", why);
	if (total.minor > record_field(whole, "amount")->i)
		model_field_error(m, "amount", "%s", beyond);
	return 0;
}

static int positive(model_ctx *m, const record *r)
{
	const store_value *v = record_field(r, "amount");
	if (v->type == SV_INT && v->i <= 0)
		model_field_error(m, "amount", N_("is not above zero"));
	return 0;
}

/* ---- pledges ---------------------------------------------------------------------------- */

static const char *const earmarkings[] = { "unearmarked", "softly_earmarked", "earmarked", NULL };
static const char *const earmarking_labels[] = { N_("Unearmarked"), N_("Softly earmarked"), N_("Earmarked"), NULL };
static const char *const pledge_states[] = { "pledged", "signed", "partly_received", "received", "written_off", NULL };
static const char *const pledge_state_labels[] = { NC_("pledge", "Pledged"), NC_("pledge", "Signed"),
						   NC_("pledge", "Partly received"), NC_("pledge", "Received"),
						   NC_("pledge", "Written off"), NULL };

static const field_def pledge_fields[] = {
	{ "donor", F_REF, REQUIRED | INDEXED, .ref = "organizations", .label = N_("Donor") },
	/* the donor's name and the date, kept so that lists and links name a pledge */
	{ "name", F_LANGTEXT, READONLY | TITLE | SEARCHED | UNSHOWN, .max = 320, .label = N_("Pledge") },
	{ "amount", F_MONEY, REQUIRED, .label = N_("Amount pledged") },
	{ "pledged_on", F_DATE, REQUIRED | INDEXED | TODAY, .label = N_("Pledged on") },
	{ "earmarking", F_ENUM, REQUIRED | INDEXED | FACET, .values = earmarkings, .labels = earmarking_labels,
	  .initial = "unearmarked", .label = N_("Earmarking"),
	  .hint = N_("Earmarked to a programme; softly earmarked to a region, a theme or an appeal.") },
	{ "appeal", F_REF, INDEXED, .ref = "appeals", .label = N_("Appeal") },
	{ "programme", F_REF, INDEXED, .ref = "programmes", .label = N_("Programme") },
	{ "conditions", F_TEXT, SEARCHED, .max = 4000, .label = N_("Conditions") },
	{ "agreement", F_TEXT, SEARCHED, .max = 100, .label = N_("Agreement reference") },
	{ "status", F_ENUM, INDEXED | FACET, .values = pledge_states, .labels = pledge_state_labels, .label = N_("Status") },
	{ "owner", F_REF, INDEXED, .ref = "users", .label = N_("Followed by") },
	{ "signed_at", F_TIME, READONLY, .label = N_("Signed on") },
	{ "received_at", F_TIME, READONLY, .label = N_("Received in full on") },
	{ "written_off_at", F_TIME, READONLY, .label = N_("Written off on") },
	{ "write_off_reason", F_TEXT, 0, .max = 2000, .label = N_("Reason for writing it off") },
};
static const char *const pledge_columns[] = { "name", "amount", "earmarking", "status", NULL };

/* What the pledge's live contributions come to, in its currency. */
static int received_total(model_ctx *m, store_conn *c, const record *pledge, money *total)
{
	return siblings_total(m, c, "contributions", "pledge", pledge->v[COL_ID].i, 0, record_text(pledge, "amount_currency"),
			      total);
}

/* Partly received: some money came, not all; received: all of it. */
static int some_received(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	money got;
	if (received_total(m, c, r, &got))
		return -1;
	if (got.minor <= 0 || got.minor >= record_field(r, "amount")->i)
		return model_fail(m, 409, "Not partly received", N_("a pledge is partly received when some of its money came, "
								   "not none, not all"));
	return 0;
}

static int all_received(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	money got;
	if (received_total(m, c, r, &got))
		return -1;
	if (got.minor < record_field(r, "amount")->i)
		return model_fail(m, 409, "Not received", N_("the contributions do not come to the amount pledged yet"));
	return 0;
}

static const char *const pledge_starts[] = { "pledged", "signed", NULL };
static const transition pledge_moves[] = {
	{ "pledged", "signed" },
	{ "pledged", "partly_received", .guard = some_received }, { "signed", "partly_received", .guard = some_received },
	{ "pledged", "received", .guard = all_received }, { "signed", "received", .guard = all_received },
	{ "partly_received", "received", .guard = all_received },
	/* a contribution archived takes the pledge back to what the money says */
	{ "received", "partly_received", .guard = some_received },
	{ "pledged", "written_off" }, { "signed", "written_off" }, { "partly_received", "written_off" },
};
static const char *const written_off_needs[] = { "write_off_reason", NULL };
static const state_rule pledge_rules_by_state[] = {
	{ "signed", NULL, "signed_at" }, { "received", NULL, "received_at" },
	{ "written_off", written_off_needs, "written_off_at" }, { NULL },
};
static const workflow pledge_workflow = {
	.field = "status", .starts = pledge_starts, .moves = pledge_moves, .nmoves = COUNT(pledge_moves),
	.rules = pledge_rules_by_state,
};

/* "Republic of Arcadia, 2026-03-15" in each language the donor's name is in. */
static void name_pledge(model_ctx *m, record *r, const record *donor)
{
	for (int l = 0; l < NLANGS; l++) {
		char col[16];
		snprintf(col, sizeof col, "name_%s", registry_langs[l]);
		const char *name = record_text(donor, col);
		*record_field(r, col) = name ? sv_text(arena_printf(&m->a, "%s, %s", name, record_text(r, "pledged_on")))
					     : SV_NUL;
	}
}

static int pledge_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	positive(m, r);
	if (!strcmp(record_text(r, "earmarking") ? record_text(r, "earmarking") : "", "earmarked") &&
	    record_field(r, "programme")->type == SV_NULL)
		model_field_error(m, "programme", N_("is required for an earmarked pledge"));
	record donor;
	if (m->nerrors || model_fetch_ref(m, c, r, "donor", &donor) <= 0)
		return m->nerrors ? -1 : 0;
	name_pledge(m, r, &donor);
	if (r->v[COL_ID].type != SV_INT || !record_given(r, "amount"))
		return 0;
	/* a pledge changed under its money: its currency stays, its amount covers what came */
	money got;
	if (received_total(m, c, r, &got))
		return -1;
	if (got.minor && strcmp(got.currency, record_text(r, "amount_currency")) != 0)
		model_field_error(m, "amount", N_("keeps the currency of the contributions already received"));
	else if (got.minor > record_field(r, "amount")->i)
		model_field_error(m, "amount", N_("is below what the contributions already received come to"));
	return m->nerrors ? -1 : 0;
}

/* A donor's own partners read its pledges, as they read their organization's other records; the
 * reminders read every one, to find the owner of a report due.  The portal's role may change a pledge
 * because changing a reporting deadline asks it of the deadline's parent: the area's one operation in
 * that role changes the deadline alone (reports.c). */
const entity_def pledges = {
	.name = "pledges", .table = "pledges", .label = N_("pledge"),
	.fields = pledge_fields, .nfields = COUNT(pledge_fields),
	.read = WHO_ACCOUNT | WHO_REMINDERS | WHO_PORTAL, .write = WHO_EDITORS, .update = WHO_EDITORS | WHO_PORTAL,
	.org_field = "donor",
	.default_sort = "-pledged_on", .validate = pledge_rules, .workflow = &pledge_workflow,
	.heading = N_("Pledges"), .new_label = N_("New pledge"), .columns = pledge_columns, .menu = { 33 },
};

/* ---- instalments ------------------------------------------------------------------------ */

static const field_def instalment_fields[] = {
	{ "pledge", F_REF, REQUIRED | INDEXED, .ref = "pledges", .label = N_("Pledge") },
	{ "due_on", F_DATE, REQUIRED | INDEXED, .label = N_("Due on") },
	{ "amount", F_MONEY, REQUIRED, .label = N_("Amount") },
	{ "note", F_TEXT, 0, .max = 2000, .label = N_("Note") },
};
static const char *const instalment_columns[] = { "due_on", "amount", NULL };

static int instalment_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	positive(m, r);
	record pledge;
	if (m->nerrors || model_fetch_ref(m, c, r, "pledge", &pledge) <= 0)
		return m->nerrors ? -1 : 0;
	if (in_currency(m, r, record_text(&pledge, "amount_currency"), N_("is not in the pledge's currency")) == 0)
		within_whole(m, c, r, "pledge", &pledge, N_("takes the instalments beyond the amount pledged"));
	return m->nerrors || m->status ? -1 : 0;
}

/* A pledge's schedule: read and written by who reads and writes the pledge. */
const entity_def instalments = {
	.name = "instalments", .table = "instalments", .label = N_("instalment"),
	.fields = instalment_fields, .nfields = COUNT(instalment_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .parent = "pledge", .default_sort = "due_on",
	.validate = instalment_rules,
	.heading = N_("Instalments"), .new_label = N_("New instalment"), .columns = instalment_columns,
};

/* ---- contributions ---------------------------------------------------------------------- */

static const field_def contribution_fields[] = {
	{ "pledge", F_REF, REQUIRED | INDEXED, .ref = "pledges", .label = N_("Pledge") },
	{ "instalment", F_REF, INDEXED, .ref = "instalments", .label = N_("Instalment paid") },
	{ "received_on", F_DATE, REQUIRED | INDEXED | TODAY, .label = N_("Received on") },
	{ "amount", F_MONEY, REQUIRED, .label = N_("Amount received") },
	{ "reference", F_TEXT, SEARCHED, .max = 100, .label = N_("Bank reference") },
};
static const char *const contribution_columns[] = { "received_on", "amount", "instalment", NULL };

static int contribution_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	positive(m, r);
	record pledge, instalment;
	if (m->nerrors || model_fetch_ref(m, c, r, "pledge", &pledge) <= 0)
		return m->nerrors ? -1 : 0;
	if (model_fetch_ref(m, c, r, "instalment", &instalment) > 0 &&
	    record_field(&instalment, "pledge")->i != pledge.v[COL_ID].i)
		model_field_error(m, "instalment", N_("is an instalment of another pledge"));
	if (in_currency(m, r, record_text(&pledge, "amount_currency"), N_("is not in the pledge's currency")) == 0)
		within_whole(m, c, r, "pledge", &pledge, N_("takes the contributions beyond the amount pledged"));
	return m->nerrors || m->status ? -1 : 0;
}

/* The pledge's state as its money says: received in full, partly, or (a
 * contribution archived) back from received. */
static int pledge_follows(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record pledge;
	if (model_fetch_ref(m, c, r, "pledge", &pledge) <= 0)
		return m->status ? -1 : 0;
	money got;
	if (received_total(m, c, &pledge, &got))
		return -1;
	const char *now = record_text(&pledge, "status"), *to = NULL;
	int64_t due = record_field(&pledge, "amount")->i;
	if (!now || !strcmp(now, "written_off"))
		return 0;
	if (got.minor >= due && strcmp(now, "received"))
		to = "received";
	else if (got.minor > 0 && got.minor < due && strcmp(now, "partly_received"))
		to = "partly_received";
	if (!to)
		return 0;
	json_t *move = json_pack("{s:s}", "status", to);
	record after;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)pledge.v[COL_ID].i);
	int rc = model_update_in(m, c, registry_find(m->reg, "pledges"), id, 0, move, &after);
	json_decref(move);
	return rc;
}

/* Money received on a pledge: read and written by who reads and writes the pledge. */
const entity_def contributions = {
	.name = "contributions", .table = "contributions", .label = N_("contribution"),
	.fields = contribution_fields, .nfields = COUNT(contribution_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .parent = "pledge", .default_sort = "-received_on",
	.validate = contribution_rules, .after_write = pledge_follows,
	.heading = N_("Contributions"), .new_label = N_("New contribution"), .columns = contribution_columns,
};

/* ---- allocations ------------------------------------------------------------------------ */

static const field_def allocation_fields[] = {
	{ "contribution", F_REF, REQUIRED | INDEXED, .ref = "contributions", .label = N_("Contribution") },
	{ "programme", F_REF, REQUIRED | INDEXED, .ref = "programmes", .label = N_("Programme") },
	{ "share", F_TEXT, 0, .max = 6, .label = N_("Share of the contribution (%)"),
	  .hint = N_("Give a share, such as 25.5, or an amount: a share makes the amount.") },
	{ "amount", F_MONEY, 0, .label = N_("Amount allocated") },
};
static const char *const allocation_columns[] = { "programme", "amount", "share", NULL };

/* contribution × share, rounded half to even: the amount a share makes. */
static int64_t share_of(int64_t amount, int hundredths)
{
	__int128 x = (__int128)amount * hundredths;
	__int128 q = x / 10000, rest = x % 10000;
	if (rest * 2 > 10000 || (rest * 2 == 10000 && (q & 1)))
		q++;
	return (int64_t)q;
}

static int allocation_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record contribution;
	if (m->nerrors || model_fetch_ref(m, c, r, "contribution", &contribution) <= 0)
		return m->nerrors ? -1 : 0;
	const char *share = record_text(r, "share");
	if (share) {
		int h = hundredths_of(share);
		if (h <= 0 || h > 10000)
			model_field_error(m, "share", N_("is not a share between 0 and 100, such as 25.5"));
		else {
			*record_field(r, "amount") = SV_INT_(share_of(record_field(&contribution, "amount")->i, h));
			*record_field(r, "amount_currency") = *record_field(&contribution, "amount_currency");
		}
	} else if (record_field(r, "amount")->type == SV_NULL) {
		model_field_error(m, "amount", N_("give an amount or a share of the contribution"));
	}
	positive(m, r);
	if (!m->nerrors &&
	    in_currency(m, r, record_text(&contribution, "amount_currency"), N_("is not in the contribution's currency")) == 0)
		within_whole(m, c, r, "contribution", &contribution, N_("takes the allocations beyond the contribution"));
	return m->nerrors || m->status ? -1 : 0;
}

/* A contribution's money given to programmes: read and written by who reads and writes the contribution. */
const entity_def allocations = {
	.name = "allocations", .table = "allocations", .label = N_("allocation"),
	.fields = allocation_fields, .nfields = COUNT(allocation_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .parent = "contribution", .validate = allocation_rules,
	.heading = N_("Allocations"), .new_label = N_("New allocation"), .columns = allocation_columns,
};
