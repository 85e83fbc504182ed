/*
 * auditheads — write and read heads files (see auditheads.h).
 *
 * A line is written with one write(2) on a file opened O_APPEND, so the
 * server and a backup recording at the same moment never mix their lines,
 * and fsync'ed, so that a head the log reports is on the disk.
 */
#include "model/auditheads.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"

char *audit_heads_path(const char *db_path)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s-heads", db_path);
	return buf_steal(&b);
}

int audit_heads_write(const char *path, const audit_head *h, const char *what, int append, char *err, size_t errlen)
{
	char now[32], line[160];
	clock_now_iso(now);
	int n = snprintf(line, sizeof line, "%s %" PRId64 ":%s %s\n", now, h->seq, h->hash, what);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0640);
	if (fd < 0 || write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write the audit head to %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "cannot write the audit head to %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int audit_heads_record(store *s, const char *path, const char *what, audit_head *out, char *err, size_t errlen)
{
	if (audit_head_of(s, out)) {
		snprintf(err, errlen, "cannot read the audit log of %s", store_path(s));
		return -1;
	}
	return audit_heads_write(path, out, what, 1, err, errlen);
}

int audit_heads_add(audit_heads *list, const audit_head *h)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;
		audit_head *more = realloc(list->v, cap * sizeof *more);
		if (!more)
			return -1;
		list->v = more;
		list->cap = cap;
	}
	list->v[list->n++] = *h;
	return 0;
}

void audit_heads_free(audit_heads *list)
{
	free(list->v);
	*list = (audit_heads){ 0 };
}

/* "TIME SEQ:HASH WHAT" (WHAT optional): 0 and *h, or -1. */
static int parse_line(char *line, audit_head *h)
{
	line[strcspn(line, "\n")] = '\0';
	char *head = strchr(line, ' ');
	if (!head)
		return -1;
	*head++ = '\0';
	char *what = strchr(head, ' ');
	if (what)
		*what++ = '\0';
	if (!clock_valid_time(line) || audit_head_parse(head, h))
		return -1;
	if (what && *what)
		snprintf(h->origin, sizeof h->origin, "recorded on %s (%.40s)", line, what);
	else
		snprintf(h->origin, sizeof h->origin, "recorded on %s", line);
	return 0;
}

int audit_heads_read(const char *path, int missing_ok, audit_heads *list, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && missing_ok)
			return 0;
		snprintf(err, errlen, "cannot read the heads file %s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	long number = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		audit_head h;
		number++;
		if (parse_line(line, &h)) {
			snprintf(err, errlen, "%s:%ld: not a head (TIME SEQ:HASH WHAT): the file was damaged or altered", path,
				 number);
			rc = -1;
		} else if (audit_heads_add(list, &h)) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "cannot read the heads file %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}
