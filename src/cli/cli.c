/*
 * cli — the command table and the helpers every subcommand shares.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domains/domains.h"
#include "model/schema.h"
#include "model/search.h"

const user cli_system = { 0, "liaison-cli", ROLE_ADMIN, NULL, 0, "en" };

const command commands[] = {
	{ "serve", cmd_serve, "run the server",
	  "usage: liaison serve [--db PATH] [--listen HOST:PORT] [--threads N] [--max-body BYTES]\n"
	  "                     [--timeout SECONDS] [--max-connections N] [--max-per-address N]\n"
	  "                     [--head-timeout SECONDS] [--body-timeout SECONDS] [--quiet]\n"
	  "                     [--config FILE] [--maildir DIR] [--metrics-from ADDRESS,...]\n"
	  "                     [--tls-cert PEM --tls-key PEM] [--behind-https-proxy]\n"
	  "                     [--heads FILE] [--heads-every SECONDS] [--passes-every SECONDS]\n"
	  "Serves the API on http://HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one).\n"
	  "--tls-cert, --tls-key: speak HTTPS with this certificate (chain) and key, both PEM files.\n"
	  "--behind-https-proxy: browsers reach the server through a proxy that speaks HTTPS.\n"
	  "Either makes the session cookie Secure.\n"
	  "SIGINT or SIGTERM: stop accepting, finish requests in flight, close the database.\n"
	  "--max-per-address: connections one client address may hold open (128); more are closed.\n"
	  "--head-timeout, --body-timeout: seconds to send a request's head (10) and its body (60).\n"
	  "--config: the inquiry desk's settings (business calendar, service-level targets), the SMTP\n"
	  "relay and retries of the outbox, whose sender runs with the server (docs/operations.md),\n"
	  "and under \"server\" the settings above by the same names; a flag wins over the file;\n"
	  "--maildir: read e-mail from this Maildir every two seconds (see 'liaison mail').\n"
	  "--metrics-from: addresses (a scraper's) that may read /metrics without credentials;\n"
	  "administrators may read it from anywhere.\n"
	  "--heads: where the head of the audit chain is recorded at start, every --heads-every\n"
	  "seconds (60) when it moved, and at stop (default: the database's path + \"-heads\").\n"
	  "--passes-every: the areas' periodic passes (the meetings' alerts, the donors' reminders)\n"
	  "run at start and then every this many seconds (3600); see 'liaison pass'.\n"
	  "LIAISON_DB and LIAISON_LISTEN set the same as --db and --listen.\n" },
	{ "init", cmd_init, "create or migrate the database",
	  "usage: liaison init [--db PATH]\n"
	  "Creates the database when missing, applies missing migrations, loads the countries\n"
	  "from iso-codes, and on a database without users creates 'admin' and prints its\n"
	  "password once.\n" },
	{ "demo", cmd_demo, "fill an empty database with invented demo data",
	  "usage: liaison demo [--db PATH] [--scale N]\n"
	  "       liaison demo [--db PATH] --inquiries N\n"
	  "       liaison demo [--db PATH] --documents N\n"
	  "       liaison demo [--db PATH] --iati N\n"
	  "Scale 1 is about 2,000 organizations and 5,000 persons with their relationships\n"
	  "and interactions, and the governing bodies' sessions with a hundred documents;\n"
	  "the data is invented and the same for the same scale.  A scale of 2 or more also adds\n"
	  "100,000 IATI transactions per unit of scale (10 million at 100), as --iati does.\n"
	  "--inquiries adds N invented inquiries (and a few routing rules) to a database that has none.\n"
	  "--documents adds governing bodies, sessions and documents with N language versions in all\n"
	  "to a database that has no governing bodies.\n"
	  "--iati adds N invented IATI transactions (about 200 donors, up to 5,000 activities, 2015 to\n"
	  "2026, several currencies) with their funding summary, to a database that has no IATI activities.\n" },
	{ "user", cmd_user, "add a user",
	  "usage: liaison user add NAME --role ROLE [--division DIV] [--organization ID]\n"
	  "The password is read from standard input (one line, at least 12 characters).\n"
	  "Roles: admin, director, staff, translator, viewer, partner.\n"
	  "Divisions: FO, GBD, IPD, MCD, DRD, MPR, MPD, IML.\n" },
	{ "token", cmd_token, "create an API token",
	  "usage: liaison token create NAME [--label TEXT] [--expires YYYY-MM-DD]\n"
	  "Prints a new API token for user NAME, once; it is stored only as a hash.\n"
	  "--label says what it is for; --expires is its last day (a year from today when not given).\n" },
	{ "import", cmd_import, "import records from a file",
	  "usage: liaison import KIND FILE [--dry-run] [--force] [--review OUT]\n"
	  "KIND is any kind of record (organizations, persons, ...) or member-states;\n"
	  "FILE is CSV with a header row, as 'liaison export KIND' writes it.  A row with\n"
	  "the id (or key) of a record changes it at the version it gives, or leaves it\n"
	  "when nothing differs; an id that names no record creates it with that id.\n"
	  "All or nothing: any bad row stops the import, and every bad row is reported\n"
	  "as FILE:LINE: COLUMN: reason.  --dry-run checks every row without writing\n"
	  "and without holding the database's write lock.  --force creates rows that\n"
	  "look like duplicates of existing records.  --review imports every row but the\n"
	  "likely duplicates, which go to the new file OUT with their candidates: mark\n"
	  "create_anyway 'yes' on those to create and import OUT.\n" },
	{ "export", cmd_export, "export records to standard output",
	  "usage: liaison export KIND [--format csv|vcard]\n"
	  "Writes every record of KIND that is not archived, as CSV (default), or persons as vCards 4.0.\n"
	  "'liaison import KIND' takes the CSV back unchanged, into this database or another.\n" },
	{ "terms", cmd_terms, "the termbase in and out as TBX",
	  "usage: liaison terms import FILE.tbx [--as NAME] [--db PATH]\n"
	  "       liaison terms export [--as NAME] [--db PATH] > FILE.tbx\n"
	  "import creates every concept of the TBX file with its terms, in one transaction: a file\n"
	  "refused (its line and the reason on one line, exit 1) leaves the termbase as it was.\n"
	  "Terms already in the termbase are not looked for: a term imported twice is there twice.\n"
	  "export writes every concept with a term as TBX-Basic (ids \"c\" and the record id).\n"
	  "Both act as the system, or as user NAME with that user's rights.\n" },
	{ "tm", cmd_tm, "the translation memory in and out as TMX",
	  "usage: liaison tm import FILE.tmx [--origin SYMBOL] [--db PATH]\n"
	  "       liaison tm export --from en|fr|es --to en|fr|es [--db PATH] > FILE.tmx\n"
	  "import adds every unit of the TMX 1.4 file, read as a stream, in one transaction: each\n"
	  "variant in the source language paired with each variant in another of en, fr, es\n"
	  "(variants in other languages are left out and counted). A file refused (its line and\n"
	  "the reason on one line, exit 1) leaves the memory as it was. --origin names the\n"
	  "document symbol of units that name none.\n"
	  "export writes one language pair's units, a page at a time, as TMX 1.4.\n" },
	{ "duplicates", cmd_duplicates, "find the likely duplicates of the whole registry",
	  "usage: liaison duplicates scan [--kind organizations|persons] [--limit N] [--db PATH]\n"
	  "Compares every two organizations, and every two persons, that share a duplicate key (a name's\n"
	  "words, an acronym, an e-mail address), as the check on create does, and puts the pairs alike\n"
	  "enough in the review queue (/duplicates, GET /api/v1/duplicates) in place of the last scan's;\n"
	  "pairs staff dismissed stay out. One line per kind on standard error says what it found; then\n"
	  "the queue's best N pairs (50 when not given; 0: none) as tab-separated lines: score, kind,\n"
	  "first id, its name, second id, its name, why.\n" },
	{ "iati", cmd_iati, "donors' IATI activity files in, the programmes out",
	  "usage: liaison iati import FILE.xml [--dry-run] [--db PATH]\n"
	  "       liaison iati export [--config FILE] [--db PATH] > FILE.xml\n"
	  "import reads an IATI 2.03 activity file as a stream and writes every activity, with its\n"
	  "organisations, sectors, places, budgets and transactions, in one transaction: a file\n"
	  "refused (FILE:LINE: and the reason on one line, exit 1) imports nothing. An activity\n"
	  "already there (the same iati-identifier) is replaced. Codes IATI does not list are\n"
	  "imported and told as warnings on standard error (FILE:LINE: warning: ...).\n"
	  "--dry-run reads the whole file and says what it would add and update, writing nothing.\n"
	  "export writes every programme as an IATI 2.03 activity, the contributions allocated to\n"
	  "it as incoming funds; --config: the settings file whose \"donors\" member names the\n"
	  "organization that publishes (docs/donors.md).\n" },
	{ "appeal", cmd_appeal, "an appeal's document as PDF",
	  "usage: liaison appeal document ID [--lang en|fr|es] [--currency CODE] [--out FILE.pdf] [--db PATH]\n"
	  "Writes the appeal's document, as GET /appeals/ID/document.pdf serves it: its requirements by\n"
	  "DAC region and country with the funding received for each and the gap, totals per currency\n"
	  "and in the reporting currency (--currency, USD when not given) at today's rates, and a chart;\n"
	  "in English unless --lang says. --out: the file, written whole or not at all (standard output\n"
	  "when not given). Exit 1, and the reason on one line, for an unknown appeal or currency.\n" },
	{ "search", cmd_search, "search every record",
	  "usage: liaison search \"QUERY\" [--as NAME] [--limit N] [--db PATH]\n"
	  "Words must all match; \"an exact phrase\", a OR b, -excluded, prefix*, and the filters\n"
	  "type:KIND lang:en|fr|es date:2016..2017 and the facets: division:DRD country:PH tags:TAG...\n"
	  "Searches as the system, or as user NAME (seeing only what NAME may read).\n" },
	{ "reindex", cmd_reindex, "rebuild the search index",
	  "usage: liaison reindex [--db PATH]\n"
	  "Rebuilds the search index from the records, in one transaction.\n" },
	{ "backup", cmd_backup, "copy the database while it runs",
	  "usage: liaison backup OUT [--db PATH] [--heads FILE]\n"
	  "Writes a consistent copy of the database to OUT, even while the server writes, and\n"
	  "prints the head of the copy's audit chain (SEQ:HASH), which it also writes to OUT.head\n"
	  "and appends to the heads file (default: the database's path + \"-heads\").\n" },
	{ "audit", cmd_audit, "check the audit log",
	  "usage: liaison audit verify [--db PATH] [--head SEQ:HASH ...] [--heads FILE]\n"
	  "       liaison audit head [--db PATH]\n"
	  "verify recomputes the audit hash chain and checks that it still holds each head given\n"
	  "with --head and each recorded in the heads file (default: the database's path +\n"
	  "\"-heads\"); exit 1 and the first bad entry, or the missing head, when it does not.\n"
	  "head prints the newest entry's sequence number and hash, SEQ:HASH, to keep elsewhere:\n"
	  "without such a head, entries cut from the end of the chain cannot be noticed.\n" },
	{ "mail", cmd_mail, "read e-mail into the inquiry desk",
	  "usage: liaison mail import DIR [--config FILE] [--db PATH]\n"
	  "       liaison mail retry DIR [--config FILE] [--db PATH]\n"
	  "Reads every message in the Maildir DIR/new: a reply joins its inquiry, anything else opens\n"
	  "one; read messages move to DIR/cur.  A message that cannot be read goes to DIR/quarantine\n"
	  "with a .reason file; 'retry' puts the quarantined messages back and reads them again.\n"
	  "Exit 1 when any message was quarantined.\n" },
	{ "pass", cmd_pass, "run the periodic passes once",
	  "usage: liaison pass [--db PATH] [--config FILE]\n"
	  "Runs once each periodic pass the server runs every --passes-every seconds (the meetings'\n"
	  "alerts, the donors' reminders: mail queued in the outbox, each once), for a cron job when\n"
	  "no server runs.\n"
	  "--config: the same settings file as 'liaison serve'.  Exit 1 when a pass failed.\n" },
	{ NULL, NULL, NULL, NULL },
};

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("liaison: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_FAIL;
}

int cli_usage(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *colon = strstr(msg, ": ");
	int n = colon ? (int)(colon - msg) : 0;
	for (const command *c = commands; colon && c->name; c++)
		if ((int)strlen(c->name) == n && strncmp(c->name, msg, (size_t)n) == 0) {
			fprintf(stderr, "liaison %.*s: %s; see liaison %.*s --help\n", n, msg, colon + 2, n, msg);
			return EXIT_USAGE;
		}
	fprintf(stderr, "liaison: %s; see liaison --help\n", msg);
	return EXIT_USAGE;
}

int cli_help(const char *name)
{
	for (const command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			fputs(c->usage, stdout);
	return EXIT_OK;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int cli_options(int argc, char **argv, const char *cmd, const char *const *names, const char **values, cli_args *a,
		int *rc)
{
	if (cli_wants_help(argc, argv)) {
		*rc = cli_help(cmd);
		return -1;
	}
	if (cli_parse(a, argc, argv, names, values)) {
		*rc = cli_usage("%s: %s", cmd, a->why);
		return -1;
	}
	return 0;
}

enum { FIRST_OPTION = 256 };  /* getopt_long's value for names[0]; names[k] gets FIRST_OPTION + k */

static int positional(cli_args *a, char *arg)
{
	if (a->argc == CLI_MAX_ARGS) {
		snprintf(a->why, sizeof a->why, "too many arguments (%s)", arg);
		return -1;
	}
	a->argv[a->argc++] = arg;
	return 0;
}

/* Why getopt_long refused the element before argv[optind]: it answered c, naming optopt. */
static void refused(cli_args *a, int c, char **argv, const struct option *longs)
{
	const char *arg = argv[optind - 1];
	int k = optopt - FIRST_OPTION;
	if (c == ':')
		snprintf(a->why, sizeof a->why, "--%s needs a value", longs[k].name);
	else if (k >= 0)
		snprintf(a->why, sizeof a->why, "--%s takes no value", longs[k].name);
	else if (optopt)
		snprintf(a->why, sizeof a->why, "unknown option -%c", optopt);
	else
		snprintf(a->why, sizeof a->why, "unknown option %.*s", (int)strcspn(arg, "="), arg);
}

int cli_parse(cli_args *a, int argc, char **argv, const char *const *names, const char **values)
{
	struct option longs[CLI_MAX_OPTIONS + 1] = { { 0 } };
	char bare[CLI_MAX_OPTIONS][32];
	memset(a, 0, sizeof *a);
	int n = 0;
	for (; names[n] && n < CLI_MAX_OPTIONS; n++) {
		size_t len = strcspn(names[n], "!+");
		snprintf(bare[n], sizeof bare[n], "%.*s", (int)len, names[n]);
		longs[n] = (struct option){ bare[n], names[n][len] == '!' ? no_argument : required_argument, NULL,
					    FIRST_OPTION + n };
	}
	/* "-": arguments come back in order, whatever POSIXLY_CORRECT says; ":": a missing value is ':' */
	opterr = 0;
	optind = 0;   /* glibc: start afresh, as for a new argv */
	for (int c; (c = getopt_long(argc, argv, "-:", longs, NULL)) != -1;) {
		int k = c - FIRST_OPTION;
		if (c == 1) {
			if (positional(a, optarg))
				return -1;
		} else if (k < 0 || k >= n) {
			refused(a, c, argv, longs);
			return -1;
		} else {
			values[k] = longs[k].has_arg == no_argument ? "1" : optarg;
			if (names[k][strlen(bare[k])] != '+')
				continue;
			if (a->nmore == CLI_MAX_ARGS) {
				snprintf(a->why, sizeof a->why, "--%.60s is given more than %d times", bare[k], CLI_MAX_ARGS);
				return -1;
			}
			a->more[a->nmore++] = optarg;
		}
	}
	for (int i = optind; i < argc; i++) /* after "--" */
		if (positional(a, argv[i]))
			return -1;
	return 0;
}

int cli_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *cli_db_path(const char *flag)
{
	if (flag)
		return flag;
	const char *env = getenv("LIAISON_DB");
	return env && *env ? env : "./data/liaison.db";
}

static int ensure_parent_dir(const char *path)
{
	char *dir = strdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}

int cli_open(cli_db *db, const char *path, int create)
{
	char err[512];
	struct stat st;
	memset(db, 0, sizeof *db);
	if (!create && stat(path, &st) != 0)
		return cli_fail("no database at %s; create it with 'liaison init --db %s'", path, path);
	if (create && ensure_parent_dir(path))
		return cli_fail("cannot create the folder for %s: %s", path, strerror(errno));
	db->st = store_open(path, err, sizeof err);
	if (!db->st)
		return cli_fail("%s", err);
	domains_gather(&db->dom);
	if (registry_build(&db->reg, db->dom.kinds, db->dom.nkinds, err, sizeof err) ||
	    registry_add_roles(&db->reg, db->dom.roles, err, sizeof err) || schema_upgrade(db->st, &db->reg, err, sizeof err) ||
	    search_prepare(db->st, &db->reg, stderr, err, sizeof err)) {
		cli_close(db);
		return cli_fail("%s", err);
	}
	return EXIT_OK;
}

void cli_close(cli_db *db)
{
	registry_free(&db->reg);
	store_close(db->st);
	domains_release(&db->dom);
	db->st = NULL;
}
