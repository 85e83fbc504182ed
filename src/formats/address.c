/*
 * address — checking an e-mail address and writing its wire form; see
 * address.h.
 *
 * What is accepted is deliberately narrower than RFC 5322's addr-spec: a
 * dot-atom local part (RFC 6531's, so letters beyond ASCII are atext too),
 * never a quoted one (legal, but nobody who writes to the department uses
 * one, and they are where envelope tricks hide), and a domain name of at
 * least two labels, never an address literal.
 *
 * A domain beyond ASCII, or one with an "xn--" label, goes through
 * libidn2: IDNA2008 with the UTS 46 mapping (non-transitional, so "faß.de"
 * stays itself and is not read as "fass.de"), which also lower-cases it and
 * rejects a malformed "xn--" label.  A plain ASCII domain is left as it is
 * (most are, and a bulk import need not pay for the conversion).  Either
 * way the result is then held to the rules of host names (letters, digits,
 * inner hyphens, 63 octets a label): libidn2 lets a space or an underscore
 * through in an all-ASCII name.
 */
#include "formats/address.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>
#include <utf8proc.h>

#include "core/fold.h"

#ifndef N_
#define N_(s) s   /* English messages the catalogs translate (see tools/po.py) */
#endif

#define LOCAL_MAX 64    /* RFC 5321 4.5.3.1.1 */
#define DOMAIN_MAX 253  /* RFC 1035, without the final dot */
#define LABEL_MAX 63

static const char *const bad_form = N_("is not an e-mail address: write it as name@domain, like ana@example.org");
static const char *const bad_text = N_("is not an e-mail address: it holds a control character or broken text");
static const char *const bad_local = N_("is not an e-mail address: the part before @ holds a space, a quote, a bracket "
					"or another character an address cannot hold");
static const char *const bad_dots = N_("is not an e-mail address: the part before @ starts or ends with a dot, "
				       "or has two dots in a row");
static const char *const long_local = N_("is not an e-mail address: the part before @ is longer than 64 octets");
static const char *const bad_domain = N_("is not an e-mail address: the domain is not a valid domain name");
static const char *const bad_idn = N_("is not an e-mail address: the domain is not a valid internationalized domain "
				      "name (IDNA)");
static const char *const one_label = N_("is not an e-mail address: the domain needs at least one dot, "
					"as in example.org");
static const char *const too_long = N_("is not an e-mail address: it is longer than 254 octets");

/* Valid UTF-8 without control characters, C1 included: nothing that could
 * end a header or a command early, or be shown as something else. */
static int clean_text(const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0))
			return 0;
	}
	return 1;
}

/* RFC 5322 atext, and RFC 6531's UTF8-non-ascii (any byte of a multi-byte
 * character: the text is already known to be valid UTF-8). */
static int is_atext(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static const char *check_local(const char *s, size_t n)
{
	if (n > LOCAL_MAX)
		return long_local;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return bad_local;
	}
	if (s[0] == '.' || s[n - 1] == '.' || memmem(s, n, "..", 2))
		return bad_dots;
	return NULL;
}

static int ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* A host name in ASCII: labels of letters, digits and inner hyphens, at
 * least two of them, the last not all digits (that would be an IP address
 * written without the brackets of an address literal). */
static const char *check_host(const char *s)
{
	size_t n = strlen(s), dots = 0;
	if (n == 0 || n > DOMAIN_MAX)
		return bad_domain;
	for (const char *label = s;; dots++) {
		size_t len = strcspn(label, ".");
		if (len == 0 || len > LABEL_MAX || label[0] == '-' || label[len - 1] == '-')
			return bad_domain;
		for (size_t i = 0; i < len; i++) {
			if (!ldh(label[i]))
				return bad_domain;
		}
		if (!label[len]) {
			if (strspn(label, "0123456789") == len)
				return bad_domain;
			break;
		}
		label += len + 1;
	}
	return dots == 0 ? one_label : NULL;
}

static int ascii(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return 0;
	}
	return 1;
}

const char *mail_address(const char *addr, char out[MAIL_ADDRESS_MAX + 1])
{
	out[0] = '\0';
	if (!addr || !*addr)
		return bad_form;
	size_t n = strlen(addr);
	if (!clean_text(addr, n))
		return bad_text;
	const char *at = strchr(addr, '@');
	if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
		return bad_form;
	const char *why = check_local(addr, (size_t)(at - addr));
	if (why)
		return why;
	char *converted = NULL;
	const char *domain = at + 1;
	if (!ascii(domain) || strcasestr(domain, "xn--")) {
		if (idn2_to_ascii_8z(domain, &converted, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
			return ascii(domain) ? bad_domain : bad_idn;
		domain = converted;
	}
	why = check_host(domain);
	/* written and measured in one step: what does not fit is too long */
	if (!why && snprintf(out, MAIL_ADDRESS_MAX + 1, "%.*s@%s", (int)(at - addr), addr, domain) > MAIL_ADDRESS_MAX) {
		out[0] = '\0';
		why = too_long;
	}
	idn2_free(converted);
	return why;
}

int mail_address_utf8(const char *wire) { return !ascii(wire); }

/* A wire form beyond ASCII, case-folded (and in NFC), to free(); NULL when
 * utf8proc cannot read it. */
static char *case_folded(const char *wire)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)wire, 0, &out,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	return n < 0 ? NULL : (char *)out;
}

/* Case is ignored in the part before @ too: RFC 5321 lets a server tell
 * "Ana" from "ana", but no mail system anyone writes from does. */
int mail_address_same(const char *a, const char *b)
{
	char wa[MAIL_ADDRESS_MAX + 1], wb[MAIL_ADDRESS_MAX + 1];
	if (!a || !b || mail_address(a, wa) || mail_address(b, wb))
		return 0;
	if (ascii(wa) && ascii(wb))
		return strcasecmp(wa, wb) == 0;
	char *fa = case_folded(wa), *fb = case_folded(wb);
	int same = fa && fb && strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return same;
}
