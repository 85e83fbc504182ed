/*
 * liaison — the information system of the department of international
 * cooperation and partnerships.  One program: the server and the command
 * line.  This file only finds the subcommand; each lives in src/cli/.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

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
