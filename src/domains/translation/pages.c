/*
 * pages — what a translation job's page shows of the translation (how far
 * it has come, the way to the editor; xliff.c renders the page with its
 * XLIFF exchange) and the job's leverage report: what the memory already
 * holds of its text, band by band, and what the rest would cost.
 *
 *   GET /translation-jobs/{id}/leverage
 *   GET /translation-memory?text=...&lang=...   (the concordance)
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "model/access.h"
#include "web/web.h"

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }
static json_int_t int_of(json_t *o, const char *name) { return json_integer_value(json_object_get(o, name)); }


/* "3 of 12 sentences translated", counted from the index on (job, state). */
static void progress_view(page *p, json_t *job)
{
	store_conn *c = store_reader(p->r->app->st);
	int64_t left = 0, all = int_of(job, "segment_count");
	store_cond w[] = { COND_EQ("job", SV_INT_(int_of(job, "id"))), COND_EQ("state", sv_text("new")),
			   COND_EQ("archived", SV_INT_(0)) };
	if (c)
		store_count(c, translation_segments.table, w, 3, &left);
	json_object_set_new(p->ctx, "progress",
			    json_string(page_say(p, N_("{1} of {2} sentences translated."),
					    (const char *[]){ page_number(p, all - left), page_number(p, all) }, 2)));
}

void translation_job_view(page *p, json_t *job)
{
	progress_view(p, job);
	const char *base = arena_printf(&p->r->a, "/translation-jobs/%" JSON_INTEGER_FORMAT, int_of(job, "id"));
	if (strcmp(text_of(job, "status"), "done"))
		json_object_set_new(p->ctx, "translate_href", json_string(arena_printf(&p->r->a, "%s/translate", base)));
	json_object_set_new(p->ctx, "leverage_href", json_string(arena_printf(&p->r->a, "%s/leverage", base)));
}

/* Band names as people read them. */
static const char *const band_labels[LEVERAGE_BANDS] = {
	N_("In context (101 %)"), N_("Same sentence (100 %)"), N_("95–99 %"), N_("85–94 %"), N_("75–84 %"), N_("50–74 %"),
	N_("No match"), N_("Repetitions"),
};

static const char *money(page *p, int64_t minor, const char *currency)
{
	buf b = BUF_INIT;
	i18n_money(p->lang, minor, currency, &b);
	const char *out = arena_strdup(&p->r->a, buf_str(&b));
	buf_free(&b);
	return out;
}

void translation_leverage_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) != 0) {
		page_end(&p);
		return;
	}
	const entity *e = registry_find(&r->app->reg, "translation-jobs");
	json_t *job = records_load(&p, e, r->params[0]);
	if (job) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		store_conn *c = store_reader(r->app->st);
		leverage l;
		if (c && leverage_of(&m, c, text_of(job, "source_language"), text_of(job, "target_language"),
				     text_of(job, "source_text"), &l) == 0) {
			const translation_config *cfg = translation_settings();
			json_t *bands = json_array();
			for (int b = 0; b < LEVERAGE_BANDS; b++)
				json_array_append_new(bands, json_pack("{s:s, s:s, s:s, s:i}", "label", page_tr(&p, band_labels[b]),
								       "segments", page_number(&p, l.segments[b]), "words",
								       page_number(&p, l.words[b]), "weight", cfg->weights[b]));
			json_object_set_new(p.ctx, "bands", bands);
			json_object_set_new(p.ctx, "segments", json_string(page_number(&p, l.total_segments)));
			json_object_set_new(p.ctx, "words", json_string(page_number(&p, l.total_words)));
			json_object_set_new(p.ctx, "weighted_words", json_string(page_number(&p, l.weighted_words)));
			json_object_set_new(p.ctx, "estimate", json_string(money(&p, l.cost, cfg->currency)));
			json_object_set_new(p.ctx, "job_title", json_string(text_of(job, "title")));
			json_object_set_new(p.ctx, "job_href", json_string(arena_printf(&r->a, "/translation-jobs/%" JSON_INTEGER_FORMAT,
											  int_of(job, "id"))));
			page_render(&p, 200, "leverage", page_tr(&p, N_("What the memory already holds")));
		} else {
			page_model_error(&p, &m);
		}
		model_done(&m);
		json_decref(job);
	}
	page_end(&p);
}

/* ---- the concordance's page ---------------------------------------------------------------- */

/* The bytes of s from character from, n characters long. */
static const char *chars(page *p, const char *s, int64_t from, int64_t n)
{
	size_t i = 0, start;
	for (int64_t k = 0; s[i] && k < from; k++)
		for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	start = i;
	for (int64_t k = 0; s[i] && k < n; k++)
		for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	return arena_strndup(&p->r->a, s + start, i - start);
}

static json_t *concordance_row(page *p, json_t *unit, const char *lang)
{
	int source_side = !strcmp(text_of(unit, "found_in"), "source");
	const char *side = text_of(unit, source_side ? "source" : "target");
	json_t *at = json_object_get(unit, "found_at");
	int64_t off = at ? int_of(at, "offset") : 0, len = at ? int_of(at, "length") : 0;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "lang", lang, "before", chars(p, side, 0, off), "words",
			 chars(p, side, off, len), "after", chars(p, side, off + len, INT64_MAX), "other",
			 text_of(unit, source_side ? "target" : "source"), "other_lang",
			 text_of(unit, source_side ? "target_lang" : "source_lang"), "origin", text_of(unit, "origin"));
}

void translation_concordance_page(request *r)
{
	page p;
	if (page_begin(&p, r, PAGE_SIGNED_IN) != 0) {
		page_end(&p);
		return;
	}
	if (!access_is_staff(page_user(&p))) {
		page_error(&p, 403, NULL);
		page_end(&p);
		return;
	}
	const char *text = page_query(&p, "text"), *lang = page_query(&p, "lang");
	if (!lang || enum_index(registry_langs, lang) < 0)
		lang = registry_langs[p.lang];
	json_t *langs = json_array();
	for (int l = 0; l < NLANGS; l++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "value", registry_langs[l], "label",
						       page_tr(&p, registry_lang_labels[l]), "selected", !strcmp(lang, registry_langs[l])));
	json_object_set_new(p.ctx, "langs", langs);
	json_object_set_new(p.ctx, "text", json_string(text ? text : ""));
	int status = 200;
	if (text && *text) {
		model_ctx m;
		model_init(&m, r->app->st, &r->app->reg, page_user(&p));
		store_conn *c = store_reader(r->app->st);
		json_t *items = NULL, *rows = json_array(), *unit;
		if (c && concordance_find(&m, c, lang, text, 100, &items) == 0) {
			size_t i;
			json_array_foreach(items, i, unit)
				json_array_append_new(rows, concordance_row(&p, unit, lang));
		} else {
			status = m.status ? m.status : 503;
		}
		json_object_set_new(p.ctx, "asked", json_true());
		json_object_set_new(p.ctx, "has_items", json_boolean(json_array_size(rows) > 0));
		json_object_set_new(p.ctx, "found", json_string(page_say(&p, N_("Sentences found: {1}"),
									   (const char *[]){ page_number(&p, (int64_t)json_array_size(rows)) }, 1)));
		json_object_set_new(p.ctx, "items", rows);
		json_decref(items);
		model_done(&m);
	}
	page_render(&p, status, "concordance", page_tr(&p, N_("Concordance")));
	page_end(&p);
}
