/*
 * feeds — briefings in the calendars people subscribe to, by the secret
 * links of model/calendarfeeds.h:
 *
 *   GET /api/v1/calendar/{secret}.ics   no other credentials
 *
 * A user's link serves the briefings they take part in (among the staff)
 * or arranged (created); a division's link the briefings of that division.
 * Either way only those the owner of the link may read: the list is asked
 * of the model as that reader, so the access rules decide, as they do for
 * every list.  A division's reader is a viewer of the division who holds
 * no grant: a confidential briefing never reaches a division's calendar,
 * since not everyone in the division may read it.
 *
 * The calendar is METHOD:PUBLISH, the events without attendees (see
 * ical_write_feed); a cancelled briefing stays, marked cancelled, and an
 * archived one leaves it.  Briefings from a year back onward are served.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "model/calendarfeeds.h"
#include "model/i18n.h"

#define FEED_PAST_DAYS 366
#define FEED_MAX_EVENTS 2000
#define FEED_PAGE 500

/* The conditions of a user's calendar: among the staff, or the creator. */
static store_cond taking_part(model_ctx *m, int64_t uid)
{
	store_cond *link = arena_alloc(&m->a, 4 * sizeof *link), *either = arena_alloc(&m->a, 2 * sizeof *either);
	link[0] = COND_EQ("kind", sv_text("briefings"));
	link[1] = COND_EQ("field", sv_text("staff"));
	link[2] = COND_EQ("target_kind", sv_text("users"));
	link[3] = COND_EQ("target_id", SV_INT_(uid));
	either[0] = (store_cond){ .col = "id", .op = OP_IN_SELECT, .sub = link, .nsub = 4, .sub_table = "links",
				  .sub_col = "record_id" };
	either[1] = COND_EQ("created_by", SV_INT_(uid));
	return (store_cond){ .op = OP_ANY, .sub = either, .nsub = 2 };
}

/* Every page of the list into items, up to FEED_MAX_EVENTS; 0, or -1 with
 * m's error.  A reader who may not read briefings at all has none. */
static int collect(model_ctx *m, const store_cond *where, int nwhere, json_t *items)
{
	const entity *e = registry_find(m->reg, "briefings");
	char *cursor = NULL;
	do {
		list_params lp = { .sort = "starts_at", .limit = FEED_PAGE, .cursor = cursor, .extra = where, .nextra = nwhere };
		buf_reset(&m->body);
		if (model_list(m, e, &lp) && m->status != 403)
			return -1;
		if (m->status == 403) {
			m->status = 0;
			return 0;
		}
		json_t *page = json_loadb(m->body.data, m->body.len, 0, NULL);
		json_array_extend(items, json_object_get(page, "items"));
		const char *next = json_string_value(json_object_get(page, "next_cursor"));
		cursor = next ? arena_strdup(&m->a, next) : NULL;
		json_decref(page);
	} while (cursor && json_array_size(items) < FEED_MAX_EVENTS);
	return 0;
}

/* The feed of link f as its owner reads it, into out; 0, or -1 with the
 * status to answer. */
static int write_feed(store *st, const registry *reg, const calendar_feed *f, buf *out, int *status)
{
	account acct;
	if (calendar_feed_reader(st, f, &acct)) {
		*status = 404;   /* the user was archived: their link ends with them */
		return -1;
	}
	const user *reader = &acct.u;
	model_ctx m;
	model_init(&m, st, reg, reader);
	char since[32];
	clock_iso(time(NULL) - FEED_PAST_DAYS * 86400, since);
	store_cond where[] = { f->owner == FEED_USER ? taking_part(&m, f->user_id) : COND_EQ("division", sv_text(f->division)),
			       COND("starts_at", OP_GE, sv_text(since)) };
	json_t *items = json_array();
	int rc = collect(&m, where, 2, items);
	if (rc == 0) {
		size_t n = 0, i;
		json_t *item;
		ical_event *evs = arena_alloc(&m.a, (json_array_size(items) + 1) * sizeof *evs);
		json_array_foreach(items, i, item)
			n += briefing_event(&m, item, &evs[n]) == 0;
		int lang = i18n_lang(reader->language);
		const char *name = arena_printf(&m.a, "%s — %s", i18n_text(lang < 0 ? LANG_EN : lang, N_("Briefings")), acct.name);
		ical_write_feed(evs, n, name, out);
	}
	*status = rc ? (m.status ? m.status : 500) : 200;
	json_decref(items);
	model_done(&m);
	return rc;
}

void briefings_feed(request *r)
{
	const char *file = r->params[0];
	char secret[65];
	calendar_feed f;
	int status = 404;
	if (calendar_feed_secret(file, secret) || calendar_feed_find(r->app->st, secret, &f)) {
		http_problem(r, 404, "Not found", "no calendar has this link; it may have been renewed");
		return;
	}
	buf out = BUF_INIT;
	if (write_feed(r->app->st, &r->app->reg, &f, &out, &status) == 0) {
		http_text(r, 200, "text/calendar; charset=utf-8", buf_str(&out), out.len);
		http_header_add(r, "Cache-Control", "private, no-store");   /* the link is a credential */
	} else if (status == 404) {
		http_problem(r, 404, "Not found", "no calendar has this link; it may have been renewed");
	} else {
		http_problem(r, status, "Calendar unavailable", "the calendar cannot be read now; try again");
	}
	buf_free(&out);
}
