/*
 * utf8 — the one UTF-8 decoder: every reader of text (CSV, e-mail,
 * iCalendar lines, folding) asks it where a character
 * ends, so they agree on what well-formed UTF-8 is.  See utf8.c.
 */
#ifndef LIAISON_UTF8_H
#define LIAISON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The well-formed sequence at s (n bytes left): its length, and its code
 * point into *cp when cp is not NULL; 0 when it is broken (an overlong form,
 * a surrogate, beyond U+10FFFF, cut short).  A NUL is a character of one
 * byte: callers that refuse it say so. */
size_t utf8_next(const char *s, size_t n, uint32_t *cp);

/* The offset of the first broken sequence in s, n when s is well-formed
 * throughout: where a refusal of a text says the fault is. */
size_t utf8_check(const char *s, size_t n);

#endif
