/*
 * test_ical — the iCalendar writer: the exact octets of one invitation,
 * TEXT escaping, CN quoting, folding of long UTF-8 values at every position
 * of a multi-byte character, the method an invitation takes, cancellation,
 * subscription feeds, absent members and broken input.  Every output is
 * also checked for the RFC's line shape: CRLF only, at most 75 octets a
 * physical line, valid UTF-8 on each; and read by an independent reader,
 * libical, whose iTIP check (icalrestriction_check: RFC 5546's tables of
 * what REQUEST, PUBLISH and CANCEL must and must not hold) must find
 * nothing wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libical/ical.h>

#include "formats/ical.h"
#include "contentlines.h"

/* 2025-03-18T09:30:00Z, 10:45:00Z, and 2025-03-10T14:05:09Z */
#define T_START INT64_C(1742290200)
#define T_END   INT64_C(1742294700)
#define T_STAMP INT64_C(1741615509)

/* The problems libical finds in a calendar, one a line ("" when none):
 * what its parser could not read and what its iTIP check refuses, both
 * reported as X-LIC-ERROR properties of the component concerned. */
static void lic_errors(icalcomponent *c, GString *out)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
		g_string_append_printf(out, "%s\n", icalproperty_get_xlicerror(p));
	for (icalcomponent *sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
	     sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		lic_errors(sub, out);
}

/* ics parsed by libical and put through its iTIP check; the caller frees
 * the component and the text of the problems. */
static icalcomponent *itip_read(const char *ics, char **problems)
{
	icalcomponent *c = icalparser_parse_string(ics);
	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	icalrestriction_check(c);
	GString *out = g_string_new(NULL);
	lic_errors(c, out);
	*problems = g_string_free(out, FALSE);
	return c;
}

/* ics read by libical without a problem, with the method wanted. */
static icalcomponent *itip_ok(const char *ics, icalproperty_method want)
{
	char *problems;
	icalcomponent *c = itip_read(ics, &problems);
	if (*problems)
		fail_msg("libical finds: %s in\n%s", problems, ics);
	g_free(problems);
	assert_int_equal(icalcomponent_get_method(c), want);
	return c;
}

static char *write_event(const ical_event *ev)
{
	buf b = BUF_INIT;
	ical_write(ev, &b);
	assert_folded(buf_str(&b));
	icalproperty_method want[] = { [ICAL_PUBLISH] = ICAL_METHOD_PUBLISH, [ICAL_REQUEST] = ICAL_METHOD_REQUEST,
				       [ICAL_CANCEL] = ICAL_METHOD_CANCEL };
	if (ev->uid && ev->organizer.email)   /* RFC 5546 needs both; the tests of absent members leave them out */
		icalcomponent_free(itip_ok(buf_str(&b), want[ical_method_of(ev)]));
	return buf_steal(&b);
}

/* The one unfolded content line that starts with prefix, or NULL. */
static char *find_line(const char *ics, const char *prefix)
{
	char *all = unfold(ics);
	size_t n = strlen(prefix);
	for (char *p = all; *p;) {
		char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		if (strncmp(p, prefix, n) == 0) {
			size_t len = (size_t)(eol - p);
			memmove(all, p, len);
			all[len] = '\0';
			return all;
		}
		p = eol + 2;
	}
	free(all);
	return NULL;
}

static void assert_line(const char *ics, const char *want)
{
	char *got = find_line(ics, want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void assert_no_line(const char *ics, const char *prefix)
{
	char *got = find_line(ics, prefix);
	if (got)
		fail_msg("unexpected line: %s", got);
}

static const ical_person guests[] = {
	{ "Amina Okonkwo", "amina.okonkwo@example.org" },
	{ "Jean Dupont", "j.dupont@mission-fr.example" },
};

static ical_event briefing(void)
{
	return (ical_event){
		.uid = "briefing-12@liaison.example",
		.sequence = 2,
		.start = T_START, .end = T_END, .stamp = T_STAMP,
		.summary = "Briefing: delegation of Peru",
		.description = "Overview of the department's partnerships.",
		.location = "Room B-104",
		.organizer = { "Front Office", "front.office@liaison.example" },
		.attendees = guests, .nattendees = 2,
	};
}

static void test_exact_invitation(void **state)
{
	(void)state;
	ical_event ev = briefing();
	char *got = write_event(&ev);
	assert_string_equal(got,
		"BEGIN:VCALENDAR\r\n"
		"VERSION:2.0\r\n"
		"PRODID:-//Liaison//Briefings//EN\r\n"
		"CALSCALE:GREGORIAN\r\n"
		"METHOD:REQUEST\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:briefing-12@liaison.example\r\n"
		"SEQUENCE:2\r\n"
		"DTSTAMP:20250310T140509Z\r\n"
		"DTSTART:20250318T093000Z\r\n"
		"DTEND:20250318T104500Z\r\n"
		"SUMMARY:Briefing: delegation of Peru\r\n"
		"DESCRIPTION:Overview of the department's partnerships.\r\n"
		"LOCATION:Room B-104\r\n"
		"ORGANIZER;CN=Front Office:mailto:front.office@liaison.example\r\n"
		/* 75 octets, then the rest after one space */
		"ATTENDEE;CN=Amina Okonkwo;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=T\r\n"
		" RUE:mailto:amina.okonkwo@example.org\r\n"
		"ATTENDEE;CN=Jean Dupont;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRU\r\n"
		" E:mailto:j.dupont@mission-fr.example\r\n"
		"STATUS:CONFIRMED\r\n"
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n");
	free(got);
}

static void test_text_escaping(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.summary = "Peru; Chile, and C:\\docs";
	ev.description = "First line\nsecond\r\nthird\rfourth\x01 end\ttab";
	ev.location = "Salle 3, bâtiment B";
	ev.uid = "a,b;c@liaison.example";
	char *got = write_event(&ev);
	assert_line(got, "SUMMARY:Peru\\; Chile\\, and C:\\\\docs");
	/* every form of line break is one \n; other controls are dropped */
	assert_line(got, "DESCRIPTION:First line\\nsecond\\nthird\\nfourth end\ttab");
	assert_line(got, "LOCATION:Salle 3\\, bâtiment B");
	assert_line(got, "UID:a\\,b\\;c@liaison.example");
	free(got);
}

static void test_cn_quoting(void **state)
{
	(void)state;
	const ical_person people[] = {
		{ "Ruiz, Ana", "ana@example.org" },
		{ "Dr. \"Bob\" Smith", "bob@example.org" },
		{ "Mission: Perú", "peru@example.org" },
		{ "Line\nbreak", "lb@example.org" },
	};
	ical_event ev = briefing();
	ev.organizer = (ical_person){ "Office; Front", "fo@example.org" };
	ev.attendees = people;
	ev.nattendees = 4;
	char *got = write_event(&ev);
	const char *tail = ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:";
	char want[256];
	assert_line(got, "ORGANIZER;CN=\"Office; Front\":mailto:fo@example.org");
	snprintf(want, sizeof want, "ATTENDEE;CN=\"Ruiz, Ana\"%sana@example.org", tail);
	assert_line(got, want);
	snprintf(want, sizeof want, "ATTENDEE;CN=Dr. Bob Smith%sbob@example.org", tail);
	assert_line(got, want);
	snprintf(want, sizeof want, "ATTENDEE;CN=\"Mission: Perú\"%speru@example.org", tail);
	assert_line(got, want);
	snprintf(want, sizeof want, "ATTENDEE;CN=Line break%slb@example.org", tail);
	assert_line(got, want);
	free(got);
}

/* A long French description, shifted by 0..5 octets so that each of its
 * two-, three- and four-octet characters falls across the 75th octet at
 * least once: no physical line may split one. */
static void test_fold_utf8(void **state)
{
	(void)state;
	const char *text =
		"Réunion d'information à l'intention de la délégation : présentation "
		"des activités du département, échanges sur les priorités — coopération "
		"régionale, élaboration des stratégies, 𝄞 intérêts communs et évaluation "
		"à mi-parcours ; déjeuner offert à 12 h 30 (coût : 25 €).";
	for (size_t shift = 0; shift < 6; shift++) {
		char desc[512];
		snprintf(desc, sizeof desc, "%.*s%s", (int)shift, "xxxxx", text);
		ical_event ev = briefing();
		ev.description = desc;
		char *got = write_event(&ev);   /* checks ≤ 75 octets and UTF-8 per line */

		/* unfolding gives back the text, escaped */
		char want[600];
		size_t j = (size_t)snprintf(want, sizeof want, "DESCRIPTION:");
		for (const char *p = desc; *p; p++) {
			if (*p == ',' || *p == ';')
				want[j++] = '\\';
			want[j++] = *p;
		}
		want[j] = '\0';
		assert_line(got, want);

		/* the description really was folded, more than once */
		const char *d = strstr(got, "DESCRIPTION:");
		const char *stop = strstr(d, "\r\nLOCATION:");
		int folds = 0;
		for (const char *p = d; p < stop; p++)
			folds += p[0] == '\r' && p[1] == '\n' && p[2] == ' ';
		assert_true(folds >= 3);
		free(got);
	}
}

/* The first physical line is cut short rather than split "é". */
static void test_fold_before_accent(void **state)
{
	(void)state;
	char desc[128];
	/* "DESCRIPTION:" is 12 octets; 62 more leave one octet for "é" (two) */
	memset(desc, 'a', 62);
	strcpy(desc + 62, "été");
	ical_event ev = briefing();
	ev.description = desc;
	char *got = write_event(&ev);
	const char *d = strstr(got, "DESCRIPTION:");
	const char *eol = strstr(d, "\r\n");
	assert_int_equal(eol - d, 74);
	assert_memory_equal(eol, "\r\n été\r\n", 10);
	free(got);
}

static void test_cancellation(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.cancelled = 1;
	ev.sequence = 3;
	char *got = write_event(&ev);
	assert_line(got, "METHOD:CANCEL");
	assert_line(got, "STATUS:CANCELLED");
	assert_line(got, "SEQUENCE:3");
	assert_line(got, "UID:briefing-12@liaison.example");
	assert_no_line(got, "METHOD:REQUEST");
	assert_no_line(got, "STATUS:CONFIRMED");
	/* the attendees are still named: they are whom the cancellation is for */
	assert_non_null(strstr(got, "mailto:amina.okonkwo@example.org"));
	free(got);
}

static void test_absent_members(void **state)
{
	(void)state;
	const ical_person people[] = {
		{ NULL, "anonymous@example.org" },
		{ "No Address", NULL },
		{ "Empty Address", "" },
	};
	ical_event ev = {
		.uid = "briefing-13@liaison.example",
		.start = T_START, .end = T_END, .stamp = T_STAMP,
		.organizer = { "Nobody", NULL },
		.attendees = people, .nattendees = 3,
	};
	char *got = write_event(&ev);
	assert_no_line(got, "SUMMARY");
	assert_no_line(got, "DESCRIPTION");
	assert_no_line(got, "LOCATION");
	assert_no_line(got, "ORGANIZER");
	assert_line(got, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
	                 "mailto:anonymous@example.org");
	assert_null(strstr(got, "No Address"));
	assert_null(strstr(got, "Empty Address"));
	assert_line(got, "SEQUENCE:0");
	assert_line(got, "STATUS:CONFIRMED");
	free(got);

	/* no attendee list at all, even with a count */
	ev.attendees = NULL;
	ev.nattendees = 5;
	got = write_event(&ev);
	assert_no_line(got, "ATTENDEE");
	assert_line(got, "END:VCALENDAR");
	free(got);
}

static void test_times(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.start = INT64_C(1709251199);   /* leap day, last second */
	ev.end = INT64_C(1709251200);
	ev.stamp = INT64_C(-5);          /* before 1970: clamped */
	ev.sequence = -4;                /* SEQUENCE is never negative */
	char *got = write_event(&ev);
	assert_line(got, "DTSTART:20240229T235959Z");
	assert_line(got, "DTEND:20240301T000000Z");
	assert_line(got, "DTSTAMP:19700101T000000Z");
	assert_line(got, "SEQUENCE:0");
	free(got);

	ev.end = INT64_MAX;   /* far beyond four year digits: clamped */
	got = write_event(&ev);
	assert_line(got, "DTEND:99991231T235959Z");
	free(got);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.summary = "caf\xC3 \xFF\xFEok \xED\xA0\x80 \xF0\x9F";   /* cut, stray, surrogate, cut */
	ev.organizer = (ical_person){ "Bad \xC0\xAF name", "fo@example.org" };
	char *got = write_event(&ev);   /* shape check covers UTF-8 validity */
	char *line = find_line(got, "SUMMARY:");
	assert_non_null(line);
	assert_non_null(strstr(line, "caf\xEF\xBF\xBD "));
	assert_non_null(strstr(line, "ok "));
	free(line);
	assert_non_null(strstr(got, "ORGANIZER;CN=Bad \xEF\xBF\xBD\xEF\xBF\xBD name:"));
	free(got);
}

/* ---- what libical reads --------------------------------------------------------- */

static int count_props(icalcomponent *c, icalproperty_kind kind)
{
	return icalcomponent_count_properties(c, kind);
}

static const char *param(icalproperty *p, icalparameter_kind kind)
{
	icalparameter *x = icalproperty_get_first_parameter(p, kind);
	assert_non_null(x);
	return icalparameter_as_ical_string(x);
}

/* A briefing with visitors to invite: REQUEST, every attendee asked to
 * answer, times in UTC. */
static void test_itip_request(void **state)
{
	(void)state;
	ical_event ev = briefing();
	assert_int_equal(ical_method_of(&ev), ICAL_REQUEST);
	char *got = write_event(&ev);
	icalcomponent *cal = itip_ok(got, ICAL_METHOD_REQUEST);
	icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_uid(e), "briefing-12@liaison.example");
	assert_int_equal(icalcomponent_get_sequence(e), 2);
	struct icaltimetype start = icalcomponent_get_dtstart(e);
	assert_true(icaltime_is_utc(start));
	assert_int_equal(icaltime_as_timet(start), T_START);
	assert_int_equal(icaltime_as_timet(icalcomponent_get_dtend(e)), T_END);
	icalproperty *org = icalcomponent_get_first_property(e, ICAL_ORGANIZER_PROPERTY);
	assert_non_null(org);
	assert_string_equal(icalproperty_get_organizer(org), "mailto:front.office@liaison.example");
	assert_int_equal(count_props(e, ICAL_ATTENDEE_PROPERTY), 2);
	icalproperty *a = icalcomponent_get_first_property(e, ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(icalproperty_get_attendee(a), "mailto:amina.okonkwo@example.org");
	assert_string_equal(param(a, ICAL_CN_PARAMETER), "CN=Amina Okonkwo");
	assert_string_equal(param(a, ICAL_ROLE_PARAMETER), "ROLE=REQ-PARTICIPANT");
	assert_string_equal(param(a, ICAL_PARTSTAT_PARAMETER), "PARTSTAT=NEEDS-ACTION");
	assert_string_equal(param(a, ICAL_RSVP_PARAMETER), "RSVP=TRUE");
	icalcomponent_free(cal);
	free(got);
}

/* Nobody with an address to invite: PUBLISH, which must name no attendee.
 * The same calendar sent as a REQUEST is what libical's check refuses: a
 * REQUEST needs an attendee (what Liaison wrote before). */
static void test_itip_publish_when_nobody_is_invited(void **state)
{
	(void)state;
	const ical_person nobody[] = { { "No Address", NULL }, { "Empty", "" } };
	ical_event ev = briefing();
	ev.attendees = nobody;
	ev.nattendees = 2;
	assert_int_equal(ical_method_of(&ev), ICAL_PUBLISH);
	char *got = write_event(&ev);
	assert_line(got, "METHOD:PUBLISH");
	assert_no_line(got, "ATTENDEE");
	assert_line(got, "ORGANIZER;CN=Front Office:mailto:front.office@liaison.example");

	char *as_request = g_strdup(got);
	memcpy(strstr(as_request, "METHOD:PUBLISH"), "METHOD:REQUEST", 14);
	char *problems;
	icalcomponent_free(itip_read(as_request, &problems));
	if (!strstr(problems, "ATTENDEE"))
		fail_msg("libical's check let a REQUEST without attendees through: \"%s\"", problems);
	g_free(problems);
	g_free(as_request);
	free(got);
}

/* A cancellation: CANCEL, STATUS:CANCELLED, its SEQUENCE, the attendees
 * it is for.  Without SEQUENCE libical's check refuses it. */
static void test_itip_cancel(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.cancelled = 1;
	ev.sequence = 7;
	char *got = write_event(&ev);
	icalcomponent *cal = itip_ok(got, ICAL_METHOD_CANCEL);
	icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_get_status(e), ICAL_STATUS_CANCELLED);
	assert_int_equal(icalcomponent_get_sequence(e), 7);
	assert_int_equal(count_props(e, ICAL_ATTENDEE_PROPERTY), 2);
	icalcomponent_free(cal);

	char *line = strstr(got, "SEQUENCE:7\r\n");
	assert_non_null(line);
	memmove(line, line + 12, strlen(line + 12) + 1);
	char *problems;
	icalcomponent_free(itip_read(got, &problems));
	if (!strstr(problems, "SEQUENCE"))
		fail_msg("libical's check let a CANCEL without SEQUENCE through: \"%s\"", problems);
	g_free(problems);
	free(got);
}

/* A feed: PUBLISH with every event, never an attendee, a cancelled event
 * kept and marked, the calendar's name. */
static void test_feed(void **state)
{
	(void)state;
	ical_event evs[3] = { briefing(), briefing(), briefing() };
	evs[1].uid = "briefing-13@liaison.example";
	evs[1].cancelled = 1;
	evs[2].uid = "briefing-14@liaison.example";
	evs[2].start += 86400;
	evs[2].end += 86400;
	evs[2].summary = "Visite de la délégation, salle « Genève »";
	buf b = BUF_INIT;
	ical_write_feed(evs, 3, "Briefings — Ana Ruiz", &b);
	assert_folded(buf_str(&b));
	assert_line(buf_str(&b), "NAME:Briefings — Ana Ruiz");
	assert_line(buf_str(&b), "X-WR-CALNAME:Briefings — Ana Ruiz");
	assert_no_line(buf_str(&b), "ATTENDEE");
	icalcomponent *cal = itip_ok(buf_str(&b), ICAL_METHOD_PUBLISH);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 3);
	const char *uids[3] = { "briefing-12@liaison.example", "briefing-13@liaison.example", "briefing-14@liaison.example" };
	int i = 0;
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), i++) {
		assert_string_equal(icalcomponent_get_uid(e), uids[i]);
		assert_true(icaltime_is_utc(icalcomponent_get_dtstart(e)));
		assert_int_equal(icalcomponent_get_status(e), i == 1 ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED);
	}
	icalcomponent *last = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	while (icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		last = icalcomponent_get_current_component(cal);
	assert_string_equal(icalcomponent_get_summary(last), evs[2].summary);
	icalcomponent_free(cal);
	buf_free(&b);

	/* an empty feed is still a calendar */
	b = (buf)BUF_INIT;
	ical_write_feed(NULL, 0, NULL, &b);
	assert_folded(buf_str(&b));
	assert_no_line(buf_str(&b), "NAME");
	cal = itip_ok(buf_str(&b), ICAL_METHOD_PUBLISH);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 0);
	icalcomponent_free(cal);
	buf_free(&b);
}

/* Events of whole days: dates, not times, read by libical as dates, the
 * last day exclusive (a meeting of 18–20 March ends on the 21st). */
static void test_all_day(void **state)
{
	(void)state;
	ical_event ev = briefing();
	ev.all_day = 1;
	ev.start = INT64_C(1742256000);            /* 2025-03-18 */
	ev.end = ev.start + 3 * 86400;             /* the day after 2025-03-20 */
	buf b = BUF_INIT;
	ical_write_feed(&ev, 1, "Meetings", &b);
	assert_folded(buf_str(&b));
	assert_line(buf_str(&b), "DTSTART;VALUE=DATE:20250318");
	assert_line(buf_str(&b), "DTEND;VALUE=DATE:20250321");
	icalcomponent *cal = itip_ok(buf_str(&b), ICAL_METHOD_PUBLISH);
	icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	struct icaltimetype start = icalcomponent_get_dtstart(e), end = icalcomponent_get_dtend(e);
	assert_true(start.is_date);
	assert_int_equal(start.day, 18);
	assert_int_equal(end.day, 21);
	icalcomponent_free(cal);
	buf_free(&b);
}

/* Events in their zones' wall times: TZID on their times, and each zone
 * described once (VTIMEZONE) so that libical, knowing no zone of its own
 * here, turns every wall time back into the instant it was, on either side
 * of a change to summer or winter time. */
static void test_local_times(void **state)
{
	(void)state;
	const tz *zurich = tz_kept("Europe/Zurich"), *new_york = tz_kept("America/New_York");
	assert_non_null(zurich);
	assert_non_null(new_york);
	ical_event evs[3] = { briefing(), briefing(), briefing() };
	evs[0].start = INT64_C(1806138000);   /* 2027-03-27T09:00Z, 10:00 in Zurich (winter time) */
	evs[0].end = INT64_C(1806336000);     /* 2027-03-29T16:00Z, 18:00 in Zurich (summer time since the 28th) */
	evs[1].uid = "session-2@liaison.example";
	evs[1].start = INT64_C(1825077600);   /* 2027-11-01T14:00Z, 10:00 in New York (summer time) */
	evs[1].end = INT64_C(1825714800);     /* 2027-11-08T23:00Z, 18:00 in New York (winter time since the 7th) */
	evs[2].uid = "session-3@liaison.example";
	evs[2].start = INT64_C(1824883200);   /* 2027-10-30T08:00Z, 10:00 in Zurich (summer time) */
	evs[2].end = INT64_C(1824994800);     /* 2027-10-31T15:00Z, 16:00 in Zurich (winter time since that night) */
	const char *zones[3] = { "Europe/Zurich", "America/New_York", "Europe/Zurich" };
	for (int i = 0; i < 3; i++) {
		evs[i].tzid = zones[i];
		evs[i].zone = i == 1 ? new_york : zurich;
	}
	buf b = BUF_INIT;
	ical_write_feed(evs, 3, "Sessions", &b);
	const char *ics = buf_str(&b);
	assert_folded(ics);
	assert_line(ics, "DTSTART;TZID=Europe/Zurich:20270327T100000");
	assert_line(ics, "DTEND;TZID=Europe/Zurich:20270329T180000");
	assert_line(ics, "DTSTART;TZID=America/New_York:20271101T100000");
	assert_line(ics, "DTEND;TZID=America/New_York:20271108T180000");
	assert_line(ics, "DTEND;TZID=Europe/Zurich:20271031T160000");
	icalcomponent *cal = itip_ok(ics, ICAL_METHOD_PUBLISH);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT), 2);
	int i = 0;
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), i++) {
		icaltimezone *z = icalcomponent_get_timezone(cal, zones[i]);
		assert_non_null(z);
		struct icaltimetype start = icalcomponent_get_dtstart(e), end = icalcomponent_get_dtend(e);
		assert_false(icaltime_is_utc(start));
		assert_int_equal((int64_t)icaltime_as_timet_with_zone(start, z), evs[i].start);
		assert_int_equal((int64_t)icaltime_as_timet_with_zone(end, z), evs[i].end);
	}
	assert_int_equal(i, 3);
	icalcomponent_free(cal);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_invitation),
		cmocka_unit_test(test_text_escaping),
		cmocka_unit_test(test_cn_quoting),
		cmocka_unit_test(test_fold_utf8),
		cmocka_unit_test(test_fold_before_accent),
		cmocka_unit_test(test_cancellation),
		cmocka_unit_test(test_absent_members),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_itip_request),
		cmocka_unit_test(test_itip_publish_when_nobody_is_invited),
		cmocka_unit_test(test_itip_cancel),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_all_day),
		cmocka_unit_test(test_local_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
