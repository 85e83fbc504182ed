/*
 * jsonfile — a settings file: one JSON object, read whole, with the one
 * line that says where it is wrong when it is not.
 */
#ifndef LIAISON_JSONFILE_H
#define LIAISON_JSONFILE_H

#include <stddef.h>

#include <jansson.h>

/* The object in the file at path (json_decref it); NULL with
 * "PATH:LINE: what is wrong" in err. */
json_t *json_file_object(const char *path, char *err, size_t errlen);

/* The whole number from lo to hi at name in the object o (NULL: none), into
 * *out when it is there; 0, or -1 with "SECTION.NAME must be a whole number
 * from LO to HI" in err and *out as it was. */
int json_file_int(json_t *o, const char *section, const char *name, int lo, int hi, int *out, char *err,
		  size_t errlen);

#endif
