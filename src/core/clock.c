/*
 * clock — strict parsing of dates and times.  Strict, because a date that
 * "almost" parses (2026-02-30) is a typing error the user wants to hear about.
 */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void clock_iso(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_now_iso(char out[32]) { clock_iso(time(NULL), out); }

uint64_t clock_micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* Checks the first ten characters only; callers check what follows. */
static int date_prefix(const char *s, struct tm *tm)
{
	if (strnlen(s, 10) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return 0;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 1;
}

int clock_valid_date(const char *s)
{
	struct tm tm;
	return date_prefix(s, &tm) && s[10] == '\0';
}

int clock_date_days(const char *s, int64_t *days)
{
	struct tm tm;
	if (!date_prefix(s, &tm) || s[10] != '\0')
		return -1;
	*days = (int64_t)timegm(&tm) / 86400;
	return 0;
}

int clock_add_days(const char *day, int64_t n, char out[11])
{
	int64_t d;
	if (!day || clock_date_days(day, &d))
		return -1;
	clock_days_date(d + n, out);
	return 0;
}

void clock_days_date(int64_t days, char out[11])
{
	time_t t = (time_t)(days * 86400);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		snprintf(out, 11, "1970-01-01"); /* out of the years a date may have */
}

int clock_parse_time(const char *s, time_t *t)
{
	struct tm tm;
	if (!date_prefix(s, &tm) || strlen(s) != 20 || s[10] != 'T' || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2) || s[19] != 'Z')
		return -1;
	tm.tm_hour = num(s + 11, 2);
	tm.tm_min = num(s + 14, 2);
	tm.tm_sec = num(s + 17, 2);
	if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return -1;
	*t = timegm(&tm);
	return 0;
}

int clock_valid_time(const char *s)
{
	time_t t;
	return clock_parse_time(s, &t) == 0;
}
