/*
 * authcache — a fixed table, one slot per hash bucket, guarded by a mutex;
 * a newer entry simply replaces whatever held its slot.
 */
#include "http/authcache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 1024

typedef struct slot {
	unsigned char key[32];
	time_t expires;
	account a;
} slot;

struct authcache {
	pthread_mutex_t lock;
	slot slots[SLOTS];
};

authcache *authcache_new(void)
{
	authcache *c = calloc(1, sizeof *c);
	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void authcache_free(authcache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	sodium_memzero(c, sizeof *c);
	free(c);
}

static time_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static slot *slot_of(authcache *c, const char *token, unsigned char key[32])
{
	crypto_generichash(key, 32, (const unsigned char *)token, strlen(token), NULL, 0);
	unsigned idx = ((unsigned)key[0] << 8 | key[1]) % SLOTS;
	return &c->slots[idx];
}

int authcache_get(authcache *c, const char *token, account *out)
{
	unsigned char key[32];
	int found = -1;
	pthread_mutex_lock(&c->lock);
	slot *s = slot_of(c, token, key);
	if (s->expires > now() && sodium_memcmp(s->key, key, 32) == 0) {
		*out = s->a;
		out->u.name = out->name;
		out->u.division = out->division[0] ? out->division : NULL;
		out->u.language = out->language;
		found = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

void authcache_put(authcache *c, const char *token, const account *a)
{
	unsigned char key[32];
	pthread_mutex_lock(&c->lock);
	slot *s = slot_of(c, token, key);
	memcpy(s->key, key, 32);
	s->a = *a;
	s->expires = now() + AUTHCACHE_SECONDS;
	pthread_mutex_unlock(&c->lock);
}
