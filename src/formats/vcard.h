/*
 * vcard — vCard 4.0 (RFC 6350) export of persons, so contacts can be taken
 * into address books and mail clients.
 *
 * vcard_write appends one BEGIN:VCARD ... END:VCARD block.  A list of
 * persons is simply several cards one after the other in the same buffer;
 * a .vcf file with many cards is exactly that.
 *
 * Output: CRLF line ends; VERSION:4.0 right after BEGIN; then FN, N, ORG,
 * TITLE, ADR, EMAIL, TEL, LANG, CATEGORIES, NOTE, UID, REV.  A NULL or
 * empty field (or list entry) is left out.  Text values are escaped as RFC
 * 6350's grammar has it: backslash, comma and line breaks (as \n) always,
 * the semicolon only inside the components of N, ORG and ADR, where it
 * would separate them (elsewhere "\;" is no escape, and strict readers
 * keep the backslash); other control characters are dropped and invalid
 * UTF-8 becomes U+FFFD, since a card must be UTF-8 text.  Lines longer than
 * 75 octets are folded (CRLF + one space) between characters, never inside
 * a UTF-8 sequence or an escape.
 *
 * Field details:
 *  - FN, which a card must have, is "honorific given family"; when all three
 *    are empty it falls back to the organization, then the first email.
 *  - N is family;given;;honorific; and is written when any of them is set.
 *  - ORG carries LANGUAGE= when the name's language is given.
 *  - ADR;TYPE=work has the seven components of RFC 6350 6.3.1 (no post
 *    office box or extended address: those two stay empty) and is written
 *    when any of them is set.
 *  - EMAIL and TEL carry TYPE=work; the first of each list has PREF=1.
 *    A phone number that phone_e164 (phone.h) can read, with phone_country
 *    for the national form, becomes a tel: URI in E.164 form as RFC 6350
 *    recommends (tel:+41227179111, ";ext=204" for an extension); anything
 *    else stays text, as typed.
 *  - CATEGORIES lists the tags, each escaped, separated by commas.
 *  - LANG is written for each language, PREF=1 on preferred_language (which
 *    is added first if it is not in the list).
 *  - UID: a bare UUID becomes urn:uuid:...; a value that already has a URI
 *    scheme is kept; anything else is written with VALUE=text.
 *  - REV takes Liaison's UTC time YYYY-MM-DDThh:mm:ssZ (or the basic form
 *    YYYYMMDDThhmmssZ) and writes the basic form; anything else is left out
 *    rather than written wrong.
 */
#ifndef LIAISON_VCARD_H
#define LIAISON_VCARD_H

#include <stddef.h>

#include "core/buf.h"

typedef struct {
	const char *street, *locality, *region, *code, *country;
} vcard_address;

typedef struct {
	const char *uid;
	const char *honorific, *given, *family;
	const char *position, *organization;
	const char *organization_lang;        /* the language of its name, or NULL */
	vcard_address address;
	const char *note;
	const char *rev;                      /* YYYY-MM-DDThh:mm:ssZ or NULL */
	const char *const *emails;
	size_t nemails;
	const char *const *phones;
	size_t nphones;
	const char *phone_country;            /* ISO 3166-1 alpha-2 for national numbers, or NULL */
	const char *const *categories;
	size_t ncategories;
	const char *const *languages;         /* BCP 47 tags: "en", "fr", "es-419" */
	size_t nlanguages;
	const char *preferred_language;       /* NULL when none */
} vcard_person;

void vcard_write(buf *b, const vcard_person *p);

#endif
