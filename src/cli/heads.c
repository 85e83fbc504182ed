/*
 * heads — the server's keeper of audit heads (see heads.h).
 */
#include "cli/heads.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "model/auditheads.h"

struct head_keeper {
	pthread_t thread;
	store *st;
	char *path;
	unsigned every;
	atomic_int stop;
	audit_head last;  /* recorded; only the keeper's thread touches it while it runs */
};

/* The head now, recorded unless `what` is "running" and it has not moved. */
static int record_head(head_keeper *k, const char *what, char *err, size_t errlen)
{
	audit_head h;
	if (audit_head_of(k->st, &h)) {
		snprintf(err, errlen, "cannot read the audit log of %s", store_path(k->st));
		return -1;
	}
	if (strcmp(what, "running") == 0 && h.seq == k->last.seq && strcmp(h.hash, k->last.hash) == 0)
		return 0;
	if (audit_heads_write(k->path, &h, what, 1, err, errlen))
		return -1;
	log_event("info", "audit head %lld:%s (%s), recorded in %s", (long long)h.seq, h.hash, what, k->path);
	k->last = h;
	return 0;
}

static void *keep(void *arg)
{
	head_keeper *k = arg;
	while (!atomic_load(&k->stop)) {
		for (unsigned i = 0; i < 10 * k->every && !atomic_load(&k->stop); i++)
			usleep(100 * 1000);
		char err[512];
		if (!atomic_load(&k->stop) && record_head(k, "running", err, sizeof err))
			log_event("error", "audit head not recorded: %s", err);
	}
	return NULL;
}

head_keeper *heads_start(store *s, const char *path, unsigned every, char *err, size_t errlen)
{
	head_keeper *k = calloc(1, sizeof *k);
	if (!k || !(k->path = path ? strdup(path) : audit_heads_path(store_path(s)))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	k->st = s;
	k->every = every;
	if (record_head(k, "start", err, errlen)) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n, " (another file may be given with --heads)");
		goto fail;
	}
	if (pthread_create(&k->thread, NULL, keep, k) != 0) {
		snprintf(err, errlen, "cannot start the thread that records audit heads");
		goto fail;
	}
	return k;
fail:
	if (k)
		free(k->path);
	free(k);
	return NULL;
}

void heads_stop(head_keeper *k)
{
	if (!k)
		return;
	atomic_store(&k->stop, 1);
	pthread_join(k->thread, NULL);
	char err[512];
	if (record_head(k, "stop", err, sizeof err))
		log_event("error", "audit head not recorded: %s", err);
	free(k->path);
	free(k);
}
