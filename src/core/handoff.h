/*
 * handoff — work passed from one thread to another in order, through a
 * queue of bounded length: an import reads and prepares on one thread
 * (the giver) while the thread that holds the database's transaction (the
 * taker) writes what was prepared.  The giver waits while the queue is
 * full, the taker while it is empty, so memory holds at most the queue's
 * length of items however long the file.
 *
 * Either side may stop the other: the taker, at an item it cannot write
 * (handoff_stop: the giver's next handoff_give says so and keeps its item);
 * the giver, at its end or at a fault of its own (handoff_end: the taker
 * takes what was given before it, then NULL).
 */
#ifndef LIAISON_HANDOFF_H
#define LIAISON_HANDOFF_H

#include <pthread.h>
#include <stddef.h>

#define HANDOFF_MAX 64

typedef struct handoff {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	void *ring[HANDOFF_MAX];
	size_t cap, first, n;
	int ended;     /* the giver gives no more */
	int stopped;   /* the taker takes no more */
} handoff;

void handoff_init(handoff *h, size_t cap);   /* cap items queued at most, 1 to HANDOFF_MAX */
void handoff_destroy(handoff *h);            /* when both sides are done */

/* The giver's.  0 when the item was queued; 1 when the taker has stopped,
 * and the item is dropped (drop(item), unless drop is NULL). */
int handoff_give(handoff *h, void *item, void (*drop)(void *item));
void handoff_end(handoff *h);

/* The taker's.  The next item in the order given, waiting for it; NULL once
 * the giver has ended and every item was taken. */
void *handoff_take(handoff *h);
void handoff_stop(handoff *h);

#endif
