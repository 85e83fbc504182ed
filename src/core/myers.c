/*
 * myers — the linear-space O(ND) difference (see myers.h).
 *
 * The comparison is divided at the middle of a shortest edit script: a
 * search forward from the start and one backward from the end, one edit
 * further each round, until the furthest-reaching paths of some diagonal
 * overlap.  The point where they meet splits the problem into two of about
 * half the edits each, and each half is compared the same way.  Both
 * searches keep only the furthest x reached on each diagonal, so the memory
 * is the diagonals a search may reach (twice the cap on its edits), never
 * the product of the lengths.
 *
 * Invariant of the split: the meeting point lies on a shortest path, with
 * at least one edit on each side of it (common ends are taken off first,
 * so a problem that is split has two edits or more), so each half needs
 * fewer edits than the whole and the recursion ends.
 */
#include "core/myers.h"

#include <stdlib.h>

typedef struct diff {
	const uint32_t *a, *b;
	unsigned char *del, *ins;
	ptrdiff_t *fwd, *bwd;   /* the furthest x on each diagonal k, at fwd[k + lim + 1] */
	ptrdiff_t lim;          /* the most rounds one search may take */
	myers_bound *bound;
	int cut;                /* a bound was reached: some part was marked wholesale */
} diff;

typedef struct point {
	ptrdiff_t x, y;
} point;

/* Takes steps from the budget shared by the calls; -1 when it is spent. */
static int spend(diff *d, ptrdiff_t steps)
{
	if (d->bound->budget < (uint64_t)steps) {
		d->bound->budget = 0;
		return -1;
	}
	d->bound->budget -= (uint64_t)steps;
	return 0;
}

/* The furthest x a path of one more edit reaches on diagonal k, from the
 * neighbours' paths (v indexed from o), then along the snake of equal
 * elements there; at and bt read the sequences forward or backward. */
static ptrdiff_t extend(diff *d, const ptrdiff_t *v, ptrdiff_t o, ptrdiff_t k, ptrdiff_t round, const uint32_t *a,
			ptrdiff_t n, const uint32_t *b, ptrdiff_t m, int backward)
{
	ptrdiff_t x = (k == -round || (k != round && v[o + k - 1] < v[o + k + 1])) ? v[o + k + 1] : v[o + k - 1] + 1;
	ptrdiff_t y = x - k, x0 = x;
	if (backward)
		while (x < n && y < m && a[n - 1 - x] == b[m - 1 - y])
			x++, y++;
	else
		while (x < n && y < m && a[x] == b[y])
			x++, y++;
	if (spend(d, x - x0 + 1))
		return -1;
	return x;
}

/* The middle of a shortest script between a (n) and b (m), into *at: 0, or
 * -1 when it needs more rounds than the cap or steps than the budget. */
static int middle(diff *d, const uint32_t *a, ptrdiff_t n, const uint32_t *b, ptrdiff_t m, point *at)
{
	ptrdiff_t delta = n - m, odd = delta & 1, o = d->lim + 1, rounds = (n + m + 1) / 2;
	ptrdiff_t *f = d->fwd, *r = d->bwd;
	f[o + 1] = 0;
	r[o + 1] = 0;
	for (ptrdiff_t round = 0; round <= rounds && round <= d->lim; round++) {
		for (ptrdiff_t k = -round; k <= round; k += 2) {
			ptrdiff_t x = extend(d, f, o, k, round, a, n, b, m, 0);
			if (x < 0)
				return -1;
			f[o + k] = x;
			ptrdiff_t back = delta - k;   /* the backward search's name for this diagonal */
			if (odd && back >= -(round - 1) && back <= round - 1 && x + r[o + back] >= n) {
				*at = (point){ x, x - k };
				return 0;
			}
		}
		for (ptrdiff_t k = -round; k <= round; k += 2) {
			ptrdiff_t x = extend(d, r, o, k, round, a, n, b, m, 1);
			if (x < 0)
				return -1;
			r[o + k] = x;
			ptrdiff_t fore = delta - k;
			if (!odd && fore >= -round && fore <= round && x + f[o + fore] >= n) {
				*at = (point){ n - x, m - (x - k) };
				return 0;
			}
		}
	}
	return -1;
}

static void mark(unsigned char *v, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		v[i] = 1;
}

static void compare(diff *d, size_t a0, size_t a1, size_t b0, size_t b1)
{
	while (a0 < a1 && b0 < b1 && d->a[a0] == d->b[b0])
		a0++, b0++;
	while (a1 > a0 && b1 > b0 && d->a[a1 - 1] == d->b[b1 - 1])
		a1--, b1--;
	if (a0 == a1 || b0 == b1) {
		mark(d->del, a0, a1);
		mark(d->ins, b0, b1);
		return;
	}
	ptrdiff_t n = (ptrdiff_t)(a1 - a0), m = (ptrdiff_t)(b1 - b0);
	point p;
	if (middle(d, d->a + a0, n, d->b + b0, m, &p) || (p.x == 0 && p.y == 0) || (p.x == n && p.y == m)) {
		d->cut = 1;
		mark(d->del, a0, a1);
		mark(d->ins, b0, b1);
		return;
	}
	compare(d, a0, a0 + (size_t)p.x, b0, b0 + (size_t)p.y);
	compare(d, a0 + (size_t)p.x, a1, b0 + (size_t)p.y, b1);
}

int myers_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m, unsigned char *a_del, unsigned char *b_ins,
	       myers_bound *bound)
{
	diff d = { .a = a, .b = b, .del = a_del, .ins = b_ins, .bound = bound };
	/* the first search is the longest: a half's own searches need fewer rounds */
	d.lim = (ptrdiff_t)((n + m + 1) / 2);
	if (bound->max_d && (ptrdiff_t)(bound->max_d / 2 + 1) < d.lim)
		d.lim = (ptrdiff_t)(bound->max_d / 2 + 1);
	size_t size = 2 * (size_t)d.lim + 3;
	d.fwd = malloc(size * sizeof *d.fwd);
	d.bwd = malloc(size * sizeof *d.bwd);
	if (!d.fwd || !d.bwd) {
		free(d.fwd);
		free(d.bwd);
		return -1;
	}
	compare(&d, 0, n, 0, m);
	free(d.fwd);
	free(d.bwd);
	return d.cut;
}
