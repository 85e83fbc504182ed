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
 * each tokenizer instance (one per FTS5 table and connection) owns its own,
 * and the scratch space its calls reuse.
 *
 * A bulk load tokenizes millions of words, so the common case is kept
 * cheap: a word of ASCII letters and digits not followed by an apostrophe
 * is folded by lowering its letters, which is what text_fold gives it,
 * without decoding it into code points; and an instance that indexes
 * documents remembers the folded form of the last pieces of other text and
 * the stems of the last words it saw (memo: a slot per hash, the newest
 * word wins), since prose repeats its words.  Folding and stemming are
 * functions of the word alone, so a remembered answer is the answer.
 */
#include "store/tokenizer.h"

#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/hash.h"

enum { LANG_EN, LANG_FR, LANG_ES, LANG_COUNT, LANG_ALL = LANG_COUNT, LANG_EXACT };

static const struct {
	const char *code;      /* tokenizer argument, marker and stem tag */
	const char *snowball;  /* sb_stemmer_new() name */
} langs[LANG_COUNT] = {
	[LANG_EN] = { "en", "english" },
	[LANG_FR] = { "fr", "french" },
	[LANG_ES] = { "es", "spanish" },
};

/* A remembered answer: key and value of up to MEMO_TEXT bytes. */
#define MEMO_SLOTS 16384
#define MEMO_TEXT 30

typedef struct memo_slot {
	unsigned char klen, vlen;  /* klen 0: empty */
	char key[MEMO_TEXT], value[MEMO_TEXT];
} memo_slot;

typedef struct liaison_tok {
	struct sb_stemmer *stemmer[LANG_COUNT];
	int lang;        /* of text without a marker: LANG_EN .. LANG_ALL */
	int stems_only;  /* documents give their stems alone (see tokenizer.h) */
	buf folded;      /* text_fold of the current piece */
	buf term;        /* the token being handed to FTS5 */
	buf word;        /* a word handed to a stemmer */
	memo_slot *folds;  /* a piece and the character after it: its folded form */
	memo_slot *stems;  /* a language's code and a folded word: its stem */
} liaison_tok;

typedef int (*token_fn)(void *ctx, int tflags, const char *token, int n, int start, int end);

/* One xTokenize call: where tokens go, and the language it is in. */
typedef struct tok_run {
	liaison_tok *tok;
	void *ctx;
	token_fn emit;
	int flags;   /* FTS5_TOKENIZE_* */
	int lang;
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
	buf_free(&tok->folded);
	buf_free(&tok->term);
	buf_free(&tok->word);
	free(tok->folds);
	free(tok->stems);
	free(tok);
}

/* All three stemmers are made even for 'liaison en': a marker may switch
 * any row to another language. */
static int tok_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)unused;
	*out = NULL;
	if (argc < 1 || argc > 2)
		return SQLITE_ERROR;
	int lang = lang_of(argv[0], strlen(argv[0]));
	int stems_only = argc == 2;
	if (lang < 0 || (stems_only && (strcmp(argv[1], "stems") != 0 || lang == LANG_EXACT)))
		return SQLITE_ERROR;
	liaison_tok *tok = calloc(1, sizeof *tok);
	if (!tok)
		return SQLITE_NOMEM;
	tok->lang = lang;
	tok->stems_only = stems_only;
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

/* ---- remembered answers ------------------------------------------------ */

/* The slot of the key (prefix, then n bytes at s), or NULL when the key is
 * too long to remember or the instance remembers nothing. */
static memo_slot *memo_slot_of(memo_slot *memo, char prefix, const char *s, size_t n, char *key, size_t *klen)
{
	if (!memo || n + 1 > MEMO_TEXT)
		return NULL;
	key[0] = prefix;
	memcpy(key + 1, s, n);
	*klen = n + 1;
	return &memo[hash_bytes(0, key, *klen) % MEMO_SLOTS];
}

/* The remembered value of the key into out; 0 when there is none. */
static int memo_get(memo_slot *memo, char prefix, const char *s, size_t n, buf *out)
{
	char key[MEMO_TEXT];
	size_t klen;
	memo_slot *m = memo_slot_of(memo, prefix, s, n, key, &klen);
	if (!m || m->klen != klen || memcmp(m->key, key, klen) != 0)
		return 0;
	buf_reset(out);
	buf_add(out, m->value, m->vlen);
	return 1;
}

static void memo_put(memo_slot *memo, char prefix, const char *s, size_t n, const char *value, size_t vlen)
{
	char key[MEMO_TEXT];
	size_t klen;
	memo_slot *m = memo_slot_of(memo, prefix, s, n, key, &klen);
	if (!m || vlen > MEMO_TEXT)
		return;
	memcpy(m->key, key, klen);
	if (vlen)  /* an elided word folds to nothing */
		memcpy(m->value, value, vlen);
	m->klen = (unsigned char)klen;
	m->vlen = (unsigned char)vlen;
}

/* Documents are where words repeat by the million: the instance remembers
 * from its first one on.  0, or SQLITE_NOMEM. */
static int memo_start(liaison_tok *tok)
{
	if (tok->folds)
		return SQLITE_OK;
	tok->folds = calloc(MEMO_SLOTS, sizeof *tok->folds);
	tok->stems = calloc(MEMO_SLOTS, sizeof *tok->stems);
	return tok->folds && tok->stems ? SQLITE_OK : SQLITE_NOMEM;
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
	liaison_tok *tok = run->tok;
	struct sb_stemmer *st = tok->stemmer[lang];
	buf *term = &tok->term;

	if (memo_get(tok->stems, (char)('0' + lang), w, n, term))
		return SQLITE_OK;
	const char *word = w;
	size_t len = n;
	if (lang == LANG_ES) {
		spanish_accent(&tok->word, w, n);
		word = tok->word.data;
		len = tok->word.len;
	}
	const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *)word, (int)len);
	if (!stem)
		return SQLITE_NOMEM;
	buf_reset(term);
	buf_puts(term, langs[lang].code);
	buf_putc(term, ':');
	buf_add(term, stem, (size_t)sb_stemmer_length(st));
	memo_put(tok->stems, (char)('0' + lang), w, n, term->data, term->len);
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
			rc = emit(run, first ? 0 : FTS5_TOKEN_COLOCATED, run->tok->term.data,
				  run->tok->term.len, start, end);
		if (rc != SQLITE_OK)
			return rc;
		first = 0;
	}
	return SQLITE_OK;
}

/* Documents (and aux functions re-reading them) give the folded word and
 * its stems, or the stems alone in a table searched only by whole words;
 * queries give the stems only, prefix queries the folded word only, since
 * a stem's prefix is not the prefix the user typed. */
static int emit_word(tok_run *run, const char *w, size_t n, size_t start, size_t end)
{
	int query = run->flags & FTS5_TOKENIZE_QUERY;

	if (run->lang == LANG_EXACT || (query && (run->flags & FTS5_TOKENIZE_PREFIX)))
		return emit(run, 0, w, n, start, end);
	if (query || run->tok->stems_only)
		return emit_stems(run, w, n, start, end, 1);
	int rc = emit(run, 0, w, n, start, end);
	return rc == SQLITE_OK ? emit_stems(run, w, n, start, end, 0) : rc;
}

/* Whether text_fold of the piece text[start..end) and the character after
 * it is the piece's letters lowered: ASCII letters and digits (what a word
 * of ASCII is made of, see in_word) followed by no apostrophe, ASCII or
 * not, that could elide it. */
static int folds_by_lowering(const char *text, size_t start, size_t end, size_t fold_end)
{
	for (size_t i = start; i < fold_end; i++)
		if ((unsigned char)text[i] >= 0x80)
			return 0;
	return fold_end == end || (text[end] != '\'' && text[end] != '`');
}

/* Folds text[start..fold_end) and emits its words, all marked as
 * text[start..end).  Usually one word; none for an elided "l'"; several
 * when compatibility forms unfold into separate words. */
static int emit_piece(tok_run *run, const char *text, size_t start, size_t end, size_t fold_end)
{
	buf *folded = &run->tok->folded;
	buf_reset(folded);
	if (folds_by_lowering(text, start, end, fold_end)) {
		for (size_t i = start; i < end; i++)
			buf_putc(folded, text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i]);
	} else if (!memo_get(run->tok->folds, 0, text + start, fold_end - start, folded)) {
		text_fold(folded, text + start, fold_end - start);
		memo_put(run->tok->folds, 0, text + start, fold_end - start, folded->data, folded->len);
	}
	const char *w = buf_str(folded);
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
 * instead of breaking the word there.  In ASCII: letters and digits. */
static int in_word(utf8proc_int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	return text_word_char(c) || utf8proc_get_property(c)->ignorable;
}

/* Decodes the character at text[i]; its length, 0 at the end, or -1 for a
 * byte that starts no valid character. */
static int next_char(const char *text, size_t n, size_t i, utf8proc_int32_t *c)
{
	if (i >= n)
		return 0;
	if ((unsigned char)text[i] < 0x80) {
		*c = (unsigned char)text[i];
		return 1;
	}
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

/* ---- text tokenized ahead ---------------------------------------------- */

/* A token as search_tokenize writes it: a byte that says whether it takes
 * a position of its own, then its bytes, which are letters, digits and ':'
 * and never such a byte. */
#define TOKEN_AT_NEXT '\002'
#define TOKEN_COLOCATED '\003'

static int append_token(void *ctx, int tflags, const char *t, int n, int start, int end)
{
	(void)start;
	(void)end;
	buf_putc(ctx, tflags & FTS5_TOKEN_COLOCATED ? TOKEN_COLOCATED : TOKEN_AT_NEXT);
	buf_add(ctx, t, (size_t)n);
	return SQLITE_OK;
}

/* The tokens after SEARCH_MARK_TOKENS handed on as they were made. */
static int replay(tok_run *run, const char *text, size_t n)
{
	size_t i = SEARCH_MARK_LEN;
	while (i < n) {
		int tflags = text[i] == TOKEN_COLOCATED ? FTS5_TOKEN_COLOCATED : 0;
		size_t start = ++i;
		while (i < n && text[i] != TOKEN_AT_NEXT && text[i] != TOKEN_COLOCATED)
			i++;
		int rc = emit(run, tflags, text + start, i - start, start, i);
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
	tok_run run = { tok, ctx, emit_fn, flags, tok->lang };
	if (tok->stems_only && (flags & FTS5_TOKENIZE_DOCUMENT) && n >= SEARCH_MARK_LEN &&
	    memcmp(text, SEARCH_MARK_TOKENS, SEARCH_MARK_LEN) == 0)
		return replay(&run, text, n);
	if ((flags & FTS5_TOKENIZE_DOCUMENT) && memo_start(tok) != SQLITE_OK)
		return SQLITE_NOMEM;
	return cut_and_emit(&run, text, n, 0);
}

struct search_tokenizer {
	Fts5Tokenizer *tok;
};

search_tokenizer *search_tokenizer_new(const char *lang)
{
	const char *argv[] = { lang, "stems" };
	Fts5Tokenizer *tok;
	if (tok_create(NULL, argv, 2, &tok) != SQLITE_OK)
		return NULL;
	search_tokenizer *t = malloc(sizeof *t);
	if (!t) {
		tok_delete(tok);
		return NULL;
	}
	t->tok = tok;
	return t;
}

int search_tokenize(search_tokenizer *t, const char *text, size_t n, buf *out)
{
	buf_puts(out, SEARCH_MARK_TOKENS);
	return tok_tokenize(t->tok, out, FTS5_TOKENIZE_DOCUMENT, text, (int)n, append_token);
}

void search_tokenizer_free(search_tokenizer *t)
{
	if (!t)
		return;
	tok_delete(t->tok);
	free(t);
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
