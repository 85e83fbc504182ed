/*
 * apportion — a whole amount cut into parts by weights, exactly: the parts
 * add up to the whole, to the last minor unit.
 *
 * A transaction of 100.00 USD over three sectors of 33.33% each cannot be
 * 33.33 three times (0.01 would be lost) nor rounded each on its own (the
 * sum might be off either way).  The largest remainder method gives each
 * part the floor of its exact share, then hands the units left over, one
 * each, to the parts whose shares lost the most to the floor (the earlier
 * part first on a tie, so that the same weights always cut the same way).
 */
#ifndef LIAISON_APPORTION_H
#define LIAISON_APPORTION_H

#include <stddef.h>
#include <stdint.h>

/* Cuts total (negative too: a refund is cut as its size, then negated)
 * into n parts proportional to weights[0..n) (each >= 0), into parts.
 * 0, or -1 when n is 0, a weight is negative, or the weights add up to 0
 * or beyond INT64_MAX (parts are then untouched). */
int apportion(int64_t total, const int64_t *weights, size_t n, int64_t *parts);

#endif
