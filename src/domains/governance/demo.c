/*
 * demo — invented governing bodies, sessions, agendas, documents and their
 * versions in three languages, for trying the area and for its benchmarks;
 * the same data for the same count.  The first session holds up to 500
 * documents (the size of a Council session's list), the others a hundred.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domains/governance/governance.h"
#include "model/bulk.h"

static const user demo_user = { 0, "liaison-demo", ROLE_ADMIN, NULL, 0, "en" };

typedef struct demo_body {
	const char *series, *type, *name[NLANGS];
	int notice, special, weeks;
} demo_body;

static const demo_body demo_bodies[] = {
	{ "C", "council", { "Council", "Conseil", "Consejo" }, 30, 15, 6 },
	{ "S", "committee", { "Standing Committee on Programmes and Finance",
			      "Comité permanent des programmes et des finances",
			      "Comité Permanente de Programas y Finanzas" }, 14, 14, 4 },
	{ "IDM", "dialogue", { "International Dialogue on Migration", "Dialogue international sur la migration",
			       "Diálogo Internacional sobre la Migración" }, 21, 14, 3 },
	{ "IC", "consultations", { "Informal consultations", "Consultations informelles", "Consultas oficiosas" }, 7, 7, 1 },
};

static const char *const items[][NLANGS] = {
	{ "Opening of the session", "Ouverture de la session", "Apertura del período de sesiones" },
	{ "Adoption of the agenda", "Adoption de l'ordre du jour", "Aprobación del programa" },
	{ "Report of the Director General", "Rapport du Directeur général", "Informe del Director General" },
	{ "Programme and Budget", "Programme et Budget", "Programa y Presupuesto" },
	{ "Migration governance", "Gouvernance des migrations", "Gobernanza de la migración" },
	{ "Other matters", "Questions diverses", "Otros asuntos" },
};

static const char *const titles[][NLANGS] = {
	{ "Provisional agenda", "Ordre du jour provisoire", "Programa provisional" },
	{ "Annual report", "Rapport annuel", "Informe anual" },
	{ "Programme and Budget", "Programme et Budget", "Programa y Presupuesto" },
	{ "Financial statements", "États financiers", "Estados financieros" },
	{ "Draft report of the session", "Projet de rapport de la session", "Proyecto de informe del período de sesiones" },
	{ "Status of contributions", "État des contributions", "Estado de las contribuciones" },
	{ "Strategic vision", "Vision stratégique", "Visión estratégica" },
	{ "Observer applications", "Demandes de statut d'observateur", "Solicitudes de la condición de observador" },
};

/* The sentences versions are written from, one list per language. */
static const char *const sentences[NLANGS][8] = {
	{ "The Council took note of the report on regular pathways for labour migration.",
	  "Member States welcomed the progress made on remittances and financial inclusion.",
	  "The Administration presented the revised estimates for the coming year.",
	  "Several delegations stressed the protection of migrants in vulnerable situations.",
	  "The Committee recommended that the budget be adopted without amendment.",
	  "Data on displacement and return informed the discussion on climate mobility.",
	  "The Dialogue heard from regional consultative processes on border governance.",
	  "Partners reported on the integration of returning migrants in their communities." },
	{ "Le Conseil a pris note du rapport sur les voies régulières de migration de main-d'œuvre.",
	  "Les États Membres ont salué les progrès réalisés sur les envois de fonds et l'inclusion financière.",
	  "L'Administration a présenté les prévisions révisées pour l'année à venir.",
	  "Plusieurs délégations ont insisté sur la protection des migrants en situation de vulnérabilité.",
	  "Le Comité a recommandé l'adoption du budget sans modification.",
	  "Les données sur les déplacements et le retour ont nourri le débat sur la mobilité climatique.",
	  "Le Dialogue a entendu les processus consultatifs régionaux sur la gouvernance des frontières.",
	  "Les partenaires ont rendu compte de l'intégration des migrants de retour dans leurs communautés." },
	{ "El Consejo tomó nota del informe sobre las vías regulares de migración laboral.",
	  "Los Estados Miembros celebraron los avances en materia de remesas e inclusión financiera.",
	  "La Administración presentó las previsiones revisadas para el año próximo.",
	  "Varias delegaciones destacaron la protección de los migrantes en situación de vulnerabilidad.",
	  "El Comité recomendó que se aprobara el presupuesto sin modificaciones.",
	  "Los datos sobre desplazamiento y retorno nutrieron el debate sobre la movilidad climática.",
	  "El Diálogo escuchó a los procesos consultivos regionales sobre la gobernanza de las fronteras.",
	  "Los asociados informaron sobre la integración de los migrantes retornados en sus comunidades." },
};

/* What a document is about: each version has a sentence on it in every paragraph, so that a
 * subject's words are in some documents, not in all (a search's matches as in a real registry). */
static const char *const topics[][NLANGS] = {
	{ "seasonal agricultural work", "le travail agricole saisonnier", "el trabajo agrícola de temporada" },
	{ "refugee resettlement", "la réinstallation des réfugiés", "el reasentamiento de refugiados" },
	{ "diaspora investment", "l'investissement de la diaspora", "la inversión de la diáspora" },
	{ "trafficking in persons", "la traite des personnes", "la trata de personas" },
	{ "consular assistance", "l'assistance consulaire", "la asistencia consular" },
	{ "student mobility", "la mobilité étudiante", "la movilidad estudiantil" },
	{ "family reunification", "le regroupement familial", "la reunificación familiar" },
	{ "skills recognition", "la reconnaissance des compétences", "el reconocimiento de competencias" },
	{ "drought and displacement", "la sécheresse et les déplacements", "la sequía y los desplazamientos" },
	{ "health screening at borders", "le dépistage sanitaire aux frontières", "el control sanitario en las fronteras" },
	{ "statelessness", "l'apatridie", "la apatridia" },
	{ "unaccompanied children", "les enfants non accompagnés", "los niños no acompañados" },
	{ "recruitment fees", "les frais de recrutement", "las comisiones de contratación" },
	{ "electronic visas", "les visas électroniques", "los visados electrónicos" },
	{ "pension portability", "la portabilité des pensions", "la portabilidad de las pensiones" },
	{ "urban migration", "la migration urbaine", "la migración urbana" },
	{ "mixed movements by sea", "les mouvements mixtes par mer", "los movimientos mixtos por mar" },
	{ "reintegration grants", "les aides à la réintégration", "las ayudas a la reintegración" },
	{ "labour inspections", "les inspections du travail", "las inspecciones de trabajo" },
	{ "census and migration data", "le recensement et les données migratoires", "el censo y los datos migratorios" },
	{ "disaster preparedness", "la préparation aux catastrophes", "la preparación para desastres" },
	{ "domestic workers", "les travailleurs domestiques", "los trabajadores domésticos" },
	{ "language training", "la formation linguistique", "la formación lingüística" },
	{ "border management software", "les logiciels de gestion des frontières", "el software de gestión de fronteras" },
	{ "pastoralist mobility", "la mobilité pastorale", "la movilidad pastoral" },
	{ "mental health support", "le soutien psychologique", "el apoyo psicológico" },
	{ "identity documents", "les documents d'identité", "los documentos de identidad" },
	{ "small island states", "les petits États insulaires", "los pequeños Estados insulares" },
	{ "return counselling", "le conseil au retour", "el asesoramiento para el retorno" },
	{ "municipal partnerships", "les partenariats municipaux", "las alianzas municipales" },
};

static const char *const on_topic[NLANGS][3] = {
	{ "The session considered %s.", "Delegations asked for figures on %s.", "The Administration will report again on %s." },
	{ "La session a examiné %s.", "Les délégations ont demandé des chiffres sur %s.",
	  "L'Administration fera de nouveau rapport sur %s." },
	{ "El período de sesiones examinó %s.", "Las delegaciones pidieron cifras sobre %s.",
	  "La Administración volverá a informar sobre %s." },
};

static const char *const version_states[] = { "draft", "submitted", "in_translation", "edited", "published" };

typedef struct demo {
	bulk b;
	unsigned long long x;
} demo;

static unsigned pick(demo *d, unsigned n)
{
	d->x = d->x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(d->x >> 33) % n;
}

static json_t *trilingual(const char *const v[NLANGS])
{
	return json_pack("{s:s, s:s, s:s}", "en", v[0], "fr", v[1], "es", v[2]);
}

static int add_bodies(demo *d)
{
	for (size_t i = 0; i < COUNT(demo_bodies); i++) {
		const demo_body *b = &demo_bodies[i];
		if (bulk_add(&d->b, "bodies", json_pack("{s:s, s:s, s:o, s:i, s:i, s:i}", "series", b->series, "type", b->type,
							 "name", trilingual(b->name), "notice_days", b->notice,
							 "special_notice_days", b->special, "documents_due_weeks",
							 b->weeks)) < 0)
			return -1;
	}
	return 0;
}

/* Session k, every four months from June 2024: those before December 2026 held and reported. */
static int64_t add_session(demo *d, size_t k, const demo_body *body, int number, int64_t *first_item)
{
	char from[32], to[32];
	unsigned month = 5 + 4 * (unsigned)(k % 10000);  /* from 0: June 2024 is 5 */
	snprintf(from, sizeof from, "%04u-%02u-10", 2024 + month / 12, month % 12 + 1);
	snprintf(to, sizeof to, "%04u-%02u-12", 2024 + month / 12, month % 12 + 1);
	const char *status = strcmp(from, "2026-12-01") < 0 ? "report_adopted" : k % 2 ? "convened" : "planned";
	char num[12];
	snprintf(num, sizeof num, "%d", number);
	int64_t id = bulk_add(&d->b, "sessions", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "body",
							   body->series, "number", num, "starts_on", from, "ends_on", to, "venue",
							   "Geneva", "time_zone", "Europe/Zurich", "opens_at", "10:00", "closes_at",
							   "18:00", "status", status, "open_to", "member_states"));
	for (size_t i = 0; id > 0 && i < COUNT(items); i++) {
		char n[8];
		snprintf(n, sizeof n, "%zu", i + 1);
		int64_t item = bulk_add(&d->b, "agenda-items", json_pack("{s:I, s:s, s:o}", "session", (json_int_t)id,
									  "number", n, "title", trilingual(items[i])));
		if (item < 0)
			return -1;
		if (i == 0)
			*first_item = item;
	}
	return id;
}

/* A version's text: paragraphs of the language's sentences, each with one on the document's topic. */
static char *version_text(demo *d, int lang, unsigned topic, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (int p = 0; p < 6 && len < size; p++) {
		const char *a = sentences[lang][pick(d, 8)];
		char about[200];
		snprintf(about, sizeof about, on_topic[lang][pick(d, 3)], topics[topic][lang]);
		len += (size_t)snprintf(out + len, size - len, "%s%s %s", p ? "\n" : "", a, about);
	}
	return out;
}

static int add_versions(demo *d, int64_t doc, int held, long *left)
{
	char text[2048];
	unsigned topic = pick(d, COUNT(topics));
	for (int l = 0; l < NLANGS && *left > 0; l++, (*left)--) {
		const char *status = held ? "published" : version_states[pick(d, COUNT(version_states))];
		version_text(d, l, topic, text, sizeof text);
		if (bulk_add(&d->b, "document-versions",
			     json_pack("{s:I, s:s, s:s, s:s, s:I}", "document", (json_int_t)doc, "language", registry_langs[l],
				       "status", status, "text", text, "word_count", (json_int_t)(strlen(text) / 6))) < 0)
			return -1;
	}
	return 0;
}

/* Documents of a session: drafts (L) every fifth, a revision of every seventh. */
static int add_documents(demo *d, const demo_body *body, int number, int64_t first_item, int held, long ndocs,
			 long *left)
{
	for (long n = 1; n <= ndocs && *left > 0; n++) {
		char symbol[64];
		snprintf(symbol, sizeof symbol, "%s/%d/%s%ld%s", body->series, number, n % 5 ? "" : "L/", n,
			 n % 7 ? "" : "/Rev.1");
		int64_t doc = bulk_add(&d->b, "documents",
				       json_pack("{s:s, s:o, s:s, s:s, s:I}", "symbol", symbol, "title",
						 trilingual(titles[pick(d, COUNT(titles))]), "original_language", "en",
						 "distribution", pick(d, 4) ? "public" : "member_states", "agenda_item",
						 (json_int_t)(first_item + pick(d, COUNT(items)))));
		if (doc < 0 || add_versions(d, doc, held, left))
			return -1;
	}
	return 0;
}

int governance_demo(store *st, const registry *reg, long versions, char *err, size_t errlen)
{
	demo d = { .x = 20261207 };
	bulk_begin(&d.b, st, reg, &demo_user, 20000);
	int rc = add_bodies(&d);
	long left = versions;
	for (size_t k = 0; rc == 0 && left > 0; k++) {
		const demo_body *body = &demo_bodies[k % COUNT(demo_bodies)];
		int number = 100 + (int)(k / COUNT(demo_bodies));
		int64_t first_item = 0;
		int64_t session = add_session(&d, k, body, number, &first_item);
		long ndocs = k == 0 ? 500 : 100;
		rc = session < 0 || add_documents(&d, body, number, first_item, k < 8, ndocs, &left);
	}
	if (bulk_end(&d.b, rc == 0))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "demo documents stopped: %s", d.b.err);
	return rc;
}

int governance_demo_present(store *st, char *why, size_t whylen)
{
	int64_t n = store_rows(st, "bodies");
	snprintf(why, whylen, "The database already has %lld governing bodies; demo documents go only where there are none.",
		 (long long)n);
	return n < 0 ? -1 : n > 0;
}
