/*
 * bench/tmx — how fast translation memories are read and written
 * (src/formats/tmx.c), beside libxml2's bare streaming reader walking the
 * same file with no work done (the floor any reader built on it stands
 * on) and `xmllint --stream --noout` on the same file.
 *
 * usage: bench_tmx [--units N] [--languages 2|3] [--rounds N]
 *
 * It writes N units (200,000 by default) of a Council memory with the
 * writer, each in English, French and Spanish (or English and French, as
 * most memories of the desktop tools are bilingual), a third with a tag pair and
 * a placeholder, some with properties, to a file in /tmp (the figure of
 * writing: units a second, the output discarded), then reads the file
 * with tmx_read_fd, with the bare walk, and with xmllint, in rounds; the
 * figures are the median round's.  It prints units a second of each, the
 * ratios, and whether reading meets the goal of over 200,000 units a
 * second (an import runs at 50,000 a second, the database included).
 * Nothing is asserted: figures go to bench/RESULTS.md.
 */
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/xorshift.h"
#include "formats/tmx.h"
#include "fileout.h"
#include "median.h"
#include "xmllint.h"

#define GOAL 200000.0   /* units a second */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static int languages = 3;

static const char *const subjects[][3] = {
	{ "The Council", "Le Conseil", "El Consejo" },
	{ "The Standing Committee", "Le Comité permanent", "El Comité Permanente" },
	{ "The Director General", "Le Directeur général", "El Director General" },
	{ "The delegation of Northland", "La délégation de Northland", "La delegación de Northland" },
};
static const char *const verbs[][3] = {
	{ "adopted the report on", "a adopté le rapport sur", "aprobó el informe sobre" },
	{ "took note of", "a pris note de", "tomó nota de" },
	{ "requested an update on", "a demandé une mise à jour sur", "solicitó una actualización sobre" },
};
static const char *const objects[][3] = {
	{ "the programme and budget", "le programme et budget", "el programa y presupuesto" },
	{ "the strategic plan", "le plan stratégique", "el plan estratégico" },
	{ "item {0} of the agenda", "le point {0} de l'ordre du jour", "el punto {0} del orden del día" },
};

/* Writes n units to fd (or nowhere when fd < 0); the seconds it took, or -1. */
static double write_units(int fd, size_t n, size_t *bytes)
{
	static const char *const langs[3] = { "en", "fr", "es" };
	file_out f = { fd, 0 };
	tmx_error err;
	uint64_t start = clock_micros();
	tmx_writer *w = tmx_writer_open(&(tmx_header){ .srclang = "en", .tool_version = "bench" }, to_file, &f, &err);
	for (size_t i = 0; w && i < n; i++) {
		uint32_t s = xorshift_below(&rng, 4), v = xorshift_below(&rng, 3), o = xorshift_below(&rng, 3);
		int tagged = i % 3 == 0;
		char text[3][256];
		tmx_variant var[3];
		for (int l = 0; l < languages; l++) {
			snprintf(text[l], sizeof text[l], tagged ? "<g1>%s</g1> %s %s (%zu).<x2/>" : "%s %s %s (%zu).",
				 subjects[s][l], verbs[v][l], objects[o][l], i);
			var[l] = (tmx_variant){ .text = text[l], .len = strlen(text[l]) };
			strcpy(var[l].lang, langs[l]);
		}
		char tuid[32];
		snprintf(tuid, sizeof tuid, "c115-%zu", i);
		tmx_prop props[2] = { { "origin", "C/115/1" }, { "context", "agenda item 4" } };
		tmx_unit u = { .tuid = tuid, .created = "2026-12-07T10:15:00Z", .creator = "T.Okafor",
			       .variants = var, .nvariants = (size_t)languages, .props = props, .nprops = i % 4 == 0 ? 2 : 0 };
		if (tmx_writer_unit(w, &u, &err)) {
			fprintf(stderr, "bench_tmx: %s\n", err.reason);
			return -1;
		}
	}
	if (!w || tmx_writer_close(w, &err)) {
		fprintf(stderr, "bench_tmx: %s\n", err.reason);
		return -1;
	}
	*bytes = f.bytes;
	return (double)(clock_micros() - start) / 1e6;
}

static int count_unit(void *ctx, const tmx_unit *u)
{
	*(size_t *)ctx += u->nvariants;
	return 0;
}

static double read_liaison(const char *path, size_t *variants)
{
	int fd = open(path, O_RDONLY);
	*variants = 0;
	tmx_reader_opts o = { NULL, count_unit, variants, NULL };
	tmx_error err;
	uint64_t start = clock_micros();
	int rc = tmx_read_fd(fd, &o, &err);
	double s = (double)(clock_micros() - start) / 1e6;
	close(fd);
	if (rc) {
		fprintf(stderr, "bench_tmx: refused at line %ld: %s\n", err.line, err.reason);
		return -1;
	}
	return s;
}

/* libxml2's streaming reader over the file, every node visited, nothing done. */
static double read_bare(const char *path, size_t *nodes)
{
	int fd = open(path, O_RDONLY);
	uint64_t start = clock_micros();
	xmlTextReaderPtr r = xmlReaderForFd(fd, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	*nodes = 0;
	int rc;
	while ((rc = xmlTextReaderRead(r)) == 1)
		(*nodes)++;
	xmlFreeTextReader(r);
	double s = (double)(clock_micros() - start) / 1e6;
	close(fd);
	return rc == 0 ? s : -1;
}

static int bench(const char *path, size_t units, int rounds)
{
	double write_s[rounds], ours[rounds], bare[rounds], lint[rounds];
	size_t bytes = 0, variants = 0, nodes = 0;
	for (int i = 0; i < rounds; i++) {
		write_s[i] = write_units(-1, units, &bytes);
		ours[i] = read_liaison(path, &variants);
		bare[i] = read_bare(path, &nodes);
		lint[i] = bench_xmllint_stream(path);
		if (write_s[i] < 0 || ours[i] < 0 || bare[i] < 0 || lint[i] < 0 || variants != (size_t)languages * units)
			return -1;
	}
	double w = bench_median(write_s, rounds), r = bench_median(ours, rounds);
	double b = bench_median(bare, rounds), l = bench_median(lint, rounds);
	printf("file: %zu units, %zu variants, %.1f MB, %zu nodes\n", units, variants, (double)bytes / 1e6, nodes);
	printf("%-28s %10.0f units/s  %7.1f MB/s\n", "tmx_writer (to nowhere)", (double)units / w, (double)bytes / 1e6 / w);
	printf("%-28s %10.0f units/s  %7.1f MB/s  | goal > 200,000/s: %s\n", "tmx_read_fd", (double)units / r,
	       (double)bytes / 1e6 / r, (double)units / r > GOAL ? "met" : "NOT MET");
	printf("%-28s %10.0f units/s  %7.1f MB/s  | tmx_read_fd at %.2f of its speed\n", "bare xmlTextReader walk",
	       (double)units / b, (double)bytes / 1e6 / b, b / r);
	printf("%-28s %10.0f units/s  %7.1f MB/s  | tmx_read_fd at %.2f of its speed\n", "xmllint --stream --noout",
	       (double)units / l, (double)bytes / 1e6 / l, l / r);
	return 0;
}

int main(int argc, char **argv)
{
	long units = 200000;
	int rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--units") == 0)
			units = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--languages") == 0)
			languages = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			units = -1;
	}
	if (units <= 0 || units > 50000000 || rounds < 1 || rounds > 50 || languages < 2 || languages > 3) {
		fprintf(stderr, "usage: bench_tmx [--units N] [--languages 2|3] [--rounds N]\n");
		return 2;
	}
	char path[] = "/tmp/bench_tmx_XXXXXX";
	int fd = mkstemp(path);
	size_t bytes;
	if (fd < 0 || write_units(fd, (size_t)units, &bytes) < 0) {
		fprintf(stderr, "bench_tmx: cannot write %s\n", path);
		return 1;
	}
	close(fd);
	printf("bench_tmx: %ld units in English, French%s, %d round%s (the median of each)\n", units,
	       languages == 3 ? " and Spanish" : "", rounds, rounds > 1 ? "s" : "");
	int rc = bench(path, (size_t)units, rounds);
	unlink(path);
	return rc ? 1 : 0;
}
