/*
 * gauges — the desk's figures on /metrics, read when scraped: inquiries
 * open and overdue, replies whose delivery failed, and the messages that
 * could not be read, waiting in the Maildir's quarantine.  The conditions
 * are those of the queue (routes.c) and the numbers (numbers.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domains/inquiries/inquiries.h"

static int count(store *st, const char *table, const store_cond *where, int n, double *value)
{
	store_conn *c = store_reader(st);
	int64_t k = 0;
	if (!c || store_count(c, table, where, n, &k) != STORE_OK)
		return -1;
	*value = (double)k;
	return 0;
}

int desk_gauge_open(store *st, double *value)
{
	store_cond w[] = { COND_EQ("archived", SV_INT_(0)), COND("status", OP_NE, sv_text("closed")) };
	return count(st, "inquiries", w, 2, value);
}

int desk_gauge_overdue(store *st, double *value)
{
	char now[32];
	clock_now_iso(now);
	store_cond w[] = { COND_EQ("archived", SV_INT_(0)), COND("status", OP_NE, sv_text("closed")),
			   COND("resolution_due", OP_LT, sv_text(now)) };
	return count(st, "inquiries", w, 3, value);
}

int desk_gauge_failed_deliveries(store *st, double *value)
{
	store_cond w[] = { COND_EQ("archived", SV_INT_(0)), COND_EQ("delivery", sv_text("failed")) };
	return count(st, "inquiry_messages", w, 2, value);
}

/* The files of DIR/quarantine but their .reason notes (see mailin.c). */
int desk_gauge_quarantined(store *st, double *value)
{
	(void)st;
	const char *maildir = desk()->maildir;
	if (!*maildir)
		return -1; /* no Maildir is read by this server */
	char path[600];
	snprintf(path, sizeof path, "%s/quarantine", maildir);
	DIR *d = opendir(path);
	*value = 0;
	if (!d)
		return errno == ENOENT ? 0 : -1; /* nothing was ever quarantined */
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		*value += e->d_name[0] != '.' && !(n > 7 && strcmp(e->d_name + n - 7, ".reason") == 0);
	}
	closedir(d);
	return 0;
}
