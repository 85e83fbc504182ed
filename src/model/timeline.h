/*
 * timeline — a record's dated events, newest first.
 *
 * A kind whose records are events names its date field (entity_def.dated:
 * an interaction's "date").  The timeline of any record is then the events
 * of every such kind whose fields refer to it, as the registry says
 * (field_refers): an organization's interactions, a person's, and whatever
 * dated kind an area adds later, merged into one page.  Nothing here or in
 * the pages names a kind.
 */
#ifndef LIAISON_TIMELINE_H
#define LIAISON_TIMELINE_H

#include "model/model.h"

/* Whether records of kind e have a timeline: some dated kind refers to e. */
int timeline_of_kind(const registry *reg, const entity *e);

/* The events of the record of kind e with this id (or key) the user may
 * read, newest first: {"items": [{"kind", "date", "record"}], "next_cursor"}
 * into m's body; 404 when the record is not there or not theirs to read,
 * 400 for a cursor that is not one of ours. */
int model_timeline(model_ctx *m, const entity *e, const char *id, const char *cursor, int64_t limit);

#endif
