/*
 * termroutes — the termbase's API beyond the generic routes of its kinds:
 *
 *   GET  /api/v1/concepts/tbx                      the termbase the caller may read, as TBX
 *   POST /api/v1/concepts/tbx                      a TBX file's concepts and terms, all or nothing
 *   GET  /api/v1/terms/found?text=&lang=en&to=fr   the termbase's terms in a text, for the editor
 *
 * The export is streamed (http_stream): its first page is written while
 * the request is handled, so that a refusal (no right to read, nothing to
 * write, a store that cannot be read) is still an ordinary problem; the
 * rest is written a page at a time as the client takes it.  TBX has no
 * registered media type, so it goes as application/xml (RFC 7303's type
 * for XML that has none of its own), named termbase.tbx.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/utf8.h"
#include "domains/translation/translation.h"
#include "model/access.h"

#define FOUND_TEXT_MAX 20000   /* bytes of text a look-up reads: a segment or a paragraph, not a document */

/* ---- GET /api/v1/concepts/tbx ---------------------------------------------------------------- */

/* The export while it streams: the caller kept by value, since the request may be gone. */
typedef struct export_stream {
	termbase_export *x;
	store *st;
	const registry *reg;
	user who;
	char name[128], division[16], language[16], time_zone[64];
	buf held;     /* what the writer handed on, not yet sent */
	int more;     /* the last page's outcome: 1 more to come, 0 the end written, -1 failed */
} export_stream;

static const char *kept(char *to, size_t size, const char *from)
{
	if (!from)
		return NULL;
	snprintf(to, size, "%s", from);
	return to;
}

static void keep_user(export_stream *s, const user *u)
{
	s->who = *u;
	s->who.name = kept(s->name, sizeof s->name, u->name);
	s->who.division = kept(s->division, sizeof s->division, u->division);
	s->who.language = kept(s->language, sizeof s->language, u->language);
	s->who.time_zone = kept(s->time_zone, sizeof s->time_zone, u->time_zone);
}

static int hold(void *ctx, const char *data, size_t len)
{
	export_stream *s = ctx;
	buf_add(&s->held, data, len);
	return 0;
}

/* One page, in a model context of its own. */
static void export_page(export_stream *s, request *r)
{
	model_ctx m;
	model_init(&m, s->st, s->reg, &s->who);
	s->more = termbase_export_page(s->x, &m);
	if (s->more < 0 && r)
		http_model(r, &m);
	else if (s->more < 0)
		log_event("error", "the termbase's export stopped after %zu concepts: %s", termbase_exported(s->x),
			  m.detail ? m.detail : "");
	model_done(&m);
}

static int next_piece(void *ctx, buf *out)
{
	export_stream *s = ctx;
	if (s->held.len == 0 && s->more > 0)
		export_page(s, NULL);
	buf_add(out, s->held.data, s->held.len);
	buf_reset(&s->held);
	return s->more;
}

static void export_release(void *ctx)
{
	export_stream *s = ctx;
	termbase_export_free(s->x);
	buf_free(&s->held);
	free(s);
}

void termbase_tbx_get(request *r)
{
	export_stream *s = calloc(1, sizeof *s);
	if (!s || !(s->x = termbase_export_open(hold, s))) {
		free(s);
		http_problem(r, 500, "Internal error", "out of memory");
		return;
	}
	s->st = r->app->st, s->reg = &r->app->reg;
	keep_user(s, r->u);
	export_page(s, r);
	if (s->more < 0) {
		export_release(s);
		return;
	}
	http_header_add(r, "Content-Disposition", "attachment; filename=\"termbase.tbx\"");
	http_stream(r, 200, "application/xml", next_piece, s, export_release);
}

/* ---- POST /api/v1/concepts/tbx --------------------------------------------------------------- */

void termbase_tbx_post(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	termbase_counts n;
	if (!access_kind(r->u, registry_find(m.reg, "concepts"), OP_CREATE) ||
	    !access_kind(r->u, registry_find(m.reg, "terms"), OP_CREATE)) {
		model_fail(&m, 403, "Forbidden", "your role may not add concepts and terms to the termbase");
		http_model(r, &m);
	} else if (r->body_in.len == 0) {
		http_problem(r, 400, "Bad Request", "the body is empty: send a TBX file");
	} else if (!http_xml_declared(http_header(r, "Content-Type"))) {
		http_problem(r, 415, "Unsupported Media Type", "a TBX file is XML: send it as application/xml");
	} else if (termbase_import_memory(&m, r->body_in.data, r->body_in.len, &n)) {
		http_model(r, &m);
	} else {
		buf out = BUF_INIT;
		buf_printf(&out, "{\"concepts\":%zu,\"terms\":%zu}", n.concepts, n.terms);
		http_json(r, 201, &out);
		http_header_add(r, "Location", "/api/v1/concepts/tbx");   /* where the termbase that holds them is */
		buf_free(&out);
	}
	model_done(&m);
}

/* ---- GET /api/v1/terms/found ----------------------------------------------------------------- */

static int a_language(const char *s)
{
	for (const char *const *l = registry_langs; s && *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

/* Counts characters (code points) on from byte *at to byte to, into *chars: the
 * hits come in the text's order, so the whole text is walked once. */
static void count_to(const char *text, size_t to, size_t *at, size_t *chars)
{
	while (*at < to) {
		size_t n = utf8_next(text + *at, to - *at, NULL);
		*at += n ? n : 1;
		(*chars)++;
	}
}

static void put_names(buf *out, const char *member, const char **names)
{
	buf_printf(out, ",\"%s\":[", member);
	for (size_t i = 0; names && names[i]; i++) {
		if (i)
			buf_putc(out, ',');
		buf_json_cstr(out, names[i]);
	}
	buf_putc(out, ']');
}

static void put_hits(buf *out, const char *text, const term_hit *hits, int n)
{
	size_t at = 0, chars = 0;
	buf_puts(out, ",\"items\":[");
	for (int i = 0; i < n; i++) {
		const term_hit *h = &hits[i];
		count_to(text, h->off, &at, &chars);
		size_t start = chars;
		count_to(text, h->off + h->len, &at, &chars);
		buf_printf(out, "%s{\"offset\":%zu,\"length\":%zu,\"text\":", i ? "," : "", start, chars - start);
		buf_json_str(out, text + h->off, h->len);
		buf_printf(out, ",\"term\":{\"id\":%" PRId64 ",\"text\":", h->term);
		buf_json_cstr(out, h->found);
		buf_printf(out, "},\"concept\":%" PRId64, h->concept);
		put_names(out, "preferred", h->preferred);
		put_names(out, "admitted", h->admitted);
		put_names(out, "deprecated", h->deprecated);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

/* What is wrong with the question, or NULL. */
static const char *bad_question(const char *text, const char *lang, const char *to)
{
	if (!text || !*text)
		return "say text: the text to look for terms in";
	if (strlen(text) > FOUND_TEXT_MAX)
		return "the text is longer than 20,000 bytes: send a sentence or a paragraph";
	if (utf8_check(text, strlen(text)) != strlen(text))
		return "the text is not UTF-8";
	if (!a_language(lang))
		return "lang must be the text's language: en, fr or es";
	if (!a_language(to))
		return "to must be the language of the terms wanted: en, fr or es";
	return NULL;
}

void terms_found(request *r)
{
	const char *text = http_query(r, "text"), *lang = http_query(r, "lang"), *to = http_query(r, "to");
	const char *why = bad_question(text, lang, to);
	if (why) {
		http_problem(r, 400, "Bad Request", "%s", why);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(m.st);
	term_hit *hits = NULL;
	int n = 0;
	if (!access_kind(r->u, registry_find(m.reg, "terms"), OP_READ))
		n = model_fail(&m, 403, "Forbidden", "your role may not read the termbase");
	else if (!c)
		n = model_fail(&m, 503, "Store unavailable", "the database cannot be opened");
	else
		n = terms_in(&m, c, lang, text, to, &hits);
	if (n < 0) {
		http_model(r, &m);
	} else {
		buf out = BUF_INIT;
		buf_printf(&out, "{\"lang\":\"%s\",\"to\":\"%s\"", lang, to);
		put_hits(&out, text, hits, n);
		http_json(r, 200, &out);
		buf_free(&out);
	}
	model_done(&m);
}
