/*
 * fuzz_money — amounts of money as the API writes them
 * (src/formats/money.c): the input's first byte chooses the currency
 * (among some of each number of decimals and some that are no currency),
 * the rest, up to a NUL, is the text.  A refusal gives a reason and leaves
 * the amount 0; an amount read is written back as the text read, or that
 * text with the decimals it left out, and that reads as the same amount.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/money.h"
#include "oracle.h"

static const char *const currencies[] = { "USD", "JPY", "KWD", "CLF", "EUR", "XAU", "usd", "" };

ORACLE static void check_written(const char *text, const char *currency, int64_t amount)
{
	buf out = BUF_INIT;
	money_format_plain(amount, currency, &out);
	size_t n = strlen(text);
	if (out.len < n || out.len >= MONEY_TEXT_MAX || memcmp(out.data, text, n) != 0)
		abort();
	for (size_t k = n; k < out.len; k++)
		if (out.data[k] != '0' && out.data[k] != '.')
			abort();
	int64_t again;
	char err[160];
	if (money_parse(buf_str(&out), currency, &again, err, sizeof err) != 0 || again != amount)
		abort();
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *currency = currencies[data[0] % (sizeof currencies / sizeof *currencies)];
	char *text = malloc(size);   /* the rest and a NUL */
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	int64_t amount = 42;
	char err[160] = "";
	if (money_parse(text, currency, &amount, err, sizeof err) != 0) {
		if (!err[0] || amount != 0)
			abort();
	} else {
		check_written(text, currency, amount);
	}
	free(text);
	return 0;
}
