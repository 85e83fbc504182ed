/*
 * bench/tm — the translation memory's matching engine
 * (src/domains/translation/memory.c): how fast a memory is loaded, how fast
 * a fuzzy query is answered from the index, and whether the index answers
 * what a scan of every unit answers, with the scan's own time beside.
 *
 * usage: bench_tm [--units N] [--queries N] [--sample N] [--db PATH]
 *
 * It makes a memory of N segment pairs (1,000,000 by default; 10,000,000
 * for the large run) in a fresh database (bench/work/tm.db): sentences of 3
 * to 60 words drawn from a vocabulary of 50,000 made-up words in Zipf's
 * proportions, with numbers, a third of them near-duplicates of an earlier
 * one (a word or two replaced, dropped or added, or a number changed).  The
 * load is one transaction of tm_batch_add calls: units per second.  Then
 * 10,000 queries that are not in the memory, spread over the bands of score
 * by how they are made (six kinds, in turn: an earlier sentence with a
 * number changed, with one, two, four, seven edits, or a new sentence), each
 * asked top-5 from the index at thresholds 50 and 70: p50 and p99.  A sample
 * of them (200 by default), as many of each kind, is asked of tm_fuzzy_scan
 * too, every unit scored by the same scorer: recall at
 * 5 of the index for the scan's matches of 85 and more and of 70 to 84,
 * whether the index's best score is the scan's whenever the scan found one,
 * and the scan's p50 beside the index's.  Nothing is asserted: figures go
 * to the report.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xorshift.h"
#include "words.h"
#include "domains/translation/memory.h"
#include "store/store.h"

#define VOCABULARY 50000

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

static double *zipf_cdf;

/* Zipf's law with exponent 1: word r drawn in proportion to 1 / (r + 1). */
static void zipf_make(void)
{
	zipf_cdf = malloc(VOCABULARY * sizeof *zipf_cdf);
	double sum = 0;
	for (int r = 0; r < VOCABULARY; r++)
		zipf_cdf[r] = sum += 1.0 / (r + 1);
	for (int r = 0; r < VOCABULARY; r++)
		zipf_cdf[r] /= sum;
}

static uint32_t zipf_draw(void)
{
	double u = (double)draw(1u << 30) / (double)(1u << 30);
	uint32_t lo = 0, hi = VOCABULARY - 1;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void any_token(buf *out)
{
	if (draw(20) == 0)
		buf_printf(out, "%u", draw(2000));
	else
		bench_word(out, zipf_draw());
}

/* 3 to 60 words, most between 10 and 35. */
static uint32_t sentence_length(void)
{
	uint32_t n = 3 + draw(16) + draw(16) + (draw(4) == 0 ? draw(26) : 0);
	return n > 60 ? 60 : n;
}

static void sentence(buf *out)
{
	uint32_t n = sentence_length();
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ' ');
		any_token(out);
	}
	buf_putc(out, '.');
}

/* s with edits words replaced, dropped or added; edits 0: one number changed (or added). */
static void near(const char *s, uint32_t edits, buf *out)
{
	char *copy = strdup(s), *words[128];
	size_t n = 0;
	size_t len = strlen(copy);
	if (len && copy[len - 1] == '.')
		copy[len - 1] = '\0';
	for (char *w = strtok(copy, " "); w && n < 120; w = strtok(NULL, " "))
		words[n++] = w;
	buf extra[8] = { BUF_INIT };
	if (!edits) {
		size_t at = draw((uint32_t)n);
		buf_printf(&extra[0], "%u", 2000 + draw(2000));
		for (size_t i = 0; i < n; i++)
			if (words[i][0] >= '0' && words[i][0] <= '9')
				at = i;
		words[at] = extra[0].data;
	}
	for (uint32_t e = 0; e < edits && e < 8 && n > 1; e++) {
		uint32_t at = draw((uint32_t)n), how = draw(3);
		any_token(&extra[e]);
		if (how == 0)
			words[at] = extra[e].data;
		else if (how == 1) {
			memmove(&words[at], &words[at + 1], (n - at - 1) * sizeof *words);
			n--;
		} else {
			memmove(&words[at + 1], &words[at], (n - at) * sizeof *words);
			words[at] = extra[e].data;
			n++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ' ');
		buf_puts(out, words[i]);
	}
	buf_putc(out, '.');
	for (int e = 0; e < 8; e++)
		buf_free(&extra[e]);
	free(copy);
}

/* The memory's sources, kept to make near-duplicates and queries of. */
typedef struct corpus {
	char **s;
	size_t n;
} corpus;

/* This process's processor time so far, in seconds: on a shared machine
 * the wall clock also counts the others' work. */
static double cpu_seconds(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_stime.tv_sec + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static double load_cpu_rate;

static double load(store *st, corpus *c, size_t units)
{
	double cpu0 = cpu_seconds();
	store_bulk_mode(st);
	store_conn *w = store_begin(st);
	tm_batch *b = tm_batch_begin(w);
	char err[256];
	uint64_t t0 = clock_micros();
	c->s = malloc(units * sizeof *c->s);
	for (size_t i = 0; i < units; i++) {
		buf s = BUF_INIT, t = BUF_INIT;
		if (i > 100 && draw(3) == 0)
			near(c->s[draw((uint32_t)i)], draw(3), &s);
		else
			sentence(&s);
		buf_printf(&t, "[fr] %s", s.data);
		char when[32];
		snprintf(when, sizeof when, "20%02u-%02u-%02uT10:00:00Z", 10 + (unsigned)(i * 15 / units), 1 + draw(12),
			 1 + draw(28));
		tm_unit u = { "en", "fr", s.data, t.data, "C/115/1", (int64_t)(1 + i / 500), "A. Translator", when,
			      NULL, NULL };
		if (tm_batch_add(b, &u, NULL, err, sizeof err)) {
			fprintf(stderr, "bench_tm: %s\n", err);
			exit(1);
		}
		c->s[i] = buf_steal(&s);
		buf_free(&t);
	}
	if (tm_batch_end(b, err, sizeof err) || store_commit(w) != STORE_OK) {
		fprintf(stderr, "bench_tm: %s\n", err);
		exit(1);
	}
	store_bulk_end(st);
	c->n = units;
	load_cpu_rate = (double)units / (cpu_seconds() - cpu0);
	return (double)units / ((double)(clock_micros() - t0) / 1e6);
}

/* A query by kind: 0 a number changed, 1, 2, 4 and 7 edits, 5 a new sentence. */
#define KINDS 6

static char *query_of(const corpus *c, int kind)
{
	static const uint32_t edits[] = { 0, 1, 2, 4, 7 };
	buf s = BUF_INIT;
	if (kind == 5)
		sentence(&s);
	else
		near(c->s[draw((uint32_t)c->n)], edits[kind], &s);
	return buf_steal(&s);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double at_rank(uint64_t *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_u64);
	return n ? (double)v[(size_t)(q * (double)(n - 1))] / 1000.0 : 0;
}

typedef struct recall {
	size_t want_hi, got_hi, want_mid, got_mid;  /* >= 85 and 70..84 matches of the scan, found by the index */
	size_t top_cases, top_same;
} recall;

/* The i-th query of the scan's sample: the sample spread over the queries,
 * and every kind in turn (query i is of kind i % KINDS). */
static size_t sampled(size_t i, size_t sample, size_t queries)
{
	size_t step = sample && queries / sample ? queries / sample : 1;
	size_t at = i * step - i * step % KINDS + i % KINDS;
	return at < queries ? at : queries - 1;
}

static void compare(const tm_match *x, size_t nx, const tm_match *y, size_t ny, recall *r)
{
	for (size_t i = 0; i < ny; i++) {
		int found = 0;
		for (size_t j = 0; j < nx; j++)
			found |= x[j].id == y[i].id;
		if (y[i].score >= 85) {
			r->want_hi++;
			r->got_hi += found;
		} else if (y[i].score >= 70) {
			r->want_mid++;
			r->got_mid += found;
		}
	}
	if (ny) {
		r->top_cases++;
		r->top_same += nx && x[0].score == y[0].score;
	}
}

int main(int argc, char **argv)
{
	size_t units = 1000000, queries = 10000, sample = 200;
	const char *path = "bench/work/tm.db";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--units"))
			units = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--queries"))
			queries = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--sample"))
			sample = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--db"))
			path = argv[i + 1];
	}
	char err[256], wal[512];
	if (system("mkdir -p bench/work") != 0)
		return 1;
	unlink(path);
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	store *st = store_open(path, err, sizeof err);
	if (!st || store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "bench_tm: %s\n", err);
		return 1;
	}
	zipf_make();
	corpus c;
	printf("translation memory: %zu units, %zu queries, scan sample %zu\n", units, queries, sample);
	double rate = load(st, &c, units);
	printf("bulk load            %10.0f units/s (goal 50,000); %.0f units per second of processor time "
	       "(the sentences' making included)\n", rate, load_cpu_rate);

	char **q = malloc(queries * sizeof *q);
	for (size_t i = 0; i < queries; i++)
		q[i] = query_of(&c, (int)(i % KINDS));
	store_conn *r = store_reader(st);
	static const int thresholds[] = { 50, 70 };
	uint64_t *lat = malloc(queries * sizeof *lat);
	for (size_t t = 0; t < 2; t++) {
		uint64_t entries = 0, verified = 0;
		size_t bounded = 0;
		for (size_t i = 0; i < queries; i++) {
			arena a = ARENA_INIT;
			tm_query tq = { "en", "fr", q[i], NULL, NULL, thresholds[t], 5 };
			tm_match *m;
			size_t n;
			tm_stats s;
			uint64_t t0 = clock_micros();
			if (tm_fuzzy(r, &tq, &a, &m, &n, &s, err, sizeof err)) {
				fprintf(stderr, "bench_tm: %s\n", err);
				return 1;
			}
			lat[i] = clock_micros() - t0;
			entries += s.entries;
			verified += s.verified;
			bounded += s.bounded;
			arena_free(&a);
		}
		printf("fuzzy top-5 at %d      p50 %7.2f ms  p99 %7.2f ms  (goal 5 / 50; postings %.0f, verified %.1f, "
		       "bounded %zu per query mean)\n",
		       thresholds[t], at_rank(lat, queries, 0.5), at_rank(lat, queries, 0.99),
		       (double)entries / (double)queries, (double)verified / (double)queries, bounded);
	}

	recall rc = { 0 };
	size_t kinds[KINDS] = { 0 };
	uint64_t *scan = malloc((sample + 1) * sizeof *scan), *ours = malloc((sample + 1) * sizeof *ours);
	for (size_t i = 0; i < sample && i < queries; i++) {
		arena a = ARENA_INIT;
		size_t at = sampled(i, sample, queries);
		tm_query tq = { "en", "fr", q[at], NULL, NULL, 50, 5 };
		tm_match *x, *y;
		size_t nx, ny;
		uint64_t t0 = clock_micros();
		if (tm_fuzzy(r, &tq, &a, &x, &nx, NULL, err, sizeof err))
			return 1;
		uint64_t t1 = clock_micros();
		if (tm_fuzzy_scan(r, &tq, &a, &y, &ny, err, sizeof err))
			return 1;
		ours[i] = t1 - t0;
		scan[i] = clock_micros() - t1;
		compare(x, nx, y, ny, &rc);
		kinds[at % KINDS]++;
		arena_free(&a);
	}
	double p50_ours = at_rank(ours, sample, 0.5), p50_scan = at_rank(scan, sample, 0.5);
	double p99_ours = at_rank(ours, sample, 0.99), p99_scan = at_rank(scan, sample, 0.99);
	printf("recall@5 >= 85       %.4f (%zu of %zu; goal 0.99)\n",
	       rc.want_hi ? (double)rc.got_hi / (double)rc.want_hi : 1.0, rc.got_hi, rc.want_hi);
	printf("recall@5 70-84       %.4f (%zu of %zu; goal 0.95)\n",
	       rc.want_mid ? (double)rc.got_mid / (double)rc.want_mid : 1.0, rc.got_mid, rc.want_mid);
	printf("top-1 score as scan  %zu of %zu\n", rc.top_same, rc.top_cases);
	printf("scan sample by kind  ");
	for (int k = 0; k < KINDS; k++)
		printf("%s%zu", k ? " / " : "", kinds[k]);
	printf(" (number changed / 1, 2, 4, 7 edits / new sentence)\n");
	printf("scan of every unit   p50 %9.2f ms | index p50 %7.2f ms on the same sample | ratio %.0fx\n", p50_scan,
	       p50_ours, p50_ours > 0 ? p50_scan / p50_ours : 0);
	printf("                     p99 %9.2f ms | index p99 %7.2f ms                    | ratio %.0fx\n", p99_scan,
	       p99_ours, p99_ours > 0 ? p99_scan / p99_ours : 0);
	store_close(st);
	return 0;
}
