/*
 * address — an e-mail address as Liaison accepts it and as it goes out.
 *
 * One rule serves both ends: a field that holds an address is checked with
 * it when a record is written, and every address a message is sent from or
 * to is checked and converted with it just before.  So an address that was
 * accepted can be sent to, and one that could not be is refused where
 * someone typed it, with the reason.
 *
 * The wire form keeps the local part as written and writes the domain as
 * its IDNA A-label ("aino@xn--exmple-cua.org" for "aino@exämple.org",
 * IDNA2008 through libidn2), which any relay and any mail client reads.  A
 * local part beyond ASCII ("josé@example.org") has no ASCII form: it can
 * only travel through a relay that offers SMTPUTF8 (RFC 6531), which the
 * sender checks (see smtp_send).
 */
#ifndef LIAISON_ADDRESS_H
#define LIAISON_ADDRESS_H

#include <stddef.h>

#define MAIL_ADDRESS_MAX 254   /* octets of the wire form, RFC 5321 4.5.3.1.3 */

/* Checks addr (UTF-8, without angle brackets or a display name) and writes
 * its wire form into out (MAIL_ADDRESS_MAX + 1 bytes).  NULL when the
 * address is good, else why not: a message of a fixed set, starting "is not
 * an e-mail address:", which the catalogs translate. */
const char *mail_address(const char *addr, char out[MAIL_ADDRESS_MAX + 1]);

/* 1 when the wire form needs SMTPUTF8: its local part is beyond ASCII. */
int mail_address_utf8(const char *wire);

/* 1 when a and b are the same mailbox: their wire forms equal but for case
 * (a domain compared as its A-label, so "aino@EXÄMPLE.org" is
 * "aino@xn--exmple-cua.org"); 0 when they differ or either is no address. */
int mail_address_same(const char *a, const char *b);

#endif
