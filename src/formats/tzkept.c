/*
 * tzkept — time zones loaded once and kept for the life of the process:
 * the few dozen a department uses (its users', its sessions' venues), so a
 * page or a calendar pays a look-up, not a file read.  See tz_kept in
 * tzif.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "formats/tzif.h"

#define ZONES_KEPT 64

static struct {
	char name[64];
	tz *zone;
} kept[ZONES_KEPT];
static size_t nkept;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

const tz *tz_kept(const char *name)
{
	const tz *found = NULL;
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < nkept && !found; i++)
		if (strcmp(kept[i].name, name) == 0)
			found = kept[i].zone;
	if (!found && nkept < ZONES_KEPT && strlen(name) < sizeof kept[0].name) {
		char why[160];
		tz *z = NULL;
		if (tz_load(name, &z, why, sizeof why) == 0) {
			snprintf(kept[nkept].name, sizeof kept[nkept].name, "%s", name);
			kept[nkept++].zone = z;
			found = z;
		}
	}
	pthread_mutex_unlock(&kept_lock);
	return found;
}
