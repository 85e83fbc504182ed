/*
 * feeds — the governing bodies' sessions in the calendars people subscribe
 * to, one per language, with the caller's credentials:
 *
 *   GET /api/v1/sessions/calendar.ics?lang=fr          every session
 *   GET /api/v1/bodies/{series}/calendar.ics?lang=fr   one body's sessions
 *   GET /api/v1/sessions/{id}/calendar.ics?lang=fr     one session
 *
 * A session is an event from its opening day to its closing day: its
 * body's name and number in the language asked, its venue, and its state.
 * A session with an opening time (and a closing time) in its time zone is
 * an event from that time on its first day to that time on its last (the
 * day's end when it has none), written in the session's zone, which the
 * calendar describes (VTIMEZONE); one with days only is an all-day event
 * to the day after it closes (domains/dayfeed.h), in no zone.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "domains/dayfeed.h"
#include "domains/governance/governance.h"
#include "domains/inquiries/inquiries.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

/* "Council, session C/115": the body's name in lang, then the symbol; the session's own title when it has one. */
static const char *summary(model_ctx *m, json_t *s, int lang)
{
	const char *title = day_feed_in_lang(json_object_get(s, "title"), lang);
	record body;
	const char *name = NULL;
	if (model_read(m, registry_find(m->reg, "bodies"), text_of(s, "body"), &body) == 0) {
		char col[16];
		snprintf(col, sizeof col, "name_%s", registry_langs[lang]);
		name = record_text(&body, col) ? record_text(&body, col) : record_text(&body, "name_en");
	}
	if (*title)
		return arena_printf(&m->a, "%s (%s)", title, text_of(s, "symbol"));
	return arena_printf(&m->a, "%s%s%s", name ? name : "", name ? " — " : "", text_of(s, "symbol"));
}

/* A session with an opening time and a zone to place it in: its event from that time to the closing
 * time (or the end of the last day), in the zone's wall time; any other stays of whole days. */
static void timed(json_t *s, const char *first, const char *last, ical_event *ev)
{
	const char *zone = text_of(s, "time_zone");
	int opens = session_minutes(text_of(s, "opens_at")), closes = session_minutes(text_of(s, "closes_at"));
	const tz *z = zone ? tz_kept(zone) : NULL;
	if (opens < 0 || !z)
		return;
	ev->all_day = 0;
	ev->tzid = zone;
	ev->zone = z;
	ev->start = tz_to_utc(z, day_feed_midnight(first, 0) + 60 * (int64_t)opens);
	ev->end = tz_to_utc(z, closes < 0 ? day_feed_midnight(last, 1) : day_feed_midnight(last, 0) + 60 * (int64_t)closes);
}

static int session_event(model_ctx *m, json_t *s, int lang, ical_event *ev)
{
	const char *first = text_of(s, "starts_on"), *last = text_of(s, "ends_on");
	last = last ? last : first;
	int64_t start = day_feed_midnight(first, 0), end = day_feed_midnight(last, 1);
	if (!start || !end)
		return -1;
	const char *from = desk()->from_addr, *domain = strchr(from, '@');
	const char *status = text_of(s, "status");
	const field_def *f = entity_field(registry_find(m->reg, "sessions"), "status");
	int k = status ? enum_index(f->values, status) : -1;
	*ev = (ical_event){
		.uid = arena_printf(&m->a, "session-%" JSON_INTEGER_FORMAT "%s", json_integer_value(json_object_get(s, "id")),
				    domain ? domain : "@liaison.invalid"),
		.sequence = json_integer_value(json_object_get(s, "version")),
		.start = start, .end = end, .stamp = (int64_t)time(NULL), .all_day = 1,
		.summary = summary(m, s, lang), .location = text_of(s, "venue"),
		.description = k >= 0 ? i18n_text(lang, f->labels[k]) : NULL, .organizer = { desk()->from_name, from },
	};
	timed(s, first, last, ev);
	return 0;
}

static const day_feed calendar = { "sessions", "starts_on", N_("Sessions of the governing bodies"), "sessions",
				   session_event };

void sessions_feed(request *r) { day_feed_answer(r, r->u, &calendar, NULL, NULL); }
void body_sessions_feed(request *r) { day_feed_answer(r, r->u, &calendar, "body", r->params[0]); }
/* One session: the list of sessions filtered on its symbol, once the caller may read it. */
void session_feed(request *r)
{
	model_ctx m;
	record s;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (model_read(&m, registry_find(m.reg, "sessions"), r->params[0], &s))
		http_model(r, &m);
	else
		day_feed_answer(r, r->u, &calendar, "symbol", arena_strdup(&r->a, record_text(&s, "symbol")));
	model_done(&m);
}
