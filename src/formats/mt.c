/*
 * mt — Apertium's suggestions for a segment (see mt.h).
 *
 * What Apertium reads: the segment as HTML, its text escaped (& < >) and
 * each inline code replaced by an empty tag <cK/>, K its rank among the
 * segment's codes.  Apertium's HTML reader passes tags through as they are
 * ("superblanks") where its plain text reader translates "{name}" into
 * "{nombre}".  What comes back is read the other way: <cK/> becomes the
 * K-th code again, entities become their characters.
 *
 * The child: posix_spawnp, no shell; its standard error goes to /dev/null
 * (what matters is its exit status); a process group of its own, so that a
 * kill reaches every program of Apertium's pipeline; SIGPIPE back to its
 * default, which a server that ignores it would otherwise hand down.
 * This thread writes the text and reads the answer through non-blocking
 * pipes under poll, so a long text cannot fill both pipes and wait
 * forever, and blocks SIGPIPE meanwhile: Apertium dying before it read
 * everything is an error of the run, not the end of the server.
 */
#include "formats/mt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "formats/inline.h"

#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */

extern char **environ;

/* Apertium names its modes with two-letter codes in some pairs (fr-es)
 * and three-letter ones in others (eng-spa). */
static const struct {
	const char *code, *code3;
} languages[] = { { "en", "eng" }, { "fr", "fra" }, { "es", "spa" } };
#define PIVOT "es"

static int lang_index(const char *lang)
{
	for (size_t i = 0; lang && i < sizeof languages / sizeof *languages; i++)
		if (strcmp(lang, languages[i].code) == 0)
			return (int)i;
	return -1;
}

static const char *data_dir(const mt_options *o)
{
	return o && o->data_dir ? o->data_dir : MT_DATA_DIR;
}

/* The installed mode from a to b into mode (size bytes); 0 when none. */
static int find_mode(const mt_options *o, int a, int b, char *mode, size_t size)
{
	const char *names[2][2] = { { languages[a].code, languages[b].code }, { languages[a].code3, languages[b].code3 } };
	for (int i = 0; i < 2; i++) {
		char path[4096];
		snprintf(mode, size, "%s-%s", names[i][0], names[i][1]);
		snprintf(path, sizeof path, "%s/modes/%s.mode", data_dir(o), mode);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

/* The modes a translation runs through: one, or two through Spanish. */
typedef struct route {
	char mode[2][32];
	int steps;
} route;

static mt_error plan(const mt_options *o, const char *from, const char *to, route *r)
{
	int a = lang_index(from), b = lang_index(to), p = lang_index(PIVOT);
	if (a < 0 || b < 0 || a == b)
		return MT_LANGUAGE;
	r->steps = 1;
	if (find_mode(o, a, b, r->mode[0], sizeof r->mode[0]))
		return MT_OK;
	r->steps = 2;
	if (a != p && b != p && find_mode(o, a, p, r->mode[0], sizeof r->mode[0]) &&
	    find_mode(o, p, b, r->mode[1], sizeof r->mode[1]))
		return MT_OK;
	return MT_NO_PAIR;
}

mt_error mt_route(const mt_options *o, const char *from, const char *to, int *pivot)
{
	route r;
	mt_error e = plan(o, from, to, &r);
	if (pivot)
		*pivot = e == MT_OK && r.steps == 2;
	return e;
}

const char *mt_error_message(mt_error e)
{
	switch (e) {
	case MT_LANGUAGE: return N_("machine translation is between English, French and Spanish only");
	case MT_NO_PAIR: return N_("no machine translation is installed between these languages");
	case MT_UTF8: return N_("the text is not valid UTF-8");
	case MT_START: return N_("the machine translation program could not be started");
	case MT_TIMEOUT: return N_("the machine translation took too long");
	case MT_TOO_LONG: return N_("the machine translation was too long");
	case MT_FAILED: return N_("the machine translation program failed");
	default: return "";
	}
}

void mt_result_free(mt_result *r)
{
	free(r->text);
	*r = (mt_result){ 0 };
}

/* ---- the segment as Apertium reads it -------------------------------------- */

static void escape_text(buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		default: buf_putc(out, s[i]);
		}
	}
}

/* The segment as HTML, and its codes' pieces in order into codes. */
static void encode(buf *out, buf *codes, const char *s, size_t n)
{
	inline_piece p;
	size_t k = 0;
	for (size_t pos = 0; inline_next(s, n, &pos, &p);) {
		if (p.kind == INLINE_TEXT) {
			escape_text(out, s + p.off, p.len);
			continue;
		}
		buf_printf(out, "<c%zu/>", ++k);
		buf_add(codes, &p, sizeof p);
	}
}

/* A marker <cK/> at s[i]: K, and its length; 0 when there is none. */
static size_t marker_at(const char *s, size_t n, size_t i, size_t *k)
{
	size_t j = i + 2, v = 0;
	if (i + 2 >= n || s[i] != '<' || s[i + 1] != 'c')
		return 0;
	while (j < n && s[j] >= '0' && s[j] <= '9' && v < 100000)
		v = v * 10 + (size_t)(s[j++] - '0');
	if (j == i + 2 || j + 1 >= n || s[j] != '/' || s[j + 1] != '>')
		return 0;
	*k = v;
	return j + 2 - i;
}

static void put_utf8(buf *out, unsigned long cp)
{
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t len = utf8proc_encode_char((utf8proc_int32_t)cp, b);
	buf_add(out, b, (size_t)len);
}

/* An entity at s[i]: its character appended to out, and its length; 0
 * when what starts there is no entity Liaison knows (it stays as text). */
static size_t entity_at(buf *out, const char *s, size_t n, size_t i)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' } };
	for (size_t k = 0; k < sizeof named / sizeof *named; k++) {
		size_t len = strlen(named[k].name);
		if (i + len <= n && memcmp(s + i, named[k].name, len) == 0) {
			buf_putc(out, named[k].c);
			return len;
		}
	}
	if (i + 3 >= n || s[i + 1] != '#')
		return 0;
	int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
	size_t j = i + 2 + (size_t)hex, start = j;
	unsigned long cp = 0;
	while (j < n && j - start < 7 && (hex ? strchr("0123456789abcdefABCDEF", s[j]) != NULL : s[j] >= '0' && s[j] <= '9') && s[j])
		cp = cp * (hex ? 16 : 10) + (unsigned long)(s[j] <= '9' ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10), j++;
	if (j == start || j >= n || s[j] != ';' || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	put_utf8(out, cp);
	return j + 1 - i;
}

/* Apertium's answer as a segment again: markers back to their codes (each
 * once; those it lost at the end), entities to their characters. */
static void decode(buf *out, const char *s, size_t n, const char *src, const inline_piece *codes, size_t ncodes)
{
	char *placed = calloc(ncodes ? ncodes : 1, 1);
	if (!placed)
		abort();   /* as buf does: a server that cannot allocate this answers nothing */
	for (size_t i = 0, len, k; i < n; i += len) {
		if ((len = marker_at(s, n, i, &k))) {
			if (k >= 1 && k <= ncodes && !placed[k - 1]) {
				placed[k - 1] = 1;
				buf_add(out, src + codes[k - 1].off, codes[k - 1].len);
			}
		} else if (s[i] != '&' || !(len = entity_at(out, s, n, i))) {
			buf_putc(out, s[i]);
			len = 1;
		}
	}
	for (size_t k = 0; k < ncodes; k++)
		if (!placed[k])
			buf_add(out, src + codes[k].off, codes[k].len);
	free(placed);
}

/* ---- running Apertium ------------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int spawn(const mt_options *o, const char *mode, int in, int out, pid_t *pid)
{
	const char *program = o && o->program ? o->program : "apertium";
	char *argv[8];
	int argc = 0;
	argv[argc++] = (char *)program;
	argv[argc++] = "-d";
	argv[argc++] = (char *)data_dir(o);
	argv[argc++] = "-f";
	argv[argc++] = "html";
	if (!(o && o->mark_unknown))
		argv[argc++] = "-u";
	argv[argc++] = (char *)mode;
	argv[argc] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	sigset_t none, pipe_only;
	sigemptyset(&none);
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &pipe_only);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int rc = posix_spawnp(pid, program, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc == 0 ? 0 : -1;
}

/* The child's exit status, waiting at most until deadline; -1 when it had
 * to be killed. */
static int reap(pid_t pid, long long deadline)
{
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		if (r < 0 && errno != EINTR)
			return 0;   /* reaped elsewhere (SIGCHLD ignored): its output is all there is to judge */
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 2 * 1000 * 1000 }, NULL);
	}
}

/* Feeds in to the child's stdin (*to_child_fd, closed and set to -1 once
 * all is written) and reads its stdout into out until it closes it: MT_OK,
 * MT_TIMEOUT, MT_TOO_LONG or MT_FAILED. */
static mt_error exchange(int *to_child_fd, int from_child, const buf *in, buf *out, size_t limit, long long deadline)
{
	int to_child = *to_child_fd;
	size_t sent = 0;
	mt_error e = MT_OK;
	char chunk[8192];
	for (;;) {
		struct pollfd fds[2] = { { .fd = from_child, .events = POLLIN }, { .fd = to_child, .events = POLLOUT } };
		long long left = deadline - now_ms();
		if (left <= 0) {
			e = MT_TIMEOUT;
			break;
		}
		int nfds = to_child >= 0 ? 2 : 1;
		if (poll(fds, (nfds_t)nfds, (int)left) < 0 && errno != EINTR) {
			e = MT_FAILED;
			break;
		}
		if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(to_child, in->data + sent, in->len - sent);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR) {
				e = MT_FAILED;   /* it stopped reading: what it writes is not the whole text's */
				break;
			}
			if (sent == in->len) {
				close(to_child);   /* Apertium sees the end of the text */
				to_child = -1;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(from_child, chunk, sizeof chunk);
			if (r == 0) {
				if (to_child >= 0)
					e = MT_FAILED;   /* it ended before it took the whole text */
				break;
			}
			if (r > 0)
				buf_add(out, chunk, (size_t)r);
			if (out->len > limit) {
				e = MT_TOO_LONG;
				break;
			}
			if (r < 0 && errno != EAGAIN && errno != EINTR) {
				e = MT_FAILED;
				break;
			}
		}
	}
	*to_child_fd = to_child;   /* -1 once closed; the caller closes what is left */
	return e;
}

/* A SIGPIPE raised by a write of this thread is taken back before the
 * thread's old mask returns, so that it is never delivered. */
static void drop_pending_sigpipe(void)
{
	sigset_t pending, pipe_only;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_only, NULL, &(struct timespec){ 0, 0 });
}

/* One run of Apertium in mode over in, its answer into out. */
static mt_error run_mode(const mt_options *o, const char *mode, const buf *in, buf *out, long long deadline)
{
	int ip[2] = { -1, -1 }, op[2] = { -1, -1 };
	pid_t pid;
	mt_error e = MT_START;
	sigset_t pipe_only, old;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	if (pipe2(ip, O_CLOEXEC) < 0 || pipe2(op, O_CLOEXEC) < 0 || spawn(o, mode, ip[0], op[1], &pid) < 0)
		goto fail;
	close(ip[0]);
	close(op[1]);
	ip[0] = op[1] = -1;
	fcntl(ip[1], F_SETFL, O_NONBLOCK);
	fcntl(op[0], F_SETFL, O_NONBLOCK);
	e = exchange(&ip[1], op[0], in, out, o && o->output_max ? o->output_max : MT_OUTPUT_MAX, deadline);
	if (e != MT_OK)
		kill(-pid, SIGKILL);
	int status = reap(pid, deadline);
	if (e == MT_OK && status != 0)
		e = status < 0 ? MT_TIMEOUT : MT_FAILED;
fail:
	for (int i = 0; i < 2; i++) {
		if (ip[i] >= 0)
			close(ip[i]);
		if (op[i] >= 0)
			close(op[i]);
	}
	drop_pending_sigpipe();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

/* Where the text is no UTF-8, or holds a NUL (Apertium's programs
 * take NUL for the end of a block); n when it is clean. */
static size_t first_refused(const char *s, size_t n)
{
	size_t bad = utf8_check(s, n);
	const char *nul = memchr(s, '\0', bad);
	return nul ? (size_t)(nul - s) : bad;
}

mt_error mt_translate(const mt_options *o, const char *from, const char *to, const char *text, size_t n,
		      mt_result *out, size_t *at)
{
	*out = (mt_result){ 0 };
	if (at)
		*at = 0;
	route r;
	mt_error e = plan(o, from, to, &r);
	if (e != MT_OK)
		return e;
	size_t bad = first_refused(text, n);
	if (bad < n) {
		if (at)
			*at = bad;
		return MT_UTF8;
	}
	long long deadline = now_ms() + (o && o->timeout_ms > 0 ? o->timeout_ms : MT_TIMEOUT_MS);
	buf in = BUF_INIT, answer = BUF_INIT, codes = BUF_INIT, result = BUF_INIT;
	encode(&in, &codes, text, n);
	for (int step = 0; step < r.steps && e == MT_OK; step++) {
		buf_reset(&answer);
		e = run_mode(o, r.mode[step], &in, &answer, deadline);
		buf_reset(&in);
		buf_add(&in, answer.data ? answer.data : "", answer.len);   /* the next step reads this one's answer */
	}
	if (e == MT_OK) {
		decode(&result, in.data ? in.data : "", in.len, text, (const inline_piece *)(const void *)codes.data,
		       codes.len / sizeof(inline_piece));
		out->len = result.len;
		out->text = result.len ? buf_steal(&result) : strdup("");
		out->pivot = r.steps == 2;
		if (!out->text)
			abort();
	}
	buf_free(&in);
	buf_free(&answer);
	buf_free(&codes);
	buf_free(&result);
	return e;
}
