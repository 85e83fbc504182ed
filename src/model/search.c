/*
 * search — see search.h.
 */
#include "model/search.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "model/access.h"
#include "model/accounts.h"
#include "search/query.h"
#include "store/tokenizer.h"

/* ---- writing ------------------------------------------------------------------ */

static int has_searched(const entity *e)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if (e->def->fields[i].flags & SEARCHED)
			return 1;
	return 0;
}

/* A value as words: text as it is, a list's items separated by spaces. */
static void append_words(buf *b, const column *c, store_value v)
{
	if (v.type != SV_TEXT)
		return;
	if (b->len)
		buf_putc(b, ' ');
	if (c->field->type != F_LIST && c->field->type != F_EMAILS) {
		buf_add(b, v.s, v.n);
		return;
	}
	json_t *list = json_loadb(v.s, v.n, 0, NULL);
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		buf_puts(b, json_string_value(item));
		buf_putc(b, ' ');
	}
	json_decref(list);
}

static const char *const marks[NLANGS] = { SEARCH_MARK_EN, SEARCH_MARK_FR, SEARCH_MARK_ES };

/* The words of one language (lang 0..2) or of none (-1), appended to title
 * and body after that language's marker; 1 when the record has text in it. */
static int add_language(const record *r, int lang, buf *title, buf *body, json_t *titles)
{
	const entity *e = r->e;
	buf t = BUF_INIT, b = BUF_INIT;
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const column *c = &e->cols[i];
		unsigned flags = c->field->flags;
		if ((flags & (SEARCHED | TITLE)) && c->lang == lang)
			append_words(flags & TITLE ? &t : &b, c, r->v[i]);
	}
	int found = t.len || b.len;
	if (found) {
		const char *mark = lang >= 0 ? marks[lang] : "";
		buf_printf(title, "%s%s ", mark, buf_str(&t));
		buf_printf(body, "%s%s ", mark, buf_str(&b));
		if (t.len)
			json_object_set_new(titles, lang >= 0 ? registry_langs[lang] : "", json_string(buf_str(&t)));
	}
	buf_free(&t);
	buf_free(&b);
	return found;
}

static const char *text_col(const record *r, const char *name)
{
	int col = entity_column(r->e, name);
	return col >= 0 && r->v[col].type == SV_TEXT ? r->v[col].s : NULL;
}

/* Typo tolerance is for names: kinds whose titles are compared as names. */
static int has_names(const entity *e)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if ((e->def->fields[i].flags & (TITLE | MATCHED)) == (TITLE | MATCHED))
			return 1;
	return 0;
}

/* The folded words of every title, each once, for the vocabulary of titles
 * (typo tolerance): a name written alike in three languages gives its
 * words once, not three times. */
static void unique_words(json_t *titles, buf *out)
{
	const char *key;
	json_t *t;
	json_object_foreach(titles, key, t) {
		token_list words;
		text_tokens(&words, json_string_value(t), json_string_length(t));
		for (size_t i = 0; i < words.n; i++) {
			size_t n = strlen(words.v[i]);
			const char *hay = buf_str(out);
			int seen = 0;
			for (const char *p = strstr(hay, words.v[i]); p && !seen; p = strstr(p + 1, words.v[i]))
				seen = (p == hay || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0');
			if (!seen) {
				buf_puts(out, words.v[i]);
				buf_putc(out, ' ');
			}
		}
		token_list_free(&words);
	}
}

static char *dump(model_ctx *m, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	char *copy = arena_strdup(&m->a, s ? s : "null");
	free(s);
	return copy;
}

/* What search_docs keeps of the record: access, filters, display. */
static search_doc doc_of(model_ctx *m, const record *r)
{
	const entity *e = r->e;
	search_doc d = { e->def->name, r->v[COL_ID].i, r->v[COL_CLASSIFICATION].s, text_col(r, "division"),
			 r->v[COL_CREATED_BY].type == SV_INT ? r->v[COL_CREATED_BY].i : 0, 0, NULL,
			 text_col(r, "tags"), NULL, r->v[COL_UPDATED_AT].s };
	if (e->def->self_org)
		d.org = r->v[COL_ID].i;
	else if (e->def->org_field) {
		int col = entity_column(e, e->def->org_field);
		d.org = r->v[col].type == SV_INT ? r->v[col].i : 0;
	}
	const field_def *country = entity_field(e, "country");
	if (country && country->type == F_REF)
		d.country = text_col(r, "country");
	for (size_t i = 0; i < e->def->nfields && !d.date; i++)
		if (e->def->fields[i].type == F_DATE)
			d.date = text_col(r, e->def->fields[i].name);
	if (!d.date && d.updated_at)
		d.date = arena_strndup(&m->a, d.updated_at, 10);
	return d;
}

/* is_new: the record was never indexed, so there is nothing to replace. */
static int index_record(model_ctx *m, store_conn *c, const record *r, int is_new)
{
	const entity *e = r->e;
	if (!has_searched(e) || store_search_paused(m->st))
		return 0;
	if (r->v[COL_ARCHIVED].i)
		return store_search_remove(c, e->def->name, r->v[COL_ID].i) == STORE_OK ? 0 : -1;
	buf title = BUF_INIT, body = BUF_INIT, folded = BUF_INIT;
	json_t *titles = json_object(), *langs = json_array();
	int words = add_language(r, -1, &title, &body, titles);
	for (int l = 0; l < NLANGS; l++)
		if (add_language(r, l, &title, &body, titles)) {
			json_array_append_new(langs, json_string(registry_langs[l]));
			words = 1;
		}
	if (!words) { /* nothing to find it by (a relationship without notes) */
		json_decref(titles);
		json_decref(langs);
		buf_free(&title);
		buf_free(&body);
		return is_new || store_search_remove(c, e->def->name, r->v[COL_ID].i) == STORE_OK ? 0 : -1;
	}
	if (has_names(e))
		unique_words(titles, &folded);
	search_doc d = doc_of(m, r);
	d.langs = dump(m, langs);
	d.titles = dump(m, titles);
	d.title = buf_str(&title);
	d.body = buf_str(&body);
	d.folded_titles = buf_str(&folded);
	int rc = store_search_put(c, &d, is_new) == STORE_OK ? 0 : -1;
	json_decref(titles);
	json_decref(langs);
	buf_free(&title);
	buf_free(&body);
	buf_free(&folded);
	return rc;
}

int search_index_record(model_ctx *m, store_conn *c, const record *r)
{
	return index_record(m, c, r, r->v[COL_VERSION].i == 1);
}

int search_refresh_record(model_ctx *m, store_conn *c, const record *r)
{
	return index_record(m, c, r, 0);
}

typedef struct reindex {
	model_ctx *m;
	store_conn *c;
	const entity *e;
	size_t limit, *records;
	int failed;
} reindex;

/* One record of the table scan: indexed, then forgotten (the arena is
 * emptied every thousand records so memory stays flat). */
static int index_row(void *ctx, store_row *row)
{
	reindex *x = ctx;
	record r = { x->e, arena_alloc(&x->m->a, x->e->ncols * sizeof(store_value)), NULL, NULL };
	store_row_copy(row, (int)x->e->ncols, r.v, &x->m->a);
	r.v[COL_VERSION] = SV_INT_(1); /* the index was just cleared: nothing to replace */
	if (search_index_record(x->m, x->c, &r)) {
		x->failed = 1;
		return 1;
	}
	if (++*x->records % 1000 == 0)
		arena_free(&x->m->a);
	return x->limit && *x->records >= x->limit;
}

int search_reindex(model_ctx *m, size_t limit, size_t *records)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	*records = 0;
	if (store_search_clear(c) != STORE_OK)
		goto fail;
	for (size_t k = 0; k < m->reg->n && (!limit || *records < limit); k++) {
		const entity *e = &m->reg->v[k];
		if (!has_searched(e))
			continue;
		reindex x = { m, c, e, limit, records, 0 };
		store_cond w = COND_EQ("archived", SV_INT_(0));
		store_select q = { .table = e->def->table, .cols = e->colnames, .ncols = (int)e->ncols, .where = &w,
				   .nwhere = 1 };
		if (store_query(c, &q, index_row, &x) != STORE_OK || x.failed)
			goto fail;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the index could not be committed");
	return 0;
fail:
	store_rollback(c);
	return model_fail(m, 500, "Store error", "the index could not be rebuilt");
}

/* ---- reading -------------------------------------------------------------------- */

typedef struct hit {
	int64_t doc, record_id;
	const char *kind, *langs, *titles, *country, *updated_at;  /* langs and titles: JSON */
	double score;   /* bm25: lower is better */
} hit;

typedef struct hits {
	model_ctx *m;
	hit *v;
	size_t n, cap;
} hits;

/* One hit per record: the index holds one row per record. */
static void add_hit(hits *h, hit x)
{
	arena *a = &h->m->a;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		hit *v = arena_alloc(a, cap * sizeof *v);
		if (h->n)
			memcpy(v, h->v, h->n * sizeof *v);
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = x;
}

static int has_hit(const hits *h, const hit *x)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].record_id == x->record_id && strcmp(h->v[i].kind, x->kind) == 0)
			return 1;
	return 0;
}

static int take_hit(void *ctx, store_row *r)
{
	hits *h = ctx;
	arena *a = &h->m->a;
	hit x = { store_int(r, 0), store_int(r, 2), arena_strdup(a, store_text(r, 1, NULL)),
		  arena_strdup(a, store_text(r, 3, NULL)), arena_strdup(a, store_text(r, 4, NULL)),
		  arena_strdup(a, store_text(r, 5, NULL)), arena_strdup(a, store_text(r, 6, NULL)),
		  store_isnull(r, 7) ? 0 : store_double(r, 7) };
	add_hit(h, x);
	return 0;
}

static int by_rank(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	int newer = strcmp(y->updated_at ? y->updated_at : "", x->updated_at ? x->updated_at : "");
	if (newer)
		return newer;
	return (y->record_id > x->record_id) - (y->record_id < x->record_id);
}

/* The query's filters and the caller's visibility, as conditions on search_docs. */
static int conditions(model_ctx *m, const search_query *q, store_cond *w)
{
	int n = 0;
	w[n++] = access_visible_docs(m);
	if (q->type)
		w[n++] = COND_EQ("kind", sv_text(q->type));
	if (q->lang)
		w[n++] = COND("langs", OP_CONTAINS, sv_text(q->lang));
	if (q->country)
		w[n++] = COND_EQ("country", sv_text(q->country));
	if (q->division)
		w[n++] = COND_EQ("division", sv_text(q->division));
	if (q->tag)
		w[n++] = COND("tags", OP_CONTAINS, sv_text(q->tag));
	if (q->date_from)
		w[n++] = COND("date", OP_GE, sv_text(q->date_from));
	if (q->date_to)
		w[n++] = COND("date", OP_LE, sv_text(q->date_to));
	return n;
}

/* An expression with the query's filters added as facets, so that FTS5
 * reads only the rows of that kind or country (conditions() still checks
 * them exactly).  NULL when there is neither. */
static const char *narrowed(model_ctx *m, const search_query *q, const char *match)
{
	buf expr = BUF_INIT;
	if (match)
		buf_printf(&expr, "(%s)", match);
	if (q->type)
		store_search_facet(&expr, "kind", q->type);
	if (q->lang)
		store_search_facet(&expr, "lang", q->lang);
	if (q->country)
		store_search_facet(&expr, "country", q->country);
	if (q->division)
		store_search_facet(&expr, "division", q->division);
	const char *out = expr.len ? arena_strdup(&m->a, buf_str(&expr)) : NULL;
	buf_free(&expr);
	return out;
}

/* The plain words of the query, folded, for the typo fallback: filters
 * (name:value) and OR left out before folding, which would split them. */
static void plain_words(model_ctx *m, const char *q, buf *out)
{
	char *cut = arena_strdup(&m->a, q);
	for (char *save = NULL, *w = strtok_r(cut, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strchr(w, ':') || !strcmp(w, "OR"))
			continue;
		if (out->len)
			buf_putc(out, ' ');
		text_fold(out, w, strlen(w));
	}
}

#define TYPO_LIKENESS 0.45

/* Typos are forgiven in plain words only: a phrase, a prefix, an OR or an
 * exclusion says exactly what is wanted. */
static int only_words(const char *q)
{
	if (strpbrk(q, "\"*"))
		return 0;
	for (const char *p = q; *p; p++) {
		int start = p == q || p[-1] == ' ';
		if (start && (*p == '-' || (strncmp(p, "OR", 2) == 0 && (p[2] == ' ' || p[2] == '\0'))))
			return 0;
	}
	return 1;
}

/* The words of titles most like one typed word, as an FTS5 group
 * ("word" OR "like1" OR ...), the word itself always among them. */
#define SIMILAR_WORDS 5
#define TYPO_WORD_MAX 64  /* bytes; a longer word is taken as it is */

typedef struct similar {
	const char *word;
	size_t len;
	buf *group;
	int added;
} similar;

static int take_similar(void *ctx, store_row *r)
{
	similar *x = ctx;
	size_t n;
	const char *w = store_text(r, 0, &n);
	if (x->added < SIMILAR_WORDS && trigram_similarity(x->word, x->len, w, n) >= TYPO_LIKENESS) {
		buf_puts(x->group, " OR \"");
		buf_add(x->group, w, n);
		buf_putc(x->group, '"');
		x->added++;
	}
	return 0;
}

static int similar_group(store_conn *c, const char *word, buf *expr)
{
	size_t len = strlen(word), starts[TYPO_WORD_MAX + 1], nchars = 0;
	for (size_t i = 0; len <= TYPO_WORD_MAX && i < len; i++) /* where characters start: trigrams are of characters */
		if (((unsigned char)word[i] & 0xC0) != 0x80)
			starts[nchars++] = i;
	starts[nchars] = len;
	buf trigrams = BUF_INIT;
	for (size_t i = 0; i + 3 <= nchars; i++) {
		if (trigrams.len)
			buf_puts(&trigrams, " OR ");
		buf_putc(&trigrams, '"');
		buf_add(&trigrams, word + starts[i], starts[i + 3] - starts[i]);
		buf_putc(&trigrams, '"');
	}
	buf_printf(expr, "(\"%s\"", word);
	similar x = { word, len, expr, 0 };
	int rc = trigrams.len ? store_search_similar_words(c, buf_str(&trigrams), 50, take_similar, &x) : STORE_OK;
	buf_putc(expr, ')');
	buf_free(&trigrams);
	return rc;
}

/*
 * Typo tolerance: each plain word is replaced by itself or the words of
 * titles that look like it (trigram similarity), and titles are searched
 * for those.  Words are looked up in the vocabulary of titles, thousands
 * of words, not in every record; the search itself is the bounded one.
 */
static int typo_fallback(model_ctx *m, store_conn *c, const char *text, const search_query *q, const store_cond *w,
			 int nw, hits *h)
{
	buf words = BUF_INIT, expr = BUF_INIT;
	plain_words(m, text, &words);
	char *cut = arena_strdup(&m->a, buf_str(&words));
	int rc = STORE_OK;
	buf_puts(&expr, "title : (");
	int nwords = 0;
	for (char *save = NULL, *word = strtok_r(cut, " ", &save); word && rc == STORE_OK;
	     word = strtok_r(NULL, " ", &save)) {
		if (nwords++)
			buf_puts(&expr, " AND ");
		rc = similar_group(c, word, &expr);
	}
	buf_putc(&expr, ')');
	if (rc == STORE_OK && nwords) {
		hits found = { m, NULL, 0, 0 };
		rc = store_search(c, narrowed(m, q, buf_str(&expr)), w, nw, 200, take_hit, &found);
		for (size_t i = 0; i < found.n; i++)
			if (!has_hit(h, &found.v[i]))
				add_hit(h, found.v[i]);
	}
	buf_free(&words);
	buf_free(&expr);
	return rc == STORE_OK ? 0 : -1;
}

/* ---- the answer ------------------------------------------------------------------ */

/* Counts by kind or country over the candidates: few distinct values, so a
 * short list of (value, count) is searched for each hit. */
#define MAX_FACET_VALUES 300

static void facet(buf *out, const char *name, const hits *h, size_t field)
{
	const char *values[MAX_FACET_VALUES];
	size_t counts[MAX_FACET_VALUES], nv = 0;
	for (size_t i = 0; i < h->n; i++) {
		const char *v = *(const char *const *)((const char *)&h->v[i] + field);
		if (!v)
			continue;
		size_t k = 0;
		while (k < nv && strcmp(values[k], v) != 0)
			k++;
		if (k == nv) {
			if (nv == MAX_FACET_VALUES)
				continue;
			values[nv] = v;
			counts[nv++] = 0;
		}
		counts[k]++;
	}
	buf_printf(out, "\"%s\":{", name);
	for (size_t k = 0; k < nv; k++) {
		buf_puts(out, k ? "," : "");
		buf_json_cstr(out, values[k]);
		buf_printf(out, ":%zu", counts[k]);
	}
	buf_putc(out, '}');
}

/* Records by the languages they have. */
static void lang_facet(buf *out, const hits *h)
{
	size_t count[NLANGS] = { 0 };
	for (size_t i = 0; i < h->n; i++)
		for (int l = 0; l < NLANGS; l++) {
			char quoted[8];
			snprintf(quoted, sizeof quoted, "\"%s\"", registry_langs[l]);
			count[l] += h->v[i].langs && strstr(h->v[i].langs, quoted) != NULL;
		}
	buf_puts(out, "\"lang\":{");
	for (int l = 0, first = 1; l < NLANGS; l++) {
		if (!count[l])
			continue;
		buf_printf(out, "%s\"%s\":%zu", first ? "" : ",", registry_langs[l], count[l]);
		first = 0;
	}
	buf_putc(out, '}');
}

/* Snippet text escaped for HTML, the matched words in <mark>. */
static void snippet_html(buf *out, const char *s, size_t n)
{
	buf html = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\x02': buf_puts(&html, "<mark>"); break;
		case '\x03': buf_puts(&html, "</mark>"); break;
		case '<': buf_puts(&html, "&lt;"); break;
		case '>': buf_puts(&html, "&gt;"); break;
		case '&': buf_puts(&html, "&amp;"); break;
		case '"': buf_puts(&html, "&quot;"); break;
		case '\'': buf_puts(&html, "&#39;"); break;
		default: buf_putc(&html, s[i]);
		}
	}
	buf_json_str(out, buf_str(&html), html.len);
	buf_free(&html);
}

/* The record's title in the reader's language, else in the first one it has. */
static const char *title_for(model_ctx *m, const hit *x)
{
	json_t *titles = json_loads(x->titles ? x->titles : "{}", 0, NULL);
	const char *lang = m->u->language ? m->u->language : "en";
	json_t *t = json_object_get(titles, lang);
	for (int l = 0; !json_is_string(t) && l < NLANGS; l++)
		t = json_object_get(titles, registry_langs[l]);
	if (!json_is_string(t))
		t = json_object_get(titles, "");
	const char *title = arena_strdup(&m->a, json_string_value(t));
	json_decref(titles);
	return title;
}

static void item_json(model_ctx *m, store_conn *c, const char *match, const hit *x, buf *out)
{
	buf snip = BUF_INIT;
	if (match)
		store_search_snippet(c, match, x->doc, &snip);
	buf_puts(out, "{\"kind\":");
	buf_json_cstr(out, x->kind);
	buf_puts(out, ",\"id\":");
	buf_json_int(out, x->record_id);
	buf_puts(out, ",\"title\":");
	buf_json_cstr(out, title_for(m, x));
	buf_puts(out, ",\"langs\":");
	buf_puts(out, x->langs ? x->langs : "[]");
	buf_puts(out, ",\"snippet\":");
	snippet_html(out, buf_str(&snip), snip.len);
	buf_printf(out, ",\"score\":%.4f}", 0.0 - x->score); /* 0.0 - 0.0 is 0, where -0.0 would print "-0.0000" */
	buf_free(&snip);
}

static void answer(model_ctx *m, store_conn *c, const char *match, hits *h, int64_t offset, int64_t limit,
		   const char *fallback)
{
	buf *out = &m->body;
	buf_puts(out, "{\"items\":[");
	for (int64_t i = offset; i < (int64_t)h->n && i < offset + limit; i++) {
		if (i > offset)
			buf_putc(out, ',');
		item_json(m, c, fallback ? NULL : match, &h->v[i], out);
	}
	buf_puts(out, "],\"next_cursor\":");
	if (offset + limit < (int64_t)h->n)
		buf_printf(out, "\"%" PRId64 "\"", offset + limit);
	else
		buf_puts(out, "null");
	buf_printf(out, ",\"total\":%zu,\"total_is_lower_bound\":%s,\"fallback\":", h->n,
		   h->n >= SEARCH_CANDIDATES ? "true" : "false");
	buf_json_cstr(out, fallback);
	buf_puts(out, ",\"facets\":{");
	facet(out, "kind", h, offsetof(hit, kind));
	buf_putc(out, ',');
	lang_facet(out, h);
	buf_putc(out, ',');
	facet(out, "country", h, offsetof(hit, country));
	buf_puts(out, "}}");
	m->status = 200;
}

int model_search(model_ctx *m, const char *text, const char *cursor, int64_t limit)
{
	search_query q = { 0 };
	size_t pos = 0;
	char err[200];
	int64_t offset = cursor ? model_parse_id(cursor) : 0;
	if (cursor && offset <= 0 && strcmp(cursor, "0") != 0)
		return model_fail(m, 400, "Bad request", "the cursor '%s' is not one this search handed out", cursor);
	if (!text || search_query_parse(text, &q, &pos, err, sizeof err)) {
		buf_printf(&m->body, "\"position\":%zu", pos);
		return model_fail(m, 400, "Malformed query", "at position %zu: %s", pos, text ? err : "q is required");
	}
	store_conn *c = store_reader(m->st);
	store_cond w[9];
	int nw = conditions(m, &q, w);
	hits h = { m, NULL, 0, 0 };
	const char *fallback = NULL;
	const char *expr = narrowed(m, &q, q.match);
	int rc = c ? store_search(c, expr, w, nw, SEARCH_CANDIDATES, take_hit, &h) : STORE_ERROR;
	if (rc == STORE_OK && h.n < 3 && q.match && only_words(text)) {
		size_t before = h.n;
		rc = typo_fallback(m, c, text, &q, w, nw, &h) ? STORE_ERROR : STORE_OK;
		if (h.n > before)
			fallback = "similar titles";
	}
	if (rc != STORE_OK) {
		search_query_free(&q);
		return model_fail(m, rc == STORE_CONSTRAINT ? 400 : 500, "Search failed", "the query could not be run");
	}
	if (h.n)
		qsort(h.v, h.n, sizeof *h.v, by_rank);
	answer(m, c, q.match, &h, offset, limit, fallback);
	search_query_free(&q);
	return 0;
}

/* The condition "of one of the kinds in type" ("organizations,persons"), in
 * w and its sub-conditions in one; 0, or -1 when type names no kind. */
static int of_kinds(model_ctx *m, const char *type, store_cond *w, store_cond *one, size_t max)
{
	size_t n = 0;
	char *copy = arena_strdup(&m->a, type);
	for (char *save = NULL, *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		if (!registry_find(m->reg, k))
			return model_fail(m, 400, "Bad request", "type: there is no kind of record named '%s'", k);
		if (n == max)
			return model_fail(m, 400, "Bad request", "type: at most %zu kinds at once", max);
		one[n++] = COND_EQ("kind", sv_text(k));
	}
	if (!n)
		return model_fail(m, 400, "Bad request", "type: name a kind of record");
	*w = (store_cond){ .op = OP_ANY, .sub = one, .nsub = (int)n };
	return 0;
}

/* Type-ahead: titles with a word starting so, the most recently changed
 * first; of the kinds type names when it does (a reference field's picker).
 * Users are accounts, not in the index: their picker has its own look-up. */
int model_suggest(model_ctx *m, const char *prefix, const char *type)
{
	if (type && strcmp(type, "users") == 0)
		return accounts_suggest(m, prefix);
	store_cond w[2] = { access_visible_docs(m) }, kinds[8];
	if (type && of_kinds(m, type, &w[1], kinds, COUNT(kinds)))
		return -1;
	buf folded = BUF_INIT, match = BUF_INIT;
	text_fold(&folded, prefix ? prefix : "", prefix ? strlen(prefix) : 0);
	/* several words: all but the last must match whole; the last is a prefix */
	char *cut = arena_strdup(&m->a, buf_str(&folded));
	for (char *save = NULL, *w = strtok_r(cut, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (match.len)
			buf_putc(&match, ' ');
		buf_printf(&match, "\"%s\"", w);
	}
	buf_free(&folded);
	if (!match.len) {
		buf_free(&match);
		return model_fail(m, 400, "Bad request", "q must have at least one letter or digit");
	}
	buf_putc(&match, '*');
	char *expr = arena_strdup(&m->a, buf_str(&match));
	buf_free(&match);
	store_conn *c = store_reader(m->st);
	hits h = { m, NULL, 0, 0 };
	if (!c || store_search_titles(c, expr, w, type ? 2 : 1, 50, take_hit, &h) != STORE_OK)
		return model_fail(m, 500, "Search failed", "suggestions could not be read");
	buf_puts(&m->body, "{\"items\":[");
	for (size_t i = 0; i < h.n && i < 10; i++) {
		buf_puts(&m->body, i ? ",{\"kind\":" : "{\"kind\":");
		buf_json_cstr(&m->body, h.v[i].kind);
		buf_puts(&m->body, ",\"id\":");
		buf_json_int(&m->body, h.v[i].record_id);
		buf_puts(&m->body, ",\"title\":");
		buf_json_cstr(&m->body, title_for(m, &h.v[i]));
		buf_putc(&m->body, '}');
	}
	buf_puts(&m->body, "]}");
	m->status = 200;
	return 0;
}
