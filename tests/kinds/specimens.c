/*
 * specimens — a kind of record that exists only in the tests' build
 * (liaison-specimens), described the way an area describes its kinds and
 * given nothing else: no route, page, template, query or test hook of its
 * own.  tests/http/test_specimen_kind.py then checks that the platform alone
 * gives it its API, pages, search, access rules, workflow, related records,
 * audit trail, CSV and OpenAPI description.  If any of those needs code
 * beyond this file and its line in the tests' area (src/domains/domains.c), the platform has
 * a seam to close.
 */
#include "model/registry.h"

static const char *const states[] = { "received", "examined", "archived_copy", NULL };
static const char *const state_labels[] = { "Received", "Examined", "Copy archived", NULL };
static const char *const colours[] = { "amber", "teal", NULL };
static const char *const colour_labels[] = { "Amber", "Teal", NULL };
static const char *const columns[] = { "title", "status", "received_on", NULL };

static const field_def fields[] = {
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 200, .label = "Title" },
	{ "status", F_ENUM, REQUIRED | INDEXED, .values = states, .labels = state_labels, .label = "Status" },
	{ "colour", F_ENUM, INDEXED | FACET, .values = colours, .labels = colour_labels, .label = "Colour" },
	{ "holder", F_REF, INDEXED, .ref = "organizations", .label = "Held by" },
	{ "received_on", F_DATE, INDEXED, .label = "Received on" },
	{ "examined_at", F_TIME, READONLY, .label = "Examined at" },
	{ "examiner", F_REF, INDEXED, .ref = "users", .label = "Examiner" },
	{ "sender_email", F_EMAIL, PERSONAL, .max = 320, .label = "Sender's e-mail" },
	{ "notes", F_TEXT, SEARCHED, .max = 4000, .label = "Notes" },
	{ "tags", F_LIST, SEARCHED, .max = 20, .label = "Tags" },
	{ "valuation", F_MONEY, 0, .label = "Valuation" },
};

static const transition moves[] = {
	{ "received", "examined" },
	{ "examined", "archived_copy", WHO_ADMIN },
};
static const char *const examined_needs[] = { "examiner", NULL };

const entity_def specimens = {
	.name = "specimens", .table = "specimens", .label = "specimen",
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .assignee = "examiner",
	.default_sort = "-received_on",
	.heading = "Specimens", .new_label = "New specimen", .columns = columns,
	.menu = { 90 },
	.workflow = &(const workflow){
		.field = "status", .starts = (const char *const[]){ "received", NULL }, .moves = moves, .nmoves = COUNT(moves),
		.rules = (const state_rule[]){ { "examined", examined_needs, "examined_at" }, { NULL } },
	},
};
