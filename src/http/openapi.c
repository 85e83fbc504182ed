/*
 * openapi — GET /api/v1/openapi.json, the OpenAPI 3.1 description of every
 * route, written from data: the registry gives each kind of record its
 * schemas (the record as the API writes it, a new one, a merge patch, a
 * list page), and each route's table entry its parameters, body, answers
 * and security (struct route in http.h).  Nothing here is written per
 * route, so a route that changes what it answers changes its table entry,
 * and the document with it.
 *
 * openapi_check runs before the server starts: a route of the API that does
 * not describe its answers, or names a schema nobody declared, stops it.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "model/access.h"
#include "model/timeline.h"
#include "model/personal.h"

/* ---- the platform's named schemas ------------------------------------------------ */

static const api_schema platform_schemas[] = {
	{ "Problem", API_JSON({
		"description": "RFC 9457 problem details; the type is about:blank, so the title is the status phrase",
		"type": "object", "additionalProperties": false, "required": ["type", "title", "status", "detail"],
		"properties": {
			"type": { "const": "about:blank" },
			"title": { "type": "string" },
			"status": { "type": "integer", "minimum": 400, "maximum": 599 },
			"detail": { "type": "string", "description": "what went wrong this time, and what to do" },
			"errors": { "type": "array", "description": "invalid fields, each with what is wrong with it",
				"items": { "type": "object", "additionalProperties": false, "required": ["field", "message"],
					"properties": { "field": { "type": "string", "description": "name, name.fr, tags[2]" },
							"message": { "type": "string" } } } },
			"candidates": { "type": "array", "description": "409 on a create: the existing records it looks like",
				"items": { "type": "object", "additionalProperties": false,
					"required": ["id", "title", "score", "reason"],
					"properties": { "id": { "type": "integer" }, "title": { "type": ["string", "null"] },
							"score": { "type": "number" }, "reason": { "type": "string" } } } },
			"allowed": { "type": "array", "description": "409 on a workflow move: the moves the caller may make from the record's state",
				"items": { "type": "object", "additionalProperties": false, "required": ["to", "label"],
					"properties": { "to": { "type": "string" },
							"label": { "type": "string", "description": "in the reader's language" } } } },
			"position": { "type": "integer", "minimum": 0,
				"description": "400 on a search: where in q the query stops making sense" },
			"line": { "type": "integer", "minimum": 0,
				"description": "422 on a file's import: the line of the file where it was refused (0: not known)" }
		}
	}) },
	{ "Health", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["status"],
		"properties": { "status": { "const": "ok" } }
	}) },
	{ "OpenAPI", API_JSON({ "type": "object", "description": "this document", "required": ["openapi", "paths"] }) },
	{ "Tokens", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": {
			"type": "object", "additionalProperties": false,
			"required": ["id", "created_at", "label", "expires_at", "revoked"],
			"properties": { "id": { "type": "integer" }, "created_at": { "type": "string", "format": "date-time" },
					"label": { "type": ["string", "null"], "description": "what it is for" },
					"expires_at": { "type": ["string", "null"], "format": "date-time",
							"description": "the end of its last day; null for a token made before tokens had one" },
					"revoked": { "type": "boolean" } } } } }
	}) },
	{ "TokenRequest", API_JSON({
		"type": "object",
		"properties": { "label": { "type": ["string", "null"], "maxLength": 100, "description": "what the token is for" },
				"expires": { "type": ["string", "null"], "format": "date",
					     "description": "its last day (UTC); a year from today when not given" } }
	}) },
	{ "GrantRequest", API_JSON({
		"type": "object", "required": ["user"],
		"properties": { "user": { "type": ["string", "integer"], "description": "the user's name or id" } }
	}) },
	{ "Grants", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": {
			"type": "object", "additionalProperties": false, "required": ["user"],
			"properties": { "user": { "type": "object", "additionalProperties": false, "required": ["id", "name"],
				"properties": { "id": { "type": "integer" }, "name": { "type": "string" } } } } } } }
	}) },
	{ "OutboxMessage", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["id", "kind", "record_id", "to", "subject", "state", "attempts", "next_attempt_at", "last_error",
			     "created_at", "sent_at", "updated_at"],
		"description": "a message of the outbox: queued (due from next_attempt_at), sent once the relay took it, failed once it refused for good or the attempts ran out",
		"properties": {
			"id": { "type": "integer" }, "kind": { "type": "string" }, "record_id": { "type": "integer" },
			"to": { "type": "string" }, "subject": { "type": ["string", "null"] },
			"state": { "enum": ["queued", "sent", "failed"] }, "attempts": { "type": "integer", "minimum": 0 },
			"next_attempt_at": { "type": ["string", "null"], "format": "date-time" },
			"last_error": { "type": ["string", "null"], "description": "the relay's last reason" },
			"created_at": { "type": "string", "format": "date-time" },
			"sent_at": { "type": ["string", "null"], "format": "date-time" },
			"updated_at": { "type": "string", "format": "date-time" } }
	}) },
	{ "Outbox", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/OutboxMessage" } } }
	}) },
	{ "OutboxPage", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
		"properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/OutboxMessage" } },
				"next_cursor": { "type": ["string", "null"] } }
	}) },
	{ "CalendarLink", API_JSON({
		"type": ["object", "null"], "additionalProperties": false, "required": ["created_at"],
		"description": "a link in use, null when none was made",
		"properties": { "division": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" } }
	}) },
	{ "CalendarLinks", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["user", "division"],
		"properties": { "user": { "$ref": "#/components/schemas/CalendarLink" },
				"division": { "$ref": "#/components/schemas/CalendarLink" } }
	}) },
	{ "CalendarLinkRequest", API_JSON({
		"type": "object", "required": ["for"], "properties": { "for": { "enum": ["user", "division"] } }
	}) },
	{ "NewCalendarLink", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["for", "url", "link", "note"],
		"properties": { "for": { "enum": ["user", "division"] }, "url": { "type": "string" },
				"link": { "$ref": "#/components/schemas/CalendarLink" }, "note": { "type": "string" } }
	}) },
	{ "SignIn", API_JSON({
		"type": "object", "required": ["name", "password"],
		"properties": { "name": { "type": "string", "maxLength": 100 },
				"password": { "type": "string", "maxLength": 1024 } }
	}) },
	{ "Session", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["id", "name", "role", "division", "language"],
		"properties": {
			"id": { "type": "integer" }, "name": { "type": "string" },
			"role": { "enum": ["admin", "director", "staff", "translator", "viewer", "partner"] },
			"division": { "type": ["string", "null"] }, "language": { "enum": ["en", "fr", "es"] },
			"csrf_token": { "type": "string", "pattern": "^[0-9a-f]{64}$",
				"description": "signed in with the cookie: send it back as X-CSRF-Token on every write" }
		}
	}) },
	{ "NewPassword", API_JSON({
		"type": "object", "required": ["password"],
		"properties": { "password": { "type": "string", "minLength": 12 },
				"current_password": { "type": "string", "description": "required unless an admin sets it" } }
	}) },
	{ "NewToken", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["token", "note"],
		"properties": { "token": { "type": "string", "description": "shown once: send as Authorization: Bearer" },
				"note": { "type": "string" } }
	}) },
	{ "AuditEntry", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["id", "at", "user", "action", "kind", "record_id", "version", "changes", "hash"],
		"properties": {
			"id": { "type": "integer" }, "at": { "type": "string", "format": "date-time" },
			"user": { "type": ["string", "null"] }, "action": { "type": "string" },
			"kind": { "type": "string" }, "record_id": { "type": "integer" }, "version": { "type": "integer" },
			"changes": { "type": "object", "description": "{field: {before, after}}, or {field: {erased: true}} for an erasure; {entries: [ids]} for the entries an erasure redacted (action redact), and {redacted: text} in each of them" },
			"hash": { "type": "string", "pattern": "^[0-9a-f]{64}$" }
		}
	}) },
	{ "AuditPage", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
		"properties": {
			"items": { "type": "array", "items": { "$ref": "#/components/schemas/AuditEntry" } },
			"next_cursor": { "type": ["string", "null"] }
		}
	}) },
	{ "SearchResults", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["items", "next_cursor", "total", "total_is_lower_bound", "fallback", "did_you_mean", "facets", "facet_labels"],
		"properties": {
			"items": { "type": "array", "items": {
				"type": "object", "additionalProperties": false,
				"required": ["kind", "id", "title", "langs", "date", "facets", "snippet", "score"],
				"properties": {
					"kind": { "type": "string" }, "id": { "type": "integer" },
					"title": { "type": ["string", "null"] },
					"langs": { "type": "array", "items": { "enum": ["en", "fr", "es"] } },
					"date": { "type": ["string", "null"], "description": "the record's own date (an interaction's), else the day it last changed" },
					"facets": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } },
						    "description": "its values of each facet, as filters take them (facet_labels names the common ones)" },
					"snippet": { "type": "string", "description": "HTML: the words found in <mark>" },
					"score": { "type": "number" } } } },
			"next_cursor": { "type": ["string", "null"] },
			"total": { "type": "integer", "minimum": 0 },
			"total_is_lower_bound": { "type": "boolean" },
			"fallback": { "type": ["string", "null"], "enum": ["typos", "some_words", "typos_some_words", null],
				      "description": "how the search forgave when few records held every word: typos (words like the ones typed), some_words (records holding some of the words, the most first), or both" },
			"did_you_mean": { "type": ["string", "null"], "description": "the likeliest spelling of the words, when typos were forgiven" },
			"facets": { "type": "object", "required": ["kind", "lang"],
				"description": "counts of the results by kind, language and each facet (a filter name:value), the most frequent values first",
				"additionalProperties": { "type": "object", "additionalProperties": { "type": "integer" } } },
			"facet_labels": { "type": "object", "required": ["kind", "lang"],
				"description": "each value of facets as people read it, in the reader's language",
				"additionalProperties": { "type": "object", "additionalProperties": { "type": "string" } } }
		}
	}) },
	{ "Suggestions", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "maxItems": 10, "items": {
			"type": "object", "additionalProperties": false, "required": ["kind", "id", "title"],
			"properties": { "kind": { "type": "string" }, "id": { "type": "integer" },
					"title": { "type": ["string", "null"] },
					"key": { "type": "string", "description": "what a reference to it holds, for a kind referred to by key (a country's ISO code)" },
					"email": { "type": ["string", "null"], "description": "a user's, when type is users" } } } } }
	}) },
	{ "MergeRequest", API_JSON({
		"type": "object", "required": ["kind", "keep", "merge"],
		"properties": { "kind": { "type": "string" }, "keep": { "type": "integer" }, "merge": { "type": "integer" } }
	}) },
	{ "Merge", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["id", "kind", "kept", "merged", "moved", "at", "undone_at", "moves"],
		"properties": {
			"id": { "type": "integer" }, "kind": { "type": "string" },
			"kept": { "type": "integer" }, "merged": { "type": "integer" }, "moved": { "type": "integer" },
			"at": { "type": "string", "format": "date-time" },
			"undone_at": { "type": ["string", "null"], "format": "date-time" },
			"moves": { "type": "array", "items": { "type": "object", "description":
				"a reference moved ({kind, id, column}) or a link ({link})" } }
		}
	}) },
	{ NULL, NULL },
};

/* ---- small pieces ----------------------------------------------------------------- */

static json_t *ref(const char *name)
{
	json_t *r = json_object();
	json_object_set_new(r, "$ref", json_sprintf("#/components/schemas/%s", name));
	return r;
}

static json_t *strings(const char *const *values, int with_null)
{
	json_t *a = json_array();
	for (int i = 0; values[i]; i++)
		json_array_append_new(a, json_string(values[i]));
	if (with_null)
		json_array_append_new(a, json_null());
	return a;
}

/* {"type": t} or {"type": [t, "null"]} */
static json_t *typed(const char *type, int nullable)
{
	return nullable ? json_pack("{s:[s,s]}", "type", type, "null") : json_pack("{s:s}", "type", type);
}

static int is_write(const char *method) { return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0; }

/* ---- records ---------------------------------------------------------------------- */

typedef enum shape { AS_READ, AS_NEW, AS_PATCH } shape;

static json_t *langtext(const field_def *f, shape s, int nullable)
{
	if (s == AS_READ)
		return ref("LangText");
	json_t *props = json_object();
	for (int l = 0; l < NLANGS; l++) {
		json_t *t = typed("string", 1);
		json_object_set_new(t, "maxLength", json_integer(f->max ? (json_int_t)f->max : 1000));
		json_object_set_new(props, registry_langs[l], t);
	}
	return json_pack("{s:o, s:b, s:o}", "type", nullable ? json_pack("[s,s]", "object", "null") : json_string("object"),
			 "additionalProperties", 0, "properties", props);
}

static json_t *link_item(const field_def *f, shape s)
{
	json_t *item = json_pack("{s:s, s:b, s:{s:{s:o}, s:{s:s, s:i}, s:{s:[s,s], s:i}}}", "type", "object",
				 "additionalProperties", 0, "properties", "kind", "enum", strings(f->link_kinds, 0), "id",
				 "type", "integer", "minimum", 1, "role", "type", "string", "null", "maxLength", 100);
	json_object_set_new(item, "required", s == AS_READ ? json_pack("[s,s,s]", "kind", "id", "role")
							  : json_pack("[s,s]", "kind", "id"));
	return item;
}

/* {"amount": "1250000.00", "currency": "USD"}: the amount as text (or, in
 * a body, a whole number), never a fraction of a JSON number. */
static json_t *money(shape s, int nullable)
{
	json_t *amount = json_pack("{s:s}", "pattern", "^-?(0|[1-9][0-9]*)([.][0-9]+)?$");
	json_object_set_new(amount, "type", s == AS_READ ? json_string("string") : json_pack("[s,s]", "string", "integer"));
	return json_pack("{s:o, s:b, s:[s,s], s:{s:o, s:{s:s, s:s}}}", "type",
			 nullable ? json_pack("[s,s]", "object", "null") : json_string("object"), "additionalProperties", 0,
			 "required", "amount", "currency", "properties", "amount", amount, "currency", "type", "string",
			 "pattern", "^[A-Z]{3}$");
}

/* A field's value as the API writes it (AS_READ) or reads it in a body. */
static json_t *field_schema(const field_def *f, shape s)
{
	int nullable = !(f->flags & REQUIRED);
	json_t *v;
	switch (f->type) {
	case F_LANGTEXT:
		return langtext(f, s, s != AS_READ && nullable);
	case F_MONEY:
		return money(s, nullable);
	case F_LINKS:
		v = json_pack("{s:o, s:o}", "type", s == AS_READ || !nullable ? json_string("array") : json_pack("[s,s]", "array", "null"),
			      "items", link_item(f, s));
		return v;
	case F_LIST:
	case F_EMAILS:
		v = typed("array", nullable);
		json_object_set_new(v, "items", json_pack("{s:s, s:i}", "type", "string", "maxLength", 200));
		if (f->type == F_EMAILS)
			json_object_set_new(json_object_get(v, "items"), "format", json_string("email"));
		json_object_set_new(v, "maxItems", json_integer(f->max ? (json_int_t)f->max : 50));
		return v;
	case F_ENUM:
		return json_pack("{s:o}", "enum", strings(f->values, nullable));
	case F_REF:
		v = typed(f->ref_key ? "string" : "integer", nullable);
		json_object_set_new(v, "description", json_sprintf("the %s of a record of %s", f->ref_key ? f->ref_key : "id", f->ref));
		if (!f->ref_key)
			json_object_set_new(v, "minimum", json_integer(1));
		return v;
	case F_INT:
		v = typed("integer", nullable);
		if (f->min_int < f->max_int) {
			json_object_set_new(v, "minimum", json_integer(f->min_int));
			json_object_set_new(v, "maximum", json_integer(f->max_int));
		}
		return v;
	case F_BOOL:
		return typed("boolean", nullable);
	default:
		break;
	}
	v = typed("string", nullable);
	static const char *const formats[] = { [F_DATE] = "date", [F_TIME] = "date-time", [F_EMAIL] = "email", [F_URL] = "uri" };
	if (f->type < COUNT(formats) && formats[f->type])
		json_object_set_new(v, "format", json_string(formats[f->type]));
	if (f->type != F_DATE && f->type != F_TIME)
		json_object_set_new(v, "maxLength", json_integer(f->max ? (json_int_t)f->max : f->type == F_TEXT ? 10000 : 2000));
	char sample[200];
	if (field_sample(f, 1, sample, sizeof sample) == 0)
		json_object_set_new(v, "examples", json_pack("[s]", sample));
	return v;
}

/* The members every record has (registry.h, COL_*): set by Liaison but for
 * classification and division. */
static void system_members(json_t *props, shape s)
{
	json_object_set_new(props, "classification", json_pack("{s:o}", "enum", strings(classifications, 0)));
	json_object_set_new(props, "division", json_pack("{s:o}", "enum", strings(divisions, 1)));
	if (s != AS_READ)
		return;
	json_object_set_new(props, "id", json_pack("{s:s, s:i, s:b}", "type", "integer", "minimum", 1, "readOnly", 1));
	json_object_set_new(props, "version", json_pack("{s:s, s:i, s:b}", "type", "integer", "minimum", 1, "readOnly", 1));
	json_object_set_new(props, "archived", json_pack("{s:s, s:b}", "type", "boolean", "readOnly", 1));
	static const char *const times[] = { "created_at", "updated_at" }, *const users[] = { "created_by", "updated_by" };
	for (int i = 0; i < 2; i++) {
		json_object_set_new(props, times[i], json_pack("{s:s, s:s, s:b}", "type", "string", "format", "date-time", "readOnly", 1));
		json_object_set_new(props, users[i], json_pack("{s:[s,s], s:s, s:b}", "type", "integer", "null", "description",
							       "the user's id; null when Liaison itself wrote", "readOnly", 1));
	}
}

static json_t *record_schema(const entity *e, shape s)
{
	const entity_def *d = e->def;
	json_t *props = json_object(), *required = json_array();
	system_members(props, s);
	if (s == AS_READ) {
		const char *key;
		json_t *v;
		json_object_foreach(props, key, v)
			json_array_append_new(required, json_string(key));
	}
	for (size_t i = 0; i < d->nfields; i++) {
		const field_def *f = &d->fields[i];
		if (s != AS_READ && (f->flags & READONLY))
			continue; /* refused in a body, so left out of it */
		json_t *v = field_schema(f, s);
		if (s == AS_READ && (f->flags & READONLY))
			json_object_set_new(v, "readOnly", json_true());
		if (f->label)
			json_object_set_new(v, "title", json_string(f->label));
		json_object_set_new(props, f->name, v);
		if (f->flags & TODAY)
			json_object_set_new(v, "description", json_string("today, in the installation's time zone, when a new record gives none"));
		if (s == AS_READ || (s == AS_NEW && (f->flags & REQUIRED) && !(f->flags & TODAY)))
			json_array_append_new(required, json_string(f->name));
	}
	/* A record is open (KIND.members) for views that add to it, and closed
	 * by unevaluatedProperties where it is the answer itself. */
	json_t *schema = json_pack("{s:s, s:o}", "type", "object", "properties", props);
	if (json_array_size(required))
		json_object_set_new(schema, "required", required);
	else
		json_decref(required);
	static const char *const about[] = { "the members of a record of %s as the API writes it", "a new record of %s",
					     "a JSON merge patch (RFC 7396) of a record of %s: null clears" };
	json_object_set_new(schema, "description", json_sprintf(about[s], d->name));
	if (s != AS_READ)
		json_object_set_new(schema, "additionalProperties", json_false());
	return schema;
}

static json_t *page_schema(const char *kind)
{
	return json_pack("{s:s, s:b, s:[s,s], s:{s:{s:s, s:o}, s:{s:[s,s]}}}", "type", "object", "additionalProperties", 0,
			 "required", "items", "next_cursor", "properties", "items", "type", "array", "items", ref(kind),
			 "next_cursor", "type", "string", "null");
}

/* A move: "to" one of the workflow's states, with any other fields the
 * patch takes except the state itself. */
static json_t *transition_schema(const entity *e)
{
	const workflow *w = e->def->workflow;
	json_t *schema = record_schema(e, AS_PATCH), *props = json_object_get(schema, "properties");
	json_object_del(props, w->field);
	json_object_set_new(props, "to", json_pack("{s:o, s:s}", "enum", strings(entity_field(e, w->field)->values, 0),
						   "description", "the state to move to"));
	json_object_set_new(schema, "required", json_pack("[s]", "to"));
	json_object_set_new(schema, "description", json_sprintf("a move of a record of %s along its workflow, with the "
								"fields the new state needs", e->def->name));
	return schema;
}

/* What a data-protection export holds for kind e: the record, the records of
 * each kind that may refer to it, its audit entries, its mail. */
static json_t *export_schema(const app *a, const entity *e)
{
	json_t *referring = json_object();
	for (size_t k = 0; k < a->reg.n; k++)
		if (entity_refers(&a->reg.v[k], e))
			json_object_set_new(referring, a->reg.v[k].def->name,
					    json_pack("{s:s, s:o}", "type", "array", "items", ref(a->reg.v[k].def->name)));
	return json_pack("{s:s, s:b, s:[s,s,s,s,s], s:{s:{s:s}, s:o, s:{s:s, s:b, s:o}, s:{s:s, s:o}, s:{s:s, s:o}}, s:o}",
			 "type", "object", "additionalProperties", 0, "required", "kind", "record", "referring", "audit", "mail",
			 "properties", "kind", "const", e->def->name, "record", ref(e->def->name),
			 "referring", "type", "object", "additionalProperties", 0, "properties", referring,
			 "audit", "type", "array", "items", ref("AuditEntry"),
			 "mail", "type", "array", "items", ref("OutboxMessage"),
			 "description", json_sprintf("everything held on a record of %s: the records that refer to it "
						    "(each kind present only when some do), its audit trail and its mail",
						    e->def->name));
}

/* A page of the events about a record of kind e: each dated kind that
 * refers to it, each item naming its kind. */
static json_t *timeline_schema(const app *a, const entity *e)
{
	json_t *events = json_array();
	for (size_t k = 0; k < a->reg.n; k++) {
		const entity *d = &a->reg.v[k];
		if (!d->def->dated || !entity_refers(d, e))
			continue;
		json_array_append_new(events, json_pack("{s:s, s:b, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:o}}", "type", "object",
							"additionalProperties", 0, "required", "kind", "date", "record",
							"properties", "kind", "const", d->def->name, "date", "type", "string",
							"record", ref(d->def->name)));
	}
	return json_pack("{s:s, s:b, s:[s,s], s:{s:{s:s, s:{s:o}}, s:{s:[s,s]}}, s:o}", "type", "object",
			 "additionalProperties", 0, "required", "items", "next_cursor", "properties", "items", "type", "array",
			 "items", "oneOf", events, "next_cursor", "type", "string", "null",
			 "description", json_sprintf("the events about a record of %s, newest first", e->def->name));
}

/* Component names: "organizations", ".members", ".page", ".new", ".patch". */
static void kind_schemas(json_t *schemas, const app *a, const entity *e)
{
	const char *n = e->def->name;
	char name[128];
	if (personal_kind(e)) {
		snprintf(name, sizeof name, "%s.export", n);
		json_object_set_new(schemas, name, export_schema(a, e));
	}
	if (timeline_of_kind(&a->reg, e)) {
		snprintf(name, sizeof name, "%s.timeline", n);
		json_object_set_new(schemas, name, timeline_schema(a, e));
	}
	snprintf(name, sizeof name, "%s.members", n);
	json_object_set_new(schemas, name, record_schema(e, AS_READ));
	json_object_set_new(schemas, n, json_pack("{s:o, s:b, s:s}", "$ref", json_sprintf("#/components/schemas/%s.members", n),
						  "unevaluatedProperties", 0, "description", "a record as the API writes it"));
	snprintf(name, sizeof name, "%s.page", n);
	json_object_set_new(schemas, name, page_schema(n));
	if (!api_offers(e, "POST"))
		return;
	snprintf(name, sizeof name, "%s.new", n);
	json_object_set_new(schemas, name, record_schema(e, AS_NEW));
	snprintf(name, sizeof name, "%s.patch", n);
	json_object_set_new(schemas, name, record_schema(e, AS_PATCH));
	if (e->def->workflow) {
		snprintf(name, sizeof name, "%s.transition", n);
		json_object_set_new(schemas, name, transition_schema(e));
	}
}

/* ---- parameters ------------------------------------------------------------------- */

static json_t *param_json(const char *name, const char *in, json_t *schema, const char *about, int required)
{
	json_t *p = json_pack("{s:s, s:s, s:b, s:o}", "name", name, "in", in, "required", required, "schema", schema);
	if (about)
		json_object_set_new(p, "description", json_string(about));
	return p;
}

static json_t *declared_schema(const api_param *p)
{
	static const char *const types[] = { "string", "integer", "boolean" };
	json_t *s = p->values ? json_pack("{s:o}", "enum", strings(p->values, 0)) : typed(types[p->type], 0);
	if (p->min < p->max) {
		json_object_set_new(s, "minimum", json_integer(p->min));
		json_object_set_new(s, "maximum", json_integer(p->max));
	}
	return s;
}

/* FIELD=VALUE for every field a list filters on (list.c: all but the
 * multilingual ones and links), and the record's classification and division. */
static void filter_params(json_t *params, const entity *e)
{
	json_array_append_new(params, param_json("classification", "query", json_pack("{s:o}", "enum", strings(classifications, 0)),
						 "only records of this classification", 0));
	json_array_append_new(params, param_json("division", "query", json_pack("{s:o}", "enum", strings(divisions, 0)),
						 "only records of this division", 0));
	if (e->def->views) {
		json_t *names = json_array();
		for (const list_view *v = e->def->views; v->name; v++)
			json_array_append_new(names, json_string(v->name));
		json_array_append_new(params, param_json("view", "query", json_pack("{s:o}", "enum", names),
							 "only the records of this named part of the list", 0));
	}
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (f->type == F_LINKS) {
			json_array_append_new(params, param_json(f->name, "query", json_pack("{s:s, s:s}", "type", "string",
											     "pattern", "^[a-z-]+/[1-9][0-9]*$"),
								 "only records linking to this one, as KIND/ID: persons/12", 0));
			continue;
		}
		if (f->type == F_LANGTEXT)
			continue;
		if (f->type == F_MONEY) {
			char name[96];
			snprintf(name, sizeof name, "%s_currency", f->name);
			json_array_append_new(params, param_json(name, "query",
								 json_pack("{s:s, s:s}", "type", "string", "pattern", "^[A-Z]{3}$"),
								 "only records with an amount in this currency", 0));
			continue;
		}
		json_t *s = f->type == F_ENUM                   ? json_pack("{s:o}", "enum", strings(f->values, 0))
			    : f->type == F_BOOL                 ? typed("boolean", 0)
			    : f->type == F_INT || (f->type == F_REF && !f->ref_key) ? typed("integer", 0)
										   : typed("string", 0);
		int list = f->type == F_LIST || f->type == F_EMAILS;
		json_array_append_new(params, param_json(f->name, "query", s, list ? "only records whose list holds this value"
										     : "only records with this value", 0));
	}
}

/* The {x} of a pattern, one at a time: *p moves past it; NULL when there is no more. */
static const char *next_path_param(const char **p, char *name, size_t n)
{
	const char *open = strchr(*p, '{'), *close = open ? strchr(open, '}') : NULL;
	if (!close)
		return NULL;
	snprintf(name, n, "%.*s", (int)(close - open - 1), open + 1);
	*p = close + 1;
	return name;
}

static const api_param *declared(const route *rt, const char *name)
{
	for (const api_param *p = rt->params; p && p->name; p++)
		if (p->type != PARAM_FILTERS && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static json_t *parameters(const app *a, const route *rt, const entity *e, int credentials)
{
	json_t *params = json_array();
	char name[64];
	for (const char *p = rt->pattern; next_path_param(&p, name, sizeof name);) {
		if (strcmp(name, "kind") == 0)
			continue;
		const api_param *d = declared(rt, name);
		json_t *s = d ? declared_schema(d) : typed(e && strcmp(name, "id") == 0 && !e->def->key_field ? "integer" : "string", 0);
		const char *about = d ? d->about : e && e->def->key_field ? "the record's id, or its key" : NULL;
		json_array_append_new(params, param_json(name, "path", s, about, 1));
	}
	for (const api_param *p = rt->params; p && p->name; p++) {
		if (p->type == PARAM_FILTERS) {
			const entity *of = p->kind ? registry_find(&a->reg, p->kind) : e;
			if (of)
				filter_params(params, of);
		} else if (!strstr(rt->pattern, "{") || !strstr(rt->pattern, p->name) || p->header) {
			json_array_append_new(params, param_json(p->name, p->header ? "header" : "query", declared_schema(p),
								 p->about, p->required));
		}
	}
	if (credentials && is_write(rt->method))
		json_array_append_new(params, param_json("X-CSRF-Token", "header", typed("string", 0),
							 "signed in with the session cookie: the csrf_token of the sign-in "
							 "(a write without it is refused, 403)", 0));
	return params;
}

/* ---- bodies and answers ------------------------------------------------------------- */

/* {"application/json": {"schema": the kind's component with this suffix}} */
static json_t *kind_json(const char *kind, const char *suffix)
{
	char name[128];
	snprintf(name, sizeof name, "%s%s", kind, suffix);
	return json_pack("{s:{s:o}}", "application/json", "schema", ref(name));
}

/* What a body is, as {media type: {schema}}; NULL when there is none. */
static json_t *content(const api_answer *b, int status, const entity *e)
{
	const char *kind = b->schema ? b->schema : e ? e->def->name : "";
	char name[128];
	switch (b->body) {
	case BODY_DEFAULT:
		if (status < 400)
			return NULL;
		snprintf(name, sizeof name, "Problem.%d", status);
		return json_pack("{s:{s:o}}", "application/problem+json", "schema", ref(name));
	case BODY_RECORD:
		return kind_json(kind, "");
	case BODY_PAGE:
		return kind_json(kind, ".page");
	case BODY_NEW:
		return kind_json(kind, ".new");
	case BODY_PATCH:
		snprintf(name, sizeof name, "%s.patch", kind);
		return json_pack("{s:{s:o}, s:{s:o}}", "application/merge-patch+json", "schema", ref(name), "application/json",
				 "schema", ref(name));
	case BODY_EXPORT:
		return kind_json(kind, ".export");
	case BODY_TRANSITION:
		return kind_json(kind, ".transition");
	case BODY_TIMELINE:
		return kind_json(kind, ".timeline");
	case BODY_NAMED:
		return json_pack("{s:{s:o}}", "application/json", "schema", ref(b->schema));
	case BODY_MEDIA:
		return json_pack("{s:{s:{}}}", b->schema, "schema");
	case BODY_NONE:
		break;
	}
	return NULL;
}

static int reads_json(const route *rt)
{
	api_body b = rt->request.body;
	return b == BODY_NEW || b == BODY_PATCH || b == BODY_TRANSITION || b == BODY_NAMED;
}

/* What every route answers that reads credentials, names something in its
 * path or reads a JSON body (auth.c, router.c, respond.c, server.c). */
static const api_answer credentials_fail = { 401, .about = "no valid credentials: a bad token, an expired session" };
static const api_answer csrf_fail = { 403, .about = "signed in with the cookie but no X-CSRF-Token" };
static const api_answer nothing_there = { 404, .about = "nothing at this address, or nothing the caller may see" };
static const api_answer json_fail[] = {
	{ 400, .about = "malformed JSON (with line and column), or not an object" },
	{ 413, .about = "a body over the limit" },
	{ 415, .about = "a body that is not application/json" },
};

typedef struct answer_list {
	const api_answer *v[48];
	size_t n;
} answer_list;

static void push(answer_list *l, const api_answer *x)
{
	if (l->n < COUNT(l->v))
		l->v[l->n++] = x;
}

static answer_list all_answers(const route *rt)
{
	answer_list l = { .n = 0 };
	for (const api_answer *x = rt->answers; x && x->status; x++)
		push(&l, x);
	if (!rt->no_auth)
		push(&l, &credentials_fail);
	if (!rt->no_auth && is_write(rt->method))
		push(&l, &csrf_fail);
	const char *param = strchr(rt->pattern, '{');
	if (param && (strncmp(param, "{kind}", 6) != 0 || strchr(param + 1, '{')))
		push(&l, &nothing_there);
	for (size_t i = 0; reads_json(rt) && i < COUNT(json_fail); i++)
		push(&l, &json_fail[i]);
	return l;
}

static json_t *header(const char *about, json_t *schema, int required)
{
	return json_pack("{s:s, s:b, s:o}", "description", about, "required", required, "schema", schema);
}

/* The response headers of the answers of one status: required when every
 * one of them sends it (a CSV answer's Content-Disposition, not its JSON
 * sibling's). */
static json_t *headers_json(unsigned any, unsigned all)
{
	json_t *h = json_object();
	if (any & HDR_LOCATION)
		json_object_set_new(h, "Location", header("where the new resource is", json_pack("{s:s, s:s}", "type", "string",
											       "format", "uri-reference"),
							  (all & HDR_LOCATION) != 0));
	if (any & HDR_ETAG)
		json_object_set_new(h, "ETag", header("the record's version, in quotes: \"3\"",
						      json_pack("{s:s, s:s}", "type", "string", "pattern", "^\"[0-9]+\"$"),
						      (all & HDR_ETAG) != 0));
	if (any & HDR_RETRY_AFTER)
		json_object_set_new(h, "Retry-After", header("seconds to wait before trying again",
							     json_pack("{s:s, s:s}", "type", "string", "pattern", "^[0-9]+$"),
							     (all & HDR_RETRY_AFTER) != 0));
	if (any & HDR_DISPOSITION)
		json_object_set_new(h, "Content-Disposition", header("attachment, with a file name", typed("string", 0),
								     (all & HDR_DISPOSITION) != 0));
	if (any & HDR_SET_COOKIE)
		json_object_set_new(h, "Set-Cookie", header("the session cookie: liaison_session=…; HttpOnly; SameSite=Strict",
							    typed("string", 0), (all & HDR_SET_COOKIE) != 0));
	return h;
}

/* One response per status, in order: the answers of that status merged
 * (their media types side by side, their whens joined). */
static json_t *responses(const route *rt, const entity *e)
{
	answer_list l = all_answers(rt);
	json_t *out = json_object();
	for (int status = 100; status < 600; status++) {
		buf about = BUF_INIT;
		json_t *media = json_object();
		unsigned any = 0, all = ~0u;
		int seen = 0;
		for (size_t i = 0; i < l.n; i++) {
			const api_answer *x = l.v[i];
			if (x->status != status)
				continue;
			seen = 1;
			if (x->about)
				buf_printf(&about, "%s%s", about.len ? "; " : "", x->about);
			json_t *c = content(x, status, e);
			if (c)
				json_object_update(media, c);
			json_decref(c);
			any |= x->headers;
			all &= x->headers;
		}
		if (seen) {
			const char *phrase = http_status_phrase(status);
			json_t *r = json_object();
			json_object_set_new(r, "description", json_sprintf("%s%s%s", phrase ? phrase : "", about.len ? ": " : "",
									   buf_str(&about)));
			if (json_object_size(media))
				json_object_set(r, "content", media);
			if (any)
				json_object_set_new(r, "headers", headers_json(any, all));
			char code[8];
			snprintf(code, sizeof code, "%d", status);
			json_object_set_new(out, code, r);
		}
		json_decref(media);
		buf_free(&about);
	}
	return out;
}

static json_t *request_body(const route *rt, const entity *e)
{
	json_t *c = content(&rt->request, 0, e);
	return c ? json_pack("{s:b, s:o}", "required", !rt->body_optional, "content", c) : NULL;
}

/* Bearer token or session cookie (with the CSRF token on writes); guests
 * also without either; public routes read no credentials at all. */
static json_t *security(const route *rt, int guests)
{
	if (rt->no_auth && !rt->guests) /* a route that reads credentials itself and lets guests in says so */
		return json_array();
	json_t *s = json_array();
	if (guests)
		json_array_append_new(s, json_object());
	json_array_append_new(s, json_pack("{s:[]}", "bearer"));
	json_array_append_new(s, is_write(rt->method) ? json_pack("{s:[], s:[]}", "cookie", "csrf") : json_pack("{s:[]}", "cookie"));
	return s;
}

/* "get_organizations_id_timeline" from GET /api/v1/organizations/{id}/timeline. */
static json_t *operation_id(const char *method, const char *path)
{
	buf b = BUF_INIT;
	for (const char *m = method; *m; m++)
		buf_putc(&b, (char)(*m | 0x20));
	if (strncmp(path, "/api/v1", 7) == 0)
		path += 7;
	for (const char *p = path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			buf_putc(&b, *p);
		else if (b.data[b.len - 1] != '_' && p[1] && p[1] != '{')
			buf_putc(&b, '_');
	}
	json_t *id = json_string(buf_str(&b));
	buf_free(&b);
	return id;
}

static void add_operation(json_t *paths, const app *a, const route *rt, const entity *e)
{
	buf path = BUF_INIT;
	const char *k = strstr(rt->pattern, "{kind}");
	if (k)
		buf_printf(&path, "%.*s%s%s", (int)(k - rt->pattern), rt->pattern, e->def->name, k + 6);
	else
		buf_puts(&path, rt->pattern);
	json_t *item = json_object_get(paths, buf_str(&path));
	if (!item) {
		item = json_object();
		json_object_set_new(paths, buf_str(&path), item);
	}
	int guests = rt->guests || (e && !is_write(rt->method) && (access_roles(e, OP_READ) & ROLE_BIT(ROLE_PUBLIC)));
	json_t *op = json_pack("{s:s, s:o, s:o, s:o, s:o}", "summary", rt->summary ? rt->summary : "", "operationId",
			       operation_id(rt->method, buf_str(&path)), "parameters", parameters(a, rt, e, !rt->no_auth || rt->guests),
			       "responses", responses(rt, e), "security", security(rt, guests));
	json_t *body = request_body(rt, e);
	if (body)
		json_object_set_new(op, "requestBody", body);
	char method[8];
	snprintf(method, sizeof method, "%s", rt->method);
	for (char *m = method; *m; m++)
		*m = (char)(*m | 0x20);
	json_object_set_new(item, method, op);
	buf_free(&path);
}

static void route_paths(json_t *paths, const app *a, const route *routes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strstr(routes[i].pattern, "{kind}")) {
			add_operation(paths, a, &routes[i], NULL);
			continue;
		}
		for (size_t k = 0; k < a->reg.n; k++)
			if (route_serves(&routes[i], &a->reg, &a->reg.v[k]))
				add_operation(paths, a, &routes[i], &a->reg.v[k]);
	}
}

/* ---- components ------------------------------------------------------------------- */

static void named_schemas(json_t *schemas, const api_schema *table)
{
	for (const api_schema *s = table; s && s->name; s++) {
		json_t *j = json_loads(s->json, 0, NULL);
		if (j)
			json_object_set_new(schemas, s->name, j);
	}
}

static json_t *schemas(const app *a)
{
	json_t *s = json_object();
	json_object_set_new(s, "LangText", json_pack("{s:s, s:s, s:b, s:[s,s,s], s:{s:{s:[s,s]}, s:{s:[s,s]}, s:{s:[s,s]}}}",
						     "description", "text in each language, null where it has none",
						     "type", "object", "additionalProperties", 0, "required", "en", "fr",
						     "es", "properties", "en", "type", "string", "null", "fr", "type",
						     "string", "null", "es", "type", "string", "null"));
	named_schemas(s, platform_schemas);
	for (const api_schema *const *t = a->schemas; t && *t; t++)
		named_schemas(s, *t);
	/* Each status's problem: the title its phrase, the status the answer's own. */
	for (int status = 400; status < 600; status++) {
		const char *phrase = http_status_phrase(status);
		if (!phrase)
			continue;
		char name[16];
		snprintf(name, sizeof name, "Problem.%d", status);
		json_object_set_new(s, name, json_pack("{s:[o], s:{s:{s:i}, s:{s:s}}}", "allOf", ref("Problem"), "properties",
							"status", "const", status, "title", "const", phrase));
	}
	for (size_t i = 0; i < a->reg.n; i++)
		kind_schemas(s, a, &a->reg.v[i]);
	return s;
}

static json_t *components(const app *a)
{
	json_t *undescribed = json_object();
	json_object_set_new(undescribed, "NotFound",
			    json_pack("{s:s, s:{s:{s:o}}}", "description", "Not Found: an address under /api/ that no path here describes",
				      "content", "application/problem+json", "schema", ref("Problem.404")));
	json_object_set_new(undescribed, "MethodNotAllowed",
			    json_pack("{s:s, s:{s:o}, s:{s:{s:o}}}", "description",
				      "Method Not Allowed: a path described here, with a method it does not list", "headers",
				      "Allow", header("the methods it does list", typed("string", 0), 1), "content",
				      "application/problem+json", "schema", ref("Problem.405")));
	json_t *security = json_object();
	json_object_set_new(security, "bearer", json_pack("{s:s, s:s, s:s}", "type", "http", "scheme", "bearer", "description",
							   "an API token: liaison token create NAME"));
	json_object_set_new(security, "cookie", json_pack("{s:s, s:s, s:s, s:s}", "type", "apiKey", "in", "cookie", "name",
							   "liaison_session", "description",
							   "the session of POST /api/v1/session; writes also need csrf"));
	json_object_set_new(security, "csrf", json_pack("{s:s, s:s, s:s, s:s}", "type", "apiKey", "in", "header", "name",
							 "X-CSRF-Token", "description", "the csrf_token of the sign-in"));
	return json_pack("{s:o, s:o, s:o}", "securitySchemes", security, "responses", undescribed, "schemas", schemas(a));
}

/* ---- the document and its check ------------------------------------------------------ */

/* HEAD: the GET without its bodies (the router answers it so). */
static json_t *head_of(const json_t *get, const char *path)
{
	json_t *head = json_deep_copy(get);
	json_object_set_new(head, "operationId", operation_id("HEAD", path));
	const char *status;
	json_t *r;
	json_object_foreach(json_object_get(head, "responses"), status, r)
		json_object_del(r, "content");
	return head;
}

/* OPTIONS: every address that exists answers it, without credentials. */
static json_t *options_of(const char *path)
{
	return json_pack("{s:s, s:o, s:[], s:{s:{s:s, s:{s:o}}}}", "summary", "The methods of this address", "operationId",
			 operation_id("OPTIONS", path), "security", "responses", "204", "description",
			 "No Content: the methods in Allow", "headers", "Allow",
			 header("the methods this address answers, HEAD and OPTIONS included", typed("string", 0), 1));
}

static void head_and_options(json_t *paths)
{
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item) {
		json_t *get = json_object_get(item, "get");
		if (get)
			json_object_set_new(item, "head", head_of(get, path));
		json_object_set_new(item, "options", options_of(path));
	}
}

json_t *openapi_document(const app *a)
{
	json_t *paths = json_object();
	route_paths(paths, a, a->routes, a->nroutes);
	route_paths(paths, a, platform_routes, nplatform_routes);
	head_and_options(paths);
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:o}", "openapi", "3.1.0", "info", "title", "Liaison API", "version", "1",
			 "description", "Every route of the API, written from the registry and the route tables; "
					"problems are application/problem+json (RFC 9457) of type about:blank.",
			 "paths", paths, "components", components(a));
}

void api_openapi(request *r)
{
	json_t *doc = openapi_document(r->app);
	char *text = json_dumps(doc, JSON_COMPACT);
	if (text)
		http_text(r, 200, "application/json", text, strlen(text));
	else
		http_problem(r, 503, "Out of memory", "the description could not be written");
	free(text);
	json_decref(doc);
}

static const api_schema *find_schema(const app *a, const char *name)
{
	for (const api_schema *s = platform_schemas; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	for (const api_schema *const *t = a->schemas; t && *t; t++)
		for (const api_schema *s = *t; s->name; s++)
			if (strcmp(s->name, name) == 0)
				return s;
	return NULL;
}

static int check_schemas(const api_schema *table, char *err, size_t errlen)
{
	for (const api_schema *s = table; s && s->name; s++) {
		json_error_t e;
		json_t *j = json_loads(s->json, 0, &e);
		int ok = json_is_object(j);
		json_decref(j);
		if (!ok) {
			snprintf(err, errlen, "the schema %s is not a JSON object: %s", s->name, e.text);
			return -1;
		}
	}
	return 0;
}

/* What one body of a route names exists: its kind, or its schema. */
static int check_body(const app *a, const route *rt, const api_answer *x, char *err, size_t errlen)
{
	int of_kind = x->body == BODY_RECORD || x->body == BODY_PAGE || x->body == BODY_NEW || x->body == BODY_PATCH ||
		      x->body == BODY_TRANSITION || x->body == BODY_EXPORT || x->body == BODY_TIMELINE;
	const char *problem = NULL;
	if (of_kind && !x->schema && !strstr(rt->pattern, "{kind}"))
		problem = "names no kind";
	else if (of_kind && x->schema && !registry_find(&a->reg, x->schema))
		problem = "names a kind that does not exist";
	else if (x->body == BODY_NAMED && (!x->schema || !find_schema(a, x->schema)))
		problem = "names a schema nobody declared";
	else if (x->body == BODY_MEDIA && !x->schema)
		problem = "names no media type";
	else if (x->body == BODY_DEFAULT && x->status >= 200 && x->status < 400 && x->status != 204 && x->status != 304)
		problem = "says nothing of its body";
	if (!problem)
		return 0;
	snprintf(err, errlen, "%s %s: %s%d %s (%s)", rt->method, rt->pattern, x->status ? "the answer " : "the request body",
		 x->status, problem, x->schema ? x->schema : "");
	return -1;
}

static int check_routes(const app *a, const route *routes, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const route *rt = &routes[i];
		if (!rt->answers || !rt->answers[0].status) {
			snprintf(err, errlen, "%s %s describes none of its answers (struct route, http.h)", rt->method, rt->pattern);
			return -1;
		}
		if (rt->request.body != BODY_DEFAULT && check_body(a, rt, &rt->request, err, errlen))
			return -1;
		for (const api_answer *x = rt->answers; x->status; x++)
			if (check_body(a, rt, x, err, errlen))
				return -1;
	}
	return 0;
}

int openapi_check(const app *a, char *err, size_t errlen)
{
	if (check_schemas(platform_schemas, err, errlen))
		return -1;
	for (const api_schema *const *t = a->schemas; t && *t; t++)
		if (check_schemas(*t, err, errlen))
			return -1;
	return check_routes(a, platform_routes, nplatform_routes, err, errlen) ||
			       check_routes(a, a->routes, a->nroutes, err, errlen)
		       ? -1
		       : 0;
}
