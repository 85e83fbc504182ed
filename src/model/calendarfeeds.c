/*
 * calendarfeeds — see calendarfeeds.h.
 *
 * One row per link (table calendar_feeds, migration 012): a user's, or a
 * division's, never both.  Renewing updates the row's hash in place (or
 * makes the row), so an owner never has two links at once, and the old
 * secret stops matching in the same commit.
 */
#include "model/calendarfeeds.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/errmsg.h"
#include "model/audit.h"

static store_cond owner_cond(const account *a, feed_owner kind)
{
	return kind == FEED_USER ? COND_EQ("user_id", SV_INT_(a->u.id)) : COND_EQ("division", sv_text(a->division));
}

int calendar_feed_renew(store *s, const user *who, const account *owner, feed_owner kind, char secret[65], char *err,
			size_t errlen)
{
	if (kind == FEED_DIVISION && !owner->division[0])
		return errmsg(err, errlen, "%s belongs to no division", owner->name);
	char hash[65], now[32];
	secret_random(secret);
	secret_hash(secret, hash);
	clock_now_iso(now);
	store_conn *c = store_begin(s);
	if (!c)
		return errmsg(err, errlen, "the database is busy; try again");
	static const char *const cols[] = { "secret_hash", "created_at", "created_by", "user_id", "division" };
	store_value v[] = { sv_text(hash), sv_text(now), who->id > 0 ? SV_INT_(who->id) : SV_NUL,
			    kind == FEED_USER ? SV_INT_(owner->u.id) : SV_NUL,
			    kind == FEED_DIVISION ? sv_text(owner->division) : SV_NUL };
	store_cond w = owner_cond(owner, kind);
	int changed = 0;
	int rc = store_update(c, "calendar_feeds", cols, v, 3, &w, 1, &changed);
	if (rc == STORE_OK && !changed)
		rc = store_insert(c, "calendar_feeds", cols, v, 5, NULL);
	char changes[64] = "{}";
	if (kind == FEED_DIVISION)
		snprintf(changes, sizeof changes, "{\"division\":{\"after\":\"%s\"}}", owner->division);
	if (rc != STORE_OK || audit_append(c, who, kind == FEED_USER ? "calendar-link" : "division-calendar-link", "users",
					   owner->u.id, 0, changes)) {
		store_rollback(c);
		return errmsg(err, errlen, "the link could not be made");
	}
	if (store_commit(c) != STORE_OK)
		return errmsg(err, errlen, "the link could not be committed");
	return 0;
}

typedef struct found_feed {
	calendar_feed *f;
	int found;
} found_feed;

static int take_feed(void *ctx, store_row *row)
{
	found_feed *ff = ctx;
	calendar_feed *f = ff->f;
	memset(f, 0, sizeof *f);
	f->owner = store_isnull(row, 0) ? FEED_DIVISION : FEED_USER;
	f->user_id = store_int(row, 0);
	snprintf(f->division, sizeof f->division, "%s", store_isnull(row, 1) ? "" : store_text(row, 1, NULL));
	snprintf(f->created_at, sizeof f->created_at, "%s", store_text(row, 2, NULL));
	ff->found = 1;
	return 1;
}

static int feed_where(store *s, store_cond w, calendar_feed *out)
{
	static const char *const cols[] = { "user_id", "division", "created_at" };
	store_select q = { .table = "calendar_feeds", .cols = cols, .ncols = 3, .where = &w, .nwhere = 1 };
	found_feed ff = { out, 0 };
	store_conn *c = store_reader(s);
	if (!c || store_query(c, &q, take_feed, &ff) != STORE_OK)
		return -1;
	return ff.found;
}

int calendar_feed_get(store *s, const account *owner, feed_owner kind, calendar_feed *out)
{
	if (kind == FEED_DIVISION && !owner->division[0])
		return 0;
	return feed_where(s, owner_cond(owner, kind), out);
}

/* Only what could be a secret is looked up: 64 hex digits. */
int calendar_feed_reader(store *s, const calendar_feed *f, account *acct)
{
	if (f->owner == FEED_USER)
		return accounts_by_id(s, f->user_id, acct);
	memset(acct, 0, sizeof *acct);
	snprintf(acct->division, sizeof acct->division, "%s", f->division);
	snprintf(acct->name, sizeof acct->name, "%s", f->division);
	snprintf(acct->language, sizeof acct->language, "en");
	acct->u = (user){ .id = 0, .role = ROLE_VIEWER, .division = acct->division, .language = acct->language };
	return 0;
}

int calendar_feed_secret(const char *file, char secret[65])
{
	if (strlen(file) != 68 || strcmp(file + 64, ".ics") != 0)
		return -1;
	memcpy(secret, file, 64);
	secret[64] = '\0';
	return 0;
}

int calendar_feed_find(store *s, const char *secret, calendar_feed *out)
{
	char hash[65];
	if (!secret || strlen(secret) != 64 || strspn(secret, "0123456789abcdef") != 64)
		return -1;
	secret_hash(secret, hash);
	return feed_where(s, COND_EQ("secret_hash", sv_text(hash)), out) == 1 ? 0 : -1;
}
