/*
 * tokenizer — the FTS5 tokenizer "liaison": words of the original text cut
 * at their byte offsets, folded by fold.c, stemmed by Snowball.
 *
 * The text is cut into pieces (runs of letters, marks and digits) here,
 * because text_fold works on a whole string and keeps no offsets; each piece
 * is then folded by text_fold, so search and duplicate detection agree on
 * what a word is.  The character after a piece goes to text_fold with it:
 * when it is an apostrophe, text_fold sees "l'" and drops the elided
 * article, so the list of elisions lives only in fold.c.
 *
 * Snowball stemmers keep state between calls and are not thread-safe, so
 * each tokenizer instance (one per FTS5 table and connection) owns its own.
 */
#include "store/tokenizer.h"

#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/fold.h"

enum { LANG_EN, LANG_FR, LANG_ES, LANG_COUNT, LANG_ALL = LANG_COUNT, LANG_EXACT };

static const struct {
	const char *code;      /* tokenizer argument, marker and stem tag */
	const char *snowball;  /* sb_stemmer_new() name */
} langs[LANG_COUNT] = {
	[LANG_EN] = { "en", "english" },
	[LANG_FR] = { "fr", "french" },
	[LANG_ES] = { "es", "spanish" },
};

typedef struct liaison_tok {
	struct sb_stemmer *stemmer[LANG_COUNT];
	int lang;  /* of text without a marker: LANG_EN .. LANG_ALL */
} liaison_tok;

typedef int (*token_fn)(void *ctx, int tflags, const char *token, int n, int start, int end);

/* One xTokenize call: where tokens go, and scratch space reused for every
 * word so that a long text costs no allocation per word. */
typedef struct tok_run {
	liaison_tok *tok;
	void *ctx;
	token_fn emit;
	int flags;   /* FTS5_TOKENIZE_* */
	int lang;
	buf folded;  /* text_fold of the current piece */
	buf term;    /* the token being handed to FTS5 */
	buf word;    /* a word handed to a stemmer */
} tok_run;

/* ---- languages -------------------------------------------------------- */

/* A tokenizer argument: a language, "all" or "exact"; -1 for none. */
static int lang_of(const char *s, size_t n)
{
	for (int i = 0; i < LANG_COUNT; i++)
		if (n == 2 && memcmp(s, langs[i].code, 2) == 0)
			return i;
	if (n == 3 && memcmp(s, "all", 3) == 0)
		return LANG_ALL;
	if (n == 5 && memcmp(s, "exact", 5) == 0)
		return LANG_EXACT;
	return -1;
}

/* The language a marker at s switches to; -1 when s starts none. */
static int marker_lang(const char *s, size_t n)
{
	if (n < SEARCH_MARK_LEN || s[0] != '\001' || s[3] != '\001')
		return -1;
	if (memcmp(s, SEARCH_MARK_EXACT, SEARCH_MARK_LEN) == 0)
		return LANG_EXACT;
	int lang = lang_of(s + 1, 2);
	return lang < LANG_COUNT ? lang : -1;
}

size_t search_mark_len(const char *s, size_t n)
{
	return marker_lang(s, n) >= 0 ? SEARCH_MARK_LEN : 0;
}

/* ---- FTS5 tokenizer object -------------------------------------------- */

static void tok_delete(Fts5Tokenizer *p)
{
	liaison_tok *tok = (liaison_tok *)p;

	if (!tok)
		return;
	for (int i = 0; i < LANG_COUNT; i++)
		if (tok->stemmer[i])
			sb_stemmer_delete(tok->stemmer[i]);
	free(tok);
}

/* All three stemmers are made even for 'liaison en': a marker may switch
 * any row to another language. */
static int tok_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)unused;
	*out = NULL;
	if (argc != 1)
		return SQLITE_ERROR;
	int lang = lang_of(argv[0], strlen(argv[0]));
	if (lang < 0)
		return SQLITE_ERROR;
	liaison_tok *tok = calloc(1, sizeof *tok);
	if (!tok)
		return SQLITE_NOMEM;
	tok->lang = lang;
	for (int i = 0; i < LANG_COUNT; i++) {
		tok->stemmer[i] = sb_stemmer_new(langs[i].snowball, "UTF_8");
		if (!tok->stemmer[i])
			goto fail;
	}
	*out = (Fts5Tokenizer *)tok;
	return SQLITE_OK;
fail:
	tok_delete((Fts5Tokenizer *)tok);
	return SQLITE_NOMEM;
}

/* ---- stemming --------------------------------------------------------- */

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The Spanish stemmer knows the singular -ación and -ución only with their
 * accent, while the plural -aciones carries none: folded, "organizacion"
 * would keep its ending and "organizaciones" lose it, and the two would not
 * meet.  Putting the accent back on those endings makes them meet again
 * whether or not the writer typed it. */
static void spanish_accent(buf *out, const char *w, size_t n)
{
	buf_reset(out);
	if (!ends_with(w, n, "acion") && !ends_with(w, n, "ucion")) {
		buf_add(out, w, n);
		return;
	}
	buf_add(out, w, n - 2);
	buf_puts(out, "\xc3\xb3n");  /* ón */
}

/* Puts "xx:stem" in run->term; 0, or SQLITE_NOMEM. */
static int stem_term(tok_run *run, int lang, const char *w, size_t n)
{
	struct sb_stemmer *st = run->tok->stemmer[lang];

	if (lang == LANG_ES) {
		spanish_accent(&run->word, w, n);
		w = run->word.data;
		n = run->word.len;
	}
	const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *)w, (int)n);
	if (!stem)
		return SQLITE_NOMEM;
	buf_reset(&run->term);
	buf_puts(&run->term, langs[lang].code);
	buf_putc(&run->term, ':');
	buf_add(&run->term, stem, (size_t)sb_stemmer_length(st));
	return SQLITE_OK;
}

/* ---- emitting words --------------------------------------------------- */

static int emit(tok_run *run, int tflags, const char *t, size_t n, size_t start, size_t end)
{
	return run->emit(run->ctx, tflags, t, (int)n, (int)start, (int)end);
}

/* The stems of one word in the run's language(s), colocated after the
 * first token of the position unless one was already given. */
static int emit_stems(tok_run *run, const char *w, size_t n, size_t start, size_t end, int first)
{
	int from = run->lang == LANG_ALL ? 0 : run->lang;
	int to = run->lang == LANG_ALL ? LANG_COUNT : run->lang + 1;

	for (int lang = from; lang < to; lang++) {
		int rc = stem_term(run, lang, w, n);
		if (rc == SQLITE_OK)
			rc = emit(run, first ? 0 : FTS5_TOKEN_COLOCATED, run->term.data,
				  run->term.len, start, end);
		if (rc != SQLITE_OK)
			return rc;
		first = 0;
	}
	return SQLITE_OK;
}

/* Documents (and aux functions re-reading them) give the folded word and
 * its stems; queries give the stems only, prefix queries the folded word
 * only, since a stem's prefix is not the prefix the user typed. */
static int emit_word(tok_run *run, const char *w, size_t n, size_t start, size_t end)
{
	int query = run->flags & FTS5_TOKENIZE_QUERY;

	if (run->lang == LANG_EXACT || (query && (run->flags & FTS5_TOKENIZE_PREFIX)))
		return emit(run, 0, w, n, start, end);
	if (query)
		return emit_stems(run, w, n, start, end, 1);
	int rc = emit(run, 0, w, n, start, end);
	return rc == SQLITE_OK ? emit_stems(run, w, n, start, end, 0) : rc;
}

/* Folds text[start..fold_end) and emits its words, all marked as
 * text[start..end).  Usually one word; none for an elided "l'"; several
 * when compatibility forms unfold into separate words. */
static int emit_piece(tok_run *run, const char *text, size_t start, size_t end, size_t fold_end)
{
	buf_reset(&run->folded);
	text_fold(&run->folded, text + start, fold_end - start);
	const char *w = buf_str(&run->folded);
	while (*w) {
		const char *sp = strchr(w, ' ');
		size_t n = sp ? (size_t)(sp - w) : strlen(w);
		int rc = emit_word(run, w, n, start, end);
		if (rc != SQLITE_OK)
			return rc;
		w += sp ? n + 1 : n;
	}
	return SQLITE_OK;
}

/* ---- cutting the text ------------------------------------------------- */

/* Letters, marks and digits (fold.c's test), plus the default-ignorable
 * characters (soft hyphen, zero-width joiner) that text_fold deletes
 * instead of breaking the word there. */
static int in_word(utf8proc_int32_t c)
{
	return text_word_char(c) || utf8proc_get_property(c)->ignorable;
}

/* Decodes the character at text[i]; its length, 0 at the end, or -1 for a
 * byte that starts no valid character. */
static int next_char(const char *text, size_t n, size_t i, utf8proc_int32_t *c)
{
	if (i >= n)
		return 0;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						(utf8proc_ssize_t)(n - i), c);
	return len > 0 ? (int)len : -1;
}

static int cut_and_emit(tok_run *run, const char *text, size_t n, size_t i)
{
	utf8proc_int32_t c;

	while (i < n) {
		int lang = marker_lang(text + i, n - i);
		if (lang >= 0) { /* a record's next language version starts here */
			if (run->tok->lang != LANG_EXACT) /* 'liaison exact' stems nothing */
				run->lang = lang;
			i += SEARCH_MARK_LEN;
			continue;
		}
		int len = next_char(text, n, i, &c);
		if (len < 0 || !in_word(c)) {
			i += len < 0 ? 1 : (size_t)len;
			continue;
		}
		size_t start = i;
		while ((len = next_char(text, n, i, &c)) > 0 && in_word(c))
			i += (size_t)len;
		int rc = emit_piece(run, text, start, i, i + (len > 0 ? (size_t)len : 0));
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
			token_fn emit_fn)
{
	liaison_tok *tok = (liaison_tok *)p;
	size_t n = ntext > 0 ? (size_t)ntext : 0;
	tok_run run = { tok, ctx, emit_fn, flags, tok->lang, BUF_INIT, BUF_INIT, BUF_INIT };
	int rc = cut_and_emit(&run, text, n, 0);
	buf_free(&run.folded);
	buf_free(&run.term);
	buf_free(&run.word);
	return rc;
}

/* ---- registration ----------------------------------------------------- */

fts5_api *search_fts5(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int search_register_tokenizer(sqlite3 *db)
{
	fts5_tokenizer impl = { tok_create, tok_delete, tok_tokenize };
	fts5_api *api = search_fts5(db);

	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "liaison", NULL, &impl, NULL);
}
