/*
 * i18n — Liaison in English, French and Spanish: the message catalogs and
 * the way each language writes dates, numbers and money.
 *
 * The catalogs are the .po files of src/web/po, compiled to .mo at build
 * time and embedded in the binary.  A message is looked up by its English
 * text (gettext's convention), so the English catalog is the list of every
 * message and the code reads in English.  A language is an index into
 * registry_langs: 0 English, 1 French, 2 Spanish.
 */
#ifndef LIAISON_I18N_H
#define LIAISON_I18N_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum { LANG_EN, LANG_FR, LANG_ES };

/* Marks an English message in C for the catalogs (tools/po-update finds
 * it); the text itself is looked up with i18n_text at run time. */
#define N_(s) s
/* The same for a message whose English stands for two things in another
 * language (a follow-up "Cancelled" is "Annulé", a briefing "Annulée"): ctx
 * tells them apart, as gettext's msgctxt.  The text is ctx, '\004', s, as
 * a compiled catalog keys it; i18n_text gives s itself when untranslated.
 * Only ever shown through i18n_text. */
#define NC_(ctx, s) ctx "\004" s
#define I18N_CONTEXT_END '\004'

/* Reads the embedded catalogs; once, at start-up.  0, or -1 with a reason. */
int i18n_load(char *err, size_t errlen);
void i18n_free(void);

/* The translation of msgid, or msgid itself when the catalog has none. */
const char *i18n_text(int lang, const char *msgid);
/* A translated sentence with its places filled: "{1}" … "{9}" in text
 * become values[0] … values[n-1] (NULL as nothing), appended to out, so
 * that each language puts the values where its grammar wants them. */
void i18n_fill(buf *out, const char *text, const char *const *values, int n);
/* msgid in lang with its places filled, as one string in a. */
const char *i18n_say(arena *a, int lang, const char *msgid, const char *const *values, int n);
/* The same, but NULL when there is no (non-empty) translation: for tests. */
const char *i18n_lookup(int lang, const char *msgid);

/* A language's own name, as the switch and the side-by-side fields show it:
 * "English", "Français", "Español"; "" out of range. */
const char *i18n_endonym(int lang);

/* "en", "fr", "es" → 0, 1, 2; anything else -1. */
int i18n_lang(const char *code);
/* The best of the three for an Accept-Language header (q-values honoured,
 * "fr-CH" matches French); English when none matches or header is NULL. */
int i18n_negotiate(const char *accept_language);

/* "2026-11-27" or "2026-11-27T14:05:00Z" as the language writes a date:
 * "27 November 2026", "27 novembre 2026", "27 de noviembre de 2026".
 * A value that is not such a date is written as it is. */
void i18n_date(int lang, const char *iso, buf *out);
/* The same with the time of day (UTC, 24-hour): "27 November 2026, 14:05". */
void i18n_datetime(int lang, const char *iso, buf *out);
/* The name of a month (1–12) and of a weekday (0 Monday … 6 Sunday), as
 * the language writes them inside a sentence ("mars", "lundi"); "" out of range. */
const char *i18n_month(int lang, int month);
const char *i18n_weekday(int lang, int day);
/* A number with decimals digits after the separator: 1250000 with 0 →
 * "1,250,000" / "1 250 000" (narrow no-break spaces) / "1.250.000". */
void i18n_number(int lang, int64_t value, int decimals, buf *out);
/* An amount in minor units of an ISO 4217 currency (2 decimals unless the
 * currency has none or three, e.g. JPY, KWD): "1,250,000.00 USD" /
 * "1 250 000,00 USD" / "1.250.000,00 USD". */
void i18n_money(int lang, int64_t minor_units, const char *currency, buf *out);
/* A number as people of the language type it into a form ("1 250 000,50",
 * "1.250.000,50", "1,250,000.50") in the plain form the API reads, into
 * out: "1250000.50".  Spaces and the language's group marks go, its decimal
 * mark becomes "."; a "." typed in French or Spanish where a decimal mark
 * fits ("1250.50") is one.  Anything else is left for the reader of the
 * plain form to refuse. */
void i18n_number_typed(int lang, const char *typed, buf *out);

#endif
