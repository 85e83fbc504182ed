/*
 * fuzz_tbx — termbases in TBX (src/formats/tbx.c): the input, every byte
 * of it, is the document.  A refusal has a line and a one-line reason;
 * every concept handed over has terms, each with a language of lower-case
 * letters, a text that is not empty, and well-formed UTF-8 throughout; and
 * the concepts of a document read whole, written out again by the writer
 * (which must accept each of them), read back as the same concepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/tbx.h"
#include "oracle.h"
#include "utf8ok.h"

typedef struct pass {
	tbx_writer *w;    /* the first reading writes what it reads; the second has none */
	buf concepts;     /* what was read, as text */
	buf out;          /* what the writer wrote */
} pass;

ORACLE static void check_text(const char *s)
{
	if (!s || !utf8_ok(s, strlen(s)))
		abort();
}

ORACLE static void check_concept(const tbx_concept *c)
{
	if (c->nterms == 0)
		abort();
	check_text(c->id), check_text(c->subject), check_text(c->definition);
	for (size_t k = 0; k < c->nterms; k++) {
		const tbx_term *t = &c->terms[k];
		size_t n = strlen(t->lang);
		if (n < 2 || n > 3 || strspn(t->lang, "abcdefghijklmnopqrstuvwxyz") != n || !*t->text)
			abort();
		if ((unsigned)t->status > TBX_DEPRECATED)
			abort();
		check_text(t->text), check_text(t->pos), check_text(t->definition), check_text(t->source), check_text(t->note);
	}
}

/* A concept as text, its languages as the writer writes them (the tag as read is not written). */
static void describe(buf *b, const tbx_concept *c)
{
	buf_printf(b, "%s|%s|%s|", c->subject, c->definition, c->id);
	for (size_t k = 0; k < c->nterms; k++) {
		const tbx_term *t = &c->terms[k];
		buf_printf(b, "%s:%s:%s:%d:%s:%s:%s|", t->lang, t->text, t->pos, (int)t->status, t->definition, t->source,
			   t->note);
	}
	buf_putc(b, '\n');
}

static int collect(void *ctx, const char *data, size_t len)
{
	buf_add(&((pass *)ctx)->out, data, len);
	return 0;
}

/* The writer takes ids that are XML names only: a concept read with
 * another id is written without it, and compared so. */
static int on_concept(void *ctx, const tbx_concept *c)
{
	pass *p = ctx;
	check_concept(c);
	tbx_concept copy = *c;
	tbx_error err;
	if (p->w && tbx_writer_concept(p->w, &copy, &err)) {
		copy.id = "";
		if (tbx_writer_concept(p->w, &copy, &err))
			abort();   /* whatever else the reader hands over, the writer can write */
	}
	describe(&p->concepts, p->w ? &copy : c);
	return 0;
}

ORACLE static void check_refusal(int rc, const tbx_error *err)
{
	if (rc != -1 || err->line < 0 || !err->reason[0] || strchr(err->reason, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pass first = { 0 }, second = { 0 };
	tbx_error err;
	first.w = tbx_writer_open("en", NULL, collect, &first, &err);
	tbx_reader_opts o = { on_concept, &first, NULL };
	int rc = tbx_read_memory((const char *)data, size, &o, &err);
	int wrote = first.concepts.len > 0;
	if (tbx_writer_close(first.w, &err) && wrote)
		abort();
	if (rc != 0) {
		check_refusal(rc, &err);
	} else if (wrote) {
		tbx_reader_opts again = { on_concept, &second, NULL };
		if (tbx_read_memory(first.out.data, first.out.len, &again, &err) != 0)
			abort();
		if (first.concepts.len != second.concepts.len ||
		    memcmp(buf_str(&first.concepts), buf_str(&second.concepts), first.concepts.len))
			abort();
	}
	buf_free(&first.concepts);
	buf_free(&first.out);
	buf_free(&second.concepts);
	buf_free(&second.out);
	return 0;
}
