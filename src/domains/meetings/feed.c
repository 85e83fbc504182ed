/*
 * feed — the tracker as a calendar to subscribe to, one per language:
 *
 *   GET /api/v1/meetings/calendar.ics?lang=fr            with the caller's credentials
 *   GET /api/v1/meetings/calendar/{secret}.ics?lang=fr   by a calendar link's secret alone
 *
 * The second is for calendar programs, which send no credentials: the
 * secret of a user's or a division's calendar link (model/calendarfeeds.h,
 * the one their briefings' calendar has) stands for its owner, as whom the
 * list is read.  The language is the one asked for, else the reader's.
 *
 * METHOD:PUBLISH, one all-day event per meeting (its first day to the day
 * after its last), its title, place and description in that language:
 * level, priority, whether it is held online.  The list is asked of
 * the model as the caller, so access decides what it holds, as for every
 * list; an archived meeting leaves it.  Meetings from FEED_PAST_DAYS back
 * onward, at most FEED_MAX of them, soonest first.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "formats/ical.h"
#include "model/calendarfeeds.h"
#include "model/i18n.h"

#define FEED_PAST_DAYS 90
#define FEED_MAX 500

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

/* Midnight UTC of a YYYY-MM-DD date, n days on; 0 when it is no date. */
static int64_t midnight(const char *day, int n)
{
	char next[11], at[32];
	time_t t;
	if (clock_add_days(day, n, next))
		return 0;
	snprintf(at, sizeof at, "%sT00:00:00Z", next);
	return clock_parse_time(at, &t) == 0 ? (int64_t)t : 0;
}

/* A multilingual value in lang, else in the first language it has. */
static const char *in_lang(json_t *v, int lang)
{
	const int order[] = { lang, LANG_EN, LANG_FR, LANG_ES };
	for (size_t i = 0; i < COUNT(order); i++) {
		const char *s = text_of(v, registry_langs[order[i]]);
		if (s && *s)
			return s;
	}
	return "";
}

static const char *label_of(const char *const *values, const char *const *labels, const char *value, int lang)
{
	int i = enum_index(values, value);
	return i < 0 ? NULL : i18n_text(lang, labels[i]);
}

/* "Level: Ministerial\nPriority: High (score 70)", in lang. */
static const char *description(model_ctx *m, json_t *mt, int lang)
{
	buf b = BUF_INIT;
	const char *level = label_of(meeting_levels, meeting_level_labels, text_of(mt, "level"), lang);
	const char *priority = label_of(meeting_priorities, meeting_priority_labels, text_of(mt, "priority"), lang);
	if (level)
		buf_printf(&b, "%s %s\n", i18n_text(lang, N_("Level:")), level);
	if (priority)
		buf_printf(&b, "%s %s (%" JSON_INTEGER_FORMAT ")\n", i18n_text(lang, N_("Priority:")), priority,
			   json_integer_value(json_object_get(mt, "priority_score")));
	if (json_is_true(json_object_get(mt, "virtual")))
		buf_printf(&b, "%s\n", i18n_text(lang, N_("Held online.")));
	const char *out = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

static int meeting_event(model_ctx *m, json_t *mt, int lang, ical_event *ev)
{
	const char *first = text_of(mt, "starts_on"), *last = text_of(mt, "ends_on");
	int64_t start = midnight(first, 0), end = midnight(last ? last : first, 1);
	if (!start || !end)
		return -1;
	const char *from = desk()->from_addr, *domain = strchr(from, '@');
	*ev = (ical_event){
		.uid = arena_printf(&m->a, "meeting-%" JSON_INTEGER_FORMAT "%s", json_integer_value(json_object_get(mt, "id")),
				    domain ? domain : "@liaison.invalid"),
		.sequence = json_integer_value(json_object_get(mt, "version")),
		.start = start, .end = end, .stamp = (int64_t)time(NULL), .all_day = 1,
		.summary = in_lang(json_object_get(mt, "title"), lang), .location = text_of(mt, "place"),
		.description = description(m, mt, lang), .organizer = { desk()->from_name, from },
		.cancelled = text_of(mt, "status") && strcmp(text_of(mt, "status"), "cancelled") == 0,
	};
	return 0;
}

/* The calendar in lang for m's user into out; 0, or -1 with m's error. */
static int write_calendar(model_ctx *m, int lang, buf *out)
{
	char today[32], since[11];
	clock_now_iso(today);
	today[10] = '\0';
	clock_add_days(today, -FEED_PAST_DAYS, since);
	store_cond from = COND("starts_on", OP_GE, sv_text(since));
	list_params lp = { .sort = "starts_on", .limit = FEED_MAX, .extra = &from, .nextra = 1 };
	if (model_list(m, registry_find(m->reg, "meetings"), &lp))
		return -1;
	json_t *page = json_loadb(m->body.data, m->body.len, 0, NULL), *items = json_object_get(page, "items"), *mt;
	ical_event *evs = arena_alloc(&m->a, (json_array_size(items) + 1) * sizeof *evs);
	size_t n = 0, i;
	json_array_foreach(items, i, mt)
		n += meeting_event(m, mt, lang, &evs[n]) == 0;
	ical_write_feed(evs, n, i18n_text(lang, N_("International meetings")), out);
	json_decref(page);
	return 0;
}

/* The calendar as reader reads it, in ?lang= or the reader's language. */
static void answer(request *r, const user *reader)
{
	const char *asked = http_query(r, "lang");
	int lang = i18n_lang(asked ? asked : reader->language);
	if (asked && lang < 0) {
		http_problem(r, 400, "Bad request", "lang must be en, fr or es");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, reader);
	buf out = BUF_INIT;
	if (write_calendar(&m, lang < 0 ? LANG_EN : lang, &out)) {
		http_model(r, &m);
	} else {
		http_text(r, 200, "text/calendar; charset=utf-8", buf_str(&out), out.len);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "inline; filename=\"meetings-%s.ics\"",
								       registry_langs[lang < 0 ? LANG_EN : lang]));
	}
	buf_free(&out);
	model_done(&m);
}

void meetings_feed(request *r) { answer(r, r->u); }

void meetings_feed_by_link(request *r)
{
	char secret[65];
	calendar_feed f;
	account acct;
	if (calendar_feed_secret(r->params[0], secret) || calendar_feed_find(r->app->st, secret, &f) ||
	    calendar_feed_reader(r->app->st, &f, &acct)) {
		http_problem(r, 404, "Not found", "no calendar has this link; it may have been renewed");
		return;
	}
	answer(r, &acct.u);
	http_header_add(r, "Cache-Control", "private, no-store");   /* the link is a credential */
}
