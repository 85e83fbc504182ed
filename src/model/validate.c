/*
 * validate — a JSON body against an entity's fields, into a record.
 *
 * Every problem is collected, not just the first: a person filling a form
 * wants to hear about all the fields that need fixing at once.  The body is
 * applied on top of what the record holds (nothing on create), with JSON
 * merge-patch rules: a member present replaces, null clears, and a
 * multilingual value patches only the languages it names.
 */
#include "model/validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/textfit.h"
#include "formats/address.h"
#include "formats/money.h"
#include "model/access.h"
#include "model/today.h"

/* Control characters other than tab and line breaks are never wanted in
 * text: the same ones the intakes drop (core/textfit.c). */
static int has_controls(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (text_control_len(s + i, n - i))
			return 1;
	return 0;
}

/* The rule mail is sent with (formats/address.c), so that an address
 * accepted here is one a message can go to. */
const char *email_problem(const char *s)
{
	char wire[MAIL_ADDRESS_MAX + 1];
	return mail_address(s, wire);
}

static int has_scheme(const char *s, const char *scheme)
{
	return strncasecmp(s, scheme, strlen(scheme)) == 0;
}

/* A web address as people write it, as stored: "example.org/page" is
 * "https://example.org/page".  NULL when it is no web address: another
 * scheme ("ftp:", "mailto:"), an e-mail address, no host, a space. */
static const char *web_address(model_ctx *m, const char *s)
{
	const char *full = s;
	if (!has_scheme(s, "https://") && !has_scheme(s, "http://")) {
		size_t word = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
		if (strstr(s, "://") || (word && s[word] == ':' && !isdigit((unsigned char)s[word + 1])))
			return NULL; /* another scheme */
		size_t host = strcspn(s, "/?#");
		if (!memchr(s, '.', host) || memchr(s, '@', host))
			return NULL; /* a word, or an e-mail address */
		full = arena_printf(&m->a, "https://%s", s);
	}
	const char *host = strstr(full, "://") + 3;
	if (strchr("/?#", *host))
		return NULL;
	for (const char *p = full; *p; p++)
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20 || *p == '"' || *p == '<' || *p == '>')
			return NULL;
	return full;
}

static size_t max_of(const field_def *f, size_t dflt) { return f->max ? f->max : dflt; }

/* A string value checked for length and control characters; NULL with an error otherwise. */
static const char *text_value(model_ctx *m, const char *name, const field_def *f, json_t *j, size_t dflt_max)
{
	if (!json_is_string(j)) {
		model_field_error(m, name, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(j);
	size_t n = json_string_length(j), max = max_of(f, dflt_max);
	if (text_chars(s, n) > max) {
		model_field_error(m, name, "is longer than %zu characters", max);
		return NULL;
	}
	if (has_controls(s, n)) {
		model_field_error(m, name, "contains control characters");
		return NULL;
	}
	return s;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* A record the operation is about to create (see model_planned). */
static int planned(const model_ctx *m, const char *kind, store_value v)
{
	const model_planned *p = m->planned;
	return p && v.type == SV_INT && strcmp(p->kind, kind) == 0 && bsearch(&v.i, p->ids, p->n, sizeof *p->ids, cmp_id);
}

/* A reference to a record the writer may not read is answered exactly as
 * one to no record at all: anything else would tell them it exists. */
static int ref_exists(model_ctx *m, store_conn *c, const char *kind, const char *key, store_value v)
{
	if (planned(m, kind, v))
		return 1;
	const entity *target = registry_find(m->reg, kind);
	if (!target || !access_kind(m->u, target, OP_READ))
		return 0;
	store_cond w[3] = { COND_EQ(key ? key : "id", v), COND_EQ("archived", SV_INT_(0)) };
	int n = 2;
	access_visible(m, target, w, &n);
	int64_t count = 0;
	return store_count(c, target->def->table, w, n, &count) == STORE_OK && count > 0;
}

static void set_col(record *r, int col, store_value v)
{
	r->v[col] = v;
	r->set[col] = 1;
}

static int field_col(const record *r, const field_def *f)
{
	for (size_t i = NSYSCOLS; i < r->e->ncols; i++)
		if (r->e->cols[i].field == f)
			return (int)i;
	return -1;
}

static void langtext(model_ctx *m, record *r, const field_def *f, json_t *j)
{
	if (json_is_null(j)) {
		for (int l = 0; l < NLANGS; l++)
			set_col(r, field_col(r, f) + l, SV_NUL);
		return;
	}
	if (!json_is_object(j)) {
		model_field_error(m, f->name, "must be an object of languages, like {\"en\": \"...\", \"fr\": \"...\"}");
		return;
	}
	const char *lang;
	json_t *v;
	json_object_foreach(j, lang, v) {
		int l = enum_index(registry_langs, lang);
		char *name = arena_printf(&m->a, "%s.%s", f->name, lang);
		if (l < 0) {
			model_field_error(m, name, "is not a language of Liaison (en, fr, es)");
			continue;
		}
		if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
			set_col(r, field_col(r, f) + l, SV_NUL);
			continue;
		}
		const char *s = text_value(m, name, f, v, 1000);
		if (s)
			set_col(r, field_col(r, f) + l, sv_text(arena_strdup(&m->a, s)));
	}
}

/* An amount and its currency, {"amount": "1250000.00", "currency": "USD"}:
 * the amount as text (or a whole number) with no more decimals than the
 * currency takes, both given together, since one without the other means
 * nothing. */
static void money_value(model_ctx *m, record *r, const field_def *f, json_t *j)
{
	int col = field_col(r, f);
	json_t *amount = json_object_get(j, "amount"), *currency = json_object_get(j, "currency");
	if (json_is_null(j) || (json_is_null(amount) && json_is_null(currency) && json_object_size(j) == 2)) {
		set_col(r, col, SV_NUL);  /* an empty amount and currency (a CSV's cells) are no money */
		set_col(r, col + 1, SV_NUL);
		return;
	}
	if (!json_is_object(j) || json_object_size(j) != 2 || !amount || !json_is_string(currency)) {
		model_field_error(m, f->name, "must be an amount and its currency, like {\"amount\": \"1250.00\", \"currency\": \"USD\"}");
		return;
	}
	const char *text = json_is_integer(amount) ? arena_printf(&m->a, "%lld", (long long)json_integer_value(amount))
			   : json_string_value(amount);
	if (!text) {
		model_field_error(m, f->name, "must give its amount as text, like \"1250.00\", never as a fraction of a number");
		return;
	}
	char why[160];
	int64_t minor;
	if (money_parse(text, json_string_value(currency), &minor, why, sizeof why)) {
		model_field_error(m, f->name, "is not an amount of %.3s: %s", json_string_value(currency), why);
		return;
	}
	set_col(r, col, SV_INT_(minor));
	set_col(r, col + 1, sv_text(arena_strdup(&m->a, json_string_value(currency))));
}

/* A list of strings, stored as a canonical JSON array; an empty list is no
 * value, as an empty text is, and an empty item is not an item. */
static void list(model_ctx *m, record *r, const field_def *f, json_t *j)
{
	int col = field_col(r, f);
	if (json_is_null(j) || (json_is_array(j) && json_array_size(j) == 0)) {
		set_col(r, col, SV_NUL);
		return;
	}
	if (!json_is_array(j)) {
		model_field_error(m, f->name, "must be an array of strings");
		return;
	}
	if (json_array_size(j) > max_of(f, 50)) {
		model_field_error(m, f->name, "has more than %zu items", max_of(f, 50));
		return;
	}
	buf out = BUF_INIT;
	size_t i;
	json_t *item;
	int ok = 1;
	buf_putc(&out, '[');
	json_array_foreach(j, i, item) {
		char *name = arena_printf(&m->a, "%s[%zu]", f->name, i);
		field_def one = { .max = LIST_ITEM_MAX };
		const char *s = text_value(m, name, &one, item, LIST_ITEM_MAX);
		const char *bad = s && *s && f->type == F_EMAILS ? email_problem(s) : NULL;
		if (!s || !*s || bad) {
			if (s)
				model_field_error(m, name, "%s", bad ? bad : "is empty");
			ok = 0;
			continue;
		}
		if (i)
			buf_putc(&out, ',');
		buf_json_str(&out, s, strlen(s));
	}
	buf_putc(&out, ']');
	if (ok)
		set_col(r, col, sv_text(arena_strndup(&m->a, out.data, out.len)));
	buf_free(&out);
}

static void links(model_ctx *m, store_conn *c, record *r, const field_def *f, json_t *j)
{
	size_t idx = (size_t)(f - r->e->def->fields);
	if (json_is_null(j))
		j = json_array();
	else
		json_incref(j);
	if (!json_is_array(j)) {
		model_field_error(m, f->name, "must be an array of {\"kind\", \"id\", \"role\"}");
		json_decref(j);
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(j, i, item) {
		char *name = arena_printf(&m->a, "%s[%zu]", f->name, i);
		const char *kind = json_string_value(json_object_get(item, "kind"));
		json_t *id = json_object_get(item, "id"), *role = json_object_get(item, "role");
		if (!json_is_object(item) || !kind || !json_is_integer(id) || (role && !json_is_null(role) && !json_is_string(role))) {
			model_field_error(m, name, "must be {\"kind\": \"...\", \"id\": N, \"role\": \"...\"}");
			continue;
		}
		if (enum_index(f->link_kinds, kind) < 0) {
			model_field_error(m, name, "cannot link to %s", kind);
			continue;
		}
		if (!ref_exists(m, c, kind, NULL, SV_INT_(json_integer_value(id))))
			model_field_error(m, name, "no %s has id %lld", kind, (long long)json_integer_value(id));
		if (role && json_is_string(role) && text_chars(json_string_value(role), json_string_length(role)) > 100)
			model_field_error(m, name, "role is longer than 100 characters");
	}
	r->links[idx] = j;
	json_array_append_new(m->hold, j); /* alive until model_done */
}

static void scalar(model_ctx *m, store_conn *c, record *r, const field_def *f, json_t *j)
{
	int col = field_col(r, f);
	if (json_is_null(j)) {
		set_col(r, col, SV_NUL);
		return;
	}
	const char *s;
	switch (f->type) {
	case F_TEXT:
	case F_EMAIL:
	case F_URL:
	case F_DATE:
	case F_TIME:
	case F_ENUM:
		if (!(s = text_value(m, f->name, f, j, f->type == F_TEXT ? 10000 : 2000)))
			return;
		if (f->type == F_TEXT && *s == '\0') {
			set_col(r, col, SV_NUL);
			return;
		}
		if (f->type == F_EMAIL && email_problem(s))
			model_field_error(m, f->name, "%s", email_problem(s));
		else if (f->type == F_URL && !web_address(m, s))
			model_field_error(m, f->name, "must be a web address, like example.org or https://example.org/page");
		else if (f->type == F_DATE && !clock_valid_date(s))
			model_field_error(m, f->name, "must be a date YYYY-MM-DD");
		else if (f->type == F_TIME && !clock_valid_time(s))
			model_field_error(m, f->name, "must be a time YYYY-MM-DDThh:mm:ssZ");
		else if (f->type == F_ENUM && enum_index(f->values, s) < 0)
			model_field_error(m, f->name, "must be one of %s", enum_list(m, f->values));
		else
			set_col(r, col, sv_text(arena_strdup(&m->a, f->type == F_URL ? web_address(m, s) : s)));
		return;
	case F_INT:
		if (!json_is_integer(j))
			model_field_error(m, f->name, "must be an integer");
		else if (f->min_int < f->max_int && (json_integer_value(j) < f->min_int || json_integer_value(j) > f->max_int))
			model_field_error(m, f->name, "must be between %lld and %lld", f->min_int, f->max_int);
		else
			set_col(r, col, SV_INT_(json_integer_value(j)));
		return;
	case F_BOOL:
		if (!json_is_boolean(j))
			model_field_error(m, f->name, "must be true or false");
		else
			set_col(r, col, SV_INT_(json_is_true(j)));
		return;
	case F_REF: {
		store_value v;
		if (f->ref_key) {
			if (!(s = text_value(m, f->name, f, j, 64)))
				return;
			v = sv_text(arena_strdup(&m->a, s));
		} else if (json_is_integer(j) && json_integer_value(j) > 0) {
			v = SV_INT_(json_integer_value(j));
		} else {
			model_field_error(m, f->name, "must be the id of a %s", f->ref);
			return;
		}
		if (!ref_exists(m, c, f->ref, f->ref_key, v))
			model_field_error(m, f->name, "no %s matches %s", f->ref,
					  v.type == SV_TEXT ? v.s : arena_printf(&m->a, "%lld", (long long)v.i));
		else
			set_col(r, col, v);
		return;
	}
	default:
		return;
	}
}

const char *enum_list(model_ctx *m, const char *const *values)
{
	buf b = BUF_INIT;
	for (int i = 0; values[i]; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", values[i]);
	char *s = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return s;
}

static int same_value(const store_value *a, const store_value *b);

/* classification and division are the record's own, not fields of the kind. */
static int system_member(model_ctx *m, record *r, const char *key, json_t *j)
{
	static const char *const readonly[] = { "id", "version", "archived", "created_at", "updated_at",
						"created_by", "updated_by", NULL };
	if (enum_index(readonly, key) >= 0) {
		model_field_error(m, key, "is set by Liaison and cannot be written");
		return 1;
	}
	const char *const *values = strcmp(key, "classification") == 0 ? classifications
				   : strcmp(key, "division") == 0     ? divisions
								      : NULL;
	if (!values)
		return 0;
	if (r->e->parent) {
		model_field_error(m, key, "is that of the %s it belongs to", r->e->parent->def->label);
		return 1;
	}
	int col = values == classifications ? COL_CLASSIFICATION : COL_DIVISION;
	int none = json_is_null(j) && values == divisions;
	if (!none && (!json_is_string(j) || enum_index(values, json_string_value(j)) < 0)) {
		model_field_error(m, key, "must be one of %s", enum_list(m, values));
		return 1;
	}
	store_value v = none ? SV_NUL : sv_text(json_string_value(j));
	if (access_own_org(m->u, r->e) && !same_value(&v, &r->v[col]))
		/* who writes their own organization's records leaves who reads them to staff */
		model_field_error(m, key, "is set by the department's staff");
	else
		set_col(r, col, v.type == SV_TEXT ? sv_text(arena_strdup(&m->a, v.s)) : SV_NUL);
	return 1;
}

static int has_error(const model_ctx *m, const char *field)
{
	for (size_t i = 0; i < m->nerrors; i++)
		if (strcmp(m->errors[i].field, field) == 0)
			return 1;
	return 0;
}

void validate_defaults(model_ctx *m, record *r)
{
	for (size_t i = 0; i < r->e->def->nfields; i++) {
		const field_def *f = &r->e->def->fields[i];
		if (f->initial) {
			set_col(r, field_col(r, f), sv_text(f->initial));
			continue;
		}
		if (!(f->flags & TODAY) || f->type != F_DATE)
			continue;
		char *today = arena_alloc(&m->a, 11);
		today_date(today);
		set_col(r, field_col(r, f), sv_text(today));
	}
}

int validate_missing(const record *r, const field_def *f)
{
	int col = field_col(r, f);
	if (col < 0)
		return 0;
	if (f->type != F_LANGTEXT)
		return r->v[col].type == SV_NULL;
	for (int l = 0; l < NLANGS; l++)
		if (r->v[col + l].type != SV_NULL)
			return 0;
	return 1;
}

static int same_value(const store_value *a, const store_value *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == SV_INT)
		return a->i == b->i;
	return a->type != SV_TEXT || strcmp(a->s, b->s) == 0;
}

/* References kept within the parent's own (field_def.within): a speaker's
 * agenda item is of the session of the speaker's delegation. */
static void within_parent(model_ctx *m, store_conn *c, record *r)
{
	const entity *e = r->e;
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		const store_value *v = f->within ? record_field(r, f->name) : NULL;
		record parent, referred;
		if (!v || v->type != SV_INT || has_error(m, f->name) || access_parent(m, c, r, &parent) != 1 ||
		    model_fetch(m, c, registry_find(m->reg, f->ref), v->i, &referred) != 1)
			continue;
		if (!same_value(record_field(&parent, f->within), record_field(&referred, f->within)))
			model_field_error(m, f->name, "is not of the %s of the %s it belongs to", f->within, e->parent->def->label);
	}
}

int validate_body(model_ctx *m, store_conn *c, record *r, json_t *body)
{
	const entity *e = r->e;
	if (!json_is_object(body))
		return model_fail(m, 400, "Body is not a JSON object", "send a JSON object with the record's fields");
	const char *key;
	json_t *j;
	json_object_foreach(body, key, j) {
		if (system_member(m, r, key, j))
			continue;
		const field_def *f = entity_field(e, key);
		if (!f) {
			model_field_error(m, key, "is not a field of %s", e->def->label);
			continue;
		}
		if (f->flags & READONLY) {
			model_field_error(m, key, "is set by Liaison and cannot be written");
			continue;
		}
		if (!access_field(m->u, f)) {
			model_field_error(m, key, "is not written by a %s account", registry_role_name(m->reg, m->u->role));
			continue;
		}
		if (f->type == F_LANGTEXT)
			langtext(m, r, f, j);
		else if (f->type == F_LIST || f->type == F_EMAILS)
			list(m, r, f, j);
		else if (f->type == F_LINKS)
			links(m, c, r, f, j);
		else if (f->type == F_MONEY)
			money_value(m, r, f, j);
		else
			scalar(m, c, r, f, j);
	}
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if ((f->flags & REQUIRED) && validate_missing(r, f) && !has_error(m, f->name))
			model_field_error(m, f->name, "is required");
	}
	within_parent(m, c, r);
	const char *cls = r->v[COL_CLASSIFICATION].s;
	if (r->v[COL_CLASSIFICATION].type == SV_TEXT && strcmp(cls, "restricted") == 0 &&
	    r->v[COL_DIVISION].type == SV_NULL)
		model_field_error(m, "division", N_("is required for a restricted record"));
	/* A hook that failed without naming a field (its store could not be read) ends the write as it said. */
	if (m->nerrors == 0 && e->def->validate && e->def->validate(m, c, e, r) && m->nerrors == 0 && m->status)
		return -1;
	if (m->nerrors)
		return model_fail(m, 422, "Some fields are not valid", "%zu field(s) need attention", m->nerrors);
	return 0;
}
