/*
 * test_handoff — work passed between two threads (core/handoff.h): every
 * item arrives once and in order through a queue shorter than the work;
 * a taker that stops lets the giver go without losing an item; a giver
 * that ends wakes a taker waiting on an empty queue.  Run under
 * ThreadSanitizer too (tests/run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>

#include "core/handoff.h"

#define ITEMS 20000

typedef struct giving {
	handoff *h;
	size_t given, kept;   /* queued; refused because the taker stopped (freed by the giver) */
	size_t upto;
} giving;

static void *give_all(void *ctx)
{
	giving *g = ctx;
	for (size_t i = 1; i <= g->upto; i++) {
		size_t *item = malloc(sizeof *item);
		*item = i;
		if (handoff_give(g->h, item, free)) {   /* dropped: ASan tells a leak otherwise */
			g->kept++;
			break;
		}
		g->given++;
	}
	handoff_end(g->h);
	return NULL;
}

static void test_every_item_once_in_order(void **state)
{
	(void)state;
	for (size_t cap = 1; cap <= HANDOFF_MAX; cap *= 4) {
		handoff h;
		handoff_init(&h, cap);
		giving g = { &h, 0, 0, ITEMS };
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, give_all, &g), 0);
		size_t next = 1;
		for (size_t *item; (item = handoff_take(&h));) {
			assert_int_equal(*item, next);
			next++;
			free(item);
		}
		pthread_join(t, NULL);
		assert_int_equal(next - 1, ITEMS);
		assert_int_equal(g.given, ITEMS);
		handoff_destroy(&h);
	}
}

static void test_a_taker_that_stops_lets_the_giver_go(void **state)
{
	(void)state;
	handoff h;
	handoff_init(&h, 4);
	giving g = { &h, 0, 0, ITEMS };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, give_all, &g), 0);
	size_t taken = 0;
	for (size_t *item; (item = handoff_take(&h));) {
		if (++taken == 100)
			handoff_stop(&h);   /* what is still queued is drained below */
		free(item);
	}
	pthread_join(t, NULL);
	assert_true(taken >= 100);
	assert_int_equal(taken, g.given);   /* nothing queued was lost */
	assert_int_equal(g.kept, 1);        /* the giver stopped at the first refusal */
	assert_true(g.given < ITEMS);
	handoff_destroy(&h);
}

static void test_an_empty_end_wakes_the_taker(void **state)
{
	(void)state;
	handoff h;
	handoff_init(&h, 0);   /* held to at least one */
	giving g = { &h, 0, 0, 0 };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, give_all, &g), 0);
	assert_null(handoff_take(&h));
	assert_null(handoff_take(&h));
	pthread_join(t, NULL);
	handoff_destroy(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_item_once_in_order),
		cmocka_unit_test(test_a_taker_that_stops_lets_the_giver_go),
		cmocka_unit_test(test_an_empty_end_wakes_the_taker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
