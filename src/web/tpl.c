/*
 * tpl — compiles the page templates into lists of operations and renders
 * them against a JSON context.
 *
 * Compiling reads each file once.  Literal text is fed to a small HTML
 * scanner (the states of the HTML tokenizer that decide how a value must be
 * escaped) and every placeholder gets the escaping of the place the scanner
 * is in, or is refused there.  Rendering then only follows the operations:
 * no parsing, no allocation beyond the output buffer (the context stack is
 * a chain of frames on the C stack, one per open section).
 *
 * Section tags take no room in the HTML scan: what a section holds is
 * scanned as if it were always there.  That is sound only when a section
 * ends in the kind of place it began in, so the compiler checks it.  A
 * partial is compiled again for every HTML place it is included in, so that
 * a value inside it is escaped for where it really lands (<a href="{{>link}}">
 * checks the URL of the value inside "link").
 */
#include "web/tpl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

enum {
	MAX_NESTING = 64,    /* sections open at once in one template */
	MAX_PARTIALS = 16,   /* partials entered at once while rendering: stops self-inclusion */
};

/* ------------------------------------------------------------------ */
/* Operations                                                          */

enum op_kind { OP_TEXT, OP_VALUE, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL, OP_TRANSLATE };

enum escape {
	ESC_HTML,       /* & < > " ' as entities */
	ESC_URL_START,  /* the start of a URL attribute: a safe URL or "#", then ESC_HTML */
	ESC_URL_PART,   /* later in a URL attribute: percent-encoded */
	ESC_NONE,       /* {{{html_…}}} */
};

typedef struct op {
	unsigned char kind;        /* enum op_kind */
	unsigned char esc;         /* enum escape, for values and translations */
	const char *text;          /* OP_TEXT: the bytes; OP_TRANSLATE: the words, NUL-terminated */
	size_t len;
	const char *const *parts;  /* a name split at its dots; no parts for {{.}} */
	size_t nparts;
	size_t jump;               /* sections: the index after the body; OP_PARTIAL: the instance */
} op;

/* ------------------------------------------------------------------ */
/* The HTML scanner                                                    */

enum mode {
	M_TEXT,         /* between tags */
	M_LT,           /* after '<' */
	M_ENDLT,        /* after "</" */
	M_BANG,         /* after "<!", count = '-' seen since */
	M_DECL,         /* <!doctype …>, <?…> and other bogus comments, up to '>' */
	M_COMMENT,      /* <!-- …, count = how near the last bytes are to "-->" (see in_comment) */
	M_RAW,          /* the content of elem, up to its end tag; count = bytes of "</name" matched */
	M_TAGNAME,
	M_TAG,          /* in a tag, between attributes */
	M_ATTRNAME,
	M_AFTERNAME,    /* after an attribute name: '=' or another name may follow */
	M_BEFOREVALUE,  /* after '=' */
	M_VALUE,        /* in a quoted attribute value */
	M_UNQUOTED,     /* in an unquoted attribute value */
};

/* The elements whose content is not markup. */
enum elem { EL_OTHER, EL_SCRIPT, EL_STYLE, EL_TEXTAREA, EL_TITLE };
static const char *const elem_names[] = { "", "script", "style", "textarea", "title" };

enum attr { AT_PLAIN, AT_URL, AT_EVENT, AT_STYLE, AT_SRCDOC };

/* All bytes, no padding: states are compared with memcmp once normalized. */
typedef struct scan {
	unsigned char mode;     /* enum mode */
	unsigned char end;      /* the tag being read is an end tag */
	unsigned char elem;     /* the element the tag opens, or whose content M_RAW is */
	unsigned char attr;     /* the kind of the attribute being read */
	unsigned char quote;    /* M_VALUE: the quote that ends it */
	unsigned char started;  /* M_VALUE: something already stands in the value */
	unsigned char count;    /* see enum mode */
	unsigned char nlen;     /* length of the tag or attribute name being read, at most UCHAR_MAX */
	char name[12];          /* its first bytes, lower-cased: enough for every name we look for */
} scan;

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

static void name_add(scan *s, unsigned char c)
{
	if (s->nlen < sizeof s->name)
		s->name[s->nlen] = (char)lower(c);
	if (s->nlen < UCHAR_MAX)
		s->nlen++;
}

static void name_start(scan *s, unsigned char c)
{
	s->nlen = 0;
	name_add(s, c);
}

static int name_is(const scan *s, const char *word)
{
	size_t n = strlen(word);
	return s->nlen == n && memcmp(s->name, word, n) == 0;
}

static unsigned char elem_of(const scan *s)
{
	for (unsigned char e = EL_SCRIPT; e <= EL_TITLE; e++)
		if (name_is(s, elem_names[e]))
			return e;
	return EL_OTHER;
}

/* xlink:href is SVG's href, which runs javascript: URLs as well; srcdoc is
 * a whole HTML document, decoded once: HTML escaping does not hold there. */
static unsigned char attr_of(const scan *s)
{
	static const char *const urls[] = { "href", "src", "action", "formaction", "cite", "poster", "xlink:href" };
	if (s->nlen >= 2 && s->name[0] == 'o' && s->name[1] == 'n')
		return AT_EVENT;
	if (name_is(s, "style"))
		return AT_STYLE;
	if (name_is(s, "srcdoc"))
		return AT_SRCDOC;
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++)
		if (name_is(s, urls[i]))
			return AT_URL;
	return AT_PLAIN;
}

/* The '>' that ends a tag. */
static void tag_end(scan *s)
{
	s->mode = !s->end && s->elem != EL_OTHER ? M_RAW : M_TEXT;
	s->count = 0;
}

static void feed(scan *s, unsigned char c);

static void after_lt(scan *s, unsigned char c)
{
	if (is_alpha(c)) {
		s->end = 0;
		name_start(s, c);
		s->mode = M_TAGNAME;
	} else if (c == '/') {
		s->mode = M_ENDLT;
	} else if (c == '!') {
		s->mode = M_BANG;
		s->count = 0;
	} else if (c == '?') {
		s->mode = M_DECL;
	} else {
		s->mode = M_TEXT;   /* a '<' not followed by a tag is text; c may be another '<' */
		feed(s, c);
	}
}

static void after_endlt(scan *s, unsigned char c)
{
	if (is_alpha(c)) {
		s->end = 1;
		name_start(s, c);
		s->mode = M_TAGNAME;
	} else {
		s->mode = c == '>' ? M_TEXT : M_DECL;
	}
}

static void after_bang(scan *s, unsigned char c)
{
	if (c == '-' && s->count == 0) {
		s->count = 1;
	} else if (c == '-') {
		/* "<!--" counts as "--" already seen: "<!-->" is a whole comment */
		s->mode = M_COMMENT;
		s->count = 2;
	} else {
		s->mode = c == '>' ? M_TEXT : M_DECL;
	}
}

/* count: 1 after '-', 2 after "--", 3 after "--!"; the latter two end at '>'. */
static void in_comment(scan *s, unsigned char c)
{
	if (c == '>' && s->count >= 2)
		s->mode = M_TEXT;
	else if (c == '-')
		s->count = s->count == 1 || s->count == 2 ? 2 : 1;
	else
		s->count = c == '!' && s->count == 2 ? 3 : 0;
}

static void in_raw(scan *s, unsigned char c)
{
	const char *name = elem_names[s->elem];
	size_t want = 2 + strlen(name);
	if (s->count == want && (is_space(c) || c == '/' || c == '>')) {
		s->end = 1;
		s->elem = EL_OTHER;
		s->mode = M_TAG;
		feed(s, c);
		return;
	}
	unsigned char expect = s->count == 0 ? '<' : s->count == 1 ? '/' : (unsigned char)name[s->count - 2];
	if (s->count < want && lower(c) == expect)
		s->count++;
	else
		s->count = c == '<';
}

static void in_tagname(scan *s, unsigned char c)
{
	if (!is_space(c) && c != '/' && c != '>') {
		name_add(s, c);
		return;
	}
	s->elem = elem_of(s);
	if (c == '>')
		tag_end(s);
	else
		s->mode = M_TAG;
}

static void in_tag(scan *s, unsigned char c)
{
	if (c == '>') {
		tag_end(s);
	} else if (!is_space(c) && c != '/') {
		name_start(s, c);
		s->mode = M_ATTRNAME;
	}
}

static void in_attrname(scan *s, unsigned char c)
{
	if (!is_space(c) && c != '/' && c != '=' && c != '>') {
		name_add(s, c);
		return;
	}
	s->attr = attr_of(s);
	if (c == '>')
		tag_end(s);
	else
		s->mode = c == '=' ? M_BEFOREVALUE : c == '/' ? M_TAG : M_AFTERNAME;
}

static void after_attrname(scan *s, unsigned char c)
{
	if (is_space(c))
		return;
	if (c == '>') {
		tag_end(s);
	} else if (c == '/' || c == '=') {
		s->mode = c == '=' ? M_BEFOREVALUE : M_TAG;
	} else {
		name_start(s, c);
		s->mode = M_ATTRNAME;
	}
}

static void before_value(scan *s, unsigned char c)
{
	if (is_space(c))
		return;
	if (c == '"' || c == '\'') {
		s->quote = c;
		s->started = 0;
		s->mode = M_VALUE;
	} else if (c == '>') {
		tag_end(s);
	} else {
		s->mode = M_UNQUOTED;
	}
}

static void feed(scan *s, unsigned char c)
{
	switch (s->mode) {
	case M_TEXT: if (c == '<') s->mode = M_LT; break;
	case M_LT: after_lt(s, c); break;
	case M_ENDLT: after_endlt(s, c); break;
	case M_BANG: after_bang(s, c); break;
	case M_DECL: if (c == '>') s->mode = M_TEXT; break;
	case M_COMMENT: in_comment(s, c); break;
	case M_RAW: in_raw(s, c); break;
	case M_TAGNAME: in_tagname(s, c); break;
	case M_TAG: in_tag(s, c); break;
	case M_ATTRNAME: in_attrname(s, c); break;
	case M_AFTERNAME: after_attrname(s, c); break;
	case M_BEFOREVALUE: before_value(s, c); break;
	case M_VALUE:
		if (c == s->quote)
			s->mode = M_TAG;
		else
			s->started = 1;
		break;
	case M_UNQUOTED:
		if (c == '>')
			tag_end(s);
		else if (is_space(c))
			s->mode = M_TAG;
		break;
	}
}

/* The state with what its mode does not use cleared, so that two states
 * that behave alike compare equal (partials are compiled once per state). */
static scan normalized(const scan *s)
{
	scan n = { .mode = s->mode };
	switch (s->mode) {
	case M_BANG: case M_COMMENT:
		n.count = s->count;
		break;
	case M_RAW:
		n.elem = s->elem;
		n.count = s->count;
		break;
	case M_TAGNAME: case M_ATTRNAME:
		n.end = s->end;
		n.elem = s->mode == M_ATTRNAME ? s->elem : 0;
		n.nlen = s->nlen;
		memcpy(n.name, s->name, s->nlen < sizeof n.name ? s->nlen : sizeof n.name);
		break;
	case M_TAG: case M_AFTERNAME: case M_BEFOREVALUE: case M_UNQUOTED: case M_VALUE:
		n.end = s->end;
		n.elem = s->elem;
		n.attr = s->attr;
		n.quote = s->mode == M_VALUE ? s->quote : 0;
		n.started = s->mode == M_VALUE ? s->started : 0;
		break;
	default:
		break;
	}
	return n;
}

/* The kind of place, for checking that a section or partial ends where it
 * began: the positions inside one tag between names are alike, a quoted
 * value is alike all along. */
static unsigned long place_of(const scan *s)
{
	unsigned long mode = s->mode, end = 0, a = 0, b = 0;
	switch (s->mode) {
	case M_TAGNAME:
		mode = M_TAG, end = s->end, b = elem_of(s);
		break;
	case M_TAG: case M_ATTRNAME: case M_AFTERNAME:
		mode = M_TAG, end = s->end, b = s->elem;
		break;
	case M_VALUE:
		end = s->end, a = s->attr, b = s->quote;
		break;
	case M_RAW:
		b = s->elem;
		break;
	default:
		break;
	}
	return mode << 24 | end << 16 | a << 8 | b;
}

static const char *place_name(const scan *s)
{
	switch (s->mode) {
	case M_TEXT: return "text";
	case M_RAW: return s->elem == EL_SCRIPT ? "<script>" : s->elem == EL_STYLE ? "<style>"
	                 : s->elem == EL_TEXTAREA ? "<textarea>" : "<title>";
	case M_BANG: case M_COMMENT: return "an HTML comment";
	case M_DECL: return "a <!...> or <?...> declaration";
	case M_BEFOREVALUE: case M_VALUE: case M_UNQUOTED: return "an attribute value";
	default: return "a tag";
	}
}

static const char *attr_refusal(const scan *s)
{
	if (s->end)
		return "in an end tag";
	if (s->attr == AT_EVENT)
		return "in an on* attribute";
	if (s->attr == AT_STYLE)
		return "in a style attribute";
	if (s->attr == AT_SRCDOC)
		return "in a srcdoc attribute";
	return NULL;
}

/* Why a value (or translated text) cannot stand where s is; NULL when it can. */
static const char *value_refusal(const scan *s)
{
	switch (s->mode) {
	case M_TEXT: return NULL;
	case M_RAW: return s->elem == EL_SCRIPT ? "inside <script>" : s->elem == EL_STYLE ? "inside <style>" : NULL;
	case M_BANG: case M_COMMENT: return "inside an HTML comment";
	case M_DECL: return "inside a <!...> or <?...> declaration";
	case M_BEFOREVALUE: case M_UNQUOTED: return "in an unquoted attribute value";
	case M_VALUE: return attr_refusal(s);
	default: return "in a tag or attribute name";
	}
}

/* Why a section or partial cannot stand there.  They write nothing of
 * their own, so tag and attribute positions are fine; script, style and
 * comments are not places for them. */
static const char *block_refusal(const scan *s)
{
	switch (s->mode) {
	case M_RAW: case M_BANG: case M_COMMENT: case M_DECL: return value_refusal(s);
	case M_VALUE: return attr_refusal(s);
	default: return NULL;
	}
}

static unsigned char escape_for(const scan *s)
{
	if (s->mode != M_VALUE || s->attr != AT_URL)
		return ESC_HTML;
	return s->started ? ESC_URL_PART : ESC_URL_START;
}

/* ------------------------------------------------------------------ */
/* The set                                                             */

typedef struct tpl {
	const char *name;   /* the file name without ".html" */
	const char *file;   /* the file name, src and len: only while loading */
	const char *src;
	size_t len;
} tpl;

/* One template compiled for the HTML state it starts in.  Instance i < ntpl
 * is template i starting in text; the others are partials included elsewhere. */
typedef struct inst {
	size_t tpl;
	scan entry;
	const char *from_file;   /* where it was first included (for errors), while loading */
	unsigned from_line;
	const op *ops;
	size_t nops;
} inst;

struct tpl_set {
	arena mem;          /* names, text, operations */
	tpl *tpls;          /* sorted by name */
	size_t ntpl;
	inst *insts;
	size_t ninst, cap;
};

static int tpl_cmp(const void *a, const void *b)
{
	return strcmp(((const tpl *)a)->name, ((const tpl *)b)->name);
}

static int key_cmp(const void *key, const void *t) { return strcmp(key, ((const tpl *)t)->name); }

static size_t add_instance(tpl_set *s, size_t t, const scan *entry, const char *from_file, unsigned from_line)
{
	if (s->ninst == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		inst *p = realloc(s->insts, s->cap * sizeof *p);
		if (!p)
			abort();
		s->insts = p;
	}
	inst *in = &s->insts[s->ninst];
	*in = (inst){ .tpl = t, .entry = normalized(entry), .from_file = from_file, .from_line = from_line };
	return s->ninst++;
}

/* ------------------------------------------------------------------ */
/* The compiler                                                        */

typedef struct section {
	size_t op;
	char sigil;          /* '#' or '^' */
	const char *name;
	size_t len;
	unsigned line;
	scan html;           /* where it began */
} section;

typedef struct compiler {
	tpl_set *set;
	size_t inst;         /* an index: the instance array grows while compiling */
	const tpl *t;
	scan html;
	unsigned line;       /* of the text or tag being read */
	op *ops;
	size_t nops, cap;
	buf text;            /* literal text not yet made an operation */
	section open[MAX_NESTING];
	size_t nopen;
	char *err;
	size_t errlen;
} compiler;

__attribute__((format(printf, 3, 4)))
static int fail(compiler *c, unsigned line, const char *fmt, ...)
{
	if (!c->err || !c->errlen)
		return -1;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const inst *in = &c->set->insts[c->inst];
	if (in->from_file)
		snprintf(c->err, c->errlen, "%s:%u: %s (included from %s:%u)", c->t->file, line, msg,
			in->from_file, in->from_line);
	else
		snprintf(c->err, c->errlen, "%s:%u: %s", c->t->file, line, msg);
	return -1;
}

static op *push_op(compiler *c, unsigned char kind)
{
	if (c->nops == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		op *p = realloc(c->ops, c->cap * sizeof *p);
		if (!p)
			abort();
		c->ops = p;
	}
	op *o = &c->ops[c->nops++];
	*o = (op){ .kind = kind };
	return o;
}

static void flush_text(compiler *c)
{
	if (!c->text.len)
		return;
	op *o = push_op(c, OP_TEXT);
	o->text = arena_strndup(&c->set->mem, c->text.data, c->text.len);
	o->len = c->text.len;
	buf_reset(&c->text);
}

/* A new operation after the pending text.  The pointer lasts until the next one. */
static op *emit(compiler *c, unsigned char kind)
{
	flush_text(c);
	return push_op(c, kind);
}

static void add_text(compiler *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		feed(&c->html, (unsigned char)p[i]);
		if (p[i] == '\n')
			c->line++;
	}
	buf_add(&c->text, p, n);
}

/* Something was written at this point: later in a URL it is no longer the start. */
static void wrote(compiler *c)
{
	if (c->html.mode == M_VALUE)
		c->html.started = 1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int is_name_byte(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Splits a dotted name into NUL-terminated parts once, so that rendering
 * only looks them up.  "." has no parts.  -1 when it is not a name. */
static int split_name(compiler *c, const char *s, size_t n, const char *const **parts, size_t *nparts)
{
	*parts = NULL;
	*nparts = 0;
	if (n == 1 && s[0] == '.')
		return 0;
	size_t count = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '.' && !is_name_byte((unsigned char)s[i]))
			return -1;
		if (s[i] == '.' && (i == 0 || i == n - 1 || s[i - 1] == '.'))
			return -1;
		count += s[i] == '.';
	}
	if (!n)
		return -1;
	const char **v = arena_alloc(&c->set->mem, count * sizeof *v);
	for (size_t k = 0, from = 0, i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		v[k++] = arena_strndup(&c->set->mem, s + from, i - from);
		from = i + 1;
	}
	*parts = v;
	*nparts = count;
	return 0;
}

static int value(compiler *c, const char *s, size_t n)
{
	const char *why = value_refusal(&c->html);
	if (why)
		return fail(c, c->line, "{{%.*s}} %s", (int)n, s, why);
	const char *const *parts;
	size_t nparts;
	if (split_name(c, s, n, &parts, &nparts) < 0)
		return fail(c, c->line, "{{%.*s}}: not a name", (int)n, s);
	op *o = emit(c, OP_VALUE);
	o->esc = escape_for(&c->html);
	o->parts = parts;
	o->nparts = nparts;
	wrote(c);
	return 0;
}

/* {{{html_…}}}: HTML the server built, so only where HTML may start. */
static int raw_value(compiler *c, const char *s, size_t n)
{
	if (n < 5 || memcmp(s, "html_", 5) != 0)
		return fail(c, c->line, "{{{%.*s}}}: only names starting html_ may be written unescaped", (int)n, s);
	if (c->html.mode != M_TEXT)
		return fail(c, c->line, "{{{%.*s}}} inside %s: only text between tags may take HTML", (int)n, s,
			place_name(&c->html));
	const char *const *parts;
	size_t nparts;
	if (split_name(c, s, n, &parts, &nparts) < 0)
		return fail(c, c->line, "{{{%.*s}}}: not a name", (int)n, s);
	op *o = emit(c, OP_RAW);
	o->esc = ESC_NONE;
	o->parts = parts;
	o->nparts = nparts;
	return 0;
}

static int translation(compiler *c, const char *s, size_t n)
{
	trim(&s, &n);
	const char *why = value_refusal(&c->html);
	if (why)
		return fail(c, c->line, "{{_ %.*s}} %s", (int)n, s, why);
	if (!n)
		return fail(c, c->line, "{{_}} without words");
	op *o = emit(c, OP_TRANSLATE);
	o->esc = escape_for(&c->html);
	o->text = arena_strndup(&c->set->mem, s, n);
	o->len = n;
	wrote(c);
	return 0;
}

static int open_section(compiler *c, char sigil, const char *s, size_t n)
{
	trim(&s, &n);
	const char *why = block_refusal(&c->html);
	if (why)
		return fail(c, c->line, "{{%c%.*s}} %s", sigil, (int)n, s, why);
	if (c->nopen == MAX_NESTING)
		return fail(c, c->line, "sections nested more than %d deep", MAX_NESTING);
	const char *const *parts;
	size_t nparts;
	if (split_name(c, s, n, &parts, &nparts) < 0)
		return fail(c, c->line, "{{%c%.*s}}: not a name", sigil, (int)n, s);
	op *o = emit(c, sigil == '#' ? OP_SECTION : OP_INVERTED);
	o->parts = parts;
	o->nparts = nparts;
	c->open[c->nopen++] = (section){ c->nops - 1, sigil, s, n, c->line, c->html };
	return 0;
}

static int close_section(compiler *c, const char *s, size_t n)
{
	trim(&s, &n);
	if (!c->nopen)
		return fail(c, c->line, "{{/%.*s}} closes no section", (int)n, s);
	const section *o = &c->open[c->nopen - 1];
	if (o->len != n || memcmp(o->name, s, n) != 0)
		return fail(c, c->line, "{{/%.*s}} closes {{%c%.*s}} of line %u", (int)n, s, o->sigil,
			(int)o->len, o->name, o->line);
	if (place_of(&c->html) != place_of(&o->html))
		return fail(c, c->line, "section %.*s begins in %s (line %u) but ends in %s", (int)n, s,
			place_name(&o->html), o->line, place_name(&c->html));
	flush_text(c);
	c->ops[o->op].jump = c->nops;
	c->nopen--;
	return 0;
}

static const tpl *find_tpl(const tpl_set *s, const char *name, size_t n)
{
	for (size_t i = 0; i < s->ntpl; i++)
		if (strlen(s->tpls[i].name) == n && memcmp(s->tpls[i].name, name, n) == 0)
			return &s->tpls[i];
	return NULL;
}

/* The instance of template t for the state here: an existing one or a new
 * one, compiled later by tpl_set_load's loop. */
static size_t instance_here(compiler *c, size_t t)
{
	scan entry = normalized(&c->html);
	for (size_t i = 0; i < c->set->ninst; i++) {
		const inst *in = &c->set->insts[i];
		if (in->tpl == t && memcmp(&in->entry, &entry, sizeof entry) == 0)
			return i;
	}
	return add_instance(c->set, t, &entry, c->t->file, c->line);
}

static int partial(compiler *c, const char *s, size_t n)
{
	trim(&s, &n);
	const char *why = block_refusal(&c->html);
	if (why)
		return fail(c, c->line, "{{>%.*s}} %s", (int)n, s, why);
	const tpl *t = find_tpl(c->set, s, n);
	if (!t)
		return fail(c, c->line, "{{>%.*s}}: unknown partial", (int)n, s);
	size_t k = instance_here(c, (size_t)(t - c->set->tpls));
	op *o = emit(c, OP_PARTIAL);
	o->jump = k;
	wrote(c);
	return 0;
}

/* Compiles the tag at p, "{{…}}" or "{{{…}}}"; *used is its length. */
static int compile_tag(compiler *c, const char *p, const char *end, size_t *used)
{
	int triple = end - p > 2 && p[2] == '{';
	const char *body = p + 2 + triple;
	const char *closing = triple ? "}}}" : "}}";
	const char *close = memmem(body, (size_t)(end - body), closing, strlen(closing));
	if (!close)
		return fail(c, c->line, triple ? "unterminated {{{" : "unterminated {{");
	*used = (size_t)(close - p) + 2 + (size_t)triple;
	const char *s = body;
	size_t n = (size_t)(close - body);
	trim(&s, &n);
	if (triple)
		return raw_value(c, s, n);
	if (!n)
		return fail(c, c->line, "empty {{}}");
	switch (*s) {
	case '#': case '^': return open_section(c, *s, s + 1, n - 1);
	case '/': return close_section(c, s + 1, n - 1);
	case '>': return partial(c, s + 1, n - 1);
	case '_': return translation(c, s + 1, n - 1);
	case '!': return 0;
	default: return value(c, s, n);
	}
}

static unsigned newlines(const char *p, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

static int compile_body(compiler *c)
{
	const char *p = c->t->src, *end = p + c->t->len;
	while (p < end) {
		const char *tag = memmem(p, (size_t)(end - p), "{{", 2);
		add_text(c, p, (size_t)((tag ? tag : end) - p));
		if (!tag)
			break;
		size_t used = 0;
		if (compile_tag(c, tag, end, &used) < 0)
			return -1;
		c->line += newlines(tag, used);
		p = tag + used;
	}
	if (c->nopen) {
		const section *o = &c->open[c->nopen - 1];
		return fail(c, o->line, "{{%c%.*s}} is never closed", o->sigil, (int)o->len, o->name);
	}
	const scan entry = c->set->insts[c->inst].entry;
	if (place_of(&c->html) != place_of(&entry))
		return fail(c, c->line, "the template begins in %s but ends in %s", place_name(&entry),
			place_name(&c->html));
	flush_text(c);
	return 0;
}

static int compile(tpl_set *s, size_t k, char *err, size_t errlen)
{
	compiler c = {
		.set = s, .inst = k, .t = &s->tpls[s->insts[k].tpl], .html = s->insts[k].entry, .line = 1,
		.err = err, .errlen = errlen,
	};
	int rc = compile_body(&c);
	if (rc == 0) {
		op *ops = arena_alloc(&s->mem, c.nops * sizeof *ops);
		if (c.nops)
			memcpy(ops, c.ops, c.nops * sizeof *ops);
		s->insts[k].ops = ops;
		s->insts[k].nops = c.nops;
	}
	free(c.ops);
	buf_free(&c.text);
	return rc;
}

/* Names the files, sorts them for lookup and queues each for compiling in text. */
static int collect(tpl_set *s, const embedded_file *files, char *err, size_t errlen)
{
	size_t n = 0;
	while (files && files[n].name)
		n++;
	s->tpls = arena_alloc(&s->mem, n * sizeof *s->tpls);
	for (size_t i = 0; i < n; i++) {
		const embedded_file *f = &files[i];
		size_t len = strlen(f->name);
		if (len > 5 && strcmp(f->name + len - 5, ".html") == 0)
			len -= 5;
		s->tpls[i] = (tpl){ arena_strndup(&s->mem, f->name, len), f->name, f->data ? f->data : "",
			f->data ? f->len : 0 };
	}
	qsort(s->tpls, n, sizeof *s->tpls, tpl_cmp);
	s->ntpl = n;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(s->tpls[i - 1].name, s->tpls[i].name) == 0) {
			if (err && errlen)
				snprintf(err, errlen, "%s:1: %s also makes a template named %s", s->tpls[i].file,
					s->tpls[i - 1].file, s->tpls[i].name);
			return -1;
		}
	}
	const scan text = { .mode = M_TEXT };
	for (size_t i = 0; i < n; i++)
		add_instance(s, i, &text, NULL, 0);
	return 0;
}

int tpl_set_load(tpl_set **out, const embedded_file *files, char *err, size_t errlen)
{
	*out = NULL;
	tpl_set *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	if (collect(s, files, err, errlen) < 0)
		goto fail;
	/* partials add instances as they are found: the loop takes them too */
	for (size_t k = 0; k < s->ninst; k++)
		if (compile(s, k, err, errlen) < 0)
			goto fail;
	/* the files may go away now; nothing below keeps pointing into them */
	for (size_t i = 0; i < s->ntpl; i++)
		s->tpls[i] = (tpl){ .name = s->tpls[i].name };
	for (size_t k = 0; k < s->ninst; k++)
		s->insts[k].from_file = NULL;
	*out = s;
	return 0;
fail:
	tpl_set_free(s);
	return -1;
}

void tpl_set_free(tpl_set *s)
{
	if (!s)
		return;
	free(s->insts);
	arena_free(&s->mem);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

typedef struct frame {
	json_t *v;
	const struct frame *up;
} frame;

typedef struct render {
	const tpl_set *set;
	tpl_translate tr;
	void *cls;
	buf *out;
	int depth;   /* partials entered */
} render;

static const char *html_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

static void put_html(buf *out, const char *s, size_t n) { buf_add_escaped(out, s, n, html_entity); }

static int unreserved(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static void put_url_part(buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c))
			continue;
		buf_add(out, s + from, i - from);
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
		buf_add(out, esc, 3);
		from = i + 1;
	}
	buf_add(out, s + from, n - from);
}

static int scheme_is(const char *s, size_t n, const char *want)
{
	if (strlen(want) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != want[i])
			return 0;
	return 1;
}

/* A URL that may start an href: relative, or http:, https:, mailto:.
 * Browsers skip leading spaces and control bytes, so the check does too. */
static int url_is_safe(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (unsigned char)s[i] <= ' ')
		i++;
	if (i == n || s[i] == '/' || s[i] == '?' || s[i] == '#' || s[i] == '.')
		return 1;
	size_t j = i;
	while (j < n && s[j] != ':' && s[j] != '/' && s[j] != '?' && s[j] != '#')
		j++;
	if (j == n || s[j] != ':')
		return 1;
	return scheme_is(s + i, j - i, "http") || scheme_is(s + i, j - i, "https")
	    || scheme_is(s + i, j - i, "mailto");
}

static void put_escaped(buf *out, const char *s, size_t n, unsigned char esc)
{
	switch (esc) {
	case ESC_NONE: buf_add(out, s, n); break;
	case ESC_URL_PART: put_url_part(out, s, n); break;
	case ESC_URL_START:
		if (url_is_safe(s, n))
			put_html(out, s, n);
		else
			buf_putc(out, '#');
		break;
	default: put_html(out, s, n); break;
	}
}

static void put_value(buf *out, const json_t *v, unsigned char esc)
{
	char num[40];
	int n;
	switch (json_typeof(v)) {
	case JSON_STRING:
		put_escaped(out, json_string_value(v), json_string_length(v), esc);
		return;
	case JSON_INTEGER:
		n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		n = snprintf(num, sizeof num, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		n = snprintf(num, sizeof num, "true");
		break;
	default:
		return;   /* false, null, objects and arrays write nothing */
	}
	if (n > 0)
		put_escaped(out, num, (size_t)n, esc);
}

/* Mustache's lookup: the innermost context that has the first part, then
 * the rest of the path inside it only. */
static json_t *lookup(const frame *f, const op *o)
{
	if (!o->nparts)
		return f ? f->v : NULL;
	json_t *v = NULL;
	for (; f && !v; f = f->up)
		v = json_is_object(f->v) ? json_object_get(f->v, o->parts[0]) : NULL;
	for (size_t i = 1; v && i < o->nparts; i++)
		v = json_is_object(v) ? json_object_get(v, o->parts[i]) : NULL;
	return v;
}

static int truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return json_object_size(v) > 0;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return 1;
	default: return 0;
	}
}

static void run(render *r, const op *ops, size_t from, size_t to, const frame *ctx);

static void run_section(render *r, const op *ops, size_t at, const frame *ctx)
{
	const op *o = &ops[at];
	json_t *v = lookup(ctx, o);
	if (o->kind == OP_INVERTED) {
		if (!truthy(v))
			run(r, ops, at + 1, o->jump, ctx);
		return;
	}
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			frame f = { json_array_get(v, i), ctx };
			run(r, ops, at + 1, o->jump, &f);
		}
	} else if (truthy(v)) {
		frame f = { v, ctx };
		run(r, ops, at + 1, o->jump, &f);
	}
}

static void run_partial(render *r, const op *o, const frame *ctx)
{
	if (r->depth >= MAX_PARTIALS)
		return;
	const inst *in = &r->set->insts[o->jump];
	r->depth++;
	run(r, in->ops, 0, in->nops, ctx);
	r->depth--;
}

static void run_translation(render *r, const op *o)
{
	const char *t = r->tr ? r->tr(r->cls, o->text) : NULL;
	if (!t)
		t = o->text;
	put_escaped(r->out, t, strlen(t), o->esc);
}

static void run(render *r, const op *ops, size_t from, size_t to, const frame *ctx)
{
	for (size_t i = from; i < to; i++) {
		const op *o = &ops[i];
		switch (o->kind) {
		case OP_TEXT:
			buf_add(r->out, o->text, o->len);
			break;
		case OP_VALUE: case OP_RAW: {
			const json_t *v = lookup(ctx, o);
			if (v)
				put_value(r->out, v, o->esc);
			break;
		}
		case OP_SECTION: case OP_INVERTED:
			run_section(r, ops, i, ctx);
			i = o->jump - 1;   /* past the body */
			break;
		case OP_PARTIAL:
			run_partial(r, o, ctx);
			break;
		case OP_TRANSLATE:
			run_translation(r, o);
			break;
		}
	}
}

int tpl_render(const tpl_set *s, const char *name, json_t *ctx, tpl_translate tr, void *cls, buf *out)
{
	if (!s || !name || !out)
		return -1;
	const tpl *t = bsearch(name, s->tpls, s->ntpl, sizeof *s->tpls, key_cmp);
	if (!t)
		return -1;
	const inst *in = &s->insts[t - s->tpls];
	render r = { s, tr, cls, out, 0 };
	frame top = { ctx, NULL };
	run(&r, in->ops, 0, in->nops, &top);
	return 0;
}
