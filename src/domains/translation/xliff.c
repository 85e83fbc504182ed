/*
 * xliff — a translation job taken to a desktop tool (OmegaT, Trados,
 * memoQ) as XLIFF, and brought back.
 *
 *   GET  /api/v1/translation-jobs/{id}/xliff?version=1.2|2.0   the job as a file
 *   PUT  /api/v1/translation-jobs/{id}/xliff                   the file back, as the body
 *   GET  /translation-jobs/{id}                                the job's page, with both
 *   POST /translation-jobs/{id}/xliff                          the page's upload form
 *
 * A segment goes out as a unit whose id is its position in the job, with
 * its target and state (formats/xliff.h maps them); the file's original is
 * the job's document symbol, or "job-ID" for a text of its own.
 *
 * A file that comes back must be the job's (xliff_compare: its languages,
 * its original, the same segments with the same sources), or it is refused
 * with its line and why, before anything is written.  Then every segment
 * whose target or state the file changed is updated through the model as
 * the caller, in one transaction: the segments' own rules decide (tags in
 * place, only the job's assignees and the translation managers write), and
 * one refusal leaves every segment as it was, naming the segment refused.
 * Each update asks for the version the file was compared with, so that a
 * segment changed meanwhile in Liaison is not overwritten unseen.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fold.h"
#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/xliff.h"
#include "model/access.h"
#include "web/web.h"

static const char *const state_names[] = { [XLIFF_NEW] = "new", [XLIFF_TRANSLATED] = "translated",
					   [XLIFF_REVIEWED] = "reviewed" };

static xliff_state state_of(const char *name)
{
	for (size_t i = 0; i < COUNT(state_names); i++)
		if (name && !strcmp(name, state_names[i]))
			return (xliff_state)i;
	return XLIFF_NEW;
}

/* ---- a job as the codec sees it ------------------------------------------------------------ */

/* A segment's record, beside its xliff_segment. */
typedef struct sentence {
	int64_t id, version;
} sentence;

typedef struct job_text {
	record job;
	xliff_job head;
	buf segs;        /* xliff_segment, by position */
	buf sentences;   /* sentence, the same order */
	size_t n;
} job_text;

#define JOB_TEXT_INIT { .segs = BUF_INIT, .sentences = BUF_INIT }

static xliff_segment *segments_of(const job_text *t) { return (xliff_segment *)t->segs.data; }
static sentence *sentences_of(const job_text *t) { return (sentence *)t->sentences.data; }

static void job_text_free(job_text *t)
{
	buf_free(&t->segs);
	buf_free(&t->sentences);
}

typedef struct segment_rows {
	model_ctx *m;
	job_text *t;
} segment_rows;

static int take_segment(void *ctx, store_row *row)
{
	segment_rows *k = ctx;
	arena *a = &k->m->a;
	size_t n;
	const char *source = store_text(row, 3, &n);
	xliff_segment s = { .id = (int)store_int(row, 2), .source = source ? arena_strndup(a, source, n) : "" };
	const char *target = store_text(row, 4, &n);
	s.target = target ? arena_strndup(a, target, n) : NULL;
	s.state = state_of(store_text(row, 5, NULL));
	sentence id = { store_int(row, 0), store_int(row, 1) };
	buf_add(&k->t->segs, &s, sizeof s);
	buf_add(&k->t->sentences, &id, sizeof id);
	k->t->n++;
	return 0;
}

/* The job named id, as m's user may read it, with its segments in order. */
static int load_job(model_ctx *m, store_conn *c, const char *id, job_text *t)
{
	if (model_find(m, c, registry_find(m->reg, "translation-jobs"), id, &t->job))
		return -1;
	const char *origin = record_text(&t->job, "origin");
	t->head = (xliff_job){ record_text(&t->job, "source_language"), record_text(&t->job, "target_language"),
			       origin && *origin ? origin : arena_printf(&m->a, "job-%" PRId64, t->job.v[COL_ID].i),
			       record_text(&t->job, "title") };
	segment_rows k = { m, t };
	store_cond w[] = { COND_EQ("job", t->job.v[COL_ID]), COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "position" }, { "id" } };
	store_select q = { .table = translation_segments.table,
			   .cols = (const char *[]){ "id", "version", "position", "source", "target", "state" }, .ncols = 6,
			   .where = w, .nwhere = (int)COUNT(w), .order = by, .norder = (int)COUNT(by) };
	if (store_query(c, &q, take_segment, &k) != STORE_OK)
		return model_fail(m, 500, "Store error", "the job's segments could not be read");
	return 0;
}

/* The segment of the job whose position is id, or -1: the segments are in order of position. */
static long segment_at(const job_text *t, int id)
{
	const xliff_segment *s = segments_of(t);
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && s[lo].id == id ? (long)lo : -1;
}

/* The translation memory's matches for segment s, offered in the file as
 * alternatives: the exact ones (in context first), then fuzzy ones from 70,
 * best first, up to XLIFF_MATCHES_MAX. */
static int memory_matches(model_ctx *m, store_conn *c, const job_text *t, xliff_segment *s)
{
	const xliff_segment *all = segments_of(t);
	size_t i = (size_t)(s - all);
	tm_query q = { t->head.source_lang, t->head.target_lang, s->source, i > 0 ? all[i - 1].source : NULL,
		       i + 1 < t->n ? all[i + 1].source : NULL, 70, XLIFF_MATCHES_MAX };
	tm_match *best = NULL;
	size_t n = 0;
	char err[200];
	s->nmatches = 0;
	if (memory_best(c, &q, &m->a, &best, &n, err, sizeof err))
		return model_fail(m, 500, "Memory error", "the translation memory could not be read: %s", err);
	for (size_t k = 0; k < n; k++)
		s->matches[s->nmatches++] = (xliff_match){ best[k].source, best[k].target, best[k].score,
							   best[k].origin && *best[k].origin ? best[k].origin : "memory" };
	return 0;
}

/* ---- the job out ----------------------------------------------------------------------------- */

static int append(void *ctx, const char *data, size_t n)
{
	buf_add(ctx, data, n);
	return 0;
}

/* 1.2 when not asked; 0, or -1 when asked for another. */
static int version_asked(const char *asked, xliff_version *v)
{
	*v = XLIFF_12;
	if (!asked || !strcmp(asked, "1.2"))
		return 0;
	*v = XLIFF_20;
	return strcmp(asked, "2.0") ? -1 : 0;
}

/* The file's name: the job's symbol, else its title, with no character a
 * file system or a header could mind ("C/115/7" gives "C-115-7"), then the
 * target language: "C-115-7.fr.xlf". */
static const char *download_name(request *r, const job_text *t)
{
	const char *origin = record_text(&t->job, "origin"), *title = record_text(&t->job, "title");
	buf from = BUF_INIT, name = BUF_INIT;
	if (origin && *origin)
		buf_puts(&from, origin);
	else if (title) /* a title may have accents and spaces: folded to plain words */
		text_fold(&from, title, strlen(title));
	for (size_t i = 0; i < from.len && name.len < 80; i++) {
		char ch = from.data[i];
		int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
		if (plain)
			buf_putc(&name, ch);
		else if (name.len && name.data[name.len - 1] != '-')
			buf_putc(&name, '-');
	}
	while (name.len && name.data[name.len - 1] == '-')
		name.len--;
	const char *base = name.len ? arena_strndup(&r->a, name.data, name.len)
				    : arena_printf(&r->a, "job-%" PRId64, t->job.v[COL_ID].i);
	buf_free(&from);
	buf_free(&name);
	return arena_printf(&r->a, "%s.%s.xlf", base, t->head.target_lang);
}

/* Writes the job as XLIFF into the answer; 0, or -1 with m's error. */
static int write_job(request *r, model_ctx *m, store_conn *c, job_text *t, xliff_version v)
{
	xliff_segment *segs = segments_of(t);
	for (size_t i = 0; i < t->n; i++)
		if (memory_matches(m, c, t, &segs[i]))
			return -1;
	xliff_error err;
	buf_reset(&r->out);
	if (xliff_write(v, &t->head, segs, t->n, append, &r->out, &err)) {
		buf_reset(&r->out);
		return model_fail(m, 500, "Not written", "the job could not be written as XLIFF: %s", err.message);
	}
	r->status = 200;
	r->content_type = "application/xliff+xml";
	http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s\"", download_name(r, t)));
	return 0;
}

void translation_xliff_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	xliff_version v;
	job_text t = JOB_TEXT_INIT;
	store_conn *c = store_reader(r->app->st);
	if (version_asked(http_query(r, "version"), &v))
		http_problem(r, 400, "Bad Request", "version=%s: Liaison writes XLIFF 1.2 and 2.0 (version=1.2 or 2.0)",
			     http_query(r, "version"));
	else if (!c)
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
	else if (load_job(&m, c, r->params[0], &t) || write_job(r, &m, c, &t, v))
		http_model(r, &m);
	job_text_free(&t);
	model_done(&m);
}

/* ---- the file back ------------------------------------------------------------------------- */

/* A segment the file changes: its target and state as the file has them. */
typedef struct change {
	size_t at;          /* in the job's segments */
	const char *target;
	xliff_state state;
	long line;          /* of its unit in the file */
} change;

/* What an import did, or where it stopped. */
typedef struct import_result {
	size_t segments, changed;
	int refused;        /* the position of the segment the model refused, 0 when none was */
	long line;          /* its unit's line in the file */
} import_result;

typedef struct reading {
	model_ctx *m;
	const job_text *t;
	buf changes;        /* change */
} reading;

static int take_change(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f;
	reading *k = ctx;
	long at = segment_at(k->t, u->id);
	if (at < 0) /* xliff_compare found every unit in the job: never, then */
		return 1;
	const xliff_segment *s = &segments_of(k->t)[at];
	if (!strcmp(s->target ? s->target : "", u->target) && s->state == u->state)
		return 0;
	change ch = { (size_t)at, arena_strdup(&k->m->a, u->target), u->state, u->line };
	buf_add(&k->changes, &ch, sizeof ch);
	return 0;
}

/* Whether m's user may change the job's segments: the segments' own rule,
 * asked of the first (each asks its job), so that a file that changes
 * nothing is refused to whoever may not change the job as well. */
static int may_import(model_ctx *m, store_conn *c, const job_text *t)
{
	const entity *e = registry_find(m->reg, "translation-segments");
	record first;
	if (!t->n)
		return 0;
	if (model_load(m, c, e, sentences_of(t)[0].id, &first))
		return -1;
	if (!access_kind(m->u, e, OP_UPDATE) || !access_record(m, c, e, &first, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "only the job's translator and reviser and the translation managers "
				  "may change its sentences");
	return 0;
}

/* The file is the job's: 0, or -1 with m's error (422) naming the line and why. */
static int file_is_the_job_s(model_ctx *m, const job_text *t, const char *xml, size_t n)
{
	xliff_error why;
	int rc = xliff_compare(xml, n, &t->head, segments_of(t), t->n, &why);
	if (rc < 0)
		return model_fail(m, 422, "File not read", "%s", why.message);
	if (rc > 0)
		return model_fail(m, 422, "Not the job's file", "%s", why.message);
	return 0;
}

/* The segment refused, named in m's detail with the model's first reason. */
static void name_refused(model_ctx *m, const job_text *t, const change *ch, import_result *res)
{
	res->refused = segments_of(t)[ch->at].id;
	res->line = ch->line;
	const char *why = m->nerrors ? arena_printf(&m->a, "%s %s", m->errors[0].field, m->errors[0].message) : m->detail;
	m->detail = arena_printf(&m->a, "line %ld: segment %d: %s", ch->line, res->refused, why ? why : "refused");
}

/* Every change, in one transaction: all of them, or none. */
static int write_changes(model_ctx *m, const job_text *t, const change *chs, size_t n, import_result *res)
{
	if (!n)
		return 0;
	const entity *e = registry_find(m->reg, "translation-segments");
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	for (size_t i = 0; i < n; i++) {
		const sentence *s = &sentences_of(t)[chs[i].at];
		json_t *patch = json_pack("{s:o, s:s}", "target", *chs[i].target ? json_string(chs[i].target) : json_null(),
					  "state", state_names[chs[i].state]);
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, s->id);
		record after;
		int rc = patch ? model_update_in(m, c, e, id, s->version, patch, &after)
			       : model_fail(m, 422, "Not taken", "the target is not UTF-8 text");
		json_decref(patch);
		if (rc) {
			name_refused(m, t, &chs[i], res);
			store_rollback(c);
			return -1;
		}
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the changes could not be committed");
	return 0;
}

/* Brings the file (n bytes, declared as content_type, or NULL) back into
 * the job named job_id as m's user: 0 with res filled, or -1 with m's
 * error (and res->refused when a segment was refused). */
static int import_file(model_ctx *m, const char *job_id, const char *xml, size_t n, const char *content_type,
		       import_result *res)
{
	job_text t = JOB_TEXT_INIT;
	reading k = { m, &t, BUF_INIT };
	store_conn *reader = store_reader(m->st);
	xliff_error why;
	int rc = -1;
	*res = (import_result){ 0 };
	if (!reader) {
		model_fail(m, 503, "Store unavailable", "the database cannot be opened");
		goto done;
	}
	if (load_job(m, reader, job_id, &t) || may_import(m, reader, &t))
		goto done;
	if (!n) {
		model_fail(m, 400, "Empty file", "the body is empty: send the job's XLIFF file");
		goto done;
	}
	if (!http_xml_declared(content_type)) {
		model_fail(m, 415, "Not XML", "the body is declared as %s: send application/xliff+xml or application/xml",
			   content_type);
		goto done;
	}
	const char *status = record_text(&t.job, "status");
	if (status && !strcmp(status, "done")) {
		model_fail(m, 409, "Job finished", "the job is finished; its translation is the document's version now");
		goto done;
	}
	if (file_is_the_job_s(m, &t, xml, n))
		goto done;
	xliff_reader_cb cb = { NULL, take_change, &k };
	int read = xliff_read(xml, n, &cb, &why);
	if (read) { /* the file was read whole once: the same bytes are read the same way again */
		model_fail(m, 500, "File not read", "%s", read < 0 ? why.message : "a unit not in the job on a second reading");
		goto done;
	}
	res->segments = t.n;
	res->changed = k.changes.len / sizeof(change);
	rc = write_changes(m, &t, (const change *)k.changes.data, res->changed, res);
done:
	buf_free(&k.changes);
	job_text_free(&t);
	return rc;
}

void translation_xliff_put(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	import_result res;
	if (import_file(&m, r->params[0], r->body_in.data, r->body_in.len, http_header(r, "Content-Type"), &res)) {
		http_model(r, &m);
	} else {
		buf out = BUF_INIT;
		buf_printf(&out, "{\"segments\": %zu, \"changed\": %zu}", res.segments, res.changed);
		http_json(r, 200, &out);
		buf_free(&out);
	}
	model_done(&m);
}


/* ---- the job's page ------------------------------------------------------------------------ */

/* Why an import from the page was refused, in the reader's language; the
 * file's place and the codec's reason stay as the codec says them. */
static const char *refusal_text(page *p, const model_ctx *m, const import_result *res)
{
	arena *a = &p->r->a;
	const char *detail = m->detail ? m->detail : "";
	switch (m->status) {
	case 400: return page_tr(p, N_("Choose the job's XLIFF file to send."));
	case 403: return page_tr(p, N_("Only the job's translator and reviser and the translation managers may change its sentences."));
	case 409: return page_tr(p, N_("The job is finished; its translation is the document's version now."));
	case 415: return page_tr(p, N_("The file is not an XLIFF file."));
	default: break;
	}
	if (res->refused)
		return arena_printf(a, page_tr(p, N_("Sentence %d (line %ld of the file) was refused, so no sentence was changed: %s")),
				    res->refused, res->line,
				    m->nerrors ? field_error_text(p, m->errors[0].message) : detail);
	if (m->status == 422)
		return arena_printf(a, "%s %s", page_tr(p, N_("The file is not this job's as it was downloaded, so no sentence was changed:")),
				    detail);
	return page_tr(p, N_("The file could not be taken; no sentence was changed."));
}

/* The job's page: the record's own, with the XLIFF download and upload;
 * notice or error the outcome of an upload, status its answer. */
static void render_job(page *p, const char *notice, const char *error, int status)
{
	const entity *e = registry_find(&p->r->app->reg, "translation-jobs");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	arena *a = &p->r->a;
	json_object_set_new(p->ctx, "xliff12_href",
			    json_string(arena_printf(a, "/api/v1/translation-jobs/%" JSON_INTEGER_FORMAT "/xliff?version=1.2", id)));
	json_object_set_new(p->ctx, "xliff20_href",
			    json_string(arena_printf(a, "/api/v1/translation-jobs/%" JSON_INTEGER_FORMAT "/xliff?version=2.0", id)));
	/* The form for who may change sentences at all; whether this job's, the file's coming asks */
	const char *state = json_string_value(json_object_get(rec, "status"));
	if ((!state || strcmp(state, "done") != 0) &&
	    access_kind(page_user(p), registry_find(&p->r->app->reg, "translation-segments"), OP_UPDATE))
		json_object_set_new(p->ctx, "xliff_action",
				    json_string(arena_printf(a, "/translation-jobs/%" JSON_INTEGER_FORMAT "/xliff", id)));
	if (notice)
		json_object_set_new(p->ctx, "notice", json_string(notice));
	if (error)
		json_object_set_new(p->ctx, "error", json_string(error));
	translation_job_view(p, rec);
	records_detail_render(p, e, rec, "translation_job");
	p->r->status = status; /* the page as it is, answering for the upload that came back to it */
	json_decref(rec);
}

static void job_body(page *p, model_ctx *m)
{
	(void)m;
	const char *changed = page_query(p, "xliff_changed"), *segments = page_query(p, "xliff_segments");
	const char *notice = NULL;
	if (changed && segments)
		notice = arena_printf(&p->r->a, page_tr(p, N_("The file was taken; sentences changed: %lld of %lld.")),
				      strtoll(changed, NULL, 10), strtoll(segments, NULL, 10));
	render_job(p, notice, NULL, 200);
}

void translation_job_page(request *r) { page_run(r, PAGE_SIGNED_IN, job_body); }

/* The page's upload: the file sent, then back to the job's page with what became of it. */
static void upload_body(page *p, model_ctx *m)
{
	size_t len = 0;
	const char *data = page_file(p, "file", &len), *job = p->r->params[0];
	import_result res;
	if (import_file(m, job, data, data ? len : 0, NULL, &res) == 0)
		page_redirect(p, arena_printf(&p->r->a, "/translation-jobs/%s?xliff_changed=%zu&xliff_segments=%zu", job,
					      res.changed, res.segments));
	else if (m->status == 404 || m->status >= 500)
		page_model_error(p, m);
	else
		render_job(p, NULL, refusal_text(p, m, &res), m->status);
}

void translation_xliff_page(request *r) { page_run(r, PAGE_SIGNED_IN, upload_body); }
