/*
 * fuzz_heads — what `liaison audit verify` reads besides the database
 * (src/model/auditheads.c, audit_head_parse in audit.c): a heads file of
 * any bytes, and the same bytes, to their first NUL, as a --head argument.
 * A file is read whole or refused with the line it stopped at; every head
 * read is a sequence number and 64 lowercase hexadecimal digits with where
 * it came from; a head accepted as an argument is written back as it was
 * read.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/auditheads.h"
#include "oracle.h"

ORACLE static void check_head(const audit_head *h)
{
	if (h->seq < 0 || strlen(h->hash) != 64 || strspn(h->hash, "0123456789abcdef") != 64)
		abort();
}

static void read_file(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/liaison-fuzz-heads-XXXXXX";
	static int fd = -1;
	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	audit_heads list = { 0 };
	char err[300] = "";
	if (audit_heads_read(path, 0, &list, err, sizeof err) == 0) {
		for (size_t i = 0; i < list.n; i++) {
			check_head(&list.v[i]);
			if (strncmp(list.v[i].origin, "recorded on ", 12) != 0)
				abort();
		}
	} else if (strncmp(err, path, strlen(path)) != 0) {
		abort();   /* a refusal names the file and its line */
	}
	audit_heads_free(&list);
}

ORACLE static void parse_argument(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	audit_head h, again;
	if (audit_head_parse(text, &h) == 0) {
		check_head(&h);
		char back[96];
		snprintf(back, sizeof back, "%" PRId64 ":%s", h.seq, h.hash);
		if (audit_head_parse(back, &again) || again.seq != h.seq || strcmp(again.hash, h.hash) != 0)
			abort();
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_file(data, size);
	parse_argument(data, size);
	return 0;
}
