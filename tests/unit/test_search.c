/*
 * test_search — full-text search as users meet it: the "liaison" tokenizer
 * inside a real FTS5 table (folding, elision, stemming per language, offsets
 * for snippets), the search box parser, and the two together, including the
 * hostile input that a public search box receives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/xorshift.h"
#include "model/search.h"
#include "search/query.h"
#include "store/rank.h"
#include "store/tokenizer.h"

/* ---- fixture ---------------------------------------------------------- */

/* Invented records, one row per language version, as the index holds
 * them.  Row ids are positions in this table, from 1. */
static const struct row {
	const char *lang, *title, *body;
} rows[] = {
	{ "en", "Labour Migration Policy Review",
	  "A review of labour migration between the Philippines and partner countries." },
	{ "fr", "Conseil d'administration de l'Organisation",
	  "Le conseil examine le budget annuel." },
	{ "fr", "Statut du travailleur migrant",
	  "Protection sociale du travailleur migrant saisonnier." },
	{ "fr", "Emploi saisonnier",
	  "Le travailleur agricole n'est pas toujours un migrant." },
	{ "es", "Organización Internacional para el Trabajo",
	  "Informe sobre las organizaciones sindicales de América Latina." },
	{ "en", "Legal counsel for part-time staff",
	  "Advice from counsel on contracts." },
	{ "fr", "Droit d’asile",
	  "Les demandeurs d’asile en Europe." },
	{ "en", "Refugee protection in the Sahel",
	  "Support to refugees and host communities." },
};

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static const char *marker(const char *lang)
{
	return strcmp(lang, "fr") == 0 ? SEARCH_MARK_FR
	       : strcmp(lang, "es") == 0 ? SEARCH_MARK_ES : SEARCH_MARK_EN;
}

static void insert_row(sqlite3 *db, const struct row *r)
{
	sqlite3_stmt *st;
	buf title = BUF_INIT, body = BUF_INIT;

	buf_printf(&title, "%s%s", marker(r->lang), r->title);
	buf_printf(&body, "%s%s", marker(r->lang), r->body);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO search_index VALUES (?1, ?2, ?3)",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, title.data, (int)title.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body.data, (int)body.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->lang, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	buf_free(&title);
	buf_free(&body);
}

static int setup(void **state)
{
	sqlite3 *db;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (search_register_tokenizer(db) != SQLITE_OK)
		return -1;
	exec(db, "CREATE VIRTUAL TABLE search_index USING fts5("
		 "title, body, lang UNINDEXED, tokenize = 'liaison all')");
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		insert_row(db, &rows[i]);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

/* ---- calling the tokenizer directly ----------------------------------- */

static fts5_api *get_api(sqlite3 *db)
{
	fts5_api *api = search_fts5(db);
	assert_non_null(api);
	return api;
}

/* Tokens as "word@start-end", a colocated token as "+word". */
static int collect(void *ctx, int tflags, const char *t, int n, int start, int end)
{
	buf *out = ctx;

	if (out->len)
		buf_putc(out, ' ');
	if (tflags & FTS5_TOKEN_COLOCATED)
		buf_printf(out, "+%.*s", n, t);
	else
		buf_printf(out, "%.*s@%d-%d", n, t, start, end);
	return SQLITE_OK;
}

/* Tokenizes text with 'liaison <lang>' and checks the tokens. */
static void expect_tokens(sqlite3 *db, const char *lang, int flags, const char *text,
			  const char *want)
{
	fts5_api *api = get_api(db);
	fts5_tokenizer impl;
	Fts5Tokenizer *tok;
	void *ud;
	buf got = BUF_INIT;

	assert_int_equal(api->xFindTokenizer(api, "liaison", &ud, &impl), SQLITE_OK);
	assert_int_equal(impl.xCreate(ud, &lang, 1, &tok), SQLITE_OK);
	assert_int_equal(impl.xTokenize(tok, &got, flags, text, (int)strlen(text), collect), SQLITE_OK);
	impl.xDelete(tok);
	if (strcmp(buf_str(&got), want) != 0)
		fail_msg("tokens of \"%s\":\n  got  %s\n  want %s", text, buf_str(&got), want);
	buf_free(&got);
}

/* Tokens only, separated by spaces. */
static int collect_terms(void *ctx, int tflags, const char *t, int n, int start, int end)
{
	buf *out = ctx;

	(void)tflags;
	(void)start;
	(void)end;
	buf_printf(out, "%s%.*s", out->len ? " " : "", n, t);
	return SQLITE_OK;
}

/* The query-time stems of text in one language. */
static char *stems(sqlite3 *db, const char *lang, const char *text)
{
	fts5_api *api = get_api(db);
	fts5_tokenizer impl;
	Fts5Tokenizer *tok;
	void *ud;
	buf got = BUF_INIT;

	assert_int_equal(api->xFindTokenizer(api, "liaison", &ud, &impl), SQLITE_OK);
	assert_int_equal(impl.xCreate(ud, &lang, 1, &tok), SQLITE_OK);
	assert_int_equal(impl.xTokenize(tok, &got, FTS5_TOKENIZE_QUERY, text, (int)strlen(text),
					collect_terms), SQLITE_OK);
	impl.xDelete(tok);
	return buf_steal(&got);
}

static void expect_same_stems(sqlite3 *db, const char *lang, const char *a, const char *b)
{
	char *sa = stems(db, lang, a), *sb = stems(db, lang, b);
	if (strcmp(sa, sb) != 0)
		fail_msg("%s: \"%s\" gives %s but \"%s\" gives %s", lang, a, sa, b, sb);
	free(sa);
	free(sb);
}

static void tokens_fold_and_point_at_original(void **state)
{
	sqlite3 *db = *state;

	/* l’ is 4 bytes (’ is 3), so "Organisation" starts at byte 4 + 4. */
	expect_tokens(db, "all", FTS5_TOKENIZE_DOCUMENT, SEARCH_MARK_FR "l’Organisation, CONSEIL",
		      "organisation@8-20 +fr:organis conseil@22-29 +fr:conseil");
	expect_tokens(db, "es", FTS5_TOKENIZE_DOCUMENT, "Año Niño",
		      "ano@0-4 +es:ano nino@5-10 +es:nin");
	expect_tokens(db, "fr", FTS5_TOKENIZE_DOCUMENT, "Œuvre d'asile, aujourd'hui",
		      "oeuvre@0-6 +fr:oeuvr asile@9-14 +fr:asil aujourd@16-23 +fr:aujourd "
		      "hui@24-27 +fr:hui");
	/* Soft hyphen inside a word, invalid byte between words. */
	expect_tokens(db, "en", FTS5_TOKENIZE_DOCUMENT, "mi\xc2\xadgrant \xff labour",
		      "migrant@0-9 +en:migrant labour@12-18 +en:labour");
	expect_tokens(db, "all", FTS5_TOKENIZE_DOCUMENT, "", "");
	expect_tokens(db, "all", FTS5_TOKENIZE_DOCUMENT, SEARCH_MARK_ES, "");
	/* Facets: folded, never stemmed, in rows and queries alike. */
	expect_tokens(db, "all", FTS5_TOKENIZE_DOCUMENT, SEARCH_MARK_EXACT " kindorganizations countryPH",
		      "kindorganizations@5-22 countryph@23-32");
	expect_tokens(db, "all", FTS5_TOKENIZE_QUERY, SEARCH_MARK_EXACT "Migrations", "migrations@4-14");
	/* 'exact' (the type-ahead's titles): no stems, whatever the markers say. */
	expect_tokens(db, "exact", FTS5_TOKENIZE_DOCUMENT, SEARCH_MARK_FR "Conseil " SEARCH_MARK_EN "Councils",
		      "conseil@4-11 councils@16-24");
	expect_tokens(db, "exact", FTS5_TOKENIZE_QUERY, "Councils", "councils@0-8");
}

static void query_tokens_all_languages(void **state)
{
	sqlite3 *db = *state;

	expect_tokens(db, "all", FTS5_TOKENIZE_QUERY, "Migrations",
		      "en:migrat@0-10 +fr:migrat +es:migrations");
	expect_tokens(db, "fr", FTS5_TOKENIZE_QUERY, "Migrations", "fr:migrat@0-10");
	/* Prefixes are folded, never stemmed. */
	expect_tokens(db, "all", FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, "Organisat",
		      "organisat@0-9");
}

static void stems_survive_folding(void **state)
{
	sqlite3 *db = *state;

	expect_same_stems(db, "en", "migrations", "migration");
	expect_same_stems(db, "fr", "migrations", "Migration");
	expect_same_stems(db, "fr", "travailleurs migrants", "travailleur migrant");
	expect_same_stems(db, "fr", "sécurités", "securite");
	expect_same_stems(db, "es", "organizacion", "Organización");
	expect_same_stems(db, "es", "organizaciones", "organizacion");
	expect_same_stems(db, "es", "soluciones", "solucion");
	expect_same_stems(db, "es", "migraciones", "Migración");
	expect_same_stems(db, "fr", "l'Organisation", "organisations");
	expect_same_stems(db, "fr", "d’asile", "asile");
}

static void bad_tokenizer_arguments(void **state)
{
	sqlite3 *db = *state;
	static const char *const sql[] = {
		"CREATE VIRTUAL TABLE bad1 USING fts5(x, tokenize = 'liaison de')",
		"CREATE VIRTUAL TABLE bad2 USING fts5(x, tokenize = 'liaison')",
		"CREATE VIRTUAL TABLE bad3 USING fts5(x, tokenize = 'liaison en fr')",
		"CREATE VIRTUAL TABLE bad4 USING fts5(x, tokenize = 'liaison ==')",
		"CREATE VIRTUAL TABLE bad5 USING fts5(x, tokenize = 'liaison exact stems')",
		"CREATE VIRTUAL TABLE bad6 USING fts5(x, tokenize = 'liaison en stem')",
		"CREATE VIRTUAL TABLE bad7 USING fts5(x, tokenize = 'liaison all stems more')",
	};

	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		assert_int_not_equal(sqlite3_exec(db, sql[i], NULL, NULL, NULL), SQLITE_OK);
}

/* Tokens with their flags (an index's view: no offsets), by a fresh
 * 'liaison <args>' instance, or by inst when given (kept warm across calls). */
static int collect_flagged(void *ctx, int tflags, const char *t, int n, int start, int end)
{
	(void)start;
	(void)end;
	buf_printf(ctx, "%s%.*s", tflags & FTS5_TOKEN_COLOCATED ? "+" : " ", n, t);
	return SQLITE_OK;
}

static char *document_tokens(sqlite3 *db, const char **args, int nargs, Fts5Tokenizer *inst, const char *text,
			     size_t n)
{
	fts5_api *api = get_api(db);
	fts5_tokenizer impl;
	Fts5Tokenizer *tok = inst;
	void *ud;
	buf got = BUF_INIT;

	assert_int_equal(api->xFindTokenizer(api, "liaison", &ud, &impl), SQLITE_OK);
	if (!inst)
		assert_int_equal(impl.xCreate(ud, args, nargs, &tok), SQLITE_OK);
	assert_int_equal(impl.xTokenize(tok, &got, FTS5_TOKENIZE_DOCUMENT, text, (int)n, collect_flagged),
			 SQLITE_OK);
	if (!inst)
		impl.xDelete(tok);
	buf_putc(&got, '\0');
	return buf_steal(&got);
}

/* A random text of pieces that fold in every way the tokenizer knows:
 * ASCII words, accents composed and combining, elisions with each
 * apostrophe, ligatures, soft hyphens, invalid bytes, language markers. */
static size_t random_text(uint64_t *seed, char *out, size_t cap)
{
	static const char *const pieces[] = {
		"Conseil", "migrant", "WORKERS", "42", "l'", "qu’", "d`", "'", "’", " ", "  ", ".", ", ", "é", "É",
		"e\xcc\x81", "œuvre", "Straße", "ﬁn", "mi\xc2\xadgrant", "\xff", "año", "Organización", "aujourd'hui",
		"\xc2\xa0", "-", "x2", SEARCH_MARK_FR, SEARCH_MARK_ES, SEARCH_MARK_EN, "\xe2\x80\x8b", "Ⅻ", "ı",
	};
	size_t n = 0, count = 1 + xorshift_below(seed, 12);
	for (size_t i = 0; i < count; i++) {
		const char *p = pieces[xorshift_below(seed, (uint32_t)(sizeof pieces / sizeof *pieces))];
		size_t len = strlen(p);
		if (n + len >= cap)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

/* 'liaison LANG stems': the stems alone, each where the word was, so the
 * plain tokens without the folded words are the stems' tokens. */
static void stems_alone_keep_positions(void **state)
{
	sqlite3 *db = *state;
	uint64_t seed = 0x5eed5eedu;
	char text[256];
	const char *plain[] = { "all" }, *stems_only[] = { "all", "stems" };
	for (int i = 0; i < 500; i++) {
		size_t n = random_text(&seed, text, sizeof text);
		char *full = document_tokens(db, plain, 1, NULL, text, n);
		char *alone = document_tokens(db, stems_only, 2, NULL, text, n);
		/* " w1+xx:s1 w2+xx:s2" gives " xx:s1 xx:s2": each position's tokens but its first */
		buf want = BUF_INIT;
		for (char *group = full; *group == ' ';) {
			size_t len = strcspn(group + 1, " ");
			char *stems = memchr(group + 1, '+', len);
			if (stems)
				buf_printf(&want, " %.*s", (int)(group + 1 + len - stems - 1), stems + 1);
			group += 1 + len;
		}
		buf_putc(&want, '\0');
		if (strcmp(alone, want.data) != 0)
			fail_msg("\"%s\":\n  all        %s\n  all stems  %s\n  want       %s", text, full, alone, want.data);
		buf_free(&want);
		free(full);
		free(alone);
	}
}

/* Text tokenized ahead (search_tokenize) and handed to a table of stems
 * alone gives FTS5 the very tokens the text itself gives it. */
static void tokens_made_ahead_are_the_texts_own(void **state)
{
	sqlite3 *db = *state;
	uint64_t seed = 0xa11ce;
	char text[256];
	const char *args[] = { "all", "stems" };
	search_tokenizer *ahead = search_tokenizer_new("all");
	assert_non_null(ahead);
	for (int i = 0; i < 500; i++) {
		size_t n = random_text(&seed, text, sizeof text);
		buf made = BUF_INIT;
		assert_int_equal(search_tokenize(ahead, text, n, &made), SQLITE_OK);
		char *direct = document_tokens(db, args, 2, NULL, text, n);
		char *replayed = document_tokens(db, args, 2, NULL, made.data, made.len);
		if (strcmp(direct, replayed) != 0)
			fail_msg("\"%s\":\n  direct    %s\n  replayed  %s", text, direct, replayed);
		free(direct);
		free(replayed);
		buf_free(&made);
	}
	search_tokenizer_free(ahead);
	assert_null(search_tokenizer_new("de"));
	/* A table that keeps folded words takes the marker as text. */
	const char *plain[] = { "all" };
	const char *marked = SEARCH_MARK_TOKENS "\002en:x";
	char *tokens = document_tokens(db, plain, 1, NULL, marked, strlen(marked));
	assert_non_null(strstr(tokens, " tk+"));
	free(tokens);
}

/* An instance that remembers folds and stems answers as a fresh one does,
 * and its ASCII shortcut as text_fold does: the same texts, tokenized by
 * one instance over and over and by a new instance each time. */
static void remembered_answers_are_the_answers(void **state)
{
	sqlite3 *db = *state;
	fts5_api *api = get_api(db);
	fts5_tokenizer impl;
	Fts5Tokenizer *warm;
	void *ud;
	const char *args[] = { "all" };
	char text[256];
	assert_int_equal(api->xFindTokenizer(api, "liaison", &ud, &impl), SQLITE_OK);
	assert_int_equal(impl.xCreate(ud, args, 1, &warm), SQLITE_OK);
	for (int round = 0; round < 3; round++) {
		uint64_t seed = 0xfeed;
		for (int i = 0; i < 400; i++) {
			size_t n = random_text(&seed, text, sizeof text);
			char *fresh = document_tokens(db, args, 1, NULL, text, n);
			char *again = document_tokens(db, args, 1, warm, text, n);
			if (strcmp(fresh, again) != 0)
				fail_msg("round %d, \"%s\":\n  fresh  %s\n  warm   %s", round, text, fresh, again);
			free(fresh);
			free(again);
		}
	}
	impl.xDelete(warm);
	/* The folded words are text_fold's words, piece by piece or whole. */
	const char *exact[] = { "exact" };
	uint64_t seed = 0xf01d;
	for (int i = 0; i < 500; i++) {
		size_t n = random_text(&seed, text, sizeof text);
		if (memchr(text, '\001', n) || !utf8_valid(text, n))
			continue;  /* markers are the tokenizer's; a broken byte splits a word there, text_fold drops it */
		char *got = document_tokens(db, exact, 1, NULL, text, n);
		buf want = BUF_INIT;
		buf_putc(&want, ' ');
		text_fold(&want, text, n);
		if (want.len == 1)
			want.len = 0;
		buf_putc(&want, '\0');
		if (strcmp(got, want.data) != 0)
			fail_msg("\"%s\":\n  tokens     %s\n  text_fold  %s", text, got, want.data);
		buf_free(&want);
		free(got);
	}
}

static void marker_length(void **state)
{
	(void)state;
	assert_int_equal(search_mark_len(SEARCH_MARK_FR "x", 5), SEARCH_MARK_LEN);
	assert_int_equal(search_mark_len(SEARCH_MARK_ES, 4), SEARCH_MARK_LEN);
	assert_int_equal(search_mark_len(SEARCH_MARK_EXACT "x", 5), SEARCH_MARK_LEN);
	assert_int_equal(search_mark_len("\001de\001x", 5), 0);
	assert_int_equal(search_mark_len("\001fr", 3), 0);
	assert_int_equal(search_mark_len("Conseil", 7), 0);
}

/* ---- search, end to end ----------------------------------------------- */

/* Runs a search box query against the fixture: the row ids found, in
 * order, as "1,3", or "error@pos: message", or "filters only". */
static char *search(sqlite3 *db, const char *q)
{
	search_query sq;
	size_t pos = 0;
	char msg[200];
	buf out = BUF_INIT;
	sqlite3_stmt *st;

	if (search_query_parse(q, &sq, &pos, msg, sizeof msg) < 0) {
		buf_printf(&out, "error@%zu: %s", pos, msg);
		return buf_steal(&out);
	}
	if (!sq.match) {
		search_query_free(&sq);
		buf_puts(&out, "filters only");
		return buf_steal(&out);
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM search_index "
					    "WHERE search_index MATCH ?1 AND (?2 IS NULL OR lang = ?2) "
					    "ORDER BY rowid", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, sq.match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sq.lang, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&out, "%s%lld", out.len ? "," : "", sqlite3_column_int64(st, 0));
	if (rc != SQLITE_DONE)
		fail_msg("MATCH %s (from %s): %s", sq.match, q, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	search_query_free(&sq);
	return buf_steal(&out);
}

static void expect_found(sqlite3 *db, const char *q, const char *want)
{
	char *got = search(db, q);
	if (strcmp(got, want) != 0)
		fail_msg("search [%s]: got \"%s\", want \"%s\"", q, got, want);
	free(got);
}

static void stemmed_words_find_their_forms(void **state)
{
	sqlite3 *db = *state;

	expect_found(db, "migrations", "1");
	expect_found(db, "organizacion", "5");
	expect_found(db, "ORGANIZACIONES", "5");
	expect_found(db, "travailleurs migrants", "3,4");
	expect_found(db, "l'Organisation", "2");
	expect_found(db, "l’organisation", "2");
	expect_found(db, "asile", "7");
	expect_found(db, "demandeur", "7");
}

/* Each row is reached only through its own language's stems. */
static void languages_do_not_collide(void **state)
{
	sqlite3 *db = *state;

	expect_found(db, "Conseil", "2");
	expect_found(db, "counsel", "6");
	/* French "partie" stems to "part" in French; the English row's
	 * "part-time" is en:part and must not answer it. */
	expect_found(db, "part", "6");
	expect_found(db, "partie", "");
}

static void phrase_or_exclusion_prefix(void **state)
{
	sqlite3 *db = *state;

	expect_found(db, "\"travailleurs migrants\"", "3");
	expect_found(db, "\"migrant travailleur\"", "");
	expect_found(db, "asile OR refugee", "7,8");
	expect_found(db, "protection asile OR refugees", "8");
	expect_found(db, "travailleur -agricole", "3");
	expect_found(db, "travailleur -\"travailleur agricole\"", "3");
	expect_found(db, "migr*", "1,3,4");
	expect_found(db, "organisat*", "2");
	expect_found(db, "Organi*", "2,5");
	expect_found(db, "migr* -saison*", "1");
	expect_found(db, "migrant lang:fr", "3,4");
	expect_found(db, "migrant lang:en", "");
	expect_found(db, "Labour & Migration", "1");
}

/* Hostile input either is refused with a position or runs without an FTS5
 * syntax error: nothing typed becomes FTS5 syntax. */
static void hostile_input(void **state)
{
	sqlite3 *db = *state;
	static const struct { const char *q, *want; } cases[] = {
		{ "\"", "error@0" },
		{ "(", "error@0" },
		/* a name:value the parser does not know is the caller's to refuse,
		 * never FTS5's column filter */
		{ "a:b", "filters only" },
		{ "col:term", "filters only" },
		{ "title:conseil", "filters only" },
		{ "*", "error@0" },
		{ "-", "error@0" },
		{ "OR", "error@0" },
		{ "a OR", "error@2" },
		{ "\"\"", "error@0" },
		{ "", "error@0" },
		{ "   ", "error@0" },
		/* "NEAR(conseil" is the phrase "near conseil", found nowhere. */
		{ "NEAR(conseil annuel)", "" },
		{ "NEAR(conseil annuel, 2)", "" },
		{ "NEAR (conseil annuel)", "" },
		{ "conseil AND", "" },
		{ "conseil NOT", "" },
		{ "(conseil)", "2" },
		{ "^conseil", "2" },
		{ "\"title\":conseil", "" },
		{ "{title body}:conseil", "" },
		{ "conseil*)", "2" },
		{ "\"conseil\"\"budget\"", "2" },
		{ "\"conseil ** budget\"", "" },
		{ "conseil + budget", "2" },
		{ ":conseil", "2" },
		{ "lang:fr", "filters only" },
		{ "conseil \"(\" ", "2" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = search(db, cases[i].q);
		if (strncmp(got, cases[i].want, strlen(cases[i].want)) != 0 ||
		    (strncmp(cases[i].want, "error", 5) != 0 && strcmp(got, cases[i].want) != 0))
			fail_msg("search [%s]: got \"%s\", want \"%s\"", cases[i].q, got, cases[i].want);
		free(got);
	}
}

/* Thousands of queries stitched from syntax fragments: each is refused or
 * runs; an FTS5 syntax error fails the test inside search(). */
static void syntax_soup(void **state)
{
	sqlite3 *db = *state;
	static const char *const bits[] = {
		"conseil", "migr", "*", "\"", "(", ")", "-", ":", "^", "{", "}", "+", " ",
		" OR ", "OR", " AND ", " NOT ", "NEAR", ",", "é", "’", "'", "l'", "type:",
		"date:", "..", "2016", "lang:fr", "\\", "''", "col:", ".", "\t",
	};
	uint32_t seed = 20160101;
	buf q = BUF_INIT;

	for (int i = 0; i < 3000; i++) {
		buf_reset(&q);
		int parts = 1 + i % 9;
		for (int k = 0; k < parts; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&q, bits[(seed >> 16) % (sizeof bits / sizeof *bits)]);
		}
		free(search(db, buf_str(&q)));
	}
	buf_free(&q);
}

static void long_queries(void **state)
{
	sqlite3 *db = *state;
	buf q = BUF_INIT;

	while (q.len < 10 * 1024)
		buf_puts(&q, "migration ");
	expect_found(db, q.data, "error@2048: the search is too long (more than 2048 bytes)");
	/* The most words allowed, as long as allowed, still run. */
	buf_reset(&q);
	for (int i = 0; i < SEARCH_TERMS_MAX; i++)
		buf_printf(&q, "%s%s", i ? " " : "", i % 2 ? "review" : "\"labour migration\"");
	assert_true(q.len <= SEARCH_QUERY_MAX);
	expect_found(db, q.data, "1");
	buf_puts(&q, " one");
	char *got = search(db, q.data);
	assert_non_null(strstr(got, "too many words"));
	free(got);
	buf_free(&q);
}

static void snippets_mark_original_words(void **state)
{
	sqlite3 *db = *state;
	search_query sq;
	sqlite3_stmt *st;

	assert_int_equal(search_query_parse("organizacion", &sq, NULL, NULL, 0), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT snippet(search_index, 0, '[', ']', '…', 4), "
					    "highlight(search_index, 1, '[', ']') FROM search_index "
					    "WHERE search_index MATCH ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, sq.match, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *snip = (const char *)sqlite3_column_text(st, 0);
	const char *hl = (const char *)sqlite3_column_text(st, 1);
	snip += search_mark_len(snip, strlen(snip));
	hl += search_mark_len(hl, strlen(hl));
	assert_string_equal(snip, "[Organización] Internacional para el…");
	assert_string_equal(hl, "Informe sobre las [organizaciones] sindicales de América Latina.");
	sqlite3_finalize(st);
	search_query_free(&sq);

	assert_int_equal(search_query_parse("l'organisation", &sq, NULL, NULL, 0), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT highlight(search_index, 0, '<b>', '</b>') "
					    "FROM search_index WHERE search_index MATCH ?1", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, sq.match, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	hl = (const char *)sqlite3_column_text(st, 0);
	assert_string_equal(hl + search_mark_len(hl, strlen(hl)),
			    "Conseil d'administration de l'<b>Organisation</b>");
	sqlite3_finalize(st);
	search_query_free(&sq);
}

/* Text without a marker: a single-language table stems it in its own
 * language, an 'all' table in all three. */
static void unmarked_text(void **state)
{
	sqlite3 *db = *state;
	sqlite3_stmt *st;

	exec(db, "CREATE VIRTUAL TABLE only_en USING fts5(body, tokenize = 'liaison en');"
		 "INSERT INTO only_en VALUES ('Seasonal migrations');"
		 "CREATE VIRTUAL TABLE any_lang USING fts5(body, tokenize = 'liaison all');"
		 "INSERT INTO any_lang VALUES ('Organizaciones internacionales');");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM only_en WHERE only_en MATCH "
					    "'\"migration\"'), (SELECT count(*) FROM any_lang WHERE any_lang "
					    "MATCH '\"organizacion\"')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	sqlite3_finalize(st);
	exec(db, "DROP TABLE only_en; DROP TABLE any_lang;");
}

/* ---- the parser alone ------------------------------------------------- */

static void expect_match(const char *q, const char *want)
{
	search_query sq;
	size_t pos = 0;
	char msg[200] = "";

	if (search_query_parse(q, &sq, &pos, msg, sizeof msg) < 0)
		fail_msg("[%s] refused at %zu: %s", q, pos, msg);
	if (!sq.match || strcmp(sq.match, want) != 0)
		fail_msg("[%s] gives %s, want %s", q, sq.match ? sq.match : "NULL", want);
	search_query_free(&sq);
}

static void expect_error(const char *q, size_t want_pos, const char *msg_part)
{
	search_query sq;
	size_t pos = 99999;
	char msg[200] = "";

	if (search_query_parse(q, &sq, &pos, msg, sizeof msg) == 0)
		fail_msg("[%s] accepted as %s", q, sq.match ? sq.match : "NULL");
	if (pos != want_pos || !strstr(msg, msg_part))
		fail_msg("[%s] refused at %zu (\"%s\"), want %zu (\"%s\")", q, pos, msg, want_pos, msg_part);
	assert_null(sq.match);
	assert_null(sq.type);
}

static void parser_expressions(void **state)
{
	(void)state;
	expect_match("migration asile", "\"migration\" AND \"asile\"");
	expect_match("\"travailleurs migrants\"", "\"travailleurs migrants\"");
	expect_match("a b OR c", "\"a\" AND (\"b\" OR \"c\")");
	expect_match("a OR b OR c d", "(\"a\" OR \"b\" OR \"c\") AND \"d\"");
	expect_match("a -b -\"c d\"", "\"a\" NOT \"b\" NOT \"c d\"");
	expect_match("a b -c", "(\"a\" AND \"b\") NOT \"c\"");
	expect_match("migr* -saison*", "\"migr\" * NOT \"saison\" *");
	expect_match("\"travailleurs mig\"*", "\"travailleurs mig\" *");
	expect_match("NEAR(a b)", "\"NEAR(a\" AND \"b)\"");
	expect_match("a AND NOT b", "\"a\" AND \"AND\" AND \"NOT\" AND \"b\"");
	expect_match("ab\"cd\"", "\"ab\" AND \"cd\"");
	expect_match("Labour & Migration", "\"Labour\" AND \"Migration\"");
	expect_match("a OR & b", "\"a\" AND \"b\"");
	expect_match("a -& b", "\"a\" AND \"b\"");
	expect_match("--a b", "\"b\" NOT \"-a\"");
	expect_match("or and", "\"or\" AND \"and\"");
	expect_match("10:30", "\"10:30\"");
	expect_match("\"quoted\" type:organizations", "\"quoted\"");
}

static void parser_filters(void **state)
{
	(void)state;
	search_query sq;

	const char *all = "type:Organizations lang:FR Country:ph division:DRD tags:labour owner_2:\"A b\" date:2016..2017";
	assert_int_equal(search_query_parse(all, &sq, NULL, NULL, 0), 0);
	assert_null(sq.match);
	assert_string_equal(sq.type, "organizations");
	assert_string_equal(sq.lang, "fr");
	/* the others are the caller's, by name (lower case), value as typed and place */
	static const char *const want[][2] = { { "country", "ph" }, { "division", "DRD" }, { "tags", "labour" },
					       { "owner_2", "A b" } };
	assert_int_equal(sq.nfilters, 4);
	for (size_t k = 0; k < 4; k++) {
		assert_string_equal(sq.filters[k].name, want[k][0]);
		assert_string_equal(sq.filters[k].value, want[k][1]);
		assert_int_equal(sq.filters[k].pos, strcasestr(all, want[k][0]) - all);
	}
	assert_true(search_filter_builtin("date") && !search_filter_builtin("country"));
	assert_string_equal(sq.date_from, "2016-01-01");
	assert_string_equal(sq.date_to, "2017-12-31");
	search_query_free(&sq);
	search_query_free(&sq);  /* freeing twice is harmless */

	assert_int_equal(search_query_parse("asile division:\"Legal Affairs\" DATE:2016-02-29", &sq,
					    NULL, NULL, 0), 0);
	assert_string_equal(sq.match, "\"asile\"");
	assert_string_equal(sq.filters[0].value, "Legal Affairs");
	assert_string_equal(sq.date_from, "2016-02-29");
	assert_string_equal(sq.date_to, "2016-02-29");
	assert_null(sq.type);
	search_query_free(&sq);

	assert_int_equal(search_query_parse("date:2016..", &sq, NULL, NULL, 0), 0);
	assert_string_equal(sq.date_from, "2016-01-01");
	assert_null(sq.date_to);
	search_query_free(&sq);
	assert_int_equal(search_query_parse("date:..2017-06-30", &sq, NULL, NULL, 0), 0);
	assert_null(sq.date_from);
	assert_string_equal(sq.date_to, "2017-06-30");
	search_query_free(&sq);
	assert_int_equal(search_query_parse("date:2016", &sq, NULL, NULL, 0), 0);
	assert_string_equal(sq.date_from, "2016-01-01");
	assert_string_equal(sq.date_to, "2016-12-31");
	search_query_free(&sq);
}

static void parser_errors(void **state)
{
	(void)state;
	expect_error("asile \"travailleurs", 6, "never closed");
	expect_error("", 0, "empty");
	expect_error(" \t ", 0, "empty");
	expect_error("OR", 0, "OR must stand between");
	expect_error("a OR", 2, "OR must stand between");
	expect_error("OR a", 0, "OR must stand between");
	expect_error("a OR OR b", 5, "OR must stand between");
	expect_error("a OR type:organizations", 2, "OR must stand between");
	expect_error("a OR -b", 2, "excluded");
	expect_error("-a OR b", 3, "excluded");
	expect_error("-", 0, "'-' must be followed");
	expect_error("asile - refugee", 6, "'-' must be followed");
	expect_error("-asile", 0, "only leave words out");
	expect_error("type:organizations -asile", 19, "only leave words out");
	expect_error("*", 0, "'*' must follow");
	expect_error("a -**", 3, "'*' must follow");
	expect_error("(", 0, "nothing to search for");
	expect_error("\"\"", 0, "nothing to search for");
	expect_error("-type:persons asile", 0, "cannot be excluded");
	expect_error("lang:de", 5, "lang: expects");
	expect_error("type:org/x", 8, "type: expects");
	expect_error("tag:", 4, "needs a value");
	expect_error("tag:\"labour", 4, "never closed");
	expect_error("tag:a Tag:b", 6, "given twice");
	expect_error("a:1 b:2 c:3 d:4 e:5 f:6 g:7 h:8 i:9 j:10 k:11 l:12 m:13 n:14 o:15 p:16 q:17", 71, "too many filters");
	expect_error("date:2017-02-29", 5, "date: expects");
	expect_error("date:2016-13-01", 5, "date: expects");
	expect_error("date:16", 5, "date: expects");
	expect_error("date:2016..17", 11, "date: expects");
	expect_error("date:..", 5, "date: expects");
	expect_error("date:2018..2016", 5, "ends before it starts");
	expect_error("abc\xff", 3, "invalid UTF-8");
	expect_error("caf\xc3", 3, "invalid UTF-8");
	expect_error("\xc0\xaf", 0, "invalid UTF-8");
	expect_error("ok \xed\xa0\x80", 3, "invalid UTF-8");
	expect_error("Año \x01" "fr\x01" "x", 5, "control character");
}

static void parser_without_error_outputs(void **state)
{
	(void)state;
	search_query sq;

	assert_int_equal(search_query_parse("\"", &sq, NULL, NULL, 0), -1);
	char tiny[8];
	assert_int_equal(search_query_parse("lang:de", &sq, NULL, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

/* ---- ranking ----------------------------------------------------------- */

/* A table of n rows: "common" in every third body, "rare" in every
 * hundredth, "name" in the title of rows 5 and in the body of row 10. */
static sqlite3 *ranked_table(int n)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(search_register_rank(db), SQLITE_OK);
	exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body)");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)", -1, &st, NULL),
			 SQLITE_OK);
	for (int i = 1; i <= n; i++) {
		char body[128];
		snprintf(body, sizeof body, "report number %d%s%s%s", i, i % 3 == 0 ? " common" : "",
			 i % 100 == 0 ? " rare" : "", i == 10 ? " name" : "");
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, i == 5 ? "name" : "title", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return db;
}

/* Score of the first max matching rows by both functions, in row id
 * order; how many rows matched. */
static int both_scores(sqlite3 *db, const char *match, const char *ours, double *mine, double *theirs, int max)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s, bm25(t, 10.0, 1.0) FROM t WHERE t MATCH ? ORDER BY rowid", ours);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	int n = 0;
	for (; sqlite3_step(st) == SQLITE_ROW; n++)
		if (n < max) {
			mine[n] = sqlite3_column_double(st, 0);
			theirs[n] = sqlite3_column_double(st, 1);
		}
	assert_int_equal(sqlite3_errcode(db), SQLITE_DONE);
	sqlite3_finalize(st);
	return n;
}

/* Evenly spread words are estimated exactly from the sample, so the score
 * is bm25()'s to rounding, for a word in 1,000 rows (sampled) and in 30
 * (counted) alike. */
static void rank_matches_bm25_when_spread_evenly(void **state)
{
	(void)state;
	sqlite3 *db = ranked_table(3000);
	double mine[40], theirs[40];
	int n = both_scores(db, "common AND rare", "liaison_rank(t, 10.0, 1.0, 1, 3000)", mine, theirs, 40);
	assert_int_equal(n, 10);
	for (int i = 0; i < n; i++)
		assert_true(fabs(mine[i] - theirs[i]) < 1e-9 * fabs(theirs[i]) + 1e-12);
	n = both_scores(db, "rare OR common", "liaison_rank(t, 10.0, 1.0, 1, 3000)", mine, theirs, 40);
	assert_int_equal(n, 1020); /* 30 rare, 1,000 common, 10 both */
	for (int i = 0; i < 40; i++)
		assert_true(fabs(mine[i] - theirs[i]) < 1e-9 * fabs(theirs[i]) + 1e-12);
	sqlite3_close(db);
}

/* The estimate follows the rows' spread: told the rows cover a tenth of
 * the row ids they do, the common word is estimated ten times rarer and
 * weighs more. */
static void rank_estimate_uses_the_span(void **state)
{
	(void)state;
	sqlite3 *db = ranked_table(3000);
	double right[2], wrong[2], bm[2];
	assert_int_equal(both_scores(db, "common AND report", "liaison_rank(t, 10.0, 1.0, 1, 3000)", right, bm, 1), 1000);
	assert_int_equal(both_scores(db, "common AND report", "liaison_rank(t, 10.0, 1.0, 1, 300)", wrong, bm, 1), 1000);
	assert_true(wrong[0] < right[0]);
	sqlite3_close(db);
}

/* One phrase: no rarity to weigh, scores in bm25()'s order. */
static void rank_of_one_phrase_keeps_bm25_order(void **state)
{
	(void)state;
	sqlite3 *db = ranked_table(300);
	double mine[2], theirs[2];
	assert_int_equal(both_scores(db, "name", "liaison_rank(t, 10.0, 1.0, 1, 300)", mine, theirs, 2), 2);
	assert_true((mine[0] < mine[1]) == (theirs[0] < theirs[1]));
	sqlite3_close(db);
}

/* A word in the title weighs ten times one in the body. */
static void rank_weighs_the_title(void **state)
{
	(void)state;
	sqlite3 *db = ranked_table(300);
	double score[2], bm[2];
	assert_int_equal(both_scores(db, "name", "liaison_rank(t, 10.0, 1.0, 1, 300)", score, bm, 2), 2);
	assert_true(score[0] < score[1]); /* row 5 (title) before row 10 (body) */
	sqlite3_close(db);
}

static void rank_bad_arguments(void **state)
{
	(void)state;
	sqlite3 *db = ranked_table(10);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT liaison_rank(t, 1.0) FROM t WHERE t MATCH 'report'", -1, &st,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
	assert_non_null(strstr(sqlite3_errmsg(db), "liaison_rank"));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- facets and weights from the registry ------------------------------ */

/* An invented kind, harbours, in two versions: the second makes its size a
 * facet by its flag alone and its motto five times heavier than its log.
 * Both have a list and a reference as facets. */
static const char *const sizes[] = { "small", "large", NULL };
static const char *const size_labels[] = { "Small", "Large", NULL };
#define HARBOUR_FIELDS(size_flags, motto_weight)                                                  \
	{ "name", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 100 },                                \
	{ "motto", F_TEXT, SEARCHED, .max = 200, .weight = (motto_weight) },                        \
	{ "log", F_TEXT, SEARCHED, .max = 2000 },                                                   \
	{ "size", F_ENUM, (size_flags), .values = sizes, .labels = size_labels },                  \
	{ "berths", F_LIST, FACET, .max = 10 },                                                     \
	{ "twin", F_REF, FACET, .ref = "harbours" }
static const field_def plain_fields[] = { HARBOUR_FIELDS(0, 0) };
static const field_def faceted_fields[] = { HARBOUR_FIELDS(FACET, 5) };
static const entity_def plain_harbours = { .name = "harbours", .table = "harbours", .label = "harbour",
					   .fields = plain_fields, .nfields = COUNT(plain_fields),
					   .read = WHO_STAFF, .write = WHO_EDITORS, .heading = "Harbours" };
static const entity_def faceted_harbours = { .name = "harbours", .table = "harbours", .label = "harbour",
					     .fields = faceted_fields, .nfields = COUNT(faceted_fields),
					     .read = WHO_STAFF, .write = WHO_EDITORS, .heading = "Harbours" };

static const user keeper = { 1, "keeper", ROLE_ADMIN, NULL, 0, "en" };

typedef struct harbour_db {
	char dir[64], path[96];
	store *st;
	registry reg;
	char progress[512];  /* what opening it wrote on standard error */
} harbour_db;

/* Opens (or reopens) the database with one version of harbours, as the
 * command line does: migrations, tables, then search_prepare. */
static void harbours_open(harbour_db *h, const entity_def *def)
{
	char err[256];
	const entity_def *defs[] = { def };
	FILE *progress = tmpfile();
	assert_non_null(progress);
	h->st = store_open(h->path, err, sizeof err);
	if (!h->st || store_migrate(h->st, err, sizeof err) || registry_build(&h->reg, defs, 1, err, sizeof err) ||
	    registry_create_tables(&h->reg, h->st, err, sizeof err) || search_prepare(h->st, &h->reg, progress, err, sizeof err))
		fail_msg("harbours: %s", err);
	rewind(progress);
	size_t n = fread(h->progress, 1, sizeof h->progress - 1, progress);
	h->progress[n] = '\0';
	fclose(progress);
}

static void harbours_close(harbour_db *h)
{
	registry_free(&h->reg);
	store_close(h->st);
}

static int64_t harbour(harbour_db *h, const char *json)
{
	model_ctx m;
	model_init(&m, h->st, &h->reg, &keeper);
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	if (model_create(&m, registry_find(&h->reg, "harbours"), body, 0))
		fail_msg("harbour %s: %s", json, m.detail);
	int64_t id = m.id;
	json_decref(body);
	model_done(&m);
	return id;
}

/* The answer to q (the problem's detail when it fails), to json_decref. */
static json_t *harbour_search(harbour_db *h, const char *q, int *status)
{
	model_ctx m;
	model_init(&m, h->st, &h->reg, &keeper);
	model_search(&m, q, NULL, 20);
	*status = m.status;
	json_t *out = m.status == 200 ? json_loads(buf_str(&m.body), 0, NULL) : json_string(m.detail);
	model_done(&m);
	assert_non_null(out);
	return out;
}

/* The ids found by q, in order, as "3,1". */
static void expect_harbours(harbour_db *h, const char *q, const char *want)
{
	int status;
	json_t *out = harbour_search(h, q, &status), *item;
	if (status != 200)
		fail_msg("%s: %d %s", q, status, json_string_value(out));
	buf got = BUF_INIT;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, item)
		buf_printf(&got, "%s%lld", i ? "," : "", (long long)json_integer_value(json_object_get(item, "id")));
	if (strcmp(buf_str(&got), want) != 0)
		fail_msg("%s: found [%s], want [%s]", q, buf_str(&got), want);
	buf_free(&got);
	json_decref(out);
}

static void expect_refused(harbour_db *h, const char *q, const char *detail_part)
{
	int status;
	json_t *out = harbour_search(h, q, &status);
	assert_int_equal(status, 400);
	if (!strstr(json_string_value(out), detail_part))
		fail_msg("%s: \"%s\" lacks \"%s\"", q, json_string_value(out), detail_part);
	json_decref(out);
}

static const char *count_of(json_t *out, const char *facet, const char *value, char *into)
{
	json_t *n = json_object_get(json_object_get(json_object_get(out, "facets"), facet), value);
	snprintf(into, 32, "%lld", (long long)json_integer_value(n));
	return into;
}

static const char *label_of(json_t *out, const char *facet, const char *value)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(out, "facet_labels"), facet), value));
}

static void harbours_new(harbour_db *h)
{
	snprintf(h->dir, sizeof h->dir, "/tmp/liaison-facets-XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->path, sizeof h->path, "%s/t.db", h->dir);
}

static void harbours_remove(harbour_db *h)
{
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", h->dir);
	assert_int_equal(system(cmd), 0);
}

/* A facet declared by nothing but its flag filters and counts, whatever
 * its type: an enum by its value (labelled), a list by an item, a
 * reference by the id (labelled with the record's title); a name that is
 * no facet, or a value the facet cannot hold, is refused saying why. */
static void facet_by_flag_filters_and_counts(void **state)
{
	(void)state;
	harbour_db h;
	harbours_new(&h);
	harbours_open(&h, &faceted_harbours);
	int64_t north = harbour(&h, "{\"name\": \"Quenby North\", \"size\": \"large\", \"berths\": [\"Pier One\", \"dry dock\"]}");
	char json[200];
	snprintf(json, sizeof json, "{\"name\": \"Quenby South\", \"size\": \"small\", \"twin\": %lld, \"berths\": [\"pier-one\"]}",
		 (long long)north);
	int64_t south = harbour(&h, json);
	char want[64], n[32];
	snprintf(want, sizeof want, "%lld", (long long)north);
	expect_harbours(&h, "quenby size:large", want);
	expect_harbours(&h, "size:LARGE", want);              /* filters alone, in any case */
	expect_harbours(&h, "berths:\"dry dock\"", want);     /* a list by one of its items */
	snprintf(want, sizeof want, "%lld,%lld", (long long)south, (long long)north);
	expect_harbours(&h, "berths:\"Pier One\"", want);     /* the items compared folded */
	snprintf(json, sizeof json, "twin:%lld", (long long)north);
	snprintf(want, sizeof want, "%lld", (long long)south);
	expect_harbours(&h, json, want);                      /* a reference by the id of the record */
	expect_refused(&h, "quenby colour:blue", "unknown filter \"colour:\" (the filters are type, lang, date, "
						  "division, size, berths, twin;");
	expect_refused(&h, "size:huge", "size: expects one of small, large");
	expect_refused(&h, "twin:north", "twin: expects the number of a record of harbours");

	int status;
	json_t *out = harbour_search(&h, "quenby", &status);
	assert_int_equal(status, 200);
	assert_string_equal(count_of(out, "size", "large", n), "1");
	assert_string_equal(count_of(out, "berths", "Pier One", n), "1");
	assert_string_equal(count_of(out, "berths", "pier-one", n), "1");
	assert_string_equal(label_of(out, "size", "small"), "Small");
	snprintf(want, sizeof want, "%lld", (long long)north);
	assert_string_equal(count_of(out, "twin", want, n), "1");
	assert_string_equal(label_of(out, "twin", want), "Quenby North");
	assert_string_equal(label_of(out, "kind", "harbours"), "Harbours");
	json_decref(out);
	harbours_close(&h);
	harbours_remove(&h);
}

/* Opening the database with a registry whose facets or weights differ from
 * those its index was built for rebuilds the index, saying so on standard
 * error, and search follows the new description; opening it again with the
 * same rebuilds nothing. */
static void changed_facets_and_weights_rebuild_on_open(void **state)
{
	(void)state;
	harbour_db h;
	harbours_new(&h);
	harbours_open(&h, &plain_harbours);
	assert_string_equal(h.progress, ""); /* a new database has nothing to rebuild */
	int64_t in_motto = harbour(&h, "{\"name\": \"Alder Quay\", \"motto\": \"Wrenmoor\", \"size\": \"large\", "
					  "\"log\": \"tides berths cranes ferries cargo pilots tugs moorings buoys locks "
					  "sluices quays warehouses gantries\"}");
	int64_t in_log = harbour(&h, "{\"name\": \"Birch Quay\", \"log\": \"Wrenmoor\"}");
	char first_log[64], first_motto[64];
	snprintf(first_log, sizeof first_log, "%lld,%lld", (long long)in_log, (long long)in_motto);
	snprintf(first_motto, sizeof first_motto, "%lld,%lld", (long long)in_motto, (long long)in_log);
	expect_harbours(&h, "wrenmoor", first_log); /* alike in weight: the shorter record first */
	expect_refused(&h, "size:large", "unknown filter \"size:\"");
	harbours_close(&h);

	harbours_open(&h, &faceted_harbours);
	assert_string_equal(h.progress, "search: rebuilding the index for changed facets and weights: 2 of 2 records\n");
	expect_harbours(&h, "wrenmoor", first_motto); /* the motto weighs five times the log */
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)in_motto);
	expect_harbours(&h, "size:large", want);
	harbours_close(&h);

	harbours_open(&h, &faceted_harbours);
	assert_string_equal(h.progress, "");
	expect_harbours(&h, "size:large", want);
	harbours_close(&h);
	harbours_remove(&h);
}

static const char *const one_value[] = { "a", NULL };

/* What the registry refuses of facets and weights, saying which field. */
static void bad_facets_and_weights_refused(void **state)
{
	(void)state;
	static const struct { field_def f; const char *why; } cases[] = {
		{ { "when", F_DATE, FACET }, "harbours.when is a facet, but only" },
		{ { "type", F_TEXT, FACET, .max = 10 }, "harbours.type is a facet named like the search's own filter type:" },
		{ { "kind", F_ENUM, FACET, .values = one_value },
		  "harbours.kind is a facet named like the search's counts of kinds" },
		{ { "depth", F_TEXT, 0, .max = 10, .weight = 2 }, "harbours.depth has a weight but is not searched" },
		{ { "depth", F_TEXT, SEARCHED, .max = 10, .weight = -1 }, "harbours.depth has a negative weight" },
		{ { "alias", F_TEXT, TITLE, .max = 10, .weight = 3 }, "harbours.alias has a weight other than the other titles'" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		field_def fields[COUNT(faceted_fields) + 1];
		memcpy(fields, faceted_fields, sizeof faceted_fields);
		fields[COUNT(faceted_fields)] = cases[i].f;
		entity_def def = faceted_harbours;
		def.fields = fields;
		def.nfields = COUNT(fields);
		const entity_def *defs[] = { &def };
		registry reg;
		char err[256] = "";
		assert_int_equal(registry_build(&reg, defs, 1, err, sizeof err), -1);
		if (!strstr(err, cases[i].why))
			fail_msg("\"%s\" lacks \"%s\"", err, cases[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens_fold_and_point_at_original),
		cmocka_unit_test(query_tokens_all_languages),
		cmocka_unit_test(stems_survive_folding),
		cmocka_unit_test(bad_tokenizer_arguments),
		cmocka_unit_test(marker_length),
		cmocka_unit_test(stems_alone_keep_positions),
		cmocka_unit_test(tokens_made_ahead_are_the_texts_own),
		cmocka_unit_test(remembered_answers_are_the_answers),
		cmocka_unit_test(stemmed_words_find_their_forms),
		cmocka_unit_test(languages_do_not_collide),
		cmocka_unit_test(phrase_or_exclusion_prefix),
		cmocka_unit_test(hostile_input),
		cmocka_unit_test(syntax_soup),
		cmocka_unit_test(long_queries),
		cmocka_unit_test(snippets_mark_original_words),
		cmocka_unit_test(unmarked_text),
		cmocka_unit_test(parser_expressions),
		cmocka_unit_test(parser_filters),
		cmocka_unit_test(parser_errors),
		cmocka_unit_test(parser_without_error_outputs),
		cmocka_unit_test(rank_matches_bm25_when_spread_evenly),
		cmocka_unit_test(rank_estimate_uses_the_span),
		cmocka_unit_test(rank_weighs_the_title),
		cmocka_unit_test(rank_of_one_phrase_keeps_bm25_order),
		cmocka_unit_test(rank_bad_arguments),
		cmocka_unit_test(facet_by_flag_filters_and_counts),
		cmocka_unit_test(changed_facets_and_weights_rebuild_on_open),
		cmocka_unit_test(bad_facets_and_weights_refused),
	};
	return cmocka_run_group_tests_name("search", tests, setup, teardown);
}
