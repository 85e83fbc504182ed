/*
 * myers — the shortest edit script between two sequences of numbers, by
 * Myers' O(ND) difference algorithm in linear space ("An O(ND) Difference
 * Algorithm and Its Variations", 1986, section 4b).
 *
 * The sequences are of ids: equal ids are equal elements, so the caller
 * interns what it compares (words, paragraphs) and no comparison here can
 * be wrong.  The answer is a mark per element, as GNU diff keeps it: a
 * deleted element of a, an inserted element of b; the unmarked elements of
 * both are the longest common subsequence, in the same order on each side.
 *
 * The work is bounded, so that two texts made to be as different as
 * possible cannot take quadratic time: a cap on the edit distance of the
 * whole (max_d), and a budget of steps shared by every call that takes the
 * same one.  A part of the comparison that would exceed either is marked
 * wholly deleted and wholly inserted: still a correct edit script, only not
 * the shortest.
 */
#ifndef LIAISON_MYERS_H
#define LIAISON_MYERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct myers_bound {
	size_t max_d;       /* the most edits the whole may need before it is given up; 0: no cap */
	uint64_t budget;    /* steps left, shared between calls; decreased as they are taken */
} myers_bound;

/* Marks a_del[i] = 1 for each element of a deleted and b_ins[j] = 1 for each
 * element of b inserted (both arrays zeroed by the caller).  0 when the
 * script is the shortest; 1 when a bound was reached and some part was
 * marked wholesale; -1 when memory ran out (nothing is marked reliably). */
int myers_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m, unsigned char *a_del, unsigned char *b_ins,
	       myers_bound *bound);

#endif
