/*
 * mailout — composing the messages Liaison sends and handing them to an
 * SMTP relay; see mailout.h for the interface.
 *
 * Composition is checked first and built second.  Every header value is
 * refused when it holds a line break or another control character, because
 * a value such as "Hi\r\nBcc: everyone@example.org" would otherwise add a
 * header of the sender's choosing; addresses are held to the plain
 * local@domain form of address.h, and written in its wire form (the domain
 * as an IDNA A-label) in the headers and on the SMTP envelope alike.  Only
 * then does GMime build the message: it writes the encoded words for UTF-8
 * subjects and display names, folds long headers, and lays out the MIME
 * parts.  Every character set is forced to UTF-8, so that GMime
 * does not pick ISO-8859-1 for a French subject on its own.  The body's
 * quoted-printable is our own (see qp_encode for why).
 *
 * Line ends: the body is reduced to LF before GMime sees it and the whole
 * message is written with GMime's DOS newline format, so that every line of
 * the result (headers, folds, quoted-printable soft breaks, MIME
 * boundaries) ends in CRLF, whatever line ends the caller's text had.  A
 * bare CR in the body would otherwise be encoded as "=0D" and shown as
 * nothing, or as garbage, by the reader's client.
 *
 * Sending uses libcurl's SMTP: smtp:// is a plain connection (a relay on
 * the same machine or network), smtps:// is TLS from the first byte
 * (port 465) with the relay's certificate verified.  There is no STARTTLS
 * upgrade of smtp://: a relay reached over an untrusted network is reached
 * with smtps://.  When the relay refuses, the reason is its own reply line
 * ("550 5.1.1 <x@example.org>: no such user"), caught from libcurl's debug
 * stream because libcurl's own message keeps only the code.  An address
 * whose part before @ is not ASCII goes out only through a relay that
 * offers SMTPUTF8 (see relay_offers_utf8); otherwise the send is refused
 * before anything reaches the relay.
 */
#include "core/errmsg.h"
#include "formats/mailout.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <curl/curl.h>
#include <gmime/gmime.h>

#include "formats/address.h"
#include "formats/mail.h"

#define CONNECT_TIMEOUT_S 10L
#define SEND_TIMEOUT_S 60L
#define ID_MAX 512            /* a generous bound; real ids are under 100 octets */
#define LANG_MAX 35           /* RFC 5646 4.4.1: enough for any useful tag */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* Never undone: libcurl keeps process-wide tables that other threads may be
 * using at any moment (GMime's are set up by mail_init, shared with mail.c). */
static void curl_start(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }


/* ------------------------------------------------------------------------
 * Checks on what goes into headers and onto the envelope
 * --------------------------------------------------------------------- */

/* A header value: valid UTF-8, no line break, no other control character
 * but the tab.  NULL passes; the caller decides what is required. */
static int check_text(const char *what, const char *s, char *err, size_t errlen)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r' || *p == '\n')
			return errmsg(err, errlen, "%s contains a line break", what);
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return errmsg(err, errlen, "%s contains a control character", what);
	}
	if (!g_utf8_validate(s, -1, NULL))
		return errmsg(err, errlen, "%s is not valid UTF-8", what);
	return 0;
}

/* An address: its wire form (the domain as an A-label) into wire.  The
 * rule is the one fields are checked with when a record is written (see
 * address.h), so what was accepted there is refused here only when the
 * caller passed something else. */
static int check_addr(const char *what, const char *s, char wire[MAIL_ADDRESS_MAX + 1], char *err, size_t errlen)
{
	if (!s)
		return errmsg(err, errlen, "%s is missing", what);
	if (check_text(what, s, err, errlen))
		return -1;
	if (!*s)
		return errmsg(err, errlen, "%s is empty", what);
	const char *why = mail_address(s, wire);
	if (why)
		return errmsg(err, errlen, "%s %s %s", what, s, why);
	return 0;
}

/* A message id without its brackets: printable ASCII, no space, no angle
 * bracket (either would end the id early in the header). */
static int check_id(const char *what, const char *s, char *err, size_t errlen)
{
	if (!s || !*s)
		return errmsg(err, errlen, "%s is empty", what);
	if (check_text(what, s, err, errlen))
		return -1;
	if (strlen(s) > ID_MAX)
		return errmsg(err, errlen, "%s is too long", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			return errmsg(err, errlen, "%s must be an id without brackets or spaces", what);
	}
	return 0;
}

/* A token that goes into a header as is: the loop id, the language. */
static int check_token(const char *what, const char *s, const char *extra, size_t max, char *err, size_t errlen)
{
	if (!s)
		return 0;
	if (check_text(what, s, err, errlen))
		return -1;
	if (!*s || strlen(s) > max)
		return errmsg(err, errlen, "%s is empty or too long", what);
	for (const char *p = s; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr(extra, *p))
			return errmsg(err, errlen, "%s has a character it cannot hold: %s", what, s);
	}
	return 0;
}

/* The sender's and the recipient's addresses as the headers write them. */
typedef struct wires {
	char from[MAIL_ADDRESS_MAX + 1], to[MAIL_ADDRESS_MAX + 1];
} wires;

static int check_message(const mail_out *m, wires *w, char *err, size_t errlen)
{
	if (check_text("the sender's name", m->from_name, err, errlen) ||
	    check_addr("the sender's address", m->from_addr, w->from, err, errlen) ||
	    check_text("the recipient's name", m->to_name, err, errlen) ||
	    check_addr("the recipient's address", m->to_addr, w->to, err, errlen) ||
	    check_text("the subject", m->subject, err, errlen) ||
	    (m->message_id && check_id("the Message-ID", m->message_id, err, errlen)) ||
	    (m->in_reply_to && check_id("In-Reply-To", m->in_reply_to, err, errlen)) ||
	    check_token("the loop id", m->loop_id, "-._:", 200, err, errlen) ||
	    check_token("the language", m->lang, "-", LANG_MAX, err, errlen))
		return -1;
	if (m->nreferences && !m->references)
		return errmsg(err, errlen, "References are counted but missing");
	for (size_t i = 0; i < m->nreferences; i++) {
		if (check_id("a References entry", m->references[i], err, errlen))
			return -1;
	}
	if (m->text && !g_utf8_validate(m->text, -1, NULL))
		return errmsg(err, errlen, "the text is not valid UTF-8");
	if (m->ics && !g_utf8_validate(m->ics, -1, NULL))
		return errmsg(err, errlen, "the invitation is not valid UTF-8");
	return 0;
}

/* ------------------------------------------------------------------------
 * Building the message
 * --------------------------------------------------------------------- */

/* 32 hex digits of randomness at the sender's domain (its A-label: an id
 * is ASCII): unique without any state, and the domain says whose id it is. */
static int make_id(const char *from_addr, char *out, size_t outlen, char *err, size_t errlen)
{
	unsigned char rnd[16];
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		return errmsg(err, errlen, "no randomness for a Message-ID");
	char hex[2 * sizeof rnd + 1];
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(out, outlen, "%s@%s", hex, strrchr(from_addr, '@') + 1);
	return 0;
}

/* Text with every line end (CRLF, CR, LF) made LF; see the top of the file. */
static void to_lf(const char *s, buf *out)
{
	for (; *s; s++) {
		if (*s == '\r') {
			buf_putc(out, '\n');
			if (s[1] == '\n')
				s++;
			continue;
		}
		buf_putc(out, *s);
	}
}

/* Text with every line end made CRLF, for bytes that are base64-encoded
 * and so are not touched by the newline format on the way out. */
static void to_crlf(const char *s, buf *out)
{
	buf lf = BUF_INIT;
	to_lf(s, &lf);
	for (const char *p = buf_str(&lf); *p; p++) {
		if (*p == '\n')
			buf_putc(out, '\r');
		buf_putc(out, *p);
	}
	buf_free(&lf);
}

/* Quoted-printable (RFC 2045 6.7), written here rather than by GMime,
 * whose encoder lets a line that ends in an encoded space reach 77
 * characters.  Lines are at most QP_LINE characters, the soft break's "="
 * included; a UTF-8 character is never split across two lines, which keeps
 * each line readable on its own; white space at the end of a line is
 * encoded, since relays may strip it; a "." or "From " opening a line is
 * encoded too, for the relays and mailbox files that give those a meaning. */
#define QP_LINE 76

typedef struct qp {
	buf *out;
	size_t col;   /* characters on the current encoded line */
} qp;

/* A piece of encoded text; the piece that ends a line may take the last
 * column, any other must leave it for a soft break. */
static void qp_piece(qp *q, const char *s, size_t n, int ends_line)
{
	size_t room = ends_line ? QP_LINE : QP_LINE - 1;
	if (q->col + n > room) {
		buf_add(q->out, "=\n", 2);
		q->col = 0;
	}
	buf_add(q->out, s, n);
	q->col += n;
}

static int qp_literal(const unsigned char *line, size_t n, size_t i)
{
	unsigned char c = line[i];
	if (i == 0 && (c == '.' || (n >= 5 && memcmp(line, "From ", 5) == 0)))
		return 0;
	if (c == ' ' || c == '\t')
		return i + 1 < n;
	return c >= 33 && c <= 126 && c != '=';
}

/* One line of text, without its line end. */
static void qp_line(qp *q, const unsigned char *line, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = (size_t)g_utf8_skip[line[i]];
		char piece[16];
		size_t k = 0;
		if (len > n - i)
			len = n - i;
		for (size_t j = i; j < i + len; j++) {
			if (qp_literal(line, n, j))
				piece[k++] = (char)line[j];
			else
				k += (size_t)snprintf(piece + k, sizeof piece - k, "=%02X", line[j]);
		}
		i += len;
		qp_piece(q, piece, k, i == n);
	}
}

/* LF-terminated text in, LF-terminated quoted-printable out.  Text that
 * does not end in a line end gets a final soft break: the message still
 * ends in one, and the text decodes back without a line added. */
static void qp_encode(const char *text, buf *out)
{
	qp q = { out, 0 };
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		qp_line(&q, (const unsigned char *)p, n);
		buf_add(out, eol ? "\n" : "=\n", 2 - (eol != NULL));
		q.col = 0;
		p += n + (eol != NULL);
	}
}

/* The part's content from a copy of bytes (GMime's memory stream copies),
 * already in the given transfer encoding. */
static void set_content(GMimePart *part, const buf *bytes, GMimeContentEncoding encoding)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(buf_str(bytes), bytes->len);
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(stream, encoding);
	g_mime_part_set_content(part, content);
	g_object_unref(content);
	g_object_unref(stream);
}

/* text/plain; charset=utf-8, quoted-printable: readable by any client, and
 * no line over 76 characters whatever the text. */
static GMimeObject *text_part(const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	buf lf = BUF_INIT, encoded = BUF_INIT;
	to_lf(text ? text : "", &lf);
	qp_encode(buf_str(&lf), &encoded);
	set_content(GMIME_PART(part), &encoded, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	buf_free(&lf);
	buf_free(&encoded);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(part);
}

/* The calendar's METHOD property, which RFC 6047 2.4 wants repeated as the
 * content type's method parameter (a cancellation is METHOD:CANCEL);
 * REQUEST when the calendar names none. */
static void ics_method(const char *ics, char *out, size_t outlen)
{
	snprintf(out, outlen, "REQUEST");
	for (const char *line = ics; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (strncasecmp(line, "METHOD:", 7) != 0)
			continue;
		size_t n = strspn(line + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-");
		if (n > 0 && n < outlen)
			snprintf(out, outlen, "%.*s", (int)n, line + 7);
		return;
	}
}

/* text/calendar; charset=utf-8; method=...; named invitation.ics.  Base64,
 * so the calendar's own CRLF line ends and 75-octet folds reach the
 * calendar program byte for byte. */
static GMimeObject *calendar_part(const char *ics)
{
	GMimePart *part = g_mime_part_new_with_type("text", "calendar");
	char method[32];
	buf crlf = BUF_INIT;
	to_crlf(ics, &crlf);
	set_content(part, &crlf, GMIME_CONTENT_ENCODING_DEFAULT);
	buf_free(&crlf);
	ics_method(ics, method, sizeof method);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "method", method);
	g_mime_part_set_filename(part, "invitation.ics");
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(part);
}

static GMimeObject *body(const mail_out *m)
{
	GMimeObject *text = text_part(m->text);
	if (!m->ics)
		return text;
	GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
	GMimeObject *cal = calendar_part(m->ics);
	g_mime_multipart_add(mixed, text);
	g_mime_multipart_add(mixed, cal);
	g_object_unref(text);
	g_object_unref(cal);
	return GMIME_OBJECT(mixed);
}

static void add_mailbox(GMimeMessage *msg, GMimeAddressType type, const char *name, const char *addr)
{
	InternetAddress *ia = internet_address_mailbox_new(name && *name ? name : NULL, addr);
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(msg, type), ia);
	g_object_unref(ia);
}

/* "<a> <b> <c>": GMime folds it between ids when it grows long.  The
 * message's own id is left out wherever the caller listed it: References
 * names the messages this one follows (RFC 5322 3.6.4), never itself, and a
 * reader that finds it there may file the message under itself. */
static void references(const mail_out *m, const char *id, buf *b)
{
	for (size_t i = 0; i < m->nreferences; i++) {
		if (strcmp(m->references[i], id) != 0)
			buf_printf(b, "%s<%s>", b->len ? " " : "", m->references[i]);
	}
}

static void set_headers(GMimeMessage *msg, const mail_out *m, const wires *w, const char *id)
{
	GMimeObject *obj = GMIME_OBJECT(msg);
	GDateTime *now = g_date_time_new_now_utc();
	buf refs = BUF_INIT;
	add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, m->from_name, w->from);
	add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m->to_name, w->to);
	g_mime_message_set_subject(msg, m->subject ? m->subject : "", "utf-8");
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	g_mime_message_set_message_id(msg, id);
	if (m->in_reply_to && strcmp(m->in_reply_to, id) != 0) {
		char *v = g_strdup_printf("<%s>", m->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", v, NULL);
		g_free(v);
	}
	references(m, id, &refs);
	if (refs.len)
		g_mime_object_set_header(obj, "References", buf_str(&refs), NULL);
	buf_free(&refs);
	if (m->lang)
		g_mime_object_set_header(obj, "Content-Language", m->lang, NULL);
	if (m->loop_id)
		g_mime_object_set_header(obj, MAIL_LOOP_HEADER, m->loop_id, NULL);
	if (m->auto_submitted) {
		/* RFC 3834 for everyone, and the header that keeps Exchange's
		 * out-of-office from answering our answer. */
		g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", NULL);
		g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
	}
}

/* The whole message written with CRLF line ends, appended to out. */
static int write_message(GMimeMessage *msg, buf *out, char *err, size_t errlen)
{
	GMimeFormatOptions *opts = g_mime_format_options_new();
	GMimeStream *mem = g_mime_stream_mem_new();
	int rc = 0;
	g_mime_format_options_set_newline_format(opts, GMIME_NEWLINE_FORMAT_DOS);
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), opts, mem) < 0) {
		rc = errmsg(err, errlen, "the message could not be written");
	} else {
		GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		buf_add(out, bytes->data, bytes->len);
	}
	g_object_unref(mem);
	g_mime_format_options_free(opts);
	return rc;
}

int mail_compose(const mail_out *m, buf *out, char *id, size_t idlen, char *err, size_t errlen)
{
	char msgid[ID_MAX + 1];
	wires w;
	if (!m || !out)
		return errmsg(err, errlen, "no message");
	if (check_message(m, &w, err, errlen))
		return -1;
	if (m->message_id)
		snprintf(msgid, sizeof msgid, "%s", m->message_id);
	else if (make_id(w.from, msgid, sizeof msgid, err, errlen))
		return -1;
	if (id && idlen && (size_t)snprintf(id, idlen, "%s", msgid) >= idlen)
		return errmsg(err, errlen, "the Message-ID does not fit in %zu bytes", idlen);

	mail_init();
	GMimeMessage *msg = g_mime_message_new(TRUE);
	GMimeObject *part = body(m);
	set_headers(msg, m, &w, msgid);
	g_mime_message_set_mime_part(msg, part);
	g_object_unref(part);
	int rc = write_message(msg, out, err, errlen);
	g_object_unref(msg);
	return rc;
}

/* ------------------------------------------------------------------------
 * Sending
 * --------------------------------------------------------------------- */

typedef struct upload {
	const char *p;
	size_t left;
} upload;

static size_t read_data(char *dst, size_t size, size_t nmemb, void *arg)
{
	upload *u = arg;
	size_t n = size * nmemb < u->left ? size * nmemb : u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The relay's first refusal (a 4xx or 5xx reply), kept for the error
 * message: libcurl goes on to say QUIT, and the "221 Bye" that answers it
 * is not the reason.  The lines of a multi-line refusal ("550-...",
 * "550 ...") are joined. */
typedef struct reply {
	char line[512];
	int done;
} reply;

static int watch_replies(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	(void)h;
	reply *r = arg;
	if (type != CURLINFO_HEADER_IN || r->done || size < 3 || (data[0] != '4' && data[0] != '5'))
		return 0;
	while (size && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	size_t used = strlen(r->line);
	const char *text = data;
	if (used && size > 4) {   /* a continuation: its code is already there */
		text += 4;
		size -= 4;
		r->line[used++] = ' ';
	}
	size_t n = size < sizeof r->line - 1 - used ? size : sizeof r->line - 1 - used;
	for (size_t i = 0; i < n; i++)   /* one line in a log, whatever the relay sent */
		r->line[used + i] = (text[i] == '\r' || text[i] == '\n' || text[i] == '\0') ? ' ' : text[i];
	r->line[used + n] = '\0';
	r->done = size < 4 || data[3] != '-';
	return 0;
}

static int check_url(const char *url, char *err, size_t errlen)
{
	if (!url || (strncasecmp(url, "smtp://", 7) != 0 && strncasecmp(url, "smtps://", 8) != 0))
		return errmsg(err, errlen, "the relay's address must start with smtp:// or smtps://");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return errmsg(err, errlen, "the relay's address contains a space or control character");
	}
	return 0;
}

/* The envelope in its wire form (each domain an A-label), one slot per
 * address: "" as the sender is the null reverse path "<>", the usual one
 * for automatic answers, so that a bounce of the answer does not come back
 * to the desk as a new inquiry.  Addresses are checked like the headers':
 * libcurl would put a line break straight into the MAIL or RCPT command. */
typedef char wire_addr[MAIL_ADDRESS_MAX + 1];

static int check_envelope(const char *from, const char *const *to, size_t nto, wire_addr *wire, char *err,
			  size_t errlen)
{
	if (!from)
		return errmsg(err, errlen, "the envelope sender is missing");
	wire[0][0] = '\0';
	if (*from && check_addr("the envelope sender", from, wire[0], err, errlen))
		return -1;
	if (nto == 0 || !to)
		return errmsg(err, errlen, "no recipient");
	for (size_t i = 0; i < nto; i++) {
		if (check_addr("a recipient", to[i], wire[i + 1], err, errlen))
			return -1;
	}
	return 0;
}

/* The first address of the envelope that needs SMTPUTF8, or NULL. */
static const char *needs_utf8(const wire_addr *wire, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (mail_address_utf8(wire[i]))
			return wire[i];
	}
	return NULL;
}

static struct curl_slist *recipients(const wire_addr *to, size_t nto)
{
	struct curl_slist *list = NULL;
	for (size_t i = 0; i < nto; i++) {
		char *r = g_strdup_printf("<%s>", to[i]);
		struct curl_slist *next = curl_slist_append(list, r);
		g_free(r);
		if (!next) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = next;
	}
	return list;
}

/* The reason for a failed transfer: the relay's refusal when there was
 * one, else libcurl's account of the connection. */
static int send_failed(CURLcode rc, const char *curl_msg, const reply *r, char *err, size_t errlen)
{
	const char *what = *curl_msg ? curl_msg : curl_easy_strerror(rc);
	if (r->line[0])
		return errmsg(err, errlen, "the relay refused: %s (%s)", r->line, what);
	return errmsg(err, errlen, "smtp: %s", what);
}

int smtp_reason_temporary(const char *reason)
{
	static const char refused[] = "the relay refused: ";
	if (!reason)
		return 0;
	if (strncmp(reason, refused, sizeof refused - 1) == 0)
		return reason[sizeof refused - 1] == '4';
	return strncmp(reason, "smtp: ", 6) == 0;   /* send_failed's and relay_offers_utf8's account of the connection */
}

/* A handle for the relay at url with what every connection to it shares;
 * debug sees the relay's replies. */
static CURL *relay_handle(const char *url, char *curl_msg, curl_debug_callback debug, void *debug_data)
{
	CURL *h = curl_easy_init();
	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);   /* threads: no SIGALRM for name lookups */
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_msg);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, debug_data);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);    /* feeds debug; nothing reaches stderr */
	return h;
}

/* SMTPUTF8 among the extensions the relay's EHLO answer lists
 * ("250-SMTPUTF8", or "250 SMTPUTF8" as the last line). */
static int watch_ehlo(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	(void)h;
	if (type == CURLINFO_HEADER_IN && size >= 12 && !strncmp(data, "250", 3) && (data[3] == '-' || data[3] == ' ') &&
	    !strncasecmp(data + 4, "SMTPUTF8", 8) && (size == 12 || strchr(" \r\n", data[12])))
		*(int *)arg = 1;
	return 0;
}

/*
 * Whether the relay offers SMTPUTF8, asked on a connection of its own that
 * greets the relay and leaves.  libcurl (7.88, Debian 12's) announces
 * SMTPUTF8 in MAIL FROM when the relay offered it and an address needs it,
 * but when the relay did not, it sends the UTF-8 address all the same,
 * which RFC 6531 forbids and relays answer in their own ways; so the
 * question is settled before the message is handed over.
 */
static int relay_offers_utf8(const char *url, int *offers, char *err, size_t errlen)
{
	char curl_msg[CURL_ERROR_SIZE] = "";
	*offers = 0;
	CURL *h = relay_handle(url, curl_msg, watch_ehlo, offers);
	if (!h)
		return errmsg(err, errlen, "smtp: out of memory");
	curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);  /* the greeting and EHLO are the connection's set-up */
	CURLcode res = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (res != CURLE_OK)
		return errmsg(err, errlen, "smtp: %s", *curl_msg ? curl_msg : curl_easy_strerror(res));
	return 0;
}

int smtp_send(const char *url, const char *from, const char *const *to, size_t nto, const char *data, size_t len,
	      char *err, size_t errlen)
{
	if (check_url(url, err, errlen))
		return -1;
	if (!data && len)
		return errmsg(err, errlen, "no message");
	wire_addr *wire = g_new0(wire_addr, nto + 1);   /* the sender, then the recipients */
	char curl_msg[CURL_ERROR_SIZE] = "";
	char *mail_from = NULL;
	struct curl_slist *rcpt = NULL;
	upload u = { data, len };
	reply r = { "", 0 };
	CURL *h = NULL;
	int rc = -1, offers;
	if (check_envelope(from, to, nto, wire, err, errlen))
		goto done;
	pthread_once(&curl_once, curl_start);
	const char *utf8 = needs_utf8((const wire_addr *)wire, nto + 1);
	if (utf8 && relay_offers_utf8(url, &offers, err, errlen))
		goto done;
	if (utf8 && !offers) {
		errmsg(err, errlen, "the relay does not offer SMTPUTF8, which %s needs (its part before @ is not ASCII)",
		       utf8);
		goto done;
	}
	mail_from = g_strdup_printf("<%s>", wire[0]);
	rcpt = recipients((const wire_addr *)wire + 1, nto);
	h = relay_handle(url, curl_msg, watch_replies, &r);
	if (!h || !rcpt) {
		errmsg(err, errlen, "smtp: out of memory");
		goto done;
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_data);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode res = curl_easy_perform(h);
	if (res != CURLE_OK) {
		send_failed(res, curl_msg, &r, err, errlen);
		goto done;
	}
	rc = 0;
done:
	if (h)
		curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	g_free(mail_from);
	g_free(wire);
	return rc;
}
