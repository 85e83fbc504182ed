/*
 * page — what every page shares: its language, the session behind it, the
 * form it received, the layout around it, and the error pages.
 *
 * The language is, in order: the switch the reader just used (?lang=fr,
 * remembered in a cookie), that cookie, the user's own setting, the
 * browser's Accept-Language, English.  The switch is a plain link back to
 * the same address, so it keeps the page and works without scripts.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/fold.h"
#include "model/access.h"
#include "web/tpl.h"
#include "web/web.h"

#define LANG_COOKIE "liaison_lang"

static tpl_set *templates;

static const char *static_href(page *p, const char *name);
static char *kinds_by_lang[NLANGS];
static pthread_mutex_t kinds_lock = PTHREAD_MUTEX_INITIALIZER;

int web_start(char *err, size_t errlen)
{
	if (i18n_load(err, errlen))
		return -1;
	return tpl_set_load(&templates, web_templates, err, errlen);
}

void web_stop(void)
{
	for (int i = 0; i < NLANGS; i++) {
		free(kinds_by_lang[i]);
		kinds_by_lang[i] = NULL;
	}
	tpl_set_free(templates);
	templates = NULL;
	i18n_free();
}

/* ---- the form of a POST ----------------------------------------------------- */

typedef struct upload {
	char *name;
	char *filename;   /* a file's name on the sender's computer, or NULL */
	buf data;
	int is_file;
	struct upload *next;
} upload;

typedef struct form_reader {
	page *p;
	upload *last;
} form_reader;

static enum MHD_Result form_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				 const char *content_type, const char *encoding, const char *data, uint64_t off,
				 size_t size)
{
	(void)kind, (void)content_type, (void)encoding;
	form_reader *fr = cls;
	if (off == 0 || !fr->last || strcmp(fr->last->name, key) != 0) {
		upload *u = calloc(1, sizeof *u);
		if (!u)
			return MHD_NO;
		u->name = strdup(key);
		u->filename = filename ? strdup(filename) : NULL;
		u->is_file = filename != NULL;
		u->next = fr->p->files;
		fr->p->files = fr->last = u;
	}
	buf_add(&fr->last->data, data, size);
	return MHD_YES;
}

/* The urlencoded or multipart body as fields (repeated names joined by
 * newlines) and files.  -1 when it is neither or its text is not UTF-8. */
static int read_form(page *p)
{
	request *r = p->r;
	p->form = json_object();
	if (!r->body_in.len)
		return 0;
	form_reader fr = { p, NULL };
	struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 16 * 1024, form_part, &fr);
	if (!pp)
		return -1;
	int ok = MHD_post_process(pp, r->body_in.data, r->body_in.len) == MHD_YES;
	MHD_destroy_post_processor(pp);
	for (upload *u = p->files; ok && u; u = u->next) {
		if (u->is_file)
			continue;
		if (!utf8_valid(buf_str(&u->data), u->data.len))
			return -1;
		const char *had = json_string_value(json_object_get(p->form, u->name));
		/* files is newest first: what came later is already in the object */
		char *v = had ? arena_printf(&r->a, "%s\n%s", buf_str(&u->data), had) : (char *)buf_str(&u->data);
		json_object_set_new(p->form, u->name, json_string(v));
	}
	return ok ? 0 : -1;
}

const char *page_field(const page *p, const char *name)
{
	return p->form ? json_string_value(json_object_get(p->form, name)) : NULL;
}

char *page_trim(const page *p, const char *s)
{
	s += strspn(s, " \t\r\n");
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	return arena_strndup(&p->r->a, s, n);
}

const char *page_file(const page *p, const char *name, size_t *len)
{
	for (const upload *u = p->files; u; u = u->next)
		if (u->is_file && strcmp(u->name, name) == 0) {
			*len = u->data.len;
			return buf_str((buf *)&u->data);
		}
	return NULL;
}

const char *page_file_name(const page *p, const char *name)
{
	for (const upload *u = p->files; u; u = u->next)
		if (u->is_file && strcmp(u->name, name) == 0)
			return u->filename;
	return NULL;
}

void page_file_given(request *r, const char *kind, file_taker take)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		size_t len = 0;
		const char *data = page_file(&p, "file", &len);
		file_given g = { (const unsigned char *)data, data ? len : 0, NULL, page_file_name(&p, "file") };
		if (take(&m, r->params[0], &g) == 0)
			page_redirect(&p, arena_printf(&r->a, "/%s/%s", kind, r->params[0]));
		else
			page_error(&p, m.status, m.detail);
		model_done(&m);
	}
	page_end(&p);
}

/* ---- opening a page ---------------------------------------------------------- */

static int choose_lang(page *p)
{
	request *r = p->r;
	int lang = i18n_lang(http_query(r, "lang"));
	if (lang >= 0) {
		http_header_add(r, "Set-Cookie", arena_printf(&r->a, LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Lax",
							       registry_langs[lang]));
		return lang;
	}
	if ((lang = i18n_lang(MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, LANG_COOKIE))) >= 0)
		return lang;
	if (r->u && r->u->role != ROLE_PUBLIC && (lang = i18n_lang(r->u->language)) >= 0)
		return lang;
	return i18n_negotiate(http_header(r, "Accept-Language"));
}

static int is_post(const request *r) { return strcmp(r->method, "POST") == 0; }

/* To the sign-in page, which comes back here afterwards. */
static void to_sign_in(page *p, const char *why)
{
	buf loc = BUF_INIT;
	buf_puts(&loc, "/sign-in?next=");
	http_url_component(&loc, page_url_with(p, "lang", NULL));
	if (why)
		buf_puts(&loc, why);
	page_redirect(p, buf_str(&loc));
	buf_free(&loc);
}

int page_begin(page *p, request *r, page_need need)
{
	memset(p, 0, sizeof *p);
	p->r = r;
	p->ctx = json_object();
	auth_result who = auth_identify(r);
	p->lang = choose_lang(p);
	p->me = *r->u;
	p->me.language = registry_langs[p->lang];
	if (who == AUTH_EXPIRED) {
		http_header_add(r, "Set-Cookie", "liaison_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
		to_sign_in(p, "&expired=1");
		return -1;
	}
	if (who == AUTH_BAD_TOKEN) {
		page_error(p, 401, NULL);
		return -1;
	}
	if (need == PAGE_SIGNED_IN && r->u->role == ROLE_PUBLIC) {
		to_sign_in(p, NULL);
		return -1;
	}
	if (!is_post(r) || need == PAGE_ERROR)
		return 0;
	if (read_form(p)) {
		page_error(p, 400, page_tr(p, N_("The form could not be read. Go back and send it again.")));
		return -1;
	}
	/* A session's forms carry its CSRF token; a form without one was not ours. */
	if (r->via_session && !auth_csrf_ok(r, page_field(p, "_csrf"))) {
		page_error(p, 403, page_tr(p, N_("This form has expired. Go back, reload the page and send it again.")));
		return -1;
	}
	return 0;
}

void page_run(request *r, page_need need, page_body body)
{
	page p;
	if (page_begin(&p, r, need) == 0) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		body(&p, &m);
		model_done(&m);
	}
	page_end(&p);
}

void page_end(page *p)
{
	json_decref(p->ctx);
	json_decref(p->form);
	json_decref(p->refs);
	json_decref(p->picks);
	p->refs = p->picks = NULL;
	for (upload *u = p->files, *next; u; u = next) {
		next = u->next;
		free(u->name);
		free(u->filename);
		buf_free(&u->data);
		free(u);
	}
	p->ctx = p->form = NULL;
	p->files = NULL;
}

/* ---- words, dates, addresses ------------------------------------------------- */

const char *page_tr(const page *p, const char *msgid)
{
	return i18n_text(p->lang, msgid);
}

const char *page_number(const page *p, int64_t n)
{
	buf b = BUF_INIT;
	i18n_number(p->lang, n, 0, &b);
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

const char *page_say(const page *p, const char *msgid, const char *const *values, int n)
{
	return i18n_say(&p->r->a, p->lang, msgid, values, n);
}

static const char *translate(void *cls, const char *msgid)
{
	return page_tr(cls, msgid);
}

void page_date(const page *p, const char *iso, buf *out)
{
	char local[32];
	if (!iso)
		return;
	if (zone_local(p, iso, local)) { /* a date alone */
		i18n_datetime(p->lang, iso, out);
		return;
	}
	i18n_datetime(p->lang, local, out);
	buf_puts(out, " (");
	zone_city(p, out);
	buf_putc(out, ')');
}

const char *page_count(const page *p, int64_t n)
{
	buf b = BUF_INIT;
	i18n_number(p->lang, n > PAGE_COUNT_MAX ? PAGE_COUNT_MAX : n, 0, &b);
	if (n > PAGE_COUNT_MAX)
		buf_putc(&b, '+');
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

const char *page_query(const page *p, const char *name)
{
	return http_query(p->r, name);
}

char *page_url_with(const page *p, const char *name, const char *value)
{
	return http_url_with(p->r, name, value);
}

const user *page_user(const page *p) { return &p->me; }

void page_url_component(buf *out, const char *s) { http_url_component(out, s); }

/* ---- the layout ---------------------------------------------------------------- */


static int is_current(const request *r, const char *href)
{
	if (strcmp(href, "/") == 0)
		return r->nsegs == 0 || (r->nsegs == 1 && !r->segs[0][0]);
	size_t n = strcspn(href + 1, "/"); /* the first segment names the area */
	return r->nsegs > 0 && strncmp(r->segs[0], href + 1, n) == 0 && r->segs[0][n] == '\0';
}

static void nav_add(const page *p, json_t *items, const char *href, const char *label)
{
	json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "href", href, "label", page_tr(p, label), "current",
					       is_current(p->r, href)));
}

static int by_menu_place(const void *a, const void *b)
{
	const entity *x = *(const entity *const *)a, *y = *(const entity *const *)b;
	return x->def->menu.place - y->def->menu.place;
}

/* Home, the kinds' places in the menu (registry.h: menu_entry) that the
 * reader may read, in their order, and administration for admins. */
static json_t *nav_json(const page *p)
{
	const user *u = p->r->u;
	const registry *reg = &p->r->app->reg;
	json_t *items = json_array();
	if (u->role == ROLE_PUBLIC)
		return items;
	nav_add(p, items, "/", N_("Home"));
	const entity **menu = malloc((reg->n ? reg->n : 1) * sizeof *menu);
	size_t n = 0;
	if (!menu)
		abort();
	for (size_t i = 0; i < reg->n; i++)
		if (reg->v[i].def->menu.place > 0 && access_kind(u, &reg->v[i], OP_READ))
			menu[n++] = &reg->v[i];
	qsort(menu, n, sizeof *menu, by_menu_place);
	for (size_t i = 0; i < n; i++) {
		const entity_def *d = menu[i]->def;
		const char *href = d->menu.href ? d->menu.href : arena_printf(&p->r->a, "/%s", d->name);
		nav_add(p, items, href, d->menu.label ? d->menu.label : d->heading);
	}
	free(menu);
	if (u->role == ROLE_ADMIN)
		nav_add(p, items, "/admin", N_("Administration"));
	return items;
}

static json_t *langs_json(const page *p)
{
	json_t *items = json_array();
	for (int i = 0; i < NLANGS; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "code", registry_langs[i], "name",
						       i18n_endonym(i), "href", page_url_with(p, "lang", registry_langs[i]),
						       "current", i == p->lang));
	return items;
}

/* Kind → heading in each language, for the type-ahead's labels (made
 * once per language, see kinds_json). */
static const char *kinds_json(const page *p)
{
	pthread_mutex_lock(&kinds_lock);
	if (!kinds_by_lang[p->lang]) {
		json_t *o = json_object();
		const registry *reg = &p->r->app->reg;
		for (size_t i = 0; i < reg->n; i++)
			if (reg->v[i].def->heading)
				json_object_set_new(o, reg->v[i].def->name, json_string(page_tr(p, reg->v[i].def->heading)));
		kinds_by_lang[p->lang] = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	const char *s = kinds_by_lang[p->lang];
	pthread_mutex_unlock(&kinds_lock);
	return s ? s : "{}";
}

static void page_globals(page *p, const char *title)
{
	request *r = p->r;
	const user *u = r->u;
	json_t *c = p->ctx;
	json_object_set_new(c, "page_lang", json_string(registry_langs[p->lang]));
	json_object_set_new(c, "title", json_string(title ? title : "Liaison"));
	json_object_set_new(c, "nav", nav_json(p));
	json_object_set_new(c, "langs", langs_json(p));
	json_object_set_new(c, "css_href", json_string(static_href(p, "liaison.css")));
	json_object_set_new(c, "js_href", json_string(static_href(p, "liaison.js")));
	if (u->role != ROLE_PUBLIC) {
		json_object_set_new(c, "me", json_pack("{s:s, s:b, s:b}", "name", u->name, "is_admin", u->role == ROLE_ADMIN,
						       "is_staff", access_is_staff(u)));
		if (r->via_session)
			json_object_set_new(c, "csrf", json_string(r->acct.csrf));
		json_object_set_new(c, "suggest_kinds", json_string(kinds_json(p)));
	}
	if (!json_object_get(c, "q"))
		json_object_set_new(c, "q", json_string(""));
}

void page_render(page *p, int status, const char *tpl, const char *title)
{
	request *r = p->r;
	page_globals(p, title);
	buf body = BUF_INIT;
	if (tpl_render(templates, tpl, p->ctx, translate, p, &body)) {
		buf_free(&body);
		page_error(p, 500, NULL);
		return;
	}
	json_object_set_new(p->ctx, "html_body", json_stringn(body.data, body.len));
	buf_free(&body);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	buf_reset(&r->out);
	tpl_render(templates, "layout", p->ctx, translate, p, &r->out);
	http_header_add(r, "Content-Language", registry_langs[p->lang]);
	http_header_add(r, "Vary", "Cookie, Accept-Language");
	http_header_add(r, "Content-Security-Policy",
			"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			"frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
}

void page_redirect(page *p, const char *location)
{
	http_header_add(p->r, "Location", location);
	http_text(p->r, 303, "text/plain; charset=utf-8", "", 0);
}

/* ---- error pages ----------------------------------------------------------------- */

static const struct {
	int status;
	const char *title, *detail;
} errors[] = {
	{ 400, N_("The request could not be understood"), N_("Something in the address or the form is not right.") },
	{ 401, N_("Please sign in"), N_("This page needs you to be signed in.") },
	{ 403, N_("Not allowed"), N_("Your role does not allow this. Ask an administrator if you need it.") },
	{ 404, N_("Page not found"), N_("There is nothing at this address, or it is not yours to see.") },
	{ 405, N_("Not allowed"), N_("This address does not accept that kind of request.") },
	{ 409, N_("Conflict"), N_("This could not be done as things stand.") },
	{ 412, N_("Changed by someone else"), N_("Someone saved this record after you opened it.") },
	{ 413, N_("Too large"), N_("What you sent is over the size limit.") },
	{ 422, N_("Not complete"), N_("Some of what you sent needs attention.") },
	{ 429, N_("Too many attempts"), N_("Wait a little, then try again.") },
	{ 500, N_("Something went wrong"), N_("The server could not answer. Try again; if it goes on, tell an administrator.") },
	{ 503, N_("Busy"), N_("The server is busy. Try again in a moment.") },
};

void page_error(page *p, int status, const char *detail)
{
	size_t i = 0;
	while (i + 1 < COUNT(errors) && errors[i].status != status)
		i++;
	if (errors[i].status != status)
		i = COUNT(errors) - 2; /* 500 */
	json_object_set_new(p->ctx, "code", json_integer(status));
	json_object_set_new(p->ctx, "heading", json_string(page_tr(p, errors[i].title)));
	json_object_set_new(p->ctx, "detail", json_string(detail ? detail : page_tr(p, errors[i].detail)));
	json_object_set_new(p->ctx, "signed_in", json_boolean(p->r->u->role != ROLE_PUBLIC));
	page_render(p, status, "error", page_tr(p, errors[i].title));
}

void page_model_error(page *p, const model_ctx *m)
{
	int status = m->status ? m->status : 500;
	if (status == 403 && p->r->u->role == ROLE_PUBLIC)
		status = 404;
	/* The model's own words are English; the page says it in the reader's. */
	page_error(p, status, NULL);
}

/* ---- static files ---------------------------------------------------------------- */

/* A static file's version: a hash of its bytes (FNV-1a, 64 bits), not for
 * secrecy but to name one content.  Pages ask for /static/NAME?v=VERSION,
 * so a file that changes gets a new address and the old one can be cached
 * for good; the same hash is the file's entity-tag for those who ask
 * without the version.  The files are compiled in, so each is hashed once,
 * not on every page that links it. */
static char (*static_versions)[17];
static pthread_once_t static_hashed = PTHREAD_ONCE_INIT;

static void hash_static_files(void)
{
	size_t n = 0;
	while (web_static[n].name)
		n++;
	static_versions = calloc(n + 1, sizeof *static_versions);
	for (size_t i = 0; static_versions && i < n; i++) {
		uint64_t h = 14695981039346656037ULL;
		for (size_t k = 0; k < web_static[i].len; k++)
			h = (h ^ (unsigned char)web_static[i].data[k]) * 1099511628211ULL;
		snprintf(static_versions[i], sizeof *static_versions, "%016llx", (unsigned long long)h);
	}
}

static const char *static_version(const embedded_file *f)
{
	pthread_once(&static_hashed, hash_static_files);
	return static_versions ? static_versions[f - web_static] : "0";
}

static const embedded_file *static_find(const char *name)
{
	for (const embedded_file *f = web_static; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The address of a static file with its version, for the layout. */
static const char *static_href(page *p, const char *name)
{
	const embedded_file *f = static_find(name);
	return f ? arena_printf(&p->r->a, "/static/%s?v=%s", name, static_version(f)) : "";
}

void web_static_file(request *r)
{
	const embedded_file *f = static_find(r->params[0]);
	if (!f) {
		web_error_page(r, 404);
		return;
	}
	const char *v = static_version(f);
	char tag[20];
	snprintf(tag, sizeof tag, "\"%s\"", v);
	const char *asked = http_query(r, "v"), *known = http_header(r, "If-None-Match");
	if (known && http_etag_list(known, tag, 1) == 1) {
		http_text(r, 304, NULL, "", 0); /* the reader's copy is current */
	} else {
		const char *dot = strrchr(f->name, '.');
		http_text(r, 200, dot && !strcmp(dot, ".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
			  f->data, f->len);
	}
	http_header_add(r, "ETag", tag);
	/* The versioned address never changes content; the bare one may. */
	http_header_add(r, "Cache-Control", asked && !strcmp(asked, v) ? "public, max-age=31536000, immutable"
								       : "public, max-age=3600");
}

void web_error_page(request *r, int status)
{
	page p;
	if (page_begin(&p, r, PAGE_ERROR) == 0)
		page_error(&p, status, NULL);
	page_end(&p);
}
