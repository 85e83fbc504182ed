/*
 * rank — the FTS5 auxiliary function liaison_rank(): BM25 whose word
 * rarity is estimated from each phrase's newest matches, so that ranking
 * costs the same for a word found in ten records or in a million.
 *
 *     liaison_rank(table, w1, ..., wN, first, span [, groups])
 *
 * w1..wN are the weights of the table's N columns, as for bm25(); first is
 * the lowest row id the table can hold and span how many row ids its rows
 * are spread over (rows are assumed spread evenly over them).  The score
 * is BM25's, negated like bm25()'s: lower is better.
 *
 * groups, when given, ranks by the words a row holds before BM25: a text
 * "0 0 1 2" saying which word each phrase of the expression stands for
 * (a word and the spellings like it are one group).  A search for rows
 * with any of the words then lists those with three of them before those
 * with two, however often these have theirs.
 *
 * Why not bm25(): to know how rare a word is, bm25() counts every row that
 * holds it, once per query.  For "migration" in 500,000 records that count
 * is most of the query's time, however few results are wanted.  Here each
 * phrase's rows are counted only up to RANK_SAMPLE, in row id order; when
 * there are more, the share of row ids they cover gives the estimate:
 *
 *     rows holding it ≈ RANK_SAMPLE × span / (row id of the last one − first + 1)
 *
 * Rarity only weighs one matched word against another, so an estimate
 * within a few percent ranks like the exact figure, and a query of one
 * phrase needs none at all: its rarity would scale every score alike.
 * (That also spares a prefix query "migr*" merging the lists of every
 * word starting so a second time just to count them.)
 */
#ifndef LIAISON_STORE_RANK_H
#define LIAISON_STORE_RANK_H

#include <sqlite3.h>

#include "store/store.h"  /* STORE_RANK_PER_WORD */

#define RANK_SAMPLE 256
#define RANK_GROUPS_MAX 64     /* words a groups argument tells apart */

int search_register_rank(sqlite3 *db);  /* SQLITE_OK, or an SQLite error code */

#endif
