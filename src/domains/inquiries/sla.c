/*
 * sla — the business calendar and the service-level clocks of inquiries;
 * see sla.h.
 *
 * Working time is a set of intervals.  On each working day (a weekday of
 * the calendar that is not a holiday) each span runs from the first instant
 * the wall clock shows its start to the first instant it shows its end.
 * Spans are thus kept in local wall time: one across the spring-forward
 * hour is an hour shorter, one across the autumn repeat an hour longer, and
 * 09:00-17:00 on the Sunday the clocks change is still 8 hours.
 *
 * Long ranges are not walked day by day.  A run of whole days is worth its
 * working weekdays times the nominal day, less the holidays on working
 * weekdays, corrected for the few days near a change of UTC offset: only
 * those can differ from nominal.  Days near the ends of a range are looked
 * at one by one; bizcal_add finds its day by a galloping search over whole
 * weeks.  Ten years cost a few dozen transitions, not 3650 days.
 */
#include "core/errmsg.h"
#include "domains/inquiries/sla.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

#define DAY 86400

/* Instants are kept within the years 1 to 9999: far beyond any service
 * level, and near enough that day counts stay small. */
#define T_MIN INT64_C(-62135596800)
#define T_MAX INT64_C(253402300799)
#define LAST_DAY (T_MAX / DAY)

/* Any zone's offset lies within -89999 .. 93599 seconds (RFC 8536), so a
 * change of offset can only move the working spans of the days around it. */
#define CHANGE_BEFORE 93600   /* a change this long before a day's midnight ... */
#define CHANGE_AFTER 176400   /* ... or this long after it may touch that day */

/* Days at each end of a range that are clipped one by one; see
 * bizcal_seconds for why seven suffice. */
#define EDGE_DAYS 7

#define MAX_HOLIDAYS 10000

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static const int default_spans[2][2] = { { 9 * 60, 12 * 60 + 30 }, { 13 * 60 + 30, 17 * 60 + 30 } };

typedef struct interval {
	int64_t a, b;   /* [a, b), UTC */
} interval;

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }
static int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t clamp_t(int64_t t) { return t < T_MIN ? T_MIN : t > T_MAX ? T_MAX : t; }

/* ---- days ---- */

/* Days since 1970-01-01 of a Gregorian date (years counted from March, so
 * the leap day ends the counted year). */
static int64_t days_from_date(int64_t y, int m, int d)
{
	if (m <= 2)
		y--;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day) { return (int)(day + 3 - floor_div(day + 3, 7) * 7); }

static int64_t local_day(const bizcal *c, int64_t t)
{
	return floor_div(t + tz_offset(c->zone, t), DAY);
}

/* The first holiday on or after day (the holidays are sorted): its index,
 * nholidays when there is none. */
static size_t first_holiday_from(const bizcal *c, int64_t day)
{
	size_t lo = 0, hi = c->nholidays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int is_holiday(const bizcal *c, int64_t day)
{
	size_t i = first_holiday_from(c, day);
	return i < c->nholidays && c->holidays[i] == day;
}

static int works_on_weekday(const bizcal *c, int64_t day) { return c->days >> weekday(day) & 1; }

static int is_working(const bizcal *c, int64_t day)
{
	return works_on_weekday(c, day) && !is_holiday(c, day);
}

static int64_t nominal_day(const bizcal *c)
{
	int64_t s = 0;
	for (int i = 0; i < c->nspans; i++)
		s += (int64_t)(c->spans[i][1] - c->spans[i][0]) * 60;
	return s;
}

static int usable(const bizcal *c)
{
	return c && c->zone && (c->days & 0x7f) && c->nspans > 0 && nominal_day(c) > 0;
}

/* ---- one day ---- */

/* The first instant at which the wall clock shows `local` or later.  That is
 * tz_to_utc's answer except inside a spring-forward gap, where it is the
 * instant of the change itself: the change lies after local - (offset
 * after) and no later than tz_to_utc's answer, and is found by bisection. */
static int64_t wall_instant(const tz *z, int64_t local)
{
	int64_t u = tz_to_utc(z, local);
	if (u + tz_offset(z, u) == local)
		return u;
	int64_t lo = local - tz_offset(z, u), hi = u;
	if (lo >= hi || lo + tz_offset(z, lo) >= local)
		return u;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (mid + tz_offset(z, mid) >= local)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The working intervals of a local day, in order; none on a day off. */
static int day_intervals(const bizcal *c, int64_t day, interval out[BIZCAL_MAX_SPANS])
{
	if (!is_working(c, day))
		return 0;
	int64_t midnight = day * DAY, prev = INT64_MIN;
	for (int i = 0; i < c->nspans; i++) {
		int64_t a = wall_instant(c->zone, midnight + c->spans[i][0] * 60);
		int64_t b = wall_instant(c->zone, midnight + c->spans[i][1] * 60);
		a = max64(a, prev);   /* stays ordered even in a damaged zone */
		b = max64(b, a);
		out[i] = (interval){ a, b };
		prev = b;
	}
	return c->nspans;
}

/* Working seconds of a day that fall within [lo, hi). */
static int64_t day_clip(const bizcal *c, int64_t day, int64_t lo, int64_t hi)
{
	interval iv[BIZCAL_MAX_SPANS];
	int n = day_intervals(c, day, iv);
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += max64(0, min64(iv[i].b, hi) - max64(iv[i].a, lo));
	return s;
}

static int64_t clip_days(const bizcal *c, int64_t d0, int64_t d1, int64_t lo, int64_t hi)
{
	int64_t s = 0;
	for (int64_t d = d0; d < d1; d++)
		s += day_clip(c, d, lo, hi);
	return s;
}

/* ---- runs of whole days ---- */

static int64_t working_weekdays(const bizcal *c, int64_t d0, int64_t d1)
{
	int64_t weeks = (d1 - d0) / 7;
	int64_t n = weeks * __builtin_popcount(c->days & 0x7f);
	for (int64_t d = d0 + weeks * 7; d < d1; d++)
		n += works_on_weekday(c, d);
	return n;
}

static int64_t holidays_on_working_weekdays(const bizcal *c, int64_t d0, int64_t d1)
{
	int64_t n = 0;
	for (size_t i = first_holiday_from(c, d0); i < c->nholidays && c->holidays[i] < d1; i++)
		n += works_on_weekday(c, c->holidays[i]);
	return n;
}

/* What the days touched by a change of offset add to or take from the
 * nominal.  A day is left alone unless a change falls between
 * CHANGE_BEFORE before its midnight and CHANGE_AFTER after it: otherwise
 * every wall time of the day maps to UTC with one and the same offset. */
static int64_t change_correction(const bizcal *c, int64_t d0, int64_t d1, int64_t nominal)
{
	int64_t corr = 0, done = d0 - 1;
	int64_t t = d0 * DAY - CHANGE_BEFORE - 1;
	int64_t last = (d1 - 1) * DAY + CHANGE_AFTER;
	while ((t = tz_next_change(c->zone, t)) <= last) {
		int64_t first = max64(ceil_div(t - CHANGE_AFTER, DAY), done + 1);
		int64_t final = min64(floor_div(t + CHANGE_BEFORE, DAY), d1 - 1);
		for (int64_t d = first; d <= final; d++)
			if (is_working(c, d))
				corr += day_clip(c, d, INT64_MIN, INT64_MAX) - nominal;
		done = max64(done, final);
	}
	return corr;
}

/* Working seconds of the local days [d0, d1), whole. */
static int64_t whole_days(const bizcal *c, int64_t d0, int64_t d1)
{
	if (d1 <= d0)
		return 0;
	int64_t nominal = nominal_day(c);
	int64_t days = working_weekdays(c, d0, d1) - holidays_on_working_weekdays(c, d0, d1);
	return days * nominal + change_correction(c, d0, d1, nominal);
}

/* ---- the calendar's answers ---- */

/*
 * All working time in [from, to) belongs to the days d0 .. d1-1 below, and
 * only the first and last seven of them can have working time outside it:
 * a day before local_day(x) ends by x (the wall clock showed its end by
 * then), and a day from local_day(x) + 4 on starts after x (offsets differ
 * by less than three days).  So: whole days, less what lies before from in
 * the first ones and from to on in the last ones.
 */
int64_t bizcal_seconds(const bizcal *c, int64_t from, int64_t to)
{
	if (!usable(c))
		return 0;
	from = clamp_t(from);
	to = clamp_t(to);
	if (to <= from)
		return 0;
	int64_t lf = local_day(c, from), lt = local_day(c, to);
	int64_t d0 = lf - 3, d1 = max64(lt + 4, d0);
	return whole_days(c, d0, d1) - clip_days(c, d0, min64(d1, lf + 4), INT64_MIN, from) -
	       clip_days(c, max64(d0, lt - 3), d1, to, INT64_MAX);
}

/* Use up working time of a day from lo on; 1 with *out set when *rem runs
 * out in it.  With nothing left to use, the answer is the start of the
 * first non-empty interval. */
static int consume_day(const bizcal *c, int64_t day, int64_t lo, int64_t *rem, int64_t *out)
{
	interval iv[BIZCAL_MAX_SPANS];
	int n = day_intervals(c, day, iv);
	for (int i = 0; i < n; i++) {
		int64_t a = max64(iv[i].a, lo), len = iv[i].b - a;
		if (len <= 0)
			continue;
		if (*rem <= len) {
			*out = a + *rem;
			return 1;
		}
		*rem -= len;
	}
	return 0;
}

/* Whether whole weeks [d, d + 7 * weeks) leave working time still to use;
 * if so they are used up.  With nothing left (*rem == 0) only weeks without
 * any work may be skipped, so the answer stays the first working instant. */
static int take_weeks(const bizcal *c, int64_t *d, int64_t weeks, int64_t *rem)
{
	if (*d + 7 * weeks > LAST_DAY)
		return 0;
	int64_t w = whole_days(c, *d, *d + 7 * weeks);
	if (w >= max64(*rem, 1))
		return 0;
	*rem -= w;
	*d += 7 * weeks;
	return 1;
}

/* Skip the whole weeks from day d that do not use up *rem: steps double
 * while they fit, then halve.  Afterwards the answer lies within the next
 * seven days (or past LAST_DAY). */
static int64_t skip_weeks(const bizcal *c, int64_t d, int64_t *rem)
{
	int64_t step = 1;
	while (take_weeks(c, &d, step, rem))
		step *= 2;
	while (step > 1) {
		step /= 2;
		take_weeks(c, &d, step, rem);
	}
	return d;
}

int64_t bizcal_add(const bizcal *c, int64_t from, int64_t seconds)
{
	if (!usable(c))
		return INT64_MAX;
	from = clamp_t(from);
	int64_t rem = seconds > 0 ? seconds : 0, out;
	int64_t d = local_day(c, from) - 3;
	/* The first days may hold working time before from (see bizcal_seconds). */
	for (int i = 0; i < EDGE_DAYS; i++, d++)
		if (consume_day(c, d, from, &rem, &out))
			return out;
	for (d = skip_weeks(c, d, &rem); d <= LAST_DAY; d++)
		if (consume_day(c, d, INT64_MIN, &rem, &out))
			return out;
	return INT64_MAX;
}

/* ---- clocks ---- */

/* The clock's state just before the next event to look at. */
typedef struct walk {
	int64_t a;      /* start of the current stretch */
	int running;
} walk;

/* Working seconds the clock runs between start and now: stretches between
 * events, each cut to [start, now]; events before start only set the state
 * the clock starts in, events after now have not happened. */
int64_t sla_elapsed(const bizcal *c, int64_t start, const sla_event *ev, size_t n, int64_t now)
{
	if (now <= start)
		return 0;
	walk w = { start, 1 };
	int64_t total = 0;
	for (size_t i = 0; i < n && ev[i].at <= now; i++) {
		int64_t b = max64(ev[i].at, w.a);
		if (w.running)
			total += bizcal_seconds(c, w.a, b);
		w = (walk){ b, !ev[i].paused };
	}
	if (w.running)
		total += bizcal_seconds(c, w.a, now);
	return total;
}

/* Replaying the history finds the stretch in which the target is reached;
 * the stretch running at now is taken to run on forever.  A target already
 * reached gives the (past) instant it was reached. */
int64_t sla_due(const bizcal *c, int64_t start, const sla_event *ev, size_t n, int64_t now, int64_t target)
{
	walk w = { start, 1 };
	size_t k = 0;
	while (k < n && ev[k].at <= now)
		k++;   /* events [0, k) have happened */
	if (k > 0 && ev[k - 1].paused)
		return INT64_MAX;   /* waiting on the requester: no due time */
	if (target <= 0)
		return start;
	int64_t rem = target;
	for (size_t i = 0; i < k; i++) {
		int64_t b = max64(ev[i].at, w.a);
		if (w.running) {
			int64_t got = bizcal_seconds(c, w.a, b);
			if (rem <= got)
				return bizcal_add(c, w.a, rem);
			rem -= got;
		}
		w = (walk){ b, !ev[i].paused };
	}
	return w.running ? bizcal_add(c, w.a, rem) : INT64_MAX;
}

/* ---- configuration ---- */

static void set_defaults(bizcal *c)
{
	memset(c, 0, sizeof *c);
	c->days = 0x1f;
	c->nspans = 2;
	memcpy(c->spans, default_spans, sizeof default_spans);
}

static int parse_days(bizcal *c, json_t *v, char *err, size_t errlen)
{
	const char *expect = "days: expected a list of day names such as [\"mon\", \"tue\"]";
	if (!json_is_array(v) || json_array_size(v) == 0)
		return errmsg(err, errlen, "%s", expect);
	unsigned char days = 0;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		if (!s)
			return errmsg(err, errlen, "%s", expect);
		int k = 0;
		while (k < 7 && strcmp(s, day_names[k]) != 0)
			k++;
		if (k == 7)
			return errmsg(err, errlen, "days: '%.32s' is not a day (mon, tue, wed, thu, fri, sat, sun)", s);
		if (days >> k & 1)
			return errmsg(err, errlen, "days: '%s' appears twice", s);
		days |= (unsigned char)(1u << k);
	}
	c->days = days;
	return 0;
}

/* "HH:MM", 00:00 to 23:59, or 24:00 (the end of the day) for span ends. */
static int parse_clock(const char *s, int *minutes)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int parse_span(json_t *pair, int span[2], char *err, size_t errlen)
{
	if (!json_is_array(pair) || json_array_size(pair) != 2)
		return errmsg(err, errlen, "hours: each span is a pair such as [\"09:00\", \"12:30\"]");
	for (int k = 0; k < 2; k++) {
		const char *s = json_string_value(json_array_get(pair, (size_t)k));
		if (!s)
			return errmsg(err, errlen, "hours: each span is a pair such as [\"09:00\", \"12:30\"]");
		if (parse_clock(s, &span[k]) < 0 || (k == 0 && span[k] == 24 * 60))
			return errmsg(err, errlen, "hours: '%.32s' is not a time of day (HH:MM)", s);
	}
	if (span[0] >= span[1])
		return errmsg(err, errlen, "hours: the span %02d:%02d-%02d:%02d does not end after it starts",
		            span[0] / 60, span[0] % 60, span[1] / 60, span[1] % 60);
	return 0;
}

static int parse_hours(bizcal *c, json_t *v, char *err, size_t errlen)
{
	if (!json_is_array(v) || json_array_size(v) == 0)
		return errmsg(err, errlen, "hours: expected a list of spans such as [[\"09:00\", \"12:30\"]]");
	if (json_array_size(v) > BIZCAL_MAX_SPANS)
		return errmsg(err, errlen, "hours: at most %d spans a day", BIZCAL_MAX_SPANS);
	int spans[BIZCAL_MAX_SPANS][2];
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (parse_span(e, spans[i], err, errlen) < 0)
			return -1;
		if (i > 0 && spans[i][0] < spans[i - 1][1])
			return errmsg(err, errlen, "hours: spans must be in order and must not overlap "
			            "(%02d:%02d starts before %02d:%02d ends)", spans[i][0] / 60, spans[i][0] % 60,
			            spans[i - 1][1] / 60, spans[i - 1][1] % 60);
	}
	c->nspans = (int)json_array_size(v);
	memcpy(c->spans, spans, sizeof spans);
	return 0;
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static int parse_holidays(bizcal *c, json_t *v, char *err, size_t errlen)
{
	if (!json_is_array(v))
		return errmsg(err, errlen, "holidays: expected a list of dates such as [\"2026-12-25\"]");
	size_t n = json_array_size(v);
	if (n > MAX_HOLIDAYS)
		return errmsg(err, errlen, "holidays: more than %d dates", MAX_HOLIDAYS);
	int32_t *h = calloc(n ? n : 1, sizeof *h);
	if (!h)
		abort();
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		if (!s || !clock_valid_date(s)) {
			free(h);
			return errmsg(err, errlen, "holidays: '%.32s' is not a date (YYYY-MM-DD)", s ? s : "(not a string)");
		}
		h[i] = (int32_t)days_from_date(atoi(s), atoi(s + 5), atoi(s + 8));
	}
	qsort(h, n, sizeof *h, cmp_day);
	size_t k = 0;
	for (i = 0; i < n; i++)   /* a date listed twice is one holiday */
		if (k == 0 || h[k - 1] != h[i])
			h[k++] = h[i];
	free(c->holidays);
	c->holidays = h;
	c->nholidays = k;
	return 0;
}

static int parse_members(bizcal *c, json_t *root, const char **zone, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		int rc = 0;
		if (strcmp(key, "time_zone") == 0) {
			*zone = json_string_value(v);
			if (!*zone)
				rc = errmsg(err, errlen, "time_zone: expected a zone name such as \"Europe/Zurich\"");
		} else if (strcmp(key, "days") == 0) {
			rc = parse_days(c, v, err, errlen);
		} else if (strcmp(key, "hours") == 0) {
			rc = parse_hours(c, v, err, errlen);
		} else if (strcmp(key, "holidays") == 0) {
			rc = parse_holidays(c, v, err, errlen);
		} else {
			rc = errmsg(err, errlen, "'%.40s' is not a calendar member (time_zone, days, hours, holidays)", key);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int bizcal_parse(bizcal *c, const char *json, char *err, size_t errlen)
{
	set_defaults(c);
	const char *zone = "Europe/Zurich";
	json_t *root = NULL;
	int rc = 0;
	if (json && *json) {
		json_error_t je;
		root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
		if (!root)
			rc = errmsg(err, errlen, "calendar: not valid JSON (%s at line %d)", je.text, je.line);
		else if (!json_is_object(root))
			rc = errmsg(err, errlen, "calendar: expected a JSON object");
		else
			rc = parse_members(c, root, &zone, err, errlen);
	}
	if (rc == 0) {
		char why[200];
		if (tz_load(zone, &c->zone, why, sizeof why) < 0)
			rc = errmsg(err, errlen, "time_zone: %s", why);
	}
	json_decref(root);   /* zone pointed into it */
	if (rc < 0)
		bizcal_free(c);
	return rc;
}

void bizcal_free(bizcal *c)
{
	if (!c)
		return;
	tz_free(c->zone);
	free(c->holidays);
	memset(c, 0, sizeof *c);
}
