/*
 * admin — administration in the browser: the users (the generic pages of
 * the users kind, plus passwords and API tokens here), and the audit log:
 * per record and global, with a check of its hash chain.
 */
#include <inttypes.h>
#include <string.h>

#include "model/audit.h"
#include "model/calendarfeeds.h"
#include "web/web.h"

void web_admin(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		if (r->u->role != ROLE_ADMIN)
			page_error(&p, 403, NULL);
		else
			page_render(&p, 200, "admin", page_tr(&p, N_("Administration")));
	}
	page_end(&p);
}

/* ---- a user: password and tokens ----------------------------------------------------- */

/* links[key]: when the owner's link of that kind was made, if it was. */
static void link_since(page *p, const account *a, feed_owner kind, json_t *links, const char *key)
{
	calendar_feed f;
	if (calendar_feed_get(p->r->app->st, a, kind, &f) != 1)
		return;
	buf d = BUF_INIT;
	page_date(p, f.created_at, &d);
	json_object_set_new(links, key, json_string(buf_str(&d)));
	buf_free(&d);
}

/* The user's calendar links, as the page shows them: since when each
 * exists, and whether there is a division to have one. */
static void calendar_links(page *p, int64_t user_id)
{
	account a;
	if (accounts_by_id(p->r->app->st, user_id, &a))
		return;
	json_t *links = json_object();
	link_since(p, &a, FEED_USER, links, "user_since");
	if (a.division[0]) {
		json_object_set_new(links, "division", json_string(a.division));
		link_since(p, &a, FEED_DIVISION, links, "division_since");
	}
	json_object_set_new(p->ctx, "calendar_links", links);
}

static void user_page(page *p, int status, const char *tpl)
{
	const entity *e = registry_find(&p->r->app->reg, "users");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	account target;
	int mine = auth_target_user(p->r, p->r->params[0], &target) == 0;
	if (mine)
		calendar_links(p, target.u.id);
	json_object_set_new(p->ctx, "manage", json_boolean(mine));
	json_object_set_new(p->ctx, "self", json_boolean(mine && p->r->u->role != ROLE_ADMIN));
	records_detail_render(p, e, rec, tpl);
	p->r->status = status;
	json_decref(rec);
}

void web_user(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0)
		user_page(&p, 200, "user");
	page_end(&p);
}

/* The target of a password or token form, or an error page. */
static int target(page *p, account *t)
{
	int status = auth_target_user(p->r, p->r->params[0], t);
	if (status)
		page_error(p, status, NULL);
	return status ? -1 : 0;
}

void web_user_password(request *r)
{
	page p;
	account t;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || target(&p, &t)) {
		page_end(&p);
		return;
	}
	const char *password = page_field(&p, "password"), *current = page_field(&p, "current_password");
	char err[160];
	account self;
	if (r->u->role != ROLE_ADMIN && (!current || accounts_by_password(r->app->st, t.name, current, &self))) {
		json_object_set_new(p.ctx, "password_error", json_string(page_tr(&p, N_("Your current password is wrong."))));
		user_page(&p, 403, "user");
	} else if (accounts_password_problem(password)) {
		json_object_set_new(p.ctx, "password_error", json_string(page_tr(&p, accounts_password_problem(password))));
		user_page(&p, 422, "user");
	} else if (accounts_set_password(r->app->st, r->u, t.u.id, password, err, sizeof err)) {
		page_error(&p, 503, NULL);
	} else {
		page_redirect(&p, arena_printf(&r->a, "/users/%s?saved=1", t.name));
	}
	page_end(&p);
}

void web_user_token(request *r)
{
	page p;
	account t;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || target(&p, &t)) {
		page_end(&p);
		return;
	}
	char token[128], err[160];
	if (accounts_token_create(r->app->st, t.name, token, sizeof token, err, sizeof err)) {
		page_error(&p, 503, NULL);
	} else {
		json_object_set_new(p.ctx, "token", json_string(token));
		user_page(&p, 201, "user");
	}
	page_end(&p);
}

void web_user_revoke(request *r)
{
	page p;
	account t;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || target(&p, &t)) {
		page_end(&p);
		return;
	}
	char err[160];
	if (accounts_tokens_revoke(r->app->st, r->u, t.u.id, err, sizeof err)) {
		page_error(&p, 503, NULL);
	} else {
		page_redirect(&p, arena_printf(&r->a, "/users/%s?saved=1", t.name));
	}
	page_end(&p);
}

/* A new calendar link, shown once on the page, whole: a calendar program
 * is given the address with the server's name in it. */
void web_user_calendar_link(request *r)
{
	page p;
	account t, owner;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || target(&p, &t)) {
		page_end(&p);
		return;
	}
	const char *which = page_field(&p, "for");
	feed_owner kind = which && !strcmp(which, "division") ? FEED_DIVISION : FEED_USER;
	char secret[65], err[160];
	if (accounts_by_id(r->app->st, t.u.id, &owner) || (kind == FEED_DIVISION && !owner.division[0])) {
		page_error(&p, 400, NULL);
	} else if (calendar_feed_renew(r->app->st, r->u, &owner, kind, secret, err, sizeof err)) {
		page_error(&p, 503, NULL);
	} else {
		const char *host = http_header(r, "Host");
		json_object_set_new(p.ctx, "calendar_url",
				    json_string(arena_printf(&r->a, "%s://%s" CALENDAR_FEED_PATH, r->app->secure_cookies ? "https" : "http",
							     host ? host : "localhost", secret)));
		user_page(&p, 201, "user");
	}
	page_end(&p);
}

/* ---- the audit log ------------------------------------------------------------------- */

/* "name: before → after" for each changed field, short. */
static json_t *changes(json_t *ch)
{
	json_t *out = json_array(), *v;
	const char *field;
	json_object_foreach(ch, field, v) {
		char *before = json_dumps(json_object_get(v, "before"), JSON_ENCODE_ANY | JSON_COMPACT);
		char *after = json_dumps(json_object_get(v, "after"), JSON_ENCODE_ANY | JSON_COMPACT);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "field", field, "before", before ? before : "",
						     "after", after ? after : ""));
		free(before);
		free(after);
	}
	return out;
}

static void web_audit_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const char *kind = page_query(p, "kind"), *id = page_query(p, "id"), *cursor = page_query(p, "cursor");
	const entity *e = kind && *kind ? registry_find(&r->app->reg, kind) : NULL;
	int64_t before = cursor ? model_parse_id(cursor) : 0;
	if ((kind && *kind && !e) || (id && model_parse_id(id) <= 0) || (cursor && before <= 0)) {
		page_error(p, 400, NULL);
	} else if (audit_list(m, e, id, before, 50)) {
		page_model_error(p, m);
	} else {
		json_t *body = view_body(m), *rows = json_array(), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			buf when = BUF_INIT;
			page_date(p, json_string_value(json_object_get(x, "at")), &when);
			json_t *row = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:o}", "at", buf_str(&when), "datetime",
						json_object_get(x, "at"), "user", json_object_get(x, "user"), "action",
						json_object_get(x, "action"), "kind", json_object_get(x, "kind"), "version",
						json_object_get(x, "version"), "changes", changes(json_object_get(x, "changes")));
			json_object_set_new(row, "href", json_string(arena_printf(&r->a, "/%s/%" JSON_INTEGER_FORMAT,
										    json_string_value(json_object_get(x, "kind")),
										    json_integer_value(json_object_get(x, "record_id")))));
			json_object_set(row, "record_id", json_object_get(x, "record_id"));
			json_array_append_new(rows, row);
			buf_free(&when);
		}
		json_object_set_new(p->ctx, "entries", rows);
		const char *next = json_string_value(json_object_get(body, "next_cursor"));
		if (next)
			json_object_set_new(p->ctx, "next_href", json_string(page_url_with(p, "cursor", next)));
		json_decref(body);
		if (e && id)
			json_object_set_new(p->ctx, "record_href", json_string(arena_printf(&r->a, "/%s/%s", e->def->name, id)));
		json_object_set_new(p->ctx, "is_admin", json_boolean(r->u->role == ROLE_ADMIN));
		page_render(p, 200, "audit", page_tr(p, N_("Audit log")));
	}
}

void web_audit(request *r) { page_run(r, PAGE_SIGNED_IN, web_audit_body); }

void web_audit_verify(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		audit_report rep;
		if (r->u->role != ROLE_ADMIN) {
			page_error(&p, 403, NULL);
		} else if (audit_verify(r->app->st, NULL, 0, &rep)) {
			page_error(&p, 503, NULL);
		} else {
			buf n = BUF_INIT;
			i18n_number(p.lang, rep.entries, 0, &n);
			json_object_set_new(p.ctx, "verified", json_pack("{s:b, s:s, s:I, s:s}", "ok", rep.ok, "entries", buf_str(&n),
									 "first_bad", (json_int_t)rep.first_bad, "reason", rep.reason));
			buf_free(&n);
			page_render(&p, 200, "audit_verify", page_tr(&p, N_("Audit log")));
		}
	}
	page_end(&p);
}
