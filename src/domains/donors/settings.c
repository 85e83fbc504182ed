/*
 * settings — the donor relations area's numbers, the "donors" member of the
 * file `liaison serve --config` (and `liaison pass --config`) reads:
 *
 *   "donors": {"reminder_days": 14, "iati": {...}}   (the "iati" member: iatiout.c)
 *
 * Read once at start, before any thread, like the meetings' settings.
 */
#include <stdio.h>

#include "domains/donors/donors.h"
#include "formats/jsonfile.h"

#define DEFAULTS { .reminder_days = 14 }

static donors_config config = DEFAULTS;

const donors_config *donors_settings(void) { return &config; }

int donors_configure(const char *path, char *err, size_t errlen)
{
	donors_config c = DEFAULTS;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	json_t *o = json_object_get(root, "donors");
	int rc = json_file_int(o, "donors", "reminder_days", 0, 365, &c.reminder_days, err, errlen) ||
		 iati_configure(path, err, errlen);   /* its "iati" member: the publisher of the programmes */
	if (rc == 0)
		config = c;
	json_decref(root);
	return rc ? -1 : 0;
}
