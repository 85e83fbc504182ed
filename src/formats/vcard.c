/*
 * vcard — vCard 4.0 writer; see vcard.h for what each field becomes.
 *
 * Every content line goes through the line writer of contentline.h, which
 * folds without splitting a character or an escape.
 */
#include "formats/vcard.h"
#include "formats/contentline.h"
#include "formats/phone.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int empty(const char *s) { return !s || !*s; }

static const char *first_nonempty(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!empty(v[i]))
			return v[i];
	return NULL;
}

static void write_fn(buf *b, const vcard_person *p)
{
	buf fn = BUF_INIT;
	const char *parts[] = { p->honorific, p->given, p->family };
	for (size_t i = 0; i < 3; i++) {
		if (empty(parts[i]))
			continue;
		if (fn.len)
			buf_putc(&fn, ' ');
		buf_puts(&fn, parts[i]);
	}
	const char *value = fn.len ? buf_str(&fn) : p->organization;
	if (empty(value))
		value = first_nonempty(p->emails, p->nemails);

	cl_line l = cl_begin(b, "FN:");
	cl_put(&l, value, CL_VTEXT);   /* FN is required, so it is written even if empty */
	cl_end(&l);
	buf_free(&fn);
}

static void write_n(buf *b, const vcard_person *p)
{
	if (empty(p->family) && empty(p->given) && empty(p->honorific))
		return;
	cl_line l = cl_begin(b, "N:");
	cl_put(&l, p->family, CL_TEXT);
	cl_piece(&l, ";", 1);
	cl_put(&l, p->given, CL_TEXT);
	cl_piece(&l, ";;", 2);   /* no additional names */
	cl_put(&l, p->honorific, CL_TEXT);
	cl_piece(&l, ";", 1);    /* no suffixes */
	cl_end(&l);
}

static void write_org(buf *b, const vcard_person *p)
{
	if (empty(p->organization))
		return;
	cl_line l = cl_begin(b, "ORG");
	if (!empty(p->organization_lang)) {
		cl_piece(&l, ";LANGUAGE=", 10);
		cl_put(&l, p->organization_lang, CL_PARAM);
	}
	cl_piece(&l, ":", 1);
	cl_put(&l, p->organization, CL_TEXT);   /* one component: a ';' in the name is escaped */
	cl_end(&l);
}

/* ADR: post office box;extended address;street;locality;region;code;country */
static void write_adr(buf *b, const vcard_address *a)
{
	const char *parts[] = { a->street, a->locality, a->region, a->code, a->country };
	size_t n = sizeof parts / sizeof parts[0], set = 0;
	for (size_t i = 0; i < n; i++)
		set += !empty(parts[i]);
	if (!set)
		return;
	cl_line l = cl_begin(b, "ADR;TYPE=work:;;");
	for (size_t i = 0; i < n; i++) {
		if (i)
			cl_piece(&l, ";", 1);
		cl_put(&l, parts[i], CL_TEXT);
	}
	cl_end(&l);
}

static void write_categories(buf *b, const vcard_person *p)
{
	cl_line l = { 0 };
	for (size_t i = 0; i < p->ncategories; i++) {
		if (empty(p->categories[i]))
			continue;
		if (l.b)
			cl_piece(&l, ",", 1);
		else
			l = cl_begin(b, "CATEGORIES:");
		cl_put(&l, p->categories[i], CL_VTEXT);   /* a ',' inside a tag is escaped */
	}
	if (l.b)
		cl_end(&l);
}

static void write_emails(buf *b, const vcard_person *p)
{
	int pref = 1;
	for (size_t i = 0; i < p->nemails; i++) {
		if (empty(p->emails[i]))
			continue;
		cl_prop(b, pref ? "EMAIL;TYPE=work;PREF=1" : "EMAIL;TYPE=work", p->emails[i], CL_VTEXT);
		pref = 0;
	}
}

/* In E.164 form a number is a global tel: URI (RFC 3966), which any
 * telephone dials; otherwise it stays the text it was typed as. */
static void write_phone(buf *b, const char *tel, const char *country, int pref)
{
	phone_number n;
	if (phone_e164(tel, country, &n)) {
		/* VALUE=text said outright: readers that take TEL for a URI by default
		 * would otherwise misread it */
		cl_prop(b, pref ? "TEL;VALUE=text;TYPE=work;PREF=1" : "TEL;VALUE=text;TYPE=work", tel, CL_VTEXT);
		return;
	}
	cl_line l = cl_begin(b, pref ? "TEL;VALUE=uri;TYPE=work;PREF=1:tel:"
	                       : "TEL;VALUE=uri;TYPE=work:tel:");
	cl_put(&l, n.e164, CL_RAW);
	if (*n.ext) {
		cl_piece(&l, ";ext=", 5);
		cl_put(&l, n.ext, CL_RAW);
	}
	cl_end(&l);
}

static void write_phones(buf *b, const vcard_person *p)
{
	int pref = 1;
	for (size_t i = 0; i < p->nphones; i++) {
		if (empty(p->phones[i]))
			continue;
		write_phone(b, p->phones[i], p->phone_country, pref);
		pref = 0;
	}
}

static void lang_prop(buf *b, const char *tag, int pref)
{
	cl_line l = cl_begin(b, pref ? "LANG;PREF=1:" : "LANG:");
	cl_put(&l, tag, CL_RAW);   /* a language tag, not text: nothing to escape */
	cl_end(&l);
}

static void write_langs(buf *b, const vcard_person *p)
{
	const char *pref = empty(p->preferred_language) ? NULL : p->preferred_language;
	if (pref)
		lang_prop(b, pref, 1);
	for (size_t i = 0; i < p->nlanguages; i++) {
		const char *tag = p->languages[i];
		if (empty(tag) || (pref && strcasecmp(tag, pref) == 0))
			continue;   /* language tags are case-insensitive */
		lang_prop(b, tag, 0);
	}
}

/* '#' in pat stands for a digit. */
static int matches(const char *s, const char *pat)
{
	for (; *pat; s++, pat++) {
		if (*pat == '#' ? !isdigit((unsigned char)*s) : *s != *pat)
			return 0;
	}
	return *s == '\0';
}

static int is_uuid(const char *s)
{
	for (size_t i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;   /* also stops at the NUL of a short string */
	}
	return s[36] == '\0';
}

/* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static int has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

static void write_uid(buf *b, const char *uid)
{
	if (empty(uid))
		return;
	if (!is_uuid(uid) && !has_scheme(uid)) {
		cl_prop(b, "UID;VALUE=text", uid, CL_VTEXT);
		return;
	}
	cl_line l = cl_begin(b, is_uuid(uid) ? "UID:urn:uuid:" : "UID:");
	cl_put(&l, uid, CL_RAW);
	cl_end(&l);
}

static void write_rev(buf *b, const char *rev)
{
	if (empty(rev))
		return;
	char out[17];
	size_t n = 0;
	if (matches(rev, "####-##-##T##:##:##Z")) {
		for (const char *s = rev; *s; s++)
			if (*s != '-' && *s != ':')
				out[n++] = *s;
	} else if (matches(rev, "########T######Z")) {
		memcpy(out, rev, 16);
		n = 16;
	} else {
		return;
	}
	out[n] = '\0';
	cl_line l = cl_begin(b, "REV:");
	cl_put(&l, out, CL_RAW);
	cl_end(&l);
}

void vcard_write(buf *b, const vcard_person *p)
{
	buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
	write_fn(b, p);
	write_n(b, p);
	write_org(b, p);
	cl_prop(b, "TITLE", p->position, CL_VTEXT);
	write_adr(b, &p->address);
	write_emails(b, p);
	write_phones(b, p);
	write_langs(b, p);
	write_categories(b, p);
	cl_prop(b, "NOTE", p->note, CL_VTEXT);
	write_uid(b, p->uid);
	write_rev(b, p->rev);
	buf_puts(b, "END:VCARD\r\n");
}
