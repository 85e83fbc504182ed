/*
 * liaison — the information system of the department of international
 * cooperation and partnerships.  One program: the server and the command
 * line.  This file only finds the subcommand; each lives in src/cli/.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* In a build with the leak checker: fontconfig keeps its font cache for the
 * life of the process and stores pointers inside it as offsets, which
 * LeakSanitizer cannot follow, so a command that lays out a PDF would end
 * with a report of that cache.  Only that library is named; a leak in
 * Liaison's own code is still reported.  Other builds never call these. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static int usage(FILE *out)
{
	fputs("usage: liaison COMMAND [options]   (liaison COMMAND --help for each)\n\n", out);
	for (const command *c = commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("liaison: the cryptography library could not start\n", stderr);
		return EXIT_FAIL;
	}
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return usage(stdout);
	for (const command *c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "liaison: unknown command '%s'; see liaison --help\n", argv[1]);
	return EXIT_USAGE;
}
