/*
 * today — see today.h.  A date, not a time: a meeting held at 23:30 in
 * Geneva is on that day, whatever the day is in UTC.
 */
#include "model/today.h"

#include <stdio.h>
#include <time.h>

static const tz *zone;

void today_zone(const tz *z) { zone = z; }

void today_date(char out[11])
{
	time_t now = time(NULL);
	int64_t local = (int64_t)now + (zone ? tz_offset(zone, (int64_t)now) : 0);
	time_t t = (time_t)local;
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		snprintf(out, 11, "1970-01-01"); /* a clock beyond year 9999 */
}
