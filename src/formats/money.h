/*
 * money — amounts of money as the API writes them: {"amount": "1250000.00",
 * "currency": "USD"}.  An amount is kept as a whole number of the
 * currency's minor units (cents for USD, yen for JPY, fils for KWD: ISO
 * 4217's decimals, formats/isocodes.h) in an int64_t, never as a double,
 * together with its currency; amounts of different currencies are never
 * added (money_add is the one place that adds, and refuses), only
 * converted first (formats/rates.h).
 *
 * The text of an amount, read by money_parse and written by
 * money_format_plain:
 *     amount = ["-"] whole ["." decimals]
 *     whole  = "0" | nonzero digit *digit
 * with at most as many decimals as the currency takes ("12.5" USD is 1250
 * cents; "12.345" USD is refused; JPY takes none).  A leading "-" is a
 * refund (zero takes none).  No "+", no spaces, no thousands separators,
 * no exponent, no leading zeros: one amount has one way of being written
 * in full, the one money_format_plain writes (every decimal, "-3.50").
 */
#ifndef LIAISON_MONEY_H
#define LIAISON_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The longest text money_format_plain writes, with its NUL:
 * "-9223372036854775808" with a dot (and "0." before it, 4 decimals at most). */
#define MONEY_TEXT_MAX 32

typedef struct money {
	int64_t minor;       /* whole minor units of the currency */
	char currency[4];    /* ISO 4217 alphabetic code: "USD" */
} money;

/*
 * text (NUL-terminated) as an amount of currency, in *minor.  0, or -1 with
 * the byte offset and the reason in err ("at byte 5: USD takes at most 2
 * decimals"), *minor then 0.  An unknown currency is refused
 * (isocodes_currency_known), as is an amount beyond int64_t.
 */
int money_parse(const char *text, const char *currency, int64_t *minor, char *err, size_t errlen);

/* minor units of currency in full, appended to out: "1250000.00",
 * "-3.50", JPY "1250000", KWD "12.345".  A currency not known writes
 * isocodes_minor_units' decimals (2). */
void money_format_plain(int64_t minor, const char *currency, buf *out);

/*
 * *sum += add, both of one currency.  0; -1 with the reason in err when the
 * currencies differ ("cannot add JPY to USD without converting it") or
 * when the sum leaves int64_t; *sum is then unchanged.
 */
int money_add(money *sum, const money *add, char *err, size_t errlen);

#endif
