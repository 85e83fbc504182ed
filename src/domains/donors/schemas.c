/*
 * schemas — what the donors area's own routes answer beyond records, for
 * the OpenAPI description (see struct route in http/http.h): the funding
 * received, cut one way in one currency; an IATI file's import, and the
 * funding landscape's pivot of the imported IATI transactions.
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
	{ "IatiImported", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["added", "updated", "transactions", "warnings_count", "warnings"],
		"properties": {
			"added": { "type": "integer", "minimum": 0, "description": "activities new to Liaison" },
			"updated": { "type": "integer", "minimum": 0,
				"description": "activities already there (the same iati-identifier), replaced with everything below them" },
			"transactions": { "type": "integer", "minimum": 0, "description": "transactions written" },
			"warnings_count": { "type": "integer", "minimum": 0, "description": "every warning, listed or not" },
			"warnings": { "type": "array", "maxItems": 100,
				"description": "the first warnings: codes IATI does not list, values rounded",
				"items": { "type": "object", "additionalProperties": false, "required": ["line", "reason"],
					"properties": { "line": { "type": "integer", "minimum": 0 }, "reason": { "type": "string" } } } }
		}
	}) },
	{ "FundingPivot", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["rows", "cols", "type", "from", "to", "currency", "cells", "labels", "rates", "donors"],
		"properties": {
			"rows": { "enum": ["donor", "sector", "country", "year"] },
			"cols": { "enum": ["donor", "sector", "country", "year"] },
			"type": { "type": "string", "description": "the transaction type summed: 3 disbursements, 1 incoming funds..." },
			"from": { "type": "integer" },
			"to": { "type": "integer" },
			"currency": { "type": ["string", "null"], "description": "the currency every amount was converted into, or null: each amount in its own" },
			"cells": { "type": "array", "description": "one per row, column and currency that holds money",
				"items": { "type": "object", "additionalProperties": false, "required": ["row", "col", "amount", "currency"],
					"properties": {
						"row": { "type": "string", "description": "a donor's IATI ref, a DAC sector, a country's ISO code or a region's code, or a year; empty when unknown" },
						"col": { "type": "string" },
						"amount": { "type": "string", "description": "in full, as many decimals as the currency has" },
						"currency": { "type": "string" }
					} } },
			"labels": { "type": "object", "additionalProperties": { "type": "string" },
				"description": "the names of the donors and sectors the rows and columns name" },
			"rates": { "type": "array", "description": "every exchange rate a conversion used",
				"items": { "type": "object", "additionalProperties": false, "required": ["date", "from", "to", "rate", "text"],
					"properties": {
						"date": { "type": "string" }, "from": { "type": "string" }, "to": { "type": "string" },
						"rate": { "type": "string", "description": "1 from = rate to, as stored" },
						"text": { "type": "string", "description": "1 EUR = 1.0845 USD (2025-12-31)" }
					} } },
			"donors": { "type": "array", "description": "per currency: the donors ranked and how concentrated the giving is",
				"items": { "type": "object", "additionalProperties": false,
					"required": ["currency", "total", "donors", "top5_share", "herfindahl", "top"],
					"properties": {
						"currency": { "type": "string" },
						"total": { "type": "string" },
						"donors": { "type": "integer", "minimum": 1, "description": "donors that gave" },
						"top5_share": { "type": "number", "minimum": 0, "maximum": 1, "description": "the five largest donors' share" },
						"herfindahl": { "type": "number", "minimum": 0, "maximum": 1,
							"description": "the sum of the donors' squared shares: 1 when one gives all" },
						"top": { "type": "array", "maxItems": 10, "items": { "type": "object", "additionalProperties": false,
							"required": ["donor", "name", "amount", "currency", "share"],
							"properties": {
								"donor": { "type": "string" }, "name": { "type": "string" },
								"amount": { "type": "string" }, "currency": { "type": "string" },
								"share": { "type": "number", "minimum": 0, "maximum": 1 }
							} } }
					} } }
		}
	}) },
	{ NULL },
};
