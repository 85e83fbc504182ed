/*
 * inline — tags and placeholders in a segment to translate (see inline.h).
 *
 * Every code is recognized by its exact shape at the "<", "{" or "%" that
 * starts it; whatever does not have the shape is text.  So a segment has
 * one reading, and text never becomes a code by being next to one.
 */
#include "formats/inline.h"

#include <stdlib.h>
#include <string.h>

#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A number of 1 to 9999 without leading zero at s[i..]; its value, *i past it; 0 when none. */
static int read_id(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int v = 0;
	if (j >= n || !is_digit(s[j]) || s[j] == '0')
		return 0;
	while (j < n && is_digit(s[j]) && j - *i < 4)
		v = v * 10 + (s[j++] - '0');
	if (j < n && is_digit(s[j]))
		return 0;
	*i = j;
	return v;
}

/* A tag at s[i] ('<'): its length, kind and id; 0 when the text there is no tag. */
static size_t tag_at(const char *s, size_t n, size_t i, inline_kind *kind, int *id)
{
	size_t j = i + 1;
	int closing = j < n && s[j] == '/';
	if (closing)
		j++;
	if (j >= n || (s[j] != 'g' && s[j] != 'x') || (closing && s[j] != 'g'))
		return 0;
	char letter = s[j++];
	if (!(*id = read_id(s, n, &j)))
		return 0;
	if (letter == 'x') {
		if (j + 1 >= n || s[j] != '/' || s[j + 1] != '>')
			return 0;
		*kind = INLINE_EMPTY;
		return j + 2 - i;
	}
	if (j >= n || s[j] != '>')
		return 0;
	*kind = closing ? INLINE_CLOSE : INLINE_OPEN;
	return j + 1 - i;
}

/* A placeholder at s[i] ('{' or '%'): its length; 0 when there is none. */
static size_t placeholder_at(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	if (s[i] == '{') {
		if (j < n && is_digit(s[j])) {
			while (j < n && is_digit(s[j]))
				j++;
		} else if (j < n && is_alpha(s[j])) {
			while (j < n && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '_'))
				j++;
		} else {
			return 0;
		}
		return j < n && s[j] == '}' && j - i <= 64 ? j + 1 - i : 0;
	}
	size_t k = j;
	if (read_id(s, n, &k) && k < n && s[k] == '$')
		j = k + 1;
	return j < n && (s[j] == 's' || s[j] == 'd' || s[j] == 'i') ? j + 1 - i : 0;
}

/* The code starting at s[i], if any: its length, kind and id. */
static size_t code_at(const char *s, size_t n, size_t i, inline_kind *kind, int *id)
{
	*id = 0;
	if (s[i] == '<')
		return tag_at(s, n, i, kind, id);
	if (s[i] != '{' && s[i] != '%')
		return 0;
	*kind = INLINE_PLACEHOLDER;
	return placeholder_at(s, n, i);
}

int inline_next(const char *s, size_t n, size_t *pos, inline_piece *out)
{
	size_t i = *pos;
	inline_kind kind;
	int id;
	if (i >= n)
		return 0;
	size_t len = code_at(s, n, i, &kind, &id);
	if (len) {
		*out = (inline_piece){ kind, id, i, len };
		*pos = i + len;
		return 1;
	}
	size_t j = i + 1;
	while (j < n && !code_at(s, n, j, &kind, &id))
		j++;
	*out = (inline_piece){ INLINE_TEXT, 0, i, j - i };
	*pos = j;
	return 1;
}

/* The numbers seen so far, as a bit set: ids are at most 9999. */
typedef struct idset { unsigned char bits[(INLINE_ID_MAX >> 3) + 1]; } idset;
static int idset_put(idset *set, int id)
{
	unsigned char bit = (unsigned char)(1u << (id & 7));
	int had = set->bits[id >> 3] & bit;
	set->bits[id >> 3] |= bit;
	return had;
}

inline_error inline_check(const char *s, size_t n, size_t *at)
{
	/* Open tags nest, so the innermost open one is the only one that may
	 * close: a stack, kept as each open tag's offset in a small array that
	 * grows only in depth (a segment nests formatting a few levels deep). */
	enum { DEPTH = 64 };
	struct { int id; size_t off; } open[DEPTH];
	int depth = 0;
	idset seen;
	memset(&seen, 0, sizeof seen);
	size_t pos = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		*at = p.off;
		if (p.kind == INLINE_OPEN || p.kind == INLINE_EMPTY) {
			if (idset_put(&seen, p.id))
				return INLINE_REPEATED;
			if (p.kind == INLINE_EMPTY)
				continue;
			if (depth == DEPTH)
				return INLINE_CROSSED;
			open[depth].id = p.id;
			open[depth++].off = p.off;
		} else if (p.kind == INLINE_CLOSE) {
			if (depth == 0 || open[depth - 1].id != p.id) {
				int known = 0;
				for (int k = 0; k < depth; k++)
					known |= open[k].id == p.id;
				return known ? INLINE_CROSSED : INLINE_UNOPENED;
			}
			depth--;
		}
	}
	if (depth > 0) {
		*at = open[depth - 1].off;
		return INLINE_UNCLOSED;
	}
	return INLINE_OK;
}

const char *inline_error_message(inline_error e)
{
	switch (e) {
	case INLINE_OK: return "";
	case INLINE_UNOPENED: return N_("a tag is closed that was never opened");
	case INLINE_CROSSED: return N_("tags are closed in another order than they were opened");
	case INLINE_UNCLOSED: return N_("a tag is opened and never closed");
	case INLINE_REPEATED: return N_("a tag's number is used twice");
	}
	return "";
}

/* A code as the bytes that write it: two codes are the same code when they
 * are written the same. */
typedef struct code { const char *s; size_t n; } code;

static int code_cmp(const void *a, const void *b)
{
	const code *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The codes of s, sorted; -1 when memory ran out. */
static int codes_of(const char *s, size_t n, code **out, size_t *count)
{
	size_t pos = 0, k = 0, cap = 0;
	inline_piece p;
	*out = NULL;
	while (inline_next(s, n, &pos, &p)) {
		if (p.kind == INLINE_TEXT)
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 8;
			code *grown = realloc(*out, cap * sizeof **out);
			if (!grown)
				return free(*out), *out = NULL, -1;
			*out = grown;
		}
		(*out)[k++] = (code){ s + p.off, p.len };
	}
	if (k)
		qsort(*out, k, sizeof **out, code_cmp);
	*count = k;
	return 0;
}

static void copy_code(const code *c, char *missing, size_t size)
{
	if (!size)
		return;
	size_t n = c->n < size - 1 ? c->n : size - 1;
	memcpy(missing, c->s, n);
	missing[n] = '\0';
}

int inline_same(const char *a, size_t an, const char *b, size_t bn, char *missing, size_t size)
{
	code *ca = NULL, *cb = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	int same = -1;
	if (size)
		missing[0] = '\0';
	if (codes_of(a, an, &ca, &na) || codes_of(b, bn, &cb, &nb))
		goto done;
	/* Two sorted lists walked together: the first place they part is a
	 * code one of them has once more than the other. */
	while (i < na && j < nb && code_cmp(&ca[i], &cb[j]) == 0)
		i++, j++;
	same = i == na && j == nb;
	if (!same)
		copy_code(j == nb || (i < na && code_cmp(&ca[i], &cb[j]) < 0) ? &ca[i] : &cb[j], missing, size);
done:
	free(ca);
	free(cb);
	return same;
}
