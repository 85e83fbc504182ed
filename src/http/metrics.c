/*
 * metrics — GET /metrics in the Prometheus text format (version 0.0.4), and
 * GET /healthz.
 *
 * Requests are counted by route (its pattern, never the raw path, so that
 * the number of series stays that of the routes) and status, in a table
 * hashed on both whose slots are claimed once and never given back: a
 * request bumps an atomic and takes no lock.  The areas' gauges (open
 * inquiries, ...) are read when scraped, from the table the application
 * was given.  Who may read: an administrator, or a client at one of the
 * addresses the server was told (--metrics-from), such as the scraper.
 */
#include <inttypes.h>
#include <string.h>

#include "http/http.h"
#include "model/outbox.h"

/* Upper bounds of the latency buckets, in microseconds. */
static const uint64_t bounds[NBUCKETS] = { 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
					   100000, 250000, 1000000, 5000000 };

static uint32_t hash(const char *route, int status)
{
	uint32_t h = 2166136261u ^ (uint32_t)status; /* FNV-1a */
	for (const char *p = route; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* The series of (route, status), claimed on first use; NULL when the table is full. */
static metric_series *series_of(metrics *m, const char *route, int status)
{
	for (uint32_t i = hash(route, status), tries = 0; tries < NSERIES; i++, tries++) {
		metric_series *s = &m->series[i % NSERIES];
		int state = atomic_load(&s->state);
		if (state == 0) {
			if (atomic_compare_exchange_strong(&s->state, &state, 1)) {
				s->route = route;
				s->status = status;
				atomic_store(&s->state, 2); /* route and status are visible before this */
				return s;
			}
		}
		while ((state = atomic_load(&s->state)) == 1)
			; /* another thread is writing this slot's key: a few instructions */
		if (s->status == status && (s->route == route || strcmp(s->route, route) == 0))
			return s;
	}
	return NULL;
}

void metrics_observe(metrics *m, const route *rt, int status, uint64_t micros)
{
	metric_series *s = series_of(m, rt ? rt->pattern : "", status);
	if (s)
		atomic_fetch_add(&s->n, 1);
	for (int i = 0; i < NBUCKETS; i++)
		if (micros <= bounds[i]) {
			atomic_fetch_add(&m->buckets[i], 1);
			break;
		}
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->micros_sum, micros);
}

/* A label value as the text format writes it: \, " and newline escaped. */
static void label_value(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void requests(buf *b, metrics *m)
{
	buf_puts(b, "# HELP liaison_http_requests_total Requests answered, by route (its pattern) and status.\n"
		    "# TYPE liaison_http_requests_total counter\n");
	for (size_t i = 0; i < NSERIES; i++) {
		metric_series *s = &m->series[i];
		if (atomic_load(&s->state) != 2)
			continue;
		buf_puts(b, "liaison_http_requests_total{route=");
		label_value(b, s->route);
		buf_printf(b, ",status=\"%d\"} %" PRIu64 "\n", s->status, (uint64_t)atomic_load(&s->n));
	}
}

static void latency(buf *b, metrics *m)
{
	buf_puts(b, "# HELP liaison_http_request_duration_seconds Time from a request's first byte to its answer.\n"
		    "# TYPE liaison_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int i = 0; i < NBUCKETS; i++) {
		cumulative += atomic_load(&m->buckets[i]);
		buf_printf(b, "liaison_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
			   (double)bounds[i] / 1e6, cumulative);
	}
	uint64_t count = atomic_load(&m->count);
	buf_printf(b, "liaison_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", count);
	buf_printf(b, "liaison_http_request_duration_seconds_sum %g\n", (double)atomic_load(&m->micros_sum) / 1e6);
	buf_printf(b, "liaison_http_request_duration_seconds_count %" PRIu64 "\n", count);
}

static void gauges(buf *b, const app *a)
{
	for (size_t i = 0; i < a->ngauges; i++) {
		const gauge *g = &a->gauges[i];
		double v;
		if (g->read(a->st, &v))
			continue;
		buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", g->name, g->help, g->name, g->name, v);
	}
}

/* Mail not sent yet, and mail the relay refused for good: what an operator watches. */
static void outbox(buf *b, store *st)
{
	static const char *const states[] = { "queued", "failed" };
	buf_puts(b, "# HELP liaison_outbox_messages Mail in the outbox the relay has not taken: queued, or failed.\n"
		    "# TYPE liaison_outbox_messages gauge\n");
	for (size_t i = 0; i < COUNT(states); i++) {
		int64_t n;
		if (outbox_count(st, states[i], &n) == 0)
			buf_printf(b, "liaison_outbox_messages{state=\"%s\"} %" PRId64 "\n", states[i], n);
	}
}

/* An administrator, or a client at one of the addresses given: else 401/403 answered. */
static int may_read(request *r)
{
	for (const char *const *from = r->app->metrics_from; from && *from; from++)
		if (strcmp(*from, http_remote(r)) == 0)
			return 1;
	if (auth_request(r))
		return 0;
	if (r->u->role == ROLE_ADMIN)
		return 1;
	if (r->u->role == ROLE_PUBLIC)
		http_problem(r, 401, "Unauthorized", "the metrics are for administrators: send an administrator's API token");
	else
		http_problem(r, 403, "Forbidden", "the metrics are for administrators and the addresses given to --metrics-from");
	return 0;
}

void metrics_handler(request *r)
{
	if (!may_read(r))
		return;
	metrics *m = &r->app->met;
	buf b = BUF_INIT;
	requests(&b, m);
	latency(&b, m);
	uint64_t statements, micros;
	store_stats(r->app->st, &statements, &micros);
	buf_printf(&b, "# HELP liaison_store_statements_total Statements run by the store.\n"
		       "# TYPE liaison_store_statements_total counter\n"
		       "liaison_store_statements_total %" PRIu64 "\n"
		       "# HELP liaison_store_seconds_total Time spent running statements.\n"
		       "# TYPE liaison_store_seconds_total counter\n"
		       "liaison_store_seconds_total %g\n",
		   statements, (double)micros / 1e6);
	outbox(&b, r->app->st);
	gauges(&b, r->app);
	http_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

void health_handler(request *r)
{
	if (store_ping(r->app->st)) {
		http_problem(r, 503, "Unavailable", "the store does not answer");
		return;
	}
	http_text(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
}
