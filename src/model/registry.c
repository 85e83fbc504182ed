/*
 * registry — turns entity_defs into entities with their columns, checks the
 * descriptions for mistakes at start-up, and creates the tables they need.
 */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"
#include "model/search.h"
#include "model/workflow.h"

const char *const registry_langs[] = { "en", "fr", "es", NULL };
const char *const registry_lang_labels[] = { N_("English"), N_("French"), N_("Spanish"), NULL };
const char *const classifications[] = { "public", "internal", "restricted", "confidential", NULL };
const char *const divisions[] = { "FO", "GBD", "IPD", "MCD", "DRD", "MPR", "MPD", "IML", NULL };
static const char *const division_labels[] = {
	N_("Front Office"), N_("Governing Bodies Division"), N_("International Partnerships Division"),
	N_("Media and Communications Division"), N_("Donor Relations Division"),
	N_("Migration Policy Research Division"), N_("Multilateral Processes Division"),
	N_("International Migration Law Unit"), NULL };
const field_def registry_division = { "division", F_ENUM, FACET, .values = divisions, .labels = division_labels,
				      .label = N_("Division") };
const char *const roles[] = { "admin", "director", "staff", "translator", "viewer", "partner", NULL };

/* What each role reads, by classification (access.c asks these, never a
 * role's name): staff read everything internal, the restricted records of
 * their division and the confidential ones they made or were granted;
 * directors every restricted record; a partner only what is public and the
 * internal records of their own organization. */
#define SEES_STAFF (SEES_PUBLIC | SEES_INTERNAL | SEES_DIVISION | SEES_GRANTED)
const role_def role_defs[NROLES] = {
	[ROLE_ADMIN] = { "admin", SEES_ALL, 1, 1 },
	[ROLE_DIRECTOR] = { "director", SEES_STAFF | SEES_RESTRICTED, 1, 1 },
	[ROLE_STAFF] = { "staff", SEES_STAFF, 1, 1 },
	[ROLE_TRANSLATOR] = { "translator", SEES_STAFF, 1, 1 },
	[ROLE_VIEWER] = { "viewer", SEES_STAFF, 1, 1 },
	[ROLE_PARTNER] = { "partner", SEES_PUBLIC | SEES_OWN_ORG, 0, 1 },
	[ROLE_PUBLIC] = { "public", SEES_PUBLIC, 0, 0 },
	/* The sender reads and writes nothing through the rules: an area's
	 * on_mail hook records the outcome on the record it names. */
	[ROLE_MAIL] = { "mail", SEES_PUBLIC, 0, 0 },
};

static const char *const sys_names[NSYSCOLS] = {
	"id", "version", "archived", "classification", "division",
	"created_at", "updated_at", "created_by", "updated_by",
};
static const int sys_is_int[NSYSCOLS] = { 1, 1, 1, 0, 0, 0, 0, 1, 1 };

int enum_index(const char *const *values, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; values[i]; i++)
		if (strcmp(values[i], s) == 0)
			return i;
	return -1;
}

/* n written in capital letters as digits of base 26: A is 0, so n = 1 is "B". */
static size_t letters(unsigned long n, char *out)
{
	char rev[16];
	size_t k = 0;
	do
		rev[k++] = (char)('A' + n % 26);
	while ((n /= 26) && k < sizeof rev);
	for (size_t i = 0; i < k; i++)
		out[i] = rev[k - 1 - i];
	return k;
}

int field_sample(const field_def *f, unsigned long n, char *out, size_t size)
{
	size_t len = 0;
	if (!f->sample || !size)
		return -1;
	for (const char *p = f->sample; *p; p++) {
		char piece[24];
		size_t k = 1;
		piece[0] = *p;
		if (!strncmp(p, "{n}", 3) || !strncmp(p, "{A}", 3)) {
			k = p[1] == 'n' ? (size_t)snprintf(piece, sizeof piece, "%lu", n) : letters(n, piece);
			p += 2; /* past the placeholder */
		}
		if (len + k >= size)
			return -1;
		memcpy(out + len, piece, k);
		len += k;
	}
	out[len] = '\0';
	return 0;
}

const list_view *entity_view(const entity *e, const char *name)
{
	for (const list_view *v = e->def->views; v && v->name && name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static int field_is_int(const field_def *f)
{
	return f->type == F_INT || f->type == F_BOOL || f->type == F_MONEY || (f->type == F_REF && !f->ref_key);
}

static size_t columns_of(const field_def *f)
{
	if (f->type == F_LINKS)
		return 0; /* kept in the links table */
	return f->type == F_LANGTEXT ? NLANGS : f->type == F_MONEY ? 2 : 1;
}

static void free_entity(entity *e)
{
	if (e->def) {
		free((field_def *)e->def->fields);
		free((entity_def *)e->def);
	}
	if (!e->cols)
		return;
	for (size_t i = NSYSCOLS; i < e->ncols; i++)
		if (e->cols[i].lang >= 0 || e->cols[i].currency)
			free((char *)e->cols[i].name);
	free(e->cols);
	free(e->colnames);
	free(e->load_sql);
}

/* A home list names fields of its kind, and says what it shows. */
static int check_home(const entity *e, char *err, size_t errlen)
{
	const entity_def *d = e->def;
	const home_list *h = d->home;
	for (const home_count *c = d->home_counts; c && c->label; c++)
		if (!c->href || (!c->count && !entity_view(e, c->view))) {
			snprintf(err, errlen, "registry: %s's home count \"%s\" needs its list and a count or a view of the kind",
				 d->name, c->label);
			return -1;
		}
	if (!h)
		return 0;
	const char *missing = !h->heading || !h->empty ? "a heading and what it says when empty"
			      : !h->date_field || !entity_field(e, h->date_field) ? "its date_field"
			      : h->owner_field && !entity_field(e, h->owner_field) ? "its owner_field"
			      : h->field && (!h->value || !entity_field(e, h->field)) ? "its field and value"
										: NULL;
	if (missing)
		snprintf(err, errlen, "registry: %s's home list lacks %s", d->name, missing);
	return missing ? -1 : 0;
}

/* A kind's assignee is a reference to users by id; its row rules name
 * roles only among those who write it. */
static int check_access(const entity *e, char *err, size_t errlen)
{
	const entity_def *d = e->def;
	size_t named = 0;
	for (size_t i = 0; i < d->nfields; i++) {
		const field_def *f = &d->fields[i];
		if (!entity_assigns(d, f->name))
			continue;
		if (f->type != F_REF || f->ref_key || !f->ref || strcmp(f->ref, "users") != 0) {
			snprintf(err, errlen, "registry: %s.assignee must name references to users by id, each a field of the kind", d->name);
			return -1;
		}
		named++;
	}
	if (d->own_org && !d->org_field && !d->self_org) {
		snprintf(err, errlen, "registry: %s.own_org needs the kind's org_field: whose organization would it be?", d->name);
		return -1;
	}
	size_t names = 0;
	for (const char *s = d->assignee; s && *s; s++)
		names += *s == ',';
	if (d->assignee && named != names + 1) {
		snprintf(err, errlen, "registry: %s.assignee must name references to users by id, each a field of the kind", d->name);
		return -1;
	}
	const field_def *date = d->dated ? entity_field(e, d->dated) : NULL;
	if (d->dated && (!date || (date->type != F_DATE && date->type != F_TIME))) {
		snprintf(err, errlen, "registry: %s.dated must name a date or time field", d->name);
		return -1;
	}
	if (!d->read) {
		snprintf(err, errlen, "registry: %s says nobody may read it", d->name);
		return -1;
	}
	return 0;
}

static int check_def(const entity *e, char *err, size_t errlen)
{
	const entity_def *d = e->def;
	if (check_home(e, err, errlen) || workflow_check(e, err, errlen) || check_access(e, err, errlen))
		return -1;
	for (size_t i = 0; i < d->nfields; i++) {
		const field_def *f = &d->fields[i];
		if ((f->flags & PARTNER_ORG) && (f->type != F_REF || !f->ref)) {
			snprintf(err, errlen, "registry: %s.%s refers to partners' organizations, but no kind is marked self_org",
				 d->name, f->name);
			return -1;
		}
		if ((f->flags & PERSONAL) && (f->flags & REQUIRED) && f->type != F_TEXT && f->type != F_LANGTEXT) {
			snprintf(err, errlen, "registry: %s.%s is personal and required, so erasing it leaves text: it must be text",
				 d->name, f->name);
			return -1;
		}
		if (f->type == F_MONEY && (f->flags & (SEARCHED | TITLE | UNIQUE | FACET | MATCHED | ACRONYM | TELLS_APART | PERSONAL | TODAY))) {
			snprintf(err, errlen, "registry: %s.%s is money: an amount is neither searched, a title, unique, "
				 "a facet nor personal", d->name, f->name);
			return -1;
		}
		if ((f->type == F_ENUM && !f->values) || (f->type == F_REF && !f->ref) ||
		    (f->type == F_LINKS && !f->link_kinds)) {
			snprintf(err, errlen, "registry: %s.%s lacks its values or reference", d->name, f->name);
			return -1;
		}
		if (f->initial && (f->type != F_ENUM || enum_index(f->values, f->initial) < 0)) {
			snprintf(err, errlen, "registry: %s.%s starts as '%s', which is none of its values", d->name, f->name,
				 f->initial);
			return -1;
		}
		for (size_t j = 0; j < NSYSCOLS; j++)
			if (strcmp(f->name, sys_names[j]) == 0) {
				snprintf(err, errlen, "registry: %s.%s shadows a system column", d->name, f->name);
				return -1;
			}
	}
	return 0;
}

/* The registry's own copy of an area's description, with what only the
 * whole registry knows filled in: the kind a PARTNER_ORG reference names. */
static entity_def *own_def(const entity_def *d, const char *partner_kind)
{
	entity_def *copy = malloc(sizeof *copy);
	field_def *fields = malloc((d->nfields ? d->nfields : 1) * sizeof *fields);
	if (!copy || !fields)
		abort();
	*copy = *d;
	for (size_t i = 0; i < d->nfields; i++) {
		fields[i] = d->fields[i];
		if (fields[i].flags & PARTNER_ORG)
			fields[i].ref = partner_kind;
	}
	copy->fields = fields;
	return copy;
}

static int build_entity(entity *e, const entity_def *area_def, const char *partner_kind, char *err, size_t errlen)
{
	const entity_def *d = e->def = own_def(area_def, partner_kind);
	if (check_def(e, err, errlen))
		return -1;
	size_t n = NSYSCOLS;
	for (size_t i = 0; i < d->nfields; i++)
		n += columns_of(&d->fields[i]);
	e->cols = calloc(n, sizeof *e->cols);
	e->colnames = calloc(n, sizeof *e->colnames);
	if (!e->cols || !e->colnames)
		abort();
	for (size_t i = 0; i < NSYSCOLS; i++)
		e->cols[i] = (column){ sys_names[i], NULL, -1, sys_is_int[i], 0 };
	size_t k = NSYSCOLS;
	for (size_t i = 0; i < d->nfields; i++) {
		const field_def *f = &d->fields[i];
		if (f->type == F_LANGTEXT) {
			for (int l = 0; l < NLANGS; l++) {
				buf name = BUF_INIT;
				buf_printf(&name, "%s_%s", f->name, registry_langs[l]);
				e->cols[k++] = (column){ buf_steal(&name), f, l, 0, 0 };
			}
		} else if (columns_of(f)) {
			e->cols[k++] = (column){ f->name, f, -1, field_is_int(f), 0 };
		}
		if (f->type == F_MONEY) {
			buf name = BUF_INIT;
			buf_printf(&name, "%s_currency", f->name);
			e->cols[k++] = (column){ buf_steal(&name), f, -1, 0, 1 };
		}
	}
	e->ncols = k;
	for (size_t i = 0; i < k; i++)
		e->colnames[i] = e->cols[i].name;
	store_cond by_id = COND_EQ("id", SV_NUL);
	store_select q = { .table = d->table, .cols = e->colnames, .ncols = (int)k, .where = &by_id, .nwhere = 1 };
	e->load_sql = store_select_sql(&q);
	if (!e->load_sql) {
		snprintf(err, errlen, "registry: %s has a table or column name that is not a plain identifier", d->name);
		return -1;
	}
	return 0;
}

/* A kind's parent is a required reference to a kind listed before it, so
 * that a record always has one and the chain of parents ends. */
static int link_parent(registry *r, entity *e, char *err, size_t errlen)
{
	e->parent_col = -1;
	const char *name = e->def->parent;
	if (!name)
		return 0;
	const field_def *f = entity_field(e, name);
	if (!f || f->type != F_REF || f->ref_key || !(f->flags & REQUIRED)) {
		snprintf(err, errlen, "registry: %s.parent must name a required reference by id", e->def->name);
		return -1;
	}
	for (entity *p = r->v; p < e; p++)
		if (strcmp(p->def->name, f->ref) == 0)
			e->parent = p;
	if (!e->parent) {
		snprintf(err, errlen, "registry: %s's parent kind %s must come before it", e->def->name, f->ref);
		return -1;
	}
	e->parent_col = entity_column(e, name);
	((entity *)e->parent)->has_children = 1;
	return 0;
}

/* A reference kept within the parent's own (field_def.within) names a field
 * that both the parent's kind and the kind referred to have. */
static int check_within(const registry *r, const entity *e, char *err, size_t errlen)
{
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		const entity *to = f->within && f->type == F_REF ? registry_find(r, f->ref) : NULL;
		if (f->within && (!e->parent || !to || !entity_field(e->parent, f->within) || !entity_field(to, f->within))) {
			snprintf(err, errlen, "registry: %s.%s is within %s, which its parent's kind and the kind it refers to "
				 "must both have", e->def->name, f->name, f->within);
			return -1;
		}
	}
	return 0;
}

/* The kind partners belong to: the one marked self_org, if an area has it. */
static const char *org_kind(const entity_def *const *defs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (defs[i]->self_org)
			return defs[i]->name;
	return NULL;
}

/* The kind a field refers to by id or key, or NULL: its own reference
 * leaves none (a document superseding another). */
static const char *referred_kind(const entity_def *d, const field_def *f, const char *org)
{
	const char *to = f->type != F_REF ? NULL : (f->flags & PARTNER_ORG) && !f->ref ? org : f->ref;
	return to && strcmp(to, d->name) ? to : NULL;
}

static size_t def_index(const entity_def *const *defs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(defs[i]->name, name))
			return i;
	return n;
}

/* Puts defs[i] into out after every kind it refers to (depth first);
 * state: 0 not seen, 1 on the path being followed, 2 placed. */
static int place_kind(const entity_def *const *defs, size_t n, size_t i, const char *org, unsigned char *state,
		      const entity_def **out, size_t *k, char *err, size_t errlen)
{
	if (state[i] == 2)
		return 0;
	if (state[i] == 1) {
		snprintf(err, errlen, "registry: %s is among kinds that refer to each other in a circle", defs[i]->name);
		return -1;
	}
	state[i] = 1;
	for (size_t f = 0; f < defs[i]->nfields; f++) {
		const char *to = referred_kind(defs[i], &defs[i]->fields[f], org);
		size_t j = to ? def_index(defs, n, to) : n;
		if (j < n && place_kind(defs, n, j, org, state, out, k, err, errlen))
			return -1;
	}
	state[i] = 2;
	out[(*k)++] = defs[i];
	return 0;
}

/* The kinds in an order where each comes after those it refers to, so that
 * tables are made with their references in place and a parent is known
 * before its children; otherwise in the order given.  The areas list
 * their own kinds; none needs to know where another's come. */
static int order_kinds(const entity_def *const *defs, size_t n, const char *org, const entity_def **out, char *err,
		       size_t errlen)
{
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t k = 0;
	int rc = 0;
	if (!state)
		abort();
	for (size_t i = 0; i < n && !rc; i++)
		rc = place_kind(defs, n, i, org, state, out, &k, err, errlen);
	free(state);
	return rc;
}

int registry_build(registry *r, const entity_def *const *given, size_t n, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	const char *org = org_kind(given, n);
	const entity_def **defs = calloc(n ? n : 1, sizeof *defs);
	if (!defs)
		abort();
	if (order_kinds(given, n, org, defs, err, errlen)) {
		free(defs);
		return -1;
	}
	r->v = calloc(n ? n : 1, sizeof *r->v);
	if (!r->v)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (build_entity(&r->v[i], defs[i], org, err, errlen) || link_parent(r, &r->v[i], err, errlen)) {
			free(defs);
			r->n++;
			registry_free(r);
			return -1;
		}
		r->n++;
	}
	free(defs);
	for (size_t i = 0; i < n; i++)
		if (check_within(r, &r->v[i], err, errlen)) {
			registry_free(r);
			return -1;
		}
	if (search_shape_build(r, err, errlen)) {
		registry_free(r);
		return -1;
	}
	return 0;
}

void registry_free(registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		free_entity(&r->v[i]);
	free(r->v);
	free(r->facets);
	r->v = NULL;
	r->n = 0;
	r->facets = NULL;
	r->nfacets = 0;
}

int registry_add_roles(registry *r, const system_role *const *roles, char *err, size_t errlen)
{
	for (const system_role *const *each = roles; *each; each++) {
		const system_role *s = *each;
		int n = (int)s->slot - ROLE_SYSTEM;
		if (n < 0 || n >= NSYSTEM_ROLES) {
			snprintf(err, errlen, "the system role %s takes slot %d, not one of the %d system slots", s->name,
				 (int)s->slot, NSYSTEM_ROLES);
			return -1;
		}
		if (r->system[n]) {
			snprintf(err, errlen, "the system roles %s and %s take the same slot", r->system[n]->name, s->name);
			return -1;
		}
		r->system[n] = s;
	}
	return 0;
}

unsigned registry_sees(const registry *r, role role)
{
	if (role < ROLE_SYSTEM)
		return role_defs[role].sees;
	const system_role *s = r->system[role - ROLE_SYSTEM];
	return s ? s->sees : 0;
}

const char *registry_role_name(const registry *r, role role)
{
	const system_role *s = role < ROLE_SYSTEM ? NULL : r->system[role - ROLE_SYSTEM];
	const char *name = role < ROLE_SYSTEM ? role_defs[role].name : s ? s->name : NULL;
	return name ? name : "system";
}

const entity *registry_find(const registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].def->name, name) == 0)
			return &r->v[i];
	return NULL;
}

const entity *registry_find_alias(const registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].def->alias && strcmp(r->v[i].def->alias, name) == 0)
			return &r->v[i];
	return registry_find(r, name);
}

const field_def *entity_field(const entity *e, const char *name)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if (strcmp(e->def->fields[i].name, name) == 0)
			return &e->def->fields[i];
	return NULL;
}

int entity_assigns(const entity_def *d, const char *field)
{
	size_t n = strlen(field);
	for (const char *s = d->assignee; s && *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ',')) {
		if (strcspn(s, ",") == n && !strncmp(s, field, n))
			return 1;
	}
	return 0;
}

int field_refers(const field_def *f, const entity *e)
{
	if (f->type == F_REF)
		return !strcmp(f->ref, e->def->name);
	for (const char *const *k = f->type == F_LINKS ? f->link_kinds : NULL; k && *k; k++)
		if (!strcmp(*k, e->def->name))
			return 1;
	return 0;
}

int entity_refers(const entity *k, const entity *e)
{
	for (size_t i = 0; i < k->def->nfields; i++)
		if (field_refers(&k->def->fields[i], e))
			return 1;
	return 0;
}

int entity_column(const entity *e, const char *name)
{
	for (size_t i = 0; i < e->ncols; i++)
		if (strcmp(e->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* How a column sorts: NOT NULL columns as they are, the others with NULL
 * mapped to a value (see store_order). */
store_nulls column_nulls(const entity *e, size_t i)
{
	const column *c = &e->cols[i];
	if (!c->field)
		return i == COL_DIVISION || i == COL_CREATED_BY || i == COL_UPDATED_BY
			       ? (c->is_int ? NULL_AS_INT : NULL_AS_TEXT) : NOT_NULL;
	if ((c->field->flags & REQUIRED) && c->field->type != F_LANGTEXT)
		return NOT_NULL;
	return c->is_int ? NULL_AS_INT : NULL_AS_TEXT;
}

/* ---- tables ----------------------------------------------------------- */

static const char *references_of(const registry *r, const field_def *f, arena *a)
{
	if (f->type != F_REF)
		return NULL;
	const entity *target = registry_find(r, f->ref);
	const char *table = target ? target->def->table : f->ref;
	return arena_printf(a, "%s(%s)", table, f->ref_key ? f->ref_key : "id");
}

/* The columns the kind sorts by when a list names no order (one per language
 * for a multilingual field), for composite indexes. */
static size_t default_sort_keys(const entity *e, store_order *keys)
{
	const char *sort = e->def->default_sort;
	if (!sort)
		return 0;
	int desc = *sort == '-';
	size_t n = 0;
	for (size_t i = NSYSCOLS; i < e->ncols && n < NLANGS; i++) {
		const column *c = &e->cols[i];
		if (strcmp(c->field->name, sort + desc) == 0)
			keys[n++] = (store_order){ c->name, desc, column_nulls(e, i) };
	}
	return n;
}

/*
 * Indexes for what lists do: a plain index on each column filtered often,
 * an index on the sort key of titles and indexed columns, and for each
 * categorical filter (an enum, a reference) one per default sort key, so
 * that "?country=PH" in name order walks an index and stops at the limit.
 */
static int create_indexes(store_conn *c, const entity *e, size_t i)
{
	const column *col = &e->cols[i];
	unsigned flags = col->field ? col->field->flags : 0;
	int categorical = col->field && (flags & INDEXED) && (col->field->type == F_ENUM || col->field->type == F_REF);
	store_order sort[NLANGS];
	size_t nsort = categorical ? default_sort_keys(e, sort) : 0;
	/* A composite index (col, sort key) serves equality on col alone too. */
	int filtered = !nsort && (((flags & INDEXED) && !(flags & UNIQUE)) || (col->field && col->field->type == F_REF));
	const char *dsort = e->def->default_sort ? e->def->default_sort + (e->def->default_sort[0] == '-') : "";
	int sorted = col->field && !(flags & UNIQUE) && ((flags & TITLE) || strcmp(col->field->name, dsort) == 0);
	store_order key[2] = { { col->name, 0, NOT_NULL } };
	int rc = STORE_OK;
	if (filtered) {
		/* An optional reference is mostly empty: index only where it is set. */
		int optional_ref = col->field && col->field->type == F_REF && !(flags & REQUIRED);
		key[0].nulls = optional_ref ? NULLS_SKIPPED : NOT_NULL;
		rc = store_ensure_index(c, e->def->table, key, 1);
	}
	if (rc == STORE_OK && sorted) {
		key[0].nulls = column_nulls(e, i);
		rc = store_ensure_index(c, e->def->table, key, 1);
	}
	for (size_t k = 0; rc == STORE_OK && k < nsort; k++) {
		key[0] = (store_order){ col->name, 0, NOT_NULL };
		key[1] = sort[k];
		rc = store_ensure_index(c, e->def->table, key, 2);
	}
	/* "What changed lately", for everyone and per division (the home page). */
	if (rc == STORE_OK && i == COL_UPDATED_AT && (e->def->recent || e->def->home_changed)) {
		key[0] = (store_order){ "updated_at", 0, NOT_NULL };
		rc = store_ensure_index(c, e->def->table, key, 1);
		key[0] = (store_order){ "division", 0, NOT_NULL };
		key[1] = (store_order){ "updated_at", 0, NOT_NULL };
		if (rc == STORE_OK)
			rc = store_ensure_index(c, e->def->table, key, 2);
	}
	return rc;
}

#define INDEX_KEYS_MAX 6

/* The entity's own composite indexes ("a,b,c"): equality on the leading
 * keys, the last in the order lists sort it.  A multilingual last key gives
 * one index per language, as lists sort by the reader's. */
static int create_extra_index(store_conn *c, const entity *e, const char *spec, int lang)
{
	store_order keys[INDEX_KEYS_MAX];
	int n = 0;
	char copy[200], *save = NULL;
	snprintf(copy, sizeof copy, "%s", spec);
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		if (n == INDEX_KEYS_MAX)
			return STORE_ERROR; /* never an index shorter than the one described */
		const field_def *f = entity_field(e, k);
		char name[64];
		snprintf(name, sizeof name, "%s_%s", k, registry_langs[lang]);
		int col = entity_column(e, f && f->type == F_LANGTEXT ? name : k);
		if (col < 0)
			return STORE_ERROR;
		keys[n] = (store_order){ e->cols[col].name, 0, NOT_NULL };
		n++;
	}
	if (n == 0)
		return STORE_ERROR;
	int last = entity_column(e, keys[n - 1].col);
	keys[n - 1].nulls = column_nulls(e, (size_t)last);
	return store_ensure_index(c, e->def->table, keys, n);
}

static int create_extra_indexes(store_conn *c, const entity *e)
{
	for (const char *const *spec = e->def->indexes; spec && *spec; spec++) {
		const char *lastkey = strrchr(*spec, ',') ? strrchr(*spec, ',') + 1 : *spec;
		const field_def *f = entity_field(e, lastkey);
		int langs = f && f->type == F_LANGTEXT ? NLANGS : 1;
		for (int l = 0; l < langs; l++) {
			int rc = create_extra_index(c, e, *spec, l);
			if (rc != STORE_OK)
				return rc;
		}
	}
	return STORE_OK;
}

static int create_table(const registry *r, store_conn *c, const entity *e)
{
	arena a = ARENA_INIT;
	size_t n = e->ncols - 1; /* id is implied */
	store_column *cols = arena_alloc(&a, n * sizeof *cols);
	for (size_t i = 1; i < e->ncols; i++) {
		const column *col = &e->cols[i];
		store_column *sc = &cols[i - 1];
		sc->name = col->name;
		sc->type = col->is_int ? "INTEGER" : "TEXT";
		if (col->field) {
			sc->references = references_of(r, col->field, &a);
			sc->unique = (col->field->flags & UNIQUE) != 0;
		}
	}
	int rc = store_ensure_table(c, e->def->table, cols, (int)n);
	for (size_t i = 1; rc == STORE_OK && i < e->ncols; i++)
		rc = create_indexes(c, e, i);
	if (rc == STORE_OK)
		rc = create_extra_indexes(c, e);
	arena_free(&a);
	return rc;
}

int registry_make_tables(const registry *r, store_conn *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < r->n; i++) {
		if (create_table(r, c, &r->v[i]) != STORE_OK) {
			snprintf(err, errlen, "cannot create table %s: %s", r->v[i].def->table, store_errmsg(c));
			return -1;
		}
	}
	return 0;
}

int registry_create_tables(const registry *r, store *s, char *err, size_t errlen)
{
	store_conn *c = store_begin(s);
	if (!c) {
		snprintf(err, errlen, "database is busy");
		return -1;
	}
	if (registry_make_tables(r, c, err, errlen)) {
		store_rollback(c);
		return -1;
	}
	if (store_commit(c) != STORE_OK) {
		snprintf(err, errlen, "cannot commit the tables");
		return -1;
	}
	return 0;
}
