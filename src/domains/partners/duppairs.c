/*
 * duppairs — labelled pairs over the demo's partners, and the check's
 * precision and recall on them (see duppairs.h).
 */
#include "domains/partners/duppairs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xorshift.h"
#include "domains/partners/demowords.h"
#include "domains/partners/duplicates.h"
#include "domains/partners/dupscan.h"
#include "formats/csv.h"
#include "model/csvio.h"

#define NAME_MAX_BYTES 400

static const user measurer = { 0, "liaison-measure", ROLE_ADMIN, NULL, 0, "en" };

typedef struct maker {
	model_ctx m;
	store_conn *c;
	uint64_t rng;
	model_ids orgs, persons;
	const entity *org_e, *person_e;
} maker;

static size_t pick(maker *k, size_t n) { return n ? xorshift_below(&k->rng, (uint32_t)n) : 0; }

static int64_t any_id(maker *k, const model_ids *ids) { return ids->v[pick(k, ids->n)]; }

/* ---- changes to text ---------------------------------------------------------------- */

/* One typo in a word of four letters or more: two letters swapped, one dropped, one doubled or one replaced. */
static void typo(maker *k, char *s)
{
	size_t n = strlen(s), at[NAME_MAX_BYTES], count = 0;
	for (size_t i = 0; i < n; i++) {   /* letters of long plain words, where a typo reads as one */
		size_t start = i;
		while (i < n && isalpha((unsigned char)s[i]))
			i++;
		for (size_t j = start; i - start >= 4 && j + 1 < i && (i == n || s[i] == ' ' || s[i] == ',');
		     j++)
			at[count++] = j;
	}
	if (!count)
		return;
	size_t p = at[pick(k, count)];
	switch (pick(k, 4)) {
	case 0: { char t = s[p]; s[p] = s[p + 1]; s[p + 1] = t; break; }
	case 1: memmove(s + p, s + p + 1, n - p); break;
	case 2: if (n + 1 < NAME_MAX_BYTES) { memmove(s + p + 1, s + p, n - p + 1); } break;
	default: s[p] = s[p] == 'e' ? 'a' : 'e'; break;
	}
}

/* The text without the accents of French and Spanish, capitals kept. */
static void no_accents(char *s)
{
	static const char *const from[] = { "á", "à", "â", "ä", "é", "è", "ê", "ë", "í", "î", "ï", "ó", "ô", "ö",
					    "ú", "ù", "û", "ü", "ñ", "ç", "É", "Á", "Í", "Ó", "Ú", "œ", "ø" };
	static const char to[] = "aaaaeeeeiiiooouuuuncEAIOUoo";
	char *w = s;
	for (const char *r = s; *r;) {
		size_t i = 0;
		while (i < sizeof from / sizeof *from && strncmp(r, from[i], 2) != 0)
			i++;
		if (i < sizeof from / sizeof *from) {
			*w++ = to[i];
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static void capitals(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* The last word's plural made singular, or its singular plural. */
static void toggle_plural(char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == 's')
		s[n - 1] = '\0';
	else if (n + 1 < NAME_MAX_BYTES)
		strcat(s, "s");
}

/* ---- organizations ------------------------------------------------------------------ */

/* An English demo name, "Fenlande Ministry for Migrant Workers", as its place, body and subject. */
typedef struct org_name {
	char place[64];
	const demo_tri *body, *topic;
} org_name;

static int parse_name(const char *en, org_name *o)
{
	const char *space = en ? strchr(en, ' ') : NULL;
	if (!space || (size_t)(space - en) >= sizeof o->place)
		return -1;
	snprintf(o->place, sizeof o->place, "%.*s", (int)(space - en), en);
	char whole[NAME_MAX_BYTES];
	for (size_t b = 0; b < demo_nbodies; b++)
		for (size_t t = 0; t < demo_ntopics; t++) {
			snprintf(whole, sizeof whole, "%s %s for %s", o->place, demo_bodies[b].en, demo_topics[t].en);
			if (strcmp(whole, en) == 0) {
				o->body = &demo_bodies[b];
				o->topic = &demo_topics[t];
				return 0;
			}
		}
	return -1;
}

static const char *abbreviation(const char *word)
{
	static const char *const abbrev[][2] = {
		{ "Ministry", "Min." }, { "Institute", "Inst." }, { "Association", "Assoc." },
		{ "Commission", "Comm." }, { "Observatory", "Observ." }, { "Foundation", "Fdn." },
		{ "Centre", "Ctr." }, { "Council", "Cncl." }, { "Network", "Netw." }, { "Agency", "Agcy." },
		{ "Office", "Off." },
	};
	for (size_t i = 0; i < sizeof abbrev / sizeof *abbrev; i++)
		if (strcmp(word, abbrev[i][0]) == 0)
			return abbrev[i][1];
	return word;
}

static const char *another_country(maker *k, const char *not)
{
	static const char *const iso2[] = { "CH", "FR", "ES", "MX", "SN", "PH", "KE", "CO", "MA", "BD", "DE", "CA" };
	const char *c;
	do
		c = iso2[pick(k, sizeof iso2 / sizeof *iso2)];
	while (not && strcmp(c, not) == 0);
	return c;
}

static const char *org_duplicate(maker *k, const record *r, const org_name *o, char *name)
{
	const char *en = record_text(r, "name_en"), *fr = record_text(r, "name_fr"), *es = record_text(r, "name_es");
	const char *acronym = record_text(r, "acronym");
	switch (pick(k, 10)) {
	case 0: snprintf(name, NAME_MAX_BYTES, "%s", en); typo(k, name); return "typo";
	case 1: snprintf(name, NAME_MAX_BYTES, "%s", en); toggle_plural(name); return "plural";
	case 2: snprintf(name, NAME_MAX_BYTES, "%s for %s, %s", o->body->en, o->topic->en, o->place); return "word order";
	case 3: snprintf(name, NAME_MAX_BYTES, "%s", pick(k, 2) && fr ? fr : es); no_accents(name); return "no accents";
	case 4: if (abbreviation(o->body->en) != o->body->en) {   /* "Forum" has none */
			snprintf(name, NAME_MAX_BYTES, "%s %s for %s", o->place, abbreviation(o->body->en), o->topic->en);
			return "abbreviation";
		}
		/* fall through */
	case 5: if (acronym) { snprintf(name, NAME_MAX_BYTES, "%s", acronym); return "acronym"; }
		/* fall through */
	case 6: snprintf(name, NAME_MAX_BYTES, "%s", pick(k, 2) && fr ? fr : es); return "another language";
	case 7: snprintf(name, NAME_MAX_BYTES, "%s of %s for %s", o->body->en, o->place, o->topic->en);
		return "body of place";
	case 8: snprintf(name, NAME_MAX_BYTES, "The %s %s for the %s", o->place, o->body->en, o->topic->en);
		return "articles";
	default: snprintf(name, NAME_MAX_BYTES, "%s", en); capitals(name); return "capitals";
	}
}

static const char *org_other(maker *k, const record *r, const org_name *o, char *name, const char **country)
{
	const demo_tri *body = o->body, *topic = o->topic;
	char place[64];
	snprintf(place, sizeof place, "%s", o->place);
	const char *variation;
	switch (pick(k, 4)) {
	case 0:
		while (strcmp(place, o->place) == 0)
			snprintf(place, sizeof place, "%s%s", demo_places_start[pick(k, demo_nplaces_start)],
				 demo_places_end[pick(k, demo_nplaces_end)]);
		variation = "another place";
		break;
	case 1:
		while (topic == o->topic)
			topic = &demo_topics[pick(k, demo_ntopics)];
		variation = "another subject";
		break;
	case 2:
		while (body == o->body)
			body = &demo_bodies[pick(k, demo_nbodies)];
		variation = "another body";
		break;
	default:
		*country = another_country(k, record_text(r, "country"));
		variation = "another country";
	}
	snprintf(name, NAME_MAX_BYTES, "%s %s for %s", place, body->en, topic->en);
	return variation;
}

static int org_pair(maker *k, dup_pair *p)
{
	record r;
	p->e = k->org_e;
	p->original = any_id(k, &k->orgs);
	if (model_load(&k->m, k->c, k->org_e, p->original, &r))
		return -1;
	org_name o;
	if (parse_name(record_text(&r, "name_en"), &o))
		return -1;    /* not one of the demo's: another pair is drawn */
	char name[NAME_MAX_BYTES];
	const char *country = record_text(&r, "country");
	p->duplicate = pick(k, 2);
	p->variation = p->duplicate ? org_duplicate(k, &r, &o, name) : org_other(k, &r, &o, name, &country);
	p->probe = json_pack("{s:{s:s}, s:s}", "name", "en", name, "type", record_text(&r, "type"));
	if (country)
		json_object_set_new(p->probe, "country", json_string(country));
	return 0;
}

/* ---- persons -------------------------------------------------------------------------- */

static int person_pair(maker *k, dup_pair *p)
{
	record r;
	p->e = k->person_e;
	p->original = any_id(k, &k->persons);
	if (model_load(&k->m, k->c, k->person_e, p->original, &r))
		return -1;
	const char *g = record_text(&r, "given_name"), *f = record_text(&r, "family_name");
	const store_value *org = record_field(&r, "organization");
	if (!g || !f || org->type != SV_INT)
		return -1;
	char given[NAME_MAX_BYTES], family[NAME_MAX_BYTES], email[NAME_MAX_BYTES] = "";
	snprintf(given, sizeof given, "%s", g);
	snprintf(family, sizeof family, "%s", f);
	int64_t org_id = org->i;
	p->duplicate = pick(k, 2);
	if (p->duplicate) {
		switch (pick(k, 6)) {
		case 0: typo(k, pick(k, 2) ? family : given); p->variation = "typo"; break;
		case 1: no_accents(given); no_accents(family); p->variation = "no accents"; break;
		case 2: {   /* the first letter, all of its bytes ("É") */
			size_t n = 1;
			while (g[n] && ((unsigned char)g[n] & 0xc0) == 0x80)
				n++;
			snprintf(given, sizeof given, "%.*s.", (int)n, g);
			p->variation = "initial";
			break;
		}
		case 3: capitals(family); p->variation = "capitals"; break;
		case 4: snprintf(given, sizeof given, "%s", f); snprintf(family, sizeof family, "%s", g);
			p->variation = "swapped"; break;
		default:
			typo(k, family);
			json_t *emails = json_loads(record_text(&r, "emails") ? record_text(&r, "emails") : "[]", 0, NULL);
			snprintf(email, sizeof email, "%s", json_string_value(json_array_get(emails, 0)) ?
				 json_string_value(json_array_get(emails, 0)) : "");
			json_decref(emails);
			p->variation = "same e-mail";
		}
	} else {
		switch (pick(k, 3)) {
		case 0:
			while (strcmp(given, g) == 0)
				snprintf(given, sizeof given, "%s", demo_given[pick(k, demo_ngiven)]);
			p->variation = "another given name";
			break;
		case 1:
			while (strcmp(family, f) == 0)
				snprintf(family, sizeof family, "%s", demo_family[pick(k, demo_nfamily)]);
			p->variation = "another family name";
			break;
		default:
			while (org_id == org->i)
				org_id = any_id(k, &k->orgs);
			p->variation = "another organization";
		}
	}
	p->probe = json_pack("{s:s, s:s, s:I}", "given_name", given, "family_name", family, "organization",
			     (json_int_t)org_id);
	if (*email)
		json_object_set_new(p->probe, "emails", json_pack("[s]", email));
	return 0;
}

/* ---- making and measuring ------------------------------------------------------------- */

static int load_ids(maker *k, const char *table, model_ids *ids)
{
	store_select q = { .table = table, .cols = (const char *[]){ "id" }, .ncols = 1,
			   .where = (store_cond[]){ COND_EQ("archived", SV_INT_(0)) }, .nwhere = 1 };
	return model_select_ids(&k->m, k->c, &q, ids) == STORE_OK && ids->n ? 0 : -1;
}

int duppairs_make(store *st, const registry *reg, size_t n, uint64_t seed, dup_pair **out, char *err, size_t errlen)
{
	maker k = { .rng = seed ? seed : 1 };
	model_init(&k.m, st, reg, &measurer);
	k.org_e = registry_find(reg, "organizations");
	k.person_e = registry_find(reg, "persons");
	k.c = store_reader(st);
	int rc = !k.c || !k.org_e || !k.person_e || load_ids(&k, "organizations", &k.orgs) ||
		 load_ids(&k, "persons", &k.persons) ? -1 : 0;
	if (rc)
		snprintf(err, errlen, "labelled pairs need the demo's organizations and persons");
	dup_pair *pairs = calloc(n ? n : 1, sizeof *pairs);
	size_t made = 0, tries = 0;
	while (!rc && made < n && tries++ < 20 * n + 100) {
		dup_pair *p = &pairs[made];
		if ((pick(&k, 10) < 7 ? org_pair : person_pair)(&k, p) == 0 && p->probe)
			made++;
		k.m.status = 0;
	}
	if (!rc && made < n) {
		snprintf(err, errlen, "only %zu of %zu labelled pairs could be made: is this the demo's data?", made, n);
		rc = -1;
	}
	model_done(&k.m);
	if (rc) {
		duppairs_free(pairs, made);
		return -1;
	}
	*out = pairs;
	return 0;
}

void duppairs_free(dup_pair *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		json_decref(p[i].probe);
	free(p);
}

int duppairs_check(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, char *err,
		   size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		model_ctx m;
		model_init(&m, st, reg, &measurer);
		store_conn *c = store_reader(st);
		record r;
		dup_candidate *found;
		size_t nfound = 0;
		json_t *body = json_deep_copy(p[i].probe);
		int rc = !c || model_build_create(&m, c, p[i].e, body, CREATE_FORCE, &r) ||
			 duplicates_find(&m, c, &r, &found, &nfound);
		if (rc)
			snprintf(err, errlen, "pair %zu (%s): %s", i, p[i].variation, m.detail ? m.detail : "store error");
		flagged[i] = 0;
		for (size_t j = 0; !rc && j < nfound; j++)
			flagged[i] |= found[j].id == p[i].original;
		model_done(&m);
		json_decref(body);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- the whole registry's scan ----------------------------------------------------------- */

static int in_queue(store *st, const entity *e, int64_t a, int64_t b, int *yes)
{
	store_cond w[] = { COND_EQ("kind", sv_text(e->def->name)), COND_EQ("first_id", SV_INT_(a < b ? a : b)),
			   COND_EQ("second_id", SV_INT_(a < b ? b : a)) };
	int64_t n = 0;
	store_conn *c = store_reader(st);
	int rc = c && store_count(c, "dup_pairs", w, 3, &n) == STORE_OK ? 0 : -1;
	*yes = n > 0;
	return rc;
}

int duppairs_scan(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, dup_scanned *got,
		  char *err, size_t errlen)
{
	int64_t *probe = calloc(n ? n : 1, sizeof *probe);
	int rc = probe ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		model_ctx m;
		model_init(&m, st, reg, &measurer);
		json_t *body = json_deep_copy(p[i].probe);
		if (model_create(&m, p[i].e, body, CREATE_FORCE) == 0)
			probe[i] = m.id;
		else {
			snprintf(err, errlen, "pair %zu (%s): %s", i, p[i].variation, m.detail ? m.detail : "store error");
			rc = -1;
		}
		json_decref(body);
		model_done(&m);
	}
	memset(got, 0, sizeof *got);
	for (size_t k = 0; k < reg->n && !rc; k++) {
		dup_scanned one;
		if (!duplicates_kind(&reg->v[k]))
			continue;
		rc = duplicates_scan(st, reg, &reg->v[k], &one, err, errlen);
		got->records += one.records;
		got->keys += one.keys;
		got->compared += one.compared;
		got->found += one.found;
		got->dismissed += one.dismissed;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		int yes = 0;
		rc = in_queue(st, p[i].e, p[i].original, probe[i], &yes);
		flagged[i] = (unsigned char)yes;
	}
	free(probe);
	return rc;
}

/* ---- the import's verdicts --------------------------------------------------------------- */

#define MAX_COLUMNS 32

typedef struct sheet {
	char *names[MAX_COLUMNS];   /* "name_en", "emails"... */
	size_t n;
} sheet;

static size_t column_at(sheet *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return i;
	if (h->n == MAX_COLUMNS)
		abort();
	h->names[h->n] = strdup(name);
	return h->n++;
}

/* A probe's body as the cells of a row: a text in each language its own
 * column (name_en...), a list's items joined by ";", a number as digits. */
static void cells_of(sheet *h, json_t *body, char **cells)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		if (json_is_object(v)) {
			const char *lang;
			json_t *text;
			json_object_foreach(v, lang, text) {
				char name[64];
				snprintf(name, sizeof name, "%s_%s", key, lang);
				cells[column_at(h, name)] = strdup(json_string_value(text) ? json_string_value(text) : "");
			}
		} else if (json_is_array(v)) {
			buf items = BUF_INIT;
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item)
				buf_printf(&items, "%s%s", i ? ";" : "", json_string_value(item) ? json_string_value(item) : "");
			cells[column_at(h, key)] = strdup(buf_str(&items));
			buf_free(&items);
		} else if (json_is_integer(v)) {
			char digits[32];
			snprintf(digits, sizeof digits, "%lld", (long long)json_integer_value(v));
			cells[column_at(h, key)] = strdup(digits);
		} else {
			cells[column_at(h, key)] = strdup(json_string_value(v) ? json_string_value(v) : "");
		}
	}
}

/* Whether the review file's cell of candidates ("12 Name (0.92, ...); 7 ...") names id. */
static int names_id(const char *cell, int64_t id)
{
	for (const char *p = cell; p && *p;) {
		if (strtoll(p, NULL, 10) == id)
			return 1;
		p = strstr(p, "; ");
		p = p ? p + 2 : NULL;
	}
	return 0;
}

/* Flags the pairs of kind e whose row a dry-run import of all of them sends for review naming the original. */
static int import_kind(store *st, const registry *reg, const entity *e, const dup_pair *pairs, size_t n,
		       unsigned char *flagged, char *err, size_t errlen)
{
	sheet h = { .n = 0 };
	size_t *rows = calloc(n, sizeof *rows), nrows = 0;
	char **cells = calloc(n * MAX_COLUMNS, sizeof *cells);
	for (size_t i = 0; i < n; i++)
		if (pairs[i].e == e)
			cells_of(&h, pairs[i].probe, &cells[(rows[nrows++] = i) * MAX_COLUMNS]);
	buf file = BUF_INIT, review = BUF_INIT;
	for (size_t c = 0; c < h.n; c++)
		csv_field(&file, h.names[c], strlen(h.names[c]), c == 0);
	csv_end_row(&file);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < h.n; c++) {
			const char *cell = cells[rows[r] * MAX_COLUMNS + c];
			csv_field(&file, cell ? cell : "", cell ? strlen(cell) : 0, c == 0);
		}
		csv_end_row(&file);
	}
	model_ctx m;
	model_init(&m, st, reg, &measurer);
	import_report rep;
	int rc = csvio_import(&m, e, file.data, file.len, &(import_opts){ IMPORT_DRY_RUN, NULL, &review }, &rep);
	if (rc)
		snprintf(err, errlen, "the import of the %s pairs: %zu problems, first line %zu: %s", e->def->name,
			 rep.nerrors, rep.nerrors ? rep.errors[0].line : 0,
			 rep.nerrors ? rep.errors[0].reason : (m.detail ? m.detail : "?"));
	/* the review file's rows are the file's, in order, with the candidates last */
	csv_reader *rd = csv_open(review.data ? review.data : "", review.len);
	csv_row row;
	csv_error bad;
	size_t at = 0, candidates = 0;
	for (int first = 1; !rc && csv_next(rd, &row, &bad) == 1; first = 0) {
		if (first) {
			candidates = row.nfields - 1;
			continue;
		}
		for (; at < nrows; at++) {
			size_t c = 0;
			while (c < h.n && strcmp(csv_unguard(row.fields[c]),
						 cells[rows[at] * MAX_COLUMNS + c] ? cells[rows[at] * MAX_COLUMNS + c] : "") == 0)
				c++;
			if (c == h.n)
				break;
		}
		if (at < nrows)
			flagged[rows[at]] = names_id(row.fields[candidates], pairs[rows[at]].original), at++;
	}
	csv_close(rd);
	model_done(&m);
	buf_free(&file);
	buf_free(&review);
	for (size_t i = 0; i < n * MAX_COLUMNS; i++)
		free(cells[i]);
	for (size_t c = 0; c < h.n; c++)
		free(h.names[c]);
	free(cells);
	free(rows);
	return rc;
}

int duppairs_import(store *st, const registry *reg, const dup_pair *p, size_t n, unsigned char *flagged, char *err,
		    size_t errlen)
{
	memset(flagged, 0, n);
	return import_kind(st, reg, registry_find(reg, "organizations"), p, n, flagged, err, errlen) ||
	       import_kind(st, reg, registry_find(reg, "persons"), p, n, flagged, err, errlen) ? -1 : 0;
}

dup_quality duppairs_quality(const dup_pair *p, size_t n, const unsigned char *flagged, const entity *e)
{
	dup_quality q = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (e && p[i].e != e)
			continue;
		q.true_pos += p[i].duplicate && flagged[i];
		q.false_neg += p[i].duplicate && !flagged[i];
		q.false_pos += !p[i].duplicate && flagged[i];
		q.true_neg += !p[i].duplicate && !flagged[i];
	}
	q.precision = q.true_pos + q.false_pos ? (double)q.true_pos / (double)(q.true_pos + q.false_pos) : 1.0;
	q.recall = q.true_pos + q.false_neg ? (double)q.true_pos / (double)(q.true_pos + q.false_neg) : 1.0;
	return q;
}
