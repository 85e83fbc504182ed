/*
 * api — the generic JSON API over every kind in the registry:
 *   GET /api/v1/KIND, POST /api/v1/KIND, GET|PATCH|DELETE /api/v1/KIND/ID
 * and the audit log.  Everything particular to a kind is in the registry or
 * in its domain's own routes.
 */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "model/access.h"
#include "model/audit.h"
#include "model/grants.h"
#include "model/outbox.h"
#include "model/merge.h"
#include "model/personal.h"
#include "model/timeline.h"
#include "model/search.h"
#include "model/workflow.h"

const entity *api_entity(request *r, const char *name)
{
	const entity *e = registry_find(&r->app->reg, name);
	if (!e)
		http_problem(r, 404, "Not found", "there is no kind of record called '%s'", name);
	return e;
}


int api_offers(const entity *e, const char *method)
{
	int write = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
	if (!write)
		return access_roles(e, OP_READ) != 0;
	return access_roles(e, OP_CREATE) || access_roles(e, OP_UPDATE) || access_roles(e, OP_ARCHIVE) || e->def->assignee;
}

int route_serves(const route *rt, const registry *reg, const entity *e)
{
	return api_offers(e, rt->method) && (!(rt->only & ONLY_WORKFLOW) || e->def->workflow) &&
	       (!(rt->only & ONLY_PERSONAL) || personal_kind(e)) &&
	       (!(rt->only & ONLY_TIMELINE) || timeline_of_kind(reg, e));
}

typedef struct query_args {
	request *r;
	const char **names, **values;
	int n, cap;
} query_args;

static const char *const reserved[] = { "limit", "cursor", "sort", "archived", "force", "view", NULL };

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	query_args *q = cls;
	if (enum_index(reserved, key) >= 0)
		return MHD_YES;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 8;
		const char **nn = arena_alloc(&q->r->a, (size_t)q->cap * sizeof *nn);
		const char **vv = arena_alloc(&q->r->a, (size_t)q->cap * sizeof *vv);
		if (q->n) {
			memcpy(nn, q->names, (size_t)q->n * sizeof *nn);
			memcpy(vv, q->values, (size_t)q->n * sizeof *vv);
		}
		q->names = nn;
		q->values = vv;
	}
	q->names[q->n] = key;
	q->values[q->n++] = value ? value : "";
	return MHD_YES;
}

static int flag(request *r, const char *name)
{
	const char *v = http_query(r, name);
	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

void api_list(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	query_args q = { r, NULL, NULL, 0, 0 };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect, &q);
	list_params p = { q.names, q.values, q.n, http_query(r, "sort"), http_query(r, "cursor"),
			  http_limit(r, 50), flag(r, "archived"), .view = http_query(r, "view") };
	if (p.limit < 0)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_list(&m, e, &p);
	http_model(r, &m);
	model_done(&m);
}

void api_get(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_get(&m, e, r->params[1]);
	http_model(r, &m);
	model_done(&m);
}

void api_create(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e || http_json_body(r))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);   /* the likely duplicates' reasons */
	if (model_create(&m, e, r->json, flag(r, "force") ? CREATE_FORCE : 0) == 0)
		http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/%s/%" PRId64, e->def->name, m.id));
	http_model(r, &m);
	model_done(&m);
}

/* If-Match (RFC 9110 13.1.1): "*" or a list of tags, of which one must be
 * the record's version as read now; into *version the version the write
 * must find (0 without the header, -1 when it names none, so the write
 * answers 412).  The write checks it again in its own transaction, so a
 * change made in between is a 412 too.  -1 when it answered the request. */
static int if_match(request *r, model_ctx *m, const entity *e, int64_t *version)
{
	*version = 0;
	if (!http_header(r, MHD_HTTP_HEADER_IF_MATCH))
		return 0;
	record now;
	if (model_read(m, e, r->params[1], &now)) {
		http_model(r, m);
		return -1;
	}
	int match = http_etag_match(r, MHD_HTTP_HEADER_IF_MATCH, now.v[COL_VERSION].i, 0);
	if (match < 0) {
		http_problem(r, 400, "Bad request", "If-Match must be \"*\" or versions in quotes, e.g. \"3\"");
		return -1;
	}
	*version = match ? now.v[COL_VERSION].i : -1;
	return 0;
}

void api_update(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	if (!http_header(r, MHD_HTTP_HEADER_IF_MATCH)) {
		http_problem(r, 428, "Precondition required", "send If-Match with the version you read, e.g. If-Match: \"3\"");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	int64_t version;
	if (if_match(r, &m, e, &version) == 0 && http_json_body(r) == 0) {
		model_update(&m, e, r->params[1], version, r->json);
		http_model(r, &m);
	}
	model_done(&m);
}

/* POST …/{kind}/{id}/transitions {"to": STATE, and any fields the move
 * needs}; If-Match optional: a move is checked against the record's state
 * as it is when written, whatever the caller read. */
void api_transition(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e || http_json_body(r))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	int64_t version;
	json_t *to = json_object_get(r->json, "to");
	json_t *fields = json_copy(r->json);
	json_object_del(fields, "to");
	if (if_match(r, &m, e, &version) == 0) {
		if (to && !json_is_string(to)) {
			model_field_error(&m, "to", "must be a state's name, as text");
			model_fail(&m, 422, "Some fields are not valid", "name the state to move to in \"to\"");
		} else {
			model_transition(&m, e, r->params[1], version, json_string_value(to), fields);
		}
		http_model(r, &m);
	}
	json_decref(fields);
	model_done(&m);
}

/* GET …/{kind}/{id}/export: everything held on the record, as a file. */
void api_personal_export(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (model_personal_export(&m, e, r->params[1]) == 0)
		http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"%s-%" PRId64 ".json\"",
									e->def->name, m.id));
	m.version = 0;   /* the answer is not the record: no ETag */
	http_model(r, &m);
	model_done(&m);
}

/* GET …/{kind}/{id}/timeline */
void api_timeline(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	int64_t limit = e ? http_limit(r, 50) : -1;
	if (limit < 0)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	model_timeline(&m, e, r->params[1], http_query(r, "cursor"), limit);
	http_model(r, &m);
	model_done(&m);
}

/* POST …/{kind}/{id}/erase */
void api_erase(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_erase(&m, e, r->params[1]);
	http_model(r, &m);
	model_done(&m);
}

void api_archive(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_archive(&m, e, r->params[1]);
	http_model(r, &m);
	model_done(&m);
}

/* GET /api/v1/audit?kind=&id=&limit=&cursor= (see audit_list for who may). */
void api_audit(request *r)
{
	const char *kind = http_query(r, "kind"), *id = http_query(r, "id"), *cursor = http_query(r, "cursor");
	int64_t limit = http_limit(r, 100);
	if (limit < 0)
		return;
	int64_t before = cursor ? model_parse_id(cursor) : 0;
	if (id && !kind) { /* an id alone names no record: never read as "the whole log" */
		http_problem(r, 400, "Bad request", "id= needs kind= (e.g. ?kind=organizations&id=12)");
		return;
	}
	const entity *e = NULL;
	if (kind && !(e = api_entity(r, kind)))
		return;
	/* a record by its number, or by its own reference (INQ-2026-000005) */
	if ((id && model_parse_id(id) <= 0 && !e->def->key_field) || (cursor && before <= 0)) {
		http_problem(r, 400, "Bad request", "id is a record's number (or its reference, for kinds that have one); "
			     "cursor a whole number");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	audit_list(&m, e, id, before, limit);
	http_model(r, &m);
	model_done(&m);
}

/* POST /api/v1/merges {"kind": "organizations", "keep": 12, "merge": 34} */
void api_merge(request *r)
{
	if (http_json_body(r))
		return;
	const char *kind = json_string_value(json_object_get(r->json, "kind"));
	json_t *keep = json_object_get(r->json, "keep"), *gone = json_object_get(r->json, "merge");
	if (!kind || !json_is_integer(keep) || !json_is_integer(gone)) {
		http_problem(r, 422, "Invalid merge", "send {\"kind\": \"organizations\", \"keep\": ID, \"merge\": ID}");
		return;
	}
	const entity *e = api_entity(r, kind);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	char *k = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(keep));
	char *g = arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(gone));
	if (model_merge(&m, e, k, g) == 0)
		http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/merges/%" PRId64, m.id));
	http_model(r, &m);
	model_done(&m);
}

void api_merge_get(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_merge_get(&m, r->params[0]);
	http_model(r, &m);
	model_done(&m);
}

void api_merge_undo(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_merge_undo(&m, r->params[0]);
	http_model(r, &m);
	model_done(&m);
}

/* GET /api/v1/search?q=&limit=&cursor= */
void api_search(request *r)
{
	int64_t limit = http_limit(r, 20);
	if (limit < 0)
		return;
	if (limit > 100) {
		http_problem(r, 400, "Bad request", "a search page has at most 100 results");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r); /* the facets' labels */
	model_search(&m, http_query(r, "q"), http_query(r, "cursor"), limit);
	http_model(r, &m);
	model_done(&m);
}

/* GET /api/v1/search/suggest?q=migr[&type=organizations] */
void api_suggest(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r); /* the titles, as the page asking shows them */
	model_suggest(&m, http_query(r, "q"), http_query(r, "type"));
	http_model(r, &m);
	model_done(&m);
}

/* GET, POST {"user": NAME} and DELETE …/{kind}/{id}/grants[/{user}]: who
 * besides its creator reads a confidential record (model/grants.c). */
void api_grants(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_grants(&m, e, r->params[1]);
	http_model(r, &m);
	model_done(&m);
}

/* ---- the outbox: a record's mail, and the administrators' list (model/outbox.c) ---- */

void api_outbox(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	outbox_of_record(&m, e, r->params[1]);
	http_model(r, &m);
	model_done(&m);
}

void api_outbox_list(request *r)
{
	int64_t limit = http_limit(r, 50);
	if (limit < 0)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	outbox_list(&m, http_query(r, "state"), http_query(r, "cursor"), limit);
	http_model(r, &m);
	model_done(&m);
}

void api_outbox_retry(request *r)
{
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	outbox_retry(&m, r->params[0]);
	m.version = 0; /* the answer is the outbox's message, not the record the retry wrote: no ETag */
	http_model(r, &m);
	model_done(&m);
}

void api_grant(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e || http_json_body(r))
		return;
	json_t *who = json_object_get(r->json, "user");
	const char *name = json_is_integer(who) ? arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(who))
						: json_string_value(who);
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (model_grant(&m, e, r->params[1], name) == 0 && m.status == 201)
		http_header_add(r, "Location", arena_printf(&r->a, "/api/v1/%s/%s/grants/%" PRId64, e->def->name,
							   r->params[1], m.id));
	m.version = 0; /* the answer is the list of grants, not the record: no ETag */
	http_model(r, &m);
	model_done(&m);
}

void api_ungrant(request *r)
{
	const entity *e = api_entity(r, r->params[0]);
	if (!e)
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	model_ungrant(&m, e, r->params[1], r->params[2]);
	http_model(r, &m);
	model_done(&m);
}
