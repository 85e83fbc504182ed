/*
 * test_openapi — the OpenAPI document written from a registry of invented
 * kinds and the route tables: record schemas (members, nullability,
 * read-only fields, new records and merge patches), the operations a kind
 * offers (none that write a kind its area writes alone), security, the
 * statuses every route adds, the start-up check, and problems titled by
 * their status phrase.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "http/http.h"

static const char *const sizes[] = { "small", "large", NULL };
static const char *const to_places[] = { "places", NULL };

static const field_def place_fields[] = {
	{ "code", F_TEXT, REQUIRED | UNIQUE, .max = 12 },
	{ "title", F_LANGTEXT, REQUIRED, .max = 80 },
	{ "size", F_ENUM, 0, .values = sizes },
	{ "floors", F_INT, 0, .min_int = 1, .max_int = 90 },
	{ "tags", F_LIST, 0, .max = 5 },
	{ "near", F_LINKS, 0, .link_kinds = to_places },
	{ "parent", F_REF, 0, .ref = "places" },
	{ "stamp", F_TIME, READONLY },
};
static const entity_def places = {
	.name = "places", .table = "places", .label = "place", .fields = place_fields, .nfields = COUNT(place_fields),
	.read = WHO_ANYONE, .write = WHO_EDITORS, .key_field = "code",
};

static const field_def note_fields[] = { { "body", F_TEXT, REQUIRED } };
/* Written only by its area's own operations: no generic create, change or archive. */
static const entity_def notes = {
	.name = "notes", .table = "notes", .label = "note", .fields = note_fields, .nfields = COUNT(note_fields),
	.read = WHO_STAFF, .area_writes = WHO_EDITORS,
};

static void noop(request *r) { (void)r; }

static const api_schema area_schemas[] = {
	{ "Visit", API_JSON({ "type": "object", "required": ["place"], "properties": { "place": { "type": "integer" } } }) },
	{ NULL, NULL },
};
static const api_schema *const area_tables[] = { area_schemas, NULL };

static const route area_routes[] = {
	{ "POST", "/api/v1/places/{id}/visits", noop, 0, "Record a visit", .request = { .body = BODY_NAMED, .schema = "Visit" },
	  .answers = API_ANSWERS({ 201, BODY_RECORD, "notes", HDR_LOCATION }, { 409, .about = "closed" }) },
	{ "GET", "/api/v1/places/{id}/plan", noop, 1, "The plan",
	  .answers = API_ANSWERS({ 200, BODY_MEDIA, "application/pdf" }, { 200, BODY_MEDIA, "text/plain", HDR_DISPOSITION }) },
};

static registry reg;
static app a;
static json_t *doc;

static int setup(void **state)
{
	(void)state;
	const entity_def *defs[] = { &places, &notes };
	char err[200];
	if (registry_build(&reg, defs, 2, err, sizeof err))
		return -1;
	a = (app){ .reg = reg, .routes = area_routes, .nroutes = COUNT(area_routes), .schemas = area_tables };
	doc = openapi_document(&a);
	return doc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	registry_free(&reg);
	return 0;
}

static json_t *at(const char *path)  /* "paths|/api/v1/places|get": members joined by '|' */
{
	json_t *v = doc;
	char copy[256];
	snprintf(copy, sizeof copy, "%s", path);
	char *save = NULL;
	for (char *k = strtok_r(copy, "|", &save); k && v; k = strtok_r(NULL, "|", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	return v;
}

static int has_string(json_t *array, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

static void test_a_kind_written_by_its_area_has_no_generic_writes(void **state)
{
	(void)state;
	assert_non_null(at("paths|/api/v1/notes|get"));
	assert_non_null(at("paths|/api/v1/notes/{id}|get"));
	assert_null(at("paths|/api/v1/notes|post"));
	assert_null(at("paths|/api/v1/notes/{id}|patch"));
	assert_null(at("paths|/api/v1/notes/{id}|delete"));
	assert_null(at("components|schemas|notes.new"));
	assert_non_null(at("paths|/api/v1/places|post"));
	assert_non_null(at("paths|/api/v1/places/{id}|patch"));
	assert_non_null(at("paths|/api/v1/places/{id}|delete"));
}

static void test_a_record_has_every_member_as_it_is_written(void **state)
{
	(void)state;
	json_t *required = at("components|schemas|places.members|required");
	static const char *const all[] = { "id", "version", "archived", "classification", "division", "created_at",
					   "updated_at", "created_by", "updated_by", "code", "title", "size", "floors",
					   "tags", "near", "parent", "stamp" };
	for (size_t i = 0; i < COUNT(all); i++)
		assert_true(has_string(required, all[i]));
	assert_string_equal(json_string_value(at("components|schemas|places.members|properties|title|$ref")),
			    "#/components/schemas/LangText");
	assert_true(has_string(at("components|schemas|places.members|properties|floors|type"), "null"));
	assert_string_equal(json_string_value(at("components|schemas|places.members|properties|code|type")), "string");
	assert_true(json_is_null(json_array_get(at("components|schemas|places.members|properties|size|enum"), 2)));
	assert_true(json_is_true(at("components|schemas|places.members|properties|stamp|readOnly")));
	assert_true(json_is_true(at("components|schemas|places.members|properties|id|readOnly")));
	assert_string_equal(json_string_value(at("components|schemas|places.members|properties|near|type")), "array");
	assert_true(json_is_false(at("components|schemas|places|unevaluatedProperties")));
	assert_int_equal(json_integer_value(at("components|schemas|places.members|properties|floors|maximum")), 90);
}

static void test_a_new_record_requires_the_required_and_refuses_the_read_only(void **state)
{
	(void)state;
	json_t *required = at("components|schemas|places.new|required");
	assert_int_equal(json_array_size(required), 2);
	assert_true(has_string(required, "code") && has_string(required, "title"));
	assert_null(at("components|schemas|places.new|properties|stamp"));
	assert_null(at("components|schemas|places.new|properties|id"));
	assert_non_null(at("components|schemas|places.new|properties|classification"));
	assert_true(json_is_false(at("components|schemas|places.new|additionalProperties")));
	assert_null(at("components|schemas|places.patch|required"));
	/* a patch clears what may be empty, with null; a required field it may only replace */
	assert_true(has_string(at("components|schemas|places.patch|properties|floors|type"), "null"));
	assert_false(has_string(at("components|schemas|places.patch|properties|code|type"), "null"));
	assert_true(has_string(at("components|schemas|places.patch|properties|title|properties|fr|type"), "null"));
	assert_non_null(at("paths|/api/v1/places/{id}|patch|requestBody|content|application/merge-patch+json"));
}

static json_t *param(const char *op, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(at(op), i, p)
		if (strcmp(json_string_value(json_object_get(p, "name")), name) == 0)
			return p;
	return NULL;
}

static void test_parameters_follow_the_kind(void **state)
{
	(void)state;
	/* places answer by their code too; notes by id alone */
	assert_string_equal(json_string_value(json_object_get(json_object_get(param("paths|/api/v1/places/{id}|get|parameters", "id"),
									     "schema"), "type")), "string");
	assert_string_equal(json_string_value(json_object_get(json_object_get(param("paths|/api/v1/notes/{id}|get|parameters", "id"),
									     "schema"), "type")), "integer");
	json_t *if_match = param("paths|/api/v1/places/{id}|patch|parameters", "If-Match");
	assert_string_equal(json_string_value(json_object_get(if_match, "in")), "header");
	assert_true(json_is_true(json_object_get(if_match, "required")));
	assert_non_null(param("paths|/api/v1/places|get|parameters", "floors"));  /* a filter */
	assert_non_null(param("paths|/api/v1/places|get|parameters", "size"));
	assert_null(param("paths|/api/v1/places|get|parameters", "title"));     /* multilingual: no filter */
	assert_non_null(param("paths|/api/v1/places|post|parameters", "X-CSRF-Token"));
	assert_null(param("paths|/api/v1/places|get|parameters", "X-CSRF-Token"));
}

static void test_security_per_operation(void **state)
{
	(void)state;
	assert_int_equal(json_array_size(at("paths|/healthz|get|security")), 0);
	assert_int_equal(json_array_size(at("paths|/api/v1/places/{id}/plan|get|security")), 0);
	/* the public reads places: credentials optional ({}), notes need them */
	assert_int_equal(json_object_size(at("paths|/api/v1/places|get|security|0")), 0);
	assert_non_null(at("paths|/api/v1/notes|get|security|0|bearer"));
	assert_non_null(at("paths|/api/v1/places|post|security|1|csrf"));
	assert_non_null(at("paths|/api/v1/places|post|security|1|cookie"));
	assert_null(at("paths|/api/v1/places|get|security|2|csrf"));
	assert_string_equal(json_string_value(at("components|securitySchemes|cookie|name")), "liaison_session");
}

static void test_statuses_every_route_adds(void **state)
{
	(void)state;
	static const char *const patch[] = { "200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "503" };
	json_t *r = at("paths|/api/v1/places/{id}|patch|responses");
	assert_int_equal(json_object_size(r), COUNT(patch));
	for (size_t i = 0; i < COUNT(patch); i++)
		assert_non_null(json_object_get(r, patch[i]));
	assert_true(json_is_true(at("paths|/api/v1/places|post|responses|201|headers|Location|required")));
	assert_string_equal(json_string_value(at("paths|/api/v1/places/{id}/visits|post|responses|201|content|application/json|schema|$ref")),
			    "#/components/schemas/notes");
	assert_string_equal(json_string_value(at("paths|/api/v1/places/{id}/visits|post|responses|409|content|application/problem+json|schema|$ref")),
			    "#/components/schemas/Problem.409");
	assert_string_equal(json_string_value(at("components|schemas|Problem.409|properties|title|const")), "Conflict");
	/* a public route: no 401; no path parameter: no 404 */
	assert_null(at("paths|/api/v1/places/{id}/plan|get|responses|401"));
	assert_null(at("paths|/api/v1/places|get|responses|404"));
	/* two answers of one status: both media types, the header of only one not required */
	assert_non_null(at("paths|/api/v1/places/{id}/plan|get|responses|200|content|application/pdf"));
	assert_non_null(at("paths|/api/v1/places/{id}/plan|get|responses|200|content|text/plain"));
	assert_true(json_is_false(at("paths|/api/v1/places/{id}/plan|get|responses|200|headers|Content-Disposition|required")));
	assert_non_null(at("components|schemas|Visit|required"));
}

/* Tables with a mistake each, for the start-up check. */
static const route unknown_schema[] = { { "GET", "/api/v1/places/{id}/map", noop, 0, "A map",
					  .answers = API_ANSWERS({ 200, BODY_NAMED, "Map" }) } };
static const route unknown_kind[] = { { "GET", "/api/v1/places/{id}/map", noop, 0, "A map",
					.answers = API_ANSWERS({ 200, BODY_PAGE, "maps" }) } };

static void test_the_start_up_check_names_the_first_mistake(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(openapi_check(&a, err, sizeof err), 0);

	app b = a;
	static const route undescribed[] = { { "GET", "/api/v1/places/{id}/map", noop, 0, "A map" } };
	b.routes = undescribed;
	b.nroutes = 1;
	assert_int_equal(openapi_check(&b, err, sizeof err), -1);
	assert_non_null(strstr(err, "GET /api/v1/places/{id}/map"));

	b.routes = unknown_schema;
	assert_int_equal(openapi_check(&b, err, sizeof err), -1);
	assert_non_null(strstr(err, "Map"));

	b.routes = unknown_kind;
	assert_int_equal(openapi_check(&b, err, sizeof err), -1);
	assert_non_null(strstr(err, "maps"));

	static const api_schema broken[] = { { "Map", "{\"type\": \"object\",}" }, { NULL, NULL } };
	static const api_schema *const broken_tables[] = { broken, NULL };
	b = a;
	b.schemas = broken_tables;
	assert_int_equal(openapi_check(&b, err, sizeof err), -1);
	assert_non_null(strstr(err, "Map"));
}

static json_t *answer_of(request *r)
{
	json_t *j = json_loadb(r->out.data, r->out.len, 0, NULL);
	buf_free(&r->out);
	arena_free(&r->a);
	return j;
}

static void test_a_problem_is_titled_by_its_status(void **state)
{
	(void)state;
	request r = { .u = &public_user };
	http_problem(&r, 409, "Likely duplicate", "2 existing places look like this one");
	json_t *p = answer_of(&r);
	assert_string_equal(json_string_value(json_object_get(p, "type")), "about:blank");
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Conflict");
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "Likely duplicate: 2 existing places look like this one");
	json_decref(p);

	r = (request){ .u = &public_user };
	http_problem(&r, 404, "Not found", "no place with that id");  /* the phrase already: said once */
	p = answer_of(&r);
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Not Found");
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "no place with that id");
	json_decref(p);

	model_ctx m;
	model_init(&m, NULL, &reg, &public_user);
	model_field_error(&m, "code", "is required");
	model_fail(&m, 422, "Some fields are not valid", "1 field(s) need attention");
	r = (request){ .u = &public_user };
	http_model(&r, &m);
	model_done(&m);
	assert_int_equal(r.status, 422);
	p = answer_of(&r);
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Unprocessable Content");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(p, "errors"), 0), "field")), "code");
	json_decref(p);
	assert_string_equal(http_status_phrase(413), "Content Too Large");
	assert_null(http_status_phrase(499));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_kind_written_by_its_area_has_no_generic_writes),
		cmocka_unit_test(test_a_record_has_every_member_as_it_is_written),
		cmocka_unit_test(test_a_new_record_requires_the_required_and_refuses_the_read_only),
		cmocka_unit_test(test_parameters_follow_the_kind),
		cmocka_unit_test(test_security_per_operation),
		cmocka_unit_test(test_statuses_every_route_adds),
		cmocka_unit_test(test_the_start_up_check_names_the_first_mistake),
		cmocka_unit_test(test_a_problem_is_titled_by_its_status),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
