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

/* Who asked, as the row names them: the name given, else the person's or
 * the organization's of the registry, else the address; the organization
 * under a name when there are both.  The registry's records of the page are
 * looked up beforehand, one query per kind (view_refs_load). */
static void requester_cells(page *p, json_t *rec, json_t *row)
{
	const char *name = text_of(rec, "requester_name"), *org = NULL;
	json_t *person = json_object_get(rec, "requester_person"), *o = json_object_get(rec, "requester_organization");
	json_t *pv = json_is_integer(person) ? view_ref(p, "persons", person) : NULL;
	json_t *ov = json_is_integer(o) ? view_ref(p, "organizations", o) : NULL;
	if ((!name || !*name) && pv)
		name = arena_strdup(&p->r->a, text_of(pv, "text"));
	if (ov)
		org = arena_strdup(&p->r->a, text_of(ov, "text"));
	if (!name || !*name) {
		name = org ? org : text_of(rec, "requester_email");
		org = NULL;
	}
	json_object_set_new(row, "requester", json_string(name ? name : ""));
	if (org)
		json_object_set_new(row, "requester_org", json_string(org));
	json_decref(pv);
	json_decref(ov);
}

static void requesters_load(page *p, json_t *items)
{
	static const char *const refs[][2] = { { "requester_person", "persons" },
					       { "requester_organization", "organizations" } };
	for (size_t k = 0; k < COUNT(refs); k++) {
		json_t *ids = json_array(), *rec;
		size_t i;
		json_array_foreach(items, i, rec)
			if (json_is_integer(json_object_get(rec, refs[k][0])))
				json_array_append(ids, json_object_get(rec, refs[k][0]));
		view_refs_load(p, refs[k][1], ids);
		json_decref(ids);
	}
}

static json_t *queue_rows(page *p, json_t *items, const char *now)
{
	const entity *e = registry_find(&p->r->app->reg, "inquiries");
	json_t *rows = json_array(), *rec;
	size_t i;
	requesters_load(p, items);
	json_array_foreach(items, i, rec) {
		const char *due = text_of(rec, "resolution_due"), *lang;
		json_t *row = json_pack("{s:s, s:s, s:s?, s:s, s:s}", "href", view_href(p, e, rec), "subject",
					view_title(p, e, rec, &lang), "reference", text_of(rec, "reference"), "status",
					view_enum_label(p, entity_field(e, "status"), text_of(rec, "status")), "priority",
					view_enum_label(p, entity_field(e, "priority"), text_of(rec, "priority")));
		json_object_set_new(row, "state", json_string(text_of(rec, "status") ? text_of(rec, "status") : ""));
		requester_cells(p, rec, row);
		json_object_set_new(row, "division", json_string(text_of(rec, "division")
									 ? view_enum_label(p, &registry_division, text_of(rec, "division"))
									 : ""));
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
			json_array_append_new(divs, json_pack("{s:s, s:s, s:b}", "value", divisions[i], "label",
							      view_enum_label(p, &registry_division, divisions[i]), "selected",
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

/* What became of a reply, as the outbox last said (inquiries_delivered):
 * its state's label, what that state means, and the reason of a failure. */
static void delivery_view(page *p, const entity *me, json_t *x, json_t *row)
{
	static const char *const states[] = { "draft", "queued", "sent", "failed" };
	static const char *const meanings[] = { N_("Not sent: no mail relay is set up."),
						N_("Waiting for the mail relay: not sent yet."),
						N_("The mail relay took it."), N_("Not delivered.") };
	const char *state = text_of(x, "delivery");
	for (size_t i = 0; i < COUNT(states); i++)
		if (!strcmp(state, states[i]))
			json_object_set_new(row, "delivery_meaning", json_string(page_tr(p, meanings[i])));
	json_object_set_new(row, "delivery", json_string(view_enum_label(p, entity_field(me, "delivery"), state)));
	json_object_set_new(row, "delivery_state", json_string(state));
	if (strcmp(state, "failed"))   /* a reason is a failure's */
		json_object_set_new(row, "delivery_error", json_null());
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
			if (!strcmp(text_of(x, "direction"), "out") && text_of(x, "delivery"))
				delivery_view(p, me, x, row);
			json_array_append_new(rows, row);
			buf_free(&when);
		}
		json_decref(body);
	}
	model_done(&m);
	return rows;
}

/* A look-alike inquiry's line: its reference, subject, status and when it came. */
static json_t *alike_inquiry(page *p, const entity *e, json_t *rec)
{
	const char *lang;
	buf when = BUF_INIT;
	page_date(p, text_of(rec, "received_at"), &when);
	json_t *v = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s?}", "href", view_href(p, e, rec), "title",
			      view_title(p, e, rec, &lang), "reference", text_of(rec, "reference"), "state",
			      text_of(rec, "status"), "status",
			      view_enum_label(p, entity_field(e, "status"), text_of(rec, "status")), "received_iso",
			      text_of(rec, "received_at"));
	json_object_set_new(v, "received", json_string(buf_str(&when)));
	buf_free(&when);
	return v;
}

/* Earlier inquiries and articles that share the subject's words, each once:
 * the search names them, one more query reads the inquiries' facts. */
static json_t *look_alikes(page *p, json_t *rec)
{
	json_t *out = json_array(), *ids = json_array(), *seen = json_object();
	const char *subject = text_of(rec, "subject");
	const entity *e = registry_find(&p->r->app->reg, "inquiries");
	if (!subject)
		goto done;
	buf q = BUF_INIT;
	for (const char *s = subject; *s; s++) /* any of the words, not all: "a OR b" */
		buf_puts(&q, *s == ' ' ? " OR " : (char[]){ *s, 0 });
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *body = model_search(&m, buf_str(&q), NULL, 20) == 0 ? view_body(&m) : NULL, *x;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x) {
		const char *kind = text_of(x, "kind");
		json_int_t id = json_integer_value(json_object_get(x, "id"));
		char *key = arena_printf(&p->r->a, "%s/%" JSON_INTEGER_FORMAT, kind ? kind : "", id);
		if (!kind || (strcmp(kind, "inquiries") && strcmp(kind, "kb-articles")) || json_object_get(seen, key) ||
		    (!strcmp(kind, "inquiries") && id == json_integer_value(json_object_get(rec, "id"))) ||
		    json_object_size(seen) >= 8)
			continue;
		json_object_set_new(seen, key, json_true());
		if (!strcmp(kind, "inquiries"))
			json_array_append_new(ids, json_integer(id));
		else
			json_array_append_new(out, json_pack("{s:s, s:O, s:b, s:I, s:n}", "href",
							     arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, kind, id),
							     "title", json_object_get(x, "title"), "article", 1, "id", id,
							     "reference"));
	}
	json_decref(body);
	model_done(&m);
	buf_free(&q);
	json_t *found = view_records(p, e, ids), *id;
	size_t n = 0, k;
	json_array_foreach(ids, i, id) /* inquiries first, as the search ranked them */
		json_array_foreach(found, k, x)
			if (json_equal(json_object_get(x, "id"), id))
				json_array_insert_new(out, n++, alike_inquiry(p, e, x));
	json_decref(found);
done:
	json_decref(ids);
	json_decref(seen);
	return out;
}

/* The canned answers to choose from, each with its text as the requester
 * will read it (their language, else English; their name and the
 * reference filled in), which the script previews in the message box. */
static json_t *canned_options(page *p, json_t *inquiry)
{
	json_t *opts = json_array();
	const entity *e = registry_find(&p->r->app->reg, "canned-answers");
	const char *lang = text_of(inquiry, "language") ? text_of(inquiry, "language") : "en";
	list_params lp = { .limit = 200 };
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_list(&m, e, &lp) == 0) {
		json_t *body = view_body(&m), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			const char *title_lang, *text = text_of(json_object_get(x, "body"), lang);
			if (!text)
				text = text_of(json_object_get(x, "body"), "en");
			json_array_append_new(opts, json_pack("{s:s?, s:s, s:s}", "value", text_of(x, "code"), "label",
							      view_title(p, e, x, &title_lang), "text",
							      canned_fill(&m, text ? text : "", text_of(inquiry, "requester_name"),
									  text_of(inquiry, "reference"))));
		}
		json_decref(body);
	}
	model_done(&m);
	return opts;
}

/* ---- why it went where it went ----------------------------------------------------------- */

/* Appends msgid in the reader's language, its {1}, {2}, {3} replaced by
 * values, after a "; " when out has something already. */
static void say(const page *p, buf *out, const char *msgid, const char *const *values, int n)
{
	if (out->len)
		buf_puts(out, "; ");
	i18n_fill(out, page_tr(p, msgid), values, n);
}

/* The routing's facts (routing.c) said in the reader's language: every
 * value that has a label (a channel, a type, a language, a division) by it. */
static const char *routing_text(page *p, json_t *rec, const char **lang)
{
	json_t *facts = json_loads(text_of(rec, "routing") ? text_of(rec, "routing") : "", 0, NULL), *kept;
	const entity *rules = registry_find(&p->r->app->reg, "routing-rules");
	*lang = NULL;
	if (!json_is_object(facts)) { /* routed before the facts were kept: read back from the sentence */
		json_decref(facts);
		facts = routing_facts_from(text_of(rec, "routed_by"));
	}
	if (!json_is_object(facts) || !rules) { /* a sentence routing never wrote: as stored */
		json_decref(facts);
		*lang = "en";
		return text_of(rec, "routed_by") ? text_of(rec, "routed_by") : "";
	}
	buf b = BUF_INIT;
	if (json_is_true(json_object_get(facts, "none")))
		say(p, &b, N_("no rule matched: the front office"), NULL, 0);
	else
		say(p, &b, N_("rule {1} “{2}”"),
		    (const char *[]){ arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT,
						   json_integer_value(json_object_get(facts, "rule"))),
				      text_of(facts, "name") }, 2);
	static const struct {
		const char *fact, *field, *msgid;
	} parts[] = {
		{ "channel", "channel", N_("the channel is {1}") },
		{ "organization_type", "organization_type", N_("the requester's organization is of type {1}") },
		{ "word", NULL, N_("the text has “{1}”") },
		{ "topic", NULL, N_("the topic is {1}") },
		{ "language", "language", N_("the language is {1}") },
	};
	for (size_t i = 0; i < COUNT(parts); i++) {
		const char *v = text_of(facts, parts[i].fact);
		if (v)
			say(p, &b, parts[i].msgid,
			    (const char *[]){ parts[i].field ? view_enum_label(p, entity_field(rules, parts[i].field), v) : v }, 1);
	}
	if ((kept = json_object_get(facts, "kept"))) {
		const char *division = text_of(kept, "division"), *cls = text_of(kept, "classification");
		say(p, &b, N_("kept in {1}: the inquiry is {2}, and its creator could not read it in {3}"),
		    (const char *[]){ division ? view_enum_label(p, &registry_division, division) : page_tr(p, N_("no division")),
				      cls ? view_classification(p, cls) : "",
				      view_enum_label(p, &registry_division, text_of(kept, "instead_of")) }, 3);
	}
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	json_decref(facts);
	return out;
}

/* ---- triage: division, owner, priority and topic in one form ------------------------------ */

static const char *const triage_fields[] = { "division", "owner", "priority", "topic", NULL };

/* The triage panel, for those who may change the inquiry; m's errors beside
 * its fields and conflict set when it comes back refused. */
static void triage_view(page *p, const entity *e, json_t *rec, const model_ctx *m, int conflict)
{
	if (!access_kind(page_user(p), e, OP_UPDATE) || json_is_true(json_object_get(rec, "archived")))
		return;
	json_t *t = json_pack("{s:o, s:O, s:s, s:b}", "fields", records_form_fields(p, e, rec, m, triage_fields),
			      "version", json_object_get(rec, "version"), "action",
			      arena_printf(&p->r->a, "%s/triage", view_href(p, e, rec)), "conflict", conflict);
	json_object_set_new(p->ctx, "triage", t);
	if (m && m->nerrors)
		json_object_set_new(p->ctx, "triage_invalid", json_true());
}

static void inquiry_render(page *p, json_t *rec, int status, const model_ctx *triage, int conflict)
{
	const entity *e = registry_find(&p->r->app->reg, "inquiries");
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	char *href = view_href(p, e, rec);
	triage_view(p, e, rec, triage, conflict);
	json_object_set_new(p->ctx, "thread", thread_rows(p, id));
	json_object_set_new(p->ctx, "look_alikes", look_alikes(p, rec));
	json_object_set_new(p->ctx, "canned", canned_options(p, rec));
	int lang = i18n_lang(text_of(rec, "language") ? text_of(rec, "language") : "en");
	json_object_set_new(p->ctx, "requester_lang", json_string(page_tr(p, registry_lang_labels[lang < 0 ? 0 : lang])));
	json_t *articles = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(p->ctx, "look_alikes"), i, x)
		if (json_is_true(json_object_get(x, "article")))
			json_array_append_new(articles, json_pack("{s:O, s:O}", "value", json_object_get(x, "id"), "label",
								  json_object_get(x, "title")));
	json_object_set_new(p->ctx, "articles", articles);
	const char *routing_lang, *routing = routing_text(p, rec, &routing_lang);
	json_object_set_new(p->ctx, "routed_by", json_string(routing));
	if (routing_lang && strcmp(routing_lang, registry_langs[p->lang]) != 0)
		json_object_set_new(p->ctx, "routed_by_lang", json_string(routing_lang));
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
		inquiry_render(&p, rec, 200, NULL, 0);
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
			inquiry_render(p, rec, 422, NULL, 0);
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

/* The move triage makes in the same write: a new inquiry becomes triaged;
 * "Assign to me" makes a new or triaged one assigned.  NULL: the status stays. */
static const char *triage_move(const char *status, int assign)
{
	if (!status || (strcmp(status, "new") && strcmp(status, "triaged")))
		return NULL;
	return assign ? "assigned" : !strcmp(status, "new") ? "triaged" : NULL;
}

/* The triage panel's form: its fields in one update, through the workflow,
 * with the version the reader saw (a newer one is a conflict, nothing saved). */
static void inquiry_triage_page_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const entity *e = records_writable(p, "inquiries", OP_UPDATE);
	json_t *rec = e ? records_load(p, e, r->params[0]) : NULL;
	if (!rec)
		return;
	const char *version = page_field(p, "version");
	int64_t if_match = version ? model_parse_id(version) : 0;
	int assign = page_field(p, "assign") != NULL;
	json_t *patch = records_form_patch(p, m, e, triage_fields);
	if (assign)
		json_object_set_new(patch, "owner", json_integer(page_user(p)->id));
	const char *to = triage_move(text_of(rec, "status"), assign);
	if (to)
		json_object_set_new(patch, "status", json_string(to));
	if (if_match <= 0) {
		page_error(p, 400, NULL);
	} else if (!m->nerrors && model_update(m, e, r->params[0], if_match, patch) == 0) {
		page_redirect(p, arena_printf(&r->a, "%s?saved=1", view_href(p, e, rec)));
	} else if (m->nerrors || m->status == 412) {
		/* what they chose stays in the form; the rest of the page is the record as it is now */
		inquiry_render(p, rec, m->nerrors ? 422 : 409, m, m->status == 412 && !m->nerrors);
	} else {
		page_model_error(p, m);
	}
	json_decref(patch);
	json_decref(rec);
}

void inquiry_triage_page(request *r) { page_run(r, PAGE_SIGNED_IN, inquiry_triage_page_body); }

/* ---- the public side ---------------------------------------------------------------------- */

const char *inquiries_org_name(const page *p)
{
	const desk_config *d = desk();
	for (int l = -1; l < NLANGS; l++) /* the page's language, or another the settings give */
		if (*d->org_name[l < 0 ? p->lang : l])
			return d->org_name[l < 0 ? p->lang : l];
	return page_tr(p, N_("Department of International Cooperation and Partnerships"));
}

/* What every public page says: whose it is, and what becomes of what is sent (templates/privacy.html). */
static void public_view(page *p)
{
	json_object_set_new(p->ctx, "org_name", json_string(inquiries_org_name(p)));
	const char *addr = desk()->from_addr;
	if (*addr) {
		json_object_set_new(p->ctx, "privacy_contact", json_string(addr));
		json_object_set_new(p->ctx, "privacy_mailto", json_string(arena_printf(&p->r->a, "mailto:%s", addr)));
	}
}

/* The form's fields, with the names the inquiry's own fields go by. */
static const char *const ask_fields[][3] = {
	{ "name", "requester_name", N_("Your name") },
	{ "email", "requester_email", N_("Your e-mail address") },
	{ "subject", "subject", N_("Subject") },
	{ "message", "body", N_("Your question") },
};

static void ask_render(page *p, int status, model_ctx *m)
{
	public_view(p);
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

/* Whether the address sent too much already (the public form and the
 * requesters' answers share one limit); then answered with 429. */
static int over_limit(page *p)
{
	unsigned wait;
	if (inquiries_intake_allowed(p->r, &wait))
		return 0;
	http_header_add(p->r, "Retry-After", arena_printf(&p->r->a, "%u", wait));
	page_error(p, 429, NULL);
	return 1;
}

void ask_submit(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE)) {
		page_end(&p);
		return;
	}
	const char *trap = page_field(&p, "website");
	if (!over_limit(&p)) {
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
			public_view(&p);
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

/* The tracking page: the inquiry as its requester sees it, with their
 * answer's form; error (or NULL) beside that form, which keeps what they wrote. */
static void track_render(page *p, model_ctx *m, const char *token, int status, const char *error)
{
	request *r = p->r;
	buf out = BUF_INIT;
	store_conn *c = store_reader(r->app->st);
	if (!c || inquiries_public_view(m, c, r->params[0], token, &out)) {
		page_error(p, 404, NULL);
		buf_free(&out);
		return;
	}
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
	json_object_set_new(p->ctx, "answer_action", json_string(arena_printf(&r->a, "/track/%s", text_of(view, "reference"))));
	json_object_set_new(p->ctx, "token", json_string(token ? token : ""));
	const char *said = page_field(p, "message");
	json_object_set_new(p->ctx, "message", json_string(error && said ? said : ""));
	if (error)
		json_object_set_new(p->ctx, "error_message", json_string(error));
	if (page_query(p, "sent"))
		json_object_set_new(p->ctx, "notice", json_string(page_tr(p, N_("Your message has been added to your inquiry."))));
	public_view(p);
	json_decref(view);
	buf_free(&out);
	page_render(p, status, "track", page_tr(p, N_("Your inquiry")));
}

static void track_page_body(page *p, model_ctx *m) { track_render(p, m, page_query(p, "token"), 200, NULL); }

void track_page(request *r) { page_run(r, PAGE_ANYONE, track_page_body); }

/* The requester's answer: rate-limited with the form's submissions, the
 * token of the tracking link as proof of who writes, the same trap for robots. */
void track_answer(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE)) {
		page_end(&p);
		return;
	}
	const char *token = page_field(&p, "token"), *trap = page_field(&p, "website"), *text = page_field(&p, "message");
	char *back = arena_printf(&r->a, "/track/%s?token=%s&sent=1", r->params[0], token ? token : "");
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, &intake_user);
	if (over_limit(&p)) {
		/* answered */
	} else if (trap && *trap) { /* a robot: the same answer, nothing kept */
		page_redirect(&p, back);
	} else if (inquiries_requester_answer(&m, r->params[0], token, text ? page_trim(&p, text) : NULL) == 0) {
		page_redirect(&p, back);
	} else if (m.status == 422) {
		const char *why = m.nerrors ? m.errors[0].message : "";
		model_ctx reader;
		model_init(&reader, r->app->st, &r->app->reg, page_user(&p));
		track_render(&p, &reader, token, 422,
			     page_tr(&p, !strncmp(why, "is required", 11)    ? N_("This field is required.")
					 : !strncmp(why, "is longer than", 14) ? N_("This is too long.")
									       : N_("This value is not valid.")));
		model_done(&reader);
	} else {
		page_model_error(&p, &m);
	}
	model_done(&m);
	page_end(&p);
}

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
