/*
 * money — amounts of money read from and written as the API's text, in
 * whole minor units of their ISO 4217 currency, and the one addition of
 * two amounts (of one currency).  See money.h for the grammar.
 */
#include "formats/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/errmsg.h"
#include "formats/isocodes.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int refuse_currency(const char *currency, char *err, size_t errlen)
{
	int capitals = currency && strlen(currency) == 3;
	for (int i = 0; capitals && i < 3; i++)
		capitals = currency[i] >= 'A' && currency[i] <= 'Z';
	if (!capitals)
		return errmsg(err, errlen, "a currency is three capital letters of ISO 4217");
	return errmsg(err, errlen, "%s is not an ISO 4217 currency", currency);
}

/* Why the byte at text[at] cannot be where it is: the mistakes people make
 * (a plus sign, a separator of thousands, a decimal comma, an exponent)
 * named as such. */
static int refuse_byte(const char *text, size_t at, char *err, size_t errlen)
{
	char c = text[at];
	if (c == '\0')
		return errmsg(err, errlen, at ? "at byte %zu: a digit is expected" : "the amount is empty", at);
	if (c == '+' || (c == '-' && at > 0))
		return errmsg(err, errlen, "at byte %zu: only a leading '-' is a sign", at);
	if (c == ',' || c == '\'' || c == '_' || c == ' ')
		return errmsg(err, errlen, "at byte %zu: '%c' is not written: no thousands separators, and '.' marks the decimals",
			      at, c);
	if (c == 'e' || c == 'E')
		return errmsg(err, errlen, "at byte %zu: no exponent is written", at);
	if (c == '.')
		return errmsg(err, errlen, "at byte %zu: a digit is expected before the dot", at);
	if (c > ' ' && c < 0x7f)
		return errmsg(err, errlen, "at byte %zu: '%c' is not part of an amount", at, c);
	return errmsg(err, errlen, "at byte %zu: byte 0x%02X is not part of an amount", at, (unsigned)(unsigned char)c);
}

static int refuse_decimals(const char *currency, int decimals, size_t at, char *err, size_t errlen)
{
	if (decimals == 0)
		return errmsg(err, errlen, "at byte %zu: %s takes no decimals", at, currency);
	return errmsg(err, errlen, "at byte %zu: %s takes at most %d decimal%s", at, currency, decimals,
		      decimals == 1 ? "" : "s");
}

static int refuse_size(const char *currency, size_t at, char *err, size_t errlen)
{
	return errmsg(err, errlen, "at byte %zu: the amount is too large to be kept in %s's minor units", at, currency);
}

/* Digits from text[*at] on, appended to *magnitude; -1 once it passes
 * limit (the caller says where), else how many there were. */
static int read_digits(const char *text, size_t *at, unsigned __int128 *magnitude, uint64_t limit)
{
	int n = 0;
	for (; is_digit(text[*at]); (*at)++, n++) {
		*magnitude = *magnitude * 10 + (unsigned)(text[*at] - '0');
		if (*magnitude > limit)
			return -1;
	}
	return n;
}

int money_parse(const char *text, const char *currency, int64_t *minor, char *err, size_t errlen)
{
	*minor = 0;
	if (!isocodes_currency_known(currency))
		return refuse_currency(currency, err, errlen);
	int decimals = isocodes_minor_units(currency);
	size_t at = text[0] == '-';
	uint64_t limit = at ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (!is_digit(text[at]))
		return refuse_byte(text, at, err, errlen);
	if (text[at] == '0' && is_digit(text[at + 1]))
		return errmsg(err, errlen, "at byte %zu: a leading zero is not written", at);
	unsigned __int128 magnitude = 0;
	size_t whole_at = at;
	if (read_digits(text, &at, &magnitude, limit) < 0)
		return refuse_size(currency, whole_at, err, errlen);
	int given = 0;
	if (text[at] == '.') {
		size_t dot = at++;
		if (!is_digit(text[at]))
			return errmsg(err, errlen, "at byte %zu: a digit is expected after the dot", at);
		given = read_digits(text, &at, &magnitude, limit);
		if (given < 0)
			return refuse_size(currency, whole_at, err, errlen);
		if (given > decimals)
			return refuse_decimals(currency, decimals, decimals ? dot + 1 + (size_t)decimals : dot, err, errlen);
	}
	if (text[at] != '\0')
		return refuse_byte(text, at, err, errlen);
	for (; given < decimals; given++)
		magnitude *= 10;
	if (magnitude > limit)
		return refuse_size(currency, whole_at, err, errlen);
	if (magnitude == 0 && text[0] == '-')
		return errmsg(err, errlen, "at byte 0: zero takes no sign");
	/* -(2^63) is INT64_MIN; negate in unsigned arithmetic, where it wraps as wanted */
	*minor = (int64_t)(text[0] == '-' ? 0 - (uint64_t)magnitude : (uint64_t)magnitude);
	return 0;
}

void money_format_plain(int64_t minor, const char *currency, buf *out)
{
	int decimals = isocodes_minor_units(currency);
	uint64_t magnitude = minor < 0 ? 0 - (uint64_t)minor : (uint64_t)minor;
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%0*" PRIu64, decimals + 1, magnitude);
	if (minor < 0)
		buf_putc(out, '-');
	buf_add(out, digits, (size_t)(n - decimals));
	if (decimals == 0)
		return;
	buf_putc(out, '.');
	buf_add(out, digits + n - decimals, (size_t)decimals);
}

int money_add(money *sum, const money *add, char *err, size_t errlen)
{
	if (strcmp(sum->currency, add->currency) != 0)
		return errmsg(err, errlen, "cannot add %s to %s without converting it", add->currency, sum->currency);
	int64_t total;
	if (__builtin_add_overflow(sum->minor, add->minor, &total))
		return errmsg(err, errlen, "the sum of %s amounts is too large to be kept", sum->currency);
	sum->minor = total;
	return 0;
}
