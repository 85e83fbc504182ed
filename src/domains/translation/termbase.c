/*
 * termbase — the termbase in and out as TBX (formats/tbx.h), for the API
 * and the command line alike.
 *
 * Import.  Every concept of the file and its terms are created in one
 * transaction, through the kinds' own rules (model_create_in, as the
 * caller): a term without words, a language the termbase does not keep, a
 * field too long, or a file the codec refuses stops the import, which is
 * rolled back whole and reported as the file's line and the reason.  Each
 * concept is made in a model context of its own, so that a long file costs
 * the memory of one concept, not of the whole.  Nothing is compared with
 * what the termbase already holds: a term imported twice is there twice.
 *
 * Export.  The concepts the caller may read, a page at a time in the order
 * of their ids (a keyset: each page begins after the last id of the page
 * before), each page's terms read with one query over its range of ids, and
 * handed to the TBX writer, whose output goes to the caller's write
 * function in bounded pieces.  A page costs its own memory, whatever the
 * size of the termbase.
 *
 * What TBX carries of Liaison's concepts and terms: the subject field and
 * the English definition as the concept's; the French and Spanish
 * definitions with each term of their language that has none of its own
 * (as a language section's definition is read back); each term's text,
 * part of speech, status, definition, source and note.  A concept's source
 * and note, and a concept without any term (which TBX cannot hold), stay
 * behind.  A concept's id in the file is "c" and its record id.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "model/access.h"

#define PAGE_CONCEPTS 200   /* concepts read and written at a time */

/* ---- import -------------------------------------------------------------------------------- */

typedef struct importer {
	model_ctx *m;              /* the caller's: its user, and at the end the outcome */
	store_conn *c;             /* the writer, inside the import's transaction */
	const entity *concepts, *terms;
	termbase_counts *n;
	int status;                /* of the refusal: 422 for the file's fault, else the model's */
	char why[600];             /* the refusal's reason, after its line */
} importer;

/* TBX's parts of speech as the termbase's: a proper noun is a noun. */
static const char *part_of_speech(const char *pos)
{
	if (!pos || !*pos)
		return NULL;
	return strcmp(pos, "properNoun") == 0 ? "noun" : pos;
}

static const char *status_name(tbx_status s)
{
	switch (s) {
	case TBX_PREFERRED: return "preferred";
	case TBX_ADMITTED: return "admitted";
	case TBX_DEPRECATED: return "deprecated";
	default: return NULL;
	}
}

/* Sets name to s in o unless s is empty: the kinds' own defaults stand for what the file leaves out. */
static void set_text(json_t *o, const char *name, const char *s)
{
	if (s && *s)
		json_object_set_new(o, name, json_string(s));
}

/* What the model refused, as one line: its detail, or each field and what is wrong with it. */
static void model_reason(const model_ctx *one, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < one->nerrors && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s %s", i ? "; " : "", one->errors[i].field,
					 one->errors[i].message);
	if (!one->nerrors)
		snprintf(out, len, "%s", one->detail ? one->detail : "it could not be written");
}

/* Records the model's refusal of what on the concept at line. */
static void refuse(importer *im, const model_ctx *one, long line, const char *what)
{
	char reason[400];
	model_reason(one, reason, sizeof reason);
	im->status = one->nerrors || one->status == 422 || one->status == 409 ? 422 : one->status ? one->status : 500;
	snprintf(im->why, sizeof im->why, "line %ld: %s: %s", line, what, reason);
}

static int add_term(importer *im, model_ctx *one, const tbx_concept *c, const tbx_term *t, int64_t concept)
{
	json_t *body = json_object();
	record r;
	json_object_set_new(body, "concept", json_integer(concept));
	set_text(body, "language", t->lang);
	set_text(body, "text", t->text);
	set_text(body, "part_of_speech", part_of_speech(t->pos));
	set_text(body, "status", status_name(t->status));
	set_text(body, "definition", t->definition);
	set_text(body, "source", t->source);
	set_text(body, "note", t->note);
	int rc = model_create_in(one, im->c, im->terms, body, 0, &r);
	json_decref(body);
	if (rc) {
		char what[200];
		snprintf(what, sizeof what, "the term \"%.80s\" (%s)", t->text, t->lang);
		refuse(im, one, c->line, what);
		return -1;
	}
	im->n->terms++;
	return 0;
}

static int add_concept(importer *im, model_ctx *one, const tbx_concept *c)
{
	json_t *body = json_object();
	record r;
	set_text(body, "subject", c->subject);
	if (c->definition && *c->definition)
		json_object_set_new(body, "definition", json_pack("{s:s}", "en", c->definition));
	int rc = model_create_in(one, im->c, im->concepts, body, 0, &r);
	json_decref(body);
	if (rc) {
		refuse(im, one, c->line, "the concept");
		return -1;
	}
	int64_t id = r.v[COL_ID].i;
	for (size_t k = 0; k < c->nterms; k++)
		if (add_term(im, one, c, &c->terms[k], id))
			return -1;
	im->n->concepts++;
	return 0;
}

/* The codec's callback: one concept and its terms, in a model context of their own. */
static int on_concept(void *ctx, const tbx_concept *c)
{
	importer *im = ctx;
	model_ctx one;
	model_init(&one, im->m->st, im->m->reg, im->m->u);
	one.lang = im->m->lang;
	int rc = add_concept(im, &one, c);
	model_done(&one);
	return rc;
}

/* The whole file (data, or what fd reads when data is NULL) in one transaction; see translation.h. */
static int import(model_ctx *m, const char *data, size_t len, int fd, termbase_counts *n)
{
	*n = (termbase_counts){ 0 };
	importer im = { .m = m, .concepts = registry_find(m->reg, "concepts"), .terms = registry_find(m->reg, "terms"),
			.n = n };
	if (!access_kind(m->u, im.concepts, OP_CREATE) || !access_kind(m->u, im.terms, OP_CREATE))
		return model_fail(m, 403, "Forbidden", "your role may not add concepts and terms to the termbase");
	if (!(im.c = store_begin(m->st)))
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	tbx_reader_opts o = { on_concept, &im, registry_langs };
	tbx_error err;
	int rc = data ? tbx_read_memory(data, len, &o, &err) : tbx_read_fd(fd, &o, &err);
	if (rc != 0) {
		store_rollback(im.c);
		*n = (termbase_counts){ 0 };
		buf_reset(&m->body);
		buf_printf(&m->body, "\"line\":%ld", err.line);   /* the problem's member: where in the file */
		if (rc < 0)
			return model_fail(m, 422, "Unprocessable Content", "line %ld: %s", err.line, err.reason);
		return model_fail(m, im.status, im.status == 422 ? "Unprocessable Content" : "Import failed", "%s", im.why);
	}
	if (store_commit(im.c) != STORE_OK) {
		*n = (termbase_counts){ 0 };
		return model_fail(m, 500, "Store error", "the import could not be committed");
	}
	return 0;
}

int termbase_import_memory(model_ctx *m, const char *data, size_t len, termbase_counts *n)
{
	return import(m, data ? data : "", len, -1, n);
}

int termbase_import_fd(model_ctx *m, int fd, termbase_counts *n)
{
	return import(m, NULL, 0, fd, n);
}

/* ---- export -------------------------------------------------------------------------------- */

struct termbase_export {
	tbx_writer *w;               /* NULL once the document is closed */
	xmlstream_write_fn write;
	void *ctx;
	int discard;                 /* what the writer still hands on is dropped (an export given up) */
	int64_t after;               /* the last concept written: the next page begins after it */
	size_t concepts;
};

static int hand_on(void *ctx, const char *data, size_t len)
{
	termbase_export *x = ctx;
	return x->discard ? 0 : x->write(x->ctx, data, len);
}

termbase_export *termbase_export_open(xmlstream_write_fn write, void *ctx)
{
	termbase_export *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	*x = (termbase_export){ .write = write, .ctx = ctx };
	tbx_error err;
	x->w = tbx_writer_open("en", "Liaison termbase", hand_on, x, &err);
	if (!x->w) {
		free(x);
		return NULL;
	}
	return x;
}

/* A page's concepts as read, with their terms gathered after them. */
typedef struct page {
	model_ctx *m;
	tbx_concept *c;
	int64_t *ids;                      /* each concept's record id, in order */
	const char **defs_fr, **defs_es;   /* each concept's other definitions, "" when none */
	tbx_term *terms;
	size_t n, nterms, capterms;
	size_t *first, *count;             /* each concept's terms in terms[] */
} page;

static const char *row_text(page *p, store_row *row, int col)
{
	size_t len;
	const char *s = store_text(row, col, &len);
	return s ? arena_strndup(&p->m->a, s, len) : "";
}

static int take_concept(void *ctx, store_row *row)
{
	page *p = ctx;
	tbx_concept *c = &p->c[p->n];
	int64_t id = p->ids[p->n] = store_int(row, 0);
	*c = (tbx_concept){ .id = arena_printf(&p->m->a, "c%" PRId64, id), .subject = row_text(p, row, 1),
			    .definition = row_text(p, row, 2) };
	p->defs_fr[p->n] = row_text(p, row, 3);
	p->defs_es[p->n] = row_text(p, row, 4);
	p->n++;
	return 0;
}

/* The concept of the page whose id is id, by a binary search over the page's ids in order. */
static long concept_at(const page *p, int64_t id)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->ids[mid] == id)
			return (long)mid;
		if (p->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int take_term(void *ctx, store_row *row)
{
	page *p = ctx;
	long k = concept_at(p, store_int(row, 0));
	if (k < 0)
		return 0;   /* a concept the page left out: archived, or not the reader's */
	if (p->nterms == p->capterms) {
		size_t cap = p->capterms ? 2 * p->capterms : 256;
		tbx_term *more = arena_alloc(&p->m->a, cap * sizeof *more);
		if (p->nterms)
			memcpy(more, p->terms, p->nterms * sizeof *more);
		p->terms = more, p->capterms = cap;
	}
	tbx_term *t = &p->terms[p->nterms];
	*t = (tbx_term){ .text = row_text(p, row, 2), .pos = row_text(p, row, 3), .definition = row_text(p, row, 5),
			 .source = row_text(p, row, 6), .note = row_text(p, row, 7) };
	snprintf(t->lang, sizeof t->lang, "%s", row_text(p, row, 1));
	const char *status = row_text(p, row, 4);
	t->status = !strcmp(status, "preferred") ? TBX_PREFERRED : !strcmp(status, "deprecated") ? TBX_DEPRECATED
		  : !strcmp(status, "admitted")	 ? TBX_ADMITTED
						 : TBX_STATUS_NONE;
	if (!*t->definition)   /* the concept's definition in the term's language, as TBX reads it back */
		t->definition = !strcmp(t->lang, "fr") ? p->defs_fr[k] : !strcmp(t->lang, "es") ? p->defs_es[k] : "";
	if (p->count[k] == 0)
		p->first[k] = p->nterms;
	p->count[k]++;
	p->nterms++;
	return 0;
}

static int read_concepts(termbase_export *x, model_ctx *m, page *p)
{
	const entity *e = registry_find(m->reg, "concepts");
	store_cond w[4] = { COND_EQ("archived", SV_INT_(0)), COND("id", OP_GT, SV_INT_(x->after)) };
	int nw = 2;
	access_visible(m, e, w, &nw);
	store_order by[] = { { "id" } };
	store_select q = { .table = "concepts",
			   .cols = (const char *[]){ "id", "subject", "definition_en", "definition_fr", "definition_es" },
			   .ncols = 5, .where = w, .nwhere = nw, .order = by, .norder = 1, .limit = PAGE_CONCEPTS };
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	return store_query(c, &q, take_concept, p) == STORE_OK ? 0
	       : model_fail(m, 500, "Store error", "the termbase's concepts could not be read");
}

/* Every term of the page's concepts, in one query over their range of ids. */
static int read_terms(model_ctx *m, page *p)
{
	store_cond w[] = { COND("concept", OP_GE, SV_INT_(p->ids[0])), COND("concept", OP_LE, SV_INT_(p->ids[p->n - 1])),
			   COND_EQ("archived", SV_INT_(0)) };
	store_order by[] = { { "concept" }, { "language" }, { "rank" }, { "id" } };
	store_select q = { .table = "terms",
			   .cols = (const char *[]){ "concept", "language", "text", "part_of_speech", "status", "definition",
						     "source", "note" },
			   .ncols = 8, .where = w, .nwhere = 3, .order = by, .norder = 4 };
	store_conn *c = store_reader(m->st);
	if (!c)
		return model_fail(m, 503, "Store unavailable", "the database cannot be opened");
	return store_query(c, &q, take_term, p) == STORE_OK ? 0
	       : model_fail(m, 500, "Store error", "the termbase's terms could not be read");
}

static int write_page(termbase_export *x, model_ctx *m, page *p)
{
	for (size_t k = 0; k < p->n; k++) {
		if (!p->count[k])
			continue;   /* TBX holds no concept without a term */
		p->c[k].terms = p->terms + p->first[k];
		p->c[k].nterms = p->count[k];
		tbx_error err;
		if (tbx_writer_concept(x->w, &p->c[k], &err))
			return model_fail(m, 500, "Export failed", "the concept %s could not be written: %s", p->c[k].id,
					  err.reason);
		x->concepts++;
	}
	return 0;
}

static int finish(termbase_export *x, model_ctx *m)
{
	if (x->concepts == 0)
		return model_fail(m, 404, "Not Found", "the termbase holds no concept with a term that you may read");
	tbx_error err;
	int rc = tbx_writer_close(x->w, &err);
	x->w = NULL;
	return rc ? model_fail(m, 500, "Export failed", "the termbase could not be written: %s", err.reason) : 0;
}

int termbase_export_page(termbase_export *x, model_ctx *m)
{
	if (!x->w)
		return 0;
	if (!access_kind(m->u, registry_find(m->reg, "concepts"), OP_READ))
		return model_fail(m, 403, "Forbidden", "your role may not read the termbase");
	page p = { .m = m };
	p.c = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.c);
	p.ids = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.ids);
	p.defs_fr = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.defs_fr);
	p.defs_es = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.defs_es);
	p.first = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.first);
	p.count = arena_alloc(&m->a, PAGE_CONCEPTS * sizeof *p.count);
	if (read_concepts(x, m, &p))
		return -1;
	if (p.n == 0)
		return finish(x, m) ? -1 : 0;
	if (read_terms(m, &p) || write_page(x, m, &p))
		return -1;
	x->after = p.ids[p.n - 1];
	if (p.n < PAGE_CONCEPTS)
		return finish(x, m) ? -1 : 0;
	return 1;
}

size_t termbase_exported(const termbase_export *x) { return x->concepts; }

void termbase_export_free(termbase_export *x)
{
	if (!x)
		return;
	if (x->w) {
		x->discard = 1;
		tbx_error err;
		tbx_writer_close(x->w, &err);
	}
	free(x);
}
