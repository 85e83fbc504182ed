/*
 * auth — who is asking: an API token (Authorization: Bearer), a browser
 * session (cookie, with the CSRF token on writes), or nobody (the public).
 * Also the session resource itself: sign in, who am I, sign out.
 */
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "http/http.h"
#include "http/authcache.h"
#include "http/ratelimit.h"

#define COOKIE "liaison_session"

static int is_safe(const char *method) { return !strcmp(method, "GET") || !strcmp(method, "HEAD"); }

auth_result auth_identify(request *r)
{
	const char *authz = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		const char *token = strncasecmp(authz, "Bearer ", 7) == 0 ? authz + 7 : NULL;
		authcache *cache = r->app->tokens;
		if (token && cache && authcache_get(cache, r->app->st, token, &r->acct) == 0) {
			r->u = &r->acct.u;
			return AUTH_OK;
		}
		if (!token || accounts_by_token(r->app->st, token, &r->acct))
			return AUTH_BAD_TOKEN;
		if (cache)
			authcache_put(cache, r->app->st, token, &r->acct);
		r->u = &r->acct.u;
		return AUTH_OK;
	}
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
	if (!sid)
		return AUTH_OK; /* the public: the model decides what it may see */
	if (accounts_by_session(r->app->st, sid, &r->acct))
		return AUTH_EXPIRED;
	r->u = &r->acct.u;
	r->via_session = 1;
	if (is_safe(r->method))
		return AUTH_OK;
	const char *csrf = http_header(r, "X-CSRF-Token");
	return auth_csrf_ok(r, csrf) ? AUTH_OK : AUTH_NO_CSRF;
}

int auth_csrf_ok(request *r, const char *csrf)
{
	return r->via_session && csrf && strlen(csrf) == 64 && sodium_memcmp(csrf, r->acct.csrf, 64) == 0;
}

int auth_request(request *r)
{
	switch (auth_identify(r)) {
	case AUTH_OK:
		return 0;
	case AUTH_BAD_TOKEN:
		http_problem(r, 401, "Unauthorized", "the API token is not valid; create one with 'liaison token create NAME'");
		return -1;
	case AUTH_EXPIRED:
		http_problem(r, 401, "Session expired", "your session has expired or was closed; sign in again");
		return -1;
	case AUTH_NO_CSRF:
		http_problem(r, 403, "Missing CSRF token", "send the X-CSRF-Token header given at sign-in");
		return -1;
	}
	return -1;
}

static void whoami_json(request *r, buf *b, const char *csrf)
{
	const user *u = r->u;
	buf_printf(b, "{\"id\":%lld,\"name\":", (long long)u->id);
	buf_json_cstr(b, u->name);
	buf_puts(b, ",\"role\":");
	buf_json_cstr(b, roles[u->role]);
	buf_puts(b, ",\"division\":");
	buf_json_cstr(b, u->division);
	buf_puts(b, ",\"language\":");
	buf_json_cstr(b, u->language[0] ? u->language : "en");
	if (csrf) {
		buf_puts(b, ",\"csrf_token\":");
		buf_json_cstr(b, csrf);
	}
	buf_putc(b, '}');
}

static void set_cookie(request *r, const char *value, int max_age)
{
	char *c = arena_printf(&r->a, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", COOKIE, value,
			       max_age, r->app->secure_cookies ? "; Secure" : "");
	http_header_add(r, "Set-Cookie", c);
}

/* Seconds to wait before another try for this account or from this address. */
static unsigned throttled(request *r, const char *name)
{
	time_t now = time(NULL);
	unsigned wait = ratelimit_wait(r->app->logins, arena_printf(&r->a, "u:%s", name), now);
	unsigned wait_addr = ratelimit_wait(r->app->logins, arena_printf(&r->a, "a:%s", http_remote(r)), now);
	return wait_addr > wait ? wait_addr : wait;
}

/*
 * A sign-in sent by a page of another site would sign the browser in as the
 * attacker's account (login CSRF).  Browsers name the page's origin on every
 * POST: it must be this site's, as the browser reached it (scheme and Host).
 * A client that is no browser sends no Origin and is not asked.
 */
static int same_origin(request *r)
{
	const char *origin = http_header(r, "Origin"), *host = http_header(r, MHD_HTTP_HEADER_HOST);
	if (!origin)
		return 1;
	const char *scheme = r->app->secure_cookies ? "https://" : "http://";
	size_t n = strlen(scheme);
	return host && strncasecmp(origin, scheme, n) == 0 && strcasecmp(origin + n, host) == 0;
}

signin_result auth_sign_in(request *r, const char *name, const char *password, unsigned *wait)
{
	if (!same_origin(r))
		return SIGNIN_FOREIGN;
	if ((*wait = throttled(r, name)) > 0)
		return SIGNIN_THROTTLED;
	char sid[65], csrf[65];
	if (accounts_by_password(r->app->st, name, password, &r->acct)) {
		time_t now = time(NULL);
		ratelimit_fail(r->app->logins, arena_printf(&r->a, "u:%s", name), now);
		ratelimit_fail(r->app->logins, arena_printf(&r->a, "a:%s", http_remote(r)), now);
		return SIGNIN_WRONG;
	}
	ratelimit_clear(r->app->logins, arena_printf(&r->a, "u:%s", name));
	if (accounts_session_create(r->app->st, &r->acct, sid, csrf))
		return SIGNIN_BUSY;
	memcpy(r->acct.csrf, csrf, sizeof r->acct.csrf);
	r->u = &r->acct.u;
	r->via_session = 1;
	set_cookie(r, sid, SESSION_HOURS * 3600);
	return SIGNIN_OK;
}

int auth_sign_out(request *r)
{
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
	if (!r->via_session || !sid)
		return -1;
	accounts_session_delete(r->app->st, sid);
	set_cookie(r, "", 0);
	return 0;
}

void auth_login(request *r)
{
	if (http_json_body(r))
		return;
	const char *name = json_string_value(json_object_get(r->json, "name"));
	const char *password = json_string_value(json_object_get(r->json, "password"));
	if (!name || !password || strlen(name) > 100 || strlen(password) > 1024) {
		http_problem(r, 422, "Invalid sign-in", "send {\"name\": \"...\", \"password\": \"...\"}");
		return;
	}
	unsigned wait;
	switch (auth_sign_in(r, name, password, &wait)) {
	case SIGNIN_THROTTLED:
		http_header_add(r, "Retry-After", arena_printf(&r->a, "%u", wait));
		http_problem(r, 429, "Too many attempts", "too many failed sign-ins; wait %u seconds", wait);
		return;
	case SIGNIN_WRONG:
		http_problem(r, 401, "Sign-in failed", "the name or the password is wrong");
		return;
	case SIGNIN_BUSY:
		http_problem(r, 503, "Store busy", "the session could not be stored; try again");
		return;
	case SIGNIN_FOREIGN:
		http_problem(r, 403, "Forbidden", "a sign-in is sent from this site's own pages (the Origin is another site's)");
		return;
	case SIGNIN_OK:
		break;
	}
	buf b = BUF_INIT;
	whoami_json(r, &b, r->acct.csrf);
	http_header_add(r, "Location", "/api/v1/session");
	http_json(r, 201, &b);
	buf_free(&b);
}

void auth_whoami(request *r)
{
	if (r->u->role == ROLE_PUBLIC) {
		http_problem(r, 401, "Unauthorized", "you are not signed in");
		return;
	}
	buf b = BUF_INIT;
	whoami_json(r, &b, r->via_session ? r->acct.csrf : NULL);
	http_json(r, 200, &b);
	buf_free(&b);
}

void auth_logout(request *r)
{
	if (auth_sign_out(r)) {
		http_problem(r, 401, "Unauthorized", "there is no session to close");
		return;
	}
	http_text(r, 204, NULL, "", 0);
}

/* ---- a user's password and tokens: the admin, or the user themself --------------- */

int auth_target_user(request *r, const char *name, account *target)
{
	if (r->u->role == ROLE_PUBLIC)
		return 401;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	record rec;
	int status = 0;
	if (model_read(&m, registry_find(&r->app->reg, "users"), name, &rec)) {
		status = m.status;
	} else if (r->u->role != ROLE_ADMIN && rec.v[COL_ID].i != r->u->id) {
		status = 403;
	} else {
		target->u.id = rec.v[COL_ID].i;
		snprintf(target->name, sizeof target->name, "%s", record_field(&rec, "name")->s);
	}
	model_done(&m);
	return status;
}

/* The user named in the path, when the caller is an admin or that user; else answered. */
int auth_path_user(request *r, account *target)
{
	switch (auth_target_user(r, r->params[0], target)) {
	case 0:
		return 0;
	case 401:
		http_problem(r, 401, "Unauthorized", "sign in or send an API token");
		return -1;
	case 403:
		http_problem(r, 403, "Forbidden", "only admins manage other users' passwords, tokens and links");
		return -1;
	case 404:
		http_problem(r, 404, "Not found", "there is no user '%s'", r->params[0]);
		return -1;
	default:
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
		return -1;
	}
}

void auth_set_password(request *r)
{
	account target;
	if (http_json_body(r) || auth_path_user(r, &target))
		return;
	const char *password = json_string_value(json_object_get(r->json, "password"));
	const char *current = json_string_value(json_object_get(r->json, "current_password"));
	if (r->u->role != ROLE_ADMIN) { /* a user changing their own proves they know it */
		account self;
		if (!current || accounts_by_password(r->app->st, target.name, current, &self)) {
			http_problem(r, 403, "Forbidden", "current_password is missing or wrong");
			return;
		}
	}
	const char *why = accounts_password_problem(password);
	if (why) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, r->u);
		model_field_error(&m, "password", "%s", why);
		model_fail(&m, 422, "Password not changed", "%s", why);
		http_model(r, &m);
		model_done(&m);
		return;
	}
	char err[160];
	if (accounts_set_password(r->app->st, r->u, target.u.id, password, err, sizeof err)) {
		http_problem(r, 503, "Password not changed", "%s", err);
		return;
	}
	http_text(r, 204, NULL, "", 0);
}

/* A token's label and last day from the body, which may be empty: both are optional. */
static int token_fields(request *r, const char **label, const char **expires)
{
	*label = *expires = NULL;
	if (r->body_in.len == 0)
		return 0;
	if (http_json_body(r))
		return -1;
	json_t *l = json_object_get(r->json, "label"), *e = json_object_get(r->json, "expires");
	const char *field = NULL, *why = NULL;
	if (!json_is_object(r->json))
		why = "the body is a JSON object";
	else if (l && !json_is_null(l) && !json_is_string(l))
		field = "label", why = "is a string";
	else if (e && !json_is_null(e) && !json_is_string(e))
		field = "expires", why = "is a date YYYY-MM-DD";
	if (!why) {
		*label = json_string_value(l);
		*expires = json_string_value(e);
		why = accounts_token_problem(*label, *expires, &field);
	}
	if (!why)
		return 0;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (field)
		model_field_error(&m, field, "%s", why);
	model_fail(&m, 422, "Token not created", "%s%s%s", field ? field : "", field ? " " : "", why);
	http_model(r, &m);
	model_done(&m);
	return -1;
}

void auth_create_token(request *r)
{
	account target;
	const char *label, *expires;
	if (auth_path_user(r, &target) || token_fields(r, &label, &expires))
		return;
	char token[128], err[160];
	if (accounts_token_create(r->app->st, target.name, label, expires, token, sizeof token, err, sizeof err)) {
		http_problem(r, 503, "Token not created", "%s", err);
		return;
	}
	buf b = BUF_INIT;
	buf_puts(&b, "{\"token\":");
	buf_json_cstr(&b, token);
	buf_puts(&b, ",\"note\":\"shown once; only its hash is kept\"}");
	http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/users/%s/tokens", target.name));
	http_json(r, 201, &b);
	buf_free(&b);
}

void auth_list_tokens(request *r)
{
	account target;
	if (auth_path_user(r, &target))
		return;
	buf b = BUF_INIT;
	if (accounts_tokens_list(r->app->st, target.u.id, &b))
		http_problem(r, 503, "Store unavailable", "the tokens could not be read");
	else
		http_json(r, 200, &b);
	buf_free(&b);
}

void auth_revoke_tokens(request *r)
{
	account target;
	if (auth_path_user(r, &target))
		return;
	char err[160];
	if (accounts_tokens_revoke(r->app->st, r->u, target.u.id, err, sizeof err)) {
		http_problem(r, 503, "Tokens not revoked", "%s", err);
		return;
	}
	http_text(r, 204, NULL, "", 0);
}
