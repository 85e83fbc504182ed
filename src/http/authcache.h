/*
 * authcache — recently checked API tokens, so that a client sending many
 * requests costs one credential look-up every few seconds instead of two
 * queries per request.
 *
 * An entry lives AUTHCACHE_SECONDS: a changed role takes effect within that
 * time; tokens revoked through this server at once.  Entries are keyed by a hash of the token, never
 * the token itself.
 */
#ifndef LIAISON_AUTHCACHE_H
#define LIAISON_AUTHCACHE_H

#include "model/accounts.h"

#define AUTHCACHE_SECONDS 10

typedef struct authcache authcache;

authcache *authcache_new(void);
void authcache_free(authcache *c);
int authcache_get(authcache *c, const char *token, account *out);        /* 0 when found and fresh */
void authcache_put(authcache *c, const char *token, const account *a);
/* Revoked here: this server stops trusting the user's cached tokens at once
 * (another server sharing the store still waits out AUTHCACHE_SECONDS). */
void authcache_forget_user(authcache *c, int64_t user_id);

#endif
