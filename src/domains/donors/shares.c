/*
 * shares — lists of codes, each with a share or a weight, as people type
 * them one per line: a programme's sectors "15190 60" and "16010 40" (its
 * shares add up to 100, as IATI has them), a donor's priorities "PH 3"
 * (a weight from 1 to 5).  The code is checked for what it names (a DAC
 * sector, a country the registry holds, a region, an SDG target), so that
 * the funding views and the matching read only codes they know.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/donors/donors.h"

#define SHARES_MAX 200
#define WEIGHT_MAX 5

int hundredths_of(const char *s)
{
	int whole = 0, frac = 0, digits = 0;
	for (; isdigit((unsigned char)*s); s++, digits++)
		if ((whole = whole * 10 + (*s - '0')) > 100000)
			return -1;
	if (!digits)
		return -1;
	if (*s == '.') {
		int n = 0;
		for (s++; isdigit((unsigned char)*s) && n < 2; s++, n++)
			frac = frac * 10 + (*s - '0');
		if (n == 0)
			return -1;
		frac *= n == 1 ? 10 : 1;
	}
	return *s ? -1 : whole * 100 + frac;
}

int share_read(const char *item, char *code, size_t size, int *hundredths)
{
	const char *space = strrchr(item, ' ');
	int n = space ? hundredths_of(space + 1) : -1;
	size_t len = n >= 0 ? (size_t)(space - item) : strlen(item);
	while (len && item[len - 1] == ' ')
		len--;
	if (len == 0 || len >= size)
		return -1;
	memcpy(code, item, len);
	code[len] = '\0';
	*hundredths = n;
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* "10.7", "8.a", "17.19": a goal from 1 to 17, then a target number or letter. */
static int sdg_target(const char *s)
{
	char *end;
	long goal = strtol(s, &end, 10);
	if (goal < 1 || goal > 17 || *end != '.' || !end[1])
		return 0;
	const char *t = end + 1;
	return (isdigit((unsigned char)t[0]) && (!t[1] || (isdigit((unsigned char)t[1]) && !t[2]))) ||
	       (islower((unsigned char)t[0]) && !t[1]);
}

static int country_known(model_ctx *m, store_conn *c, const char *code)
{
	store_cond w = COND_EQ("iso2", sv_text(code));
	int64_t n = 0;
	return store_count(c, "countries", &w, 1, &n) == STORE_OK && n > 0 && !m->status;
}

/* NULL when code is one of kind, else what it should be. */
static const char *code_problem(model_ctx *m, store_conn *c, const char *code, code_kind kind)
{
	switch (kind) {
	case CODE_SECTOR:
		return all_digits(code, 5) ? NULL : N_("is not a DAC 5-digit sector code, such as 15190");
	case CODE_COUNTRY:
		return country_known(m, c, code) ? NULL : N_("is not a country's ISO code, such as PH");
	case CODE_REGION:
		return all_digits(code, 3) ? NULL : N_("is not a DAC region code, such as 298");
	case CODE_SDG:
		return sdg_target(code) ? NULL : N_("is not a target of the Sustainable Development Goals, such as 10.7");
	case CODE_THEME:
		break;
	}
	return NULL;
}

typedef struct item_walk {
	model_ctx *m;
	store_conn *c;
	const char *field;
	code_kind kind;
	int total, unsaid, n;
	int shares;                   /* shares: a number is a percentage; else a weight */
	char codes[SHARES_MAX][64];
} item_walk;

static int seen(const item_walk *w, const char *code)
{
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->codes[i], code) == 0)
			return 1;
	return 0;
}

static void check_item(item_walk *w, size_t i, const char *item)
{
	model_ctx *m = w->m;
	const char *at = arena_printf(&m->a, "%s[%zu]", w->field, i);
	char code[64];
	int n;
	const char *problem;
	if (share_read(item, code, sizeof code, &n)) {
		model_field_error(m, at, w->shares ? N_("is not a code and its share, such as 15190 60")
						     : N_("is not a code and its weight, such as 15190 3"));
		return;
	}
	if ((problem = code_problem(m, w->c, code, w->kind))) {
		model_field_error(m, at, "%s", problem);
		return;
	}
	if (seen(w, code) || w->n == SHARES_MAX) {
		model_field_error(m, at, N_("names a code twice"));
		return;
	}
	snprintf(w->codes[w->n++], sizeof w->codes[0], "%s", code);
	if (n < 0)
		w->unsaid++;
	else if (w->shares && (n == 0 || n > 10000))
		model_field_error(m, at, N_("has a share that is not between 0 and 100"));
	else if (!w->shares && (n % 100 || n < 100 || n > WEIGHT_MAX * 100))
		model_field_error(m, at, N_("has a weight that is not a whole number from 1 to 5"));
	else
		w->total += n;
}

static int walk_items(item_walk *w, const record *r)
{
	const char *list = record_text(r, w->field);
	json_t *items = list ? json_loads(list, 0, NULL) : NULL, *item;
	size_t i;
	json_array_foreach(items, i, item)
		check_item(w, i, json_string_value(item));
	json_decref(items);
	return w->n;
}

void shares_check(model_ctx *m, store_conn *c, const record *r, const char *field, code_kind kind)
{
	item_walk *w = arena_alloc(&m->a, sizeof *w);
	*w = (item_walk){ m, c, field, kind, .shares = 1 };
	size_t before = m->nerrors;
	int n = walk_items(w, r);
	if (m->nerrors > before || n == 0)
		return;
	if (n == 1 && w->unsaid == 1)
		return; /* one code alone is all of it */
	if (w->unsaid)
		model_field_error(m, field, N_("gives a share to some codes and not to others: give each its share"));
	else if (w->total != 10000)
		model_field_error(m, field, N_("has shares that do not add up to 100"));
}

void weights_check(model_ctx *m, store_conn *c, const record *r, const char *field, code_kind kind)
{
	item_walk *w = arena_alloc(&m->a, sizeof *w);
	*w = (item_walk){ m, c, field, kind, .shares = 0 };
	walk_items(w, r);
}
