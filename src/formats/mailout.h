/*
 * mailout — messages Liaison sends: composed as RFC 5322 with GMime (UTF-8
 * subjects as encoded words, quoted-printable bodies, proper threading
 * headers) and handed to an SMTP relay through libcurl.
 */
#ifndef LIAISON_MAILOUT_H
#define LIAISON_MAILOUT_H

#include <stddef.h>

#include "core/buf.h"

typedef struct mail_out {
	const char *from_name, *from_addr;
	const char *to_name, *to_addr;
	const char *subject;           /* UTF-8 */
	const char *text;              /* UTF-8 body */
	const char *message_id;        /* without brackets; generated (random@domain of from_addr) when NULL */
	const char *in_reply_to;       /* without brackets, or NULL */
	const char *const *references; /* without brackets, oldest first; the message's own id is left out */
	size_t nreferences;
	const char *loop_id;           /* the value of X-Liaison-Loop (our installation's id) */
	int auto_submitted;            /* an automatic answer: Auto-Submitted: auto-replied */
	const char *lang;              /* Content-Language, or NULL */
	const char *ics;               /* an iCalendar invitation to attach (text/calendar; method=REQUEST), or NULL */
} mail_out;

/* The message's bytes, CRLF line ends, appended to out; the Message-ID used
 * (without brackets) is copied into id (size idlen).  0, or -1 with a reason.
 * Addresses are checked and written as address.h says: a domain beyond
 * ASCII as its A-label; a local part beyond ASCII as UTF-8 (RFC 6532),
 * which only a relay with SMTPUTF8 carries. */
int mail_compose(const mail_out *m, buf *out, char *id, size_t idlen, char *err, size_t errlen);

/* Sends data to the relay at url ("smtp://127.0.0.1:2525"; smtps:// for TLS)
 * with envelope sender and recipients, their domains as A-labels.  When an
 * address needs SMTPUTF8, the relay is asked first whether it offers it,
 * and the send is refused with that reason when it does not.  0, or -1 with
 * the relay's reason. */
int smtp_send(const char *url, const char *from, const char *const *to, size_t nto, const char *data, size_t len,
	      char *err, size_t errlen);

/* Whether a reason smtp_send gave may pass if the message is tried again
 * later: the relay could not be reached or answered in time, or refused
 * for now (a 4xx reply).  0 for a refusal for good (a 5xx reply) and for
 * what no relay will ever take as it is (an address, a relay's address
 * that is not one, SMTPUTF8 the relay does not offer). */
int smtp_reason_temporary(const char *reason);

#endif
