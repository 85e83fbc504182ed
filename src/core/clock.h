/*
 * clock — the calendar facts Liaison stores: dates (YYYY-MM-DD) and UTC
 * times (YYYY-MM-DDThh:mm:ssZ), as API.md fixes them, and a monotonic
 * microsecond clock for measuring.
 */
#ifndef LIAISON_CLOCK_H
#define LIAISON_CLOCK_H

#include <stdint.h>
#include <time.h>

void clock_now_iso(char out[32]);               /* current UTC time, seconds precision */
void clock_iso(time_t t, char out[32]);
uint64_t clock_micros(void);                    /* monotonic */
int clock_valid_date(const char *s);            /* 1 when s is a real calendar date YYYY-MM-DD */
int clock_valid_time(const char *s);            /* 1 when s is YYYY-MM-DDThh:mm:ssZ and real */
int clock_parse_time(const char *s, time_t *t); /* 0 ok */
/* A date as days since 1970-01-01, and back: what date arithmetic (a
 * notice period, a deadlines weeks before) needs.  0, or -1 when s is no date. */
int clock_date_days(const char *s, int64_t *days);
void clock_days_date(int64_t days, char out[11]);
int clock_add_days(const char *day, int64_t n, char out[11]);  /* day + n days; 0, or -1 when day is no date */

#endif
