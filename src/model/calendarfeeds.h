/*
 * calendarfeeds — the secret links people subscribe to from a calendar
 * program: one for each user and one for each division.
 *
 * A link is its own credential (a calendar program sends no other), so it
 * is treated like an API token: 256 random bits, only their hash kept,
 * shown once when made, and renewing it ends the one before.  What a link
 * serves is the area's business (it registers the route that reads
 * CALENDAR_FEED_PATH); here is only whose link a secret is.
 */
#ifndef LIAISON_CALENDARFEEDS_H
#define LIAISON_CALENDARFEEDS_H

#include "model/accounts.h"

/* Where a link points, with its secret in place of %s. */
#define CALENDAR_FEED_PATH "/api/v1/calendar/%s.ics"

typedef enum feed_owner { FEED_USER, FEED_DIVISION } feed_owner;

typedef struct calendar_feed {
	feed_owner owner;
	int64_t user_id;        /* FEED_USER: whose */
	char division[8];       /* FEED_DIVISION: which */
	char created_at[32];
} calendar_feed;

/* A new link for the user (FEED_USER) or the user's division, ending the
 * one before, written with its audit entry by who; the secret (64 hex
 * digits) into secret.  0, or -1 with a reason. */
int calendar_feed_renew(store *s, const user *who, const account *owner, feed_owner kind, char secret[65], char *err,
			size_t errlen);
/* Whether the user's (or the user's division's) link exists: 1 and *out
 * filled, 0 when none was made, -1 when the store cannot say. */
int calendar_feed_get(store *s, const account *owner, feed_owner kind, calendar_feed *out);
/* Whose link secret is: 0 and *out filled, -1 when no link has it. */
int calendar_feed_find(store *s, const char *secret, calendar_feed *out);
/* Who reads the calendar of a link, as whom the area asks the model: the
 * user's account (in acct), or for a division's link a viewer of the
 * division who holds no grant (a confidential record never reaches a
 * division's calendar, since not everyone in it may read it).  0, or -1
 * when the user's account is gone (archived): the link ends with them. */
int calendar_feed_reader(store *s, const calendar_feed *f, account *acct);
/* The link's secret from the last part of a path, "{64 hex digits}.ics",
 * into secret; -1 when it is not one. */
int calendar_feed_secret(const char *file, char secret[65]);

#endif
