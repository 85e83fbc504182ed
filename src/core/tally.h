/*
 * tally — items that share a key made one, their amounts added: what a
 * pivot does with its parts, and the IATI import with one activity's
 * parts of transactions.  Exact (integers), and a sum beyond 64 bits is
 * refused, never wrapped.
 */
#ifndef LIAISON_TALLY_H
#define LIAISON_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* Sorts the n items at v (size bytes each) by same_key, then replaces each
 * run of items it finds equal by its first, whose int64_t at byte offset
 * amount becomes the run's sum.  The number of items left (in order), or
 * -1 when a sum leaves int64_t (the items are then sorted, partly added). */
long tally(void *v, size_t n, size_t size, int (*same_key)(const void *, const void *), size_t amount);

#endif
