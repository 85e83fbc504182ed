/*
 * jobs — translation jobs and their segments.
 *
 * A job is a text to put into another language: a document's language
 * version (its text, its language, its document's deadline) or any text
 * given with the job.  When the job is made its text is cut into sentences
 * (formats/segment.h), one segment record each, with the white space that
 * came before it, so that the translation is put back together with the
 * source's paragraphs.  The job moves from queued to translating (it has a
 * translator), to revising (it has a reviser), back to translating if the
 * reviser sends it back, and to done once no segment is left untranslated;
 * then its translation becomes the document's version in the target
 * language, made or rewritten.  The translator and the reviser are the
 * job's assignees: they change the job and its segments, whatever their role.
 *
 * A segment's target is refused when its inline codes are not well formed,
 * and, once confirmed, when it lacks a code of its source or has one more
 * (formats/inline.h): the editor protects the codes, and a file brought
 * back from a desktop tool is held to the same rule.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/inline.h"
#include "formats/segment.h"
#include "formats/words.h"

static const char *const job_states[] = { "queued", "translating", "revising", "done", NULL };
static const char *const job_state_labels[] = { NC_("job", "Queued"), NC_("job", "Translating"),
						NC_("job", "Revising"), NC_("job", "Done"), NULL };
static const char *const priorities[] = { "normal", "high", "urgent", NULL };
static const char *const priority_labels[] = { NC_("priority", "Normal"), NC_("priority", "High"),
					       NC_("priority", "Urgent"), NULL };

static const field_def job_fields[] = {
	{ "title", F_TEXT, SEARCHED | TITLE, .max = 300, .label = N_("Title"),
	  .hint = N_("Made from the document's symbol and the target language when left empty.") },
	{ "document_version", F_REF, INDEXED, .ref = "document-versions", .label = N_("Text of"),
	  .hint = N_("The language version to translate; leave empty to translate a text of your own.") },
	{ "source_language", F_ENUM, INDEXED, .values = registry_langs, .labels = registry_lang_labels,
	  .label = N_("From"), .hint = N_("The version's language when a version is chosen."), .initial = "en" },
	{ "target_language", F_ENUM, REQUIRED | INDEXED | FACET, .values = registry_langs, .labels = registry_lang_labels,
	  .label = N_("Into"), .initial = "fr" },
	{ "source_text", F_TEXT, 0, .max = 2000000, .label = N_("Text to translate"),
	  .hint = N_("The version's text when a version is chosen."), .sample = "The Council noted item {n}." },
	{ "word_count", F_INT, READONLY, .label = N_("Words") },
	{ "segment_count", F_INT, READONLY, .label = N_("Sentences") },
	{ "due_on", F_DATE, INDEXED, .label = N_("Due on"), .hint = N_("The document's deadline when left empty.") },
	{ "priority", F_ENUM, INDEXED, .values = priorities, .labels = priority_labels, .label = N_("Priority"),
	  .initial = "normal" },
	{ "translator", F_REF, INDEXED, .ref = "users", .label = N_("Translator") },
	{ "reviser", F_REF, INDEXED, .ref = "users", .label = N_("Reviser") },
	{ "status", F_ENUM, INDEXED | FACET, .values = job_states, .labels = job_state_labels, .label = N_("Status") },
	{ "started_at", F_TIME, READONLY, .label = N_("Started on") },
	{ "done_at", F_TIME, READONLY, .label = N_("Finished on") },
	{ "target_version", F_REF, READONLY, .ref = "document-versions", .label = N_("Became") },
	/* the document of the version: the origin of the memory's units, and the job's symbol */
	{ "origin", F_TEXT, READONLY | UNSHOWN, .max = 60, .label = N_("Symbol") },
};

static const char *const job_starts[] = { "queued", NULL };
static int all_translated(model_ctx *m, store_conn *c, const entity *e, record *r);
static const transition job_moves[] = {
	{ "queued", "translating" },
	{ "translating", "revising" },
	{ "revising", "translating" },
	{ "revising", "done", .guard = all_translated },
	/* a job nobody revises is finished by the translation manager */
	{ "translating", "done", .who = WHO_EDITORS, .guard = all_translated },
};
static const char *const with_translator[] = { "translator", NULL };
static const char *const with_reviser[] = { "translator", "reviser", NULL };
static const state_rule job_rules_by_state[] = {
	{ "translating", with_translator, "started_at" }, { "revising", with_reviser }, { "done", NULL, "done_at" },
	{ NULL },
};
static int job_moved(model_ctx *m, store_conn *c, const entity *e, record *r);
static const workflow job_workflow = {
	.field = "status", .starts = job_starts, .moves = job_moves, .nmoves = COUNT(job_moves),
	.rules = job_rules_by_state, .on_move = job_moved,
};
static const char *const job_columns[] = { "title", "target_language", "status", "due_on", "translator", "word_count",
					   "priority", NULL };
static const char *const job_indexes[] = { "translator,status,due_on", "reviser,status,due_on", NULL };
static const home_list my_jobs = { N_("My translation jobs"), N_("Nothing to translate."), "due_on", 0, "translator",
				   "status", "translating" };

/* ---- a job's text ------------------------------------------------------------------------ */

static int is_new(const record *r) { return r->v[COL_ID].type != SV_INT || r->v[COL_ID].i <= 0; }

static void set(record *r, const char *field, store_value v) { *record_field(r, field) = v; }

/* A new job of a document's version takes what the version says: its text,
 * its language, its document's symbol and deadline, a title from them. */
static int take_version(model_ctx *m, store_conn *c, record *job)
{
	const store_value *ref = record_field(job, "document_version");
	if (ref->type != SV_INT)
		return 0;
	record version, doc;
	if (model_load(m, c, registry_find(m->reg, "document-versions"), ref->i, &version) ||
	    model_load(m, c, registry_find(m->reg, "documents"), record_field(&version, "document")->i, &doc))
		return -1;
	if (record_field(job, "source_text")->type == SV_NULL)
		set(job, "source_text", *record_field(&version, "text"));
	if (record_field(job, "source_language")->type == SV_NULL)
		set(job, "source_language", *record_field(&version, "language"));
	if (record_field(job, "due_on")->type == SV_NULL)
		set(job, "due_on", *record_field(&doc, "due_on"));
	const char *symbol = record_text(&doc, "symbol");
	set(job, "origin", sv_text(symbol));
	if (record_field(job, "title")->type == SV_NULL && symbol)
		set(job, "title", sv_text(arena_printf(&m->a, "%s (%s)", symbol, record_text(job, "target_language"))));
	return 0;
}

/* The source of a job is fixed once it is cut into segments. */
static int source_kept(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	record before;
	if (model_load(m, c, e, r->v[COL_ID].i, &before))
		return -1;
	static const char *const fixed[] = { "document_version", "source_language", "target_language", "source_text" };
	for (size_t i = 0; i < COUNT(fixed); i++) {
		const char *was = record_text(&before, fixed[i]), *now = record_text(r, fixed[i]);
		const store_value *a = record_field(&before, fixed[i]), *b = record_field(r, fixed[i]);
		int same = a->type == b->type && (a->type != SV_INT || a->i == b->i) && (!was || (now && !strcmp(was, now)));
		if (!same)
			model_field_error(m, fixed[i], N_("cannot change once the job is cut into sentences; make a new job"));
	}
	return 0;
}

static int count_sentence(void *ctx, segment_span span)
{
	(void)span;
	++*(int64_t *)ctx;
	return 0;
}

static int job_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	if (!is_new(r))
		return source_kept(m, c, e, r);
	if (take_version(m, c, r))
		return -1;
	const char *from = record_text(r, "source_language"), *to = record_text(r, "target_language");
	const char *text = record_text(r, "source_text");
	if (!from)
		model_field_error(m, "source_language", N_("is required when no version is chosen"));
	if (!text || !*text)
		model_field_error(m, "source_text", N_("is required when no version is chosen, or the version has no text"));
	if (from && to && !strcmp(from, to))
		model_field_error(m, "target_language", N_("is the language the text is in"));
	if (record_field(r, "title")->type == SV_NULL)
		model_field_error(m, "title", N_("is required when no version is chosen"));
	if (text && *text && from) {
		int64_t sentences = 0;
		size_t at = 0;
		segment_error why = segment_text(from, text, strlen(text), count_sentence, &sentences, &at);
		if (why != SEGMENT_OK)
			model_field_error(m, "source_text", N_("cannot be cut into sentences: %s at byte %zu"),
					  segment_error_message(why), at);
		set(r, "segment_count", SV_INT_(sentences));
		set(r, "word_count", SV_INT_((int64_t)words_counted(text, strlen(text))));
	}
	return 0;
}

/* ---- cutting into segments ----------------------------------------------------------------- */

typedef struct cutting {
	model_ctx *m;
	store_conn *c;
	const entity *segments;
	const record *job;
	const char *text;
	size_t end;       /* of the sentence before */
	int64_t n;        /* sentences so far */
	int failed;
} cutting;

static int add_segment(void *ctx, segment_span span)
{
	cutting *k = ctx;
	model_ctx *m = k->m;
	json_t *body = json_pack("{sI}", "job", (json_int_t)k->job->v[COL_ID].i);
	record seg;
	int rc = model_build_create(m, k->c, k->segments, body, CREATE_DOMAIN, &seg);
	json_decref(body);
	if (rc)
		return k->failed = 1;
	set(&seg, "position", SV_INT_(++k->n));
	set(&seg, "before", sv_text(arena_strndup(&m->a, k->text + k->end, span.off - k->end)));
	set(&seg, "source", sv_text(arena_strndup(&m->a, k->text + span.off, span.len)));
	k->end = span.off + span.len;
	return k->failed = model_insert(m, k->c, &seg) != 0;
}

/* A new job's text, cut into sentences, each a segment of the job. */
static int cut_into_segments(model_ctx *m, store_conn *c, const entity *e, record *job)
{
	(void)e;
	if (job->v[COL_VERSION].i > 1)
		return 0;
	cutting k = { m, c, registry_find(m->reg, "translation-segments"), job, record_text(job, "source_text"), 0, 0, 0 };
	size_t at = 0;
	segment_error why = segment_text(record_text(job, "source_language"), k.text, strlen(k.text), add_segment, &k, &at);
	if (k.failed)
		return -1;
	if (why != SEGMENT_OK)
		return model_fail(m, 422, "Text not cut", "the text could not be cut into sentences: %s at byte %zu",
				  segment_error_message(why), at);
	return 0;
}

/* ---- finishing ---------------------------------------------------------------------------- */

static int count_untranslated(model_ctx *m, store_conn *c, int64_t job, int64_t *n)
{
	store_cond w[] = { COND_EQ("job", SV_INT_(job)), COND_EQ("state", sv_text("new")), COND_EQ("archived", SV_INT_(0)) };
	if (store_count(c, translation_segments.table, w, (int)COUNT(w), n) != STORE_OK)
		return model_fail(m, 500, "Store error", "the job's segments could not be counted");
	return 0;
}

static int all_translated(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	int64_t left = 0;
	if (count_untranslated(m, c, r->v[COL_ID].i, &left))
		return -1;
	if (left > 0)
		return model_fail(m, 409, "Sentences left", N_("%lld sentences of the job are not translated yet"), (long long)left);
	return 0;
}

typedef struct joined {
	buf text;
} joined;

static int join_segment(void *ctx, store_row *row)
{
	joined *j = ctx;
	size_t n;
	const char *before = store_text(row, 0, &n);
	if (before)
		buf_add(&j->text, before, n);
	const char *target = store_text(row, 1, &n);
	if (target)
		buf_add(&j->text, target, n);
	return 0;
}

/* The job's translation: each segment's target after the white space its source had before it. */
static int translation_of(model_ctx *m, store_conn *c, int64_t job, const char **out)
{
	joined j = { BUF_INIT };
	store_cond w[] = { COND_EQ("job", SV_INT_(job)), COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "position" }, { "id" } };
	store_select q = { .table = translation_segments.table, .cols = (const char *[]){ "before", "target" }, .ncols = 2,
			   .where = w, .nwhere = 2, .order = by, .norder = 2 };
	int rc = store_query(c, &q, join_segment, &j);
	*out = rc == STORE_OK ? arena_strdup(&m->a, buf_str(&j.text)) : NULL;
	buf_free(&j.text);
	return rc == STORE_OK ? 0 : model_fail(m, 500, "Store error", "the job's segments could not be read");
}

/* A finished job of a document's version becomes the document's version in
 * the target language: its text rewritten (moved on to edited when it was
 * in translation), or a new version made. */
static int job_moved(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	const char *status = record_text(r, "status");
	const store_value *from = record_field(r, "document_version");
	if (!status || strcmp(status, "done") != 0 || from->type != SV_INT)
		return 0;
	const entity *versions = registry_find(m->reg, "document-versions");
	record source, made;
	const char *text;
	if (model_load(m, c, versions, from->i, &source) || translation_of(m, c, r->v[COL_ID].i, &text))
		return -1;
	int64_t doc = record_field(&source, "document")->i;
	const char *lang = record_text(r, "target_language");
	model_ids found = { 0 };
	store_cond w[] = { COND_EQ("document", SV_INT_(doc)), COND_EQ("language", sv_text(lang)),
			   COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = versions->def->table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = w,
			   .nwhere = 3, .limit = 1 };
	if (model_select_ids(m, c, &q, &found) != STORE_OK)
		return model_fail(m, 500, "Store error", "the document's versions could not be read");
	json_t *body = json_pack("{sssI}", "text", text, "word_count", (json_int_t)words_counted(text, strlen(text)));
	int rc;
	if (found.n == 0) {
		json_object_set_new(body, "document", json_integer(doc));
		json_object_set_new(body, "language", json_string(lang));
		rc = model_create_in(m, c, versions, body, 0, &made);
	} else {
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, found.v[0]);
		record was;
		rc = model_load(m, c, versions, found.v[0], &was);
		const char *state = rc ? NULL : record_text(&was, "status");
		if (state && !strcmp(state, "in_translation"))
			json_object_set_new(body, "status", json_string("edited"));
		rc = rc ? rc : model_update_in(m, c, versions, id, 0, body, &made);
	}
	json_decref(body);
	if (rc)
		return -1;
	set(r, "target_version", made.v[COL_ID]);
	return 0;
}

const entity_def translation_jobs = {
	.name = "translation-jobs", .table = "translation_jobs", .label = N_("translation job"),
	.fields = job_fields, .nfields = COUNT(job_fields),
	.read = WHO_STAFF, .write = WHO_EDITORS, .assignee = "translator,reviser",
	.default_sort = "due_on", .validate = job_rules, .after_write = cut_into_segments, .workflow = &job_workflow,
	.indexes = job_indexes, .home = &my_jobs,
	.heading = N_("Translation jobs"), .new_label = N_("New translation job"), .columns = job_columns,
	.menu = { 12, "/translation", N_("Translation") },
};

/* ---- segments ------------------------------------------------------------------------------ */

static const char *const segment_states[] = { "new", "translated", "reviewed", NULL };
static const char *const segment_state_labels[] = { NC_("segment", "Not translated"), NC_("segment", "Translated"),
						    NC_("segment", "Revised"), NULL };
static const char *const origins[] = { "human", "memory", "machine", NULL };
static const char *const origin_labels[] = { N_("Translator"), N_("Translation memory"), N_("Machine translation"),
					     NULL };

static const field_def segment_fields[] = {
	{ "job", F_REF, REQUIRED | INDEXED, .ref = "translation-jobs", .label = N_("Job") },
	{ "position", F_INT, READONLY, .label = N_("Number") },
	{ "source", F_TEXT, READONLY | TITLE, .max = 20000, .label = N_("Source") },
	{ "target", F_TEXT, 0, .max = 40000, .label = N_("Translation") },
	{ "state", F_ENUM, INDEXED, .values = segment_states, .labels = segment_state_labels, .label = N_("State"),
	  .initial = "new" },
	{ "origin", F_ENUM, 0, .values = origins, .labels = origin_labels, .label = N_("Suggested by") },
	{ "match", F_INT, 0, .min_int = 0, .max_int = 101, .label = N_("Match"),
	  .hint = N_("The memory's score of the suggestion taken, 101 for the same sentence in the same context.") },
	/* the white space the sentence had before it in the source: the translation keeps the paragraphs */
	{ "before", F_TEXT, READONLY | UNSHOWN, .max = 1000, .label = N_("Space before") },
};
static const char *const segment_columns[] = { "position", "source", "target", "state", NULL };
static const char *const segment_indexes[] = { "job,position", "job,state", NULL };

/* A target's codes are well formed; a confirmed one carries its source's. */
static int segment_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const char *target = record_text(r, "target"), *source = record_text(r, "source"), *state = record_text(r, "state");
	if (!target)
		return 0;
	size_t at = 0;
	inline_error why = inline_check(target, strlen(target), &at);
	if (why != INLINE_OK) {
		model_field_error(m, "target", N_("has a tag out of place at character %zu: %s"), at + 1,
				  inline_error_message(why));
		return 0;
	}
	char missing[64];
	if (state && strcmp(state, "new") && source &&
	    inline_same(source, strlen(source), target, strlen(target), missing, sizeof missing) == 0)
		model_field_error(m, "target", N_("does not carry the same tags and placeholders as the source: %s"), missing);
	return 0;
}

/* The source of the job's sentence at position at, or NULL at an edge. */
static const char *source_at(model_ctx *m, store_conn *c, int64_t job, int64_t at)
{
	store_cond w[] = { COND_EQ("job", SV_INT_(job)), COND_EQ("position", SV_INT_(at)), COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = translation_segments.table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = w,
			   .nwhere = 3, .limit = 1 };
	model_ids ids = { 0 };
	record r;
	if (at < 1 || model_select_ids(m, c, &q, &ids) != STORE_OK || ids.n == 0 ||
	    model_fetch(m, c, registry_find(m->reg, "translation-segments"), ids.v[0], &r) != 1)
		return NULL;
	return record_text(&r, "source");
}

/* A confirmed sentence goes into the memory with its context, in the same
 * transaction: found by the next query that asks, whoever asks. */
static int into_memory(model_ctx *m, store_conn *c, const entity *e, record *seg)
{
	(void)e;
	const char *state = record_text(seg, "state"), *target = record_text(seg, "target");
	if (!state || !strcmp(state, "new") || !target || !*target)
		return 0;
	record job;
	if (model_load(m, c, registry_find(m->reg, "translation-jobs"), record_field(seg, "job")->i, &job))
		return -1;
	int64_t at = record_field(seg, "position")->i, id = job.v[COL_ID].i;
	tm_unit u = { .source_lang = record_text(&job, "source_language"), .target_lang = record_text(&job, "target_language"),
		      .source = record_text(seg, "source"), .target = target, .origin = record_text(&job, "origin"),
		      .job = id, .translator = m->u->name, .prev_source = source_at(m, c, id, at - 1),
		      .next_source = source_at(m, c, id, at + 1) };
	char why[200];
	int64_t unit = 0;
	if (tm_add(c, &u, &unit, why, sizeof why) ||
	    (concordance_add(c, unit, u.source_lang, u.source, u.target_lang, u.target) && snprintf(why, sizeof why, "its words could not be indexed"))) {
		model_field_error(m, "target", "cannot go into the translation memory: %s", why);
		return model_fail(m, 422, "Unprocessable Content", "Some fields are not valid");
	}
	return 0;
}

const entity_def translation_segments = {
	.name = "translation-segments", .table = "translation_segments", .label = N_("sentence"),
	.fields = segment_fields, .nfields = COUNT(segment_fields),
	.read = WHO_STAFF, .update = WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR), .archive = NOBODY,
	.area_creates = WHO_EDITORS, .parent = "job",
	.default_sort = "position", .validate = segment_rules, .after_write = into_memory, .indexes = segment_indexes,
	.heading = N_("Sentences"), .columns = segment_columns,
};
