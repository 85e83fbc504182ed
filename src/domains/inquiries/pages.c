/*
 * pages — the inquiry desk in the browser: the queue (mine, my division,
 * overdue), an inquiry with its thread, reply box, canned answers, notes,
 * status and routing explanation, and earlier inquiries and articles that
 * look like it; on the public side, the inquiry form and the requester's
 * tracking page.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "model/access.h"
#include "model/search.h"
#include "web/web.h"


static const char *text_of(json_t *rec, const char *name) { return json_string_value(json_object_get(rec, name)); }

/* ---- the queue -------------------------------------------------------------------------- */

static json_t *queue_rows(page *p, json_t *items, const char *now)
{
	const entity *e = registry_find(&p->r->app->reg, "inquiries");
	json_t *rows = json_array(), *rec;
	size_t i;
	json_array_foreach(items, i, rec) {
		const char *due = text_of(rec, "resolution_due"), *lang;
		json_t *row = json_pack("{s:s, s:s, s:s?, s:s, s:s}", "href", view_href(p, e, rec), "subject",
					view_title(p, e, rec, &lang), "reference", text_of(rec, "reference"), "status",
					view_enum_label(p, entity_field(e, "status"), text_of(rec, "status")), "priority",
					view_enum_label(p, entity_field(e, "priority"), text_of(rec, "priority")));
		json_object_set_new(row, "state", json_string(text_of(rec, "status") ? text_of(rec, "status") : ""));
		json_object_set_new(row, "requester", json_string(text_of(rec, "requester_name") ? text_of(rec, "requester_name") : ""));
		json_object_set_new(row, "division", json_string(text_of(rec, "division") ? text_of(rec, "division") : ""));
		if (due) {
			buf b = BUF_INIT;
			page_date(p, due, &b);
			json_object_set_new(row, "due", json_string(buf_str(&b)));
			json_object_set_new(row, "due_iso", json_string(due));
			json_object_set_new(row, "overdue", json_boolean(strcmp(due, now) < 0));
			buf_free(&b);
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

static void desk_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const entity *e = registry_find(&r->app->reg, "inquiries");
	if (!access_kind(page_user(p), e, OP_READ)) {
		page_error(p, 403, NULL);
		page_end(p);
		return;
	}
	char now[32];
	clock_now_iso(now);
	const char *mine = page_query(p, "mine"), *division = page_query(p, "division");
	const char *overdue = page_query(p, "overdue"), *status = page_query(p, "status");
	store_cond extra[4];
	desk_filter f = { mine && *mine, overdue && *overdue, division && *division ? division : NULL,
			  status && *status ? status : NULL };
	int n = desk_conditions(&f, r->u->id, now, extra);
	list_params lp = { .sort = "resolution_due", .cursor = page_query(p, "cursor"), .limit = 50, .extra = extra,
			   .nextra = n };
	if (model_list(m, e, &lp)) {
		page_model_error(p, m);
	} else {
		json_t *body = view_body(m);
		json_object_set_new(p->ctx, "rows", queue_rows(p, json_object_get(body, "items"), now));
		const char *next = text_of(body, "next_cursor");
		if (next)
			json_object_set_new(p->ctx, "next_href", json_string(page_url_with(p, "cursor", next)));
		json_decref(body);
		json_t *divs = json_array(), *sts = json_array();
		for (int i = 0; divisions[i]; i++)
			json_array_append_new(divs, json_pack("{s:s, s:b}", "value", divisions[i], "selected",
							      division && !strcmp(division, divisions[i])));
		const char *const *states = entity_field(e, "status")->values;
		for (int i = 0; states[i]; i++)
			json_array_append_new(sts, json_pack("{s:s, s:s, s:b}", "value", states[i], "label",
							     view_enum_label(p, entity_field(e, "status"), states[i]),
							     "selected", status && !strcmp(status, states[i])));
		json_object_set_new(p->ctx, "divisions", divs);
		json_object_set_new(p->ctx, "statuses", sts);
		json_object_set_new(p->ctx, "mine", json_boolean(mine && *mine));
		json_object_set_new(p->ctx, "overdue", json_boolean(overdue && *overdue));
		if (r->u->division)
			json_object_set_new(p->ctx, "my_division", json_string(r->u->division));
		page_render(p, 200, "desk", page_tr(p, N_("Inquiry desk")));
	}
}

void desk_page(request *r) { page_run(r, PAGE_SIGNED_IN, desk_page_body); }

/* ---- one inquiry -------------------------------------------------------------------------- */

/* What the mail intake wrote on a received message about what it cut (see
 * mailin.c), as {label, text}: the fields shortened, named by their labels,
 * then what was kept beside them. */
static json_t *intake_notes(page *p, const entity *me, json_t *x)
{
	json_t *notes = json_array(), *field;
	size_t i;
	buf names = BUF_INIT;
	json_array_foreach(json_object_get(x, "cut"), i, field) {
		const field_def *f = entity_field(me, json_string_value(field));
		buf_printf(&names, "%s%s", i ? ", " : "", f && f->label ? page_tr(p, f->label) : json_string_value(field));
	}
	if (names.len)
		json_array_append_new(notes, json_pack("{s:s, s:s++}", "label", page_tr(p, N_("Shortened on arrival")), "text",
						       buf_str(&names), ". ",
						       page_tr(p, N_("The original message is kept in full."))));
	static const char *const kept[] = { "subject_full", "attachments_left_out" };
	for (i = 0; i < COUNT(kept); i++) {
		const field_def *f = entity_field(me, kept[i]);
		json_t *v = view_value(p, f, json_object_get(x, kept[i]));
		if (v)
			json_array_append_new(notes, json_pack("{s:s, s:O}", "label", page_tr(p, f->label), "text",
							       json_object_get(v, "text")));
		json_decref(v);
	}
	buf_free(&names);
	return notes;
}

static json_t *thread_rows(page *p, json_int_t id)
{
	json_t *rows = json_array();
	const entity *me = registry_find(&p->r->app->reg, "inquiry-messages");
	store_cond w = COND_EQ("inquiry", SV_INT_(id));
	list_params lp = { .sort = "at", .limit = 500, .extra = &w, .nextra = 1 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_list(&m, me, &lp) == 0) {
		json_t *body = view_body(&m), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			buf when = BUF_INIT;
			page_date(p, text_of(x, "at"), &when);
			json_t *row = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "direction",
						view_enum_label(p, entity_field(me, "direction"), text_of(x, "direction")),
						"at", buf_str(&when), "at_iso", text_of(x, "at"), "from",
						text_of(x, "from_name") ? text_of(x, "from_name") : text_of(x, "from_addr"), "body",
						text_of(x, "body"), "delivery_error", text_of(x, "delivery_error"));
			json_t *files = json_array(), *a;
			size_t k;
			json_array_foreach(json_object_get(x, "attachments"), k, a)
				json_array_append_new(files, json_pack("{s:O, s:s}", "label", a, "href",
								       arena_printf(&p->r->a, "/api/v1/inquiry-messages/%" JSON_INTEGER_FORMAT "/attachments/%zu",
										    json_integer_value(json_object_get(x, "id")), k + 1)));
			json_object_set_new(row, "files", files);
			json_object_set_new(row, "notes", intake_notes(p, me, x));
			json_object_set_new(row, "is_note", json_boolean(!strcmp(text_of(x, "direction"), "note")));
			json_object_set_new(row, "is_out", json_boolean(!strcmp(text_of(x, "direction"), "out")));
			if (!strcmp(text_of(x, "direction"), "out") && text_of(x, "delivery"))   /* queued, sent, failed, draft */
				json_object_set_new(row, "delivery", json_string(view_enum_label(p, entity_field(me, "delivery"),
												 text_of(x, "delivery"))));
			json_array_append_new(rows, row);
			buf_free(&when);
		}
		json_decref(body);
	}
	model_done(&m);
	return rows;
}

/* Earlier inquiries and articles that share the subject's words. */
static json_t *look_alikes(page *p, json_t *rec)
{
	json_t *out = json_array();
	const char *subject = text_of(rec, "subject");
	if (!subject)
		return out;
	buf q = BUF_INIT;
	for (const char *s = subject; *s; s++) /* any of the words, not all: "a OR b" */
		buf_puts(&q, *s == ' ' ? " OR " : (char[]){ *s, 0 });
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_search(&m, buf_str(&q), NULL, 8) == 0) {
		json_t *body = view_body(&m), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			const char *kind = text_of(x, "kind");
			json_int_t id = json_integer_value(json_object_get(x, "id"));
			if (!kind || (strcmp(kind, "inquiries") && strcmp(kind, "kb-articles")) ||
			    (!strcmp(kind, "inquiries") && id == json_integer_value(json_object_get(rec, "id"))))
				continue;
			json_array_append_new(out, json_pack("{s:s, s:O, s:b, s:I}", "href",
							     arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, kind, id),
							     "title", json_object_get(x, "title"), "article",
							     !strcmp(kind, "kb-articles"), "id", id));
		}
		json_decref(body);
	}
	model_done(&m);
	buf_free(&q);
	return out;
}

static json_t *canned_options(page *p)
{
	json_t *opts = json_array();
	const entity *e = registry_find(&p->r->app->reg, "canned-answers");
	list_params lp = { .limit = 200 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_list(&m, e, &lp) == 0) {
		json_t *body = view_body(&m), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			const char *lang;
			json_array_append_new(opts, json_pack("{s:s?, s:s}", "value", text_of(x, "code"), "label",
							      view_title(p, e, x, &lang)));
		}
		json_decref(body);
	}
	model_done(&m);
	return opts;
}

static void inquiry_render(page *p, json_t *rec, int status)
{
	const entity *e = registry_find(&p->r->app->reg, "inquiries");
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	char *href = view_href(p, e, rec);
	json_object_set_new(p->ctx, "thread", thread_rows(p, id));
	json_object_set_new(p->ctx, "look_alikes", look_alikes(p, rec));
	json_object_set_new(p->ctx, "canned", canned_options(p));
	json_t *articles = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(p->ctx, "look_alikes"), i, x)
		if (json_is_true(json_object_get(x, "article")))
			json_array_append_new(articles, json_pack("{s:O, s:O}", "value", json_object_get(x, "id"), "label",
								  json_object_get(x, "title")));
	json_object_set_new(p->ctx, "articles", articles);
	json_object_set_new(p->ctx, "routed_by", json_string(text_of(rec, "routed_by") ? text_of(rec, "routed_by") : ""));
	json_object_set_new(p->ctx, "reply_action", json_string(arena_printf(&p->r->a, "%s/reply", href)));
	json_object_set_new(p->ctx, "can_answer", json_boolean(access_kind(page_user(p), e, OP_UPDATE)));
	records_detail_render(p, e, rec, "inquiry");
	p->r->status = status;
}

void inquiry_page(request *r)
{
	page p;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 &&
	    (rec = records_load(&p, registry_find(&r->app->reg, "inquiries"), r->params[0])))
		inquiry_render(&p, rec, 200);
	json_decref(rec);
	page_end(&p);
}

static void inquiry_reply_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const char *kind = page_field(p, "kind"), *body = page_field(p, "body"), *canned = page_field(p, "canned");
	int note = kind && !strcmp(kind, "note");
	record msg;
	const char *article = page_field(p, "article");
	if ((!body || !*body) && (!canned || !*canned) && (!article || !*article)) {
		json_object_set_new(p->ctx, "error", json_string(page_tr(p, N_("Write a message or choose a canned answer."))));
		json_t *rec = records_load(p, registry_find(&r->app->reg, "inquiries"), r->params[0]);
		if (rec)
			inquiry_render(p, rec, 422);
		json_decref(rec);
	} else if (inquiries_respond(m, r->params[0],
				     &(reply){ note ? "note" : "out", body && *body ? body : NULL, note ? NULL : canned,
					       page_field(p, "article"), page_field(p, "wait") != NULL },
				     &msg) == 0) {
		page_redirect(p, arena_printf(&r->a, "/inquiries/%s?saved=1", r->params[0]));
	} else {
		page_model_error(p, m);
	}
}

void inquiry_reply_page(request *r) { page_run(r, PAGE_SIGNED_IN, inquiry_reply_page_body); }

/* ---- the public side ---------------------------------------------------------------------- */

/* The form's fields, with the names the inquiry's own fields go by. */
static const char *const ask_fields[][3] = {
	{ "name", "requester_name", N_("Your name") },
	{ "email", "requester_email", N_("Your e-mail address") },
	{ "subject", "subject", N_("Subject") },
	{ "message", "body", N_("Your question") },
};

static void ask_render(page *p, int status, model_ctx *m)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < COUNT(ask_fields); i++) {
		const char *v = page_field(p, ask_fields[i][0]);
		json_object_set_new(p->ctx, ask_fields[i][0], json_string(v ? v : ""));
		json_array_append_new(fields, json_pack("{s:s, s:s}", "name", ask_fields[i][0], "label",
							page_tr(p, ask_fields[i][2])));
	}
	for (size_t i = 0; m && i < m->nerrors; i++)
		for (size_t k = 0; k < COUNT(ask_fields); k++)
			if (!strcmp(m->errors[i].field, ask_fields[k][1]))
				m->errors[i].field = ask_fields[k][0];
	field_errors_show(p, m, fields, NULL);
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f) {
		json_t *err = json_object_get(f, "error");
		if (err)
			json_object_set(p->ctx, arena_printf(&p->r->a, "error_%s", ask_fields[i][0]), err);
	}
	json_decref(fields);
	page_render(p, status, "ask", page_tr(p, N_("Ask the department")));
}

void ask_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE) == 0)
		ask_render(&p, 200, NULL);
	page_end(&p);
}

void ask_submit(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE)) {
		page_end(&p);
		return;
	}
	unsigned wait;
	const char *trap = page_field(&p, "website");
	if (!inquiries_intake_allowed(r, &wait)) {
		http_header_add(r, "Retry-After", arena_printf(&r->a, "%u", wait));
		page_error(&p, 429, NULL);
	} else {
		json_t *in = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s}", "name", page_field(&p, "name"), "email",
				       page_field(&p, "email"), "subject", page_field(&p, "subject"), "message",
				       page_field(&p, "message"), "language", registry_langs[p.lang]);
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, &intake_user);
		char ref[32], token[65];
		if (trap && *trap) /* a robot: the same page, nothing kept */
			inquiries_decoy(ref, token);
		if ((trap && *trap) || inquiries_intake(&m, in, ref, token) == 0) {
			json_object_set_new(p.ctx, "reference", json_string(ref));
			json_object_set_new(p.ctx, "tracking", json_string(arena_printf(&r->a, "/track/%s?token=%s", ref, token)));
			page_render(&p, 201, "asked", page_tr(&p, N_("Thank you")));
		} else if (m.status == 422) {
			ask_render(&p, 422, &m);
		} else {
			page_model_error(&p, &m);
		}
		model_done(&m);
		json_decref(in);
	}
	page_end(&p);
}

static void track_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	buf out = BUF_INIT;
	store_conn *c = store_reader(r->app->st);
	if (!c || inquiries_public_view(m, c, r->params[0], page_query(p, "token"), &out)) {
		page_error(p, 404, NULL);
	} else {
		json_t *view = json_loadb(out.data, out.len, 0, NULL), *x;
		const entity *e = registry_find(&r->app->reg, "inquiries");
		json_object_set_new(p->ctx, "reference", json_copy(json_object_get(view, "reference")));
		json_object_set_new(p->ctx, "subject", json_copy(json_object_get(view, "subject")));
		json_object_set_new(p->ctx, "question", json_copy(json_object_get(view, "question")));
		json_object_set_new(p->ctx, "status", json_string(view_enum_label(p, entity_field(e, "status"),
									      text_of(view, "status"))));
		json_t *msgs = json_array();
		size_t i;
		json_array_foreach(json_object_get(view, "messages"), i, x) {
			buf when = BUF_INIT;
			page_date(p, text_of(x, "at"), &when);
			json_array_append_new(msgs, json_pack("{s:s, s:s?, s:O, s:b}", "at", buf_str(&when), "at_iso",
							      text_of(x, "at"), "body", json_object_get(x, "body"), "ours",
							      !strcmp(text_of(x, "direction"), "out")));
			buf_free(&when);
		}
		json_object_set_new(p->ctx, "messages", msgs);
		json_decref(view);
		page_render(p, 200, "track", page_tr(p, N_("Your inquiry")));
	}
	buf_free(&out);
}

void track_page(request *r) { page_run(r, PAGE_ANYONE, track_page_body); }

/* ---- the public knowledge base ------------------------------------------------------------ */

/* Public articles only, whoever reads: the portal shows what anyone may see. */
static void help_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const entity *e = registry_find(&r->app->reg, "kb-articles");
	store_cond pub = COND_EQ("classification", sv_text("public"));
	list_params lp = { .sort = "-updated_at", .cursor = page_query(p, "cursor"), .limit = 50, .extra = &pub, .nextra = 1 };
	if (model_list(m, e, &lp)) {
		page_model_error(p, m);
	} else {
		json_t *body = view_body(m), *x, *rows = json_array();
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			const char *lang, *title = view_title(p, e, x, &lang);
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s?}", "href",
							      arena_printf(&r->a, "/help/%" JSON_INTEGER_FORMAT,
									   json_integer_value(json_object_get(x, "id"))),
							      "title", title, "lang", lang));
		}
		json_object_set_new(p->ctx, "articles", rows);
		const char *next = text_of(body, "next_cursor");
		if (next)
			json_object_set_new(p->ctx, "next_href", json_string(page_url_with(p, "cursor", next)));
		json_decref(body);
		page_render(p, 200, "help", page_tr(p, N_("Help and answers")));
	}
}

void help_page(request *r) { page_run(r, PAGE_ANYONE, help_page_body); }

static void help_article_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const entity *e = registry_find(&r->app->reg, "kb-articles");
	json_t *rec = model_get(m, e, r->params[0]) == 0 ? view_body(m) : NULL;
	if (!rec || strcmp(text_of(rec, "classification") ? text_of(rec, "classification") : "", "public") != 0) {
		page_error(p, 404, NULL); /* an internal article is not the portal's to show */
	} else {
		const char *lang, *body_lang;
		json_object_set_new(p->ctx, "article_title", json_string(view_title(p, e, rec, &lang)));
		json_object_set_new(p->ctx, "title_lang", json_string(lang ? lang : "en"));
		const char *text = view_langtext(p, json_object_get(rec, "body"), &body_lang);
		json_object_set_new(p->ctx, "text", json_string(text ? text : ""));
		json_object_set_new(p->ctx, "text_lang", json_string(body_lang));
		if (strcmp(body_lang, registry_langs[p->lang]) != 0)
			json_object_set_new(p->ctx, "fallback", json_string(body_lang));
		page_render(p, 200, "article", view_title(p, e, rec, &lang));
	}
	json_decref(rec);
}

void help_article_page(request *r) { page_run(r, PAGE_ANYONE, help_article_page_body); }
