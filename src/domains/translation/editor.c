/*
 * editor — the translator's page: one sentence of a job open to translate,
 * source beside target, with what helps: the memory's matches with their
 * scores and the words that differ marked, the termbase's terms in the
 * sentence with their translations, the checks on the translation so far
 * (numbers, tags, terms, spelling), and a machine translation on request,
 * marked as such and never put into the translation unless the translator
 * takes it.  Around it the job's neighbouring sentences with their states.
 *
 * Each sentence is saved as it is confirmed, through the generic update of
 * the segment (its rules, its access, its audit), and the page goes on to
 * the next sentence not yet translated.  With the script, Ctrl+Enter
 * confirms and Ctrl+1 to Ctrl+5 take a match; without it, every step is a
 * button or a link.
 *
 *   GET  /translation-jobs/{id}/translate?at=N[&use=K][&machine=1]
 *   POST /translation-jobs/{id}/translate      segment, version, at, target, do=confirm|save
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/inline.h"
#include "formats/mt.h"
#include "web/web.h"

#define WINDOW_BEFORE 5   /* sentences shown before the open one */
#define WINDOW_AFTER 10   /* and after */
#define MATCHES 5

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }
static json_int_t int_of(json_t *o, const char *name) { return json_integer_value(json_object_get(o, name)); }

/* ---- the job's sentences ------------------------------------------------------------------ */

/* The job's sentences from position from to to, in order, as the API lists them. */
static json_t *sentences(page *p, int64_t job, int64_t from, int64_t to)
{
	const entity *e = registry_find(&p->r->app->reg, "translation-segments");
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, job);
	store_cond w[] = { COND("position", OP_GE, SV_INT_(from)), COND("position", OP_LE, SV_INT_(to)) };
	list_params lp = { .names = (const char *[]){ "job" }, .values = (const char *[]){ id }, .nfilters = 1,
			   .sort = "position", .limit = 500, .extra = w, .nextra = 2 };
	return view_list_items(p, e, &lp);
}

/* The position of the first sentence not yet translated, or 0 when none is left. */
static int64_t first_untranslated(page *p, int64_t job)
{
	store_conn *c = store_reader(p->r->app->st);
	store_cond w[] = { COND_EQ("job", SV_INT_(job)), COND_EQ("state", sv_text("new")), COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "position" } };
	store_select q = { .table = translation_segments.table, .cols = (const char *[]){ "position" }, .ncols = 1,
			   .where = w, .nwhere = 3, .order = by, .norder = 1, .limit = 1 };
	model_ids ids = { 0 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	int64_t at = c && model_select_ids(&m, c, &q, &ids) == STORE_OK && ids.n ? ids.v[0] : 0;
	model_done(&m);
	return at;
}

/* ---- what helps ---------------------------------------------------------------------------- */

/* The candidate's source as runs of text: its words that differ from the
 * sentence marked, and the sentence's words it lacks shown where they go. */
static json_t *marked_runs(const tm_match *t, const char *query)
{
	json_t *runs = json_array();
	size_t at = 0, n = strlen(t->source), qn = strlen(query);
	for (size_t i = 0; i < t->nmarks; i++) {
		const tm_mark *k = &t->marks[i];
		if (k->cand_off < at || k->cand_off + k->cand_len > n || k->query_off + k->query_len > qn)
			continue;
		if (k->cand_off > at)
			json_array_append_new(runs, json_pack("{s:s%}", "text", t->source + at, (size_t)(k->cand_off - at)));
		if (k->cand_len)
			json_array_append_new(runs, json_pack("{s:s%, s:b}", "text", t->source + k->cand_off, (size_t)k->cand_len,
							      "differs", 1));
		else
			json_array_append_new(runs, json_pack("{s:s%, s:b}", "text", query + k->query_off, (size_t)k->query_len,
							      "missing", 1));
		at = k->cand_off + k->cand_len;
	}
	if (at < n)
		json_array_append_new(runs, json_pack("{s:s}", "text", t->source + at));
	return runs;
}

/* The memory's best matches: exact ones (in context first), then fuzzy ones from 50. */
static json_t *matches_view(page *p, const char *from, const char *to, const char *source, const char *prev,
			    const char *next, json_t **targets)
{
	store_conn *c = store_reader(p->r->app->st);
	tm_query q = { from, to, source, prev, next, 50, MATCHES };
	tm_match *best = NULL;
	size_t n = 0;
	char err[200];
	json_t *items = json_array();
	*targets = json_array();
	if (!c || memory_best(c, &q, &p->r->a, &best, &n, err, sizeof err))
		return items;
	for (size_t i = 0; i < n; i++) {
		const tm_match *t = &best[i];
		json_array_append_new(items, json_pack("{s:I, s:i, s:b, s:o, s:s, s:s, s:s, s:I}", "number", (json_int_t)i + 1,
						       "score", t->score, "adapted", t->adapted, "source", marked_runs(t, source),
						       "target", t->target, "origin", t->origin ? t->origin : "",
						       "lang", to, "id", (json_int_t)t->id));
		json_array_append_new(*targets, json_string(t->target));
	}
	return items;
}

static json_t *strings(const char **v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The termbase's terms in the sentence, with the concept's terms in the
 * target language; the hits stay in m's arena for the checks. */
static json_t *terms_view(page *p, model_ctx *m, const char *from, const char *to, const char *source, term_hit **hits,
			  int *nhits)
{
	json_t *items = json_array();
	store_conn *c = store_reader(p->r->app->st);
	*nhits = c ? terms_in(m, c, from, source, to, hits) : -1;
	if (*nhits < 0)
		*nhits = 0;
	for (int i = 0; i < *nhits; i++) {
		term_hit *h = &(*hits)[i];
		json_array_append_new(items, json_pack("{s:s, s:o, s:o, s:o, s:b}", "found", h->found, "preferred",
						       strings(h->preferred), "admitted", strings(h->admitted),
						       "deprecated", strings(h->deprecated), "has_deprecated", h->deprecated[0] != NULL));
	}
	return items;
}

/* The language of a check's item, for screen readers to speak it so: a
 * number as the source writes it, a term or a word of the translation;
 * none for a code or a reason, which are no one language's words. */
static const char *item_lang(const char *code, const char *from, const char *to)
{
	if (!strcmp(code, "number-missing"))
		return from;
	static const char *const targets[] = { "number-added", "term-missing", "term-deprecated", "spelling" };
	for (size_t i = 0; i < COUNT(targets); i++)
		if (!strcmp(code, targets[i]))
			return to;
	return "";
}

/* The checks on the translation so far, each a sentence in the reader's language. */
static json_t *checks_view(page *p, const char *from, const char *to, const char *source, const char *target,
			   const term_hit *hits, int nhits)
{
	checked in = { from, to, source, target, hits, nhits };
	json_t *items = checks_of(&p->r->a, &in), *w;
	size_t i;
	json_array_foreach(items, i, w) {
		const char *code = json_string_value(json_object_get(w, "code"));
		json_object_set_new(w, "text", json_string(page_tr(p, json_string_value(json_object_get(w, "message")))));
		json_object_set_new(w, "has_suggest", json_boolean(json_array_size(json_object_get(w, "suggest")) > 0));
		json_object_set_new(w, "item_lang", json_string(item_lang(code, from, to)));
		if (!strcmp(code, "codes-broken")) {   /* the item is the reason, in English: said in the reader's language */
			size_t where;
			json_object_set_new(w, "item", json_string(page_tr(p, inline_error_message(
								      inline_check(target, strlen(target), &where)))));
		}
	}
	return items;
}

/* A machine translation of the sentence, when asked for: marked as such. */
static void machine_view(page *p, const char *from, const char *to, const char *source)
{
	mt_options o = { 0 };
	mt_result res;
	size_t at;
	mt_error e = mt_translate(&o, from, to, source, strlen(source), &res, &at);
	if (e != MT_OK) {
		json_object_set_new(p->ctx, "machine_error", json_string(page_tr(p, mt_error_message(e))));
		return;
	}
	json_object_set_new(p->ctx, "machine", json_pack("{s:s%, s:b}", "text", res.text, res.len, "pivot", res.pivot));
	mt_result_free(&res);
}

/* ---- the page ------------------------------------------------------------------------------ */

static const char *label(page *p, const char *lang)
{
	return view_enum_label(p, entity_field(registry_find(&p->r->app->reg, "translation-jobs"), "target_language"), lang);
}

/* Puts the open sentence and what helps with it into the page. */
static void sentence_view(page *p, json_t *job, json_t *seg, json_t *window, const char *target, const model_ctx *errors)
{
	const char *from = text_of(job, "source_language"), *to = text_of(job, "target_language");
	const char *source = text_of(seg, "source");
	json_int_t at = int_of(seg, "position");
	const char *prev = NULL, *next = NULL;
	size_t i;
	json_t *s;
	json_array_foreach(window, i, s) {
		if (int_of(s, "position") == at - 1)
			prev = text_of(s, "source");
		if (int_of(s, "position") == at + 1)
			next = text_of(s, "source");
	}
	json_t *targets;
	json_t *matches = matches_view(p, from, to, source, prev, next, &targets);
	const char *use = page_query(p, "use");
	if (use && !errors) {
		int k = atoi(use);
		if (k >= 1 && (size_t)k <= json_array_size(targets))
			target = arena_strdup(&p->r->a, json_string_value(json_array_get(targets, (size_t)k - 1)));
	}
	json_decref(targets);
	term_hit *hits = NULL;
	int nhits = 0;
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *terms = terms_view(p, &m, from, to, source, &hits, &nhits);
	json_t *checks = checks_view(p, from, to, source, target, hits, nhits);
	json_object_set_new(p->ctx, "has_matches", json_boolean(json_array_size(matches) > 0));
	json_object_set_new(p->ctx, "has_terms", json_boolean(json_array_size(terms) > 0));
	json_object_set_new(p->ctx, "has_checks", json_boolean(json_array_size(checks) > 0));
	json_object_set_new(p->ctx, "matches", matches);
	json_object_set_new(p->ctx, "terms", terms);
	json_object_set_new(p->ctx, "checks", checks);
	model_done(&m);
	if (page_query(p, "machine"))
		machine_view(p, from, to, source);
	json_object_set_new(p->ctx, "segment", json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "id", int_of(seg, "id"),
							  "version", int_of(seg, "version"), "position", at, "source", source,
							  "target", target ? target : "", "from", from, "to", to));
	if (errors && errors->nerrors)
		json_object_set_new(p->ctx, "error", json_string(field_error_text(p, errors->errors[0].message)));
}

static void window_view(page *p, json_t *window, json_int_t at, const char *base)
{
	json_t *rows = json_array();
	size_t i;
	json_t *s;
	const field_def *state = entity_field(registry_find(&p->r->app->reg, "translation-segments"), "state");
	json_array_foreach(window, i, s) {
		json_int_t pos = int_of(s, "position");
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "position", pos, "source",
						      text_of(s, "source"), "target", text_of(s, "target") ? text_of(s, "target") : "",
						      "state", text_of(s, "state"), "state_label",
						      view_enum_label(p, state, text_of(s, "state")), "href",
						      arena_printf(&p->r->a, "%s?at=%" JSON_INTEGER_FORMAT, base, pos), "open", pos == at));
	}
	json_object_set_new(p->ctx, "sentences", rows);
}

/* The editor, at sentence at (0: the first not yet translated); errors and
 * target: a confirmation refused, shown with what was typed. */
static void editor_render(page *p, json_t *job, int64_t at, const char *target, const model_ctx *errors)
{
	int64_t id = int_of(job, "id"), count = int_of(job, "segment_count");
	if (at <= 0 && (at = first_untranslated(p, id)) == 0)
		at = 1;
	if (at > count)
		at = count;
	json_t *window = sentences(p, id, at - WINDOW_BEFORE, at + WINDOW_AFTER);
	json_t *seg = NULL, *s;
	size_t i;
	json_array_foreach(window, i, s)
		if (int_of(s, "position") == at)
			seg = s;
	if (!seg) {
		json_decref(window);
		page_error(p, 404, page_tr(p, N_("This job has no sentence there.")));
		return;
	}
	const char *base = arena_printf(&p->r->a, "/translation-jobs/%" PRId64 "/translate", id);
	sentence_view(p, job, seg, window, target ? target : text_of(seg, "target"), errors);
	window_view(p, window, at, base);
	json_decref(window);
	const char *from = text_of(job, "source_language"), *to = text_of(job, "target_language");
	json_object_set_new(p->ctx, "job", json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", text_of(job, "title"), "href",
						      arena_printf(&p->r->a, "/translation-jobs/%" PRId64, id), "action", base,
						      "from", label(p, from), "to", label(p, to)));
	const char *values[] = { arena_printf(&p->r->a, "%" PRId64, at), arena_printf(&p->r->a, "%" PRId64, count) };
	json_object_set_new(p->ctx, "heading", json_string(page_say(p, N_("Sentence {1} of {2}"), values, 2)));
	json_object_set_new(p->ctx, "machine_href", json_string(arena_printf(&p->r->a, "%s?at=%" PRId64 "&machine=1", base, at)));
	page_render(p, errors ? 422 : 200, "editor", page_tr(p, N_("Translate")));
}

static json_t *job_of(page *p)
{
	const entity *e = registry_find(&p->r->app->reg, "translation-jobs");
	return records_load(p, e, p->r->params[0]);
}

void translation_editor_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		json_t *job = job_of(&p);
		if (job) {
			const char *at = page_query(&p, "at");
			editor_render(&p, job, at ? atoll(at) : 0, NULL, NULL);
			json_decref(job);
		}
	}
	page_end(&p);
}

/* Where the translator goes after saving the sentence at position at: the
 * same sentence after a draft; after a confirmation the next one not yet
 * translated (in revision, the next one), or the job's page when the job
 * has no more. */
static const char *next_place(page *p, json_t *job, int confirm, int64_t at)
{
	json_int_t id = int_of(job, "id");
	int64_t next = !confirm ? at : !strcmp(text_of(job, "status"), "revising")
				      ? (at < int_of(job, "segment_count") ? at + 1 : 0) : first_untranslated(p, id);
	if (next > 0)
		return arena_printf(&p->r->a, "/translation-jobs/%" JSON_INTEGER_FORMAT "/translate?at=%" PRId64, id, next);
	return arena_printf(&p->r->a, "/translation-jobs/%" JSON_INTEGER_FORMAT, id);
}

/* Saves the sentence (confirmed: translated, or revised while the job is
 * in revision), then goes on to the next one not yet translated. */
void translation_editor_save(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) != 0) {
		page_end(&p);
		return;
	}
	json_t *job = job_of(&p);
	if (!job) {
		page_end(&p);
		return;
	}
	const char *seg = page_field(&p, "segment"), *version = page_field(&p, "version"), *target = page_field(&p, "target");
	const char *what = page_field(&p, "do"), *at = page_field(&p, "at");
	int confirm = what && !strcmp(what, "confirm");
	const char *state = !confirm ? "new" : !strcmp(text_of(job, "status"), "revising") ? "reviewed" : "translated";
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	json_t *patch = json_pack("{s:s, s:s}", "target", target ? target : "", "state", state);
	int rc = seg && version ? model_update(&m, registry_find(&r->app->reg, "translation-segments"), seg, atoll(version), patch)
				: model_fail(&m, 400, "Bad form", "the form lacks its sentence");
	json_decref(patch);
	if (rc == 0)
		page_redirect(&p, next_place(&p, job, confirm, at ? atoll(at) : 0));
	else if (m.status == 422)
		editor_render(&p, job, at ? atoll(at) : 0, target, &m);
	else
		page_model_error(&p, &m);
	model_done(&m);
	json_decref(job);
	page_end(&p);
}
