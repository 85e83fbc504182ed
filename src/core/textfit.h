/*
 * textfit — making received text fit where it goes: one line for a header
 * value or a name, no control characters in a text, and no more characters
 * than a field holds.
 *
 * What people send (a form, an e-mail) is cleaned with these before it is
 * validated, so that a name with a line break in it becomes a name a reply
 * can be addressed to, and a subject too long for its field is cut rather
 * than the whole message refused.  Both intakes of the inquiry desk use the
 * same functions, so both clean the same way.
 *
 * Every function takes UTF-8 of n bytes and appends UTF-8 to out: a whole
 * character is kept or dropped, never a part of one.
 */
#ifndef LIAISON_TEXTFIT_H
#define LIAISON_TEXTFIT_H

#include <stddef.h>

#include "buf.h"

#define TEXT_ELLIPSIS "\xE2\x80\xA6"   /* U+2026, what a cut text ends with */

/* s as one line: line breaks (CR, LF, VT, FF, NEL, U+2028, U+2029) and tabs
 * become spaces, every other control character (C0, DEL, C1) is dropped,
 * runs of spaces become one, and none is left at either end. */
void text_one_line(buf *out, const char *s, size_t n);

/* The length in bytes of the control character s begins with (n bytes
 * left), one a text field does not take: C0 but tab, LF and CR, DEL, C1.
 * 0 when s begins with anything else. */
size_t text_control_len(const char *s, size_t n);

/* s without those control characters: what a text field accepts. */
void text_drop_controls(buf *out, const char *s, size_t n);

/* The characters (code points) of s, as field lengths are counted. */
size_t text_chars(const char *s, size_t n);

/* s when it has at most max characters (max >= 1); else its beginning, cut
 * where a character as people see it ends (a letter keeps its accents, an
 * emoji its modifiers), followed by an ellipsis, max characters in all.
 * 1 when s was cut, 0 when it was appended whole. */
int text_cut(buf *out, const char *s, size_t n, size_t max);

#endif
