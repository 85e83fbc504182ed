/*
 * median — the figure a benchmark reports of its rounds: the median, so
 * that one round slowed by another process on the machine moves nothing.
 */
#ifndef LIAISON_BENCH_MEDIAN_H
#define LIAISON_BENCH_MEDIAN_H

#include <stdlib.h>

static inline int bench_by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of the n values at v (sorted in place). */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_by_value);
	return v[n / 2];
}

#endif
