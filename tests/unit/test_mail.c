/*
 * Tests for formats/mail: every fixture in tests/fixtures/mail read to the
 * exact decoded values the inquiry desk will show and store; the decoding
 * rules one by one on small inline messages (encoded words, charsets, HTML,
 * file names, dates, automatic replies); the inputs that must be refused;
 * a 25 MB attachment built at run time; truncated and damaged copies of
 * every fixture, which must never crash and must still give valid UTF-8;
 * and the language guess.
 *
 * The fixtures are found from this file's own path (the compiler is given
 * it relative to the build directory, where the test lives), or from
 * LIAISON_MAIL_FIXTURES.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fold.h"
#include "formats/mail.h"
#include "testpath.h"

/* ---- helpers ----------------------------------------------------------- */

static char *fixtures_path;   /* built once, kept for the run */
static pthread_once_t fixtures_once = PTHREAD_ONCE_INIT;

static void find_fixtures(void)
{
	const char *env = getenv("LIAISON_MAIL_FIXTURES");
	fixtures_path = env && *env ? strdup(env) : TEST_PATH("../fixtures/mail");
}

/* The threads test loads fixtures from several threads at once. */
static const char *fixture_dir(void)
{
	pthread_once(&fixtures_once, find_fixtures);
	return fixtures_path;
}

static char *load(const char *name, size_t *len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_steal(&b);
}

static void parse_bytes(const char *data, size_t len, mail_message *m)
{
	char err[256] = "";
	if (mail_parse(data, len, m, err, sizeof err) != 0)
		fail_msg("mail_parse failed: %s", err);
}

static void parse_fixture(const char *name, mail_message *m)
{
	size_t len;
	char *data = load(name, &len);
	parse_bytes(data, len, m);
	free(data);
}

static void parse_str(const char *s, mail_message *m)
{
	parse_bytes(s, strlen(s), m);
}

static void assert_contains(const void *hay, size_t n, const char *needle)
{
	if (!memmem(hay, n, needle, strlen(needle)))
		fail_msg("\"%s\" not found", needle);
}

static void assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)))
		fail_msg("\"%.80s\" does not begin with \"%s\"", s, prefix);
}

static void assert_utf8(const char *s)
{
	if (s && !utf8_valid(s, strlen(s)))
		fail_msg("not valid UTF-8: %s", s);
}

/* Every string of a parsed message is valid UTF-8, and what must be there is. */
static void assert_sane(const mail_message *m)
{
	assert_non_null(m->subject);
	assert_non_null(m->text);
	assert_utf8(m->message_id);
	assert_utf8(m->in_reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		assert_utf8(m->references[i]);
	assert_utf8(m->from_name);
	assert_utf8(m->from_addr);
	assert_utf8(m->reply_to);
	for (size_t i = 0; i < m->nto; i++)
		assert_utf8(m->to[i]);
	assert_utf8(m->subject);
	assert_utf8(m->text);
	assert_utf8(m->html);
	for (size_t i = 0; i < m->nattachments; i++) {
		assert_non_null(m->attachments[i].filename);
		assert_true(m->attachments[i].filename[0] != '\0');
		assert_utf8(m->attachments[i].filename);
		assert_non_null(m->attachments[i].content_type);
		assert_non_null(m->attachments[i].data);
	}
	assert_true(m->auto_reply == (m->auto_reason != NULL));
}

/* ---- the fixtures ------------------------------------------------------ */

static void test_outlook_html(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("outlook-html.eml", &m);
	assert_sane(&m);
	assert_string_equal(m.message_id, "DB9PR08MB6588A1B2C3D4E5F6@DB9PR08MB6588.eurprd08.prod.outlook.example");
	assert_string_equal(m.from_name, "Ingrid Solberg");
	assert_string_equal(m.from_addr, "i.solberg@nordvik-mfa.example");
	assert_int_equal(m.nto, 2);
	assert_string_equal(m.to[0], "inquiries@coop-dept.example");
	assert_string_equal(m.to[1], "tomas.lindqvist@nordvik-mfa.example");
	assert_string_equal(m.subject, "Request for the \u201cAnnual Partnership Review\u201d");
	assert_int_equal(m.date, 1741076042);   /* 2025-03-04T08:14:02Z */
	assert_string_equal(m.text,
		"Dear colleagues,\n\n"
		"Further to our call, could you send us the \u201cAnnual Partnership Review\u201d for 2024 \u2013 "
		"ideally the French version as well? We\u2019d like to circulate it before the Standing Committee\u2026\n\n"
		"Kind regards,\nIngrid\n\n"
		"Ingrid Solberg | Senior Adviser\n\n"
		"Ministry of Foreign Affairs of Nordvik \u2013 Section for Multilateral Affairs\n\n"
		"<This e-mail may contain confidential information>");
	assert_non_null(m.html);
	assert_prefix(m.html, "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"");
	assert_contains(m.html, strlen(m.html), "send us the \u201cAnnual Partnership Review\u201d for 2024 \u2013 ideally");
	assert_int_equal(m.nattachments, 0);
	assert_false(m.auto_reply);
	assert_false(m.loop);
	assert_int_equal(mail_guess_lang(m.text), 0);
	mail_free(&m);
}

static void test_french_latin1(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("french-latin1.eml", &m);
	assert_sane(&m);
	assert_string_equal(m.message_id, "20250210154231.GA18422@passerelles-ong.example");
	assert_string_equal(m.from_name, "H\u00e9l\u00e8ne Marchetti");
	assert_string_equal(m.from_addr, "helene.marchetti@passerelles-ong.example");
	assert_string_equal(m.subject, "Demande d'information sur le programme de coop\u00e9ration r\u00e9gionale");
	assert_int_equal(m.date, 1739202151);   /* 2025-02-10T15:42:31Z */
	/* Labelled iso-8859-1, written in windows-1252: 0x92 is an apostrophe, 0x96 a dash. */
	assert_string_equal(m.text,
		"Madame, Monsieur,\n\n"
		"Je me permets de vous \u00e9crire au nom de l\u2019association Passerelles, qui accompagne\n"
		"les personnes migrantes dans la r\u00e9gion Lyon \u2013 Villeurbanne depuis 2011.\n\n"
		"Nous souhaiterions savoir si votre d\u00e9partement organise cette ann\u00e9e des\n"
		"consultations avec la soci\u00e9t\u00e9 civile, et comment y participer.\n\n"
		"Avec mes remerciements anticip\u00e9s,\n\n"
		"H\u00e9l\u00e8ne Marchetti\n"
		"Charg\u00e9e de mission, Passerelles\n");
	assert_null(m.html);
	assert_int_equal(m.nattachments, 0);
	assert_false(m.auto_reply);
	assert_int_equal(mail_guess_lang(m.text), 1);
	mail_free(&m);
}

static void test_spanish_encoded_words(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("spanish-encoded-words.eml", &m);
	assert_sane(&m);
	/* Q and B words, the second B word beginning in the middle of an "ó". */
	assert_string_equal(m.subject, "Solicitud de informaci\u00f3n sobre la reuni\u00f3n de coordinaci\u00f3n en Cartagena");
	assert_string_equal(m.from_name, "Mar\u00eda Jos\u00e9 Fern\u00e1ndez Ruiz");
	assert_string_equal(m.from_addr, "mj.fernandez@cancilleria-valdemora.example");
	assert_string_equal(m.reply_to, "consultas.multilaterales@cancilleria-valdemora.example");
	/* To and Cc, lower-cased, the desk named twice counted once. */
	assert_int_equal(m.nto, 2);
	assert_string_equal(m.to[0], "inquiries@coop-dept.example");
	assert_string_equal(m.to[1], "lucia.ortiz@cancilleria-valdemora.example");
	assert_int_equal(m.date, 1739891112);   /* 2025-02-18T15:05:12Z */
	assert_prefix(m.text, "Estimados se\u00f1ores:\n\nLes escribo para solicitar informaci\u00f3n");
	assert_int_equal(mail_guess_lang(m.text), 2);
	mail_free(&m);
}

static const unsigned char png_1x1[70] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0xf7, 0xeb, 0xf9,
	0x0f, 0x00, 0x03, 0x82, 0x01, 0xf9, 0x1d, 0xf5, 0x05, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static const char small_pdf[] =
	"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
	"trailer << /Root 1 0 R >>\n%%EOF\n";

static void test_nested_multipart(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("nested-multipart.eml", &m);
	assert_sane(&m);
	/* mixed > alternative > (plain, related > (html, image)), pdf */
	assert_string_equal(m.text,
		"Dear colleagues,\n\n"
		"Please find attached the draft report of the regional consultation \u2013 comments are welcome until 28 March.\n\n"
		"Best regards,\nKwame\n");
	assert_non_null(m.html);
	assert_prefix(m.html, "<html><head><style>p {margin:0}</style></head><body><p>Dear colleagues,</p>");
	assert_int_equal(m.nattachments, 2);
	assert_string_equal(m.attachments[0].filename, "attachment-1");
	assert_string_equal(m.attachments[0].content_type, "image/png");
	assert_int_equal(m.attachments[0].len, sizeof png_1x1);
	assert_memory_equal(m.attachments[0].data, png_1x1, sizeof png_1x1);
	assert_string_equal(m.attachments[1].filename, "Rapport pr\u00e9liminaire \u2013 consultation r\u00e9gionale.pdf");
	assert_string_equal(m.attachments[1].content_type, "application/pdf");
	assert_int_equal(m.attachments[1].len, sizeof small_pdf - 1);
	assert_memory_equal(m.attachments[1].data, small_pdf, sizeof small_pdf - 1);
	mail_free(&m);
}

static void test_reply_threading(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("reply-threading.eml", &m);
	assert_sane(&m);
	assert_string_equal(m.message_id, "CAF7x9q2LmR4=k8vZ@mail.mission-belmark.example");
	assert_string_equal(m.in_reply_to, "inq-2025-0142.1741777200.a1b2@coop-dept.example");
	assert_int_equal(m.nreferences, 3);
	assert_string_equal(m.references[0], "CAF1a2b3c4d5@mail.mission-belmark.example");
	assert_string_equal(m.references[1], "inq-2025-0142.1741690800.9f8e@coop-dept.example");
	assert_string_equal(m.references[2], "inq-2025-0142.1741777200.a1b2@coop-dept.example");
	/* an undeclared 8-bit (UTF-8) display name */
	assert_string_equal(m.from_name, "Ale\u0161 Nov\u00e1k");
	assert_string_equal(m.from_addr, "a.novak@mission-belmark.example");
	assert_string_equal(m.subject, "RE: [INQ-2025-0142] Observer status at the Council session");
	assert_int_equal(m.date, 1741861245);
	assert_prefix(m.text, "Thank you for the clarification.");
	assert_false(m.auto_reply);
	mail_free(&m);
}

static void test_no_message_id(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("no-message-id.eml", &m);
	assert_sane(&m);
	assert_null(m.message_id);
	assert_null(m.in_reply_to);
	assert_int_equal(m.nreferences, 0);
	assert_int_equal(m.date, 0);   /* no Date header */
	/* "addr (Name)": the old form, the name in windows-1252 undeclared */
	assert_string_equal(m.from_name, "Jean-Baptiste Kouam\u00e9");
	assert_string_equal(m.from_addr, "jb.kouame@courriel-public.example");
	/* raw windows-1252 bytes in the subject: not UTF-8, so read as 1252 */
	assert_string_equal(m.subject, "Question sur les bourses d'\u00e9tudes \u2013 ann\u00e9e 2025");
	/* labelled us-ascii, written in UTF-8 */
	assert_string_equal(m.text,
		"Bonjour,\n\nJe voudrais savoir si l\u2019organisation propose des bourses d\u2019\u00e9tudes "
		"pour les \u00e9tudiants en droit des migrations.\n\nMerci d\u2019avance.\n");
	mail_free(&m);
}

static void test_boundary_unclosed(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("boundary-unclosed.eml", &m);
	assert_sane(&m);
	assert_string_equal(m.text,
		"Good morning,\n\nCould you tell us whether the department accepts interns this summer?\n\nSvetlana Ivanova\n");
	assert_non_null(m.html);
	assert_contains(m.html, strlen(m.html), "<p>Svetlana Ivanova</p>");
	assert_int_equal(m.nattachments, 0);
	mail_free(&m);
}

static void test_boundary_mismatch(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("boundary-mismatch.eml", &m);
	assert_sane(&m);
	/* parsed again with the boundary the body uses: quoted-printable undone */
	assert_string_equal(m.text,
		"Dear colleagues,\n\nPlease find the agenda of the consultation attached \u2013 we look forward to your comments.\n\nThabo");
	assert_int_equal(m.nattachments, 1);
	assert_string_equal(m.attachments[0].filename, "agenda.pdf");
	assert_string_equal(m.attachments[0].content_type, "application/pdf");
	static const char agenda[] = "%PDF-1.4\n% agenda of the 12 May consultation\n%%EOF\n";
	assert_int_equal(m.attachments[0].len, sizeof agenda - 1);
	assert_memory_equal(m.attachments[0].data, agenda, sizeof agenda - 1);
	mail_free(&m);
}

static void test_boundary_lost(void **state)
{
	(void)state;
	/* No boundary line at all: the preface is the best text there is. */
	mail_message m;
	parse_str("From: a@example.org\nSubject: lost\n"
		  "Content-Type: multipart/mixed; boundary=\"never-seen\"\n\n"
		  "Hello,\nthe parts of this message were lost on the way.\n", &m);
	assert_sane(&m);
	assert_string_equal(m.text, "Hello,\nthe parts of this message were lost on the way.\n");
	assert_int_equal(m.nattachments, 0);
	mail_free(&m);
}

static void test_out_of_office(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("out-of-office.eml", &m);
	assert_sane(&m);
	assert_true(m.auto_reply);
	assert_string_equal(m.auto_reason, "Auto-Submitted: auto-replied");
	assert_string_equal(m.subject,
		"R\u00e9ponse automatique\u00a0: [INQ-2025-0150] Votre demande a bien \u00e9t\u00e9 re\u00e7ue");
	assert_string_equal(m.in_reply_to, "inq-2025-0150.1742375400.c3d4@coop-dept.example");
	assert_string_equal(m.from_addr, "r.domingues@lusofonia-partners.example");
	assert_string_equal(m.text,
		"Je suis absent du bureau jusqu\u2019au 24 mars, avec un acc\u00e8s limit\u00e9 \u00e0 ma messagerie.\n"
		"I am out of the office until 24 March with limited access to e-mail.\n");
	assert_non_null(m.html);
	assert_false(m.loop);
	mail_free(&m);
}

static void test_bounce(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("bounce-report.eml", &m);
	assert_sane(&m);
	assert_true(m.auto_reply);
	assert_string_equal(m.auto_reason, "Auto-Submitted: auto-replied");
	assert_string_equal(m.from_addr, "mailer-daemon@mx1.coop-dept.example");
	assert_string_equal(m.from_name, "Mail Delivery System");
	assert_string_equal(m.subject, "Undelivered Mail Returned to Sender");
	assert_int_equal(m.date, 1741932133);
	assert_prefix(m.text, "This is the mail system at host mx1.coop-dept.example.\n\n");
	assert_contains(m.text, strlen(m.text), "User unknown in virtual mailbox table");
	assert_int_equal(m.nattachments, 2);
	assert_string_equal(m.attachments[0].content_type, "message/delivery-status");
	assert_string_equal(m.attachments[0].filename, "attachment-1");
	assert_contains(m.attachments[0].data, m.attachments[0].len, "Final-Recipient: rfc822; s.ferreira@old-domain.example");
	/* the returned message, kept whole as an attachment */
	assert_string_equal(m.attachments[1].content_type, "message/rfc822");
	assert_string_equal(m.attachments[1].filename, "attachment-2");
	assert_contains(m.attachments[1].data, m.attachments[1].len, "Subject: [INQ-2025-0139] Your inquiry");
	assert_contains(m.attachments[1].data, m.attachments[1].len, "Dear Ms Ferreira, thank you for your inquiry.");
	/* its X-Liaison-Loop is inside the attachment: not a loop of this message */
	assert_false(m.loop);
	mail_free(&m);
}

static void test_mailing_list(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("mailing-list.eml", &m);
	assert_sane(&m);
	assert_true(m.auto_reply);
	assert_string_equal(m.auto_reason, "List-Id");
	assert_string_equal(m.subject, "[MRN Bulletin] Call for papers: labour mobility corridors");
	assert_string_equal(m.from_name, "Migration Research Network");
	mail_free(&m);
}

static void test_loop(void **state)
{
	(void)state;
	mail_message m;
	parse_fixture("loop.eml", &m);
	assert_sane(&m);
	assert_true(m.loop);
	assert_false(m.auto_reply);
	assert_null(m.auto_reason);
	assert_string_equal(m.message_id, "inq-2025-0147.1742548500.e5f6@coop-dept.example");
	assert_string_equal(m.text, "Thank you for writing to us. Your inquiry has the reference INQ-2025-0147.\n");
	mail_free(&m);
}

/* ---- decoding rules on inline messages --------------------------------- */

static void test_encoded_words(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *want;
	} cases[] = {
		{ "=?utf-8?Q?caf=C3=A9?==?utf-8?Q?_ol=C3=A9?=", "caf\u00e9 ol\u00e9" },     /* touching */
		{ "Re:=?utf-8?Q?caf=C3=A9?=", "Re:caf\u00e9" },                           /* inside a word */
		{ "=?utf-8?Q?caf=C3=A9 ol=C3=A9?=", "caf\u00e9 ol\u00e9" },               /* Outlook's spaces */
		{ "=?utf-8?B?Y2Fmw6kgww==?=\n =?utf-8?B?qQ==?=", "caf\u00e9 \u00e9" },   /* split character */
		{ "=?utf-8?Q?a?= =?iso-8859-1?Q?=E9?=", "a\u00e9" },                     /* two charsets */
		{ "=?iso-8859-1?Q?=93Informe=94?=", "\u201cInforme\u201d" },              /* 1252 as Latin-1 */
		{ "=?iso-8859-15?Q?=A4uro?= zone", "\u20acuro zone" },
		{ "=?koi8-r?B?8NLJ18XU?=", "\u041f\u0440\u0438\u0432\u0435\u0442" },
		{ "=?utf-8*es?Q?a=C3=B1o?=", "a\u00f1o" },                               /* RFC 2231 language */
		{ "=?x-unknown?Q?caf=E9?=", "caf\u00e9" },                               /* unknown charset */
		{ "=?utf-8?Q?bad=FF?=", "bad\ufffd" },
		{ "=?utf-8?q?tab=09and=0D=0Anewline?=", "tab and newline" },
		{ "Hello   =?utf-8?Q?w?=\t world", "Hello w world" },
		{ "not =?an encoded word", "not =?an encoded word" },
		{ "A\xc3\xb1o nuevo", "A\u00f1o nuevo" },                                 /* raw UTF-8 */
		{ "A\xf1o nuevo \x93ya\x94", "A\u00f1o nuevo \u201cya\u201d" },           /* raw 1252 */
		{ "  spaced\n\t out  ", "spaced out" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		buf_printf(&b, "From: a@example.org\nSubject: %s\n\nbody\n", cases[i].raw);
		mail_message m;
		parse_str(buf_str(&b), &m);
		assert_sane(&m);
		if (strcmp(m.subject, cases[i].want))
			fail_msg("subject %zu: got \"%s\", want \"%s\"", i, m.subject, cases[i].want);
		mail_free(&m);
		buf_free(&b);
	}
	mail_message m;
	parse_str("From: a@example.org\n\nno subject\n", &m);
	assert_string_equal(m.subject, "");
	mail_free(&m);
}

static void test_charsets(void **state)
{
	(void)state;
	static const struct {
		const char *ctype, *body, *want;
		size_t len;   /* for bodies holding a NUL; 0: strlen */
	} cases[] = {
		{ "text/plain; charset=koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "\u041f\u0440\u0438\u0432\u0435\u0442", 0 },
		{ "text/plain; charset=iso-8859-15", "\xa4 100, \xbd", "\u20ac 100, \u0153", 0 },
		{ "text/plain; charset=ISO-8859-1", "\x93quoted\x94 \x85 caf\xe9", "\u201cquoted\u201d \u2026 caf\u00e9", 0 },
		{ "text/plain; charset=windows-1252", "\x80 5 \x81", "\u20ac 5 \ufffd", 0 },
		{ "text/plain; charset=utf-8", "ok \xff\xfe end \xe2\x82", "ok \ufffd\ufffd end \ufffd\ufffd", 0 },
		{ "text/plain", "caf\xe9", "caf\u00e9", 0 },
		{ "text/plain; charset=us-ascii", "caf\xc3\xa9", "caf\u00e9", 0 },
		{ "text/plain; charset=x-klingon", "caf\xc3\xa9", "caf\u00e9", 0 },
		{ "text/plain; charset=utf-16le", "h\0i\0", "hi", 4 },
		{ "text/plain; charset=iso-8859-2", "\xa9koda \xe8", "\u0160koda \u010d", 0 },
		{ "text/plain; charset=utf-8", "line one\r\nline two\rline three", "line one\nline two\nline three", 0 },
		{ "text/plain; charset=utf-8", "nul\0byte", "nulbyte", 8 },
		{ "text/plain; charset=utf-8", "c1 \xc2\x96 dash", "c1 \u2013 dash", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		buf_printf(&b, "From: a@example.org\nContent-Type: %s\nContent-Transfer-Encoding: 8bit\n\n", cases[i].ctype);
		buf_add(&b, cases[i].body, cases[i].len ? cases[i].len : strlen(cases[i].body));
		mail_message m;
		parse_bytes(b.data, b.len, &m);
		assert_sane(&m);
		if (strcmp(m.text, cases[i].want))
			fail_msg("charset case %zu: got \"%s\", want \"%s\"", i, m.text, cases[i].want);
		mail_free(&m);
		buf_free(&b);
	}
	/* undeclared 8-bit display names: UTF-8 when valid, else windows-1252 */
	mail_message m;
	parse_str("From: Fran\xe7ois Dupr\xe9 <F.Dupre@Example.org>\nTo: \"N\xc3\xba\xc3\xb1" "ez\" <n@example.org>\n\nx\n", &m);
	assert_string_equal(m.from_name, "Fran\u00e7ois Dupr\u00e9");
	assert_string_equal(m.from_addr, "f.dupre@example.org");
	mail_free(&m);
}

/* An HTML-only message in charset, and what its text must be. */
static void expect_html_in(const char *charset, const char *html, const char *want)
{
	buf b = BUF_INIT;
	buf_printf(&b, "From: a@example.org\nContent-Type: text/html; charset=%s\n\n%s", charset, html);
	mail_message m;
	parse_str(buf_str(&b), &m);
	assert_sane(&m);
	if (strcmp(m.text, want))
		fail_msg("html \"%s\": got \"%s\", want \"%s\"", html, m.text, want);
	if (utf8_valid(html, strlen(html)))   /* else m.html holds it made valid */
		assert_string_equal(m.html, html);
	mail_free(&m);
	buf_free(&b);
}

static void expect_html(const char *html, const char *want)
{
	expect_html_in("utf-8", html, want);
}

static void test_html_to_text(void **state)
{
	(void)state;
	expect_html("<p>a&amp;b &lt;c&gt; &eacute;&#233;&#xE9;&#xe9 &#150; &unknown; & &quot;</p>",
		    "a&b <c> \u00e9\u00e9\u00e9\u00e9 \u2013 &unknown; & \"");
	expect_html("<html><head><title>Title</title><style>p{color:red}</style></head><body>"
		    "<script>alert('x')</script><div>One</div><div>Two</div></body></html>", "One\nTwo");
	expect_html("a<br>b<br/><br>c", "a\nb\n\nc");
	expect_html("<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter");
	expect_html("  a \n\t b  \n", "a b");
	expect_html("<pre>x  y\nz</pre>after", "x  y\nz\n\nafter");
	expect_html("1 < 2 and 3 > 2", "1 < 2 and 3 > 2");
	expect_html("<head><title>x</title><body>Hi", "Hi");
	expect_html("a<!-- hidden <p> -->b", "ab");
	expect_html("a<script>var x = 1;", "a");
	expect_html("<a title=\"x>y\" href='z'>link</a> text", "link text");
	expect_html("a\xc2\xa0\xc2\xa0" "b&nbsp;&nbsp;c", "a b c");
	expect_html("<table><tr><td>Name</td><td>Value</td></tr><tr><td>x</td><td>1</td></tr></table>",
		    "Name Value\nx 1");
	expect_html("<h1>Title</h1><p>Para one.</p><p>Para two.</p>", "Title\n\nPara one.\n\nPara two.");
	expect_html("<![if !supportLists]>\u00b7<![endif]>item<o:p></o:p>", "\u00b7item");
	/* references to no character are dropped (a browser shows U+FFFD): either way no text is lost */
	expect_html("&#0;&#x110000;&#55296;x", "x");
	expect_html("", "");
}

/* Lists in lists, tables, markup a browser repairs, and entities the old table lacked. */
static void test_html_structure(void **state)
{
	(void)state;
	expect_html("<ul><li>a<ul><li>b</li><li>c<ol><li>d</li></ol></li></ul></li><li>e</li></ul>after",
		    "- a\n  - b\n  - c\n    - d\n- e\n\nafter");
	expect_html("<ol>\n <li>first\n <li>second\n</ol>", "- first\n- second");
	expect_html("<table><caption>Pledges</caption><thead><tr><th>Donor</th><th>Amount</th></tr></thead>"
		    "<tbody><tr><td>Nordvik</td><td>1,000</td></tr><tr><td>Ostmark</td><td>250</td></tr></tbody></table>"
		    "Total", "Pledges\nDonor Amount\nNordvik 1,000\nOstmark 250\n\nTotal");
	expect_html("<table><tr><td><table><tr><td>inner</td></tr></table></td><td>outer</td></tr></table>",
		    "inner\n\nouter");
	expect_html("<p>One<p>Two<div>Three</div>Four", "One\n\nTwo\n\nThree\nFour");   /* <div> ends the <p> */
	expect_html("<b>bold <i>both</b> italic</i> plain", "bold both italic plain");
	expect_html("<div><span>unclosed <em>tags", "unclosed tags");
	expect_html("</p></div>stray ends</li>", "stray ends");
	expect_html("<p>&alpha;&rarr;&frac12; &hellip; &NotAnEntity; AT&T</p>",
		    "\u03b1\u2192\u00bd \u2026 &NotAnEntity; AT&T");
	expect_html("<p>a&#x2003;&#8203;b</p>", "a\u2003\u200bb");
	expect_html("<p>a</p><style>p{}</style><template><p>hidden</p></template><script>x()</script>b", "a\n\nb");
}

/* A hundred thousand nested elements: no crash, nothing taken from the
 * stack.  libxml2 stops reading at 256 levels (what lies deeper is not
 * text anyone wrote to be read); the HTML itself is kept whole. */
static void test_html_deep_nesting(void **state)
{
	(void)state;
	buf html = BUF_INIT;
	buf_puts(&html, "<p>Before the nesting.</p>");
	for (int i = 0; i < 100000; i++)
		buf_puts(&html, i % 2 ? "<div>" : "<b>");
	buf_puts(&html, "deep");
	buf b = BUF_INIT;
	buf_printf(&b, "From: a@example.org\nContent-Type: text/html; charset=utf-8\n\n%s", buf_str(&html));
	mail_message m;
	parse_str(buf_str(&b), &m);
	assert_sane(&m);
	assert_string_equal(m.text, "Before the nesting.");
	assert_int_equal(strlen(m.html), html.len);
	mail_free(&m);
	buf_free(&b);
	buf_free(&html);
}

/* The part's charset decides; a <meta charset> inside the HTML does not. */
static void test_html_charsets(void **state)
{
	(void)state;
	expect_html_in("iso-8859-1", "<p>Caf\xe9 \x96 cr\xe8me</p>", "Caf\u00e9 \u2013 cr\u00e8me");
	expect_html_in("windows-1251", "<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>", "\u041f\u0440\u0438\u0432\u0435\u0442");
	expect_html("<head><meta charset=\"iso-8859-1\"></head><p>d\u00e9j\u00e0</p>", "d\u00e9j\u00e0");
	expect_html_in("utf-8", "<p>broken \xff\xfe bytes</p>", "broken \ufffd\ufffd bytes");
}

static void test_attachments(void **state)
{
	(void)state;
	const char *msg =
		"From: a@example.org\n"
		"Subject: files\n"
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n"
		"--b\nContent-Type: text/plain; charset=utf-8\n\nBody\n"
		"--b\nContent-Type: text/plain; charset=utf-8; name=\"notes.txt\"\n\nSome notes\n"
		"--b\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\n"
		"--b\nContent-Type: application/octet-stream\n"
		"Content-Disposition: attachment; filename=\"../../etc/passwd\"\n\nroot\n"
		"--b\nContent-Type: application/pdf\n"
		"Content-Disposition: attachment; filename*=iso-8859-1''r%E9sum%E9.pdf\n\n%PDF\n"
		"--b\nContent-Type: message/rfc822\n"
		"Content-Disposition: attachment; filename=\"forwarded.eml\"\n\n"
		"From: inner@example.org\nSubject: Inner\n\nInner body\n"
		"--b\nContent-Type: text/html; charset=utf-8\nContent-Disposition: attachment\n\n<p>kept as a file</p>\n"
		"--b\nContent-Type: text/plain; charset=utf-8\n\nSecond text part\n"
		"--b\nContent-Type: image/jpeg; name=\"=?utf-8?B?Rm90b2dyYWbDrWEuanBn?=\"\n"
		"Content-Transfer-Encoding: base64\n\n/9j/4A==\n"
		"--b\nContent-Type: application/octet-stream; name=\"Ann\xc3\xa9" "e.bin\"\n\nx\n"
		"--b--\n";
	mail_message m;
	parse_str(msg, &m);
	assert_sane(&m);
	assert_string_equal(m.text, "Body");   /* the first inline text/plain only */
	assert_null(m.html);                   /* the HTML part is an attachment */
	assert_int_equal(m.nattachments, 8);
	static const char *const names[] = {
		"notes.txt", "attachment-2", "passwd", "r\u00e9sum\u00e9.pdf", "forwarded.eml", "attachment-6",
		"Fotograf\u00eda.jpg", "Ann\u00e9e.bin",
	};
	static const char *const types[] = {
		"text/plain", "text/calendar", "application/octet-stream", "application/pdf", "message/rfc822",
		"text/html", "image/jpeg", "application/octet-stream",
	};
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(m.attachments[i].filename, names[i]);
		assert_string_equal(m.attachments[i].content_type, types[i]);
	}
	assert_int_equal(m.attachments[0].len, 10);
	assert_memory_equal(m.attachments[0].data, "Some notes", 10);
	assert_contains(m.attachments[4].data, m.attachments[4].len, "Subject: Inner");
	assert_contains(m.attachments[4].data, m.attachments[4].len, "Inner body");
	assert_int_equal(m.attachments[6].len, 4);
	assert_memory_equal(m.attachments[6].data, "\xff\xd8\xff\xe0", 4);
	mail_free(&m);
}

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		int64_t want;
	} cases[] = {
		{ "Date: Tue, 4 Mar 2025 08:14:02 +0000\n", 1741076042 },
		{ "Date: 4 Mar 2025 09:14:02 +0100\n", 1741076042 },
		{ "Date: Tue, 04 Mar 2025 03:14:02 -0500 (EST)\n", 1741076042 },
		{ "Date: Tue, 4 Mar 2025 08:14:02 GMT\n", 1741076042 },
		{ "Date: Tue,\n  4 Mar 2025 08:14:02 +0000\n", 1741076042 },
		{ "Date: not a date at all\n", 0 },
		{ "Date: \n", 0 },
		{ "", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		buf_printf(&b, "From: a@example.org\n%sSubject: d\n\nx\n", cases[i].header);
		mail_message m;
		parse_str(buf_str(&b), &m);
		if (m.date != cases[i].want)
			fail_msg("date case %zu: got %lld, want %lld", i, (long long)m.date, (long long)cases[i].want);
		mail_free(&m);
		buf_free(&b);
	}
}

static void test_threading_forms(void **state)
{
	(void)state;
	mail_message m;
	parse_str("From: a@example.org\n"
		  "Message-ID:   < abc@example.org >  \n"
		  "In-Reply-To: Your message of Mon, 3 Mar (a comment) <prev@example.org>\n"
		  "References: <one@example.org><two@example.org>\n\tbroken junk <three@example.org>\n\nx\n", &m);
	assert_string_equal(m.message_id, "abc@example.org");
	assert_string_equal(m.in_reply_to, "prev@example.org");
	assert_int_equal(m.nreferences, 3);
	assert_string_equal(m.references[0], "one@example.org");
	assert_string_equal(m.references[1], "two@example.org");
	assert_string_equal(m.references[2], "three@example.org");
	mail_free(&m);
	parse_str("From: a@example.org\nMessage-ID: \n\nx\n", &m);
	assert_null(m.message_id);   /* empty is none */
	mail_free(&m);
	parse_str("From: Undisclosed <>\nTo: undisclosed-recipients:;\nReply-To: Desk <DESK@Example.org>\n\nx\n", &m);
	assert_null(m.from_addr);
	assert_int_equal(m.nto, 0);
	assert_string_equal(m.reply_to, "desk@example.org");
	mail_free(&m);
	parse_str("From: \"Team\": Ana <ana@example.org>, Bo <bo@example.org>;\n"
		  "To: list: x@example.org, y@example.org;\nCc: x@example.org, z@example.org\n\nx\n", &m);
	assert_string_equal(m.from_addr, "ana@example.org");
	assert_int_equal(m.nto, 3);
	assert_string_equal(m.to[0], "x@example.org");
	assert_string_equal(m.to[1], "y@example.org");
	assert_string_equal(m.to[2], "z@example.org");
	mail_free(&m);
}

/* ---- automatic replies ------------------------------------------------- */

static void test_auto_rules(void **state)
{
	(void)state;
	static const struct {
		const char *from, *subject, *extra, *reason;
	} cases[] = {
		{ "a@example.org", "x", "Auto-Submitted: auto-replied\n", "Auto-Submitted: auto-replied" },
		{ "a@example.org", "x", "Auto-Submitted: Auto-Generated\n", "Auto-Submitted: auto-generated" },
		{ "a@example.org", "x", "Auto-Submitted: auto-notified; owner-email=\"o@example.org\"\n",
		  "Auto-Submitted: auto-notified" },
		{ "a@example.org", "x", "Auto-Submitted: auto-something-new\n", "Auto-Submitted" },
		{ "a@example.org", "x", "X-Autoreply: yes\n", "X-Autoreply" },
		{ "a@example.org", "x", "X-Autorespond: Out of office\n", "X-Autorespond" },
		{ "a@example.org", "x", "X-Auto-Response-Suppress: DR, OOF, AutoReply\n", "X-Auto-Response-Suppress: OOF" },
		{ "a@example.org", "x", "X-Auto-Response-Suppress: All\n", "X-Auto-Response-Suppress: All" },
		{ "a@example.org", "x", "Precedence: bulk\n", "Precedence: bulk" },
		{ "a@example.org", "x", "Precedence: JUNK\n", "Precedence: junk" },
		{ "a@example.org", "x", "Precedence: list\n", "Precedence: list" },
		{ "a@example.org", "x", "Precedence: auto_reply\n", "Precedence: auto_reply" },
		{ "a@example.org", "x", "List-Id: News <news.example.org>\n", "List-Id" },
		{ "a@example.org", "x", "List-Unsubscribe: <mailto:leave@example.org>\n", "List-Unsubscribe" },
		{ "a@example.org", "x", "Return-Path: <>\n", "Return-Path: <>" },
		{ "a@example.org", "x", "Return-Path:  < >\n", "Return-Path: <>" },
		{ "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>", "x", "", "From: mailer-daemon" },
		{ "postmaster@example.org", "x", "", "From: postmaster" },
		{ "a@example.org", "x",
		  "Content-Type: multipart/report; report-type=disposition-notification; boundary=r\n",
		  "Content-Type: multipart/report" },
		{ "a@example.org", "Out of Office: Re: your inquiry", "", "Subject: Out of Office" },
		{ "a@example.org", "Automatic reply: Meeting", "", "Subject: Automatic reply" },
		{ "a@example.org", "AutoReply: x", "", "Subject: Autoreply" },
		{ "a@example.org", "Auto-Reply: x", "", "Subject: Autoreply" },
		{ "a@example.org", "R\xc3\xa9ponse automatique : x", "", "Subject: R\u00e9ponse automatique" },
		{ "a@example.org", "=?utf-8?Q?R=C3=A9ponse_automatique=C2=A0:_x?=", "", "Subject: R\u00e9ponse automatique" },
		{ "a@example.org", "Absence du bureau", "", "Subject: Absence du bureau" },
		{ "a@example.org", "RESPUESTA AUTOM\xc3\x81TICA: x", "", "Subject: Respuesta autom\u00e1tica" },
		{ "a@example.org", "Fuera de la oficina: x", "", "Subject: Fuera de la oficina" },
		/* not automatic */
		{ "a@example.org", "x", "Auto-Submitted: no\n", NULL },
		{ "a@example.org", "x", "Precedence: first-class\n", NULL },
		{ "a@example.org", "x", "Return-Path: <a@example.org>\n", NULL },
		{ "a@example.org", "x", "X-Auto-Response-Suppress: DR, RN\n", NULL },
		{ "mailer-daemon-fan@example.org", "x", "", NULL },
		{ "a@example.org", "Re: Out of office hours", "", NULL },
		{ "a@example.org", "Autoreplying is rude", "", NULL },
		{ "a@example.org", "Outstanding question", "", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		buf_printf(&b, "From: %s\nTo: desk@example.org\nSubject: %s\n%s\n%s", cases[i].from, cases[i].subject,
			   cases[i].extra, strstr(cases[i].extra, "boundary=r") ? "--r\n\nreport\n--r--\n" : "hi\n");
		mail_message m;
		parse_str(buf_str(&b), &m);
		const char *got = m.auto_reason ? m.auto_reason : "(none)";
		const char *want = cases[i].reason ? cases[i].reason : "(none)";
		if (strcmp(got, want))
			fail_msg("auto case %zu: got \"%s\", want \"%s\"", i, got, want);
		assert_int_equal(m.auto_reply, cases[i].reason != NULL);
		assert_false(m.loop);
		mail_free(&m);
		buf_free(&b);
	}
}

/* ---- refusals ------------------------------------------------------------ */

static void expect_refused(const char *data, size_t len, const char *why)
{
	mail_message m;
	char err[256] = "";
	assert_int_equal(mail_parse(data, len, &m, err, sizeof err), -1);
	if (!strstr(err, why))
		fail_msg("reason \"%s\" does not say \"%s\"", err, why);
	assert_null(strchr(err, '\n'));
	assert_null(m.subject);   /* left empty, and safe to free */
	assert_null(m.text);
	mail_free(&m);
}

#define REFUSED(s, why) expect_refused(s, sizeof s - 1, why)

static void test_refusals(void **state)
{
	(void)state;
	expect_refused(NULL, 0, "empty");
	REFUSED("", "empty");
	REFUSED("\x01\x02\0\x03\xff binary", "not a message");
	REFUSED("Subject: x\0\x01\x02\n\nbody\n", "binary data in the header");
	REFUSED("Hello, this is not a message at all.\nJust text.\n", "not a message");
	REFUSED("\nSubject: x\n\nbody\n", "empty line");
	REFUSED("From sender@example.org Mon Jan  6 10:00:00 2025\n", "empty");
	/* past the first check, but GMime cannot read it: cut short in a header */
	REFUSED("Subject: cut short\nFro", "GMime could not parse");
	/* a too small error buffer is no problem */
	mail_message m;
	char tiny[4];
	assert_int_equal(mail_parse("", 0, &m, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), 3);
	assert_int_equal(mail_parse("", 0, &m, NULL, 0), -1);
	mail_free(NULL);
}

static void test_accepted_oddities(void **state)
{
	(void)state;
	mail_message m;
	/* an mbox envelope line and a byte order mark before the headers */
	parse_str("\xef\xbb\xbf" "From sender@example.org Mon Jan  6 10:00:00 2025\nFrom: a@example.org\nSubject: mbox\n\nhi\n", &m);
	assert_string_equal(m.subject, "mbox");
	assert_string_equal(m.text, "hi\n");
	mail_free(&m);
	/* headers only, no body, no final newline */
	parse_str("Subject: only headers", &m);
	assert_string_equal(m.subject, "only headers");
	assert_string_equal(m.text, "");
	assert_null(m.from_addr);
	mail_free(&m);
	/* binary junk after the header block is a body, not a refusal */
	static const char junk[] = "Subject: junk\n\n\x00\x01\xff\xfe text";
	parse_bytes(junk, sizeof junk - 1, &m);
	assert_sane(&m);
	assert_string_equal(m.text, "\x01\u00ff\u00fe text");   /* not UTF-8: windows-1252 */
	mail_free(&m);
	/* nesting as deep as real mail goes is read; far deeper is cut off, without a crash */
	static const int depths[] = { 20, 2000 };
	for (size_t d = 0; d < 2; d++) {
		buf b = BUF_INIT;
		buf_puts(&b, "From: a@example.org\n");
		for (int i = 0; i < depths[d]; i++)
			buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"n%d\"\n\n--n%d\n", i, i);
		buf_puts(&b, "Content-Type: text/plain\n\ndeep\n");
		parse_bytes(b.data, b.len, &m);
		assert_sane(&m);
		assert_string_equal(m.text, depths[d] == 20 ? "deep\n" : "");
		mail_free(&m);
		buf_free(&b);
	}
}

/* ---- a 25 MB attachment ------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void base64_lines(buf *out, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		char q[4] = { abc[v >> 18], abc[v >> 12 & 63], i + 1 < n ? abc[v >> 6 & 63] : '=', i + 2 < n ? abc[v & 63] : '=' };
		buf_add(out, q, 4);
		if ((col += 4) == 76) {
			buf_add(out, "\r\n", 2);
			col = 0;
		}
	}
	buf_add(out, "\r\n", 2);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_large_attachment(void **state)
{
	(void)state;
	const size_t size = 25u * 1024 * 1024;
	unsigned char *data = malloc(size);
	assert_non_null(data);
	for (size_t i = 0; i < size; i += 8) {
		uint64_t r = rng();
		memcpy(data + i, &r, size - i < 8 ? size - i : 8);
	}
	buf msg = BUF_INIT;
	buf_puts(&msg, "From: Archive <archive@example.org>\r\nSubject: big\r\n"
		       "Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n"
		       "--big\r\nContent-Type: text/plain\r\n\r\nThe scans are attached.\r\n"
		       "--big\r\nContent-Type: application/zip; name=\"scans.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	base64_lines(&msg, data, size);
	buf_puts(&msg, "--big--\r\n");
	long before = max_rss_kb();
	mail_message m;
	parse_bytes(msg.data, msg.len, &m);
	long grown_mb = (max_rss_kb() - before) / 1024;
	assert_string_equal(m.text, "The scans are attached.");
	assert_int_equal(m.nattachments, 1);
	assert_string_equal(m.attachments[0].filename, "scans.zip");
	assert_int_equal(m.attachments[0].len, size);
	assert_memory_equal(m.attachments[0].data, data, size);
	/* The peak while parsing: the decoded attachment once and some slack,
	 * not copies of the 34 MB message (the sanitizers add their own). */
	print_message("25 MB attachment: peak memory grew by %ld MB\n", grown_mb);
	assert_true(grown_mb < 100);
	mail_free(&m);
	buf_free(&msg);
	free(data);
}

/* ---- damaged input ------------------------------------------------------ */

static const char *const fixtures[] = {
	"outlook-html.eml", "french-latin1.eml", "spanish-encoded-words.eml", "nested-multipart.eml",
	"reply-threading.eml", "no-message-id.eml", "boundary-unclosed.eml", "boundary-mismatch.eml",
	"out-of-office.eml", "bounce-report.eml", "mailing-list.eml", "loop.eml",
};

static void parse_damaged(const char *data, size_t len)
{
	mail_message m;
	char err[256] = "";
	if (mail_parse(data, len, &m, err, sizeof err) == 0)
		assert_sane(&m);
	else
		assert_true(err[0] != '\0');
	mail_free(&m);
}

static void test_damaged_fixtures(void **state)
{
	(void)state;
	static const char special[] = "\0\r\n-=?:;<>\"\\ \x80\x9f\xc3\xff";
	size_t nfix = sizeof fixtures / sizeof fixtures[0];
	rng_state = 0x2545F4914F6CDD1Du;
	for (size_t f = 0; f < nfix; f++) {
		size_t len;
		char *data = load(fixtures[f], &len);
		char *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		/* cut short everywhere (in steps, and every byte of the first 200) */
		size_t step = len / 150 + 1;
		for (size_t cut = 0; cut <= len; cut += cut < 200 ? 1 : step) {
			memcpy(copy, data, cut);
			parse_damaged(copy, cut);
		}
		/* a few bytes changed, to random or to syntax characters */
		for (int round = 0; round < 300; round++) {
			memcpy(copy, data, len);
			int flips = 1 + (int)(rng() % 6);
			for (int k = 0; k < flips; k++) {
				size_t at = rng() % len;
				uint64_t r = rng();
				copy[at] = r & 1 ? (char)(r >> 8) : special[(r >> 8) % (sizeof special - 1)];
			}
			parse_damaged(copy, len);
		}
		free(copy);
		free(data);
	}
}

/* ---- threads ------------------------------------------------------------- */

/* The server parses in several threads at once: GMime's set-up must happen
 * once, whoever comes first (this test runs before any other parse), and
 * parses must not disturb each other. */
static void *parse_all(void *arg)
{
	(void)arg;
	for (int round = 0; round < 5; round++) {
		for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
			size_t len;
			char *data = load(fixtures[f], &len);
			mail_message m;
			char err[256];
			int rc = mail_parse(data, len, &m, err, sizeof err);
			int ok = rc == 0 && (f != 2 || !strcmp(m.subject,
				"Solicitud de informaci\u00f3n sobre la reuni\u00f3n de coordinaci\u00f3n en Cartagena"));
			mail_free(&m);
			free(data);
			if (!ok)
				return (void *)1;
		}
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_all, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		assert_null(r);
	}
}

/* ---- language ------------------------------------------------------------ */

/* Each function word counts for its language, wherever it falls in the
 * table (which is searched by bisection: one word out of order would be
 * missed, or another with it). */
static void test_guess_lang_every_word(void **state)
{
	(void)state;
	static const char *const words[3] = {
		"the and of to is are was for with that this you your we our have has will would please thank from "
		"not be it on at which they in i",
		"le les et des du est une pour dans nous vous avec sur pas ce cette sont au aux je merci votre notre "
		"qui mais ou il elle par \u00e9t\u00e9 nos",
		"el los las y del es una por para con su sus al lo como muy gracias usted esta este pero m\u00e1s "
		"nuestro nuestra hay fue no estos ella ellos",
	};
	for (int lang = 0; lang < 3; lang++) {
		char list[400];
		snprintf(list, sizeof list, "%s", words[lang]);
		char *save = NULL;
		for (char *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			char twice[40];
			snprintf(twice, sizeof twice, "%s %s", w, w);
			if (mail_guess_lang(twice) != lang)
				fail_msg("\"%s\" is not counted for language %d", w, lang);
		}
	}
}

static void test_guess_lang(void **state)
{
	(void)state;
	assert_int_equal(mail_guess_lang("Could you please send us the report of the meeting? Thank you for your help."), 0);
	assert_int_equal(mail_guess_lang("Pourriez-vous nous envoyer le rapport de la r\u00e9union ? Merci pour votre aide."), 1);
	assert_int_equal(mail_guess_lang("\u00bfPodr\u00edan enviarnos el informe de la reuni\u00f3n? Muchas gracias por su ayuda."), 2);
	/* folded: upper case and accents do not matter */
	assert_int_equal(mail_guess_lang("GRACIAS POR SU AYUDA, ESTA REUNI\u00d3N ES MUY IMPORTANTE"), 2);
	assert_int_equal(mail_guess_lang("Le rapport a \u00c9T\u00c9 envoy\u00e9"), 1);
	/* too little to tell, or no one clearly ahead */
	assert_int_equal(mail_guess_lang("Merci"), -1);
	assert_int_equal(mail_guess_lang("Thank you, merci et gracias por the help"), -1);
	assert_int_equal(mail_guess_lang("12345 67890"), -1);
	assert_int_equal(mail_guess_lang(""), -1);
	assert_int_equal(mail_guess_lang(NULL), -1);
	/* only the first few kilobytes are read */
	buf b = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "xx ");
	buf_puts(&b, "the report of the meeting is for you and your team");
	assert_int_equal(mail_guess_lang(buf_str(&b)), -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),   /* first: GMime is set up in the race */
		cmocka_unit_test(test_outlook_html),
		cmocka_unit_test(test_french_latin1),
		cmocka_unit_test(test_spanish_encoded_words),
		cmocka_unit_test(test_nested_multipart),
		cmocka_unit_test(test_reply_threading),
		cmocka_unit_test(test_no_message_id),
		cmocka_unit_test(test_boundary_unclosed),
		cmocka_unit_test(test_boundary_mismatch),
		cmocka_unit_test(test_boundary_lost),
		cmocka_unit_test(test_out_of_office),
		cmocka_unit_test(test_bounce),
		cmocka_unit_test(test_mailing_list),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_html_structure),
		cmocka_unit_test(test_html_deep_nesting),
		cmocka_unit_test(test_html_charsets),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_threading_forms),
		cmocka_unit_test(test_auto_rules),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_accepted_oddities),
		cmocka_unit_test(test_large_attachment),
		cmocka_unit_test(test_damaged_fixtures),
		cmocka_unit_test(test_guess_lang),
		cmocka_unit_test(test_guess_lang_every_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
