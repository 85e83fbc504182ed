/*
 * test_registry — what registry_build works out from a table of invented
 * kinds beyond the columns: the kind a PARTNER_ORG reference names (the
 * one marked self_org, whichever area defines it), and the checks of a
 * home list against its kind's fields, and of a workflow against its
 * kind's fields, each refusal with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domains/domains.h"
#include "model/accounts.h"
#include "model/registry.h"

static const field_def guild_fields[] = { { "name", F_TEXT, REQUIRED | TITLE, .max = 80 } };
static const entity_def guilds = {
	.name = "guilds", .table = "guilds", .label = "guild", .fields = guild_fields, .nfields = COUNT(guild_fields),
	.read = WHO_ACCOUNT, .write = WHO_EDITORS, .self_org = 1,
};

static const field_def member_fields[] = {
	{ "name", F_TEXT, REQUIRED | TITLE, .max = 80 },
	{ "guild", F_REF, PARTNER_ORG },
	{ "due", F_DATE, 0 },
	{ "owner", F_REF, 0, .ref = "members" },
};
static const entity_def members = {
	.name = "members", .table = "members", .label = "member", .fields = member_fields, .nfields = COUNT(member_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
};

static void partner_reference_names_the_self_org_kind(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &guilds, &members };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), 0);
	assert_string_equal(entity_field(registry_find(&reg, "members"), "guild")->ref, "guilds");
	assert_null(member_fields[1].ref);   /* the area's own description is left as it was */
	registry_free(&reg);
}

static void partner_reference_without_a_self_org_kind_is_refused(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &members };
	assert_int_equal(registry_build(&reg, defs, 1, err, sizeof err), -1);
	assert_string_equal(err, "registry: members.guild refers to partners' organizations, but no kind is marked self_org");
}

/* A child kind listed before its parent, and a member before its guild:
 * each comes after what it refers to all the same, and keeps its parent. */
static const field_def dues_fields[] = {
	{ "member", F_REF, REQUIRED, .ref = "members" },
	{ "note", F_TEXT, 0, .max = 80 },
};
static const entity_def dues = {
	.name = "dues", .table = "dues", .label = "due", .fields = dues_fields, .nfields = COUNT(dues_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .parent = "member",
};

static size_t position(const registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->n; i++)
		if (!strcmp(reg->v[i].def->name, name))
			return i;
	fail_msg("no kind %s", name);
	return 0;
}

static void kinds_are_placed_after_what_they_refer_to(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &dues, &members, &guilds };
	assert_int_equal(registry_build(&reg, defs, 3, err, sizeof err), 0);
	assert_true(position(&reg, "guilds") < position(&reg, "members"));
	assert_true(position(&reg, "members") < position(&reg, "dues"));
	assert_ptr_equal(registry_find(&reg, "dues")->parent, registry_find(&reg, "members"));
	registry_free(&reg);
	/* Kinds that refer to nothing keep the order given. */
	const entity_def *plain[] = { &members, &guilds };
	assert_int_equal(registry_build(&reg, plain, 2, err, sizeof err), 0);
	assert_true(position(&reg, "guilds") < position(&reg, "members"));
	registry_free(&reg);
}

static const field_def hen_fields[] = { { "egg", F_REF, 0, .ref = "eggs" } };
static const field_def egg_fields[] = { { "hen", F_REF, 0, .ref = "hens" } };
static const entity_def hens = {
	.name = "hens", .table = "hens", .label = "hen", .fields = hen_fields, .nfields = COUNT(hen_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
};
static const entity_def eggs = {
	.name = "eggs", .table = "eggs", .label = "egg", .fields = egg_fields, .nfields = COUNT(egg_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
};

static void kinds_in_a_circle_of_references_are_refused(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &hens, &eggs };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), -1);
	assert_string_equal(err, "registry: hens is among kinds that refer to each other in a circle");
}

/* A field's initial value must be one of its values. */
static void an_initial_value_is_one_of_the_values(void **state)
{
	(void)state;
	static const char *const states[] = { "open", "done", NULL };
	static const field_def bad[] = { { "status", F_ENUM, REQUIRED, .values = states, .initial = "pending" } };
	static const field_def good[] = { { "status", F_ENUM, REQUIRED, .values = states, .initial = "done" } };
	static const entity_def with_bad = { .name = "chores", .table = "chores", .label = "chore", .fields = bad,
					     .nfields = 1, .read = WHO_STAFF, .write = WHO_EDITORS };
	static const entity_def with_good = { .name = "chores", .table = "chores", .label = "chore", .fields = good,
					      .nfields = 1, .read = WHO_STAFF, .write = WHO_EDITORS };
	registry reg;
	char err[200] = "";
	assert_int_equal(registry_build(&reg, (const entity_def *const[]){ &with_bad }, 1, err, sizeof err), -1);
	assert_string_equal(err, "registry: chores.status starts as 'pending', which is none of its values");
	assert_int_equal(registry_build(&reg, (const entity_def *const[]){ &with_good }, 1, err, sizeof err), 0);
	registry_free(&reg);
}

/* An area's system role sees what it declares; a slot nobody claims sees
 * nothing, and two roles in one slot, or one outside the slots, stop the start. */
static void system_roles_take_their_own_slots(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &guilds };
	assert_int_equal(registry_build(&reg, defs, 1, err, sizeof err), 0);
	static const system_role clerk = { ROLE_SYSTEM, "clerk", SEES_PUBLIC | SEES_INTERNAL };
	static const system_role porter = { ROLE_SYSTEM, "porter", SEES_ALL };
	static const system_role stray = { NROLES, "stray", SEES_ALL };
	static const system_role below = { ROLE_PUBLIC, "below", SEES_ALL };
	assert_int_equal(registry_sees(&reg, ROLE_SYSTEM), 0);
	assert_int_equal(registry_add_roles(&reg, (const system_role *const[]){ &clerk, NULL }, err, sizeof err), 0);
	assert_int_equal(registry_sees(&reg, ROLE_SYSTEM), SEES_PUBLIC | SEES_INTERNAL);
	assert_int_equal(registry_sees(&reg, ROLE_SYSTEM + 1), 0);
	assert_int_equal(registry_sees(&reg, ROLE_DIRECTOR), role_defs[ROLE_DIRECTOR].sees);
	assert_int_equal(registry_add_roles(&reg, (const system_role *const[]){ &porter, NULL }, err, sizeof err), -1);
	assert_string_equal(err, "the system roles clerk and porter take the same slot");
	assert_int_equal(registry_add_roles(&reg, (const system_role *const[]){ &stray, NULL }, err, sizeof err), -1);
	assert_non_null(strstr(err, "stray"));
	assert_int_equal(registry_add_roles(&reg, (const system_role *const[]){ &below, NULL }, err, sizeof err), -1);
	assert_int_equal(registry_sees(&reg, ROLE_PUBLIC), SEES_PUBLIC);
	registry_free(&reg);
}

/* Every kind of Liaison that refers to partners' organizations so names the kind that is one. */
static void liaison_users_belong_to_its_self_org_kind(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	domains dom;
	domains_gather(&dom);
	assert_int_equal(registry_build(&reg, dom.kinds, dom.nkinds, err, sizeof err), 0);
	domains_release(&dom);
	const char *org = NULL;
	for (size_t i = 0; i < reg.n; i++)
		if (reg.v[i].def->self_org)
			org = reg.v[i].def->name;
	assert_non_null(org);
	int seen = 0;
	for (size_t i = 0; i < reg.n; i++)
		for (size_t j = 0; j < reg.v[i].def->nfields; j++)
			if (reg.v[i].def->fields[j].flags & PARTNER_ORG) {
				assert_string_equal(reg.v[i].def->fields[j].ref, org);
				seen++;
			}
	assert_true(seen > 0);
	registry_free(&reg);
}

static void home_list_refused(const home_list *h, const char *why)
{
	entity_def d = members;
	d.home = h;
	registry reg;
	char err[200] = "", expect[200];
	const entity_def *defs[] = { &guilds, &d };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), -1);
	snprintf(expect, sizeof expect, "registry: members's home list lacks %s", why);
	assert_string_equal(err, expect);
}

static int late_members(model_ctx *m, const entity *e, store_cond *w)
{
	(void)m;
	(void)e;
	w[0] = COND("due", OP_LT, sv_text("2026-01-01"));
	return 1;
}

static void home_lists_are_checked_against_their_kind(void **state)
{
	(void)state;
	home_list_refused(&(home_list){ NULL, "None.", "due" }, "a heading and what it says when empty");
	home_list_refused(&(home_list){ "Due", NULL, "due" }, "a heading and what it says when empty");
	home_list_refused(&(home_list){ "Due", "None.", NULL }, "its date_field");
	home_list_refused(&(home_list){ "Due", "None.", "due_on" }, "its date_field");
	home_list_refused(&(home_list){ "Due", "None.", "due", .owner_field = "keeper" }, "its owner_field");
	home_list_refused(&(home_list){ "Due", "None.", "due", .field = "status", .value = "open" }, "its field and value");
	home_list_refused(&(home_list){ "Due", "None.", "due", .field = "name" }, "its field and value");

	entity_def d = members;
	d.home = &(home_list){ "Due", "None.", "due", .owner_field = "owner", .field = "name", .value = "x" };
	registry reg;
	char err[200] = "";
	const entity_def *defs[] = { &guilds, &d };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), 0);
	registry_free(&reg);

	/* a count is of a view the kind has, or the area's own function */
	static const list_view views[] = { { "late", "Late", late_members }, { NULL } };
	d.views = views;
	d.home_counts = (const home_count[]){ { "Late", "/members?view=late", "overdue", .view = "late" }, { NULL } };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), 0);
	registry_free(&reg);
	d.home_counts = (const home_count[]){ { "Late", "/members?view=lost", "overdue", .view = "lost" }, { NULL } };
	assert_int_equal(registry_build(&reg, defs, 2, err, sizeof err), -1);
	assert_string_equal(err, "registry: members's home count \"Late\" needs its list and a count or a view of the kind");
}

static const char *const phases[] = { "open", "done", NULL };
static const field_def task_fields[] = {
	{ "name", F_TEXT, REQUIRED | TITLE, .max = 80 },
	{ "phase", F_ENUM, 0, .values = phases },
	{ "done_at", F_TIME, READONLY },
	{ "due", F_DATE, 0 },
};
static const char *const open_start[] = { "open", NULL };
static const transition finish[] = { { "open", "done" } };

/* registry_build of a kind of tasks with workflow w: 0, or -1 with the reason in err. */
static int build_tasks(const workflow *w, const field_def *fields, size_t nfields, char *err, size_t errlen)
{
	entity_def d = { .name = "tasks", .table = "tasks", .label = "task", .fields = fields, .nfields = nfields,
			 .read = WHO_STAFF, .write = WHO_EDITORS, .workflow = w };
	registry reg;
	const entity_def *defs[] = { &d };
	int rc = registry_build(&reg, defs, 1, err, errlen);
	if (rc == 0)
		registry_free(&reg);
	return rc;
}

static void workflow_refused(const workflow *w, const char *why)
{
	char err[200] = "", expect[200];
	assert_int_equal(build_tasks(w, task_fields, COUNT(task_fields), err, sizeof err), -1);
	snprintf(expect, sizeof expect, "registry: tasks's workflow %s", why);
	assert_string_equal(err, expect);
}

static void workflows_are_checked_against_their_kind(void **state)
{
	(void)state;
	const char *const *needs_due = (const char *const[]){ "due", NULL };
	const char *const *needs_ghost = (const char *const[]){ "ghost", NULL };
	char err[200] = "";
	workflow ok = { "phase", open_start, finish, 1, (const state_rule[]){ { "done", needs_due, "done_at" }, { NULL } } };
	assert_int_equal(build_tasks(&ok, task_fields, COUNT(task_fields), err, sizeof err), 0);

	workflow w = ok;
	w.field = "name";
	workflow_refused(&w, "drives a field that is not one of the kind's choices: name");
	w = ok;
	w.starts = (const char *const[]){ NULL };
	workflow_refused(&w, "names no state a record begins in");
	w.starts = (const char *const[]){ "closed", NULL };
	workflow_refused(&w, "begins in a state its field does not have: closed");
	w = ok;
	w.moves = (const transition[]){ { "open", "closed" } };
	workflow_refused(&w, "has a move between states its field does not have: closed");
	w.moves = (const transition[]){ { "open", "open" } };
	workflow_refused(&w, "has a move between states its field does not have: open");
	w = ok;
	w.rules = (const state_rule[]){ { "shelved" }, { NULL } };
	workflow_refused(&w, "has a rule for a state its field does not have: shelved");
	w.rules = (const state_rule[]){ { "done", needs_ghost }, { NULL } };
	workflow_refused(&w, "requires a field the kind does not have: ghost");
	w.rules = (const state_rule[]){ { "done", NULL, "due" }, { NULL } };
	workflow_refused(&w, "stamps a field that is not a time of the kind: due");

	field_def with_to[COUNT(task_fields) + 1];
	memcpy(with_to, task_fields, sizeof task_fields);
	with_to[COUNT(task_fields)] = (field_def){ "to", F_TEXT, 0, .max = 10 };
	assert_int_equal(build_tasks(&ok, with_to, COUNT(with_to), err, sizeof err), -1);
	assert_string_equal(err, "registry: tasks's workflow cannot go with a field called: to");
}

/* Erasure leaves "[erased]" in a required personal field: only text can hold it. */
static void a_required_personal_field_must_be_text(void **state)
{
	(void)state;
	char err[200] = "";
	const field_def text[] = { { "name", F_TEXT, REQUIRED | PERSONAL | TITLE, .max = 80 } };
	assert_int_equal(build_tasks(NULL, text, COUNT(text), err, sizeof err), 0);
	const field_def mail[] = { { "name", F_TEXT, TITLE, .max = 80 }, { "email", F_EMAIL, REQUIRED | PERSONAL } };
	assert_int_equal(build_tasks(NULL, mail, COUNT(mail), err, sizeof err), -1);
	assert_string_equal(err, "registry: tasks.email is personal and required, so erasing it leaves text: it must be text");
}

static int build_with(const entity_def *d, char *err, size_t errlen)
{
	registry reg;
	const entity_def *defs[] = { &guilds, &users_entity, d };
	int rc = registry_build(&reg, defs, COUNT(defs), err, errlen);
	if (rc == 0)
		registry_free(&reg);
	return rc;
}

static void access_rules_are_checked_against_their_kind(void **state)
{
	(void)state;
	char err[200] = "";
	const field_def fields[] = { { "name", F_TEXT, REQUIRED | TITLE, .max = 80 }, { "reviewer", F_REF, 0, .ref = "users" },
				     { "guild", F_REF, 0, .ref = "guilds" }, { "note", F_TEXT, 0, .max = 80 } };
	entity_def d = { .name = "tasks", .table = "tasks", .label = "task", .fields = fields, .nfields = COUNT(fields),
			 .read = WHO_STAFF, .write = WHO_EDITORS, .assignee = "reviewer" };
	assert_int_equal(build_with(&d, err, sizeof err), 0);
	static const char *const wrong[] = { "guild", "note", "nothing", "reviewer,guild", "reviewer,nothing", "reviewer," };
	for (size_t i = 0; i < COUNT(wrong); i++) {
		d.assignee = wrong[i];
		assert_int_equal(build_with(&d, err, sizeof err), -1);
		assert_string_equal(err, "registry: tasks.assignee must name references to users by id, each a field of the kind");
	}
	d.assignee = NULL;
	d.read = 0;
	assert_int_equal(build_with(&d, err, sizeof err), -1);
	assert_string_equal(err, "registry: tasks says nobody may read it");
}

/* Money is two columns, the amount in minor units then its currency's
 * code; it is never a title, searched, unique, a facet or personal. */
static void money_is_an_amount_and_its_currency(void **state)
{
	(void)state;
	field_def fields[] = { { "name", F_TEXT, REQUIRED | TITLE, .max = 80 }, { "fee", F_MONEY, REQUIRED } };
	entity_def d = { .name = "tolls", .table = "tolls", .label = "toll", .fields = fields, .nfields = COUNT(fields),
			 .read = WHO_STAFF, .write = WHO_EDITORS };
	const entity_def *defs[] = { &d };
	registry reg;
	char err[200] = "";
	assert_int_equal(registry_build(&reg, defs, 1, err, sizeof err), 0);
	const entity *e = registry_find(&reg, "tolls");
	int amount = entity_column(e, "fee"), currency = entity_column(e, "fee_currency");
	assert_true(amount > 0);
	assert_int_equal(currency, amount + 1);
	assert_true(e->cols[amount].is_int);
	assert_false(e->cols[amount].currency);
	assert_false(e->cols[currency].is_int);
	assert_true(e->cols[currency].currency);
	assert_ptr_equal(e->cols[currency].field, &e->def->fields[1]);
	assert_int_equal(e->ncols, NSYSCOLS + 3);
	registry_free(&reg);
	const unsigned refused[] = { SEARCHED, TITLE, UNIQUE, FACET, PERSONAL };
	for (size_t i = 0; i < COUNT(refused); i++) {
		fields[1].flags = refused[i];
		assert_int_equal(registry_build(&reg, defs, 1, err, sizeof err), -1);
		assert_string_equal(err, "registry: tolls.fee is money: an amount is neither searched, a title, unique, a facet "
					 "nor personal");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partner_reference_names_the_self_org_kind),
		cmocka_unit_test(partner_reference_without_a_self_org_kind_is_refused),
		cmocka_unit_test(kinds_are_placed_after_what_they_refer_to),
		cmocka_unit_test(kinds_in_a_circle_of_references_are_refused),
		cmocka_unit_test(system_roles_take_their_own_slots),
		cmocka_unit_test(an_initial_value_is_one_of_the_values),
		cmocka_unit_test(liaison_users_belong_to_its_self_org_kind),
		cmocka_unit_test(home_lists_are_checked_against_their_kind),
		cmocka_unit_test(workflows_are_checked_against_their_kind),
		cmocka_unit_test(a_required_personal_field_must_be_text),
		cmocka_unit_test(access_rules_are_checked_against_their_kind),
		cmocka_unit_test(money_is_an_amount_and_its_currency),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
