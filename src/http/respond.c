/*
 * respond — reading headers and query parameters, writing JSON answers and
 * RFC 9457 problem details.
 */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "model/i18n.h"

const char *http_header(request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int64_t http_limit(request *r, int64_t dflt)
{
	const char *s = http_query(r, "limit");
	if (!s)
		return dflt;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 1 || v > 500) {
		http_problem(r, 400, "Bad request", "limit must be a whole number from 1 to 500");
		return -1;
	}
	return v;
}

void http_header_add(request *r, const char *name, const char *value)
{
	if (r->nheaders == MAX_HEADERS)
		return;
	r->hname[r->nheaders] = name;
	r->hvalue[r->nheaders++] = arena_strdup(&r->a, value);
}

void http_text(request *r, int status, const char *type, const char *body, size_t n)
{
	r->status = status;
	r->content_type = type;
	buf_reset(&r->out);
	buf_add(&r->out, body, n);
}

void http_kept_file(request *r, model_ctx *m, const entity *e, const file_table *t, const char *none)
{
	store_conn *c = store_reader(r->app->st);
	record rec;
	kept_file k;
	int found;
	if (!c)
		http_problem(r, 503, "Store unavailable", "the database cannot be opened");
	else if (model_find(m, c, e, r->params[0], &rec) || (found = files_newest(m, c, t, rec.v[COL_ID].i, &k)) < 0)
		http_model(r, m);
	else if (!found)
		http_problem(r, 404, "Not found", "%s", none);
	else {
		/* the answer outlives m's arena: its type goes in the request's */
		http_text(r, 200, arena_strdup(&r->a, k.media), k.content, k.size);
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s\"", k.name));
	}
}

void http_file_given(request *r, file_taker take)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	file_given g = { (const unsigned char *)r->body_in.data, r->body_in.len, http_header(r, "Content-Type"),
			 http_query(r, "name") };
	take(&m, r->params[0], &g);
	http_model(r, &m);
	model_done(&m);
}

void http_json(request *r, int status, const buf *body)
{
	http_text(r, status, "application/json", buf_str(body), body->len);
}

const char *http_status_phrase(int status)
{
	static const struct {
		int status;
		const char *phrase;
	} phrases[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
		{ 303, "See Other" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" }, { 409, "Conflict" }, { 410, "Gone" },
		{ 412, "Precondition Failed" }, { 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
		{ 422, "Unprocessable Content" }, { 428, "Precondition Required" }, { 429, "Too Many Requests" },
		{ 431, "Request Header Fields Too Large" }, { 500, "Internal Server Error" }, { 503, "Service Unavailable" },
	};
	for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
		if (phrases[i].status == status)
			return phrases[i].phrase;
	return NULL;
}

/*
 * Every problem is of type about:blank, so its title is the status phrase
 * (RFC 9457, 4.2.1) and a client can rely on it.  What the caller called
 * the problem, when it says more than the phrase ("Likely duplicate"),
 * opens the detail, which is where the specifics of this occurrence go.
 */
static void problem_start(request *r, int status, const char *title, const char *detail)
{
	const char *phrase = http_status_phrase(status);
	r->status = status;
	r->content_type = "application/problem+json";
	buf_reset(&r->out);
	buf_puts(&r->out, "{\"type\":\"about:blank\",\"title\":");
	buf_json_cstr(&r->out, phrase ? phrase : "Error");
	buf_printf(&r->out, ",\"status\":%d,\"detail\":", status);
	if (title && *title && (!phrase || strcasecmp(title, phrase) != 0)) {
		buf d = BUF_INIT;
		buf_printf(&d, "%s%s%s", title, *detail ? ": " : "", detail);
		buf_json_cstr(&r->out, buf_str(&d));
		buf_free(&d);
	} else {
		buf_json_cstr(&r->out, detail);
	}
	if (status == 401)
		http_header_add(r, "WWW-Authenticate", "Bearer realm=\"liaison\"");
}

static void vproblem(request *r, int status, const char *title, const char *fmt, va_list ap)
{
	buf detail = BUF_INIT;
	buf_vprintf(&detail, fmt, ap);
	problem_start(r, status, title, buf_str(&detail));
	buf_putc(&r->out, '}');
	buf_free(&detail);
}

void http_problem(request *r, int status, const char *title, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vproblem(r, status, title, fmt, ap);
	va_end(ap);
}

int http_is_api(const request *r)
{
	return r->nsegs > 0 && strcmp(r->segs[0], "api") == 0;
}

void http_error(request *r, int status, const char *title, const char *fmt, ...)
{
	if (!http_is_api(r) && r->app->error_page) {
		r->app->error_page(r, status);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vproblem(r, status, title, fmt, ap);
	va_end(ap);
}

static int is_read(const request *r) { return !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"); }

int http_lang(request *r)
{
	const char *accept = http_header(r, "Accept-Language");
	int own = r->u ? i18n_lang(r->u->language) : -1;
	return accept || own < 0 ? i18n_negotiate(accept) : own;
}

void http_model(request *r, model_ctx *m)
{
	if (m->status >= 200 && m->status < 300) {
		if (m->status == 204) {
			http_text(r, 204, NULL, "", 0);
			return;
		}
		/* The body changes hands instead of being copied. */
		buf spare = r->out;
		r->out = m->body;
		m->body = spare;
		buf_reset(&m->body);
		r->status = m->status;
		r->content_type = "application/json";
		if (m->version > 0) {
			char etag[32];
			snprintf(etag, sizeof etag, "\"%" PRId64 "\"", m->version);
			http_header_add(r, "ETag", etag);
			if (m->status == 200 && is_read(r) && http_etag_match(r, MHD_HTTP_HEADER_IF_NONE_MATCH, m->version, 1) == 1)
				http_text(r, 304, NULL, "", 0); /* the reader's copy is current */
		}
		return;
	}
	int status = m->status ? m->status : 500;
	if (status == 403 && r->u->role == ROLE_PUBLIC) { /* API.md: no credentials is 401 */
		http_problem(r, 401, "Unauthorized", "sign in or send an API token");
		return;
	}
	problem_start(r, status, m->title, m->detail ? m->detail : "");
	if (m->nerrors) {
		buf_puts(&r->out, ",\"errors\":[");
		for (size_t i = 0; i < m->nerrors; i++) {
			buf_puts(&r->out, i ? ",{\"field\":" : "{\"field\":");
			buf_json_cstr(&r->out, m->errors[i].field);
			buf_puts(&r->out, ",\"message\":");
			buf_json_cstr(&r->out, m->errors[i].message);
			buf_putc(&r->out, '}');
		}
		buf_putc(&r->out, ']');
	}
	if (m->body.len) /* extra members a domain attached to the problem, e.g. duplicate candidates */
		buf_printf(&r->out, ",%s", buf_str(&m->body));
	buf_putc(&r->out, '}');
}

static int is_json_type(const char *ct)
{
	if (!ct)
		return 0;
	size_t n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	       (n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0);
}

int http_xml_declared(const char *content_type)
{
	static const char *const types[] = { "application/xml", "text/xml", "application/octet-stream" };
	if (!content_type)
		return 1;
	size_t n = strcspn(content_type, "; ");
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (n == strlen(types[i]) && strncasecmp(content_type, types[i], n) == 0)
			return 1;
	return n > 4 && strncasecmp(content_type + n - 4, "+xml", 4) == 0;
}

int http_json_body(request *r)
{
	if (!is_json_type(http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE))) {
		http_problem(r, 415, "Unsupported media type", "send the body as application/json");
		return -1;
	}
	json_error_t e;
	r->json = json_loadb(r->body_in.data ? r->body_in.data : "", r->body_in.len, JSON_REJECT_DUPLICATES, &e);
	if (!r->json) {
		http_problem(r, 400, "Malformed JSON", "line %d, column %d: %s", e.line, e.column, e.text);
		return -1;
	}
	return 0;
}

/* ---- entity-tags (RFC 9110 8.8.3): our tag is the record's version in quotes ---- */

typedef struct etag_query {
	const char *header;
	char tag[32];     /* "3", quotes included */
	int weak;         /* weak comparison: W/"3" names version 3 too */
	int lines, found, malformed;
} etag_query;

/* A byte of an opaque tag: anything visible but the quote (obs-text included). */
static int etagc(unsigned char c) { return c == 0x21 || (c >= 0x23 && c != 0x7f); }

int http_etag_list(const char *s, const char *tag, int weak_match)
{
	s += strspn(s, " \t");
	if (*s == '*')
		return s[1 + strspn(s + 1, " \t")] ? -1 : 1;
	int found = 0, tags = 0;
	for (;;) {
		s += strspn(s, " \t,"); /* empty elements of a list are allowed */
		if (!*s)
			return tags ? found : -1;
		int weak = strncmp(s, "W/", 2) == 0;
		const char *open = s + (weak ? 2 : 0), *close = open + 1;
		if (*open != '"')
			return -1;
		while (etagc((unsigned char)*close))
			close++;
		if (*close != '"')
			return -1;
		size_t n = (size_t)(close + 1 - open);
		found |= (!weak || weak_match) && n == strlen(tag) && memcmp(open, tag, n) == 0;
		tags++;
		s = close + 1 + strspn(close + 1, " \t");
		if (*s && *s != ',')
			return -1;
	}
}

static enum MHD_Result etag_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	etag_query *q = cls;
	if (strcasecmp(key, q->header) != 0)
		return MHD_YES;
	int got = http_etag_list(value ? value : "", q->tag, q->weak);
	q->lines++;
	q->malformed |= got < 0;
	q->found |= got > 0;
	return MHD_YES;
}

int http_etag_match(request *r, const char *header, int64_t version, int weak)
{
	etag_query q = { .header = header, .weak = weak };
	snprintf(q.tag, sizeof q.tag, "\"%" PRId64 "\"", version);
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, etag_each, &q);
	return !q.lines ? -2 : q.malformed ? -1 : q.found;
}
