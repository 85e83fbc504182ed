/*
 * bench/symbols — how fast documents' symbols are read (src/formats/symbol.c)
 * beside a POSIX extended regular expression accepting the same language,
 * compiled once with regcomp and run with regexec over the same texts.
 *
 * usage: bench_symbols [--millions N] [--rounds N]
 *
 * It makes N million symbols (2 by default) in the shapes the governing
 * bodies' documents carry, in about the proportions a session's list of
 * documents has them: the Council's and the Standing Committee's session
 * documents, revised or not, drafts, resolutions, information papers,
 * conference room papers, special sessions, the older serial series, a
 * few addenda and corrigenda; and 5% of them mistyped as people mistype
 * them (a lowercase series, a space, "Rev2", a trailing "/", a leading
 * zero).  Each round reads them all with symbol_parse, then all with
 * regexec (REG_NOSUB: the expression only accepts, where the parser also
 * takes the parts out); the figures are those of the round with the median
 * ratio, as the machine is shared and both speeds drift.  It checks that
 * both accept exactly the same texts and prints symbols per second of
 * each, the ratio, and whether the parser meets the goal of over a million
 * a second.  Nothing is asserted: figures go to bench/RESULTS.md.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xorshift.h"
#include "formats/symbol.h"

#define NUM "[1-9][0-9]{0,5}"
static const char pattern[] = "^[A-Z]{1,8}/((Sp/)?" NUM "/((L|RES|INF|CRP)/)?" NUM "|" NUM ")"
			      "(/Rev\\." NUM ")?(/Add\\." NUM ")?(/Corr\\." NUM ")?$";
#define GOAL 1e6   /* symbols a second */
#define ROOM 32    /* bytes a text takes on average at the most: the longest made is 26 and its NUL */

typedef struct texts {
	char *bytes;        /* every text, each followed by a NUL for regexec */
	uint32_t *start;    /* where each begins in bytes */
	uint8_t *len;
	size_t n;
} texts;

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

/* One symbol of a shape drawn by weight, out of a hundred. */
static void realistic(symbol *s)
{
	uint32_t shape = draw(100);
	*s = (symbol){ .series = "C", .session = 100 + draw(20), .number = 1 + draw(40) };
	if (shape < 30)
		return;                                   /* C/115/12 */
	if (shape < 40) {
		s->rev = 1 + draw(3);                     /* C/115/12/Rev.1 */
	} else if (shape < 55) {
		s->kind = SYMBOL_L;                       /* C/114/L/6, now and then revised */
		s->rev = draw(3) ? 0 : 1;
	} else if (shape < 65) {
		s->kind = SYMBOL_RES;                     /* C/115/RES/1412 */
		s->number = 1000 + draw(500);
	} else if (shape < 73) {
		s->kind = SYMBOL_INF;                     /* C/115/INF/3 */
	} else if (shape < 78) {
		s->kind = SYMBOL_CRP;                     /* C/115/CRP/2 */
	} else if (shape < 81) {
		*s = (symbol){ .series = "C", .special = true, .session = 1 + draw(9), .kind = SYMBOL_L, .number = 1 + draw(5) };
	} else if (shape < 91) {
		memcpy(s->series, "S", 2);                /* S/33/4 */
		s->session = 20 + draw(20);
	} else if (shape < 98) {
		*s = (symbol){ .series = "MC", .number = 1000 + draw(2000), .rev = draw(4) ? 0 : 1 };   /* MC/2398/Rev.1 */
	} else {
		s->add = 1;                               /* C/115/1/Add.1/Corr.2 */
		s->corr = 1 + draw(2);
	}
}

/* The mistakes people make typing one, on a written symbol of n bytes
 * (room for two more); the new length. */
static size_t mistype(char *t, size_t n)
{
	char *slash = strchr(t, '/');
	switch (draw(5)) {
	case 0:
		t[0] = (char)(t[0] - 'A' + 'a');          /* c/115/1 */
		return n;
	case 1:
		t[n] = '/';                               /* C/115/1/ */
		return n + 1;
	case 2:
		memmove(slash + 2, slash + 1, n - (size_t)(slash - t));
		slash[1] = ' ';                           /* C/ 115/1 */
		return n + 1;
	case 3:
		memmove(slash + 2, slash + 1, n - (size_t)(slash - t));
		slash[1] = '0';                           /* C/0115/1 */
		return n + 1;
	default:
		t[n] = '/';                               /* C/115/1/Rev2 */
		memcpy(t + n + 1, "Rev2", 5);
		return n + 5;
	}
}

static int make(texts *t, size_t n)
{
	t->n = n;
	size_t cap = n * ROOM + SYMBOL_TEXT_MAX + 8;
	t->bytes = malloc(cap);
	t->start = malloc(n * sizeof *t->start);
	t->len = malloc(n);
	if (!t->bytes || !t->start || !t->len)
		return -1;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (used + SYMBOL_TEXT_MAX + 8 > cap)
			return -1;
		symbol s;
		realistic(&s);
		char *at = t->bytes + used;
		size_t len = (size_t)symbol_format(&s, at, SYMBOL_TEXT_MAX);
		if (draw(100) < 5)
			len = mistype(at, len);
		at[len] = '\0';
		t->start[i] = (uint32_t)used;
		t->len[i] = (uint8_t)len;
		used += len + 1;
	}
	return 0;
}

typedef struct figures {
	double parser, regex;   /* symbols a second */
} figures;

/* Every text through the parser; how many were accepted, and the time. */
static size_t parse_all(const texts *t, double *seconds, uint64_t *sum)
{
	size_t ok = 0;
	uint64_t start = clock_micros();
	for (size_t i = 0; i < t->n; i++) {
		symbol s;
		size_t at;
		symbol_error e = symbol_parse(t->bytes + t->start[i], t->len[i], &s, &at);
		ok += e == SYMBOL_OK;
		*sum += s.number + at;   /* the results used, so that none is optimized away */
	}
	*seconds = (double)(clock_micros() - start) / 1e6;
	return ok;
}

static size_t match_all(const texts *t, const regex_t *re, double *seconds)
{
	size_t ok = 0;
	uint64_t start = clock_micros();
	for (size_t i = 0; i < t->n; i++)
		ok += regexec(re, t->bytes + t->start[i], 0, NULL, 0) == 0;
	*seconds = (double)(clock_micros() - start) / 1e6;
	return ok;
}

/* The texts the parser and the expression disagree on, the first printed. */
static size_t disagreements(const texts *t, const regex_t *re)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const char *text = t->bytes + t->start[i];
		symbol s;
		int parsed = symbol_parse(text, t->len[i], &s, NULL) == SYMBOL_OK;
		int matched = regexec(re, text, 0, NULL, 0) == 0;
		if (parsed != matched && n++ == 0)
			fprintf(stderr, "bench_symbols: '%s' %s by the parser, %s by the expression\n", text,
				parsed ? "accepted" : "refused", matched ? "accepted" : "refused");
	}
	return n;
}

static int by_ratio(const void *a, const void *b)
{
	const figures *x = a, *y = b;
	double p = x->parser / x->regex, q = y->parser / y->regex;
	return p < q ? -1 : p > q;
}

static int run(const texts *t, const regex_t *re, int rounds)
{
	figures *r = calloc((size_t)rounds, sizeof *r);
	uint64_t sum = 0;
	size_t accepted = 0;
	for (int i = 0; i < rounds; i++) {
		double ps, rs;
		accepted = parse_all(t, &ps, &sum);
		if (match_all(t, re, &rs) != accepted) {
			fprintf(stderr, "bench_symbols: the parser and the expression accept different counts\n");
			free(r);
			return -1;
		}
		r[i] = (figures){ (double)t->n / ps, (double)t->n / rs };
	}
	qsort(r, (size_t)rounds, sizeof *r, by_ratio);
	figures m = r[rounds / 2];
	printf("accepted %zu, refused %zu (checksum %llu)\n", accepted, t->n - accepted, (unsigned long long)sum);
	printf("%-14s %12.0f symbols/s  | regcomp/regexec (ERE) %12.0f symbols/s  | ratio %6.1f  | goal > 1,000,000/s: %s\n",
	       "symbol_parse", m.parser, m.regex, m.parser / m.regex, m.parser > GOAL ? "met" : "NOT MET");
	free(r);
	return 0;
}

int main(int argc, char **argv)
{
	double millions = 2;
	int rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--millions") == 0)
			millions = atof(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			millions = -1;
	}
	if (millions <= 0 || millions > 20 || rounds < 1) {
		fprintf(stderr, "usage: bench_symbols [--millions N] [--rounds N]\n");
		return 2;
	}
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "bench_symbols: the expression does not compile\n");
		return 1;
	}
	texts t = { 0 };
	int rc = make(&t, (size_t)(millions * 1e6));
	if (rc == 0) {
		printf("bench_symbols: %zu symbols in the shapes of the governing bodies' documents, 5%% mistyped, %d round%s"
		       " (the median ratio's)\n", t.n, rounds, rounds > 1 ? "s" : "");
		size_t differ = disagreements(&t, &re);
		printf("the parser and the expression %s\n", differ ? "DISAGREE" : "agree on every text");
		rc = differ ? -1 : run(&t, &re, rounds);
	}
	regfree(&re);
	free(t.bytes);
	free(t.start);
	free(t.len);
	return rc ? 1 : 0;
}
