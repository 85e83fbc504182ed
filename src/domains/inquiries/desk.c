/*
 * desk — the life of an inquiry: its number and its service-level clocks
 * when it arrives, the statuses it may move through, and the messages of
 * its thread.
 *
 *   new → triaged → assigned → waiting on requester → answered → closed
 *
 * with reopening (answered or closed → assigned) and the shortcuts people
 * take (answering a new inquiry at once).  Two clocks run in working time
 * from arrival: first response and resolution.  They pause while the
 * inquiry waits on its requester; the pauses are kept in the record
 * ("clock": [[time, paused], ...]) so that the due times can always be
 * worked out again.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "formats/address.h"
#include "formats/jsonfile.h"
#include "formats/mail.h"
#include "model/access.h"
#include "model/today.h"
#include "model/workflow.h"

/* ---- settings --------------------------------------------------------------------- */

static desk_config config;
static int configured;

/* Working hours by priority (low, normal, high, urgent): first response, resolution. */
static const int64_t default_first[4] = { 16 * 3600, 8 * 3600, 4 * 3600, 2 * 3600 };
static const int64_t default_resolution[4] = { 80 * 3600, 40 * 3600, 16 * 3600, 8 * 3600 };
static const char *const priority_names[] = { "low", "normal", "high", "urgent", NULL };

static int targets(json_t *t, const char *which, int64_t *out, char *err, size_t errlen)
{
	for (int p = 0; p < 4; p++) {
		json_t *v = json_object_get(json_object_get(t, priority_names[p]), which);
		if (!v)
			continue;
		if (!json_is_number(v) || json_number_value(v) <= 0) {
			snprintf(err, errlen, "targets.%s.%s must be a number of working hours above 0", priority_names[p], which);
			return -1;
		}
		out[p] = (int64_t)(json_number_value(v) * 3600);
	}
	return 0;
}

static void copy_string(json_t *o, const char *name, char *dst, size_t n)
{
	const char *s = json_string_value(json_object_get(o, name));
	if (s)
		snprintf(dst, n, "%s", s);
}

/* "organization_name": one name for every language, or {"en": …, "fr": …, "es": …}. */
static int org_name(json_t *v, char *err, size_t errlen)
{
	for (int l = 0; l < NLANGS; l++) {
		json_t *s = json_is_object(v) ? json_object_get(v, registry_langs[l]) : v;
		if (s && !json_is_string(s)) {
			snprintf(err, errlen, "organization_name must be a name, or an object of names by language (en, fr, es)");
			return -1;
		}
		snprintf(config.org_name[l], sizeof config.org_name[l], "%s", s ? json_string_value(s) : "");
	}
	return 0;
}

int desk_configure(const char *path, char *err, size_t errlen)
{
	desk_release();
	memcpy(config.first_response, default_first, sizeof default_first);
	memcpy(config.resolution, default_resolution, sizeof default_resolution);
	snprintf(config.from_addr, sizeof config.from_addr, "inquiries@liaison.invalid");
	snprintf(config.from_name, sizeof config.from_name, "Liaison");
	snprintf(config.loop_id, sizeof config.loop_id, "liaison");
	config.intake_per_hour = 5;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	char *cal = root && json_object_get(root, "calendar") ? json_dumps(json_object_get(root, "calendar"), 0) : NULL;
	int rc = bizcal_parse(&config.cal, cal, err, errlen);
	int cal_parsed = rc == 0;
	free(cal);
	const char *zone = json_string_value(json_object_get(json_object_get(root, "calendar"), "time_zone"));
	snprintf(config.time_zone, sizeof config.time_zone, "%s", zone ? zone : "Europe/Zurich");
	if (rc == 0)
		rc = org_name(json_object_get(root, "organization_name"), err, errlen);
	json_t *t = json_object_get(root, "targets");
	if (rc == 0 && t)
		rc = targets(t, "first_response", config.first_response, err, errlen) ||
		     targets(t, "resolution", config.resolution, err, errlen) ? -1 : 0;
	json_t *limit = json_object_get(root, "intake_per_hour");
	if (rc == 0 && limit && (!json_is_integer(limit) || json_integer_value(limit) < 1 || json_integer_value(limit) > 100000)) {
		snprintf(err, errlen, "intake_per_hour must be a whole number from 1 to 100000");
		rc = -1;
	} else if (limit) {
		config.intake_per_hour = (unsigned)json_integer_value(limit);
	}
	json_t *mail = json_object_get(root, "mail");   /* smtp_url and the retries are the outbox's (model/outbox.h) */
	copy_string(mail, "from_addr", config.from_addr, sizeof config.from_addr);
	copy_string(mail, "from_name", config.from_name, sizeof config.from_name);
	copy_string(mail, "loop_id", config.loop_id, sizeof config.loop_id);
	copy_string(mail, "store", config.mail_dir, sizeof config.mail_dir);
	char wire[MAIL_ADDRESS_MAX + 1];
	const char *bad = rc == 0 ? mail_address(config.from_addr, wire) : NULL;   /* every message leaves from it */
	if (bad) {
		snprintf(err, errlen, "mail.from_addr: '%s' %s", config.from_addr, bad);
		rc = -1;
	}
	json_decref(root);
	configured = rc == 0;
	if (rc && cal_parsed)
		bizcal_free(&config.cal); /* a later member was wrong: nothing stays half set up */
	today_zone(rc == 0 ? config.cal.zone : NULL); /* where a new record's "today" is */
	return rc;
}

const desk_config *desk(void)
{
	if (!configured) {
		char err[200];
		desk_configure(NULL, err, sizeof err); /* the defaults always parse */
	}
	return &config;
}

void desk_watch(const char *maildir)
{
	desk(); /* the settings first, which start from nothing */
	snprintf(config.maildir, sizeof config.maildir, "%s", maildir ? maildir : "");
}

void desk_release(void)
{
	if (configured)
		bizcal_free(&config.cal);
	memset(&config, 0, sizeof config);
	configured = 0;
}

/* ---- the clocks ---------------------------------------------------------------------- */

static int64_t parse_time(const char *s)
{
	time_t t;
	return s && clock_parse_time(s, &t) == 0 ? (int64_t)t : 0;
}

static store_value iso(model_ctx *m, int64_t t)
{
	char out[32];
	clock_iso((time_t)t, out);
	return sv_text(arena_strdup(&m->a, out));
}

static int col(const record *r, const char *name) { return entity_column(r->e, name); }

static const char *text(const record *r, const char *name)
{
	const store_value *v = &r->v[col(r, name)];
	return v->type == SV_TEXT ? v->s : NULL;
}

static int priority_of(const record *r)
{
	int p = enum_index(priority_names, text(r, "priority") ? text(r, "priority") : "normal");
	return p < 0 ? 1 : p;
}

typedef struct clock_log {
	sla_event ev[64];
	size_t n;
} clock_log;

static void clock_read(const record *r, clock_log *log)
{
	log->n = 0;
	json_t *a = json_loads(text(r, "clock") ? text(r, "clock") : "[]", 0, NULL);
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		if (log->n == COUNT(log->ev))
			memmove(log->ev, log->ev + 2, (log->n -= 2) * sizeof *log->ev); /* keep the latest pauses */
		log->ev[log->n++] = (sla_event){ parse_time(json_string_value(json_array_get(e, 0))),
						 json_is_true(json_array_get(e, 1)) };
	}
	json_decref(a);
}

static void clock_write(model_ctx *m, record *r, const clock_log *log)
{
	json_t *a = json_array();
	for (size_t i = 0; i < log->n; i++) {
		char t[32];
		clock_iso((time_t)log->ev[i].at, t);
		json_array_append_new(a, json_pack("[s, b]", t, log->ev[i].paused));
	}
	char *s = json_dumps(a, JSON_COMPACT);
	r->v[col(r, "clock")] = sv_text(arena_strdup(&m->a, s));
	free(s);
	json_decref(a);
}

/* The due times from the arrival, the pauses and the priority.  A clock
 * that has stopped (answered, resolved) or is paused has no due time. */
static void clock_dues(model_ctx *m, record *r, int64_t now)
{
	const desk_config *d = desk();
	clock_log log;
	clock_read(r, &log);
	int64_t start = parse_time(text(r, "received_at"));
	int p = priority_of(r);
	int64_t first = text(r, "first_response_at") ? INT64_MAX
						     : sla_due(&d->cal, start, log.ev, log.n, now, d->first_response[p]);
	int64_t resolution = text(r, "resolved_at") ? INT64_MAX
						    : sla_due(&d->cal, start, log.ev, log.n, now, d->resolution[p]);
	r->v[col(r, "first_response_due")] = first == INT64_MAX ? SV_NUL : iso(m, first);
	r->v[col(r, "resolution_due")] = resolution == INT64_MAX ? SV_NUL : iso(m, resolution);
}

/* ---- a new inquiry ----------------------------------------------------------------------- */

/* The year's next number, from the counter "inquiries-YYYY". */
static int next_reference(model_ctx *m, store_conn *c, int64_t now, char out[48])
{
	char year[32];
	clock_iso((time_t)now, year);
	year[4] = '\0';
	int64_t n;
	if (store_counter_next(c, arena_printf(&m->a, "inquiries-%s", year), &n) != STORE_OK)
		return model_fail(m, 500, "Store error", "the inquiry could not be numbered");
	snprintf(out, 48, "INQ-%.4s-%06lld", year, (long long)n);
	return 0;
}

static store_value token_hash(model_ctx *m, const char *token)
{
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	char hex[2 * sizeof h + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return sv_text(arena_strdup(&m->a, hex));
}

int inquiries_prepare(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	int64_t now = (int64_t)time(NULL);
	char ref[48];
	if (next_reference(m, c, now, ref))
		return -1;
	r->v[col(r, "reference")] = sv_text(arena_strdup(&m->a, ref));
	r->v[col(r, "status")] = sv_text("new");
	r->v[col(r, "received_at")] = iso(m, now);
	r->v[col(r, "clock")] = sv_text("[]");
	if (!text(r, "language")) {
		char *words = arena_printf(&m->a, "%s\n%s", text(r, "subject") ? text(r, "subject") : "",
					   text(r, "body") ? text(r, "body") : "");
		int lang = mail_guess_lang(words);
		if (lang >= 0)
			r->v[col(r, "language")] = sv_text(registry_langs[lang]);
	}
	/* The requester's private tracking link: its hash is kept, the token
	 * itself goes back to the caller once, in the operation's context. */
	unsigned char raw[24];
	char *token = arena_alloc(&m->a, 2 * sizeof raw + 1);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 2 * sizeof raw + 1, raw, sizeof raw);
	r->v[col(r, "tracking_token")] = token_hash(m, token);
	m->shown_once = token;
	if (routing_apply(m, c, r))
		return -1;
	if (!text(r, "priority"))
		r->v[col(r, "priority")] = sv_text("normal");
	clock_dues(m, r, now);
	return 0;
}

int inquiries_token_matches(model_ctx *m, const record *r, const char *token)
{
	const char *kept = text(r, "tracking_token");
	if (!kept || !token || strlen(token) != 48)
		return 0;
	store_value h = token_hash(m, token);
	return sodium_memcmp(h.s, kept, strlen(kept)) == 0 && strlen(kept) == strlen(h.s);
}

/* ---- statuses ------------------------------------------------------------------------------ */

/* What a move does to the clocks: waiting pauses them, answered or closed
 * stops the resolution clock, reopening starts it again. */
int inquiries_moved(model_ctx *m, store_conn *c, const entity *e, record *after)
{
	(void)c;
	(void)e;
	int64_t now = (int64_t)time(NULL);
	const char *to = text(after, "status");
	clock_log log;
	clock_read(after, &log);
	int was_paused = log.n && log.ev[log.n - 1].paused, pause = !strcmp(to, "waiting");
	if (pause != was_paused && log.n < COUNT(log.ev)) {
		log.ev[log.n++] = (sla_event){ now, pause };
		clock_write(m, after, &log);
	}
	int resolved = !strcmp(to, "answered") || !strcmp(to, "closed");
	if (resolved && !text(after, "resolved_at"))
		after->v[col(after, "resolved_at")] = iso(m, now);
	if (!resolved)
		after->v[col(after, "resolved_at")] = SV_NUL; /* reopened, or waiting: the clock goes on */
	clock_dues(m, after, now);
	return 0;
}

/* A word from the requester (their e-mail, their answer on the tracking
 * page) brings an answered, waiting or closed inquiry back to the desk. */
int inquiries_reopen(model_ctx *m, store_conn *c, record *inq)
{
	const store_value *st = record_field(inq, "status");
	if (st->type != SV_TEXT || (strcmp(st->s, "answered") && strcmp(st->s, "waiting") && strcmp(st->s, "closed")))
		return 0;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)inq->v[COL_ID].i);
	record moved;
	return inquiries_set_status(m, c, id, "assigned", &moved);
}

int inquiries_set_status(model_ctx *m, store_conn *c, const char *id, const char *status, record *out)
{
	return model_transition_in(m, c, registry_find(m->reg, "inquiries"), id, status, NULL, out);
}

/* ---- messages ------------------------------------------------------------------------------ */

int inquiries_add_message(model_ctx *m, store_conn *c, record *inquiry, json_t *message, record *out)
{
	const entity *me = registry_find(m->reg, "inquiry-messages");
	json_object_set_new(message, "inquiry", json_integer(inquiry->v[COL_ID].i));
	if (!json_object_get(message, "at")) {
		char now[32];
		clock_now_iso(now);
		json_object_set_new(message, "at", json_string(now));
	}
	if (model_create_in(m, c, me, message, CREATE_FORCE | CREATE_DOMAIN, out))
		return -1;
	const char *dir = json_string_value(json_object_get(message, "direction"));
	if (!dir || strcmp(dir, "out") != 0 || text(inquiry, "first_response_at"))
		return 0;
	/* The first answer stops the first-response clock. */
	record after = model_copy(m, inquiry);
	int64_t now = (int64_t)time(NULL);
	after.v[col(&after, "first_response_at")] = iso(m, now);
	clock_dues(m, &after, now);
	if (model_write_record(m, c, &after, inquiry, "first response"))
		return -1;
	*inquiry = after;
	return 0;
}
