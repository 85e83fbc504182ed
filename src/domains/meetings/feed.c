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
 * level, priority, whether it is held online (domains/dayfeed.h does the
 * rest, as for the sessions' calendars).
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/dayfeed.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "formats/ical.h"
#include "model/calendarfeeds.h"
#include "model/i18n.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

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
	int64_t start = day_feed_midnight(first, 0), end = day_feed_midnight(last ? last : first, 1);
	if (!start || !end)
		return -1;
	const char *from = desk()->from_addr, *domain = strchr(from, '@');
	*ev = (ical_event){
		.uid = arena_printf(&m->a, "meeting-%" JSON_INTEGER_FORMAT "%s", json_integer_value(json_object_get(mt, "id")),
				    domain ? domain : "@liaison.invalid"),
		.sequence = json_integer_value(json_object_get(mt, "version")),
		.start = start, .end = end, .stamp = (int64_t)time(NULL), .all_day = 1,
		.summary = day_feed_in_lang(json_object_get(mt, "title"), lang), .location = text_of(mt, "place"),
		.description = description(m, mt, lang), .organizer = { desk()->from_name, from },
		.cancelled = text_of(mt, "status") && strcmp(text_of(mt, "status"), "cancelled") == 0,
	};
	return 0;
}

static const day_feed tracker = { "meetings", "starts_on", N_("International meetings"), "meetings", meeting_event };

void meetings_feed(request *r) { day_feed_answer(r, r->u, &tracker, NULL, NULL); }

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
	day_feed_answer(r, &acct.u, &tracker, NULL, NULL);
	http_header_add(r, "Cache-Control", "private, no-store");   /* the link is a credential */
}
