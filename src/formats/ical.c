/*
 * ical — iCalendar (RFC 5545) writer; see ical.h.
 *
 * An invitation is one VCALENDAR holding one VEVENT, with the iTIP method
 * (RFC 5546) that mail clients need to show "accept / decline" buttons:
 * REQUEST when there is someone to invite, CANCEL for an event called off,
 * PUBLISH when there is nobody to invite.  RFC 5546's tables decide what
 * each method holds: ORGANIZER always (the caller gives it), ATTENDEE at
 * least once in a REQUEST and never in a PUBLISH, SEQUENCE in a CANCEL.
 * A subscription feed is PUBLISH too, with many events.
 *
 * Every content line is written through one small line writer that counts
 * the octets on the current physical line and folds (CRLF + one space)
 * before a piece that would pass 75.  The pieces it is handed are whole
 * UTF-8 characters or whole escapes ("\;" "\n"), so a fold never splits a
 * character or an escape: the RFC would allow splitting a character, but
 * several readers decode each physical line before unfolding and then show
 * replacement characters.
 */
#include "formats/ical.h"
#include "formats/contentline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LAST_TIME       INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static int empty(const char *s) { return !s || !*s; }

static void raw_prop(buf *b, const char *name, const char *value)
{
	cl_line l = cl_begin(b, name);
	cl_piece(&l, ":", 1);
	cl_put(&l, value, CL_RAW);
	cl_end(&l);
}

/* The seconds t (since 1970, UTC or a zone's wall time alike) written with
 * strftime's fmt into out (size bytes).  Times outside years 1970–9999 are
 * clamped: the forms have exactly four year digits and a calendar has no
 * use for earlier. */
static void clock_text(int64_t t, const char *fmt, char *out, size_t size)
{
	time_t tt = (time_t)(t < 0 ? 0 : t > LAST_TIME ? LAST_TIME : t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, size, fmt, &tm))
		snprintf(out, size, "19700101T000000");
}

/* 20240315T083000Z */
static void utc_prop(buf *b, const char *name, int64_t t)
{
	char out[20];
	clock_text(t, "%Y%m%dT%H%M%SZ", out, sizeof out);
	raw_prop(b, name, out);
}

/* 20240315T100000 with ;TZID=: the wall time t reads in the event's zone (3.3.5, form 3). */
static void local_prop(buf *b, const char *name, const ical_event *ev, int64_t t)
{
	t = t < 0 ? 0 : t > LAST_TIME ? LAST_TIME : t;
	char out[20], full[128];
	clock_text(t + tz_offset(ev->zone, t), "%Y%m%dT%H%M%S", out, sizeof out);
	snprintf(full, sizeof full, "%s;TZID=%s", name, ev->tzid);
	raw_prop(b, full, out);
}

/* 20240315, as VALUE=DATE: a day in no zone, for events of whole days (3.3.4). */
static void date_prop(buf *b, const char *name, int64_t t)
{
	char out[16], full[32];
	clock_text(t, "%Y%m%d", out, sizeof out);
	snprintf(full, sizeof full, "%s;VALUE=DATE", name);
	raw_prop(b, full, out);
}

/* Whether the event's times are written as its zone's wall times. */
static int zoned(const ical_event *e) { return !e->all_day && e->zone && !empty(e->tzid); }

/* How the event's times are written: days, its zone's wall times, or UTC. */
static void time_prop(buf *b, const char *name, const ical_event *ev, int64_t t)
{
	if (ev->all_day)
		date_prop(b, name, t);
	else if (zoned(ev))
		local_prop(b, name, ev, t);
	else
		utc_prop(b, name, t);
}

/* A quoted-string is needed when the name holds a character that would
 * otherwise end the parameter (3.2: ":" ";" ","). */
static int needs_quotes(const char *s)
{
	return strpbrk(s, ":;,") != NULL;
}

/* ORGANIZER / ATTENDEE: ";CN=..." when there is a name, then the address.
 * A person without an address cannot be invited and is left out. */
static void person_prop(buf *b, const char *name, const char *params, const ical_person *p)
{
	if (empty(p->email))
		return;
	cl_line l = cl_begin(b, name);
	if (!empty(p->name)) {
		int quote = needs_quotes(p->name);
		cl_put(&l, ";CN=", CL_RAW);
		if (quote)
			cl_piece(&l, "\"", 1);
		cl_put(&l, p->name, CL_PARAM);
		if (quote)
			cl_piece(&l, "\"", 1);
	}
	cl_put(&l, params, CL_RAW);
	cl_put(&l, ":mailto:", CL_RAW);
	cl_put(&l, p->email, CL_RAW);
	cl_end(&l);
}

static void write_event(buf *b, const ical_event *ev, ical_method method)
{
	buf_puts(b, "BEGIN:VEVENT\r\n");
	cl_text_prop(b, "UID", ev->uid);
	buf_printf(b, "SEQUENCE:%lld\r\n", (long long)(ev->sequence > 0 ? ev->sequence : 0));
	utc_prop(b, "DTSTAMP", ev->stamp);
	time_prop(b, "DTSTART", ev, ev->start);
	time_prop(b, "DTEND", ev, ev->end);
	cl_text_prop(b, "SUMMARY", ev->summary);
	cl_text_prop(b, "DESCRIPTION", ev->description);
	cl_text_prop(b, "LOCATION", ev->location);
	person_prop(b, "ORGANIZER", "", &ev->organizer);
	for (size_t i = 0; method != ICAL_PUBLISH && ev->attendees && i < ev->nattendees; i++)
		person_prop(b, "ATTENDEE", ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE",
		            &ev->attendees[i]);
	buf_puts(b, ev->cancelled ? "STATUS:CANCELLED\r\n" : "STATUS:CONFIRMED\r\n");
	buf_puts(b, "END:VEVENT\r\n");
}

ical_method ical_method_of(const ical_event *ev)
{
	if (ev->cancelled)
		return ICAL_CANCEL;
	for (size_t i = 0; ev->attendees && i < ev->nattendees; i++) {
		if (!empty(ev->attendees[i].email))
			return ICAL_REQUEST;
	}
	return ICAL_PUBLISH;
}

const char *ical_method_name(ical_method m)
{
	return m == ICAL_REQUEST ? "REQUEST" : m == ICAL_CANCEL ? "CANCEL" : "PUBLISH";
}

/* ---- the zones the events' times are written in (3.6.5) ---- */

/* +0100, -0330, +053328: an offset east of UTC as 3.3.14 writes it. */
static void offset_prop(buf *b, const char *name, int32_t east)
{
	int32_t a = east < 0 ? -east : east;
	buf_printf(b, "%s:%c%02d%02d", name, east < 0 ? '-' : '+', (int)(a / 3600), (int)(a / 60 % 60));
	if (a % 60)
		buf_printf(b, "%02d", (int)(a % 60));
	buf_puts(b, "\r\n");
}

/* One observance: from the wall time (as read before it) the offset goes from one value to another. */
static void observance(buf *b, const char *kind, int64_t wall, int32_t from, int32_t to)
{
	char at[20];
	clock_text(wall, "%Y%m%dT%H%M%S", at, sizeof at);
	buf_printf(b, "BEGIN:%s\r\nDTSTART:%s\r\n", kind, at);
	offset_prop(b, "TZOFFSETFROM", from);
	offset_prop(b, "TZOFFSETTO", to);
	buf_printf(b, "END:%s\r\n", kind);
}

/*
 * The zone z as a VTIMEZONE that covers the instants from .. to: the
 * offset in force at from, then each change of offset until to.  Only the
 * changes the events need are written, not the zone's rules: a reader
 * takes an observance's onset and offsets as they are.  An offset above the
 * least one of the span is summer time (DAYLIGHT), the least is STANDARD.
 */
static void write_zone(buf *b, const char *tzid, const tz *z, int64_t from, int64_t to)
{
	int32_t least = tz_offset(z, from);
	for (int64_t t = tz_next_change(z, from); t <= to; t = tz_next_change(z, t))
		least = tz_offset(z, t) < least ? tz_offset(z, t) : least;
	buf_puts(b, "BEGIN:VTIMEZONE\r\n");
	cl_text_prop(b, "TZID", tzid);
	int32_t off = tz_offset(z, from);
	observance(b, off > least ? "DAYLIGHT" : "STANDARD", from + off, off, off);
	for (int64_t t = tz_next_change(z, from); t <= to; t = tz_next_change(z, t)) {
		int32_t now = tz_offset(z, t);
		if (now != off)
			observance(b, now > least ? "DAYLIGHT" : "STANDARD", t + off, off, now);
		off = now;
	}
	buf_puts(b, "END:VTIMEZONE\r\n");
}

/* A VTIMEZONE for each zone the n events are written in, spanning the events that use it: each zone's
 * span gathered in one pass over the events, in the order the zones first appear. */
static void write_zones(buf *b, const ical_event *evs, size_t n)
{
	struct span {
		const ical_event *first;
		int64_t from, to;
	} *spans = NULL;
	size_t nspans = 0;
	for (size_t i = 0; i < n; i++) {
		const ical_event *e = &evs[i];
		if (!zoned(e))
			continue;
		size_t k = 0;
		while (k < nspans && strcmp(spans[k].first->tzid, e->tzid) != 0)
			k++;
		if (k == nspans) {
			struct span *grown = realloc(spans, (nspans + 1) * sizeof *spans);
			if (!grown)
				break;
			spans = grown;
			spans[nspans++] = (struct span){ e, e->start, e->end };
		}
		spans[k].from = e->start < spans[k].from ? e->start : spans[k].from;
		spans[k].to = e->end > spans[k].to ? e->end : spans[k].to;
	}
	for (size_t k = 0; k < nspans; k++)
		write_zone(b, spans[k].first->tzid, spans[k].first->zone, spans[k].from, spans[k].to);
	free(spans);
}

static void begin_calendar(buf *out, ical_method method)
{
	buf_puts(out, "BEGIN:VCALENDAR\r\n"
	              "VERSION:2.0\r\n"
	              "PRODID:-//Liaison//Briefings//EN\r\n"
	              "CALSCALE:GREGORIAN\r\n");
	buf_printf(out, "METHOD:%s\r\n", ical_method_name(method));
}

void ical_write(const ical_event *ev, buf *out)
{
	ical_method method = ical_method_of(ev);
	begin_calendar(out, method);
	write_zones(out, ev, 1);
	write_event(out, ev, method);
	buf_puts(out, "END:VCALENDAR\r\n");
}

/* The name twice: RFC 7986's NAME, and X-WR-CALNAME, which the calendar
 * programs that predate it read.  Subscribers are asked to look again
 * every hour (RFC 7986 REFRESH-INTERVAL, and its older X- spelling). */
void ical_write_feed(const ical_event *evs, size_t n, const char *name, buf *out)
{
	begin_calendar(out, ICAL_PUBLISH);
	cl_text_prop(out, "NAME", name);
	cl_text_prop(out, "X-WR-CALNAME", name);
	buf_puts(out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
	              "X-PUBLISHED-TTL:PT1H\r\n");
	if (evs)
		write_zones(out, evs, n);
	for (size_t i = 0; evs && i < n; i++)
		write_event(out, &evs[i], ICAL_PUBLISH);
	buf_puts(out, "END:VCALENDAR\r\n");
}
