/*
 * calendarlinks — a user's secret calendar links over the API (see
 * model/calendarfeeds.h):
 *
 *   GET  /api/v1/users/{id}/calendar-links    {"user": {"created_at"} | null,
 *                                              "division": {"division", "created_at"} | null}
 *   POST /api/v1/users/{id}/calendar-links    {"for": "user" | "division"} → 201, the new link
 *
 * Like a password or a token, a user's links are theirs and admins'
 * to manage.  The link is in the answer of the POST only: afterwards only
 * its hash exists.
 */
#include <string.h>

#include "http/http.h"
#include "model/calendarfeeds.h"

/* The owner named by the path, loaded whole (their division): 0, or answered. */
static int owner(request *r, account *out)
{
	account target;
	if (auth_path_user(r, &target))
		return -1;
	if (accounts_by_id(r->app->st, target.u.id, out)) {
		http_problem(r, 404, "Not found", "there is no user '%s'", r->params[0]);
		return -1;
	}
	return 0;
}

static void link_json(buf *b, const calendar_feed *f, int found)
{
	if (found != 1) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '{');
	if (f->owner == FEED_DIVISION) {
		buf_puts(b, "\"division\":");
		buf_json_cstr(b, f->division);
		buf_putc(b, ',');
	}
	buf_puts(b, "\"created_at\":");
	buf_json_cstr(b, f->created_at);
	buf_putc(b, '}');
}

void calendar_links_get(request *r)
{
	account a;
	calendar_feed f;
	if (owner(r, &a))
		return;
	int mine = calendar_feed_get(r->app->st, &a, FEED_USER, &f);
	buf b = BUF_INIT;
	buf_puts(&b, "{\"user\":");
	link_json(&b, &f, mine);
	int division = calendar_feed_get(r->app->st, &a, FEED_DIVISION, &f);
	buf_puts(&b, ",\"division\":");
	link_json(&b, &f, division);
	buf_putc(&b, '}');
	if (mine < 0 || division < 0)
		http_problem(r, 503, "Store unavailable", "the database cannot be read");
	else
		http_json(r, 200, &b);
	buf_free(&b);
}

void calendar_links_renew(request *r)
{
	account a;
	if (http_json_body(r) || owner(r, &a))
		return;
	const char *which = json_string_value(json_object_get(r->json, "for"));
	feed_owner kind = which && !strcmp(which, "division") ? FEED_DIVISION : FEED_USER;
	const char *bad = !which || (strcmp(which, "user") && strcmp(which, "division")) ? "must be \"user\" or \"division\""
			  : kind == FEED_DIVISION && !a.division[0] ? "is \"division\", but the user belongs to no division"
								  : NULL;
	if (bad) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, r->u);
		model_field_error(&m, "for", "%s", bad);
		model_fail(&m, 422, "Invalid link", "send {\"for\": \"user\"} or {\"for\": \"division\"}");
		http_model(r, &m);
		model_done(&m);
		return;
	}
	char secret[65], err[160] = "the link could not be read back";
	calendar_feed f;
	if (calendar_feed_renew(r->app->st, r->u, &a, kind, secret, err, sizeof err) ||
	    calendar_feed_get(r->app->st, &a, kind, &f) != 1) {
		http_problem(r, 503, "Link not made", "%s", err);
		return;
	}
	char *url = arena_printf(&r->a, CALENDAR_FEED_PATH, secret);
	buf b = BUF_INIT;
	buf_printf(&b, "{\"for\":\"%s\",\"url\":", which);
	buf_json_cstr(&b, url);
	buf_puts(&b, ",\"link\":");
	link_json(&b, &f, 1);
	buf_puts(&b, ",\"note\":\"shown once; only its hash is kept; the link before it no longer works\"}");
	http_header_add(r, "Location", url);
	http_json(r, 201, &b);
	buf_free(&b);
}
