/*
 * zone — times as the reader lives them.  Liaison stores every time in
 * UTC; a page shows it, and a form takes it, in the reader's time zone:
 * their account's setting, else WEB_ZONE_DEFAULT.  A page says which zone
 * it means ("15:05 (Zurich)"), so a time is never read in the wrong one.
 *
 * Zones are read from the tz database once and kept (tz_kept).
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "formats/tzif.h"
#include "web/web.h"

const char *zone_of(const page *p)
{
	const char *name = page_user(p)->time_zone;
	return name && *name && tz_kept(name) ? name : WEB_ZONE_DEFAULT;
}

static const tz *reader_zone(const page *p)
{
	const tz *z = tz_kept(zone_of(p));
	return z ? z : tz_kept("UTC");
}

/* "Europe/Zurich" → "Zurich", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
void zone_city(const page *p, buf *out)
{
	const char *name = zone_of(p), *slash = strrchr(name, '/');
	for (const char *c = slash ? slash + 1 : name; *c; c++)
		buf_putc(out, *c == '_' ? ' ' : *c);
}

int zone_local(const page *p, const char *utc, char out[32])
{
	time_t t;
	if (!utc || clock_parse_time(utc, &t))
		return -1;
	clock_iso(t + tz_offset(reader_zone(p), (int64_t)t), out);
	return 0;
}

/* "2026-12-10T10:00" or "2026-12-10T10:00:30": the seconds since 1970 of
 * that wall time, counted as tzif counts local time; -1 when it is none. */
static int parse_local(const char *s, int64_t *local)
{
	int y, mo, d, h, mi, sec = 0, used = 0;
	size_t n = strlen(s);
	if (n == 16 && sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) == 5 && used == 16) {
	} else if (n == 19 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) == 6 && used == 19) {
	} else {
		return -1;
	}
	char iso[32];
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, sec);
	time_t t;
	if (!clock_valid_time(iso) || clock_parse_time(iso, &t))
		return -1;
	*local = (int64_t)t;
	return 0;
}

int zone_utc(const page *p, const char *local, char out[32])
{
	int64_t wall;
	if (!local || parse_local(local, &wall))
		return -1;
	clock_iso((time_t)tz_to_utc(reader_zone(p), wall), out);
	return 0;
}
