/*
 * demowords — the words the demo's invented partners are made of: kinds of
 * body and subjects in three languages, places from two syllables, given and
 * family names.  Shared by the demo (demo.c) and by the labelled pairs that
 * measure the duplicate check against it (duppairs.c).
 */
#ifndef LIAISON_DEMOWORDS_H
#define LIAISON_DEMOWORDS_H

#include <stddef.h>

typedef struct demo_tri {
	const char *en, *fr, *es;
} demo_tri;

extern const demo_tri demo_bodies[], demo_topics[];
extern const char *const demo_places_start[], *const demo_places_end[];  /* a place: one of each */
extern const char *const demo_given[], *const demo_family[];
extern const size_t demo_nbodies, demo_ntopics, demo_nplaces_start, demo_nplaces_end, demo_ngiven, demo_nfamily;

#endif
