/*
 * bench/segment — how fast texts are cut into sentences (src/formats/segment.c)
 * beside a brute-force baseline: a split at every ". ", "? " and "! " found
 * with strstr, which knows no abbreviation, number, quotation mark,
 * paragraph or inline code, and allocates nothing.
 *
 * usage: bench_segment [--words N] [--rounds N]
 *
 * It makes a document of N words (10,000 by default) in each language, in
 * sentences of the shapes a governing body's report has: titles before
 * names (Mr., M., Sra.), articles and paragraphs cited by number (art. 5.2),
 * examples (e.g., p. ex.), ellipses, questions, quotations, documents'
 * symbols, numbered paragraphs, a few tags and placeholders, French
 * spacing before ? and !.  Each round segments every document with
 * segment_text, then splits them with the baseline; the figures are those
 * of the round with the median ratio, as the machine is shared.  It prints
 * sentences and megabytes a second of each, the ratio, and the time one
 * document of N words takes against the goal of a few milliseconds for
 * 10,000.  Nothing is asserted: figures go to bench/RESULTS.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xorshift.h"
#include "formats/segment.h"

#define GOAL_MS 5.0   /* "a few milliseconds" for 10,000 words */

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint32_t draw(uint32_t below) { return xorshift_below(&rng, below); }

/* The sentences a document is made of, per language; each has some words. */
static const char *const english[] = {
	"The Council adopted the resolution on the programme and budget for the coming biennium.",
	"Mr. Rivers, speaking on behalf of the group of States, welcomed the report of the Director General.",
	"Several delegations, e.g. those of Ruritania and Freedonia, asked for more detail on art. 5.2 of the draft.",
	"Is the Standing Committee in a position to adopt document C/115/1/Rev.1 as amended?",
	"The Chair recalled that the deadline had passed... and that no further comments could be taken.",
	"\"We support the proposal,\" said Dr. Stone, \"with the changes in para. 12.\"",
	"<g1>The decision was taken by consensus.</g1> The session was closed at 6 p.m. on Friday.",
	"J. R. Tolliver presented the financial statements, which showed a surplus of 3.5 per cent.",
	"Contributions received in {0} amounted to %s, as shown in table No. 4 of the annex.",
	"Written comments may be sent to desk@example.org before the end of the month!",
};
static const char *const french[] = {
	"Le Conseil a adopté la résolution sur le programme et budget pour le prochain exercice biennal.",
	"M. Dupont, au nom du groupe des États, a salué le rapport du Directeur général.",
	"Plusieurs délégations, p. ex. celles de la Syldavie et de la Bordurie, ont demandé des précisions sur l'art. 5.2.",
	"Le Comité permanent est-il en mesure d'adopter le document C/115/1/Rev.1 tel que modifié\xE2\x80\xAF?",
	"La présidente a rappelé que le délai était écoulé\xE2\x80\xA6 et qu'aucun commentaire ne serait plus reçu.",
	"\xC2\xAB\xC2\xA0Nous appuyons la proposition\xC2\xA0\xC2\xBB, a dit Mme Durand, \xC2\xAB\u00A0avec les modifications du par. 12.\xC2\xA0\xC2\xBB",
	"<g1>La décision a été prise par consensus.</g1> La séance a été levée à 18\xC2\xA0heures.",
	"MM. Martin et Petit ont présenté les états financiers, qui font apparaître un excédent de 3,5\xC2\xA0%.",
	"Les contributions reçues en {0} se sont élevées à %s, comme le montre le tableau no 4 de l'annexe.",
	"Les observations écrites peuvent être envoyées à bureau@example.org avant la fin du mois\xE2\x80\xAF!",
};
static const char *const spanish[] = {
	"El Consejo aprobó la resolución sobre el programa y presupuesto para el próximo bienio.",
	"El Sr. Pérez, en nombre del grupo de Estados, acogió con satisfacción el informe del Director General.",
	"Varias delegaciones, p. ej. las de Syldavia y Bordurie, pidieron más detalles sobre el art. 5.2 del proyecto.",
	"¿Está el Comité Permanente en condiciones de aprobar el documento C/115/1/Rev.1 en su forma enmendada?",
	"La Presidenta recordó que el plazo había vencido... y que no se recibirían más comentarios.",
	"«Apoyamos la propuesta», dijo la Dra. Ruiz, «con los cambios del párr. 12.»",
	"<g1>La decisión se tomó por consenso.</g1> La sesión se levantó a las 18.00 horas del viernes.",
	"La Sra. Gómez presentó los estados financieros, que arrojaban un superávit del 3,5 por ciento.",
	"Las contribuciones recibidas en {0} ascendieron a %s, como se indica en el cuadro núm. 4 del anexo.",
	"¡Las observaciones escritas pueden enviarse a oficina@example.org antes de fin de mes!",
};

typedef struct document {
	const char *lang;
	buf text;
} document;

static size_t words_in(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p != ' ' && (p[1] == ' ' || p[1] == '\0');
	return n;
}

/* Sentences drawn at random until the document has its words; now and then a paragraph. */
static void make(document *d, const char *const *sentences, size_t nsentences, size_t words)
{
	size_t have = 0, paragraph = 0;
	while (have < words) {
		if (paragraph == 0) {
			if (d->text.len)
				buf_puts(&d->text, "\n");
			buf_printf(&d->text, "%u. ", 1 + draw(40));   /* a numbered paragraph */
			paragraph = 3 + draw(5);
		} else {
			buf_puts(&d->text, " ");
		}
		const char *s = sentences[draw((uint32_t)nsentences)];
		buf_puts(&d->text, s);
		have += words_in(s);
		paragraph--;
	}
}

static int count(void *ctx, segment_span span)
{
	size_t *n = ctx;
	*n += 1 + (span.len & 0);
	return 0;
}

/* The baseline: a sentence ends at every ". ", "? " or "! ". */
static size_t naive(const char *text)
{
	size_t n = 1;
	for (const char *p = text; (p = strstr(p, ". ")) != NULL; p += 2)
		n++;
	for (const char *p = text; (p = strstr(p, "? ")) != NULL; p += 2)
		n++;
	for (const char *p = text; (p = strstr(p, "! ")) != NULL; p += 2)
		n++;
	return n;
}

typedef struct figures {
	double segment, naive;   /* seconds for all the documents */
	size_t sentences, naive_sentences;
} figures;

static int round_of(const document *docs, size_t ndocs, figures *f)
{
	*f = (figures){ 0 };
	uint64_t start = clock_micros();
	for (size_t i = 0; i < ndocs; i++) {
		size_t at;
		if (segment_text(docs[i].lang, docs[i].text.data, docs[i].text.len, count, &f->sentences, &at) != SEGMENT_OK)
			return -1;
	}
	f->segment = (double)(clock_micros() - start) / 1e6;
	start = clock_micros();
	for (size_t i = 0; i < ndocs; i++)
		f->naive_sentences += naive(docs[i].text.data);
	f->naive = (double)(clock_micros() - start) / 1e6;
	return 0;
}

static int by_ratio(const void *a, const void *b)
{
	const figures *x = a, *y = b;
	double p = x->segment / x->naive, q = y->segment / y->naive;
	return p < q ? -1 : p > q;
}

int main(int argc, char **argv)
{
	long words = 10000;
	int rounds = 21;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--words") == 0)
			words = atol(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[++i]);
		else
			words = -1;
	}
	if (words <= 0 || words > 10000000 || rounds < 1 || rounds > 1000) {
		fprintf(stderr, "usage: bench_segment [--words N] [--rounds N]\n");
		return 2;
	}
	document docs[3] = { { "en", { 0 } }, { "fr", { 0 } }, { "es", { 0 } } };
	make(&docs[0], english, sizeof english / sizeof *english, (size_t)words);
	make(&docs[1], french, sizeof french / sizeof *french, (size_t)words);
	make(&docs[2], spanish, sizeof spanish / sizeof *spanish, (size_t)words);
	size_t bytes = docs[0].text.len + docs[1].text.len + docs[2].text.len;
	figures *r = calloc((size_t)rounds, sizeof *r);
	int rc = 0;
	for (int i = 0; i < rounds && rc == 0; i++)
		rc = round_of(docs, 3, &r[i]);
	if (rc == 0) {
		qsort(r, (size_t)rounds, sizeof *r, by_ratio);
		figures m = r[rounds / 2];
		double ms = m.segment * 1e3 / 3;
		printf("bench_segment: 3 documents of %ld words (en, fr, es), %zu bytes, %d rounds (the median ratio's)\n",
		       words, bytes, rounds);
		printf("%-16s %10.0f sentences/s %8.1f MB/s  (%zu sentences)\n", "segment_text", (double)m.sentences / m.segment,
		       (double)bytes / m.segment / 1e6, m.sentences);
		printf("%-16s %10.0f sentences/s %8.1f MB/s  (%zu sentences)\n", "strstr baseline",
		       (double)m.naive_sentences / m.naive, (double)bytes / m.naive / 1e6, m.naive_sentences);
		printf("ratio (baseline time / segment_text time) %.3f; one document of %ld words in %.2f ms%s\n",
		       m.naive / m.segment, words, ms,
		       words == 10000 ? (ms < GOAL_MS ? " (goal: a few ms, met)" : " (goal: a few ms, NOT MET)") : "");
	} else {
		fprintf(stderr, "bench_segment: segment_text refused a document\n");
	}
	free(r);
	for (int i = 0; i < 3; i++)
		buf_free(&docs[i].text);
	return rc ? 1 : 0;
}
