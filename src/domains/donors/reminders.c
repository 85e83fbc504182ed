/*
 * reminders — a reporting deadline's owner is mailed twice at most: some
 * days before the report is due (donors.reminder_days, 14 by default: the
 * view reminder-due) and once when it is overdue (the view overdue),
 * each while it is not submitted.  The owner is the deadline's own, else
 * its pledge's follower, else whoever wrote the deadline; someone who may
 * not read the pledge is told nothing.
 *
 * The platform's alerts (model/alerts.h) do the work: each deadline is
 * stamped (reminded_at, overdue_alerted_at) in the transaction that queues
 * its mail, in the owner's language, so that each reminder goes once.
 */
#include "domains/donors/donors.h"
#include "domains/inquiries/inquiries.h"
#include "model/alerts.h"

const system_role reminders_role = { ROLE_REMINDERS, "reminders", SEES_ALL };

static const user reminders_user = { .id = 0, .name = "reminders", .role = ROLE_REMINDERS, .language = "en" };

/* The deadline's owner, else its pledge's, else its writer: an account's id, 0, or -1 with m's error. */
static int64_t owner_of(model_ctx *m, store_conn *c, const record *deadline)
{
	int64_t uid = alert_user_in(deadline, "owner");
	if (uid)
		return uid;
	record pledge;
	int found = model_fetch_ref(m, c, deadline, "pledge", &pledge);
	if (found < 0)
		return -1;
	if (found && (uid = alert_user_in(&pledge, "owner")))
		return uid;
	return alert_creator(deadline);
}

/* "Final financial report, Invented Donor (2026-03-01)": the report and the pledge it is owed for. */
static const char *report_title(model_ctx *m, store_conn *c, const record *deadline, int lang)
{
	record pledge;
	int found = model_fetch_ref(m, c, deadline, "pledge", &pledge);
	if (found < 0)
		return NULL;
	const char *report = deadline_report_name(deadline, lang);
	return found ? arena_printf(&m->a, "%s, %s", report, alert_text_in(&pledge, "name", lang)) : report;
}

static const alert reminders[] = {
	{ .kind = "reporting-deadlines", .view = "reminder-due", .stamp = "reminded_at", .recipient = owner_of,
	  .subject = N_("Report to a donor due soon:"),
	  .text = N_("This report to a donor is due soon. When it is sent, record the submission on the deadline's page."),
	  .title_of = report_title, .date = "due_on" },
	{ .kind = "reporting-deadlines", .view = "overdue", .stamp = "overdue_alerted_at", .recipient = owner_of,
	  .subject = N_("Report to a donor overdue:"),
	  .text = N_("This report to a donor is past its due date. Send it, or agree a new date with the donor, and "
		     "record it on the deadline's page."),
	  .title_of = report_title, .date = "due_on" },
};

static const alert_pass pass = { "donor reminders", &reminders_user, reminders, COUNT(reminders) };

int donors_reminder_pass(store *st, const registry *reg, time_t now, char *err, size_t errlen)
{
	const desk_config *d = desk();
	const alert_sender from = { d->from_name, d->from_addr, d->loop_id };
	return alerts_run(st, reg, &pass, &from, now, err, errlen);
}
