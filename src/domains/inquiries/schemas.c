/*
 * schemas — what the inquiry desk's own routes read and answer beyond
 * records, for the OpenAPI description (see struct route in
 * http/http.h): replies, splits, the desk's numbers, and
 * the public form with its tracking view.
 */
#include "domains/inquiries/inquiries.h"

const api_schema inquiries_schemas[] = {
	{ "Reply", API_JSON({
		"type": "object", "description": "the text: body, a canned answer's, or either with an article's under it",
		"properties": {
			"body": { "type": "string" },
			"canned": { "type": "string", "description": "a canned answer's code: its text in the inquiry's language" },
			"article": { "type": ["integer", "string"], "description": "a knowledge-base article's id" },
			"wait": { "type": "boolean", "description": "a reply that waits on the requester (else: answered)" }
		}
	}) },
	{ "Split", API_JSON({
		"type": "object", "required": ["messages"],
		"properties": {
			"messages": { "type": "array", "minItems": 1, "items": { "type": "integer" },
				"description": "ids of the inquiry's messages that go to the new inquiry" },
			"subject": { "type": "string", "description": "the new inquiry's (else the old one's)" }
		}
	}) },
	{ "InquiryNumbers", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["open", "weeks"],
		"properties": {
			"open": { "type": "object", "description": "by division: open inquiries by status, and the overdue",
				"additionalProperties": { "type": "object", "additionalProperties": { "type": "integer", "minimum": 0 } } },
			"weeks": { "type": "array", "items": {
				"type": "object", "additionalProperties": false, "required": ["week", "divisions"],
				"properties": {
					"week": { "type": "string", "format": "date", "description": "its Monday" },
					"divisions": { "type": "object", "additionalProperties": {
						"type": "object", "additionalProperties": false,
						"required": ["first_response_hours", "resolution_hours", "answered"],
						"properties": {
							"first_response_hours": { "type": ["number", "null"],
								"description": "median working hours to the first response" },
							"resolution_hours": { "type": ["number", "null"] },
							"answered": { "type": "integer", "minimum": 0 } } } } } } }
		}
	}) },
	{ "PublicInquiry", API_JSON({
		"type": "object", "required": ["name", "email", "message"],
		"properties": {
			"name": { "type": "string" }, "email": { "type": "string", "format": "email" },
			"subject": { "type": "string" }, "message": { "type": "string" },
			"language": { "enum": ["en", "fr", "es"] },
			"website": { "type": "string", "description": "left empty by people; a robot that fills it gets a receipt like anyone's, and nothing is kept" }
		}
	}) },
	{ "PublicInquiryReceipt", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["reference", "token", "tracking"],
		"properties": {
			"reference": { "type": "string" },
			"token": { "type": "string", "description": "the requester's key to the tracking view" },
			"tracking": { "type": "string", "description": "the tracking page's address" }
		}
	}) },
	{ "InvitationQueued", API_JSON({
		"type": "object", "additionalProperties": false, "required": ["method", "sequence", "queued", "refused", "outbox"],
		"description": "queued for the relay, not yet sent: the briefing's outbox says what became of each message",
		"properties": {
			"method": { "enum": ["REQUEST", "PUBLISH", "CANCEL"] }, "sequence": { "type": "integer", "minimum": 0 },
			"queued": { "type": "array", "items": { "type": "string" } },
			"outbox": { "type": "string", "description": "where the messages' states are read" },
			"refused": { "type": "array", "items": { "type": "object", "additionalProperties": false,
				"required": ["to", "reason"],
				"properties": { "to": { "type": "string" }, "reason": { "type": "string" } } } }
		}
	}) },
	{ "PublicTracking", API_JSON({
		"type": "object", "additionalProperties": false,
		"required": ["reference", "subject", "status", "language", "received_at", "question", "messages"],
		"properties": {
			"reference": { "type": "string" }, "subject": { "type": ["string", "null"] },
			"status": { "type": ["string", "null"] }, "language": { "enum": ["en", "fr", "es", null] },
			"received_at": { "type": ["string", "null"], "format": "date-time" },
			"question": { "type": ["string", "null"] },
			"messages": { "type": "array", "description": "what was sent to the requester and received from them",
				"items": { "type": "object", "additionalProperties": false, "required": ["direction", "at", "body"],
					"properties": { "direction": { "enum": ["in", "out"] },
							"at": { "type": ["string", "null"], "format": "date-time" },
							"body": { "type": ["string", "null"] } } } }
		}
	}) },
	{ NULL, NULL },
};
