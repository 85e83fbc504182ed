/*
 * settings — what the translation manager's estimates count with, the
 * "translation" member of the file `liaison serve --config` reads:
 *
 *   "translation": {"currency": "CHF", "rate_per_word": 25,
 *                   "weights": {"in_context": 10, "exact": 25, "95": 40, "85": 60,
 *                               "75": 80, "50": 100, "none": 100, "repetition": 10}}
 *
 * The rate is in the currency's minor units (25: 0.25 CHF a word), as money
 * always is in Liaison; a band's weight is the share of the full rate its
 * words cost, in per cent.  Read once at start, before any thread.
 */
#include <stdio.h>
#include <string.h>

#include "domains/translation/translation.h"
#include "formats/jsonfile.h"

const char *const leverage_band_names[LEVERAGE_BANDS] = {
	"in_context", "exact", "95", "85", "75", "50", "none", "repetition",
};

#define DEFAULTS { .currency = "CHF", .rate_per_word = 25, .weights = { 10, 25, 40, 60, 80, 100, 100, 10 } }

static translation_config config = DEFAULTS;

const translation_config *translation_settings(void) { return &config; }

/* An ISO 4217 code: three capital letters. */
static int currency(json_t *o, char out[4], char *err, size_t errlen)
{
	json_t *v = json_object_get(o, "currency");
	if (!v)
		return 0;
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 3 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		snprintf(err, errlen, "translation.currency must be an ISO 4217 code such as CHF or USD");
		return -1;
	}
	memcpy(out, s, 4);
	return 0;
}

int translation_configure(const char *path, char *err, size_t errlen)
{
	translation_config c = DEFAULTS;
	json_t *root = NULL;
	if (path && !(root = json_file_object(path, err, errlen)))
		return -1;
	json_t *o = json_object_get(root, "translation"), *w = json_object_get(o, "weights");
	int rc = currency(o, c.currency, err, errlen) ||
		 json_file_int(o, "translation", "rate_per_word", 0, 1000000, &c.rate_per_word, err, errlen);
	for (int i = 0; i < LEVERAGE_BANDS && rc == 0; i++)
		rc = json_file_int(w, "translation.weights", leverage_band_names[i], 0, 1000, &c.weights[i], err, errlen);
	if (rc == 0)
		config = c;
	json_decref(root);
	return rc ? -1 : 0;
}
