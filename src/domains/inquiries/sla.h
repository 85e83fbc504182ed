/*
 * sla — service levels counted in working time: a business calendar
 * (working days and hours, public holidays, a time zone) and the clocks of
 * an inquiry (first response, resolution) that run only in working time and
 * pause while the inquiry waits on its requester.
 *
 * The calendar is configuration, as JSON:
 *   {"time_zone": "Europe/Zurich",
 *    "days": ["mon", "tue", "wed", "thu", "fri"],
 *    "hours": [["09:00", "12:30"], ["13:30", "17:30"]],
 *    "holidays": ["2026-12-25", "2027-01-01"]}
 * Every member is optional; the defaults are the above without holidays.
 * Unknown members are refused (a misspelt "holiday" would otherwise be
 * silently ignored).
 *
 * Working hours are wall-clock times in the calendar's zone.  A span runs
 * from the first instant the clock shows its start to the first instant it
 * shows its end, so 09:00-17:00 is 8 hours even on the day the clocks
 * change, while a span across the spring-forward hour is an hour shorter
 * and one across the repeated autumn hour an hour longer.  Instants are
 * taken within the years 1 to 9999.
 */
#ifndef LIAISON_SLA_H
#define LIAISON_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "formats/tzif.h"

#define BIZCAL_MAX_SPANS 4

typedef struct bizcal {
	tz *zone;
	unsigned char days;                 /* bit 0 Monday … bit 6 Sunday */
	int spans[BIZCAL_MAX_SPANS][2];     /* minutes after local midnight, [start, end), sorted */
	int nspans;
	int32_t *holidays;                  /* local dates as days since 1970-01-01, sorted */
	size_t nholidays;
} bizcal;

/* NULL or "" gives the defaults.  0, or -1 with a one-line reason naming the
 * bad member ("hours: '25:00' is not a time of day"); on failure c holds
 * nothing to free.  "days" must name at least one day; spans are "HH:MM"
 * pairs, in order, not overlapping, ending by "24:00". */
int bizcal_parse(bizcal *c, const char *json, char *err, size_t errlen);
void bizcal_free(bizcal *c);

/* Working seconds in [from, to); 0 when to <= from.  Exact, and cheap for
 * long ranges: whole weeks are counted, not walked. */
int64_t bizcal_seconds(const bizcal *c, int64_t from, int64_t to);
/* The first instant at which `seconds` of working time after `from` have
 * passed: the end of a span when it is used up exactly there, not the next
 * start.  With seconds <= 0, from itself when from is in working time,
 * else the next start.  INT64_MAX when that lies beyond the year 9999. */
int64_t bizcal_add(const bizcal *c, int64_t from, int64_t seconds);

/* A clock's history: from each event's instant on, the clock runs or is
 * paused (waiting on the requester), until the next event.  Events are in
 * time order; the clock runs from `start` until the first event. */
typedef struct sla_event {
	int64_t at;
	int paused;
} sla_event;

/* Working seconds the clock has run between start and now.  Events before
 * start only set the state the clock starts in; events after now have not
 * happened yet and are ignored. */
int64_t sla_elapsed(const bizcal *c, int64_t start, const sla_event *ev, size_t n, int64_t now);
/* When the clock reaches target seconds if it keeps running from now on
 * (an instant before now when it already has); INT64_MAX while it is
 * paused at now, even if the target was reached before the pause; start
 * when target <= 0. */
int64_t sla_due(const bizcal *c, int64_t start, const sla_event *ev, size_t n, int64_t now, int64_t target);

#endif
