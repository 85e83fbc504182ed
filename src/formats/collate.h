/*
 * collate — names put in the order a language's readers expect, by ICU's
 * collation for that language: in French "Égypte" comes with the E's, in
 * Spanish "Ñ" after "N", as the lists of participants of the United Nations
 * order them.  Plain byte order would put every accented initial last.
 */
#ifndef LIAISON_COLLATE_H
#define LIAISON_COLLATE_H

#include <stddef.h>

/* order[0..n) becomes the indexes of texts (UTF-8) in lang's order ("fr");
 * equal texts keep their first order.  0, or -1 when ICU has no collator
 * for lang or memory ran out (order then as given). */
int collate_order(const char *lang, const char *const *texts, size_t n, size_t *order);

#endif
