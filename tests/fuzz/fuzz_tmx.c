/*
 * fuzz_tmx — translation memories in TMX (src/formats/tmx.c): the input,
 * every byte of it, is the document.  A refusal has a line and a one-line
 * reason; every unit handed over has a language of lower-case letters,
 * text in well-formed UTF-8 with well-formed inline codes; and the units of
 * a document read whole, written out again by the writer (which must
 * accept each of them), read back as the same units.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/inline.h"
#include "formats/tmx.h"
#include "oracle.h"
#include "utf8ok.h"

typedef struct pass {
	tmx_writer *w;    /* the first reading writes what it reads; the second has none */
	buf units;        /* what was read, as text */
	buf out;          /* what the writer wrote */
} pass;

ORACLE static void check_unit(const tmx_unit *u)
{
	if (u->nvariants == 0)
		abort();
	for (size_t k = 0; k < u->nvariants; k++) {
		const tmx_variant *v = &u->variants[k];
		size_t n = strlen(v->lang), at;
		if (n < 2 || n > 3 || strspn(v->lang, "abcdefghijklmnopqrstuvwxyz") != n)
			abort();
		if (strlen(v->text) != v->len || !utf8_ok(v->text, v->len) || inline_check(v->text, v->len, &at) != INLINE_OK)
			abort();
	}
}

/* A unit as text, its languages as the writer writes them (the tag as read is not written). */
static void describe(buf *b, const tmx_unit *u)
{
	buf_printf(b, "%s|%s|%s|%s|%s|", u->tuid, u->created, u->creator, u->changed, u->changer);
	for (size_t k = 0; k < u->nprops; k++)
		buf_printf(b, "%s=%s|", u->props[k].name, u->props[k].value);
	for (size_t k = 0; k < u->nvariants; k++)
		buf_printf(b, "%s:%s|", u->variants[k].lang, u->variants[k].text);
	buf_putc(b, '\n');
}

static int collect(void *ctx, const char *data, size_t len)
{
	buf_add(&((pass *)ctx)->out, data, len);
	return 0;
}

static int on_unit(void *ctx, const tmx_unit *u)
{
	pass *p = ctx;
	check_unit(u);
	describe(&p->units, u);
	tmx_error err;
	if (p->w && tmx_writer_unit(p->w, u, &err))
		abort();   /* whatever the reader hands over, the writer can write */
	return 0;
}

ORACLE static void check_refusal(int rc, const tmx_error *err)
{
	if (rc != -1 || err->line < 0 || !err->reason[0] || strchr(err->reason, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pass first = { 0 }, second = { 0 };
	tmx_error err;
	first.w = tmx_writer_open(&(tmx_header){ .srclang = "*all*" }, collect, &first, &err);
	tmx_reader_opts o = { NULL, on_unit, &first, NULL };
	int rc = tmx_read_memory((const char *)data, size, &o, &err);
	if (tmx_writer_close(first.w, &err))
		abort();
	if (rc != 0) {
		check_refusal(rc, &err);
	} else {
		tmx_reader_opts again = { NULL, on_unit, &second, NULL };
		if (tmx_read_memory(first.out.data, first.out.len, &again, &err) != 0)
			abort();
		if (first.units.len != second.units.len || memcmp(buf_str(&first.units), buf_str(&second.units), first.units.len))
			abort();
	}
	buf_free(&first.units);
	buf_free(&first.out);
	buf_free(&second.units);
	buf_free(&second.out);
	return 0;
}
