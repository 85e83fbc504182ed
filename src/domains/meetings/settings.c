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

/* A whole number from lo to hi at name in o, when it is there; 0, or -1 with err. */
static int number(json_t *o, const char *name, int lo, int hi, int *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, name);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(err, errlen, "meetings.%s must be a whole number from %d to %d", name, lo, hi);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

int meetings_configure(const char *path, char *err, size_t errlen)
{
	meetings_config c = DEFAULTS;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	json_t *o = json_object_get(root, "meetings");
	int rc = number(o, "alert_days", 0, 365, &c.alert_days, err, errlen) ||
		 number(o, "report_days", 0, 365, &c.report_days, err, errlen) ||
		 number(o, "high", -100000, 100000, &c.high, err, errlen) ||
		 number(o, "medium", -100000, 100000, &c.medium, err, errlen) ? -1 : 0;
	if (rc == 0 && c.medium > c.high) {
		snprintf(err, errlen, "meetings.medium (%d) must not be above meetings.high (%d)", c.medium, c.high);
		rc = -1;
	}
	if (rc == 0)
		config = c;
	json_decref(root);
	return rc;
}
