/*
 * routes — the inquiry desk's API beyond the generic one:
 *
 *   POST /api/v1/inquiries/{id}/reply    {"body": …, "canned": "code", "wait": false} — queued in the outbox
 *                                        with the message when a relay is set up (model/outbox.h)
 *   POST /api/v1/inquiries/{id}/notes    {"body": …}
 *   GET  /api/v1/inquiries/{id}/thread   the messages, oldest first
 *   GET  /api/v1/inquiries/queue         ?mine=1&division=IPD&overdue=1&status=…
 *   POST /api/v1/public/inquiries        the public form: no account, rate-limited, with a honeypot
 *   GET  /api/v1/public/inquiries/{ref}?token=…   the requester's tracking view
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/textfit.h"
#include "domains/inquiries/inquiries.h"
#include "formats/mail.h"
#include "formats/mailout.h"
#include "http/ratelimit.h"
#include "model/access.h"
#include "model/outbox.h"


const system_role intake_role = { ROLE_INTAKE, "intake", SEES_ALL };

/* Writes by the desk itself: the public form, e-mail. */
const user intake_user = { .id = 0, .name = "intake", .role = ROLE_INTAKE };

static const entity *kind(request *r, const char *name) { return registry_find(&r->app->reg, name); }


/* ---- status ---------------------------------------------------------------------- */

static void answer_record(request *r, model_ctx *m, store_conn *c, const record *rec, int status)
{
	if (status == 201)
		http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/%s/%" PRId64, rec->e->def->name, rec->v[COL_ID].i));
	buf_reset(&m->body);
	model_record_json(m, c, rec, &m->body);
	m->status = status;
	m->version = rec->v[COL_VERSION].i;
	http_model(r, m);
}

typedef int (*write_fn)(model_ctx *m, store_conn *c, request *r, record *out);

/* One change in one transaction, answered with the record it leaves. */
static void in_transaction(request *r, write_fn fn, int status)
{
	if (http_json_body(r))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_begin(r->app->st);
	record out;
	if (!c) {
		model_fail(&m, 503, "Store busy", "the database is busy; try again");
	} else if (fn(&m, c, r, &out)) {
		store_rollback(c);
	} else if (store_commit(c) != STORE_OK) { /* rolled back by the store */
		model_fail(&m, 500, "Store error", "the change could not be saved");
	} else {
		answer_record(r, &m, store_reader(r->app->st), &out, status);
		model_done(&m);
		return;
	}
	http_model(r, &m);
	model_done(&m);
}

/* ---- the thread ------------------------------------------------------------------ */

void inquiries_thread(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record inq;
	if (model_read(&m, kind(r, "inquiries"), r->params[0], &inq)) {
		http_model(r, &m);
		model_done(&m);
		return;
	}
	store_cond w = COND_EQ("inquiry", inq.v[COL_ID]);
	list_params p = { .sort = "at", .limit = 500, .extra = &w, .nextra = 1 };
	buf_reset(&m.body);
	model_list(&m, kind(r, "inquiry-messages"), &p);
	http_model(r, &m);
	model_done(&m);
}

/* ---- replies and notes ------------------------------------------------------------- */

char *canned_fill(model_ctx *m, const char *text, const char *name, const char *ref)
{
	buf out = BUF_INIT;
	for (const char *s = text; *s; s++) {
		if (!strncmp(s, "{name}", 6)) {
			buf_puts(&out, name ? name : "");
			s += 5;
		} else if (!strncmp(s, "{reference}", 11)) {
			buf_puts(&out, ref ? ref : "");
			s += 10;
		} else {
			buf_putc(&out, *s);
		}
	}
	char *res = arena_strdup(&m->a, buf_str(&out));
	buf_free(&out);
	return res;
}

/* The canned answer's text in the inquiry's language (else English). */
static const char *canned_text(model_ctx *m, store_conn *c, const char *code, const record *inq)
{
	record ca;
	if (model_find(m, c, registry_find(m->reg, "canned-answers"), code, &ca))
		return NULL;
	const char *lang = record_text(inq, "language") ? record_text(inq, "language") : "en";
	const char *body = record_text(&ca, arena_printf(&m->a, "body_%s", lang));
	if (!body)
		body = record_text(&ca, "body_en");
	return canned_fill(m, body ? body : "", record_text(inq, "requester_name"), record_text(inq, "reference"));
}

/* A knowledge-base article's title and text in the inquiry's language
 * (else English), to go under what the reply already says. */
static const char *with_article(model_ctx *m, store_conn *c, const char *article, const record *inq, const char *body)
{
	record a;
	if (model_find(m, c, registry_find(m->reg, "kb-articles"), article, &a))
		return NULL;
	const char *lang = record_text(inq, "language") ? record_text(inq, "language") : "en";
	const char *title = record_text(&a, arena_printf(&m->a, "title_%s", lang));
	const char *text = record_text(&a, arena_printf(&m->a, "body_%s", lang));
	if (!text) {
		title = record_text(&a, "title_en");
		text = record_text(&a, "body_en");
	}
	return arena_printf(&m->a, "%s%s%s\n\n%s", body ? body : "", body && *body ? "\n\n" : "", title ? title : "",
			    text ? text : "");
}

/*
 * The threading headers of a reply, after RFC 5322 3.6.4.  Its parent is
 * the requester's latest message: In-Reply-To names it, and References
 * lists the conversation up to it, the parent last, in the order the desk
 * received and sent it (not by the senders' dates, which clocks get
 * wrong): the requester's messages and the replies that reached them,
 * never a note, a reply that failed or this reply itself.  A reply with no
 * parent (the inquiry came by the form or the telephone) has neither
 * header.  A long thread keeps its first message and the latest ones.
 */
#define MAX_REFS 32

typedef struct thread_ids {
	const char *self;         /* the reply's own Message-ID */
	char **ids;               /* the conversation so far, oldest first */
	size_t n, cap, parent;    /* parent: how many ids up to the parent, 0 when none */
	const char *refs[MAX_REFS];
	size_t nrefs;
} thread_ids;

static int collect_id(void *ctx, store_row *row)
{
	thread_ids *t = ctx;
	const char *id = store_text(row, 0, NULL), *dir = store_text(row, 1, NULL), *delivery = store_text(row, 2, NULL);
	int in = dir && !strcmp(dir, "in"), sent = dir && !strcmp(dir, "out") && delivery && !strcmp(delivery, "sent");
	if (!id || !strcmp(id, t->self) || (!in && !sent))
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **grown = realloc(t->ids, cap * sizeof *grown);
		if (!grown)
			return 1;   /* stop: what was read so far will do */
		t->ids = grown;
		t->cap = cap;
	}
	if (!(t->ids[t->n] = strdup(id)))
		return 1;
	t->n++;
	if (in)
		t->parent = t->n;
	return 0;
}

/* refs: the ids up to the parent, the first and the latest when too many. */
static void thread_refs(thread_ids *t)
{
	size_t skip = t->parent > MAX_REFS ? t->parent - MAX_REFS : 0;   /* ids 1 .. skip are left out */
	for (size_t i = 0; i < t->parent; i++) {
		if (i == 0 || i > skip)
			t->refs[t->nrefs++] = t->ids[i];
	}
}

static void thread_ids_free(thread_ids *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->ids[i]);
	free(t->ids);
}

/* The reply to the requester composed, threaded under the conversation so
 * far as c reads it: its bytes into out, or -1 with the reason in err. */
static int compose_reply(model_ctx *m, store_conn *c, const record *inq, json_t *message, buf *out, char *err,
			 size_t errlen)
{
	const desk_config *d = desk();
	const char *self = json_string_value(json_object_get(message, "message_id"));
	thread_ids t = { .self = self };
	store_cond w = COND_EQ("inquiry", inq->v[COL_ID]);
	static const char *const cols[] = { "message_id", "direction", "delivery" };
	store_order o = { "id", 0, NOT_NULL };
	store_select q = { .table = "inquiry_messages", .cols = cols, .ncols = 3, .where = &w, .nwhere = 1, .order = &o,
			   .norder = 1 };
	if (store_query(c, &q, collect_id, &t) != STORE_OK) {
		thread_ids_free(&t);
		return model_fail(m, 500, "Store error", "the inquiry's thread could not be read");
	}
	thread_refs(&t);
	mail_out mo = { d->from_name, d->from_addr, record_text(inq, "requester_name"), record_text(inq, "requester_email"),
			json_string_value(json_object_get(message, "subject")),
			json_string_value(json_object_get(message, "body")), self, t.parent ? t.ids[t.parent - 1] : NULL,
			t.refs, t.nrefs, d->loop_id, 0, record_text(inq, "language"), NULL };
	char id[256];
	int rc = mail_compose(&mo, out, id, sizeof id, err, errlen);
	thread_ids_free(&t);
	return rc;
}

/* An outgoing message's delivery, and its bytes for the outbox (out) when
 * it goes: "queued"; "draft" when there is no relay or nobody to write to;
 * "failed" with its reason when it cannot be composed.  -1 when the thread
 * could not be read. */
static int outgoing(model_ctx *m, store_conn *c, const record *inq, json_t *message, buf *out)
{
	const desk_config *d = desk();
	char hex[25], why[300];
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	const char *at = strchr(d->from_addr, '@'), *to = record_text(inq, "requester_email");
	json_object_set_new(message, "message_id", json_string(arena_printf(&m->a, "%s.%s%s", hex, record_text(inq, "reference"),
									      at ? at : "@liaison")));
	json_object_set_new(message, "from_addr", json_string(d->from_addr));
	if (to)
		json_object_set_new(message, "to_addr", json_string(to));
	const char *delivery = outbox_ready() && to ? "queued" : "draft";
	if (!strcmp(delivery, "queued") && compose_reply(m, c, inq, message, out, why, sizeof why)) {
		if (m->status)
			return -1;
		delivery = "failed";
		json_object_set_new(message, "delivery_error", json_string(why));
		buf_reset(out);
	}
	json_object_set_new(message, "delivery", json_string(delivery));
	return 0;
}

int inquiries_respond(model_ctx *m, const char *id, const reply *rp, record *msg)
{
	const char *direction = rp->direction, *body = rp->body, *canned = rp->canned;
	int wait = rp->wait;
	buf bytes = BUF_INIT;
	store_conn *c = store_begin(m->st);
	record inq;
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	if (model_find(m, c, registry_find(m->reg, "inquiries"), id, &inq))
		goto fail;
	if (!access_record(m, c, inq.e, &inq, OP_UPDATE)) {
		model_fail(m, 403, "Forbidden", "your role may not answer this inquiry");
		goto fail;
	}
	if (canned && *canned && !(body = canned_text(m, c, canned, &inq))) {
		model_field_error(m, "canned", "no canned answer has this code");
		model_fail(m, 422, "Invalid reply", "the canned answer does not exist");
		goto fail;
	}
	if (rp->article && *rp->article && !(body = with_article(m, c, rp->article, &inq, body))) {
		model_field_error(m, "article", "no article has this id");
		model_fail(m, 422, "Invalid reply", "the article does not exist or is not yours to read");
		goto fail;
	}
	const char *ref = record_text(&inq, "reference"), *subject = record_text(&inq, "subject");
	const char *title = arena_printf(&m->a, "Re: [%s] %s", ref, subject ? subject : "");
	json_t *message = json_pack("{s:s, s:s?, s:s}", "direction", direction, "body", body, "subject", title);
	int out = !strcmp(direction, "out");
	int rc = out && body ? outgoing(m, c, &inq, message, &bytes) : 0;
	if (rc == 0)
		rc = inquiries_add_message(m, c, &inq, message, msg);
	json_decref(message);
	if (rc)
		goto fail;
	if (bytes.len && outbox_queue(m, c, &(outbox_mail){ msg->e->def->name, msg->v[COL_ID].i, desk()->from_addr,
							     record_text(&inq, "requester_email"), title, bytes.data, bytes.len }))
		goto fail;
	const char *now = record_text(&inq, "status"), *to = wait ? "waiting" : "answered";
	record moved;
	if (out && now && strcmp(now, to) != 0 && inquiries_set_status(m, c, id, to, &moved))
		goto fail;
	buf_free(&bytes);
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the message could not be saved");
	return 0;
fail:
	buf_free(&bytes);
	store_rollback(c);
	return -1;
}

int inquiries_delivered(model_ctx *m, store_conn *c, const entity *e, int64_t id, const char *state, const char *reason)
{
	record before;
	if (model_load(m, c, e, id, &before))
		return -1;
	record after = model_copy(m, &before);
	*record_field(&after, "delivery") = sv_text(state);
	*record_field(&after, "delivery_error") = sv_text(reason);   /* NULL, none, once sent or queued again */
	return model_write_record(m, c, &after, &before, "delivery");
}

static void add_message(request *r, const char *direction)
{
	if (http_json_body(r))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record msg;
	json_t *article = json_object_get(r->json, "article");
	char *article_id = json_is_integer(article) ? arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(article))
						    : (char *)json_string_value(article);
	reply rp = { direction, json_string_value(json_object_get(r->json, "body")),
		     json_string_value(json_object_get(r->json, "canned")), article_id,
		     json_is_true(json_object_get(r->json, "wait")) };
	if (inquiries_respond(&m, r->params[0], &rp, &msg) == 0)
		answer_record(r, &m, store_reader(r->app->st), &msg, 201);
	else
		http_model(r, &m);
	model_done(&m);
}

void inquiries_reply(request *r) { add_message(r, "out"); }
void inquiries_note(request *r) { add_message(r, "note"); }

/* ---- the desk's queue ---------------------------------------------------------------- */

void inquiries_queue(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_cond extra[4];
	char now[32];
	clock_now_iso(now);
	const char *mine = http_query(r, "mine"), *overdue = http_query(r, "overdue");
	desk_filter f = { mine && strcmp(mine, "0"), overdue && strcmp(overdue, "0"), http_query(r, "division"),
			  http_query(r, "status") };
	int n = desk_conditions(&f, r->u->id, now, extra);
	int64_t lim = http_limit(r, 50);
	if (lim < 0) {
		model_done(&m);
		return;
	}
	list_params p = { .sort = http_query(r, "sort") ? http_query(r, "sort") : "resolution_due",
			  .cursor = http_query(r, "cursor"), .limit = lim, .extra = extra, .nextra = n };
	model_list(&m, kind(r, "inquiries"), &p);
	http_model(r, &m);
	model_done(&m);
}

/* ---- the public form and the tracking view ---------------------------------------------- */

/* A member that is one line (a name, a subject), cleaned as e-mail's are
 * (core/textfit.h): a line break typed or pasted into it would otherwise
 * be kept, and every reply to the requester refused. */
static void one_line(json_t *body, const char *member)
{
	const char *s = json_string_value(json_object_get(body, member));
	if (!s)
		return;
	buf b = BUF_INIT;
	text_one_line(&b, s, strlen(s));
	json_object_set_new(body, member, json_string(buf_str(&b)));
	buf_free(&b);
}

int inquiries_intake(model_ctx *m, json_t *in, char reference[32], char token[65])
{
	json_t *body = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?}", "channel", "web", "subject",
				 json_object_get(in, "subject"), "body", json_object_get(in, "message"), "requester_name",
				 json_object_get(in, "name"), "requester_email", json_object_get(in, "email"), "language",
				 json_object_get(in, "language"));
	one_line(body, "requester_name");
	one_line(body, "subject");
	static const char *const needed[][2] = { { "name", "requester_name" }, { "email", "requester_email" },
						 { "message", "body" } };
	for (size_t i = 0; i < COUNT(needed); i++) {
		const char *v = json_string_value(json_object_get(body, needed[i][1]));
		if (!v || !*v)
			model_field_error(m, needed[i][0], "is required");
	}
	const char *subject = json_string_value(json_object_get(body, "subject"));
	if (!subject || !*subject) /* people often leave it out: the first words of the message will do */
		json_object_set_new(body, "subject", json_string("(no subject)"));
	int rc = -1;
	if (m->nerrors) {
		/* the rest is checked too, writing nothing, so that the form marks every field at once;
		 * what is missing was said above, under the names the form uses */
		store_conn *c = store_reader(m->st);
		record r;
		size_t said = m->nerrors, kept = said;
		if (c)
			model_build_create(m, c, registry_find(m->reg, "inquiries"), body, CREATE_FORCE, &r);
		for (size_t i = said; i < m->nerrors; i++)
			if (strncmp(m->errors[i].message, "is required", 11) != 0)
				m->errors[kept++] = m->errors[i];
		m->nerrors = kept;
		model_fail(m, 422, "Invalid inquiry", "name, email and message are required");
	} else if (model_create(m, registry_find(m->reg, "inquiries"), body, 0) == 0) {
		json_t *rec = json_loadb(m->body.data, m->body.len, 0, NULL);
		snprintf(reference, 32, "%s", json_string_value(json_object_get(rec, "reference")));
		snprintf(token, 65, "%s", m->shown_once ? m->shown_once : "");
		json_decref(rec);
		rc = 0;
	}
	json_decref(body);
	return rc;
}

int inquiries_intake_allowed(request *r, unsigned *wait)
{
	time_t now = time(NULL);
	char *key = arena_printf(&r->a, "intake:%s", http_remote(r));
	if ((*wait = ratelimit_wait(r->app->intake, key, now)) > 0)
		return 0;
	ratelimit_fail(r->app->intake, key, now); /* every submission counts */
	return 1;
}

/* 201 with the reference, the tracking token and where to follow it. */
static void receipt(request *r, const char *ref, const char *token)
{
	buf out = BUF_INIT;
	buf_printf(&out, "{\"reference\":\"%s\",\"token\":\"%s\",\"tracking\":\"/track/%s?token=%s\"}", ref, token, ref,
		   token);
	http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/public/inquiries/%s?token=%s", ref, token));
	http_json(r, 201, &out);
	buf_free(&out);
}

/* What a robot that filled the field people never see is told: a receipt
 * like any other (a reference of this year's shape, a token of the same
 * length), for an inquiry that was never kept. */
void inquiries_decoy(char reference[32], char token[65])
{
	char year[8];
	unsigned char raw[24];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(year, sizeof year, "%Y", &tm);
	snprintf(reference, 32, "INQ-%s-%06u", year, randombytes_uniform(1000000));
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
}

void public_inquiry_create(request *r)
{
	unsigned wait;
	if (http_json_body(r))
		return;
	if (!inquiries_intake_allowed(r, &wait)) {
		http_header_add(r, "Retry-After", arena_printf(&r->a, "%u", wait));
		http_problem(r, 429, "Too many inquiries", "too many inquiries from this address; wait %u seconds", wait);
		return;
	}
	const char *trap = json_string_value(json_object_get(r->json, "website"));
	char ref[32], token[65];
	if (trap && *trap) {
		inquiries_decoy(ref, token);
		receipt(r, ref, token);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, &intake_user);
	if (inquiries_intake(&m, r->json, ref, token) == 0)
		receipt(r, ref, token);
	else
		http_model(r, &m);
	model_done(&m);
}

typedef struct public_view {
	model_ctx *m;
	buf *out;
	int n;
} public_view;

/* Only what was sent to the requester: never notes, never internal names. */
static int public_message(void *ctx, store_row *row)
{
	public_view *v = ctx;
	const char *dir = store_text(row, 0, NULL);
	if (!dir || !strcmp(dir, "note"))
		return 0;
	buf_puts(v->out, v->n++ ? ",{\"direction\":" : "{\"direction\":");
	buf_json_cstr(v->out, dir);
	buf_puts(v->out, ",\"at\":");
	buf_json_cstr(v->out, store_text(row, 1, NULL));
	buf_puts(v->out, ",\"body\":");
	buf_json_cstr(v->out, store_text(row, 2, NULL));
	buf_putc(v->out, '}');
	return 0;
}

int inquiries_public_view(model_ctx *m, store_conn *c, const char *reference, const char *token, buf *out)
{
	record inq;
	const entity *e = registry_find(m->reg, "inquiries");
	model_ctx sys;
	model_init(&sys, m->st, m->reg, &intake_user);
	int found = model_find(&sys, c, e, reference, &inq) == 0 && inquiries_token_matches(&sys, &inq, token);
	if (!found) {
		model_done(&sys);
		return model_fail(m, 404, "Not found", "no inquiry has this reference and token");
	}
	/* what the requester sees: (member, field), the question being the body */
	static const char *const shown[][2] = { { "reference", "reference" }, { "subject", "subject" },
						{ "status", "status" },       { "language", "language" },
						{ "received_at", "received_at" }, { "question", "body" } };
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		buf_printf(out, "%s\"%s\":", i ? "," : "{", shown[i][0]);
		buf_json_cstr(out, record_text(&inq, shown[i][1]));
	}
	buf_puts(out, ",\"messages\":[");
	static const char *const cols[] = { "direction", "at", "body" };
	store_cond w[] = { COND_EQ("inquiry", inq.v[COL_ID]), COND_EQ("archived", SV_INT_(0)) };
	store_order o[] = { { "at", 0, NULL_AS_TEXT }, { "id", 0, NOT_NULL } };
	store_select q = { .table = "inquiry_messages", .cols = cols, .ncols = 3, .where = w, .nwhere = 2, .order = o,
			   .norder = 2 };
	public_view v = { m, out, 0 };
	store_query(c, &q, public_message, &v);
	buf_puts(out, "]}");
	model_done(&sys);
	return 0;
}

int inquiries_requester_answer(model_ctx *m, const char *reference, const char *token, const char *text)
{
	if (!text || !*text) {
		model_field_error(m, "message", "is required");
		return model_fail(m, 422, "Invalid message", "the message is empty");
	}
	store_conn *c = store_begin(m->st);
	record inq, msg;
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	if (model_find(m, c, registry_find(m->reg, "inquiries"), reference, &inq) ||
	    !inquiries_token_matches(m, &inq, token)) {
		store_rollback(c);
		m->nerrors = 0;
		return model_fail(m, 404, "Not found", "no inquiry has this reference and token");
	}
	const char *ref = record_text(&inq, "reference"), *subject = record_text(&inq, "subject");
	json_t *message = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s}", "direction", "in", "body", text, "subject",
				    arena_printf(&m->a, "Re: [%s] %s", ref, subject ? subject : ""), "from_name",
				    record_text(&inq, "requester_name"), "from_addr", record_text(&inq, "requester_email"),
				    "delivery", "received");
	int rc = inquiries_add_message(m, c, &inq, message, &msg);
	json_decref(message);
	if (rc || inquiries_reopen(m, c, &inq)) {
		store_rollback(c);
		for (size_t i = 0; i < m->nerrors; i++) /* the text is the form's "message" */
			if (!strcmp(m->errors[i].field, "body"))
				m->errors[i].field = "message";
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "the message could not be saved");
	return 0;
}

void public_inquiry_track(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	buf out = BUF_INIT;
	store_conn *c = store_reader(r->app->st);
	if (c && inquiries_public_view(&m, c, r->params[0], http_query(r, "token"), &out) == 0)
		http_json(r, 200, &out);
	else
		http_model(r, &m);
	buf_free(&out);
	model_done(&m);
}

/* ---- split ------------------------------------------------------------------------------- */

/* Moves the given messages of inquiry `from` to a new inquiry with the same
 * requester: one thread that was two questions becomes two. */
static int split(model_ctx *m, store_conn *c, const char *id, json_t *messages, const char *subject, record *out)
{
	const entity *ie = registry_find(m->reg, "inquiries"), *me = registry_find(m->reg, "inquiry-messages");
	record from;
	if (model_find(m, c, ie, id, &from))
		return -1;
	if (!access_record(m, c, ie, &from, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "your role may not change this inquiry");
	if (!json_array_size(messages)) {
		model_field_error(m, "messages", "must name at least one message of the inquiry");
		return model_fail(m, 422, "Invalid split", "send {\"messages\": [ID, ...], \"subject\": \"...\"}");
	}
	json_t *body = json_pack("{s:s, s:s}", "channel", record_text(&from, "channel") ? record_text(&from, "channel") : "api",
				 "subject", subject && *subject ? subject : record_text(&from, "subject"));
	static const char *const copied[] = { "requester_name", "requester_email", "language", "topic", "priority" };
	for (size_t i = 0; i < COUNT(copied); i++)
		if (record_text(&from, copied[i]))
			json_object_set_new(body, copied[i], json_string(record_text(&from, copied[i])));
	static const char *const refs[] = { "requester_person", "requester_organization" };
	for (size_t i = 0; i < COUNT(refs); i++) {
		const store_value *v = record_field(&from, refs[i]);
		if (v->type == SV_INT)
			json_object_set_new(body, refs[i], json_integer(v->i));
	}
	int rc = model_create_in(m, c, ie, body, CREATE_FORCE, out);
	json_decref(body);
	size_t i;
	json_t *mid;
	json_array_foreach(messages, i, mid) {
		record before;
		if (rc || !json_is_integer(mid) || model_load(m, c, me, json_integer_value(mid), &before) ||
		    record_field(&before, "inquiry")->i != from.v[COL_ID].i) {
			m->status = 0;
			model_field_error(m, "messages", "must name messages of this inquiry");
			return model_fail(m, 422, "Invalid split", "a message named is not in this inquiry");
		}
		record after = model_copy(m, &before);
		*record_field(&after, "inquiry") = out->v[COL_ID];
		if (model_write_record(m, c, &after, &before, "split"))
			return -1;
	}
	return rc;
}

static int split_of(model_ctx *m, store_conn *c, request *r, record *out)
{
	return split(m, c, r->params[0], json_object_get(r->json, "messages"),
		     json_string_value(json_object_get(r->json, "subject")), out);
}

void inquiries_split(request *r) { in_transaction(r, split_of, 201); }

/* ---- attachments -------------------------------------------------------------------------- */

/* GET /api/v1/inquiry-messages/{id}/attachments/{n}: read back from the
 * original message kept in the Maildir (only the path the desk itself
 * recorded is ever opened, and only as a regular file, as mail is read). */
void inquiries_attachment(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record msg;
	int64_t n = model_parse_id(r->params[1]);
	const char *raw = NULL;
	if (model_read(&m, kind(r, "inquiry-messages"), r->params[0], &msg)) {
		http_model(r, &m);
	} else if (n < 1 || !(raw = record_text(&msg, "raw"))) {
		http_problem(r, 404, "Not found", "this message has no attachment %s", r->params[1]);
	} else {
		size_t len = 0;
		const char *why;
		char *data = mailin_read(raw, &len, &why), err[200];
		mail_message mm;
		if (!data || mail_parse(data, len, &mm, err, sizeof err)) {
			http_problem(r, 410, "Gone", "the original message is no longer where it was kept");
		} else {
			if ((size_t)n > mm.nattachments) {
				http_problem(r, 404, "Not found", "this message has %zu attachment(s)", mm.nattachments);
			} else {
				const mail_attachment *a = &mm.attachments[n - 1];
				http_text(r, 200, arena_strdup(&r->a, a->content_type), (const char *)a->data, a->len);
				buf name = BUF_INIT;
				for (const char *s = a->filename; *s; s++) /* a header value: no quotes, no line breaks */
					buf_putc(&name, (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) ? '_' : *s);
				http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s\"", buf_str(&name)));
				buf_free(&name);
			}
			mail_free(&mm);
		}
		free(data);
	}
	model_done(&m);
}
