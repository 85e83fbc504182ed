/*
 * fuzz_xliff — the XLIFF reader (src/formats/xliff.c): the input is a file
 * that came back from a translator.  A refusal is one line with a place
 * within the file; a file read gives segments of UTF-8 with well-formed
 * inline codes and ids seen once, and the job they make, written again in
 * the same version, reads back as the very same segments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/inline.h"
#include "formats/xliff.h"
#include "oracle.h"
#include "utf8ok.h"

typedef struct seen {
	xliff_version version;
	char source_lang[3], target_lang[3];
	char *original, *title;
	xliff_segment *segs;
	size_t n, cap;
} seen;

static int on_file(void *ctx, const xliff_file *f)
{
	seen *s = ctx;
	s->version = f->version;
	memcpy(s->source_lang, f->source_lang, 3);
	memcpy(s->target_lang, f->target_lang, 3);
	s->original = strdup(f->original);
	s->title = strdup(f->title);
	return 0;
}

ORACLE static void check_text(const char *t)
{
	size_t at;
	if (!utf8_ok(t, strlen(t)) || inline_check(t, strlen(t), &at) != INLINE_OK)
		abort();
}

static int on_unit(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f;
	seen *s = ctx;
	if (u->id < 1 || u->line < 1 || u->state < XLIFF_NEW || u->state > XLIFF_REVIEWED)
		abort();
	check_text(u->source);
	check_text(u->target);
	for (size_t i = 0; i < s->n; i++)
		if (s->segs[i].id == u->id)
			abort();
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->segs = realloc(s->segs, s->cap * sizeof *s->segs);
	}
	s->segs[s->n++] = (xliff_segment){ .id = u->id, .source = strdup(u->source), .target = strdup(u->target),
					   .state = u->state };
	return 0;
}

static void seen_free(seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free((char *)s->segs[i].source), free((char *)s->segs[i].target);
	free(s->segs);
	free(s->original);
	free(s->title);
}

ORACLE static void check_refusal(const xliff_error *err, size_t size)
{
	if (!err->message[0] || strchr(err->message, '\n') || err->line < 0 || (size_t)err->line > size + 1)
		abort();
}

static int to_buf(void *ctx, const char *data, size_t n)
{
	buf_add(ctx, data, n);
	return 0;
}

ORACLE static void check_same(const seen *a, const seen *b)
{
	if (a->version != b->version || strcmp(a->source_lang, b->source_lang) || strcmp(a->target_lang, b->target_lang) ||
	    strcmp(a->original, b->original) || strcmp(a->title, b->title) || a->n != b->n)
		abort();
	for (size_t i = 0; i < a->n; i++)
		if (a->segs[i].id != b->segs[i].id || a->segs[i].state != b->segs[i].state ||
		    strcmp(a->segs[i].source, b->segs[i].source) || strcmp(a->segs[i].target, b->segs[i].target))
			abort();
}

/* The segments read, written again and read back. */
static void check_round_trip(const seen *first)
{
	xliff_job job = { first->source_lang, first->target_lang, first->original, first->title };
	buf out = BUF_INIT;
	xliff_error err;
	if (xliff_write(first->version, &job, first->segs, first->n, to_buf, &out, &err) != 0) {
		if (first->version == XLIFF_20 && first->n == 0)
			return buf_free(&out);   /* 2.0 holds at least one unit */
		abort();
	}
	seen again = { 0 };
	xliff_reader_cb cb = { on_file, on_unit, &again };
	if (xliff_read(out.data, out.len, &cb, &err) != 0)
		abort();
	check_same(first, &again);
	if (xliff_compare(out.data, out.len, &job, first->segs, first->n, &err) != 0)
		abort();
	seen_free(&again);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	seen s = { 0 };
	xliff_reader_cb cb = { on_file, on_unit, &s };
	xliff_error err;
	if (xliff_read((const char *)data, size, &cb, &err) != 0)
		check_refusal(&err, size);
	else
		check_round_trip(&s);
	seen_free(&s);
	return 0;
}
