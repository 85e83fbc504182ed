/*
 * schemas — what the governing bodies' own routes answer beyond records,
 * for the OpenAPI description (see struct route in http/http.h): two texts
 * compared paragraph by paragraph (compare.c).
 */
#include "domains/governance/governance.h"

const api_schema governance_schemas[] = {
	{ "DocumentComparison", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["left", "right", "by", "paragraphs", "words_deleted", "words_inserted", "bounded"],
		"properties": {
			"left": { "$ref": "#/components/schemas/ComparedText" },
			"right": { "$ref": "#/components/schemas/ComparedText" },
			"by": { "enum": ["words", "position"],
				"description": "words: one language, paragraphs aligned and their words compared; position: two languages, paragraph n beside paragraph n" },
			"paragraphs": { "type": "array", "items": { "$ref": "#/components/schemas/ComparedParagraph" } },
			"words_deleted": { "type": "integer", "minimum": 0, "description": "words of the left text not in the right" },
			"words_inserted": { "type": "integer", "minimum": 0, "description": "words of the right text not in the left" },
			"bounded": { "type": "boolean",
				"description": "a paragraph too long to compare word by word within the bounds is shown replaced wholesale" }
		}
	}) },
	{ "ComparedText", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["document", "symbol", "version", "language"],
		"properties": {
			"document": { "type": "integer", "minimum": 1 },
			"symbol": { "type": "string" },
			"version": { "type": "integer", "minimum": 1, "description": "the language version compared" },
			"language": { "enum": ["en", "fr", "es"] }
		}
	}) },
	{ "ComparedParagraph", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["kind", "left_number", "right_number", "left", "right"],
		"properties": {
			"kind": { "enum": ["kept", "changed", "deleted", "inserted", "aligned"],
				"description": "aligned: two languages' paragraphs of the same number" },
			"left_number": { "type": ["integer", "null"], "minimum": 1, "description": "its number in the left text, from 1" },
			"right_number": { "type": ["integer", "null"], "minimum": 1 },
			"left": { "type": ["string", "null"] },
			"right": { "type": ["string", "null"] },
			"wholesale": { "type": "boolean", "description": "changed: too different, or past a bound, to mark word by word" },
			"parts": { "type": "array", "description": "changed: the left text and the right one as runs kept, deleted or inserted",
				"items": { "type": "object", "additionalProperties": false, "required": ["op", "text"],
					"properties": { "op": { "enum": ["same", "deleted", "inserted"] }, "text": { "type": "string" } } } }
		}
	}) },
	{ NULL, NULL },
};
