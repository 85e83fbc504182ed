/*
 * segment — sentences found by rules written as data (see segment.h, and
 * segment_rules.c for the rules and their pattern language).
 *
 * The text is first read once into an array of units: a character (with
 * its classes: space, newline, digit, letter...), a placeholder, or a tag,
 * each with its offset.  That read is the check of the UTF-8, so a broken
 * text is refused before any sentence is given.  Paired tags are matched
 * within each paragraph (a stack: a </gN> closes the <gN> on top of it, or
 * nothing), and a break is allowed only where no pair is open.
 *
 * The patterns are compiled once, on first use, into atoms (a set of
 * characters repeated m to n times, a list of words, an assertion) in
 * tables that are only read afterwards.  A pattern is matched at a
 * candidate position by walking its atoms from the position outwards:
 * rightwards for "after", leftwards (from its last atom) for "before".
 * Repetitions are possessive and capped, and only lists of words
 * backtrack, over their few words, so each rule costs a bounded number of
 * steps at each candidate: the whole walk is linear in the text's length.
 */
#include "formats/segment.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"
#include "formats/inline.h"
#include "formats/segment_rules.h"

#ifndef N_
#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */
#endif

static const char *const messages[SEGMENT_ERRORS] = {
	[SEGMENT_OK] = "",
	[SEGMENT_LANGUAGE] = N_("sentences are found in English, French and Spanish only"),
	[SEGMENT_UTF8] = N_("the text is not valid UTF-8"),
	[SEGMENT_MEMORY] = N_("out of memory"),
	[SEGMENT_STOPPED] = N_("stopped before the end of the text"),
	[SEGMENT_RULES] = N_("a sentence rule is not well formed"),
};

const char *segment_error_message(segment_error e)
{
	return e >= SEGMENT_OK && e < SEGMENT_ERRORS && messages[e] ? messages[e] : "";
}

/* ---- Units: what the patterns read ---- */

enum {
	C_SPACE = 1 << 0,
	C_NBSP = 1 << 1,     /* no-break spaces, spaces too */
	C_NEWLINE = 1 << 2,  /* ends a paragraph; a space too */
	C_DIGIT = 1 << 3,
	C_UPPER = 1 << 4,
	C_LOWER = 1 << 5,
	C_LETTER = 1 << 6,   /* every letter, upper and lower included */
	C_MARK = 1 << 7,     /* a combining mark, part of the word it follows */
	C_PLACEHOLDER = 1 << 8,
	C_TAG = 1 << 9,
	C_PAIR_OPEN = 1 << 10,    /* a tag that opens a pair closed in its paragraph */
	C_PAIR_CLOSE = 1 << 11,   /* the tag that closes it */
	C_WORD = C_DIGIT | C_LETTER | C_MARK | C_PLACEHOLDER,
};

#define NO_CHARACTER UINT32_MAX   /* a code's "character": no literal matches it */

typedef struct unit {
	size_t off;       /* where it starts; its end is the next unit's start */
	uint32_t cp;      /* the character; NO_CHARACTER for a code */
	uint16_t cls;
	int16_t tag;      /* a paired tag's number: N on <gN>, -N on </gN>; 0 on anything else */
} unit;

static uint16_t class_of(uint32_t c)
{
	if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028 || c == 0x2029)
		return C_SPACE | C_NEWLINE;
	if (c == 0xA0 || c == 0x2007 || c == 0x202F)
		return C_SPACE | C_NBSP;
	if (c < 0x80) {
		if (c == ' ' || c == '\t')
			return C_SPACE;
		if (c >= '0' && c <= '9')
			return C_DIGIT;
		if (c >= 'a' && c <= 'z')
			return C_LETTER | C_LOWER;
		if (c >= 'A' && c <= 'Z')
			return C_LETTER | C_UPPER;
		return 0;
	}
	switch (utf8proc_category((utf8proc_int32_t)c)) {
	case UTF8PROC_CATEGORY_ZS: return C_SPACE;
	case UTF8PROC_CATEGORY_ND: return C_DIGIT;
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return C_LETTER | C_UPPER;
	case UTF8PROC_CATEGORY_LL: return C_LETTER | C_LOWER;
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return C_LETTER;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return C_MARK;
	default: return 0;
	}
}

typedef struct units {
	unit *u;
	size_t n;        /* units, not counting the sentinel u[n] whose off is the text's length */
	size_t *stack;   /* open tags while pairing a paragraph's */
} units;

/* The characters of a piece of text as units; 0, or the offset of the
 * first broken byte in *bad and -1. */
static int read_characters(units *t, const char *text, const inline_piece *p, size_t *bad)
{
	size_t i = p->off, end = p->off + p->len;
	while (i < end) {
		uint32_t c = (unsigned char)text[i];
		size_t k = c < 0x80 ? 1 : utf8_next(text + i, end - i, &c);   /* most text is ASCII: no call for it */
		if (!k) {
			*bad = i;
			return -1;
		}
		t->u[t->n++] = (unit){ i, c, class_of(c), 0 };
		i += k;
	}
	return 0;
}

/* The whole text as units.  Codes start with an ASCII byte, which no
 * UTF-8 sequence holds, so the pieces of text between them start and end
 * where characters do, and a sequence broken in a piece is broken in the
 * text: the offset is the one the decoder gives reading the whole. */
static segment_error read_units(units *t, const char *text, size_t len, size_t *at)
{
	/* A unit takes at least one byte: len + 1 units always suffice. */
	if (len >= SIZE_MAX / sizeof *t->u)
		return SEGMENT_MEMORY;
	t->u = malloc((len + 1) * sizeof *t->u);
	t->stack = malloc((len / 4 + 1) * sizeof *t->stack);   /* a tag takes at least four bytes */
	t->n = 0;
	if (!t->u || !t->stack)
		return SEGMENT_MEMORY;
	size_t pos = 0;
	inline_piece p;
	while (inline_next(text, len, &pos, &p)) {
		if (p.kind == INLINE_TEXT) {
			if (read_characters(t, text, &p, at))
				return SEGMENT_UTF8;
			continue;
		}
		uint16_t cls = p.kind == INLINE_PLACEHOLDER ? C_PLACEHOLDER : C_TAG;
		int16_t tag = (int16_t)(p.kind == INLINE_OPEN ? p.id : p.kind == INLINE_CLOSE ? -p.id : 0);
		t->u[t->n++] = (unit){ p.off, NO_CHARACTER, cls, tag };
	}
	t->u[t->n] = (unit){ len, NO_CHARACTER, C_SPACE | C_NEWLINE, 0 };
	return SEGMENT_OK;
}

static int is_tag(const unit *u) { return u->cls & C_TAG; }

/* Marks the tags of units [lo, hi) that open and close a pair there. */
static void pair_tags(units *t, size_t lo, size_t hi)
{
	size_t depth = 0;
	for (size_t i = lo; i < hi; i++) {
		unit *u = &t->u[i];
		if (u->tag > 0) {
			t->stack[depth++] = i;
		} else if (u->tag < 0 && depth && t->u[t->stack[depth - 1]].tag == -u->tag) {
			t->u[t->stack[--depth]].cls |= C_PAIR_OPEN;
			u->cls |= C_PAIR_CLOSE;
		}
	}
}

/* ---- Patterns, compiled ---- */

enum atom_kind { ATOM_SET, ATOM_WORDS, ATOM_START, ATOM_END, ATOM_EDGE };

#define REPEAT_MAX 32
#define ATOMS_MAX 1024
#define POOL_MAX 8192
#define RULES_MAX 128
#define MAPS_MAX 8
#define GATES_MAX 64

typedef struct atom {
	uint8_t kind;
	uint8_t min, max;   /* a set's repetitions */
	uint8_t negated;    /* [^...] */
	uint16_t classes;   /* the classes a set takes in whole */
	uint16_t first;     /* in the pool: a set's ranges (first, last); a word list's words, each its length then its characters */
	uint16_t count;     /* how many ranges, or words */
} atom;

typedef struct pattern { uint16_t first, count; } pattern;   /* its atoms */

typedef struct compiled_rule {
	bool breaks;
	pattern before, after;
} compiled_rule;

/* A language's rules in the order they apply, and its gate: what the
 * character before a break may be.  Most candidates follow a letter, and
 * no break rule can match there; the gate tells so at the cost of a bit
 * looked up, before any rule is tried (no break rule matching, the
 * position is no break whatever the no-break rules say). */
typedef struct compiled_map {
	uint16_t rules[RULES_MAX];   /* indexes in tables.rules */
	size_t nrules;
	bool gate_open;              /* a break rule may match whatever comes before: no gate */
	uint32_t gate_ascii[4];      /* the ASCII characters a break may follow, a bit each */
	uint16_t gates[GATES_MAX];   /* the atoms any of which the character before a break is in */
	size_t ngates;
} compiled_map;

typedef struct ruletables {
	atom atoms[ATOMS_MAX];
	uint32_t pool[POOL_MAX];
	compiled_rule rules[RULES_MAX];
	size_t natoms, npool, nrules;
	compiled_map maps[MAPS_MAX];   /* by the language's place in segment_maps */
	int fault;                     /* the number of the first rule that did not compile, or -1 */
} ruletables;

static ruletables tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

typedef struct reader {
	const char *s;   /* the pattern left to read */
} reader;

/* The next character of the pattern into *c; 0 at its end or at broken UTF-8. */
static int pattern_char(reader *r, uint32_t *c)
{
	size_t k = *r->s ? utf8_next(r->s, strlen(r->s), c) : 0;
	r->s += k;
	return k > 0;
}

static int pool_put(uint32_t v)
{
	if (tables.npool == POOL_MAX)
		return -1;
	tables.pool[tables.npool++] = v;
	return 0;
}

/* The classes of an escape such as \d; 0 when the escape is a character. */
static uint16_t escape_class(uint32_t c)
{
	switch (c) {
	case 's': return C_SPACE;
	case 'h': return C_NBSP;
	case 'd': return C_DIGIT;
	case 'u': return C_UPPER;
	case 'l': return C_LOWER;
	case 'a': return C_LETTER;
	case 'w': return C_WORD;
	case 'p': return C_PLACEHOLDER;
	default: return 0;
	}
}

/* One member of a set (a character, a range x-y inside [...], a class),
 * or an atom of one character or class: adds it to a.  A character is kept
 * in the pool as a range from itself to itself. */
static int set_member(reader *r, uint32_t c, atom *a, int in_brackets)
{
	if (c == '\\') {
		if (!pattern_char(r, &c))
			return -1;
		uint16_t cls = escape_class(c);
		if (cls) {
			a->classes |= cls;
			return 0;
		}
	}
	uint32_t last = c;
	if (in_brackets && r->s[0] == '-' && r->s[1] && r->s[1] != ']') {
		r->s++;
		if (!pattern_char(r, &last) || last < c)
			return -1;
	}
	a->count++;
	return pool_put(c) || pool_put(last) ? -1 : 0;
}

static int read_set(reader *r, atom *a)
{
	uint32_t c;
	if (*r->s == '^') {
		a->negated = 1;
		r->s++;
	}
	while (pattern_char(r, &c)) {
		if (c == ']')
			return 0;
		if (set_member(r, c, a, 1))
			return -1;
	}
	return -1;   /* no ] */
}

/* (ab|c): each word as its length and characters in the pool. */
static int read_words(reader *r, atom *a)
{
	uint32_t c;
	size_t length_at = tables.npool;
	if (pool_put(0))
		return -1;
	a->count = 1;
	while (pattern_char(r, &c)) {
		if (c == ')' || c == '|') {
			if (tables.pool[length_at] == 0)
				return -1;   /* an empty word */
			if (c == ')')
				return 0;
			length_at = tables.npool;
			a->count++;
			if (pool_put(0))
				return -1;
			continue;
		}
		if (c == '\\' && !pattern_char(r, &c))
			return -1;
		tables.pool[length_at]++;
		if (pool_put(c))
			return -1;
	}
	return -1;   /* no ) */
}

static int read_number(reader *r, unsigned *v)
{
	if (*r->s < '0' || *r->s > '9')
		return -1;
	for (*v = 0; *r->s >= '0' && *r->s <= '9' && *v <= REPEAT_MAX; r->s++)
		*v = *v * 10 + (unsigned)(*r->s - '0');
	return *v <= REPEAT_MAX ? 0 : -1;
}

/* A repetition after a set: ? * + {m,n} {n}; none is once. */
static int read_repeat(reader *r, atom *a)
{
	unsigned min = 1, max = 1;
	char q = *r->s;
	if (q == '?' || q == '*' || q == '+') {
		r->s++;
		min = q == '+';
		max = q == '?' ? 1 : REPEAT_MAX;
	} else if (q == '{') {
		r->s++;
		if (read_number(r, &min))
			return -1;
		max = min;
		if (*r->s == ',' && (r->s++, read_number(r, &max)))
			return -1;
		if (*r->s++ != '}' || max < min || max == 0)
			return -1;
	}
	a->min = (uint8_t)min;
	a->max = (uint8_t)max;
	return 0;
}

static int read_atom(reader *r, uint32_t c, atom *a)
{
	*a = (atom){ .kind = ATOM_SET, .first = (uint16_t)tables.npool };
	if (c == '^' || c == '$') {
		a->kind = c == '^' ? ATOM_START : ATOM_END;
		return 0;
	}
	if (c == '\\' && *r->s == 'b') {
		r->s++;
		a->kind = ATOM_EDGE;
		return 0;
	}
	if (c == '(') {
		a->kind = ATOM_WORDS;
		return read_words(r, a);
	}
	if (c == '[' ? read_set(r, a) : set_member(r, c, a, 0))
		return -1;
	return read_repeat(r, a);
}

static int compile_pattern(const char *src, pattern *out)
{
	reader r = { src };
	uint32_t c;
	out->first = (uint16_t)tables.natoms;
	out->count = 0;
	while (pattern_char(&r, &c)) {
		if (tables.natoms == ATOMS_MAX || read_atom(&r, c, &tables.atoms[tables.natoms]))
			return -1;
		tables.natoms++;
		out->count++;
	}
	return *r.s ? -1 : 0;   /* stopped at broken UTF-8 */
}

static int compile_rulesets(size_t *set_first)
{
	for (size_t s = 0; segment_rulesets[s]; s++) {
		const segment_ruleset *set = segment_rulesets[s];
		set_first[s] = tables.nrules;
		for (size_t i = 0; i < set->count; i++) {
			compiled_rule *c = &tables.rules[tables.nrules];
			c->breaks = set->rules[i].breaks;
			if (tables.nrules == RULES_MAX || compile_pattern(set->rules[i].before, &c->before) ||
			    compile_pattern(set->rules[i].after, &c->after))
				return -1;
			tables.nrules++;
		}
	}
	return 0;
}

/* Whether a unit is in a set atom's characters and classes. */
static int in_set(const atom *a, const unit *u)
{
	int in = (u->cls & a->classes) != 0;
	const uint32_t *range = &tables.pool[a->first];
	for (size_t i = 0; i < a->count && !in; i++, range += 2)
		in = u->cp >= range[0] && u->cp <= range[1] && u->cp != NO_CHARACTER;
	return in != a->negated;
}

/* Adds to the gate the atoms that may read the character before a break
 * the rule makes: the last atoms of its "before", up to the first that
 * must match.  A pattern that may match nothing opens the gate. */
static int add_gate(compiled_map *m, const compiled_rule *r)
{
	for (size_t k = r->before.count; k-- > 0;) {
		const atom *a = &tables.atoms[r->before.first + k];
		if (a->kind != ATOM_SET)
			break;
		if (m->ngates == GATES_MAX)
			return -1;
		m->gates[m->ngates++] = (uint16_t)(r->before.first + k);
		if (a->min > 0)
			return 0;
	}
	m->gate_open = true;
	return 0;
}

static int gate_passes(const compiled_map *m, const unit *u)
{
	for (size_t g = 0; g < m->ngates; g++)
		if (in_set(&tables.atoms[m->gates[g]], u))
			return 1;
	return 0;
}

static int compile_map(compiled_map *m, const segment_map *map, const size_t *set_first)
{
	for (size_t s = 0; s < SEGMENT_SETS_MAX && map->sets[s]; s++) {
		size_t set = 0;
		while (segment_rulesets[set] != map->sets[s])
			set++;
		for (size_t k = 0; k < map->sets[s]->count; k++) {
			size_t r = set_first[set] + k;
			m->rules[m->nrules++] = (uint16_t)r;
			if (tables.rules[r].breaks && add_gate(m, &tables.rules[r]))
				return -1;
		}
	}
	for (uint32_t c = 0; c < 128; c++) {
		unit u = { 0, c, class_of(c), 0 };
		if (gate_passes(m, &u))
			m->gate_ascii[c >> 5] |= 1u << (c & 31);
	}
	return 0;
}

static void compile_tables(void)
{
	size_t set_first[RULES_MAX];
	tables.fault = -1;
	if (compile_rulesets(set_first)) {
		tables.fault = (int)tables.nrules;
		return;
	}
	for (size_t i = 0; segment_maps[i].lang; i++)
		if (i == MAPS_MAX || compile_map(&tables.maps[i], &segment_maps[i], set_first)) {
			tables.fault = (int)tables.nrules;
			return;
		}
}

/* ---- Matching ---- */

/* A paragraph: units [lo, hi), its content (what is neither space nor tag)
 * from units first to last_end - 1. */
typedef struct para {
	const unit *u;
	size_t lo, hi, first, last_end;
} para;

/* The unit read from *p towards dir (+1 right, -1 left), tags skipped;
 * NULL at the paragraph's edge. */
static const unit *step(const para *t, size_t *p, int dir)
{
	if (dir > 0) {
		while (*p < t->hi && is_tag(&t->u[*p]))
			(*p)++;
		return *p < t->hi ? &t->u[(*p)++] : NULL;
	}
	while (*p > t->lo && is_tag(&t->u[*p - 1]))
		(*p)--;
	return *p > t->lo ? &t->u[--(*p)] : NULL;
}


static int is_word(const unit *u) { return u && (u->cls & C_WORD); }

static int at_edge(const para *t, size_t p)
{
	size_t left = p, right = p;
	return is_word(step(t, &left, -1)) != is_word(step(t, &right, +1));
}

static int match_atoms(const para *t, const pattern *pat, size_t k, size_t p, int dir);

/* A word of a list read from p towards dir: where it ends, or 0 and no match. */
static int match_word(const para *t, const uint32_t *w, size_t len, size_t *p, int dir)
{
	for (size_t i = 0; i < len; i++) {
		const unit *u = step(t, p, dir);
		if (!u || u->cp != w[dir > 0 ? i : len - 1 - i])
			return 0;
	}
	return 1;
}

static int match_words(const para *t, const atom *a, const pattern *pat, size_t k, size_t p, int dir)
{
	size_t w = a->first;
	for (size_t i = 0; i < a->count; i++) {
		size_t len = tables.pool[w], q = p;
		if (match_word(t, &tables.pool[w + 1], len, &q, dir) && match_atoms(t, pat, k + 1, q, dir))
			return 1;
		w += len + 1;
	}
	return 0;
}

/* Whether the pattern's atoms from the k-th on (counted in the order of
 * reading) match from p towards dir. */
static int match_atoms(const para *t, const pattern *pat, size_t k, size_t p, int dir)
{
	for (; k < pat->count; k++) {
		const atom *a = &tables.atoms[pat->first + (dir > 0 ? k : pat->count - 1 - k)];
		switch (a->kind) {
		case ATOM_START:
			if (p > t->first)
				return 0;
			break;
		case ATOM_END:
			if (p < t->last_end)
				return 0;
			break;
		case ATOM_EDGE:
			if (!at_edge(t, p))
				return 0;
			break;
		case ATOM_WORDS:
			return match_words(t, a, pat, k, p, dir);
		case ATOM_SET: {
			unsigned n = 0;
			for (size_t q = p; n < a->max; n++, p = q) {
				const unit *u = step(t, &q, dir);
				if (!u || !in_set(a, u))
					break;
			}
			if (n < a->min)
				return 0;
			break;
		}
		}
	}
	return 1;
}

/* Whether the character before position i may end a sentence at all. */
static int through_gate(const para *t, const compiled_map *m, size_t i)
{
	size_t p = i;
	const unit *u = step(t, &p, -1);
	if (m->gate_open)
		return 1;
	if (!u)
		return 0;
	if (u->cp < 128)
		return (m->gate_ascii[u->cp >> 5] >> (u->cp & 31)) & 1;
	return gate_passes(m, u);
}

/* Whether there is a break at the start of unit i: the first rule of the
 * language whose patterns both match decides. */
static int breaks_at(const para *t, const compiled_map *m, size_t i)
{
	if (!through_gate(t, m, i))
		return 0;
	for (size_t k = 0; k < m->nrules; k++) {
		const compiled_rule *r = &tables.rules[m->rules[k]];
		if (match_atoms(t, &r->before, 0, i, -1) && match_atoms(t, &r->after, 0, i, +1))
			return r->breaks;
	}
	return 0;
}

/* ---- The walk ---- */

typedef struct walk {
	const compiled_map *map;
	units t;
	segment_fn each;
	void *ctx;
	size_t given_end;   /* the end of the last sentence given */
} walk;

static int is_space(const unit *u) { return u->cls & C_SPACE; }

/* Gives units [from, to) as a sentence, without the spaces around it; -1 when told to stop. */
static int give(walk *w, size_t from, size_t to)
{
	const unit *u = w->t.u;
	while (from < to && is_space(&u[from]))
		from++;
	while (to > from && is_space(&u[to - 1]))
		to--;
	if (from == to)
		return 0;
	segment_span span = { u[from].off, u[to].off - u[from].off };
	w->given_end = span.off + span.len;
	return w->each(w->ctx, span) ? -1 : 0;
}

static int walk_paragraph(walk *w, size_t lo, size_t hi)
{
	const unit *u = w->t.u;
	para t = { u, lo, hi, hi, lo };
	for (size_t i = lo; i < hi; i++) {
		if (is_space(&u[i]) || is_tag(&u[i]))
			continue;
		if (t.first == hi)
			t.first = i;
		t.last_end = i + 1;
	}
	if (t.first == hi)
		return give(w, lo, hi);   /* spaces and tags alone: a sentence if there are tags */
	pair_tags(&w->t, lo, hi);
	size_t start = lo;
	int depth = 0;
	for (size_t i = lo + 1; i < hi; i++) {
		depth += (u[i - 1].cls & C_PAIR_OPEN) != 0;
		depth -= (u[i - 1].cls & C_PAIR_CLOSE) != 0;
		if (depth || !is_space(&u[i]) || is_space(&u[i - 1]) || !breaks_at(&t, w->map, i))
			continue;
		if (give(w, start, i))
			return -1;
		start = i;
	}
	return give(w, start, hi);
}

/* The place of lang's rules in segment_maps; -1 when it has none. */
static int map_of(const char *lang)
{
	for (int i = 0; lang && segment_maps[i].lang; i++) {
		size_t n = strlen(segment_maps[i].lang);
		if (strncmp(lang, segment_maps[i].lang, n) == 0 && (lang[n] == '\0' || (lang[n] == '-' && lang[n + 1])))
			return i;
	}
	return -1;
}

bool segment_language(const char *lang) { return map_of(lang) >= 0; }

static segment_error walk_text(walk *w, size_t *at)
{
	size_t lo = 0;
	for (size_t i = 0; i <= w->t.n; i++) {
		if (!(w->t.u[i].cls & C_NEWLINE))
			continue;
		if (walk_paragraph(w, lo, i)) {
			*at = w->given_end;
			return SEGMENT_STOPPED;
		}
		lo = i + 1;
	}
	return SEGMENT_OK;
}

segment_error segment_text(const char *lang, const char *text, size_t len, segment_fn each, void *ctx, size_t *at)
{
	size_t where = 0;
	int map = map_of(lang);
	walk w = { .each = each, .ctx = ctx };
	segment_error e = SEGMENT_LANGUAGE;
	if (map < 0)
		goto done;
	pthread_once(&tables_once, compile_tables);
	if (tables.fault >= 0) {
		where = (size_t)tables.fault;
		e = SEGMENT_RULES;
		goto done;
	}
	w.map = &tables.maps[map];
	e = read_units(&w.t, text, len, &where);
	if (e == SEGMENT_OK)
		e = walk_text(&w, &where);
done:
	free(w.t.u);
	free(w.t.stack);
	if (at)
		*at = e == SEGMENT_OK ? len : where;
	return e;
}
