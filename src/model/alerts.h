/*
 * alerts — mail that time causes, described as data: for each record a
 * kind's named list view shows (registry.h list_view) and whose stamp says
 * no alert went yet, a message to the person it concerns, in their
 * language, queued in the outbox (outbox.h) in the transaction that stamps
 * the record.
 *
 * An area declares its alerts in a table and runs them from one periodic
 * pass (passes.h) with alerts_run.  Each record is taken in a transaction
 * of its own on the writer, in which the view's conditions and the stamp
 * are asked again: what changed since the list was read (someone
 * confirmed, a report was submitted, a pass in another process was first)
 * stops the alert, so it goes once, and a rollback leaves neither the mail
 * nor the stamp.  Nobody is told of a record they may not read.  A
 * recipient without an e-mail address, or with one mail cannot go to, is
 * not stamped: the alert goes once they have one.
 *
 * The message: the subject's words and what the alert is about (its
 * title), then the text's words, the title again, its date in the
 * recipient's language and the address of its page (/KIND/ID).
 */
#ifndef LIAISON_ALERTS_H
#define LIAISON_ALERTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/model.h"

/* Who hears of record r: an account's id, 0 for nobody, -1 with m's error. */
typedef int64_t (*alert_recipient_fn)(model_ctx *m, store_conn *c, const record *r);
/* The words that name the record about in lang, in m's arena; NULL with m's error. */
typedef const char *(*alert_title_fn)(model_ctx *m, store_conn *c, const record *about, int lang);

typedef struct alert {
	const char *kind;     /* the kind the view lists and the stamp is written to */
	const char *view;     /* its named view: the records the alert is due for */
	const char *stamp;    /* its F_TIME field, empty until the alert went */
	/* Who hears: the record's users reference field .to, else the record's
	 * creator; or .recipient, where one field does not say. */
	const char *to;
	alert_recipient_fn recipient;
	const char *subject, *text;   /* msgids, translated into the recipient's language */
	/* What the message speaks of: the record .about (a reference field)
	 * refers to, or the record itself when NULL; named by its field .title
	 * (multilingual or text), or by .title_of; its date field .date. */
	const char *about;
	const char *title;
	alert_title_fn title_of;
	const char *date;
} alert;

/* Where the mail says it comes from (the department's address). */
typedef struct alert_sender {
	const char *name, *addr;
	const char *loop_id;   /* the X-Liaison-Loop value: mail of this installation's own, not read back in */
} alert_sender;

/* An area's alerts and who runs them. */
typedef struct alert_pass {
	const char *name;          /* said first in err and in the log, for people: the area's words */
	const user *by;            /* the system user: reads every record of the kinds, writes the stamps */
	const alert *alerts;
	size_t nalerts;
} alert_pass;

/* One pass of p's alerts at now, in their order, from the sender from: how
 * many were queued, or -1 with one line in err (what was queued before
 * stays, stamped). */
int alerts_run(store *st, const registry *reg, const alert_pass *p, const alert_sender *from, time_t now, char *err,
	       size_t errlen);

/* Helpers for an area's hooks: the account a users reference field of r
 * names, else 0; r's creator, else 0; a multilingual (or text) field of r
 * in lang, else in the first language it has, else "". */
int64_t alert_user_in(const record *r, const char *field);
int64_t alert_creator(const record *r);
const char *alert_text_in(const record *r, const char *field, int lang);

#endif
