/*
 * phone — telephone numbers as people type them ("022 717 91 11",
 * "+41 (0)22 717 9111 ext. 204", "(212) 555-0147") made E.164
 * ("+41227179111"), so that address books and telephones dial them from
 * anywhere.
 *
 * A number already in international form (a leading + or an international
 * call prefix) keeps its digits; one in national form takes the calling
 * code of the country it was typed in (ISO 3166-1 alpha-2), after its
 * trunk prefix ("0" in most countries, "8" in Russia, "06" in Hungary, "1"
 * or nothing in the North American plan; Italy keeps its leading zero).
 *
 * Nothing is invented: a number with letters, with no known country for
 * its national form, without the trunk prefix its country needs, with an
 * unassigned calling code, or with more digits than E.164 allows (15) is
 * refused, and the caller keeps the number as it was typed.
 */
#ifndef LIAISON_PHONE_H
#define LIAISON_PHONE_H

typedef struct phone_number {
	char e164[17];   /* "+" and up to 15 digits */
	char ext[9];     /* the extension's digits, or "" */
} phone_number;

/* 0 and *out filled, or -1 when typed cannot be made E.164.  country may be
 * NULL or empty when unknown. */
int phone_e164(const char *typed, const char *country, phone_number *out);

/* The calling code of an ISO 3166-1 alpha-2 country ("41" for "CH"), or NULL. */
const char *phone_calling_code(const char *country);

#endif
