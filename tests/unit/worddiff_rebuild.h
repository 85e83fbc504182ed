/*
 * worddiff_rebuild — the property every comparison of two texts keeps, as
 * the unit tests and the fuzz harness check it: the old side of the answer
 * (kept, deleted and changed paragraphs, a changed one by its same and
 * deleted parts) joined by LF is the old text byte for byte, the new side
 * the new text, the paragraphs on each side are numbered 0, 1, 2... in
 * order, and a changed paragraph's parts are its own bytes.
 */
#ifndef LIAISON_TEST_WORDDIFF_REBUILD_H
#define LIAISON_TEST_WORDDIFF_REBUILD_H

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/worddiff.h"

/* One side's text rebuilt from d into out; NULL, or what is wrong. */
static const char *worddiff_side(const worddiff *d, int new_side, const char *text, buf *out)
{
	long next = 0;
	for (size_t p = 0; p < d->nparas; p++) {
		const worddiff_para *para = &d->paras[p];
		long index = new_side ? para->new_index : para->old_index;
		if (index < 0)
			continue;
		if (index != next++)
			return "a paragraph is numbered out of order";
		if (index > 0)
			buf_putc(out, '\n');
		size_t at = new_side ? para->new_at : para->old_at, len = new_side ? para->new_len : para->old_len;
		if (para->kind != WORDDIFF_CHANGED) {
			if (len)
				buf_add(out, text + at, len);
			continue;
		}
		size_t start = out->len;
		for (size_t i = para->first; i < para->first + para->nparts; i++) {
			const worddiff_part *part = &d->parts[i];
			if (part->op == (new_side ? WORDDIFF_DEL : WORDDIFF_INS))
				continue;
			if (part->len == 0)
				return "a part is empty";
			buf_add(out, text + (new_side ? part->new_at : part->old_at), part->len);
		}
		if (out->len - start != len || (len && memcmp(out->data + start, text + at, len) != 0))
			return "a changed paragraph's parts are not its text";
	}
	return NULL;
}

/* NULL when d rebuilds both texts exactly; else what is wrong. */
static const char *worddiff_rebuilds(const worddiff *d, const char *old_text, size_t old_len, const char *new_text,
				     size_t new_len)
{
	const char *why = NULL;
	buf old_side = BUF_INIT, new_side = BUF_INIT;
	if (d->nparts && !d->parts)
		why = "parts are counted and not there";
	if (!why)
		why = worddiff_side(d, 0, old_text, &old_side);
	if (!why)
		why = worddiff_side(d, 1, new_text, &new_side);
	if (!why && (old_side.len != old_len || (old_len && memcmp(old_side.data, old_text, old_len))))
		why = "the old side is not the old text";
	if (!why && (new_side.len != new_len || (new_len && memcmp(new_side.data, new_text, new_len))))
		why = "the new side is not the new text";
	buf_free(&old_side);
	buf_free(&new_side);
	return why;
}

#endif
