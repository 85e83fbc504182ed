/*
 * donors — donor relations: donors and their priorities, programmes, appeals, pledges, contributions
 * and their allocation, reporting deadlines, exchange rates. The area's table: its kinds of record,
 * routes, pages, roles, figures, periodic passes, settings and first records, whatever it has of
 * them (domains.h). domains.c lists the areas; nothing else names this area's parts.
 */
#include "domains/domains.h"
#include "domains/donors/donors.h"

const area donors_area = {
	.name = "donors",
	.kinds = (const entity_def *const[]){ &donor_profiles, &programmes, &appeals, &appeal_requirements, &appeal_submissions,
					      &pledges, &instalments, &contributions, &allocations, &reporting_deadlines,
					      &exchange_rates, NULL },
};
