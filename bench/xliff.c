/*
 * bench/xliff — how fast translation jobs are written and read as XLIFF
 * (src/formats/xliff.c), in both versions.
 *
 * usage: bench_xliff [--segments N] [--rounds N]
 *
 * It writes a job of N segments (100,000 by default) of a Council
 * document, English to French, a third with a tag pair and a placeholder,
 * half translated, a quarter with a memory match, into memory (the figure
 * of writing: segments a second), then reads it back with xliff_read,
 * every segment handed to a callback, in rounds; the figures are the
 * median round's.  Nothing is asserted: figures go to bench/RESULTS.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xorshift.h"
#include "formats/xliff.h"
#include "median.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static const char *const subjects[][2] = {
	{ "The Council", "Le Conseil" },
	{ "The Standing Committee", "Le Comité permanent" },
	{ "The Director General", "Le Directeur général" },
	{ "The delegation of Northland", "La délégation de Northland" },
};
static const char *const verbs[][2] = {
	{ "adopted the report on", "a adopté le rapport sur" },
	{ "took note of", "a pris note de" },
	{ "requested an update on", "a demandé une mise à jour sur" },
};
static const char *const objects[][2] = {
	{ "the programme and budget", "le programme et budget" },
	{ "the strategic plan", "le plan stratégique" },
	{ "item {0} of the agenda", "le point {0} de l'ordre du jour" },
};

static int to_buf(void *ctx, const char *data, size_t n)
{
	buf_add(ctx, data, n);
	return 0;
}

/* Writes the job into out (emptied first); the seconds it took, or -1. */
static double write_job(xliff_version v, size_t n, buf *out)
{
	static const xliff_job job = { "en", "fr", "C/115/1", "Report of the Council" };
	xliff_error err;
	buf_reset(out);
	uint64_t start = clock_micros();
	xliff_writer *w = xliff_write_begin(v, &job, to_buf, out, &err);
	for (size_t i = 0; w && i < n; i++) {
		uint32_t s = xorshift_below(&rng, 4), vb = xorshift_below(&rng, 3), o = xorshift_below(&rng, 3);
		const char *shape = i % 3 == 0 ? "<g1>%s</g1> %s %s (%zu).<x2/>" : "%s %s %s (%zu).";
		char text[2][256];
		for (int l = 0; l < 2; l++)
			snprintf(text[l], sizeof text[l], shape, subjects[s][l], verbs[vb][l], objects[o][l], i);
		xliff_segment seg = { .id = (int)i + 1, .source = text[0], .target = i % 2 ? text[1] : "",
				      .state = i % 2 ? XLIFF_TRANSLATED : XLIFF_NEW };
		if (i % 4 == 0)
			seg.nmatches = 1, seg.matches[0] = (xliff_match){ text[0], text[1], 87, "C/114/3" };
		if (xliff_write_segment(w, &seg, &err)) {
			xliff_write_end(w, &(xliff_error){ 0 });
			w = NULL;
		}
	}
	if (!w || xliff_write_end(w, &err)) {
		fprintf(stderr, "bench_xliff: %s\n", err.message);
		return -1;
	}
	return (double)(clock_micros() - start) / 1e6;
}

static int count_unit(void *ctx, const xliff_file *f, const xliff_unit *u)
{
	(void)f, (void)u;
	(*(size_t *)ctx)++;
	return 0;
}

static double read_job(const buf *in, size_t *units)
{
	*units = 0;
	xliff_reader_cb cb = { NULL, count_unit, units };
	xliff_error err;
	uint64_t start = clock_micros();
	int rc = xliff_read(in->data, in->len, &cb, &err);
	double s = (double)(clock_micros() - start) / 1e6;
	if (rc) {
		fprintf(stderr, "bench_xliff: refused: %s\n", err.message);
		return -1;
	}
	return s;
}

static int bench(xliff_version v, size_t n, int rounds)
{
	double write_s[rounds], read_s[rounds];
	buf doc = BUF_INIT;
	size_t units = 0;
	int rc = -1;
	for (int i = 0; i < rounds; i++) {
		write_s[i] = write_job(v, n, &doc);
		read_s[i] = write_s[i] < 0 ? -1 : read_job(&doc, &units);
		if (read_s[i] < 0 || units != n)
			goto done;
	}
	double w = bench_median(write_s, rounds), r = bench_median(read_s, rounds), mb = (double)doc.len / 1e6;
	printf("XLIFF %d.%d: %.1f MB\n", v / 10, v % 10, mb);
	printf("  %-12s %10.0f segments/s  %7.1f MB/s\n", "xliff_write", (double)n / w, mb / w);
	printf("  %-12s %10.0f segments/s  %7.1f MB/s\n", "xliff_read", (double)n / r, mb / r);
	rc = 0;
done:
	buf_free(&doc);
	return rc;
}

int main(int argc, char **argv)
{
	long segments = 100000;
	int rounds = 5;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--segments") == 0)
			segments = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			segments = -1;
	}
	if (segments <= 0 || segments > 10000000 || rounds < 1 || rounds > 50) {
		fprintf(stderr, "usage: bench_xliff [--segments N] [--rounds N]\n");
		return 2;
	}
	printf("bench_xliff: %ld segments, English to French, %d round%s (the median of each)\n", segments, rounds,
	       rounds > 1 ? "s" : "");
	return bench(XLIFF_12, (size_t)segments, rounds) || bench(XLIFF_20, (size_t)segments, rounds) ? 1 : 0;
}
