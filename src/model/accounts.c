/*
 * accounts — see accounts.h.
 */
#include "model/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/fold.h"
#include "core/textfit.h"
#include "core/utf8.h"
#include "formats/tzif.h"
#include "model/access.h"
#include "model/audit.h"

static const char *const user_cols[] = { "id", "name", "role", "division", "organization", "language",
					  "password_hash", "time_zone" };

/* ---- the users kind ------------------------------------------------------------
 * Users are records like any other for reading, listing, changing their role
 * or archiving them (admins only); the password hash is not a field, so it is
 * never written out.  Passwords and tokens have their own operations below. */

static const char *const role_labels[] = { N_("Administrator"), N_("Director"), N_("Staff"), N_("Translator"), N_("Viewer"),
					  N_("Partner"), NULL };
static const char *const columns[] = { "name", "role", "language", NULL };

static const field_def user_fields[] = {
	{ "name", F_TEXT, REQUIRED | UNIQUE | TITLE, .max = 100, .label = N_("Name") },
	{ "role", F_ENUM, REQUIRED | INDEXED, .values = roles, .labels = role_labels, .label = N_("Role") },
	{ "organization", F_REF, PARTNER_ORG, .label = N_("Organization") },  /* a partner's own organization */
	{ "language", F_ENUM, 0, .values = registry_langs, .labels = registry_lang_labels, .label = N_("Language") },
	{ "email", F_EMAIL, 0, .max = 320, .label = N_("E-mail") },  /* where invitations reach staff */
	{ "time_zone", F_TEXT, 0, .max = 64, .label = N_("Time zone"),
	  .hint = N_("Times are shown and entered in it: a zone such as Europe/Zurich (when none is given), "
		     "America/New_York or Asia/Manila.") },
};

static int user_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const store_value *name = record_field(r, "name");
	const store_value *role = record_field(r, "role"), *org = record_field(r, "organization");
	if (name->type == SV_TEXT && strpbrk(name->s, " \t\r\n:/"))
		model_field_error(m, "name", N_("has no spaces, ':' or '/'"));
	if (role->type == SV_TEXT && strcmp(role->s, "partner") == 0 && org->type == SV_NULL)
		model_field_error(m, "organization", N_("is required for a partner"));
	const store_value *zone = record_field(r, "time_zone");
	if (zone->type == SV_TEXT && !tz_known(zone->s))
		model_field_error(m, "time_zone", N_("is not a time zone of the tz database, such as Europe/Zurich"));
	return 0;
}

/* An archived user's credentials end with the archiving, in its transaction:
 * every session closed, every token revoked (bringing the user back later
 * brings none of them back). */
static int end_credentials(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	if (!r->v[COL_ARCHIVED].i)
		return 0;
	store_cond w = COND_EQ("user_id", r->v[COL_ID]);
	store_value revoked = SV_INT_(1);
	if (store_delete(c, "sign_ins", &w, 1) != STORE_OK ||
	    store_update(c, "api_tokens", (const char *[]){ "revoked" }, &revoked, 1, &w, 1, NULL) != STORE_OK)
		return model_fail(m, 500, "Store error", "the user's sessions and tokens could not be ended");
	return 0;
}

const entity_def users_entity = {
	.name = "users", .table = "users", .label = N_("user"),
	.fields = user_fields, .nfields = COUNT(user_fields),
	.read = WHO_STAFF, .write = WHO_ADMIN,
	.key_field = "name", .default_sort = "name",
	.validate = user_rules, .after_write = end_credentials,
	.private_columns = (const char *const[]){ "password_hash", NULL },
	.heading = N_("Users"), .new_label = N_("New user"), .columns = columns,
};

/* ---- finding users by name or e-mail, for pickers ------------------------------------ */

#define USERS_SUGGESTED 10

typedef struct user_pick {
	model_ctx *m;
	const char *folded;  /* what was typed, folded */
	size_t n;            /* users written so far */
} user_pick;

/* Whether a word of text, folded, begins what was typed (folded): "ana ex"
 * finds "ana@example.org", whose folded form is "ana example org". */
static int begins_a_word(const char *text, const char *folded)
{
	buf f = BUF_INIT;
	text_fold(&f, text, strlen(text));
	size_t n = strlen(folded);
	int found = 0;
	for (const char *w = buf_str(&f); w && !found; w = strchr(w + 1, ' '))
		found = strncmp(w + (*w == ' '), folded, n) == 0;
	buf_free(&f);
	return found;
}

static int take_pick(void *ctx, store_row *r)
{
	user_pick *k = ctx;
	const char *name = store_text(r, 1, NULL), *email = store_isnull(r, 2) ? NULL : store_text(r, 2, NULL);
	if (!begins_a_word(name, k->folded) && !(email && begins_a_word(email, k->folded)))
		return 0;
	buf *out = &k->m->body;
	buf_puts(out, k->n++ ? ",{\"kind\":\"users\",\"id\":" : "{\"kind\":\"users\",\"id\":");
	buf_json_int(out, store_int(r, 0));
	buf_puts(out, ",\"title\":");
	buf_json_cstr(out, name);
	buf_puts(out, ",\"email\":");
	buf_json_cstr(out, email);
	buf_putc(out, '}');
	return k->n == USERS_SUGGESTED;
}

/* The accounts are few (a department's staff), so reading their names and
 * e-mails in order and keeping those that match costs less than an index
 * that every account change would have to keep in step. */
int accounts_suggest(model_ctx *m, const char *prefix)
{
	const entity *e = registry_find(m->reg, "users");
	if (!e || !access_kind(m->u, e, OP_READ))
		return m->u->role == ROLE_PUBLIC ? model_fail(m, 401, "Unauthorized", "sign in to find users")
					      : model_fail(m, 403, "Forbidden", "users' names are for staff");
	buf folded = BUF_INIT;
	text_fold(&folded, prefix ? prefix : "", prefix ? strlen(prefix) : 0);
	user_pick k = { m, arena_strdup(&m->a, buf_str(&folded)), 0 };
	buf_free(&folded);
	if (!*k.folded)
		return model_fail(m, 400, "Bad request", "q must have at least one letter or digit");
	store_cond live = COND_EQ("archived", SV_INT_(0));
	store_order by_name = { "name", 0, NOT_NULL };
	store_select q = { .table = "users", .cols = (const char *[]){ "id", "name", "email" }, .ncols = 3,
			   .where = &live, .nwhere = 1, .order = &by_name, .norder = 1 };
	store_conn *c = store_reader(m->st);
	buf_puts(&m->body, "{\"items\":[");
	if (!c || store_query(c, &q, take_pick, &k) != STORE_OK)
		return model_fail(m, 500, "Store error", "the users could not be read");
	buf_puts(&m->body, "]}");
	m->status = 200;
	return 0;
}

void secret_hash(const char *secret, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(out, 65, h, sizeof h);
}

void secret_random(char out[65])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, 65, r, sizeof r);
}

typedef struct found {
	account *a;
	char hash[crypto_pwhash_STRBYTES];
	int ok;
} found;

static int take_user(void *ctx, store_row *r)
{
	found *f = ctx;
	account *a = f->a;
	memset(a, 0, sizeof *a);
	a->u.id = store_int(r, 0);
	snprintf(a->name, sizeof a->name, "%s", store_text(r, 1, NULL));
	int role = enum_index(roles, store_text(r, 2, NULL));
	a->u.role = role < 0 ? ROLE_VIEWER : (enum role)role;
	if (!store_isnull(r, 3))
		snprintf(a->division, sizeof a->division, "%s", store_text(r, 3, NULL));
	a->u.org_id = store_int(r, 4);
	snprintf(a->language, sizeof a->language, "%s", store_isnull(r, 5) ? "" : store_text(r, 5, NULL)); /* "": not chosen */
	snprintf(f->hash, sizeof f->hash, "%s", store_isnull(r, 6) ? "" : store_text(r, 6, NULL));
	snprintf(a->time_zone, sizeof a->time_zone, "%s", store_isnull(r, 7) ? "" : store_text(r, 7, NULL));
	a->u.name = a->name;
	a->u.division = a->division[0] ? a->division : NULL;
	a->u.language = a->language;
	a->u.time_zone = a->time_zone;
	f->ok = 1;
	return 1;
}

static int user_where(store_conn *c, store_cond w, found *f)
{
	store_cond all[] = { w, COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = "users", .cols = user_cols, .ncols = (int)COUNT(user_cols), .where = all, .nwhere = 2 };
	f->ok = 0;
	return store_query(c, &q, take_user, f) == STORE_OK && f->ok ? 0 : -1;
}

int accounts_add(store *s, const char *name, const char *role, const char *division, int64_t org_id,
		 const char *password, char *err, size_t errlen)
{
	if (!name || !*name || strlen(name) > 100 || strpbrk(name, " \t\r\n:/")) {
		snprintf(err, errlen, "a user name is 1 to 100 characters without spaces, ':' or '/'");
		return -1;
	}
	if (enum_index(roles, role) < 0) {
		snprintf(err, errlen, "unknown role '%s': use admin, director, staff, translator, viewer or partner", role);
		return -1;
	}
	if (division && enum_index(divisions, division) < 0) {
		snprintf(err, errlen, "unknown division '%s': use FO, GBD, IPD, MCD, DRD, MPR, MPD or IML", division);
		return -1;
	}
	const char *why = accounts_password_problem(password);
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	char hash[crypto_pwhash_STRBYTES], now[32];
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
		snprintf(err, errlen, "not enough memory to hash the password");
		return -1;
	}
	clock_now_iso(now);
	store_conn *c = store_begin(s);
	if (!c) {
		snprintf(err, errlen, "the database is busy; try again");
		return -1;
	}
	static const char *const cols[] = { "name", "role", "division", "organization", "password_hash", "created_at",
					    "updated_at", "version", "classification", "language" };
	store_value v[] = { sv_text(name), sv_text(role), sv_text(division), org_id > 0 ? SV_INT_(org_id) : SV_NUL,
			    sv_text(hash), sv_text(now), sv_text(now), SV_INT_(1), sv_text("internal"), SV_NUL };
	int64_t id;
	int rc = store_insert(c, "users", cols, v, 10, &id);
	if (rc != STORE_OK) {
		snprintf(err, errlen, rc == STORE_CONSTRAINT ? "a user named '%s' already exists" : "cannot add user '%s'", name);
		store_rollback(c);
		return -1;
	}
	buf changes = BUF_INIT;
	buf_puts(&changes, "{\"name\":{\"after\":");
	buf_json_cstr(&changes, name);
	buf_puts(&changes, "},\"role\":{\"after\":");
	buf_json_cstr(&changes, role);
	buf_puts(&changes, "}}");
	rc = audit_append(c, NULL, "create", "users", id, 1, buf_str(&changes));
	buf_free(&changes);
	if (rc)
		store_rollback(c);
	if (rc || store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "cannot add user '%s'", name);
		return -1;
	}
	return 0;
}

#define TOKEN_DAYS 365  /* a token's life when its maker gives no last day */

/* The characters of text on one line (well-formed UTF-8 without control
 * characters); -1 when it is not such text. */
static long one_line_chars(const char *s)
{
	size_t n = strlen(s), len;
	long chars = 0;
	uint32_t cp;
	for (size_t i = 0; i < n; i += len, chars++)
		if (!(len = utf8_next(s + i, n - i, &cp)) || cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return -1;
	return chars;
}

const char *accounts_token_problem(const char *label, const char *expires, const char **field)
{
	char today[32];
	clock_now_iso(today);
	*field = "label";
	long chars = label ? one_line_chars(label) : 0;
	if (chars < 0 || chars > TOKEN_LABEL_MAX)
		return N_("is at most 100 characters of text on one line");
	*field = "expires";
	if (expires && !clock_valid_date(expires))
		return N_("is not a date YYYY-MM-DD");
	if (expires && strncmp(expires, today, 10) < 0)
		return N_("is in the past");
	*field = NULL;
	return NULL;
}

int accounts_token_create(store *s, const char *name, const char *label, const char *expires, char *token,
			  size_t tokenlen, char *err, size_t errlen)
{
	account a;
	found f = { &a, "", 0 };
	char secret[65], hash[65], now[32], until[32];
	const char *field, *why = accounts_token_problem(label, expires, &field);
	if (why) {
		snprintf(err, errlen, "%s %s", field, why);
		return -1;
	}
	if (expires)
		snprintf(until, sizeof until, "%.10sT23:59:59Z", expires);
	else
		clock_iso(time(NULL) + (time_t)TOKEN_DAYS * 86400, until);
	store_conn *c = store_begin(s);
	if (!c) {
		snprintf(err, errlen, "the database is busy; try again");
		return -1;
	}
	if (user_where(c, COND_EQ("name", sv_text(name)), &f)) {
		snprintf(err, errlen, "no user named '%s'", name);
		store_rollback(c);
		return -1;
	}
	secret_random(secret);
	snprintf(token, tokenlen, "lia_%s", secret);
	secret_hash(token, hash);
	clock_now_iso(now);
	static const char *const cols[] = { "user_id", "token_hash", "created_at", "label", "expires_at" };
	store_value v[] = { SV_INT_(a.u.id), sv_text(hash), sv_text(now), label && *label ? sv_text(label) : SV_NUL,
			    sv_text(until) };
	int64_t id;
	buf changes = BUF_INIT;
	buf_puts(&changes, "{\"label\":{\"after\":");
	buf_json_cstr(&changes, label && *label ? label : NULL);
	buf_puts(&changes, "},\"expires_at\":{\"after\":");
	buf_json_cstr(&changes, until);
	buf_puts(&changes, "}}");
	int rc = store_insert(c, "api_tokens", cols, v, 5, &id) != STORE_OK ||
		 audit_append(c, NULL, "create", "api-tokens", id, 1, buf_str(&changes));
	buf_free(&changes);
	if (rc) {
		store_rollback(c);
		snprintf(err, errlen, "cannot store the token");
		return -1;
	}
	if (store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "cannot store the token");
		return -1;
	}
	return 0;
}

int accounts_by_password(store *s, const char *name, const char *password, account *out)
{
	found f = { out, "", 0 };
	store_conn *c = store_reader(s);
	if (!c || user_where(c, COND_EQ("name", sv_text(name)), &f) || !f.hash[0]) {
		/* Spend the same time as a real check, so timing does not tell which names exist. */
		static const char dummy[crypto_pwhash_STRBYTES] =
			"$argon2id$v=19$m=65536,t=2,p=1$gxEUp0jHsOo2deU9jFkfMg$RAY0Y5p+UTCIwnXUPQN++BtZutiXHlutJBrm6oLj/b4";
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			return -1; /* never: nobody has that password, and there is no account anyway */
		return -1;
	}
	return crypto_pwhash_str_verify(f.hash, password, strlen(password)) == 0 ? 0 : -1;
}

typedef struct credential {
	int64_t user_id;
	char csrf[65];
	char expires[32];
	int session;  /* a session's row, which has a csrf */
} credential;

/* user_id, expires_at, and a session's csrf. */
static int take_credential(void *ctx, store_row *r)
{
	credential *cr = ctx;
	cr->user_id = store_int(r, 0);
	if (store_text(r, 1, NULL))
		snprintf(cr->expires, sizeof cr->expires, "%s", store_text(r, 1, NULL));
	if (cr->session && store_text(r, 2, NULL))
		snprintf(cr->csrf, sizeof cr->csrf, "%s", store_text(r, 2, NULL));
	return 1;
}

static int by_credential(store *s, const char *table, const char *secret, account *out, credential *cr)
{
	char hash[65];
	if (!secret || !*secret || strlen(secret) > 128)
		return -1;
	secret_hash(secret, hash);
	store_conn *c = store_reader(s);
	if (!c)
		return -1;
	int session = cr->session = strcmp(table, "sign_ins") == 0;
	store_cond w[] = { COND_EQ("token_hash", sv_text(hash)), COND_EQ("revoked", SV_INT_(0)) };
	const char *cols[] = { "user_id", "expires_at", "csrf" };
	store_select q = { .table = table, .cols = cols, .ncols = session ? 3 : 2, .where = w, .nwhere = session ? 1 : 2 };
	if (store_query(c, &q, take_credential, cr) != STORE_OK || cr->user_id <= 0)
		return -1;
	char now[32];
	clock_now_iso(now);
	if (cr->expires[0] && strcmp(cr->expires, now) <= 0) /* a token made before 020 has no last day */
		return -1;
	found f = { out, "", 0 };
	return user_where(c, COND_EQ("id", SV_INT_(cr->user_id)), &f);
}

static int read_where(store *s, store_cond w, account *out)
{
	found f = { out, "", 0 };
	store_conn *c = store_reader(s);
	return c ? user_where(c, w, &f) : -1;
}

int accounts_by_name(store *s, const char *name, account *out) { return read_where(s, COND_EQ("name", sv_text(name)), out); }
int accounts_by_id(store *s, int64_t id, account *out) { return read_where(s, COND_EQ("id", SV_INT_(id)), out); }

int accounts_by_token(store *s, const char *token, account *out)
{
	credential cr = { 0 };
	return by_credential(s, "api_tokens", token, out, &cr);
}

int accounts_by_session(store *s, const char *sid, account *out)
{
	credential cr = { 0 };
	if (by_credential(s, "sign_ins", sid, out, &cr))
		return -1;
	memcpy(out->csrf, cr.csrf, sizeof out->csrf);
	return 0;
}

int accounts_session_create(store *s, const account *a, char sid[65], char csrf[65])
{
	char hash[65], now[32], expires[32];
	secret_random(sid);
	secret_random(csrf);
	secret_hash(sid, hash);
	clock_now_iso(now);
	clock_iso(time(NULL) + SESSION_HOURS * 3600, expires);
	store_conn *c = store_begin(s);
	if (!c)
		return -1;
	/* Expired sessions are removed here, by the writes that create new ones. */
	store_cond old = COND("expires_at", OP_LT, sv_text(now));
	static const char *const cols[] = { "user_id", "token_hash", "csrf", "created_at", "expires_at" };
	store_value v[] = { SV_INT_(a->u.id), sv_text(hash), sv_text(csrf), sv_text(now), sv_text(expires) };
	if (store_delete(c, "sign_ins", &old, 1) != STORE_OK || store_insert(c, "sign_ins", cols, v, 5, NULL) != STORE_OK) {
		store_rollback(c);
		return -1;
	}
	return store_commit(c) == STORE_OK ? 0 : -1;
}

int accounts_session_delete(store *s, const char *sid)
{
	char hash[65];
	secret_hash(sid, hash);
	store_conn *c = store_begin(s);
	if (!c)
		return -1;
	store_cond w = COND_EQ("token_hash", sv_text(hash));
	if (store_delete(c, "sign_ins", &w, 1) != STORE_OK) {
		store_rollback(c);
		return -1;
	}
	return store_commit(c) == STORE_OK ? 0 : -1;
}

int accounts_count(store *s, int64_t *n)
{
	store_conn *c = store_reader(s);
	return c && store_count(c, "users", NULL, 0, n) == STORE_OK ? 0 : -1;
}

/* ---- passwords and tokens of an existing user ----------------------------------- */

/* The bytes are bounded before anything else looks at them: Argon2 would hash
 * a megabyte, slowly, and a password that long is a mistake or an attack. */
const char *accounts_password_problem(const char *password)
{
	size_t n = password ? strlen(password) : 0;
	if (n > ACCOUNTS_PASSWORD_MAX)
		return N_("A password has at most 1,024 bytes.");
	if (!utf8_valid(password, n))
		return N_("A password must be text (UTF-8).");
	return text_chars(password, n) < ACCOUNTS_PASSWORD_MIN ? N_("A password has at least 12 characters.") : NULL;
}

static int audited(store_conn *c, const user *by, const char *action, int64_t user_id, char *err, size_t errlen)
{
	if (audit_append(c, by, action, "users", user_id, 0, "{}")) {
		store_rollback(c);
		snprintf(err, errlen, "the change could not be recorded");
		return -1;
	}
	if (store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "the change could not be committed");
		return -1;
	}
	return 0;
}

int accounts_set_password(store *s, const user *by, int64_t user_id, const char *password, char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *why = accounts_password_problem(password);
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
		snprintf(err, errlen, "not enough memory to hash the password");
		return -1;
	}
	store_conn *c = store_begin(s);
	if (!c) {
		snprintf(err, errlen, "the database is busy; try again");
		return -1;
	}
	store_cond w = COND_EQ("id", SV_INT_(user_id));
	store_value v = sv_text(hash);
	int changed = 0;
	if (store_update(c, "users", (const char *[]){ "password_hash" }, &v, 1, &w, 1, &changed) != STORE_OK || !changed) {
		store_rollback(c);
		snprintf(err, errlen, "no such user");
		return -1;
	}
	/* Set by someone else (an administrator's reset): whoever held the old
	 * password is signed out everywhere.  Users changing their own keep theirs. */
	store_cond mine = COND_EQ("user_id", SV_INT_(user_id));
	if ((!by || by->id != user_id) && store_delete(c, "sign_ins", &mine, 1) != STORE_OK) {
		store_rollback(c);
		snprintf(err, errlen, "the user's sessions could not be closed");
		return -1;
	}
	return audited(c, by, "password", user_id, err, errlen);
}

int accounts_tokens_revoke(store *s, const user *by, int64_t user_id, char *err, size_t errlen)
{
	store_conn *c = store_begin(s);
	if (!c) {
		snprintf(err, errlen, "the database is busy; try again");
		return -1;
	}
	store_cond w = COND_EQ("user_id", SV_INT_(user_id));
	store_value v = SV_INT_(1);
	if (store_update(c, "api_tokens", (const char *[]){ "revoked" }, &v, 1, &w, 1, NULL) != STORE_OK) {
		store_rollback(c);
		snprintf(err, errlen, "the tokens could not be revoked");
		return -1;
	}
	return audited(c, by, "revoke-tokens", user_id, err, errlen);
}

typedef struct token_walk {
	buf *out;
	int n;
} token_walk;

static int token_json(void *ctx, store_row *r)
{
	token_walk *w = ctx;
	buf_puts(w->out, w->n++ ? "," : "");
	buf_printf(w->out, "{\"id\":%lld,\"created_at\":", (long long)store_int(r, 0));
	buf_json_cstr(w->out, store_text(r, 1, NULL));
	buf_puts(w->out, ",\"label\":");
	buf_json_cstr(w->out, store_text(r, 3, NULL));
	buf_puts(w->out, ",\"expires_at\":");
	buf_json_cstr(w->out, store_text(r, 4, NULL));
	buf_puts(w->out, store_int(r, 2) ? ",\"revoked\":true}" : ",\"revoked\":false}");
	return 0;
}

int accounts_tokens_list(store *s, int64_t user_id, buf *out)
{
	store_conn *c = store_reader(s);
	store_cond w = COND_EQ("user_id", SV_INT_(user_id));
	store_order newest = { "id", 1, NOT_NULL };
	store_select q = { .table = "api_tokens", .cols = (const char *[]){ "id", "created_at", "revoked", "label", "expires_at" },
			   .ncols = 5,
			   .where = &w, .nwhere = 1, .order = &newest, .norder = 1 };
	token_walk tw = { out, 0 };
	buf_puts(out, "{\"items\":[");
	if (!c || store_query(c, &q, token_json, &tw) != STORE_OK)
		return -1;
	buf_puts(out, "]}");
	return 0;
}
