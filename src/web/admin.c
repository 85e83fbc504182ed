/*
 * admin — administration in the browser: the users (the generic pages of
 * the users kind, plus passwords and API tokens here), and the audit log:
 * per record and global, with a check of its hash chain.
 */
#include <inttypes.h>
#include <string.h>

#include "core/clock.h"

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

/* The user's API tokens as the page lists them: what for, since when, its
 * last day (a date: the day ends at midnight UTC), and whether it still works. */
static void token_list(page *p, int64_t user_id)
{
	buf b = BUF_INIT;
	char now[32];
	clock_now_iso(now);
	if (accounts_tokens_list(p->r->app->st, user_id, &b) == 0) {
		json_t *doc = json_loads(buf_str(&b), 0, NULL), *t, *rows = json_array();
		size_t i;
		json_array_foreach(json_object_get(doc, "items"), i, t) {
			buf made = BUF_INIT, until = BUF_INIT;
			const char *expires = json_string_value(json_object_get(t, "expires_at"));
			page_date(p, json_string_value(json_object_get(t, "created_at")), &made);
			if (expires)
				page_date(p, arena_strndup(&p->r->a, expires, 10), &until);
			int revoked = json_is_true(json_object_get(t, "revoked")), expired = expires && strcmp(expires, now) <= 0;
			json_t *row = json_pack("{s:O, s:s, s:s, s:s}", "label", json_object_get(t, "label"), "made",
						buf_str(&made), "until", buf_str(&until), "state",
						page_tr(p, revoked ? N_("Revoked") : expired ? N_("Expired") : N_("In use")));
			json_array_append_new(rows, row);
			buf_free(&made);
			buf_free(&until);
		}
		json_object_set_new(p->ctx, "has_tokens", json_boolean(json_array_size(rows) > 0));
		json_object_set_new(p->ctx, "tokens", rows);
		json_decref(doc);
	}
	buf_free(&b);
}

static void user_page(page *p, int status, const char *tpl)
{
	const entity *e = registry_find(&p->r->app->reg, "users");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	account target;
	int mine = auth_target_user(p->r, p->r->params[0], &target) == 0;
	if (mine) {
		calendar_links(p, target.u.id);
		token_list(p, target.u.id);
	}
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
	const char *label = page_field(&p, "label"), *expires = page_field(&p, "expires"), *field;
	label = label ? page_trim(&p, label) : NULL;
	expires = expires && *page_trim(&p, expires) ? page_trim(&p, expires) : NULL;
	const char *why = accounts_token_problem(label, expires, &field);
	if (why) { /* beside its field, the form as it was sent */
		json_object_set_new(p.ctx, !strcmp(field, "label") ? "label_error" : "expires_error",
				    json_string(page_tr(&p, why)));
		json_object_set_new(p.ctx, "token_label", json_string(label ? label : ""));
		json_object_set_new(p.ctx, "token_expires", json_string(expires ? expires : ""));
		user_page(&p, 422, "user");
	} else if (accounts_token_create(r->app->st, t.name, label && *label ? label : NULL, expires, token, sizeof token,
					 err, sizeof err)) {
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

/* What each action of the log says, as people read it. */
static const struct {
	const char *action, *label;
} actions[] = {
	{ "create", N_("Created") }, { "update", N_("Changed") }, { "transition", N_("Moved on") },
	{ "archive", N_("Archived") }, { "erase", N_("Personal data erased") }, { "redact", N_("Earlier entries redacted") },
	{ "merge", N_("Merged") }, { "unmerge", N_("Merge undone") }, { "grant", N_("Reading granted") },
	{ "ungrant", N_("Grant withdrawn") }, { "calendar-link", N_("Calendar link renewed") },
	{ "division-calendar-link", N_("Division calendar link renewed") }, { "delivery", N_("Delivery recorded") },
	{ "split", N_("Split") }, { "invite", N_("Invitation queued") }, { "original kept", N_("Original kept") },
	{ "first response", N_("First response") }, { "password", N_("Password set") },
	{ "revoke-tokens", N_("API tokens revoked") }, { "mail retry", N_("Mail to be tried again") },
	{ "not-duplicate", N_("Marked as not a duplicate") },
};

static const char *action_label(page *p, const char *action)
{
	for (size_t i = 0; action && i < COUNT(actions); i++)
		if (!strcmp(actions[i].action, action))
			return page_tr(p, actions[i].label);
	return action ? action : "";
}

/* A changed column's name as people read it: the field's label, with the
 * language of a multilingual one; *f the field, when it is one. */
static const char *change_label(page *p, const entity *e, const char *key, const field_def **f)
{
	static const char *const system[] = { NULL, NULL, N_("Archived"), N_("Classification"), N_("Division") };
	*f = NULL;
	int col = e ? entity_column(e, key) : -1;
	if (col >= 0 && col < (int)COUNT(system) && system[col])
		return page_tr(p, system[col]);
	if (col >= NSYSCOLS) {
		*f = e->cols[col].field;
		const char *label = page_tr(p, (*f)->label);
		return e->cols[col].lang < 0 ? label : arena_printf(&p->r->a, "%s (%s)", label, i18n_endonym(e->cols[col].lang));
	}
	if (e && (*f = entity_field(e, key)))   /* links, kept in their own table */
		return page_tr(p, (*f)->label);
	if (!strcmp(key, "other"))   /* the record a dismissed pair joined it with */
		return page_tr(p, N_("Not a duplicate of"));
	return !strcmp(key, "entries") ? page_tr(p, N_("Entries redacted")) : key;
}

/* One side of a change as people read it: a label, a name, a date.  plain:
 * 1 for text as it is (one language of a multilingual field), -1 for a
 * classification. */
static json_t *change_value(page *p, const field_def *f, int plain, json_t *v)
{
	json_t *view = NULL;
	if (!v || json_is_null(v))
		view = json_pack("{s:s}", "text", "—");
	else if (plain < 0)   /* a classification */
		view = json_pack("{s:s}", "text", view_classification(p, json_string_value(v) ? json_string_value(v) : ""));
	else if (json_is_object(v) && json_is_true(json_object_get(v, "erased")))
		view = json_pack("{s:s}", "text", page_tr(p, N_("erased")));
	else if (f && !plain)
		view = view_value(p, f, v);
	if (!view) {
		char *s = json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		view = json_pack("{s:s}", "text", s ? s : "");
		free(s);
	}
	if (f && (f->flags & UNSHOWN) && json_is_string(v) && !json_is_string(json_object_get(view, "lang")))
		json_object_set_new(view, "lang", json_string("en")); /* the system's own bookkeeping, written in English */
	return view_complete(view);
}

/* Each changed field: its label, and what it held before and after. */
static json_t *changes(page *p, const entity *e, json_t *ch)
{
	json_t *out = json_array(), *v;
	const char *key;
	if (json_object_get(ch, "redacted"))   /* an entry an erasure emptied */
		return json_pack("[{s:s}]", "note", page_tr(p, N_("Personal data erased from this entry")));
	json_object_foreach(ch, key, v) {
		const field_def *f;
		const char *label = change_label(p, e, key, &f);
		int col = e ? entity_column(e, key) : -1;
		int plain = col == COL_CLASSIFICATION ? -1 : col >= 0 && e->cols[col].lang >= 0; /* one language: text */
		json_t *before = json_object_get(v, "before"), *after = json_object_get(v, "after");
		if (!json_is_object(v) || (!before && !after)) {   /* not a before/after pair: the value itself */
			json_array_append_new(out, json_pack("{s:s, s:o}", "field", label, "after", change_value(p, f, plain, v)));
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "field", label, "before",
						     change_value(p, f, plain, before), "after", change_value(p, f, plain, after)));
	}
	return out;
}

/* The kinds the reader may read, for the look-up form. */
static json_t *kind_options(page *p, const entity *chosen)
{
	json_t *opts = json_array();
	const registry *reg = &p->r->app->reg;
	for (size_t i = 0; i < reg->n; i++)
		if (reg->v[i].def->heading && access_kind(page_user(p), &reg->v[i], OP_READ))
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", reg->v[i].def->name, "label",
							      page_tr(p, reg->v[i].def->heading), "selected", &reg->v[i] == chosen));
	return opts;
}

static void web_audit_body(page *p, model_ctx *m)
{
	request *r = p->r;
	const char *kind = page_query(p, "kind"), *id = page_query(p, "id"), *cursor = page_query(p, "cursor");
	const entity *e = kind && *kind ? registry_find(&r->app->reg, kind) : NULL;
	int64_t before = cursor ? model_parse_id(cursor) : 0;
	if (id && !*id)
		id = NULL;
	/* a record by its number, or by its own reference (INQ-2026-000005) */
	int bad_id = id && model_parse_id(id) <= 0 && !(e && e->def->key_field);
	if ((kind && *kind && !e) || bad_id || (id && !e) || (cursor && before <= 0)) {
		page_error(p, 400, NULL);
	} else if (audit_list(m, e, id, before, 50)) {
		page_model_error(p, m);
	} else {
		json_t *body = view_body(m), *rows = json_array(), *x;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			buf when = BUF_INIT;
			page_date(p, json_string_value(json_object_get(x, "at")), &when);
			const char *kind_name = json_string_value(json_object_get(x, "kind"));
			const entity *xe = kind_name ? registry_find(&r->app->reg, kind_name) : NULL;
			json_t *row = json_pack("{s:s, s:O, s:O, s:s, s:s, s:O, s:o}", "at", buf_str(&when), "datetime",
						json_object_get(x, "at"), "user", json_object_get(x, "user"), "action",
						action_label(p, json_string_value(json_object_get(x, "action"))), "kind",
						xe && xe->def->heading ? page_tr(p, xe->def->heading) : kind_name ? kind_name : "",
						"version", json_object_get(x, "version"), "changes",
						changes(p, xe, json_object_get(x, "changes")));
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
		json_object_set_new(p->ctx, "kinds", kind_options(p, e));
		json_object_set_new(p->ctx, "asked_id", json_string(id ? id : ""));
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
