/*
 * meetings — the front office's tracker of international meetings that
 * others organize (UN bodies, the GFMD, Regional Consultative Processes,
 * regional organizations): which matter, by rules written as data, and who
 * represents the organization there, at what level, with a report after.
 *
 *   entities.c   the kinds: meetings, meeting-priority-rules, representations
 *   priority.c   a meeting's score, its explanation, and re-scoring when a rule changes
 *   alerts.c     the lists behind the home counts, and the pass that mails the alerts
 *   feed.c       the tracker as an iCalendar subscription, one per language
 *   pages.c      the meeting's page: its priority said in the reader's language, the gap
 *   settings.c   the days and thresholds (the "meetings" member of --config)
 */
#ifndef LIAISON_MEETINGS_H
#define LIAISON_MEETINGS_H

#include <time.h>

#include "http/http.h"
#include "model/registry.h"

extern const entity_def meetings, meeting_priority_rules, representations;
extern const char *const meeting_levels[], *const meeting_level_labels[];
extern const char *const meeting_priorities[], *const meeting_priority_labels[];

/* The tracker's own system role: the alerts pass, which reads every meeting
 * and representation to find those to alert about. */
#define ROLE_ALERTS (ROLE_SYSTEM + 1)
#define WHO_ALERTS ROLE_BIT(ROLE_ALERTS)
extern const system_role alerts_role;

/* ---- settings (settings.c) ---- */
typedef struct meetings_config {
	int alert_days;     /* a high-priority meeting this close with nobody confirmed is alerted */
	int report_days;    /* a report is due this many days after the meeting's last day */
	int high, medium;   /* a score from high up is high priority, from medium up medium, else low */
} meetings_config;
/* The "meetings" member of the JSON file at path (NULL: the defaults);
 * 0, or -1 with one line in err and the settings left as they were. */
int meetings_configure(const char *path, char *err, size_t errlen);
const meetings_config *meetings_settings(void);

/* ---- priority (priority.c) ---- */
/* A meeting's score, its priority and the facts of each rule that matched,
 * computed from the active rules into the record (its validate step). */
int meetings_score(model_ctx *m, store_conn *c, record *meeting);
/* A rule was written: every meeting scored again, in the same transaction. */
int meetings_rescore_all(model_ctx *m, store_conn *c, const entity *e, record *rule);

/* ---- alerts (alerts.c) ---- */
extern const list_view meeting_views[], representation_views[];
extern const home_count meeting_counts[], representation_counts[];
/* One pass of the alerts at now: mail queued, and stamped so that it goes
 * once.  How many alerts were queued, or -1 with err. */
int meetings_alert_pass(store *st, const registry *reg, time_t now, char *err, size_t errlen);

/* ---- routes ---- */
void meetings_feed(request *r);   /* GET /api/v1/meetings/calendar.ics?lang= */
void meetings_feed_by_link(request *r);   /* GET /api/v1/meetings/calendar/{secret}.ics?lang= */
void meeting_page(request *r);    /* GET /meetings/{id} */

/* Invented meetings, rules and representations (demo.c). */
int meetings_demo(store *st, const registry *reg, char *err, size_t errlen);

#endif
