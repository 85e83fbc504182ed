/*
 * settings — the tracker's numbers, the "meetings" member of the file
 * `liaison serve --config` (and `liaison pass --config`) reads:
 *
 *   "meetings": {"alert_days": 14, "report_days": 14, "high": 60, "medium": 30}
 *
 * Read once at start, before any thread, like the desk's settings.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "formats/jsonfile.h"
#include "domains/meetings/meetings.h"

#define DEFAULTS { .alert_days = 14, .report_days = 14, .high = 60, .medium = 30 }

static meetings_config config = DEFAULTS;

const meetings_config *meetings_settings(void) { return &config; }

int meetings_configure(const char *path, char *err, size_t errlen)
{
	meetings_config c = DEFAULTS;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	json_t *o = json_object_get(root, "meetings");
	int rc = json_file_int(o, "meetings", "alert_days", 0, 365, &c.alert_days, err, errlen) ||
		 json_file_int(o, "meetings", "report_days", 0, 365, &c.report_days, err, errlen) ||
		 json_file_int(o, "meetings", "high", -100000, 100000, &c.high, err, errlen) ||
		 json_file_int(o, "meetings", "medium", -100000, 100000, &c.medium, err, errlen) ? -1 : 0;
	if (rc == 0 && c.medium > c.high) {
		snprintf(err, errlen, "meetings.medium (%d) must not be above meetings.high (%d)", c.medium, c.high);
		rc = -1;
	}
	if (rc == 0)
		config = c;
	json_decref(root);
	return rc;
}
