/*
 * ratelimit — counts failures per key (an account, an address) in a time
 * window and says how long a key must wait once it has too many.
 *
 * Memory is bounded: a fixed table, where a full table forgets the entry
 * whose window is oldest, so a flood of new keys cannot grow the server.
 */
#ifndef LIAISON_RATELIMIT_H
#define LIAISON_RATELIMIT_H

#include <time.h>

typedef struct ratelimit ratelimit;

ratelimit *ratelimit_new(unsigned max_failures, unsigned window_seconds);
void ratelimit_free(ratelimit *rl);
unsigned ratelimit_wait(ratelimit *rl, const char *key, time_t now);  /* seconds; 0 when allowed */
void ratelimit_fail(ratelimit *rl, const char *key, time_t now);
void ratelimit_clear(ratelimit *rl, const char *key);

#endif
