/*
 * session — signing in and out in a browser, and the home page each role
 * lands on: the counts of the reader's work the kinds declare
 * (registry.h: home_count; my open inquiries, the overdue ones), each a link
 * to its list, the lists the kinds declare (home_list; my follow-ups due,
 * the latest interactions) and what changed last in my division among the
 * kinds marked home_changed.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "model/access.h"
#include "web/web.h"

/*
 * Only a path of this site is followed after sign-in, as a browser will
 * read it: "/" and then not a second "/" ("//host" is another site), and
 * nothing a browser drops or turns into a slash anywhere in it (controls
 * such as TAB and line breaks, spaces, "\", bytes beyond ASCII): "/\t/evil"
 * reaches the browser as "//evil".  Anything else goes home.
 */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 2000 || strncmp(next, "/sign-in", 8) == 0)
		return "/";
	for (const unsigned char *c = (const unsigned char *)next; *c; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '\\')
			return "/";
	return next;
}

static void sign_in_page(page *p, int status, const char *error)
{
	const char *next = p->form ? page_field(p, "next") : page_query(p, "next");
	json_object_set_new(p->ctx, "next", json_string(safe_next(next)));
	if (error)
		json_object_set_new(p->ctx, "error", json_string(error));
	else if (page_query(p, "expired"))
		json_object_set_new(p->ctx, "warning", json_string(page_tr(p, N_("Your session has expired. Please sign in again."))));
	else if (page_query(p, "signed_out"))
		json_object_set_new(p->ctx, "info", json_string(page_tr(p, N_("You have signed out."))));
	const char *name = page_field(p, "name");
	json_object_set_new(p->ctx, "name", json_string(name ? name : ""));
	page_render(p, status, "sign_in", page_tr(p, N_("Sign in")));
}

void web_sign_in_form(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE) == 0) {
		if (r->u->role != ROLE_PUBLIC)
			page_redirect(&p, safe_next(page_query(&p, "next")));
		else
			sign_in_page(&p, 200, NULL);
	}
	page_end(&p);
}

void web_sign_in(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE)) {
		page_end(&p);
		return;
	}
	const char *name = page_field(&p, "name"), *password = page_field(&p, "password");
	unsigned wait = 0;
	if (!name || !password || !*name || !*password || strlen(name) > 100 || strlen(password) > 1024) {
		sign_in_page(&p, 422, page_tr(&p, N_("Give your name and your password.")));
	} else {
		switch (auth_sign_in(r, name, password, &wait)) {
		case SIGNIN_OK:
			page_redirect(&p, safe_next(page_field(&p, "next")));
			break;
		case SIGNIN_WRONG:
			sign_in_page(&p, 401, page_tr(&p, N_("The name or the password is wrong.")));
			break;
		case SIGNIN_THROTTLED:
			http_header_add(r, "Retry-After", arena_printf(&r->a, "%u", wait));
			sign_in_page(&p, 429, page_tr(&p, N_("Too many failed attempts. Wait a few minutes, then try again.")));
			break;
		case SIGNIN_BUSY:
			sign_in_page(&p, 503, page_tr(&p, N_("The server is busy. Try again in a moment.")));
			break;
		case SIGNIN_FOREIGN:
			sign_in_page(&p, 403, page_tr(&p, N_("Sign in from this site's own sign-in page.")));
			break;
		}
	}
	page_end(&p);
}

void web_sign_out(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_ANYONE) == 0) {
		auth_sign_out(r);
		page_redirect(&p, "/sign-in?signed_out=1");
	}
	page_end(&p);
}

/* ---- home -------------------------------------------------------------------------- */

/* Up to 10 records of kind e as rows {href, title, date}, filtered by n
 * names and values, in the order sort. */
static json_t *rows(page *p, const entity *e, const char *const *names, const char *const *values, int n,
		    const char *sort, const char *date_field)
{
	json_t *out = json_array();
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	list_params lp = { names, values, n, sort, NULL, 10, 0 };
	if (model_list(&m, e, &lp) == 0) {
		json_t *body = view_body(&m), *rec;
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, rec) {
			const char *lang;
			json_t *row = json_pack("{s:s, s:s}", "href", view_href(p, e, rec), "title", view_title(p, e, rec, &lang));
			if (lang)
				json_object_set_new(row, "lang", json_string(lang));
			const char *d = json_string_value(json_object_get(rec, date_field));
			if (d) {
				buf b = BUF_INIT;
				page_date(p, d, &b);
				json_object_set_new(row, "date", json_string(buf_str(&b)));
				json_object_set_new(row, "datetime", json_string(d));
				buf_free(&b);
			}
			json_array_append_new(out, row);
		}
		json_decref(body);
	}
	model_done(&m);
	return out;
}

static int readable(page *p, const entity *e) { return access_kind(page_user(p), e, OP_READ); }

/* In a list of what is due (soonest first), the rows whose date is before
 * today: they show as overdue. */
static void mark_late(json_t *found)
{
	char now[32];
	clock_now_iso(now);
	now[10] = '\0'; /* today's date */
	size_t i;
	json_t *row;
	json_array_foreach(found, i, row) {
		const char *d = json_string_value(json_object_get(row, "datetime"));
		if (d && strncmp(d, now, 10) < 0)
			json_object_set_new(row, "overdue", json_true());
	}
}

/* The home list a kind declares (registry.h: home_list), as a section. */
static json_t *home_section(page *p, const entity *e)
{
	const home_list *h = e->def->home;
	const char *names[2], *values[2];
	int n = 0;
	if (h->owner_field) {
		names[n] = h->owner_field;
		values[n++] = arena_printf(&p->r->a, "%" PRId64, page_user(p)->id);
	}
	if (h->field) {
		names[n] = h->field;
		values[n++] = h->value;
	}
	const char *sort = h->newest_first ? arena_printf(&p->r->a, "-%s", h->date_field) : h->date_field;
	json_t *found = rows(p, e, names, values, n, sort, h->date_field);
	if (!h->newest_first)
		mark_late(found);
	return json_pack("{s:s, s:s, s:s, s:o}", "kind", e->def->name, "heading", page_tr(p, h->heading), "empty",
			 page_tr(p, h->empty), "rows", found);
}

/* Every kind's home list the reader may read: their own lists first. */
static json_t *home_sections(page *p)
{
	const registry *reg = &p->r->app->reg;
	json_t *out = json_array();
	for (int own = 1; own >= 0; own--)
		for (size_t i = 0; i < reg->n; i++) {
			const home_list *h = reg->v[i].def->home;
			if (h && !h->owner_field == !own && readable(p, &reg->v[i]))
				json_array_append_new(out, home_section(p, &reg->v[i]));
		}
	return out;
}

static int newer_first(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "datetime"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "datetime"));
	return strcmp(y ? y : "", x ? x : "");
}

/* The records of the kinds marked home_changed that changed last (in the
 * division, when the user has one), the ten newest of them all. */
static json_t *recently_changed(page *p, const char *division)
{
	static const char *const div[] = { "division" };
	const char *div_v[] = { division };
	const registry *reg = &p->r->app->reg;
	json_t *found = json_array(), *x;
	size_t i;
	for (i = 0; i < reg->n; i++)
		if (reg->v[i].def->home_changed && readable(p, &reg->v[i])) {
			json_t *some = rows(p, &reg->v[i], div, div_v, division != NULL, "-updated_at", "updated_at");
			json_array_extend(found, some);
			json_decref(some);
		}
	size_t n = json_array_size(found);
	json_t **all = malloc((n ? n : 1) * sizeof *all);
	if (!all)
		abort();
	json_array_foreach(found, i, x)
		all[i] = x;
	qsort(all, n, sizeof *all, newer_first);
	json_t *out = json_array();
	for (i = 0; i < n && i < 10; i++)
		json_array_append(out, all[i]);
	free(all);
	json_decref(found);
	return out;
}

/* A count's address: its href with {me} as the reader's id. */
static const char *count_href(page *p, const char *href)
{
	const char *me = strstr(href, "{me}");
	if (!me)
		return href;
	return arena_printf(&p->r->a, "%.*s%" PRId64 "%s", (int)(me - href), href, page_user(p)->id, me + 4);
}

/* The counts the kinds declare (registry.h: home_count) that the reader may
 * read, as {label, n, href, tone}: the tone only when there is something. */
static json_t *home_counts(page *p)
{
	const registry *reg = &p->r->app->reg;
	json_t *out = json_array();
	model_ctx m;
	model_init(&m, p->r->app->st, reg, page_user(p));
	for (size_t i = 0; i < reg->n; i++) {
		if (!reg->v[i].def->home_counts || !readable(p, &reg->v[i]))
			continue;
		for (const home_count *c = reg->v[i].def->home_counts; c->label; c++) {
			int64_t n = 0;
			if (c->who && !(c->who & ROLE_BIT(page_user(p)->role)))
				continue;
			list_params view = { .view = c->view };
			if (c->count ? c->count(&m, &reg->v[i], &n) : model_count(&m, &reg->v[i], &view, 0, &n))
				continue; /* a count that fails is left out, the page still shows */
			json_array_append_new(out, json_pack("{s:s, s:I, s:s, s:s}", "label", page_tr(p, c->label), "n",
							     (json_int_t)n, "href", count_href(p, c->href), "tone",
							     n > 0 && c->tone ? c->tone : n > 0 ? "" : "none"));
		}
	}
	model_done(&m);
	return out;
}

void web_home(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN)) {
		page_end(&p);
		return;
	}
	const user *u = page_user(&p);
	json_t *ctx = p.ctx;
	json_t *counts = home_counts(&p);
	json_object_set_new(ctx, "has_counts", json_boolean(json_array_size(counts) > 0));
	json_object_set_new(ctx, "counts", counts);
	json_object_set_new(ctx, "lists", home_sections(&p));
	json_object_set_new(ctx, "changed", recently_changed(&p, u->division));
	if (u->division)
		json_object_set_new(ctx, "division", json_string(u->division));
	page_render(&p, 200, "home", page_tr(&p, N_("Home")));
	page_end(&p);
}
