/*
 * bench/pack — the briefing pack: how long `liaison serve` takes to answer
 * a briefing's pack as a page and as a PDF, beside the raw SQLite reads of
 * the rows the pack is made of.
 *
 * usage: bench_pack LIAISON [--runs N]
 *
 * On a fresh database (in a temporary folder) it makes, through the API, an
 * organization in a country that is a member, its permanent mission and a
 * relationship to it, 10 visitors, 20 interactions and 10 open follow-ups,
 * and a briefing with its visitors, staff, confirmed time, agenda and
 * talking points in three languages.  Then it asks for the pack N times
 * (200 by default) as HTML and N times as PDF, one request at a time, and
 * times each; the baseline is the same rows read N times with plain SQL on
 * a connection of its own (the briefing, its links, the visitors, the
 * organization, its country, its missions and relationships, the latest
 * interactions and the open follow-ups).  It prints p50 and p99 of each,
 * the ratio, and whether a pack stays under the goal of one second.
 * Nothing is asserted: figures go to bench/RESULTS.md.
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"

#define VISITORS 10
#define INTERACTIONS 20
#define FOLLOW_UPS 10

typedef struct bench {
	const char *bin;
	char dir[64], db[128], log[128], base[64], auth[240];
	pid_t server;
	CURL *curl;
} bench;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void pct(uint64_t *v, size_t n, double *p50, double *p99)
{
	qsort(v, n, sizeof *v, cmp_u64);
	*p50 = (double)v[n / 2] / 1000.0;
	*p99 = (double)v[n * 99 / 100] / 1000.0;
}

/* Runs a command of the liaison binary on the database; its first line of
 * output into out (when given).  0, or -1. */
static int cli(bench *b, const char *args, const char *input, char *out, size_t n)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "%s%s%s'%s' %s --db '%s'", input ? "printf '%s\\n' '" : "", input ? input : "",
		 input ? "' | " : "", b->bin, args, b->db);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[512] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	while (fgetc(p) != EOF) {
	}
	int rc = pclose(p);
	line[strcspn(line, "\n")] = '\0';
	if (out)
		snprintf(out, n, "%s", line);
	return rc == 0 ? 0 : -1;
}

/* Starts `liaison serve` on a free port and waits for it to say which. */
static int serve(bench *b)
{
	fflush(stdout);   /* else the child writes what is buffered again */
	b->server = fork();
	if (b->server == 0) {
		if (!freopen(b->log, "w", stdout) || !freopen(b->log, "a", stderr))
			_exit(127);
		execl(b->bin, b->bin, "serve", "--db", b->db, "--listen", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		usleep(50000);
		FILE *f = fopen(b->log, "r");
		char line[512];
		while (f && fgets(line, sizeof line, f)) {
			const char *at = strstr(line, "listening on http://127.0.0.1:");
			if (at) {
				snprintf(b->base, sizeof b->base, "http://127.0.0.1:%d", atoi(at + 30));
				fclose(f);
				return 0;
			}
		}
		if (f)
			fclose(f);
	}
	return -1;
}

static size_t gather(char *data, size_t size, size_t n, void *out)
{
	buf_add(out, data, size * n);
	return size * n;
}

/* One request; the body answered into out (reset first).  The status, or -1. */
static long call(bench *b, const char *method, const char *path, json_t *body, buf *out)
{
	char url[300];
	snprintf(url, sizeof url, "%s%s", b->base, path);
	char *data = body ? json_dumps(body, 0) : NULL;
	struct curl_slist *h = curl_slist_append(NULL, b->auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	buf_reset(out);
	curl_easy_reset(b->curl);
	curl_easy_setopt(b->curl, CURLOPT_URL, url);
	curl_easy_setopt(b->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(b->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(b->curl, CURLOPT_WRITEDATA, out);
	if (data)
		curl_easy_setopt(b->curl, CURLOPT_POSTFIELDS, data);
	long status = -1;
	if (curl_easy_perform(b->curl) == CURLE_OK)
		curl_easy_getinfo(b->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	free(data);
	return status;
}

/* Creates a record through the API; its id, or -1 (with what the server said). */
static json_int_t create(bench *b, const char *path, json_t *body)
{
	buf out = BUF_INIT;
	long status = call(b, "POST", path, body, &out);
	json_decref(body);
	json_t *r = status == 201 ? json_loadb(out.data, out.len, 0, NULL) : NULL;
	json_int_t id = r ? json_integer_value(json_object_get(r, "id")) : -1;
	if (id < 0)
		fprintf(stderr, "bench_pack: POST %s answered %ld: %.300s\n", path, status, buf_str(&out));
	json_decref(r);
	buf_free(&out);
	return id;
}

/* The records of the pack; the briefing's id, or -1. */
static json_int_t make_records(bench *b)
{
	buf out = BUF_INIT;
	call(b, "GET", "/api/v1/users/bench", NULL, &out);
	json_t *me = json_loadb(out.data, out.len, 0, NULL);
	json_int_t user = json_integer_value(json_object_get(me, "id"));
	json_decref(me);
	buf_free(&out);
	json_int_t org = create(b, "/api/v1/organizations?force=true",
				json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s}", "name", "en", "Invented Harbour Council", "fr",
					  "Conseil portuaire inventé", "es", "Consejo portuario inventado", "type", "igo",
					  "country", "CH", "website", "https://harbour.example.org"));
	json_int_t mission = create(b, "/api/v1/organizations?force=true",
				    json_pack("{s:{s:s}, s:s, s:s, s:s}", "name", "en", "Invented Permanent Mission", "type",
					      "permanent_mission", "country", "CH", "address", "1 Invented Street, Geneva"));
	if (org < 0 || mission < 0 ||
	    create(b, "/api/v1/relationships", json_pack("{s:s, s:I, s:I}", "type", "member_of", "from_organization", org,
							 "to_organization", mission)) < 0)
		return -1;
	json_t *visitors = json_array();
	for (int i = 0; i < VISITORS; i++) {
		char given[32];
		snprintf(given, sizeof given, "Visitor%d", i + 1);
		json_int_t p = create(b, "/api/v1/persons?force=true", json_pack("{s:s, s:s, s:s, s:I}", "given_name", given,
										   "family_name", "Inventado", "position",
										   "Adviser", "organization", org));
		if (p < 0)
			return -1;
		json_array_append_new(visitors, json_pack("{s:s, s:I}", "kind", "persons", "id", p));
	}
	json_int_t first = -1;
	for (int i = 0; i < INTERACTIONS; i++) {
		char date[16], subject[64];
		snprintf(date, sizeof date, "2026-%02d-%02d", i % 12 + 1, i % 27 + 1);
		snprintf(subject, sizeof subject, "Invented exchange number %d", i + 1);
		json_int_t id = create(b, "/api/v1/interactions",
				       json_pack("{s:s, s:s, s:s, s:[{s:s, s:I}]}", "date", date, "kind", "meeting", "subject",
						 subject, "participants", "kind", "organizations", "id", org));
		if (id < 0)
			return -1;
		first = first < 0 ? id : first;
	}
	for (int i = 0; i < FOLLOW_UPS; i++) {
		char due[16], task[64];
		snprintf(due, sizeof due, "2027-%02d-15", i % 12 + 1);
		snprintf(task, sizeof task, "Invented commitment number %d", i + 1);
		if (create(b, "/api/v1/follow-ups", json_pack("{s:I, s:s, s:I, s:s, s:s}", "interaction", first + i, "task", task,
							      "owner", user, "due_date", due, "status", "open")) < 0)
			return -1;
	}
	return create(b, "/api/v1/briefings",
		      json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:[{s:s, s:I}],"
				" s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}",
				"title", "Invented harbour delegation", "organization", org, "language", "fr", "status", "scheduled",
				"starts_at", "2027-05-03T09:00:00Z", "ends_at", "2027-05-03T10:30:00Z", "time_zone",
				"Europe/Zurich", "room", "Salle B", "visitors", visitors, "staff", "kind", "users", "id", user,
				"agenda", "en", "Welcome\nHarbour safety\nTraining", "fr", "Accueil\nSécurité portuaire\nFormation",
				"es", "Bienvenida\nSeguridad portuaria\nFormación", "talking_points", "en", "Thanks\nNext steps",
				"fr", "Remerciements\nProchaines étapes", "es", "Agradecimientos\nPróximos pasos"));
}

/* The rows the pack is made of, read with plain SQL; -1 on an error. */
static const char *const baseline_sql[] = {
	"SELECT * FROM briefings WHERE id = ?1",
	"SELECT * FROM links WHERE kind = 'briefings' AND record_id = ?1",
	"SELECT p.* FROM persons p JOIN links l ON l.target_id = p.id AND l.target_kind = 'persons'"
	" WHERE l.kind = 'briefings' AND l.record_id = ?1",
	"SELECT o.* FROM organizations o JOIN briefings b ON b.organization = o.id WHERE b.id = ?1",
	"SELECT c.* FROM countries c JOIN organizations o ON o.country = c.iso2 JOIN briefings b ON b.organization = o.id"
	" WHERE b.id = ?1",
	"SELECT m.* FROM organizations m JOIN organizations o ON m.country = o.country JOIN briefings b ON b.organization = o.id"
	" WHERE b.id = ?1 AND m.type = 'permanent_mission' LIMIT 10",
	"SELECT r.* FROM relationships r JOIN briefings b ON r.from_organization = b.organization OR r.to_organization = b.organization"
	" WHERE b.id = ?1 LIMIT 10",
	"SELECT i.* FROM interactions i JOIN links l ON l.kind = 'interactions' AND l.record_id = i.id"
	" JOIN briefings b ON l.target_kind = 'organizations' AND l.target_id = b.organization WHERE b.id = ?1"
	" ORDER BY i.date DESC LIMIT 10",
	"SELECT f.* FROM \"follow_ups\" f WHERE f.status = 'open' AND f.interaction IN (SELECT l.record_id FROM links l"
	" JOIN briefings b ON l.target_id = b.organization WHERE l.kind = 'interactions' AND l.target_kind = 'organizations'"
	" AND b.id = ?1) ORDER BY f.due_date LIMIT 20",
};

static int read_rows(sqlite3 *db, sqlite3_stmt **st, json_int_t id)
{
	for (size_t i = 0; i < sizeof baseline_sql / sizeof baseline_sql[0]; i++) {
		sqlite3_bind_int64(st[i], 1, id);
		int rc;
		while ((rc = sqlite3_step(st[i])) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st[i]); c++)
				(void)sqlite3_column_text(st[i], c);   /* every value read as the page would */
		sqlite3_reset(st[i]);
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "bench_pack: %s\n", sqlite3_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int baseline(bench *b, json_int_t id, uint64_t *t, int runs)
{
	sqlite3 *db;
	enum { N = sizeof baseline_sql / sizeof baseline_sql[0] };
	sqlite3_stmt *st[N] = { 0 };
	int rc = sqlite3_open_v2(b->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < N; i++)
		if (sqlite3_prepare_v2(db, baseline_sql[i], -1, &st[i], NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_pack: %s\n", sqlite3_errmsg(db));
			rc = -1;
		}
	for (int i = 0; rc == 0 && i < runs; i++) {
		uint64_t start = clock_micros();
		rc = read_rows(db, st, id);
		t[i] = clock_micros() - start;
	}
	for (size_t i = 0; i < N; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	return rc;
}

static int timed(bench *b, const char *path, uint64_t *t, int runs, size_t *bytes)
{
	buf out = BUF_INIT;
	int rc = 0;
	for (int i = -5; rc == 0 && i < runs; i++) {   /* five to warm up */
		uint64_t start = clock_micros();
		long status = call(b, "GET", path, NULL, &out);
		if (i >= 0)
			t[i] = clock_micros() - start;
		if (status != 200) {
			fprintf(stderr, "bench_pack: GET %s answered %ld\n", path, status);
			rc = -1;
		}
	}
	*bytes = out.len;
	buf_free(&out);
	return rc;
}

static void report(const char *what, uint64_t *t, int runs, size_t bytes, double base50, double base99)
{
	double p50, p99;
	pct(t, (size_t)runs, &p50, &p99);
	printf("%-10s %7zu bytes  p50 %8.2f ms  p99 %8.2f ms  | raw SQLite reads p50 %6.3f ms  p99 %6.3f ms"
	       "  | ratio p50 %6.1f  p99 %6.1f  | goal < 1000 ms: %s\n",
	       what, bytes, p50, p99, base50, base99, p50 / base50, p99 / base99, p99 < 1000.0 ? "met" : "NOT MET");
}

static int run(bench *b, int runs)
{
	char token[200];
	char members[200];
	snprintf(members, sizeof members, "%s/members.csv", b->dir);
	FILE *f = fopen(members, "w");
	if (!f || fputs("iso2,membership,membership_date\nCH,member,1951-12-05\n", f) < 0 || fclose(f)) {
		perror("bench_pack: members.csv");
		return -1;
	}
	char import[300];
	snprintf(import, sizeof import, "import member-states '%s'", members);
	if (cli(b, "init", NULL, NULL, 0) || cli(b, import, NULL, NULL, 0) ||
	    cli(b, "user add bench --role staff --division IPD", "bench-password-long", NULL, 0) ||
	    cli(b, "token create bench", NULL, token, sizeof token) || !*token) {
		fprintf(stderr, "bench_pack: could not make the database\n");
		return -1;
	}
	snprintf(b->auth, sizeof b->auth, "Authorization: Bearer %s", token);
	if (serve(b)) {
		fprintf(stderr, "bench_pack: the server did not start (see %s)\n", b->log);
		return -1;
	}
	uint64_t made = clock_micros();
	json_int_t id = make_records(b);
	if (id < 0)
		return -1;
	printf("records made through the API in %.0f ms: 1 briefing, %d visitors, %d interactions, %d follow-ups\n",
	       (double)(clock_micros() - made) / 1000.0, VISITORS, INTERACTIONS, FOLLOW_UPS);
	uint64_t *base = calloc((size_t)runs, sizeof *base), *t = calloc((size_t)runs, sizeof *t);
	char html[64], pdf[64];
	snprintf(html, sizeof html, "/briefings/%" JSON_INTEGER_FORMAT "/pack", id);
	snprintf(pdf, sizeof pdf, "/briefings/%" JSON_INTEGER_FORMAT "/pack.pdf", id);
	double b50, b99;
	size_t bytes;
	int rc = baseline(b, id, base, runs);
	if (rc == 0)
		pct(base, (size_t)runs, &b50, &b99);
	if (rc == 0 && (rc = timed(b, html, t, runs, &bytes)) == 0)
		report("pack HTML", t, runs, bytes, b50, b99);
	if (rc == 0 && (rc = timed(b, pdf, t, runs, &bytes)) == 0)
		report("pack PDF", t, runs, bytes, b50, b99);
	free(base);
	free(t);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argc > 2 && (argc != 4 || strcmp(argv[2], "--runs") || atoi(argv[3]) < 1))) {
		fprintf(stderr, "usage: bench_pack LIAISON [--runs N]\n");
		return 2;
	}
	int runs = argc == 4 ? atoi(argv[3]) : 200;
	bench b = { .bin = argv[1] };
	snprintf(b.dir, sizeof b.dir, "/tmp/liaison-bench-pack-XXXXXX");
	if (!mkdtemp(b.dir)) {
		perror("bench_pack: mkdtemp");
		return 1;
	}
	snprintf(b.db, sizeof b.db, "%s/pack.db", b.dir);
	snprintf(b.log, sizeof b.log, "%s/server.log", b.dir);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.curl = curl_easy_init();
	printf("bench_pack: the briefing pack, %d requests of each, one at a time, on a fresh database\n", runs);
	int rc = run(&b, runs);
	if (b.server > 0) {
		kill(b.server, SIGTERM);
		waitpid(b.server, NULL, 0);
	}
	curl_easy_cleanup(b.curl);
	curl_global_cleanup();
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", b.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_pack: %s was left behind\n", b.dir);
	return rc ? 1 : 0;
}
