/*
 * test_access_matrix — who may do what, generated from the registry.
 *
 * For every kind the registry holds, every role (and the variants a rule
 * tells apart: a staff member of the record's division and of another, a
 * partner of the record's organization and of another), every
 * classification, and records made by the reader or by someone else, the
 * test makes a record and asks every operation: get, the list, search,
 * suggest, the search's facet counts, the CSV export, create, update,
 * archive, and for a kind its area writes alone, the area's own write.
 *
 * What is expected comes from two places only: each kind's sets of roles
 * (the registry's data, so a kind added tomorrow is covered without a line
 * here), and the classification rules as docs/accounts.md states them,
 * written out again below in words rather than read from role_defs, so a
 * change to either that the other does not follow fails here.  A kind whose
 * access comes from its parent is checked against its parent's record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/clock.h"
#include "domains/donors/donors.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "model/access.h"
#include "model/accounts.h"
#include "model/csvio.h"
#include "model/search.h"
#include "testdb.h"

static testdb *t;

/* The readers: a role, and what tells apart two holders of it. */
typedef struct reader {
	const char *what;
	role role;
	int64_t id;
	const char *division;
	int own_org;          /* a partner of the record's organization (else of another) */
} reader;

static reader readers[] = {   /* the accounts' ids are filled in by setup */
	{ "admin", ROLE_ADMIN, 0, NULL, 0 },
	{ "director", ROLE_DIRECTOR, 0, "IPD", 0 },
	{ "staff of DRD", ROLE_STAFF, 0, "DRD", 0 },
	{ "staff of IPD", ROLE_STAFF, 0, "IPD", 0 },
	{ "translator", ROLE_TRANSLATOR, 0, "DRD", 0 },
	{ "viewer", ROLE_VIEWER, 0, "IPD", 0 },
	{ "partner of the record's organization", ROLE_PARTNER, 0, NULL, 1 },
	{ "partner of another organization", ROLE_PARTNER, 0, NULL, 0 },
	{ "the public", ROLE_PUBLIC, 0, NULL, 0 },
	{ "mail intake", ROLE_INTAKE, 0, NULL, 0 },
	{ "the outbox's sender", ROLE_MAIL, 0, NULL, 0 },
	{ "the meetings' alerts", ROLE_ALERTS, 0, NULL, 0 },
	{ "the donors' reminders", ROLE_REMINDERS, 0, NULL, 0 },
	{ "the donor portal for a partner of the record's organization", ROLE_PORTAL, 0, NULL, 1 },
	{ "the donor portal for a partner of another organization", ROLE_PORTAL, 0, NULL, 0 },
	{ "a system slot no area claims", NROLES - 1, 0, NULL, 0 },
};
#define NREADERS (sizeof readers / sizeof *readers)
#define RECORD_DIVISION "DRD"
static int64_t someone_else;     /* the maker of records that are not the reader's */

static const field_def term_fields[] = {
	{ "term", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 200, .label = "Term" },
	{ "note", F_TEXT, SEARCHED, .max = 2000, .label = "Note" },
};
static const entity_def term_requests = {
	.name = "term-requests", .table = "term_requests", .label = "term request", .fields = term_fields,
	.nfields = COUNT(term_fields), .read = WHO_STAFF, .write = WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR),
	.archive = WHO_ADMIN, .own_division = ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_TRANSLATOR),
};
static const field_def review_fields[] = {
	{ "subject", F_TEXT, REQUIRED | TITLE | SEARCHED, .max = 200, .label = "Subject" },
	{ "reviewer", F_REF, INDEXED, .ref = "users", .label = "Reviewer" },
};
static const entity_def review_tasks = {
	.name = "review-tasks", .table = "review_tasks", .label = "review task", .fields = review_fields,
	.nfields = COUNT(review_fields), .read = WHO_STAFF, .write = WHO_EDITORS, .assignee = "reviewer",
};
static const entity_def *const test_kinds[] = { &term_requests, &review_tasks };

static user admin = { 0, "root", ROLE_ADMIN, NULL, 0, "en" };
static int64_t fixture_org;     /* the organization the records belong to */
static int serial;               /* makes every title and unique value unique */

/* ---- the oracle: the rules in words ------------------------------------------ */

static int is_staff_role(role r)
{
	return r == ROLE_ADMIN || r == ROLE_DIRECTOR || r == ROLE_STAFF || r == ROLE_TRANSLATOR || r == ROLE_VIEWER;
}

/* Whether the reader may read a record of this classification:
 *   public        everyone who may read the kind
 *   internal      staff; a partner when it is their own organization's record
 *   restricted    the record's own division, directors, admins
 *   confidential  its creator, the users granted it, admins
 * and the system's mail intake, which threads mail into any inquiry, the
 * meetings' alerts, which look for gaps in every meeting, and the donors'
 * reminders, which look for reports due in every pledge; the donor portal
 * reads as the partner it writes for. */
static int class_allows(const reader *rd, const char *cls, const char *div, int mine, int owned)
{
	if (rd->role == ROLE_ADMIN || rd->role == ROLE_INTAKE || rd->role == ROLE_ALERTS || rd->role == ROLE_REMINDERS ||
	    !strcmp(cls, "public"))
		return 1;
	if (!strcmp(cls, "internal"))
		return is_staff_role(rd->role) || ((rd->role == ROLE_PARTNER || rd->role == ROLE_PORTAL) && rd->own_org && owned);
	if (!strcmp(cls, "restricted"))
		return rd->role == ROLE_DIRECTOR ||
		       (is_staff_role(rd->role) && rd->division && div && !strcmp(rd->division, div));
	return is_staff_role(rd->role) && mine;
}

static int has(role_set s, const reader *rd) { return (s & ROLE_BIT(rd->role)) != 0; }

static role_set set_of(const entity_def *d, access_op op)
{
	if (op == OP_CREATE && d->area_creates)
		return 0;   /* made by its area alone */
	role_set s = op == OP_READ ? d->read : op == OP_CREATE ? d->create : op == OP_UPDATE ? d->update : d->archive;
	if (op != OP_READ && !s)
		s = d->write;
	return s & ~NOBODY;
}

/* Whether the kind is a partner's own when it names their organization. */
static int owned_kind(const entity *e) { return e->def->self_org || e->def->org_field; }

/* The facts of a record the rules ask (its parent's, for a child). */
typedef struct facts {
	const char *cls, *div;
	int mine;
} facts;

static int expect_read(const entity *e, const reader *rd, const facts *f)
{
	if (!has(set_of(e->def, OP_READ), rd))
		return 0;
	if (e->parent)
		return expect_read(e->parent, rd, f);
	return class_allows(rd, f->cls, f->div, f->mine, owned_kind(e));
}

static int division_ok(role_set own_division, const reader *rd, const char *div)
{
	return !has(own_division, rd) || !div || (rd->division && !strcmp(rd->division, div));
}

/* Records of a kind with an organization are all the fixture's: a writer in
 * the kind's own_org set changes them only as a partner of it. */
static int org_ok(const entity *e, const reader *rd) { return !has(e->def->own_org, rd) || rd->own_org; }

/* Records are assigned to whoever made them (see body_for): the assignee,
 * any account, may update them, not archive them. */
static int as_assignee(const entity *e, const reader *rd, const facts *f, access_op op)
{
	return op == OP_UPDATE && e->def->assignee && f->mine && rd->id > 0;
}

/* A change by writers: an update or archive (op), or the area's own write. */
static int expect_change(const entity *e, const reader *rd, const facts *f, role_set writers, access_op op)
{
	if (!expect_read(e, rd, f) || !(has(writers, rd) || as_assignee(e, rd, f, op)))
		return 0;
	if (e->parent)
		return expect_change(e->parent, rd, f, set_of(e->parent->def, OP_UPDATE), OP_UPDATE);
	return org_ok(e, rd) && division_ok(e->def->own_division, rd, f->div);
}

/* ---- records made from their descriptions -------------------------------------- */

static user as_user(const reader *rd)
{
	return (user){ rd->id, rd->what, rd->role, rd->division, rd->own_org ? fixture_org : 999999, "en" };
}

static const char *start_state(const entity *e, const field_def *f)
{
	const workflow *w = e->def->workflow;
	if (w && !strcmp(w->field, f->name) && w->starts)
		return w->starts[0];
	return f->initial ? f->initial : f->values[0];
}

static int64_t make(const entity *e, const char *cls, int64_t creator);
static char *id_text(int64_t id);

/* A new public record of kind e to refer to: its id, or its key's value. */
static json_t *referred(const entity *e, const char *key)
{
	int64_t id = make(e, "public", admin.id);
	if (!key)
		return json_integer(id);
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	char s[32];
	snprintf(s, sizeof s, "%lld", (long long)id);
	json_t *doc = model_get(&m, e, s) == 0 ? json_loads(buf_str(&m.body), 0, NULL) : NULL;
	json_t *v = json_incref(json_object_get(doc, key));
	json_decref(doc);
	model_done(&m);
	return v;
}

/* Values the record being made must take, by field: a reference kept within
 * its parent's (field_def.within) is made with the parent's value. */
static json_t *pinned;

/* A value for field f that its rules accept: unique where it must be. */
static json_t *value_for(const entity *e, const field_def *f, const char *cls, int64_t creator)
{
	int n = ++serial;
	char s[64];
	json_t *pin = pinned ? json_object_get(pinned, f->name) : NULL;
	if (pin)
		return json_incref(pin);
	switch (f->type) {
	case F_TEXT:
		if (field_sample(f, (unsigned long)n, s, sizeof s) == 0)
			return json_string(s);
		if (f->max && f->max <= 3) {   /* a code: letters, counted through (make retries a taken one) */
			for (size_t i = 0; i < f->max; i++, n /= 26)
				s[f->max - 1 - i] = (char)('A' + n % 26);
			s[f->max] = '\0';
			return json_string(s);
		}
		snprintf(s, sizeof s, "zelkova-matrix-%d", n);   /* no spaces: a user's name too */
		return json_string(s);
	case F_LANGTEXT:
		snprintf(s, sizeof s, "zelkova-matrix-%d", n);
		return json_pack("{s:s}", "en", s);
	case F_ENUM:
		return json_string(start_state(e, f));
	case F_REF:
		if (!strcmp(f->ref, "users"))   /* the record's assignee, if it has one: who made it (an account) */
			return json_integer(creator > 0 ? creator : admin.id);
		if (e->parent && !strcmp(f->name, e->def->parent))
			return json_integer(make(e->parent, cls, creator));
		return referred(registry_find(&t->reg, f->ref), f->ref_key);
	case F_DATE:   /* counted through from 2026-03-04, so that a rule of one record per day holds too */
		if (clock_add_days("2026-03-04", n % 30000, s))
			return NULL;
		return json_string(s);
	case F_TIME:
		return json_string("2026-03-04T10:00:00Z");
	case F_INT:
		return json_integer(f->min_int < f->max_int ? f->min_int : 1);
	case F_BOOL:
		return json_true();
	case F_EMAIL:
		snprintf(s, sizeof s, "zelkova%d@example.org", n);
		return json_string(s);
	case F_URL:
		snprintf(s, sizeof s, "https://example.org/%d", n);
		return json_string(s);
	case F_LIST:
		return json_pack("[s]", "zelkova");
	case F_EMAILS:
		snprintf(s, sizeof s, "zelkova%d@example.org", n);
		return json_pack("[s]", s);
	case F_MONEY:
		return json_pack("{s:s, s:s}", "amount", "1.00", "currency", "USD");
	default:
		return NULL;
	}
}

/* A record of the kind f refers to, made with the value of f->within that
 * the parent named in body b has. */
static json_t *value_within(const entity *e, const field_def *f, json_t *b)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	json_t *parent = model_get(&m, e->parent, id_text(json_integer_value(json_object_get(b, e->def->parent)))) == 0
				 ? json_loads(buf_str(&m.body), 0, NULL) : NULL;
	model_done(&m);
	json_t *saved = pinned;
	pinned = json_pack("{s:O?}", f->within, json_object_get(parent, f->within));
	json_t *v = json_integer(make(registry_find(&t->reg, f->ref), "public", admin.id));
	json_decref(pinned);
	pinned = saved;
	json_decref(parent);
	return v;
}

/* A body for a new record of kind e: its required fields, its parent, its
 * organization, every searched title. */
static json_t *body_for(const entity *e, const char *cls, int64_t creator)
{
	json_t *b = json_object();
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		int wanted = (f->flags & (REQUIRED | TITLE)) || f->sample || f->initial ||
			     (e->def->parent && !strcmp(f->name, e->def->parent)) ||
			     entity_assigns(e->def, f->name);
		if (e->def->org_field && !strcmp(f->name, e->def->org_field)) {
			json_object_set_new(b, f->name, json_integer(fixture_org));
			continue;
		}
		if (!wanted || (f->flags & READONLY))
			continue;
		json_t *v = f->within ? value_within(e, f, b) : value_for(e, f, cls, creator);
		if (v)
			json_object_set_new(b, f->name, v);
	}
	if (!e->parent) {
		json_object_set_new(b, "classification", json_string(cls));
		json_object_set_new(b, "division", json_string(RECORD_DIVISION));
	}
	return b;
}

/* The area's own create of a kind it writes alone (a reply is one),
 * inside the transaction the area holds. */
static int area_create(model_ctx *m, const entity *e, json_t *body, unsigned flags)
{
	store_conn *c = store_begin(m->st);
	record r;
	if (!c || model_create_in(m, c, e, body, flags, &r)) {
		if (c)
			store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK)
		return model_fail(m, 500, "Store error", "not committed");
	m->status = 201;
	m->id = r.v[COL_ID].i;
	return 0;
}

/* Creates a record of kind e as u, with flags, in m (left for its status
 * and id).  The description tells the required fields, not an area's rules
 * across fields ("from an organization or a person"): a field the area asks
 * for is added and the create tried again; so is the next value of a code
 * the seed data already holds. */
/* body_for as u sends it: one who writes their own organization's records
 * only leaves the division to staff (own_org_writers_classify_nothing). */
static json_t *body_as(const user *u, const entity *e, const char *cls)
{
	json_t *b = body_for(e, cls, u->id);
	if (access_own_org(u, e))
		json_object_del(b, "division");
	return b;
}

static void create_as(model_ctx *m, const user *u, const entity *e, const char *cls, unsigned flags)
{
	json_t *b = body_as(u, e, cls);
	for (int tries = 0;; tries++) {
		model_init(m, t->st, &t->reg, u);
		int rc = (flags & CREATE_DOMAIN) && (e->def->area_writes || e->def->area_creates) ? area_create(m, e, b, flags)
											       : model_create(m, e, b, flags);
		int asked = 0;
		for (size_t i = 0; rc && m->status == 422 && i < m->nerrors; i++) {
			const field_def *f = entity_field(e, m->errors[i].field);
			if (f && !json_object_get(b, f->name) && !asked++)
				json_object_set_new(b, f->name, value_for(e, f, cls, u->id));
		}
		if (rc == 0 || (m->status != 409 && !asked) || tries == 1000)
			break;
		model_done(m);
		if (!asked) {
			json_decref(b);
			b = body_as(u, e, cls);
		}
	}
	json_decref(b);
}

/* Makes a record of kind e as creator; its id. */
static int64_t make(const entity *e, const char *cls, int64_t creator)
{
	user u = { creator, "maker", ROLE_ADMIN, NULL, 0, "en" };
	model_ctx m;
	create_as(&m, &u, e, cls, CREATE_FORCE | CREATE_DOMAIN | CREATE_AS_IS);
	if (m.status != 201)
		fail_msg("cannot make a record of %s: %d %s: %s (%s %s)", e->def->name, m.status, m.title, m.detail,
			 m.nerrors ? m.errors[0].field : "", m.nerrors ? m.errors[0].message : "");
	int64_t id = m.id;
	model_done(&m);
	return id;
}

/* ---- asking ------------------------------------------------------------------------ */

typedef struct ask {
	const entity *e;
	const reader *rd;
	user u;
	model_ctx m;
} ask;

static void ask_begin(ask *a) { model_init(&a->m, t->st, &t->reg, &a->u); }
static void ask_end(ask *a) { model_done(&a->m); }

static int said_ok(const model_ctx *m) { return m->status >= 200 && m->status < 300; }

static char *id_text(int64_t id)
{
	static char s[32];
	snprintf(s, sizeof s, "%lld", (long long)id);
	return s;
}

static int got_get(ask *a, int64_t id)
{
	ask_begin(a);
	model_get(&a->m, a->e, id_text(id));
	int ok = said_ok(&a->m);
	ask_end(a);
	return ok;
}

/* Whether items (a JSON array in a body) holds the record: by id, and for
 * items of every kind (search's, suggest's), by kind. */
static int items_hold(const char *body, const char *field, const entity *e, int64_t id)
{
	json_t *doc = json_loads(body, 0, NULL);
	json_t *items = json_object_get(doc, field), *it;
	size_t i;
	int found = 0;
	json_array_foreach(items, i, it) {
		const char *kind = e ? json_string_value(json_object_get(it, "kind")) : NULL;
		if (json_integer_value(json_object_get(it, "id")) == id && (!kind || !strcmp(kind, e->def->name)))
			found = 1;
	}
	json_decref(doc);
	return found;
}

static int got_listed(ask *a, int64_t id)
{
	ask_begin(a);
	list_params p = { .limit = 500, .sort = "-id" };
	int ok = model_list(&a->m, a->e, &p) == 0 && items_hold(buf_str(&a->m.body), "items", NULL, id);
	ask_end(a);
	return ok;
}

static int title_of(const entity *e, int64_t id, char *out, size_t n)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	int ok = model_get(&m, e, id_text(id)) == 0;
	json_t *doc = ok ? json_loads(buf_str(&m.body), 0, NULL) : NULL;
	const char *title = NULL;
	for (size_t i = 0; doc && i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (!(f->flags & TITLE) || !(f->flags & SEARCHED) || (f->flags & READONLY))
			continue; /* a title the kind derives (a delegation's, its country's) may be another record's too */
		json_t *v = json_object_get(doc, f->name);
		title = f->type == F_LANGTEXT ? json_string_value(json_object_get(v, "en")) : json_string_value(v);
	}
	if (title)
		snprintf(out, n, "%s", title);
	json_decref(doc);
	model_done(&m);
	return title != NULL;
}

static int got_found(ask *a, int64_t id, const char *title)
{
	char q[160];
	snprintf(q, sizeof q, "\"%s\"", title);
	ask_begin(a);
	int ok = model_search(&a->m, q, NULL, 50) == 0 && items_hold(buf_str(&a->m.body), "items", a->e, id);
	ask_end(a);
	return ok;
}

/* The search's facet of kinds counts the record only when it may be read. */
static int got_counted(ask *a, const char *title)
{
	char q[160];
	snprintf(q, sizeof q, "\"%s\"", title);
	ask_begin(a);
	int n = 0;
	if (model_search(&a->m, q, NULL, 50) == 0) {
		json_t *doc = json_loads(buf_str(&a->m.body), 0, NULL);
		json_t *kinds = json_object_get(json_object_get(doc, "facets"), "kind"), *it;
		size_t i;
		if (json_is_object(kinds))   /* {"organizations": 3, ...} */
			n = (int)json_integer_value(json_object_get(kinds, a->e->def->name));
		json_array_foreach(kinds, i, it) {   /* or [{"value", "count", "label"}, ...] */
			if (!strcmp(json_string_value(json_object_get(it, "value")) ?: "", a->e->def->name))
				n += (int)json_integer_value(json_object_get(it, "count"));
		}
		json_decref(doc);
	}
	ask_end(a);
	return n > 0;
}

static int got_suggested(ask *a, int64_t id, const char *title)
{
	ask_begin(a);
	int ok = model_suggest(&a->m, title, a->e->def->name) == 0 && items_hold(buf_str(&a->m.body), "items", a->e, id);
	ask_end(a);
	return ok;
}

static int got_exported(ask *a, const char *title)
{
	ask_begin(a);
	buf out = BUF_INIT;
	int ok = csvio_export(&a->m, a->e, &out) == 0 && strstr(buf_str(&out), title) != NULL;
	buf_free(&out);
	ask_end(a);
	return ok;
}

static int got_updated(ask *a, int64_t id, const char *cls)
{
	ask_begin(a);
	/* a child repeats its parent's classification: its update changes nothing, and is still asked who may */
	json_t *patch = a->e->parent ? json_object() : json_pack("{s:s}", "classification", cls);
	model_update(&a->m, a->e, id_text(id), 0, patch);
	int ok = said_ok(&a->m);
	json_decref(patch);
	ask_end(a);
	return ok;
}

static int got_archived(ask *a, int64_t id)
{
	ask_begin(a);
	model_archive(&a->m, a->e, id_text(id));
	int ok = said_ok(&a->m);
	ask_end(a);
	return ok;
}

/* The area's own write (a reply into an inquiry): the record's rules as
 * access_record_domain asks them. */
static int got_area_write(ask *a, int64_t id)
{
	ask_begin(a);
	record r;
	store_conn *c = store_reader(t->st);
	int ok = model_fetch(&a->m, c, a->e, id, &r) == 1 && access_record_domain(&a->m, c, a->e, &r, OP_UPDATE);
	ask_end(a);
	return ok;
}

static int got_created(ask *a, const char *cls)
{
	create_as(&a->m, &a->u, a->e, cls, CREATE_FORCE | (a->e->def->area_writes || a->e->def->area_creates ? CREATE_DOMAIN : 0));
	int ok = said_ok(&a->m);
	ask_end(a);
	return ok;
}

static int got_created_generically(ask *a, const char *cls)
{
	create_as(&a->m, &a->u, a->e, cls, CREATE_FORCE);
	int ok = said_ok(&a->m);
	ask_end(a);
	return ok;
}

/* ---- the matrix --------------------------------------------------------------------- */

static int failures, cells;

static void check(const ask *a, const char *op, const facts *f, int got, int want)
{
	cells++;
	if (got == want)
		return;
	print_error("%s, a %s record of %s's (division %s), made by %s: %s %s, expected %s\n", a->e->def->name, f->cls,
		    f->mine ? "the reader" : "someone else", f->div ? f->div : "none", a->rd->what, op,
		    got ? "allowed" : "refused", want ? "allowed" : "refused");
	failures++;
}

/* The record's facts as the rules read them: its own, or its parent's;
 * the area may have routed it to another division than the one asked. */
static facts facts_of(const entity *e, int64_t id, int mine)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	json_t *doc = model_get(&m, e, id_text(id)) == 0 ? json_loads(buf_str(&m.body), 0, NULL) : NULL;
	model_done(&m);
	if (!doc)
		fail_msg("%s %lld cannot be read back", e->def->name, (long long)id);
	int64_t parent = e->parent ? json_integer_value(json_object_get(doc, e->def->parent)) : 0;
	static char cls[32], div[32];
	snprintf(cls, sizeof cls, "%s", json_string_value(json_object_get(doc, "classification")) ?: "");
	snprintf(div, sizeof div, "%s", json_string_value(json_object_get(doc, "division")) ?: "");
	json_decref(doc);
	if (parent)
		return facts_of(e->parent, parent, mine);
	return (facts){ cls, *div ? div : NULL, mine };
}

static void one_record(const entity *e, const reader *rd, const char *cls, int mine)
{
	int64_t creator = mine && rd->id ? rd->id : someone_else;
	int64_t id = make(e, cls, creator);
	facts f = facts_of(e, id, creator == rd->id);
	ask a = { .e = e, .rd = rd, .u = as_user(rd) };
	if (e->def->self_org && rd->own_org)
		a.u.org_id = id;   /* a partner's own organization is the record itself */
	int read = expect_read(e, rd, &f);
	check(&a, "get", &f, got_get(&a, id), read);
	check(&a, "list", &f, got_listed(&a, id), read);
	char title[128];
	if (title_of(e, id, title, sizeof title)) {
		check(&a, "search", &f, got_found(&a, id, title), read);
		check(&a, "facet count", &f, got_counted(&a, title), read);
		check(&a, "suggest", &f, got_suggested(&a, id, title), read);
		check(&a, "export", &f, got_exported(&a, title), read);
	}
	if (e->def->area_writes) {
		check(&a, "area write", &f, got_area_write(&a, id), expect_change(e, rd, &f, e->def->area_writes, OP_CREATE));
		check(&a, "generic update", &f, got_updated(&a, id, cls), 0);
		check(&a, "generic archive", &f, got_archived(&a, id), 0);
		return;
	}
	check(&a, "update", &f, got_updated(&a, id, f.cls), expect_change(e, rd, &f, set_of(e->def, OP_UPDATE), OP_UPDATE));
	check(&a, "archive", &f, got_archived(&a, id), expect_change(e, rd, &f, set_of(e->def, OP_ARCHIVE), OP_ARCHIVE));
}

static void one_create(const entity *e, const reader *rd)
{
	ask a = { .e = e, .rd = rd, .u = as_user(rd) };
	role_set who = e->def->area_writes ? e->def->area_writes : e->def->area_creates ? e->def->area_creates
										       : set_of(e->def, OP_CREATE);
	int want = has(who, rd) && org_ok(e, rd) && division_ok(e->def->own_division, rd, RECORD_DIVISION);
	facts parent = { "internal", RECORD_DIVISION, rd->id != 0 };
	if (e->parent)   /* a child is made inside an internal parent, made by the reader's id */
		want = want && expect_change(e->parent, rd, &parent, set_of(e->parent->def, OP_UPDATE), OP_UPDATE);
	facts f = { "internal", RECORD_DIVISION, 0 };
	check(&a, "create", &f, got_created(&a, "internal"), want);
	if (e->def->area_creates)   /* made by its area alone: the generic create refuses everyone */
		check(&a, "generic create", &f, got_created_generically(&a, "internal"), 0);
}

static void every_kind_role_operation_and_classification(void **state)
{
	(void)state;
	for (size_t k = 0; k < t->reg.n; k++) {
		const entity *e = &t->reg.v[k];
		for (size_t r = 0; r < NREADERS; r++) {
			one_create(e, &readers[r]);
			for (int c = 0; classifications[c]; c++)
				for (int mine = 0; mine < 2; mine++)
					one_record(e, &readers[r], classifications[c], mine);
		}
	}
	print_message("%d cells of the access matrix asked\n", cells);
	if (failures)
		fail_msg("%d cells of the access matrix differ from the rules", failures);
}

/* A field with writers of its own (field_def.writers) takes a value from
 * them alone: of those who may change a record, the others are refused
 * with the field named, and nothing is written. */
static void fields_with_writers_are_written_by_them_alone(void **state)
{
	(void)state;
	int asked = 0, refused = 0;
	for (size_t k = 0; k < t->reg.n; k++) {
		const entity *e = &t->reg.v[k];
		for (size_t i = 0; i < e->def->nfields; i++) {
			const field_def *f = &e->def->fields[i];
			if (!f->writers)
				continue;
			int64_t id = make(e, "internal", someone_else);
			facts fa = facts_of(e, id, 0);
			for (size_t r = 0; r < NREADERS; r++) {
				const reader *rd = &readers[r];
				if (!expect_change(e, rd, &fa, set_of(e->def, OP_UPDATE), OP_UPDATE))
					continue;
				ask a = { .e = e, .rd = rd, .u = as_user(rd) };
				ask_begin(&a);
				json_t *patch = json_pack("{s:o}", f->name, value_for(e, f, "internal", someone_else));
				model_update(&a.m, e, id_text(id), 0, patch);
				int named = a.m.status == 422 && a.m.nerrors == 1 && !strcmp(a.m.errors[0].field, f->name);
				if (has(f->writers, rd) ? !said_ok(&a.m) : !named)
					fail_msg("%s.%s written by %s: status %d, expected %s", e->def->name, f->name, rd->what,
						 a.m.status, has(f->writers, rd) ? "written" : "a 422 naming the field");
				asked++;
				refused += !has(f->writers, rd);
				json_decref(patch);
				ask_end(&a);
			}
		}
	}
	print_message("%d writes of fields with writers of their own asked, %d refused\n", asked, refused);
	assert_true(refused > 0 && refused < asked);
}

/* Who writes only their own organization's records (a kind's own_org)
 * leaves their classification and division to staff: a new record is
 * internal, of no division, and a body or a patch that says otherwise is
 * refused naming the field, nothing written. */
static void own_org_writers_classify_nothing(void **state)
{
	(void)state;
	int asked = 0;
	for (size_t k = 0; k < t->reg.n; k++) {
		const entity *e = &t->reg.v[k];
		for (size_t r = 0; r < NREADERS; r++) {
			const reader *rd = &readers[r];
			user u = as_user(rd);
			if (!access_own_org(&u, e) || !rd->own_org)
				continue;
			static const char *const said[][2] = { { "classification", "public" }, { "division", RECORD_DIVISION } };
			for (size_t i = 0; i < COUNT(said); i++) {
				model_ctx m;
				json_t *b = body_as(&u, e, "internal");
				json_object_set_new(b, said[i][0], json_string(said[i][1]));
				model_init(&m, t->st, &t->reg, &u);
				model_create(&m, e, b, CREATE_FORCE);
				if (m.status != 422 || m.nerrors != 1 || strcmp(m.errors[0].field, said[i][0]))
					fail_msg("%s made by %s saying its %s: status %d, not a 422 naming it", e->def->name, rd->what,
						 said[i][0], m.status);
				model_done(&m);
				json_decref(b);
				asked++;
			}
			ask a = { .e = e, .rd = rd, .u = u };
			create_as(&a.m, &a.u, e, "internal", CREATE_FORCE);
			assert_int_equal(a.m.status, 201);
			int64_t id = a.m.id;
			ask_end(&a);
			assert_int_equal(got_updated(&a, id, "public"), 0);
			facts f = facts_of(e, id, 1);
			assert_string_equal(f.cls, "internal");
			assert_null(f.div);
			asked++;
		}
	}
	assert_true(asked > 0);
}

/* The matrix would pass vacuously if nobody could do anything: each kind is
 * readable and writable by someone, and the rules tell roles apart. */
static void the_matrix_is_not_vacuous(void **state)
{
	(void)state;
	for (size_t k = 0; k < t->reg.n; k++) {
		const entity_def *d = t->reg.v[k].def;
		assert_true(set_of(d, OP_READ) != 0);
		assert_true(set_of(d, OP_UPDATE) != 0 || d->area_writes != 0);
	}
	const reader *partner = &readers[6], *intake = &readers[9];
	assert_false(class_allows(partner, "restricted", NULL, 0, 1));
	assert_true(class_allows(intake, "confidential", NULL, 0, 0));
}

/* The role names the accounts take are the role table's. */
static void account_roles_are_the_role_table(void **state)
{
	(void)state;
	int n = 0;
	for (int r = 0; r < NROLES; r++) {
		if (!role_defs[r].account)
			continue;
		assert_string_equal(roles[n], role_defs[r].name);
		n++;
	}
	assert_null(roles[n]);
}

/* An account of role, made now: its id. */
static int64_t account_id(const char *name, role r, const char *division)
{
	char err[256];
	account a;
	if (accounts_add(t->st, name, role_defs[r].name, division, 0, "zelkova-pass-2026", err, sizeof err) ||
	    accounts_by_name(t->st, name, &a))
		fail_msg("cannot make the account %s: %s", name, err);
	return a.u.id;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	t = testdb_open_with(test_kinds, COUNT(test_kinds));
	char err[256];
	if (domains_seed(t->st, &t->reg, err, sizeof err))
		return -1;
	admin.id = account_id("root", ROLE_ADMIN, NULL);
	someone_else = account_id("someone-else", ROLE_STAFF, "DRD");
	for (size_t r = 0; r < NREADERS; r++)
		if (role_defs[readers[r].role].account) {
			char name[32];
			snprintf(name, sizeof name, "reader-%zu", r);
			readers[r].id = account_id(name, readers[r].role, readers[r].division);
		}
	const entity *org = NULL;
	for (size_t k = 0; k < t->reg.n; k++)
		if (t->reg.v[k].def->self_org)
			org = &t->reg.v[k];
	fixture_org = org ? make(org, "public", admin.id) : 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(t);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(account_roles_are_the_role_table),
		cmocka_unit_test(the_matrix_is_not_vacuous),
		cmocka_unit_test(every_kind_role_operation_and_classification),
		cmocka_unit_test(fields_with_writers_are_written_by_them_alone),
		cmocka_unit_test(own_org_writers_classify_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
