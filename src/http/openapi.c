/*
 * openapi — GET /api/v1/openapi.json, an OpenAPI 3.1 description written
 * from the registry at request time, so it cannot drift from what the
 * server does.
 */
#include <string.h>

#include "http/http.h"

static void enum_json(buf *b, const char *const *values)
{
	buf_puts(b, "\"enum\":[");
	for (int i = 0; values[i]; i++) {
		buf_puts(b, i ? "," : "");
		buf_json_cstr(b, values[i]);
	}
	buf_putc(b, ']');
}

static void field_schema(buf *b, const field_def *f)
{
	switch (f->type) {
	case F_LANGTEXT:
		buf_puts(b, "{\"$ref\":\"#/components/schemas/LangText\"}");
		return;
	case F_ENUM:
		buf_puts(b, "{\"type\":\"string\",");
		enum_json(b, f->values);
		buf_putc(b, '}');
		return;
	case F_REF:
		buf_printf(b, "{\"type\":\"%s\",\"description\":\"%s of a %s\"}", f->ref_key ? "string" : "integer",
			   f->ref_key ? f->ref_key : "id", f->ref);
		return;
	case F_DATE:
		buf_puts(b, "{\"type\":\"string\",\"format\":\"date\"}");
		return;
	case F_TIME:
		buf_puts(b, "{\"type\":\"string\",\"format\":\"date-time\"}");
		return;
	case F_INT:
		buf_puts(b, "{\"type\":\"integer\"}");
		return;
	case F_BOOL:
		buf_puts(b, "{\"type\":\"boolean\"}");
		return;
	case F_EMAIL:
		buf_puts(b, "{\"type\":\"string\",\"format\":\"email\"}");
		return;
	case F_URL:
		buf_puts(b, "{\"type\":\"string\",\"format\":\"uri\"}");
		return;
	case F_LIST:
	case F_EMAILS:
		buf_puts(b, "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
		return;
	case F_LINKS:
		buf_puts(b, "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Link\"}}");
		return;
	default:
		buf_printf(b, "{\"type\":\"string\",\"maxLength\":%zu}", f->max ? f->max : 10000);
	}
}

static void entity_schema(buf *b, const entity *e)
{
	const entity_def *d = e->def;
	buf_json_cstr(b, d->name);
	buf_puts(b, ":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
		    "\"id\":{\"type\":\"integer\",\"readOnly\":true},\"version\":{\"type\":\"integer\",\"readOnly\":true},"
		    "\"archived\":{\"type\":\"boolean\",\"readOnly\":true},"
		    "\"classification\":{\"type\":\"string\",");
	enum_json(b, classifications);
	buf_puts(b, "},\"division\":{\"type\":[\"string\",\"null\"],");
	enum_json(b, divisions);
	buf_puts(b, "}");
	int nreq = 0;
	for (size_t i = 0; i < d->nfields; i++) {
		buf_putc(b, ',');
		buf_json_cstr(b, d->fields[i].name);
		buf_putc(b, ':');
		field_schema(b, &d->fields[i]);
	}
	buf_puts(b, "},\"required\":[");
	for (size_t i = 0; i < d->nfields; i++)
		if (d->fields[i].flags & REQUIRED) {
			buf_puts(b, nreq++ ? "," : "");
			buf_json_cstr(b, d->fields[i].name);
		}
	buf_puts(b, "]}");
}

static void op(buf *b, const char *method, const char *summary, const char *schema, const char *ok, int first)
{
	buf_printf(b, "%s\"%s\":{\"summary\":", first ? "" : ",", method);
	buf_json_cstr(b, summary);
	if (schema && strcmp(method, "get") != 0 && strcmp(method, "delete") != 0)
		buf_printf(b, ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":"
			      "{\"$ref\":\"#/components/schemas/%s\"}}}}", schema);
	buf_printf(b, ",\"responses\":{\"%s\":{\"description\":\"success\"},"
		      "\"default\":{\"$ref\":\"#/components/responses/Problem\"}}}", ok);
}

static void entity_paths(buf *b, const entity *e)
{
	const char *n = e->def->name;
	buf_puts(b, ",\"/api/v1/");
	buf_puts(b, n);
	buf_puts(b, "\":{");
	op(b, "get", "List, filter, sort and page", NULL, "200", 1);
	op(b, "post", "Create", n, "201", 0);
	buf_puts(b, "},\"/api/v1/");
	buf_puts(b, n);
	buf_puts(b, "/{id}\":{\"parameters\":[{\"name\":\"id\",\"in\":\"path\",\"required\":true,"
		    "\"schema\":{\"type\":\"string\"}}],");
	op(b, "get", "Read one", NULL, "200", 1);
	op(b, "patch", "Change (JSON merge patch, If-Match required)", n, "200", 0);
	op(b, "delete", "Archive", NULL, "204", 0);
	buf_putc(b, '}');
}

/* The routes beyond the generic five, grouped by path (one path, several methods). */
static void route_paths(buf *b, const route *routes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const route *rt = &routes[i];
		int seen = strstr(rt->pattern, "{kind}") != NULL || strcmp(rt->pattern, "/healthz") == 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(routes[j].pattern, rt->pattern) == 0;
		if (seen)
			continue;
		buf_puts(b, ",");
		buf_json_cstr(b, rt->pattern);
		buf_puts(b, ":{");
		for (size_t j = i, first = 1; j < n; j++) {
			if (strcmp(routes[j].pattern, rt->pattern) != 0)
				continue;
			char method[8];
			size_t k = 0;
			for (; routes[j].method[k] && k < sizeof method - 1; k++)
				method[k] = (char)(routes[j].method[k] | 0x20);
			method[k] = '\0';
			op(b, method, routes[j].summary ? routes[j].summary : "", NULL, "200", (int)first);
			first = 0;
		}
		buf_putc(b, '}');
	}
}

void api_openapi(request *r)
{
	const registry *reg = &r->app->reg;
	buf b = BUF_INIT;
	buf_puts(&b, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Liaison API\",\"version\":\"1\"},"
		     "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
		     "\"responses\":{\"Problem\":{\"description\":\"RFC 9457 problem\",\"content\":"
		     "{\"application/problem+json\":{\"schema\":{\"type\":\"object\"}}}}},"
		     "\"schemas\":{\"LangText\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":"
		     "{\"en\":{\"type\":[\"string\",\"null\"]},\"fr\":{\"type\":[\"string\",\"null\"]},"
		     "\"es\":{\"type\":[\"string\",\"null\"]}}},"
		     "\"Link\":{\"type\":\"object\",\"required\":[\"kind\",\"id\"],\"properties\":{\"kind\":"
		     "{\"type\":\"string\"},\"id\":{\"type\":\"integer\"},\"role\":{\"type\":[\"string\",\"null\"]}}}");
	for (size_t i = 0; i < reg->n; i++) {
		buf_putc(&b, ',');
		entity_schema(&b, &reg->v[i]);
	}
	buf_puts(&b, "}},\"security\":[{\"bearer\":[]}],\"paths\":{\"/healthz\":{\"get\":{\"summary\":\"Liveness\","
		     "\"security\":[],\"responses\":{\"200\":{\"description\":\"the store answers\"}}}}");
	for (size_t i = 0; i < reg->n; i++)
		entity_paths(&b, &reg->v[i]);
	route_paths(&b, r->app->routes, r->app->nroutes);
	route_paths(&b, platform_routes, nplatform_routes);
	buf_puts(&b, "}}");
	http_json(r, 200, &b);
	buf_free(&b);
}
