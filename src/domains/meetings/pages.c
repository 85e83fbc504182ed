/*
 * pages — the meeting's page: the generic record page, with its priority
 * said in the reader's language from the facts the score kept (which rules
 * matched, by which of their conditions, for how many points; the priority
 * set by hand and why) and the representation gap: whether anyone is
 * confirmed to go.
 *
 *   GET /meetings/{id}
 */
#include <inttypes.h>
#include <string.h>

#include "domains/meetings/meetings.h"
#include "web/web.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

static const char *number(page *p, json_int_t n) { return arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT, n); }

static const char *ref_text(page *p, const char *kind, json_t *value)
{
	json_t *v = view_ref(p, kind, value);
	const char *out = arena_strdup(&p->r->a, text_of(v, "text") ? text_of(v, "text") : "");
	json_decref(v);
	return out;
}

/* One matched rule: "“Ministerial meetings” (+30): the level is Ministerial; a topic is labour migration". */
static const char *rule_line(page *p, const entity *e, json_t *fact)
{
	buf b = BUF_INIT;
	json_int_t points = json_integer_value(json_object_get(fact, "points"));
	i18n_fill(&b, page_tr(p, N_("“{1}” ({2} points)")),
		  (const char *[]){ text_of(fact, "name"), arena_printf(&p->r->a, "%+" JSON_INTEGER_FORMAT, points) }, 2);
	const char *level = text_of(fact, "level"), *topic = text_of(fact, "topic"), *state = text_of(fact, "member_state");
	json_t *organizer = json_object_get(fact, "organizer");
	const char *parts[4];
	int n = 0;
	if (level)
		parts[n++] = page_say(p, N_("the level is {1}"), (const char *[]){ view_enum_label(p, entity_field(e, "level"), level) }, 1);
	if (topic)
		parts[n++] = page_say(p, N_("a topic is {1}"), &topic, 1);
	if (state)
		parts[n++] = page_say(p, N_("{1} takes part"), (const char *[]){ ref_text(p, "countries", json_object_get(fact, "member_state")) }, 1);
	if (organizer)
		parts[n++] = page_say(p, N_("the organizer is {1}"), (const char *[]){ ref_text(p, "organizations", organizer) }, 1);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "; " : ": ", parts[i]);
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* ctx.priority: {label, score, rules: [line], none, override, reason, computed}. */
static void priority_view(page *p, const entity *e, json_t *rec)
{
	json_t *facts = json_loads(text_of(rec, "priority_facts") ? text_of(rec, "priority_facts") : "", 0, NULL), *fact;
	if (!json_is_object(facts))
		return;
	const field_def *pf = entity_field(e, "priority");
	json_t *v = json_object(), *lines = json_array();
	size_t i;
	json_array_foreach(json_object_get(facts, "rules"), i, fact)
		json_array_append_new(lines, json_string(rule_line(p, e, fact)));
	json_object_set_new(v, "label", json_string(view_enum_label(p, pf, text_of(rec, "priority"))));
	json_t *th = json_object_get(facts, "thresholds");
	json_object_set_new(v, "score", json_string(page_say(p, N_("Score {1}: high from {2}, medium from {3}."),
						      (const char *[]){ number(p, json_integer_value(json_object_get(facts, "score"))),
								number(p, json_integer_value(json_object_get(th, "high"))),
								number(p, json_integer_value(json_object_get(th, "medium"))) }, 3)));
	if (!json_array_size(lines))
		json_object_set_new(v, "none", json_string(page_tr(p, N_("No rule matched this meeting."))));
	json_object_set_new(v, "rules", lines);
	if (text_of(facts, "override")) {
		json_object_set_new(v, "override", json_string(page_say(p, N_("Set by hand; the score alone makes it {1}."),
								    (const char *[]){ view_enum_label(p, pf, text_of(facts, "computed")) }, 1)));
		json_object_set_new(v, "reason", json_string(text_of(rec, "override_reason") ? text_of(rec, "override_reason") : ""));
	}
	json_object_set_new(p->ctx, "priority", v);
	json_decref(facts);
}

/* ctx.gap: whether anyone is confirmed to go (confirmed, attended or reported). */
static void gap_view(page *p, json_t *rec)
{
	const entity *re = registry_find(&p->r->app->reg, "representations");
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	store_cond going[] = { COND_EQ("status", sv_text("confirmed")), COND_EQ("status", sv_text("attended")),
			       COND_EQ("status", sv_text("reported")) };
	store_cond w[] = { COND_EQ("meeting", SV_INT_(json_integer_value(json_object_get(rec, "id")))),
			   { .op = OP_ANY, .sub = going, .nsub = 3 } };
	list_params lp = { .extra = w, .nextra = 2 };
	int64_t n = 0;
	if (model_count(&m, re, &lp, 0, &n) == 0) {
		int urgent = n == 0 && text_of(rec, "priority") && strcmp(text_of(rec, "priority"), "high") == 0;
		const char *text = n ? page_say(p, N_("Representatives confirmed: {1}."), (const char *[]){ number(p, n) }, 1)
				     : page_tr(p, N_("Nobody is confirmed to represent the organization yet."));
		json_object_set_new(p->ctx, "gap", json_pack("{s:s, s:b}", "text", text, "urgent", urgent));
		json_object_set_new(p->ctx, "represent_href", json_string(arena_printf(&p->r->a, "/representations?meeting=%" JSON_INTEGER_FORMAT,
									       json_integer_value(json_object_get(rec, "id")))));
	}
	model_done(&m);
}

void meeting_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		const entity *e = registry_find(&r->app->reg, "meetings");
		json_t *rec = records_load(&p, e, r->params[0]);
		if (rec) {
			priority_view(&p, e, rec);
			gap_view(&p, rec);
			records_detail_render(&p, e, rec, "meeting");
			json_decref(rec);
		}
	}
	page_end(&p);
}
