/*
 * rank — see rank.h.  The formula is the one of FTS5's bm25() (k1 = 1.2,
 * b = 0.75, a column's matches multiplied by its weight, the length of the
 * whole row against the average), so scores read the same; only the
 * phrases' row counts differ, estimated instead of counted.
 */
#include "store/rank.h"

#include <math.h>
#include <stdlib.h>

#include "store/tokenizer.h"

#define K1 1.2
#define B 0.75

/* What every row of one query shares: computed at its first row. */
typedef struct rank_query {
	int nphrase, ncol;
	double avg_length;
	double *idf;     /* per phrase */
	double *weight;  /* per column */
	double *freq;    /* per phrase, scratch for one row */
	int *group;      /* per phrase: the word it stands for, -1 for none (see rank.h) */
} rank_query;

typedef struct phrase_count {
	sqlite3_int64 rows, last_rowid;
} phrase_count;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	phrase_count *c = ctx;
	c->rows++;
	c->last_rowid = api->xRowid(fts);
	return c->rows >= RANK_SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

/* The rows holding phrase p: counted when fewer than RANK_SAMPLE, else
 * estimated from where the sample ends (see rank.h). */
static int phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, int p, sqlite3_int64 first,
		       sqlite3_int64 span, sqlite3_int64 total, double *rows)
{
	phrase_count c = { 0, 0 };
	int rc = api->xQueryPhrase(fts, p, &c, count_row);
	if (rc != SQLITE_OK)
		return rc;
	*rows = (double)c.rows;
	if (c.rows >= RANK_SAMPLE && c.last_rowid >= first && span > 0) {
		double covered = (double)(c.last_rowid - first) + 1.0;
		*rows = (double)c.rows * (double)span / covered;
	}
	if (*rows > (double)total)
		*rows = (double)total;
	return SQLITE_OK;
}

static void query_free(void *p)
{
	rank_query *q = p;
	if (!q)
		return;
	free(q->idf);
	free(q->weight);
	free(q->freq);
	free(q->group);
	free(q);
}

/* The groups argument, "0 0 1 2": phrase p stands for word group[p]; the
 * phrases it does not reach, a filter's, stand for none. */
static void read_groups(rank_query *q, const char *groups)
{
	for (int p = 0; p < q->nphrase; p++) {
		char *end = NULL;
		long g = groups && *groups ? strtol(groups, &end, 10) : -1;
		q->group[p] = g >= 0 && g < RANK_GROUPS_MAX ? (int)g : -1;
		groups = end && end != groups ? end : NULL;
	}
}

/* How many words of the groups a row holds. */
static int words_matched(const rank_query *q)
{
	unsigned long long seen = 0;
	int n = 0;
	for (int p = 0; p < q->nphrase; p++)
		if (q->freq[p] > 0 && q->group[p] >= 0 && !(seen & (1ull << q->group[p]))) {
			seen |= 1ull << q->group[p];
			n++;
		}
	return n;
}

static int query_new(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value **args, int nargs,
		     rank_query **out)
{
	rank_query *q = calloc(1, sizeof *q);
	if (!q)
		return SQLITE_NOMEM;
	q->nphrase = api->xPhraseCount(fts);
	q->ncol = api->xColumnCount(fts);
	q->idf = calloc((size_t)q->nphrase + 1, sizeof *q->idf);
	q->freq = calloc((size_t)q->nphrase + 1, sizeof *q->freq);
	q->weight = calloc((size_t)q->ncol + 1, sizeof *q->weight);
	q->group = calloc((size_t)q->nphrase + 1, sizeof *q->group);
	if (!q->idf || !q->freq || !q->weight || !q->group) {
		query_free(q);
		return SQLITE_NOMEM;
	}
	for (int c = 0; c < q->ncol; c++)
		q->weight[c] = sqlite3_value_double(args[c]);
	sqlite3_int64 first = sqlite3_value_int64(args[q->ncol]), span = sqlite3_value_int64(args[q->ncol + 1]);
	read_groups(q, nargs > q->ncol + 2 ? (const char *)sqlite3_value_text(args[q->ncol + 2]) : NULL);
	sqlite3_int64 total = 0, tokens = 0;
	int rc = api->xRowCount(fts, &total);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	q->avg_length = total > 0 ? (double)tokens / (double)total : 1.0;
	if (q->nphrase == 1) /* one phrase: its rarity would scale every score alike */
		q->idf[0] = 1.0;
	for (int p = 0; rc == SQLITE_OK && q->nphrase > 1 && p < q->nphrase; p++) {
		double rows = 0;
		rc = phrase_rows(api, fts, p, first, span, total, &rows);
		double idf = log(((double)total - rows + 0.5) / (rows + 0.5));
		q->idf[p] = idf > 1e-6 ? idf : 1e-6; /* a word in most rows still counts a little, as in bm25() */
	}
	if (rc != SQLITE_OK) {
		query_free(q);
		return rc;
	}
	*out = q;
	return api->xSetAuxdata(fts, q, query_free);
}

static void liaison_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int nargs,
			 sqlite3_value **args)
{
	if (nargs != api->xColumnCount(fts) + 2 && nargs != api->xColumnCount(fts) + 3) {
		sqlite3_result_error(result, "liaison_rank: a weight per column, then first and span, then groups", -1);
		return;
	}
	rank_query *q = api->xGetAuxdata(fts, 0);
	int rc = q ? SQLITE_OK : query_new(api, fts, args, nargs, &q);
	int ninst = 0, length = 0;
	if (rc == SQLITE_OK)
		rc = api->xInstCount(fts, &ninst);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(result, rc);
		return;
	}
	for (int p = 0; p < q->nphrase; p++)
		q->freq[p] = 0;
	for (int i = 0; i < ninst && rc == SQLITE_OK; i++) {
		int phrase, col, offset;
		rc = api->xInst(fts, i, &phrase, &col, &offset);
		if (rc == SQLITE_OK && phrase >= 0 && phrase < q->nphrase && col >= 0 && col < q->ncol)
			q->freq[phrase] += q->weight[col];
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &length);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(result, rc);
		return;
	}
	double score = 0, norm = K1 * (1 - B + B * (double)length / q->avg_length);
	for (int p = 0; p < q->nphrase; p++)
		score += q->idf[p] * q->freq[p] * (K1 + 1) / (q->freq[p] + norm);
	sqlite3_result_double(result, -score - STORE_RANK_PER_WORD * words_matched(q));
}

int search_register_rank(sqlite3 *db)
{
	fts5_api *api = search_fts5(db);
	return api ? api->xCreateFunction(api, "liaison_rank", NULL, liaison_rank, NULL) : SQLITE_ERROR;
}
