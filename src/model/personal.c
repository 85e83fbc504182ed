/*
 * personal — what the department answers to a data-protection request, for
 * every kind whose description marks personal fields, not for persons alone:
 * an inquiry holds its requester's name and address, and its messages the
 * senders'.
 *
 * The export is everything held on the record: its fields, the records of
 * every kind that refer to it (a reference field naming its kind, or a
 * link that may point at it; the registry says which, so a new kind is
 * covered when it is added), all of them, page after page, its audit trail
 * and its mail.  The erasure empties the personal fields of the record and
 * of the records that take their access from it, in one transaction,
 * redacts their audit entries (model/audit.c keeps the chain verifiable),
 * and empties the mail queued or sent for them or to their addresses
 * (model/outbox.c).
 */
#include "model/personal.h"

#include <inttypes.h>
#include <string.h>

#include "model/access.h"
#include "model/audit.h"
#include "model/outbox.h"

int personal_kind(const entity *e)
{
	for (size_t i = 0; i < e->def->nfields; i++)
		if (e->def->fields[i].flags & PERSONAL)
			return 1;
	return 0;
}

int personal_may(const user *u) { return u->role == ROLE_ADMIN || u->role == ROLE_DIRECTOR; }

static int data_protection(model_ctx *m)
{
	if (personal_may(m->u))
		return 0;
	return model_fail(m, 403, "Forbidden", "only administrators and directors export or erase personal data");
}

/* ---- the export ------------------------------------------------------------------------------ */

/* Moves the items of the page m->body holds into all; the next cursor, or NULL. */
static const char *take_page(model_ctx *m, json_t *all)
{
	json_t *page = json_loads(buf_str(&m->body), 0, NULL);
	buf_reset(&m->body);
	json_array_extend(all, json_object_get(page, "items"));
	const char *next = json_string_value(json_object_get(page, "next_cursor"));
	next = next ? arena_strdup(&m->a, next) : NULL;
	json_decref(page);
	return next;
}

/* Every record of kind k that refers to the record r by one of
 * its references or links, into all; nothing when k refers to r's kind in no way
 * or the user may not read k.  0, or -1 on a failure to read. */
static int referring(model_ctx *m, const entity *k, const record *r, json_t *all)
{
	const entity_def *d = k->def;
	store_cond *any = arena_alloc(&m->a, (d->nfields + 1) * sizeof *any);
	size_t n = 0;
	for (size_t i = 0; i < d->nfields; i++) {
		const field_def *f = &d->fields[i];
		if (!field_refers(f, r->e))
			continue;
		if (f->type == F_LINKS)
			any[n++] = model_linked(m, k, f->name, r->e->def->name, r->v[COL_ID]);
		else if (!f->ref_key)
			any[n++] = COND_EQ(f->name, r->v[COL_ID]);
		else if (entity_column(r->e, f->ref_key) >= 0)
			any[n++] = COND_EQ(f->name, *record_field(r, f->ref_key));
	}
	if (!n || !access_kind(m->u, k, OP_READ))
		return 0;
	store_cond either = { .op = OP_ANY, .sub = any, .nsub = (int)n };
	const char *cursor = NULL;
	do {
		list_params p = { .cursor = cursor, .limit = 500, .archived = 1, .extra = &either, .nextra = 1 };
		if (model_list(m, k, &p))
			return -1;
	} while ((cursor = take_page(m, all)));
	return 0;
}

static int whole_audit(model_ctx *m, const entity *e, const char *id, json_t *all)
{
	int64_t before = 0;
	const char *cursor;
	do {
		if (audit_list(m, e, id, before, 500))
			return -1;
	} while ((cursor = take_page(m, all)) && (before = model_parse_id(cursor)) > 0);
	return 0;
}

/* out.mail: the mail queued or sent for the record and its own records (model/outbox.c). */
static int its_mail(model_ctx *m, const entity *e, const char *id, json_t *out)
{
	model_ctx mail;
	model_init(&mail, m->st, m->reg, m->u);
	json_t *got = outbox_of_record(&mail, e, id) == 0 ? json_loads(buf_str(&mail.body), 0, NULL) : NULL;
	model_done(&mail);
	if (!got)
		return model_fail(m, 500, "Store error", "the record's mail could not be read");
	json_object_set(out, "mail", json_object_get(got, "items"));
	json_decref(got);
	return 0;
}

int model_personal_export(model_ctx *m, const entity *e, const char *id)
{
	record r;
	if (data_protection(m))
		return -1;
	if (!personal_kind(e))
		return model_fail(m, 404, "Not found", "records of this kind hold no personal data");
	if (model_read(m, e, id, &r))
		return -1;
	char *id_text = arena_printf(&m->a, "%" PRId64, r.v[COL_ID].i);
	json_t *out = json_pack("{s:s, s:o, s:o}", "kind", e->def->name, "referring", json_object(), "audit", json_array());
	json_array_append_new(m->hold, out);
	buf_reset(&m->body);
	model_record_json(m, store_reader(m->st), &r, &m->body);
	json_object_set_new(out, "record", json_loads(buf_str(&m->body), 0, NULL));
	buf_reset(&m->body);
	for (size_t k = 0; k < m->reg->n; k++) {
		json_t *all = json_array();
		json_object_set_new(json_object_get(out, "referring"), m->reg->v[k].def->name, all);
		if (referring(m, &m->reg->v[k], &r, all))
			return -1;
		if (!json_array_size(all))
			json_object_del(json_object_get(out, "referring"), m->reg->v[k].def->name);
	}
	if (whole_audit(m, e, id_text, json_object_get(out, "audit")) || its_mail(m, e, id_text, out))
		return -1;
	char *text = json_dumps(out, JSON_COMPACT);
	buf_puts(&m->body, text);
	free(text);
	m->id = r.v[COL_ID].i;
	m->status = 200;
	return 0;
}

/* ---- the erasure ----------------------------------------------------------------------------- */

/* r without its personal data, written and its history redacted, inside c. */
static int erase_one(model_ctx *m, store_conn *c, const record *before)
{
	const entity *e = before->e;
	record after = model_copy(m, before);
	for (size_t i = NSYSCOLS; i < e->ncols; i++) {
		const field_def *f = e->cols[i].field;
		if (f->flags & PERSONAL)
			after.v[i] = (f->flags & REQUIRED) && e->cols[i].lang <= 0 ? sv_text("[erased]") : SV_NUL;
	}
	if (audit_redact(c, m->u, e->def->name, before->v[COL_ID].i))
		return model_fail(m, 500, "Store error", "the audit trail could not be redacted");
	if (model_write_record(m, c, &after, before, "erase"))
		return -1;
	return outbox_forget(m, c, before);   /* the mail to it too: its recipient, its text */
}

/* The records that take their access from parent, and theirs, erased too. */
static int erase_children(model_ctx *m, store_conn *c, const record *parent)
{
	for (size_t k = 0; k < m->reg->n; k++) {
		const entity *child = &m->reg->v[k];
		if (child->parent != parent->e || !personal_kind(child))
			continue;
		json_t *ids = model_child_ids(m, c, child, parent);
		if (!ids)
			return model_fail(m, 500, "Store error", "the records of this %s could not be read", parent->e->def->label);
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id) {
			record r;
			if (model_fetch(m, c, child, json_integer_value(id), &r) != 1 || erase_one(m, c, &r) ||
			    erase_children(m, c, &r))
				return m->status ? -1 : model_fail(m, 500, "Store error", "a record could not be erased");
		}
	}
	return 0;
}

int model_erase(model_ctx *m, const entity *e, const char *id)
{
	if (data_protection(m))
		return -1;
	if (!personal_kind(e))
		return model_fail(m, 404, "Not found", "records of this kind hold no personal data");
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record before;
	if (model_find(m, c, e, id, &before) || erase_one(m, c, &before) || erase_children(m, c, &before)) {
		store_rollback(c);
		return -1;
	}
	record now;
	if (model_fetch(m, c, e, before.v[COL_ID].i, &now) != 1) {
		store_rollback(c);
		return model_fail(m, 500, "Store error", "the erased %s could not be read back", e->def->label);
	}
	int rc = model_finish_write(m, c, &now, 200);
	m->id = now.v[COL_ID].i;   /* the record asked for, not the last of its children written */
	m->version = now.v[COL_VERSION].i;
	return rc;
}
