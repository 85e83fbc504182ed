/*
 * timeline — the events of every dated kind that refers to a record,
 * merged newest first.  Each kind is read as its own list (model_list: its
 * access rules, its keyset cursor), a page's worth from each, and the merge
 * takes the newest; the page's cursor carries each kind's own place, so a
 * page costs one list per kind whatever the timeline's length.
 */
#include "timeline.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "model/access.h"

#define MAX_SOURCES 16
#define DONE "!"   /* a kind's place once its list has ended */

/* One dated kind's events about the record. */
typedef struct source {
	const entity *k;
	store_cond refers;       /* one of k's fields names the record */
	const char *cursor;      /* where its list goes on from: NULL from the top, DONE at the end */
	json_t *items;           /* the page read from there, newest first */
	size_t used;             /* how many of them the merged page took */
	const char *next;        /* the list's own next cursor after that page, or NULL */
} source;

int timeline_of_kind(const registry *reg, const entity *e)
{
	for (size_t i = 0; i < reg->n; i++)
		if (reg->v[i].def->dated && entity_refers(&reg->v[i], e))
			return 1;
	return 0;
}

/* The condition "a field of k names rec": by id, by key, or by a link. */
static store_cond refers_to(model_ctx *m, const entity *k, const record *rec)
{
	const entity *e = rec->e;
	store_cond *any = arena_alloc(&m->a, k->def->nfields * sizeof *any);
	int n = 0;
	for (size_t i = 0; i < k->def->nfields; i++) {
		const field_def *f = &k->def->fields[i];
		if (!field_refers(f, e))
			continue;
		if (f->type == F_LINKS) {
			any[n++] = model_linked(m, k, f->name, e->def->name, rec->v[COL_ID]);
		} else if (f->ref_key) {
			int col = entity_column(e, f->ref_key);
			if (col >= 0 && rec->v[col].type == SV_TEXT)
				any[n++] = COND_EQ(f->name, rec->v[col]);
		} else {
			any[n++] = COND_EQ(f->name, rec->v[COL_ID]);
		}
	}
	return (store_cond){ .op = OP_ANY, .sub = any, .nsub = n };
}

/* Reads up to limit of s's events from cursor into s->items and s->next. */
static int fetch(model_ctx *m, source *s, const char *cursor, int64_t limit)
{
	model_ctx sub;
	model_init(&sub, m->st, m->reg, m->u);
	sub.lang = m->lang;
	list_params lp = { .sort = arena_printf(&m->a, "-%s", s->k->def->dated), .cursor = cursor, .limit = limit,
			   .extra = &s->refers, .nextra = 1 };
	int rc = model_list(&sub, s->k, &lp);
	json_t *body = rc ? NULL : json_loads(buf_str(&sub.body), 0, NULL);
	if (rc)
		model_fail(m, sub.status, sub.title, "%s", sub.detail);
	model_done(&sub);
	if (!body)
		return rc ? -1 : model_fail(m, 500, "Internal error", "a list could not be read back");
	json_decref(s->items);
	s->items = json_incref(json_object_get(body, "items"));
	const char *next = json_string_value(json_object_get(body, "next_cursor"));
	s->next = next ? arena_strdup(&m->a, next) : NULL;
	json_decref(body);
	return 0;
}

/* ---- the page's cursor: "KIND:PLACE~KIND:PLACE", in URL-safe base64 ------- */

static const char *cursor_encode(model_ctx *m, const source *src, size_t n)
{
	buf raw = BUF_INIT;
	int more = 0;
	for (size_t i = 0; i < n; i++) {
		const char *place = src[i].cursor ? src[i].cursor : "";
		more |= strcmp(place, DONE) != 0;
		buf_printf(&raw, "%s%s:%s", i ? "~" : "", src[i].k->def->name, place);
	}
	const char *out = NULL;
	if (more) {
		size_t cap = sodium_base64_ENCODED_LEN(raw.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		char *b64 = arena_alloc(&m->a, cap);
		sodium_bin2base64(b64, cap, (const unsigned char *)raw.data, raw.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		out = b64;
	}
	buf_free(&raw);
	return out;
}

/* Each source's place from a page's cursor; a kind the cursor does not
 * name has ended (it had nothing when the first page was read). */
static int cursor_decode(model_ctx *m, const char *cursor, source *src, size_t n)
{
	size_t len = strlen(cursor), got = 0;
	char *raw = arena_alloc(&m->a, len + 1);
	if (sodium_base642bin((unsigned char *)raw, len, cursor, len, NULL, &got, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return model_fail(m, 400, "Bad request", "the cursor is not one this timeline gave");
	raw[got] = '\0';
	for (size_t i = 0; i < n; i++)
		src[i].cursor = DONE;
	for (char *save = NULL, *part = strtok_r(raw, "~", &save); part; part = strtok_r(NULL, "~", &save)) {
		char *colon = strchr(part, ':');
		size_t i = 0;
		if (colon)
			*colon = '\0';
		while (colon && i < n && strcmp(src[i].k->def->name, part) != 0)
			i++;
		if (!colon || i == n)
			return model_fail(m, 400, "Bad request", "the cursor is not one this timeline gave");
		src[i].cursor = colon[1] ? colon + 1 : NULL;
	}
	return 0;
}

/* ---- the merge -------------------------------------------------------------------- */

static const char *date_of(const source *s, size_t i)
{
	json_t *rec = json_array_get(s->items, i);
	return json_string_value(json_object_get(rec, s->k->def->dated));
}

/* The source whose next event is the newest (then by kind, then by id), or -1. */
static int newest(const source *src, size_t n)
{
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		const source *s = &src[i];
		if (s->used >= json_array_size(s->items))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const char *a = date_of(s, s->used), *b = date_of(&src[best], src[best].used);
		if (strcmp(a ? a : "", b ? b : "") > 0)
			best = (int)i;
	}
	return best;
}

/* After the page: where each kind goes on from.  A kind whose page was
 * taken whole goes on from its list's own cursor; one taken in part is read
 * again up to the last event taken, for the cursor there. */
static int advance(model_ctx *m, source *s)
{
	size_t fetched = json_array_size(s->items);
	if (fetched == 0)
		s->cursor = DONE;   /* nothing left from where it was */
	if (s->used == 0)
		return 0;
	if (s->used == fetched) {
		s->cursor = s->next ? s->next : DONE;
		return 0;
	}
	if (fetch(m, s, s->cursor, (int64_t)s->used))
		return -1;
	s->cursor = s->next ? s->next : DONE;
	return 0;
}

static size_t sources_of(model_ctx *m, const record *rec, source *src)
{
	size_t n = 0;
	for (size_t i = 0; i < m->reg->n && n < MAX_SOURCES; i++) {
		const entity *k = &m->reg->v[i];
		if (k->def->dated && entity_refers(k, rec->e) && access_kind(m->u, k, OP_READ))
			src[n++] = (source){ k, refers_to(m, k, rec), NULL, NULL, 0, NULL };
	}
	return n;
}

static void write_page(model_ctx *m, json_t *items, const char *next)
{
	json_t *page = json_pack("{s:o, s:s?}", "items", items, "next_cursor", next);
	if (!next)
		json_object_set_new(page, "next_cursor", json_null());
	char *s = json_dumps(page, JSON_COMPACT);
	buf_reset(&m->body);
	buf_puts(&m->body, s);
	free(s);
	json_decref(page);
	m->status = 200;
}

int model_timeline(model_ctx *m, const entity *e, const char *id, const char *cursor, int64_t limit)
{
	record rec;
	source src[MAX_SOURCES];
	if (model_read(m, e, id, &rec))
		return -1;
	size_t n = sources_of(m, &rec, src);
	if (n == 0)
		return model_fail(m, 403, "Forbidden", "your role may not read the events of a record of %s", e->def->name);
	if (cursor && *cursor && cursor_decode(m, cursor, src, n))
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!src[i].cursor || strcmp(src[i].cursor, DONE) != 0)
			rc = fetch(m, &src[i], src[i].cursor, limit);
	json_t *items = json_array();
	int b;
	while (rc == 0 && (int64_t)json_array_size(items) < limit && (b = newest(src, n)) >= 0) {
		source *s = &src[b];
		json_array_append_new(items, json_pack("{s:s, s:s?, s:O}", "kind", s->k->def->name, "date",
						       date_of(s, s->used), "record", json_array_get(s->items, s->used)));
		s->used++;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = advance(m, &src[i]);
	if (rc == 0)
		write_page(m, items, cursor_encode(m, src, n));
	else
		json_decref(items);
	for (size_t i = 0; i < n; i++)
		json_decref(src[i].items);
	return rc;
}
