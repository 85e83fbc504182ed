/*
 * briefings — a visiting delegation's briefing: its page and the month's
 * briefings on a calendar.  The briefing pack is in pack.c, the invitation
 * in invitations.c.
 *
 *   GET /briefings/{id}      GET /briefings/calendar?month=YYYY-MM
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domains/inquiries/inquiries.h"
#include "domains/partners/partners.h"
#include "web/web.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

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
