/*
 * iati — IATI 2.03 activity files, read and written one activity at a time.
 *
 * The donors' area imports what donors publish to the International Aid
 * Transparency Initiative and publishes the department's own activities
 * in the same form.  A publisher's file runs to a gigabyte, so neither side
 * holds it: the reader hands the caller one <iati-activity> at a time and
 * forgets it (an activity with many transactions may grow, nothing is kept
 * from one activity to the next); the writer takes one activity at a time
 * and hands its bytes on in bounded pieces.
 *
 * Liaison keeps the fields the department uses (see iati_activity); the
 * others (locations, results, documents...) are read past.
 *
 * Narratives.  A <narrative>'s language is its xml:lang, else the
 * activity's, else the document's, else English.  English, French and
 * Spanish are kept; a narrative in another language is passed over (not an
 * error); of two narratives in one language the first is kept.  Of an
 * activity's descriptions the general one (type 1, or no type) is kept.
 *
 * Money.  A <value>'s decimal text is read exactly (no floating point)
 * into integer minor units of its currency (its currency attribute, else
 * the activity's default-currency), as many decimals as ISO 4217 gives the
 * currency.  A value with more decimals is rounded half to even and told
 * as a warning; a currency that is not an ISO 4217 currency, or none, is an
 * error.  Percentages are kept in hundredths of a percent (33.33 is 3333).
 *
 * Percentages.  IATI's rule: an activity's sectors of one vocabulary, and
 * its recipient countries and regions together, share 100%.  When any of a
 * group gives a percentage, all must, and their sum must be 100 within
 * half a hundredth for each (each was rounded to hundredths by its
 * publisher, at most 0.005 off): 3 x 33.33 and 6 x 16.67 pass, 2 x 50.01
 * does not.  A group without any percentage is accepted.
 *
 * Errors.  A document that is not well-formed XML, whose root is not
 * <iati-activities>, whose version is not 2.0x, an activity without
 * <iati-identifier>, a value that is no decimal, a date that is not
 * YYYY-MM-DD, a transaction without its type or value, a budget without
 * its period or value, a sector or country without its code, a second
 * title, percentages that do not share 100%, an unknown or missing
 * currency: refused with the line and a one-line reason.  As the reader
 * streams, activities before the fault have been handed over already: the
 * caller holds one transaction over the read and rolls it back when
 * iati_read returns -1.
 *
 * Warnings (the read goes on): a code that is not in its IATI code list
 * (a sector of vocabulary 1, a transaction type, an organisation role, an
 * activity status, an activity date type) and a value rounded.  Each names
 * its line.
 */
#ifndef LIAISON_IATI_H
#define LIAISON_IATI_H

#include <stddef.h>
#include <stdint.h>

#include "formats/xmlstream.h"

/* The languages Liaison keeps, in this order in every iati_text. */
enum { IATI_EN, IATI_FR, IATI_ES, IATI_LANGS };

#define IATI_DATE_MAX 11        /* "2026-12-07" and its NUL */
#define IATI_NO_PERCENT (-1)    /* a percentage not given */

/* Narratives by language; "" (or NULL for the writer) when absent. */
typedef struct iati_text {
	const char *text[IATI_LANGS];
} iati_text;

/* An amount in integer minor units of its ISO 4217 currency. */
typedef struct iati_money {
	int64_t minor;                   /* 1234.56 USD is 123456; 1234 JPY is 1234 */
	char currency[4];
	char value_date[IATI_DATE_MAX];
} iati_money;

/* An organisation: reporting-org, participating-org, provider-org, receiver-org. */
typedef struct iati_org {
	const char *ref, *type;
	const char *role;                /* participating-org's (OrganisationRole: 1..4); "" elsewhere */
	iati_text name;
} iati_org;

typedef struct iati_country {
	const char *code;                /* ISO 3166-1 alpha-2 */
	int percentage;                  /* hundredths, or IATI_NO_PERCENT */
	long line;
} iati_country;

typedef struct iati_region {
	const char *code, *vocabulary;
	int percentage;
	long line;
} iati_region;

typedef struct iati_sector {
	const char *code;
	const char *vocabulary;          /* "1" (DAC 5-digit) when the file gives none */
	int percentage;
	long line;
} iati_sector;

typedef struct iati_budget {
	const char *type, *status;
	char period_start[IATI_DATE_MAX], period_end[IATI_DATE_MAX];
	iati_money value;
	long line;
} iati_budget;

/* Transaction types (TransactionType code list). */
enum {
	IATI_INCOMING_FUNDS = 1, IATI_OUTGOING_COMMITMENT = 2, IATI_DISBURSEMENT = 3, IATI_EXPENDITURE = 4,
	IATI_INTEREST_PAYMENT = 5, IATI_LOAN_REPAYMENT = 6, IATI_REIMBURSEMENT = 7, IATI_PURCHASE_OF_EQUITY = 8,
	IATI_SALE_OF_EQUITY = 9, IATI_CREDIT_GUARANTEE = 10, IATI_INCOMING_COMMITMENT = 11,
	IATI_OUTGOING_PLEDGE = 12, IATI_INCOMING_PLEDGE = 13,
};

typedef struct iati_transaction {
	const char *type;                /* the code as written: "3" is IATI_DISBURSEMENT */
	char date[IATI_DATE_MAX];
	iati_money value;
	iati_org provider, receiver;     /* role unused */
	const char *sector_code, *sector_vocabulary;   /* "" when none; vocabulary "1" when not given */
	const char *recipient_country;   /* "" when none */
	long line;
} iati_transaction;

/* Activity dates (ActivityDateType 1..4). */
enum { IATI_PLANNED_START, IATI_ACTUAL_START, IATI_PLANNED_END, IATI_ACTUAL_END, IATI_DATES };

typedef struct iati_activity {
	const char *identifier;
	const char *default_currency;    /* "" when none */
	iati_org reporting_org;
	iati_text title, description;
	const char *status;              /* ActivityStatus code */
	char dates[IATI_DATES][IATI_DATE_MAX];   /* "" when absent */
	const iati_org *participants;
	size_t nparticipants;
	const iati_country *countries;
	size_t ncountries;
	const iati_region *regions;
	size_t nregions;
	const iati_sector *sectors;
	size_t nsectors;
	const iati_budget *budgets;
	size_t nbudgets;
	const iati_transaction *transactions;
	size_t ntransactions;
	long line;                       /* where the <iati-activity> starts (the reader's) */
} iati_activity;

/* What a refusal says: the line (0 when no line applies) and why. */
typedef xmlstream_error iati_error;

/* ---- reading ----------------------------------------------------------- */

/* The warnings of a read: the first IATI_WARNINGS_KEPT are kept, all are
 * counted.  Start from IATI_WARNINGS_INIT; iati_warnings_free after. */
#define IATI_WARNINGS_KEPT 1000
typedef struct iati_warnings {
	xmlstream_error *v;
	size_t n, cap;
	size_t count;                    /* all of them, kept or not */
} iati_warnings;
#define IATI_WARNINGS_INIT { NULL, 0, 0, 0 }
void iati_warnings_free(iati_warnings *w);

typedef struct iati_read_callbacks {
	/* The document's version attribute ("2.03"), before the first activity; may be NULL. */
	int (*on_document)(void *ctx, const char *version);
	/* Once per activity; the activity and its strings live until it returns. */
	int (*on_activity)(void *ctx, const iati_activity *a);
} iati_read_callbacks;

/* Reads a whole document (in->data, or in->fd when data is NULL).  0 when
 * it was read to its end; -1 when it is refused (*err says where and why);
 * 1 when a callback returned nonzero, which stops the reading at once.
 * w may be NULL (warnings are then not kept). */
int iati_read(const xmlstream_input *in, const iati_read_callbacks *cb, void *ctx, iati_warnings *w, iati_error *err);

/* A copy of a, with its strings and lists, made in ar: an activity that
 * outlives its callback (handed to another thread).  Strings a shares
 * between its parts stay shared in the copy. */
struct arena;
iati_activity *iati_activity_copy(struct arena *ar, const iati_activity *a);

/* ---- amounts ----------------------------------------------------------- */

/* Reads the decimal text s (optional sign, digits, optional fraction;
 * spaces around it) into *out with decimals decimals; *rounded is set when
 * more decimals were given and the value was rounded half to even.  0, or
 * -1 when s is no decimal or the amount does not fit in 64 bits. */
int iati_decimal(const char *s, int decimals, int64_t *out, int *rounded);

/* Appends v (in units of 10^-decimals) as decimal text, as many decimals
 * as the currency has ("1234.50"); percentages use iati_put_percent, which
 * drops trailing zeros ("33.3", "100"). */
void iati_put_amount(buf *b, int64_t v, int decimals);
void iati_put_percent(buf *b, int hundredths);

/* ---- writing ----------------------------------------------------------- */

typedef struct iati_writer iati_writer;

/* Appends the bytes to the buf at ctx: a write function for a document
 * wanted whole in memory. */
int iati_write_to_buf(void *ctx, const char *data, size_t len);

/* Starts a document: <iati-activities version="2.03"
 * generated-datetime=...>, generated a UTC time 2026-12-07T10:15:00Z (NULL:
 * now).  NULL (and *err) when generated is no such time.  Output goes to
 * write in pieces of about XMLSTREAM_CHUNK bytes, or one activity's bytes
 * when an activity is longer. */
iati_writer *iati_write_begin(xmlstream_write_fn write, void *ctx, const char *generated, iati_error *err);

/* One activity, its elements in the schema's order.  0, or -1 with *err
 * when it lacks what the schema requires (an identifier, a reporting
 * organisation's ref, type and name, a title, a description, a
 * participating organisation with its role, a status, a date), holds what
 * the reader would refuse (a date not YYYY-MM-DD, an unknown currency,
 * percentages that do not share 100%, text XML cannot carry) or the output
 * refused it; a refused activity writes nothing. */
int iati_write_activity(iati_writer *w, const iati_activity *a, iati_error *err);

/* Ends the document, hands on what is left and frees w (also after an
 * error).  0, or -1 with *err. */
int iati_write_end(iati_writer *w, iati_error *err);

/* ---- code lists (iati_codes.c) ----------------------------------------- */

typedef enum iati_codelist {
	IATI_ACTIVITY_STATUS,
	IATI_ORGANISATION_ROLE,
	IATI_SECTOR,                     /* DAC 5-digit purpose codes (vocabulary 1) */
	IATI_SECTOR_VOCABULARY,
	IATI_TRANSACTION_TYPE,
	IATI_ACTIVITY_DATE_TYPE,
} iati_codelist;

/* 1 when code is in the list (withdrawn codes included: old files hold them). */
int iati_code_known(iati_codelist list, const char *code);

/* A DAC 5-digit sector's name in lang ("en", "fr"; others English); NULL
 * when the code is none. */
const char *iati_sector_name(const char *code, const char *lang);
/* The i-th DAC 5-digit sector code of the list, in order; NULL past its end. */
const char *iati_sector_at(size_t i);

#endif
