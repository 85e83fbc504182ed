/*
 * routes — the translation area's API beyond the generic one of its kinds:
 * the memory's matches for any sentence or for a job's sentence, the
 * leverage of a text or a job against the memory, and the memory in and
 * out as TMX, and its concordance.
 *
 * Staff read the memory; translators and the staff who edit records add to
 * it.  Offsets in a match's differences count characters (code points), as
 * people and pages count them, not bytes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/mt.h"
#include "model/access.h"

#define MATCHES_MAX 20

static int may_read_memory(request *r)
{
	if (access_is_staff(r->u))
		return 1;
	http_problem(r, 403, "Forbidden", "the translation memory is read by staff");
	return 0;
}

static int may_add_to_memory(request *r)
{
	if ((WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR)) & ROLE_BIT(r->u->role))
		return 1;
	http_problem(r, 403, "Forbidden", "translators and the staff who edit records add to the translation memory");
	return 0;
}

static int known_lang(const char *lang) { return lang && enum_index(registry_langs, lang) >= 0; }

/* The characters of s before byte off. */
static int64_t chars_before(const char *s, size_t off)
{
	int64_t n = 0;
	for (size_t i = 0; i < off && s[i]; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static json_t *span(const char *s, uint32_t off, uint32_t len)
{
	int64_t from = chars_before(s, off);
	return json_pack("{s:I, s:I}", "offset", (json_int_t)from, "length", (json_int_t)(chars_before(s, off + len) - from));
}

static json_t *match_json(const tm_match *t, const char *query)
{
	static const char *const ops[] = { "replace", "delete", "insert" };
	json_t *diffs = json_array();
	for (size_t i = 0; i < t->nmarks; i++) {
		const tm_mark *k = &t->marks[i];
		json_array_append_new(diffs, json_pack("{s:s, s:o, s:o}", "op", ops[k->op], "source",
						       span(t->source, k->cand_off, k->cand_len), "query",
						       span(query, k->query_off, k->query_len)));
	}
	return json_pack("{s:I, s:i, s:b, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)t->id, "score", t->score,
			 "adapted", t->adapted, "source", t->source, "target", t->target, "origin", t->origin ? t->origin : "",
			 "translator", t->translator ? t->translator : "", "created_at", t->created_at ? t->created_at : "",
			 "job", (json_int_t)t->job, "differences", diffs);
}

/* What the translator is offered (best.c), as JSON. */
static void answer_matches(request *r, const tm_query *q)
{
	store_conn *c = store_reader(r->app->st);
	tm_match *best = NULL;
	size_t n = 0;
	char err[200] = "";
	if (!c || memory_best(c, q, &r->a, &best, &n, err, sizeof err)) {
		http_problem(r, c && *err ? 422 : 503, c && *err ? "Unprocessable Content" : "Store busy", "%s",
			     *err ? err : "the database cannot be read now");
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, match_json(&best[i], q->source));
	json_t *answer = json_pack("{s:o}", "items", items);
	char *text = json_dumps(answer, JSON_COMPACT);
	buf b = BUF_INIT;
	buf_puts(&b, text ? text : "{}");
	http_json(r, 200, &b);
	buf_free(&b);
	free(text);
	json_decref(answer);
}

static int number_param(request *r, const char *name, int lo, int hi, int fallback, int *out)
{
	const char *s = http_query(r, name);
	char *end;
	long v = s ? strtol(s, &end, 10) : fallback;
	if (s && (*end || end == s || v < lo || v > hi)) {
		http_problem(r, 400, "Bad Request", "%s must be a whole number from %d to %d", name, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

void translation_matches(request *r)
{
	if (!may_read_memory(r))
		return;
	tm_query q = { http_query(r, "from"), http_query(r, "to"), http_query(r, "text"), http_query(r, "before"),
		       http_query(r, "after"), 0, 0 };
	if (!known_lang(q.source_lang) || !known_lang(q.target_lang) || !strcmp(q.source_lang, q.target_lang)) {
		http_problem(r, 400, "Bad Request", "from and to must be two of en, fr, es");
		return;
	}
	if (!q.source || !*q.source) {
		http_problem(r, 400, "Bad Request", "text is the sentence to look up");
		return;
	}
	if (number_param(r, "threshold", 1, 100, 50, &q.threshold) || number_param(r, "limit", 1, MATCHES_MAX, 5, &q.k))
		return;
	answer_matches(r, &q);
}

/* The neighbour of a job's sentence at position at, or NULL. */
static const char *neighbour(model_ctx *m, store_conn *c, int64_t job, int64_t at)
{
	store_cond w[] = { COND_EQ("job", SV_INT_(job)), COND_EQ("position", SV_INT_(at)), COND_EQ("archived", SV_INT_(0)) };
	record r;
	store_select q = { .table = translation_segments.table, .cols = (const char *[]){ "id" }, .ncols = 1, .where = w,
			   .nwhere = 3, .limit = 1 };
	model_ids ids = { 0 };
	if (model_select_ids(m, c, &q, &ids) != STORE_OK || ids.n == 0 ||
	    model_fetch(m, c, registry_find(m->reg, "translation-segments"), ids.v[0], &r) != 1)
		return NULL;
	return record_text(&r, "source");
}

void translation_segment_matches(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record seg, job;
	store_conn *c = store_reader(r->app->st);
	int limit;
	if (!may_read_memory(r) || number_param(r, "limit", 1, MATCHES_MAX, 5, &limit)) {
		model_done(&m);
		return;
	}
	if (!c || model_find(&m, c, registry_find(&r->app->reg, "translation-segments"), r->params[0], &seg) ||
	    model_load(&m, c, registry_find(&r->app->reg, "translation-jobs"), record_field(&seg, "job")->i, &job)) {
		http_model(r, &m);
		model_done(&m);
		return;
	}
	int64_t at = record_field(&seg, "position")->i, id = job.v[COL_ID].i;
	tm_query q = { record_text(&job, "source_language"), record_text(&job, "target_language"), record_text(&seg, "source"),
		       neighbour(&m, c, id, at - 1), neighbour(&m, c, id, at + 1), 50, limit };
	answer_matches(r, &q);
	model_done(&m);
}

static void answer_leverage(request *r, model_ctx *m, const char *from, const char *to, const char *text)
{
	store_conn *c = store_reader(r->app->st);
	leverage l;
	if (!c)
		model_fail(m, 503, "Store busy", "the database cannot be read now");
	else if (leverage_of(m, c, from, to, text, &l) == 0) {
		model_answer(m, leverage_json(&l));
	}
	http_model(r, m);
}

void translation_leverage(request *r)
{
	if (!may_read_memory(r) || http_json_body(r))
		return;
	const char *from = json_string_value(json_object_get(r->json, "from"));
	const char *to = json_string_value(json_object_get(r->json, "to"));
	const char *text = json_string_value(json_object_get(r->json, "text"));
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (!known_lang(from) || !known_lang(to) || !strcmp(from, to))
		model_field_error(&m, known_lang(from) ? "to" : "from", "must be one of en, fr, es, and from not the same as to");
	if (!text || !*text)
		model_field_error(&m, "text", "is required");
	if (m.nerrors) {
		model_fail(&m, 422, "Unprocessable Content", "Some fields are not valid");
		http_model(r, &m);
	} else {
		answer_leverage(r, &m, from, to, text);
	}
	model_done(&m);
}

void translation_job_leverage(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record job;
	if (!may_read_memory(r)) {
		model_done(&m);
		return;
	}
	if (model_read(&m, registry_find(&r->app->reg, "translation-jobs"), r->params[0], &job) == 0)
		answer_leverage(r, &m, record_text(&job, "source_language"), record_text(&job, "target_language"),
				record_text(&job, "source_text"));
	else
		http_model(r, &m);
	model_done(&m);
}

void translation_memory_import(request *r)
{
	if (!may_add_to_memory(r))
		return;
	if (r->body_in.len == 0) {
		http_problem(r, 400, "Bad Request", "the body is the TMX file to import, and it is empty");
		return;
	}
	if (!http_xml_declared(http_header(r, "Content-Type"))) {
		http_problem(r, 415, "Unsupported Media Type", "a TMX file is XML: send it as application/x-tmx+xml or application/xml");
		return;
	}
	memory_imported got;
	if (memory_import(r->app->st, r->body_in.data, r->body_in.len, -1, http_query(r, "origin"), &got)) {
		http_problem(r, got.line || strstr(got.error, "line") ? 422 : 503,
			     got.line || strstr(got.error, "line") ? "Unprocessable Content" : "Store busy", "%s; nothing was imported",
			     got.error);
		return;
	}
	buf b = BUF_INIT;
	buf_printf(&b, "{\"units\":%" PRId64 ",\"skipped\":%" PRId64 "}", got.units, got.skipped);
	http_json(r, 200, &b);
	buf_free(&b);
}

static int into_buf(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
	return 0;
}

void translation_memory_export(request *r)
{
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	if (!may_read_memory(r))
		return;
	if (!known_lang(from) || !known_lang(to) || !strcmp(from, to)) {
		http_problem(r, 400, "Bad Request", "from and to must be two of en, fr, es");
		return;
	}
	buf b = BUF_INIT;
	int64_t n = 0;
	char err[300];
	if (memory_export(r->app->st, from, to, into_buf, &b, &n, err, sizeof err)) {
		http_problem(r, 503, "Store busy", "%s", err);
	} else {
		http_text(r, 200, "application/x-tmx+xml", b.data ? b.data : "", b.len);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"memory.%s-%s.tmx\"", from, to));
	}
	buf_free(&b);
}

void translation_concordance(request *r)
{
	const char *lang = http_query(r, "lang"), *text = http_query(r, "text");
	int limit;
	if (!may_read_memory(r) || number_param(r, "limit", 1, 200, 50, &limit))
		return;
	if (!known_lang(lang) || !text || !*text) {
		http_problem(r, 400, "Bad Request", "text is the word or phrase to look up, lang its language: en, fr or es");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(r->app->st);
	json_t *items = NULL;
	if (!c)
		model_fail(&m, 503, "Store busy", "the database cannot be read now");
	else if (concordance_find(&m, c, lang, text, limit, &items) == 0) {
		model_answer(&m, json_pack("{s:o}", "items", items));
	}
	http_model(r, &m);
	model_done(&m);
}

/* A job's sentence and its job, read as the caller may: 0, or -1 answered. */
static int sentence_of(request *r, model_ctx *m, store_conn *c, record *seg, record *job)
{
	if (c && model_find(m, c, registry_find(&r->app->reg, "translation-segments"), r->params[0], seg) == 0 &&
	    model_load(m, c, registry_find(&r->app->reg, "translation-jobs"), record_field(seg, "job")->i, job) == 0)
		return 0;
	if (!c)
		model_fail(m, 503, "Store busy", "the database cannot be read now");
	http_model(r, m);
	return -1;
}

static void answer_json(request *r, model_ctx *m, json_t *answer)
{
	model_answer(m, answer);
	http_model(r, m);
}

void translation_segment_checks(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(r->app->st);
	record seg, job;
	if (http_json_body(r) == 0 && sentence_of(r, &m, c, &seg, &job) == 0) {
		json_t *given = json_object_get(r->json, "target");
		const char *target = json_is_string(given) ? json_string_value(given) : record_text(&seg, "target");
		const char *from = record_text(&job, "source_language"), *to = record_text(&job, "target_language");
		const char *source = record_text(&seg, "source");
		term_hit *hits = NULL;
		int nhits = terms_in(&m, c, from, source, to, &hits);
		checked in = { from, to, source, target ? target : "", hits, nhits < 0 ? 0 : nhits };
		if (nhits < 0)
			http_model(r, &m);
		else
			answer_json(r, &m, json_pack("{s:o}", "items", checks_of(&m.a, &in)));
	}
	model_done(&m);
}

void translation_segment_machine(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(r->app->st);
	record seg, job;
	if (sentence_of(r, &m, c, &seg, &job) == 0) {
		mt_options o = { 0 };
		mt_result res;
		size_t at;
		const char *source = record_text(&seg, "source");
		mt_error e = mt_translate(&o, record_text(&job, "source_language"), record_text(&job, "target_language"), source,
					  strlen(source), &res, &at);
		if (e == MT_OK) {
			answer_json(r, &m, json_pack("{s:s%, s:b, s:s}", "text", res.text, res.len, "pivot", res.pivot, "by",
						     "machine"));
			mt_result_free(&res);
		} else {
			http_problem(r, e == MT_TIMEOUT || e == MT_START || e == MT_FAILED ? 503 : 422,
				     e == MT_TIMEOUT || e == MT_START || e == MT_FAILED ? "Service Unavailable" : "Unprocessable Content",
				     "%s", mt_error_message(e));
		}
	}
	model_done(&m);
}
