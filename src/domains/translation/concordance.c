/*
 * concordance — a word or a phrase in context across the translation
 * memory, in either language: every unit whose text in that language holds
 * the words one after the other, stemmed as the language stems them
 * ("migrant workers" finds "the rights of a migrant worker"), best first,
 * each with its other side, the translation translators look for.
 *
 * The words of each unit are in tm_words (migrations 025 and 026: their
 * stems alone), one row per unit written when the unit is saved, each side
 * in its language's column: a look-up reads that index, never the memory.
 * The words found are marked in the text with the same stems
 * (formats/words.h).  An import tokenizes its units' words ahead on another
 * thread (concordance_words_of) and the writer hands FTS5 the tokens.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "formats/words.h"
#include "store/tokenizer.h"

static const char *marked(arena *a, const char *lang, const char *text)
{
	return text ? arena_printf(a, "\001%s\001%s", lang, text) : NULL;
}

/* The side of the unit in lang, NULL when it has none there. */
static const char *side_in(const char *lang, const char *source_lang, const char *source, const char *target_lang,
			   const char *target)
{
	return !strcmp(lang, source_lang) ? source : !strcmp(lang, target_lang) ? target : NULL;
}

/* The unit's row: each language's column of words, NULL where it has none. */
static int words_insert(store_conn *c, int64_t unit, const char *const text[NLANGS])
{
	static const char *const cols[] = { "rowid", "en", "fr", "es" };
	store_value v[1 + NLANGS] = { SV_INT_(unit) };
	for (int l = 0; l < NLANGS; l++)
		v[1 + l] = sv_text(text[l]);
	return store_insert(c, "tm_words", cols, v, 1 + NLANGS, NULL) == STORE_OK ? 0 : -1;
}

int concordance_add(store_conn *c, int64_t unit, const char *source_lang, const char *source, const char *target_lang,
		    const char *target)
{
	arena a = ARENA_INIT;
	const char *text[NLANGS];
	for (int l = 0; l < NLANGS; l++)
		text[l] = marked(&a, registry_langs[l], side_in(registry_langs[l], source_lang, source, target_lang, target));
	int rc = words_insert(c, unit, text);
	arena_free(&a);
	return rc;
}

int concordance_words_of(search_tokenizer *t, const char *source_lang, const char *source, const char *target_lang,
			 const char *target, concordance_words *out)
{
	buf marked_side = BUF_INIT;
	int rc = 0;
	for (int l = 0; l < NLANGS && !rc; l++) {
		const char *lang = registry_langs[l];
		const char *text = side_in(lang, source_lang, source, target_lang, target);
		out->has[l] = text != NULL;
		buf_reset(&out->text[l]);
		if (!text)
			continue;
		buf_reset(&marked_side);
		buf_printf(&marked_side, "\001%s\001%s", lang, text);
		rc = search_tokenize(t, marked_side.data, marked_side.len, &out->text[l]) == SQLITE_OK ? 0 : -1;
	}
	buf_free(&marked_side);
	return rc;
}

void concordance_words_free(concordance_words *w)
{
	for (int l = 0; l < NLANGS; l++)
		buf_free(&w->text[l]);
}

int concordance_add_words(store_conn *c, int64_t unit, const concordance_words *w)
{
	const char *text[NLANGS];
	for (int l = 0; l < NLANGS; l++)
		text[l] = w->has[l] ? buf_str(&w->text[l]) : NULL;
	return words_insert(c, unit, text);
}

int concordance_bulk(store_conn *c, int loading)
{
	return store_fts_bulk(c, "tm_words", loading) == STORE_OK ? 0 : -1;
}

/* The FTS5 expression for the words of text in lang's column: one phrase,
 * the text's own double quotes dropped; NULL when it has no word. */
static const char *expression(arena *a, const char *lang, const char *text)
{
	word_list wl;
	words_init(&wl, NULL);
	words_read(&wl, text, strlen(text));
	size_t n = words_count(&wl);
	buf b = BUF_INIT;
	buf_printf(&b, "%s : \"", lang);
	for (size_t i = 0; i < n; i++) {
		const word *w = words_at(&wl, i);
		buf_printf(&b, "%s%.*s", i ? " " : "", (int)w->len, text + w->off);
	}
	buf_putc(&b, '"');
	words_free(&wl);
	const char *out = n ? arena_strdup(a, buf_str(&b)) : NULL;
	buf_free(&b);
	return out;
}

typedef struct found {
	model_ids ids;
	model_ctx *m;
} found;

static int take_id(void *ctx, store_row *row)
{
	found *f = ctx;
	if (f->ids.n == f->ids.cap) {
		size_t cap = f->ids.cap ? f->ids.cap * 2 : 32;
		int64_t *v = arena_alloc(&f->m->a, cap * sizeof *v);
		if (f->ids.n)
			memcpy(v, f->ids.v, f->ids.n * sizeof *v);
		f->ids.v = v;
		f->ids.cap = cap;
	}
	f->ids.v[f->ids.n++] = store_int(row, 0);
	return 0;
}

typedef struct unit_read {
	model_ctx *m;
	json_t *unit;
} unit_read;

static int take_unit(void *ctx, store_row *row)
{
	unit_read *u = ctx;
	size_t n;
	static const char *const names[] = { "source_lang", "target_lang", "source", "target", "origin", "created_at" };
	u->unit = json_object();
	for (int i = 0; i < 6; i++) {
		const char *s = store_text(row, i, &n);
		json_object_set_new(u->unit, names[i], s ? json_stringn(s, n) : json_string(""));
	}
	json_object_set_new(u->unit, "id", json_integer(store_int(row, 6)));
	return 1;
}

/* Where the phrase's words are in text (lang's stems), in characters; NULL when not found. */
static json_t *place(const char *lang, const char *text, const char *phrase)
{
	word_list t, p;
	size_t off, len;
	words_init(&t, lang);
	words_init(&p, lang);
	words_read(&t, text, strlen(text));
	words_read(&p, phrase, strlen(phrase));
	json_t *out = NULL;
	if (words_find(&t, &p, &off, &len)) {
		int64_t from = 0, chars = 0;
		for (size_t i = 0; i < off + len; i++)
			if (((unsigned char)text[i] & 0xC0) != 0x80)
				*(i < off ? &from : &chars) += 1;
		out = json_pack("{s:I, s:I}", "offset", (json_int_t)from, "length", (json_int_t)chars);
	}
	words_free(&t);
	words_free(&p);
	return out;
}

int concordance_find(model_ctx *m, store_conn *c, const char *lang, const char *text, int64_t limit, json_t **items)
{
	*items = NULL;
	const char *match = expression(&m->a, lang, text);
	if (!match)
		return model_fail(m, 400, "Bad Request", "the text to look up has no word");
	found f = { .m = m };
	if (store_match(c, "tm_words", match, limit, take_id, &f) != STORE_OK)
		return model_fail(m, 500, "Store error", "the memory's words could not be read");
	json_t *out = json_array();
	for (size_t i = 0; i < f.ids.n; i++) {
		store_cond w = COND_EQ("id", SV_INT_(f.ids.v[i]));
		store_select q = { .table = "tm_units",
				   .cols = (const char *[]){ "source_lang", "target_lang", "source", "target", "origin",
							     "created_at", "id" },
				   .ncols = 7, .where = &w, .nwhere = 1 };
		unit_read u = { m, NULL };
		if (store_query(c, &q, take_unit, &u) != STORE_OK || !u.unit)
			continue;
		int source_side = !strcmp(json_string_value(json_object_get(u.unit, "source_lang")), lang);
		const char *side = json_string_value(json_object_get(u.unit, source_side ? "source" : "target"));
		json_t *at = place(lang, side, text);
		json_object_set_new(u.unit, "found_in", json_string(source_side ? "source" : "target"));
		json_object_set_new(u.unit, "found_at", at ? at : json_null());
		json_array_append_new(out, u.unit);
	}
	*items = out;
	return 0;
}
