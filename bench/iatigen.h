/*
 * iatigen — an IATI 2.03 activity file of about a given size, written for
 * the benchmarks (see iatigen.c for its shape).
 */
#ifndef LIAISON_BENCH_IATIGEN_H
#define LIAISON_BENCH_IATIGEN_H

#include <stddef.h>

/* Activities to the open file fd until it holds mb MB: the number of
 * activities written (0 on failure), its bytes and transactions. */
size_t iatigen_write_file(int fd, size_t mb, size_t *bytes, size_t *transactions);

#endif
