/*
 * log — JSON log lines.  A whole line is built in memory and written with a
 * single write(2), so lines from concurrent threads never interleave.
 */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"

static atomic_int quiet;

void log_quiet(int q) { atomic_store(&quiet, q); }

static void emit(buf *b)
{
	buf_puts(b, "}\n");
	ssize_t off = 0;
	while ((size_t)off < b->len) {
		ssize_t n = write(2, b->data + off, b->len - (size_t)off);
		if (n <= 0)
			break;
		off += n;
	}
	buf_free(b);
}

static void start(buf *b)
{
	char now[32];
	clock_now_iso(now);
	buf_puts(b, "{\"time\":");
	buf_json_cstr(b, now);
}

void log_request(const char *method, const char *path, int status, uint64_t bytes,
		 uint64_t micros, const char *user)
{
	if (atomic_load(&quiet))
		return;
	buf b = BUF_INIT;
	start(&b);
	buf_puts(&b, ",\"method\":");
	buf_json_cstr(&b, method);
	buf_puts(&b, ",\"path\":");
	buf_json_cstr(&b, path);
	buf_printf(&b, ",\"status\":%d,\"bytes\":%llu,\"micros\":%llu,\"user\":", status,
		   (unsigned long long)bytes, (unsigned long long)micros);
	buf_json_cstr(&b, user);
	emit(&b);
}

void log_event(const char *level, const char *fmt, ...)
{
	buf msg = BUF_INIT, b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	start(&b);
	buf_puts(&b, ",\"level\":");
	buf_json_cstr(&b, level);
	buf_puts(&b, ",\"message\":");
	buf_json_str(&b, buf_str(&msg), msg.len);
	buf_free(&msg);
	emit(&b);
}
