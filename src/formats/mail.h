/*
 * mail — an e-mail message as Liaison reads it, parsed with GMime:
 * threading headers, the sender, a subject and body in UTF-8 whatever the
 * charsets and transfer encodings, the attachments, and whether the message
 * is an automatic reply or one of our own come back (a loop), which the
 * inquiry desk must not answer.
 *
 * A message that cannot be parsed is reported with a reason, never guessed
 * at: the caller quarantines it.
 */
#ifndef LIAISON_MAIL_H
#define LIAISON_MAIL_H

#include <stddef.h>
#include <stdint.h>

/* The header our own outgoing messages carry, to recognize them coming back. */
#define MAIL_LOOP_HEADER "X-Liaison-Loop"

typedef struct mail_attachment {
	char *filename;       /* UTF-8, decoded (RFC 2231 / encoded words); "attachment-N" when none */
	char *content_type;   /* "application/pdf" */
	unsigned char *data;  /* decoded bytes */
	size_t len;
} mail_attachment;

typedef struct mail_message {
	char *message_id;      /* without the angle brackets; NULL when the message has none */
	char *in_reply_to;     /* the same form; NULL when absent */
	char **references;     /* oldest first */
	size_t nreferences;
	char *from_name;       /* UTF-8 display name, NULL when none */
	char *from_addr;       /* lower-cased address; NULL when none could be read */
	char *reply_to;        /* address, NULL when absent */
	char **to;             /* addresses of To and Cc */
	size_t nto;
	char *subject;         /* UTF-8, decoded, unfolded; "" when absent */
	int64_t date;          /* Unix seconds; 0 when absent or unreadable */
	char *text;            /* the body as UTF-8 text: text/plain if any, else the HTML turned into text */
	char *html;            /* the HTML part as UTF-8, NULL when none */
	mail_attachment *attachments;
	size_t nattachments;
	int auto_reply;        /* an out-of-office, bounce, list or bulk message */
	const char *auto_reason;  /* why ("Auto-Submitted: auto-replied", "Precedence: bulk", ...) */
	int loop;              /* carries MAIL_LOOP_HEADER: our own message come back */
} mail_message;

/* GMime's process-wide set-up, once, whoever comes first (reading or
 * composing); never undone, since other threads may be using it. */
void mail_init(void);

/* 0 and *out filled (mail_free it), or -1 with a one-line reason in err. */
int mail_parse(const char *data, size_t len, mail_message *out, char *err, size_t errlen);
void mail_free(mail_message *m);

/* The language of a text among Liaison's three, by its common words:
 * 0 English, 1 French, 2 Spanish, or -1 when it cannot tell. */
int mail_guess_lang(const char *text);

#endif
