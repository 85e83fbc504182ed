/*
 * duplicates — keys, candidates and scores.
 *
 * A record's facts are what its MATCHED, ACRONYM and TELLS_APART fields say:
 * its names in their telling forms (core/namematch.h: an organization's
 * names in each language; a person's name parts as one name), an acronym,
 * e-mail addresses, and the value that tells two records apart (an
 * organization's country, a person's organization).
 *
 * The facts are kept as text beside the keys (table dup_facts), so that a
 * candidate is compared without reading its record or folding its names
 * again; only a likely duplicate's record is read, to see that the caller
 * may read it.
 *
 * Keys (table dup_keys) are what two records must share to be compared at
 * all: a name's keys ("w:" its words, "p:" its words but one), "a:" an acronym
 * (the record's own, its names' initials, a one-word name), "e:" an e-mail
 * address.  Each key is kept with its record's value that tells apart, so
 * that a name's or an acronym's key brings only the records of the new
 * one's value (or of none), however many share the key elsewhere.  A new
 * record probes the keys of names with one word more or less too.  A key
 * more than PER_KEY records share even so tells nothing of which of them a
 * new record repeats: it brings none of them (unless the record has no
 * rarer key at all).  Each key shared is a vote, and only the MAX_SCORED
 * records with most votes are compared.
 *
 * The candidates are then scored: the same e-mail address 1.0; the same
 * acronym 0.9, a name that is the other's acronym or has it for initials
 * 0.85; otherwise how alike
 * the names are.  Two records that differ in the value that tells apart are
 * two (0.5 at most) unless they share an e-mail address.  Each candidate
 * says why, field by field, in the reader's language.
 */
#include "domains/partners/duplicates.h"

#include <ctype.h>
#include <string.h>

#include "core/fold.h"
#include "core/grow.h"
#include "core/namematch.h"
#include "model/access.h"
#include "model/i18n.h"

#define MAX_NAMES 8
#define MAX_EMAILS 20
#define PER_KEY DUPLICATES_PER_KEY
#define MAX_SCORED 32     /* the candidates with most keys in common, compared one by one */
#define MAX_SHOWN 5
#define APART_AT_MOST 0.5

typedef struct facts {
	const char *title;        /* its first name as written, to show */
	name_form names[MAX_NAMES];
	const char *shown[MAX_NAMES];      /* each name as written */
	const char *initials[MAX_NAMES];   /* each name's initials, or NULL */
	const char *as_acronym[MAX_NAMES]; /* a one-word name, in capitals: it may be an acronym */
	size_t nnames;
	const char *acronym;      /* folded, upper case */
	const char *emails[MAX_EMAILS];   /* lower case */
	size_t nemails;
	const char *apart;        /* the value that tells apart, as text, or NULL */
	const char *apart_label;  /* its field's label, in English */
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

static void add_emails(model_ctx *m, facts *f, const char *json)
{
	json_t *list = json_loads(json, 0, NULL), *item;
	size_t i;
	json_array_foreach(list, i, item) {
		if (!json_is_string(item) || f->nemails == MAX_EMAILS)
			continue;
		char *lower = arena_strdup(&m->a, json_string_value(item));
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		f->emails[f->nemails++] = lower;
	}
	json_decref(list);
}

static const char *as_text(model_ctx *m, const store_value *v)
{
	if (v->type == SV_TEXT)
		return v->n ? arena_strndup(&m->a, v->s, v->n) : NULL;
	return v->type == SV_INT ? arena_printf(&m->a, "%lld", (long long)v->i) : NULL;
}

/* The facts of a record (see above); facts_free after. */
static facts facts_of(model_ctx *m, const record *r)
{
	facts f = { .nnames = 0 };
	buf person = BUF_INIT;
	const entity *e = r->e;
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const column *c = &e->cols[i];
		const store_value *v = &r->v[i];
		if ((c->field->flags & TELLS_APART) && !f.apart && (f.apart = as_text(m, v)))
			f.apart_label = c->field->label;
		if (v->type != SV_TEXT || !(c->field->flags & (MATCHED | ACRONYM)))
			continue;
		if (c->field->flags & ACRONYM)
			f.acronym = upper(m, folded(m, v->s, v->n));
		else if (c->field->type == F_EMAILS)
			add_emails(m, &f, v->s);
		else if (c->field->type == F_LANGTEXT && f.nnames < MAX_NAMES)
			f.shown[f.nnames++] = arena_strndup(&m->a, v->s, v->n);
		else if (c->field->type == F_TEXT) { /* a person's name parts make one name */
			if (person.len)
				buf_putc(&person, ' ');
			buf_add(&person, v->s, v->n);
		}
	}
	int kind = person.len ? NAME_PERSON : NAME_BODY;
	if (person.len && f.nnames < MAX_NAMES)
		f.shown[f.nnames++] = arena_strdup(&m->a, buf_str(&person));
	buf_free(&person);
	f.title = f.nnames ? f.shown[0] : NULL;
	for (size_t i = 0; i < f.nnames; i++) {
		name_form_of(&f.names[i], f.shown[i], strlen(f.shown[i]), kind);
		f.initials[i] = kind == NAME_BODY ? initials(m, f.shown[i]) : NULL;
		if (kind == NAME_BODY && f.names[i].n == 1)
			f.as_acronym[i] = upper(m, f.names[i].w[0]);
	}
	return f;
}

static void facts_free(facts *f)
{
	for (size_t i = 0; i < f->nnames; i++)
		name_form_free(&f->names[i]);
}

/* ---- facts kept -------------------------------------------------------------- */

/* A record's facts as lines of text (table dup_facts), so that a candidate is
 * compared without its record read and its names folded again:
 * "t" its title; "n" a name's initials, the name as an acronym and its telling
 * form; "a" its acronym; "e" an e-mail address; "d" the value that tells apart;
 * each a letter, a tab, the values with tabs between. */
static void put_line(buf *b, char what, const char *const *values, int n)
{
	buf_putc(b, what);
	for (int i = 0; i < n; i++) {
		buf_putc(b, '\t');
		for (const char *p = values[i] ? values[i] : ""; *p; p++)   /* a tab or a line break in a title is a space */
			buf_putc(b, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
	}
	buf_putc(b, '\n');
}

static void facts_write(const facts *f, buf *b)
{
	put_line(b, 't', &f->title, 1);
	for (size_t i = 0; i < f->nnames; i++) {
		buf form = BUF_INIT;
		name_form_write(&f->names[i], &form);
		put_line(b, 'n', (const char *[]){ f->initials[i], f->as_acronym[i], buf_str(&form) }, 3);
		buf_free(&form);
	}
	if (f->acronym)
		put_line(b, 'a', &f->acronym, 1);
	for (size_t i = 0; i < f->nemails; i++)
		put_line(b, 'e', &f->emails[i], 1);
	if (f->apart)
		put_line(b, 'd', &f->apart, 1);
}

/* The i-th tab-separated value of a line (without its letter), in m's arena; NULL when empty. */
static const char *value(model_ctx *m, const char *line, size_t len, int i)
{
	const char *p = line, *end = line + len;
	for (int k = 0; k <= i; k++) {
		p = memchr(p, '\t', (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
	}
	const char *stop = memchr(p, '\t', (size_t)(end - p));
	size_t n = (size_t)((stop ? stop : end) - p);
	return n ? arena_strndup(&m->a, p, n) : NULL;
}

static facts facts_read(model_ctx *m, const char *text)
{
	facts f = { .nnames = 0 };
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *v = value(m, line, len, 0);
		if (line[0] == 't')
			f.title = v;
		else if (line[0] == 'n' && f.nnames < MAX_NAMES) {
			const char *form = value(m, line, len, 2);
			f.initials[f.nnames] = v;
			f.as_acronym[f.nnames] = value(m, line, len, 1);
			name_form_read(&f.names[f.nnames++], form ? form : "", form ? strlen(form) : 0);
		} else if (line[0] == 'a')
			f.acronym = v;
		else if (line[0] == 'e' && v && f.nemails < MAX_EMAILS)
			f.emails[f.nemails++] = v;
		else if (line[0] == 'd')
			f.apart = v;
		line = nl ? nl + 1 : NULL;
	}
	return f;
}

typedef struct kept {
	model_ctx *m;
	const char *text;
} kept;

static int take_text(void *ctx, store_row *row)
{
	kept *k = ctx;
	k->text = arena_strdup(&k->m->a, store_text(row, 0, NULL));
	return 0;
}

/* The facts kept for a record as text, in m's arena; NULL when none are (it
 * is archived, or gone). */
static const char *kept_text(model_ctx *m, store_conn *c, const entity *e, int64_t id)
{
	kept k = { m, NULL };
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("record_id", SV_INT_(id)) };
	store_select q = { .table = "dup_facts", .cols = (const char *[]){ "facts" }, .ncols = 1, .where = w,
			   .nwhere = 2, .limit = 1 };
	return store_query(c, &q, take_text, &k) == STORE_OK ? k.text : NULL;
}

/* The facts a dry run keeps for a record (model_ctx.staged): a row it
 * checked (a negative id), or a record a row above changed, whose keys and
 * facts are then the scratch database's, not the database's; NULL for none. */
static const char *staged_text(model_ctx *m, const entity *e, int64_t id)
{
	return m->staged && (id < 0 || m->staged_changes) ? kept_text(m, m->staged, e, id) : NULL;
}

/* The facts kept for a record: 1, or 0 when none are. */
static int facts_kept(model_ctx *m, store_conn *c, const entity *e, int64_t id, facts *out)
{
	const char *text = staged_text(m, e, id);
	if (!text && id > 0)
		text = kept_text(m, c, e, id);
	if (!text)
		return 0;
	*out = facts_read(m, text);
	return 1;
}

/* ---- keys ------------------------------------------------------------------- */

typedef void (*key_fn)(model_ctx *m, void *ctx, const char *key, int is_prefix);

typedef struct keying {
	model_ctx *m;
	key_fn fn;
	void *ctx;
} keying;

static void name_key(void *ctx, const char *key, int is_prefix)
{
	keying *k = ctx;
	k->fn(k->m, k->ctx, key, is_prefix);
}

/* Each key of f (probing: also those of names with a word more or less), to fn. */
static void each_key(model_ctx *m, const facts *f, int probing, key_fn fn, void *ctx)
{
	keying k = { m, fn, ctx };
	for (size_t i = 0; i < f->nnames; i++) {
		(probing ? name_probes : name_keys)(&f->names[i], name_key, &k);
		if (f->initials[i])
			fn(m, ctx, arena_printf(&m->a, "a:%s", f->initials[i]), 0);
		if (f->as_acronym[i])
			fn(m, ctx, arena_printf(&m->a, "a:%s", f->as_acronym[i]), 0);
	}
	if (f->acronym && *f->acronym)
		fn(m, ctx, arena_printf(&m->a, "a:%s", f->acronym), 0);
	for (size_t i = 0; i < f->nemails; i++)
		fn(m, ctx, arena_printf(&m->a, "e:%s", f->emails[i]), 0);
}

typedef struct writer {
	store_conn *c;
	const record *r;
	const char *apart;
	int failed;
} writer;

static void insert_key(model_ctx *m, void *ctx, const char *key, int is_prefix)
{
	(void)m;
	(void)is_prefix;
	writer *w = ctx;
	static const char *const cols[] = { "kind", "key", "apart", "record_id" };
	store_value v[] = { sv_text(w->r->e->def->name), sv_text(key), sv_text(w->apart), w->r->v[COL_ID] };
	int rc = store_insert(w->c, "dup_keys", cols, v, 4, NULL);
	if (rc != STORE_OK && rc != STORE_CONSTRAINT) /* the same key twice in one record is one key */
		w->failed = 1;
}

/* The record's facts kept, unless it is archived (then it is no one's duplicate). */
static int keep_facts(store_conn *c, const record *r, const facts *f)
{
	static const char *const cols[] = { "kind", "record_id", "facts" };
	if (r->v[COL_ARCHIVED].i)
		return 0;
	buf text = BUF_INIT;
	facts_write(f, &text);
	store_value v[] = { sv_text(r->e->def->name), r->v[COL_ID], sv_text(buf_str(&text)) };
	int rc = store_insert(c, "dup_facts", cols, v, 3, NULL) == STORE_OK ? 0 : -1;
	buf_free(&text);
	return rc;
}

static int write_keys(model_ctx *m, store_conn *c, record *r, int is_new)
{
	store_cond w[] = { COND_EQ("kind", sv_text(r->e->def->name)), COND_EQ("record_id", r->v[COL_ID]) };
	if (!is_new && (store_delete(c, "dup_keys", w, 2) != STORE_OK || store_delete(c, "dup_facts", w, 2) != STORE_OK))
		return model_fail(m, 500, "Store error", "duplicate keys could not be written");
	facts f = facts_of(m, r);
	writer wr = { c, r, f.apart ? f.apart : "", 0 };
	if (!r->v[COL_ARCHIVED].i)
		each_key(m, &f, 0, insert_key, &wr);
	wr.failed |= keep_facts(c, r, &f);
	facts_free(&f);
	return wr.failed ? model_fail(m, 500, "Store error", "duplicate keys could not be written") : 0;
}

int duplicates_index(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	return write_keys(m, c, r, r->v[COL_VERSION].i == 1);  /* a new record has no keys yet */
}

int duplicates_rederive(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	return write_keys(m, c, r, 0);   /* whatever a migration left of its keys and facts goes first */
}

/* ---- candidates ------------------------------------------------------------- */

/* Each key a record shares with the new one is a vote for it: an e-mail
 * address weighs most, then an acronym or initials, then a name's words all
 * the same, and least a name's words but one.  Only the MAX_SCORED records
 * with the most votes are scored: a record typed again shares most of its
 * keys, one that has a name's words but one by chance shares few, and the
 * check's time must not grow with the registry however many records share
 * some of a name's words. */
typedef struct vote {
	int64_t id;
	int weight;
} vote;

typedef struct id_list {
	int64_t v[PER_KEY + 1];
	size_t n;
} id_list;

typedef struct gather {
	store_conn *c;
	const record *r;
	const facts *f;
	vote *votes;      /* one per key and record it brought */
	size_t n, cap;
	id_list common;   /* the first common key's records: the candidates when no key is rarer */
	int common_weight, had_common;
} gather;

static int take_id(void *ctx, store_row *row)
{
	id_list *l = ctx;
	l->v[l->n++] = store_int(row, 0);
	return 0;
}

static int key_weight(const char *key)
{
	switch (key[0]) {
	case 'e': return 16;
	case 'a': return 4;
	case 'w': return 3;
	default: return 1;
	}
}

static void add_votes(gather *g, const id_list *l, int weight)
{
	g->votes = grow_room(g->votes, &g->cap, g->n + l->n, sizeof *g->votes);
	for (size_t k = 0; k < l->n; k++)
		if (g->r->v[COL_ID].type != SV_INT || l->v[k] != g->r->v[COL_ID].i)   /* not a duplicate of itself */
			g->votes[g->n++] = (vote){ l->v[k], weight };
}

static int by_id(const void *x, const void *y)
{
	const vote *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static int by_weight(const void *x, const void *y)
{
	const vote *a = x, *b = y;
	return a->weight != b->weight ? (a->weight < b->weight) - (a->weight > b->weight) : by_id(x, y);
}

/* The records voted for, each once with its votes added up, most votes first; at most MAX_SCORED. */
static size_t tally(gather *g)
{
	if (!g->n)
		return 0;
	qsort(g->votes, g->n, sizeof *g->votes, by_id);
	size_t k = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (k && g->votes[k - 1].id == g->votes[i].id)
			g->votes[k - 1].weight += g->votes[i].weight;
		else
			g->votes[k++] = g->votes[i];
	}
	qsort(g->votes, k, sizeof *g->votes, by_weight);
	return k < MAX_SCORED ? k : MAX_SCORED;
}

/* A key of a name or an acronym: shared by chance the more records there are
 * (an e-mail address is one person's or one body's, however many there are). */
static int is_common_kind(const char *key)
{
	return key[0] && key[1] == ':' && strchr("wpa", key[0]);
}

static void candidates_for_key(model_ctx *m, void *ctx, const char *key, int is_prefix)
{
	gather *g = ctx;
	store_cond w[4] = { COND_EQ("kind", sv_text(g->r->e->def->name)) };
	int n = 1;
	if (is_prefix) {   /* every key that starts so: from the prefix itself up to the prefix followed by the highest byte */
		w[n++] = COND("key", OP_GE, sv_text(key));
		w[n++] = COND("key", OP_LT, sv_text(arena_printf(&m->a, "%s\xff", key)));
	} else {
		w[n++] = COND_EQ("key", sv_text(key));
	}
	/* A name's or an acronym's key brings only the records that can be the
	 * same: those with the new one's value that tells apart, or none (two
	 * "Amina Okonkwo" of two organizations are two persons).  An e-mail
	 * address is one body's or person's wherever it is found. */
	store_cond either[] = { COND_EQ("apart", sv_text("")), COND_EQ("apart", sv_text(g->f->apart)) };
	if (g->f->apart && is_common_kind(key))
		w[n++] = (store_cond){ .op = OP_ANY, .sub = either, .nsub = 2 };
	store_select q = { .table = "dup_keys", .cols = (const char *[]){ "record_id" }, .ncols = 1, .where = w,
			   .nwhere = n, .limit = PER_KEY + 1 };
	/* the database's records, and in a dry run the rows checked before this one */
	store_conn *sources[] = { g->c, m->staged };
	for (size_t i = 0; i < 2 && sources[i]; i++) {
		id_list l = { .n = 0 };
		if (store_query(sources[i], &q, take_id, &l) != STORE_OK)
			return;
		size_t kept = 0;   /* the database's keys of a record a row above changed are no longer its keys */
		for (size_t k = 0; k < l.n; k++)
			if (i > 0 || !staged_text(m, g->r->e, l.v[k]))
				l.v[kept++] = l.v[k];
		l.n = kept;
		if (l.n <= PER_KEY || !is_common_kind(key))
			add_votes(g, &l, key_weight(key));
		else if (!g->had_common++) {
			g->common = l;
			g->common.n = PER_KEY;
			g->common_weight = key_weight(key);
		}
	}
}

/* ---- scores ----------------------------------------------------------------- */

typedef struct verdict {
	double score;
	buf why;       /* the reasons, in the reader's language, "; " between */
} verdict;

static void reason(model_ctx *m, verdict *v, const char *msgid, const char *const *values, int n)
{
	if (v->why.len)
		buf_puts(&v->why, "; ");
	i18n_fill(&v->why, i18n_text(m->lang, msgid), values, n);
}

static int shares_email(const facts *a, const facts *b)
{
	for (size_t i = 0; i < a->nemails; i++)
		for (size_t j = 0; j < b->nemails; j++)
			if (strcmp(a->emails[i], b->emails[j]) == 0)
				return 1;
	return 0;
}

static int same(const char *a, const char *b) { return a && b && *a && strcmp(a, b) == 0; }

/* How alike the closest two of their names are. */
static name_likeness names_alike(const facts *a, const facts *b)
{
	name_likeness best = { 0 };
	for (size_t i = 0; i < a->nnames; i++)
		for (size_t j = 0; j < b->nnames; j++) {
			name_likeness l = name_compare(&a->names[i], &b->names[j]);
			if (l.score > best.score)
				best = l;
		}
	return best;
}

/* Whether one of a's names is b's acronym, or has it for initials. */
static int name_gives_acronym(const facts *a, const facts *b)
{
	for (size_t i = 0; i < a->nnames; i++)
		if (same(a->initials[i], b->acronym) || same(a->as_acronym[i], b->acronym))
			return 1;
	return 0;
}

static verdict judge(model_ctx *m, const facts *a, const facts *b)
{
	verdict v = { 0, BUF_INIT };
	name_likeness names = names_alike(a, b);
	int email = shares_email(a, b), acronym = same(a->acronym, b->acronym);
	int initials = !acronym && (name_gives_acronym(a, b) || name_gives_acronym(b, a));
	int apart = a->apart && b->apart && strcmp(a->apart, b->apart) != 0;
	v.score = names.score;
	if (email) {
		v.score = 1.0;
		reason(m, &v, N_("same e-mail address"), NULL, 0);
	}
	if (acronym) {
		v.score = v.score > 0.9 ? v.score : 0.9;
		reason(m, &v, N_("same acronym"), NULL, 0);
	} else if (initials) {
		v.score = v.score > 0.85 ? v.score : 0.85;
		reason(m, &v, N_("a name is the other's acronym or its initials"), NULL, 0);
	}
	if (names.score >= 0.5) {
		char percent[16];   /* "92%", and in French and Spanish "92 %" (a no-break space) */
		snprintf(percent, sizeof percent, m->lang == LANG_EN ? "%.0f%%" : "%.0f\u00a0%%", names.score * 100);
		const char *values[] = { percent };
		if (names.score == 1.0)
			reason(m, &v, N_("name: the same words"), NULL, 0);
		else
			reason(m, &v, names.alike ? N_("name: {1} alike, with a typo or an abbreviation")
						  : N_("name: {1} alike"), values, 1);
	}
	if (apart && !email && v.score > APART_AT_MOST)
		v.score = APART_AT_MOST;   /* two countries, two organizations: two records */
	else if (a->apart && b->apart && !apart) {
		const char *values[] = { i18n_text(m->lang, a->apart_label) };
		reason(m, &v, N_("{1}: the same"), values, 1);
	}
	return v;
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
	*g = (gather){ c, r, &f, NULL, 0, 0, { .n = 0 }, 0, 0 };
	each_key(m, &f, 1, candidates_for_key, g);
	if (g->n == 0)
		add_votes(g, &g->common, g->common_weight);
	size_t scored = tally(g);
	dup_candidate *found = arena_alloc(&m->a, (scored + 1) * sizeof *found);
	size_t k = 0;
	for (size_t i = 0; i < scored; i++) {
		int64_t id = g->votes[i].id;
		facts of;
		if (!facts_kept(m, c, r->e, id, &of))
			continue;   /* archived or gone meanwhile: not a candidate */
		verdict v = judge(m, &f, &of);
		record other;
		if (v.score >= DUPLICATE_THRESHOLD && (id < 0 || (model_load(m, c, r->e, id, &other) == 0 &&
		    !other.v[COL_ARCHIVED].i && access_record(m, c, r->e, &other, OP_READ))))
			/* (a record the caller may not see is never named, not even as a duplicate) */
			found[k++] = (dup_candidate){ id, v.score, arena_strdup(&m->a, buf_str(&v.why)), of.title };
		m->status = 0;
		buf_free(&v.why);
		facts_free(&of);
	}
	facts_free(&f);
	free(g->votes);
	qsort(found, k, sizeof *found, by_score);
	*out = found;
	*n = k;
	return 0;
}

/* The label of the field whose value tells e's records apart, or NULL. */
static const char *apart_label_of(const entity *e)
{
	for (size_t i = NSYSCOLS; i < e->ncols; i++)
		if (e->cols[i].field->flags & TELLS_APART)
			return e->cols[i].field->label;
	return NULL;
}

struct dup_facts {
	facts f;
};

dup_facts *duplicates_facts(model_ctx *m, const entity *e, const char *text)
{
	dup_facts *d = arena_alloc(&m->a, sizeof *d);
	d->f = facts_read(m, text);
	d->f.apart_label = apart_label_of(e);
	return d;
}

void duplicates_facts_free(dup_facts *d)
{
	if (d)
		facts_free(&d->f);
}

double duplicates_score(model_ctx *m, const dup_facts *a, const dup_facts *b, const char **why)
{
	verdict v = judge(m, &a->f, &b->f);
	if (why)
		*why = arena_strdup(&m->a, buf_str(&v.why));
	buf_free(&v.why);
	return v.score;
}

const char *duplicates_kept(model_ctx *m, store_conn *c, const entity *e, int64_t id)
{
	return kept_text(m, c, e, id);
}

const char *duplicates_title(const dup_facts *d) { return d->f.title; }

int duplicates_key_common(const char *key) { return is_common_kind(key); }

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
