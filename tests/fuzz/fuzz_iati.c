/*
 * fuzz_iati — IATI activity files (src/formats/iati.c): the input, every
 * byte of it, is the document.  A refusal has a line and a one-line
 * reason; every activity handed over has real dates, ISO 4217 currencies,
 * percentages from 0 to 100 and text in UTF-8; and the activities the
 * writer accepts, written out, read back as the same activities.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "formats/iati.h"
#include "formats/isocodes.h"
#include "oracle.h"
#include "utf8ok.h"

typedef struct pass {
	iati_writer *w;   /* the first reading writes what it can; the second has none */
	buf described;    /* the activities written (first pass) or read (second), as text */
} pass;

ORACLE static void check_text(const char *s)
{
	if (!s || !utf8_ok(s, strlen(s)))
		abort();
}

ORACLE static void check_date(const char *d)
{
	if (*d && !clock_valid_date(d))
		abort();
}

ORACLE static void check_money(const iati_money *m)
{
	if (!isocodes_currency_known(m->currency))
		abort();
	check_date(m->value_date);
}

ORACLE static void check_percent(int p)
{
	if (p != IATI_NO_PERCENT && (p < 0 || p > 10000))
		abort();
}

static void check_activity(const iati_activity *a)
{
	check_text(a->identifier);
	if (!*a->identifier)
		abort();
	for (int k = 0; k < IATI_LANGS; k++) {
		check_text(a->title.text[k]);
		check_text(a->description.text[k]);
	}
	for (int k = 0; k < IATI_DATES; k++)
		check_date(a->dates[k]);
	for (size_t k = 0; k < a->ncountries; k++)
		check_percent(a->countries[k].percentage);
	for (size_t k = 0; k < a->nregions; k++)
		check_percent(a->regions[k].percentage);
	for (size_t k = 0; k < a->nsectors; k++)
		check_percent(a->sectors[k].percentage);
	for (size_t k = 0; k < a->nbudgets; k++)
		check_money(&a->budgets[k].value);
	for (size_t k = 0; k < a->ntransactions; k++) {
		check_money(&a->transactions[k].value);
		check_date(a->transactions[k].date);
	}
}

static void describe_text(buf *b, const iati_text *t)
{
	for (int k = 0; k < IATI_LANGS; k++)
		buf_printf(b, "[%s]", t->text[k]);
}

/* The activity as text: what a round trip must keep. */
static void describe(buf *b, const iati_activity *a)
{
	buf_printf(b, "%s|%s|%s|%s|", a->identifier, a->default_currency, a->reporting_org.ref, a->reporting_org.type);
	describe_text(b, &a->reporting_org.name);
	describe_text(b, &a->title);
	describe_text(b, &a->description);
	buf_printf(b, "|%s|%s|%s|%s|%s", a->status, a->dates[0], a->dates[1], a->dates[2], a->dates[3]);
	for (size_t k = 0; k < a->nparticipants; k++) {
		buf_printf(b, "|P%s,%s,%s", a->participants[k].ref, a->participants[k].type, a->participants[k].role);
		describe_text(b, &a->participants[k].name);
	}
	for (size_t k = 0; k < a->ncountries; k++)
		buf_printf(b, "|C%s,%d", a->countries[k].code, a->countries[k].percentage);
	for (size_t k = 0; k < a->nregions; k++)
		buf_printf(b, "|R%s,%s,%d", a->regions[k].code, a->regions[k].vocabulary, a->regions[k].percentage);
	for (size_t k = 0; k < a->nsectors; k++)
		buf_printf(b, "|S%s,%s,%d", a->sectors[k].code, a->sectors[k].vocabulary, a->sectors[k].percentage);
	for (size_t k = 0; k < a->nbudgets; k++) {
		const iati_budget *x = &a->budgets[k];
		buf_printf(b, "|B%s,%s,%s,%s,%lld,%s,%s", x->type, x->status, x->period_start, x->period_end,
			   (long long)x->value.minor, x->value.currency, x->value.value_date);
	}
	for (size_t k = 0; k < a->ntransactions; k++) {
		const iati_transaction *t = &a->transactions[k];
		buf_printf(b, "|T%s,%s,%lld,%s,%s,%s,%s,%s,%s,%s,%s,%s", t->type, t->date, (long long)t->value.minor,
			   t->value.currency, t->value.value_date, t->provider.ref, t->provider.type, t->receiver.ref,
			   t->receiver.type, t->sector_code, t->sector_vocabulary, t->recipient_country);
		describe_text(b, &t->provider.name);
		describe_text(b, &t->receiver.name);
	}
	buf_putc(b, '\n');
}

static int on_activity(void *ctx, const iati_activity *a)
{
	pass *p = ctx;
	check_activity(a);
	iati_error err;
	if (!p->w || iati_write_activity(p->w, a, &err) == 0)
		describe(&p->described, a);   /* the writer may refuse what the schema requires and the file lacks */
	return 0;
}

ORACLE static void check_refusal(int rc, const iati_error *err)
{
	if (rc != -1 || err->line < 0 || !err->reason[0] || strchr(err->reason, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pass first = { 0 }, second = { 0 };
	buf out = BUF_INIT;
	iati_error err;
	iati_warnings w = IATI_WARNINGS_INIT;
	static const iati_read_callbacks cb = { NULL, on_activity };
	first.w = iati_write_begin(iati_write_to_buf, &out, "2026-12-07T10:15:00Z", &err);
	int rc = iati_read(&(xmlstream_input){ (const char *)data, size, -1 }, &cb, &first, &w, &err);
	if (iati_write_end(first.w, &err))
		abort();
	for (size_t k = 0; k < w.n; k++)
		if (w.v[k].line < 0 || !w.v[k].reason[0] || strchr(w.v[k].reason, '\n'))
			abort();
	if (rc != 0) {
		check_refusal(rc, &err);
	} else {
		if (iati_read(&(xmlstream_input){ out.data, out.len, -1 }, &cb, &second, NULL, &err) != 0)
			abort();
		if (first.described.len != second.described.len ||
		    memcmp(buf_str(&first.described), buf_str(&second.described), first.described.len))
			abort();
	}
	iati_warnings_free(&w);
	buf_free(&out);
	buf_free(&first.described);
	buf_free(&second.described);
	return 0;
}
