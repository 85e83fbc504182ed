/*
 * handoff — see handoff.h.  One mutex and one condition: each side waits
 * for the other to change the queue, and every change wakes whoever waits.
 */
#include "core/handoff.h"

void handoff_init(handoff *h, size_t cap)
{
	*h = (handoff){ .cap = cap < 1 ? 1 : cap > HANDOFF_MAX ? HANDOFF_MAX : cap };
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->changed, NULL);
}

void handoff_destroy(handoff *h)
{
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
}

int handoff_give(handoff *h, void *item, void (*drop)(void *item))
{
	pthread_mutex_lock(&h->lock);
	while (h->n == h->cap && !h->stopped)
		pthread_cond_wait(&h->changed, &h->lock);
	int stopped = h->stopped;
	if (!stopped) {
		h->ring[(h->first + h->n) % h->cap] = item;
		h->n++;
		pthread_cond_broadcast(&h->changed);
	}
	pthread_mutex_unlock(&h->lock);
	if (stopped && drop)
		drop(item);
	return stopped;
}

void handoff_end(handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->ended = 1;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void *handoff_take(handoff *h)
{
	pthread_mutex_lock(&h->lock);
	while (h->n == 0 && !h->ended)
		pthread_cond_wait(&h->changed, &h->lock);
	void *item = NULL;
	if (h->n) {
		item = h->ring[h->first];
		h->first = (h->first + 1) % h->cap;
		h->n--;
		pthread_cond_broadcast(&h->changed);
	}
	pthread_mutex_unlock(&h->lock);
	return item;
}

void handoff_stop(handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->stopped = 1;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}
