/*
 * pages — the governing bodies' pages beyond the generic ones: a document's
 * page, which offers the comparison with the text it supersedes (a
 * revision's original, or the revision before) when it supersedes one.
 *
 *   GET /documents/{id}
 */
#include <inttypes.h>

#include "domains/governance/governance.h"
#include "web/web.h"

static void document_body(page *p, model_ctx *m)
{
	(void)m;
	const entity *e = registry_find(&p->r->app->reg, "documents");
	json_t *rec = records_load(p, e, p->r->params[0]);
	if (!rec)
		return;
	json_t *earlier = json_object_get(rec, "supersedes");
	if (json_is_integer(earlier))
		json_object_set_new(p->ctx, "compare_href",
				    json_string(arena_printf(&p->r->a, "/documents/%" JSON_INTEGER_FORMAT "/compare?with=%" JSON_INTEGER_FORMAT,
							     json_integer_value(earlier),
							     json_integer_value(json_object_get(rec, "id")))));
	records_detail_render(p, e, rec, "document");
	json_decref(rec);
}

void document_page(request *r) { page_run(r, PAGE_SIGNED_IN, document_body); }
