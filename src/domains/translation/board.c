/*
 * board — the translation manager's page: the jobs that are not done, in
 * a column per state with the late ones marked, and each translator's
 * workload (open jobs, their words, the next deadline).  It reads the open
 * jobs once through the generic list, as the reader may see them: the cost
 * follows the open jobs, not all the jobs ever made.
 *
 *   GET /translation
 */
#include <inttypes.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "model/today.h"
#include "web/web.h"

#define BOARD_MAX 500   /* jobs a column lists */

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }
static json_int_t int_of(json_t *o, const char *name) { return json_integer_value(json_object_get(o, name)); }

static const char *date(page *p, const char *iso)
{
	if (!iso)
		return NULL;
	buf b = BUF_INIT;
	page_date(p, iso, &b);
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The jobs in a state, soonest due first, as the API lists them. */
static json_t *jobs_in(page *p, const entity *e, const char *state)
{
	list_params lp = { .names = (const char *[]){ "status" }, .values = &state, .nfilters = 1, .sort = "due_on",
			   .limit = BOARD_MAX };
	return view_list_items(p, e, &lp);
}

/* A translator's open work, summed as the columns are read. */
typedef struct load {
	json_int_t who;
	int64_t jobs, words;
	const char *due;
} load;

/* The deadline is copied into a: the job it comes from is freed once its column is read. */
static void add_load(arena *a, load *v, size_t *n, json_t *job)
{
	json_int_t who = int_of(job, "translator");
	if (!who)
		return;
	size_t i = 0;
	while (i < *n && v[i].who != who)
		i++;
	if (i == *n)
		v[(*n)++] = (load){ .who = who };
	v[i].jobs++;
	v[i].words += int_of(job, "word_count");
	const char *due = text_of(job, "due_on");
	if (due && (!v[i].due || strcmp(due, v[i].due) < 0))
		v[i].due = arena_strdup(a, due);
}

static json_t *card(page *p, const entity *e, json_t *job, const char *today)
{
	const field_def *lang = entity_field(e, "target_language");
	const char *due = text_of(job, "due_on");
	json_t *who = int_of(job, "translator") ? view_ref(p, "users", json_object_get(job, "translator")) : NULL;
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", text_of(job, "title") ? text_of(job, "title") : "",
			      "href", arena_printf(&p->r->a, "/translation-jobs/%" JSON_INTEGER_FORMAT, int_of(job, "id")),
			      "langs", arena_printf(&p->r->a, "%s → %s", view_enum_label(p, lang, text_of(job, "source_language")),
						    view_enum_label(p, lang, text_of(job, "target_language"))),
			      "words", page_say(p, N_("{1} words"), (const char *[]){ page_number(p, int_of(job, "word_count")) }, 1),
			      "overdue", due && strcmp(due, today) < 0);
	if (due)
		json_object_set_new(c, "due", json_string(date(p, due)));
	if (who && text_of(who, "text"))
		json_object_set_new(c, "translator", json_string(text_of(who, "text")));
	json_decref(who);
	return c;
}

void translation_board_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) != 0) {
		page_end(&p);
		return;
	}
	const entity *e = registry_find(&r->app->reg, "translation-jobs");
	if (!access_kind(page_user(&p), e, OP_READ)) {
		page_error(&p, 403, NULL);
		page_end(&p);
		return;
	}
	static const char *const open_states[] = { "queued", "translating", "revising" };
	char today[11];
	today_date(today);
	const field_def *status = entity_field(e, "status");
	json_t *columns = json_array();
	load *loads = arena_alloc(&r->a, BOARD_MAX * COUNT(open_states) * sizeof *loads);
	size_t nloads = 0;
	for (size_t s = 0; s < COUNT(open_states); s++) {
		json_t *jobs = jobs_in(&p, e, open_states[s]), *cards = json_array(), *job;
		size_t i;
		json_array_foreach(jobs, i, job) {
			json_array_append_new(cards, card(&p, e, job, today));
			add_load(&r->a, loads, &nloads, job);
		}
		json_array_append_new(columns, json_pack("{s:s, s:s, s:s, s:o, s:b}", "state", open_states[s], "label",
							 view_enum_label(&p, status, open_states[s]), "count",
							 page_number(&p, (int64_t)json_array_size(jobs)), "jobs", cards, "has_jobs",
							 json_array_size(jobs) > 0));
		json_decref(jobs);
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < nloads; i++) {
		json_t *id = json_integer(loads[i].who), *who = view_ref(&p, "users", id);
		json_decref(id);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name",
						      text_of(who, "text") ? text_of(who, "text") : "",
						      "jobs", page_number(&p, loads[i].jobs), "words", page_number(&p, loads[i].words),
						      "due", loads[i].due ? date(&p, loads[i].due) : "",
						      "overdue", loads[i].due && strcmp(loads[i].due, today) < 0));
		json_decref(who);
	}
	json_object_set_new(p.ctx, "columns", columns);
	json_object_set_new(p.ctx, "load", rows);
	json_object_set_new(p.ctx, "has_load", json_boolean(nloads > 0));
	page_render(&p, 200, "translation_board", page_tr(&p, N_("Translation")));
	page_end(&p);
}
