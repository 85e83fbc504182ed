/*
 * bench/extract — how fast the text of a PDF comes out (src/formats/extract.c)
 * beside poppler's own pdftotext on the same file, in the same run.
 *
 * usage: bench_extract [--pages N] [--rounds N]
 *
 * It writes a document of N pages (100 by default) with the project's PDF
 * writer (Cairo and Pango): on each page six paragraphs, a heading between
 * the third and the fourth (where it falls on no two pages at the same height
 * with the same words, as a running head does), each paragraph of
 * five sentences drawn from the kind of text the governing bodies' reports
 * hold, in English, French and Spanish, about 550 words a page.  Each round
 * reads it with extract_text from memory, then runs pdftotext (reading order,
 * UTF-8) on the same bytes in a file, its process's start included, as any
 * caller of it pays that; the figures are those of the round with the median
 * ratio, as the machine is shared.  It prints the words each found (they
 * should agree closely: pdftotext keeps a word cut by a hyphen in two), the
 * pages per second of both, the ratio, and whether the extraction meets the
 * goal of under a second for 100 pages.  Nothing is asserted: figures go to
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

#include "core/clock.h"
#include "core/file.h"
#include "formats/extract.h"
#include "formats/pdf.h"

#define PARAGRAPHS 6   /* a page's, with its heading: they fit an A4 page at the writer's size */
#define SENTENCES 5    /* a paragraph's */
#define GOAL 1.0       /* seconds for 100 pages */

extern char **environ;

static const char *const sentences[] = {
	"The Council took note of the report of the Standing Committee on Programmes and Finance on its thirty-third session.",
	"Member States welcomed the progress made in strengthening partnerships with regional consultative processes.",
	"Several delegations requested that the Administration present an updated budget before the next session.",
	"The Director General thanked the donors whose contributions had made the emergency programmes possible.",
	"Le Conseil a pris note avec satisfaction du rapport annuel et des recommandations du Comit\u00e9 permanent.",
	"Plusieurs d\u00e9l\u00e9gations ont soulign\u00e9 l\u2019importance de la coop\u00e9ration avec les organisations r\u00e9gionales.",
	"Les \u00c9tats membres ont \u00e9t\u00e9 invit\u00e9s \u00e0 pr\u00e9senter leurs observations \u00e9crites avant la fin du mois.",
	"La Administraci\u00f3n inform\u00f3 sobre la ejecuci\u00f3n del presupuesto y las medidas de eficiencia adoptadas.",
	"Las delegaciones acogieron con beneplácito la colaboraci\u00f3n con la sociedad civil y el sector acad\u00e9mico.",
	"El Comit\u00e9 recomend\u00f3 que el Consejo aprobara el programa de trabajo propuesto para el pr\u00f3ximo a\u00f1o.",
	"The meeting agreed to continue the consultations informally and to report back at the resumed session.",
	"Une d\u00e9l\u00e9gation a demand\u00e9 des pr\u00e9cisions sur la r\u00e9partition g\u00e9ographique du personnel.",
};
#define NSENTENCES (sizeof sentences / sizeof sentences[0])

/* The k-th sentence of the document: spread over the pool by a
 * multiplicative hash, so that no two paragraphs run alike. */
static const char *sentence(uint32_t k)
{
	return sentences[(k * 2654435761u >> 8) % NSENTENCES];
}

static int make_document(int pages, buf *pdf)
{
	pdf_doc *d = pdf_new("Report of the Council", "en");
	if (!d)
		return -1;
	buf para = BUF_INIT, heading = BUF_INIT;
	uint32_t k = 0;
	for (int p = 0; p < pages; p++) {
		for (int i = 0; i < PARAGRAPHS; i++) {
			if (i == PARAGRAPHS / 2) {
				buf_reset(&heading);
				buf_printf(&heading, "%d. Agenda item %d", p + 1, p + 1);
				pdf_heading(d, 2, buf_str(&heading));
			}
			buf_reset(&para);
			for (int s = 0; s < SENTENCES; s++)
				buf_printf(&para, "%s%s", s ? " " : "", sentence(k++));
			pdf_paragraph(d, buf_str(&para));
		}
		pdf_page_break(d);
	}
	buf_free(&para);
	buf_free(&heading);
	char err[256];
	if (pdf_finish(d, pdf, err, sizeof err) < 0) {
		fprintf(stderr, "bench_extract: %s\n", err);
		return -1;
	}
	return 0;
}

/* pdftotext on the file, its text into out_path; the seconds, or -1. */
static double run_pdftotext(const char *pdf_path, const char *out_path)
{
	char *argv[] = { "pdftotext", "-q", "-enc", "UTF-8", (char *)pdf_path, (char *)out_path, NULL };
	uint64_t start = clock_micros();
	pid_t pid;
	if (posix_spawnp(&pid, "pdftotext", NULL, NULL, argv, environ) != 0)
		return -1;
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return (double)(clock_micros() - start) / 1e6;
}

/* The seconds extract_text takes, or -1; the words and paragraphs it found. */
static double run_extract(const buf *pdf, size_t *words, size_t *paragraphs)
{
	buf out = BUF_INIT;
	char err[256];
	uint64_t start = clock_micros();
	int rc = extract_text((const unsigned char *)pdf->data, pdf->len, DOC_PDF, NULL, &out, words, err, sizeof err);
	double took = (double)(clock_micros() - start) / 1e6;
	*paragraphs = out.len > 0;
	for (size_t i = 0; i < out.len; i++)
		*paragraphs += out.data[i] == '\n';
	buf_free(&out);
	if (rc < 0)
		fprintf(stderr, "bench_extract: %s\n", err);
	return rc < 0 ? -1 : took;
}

typedef struct round {
	double ours, theirs;   /* seconds */
} round;

static int by_ratio(const void *a, const void *b)
{
	const round *x = a, *y = b;
	double p = x->theirs / x->ours, q = y->theirs / y->ours;
	return p < q ? -1 : p > q;
}

static size_t words_of_file(const char *path)
{
	char *text = NULL;
	size_t len = 0, words = 0;
	if (file_read(path, 64u << 20, &text, &len, NULL, 0) == 0)
		words = extract_count_words(text, len);
	free(text);
	return words;
}

static int bench(const buf *pdf, int pages, int rounds, const char *pdf_path, const char *txt_path)
{
	round *r = calloc((size_t)rounds, sizeof *r);
	size_t ours_words = 0, paragraphs = 0;
	for (int i = 0; i < rounds; i++) {
		r[i].ours = run_extract(pdf, &ours_words, &paragraphs);
		r[i].theirs = run_pdftotext(pdf_path, txt_path);
		if (r[i].ours < 0 || r[i].theirs < 0) {
			fprintf(stderr, "bench_extract: a run failed (is poppler-utils installed? tools/setup --bench)\n");
			free(r);
			return -1;
		}
	}
	qsort(r, (size_t)rounds, sizeof *r, by_ratio);
	round m = r[rounds / 2];
	printf("paragraphs: extract_text %zu of the %d written; words: extract_text %zu, pdftotext %zu\n", paragraphs,
	       pages * (PARAGRAPHS + 1), ours_words, words_of_file(txt_path));
	printf("%-14s %8.1f pages/s (%6.3f s)  | pdftotext %8.1f pages/s (%6.3f s)  | ratio %5.2f  | goal < %.0f s for 100 pages: %s\n",
	       "extract_text", pages / m.ours, m.ours, pages / m.theirs, m.theirs, m.theirs / m.ours, GOAL,
	       m.ours * 100 / pages < GOAL ? "met" : "NOT MET");
	free(r);
	return 0;
}

int main(int argc, char **argv)
{
	int pages = 100, rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--pages") == 0)
			pages = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			pages = -1;
	}
	if (pages < 1 || pages > 2000 || rounds < 1) {
		fprintf(stderr, "usage: bench_extract [--pages N] [--rounds N]\n");
		return 2;
	}
	buf pdf = BUF_INIT;
	uint64_t start = clock_micros();
	if (make_document(pages, &pdf) < 0)
		return 1;
	printf("bench_extract: a PDF of %d pages, %zu bytes, written in %.2f s with Cairo; %d round%s (the median ratio's)\n",
	       pages, pdf.len, (double)(clock_micros() - start) / 1e6, rounds, rounds > 1 ? "s" : "");
	char pdf_path[] = "/tmp/bench-extract-XXXXXX", txt_path[] = "/tmp/bench-extract-text-XXXXXX";
	int fd = mkstemp(pdf_path), tfd = mkstemp(txt_path);
	int rc = fd < 0 || tfd < 0 || write(fd, pdf.data, pdf.len) != (ssize_t)pdf.len ? -1 : 0;
	if (fd >= 0)
		close(fd);
	if (tfd >= 0)
		close(tfd);
	if (rc == 0)
		rc = bench(&pdf, pages, rounds, pdf_path, txt_path);
	unlink(pdf_path);
	unlink(txt_path);
	buf_free(&pdf);
	return rc ? 1 : 0;
}
