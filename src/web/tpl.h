/*
 * tpl — the page templates: a small logic-less language (Mustache's
 * sections and partials) whose placeholders are escaped for the place they
 * stand in.
 *
 * Templates are compiled once, at start-up, from the files embedded in the
 * binary.  The compiler follows the HTML around each placeholder, so the
 * escaping is decided by where a value lands, never by the template author
 * remembering to ask for it:
 *
 *   text between tags            HTML-escaped (& < > " ')
 *   a quoted attribute value     HTML-escaped
 *   the start of a URL attribute (href, src, action, formaction, cite, poster)
 *                                only a relative URL or http:, https:, mailto:
 *                                passes; anything else (javascript:, data:)
 *                                becomes "#"; then HTML-escaped
 *   later in a URL attribute     percent-encoded as a URL component
 *   inside <script>/<style>, an on* or style attribute, an unquoted
 *   attribute, a tag name or an HTML comment
 *                                refused when the template is compiled
 *
 * The language:
 *   {{name}} {{a.b}} {{.}}       a value of the context (looked up from the
 *                                innermost section outwards); strings as they
 *                                are, numbers in decimal, null and missing as
 *                                nothing, true as "true"
 *   {{#name}}…{{/name}}          an array: once per item; false, null, "", 0,
 *                                [] and {}: not at all; any other value: once,
 *                                with the value as the innermost context
 *   {{^name}}…{{/name}}          once when the section above would not run
 *   {{>name}}                    another template of the set, same context
 *   {{_ Some words}}             the words translated into the page's
 *                                language (through the tpl_translate given),
 *                                then escaped like a value
 *   {{{html_name}}}              HTML the server built itself (a rendered
 *                                template, a search snippet), unescaped; only
 *                                names starting "html_" are allowed
 *   {{! a comment }}
 */
#ifndef LIAISON_TPL_H
#define LIAISON_TPL_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/embed.h"

typedef struct tpl_set tpl_set;

/* Compiles every file of files (an embedded array ending in a NULL name);
 * a template is named by its file name without ".html".  Returns 0, or -1
 * with "FILE:LINE: reason" in err. */
int tpl_set_load(tpl_set **out, const embedded_file *files, char *err, size_t errlen);
void tpl_set_free(tpl_set *s);   /* NULL is fine */

typedef const char *(*tpl_translate)(void *cls, const char *msgid);

/* Renders template name with ctx, appending to out.  tr may be NULL (the
 * words are then written as they are).  Returns 0, or -1 when there is no
 * template of that name. */
int tpl_render(const tpl_set *s, const char *name, json_t *ctx, tpl_translate tr, void *cls, buf *out);

#endif
