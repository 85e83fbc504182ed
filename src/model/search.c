/*
 * search — see search.h.
 */
#include "model/search.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fold.h"
#include "model/access.h"
#include "model/accounts.h"
#include "model/i18n.h"
#include "search/query.h"
#include "store/tokenizer.h"

#define TYPO_WORD_MAX 64  /* bytes; a longer word is taken as it is, never corrected */

/* ---- writing ------------------------------------------------------------------ */

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

/* The words of one language (lang 0..2) or of none (-1), each field's in
 * its column of words (searchshape.c), after that language's marker; 1
 * when the record has text in it. */
static int add_language(const registry *reg, const record *r, int lang, buf *cols, json_t *titles)
{
	const entity *e = r->e;
	buf words[SEARCH_COLUMNS_MAX] = { BUF_INIT };
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const column *c = &e->cols[i];
		if ((c->field->flags & (SEARCHED | TITLE)) && c->lang == lang)
			append_words(&words[search_column(reg, c->field)], c, r->v[i]);
	}
	int found = 0;
	const char *mark = lang >= 0 ? marks[lang] : "";
	for (int k = 0; k < reg->nweights; k++) {
		if (words[k].len)
			buf_printf(&cols[k], "%s%s ", mark, buf_str(&words[k]));
		found |= words[k].len > 0;
	}
	if (words[0].len)
		json_object_set_new(titles, lang >= 0 ? registry_langs[lang] : "", json_string(buf_str(&words[0])));
	for (int k = 0; k < reg->nweights; k++)
		buf_free(&words[k]);
	return found;
}

/* One facet value as search_docs keeps it: a line "name<TAB>value", the
 * value's own tabs and line ends made spaces. */
static void facet_line(buf *out, const char *name, const char *v, size_t n)
{
	buf_printf(out, "%s\t", name);
	for (size_t i = 0; i < n; i++)
		buf_putc(out, v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ? ' ' : v[i]);
	buf_putc(out, '\n');
}

/* The record's values of every facet its kind has: a reference by its id
 * or key, an enum's value, each item of a list. */
static void facet_values(const registry *reg, const record *r, buf *out)
{
	for (size_t k = 0; k < reg->nfacets; k++) {
		const field_def *f = reg->facets[k];
		int col = search_facet_column(r->e, f);
		store_value v = col >= 0 ? r->v[col] : SV_NUL;
		if (v.type == SV_INT) {
			char id[24];
			facet_line(out, f->name, id, (size_t)snprintf(id, sizeof id, "%" PRId64, v.i));
		} else if (v.type == SV_TEXT && f->type != F_LIST) {
			facet_line(out, f->name, v.s, v.n);
		} else if (v.type == SV_TEXT) {
			json_t *list = json_loadb(v.s, v.n, 0, NULL), *item;
			size_t i;
			json_array_foreach(list, i, item)
				if (json_is_string(item))
					facet_line(out, f->name, json_string_value(item), json_string_length(item));
			json_decref(list);
		}
	}
}

static const char *text_col(const record *r, const char *name)
{
	int col = entity_column(r->e, name);
	return col >= 0 && r->v[col].type == SV_TEXT ? r->v[col].s : NULL;
}

/* Words typo tolerance can correct: three characters at least (its
 * trigrams), not too long to compare, and no numbers (references, phone
 * numbers and dates would fill the vocabulary and are never misspelled
 * into another one). */
static int correctable(const char *w)
{
	size_t n = strlen(w);
	return n >= 3 && n <= TYPO_WORD_MAX && !strpbrk(w, "0123456789");
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The folded words of every column of words, each once, for the
 * vocabulary typo tolerance looks in: a name written alike in three
 * languages gives its words once, not three times. */
static void vocabulary_words(const buf *cols, int ncols, buf *out)
{
	token_list words[SEARCH_COLUMNS_MAX];
	size_t total = 0;
	for (int k = 0; k < ncols; k++) {
		text_tokens(&words[k], buf_str(&cols[k]), cols[k].len);
		total += words[k].n;
	}
	char **all = malloc((total ? total : 1) * sizeof *all);
	if (!all)
		abort();
	size_t n = 0;
	for (int k = 0; k < ncols; k++)
		for (size_t i = 0; i < words[k].n; i++)
			if (correctable(words[k].v[i]))
				all[n++] = words[k].v[i];
	qsort(all, n, sizeof *all, by_text);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(all[i], all[i - 1]) != 0) {
			buf_puts(out, all[i]);
			buf_putc(out, ' ');
		}
	free(all);
	for (int k = 0; k < ncols; k++)
		token_list_free(&words[k]);
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
	search_doc d = { .kind = e->def->name, .record_id = r->v[COL_ID].i, .classification = r->v[COL_CLASSIFICATION].s,
			 .division = text_col(r, "division"),
			 .created_by = r->v[COL_CREATED_BY].type == SV_INT ? r->v[COL_CREATED_BY].i : 0,
			 .updated_at = r->v[COL_UPDATED_AT].s };
	if (e->def->self_org)
		d.org = r->v[COL_ID].i;
	else if (e->def->org_field) {
		int col = entity_column(e, e->def->org_field);
		d.org = r->v[col].type == SV_INT ? r->v[col].i : 0;
	}
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
	const registry *reg = m->reg;
	if (!search_indexed(e) || store_search_paused(m->st))
		return 0;
	if (r->v[COL_ARCHIVED].i)
		return store_search_remove(c, e->def->name, r->v[COL_ID].i) == STORE_OK ? 0 : -1;
	buf cols[SEARCH_COLUMNS_MAX] = { BUF_INIT }, vocabulary = BUF_INIT, facets = BUF_INIT;
	json_t *titles = json_object(), *langs = json_array();
	int words = add_language(reg, r, -1, cols, titles), rc = 0;
	for (int l = 0; l < NLANGS; l++)
		if (add_language(reg, r, l, cols, titles)) {
			json_array_append_new(langs, json_string(registry_langs[l]));
			words = 1;
		}
	if (!words) { /* nothing to find it by (a relationship without notes) */
		rc = is_new || store_search_remove(c, e->def->name, r->v[COL_ID].i) == STORE_OK ? 0 : -1;
		goto done;
	}
	vocabulary_words(cols, reg->nweights, &vocabulary);
	facet_values(reg, r, &facets);
	search_doc d = doc_of(m, r);
	d.langs = dump(m, langs);
	d.titles = dump(m, titles);
	for (int k = 0; k < reg->nweights; k++)
		d.text[k] = buf_str(&cols[k]);
	d.facets = buf_str(&facets);
	d.vocabulary = buf_str(&vocabulary);
	rc = store_search_put(c, &d, is_new) == STORE_OK ? 0 : -1;
done:
	json_decref(titles);
	json_decref(langs);
	for (int k = 0; k < reg->nweights; k++)
		buf_free(&cols[k]);
	buf_free(&vocabulary);
	buf_free(&facets);
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
	size_t limit, *records, total;
	FILE *progress;
	int failed;
} reindex;

#define PROGRESS_EVERY 10000

static void say_progress(const reindex *x)
{
	if (x->progress && x->total)
		fprintf(x->progress, "search: rebuilding the index for changed facets and weights: %zu of %zu records\n",
			*x->records, x->total);
}

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
	if (*x->records % PROGRESS_EVERY == 0)
		say_progress(x);
	return x->limit && *x->records >= x->limit;
}

/* The fingerprint of the registry's facets and columns of words, which the
 * database keeps beside the index built for it. */
static int keep_fingerprint(model_ctx *m, store_conn *c)
{
	buf print = BUF_INIT;
	search_fingerprint(m->reg, &print);
	store_value v[] = { SV_INT_(1), sv_text(buf_str(&print)) };
	store_cond one = COND_EQ("id", v[0]);
	int rc = store_delete(c, "search_shape", &one, 1) == STORE_OK &&
			 store_insert(c, "search_shape", (const char *[]){ "id", "fingerprint" }, v, 2, NULL) == STORE_OK
		 ? 0 : -1;
	buf_free(&print);
	return rc;
}

/* The records a rebuild will index: the live ones of every searched kind. */
static size_t records_to_index(model_ctx *m, store_conn *c)
{
	size_t n = 0;
	for (size_t k = 0; k < m->reg->n; k++) {
		const entity *e = &m->reg->v[k];
		int64_t rows = 0;
		store_cond w = COND_EQ("archived", SV_INT_(0));
		if (search_indexed(e) && store_count(c, e->def->table, &w, 1, &rows) == STORE_OK)
			n += (size_t)rows;
	}
	return n;
}

static int rebuild(model_ctx *m, size_t limit, size_t *records, FILE *progress)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	*records = 0;
	reindex x = { m, c, NULL, limit, records, progress ? records_to_index(m, c) : 0, progress, 0 };
	if (store_search_clear(c) != STORE_OK || store_search_bulk(c, STORE_BULK_BEGIN) != STORE_OK)
		goto fail;
	for (size_t k = 0; k < m->reg->n && (!limit || *records < limit); k++) {
		x.e = &m->reg->v[k];
		if (!search_indexed(x.e))
			continue;
		store_cond w = COND_EQ("archived", SV_INT_(0));
		store_select q = { .table = x.e->def->table, .cols = x.e->colnames, .ncols = (int)x.e->ncols, .where = &w,
				   .nwhere = 1 };
		if (store_query(c, &q, index_row, &x) != STORE_OK || x.failed)
			goto fail;
	}
	if (*records % PROGRESS_EVERY)
		say_progress(&x);
	if (store_search_bulk(c, STORE_BULK_MERGED) != STORE_OK || keep_fingerprint(m, c))
		goto fail;
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the index could not be committed");
	/* the tables were made anew, without the planner's statistics: without
	 * them it may walk search_docs by kind and probe the index for each row */
	if (store_analyze(m->st) != STORE_OK)
		return model_fail(m, 500, "Store error", "the index's statistics could not be gathered");
	return 0;
fail:
	store_rollback(c);
	return model_fail(m, 500, "Store error", "the index could not be rebuilt");
}

int search_reindex(model_ctx *m, size_t limit, size_t *records)
{
	return rebuild(m, limit, records, NULL);
}

static int take_fingerprint(void *ctx, store_row *r)
{
	buf_puts(ctx, store_text(r, 0, NULL) ? store_text(r, 0, NULL) : "");
	return 1;
}

int search_prepare(store *st, const registry *reg, FILE *progress, char *err, size_t errlen)
{
	store_search_weights(st, reg->weights, reg->nweights);
	buf kept = BUF_INIT, wanted = BUF_INIT;
	search_fingerprint(reg, &wanted);
	store_conn *c = store_reader(st);
	store_select q = { .table = "search_shape", .cols = (const char *[]){ "fingerprint" }, .ncols = 1 };
	int rc = c && store_query(c, &q, take_fingerprint, &kept) == STORE_OK ? 0 : -1;
	if (rc == 0 && strcmp(buf_str(&kept), buf_str(&wanted)) != 0) {
		static const user system = { 0, "system", ROLE_ADMIN, NULL, 0, "en" };
		model_ctx m;
		size_t records = 0;
		model_init(&m, st, reg, &system);
		rc = rebuild(&m, 0, &records, progress);
		if (rc)
			snprintf(err, errlen, "search: the index could not be rebuilt: %s", m.detail ? m.detail : "store error");
		model_done(&m);
	} else if (rc) {
		snprintf(err, errlen, "search: the index's fingerprint cannot be read");
	}
	buf_free(&kept);
	buf_free(&wanted);
	return rc;
}

int search_prepare_empty(store *st, const registry *reg, char *err, size_t errlen)
{
	store_search_weights(st, reg->weights, reg->nweights);
	store_conn *c = store_begin(st);
	if (!c) {
		snprintf(err, errlen, "search: the database is busy");
		return -1;
	}
	if (store_search_clear(c) != STORE_OK) {
		store_rollback(c);
		snprintf(err, errlen, "search: the index's tables could not be made");
		return -1;
	}
	if (store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "search: the index's tables could not be committed");
		return -1;
	}
	return 0;
}

/* ---- reading -------------------------------------------------------------------- */

typedef struct hit {
	int64_t doc, record_id;
	const char *kind, *langs, *titles, *facets, *updated_at;  /* langs and titles: JSON; facets: lines */
	double score;   /* bm25: lower is better */
	const char *date;  /* the record's own date, else the day it last changed */
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
		  store_isnull(r, 7) ? 0 : store_double(r, 7), arena_strdup(a, store_text(r, 8, NULL)) };
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

/* The query's own filters and the caller's visibility, as conditions on
 * search_docs (the facets are words of the index: see narrowed). */
static int conditions(model_ctx *m, const search_query *q, store_cond *w)
{
	int n = 0;
	w[n++] = access_visible_docs(m);
	if (q->type)
		w[n++] = COND_EQ("kind", sv_text(q->type));
	if (q->lang)
		w[n++] = COND("langs", OP_CONTAINS, sv_text(q->lang));
	if (q->date_from)
		w[n++] = COND("date", OP_GE, sv_text(q->date_from));
	if (q->date_to)
		w[n++] = COND("date", OP_LE, sv_text(q->date_to));
	return n;
}

/* An expression with the query's filters added as facets, so that FTS5
 * reads only the rows of that kind, language or facet value (the kind and
 * language are checked exactly again by conditions()).  NULL when there is
 * neither words nor such a filter. */
static const char *narrowed(model_ctx *m, const search_query *q, const char *match)
{
	buf expr = BUF_INIT;
	if (match)
		buf_printf(&expr, "(%s)", match);
	if (q->type)
		store_search_facet(&expr, "kind", q->type);
	if (q->lang)
		store_search_facet(&expr, "lang", q->lang);
	for (size_t k = 0; k < q->nfilters; k++)
		store_search_facet(&expr, q->filters[k].name, q->filters[k].value);
	const char *out = expr.len ? arena_strdup(&m->a, buf_str(&expr)) : NULL;
	buf_free(&expr);
	return out;
}

/* The facets' names, for the message that says a filter is unknown. */
static const char *filter_names(model_ctx *m)
{
	buf b = BUF_INIT;
	buf_puts(&b, search_filters_builtin);
	for (size_t k = 0; k < m->reg->nfacets; k++)
		buf_printf(&b, ", %s", m->reg->facets[k]->name);
	const char *out = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Whether some kind's facet of that name has the enum value (in any case:
 * the index compares values folded). */
static int enum_has(const registry *reg, const field_def *facet, const char *value)
{
	for (size_t k = 0; k <= reg->n; k++) {
		const field_def *f = k == reg->n ? facet : entity_field(&reg->v[k], facet->name);
		for (size_t i = 0; f && (f->flags & FACET) && f->values[i]; i++)
			if (strcasecmp(f->values[i], value) == 0)
				return 1;
	}
	return 0;
}

/* The values an enum facet takes, for its error message. */
static const char *enum_values(model_ctx *m, const field_def *facet)
{
	buf b = BUF_INIT;
	for (size_t k = 0; k < m->reg->n; k++) {
		const field_def *f = facet == &registry_division ? facet : entity_field(&m->reg->v[k], facet->name);
		for (size_t i = 0; f && (f->flags & FACET) && f->values[i]; i++) {
			const char *hay = buf_str(&b);
			size_t n = strlen(f->values[i]);
			int seen = 0;
			for (const char *p = strstr(hay, f->values[i]); p && !seen; p = strstr(p + 1, f->values[i]))
				seen = (p == hay || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0');
			if (!seen)
				buf_printf(&b, "%s%s", b.len ? ", " : "", f->values[i]);
		}
		if (facet == &registry_division)
			break;
	}
	const char *out = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* A query's filter against the facets: its name must be one, an enum's
 * value one of its values, a reference by id a number. */
static int check_filter(model_ctx *m, const search_filter *x)
{
	const field_def *f = search_facet(m->reg, x->name);
	const char *why = NULL;
	if (!f)
		why = arena_printf(&m->a, "unknown filter \"%s:\" (the filters are %s; put text in quotes to search for it)",
				   x->name, filter_names(m));
	else if (f->type == F_ENUM && !enum_has(m->reg, f, x->value))
		why = arena_printf(&m->a, "%s: expects one of %s", x->name, enum_values(m, f));
	else if (f->type == F_REF && !f->ref_key && model_parse_id(x->value) <= 0)
		why = arena_printf(&m->a, "%s: expects the number of a record of %s", x->name, f->ref);
	if (!why)
		return 0;
	buf_printf(&m->body, "\"position\":%zu", x->pos);
	return model_fail(m, 400, "Malformed query", "at position %zu: %s", x->pos, why);
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
#define FEW_RESULTS 3             /* fewer, and the search forgives */
#define FORGIVING_CANDIDATES 200  /* the forgiving searches' bound */
#define RANK_WORDS_MAX 32         /* words forgiven at most (store/rank.h tells 64 apart) */

/* A typed word with a digit and a "/", "." or "-" in it: a symbol
 * (C/115/1), a reference or a date, searched as the phrase of its parts. */
static int numbered_word(const char *w)
{
	size_t n = strcspn(w, " ");
	int digit = 0, joined = 0;
	for (size_t i = 0; i < n; i++) {
		digit |= w[i] >= '0' && w[i] <= '9';
		joined |= i > 0 && i + 1 < n && strchr("/.-", w[i]) != NULL;
	}
	return digit && joined;
}

/* Typos are forgiven in plain words only: a phrase, a prefix, an OR, an
 * exclusion or a symbol says exactly what is wanted. */
static int only_words(const char *q)
{
	if (strpbrk(q, "\"*"))
		return 0;
	for (const char *p = q; *p; p++) {
		int start = p == q || p[-1] == ' ';
		if (start && (*p == '-' || (strncmp(p, "OR", 2) == 0 && (p[2] == ' ' || p[2] == '\0'))))
			return 0;
		if (start && numbered_word(p))
			return 0;
	}
	return 1;
}

/* The words of the vocabulary most like one typed word, as an FTS5 group
 * ("word" OR "like1" OR ...), the word itself always among them; and the
 * likeliest of them, which "Did you mean" offers. */
#define SIMILAR_WORDS 5

typedef struct similar {
	const char *word;
	size_t len;
	buf *group;
	int added;
	double best_likeness;
	char *best;              /* arena: the likeliest word, the word itself when it is known */
	arena *a;
} similar;

static int take_similar(void *ctx, store_row *r)
{
	similar *x = ctx;
	size_t n;
	const char *w = store_text(r, 0, &n);
	double likeness = trigram_similarity(x->word, x->len, w, n);
	if (likeness < TYPO_LIKENESS)
		return 0;
	if (likeness > x->best_likeness) {
		x->best_likeness = likeness;
		x->best = arena_strndup(x->a, w, n);
	}
	if (x->added < SIMILAR_WORDS && (n != x->len || memcmp(w, x->word, n) != 0)) {
		buf_puts(x->group, " OR \"");
		buf_add(x->group, w, n);
		buf_putc(x->group, '"');
		x->added++;
	}
	return 0;
}

/* Appends the group of one word to expr; *phrases: how many it holds. */
static int similar_group(model_ctx *m, store_conn *c, const char *word, buf *expr, int *phrases, const char **best)
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
	similar x = { word, len, expr, 0, 0, NULL, &m->a };
	int rc = trigrams.len ? store_search_similar_words(c, buf_str(&trigrams), 50, take_similar, &x) : STORE_OK;
	buf_putc(expr, ')');
	buf_free(&trigrams);
	*phrases = 1 + x.added;
	*best = x.best && x.best_likeness < 1.0 ? x.best : word;
	return rc;
}

/* What a search that forgives makes of the typed words. */
typedef struct forgiving {
	buf all, any;       /* every word's group ANDed; ORed */
	buf groups;         /* the word each phrase of any stands for: "0 0 1 2" */
	buf meant;          /* the likeliest words, for "Did you mean" */
	int nwords, corrected;
} forgiving;

static int forgiving_words(model_ctx *m, store_conn *c, const char *text, forgiving *f)
{
	buf words = BUF_INIT;
	plain_words(m, text, &words);
	char *cut = arena_strdup(&m->a, buf_str(&words));
	buf_free(&words);
	int rc = STORE_OK;
	for (char *save = NULL, *word = strtok_r(cut, " ", &save); word && rc == STORE_OK && f->nwords < RANK_WORDS_MAX;
	     word = strtok_r(NULL, " ", &save)) {
		size_t at = f->any.len;
		int phrases = 0;
		const char *best = NULL;
		if (f->nwords)
			buf_puts(&f->any, " OR ");
		rc = similar_group(m, c, word, &f->any, &phrases, &best);
		buf_printf(&f->all, "%s%s", f->nwords ? " AND " : "", buf_str(&f->any) + at + (f->nwords ? 4 : 0));
		for (int p = 0; p < phrases; p++)
			buf_printf(&f->groups, "%s%d", f->groups.len ? " " : "", f->nwords);
		buf_printf(&f->meant, "%s%s", f->nwords ? " " : "", best);
		f->corrected |= strcmp(best, word) != 0;
		f->nwords++;
	}
	return rc == STORE_OK ? 0 : -1;
}

static void add_new_hits(hits *h, const hits *found)
{
	for (size_t i = 0; i < found->n; i++)
		if (!has_hit(h, &found->v[i]))
			add_hit(h, found->v[i]);
}

/*
 * When every word must match and few records do, the search forgives:
 * first typos, each word standing for itself or the words of the
 * vocabulary that look like it (trigram similarity) in every searched
 * field; then, with two words or more, records holding some of the words,
 * those with the most first.  Words are looked up in the vocabulary,
 * thousands of words, not in every record; the searches themselves are the
 * bounded ones.  *how says what was done ("typos", "some_words", or
 * "typos_some_words" when both found records) and
 * *meant the likeliest spelling when it is not the one typed.
 */
static int forgive(model_ctx *m, store_conn *c, const char *text, const search_query *q, const store_cond *w, int nw,
		   hits *h, const char **how, const char **meant)
{
	forgiving f = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, 0, 0 };
	int rc = forgiving_words(m, c, text, &f);
	if (rc == 0 && f.nwords) {
		hits found = { m, NULL, 0, 0 };
		size_t before = h->n;
		rc = store_search(c, narrowed(m, q, buf_str(&f.all)), NULL, w, nw, FORGIVING_CANDIDATES, take_hit, &found)
			     == STORE_OK ? 0 : -1;
		add_new_hits(h, &found);
		if (h->n > before)
			*how = "typos";
		if (f.corrected && h->n > before)
			*meant = arena_strdup(&m->a, buf_str(&f.meant));
	}
	if (rc == 0 && f.nwords > 1 && h->n < FEW_RESULTS) {
		hits found = { m, NULL, 0, 0 };
		size_t before = h->n;
		rc = store_search(c, narrowed(m, q, buf_str(&f.any)), buf_str(&f.groups), w, nw, FORGIVING_CANDIDATES,
				  take_hit, &found) == STORE_OK ? 0 : -1;
		for (size_t i = 0; i < h->n; i++) /* they hold every word: ranked as the others are now */
			h->v[i].score -= STORE_RANK_PER_WORD * f.nwords;
		add_new_hits(h, &found);
		if (h->n > before)
			*how = *how ? "typos_some_words" : "some_words";
	}
	buf_free(&f.all);
	buf_free(&f.any);
	buf_free(&f.groups);
	buf_free(&f.meant);
	return rc;
}

/* ---- the answer ------------------------------------------------------------------ */

/* Counts over the candidates by kind, language and each facet of the
 * registry: few distinct values, so a short list of (value, count) is
 * searched for each hit; the most frequent are shown, each with its label
 * in the reader's language. */
#define MAX_FACET_VALUES 300
#define FACET_VALUES_SHOWN 50

typedef struct facet_value {
	const char *value, *label;
	size_t count, first;  /* first: the order it was met in, to break ties */
} facet_value;

typedef struct facet_counts {
	const char *name;
	const field_def *field;  /* NULL for kind and lang */
	facet_value *v;
	size_t n;
} facet_counts;

static void count_value(model_ctx *m, facet_counts *f, const char *v, size_t len)
{
	size_t k = 0;
	while (k < f->n && (strncmp(f->v[k].value, v, len) != 0 || f->v[k].value[len] != '\0'))
		k++;
	if (k == f->n) {
		if (f->n == MAX_FACET_VALUES)
			return;
		if (!f->v)
			f->v = arena_alloc(&m->a, MAX_FACET_VALUES * sizeof *f->v);
		f->v[f->n++] = (facet_value){ arena_strndup(&m->a, v, len), NULL, 0, k };
	}
	f->v[k].count++;
}

/* The languages a hit has, from its JSON list. */
static void count_langs(model_ctx *m, facet_counts *f, const hit *x)
{
	for (int l = 0; l < NLANGS; l++) {
		char quoted[8];
		snprintf(quoted, sizeof quoted, "\"%s\"", registry_langs[l]);
		if (x->langs && strstr(x->langs, quoted))
			count_value(m, f, registry_langs[l], strlen(registry_langs[l]));
	}
}

/* A hit's facet lines, each value once per record however often its list holds it. */
static void count_facets(model_ctx *m, facet_counts *f, size_t nf, const hit *x)
{
	const char *all = x->facets ? x->facets : "";
	for (const char *line = all; *line;) {
		size_t n = strcspn(line, "\n"), name = strcspn(line, "\t");
		int again = 0;
		for (const char *p = all; p < line && !again; p += strcspn(p, "\n") + 1)
			again = strncmp(p, line, n + 1) == 0;
		for (size_t k = 0; k < nf && name < n && !again; k++)
			if (strncmp(f[k].name, line, name) == 0 && f[k].name[name] == '\0')
				count_value(m, &f[k], line + name + 1, n - name - 1);
		line += n + (line[n] == '\n');
	}
}

static int by_count(const void *a, const void *b)
{
	const facet_value *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

/* The label of an enum facet's value: the first kind's label of it. */
static const char *enum_label(model_ctx *m, const field_def *facet, const char *value)
{
	for (size_t k = 0; facet->type == F_ENUM && k <= m->reg->n; k++) {
		const field_def *f = k == m->reg->n ? facet : entity_field(&m->reg->v[k], facet->name);
		int i = f && (f->flags & FACET) ? enum_index(f->values, value) : -1;
		if (i >= 0 && f->labels)
			return i18n_text(m->lang, f->labels[i]);
	}
	return value;
}

/* The title of a record read from its TITLE columns (see ref_labels), in
 * the reader's language when it has it. */
static const char *row_title(model_ctx *m, const entity *e, store_row *r)
{
	buf b = BUF_INIT;
	int col = 1;
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const column *c = &e->cols[i];
		if (!(c->field->flags & TITLE) || c->lang > 0)
			continue;
		const char *t = store_text(r, col, NULL);
		if (c->lang == 0) { /* three columns, one per language: the reader's, else the first there is */
			t = store_text(r, col + m->lang, NULL);
			for (int l = 0; l < NLANGS && (!t || !*t); l++)
				t = store_text(r, col + l, NULL);
		}
		if (t && *t)
			buf_printf(&b, "%s%s", b.len ? " " : "", t);
		col += c->lang == 0 ? NLANGS : 1;
	}
	const char *out = b.len ? arena_strdup(&m->a, buf_str(&b)) : NULL;
	buf_free(&b);
	return out;
}

typedef struct ref_walk {
	model_ctx *m;
	const entity *e;
	facet_counts *f;
} ref_walk;

static int take_ref_title(void *ctx, store_row *r)
{
	ref_walk *w = ctx;
	char id[24];
	const char *key = store_text(r, 0, NULL);
	if (!key) {
		snprintf(id, sizeof id, "%" PRId64, store_int(r, 0));
		key = id;
	}
	for (size_t k = 0; k < w->f->n && k < FACET_VALUES_SHOWN; k++)
		if (strcmp(w->f->v[k].value, key) == 0)
			w->f->v[k].label = row_title(w->m, w->e, r);
	return 0;
}

/* The titles of the records a reference facet names, read from their kind
 * in one query under the reader's visibility: a record the reader may not
 * read keeps its id or key as its label. */
static void ref_labels(model_ctx *m, store_conn *c, facet_counts *f)
{
	const entity *e = registry_find(m->reg, f->field->ref);
	if (!e || !f->n || !access_kind(m->u, e, OP_READ))
		return;
	const char *key = f->field->ref_key ? f->field->ref_key : "id";
	const char **cols = arena_alloc(&m->a, (e->ncols + 1) * sizeof *cols);
	int ncols = 0;
	cols[ncols++] = key;
	for (size_t i = NSYSCOLS; i < e->ncols; i++)
		if (e->cols[i].field->flags & TITLE)
			cols[ncols++] = e->cols[i].name;
	size_t shown = f->n < FACET_VALUES_SHOWN ? f->n : FACET_VALUES_SHOWN;
	store_cond *any = arena_alloc(&m->a, shown * sizeof *any), where[2];
	for (size_t k = 0; k < shown; k++)
		any[k] = COND_EQ(key, f->field->ref_key ? sv_text(f->v[k].value) : SV_INT_(model_parse_id(f->v[k].value)));
	int nw = 0;
	where[nw++] = (store_cond){ .op = OP_ANY, .sub = any, .nsub = (int)shown };
	access_visible(m, e, where, &nw);
	store_select q = { .table = e->def->table, .cols = cols, .ncols = ncols, .where = where, .nwhere = nw };
	ref_walk w = { m, e, f };
	store_query(c, &q, take_ref_title, &w); /* a failure leaves the values as their labels */
}

static void label_values(model_ctx *m, store_conn *c, facet_counts *f)
{
	if (f->field && f->field->type == F_REF)
		ref_labels(m, c, f);
	for (size_t k = 0; k < f->n && k < FACET_VALUES_SHOWN; k++) {
		facet_value *v = &f->v[k];
		const entity *e = !f->field && !strcmp(f->name, "kind") ? registry_find(m->reg, v->value) : NULL;
		int lang = !f->field && !strcmp(f->name, "lang") ? i18n_lang(v->value) : -1;
		if (e)
			v->label = i18n_text(m->lang, e->def->heading ? e->def->heading : e->def->name);
		else if (lang >= 0)
			v->label = i18n_text(m->lang, registry_lang_labels[lang]);
		else if (f->field && f->field->type == F_ENUM)
			v->label = enum_label(m, f->field, v->value);
		if (!v->label)
			v->label = v->value;
	}
}

/* "name":{"value":count,...} or, labels, "name":{"value":"label",...}. */
static void facets_json(buf *out, const facet_counts *f, size_t nf, int labels)
{
	for (size_t k = 0; k < nf; k++) {
		buf_puts(out, k ? "," : "");
		buf_json_cstr(out, f[k].name);
		buf_puts(out, ":{");
		for (size_t i = 0; i < f[k].n && i < FACET_VALUES_SHOWN; i++) {
			buf_puts(out, i ? "," : "");
			buf_json_cstr(out, f[k].v[i].value);
			buf_putc(out, ':');
			if (labels)
				buf_json_cstr(out, f[k].v[i].label);
			else
				buf_printf(out, "%zu", f[k].v[i].count);
		}
		buf_putc(out, '}');
	}
}

/* The facets of the candidates and their labels, as members of the answer. */
static void facets(model_ctx *m, store_conn *c, const hits *h, buf *out)
{
	size_t nf = 2 + m->reg->nfacets;
	facet_counts *f = arena_alloc(&m->a, nf * sizeof *f);
	f[0] = (facet_counts){ "kind", NULL, NULL, 0 };
	f[1] = (facet_counts){ "lang", NULL, NULL, 0 };
	for (size_t k = 0; k < m->reg->nfacets; k++)
		f[2 + k] = (facet_counts){ m->reg->facets[k]->name, m->reg->facets[k], NULL, 0 };
	for (size_t i = 0; i < h->n; i++) {
		count_value(m, &f[0], h->v[i].kind, strlen(h->v[i].kind));
		count_langs(m, &f[1], &h->v[i]);
		count_facets(m, f + 2, m->reg->nfacets, &h->v[i]);
	}
	for (size_t k = 0; k < nf; k++) {
		if (f[k].n)
			qsort(f[k].v, f[k].n, sizeof *f[k].v, by_count);
		label_values(m, c, &f[k]);
	}
	buf_puts(out, ",\"facets\":{");
	facets_json(out, f, nf, 0);
	buf_puts(out, "},\"facet_labels\":{");
	facets_json(out, f, nf, 1);
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

/* The record's title in the reader's language (the one the request asked
 * for, else the user's own), else in the first one it has. */
static const char *title_for(model_ctx *m, const hit *x)
{
	json_t *titles = json_loads(x->titles ? x->titles : "{}", 0, NULL);
	const char *lang = registry_langs[m->lang >= 0 && m->lang < NLANGS ? m->lang : 0];
	json_t *t = json_object_get(titles, lang);
	for (int l = 0; !json_is_string(t) && l < NLANGS; l++)
		t = json_object_get(titles, registry_langs[l]);
	if (!json_is_string(t))
		t = json_object_get(titles, "");
	const char *title = arena_strdup(&m->a, json_string_value(t));
	json_decref(titles);
	return title;
}

/* A hit's facet lines as members "name":["value",...], each name once. */
static void item_facets(buf *out, const char *lines)
{
	const char *all = lines ? lines : "";
	int first_name = 1;
	for (const char *line = all; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n')) {
		size_t name = strcspn(line, "\t\n");
		int seen = 0;
		for (const char *p = all; p < line && !seen; p += strcspn(p, "\n") + 1)
			seen = strncmp(p, line, name + 1) == 0;
		if (seen || line[name] != '\t')
			continue;
		buf_puts(out, first_name ? "" : ",");
		first_name = 0;
		buf_json_str(out, line, name);
		buf_puts(out, ":[");
		int first_value = 1;
		for (const char *p = line; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
			if (strncmp(p, line, name + 1) == 0) {
				const char *v = p + name + 1;
				buf_puts(out, first_value ? "" : ",");
				first_value = 0;
				buf_json_str(out, v, strcspn(v, "\n"));
			}
		buf_putc(out, ']');
	}
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
	buf_puts(out, ",\"date\":");
	buf_json_cstr(out, x->date);
	buf_puts(out, ",\"facets\":{");
	item_facets(out, x->facets);
	buf_puts(out, "},\"snippet\":");
	snippet_html(out, buf_str(&snip), snip.len);
	buf_printf(out, ",\"score\":%.4f}", 0.0 - x->score); /* 0.0 - 0.0 is 0, where -0.0 would print "-0.0000" */
	buf_free(&snip);
}

static void answer(model_ctx *m, store_conn *c, const char *match, hits *h, int64_t offset, int64_t limit,
		   const char *fallback, const char *meant)
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
	buf_puts(out, ",\"did_you_mean\":");
	buf_json_cstr(out, meant);
	facets(m, c, h, out);
	buf_putc(out, '}');
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
	for (size_t k = 0; k < q.nfilters; k++)
		if (check_filter(m, &q.filters[k])) {
			search_query_free(&q);
			return -1;
		}
	store_conn *c = store_reader(m->st);
	store_cond w[6];
	int nw = conditions(m, &q, w);
	hits h = { m, NULL, 0, 0 };
	const char *fallback = NULL, *meant = NULL;
	const char *expr = narrowed(m, &q, q.match);
	int rc = c ? store_search(c, expr, NULL, w, nw, SEARCH_CANDIDATES, take_hit, &h) : STORE_ERROR;
	if (rc == STORE_OK && h.n < FEW_RESULTS && q.match && only_words(text))
		rc = forgive(m, c, text, &q, w, nw, &h, &fallback, &meant) ? STORE_ERROR : STORE_OK;
	if (rc != STORE_OK) {
		search_query_free(&q);
		return model_fail(m, rc == STORE_CONSTRAINT ? 400 : 500, "Search failed", "the query could not be run");
	}
	if (h.n)
		qsort(h.v, h.n, sizeof *h.v, by_rank);
	answer(m, c, q.match, &h, offset, limit, fallback, meant);
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
typedef struct key_found {
	model_ctx *m;
	const char *key;
} key_found;

static int take_key(void *ctx, store_row *r)
{
	key_found *k = ctx;
	const char *s = store_text(r, 0, NULL);
	k->key = s ? arena_strdup(&k->m->a, s) : NULL;
	return 1;
}

/* The key a record of a kind referred to by key goes by (a country's "BO"):
 * what a reference to it holds; NULL for the other kinds. */
static const char *key_of(model_ctx *m, store_conn *c, const char *kind, int64_t id)
{
	const entity *e = registry_find(m->reg, kind);
	if (!e || !e->def->key_field)
		return NULL;
	const char *cols[] = { e->def->key_field };
	store_cond w[] = { COND_EQ("id", SV_INT_(id)) };
	store_select q = { .table = e->def->table, .cols = cols, .ncols = 1, .where = w, .nwhere = 1, .limit = 1 };
	key_found k = { m, NULL };
	return store_query(c, &q, take_key, &k) == STORE_OK ? k.key : NULL;
}

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
		const char *key = key_of(m, c, h.v[i].kind, h.v[i].record_id);
		if (key) {
			buf_puts(&m->body, ",\"key\":");
			buf_json_cstr(&m->body, key);
		}
		buf_putc(&m->body, '}');
	}
	buf_puts(&m->body, "]}");
	m->status = 200;
	return 0;
}
