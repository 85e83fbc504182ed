/*
 * passes — periodic passes (see passes.h): run once, or on a thread.
 *
 * The thread sleeps on a condition variable with a deadline, so that stop
 * wakes it at once instead of waiting out the interval.
 */
#include "model/passes.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"

struct pass_runner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t bell;
	int stop;               /* under lock */
	store *st;
	const registry *reg;
	const periodic_pass *passes;
	size_t n;
	unsigned every;
};

int passes_run(store *st, const registry *reg, const periodic_pass *passes, size_t n, time_t now)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char err[512] = "";
		int done = passes[i].run(st, reg, now, err, sizeof err);
		if (done < 0)
			log_event("error", "pass %s: %s", passes[i].name, err);
		else if (done > 0)
			log_event("info", "pass %s: %d done", passes[i].name, done);
		rc |= done < 0 ? -1 : 0;
	}
	return rc;
}

static void *run(void *arg)
{
	pass_runner *r = arg;
	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		pthread_mutex_unlock(&r->lock);
		passes_run(r->st, r->reg, r->passes, r->n, time(NULL));
		pthread_mutex_lock(&r->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += r->every;
		while (!r->stop && pthread_cond_timedwait(&r->bell, &r->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

pass_runner *passes_start(store *st, const registry *reg, const periodic_pass *passes, size_t n, unsigned every,
			  char *err, size_t errlen)
{
	pass_runner *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	*r = (pass_runner){ .st = st, .reg = reg, .passes = passes, .n = n, .every = every ? every : 1 };
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->bell, NULL);
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		snprintf(err, errlen, "the thread of the periodic passes could not start");
		pthread_cond_destroy(&r->bell);
		pthread_mutex_destroy(&r->lock);
		free(r);
		return NULL;
	}
	return r;
}

void passes_stop(pass_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->bell);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->bell);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
