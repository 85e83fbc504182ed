/*
 * fielderrors — a form's errors as the reader reads them: each one next to
 * the field it is about, and all of them in a summary at the top of the
 * form, each a link to its field.
 *
 * The model names an error's field as the API does: "name", a language of a
 * multilingual field ("name.fr"), an item of a list ("tags[2]"), or a field
 * a kind's own rule chose.  Every such name belongs to the form field before
 * its "." or "["; an error whose field the form does not show still stands
 * in the summary, so that no error is ever left unsaid.
 */
#include <string.h>

#include "web/web.h"

/* The model's field errors are English sentences with numbers in them; the
 * form says the same in the reader's language. */
static const struct {
	const char *starts, *msgid;
} error_words[] = {
	{ "is required", N_("This field is required.") },
	{ "is longer than", N_("This is too long.") },
	{ "is not an e-mail address", N_("This is not an e-mail address.") },
	{ "must be a web address", N_("This is not a web address, like example.org or https://example.org/page.") },
	{ "must be a date", N_("Give a date as YYYY-MM-DD.") },
	{ "must be a time", N_("Give a time as YYYY-MM-DDThh:mm:ssZ.") },
	{ "must be one of", N_("Choose one of the options.") },
	{ "must be an integer", N_("Give a whole number.") },
	{ "must be between", N_("This number is out of range.") },
	{ "must be the id of", N_("There is no such record.") },
	{ "no ", N_("There is no such record.") },
	{ "cannot link to", N_("This kind of record cannot be linked here.") },
	{ "must be {", N_("There is no such record.") },
	{ "has more than", N_("There are too many items.") },
	{ "contains control characters", N_("This contains characters that cannot be stored.") },
	{ "is empty", N_("An item is empty.") },
	{ "is not of the ", N_("This does not belong with the record it is added to.") },
	{ "is not a document symbol", N_("This is not a document symbol, such as C/115/1 or C/115/1/Rev.2.") },
	{ "has a tag out of place", N_("A tag is out of place: each one closes after it opens, in the order they opened.") },
	{ "does not carry the same tags", N_("The translation must carry the same tags and placeholders as the source.") },
	{ "must be an amount and its currency", N_("Give an amount and its currency.") },
	{ "must give its amount as text", N_("Give an amount and its currency.") },
	{ "is not an amount of", N_("Give an amount with no more decimals than its currency takes, in a currency of ISO 4217.") },
	{ "cannot be cut into sentences", N_("This text cannot be cut into sentences.") },
};

const char *field_error_text(const page *p, const char *message)
{
	const char *own = i18n_lookup(p->lang, message); /* a rule's own sentence, in the catalogs */
	if (own)
		return own;
	for (size_t i = 0; i < COUNT(error_words); i++)
		if (strncmp(message, error_words[i].starts, strlen(error_words[i].starts)) == 0)
			return page_tr(p, error_words[i].msgid);
	return page_tr(p, message);
}

/* Whether the model's field name belongs to the form field name: "tags",
 * "tags[2]" and "tags.x" do, "tagsets" does not (strchr finds the final NUL). */
static int belongs(const char *error_field, const char *name)
{
	size_t n = strlen(name);
	return strncmp(error_field, name, n) == 0 && strchr(".[", error_field[n]) != NULL;
}

const char *field_error_for(const page *p, const model_ctx *m, const char *name)
{
	for (size_t i = 0; m && i < m->nerrors; i++)
		if (belongs(m->errors[i].field, name))
			return field_error_text(p, m->errors[i].message);
	return NULL;
}

/* The form field (an object of fields with "name") an error belongs to. */
static json_t *owner(json_t *fields, const char *error_field)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		if (name && belongs(error_field, name))
			return f;
	}
	return NULL;
}

/* The control a link to the field lands on: the language the error is
 * about, else the field's first control. */
static const char *target(page *p, json_t *field, const char *error_field, const char **lang)
{
	const char *name = json_string_value(json_object_get(field, "name"));
	json_t *langs = json_object_get(field, "langs");
	if (!langs)
		return arena_printf(&p->r->a, "f-%s", name);
	size_t i;
	json_t *l;
	json_array_foreach(langs, i, l) {
		const char *lname = json_string_value(json_object_get(l, "name"));
		if (!strcmp(lname, error_field)) {
			json_object_set_new(l, "invalid", json_true());
			*lang = json_string_value(json_object_get(l, "label"));
			return arena_printf(&p->r->a, "f-%s", lname);
		}
	}
	json_t *first = json_array_get(langs, 0);
	json_object_set_new(first, "invalid", json_true());
	return arena_printf(&p->r->a, "f-%s", json_string_value(json_object_get(first, "name")));
}

/* The label of a field of kind e the form does not show, from its name up to "." or "[". */
static const char *label_of(page *p, const entity *e, const char *error_field)
{
	char *name = arena_strndup(&p->r->a, error_field, strcspn(error_field, ".["));
	const field_def *f = e ? entity_field(e, name) : NULL;
	return f && f->label ? page_tr(p, f->label) : NULL;
}

/* The summary's line of error i, on its field f (or NULL: a field the form does not show). */
static json_t *line(page *p, const model_ctx *m, size_t i, json_t *f, const entity *e)
{
	const char *name = m->errors[i].field, *text = field_error_text(p, m->errors[i].message);
	json_t *item = json_pack("{s:s}", "text", text);
	const char *label = f ? json_string_value(json_object_get(f, "label")) : label_of(p, e, name), *lang = NULL;
	if (f)
		json_object_set_new(item, "href", json_string(arena_printf(&p->r->a, "#%s", target(p, f, name, &lang))));
	if (label) /* "Name (Français)" for one language of a multilingual field */
		json_object_set_new(item, "label", json_string(lang ? arena_printf(&p->r->a, "%s (%s)", label, lang) : label));
	if (f && !json_object_get(f, "error"))
		json_object_set_new(f, "error", json_string(text));
	return item;
}

/* One line per field, its first error as beside it, in the form's order;
 * then the errors of fields the form does not show. */
static json_t *summary(page *p, const model_ctx *m, json_t *fields, const entity *e)
{
	json_t *items = json_array(), *f;
	size_t k;
	json_array_foreach(fields, k, f)
		for (size_t i = 0; m && i < m->nerrors; i++)
			if (owner(fields, m->errors[i].field) == f) {
				json_array_append_new(items, line(p, m, i, f, e));
				break;
			}
	for (size_t i = 0; m && i < m->nerrors; i++)
		if (!owner(fields, m->errors[i].field))
			json_array_append_new(items, line(p, m, i, NULL, e));
	return items;
}

void field_errors_show(page *p, const model_ctx *m, json_t *fields, const entity *e)
{
	json_t *items = summary(p, m, fields, e);
	if (json_array_size(items))
		json_object_set_new(p->ctx, "invalid", json_true());
	json_object_set_new(p->ctx, "errors", items);
}
