/*
 * demowords — the demo's word lists (see demowords.h).  Every name made of
 * them is invented.
 */
#include "domains/partners/demowords.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))

const demo_tri demo_bodies[] = {
	{ "Council", "Conseil", "Consejo" }, { "Association", "Association", "Asociación" },
	{ "Network", "Réseau", "Red" }, { "Institute", "Institut", "Instituto" },
	{ "Foundation", "Fondation", "Fundación" }, { "Agency", "Agence", "Agencia" },
	{ "Ministry", "Ministère", "Ministerio" }, { "Office", "Bureau", "Oficina" },
	{ "Centre", "Centre", "Centro" }, { "Forum", "Forum", "Foro" },
	{ "Commission", "Commission", "Comisión" }, { "Observatory", "Observatoire", "Observatorio" },
};

const demo_tri demo_topics[] = {
	{ "Migration", "des migrations", "de Migración" },
	{ "Labour Mobility", "de la mobilité de la main-d'œuvre", "de Movilidad Laboral" },
	{ "Refugee Protection", "de la protection des réfugiés", "de Protección de Refugiados" },
	{ "Diaspora Affairs", "des affaires de la diaspora", "de Asuntos de la Diáspora" },
	{ "Border Management", "de la gestion des frontières", "de Gestión de Fronteras" },
	{ "Integration", "de l'intégration", "de Integración" },
	{ "Climate Mobility", "de la mobilité climatique", "de Movilidad Climática" },
	{ "Health and Migration", "de la santé et des migrations", "de Salud y Migración" },
	{ "Migrant Workers", "des travailleurs migrants", "de Trabajadores Migrantes" },
	{ "Return and Reintegration", "du retour et de la réintégration", "de Retorno y Reintegración" },
	{ "Remittances", "des envois de fonds", "de Remesas" },
	{ "Human Mobility Research", "de recherche sur la mobilité humaine", "de Investigación sobre Movilidad Humana" },
	{ "Asylum", "de l'asile", "de Asilo" },
	{ "Consular Affairs", "des affaires consulaires", "de Asuntos Consulares" },
	{ "Urban Migration", "des migrations urbaines", "de Migración Urbana" },
	{ "Counter-Trafficking", "de la lutte contre la traite", "contra la Trata" },
};

const char *const demo_places_start[] = { "Val", "Nor", "Cas", "Mir", "Ost", "Bel", "Tor", "Lun", "Sar", "Qua",
				     "Ema", "Rio", "Kel", "Dar", "Fen", "Gal", "Hal", "Ist", "Jor", "Lom" };
const char *const demo_places_end[] = { "doria", "lande", "terra", "aval", "rena", "mont", "vik", "bara", "quesa",
				    "ovia", "stad", "nesia", "polis", "ria", "grad" };
const char *const demo_given[] = { "Amina", "Tomás", "Léa", "Kwame", "Sofía", "Rahul", "Ingrid", "Yusuf",
				     "Mei", "Olumide", "Camille", "Diego", "Hana", "Pierre", "Lucía", "Arjun",
				     "Zanele", "Mateo", "Nadia", "Émile", "Chiara", "Tenzin", "Farah", "Joaquín" };
const char *const demo_family[] = { "Okonkwo", "Ferreira", "Lindqvist", "Haddad", "Moreau", "Castellanos",
				      "Nakamura", "Abebe", "Rossi", "Kowalczyk", "Ndiaye", "Duarte", "Petrov",
				      "Achterberg", "Benali", "Quispe", "Laurent", "Osei", "Varga", "Mbeki-Tanaka",
				      "Delacroix", "Ibarra", "Sørensen", "Al-Masri" };

const size_t demo_nbodies = COUNT(demo_bodies), demo_ntopics = COUNT(demo_topics),
	     demo_nplaces_start = COUNT(demo_places_start), demo_nplaces_end = COUNT(demo_places_end),
	     demo_ngiven = COUNT(demo_given), demo_nfamily = COUNT(demo_family);
