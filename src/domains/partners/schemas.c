/*
 * schemas — what the partner registry's own routes answer beyond records,
 * for the OpenAPI description (see struct route in http/http.h): a
 * relationship read from one end, and the likely duplicates' queue.
 */
#include "domains/partners/partners.h"

const api_schema partners_schemas[] = {
	{ "RelationshipsFromOneEnd", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
		"properties": {
			"items": { "type": "array", "items": {
				"$ref": "#/components/schemas/relationships.members",
				"required": ["direction", "label", "other"],
				"properties": {
					"direction": { "enum": ["forward", "reverse"],
						"description": "forward when the record asked about is the relationship's from end" },
					"label": { "anyOf": [{ "$ref": "#/components/schemas/LangText" }, { "type": "null" }],
						"description": "the relationship type's words, read from this end" },
					"other": { "type": "object", "additionalProperties": false, "required": ["kind", "id"],
						"properties": { "kind": { "enum": ["organizations", "persons"] },
								"id": { "type": ["integer", "null"] } } }
				},
				"unevaluatedProperties": false } },
			"next_cursor": { "type": ["string", "null"] }
		}
	}) },
	{ "DuplicateQueue", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": {
			"type": "object", "additionalProperties": false,
			"required": ["kind", "score", "reason", "first", "second"],
			"properties": {
				"kind": { "enum": ["organizations", "persons"] },
				"score": { "type": "number", "minimum": 0, "maximum": 1, "description": "how alike the two are" },
				"reason": { "type": "string", "description": "why, field by field, in the reader's language" },
				"first": { "$ref": "#/components/schemas/DuplicateSide" },
				"second": { "$ref": "#/components/schemas/DuplicateSide" }
			} } } }
	}) },
	{ "DuplicateSide", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["id", "title"],
		"properties": { "id": { "type": "integer" }, "title": { "type": ["string", "null"] } }
	}) },
	{ "DuplicateDismissal", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["kind", "first", "second"],
		"properties": { "kind": { "enum": ["organizations", "persons"] },
				"first": { "type": "integer", "minimum": 1 }, "second": { "type": "integer", "minimum": 1 } }
	}) },
	{ "DuplicateDismissed", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["kind", "first", "second", "dismissed_at"],
		"properties": { "kind": { "enum": ["organizations", "persons"] },
				"first": { "type": "integer", "description": "the smaller id" }, "second": { "type": "integer" },
				"dismissed_at": { "type": "string", "format": "date-time" } }
	}) },
	{ NULL, NULL },
};
