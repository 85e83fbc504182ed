/*
 * ratelimit — a fixed table of (key, failures, window start), guarded by a
 * mutex; every operation is a short scan, which at this size (a few
 * thousand entries, touched only on sign-in) costs microseconds.
 */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096

typedef struct slot {
	char key[128];
	unsigned failures;
	time_t start;
} slot;

struct ratelimit {
	pthread_mutex_t lock;
	unsigned max, window;
	slot slots[SLOTS];
};

ratelimit *ratelimit_new(unsigned max_failures, unsigned window_seconds)
{
	ratelimit *rl = calloc(1, sizeof *rl);
	if (!rl)
		return NULL;
	pthread_mutex_init(&rl->lock, NULL);
	rl->max = max_failures;
	rl->window = window_seconds;
	return rl;
}

void ratelimit_free(ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

static slot *find(ratelimit *rl, const char *key)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (rl->slots[i].key[0] && strncmp(rl->slots[i].key, key, sizeof rl->slots[i].key - 1) == 0)
			return &rl->slots[i];
	return NULL;
}

static slot *claim(ratelimit *rl, const char *key, time_t now)
{
	slot *oldest = &rl->slots[0];
	for (size_t i = 0; i < SLOTS; i++) {
		slot *s = &rl->slots[i];
		if (!s->key[0] || now - s->start >= (time_t)rl->window) {
			oldest = s;
			break;
		}
		if (s->start < oldest->start)
			oldest = s;
	}
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	oldest->failures = 0;
	oldest->start = now;
	return oldest;
}

unsigned ratelimit_wait(ratelimit *rl, const char *key, time_t now)
{
	unsigned wait = 0;
	pthread_mutex_lock(&rl->lock);
	slot *s = find(rl, key);
	if (s && now - s->start < (time_t)rl->window && s->failures >= rl->max)
		wait = (unsigned)(s->start + (time_t)rl->window - now);
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

void ratelimit_fail(ratelimit *rl, const char *key, time_t now)
{
	pthread_mutex_lock(&rl->lock);
	slot *s = find(rl, key);
	if (!s) {
		s = claim(rl, key, now);
	} else if (now - s->start >= (time_t)rl->window) {
		s->failures = 0;
		s->start = now;
	}
	s->failures++;
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_clear(ratelimit *rl, const char *key)
{
	pthread_mutex_lock(&rl->lock);
	slot *s = find(rl, key);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&rl->lock);
}
