/*
 * rules — what the governing bodies' records must hold together, beyond
 * their fields' own rules: a session's symbol and notice period, the order
 * of an agenda, one delegation per Member State and session.
 *
 * The values a record derives from others (a session's symbol, a
 * delegation's name) are set here, on every write, so that they follow
 * when what they come from changes.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "domains/governance/governance.h"
#include "formats/tzif.h"
#include "model/model.h"
#include "model/today.h"

/* Another record of r's kind already has this value of field: the error
 * names the field people typed, not the derived one. */
static int taken(model_ctx *m, store_conn *c, const record *r, const char *field, const char *value)
{
	record other;
	int found = model_fetch_where(m, c, r->e, field, sv_text(value), &other);
	return found > 0 && other.v[COL_ID].i != r->v[COL_ID].i;
}

/* digits: 1 to max of them, the first not 0; the number's value, or 0. */
static long number_at(const char *s, int max, const char **end)
{
	long n = 0;
	int k = 0;
	if (*s < '1' || *s > '9')
		return 0;
	while (isdigit((unsigned char)s[k]) && k < max)
		n = n * 10 + (s[k++] - '0');
	*end = s + k;
	return isdigit((unsigned char)s[k]) ? 0 : n;
}

/* ---- bodies ------------------------------------------------------------------------------- */

int body_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)c;
	(void)e;
	const char *s = record_text(r, "series");
	size_t n = 0;
	while (s && s[n] >= 'A' && s[n] <= 'Z')
		n++;
	if (s && (n == 0 || s[n]))
		model_field_error(m, "series", N_("must be capital letters A to Z, such as C or MC"));
	return 0;
}

/* ---- sessions ----------------------------------------------------------------------------- */

static int special(const char *number) { return number && strncmp(number, "Sp/", 3) == 0; }

static int session_number_ok(const char *s)
{
	const char *end;
	if (special(s))
		s += 3;
	return number_at(s, 5, &end) > 0 && *end == '\0';
}

/* "10:00": minutes since midnight, or -1 when it is no time of day. */
int session_minutes(const char *hhmm)
{
	if (!hhmm || strlen(hhmm) != 5 || hhmm[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && !isdigit((unsigned char)hhmm[i]))
			return -1;
	int h = (hhmm[0] - '0') * 10 + hhmm[1] - '0', min = (hhmm[3] - '0') * 10 + hhmm[4] - '0';
	return h < 24 && min < 60 ? h * 60 + min : -1;
}

/* The opening and closing times: times of day, in a zone the session names,
 * the closing after the opening when the session is one day. */
static void hours_of_day(model_ctx *m, const record *r, const char *zone)
{
	const char *opens = record_text(r, "opens_at"), *closes = record_text(r, "closes_at");
	int from = opens ? session_minutes(opens) : -2, to = closes ? session_minutes(closes) : -2;
	if (from == -1)
		model_field_error(m, "opens_at", N_("is not a time of day such as 10:00"));
	if (to == -1)
		model_field_error(m, "closes_at", N_("is not a time of day such as 18:00"));
	if ((opens || closes) && !zone)
		model_field_error(m, "time_zone", N_("is needed to place the opening and closing times"));
	const char *first = record_text(r, "starts_on"), *last = record_text(r, "ends_on");
	if (from >= 0 && to >= 0 && to <= from && first && last && !strcmp(first, last))
		model_field_error(m, "closes_at", N_("is not after the opening time, on a session of one day"));
}

int session_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	const char *number = record_text(r, "number"), *from = record_text(r, "starts_on"), *to = record_text(r, "ends_on");
	const char *zone = record_text(r, "time_zone");
	if (number && !session_number_ok(number))
		model_field_error(m, "number", N_("must be a session number, such as 115, or Sp/7 for a special session"));
	if (from && to && strcmp(to, from) < 0)
		model_field_error(m, "ends_on", N_("is before the opening day"));
	if (zone && !tz_known(zone))
		model_field_error(m, "time_zone", N_("is not a time zone of the tz database, such as Europe/Zurich"));
	hours_of_day(m, r, zone);
	record body;
	if (m->nerrors || model_fetch_ref(m, c, r, "body", &body) <= 0)
		return 0;
	const char *symbol = arena_printf(&m->a, "%s/%s", record_text(&body, "series"), number);
	if (taken(m, c, r, "symbol", symbol))
		model_field_error(m, "number", N_("is the number of another session of this body"));
	r->v[entity_column(r->e, "symbol")] = sv_text(symbol);
	const store_value *weeks = record_field(&body, "documents_due_weeks");
	char due[11];
	if (weeks->type == SV_INT && clock_add_days(from, -7 * weeks->i, due) == 0)
		r->v[entity_column(r->e, "documents_due")] = sv_text(arena_strdup(&m->a, due));
	return 0;
}

int session_notice_given(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record body;
	if (model_fetch_ref(m, c, r, "body", &body) <= 0)
		return model_fail(m, 500, "Store error", "the session's body could not be read");
	const char *number = record_text(r, "number");
	const store_value *days = record_field(&body, special(number) ? "special_notice_days" : "notice_days");
	char today[11];
	int64_t now, opens;
	today_date(today);
	if (days->type != SV_INT || clock_date_days(today, &now) || clock_date_days(record_text(r, "starts_on"), &opens))
		return 0; /* the body asks for no notice */
	if (opens - now >= days->i)
		return 0;
	model_field_error(m, "starts_on", N_("is inside the body's notice period"));
	return model_fail(m, 422, "Notice period not respected",
			  "a %s session of %s is convened at least %" PRId64 " days before it opens; this one opens on %s, "
			  "%" PRId64 " days from today",
			  special(number) ? "special" : "regular", record_text(&body, "series"), days->i,
			  record_text(r, "starts_on"), opens - now);
}

/* ---- agenda items ------------------------------------------------------------------------- */

/* "4", "4.2", "4.2.1": up to three levels of up to six digits, its order
 * as one number so that the agenda sorts 2 before 10. */
static int64_t item_position(const char *s)
{
	int64_t pos = 0;
	int level = 0;
	for (;;) {
		const char *end;
		long n = number_at(s, 6, &end);
		if (!n || level == 3)
			return 0;
		pos = pos * 1000000 + n;
		level++;
		if (*end == '\0')
			break;
		if (*end != '.')
			return 0;
		s = end + 1;
	}
	for (; level < 3; level++)
		pos *= 1000000;
	return pos;
}

int agenda_item_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	const char *number = record_text(r, "number");
	int64_t position = number ? item_position(number) : 0;
	if (number && !position) {
		model_field_error(m, "number", N_("must be an item number, such as 4 or 4.2"));
		return 0;
	}
	const char *ref = arena_printf(&m->a, "%" PRId64 "/%s", record_field(r, "session")->i, number);
	if (taken(m, c, r, "reference", ref))
		model_field_error(m, "number", N_("is the number of another item of this session's agenda"));
	r->v[entity_column(r->e, "reference")] = sv_text(ref);
	r->v[entity_column(r->e, "position")] = SV_INT_(position);
	return 0;
}

/* ---- delegations and the speakers' list ---------------------------------------------------- */

/* The name in each language of the record from, into r's own "name". */
static void copy_name(record *r, const record *from)
{
	for (int l = 0; registry_langs[l]; l++) {
		char col[16];
		snprintf(col, sizeof col, "name_%s", registry_langs[l]);
		const char *name = record_text(from, col);
		r->v[entity_column(r->e, col)] = name ? sv_text(name) : SV_NUL;
	}
}

int delegation_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record org;
	if (model_fetch_ref(m, c, r, "organization", &org) <= 0)
		return 0;
	const char *ref = arena_printf(&m->a, "%" PRId64 "/%" PRId64, record_field(r, "session")->i, org.v[COL_ID].i);
	if (taken(m, c, r, "reference", ref))
		model_field_error(m, "organization", N_("has a delegation at this session already"));
	r->v[entity_column(r->e, "reference")] = sv_text(ref);
	copy_name(r, &org);
	return 0;
}

/* A request is named as its delegation and stamped with the moment the
 * floor was asked for, the order of the list; that its agenda item is of
 * the delegation's session the registry checks (field_def.within). */
int speaker_request_rules(model_ctx *m, store_conn *c, const entity *e, record *r)
{
	(void)e;
	record delegation;
	if (model_fetch_ref(m, c, r, "delegation", &delegation) <= 0)
		return 0;
	copy_name(r, &delegation);
	if (record_field(r, "requested_at")->type == SV_NULL) {
		char now[32];
		clock_now_iso(now);
		r->v[entity_column(r->e, "requested_at")] = sv_text(arena_strdup(&m->a, now));
	}
	return 0;
}
