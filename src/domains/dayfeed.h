/*
 * dayfeed — an area's records of whole days (meetings, sessions) as an
 * iCalendar subscription in one language: METHOD:PUBLISH, one all-day
 * event per record from its first day to the day after its last, read as
 * the caller reads the kind's list, so access decides what it holds.
 */
#ifndef LIAISON_DAYFEED_H
#define LIAISON_DAYFEED_H

#include "formats/ical.h"
#include "http/http.h"
#include "model/model.h"

/* A record as an event in lang, strings in m's arena: 0, or -1 to leave it out. */
typedef int (*day_event_fn)(model_ctx *m, json_t *rec, int lang, ical_event *ev);

typedef struct day_feed {
	const char *kind;         /* "meetings" */
	const char *first_day;    /* its first day's field: the feed holds the records from 90 days back on */
	const char *name;         /* the calendar's name, in English, translated by the catalogs */
	const char *file;         /* "meetings": the answer is named meetings-fr.ics */
	day_event_fn event;
} day_feed;

/* Midnight UTC of a YYYY-MM-DD day, n days on; 0 when it is no day. */
int64_t day_feed_midnight(const char *day, int n);
/* A multilingual value in lang, else in the first language it has, else "". */
const char *day_feed_in_lang(json_t *v, int lang);
/* Answers the feed as reader reads it, in ?lang= or the reader's language; the
 * records are those of the list filtered by field = value (field NULL: all). */
void day_feed_answer(request *r, const user *reader, const day_feed *f, const char *field, const char *value);

#endif
