/*
 * authcache — recently checked API tokens, so that a client sending many
 * requests costs one credential look-up every few seconds instead of two
 * queries per request.
 *
 * An entry holds only while nothing has been committed to the store since
 * the look-up it remembers (store_mark), by any server thread or process:
 * an archived user, a changed role or a revoked token takes effect on the
 * very next request.  Under writes the cache simply misses; it pays where
 * clients read.  An entry also lives at most AUTHCACHE_SECONDS.  Entries
 * are keyed by a hash of the token, never the token itself.
 */
#ifndef LIAISON_AUTHCACHE_H
#define LIAISON_AUTHCACHE_H

#include "model/accounts.h"
#include "store/store.h"

#define AUTHCACHE_SECONDS 10

typedef struct authcache authcache;

authcache *authcache_new(void);
void authcache_free(authcache *c);
/* 0 when found, fresh and nothing committed to st since its look-up. */
int authcache_get(authcache *c, store *st, const char *token, account *out);
/* a: what the look-up found, in this thread's read snapshot of st. */
void authcache_put(authcache *c, store *st, const char *token, const account *a);

#endif
