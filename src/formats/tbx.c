/*
 * tbx — termbases in TBX read one concept at a time and written one
 * concept at a time (see tbx.h).
 *
 * The reader walks the document with formats/xmlstream, one function per
 * element it knows (tbx, text, body, conceptEntry, langSec, termSec); what
 * it does not know inside a concept is passed over whole.  A concept's
 * strings go into one buffer emptied for the next concept, so a concept
 * costs its own size, whatever the termbase's.  Data categories are told
 * by their element and type, as TBX-Basic's DCA style writes them:
 * <descrip type="definition">, <termNote type="partOfSpeech">, ...
 */
#include "formats/tbx.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define CONCEPT_BYTES_MAX (16u << 20)
#define TERMS_MAX 1024

#define TBX_NS "urn:iso:std:iso:30042:ed:3.0"

/* TBX-Basic's picklists. */
static const char *const parts_of_speech[] = { "noun", "verb", "adjective", "adverb", "properNoun", "other", NULL };
static const char *const statuses[] = {
	[TBX_STATUS_NONE] = "",
	[TBX_PREFERRED] = "preferredTerm-admn-sts",
	[TBX_ADMITTED] = "admittedTerm-admn-sts",
	[TBX_DEPRECATED] = "deprecatedTerm-admn-sts",
};
#define STATUSES (sizeof statuses / sizeof statuses[0])

#define NONE ((size_t)-1)   /* a string not given */

/* ---- reading ----------------------------------------------------------- */

typedef struct term_at {
	char lang[4], tag[TBX_LANG_MAX];
	size_t text, pos, definition, source, note;   /* offsets in the concept's strings */
	tbx_status status;
	long line;
} term_at;

typedef struct reader {
	xmlstream x;
	const tbx_reader_opts *o;
	int stopped;
	buf strings;        /* the concept's strings */
	buf raw;            /* one text as read, before NFC */
	term_at *terms;
	size_t nterms;
	size_t subject, definition;
} reader;

static int fail(reader *rd, long line, const char *why) { return xmlstream_fail(&rd->x, line, "%s", why); }

static const char *stored(const reader *rd, size_t at) { return at == NONE ? "" : rd->strings.data + at; }

/* The current element's attribute name, compared and forgotten. */
static int attribute_is(reader *rd, const char *name, const char *value)
{
	size_t mark = rd->strings.len, at;
	xmlstream_attributes(&rd->x, &name, 1, &rd->strings, &at);
	int same = strcmp(stored(rd, at), value) == 0;
	rd->strings.len = mark;
	return same;
}

/* The text of the current element, in NFC, into the concept's strings; its offset. */
static int read_text(reader *rd, size_t *at)
{
	buf_reset(&rd->raw);
	if (xmlstream_element_text(&rd->x, &rd->raw))
		return -1;
	*at = rd->strings.len;
	if (xmlstream_nfc(&rd->strings, rd->raw.data, rd->raw.len - 1))   /* less its NUL */
		return fail(rd, 0, "a text is not UTF-8");
	buf_add(&rd->strings, "", 1);
	if (rd->strings.len > CONCEPT_BYTES_MAX)
		return fail(rd, 0, "a concept is longer than 16 MB");
	return 0;
}

/* A value of a picklist: its index, or -1 with the reason. */
static int read_choice(reader *rd, const char *what, const char *const *list, size_t n)
{
	size_t at;
	if (read_text(rd, &at))
		return -1;
	for (size_t k = 0; k < n; k++)
		if (list[k] && *list[k] && strcmp(stored(rd, at), list[k]) == 0)
			return (int)k;
	return xmlstream_fail(&rd->x, 0, "\"%.40s\" is not a %s TBX-Basic knows", stored(rd, at), what);
}

static int read_term_note(reader *rd, term_at *t)
{
	if (attribute_is(rd, "type", "partOfSpeech")) {
		int k = read_choice(rd, "part of speech", parts_of_speech, 6);
		if (k < 0)
			return -1;
		t->pos = rd->strings.len;
		buf_puts(&rd->strings, parts_of_speech[k]);
		buf_add(&rd->strings, "", 1);
		return 0;
	}
	if (attribute_is(rd, "type", "administrativeStatus")) {
		int k = read_choice(rd, "administrative status", statuses, STATUSES);
		t->status = k < 0 ? TBX_STATUS_NONE : (tbx_status)k;
		return k < 0 ? -1 : 0;
	}
	return xmlstream_skip(&rd->x);   /* termType, grammaticalGender, ...: not Liaison's */
}

/* One of a term's data categories; 0 or -1. */
static int read_term_part(reader *rd, term_at *t, const char *name)
{
	if (strcmp(name, "term") == 0) {
		if (t->text != NONE)
			return fail(rd, 0, "a <termSec> with a second <term>");
		if (read_text(rd, &t->text))
			return -1;
		if (strspn(stored(rd, t->text), " \t\r\n") == strlen(stored(rd, t->text)))
			return fail(rd, 0, "a <term> with no text");
		return 0;
	}
	if (strcmp(name, "termNote") == 0)
		return read_term_note(rd, t);
	if (strcmp(name, "descrip") == 0 && attribute_is(rd, "type", "definition"))
		return read_text(rd, &t->definition);
	if (strcmp(name, "admin") == 0 && attribute_is(rd, "type", "source"))
		return read_text(rd, &t->source);
	if (strcmp(name, "note") == 0)
		return read_text(rd, &t->note);
	return xmlstream_skip(&rd->x);
}

static int read_term_sec(reader *rd, const term_at *lang)
{
	if (rd->nterms == TERMS_MAX)
		return fail(rd, 0, "a concept with more than 1024 terms");
	term_at *t = &rd->terms[rd->nterms];
	*t = *lang;
	t->line = xmlstream_line(&rd->x);
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0)
		if (read_term_part(rd, t, xmlstream_name(&rd->x)))
			return -1;
	if (r < 0)
		return -1;
	if (t->text == NONE)
		return fail(rd, t->line, "a <termSec> without its <term>");
	rd->nterms++;
	return 0;
}

/* A <langSec>'s language, into the model of its terms. */
static int read_lang(reader *rd, term_at *model)
{
	static const char *const attrs[] = { "xml:lang" };
	size_t mark = rd->strings.len, at;
	xmlstream_attributes(&rd->x, attrs, 1, &rd->strings, &at);
	const char *tag = stored(rd, at);
	int rc = 0;
	if (!*tag)
		rc = fail(rd, 0, "a <langSec> without xml:lang: its terms have no language");
	else if (strlen(tag) >= TBX_LANG_MAX || xmlstream_lang(tag, model->lang))
		rc = xmlstream_fail(&rd->x, 0, "xml:lang \"%.40s\" is not a language tag", tag);
	else if (!xmlstream_lang_known(model->lang, rd->o->languages))
		rc = xmlstream_fail(&rd->x, 0, "unknown language \"%s\"", tag);
	else
		strcpy(model->tag, tag);
	rd->strings.len = mark;
	return rc;
}

static int read_lang_sec(reader *rd)
{
	term_at model = { .text = NONE, .pos = NONE, .definition = NONE, .source = NONE, .note = NONE };
	size_t first = rd->nterms, definition = NONE;
	long line = xmlstream_line(&rd->x);
	if (read_lang(rd, &model))
		return -1;
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		const char *name = xmlstream_name(&rd->x);
		int rc = strcmp(name, "termSec") == 0 ? read_term_sec(rd, &model)
			 : strcmp(name, "descrip") == 0 && attribute_is(rd, "type", "definition")
				 ? read_text(rd, &definition)
				 : xmlstream_skip(&rd->x);
		if (rc)
			return -1;
	}
	if (r < 0)
		return -1;
	if (rd->nterms == first)
		return fail(rd, line, "a <langSec> without any <termSec>");
	for (size_t k = first; k < rd->nterms; k++)
		if (rd->terms[k].definition == NONE)
			rd->terms[k].definition = definition;
	return 0;
}

static int read_concept_part(reader *rd, const char *name)
{
	if (strcmp(name, "langSec") == 0)
		return read_lang_sec(rd);
	if (strcmp(name, "termSec") == 0 || strcmp(name, "term") == 0)
		return xmlstream_fail(&rd->x, 0, "a <%s> outside a <langSec>: the term has no language", name);
	if (strcmp(name, "descrip") == 0 && attribute_is(rd, "type", "subjectField"))
		return read_text(rd, &rd->subject);
	if (strcmp(name, "descrip") == 0 && attribute_is(rd, "type", "definition"))
		return read_text(rd, &rd->definition);
	return xmlstream_skip(&rd->x);
}

static int hand_concept(reader *rd, tbx_concept *c)
{
	tbx_term *terms = malloc(rd->nterms * sizeof *terms);
	if (!terms)
		return fail(rd, c->line, "out of memory");
	for (size_t k = 0; k < rd->nterms; k++) {
		const term_at *t = &rd->terms[k];
		terms[k] = (tbx_term){ .text = stored(rd, t->text), .pos = stored(rd, t->pos), .status = t->status,
				       .definition = stored(rd, t->definition), .source = stored(rd, t->source),
				       .note = stored(rd, t->note) };
		memcpy(terms[k].lang, t->lang, sizeof t->lang);
		memcpy(terms[k].tag, t->tag, sizeof t->tag);
	}
	c->subject = stored(rd, rd->subject);
	c->definition = stored(rd, rd->definition);
	c->terms = terms, c->nterms = rd->nterms;
	int stop = rd->o->on_concept && rd->o->on_concept(rd->o->ctx, c);
	free(terms);
	if (stop) {
		rd->stopped = 1;
		return fail(rd, c->line, "stopped by its reader");
	}
	return 0;
}

static int read_concept(reader *rd)
{
	static const char *const attrs[] = { "id" };
	size_t id;
	tbx_concept c = { .line = xmlstream_line(&rd->x) };
	buf_reset(&rd->strings);
	rd->nterms = 0;
	rd->subject = rd->definition = NONE;
	xmlstream_attributes(&rd->x, attrs, 1, &rd->strings, &id);
	int depth = xmlstream_children(&rd->x), r;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0)
		if (read_concept_part(rd, xmlstream_name(&rd->x)))
			return -1;
	if (r < 0)
		return -1;
	if (rd->nterms == 0)
		return fail(rd, c.line, "a concept without any term");
	c.id = stored(rd, id);
	return hand_concept(rd, &c);
}

/* The elements on the way to the concepts: <tbx>, <text>, <body>.  Each
 * holds the next, beside what may be passed over (the header, <back>). */
typedef struct level {
	const char *name, *holds, *beside;
} level;

static const level levels[] = {
	{ "tbx", "text", "tbxHeader" },
	{ "text", "body", "back" },
	{ "body", "conceptEntry", NULL },
};

static int read_level(reader *rd, size_t k)
{
	const level *l = &levels[k];
	int depth = xmlstream_children(&rd->x), r, found = 0;
	while ((r = xmlstream_child_element(&rd->x, depth)) > 0) {
		const char *name = xmlstream_name(&rd->x);
		int rc;
		if (strcmp(name, l->holds) == 0)
			found = 1, rc = k + 1 < sizeof levels / sizeof levels[0] ? read_level(rd, k + 1) : read_concept(rd);
		else if (l->beside && strcmp(name, l->beside) == 0)
			rc = xmlstream_skip(&rd->x);
		else
			rc = xmlstream_fail(&rd->x, 0, "<%s> inside the <%s>", name, l->name);
		if (rc)
			return -1;
	}
	if (r < 0)
		return -1;
	return found ? 0 : xmlstream_fail(&rd->x, 0, "a <%s> without its <%s>", l->name, l->holds);
}

static int read_root(void *rd) { return read_level(rd, 0); }

/* The document in, its units out to o; see tbx.h. */
static int read_input(const xmlstream_input *in, const tbx_reader_opts *o, tbx_error *err)
{
	if (err)
		*err = (tbx_error){ 0 };
	reader *rd = calloc(1, sizeof *rd);
	if (rd)
		rd->terms = malloc(TERMS_MAX * sizeof *rd->terms);
	if (!rd || !rd->terms) {
		free(rd);
		return xmlstream_error_set(err, 0, "out of memory");
	}
	rd->o = o;
	int rc = xmlstream_read(&rd->x, in, "tbx", read_root, rd, err);
	rc = rc == 0 ? 0 : rd->stopped ? 1 : -1;
	buf_free(&rd->strings);
	buf_free(&rd->raw);
	free(rd->terms);
	free(rd);
	return rc;
}

int tbx_read_memory(const char *data, size_t len, const tbx_reader_opts *o, tbx_error *err)
{
	return read_input(&(xmlstream_input){ data ? data : "", len, -1 }, o, err);
}

int tbx_read_fd(int fd, const tbx_reader_opts *o, tbx_error *err)
{
	return read_input(&(xmlstream_input){ NULL, 0, fd }, o, err);
}

/* ---- writing ----------------------------------------------------------- */

struct tbx_writer {
	xmlstream_out out;
	size_t concepts;
};

#define werr(err, ...) xmlstream_error_set(err, 0, __VA_ARGS__)

/* <element type="type">text</element> on a line of its own; nothing for "". */
static int put_element(buf *b, const char *indent, const char *element, const char *type, const char *text,
		       tbx_error *err)
{
	if (!text || !*text)
		return 0;
	buf_puts(b, indent);
	buf_putc(b, '<');
	buf_puts(b, element);
	xmlstream_put_attr(b, "type", type);   /* Liaison's own names: always XML's */
	buf_putc(b, '>');
	if (xmlstream_put(b, text, strlen(text), 0, NULL))
		return werr(err, "a %s is not UTF-8 or holds a character XML cannot carry", type ? type : element);
	buf_puts(b, "</");
	buf_puts(b, element);
	buf_puts(b, ">\n");
	return 0;
}

/* An XML name of ASCII letters, digits, "_", "-" and ".", a letter or "_" first: xsd:ID's shape. */
static int xml_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(s);
}

static int check_term(const tbx_term *t, tbx_error *err)
{
	char primary[4];
	if (xmlstream_lang(t->lang, primary) || strcmp(primary, t->lang) != 0)
		return werr(err, "\"%.8s\" is not a primary language in lower case", t->lang);
	if (!t->text || strspn(t->text, " \t\r\n") == strlen(t->text))
		return werr(err, "a term with no text");
	int known = !t->pos || !*t->pos;
	for (const char *const *p = parts_of_speech; *p && !known; p++)
		known = strcmp(*p, t->pos) == 0;
	if (!known)
		return werr(err, "\"%.40s\" is not a part of speech TBX-Basic knows", t->pos);
	if ((unsigned)t->status >= STATUSES)
		return werr(err, "not an administrative status");
	return 0;
}

static int put_term(buf *b, const tbx_term *t, tbx_error *err)
{
	buf_puts(b, "   <termSec>\n    <term>");
	if (xmlstream_put(b, t->text, strlen(t->text), 0, NULL))
		return werr(err, "a term is not UTF-8 or holds a character XML cannot carry");
	buf_puts(b, "</term>\n");
	if (put_element(b, "    ", "termNote", "partOfSpeech", t->pos, err) ||
	    put_element(b, "    ", "termNote", "administrativeStatus", statuses[t->status], err) ||
	    put_element(b, "    ", "descrip", "definition", t->definition, err) ||
	    put_element(b, "    ", "admin", "source", t->source, err) || put_element(b, "    ", "note", NULL, t->note, err))
		return -1;
	buf_puts(b, "   </termSec>\n");
	return 0;
}

/* The terms, those of one language in a row in one <langSec>. */
static int put_terms(buf *b, const tbx_concept *c, tbx_error *err)
{
	for (size_t k = 0; k < c->nterms; k++) {
		const tbx_term *t = &c->terms[k];
		int opens = k == 0 || strcmp(c->terms[k - 1].lang, t->lang) != 0;
		if (check_term(t, err))
			return -1;
		if (opens && k > 0)
			buf_puts(b, "  </langSec>\n");
		if (opens) {
			buf_puts(b, "  <langSec xml:lang=\"");
			buf_puts(b, t->lang);
			buf_puts(b, "\">\n");
		}
		if (put_term(b, t, err))
			return -1;
	}
	buf_puts(b, "  </langSec>\n");
	return 0;
}

static int put_concept(buf *b, const tbx_concept *c, tbx_error *err)
{
	if (c->nterms == 0)
		return werr(err, "a concept without any term");
	if (c->id && *c->id && !xml_name(c->id))
		return werr(err, "the concept's id \"%.40s\" is not an XML name (a letter first: \"c115\")", c->id);
	buf_puts(b, "<conceptEntry");
	xmlstream_put_attr(b, "id", c->id);
	buf_puts(b, ">\n");
	if (put_element(b, "  ", "descrip", "subjectField", c->subject, err) ||
	    put_element(b, "  ", "descrip", "definition", c->definition, err) || put_terms(b, c, err))
		return -1;
	buf_puts(b, "</conceptEntry>\n");
	return 0;
}

tbx_writer *tbx_writer_open(const char *lang, const char *title, xmlstream_write_fn write, void *ctx, tbx_error *err)
{
	char primary[4];
	if (!lang || xmlstream_lang(lang, primary)) {
		werr(err, "\"%.40s\" is not a language tag", lang ? lang : "");
		return NULL;
	}
	tbx_writer *w = calloc(1, sizeof *w);
	if (!w) {
		werr(err, "out of memory");
		return NULL;
	}
	w->out.write = write, w->out.ctx = ctx;
	buf *b = &w->out.b;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tbx xmlns=\"" TBX_NS "\" type=\"TBX-Basic\" style=\"dca\"");
	xmlstream_put_attr(b, "xml:lang", lang);
	buf_puts(b, ">\n<tbxHeader>\n <fileDesc>\n");
	if (title && *title) {
		buf_puts(b, "  <titleStmt><title>");
		if (xmlstream_put(b, title, strlen(title), 0, NULL)) {
			werr(err, "the title is not UTF-8 or holds a character XML cannot carry");
			buf_free(b);
			free(w);
			return NULL;
		}
		buf_puts(b, "</title></titleStmt>\n");
	}
	buf_puts(b, "  <sourceDesc><p>Liaison</p></sourceDesc>\n </fileDesc>\n</tbxHeader>\n<text>\n<body>\n");
	return w;
}

int tbx_writer_concept(tbx_writer *w, const tbx_concept *c, tbx_error *err)
{
	size_t mark = w->out.b.len;
	if (put_concept(&w->out.b, c, err)) {
		xmlstream_out_undo(&w->out, mark);   /* a refused concept leaves nothing behind */
		return -1;
	}
	w->concepts++;
	return xmlstream_out_flush(&w->out, 0, err);
}

int tbx_writer_close(tbx_writer *w, tbx_error *err)
{
	buf_puts(&w->out.b, "</body>\n</text>\n</tbx>\n");
	int rc = xmlstream_out_flush(&w->out, 1, err);
	if (rc == 0 && w->concepts == 0)
		rc = werr(err, "a termbase without any concept, which TBX cannot hold");
	buf_free(&w->out.b);
	free(w);
	return rc;
}
