/*
 * documents — the governing bodies' official documents: one record per
 * symbol (C/115/1, C/115/1/Rev.2), one version per language, each moving
 * from draft to published; and the decisions and resolutions, whose
 * symbols follow the same grammar (formats/symbol.h).
 *
 * What a symbol says is kept beside it: the session a document is for,
 * the earlier text a revision supersedes, the document an addendum or a
 * corrigendum amends.  A document's distribution decides who reads it: the
 * public reads a public document, and of its versions the published ones.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/governance/governance.h"
#include "domains/partners/partners.h"
#include "formats/symbol.h"
#include "model/model.h"

static const char *const distributions[] = { "public", "member_states", "internal", NULL };
static const char *const distribution_labels[] = { N_("Public"), N_("Member States"), N_("Internal"), NULL };

static const field_def document_fields[] = {
	{ "symbol", F_TEXT, REQUIRED | UNIQUE | SEARCHED | FACET, .max = 60, .label = N_("Symbol"),
	  .hint = N_("As the organization numbers its documents: C/115/1, C/115/1/Rev.2, C/114/L/6."),
	  .sample = "C/115/{n}" },
	{ "title", F_LANGTEXT, REQUIRED | SEARCHED | TITLE, .max = 500, .label = N_("Title") },
	{ "session", F_REF, READONLY | INDEXED | FACET, .ref = "sessions", .label = N_("Session") },
	{ "agenda_item", F_REF, INDEXED, .ref = "agenda-items", .label = N_("Agenda item") },
	{ "original_language", F_ENUM, REQUIRED, .values = registry_langs, .labels = registry_lang_labels,
	  .label = N_("Original language") },
	{ "distribution", F_ENUM, REQUIRED | INDEXED, .values = distributions, .labels = distribution_labels,
	  .label = N_("Distribution"), .initial = "internal" },
	{ "corrected_languages", F_LIST, 0, .max = 3, .label = N_("Language versions corrected"),
	  .hint = N_("A corrigendum only: the languages whose text it corrects (en, fr, es).") },
	{ "supersedes", F_REF, READONLY, .ref = "documents", .label = N_("Supersedes") },
	{ "amends", F_REF, READONLY, .ref = "documents", .label = N_("Adds to or corrects") },
	{ "due_on", F_DATE, READONLY, .label = N_("Due on") },
	{ "base", F_TEXT, READONLY | INDEXED | UNSHOWN, .max = 60, .label = N_("Symbol without revision") },
	/* the symbol's parts in the order people read them: C/115/2 before C/115/10 */
	{ "sort_key", F_TEXT, READONLY | INDEXED | UNSHOWN, .max = 80, .label = N_("Order") },
	{ "revision", F_INT, READONLY | UNSHOWN, .label = N_("Revision") },
};
static const char *const document_columns[] = { "title", "symbol", "distribution", "due_on", NULL };
/* A document for Member States is shared with their delegates; its published versions too. */
static const audience member_states[] = { { "distribution", "member_states", partners_member_state }, { NULL } };
static const audience member_states_published[] = { { "audience", "member_states", partners_member_state }, { NULL } };

const entity_def gb_documents = {
	.name = "documents", .table = "documents", .label = N_("document"),
	.fields = document_fields, .nfields = COUNT(document_fields),
	.read = WHO_ANYONE, .write = WHO_EDITORS,
	.key_field = "symbol", .default_sort = "sort_key", .validate = document_rules,
	.after_write = document_versions_follow, .audiences = member_states,
	.heading = N_("Official documents"), .new_label = N_("New document"), .columns = document_columns,
	.menu = { 9 },
};

static const char *const version_states[] = { "draft", "submitted", "in_translation", "edited", "published", NULL };
static const char *const version_state_labels[] = { NC_("document", "Draft"), NC_("document", "Submitted"),
						    NC_("document", "In translation"), NC_("document", "Edited"),
						    NC_("document", "Published"), NULL };

static const field_def version_fields[] = {
	{ "document", F_REF, REQUIRED | INDEXED, .ref = "documents", .label = N_("Document") },
	{ "session", F_REF, READONLY | INDEXED | UNSHOWN, .ref = "sessions", .label = N_("Session") },  /* its document's: for the session page */
	{ "language", F_ENUM, REQUIRED | INDEXED | FACET, .values = registry_langs, .labels = registry_lang_labels,
	  .label = N_("Language") },
	{ "name", F_TEXT, READONLY | TITLE, .max = 80, .label = N_("Version") },
	/* its document's, a search filter (symbol:C/115/1) as the document's is */
	{ "symbol", F_TEXT, READONLY | FACET | UNSHOWN, .max = 60, .label = N_("Symbol") },
	{ "status", F_ENUM, INDEXED, .values = version_states, .labels = version_state_labels, .label = N_("Status") },
	{ "word_count", F_INT, 0, .min_int = 0, .max_int = 10000000, .label = N_("Words") },
	{ "text", F_TEXT, SEARCHED, .max = 2000000, .label = N_("Text") },
	{ "submitted_at", F_TIME, READONLY, .label = N_("Submitted on") },
	{ "published_at", F_TIME, READONLY, .label = N_("Published on") },
	{ "reference", F_TEXT, READONLY | UNIQUE | UNSHOWN, .max = 80, .label = N_("Reference") },
	/* who beyond staff reads it: its document's distribution once it is published */
	{ "audience", F_TEXT, READONLY | UNSHOWN, .max = 20, .label = N_("Shared with") },
};
/* A version is drafted, submitted, translated (the original language's
 * skips that), edited and published; an edited text may go back to the
 * translators, and a published one is corrected by a corrigendum, never
 * changed in place. */
static const char *const version_starts[] = { "draft", NULL };
static const transition version_moves[] = {
	{ "draft", "submitted" }, { "submitted", "in_translation" }, { "submitted", "edited" },
	{ "in_translation", "edited" }, { "edited", "in_translation" }, { "edited", "published" },
};
static const state_rule version_rules_by_state[] = {
	{ "submitted", NULL, "submitted_at" }, { "published", NULL, "published_at" }, { NULL },
};
static const workflow version_workflow = {
	.field = "status", .starts = version_starts, .moves = version_moves, .nmoves = COUNT(version_moves),
	.rules = version_rules_by_state,
};
static const char *const version_columns[] = { "name", "language", "status", "word_count", NULL };
/* A session's page reads every version's state from this index alone, not from the rows and their texts. */
static const char *const version_indexes[] = { "session,archived,document,language,status,id", NULL };

const entity_def document_versions = {
	.name = "document-versions", .table = "document_versions", .label = N_("language version"),
	.fields = version_fields, .nfields = COUNT(version_fields),
	.read = WHO_ANYONE, .write = WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR),
	.default_sort = "reference", .validate = document_version_rules, .workflow = &version_workflow,
	.indexes = version_indexes, .audiences = member_states_published,
	.heading = N_("Language versions"), .new_label = N_("New language version"), .columns = version_columns,
};

/* ---- what a symbol says ------------------------------------------------------------------- */

/* The symbol field read by its grammar; an error says where and what, in
 * the API's detail ("at character 9: a number was expected"). */
static int read_symbol(model_ctx *m, const record *r, symbol *s)
{
	const char *text = record_text(r, "symbol");
	size_t at = 0;
	if (!text)
		return -1;
	symbol_error why = symbol_parse(text, strlen(text), s, &at);
	if (why == SYMBOL_OK)
		return 0;
	model_field_error(m, "symbol", "is not a document symbol: at character %zu (\"%.20s\"), %s", at + 1, text + at,
			  symbol_error_message(why));
	return -1;
}

/* The record of kind with this symbol field (the symbol as text), or 0. */
static int by_symbol(model_ctx *m, store_conn *c, const char *kind, const char *field, const symbol *s, record *out)
{
	char text[SYMBOL_TEXT_MAX];
	if (symbol_format(s, text, sizeof text) < 0)
		return 0;
	return model_fetch_where(m, c, registry_find(m->reg, kind), field, sv_text(arena_strdup(&m->a, text)), out);
}

static void set(record *r, const char *field, store_value v) { r->v[entity_column(r->e, field)] = v; }

/* The session a symbol names (C/115/..., C/Sp/7/...), into r's session
 * when Liaison has it: 1, else 0 (a document of a session never recorded,
 * from the archives), or -1 when it could not be read. */
static int symbol_session(model_ctx *m, store_conn *c, const symbol *s, record *r, record *session)
{
	char name[SYMBOL_TEXT_MAX];
	snprintf(name, sizeof name, "%s/%s%" PRIu32, s->series, s->special ? "Sp/" : "", s->session);
	int found = model_fetch_where(m, c, registry_find(m->reg, "sessions"), "symbol", sv_text(arena_strdup(&m->a, name)),
				      session);
	set(r, "session", found > 0 ? session->v[COL_ID] : SV_NUL);
	return found;
}

/* The agenda item, when given, is one of the document's own session. */
static void item_of_session(model_ctx *m, store_conn *c, record *r)
{
	const store_value *item = record_field(r, "agenda_item"), *session = record_field(r, "session");
	record it;
	if (item->type == SV_INT && model_fetch(m, c, registry_find(m->reg, "agenda-items"), item->i, &it) > 0 &&
	    (session->type != SV_INT || record_field(&it, "session")->i != session->i))
		model_field_error(m, "agenda_item", N_("is not an item of this session's agenda"));
}

/* ---- documents ---------------------------------------------------------------------------- */

/* Each corrected language has a version in the corrected document. */
static void corrected_versions(model_ctx *m, store_conn *c, record *r, const record *corrected)
{
	const char *list = record_text(r, "corrected_languages");
	json_t *langs = list ? json_loads(list, 0, NULL) : NULL;
	const entity *versions = registry_find(m->reg, "document-versions");
	size_t i;
	json_t *lang;
	if (json_array_size(langs) == 0)
		model_field_error(m, "corrected_languages", N_("names no language: a corrigendum says which versions it corrects"));
	json_array_foreach(langs, i, lang) {
		char ref[64];
		record v;
		snprintf(ref, sizeof ref, "%" PRId64 "/%s", corrected->v[COL_ID].i, json_string_value(lang));
		if (model_fetch_where(m, c, versions, "reference", sv_text(arena_strdup(&m->a, ref)), &v) <= 0)
			model_field_error(m, arena_printf(&m->a, "corrected_languages[%zu]", i),
					  N_("is not a language the corrected document has a version in"));
	}
	json_decref(langs);
}

/* What a revision supersedes (the text one revision before) and what an
 * addendum or a corrigendum amends (the text without it). */
static int earlier_texts(model_ctx *m, store_conn *c, const symbol *s, record *r)
{
	symbol before = *s;
	record earlier;
	set(r, "supersedes", SV_NUL);
	set(r, "amends", SV_NUL);
	if (s->corr)
		before.corr = 0;
	else if (s->add)
		before.add = 0;
	if (s->corr || s->add) {
		int found = by_symbol(m, c, "documents", "symbol", &before, &earlier);
		if (found > 0)
			set(r, "amends", earlier.v[COL_ID]);
		if (s->corr && found > 0)
			corrected_versions(m, c, r, &earlier);
		else if (s->corr && found == 0)
			model_field_error(m, "symbol", N_("corrects a document that is not in Liaison"));
		return found < 0 ? -1 : 0;
	}
	if (!s->rev)
		return 0;
	before.rev = s->rev - 1;
	int found = by_symbol(m, c, "documents", "symbol", &before, &earlier);
	if (found > 0)
		set(r, "supersedes", earlier.v[COL_ID]);
	return found < 0 ? -1 : 0;
}

int document_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	symbol s, base;
	record session;
	if (read_symbol(m, r, &s))
		return 0;
	if (s.kind == SYMBOL_RES)
		model_field_error(m, "symbol", N_("is a resolution's symbol: resolutions are recorded as decisions"));
	if (!s.corr && record_field(r, "corrected_languages")->type != SV_NULL)
		model_field_error(m, "corrected_languages", N_("is for a corrigendum only"));
	int in_session = s.session ? symbol_session(m, c, &s, r, &session) : 0;
	set(r, "due_on", in_session > 0 ? *record_field(&session, "documents_due") : SV_NUL);
	item_of_session(m, c, r);
	if (m->nerrors || earlier_texts(m, c, &s, r))
		return 0;
	base = s;
	base.rev = base.add = base.corr = 0;
	char text[SYMBOL_TEXT_MAX];
	symbol_format(&base, text, sizeof text);
	set(r, "base", sv_text(arena_strdup(&m->a, text)));
	set(r, "revision", SV_INT_(s.rev));
	set(r, "sort_key", sv_text(arena_printf(&m->a, "%-8s%d%06" PRIu32 "%d%06" PRIu32 "%06" PRIu32 "%06" PRIu32 "%06" PRIu32,
					       s.series, s.special, s.session, (int)s.kind, s.number, s.rev, s.add, s.corr)));
	set(r, "classification", sv_text(strcmp(record_text(r, "distribution"), "public") ? "internal" : "public"));
	return 0;
}

/* ---- decisions ---------------------------------------------------------------------------- */

int decision_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	symbol s;
	record session;
	if (read_symbol(m, r, &s))
		return 0;
	if (s.kind != SYMBOL_RES || !s.session)
		model_field_error(m, "symbol", N_("is not a resolution's symbol, such as C/115/RES/1412"));
	else
		symbol_session(m, c, &s, r, &session);
	item_of_session(m, c, r);
	return 0;
}

/* ---- language versions -------------------------------------------------------------------- */

int document_version_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record doc, other;
	const char *lang = record_text(r, "language"), *status = record_text(r, "status");
	if (model_fetch(m, c, registry_find(m->reg, "documents"), record_field(r, "document")->i, &doc) <= 0 || !lang)
		return 0;
	char *ref = arena_printf(&m->a, "%" PRId64 "/%s", doc.v[COL_ID].i, lang);
	if (model_fetch_where(m, c, e, "reference", sv_text(ref), &other) > 0 && other.v[COL_ID].i != r->v[COL_ID].i)
		model_field_error(m, "language", N_("is the language of another version of this document"));
	set(r, "reference", sv_text(ref));
	set(r, "session", *record_field(&doc, "session"));
	set(r, "name", sv_text(arena_printf(&m->a, "%s (%s)", record_text(&doc, "symbol"), lang)));
	set(r, "symbol", *record_field(&doc, "symbol"));
	/* the public reads a public document's published versions, and no other; Member States' delegates
	 * the published versions of a document for Member States */
	int published = status && !strcmp(status, "published");
	int open = published && !strcmp(record_text(&doc, "classification"), "public");
	set(r, "classification", sv_text(open ? "public" : "internal"));
	set(r, "audience", published ? *record_field(&doc, "distribution") : SV_NUL);
	return 0;
}

typedef struct versions_of {
	int64_t ids[NLANGS * 4];
	size_t n;
} versions_of;

static int take_version_id(void *ctx, store_row *row)
{
	versions_of *v = ctx;
	if (v->n < COUNT(v->ids))
		v->ids[v->n++] = store_int(row, 0);
	return 0;
}

/* Who reads a document's versions follows its distribution: each is written
 * again (its rules derive it), in the document's transaction. */
int document_versions_follow(model_ctx *m, store_conn *c, const entity *e, record *doc)
{
	(void)e;
	if (doc->v[COL_VERSION].i <= 1)
		return 0; /* a new document has no versions yet (and a bulk load has no index to find them by) */
	const entity *versions = registry_find(m->reg, "document-versions");
	store_cond w = COND_EQ("document", doc->v[COL_ID]);
	store_select q = { .table = versions->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = &w,
			   .nwhere = 1 };
	versions_of v = { .n = 0 };
	if (store_query(c, &q, take_version_id, &v) != STORE_OK)
		return model_fail(m, 500, "Store error", "the document's versions could not be read");
	for (size_t i = 0; i < v.n; i++) {
		record after;
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, v.ids[i]);
		json_t *nothing = json_object();
		int rc = model_update_in(m, c, versions, id, 0, nothing, &after);
		json_decref(nothing);
		if (rc)
			return -1;
	}
	return 0;
}
