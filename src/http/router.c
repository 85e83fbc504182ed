/*
 * router — the platform's routes as a table, matched after the domains'.
 *
 * A pattern is a path whose {x} segments match any one segment; the first
 * route whose pattern and method match wins.  When the path matches but no
 * method does, the answer is 405 with the methods that would have worked.
 */
#include <string.h>

#include "http/http.h"

const route platform_routes[] = {
	{ "GET", "/healthz", health_handler, 1, "Liveness: the store answers" },
	{ "GET", "/metrics", metrics_handler, 1, "Prometheus metrics" },
	{ "GET", "/api/v1/openapi.json", api_openapi, 1, "This description" },
	{ "POST", "/api/v1/session", auth_login, 1, "Sign in: session cookie and CSRF token" },
	{ "GET", "/api/v1/session", auth_whoami, 0, "The signed-in user" },
	{ "DELETE", "/api/v1/session", auth_logout, 0, "Sign out" },
	{ "GET", "/api/v1/audit", api_audit, 0, "Audit entries of one record (or all, for admins)" },
	{ "POST", "/api/v1/users/{id}/password", auth_set_password, 0, "Set a password (admins; users their own)" },
	{ "POST", "/api/v1/users/{id}/tokens", auth_create_token, 0, "A new API token, shown once" },
	{ "DELETE", "/api/v1/users/{id}/tokens", auth_revoke_tokens, 0, "Revoke every API token of the user" },
	{ "GET", "/api/v1/users/{id}/calendar-links", calendar_links_get, 0, "The user's and their division's calendar links: since when" },
	{ "POST", "/api/v1/users/{id}/calendar-links", calendar_links_renew, 0, "A new calendar link (the old one ends), shown once" },
	{ "GET", "/api/v1/search", api_search, 0, "Search every kind of record" },
	{ "GET", "/api/v1/search/suggest", api_suggest, 0, "Titles starting so, for type-ahead" },
	{ "POST", "/api/v1/merges", api_merge, 0, "Merge two records of one kind" },
	{ "GET", "/api/v1/merges/{id}", api_merge_get, 0, "A merge and what it moved" },
	{ "POST", "/api/v1/merges/{id}/undo", api_merge_undo, 0, "Undo a merge" },
	{ "GET", "/api/v1/{kind}", api_list, 0 },
	{ "POST", "/api/v1/{kind}", api_create, 0 },
	{ "GET", "/api/v1/{kind}/{id}", api_get, 0 },
	{ "PATCH", "/api/v1/{kind}/{id}", api_update, 0 },
	{ "DELETE", "/api/v1/{kind}/{id}", api_archive, 0 },
};
const size_t nplatform_routes = sizeof platform_routes / sizeof *platform_routes;

/*
 * 1 when the path matches; the {x} segments are left in r->params.  Every
 * request tries the routes in turn, so this compares in place, one
 * character at a time, and stops at the first that differs.
 */
static int match(request *r, const char *pattern)
{
	int i = 0;
	r->nparams = 0;
	for (const char *p = pattern; *p == '/' && p[1]; i++) {
		p++;
		if (i >= r->nsegs)
			return 0;
		const char *seg = r->segs[i];
		if (*p == '{') {
			r->params[r->nparams++] = seg;
			while (*p && *p != '/')
				p++;
			continue;
		}
		while (*p && *p != '/' && *p == *seg) {
			p++;
			seg++;
		}
		if (*seg || (*p && *p != '/'))
			return 0;
	}
	return i == r->nsegs;
}

typedef struct found {
	const route *route;
	char allow[64];
} found;

static void search(request *r, const char *method, const route *table, size_t n, found *f)
{
	for (size_t i = 0; i < n && !f->route; i++) {
		if (!match(r, table[i].pattern))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			f->route = &table[i];
			return;
		}
		if (!strstr(f->allow, table[i].method) && strlen(f->allow) + strlen(table[i].method) + 3 < sizeof f->allow) {
			if (f->allow[0])
				strcat(f->allow, ", ");
			strcat(f->allow, table[i].method);
		}
	}
}

void router_dispatch(request *r)
{
	found f = { NULL, "" };
	/* HEAD is GET without the body (libmicrohttpd leaves the body out). */
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	search(r, method, r->app->routes, r->app->nroutes, &f);
	search(r, method, platform_routes, nplatform_routes, &f);
	int api = r->nsegs > 0 && strcmp(r->segs[0], "api") == 0;
	for (int i = 0; i < 3 && !api; i++)
		search(r, method, r->app->pages[i], r->app->npages[i], &f);
	if (!f.route && f.allow[0]) {
		http_header_add(r, "Allow", f.allow);
		if (!api && r->app->not_allowed)
			r->app->not_allowed(r); /* a page, in the reader's language */
		else
			http_problem(r, 405, "Method not allowed", "%s is not allowed here; use %s", r->method, f.allow);
		return;
	}
	if (!f.route) {
		if (!api && r->app->not_found)
			r->app->not_found(r);
		else
			http_problem(r, 404, "Not found", "there is nothing at this address");
		return;
	}
	match(r, f.route->pattern); /* the winning route's params */
	if (!f.route->no_auth && auth_request(r))
		return;
	f.route->fn(r);
}
