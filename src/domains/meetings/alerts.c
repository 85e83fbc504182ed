/*
 * alerts — what needs someone's attention in the tracker, in two places
 * that must agree: the home page's counts, each a link to the list that
 * shows exactly what it counts (the list's named view, registry.h
 * list_view), and mail queued in the outbox by the periodic pass.
 *
 *   /meetings?view=unrepresented         high priority, planned (not postponed nor
 *                                        cancelled), starting within alert_days
 *                                        (today included), and nobody confirmed
 *   /representations?view=report-overdue attended, the report due before today
 *
 * The pass (meetings_alert_pass: hourly while serving, or `liaison pass`)
 * mails each of them once, through the platform's alerts (model/alerts.h):
 * the meeting's follower (its owner, else its creator) of the gap, the
 * representative of the report, each stamped (gap_alerted_at,
 * report_alerted_at) in the transaction that queues the mail.
 */
#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "domains/meetings/meetings.h"
#include "model/alerts.h"
#include "model/today.h"

/* ---- the views -------------------------------------------------------------------------------- */

static int unrepresented(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	char today[11], until[11];
	today_date(today);
	if (clock_add_days(today, meetings_settings()->alert_days, until))
		return model_fail(m, 500, "Date error", "today's date could not be read");
	store_cond *going = arena_alloc(&m->a, 5 * sizeof *going);
	going[0] = COND_EQ("archived", SV_INT_(0));
	going[1] = COND_EQ("status", sv_text("confirmed"));
	going[2] = COND_EQ("status", sv_text("attended"));
	going[3] = COND_EQ("status", sv_text("reported"));
	going[4] = (store_cond){ .op = OP_ANY, .sub = going + 1, .nsub = 3 };
	store_cond *sub = arena_alloc(&m->a, 4 * sizeof *sub);
	sub[0] = going[0];
	sub[1] = going[4];
	sub[2] = COND("status", OP_ISNULL, SV_NUL);   /* planned: said so, or brought in without a status */
	sub[3] = COND_EQ("status", sv_text("planned"));
	w[0] = COND_EQ("priority", sv_text("high"));
	w[1] = COND("starts_on", OP_GE, sv_text(arena_strdup(&m->a, today)));
	w[2] = COND("starts_on", OP_LE, sv_text(arena_strdup(&m->a, until)));
	w[3] = (store_cond){ .col = "id", .op = OP_NOT_EXISTS, .sub = sub, .nsub = 2, .sub_table = representations.table,
			     .sub_col = "meeting" };
	w[4] = (store_cond){ .op = OP_ANY, .sub = sub + 2, .nsub = 2 };
	return 5;
}

static int report_overdue(model_ctx *m, const entity *e, store_cond *w)
{
	(void)e;
	char today[11];
	today_date(today);
	w[0] = COND_EQ("status", sv_text("attended"));
	w[1] = COND("report_due", OP_LT, sv_text(arena_strdup(&m->a, today)));
	return 2;
}

const list_view meeting_views[] = {
	{ "unrepresented", N_("High-priority meetings soon, nobody confirmed"), unrepresented },
	{ NULL },
};
const list_view representation_views[] = {
	{ "report-overdue", N_("Reports past due"), report_overdue },
	{ NULL },
};

/* ---- the home page ---------------------------------------------------------------------------- */

const home_count meeting_counts[] = {
	{ N_("High-priority meetings soon, nobody confirmed"), "/meetings?view=unrepresented", "overdue",
	  .view = "unrepresented" },
	{ NULL },
};
const home_count representation_counts[] = {
	{ N_("Reports past due"), "/representations?view=report-overdue", "overdue", .view = "report-overdue" },
	{ NULL },
};

/* ---- the pass --------------------------------------------------------------------------------- */

static const user alerts_user = { .id = 0, .name = "alerts", .role = ROLE_ALERTS, .language = "en" };

/* Both speak of the meeting: a representation's through its reference. */
static const alert alerts[] = {
	{ .kind = "meetings", .view = "unrepresented", .stamp = "gap_alerted_at", .to = "owner",
	  .subject = N_("Nobody confirmed yet:"),
	  .text = N_("This high-priority meeting is coming soon and nobody is confirmed to represent the organization."),
	  .title = "title", .date = "starts_on" },
	{ .kind = "representations", .view = "report-overdue", .stamp = "report_alerted_at", .to = "who",
	  .subject = N_("Report past due:"),
	  .text = N_("Your report on this meeting is past due. Write it on the representation's page and mark it reported."),
	  .about = "meeting", .title = "title", .date = "starts_on" },
};

static const alert_pass pass = { "meeting alerts", &alerts_user, alerts, COUNT(alerts) };

int meetings_alert_pass(store *st, const registry *reg, time_t now, char *err, size_t errlen)
{
	const desk_config *d = desk();
	const alert_sender from = { d->from_name, d->from_addr, d->loop_id };
	return alerts_run(st, reg, &pass, &from, now, err, errlen);
}
