/*
 * priority — how much a meeting matters, by rules written as data
 * (meeting-priority-rules, edited by administrators).
 *
 * A rule holds conditions (a level; topics, one of which the meeting must
 * have; Member States, one of which must take part; an organizer) and
 * points.  An active rule whose every condition holds adds its points; the
 * score is their sum, and the thresholds of the settings (settings.c) make
 * it high, medium or low.  A priority set by hand (priority_override, with
 * its reason) takes the place of the score's, which is still kept.
 *
 * The score is computed in the meeting's validate step, on every write of
 * it; and when a rule is written (created, changed, archived) every meeting
 * is scored again in the same transaction, each one whose score changed
 * written with the action "rescore" in its audit trail.  Meetings are a few
 * hundred a year: that is cheap, and no meeting shows a score from rules
 * that no longer hold.
 *
 * Why is kept as facts (priority_facts, JSON): the score, the thresholds,
 * the override, and per rule matched its id, name, points and the value of
 * each condition that held; the meeting's page says it in the reader's
 * language (pages.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "domains/meetings/meetings.h"
#include "model/model.h"

static const char *const rule_cols[] = { "id", "name", "active", "level", "topics", "member_states", "organizer", "points" };
enum { R_ID, R_NAME, R_ACTIVE, R_LEVEL, R_TOPICS, R_STATES, R_ORGANIZER, R_POINTS };

typedef struct scoring {
	model_ctx *m;
	const char *level;
	json_t *topics, *states;   /* the meeting's lists */
	int64_t organizer;         /* 0 when none */
	int64_t score;
	json_t *matched;           /* [{rule, name, points, level?, topic?, member_state?, organizer?}] */
} scoring;

static json_t *list_of(const char *s) { return json_loads(s ? s : "[]", 0, NULL); }

/* Whether two items are the same words, case and accents aside ("Migración laboral", "migracion laboral"). */
static int same_words(const char *a, const char *b)
{
	buf x = BUF_INIT, y = BUF_INIT;
	text_fold(&x, a, strlen(a));
	text_fold(&y, b, strlen(b));
	int same = strcmp(buf_str(&x), buf_str(&y)) == 0;
	buf_free(&x);
	buf_free(&y);
	return same;
}

/* The first item of the meeting's list that the rule's list (JSON text) holds too, or NULL. */
static const char *shared_item(model_ctx *m, const char *rule_list, json_t *meeting_list)
{
	json_t *want = list_of(rule_list), *x, *y;
	const char *hit = NULL;
	size_t i, j;
	json_array_foreach(meeting_list, j, y) {
		json_array_foreach(want, i, x) {
			if (!hit && json_string_value(x) && json_string_value(y) &&
			    same_words(json_string_value(x), json_string_value(y)))
				hit = arena_strdup(&m->a, json_string_value(y));
		}
	}
	json_decref(want);
	return hit;
}

static int is_empty_list(const char *s) { return !s || strcmp(s, "[]") == 0; }

static int try_rule(void *ctx, store_row *row)
{
	scoring *sc = ctx;
	if (!store_isnull(row, R_ACTIVE) && store_int(row, R_ACTIVE) == 0)
		return 0;
	const char *level = store_text(row, R_LEVEL, NULL), *topics = store_text(row, R_TOPICS, NULL);
	const char *states = store_text(row, R_STATES, NULL);
	int64_t organizer = store_isnull(row, R_ORGANIZER) ? 0 : store_int(row, R_ORGANIZER);
	if (level && (!sc->level || strcmp(level, sc->level) != 0))
		return 0;
	if (organizer && organizer != sc->organizer)
		return 0;
	const char *topic = is_empty_list(topics) ? NULL : shared_item(sc->m, topics, sc->topics);
	const char *state = is_empty_list(states) ? NULL : shared_item(sc->m, states, sc->states);
	if ((!is_empty_list(topics) && !topic) || (!is_empty_list(states) && !state))
		return 0;
	int64_t points = store_int(row, R_POINTS);
	sc->score += points;
	json_t *fact = json_pack("{s:I, s:s?, s:I}", "rule", (json_int_t)store_int(row, R_ID), "name",
				 store_text(row, R_NAME, NULL), "points", (json_int_t)points);
	if (level)
		json_object_set_new(fact, "level", json_string(level));
	if (topic)
		json_object_set_new(fact, "topic", json_string(topic));
	if (state)
		json_object_set_new(fact, "member_state", json_string(state));
	if (organizer)
		json_object_set_new(fact, "organizer", json_integer(organizer));
	json_array_append_new(sc->matched, fact);
	return 0;
}

static const char *priority_of(int64_t score)
{
	const meetings_config *cfg = meetings_settings();
	return score >= cfg->high ? "high" : score >= cfg->medium ? "medium" : "low";
}

/* The facts as the record keeps them, in m's arena. */
static const char *facts_text(model_ctx *m, const scoring *sc, const char *computed, const char *override)
{
	const meetings_config *cfg = meetings_settings();
	json_t *facts = json_pack("{s:I, s:s, s:{s:i, s:i}, s:O}", "score", (json_int_t)sc->score, "computed", computed,
				  "thresholds", "high", cfg->high, "medium", cfg->medium, "rules", sc->matched);
	if (override)
		json_object_set_new(facts, "override", json_string(override));
	char *text = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	const char *out = text ? arena_strdup(&m->a, text) : NULL;
	free(text);
	json_decref(facts);
	return out;
}

int meetings_score(model_ctx *m, store_conn *c, record *r)
{
	const store_value *org = record_field(r, "organizer");
	scoring sc = { m, record_text(r, "level"), list_of(record_text(r, "topics")), list_of(record_text(r, "member_states")),
		       org->type == SV_INT ? org->i : 0, 0, json_array() };
	store_cond where[] = { COND_EQ("archived", SV_INT_(0)) };
	store_order order[] = { { "id", 0, NOT_NULL } };
	store_select q = { .table = meeting_priority_rules.table, .cols = rule_cols, .ncols = (int)COUNT(rule_cols),
			   .where = where, .nwhere = 1, .order = order, .norder = 1 };
	int rc = store_query(c, &q, try_rule, &sc);
	if (rc == STORE_OK) {
		const char *computed = priority_of(sc.score), *override = record_text(r, "priority_override");
		*record_field(r, "priority_score") = SV_INT_(sc.score);
		*record_field(r, "priority") = sv_text(override ? override : computed);
		*record_field(r, "priority_facts") = sv_text(facts_text(m, &sc, computed, override));
	}
	json_decref(sc.topics);
	json_decref(sc.states);
	json_decref(sc.matched);
	return rc == STORE_OK ? 0 : model_fail(m, 500, "Store error", "the priority rules could not be read");
}

/* ---- a rule changed: every meeting again ---------------------------------------------------- */

/* One meeting scored again and written when its score, priority or facts changed. */
static int rescore(model_ctx *m, store_conn *c, const entity *me, int64_t id)
{
	record before;
	if (model_load(m, c, me, id, &before))
		return -1;
	record after = model_copy(m, &before);
	if (meetings_score(m, c, &after))
		return -1;
	if (!model_changed(&before, &after))
		return 0;
	return model_write_record(m, c, &after, &before, "rescore");
}

int meetings_rescore_all(model_ctx *m, store_conn *c, const entity *e, record *rule)
{
	(void)e;
	(void)rule;
	const entity *me = registry_find(m->reg, "meetings");
	static const char *const id_col[] = { "id" };
	store_cond where[] = { COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = me->def->table, .cols = id_col, .ncols = 1, .where = where, .nwhere = 1 };
	model_ids l;
	if (model_select_ids(m, c, &q, &l) != STORE_OK)
		return model_fail(m, 500, "Store error", "the meetings could not be scored again");
	for (size_t i = 0; i < l.n; i++)
		if (rescore(m, c, me, l.v[i]))
			return -1;
	return 0;
}
