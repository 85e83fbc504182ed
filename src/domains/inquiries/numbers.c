/*
 * numbers — the desk's figures: open inquiries by division and status, the
 * overdue ones, and per week and division the median working time to first
 * response and to resolution, as JSON or CSV.
 *
 *   GET /api/v1/inquiries/numbers[?weeks=12][&format=csv]
 *
 * Times are working hours on the desk's calendar, pauses (waiting on the
 * requester) left out, so that a week of long weekends does not look slow.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "formats/csv.h"
#include "model/access.h"

#define MAX_WEEKS 52
#define NDIV 8

static const char *const open_states[] = { "new", "triaged", "assigned", "waiting", "answered", NULL };

typedef struct series {
	double *v;
	size_t n, cap;
} series;

typedef struct tally {
	const desk_config *d;
	int64_t since;                       /* the Monday the first week starts */
	int weeks;
	series first[MAX_WEEKS][NDIV], resolved[MAX_WEEKS][NDIV];
} tally;

static void push(series *s, double x)
{
	if (s->n == s->cap) {
		double *nv = realloc(s->v, (s->cap = s->cap ? s->cap * 2 : 16) * sizeof *nv);
		if (!nv)
			return;
		s->v = nv;
	}
	s->v[s->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median, or -1 when there is nothing to take it of. */
static double median(series *s)
{
	if (!s->n)
		return -1;
	qsort(s->v, s->n, sizeof *s->v, cmp_double);
	return s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

static int64_t seconds(const char *iso)
{
	time_t t;
	return iso && clock_parse_time(iso, &t) == 0 ? (int64_t)t : 0;
}

/* The working hours the clock ran between arrival and `until`. */
static double worked(const tally *t, int64_t start, const char *clock, int64_t until)
{
	sla_event ev[64];
	size_t n = 0, i;
	json_t *a = json_loads(clock ? clock : "[]", 0, NULL), *e;
	json_array_foreach(a, i, e) {
		if (n < 64 && seconds(json_string_value(json_array_get(e, 0))) <= until)
			ev[n++] = (sla_event){ seconds(json_string_value(json_array_get(e, 0))), json_is_true(json_array_get(e, 1)) };
	}
	json_decref(a);
	return (double)sla_elapsed(&t->d->cal, start, ev, n, until) / 3600.0;
}

static int one(void *ctx, store_row *row)
{
	tally *t = ctx;
	const char *div = store_text(row, 0, NULL);
	int d = div ? enum_index(divisions, div) : -1;
	int64_t start = seconds(store_text(row, 1, NULL));
	int w = (int)((start - t->since) / (7 * 86400));
	if (d < 0 || w < 0 || w >= t->weeks)
		return 0;
	const char *clock = store_text(row, 4, NULL);
	int64_t first = seconds(store_text(row, 2, NULL)), resolved = seconds(store_text(row, 3, NULL));
	if (first)
		push(&t->first[w][d], worked(t, start, clock, first));
	if (resolved)
		push(&t->resolved[w][d], worked(t, start, clock, resolved));
	return 0;
}

static int64_t monday_weeks_ago(int weeks)
{
	int64_t now = (int64_t)time(NULL), day = now / 86400;
	int64_t monday = day - ((day + 3) % 7); /* 1970-01-01 was a Thursday */
	return (monday - 7 * (int64_t)(weeks - 1)) * 86400;
}

static void count_open(store_conn *c, buf *out, int csv)
{
	char now[32];
	clock_now_iso(now);
	for (int d = 0; d < NDIV; d++) {
		if (!csv)
			buf_printf(out, "%s\"%s\":{", d ? "," : "", divisions[d]);
		for (int s = 0; open_states[s]; s++) {
			store_cond w[] = { COND_EQ("archived", SV_INT_(0)), COND_EQ("division", sv_text(divisions[d])),
					   COND_EQ("status", sv_text(open_states[s])) };
			int64_t n = 0;
			store_count(c, "inquiries", w, 3, &n);
			if (csv)
				buf_printf(out, "open,%s,%s,,%lld\r\n", divisions[d], open_states[s], (long long)n);
			else
				buf_printf(out, "%s\"%s\":%lld", s ? "," : "", open_states[s], (long long)n);
		}
		store_cond late[] = { COND_EQ("archived", SV_INT_(0)), COND_EQ("division", sv_text(divisions[d])),
				      COND("resolution_due", OP_LT, sv_text(now)) };
		int64_t n = 0;
		store_count(c, "inquiries", late, 3, &n);
		if (csv)
			buf_printf(out, "overdue,%s,,,%lld\r\n", divisions[d], (long long)n);
		else
			buf_printf(out, ",\"overdue\":%lld}", (long long)n);
	}
}

static void weekly(tally *t, buf *out, int csv)
{
	for (int w = 0; w < t->weeks; w++) {
		char week[32];
		clock_iso((time_t)(t->since + (int64_t)w * 7 * 86400), week);
		week[10] = '\0';
		if (!csv)
			buf_printf(out, "%s{\"week\":\"%s\",\"divisions\":{", w ? "," : "", week);
		for (int d = 0; d < NDIV; d++) {
			double f = median(&t->first[w][d]), r = median(&t->resolved[w][d]);
			if (csv) {
				if (f >= 0)
					buf_printf(out, "median_first_response_hours,%s,,%s,%.2f\r\n", divisions[d], week, f);
				if (r >= 0)
					buf_printf(out, "median_resolution_hours,%s,,%s,%.2f\r\n", divisions[d], week, r);
				continue;
			}
			buf_printf(out, "%s\"%s\":{\"first_response_hours\":", d ? "," : "", divisions[d]);
			buf_printf(out, f >= 0 ? "%.2f" : "null", f);
			buf_puts(out, ",\"resolution_hours\":");
			buf_printf(out, r >= 0 ? "%.2f" : "null", r);
			buf_printf(out, ",\"answered\":%zu}", t->first[w][d].n);
		}
		if (!csv)
			buf_puts(out, "}}");
	}
}

void inquiries_numbers(request *r)
{
	const char *ws = http_query(r, "weeks"), *format = http_query(r, "format");
	int weeks = ws ? atoi(ws) : 12;
	int csv = format && !strcmp(format, "csv");
	if (weeks < 1 || weeks > MAX_WEEKS || (format && !csv && strcmp(format, "json"))) {
		http_problem(r, 400, "Bad request", "weeks is a number from 1 to %d; format is json or csv", MAX_WEEKS);
		return;
	}
	if (!access_is_staff(r->u) || r->u->role == ROLE_TRANSLATOR) {
		http_problem(r, r->u->role == ROLE_PUBLIC ? 401 : 403, "Forbidden", "the desk's numbers are for staff");
		return;
	}
	store_conn *c = store_reader(r->app->st);
	if (!c) {
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
		return;
	}
	tally *t = calloc(1, sizeof *t);
	if (!t) {
		http_problem(r, 503, "Busy", "not enough memory for the numbers");
		return;
	}
	t->d = desk();
	t->weeks = weeks;
	t->since = monday_weeks_ago(weeks);
	char since[32];
	clock_iso((time_t)t->since, since);
	static const char *const cols[] = { "division", "received_at", "first_response_at", "resolved_at", "clock" };
	store_cond w[] = { COND_EQ("archived", SV_INT_(0)), COND("received_at", OP_GE, sv_text(since)) };
	store_select q = { .table = "inquiries", .cols = cols, .ncols = 5, .where = w, .nwhere = 2 };
	buf out = BUF_INIT;
	if (csv)
		buf_puts(&out, "measure,division,status,week,value\r\n");
	else
		buf_puts(&out, "{\"open\":{");
	count_open(c, &out, csv);
	if (store_query(c, &q, one, t) != STORE_OK) {
		http_problem(r, 500, "Store error", "the inquiries could not be read");
	} else {
		if (!csv)
			buf_puts(&out, "},\"weeks\":[");
		weekly(t, &out, csv);
		if (!csv)
			buf_puts(&out, "]}");
		http_text(r, 200, csv ? "text/csv; charset=utf-8" : "application/json", out.data, out.len);
		if (csv)
			http_header_add(r, "Content-Disposition", "attachment; filename=\"inquiry-numbers.csv\"");
	}
	for (int i = 0; i < MAX_WEEKS; i++)
		for (int d = 0; d < NDIV; d++) {
			free(t->first[i][d].v);
			free(t->resolved[i][d].v);
		}
	free(t);
	buf_free(&out);
}
