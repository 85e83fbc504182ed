/*
 * ical — iCalendar (RFC 5545) invitations: one VEVENT in a VCALENDAR with
 * METHOD:REQUEST, times in UTC, text escaped and lines folded at 75 octets
 * as the RFC requires.
 */
#ifndef LIAISON_ICAL_H
#define LIAISON_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct ical_person {
	const char *name, *email;
} ical_person;

typedef struct ical_event {
	const char *uid;          /* stable: "briefing-12@liaison.example" */
	int64_t sequence;         /* raised at each change of the confirmed time */
	int64_t start, end;       /* Unix seconds */
	int64_t stamp;            /* DTSTAMP: when the invitation was made */
	const char *summary, *description, *location;
	ical_person organizer;
	const ical_person *attendees;
	size_t nattendees;
	int cancelled;            /* STATUS:CANCELLED and METHOD:CANCEL */
} ical_event;

void ical_write(const ical_event *ev, buf *out);

#endif
