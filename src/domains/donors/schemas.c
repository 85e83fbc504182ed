/*
 * schemas — what the donors area's own routes answer beyond records, for
 * the OpenAPI description (see struct route in http/http.h): the funding
 * received, cut one way in one currency.
 */
#include "domains/donors/donors.h"

const api_schema donors_schemas[] = {
	{ "Funding", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["by", "currency", "rows", "total", "rates", "top5_share", "hhi"],
		"properties": {
			"by": { "enum": ["donor", "year", "earmarking", "programme", "sector", "country", "region"] },
			"currency": { "type": "string", "pattern": "^[A-Z]{3}$" },
			"rows": { "type": "array", "description": "the largest first; years in their order", "items": {
				"type": "object", "additionalProperties": false, "required": ["key", "label", "amount", "share"],
				"properties": {
					"key": { "type": "string",
						"description": "a donor's or programme's id, a year, a sector or country code, a DAC region code, an earmarking; empty: not allocated to a programme; -: no sector, country or region given" },
					"label": { "type": "string", "description": "its name in the caller's language" },
					"amount": { "$ref": "#/components/schemas/FundingMoney" },
					"share": { "type": "number", "minimum": 0, "maximum": 1, "description": "of the total" }
				}
			} },
			"total": { "$ref": "#/components/schemas/FundingMoney" },
			"rates": { "type": "array", "items": { "type": "string" },
				"description": "the exchange rates used, each once: 1 EUR = 1.0845 USD (2026-03-31)" },
			"top5_share": { "type": "number", "minimum": 0, "maximum": 1, "description": "the five largest rows' share of the total" },
			"hhi": { "type": "number", "minimum": 0, "maximum": 1, "description": "the Herfindahl index: the sum of the rows' squared shares" }
		}
	}) },
	{ "FundingMoney", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["amount", "currency"],
		"properties": {
			"amount": { "type": "string", "pattern": "^-?(0|[1-9][0-9]*)([.][0-9]+)?$" },
			"currency": { "type": "string", "pattern": "^[A-Z]{3}$" }
		}
	}) },
	{ "Matches", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["items"],
		"properties": { "items": { "type": "array", "description": "the best first", "items": {
			"type": "object", "additionalProperties": false, "required": ["score", "parts", "terms"],
			"properties": {
				"programme": { "type": "integer", "minimum": 1, "description": "a programme, for a donor" },
				"donor_profile": { "type": "integer", "minimum": 1, "description": "a donor's profile, for a programme" },
				"donor": { "type": "integer", "minimum": 1, "description": "that donor's organization" },
				"score": { "type": "number", "minimum": 0, "description": "the sum of the parts, at most 1" },
				"parts": { "type": "object", "additionalProperties": { "type": "number" },
					"description": "each part's weighted share of the score: sector, country, region, theme, sdg, text, history" },
				"terms": { "type": "array", "items": {
					"type": "object", "additionalProperties": false, "required": ["part", "code", "a", "b", "contribution"],
					"properties": {
						"part": { "enum": ["sector", "country", "region", "theme", "sdg", "text", "history"] },
						"code": { "type": "string", "description": "the code, the stem shared, or the programme funded before" },
						"a": { "type": "number", "description": "the programme's share, or the text's weight, or the past funding's part" },
						"b": { "type": "number", "description": "the donor's weight over 5, or the other text's, or the likeness" },
						"contribution": { "type": "number", "description": "the part's weight × a × b: the terms sum to the score" }
					}
				} }
			}
		} } }
	}) },
	{ NULL },
};
