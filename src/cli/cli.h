/*
 * cli — the subcommands of `liaison`, one file each, and what they share:
 * finding the database, opening it with the registry, reporting errors as
 * one line on standard error with the exit codes API.md fixes
 * (0 success, 1 failure, 2 usage).
 */
#ifndef LIAISON_CLI_H
#define LIAISON_CLI_H

#include "domains/domains.h"
#include "model/registry.h"
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;  /* the --help text */
} command;

extern const command commands[];

/* An open database with its registry, as every subcommand but init needs it. */
typedef struct cli_db {
	store *st;
	registry reg;
	domains dom;   /* every area's kinds, routes, pages, passes */
} cli_db;

/* Who the commands act as when not told --as NAME: the system, with an administrator's rights. */
extern const user cli_system;

const char *cli_db_path(const char *flag);        /* --db, else LIAISON_DB, else ./data/liaison.db */
int cli_open(cli_db *db, const char *path, int create);  /* prints the error itself */
void cli_close(cli_db *db);

int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* returns EXIT_FAIL */
/* A usage error, as one line: the message begins with the command's name, "serve: --threads must be
 * …", and is written "liaison serve: --threads must be …; see liaison serve --help".  Returns EXIT_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_help(const char *name);  /* prints the command's usage, returns EXIT_OK */

/*
 * A subcommand's options are declared as a list of their long names, read
 * with getopt_long: "db" takes a value ("--db PATH" or "--db=PATH"),
 * "dry-run!" is a flag (its value is "1"), and "head+" takes a value and
 * may be given again (each value also goes to more[]).  values[k] is the
 * value of names[k], or NULL when it was not given.  Everything else is a
 * positional argument, in order; "--" ends the options.
 */
#define CLI_MAX_ARGS 16
#define CLI_MAX_OPTIONS 32
typedef struct cli_args {
	int argc;                     /* positional arguments after the subcommand */
	char *argv[CLI_MAX_ARGS];
	int nmore;                    /* the values of the option that may come again */
	char *more[CLI_MAX_ARGS];
	char why[160];                /* what is wrong, when parsing failed: "unknown option --foo" */
} cli_args;
int cli_parse(cli_args *a, int argc, char **argv, const char *const *names, const char **values);
int cli_wants_help(int argc, char **argv);
/* A whole decimal number from min to max: 0, or -1 when s is anything else ("12abc", "", too big). */
int cli_number(const char *s, long min, long max, long *out);
/* --help, then the options: -1 when that already answered the command (*rc is its exit status). */
int cli_options(int argc, char **argv, const char *cmd, const char *const *names, const char **values, cli_args *a,
		int *rc);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_reindex(int argc, char **argv);
int cmd_pass(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_appeal(int argc, char **argv);
int cmd_tm(int argc, char **argv);
int cmd_duplicates(int argc, char **argv);
int cmd_iati(int argc, char **argv);

#endif
