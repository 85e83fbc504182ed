/*
 * router — the platform's routes as a table, matched after the domains'.
 *
 * A pattern is a path whose {x} segments match any one segment; the first
 * route whose pattern and method match wins.  When the path matches but no
 * method does, the answer is 405 with the methods that would have worked
 * (HEAD wherever GET is, and OPTIONS), or for OPTIONS 204 with them.
 */
#include <stdint.h>
#include <string.h>

#include "http/http.h"

/* What lists and pages of records take (api.c). */
static const api_param list_query[] = {
	{ "limit", PARAM_INTEGER, "records on a page (50 when not given)", .min = 1, .max = 500 },
	{ "cursor", PARAM_STRING, "the next_cursor of the page before: the one after it" },
	{ "sort", PARAM_STRING, "fields to sort by, a minus before those in descending order: name,-updated_at" },
	{ "archived", PARAM_BOOLEAN, "archived records too" },
	{ "filters", PARAM_FILTERS },
	{ NULL },
};

const route platform_routes[] = {
	{ "GET", "/healthz", health_handler, 1, "Liveness: the store answers",
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Health" }, { 503, .about = "the store does not answer" }) },
	/* Reads credentials itself: the addresses of --metrics-from need none. */
	{ "GET", "/metrics", metrics_handler, 1, "Prometheus metrics (administrators, or the addresses of --metrics-from)",
	  .guests = 1,
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "text/plain", .about = "the Prometheus text format, version 0.0.4" },
				 { 401, .about = "no credentials, from an address not given to --metrics-from" },
				 { 403, .about = "not an administrator" }) },
	{ "GET", "/api/v1/openapi.json", api_openapi, 1, "This description",
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "OpenAPI" }, { 503, .about = "out of memory" }) },
	{ "POST", "/api/v1/session", auth_login, 1, "Sign in: session cookie and CSRF token",
	  .request = { .body = BODY_NAMED, .schema = "SignIn" },
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "Session", HDR_SET_COOKIE | HDR_LOCATION },
				 { 401, .about = "the name or the password is wrong" },
				 { 403, .about = "sent by a page of another site (its Origin): login CSRF" },
				 { 422, .about = "no name or no password" },
				 { 429, .headers = HDR_RETRY_AFTER, .about = "too many failed sign-ins for the name or from the address" },
				 { 503, .about = "the session could not be stored" }) },
	{ "GET", "/api/v1/session", auth_whoami, 0, "The signed-in user",
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Session" }, { 401, .about = "not signed in" }) },
	{ "DELETE", "/api/v1/session", auth_logout, 0, "Sign out",
	  .answers = API_ANSWERS({ 204, .headers = HDR_SET_COOKIE }, { 401, .about = "no session to close" }) },
	{ "GET", "/api/v1/audit", api_audit, 0, "Audit entries of one record (or all, for admins)",
	  .params = API_PARAMS({ "kind", PARAM_STRING, "the record's kind" }, { "id", PARAM_STRING, "the record's id, or its own reference for kinds that have one (INQ-2026-000005)" },
			       { "limit", PARAM_INTEGER, "entries on a page (100 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_INTEGER, "the next_cursor of the page before" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "AuditPage" }, { 400, .about = "a bad limit, id or cursor" },
				 { 403, .about = "the whole log is for admins; a record's for its division, directors and admins" },
				 { 404, .about = "no such kind, or no such record the caller may see" }, { 503 }) },
	{ "POST", "/api/v1/users/{id}/password", auth_set_password, 0, "Set a password (admins; users their own)",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .request = { .body = BODY_NAMED, .schema = "NewPassword" },
	  .answers = API_ANSWERS({ 204 }, { 403, .about = "another user's, or current_password missing or wrong" },
				 { 422, .about = "a password too short" }, { 503 }) },
	{ "GET", "/api/v1/users/{id}/tokens", auth_list_tokens, 0, "The user's API tokens: what for, when made, last day, whether revoked",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Tokens" }, { 403, .about = "another user's" }, { 503 }) },
	{ "POST", "/api/v1/users/{id}/tokens", auth_create_token, 0,
	  "A new API token, shown once: what it is for and its last day (a year from today when not given)",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .request = { .body = BODY_NAMED, .schema = "TokenRequest" }, .body_optional = 1,
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "NewToken", HDR_LOCATION }, { 400, .about = "malformed JSON" },
				 { 403, .about = "another user's" }, { 415 },
				 { 422, .about = "a label too long or not one line, a last day that is no date or is past" },
				 { 503 }) },
	{ "DELETE", "/api/v1/users/{id}/tokens", auth_revoke_tokens, 0, "Revoke every API token of the user",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .answers = API_ANSWERS({ 204 }, { 403, .about = "another user's" }, { 503 }) },
	{ "GET", "/api/v1/users/{id}/calendar-links", calendar_links_get, 0, "The user's and their division's calendar links: since when",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "CalendarLinks" }, { 403, .about = "another user's" }, { 503 }) },
	{ "POST", "/api/v1/users/{id}/calendar-links", calendar_links_renew, 0, "A new calendar link (the old one ends), shown once",
	  .params = API_PARAMS({ "id", PARAM_STRING, "the user's name or id" }),
	  .request = { .body = BODY_NAMED, .schema = "CalendarLinkRequest" },
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "NewCalendarLink", HDR_LOCATION }, { 403, .about = "another user's" },
				 { 422, .about = "for is neither user nor division, or the user has no division" }, { 503 }) },
	{ "GET", "/api/v1/search", api_search, 0, "Search every kind of record", .guests = 1,
	  .params = API_PARAMS({ "q", PARAM_STRING, "the query: words, \"phrases\", -not, kind:, country:, lang:, division:, tag:", 1 },
			       { "limit", PARAM_INTEGER, "results on a page (20 when not given)", .min = 1, .max = 100 },
			       { "cursor", PARAM_STRING, "the next_cursor of the page before" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "SearchResults" },
				 { 400, .about = "no q, a query that does not parse (with its position), a bad limit or cursor" },
				 { 503 }) },
	{ "GET", "/api/v1/search/suggest", api_suggest, 0, "Titles starting so, for type-ahead", .guests = 1,
	  .params = API_PARAMS({ "q", PARAM_STRING, "the first letters", 1 },
			       { "type", PARAM_STRING, "only records of these kinds, separated by commas; users alone: "
						       "staff accounts by name or e-mail" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Suggestions" }, { 400, .about = "no letter or digit in q, or no such kind" },
				 { 403, .about = "type=users, by someone who may not read users" }) },
	{ "POST", "/api/v1/merges", api_merge, 0, "Merge two records of one kind",
	  .request = { .body = BODY_NAMED, .schema = "MergeRequest" },
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "Merge", HDR_LOCATION }, { 403 },
				 { 404, .about = "no such kind, or a record the caller may not see" },
				 { 409, .about = "an archived record" }, { 422, .about = "not {kind, keep, merge}, or a record with itself" },
				 { 503 }) },
	{ "GET", "/api/v1/merges/{id}", api_merge_get, 0, "A merge and what it moved",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the merge's id", .min = 1, .max = INT64_MAX }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Merge" }, { 403 }, { 503 }) },
	{ "POST", "/api/v1/merges/{id}/undo", api_merge_undo, 0, "Undo a merge",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the merge's id", .min = 1, .max = INT64_MAX }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Merge" }, { 403 }, { 409, .about = "undone already" }, { 503 }) },
	/* Who besides its creator reads a confidential record, for every kind (model/grants.c). */
	{ "GET", "/api/v1/{kind}/{id}/grants", api_grants, 0, "Who besides its creator may read it (confidential records)",
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Grants" },
				 { 403, .about = "not the record's creator nor an administrator" },
				 { 409, .about = "a record that takes its access from another" }, { 503 }) },
	{ "POST", "/api/v1/{kind}/{id}/grants", api_grant, 0, "Grant a member of staff reading a confidential record",
	  .request = { .body = BODY_NAMED, .schema = "GrantRequest" },
	  .answers = API_ANSWERS({ 201, BODY_NAMED, "Grants", HDR_LOCATION, "granted" },
				 { 200, BODY_NAMED, "Grants", .about = "granted already" },
				 { 403, .about = "not the record's creator nor an administrator" },
				 { 409, .about = "the record is not confidential, or takes its access from another" },
				 { 422, .about = "no such user, or a partner" }, { 503 }) },
	{ "DELETE", "/api/v1/{kind}/{id}/grants/{user}", api_ungrant, 0, "Withdraw a grant",
	  .params = API_PARAMS({ "user", PARAM_STRING, "the user's name or id" }),
	  .answers = API_ANSWERS({ 204 }, { 403, .about = "not the record's creator nor an administrator" },
				 { 409, .about = "a record that takes its access from another" },
				 { 422, .about = "no such user" }, { 503 }) },
	/* Mail leaving Liaison (model/outbox.h): a record's, and what is stuck, for administrators. */
	{ "GET", "/api/v1/outbox", api_outbox_list, 0, "Mail not sent: queued and failed, newest first (administrators)",
	  .params = API_PARAMS({ "state", PARAM_STRING, "only these (both when not given)",
				 .values = (const char *const[]){ "queued", "failed", NULL } },
			       { "limit", PARAM_INTEGER, "messages on a page (50 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_STRING, "the next_cursor of the page before" }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "OutboxPage" }, { 400, .about = "a bad state, limit or cursor" },
				 { 403, .about = "not an administrator" }, { 503 }) },
	{ "POST", "/api/v1/outbox/{id}/retry", api_outbox_retry, 0, "Try a failed or waiting message again now (administrators)",
	  .params = API_PARAMS({ "id", PARAM_INTEGER, "the message's id in the outbox", .min = 1, .max = INT64_MAX }),
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "OutboxMessage", .about = "queued, due now" },
				 { 403, .about = "not an administrator" },
				 { 409, .about = "sent already, or being handed to the relay now" }, { 503 }) },
	{ "GET", "/api/v1/{kind}/{id}/outbox", api_outbox, 0, "The record's mail: to whom, and what the relay made of it",
	  .answers = API_ANSWERS({ 200, BODY_NAMED, "Outbox" }, { 403 }, { 503 }) },
	/* The five operations of every kind of record: openapi.c writes them out for each kind. */
	{ "GET", "/api/v1/{kind}", api_list, 0, "List, filter, sort and page", .params = list_query,
	  .answers = API_ANSWERS({ 200, BODY_PAGE }, { 400, .about = "a bad limit, sort, filter or cursor" },
				 { 403, .about = "the caller's role may not read this kind" }, { 503 }) },
	{ "POST", "/api/v1/{kind}", api_create, 0, "Create",
	  .params = API_PARAMS({ "force", PARAM_BOOLEAN, "create it even when it looks like a duplicate" }),
	  .request = { .body = BODY_NEW },
	  .answers = API_ANSWERS({ 201, BODY_RECORD, .headers = HDR_LOCATION | HDR_ETAG },
				 { 403, .about = "the caller's role may not create it, or not for that division" },
				 { 409, .about = "a likely duplicate (with candidates), or a unique value taken" },
				 { 422, .about = "invalid fields, each named" }, { 503 }) },
	{ "GET", "/api/v1/{kind}/{id}", api_get, 0, "Read one",
	  .params = API_PARAMS({ "If-None-Match", PARAM_STRING, "versions the caller holds: \"3\", W/\"3\" or *", .header = 1 }),
	  .answers = API_ANSWERS({ 200, BODY_RECORD, .headers = HDR_ETAG },
				 { 304, .about = "If-None-Match names the current version: no body", .headers = HDR_ETAG },
				 { 403, .about = "the caller's role may not read this kind" }, { 503 }) },
	{ "PATCH", "/api/v1/{kind}/{id}", api_update, 0, "Change: a JSON merge patch, with If-Match",
	  .params = API_PARAMS({ "If-Match", PARAM_STRING, "the version read, in quotes, as its ETag gave it: \"3\"", 1,
				 .header = 1 }),
	  .request = { .body = BODY_PATCH },
	  .answers = API_ANSWERS({ 200, BODY_RECORD, .headers = HDR_ETAG }, { 400, .about = "If-Match that is not a version in quotes" },
				 { 403, .about = "the caller may not change it, or not so" },
				 { 409, .about = "an archived record, or a unique value taken" },
				 { 412, .about = "If-Match names an older version: nothing was written" },
				 { 422, .about = "invalid fields, each named" }, { 428, .about = "no If-Match" }, { 503 }) },
	{ "POST", "/api/v1/{kind}/{id}/transitions", api_transition, 0, "Move along the workflow: {\"to\": STATE}",
	  .params = API_PARAMS({ "If-Match", PARAM_STRING, "the version read, in quotes; without it, the record as it is now",
				 .header = 1 }),
	  .request = { .body = BODY_TRANSITION },
	  .answers = API_ANSWERS({ 200, BODY_RECORD, .headers = HDR_ETAG },
				 { 400, .about = "If-Match that is not a version in quotes" },
				 { 403, .about = "the caller may not change it" },
				 { 409, .about = "a move the workflow does not have, or the caller may not make: with the allowed moves" },
				 { 412, .about = "If-Match names an older version: nothing was written" },
				 { 422, .about = "no such state, or a field the new state requires is missing" }, { 503 }),
	  .only = ONLY_WORKFLOW },
	/* The events about a record, for the kinds some dated kind refers to (model/timeline.c). */
	{ "GET", "/api/v1/{kind}/{id}/timeline", api_timeline, 0, "The events about it, newest first, of every kind",
	  .params = API_PARAMS({ "limit", PARAM_INTEGER, "events on a page (50 when not given)", .min = 1, .max = 500 },
			       { "cursor", PARAM_STRING, "the next_cursor of the page before" }),
	  .answers = API_ANSWERS({ 200, BODY_TIMELINE }, { 400, .about = "a bad limit or cursor" },
				 { 403, .about = "the caller may read none of the kinds of event" }, { 503 }),
	  .only = ONLY_TIMELINE },
	/* Data-protection requests, for the kinds that hold personal data (model/personal.c). */
	{ "GET", "/api/v1/{kind}/{id}/export", api_personal_export, 0, "Everything held on the record (JSON)",
	  .answers = API_ANSWERS({ 200, BODY_EXPORT, .headers = HDR_DISPOSITION },
				 { 403, .about = "for administrators and directors" }, { 503 }),
	  .only = ONLY_PERSONAL },
	{ "POST", "/api/v1/{kind}/{id}/erase", api_erase, 0, "Erase the record's personal data, and its own records'",
	  .answers = API_ANSWERS({ 200, BODY_RECORD, .headers = HDR_ETAG }, { 403, .about = "for administrators and directors" },
				 { 503 }),
	  .only = ONLY_PERSONAL },
	{ "DELETE", "/api/v1/{kind}/{id}", api_archive, 0, "Archive",
	  .answers = API_ANSWERS({ 204, .about = "archived (or archived already)" },
				 { 403, .about = "the caller may not archive it" }, { 503 }) },
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
	const route *path;  /* the first route whose pattern matched, whatever its method */
	char allow[64];
} found;

/* Adds method to the methods the path allows, once. */
static void allow(found *f, const char *method)
{
	if (strstr(f->allow, method) || strlen(f->allow) + strlen(method) + 3 > sizeof f->allow)
		return;
	if (f->allow[0])
		strcat(f->allow, ", ");
	strcat(f->allow, method);
}

/* A generic route of a kind ("/api/v1/{kind}/…") exists only where the
 * kind offers it: a kind its area writes has no generic POST or PATCH, a
 * kind without a workflow no transitions (route_serves). */
static int offered_here(request *r, const route *rt)
{
	if (!r->nparams || strncmp(rt->pattern, "/api/v1/{kind}", 14) != 0)
		return 1;
	const entity *e = registry_find(&r->app->reg, r->params[0]);
	return !e || route_serves(rt, &r->app->reg, e);
}

static void search(request *r, const char *method, const route *table, size_t n, found *f)
{
	for (size_t i = 0; i < n && !f->route; i++) {
		if (!match(r, table[i].pattern) || !offered_here(r, &table[i]))
			continue;
		if (!f->path)
			f->path = &table[i];
		if (strcmp(table[i].method, method) == 0) {
			f->route = &table[i];
			return;
		}
		allow(f, table[i].method);
		if (strcmp(table[i].method, "GET") == 0)
			allow(f, "HEAD");
	}
}

size_t router_body_limit(request *r)
{
	found f = { NULL, NULL, "" };
	search(r, r->method, r->app->routes, r->app->nroutes, &f);
	for (int i = 0; i < 3 && !f.route && !http_is_api(r); i++)
		search(r, r->method, r->app->pages[i], r->app->npages[i], &f);
	return f.route && f.route->max_body ? f.route->max_body : r->app->lim.max_body;
}

void router_dispatch(request *r)
{
	found f = { NULL, NULL, "" };
	/* HEAD is GET without the body (libmicrohttpd leaves the body out). */
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	search(r, method, r->app->routes, r->app->nroutes, &f);
	search(r, method, platform_routes, nplatform_routes, &f);
	for (int i = 0; i < 3 && !http_is_api(r); i++)
		search(r, method, r->app->pages[i], r->app->npages[i], &f);
	r->route = f.route ? f.route : f.path;
	if (!f.route && f.allow[0]) {
		allow(&f, "OPTIONS"); /* answered here for every address that exists */
		http_header_add(r, "Allow", f.allow);
		if (strcmp(r->method, "OPTIONS") == 0)
			http_text(r, 204, NULL, "", 0);
		else
			http_error(r, 405, "Method not allowed", "%s is not allowed here; use %s", r->method, f.allow);
		return;
	}
	if (!f.route) {
		http_error(r, 404, "Not found", "there is nothing at this address");
		return;
	}
	match(r, f.route->pattern); /* the winning route's params */
	if (!f.route->no_auth && auth_request(r))
		return;
	f.route->fn(r);
}
