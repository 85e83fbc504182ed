/*
 * participants — a session's list of participants, as the United Nations
 * print theirs: Member States, then observer States, intergovernmental and
 * civil society organizations, each group in the order of the list's
 * language (ICU's collation: "Égypte" among the E's in French), States by
 * their country's name in that language, each with its head of delegation
 * and delegates.  The same list as a page, as CSV and as PDF:
 *
 *   GET /sessions/{id}/participants        ?lang=fr for the list in French
 *   GET /sessions/{id}/participants.csv
 *   GET /sessions/{id}/participants.pdf
 *
 * The list holds what the reader may read: delegations, organizations and
 * persons are read as the reader.
 */
#include <string.h>

#include "domains/governance/governance.h"
#include "formats/collate.h"
#include "formats/csv.h"
#include "formats/pdf.h"
#include "web/web.h"

static const char *const categories[] = { "member_state", "observer_state", "igo", "cso", NULL };
static const char *const category_headings[] = { N_("Member States"), N_("Observer States"),
						  N_("Intergovernmental organizations"),
						  N_("Civil society organizations"), NULL };

/* The record of kind with this id or key, as the reader may read it; 0 when found. */
static int read_as_reader(page *p, model_ctx *m, const char *kind, const char *id, record *out)
{
	return id ? model_read(m, registry_find(&p->r->app->reg, kind), id, out) : -1;
}

/* A multilingual field in the list's language, else the first there is. */
static const char *in_language(page *p, const record *r, const char *field)
{
	const char *text = NULL;
	for (int l = -1; l < NLANGS && !(text && *text); l++) {
		char col[64];
		snprintf(col, sizeof col, "%s_%s", field, registry_langs[l < 0 ? p->lang : l]);
		text = record_text(r, col);
	}
	return text;
}

static const char *person_name(page *p, model_ctx *m, json_int_t id)
{
	record person;
	char key[24];
	snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, id);
	if (!id || read_as_reader(p, m, "persons", key, &person))
		return NULL;
	const char *given = record_text(&person, "given_name"), *family = record_text(&person, "family_name");
	return arena_printf(&p->r->a, "%s%s%s", given ? given : "", given ? " " : "", family ? family : "");
}

/* A State by its country's name, an organization by its own. */
static const char *delegation_name(page *p, model_ctx *m, json_t *d, const char *category)
{
	record org, country;
	char key[24];
	snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(d, "organization")));
	if (read_as_reader(p, m, "organizations", key, &org))
		return NULL;
	int state = !strcmp(category, "member_state") || !strcmp(category, "observer_state");
	if (state && read_as_reader(p, m, "countries", record_text(&org, "country"), &country) == 0)
		return in_language(p, &country, "name");
	return in_language(p, &org, "name");
}

static json_t *participant(page *p, model_ctx *m, json_t *d, const char *name)
{
	json_t *row = json_pack("{s:s, s:[]}", "name", name, "delegates"), *link;
	json_int_t head = json_integer_value(json_object_get(d, "head"));
	const char *head_name = person_name(p, m, head);
	if (head_name)
		json_object_set_new(row, "head", json_string(head_name));
	size_t i;
	json_array_foreach(json_object_get(d, "delegates"), i, link) {
		json_int_t id = json_integer_value(json_object_get(link, "id"));
		const char *who = id != head ? person_name(p, m, id) : NULL;
		if (who)
			json_array_append_new(json_object_get(row, "delegates"), json_string(who));
	}
	return row;
}

/* The delegations of one category, in the list's language's order. */
static json_t *group(page *p, model_ctx *m, json_t *delegations, const char *category)
{
	json_t *rows = json_array(), *d, *sorted = json_array();
	size_t i;
	json_array_foreach(delegations, i, d) {
		const char *name = strcmp(json_string_value(json_object_get(d, "category")) ?: "", category) ? NULL
			: delegation_name(p, m, d, category);
		if (name)
			json_array_append_new(rows, participant(p, m, d, name));
	}
	size_t n = json_array_size(rows), *order = arena_alloc(&p->r->a, (n + 1) * sizeof *order);
	const char **names = arena_alloc(&p->r->a, (n + 1) * sizeof *names);
	json_array_foreach(rows, i, d)
		names[i] = json_string_value(json_object_get(d, "name"));
	collate_order(registry_langs[p->lang], names, n, order);  /* as given when ICU cannot */
	for (i = 0; i < n; i++)
		json_array_append(sorted, json_array_get(rows, order[i]));
	json_decref(rows);
	return sorted;
}

/* The session's groups, each {"heading", "rows"}, those without a participant left out. */
static json_t *participants(page *p, json_t *session)
{
	char id[24];
	snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(session, "id")));
	json_t *delegations = session_records(p, "delegations", id, "id"), *groups = json_array();
	model_ctx m;
	model_init(&m, p->r->app->st, &p->r->app->reg, page_user(p));
	for (size_t c = 0; categories[c]; c++) {
		json_t *rows = group(p, &m, delegations, categories[c]);
		if (json_array_size(rows))
			json_array_append_new(groups, json_pack("{s:s, s:o}", "heading", page_tr(p, category_headings[c]), "rows", rows));
		else
			json_decref(rows);
	}
	model_done(&m);
	json_decref(delegations);
	return groups;
}

/* The session (answered with an error page when it cannot be read) and its participants. */
static json_t *open_list(page *p, json_t **groups)
{
	const entity *e = registry_find(&p->r->app->reg, "sessions");
	json_t *session = records_load(p, e, p->r->params[0]);
	if (session)
		*groups = participants(p, session);
	return session;
}

static const char *list_title(page *p, json_t *session)
{
	return arena_printf(&p->r->a, "%s — %s", page_tr(p, N_("List of participants")),
			    json_string_value(json_object_get(session, "symbol")));
}

void participants_page(request *r)
{
	page p;
	json_t *groups = NULL, *session = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (session = open_list(&p, &groups))) {
		json_int_t id = json_integer_value(json_object_get(session, "id"));
		json_object_set_new(p.ctx, "groups", groups);
		json_object_set_new(p.ctx, "heading", json_string(list_title(&p, session)));
		json_object_set_new(p.ctx, "session_href", json_string(arena_printf(&r->a, "/sessions/%" JSON_INTEGER_FORMAT, id)));
		json_t *files = json_array();
		for (int l = 0; registry_langs[l]; l++)
			json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:s}", "language", page_tr(&p, registry_lang_labels[l]),
						"lang", registry_langs[l],
						"csv", arena_printf(&r->a, "/sessions/%" JSON_INTEGER_FORMAT "/participants.csv?lang=%s", id, registry_langs[l]),
						"pdf", arena_printf(&r->a, "/sessions/%" JSON_INTEGER_FORMAT "/participants.pdf?lang=%s", id, registry_langs[l])));
		json_object_set_new(p.ctx, "files", files);
		page_render(&p, 200, "participants", json_string_value(json_object_get(p.ctx, "heading")));
	}
	json_decref(session);
	page_end(&p);
}

/* One line per delegate: the group, the State or organization, the person, whether head. */
static int write_csv(page *p, json_t *session, json_t *groups, buf *out)
{
	(void)session;
	const char *head[] = { page_tr(p, N_("Group")), page_tr(p, N_("Delegation of")), page_tr(p, N_("Name")),
			       page_tr(p, N_("Head of delegation")) };
	for (size_t i = 0; i < COUNT(head); i++)
		csv_field(out, head[i], strlen(head[i]), i == 0);
	csv_end_row(out);
	json_t *g, *row, *who;
	size_t i, j, k;
	json_array_foreach(groups, i, g) json_array_foreach(json_object_get(g, "rows"), j, row) {
		const char *heading = json_string_value(json_object_get(g, "heading"));
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *chief = json_string_value(json_object_get(row, "head"));
		const char *yes = page_tr(p, N_("yes"));
		if (chief) {
			const char *cells[] = { heading, name, chief, yes };
			for (size_t c = 0; c < COUNT(cells); c++)
				csv_field(out, cells[c], strlen(cells[c]), c == 0);
			csv_end_row(out);
		}
		json_array_foreach(json_object_get(row, "delegates"), k, who) {
			const char *cells[] = { heading, name, json_string_value(who), "" };
			for (size_t c = 0; c < COUNT(cells); c++)
				csv_field(out, cells[c], strlen(cells[c]), c == 0);
			csv_end_row(out);
		}
	}
	return 0;
}

static int write_pdf(page *p, json_t *session, json_t *groups, buf *out)
{
	pdf_doc *d = pdf_new(list_title(p, session), registry_langs[p->lang]);
	if (!d)
		return -1;
	pdf_heading(d, 1, list_title(p, session));
	json_t *g, *row, *who;
	size_t i, j, k;
	json_array_foreach(groups, i, g) {
		pdf_heading(d, 2, json_string_value(json_object_get(g, "heading")));
		json_array_foreach(json_object_get(g, "rows"), j, row) {
			pdf_paragraph(d, json_string_value(json_object_get(row, "name")));
			const char *chief = json_string_value(json_object_get(row, "head"));
			if (chief)
				pdf_item(d, arena_printf(&p->r->a, "%s (%s)", chief, page_tr(p, N_("Head of delegation"))));
			json_array_foreach(json_object_get(row, "delegates"), k, who)
				pdf_item(d, json_string_value(who));
		}
	}
	char err[200];
	return pdf_finish(d, out, err, sizeof err);
}

typedef int (*list_writer)(page *p, json_t *session, json_t *groups, buf *out);

/* The list as a file of type, named participants-LANG.EXT. */
static void participants_file(request *r, const char *type, const char *ext, list_writer write)
{
	page p;
	json_t *groups = NULL, *session = NULL;
	buf out = BUF_INIT;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (session = open_list(&p, &groups))) {
		if (write(&p, session, groups, &out)) {
			page_error(&p, 500, NULL);
		} else {
			http_text(r, 200, type, out.data, out.len);
			http_header_add(r, "Content-Disposition", arena_printf(&r->a, "attachment; filename=\"participants-%s.%s\"",
									       registry_langs[p.lang], ext));
		}
	}
	json_decref(groups);
	json_decref(session);
	buf_free(&out);
	page_end(&p);
}

void participants_csv(request *r) { participants_file(r, "text/csv; charset=utf-8", "csv", write_csv); }
void participants_pdf(request *r) { participants_file(r, "application/pdf", "pdf", write_pdf); }
