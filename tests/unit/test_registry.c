/*
 * test_registry — what registry_build works out from a table of invented
 * kinds beyond the columns: the kind a PARTNER_ORG reference names (the
 * one marked self_org, whichever area defines it), and the checks of a
 * home list against its kind's fields, each refusal with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domains/domains.h"
#include "model/registry.h"

static const field_def guild_fields[] = { { "name", F_TEXT, REQUIRED | TITLE, .max = 80 } };
static const entity_def guilds = {
	.name = "guilds", .table = "guilds", .label = "guild", .fields = guild_fields, .nfields = COUNT(guild_fields),
	.read = ACCESS_ACCOUNT, .write = ACCESS_EDITORS, .self_org = 1,
};

static const field_def member_fields[] = {
	{ "name", F_TEXT, REQUIRED | TITLE, .max = 80 },
	{ "guild", F_REF, PARTNER_ORG },
	{ "due", F_DATE, 0 },
	{ "owner", F_REF, 0, .ref = "members" },
};
static const entity_def members = {
	.name = "members", .table = "members", .label = "member", .fields = member_fields, .nfields = COUNT(member_fields),
	.read = ACCESS_STAFF, .write = ACCESS_EDITORS,
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

/* Every kind of Liaison that refers to partners' organizations so names the kind that is one. */
static void liaison_users_belong_to_its_self_org_kind(void **state)
{
	(void)state;
	registry reg;
	char err[200] = "";
	assert_int_equal(registry_build(&reg, all_entities, nall_entities, err, sizeof err), 0);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partner_reference_names_the_self_org_kind),
		cmocka_unit_test(partner_reference_without_a_self_org_kind_is_refused),
		cmocka_unit_test(liaison_users_belong_to_its_self_org_kind),
		cmocka_unit_test(home_lists_are_checked_against_their_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
