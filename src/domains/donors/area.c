/*
 * donors — donor relations: donors and their priorities, programmes, appeals, pledges, contributions
 * and their allocation, reporting deadlines, exchange rates. The area's table: its kinds of record,
 * routes, pages, roles, figures, periodic passes, settings and first records, whatever it has of
 * them (domains.h). domains.c lists the areas; nothing else names this area's parts.
 */
#include "domains/domains.h"
#include "domains/donors/donors.h"

static const periodic_pass passes[] = {
	{ "donor-reminders", donors_reminder_pass },
};

const area donors_area = {
	.name = "donors",
	.kinds = (const entity_def *const[]){ &donor_profiles, &programmes, &appeals, &appeal_requirements, &appeal_submissions,
					      &pledges, &instalments, &contributions, &allocations, &reporting_deadlines,
					      &exchange_rates, NULL },
	.roles = (const system_role *const[]){ &reminders_role, NULL },
	.passes = passes, .npasses = COUNT(passes),
	.configure = donors_configure,
};
