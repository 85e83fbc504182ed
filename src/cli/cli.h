/*
 * cli — the subcommands of `liaison`, one file each, and what they share:
 * finding the database, opening it with the registry, reporting errors as
 * one line on standard error with the exit codes API.md fixes
 * (0 success, 1 failure, 2 usage).
 */
#ifndef LIAISON_CLI_H
#define LIAISON_CLI_H

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
} cli_db;

const char *cli_db_path(const char *flag);        /* --db, else LIAISON_DB, else ./data/liaison.db */
int cli_open(cli_db *db, const char *path, int create);  /* prints the error itself */
void cli_close(cli_db *db);

int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* returns EXIT_FAIL */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* returns EXIT_USAGE */
int cli_help(const char *name);  /* prints the command's usage, returns EXIT_OK */

/* Options: "--name value" or "--name=value"; returns the value, or NULL. */
#define CLI_MAX_ARGS 16
typedef struct cli_args {
	int argc;                     /* positional arguments after the subcommand */
	char *argv[CLI_MAX_ARGS];
	const char *bad;              /* the first unknown or incomplete option, when any */
} cli_args;
int cli_parse(cli_args *a, int argc, char **argv, const char *const *options, const char **values);
int cli_wants_help(int argc, char **argv);
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

#endif
