/*
 * fuzz_rates — tables of exchange rates in CSV (src/formats/rates.c): the
 * input's first byte chooses the base currency (EUR, USD or none), the
 * rest is the CSV.  A refusal lists its problems, each on a line of its
 * own naming its line, and returns nothing; a table read holds only rates
 * a table accepts, each written and read back as itself, and each found
 * again on its own date.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/rates.h"
#include "oracle.h"

static const char *const bases[] = { "EUR", "USD", NULL };

ORACLE static void check_problems(const buf *problems, const rate_list *l)
{
	if (l->v || l->n || problems->len == 0 || problems->data[problems->len - 1] != '\n')
		abort();
	for (const char *line = problems->data; *line; line = strchr(line, '\n') + 1)
		if (strncmp(line, "line ", 5) != 0)
			abort();
}

ORACLE static void check_rate_text(const rate *r)
{
	buf text = BUF_INIT;
	rate_value again;
	char err[160];
	rate_format(r->value, &text);
	if (rate_parse(text.data, text.len, &again, err, sizeof err) != 0 || again.mantissa != r->value.mantissa ||
	    again.scale != r->value.scale)
		abort();
	buf_free(&text);
}

ORACLE static void check_table(const rate_list *l, const char *base)
{
	rate_table *t;
	char err[200];
	if (rates_table_new(l->v, l->n, base ? base : "USD", 0, &t, err, sizeof err) != 0)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const rate *r = &l->v[i];
		rate_path p;
		check_rate_text(r);
		if (rates_find(t, r->from, r->to, r->date, &p, err, sizeof err) != 0 || p.n != 1 || p.inverse[0])
			abort();
		const rate *found = &p.legs[0];
		if (strcmp(found->date, r->date) || strcmp(found->from, r->from) || strcmp(found->to, r->to) ||
		    found->value.mantissa != r->value.mantissa || found->value.scale != r->value.scale)
			abort();
	}
	rates_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *base = bases[data[0] % 3];
	rate_list l;
	buf problems = BUF_INIT;
	if (rates_read_csv((const char *)data + 1, size - 1, base, &l, &problems) != 0)
		check_problems(&problems, &l);
	else
		check_table(&l, base);
	rate_list_free(&l);
	buf_free(&problems);
	return 0;
}
