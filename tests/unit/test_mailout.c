/*
 * test_mailout — the messages Liaison sends, read back the way a mail
 * client reads them (GMime's parser), and their delivery to a real SMTP
 * server: tests/unit/smtp_sink.py, started on a free loopback port for each
 * sending test, writes every envelope and message it receives to files
 * that the test then reads.
 *
 * What is checked: the headers a reply to a French inquirer must carry and
 * that they decode back to the same text; CRLF everywhere; the invitation
 * part; quoted-printable line lengths; refusal of line breaks and bad
 * addresses in every header and on the envelope; the relay's own words
 * when it refuses, and a clear reason when nothing listens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "formats/address.h"
#include "formats/mail.h"
#include "formats/mailout.h"
#include "testpath.h"

extern char **environ;

#define SINK_START_MS 20000   /* python and asyncio on a busy machine */
#define SINK_STOP_MS 5000
#define REJECTED "nobody@example.org"

/* ------------------------------------------------------------------------
 * Messages and reading them back
 * --------------------------------------------------------------------- */

static const char *const french_refs[] = { "root-1@mail.example.fr", "abc123@mail.example.fr" };

static const char french_text[] =
	"Madame,\n"
	"\n"
	"Nous avons bien reçu votre demande concernant la coopération avec les États membres.\n"
	"Le Département vous répondra dans les meilleurs délais.\n"
	"\n"
	"Cordialement,\n"
	"Le bureau de liaison\n";

static mail_out french_reply(void)
{
	mail_out m = {
		.from_name = "Département de la coopération internationale",
		.from_addr = "liaison@org.example",
		.to_name = "Hélène Dupont-Lefèvre",
		.to_addr = "helene.dupont@mail.example.fr",
		.subject = "Re: Demande d'information — coopération et réunion du Conseil",
		.text = french_text,
		.in_reply_to = "abc123@mail.example.fr",
		.references = french_refs,
		.nreferences = 2,
		.loop_id = "liaison-geneva-1",
		.auto_submitted = 1,
		.lang = "fr",
	};
	return m;
}

static void compose_ok(const mail_out *m, buf *out, char *id, size_t idlen)
{
	char err[256] = "";
	if (mail_compose(m, out, id, idlen, err, sizeof err) != 0)
		fail_msg("mail_compose refused: %s", err);
	assert_true(out->len > 0);
}

static GMimeMessage *parse(const buf *b)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(b->data, b->len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	assert_non_null(msg);
	return msg;
}

/* A part's content, decoded from its transfer encoding, NUL-terminated. */
static char *content(GMimeObject *part)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(GMIME_PART(part)), mem);
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	char *s = g_strndup((const char *)bytes->data, bytes->len);
	g_object_unref(mem);
	return s;
}

static char *without_cr(const char *s)
{
	char *out = g_strdup(s), *w = out;
	for (const char *p = s; *p; p++)
		if (*p != '\r')
			*w++ = *p;
	*w = '\0';
	return out;
}

/* The header block of raw message bytes, without its blank line. */
static size_t header_len(const buf *b)
{
	const char *end = strstr(buf_str(b), "\r\n\r\n");
	assert_non_null(end);
	return (size_t)(end - b->data) + 2;
}

/* A top-level header's raw value, unfolded; NULL when absent. */
static char *raw_header(const buf *b, const char *name)
{
	size_t hlen = header_len(b), nlen = strlen(name);
	const char *p = b->data, *end = b->data + hlen;
	while (p < end) {
		const char *eol = strstr(p, "\r\n");
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			GString *v = g_string_new(NULL);
			const char *q = p + nlen + 1;
			for (;;) {
				g_string_append_len(v, q, eol - q);
				q = eol + 2;
				if (q >= end || (*q != ' ' && *q != '\t'))
					break;
				eol = strstr(q, "\r\n");
			}
			return g_strstrip(g_string_free(v, FALSE));
		}
		p = eol + 2;
	}
	return NULL;
}

static void expect_header(const buf *b, const char *name, const char *want)
{
	char *v = raw_header(b, name);
	if (!v)
		fail_msg("header %s is missing", name);
	if (strcmp(v, want) != 0)
		fail_msg("header %s is \"%s\", want \"%s\"", name, v, want);
	g_free(v);
}

static void expect_no_header(const buf *b, const char *name)
{
	char *v = raw_header(b, name);
	if (v)
		fail_msg("header %s should be absent, is \"%s\"", name, v);
}

/* Every line ends in CRLF: no CR without LF, no LF without CR. */
static void expect_crlf(const buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		if (b->data[i] == '\r' && (i + 1 == b->len || b->data[i + 1] != '\n'))
			fail_msg("bare CR at byte %zu", i);
		if (b->data[i] == '\n' && (i == 0 || b->data[i - 1] != '\r'))
			fail_msg("bare LF at byte %zu", i);
	}
	assert_true(b->len >= 2 && b->data[b->len - 2] == '\r' && b->data[b->len - 1] == '\n');
}

static void expect_ascii_headers(const buf *b)
{
	size_t hlen = header_len(b);
	for (size_t i = 0; i < hlen; i++)
		if ((unsigned char)b->data[i] >= 0x80)
			fail_msg("8-bit byte in the headers at %zu", i);
}

static void expect_name(InternetAddressList *list, const char *name, const char *addr)
{
	assert_int_equal(internet_address_list_length(list), 1);
	InternetAddress *ia = internet_address_list_get_address(list, 0);
	assert_true(INTERNET_ADDRESS_IS_MAILBOX(ia));
	assert_string_equal(internet_address_get_name(ia), name);
	assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), addr);
}

/* ------------------------------------------------------------------------
 * Composition
 * --------------------------------------------------------------------- */

/* What the raw bytes say, before any decoding. */
static void french_reply_raw(void **state)
{
	(void)state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	char id[128];
	compose_ok(&m, &b, id, sizeof id);

	expect_crlf(&b);
	expect_ascii_headers(&b);
	assert_true(g_regex_match_simple("^[0-9a-f]{32}@org\\.example$", id, 0, 0));
	char *want_id = g_strdup_printf("<%s>", id);
	expect_header(&b, "Message-ID", want_id);
	g_free(want_id);
	expect_header(&b, "In-Reply-To", "<abc123@mail.example.fr>");
	expect_header(&b, "References", "<root-1@mail.example.fr> <abc123@mail.example.fr>");
	expect_header(&b, "MIME-Version", "1.0");
	expect_header(&b, "Content-Type", "text/plain; charset=utf-8");
	expect_header(&b, "Content-Transfer-Encoding", "quoted-printable");
	expect_header(&b, "Content-Language", "fr");
	expect_header(&b, MAIL_LOOP_HEADER, "liaison-geneva-1");
	expect_header(&b, "Auto-Submitted", "auto-replied");
	expect_header(&b, "X-Auto-Response-Suppress", "All");

	char *subject = raw_header(&b, "Subject");
	assert_non_null(subject);
	assert_non_null(strstr(subject, "=?UTF-8?"));   /* encoded words, and in UTF-8 */
	g_free(subject);
	char *from = raw_header(&b, "From");
	assert_non_null(from);
	assert_non_null(strstr(from, "=?UTF-8?"));
	assert_non_null(strstr(from, "<liaison@org.example>"));
	g_free(from);
	char *date = raw_header(&b, "Date");
	assert_non_null(date);   /* "Fri, 05 Jan 2024 10:00:00 +0000" */
	assert_true(g_regex_match_simple("^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$",
					 date, 0, 0));
	g_free(date);
	buf_free(&b);
}

/* What a mail client shows after decoding. */
static void french_reply_decodes(void **state)
{
	(void)state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	char id[128];
	compose_ok(&m, &b, id, sizeof id);
	GMimeMessage *msg = parse(&b);

	assert_string_equal(g_mime_message_get_subject(msg), m.subject);
	expect_name(g_mime_message_get_from(msg), m.from_name, m.from_addr);
	expect_name(g_mime_message_get_to(msg), m.to_name, m.to_addr);
	assert_string_equal(g_mime_message_get_message_id(msg), id);

	char *irt = g_mime_utils_decode_message_id(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
	assert_string_equal(irt, "abc123@mail.example.fr");
	g_free(irt);
	GMimeReferences *refs = g_mime_references_parse(NULL, g_mime_object_get_header(GMIME_OBJECT(msg), "References"));
	assert_int_equal(g_mime_references_length(refs), 2);
	assert_string_equal(g_mime_references_get_message_id(refs, 0), french_refs[0]);
	assert_string_equal(g_mime_references_get_message_id(refs, 1), french_refs[1]);
	g_mime_references_free(refs);
	assert_string_equal(g_mime_object_get_header(GMIME_OBJECT(msg), MAIL_LOOP_HEADER), "liaison-geneva-1");

	GDateTime *date = g_mime_message_get_date(msg);
	assert_non_null(date);
	gint64 skew = g_date_time_to_unix(date) - (gint64)time(NULL);
	assert_true(skew > -120 && skew < 120);

	GMimeObject *part = g_mime_message_get_mime_part(msg);
	assert_true(GMIME_IS_TEXT_PART(part));
	assert_string_equal(g_mime_object_get_content_type_parameter(part, "charset"), "utf-8");
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	char *lf = without_cr(text);
	assert_string_equal(lf, french_text);
	g_free(lf);
	g_free(text);
	g_object_unref(msg);
	buf_free(&b);
}

/* A given id is used as is; optional headers are left out when unset; an
 * ASCII subject stays readable rather than encoded. */
static void plain_message(void **state)
{
	(void)state;
	mail_out m = {
		.from_addr = "desk@org.example",
		.to_addr = "someone@example.com",
		.subject = "Your inquiry 2024-118",
		.text = "Thank you.",
		.message_id = "inquiry-118.1@org.example",
	};
	buf b = BUF_INIT;
	char id[128] = "";
	compose_ok(&m, &b, id, sizeof id);
	expect_crlf(&b);
	assert_string_equal(id, "inquiry-118.1@org.example");
	expect_header(&b, "Message-ID", "<inquiry-118.1@org.example>");
	expect_header(&b, "Subject", "Your inquiry 2024-118");
	expect_header(&b, "From", "desk@org.example");
	expect_header(&b, "To", "someone@example.com");
	expect_header(&b, "Content-Type", "text/plain; charset=utf-8");
	expect_no_header(&b, "In-Reply-To");
	expect_no_header(&b, "References");
	expect_no_header(&b, "Content-Language");
	expect_no_header(&b, MAIL_LOOP_HEADER);
	expect_no_header(&b, "Auto-Submitted");
	expect_no_header(&b, "X-Auto-Response-Suppress");
	assert_non_null(strstr(b.data, "\r\n\r\nThank you."));
	buf_free(&b);
}

/* Whatever line ends the caller's text has, the message has CRLF, and the
 * text reads back with its lines where they were. */
static void line_ends(void **state)
{
	(void)state;
	mail_out m = french_reply();
	m.text = "un\r\ndeux\ntrois\rquatre\r\n";
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	expect_crlf(&b);
	GMimeMessage *msg = parse(&b);
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_message_get_mime_part(msg)));
	char *lf = without_cr(text);
	assert_string_equal(lf, "un\ndeux\ntrois\nquatre\n");
	g_free(lf);
	g_free(text);
	g_object_unref(msg);
	buf_free(&b);
}

static const char invitation[] =
	"BEGIN:VCALENDAR\r\n"
	"VERSION:2.0\r\n"
	"PRODID:-//Liaison//EN\r\n"
	"METHOD:REQUEST\r\n"
	"BEGIN:VEVENT\r\n"
	"UID:briefing-12@org.example\r\n"
	"DTSTART:20240115T090000Z\r\n"
	"SUMMARY:Réunion d'information sur le partenariat\r\n"
	"END:VEVENT\r\n"
	"END:VCALENDAR\r\n";

static GMimeObject *calendar_of(GMimeMessage *msg)
{
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	assert_true(GMIME_IS_MULTIPART(top));
	assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart", "mixed"));
	assert_int_equal(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
	GMimeObject *text = g_mime_multipart_get_part(GMIME_MULTIPART(top), 0);
	assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(text), "text", "plain"));
	return g_mime_multipart_get_part(GMIME_MULTIPART(top), 1);
}

static void invitation_attached(void **state)
{
	(void)state;
	mail_out m = french_reply();
	m.ics = invitation;
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	expect_crlf(&b);
	GMimeMessage *msg = parse(&b);
	GMimeObject *cal = calendar_of(msg);
	assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(cal), "text", "calendar"));
	assert_string_equal(g_mime_object_get_content_type_parameter(cal, "charset"), "utf-8");
	assert_string_equal(g_mime_object_get_content_type_parameter(cal, "method"), "REQUEST");
	assert_string_equal(g_mime_part_get_filename(GMIME_PART(cal)), "invitation.ics");
	char *ics = content(cal);
	assert_string_equal(ics, invitation);   /* byte for byte, CRLF kept */
	g_free(ics);

	GMimeObject *text = g_mime_multipart_get_part(GMIME_MULTIPART(g_mime_message_get_mime_part(msg)), 0);
	char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(text));
	char *lf = without_cr(t);
	assert_string_equal(lf, french_text);
	g_free(lf);
	g_free(t);
	g_object_unref(msg);
	buf_free(&b);
}

/* A cancellation says so in the content type too (RFC 6047), and a
 * calendar written with LF line ends is sent with CRLF. */
static void invitation_cancelled(void **state)
{
	(void)state;
	mail_out m = french_reply();
	m.ics = "BEGIN:VCALENDAR\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:x@org.example\nEND:VEVENT\nEND:VCALENDAR\n";
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	GMimeMessage *msg = parse(&b);
	GMimeObject *cal = calendar_of(msg);
	assert_string_equal(g_mime_object_get_content_type_parameter(cal, "method"), "CANCEL");
	char *ics = content(cal);
	assert_string_equal(ics, "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:x@org.example\r\n"
				 "END:VEVENT\r\nEND:VCALENDAR\r\n");
	g_free(ics);
	g_object_unref(msg);
	buf_free(&b);
}

/* One field of the French reply replaced by a bad value. */
typedef struct bad_field {
	const char *field;    /* for the failure message */
	size_t offset;        /* of the const char * member in mail_out */
	const char *value;
	const char *reason;   /* a piece of the error text */
} bad_field;

#define FIELD(f) #f, offsetof(mail_out, f)

static void expect_refused(const mail_out *m, const char *what, const char *reason)
{
	buf b = BUF_INIT;
	char err[256] = "";
	char id[128] = "untouched";
	if (mail_compose(m, &b, id, sizeof id, err, sizeof err) != -1)
		fail_msg("%s was accepted", what);
	if (!strstr(err, reason))
		fail_msg("%s: the reason \"%s\" does not say \"%s\"", what, err, reason);
	assert_int_equal(b.len, 0);   /* nothing half-written */
	assert_string_equal(id, "untouched");
	buf_free(&b);
}

static void check_bad_fields(const bad_field *bad, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mail_out m = french_reply();
		*(const char **)((char *)&m + bad[i].offset) = bad[i].value;
		char what[128];
		snprintf(what, sizeof what, "%s = \"%s\"", bad[i].field, bad[i].value);
		expect_refused(&m, what, bad[i].reason);
	}
}

/* A line break in any header value would let the value add headers. */
static void injection_refused(void **state)
{
	(void)state;
	static const bad_field bad[] = {
		{ FIELD(from_name), "Liaison\r\nBcc: all@example.com", "sender's name contains a line break" },
		{ FIELD(from_addr), "liaison@org.example\r\nBcc: all@example.com", "sender's address contains a line break" },
		{ FIELD(to_name), "Hélène\nBcc: all@example.com", "recipient's name contains a line break" },
		{ FIELD(to_addr), "a@example.fr\nBcc: all@example.com", "recipient's address contains a line break" },
		{ FIELD(subject), "Re: demande\r\nBcc: all@example.com", "subject contains a line break" },
		{ FIELD(subject), "Re: demande\rX-Evil: 1", "subject contains a line break" },
		{ FIELD(subject), "Re: demande\n", "subject contains a line break" },
		{ FIELD(message_id), "id@org.example\r\nBcc: all@example.com", "Message-ID contains a line break" },
		{ FIELD(in_reply_to), "abc@example.fr\r\nBcc: all@example.com", "In-Reply-To contains a line break" },
		{ FIELD(loop_id), "liaison-1\r\nBcc: all@example.com", "loop id contains a line break" },
		{ FIELD(lang), "fr\r\nBcc: all@example.com", "language contains a line break" },
		{ FIELD(subject), "nul\x01 byte", "subject contains a control character" },
		{ FIELD(subject), "Latin-1 \xe9t\xe9", "subject is not valid UTF-8" },
		{ FIELD(message_id), "<id@org.example>", "without brackets" },
		{ FIELD(in_reply_to), "a b@example.fr", "without brackets or spaces" },
		{ FIELD(lang), "fr; x", "cannot hold" },
	};
	check_bad_fields(bad, sizeof bad / sizeof bad[0]);

	static const char *const refs[] = { "ok@example.fr", "evil@example.fr>\r\nBcc: all@example.com" };
	mail_out m = french_reply();
	m.references = refs;
	m.nreferences = 2;
	expect_refused(&m, "a reference with a line break", "References entry contains a line break");
}

static void bad_addresses_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "no-at-sign", "a@", "@example.org", "a b@example.org", "a@exa mple.org", "a..b@example.org",
		".a@example.org", "a.@example.org", "a@example..org", "a@-example.org", "a@example-.org",
		"<a@example.org>", "a@example.org>", "\"q\"@example.org", "a@b@example.org", "a,b@example.org",
		"a@localhost", "a@192.0.2.1", "a@ex_ample.org", "a@ex☃mple.org", "a@xn--zz.org",
		"a\302\205b@example.org",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[96];
		mail_out m = french_reply();
		m.to_addr = bad[i];
		snprintf(what, sizeof what, "to_addr \"%s\"", bad[i]);
		expect_refused(&m, what, bad[i][0] ? "is not an e-mail address" : "is empty");
		m = french_reply();
		m.from_addr = bad[i];
		snprintf(what, sizeof what, "from_addr \"%s\"", bad[i]);
		expect_refused(&m, what, bad[i][0] ? "is not an e-mail address" : "is empty");
	}
	mail_out m = french_reply();
	m.from_addr = NULL;
	expect_refused(&m, "no sender", "is missing");
	m = french_reply();
	m.to_addr = NULL;
	expect_refused(&m, "no recipient", "is missing");
}

/* Lines over 76 characters, long words, trailing spaces, a line that is a
 * lone dot: every encoded line stays within RFC 2045's limit and the text
 * comes back unchanged. */
static void long_body_lines(void **state)
{
	(void)state;
	GString *text = g_string_new(NULL);
	for (int i = 0; i < 40; i++)
		g_string_append(text, "Coopération éàüñ — ");
	g_string_append(text, "\n");
	for (int i = 0; i < 300; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\nhttps://org.example/");
	for (int i = 0; i < 40; i++)
		g_string_append(text, "documents/");
	g_string_append(text, "\nespaces à la fin   \n.\nFrom the desk\n\n=3D égal\n");
	mail_out m = french_reply();
	m.text = text->str;
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);

	size_t start = header_len(&b) + 2, longest = 0, lines = 0;
	for (const char *p = b.data + start; *p;) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		size_t n = (size_t)(eol - p);
		longest = n > longest ? n : longest;
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			fail_msg("encoded line %zu ends in white space", lines + 1);
		if (*p == '.' || strncmp(p, "From ", 5) == 0)
			fail_msg("encoded line %zu starts with \"%.5s\"", lines + 1, p);
		lines++;
		p = eol + 2;
	}
	if (longest > 76)
		fail_msg("an encoded line is %zu characters long", longest);
	assert_true(lines > 20);   /* the long lines were really broken */

	GMimeMessage *msg = parse(&b);
	char *got = g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_message_get_mime_part(msg)));
	char *lf = without_cr(got);
	assert_string_equal(lf, text->str);
	g_free(lf);
	g_free(got);
	g_object_unref(msg);
	g_string_free(text, TRUE);
	buf_free(&b);
}

/* A long thread: References is folded between ids, never inside one. */
static void many_references(void **state)
{
	(void)state;
	char ids[30][64];
	const char *refs[30];
	for (int i = 0; i < 30; i++) {
		snprintf(ids[i], sizeof ids[i], "thread-%02d.a1b2c3d4e5f6@mail.example.fr", i);
		refs[i] = ids[i];
	}
	mail_out m = french_reply();
	m.references = refs;
	m.nreferences = 30;
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	size_t hlen = header_len(&b);
	for (const char *p = b.data; p < b.data + hlen;) {
		const char *eol = strstr(p, "\r\n");
		if (eol - p > 998)
			fail_msg("a header line is %td characters long", eol - p);
		p = eol + 2;
	}
	GMimeMessage *msg = parse(&b);
	GMimeReferences *got = g_mime_references_parse(NULL, g_mime_object_get_header(GMIME_OBJECT(msg), "References"));
	assert_int_equal(g_mime_references_length(got), 30);
	for (int i = 0; i < 30; i++)
		assert_string_equal(g_mime_references_get_message_id(got, i), ids[i]);
	g_mime_references_free(got);
	g_object_unref(msg);
	buf_free(&b);
}

static void id_buffer_too_small(void **state)
{
	(void)state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	char id[16], err[128] = "";
	assert_int_equal(mail_compose(&m, &b, id, sizeof id, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not fit"));
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* The one rule for addresses, at entry and on the way out: what is
 * accepted and its wire form, what is refused and the reason given. */
static void addresses_checked(void **state)
{
	(void)state;
	static const struct {
		const char *in, *wire;
		int utf8;
	} good[] = {
		{ "ana@example.org", "ana@example.org", 0 },
		{ "Ana.Ruiz+desk@Example.ORG", "Ana.Ruiz+desk@Example.ORG", 0 },
		{ "o'neil_{x}@mail.example.ie", "o'neil_{x}@mail.example.ie", 0 },
		{ "aino@exämple.org", "aino@xn--exmple-cua.org", 0 },
		{ "karl@faß.de", "karl@xn--fa-hia.de", 0 },   /* IDNA2008: ß is kept, not made "ss" */
		{ "kenji@例え.テスト", "kenji@xn--r8jz45g.xn--zckzah", 0 },
		{ "josé.garcía@exämple.org", "josé.garcía@xn--exmple-cua.org", 1 },
	};
	char wire[MAIL_ADDRESS_MAX + 1];
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		const char *why = mail_address(good[i].in, wire);
		if (why)
			fail_msg("%s refused: %s", good[i].in, why);
		assert_string_equal(wire, good[i].wire);
		assert_int_equal(mail_address_utf8(wire), good[i].utf8);
	}

	char long_local[80], long_all[300];
	snprintf(long_local, sizeof long_local, "%065d@example.org", 0);
	snprintf(long_all, sizeof long_all, "%020d@%060d.%060d.%060d.%060d.org", 0, 1, 2, 3, 4);
	static const struct {
		const char *in, *reason;
	} bad[] = {
		{ "", "write it as name@domain" },
		{ "a@", "write it as name@domain" },
		{ "@example.org", "write it as name@domain" },
		{ "a@b@example.org", "write it as name@domain" },
		{ "a\tb@example.org", "control character" },
		{ "a b@example.org", "the part before @ holds a space" },
		{ "\"a\"@example.org", "the part before @ holds a space" },
		{ "a..b@example.org", "two dots in a row" },
		{ ".a@example.org", "starts or ends with a dot" },
		{ "a@localhost", "needs at least one dot" },
		{ "a@example..org", "not a valid domain name" },
		{ "a@-example.org", "not a valid domain name" },
		{ "a@ex_ample.org", "not a valid domain name" },
		{ "a@192.0.2.1", "not a valid domain name" },
		{ "a@xn--zz.org", "not a valid domain name" },
		{ "a@ex☃mple.org", "not a valid internationalized domain name" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0] + 2; i++) {
		const char *in = i < sizeof bad / sizeof bad[0] ? bad[i].in : i % 2 ? long_all : long_local;
		const char *want = i < sizeof bad / sizeof bad[0] ? bad[i].reason
				 : i % 2 ? "longer than 254 octets" : "longer than 64 octets";
		const char *why = mail_address(in, wire);
		if (!why)
			fail_msg("%s accepted as %s", in, wire);
		if (strncmp(why, "is not an e-mail address: ", 26) != 0 || !strstr(why, want))
			fail_msg("%s: the reason \"%s\" does not say \"%s\"", in, why, want);
		assert_string_equal(wire, "");
	}
}

/* One mailbox however it is written: case anywhere, a domain as its
 * U-label or A-label; never two different ones, never a non-address. */
static void same_mailbox(void **state)
{
	(void)state;
	static const char *const same[][2] = {
		{ "ana@example.org", "ana@example.org" },
		{ "Ana.Ruiz@Example.ORG", "ana.ruiz@example.org" },
		{ "aino@exämple.org", "aino@xn--exmple-cua.org" },
		{ "Aino@EXÄMPLE.org", "aino@XN--EXMPLE-CUA.ORG" },
		{ "José@exämple.org", "josé@xn--exmple-cua.org" },
		{ "ÉLODIE@example.org", "élodie@example.org" },
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (!mail_address_same(same[i][0], same[i][1]))
			fail_msg("%s and %s are not taken for one mailbox", same[i][0], same[i][1]);
	static const char *const other[][2] = {
		{ "ana@example.org", "ana@example.com" },
		{ "ana.ruiz@example.org", "anaruiz@example.org" },
		{ "karl@faß.de", "karl@fass.de" },   /* IDNA2008: two domains */
		{ "jose@example.org", "josé@example.org" },
		{ "ana@example.org", "ana@example.org\r\nBcc: x@example.org" },
		{ "ana@localhost", "ana@localhost" },   /* not an address: proves nothing */
		{ "", "" },
		{ NULL, "ana@example.org" },
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (mail_address_same(other[i][0], other[i][1]))
			fail_msg("%s and %s are taken for one mailbox", other[i][0] ? other[i][0] : "(null)", other[i][1]);
}

/* A domain beyond ASCII is written as its A-label wherever it appears:
 * From, To and the Message-ID made from the sender's domain; the headers
 * stay ASCII. */
static void idn_domains_as_a_labels(void **state)
{
	(void)state;
	mail_out m = french_reply();
	m.from_addr = "liaison@département.example";
	m.to_addr = "Aino.Lehtovaara@EXÄMPLE.org";
	buf b = BUF_INIT;
	char id[128];
	compose_ok(&m, &b, id, sizeof id);
	expect_ascii_headers(&b);
	assert_true(g_regex_match_simple("^[0-9a-f]{32}@xn--dpartement-b7a\\.example$", id, 0, 0));
	char *to = raw_header(&b, "To"), *from = raw_header(&b, "From");
	assert_non_null(strstr(to, "<Aino.Lehtovaara@xn--exmple-cua.org>"));   /* the local part as written */
	assert_non_null(strstr(from, "<liaison@xn--dpartement-b7a.example>"));
	g_free(to);
	g_free(from);
	buf_free(&b);
}

/* A local part beyond ASCII has no other form: it is written as UTF-8
 * (RFC 6532), never as an encoded word, which is not allowed in an
 * address; a mail client reads the address back as it was typed. */
static void utf8_local_part(void **state)
{
	(void)state;
	mail_out m = french_reply();
	m.to_addr = "josé.garcía@exämple.org";
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	expect_crlf(&b);
	char *to = raw_header(&b, "To");
	assert_non_null(strstr(to, "<josé.garcía@xn--exmple-cua.org>"));   /* the display name alone is encoded */
	g_free(to);
	GMimeMessage *msg = parse(&b);
	expect_name(g_mime_message_get_to(msg), m.to_name, m.to_addr);   /* GMime shows the domain's U-label */
	g_object_unref(msg);
	buf_free(&b);
}

/* The message's own id is never among its References, nor its own
 * In-Reply-To, whatever the caller lists: a first reply that would list
 * only itself has neither header. */
static void own_id_never_referenced(void **state)
{
	(void)state;
	static const char *const thread[] = { "root-1@mail.example.fr", "reply-2.INQ-1@org.example", "abc123@mail.example.fr" };
	mail_out m = french_reply();
	m.message_id = "reply-2.INQ-1@org.example";
	m.references = thread;
	m.nreferences = 3;
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	expect_header(&b, "References", "<root-1@mail.example.fr> <abc123@mail.example.fr>");
	expect_header(&b, "In-Reply-To", "<abc123@mail.example.fr>");
	buf_free(&b);

	m.references = thread + 1;
	m.nreferences = 1;
	m.in_reply_to = m.message_id;
	compose_ok(&m, &b, NULL, 0);
	expect_no_header(&b, "References");
	expect_no_header(&b, "In-Reply-To");
	expect_header(&b, "Message-ID", "<reply-2.INQ-1@org.example>");
	buf_free(&b);
}

/* ------------------------------------------------------------------------
 * Sending, to tests/unit/smtp_sink.py
 * --------------------------------------------------------------------- */

typedef struct sink {
	pid_t pid;
	int to_sink;      /* its standard input: closing it stops it */
	int from_sink;    /* its standard output: the port */
	int port;
	char dir[64];
	char url[64];
} sink;

/* The script beside this file. */
static void script_path(char *out, size_t n)
{
	char *path = TEST_PATH("smtp_sink.py");
	int wrote = snprintf(out, n, "%s", path);
	free(path);
	assert_true(wrote > 0 && (size_t)wrote < n); /* a path this long is not ours */
}

/* Debian's python3 first: it is the one with python3-aiosmtpd, whatever
 * other python3 comes first in PATH. */
static const char *python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* Reads the port line, waiting at most SINK_START_MS. */
static int read_port(int fd)
{
	char line[32];
	size_t n = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (n < sizeof line - 1) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long left = SINK_START_MS - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		ssize_t k = read(fd, line + n, 1);
		if (k <= 0)
			return -1;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	return atoi(line);
}

static int sink_stop(void **state);

/* On any failure the half-started sink is stopped here, since cmocka runs
 * no teardown after a failed setup. */
static int sink_spawn(void **state, int smtputf8)
{
	sink *s = calloc(1, sizeof *s);
	int in[2], out[2];
	char script[PATH_MAX];
	if (!s)
		return -1;
	*state = s;
	s->to_sink = s->from_sink = -1;
	snprintf(s->dir, sizeof s->dir, "/tmp/liaison-sink-XXXXXX");
	if (!mkdtemp(s->dir) || pipe(in))
		return sink_stop(state), -1;
	if (pipe(out)) {
		close(in[0]);
		close(in[1]);
		return sink_stop(state), -1;
	}
	script_path(script, sizeof script);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	char *plain[] = { (char *)python(), script, s->dir, REJECTED, NULL };
	char *utf8[] = { (char *)python(), script, "--smtputf8", s->dir, REJECTED, NULL };
	char **argv = smtputf8 ? utf8 : plain;
	int rc = posix_spawnp(&s->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	s->to_sink = in[1];
	s->from_sink = out[0];
	if (rc != 0) {
		s->pid = 0;
		fprintf(stderr, "sink: cannot start %s: %s\n", argv[0], strerror(rc));
		return sink_stop(state), -1;
	}
	s->port = read_port(s->from_sink);
	if (s->port <= 0) {
		fprintf(stderr, "sink: %s %s did not start (is python3-aiosmtpd installed?)\n", argv[0], script);
		return sink_stop(state), -1;
	}
	snprintf(s->url, sizeof s->url, "smtp://127.0.0.1:%d", s->port);
	return 0;
}

/* A sink that does not offer SMTPUTF8, and one that does. */
static int sink_start(void **state) { return sink_spawn(state, 0); }
static int sink_start_utf8(void **state) { return sink_spawn(state, 1); }

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int sink_stop(void **state)
{
	sink *s = *state;
	if (!s)
		return 0;
	*state = NULL;
	if (s->to_sink >= 0)
		close(s->to_sink);
	for (int waited = 0; s->pid > 0; waited += 50) {
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
			break;
		if (waited >= SINK_STOP_MS) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			break;
		}
		usleep(50 * 1000);
	}
	if (s->from_sink >= 0)
		close(s->from_sink);
	remove_dir(s->dir);
	free(s);
	return 0;
}

/* The sink's file N.ext, or NULL when it did not appear within a few
 * seconds (the sink writes it before it answers 250, so it is there). */
static char *sink_file(const sink *s, int n, const char *ext)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%d.%s", s->dir, n, ext);
	for (int i = 0; i < 100; i++) {
		gchar *data = NULL;
		if (g_file_get_contents(path, &data, NULL, NULL))
			return data;
		usleep(50 * 1000);
	}
	return NULL;
}

static int sink_has(const sink *s, int n)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%d.eml", s->dir, n);
	return access(path, F_OK) == 0;
}

static void send_ok(const char *url, const char *from, const char *const *to, size_t nto, const buf *msg)
{
	char err[512] = "";
	if (smtp_send(url, from, to, nto, msg->data, msg->len, err, sizeof err) != 0)
		fail_msg("smtp_send failed: %s", err);
}

static void delivered(void **state)
{
	sink *s = *state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	char id[128];
	compose_ok(&m, &b, id, sizeof id);
	const char *to[] = { "helene.dupont@mail.example.fr", "archive@org.example" };
	send_ok(s->url, "liaison@org.example", to, 2, &b);

	char *env = sink_file(s, 1, "env");
	char *got = sink_file(s, 1, "eml");
	assert_non_null(env);
	assert_non_null(got);
	assert_string_equal(env, "MAIL FROM:<liaison@org.example>\n"
				 "RCPT TO:<helene.dupont@mail.example.fr>\n"
				 "RCPT TO:<archive@org.example>\n");
	assert_string_equal(got, b.data);   /* every byte */
	assert_non_null(strstr(got, "\r\nSubject: "));
	assert_non_null(strstr(got, "\r\nIn-Reply-To: <abc123@mail.example.fr>\r\n"));
	assert_non_null(strstr(got, "\r\n" MAIL_LOOP_HEADER ": liaison-geneva-1\r\n"));
	assert_non_null(strstr(got, id));
	g_free(env);
	g_free(got);
	buf_free(&b);
}

/* Lines that are or start with a dot would end the SMTP data early or
 * lose a dot if the transfer did not double them; the relay must get the
 * bytes as they were. */
static void dot_lines(void **state)
{
	sink *s = *state;
	static const char data[] = "Subject: dots\r\n\r\nline\r\n.\r\n..two\r\n.x\r\n.\r\nend\r\n";
	buf b = BUF_INIT;
	buf_puts(&b, data);
	const char *to[] = { "helene.dupont@mail.example.fr" };
	send_ok(s->url, "liaison@org.example", to, 1, &b);
	char *got = sink_file(s, 1, "eml");
	assert_non_null(got);
	assert_string_equal(got, data);
	g_free(got);
	buf_free(&b);
}

/* "" is the null sender that automatic answers use, so nothing bounces
 * back to the desk. */
static void null_sender(void **state)
{
	sink *s = *state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	const char *to[] = { "helene.dupont@mail.example.fr" };
	send_ok(s->url, "", to, 1, &b);
	char *env = sink_file(s, 1, "env");
	assert_non_null(env);
	assert_string_equal(env, "MAIL FROM:<>\nRCPT TO:<helene.dupont@mail.example.fr>\n");
	g_free(env);
	buf_free(&b);
}

/* The relay's reply, code and words, is the reason; nothing is delivered
 * to the other recipient either. */
static void recipient_rejected(void **state)
{
	sink *s = *state;
	mail_out m = french_reply();
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	const char *to[] = { "helene.dupont@mail.example.fr", REJECTED };
	char err[512] = "";
	assert_int_equal(smtp_send(s->url, "liaison@org.example", to, 2, b.data, b.len, err, sizeof err), -1);
	if (!strstr(err, "550 5.1.1 <" REJECTED ">: mailbox unavailable in the sink"))
		fail_msg("the reason does not quote the relay: %s", err);
	assert_null(strchr(err, '\r'));
	assert_null(strchr(err, '\n'));
	usleep(200 * 1000);
	assert_false(sink_has(s, 1));
	buf_free(&b);
}

/* The envelope carries the A-label too; a relay without SMTPUTF8 takes
 * such a message like any other. */
static void idn_delivered(void **state)
{
	sink *s = *state;
	mail_out m = french_reply();
	m.to_addr = "aino@exämple.org";
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	const char *to[] = { m.to_addr };
	send_ok(s->url, "liaison@département.example", to, 1, &b);
	char *env = sink_file(s, 1, "env");
	assert_non_null(env);
	assert_string_equal(env, "MAIL FROM:<liaison@xn--dpartement-b7a.example>\n"
				 "RCPT TO:<aino@xn--exmple-cua.org>\n");
	g_free(env);
	buf_free(&b);
}

/* A relay that offers SMTPUTF8 is told the message needs it (libcurl adds
 * it to MAIL FROM) and gets the address in UTF-8. */
static void utf8_delivered_with_smtputf8(void **state)
{
	sink *s = *state;
	mail_out m = french_reply();
	m.to_addr = "josé@exämple.org";
	buf b = BUF_INIT;
	compose_ok(&m, &b, NULL, 0);
	const char *to[] = { m.to_addr, "archive@org.example" };
	send_ok(s->url, "liaison@org.example", to, 2, &b);
	char *env = sink_file(s, 1, "env"), *got = sink_file(s, 1, "eml");
	assert_non_null(env);
	assert_non_null(got);
	assert_string_equal(env, "MAIL FROM:<liaison@org.example> SMTPUTF8\n"
				 "RCPT TO:<josé@xn--exmple-cua.org>\n"
				 "RCPT TO:<archive@org.example>\n");
	assert_string_equal(got, b.data);
	g_free(env);
	g_free(got);
	buf_free(&b);
}

/* A relay that does not offer SMTPUTF8 is never handed the address: the
 * send is refused with that reason, and nothing arrives. */
static void utf8_refused_without_smtputf8(void **state)
{
	sink *s = *state;
	static const char data[] = "Subject: x\r\n\r\nx\r\n";
	const char *to[] = { "archive@org.example", "josé@exämple.org" };
	char err[512] = "";
	assert_int_equal(smtp_send(s->url, "liaison@org.example", to, 2, data, sizeof data - 1, err, sizeof err), -1);
	if (!strstr(err, "does not offer SMTPUTF8, which josé@xn--exmple-cua.org needs"))
		fail_msg("the reason does not say SMTPUTF8 is missing: %s", err);
	usleep(200 * 1000);
	assert_false(sink_has(s, 1));
}

/* A port where nothing listens: taken free from the kernel, then let go. */
static int closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void nothing_listens(void **state)
{
	(void)state;
	char url[64], err[512] = "";
	const char *to[] = { "helene.dupont@mail.example.fr" };
	const char data[] = "Subject: x\r\n\r\nx\r\n";
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", closed_port());
	time_t t0 = time(NULL);
	assert_int_equal(smtp_send(url, "liaison@org.example", to, 1, data, sizeof data - 1, err, sizeof err), -1);
	assert_true(time(NULL) - t0 < 15);
	if (!strcasestr(err, "connect"))
		fail_msg("the reason does not say the connection failed: %s", err);
}

/* The envelope is checked before any connection: a line break in an
 * address would be a command of its own to the relay. */
static void bad_envelope_refused(void **state)
{
	(void)state;
	static const struct {
		const char *url, *from, *to, *reason;
	} bad[] = {
		{ "smtp://127.0.0.1:1", "liaison@org.example", "a@example.fr\r\nRCPT TO:<b@example.fr>", "line break" },
		{ "smtp://127.0.0.1:1", "liaison@org.example\r\nRSET", "a@example.fr", "line break" },
		{ "smtp://127.0.0.1:1", "liaison@org.example", "not an address", "is not an e-mail address" },
		{ "smtp://127.0.0.1:1", "liaison@org.example", "a@ex☃mple.org", "internationalized domain name" },
		{ "smtp://127.0.0.1:1", NULL, "a@example.fr", "sender is missing" },
		{ "http://127.0.0.1:1", "liaison@org.example", "a@example.fr", "smtp://" },
		{ "file:///etc/passwd", "liaison@org.example", "a@example.fr", "smtp://" },
		{ "smtp://127.0.0.1:1/\r\nx", "liaison@org.example", "a@example.fr", "control character" },
		{ NULL, "liaison@org.example", "a@example.fr", "smtp://" },
	};
	const char data[] = "Subject: x\r\n\r\nx\r\n";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256] = "";
		const char *to[] = { bad[i].to };
		assert_int_equal(smtp_send(bad[i].url, bad[i].from, to, 1, data, sizeof data - 1, err, sizeof err), -1);
		if (!strstr(err, bad[i].reason))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].reason);
	}
	char err[256] = "";
	assert_int_equal(smtp_send("smtp://127.0.0.1:1", "liaison@org.example", NULL, 0, data, sizeof data - 1,
				   err, sizeof err), -1);
	assert_non_null(strstr(err, "no recipient"));
}

int main(void)
{
	g_mime_init();   /* for the parser the tests read with; never shut down, like the library's */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(french_reply_raw),
		cmocka_unit_test(french_reply_decodes),
		cmocka_unit_test(plain_message),
		cmocka_unit_test(line_ends),
		cmocka_unit_test(invitation_attached),
		cmocka_unit_test(invitation_cancelled),
		cmocka_unit_test(injection_refused),
		cmocka_unit_test(bad_addresses_refused),
		cmocka_unit_test(long_body_lines),
		cmocka_unit_test(many_references),
		cmocka_unit_test(id_buffer_too_small),
		cmocka_unit_test(addresses_checked),
		cmocka_unit_test(same_mailbox),
		cmocka_unit_test(idn_domains_as_a_labels),
		cmocka_unit_test(utf8_local_part),
		cmocka_unit_test(own_id_never_referenced),
		cmocka_unit_test_setup_teardown(delivered, sink_start, sink_stop),
		cmocka_unit_test_setup_teardown(dot_lines, sink_start, sink_stop),
		cmocka_unit_test_setup_teardown(null_sender, sink_start, sink_stop),
		cmocka_unit_test_setup_teardown(recipient_rejected, sink_start, sink_stop),
		cmocka_unit_test_setup_teardown(idn_delivered, sink_start, sink_stop),
		cmocka_unit_test_setup_teardown(utf8_delivered_with_smtputf8, sink_start_utf8, sink_stop),
		cmocka_unit_test_setup_teardown(utf8_refused_without_smtputf8, sink_start, sink_stop),
		cmocka_unit_test(nothing_listens),
		cmocka_unit_test(bad_envelope_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
