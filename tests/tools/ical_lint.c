/*
 * ical_lint — what libical, an iCalendar reader that is not Liaison's, makes
 * of a calendar on standard input, for the HTTP tests: it parses it, runs
 * its restriction checker (RFC 5546's tables for the calendar's METHOD) and
 * prints every problem it found, one "problem: ..." line each; then one
 * line per event, "UID START END", its times as Unix seconds worked out
 * through the calendar's own VTIMEZONEs (a date's midnight in UTC for an
 * all-day event).  Exits 1 when it found a problem, 2 when the input is
 * no calendar at all.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static int problems(icalcomponent *c)
{
	int n = 0;
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY), n++)
		printf("problem: %s\n", icalproperty_get_xlicerror(p));
	for (icalcomponent *sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
	     sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += problems(sub);
	return n;
}

/* An event's time as Unix seconds, through the zone its TZID names in this calendar. */
static long long instant(icalcomponent *cal, icalproperty *p, struct icaltimetype t)
{
	icalparameter *id = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
	icaltimezone *z = id ? icalcomponent_get_timezone(cal, icalparameter_get_tzid(id)) : NULL;
	if (id && !z)
		printf("problem: no VTIMEZONE for TZID %s\n", icalparameter_get_tzid(id));
	return (long long)icaltime_as_timet_with_zone(t, z ? z : icaltimezone_get_utc_timezone());
}

int main(void)
{
	size_t cap = 1 << 16, len = 0, got;
	char *text = malloc(cap), *grown;
	while (text && (got = fread(text + len, 1, cap - len - 1, stdin)) > 0)
		if ((len += got) == cap - 1) {
			grown = realloc(text, cap *= 2);
			if (!grown)
				free(text);
			text = grown;
		}
	if (!text)
		return 2;
	text[len] = '\0';
	icalcomponent *cal = icalparser_parse_string(text);
	free(text);
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		printf("problem: not a VCALENDAR\n");
		return 2;
	}
	icalrestriction_check(cal);
	int n = problems(cal);
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *start = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
		icalproperty *end = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY);
		printf("%s %lld %lld\n", icalcomponent_get_uid(e), instant(cal, start, icalcomponent_get_dtstart(e)),
		       instant(cal, end, icalcomponent_get_dtend(e)));
	}
	icalcomponent_free(cal);
	return n ? 1 : 0;
}
