/*
 * fuzz_mime — an e-mail message as the inquiry desk reads it
 * (src/formats/mail.c over GMime): any bytes either parse into a message
 * whose texts are UTF-8 and whose lists hold what their counts say, or are
 * refused with a reason; the language guess reads the body whatever it is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/mail.h"
#include "oracle.h"
#include "utf8ok.h"

ORACLE static void check_text(const char *s)
{
	if (s && !utf8_ok(s, strlen(s)))
		abort();
}

ORACLE static void check(const mail_message *m)
{
	if (!m->subject || !m->text)
		abort();
	check_text(m->subject);
	check_text(m->text);
	check_text(m->html);
	check_text(m->from_name);
	for (size_t i = 0; i < m->nreferences; i++)
		if (!m->references[i])
			abort();
	for (size_t i = 0; i < m->nto; i++)
		if (!m->to[i])
			abort();
	for (size_t i = 0; i < m->nattachments; i++) {
		const mail_attachment *a = &m->attachments[i];
		if (!a->filename || !a->content_type || (a->len && !a->data))
			abort();
		check_text(a->filename);
	}
	if (m->auto_reply && !m->auto_reason)
		abort();
	int lang = mail_guess_lang(m->text);
	if (lang < -1 || lang > 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mail_message m;
	char err[200];
	if (mail_parse((const char *)data, size, &m, err, sizeof err) < 0) {
		if (!err[0])
			abort();
		return 0;
	}
	check(&m);
	mail_free(&m);
	return 0;
}
