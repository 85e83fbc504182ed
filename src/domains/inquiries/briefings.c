/*
 * briefings — a visiting delegation's briefing: its page, and the briefing
 * pack — what Liaison knows about the requesting organization and its
 * country (membership and since when, key relationships, recent
 * interactions, open inquiries) — as a page and as a PDF, in the visitors'
 * language.  The invitation is in invitations.c.
 *
 *   GET /briefings/{id}      GET /briefings/{id}/pack      GET /briefings/{id}/pack.pdf
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domains/inquiries/inquiries.h"
#include "domains/partners/partners.h"
#include "formats/pdf.h"
#include "model/timeline.h"
#include "web/web.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

/* The briefing as the API writes it, readable by m's user; NULL with m's error. */
static json_t *briefing(model_ctx *m, const char *id)
{
	if (model_get(m, registry_find(m->reg, "briefings"), id))
		return NULL;
	json_t *b = json_loadb(m->body.data, m->body.len, 0, NULL);
	buf_reset(&m->body);
	m->status = 0;
	return b;
}

static json_t *record_of(model_ctx *m, const char *kind, json_t *id)
{
	if (!json_is_integer(id) && !json_is_string(id))
		return NULL;
	char *key = json_is_integer(id) ? arena_printf(&m->a, "%" JSON_INTEGER_FORMAT, json_integer_value(id))
				       : arena_strdup(&m->a, json_string_value(id));
	if (model_get(m, registry_find(m->reg, kind), key)) {
		m->status = 0;
		return NULL;
	}
	json_t *r = json_loadb(m->body.data, m->body.len, 0, NULL);
	buf_reset(&m->body);
	return r;
}

/* ---- the pack --------------------------------------------------------------------------- */

/* The items of the list in m's answer as [{when, what}]: a date in the
 * page's language and a line of text. */
static json_t *dated(page *p, model_ctx *m, const char *date_field, const char *text_field)
{
	json_t *list = json_array(), *body = view_body(m), *x;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x) {
		buf d = BUF_INIT;
		page_date(p, text_of(x, date_field), &d);
		json_array_append_new(list, json_pack("{s:s, s:s?}", "when", buf_str(&d), "what", text_of(x, text_field)));
		buf_free(&d);
	}
	json_decref(body);
	buf_reset(&m->body);
	m->status = 0;
	return list;
}

/* The events of a timeline's page in m's body (model/timeline.h), as
 * dated lines. */
static json_t *events(page *p, model_ctx *m)
{
	json_t *list = json_array(), *body = view_body(m), *x;
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x) {
		const entity *k = registry_find(&p->r->app->reg, text_of(x, "kind"));
		const char *lang;
		buf d = BUF_INIT;
		page_date(p, text_of(x, "date"), &d);
		json_array_append_new(list, json_pack("{s:s, s:s?}", "when", buf_str(&d), "what",
						      k ? view_title(p, k, json_object_get(x, "record"), &lang) : NULL));
		buf_free(&d);
	}
	json_decref(body);
	buf_reset(&m->body);
	m->status = 0;
	return list;
}

/* The open follow-ups of the interactions with an organization. */
static json_t *open_follow_ups(page *p, model_ctx *m, json_int_t org)
{
	store_cond *link = arena_alloc(&m->a, 3 * sizeof *link);
	link[0] = COND_EQ("kind", sv_text("interactions"));
	link[1] = COND_EQ("target_kind", sv_text("organizations"));
	link[2] = COND_EQ("target_id", SV_INT_(org));
	store_cond w[] = { { .col = "interaction", .op = OP_IN_SELECT, .sub = link, .nsub = 3, .sub_table = "links",
			     .sub_col = "record_id" },
			   COND_EQ("status", sv_text("open")) };
	list_params lp = { .sort = "due_date", .limit = 20, .extra = w, .nextra = 2 };
	buf_reset(&m->body);
	m->status = 0;
	if (model_list(m, registry_find(m->reg, "follow-ups"), &lp) == 0)
		return dated(p, m, "due_date", "task");
	buf_reset(&m->body);
	m->status = 0;
	return json_array();
}

/* The visitors the reader may see, as {rows: [{name, position, organization}]},
 * or NULL when there is none (the section is left out). */
static json_t *visitors(page *p, model_ctx *m, json_t *b)
{
	const entity *pe = registry_find(&p->r->app->reg, "persons");
	json_t *list = json_array(), *v;
	size_t i;
	json_array_foreach(json_object_get(b, "visitors"), i, v) {
		json_t *person = record_of(m, "persons", json_object_get(v, "id"));
		if (!person)
			continue;
		const char *lang;
		json_t *org = view_ref(p, "organizations", json_object_get(person, "organization"));
		json_array_append_new(list, json_pack("{s:s, s:s?, s:O?}", "name", view_title(p, pe, person, &lang),
						      "position", text_of(person, "position"),
						      "organization", json_object_get(org, "text")));
		json_decref(org);
		json_decref(person);
	}
	if (!json_array_size(list)) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:o}", "rows", list);
}

/* What the pack says, as JSON for the page template and the PDF alike:
 * {briefing_title, delegation, visitors: {rows: [{name, position, organization}]},
 *  organization: {name, facts}, country: {name, facts}, relationships:
 *  [{label, other}], interactions and follow_ups: [{when, what}],
 *  inquiries: [{reference, subject}]} */
static json_t *pack(page *p, json_t *b)
{
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	json_t *out = json_pack("{s:s?, s:s?}", "briefing_title", text_of(b, "title"), "delegation", text_of(b, "delegation"));
	json_t *who = visitors(p, &m, b);
	if (who)
		json_object_set_new(out, "visitors", who);
	json_t *org = record_of(&m, "organizations", json_object_get(b, "organization"));
	if (org) {
		const char *lang;
		const entity *oe = registry_find(&p->r->app->reg, "organizations");
		json_object_set_new(out, "organization", json_pack("{s:s, s:o}", "name", view_title(p, oe, org, &lang),
								   "facts", view_facts(p, oe, org)));
		json_t *country = record_of(&m, "countries", json_object_get(org, "country"));
		if (country) {
			const entity *ce = registry_find(&p->r->app->reg, "countries");
			json_object_set_new(out, "country", json_pack("{s:s, s:o}", "name", view_title(p, ce, country, &lang),
								      "facts", view_facts(p, ce, country)));
			json_decref(country);
		}
		char *id = arena_printf(&p->r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(org, "id")));
		json_t *rels = partners_relationships(&m, "organizations", id, NULL, 10), *x, *list = json_array();
		size_t i;
		json_array_foreach(json_object_get(rels, "items"), i, x) {
			json_t *other = json_object_get(x, "other");
			json_t *ref = view_ref(p, text_of(other, "kind"), json_object_get(other, "id"));
			json_array_append_new(list, json_pack("{s:s?, s:O}", "label", view_langtext(p, json_object_get(x, "label"), &lang),
							      "other", json_object_get(ref, "text")));
			json_decref(ref);
		}
		json_decref(rels);
		json_object_set_new(out, "relationships", list);
		buf_reset(&m.body);
		m.status = 0;
		list = model_timeline(&m, registry_find(&p->r->app->reg, "organizations"), id, NULL, 5) == 0 ? events(p, &m)
													: json_array();
		json_object_set_new(out, "interactions", list);
		buf_reset(&m.body);
		m.status = 0;
		list = json_array();
		store_cond w[] = { COND_EQ("requester_organization", SV_INT_(json_integer_value(json_object_get(org, "id")))),
				   COND("status", OP_NE, sv_text("closed")) };
		list_params lp = { .limit = 20, .extra = w, .nextra = 2 };
		if (model_list(&m, registry_find(&p->r->app->reg, "inquiries"), &lp) == 0) {
			json_t *iq = view_body(&m);
			json_array_foreach(json_object_get(iq, "items"), i, x)
				json_array_append_new(list, json_pack("{s:s?, s:s?}", "reference", text_of(x, "reference"),
								      "subject", text_of(x, "subject")));
			json_decref(iq);
		}
		json_object_set_new(out, "inquiries", list);
		json_object_set_new(out, "follow_ups", open_follow_ups(p, &m, json_integer_value(json_object_get(org, "id"))));
		json_decref(org);
	}
	model_done(&m);
	return out;
}

/* The page speaks the visitors' language, whatever the reader's. */
static json_t *open_pack(page *p, request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(p));
	json_t *b = briefing(&m, r->params[0]);
	if (!b) {
		page_model_error(p, &m);
		model_done(&m);
		return NULL;
	}
	model_done(&m);
	int lang = i18n_lang(text_of(b, "language"));
	if (lang >= 0) {
		p->lang = lang;
		p->me.language = registry_langs[lang];
	}
	json_t *out = pack(p, b);
	json_object_set_new(out, "id", json_copy(json_object_get(b, "id")));
	json_decref(b);
	return out;
}

void briefing_pack_page(request *r)
{
	page p;
	json_t *pk = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (pk = open_pack(&p, r))) {
		json_object_update(p.ctx, pk);
		page_render(&p, 200, "pack", page_tr(&p, N_("Briefing pack")));
	}
	json_decref(pk);
	page_end(&p);
}

static void pdf_facts(pdf_doc *d, json_t *facts)
{
	size_t i;
	json_t *f;
	json_array_foreach(facts, i, f) {
		const char *v = text_of(f, "text");
		if (v)
			pdf_fact(d, text_of(f, "label"), v);
	}
}

void briefing_pack_pdf(request *r)
{
	page p;
	json_t *pk = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(pk = open_pack(&p, r))) {
		json_decref(pk);
		page_end(&p);
		return;
	}
	const char *title = text_of(pk, "briefing_title") ? text_of(pk, "briefing_title") : "";
	pdf_doc *d = pdf_new(title, registry_langs[p.lang]);
	if (!d) {
		page_error(&p, 500, NULL);
		json_decref(pk);
		page_end(&p);
		return;
	}
	pdf_heading(d, 1, page_tr(&p, N_("Briefing pack")));
	pdf_paragraph(d, title);
	if (text_of(pk, "delegation"))
		pdf_paragraph(d, text_of(pk, "delegation"));
	json_t *org = json_object_get(pk, "organization"), *country = json_object_get(pk, "country"), *x;
	size_t i;
	json_t *who = json_object_get(json_object_get(pk, "visitors"), "rows");
	if (who) {
		pdf_heading(d, 2, page_tr(&p, N_("Visitors")));
		const char *head[] = { page_tr(&p, N_("Name")), page_tr(&p, N_("Position")), page_tr(&p, N_("Organization")) };
		pdf_row(d, 1, head, 3);
		json_array_foreach(who, i, x) {
			const char *cells[] = { text_of(x, "name"), text_of(x, "position"), text_of(x, "organization") };
			pdf_row(d, 0, cells, 3);
		}
	}
	if (org) {
		pdf_heading(d, 2, text_of(org, "name"));
		pdf_facts(d, json_object_get(org, "facts"));
	}
	if (country) {
		pdf_heading(d, 2, text_of(country, "name"));
		pdf_facts(d, json_object_get(country, "facts"));
	}
	pdf_heading(d, 2, page_tr(&p, N_("Relationships")));
	json_array_foreach(json_object_get(pk, "relationships"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s %s", text_of(x, "label") ? text_of(x, "label") : "", text_of(x, "other") ? text_of(x, "other") : ""));
	pdf_heading(d, 2, page_tr(&p, N_("Recent interactions")));
	json_array_foreach(json_object_get(pk, "interactions"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s — %s", text_of(x, "when"), text_of(x, "what") ? text_of(x, "what") : ""));
	pdf_heading(d, 2, page_tr(&p, N_("Open follow-ups")));
	json_array_foreach(json_object_get(pk, "follow_ups"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s — %s", text_of(x, "when"), text_of(x, "what") ? text_of(x, "what") : ""));
	pdf_heading(d, 2, page_tr(&p, N_("Open inquiries")));
	json_array_foreach(json_object_get(pk, "inquiries"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s — %s", text_of(x, "reference"), text_of(x, "subject") ? text_of(x, "subject") : ""));
	buf out = BUF_INIT;
	char err[200];
	if (pdf_finish(d, &out, err, sizeof err)) {
		page_error(&p, 500, NULL);
	} else {
		http_text(r, 200, "application/pdf", out.data, out.len);
		http_header_add(r, "Content-Disposition", "attachment; filename=\"briefing-pack.pdf\"");
	}
	buf_free(&out);
	json_decref(pk);
	page_end(&p);
}

void briefing_page_render(page *p)
{
	request *r = p->r;
	const entity *e = registry_find(&r->app->reg, "briefings");
	json_t *rec = records_load(p, e, r->params[0]);
	if (!rec)
		return;
	json_int_t id = json_integer_value(json_object_get(rec, "id"));
	json_object_set_new(p->ctx, "pack_href", json_string(arena_printf(&r->a, "/briefings/%" JSON_INTEGER_FORMAT "/pack", id)));
	json_object_set_new(p->ctx, "pdf_href", json_string(arena_printf(&r->a, "/briefings/%" JSON_INTEGER_FORMAT "/pack.pdf", id)));
	if (text_of(rec, "starts_at"))
		briefing_invitation_actions(p, rec);
	records_detail_render(p, e, rec, "briefing");
	json_decref(rec);
}

void briefing_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0)
		briefing_page_render(&p);
	page_end(&p);
}

/* ---- the calendar ------------------------------------------------------------------------ */

typedef struct month {
	int year, month;
} month;

static month this_or_asked(const char *s)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	month m = { tm.tm_year + 1900, tm.tm_mon + 1 };
	int y, mo;
	char tail;
	if (s && sscanf(s, "%4d-%2d%c", &y, &mo, &tail) == 2 && y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12)
		m = (month){ y, mo };
	return m;
}

static month shift(month m, int by)
{
	int i = m.year * 12 + (m.month - 1) + by;
	return (month){ i / 12, i % 12 + 1 };
}

/* Days since 1970-01-01 of the first of the month; its weekday (0 Monday). */
static int64_t first_day(month m, int *weekday)
{
	int64_t y = m.year, mo = m.month;
	y -= mo <= 2;
	int64_t era = y / 400, yoe = y - era * 400, doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5;
	int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	*weekday = (int)((days + 3) % 7); /* 1970-01-01 was a Thursday */
	return days;
}

static int month_days(month m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (m.year % 4 == 0 && m.year % 100 != 0) || m.year % 400 == 0;
	return m.month == 2 && leap ? 29 : days[m.month - 1];
}

/* The briefings of the month as rows of seven days, Monday first. */
static void briefings_calendar_body(page *p, model_ctx *m)
{
	request *r = p->r;
	month mo = this_or_asked(page_query(p, "month")), next = shift(mo, 1), prev = shift(mo, -1);
	char *from = arena_printf(&r->a, "%04d-%02d-01T00:00:00Z", mo.year, mo.month);
	char *to = arena_printf(&r->a, "%04d-%02d-01T00:00:00Z", next.year, next.month);
	store_cond w[] = { COND("starts_at", OP_GE, sv_text(from)), COND("starts_at", OP_LT, sv_text(to)) };
	list_params lp = { .sort = "starts_at", .limit = 500, .extra = w, .nextra = 2 };
	const entity *e = registry_find(&r->app->reg, "briefings");
	if (model_list(m, e, &lp)) {
		page_model_error(p, m);
		return;
	}
	json_t *body = view_body(m), *days[31] = { 0 }, *x;
	int n = month_days(mo), wd;
	for (int d = 0; d < n; d++)
		days[d] = json_array();
	size_t i;
	json_array_foreach(json_object_get(body, "items"), i, x) {
		const char *at = text_of(x, "starts_at"), *lang;
		int day = at ? atoi(at + 8) : 0;
		if (day >= 1 && day <= n)
			json_array_append_new(days[day - 1], json_pack("{s:s, s:s, s:s}", "href", view_href(p, e, x), "title",
								       view_title(p, e, x, &lang), "time",
								       arena_printf(&r->a, "%.5s", at + 11)));
	}
	json_decref(body);
	first_day(mo, &wd);
	json_t *weeks = json_array(), *week = NULL;
	for (int cell = 0; cell < (wd + n + 6) / 7 * 7; cell++) { /* whole weeks */
		if (cell % 7 == 0)
			json_array_append_new(weeks, week = json_pack("{s:[]}", "days"));
		json_t *days_of_week = json_object_get(week, "days");
		int day = cell - wd + 1;
		json_array_append_new(days_of_week, day < 1 || day > n ? json_pack("{s:b}", "blank", 1)
							     : json_pack("{s:i, s:o}", "day", day, "briefings", days[day - 1]));
	}
	json_t *heads = json_array();
	for (int d = 0; d < 7; d++)
		json_array_append_new(heads, json_string(i18n_weekday(p->lang, d)));
	json_object_set_new(p->ctx, "weeks", weeks);
	json_object_set_new(p->ctx, "weekdays", heads);
	json_object_set_new(p->ctx, "month_name", json_string(arena_printf(&r->a, "%s %d", i18n_month(p->lang, mo.month), mo.year)));
	json_object_set_new(p->ctx, "prev_href", json_string(arena_printf(&r->a, "/briefings/calendar?month=%04d-%02d", prev.year, prev.month)));
	json_object_set_new(p->ctx, "next_href", json_string(arena_printf(&r->a, "/briefings/calendar?month=%04d-%02d", next.year, next.month)));
	page_render(p, 200, "calendar", page_tr(p, N_("Briefings calendar")));
}

void briefings_calendar(request *r) { page_run(r, PAGE_SIGNED_IN, briefings_calendar_body); }
