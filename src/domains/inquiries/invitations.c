/*
 * invitations — a briefing in people's calendars: its invitation, as a file
 * and by e-mail, and the events of the calendar feeds.
 *
 *   GET  /api/v1/briefings/{id}/invitation.ics   the invitation as it stands
 *   POST /api/v1/briefings/{id}/invitation        e-mail it to everyone invited (202: queued)
 *   POST /briefings/{id}/invitation               the same from the briefing's page
 *
 * Who is invited: the visitors and the briefing staff who have an e-mail
 * address (a person's first, a user's own), each by a message of their own
 * from the desk's address (mail.from_addr), which is the ORGANIZER.  The
 * method follows the briefing (see ical_method_of): REQUEST once its time
 * is confirmed, CANCEL when it is cancelled or archived, PUBLISH when
 * there is nobody to invite (the file only: nothing is e-mailed then).
 *
 * SEQUENCE is the record's version.  Every change of the briefing (a new
 * time, the cancellation, archiving it, recording that the invitation went
 * out) raises the version, so each message sent carries a higher SEQUENCE
 * than any before it and calendar programs apply them in order.  The UID is
 * the briefing's for good: "briefing-12@" and the desk's domain.
 *
 * The messages are composed from the briefing as it was read, then queued
 * in the outbox (model/outbox.h) in one transaction with the briefing's
 * invited_at and its audit entry; the briefing's page and its outbox
 * (GET /api/v1/briefings/{id}/outbox) say what the relay made of each.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "formats/address.h"
#include "formats/mailout.h"
#include "model/access.h"
#include "model/outbox.h"
#include "web/web.h"

#define MAX_INVITED 64

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

static int64_t seconds(const char *iso)
{
	time_t t;
	return iso && clock_parse_time(iso, &t) == 0 ? (int64_t)t : 0;
}

/* The wire form of an address (see address.h), in m's arena; NULL when it
 * is not one. */
static const char *wire(model_ctx *m, const char *addr)
{
	char out[MAIL_ADDRESS_MAX + 1];
	return addr && !mail_address(addr, out) ? arena_strdup(&m->a, out) : NULL;
}

/* A record as the API writes it, when m's user may read it; else NULL. */
static json_t *readable(model_ctx *m, const char *kind, const char *id)
{
	json_t *r = NULL;
	if (model_get(m, registry_find(m->reg, kind), id) == 0)
		r = json_loadb(m->body.data, m->body.len, 0, NULL);
	buf_reset(&m->body);
	m->status = 0;
	m->nerrors = 0;
	return r;
}

int briefing_cancelled(json_t *b)
{
	const char *status = text_of(b, "status");
	return json_is_true(json_object_get(b, "archived")) || (status && strcmp(status, "cancelled") == 0);
}

int briefing_event(model_ctx *m, json_t *b, ical_event *ev)
{
	const desk_config *d = desk();
	int64_t start = seconds(text_of(b, "starts_at")), end = seconds(text_of(b, "ends_at"));
	if (!start)
		return -1;
	const char *from = wire(m, d->from_addr);
	*ev = (ical_event){
		.uid = arena_printf(&m->a, "briefing-%" JSON_INTEGER_FORMAT "%s", json_integer_value(json_object_get(b, "id")),
				    from ? strchr(from, '@') : "@liaison.invalid"),
		.sequence = json_integer_value(json_object_get(b, "version")),
		.start = start, .end = end > start ? end : start + 3600, .stamp = (int64_t)time(NULL),
		.summary = text_of(b, "title"), .location = text_of(b, "room"), .description = text_of(b, "delegation"),
		.organizer = { d->from_name, from },
		.cancelled = briefing_cancelled(b),
	};
	return 0;
}

/* ---- who is invited ------------------------------------------------------------------ */

typedef struct invitation {
	json_t *briefing;
	ical_event ev;
	ical_person people[MAX_INVITED];
	const char *to[MAX_INVITED];     /* the addresses as stored, for the envelope */
	int lang;                        /* the briefing's language: the visitors' */
} invitation;

/* A linked person's or user's name and first address, if m's user may read
 * them and there is an address. */
static void invite(model_ctx *m, invitation *inv, json_t *link)
{
	const char *kind = text_of(link, "kind");
	json_t *id = json_object_get(link, "id");
	if (inv->ev.nattendees == MAX_INVITED || !kind || !json_is_integer(id))
		return;
	int person = strcmp(kind, "persons") == 0;
	json_t *r = readable(m, person ? "persons" : "users", arena_printf(&m->a, "%" JSON_INTEGER_FORMAT, json_integer_value(id)));
	const char *addr = person ? json_string_value(json_array_get(json_object_get(r, "emails"), 0)) : text_of(r, "email");
	const char *w = wire(m, addr);
	if (w) {
		const char *given = text_of(r, "given_name"), *family = text_of(r, "family_name");
		size_t n = inv->ev.nattendees++;
		inv->people[n] = (ical_person){
			person ? arena_printf(&m->a, "%s%s%s", given ? given : "", given && family ? " " : "", family ? family : "")
			       : arena_strdup(&m->a, text_of(r, "name")),
			w };
		inv->to[n] = arena_strdup(&m->a, addr);
	}
	json_decref(r);
}

/* The briefing id as m's user reads it, with everyone invited; 0, or -1
 * with m's error (404, or 409 when there is no confirmed time). */
static int invitation_load(model_ctx *m, const char *id, invitation *inv)
{
	memset(inv, 0, sizeof *inv);
	if (model_get(m, registry_find(m->reg, "briefings"), id))
		return -1;
	inv->briefing = json_loadb(m->body.data, m->body.len, 0, NULL);
	buf_reset(&m->body);
	m->status = 0;
	if (!inv->briefing || briefing_event(m, inv->briefing, &inv->ev))
		return model_fail(m, 409, "Not scheduled", "the briefing has no confirmed time yet");
	inv->ev.attendees = inv->people;
	static const char *const invited[] = { "visitors", "staff" };
	for (size_t f = 0; f < COUNT(invited); f++) {
		size_t i;
		json_t *link;
		json_array_foreach(json_object_get(inv->briefing, invited[f]), i, link)
			invite(m, inv, link);
	}
	int lang = i18n_lang(text_of(inv->briefing, "language"));
	inv->lang = lang < 0 ? LANG_EN : lang;
	return 0;
}

static void invitation_done(invitation *inv) { json_decref(inv->briefing); }

/* ---- the file -------------------------------------------------------------------------- */

void briefings_ics(request *r)
{
	model_ctx m;
	invitation inv;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (invitation_load(&m, r->params[0], &inv)) {
		http_model(r, &m);
	} else {
		buf out = BUF_INIT;
		ical_write(&inv.ev, &out);
		const char *method = ical_method_name(ical_method_of(&inv.ev));
		http_text(r, 200, arena_printf(&r->a, "text/calendar; charset=utf-8; method=%s", method), buf_str(&out), out.len);
		http_header_add(r, "Content-Disposition", "attachment; filename=\"briefing.ics\"");
		buf_free(&out);
	}
	invitation_done(&inv);
	model_done(&m);
}

/* ---- the message ------------------------------------------------------------------------- */

/* "3 December 2026, 09:00–10:30 (UTC)", in the briefing's language. */
static void when(const invitation *inv, buf *out)
{
	const char *start = text_of(inv->briefing, "starts_at"), *end = text_of(inv->briefing, "ends_at");
	i18n_datetime(inv->lang, start, out);
	if (end && strlen(end) >= 16 && strncmp(start, end, 10) == 0) {
		buf_printf(out, "–%.5s", end + 11);
	} else if (end) {
		buf_puts(out, " – ");
		i18n_datetime(inv->lang, end, out);
	}
	buf_puts(out, " (UTC)");
}

static void message_text(const invitation *inv, int cancel, buf *out)
{
	int l = inv->lang;
	const char *room = text_of(inv->briefing, "room");
	buf_puts(out, i18n_text(l, cancel ? N_("This briefing is cancelled.") : N_("You are invited to this briefing.")));
	buf_printf(out, "\n\n%s\n%s ", inv->ev.summary ? inv->ev.summary : "", i18n_text(l, N_("When:")));
	when(inv, out);
	if (room)
		buf_printf(out, "\n%s %s", i18n_text(l, N_("Where:")), room);
	buf_printf(out, "\n\n%s\n", i18n_text(l, cancel ? N_("The attached cancellation takes the briefing out of your calendar.")
						  : N_("The invitation is attached: open it to add the briefing to your calendar and to answer.")));
}

/* Writes on the briefing, inside c, that its invitation went out (its
 * audit entry says by whom): the version it raises is the next SEQUENCE.
 * The briefing must still be the version the messages were made from. */
static int mark_invited(model_ctx *m, store_conn *c, const invitation *inv)
{
	const entity *e = registry_find(m->reg, "briefings");
	json_int_t id = json_integer_value(json_object_get(inv->briefing, "id"));
	record before;
	char now[32];
	if (model_load(m, c, e, id, &before))
		return -1;
	if (before.v[COL_VERSION].i != inv->ev.sequence)
		return model_fail(m, 409, "Conflict", "the briefing changed while its invitation was prepared; send it again");
	clock_now_iso(now);
	record after = model_copy(m, &before);
	*record_field(&after, "invited_at") = sv_text(arena_strdup(&m->a, now));
	return model_write_record(m, c, &after, &before, "invite");
}

/* Inside c: the briefing marked, then a message for each person invited
 * queued in the outbox (queued: their addresses); one that cannot be
 * composed goes into refused ({to, reason}).  0, or -1 with m's error
 * (422 when not one could be). */
static int queue_all(model_ctx *m, store_conn *c, const invitation *inv, json_t *queued, json_t *refused)
{
	const desk_config *d = desk();
	int cancel = inv->ev.cancelled, rc = mark_invited(m, c, inv);
	buf ics = BUF_INIT, text = BUF_INIT, bytes = BUF_INIT;
	ical_write(&inv->ev, &ics);
	message_text(inv, cancel, &text);
	const char *subject = arena_printf(&m->a, "%s %s", i18n_text(inv->lang, cancel ? N_("Cancelled:") : N_("Invitation:")),
					   inv->ev.summary ? inv->ev.summary : "");
	const char *why = NULL;
	for (size_t i = 0; rc == 0 && i < inv->ev.nattendees; i++) {
		mail_out mo = { .from_name = d->from_name, .from_addr = d->from_addr, .to_name = inv->people[i].name,
				.to_addr = inv->to[i], .subject = subject, .text = buf_str(&text), .loop_id = d->loop_id,
				.lang = registry_langs[inv->lang], .ics = buf_str(&ics) };
		char err[300] = "";
		buf_reset(&bytes);
		if (mail_compose(&mo, &bytes, NULL, 0, err, sizeof err)) {
			json_array_append_new(refused, json_pack("{s:s, s:s}", "to", inv->to[i], "reason", err));
			why = json_string_value(json_object_get(json_array_get(refused, 0), "reason"));
			continue;
		}
		outbox_mail mail = { "briefings", json_integer_value(json_object_get(inv->briefing, "id")), d->from_addr,
				     inv->to[i], subject, bytes.data, bytes.len };
		if ((rc = outbox_queue(m, c, &mail)) == 0)
			json_array_append_new(queued, json_string(inv->to[i]));
	}
	if (rc == 0 && !json_array_size(queued))
		rc = model_fail(m, 422, "Not queued", "no invitation could be written: %s", why ? why : "nobody to write to");
	buf_free(&ics);
	buf_free(&text);
	buf_free(&bytes);
	return rc;
}

/* Whether the invitation may and can be sent: 0, or -1 with m's error. */
static int sendable(model_ctx *m, const char *id, const invitation *inv)
{
	record rec;
	if (model_read(m, registry_find(m->reg, "briefings"), id, &rec))
		return -1;
	if (!access_record(m, store_reader(m->st), rec.e, &rec, OP_UPDATE))
		return model_fail(m, 403, "Forbidden", "your role may not send this briefing's invitation");
	if (inv->ev.nattendees == 0)
		return model_fail(m, 409, "Nobody to invite", "no visitor or briefing staff member has an e-mail address");
	if (!outbox_ready())
		return model_fail(m, 503, "Mail not set up", "no SMTP relay is configured (mail.smtp_url)");
	return 0;
}

/* POST …/invitation: a message to each person invited queued, in one
 * transaction with the briefing's invited_at; {"method", "sequence",
 * "queued": [address], "refused": [{"to", "reason"}], "outbox"} into m's
 * body with 202 (the relay has not seen them yet: the briefing's outbox
 * says what it made of each), or m's error. */
static int invitation_send(model_ctx *m, const char *id)
{
	invitation inv;
	if (invitation_load(m, id, &inv) || sendable(m, id, &inv)) {
		invitation_done(&inv);
		return -1;
	}
	json_t *queued = json_array(), *refused = json_array();
	store_conn *c = store_begin(m->st);
	int rc = c ? queue_all(m, c, &inv, queued, refused) : model_fail(m, 503, "Store busy", "the database is busy; try again");
	if (c && rc)
		store_rollback(c);
	else if (c && store_commit(c) != STORE_OK)   /* rolled back by the store */
		rc = model_fail(m, 500, "Store error", "the invitation could not be queued");
	if (rc == 0) {
		json_int_t bid = json_integer_value(json_object_get(inv.briefing, "id"));
		json_t *out = json_pack("{s:s, s:I, s:O, s:O, s:s}", "method", ical_method_name(ical_method_of(&inv.ev)),
					"sequence", (json_int_t)inv.ev.sequence, "queued", queued, "refused", refused, "outbox",
					arena_printf(&m->a, "/api/v1/briefings/%" JSON_INTEGER_FORMAT "/outbox", bid));
		char *text = json_dumps(out, JSON_COMPACT);
		buf_reset(&m->body);
		buf_puts(&m->body, text);
		free(text);
		json_decref(out);
		m->status = 202;
	}
	json_decref(queued);
	json_decref(refused);
	invitation_done(&inv);
	return rc;
}

void briefings_invite(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	invitation_send(&m, r->params[0]);
	http_model(r, &m);
	model_done(&m);
}

/* ---- the page's button ------------------------------------------------------------------- */

static void invite_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	if (invitation_send(m, r->params[0])) {
		page_model_error(p, m);
		return;
	}
	json_t *res = view_body(m);
	json_t *refused = json_object_get(res, "refused"), *f;
	int cancel = strcmp(json_string_value(json_object_get(res, "method")), "CANCEL") == 0;
	json_object_set_new(p->ctx, "notice", json_string(page_tr(p, cancel ? N_("The cancellation is queued for sending: "
										  "the Mail section says when each message leaves.")
									    : N_("The invitation is queued for sending: "
										 "the Mail section says when each message leaves."))));
	buf w = BUF_INIT;
	size_t i;
	json_array_foreach(refused, i, f)
		buf_printf(&w, "%s%s (%s)", i ? "; " : "", text_of(f, "to"), text_of(f, "reason"));
	if (w.len)
		json_object_set_new(p->ctx, "warning", json_string(arena_printf(&r->a, "%s %s", page_tr(p, N_("Not queued for:")),
										  buf_str(&w))));
	buf_free(&w);
	json_decref(res);
	briefing_page_render(p);
}

void briefing_invite_page(request *r) { page_run(r, PAGE_SIGNED_IN, invite_page_body); }

/* The briefing's page: the invitation to download, and the button that
 * sends it (or the cancellation) for those who may change the briefing. */
void briefing_invitation_actions(page *p, json_t *rec)
{
	request *r = p->r;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	json_object_set_new(p->ctx, "ics_href", json_string(arena_printf(&r->a, "/api/v1/briefings/%" JSON_INTEGER_FORMAT
									 "/invitation.ics", id)));
	if (!access_kind(page_user(p), registry_find(&r->app->reg, "briefings"), OP_UPDATE))
		return;
	json_object_set_new(p->ctx, "invite_action", json_string(arena_printf(&r->a, "/briefings/%" JSON_INTEGER_FORMAT
									      "/invitation", id)));
	json_object_set_new(p->ctx, "invite_label", json_string(page_tr(p, briefing_cancelled(rec) ? N_("Send the cancellation")
												     : N_("Send the invitation"))));
}
