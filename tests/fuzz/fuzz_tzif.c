/*
 * fuzz_tzif — the TZif reader (src/formats/tzif.c) on any file: a damaged
 * file is refused with a reason; an accepted one answers every question
 * within the bounds tzif.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/tzif.h"

/* Instants to ask about: some fixed, some taken from the input's last
 * bytes, so the fuzzer can aim at a file's own transitions. */
static void ask(const tz *z, int64_t t)
{
	int32_t off = tz_offset(z, t);
	if (off < -89999 || off > 93599)
		abort();
	int64_t next = tz_next_change(z, t);
	if (next <= t && next != INT64_MAX)
		abort();
	tz_to_utc(z, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tz *z;
	char err[200];
	if (tz_parse(data, size, &z, err, sizeof err) < 0) {
		if (!err[0])
			abort();
		return 0;
	}
	static const int64_t fixed[] = { INT64_MIN, -INT64_C(100000000000000), -1, 0, 1, 1700000000,
					 4102444800, INT64_C(100000000000000), INT64_MAX };
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		ask(z, fixed[i]);
	if (size >= 8) {
		int64_t t;
		memcpy(&t, data + size - 8, 8);
		ask(z, t);
	}
	tz_free(z);
	return 0;
}
