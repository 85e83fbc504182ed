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
