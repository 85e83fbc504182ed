/*
 * url — addresses built from the request's own: the same path and query
 * with one parameter replaced, for links to another page of a list (an
 * HTML page's, or a Link header's rel="next").
 */
#include <microhttpd.h>
#include <string.h>

#include "http/http.h"

typedef struct query_copy {
	buf *out;
	const char *skip;
} query_copy;

void http_url_component(buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
			buf_putc(out, (char)c);
		else
			buf_printf(out, "%%%02X", c);
	}
}

static enum MHD_Result copy_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	query_copy *q = cls;
	if (strcmp(key, q->skip) == 0)
		return MHD_YES;
	buf_putc(q->out, strchr(buf_str(q->out), '?') ? '&' : '?');
	http_url_component(q->out, key);
	if (value) {
		buf_putc(q->out, '=');
		http_url_component(q->out, value);
	}
	return MHD_YES;
}

char *http_url_with(request *r, const char *name, const char *value)
{
	buf out = BUF_INIT;
	buf_puts(&out, "/");
	for (int i = 0; i < r->nsegs; i++) {
		if (i)
			buf_putc(&out, '/');
		http_url_component(&out, r->segs[i]);
	}
	query_copy q = { &out, name };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, copy_arg, &q);
	if (value) {
		buf_putc(&out, strchr(buf_str(&out), '?') ? '&' : '?');
		http_url_component(&out, name);
		buf_putc(&out, '=');
		http_url_component(&out, value);
	}
	char *s = arena_strdup(&r->a, buf_str(&out));
	buf_free(&out);
	return s;
}
