/*
 * spell — the misspelt words of a segment, from hunspell (see spell.h).
 *
 * The segment is cut here, not by hunspell: hunspell checks one word at a
 * time and knows nothing of inline codes, symbols or addresses.  Text is
 * cut first into chunks at white space, so that a whole URL, address or
 * symbol is recognised and passed over, then each chunk into words.
 */
#include "formats/spell.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hunspell.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/utf8.h"
#include "formats/inline.h"
#include "formats/symbol.h"

/* Suggestions are the slow part (tens of milliseconds a word in French)
 * and are made under the dictionary's lock: a segment of garbage gets them
 * for its first words only. */
#define SUGGESTED_WORDS_MAX 16
/* Longer words are no dictionary's; hunspell would search long for nothing. */
#define SUGGESTED_WORD_BYTES 64

enum { LANG_EN, LANG_FR, LANG_ES, LANG_COUNT };

/* Each language's dictionaries, the first found is used. */
static const struct {
	const char *code;
	const char *names[3];
} languages[LANG_COUNT] = {
	[LANG_EN] = { "en", { "en_US", "en_GB", NULL } },
	[LANG_FR] = { "fr", { "fr_FR", "fr", NULL } },
	[LANG_ES] = { "es", { "es_ES", "es", NULL } },
};

typedef struct dictionary {
	pthread_mutex_t lock;   /* held while loading and while checking */
	Hunhandle *h;           /* NULL until loaded */
} dictionary;

struct spell {
	char *dir;
	dictionary dict[LANG_COUNT];
};

spell *spell_new(const char *dir)
{
	spell *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->dir = strdup(dir ? dir : SPELL_DIR);
	if (!s->dir) {
		free(s);
		return NULL;
	}
	for (int i = 0; i < LANG_COUNT; i++)
		pthread_mutex_init(&s->dict[i].lock, NULL);
	return s;
}

void spell_free(spell *s)
{
	if (!s)
		return;
	for (int i = 0; i < LANG_COUNT; i++) {
		if (s->dict[i].h)
			Hunspell_destroy(s->dict[i].h);
		pthread_mutex_destroy(&s->dict[i].lock);
	}
	free(s->dir);
	free(s);
}

void spell_misses_free(spell_misses *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < m->v[i].nsuggest; j++)
			free(m->v[i].suggest[j]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

const char *spell_error_message(spell_error e)
{
	switch (e) {
	case SPELL_LANGUAGE: return "spelling is checked in English, French and Spanish only";
	case SPELL_DICTIONARY: return "the dictionary of this language is not installed";
	case SPELL_UTF8: return "the text is not valid UTF-8";
	default: return "";
	}
}

/* ---- dictionaries ------------------------------------------------------ */

static int lang_index(const char *lang)
{
	for (int i = 0; lang && i < LANG_COUNT; i++)
		if (strcmp(lang, languages[i].code) == 0)
			return i;
	return -1;
}

/* Hunspell opens missing files without complaint and then knows no word,
 * so the files are looked for first. */
static Hunhandle *open_dictionary(const char *dir, int lang)
{
	for (int i = 0; languages[lang].names[i]; i++) {
		char aff[4096], dic[4096];
		const char *name = languages[lang].names[i];
		snprintf(aff, sizeof aff, "%s/%s.aff", dir, name);
		snprintf(dic, sizeof dic, "%s/%s.dic", dir, name);
		if (access(aff, R_OK) == 0 && access(dic, R_OK) == 0)
			return Hunspell_create(aff, dic);
	}
	return NULL;
}

/* ---- what is a word ---------------------------------------------------- */

static uint32_t char_at(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp = 0;
	*len = utf8_next(s + i, n - i, &cp);
	if (!*len)
		*len = 1;   /* validated before: only reached past the end of a piece */
	return cp;
}

static int is_space(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
		return 1;
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

/* What joins two parts of one word: an apostrophe or a hyphen. */
static int is_joiner(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == '-' || cp == 0x2011;
}

static int has_at(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, what, k) == 0)
			return 1;
	return 0;
}

/* A chunk (text between white space) that holds no words to check: a URL,
 * an e-mail address, a document symbol (with the punctuation around it). */
static int chunk_is_name(const char *s, size_t n)
{
	if (has_at(s, n, "://") || (n >= 4 && strncasecmp(s, "www.", 4) == 0) || memchr(s, '@', n))
		return 1;
	while (n && strchr("([\"'", s[0]))
		s++, n--;
	while (n && strchr(".,;:!?)]\"'", s[n - 1]))
		n--;
	symbol sym;
	return symbol_parse(s, n, &sym, NULL) == SYMBOL_OK;
}

/* Whether a word is a number or an acronym ("IOM", "RCPs"): two capitals
 * or more and no small letter but a plural's final s. */
static int word_is_code(const char *s, size_t n)
{
	size_t upper = 0, lower = 0, len;
	for (size_t i = 0; i < n; i += len) {
		uint32_t cp = char_at(s, n, i, &len);
		utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
		if (c == UTF8PROC_CATEGORY_ND)
			return 1;
		if (c == UTF8PROC_CATEGORY_LU)
			upper++;
		else if (c == UTF8PROC_CATEGORY_LL && !(i + 1 == n && s[i] == 's'))
			lower++;
	}
	return upper >= 2 && lower == 0;
}

/* The word as hunspell reads it: NUL-terminated, typographic apostrophes
 * made straight (the English and Spanish dictionaries know only '). */
static void word_for_hunspell(buf *out, const char *s, size_t n)
{
	buf_reset(out);
	size_t len;
	for (size_t i = 0; i < n; i += len) {
		uint32_t cp = char_at(s, n, i, &len);
		if (cp == 0x2019 || cp == 0x02BC)
			buf_putc(out, '\'');
		else
			buf_add(out, s + i, len);
	}
	buf_add(out, "", 0);   /* a word of nothing still gets its NUL */
}

/* A hyphenated word the dictionary lacks is right when each part is
 * ("Member-State-led"). */
static int parts_are_known(Hunhandle *h, const char *word)
{
	if (!strchr(word, '-'))
		return 0;
	char *copy = strdup(word);
	if (!copy)
		return 0;
	int known = 1;
	for (char *save = NULL, *part = strtok_r(copy, "-", &save); part && known; part = strtok_r(NULL, "-", &save))
		known = Hunspell_spell(h, part) != 0;
	free(copy);
	return known;
}

/* ---- checking ---------------------------------------------------------- */

typedef struct check_run {
	Hunhandle *h;
	const char *text;
	buf word;
	buf found;   /* spell_miss records */
} check_run;

static void add_miss(check_run *r, size_t off, size_t len)
{
	spell_miss m = { .off = off, .len = len };
	size_t nfound = r->found.len / sizeof m;
	if (nfound < SUGGESTED_WORDS_MAX && len <= SUGGESTED_WORD_BYTES) {
		char **list = NULL;
		int k = Hunspell_suggest(r->h, &list, r->word.data);
		for (int i = 0; i < k && m.nsuggest < SPELL_SUGGESTIONS_MAX; i++)
			if ((m.suggest[m.nsuggest] = strdup(list[i])))
				m.nsuggest++;
		Hunspell_free_list(r->h, &list, k);
	}
	buf_add(&r->found, &m, sizeof m);
}

static void check_word(check_run *r, size_t off, size_t len)
{
	if (word_is_code(r->text + off, len))
		return;
	word_for_hunspell(&r->word, r->text + off, len);
	if (Hunspell_spell(r->h, r->word.data) || parts_are_known(r->h, r->word.data))
		return;
	add_miss(r, off, len);
}

/* The words of the chunk text[from..to). */
static void check_chunk(check_run *r, size_t from, size_t to)
{
	const char *s = r->text;
	if (chunk_is_name(s + from, to - from))
		return;
	size_t i = from, len;
	while (i < to) {
		if (!text_word_char((int32_t)char_at(s, to, i, &len))) {
			i += len;
			continue;
		}
		size_t start = i;
		for (;;) {
			i += len;
			if (i >= to)
				break;
			uint32_t cp = char_at(s, to, i, &len);
			if (text_word_char((int32_t)cp))
				continue;
			size_t next;
			if (!is_joiner(cp) || i + len >= to || !text_word_char((int32_t)char_at(s, to, i + len, &next)))
				break;
		}
		check_word(r, start, i - start);
	}
}

/* A run of text between codes, cut at white space. */
static void check_text(check_run *r, size_t from, size_t to)
{
	size_t i = from, len;
	while (i < to) {
		while (i < to && is_space(char_at(r->text, to, i, &len)))
			i += len;
		size_t start = i;
		while (i < to && !is_space(char_at(r->text, to, i, &len)))
			i += len;
		if (i > start)
			check_chunk(r, start, i);
	}
}

/* The language's dictionary, locked; NULL (and nothing locked) when it
 * cannot be had. */
static Hunhandle *lock_dictionary(spell *s, int lang)
{
	dictionary *d = &s->dict[lang];
	pthread_mutex_lock(&d->lock);
	if (!d->h)
		d->h = open_dictionary(s->dir, lang);
	if (!d->h)
		pthread_mutex_unlock(&d->lock);
	return d->h;
}

spell_error spell_check(spell *s, const char *lang, const char *text, size_t n, spell_misses *out, size_t *at)
{
	size_t where = 0;
	spell_error e = SPELL_OK;
	check_run r = { .text = text, .word = BUF_INIT, .found = BUF_INIT };
	*out = (spell_misses){ 0 };
	int li = lang_index(lang);
	if (li < 0) {
		e = SPELL_LANGUAGE;
		goto done;
	}
	if ((where = utf8_check(text, n)) < n) {
		e = SPELL_UTF8;
		goto done;
	}
	where = 0;
	if (!(r.h = lock_dictionary(s, li))) {
		e = SPELL_DICTIONARY;
		goto done;
	}
	inline_piece p;
	for (size_t pos = 0; inline_next(text, n, &pos, &p);)
		if (p.kind == INLINE_TEXT)
			check_text(&r, p.off, p.off + p.len);
	pthread_mutex_unlock(&s->dict[li].lock);
	buf_free(&r.word);
	out->n = r.found.len / sizeof(spell_miss);
	out->v = (spell_miss *)(void *)buf_steal(&r.found);
done:
	if (at)
		*at = where;
	return e;
}
