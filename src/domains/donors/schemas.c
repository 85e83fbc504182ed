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
			"by": { "enum": ["donor", "year", "earmarking", "programme", "sector", "country"] },
			"currency": { "type": "string", "pattern": "^[A-Z]{3}$" },
			"rows": { "type": "array", "description": "the largest first; years in their order", "items": {
				"type": "object", "additionalProperties": false, "required": ["key", "label", "amount", "share"],
				"properties": {
					"key": { "type": "string",
						"description": "a donor's or programme's id, a year, a sector or country code, an earmarking; empty: not allocated to a programme; -: no sector or country given" },
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
	{ NULL },
};
