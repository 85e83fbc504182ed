/*
 * test_csvio — CSV export and import of every kind of the registry, one test
 * per kind, generated from the kind's description: records whose every
 * field holds a hostile value for its type (cells that start like formulas
 * or with an apostrophe, list items with the separator, backslashes, quotes
 * and line breaks, links with roles, empty and absent values, references by
 * id and by key, one of them to a record that comes later in the file) are
 * exported, imported into the same database (nothing changes) and into a
 * fresh one (checked first, then imported), and read back field by field.
 * Then: a check goes on while another connection holds the write lock.
 *
 * The kinds run in the registry's order, which puts a kind after the kinds
 * it refers to: the fresh database receives them in that order, as an
 * operator would bring them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "formats/csv.h"
#include "model/access.h"
#include "model/csvio.h"
#include "testdb.h"

#define RECORDS 3      /* generated per kind */
#define ATTEMPTS 60    /* a kind's own rules may refuse a combination: another is tried */

static testdb *src, *dst;
static const user admin = { 1, "root", ROLE_ADMIN, NULL, 0, "en" };
static int64_t made[64][RECORDS];  /* per kind (registry index): the ids generated in src */

/* ---- values, hostile first --------------------------------------------------------------- */

/* Text cells: formula starts, the guard's own apostrophe, separators, quotes,
 * backslashes, line breaks, spaces at the ends; the last ones are plain, for
 * fields whose own rules refuse the others (a user name has no spaces). */
static const char *const texts[] = {
	"=HYPERLINK(\"http://x.example\";\"a\"), b; c\\d\r\nsecond line ",
	"'tis a 'quote'; - @ \\",
	"-2+3, \"x\" \\; ",
	"@SUM(A1)\t",
	"\rcarriage",
	"+=a-b",
	"'=a-b",
	"Ñandú-日本",
	"plain",
};

static const char *const list_items[] = {
	"=SUM(A1)", "semi;colon", "back\\slash", " lead", "trail ", "line\nbreak", "'quoted'", "\\;", "-",
};

/* Text of candidate c for record k: unique per record, within the field's length. */
static json_t *text_value(const field_def *f, int k, size_t c)
{
	const char *t = texts[c % COUNT(texts)];
	size_t max = f->max ? f->max : 200, n = strlen(t);
	if (n + 1 > max)
		n = max - 1;  /* the texts that matter for short fields are ASCII at their start */
	char s[256];
	snprintf(s, sizeof s, "%.*s%d", (int)n, t, k);
	return json_string(s);
}

/* The key or id by which a field refers to record j of its target kind. */
static json_t *ref_to(const field_def *f, int j)
{
	const entity *target = registry_find(&src->reg, f->ref);
	size_t ti = (size_t)(target - src->reg.v);
	if (!made[ti][j])
		return json_null();
	if (!f->ref_key)
		return json_integer(made[ti][j]);
	model_ctx m;
	model_init(&m, src->st, &src->reg, &admin);
	record r;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)made[ti][j]);
	assert_int_equal(model_read(&m, target, id, &r), 0);
	store_value v = r.v[entity_column(target, f->ref_key)];
	json_t *key = json_stringn(v.s, v.n);
	model_done(&m);
	return key;
}

static json_t *links_value(const field_def *f, int k)
{
	json_t *a = json_array();
	for (int i = 0; f->link_kinds[i]; i++) {
		const entity *target = registry_find(&src->reg, f->link_kinds[i]);
		size_t ti = (size_t)(target - src->reg.v);
		json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "kind", f->link_kinds[i], "id",
						   (json_int_t)made[ti][k % RECORDS], "role", "=chair; deputy\\"));
		json_array_append_new(a, json_pack("{s:s, s:I, s:n}", "kind", f->link_kinds[i], "id",
						   (json_int_t)made[ti][(k + 1) % RECORDS], "role"));
	}
	return a;
}

static json_t *list_value(const field_def *f, int k)
{
	json_t *a = json_array();
	for (size_t i = 0; i < COUNT(list_items) && i < (f->max ? f->max : 50); i++) {
		char s[64];
		if (f->type == F_EMAILS)
			snprintf(s, sizeof s, "%s%zu.%d@example.org", i % 2 ? "'" : "=", i, k);
		else
			snprintf(s, sizeof s, "%s", list_items[i]);
		json_array_append_new(a, json_string(s));
	}
	return a;
}

/* Candidate c of field f (the i-th of its kind) for record k; NULL when
 * there are no more.  References start at different records for different
 * fields, so that two ends of a relationship differ. */
static json_t *candidate(const field_def *f, size_t i, int k, size_t c)
{
	char s[64];
	switch (f->type) {
	case F_TEXT:
		if (f->sample) /* the kind's own rules would refuse the hostile texts */
			return c < 3 && field_sample(f, (unsigned long)(k * 10 + c + 1), s, sizeof s) == 0 ? json_string(s) : NULL;
		return c < COUNT(texts) ? text_value(f, k, c) : NULL;
	case F_LANGTEXT:
		/* English and French differ, Spanish is absent (or all three, for a short field) */
		return c < COUNT(texts) ? json_pack("{s:o, s:o, s:n}", "en", text_value(f, k, c), "fr",
						    text_value(f, k, c + 1), "es")
					: NULL;
	case F_ENUM: {
		size_t n = 0;
		while (f->values[n])
			n++;
		return c < n ? json_string(f->values[(k + c) % n]) : NULL;
	}
	case F_REF:
		return c < RECORDS + 1 ? (c < RECORDS ? ref_to(f, (int)((k + c + i) % RECORDS)) : json_null()) : NULL;
	case F_MONEY: {
		/* a refund, and currencies of 2, 0 and 3 decimals */
		static const char *const amounts[][2] = { { "1250000.5%d", "USD" }, { "-1%d", "JPY" }, { "12.34%d", "KWD" } };
		if (c >= COUNT(amounts))
			return c == COUNT(amounts) ? json_null() : NULL;
		snprintf(s, sizeof s, amounts[c][0], k % 10);
		return json_pack("{s:s, s:s}", "amount", s, "currency", amounts[c][1]);
	}
	case F_DATE:
		snprintf(s, sizeof s, "20%02zu-02-%02d", 26 + c, 10 + k);
		return c < 3 ? json_string(s) : c == 3 ? json_null() : NULL;
	case F_TIME:
		snprintf(s, sizeof s, "20%02zu-03-01T08:%02d:59Z", 26 + c, 10 + k);
		return c < 3 ? json_string(s) : c == 3 ? json_null() : NULL;
	case F_INT:
		if (f->min_int < f->max_int)
			return c < 2 ? json_integer(c ? f->max_int - k : f->min_int + k) : NULL;
		return c < 2 ? json_integer(c ? 7 + k : -5 - k) : NULL;
	case F_BOOL:  /* true, false and absent */
		return c < 3 ? (k % 3 == 2 ? json_null() : json_boolean(((size_t)k + c) % 2 == 0)) : NULL;
	case F_EMAIL:
		snprintf(s, sizeof s, "%s.%d@example.org", c == 0 ? "=ana" : c == 1 ? "-o'brien" : "plain", k);
		return c < 3 ? json_string(s) : NULL;
	case F_URL:
		snprintf(s, sizeof s, "https://example.org/=%d?a=1;b=2,c='d'", k);
		return c < 1 ? json_string(s) : NULL;
	case F_LIST:
	case F_EMAILS:
		return c == 0 ? list_value(f, k) : c == 1 ? json_null() : NULL;
	case F_LINKS:
		return c == 0 ? links_value(f, k) : c == 1 ? json_array() : NULL;
	}
	return NULL;
}

/* The field a model error names: "name.fr" and "tags[2]" are name and tags. */
static const field_def *field_of_error(const entity *e, const char *name)
{
	char base[64];
	snprintf(base, sizeof base, "%.*s", (int)strcspn(name, ".["), name);
	return entity_field(e, base);
}

static int generated(const field_def *f) { return !(f->flags & (READONLY | UNSHOWN)); }

/* A record of kind e whose fields hold their candidates tries[]; the id, or 0
 * with the fields the model refused marked in tries. */
static int64_t try_create(const entity *e, int k, size_t *tries, char *why, size_t whylen)
{
	static const char *const classes[] = { "internal", "public", "restricted" };
	static const char *const divs[] = { NULL, "IPD", "DRD" };
	/* a child repeats its parent's classification and division: they are not its to give */
	json_t *body = e->parent ? json_object()
				 : json_pack("{s:s, s:s?}", "classification", classes[k % 3], "division", divs[k % 3]);
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		json_t *v = generated(f) ? candidate(f, i, k, tries[i]) : NULL;
		if (v)
			json_object_set_new(body, f->name, v);
	}
	model_ctx m;
	model_init(&m, src->st, &src->reg, &admin);
	int64_t id = model_create(&m, e, body, CREATE_FORCE) == 0 ? m.id : 0;
	snprintf(why, whylen, "%s", m.detail ? m.detail : "");
	for (size_t i = 0; !id && i < m.nerrors; i++) {
		const field_def *f = field_of_error(e, m.errors[i].field);
		if (f)
			tries[f - e->def->fields]++;
		snprintf(why, whylen, "%s: %s", m.errors[i].field, m.errors[i].message);
	}
	json_decref(body);
	model_done(&m);
	return id;
}

static int64_t make_record(const entity *e, int k)
{
	size_t tries[64] = { 0 };
	char why[300] = "";
	for (int a = 0; a < ATTEMPTS; a++) {
		int64_t id = try_create(e, k, tries, why, sizeof why);
		if (id)
			return id;
	}
	fail_msg("no %s could be generated: %s", e->def->name, why);
	return 0;
}

/* A reference of the kind to itself, set on the first record to the last:
 * in the file, a record refers to one that comes after it. */
static int refer_forward(const entity *e, int64_t *ids)
{
	int changes = 0;
	for (size_t i = 0; i < e->def->nfields; i++) {
		const field_def *f = &e->def->fields[i];
		if (f->type != F_REF || f->ref_key || strcmp(f->ref, e->def->name) != 0 || !generated(f))
			continue;
		model_ctx m;
		model_init(&m, src->st, &src->reg, &admin);
		json_t *patch = json_pack("{s:I}", f->name, (json_int_t)ids[RECORDS - 1]);
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)ids[0]);
		assert_int_equal(model_update(&m, e, id, 0, patch), 0);
		json_decref(patch);
		model_done(&m);
		changes++;
	}
	return changes;
}

/* ---- the round trip ----------------------------------------------------------------------- */

static char *export_kind(testdb *t, const entity *e)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	buf out = BUF_INIT;
	assert_int_equal(csvio_export(&m, e, &out), 0);
	model_done(&m);
	return buf_steal(&out);
}

static import_report import_kind(testdb *t, const entity *e, const char *csv, unsigned flags)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	import_report rep;
	int rc = csvio_import(&m, e, csv, strlen(csv), &(import_opts){ flags, NULL, NULL }, &rep);
	for (size_t i = 0; i < rep.nerrors; i++)
		print_message("%s line %zu %s: %s\n", e->def->name, rep.errors[i].line,
			      rep.errors[i].column ? rep.errors[i].column : "", rep.errors[i].reason);
	if (rc && !rep.nerrors)
		print_message("%s: %s\n", e->def->name, m.detail ? m.detail : "?");
	assert_int_equal(rc, 0);
	import_report copy = rep;
	copy.errors = NULL;
	model_done(&m);
	return copy;
}

static json_t *get_json(testdb *t, const entity *e, int64_t id)
{
	model_ctx m;
	model_init(&m, t->st, &t->reg, &admin);
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)id);
	assert_int_equal(model_get(&m, e, s), 0);
	json_t *j = json_loadb(m.body.data, m.body.len, 0, NULL);
	model_done(&m);
	return j;
}

static int64_t rows_of(testdb *t, const entity *e)
{
	int64_t n = 0;
	assert_int_equal(store_count(store_reader(t->st), e->def->table, NULL, 0, &n), STORE_OK);
	return n;
}

/* The record as the fresh database has it equals the source's, field by
 * field, but for what the system sets: versions, times, authors, and the
 * fields a new record gets from the system. */
static void assert_same_record(const entity *e, int64_t id)
{
	json_t *a = get_json(src, e, id), *b = get_json(dst, e, id);
	static const char *const system[] = { "version", "created_at", "updated_at", "created_by", "updated_by", NULL };
	const char *key;
	json_t *va;
	json_object_foreach(a, key, va) {
		const field_def *f = entity_field(e, key);
		if (enum_index(system, key) >= 0 || (f && (f->flags & READONLY)))
			continue;
		json_t *vb = json_object_get(b, key);
		if (!json_equal(va, vb)) {
			char *x = json_dumps(va, JSON_ENCODE_ANY), *y = json_dumps(vb, JSON_ENCODE_ANY);
			fail_msg("%s %lld, %s: %s became %s", e->def->name, (long long)id, key, x, y);
		}
	}
	json_decref(a);
	json_decref(b);
}

/* Whether a record generated of kind e holds items in its list field
 * (a kind's own rules may leave every one empty: a document's corrected
 * languages are a corrigendum's only). */
static int some_items(const entity *e, const char *field)
{
	size_t ki = (size_t)(e - src->reg.v);
	int some = 0;
	for (int k = 0; k < RECORDS && !some; k++) {
		json_t *rec = get_json(src, e, made[ki][k]);
		some = json_array_size(json_object_get(rec, field)) > 0;
		json_decref(rec);
	}
	return some;
}

/* Whether a record generated of kind e holds a text in field that a
 * spreadsheet would take for a formula (a kind's own rules may refuse every
 * one: a share of a contribution is a number). */
static int some_formula(const entity *e, const field_def *f)
{
	size_t ki = (size_t)(e - src->reg.v);
	int some = 0;
	for (int k = 0; k < RECORDS && !some; k++) {
		json_t *rec = get_json(src, e, made[ki][k]), *v = json_object_get(rec, f->name);
		const char *s = f->type == F_LANGTEXT ? json_string_value(json_object_get(v, "en")) : json_string_value(v);
		some = s && strchr("=+-@\t\r", *s) && *s;
		json_decref(rec);
	}
	return some;
}

/* The file exercises the guard and the list escape: some cell was guarded,
 * and a list item with the separator was escaped. */
static void assert_file_is_hostile(const entity *e, const char *csv)
{
	int guarded = 0, escaped = strstr(csv, "\\;") != NULL, has_text = 0, has_list = 0;
	for (size_t i = 0; i < e->def->nfields; i++) {
		field_type ty = e->def->fields[i].type;
		has_text |= generated(&e->def->fields[i]) && (ty == F_TEXT || ty == F_LANGTEXT) &&
			    some_formula(e, &e->def->fields[i]);
		has_list |= (ty == F_LIST || ty == F_LINKS) && some_items(e, e->def->fields[i].name);
	}

	csv_reader *r = csv_open(csv, strlen(csv));
	csv_row row;
	csv_error err;
	while (csv_next(r, &row, &err) > 0)
		for (size_t i = 0; i < row.nfields; i++)
			guarded |= csv_unguard(row.fields[i]) != row.fields[i];
	csv_close(r);
	if (has_text)
		assert_true(guarded);
	if (has_list)
		assert_true(escaped);
}

static void test_round_trip(void **state)
{
	const entity *e = *state;
	size_t ki = (size_t)(e - src->reg.v);
	if (!access_kind(&admin, e, OP_CREATE))
		skip();  /* written only by its area's own operations: nothing to import */
	for (int k = 0; k < RECORDS; k++)
		made[ki][k] = make_record(e, k);
	int changes = refer_forward(e, made[ki]);
	char *csv = export_kind(src, e);
	assert_file_is_hostile(e, csv);
	int64_t exported = rows_of(src, e);

	/* the same database: every row names its record, unchanged */
	import_report same = import_kind(src, e, csv, 0);
	assert_int_equal(same.rows, exported);
	assert_int_equal(same.unchanged, exported);
	assert_int_equal(same.created + same.updated, 0);
	json_t *before = get_json(src, e, made[ki][0]);
	assert_int_equal(json_integer_value(json_object_get(before, "version")), 1 + changes);  /* nothing written */
	json_decref(before);

	/* a fresh database: the check writes nothing and says what the import does */
	int64_t had = rows_of(dst, e);
	import_report check = import_kind(dst, e, csv, IMPORT_DRY_RUN);
	assert_int_equal(rows_of(dst, e), had);
	import_report done = import_kind(dst, e, csv, 0);
	assert_int_equal(check.created, done.created);
	assert_int_equal(check.updated, done.updated);
	assert_int_equal(check.unchanged, done.unchanged);
	assert_int_equal(done.created, RECORDS);
	for (int k = 0; k < RECORDS; k++)
		assert_same_record(e, made[ki][k]);

	/* and the fresh database's export is taken back unchanged by it */
	char *again = export_kind(dst, e);
	import_report still = import_kind(dst, e, again, 0);
	assert_int_equal(still.unchanged, still.rows);
	free(again);
	free(csv);
}

/* A check reads: it runs to the end while another connection holds the
 * database's write lock, where an import has to wait for it. */
static void test_check_while_another_writer_holds_the_lock(void **state)
{
	(void)state;
	const entity *e = registry_find(&src->reg, "organizations");
	char *csv = export_kind(src, e);
	char err[256];
	store *other = store_open(src->path, err, sizeof err);
	assert_non_null(other);
	store_conn *w = store_begin(other);
	assert_non_null(w);

	import_report rep = import_kind(src, e, csv, IMPORT_DRY_RUN);
	assert_true(rep.rows > 0);
	assert_int_equal(rep.unchanged, rep.rows);

	model_ctx m;  /* the lock is real: an import cannot have it meanwhile */
	model_init(&m, src->st, &src->reg, &admin);
	assert_int_equal(csvio_import(&m, e, csv, strlen(csv), &(import_opts){ 0, NULL, NULL }, &rep), -1);
	assert_int_equal(m.status, 503);
	model_done(&m);

	store_rollback(w);
	store_close(other);
	free(csv);
}

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (sodium_init() < 0)
		return -1;
	src = testdb_open();
	dst = testdb_open();
	return domains_seed(src->st, &src->reg, err, sizeof err) || domains_seed(dst->st, &dst->reg, err, sizeof err);
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(src);
	testdb_close(dst);
	return 0;
}

int main(void)
{
	if (setup(NULL))  /* the registry names the tests */
		return 1;
	assert_true(src->reg.n <= COUNT(made));
	struct CMUnitTest *tests = calloc(src->reg.n + 1, sizeof *tests);
	char **names = calloc(src->reg.n, sizeof *names);
	for (size_t i = 0; i < src->reg.n; i++) {
		names[i] = malloc(64);
		snprintf(names[i], 64, "round trip of %s", src->reg.v[i].def->name);
		tests[i] = (struct CMUnitTest){ names[i], test_round_trip, NULL, NULL, (void *)&src->reg.v[i] };
	}
	tests[src->reg.n] = (struct CMUnitTest){ "a check while another writer holds the lock",
						 test_check_while_another_writer_holds_the_lock, NULL, NULL, NULL };
	size_t n = src->reg.n;
	int failed = _cmocka_run_group_tests("csvio", tests, n + 1, NULL, NULL);
	teardown(NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return failed;
}
