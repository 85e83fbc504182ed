/*
 * rates — dated exchange rates, and amounts converted by them exactly.
 *
 * A rate says "1 unit of FROM = R units of TO on DATE", R an exact decimal
 * of at most RATE_DIGITS_MAX significant digits and RATE_SCALE_MAX
 * decimals ("0.9123456789", "151.23"), kept as mantissa / 10^scale: no
 * floating point anywhere in the money path.
 *
 * A table of rates (CSV, below, or the caller's own list) answers "the rate
 * from X to Y on D": the latest rate dated on or before D, and one older
 * than the table's maximum age (RATES_MAX_AGE_DAYS unless the caller says
 * otherwise) counts as missing.  It tries, in this order, a rate X→Y or Y→X
 * (the later of the two; the direct one when both have the same date, the
 * other used inversely), then a cross through the table's base currency,
 * X→base then base→Y, each leg direct or inverse.  The answer, a
 * rate_path, names the stored rates it used, so that a total can list its
 * sources.  A missing rate is an error that names it: "no EUR→USD rate on
 * or before 2026-03-31".
 *
 * Converting amount minor units of X into Y is exact: amount × R ×
 * 10^(decimals of Y − decimals of X), through a cross rate in one step
 * (never rounded twice), rounded half to even once, at the end; a result
 * beyond int64_t is refused, never wrapped.
 *
 * CSV (RFC 4180, formats/csv.h), one of two shapes, told by the header:
 *     date,currency,rate      1 BASE = rate CURRENCY, BASE named by the
 *                             caller (the way a central bank publishes:
 *                             2026-03-31,USD,1.0845 with base EUR)
 *     date,from,to,rate       1 FROM = rate TO
 * Dates are YYYY-MM-DD, real ones; currencies ISO 4217 codes of money
 * (isocodes_currency_known); a currency has no rate to itself.  The same
 * rate given twice for a date and pair is kept once; two different ones are
 * refused.  Every bad line is listed with its line number and reason, and
 * then nothing is returned.
 */
#ifndef LIAISON_RATES_H
#define LIAISON_RATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "formats/money.h"

#define RATE_DIGITS_MAX 12      /* significant digits of a rate */
#define RATE_SCALE_MAX 10       /* decimals of a rate */
#define RATE_TEXT_MAX 24        /* rate_format's longest text and its NUL */
#define RATES_MAX_AGE_DAYS 31   /* a rate older than this, by default, is missing */

typedef struct rate_value {
	int64_t mantissa;   /* > 0, below 10^RATE_DIGITS_MAX */
	int scale;          /* 0..RATE_SCALE_MAX; no trailing zero in the mantissa when > 0 */
} rate_value;

typedef struct rate {
	char date[11];      /* YYYY-MM-DD */
	char from[4], to[4];
	rate_value value;   /* 1 from = value to */
} rate;

typedef struct rate_list {
	rate *v;
	size_t n;
} rate_list;

/* The rates a conversion used, one or two, in the order applied; a leg
 * used inversely (1 to = 1/value from) is marked so.  n = 0: the same
 * currency, no rate. */
typedef struct rate_path {
	size_t n;
	rate legs[2];
	bool inverse[2];
} rate_path;

typedef struct rate_table rate_table;

typedef struct dated_amount {
	money amount;
	char date[11];      /* the day whose rate converts it */
} dated_amount;

/* text (len bytes) as a rate: digits with at most one dot, a digit on each
 * side of it, no sign, no exponent, not zero.  0, or -1 with the offset and
 * reason in err. */
int rate_parse(const char *text, size_t len, rate_value *out, char *err, size_t errlen);
void rate_format(rate_value v, buf *out);            /* "1.0845", "151.23", "150" */
void rate_describe(const rate *r, buf *out);          /* "1 EUR = 1.0845 USD (2026-03-31)" */

/* A CSV table of rates (see above); base names the currency of the
 * three-column shape and may be NULL for the four-column one.  0 with
 * every rate in *out (sorted by pair, then date); -1 with one line per
 * problem in problems ("line 7: ...\n"), *out empty. */
int rates_read_csv(const char *data, size_t len, const char *base, rate_list *out, buf *problems);
void rate_list_free(rate_list *l);

/* A table over a copy of rates[0..n): base is the currency of cross rates,
 * max_age_days (>= 0) how old a rate may be, in days before the date asked.
 * 0, or -1 with the reason in err (a bad base, a currency unknown, two
 * different rates for one date and pair). */
int rates_table_new(const rate *rates, size_t n, const char *base, int max_age_days, rate_table **out, char *err,
		    size_t errlen);
void rates_table_free(rate_table *t);   /* NULL is fine */

/* The rate(s) from `from` to `to` on date (see above): 0 with *path, or -1
 * with "no EUR→USD rate on or before 2026-03-31" (and why) in err. */
int rates_find(const rate_table *t, const char *from, const char *to, const char *date, rate_path *path, char *err,
	       size_t errlen);

/* amount minor units of from, in minor units of to, by path: 0, or -1
 * when the result leaves int64_t. */
int rate_path_convert(const rate_path *path, int64_t amount, const char *from, const char *to, int64_t *out,
		      char *err, size_t errlen);

/* rates_find then rate_path_convert; path may be NULL. */
int rates_convert(const rate_table *t, int64_t amount, const char *from, const char *to, const char *date,
		  int64_t *out, rate_path *path, char *err, size_t errlen);

/*
 * The sum of items[0..n) in currency: each converted on its own date (one
 * of currency itself as it is, with no rate), then added (money_add).  0
 * with *total and in *used the distinct rates used, sorted by pair and
 * date; -1 with the first item's problem in err ("item 3: no EUR→USD rate
 * on or before 2026-03-31"), *used empty.
 */
int rates_total(const rate_table *t, const dated_amount *items, size_t n, const char *currency, money *total,
		rate_list *used, char *err, size_t errlen);

#endif
