/*
 * queue — the desk's queue as conditions on the inquiries: mine, a
 * division's, overdue, in one status (else all but closed).  The API's
 * queue, the desk's page and the home page's counts share them, so that a
 * count on the home page is the length of the list it links to.
 */
#include "domains/inquiries/inquiries.h"

int desk_conditions(const desk_filter *f, int64_t me, const char *now, store_cond w[4])
{
	int n = 0;
	if (f->mine)
		w[n++] = COND_EQ("owner", SV_INT_(me));
	if (f->division)
		w[n++] = COND_EQ("division", sv_text(f->division));
	if (f->overdue)
		w[n++] = COND("resolution_due", OP_LT, sv_text(now));
	w[n++] = f->status ? COND_EQ("status", sv_text(f->status)) : COND("status", OP_NE, sv_text("closed"));
	return n;
}
