/*
 * interactions — the contact log: every meeting, call, letter, note verbale
 * or visit, with whom (organizations and persons, each in a role), which
 * staff took part, and the follow-ups it left, each with an owner and a due
 * date.
 */
#include "domains/partners/partners.h"

static const char *const kinds[] = { "meeting", "call", "email", "letter", "note_verbale", "visit", "event", NULL };
static const char *const parties[] = { "organizations", "persons", NULL };
static const char *const staff[] = { "users", NULL };

static const field_def fields[] = {
	{ "date", F_DATE, REQUIRED | INDEXED },
	{ "kind", F_ENUM, REQUIRED | INDEXED, .values = kinds },
	{ "subject", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 300 },
	{ "summary", F_TEXT, SEARCHED, .max = 20000 },
	{ "participants", F_LINKS, 0, .link_kinds = parties },
	{ "staff", F_LINKS, 0, .link_kinds = staff },
	{ "tags", F_LIST, SEARCHED, .max = 50 },
};

const entity_def interactions = {
	.name = "interactions", .table = "interactions", .label = "interaction",
	.fields = fields, .nfields = COUNT(fields),
	.read = ACCESS_STAFF, .write = ACCESS_EDITORS,
	.default_sort = "-date",
};

static const char *const states[] = { "open", "done", "cancelled", NULL };

static const field_def follow_up_fields[] = {
	{ "interaction", F_REF, INDEXED, .ref = "interactions" },
	{ "task", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 1000 },
	{ "owner", F_REF, REQUIRED | INDEXED, .ref = "users" },
	{ "due_date", F_DATE, REQUIRED | INDEXED },
	{ "status", F_ENUM, REQUIRED | INDEXED, .values = states },
};

const entity_def follow_ups = {
	.name = "follow-ups", .table = "follow_ups", .label = "follow-up",
	.fields = follow_up_fields, .nfields = COUNT(follow_up_fields),
	.read = ACCESS_STAFF, .write = ACCESS_EDITORS,
	.default_sort = "due_date",
};
