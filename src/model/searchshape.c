/*
 * searchshape — what the search index is made of, as the registry describes
 * it: its facets (every FACET field by name, and the division every record
 * has), its columns of words (the titles', then one per weight the searched
 * fields are given) and the fingerprint of both that the database keeps, so
 * that a change of the descriptions rebuilds the index on start
 * (search_prepare in search.c) instead of a migration written by hand.
 *
 * A weight is a column rather than a mark on each word because FTS5 scores
 * columns: liaison_rank multiplies a column's matches by its weight, so a
 * word in a heavy field counts more at no cost per word.  The weights
 * themselves are given to each query, so changing a weight that keeps the
 * same fields together changes the ranking and rebuilds nothing; moving a
 * field to another column, or a facet, changes what is indexed.
 */
#include "model/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/query.h"

/* What the index writes for each record beyond the fields; raised when
 * index_record changes how it writes them, so that the index is rebuilt. */
#define SEARCH_FORMAT 3  /* 3: the vocabulary holds the words of every searched field */

#define DEFAULT_TITLE_WEIGHT 10.0

int search_indexed(const entity *e)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if (e->def->fields[i].flags & SEARCHED)
			return 1;
	return 0;
}

int search_column(const registry *r, const field_def *f)
{
	if (f->flags & TITLE)
		return 0;
	double w = f->weight > 0 ? f->weight : 1.0;
	for (int c = 1; c < r->nweights; c++)
		if (r->weights[c] == w)
			return c;
	return 1; /* not reached: search_shape_build gave every weight its column */
}

const field_def *search_facet(const registry *r, const char *name)
{
	for (size_t i = 0; i < r->nfacets; i++)
		if (strcmp(r->facets[i]->name, name) == 0)
			return r->facets[i];
	return NULL;
}

int search_facet_column(const entity *e, const field_def *facet)
{
	if (facet == &registry_division)
		return COL_DIVISION;
	int col = entity_column(e, facet->name);
	return col >= NSYSCOLS && (e->cols[col].field->flags & FACET) ? col : -1;
}

static int same_facet(const field_def *a, const field_def *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type != F_REF)
		return 1;
	return !strcmp(a->ref, b->ref) && !strcmp(a->ref_key ? a->ref_key : "", b->ref_key ? b->ref_key : "");
}

static int add_facet(registry *r, const entity *e, const field_def *f, char *err, size_t errlen)
{
	if (f->type != F_REF && f->type != F_ENUM && f->type != F_LIST && f->type != F_TEXT) {
		snprintf(err, errlen, "registry: %s.%s is a facet, but only references, enums, lists and text can be",
			 e->def->name, f->name);
		return -1;
	}
	if (search_filter_builtin(f->name)) {
		snprintf(err, errlen, "registry: %s.%s is a facet named like the search's own filter %s:",
			 e->def->name, f->name, f->name);
		return -1;
	}
	if (strcmp(f->name, "kind") == 0) {  /* the answer's counts of type: are its facet "kind" */
		snprintf(err, errlen, "registry: %s.%s is a facet named like the search's counts of kinds", e->def->name,
			 f->name);
		return -1;
	}
	const field_def *known = search_facet(r, f->name);
	if (known && !same_facet(known, f)) {
		snprintf(err, errlen, "registry: %s.%s is a facet of another type or reference than the facet %s "
			 "of other kinds", e->def->name, f->name, f->name);
		return -1;
	}
	if (!known)
		r->facets[r->nfacets++] = f;
	return 0;
}

static int add_weight(registry *r, double w)
{
	for (int c = 1; c < r->nweights; c++)
		if (r->weights[c] == w)
			return 0;
	if (r->nweights == SEARCH_COLUMNS_MAX)
		return -1;
	int c = r->nweights++;
	while (c > 2 && r->weights[c - 1] > w) { /* the further weights in ascending order: one shape for one set */
		r->weights[c] = r->weights[c - 1];
		c--;
	}
	r->weights[c] = w;
	return 0;
}

static int check_weight(registry *r, const entity *e, const field_def *f, char *err, size_t errlen)
{
	const char *why = NULL;
	if (f->weight < 0)
		why = "a negative weight";
	else if (f->weight > 0 && !(f->flags & (SEARCHED | TITLE)))
		why = "a weight but is not searched";
	else if ((f->flags & TITLE) && (f->weight > 0 ? f->weight : DEFAULT_TITLE_WEIGHT) != r->weights[0])
		why = "a weight other than the other titles' (titles share one column)";
	else if ((f->flags & SEARCHED) && !(f->flags & TITLE) && f->weight > 0 && add_weight(r, f->weight))
		why = "one weight too many";
	if (why)
		snprintf(err, errlen, "registry: %s.%s has %s (each weight is a column of the search index: "
			 "the titles', 1 and at most %d others)", e->def->name, f->name, why, SEARCH_COLUMNS_MAX - 2);
	return why ? -1 : 0;
}

static double title_weight(const registry *r)
{
	for (size_t k = 0; k < r->n; k++)
		for (size_t i = 0; i < r->v[k].def->nfields; i++)
			if (r->v[k].def->fields[i].flags & TITLE)
				return r->v[k].def->fields[i].weight > 0 ? r->v[k].def->fields[i].weight : DEFAULT_TITLE_WEIGHT;
	return DEFAULT_TITLE_WEIGHT;
}

int search_shape_build(registry *r, char *err, size_t errlen)
{
	size_t most = 1;
	for (size_t k = 0; k < r->n; k++)
		most += r->v[k].def->nfields;
	r->facets = calloc(most, sizeof *r->facets);
	if (!r->facets)
		abort();
	r->facets[r->nfacets++] = &registry_division;
	r->weights[0] = title_weight(r);
	r->weights[1] = 1.0;
	r->nweights = 2;
	for (size_t k = 0; k < r->n; k++) {
		const entity *e = &r->v[k];
		for (size_t i = 0; i < e->def->nfields; i++) {
			const field_def *f = &e->def->fields[i];
			if (check_weight(r, e, f, err, errlen) || ((f->flags & FACET) && add_facet(r, e, f, err, errlen)))
				return -1;
		}
	}
	return 0;
}

void search_fingerprint(const registry *r, buf *out)
{
	buf_printf(out, "format %d, %d columns, facet division", SEARCH_FORMAT, r->nweights);
	for (size_t k = 0; k < r->n; k++) {
		const entity *e = &r->v[k];
		if (!search_indexed(e))
			continue;
		buf_printf(out, "; %s", e->def->name);
		for (size_t i = 0; i < e->def->nfields; i++) {
			const field_def *f = &e->def->fields[i];
			if (f->flags & (SEARCHED | TITLE))
				buf_printf(out, " %s=%d", f->name, search_column(r, f));
			if (f->flags & FACET)
				buf_printf(out, " facet %s/%d%s%s", f->name, (int)f->type, f->ref_key ? "/" : "",
					   f->ref_key ? f->ref_key : "");
		}
	}
}
