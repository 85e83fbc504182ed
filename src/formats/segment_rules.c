/*
 * segment_rules — where sentences end in English, French and Spanish, as
 * data: the rules segment.c applies (see segment.h for what it keeps
 * itself: paragraphs, words, inline codes).
 *
 * A position is a candidate where a run of whitespace starts after a word.
 * At each, the language's rules are tried in order, its own sets first and
 * the common set last; the first rule whose "before" pattern matches the
 * text ending at the position and whose "after" pattern matches the text
 * starting there decides: break or no break.  A position no rule matches is
 * no break.  So no-break rules (the exceptions) come before the break rule
 * they except from, as in SRX.
 *
 * The patterns are a small language of their own, read by segment.c:
 *
 *   x         the character x (any UTF-8 character but the ones below)
 *   \x        the character x, for x one of \ [ ] ( ) | ? * + { } ^ $ .
 *   \s        whitespace, the no-break spaces included
 *   \h        a no-break space (U+00A0, U+2007, U+202F: French spacing)
 *   \d        a digit
 *   \u \l \a  an uppercase (or titlecase) letter, a lowercase letter, any letter
 *   \w        a letter, a digit, a combining mark or a placeholder ({0}, %s)
 *   \p        a placeholder
 *   [...]     one character of those listed (characters, ranges such as
 *             A-H, the classes above); [^...] one character of none of them
 *   (ab|c)    one of the words listed, letter for letter (\x escapes)
 *   ? * + {m,n} {n}   after a character, a class or a set: repeated so
 *             many times, as many as there are (possessive: a repetition
 *             gives nothing back) and 32 at the most
 *   ^ $       the start or the end of the paragraph: nothing but spaces
 *             and tags between here and there
 *   \b        the edge of a word: \w on one side and not on the other
 *
 * Tags (<g1>, </g1>, <x2/>) are invisible to the patterns: "Mr.<x1/>" is
 * read as "Mr.".  A "before" pattern is read from its end, leftwards from
 * the position, so its repetitions are possessive leftwards: write
 * "[\d.]*\d\." for "1.2.", not "\d[\d.]*\.", which would have no digit
 * left for its first \d.  Each pattern reads a bounded number of
 * characters, which keeps the segmenter linear in the text's length.
 *
 * Abbreviations come in three kinds.  Titles before a name (Mr., Mme, Sra.)
 * and expressions that never end a sentence (e.g., p. ex., doc. before a
 * document's symbol) never break.
 * Those that precede a number (No. 5, art. 5.2, pág. 12) do not break
 * before a digit.  The rest (etc., Ud., EE.UU.) end the sentence when a
 * capital follows and continue it before a lowercase word, which is the
 * common rule for every full stop.  A single capital and a full stop is an
 * initial (J. R. Smith; English leaves out "I", a word), so "Plan B. Then"
 * stays one sentence: the price of keeping "J. R. Smith" whole.
 */
#include "formats/segment_rules.h"

#define BREAK true
#define NO_BREAK false
#define RULES(name, array) { name, array, sizeof array / sizeof array[0] }

static const segment_rule english_rules[] = {
	{ NO_BREAK, "\\b(Mr|Mrs|Ms|Messrs|Mmes|Dr|Drs|Prof|Hon|Amb|Gen|Sen|Rep|Gov|Rev|Fr|Sgt|Capt|Lt|Col|Maj)\\.", "" },
	{ NO_BREAK, "\\b(e\\.g|i\\.e|cf|vs|viz|approx|incl|esp|resp|doc|Doc|docs|Docs)\\.", "" },
	{ NO_BREAK,
	  "\\b(No|no|Nos|nos|Art|art|Arts|arts|Para|para|Paras|paras|p|pp|Vol|vol|Fig|fig|Figs|figs|Ch|ch|Chap|chap"
	  "|Sect|sect|Sec|sec|Rev|Add|Corr|Op|op|Tel|tel|Ext|ext|Rule|Reg|Res)\\.",
	  "\\s+[(]?\\d" },
	{ NO_BREAK, "\\b[A-HJ-Z]\\.", "" },   /* initials; "I." is a word */
};

static const segment_rule french_rules[] = {
	{ NO_BREAK, "\\b(M|MM|Mme|Mmes|Mlle|Mlles|Me|Mes|Mgr|Dr|Pr|St|Ste|S\\.E|LL\\.EE)\\.", "" },
	{ NO_BREAK, "\\bp\\.\\s?ex\\.", "" },
	{ NO_BREAK, "\\b(cf|c\\.-à-d|c\\.à\\.d|resp|env|vs|doc|Doc)\\.", "" },
	{ NO_BREAK,
	  "\\b(art|Art|arts|Arts|al|par|p|pp|chap|Chap|vol|Vol|fig|Fig|no|No|nos|Nos|t|éd|tél|Tél|Rév|Rev|Add|Corr|Rés)\\.",
	  "\\s+[(]?\\d" },
	{ NO_BREAK, "\\b\\u\\.", "" },   /* initials: J. R. Dupont, É. Zola */
};

static const segment_rule spanish_rules[] = {
	{ NO_BREAK,
	  "\\b(Sr|Sra|Sres|Sras|Srta|Srtas|Dr|Dra|Dres|Dras|D|Dña|Lic|Lcda|Lcdo|Ing|Excmo|Excma|Excmos|Ilmo|Ilma|Prof|Profa"
	  "|Mons|Sto|Sta|Gral|Cnel)\\.",
	  "" },
	{ NO_BREAK, "\\bp\\.\\s?ej\\.", "" },
	{ NO_BREAK, "\\b(cf|vs|aprox|esp|doc|Doc|docs|Docs)\\.", "" },
	{ NO_BREAK,
	  "\\b(núm|Núm|núms|pág|Pág|págs|art|Art|arts|párr|Párr|párrs|cap|Cap|vol|Vol|fig|Fig|n|p|pp|tel|Tel|Rev|Add|Corr"
	  "|Res)\\.",
	  "\\s+[(]?\\d" },
	{ NO_BREAK, "\\bEE\\.", "\\s+UU\\." },   /* EE. UU., the spelling the Academy prefers */
	{ NO_BREAK, "\\b\\u\\.", "" },           /* initials */
};

/* What every language shares, after its own rules.  The end of a sentence
 * is ., ?, !, … (or a run of them) and the closing marks after them, which
 * stay in the sentence they close. */
static const segment_rule common_rules[] = {
	/* A closing mark after a space still closes the sentence before it: « Non. » */
	{ NO_BREAK, "[.?!…]['\"’”»)\\]]*", "\\s+[»”)\\]]" },
	/* A paragraph's number: 1. 12. 1.2. IV. iv. a. */
	{ NO_BREAK, "^[\\d.]*\\d\\.", "" },
	{ NO_BREAK, "^[IVXLCDM]+\\.", "" },
	{ NO_BREAK, "^[ivxlcdm]+\\.", "" },
	{ NO_BREAK, "^\\a\\.", "" },
	/* Words left out of a quotation: [...] (…) */
	{ NO_BREAK, "[(\\[][.…]+[)\\]]", "" },
	/* A list's item after a full stop begins a sentence, lowercase as its mark may be: (a) (iv) (12) */
	{ BREAK, "[.?!…][\\s'\"’”»)\\]]*", "\\s+\\(\\l\\)" },
	{ BREAK, "[.?!…][\\s'\"’”»)\\]]*", "\\s+\\([ivxl]+\\)" },
	{ BREAK, "[.?!…][\\s'\"’”»)\\]]*", "\\s+\\(\\d{1,3}\\)" },
	/* A lowercase word next continues the sentence, after an opening mark
	 * or a dash too: "etc. and", "… puis", "¡basta! y", "? —preguntó". */
	{ NO_BREAK, "", "\\s+['\"‘“«(\\[¿¡—–-]*\\l" },
	{ BREAK, "[.?!…][\\s'\"’”»)\\]]*", "" },
};

static const segment_ruleset english = RULES("English", english_rules);
static const segment_ruleset french = RULES("French", french_rules);
static const segment_ruleset spanish = RULES("Spanish", spanish_rules);
static const segment_ruleset common = RULES("Common", common_rules);

const segment_ruleset *const segment_rulesets[] = { &english, &french, &spanish, &common, NULL };

const segment_map segment_maps[] = {
	{ "en", { &english, &common } },
	{ "fr", { &french, &common } },
	{ "es", { &spanish, &common } },
	{ NULL, { NULL } },
};
