/*
 * routes — every page's address.  The router tries these after the API's,
 * and the domains' own pages before these, so the generic pages of a kind
 * (the {kind} patterns at the end) are the last resort.
 */
#include "web/web.h"

void web_admin(request *r);
void web_user(request *r);
void web_user_password(request *r);
void web_user_token(request *r);
void web_user_revoke(request *r);
void web_user_calendar_link(request *r);
void web_audit(request *r);
void web_audit_verify(request *r);
void web_outbox(request *r);
void web_outbox_retry(request *r);
void web_merge_form(request *r);
void web_merge(request *r);
void web_merge_show(request *r);
void web_merge_undo(request *r);
void web_import_form(request *r);
void web_import(request *r);

/* Pages check the session themselves (no_auth = 1): a page answers a
 * missing or expired session with the sign-in page, not with a 401.
 * These come before the domains' pages: a domain's /organizations/{id}
 * must not take /organizations/new. */
const route web_routes_first[] = {
	{ "GET", "/{kind}/new", web_new, 1 },
	{ "POST", "/{kind}/new", web_create, 1 },
	{ "GET", "/{kind}/import", web_import_form, 1 },
	{ "POST", "/{kind}/import", web_import, 1 },
};
const size_t nweb_routes_first = sizeof web_routes_first / sizeof *web_routes_first;

const route web_routes[] = {
	{ "GET", "/", web_home, 1 },
	{ "GET", "/static/{file}", web_static_file, 1 },
	{ "GET", "/sign-in", web_sign_in_form, 1 },
	{ "POST", "/sign-in", web_sign_in, 1 },
	{ "POST", "/sign-out", web_sign_out, 1 },
	{ "GET", "/search", web_search, 1 },
	{ "GET", "/admin", web_admin, 1 },
	{ "GET", "/admin/audit", web_audit, 1 },
	{ "GET", "/admin/audit/verify", web_audit_verify, 1 },
	{ "GET", "/admin/outbox", web_outbox, 1 },
	{ "POST", "/admin/outbox/{id}/retry", web_outbox_retry, 1 },
	{ "GET", "/merges/{id}", web_merge_show, 1 },
	{ "POST", "/merges/{id}/undo", web_merge_undo, 1 },
	{ "GET", "/{kind}", web_list, 1 },
	{ "GET", "/users/{id}", web_user, 1 },
	{ "POST", "/users/{id}/password", web_user_password, 1 },
	{ "POST", "/users/{id}/tokens", web_user_token, 1 },
	{ "POST", "/users/{id}/tokens/revoke", web_user_revoke, 1 },
	{ "POST", "/users/{id}/calendar-links", web_user_calendar_link, 1 },
	{ "GET", "/{kind}/{id}", web_detail, 1 },
	{ "GET", "/{kind}/{id}/edit", web_edit, 1 },
	{ "POST", "/{kind}/{id}/edit", web_update, 1 },
	{ "POST", "/{kind}/{id}/archive", web_archive, 1 },
	{ "POST", "/{kind}/{id}/transitions", web_transition, 1 },
	{ "GET", "/{kind}/{id}/erase", web_erase_form, 1 },
	{ "POST", "/{kind}/{id}/erase", web_erase, 1 },
	{ "POST", "/{kind}/{id}/grants", web_grant, 1 },
	{ "POST", "/{kind}/{id}/grants/{user}/remove", web_ungrant, 1 },
	{ "GET", "/{kind}/{id}/merge", web_merge_form, 1 },
	{ "POST", "/{kind}/{id}/merge", web_merge, 1 },
};
const size_t nweb_routes = sizeof web_routes / sizeof *web_routes;
