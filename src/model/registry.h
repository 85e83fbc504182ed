/*
 * registry — kinds of record described once, as data.
 *
 * A domain describes a kind of record with an entity_def: its fields, their
 * types and rules, who may read and write it.  Everything else — the table,
 * validation, the JSON API, CSV, the audit trail, OpenAPI — is generic code
 * that reads these descriptions.  Adding a kind of record is adding a table
 * of field_defs, not writing another create/read/update/list by hand.
 */
#ifndef LIAISON_REGISTRY_H
#define LIAISON_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "model/i18n.h"  /* N_ and NC_ mark English interface text (labels, headings) for the catalogs */
#include "store/store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef enum field_type {
	F_TEXT,      /* a string */
	F_LANGTEXT,  /* {"en": ..., "fr": ..., "es": ...}: one column per language */
	F_ENUM,      /* one of .values */
	F_REF,       /* the id of a record of kind .ref, or its .ref_key (a country's "PH") */
	F_DATE,      /* YYYY-MM-DD */
	F_TIME,      /* YYYY-MM-DDThh:mm:ssZ */
	F_INT,
	F_BOOL,
	F_EMAIL,
	F_URL,       /* http or https only: never javascript: and friends; "example.org" is stored as "https://example.org" */
	F_LIST,      /* an array of short strings (tags, phones, languages), LIST_ITEM_MAX characters each */
	F_EMAILS,    /* an array of e-mail addresses */
	F_LINKS,     /* an array of {"kind", "id", "role"}: links kept in their own table */
	F_MONEY,     /* {"amount": "1250000.00", "currency": "USD"}: two columns, the amount in the currency's
		      * minor units (integer, ISO 4217's decimals) and the currency's code; never summed across
		      * currencies, never sorted but within one */
} field_type;

#define LIST_ITEM_MAX 200   /* characters of one item of an F_LIST or F_EMAILS */

typedef unsigned role_set;      /* ROLE_BIT(ROLE_STAFF) | ...: the roles are below */

enum field_flags {
	REQUIRED = 1 << 0,
	SEARCHED = 1 << 1,  /* goes into the search index */
	INDEXED = 1 << 2,   /* filtered or sorted often: give it an index */
	UNIQUE = 1 << 3,
	READONLY = 1 << 4,  /* set by the system or a workflow, never by the API body */
	PERSONAL = 1 << 5,  /* personal data: exported with the person, replaced on erasure */
	TITLE = 1 << 6,     /* the field that names a record in lists and links */
	MATCHED = 1 << 7,   /* compared when looking for likely duplicates: names, e-mails */
	ACRONYM = 1 << 8,   /* compared as an acronym, with other acronyms and names' initials */
	UNSHOWN = 1 << 9,   /* the system's bookkeeping (a clock, a hash): pages do not show it */
	PARTNER_ORG = 1 << 10,  /* F_REF without .ref: to the kind partners belong to (the one marked
				 * self_org), whichever area defines it; the registry fills in .ref */
	FACET = 1 << 11,    /* a search filter (name:value in the search box) and a count of the results:
			     * F_REF (by id or by its key), F_ENUM, F_LIST (an item), F_TEXT */
	TODAY = 1 << 12,    /* F_DATE: a new record that gives none is dated today, in the
			     * installation's zone (model/today.h); its form shows today */
	TELLS_APART = 1 << 13,  /* two likely duplicates that both have it and differ in it are two
				 * records: an organization's country, a person's organization */
};

typedef struct field_def {
	const char *name;
	field_type type;
	unsigned flags;
	size_t max;                       /* characters for text, items for lists */
	const char *const *values;        /* F_ENUM: NULL-terminated */
	const char *ref;                  /* F_REF: the kind referred to */
	const char *ref_key;              /* F_REF: refer by this unique text column instead of id */
	const char *const *link_kinds;    /* F_LINKS: kinds a link may point to, NULL-terminated */
	long long min_int, max_int;       /* F_INT bounds when min_int < max_int */
	const char *label;                /* for people, in English: "Given name" */
	const char *const *labels;        /* F_ENUM: a label per value, in English */
	const char *hint;                 /* a line of help under the field in forms */
	double weight;                    /* SEARCHED or TITLE: how much a word found in it counts towards a
					   * result's rank; 0 is the default, 10 for a title, 1 otherwise */
	const char *initial;              /* F_ENUM: a new record's value when none is given, and the one its
					   * form starts with ("open" for a follow-up); NULL: none */
	const char *within;               /* F_REF: the record referred to has the same value of this field as
					   * the record's parent: a speaker's agenda item is of the session of
					   * the speaker's delegation ("session"); checked on every write */
	role_set writers;                 /* who among the kind's writers may give it a value (a delegation's
					   * credentials are received by staff, not by the delegate); 0: all */
	const char *sample;               /* F_TEXT: a value the kind's own rules accept, where any text would
					   * not ("C/115/{n}"): the API description's example, and what tests
					   * generate; {n} stands for a number, {A} for capital letters, each
					   * making one record's value differ from another's (field_sample) */
} field_def;

/*
 * Roles, and who may do what, as data.
 *
 * A user has one role: an account's (admin ... partner), ROLE_PUBLIC without
 * one, ROLE_MAIL for the outbox, or a system role an area acts in (system_role
 * below).  What a role reads of a record's classification is its role_def's
 * sees; what it may do with a kind of record is the kind's sets of roles per
 * operation (entity_def.read ... archive).  Giving translators write access to
 * a kind is adding ROLE_BIT(ROLE_TRANSLATOR) to its sets: no code.
 */
typedef enum role {
	ROLE_ADMIN, ROLE_DIRECTOR, ROLE_STAFF, ROLE_TRANSLATOR, ROLE_VIEWER, ROLE_PARTNER,
	ROLE_PUBLIC,  /* no account */
	ROLE_MAIL,    /* the outbox's sender recording what the relay did: no kind's rights at all */
	ROLE_SYSTEM,  /* the first of NSYSTEM_ROLES slots the areas' system roles take */
	NROLES = ROLE_SYSTEM + 6   /* a slot or two beyond those claimed: the access matrix tests a free one */
} role;
#define NSYSTEM_ROLES (NROLES - ROLE_SYSTEM)

#define ROLE_BIT(r) (1u << (r))
#define NOBODY (1u << 31)       /* a set no role is in, where 0 would mean "as .write" */
#define WHO_ADMIN   ROLE_BIT(ROLE_ADMIN)
#define WHO_EDITORS (WHO_ADMIN | ROLE_BIT(ROLE_DIRECTOR) | ROLE_BIT(ROLE_STAFF))  /* staff who edit records */
#define WHO_STAFF   (WHO_EDITORS | ROLE_BIT(ROLE_TRANSLATOR) | ROLE_BIT(ROLE_VIEWER))
#define WHO_ACCOUNT (WHO_STAFF | ROLE_BIT(ROLE_PARTNER))  /* anyone signed in */
#define WHO_ANYONE  (WHO_ACCOUNT | ROLE_BIT(ROLE_PUBLIC))

/* What a role reads of records, by their classification. */
enum sees {
	SEES_PUBLIC = 1 << 0,
	SEES_INTERNAL = 1 << 1,    /* every internal record */
	SEES_OWN_ORG = 1 << 2,     /* the internal records of the user's own organization */
	SEES_DIVISION = 1 << 3,    /* the restricted records of the user's division */
	SEES_RESTRICTED = 1 << 4,  /* every restricted record */
	SEES_GRANTED = 1 << 5,     /* the confidential records the user made or was granted */
	SEES_ALL = 1 << 6,         /* every record, whatever its classification */
};

typedef struct role_def {
	const char *name;          /* "translator": the accounts' and the API's word (roles[]) */
	unsigned sees;
	int staff;                 /* a member of the department's staff */
	int account;               /* an account may have it */
} role_def;

extern const role_def role_defs[NROLES];  /* the platform's roles; a system slot's is all zero */

/*
 * A role the system acts in on an area's behalf, never an account's: the
 * inquiries' intake of mail and of the public form reads every inquiry to
 * thread a message into it, and writes only what the kinds let it.  The area
 * picks a free slot (ROLE_SYSTEM + n) and names it in its kinds' sets; the
 * registry learns what it sees (registry_add_roles), and a slot no area
 * claims sees nothing.
 */
typedef struct system_role {
	role slot;
	const char *name;          /* for people: "intake" */
	unsigned sees;
} system_role;

struct buf;
struct entity;
struct json_t;
struct model_ctx;
struct record;
struct store_conn;

/* Domain hooks, called inside the write transaction with the validated
 * record: cross-field rules, or a check before a create goes through
 * (duplicate detection).  They return 0 to go on, or set the context's error
 * and return -1. */
typedef int (*entity_hook)(struct model_ctx *m, struct store_conn *c, const struct entity *e, struct record *rec);

/* What became of mail the outbox (model/outbox.h) holds for a record of a
 * kind: state "sent" once the relay took it, "failed" with the relay's
 * reason when it refused it for good or the attempts ran out, "queued"
 * when an administrator had a failed one tried again.  Called in the
 * transaction that records the outcome, as the sender's own user (or the
 * administrator who asked), so that the record's own fields follow: an
 * inquiry message's delivery.  0, or -1 with m's error, and the outcome is
 * then recorded without the record's change. */
typedef int (*mail_hook)(struct model_ctx *m, struct store_conn *c, const struct entity *e, int64_t id,
			 const char *state, const char *reason);

/* A list of a kind's records on the home page, for those who may read the
 * kind; the reader's own lists come first. */
typedef struct home_list {
	const char *heading;      /* "My follow-ups", in English */
	const char *empty;        /* what the list says when it has nothing: "Nothing due." */
	const char *date_field;   /* shown beside each record; the list's order */
	int newest_first;         /* by date_field, newest first; else soonest first */
	const char *owner_field;  /* only the reader's own: the reference to users that holds their id */
	const char *field, *value;  /* and only those whose field has this value ("status", "open") */
} home_list;

/* A count on the home page: how many of the kind's records the reader has
 * in some state (their open inquiries, the overdue ones), as a link to the
 * list that shows them.  The area counts them with its own list's
 * conditions, so that the number and the list agree. */
typedef struct home_count {
	const char *label;        /* "My open inquiries", in English; NULL ends a kind's counts */
	const char *href;         /* the list that shows them, "{me}" standing for the reader's id */
	const char *tone;         /* "overdue", "waiting", "done" or NULL: the status colour of a count above 0 */
	int (*count)(struct model_ctx *m, const struct entity *e, int64_t *n);  /* for m's user; 0 or -1; or NULL: */
	const char *view;         /* the count of the kind's named view (list_view below), as its list holds it */
	role_set who;             /* who is shown it, of those who read the kind; 0: all of them */
} home_count;

/* A named part of a kind's list that no field's value can say (the meetings
 * coming soon with nobody confirmed to go): ?view=NAME on the list, the
 * API's and the page's, adds the area's conditions to the filters, so that
 * a home count linking there can count with the very same conditions. */
#define VIEW_CONDS_MAX 6
typedef struct list_view {
	const char *name;         /* "unrepresented"; NULL ends a kind's views */
	const char *heading;      /* the list page's heading while it shows the view, in English */
	/* Writes the view's conditions for m's user into w (at most VIEW_CONDS_MAX, in m's arena
	 * when they hold sub-conditions); their number, or -1 with m's error. */
	int (*conditions)(struct model_ctx *m, const struct entity *e, store_cond *w);
} list_view;

/* A place in the pages' menu. */
typedef struct menu_entry {
	int place;                /* its order in the menu, from 1 */
	const char *href;         /* the page it leads to; NULL: the kind's list, /{name} */
	const char *label;        /* in English; NULL: the kind's heading */
} menu_entry;

/* A page of the kind's own that its list links to, beside "New". */
typedef struct page_link {
	const char *href;         /* NULL ends a list */
	const char *label;        /* in English */
} page_link;

/* Partners a kind's records are shared with beyond their own organization's:
 * those whose organization the area counts in (a Member State's mission),
 * for the internal records whose field holds the value ("distribution" is
 * "member_states").  Restricted and confidential records are never shared so. */
typedef struct audience {
	const char *field, *value;
	int (*includes)(struct model_ctx *m, int64_t org_id);  /* 1 when a partner of org belongs to it */
} audience;

/* A move of a workflow's field from one state to another. */
typedef struct transition {
	const char *from, *to;        /* states: values of the workflow's field */
	role_set who;                 /* who may make it, among those who may change the record; 0 for all */
	role_set own_division;        /* of those, who may make it only on their own division's records */
	entity_hook guard;            /* the area's own condition on the record as it would be, or NULL */
} transition;

/* What a state asks of a record while it is in it. */
typedef struct state_rule {
	const char *state;
	const char *const *requires;  /* fields that must hold a value, NULL-terminated: a briefing is not
				       * "scheduled" without its confirmed start */
	const char *stamp;            /* an F_TIME field set to the moment the record enters the state */
} state_rule;

/*
 * A status field as a state machine.  The field's values are the states and
 * its labels theirs; a record moves only along the transitions, through the
 * generic transition call or a PATCH of the field, each move checked, stamped
 * and audited the same way whoever makes it.
 */
typedef struct workflow {
	const char *field;            /* the F_ENUM it drives: "status" */
	const char *const *starts;    /* the states a new record may begin in, the first when none is given */
	const transition *moves;
	size_t nmoves;
	const state_rule *rules;      /* NULL-terminated by .state */
	entity_hook on_move;          /* the area's effect of a move (an inquiry's clocks), or NULL */
} workflow;

typedef struct entity_def {
	const char *name;        /* the API's plural, hyphenated: "organizations" */
	const char *table;       /* the SQL table: "organizations" */
	const char *label;       /* singular, for messages: "organization"; in the catalogs, as pages
				  * name a record without a title by it ("Relation 3911") */
	const field_def *fields;
	size_t nfields;
	/* Who may do what with the kind, before the record's own classification: */
	role_set read;           /* read it at all */
	role_set write;          /* create, update and archive it, unless one of the three says otherwise */
	role_set create, update, archive;  /* 0: as .write; NOBODY: nobody */
	role_set own_division;   /* of the writers, who change only their own division's records */
	role_set own_org;        /* of the writers, who change only their own organization's records (org_field):
				  * a Member State's delegate registers their own State's delegation, no other */
	role_set area_writes;    /* the kind is written only by its area's own operations (a reply, mail
				  * intake), on behalf of these roles; the generic API and pages offer no write */
	role_set area_creates;   /* its records are made only by its area's own operations (a job's sentences,
				  * cut from its text), on behalf of these roles; the generic API reads,
				  * updates and archives them as the sets above say */
	const char *assignee;    /* an F_REF to users, or several with commas between ("translator,reviser"):
				  * the users they name may update the record too (entity_assigns) */
	const char *key_field;   /* a unique text field the API also answers by (countries: iso2) */
	const char *org_field;   /* the F_REF to organizations that makes a record its partner's own */
	const audience *audiences;  /* whom else among partners its records are shared with, ended by .field NULL */
	const char *parent;      /* the F_REF whose record gives this one its access: a message of an
				  * inquiry is read by who reads the inquiry, written by who writes it */
	int self_org;            /* the record is an organization: a partner reads its own */
	const char *default_sort;
	entity_hook validate;    /* cross-field rules, after the generic ones */
	entity_hook before_create;
	entity_hook after_write;  /* keeps derived data (duplicate keys) in step, same transaction */
	entity_hook rederive;    /* derives that data again for a record, when a migration has dropped it
				  * (the task "rederive", model/schema.c): after_write's work without its
				  * other effects; also what a dry run keeps of the rows it has checked,
				  * for the rows after them to be compared with (model_ctx.staged) */
	entity_hook prepare;     /* fills what the system sets on a new record (a number, a status), always */
	mail_hook on_mail;       /* what becomes of the mail queued for its records, or NULL: only the outbox knows */
	/* For the pages, in English: */
	const char *heading;     /* "Organizations" */
	const char *new_label;   /* "New organization"; NULL when people never create one by hand */
	const char *const *columns;  /* the fields a list page shows, NULL-terminated; the title first */
	int recent;              /* listed by last change: index updated_at */
	int home_changed;        /* among the home page's records changed last: index updated_at */
	const home_list *home;   /* a list of its own on the home page */
	const home_count *home_counts;  /* the reader's work in numbers on the home page */
	const list_view *views;  /* named parts of its list (?view=NAME), ended by a NULL name; or NULL */
	menu_entry menu;         /* its place in the menu (place 0: none); shown to who may read the kind */
	const page_link *list_links;  /* shown on its list to staff who may change its records, or NULL */
	const char *const *indexes;  /* more composite indexes, "division,resolution_due", NULL-terminated */
	const workflow *workflow;    /* its status field's states and moves, or NULL */
	const char *dated;           /* its records are events on this F_DATE or F_TIME field: they show, newest
				      * first, on the timeline of every record they refer to (timeline.h) */
	const char *alias;           /* another name the command line takes: "member-states" */
	const char *const *private_columns;  /* columns of its table that are no field, kept by its own
					      * code (a user's password hash), NULL-terminated */
	/* Writes a page of records (the API's JSON items) as vCards, or NULL: the kinds export --format vcard takes. */
	int (*cards)(struct model_ctx *m, struct json_t *items, struct buf *out);
} entity_def;

/* One SQL column that a field maps to (a LANGTEXT field maps to three, a
 * MONEY field to two: "amount" and "amount_currency"). */
typedef struct column {
	const char *name;        /* "name_fr" */
	const field_def *field;
	int lang;                /* index into registry_langs for LANGTEXT, else -1 */
	int is_int;
	int currency;            /* the currency's code of a MONEY field, the column after its amount */
} column;

/* An entity_def with its columns worked out once at start-up. */
typedef struct entity {
	const entity_def *def;
	column *cols;            /* the system columns first (see registry.c), then the fields' */
	size_t ncols;
	const char **colnames;   /* cols[i].name, for the store's interfaces */
	char *load_sql;          /* the select of one record by id, built once (store_select_sql) */
	const struct entity *parent;  /* def->parent's kind, or NULL: whose record gives this one its access */
	int parent_col;          /* the column of def->parent, -1 without */
	int has_children;        /* some kind takes its access from records of this one */
} entity;

/* The most columns of words the search index has: the title's, the body's
 * and one more per other weight fields are given (registry_build refuses more). */
#define SEARCH_COLUMNS_MAX STORE_SEARCH_COLUMNS

typedef struct registry {
	entity *v;
	size_t n;
	/* What search makes of the descriptions (model/searchshape.c): */
	const field_def **facets;  /* the search's filters and counts: the division, then each FACET field's
				    * name once (the first kind's field stands for every kind's) */
	size_t nfacets;
	double weights[SEARCH_COLUMNS_MAX];  /* of each column of words: titles, then 1, then the other weights */
	int nweights;
	const system_role *system[NSYSTEM_ROLES];  /* the areas' system roles by slot, NULL when free */
} registry;

extern const char *const registry_langs[];  /* "en", "fr", "es", NULL */
extern const char *const registry_lang_labels[];  /* their labels for an enum field of languages */
#define NLANGS 3

/* The system columns every record has, in this order, before its fields. */
enum {
	COL_ID, COL_VERSION, COL_ARCHIVED, COL_CLASSIFICATION, COL_DIVISION,
	COL_CREATED_AT, COL_UPDATED_AT, COL_CREATED_BY, COL_UPDATED_BY, NSYSCOLS
};

/* The registry of the kinds given, in any order: each is placed after the
 * kinds it refers to (a circle of references is refused); 0, or -1 with one
 * line in err. */
int registry_build(registry *r, const entity_def *const *defs, size_t n, char *err, size_t errlen);
void registry_free(registry *r);
/* The areas' system roles, NULL-terminated: each into its slot, or -1 with
 * err when a slot is out of range or taken twice. */
int registry_add_roles(registry *r, const system_role *const *roles, char *err, size_t errlen);
/* What a role reads of records, by classification (enum sees). */
unsigned registry_sees(const registry *r, role role);
/* A role's name for people ("partner", an area's "intake"); "system" for a slot no area claims. */
const char *registry_role_name(const registry *r, role role);
const entity *registry_find(const registry *r, const char *name);
const entity *registry_find_alias(const registry *r, const char *name);  /* by name or by alias */
const field_def *entity_field(const entity *e, const char *name);
int entity_column(const entity *e, const char *name);  /* index into cols, or -1 */
/* Whether field f refers to records of kind e: a reference to e (by id or
 * by its key), or links that may point at e; and whether some field of kind
 * k does. */
/* 1 when field is one of the kind's assignee fields. */
int entity_assigns(const entity_def *d, const char *field);
int field_refers(const field_def *f, const entity *e);
int entity_refers(const entity *k, const entity *e);

store_nulls column_nulls(const entity *e, size_t col);
/* Each kind's table and indexes, created when missing; a field's column added
 * to a table that lacks it (see model/schema.h for what is checked first).
 * _make_tables within the caller's transaction, _create_tables in its own. */
int registry_make_tables(const registry *r, store_conn *c, char *err, size_t errlen);
int registry_create_tables(const registry *r, struct store *s, char *err, size_t errlen);

extern const char *const classifications[];  /* public, internal, restricted, confidential */
extern const char *const divisions[];
extern const field_def registry_division;  /* the division of every record as a facet (enum, labelled) */
extern const char *const roles[];
int enum_index(const char *const *values, const char *s);  /* -1 when absent */
/* f's sample with {n} as the number n (from 1) and {A} as n in capital
 * letters (A, B ... Z, BA ...), into out; 0, or -1 when f has none or it does not fit. */
int field_sample(const field_def *f, unsigned long n, char *out, size_t size);
const list_view *entity_view(const entity *e, const char *name);  /* NULL when the kind has no such view */

#endif
