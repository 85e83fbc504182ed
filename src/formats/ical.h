/*
 * ical — iCalendar (RFC 5545) for the two uses Liaison has: an invitation,
 * one VEVENT with the iTIP method (RFC 5546) that mail and calendar programs
 * act on, and a calendar to subscribe to, many VEVENTs published.  Times in
 * UTC, or in an event's own zone with that zone described in the calendar
 * (VTIMEZONE); text escaped, lines folded at 75 octets as the RFC requires.
 */
#ifndef LIAISON_ICAL_H
#define LIAISON_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "formats/tzif.h"

typedef struct ical_person {
	const char *name, *email;
} ical_person;

typedef struct ical_event {
	const char *uid;          /* stable: "briefings-12@liaison.example" */
	int64_t sequence;         /* grows with every change, so the newest message wins */
	int64_t start, end;       /* Unix seconds; with all_day, the midnights (UTC) of the first
				   * day and of the day after the last */
	int64_t stamp;            /* DTSTAMP: when the calendar was written */
	const char *summary, *description, *location;
	ical_person organizer;
	const ical_person *attendees;
	size_t nattendees;
	int cancelled;            /* STATUS:CANCELLED */
	int all_day;              /* whole days (DTSTART;VALUE=DATE): a conference, not a slot in one */
	const char *tzid;         /* a timed event's zone by its tz database name, "Europe/Zurich", with */
	const tz *zone;           /* that zone: start and end are written as its wall times (DTSTART;TZID=),
				   * and the calendar describes it; NULL: written in UTC */
} ical_event;

/* iTIP's methods, as RFC 5546 3.2 uses them for an event. */
typedef enum ical_method {
	ICAL_PUBLISH,   /* no one is invited: the event is only made known */
	ICAL_REQUEST,   /* the attendees are invited and asked to answer */
	ICAL_CANCEL,    /* the event is called off */
} ical_method;

/* The method of ev's invitation: CANCEL when it is cancelled, REQUEST when
 * an attendee has an address, else PUBLISH (which may name no attendee). */
ical_method ical_method_of(const ical_event *ev);
const char *ical_method_name(ical_method m);   /* "REQUEST" */

/* ev as an invitation, with the method ical_method_of gives. */
void ical_write(const ical_event *ev, buf *out);

/* A calendar of n events to subscribe to: METHOD:PUBLISH, so without
 * attendees whatever the events hold; a cancelled one stays, marked
 * STATUS:CANCELLED.  name is what calendar programs call it. */
void ical_write_feed(const ical_event *evs, size_t n, const char *name, buf *out);

#endif
