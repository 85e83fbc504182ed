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

int auth_request(request *r)
{
	const char *authz = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		const char *token = strncasecmp(authz, "Bearer ", 7) == 0 ? authz + 7 : NULL;
		authcache *cache = r->app->tokens;
		if (token && cache && authcache_get(cache, token, &r->acct) == 0) {
			r->u = &r->acct.u;
			return 0;
		}
		if (!token || accounts_by_token(r->app->st, token, &r->acct)) {
			http_problem(r, 401, "Unauthorized", "the API token is not valid; create one with 'liaison token create NAME'");
			return -1;
		}
		if (cache)
			authcache_put(cache, token, &r->acct);
		r->u = &r->acct.u;
		return 0;
	}
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
	if (!sid)
		return 0; /* the public: the model decides what it may see */
	if (accounts_by_session(r->app->st, sid, &r->acct)) {
		http_problem(r, 401, "Session expired", "your session has expired or was closed; sign in again");
		return -1;
	}
	r->u = &r->acct.u;
	r->via_session = 1;
	if (is_safe(r->method))
		return 0;
	const char *csrf = http_header(r, "X-CSRF-Token");
	if (!csrf || strlen(csrf) != 64 || sodium_memcmp(csrf, r->acct.csrf, 64) != 0) {
		http_problem(r, 403, "Missing CSRF token", "send the X-CSRF-Token header given at sign-in");
		return -1;
	}
	return 0;
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
	buf_json_cstr(b, u->language);
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

/* Too many failures for this account or from this address: 429. */
static int throttled(request *r, const char *name)
{
	time_t now = time(NULL);
	char *acct_key = arena_printf(&r->a, "u:%s", name);
	char *addr_key = arena_printf(&r->a, "a:%s", r->remote);
	unsigned wait = ratelimit_wait(r->app->logins, acct_key, now);
	unsigned wait_addr = ratelimit_wait(r->app->logins, addr_key, now);
	if (wait_addr > wait)
		wait = wait_addr;
	if (!wait)
		return 0;
	http_header_add(r, "Retry-After", arena_printf(&r->a, "%u", wait));
	http_problem(r, 429, "Too many attempts", "too many failed sign-ins; wait %u seconds", wait);
	return 1;
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
	if (throttled(r, name))
		return;
	char sid[65], csrf[65];
	if (accounts_by_password(r->app->st, name, password, &r->acct)) {
		time_t now = time(NULL);
		ratelimit_fail(r->app->logins, arena_printf(&r->a, "u:%s", name), now);
		ratelimit_fail(r->app->logins, arena_printf(&r->a, "a:%s", r->remote), now);
		http_problem(r, 401, "Sign-in failed", "the name or the password is wrong");
		return;
	}
	ratelimit_clear(r->app->logins, arena_printf(&r->a, "u:%s", name));
	if (accounts_session_create(r->app->st, &r->acct, sid, csrf)) {
		http_problem(r, 503, "Store busy", "the session could not be stored; try again");
		return;
	}
	r->u = &r->acct.u;
	set_cookie(r, sid, SESSION_HOURS * 3600);
	buf b = BUF_INIT;
	whoami_json(r, &b, csrf);
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
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
	if (!r->via_session || !sid) {
		http_problem(r, 401, "Unauthorized", "there is no session to close");
		return;
	}
	accounts_session_delete(r->app->st, sid);
	set_cookie(r, "", 0);
	http_text(r, 204, NULL, "", 0);
}

/* ---- a user's password and tokens: the admin, or the user themself --------------- */

/* The user named in the path, when the caller is an admin or that user; else answered. */
static int target_user(request *r, account *target)
{
	if (r->u->role == ROLE_PUBLIC) {
		http_problem(r, 401, "Unauthorized", "sign in or send an API token");
		return -1;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(r->app->st);
	record rec;
	int rc = -1;
	if (!c || model_find(&m, c, registry_find(&r->app->reg, "users"), r->params[0], &rec)) {
		http_model(r, &m);
	} else if (r->u->role != ROLE_ADMIN && rec.v[COL_ID].i != r->u->id) {
		http_problem(r, 403, "Forbidden", "only admins manage other users' passwords and tokens");
	} else {
		target->u.id = rec.v[COL_ID].i;
		snprintf(target->name, sizeof target->name, "%s", rec.v[entity_column(rec.e, "name")].s);
		rc = 0;
	}
	model_done(&m);
	return rc;
}

void auth_set_password(request *r)
{
	account target;
	if (http_json_body(r) || target_user(r, &target))
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
	char err[160];
	if (accounts_set_password(r->app->st, r->u, target.u.id, password, err, sizeof err)) {
		http_problem(r, password && strlen(password) >= 12 ? 503 : 422, "Password not changed", "%s", err);
		return;
	}
	http_text(r, 204, NULL, "", 0);
}

void auth_create_token(request *r)
{
	account target;
	if (target_user(r, &target))
		return;
	char token[128], err[160];
	if (accounts_token_create(r->app->st, target.name, token, sizeof token, err, sizeof err)) {
		http_problem(r, 503, "Token not created", "%s", err);
		return;
	}
	buf b = BUF_INIT;
	buf_puts(&b, "{\"token\":");
	buf_json_cstr(&b, token);
	buf_puts(&b, ",\"note\":\"shown once; only its hash is kept\"}");
	http_json(r, 201, &b);
	buf_free(&b);
}

void auth_revoke_tokens(request *r)
{
	account target;
	if (target_user(r, &target))
		return;
	char err[160];
	if (accounts_tokens_revoke(r->app->st, r->u, target.u.id, err, sizeof err)) {
		http_problem(r, 503, "Tokens not revoked", "%s", err);
		return;
	}
	http_text(r, 204, NULL, "", 0);
}
