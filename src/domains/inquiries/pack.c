/*
 * pack — a visiting delegation's briefing pack, as a page and as a PDF: a
 * cover with the organization's name and the briefing's classification,
 * the visit (when, in the briefing's time zone; where; who), the agenda
 * and talking points, the requesting organization, its country's profile
 * (membership, representation, key relationships), recent contact and
 * open commitments.
 *
 *   GET /briefings/{id}/pack      GET /briefings/{id}/pack.pdf
 *
 * The pack is in the visitors' language (the briefing's `language`): every
 * heading, label, date, name and enum label of it is looked up through a
 * page of that language (pack_page), while the page around it (menus, the
 * language switch, the links back) stays in the reader's.  It holds only
 * what may be handed to the visitors: chosen fields of each record (never
 * notes, tags or demo flags), and no record classified above the briefing
 * itself, whose marking the pack carries.  A section with nothing to show
 * is left out, heading and all.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "domains/partners/partners.h"
#include "formats/pdf.h"
#include "web/web.h"

#define RECENT 10   /* interactions in the history of recent contact */

static const char *text_of(json_t *o, const char *name) { return json_string_value(json_object_get(o, name)); }

/* What the pack is built from: the briefing, the page in the pack's
 * language, a model context for the reader, and the most classified a
 * record it shows may be. */
typedef struct pack {
	page *pk;
	model_ctx m;
	json_t *b;
	int ceiling;   /* index into classifications */
} pack;

/* A record as the API writes it, when the reader may read it; else NULL. */
static json_t *record_of(pack *k, const char *kind, json_t *id)
{
	if (!json_is_integer(id) && !json_is_string(id))
		return NULL;
	char *key = json_is_integer(id) ? arena_printf(&k->m.a, "%" JSON_INTEGER_FORMAT, json_integer_value(id))
				       : arena_strdup(&k->m.a, json_string_value(id));
	json_t *r = NULL;
	if (model_get(&k->m, registry_find(k->m.reg, kind), key) == 0)
		r = json_loadb(k->m.body.data, k->m.body.len, 0, NULL);
	buf_reset(&k->m.body);
	k->m.status = 0;
	return r;
}

/* Whether a record may appear under the briefing's marking. */
static int within(const pack *k, json_t *rec)
{
	const char *c = text_of(rec, "classification");
	return !c || enum_index(classifications, c) <= k->ceiling;
}

/* The items of a list of kind, as parsed JSON (json_decref it); an empty
 * list when the reader may read none. */
static json_t *listed(pack *k, const char *kind, const list_params *lp)
{
	json_t *items = NULL;
	if (model_list(&k->m, registry_find(k->m.reg, kind), lp) == 0) {
		json_t *body = view_body(&k->m);
		items = json_incref(json_object_get(body, "items"));
		json_decref(body);
	}
	buf_reset(&k->m.body);
	k->m.status = 0;
	return items ? items : json_array();
}

/* Sets name to value in o when value holds something (a non-empty array or
 * object, a string); frees it otherwise: a section without content is left out. */
static void set_if(json_t *o, const char *name, json_t *value)
{
	int some = json_is_array(value) ? json_array_size(value) > 0
		 : json_is_object(value) ? json_object_size(value) > 0
		 : json_is_string(value) && *json_string_value(value);
	if (some)
		json_object_set_new(o, name, value);
	else
		json_decref(value);
}

/* A list as {items: list}, so that a template shows what surrounds the
 * items once; an empty object (left out by set_if) for an empty list. */
static json_t *items(json_t *list)
{
	if (json_array_size(list))
		return json_pack("{s:o}", "items", list);
	json_decref(list);
	return json_object();
}

/* A fact {label, text, lang} when the text holds something. */
static void fact(json_t *facts, const page *pk, const char *label, const char *text, const char *lang)
{
	if (text && *text)
		json_array_append_new(facts, json_pack("{s:s, s:s, s:s?}", "label", page_tr(pk, label), "text", text, "lang", lang));
}

/* The fields named of a record as facts, each written in the pack's language. */
static json_t *facts_of(pack *k, const char *kind, json_t *rec, const char *const *names)
{
	const entity *e = registry_find(k->m.reg, kind);
	json_t *facts = json_array();
	for (size_t i = 0; names[i]; i++) {
		const field_def *f = entity_field(e, names[i]);
		json_t *v = f ? view_value(k->pk, f, json_object_get(rec, f->name)) : NULL;
		if (v)
			fact(facts, k->pk, f->label, text_of(v, "text"), text_of(v, "lang"));
		json_decref(v);
	}
	return facts;
}

/* ---- the visit ----------------------------------------------------------------------------- */

/* "2027-05-03T09:00:00Z" as wall-clock time in zone: the local instant in
 * seconds, and the zone's offset then. */
static int local_time(const tz *zone, const char *iso, time_t *local, int32_t *offset)
{
	time_t t;
	if (!iso || clock_parse_time(iso, &t))
		return -1;
	*offset = tz_offset(zone, (int64_t)t);
	*local = t + *offset;
	return 0;
}

/* Date and time of the visit in the briefing's zone: "3 May 2027" and
 * "11:00–12:30 (Europe/Zurich, UTC+02:00)". */
static void visit_when(pack *k, json_t *facts)
{
	const char *name = text_of(k->b, "time_zone");
	if (!name || !*name)
		name = desk()->time_zone;
	tz *zone = NULL;
	char why[200];
	time_t start, end;
	int32_t off, off_end;
	if (tz_load(name, &zone, why, sizeof why) || local_time(zone, text_of(k->b, "starts_at"), &start, &off)) {
		tz_free(zone);
		return;
	}
	struct tm a, z;
	gmtime_r(&start, &a);
	char iso[32], hours[160];
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &a);
	buf d = BUF_INIT;
	i18n_date(k->pk->lang, iso, &d);
	int n = snprintf(hours, sizeof hours, "%02d:%02d", a.tm_hour, a.tm_min);
	if (local_time(zone, text_of(k->b, "ends_at"), &end, &off_end) == 0) {
		gmtime_r(&end, &z);
		n += snprintf(hours + n, sizeof hours - (size_t)n, "–%02d:%02d", z.tm_hour, z.tm_min);
	}
	snprintf(hours + n, sizeof hours - (size_t)n, " (%s, UTC%c%02d:%02d)", name, off < 0 ? '-' : '+', abs(off) / 3600,
		 abs(off) % 3600 / 60);
	fact(facts, k->pk, N_("Date"), buf_str(&d), NULL);
	fact(facts, k->pk, N_("Time"), hours, NULL);
	buf_free(&d);
	tz_free(zone);
}

/* The briefing staff, by name, as one line. */
static char *our_participants(pack *k)
{
	buf names = BUF_INIT;
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(k->b, "staff"), i, x) {
		json_t *ref = view_ref(k->pk, "users", json_object_get(x, "id"));
		const char *s = text_of(ref, "text");
		if (s && *s)
			buf_printf(&names, "%s%s", names.len ? ", " : "", s);
		json_decref(ref);
	}
	char *out = arena_strdup(&k->pk->r->a, buf_str(&names));
	buf_free(&names);
	return out;
}

/* The visitors the reader may see: [{name, position, organization}]. */
static json_t *visitors(pack *k)
{
	const entity *pe = registry_find(k->m.reg, "persons");
	json_t *list = json_array(), *v;
	size_t i;
	json_array_foreach(json_object_get(k->b, "visitors"), i, v) {
		json_t *person = record_of(k, "persons", json_object_get(v, "id"));
		if (person && within(k, person)) {
			const char *lang;
			json_t *ref = json_object_get(person, "organization");
			json_t *org = json_is_null(ref) || !ref ? NULL : view_ref(k->pk, "organizations", ref);
			json_array_append_new(list, json_pack("{s:s, s:s?, s:O?}", "name", view_title(k->pk, pe, person, &lang),
							      "position", text_of(person, "position"),
							      "organization", json_object_get(org, "text")));
			json_decref(org);
		}
		json_decref(person);
	}
	return list;
}

static json_t *visit(pack *k)
{
	json_t *visit = json_object(), *facts = json_array();
	visit_when(k, facts);
	fact(facts, k->pk, N_("Place"), text_of(k->b, "room"), NULL);
	fact(facts, k->pk, N_("Our participants"), our_participants(k), NULL);
	set_if(visit, "visit_facts", items(facts));
	set_if(visit, "visitor_rows", items(visitors(k)));
	return visit;
}

/* A multilingual text of the briefing as {lines: [...], lang}: in the
 * pack's language, or another when it has none; a line each. */
static json_t *lines_of(pack *k, const char *field)
{
	const char *lang, *s = view_langtext(k->pk, json_object_get(k->b, field), &lang);
	json_t *lines = json_array();
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		char *line = page_trim(k->pk, arena_strndup(&k->pk->r->a, s, n));
		if (*line)
			json_array_append_new(lines, json_string(line));
		s += n + (s[n] == '\n');
	}
	if (!json_array_size(lines)) {
		json_decref(lines);
		return json_object();
	}
	return json_pack("{s:o, s:s}", "lines", lines, "lang", lang);
}

/* ---- the organization and its country ------------------------------------------------------ */

static const char *const org_fields[] = { "acronym", "type", "website", "address", NULL };
static const char *const country_fields[] = { "membership", "membership_date", NULL };

/* The country's permanent missions: how it is represented to us. */
static json_t *representation(pack *k, json_t *country)
{
	const char *iso2 = text_of(country, "iso2");
	const char *names[] = { "country", "type" }, *values[] = { iso2, "permanent_mission" };
	list_params lp = { .names = names, .values = values, .nfilters = 2, .limit = 10 };
	json_t *items = iso2 ? listed(k, "organizations", &lp) : json_array(), *list = json_array(), *x;
	const entity *oe = registry_find(k->m.reg, "organizations");
	size_t i;
	json_array_foreach(items, i, x) {
		if (!within(k, x))
			continue;
		const char *lang, *name = view_title(k->pk, oe, x, &lang);
		json_array_append_new(list, json_pack("{s:s, s:s?, s:s?}", "text", name, "lang", lang, "address", text_of(x, "address")));
	}
	json_decref(items);
	return list;
}

/* The organization's relationships the pack may show: [{label, other}]. */
static json_t *key_relationships(pack *k, json_t *org)
{
	char *id = arena_printf(&k->m.a, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(org, "id")));
	json_t *rels = partners_relationships(&k->m, "organizations", id, NULL, 10), *x, *list = json_array();
	size_t i;
	json_array_foreach(json_object_get(rels, "items"), i, x) {
		if (!within(k, x))
			continue;
		const char *lang;
		json_t *other = json_object_get(x, "other");
		json_t *ref = view_ref(k->pk, text_of(other, "kind"), json_object_get(other, "id"));
		json_array_append_new(list, json_pack("{s:s?, s:O}", "label", view_langtext(k->pk, json_object_get(x, "label"), &lang),
						      "other", json_object_get(ref, "text")));
		json_decref(ref);
	}
	json_decref(rels);
	buf_reset(&k->m.body);
	k->m.status = 0;
	return list;
}

static void organization(pack *k, json_t *out, json_t *org)
{
	const char *lang;
	const entity *oe = registry_find(k->m.reg, "organizations");
	const char *name = view_title(k->pk, oe, org, &lang);   /* sets lang: a statement of its own */
	json_t *o = json_pack("{s:s, s:s?}", "org_heading", name, "org_lang", lang);
	set_if(o, "org_facts", items(facts_of(k, "organizations", org, org_fields)));
	json_object_set_new(out, "organization", o);
	json_t *country = record_of(k, "countries", json_object_get(org, "country")), *profile = json_object();
	if (country) {
		const entity *ce = registry_find(k->m.reg, "countries");
		json_object_set_new(profile, "country_name", json_string(view_title(k->pk, ce, country, &lang)));
		set_if(profile, "country_facts", items(facts_of(k, "countries", country, country_fields)));
		set_if(profile, "missions", items(representation(k, country)));
	}
	set_if(profile, "relationships", items(key_relationships(k, org)));
	json_decref(country);
	set_if(out, "profile", profile);
}

/* ---- contact -------------------------------------------------------------------------------- */

/* The latest interactions with the organization: [{when, what}]. */
static json_t *recent_contact(pack *k, json_int_t org)
{
	const entity *ie = registry_find(k->m.reg, "interactions");
	store_cond w[] = { model_linked(&k->m, ie, "participants", "organizations", SV_INT_(org)) };
	list_params lp = { .sort = "-date", .limit = RECENT, .extra = w, .nextra = 1 };
	json_t *items = listed(k, "interactions", &lp), *list = json_array(), *x;
	size_t i;
	json_array_foreach(items, i, x) {
		if (!within(k, x))
			continue;
		buf d = BUF_INIT;
		page_date(k->pk, text_of(x, "date"), &d);
		const char *kind = view_enum_label(k->pk, entity_field(ie, "kind"), text_of(x, "kind"));
		json_array_append_new(list, json_pack("{s:s, s:s?, s:s?}", "when", buf_str(&d), "what", text_of(x, "subject"),
						      "how", kind));
		buf_free(&d);
	}
	json_decref(items);
	return list;
}

/* The open follow-ups of the interactions with the organization, soonest due first. */
static json_t *open_commitments(pack *k, json_int_t org)
{
	store_cond *link = arena_alloc(&k->m.a, 3 * sizeof *link);
	link[0] = COND_EQ("kind", sv_text("interactions"));
	link[1] = COND_EQ("target_kind", sv_text("organizations"));
	link[2] = COND_EQ("target_id", SV_INT_(org));
	store_cond w[] = { { .col = "interaction", .op = OP_IN_SELECT, .sub = link, .nsub = 3, .sub_table = "links",
			     .sub_col = "record_id" },
			   COND_EQ("status", sv_text("open")) };
	list_params lp = { .sort = "due_date", .limit = 20, .extra = w, .nextra = 2 };
	json_t *items = listed(k, "follow-ups", &lp), *list = json_array(), *x;
	size_t i;
	json_array_foreach(items, i, x) {
		if (!within(k, x))
			continue;
		buf d = BUF_INIT;
		page_date(k->pk, text_of(x, "due_date"), &d);
		json_array_append_new(list, json_pack("{s:s, s:s?}", "when", buf_str(&d), "what", text_of(x, "task")));
		buf_free(&d);
	}
	json_decref(items);
	return list;
}

/* The organization's inquiries still open: [{reference, subject}]. */
static json_t *open_inquiries(pack *k, json_int_t org)
{
	store_cond w[] = { COND_EQ("requester_organization", SV_INT_(org)), COND("status", OP_NE, sv_text("closed")) };
	list_params lp = { .limit = 20, .extra = w, .nextra = 2 };
	json_t *items = listed(k, "inquiries", &lp), *list = json_array(), *x;
	size_t i;
	json_array_foreach(items, i, x)
		if (within(k, x))
			json_array_append_new(list, json_pack("{s:s?, s:s?}", "reference", text_of(x, "reference"), "subject",
							      text_of(x, "subject")));
	json_decref(items);
	return list;
}

/* ---- the whole pack ------------------------------------------------------------------------- */

/* The pack's words, in its language: the template and the PDF read them as t.NAME. */
static json_t *words(const page *pk)
{
	static const char *const w[][2] = {
		{ "briefing_pack", N_("Briefing pack") }, { "visit", N_("The visit") }, { "visitors", N_("Visitors") },
		{ "name", N_("Name") }, { "position", N_("Position") }, { "organization", N_("Organization") },
		{ "agenda", N_("Agenda") }, { "talking_points", N_("Talking points") },
		{ "profile", N_("Country profile") }, { "representation", N_("Representation") },
		{ "relationships", N_("Key relationships") }, { "contact", N_("Recent contact") },
		{ "commitments", N_("Open commitments") }, { "inquiries", N_("Open inquiries") },
	};
	json_t *t = json_object();
	for (size_t i = 0; i < COUNT(w); i++)
		json_object_set_new(t, w[i][0], json_string(page_tr(pk, w[i][1])));
	return t;
}


/* What the pack says, as JSON for the page template and the PDF alike. */
static json_t *build(pack *k)
{
	page *pk = k->pk;
	json_t *b = k->b;
	const char *cls = text_of(b, "classification");
	k->ceiling = cls && enum_index(classifications, cls) >= 0 ? enum_index(classifications, cls) : 0;
	json_t *out = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:o}", "pack_lang", registry_langs[pk->lang], "org_name",
				inquiries_org_name(pk), "briefing_title", text_of(b, "title"), "delegation", text_of(b, "delegation"),
				"marking", view_classification(pk, cls ? cls : "internal"), "t", words(pk));
	set_if(out, "visit", visit(k));
	set_if(out, "agenda", lines_of(k, "agenda"));
	set_if(out, "talking_points", lines_of(k, "talking_points"));
	json_t *org = record_of(k, "organizations", json_object_get(b, "organization"));
	if (org && within(k, org)) {
		json_int_t id = json_integer_value(json_object_get(org, "id"));
		organization(k, out, org);
		set_if(out, "contact", items(recent_contact(k, id)));
		set_if(out, "commitments", items(open_commitments(k, id)));
		set_if(out, "inquiries", items(open_inquiries(k, id)));
	}
	json_decref(org);
	return out;
}

/* The briefing's pack, or NULL with the error page answered.  The pack is
 * read through pk, a copy of p in the visitors' language (the reader's when
 * the briefing names none); p keeps the reader's for the page around it. */
static json_t *open_pack(page *p, page *pk)
{
	request *r = p->r;
	pack k = { .pk = pk };
	model_init(&k.m, r->app->st, &r->app->reg, page_user(p));
	json_t *out = NULL;
	if (model_get(&k.m, registry_find(&r->app->reg, "briefings"), r->params[0])) {
		page_model_error(p, &k.m);
		model_done(&k.m);
		return NULL;
	}
	k.b = json_loadb(k.m.body.data, k.m.body.len, 0, NULL);
	buf_reset(&k.m.body);
	int lang = i18n_lang(text_of(k.b, "language"));
	*pk = *p;
	pk->refs = NULL;   /* names looked up in the pack's language stay the pack's */
	if (lang >= 0) {
		pk->lang = lang;
		pk->me.language = registry_langs[lang];
	}
	out = build(&k);
	json_object_set_new(out, "id", json_copy(json_object_get(k.b, "id")));
	json_decref(k.b);
	model_done(&k.m);
	return out;
}

static void close_pack(page *pk)
{
	json_decref(pk->refs);
	pk->refs = NULL;
}

void briefing_pack_page(request *r)
{
	page p, pk = { 0 };
	json_t *out = NULL;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (out = open_pack(&p, &pk))) {
		json_object_update(p.ctx, out);
		json_object_set_new(p.ctx, "pdf_href", json_string(arena_printf(&r->a, "/briefings/%s/pack.pdf", r->params[0])));
		page_render(&p, 200, "pack", page_tr(&p, N_("Briefing pack")));
	}
	json_decref(out);
	close_pack(&pk);
	page_end(&p);
}

/* ---- as PDF --------------------------------------------------------------------------------- */

static const char *word(json_t *pk, const char *name) { return text_of(json_object_get(pk, "t"), name); }

static json_t *items_of(json_t *o, const char *name) { return json_object_get(json_object_get(o, name), "items"); }

static void pdf_facts(pdf_doc *d, json_t *facts)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(facts, "items"), i, f)
		pdf_fact(d, text_of(f, "label"), text_of(f, "text"));
}

static void pdf_lines(pdf_doc *d, const char *heading, json_t *text)
{
	if (!text)
		return;
	size_t i;
	json_t *x;
	pdf_heading(d, 2, heading);
	json_array_foreach(json_object_get(text, "lines"), i, x)
		pdf_item(d, json_string_value(x));
}

/* The cover, alone on the first page. */
static void pdf_cover(pdf_doc *d, json_t *pk)
{
	pdf_paragraph(d, text_of(pk, "org_name"));
	pdf_heading(d, 1, word(pk, "briefing_pack"));
	pdf_paragraph(d, text_of(pk, "briefing_title") ? text_of(pk, "briefing_title") : "");
	if (text_of(pk, "delegation"))
		pdf_paragraph(d, text_of(pk, "delegation"));
	pdf_paragraph(d, text_of(pk, "marking"));
	pdf_page_break(d);
}

static void pdf_visit(pdf_doc *d, json_t *visit, json_t *pk)
{
	if (!visit)
		return;
	pdf_heading(d, 2, word(pk, "visit"));
	pdf_facts(d, json_object_get(visit, "visit_facts"));
	json_t *rows = items_of(visit, "visitor_rows"), *x;
	if (!rows)
		return;
	pdf_heading(d, 2, word(pk, "visitors"));
	const char *head[] = { word(pk, "name"), word(pk, "position"), word(pk, "organization") };
	pdf_row(d, 1, head, 3);
	size_t i;
	json_array_foreach(rows, i, x) {
		const char *cells[] = { text_of(x, "name"), text_of(x, "position"), text_of(x, "organization") };
		pdf_row(d, 0, cells, 3);
	}
}

static void pdf_profile(request *r, pdf_doc *d, json_t *pk)
{
	json_t *org = json_object_get(pk, "organization"), *profile = json_object_get(pk, "profile"), *x;
	size_t i;
	if (org && json_object_get(org, "org_facts")) {
		pdf_heading(d, 2, text_of(org, "org_heading"));
		pdf_facts(d, json_object_get(org, "org_facts"));
	}
	if (!profile)
		return;
	const char *country = text_of(profile, "country_name");
	pdf_heading(d, 2, country ? arena_printf(&r->a, "%s — %s", word(pk, "profile"), country) : word(pk, "profile"));
	pdf_facts(d, json_object_get(profile, "country_facts"));
	if (json_object_get(profile, "missions"))
		pdf_paragraph(d, word(pk, "representation"));
	json_array_foreach(items_of(profile, "missions"), i, x)
		pdf_item(d, text_of(x, "address") ? arena_printf(&r->a, "%s, %s", text_of(x, "text"), text_of(x, "address"))
						  : text_of(x, "text"));
	if (json_object_get(profile, "relationships"))
		pdf_paragraph(d, word(pk, "relationships"));
	json_array_foreach(items_of(profile, "relationships"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s %s", text_of(x, "label") ? text_of(x, "label") : "",
					 text_of(x, "other") ? text_of(x, "other") : ""));
}

static void pdf_dated(request *r, pdf_doc *d, const char *heading, json_t *list)
{
	if (!list)
		return;
	size_t i;
	json_t *x;
	pdf_heading(d, 2, heading);
	json_array_foreach(json_object_get(list, "items"), i, x) {
		const char *what = text_of(x, "what") ? text_of(x, "what") : "";
		pdf_item(d, text_of(x, "how") ? arena_printf(&r->a, "%s — %s (%s)", text_of(x, "when"), what, text_of(x, "how"))
					      : arena_printf(&r->a, "%s — %s", text_of(x, "when"), what));
	}
}

/* The pack as a tagged PDF in out; -1 when it could not be written. */
static int pack_pdf(request *r, json_t *pk, buf *out)
{
	const char *title = text_of(pk, "briefing_title") ? text_of(pk, "briefing_title") : "";
	pdf_doc *d = pdf_new(title, text_of(pk, "pack_lang"));
	if (!d)
		return -1;
	pdf_marking(d, text_of(pk, "marking"));
	pdf_cover(d, pk);
	pdf_visit(d, json_object_get(pk, "visit"), pk);
	pdf_lines(d, word(pk, "agenda"), json_object_get(pk, "agenda"));
	pdf_lines(d, word(pk, "talking_points"), json_object_get(pk, "talking_points"));
	pdf_profile(r, d, pk);
	pdf_dated(r, d, word(pk, "contact"), json_object_get(pk, "contact"));
	pdf_dated(r, d, word(pk, "commitments"), json_object_get(pk, "commitments"));
	json_t *inq = json_object_get(pk, "inquiries"), *x;
	size_t i;
	if (inq)
		pdf_heading(d, 2, word(pk, "inquiries"));
	json_array_foreach(json_object_get(inq, "items"), i, x)
		pdf_item(d, arena_printf(&r->a, "%s — %s", text_of(x, "reference"), text_of(x, "subject") ? text_of(x, "subject") : ""));
	char err[200];
	return pdf_finish(d, out, err, sizeof err);
}

void briefing_pack_pdf(request *r)
{
	page p, pk = { 0 };
	json_t *out = NULL;
	buf pdf = BUF_INIT;
	if (page_begin(&p, r, PAGE_SIGNED_IN) == 0 && (out = open_pack(&p, &pk))) {
		if (pack_pdf(r, out, &pdf)) {
			page_error(&p, 500, NULL);
		} else {
			http_text(r, 200, "application/pdf", pdf.data, pdf.len);
			http_header_add(r, "Content-Disposition", "attachment; filename=\"briefing-pack.pdf\"");
		}
	}
	buf_free(&pdf);
	json_decref(out);
	close_pack(&pk);
	page_end(&p);
}
