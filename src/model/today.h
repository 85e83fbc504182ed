/*
 * today — the date it is now where the installation works, for the dates a
 * new record takes when it gives none (a field flagged TODAY).
 */
#ifndef LIAISON_TODAY_H
#define LIAISON_TODAY_H

#include "formats/tzif.h"

/* The installation's zone, once before serving (the desk calendar's); it
 * must stay loaded while in use.  NULL, or never set: UTC. */
void today_zone(const tz *zone);
/* Today as YYYY-MM-DD in that zone. */
void today_date(char out[11]);

#endif
