/*
 * iatiroutes — the donors' IATI API: a donor's activity file imported
 * (POST /api/v1/iati/activities), the programmes published as one
 * (GET /api/v1/programmes/iati), and the funding landscape's pivot
 * (GET /api/v1/iati/funding).
 *
 * Staff who edit records import; staff read the landscape and the
 * programmes' file.  A refused file is 422 with its line (the problem's
 * member "line") and nothing imported; a file that imports with codes
 * IATI does not list answers 200 with those warnings.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domains/donors/donors.h"
#include "formats/isocodes.h"
#include "model/access.h"

#define WARNINGS_ANSWERED 100

static int may(request *r, role_set who, const char *why)
{
	if (who & ROLE_BIT(r->u->role))
		return 1;
	http_problem(r, 403, "Forbidden", "%s", why);
	return 0;
}

/* ---- POST /api/v1/iati/activities ----------------------------------------------------------- */

static void refused(request *r, const iati_imported *got)
{
	if (!got->file_fault) {
		http_problem(r, 503, "Store busy", "%s; nothing was imported", got->error.reason);
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	if (got->error.line) {
		model_fail(&m, 422, "Unprocessable Content", "line %ld: %s; nothing was imported", got->error.line,
			   got->error.reason);
		buf_printf(&m.body, "\"line\":%ld", got->error.line);   /* the problem's member: where in the file */
	} else {
		model_fail(&m, 422, "Unprocessable Content", "%s; nothing was imported", got->error.reason);
	}
	http_model(r, &m);
	model_done(&m);
}

static void imported_json(buf *out, const iati_imported *got)
{
	buf_printf(out, "{\"added\":%" PRId64 ",\"updated\":%" PRId64 ",\"transactions\":%" PRId64 ",\"warnings_count\":%zu",
		   got->added, got->updated, got->transactions, got->warnings.count);
	buf_puts(out, ",\"warnings\":[");
	for (size_t i = 0; i < got->warnings.n && i < WARNINGS_ANSWERED; i++) {
		buf_printf(out, "%s{\"line\":%ld,\"reason\":", i ? "," : "", got->warnings.v[i].line);
		buf_json_cstr(out, got->warnings.v[i].reason);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

void iati_activities_post(request *r)
{
	if (!may(r, WHO_EDITORS, "the staff who edit records import IATI files"))
		return;
	if (r->body_in.len == 0) {
		http_problem(r, 400, "Bad Request", "the body is the IATI file to import, and it is empty");
		return;
	}
	if (!http_xml_declared(http_header(r, "Content-Type"))) {
		http_problem(r, 415, "Unsupported Media Type", "an IATI file is XML: send it as application/xml");
		return;
	}
	const char *source = http_query(r, "source");
	iati_imported got;
	if (iati_import(r->app->st, &(xmlstream_input){ r->body_in.data, r->body_in.len, -1 }, source ? source : "api", 0,
			&got)) {
		refused(r, &got);
	} else {
		buf out = BUF_INIT;
		imported_json(&out, &got);
		http_json(r, 200, &out);
		buf_free(&out);
	}
	iati_imported_free(&got);
}

/* ---- GET /api/v1/programmes/iati ------------------------------------------------------------ */

static int into_buf(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
	return 0;
}

void iati_programmes_get(request *r)
{
	if (!may(r, WHO_STAFF, "the programmes' IATI file is read by staff"))
		return;
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	buf b = BUF_INIT;
	iati_exported out;
	if (iati_export(&m, into_buf, &b, &out)) {
		http_model(r, &m);
	} else {
		http_text(r, 200, "application/xml", b.data ? b.data : "", b.len);
		http_header_add(r, "Content-Disposition", "attachment; filename=\"programmes.iati.xml\"");
	}
	buf_free(&b);
	model_done(&m);
}

/* ---- GET /api/v1/iati/funding --------------------------------------------------------------- */

/* A year from the query, or fallback when absent: 0, or -1 when it is no year. */
static int year_param(request *r, const char *name, int fallback, int *out)
{
	const char *s = http_query(r, name);
	char *end;
	if (!s) {
		*out = fallback;
		return 0;
	}
	long y = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || y < 1900 || y > 2200)
		return -1;
	*out = (int)y;
	return 0;
}

/* The query's pivot, or why not (400 answered): 0, or -1. */
static int funding_params(request *r, funding_query *q)
{
	*q = (funding_query){
		.rows = http_query(r, "rows") ? http_query(r, "rows") : "donor",
		.cols = http_query(r, "cols") ? http_query(r, "cols") : "year",
		.type = http_query(r, "type") ? http_query(r, "type") : "3",
		.donor = http_query(r, "donor"), .sector = http_query(r, "sector"), .country = http_query(r, "country"),
		.currency = http_query(r, "currency"),
	};
	const char *why = NULL;
	if (enum_index(funding_dims, q->rows) < 0 || enum_index(funding_dims, q->cols) < 0)
		why = "rows and cols are each one of donor, sector, country, year";
	else if (!strcmp(q->rows, q->cols))
		why = "rows and cols must differ";
	else if (!iati_code_known(IATI_TRANSACTION_TYPE, q->type))
		why = "type is a transaction type's code, such as 3 (disbursement)";
	else if (year_param(r, "from", 2015, &q->from) || year_param(r, "to", 2026, &q->to) || q->from > q->to)
		why = "from and to are years from 1900 to 2200, from not after to";
	else if (q->currency && !isocodes_currency_known(q->currency))
		why = "currency is an ISO 4217 code, such as USD";
	if (!why)
		return 0;
	http_problem(r, 400, "Bad Request", "%s", why);
	return -1;
}

void iati_funding_get(request *r)
{
	funding_query q;
	if (!may(r, WHO_STAFF, "the funding landscape is read by staff") || funding_params(r, &q))
		return;
	store_conn *c = store_reader(r->app->st);
	if (!c) {
		http_problem(r, 503, "Service Unavailable", "the database cannot be opened");
		return;
	}
	model_ctx m;
	model_init(&m, r->app->st, &r->app->reg, r->u);
	m.lang = http_lang(r);
	buf out = BUF_INIT;
	if (funding_pivot(&m, c, &q, &out))
		http_model(r, &m);
	else
		http_json(r, 200, &out);
	buf_free(&out);
	model_done(&m);
}
