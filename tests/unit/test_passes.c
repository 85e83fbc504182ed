/*
 * test_passes — the periodic passes: run once, each pass is called once
 * with the time given and a failing one neither stops the others nor goes
 * unsaid; on their thread they run at start and again every interval, and
 * stopping wakes the thread at once instead of waiting out the interval.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "model/passes.h"

static atomic_int calls[2];
static time_t seen_now;

static int counting(store *st, const registry *reg, time_t now, char *err, size_t errlen)
{
	(void)st;
	(void)reg;
	(void)err;
	(void)errlen;
	seen_now = now;
	atomic_fetch_add(&calls[0], 1);
	return 2;
}

static int failing(store *st, const registry *reg, time_t now, char *err, size_t errlen)
{
	(void)st;
	(void)reg;
	(void)now;
	atomic_fetch_add(&calls[1], 1);
	snprintf(err, errlen, "the invented store is gone");
	return -1;
}

static const periodic_pass both[] = { { "failing", failing }, { "counting", counting } };

static void once(void **state)
{
	(void)state;
	atomic_store(&calls[0], 0);
	atomic_store(&calls[1], 0);
	assert_int_equal(passes_run(NULL, NULL, both + 1, 1, 1234), 0);
	assert_int_equal(seen_now, 1234);
	assert_int_equal(passes_run(NULL, NULL, both, 2, 99), -1);   /* the failure is said ... */
	assert_int_equal(atomic_load(&calls[0]), 2);                   /* ... and the next pass still ran */
	assert_int_equal(atomic_load(&calls[1]), 1);
}

static void thread_runs_at_start_and_every_interval(void **state)
{
	(void)state;
	atomic_store(&calls[0], 0);
	char err[128];
	pass_runner *r = passes_start(NULL, NULL, both + 1, 1, 1, err, sizeof err);
	assert_non_null(r);
	for (int i = 0; i < 100 && atomic_load(&calls[0]) < 1; i++)
		usleep(10 * 1000);
	assert_int_equal(atomic_load(&calls[0]), 1);   /* at start, not a second later */
	for (int i = 0; i < 300 && atomic_load(&calls[0]) < 3; i++)
		usleep(10 * 1000);
	assert_true(atomic_load(&calls[0]) >= 3);
	passes_stop(r);
	passes_stop(NULL);
}

static void stop_does_not_wait_out_the_interval(void **state)
{
	(void)state;
	char err[128];
	pass_runner *r = passes_start(NULL, NULL, both + 1, 1, 3600, err, sizeof err);
	assert_non_null(r);
	usleep(50 * 1000);
	uint64_t t0 = clock_micros();
	passes_stop(r);
	assert_true(clock_micros() - t0 < 2 * 1000 * 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once),
		cmocka_unit_test(thread_runs_at_start_and_every_interval),
		cmocka_unit_test(stop_does_not_wait_out_the_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
