/*
 * terms — the termbase: concepts, and their terms in English, French and
 * Spanish, each with its part of speech and its status (preferred,
 * admitted, deprecated), as terminologists keep them.
 *
 * Every term is keyed by its words' stems in its language (formats/words.h)
 * so that a segment's terms are found whatever their inflection, case,
 * accents or elision: "the migrant workers' rights" holds the term
 * "migrant worker".  terms_in walks a text's words once and looks each run
 * of up to TERM_WORDS_MAX words up by that key, longest first: a few
 * indexed look-ups a word, whatever the termbase's size.
 *
 * A concept is named by its terms (the preferred one of each language
 * first), kept in step whenever one of its terms is written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "formats/words.h"

/* ---- concepts ------------------------------------------------------------------------------ */

static const field_def concept_fields[] = {
	{ "name", F_TEXT, READONLY | TITLE | SEARCHED, .max = 1000, .label = N_("Terms") },
	{ "subject", F_TEXT, INDEXED | FACET, .max = 100, .label = N_("Subject field"),
	  .hint = N_("The field of knowledge: migration law, finance, governance.") },
	{ "definition", F_LANGTEXT, SEARCHED, .max = 2000, .label = N_("Definition") },
	{ "source", F_TEXT, 0, .max = 300, .label = N_("Source") },
	{ "note", F_TEXT, 0, .max = 2000, .label = N_("Note") },
};
static const char *const concept_columns[] = { "name", "subject", NULL };

typedef struct naming {
	buf name;
	int n;
} naming;

static int add_name(void *ctx, store_row *row)
{
	naming *k = ctx;
	size_t len;
	const char *text = store_text(row, 0, &len);
	if (!text || k->n >= 6)
		return 0;
	if (k->n++)
		buf_puts(&k->name, " · ");
	buf_add(&k->name, text, len);
	return 0;
}

/* The concept's name: its terms, language by language, the preferred first. */
static int concept_named(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	if (r->v[COL_ID].type != SV_INT || r->v[COL_ID].i <= 0)
		return 0;
	naming k = { BUF_INIT, 0 };
	store_cond w[] = { COND_EQ("concept", r->v[COL_ID]), COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "language" }, { "rank" }, { "id" } };
	store_select q = { .table = "terms", .cols = (const char *[]){ "text" }, .ncols = 1, .where = w, .nwhere = 2,
			   .order = by, .norder = 3 };
	int rc = store_query(c, &q, add_name, &k);
	if (rc == STORE_OK)
		*record_field(r, "name") = k.n ? sv_text(arena_strdup(&m->a, buf_str(&k.name))) : SV_NUL;
	buf_free(&k.name);
	return rc == STORE_OK ? 0 : model_fail(m, 500, "Store error", "the concept's terms could not be read");
}

const entity_def concepts = {
	.name = "concepts", .table = "concepts", .label = N_("concept"),
	.fields = concept_fields, .nfields = COUNT(concept_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR),
	.default_sort = "name", .validate = concept_named,
	.heading = N_("Termbase"), .new_label = N_("New concept"), .columns = concept_columns,
	.menu = { 13 },
};

/* ---- terms --------------------------------------------------------------------------------- */

static const char *const parts_of_speech[] = { "noun", "verb", "adjective", "adverb", "other", NULL };
static const char *const part_of_speech_labels[] = { N_("Noun"), N_("Verb"), N_("Adjective"), N_("Adverb"), N_("Other"),
						     NULL };
static const char *const term_states[] = { "preferred", "admitted", "deprecated", NULL };
static const char *const term_state_labels[] = { NC_("term", "Preferred"), NC_("term", "Admitted"),
						 NC_("term", "Deprecated"), NULL };

static const field_def term_fields[] = {
	{ "concept", F_REF, REQUIRED | INDEXED, .ref = "concepts", .label = N_("Concept") },
	{ "language", F_ENUM, REQUIRED | INDEXED | FACET, .values = registry_langs, .labels = registry_lang_labels,
	  .label = N_("Language") },
	{ "text", F_TEXT, REQUIRED | SEARCHED | TITLE, .max = 300, .label = N_("Term") },
	{ "part_of_speech", F_ENUM, 0, .values = parts_of_speech, .labels = part_of_speech_labels,
	  .label = N_("Part of speech"), .initial = "noun" },
	{ "status", F_ENUM, INDEXED | FACET, .values = term_states, .labels = term_state_labels, .label = N_("Status"),
	  .initial = "admitted" },
	{ "definition", F_TEXT, 0, .max = 2000, .label = N_("Definition") },
	{ "source", F_TEXT, 0, .max = 300, .label = N_("Source") },
	{ "note", F_TEXT, 0, .max = 2000, .label = N_("Note") },
	/* the stems of its words in its language, and their number: how a text's words find it */
	{ "stem_key", F_TEXT, READONLY | UNSHOWN, .max = 1000, .label = N_("Stems") },
	{ "words", F_INT, READONLY | UNSHOWN, .label = N_("Words") },
	/* 0 preferred, 1 admitted, 2 deprecated: the order a concept lists its terms in */
	{ "rank", F_INT, READONLY | UNSHOWN, .label = N_("Order") },
};
static const char *const term_columns[] = { "text", "language", "status", "part_of_speech", NULL };
static const char *const term_indexes[] = { "language,stem_key", "concept,language,rank", NULL };

static int term_keyed(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const char *text = record_text(r, "text"), *lang = record_text(r, "language"), *status = record_text(r, "status");
	if (!text || !lang)
		return 0;
	word_list wl;
	words_init(&wl, lang);
	words_read(&wl, text, strlen(text));
	size_t n = words_count(&wl);
	if (n == 0)
		model_field_error(m, "text", N_("has no word"));
	else if (n > TERM_WORDS_MAX)
		model_field_error(m, "text", N_("is longer than %d words: a term is a name, not a sentence"), TERM_WORDS_MAX);
	buf key = BUF_INIT;
	words_key(&wl, 0, n, &key);
	*record_field(r, "stem_key") = sv_text(arena_strdup(&m->a, buf_str(&key)));
	*record_field(r, "words") = SV_INT_((int64_t)n);
	*record_field(r, "rank") = SV_INT_(status ? enum_index(term_states, status) : 1);
	buf_free(&key);
	words_free(&wl);
	return 0;
}

/* The concept's name follows its terms. */
static int concept_follows(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, record_field(r, "concept")->i);
	json_t *nothing = json_object();
	record after;
	int rc = model_update_in(m, c, registry_find(m->reg, "concepts"), id, 0, nothing, &after);
	json_decref(nothing);
	return rc;
}

const entity_def terms = {
	.name = "terms", .table = "terms", .label = N_("term"),
	.fields = term_fields, .nfields = COUNT(term_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR), .parent = "concept",
	.default_sort = "text", .validate = term_keyed, .after_write = concept_follows, .indexes = term_indexes,
	.heading = N_("Terms"), .new_label = N_("New term"), .columns = term_columns,
};

/* ---- a text's terms ------------------------------------------------------------------------ */

typedef struct found_term {
	int64_t concept, term;
	const char *text;
} found_term;

static int take_term(void *ctx, store_row *row)
{
	found_term *f = ctx;
	f->term = store_int(row, 0);
	f->concept = store_int(row, 1);
	size_t n;
	const char *text = store_text(row, 2, &n);
	f->text = text ? strndup(text, n) : NULL;
	return 1;
}

/* The concept's terms in lang, by status, into hit. */
typedef struct by_status {
	model_ctx *m;
	const char **v[3];
	size_t n[3];
} by_status;

static int take_other(void *ctx, store_row *row)
{
	by_status *b = ctx;
	int64_t rank = store_int(row, 1);
	size_t len;
	const char *text = store_text(row, 0, &len);
	if (rank < 0 || rank > 2 || !text || b->n[rank] >= 8)
		return 0;
	b->v[rank][b->n[rank]++] = arena_strndup(&b->m->a, text, len);
	return 0;
}

static int other_terms(model_ctx *m, store_conn *c, term_hit *hit, const char *lang)
{
	by_status b = { .m = m };
	for (int i = 0; i < 3; i++)
		b.v[i] = arena_alloc(&m->a, 9 * sizeof *b.v[i]);
	store_cond w[] = { COND_EQ("concept", SV_INT_(hit->concept)), COND_EQ("language", sv_text(lang)),
			   COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "rank" }, { "id" } };
	store_select q = { .table = "terms", .cols = (const char *[]){ "text", "rank" }, .ncols = 2, .where = w, .nwhere = 3,
			   .order = by, .norder = 2 };
	if (store_query(c, &q, take_other, &b) != STORE_OK)
		return model_fail(m, 500, "Store error", "the termbase could not be read");
	for (int i = 0; i < 3; i++)
		b.v[i][b.n[i]] = NULL;
	hit->preferred = b.v[0];
	hit->admitted = b.v[1];
	hit->deprecated = b.v[2];
	return 0;
}

/* The term whose key is words i..i+n-1 of wl, if the termbase has one: 1, 0, or -1. */
static int look_up(store_conn *c, const char *lang, const word_list *wl, size_t i, size_t n, found_term *f)
{
	buf key = BUF_INIT;
	words_key(wl, i, n, &key);
	store_cond w[] = { COND_EQ("language", sv_text(lang)), COND_EQ("stem_key", sv_text(buf_str(&key))),
			   COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "rank" }, { "id" } };
	store_select q = { .table = "terms", .cols = (const char *[]){ "id", "concept", "text" }, .ncols = 3, .where = w,
			   .nwhere = 3, .order = by, .norder = 2, .limit = 1 };
	*f = (found_term){ 0 };
	int rc = store_query(c, &q, take_term, f);
	buf_free(&key);
	return rc != STORE_OK ? -1 : f->term > 0;
}

int terms_in(model_ctx *m, store_conn *c, const char *lang, const char *text, const char *other_lang, term_hit **out)
{
	word_list wl;
	words_init(&wl, lang);
	words_read(&wl, text, strlen(text));
	size_t n = words_count(&wl), nhits = 0;
	term_hit *hits = arena_alloc(&m->a, (n ? n : 1) * sizeof *hits);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0;) {
		size_t len = n - i < TERM_WORDS_MAX ? n - i : TERM_WORDS_MAX, taken = 1;
		for (; len > 0; len--) {
			found_term f;
			int got = look_up(c, lang, &wl, i, len, &f);
			if (got < 0) {
				rc = model_fail(m, 500, "Store error", "the termbase could not be read");
				break;
			}
			if (!got)
				continue;
			const word *first = words_at(&wl, i), *last = words_at(&wl, i + len - 1);
			term_hit *h = &hits[nhits++];
			*h = (term_hit){ .off = first->off, .len = last->off + last->len - first->off, .concept = f.concept,
					 .term = f.term, .found = arena_strdup(&m->a, f.text ? f.text : "") };
			free((char *)f.text);
			rc = other_terms(m, c, h, other_lang);
			taken = len;
			break;
		}
		i += taken;
	}
	words_free(&wl);
	*out = hits;
	return rc ? -1 : (int)nhits;
}
