/*
 * xmllint — the baseline of the XML readers' benchmarks: `xmllint --stream
 * --noout` walking a file with libxml2's streaming reader and doing nothing
 * else, run as a child process and timed whole.
 */
#ifndef LIAISON_BENCH_XMLLINT_H
#define LIAISON_BENCH_XMLLINT_H

#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"

/* The seconds xmllint took to walk the file at path, or -1 when it failed. */
static inline double bench_xmllint_stream(const char *path)
{
	uint64_t start = clock_micros();
	pid_t pid = fork();
	if (pid == 0) {
		execlp("xmllint", "xmllint", "--stream", "--noout", "--nonet", path, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	double s = (double)(clock_micros() - start) / 1e6;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? s : -1;
}

#endif
