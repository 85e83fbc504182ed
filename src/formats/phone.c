/*
 * phone — typed telephone numbers to E.164; see phone.h.
 *
 * The facts are data: the ITU calling code of each country (E.164 Annex),
 * and the few ways countries differ from the usual "0" trunk prefix and
 * "00" international prefix.  A country missing from the table is
 * "unknown", which only stops the national form from being converted.
 */
#include "formats/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define E164_DIGITS 15   /* country code included */
#define MIN_NATIONAL 4   /* fewer digits after the country code is no number */
#define EXT_DIGITS 8

/* ISO 3166-1 alpha-2 → ITU calling code.  Countries sharing a plan share a
 * code (the North American "1", Russia and Kazakhstan's "7", ...). */
static const struct { char iso[3]; char code[4]; } codes[] = {
	{ "AD", "376" }, { "AE", "971" }, { "AF", "93" },  { "AG", "1" },   { "AI", "1" },   { "AL", "355" },
	{ "AM", "374" }, { "AO", "244" }, { "AR", "54" },  { "AS", "1" },   { "AT", "43" },  { "AU", "61" },
	{ "AW", "297" }, { "AX", "358" }, { "AZ", "994" }, { "BA", "387" }, { "BB", "1" },   { "BD", "880" },
	{ "BE", "32" },  { "BF", "226" }, { "BG", "359" }, { "BH", "973" }, { "BI", "257" }, { "BJ", "229" },
	{ "BL", "590" }, { "BM", "1" },   { "BN", "673" }, { "BO", "591" }, { "BQ", "599" }, { "BR", "55" },
	{ "BS", "1" },   { "BT", "975" }, { "BW", "267" }, { "BY", "375" }, { "BZ", "501" }, { "CA", "1" },
	{ "CC", "61" },  { "CD", "243" }, { "CF", "236" }, { "CG", "242" }, { "CH", "41" },  { "CI", "225" },
	{ "CK", "682" }, { "CL", "56" },  { "CM", "237" }, { "CN", "86" },  { "CO", "57" },  { "CR", "506" },
	{ "CU", "53" },  { "CV", "238" }, { "CW", "599" }, { "CX", "61" },  { "CY", "357" }, { "CZ", "420" },
	{ "DE", "49" },  { "DJ", "253" }, { "DK", "45" },  { "DM", "1" },   { "DO", "1" },   { "DZ", "213" },
	{ "EC", "593" }, { "EE", "372" }, { "EG", "20" },  { "EH", "212" }, { "ER", "291" }, { "ES", "34" },
	{ "ET", "251" }, { "FI", "358" }, { "FJ", "679" }, { "FK", "500" }, { "FM", "691" }, { "FO", "298" },
	{ "FR", "33" },  { "GA", "241" }, { "GB", "44" },  { "GD", "1" },   { "GE", "995" }, { "GF", "594" },
	{ "GG", "44" },  { "GH", "233" }, { "GI", "350" }, { "GL", "299" }, { "GM", "220" }, { "GN", "224" },
	{ "GP", "590" }, { "GQ", "240" }, { "GR", "30" },  { "GT", "502" }, { "GU", "1" },   { "GW", "245" },
	{ "GY", "592" }, { "HK", "852" }, { "HN", "504" }, { "HR", "385" }, { "HT", "509" }, { "HU", "36" },
	{ "ID", "62" },  { "IE", "353" }, { "IL", "972" }, { "IM", "44" },  { "IN", "91" },  { "IO", "246" },
	{ "IQ", "964" }, { "IR", "98" },  { "IS", "354" }, { "IT", "39" },  { "JE", "44" },  { "JM", "1" },
	{ "JO", "962" }, { "JP", "81" },  { "KE", "254" }, { "KG", "996" }, { "KH", "855" }, { "KI", "686" },
	{ "KM", "269" }, { "KN", "1" },   { "KP", "850" }, { "KR", "82" },  { "KW", "965" }, { "KY", "1" },
	{ "KZ", "7" },   { "LA", "856" }, { "LB", "961" }, { "LC", "1" },   { "LI", "423" }, { "LK", "94" },
	{ "LR", "231" }, { "LS", "266" }, { "LT", "370" }, { "LU", "352" }, { "LV", "371" }, { "LY", "218" },
	{ "MA", "212" }, { "MC", "377" }, { "MD", "373" }, { "ME", "382" }, { "MF", "590" }, { "MG", "261" },
	{ "MH", "692" }, { "MK", "389" }, { "ML", "223" }, { "MM", "95" },  { "MN", "976" }, { "MO", "853" },
	{ "MP", "1" },   { "MQ", "596" }, { "MR", "222" }, { "MS", "1" },   { "MT", "356" }, { "MU", "230" },
	{ "MV", "960" }, { "MW", "265" }, { "MX", "52" },  { "MY", "60" },  { "MZ", "258" }, { "NA", "264" },
	{ "NC", "687" }, { "NE", "227" }, { "NF", "672" }, { "NG", "234" }, { "NI", "505" }, { "NL", "31" },
	{ "NO", "47" },  { "NP", "977" }, { "NR", "674" }, { "NU", "683" }, { "NZ", "64" },  { "OM", "968" },
	{ "PA", "507" }, { "PE", "51" },  { "PF", "689" }, { "PG", "675" }, { "PH", "63" },  { "PK", "92" },
	{ "PL", "48" },  { "PM", "508" }, { "PR", "1" },   { "PS", "970" }, { "PT", "351" }, { "PW", "680" },
	{ "PY", "595" }, { "QA", "974" }, { "RE", "262" }, { "RO", "40" },  { "RS", "381" }, { "RU", "7" },
	{ "RW", "250" }, { "SA", "966" }, { "SB", "677" }, { "SC", "248" }, { "SD", "249" }, { "SE", "46" },
	{ "SG", "65" },  { "SH", "290" }, { "SI", "386" }, { "SJ", "47" },  { "SK", "421" }, { "SL", "232" },
	{ "SM", "378" }, { "SN", "221" }, { "SO", "252" }, { "SR", "597" }, { "SS", "211" }, { "ST", "239" },
	{ "SV", "503" }, { "SX", "1" },   { "SY", "963" }, { "SZ", "268" }, { "TC", "1" },   { "TD", "235" },
	{ "TG", "228" }, { "TH", "66" },  { "TJ", "992" }, { "TK", "690" }, { "TL", "670" }, { "TM", "993" },
	{ "TN", "216" }, { "TO", "676" }, { "TR", "90" },  { "TT", "1" },   { "TV", "688" }, { "TW", "886" },
	{ "TZ", "255" }, { "UA", "380" }, { "UG", "256" }, { "US", "1" },   { "UY", "598" }, { "UZ", "998" },
	{ "VA", "39" },  { "VC", "1" },   { "VE", "58" },  { "VG", "1" },   { "VI", "1" },   { "VN", "84" },
	{ "VU", "678" }, { "WF", "681" }, { "WS", "685" }, { "YE", "967" }, { "YT", "262" }, { "ZA", "27" },
	{ "ZM", "260" }, { "ZW", "263" },
};

/* Codes of no country: freephone, satellite and international networks
 * (a field office's satellite telephone is a real number). */
static const char *const global_codes[] = { "800", "808", "870", "881", "882", "883", "979", NULL };

/* Trunk prefixes other than "0"; "" where the national number is dialled
 * as it is written (a leading 0 there is then a mistake, not a prefix). */
static const struct { const char *countries, *trunk; } trunks[] = {
	{ "AD BH BZ CR CY CZ DK EE ES FO GL GR GT HK HN IS KW LI LU LV MC MO MT MX NI NO OM PA PL PT QA SG SV", "" },
	{ "RU KZ BY", "8" },
	{ "HU", "06" },
};
/* Where the leading 0 belongs to the number itself (Rome is +39 06 ...). */
static const char keeps_zero[] = "IT SM VA CI";
/* International prefixes other than "00", which is taken everywhere. */
static const struct { const char *countries, *prefix; } intl_prefixes[] = {
	{ "US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI", "011" },
	{ "AU CC CX", "0011" },
	{ "JP", "010" },
};

/* Is the two-letter code iso in the space-separated list? */
static int listed(const char *list, const char *iso)
{
	for (const char *p = list; *p; p += p[2] ? 3 : 2)
		if (strncasecmp(p, iso, 2) == 0)
			return 1;
	return 0;
}

static int known_iso(const char *country) { return country && strlen(country) == 2; }

const char *phone_calling_code(const char *country)
{
	if (!known_iso(country))
		return NULL;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strncasecmp(codes[i].iso, country, 2) == 0)
			return codes[i].code;
	return NULL;
}

static const char *trunk_of(const char *country)
{
	for (size_t i = 0; i < sizeof trunks / sizeof trunks[0]; i++)
		if (listed(trunks[i].countries, country))
			return trunks[i].trunk;
	return "0";
}

static const char *intl_prefix_of(const char *country)
{
	for (size_t i = 0; i < sizeof intl_prefixes / sizeof intl_prefixes[0]; i++)
		if (listed(intl_prefixes[i].countries, country))
			return intl_prefixes[i].prefix;
	return "00";
}

/* Length of the assigned calling code digits start with, or 0.  Calling
 * codes are a prefix code: at most one of 1, 2 or 3 digits matches. */
static size_t code_length(const char *digits)
{
	for (size_t n = 1; n <= 3; n++) {
		for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
			if (strlen(codes[i].code) == n && strncmp(codes[i].code, digits, n) == 0)
				return n;
		for (const char *const *g = global_codes; *g; g++)
			if (strlen(*g) == n && strncmp(*g, digits, n) == 0)
				return n;
	}
	return 0;
}

/* ---- reading what was typed -------------------------------------------- */

/* What ends the number and starts its extension, longest first. */
static const char *const ext_markers[] = { "extension", "ext", "poste", "x", "#", NULL };

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t' || (s[0] == '\xC2' && s[1] == '\xA0'))
		s += *s == '\xC2' ? 2 : 1;
	return s;
}

/* s points at a letter or '#': the extension to the end, or -1. */
static int read_extension(const char *s, phone_number *out)
{
	size_t m = 0;
	for (const char *const *k = ext_markers; *k; k++)
		if (strncasecmp(s, *k, strlen(*k)) == 0) {
			m = strlen(*k);
			break;
		}
	if (!m)
		return -1;
	s += m;
	while (*s == '.' || *s == ':' || *s == '=' || *s == ' ')
		s++;
	size_t n = 0;
	while (isdigit((unsigned char)*s)) {
		if (n == EXT_DIGITS)
			return -1;
		out->ext[n++] = *s++;
	}
	out->ext[n] = '\0';
	return n && !*skip_spaces(s) ? 0 : -1;
}

/* The digits of the number proper into digits (NUL-terminated), *plus when
 * it starts with "+"; the extension into out.  -1 on anything else. */
static int read_typed(const char *s, char *digits, size_t cap, int *plus, phone_number *out)
{
	size_t n = 0;
	s = skip_spaces(s);
	*plus = *s == '+';
	if (*plus)
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (n + 1 == cap)
				return -1;
			digits[n++] = *s;
		} else if (*plus && strncmp(s, "(0)", 3) == 0) {
			s += 2;   /* "+41 (0)22 ...": the 0 is dialled only from inside */
		} else if (*s == '\xC2' && s[1] == '\xA0') {
			s++;
		} else if (isalpha((unsigned char)*s) || *s == '#') {
			if (read_extension(s, out))
				return -1;
			break;
		} else if (!strchr(" \t-./()", *s)) {
			return -1;
		}
	}
	digits[n] = '\0';
	return n ? 0 : -1;
}

/* ---- making it E.164 --------------------------------------------------- */

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* A national number of country with calling code cc, made international
 * into intl; -1 when it does not have the form its country's plan needs. */
static int nationalize(const char *digits, const char *country, const char *cc, char *intl, size_t cap)
{
	const char *nsn = digits;
	if (strcmp(cc, "1") == 0) {
		if (strlen(nsn) == 11 && nsn[0] == '1')
			nsn++;   /* the North American trunk prefix is optional */
		if (strlen(nsn) != 10)
			return -1;
	} else if (!listed(keeps_zero, country)) {
		const char *trunk = trunk_of(country);
		if (*trunk ? !starts(nsn, trunk) : nsn[0] == '0')
			return -1;   /* a local number without its area code, or a stray 0 */
		nsn += strlen(trunk);
	}
	return snprintf(intl, cap, "%s%s", cc, nsn) < (int)cap ? 0 : -1;
}

static int valid_international(const char *intl)
{
	size_t cc = code_length(intl), n = strlen(intl);
	if (!cc || n > E164_DIGITS || n - cc < MIN_NATIONAL)
		return 0;
	return intl[0] != '1' || n == 11;   /* the North American plan has ten digits */
}

int phone_e164(const char *typed, const char *country, phone_number *out)
{
	char digits[32], intl[40];
	int plus;
	memset(out, 0, sizeof *out);
	if (!typed || read_typed(typed, digits, sizeof digits, &plus, out))
		return -1;
	if (plus) {
		snprintf(intl, sizeof intl, "%s", digits);
	} else {
		const char *cc = phone_calling_code(country);
		if (!cc)
			return -1;   /* a national form with no country to read it in */
		const char *own = intl_prefix_of(country);
		if (starts(digits, own))
			snprintf(intl, sizeof intl, "%s", digits + strlen(own));
		else if (starts(digits, "00"))
			snprintf(intl, sizeof intl, "%s", digits + 2);
		else if (nationalize(digits, country, cc, intl, sizeof intl))
			return -1;
	}
	if (!valid_international(intl))
		return -1;
	out->e164[0] = '+';
	memcpy(out->e164 + 1, intl, strlen(intl) + 1);   /* at most 15 digits: checked above */
	return 0;
}
