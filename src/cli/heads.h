/*
 * heads — while the server runs, the head of the audit chain recorded at
 * start, whenever it moved in the last interval, and at stop: to the heads
 * file (model/auditheads.h) and as a log line, so that both can be kept on
 * another machine.
 */
#ifndef LIAISON_CLI_HEADS_H
#define LIAISON_CLI_HEADS_H

#include <stddef.h>

#include "store/store.h"

typedef struct head_keeper head_keeper;

/* Records the head at start and looks at it every `every` seconds; path
 * NULL is DB-PATH-heads.  NULL, with err, when the heads file cannot be
 * written. */
head_keeper *heads_start(store *s, const char *path, unsigned every, char *err, size_t errlen);
void heads_stop(head_keeper *k);  /* records the head at stop; after the last write */

#endif
