/*
 * test_sla — time zones and service levels.
 *
 * tzif: offsets of real zones against published facts (2026 clock changes
 * in Zurich and New York, India's half hour, the footer rule decades
 * ahead), every form of the POSIX TZ rule through hand-built files whose
 * only content is a footer, gaps and overlaps in tz_to_utc, and damaged
 * files (cut at every length, scribbled over byte by byte, corrupted field
 * by field), which must be refused and never read out of bounds.
 *
 * sla: the business calendar's configuration and its errors, working time
 * over weekends, holidays and both 2026 clock changes, against hand-worked
 * examples and against a brute-force count in five-minute steps, long
 * ranges, and the clocks of an inquiry that waits on its requester.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "domains/inquiries/sla.h"
#include "formats/tzif.h"

#define HOUR 3600
#define DAY 86400

/* ---- helpers ---- */

/* "2026-03-29T01:00:00Z" as Unix seconds. */
static int64_t at(const char *iso)
{
	time_t t;
	if (clock_parse_time(iso, &t) != 0)
		fail_msg("bad time in test: %s", iso);
	return (int64_t)t;
}

/* A wall time in "local seconds": the same count, read as if it were UTC. */
static int64_t wall(const char *iso) { return at(iso); }

static void expect_time(int64_t got, const char *want)
{
	if (got == at(want))
		return;
	char s[32];
	clock_iso((time_t)got, s);
	fail_msg("got %s (%lld), want %s", s, (long long)got, want);
}

static tz *load(const char *name)
{
	tz *z;
	char err[200];
	if (tz_load(name, &z, err, sizeof err) != 0)
		fail_msg("tz_load(%s): %s", name, err);
	return z;
}

/* The offset just before and at an instant. */
static void expect_change(const tz *z, const char *when, int32_t before, int32_t after)
{
	int64_t t = at(when);
	if (tz_offset(z, t - 1) != before || tz_offset(z, t) != after)
		fail_msg("at %s: %d then %d, want %d then %d", when, tz_offset(z, t - 1), tz_offset(z, t),
		         before, after);
}

static void expect_load_error(const char *name, const char *part)
{
	tz *z = (tz *)1;
	char err[200] = "";
	assert_int_equal(tz_load(name, &z, err, sizeof err), -1);
	assert_null(z);
	if (!strstr(err, part))
		fail_msg("tz_load(%s): \"%s\" lacks \"%s\"", name, err, part);
}

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

/* ---- a temporary TZDIR ---- */

static char tzdir[64];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int tzdir_setup(void **state)
{
	(void)state;
	strcpy(tzdir, "/tmp/liaison-tzif-XXXXXX");
	if (!mkdtemp(tzdir))
		return -1;
	char sub[128];
	snprintf(sub, sizeof sub, "%s/Test", tzdir);
	if (mkdir(sub, 0700) != 0)
		return -1;
	setenv("TZDIR", tzdir, 1);
	return 0;
}

static int tzdir_teardown(void **state)
{
	(void)state;
	unsetenv("TZDIR");
	nftw(tzdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void write_zone(const char *name, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tzdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *p = malloc(1 << 16);
	assert_non_null(p);
	*len = fread(p, 1, 1 << 16, f);
	fclose(f);
	return p;
}

/* ---- hand-built TZif files ---- */

typedef struct zone_spec {
	char version;          /* 0 (version 1), '2', '3' */
	int ntrans;
	int64_t at[4];
	unsigned char idx[4];
	int ntypes;
	int32_t off[3];
	unsigned char isdst[3];
	const char *footer;    /* version 2+ only */
} zone_spec;

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static size_t put_header(unsigned char *p, const zone_spec *z)
{
	memset(p, 0, 44);
	memcpy(p, "TZif", 4);
	p[4] = (unsigned char)z->version;
	put32(p + 32, (uint32_t)z->ntrans);
	put32(p + 36, (uint32_t)z->ntypes);
	put32(p + 40, 4);   /* "AAA\0": every type points at it */
	return 44;
}

static size_t put_block(unsigned char *p, const zone_spec *z, int tsize)
{
	size_t n = 0;
	for (int i = 0; i < z->ntrans; i++) {
		if (tsize == 8)
			put32(p + n, (uint32_t)((uint64_t)z->at[i] >> 32)), n += 4;
		put32(p + n, (uint32_t)z->at[i]), n += 4;
	}
	for (int i = 0; i < z->ntrans; i++)
		p[n++] = z->idx[i];
	for (int i = 0; i < z->ntypes; i++) {
		put32(p + n, (uint32_t)z->off[i]);
		p[n + 4] = z->isdst[i];
		p[n + 5] = 0;
		n += 6;
	}
	memcpy(p + n, "AAA", 4);
	return n + 4;
}

/* The file; *h2 gets the offset of the second header (0 for version 1). */
static size_t build_zone(const zone_spec *z, unsigned char *out, size_t *h2)
{
	size_t n = put_header(out, z);
	n += put_block(out + n, z, 4);
	*h2 = 0;
	if (z->version == 0)
		return n;
	*h2 = n;
	n += put_header(out + n, z);
	n += put_block(out + n, z, 8);
	n += (size_t)sprintf((char *)out + n, "\n%s\n", z->footer);
	return n;
}

/* A zone with no transitions at all: everything comes from the footer. */
static tz *footer_zone(const char *footer)
{
	zone_spec s = { .version = '2', .ntypes = 1, .off = { 0 }, .footer = footer };
	unsigned char buf[512];
	size_t h2;
	write_zone("Test/Footer", buf, build_zone(&s, buf, &h2));
	return load("Test/Footer");
}

static int footer_rejected(const char *footer)
{
	zone_spec s = { .version = '2', .ntypes = 1, .off = { 0 }, .footer = footer };
	unsigned char buf[512];
	size_t h2;
	write_zone("Test/Footer", buf, build_zone(&s, buf, &h2));
	tz *z = NULL;
	char err[200];
	int rc = tz_load("Test/Footer", &z, err, sizeof err);
	tz_free(z);
	return rc == -1 && strstr(err, "footer") != NULL;
}

/* ---- tzif: real zones ---- */

static void test_zurich_2026(void **state)
{
	(void)state;
	tz *z = load("Europe/Zurich");
	expect_change(z, "2026-03-29T01:00:00Z", 3600, 7200);
	expect_change(z, "2026-10-25T01:00:00Z", 7200, 3600);
	assert_int_equal(tz_offset(z, at("2026-01-15T12:00:00Z")), 3600);
	assert_int_equal(tz_offset(z, at("2026-07-15T12:00:00Z")), 7200);
	/* Switzerland kept standard time in 1980, while its neighbours changed. */
	assert_int_equal(tz_offset(z, at("1980-07-01T12:00:00Z")), 3600);
	assert_int_equal(tz_offset(z, at("1981-07-01T12:00:00Z")), 7200);
	tz_free(z);
}

static void test_new_york_2026(void **state)
{
	(void)state;
	tz *z = load("America/New_York");
	expect_change(z, "2026-03-08T07:00:00Z", -18000, -14400);
	expect_change(z, "2026-11-01T06:00:00Z", -14400, -18000);
	tz_free(z);
}

static void test_kolkata_half_hour(void **state)
{
	(void)state;
	tz *z = load("Asia/Kolkata");
	assert_int_equal(tz_offset(z, at("1990-01-01T00:00:00Z")), 19800);
	assert_int_equal(tz_offset(z, at("2026-06-01T00:00:00Z")), 19800);
	assert_int_equal(tz_offset(z, at("2090-06-01T00:00:00Z")), 19800);
	assert_int_equal(tz_next_change(z, at("2026-01-01T00:00:00Z")), INT64_MAX);
	tz_free(z);
}

static void test_utc(void **state)
{
	(void)state;
	tz *z = load("UTC");
	assert_int_equal(tz_offset(z, 0), 0);
	assert_int_equal(tz_offset(z, at("2026-07-01T00:00:00Z")), 0);
	assert_int_equal(tz_to_utc(z, wall("2026-03-29T02:30:00Z")), at("2026-03-29T02:30:00Z"));
	assert_int_equal(tz_next_change(z, 0), INT64_MAX);
	tz_free(z);
	/* UTC needs no file: it loads even from a directory that has none. */
	z = load("UTC");
	tz_free(z);
	tz_free(NULL);
}

/* Beyond the last transition of the table, the footer's rule decides. */
static void test_far_future_from_footer(void **state)
{
	(void)state;
	tz *z = load("Europe/Zurich");
	expect_change(z, "2090-03-26T01:00:00Z", 3600, 7200);
	expect_change(z, "2090-10-29T01:00:00Z", 7200, 3600);
	expect_change(z, "2400-03-26T01:00:00Z", 3600, 7200);   /* last Sunday of March 2400 */
	/* The ends of time are answered, not overflowed. */
	assert_int_equal(tz_offset(z, INT64_MAX), 3600);
	assert_int_equal(tz_offset(z, INT64_MIN), tz_offset(z, at("1850-01-01T00:00:00Z")));
	tz_free(z);
	z = load("America/New_York");
	expect_change(z, "2090-03-12T07:00:00Z", -18000, -14400);  /* second Sunday of March */
	expect_change(z, "2090-11-05T06:00:00Z", -14400, -18000);  /* first Sunday of November */
	tz_free(z);
	z = load("Asia/Jerusalem");   /* M3.4.4/26: Friday 02:00, written as Thursday 26:00 */
	expect_change(z, "2026-03-27T00:00:00Z", 7200, 10800);
	expect_change(z, "2090-03-24T00:00:00Z", 7200, 10800);
	tz_free(z);
}

static void test_next_change(void **state)
{
	(void)state;
	tz *z = load("Europe/Zurich");
	assert_int_equal(tz_next_change(z, at("2026-01-01T00:00:00Z")), at("2026-03-29T01:00:00Z"));
	assert_int_equal(tz_next_change(z, at("2026-03-29T01:00:00Z")), at("2026-10-25T01:00:00Z"));
	assert_int_equal(tz_next_change(z, at("2090-07-01T00:00:00Z")), at("2090-10-29T01:00:00Z"));
	assert_int_equal(tz_next_change(z, INT64_MAX), INT64_MAX);
	assert_true(tz_next_change(z, INT64_MIN) > INT64_MIN);
	tz_free(z);
}

static void test_to_utc_gap_and_overlap(void **state)
{
	(void)state;
	tz *z = load("Europe/Zurich");
	expect_time(tz_to_utc(z, wall("2026-01-15T12:00:00Z")), "2026-01-15T11:00:00Z");
	expect_time(tz_to_utc(z, wall("2026-07-15T12:00:00Z")), "2026-07-15T10:00:00Z");
	/* 02:30 does not exist on 29 March: moved forward by the hour, to 03:30 CEST. */
	expect_time(tz_to_utc(z, wall("2026-03-29T02:30:00Z")), "2026-03-29T01:30:00Z");
	expect_time(tz_to_utc(z, wall("2026-03-29T02:00:00Z")), "2026-03-29T01:00:00Z");
	expect_time(tz_to_utc(z, wall("2026-03-29T01:59:59Z")), "2026-03-29T00:59:59Z");
	expect_time(tz_to_utc(z, wall("2026-03-29T03:00:00Z")), "2026-03-29T01:00:00Z");
	/* 02:30 happens twice on 25 October: the first time, still in CEST. */
	expect_time(tz_to_utc(z, wall("2026-10-25T02:30:00Z")), "2026-10-25T00:30:00Z");
	expect_time(tz_to_utc(z, wall("2026-10-25T02:00:00Z")), "2026-10-25T00:00:00Z");
	expect_time(tz_to_utc(z, wall("2026-10-25T03:00:00Z")), "2026-10-25T02:00:00Z");
	expect_time(tz_to_utc(z, wall("2090-03-26T02:30:00Z")), "2090-03-26T01:30:00Z");
	tz_free(z);

	z = load("America/New_York");
	expect_time(tz_to_utc(z, wall("2026-03-08T02:30:00Z")), "2026-03-08T07:30:00Z");  /* 03:30 EDT */
	expect_time(tz_to_utc(z, wall("2026-11-01T01:30:00Z")), "2026-11-01T05:30:00Z");  /* 01:30 EDT */
	expect_time(tz_to_utc(z, wall("2026-11-01T02:00:00Z")), "2026-11-01T07:00:00Z");
	tz_free(z);

	/* Round trips over a whole year, every 20 minutes, outside the gaps and overlaps. */
	z = load("America/New_York");
	for (int64_t u = at("2026-01-01T00:00:00Z"); u < at("2027-01-01T00:00:00Z"); u += 1200) {
		int64_t l = u + tz_offset(z, u);
		int64_t back = tz_to_utc(z, l);
		assert_int_equal(back + tz_offset(z, back), l);
		assert_true(back <= u);   /* the first occurrence */
	}
	tz_free(z);
}

/* ---- tzif: the POSIX rule in hand-built footers ---- */

static void test_footer_rule_forms(void **state)
{
	(void)state;
	tz *z = footer_zone("CET-1CEST,M3.5.0,M10.5.0/3");
	expect_change(z, "2026-03-29T01:00:00Z", 3600, 7200);
	expect_change(z, "2026-10-25T01:00:00Z", 7200, 3600);
	expect_time(tz_to_utc(z, wall("2026-03-29T02:30:00Z")), "2026-03-29T01:30:00Z");
	expect_time(tz_to_utc(z, wall("2026-10-25T02:30:00Z")), "2026-10-25T00:30:00Z");
	tz_free(z);

	/* Negative transition times: Saturday 22:00 and 23:00 before the last Sundays. */
	z = footer_zone("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1");
	expect_change(z, "2026-03-29T01:00:00Z", -10800, -7200);
	expect_change(z, "2026-10-25T01:00:00Z", -7200, -10800);
	tz_free(z);

	/* Negative daylight saving: standard time +01 in summer, "DST" GMT in winter. */
	z = footer_zone("IST-1GMT0,M10.5.0,M3.5.0/1");
	expect_change(z, "2026-03-29T01:00:00Z", 0, 3600);
	expect_change(z, "2026-10-25T01:00:00Z", 3600, 0);
	tz_free(z);

	/* Daylight time all year: the end (Dec 31, 25:00) meets next year's start. */
	z = footer_zone("EST5EDT,0/0,J365/25");
	assert_int_equal(tz_offset(z, at("2026-01-01T04:59:59Z")), -14400);
	assert_int_equal(tz_offset(z, at("2026-01-01T05:00:00Z")), -14400);
	assert_int_equal(tz_offset(z, at("2026-07-01T00:00:00Z")), -14400);
	assert_int_equal(tz_offset(z, at("2026-12-31T23:00:00Z")), -14400);
	tz_free(z);

	/* Jn never counts 29 February: J60 is 1 March, leap year or not. */
	z = footer_zone("AAA3BBB,J60/2,J300/2");
	expect_change(z, "2024-03-01T05:00:00Z", -10800, -7200);
	expect_change(z, "2025-03-01T05:00:00Z", -10800, -7200);
	expect_change(z, "2024-10-27T04:00:00Z", -7200, -10800);
	tz_free(z);

	/* n counts from 0 and does count 29 February. */
	z = footer_zone("AAA3BBB,59/2,299/2");
	expect_change(z, "2024-02-29T05:00:00Z", -10800, -7200);
	expect_change(z, "2025-03-01T05:00:00Z", -10800, -7200);
	expect_change(z, "2024-10-26T04:00:00Z", -7200, -10800);
	tz_free(z);

	/* Times past 24 h and before 0 h, to the RFC 8536 limit of 167 h. */
	z = footer_zone("AAA0BBB,M3.1.0/167,M10.1.0/-167");
	expect_change(z, "2026-03-07T23:00:00Z", 0, 3600);
	expect_change(z, "2026-09-27T00:00:00Z", 3600, 0);
	tz_free(z);

	z = footer_zone("IST-2IDT,M3.4.4/26,M10.5.0");
	expect_change(z, "2026-03-27T00:00:00Z", 7200, 10800);
	expect_change(z, "2026-10-24T23:00:00Z", 10800, 7200);
	tz_free(z);

	/* Explicit daylight offset, minutes and seconds. */
	z = footer_zone("<+0545>-5:45<+0645>-6:45:30,M4.1.0,M9.1.0");
	assert_int_equal(tz_offset(z, at("2026-01-10T00:00:00Z")), 20700);
	assert_int_equal(tz_offset(z, at("2026-06-10T00:00:00Z")), 24330);
	tz_free(z);

	z = footer_zone("<+0530>-5:30");
	assert_int_equal(tz_offset(z, at("2150-01-01T00:00:00Z")), 19800);
	tz_free(z);
}

static void test_footer_rule_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M0.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
		"CET-1CEST,M3.0.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,J0,J100",
		"CET-1CEST,J366,J100", "CET-1CEST,366,J100", "CE-1", "CET-25", "CET-1:60", "CET",
		"CET-1CEST,M3.5.0/168,M10.5.0", "CET-1CEST,M3.5.0/-168,M10.5.0", "CET-1CEST",
		"CET-1CEST,M3.5.0", "CET-1x", "<AB>1", "<A+B-1", "CET-1CEST,M3.5.0,M10.5.0/3x",
		"CET-1CEST,M3.5.0,M10.5.0,", "CET-1CEST,M3.5,M10.5.0", "CET-1CEST-25,M3.5.0,M10.5.0",
		"1CET", "CET-1CEST,M3.5.0/,M10.5.0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (!footer_rejected(bad[i]))
			fail_msg("footer \"%s\" was accepted", bad[i]);
	assert_false(footer_rejected("CET-1CEST,M3.5.0,M10.5.0/3"));
}

/* An empty footer: the last transition's type goes on for ever. */
static void test_empty_footer_and_version_1(void **state)
{
	(void)state;
	zone_spec s = { .version = '2', .ntrans = 1, .at = { 1000000000 }, .idx = { 1 }, .ntypes = 2,
	                .off = { 3600, -7200 }, .isdst = { 0, 0 }, .footer = "" };
	unsigned char buf[512];
	size_t h2;
	write_zone("Test/Empty", buf, build_zone(&s, buf, &h2));
	tz *z = load("Test/Empty");
	assert_int_equal(tz_offset(z, 999999999), 3600);
	assert_int_equal(tz_offset(z, 1000000000), -7200);
	assert_int_equal(tz_offset(z, at("2300-01-01T00:00:00Z")), -7200);
	assert_int_equal(tz_next_change(z, 0), 1000000000);
	assert_int_equal(tz_next_change(z, 1000000000), INT64_MAX);
	tz_free(z);

	s.version = 0;
	write_zone("Test/V1", buf, build_zone(&s, buf, &h2));
	z = load("Test/V1");
	assert_int_equal(tz_offset(z, 999999999), 3600);
	assert_int_equal(tz_offset(z, 1000000000), -7200);
	tz_free(z);
}

/* ---- tzif: damaged files and bad names ---- */

static void test_truncated_files(void **state)
{
	(void)state;
	size_t len;
	unsigned char *data = slurp("/usr/share/zoneinfo/Europe/Zurich", &len);
	write_zone("Test/Whole", data, len);
	tz *z = load("Test/Whole");
	tz_free(z);
	for (size_t n = 0; n < len; n++) {
		write_zone("Test/Cut", data, n);
		z = (tz *)1;
		char err[200];
		if (tz_load("Test/Cut", &z, err, sizeof err) != -1)
			fail_msg("a copy cut at %zu of %zu bytes loaded", n, len);
		assert_null(z);
		assert_non_null(strstr(err, "damaged"));
	}
	free(data);
}

/* Whatever a scribbled-over file gives, it must give it safely (run under ASan). */
static void test_scribbled_files(void **state)
{
	(void)state;
	size_t len;
	unsigned char *data = slurp("/usr/share/zoneinfo/Europe/Zurich", &len);
	static const unsigned char values[] = { 0x00, 0xFF };
	int refused = 0;
	for (size_t i = 0; i < len; i++) {
		for (size_t v = 0; v < sizeof values; v++) {
			unsigned char keep = data[i];
			if (keep == values[v])
				continue;
			data[i] = values[v];
			write_zone("Test/Scribbled", data, len);
			data[i] = keep;
			tz *z;
			char err[200];
			if (tz_load("Test/Scribbled", &z, err, sizeof err) != 0) {
				refused++;
				continue;
			}
			for (int64_t t = -4000000000; t < 6000000000; t += 987654321) {
				int32_t off = tz_offset(z, t);
				assert_true(off >= -89999 && off <= 93599);
				(void)tz_to_utc(z, t);
				assert_true(tz_next_change(z, t) > t);
			}
			tz_free(z);
		}
	}
	assert_true(refused > 0);
	/* And pure garbage. */
	unsigned char junk[600];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)rnd(256);
	memcpy(junk, "TZif2", 5);
	write_zone("Test/Junk", junk, sizeof junk);
	expect_load_error("Test/Junk", "damaged");
	free(data);
}

static const zone_spec good = {
	.version = '2', .ntrans = 2, .at = { 100000, 200000 }, .idx = { 1, 0 }, .ntypes = 2,
	.off = { 3600, 7200 }, .isdst = { 0, 1 }, .footer = "CET-1CEST,M3.5.0,M10.5.0/3",
};

/* Build the good zone, let `damage` change it, and expect a refusal naming `why`. */
static void expect_damage(void (*damage)(unsigned char *p, size_t *len, size_t h2), const char *why)
{
	unsigned char buf[1024];
	size_t h2, len = build_zone(&good, buf, &h2);
	damage(buf, &len, h2);
	write_zone("Test/Damaged", buf, len);
	expect_load_error("Test/Damaged", why);
}

/* Offsets in the 64-bit block of `good`: times, indexes, types, chars. */
#define D_TIMES(h2) ((h2) + 44)
#define D_IDX(h2) (D_TIMES(h2) + 2 * 8)
#define D_TYPES(h2) (D_IDX(h2) + 2)
#define D_CHARS(h2) (D_TYPES(h2) + 2 * 6)

static void bad_magic(unsigned char *p, size_t *n, size_t h2) { (void)n, (void)h2; p[0] = 'X'; }
static void bad_version(unsigned char *p, size_t *n, size_t h2) { (void)n, (void)h2; p[4] = '9'; }
static void versions_differ(unsigned char *p, size_t *n, size_t h2) { (void)n; p[h2 + 4] = '3'; }
static void no_types(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + h2 + 36, 0); }
static void huge_timecnt(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + h2 + 32, 0xFFFFFFFFu); }
static void huge_v1_timecnt(unsigned char *p, size_t *n, size_t h2) { (void)n, (void)h2; put32(p + 32, 0x7FFFFFFFu); }
static void no_chars(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + h2 + 40, 0); }
static void odd_isutcnt(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + h2 + 20, 1); }
static void leap_seconds(unsigned char *p, size_t *n, size_t h2) { (void)n, (void)h2; put32(p + 28, 1); }
static void index_out(unsigned char *p, size_t *n, size_t h2) { (void)n; p[D_IDX(h2) + 1] = 2; }
static void out_of_order(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + D_TIMES(h2) + 12, 50000); }
static void same_instant(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + D_TIMES(h2) + 12, 100000); }
static void dst_flag(unsigned char *p, size_t *n, size_t h2) { (void)n; p[D_TYPES(h2) + 4] = 2; }
static void desig_out(unsigned char *p, size_t *n, size_t h2) { (void)n; p[D_TYPES(h2) + 5] = 4; }
static void desig_unended(unsigned char *p, size_t *n, size_t h2) { (void)n; p[D_CHARS(h2) + 3] = 'A'; }
static void offset_out(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + D_TYPES(h2), 100000); }
static void offset_min(unsigned char *p, size_t *n, size_t h2) { (void)n; put32(p + D_TYPES(h2), 0x80000000u); }
static void trailing(unsigned char *p, size_t *n, size_t h2) { (void)h2; p[(*n)++] = 'x'; }
static void footer_unended(unsigned char *p, size_t *n, size_t h2) { (void)p, (void)h2; (*n)--; }
static void footer_gone(unsigned char *p, size_t *n, size_t h2) { (void)p; *n = D_CHARS(h2) + 4; }
static void footer_nul(unsigned char *p, size_t *n, size_t h2) { (void)h2; p[*n - 3] = 0; }

static void test_damaged_fields(void **state)
{
	(void)state;
	unsigned char buf[1024];
	size_t h2, len = build_zone(&good, buf, &h2);
	write_zone("Test/Good", buf, len);
	tz *z = load("Test/Good");
	assert_int_equal(tz_offset(z, 99999), 3600);
	assert_int_equal(tz_offset(z, 100000), 7200);
	assert_int_equal(tz_offset(z, 200000), 3600);
	expect_change(z, "2026-03-29T01:00:00Z", 3600, 7200);
	tz_free(z);

	expect_damage(bad_magic, "not a TZif file");
	expect_damage(bad_version, "unknown version");
	expect_damage(versions_differ, "headers disagree");
	expect_damage(no_types, "bad counts");
	expect_damage(huge_timecnt, "cut short");
	expect_damage(huge_v1_timecnt, "cut short");
	expect_damage(no_chars, "bad counts");
	expect_damage(odd_isutcnt, "bad counts");
	expect_damage(leap_seconds, "leap");
	expect_damage(index_out, "bad type index");
	expect_damage(out_of_order, "out of order");
	expect_damage(same_instant, "out of order");
	expect_damage(dst_flag, "daylight flag");
	expect_damage(desig_out, "designation");
	expect_damage(desig_unended, "designation");
	expect_damage(offset_out, "offset out of range");
	expect_damage(offset_min, "offset out of range");
	expect_damage(trailing, "after the footer");
	expect_damage(footer_unended, "footer cut short");
	expect_damage(footer_gone, "footer missing");
	expect_damage(footer_nul, "footer");
}

static void test_bad_names(void **state)
{
	(void)state;
	expect_load_error("", "not a time zone name");
	expect_load_error("/etc/passwd", "not a time zone name");
	expect_load_error("../etc/passwd", "not a time zone name");
	expect_load_error("Europe/../../etc/passwd", "not a time zone name");
	expect_load_error("Europe/Zurich/..", "not a time zone name");
	expect_load_error("Europe/Zu rich", "not a time zone name");
	expect_load_error("Europe/Zurich\n", "not a time zone name");
	char longname[300];
	memset(longname, 'A', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	expect_load_error(longname, "not a time zone name");
	expect_load_error("Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons'");
	expect_load_error("Test", "unknown time zone");   /* a directory */
	tz *z = (tz *)1;
	assert_int_equal(tz_load(NULL, &z, NULL, 0), -1);   /* no room for a reason is fine too */
	assert_null(z);
}

/* ---- sla: configuration ---- */

static void parse_ok(bizcal *c, const char *json)
{
	char err[256];
	if (bizcal_parse(c, json, err, sizeof err) != 0)
		fail_msg("bizcal_parse(%s): %s", json ? json : "NULL", err);
}

static void test_calendar_defaults(void **state)
{
	(void)state;
	static const char *const inputs[] = { NULL, "", "{}" };
	for (size_t i = 0; i < 3; i++) {
		bizcal c;
		parse_ok(&c, inputs[i]);
		assert_non_null(c.zone);
		assert_int_equal(c.days, 0x1f);
		assert_int_equal(c.nspans, 2);
		assert_int_equal(c.spans[0][0], 9 * 60);
		assert_int_equal(c.spans[0][1], 12 * 60 + 30);
		assert_int_equal(c.spans[1][0], 13 * 60 + 30);
		assert_int_equal(c.spans[1][1], 17 * 60 + 30);
		assert_int_equal(c.nholidays, 0);
		assert_int_equal(tz_offset(c.zone, at("2026-07-01T00:00:00Z")), 7200);   /* Zurich */
		bizcal_free(&c);
	}
	bizcal c;
	parse_ok(&c, "{\"time_zone\": \"America/New_York\", \"days\": [\"sun\", \"mon\"], "
	             "\"hours\": [[\"08:00\", \"24:00\"]], \"holidays\": [\"2027-01-01\", \"2026-12-25\", \"2027-01-01\"]}");
	assert_int_equal(c.days, 0x41);
	assert_int_equal(c.nspans, 1);
	assert_int_equal(c.spans[0][1], 1440);
	assert_int_equal(c.nholidays, 2);   /* sorted, the repeated date once */
	assert_int_equal(c.holidays[0], at("2026-12-25T00:00:00Z") / DAY);
	assert_int_equal(c.holidays[1], at("2027-01-01T00:00:00Z") / DAY);
	bizcal_free(&c);
	bizcal_free(&c);   /* twice is harmless */
}

static void expect_config_error(const char *json, const char *part)
{
	bizcal c;
	char err[256] = "";
	if (bizcal_parse(&c, json, err, sizeof err) != -1)
		fail_msg("accepted: %s", json);
	if (!strstr(err, part))
		fail_msg("%s: \"%s\" lacks \"%s\"", json, err, part);
	assert_null(c.zone);
	assert_null(c.holidays);
	bizcal_free(&c);
}

static void test_calendar_errors(void **state)
{
	(void)state;
	expect_config_error("{", "calendar: not valid JSON");
	expect_config_error("[]", "calendar: expected a JSON object");
	expect_config_error("{\"days\": [\"mon\"], \"days\": [\"tue\"]}", "calendar: not valid JSON");
	expect_config_error("{\"timezone\": \"UTC\"}", "'timezone' is not a calendar member");

	expect_config_error("{\"time_zone\": 1}", "time_zone: expected a zone name");
	expect_config_error("{\"time_zone\": \"Mars/Olympus_Mons\"}", "time_zone: unknown time zone");
	expect_config_error("{\"time_zone\": \"../../etc/passwd\"}", "time_zone: '../../etc/passwd' is not");

	expect_config_error("{\"days\": \"mon\"}", "days: expected a list");
	expect_config_error("{\"days\": []}", "days: expected a list");
	expect_config_error("{\"days\": [1]}", "days: expected a list");
	expect_config_error("{\"days\": [\"mon\", \"funday\"]}", "days: 'funday' is not a day");
	expect_config_error("{\"days\": [\"Mon\"]}", "days: 'Mon' is not a day");
	expect_config_error("{\"days\": [\"mon\", \"mon\"]}", "days: 'mon' appears twice");

	expect_config_error("{\"hours\": {}}", "hours: expected a list");
	expect_config_error("{\"hours\": []}", "hours: expected a list");
	expect_config_error("{\"hours\": [[\"25:00\", \"26:00\"]]}", "hours: '25:00' is not a time of day");
	expect_config_error("{\"hours\": [[\"9:00\", \"12:00\"]]}", "hours: '9:00' is not a time of day");
	expect_config_error("{\"hours\": [[\"09:00\", \"12:60\"]]}", "hours: '12:60' is not a time of day");
	expect_config_error("{\"hours\": [[\"09:00\", \"24:01\"]]}", "hours: '24:01' is not a time of day");
	expect_config_error("{\"hours\": [[\"24:00\", \"24:00\"]]}", "hours: '24:00' is not a time of day");
	expect_config_error("{\"hours\": [[\"09:00\"]]}", "hours: each span is a pair");
	expect_config_error("{\"hours\": [[\"09:00\", 12]]}", "hours: each span is a pair");
	expect_config_error("{\"hours\": [\"09:00-12:00\"]}", "hours: each span is a pair");
	expect_config_error("{\"hours\": [[\"12:00\", \"09:00\"]]}", "hours: the span 12:00-09:00 does not end");
	expect_config_error("{\"hours\": [[\"09:00\", \"09:00\"]]}", "does not end after it starts");
	expect_config_error("{\"hours\": [[\"09:00\", \"13:00\"], [\"12:30\", \"17:00\"]]}",
	                    "hours: spans must be in order and must not overlap (12:30 starts before 13:00 ends)");
	expect_config_error("{\"hours\": [[\"13:00\", \"14:00\"], [\"09:00\", \"10:00\"]]}", "must be in order");
	expect_config_error("{\"hours\": [[\"01:00\", \"02:00\"], [\"03:00\", \"04:00\"], [\"05:00\", \"06:00\"], "
	                    "[\"07:00\", \"08:00\"], [\"09:00\", \"10:00\"]]}", "hours: at most 4 spans");

	expect_config_error("{\"holidays\": \"2026-12-25\"}", "holidays: expected a list");
	expect_config_error("{\"holidays\": [\"2026-02-30\"]}", "holidays: '2026-02-30' is not a date");
	expect_config_error("{\"holidays\": [\"25.12.2026\"]}", "holidays: '25.12.2026' is not a date");
	expect_config_error("{\"holidays\": [\"2026-12-25\", 20261226]}", "holidays: '(not a string)' is not a date");

	/* An error after a good time zone or holidays leaks nothing (ASan watches). */
	expect_config_error("{\"holidays\": [\"2026-12-25\"], \"time_zone\": \"UTC\", \"days\": []}", "days:");
}

/* ---- sla: working time ---- */

static void test_friday_to_monday(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	/* Friday 16:00 to Monday 10:00 in Zurich (winter, +01:00): 16:00-17:30 on
	 * Friday and 09:00-10:00 on Monday, 2.5 hours. */
	int64_t from = at("2026-01-16T15:00:00Z"), to = at("2026-01-19T09:00:00Z");
	assert_int_equal(bizcal_seconds(&c, from, to), 9000);
	assert_int_equal(bizcal_seconds(&c, to, from), 0);
	assert_int_equal(bizcal_seconds(&c, from, from), 0);
	/* The lunch break and the weekend do not count. */
	/* 12:00-14:00 local is 12:00-12:30 and 13:30-14:00. */
	assert_int_equal(bizcal_seconds(&c, at("2026-01-16T11:00:00Z"), at("2026-01-16T13:00:00Z")), 3600);
	assert_int_equal(bizcal_seconds(&c, at("2026-01-17T00:00:00Z"), at("2026-01-18T23:00:00Z")), 0);
	/* A whole week: five days of 7.5 hours. */
	assert_int_equal(bizcal_seconds(&c, at("2026-01-12T00:00:00Z"), at("2026-01-19T00:00:00Z")), 5 * 27000);
	bizcal_free(&c);
}

static void test_holidays_skipped(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	/* Thursday 24 December 16:00 to Monday 28 December 10:00 local. */
	int64_t from = at("2026-12-24T15:00:00Z"), to = at("2026-12-28T09:00:00Z");
	assert_int_equal(bizcal_seconds(&c, from, to), 5400 + 27000 + 3600);
	bizcal_free(&c);
	parse_ok(&c, "{\"holidays\": [\"2026-12-25\", \"2027-01-01\"]}");
	assert_int_equal(bizcal_seconds(&c, from, to), 5400 + 3600);   /* Friday 25 is off */
	/* The two weeks around the new year: ten weekdays less two holidays. */
	assert_int_equal(bizcal_seconds(&c, at("2026-12-20T23:00:00Z"), at("2027-01-03T23:00:00Z")), 8 * 27000);
	bizcal_free(&c);
}

static void test_first_response_over_christmas(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, "{\"holidays\": [\"2026-12-25\", \"2027-01-01\"]}");
	/* Received Thursday 24 December 2026, 15:00 Zurich (14:00Z); target 8
	 * working hours.  Thursday 15:00-17:30 gives 2.5 h (5.5 h left); Friday 25
	 * is a holiday; Saturday and Sunday are off; Monday 28 09:00-12:30 gives
	 * 3.5 h (2 h left); 13:30 + 2 h = 15:30 local, +01:00 in winter:
	 * 2026-12-28T14:30:00Z. */
	int64_t from = at("2026-12-24T14:00:00Z");
	int64_t due = bizcal_add(&c, from, 8 * HOUR);
	expect_time(due, "2026-12-28T14:30:00Z");
	assert_int_equal(bizcal_seconds(&c, from, due), 8 * HOUR);
	bizcal_free(&c);
}

static void test_add_edges(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	int64_t fri16 = at("2026-01-16T15:00:00Z");
	/* Zero from working time is that instant; from outside, the next start. */
	assert_int_equal(bizcal_add(&c, fri16, 0), fri16);
	expect_time(bizcal_add(&c, at("2026-01-16T11:45:00Z"), 0), "2026-01-16T12:30:00Z");   /* 13:30 */
	expect_time(bizcal_add(&c, at("2026-01-17T10:00:00Z"), 0), "2026-01-19T08:00:00Z");   /* Monday 09:00 */
	expect_time(bizcal_add(&c, at("2026-01-17T10:00:00Z"), -5), "2026-01-19T08:00:00Z");
	/* Used up exactly at a span's end: that end, not the next start. */
	expect_time(bizcal_add(&c, fri16, 5400), "2026-01-16T16:30:00Z");
	expect_time(bizcal_add(&c, fri16, 5401), "2026-01-19T08:00:01Z");
	/* 11:00-12:30 gives 1.5 h, the last hour after lunch ends at 14:30. */
	expect_time(bizcal_add(&c, at("2026-01-16T10:00:00Z"), 9000), "2026-01-16T13:30:00Z");
	/* Exactly nine working days from Monday 5 January 09:00: Thursday 15th at 17:30. */
	expect_time(bizcal_add(&c, at("2026-01-05T08:00:00Z"), 9 * 27000), "2026-01-15T16:30:00Z");
	expect_time(bizcal_add(&c, at("2026-01-05T08:00:00Z"), 9 * 27000 + 1), "2026-01-16T08:00:01Z");
	assert_int_equal(bizcal_add(&c, 0, INT64_MAX), INT64_MAX);
	bizcal_free(&c);
}

/* A calendar that works on Sundays sees the clock changes. */
static void test_dst_sunday_calendar(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, "{\"days\": [\"sun\"], \"hours\": [[\"09:00\", \"17:00\"]]}");
	/* 09:00-17:00 local is 8 h on both days the clocks change. */
	assert_int_equal(bizcal_seconds(&c, at("2026-03-28T12:00:00Z"), at("2026-03-30T12:00:00Z")), 8 * HOUR);
	assert_int_equal(bizcal_seconds(&c, at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z")), 8 * HOUR);
	expect_time(bizcal_add(&c, at("2026-03-28T12:00:00Z"), 0), "2026-03-29T07:00:00Z");   /* 09:00 CEST */
	expect_time(bizcal_add(&c, at("2026-10-24T12:00:00Z"), 8 * HOUR), "2026-10-25T16:00:00Z");   /* 17:00 CET */
	bizcal_free(&c);

	/* 01:00-04:00 spans the changed hour: 2 h in spring, 4 h in autumn. */
	parse_ok(&c, "{\"days\": [\"sun\"], \"hours\": [[\"01:00\", \"04:00\"]]}");
	assert_int_equal(bizcal_seconds(&c, at("2026-03-28T12:00:00Z"), at("2026-03-30T12:00:00Z")), 2 * HOUR);
	assert_int_equal(bizcal_seconds(&c, at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z")), 4 * HOUR);
	assert_int_equal(bizcal_seconds(&c, at("2026-03-21T12:00:00Z"), at("2026-03-23T12:00:00Z")), 3 * HOUR);
	/* Part of the autumn span: from 02:30 the first time (00:30Z) to 03:30 CET (02:30Z). */
	assert_int_equal(bizcal_seconds(&c, at("2026-10-25T00:30:00Z"), at("2026-10-25T02:30:00Z")), 2 * HOUR);
	expect_time(bizcal_add(&c, at("2026-03-28T12:00:00Z"), 90 * 60), "2026-03-29T01:30:00Z");   /* 03:30 CEST */
	bizcal_free(&c);

	/* A span that starts inside the spring gap starts when the clock jumps:
	 * of 02:30-05:00 only 03:00-05:00 CEST exists. */
	parse_ok(&c, "{\"days\": [\"sun\"], \"hours\": [[\"02:30\", \"05:00\"]]}");
	assert_int_equal(bizcal_seconds(&c, at("2026-03-28T12:00:00Z"), at("2026-03-30T12:00:00Z")), 2 * HOUR);
	expect_time(bizcal_add(&c, at("2026-03-28T12:00:00Z"), 0), "2026-03-29T01:00:00Z");
	bizcal_free(&c);

	/* And one that lies wholly inside it does not exist that day. */
	parse_ok(&c, "{\"days\": [\"sun\"], \"hours\": [[\"02:15\", \"02:45\"]]}");
	assert_int_equal(bizcal_seconds(&c, at("2026-03-28T12:00:00Z"), at("2026-03-30T12:00:00Z")), 0);
	assert_int_equal(bizcal_seconds(&c, at("2026-03-21T12:00:00Z"), at("2026-03-30T12:00:00Z")), 1800);
	expect_time(bizcal_add(&c, at("2026-03-28T12:00:00Z"), 0), "2026-04-05T00:15:00Z");
	bizcal_free(&c);
}

/* Zones that change at midnight, as Brazil's did.  A span runs from the
 * first instant the clock shows its start to the first instant it shows
 * its end, whatever the clock does in between. */
static tz *brazil_zone(const char *name, const char *footer)
{
	zone_spec s = { .version = '2', .ntypes = 1, .off = { -10800 }, .footer = footer };
	unsigned char buf[512];
	size_t h2;
	write_zone(name, buf, build_zone(&s, buf, &h2));
	return load(name);
}

static void test_changes_at_midnight(void **state)
{
	(void)state;
	tz_free(brazil_zone("Test/Brazil", "<-03>3<-02>,M10.2.0/0,M2.3.0/0"));
	bizcal c;
	parse_ok(&c, "{\"time_zone\": \"Test/Brazil\", \"days\": [\"sat\", \"sun\"], "
	             "\"hours\": [[\"00:00\", \"01:00\"], [\"23:00\", \"24:00\"]]}");
	/* Summer time ends at Sunday 15 February 2026 00:00 (02:00Z), when the
	 * clock goes from Saturday 23:59:59 back to 23:00: it shows midnight
	 * only an hour later, so Saturday's last span lasts 2 h. */
	int64_t t = at("2026-02-15T02:00:00Z");
	assert_int_equal(bizcal_seconds(&c, t - HOUR, t + HOUR), 2 * HOUR);
	assert_int_equal(bizcal_seconds(&c, t + HOUR, t + 2 * HOUR), HOUR);   /* Sunday 00:00-01:00 */
	assert_int_equal(bizcal_seconds(&c, at("2026-02-14T02:00:00Z"), at("2026-02-16T03:00:00Z")), 5 * HOUR);
	/* It begins at Sunday 11 October 00:00 (03:00Z), the clock going to
	 * 01:00: Sunday 00:00-01:00 does not exist, Saturday's last hour does. */
	assert_int_equal(bizcal_seconds(&c, at("2026-10-10T03:00:00Z"), at("2026-10-12T02:00:00Z")), 3 * HOUR);
	expect_time(bizcal_add(&c, at("2026-10-10T03:00:00Z"), 2 * HOUR), "2026-10-11T03:00:00Z");
	expect_time(bizcal_add(&c, at("2026-10-10T03:00:00Z"), 2 * HOUR + 1), "2026-10-12T01:00:01Z");
	bizcal_free(&c);

	/* Going back at 00:30 to 23:30: Sunday's 00:00-01:00 starts at 02:00Z,
	 * when the clock first shows midnight, and runs until it shows 01:00 at
	 * 04:00Z, through half an hour that reads Saturday 23:30-23:59. */
	tz_free(brazil_zone("Test/Brazil2", "<-03>3<-02>,M10.2.0/0,M2.3.0/0:30"));
	parse_ok(&c, "{\"time_zone\": \"Test/Brazil2\", \"days\": [\"sat\", \"sun\"], "
	             "\"hours\": [[\"00:00\", \"01:00\"], [\"23:00\", \"24:00\"]]}");
	assert_int_equal(bizcal_seconds(&c, t, t + 2 * HOUR), 2 * HOUR);
	assert_int_equal(bizcal_seconds(&c, t + 35 * 60, t + 55 * 60), 1200);   /* reads Saturday 23:05-23:25 */
	assert_int_equal(bizcal_add(&c, t + 35 * 60, 0), t + 35 * 60);
	/* 85 min to 04:00Z, then Sunday 23:00-24:00 (02:00Z-03:00Z). */
	expect_time(bizcal_add(&c, t + 35 * 60, 145 * 60), "2026-02-16T03:00:00Z");
	bizcal_free(&c);
	/* That half hour belongs to Sunday: a Sunday holiday takes it away. */
	parse_ok(&c, "{\"time_zone\": \"Test/Brazil2\", \"days\": [\"sat\", \"sun\"], "
	             "\"hours\": [[\"00:00\", \"01:00\"], [\"23:00\", \"24:00\"]], \"holidays\": [\"2026-02-15\"]}");
	assert_int_equal(bizcal_seconds(&c, t + 35 * 60, t + 55 * 60), 0);
	assert_int_equal(bizcal_seconds(&c, t - HOUR, t + 2 * HOUR), HOUR);   /* Saturday 23:00 to the first midnight */
	bizcal_free(&c);
}

/* A Monday-Friday calendar does not notice clock changes on Sundays. */
static void test_dst_weekdays_2026(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	/* Monday 23 March to Monday 6 April, local midnights: ten days of 7.5 h. */
	assert_int_equal(bizcal_seconds(&c, at("2026-03-22T23:00:00Z"), at("2026-04-05T22:00:00Z")), 10 * 27000);
	/* Friday 16:00 CET to Monday 10:00 CEST across the spring change. */
	assert_int_equal(bizcal_seconds(&c, at("2026-03-27T15:00:00Z"), at("2026-03-30T08:00:00Z")), 9000);
	expect_time(bizcal_add(&c, at("2026-03-27T15:00:00Z"), 9000), "2026-03-30T08:00:00Z");
	/* Friday 16:00 CEST to Monday 10:00 CET across the autumn change. */
	assert_int_equal(bizcal_seconds(&c, at("2026-10-23T14:00:00Z"), at("2026-10-26T09:00:00Z")), 9000);
	expect_time(bizcal_add(&c, at("2026-10-23T14:00:00Z"), 9000), "2026-10-26T09:00:00Z");
	/* All of 2026 (from local midnight to local midnight): 261 weekdays. */
	assert_int_equal(bizcal_seconds(&c, at("2025-12-31T23:00:00Z"), at("2026-12-31T23:00:00Z")), 261 * 27000);
	bizcal_free(&c);
}

/* The plain definition, counted in five-minute steps: each step whose local
 * wall time falls in a span of a working day.  Every boundary here (spans,
 * clock changes, the range ends) is on a five-minute mark. */
static int64_t brute_force(const bizcal *c, int64_t from, int64_t to)
{
	int64_t s = 0;
	for (int64_t u = from; u < to; u += 300) {
		int64_t w = u + tz_offset(c->zone, u);
		int64_t day = w / DAY - (w % DAY < 0), minute = (w - day * DAY) / 60;
		int wd = (int)((day + 3) % 7 + 7) % 7;
		int off = !(c->days >> wd & 1);
		for (size_t i = 0; i < c->nholidays; i++)
			off |= c->holidays[i] == day;
		for (int i = 0; !off && i < c->nspans; i++)
			if (minute >= c->spans[i][0] && minute < c->spans[i][1])
				s += 300;
	}
	return s;
}

static void check_against_brute_force(const char *json, const char *zone_hint)
{
	bizcal c;
	parse_ok(&c, json);
	int64_t y0 = at("2026-01-01T00:00:00Z");
	int64_t full = brute_force(&c, y0, y0 + 365 * DAY);
	if (bizcal_seconds(&c, y0, y0 + 365 * DAY) != full)
		fail_msg("%s: 2026 gives %lld, counted %lld", zone_hint,
		         (long long)bizcal_seconds(&c, y0, y0 + 365 * DAY), (long long)full);
	/* Ranges near the clock changes and anywhere, up to three weeks long. */
	static const char *const near[] = { "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z",
	                                    "2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z" };
	for (int i = 0; i < 200; i++) {
		int64_t base = i % 2 ? at(near[rnd(4)]) - 4 * DAY : y0;
		int64_t span = i % 2 ? 8 * DAY : 360 * DAY;
		int64_t from = base + (int64_t)rnd((uint64_t)span / 300) * 300;
		int64_t to = from + (int64_t)rnd(21 * DAY / 300) * 300;
		int64_t want = brute_force(&c, from, to), got = bizcal_seconds(&c, from, to);
		if (got != want)
			fail_msg("%s: [%lld, %lld) gives %lld, counted %lld", zone_hint, (long long)from,
			         (long long)to, (long long)got, (long long)want);
		if (want == 0)
			continue;
		/* bizcal_add is the inverse: the first instant with that much behind it. */
		int64_t part = 1 + (int64_t)rnd((uint64_t)want);
		int64_t t = bizcal_add(&c, from, part);
		assert_int_equal(bizcal_seconds(&c, from, t), part);
		assert_true(bizcal_seconds(&c, from, t - 1) < part);
	}
	bizcal_free(&c);
}

static void test_against_brute_force(void **state)
{
	(void)state;
	check_against_brute_force("{\"holidays\": [\"2026-03-27\", \"2026-03-30\", \"2026-10-26\", \"2026-12-25\"]}",
	                          "Zurich office");
	check_against_brute_force("{\"days\": [\"mon\", \"wed\", \"sat\", \"sun\"], "
	                          "\"hours\": [[\"00:00\", \"01:30\"], [\"01:45\", \"04:00\"], [\"09:00\", \"17:00\"], "
	                          "[\"22:00\", \"24:00\"]], \"holidays\": [\"2026-10-25\"]}",
	                          "Zurich around the clock");
	check_against_brute_force("{\"time_zone\": \"America/New_York\", \"days\": [\"sun\", \"mon\", \"fri\"], "
	                          "\"hours\": [[\"01:00\", \"03:30\"], [\"08:00\", \"18:00\"]]}",
	                          "New York");
	check_against_brute_force("{\"time_zone\": \"Asia/Kolkata\", \"hours\": [[\"09:30\", \"18:00\"]]}", "Kolkata");
}

/* Long ranges are counted arithmetically: checked against a count of
 * weekdays, and timed. */
static void test_long_ranges(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	int64_t from = at("1999-12-31T23:00:00Z"), to = at("2199-12-31T23:00:00Z");   /* local midnights */
	int64_t weekdays = 0;
	for (int64_t d = from / DAY + 1; d < to / DAY + 1; d++)
		weekdays += (d + 3) % 7 < 5;
	uint64_t t0 = clock_micros();
	assert_int_equal(bizcal_seconds(&c, from, to), weekdays * 27000);
	/* Ten years of working time from a Monday morning. */
	int64_t monday = at("2026-01-05T08:00:00Z"), ten = 10 * 261 * (int64_t)27000;
	int64_t due = bizcal_add(&c, monday, ten);
	assert_int_equal(bizcal_seconds(&c, monday, due), ten);
	assert_true(due > at("2035-12-01T00:00:00Z") && due < at("2036-02-01T00:00:00Z"));
	uint64_t spent = clock_micros() - t0;
	if (spent > 2000000)
		fail_msg("two centuries and ten years took %llu µs", (unsigned long long)spent);
	bizcal_free(&c);
}

/* ---- sla: clocks ---- */

static void test_pause_over_weekend(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	/* Received Friday 16 January 2026 15:00 Zurich; at 16:00 the desk asks the
	 * requester for a document (paused); the answer comes Monday 11:00
	 * (running again). */
	int64_t start = at("2026-01-16T14:00:00Z");
	sla_event ev[] = { { at("2026-01-16T15:00:00Z"), 1 }, { at("2026-01-19T10:00:00Z"), 0 } };

	/* Saturday: 1 h has run, the clock is paused, no due time. */
	int64_t sat = at("2026-01-17T09:00:00Z");
	assert_int_equal(sla_elapsed(&c, start, ev, 2, sat), HOUR);
	assert_int_equal(sla_due(&c, start, ev, 2, sat, 8 * HOUR), INT64_MAX);
	assert_int_equal(sla_due(&c, start, ev, 2, sat, 1800), INT64_MAX);   /* even one reached before */

	/* Monday 12:00: 1 h on Friday and 11:00-12:00 on Monday; 09:00-11:00 was paused. */
	int64_t mon = at("2026-01-19T11:00:00Z");
	assert_int_equal(sla_elapsed(&c, start, ev, 2, mon), 2 * HOUR);
	/* 6 h to go from Monday 12:00: 0.5 h to 12:30, 4 h in the afternoon,
	 * then 1.5 h on Tuesday from 09:00: 10:30 local, 09:30Z. */
	expect_time(sla_due(&c, start, ev, 2, mon, 8 * HOUR), "2026-01-20T09:30:00Z");
	/* A target of 1.5 h was reached already, at Monday 11:30. */
	expect_time(sla_due(&c, start, ev, 2, mon, 5400), "2026-01-19T10:30:00Z");
	/* ... and one of 1 h when Friday's pause began. */
	expect_time(sla_due(&c, start, ev, 2, mon, HOUR), "2026-01-16T15:00:00Z");

	/* Without the pause it would have run 2.5 h on Friday and 3 h on Monday. */
	assert_int_equal(sla_elapsed(&c, start, NULL, 0, mon), 5 * HOUR + 1800);
	/* 2.5 h Friday, 3.5 h Monday morning, 2 h from 13:30: 15:30 local. */
	expect_time(sla_due(&c, start, NULL, 0, mon, 8 * HOUR), "2026-01-19T14:30:00Z");
	bizcal_free(&c);
}

static void test_clock_edge_cases(void **state)
{
	(void)state;
	bizcal c;
	parse_ok(&c, NULL);
	int64_t start = at("2026-01-19T08:00:00Z");   /* Monday 09:00 */
	int64_t now = at("2026-01-19T10:00:00Z");     /* Monday 11:00 */
	/* Nothing has run before start or when now is not after it. */
	assert_int_equal(sla_elapsed(&c, start, NULL, 0, start), 0);
	assert_int_equal(sla_elapsed(&c, start, NULL, 0, start - HOUR), 0);
	expect_time(sla_due(&c, start, NULL, 0, start - DAY, HOUR), "2026-01-19T09:00:00Z");

	/* Events after now have not happened. */
	sla_event later[] = { { at("2026-01-19T10:30:00Z"), 1 } };
	assert_int_equal(sla_elapsed(&c, start, later, 1, now), 2 * HOUR);
	expect_time(sla_due(&c, start, later, 1, now, 3 * HOUR), "2026-01-19T11:00:00Z");   /* 12:00 */

	/* Paused before start: the clock starts paused. */
	sla_event before[] = { { start - DAY, 1 } };
	assert_int_equal(sla_elapsed(&c, start, before, 1, now), 0);
	assert_int_equal(sla_due(&c, start, before, 1, now, HOUR), INT64_MAX);

	/* Paused and resumed several times the same morning. */
	sla_event often[] = {
		{ at("2026-01-19T08:15:00Z"), 1 }, { at("2026-01-19T08:30:00Z"), 0 },
		{ at("2026-01-19T08:45:00Z"), 1 }, { at("2026-01-19T09:00:00Z"), 1 },   /* paused twice */
		{ at("2026-01-19T09:30:00Z"), 0 }, { at("2026-01-19T09:30:00Z"), 0 },   /* resumed twice */
	};
	/* 09:00-09:15, 09:30-09:45, 10:30-11:00: 15 + 15 + 30 minutes. */
	assert_int_equal(sla_elapsed(&c, start, often, 6, now), HOUR);
	expect_time(sla_due(&c, start, often, 6, now, 2 * HOUR), "2026-01-19T11:00:00Z");
	expect_time(sla_due(&c, start, often, 6, now, 1800), "2026-01-19T08:45:00Z");   /* 09:45 */
	assert_int_equal(sla_due(&c, start, often, 6, now, 0), start);
	bizcal_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zurich_2026),
		cmocka_unit_test(test_new_york_2026),
		cmocka_unit_test(test_kolkata_half_hour),
		cmocka_unit_test_setup_teardown(test_utc, tzdir_setup, tzdir_teardown),
		cmocka_unit_test(test_far_future_from_footer),
		cmocka_unit_test(test_next_change),
		cmocka_unit_test(test_to_utc_gap_and_overlap),
		cmocka_unit_test_setup_teardown(test_footer_rule_forms, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_footer_rule_errors, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_empty_footer_and_version_1, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_files, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_scribbled_files, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_damaged_fields, tzdir_setup, tzdir_teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, tzdir_setup, tzdir_teardown),
		cmocka_unit_test(test_calendar_defaults),
		cmocka_unit_test(test_calendar_errors),
		cmocka_unit_test(test_friday_to_monday),
		cmocka_unit_test(test_holidays_skipped),
		cmocka_unit_test(test_first_response_over_christmas),
		cmocka_unit_test(test_add_edges),
		cmocka_unit_test(test_dst_sunday_calendar),
		cmocka_unit_test_setup_teardown(test_changes_at_midnight, tzdir_setup, tzdir_teardown),
		cmocka_unit_test(test_dst_weekdays_2026),
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_long_ranges),
		cmocka_unit_test(test_pause_over_weekend),
		cmocka_unit_test(test_clock_edge_cases),
	};
	return cmocka_run_group_tests_name("sla", tests, NULL, NULL);
}
