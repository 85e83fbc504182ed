/*
 * bench/duplicates — how well and how fast the duplicate check finds the
 * records typed again, on labelled pairs over the demo's partners
 * (src/domains/partners/duppairs.h says how they are made).
 *
 * usage: bench_duplicates [--pairs N] [--scale N]...   (default: 2,000 pairs at scales 1 and 10)
 *        bench_duplicates [--pairs N] --db PATH   (a database made before, as bench/work/scale100.db)
 *
 * For each scale: the demo's partners in a fresh database (scale 1 is 2,000
 * organizations and 5,000 persons), N labelled pairs, and the on-create
 * check on each probe (duplicates_find: its keys looked up, the candidates
 * scored): precision and recall over all pairs and per kind, the recall of
 * each variation of a duplicate and the share of each variation of a
 * non-duplicate wrongly flagged, and p50/p99 of one check.
 *
 * Then the import on the same pairs: each kind's probes as one CSV file,
 * checked as `liaison import KIND FILE --dry-run --review OUT` checks it
 * (csvio_import: each row compared with the registry and the rows above
 * it); a pair is flagged when its row went for review naming the original.
 *
 * Then the whole registry's scan (dupscan.h): on a fresh demo, the probes
 * created and every kind scanned, precision and recall of the queue on the
 * pairs; on a database made before, every kind scanned as it is.  Its
 * baseline: every two records compared by the same scorer, a sample of
 * records against all the others, timed and scaled up to all the pairs.
 *
 * Beside it, the baseline: every probe compared with every record of its
 * kind by the Jaccard similarity of their folded words (core/fold.h, what
 * the check used before), the same e-mail address or acronym also counting,
 * flagged at the same 0.75; its precision and recall, and p50/p99 of one
 * comparison with every record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "cli/cli.h"
#include "core/fold.h"
#include "domains/partners/duplicates.h"
#include "domains/partners/duppairs.h"
#include "domains/partners/dupscan.h"
#include "domains/partners/partners.h"
#include "median.h"
#include "testdb.h"

#define SEED 20261207

static double now(void) { return (double)clock_micros() / 1e6; }
#define MAX_SCALES 4

/* ---- the baseline: folded words, every record ------------------------------------------ */

typedef struct plain {
	int64_t id;
	token_list words[3];
	size_t nnames;
	char acronym[40], email[120];
} plain;

typedef struct plains {
	plain *v;
	size_t n;
	const entity *e;
} plains;

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static void plain_of_json(plain *p, const entity *e, json_t *body)
{
	memset(p, 0, sizeof *p);
	if (strcmp(e->def->name, "persons") == 0) {
		char name[400];
		snprintf(name, sizeof name, "%s %s", json_string_value(json_object_get(body, "given_name")) ?: "",
			 json_string_value(json_object_get(body, "family_name")) ?: "");
		text_token_set(&p->words[p->nnames++], name, strlen(name));
	} else {
		const char *lang;
		json_t *v;
		json_object_foreach(json_object_get(body, "name"), lang, v)
			if (p->nnames < 3)
				text_token_set(&p->words[p->nnames++], json_string_value(v), strlen(json_string_value(v)));
	}
	snprintf(p->acronym, sizeof p->acronym, "%s", json_string_value(json_object_get(body, "acronym")) ?: "");
	lower(p->acronym);
	snprintf(p->email, sizeof p->email, "%s", json_string_value(json_array_get(json_object_get(body, "emails"), 0)) ?: "");
	lower(p->email);
}

static void plain_free(plain *p)
{
	for (size_t i = 0; i < p->nnames; i++)
		token_list_free(&p->words[i]);
}

static double plain_score(const plain *a, const plain *b)
{
	if (*a->email && strcmp(a->email, b->email) == 0)
		return 1.0;
	if (*a->acronym && strcmp(a->acronym, b->acronym) == 0)
		return 0.9;
	double best = 0;
	for (size_t i = 0; i < a->nnames; i++)
		for (size_t j = 0; j < b->nnames; j++) {
			double s = token_set_similarity(&a->words[i], &b->words[j]);
			best = s > best ? s : best;
		}
	return best;
}

/* Every record of a kind as the baseline sees it, from its API form. */
static void load_plains(store *st, const registry *reg, plains *out, const entity *e)
{
	static const user admin = { 1, "root", ROLE_ADMIN, NULL, 0, "en" };
	model_ctx all, m;   /* the ids, held to the end; each thousand records' memory */
	model_init(&all, st, reg, &admin);
	model_init(&m, st, reg, &admin);
	model_ids ids = { 0 };
	store_conn *c = store_reader(st);
	store_select q = { .table = e->def->table, .cols = (const char *[]){ "id" }, .ncols = 1 };
	model_select_ids(&all, c, &q, &ids);
	out->e = e;
	out->n = ids.n;
	out->v = calloc(out->n ? out->n : 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		record r;
		buf json = BUF_INIT;
		out->v[i].id = ids.v[i];
		if (model_load(&m, c, e, out->v[i].id, &r))
			continue;
		model_record_json(&m, c, &r, &json);
		json_t *body = json_loads(buf_str(&json), 0, NULL);
		int64_t id = out->v[i].id;
		plain_of_json(&out->v[i], e, body);
		out->v[i].id = id;
		json_decref(body);
		buf_free(&json);
		if (i % 1000 == 999) {   /* the arena's memory, let go now and then */
			model_done(&m);
			model_init(&m, st, reg, &admin);
		}
	}
	model_done(&m);
	model_done(&all);
}

/* ---- one scale ------------------------------------------------------------------------- */

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, by_double);
	return n ? v[(size_t)(p * (double)(n - 1))] : 0;
}

static void report_variations(const dup_pair *p, size_t n, const unsigned char *flagged)
{
	const char *names[64];
	size_t count[64] = { 0 }, right[64] = { 0 }, nv = 0;
	int label[64];
	for (size_t i = 0; i < n; i++) {
		size_t v = 0;
		while (v < nv && strcmp(names[v], p[i].variation) != 0)
			v++;
		if (v == nv && nv < 64) {
			names[nv] = p[i].variation;
			label[nv++] = p[i].duplicate;
		}
		count[v]++;
		right[v] += flagged[i] == p[i].duplicate;
	}
	for (int dup = 1; dup >= 0; dup--)
		for (size_t v = 0; v < nv; v++)
			if (label[v] == dup)
				printf("    %-22s %-14s %4zu pairs, %5.1f %% %s\n", names[v], dup ? "duplicate" : "not one", count[v],
				       100.0 * (double)right[v] / (double)count[v], dup ? "found" : "told apart");
}

/* The pairs over the partners of st, the check and the import on them, and the baseline unless it would
 * compare every probe with more records than a run can wait for. */
static int measure(store *st, const registry *reg, size_t npairs, int baseline)
{
	char err[300];
	dup_pair *pairs;
	if (duppairs_make(st, reg, npairs, SEED, &pairs, err, sizeof err)) {
		fprintf(stderr, "bench_duplicates: %s\n", err);
		return -1;
	}
	unsigned char *flagged = calloc(npairs, 1), *base_flagged = calloc(npairs, 1);
	double *took = calloc(npairs, sizeof *took), *base_took = calloc(npairs, sizeof *base_took);
	for (size_t i = 0; i < npairs; i++) {
		double t0 = now();
		if (duppairs_check(st, reg, &pairs[i], 1, &flagged[i], err, sizeof err)) {
			fprintf(stderr, "bench_duplicates: %s\n", err);
			return -1;
		}
		took[i] = (now() - t0) * 1000;
	}
	dup_quality q = duppairs_quality(pairs, npairs, flagged, NULL);
	dup_quality qo = duppairs_quality(pairs, npairs, flagged, registry_find(reg, "organizations"));
	dup_quality qp = duppairs_quality(pairs, npairs, flagged, registry_find(reg, "persons"));

	plains kinds[2] = { { 0 }, { 0 } };
	if (baseline) {
		load_plains(st, reg, &kinds[0], registry_find(reg, "organizations"));
		load_plains(st, reg, &kinds[1], registry_find(reg, "persons"));
	}
	for (size_t i = 0; i < npairs && baseline; i++) {
		plains *k = pairs[i].e == kinds[0].e ? &kinds[0] : &kinds[1];
		plain probe;
		plain_of_json(&probe, k->e, pairs[i].probe);
		double t0 = now();
		for (size_t j = 0; j < k->n; j++) {   /* every record compared, as a scan would */
			double s = plain_score(&probe, &k->v[j]);
			if (k->v[j].id == pairs[i].original)
				base_flagged[i] = s >= DUPLICATE_THRESHOLD;
		}
		base_took[i] = (now() - t0) * 1000;
		plain_free(&probe);
	}
	dup_quality b = duppairs_quality(pairs, npairs, base_flagged, NULL);
	unsigned char *imported = calloc(npairs, 1);
	double import_start = now();
	if (duppairs_import(st, reg, pairs, npairs, imported, err, sizeof err)) {
		fprintf(stderr, "bench_duplicates: %s\n", err);
		return -1;
	}
	double import_took = now() - import_start;
	dup_quality qi = duppairs_quality(pairs, npairs, imported, NULL);

	printf("  %zu labelled pairs (%zu duplicates)\n", npairs, q.true_pos + q.false_neg);
	printf("  on-create check: precision %.3f, recall %.3f (organizations %.3f / %.3f, persons %.3f / %.3f); "
	       "one check p50 %.2f ms, p99 %.2f ms\n", q.precision, q.recall, qo.precision, qo.recall, qp.precision,
	       qp.recall, percentile(took, npairs, 0.5), percentile(took, npairs, 0.99));
	printf("  import of the probes (dry run, each row against the registry and the rows above it): precision %.3f, "
	       "recall %.3f; %.2f s for %zu rows\n", qi.precision, qi.recall, import_took, npairs);
	if (baseline) {
		printf("  baseline (folded words' Jaccard, every record): precision %.3f, recall %.3f; one probe p50 "
		       "%.2f ms, p99 %.2f ms\n", b.precision, b.recall, percentile(base_took, npairs, 0.5),
		       percentile(base_took, npairs, 0.99));
		printf("  ratio of p50 times (check / baseline): %.3f\n",
		       percentile(took, npairs, 0.5) / percentile(base_took, npairs, 0.5));
	}
	report_variations(pairs, npairs, flagged);
	for (int k = 0; k < 2; k++) {
		for (size_t j = 0; j < kinds[k].n; j++)
			plain_free(&kinds[k].v[j]);
		free(kinds[k].v);
	}
	free(flagged);
	free(imported);
	free(base_flagged);
	free(took);
	free(base_took);
	duppairs_free(pairs, npairs);
	return 0;
}

/* ---- the whole registry's scan ----------------------------------------------------------- */

#define SAMPLED 40   /* records compared with every other, for the baseline */

typedef struct every_facts {
	char **v;
	size_t n, cap;
} every_facts;

static int take_every(void *ctx, store_row *row)
{
	every_facts *f = ctx;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
	}
	f->v[f->n++] = strdup(store_text(row, 0, NULL));
	return 0;
}

/* Every two records of e compared by the same scorer, estimated from SAMPLED records against all, each
 * record's facts read once: seconds. */
static double every_pair_seconds(store *st, const registry *reg, const entity *e)
{
	every_facts f = { 0 };
	store_cond w = COND_EQ("kind", sv_text(e->def->name));
	store_select q = { .table = "dup_facts", .cols = (const char *[]){ "facts" }, .ncols = 1, .where = &w, .nwhere = 1 };
	store_query(store_reader(st), &q, take_every, &f);
	static const user measurer = { 0, "liaison-measure", ROLE_ADMIN, NULL, 0, "en" };
	size_t sampled = f.n < SAMPLED ? f.n : SAMPLED;
	model_ctx keep, m;
	model_init(&keep, st, reg, &measurer);
	dup_facts *sample[SAMPLED];
	for (size_t i = 0; i < sampled; i++)
		sample[i] = duplicates_facts(&keep, e, f.v[i * (f.n / sampled)]);
	double t0 = now();
	model_init(&m, st, reg, &measurer);
	for (size_t j = 0; j < f.n; j++) {
		dup_facts *other = duplicates_facts(&m, e, f.v[j]);
		for (size_t i = 0; i < sampled; i++)
			duplicates_score(&m, sample[i], other, NULL);
		duplicates_facts_free(other);
		if (j % 4096 == 4095) {
			model_done(&m);
			model_init(&m, st, reg, &measurer);
		}
	}
	model_done(&m);
	/* each record read once, then compared with the others: what SAMPLED of the n comparisons each cost */
	double per_record = sampled ? (now() - t0) / (double)sampled : 0;
	for (size_t i = 0; i < sampled; i++)
		duplicates_facts_free(sample[i]);
	model_done(&keep);
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	return per_record * (double)f.n / 2;   /* each of n records against the n others, each pair once */
}

/* Every kind scanned, timed, beside every pair compared. */
static int scan_all(store *st, const registry *reg)
{
	for (size_t k = 0; k < reg->n; k++) {
		const entity *e = &reg->v[k];
		if (!duplicates_kind(e))
			continue;
		dup_scanned got;
		char err[200];
		double t0 = now();
		if (duplicates_scan(st, reg, e, &got, err, sizeof err)) {
			fprintf(stderr, "bench_duplicates: %s\n", err);
			return -1;
		}
		double took = now() - t0, every = every_pair_seconds(st, reg, e);
		printf("  scan of %s: %.2f s for %lld records (%lld keys, %lld pairs sharing a key compared, %lld likely "
		       "duplicates); every pair compared: %.0f s (estimated from %d records against all); ratio %.5f\n",
		       e->def->name, took, (long long)got.records, (long long)got.keys, (long long)got.compared,
		       (long long)got.found, every, SAMPLED, every > 0 ? took / every : 0);
	}
	return 0;
}

/* The probes created and every kind scanned: the queue's precision and recall on the pairs. */
static int scan_pairs(store *st, const registry *reg, dup_pair *pairs, size_t npairs)
{
	char err[300];
	unsigned char *flagged = calloc(npairs, 1);
	dup_scanned got;
	double t0 = now();
	if (duppairs_scan(st, reg, pairs, npairs, flagged, &got, err, sizeof err)) {
		fprintf(stderr, "bench_duplicates: %s\n", err);
		free(flagged);
		return -1;
	}
	dup_quality q = duppairs_quality(pairs, npairs, flagged, NULL);
	printf("  the whole registry's scan, the probes created: precision %.3f, recall %.3f (%.2f s with the probes' "
	       "creation)\n", q.precision, q.recall, now() - t0);
	free(flagged);
	return scan_all(st, reg);
}

static int run_scale(long scale, size_t npairs)
{
	char err[300];
	testdb *t = testdb_open();
	double start = now();
	store_bulk_mode(t->st);   /* as `liaison demo` loads: the writer's page cache large */
	if (domains_seed(t->st, &t->reg, err, sizeof err) || partners_demo(t->st, &t->reg, scale, err, sizeof err) ||
	    store_bulk_end(t->st) != STORE_OK || store_analyze(t->st) != STORE_OK) {
		fprintf(stderr, "bench_duplicates: %s\n", err);
		return -1;
	}
	printf("scale %ld: %lld organizations, %lld persons (the demo in %.1f s)\n", scale,
	       (long long)store_rows(t->st, "organizations"), (long long)store_rows(t->st, "persons"),
	       now() - start);
	int rc = measure(t->st, &t->reg, npairs, 1);
	dup_pair *pairs;
	if (!rc && duppairs_make(t->st, &t->reg, npairs, SEED, &pairs, err, sizeof err) == 0) {
		rc = scan_pairs(t->st, &t->reg, pairs, npairs);
		duppairs_free(pairs, npairs);
	}
	testdb_close(t);
	return rc;
}

/* A database made before (bench/work/scale100.db: 1.45 million records), without the baseline. */
static int run_database(const char *path, size_t npairs)
{
	cli_db db;
	if (cli_open(&db, path, 0))
		return 1;
	printf("%s: %lld organizations, %lld persons, %lld records in all kinds (no baseline: every probe against "
	       "every record would take hours)\n", path, (long long)store_rows(db.st, "organizations"),
	       (long long)store_rows(db.st, "persons"), (long long)store_rows(db.st, "search_docs"));
	int rc = measure(db.st, &db.reg, npairs, 0) || scan_all(db.st, &db.reg);
	cli_close(&db);
	i18n_free();
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	long scales[MAX_SCALES] = { 1, 10 };
	int nscales = 0;
	size_t npairs = 2000;
	const char *path = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--pairs") == 0)
			npairs = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--scale") == 0 && nscales < MAX_SCALES)
			scales[nscales++] = strtol(argv[i + 1], NULL, 10);
	}
	nscales = nscales ? nscales : 2;
	char err[256];
	if (i18n_load(err, sizeof err)) {
		fprintf(stderr, "bench_duplicates: %s\n", err);
		return 1;
	}
	if (path)
		return run_database(path, npairs);
	for (int s = 0; s < nscales; s++)
		if (run_scale(scales[s], npairs))
			return 1;
	i18n_free();
	return 0;
}
