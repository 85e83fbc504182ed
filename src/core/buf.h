/*
 * buf — a growable byte buffer, the one string builder of Liaison.
 *
 * Every piece of output (JSON bodies, SQL built from the registry, CSV, log
 * lines) is appended to a buf.  The contents are always NUL-terminated so a
 * buf can be handed to C string functions without a copy.  Allocation
 * failure aborts: a server that cannot allocate a few kilobytes cannot answer
 * anything useful, and checking every append would bury the logic.
 */
#ifndef LIAISON_BUF_H
#define LIAISON_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
} buf;

#define BUF_INIT { NULL, 0, 0 }

void buf_grow_add(buf *b, const void *p, size_t n); /* buf_add when the room is short */

/* Appends are the inner loop of every answer: the common case, room enough,
 * is inline; growing is not. */
static inline void buf_add(buf *b, const void *p, size_t n)
{
	if (b->len + n >= b->cap) {
		buf_grow_add(b, p, n);
		return;
	}
	if (n)
		__builtin_memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void buf_puts(buf *b, const char *s) { buf_add(b, s, __builtin_strlen(s)); }

static inline void buf_putc(buf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		buf_grow_add(b, &c, 1);
		return;
	}
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
/* s (n bytes) with every byte that escape_of names a text for replaced by
 * that text: the escaping of HTML (web/tpl.c), which takes any bytes.
 * XML's (formats/xmlstream.c) also refuses what XML cannot carry.  Inline,
 * so that the function, a constant at each call, is inlined into the loop. */
static inline void buf_add_escaped(buf *b, const char *s, size_t n, const char *(*escape_of)(unsigned char c))
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = escape_of((unsigned char)s[i]);
		if (!e)
			continue;
		buf_add(b, s + from, i - from);
		buf_puts(b, e);
		from = i + 1;
	}
	buf_add(b, s + from, n - from);
}

void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_reset(buf *b);                 /* empty it, keep the memory */
void buf_free(buf *b);
char *buf_steal(buf *b);                /* hand the string to the caller, leave b empty */
const char *buf_str(const buf *b);      /* "" when nothing was appended */

/* JSON output: a string literal with quotes and escapes; s is UTF-8 of n bytes. */
void buf_json_str(buf *b, const char *s, size_t n);
void buf_json_cstr(buf *b, const char *s);   /* NULL writes null */
void buf_json_int(buf *b, int64_t v);

#endif
