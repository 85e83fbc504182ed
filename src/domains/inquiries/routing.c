/*
 * routing — where a new inquiry goes.  The rules are records (routing-rules),
 * tried in the order of their position; the first active rule whose every
 * condition holds sets the division, the owner and the priority, and the
 * inquiry keeps which rule routed it and why.  An inquiry no rule matches
 * stays with the front office.
 *
 * Conditions: the channel; the type of the requester's organization (a
 * media outlet → the Media and Communications Division); words in the
 * subject or message (case and accents ignored, a plural 's' too); the
 * topic; the language.
 *
 * Routing never takes an inquiry out of its creator's reach: a restricted
 * inquiry that the division routed to could not be read by the person who
 * wrote it stays in their division, and says so.
 *
 * Why is kept twice: as an English sentence (routed_by, what the API has
 * always given) and as its facts (routing, a JSON object), from which the
 * pages write the sentence in the reader's language (pages.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "domains/inquiries/inquiries.h"
#include "model/access.h"

static const char *const rule_cols[] = { "id", "name", "channel", "organization_type", "words", "topics", "language",
					 "to_division", "to_owner", "to_priority" };
enum { R_ID, R_NAME, R_CHANNEL, R_ORGTYPE, R_WORDS, R_TOPICS, R_LANG, R_DIVISION, R_OWNER, R_PRIORITY };

typedef struct facts {
	const char *channel, *org_type, *topic, *lang;
	buf words;           /* " folded subject and body " */
} facts;

typedef struct match {
	model_ctx *m;
	facts *f;
	int found;
	const char *name, *division, *priority, *why;
	int64_t owner;
	json_t *facts;       /* the same as why, as facts: {"rule", "name", "channel", ...} */
} match;

static const char *value(model_ctx *m, store_row *row, int i)
{
	size_t n;
	const char *s = store_text(row, i, &n);
	return s ? arena_strndup(&m->a, s, n) : NULL;
}

static int same(const char *rule, const char *fact)
{
	return !rule || (fact && strcmp(rule, fact) == 0);
}

/* The first item of a JSON list of strings that fits, or NULL. */
static const char *any_item(model_ctx *m, const char *list, const facts *f, int words)
{
	json_t *a = json_loads(list ? list : "[]", 0, NULL);
	const char *hit = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		const char *s = json_string_value(x);
		if (!s || hit)
			continue;
		if (!words) {
			if (f->topic && strcasecmp(s, f->topic) == 0)
				hit = arena_strdup(&m->a, s);
			continue;
		}
		buf w = BUF_INIT;
		text_fold(&w, s, strlen(s));
		char *exact = arena_printf(&m->a, " %s ", buf_str(&w)), *plural = arena_printf(&m->a, " %ss ", buf_str(&w));
		if (w.len && (strstr(buf_str(&f->words), exact) || strstr(buf_str(&f->words), plural)))
			hit = arena_strdup(&m->a, s);
		buf_free(&w);
	}
	json_decref(a);
	return hit;
}

static int try_rule(void *ctx, store_row *row)
{
	match *mt = ctx;
	model_ctx *m = mt->m;
	const facts *f = mt->f;
	const char *words = value(m, row, R_WORDS), *topics = value(m, row, R_TOPICS);
	if (!same(value(m, row, R_CHANNEL), f->channel) || !same(value(m, row, R_ORGTYPE), f->org_type) ||
	    !same(value(m, row, R_LANG), f->lang))
		return 0;
	const char *word = NULL, *topic = NULL;
	if (words && strcmp(words, "[]") && !(word = any_item(m, words, f, 1)))
		return 0;
	if (topics && strcmp(topics, "[]") && !(topic = any_item(m, topics, f, 0)))
		return 0;
	mt->found = 1;
	mt->name = value(m, row, R_NAME);
	mt->division = value(m, row, R_DIVISION);
	mt->priority = value(m, row, R_PRIORITY);
	mt->owner = store_isnull(row, R_OWNER) ? 0 : store_int(row, R_OWNER);
	buf why = BUF_INIT;
	buf_printf(&why, "rule %lld \"%s\"", (long long)store_int(row, R_ID), mt->name);
	mt->facts = json_pack("{s:I, s:s?}", "rule", (json_int_t)store_int(row, R_ID), "name", mt->name);
	if (value(m, row, R_CHANNEL)) {
		buf_printf(&why, "; channel is %s", f->channel);
		json_object_set_new(mt->facts, "channel", json_string(f->channel));
	}
	if (value(m, row, R_ORGTYPE)) {
		buf_printf(&why, "; the requester's organization is of type %s", f->org_type);
		json_object_set_new(mt->facts, "organization_type", json_string(f->org_type));
	}
	if (word) {
		buf_printf(&why, "; the text has \"%s\"", word);
		json_object_set_new(mt->facts, "word", json_string(word));
	}
	if (topic) {
		buf_printf(&why, "; the topic is %s", topic);
		json_object_set_new(mt->facts, "topic", json_string(topic));
	}
	if (value(m, row, R_LANG)) {
		buf_printf(&why, "; the language is %s", f->lang);
		json_object_set_new(mt->facts, "language", json_string(f->lang));
	}
	mt->why = arena_strdup(&m->a, buf_str(&why));
	buf_free(&why);
	return 1; /* the first match wins */
}


/* The requester organization's type, when the inquiry names one. */
static const char *org_type(model_ctx *m, store_conn *c, const record *r)
{
	const store_value *org = record_field(r, "requester_organization");
	const entity *oe = registry_find(m->reg, "organizations");
	record o;
	if (org->type != SV_INT || !oe || model_load(m, c, oe, org->i, &o)) {
		m->status = 0; /* a missing organization is the validation's business, not routing's */
		return NULL;
	}
	return record_text(&o, "type");
}

/* Whether whoever creates r could still read it in that division. */
static int within_reach(model_ctx *m, store_conn *c, const record *r, const char *division)
{
	record moved = model_copy(m, r);
	moved.v[COL_DIVISION] = sv_text(division);
	return access_record(m, c, r->e, &moved, OP_READ);
}

int routing_apply(model_ctx *m, store_conn *c, record *r)
{
	facts f = { record_text(r, "channel"), org_type(m, c, r), record_text(r, "topic"), record_text(r, "language"), BUF_INIT };
	buf_putc(&f.words, ' ');
	const char *subject = record_text(r, "subject"), *body = record_text(r, "body");
	text_fold(&f.words, subject ? subject : "", subject ? strlen(subject) : 0);
	buf_putc(&f.words, ' ');
	text_fold(&f.words, body ? body : "", body ? strlen(body) : 0);
	buf_putc(&f.words, ' ');
	match mt = { m, &f, 0, NULL, NULL, NULL, NULL, 0, NULL };
	store_cond active = COND_EQ("active", SV_INT_(1));
	store_cond live = COND_EQ("archived", SV_INT_(0));
	store_cond where[] = { active, live };
	store_order order[] = { { "position", 0, NOT_NULL }, { "id", 0, NOT_NULL } };
	store_select q = { .table = "routing_rules", .cols = rule_cols, .ncols = (int)COUNT(rule_cols), .where = where,
			   .nwhere = 2, .order = order, .norder = 2 };
	int rc = store_query(c, &q, try_rule, &mt);
	buf_free(&f.words);
	if (rc != STORE_OK) {
		json_decref(mt.facts);
		return model_fail(m, 500, "Store error", "the routing rules could not be read");
	}
	const char *division = mt.found ? mt.division : "FO";
	const char *why = mt.found ? mt.why : "no rule matched: the front office";
	json_t *facts = mt.found ? mt.facts : json_pack("{s:b}", "none", 1);
	if (division && !within_reach(m, c, r, division)) {
		const char *kept = record_text(r, "division");
		why = arena_printf(&m->a, "%s; kept in %s: the inquiry is %s, and its creator could not read it in %s", why,
				   kept ? kept : "no division", r->v[COL_CLASSIFICATION].s, division);
		json_object_set_new(facts, "kept", json_pack("{s:s?, s:s?, s:s}", "division", kept, "classification",
							     r->v[COL_CLASSIFICATION].s, "instead_of", division));
	} else if (division) {
		r->v[COL_DIVISION] = sv_text(division);
	}
	*record_field(r, "routed_by") = sv_text(why);
	char *dumped = json_dumps(facts, JSON_COMPACT);
	*record_field(r, "routing") = sv_text(dumped ? arena_strdup(&m->a, dumped) : NULL);
	free(dumped);
	json_decref(facts);
	if (!mt.found)
		return 0;
	if (mt.priority && !record_text(r, "priority"))
		*record_field(r, "priority") = sv_text(mt.priority);
	if (mt.owner > 0 && record_field(r, "owner")->type == SV_NULL)
		*record_field(r, "owner") = SV_INT_(mt.owner);
	return 0;
}

/* ---- the sentence read back ---------------------------------------------------------------- */

/* One "; "-separated part of the sentence after the rule, into facts; 0 when it is none of them. */
static int read_part(json_t *facts, const char *part)
{
	static const char *const simple[][2] = { { "channel is ", "channel" },
						 { "the requester's organization is of type ", "organization_type" },
						 { "the topic is ", "topic" },
						 { "the language is ", "language" } };
	for (size_t i = 0; i < COUNT(simple); i++)
		if (!strncmp(part, simple[i][0], strlen(simple[i][0]))) {
			json_object_set_new(facts, simple[i][1], json_string(part + strlen(simple[i][0])));
			return 1;
		}
	size_t n = strlen(part);
	if (!strncmp(part, "the text has \"", 14) && n > 15 && part[n - 1] == '"') {
		json_object_set_new(facts, "word", json_stringn(part + 14, n - 15));
		return 1;
	}
	const char *is = strstr(part, ": the inquiry is "), *in = strstr(part, ", and its creator could not read it in ");
	if (strncmp(part, "kept in ", 8) || !is || !in || in < is)
		return 0;
	json_t *kept = json_object();
	if (strncmp(part + 8, "no division:", 12))
		json_object_set_new(kept, "division", json_stringn(part + 8, (size_t)(is - part - 8)));
	json_object_set_new(kept, "classification", json_stringn(is + 17, (size_t)(in - is - 17)));
	json_object_set_new(kept, "instead_of", json_string(in + 39));
	json_object_set_new(facts, "kept", kept);
	return 1;
}

json_t *routing_facts_from(const char *s)
{
	static const char none[] = "no rule matched: the front office";
	json_t *facts = json_object();
	const char *rest;
	if (!s)
		goto fail;
	if (!strncmp(s, none, sizeof none - 1)) {
		json_object_set_new(facts, "none", json_true());
		rest = s + sizeof none - 1;
	} else {
		char *end;
		long long id = !strncmp(s, "rule ", 5) ? strtoll(s + 5, &end, 10) : 0;
		if (id <= 0 || strncmp(end, " \"", 2))
			goto fail;
		const char *name = end + 2, *close = strstr(name, "\"; ");   /* a name may hold quotes: the part after it begins so */
		if (!close)
			close = *name ? name + strlen(name) - 1 : NULL;
		if (!close || *close != '"')
			goto fail;
		json_object_set_new(facts, "rule", json_integer(id));
		json_object_set_new(facts, "name", json_stringn(name, (size_t)(close - name)));
		rest = close + 1;
	}
	while (*rest) {
		if (strncmp(rest, "; ", 2))
			goto fail;
		rest += 2;
		const char *next = strstr(rest, "; ");
		size_t n = next ? (size_t)(next - rest) : strlen(rest);
		char part[600];
		if (n >= sizeof part)
			goto fail;
		memcpy(part, rest, n);
		part[n] = 0;
		if (!read_part(facts, part))
			goto fail;
		rest += n;
	}
	return facts;
fail:
	json_decref(facts);
	return NULL;
}
