/*
 * oracle — what a harness checks is not what it fuzzes.  Its checks (is
 * this UTF-8, does every line end in CRLF, is every field as long as it
 * says) are built without coverage instrumentation: traced, their loops
 * took a quarter of a harness's time, and each new outcome of a check's
 * own comparisons looked to libFuzzer like new behaviour of the code under
 * test.  The functions they call are still traced.
 */
#ifndef LIAISON_FUZZ_ORACLE_H
#define LIAISON_FUZZ_ORACLE_H

#if defined(__clang__)
#define ORACLE __attribute__((no_sanitize("coverage")))
#else
#define ORACLE   /* GCC builds the replays, which have no coverage to leave out */
#endif

#endif
