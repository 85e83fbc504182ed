/*
 * bench_translation — what a translation manager waits for: a TMX file
 * imported into the memory, and the leverage of a 10,000-word document
 * against it.
 *
 *   bench_translation [--units N] [--words N] [--db PATH]
 *
 * A TMX file of N units (English and French, sentences of 3 to 40 made-up
 * words, a number in one in four) is written, then:
 *   - read alone with the TMX reader and a callback that does nothing: the
 *     baseline, what parsing costs;
 *   - imported into an empty memory by memory_import, streamed from the
 *     file in one transaction, as `liaison tm import` does: units/s beside
 *     the baseline, and the ratio (goal 50,000 units/s);
 * then a document of the words asked is made — a third of its sentences
 * from the memory as they are, a quarter changed in a word or two, one in
 * ten repeated within the document, the rest new — and its leverage taken
 * three times (goal: under 1 s for 10,000 words).  Both at two sizes show
 * how the cost grows: run with --units 200000 and --units 1000000.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xorshift.h"
#include "domains/translation/translation.h"
#include "formats/tmx.h"
#include "formats/words.h"
#include "median.h"
#include "words.h"

static uint64_t rng = 0x2545F4914F6CDD1Du;

/* Sentence i of the memory, as its English and French. */
static void sentence(buf *en, buf *fr, uint64_t i)
{
	uint64_t seed = i * 0x9E3779B97F4A7C15u + 1;
	uint32_t words = 3 + (uint32_t)xorshift_below(&seed, 38);
	buf_reset(en);
	buf_reset(fr);
	for (uint32_t w = 0; w < words; w++) {
		uint32_t word = (uint32_t)xorshift_below(&seed, 20000);
		if (w) {
			buf_putc(en, ' ');
			buf_putc(fr, ' ');
		}
		if (w == 1 && i % 4 == 0) {
			buf_printf(en, "%u", (unsigned)(i % 997));
			buf_printf(fr, "%u", (unsigned)(i % 997));
			continue;
		}
		bench_word(en, word);
		bench_word(fr, word + 7);
	}
	buf_putc(en, '.');
	buf_putc(fr, '.');
	if (en->data[0] >= 'a' && en->data[0] <= 'z')
		en->data[0] = (char)(en->data[0] - 32);
}

static int write_tmx(const char *path, size_t units)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"bench\" "
	      "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"bench\" adminlang=\"en\" srclang=\"en\" "
	      "datatype=\"plaintext\"/>\n<body>\n", f);
	buf en = BUF_INIT, fr = BUF_INIT;
	for (size_t i = 0; i < units; i++) {
		sentence(&en, &fr, i);
		fprintf(f, "<tu><tuv xml:lang=\"en\"><seg>%s</seg></tuv><tuv xml:lang=\"fr\"><seg>%s</seg></tuv></tu>\n",
			buf_str(&en), buf_str(&fr));
	}
	fputs("</body>\n</tmx>\n", f);
	buf_free(&en);
	buf_free(&fr);
	return fclose(f);
}

static int nothing(void *ctx, const tmx_unit *u)
{
	(void)u;
	++*(size_t *)ctx;
	return 0;
}

/* Seconds to read the file with a callback that does nothing. */
static double parse_only(const char *path, size_t *units)
{
	int fd = open(path, O_RDONLY);
	tmx_reader_opts o = { NULL, nothing, units, NULL };
	tmx_error err;
	uint64_t t0 = clock_micros();
	int rc = fd >= 0 ? tmx_read_fd(fd, &o, &err) : -1;
	double s = (double)(clock_micros() - t0) / 1e6;
	if (fd >= 0)
		close(fd);
	return rc ? -1 : s;
}

/* A document of about words words: sentences of the memory as they are,
 * changed, repeated, and new. */
static char *document(size_t units, size_t words)
{
	buf doc = BUF_INIT, en = BUF_INIT, fr = BUF_INIT;
	size_t n = 0, sentences = 0;
	uint64_t earlier[64] = { 0 };
	while (n < words) {
		uint32_t kind = (uint32_t)xorshift_below(&rng, 100);
		uint64_t which = xorshift_below(&rng, units);
		if (kind < 10 && sentences >= 64)
			which = earlier[xorshift_below(&rng, 64)];        /* a repetition */
		else if (kind >= 67)
			which = units + xorshift_below(&rng, 1u << 30);   /* new: beyond the memory */
		sentence(&en, &fr, which);
		if (kind >= 10 && kind < 35) {   /* one word changed */
			char *space = strchr(en.data, ' ');
			if (space)
				*(space + 1) = *(space + 1) == 'z' ? 'y' : 'z';
		}
		earlier[sentences++ % 64] = which;
		buf_printf(&doc, "%s%s", doc.len ? (sentences % 5 == 0 ? "\n\n" : " ") : "", buf_str(&en));
		n += (size_t)words_counted(en.data, en.len);
	}
	buf_free(&en);
	buf_free(&fr);
	return buf_steal(&doc);
}

int main(int argc, char **argv)
{
	size_t units = 200000, words = 10000;
	const char *path = "bench/work/translation.db", *tmx = "bench/work/memory.tmx";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--units"))
			units = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--words"))
			words = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--db"))
			path = argv[i + 1];
	}
	char err[320], wal[512];
	if (system("mkdir -p bench/work") != 0 || write_tmx(tmx, units)) {
		fprintf(stderr, "bench_translation: cannot write %s\n", tmx);
		return 1;
	}
	unlink(path);
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	store *st = store_open(path, err, sizeof err);
	if (!st || store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "bench_translation: %s\n", err);
		return 1;
	}
	size_t parsed = 0;
	double base = parse_only(tmx, &parsed);
	int fd = open(tmx, O_RDONLY);
	memory_imported got;
	uint64_t t0 = clock_micros();
	if (fd < 0 || memory_import(st, NULL, 0, fd, "C/115/1", &got)) {
		fprintf(stderr, "bench_translation: import: %s\n", fd < 0 ? "cannot open the file" : got.error);
		return 1;
	}
	double took = (double)(clock_micros() - t0) / 1e6;
	close(fd);
	printf("TMX import of %zu units: %.0f units/s (goal 50,000); parsing alone %.0f units/s; ratio %.2f\n", units,
	       (double)got.units / took, (double)parsed / base, base / took);

	char *doc = document(units, words);
	user u = { 0, "bench", ROLE_ADMIN, NULL, 0, "en" };
	double times[3];
	leverage l = { 0 };
	for (int run = 0; run < 3; run++) {
		model_ctx m;
		model_init(&m, st, NULL, &u);
		store_conn *c = store_reader(st);
		uint64_t t1 = clock_micros();
		if (!c || leverage_of(&m, c, "en", "fr", doc, &l)) {
			fprintf(stderr, "bench_translation: leverage: %s\n", m.detail ? m.detail : "no reader");
			return 1;
		}
		times[run] = (double)(clock_micros() - t1) / 1e6;
		model_done(&m);
	}
	printf("leverage of %lld words (%lld sentences) against %zu units: median %.3f s (goal < 1 s); "
	       "per sentence %.2f ms\n", (long long)l.total_words, (long long)l.total_segments, units,
	       bench_median(times, 3), bench_median(times, 3) * 1e3 / (double)(l.total_segments ? l.total_segments : 1));
	printf("  bands (sentences): in context %lld, 100 %lld, 95-99 %lld, 85-94 %lld, 75-84 %lld, 50-74 %lld, none %lld, "
	       "repetitions %lld\n", (long long)l.segments[BAND_IN_CONTEXT], (long long)l.segments[BAND_EXACT],
	       (long long)l.segments[BAND_95], (long long)l.segments[BAND_85], (long long)l.segments[BAND_75],
	       (long long)l.segments[BAND_50], (long long)l.segments[BAND_NONE], (long long)l.segments[BAND_REPETITION]);
	free(doc);
	store_close(st);
	return 0;
}
