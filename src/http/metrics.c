/*
 * metrics — GET /metrics in the Prometheus text format, and GET /healthz.
 * Counters are atomics bumped once per request; nothing here takes a lock.
 */
#include <inttypes.h>

#include "http/http.h"

/* Upper bounds of the latency buckets, in microseconds. */
static const uint64_t bounds[NBUCKETS] = { 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
					   100000, 250000, 1000000, 5000000 };

void metrics_observe(metrics *m, int status, uint64_t micros)
{
	int cls = status / 100;
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&m->by_status[cls], 1);
	for (int i = 0; i < NBUCKETS; i++)
		if (micros <= bounds[i]) {
			atomic_fetch_add(&m->buckets[i], 1);
			break;
		}
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->micros_sum, micros);
}

void metrics_handler(request *r)
{
	metrics *m = &r->app->met;
	buf b = BUF_INIT;
	buf_puts(&b, "# HELP liaison_http_requests_total Requests answered, by status class.\n"
		     "# TYPE liaison_http_requests_total counter\n");
	for (int c = 1; c <= 5; c++)
		buf_printf(&b, "liaison_http_requests_total{status=\"%dxx\"} %" PRIu64 "\n", c,
			   (uint64_t)atomic_load(&m->by_status[c]));
	buf_puts(&b, "# HELP liaison_http_request_duration_seconds Time from a request's first byte to its answer.\n"
		     "# TYPE liaison_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int i = 0; i < NBUCKETS; i++) {
		cumulative += atomic_load(&m->buckets[i]);
		buf_printf(&b, "liaison_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
			   (double)bounds[i] / 1e6, cumulative);
	}
	uint64_t count = atomic_load(&m->count);
	buf_printf(&b, "liaison_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", count);
	buf_printf(&b, "liaison_http_request_duration_seconds_sum %g\n", (double)atomic_load(&m->micros_sum) / 1e6);
	buf_printf(&b, "liaison_http_request_duration_seconds_count %" PRIu64 "\n", count);
	uint64_t statements, micros;
	store_stats(r->app->st, &statements, &micros);
	buf_printf(&b, "# HELP liaison_store_statements_total Statements run by the store.\n"
		       "# TYPE liaison_store_statements_total counter\n"
		       "liaison_store_statements_total %" PRIu64 "\n"
		       "# HELP liaison_store_seconds_total Time spent running statements.\n"
		       "# TYPE liaison_store_seconds_total counter\n"
		       "liaison_store_seconds_total %g\n",
		   statements, (double)micros / 1e6);
	http_text(r, 200, "text/plain; version=0.0.4", b.data, b.len);
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
