/*
 * serve — `liaison serve`: open the database, start the server, wait for
 * SIGINT or SIGTERM, then shut down in order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/heads.h"
#include "core/log.h"
#include "domains/domains.h"
#include "domains/inquiries/inquiries.h"
#include "web/web.h"
#include "http/http.h"
#include "http/authcache.h"
#include "http/ratelimit.h"
#include "model/outbox.h"
#include "model/passes.h"

static int parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(s, ':');
	long p;
	if (!colon || colon == s || (size_t)(colon - s) >= hostlen || cli_number(colon + 1, 0, 65535, &p))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = (int)p;
	return 0;
}

#define MAX_METRICS_FROM 16

typedef struct serve_opts {
	const char *db, *listen;
	const char *config;   /* the desk's settings and the server's (JSON), or NULL */
	const char *maildir;  /* a Maildir to read e-mail from while serving, or NULL */
	const char *heads;    /* the audit heads file (cli/heads.h), or NULL: beside the database */
	unsigned heads_every; /* seconds between looks at the audit chain's head */
	unsigned passes_every; /* seconds between the areas' periodic passes (model/passes.h) */
	limits lim;
	const char *metrics_from[MAX_METRICS_FROM + 1];  /* may read /metrics without credentials; NULL-terminated */
	char addresses[MAX_METRICS_FROM][INET6_ADDRSTRLEN];
	int quiet;
	char tls_cert[1024], tls_key[1024];  /* PEM files: the server speaks TLS itself */
	int https_proxy;      /* reached through a proxy that speaks TLS to the browsers */
} serve_opts;

/* The numbers of the server: a flag each, and the same name in the
 * "server" member of the --config file; a flag wins over the file. */
static const struct setting {
	const char *name;
	long min, max;
	size_t offset;  /* in limits */
	int is_size;
} settings[] = {
	{ "threads", 1, 256, offsetof(limits, threads), 0 },
	{ "max-body", 1024, 1L << 30, offsetof(limits, max_body), 1 },
	{ "timeout", 1, 3600, offsetof(limits, timeout), 0 },
	{ "max-connections", 1, 100000, offsetof(limits, max_connections), 0 },
	{ "max-per-address", 1, 100000, offsetof(limits, per_address), 0 },
	{ "head-timeout", 1, 3600, offsetof(limits, head_timeout), 0 },
	{ "body-timeout", 1, 3600, offsetof(limits, body_timeout), 0 },
};

static const char *const option_names[] = { "db", "listen", "quiet!", "config", "maildir", "heads", "heads-every",
					     "passes-every", "metrics-from", "tls-cert", "tls-key", "behind-https-proxy!",
					     "threads", "max-body", "timeout", "max-connections", "max-per-address",
					     "head-timeout", "body-timeout", NULL };
/* From OPT_METRICS_FROM on, an option is also a member of the config file's "server". */
enum { OPT_HEADS = 5, OPT_HEADS_EVERY, OPT_PASSES_EVERY, OPT_METRICS_FROM, OPT_TLS_CERT, OPT_TLS_KEY, OPT_HTTPS_PROXY,
       NFIXED /* the options before the settings' */ };
_Static_assert(COUNT(option_names) - 1 == NFIXED + COUNT(settings), "every setting has its option");

static void set_limit(limits *lim, const struct setting *s, long n)
{
	if (s->is_size)
		*(size_t *)((char *)lim + s->offset) = (size_t)n;
	else
		*(unsigned *)((char *)lim + s->offset) = (unsigned)n;
}

/* An IP address as the server writes a client's (inet_ntop); -1 when it is none. */
static int canonical_address(const char *text, size_t len, char out[INET6_ADDRSTRLEN])
{
	char in[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	if (len == 0 || len >= sizeof in)
		return -1;
	memcpy(in, text, len);
	in[len] = '\0';
	int family = strchr(in, ':') ? AF_INET6 : AF_INET;
	return inet_pton(family, in, bin) == 1 && inet_ntop(family, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
}

/* One more address allowed to read /metrics. */
static int metrics_address(serve_opts *o, const char *text, size_t len)
{
	size_t n = 0;
	while (o->metrics_from[n])
		n++;
	if (n == MAX_METRICS_FROM || canonical_address(text, len, o->addresses[n]))
		return -1;
	o->metrics_from[n] = o->addresses[n];
	return 0;
}

/* "127.0.0.1,10.0.0.5" */
static int metrics_addresses(serve_opts *o, const char *list)
{
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		if (metrics_address(o, p, len))
			return -1;
		p += len;
		if (!*p)
			return 0;
	}
}

/* The "server" member of the config file, under the flags given. */
static int file_settings(serve_opts *o, const char *const *flags, json_t *server)
{
	const char *key;
	json_t *v;
	json_object_foreach(server, key, v) {
		int k = 0;
		while (option_names[k] && strcmp(option_names[k], key))
			k++;
		if (k < OPT_METRICS_FROM || !option_names[k])
			return cli_fail("%s: server.%s is not a setting of the server (see docs/operations.md)", o->config, key);
		if (k == OPT_METRICS_FROM) {
			size_t i;
			json_t *a;
			if (!json_is_array(v))
				return cli_fail("%s: server.metrics-from must be a list of IP addresses", o->config);
			json_array_foreach(v, i, a) {
				const char *text = json_string_value(a);
				char scratch[INET6_ADDRSTRLEN];
				if (!text || (flags[k] ? canonical_address(text, strlen(text), scratch)
						       : metrics_address(o, text, strlen(text))))
					return cli_fail("%s: server.metrics-from must be a list of at most %d IP addresses",
							o->config, MAX_METRICS_FROM);
			}
			continue;
		}
		if (k == OPT_TLS_CERT || k == OPT_TLS_KEY) {
			char *into = k == OPT_TLS_CERT ? o->tls_cert : o->tls_key;
			if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) >= sizeof o->tls_cert)
				return cli_fail("%s: server.%s must be the path of a PEM file", o->config, key);
			if (!flags[k])
				snprintf(into, sizeof o->tls_cert, "%s", json_string_value(v));
			continue;
		}
		if (k == OPT_HTTPS_PROXY) {
			if (!json_is_boolean(v))
				return cli_fail("%s: server.%s must be true or false", o->config, key);
			o->https_proxy |= json_is_true(v);
			continue;
		}
		const struct setting *s = &settings[k - NFIXED];
		if (!json_is_integer(v) || json_integer_value(v) < s->min || json_integer_value(v) > s->max)
			return cli_fail("%s: server.%s must be a number from %ld to %ld", o->config, key, s->min, s->max);
		if (!flags[k])
			set_limit(&o->lim, s, (long)json_integer_value(v));
	}
	return EXIT_OK;
}

static int config_file(serve_opts *o, const char *const *flags)
{
	json_error_t je;
	json_t *root = json_load_file(o->config, 0, &je);
	if (!root)
		return cli_fail("%s:%d: %s", o->config, je.line, je.text);
	json_t *server = json_object_get(root, "server");
	int rc = EXIT_OK;
	if (server && !json_is_object(server))
		rc = cli_fail("%s: server must be an object of settings", o->config);
	else if (server)
		rc = file_settings(o, flags, server);
	json_decref(root);
	return rc;
}

static int options(int argc, char **argv, serve_opts *o)
{
	const char *v[COUNT(option_names)] = { 0 };
	cli_args a;
	int rc;
	if (cli_options(argc, argv, "serve", option_names, v, &a, &rc))
		return rc;
	if (a.argc)
		return cli_usage("serve: unexpected argument %s", a.argv[0]);
	const char *env = getenv("LIAISON_LISTEN");
	memset(o, 0, sizeof *o);
	o->db = cli_db_path(v[0]);
	o->listen = v[1] ? v[1] : env && *env ? env : "127.0.0.1:8080";
	o->quiet = v[2] != NULL;
	o->config = v[3];
	o->maildir = v[4];
	o->heads = v[OPT_HEADS];
	/* One thread per core: store calls are short and cached, and more
	 * threads than cores only add switches to the tail latency. */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	o->lim = (limits){ .max_body = 1 << 20, .threads = cores > 0 ? (unsigned)cores : 2, .timeout = 30,
			   .max_connections = 1024, .max_header = 32 * 1024,
			   .per_address = 128, .head_timeout = 10, .body_timeout = 60 };
	snprintf(o->tls_cert, sizeof o->tls_cert, "%s", v[OPT_TLS_CERT] ? v[OPT_TLS_CERT] : "");
	snprintf(o->tls_key, sizeof o->tls_key, "%s", v[OPT_TLS_KEY] ? v[OPT_TLS_KEY] : "");
	o->https_proxy = v[OPT_HTTPS_PROXY] != NULL;
	long every = 60;
	if (v[OPT_HEADS_EVERY] && cli_number(v[OPT_HEADS_EVERY], 1, 86400, &every))
		return cli_usage("serve: --heads-every must be a number of seconds from 1 to 86400");
	o->heads_every = (unsigned)every;
	long passes = 3600;
	if (v[OPT_PASSES_EVERY] && cli_number(v[OPT_PASSES_EVERY], 1, 7 * 86400, &passes))
		return cli_usage("serve: --passes-every must be a number of seconds from 1 to 604800");
	o->passes_every = (unsigned)passes;
	if (v[OPT_METRICS_FROM] && metrics_addresses(o, v[OPT_METRICS_FROM]))
		return cli_usage("serve: --metrics-from takes at most %d IP addresses separated by commas, like 127.0.0.1,::1",
				 MAX_METRICS_FROM);
	for (size_t i = 0; i < COUNT(settings); i++) {
		const struct setting *s = &settings[i];
		long n;
		if (!v[NFIXED + i])
			continue;
		if (cli_number(v[NFIXED + i], s->min, s->max, &n))
			return cli_usage("serve: --%s must be a number from %ld to %ld", s->name, s->min, s->max);
		set_limit(&o->lim, s, n);
	}
	rc = o->config ? config_file(o, v) : EXIT_OK;
	if (rc == EXIT_OK && !o->tls_cert[0] != !o->tls_key[0])
		return cli_usage("serve: TLS needs both --tls-cert and --tls-key (PEM files)");
	return rc;
}

/* A whole PEM file, malloc'ed; NULL with a reason in err. */
static char *read_pem(const char *path, const char *what, char *err, size_t errlen)
{
	buf b = BUF_INIT;
	char chunk[4096];
	size_t got;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot read the TLS %s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, got);
	fclose(f);
	if (!b.len || !strstr(buf_str(&b), "-----BEGIN ")) {
		snprintf(err, errlen, "the TLS %s %s is not a PEM file", what, path);
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* ---- e-mail while serving: the Maildir is read every few seconds ---- */

typedef struct watcher {
	pthread_t thread;
	app *app;
	const char *dir;
	atomic_int stop;
} watcher;

static void *watch(void *arg)
{
	watcher *w = arg;
	while (!atomic_load(&w->stop)) {
		mail_report rep = { 0 };
		char err[512];
		if (mailin_import_dir(w->app->st, &w->app->reg, w->dir, &rep, err, sizeof err))
			log_event("error", "mail: %s", err);
		else if (rep.read)
			log_event("info", "mail: %zu read, %zu new inquiries, %zu joined, %zu set aside, %zu quarantined",
				  rep.read, rep.imported, rep.joined, rep.ignored, rep.quarantined);
		for (int i = 0; i < 20 && !atomic_load(&w->stop); i++)
			usleep(100 * 1000);
	}
	return NULL;
}

int cmd_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return cli_help("serve");
	serve_opts o;
	int rc = options(argc, argv, &o);
	if (rc)
		return rc;
	char host[64];
	int port;
	if (parse_listen(o.listen, host, sizeof host, &port))
		return cli_usage("serve: --listen takes HOST:PORT, like 127.0.0.1:8080, not '%s'", o.listen);

	/* Block the stop signals before any thread starts, so every server
	 * thread inherits the mask and only sigwait below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	cli_db db;
	if (cli_open(&db, o.db, 0))
		return EXIT_FAIL;
	char err[256];
	if (domains_configure(o.config, err, sizeof err) || outbox_configure(o.config, err, sizeof err)) {
		cli_close(&db);
		return cli_fail("%s", err);
	}
	desk_watch(o.maildir);
	if (web_start(err, sizeof err)) {
		cli_close(&db);
		return cli_fail("the pages cannot be loaded: %s", err);
	}
	app a = { .st = db.st, .reg = db.reg, .routes = db.dom.routes, .nroutes = db.dom.nroutes, .lim = o.lim,
		  .pages = { web_routes_first, db.dom.pages, web_routes },
		  .npages = { nweb_routes_first, db.dom.npages, nweb_routes },
		  .schemas = db.dom.schemas, .gauges = db.dom.gauges, .ngauges = db.dom.ngauges,
		  .error_page = web_error_page, .metrics_from = o.metrics_from, .secure_cookies = o.https_proxy };
	if (o.tls_cert[0] && (!(a.tls_cert = read_pem(o.tls_cert, "certificate", err, sizeof err)) ||
			      !(a.tls_key = read_pem(o.tls_key, "key", err, sizeof err)))) {
		free((char *)a.tls_cert);
		web_stop();
		cli_close(&db);
		return cli_fail("%s", err);
	}
	a.secure_cookies |= a.tls_cert != NULL;
	if (openapi_check(&a, err, sizeof err)) {
		web_stop();
		cli_close(&db);
		return cli_fail("the API's description is incomplete: %s", err);
	}
	a.logins = ratelimit_new(5, 15 * 60);
	a.intake = ratelimit_new(desk()->intake_per_hour, 60 * 60);
	a.tokens = authcache_new();
	log_quiet(o.quiet);
	server *s = server_start(&a, host, port, err, sizeof err);
	if (!s && a.tls_cert)
		snprintf(err + strlen(err), sizeof err - strlen(err), " (with TLS: are the certificate and key PEM, and a pair?)");
	head_keeper *keeper = s ? heads_start(db.st, o.heads, o.heads_every, err, sizeof err) : NULL;
	/* Mail leaves only through a relay: without one it stays queued, for the administrators to see. */
	outbox_sender *sender = keeper && outbox_ready() ? outbox_sender_start(db.st, &a.reg, err, sizeof err) : NULL;
	if (!keeper || (outbox_ready() && !sender)) {
		if (keeper)
			heads_stop(keeper);
		if (s)
			server_stop(s);
		free((char *)a.tls_cert);
		free((char *)a.tls_key);
		web_stop();
		ratelimit_free(a.intake);
		ratelimit_free(a.logins);
		authcache_free(a.tokens);
		cli_close(&db);
		return cli_fail("%s", err);
	}
	log_event("info", "listening on %s://%s:%d", a.tls_cert ? "https" : "http", host, server_port(s));
	/* Without its thread the passes wait for `liaison pass`: the server serves all the same. */
	pass_runner *passes = passes_start(db.st, &a.reg, db.dom.passes, db.dom.npasses, o.passes_every, err, sizeof err);
	if (!passes)
		log_event("error", "%s", err);
	watcher w = { .app = &a, .dir = o.maildir };
	if (o.maildir && pthread_create(&w.thread, NULL, watch, &w) != 0)
		o.maildir = NULL;
	int sig = 0;
	sigwait(&stop, &sig);
	if (o.maildir) {
		atomic_store(&w.stop, 1);
		pthread_join(w.thread, NULL);
	}
	log_event("info", "%s received: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	passes_stop(passes);
	server_stop(s);
	outbox_sender_stop(sender);
	heads_stop(keeper);
	ratelimit_free(a.logins);
	ratelimit_free(a.intake);
	authcache_free(a.tokens);
	free((char *)a.tls_cert);
	free((char *)a.tls_key);
	web_stop();
	desk_release();
	cli_close(&db);
	log_event("info", "stopped");
	return EXIT_OK;
}
