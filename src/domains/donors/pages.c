/*
 * pages — matching as the API answers it and as the record pages show it:
 * a donor profile's page lists the programmes that fit the donor best, a
 * programme's page the donors most likely to fund it, each with the
 * reasons of its score said in the reader's language (the terms
 * search/fit.h explains it by: a sector shared and its weight, a word in
 * common, a programme the donor funded before).
 *
 *   GET /api/v1/donor-profiles/{id}/programmes    GET /donor-profiles/{id}
 *   GET /api/v1/programmes/{id}/donors            GET /programmes/{id}
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "formats/iati.h"
#include "web/web.h"

#define MATCHES_SHOWN 10
#define REASONS_SHOWN 3

/* ---- the API ---------------------------------------------------------------------------------- */

static int limit_of(request *r, size_t *k)
{
	const char *s = http_query(r, "limit");
	long n = s ? strtol(s, NULL, 10) : MATCHES_SHOWN;
	if (n < 1 || n > 50) {
		http_problem(r, 400, "Bad Request", "limit is a number from 1 to 50");
		return -1;
	}
	*k = (size_t)n;
	return 0;
}

typedef int (*matcher)(model_ctx *m, store_conn *c, const record *rec, size_t k, json_t **items);

static int programmes_for(model_ctx *m, store_conn *c, const record *rec, size_t k, json_t **items)
{
	return donors_programmes_for(m, c, rec, k, items);
}

static int donors_for(model_ctx *m, store_conn *c, const record *rec, size_t k, json_t **items)
{
	return donors_donors_for(m, c, rec->v[COL_ID].i, k, items);
}

static void answer_matches(request *r, const char *kind, matcher match)
{
	size_t k;
	if (limit_of(r, &k))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	store_conn *c = store_reader(r->app->st);
	record rec;
	json_t *items;
	if (r->u->role == ROLE_PARTNER)
		model_fail(&m, 403, "Forbidden", "matching donors with programmes is for the department's staff");
	else if (!c)
		model_fail(&m, 503, "Store busy", "the database cannot be read now");
	else if (model_find(&m, c, registry_find(&r->app->reg, kind), r->params[0], &rec) == 0 &&
		 match(&m, c, &rec, k, &items) == 0)
		model_answer(&m, json_pack("{s:o}", "items", items));
	http_model(r, &m);
	model_done(&m);
}

void donors_profile_matches(request *r) { answer_matches(r, donor_profiles.name, programmes_for); }
void donors_programme_donors(request *r) { answer_matches(r, programmes.name, donors_for); }

/* ---- the reasons, worded ---------------------------------------------------------------------- */

static const char *percent(const page *p, double v)
{
	buf b = BUF_INIT;
	i18n_number(p->lang, (int64_t)llround(v * 10), 1, &b);
	const char *s = arena_printf(&p->r->a, "%s\xC2\xA0%%", buf_str(&b));
	buf_free(&b);
	return s;
}

/* The title of the record of kind that id (taken) names, as the reader reads it. */
static const char *title_of(page *p, const char *kind, json_t *id)
{
	json_t *v = view_ref(p, kind, id);
	const char *t = json_string_value(json_object_get(v, "text"));
	const char *out = arena_strdup(&p->r->a, t ? t : "");
	json_decref(v);
	json_decref(id);
	return out;
}

/* One term: "sector 15190 …: 60 % of the programme, weight 5 of 5". */
static const char *reason(page *p, json_t *term)
{
	const char *part = json_string_value(json_object_get(term, "part")), *code = json_string_value(json_object_get(term, "code"));
	double a = json_real_value(json_object_get(term, "a")), b = json_real_value(json_object_get(term, "b"));
	if (!strcmp(part, "text"))
		return page_say(p, N_("a word in common: {1}"), &code, 1);
	if (!strcmp(part, "history"))
		return page_say(p, N_("funded {1} before"), (const char *[]){ title_of(p, "programmes", json_integer(atoll(code))) }, 1);
	const char *name = code;
	if (!strcmp(part, "sector") && iati_sector_name(code, registry_langs[p->lang]))
		name = arena_printf(&p->r->a, "%s %s", code, iati_sector_name(code, registry_langs[p->lang]));
	else if (!strcmp(part, "country"))
		name = title_of(p, "countries", json_string(code));
	static const char *const what[] = { "sector", "country", "region", "theme", "sdg" };
	static const char *const said[] = { N_("sector {1}: {2} of the programme, weight {3} of 5"),
					    N_("country {1}: {2} of the programme, weight {3} of 5"),
					    N_("region {1}: {2} of the programme, weight {3} of 5"),
					    N_("theme {1}: {2} of the programme, weight {3} of 5"),
					    N_("SDG target {1}: {2} of the programme, weight {3} of 5") };
	for (size_t i = 0; i < COUNT(what); i++)
		if (!strcmp(part, what[i]))
			return page_say(p, said[i], (const char *[]){ name, percent(p, a * 100), page_number(p, llround(b * 5)) }, 3);
	return code;
}

/* The items of a matching answer as rows: {title, href, score, reasons}. */
static json_t *rows_of(page *p, json_t *items, const char *kind, const char *field)
{
	json_t *rows = json_array(), *item;
	size_t i;
	json_array_foreach(items, i, item) {
		json_t *reasons = json_array(), *terms = json_object_get(item, "terms"), *term;
		size_t j;
		json_array_foreach(terms, j, term)
			if (json_array_size(reasons) < REASONS_SHOWN)
				json_array_append_new(reasons, json_string(reason(p, term)));
		json_int_t id = json_integer_value(json_object_get(item, field));
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o}", "title", title_of(p, kind, json_integer(id)), "href",
						      arena_printf(&p->r->a, "/%s/%" JSON_INTEGER_FORMAT, kind, id), "score",
						      percent(p, json_real_value(json_object_get(item, "score")) * 100), "reasons",
						      reasons));
	}
	return rows;
}

/* ---- the record pages ------------------------------------------------------------------------- */

static void record_page(request *r, const entity_def *def, matcher match, const char *kind, const char *field,
			const char *heading)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0) {
		const entity *e = registry_find(&r->app->reg, def->name);
		json_t *rec = records_load(&p, e, r->params[0]);
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		store_conn *c = store_reader(r->app->st);
		record found;
		json_t *items = NULL;
		if (rec && c && page_user(&p)->role != ROLE_PARTNER && model_find(&m, c, e, r->params[0], &found) == 0 &&
		    match(&m, c, &found, MATCHES_SHOWN, &items) == 0)
			json_object_set_new(p.ctx, "matches", json_pack("{s:s, s:o}", "heading", page_tr(&p, heading), "rows",
									rows_of(&p, items, kind, field)));
		json_decref(items);
		model_done(&m);
		if (rec)
			records_detail_render(&p, e, rec, "matches");
		json_decref(rec);
	}
	page_end(&p);
}

void donors_profile_page(request *r)
{
	record_page(r, &donor_profiles, programmes_for, "programmes", "programme", N_("Programmes that fit this donor"));
}

void donors_programme_page(request *r)
{
	record_page(r, &programmes, donors_for, "organizations", "donor", N_("Donors likely to fund it"));
}
