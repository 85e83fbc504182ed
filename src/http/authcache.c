/*
 * authcache — a fixed table, one slot per hash bucket; a newer entry simply
 * replaces whatever held its slot.  The slots are guarded by striped
 * reader-writer locks: threads checking the same token read side by side,
 * and threads checking different tokens rarely share a lock at all.
 */
#include "http/authcache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 1024
#define STRIPES 64

typedef struct slot {
	unsigned char key[32];
	time_t expires;
	store_mark mark;   /* what was committed when the account was read */
	account a;
} slot;

struct authcache {
	pthread_rwlock_t locks[STRIPES];
	slot slots[SLOTS];
};

authcache *authcache_new(void)
{
	authcache *c = calloc(1, sizeof *c);
	for (int i = 0; c && i < STRIPES; i++)
		pthread_rwlock_init(&c->locks[i], NULL);
	return c;
}

void authcache_free(authcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_rwlock_destroy(&c->locks[i]);
	sodium_memzero(c, sizeof *c);
	free(c);
}

static time_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static unsigned slot_index(const char *token, unsigned char key[32])
{
	crypto_generichash(key, 32, (const unsigned char *)token, strlen(token), NULL, 0);
	return ((unsigned)key[0] << 8 | key[1]) % SLOTS;
}

int authcache_get(authcache *c, store *st, const char *token, account *out)
{
	unsigned char key[32];
	int found = -1;
	unsigned idx = slot_index(token, key);
	slot *s = &c->slots[idx];
	pthread_rwlock_rdlock(&c->locks[idx % STRIPES]); /* readers share: one token, many threads */
	if (s->expires > now() && sodium_memcmp(s->key, key, 32) == 0 && store_mark_current(st, &s->mark)) {
		*out = s->a;
		out->u.name = out->name;
		out->u.division = out->division[0] ? out->division : NULL;
		out->u.language = out->language;
		out->u.time_zone = out->time_zone;
		found = 0;
	}
	pthread_rwlock_unlock(&c->locks[idx % STRIPES]);
	return found;
}

void authcache_put(authcache *c, store *st, const char *token, const account *a)
{
	unsigned char key[32];
	unsigned idx = slot_index(token, key);
	slot *s = &c->slots[idx];
	store_mark mark;
	store_mark_take(st, &mark);
	if (!mark.valid)
		return;   /* it could never be told current */
	pthread_rwlock_wrlock(&c->locks[idx % STRIPES]);
	memcpy(s->key, key, 32);
	s->mark = mark;
	s->a = *a;
	s->expires = now() + AUTHCACHE_SECONDS;
	pthread_rwlock_unlock(&c->locks[idx % STRIPES]);
}
