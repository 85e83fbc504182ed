/*
 * bench/iati — how fast IATI activity files are read (src/formats/iati.c),
 * beside `xmllint --stream --noout` over the same file: libxml2's own
 * streaming walk with no work done, the floor a reader built on it stands
 * on.
 *
 * usage: bench_iati [--mb N] [--rounds N]
 *
 * It writes activities with the writer to a file in /tmp until the file
 * holds N MB (100 by default; bench/iatigen.c, shared with bench_funding).
 * Then it reads the
 * file with iati_read, and with xmllint, in rounds; the figures are the
 * median round's.  It prints MB a second of each, the ratio, and whether
 * reading meets the goal of 50 MB a second.  Nothing is asserted.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "formats/iati.h"
#include "iatigen.h"
#include "median.h"
#include "xmllint.h"

#define GOAL 50.0   /* MB a second */

typedef struct counts {
	size_t activities, transactions;
} counts;

static int count(void *ctx, const iati_activity *a)
{
	counts *c = ctx;
	c->activities++;
	c->transactions += a->ntransactions;
	return 0;
}

static double read_liaison(const char *path, counts *c)
{
	static const iati_read_callbacks cb = { NULL, count };
	int fd = open(path, O_RDONLY);
	iati_warnings w = IATI_WARNINGS_INIT;
	iati_error err;
	*c = (counts){ 0 };
	uint64_t start = clock_micros();
	int rc = iati_read(&(xmlstream_input){ NULL, 0, fd }, &cb, c, &w, &err);
	double s = (double)(clock_micros() - start) / 1e6;
	close(fd);
	if (rc || w.count)
		fprintf(stderr, "bench_iati: %s at line %ld: %s\n", rc ? "refused" : "warned", rc ? err.line : w.v[0].line,
			rc ? err.reason : w.v[0].reason);
	iati_warnings_free(&w);
	return rc ? -1 : s;
}

static int bench(const char *path, size_t bytes, size_t activities, size_t transactions, int rounds)
{
	double ours[rounds], lint[rounds];
	counts c;
	for (int i = 0; i < rounds; i++) {
		ours[i] = read_liaison(path, &c);
		lint[i] = bench_xmllint_stream(path);
		if (ours[i] < 0 || lint[i] < 0 || c.activities != activities || c.transactions != transactions)
			return -1;
	}
	double r = bench_median(ours, rounds), l = bench_median(lint, rounds), mb = (double)bytes / 1e6;
	printf("file: %.1f MB, %zu activities, %zu transactions\n", mb, activities, transactions);
	printf("%-28s %7.1f MB/s  %8.0f activities/s  | goal >= 50 MB/s: %s\n", "iati_read (from its file)", mb / r,
	       (double)activities / r, mb / r >= GOAL ? "met" : "NOT MET");
	printf("%-28s %7.1f MB/s  | iati_read at %.2f of its speed\n", "xmllint --stream --noout", mb / l, l / r);
	return 0;
}

int main(int argc, char **argv)
{
	long mb = 100;
	int rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--mb") == 0)
			mb = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			mb = -1;
	}
	if (mb <= 0 || mb > 10000 || rounds < 1 || rounds > 50) {
		fprintf(stderr, "usage: bench_iati [--mb N] [--rounds N]\n");
		return 2;
	}
	char path[] = "/tmp/bench_iati_XXXXXX";
	int fd = mkstemp(path);
	size_t bytes = 0, transactions = 0, activities = fd < 0 ? 0 : iatigen_write_file(fd, (size_t)mb, &bytes, &transactions);
	if (fd >= 0)
		close(fd);
	if (activities == 0) {
		fprintf(stderr, "bench_iati: cannot write %s\n", path);
		unlink(path);
		return 1;
	}
	printf("bench_iati: %ld MB of IATI 2.03 activities, %d round%s (the median of each)\n", mb, rounds,
	       rounds > 1 ? "s" : "");
	int rc = bench(path, bytes, activities, transactions, rounds);
	unlink(path);
	return rc ? 1 : 0;
}
