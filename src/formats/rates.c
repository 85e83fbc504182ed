/*
 * rates — exchange rates read, looked up and applied; see rates.h for the
 * rules.  The table is one array sorted by (from, to, date), so the rate of
 * a pair on a date is one binary search.  A conversion is one fraction,
 * num / den (each a product of at most two mantissas and powers of ten,
 * below 10^28), applied to the amount in 192-bit arithmetic and rounded
 * once.
 */
#include "formats/rates.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/errmsg.h"
#include "formats/csv.h"
#include "formats/isocodes.h"

struct rate_table {
	rate *v;            /* sorted by rate_order */
	size_t n;
	char base[4];
	int max_age_days;
};

typedef unsigned __int128 u128;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- one rate's text ------------------------------------------------------ */

static int refuse_rate_byte(const char *text, size_t len, size_t at, char *err, size_t errlen)
{
	if (at == len)
		return errmsg(err, errlen, at ? "at byte %zu: a digit is expected" : "the rate is empty", at);
	char c = text[at];
	if (c == '-' || c == '+')
		return errmsg(err, errlen, "at byte %zu: a rate takes no sign", at);
	if (c == '.')
		return errmsg(err, errlen, "at byte %zu: a digit is expected before the dot", at);
	if (c == 'e' || c == 'E')
		return errmsg(err, errlen, "at byte %zu: no exponent is written", at);
	if (c == ',')
		return errmsg(err, errlen, "at byte %zu: ',' is not written: '.' marks the decimals", at);
	if (c == ' ')
		return errmsg(err, errlen, "at byte %zu: a space is not written", at);
	if (c > ' ' && c < 0x7f)
		return errmsg(err, errlen, "at byte %zu: '%c' is not part of a rate", at, c);
	return errmsg(err, errlen, "at byte %zu: byte 0x%02X is not part of a rate", at, (unsigned)(unsigned char)c);
}

static size_t skip_digits(const char *text, size_t len, size_t at)
{
	while (at < len && is_digit(text[at]))
		at++;
	return at;
}

/* The digits of text[from..to) but the dot at `dot` (or none), without
 * leading zeros, as the mantissa; -1 past RATE_DIGITS_MAX of them. */
static int read_mantissa(const char *text, size_t from, size_t to, size_t dot, int64_t *mantissa)
{
	int digits = 0;
	*mantissa = 0;
	for (size_t i = from; i < to; i++) {
		if (i == dot || (digits == 0 && text[i] == '0'))
			continue;
		if (++digits > RATE_DIGITS_MAX)
			return -1;
		*mantissa = *mantissa * 10 + (text[i] - '0');
	}
	return 0;
}

int rate_parse(const char *text, size_t len, rate_value *out, char *err, size_t errlen)
{
	*out = (rate_value){ 0, 0 };
	if (len == 0 || !is_digit(text[0]))
		return refuse_rate_byte(text, len, 0, err, errlen);
	if (text[0] == '0' && len > 1 && is_digit(text[1]))
		return errmsg(err, errlen, "at byte 0: a leading zero is not written");
	size_t at = skip_digits(text, len, 0), dot = len, end;
	if (at < len && text[at] == '.') {
		dot = at++;
		if (at == len || !is_digit(text[at]))
			return errmsg(err, errlen, "at byte %zu: a digit is expected after the dot", at);
		at = skip_digits(text, len, at);
		if (at - dot - 1 > RATE_SCALE_MAX)
			return errmsg(err, errlen, "at byte %zu: a rate takes at most %d decimals", dot + 1 + RATE_SCALE_MAX,
				      RATE_SCALE_MAX);
	}
	if (at < len)
		return refuse_rate_byte(text, len, at, err, errlen);
	for (end = at; dot < len && end > dot && (text[end - 1] == '0' || end == dot + 1); end--)
		;   /* trailing zeros of the decimals say nothing: 1.50 is 1.5, 2.0 is 2 */
	rate_value v = { 0, dot < end ? (int)(end - dot - 1) : 0 };
	if (read_mantissa(text, 0, end, dot, &v.mantissa) < 0)
		return errmsg(err, errlen, "at byte 0: a rate takes at most %d significant digits", RATE_DIGITS_MAX);
	if (v.mantissa == 0)
		return errmsg(err, errlen, "at byte 0: a rate is not zero");
	*out = v;
	return 0;
}

void rate_format(rate_value v, buf *out)
{
	char digits[RATE_TEXT_MAX];
	if (v.mantissa <= 0 || v.scale < 0 || v.scale > RATE_SCALE_MAX) {
		buf_puts(out, "(not a rate)");   /* a value no table holds: never read past digits */
		return;
	}
	int n = snprintf(digits, sizeof digits, "%0*" PRId64, v.scale + 1, v.mantissa);
	buf_add(out, digits, (size_t)(n - v.scale));
	if (v.scale == 0)
		return;
	buf_putc(out, '.');
	buf_add(out, digits + n - v.scale, (size_t)v.scale);
}

void rate_describe(const rate *r, buf *out)
{
	buf_printf(out, "1 %s = ", r->from);
	rate_format(r->value, out);
	buf_printf(out, " %s (%s)", r->to, r->date);
}

/* ---- order and the table ------------------------------------------------ */

static int rate_order(const void *a, const void *b)
{
	const rate *x = a, *y = b;
	int c = strcmp(x->from, y->from);
	if (c == 0)
		c = strcmp(x->to, y->to);
	return c ? c : strcmp(x->date, y->date);
}

/* 1.0500 is 1.05: one value, one mantissa and scale. */
static void normalize(rate_value *v)
{
	while (v->scale > 0 && v->mantissa % 10 == 0) {
		v->mantissa /= 10;
		v->scale--;
	}
}

static bool same_value(rate_value a, rate_value b) { return a.mantissa == b.mantissa && a.scale == b.scale; }

static int check_rate(const rate *r, char *err, size_t errlen)
{
	if (!clock_valid_date(r->date))
		return errmsg(err, errlen, "a rate's date is not a real date YYYY-MM-DD");
	if (!isocodes_currency_known(r->from) || !isocodes_currency_known(r->to))
		return errmsg(err, errlen, "a rate of %s (%s→%s) names a currency that is not ISO 4217", r->date, r->from, r->to);
	if (strcmp(r->from, r->to) == 0)
		return errmsg(err, errlen, "a rate of %s is from %s to itself", r->date, r->from);
	if (r->value.mantissa <= 0 || r->value.scale < 0 || r->value.scale > RATE_SCALE_MAX)
		return errmsg(err, errlen, "the rate of %s %s→%s is not a positive decimal", r->date, r->from, r->to);
	return 0;
}

/* Sorted v[0..n) without the rates given twice; -1 when two differ. */
static int drop_repeats(rate *v, size_t *n, char *err, size_t errlen)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (kept && rate_order(&v[kept - 1], &v[i]) == 0) {
			if (!same_value(v[kept - 1].value, v[i].value))
				return errmsg(err, errlen, "two different rates %s→%s for %s", v[i].from, v[i].to, v[i].date);
			continue;
		}
		v[kept++] = v[i];
	}
	*n = kept;
	return 0;
}

int rates_table_new(const rate *rates, size_t n, const char *base, int max_age_days, rate_table **out, char *err,
		    size_t errlen)
{
	*out = NULL;
	if (!isocodes_currency_known(base))
		return errmsg(err, errlen, "the base currency is not an ISO 4217 currency");
	if (max_age_days < 0)
		return errmsg(err, errlen, "a rate's maximum age is a number of days, not %d", max_age_days);
	for (size_t i = 0; i < n; i++)
		if (check_rate(&rates[i], err, errlen) < 0)
			return -1;
	rate_table *t = calloc(1, sizeof *t);
	if (!t || !(t->v = malloc((n ? n : 1) * sizeof *t->v)))
		goto fail;
	memcpy(t->v, rates, n * sizeof *rates);
	for (size_t i = 0; i < n; i++)
		normalize(&t->v[i].value);
	t->n = n;
	qsort(t->v, n, sizeof *t->v, rate_order);
	if (drop_repeats(t->v, &t->n, err, errlen) < 0)
		goto fail_quietly;
	memcpy(t->base, base, 4);
	t->max_age_days = max_age_days;
	*out = t;
	return 0;
fail:
	errmsg(err, errlen, "out of memory");
fail_quietly:
	rates_table_free(t);
	return -1;
}

void rates_table_free(rate_table *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

/* ---- CSV ------------------------------------------------------------------- */

typedef struct read_rate {
	rate r;
	size_t line;        /* where it was read, for the messages about repeats */
} read_rate;

typedef struct csv_shape {
	size_t columns;     /* 3: date,currency,rate; 4: date,from,to,rate */
	const char *base;
} csv_shape;

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return false;
	return n > 0 && n <= 16;
}

static bool header_is(const csv_row *row, const char *const *names, size_t n)
{
	if (row->nfields != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(row->fields[i], names[i]) != 0)
			return false;
	return true;
}

static int read_header(csv_reader *csv, const char *base, csv_shape *shape, buf *problems)
{
	static const char *const by_base[] = { "date", "currency", "rate" };
	static const char *const by_pair[] = { "date", "from", "to", "rate" };
	csv_row row;
	csv_error e;
	int rc = csv_next(csv, &row, &e);
	if (rc == 0) {
		buf_puts(problems, "line 1: no header: date,currency,rate or date,from,to,rate\n");
		return -1;
	}
	if (rc < 0) {
		buf_printf(problems, "line %zu: %s\n", e.line, e.message);
		return -1;
	}
	shape->columns = header_is(&row, by_base, 3) ? 3 : header_is(&row, by_pair, 4) ? 4 : 0;
	shape->base = base;
	if (shape->columns == 0) {
		buf_printf(problems, "line %zu: the header is date,currency,rate or date,from,to,rate\n", row.line);
		return -1;
	}
	if (shape->columns == 3 && !isocodes_currency_known(base)) {
		buf_printf(problems, "line %zu: date,currency,rate needs a base currency of ISO 4217\n", row.line);
		return -1;
	}
	return 0;
}

static int read_currency(const csv_row *row, size_t i, char code[4], buf *problems)
{
	const char *f = row->fields[i];
	if (isocodes_currency_known(f)) {
		memcpy(code, f, 4);
		return 0;
	}
	if (printable(f, row->lens[i]))
		buf_printf(problems, "line %zu, field %zu: %s is not an ISO 4217 currency\n", row->line, i + 1, f);
	else
		buf_printf(problems, "line %zu, field %zu: a currency is three capital letters of ISO 4217\n", row->line,
			   i + 1);
	return -1;
}

/* One record as a rate; -1 with its problems added. */
static int read_record(const csv_row *row, const csv_shape *shape, read_rate *out, buf *problems)
{
	if (row->nfields != shape->columns) {
		buf_printf(problems, "line %zu: %zu fields where the header has %zu\n", row->line, row->nfields,
			   shape->columns);
		return -1;
	}
	rate *r = &out->r;
	int bad = 0;
	out->line = row->line;
	if (!clock_valid_date(row->fields[0])) {
		buf_printf(problems, "line %zu, field 1: the date is not a real date YYYY-MM-DD\n", row->line);
		bad = -1;
	} else {
		memcpy(r->date, row->fields[0], 11);
	}
	size_t rate_field = shape->columns - 1;
	if (shape->columns == 3)
		memcpy(r->from, shape->base, 4);
	else if (read_currency(row, 1, r->from, problems) < 0)
		bad = -1;
	if (read_currency(row, rate_field - 1, r->to, problems) < 0)
		bad = -1;
	char why[160];
	if (rate_parse(row->fields[rate_field], row->lens[rate_field], &r->value, why, sizeof why) < 0) {
		buf_printf(problems, "line %zu, field %zu: %s\n", row->line, rate_field + 1, why);
		bad = -1;
	}
	if (bad == 0 && strcmp(r->from, r->to) == 0) {
		buf_printf(problems, "line %zu: %s has no rate to itself\n", row->line, r->from);
		bad = -1;
	}
	return bad;
}

static int read_rate_order(const void *a, const void *b)
{
	const read_rate *x = a, *y = b;
	int c = rate_order(&x->r, &y->r);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sorted v[0..*n) with each rate given twice kept once; the different
 * ones named with both their lines. */
static void check_repeats(read_rate *v, size_t *n, buf *problems)
{
	if (*n == 0)
		return;
	qsort(v, *n, sizeof *v, read_rate_order);
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		read_rate *last = kept ? &v[kept - 1] : NULL;
		if (!last || rate_order(&last->r, &v[i].r) != 0) {
			v[kept++] = v[i];
			continue;
		}
		if (same_value(last->r.value, v[i].r.value))
			continue;
		buf_printf(problems, "line %zu: the rate %s→%s of %s differs from line %zu's\n", v[i].line, v[i].r.from,
			   v[i].r.to, v[i].r.date, last->line);
	}
	*n = kept;
}

/* Every record of csv after the header into *v; the problems listed. */
static void read_records(csv_reader *csv, const csv_shape *shape, read_rate **v, size_t *n, buf *problems)
{
	size_t cap = 0;
	csv_row row;
	csv_error e;
	int rc;
	while ((rc = csv_next(csv, &row, &e)) != 0) {
		if (rc < 0) {
			buf_printf(problems, "line %zu, field %zu: %s\n", e.line, e.column, e.message);
			if (e.fatal)
				return;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			read_rate *grown = realloc(*v, cap * sizeof *grown);
			if (!grown) {
				buf_puts(problems, "out of memory\n");
				return;
			}
			*v = grown;
		}
		(*v)[*n] = (read_rate){ 0 };
		if (read_record(&row, shape, &(*v)[*n], problems) == 0)
			(*n)++;
	}
}

int rates_read_csv(const char *data, size_t len, const char *base, rate_list *out, buf *problems)
{
	*out = (rate_list){ 0 };
	size_t before = problems->len, n = 0;
	read_rate *v = NULL;
	csv_shape shape;
	csv_reader *csv = csv_open(data, len);
	if (read_header(csv, base, &shape, problems) == 0)
		read_records(csv, &shape, &v, &n, problems);
	csv_close(csv);
	check_repeats(v, &n, problems);
	if (problems->len > before || !(out->v = malloc((n ? n : 1) * sizeof *out->v)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		out->v[i] = v[i].r;
	out->n = n;
	free(v);
	return 0;
fail:
	if (problems->len == before)
		buf_puts(problems, "out of memory\n");
	free(v);
	return -1;
}

/* ---- lookup --------------------------------------------------------------- */

/* The latest rate from→to dated on or before date, however old; NULL when none. */
static const rate *latest(const rate_table *t, const char *from, const char *to, const char *date)
{
	rate key = { 0 };
	snprintf(key.date, sizeof key.date, "%s", date);
	snprintf(key.from, sizeof key.from, "%s", from);
	snprintf(key.to, sizeof key.to, "%s", to);
	size_t lo = 0, hi = t->n;   /* the first rate after key */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rate_order(&t->v[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const rate *r = &t->v[lo - 1];
	return strcmp(r->from, from) == 0 && strcmp(r->to, to) == 0 ? r : NULL;
}

static bool fresh(const rate_table *t, const rate *r, int64_t day)
{
	int64_t rate_day;
	return r && clock_date_days(r->date, &rate_day) == 0 && day - rate_day <= t->max_age_days;
}

/* One leg from→to on day: the later of the direct rate and the inverse
 * one, the direct one on the same date.  0, or -1 when neither is fresh. */
static int find_leg(const rate_table *t, const char *from, const char *to, const char *date, int64_t day, rate *leg,
		    bool *inverse)
{
	const rate *direct = latest(t, from, to, date), *reverse = latest(t, to, from, date);
	if (!fresh(t, direct, day))
		direct = NULL;
	if (!fresh(t, reverse, day))
		reverse = NULL;
	if (!direct && !reverse)
		return -1;
	*inverse = !direct || (reverse && strcmp(reverse->date, direct->date) > 0);
	*leg = *inverse ? *reverse : *direct;
	return 0;
}

static int refuse_missing(const rate_table *t, const char *from, const char *to, const char *date, char *err,
			  size_t errlen)
{
	return errmsg(err, errlen, "no %s→%s rate on or before %s (none within %d days, direct, inverse or through %s)",
		      from, to, date, t->max_age_days, t->base);
}

int rates_find(const rate_table *t, const char *from, const char *to, const char *date, rate_path *path, char *err,
	       size_t errlen)
{
	*path = (rate_path){ 0 };
	int64_t day;
	if (!date || clock_date_days(date, &day) < 0)
		return errmsg(err, errlen, "a conversion's date is not a real date YYYY-MM-DD");
	if (!isocodes_currency_known(from) || !isocodes_currency_known(to))
		return errmsg(err, errlen, "a conversion names a currency that is not ISO 4217");
	if (strcmp(from, to) == 0)
		return 0;
	if (find_leg(t, from, to, date, day, &path->legs[0], &path->inverse[0]) == 0) {
		path->n = 1;
		return 0;
	}
	if (strcmp(from, t->base) == 0 || strcmp(to, t->base) == 0 ||
	    find_leg(t, from, t->base, date, day, &path->legs[0], &path->inverse[0]) < 0 ||
	    find_leg(t, t->base, to, date, day, &path->legs[1], &path->inverse[1]) < 0) {
		*path = (rate_path){ 0 };
		return refuse_missing(t, from, to, date, err, errlen);
	}
	path->n = 2;
	return 0;
}

/* ---- exact conversion ----------------------------------------------------- */

static u128 power_of_ten(int k)
{
	u128 p = 1;
	while (k-- > 0)
		p *= 10;
	return p;
}

/* a × num / den rounded half to even, a a magnitude (at most 2^63), num
 * and den below 2^127: the product, up to 190 bits, divided bit by bit.
 * -1 when the quotient reaches 2^127 (far past any int64_t). */
static int multiply_divide(uint64_t a, u128 num, u128 den, u128 *q)
{
	u128 low = (u128)a * (uint64_t)num, high = (u128)a * (uint64_t)(num >> 64);
	u128 lo = low + (high << 64);
	uint64_t hi = (uint64_t)(high >> 64) + (lo < low);   /* product = hi·2^128 + lo */
	u128 r = 0;
	*q = 0;
	for (int bit = 191; bit >= 0; bit--) {
		uint64_t next = bit >= 128 ? (hi >> (bit - 128)) & 1 : (uint64_t)(lo >> bit) & 1;
		r = r << 1 | next;    /* r < den < 2^127: the shift loses nothing */
		if (r < den)
			continue;
		r -= den;
		if (bit >= 127)
			return -1;
		*q |= (u128)1 << bit;
	}
	if (r > den - r || (r == den - r && (*q & 1)))
		(*q)++;
	return 0;
}

int rate_path_convert(const rate_path *path, int64_t amount, const char *from, const char *to, int64_t *out,
		      char *err, size_t errlen)
{
	*out = 0;
	u128 num = 1, den = 1;
	for (size_t i = 0; i < path->n; i++) {
		rate_value v = path->legs[i].value;
		u128 mantissa = (u128)v.mantissa, ten = power_of_ten(v.scale);
		num *= path->inverse[i] ? ten : mantissa;
		den *= path->inverse[i] ? mantissa : ten;
	}
	int shift = isocodes_minor_units(to) - isocodes_minor_units(from);
	if (shift > 0)
		num *= power_of_ten(shift);
	else
		den *= power_of_ten(-shift);
	uint64_t magnitude = amount < 0 ? 0 - (uint64_t)amount : (uint64_t)amount;
	u128 q;
	u128 limit = amount < 0 ? (u128)INT64_MAX + 1 : (u128)INT64_MAX;
	if (multiply_divide(magnitude, num, den, &q) < 0 || q > limit) {
		buf text = BUF_INIT;
		money_format_plain(amount, from, &text);
		errmsg(err, errlen, "%s %s in %s is too large to be kept in minor units", buf_str(&text), from, to);
		buf_free(&text);
		return -1;
	}
	*out = (int64_t)(amount < 0 ? 0 - (uint64_t)q : (uint64_t)q);
	return 0;
}

int rates_convert(const rate_table *t, int64_t amount, const char *from, const char *to, const char *date,
		  int64_t *out, rate_path *path, char *err, size_t errlen)
{
	rate_path own;
	if (!path)
		path = &own;
	*out = 0;
	if (rates_find(t, from, to, date, path, err, errlen) < 0)
		return -1;
	return rate_path_convert(path, amount, from, to, out, err, errlen);
}

/* ---- totals --------------------------------------------------------------- */

/* Used rates are few (a pair's rate per date of the items), so a look
 * along them is enough. */
static int add_used(rate_list *used, const rate *r)
{
	for (size_t i = 0; i < used->n; i++)
		if (rate_order(&used->v[i], r) == 0)
			return 0;
	rate *grown = realloc(used->v, (used->n + 1) * sizeof *grown);
	if (!grown)
		return -1;
	used->v = grown;
	used->v[used->n++] = *r;
	return 0;
}

/* items[i] converted into total's currency and added to it, its rates
 * added to used.  0, or -1 with the reason in why. */
static int add_item(const rate_table *t, const dated_amount *item, money *total, rate_list *used, char *why,
		    size_t whylen)
{
	rate_path path;
	money converted = *total;
	if (rates_convert(t, item->amount.minor, item->amount.currency, total->currency, item->date, &converted.minor,
			  &path, why, whylen) < 0 ||
	    money_add(total, &converted, why, whylen) < 0)
		return -1;
	for (size_t k = 0; k < path.n; k++)
		if (add_used(used, &path.legs[k]) < 0)
			return errmsg(why, whylen, "out of memory");
	return 0;
}

int rates_total(const rate_table *t, const dated_amount *items, size_t n, const char *currency, money *total,
		rate_list *used, char *err, size_t errlen)
{
	*used = (rate_list){ 0 };
	*total = (money){ 0, "" };
	if (!isocodes_currency_known(currency))
		return errmsg(err, errlen, "a total's currency is not an ISO 4217 currency");
	memcpy(total->currency, currency, 4);
	for (size_t i = 0; i < n; i++) {
		char why[200];
		if (add_item(t, &items[i], total, used, why, sizeof why) < 0) {
			rate_list_free(used);
			total->minor = 0;
			return errmsg(err, errlen, "item %zu: %s", i + 1, why);
		}
	}
	if (used->n)
		qsort(used->v, used->n, sizeof *used->v, rate_order);
	return 0;
}

void rate_list_free(rate_list *l)
{
	if (!l)
		return;
	free(l->v);
	*l = (rate_list){ 0 };
}
