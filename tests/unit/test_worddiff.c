/*
 * Tests for worddiff: two texts compared paragraph by paragraph, then word
 * by word — what is kept, changed, inserted, deleted and moved, in Latin
 * with accents and in other scripts, empty texts, the bounds that keep a
 * hostile pair from taking quadratic time, and over many random revisions
 * the property that the answer rebuilds both texts exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/worddiff.h"
#include "core/xorshift.h"
#include "worddiff_rebuild.h"

static worddiff compared(const char *old_text, const char *new_text, const worddiff_limits *limits)
{
	worddiff d;
	assert_int_equal(worddiff_texts(&d, old_text, strlen(old_text), new_text, strlen(new_text), limits), 0);
	const char *why = worddiff_rebuilds(&d, old_text, strlen(old_text), new_text, strlen(new_text));
	if (why)
		fail_msg("%s", why);
	return d;
}

/* The paragraphs' kinds as letters: K kept, C changed, D deleted, I inserted. */
static const char *kinds(const worddiff *d, char *out)
{
	for (size_t i = 0; i < d->nparas; i++)
		out[i] = "KCDI"[d->paras[i].kind];
	out[d->nparas] = '\0';
	return out;
}

/* A changed paragraph's parts as "=same -deleted +inserted", one after the other. */
static const char *parts(const worddiff *d, size_t para, const char *old_text, const char *new_text, buf *out)
{
	const worddiff_para *p = &d->paras[para];
	buf_reset(out);
	for (size_t i = p->first; i < p->first + p->nparts; i++) {
		const worddiff_part *part = &d->parts[i];
		buf_putc(out, "=-+"[part->op]);
		if (part->op == WORDDIFF_INS)
			buf_add(out, new_text + part->new_at, part->len);
		else
			buf_add(out, old_text + part->old_at, part->len);
		buf_putc(out, '|');
	}
	return buf_str(out);
}

static void identical_texts_change_nothing(void **state)
{
	(void)state;
	const char *text = "The Council met in Geneva.\nIt adopted the budget.\n\nIt closed.";
	worddiff d = compared(text, text, NULL);
	char k[16];
	assert_string_equal(kinds(&d, k), "KKKK");
	assert_int_equal(d.nparts, 0);
	assert_int_equal(d.words_deleted + d.words_inserted, 0);
	worddiff_free(&d);
}

static void one_word_changed_is_marked_and_the_rest_kept(void **state)
{
	(void)state;
	const char *old_text = "The Council adopted the budget for 2027.\nThe session closed on Friday.";
	const char *new_text = "The Council approved the budget for 2027.\nThe session closed on Friday.";
	worddiff d = compared(old_text, new_text, NULL);
	char k[16];
	buf b = BUF_INIT;
	assert_string_equal(kinds(&d, k), "CK");
	assert_string_equal(parts(&d, 0, old_text, new_text, &b), "=The Council |-adopted|+approved|= the budget for 2027.|");
	assert_int_equal(d.words_deleted, 1);
	assert_int_equal(d.words_inserted, 1);
	assert_false(d.paras[0].wholesale);
	buf_free(&b);
	worddiff_free(&d);
}

/* A paragraph that only gained a space, or whose tab became a space, is
 * the same paragraph: kept, each side as it reads; a word changed is still
 * a change. */
static void paragraphs_that_differ_in_spaces_alone_are_kept(void **state)
{
	(void)state;
	const char *old_text = "The Council met.\nIt adopted\tthe budget.\nIt closed.";
	const char *new_text = "The Council  met. \n It adopted the budget.\nIt  ended.";
	worddiff d = compared(old_text, new_text, NULL);
	char k[16];
	assert_string_equal(kinds(&d, k), "KKC");
	assert_int_equal(d.words_deleted, 1);
	assert_int_equal(d.words_inserted, 1);
	worddiff_free(&d);
}

static void paragraphs_inserted_deleted_and_moved(void **state)
{
	(void)state;
	char k[16];
	worddiff d = compared("Alpha one.\nBravo two.\nCharlie three.", "Alpha one.\nNew delta.\nBravo two.\nCharlie three.", NULL);
	assert_string_equal(kinds(&d, k), "KIKK");
	assert_int_equal(d.paras[1].new_index, 1);
	assert_int_equal(d.paras[1].old_index, -1);
	worddiff_free(&d);

	d = compared("Alpha one.\nBravo two.\nCharlie three.", "Alpha one.\nCharlie three.", NULL);
	assert_string_equal(kinds(&d, k), "KDK");
	assert_int_equal(d.words_deleted, 2);
	worddiff_free(&d);

	/* moved: deleted where it was, inserted where it went */
	d = compared("Alpha one.\nBravo two.\nCharlie three.\nEcho four.", "Alpha one.\nCharlie three.\nEcho four.\nBravo two.", NULL);
	assert_string_equal(kinds(&d, k), "KDKKI");
	worddiff_free(&d);
}

static void a_new_paragraph_before_a_changed_one_is_not_paired_with_it(void **state)
{
	(void)state;
	const char *old_text = "Opening.\nThe programme for 2027 is adopted by consensus.\nClosing.";
	const char *new_text = "Opening.\nDelegations asked for a briefing on migration data.\n"
			       "The programme for 2028 is adopted by consensus.\nClosing.";
	worddiff d = compared(old_text, new_text, NULL);
	char k[16];
	buf b = BUF_INIT;
	assert_string_equal(kinds(&d, k), "KICK");
	assert_string_equal(parts(&d, 2, old_text, new_text, &b), "=The programme for |-2027|+2028|= is adopted by consensus.|");
	buf_free(&b);
	worddiff_free(&d);
}

static void unrelated_paragraphs_are_deleted_and_inserted(void **state)
{
	(void)state;
	worddiff d = compared("Start.\nThe budget grows.\nEnd.", "Start.\nVisitors came from Lima.\nEnd.", NULL);
	char k[16];
	assert_string_equal(kinds(&d, k), "KDIK");
	worddiff_free(&d);
}

static void spaces_between_changes_join_them(void **state)
{
	(void)state;
	const char *old_text = "We welcome the annual plan today.";
	const char *new_text = "We welcome a biennial budget today.";
	worddiff d = compared(old_text, new_text, NULL);
	buf b = BUF_INIT;
	assert_string_equal(parts(&d, 0, old_text, new_text, &b), "=We welcome |-the annual plan|+a biennial budget|= today.|");
	buf_free(&b);
	worddiff_free(&d);
}

static void accents_and_other_scripts(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	const char *fr_old = "Le Conseil a adopté la résolution à l’unanimité.";
	const char *fr_new = "Le Conseil a approuvé la résolution à l’unanimité.";
	worddiff d = compared(fr_old, fr_new, NULL);
	assert_string_equal(parts(&d, 0, fr_old, fr_new, &b), "=Le Conseil a |-adopté|+approuvé|= la résolution à l’unanimité.|");
	worddiff_free(&d);

	const char *ru_old = "Совет утвердил бюджет.", *ru_new = "Совет одобрил бюджет.";
	d = compared(ru_old, ru_new, NULL);
	assert_string_equal(parts(&d, 0, ru_old, ru_new, &b), "=Совет |-утвердил|+одобрил|= бюджет.|");
	worddiff_free(&d);

	const char *ar_old = "اعتمد المجلس الميزانية", *ar_new = "اعتمد المجلس الخطة";
	d = compared(ar_old, ar_new, NULL);
	assert_string_equal(parts(&d, 0, ar_old, ar_new, &b), "=اعتمد المجلس |-الميزانية|+الخطة|");
	worddiff_free(&d);

	/* written without spaces: each ideograph is a word */
	const char *zh_old = "理事会通过了预算。", *zh_new = "理事会批准了预算。";
	d = compared(zh_old, zh_new, NULL);
	assert_string_equal(parts(&d, 0, zh_old, zh_new, &b), "=理事会|-通过|+批准|=了预算。|");
	worddiff_free(&d);
	buf_free(&b);
}

static void empty_texts(void **state)
{
	(void)state;
	char k[16];
	worddiff d = compared("", "", NULL);
	assert_int_equal(d.nparas, 0);
	worddiff_free(&d);
	d = compared("", "One.\nTwo.", NULL);
	assert_string_equal(kinds(&d, k), "II");
	worddiff_free(&d);
	d = compared("One.", "", NULL);
	assert_string_equal(kinds(&d, k), "D");
	worddiff_free(&d);
	d = compared("One.\n", "One.\n\n", NULL);   /* an empty last paragraph is a paragraph */
	assert_string_equal(kinds(&d, k), "KKI");
	worddiff_free(&d);
}

static void broken_utf8_is_compared_byte_by_byte(void **state)
{
	(void)state;
	const char *old_text = "Bad \xC3 byte and \xFF here\nok", *new_text = "Bad \xC3 bytes and \xFE here\nok";
	worddiff d = compared(old_text, new_text, NULL);
	char k[16];
	assert_string_equal(kinds(&d, k), "CK");
	worddiff_free(&d);
}

/* A paragraph of n words where every word differs, and another. */
static char *words(size_t n, const char *stem)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s%zu", i ? " " : "", stem, i);
	return buf_steal(&b);
}

static void a_pair_past_the_cap_is_replaced_wholesale(void **state)
{
	(void)state;
	char *old_text = words(50, "alpha"), *new_text = words(50, "alpha");
	for (size_t i = 0; new_text[i]; i++)
		if (new_text[i] == '1')
			new_text[i] = '7';   /* 14 words of 50 differ: alike, but more edits than the cap */
	worddiff_limits tight = { .max_edits = 8, .budget = WORDDIFF_BUDGET };
	worddiff d = compared(old_text, new_text, &tight);
	assert_int_equal(d.nparas, 1);
	assert_int_equal(d.paras[0].kind, WORDDIFF_CHANGED);
	assert_true(d.paras[0].wholesale);
	assert_true(d.bounded);
	assert_int_equal(d.paras[0].nparts, 2);
	worddiff_free(&d);
	d = compared(old_text, new_text, NULL);
	assert_false(d.paras[0].wholesale);
	assert_false(d.bounded);
	worddiff_free(&d);
	free(old_text);
	free(new_text);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

/* n words drawn from two: any two such texts share most of their words,
 * scattered, the shape that makes a difference search longest. */
static char *coin_words(size_t n)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", draw(2) ? "heads" : "tails");
	return buf_steal(&b);
}

static void a_hostile_pair_stays_within_its_budget(void **state)
{
	(void)state;
	/* 100,000 tokens a side, alike in their words and different in their
	 * order: without the bounds, billions of steps */
	char *old_text = coin_words(50000), *new_text = coin_words(50000);
	worddiff_limits small = { .max_edits = 100000, .budget = 2000000 };
	worddiff d = compared(old_text, new_text, &small);
	char k[16];
	assert_string_equal(kinds(&d, k), "C");
	assert_true(d.bounded);
	assert_true(d.paras[0].wholesale);
	worddiff_free(&d);
	free(old_text);
	free(new_text);
	/* nothing in common: not even paired */
	old_text = words(50000, "x"), new_text = words(50000, "y");
	d = compared(old_text, new_text, &small);
	assert_string_equal(kinds(&d, k), "DI");
	worddiff_free(&d);
	free(old_text);
	free(new_text);
}

/* ---- the rebuild property over random revisions ---- */

static const char *const vocabulary[] = {
	"Council", "budget", "adopté", "résolution", "migración", "Estados", "the", "of", "2027", "C/115/1",
	"Совет", "理事会", "año", "niño", "ça", "and", "la", "de", "programme", "\xC3", "ﬁn",
};
static const char *const between[] = { " ", ", ", ". ", "; ", " — ", "  ", " (", ") ", "’" };

static void random_text(buf *out, size_t paragraphs)
{
	for (size_t p = 0; p < paragraphs; p++) {
		if (p)
			buf_putc(out, '\n');
		size_t n = draw(12);
		for (size_t w = 0; w < n; w++) {
			if (w)
				buf_puts(out, between[draw(sizeof between / sizeof *between)]);
			buf_puts(out, vocabulary[draw(sizeof vocabulary / sizeof *vocabulary)]);
		}
	}
}

/* A revision of text: bytes replaced, inserted or cut at random places,
 * among them line ends (paragraphs split and joined), and whole lines
 * moved. */
static void revise(const buf *text, buf *out)
{
	buf_add(out, text->data ? text->data : "", text->len);
	size_t edits = draw(6);
	for (size_t e = 0; e < edits; e++) {
		size_t at = out->len ? draw((uint32_t)out->len + 1) : 0;
		buf rest = BUF_INIT;
		buf_add(&rest, out->data ? out->data + at : "", out->len - at);
		out->len = at;
		switch (draw(4)) {
		case 0:
			buf_puts(out, vocabulary[draw(sizeof vocabulary / sizeof *vocabulary)]);
			break;
		case 1:
			buf_putc(out, '\n');
			break;
		case 2: {
			size_t cut = rest.len ? draw((uint32_t)(rest.len < 16 ? rest.len : 16) + 1) : 0;
			memmove(rest.data, rest.data + cut, rest.len - cut);
			rest.len -= cut;
			break;
		}
		default: {
			const char *lf = rest.data ? memchr(rest.data, '\n', rest.len) : NULL;
			if (lf) { /* the line after this point moves to the end */
				size_t line = (size_t)(lf - rest.data) + 1;
				buf moved = BUF_INIT;
				buf_add(&moved, rest.data + line, rest.len - line);
				buf_putc(&moved, '\n');
				buf_add(&moved, rest.data, line - 1);
				buf_free(&rest);
				rest = moved;
			}
		}
		}
		buf_add(out, rest.data ? rest.data : "", rest.len);
		buf_free(&rest);
	}
	if (out->data)
		out->data[out->len] = '\0';
}

static void random_revisions_rebuild_both_texts(void **state)
{
	(void)state;
	for (int round = 0; round < 3000; round++) {
		buf a = BUF_INIT, b = BUF_INIT;
		random_text(&a, draw(8));
		revise(&a, &b);
		worddiff d;
		worddiff_limits limits = { .max_edits = round % 3 ? WORDDIFF_MAX_EDITS : 3,
					   .budget = round % 5 ? WORDDIFF_BUDGET : draw(200) };
		const char *at = a.data ? a.data : "", *bt = b.data ? b.data : "";
		assert_int_equal(worddiff_texts(&d, at, a.len, bt, b.len, &limits), 0);
		const char *why = worddiff_rebuilds(&d, at, a.len, bt, b.len);
		if (why)
			fail_msg("round %d: %s\nold: %s\nnew: %s", round, why, at, bt);
		if (a.len == b.len && memcmp(at, bt, a.len) == 0)
			assert_int_equal(d.nparts + d.words_deleted + d.words_inserted, 0);
		worddiff_free(&d);
		buf_free(&a);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_texts_change_nothing),
		cmocka_unit_test(one_word_changed_is_marked_and_the_rest_kept),
		cmocka_unit_test(paragraphs_that_differ_in_spaces_alone_are_kept),
		cmocka_unit_test(paragraphs_inserted_deleted_and_moved),
		cmocka_unit_test(a_new_paragraph_before_a_changed_one_is_not_paired_with_it),
		cmocka_unit_test(unrelated_paragraphs_are_deleted_and_inserted),
		cmocka_unit_test(spaces_between_changes_join_them),
		cmocka_unit_test(accents_and_other_scripts),
		cmocka_unit_test(empty_texts),
		cmocka_unit_test(broken_utf8_is_compared_byte_by_byte),
		cmocka_unit_test(a_pair_past_the_cap_is_replaced_wholesale),
		cmocka_unit_test(a_hostile_pair_stays_within_its_budget),
		cmocka_unit_test(random_revisions_rebuild_both_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
