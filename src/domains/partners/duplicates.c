/*
 * duplicates — keys, candidates and scores.
 *
 * Keys (table dup_keys) are what two records must share to be compared at
 * all: "n:" the folded name, "t:" each longer token of it, "a:" an acronym
 * (the record's own, or its name's initials), "e:" an e-mail address.  The
 * candidates that share a key are then scored: the same e-mail is 1.0, the
 * same acronym 0.9, a name 0.85 when it is the other's initials, otherwise
 * the token similarity of the names (folded, stop words ignored).
 *
 * A word many records share ("ministry", "migration") says nothing of which
 * of them a new record repeats: a word key that more than PER_KEY records
 * hold brings no candidates, unless the record has no rarer key at all.
 * So a name is compared with the few records that share its telling words,
 * and each name's words are made a set once, not once per comparison.
 */
#include "domains/partners/duplicates.h"

#include <ctype.h>
#include <string.h>

#include "core/fold.h"
#include "model/access.h"

#define MAX_NAMES 8
#define PER_KEY 100       /* candidates looked at per key: common tokens must not flood */
#define MAX_CANDIDATES 400
#define MAX_SHOWN 5

typedef struct facts {
	const char *names[MAX_NAMES];
	token_list words[MAX_NAMES];       /* each name's words, as a set */
	const char *initials[MAX_NAMES];   /* each name's initials, or NULL */
	size_t nnames;
	const char *acronym;      /* folded, upper case */
	const char *emails;       /* the JSON array text */
} facts;

static const char *folded(model_ctx *m, const char *s, size_t n)
{
	buf b = BUF_INIT;
	text_fold(&b, s, n);
	char *out = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return out;
}

static const char *upper(model_ctx *m, const char *s)
{
	char *u = arena_strdup(&m->a, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static const char *initials(model_ctx *m, const char *name)
{
	buf b = BUF_INIT;
	text_acronym(&b, name, strlen(name));
	const char *a = b.len >= 3 ? upper(m, buf_str(&b)) : NULL;
	buf_free(&b);
	return a;
}

/* The names, acronym and e-mails of a record, from its MATCHED/ACRONYM fields; facts_free after. */
static facts facts_of(model_ctx *m, const record *r)
{
	facts f = { 0 };
	buf person = BUF_INIT;
	const entity *e = r->e;
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const column *c = &e->cols[i];
		const store_value *v = &r->v[i];
		if (v->type != SV_TEXT || !(c->field->flags & (MATCHED | ACRONYM)))
			continue;
		if (c->field->flags & ACRONYM)
			f.acronym = upper(m, folded(m, v->s, v->n));
		else if (c->field->type == F_EMAILS)
			f.emails = v->s;
		else if (c->field->type == F_LANGTEXT && f.nnames < MAX_NAMES)
			f.names[f.nnames++] = arena_strndup(&m->a, v->s, v->n);
		else if (c->field->type == F_TEXT) { /* a person's name parts make one name */
			if (person.len)
				buf_putc(&person, ' ');
			buf_add(&person, v->s, v->n);
		}
	}
	if (person.len && f.nnames < MAX_NAMES)
		f.names[f.nnames++] = arena_strdup(&m->a, buf_str(&person));
	buf_free(&person);
	for (size_t i = 0; i < f.nnames; i++) {
		text_token_set(&f.words[i], f.names[i], strlen(f.names[i]));
		f.initials[i] = initials(m, f.names[i]);
	}
	return f;
}

static void facts_free(facts *f)
{
	for (size_t i = 0; i < f->nnames; i++)
		token_list_free(&f->words[i]);
}

typedef void (*key_fn)(model_ctx *m, void *ctx, const char *key);

static void each_key(model_ctx *m, const facts *f, key_fn fn, void *ctx)
{
	for (size_t i = 0; i < f->nnames; i++) {
		const char *name = f->names[i];
		fn(m, ctx, arena_printf(&m->a, "n:%s", folded(m, name, strlen(name))));
		const token_list *t = &f->words[i];
		for (size_t k = 0; k < t->n; k++)
			if (strlen(t->v[k]) >= 4)
				fn(m, ctx, arena_printf(&m->a, "t:%s", t->v[k]));
		if (f->initials[i])
			fn(m, ctx, arena_printf(&m->a, "a:%s", f->initials[i]));
	}
	if (f->acronym && *f->acronym)
		fn(m, ctx, arena_printf(&m->a, "a:%s", f->acronym));
	json_t *emails = f->emails ? json_loads(f->emails, 0, NULL) : NULL;
	size_t i;
	json_t *item;
	json_array_foreach(emails, i, item) {
		char *lower = arena_strdup(&m->a, json_string_value(item));
		for (char *p = lower; p && *p; p++)
			*p = (char)tolower((unsigned char)*p);
		fn(m, ctx, arena_printf(&m->a, "e:%s", lower));
	}
	json_decref(emails);
}

/* ---- index ------------------------------------------------------------------ */

typedef struct writer {
	store_conn *c;
	const record *r;
	int failed;
} writer;

static void insert_key(model_ctx *m, void *ctx, const char *key)
{
	(void)m;
	writer *w = ctx;
	static const char *const cols[] = { "kind", "key", "record_id" };
	store_value v[] = { sv_text(w->r->e->def->name), sv_text(key), w->r->v[COL_ID] };
	int rc = store_insert(w->c, "dup_keys", cols, v, 3, NULL);
	if (rc != STORE_OK && rc != STORE_CONSTRAINT) /* the same key twice in one record is one key */
		w->failed = 1;
}

int duplicates_index(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	store_cond w[] = { COND_EQ("kind", sv_text(r->e->def->name)), COND_EQ("record_id", r->v[COL_ID]) };
	int is_new = r->v[COL_VERSION].i == 1; /* a new record has no keys yet */
	if (!is_new && store_delete(c, "dup_keys", w, 2) != STORE_OK)
		return model_fail(m, 500, "Store error", "duplicate keys could not be written");
	writer wr = { c, r, 0 };
	facts f = facts_of(m, r);
	if (!r->v[COL_ARCHIVED].i)
		each_key(m, &f, insert_key, &wr);
	facts_free(&f);
	return wr.failed ? model_fail(m, 500, "Store error", "duplicate keys could not be written") : 0;
}

/* ---- candidates ------------------------------------------------------------- */

typedef struct id_list {
	int64_t v[PER_KEY + 1];
	size_t n;
} id_list;

typedef struct gather {
	store_conn *c;
	const record *r;
	int64_t *ids;
	size_t n;
	id_list common;   /* the first common word's records: the candidates when no key is rarer */
	int had_common;
} gather;

static int take_id(void *ctx, store_row *row)
{
	id_list *l = ctx;
	l->v[l->n++] = store_int(row, 0);
	return 0;
}

static void add_candidates(gather *g, const id_list *l, size_t upto)
{
	for (size_t k = 0; k < l->n && k < upto; k++) {
		int64_t id = l->v[k];
		int known = g->r->v[COL_ID].type == SV_INT && id == g->r->v[COL_ID].i;   /* not a duplicate of itself */
		for (size_t i = 0; i < g->n && !known; i++)
			known = g->ids[i] == id;
		if (!known && g->n < MAX_CANDIDATES)
			g->ids[g->n++] = id;
	}
}

static void candidates_for_key(model_ctx *m, void *ctx, const char *key)
{
	(void)m;
	gather *g = ctx;
	store_cond w[] = { COND_EQ("kind", sv_text(g->r->e->def->name)), COND_EQ("key", sv_text(key)) };
	store_select q = { .table = "dup_keys", .cols = (const char *[]){ "record_id" }, .ncols = 1,
			   .where = w, .nwhere = 2, .limit = PER_KEY + 1 };
	id_list l = { .n = 0 };
	if (store_query(g->c, &q, take_id, &l) != STORE_OK)
		return;
	if (l.n <= PER_KEY || strncmp(key, "t:", 2) != 0)
		add_candidates(g, &l, PER_KEY);
	else if (!g->had_common++)
		g->common = l;
}

static int shares_email(const facts *a, const facts *b)
{
	if (!a->emails || !b->emails)
		return 0;
	json_t *x = json_loads(a->emails, 0, NULL), *y = json_loads(b->emails, 0, NULL);
	int found = 0;
	size_t i, j;
	json_t *p, *q;
	json_array_foreach(x, i, p) {
		json_array_foreach(y, j, q) {
			if (strcasecmp(json_string_value(p), json_string_value(q)) == 0)
				found = 1;
		}
	}
	json_decref(x);
	json_decref(y);
	return found;
}

static int same(const char *a, const char *b) { return a && b && *a && strcmp(a, b) == 0; }

static dup_candidate score(const facts *a, const facts *b, int64_t id)
{
	dup_candidate d = { id, 0, NULL };
	if (shares_email(a, b))
		return (dup_candidate){ id, 1.0, N_("same e-mail address") };
	if (same(a->acronym, b->acronym))
		return (dup_candidate){ id, 0.9, N_("same acronym") };
	for (size_t i = 0; i < a->nnames; i++) {
		for (size_t j = 0; j < b->nnames; j++) {
			double s = token_set_similarity(&a->words[i], &b->words[j]);
			if (s > d.score)
				d = (dup_candidate){ id, s, N_("similar name") };
		}
		if (d.score < 0.85 && (same(a->initials[i], b->acronym)))
			d = (dup_candidate){ id, 0.85, N_("its acronym is this name's initials") };
	}
	for (size_t j = 0; j < b->nnames && d.score < 0.85; j++)
		if (same(b->initials[j], a->acronym))
			d = (dup_candidate){ id, 0.85, N_("this acronym is its name's initials") };
	return d;
}

static int by_score(const void *x, const void *y)
{
	const dup_candidate *a = x, *b = y;
	return (a->score < b->score) - (a->score > b->score);
}

int duplicates_find(model_ctx *m, store_conn *c, const record *r, dup_candidate **out, size_t *n)
{
	facts f = facts_of(m, r);
	gather *g = arena_alloc(&m->a, sizeof *g);
	*g = (gather){ c, r, arena_alloc(&m->a, MAX_CANDIDATES * sizeof(int64_t)), 0, { .n = 0 }, 0 };
	each_key(m, &f, candidates_for_key, g);
	if (g->n == 0)
		add_candidates(g, &g->common, PER_KEY);
	dup_candidate *found = arena_alloc(&m->a, (g->n + 1) * sizeof *found);
	size_t k = 0;
	for (size_t i = 0; i < g->n; i++) {
		record other;
		if (model_load(m, c, r->e, g->ids[i], &other)) {
			m->status = 0; /* vanished meanwhile: not a candidate */
			continue;
		}
		if (other.v[COL_ARCHIVED].i || !access_record(m, c, r->e, &other, OP_READ))
			continue; /* a record the caller may not see is never named, not even as a duplicate */
		facts of = facts_of(m, &other);
		dup_candidate d = score(&f, &of, g->ids[i]);
		d.title = of.nnames ? of.names[0] : NULL;
		facts_free(&of);
		if (d.score >= DUPLICATE_THRESHOLD)
			found[k++] = d;
	}
	facts_free(&f);
	qsort(found, k, sizeof *found, by_score);
	*out = found;
	*n = k;
	return 0;
}

int duplicates_check(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	dup_candidate *d;
	size_t n;
	duplicates_find(m, c, r, &d, &n);
	if (n == 0)
		return 0;
	buf_reset(&m->body);
	buf_puts(&m->body, "\"candidates\":[");
	for (size_t i = 0; i < n && i < MAX_SHOWN; i++) {
		buf_printf(&m->body, "%s{\"id\":%lld,\"title\":", i ? "," : "", (long long)d[i].id);
		buf_json_cstr(&m->body, d[i].title);
		buf_printf(&m->body, ",\"score\":%.2f,\"reason\":", d[i].score);
		buf_json_cstr(&m->body, d[i].reason);
		buf_putc(&m->body, '}');
	}
	buf_putc(&m->body, ']');
	return model_fail(m, 409, "Likely duplicate",
			  "%zu existing %s(s) look like this one; create it anyway with ?force=true", n, e->def->label);
}
