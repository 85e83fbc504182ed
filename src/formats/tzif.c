/*
 * tzif — reader of TZif files (RFC 8536) and of the POSIX TZ rule in their
 * footer; see tzif.h.
 *
 * A zone is its transition table (instants and the offset in force from
 * each) plus, for instants after the last transition, the footer rule.
 * Version 2 and later files carry the table twice, with 32-bit and with
 * 64-bit instants; only the 64-bit copy is used, the 32-bit one is skipped.
 * Every count, length and index is checked before it is used: a file cut
 * short or scribbled over is reported as damaged, never read past its end.
 *
 * The rule is evaluated for the years around the instant asked about, so
 * no table of future transitions is ever built.
 */
#include "core/errmsg.h"
#include "formats/tzif.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_MAX_FILE (1 << 20)    /* real files are a few kilobytes */
#define TZ_MAX_NAME 200

/* RFC 8536 bounds for offsets (just over a day either way); relied upon by
 * tz_to_utc to bound its search. */
#define OFF_MIN (-89999)
#define OFF_MAX 93599

/* Instants beyond about three million years are clamped before the rule is
 * evaluated, so that year arithmetic cannot overflow. */
#define T_LIMIT INT64_C(100000000000000)

#define DAY 86400

enum { RULE_JULIAN, RULE_ZERO, RULE_MONTH };   /* Jn, n, Mm.w.d */

typedef struct rule_date {
	int kind;
	int n;              /* Jn: 1..365 without Feb 29; n: 0..365 with it */
	int m, w, d;        /* Mm.w.d: month, week 1..5 (5 = last), weekday 0 = Sunday */
	int32_t time;       /* seconds after local midnight, -167 h .. 167 h */
} rule_date;

typedef struct posix_rule {
	int32_t std_off, dst_off;   /* seconds east of UTC */
	int has_dst;
	rule_date start, end;       /* start in standard time, end in daylight time */
} posix_rule;

struct tz {
	int64_t *at;            /* transition instants, strictly ascending */
	unsigned char *type;    /* index into off, in force from at[i] */
	int32_t *off;           /* utoff of each local time type */
	size_t nat, ntypes;
	int has_rule;           /* the footer governs after the last transition */
	posix_rule rule;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();   /* the project's policy: no memory, no service */
	return p;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }
static int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/* ---- calendar arithmetic for the rule ---- */

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date.  Counting from
 * March makes the leap day the last of the counted year, so whole 400-year
 * eras (146097 days) and a closed form per month suffice. */
static int64_t days_from_date(int64_t y, int m, int d)
{
	if (m <= 2)
		y--;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;                          /* 0..399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
	return era * 146097 + doe - 719468;                   /* 719468: 0000-03-01 to 1970-01-01 */
}

/* The year a day belongs to: an estimate, then corrected by at most a step. */
static int64_t year_of_day(int64_t day)
{
	int64_t y = 1970 + floor_div(day * 400, 146097);
	while (days_from_date(y, 1, 1) > day)
		y--;
	while (days_from_date(y + 1, 1, 1) <= day)
		y++;
	return y;
}

/* The local day (days since the epoch) a rule date falls on in year y. */
static int64_t rule_day(const rule_date *r, int64_t y)
{
	int64_t jan1 = days_from_date(y, 1, 1);
	if (r->kind == RULE_JULIAN)
		return jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
	if (r->kind == RULE_ZERO)
		return jan1 + r->n;
	int64_t first = days_from_date(y, r->m, 1);
	int wd = (int)floor_mod(first + 4, 7);   /* 1970-01-01 was a Thursday */
	int day = (r->d - wd + 7) % 7 + (r->w - 1) * 7;
	while (day >= days_in_month(y, r->m))
		day -= 7;                            /* week 5 means the last one */
	return first + day;
}

typedef struct rule_event {
	int64_t at;
	int dst;    /* 1: daylight time starts; 0: it ends */
} rule_event;

/* The rule's transitions of years y-1 .. y+2, in rule order (each year's
 * start, then its end).  Transition times may be 167 h off their date, but
 * that keeps every year's events within a week or two of the year, so these
 * four years bracket any instant of year y. */
static void rule_events(const posix_rule *r, int64_t y, rule_event ev[8])
{
	for (int i = 0; i < 4; i++) {
		int64_t yy = y - 1 + i;
		ev[2 * i].at = rule_day(&r->start, yy) * DAY + r->start.time - r->std_off;
		ev[2 * i].dst = 1;
		ev[2 * i + 1].at = rule_day(&r->end, yy) * DAY + r->end.time - r->dst_off;
		ev[2 * i + 1].dst = 0;
	}
}

static int64_t clamp_t(int64_t t)
{
	return t < -T_LIMIT ? -T_LIMIT : t > T_LIMIT ? T_LIMIT : t;
}

/* The offset the rule gives at t.  Of events at the same instant the later
 * in rule order wins: that is how "all year daylight time" rules
 * (EST5EDT,0/0,J365/25), whose end meets next year's start, stay in
 * daylight time. */
static int32_t rule_offset(const posix_rule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std_off;
	t = clamp_t(t);
	rule_event ev[8];
	rule_events(r, year_of_day(floor_div(t, DAY)), ev);
	int dst = 0, found = 0;
	int64_t best = 0;
	for (int i = 0; i < 8; i++) {
		if (ev[i].at <= t && (!found || ev[i].at >= best)) {
			best = ev[i].at;
			dst = ev[i].dst;
			found = 1;
		}
	}
	return dst ? r->dst_off : r->std_off;
}

static int64_t rule_next(const posix_rule *r, int64_t t)
{
	if (!r->has_dst || t >= T_LIMIT)
		return INT64_MAX;
	t = clamp_t(t);
	rule_event ev[8];
	rule_events(r, year_of_day(floor_div(t, DAY)), ev);
	int64_t next = INT64_MAX;
	for (int i = 0; i < 8; i++)
		if (ev[i].at > t && ev[i].at < next)
			next = ev[i].at;
	return next;
}

/* ---- the POSIX TZ string ---- */

/* A designation: three or more letters, or <...> of letters, digits, + and -. */
static int parse_name(const char **s)
{
	const char *p = *s;
	if (*p == '<') {
		const char *b = ++p;
		while (isalnum((unsigned char)*p) || *p == '+' || *p == '-')
			p++;
		if (*p != '>' || p - b < 3)
			return -1;
		*s = p + 1;
		return 0;
	}
	const char *b = p;
	while (isalpha((unsigned char)*p))
		p++;
	if (p - b < 3)
		return -1;
	*s = p;
	return 0;
}

/* An unsigned number of 1..maxdig digits, at most max. */
static int parse_uint(const char **s, int maxdig, int max, int *v)
{
	const char *p = *s;
	int n = 0, k = 0;
	while (k < maxdig && isdigit((unsigned char)p[k])) {
		n = n * 10 + (p[k] - '0');
		k++;
	}
	if (k == 0 || n > max)
		return -1;
	*s = p + k;
	*v = n;
	return 0;
}

/* [+-]hh[:mm[:ss]] in seconds, hours up to maxh. */
static int parse_hms(const char **s, int maxh, int32_t *secs)
{
	const char *p = *s;
	int sign = 1, h, m = 0, sec = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (parse_uint(&p, 3, maxh, &h) < 0)
		return -1;
	if (*p == ':') {
		p++;
		if (parse_uint(&p, 2, 59, &m) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (parse_uint(&p, 2, 59, &sec) < 0)
				return -1;
		}
	}
	*s = p;
	*secs = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

/* The offset of a TZ string counts hours west of UTC; ours count east. */
static int parse_offset(const char **s, int32_t *east)
{
	int32_t west;
	if (parse_hms(s, 24, &west) < 0)
		return -1;
	*east = -west;
	return 0;
}

/* Jn, n or Mm.w.d, then an optional /time (RFC 8536 allows -167..167 h). */
static int parse_rule_date(const char **s, rule_date *r)
{
	const char *p = *s;
	int ok;
	if (*p == 'J') {
		p++;
		r->kind = RULE_JULIAN;
		ok = parse_uint(&p, 3, 365, &r->n) == 0 && r->n >= 1;
	} else if (*p == 'M') {
		p++;
		r->kind = RULE_MONTH;
		ok = parse_uint(&p, 2, 12, &r->m) == 0 && r->m >= 1 && *p++ == '.' &&
		     parse_uint(&p, 1, 5, &r->w) == 0 && r->w >= 1 && *p++ == '.' &&
		     parse_uint(&p, 1, 6, &r->d) == 0;
	} else {
		r->kind = RULE_ZERO;
		ok = parse_uint(&p, 3, 365, &r->n) == 0;
	}
	if (!ok)
		return -1;
	r->time = 7200;
	if (*p == '/') {
		p++;
		if (parse_hms(&p, 167, &r->time) < 0)
			return -1;
	}
	*s = p;
	return 0;
}

static int parse_posix(const char *s, posix_rule *r)
{
	memset(r, 0, sizeof *r);
	if (parse_name(&s) < 0 || parse_offset(&s, &r->std_off) < 0)
		return -1;
	if (*s == '\0')
		return 0;
	if (parse_name(&s) < 0)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && parse_offset(&s, &r->dst_off) < 0)
		return -1;
	/* Without a rule the daylight time's dates would be a guess. */
	if (*s++ != ',' || parse_rule_date(&s, &r->start) < 0 || *s++ != ',' ||
	    parse_rule_date(&s, &r->end) < 0 || *s != '\0')
		return -1;
	return 0;
}

/* ---- the binary file ---- */

typedef struct reader {
	const unsigned char *p;
	size_t len, pos;
} reader;

static const unsigned char *take(reader *r, size_t n)
{
	if (n > r->len - r->pos)
		return NULL;
	const unsigned char *p = r->p + r->pos;
	r->pos += n;
	return p;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct header {
	int version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} header;

static const char *read_header(reader *r, header *h)
{
	const unsigned char *p = take(r, 44);
	if (!p)
		return "header cut short";
	if (memcmp(p, "TZif", 4) != 0)
		return "not a TZif file";
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '4')
		h->version = p[4] - '0';
	else
		return "unknown version";
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256 || h->charcnt == 0)
		return "bad counts";
	if ((h->isutcnt && h->isutcnt != h->typecnt) || (h->isstdcnt && h->isstdcnt != h->typecnt))
		return "bad counts";
	if (h->leapcnt)
		return "leap-second zones are not supported";
	return NULL;
}

/* Bytes of the data block after a header; counts are 32-bit, so this
 * cannot overflow a 64-bit size_t. */
static size_t block_size(const header *h, size_t tsize)
{
	return h->timecnt * (tsize + 1) + h->typecnt * (size_t)6 + h->charcnt +
	       h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static const char *read_types(reader *r, const header *h, tz *z)
{
	const unsigned char *info = take(r, h->typecnt * (size_t)6);
	const unsigned char *chars = take(r, h->charcnt);
	if (!info || !chars)
		return "cut short";
	for (size_t i = 0; i < h->typecnt; i++) {
		const unsigned char *t = info + 6 * i;
		int32_t off = (int32_t)be32(t);
		if (off < OFF_MIN || off > OFF_MAX)
			return "offset out of range";
		if (t[4] > 1)
			return "bad daylight flag";
		if (t[5] >= h->charcnt || !memchr(chars + t[5], 0, h->charcnt - t[5]))
			return "bad designation";
		z->off[i] = off;
	}
	return NULL;
}

/* The standard/wall and UT/local indicators: only checked, since they
 * matter only to tools that build rules from the file. */
static const char *read_indicators(reader *r, const header *h)
{
	const unsigned char *std = take(r, h->isstdcnt);
	const unsigned char *ut = take(r, h->isutcnt);
	if (!std || !ut)
		return "cut short";
	for (size_t i = 0; i < h->typecnt; i++) {
		int s = h->isstdcnt ? std[i] : 0, u = h->isutcnt ? ut[i] : 0;
		if (s > 1 || u > 1 || (u && !s))
			return "bad indicators";
	}
	return NULL;
}

static const char *read_block(reader *r, const header *h, size_t tsize, tz *z)
{
	if (block_size(h, tsize) > r->len - r->pos)
		return "cut short";
	z->nat = h->timecnt;
	z->ntypes = h->typecnt;
	z->at = xcalloc(z->nat, sizeof *z->at);
	z->type = xcalloc(z->nat, 1);
	z->off = xcalloc(z->ntypes, sizeof *z->off);
	const unsigned char *times = take(r, z->nat * tsize);
	const unsigned char *idx = take(r, z->nat);
	for (size_t i = 0; i < z->nat; i++) {
		const unsigned char *p = times + i * tsize;
		z->at[i] = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
		if (i > 0 && z->at[i] <= z->at[i - 1])
			return "transitions out of order";
		if (idx[i] >= h->typecnt)
			return "bad type index";
		z->type[i] = idx[i];
	}
	const char *why = read_types(r, h, z);
	if (!why)
		why = read_indicators(r, h);
	return why;
}

/* "\n" TZ string "\n", and nothing after it. */
static const char *read_footer(reader *r, tz *z)
{
	const unsigned char *nl = take(r, 1);
	if (!nl || *nl != '\n')
		return "footer missing";
	const unsigned char *s = r->p + r->pos;
	const unsigned char *end = memchr(s, '\n', r->len - r->pos);
	if (!end)
		return "footer cut short";
	size_t n = (size_t)(end - s);
	if (r->pos + n + 1 != r->len)
		return "data after the footer";
	if (n == 0)
		return NULL;   /* no rule: the last transition's type goes on */
	char text[256];
	if (n >= sizeof text || memchr(s, 0, n))
		return "bad footer";
	memcpy(text, s, n);
	text[n] = '\0';
	if (parse_posix(text, &z->rule) < 0)
		return "bad footer TZ string";
	z->has_rule = 1;
	return NULL;
}

static const char *parse_file(const unsigned char *data, size_t len, tz *z)
{
	reader r = { data, len, 0 };
	header h1, h2;
	const char *why = read_header(&r, &h1);
	if (why)
		return why;
	if (h1.version == 1) {
		why = read_block(&r, &h1, 4, z);
		if (!why && r.pos != r.len)
			why = "data after the end";
		return why;
	}
	if (block_size(&h1, 4) > r.len - r.pos)
		return "cut short";
	r.pos += block_size(&h1, 4);
	why = read_header(&r, &h2);
	if (!why && h2.version != h1.version)
		why = "headers disagree";
	if (!why)
		why = read_block(&r, &h2, 8, z);
	if (!why)
		why = read_footer(&r, z);
	return why;
}

/* ---- loading ---- */

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > TZ_MAX_NAME || s[0] == '/' || strstr(s, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && !strchr("/_+-.", c))
			return 0;
	}
	return 1;
}

static tz *new_utc(void)
{
	tz *z = xcalloc(1, sizeof *z);
	z->ntypes = 1;
	z->off = xcalloc(1, sizeof *z->off);
	return z;
}

/* Whole file into memory; -1 with errno set (ENOENT when missing or not a
 * regular file, EFBIG when implausibly large). */
static int read_file(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int e = 0;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = ENOENT;   /* a directory such as "Europe" is no zone */
	else if (st.st_size > TZ_MAX_FILE)
		e = EFBIG;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	unsigned char *p = xcalloc((size_t)st.st_size + 1, 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, p + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;   /* a file that shrank is read as far as it goes */
		got += (size_t)k;
	}
	close(fd);
	*data = p;
	*len = got;
	return 0;
}

int tz_load(const char *name, tz **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!name || !valid_name(name))
		return errmsg(err, errlen, "'%.64s' is not a time zone name", name ? name : "");
	if (strcmp(name, "UTC") == 0) {
		*out = new_utc();
		return 0;
	}
	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = TZ_DEFAULT_DIR;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return errmsg(err, errlen, "time zone directory path too long");

	unsigned char *data;
	size_t len;
	if (read_file(path, &data, &len) < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR)
			return errmsg(err, errlen, "unknown time zone '%s'", name);
		return errmsg(err, errlen, "time zone '%s': %s", name, strerror(errno));
	}
	char reason[160];
	int rc = tz_parse(data, len, out, reason, sizeof reason);
	free(data);
	if (rc < 0)
		return errmsg(err, errlen, "time zone '%s': %s", name, reason);
	return 0;
}

int tz_parse(const void *data, size_t len, tz **out, char *err, size_t errlen)
{
	tz *z = xcalloc(1, sizeof *z);
	const char *why = parse_file(data, len, z);
	if (why) {
		tz_free(z);
		*out = NULL;
		return errmsg(err, errlen, "damaged file (%s)", why);
	}
	*out = z;
	return 0;
}

void tz_free(tz *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->type);
	free(z->off);
	free(z);
}

int tz_known(const char *name)
{
	tz *z = NULL;
	char why[160];
	int known = name && tz_load(name, &z, why, sizeof why) == 0;
	tz_free(z);
	return known;
}

/* ---- queries ---- */

/* Index of the last transition at or before t; the caller made sure
 * at[0] <= t. */
static size_t last_at_or_before(const tz *z, int64_t t)
{
	size_t lo = 0, hi = z->nat;   /* at[lo] <= t; at[hi] > t or hi == nat */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int32_t tz_offset(const tz *z, int64_t utc)
{
	if (z->nat == 0)
		return z->has_rule ? rule_offset(&z->rule, utc) : z->off[0];
	if (utc < z->at[0])
		return z->off[0];   /* RFC 8536: type 0 before the first transition */
	/* From the last transition on (RFC 8536 says after it; in a sound file
	 * the two agree there) the rule decides, so that tz_next_change's
	 * stretches of constant offset hold even for a file that contradicts
	 * its own footer. */
	if (utc >= z->at[z->nat - 1] && z->has_rule)
		return rule_offset(&z->rule, utc);
	return z->off[z->type[last_at_or_before(z, utc)]];
}

int64_t tz_next_change(const tz *z, int64_t utc)
{
	if (z->nat > 0 && utc < z->at[z->nat - 1]) {
		if (utc < z->at[0])
			return z->at[0];
		return z->at[last_at_or_before(z, utc) + 1];
	}
	return z->has_rule ? rule_next(&z->rule, utc) : INT64_MAX;
}

/*
 * Any answer u satisfies u + offset(u) == local with the offset within
 * [OFF_MIN, OFF_MAX], so u lies in [local - OFF_MAX, local - OFF_MIN].  The
 * stretches of constant offset in that window are visited in time order:
 * the first that holds its candidate is the first occurrence.  A candidate
 * that falls past its stretch while the next stretch's falls before it
 * marks a gap; it is kept in case no real occurrence follows.
 */
int64_t tz_to_utc(const tz *z, int64_t local)
{
	local = clamp_t(local);
	int64_t seg = local - OFF_MAX, stop = local - OFF_MIN;
	int64_t gap = 0;
	int in_gap = 0;
	int32_t off = tz_offset(z, seg);
	for (int i = 0; i < 64; i++) {   /* real zones change at most a few times a day */
		int64_t next = tz_next_change(z, seg);
		int64_t u = local - off;
		if (u >= seg && u < next)
			return u;
		if (next > stop)
			break;
		int32_t after = tz_offset(z, next);
		if (!in_gap && u >= next && local - after < next) {
			gap = u;
			in_gap = 1;
		}
		seg = next;
		off = after;
	}
	return in_gap ? gap : local - tz_offset(z, local);
}
