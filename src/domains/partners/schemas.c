/*
 * schemas — what the partner registry's own routes answer beyond records,
 * for the OpenAPI description (see struct route in http/http.h): a
 * relationship read from one end, and everything held on a person.
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
	{ NULL, NULL },
};
