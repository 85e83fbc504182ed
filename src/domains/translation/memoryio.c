/*
 * memoryio — the translation memory in and out as TMX 1.4, for the API and
 * the command line alike.
 *
 * An import reads the file as a stream (formats/tmx.h) and adds its units
 * in one transaction: each <tu>'s variant in the source language paired
 * with each of its variants in another of Liaison's languages (variants in
 * other languages are counted and left out); the reading and the work that
 * needs no database run on a thread of their own (see below), and the
 * concordance's index is written as a bulk load writes it.  A file refused anywhere — a
 * broken tag on line 90,000, a unit without its source — leaves nothing
 * behind: the transaction is rolled back, and the refusal names the line.
 *
 * An export writes one language pair's units in the order they were saved,
 * read a page at a time by id, so that a memory of millions of units needs
 * no more memory than a page; what Liaison knows of a unit beyond its two
 * texts (the document symbol, the job) goes into <prop type="x-...">.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/handoff.h"
#include "domains/translation/memory.h"
#include "domains/translation/translation.h"
#include "formats/tmx.h"
#include "store/tokenizer.h"


/* ---- import -------------------------------------------------------------------------------- */

/*
 * An import runs on two threads.  The reader, a thread of its own, reads
 * the file, pairs each unit's variants, makes each pair ready to save
 * (tm_ready_make: its tokens, keys and hashes) and tokenizes its words for
 * the concordance; the writer, the caller, which holds the transaction,
 * adds the pairs in the order they were read.  They meet at a queue
 * (core/handoff.h) of at most QUEUE_CHUNKS chunks of CHUNK_PAIRS pairs.
 * Either stops the other: the
 * writer at a pair it cannot save (the reader then stops at its next
 * chunk), the reader at a refused pair or the end of the file, which the
 * writer meets after the pairs before it — so the refusal named is the
 * first in the file, as when one thread read and wrote.
 */

#define CHUNK_PAIRS 256
#define QUEUE_CHUNKS 8

/* A unit's source and one of its targets, made ready, or why not (ready NULL). */
typedef struct pair {
	tm_unit unit;            /* its strings in the chunk's arena */
	tm_ready *ready;
	concordance_words words;
	long line;
	const char *why;
} pair;

typedef struct chunk {
	arena a;
	pair v[CHUNK_PAIRS];
	size_t n;
} chunk;

typedef struct importing {
	/* the reader's own */
	char srclang[TMX_LANG_MAX];   /* the header's language tag, or "" for *all* */
	const char *origin;           /* the caller's, for units that name none */
	const char *data;             /* the document, or NULL: read from fd */
	size_t len;
	int fd;
	search_tokenizer *words;
	chunk *filling;
	int64_t skipped;              /* read by the writer once the reader has ended */
	int rc;                       /* tmx_read_*'s */
	tmx_error err;
	handoff queue;                /* the chunks, from the reader to the writer */
} importing;

static int liaison_lang(const char *lang) { return enum_index(registry_langs, lang) >= 0; }

static void chunk_free(void *p)
{
	chunk *ch = p;
	for (size_t i = 0; i < ch->n; i++) {
		tm_ready_free(ch->v[i].ready);
		concordance_words_free(&ch->v[i].words);
	}
	arena_free(&ch->a);
	free(ch);
}

/* ---- the reader's side ---- */

/* The chunk being filled handed to the writer, waiting while the queue is
 * full; 1 when the writer wants no more. */
static int hand_over(importing *k)
{
	chunk *ch = k->filling;
	k->filling = NULL;
	return ch && handoff_give(&k->queue, ch, chunk_free);
}

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

/* The pair of src and v made ready in the chunk being filled; 0, or 1 when
 * it is refused (the writer will say why). */
static int pair_ready(importing *k, const tmx_unit *u, const tmx_variant *src, const tmx_variant *v)
{
	if (!k->filling && !(k->filling = calloc(1, sizeof *k->filling)))
		abort();
	chunk *ch = k->filling;
	pair *p = &ch->v[ch->n++];
	const char *origin = prop(u, "origin"), *job = prop(u, "job");
	const char *created = *u->changed ? u->changed : *u->created ? u->created : NULL;
	p->line = u->line;
	p->unit = (tm_unit){
		.source_lang = arena_strdup(&ch->a, src->lang), .target_lang = arena_strdup(&ch->a, v->lang),
		.source = arena_strdup(&ch->a, src->text), .target = arena_strdup(&ch->a, v->text),
		.origin = arena_strdup(&ch->a, origin ? origin : k->origin), .job = job ? atoll(job) : 0,
		.translator = arena_strdup(&ch->a, *u->changer ? u->changer : u->creator),
		.created_at = arena_strdup(&ch->a, created),
	};
	char why[200];
	p->ready = tm_ready_make(&p->unit, why, sizeof why);
	if (p->ready && concordance_words_of(k->words, p->unit.source_lang, p->unit.source, p->unit.target_lang,
					     p->unit.target, &p->words)) {
		tm_ready_free(p->ready);
		p->ready = NULL;
		snprintf(why, sizeof why, "its words could not be indexed");
	}
	if (!p->ready) {
		p->why = arena_strdup(&ch->a, why);
		return 1;
	}
	return 0;
}

static int on_unit(void *ctx, const tmx_unit *u)
{
	importing *k = ctx;
	const tmx_variant *src = source_of(k, u);
	if (!src) {
		k->skipped += (int64_t)u->nvariants;
		return 0;
	}
	for (size_t i = 0; i < u->nvariants; i++) {
		const tmx_variant *v = &u->variants[i];
		if (v == src || !strcmp(v->lang, src->lang))
			continue;
		if (!liaison_lang(v->lang) || !*v->text || !*src->text) {
			k->skipped++;
			continue;
		}
		if (pair_ready(k, u, src, v))
			return 1;
		if (k->filling->n == CHUNK_PAIRS && hand_over(k))
			return 1;
	}
	return 0;
}

static void *read_all(void *ctx)
{
	importing *k = ctx;
	tmx_reader_opts o = { on_header, on_unit, k, NULL };
	k->words = search_tokenizer_new("all");
	if (!k->words) {
		k->rc = -1;
		snprintf(k->err.reason, sizeof k->err.reason, "out of memory");
	} else {
		k->rc = k->data ? tmx_read_memory(k->data, k->len, &o, &k->err) : tmx_read_fd(k->fd, &o, &k->err);
	}
	hand_over(k);
	search_tokenizer_free(k->words);
	handoff_end(&k->queue);
	return NULL;
}

/* ---- the writer's side ---- */

/* The pairs of a chunk saved in order; 0, or -1 with out saying why. */
static int write_chunk(store_conn *c, tm_batch *b, const chunk *ch, memory_imported *out)
{
	for (size_t i = 0; i < ch->n; i++) {
		const pair *p = &ch->v[i];
		char why[200];
		int64_t id = 0;
		if (!p->ready)
			snprintf(why, sizeof why, "%s", p->why);
		if (!p->ready || tm_batch_add_ready(b, &p->unit, p->ready, &id, why, sizeof why) ||
		    (concordance_add_words(c, id, &p->words) && snprintf(why, sizeof why, "its words could not be indexed"))) {
			snprintf(out->error, sizeof out->error, "line %ld: %s", p->line, why);
			out->line = p->line;
			return -1;
		}
		out->units++;
	}
	return 0;
}

/* Everything the reader hands over saved, or drained once a pair could
 * not be; 0 or -1 as write_chunk. */
static int write_all(importing *k, store_conn *c, tm_batch *b, memory_imported *out)
{
	int rc = 0;
	for (chunk *ch; (ch = handoff_take(&k->queue));) {
		if (!rc && write_chunk(c, b, ch, out)) {
			rc = -1;
			handoff_stop(&k->queue);
		}
		chunk_free(ch);
	}
	return rc;
}

/* What the reader found wrong with the file, when the writer found nothing first. */
static int reading_refused(const importing *k, memory_imported *out)
{
	if (k->rc > 0 && !*out->error)
		snprintf(out->error, sizeof out->error, "the file could not be read to its end");
	if (k->rc >= 0)
		return k->rc;
	out->line = k->err.line;
	if (k->err.line)
		snprintf(out->error, sizeof out->error, "line %ld: %s", k->err.line, k->err.reason);
	else
		snprintf(out->error, sizeof out->error, "%s", k->err.reason);
	return -1;
}

int memory_import(store *st, const char *data, size_t len, int fd, const char *origin, memory_imported *out)
{
	memset(out, 0, sizeof *out);
	store_conn *c = store_begin(st);
	if (!c) {
		snprintf(out->error, sizeof out->error, "the database is busy; try again");
		return -1;
	}
	importing k = { .origin = origin ? origin : "", .data = data, .len = len, .fd = fd };
	handoff_init(&k.queue, QUEUE_CHUNKS);
	tm_batch *b = tm_batch_begin(c);
	pthread_t reader;
	int started = b && !concordance_bulk(c, 1) && !pthread_create(&reader, NULL, read_all, &k);
	int rc = -1;
	char why[200] = "";
	if (!started) {
		snprintf(out->error, sizeof out->error, "the import could not start");
		goto fail;
	}
	rc = write_all(&k, c, b, out);
	pthread_join(reader, NULL);
	out->skipped = k.skipped;
	if (rc || (rc = reading_refused(&k, out)))
		goto fail;
	if (tm_batch_end(b, why, sizeof why) || concordance_bulk(c, 0)) {
		b = NULL;
		snprintf(out->error, sizeof out->error, "%s", *why ? why : "the units could not be saved");
		goto fail;
	}
	rc = store_commit(c) == STORE_OK ? 0 : -1;
	if (rc)
		snprintf(out->error, sizeof out->error, "the units could not be saved");
	goto done;
fail:
	tm_batch_abandon(b);
	store_rollback(c);
	rc = -1;
done:
	handoff_destroy(&k.queue);
	return rc;
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
