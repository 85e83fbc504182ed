/*
 * arena — memory for one request or one command, freed all at once.
 *
 * A request builds many small strings (field values, column lists, error
 * messages) whose lifetimes all end with the request.  Allocating them from
 * an arena removes a free() per string and the leaks that come with
 * forgetting one.  Allocation failure aborts, as in buf.
 */
#ifndef LIAISON_ARENA_H
#define LIAISON_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
} arena;

#define ARENA_INIT { NULL }

void *arena_alloc(arena *a, size_t n);           /* zeroed, aligned for any type */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);     /* NULL stays NULL */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena *a);

#endif
