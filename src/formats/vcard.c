/*
 * vcard — vCard 4.0 writer; see vcard.h for what each field becomes.
 *
 * Every content line goes through one small line writer that counts the
 * octets on the current physical line and folds before a piece that would
 * not fit.  The pieces it is given are whole characters or whole escapes
 * ("\," "\n"), which is how folding is kept from splitting a UTF-8 sequence
 * or an escape: RFC 6350 would allow the split, but many readers unfold
 * after decoding and then show garbage.
 */
#include "formats/vcard.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define LINE_MAX_OCTETS 75   /* RFC 6350 3.2, not counting the CRLF */

typedef struct {
	buf *b;
	size_t col;   /* octets already on the current physical line */
} line;

static int empty(const char *s) { return !s || !*s; }

static void piece(line *l, const char *s, size_t n)
{
	if (l->col + n > LINE_MAX_OCTETS) {
		buf_add(l->b, "\r\n ", 3);
		l->col = 1;   /* the leading space counts */
	}
	buf_add(l->b, s, n);
	l->col += n;
}

/* Length of the UTF-8 sequence starting at s, or 0 if it is broken.  Only
 * the shape is checked — enough to keep sequences whole; the store already
 * holds valid text. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)   /* also stops at the NUL */
			return 0;
	return n;
}

/* One ASCII character of a value; escaped when it is a text value. */
static void put_ascii(line *l, char c, int escape)
{
	if (escape && (c == '\\' || c == ',' || c == ';' || c == '\n')) {
		char e[2] = { '\\', c == '\n' ? 'n' : c };
		piece(l, e, 2);
		return;
	}
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return;   /* not allowed in a value (RFC 6350 VALUE-CHAR) */
	piece(l, &c, 1);
}

/* Append s (NULL is nothing); escape = 1 for text values. */
static void put(line *l, const char *s, int escape)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			piece(l, "\xEF\xBF\xBD", 3);   /* U+FFFD */
			p++;
		} else if (n > 1) {
			piece(l, (const char *)p, n);
			p += n;
		} else if (*p == '\r') {
			p += p[1] == '\n' ? 2 : 1;   /* CRLF, CR and LF are one line break */
			put_ascii(l, '\n', escape);
		} else {
			put_ascii(l, (char)*p++, escape);
		}
	}
}

/* Start a content line with its name and parameters (ASCII, no escaping). */
static line begin(buf *b, const char *name)
{
	line l = { b, 0 };
	put(&l, name, 0);
	return l;
}

static void end(line *l) { buf_add(l->b, "\r\n", 2); }

static void text_prop(buf *b, const char *name, const char *value)
{
	if (empty(value))
		return;
	line l = begin(b, name);
	piece(&l, ":", 1);
	put(&l, value, 1);
	end(&l);
}

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

	line l = begin(b, "FN:");
	put(&l, value, 1);   /* FN is required, so it is written even if empty */
	end(&l);
	buf_free(&fn);
}

static void write_n(buf *b, const vcard_person *p)
{
	if (empty(p->family) && empty(p->given) && empty(p->honorific))
		return;
	line l = begin(b, "N:");
	put(&l, p->family, 1);
	piece(&l, ";", 1);
	put(&l, p->given, 1);
	piece(&l, ";;", 2);   /* no additional names */
	put(&l, p->honorific, 1);
	piece(&l, ";", 1);    /* no suffixes */
	end(&l);
}

static void write_emails(buf *b, const vcard_person *p)
{
	int pref = 1;
	for (size_t i = 0; i < p->nemails; i++) {
		if (empty(p->emails[i]))
			continue;
		text_prop(b, pref ? "EMAIL;TYPE=work;PREF=1" : "EMAIL;TYPE=work", p->emails[i]);
		pref = 0;
	}
}

/* "+41 22 555 01 23" can be a global tel: URI (RFC 3966); local numbers
 * would need a phone-context we do not know, so they stay text. */
static int tel_uri_ok(const char *s)
{
	int digits = 0;
	if (*s++ != '+')
		return 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr(" -.()", *s))
			return 0;
	}
	return digits > 0;
}

static void write_phone(buf *b, const char *tel, int pref)
{
	if (!tel_uri_ok(tel)) {
		text_prop(b, pref ? "TEL;TYPE=work;PREF=1" : "TEL;TYPE=work", tel);
		return;
	}
	line l = begin(b, pref ? "TEL;VALUE=uri;TYPE=work;PREF=1:tel:"
	                       : "TEL;VALUE=uri;TYPE=work:tel:");
	for (const char *s = tel; *s; s++)
		piece(&l, *s == ' ' ? "-" : s, 1);   /* spaces are not allowed in a URI */
	end(&l);
}

static void write_phones(buf *b, const vcard_person *p)
{
	int pref = 1;
	for (size_t i = 0; i < p->nphones; i++) {
		if (empty(p->phones[i]))
			continue;
		write_phone(b, p->phones[i], pref);
		pref = 0;
	}
}

static void lang_prop(buf *b, const char *tag, int pref)
{
	line l = begin(b, pref ? "LANG;PREF=1:" : "LANG:");
	put(&l, tag, 0);   /* a language tag, not text: nothing to escape */
	end(&l);
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
		text_prop(b, "UID;VALUE=text", uid);
		return;
	}
	line l = begin(b, is_uuid(uid) ? "UID:urn:uuid:" : "UID:");
	put(&l, uid, 0);
	end(&l);
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
	line l = begin(b, "REV:");
	put(&l, out, 0);
	end(&l);
}

void vcard_write(buf *b, const vcard_person *p)
{
	buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
	write_fn(b, p);
	write_n(b, p);
	text_prop(b, "ORG", p->organization);
	text_prop(b, "TITLE", p->position);
	write_emails(b, p);
	write_phones(b, p);
	write_langs(b, p);
	text_prop(b, "NOTE", p->note);
	write_uid(b, p->uid);
	write_rev(b, p->rev);
	buf_puts(b, "END:VCARD\r\n");
}
