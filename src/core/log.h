/*
 * log — one JSON object per line on standard error.
 *
 * Operators feed these lines to whatever collects logs; one line per event,
 * never a multi-line message, so a grep or a log shipper never splits one.
 */
#ifndef LIAISON_LOG_H
#define LIAISON_LOG_H

#include <stdint.h>

void log_request(const char *method, const char *path, int status, uint64_t bytes,
		 uint64_t micros, const char *user);
void log_event(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_quiet(int quiet);  /* tests silence the request log */

#endif
