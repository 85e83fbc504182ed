/*
 * replay — a fuzz harness as a plain test program: every file of the
 * folders named on the command line is given to the harness's
 * LLVMFuzzerTestOneInput, each in a child process of its own, so that a
 * crash (or a sanitizer's report, or a leak) fails that file and the rest
 * still run.  The normal debug build links it with each harness under
 * AddressSanitizer and UndefinedBehaviorSanitizer; tests/run gives it the
 * harness's seed corpus and its regressions (inputs that once crashed).
 *
 * usage: replay_NAME DIR...   prints one line per failure and ends with
 *                             "replay_NAME: N passed, N failed"
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* UndefinedBehaviorSanitizer's reports fail the input as AddressSanitizer's
 * do: left to itself it prints the report and carries on, and the child
 * would exit 0. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

static int read_all(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, n = 0;
	uint8_t *p = malloc(cap);
	size_t got;
	while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			p = realloc(p, cap *= 2);
	}
	int bad = ferror(f) || !p;
	fclose(f);
	if (bad) {
		free(p);
		return -1;
	}
	*data = p;
	*len = n;
	return 0;
}

/* 0 when the input ran to its end in a child that exited cleanly. */
static int replay_one(const char *path)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		uint8_t *data;
		size_t len;
		if (read_all(path, &data, &len) < 0) {
			fprintf(stderr, "%s: cannot read\n", path);
			exit(2);
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0);   /* through exit, so that the leak checker runs */
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; a missing folder has none. */
static void replay_dir(const char *dir, int *passed, int *failed)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (replay_one(path) == 0) {
			(*passed)++;
		} else {
			(*failed)++;
			printf("FAILED %s\n", path);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", name);
		return 2;
	}
	int passed = 0, failed = 0;
	for (int i = 1; i < argc; i++)
		replay_dir(argv[i], &passed, &failed);
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? 1 : 0;
}
