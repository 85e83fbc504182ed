/*
 * bench/worddiff — how fast two revisions of a long document are compared
 * (src/core/worddiff.c) beside GNU diff comparing the same two texts
 * written one word a line, in the same run.
 *
 * usage: bench_worddiff [--words N] [--changed PERCENT] [--rounds N]
 *
 * It writes a text of N words (50,000 by default: about a hundred pages) in
 * paragraphs of 30 to 150 words, of made-up words in the proportions of
 * prose (a few frequent words, many rare ones) with punctuation, and a
 * revision with PERCENT of its words (1 by default) replaced by others,
 * scattered.  Each round compares them with worddiff_texts, then runs
 * `diff` on the two texts one word a line (files written before the
 * timing; the time is the process's, from its start to its exit, output
 * to /dev/null).  The figures are the medians of the rounds.  diff's
 * answer is lines, where worddiff's is paragraphs aligned and the words
 * marked in each: the baseline is the work of finding what changed, done
 * by the tool everybody trusts for it.  Nothing is asserted: figures go to
 * bench/RESULTS.md.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/worddiff.h"
#include "core/xorshift.h"
#include "words.h"
#include "median.h"

extern char **environ;

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

#define VOCABULARY 4000

/* Prose's proportions, roughly: half the words from the fifty most frequent. */
static uint32_t any_word(void)
{
	return draw(2) ? draw(50) : draw(VOCABULARY);
}

typedef struct texts {
	buf old_text, new_text;
	buf old_lines, new_lines;   /* the same words, one a line, for diff */
	size_t changed;
} texts;

static void make(texts *t, size_t words, double percent)
{
	size_t left_in_para = 30 + draw(121);
	for (size_t i = 0; i < words; i++) {
		uint32_t w = any_word(), v = w;
		if (draw(1000000) < (uint32_t)(percent * 10000)) {
			while (v == w)
				v = any_word();
			t->changed++;
		}
		bench_word(&t->old_text, w);
		bench_word(&t->new_text, v);
		bench_word(&t->old_lines, w);
		bench_word(&t->new_lines, v);
		buf_putc(&t->old_lines, '\n');
		buf_putc(&t->new_lines, '\n');
		if (i + 1 == words)
			break;
		const char *after = --left_in_para == 0 ? ".\n" : draw(12) == 0 ? ", " : " ";
		if (!left_in_para)
			left_in_para = 30 + draw(121);
		buf_puts(&t->old_text, after);
		buf_puts(&t->new_text, after);
	}
}

static int write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int bad = fwrite(b->data, 1, b->len, f) != b->len;
	return fclose(f) || bad ? -1 : 0;
}

/* diff on the two files, output to /dev/null: the seconds it took, or -1. */
static double run_diff(const char *a, const char *b)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	char *argv[] = { "diff", (char *)a, (char *)b, NULL };
	pid_t pid;
	uint64_t start = clock_micros();
	int rc = posix_spawnp(&pid, "diff", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	int status = 0;
	if (rc != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return (double)(clock_micros() - start) / 1e6;
}

static int run(const texts *t, const char *a_path, const char *b_path, int rounds)
{
	double *ours = calloc((size_t)rounds, sizeof *ours), *theirs = calloc((size_t)rounds, sizeof *theirs);
	worddiff d = { 0 };
	int rc = -1;
	for (int i = 0; i < rounds; i++) {
		worddiff_free(&d);
		uint64_t start = clock_micros();
		if (worddiff_texts(&d, t->old_text.data, t->old_text.len, t->new_text.data, t->new_text.len, NULL))
			goto done;
		ours[i] = (double)(clock_micros() - start) / 1e6;
		if ((theirs[i] = run_diff(a_path, b_path)) < 0) {
			fprintf(stderr, "bench_worddiff: diff could not be run\n");
			goto done;
		}
	}
	size_t changed_paras = 0;
	for (size_t p = 0; p < d.nparas; p++)
		changed_paras += d.paras[p].kind != WORDDIFF_KEPT;
	printf("paragraphs %zu, %zu not kept; words marked deleted %zu, inserted %zu%s\n", d.nparas, changed_paras,
	       d.words_deleted, d.words_inserted, d.bounded ? " (a bound was reached)" : "");
	double o = bench_median(ours, rounds), g = bench_median(theirs, rounds);
	printf("%-14s %9.2f ms  | GNU diff, one word a line %9.2f ms  | ratio (diff's time / ours) %5.2f\n", "worddiff_texts",
	       o * 1e3, g * 1e3, g / o);
	rc = 0;
done:
	worddiff_free(&d);
	free(ours);
	free(theirs);
	return rc;
}

int main(int argc, char **argv)
{
	long words = 50000;
	double percent = 1;
	int rounds = 7;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--words") == 0)
			words = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--changed") == 0)
			percent = atof(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			words = -1;
	}
	if (words <= 0 || words > 5000000 || percent < 0 || percent > 100 || rounds < 1) {
		fprintf(stderr, "usage: bench_worddiff [--words N] [--changed PERCENT] [--rounds N]\n");
		return 2;
	}
	texts t = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, 0 };
	make(&t, (size_t)words, percent);
	char dir[] = "/tmp/bench_worddiff.XXXXXX", a_path[64] = "", b_path[64] = "";
	int rc = 1;
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_worddiff: no temporary folder\n");
		goto done;
	}
	snprintf(a_path, sizeof a_path, "%s/old", dir);
	snprintf(b_path, sizeof b_path, "%s/new", dir);
	if (write_file(a_path, &t.old_lines) || write_file(b_path, &t.new_lines)) {
		fprintf(stderr, "bench_worddiff: the texts could not be written\n");
		goto done;
	}
	printf("bench_worddiff: %ld words (%zu bytes), %zu of them changed (%.1f%%), %d rounds (medians)\n", words,
	       t.old_text.len, t.changed, percent, rounds);
	rc = run(&t, a_path, b_path, rounds) ? 1 : 0;
done:
	if (*a_path) {
		unlink(a_path);
		unlink(b_path);
		rmdir(dir);
	}
	buf_free(&t.old_text);
	buf_free(&t.new_text);
	buf_free(&t.old_lines);
	buf_free(&t.new_lines);
	return rc;
}
