/*
 * mail — the outbox in the browser (model/outbox.c decides):
 *
 *   the "Mail" section of any record's page that has mail: to whom, what,
 *   and what the relay made of it, in the reader's language;
 *   GET  /admin/outbox                 mail not sent (?state=queued|failed), for administrators
 *   POST /admin/outbox/{id}/retry      try it again now
 */
#include <inttypes.h>
#include <string.h>

#include "model/outbox.h"
#include "web/web.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

static const char *state_label(const page *p, const char *state)
{
	if (state && !strcmp(state, "sent"))
		return page_tr(p, N_("Sent"));
	if (state && !strcmp(state, "failed"))
		return page_tr(p, N_("Failed"));
	return page_tr(p, N_("Queued"));
}

/* A message as a row of the pages' tables: its state, and the moment that
 * goes with it (sent at, or the next attempt's time while queued). */
static json_t *message_view(page *p, json_t *x)
{
	const char *state = text_of(x, "state");
	int sent = state && !strcmp(state, "sent"), queued = state && !strcmp(state, "queued");
	const char *when = sent ? text_of(x, "sent_at") : queued ? text_of(x, "next_attempt_at") : text_of(x, "updated_at");
	buf date = BUF_INIT;
	if (when)
		page_date(p, when, &date);
	json_t *row = json_pack("{s:s?, s:s?, s:s, s:s, s:O, s:s?, s:s, s:s?}", "to", text_of(x, "to"), "subject",
				text_of(x, "subject"), "state", state_label(p, state), "state_class", state ? state : "queued",
				"attempts", json_object_get(x, "attempts"), "reason", text_of(x, "last_error"), "when",
				buf_str(&date), "when_iso", when);
	json_object_set_new(row, "when_label", json_string(page_tr(p, sent ? N_("sent") : queued ? N_("next attempt") : N_("since"))));
	buf_free(&date);
	return row;
}

void mail_view(page *p, const entity *e, json_t *rec)
{
	request *r = p->r;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(p));
	char *id = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(rec, "id")));
	json_t *body = outbox_of_record(&m, e, id) == 0 ? view_body(&m) : NULL;
	model_done(&m);
	json_t *items = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x)
		json_array_append_new(items, message_view(p, x));
	json_decref(body);
	if (json_array_size(items))
		json_object_set_new(p->ctx, "mail", json_pack("{s:o}", "items", items));
	else
		json_decref(items);
}

/* ---- the administrators' list ------------------------------------------------------- */

static void outbox_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const char *state = page_query(p, "state");
	if (state && !*state)
		state = NULL;
	if (outbox_list(m, state, page_query(p, "cursor"), 50)) {
		page_model_error(p, m);
		return;
	}
	json_t *body = view_body(m), *items = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x) {
		json_t *row = message_view(p, x);
		const char *kind = text_of(x, "kind");
		const entity *e = kind ? registry_find(&r->app->reg, kind) : NULL;
		json_int_t rid = json_integer_value(json_object_get(x, "record_id")), id = json_integer_value(json_object_get(x, "id"));
		json_object_set_new(row, "record", json_string(arena_printf(&r->a, "%s %" JSON_INTEGER_FORMAT,
									    e && e->def->heading ? page_tr(p, e->def->heading) : kind, rid)));
		json_object_set_new(row, "record_href", json_string(arena_printf(&r->a, "/%s/%" JSON_INTEGER_FORMAT, kind, rid)));
		json_object_set_new(row, "retry_action", json_string(arena_printf(&r->a, "/admin/outbox/%" JSON_INTEGER_FORMAT "/retry", id)));
		json_array_append_new(items, row);
	}
	json_object_set_new(p->ctx, "items", items);
	const char *next = text_of(body, "next_cursor");
	if (next)
		json_object_set_new(p->ctx, "next_href", json_string(page_url_with(p, "cursor", next)));
	json_decref(body);
	static const char *const filters[][2] = { { "", N_("Queued and failed") }, { "queued", N_("Queued") },
						  { "failed", N_("Failed") } };
	json_t *opts = json_array();
	for (i = 0; i < COUNT(filters); i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", filters[i][0], "label", page_tr(p, filters[i][1]),
						      "selected", !strcmp(state ? state : "", filters[i][0])));
	json_object_set_new(p->ctx, "states", opts);
	json_object_set_new(p->ctx, "relay_missing", json_boolean(!outbox_ready()));
	if (page_query(p, "saved"))
		json_object_set_new(p->ctx, "notice", json_string(page_tr(p, N_("The message will be tried again now."))));
	page_render(p, 200, "outbox", page_tr(p, N_("Mail not sent")));
}

void web_outbox(request *r) { page_run(r, PAGE_SIGNED_IN, outbox_page_body); }

static void retry_body(page *p, model_ctx *m)
{
	if (outbox_retry(m, p->r->params[0]))
		page_model_error(p, m);
	else
		page_redirect(p, "/admin/outbox?saved=1");
}

void web_outbox_retry(request *r) { page_run(r, PAGE_SIGNED_IN, retry_body); }
