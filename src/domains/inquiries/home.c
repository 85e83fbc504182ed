/*
 * home — the desk's and the briefings' part of the home page: the reader's
 * open inquiries, those of them past their resolution time, and the
 * briefings scheduled and not yet held, each counted with the conditions of the
 * list it links to (queue.c for the desk).
 */
#include "core/clock.h"
#include "domains/inquiries/inquiries.h"
#include "model/model.h"

static int count_desk(model_ctx *m, const entity *e, const desk_filter *f, int64_t *n)
{
	char now[32];
	clock_now_iso(now);
	store_cond w[4];
	list_params lp = { .extra = w, .nextra = desk_conditions(f, m->u->id, now, w) };
	return model_count(m, e, &lp, 0, n);
}

static int my_open(model_ctx *m, const entity *e, int64_t *n)
{
	return count_desk(m, e, &(desk_filter){ .mine = 1 }, n);
}

static int my_overdue(model_ctx *m, const entity *e, int64_t *n)
{
	return count_desk(m, e, &(desk_filter){ .mine = 1, .overdue = 1 }, n);
}

const home_count inquiry_counts[] = {
	{ N_("My open inquiries"), "/desk?mine=1", NULL, my_open },
	{ N_("My overdue inquiries"), "/desk?mine=1&overdue=1", "overdue", my_overdue },
	{ NULL },
};

/* Scheduled: confirmed and not yet held (the list shows them soonest first). */
static int coming(model_ctx *m, const entity *e, int64_t *n)
{
	store_cond w[] = { COND_EQ("status", sv_text("scheduled")) };
	list_params lp = { .extra = w, .nextra = 1 };
	return model_count(m, e, &lp, 0, n);
}

const home_count briefing_counts[] = {
	{ N_("Briefings coming"), "/briefings?status=scheduled&sort=starts_at", NULL, coming },
	{ NULL },
};
