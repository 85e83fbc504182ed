/*
 * tzif — time zones from the system's tz database (the TZif files under
 * /usr/share/zoneinfo, RFC 8536), read by us rather than through
 * setenv("TZ") + localtime_r, which is process-wide and not thread-safe.
 * Times are Unix seconds (UTC); "local" means wall-clock seconds in the
 * zone, counted the same way (local midnight of a day is a multiple of
 * 86400).
 *
 * A loaded zone is read-only: any number of threads may use it at once.
 * Instants after the file's last transition follow the POSIX TZ rule of its
 * footer ("CET-1CEST,M3.5.0,M10.5.0/3"), so dates far in the future are
 * right even with "slim" files.  Zones with leap seconds ("right/...") are
 * refused: their timestamps are not Unix time.
 */
#ifndef LIAISON_TZIF_H
#define LIAISON_TZIF_H

#include <stddef.h>
#include <stdint.h>

typedef struct tz tz;

/* "Europe/Zurich" from $TZDIR or /usr/share/zoneinfo; "UTC" always works
 * (it needs no file).  Names with ".." or a leading '/' are refused.
 * 0, or -1 with a one-line reason (unknown zone, damaged file). */
int tz_load(const char *name, tz **out, char *err, size_t errlen);
/* The same for a file's bytes already in memory (len bytes at data, not
 * kept); the reason in err then names no zone. */
int tz_parse(const void *data, size_t len, tz **out, char *err, size_t errlen);
void tz_free(tz *z);  /* NULL is fine */
/* The zone of that name, loaded at its first use and kept for the life of
 * the process (tzkept.c), shared by every thread; NULL when there is none
 * such, or when 64 zones are kept already. */
const tz *tz_kept(const char *name);
/* 1 when tz_load would load that zone: a record's time zone is checked so. */
int tz_known(const char *name);

/* Seconds east of UTC in force at that instant (3600 in Zurich in winter);
 * always within -89999 .. 93599.  Instants more than about three million
 * years from 1970 are answered as at that limit. */
int32_t tz_offset(const tz *z, int64_t utc);
/* The instant a local wall time names.  A time skipped by a spring-forward
 * gap is moved forward by the gap (02:30 on the night Zurich goes from
 * +01:00 to +02:00 gives 01:30Z, which reads 03:30); a time repeated in the
 * autumn is taken at its first occurrence (02:30 on the night Zurich goes
 * back gives 00:30Z, still in summer time). */
int64_t tz_to_utc(const tz *z, int64_t local);
/* The first instant after utc at which the offset may change (a transition
 * of the file or of its footer rule; some change nothing), or INT64_MAX
 * when none follows.  Lets callers treat long stretches of constant offset
 * in one step. */
int64_t tz_next_change(const tz *z, int64_t utc);

#endif
