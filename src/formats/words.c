/*
 * words — a segment's words folded and stemmed, with their places (see
 * words.h).
 */
#include "formats/words.h"

#include <stdint.h>
#include <string.h>

#include <libstemmer.h>

#include "core/fold.h"
#include "core/utf8.h"
#include "formats/inline.h"

static const char *snowball_name(const char *lang)
{
	if (!lang)
		return NULL;
	if (strcmp(lang, "en") == 0)
		return "english";
	if (strcmp(lang, "fr") == 0)
		return "french";
	if (strcmp(lang, "es") == 0)
		return "spanish";
	return NULL;
}

void words_init(word_list *wl, const char *lang)
{
	const char *name = snowball_name(lang);
	*wl = (word_list){ .v = BUF_INIT, .stems = BUF_INIT };
	wl->stemmer = name ? sb_stemmer_new(name, "UTF_8") : NULL;
}

void words_free(word_list *wl)
{
	buf_free(&wl->v);
	buf_free(&wl->stems);
	if (wl->stemmer)
		sb_stemmer_delete(wl->stemmer);
	wl->stemmer = NULL;
}

static uint32_t char_at(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp = 0;
	*len = utf8_next(s + i, n - i, &cp);
	if (!*len)
		*len = 1;   /* a broken byte is no letter: stepped over */
	return cp;
}

static void add_stem(word_list *wl, const char *w, size_t n, size_t off, size_t len)
{
	word x = { .off = off, .len = len, .stem = wl->stems.len };
	const sb_symbol *stem = wl->stemmer ? sb_stemmer_stem(wl->stemmer, (const sb_symbol *)w, (int)n) : NULL;
	if (stem)
		buf_add(&wl->stems, stem, (size_t)sb_stemmer_length(wl->stemmer));
	else
		buf_add(&wl->stems, w, n);
	x.stem_len = wl->stems.len - x.stem;
	buf_add(&wl->v, &x, sizeof x);
}

/* The words of s[from..to) folded (with the character after them, so that
 * text_fold sees an elision's apostrophe and drops "l'"), each stemmed and
 * placed at from..to. */
static void add_piece(word_list *wl, const char *s, size_t from, size_t to, size_t fold_to)
{
	token_list t;
	text_tokens(&t, s + from, fold_to - from);
	for (size_t i = 0; i < t.n; i++)
		add_stem(wl, t.v[i], strlen(t.v[i]), from, to - from);
	token_list_free(&t);
}

/* The words of a text outside its codes, cut as runs of letters and digits. */
void words_read(word_list *wl, const char *s, size_t n)
{
	buf_reset(&wl->v);
	buf_reset(&wl->stems);
	inline_piece p;
	for (size_t pos = 0; inline_next(s, n, &pos, &p);) {
		if (p.kind != INLINE_TEXT)
			continue;
		size_t end = p.off + p.len, len;
		for (size_t i = p.off; i < end;) {
			if (!text_word_char((int32_t)char_at(s, end, i, &len))) {
				i += len;
				continue;
			}
			size_t start = i;
			while (i < end && text_word_char((int32_t)char_at(s, end, i, &len)))
				i += len;
			size_t fold_to = i < end ? i + len : i;
			add_piece(wl, s, start, i, fold_to);
		}
	}
}

size_t words_count(const word_list *wl) { return wl->v.len / sizeof(word); }

const word *words_at(const word_list *wl, size_t i) { return (const word *)(const void *)wl->v.data + i; }

const char *words_stem(const word_list *wl, size_t i, size_t *len)
{
	const word *w = words_at(wl, i);
	*len = w->stem_len;
	return wl->stems.data + w->stem;
}

static int same_stem(const word_list *a, size_t i, const word_list *b, size_t j)
{
	size_t an, bn;
	const char *x = words_stem(a, i, &an), *y = words_stem(b, j, &bn);
	return an == bn && memcmp(x, y, an) == 0;
}

int words_find(const word_list *text, const word_list *phrase, size_t *off, size_t *len)
{
	size_t nt = words_count(text), nw = words_count(phrase);
	if (!nw)
		return 0;
	for (size_t i = 0; i + nw <= nt; i++) {
		size_t k = 0;
		while (k < nw && same_stem(text, i + k, phrase, k))
			k++;
		if (k == nw) {
			const word *first = words_at(text, i), *last = words_at(text, i + nw - 1);
			*off = first->off;
			*len = last->off + last->len - first->off;
			return 1;
		}
	}
	return 0;
}

size_t words_counted(const char *s, size_t n)
{
	size_t count = 0, pos = 0;
	inline_piece p;
	while (inline_next(s, n, &pos, &p)) {
		int counted = 0;
		for (size_t i = p.off, len; p.kind == INLINE_TEXT && i < p.off + p.len; i += len) {
			uint32_t cp = char_at(s, p.off + p.len, i, &len);
			if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x202F)
				counted = 0;
			else if (!counted && text_word_char((int32_t)cp))
				count++, counted = 1;
		}
	}
	return count;
}

void words_key(const word_list *wl, size_t i, size_t n, buf *out)
{
	for (size_t k = i; k < i + n && k < words_count(wl); k++) {
		size_t len;
		const char *stem = words_stem(wl, k, &len);
		if (k > i)
			buf_putc(out, ' ');
		buf_add(out, stem, len);
	}
}
