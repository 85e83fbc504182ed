/*
 * demo — a few invented meetings for trying the tracker, written after the
 * partners' demo data: three priority rules, meetings around today (one of
 * high priority soon with nobody confirmed, one long over with its report
 * late), organized by demo organizations and represented by the first
 * account.  Every name is invented.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/meetings/meetings.h"
#include "model/bulk.h"
#include "model/model.h"

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

static const struct {
	const char *title[3];
	int from, days;               /* first day from today, and how many days */
	const char *level, *topic, *state;
	const char *rep;              /* a representation's status, or NULL */
} meetings_shown[] = {
	{ { "Ministerial dialogue on labour mobility", "Dialogue ministériel sur la mobilité de la main-d'œuvre",
	    "Diálogo ministerial sobre movilidad laboral" }, 6, 2, "ministerial", "labour mobility", "PH", NULL },
	{ { "Senior officials' meeting of the Northern Coast Process", "Réunion des hauts fonctionnaires du Processus de la côte nord",
	    "Reunión de altos funcionarios del Proceso de la Costa Norte" }, 12, 3, "senior_officials", "climate mobility", "MX",
	  "confirmed" },
	{ { "Expert workshop on remittance data", "Atelier d'experts sur les données des envois de fonds",
	    "Taller de expertos sobre datos de remesas" }, 40, 1, "expert", "remittances", NULL, "proposed" },
	{ { "Technical consultation on border data", "Consultation technique sur les données aux frontières",
	    "Consulta técnica sobre datos fronterizos" }, -40, 2, "technical", "border management", NULL, "attended" },
};

static const struct {
	const char *name, *level, *topic, *state;
	int points;
} rules_shown[] = {
	{ "Ministerial meetings", "ministerial", NULL, NULL, 40 },
	{ "Strategic topic: labour and climate mobility", NULL, "labour mobility", NULL, 30 },
	{ "A Member State of the invented coastal forum takes part", NULL, NULL, "PH", 10 },
};

/* The first id a select finds, or 0. */
static int64_t first_id(model_ctx *m, store_conn *c, const char *table)
{
	static const char *const id[] = { "id" };
	store_order order[] = { { "id", 0, NOT_NULL } };
	store_select q = { .table = table, .cols = id, .ncols = 1, .order = order, .norder = 1, .limit = 1 };
	model_ids ids;
	return model_select_ids(m, c, &q, &ids) == STORE_OK && ids.n ? ids.v[0] : 0;
}

static int add(model_ctx *m, store_conn *c, const char *kind, json_t *body, record *out)
{
	int rc = model_create_in(m, c, registry_find(m->reg, kind), body, CREATE_FORCE | CREATE_AS_IS, out);
	json_decref(body);
	return rc;
}

static json_t *rule_body(size_t i)
{
	json_t *b = json_pack("{s:s, s:i, s:b}", "name", rules_shown[i].name, "points", rules_shown[i].points, "active", 1);
	if (rules_shown[i].level)
		json_object_set_new(b, "level", json_string(rules_shown[i].level));
	if (rules_shown[i].topic)
		json_object_set_new(b, "topics", json_pack("[s, s]", rules_shown[i].topic, "climate mobility"));
	if (rules_shown[i].state)
		json_object_set_new(b, "member_states", json_pack("[s]", rules_shown[i].state));
	return b;
}

static json_t *meeting_body(size_t i, int64_t organizer)
{
	char today[32], first[11], last[11];
	clock_now_iso(today);
	today[10] = '\0';
	clock_add_days(today, meetings_shown[i].from, first);
	clock_add_days(first, meetings_shown[i].days - 1, last);
	json_t *b = json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:[s], s:s}", "title", "en", meetings_shown[i].title[0], "fr",
			      meetings_shown[i].title[1], "es", meetings_shown[i].title[2], "starts_on", first, "ends_on", last,
			      "level", meetings_shown[i].level, "topics", meetings_shown[i].topic, "place", "Geneva");
	if (meetings_shown[i].state)
		json_object_set_new(b, "member_states", json_pack("[s]", meetings_shown[i].state));
	if (organizer)
		json_object_set_new(b, "organizer", json_integer(organizer));
	return b;
}

static int write_all(model_ctx *m, store_conn *c)
{
	record r;
	int64_t who = first_id(m, c, "users"), org = first_id(m, c, "organizations");
	for (size_t i = 0; i < COUNT(rules_shown); i++)
		if (add(m, c, "meeting-priority-rules", rule_body(i), &r))
			return -1;
	for (size_t i = 0; i < COUNT(meetings_shown); i++) {
		if (add(m, c, "meetings", meeting_body(i, org), &r))
			return -1;
		if (!meetings_shown[i].rep || !who)
			continue;
		json_t *rep = json_pack("{s:I, s:I, s:s, s:s}", "meeting", (json_int_t)r.v[COL_ID].i, "who", (json_int_t)who,
					"level", "senior_officials", "status", meetings_shown[i].rep);
		if (strcmp(meetings_shown[i].rep, "attended") == 0)   /* a report due long ago, not written */
			json_object_set_new(rep, "report_due", json_string("2026-01-15"));
		if (add(m, c, "representations", rep, &r))
			return -1;
	}
	return 0;
}

int meetings_demo(store *st, const registry *reg, char *err, size_t errlen)
{
	return bulk_few(st, reg, &demo_user, write_all, "demo meetings", err, errlen);
}
