/*
 * embed — files compiled into the binary (migrations, later templates and
 * message catalogs), so that a single executable carries everything it needs.
 * The build generates one array per folder with tools/embed.py; the array
 * ends with an entry whose name is NULL.  Entries are sorted by name.
 */
#ifndef LIAISON_EMBED_H
#define LIAISON_EMBED_H

#include <stddef.h>

typedef struct embedded_file {
	const char *name;
	const char *data;  /* NUL-terminated */
	size_t len;
} embedded_file;

extern const embedded_file migrations[];
extern const embedded_file web_templates[];  /* src/web/templates/ *.html */
extern const embedded_file web_static[];     /* src/web/static/: css, js */
extern const embedded_file web_catalogs[];   /* en.mo, fr.mo, es.mo from src/web/po */

#endif
