/*
 * schemas — what the translation area's own routes answer and read beyond
 * records, for the OpenAPI description (see struct route in http/http.h):
 * the memory's matches, a leverage analysis, a TMX import's outcome, an
 * XLIFF import's, a TBX import's, a text's terms.
 */
#include "domains/translation/translation.h"

const api_schema translation_schemas[] = {
	{ "MemoryMatches", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/MemoryMatch" } } }
	}) },
	{ "MemoryMatch", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["id", "score", "adapted", "source", "target", "origin", "translator", "created_at", "job", "differences"],
		"properties": {
			"id": { "type": "integer", "minimum": 1, "description": "the unit of the memory" },
			"score": { "type": "integer", "minimum": 1, "maximum": 101,
				"description": "100 × (longer − token edit distance) / longer, on case-folded words; 101: the same sentence in the same context" },
			"adapted": { "type": "boolean", "description": "the unit differed only in numbers or codes, which the target now has as the sentence asked" },
			"source": { "type": "string" },
			"target": { "type": "string" },
			"origin": { "type": "string", "description": "the document symbol the unit came from, or empty" },
			"translator": { "type": "string" },
			"created_at": { "type": "string" },
			"job": { "type": "integer", "minimum": 0, "description": "the translation job it came from, 0 for none" },
			"differences": { "type": "array", "items": { "$ref": "#/components/schemas/MemoryDifference" } }
		}
	}) },
	{ "MemoryDifference", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["op", "source", "query"],
		"properties": {
			"op": { "enum": ["replace", "delete", "insert"],
				"description": "a word of the unit's source replaced or deleted, or a word of the sentence it lacks" },
			"source": { "$ref": "#/components/schemas/TextSpan" },
			"query": { "$ref": "#/components/schemas/TextSpan" }
		}
	}) },
	{ "TextSpan", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["offset", "length"],
		"properties": {
			"offset": { "type": "integer", "minimum": 0, "description": "in characters from the text's start" },
			"length": { "type": "integer", "minimum": 0, "description": "in characters; 0 for a place" }
		}
	}) },
	{ "Concordance", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": {
			"type": "object", "additionalProperties": false,
			"required": ["id", "source_lang", "target_lang", "source", "target", "origin", "created_at", "found_in", "found_at"],
			"properties": {
				"id": { "type": "integer", "minimum": 1 },
				"source_lang": { "enum": ["en", "fr", "es"] },
				"target_lang": { "enum": ["en", "fr", "es"] },
				"source": { "type": "string" },
				"target": { "type": "string" },
				"origin": { "type": "string" },
				"created_at": { "type": "string" },
				"found_in": { "enum": ["source", "target"], "description": "the side in the language asked" },
				"found_at": { "oneOf": [{ "$ref": "#/components/schemas/TextSpan" }, { "type": "null" }],
					"description": "where the words are in that side, in characters" }
			} } } }
	}) },
	{ "TranslationChecked", API_JSON({
		"type": "object", "additionalProperties": false,
		"properties": { "target": { "type": "string", "description": "the translation to check (the sentence's own when not given)" } }
	}) },
	{ "TranslationChecks", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "items": {
			"type": "object", "additionalProperties": false, "required": ["code", "message", "item", "offset", "length"],
			"properties": {
				"code": { "type": "string", "description": "number-missing, number-added, codes-broken, codes-differ, term-missing, term-deprecated, untranslated, empty, double-space, leading-space, trailing-space, end-punctuation, spelling" },
				"message": { "type": "string" },
				"item": { "type": "string", "description": "what is at fault: a number, a term, a word" },
				"offset": { "type": "integer", "minimum": 0, "description": "in bytes of the translation" },
				"length": { "type": "integer", "minimum": 0 },
				"suggest": { "type": "array", "items": { "type": "string" }, "description": "spelling: the dictionary's suggestions" }
			} } } }
	}) },
	{ "MachineSuggestion", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["text", "pivot", "by"],
		"properties": {
			"text": { "type": "string" },
			"pivot": { "type": "boolean", "description": "translated through Spanish" },
			"by": { "const": "machine", "description": "a machine's suggestion, to be checked word by word" }
		}
	}) },
	{ "LeverageAsked", API_JSON({
		"type": "object", "required": ["text", "from", "to"],
		"properties": {
			"text": { "type": "string", "minLength": 1 },
			"from": { "enum": ["en", "fr", "es"] },
			"to": { "enum": ["en", "fr", "es"] }
		}
	}) },
	{ "Leverage", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["bands", "segments", "words", "weighted_words", "estimate"],
		"properties": {
			"bands": { "type": "array", "items": {
				"type": "object", "additionalProperties": false, "required": ["band", "segments", "words", "weight"],
				"properties": {
					"band": { "enum": ["in_context", "exact", "95", "85", "75", "50", "none", "repetition"] },
					"segments": { "type": "integer", "minimum": 0 },
					"words": { "type": "integer", "minimum": 0 },
					"weight": { "type": "integer", "minimum": 0, "description": "per cent of the rate its words cost" }
				} } },
			"segments": { "type": "integer", "minimum": 0 },
			"words": { "type": "integer", "minimum": 0 },
			"weighted_words": { "type": "integer", "minimum": 0, "description": "the words paid for" },
			"estimate": { "type": "object", "additionalProperties": false, "required": ["amount", "currency", "rate_per_word"],
				"properties": {
					"amount": { "type": "integer", "minimum": 0, "description": "in minor units of the currency" },
					"currency": { "type": "string", "pattern": "^[A-Z]{3}$" },
					"rate_per_word": { "type": "integer", "minimum": 0, "description": "in minor units" }
				} }
		}
	}) },
	{ "MemoryImported", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["units", "skipped"],
		"properties": {
			"units": { "type": "integer", "minimum": 0, "description": "units added" },
			"skipped": { "type": "integer", "minimum": 0, "description": "variants in no language of Liaison's, or empty" }
		}
	}) },
	{ "XliffImport", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["segments", "changed"],
		"properties": {
			"segments": { "type": "integer", "minimum": 0, "description": "the job's sentences, every one in the file" },
			"changed": { "type": "integer", "minimum": 0,
				     "description": "the sentences whose translation or state the file changed, now updated" }
		}
	}) },
	{ "TermbaseImport", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["concepts", "terms"],
		"properties": {
			"concepts": { "type": "integer", "minimum": 0, "description": "concepts created" },
			"terms": { "type": "integer", "minimum": 0, "description": "terms created" }
		}
	}) },
	{ "FoundTerms", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["lang", "to", "items"],
		"properties": {
			"lang": { "enum": ["en", "fr", "es"], "description": "the text's language" },
			"to": { "enum": ["en", "fr", "es"], "description": "the language of the terms offered" },
			"items": { "type": "array", "items": { "$ref": "#/components/schemas/FoundTerm" },
				"description": "in the order of the text; where two terms overlap, the longer one" }
		}
	}) },
	{ "FoundTerm", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["offset", "length", "text", "term", "concept", "preferred", "admitted", "deprecated"],
		"properties": {
			"offset": { "type": "integer", "minimum": 0,
				"description": "where the term begins in the text, in characters (Unicode code points) from its start, as people and the pages count them, not bytes; a character beyond U+FFFF counts one, where JavaScript's strings count two" },
			"length": { "type": "integer", "minimum": 1, "description": "the term's length in the text, in characters (code points)" },
			"text": { "type": "string", "description": "the term as the text writes it: \"migrant workers\"" },
			"term": { "type": "object", "additionalProperties": false, "required": ["id", "text"],
				"properties": { "id": { "type": "integer", "minimum": 1 },
						"text": { "type": "string", "description": "the term as the termbase writes it: \"migrant worker\"" } } },
			"concept": { "type": "integer", "minimum": 1 },
			"preferred": { "type": "array", "items": { "type": "string" }, "description": "the concept's preferred terms in the language to" },
			"admitted": { "type": "array", "items": { "type": "string" }, "description": "its admitted terms in that language" },
			"deprecated": { "type": "array", "items": { "type": "string" }, "description": "its deprecated terms in that language: not to be used" }
		}
	}) },
	{ NULL },
};
