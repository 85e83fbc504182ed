/*
 * jsonfile — a settings file read as one JSON object; see jsonfile.h.
 */
#include "formats/jsonfile.h"

#include <stdio.h>

json_t *json_file_object(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (root && json_is_object(root))
		return root;
	snprintf(err, errlen, "%s:%d: %s", path, je.line, root ? "not a JSON object" : je.text);
	json_decref(root);
	return NULL;
}

int json_file_int(json_t *o, const char *section, const char *name, int lo, int hi, int *out, char *err,
		  size_t errlen)
{
	json_t *v = json_object_get(o, name);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(err, errlen, "%s.%s must be a whole number from %d to %d", section, name, lo, hi);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}
