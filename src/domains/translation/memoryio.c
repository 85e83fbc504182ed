/*
 * memoryio — the translation memory in and out as TMX 1.4, for the API and
 * the command line alike.
 *
 * An import reads the file as a stream (formats/tmx.h) and adds its units
 * in one transaction: each <tu>'s variant in the source language paired
 * with each of its variants in another of Liaison's languages (variants in
 * other languages are counted and left out).  A file refused anywhere — a
 * broken tag on line 90,000, a unit without its source — leaves nothing
 * behind: the transaction is rolled back, and the refusal names the line.
 *
 * An export writes one language pair's units in the order they were saved,
 * read a page at a time by id, so that a memory of millions of units needs
 * no more memory than a page; what Liaison knows of a unit beyond its two
 * texts (the document symbol, the job) goes into <prop type="x-...">.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/tmx.h"

static int liaison_lang(const char *lang) { return enum_index(registry_langs, lang) >= 0; }

/* ---- import -------------------------------------------------------------------------------- */

typedef struct importing {
	store_conn *c;
	tm_batch *batch;
	char srclang[TMX_LANG_MAX];   /* the header's language tag, or "" for *all* */
	const char *origin;    /* the caller's, for units that name none */
	memory_imported *out;
} importing;

static int on_header(void *ctx, const tmx_header *h)
{
	importing *k = ctx;
	snprintf(k->srclang, sizeof k->srclang, "%s", h->srclang && strcmp(h->srclang, "*all*") ? h->srclang : "");
	return 0;
}

static const char *prop(const tmx_unit *u, const char *name)
{
	for (size_t i = 0; i < u->nprops; i++)
		if (!strcmp(u->props[i].name, name))
			return u->props[i].value;
	return NULL;
}

/* The unit's source variant: the header's language, else the first of Liaison's. */
static const tmx_variant *source_of(const importing *k, const tmx_unit *u)
{
	for (size_t i = 0; i < u->nvariants; i++)
		if (*k->srclang && !strncasecmp(u->variants[i].tag, k->srclang, strlen(k->srclang)) &&
		    liaison_lang(u->variants[i].lang))
			return &u->variants[i];
	for (size_t i = 0; i < u->nvariants; i++)
		if (liaison_lang(u->variants[i].lang))
			return &u->variants[i];
	return NULL;
}

static int on_unit(void *ctx, const tmx_unit *u)
{
	importing *k = ctx;
	const tmx_variant *src = source_of(k, u);
	if (!src) {
		k->out->skipped += (int64_t)u->nvariants;
		return 0;
	}
	const char *origin = prop(u, "origin");
	const char *job = prop(u, "job");
	for (size_t i = 0; i < u->nvariants; i++) {
		const tmx_variant *v = &u->variants[i];
		if (v == src || !strcmp(v->lang, src->lang))
			continue;
		if (!liaison_lang(v->lang) || !*v->text || !*src->text) {
			k->out->skipped++;
			continue;
		}
		tm_unit unit = {
			.source_lang = src->lang, .target_lang = v->lang, .source = src->text, .target = v->text,
			.origin = origin ? origin : k->origin, .job = job ? atoll(job) : 0,
			.translator = *u->changer ? u->changer : u->creator,
			.created_at = *u->changed ? u->changed : *u->created ? u->created : NULL,
		};
		char why[200];
		int64_t id = 0;
		if (tm_batch_add(k->batch, &unit, &id, why, sizeof why) ||
		    (concordance_add(k->c, id, unit.source_lang, unit.source, unit.target_lang, unit.target) &&
		     snprintf(why, sizeof why, "its words could not be indexed"))) {
			snprintf(k->out->error, sizeof k->out->error, "line %ld: %s", u->line, why);
			k->out->line = u->line;
			return 1;
		}
		k->out->units++;
	}
	return 0;
}

int memory_import(store *st, const char *data, size_t len, int fd, const char *origin, memory_imported *out)
{
	memset(out, 0, sizeof *out);
	store_conn *c = store_begin(st);
	if (!c) {
		snprintf(out->error, sizeof out->error, "the database is busy; try again");
		return -1;
	}
	importing k = { .c = c, .batch = tm_batch_begin(c), .origin = origin ? origin : "", .out = out };
	tmx_reader_opts o = { on_header, on_unit, &k, NULL };
	tmx_error err = { 0 };
	int rc = data ? tmx_read_memory(data, len, &o, &err) : tmx_read_fd(fd, &o, &err);
	if (rc < 0) {
		out->line = err.line;
		snprintf(out->error, sizeof out->error, "%s%s", err.line ? "" : "", err.reason);
		if (err.line)
			snprintf(out->error, sizeof out->error, "line %ld: %s", err.line, err.reason);
	}
	char why[200];
	if (rc != 0) {
		tm_batch_abandon(k.batch);
		store_rollback(c);
		return -1;
	}
	if (tm_batch_end(k.batch, why, sizeof why) || store_commit(c) != STORE_OK) {
		if (!*why)
			snprintf(why, sizeof why, "the units could not be saved");
		snprintf(out->error, sizeof out->error, "%s", why);
		return -1;
	}
	return 0;
}

/* ---- export -------------------------------------------------------------------------------- */

typedef struct exporting {
	tmx_writer *w;
	const char *from, *to;
	int64_t last, n;
	tmx_error err;
	int failed;
} exporting;

static int write_unit(void *ctx, store_row *row)
{
	exporting *k = ctx;
	k->last = store_int(row, 0);
	size_t sn, tn;
	const char *source = store_text(row, 1, &sn), *target = store_text(row, 2, &tn);
	const char *origin = store_text(row, 3, NULL), *translator = store_text(row, 4, NULL);
	const char *created = store_text(row, 5, NULL);
	int64_t job = store_int(row, 6);
	tmx_variant v[2] = { { .text = source, .len = sn }, { .text = target, .len = tn } };
	snprintf(v[0].lang, sizeof v[0].lang, "%s", k->from);
	snprintf(v[1].lang, sizeof v[1].lang, "%s", k->to);
	char jobtext[24];
	snprintf(jobtext, sizeof jobtext, "%" PRId64, job);
	tmx_prop props[2];
	size_t nprops = 0;
	if (origin && *origin)
		props[nprops++] = (tmx_prop){ "origin", origin };
	if (job > 0)
		props[nprops++] = (tmx_prop){ "job", jobtext };
	tmx_unit u = { .tuid = "", .creator = translator ? translator : "", .changer = "", .variants = v, .nvariants = 2,
		       .props = props, .nprops = nprops };
	snprintf(u.created, sizeof u.created, "%s", created ? created : "");
	u.changed[0] = '\0';
	if (tmx_writer_unit(k->w, &u, &k->err))
		return k->failed = 1;
	k->n++;
	return 0;
}

int memory_export(store *st, const char *from, const char *to, tmx_write_fn write, void *ctx, int64_t *count, char *err,
		  size_t errlen)
{
	tmx_header h = { .srclang = from, .adminlang = "en" };
	exporting k = { .from = from, .to = to };
	k.w = tmx_writer_open(&h, write, ctx, &k.err);
	if (!k.w) {
		snprintf(err, errlen, "%s", k.err.reason);
		return -1;
	}
	store_conn *c = store_reader(st);
	for (int more = 1; more && c && !k.failed;) {
		int64_t before = k.n;
		store_cond w[] = { COND_EQ("source_lang", sv_text(from)), COND_EQ("target_lang", sv_text(to)),
				   COND("id", OP_GT, SV_INT_(k.last)) };
		store_order by[] = { { "id" } };
		store_select q = { .table = "tm_units",
				   .cols = (const char *[]){ "id", "source", "target", "origin", "translator", "created_at", "job" },
				   .ncols = 7, .where = w, .nwhere = 3, .order = by, .norder = 1, .limit = 1000 };
		if (store_query(c, &q, write_unit, &k) != STORE_OK && !k.failed) {
			snprintf(err, errlen, "the memory could not be read");
			tmx_writer_close(k.w, &k.err);
			return -1;
		}
		more = k.n - before == 1000;
	}
	int rc = tmx_writer_close(k.w, &k.err);
	if (k.failed || rc || !c) {
		snprintf(err, errlen, "%s", c ? k.err.reason : "the database cannot be read");
		return -1;
	}
	*count = k.n;
	return 0;
}
