/*
 * transfer — pages that move many things at once: merging two records of a
 * kind (and undoing it), and importing a CSV file with its error report.
 *
 *   GET|POST /KIND/ID/merge      merge another record into this one
 *   GET      /merges/ID          what a merge moved; POST …/undo undoes it
 *   GET|POST /KIND/import        CSV upload, all or nothing, with --dry-run's "check only"
 */
#include <inttypes.h>
#include <string.h>

#include "model/access.h"
#include "model/csvio.h"
#include "model/merge.h"
#include "web/web.h"

/* ---- merge ------------------------------------------------------------------------- */

void merges_view(page *p, const entity *e, json_t *rec)
{
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	if (model_merges_into(&m, e, json_integer_value(json_object_get(rec, "id"))) == 0) {
		json_t *body = view_body(&m), *x, *rows = json_array();
		size_t i;
		json_array_foreach(json_object_get(body, "items"), i, x) {
			buf at = BUF_INIT;
			page_date(p, json_string_value(json_object_get(x, "at")), &at);
			json_array_append_new(rows, json_pack("{s:s, s:s, s:O, s:o, s:b}", "href",
							      arena_printf(&p->r->a, "/merges/%" JSON_INTEGER_FORMAT,
									   json_integer_value(json_object_get(x, "id"))),
							      "at", buf_str(&at), "at_iso", json_object_get(x, "at"), "merged",
							      view_ref(p, e->def->name, json_object_get(x, "merged")), "undone",
							      json_is_string(json_object_get(x, "undone_at"))));
			buf_free(&at);
		}
		json_object_set_new(p->ctx, "has_merges", json_boolean(json_array_size(rows) > 0));
		json_object_set_new(p->ctx, "merges", rows);
		json_decref(body);
	}
	model_done(&m);
}

/* The other record, chosen by name like any reference to the kind. */
static field_def merge_field(const entity *e)
{
	return (field_def){ "merge", F_REF, REQUIRED, .ref = e->def->name, .label = N_("Record to merge into this one") };
}

static void merge_form(page *p, const entity *e, json_t *rec, int status, const char *error)
{
	field_def f = merge_field(e);
	json_t *field = json_pack("{s:s, s:s, s:b}", "name", f.name, "label", page_tr(p, f.label), "required", 1);
	pick_view(p, &f, NULL, field);
	if (error)
		json_object_set_new(field, "error", json_string(error));
	json_object_set_new(p->ctx, "merge_field", field);
	json_object_set_new(p->ctx, "action", json_string(arena_printf(&p->r->a, "%s/merge", view_href(p, e, rec))));
	records_detail_render(p, e, rec, "merge");
	p->r->status = status;
}

void web_merge_form(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = records_writable(&p, r->params[0], OP_UPDATE)) &&
	    (rec = records_load(&p, e, r->params[1])))
		merge_form(&p, e, rec, 200, NULL);
	json_decref(rec);
	page_end(&p);
}

void web_merge(request *r)
{
	page p;
	const entity *e;
	json_t *rec = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_UPDATE)) ||
	    !(rec = records_load(&p, e, r->params[1]))) {
		page_end(&p);
		return;
	}
	field_def f = merge_field(e);
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	json_t *other = pick_value(&p, &m, &f, 1);
	if (m.nerrors)
		merge_form(&p, e, rec, 422, page_tr(&p, m.errors[0].message));
	else if (!json_is_integer(other))
		merge_form(&p, e, rec, 422, page_tr(&p, N_("Choose the record to merge into this one.")));
	else if (model_merge(&m, e, r->params[1], arena_printf(&r->a, "%" JSON_INTEGER_FORMAT, json_integer_value(other))) == 0)
		page_redirect(&p, arena_printf(&r->a, "/merges/%" PRId64, m.id));
	else if (m.status == 404 || m.status == 409 || m.status == 422)
		merge_form(&p, e, rec, m.status, page_tr(&p, N_("These two records cannot be merged.")));
	else
		page_model_error(&p, &m);
	json_decref(other);
	model_done(&m);
	json_decref(rec);
	page_end(&p);
}

static void web_merge_show_body(page *p, model_ctx *m)
{
	request *r = p->r;
	if (model_merge_get(m, r->params[0])) {
		page_model_error(p, m);
	} else {
		json_t *mg = view_body(m);
		const char *kind = json_string_value(json_object_get(mg, "kind"));
		json_object_set_new(p->ctx, "kept", view_ref(p, kind, json_object_get(mg, "kept")));
		json_object_set_new(p->ctx, "merged", json_copy(json_object_get(mg, "merged")));
		json_object_set_new(p->ctx, "moved", json_copy(json_object_get(mg, "moved")));
		json_object_set_new(p->ctx, "undone", json_boolean(!json_is_null(json_object_get(mg, "undone_at"))));
		json_object_set_new(p->ctx, "undo_action", json_string(arena_printf(&r->a, "/merges/%s/undo", r->params[0])));
		json_decref(mg);
		page_render(p, 200, "merged", page_tr(p, N_("Merge")));
	}
}

void web_merge_show(request *r) { page_run(r, PAGE_SIGNED_IN, web_merge_show_body); }

static void web_merge_undo_body(page *p, model_ctx *m)
{
	request *r = p->r;
	if (model_merge_undo(m, r->params[0]) == 0 || m->status == 409)
		page_redirect(p, arena_printf(&r->a, "/merges/%s", r->params[0]));
	else
		page_model_error(p, m);
}

void web_merge_undo(request *r) { page_run(r, PAGE_SIGNED_IN, web_merge_undo_body); }

/* ---- CSV import ---------------------------------------------------------------------- */

static void import_render(page *p, const entity *e, int status)
{
	json_object_set_new(p->ctx, "heading", json_string(page_tr(p, e->def->heading)));
	json_object_set_new(p->ctx, "kind", json_string(e->def->name));
	json_object_set_new(p->ctx, "action", json_string(arena_printf(&p->r->a, "/%s/import", e->def->name)));
	page_render(p, status, "import", page_tr(p, N_("Import from CSV")));
}

void web_import_form(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (e = records_writable(&p, r->params[0], OP_CREATE)))
		import_render(&p, e, 200);
	page_end(&p);
}

void web_import(request *r)
{
	page p;
	const entity *e;
	if (page_begin(&p, r, PAGE_SIGNED_IN) || !(e = records_writable(&p, r->params[0], OP_CREATE))) {
		page_end(&p);
		return;
	}
	size_t len = 0;
	const char *data = page_file(&p, "file", &len);
	if (!data || !len) {
		json_object_set_new(p.ctx, "error", json_string(page_tr(&p, N_("Choose a CSV file to import."))));
		import_render(&p, e, 422);
		page_end(&p);
		return;
	}
	int dry = page_field(&p, "dry_run") != NULL;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, page_user(&p));
	import_report rep = { 0 };
	int rc = csvio_import(&m, e, data, len, &(import_opts){ dry ? IMPORT_DRY_RUN : 0, NULL, NULL }, &rep);
	json_t *errors = json_array();
	for (size_t i = 0; i < rep.nerrors; i++)
		json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)rep.errors[i].line, "column",
							rep.errors[i].column ? rep.errors[i].column : "", "reason",
							rep.errors[i].reason));
	json_object_set_new(p.ctx, "errors", errors);
	json_object_set_new(p.ctx, "report", json_pack("{s:I, s:I, s:I, s:I, s:b, s:b}", "rows", (json_int_t)rep.rows,
						       "created", (json_int_t)rep.created, "updated", (json_int_t)rep.updated,
						       "unchanged", (json_int_t)rep.unchanged, "dry_run", dry,
						       "ok", rc == 0 && !rep.nerrors));
	if (rc && !rep.nerrors && m.status != 422)
		page_model_error(&p, &m);
	else
		import_render(&p, e, rc == 0 && !rep.nerrors ? 200 : 422);
	model_done(&m);
	page_end(&p);
}
