/*
 * dayfeed — see dayfeed.h.  Records from FEED_PAST_DAYS back onward, at
 * most FEED_MAX of them, soonest first; an archived record leaves the feed.
 */
#include "domains/dayfeed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "model/i18n.h"
#include "model/today.h"

#define FEED_PAST_DAYS 90
#define FEED_MAX 500

int64_t day_feed_midnight(const char *day, int n)
{
	char next[11], at[32];
	time_t t;
	if (clock_add_days(day, n, next))
		return 0;
	snprintf(at, sizeof at, "%sT00:00:00Z", next);
	return clock_parse_time(at, &t) == 0 ? (int64_t)t : 0;
}

const char *day_feed_in_lang(json_t *v, int lang)
{
	const int order[] = { lang, LANG_EN, LANG_FR, LANG_ES };
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const char *s = json_string_value(json_object_get(v, registry_langs[order[i]]));
		if (s && *s)
			return s;
	}
	return "";
}

/* The calendar in lang for m's user into out; 0, or -1 with m's error. */
static int write_calendar(model_ctx *m, const day_feed *f, const char *field, const char *value, int lang, buf *out)
{
	char today[11], since[11];
	today_date(today);
	clock_add_days(today, -FEED_PAST_DAYS, since);
	store_cond from = COND(f->first_day, OP_GE, sv_text(since));
	list_params lp = { field ? (const char *[]){ field } : NULL, field ? (const char *[]){ value } : NULL, field ? 1 : 0,
			   .sort = f->first_day, .limit = FEED_MAX, .extra = &from, .nextra = 1 };
	if (model_list(m, registry_find(m->reg, f->kind), &lp))
		return -1;
	json_t *page = json_loadb(m->body.data, m->body.len, 0, NULL), *items = json_object_get(page, "items"), *rec;
	ical_event *evs = arena_alloc(&m->a, (json_array_size(items) + 1) * sizeof *evs);
	size_t n = 0, i;
	json_array_foreach(items, i, rec)
		n += f->event(m, rec, lang, &evs[n]) == 0;
	ical_write_feed(evs, n, i18n_text(lang, f->name), out);
	json_decref(page);
	return 0;
}

void day_feed_answer(request *r, const user *reader, const day_feed *f, const char *field, const char *value)
{
	const char *asked = http_query(r, "lang");
	int lang = i18n_lang(asked ? asked : reader->language);
	if (asked && lang < 0) {
		http_problem(r, 400, "Bad request", "lang must be en, fr or es");
		return;
	}
	lang = lang < 0 ? LANG_EN : lang;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, reader);
	buf out = BUF_INIT;
	if (write_calendar(&m, f, field, value, lang, &out)) {
		http_model(r, &m);
	} else {
		http_text(r, 200, "text/calendar; charset=utf-8", buf_str(&out), out.len);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "inline; filename=\"%s-%s.ics\"", f->file,
								       registry_langs[lang]));
	}
	buf_free(&out);
	model_done(&m);
}
