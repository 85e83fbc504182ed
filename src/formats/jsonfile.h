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

#endif
