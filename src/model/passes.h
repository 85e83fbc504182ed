/*
 * passes — work that no request causes but time does (an alert that a
 * meeting draws near with nobody to go), done in periodic passes.
 *
 * An area declares a pass (domains.c lists them all); `liaison serve` runs
 * every pass at start and then every interval on a thread of its own
 * (passes_start), and `liaison pass` runs each once and exits, for a cron
 * job or a test.  A pass must be safe to run twice and from two processes
 * at once: what it did is recorded in the records it did it for, in the
 * same transaction (a stamp), and looked at again inside that transaction.
 */
#ifndef LIAISON_PASSES_H
#define LIAISON_PASSES_H

#include <stddef.h>
#include <time.h>

#include "model/registry.h"

typedef struct periodic_pass {
	const char *name;   /* for the log: "meeting-alerts" */
	/* One pass at now: how many things it did, or -1 with one line in err. */
	int (*run)(store *st, const registry *reg, time_t now, char *err, size_t errlen);
} periodic_pass;

/* Each pass once at now, one log line each; 0, or -1 when one failed (the
 * others still run). */
int passes_run(store *st, const registry *reg, const periodic_pass *passes, size_t n, time_t now);

/* The thread that runs them at start and every `every` seconds; stop ends
 * it between two passes.  NULL with err when it could not start. */
typedef struct pass_runner pass_runner;
pass_runner *passes_start(store *st, const registry *reg, const periodic_pass *passes, size_t n, unsigned every,
			  char *err, size_t errlen);
void passes_stop(pass_runner *r);  /* NULL is fine */

#endif
