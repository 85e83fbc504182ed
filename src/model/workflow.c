/*
 * workflow — the moves of a status field, as its kind's description lists
 * them.  The registry checks the description once at start-up
 * (workflow_check), so the functions below may take it as sound.
 *
 * The rules apply to the record as it would be written: a move is checked
 * against the state the record was read in, the new state's requirements
 * against the fields after the change, so a transition may carry the field
 * it needs ({"to": "scheduled", "starts_at": ...}) and a PATCH cannot empty
 * a field the record's state requires.
 */
#include "model/workflow.h"

#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "model/access.h"
#include "model/i18n.h"
#include "model/validate.h"

/* ---- the description, checked ----------------------------------------------------------- */

static int is_state(const field_def *f, const char *s) { return s && enum_index(f->values, s) >= 0; }

static int bad(char *err, size_t errlen, const entity_def *d, const char *what, const char *name)
{
	snprintf(err, errlen, "registry: %s's workflow %s%s%s", d->name, what, name ? ": " : "", name ? name : "");
	return -1;
}

static int check_rule(const entity *e, const field_def *f, const state_rule *s, char *err, size_t errlen)
{
	const entity_def *d = e->def;
	if (!is_state(f, s->state))
		return bad(err, errlen, d, "has a rule for a state its field does not have", s->state);
	for (const char *const *r = s->requires; r && *r; r++) {
		const field_def *rf = entity_field(e, *r);
		if (!rf || rf->type == F_LINKS)
			return bad(err, errlen, d, "requires a field the kind does not have", *r);
	}
	const field_def *sf = s->stamp ? entity_field(e, s->stamp) : NULL;
	if (s->stamp && (!sf || sf->type != F_TIME))
		return bad(err, errlen, d, "stamps a field that is not a time of the kind", s->stamp);
	return 0;
}

int workflow_check(const entity *e, char *err, size_t errlen)
{
	const entity_def *d = e->def;
	const workflow *w = d->workflow;
	if (!w)
		return 0;
	if (entity_field(e, "to")) /* a move's body names its state so */
		return bad(err, errlen, d, "cannot go with a field called", "to");
	const field_def *f = w->field ? entity_field(e, w->field) : NULL;
	if (!f || f->type != F_ENUM)
		return bad(err, errlen, d, "drives a field that is not one of the kind's choices", w->field);
	if (!w->starts || !w->starts[0])
		return bad(err, errlen, d, "names no state a record begins in", NULL);
	for (const char *const *s = w->starts; *s; s++)
		if (!is_state(f, *s))
			return bad(err, errlen, d, "begins in a state its field does not have", *s);
	for (size_t i = 0; i < w->nmoves; i++) {
		const transition *t = &w->moves[i];
		if (!is_state(f, t->from) || !is_state(f, t->to) || !strcmp(t->from, t->to))
			return bad(err, errlen, d, "has a move between states its field does not have", t->to);
	}
	for (const state_rule *s = w->rules; s && s->state; s++)
		if (check_rule(e, f, s, err, errlen))
			return -1;
	return 0;
}

/* ---- states and moves ---------------------------------------------------------------------- */

static int state_col(const entity *e) { return entity_column(e, e->def->workflow->field); }

const char *workflow_state(const record *r)
{
	if (!r->e->def->workflow)
		return NULL;
	const store_value *v = &r->v[state_col(r->e)];
	return v->type == SV_TEXT ? v->s : NULL;
}

static const state_rule *rule_of(const workflow *w, const char *state)
{
	for (const state_rule *s = w->rules; state && s && s->state; s++)
		if (!strcmp(s->state, state))
			return s;
	return NULL;
}

static const transition *move_of(const workflow *w, const char *from, const char *to)
{
	for (size_t i = 0; from && to && i < w->nmoves; i++)
		if (!strcmp(w->moves[i].from, from) && !strcmp(w->moves[i].to, to))
			return &w->moves[i];
	return NULL;
}

const char *workflow_label(const model_ctx *m, const entity *e, const char *state)
{
	const field_def *f = entity_field(e, e->def->workflow->field);
	int i = enum_index(f->values, state);
	return i < 0 || !f->labels ? state : i18n_text(m->lang, f->labels[i]);
}

/* Whether m's user may make move t on r, the record as read. */
static int may_make(const model_ctx *m, const record *r, const transition *t)
{
	return access_move(m->u, r, t);
}

size_t workflow_next(const model_ctx *m, const record *r, const char **out, size_t cap)
{
	const workflow *w = r->e->def->workflow;
	const char *now = workflow_state(r);
	size_t n = 0;
	for (size_t i = 0; w && now && i < w->nmoves && n < cap; i++)
		if (!strcmp(w->moves[i].from, now) && may_make(m, r, &w->moves[i]))
			out[n++] = w->moves[i].to;
	return n;
}

size_t model_moves(model_ctx *m, const entity *e, const char *id, const char **out, size_t cap)
{
	record r;
	if (!e->def->workflow || model_read(m, e, id, &r) || r.v[COL_ARCHIVED].i ||
	    !access_record(m, store_reader(m->st), e, &r, OP_UPDATE)) {
		m->status = 0;
		return 0;
	}
	return workflow_next(m, &r, out, cap);
}

/* ---- the rules of a write ------------------------------------------------------------------ */

/* The state's required fields hold values (a multilingual one in some language). */
static int check_requires(model_ctx *m, const record *r, const state_rule *s)
{
	for (const char *const *f = s ? s->requires : NULL; f && *f; f++)
		if (validate_missing(r, entity_field(r->e, *f)))
			model_field_error(m, *f, N_("is required in this state"));
	if (m->nerrors)
		return model_fail(m, 422, "Some fields are not valid", "%zu field(s) need attention", m->nerrors);
	return 0;
}

static void stamp(model_ctx *m, record *r, const state_rule *s)
{
	if (!s || !s->stamp)
		return;
	char now[32];
	clock_now_iso(now);
	*record_field(r, s->stamp) = sv_text(arena_strdup(&m->a, now));
}

void workflow_default(record *r)
{
	const workflow *w = r->e->def->workflow;
	if (w)
		r->v[state_col(r->e)] = sv_text(w->starts[0]);
}

int workflow_begin(model_ctx *m, record *r, unsigned flags)
{
	const workflow *w = r->e->def->workflow;
	if (!w)
		return 0;
	int col = state_col(r->e);
	if (r->v[col].type == SV_NULL)
		r->v[col] = sv_text(w->starts[0]);
	const char *state = r->v[col].s;
	int starts = 0;
	for (const char *const *s = w->starts; *s; s++)
		starts |= !strcmp(*s, state);
	if (!starts && !(flags & CREATE_AS_IS)) {
		model_field_error(m, w->field, N_("is not a state a new record may begin in"));
		return model_fail(m, 422, "Some fields are not valid", "a new %s begins as %s", r->e->def->label,
				  enum_list(m, w->starts));
	}
	const state_rule *s = rule_of(w, state);
	stamp(m, r, s);
	return check_requires(m, r, s);
}

/* 409, with the moves the user may make from where the record is, in their language. */
static int refuse(model_ctx *m, const record *before, const char *to)
{
	const entity *e = before->e;
	const char *next[32];
	size_t n = workflow_next(m, before, next, COUNT(next));
	buf list = BUF_INIT;
	buf_reset(&m->body);
	buf_puts(&m->body, "\"allowed\":[");
	for (size_t i = 0; i < n; i++) {
		const char *label = workflow_label(m, e, next[i]);
		buf_printf(&m->body, "%s{\"to\":", i ? "," : "");
		buf_json_cstr(&m->body, next[i]);
		buf_puts(&m->body, ",\"label\":");
		buf_json_cstr(&m->body, label);
		buf_putc(&m->body, '}');
		buf_printf(&list, "%s%s", i ? ", " : "", label);
	}
	buf_putc(&m->body, ']');
	const char *from = workflow_state(before);
	const char *tail = n ? arena_printf(&m->a, "%s %s.", i18n_text(m->lang, N_("Moves open to you from here:")),
					    buf_str(&list))
			     : i18n_text(m->lang, N_("No move is open to you from here."));
	model_fail(m, 409, "Not allowed now", "%s → %s: %s %s", from ? workflow_label(m, e, from) : "?",
		   workflow_label(m, e, to), i18n_text(m->lang, N_("not a move you can make.")), tail);
	buf_free(&list);
	return -1;
}

int workflow_follow(model_ctx *m, store_conn *c, const record *before, record *after)
{
	const workflow *w = after->e->def->workflow;
	if (!w)
		return 0;
	const char *from = workflow_state(before), *to = workflow_state(after);
	const state_rule *s = rule_of(w, to);
	if (!to) {
		model_field_error(m, w->field, "is required");
		return model_fail(m, 422, "Some fields are not valid", "a %s is always in some state", after->e->def->label);
	}
	if (from && !strcmp(from, to))
		return check_requires(m, after, s);
	const transition *t = move_of(w, from, to);
	if (!t || !may_make(m, before, t))
		return refuse(m, before, to);
	if (t->guard && t->guard(m, c, after->e, after))
		return -1;
	stamp(m, after, s);
	if (check_requires(m, after, s))
		return -1;
	return w->on_move ? w->on_move(m, c, after->e, after) : 0;
}

/* ---- the transition call -------------------------------------------------------------------- */

/* The patch a transition is: the fields it carries, and the state. */
static json_t *move_patch(model_ctx *m, const entity *e, const char *to, json_t *fields)
{
	json_t *patch = json_is_object(fields) ? json_copy(fields) : json_object();
	json_object_set_new(patch, e->def->workflow->field, json_string(to));
	json_array_append_new(m->hold, patch);
	return patch;
}

static int transition_in(model_ctx *m, store_conn *c, const entity *e, const char *id, int64_t if_match, const char *to,
			 json_t *fields, record *out)
{
	if (!e->def->workflow)
		return model_fail(m, 404, "Not found", "records of this kind have no workflow");
	const field_def *f = entity_field(e, e->def->workflow->field);
	if (fields && !json_is_object(fields))
		return model_fail(m, 400, "Bad request", "the fields a move carries are a JSON object");
	if (fields && json_object_get(fields, f->name))
		return model_fail(m, 422, "Invalid move", "name the state in \"to\" only");
	if (!to || enum_index(f->values, to) < 0) {
		model_field_error(m, "to", "must be one of %s", enum_list(m, f->values));
		return model_fail(m, 422, "Some fields are not valid", "name the state to move to in \"to\"");
	}
	record before, after;
	if (model_build_update(m, c, e, id, if_match, move_patch(m, e, to, fields), &before, &after))
		return -1;
	const char *from = workflow_state(&before);
	if (from && !strcmp(from, to)) /* a move to where it is: nothing to write */
		return refuse(m, &before, to);
	if (model_write_record(m, c, &after, &before, "transition"))
		return -1;
	*out = after;
	return 0;
}

int model_transition_in(model_ctx *m, store_conn *c, const entity *e, const char *id, const char *to, json_t *fields,
			record *out)
{
	return transition_in(m, c, e, id, 0, to, fields, out);
}

int model_transition(model_ctx *m, const entity *e, const char *id, int64_t if_match, const char *to, json_t *fields)
{
	store_conn *c = store_begin(m->st);
	if (!c)
		return model_fail(m, 503, "Store busy", "the database is busy; try again");
	record out;
	if (transition_in(m, c, e, id, if_match, to, fields, &out)) {
		store_rollback(c);
		return -1;
	}
	return model_finish_write(m, c, &out, 200);
}
