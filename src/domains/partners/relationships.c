/*
 * relationships — typed, directed, dated links between organizations and
 * persons: "works for", "member of", "funds".  Each type carries a label
 * for each direction, so a relationship reads right from either end: the
 * Ministry "funds" the project office, which is "funded by" the Ministry.
 */
#include <string.h>

#include "domains/partners/partners.h"

/* ---- the types: data, with a label each way ------------------------------- */

static const field_def type_fields[] = {
	{ "code", F_TEXT, REQUIRED | UNIQUE, .max = 40, .label = N_("Code") },
	{ "forward", F_LANGTEXT, REQUIRED | TITLE, .max = 100, .label = N_("Label from the first party") },
	{ "reverse", F_LANGTEXT, REQUIRED, .max = 100, .label = N_("Label from the second party") },
};

static const char *const type_columns[] = { "forward", "reverse", "code", NULL };

const entity_def relationship_types = {
	.name = "relationship-types", .table = "relationship_types", .label = N_("relationship type"),
	.fields = type_fields, .nfields = COUNT(type_fields),
	.read = WHO_ACCOUNT, .write = WHO_ADMIN,
	.key_field = "code", .default_sort = "code",
	.heading = N_("Relationship types"), .new_label = N_("New relationship type"), .columns = type_columns,
};

typedef struct seed_type {
	const char *code, *fwd[3], *rev[3];
} seed_type;

static const seed_type seed_types[] = {
	{ "member_of", { "member of", "membre de", "miembro de" }, { "has member", "a pour membre", "tiene como miembro" } },
	{ "works_for", { "works for", "travaille pour", "trabaja para" }, { "employs", "emploie", "emplea a" } },
	{ "funds", { "funds", "finance", "financia" }, { "funded by", "financé par", "financiado por" } },
	{ "observer_of", { "observer of", "observateur de", "observador de" },
	  { "has observer", "a pour observateur", "tiene como observador" } },
	{ "secretariat_of", { "secretariat of", "secrétariat de", "secretaría de" },
	  { "has secretariat", "a pour secrétariat", "tiene como secretaría" } },
	{ "partner_of", { "partner of", "partenaire de", "socio de" }, { "partner of", "partenaire de", "socio de" } },
};

int relationship_types_seed(store *s, const registry *reg, char *err, size_t errlen)
{
	const entity *e = registry_find(reg, "relationship-types");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < COUNT(seed_types); i++) {
		const seed_type *t = &seed_types[i];
		json_t *body = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}", "code", t->code,
					 "classification", "public", "forward", "en", t->fwd[0], "fr", t->fwd[1], "es",
					 t->fwd[2], "reverse", "en", t->rev[0], "fr", t->rev[1], "es", t->rev[2]);
		static const user system = { 0, "liaison", ROLE_ADMIN, NULL, 0, "en" };
		model_ctx m;
		model_init(&m, s, reg, &system);
		if (model_get(&m, e, t->code) != 0) {
			model_done(&m);
			model_init(&m, s, reg, &system);
			rc = model_create(&m, e, body, 0);
			if (rc)
				snprintf(err, errlen, "cannot add relationship type %s: %s", t->code, m.detail);
		}
		model_done(&m);
		json_decref(body);
	}
	return rc;
}

/* ---- the relationships ----------------------------------------------------- */

static const field_def fields[] = {
	{ "type", F_REF, REQUIRED | INDEXED, .ref = "relationship-types", .ref_key = "code", .label = N_("Type") },
	{ "from_organization", F_REF, 0, .ref = "organizations", .label = N_("From organization") },
	{ "from_person", F_REF, 0, .ref = "persons", .label = N_("From person") },
	{ "to_organization", F_REF, 0, .ref = "organizations", .label = N_("To organization") },
	{ "to_person", F_REF, 0, .ref = "persons", .label = N_("To person") },
	{ "start_date", F_DATE, 0, .label = N_("Start date") },
	{ "end_date", F_DATE, 0, .label = N_("End date") },
	{ "notes", F_TEXT, SEARCHED, .max = 5000, .label = N_("Notes") },
};

static int is_set(const record *r, const char *field)
{
	return record_field(r, field)->type != SV_NULL;
}

/* Exactly one "from" end and one "to" end, not the same record, dates in order. */
static int ends_and_dates(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	int from = is_set(r, "from_organization") + is_set(r, "from_person");
	int to = is_set(r, "to_organization") + is_set(r, "to_person");
	if (from != 1)
		model_field_error(m, "from_organization", N_("give exactly one of from_organization and from_person"));
	if (to != 1)
		model_field_error(m, "to_organization", N_("give exactly one of to_organization and to_person"));
	const store_value *fo = record_field(r, "from_organization"),
			  *tor = record_field(r, "to_organization"),
			  *fp = record_field(r, "from_person"), *tp = record_field(r, "to_person");
	if ((fo->type == SV_INT && tor->type == SV_INT && fo->i == tor->i) ||
	    (fp->type == SV_INT && tp->type == SV_INT && fp->i == tp->i))
		model_field_error(m, "to_organization", N_("a relationship joins two different records"));
	const store_value *s = record_field(r, "start_date"), *en = record_field(r, "end_date");
	if (s->type == SV_TEXT && en->type == SV_TEXT && strcmp(en->s, s->s) < 0)
		model_field_error(m, "end_date", N_("is before start_date"));
	return 0;
}

static const char *const columns[] = { "type", "from_organization", "from_person", "to_organization", "to_person", "start_date", NULL };

const entity_def relationships = {
	.name = "relationships", .table = "relationships", .label = N_("relationship"),
	.fields = fields, .nfields = COUNT(fields),
	.read = WHO_STAFF, .write = WHO_EDITORS,
	.default_sort = "-start_date",
	.heading = N_("Relationships"), .new_label = N_("New relationship"), .columns = columns,
	.validate = ends_and_dates,
};
