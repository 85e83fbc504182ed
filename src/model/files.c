/*
 * files — keeping the files given to records, and giving them back; see
 * files.h.
 *
 * The columns are the same in every area's table, so that one writer and
 * one reader serve them all; only the table, the column that names the
 * record, and whether earlier files stay (a donor's reports, each one a
 * piece of the record's history) or give way (a version's document,
 * replaced) differ, and the area says which.
 */
#include "model/files.h"

#include <stdio.h>

#include "core/clock.h"

const char *files_name(model_ctx *m, const char *asked, const char *stem, const file_facts *f)
{
	if (filetype_name_ok(asked))
		return arena_strdup(&m->a, asked);
	/* a record's name may hold a slash ("C/115/1"): a dash stands for each character a header cannot take */
	char *name = arena_printf(&m->a, "%.180s.%s", stem && *stem ? stem : "file", f->extension);
	for (unsigned char *s = (unsigned char *)name; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '"' || *s == '/' || *s == '\\')
			*s = '-';
	return name;
}

int files_keep(model_ctx *m, store_conn *c, const file_table *t, int64_t key, const unsigned char *data,
	       const file_facts *f, const char *name)
{
	char now[32];
	clock_now_iso(now);
	const char *const cols[] = { t->key, "name", "type", "size", "sha256", "content", "uploaded_at", "uploaded_by" };
	store_value vals[] = { SV_INT_(key), sv_text(name), sv_text(f->media), SV_INT_((int64_t)f->size),
			       sv_text(f->sha256), sv_blob(data, f->size), sv_text(now),
			       m->u->id > 0 ? SV_INT_(m->u->id) : SV_NUL };
	store_cond w = COND_EQ(t->key, SV_INT_(key));
	if (!t->keeps_all && store_delete(c, t->table, &w, 1) != STORE_OK)
		return model_fail(m, 500, "Store error", "the earlier file could not be replaced");
	if (store_insert(c, t->table, cols, vals, (int)(sizeof cols / sizeof *cols), NULL) != STORE_OK)
		return model_fail(m, 500, "Store error", "the file could not be kept");
	return 0;
}

typedef struct file_read {
	arena *a;
	kept_file *out;
	int found;
} file_read;

static int take_file(void *ctx, store_row *row)
{
	file_read *fr = ctx;
	kept_file *k = fr->out;
	size_t n = 0;
	const char *content = store_text(row, 5, &n);
	k->name = arena_strdup(fr->a, store_text(row, 0, NULL));
	k->media = arena_strdup(fr->a, store_text(row, 1, NULL));
	k->sha256 = arena_strdup(fr->a, store_text(row, 2, NULL));
	k->uploaded_at = arena_strdup(fr->a, store_text(row, 3, NULL));
	k->uploaded_by = store_isnull(row, 4) ? 0 : store_int(row, 4);
	k->content = content ? arena_strndup(fr->a, content, n) : arena_strdup(fr->a, "");
	k->size = content ? n : 0;
	fr->found = 1;
	return 1;   /* the first row is the newest */
}

int files_newest(model_ctx *m, store_conn *c, const file_table *t, int64_t key, kept_file *out)
{
	store_cond w = COND_EQ(t->key, SV_INT_(key));
	store_order newest = { "id", 1, NOT_NULL };
	store_select q = { .table = t->table,
			   .cols = (const char *[]){ "name", "type", "sha256", "uploaded_at", "uploaded_by", "content" },
			   .ncols = 6, .where = &w, .nwhere = 1, .order = t->keeps_all ? &newest : NULL,
			   .norder = t->keeps_all, .limit = 1 };
	file_read fr = { &m->a, out, 0 };
	if (store_query(c, &q, take_file, &fr) != STORE_OK)
		return model_fail(m, 500, "Store error", "the file could not be read");
	return fr.found;
}

const char *files_size(model_ctx *m, size_t n)
{
	if (n < 1024)
		return arena_printf(&m->a, "%zu bytes", n);
	if (n < 1024 * 1024)
		return arena_printf(&m->a, "%zu KB", (n + 512) / 1024);
	return arena_printf(&m->a, "%.1f MB", (double)n / (1024.0 * 1024.0));
}

int files_check(model_ctx *m, const file_given *g, unsigned accepted, file_facts *out)
{
	char why[256];
	if (!g->len)
		return model_fail(m, 400, "Bad Request", "the body is empty: send the file");
	if (filetype_check(g->data, g->len, g->content_type, accepted, out, why, sizeof why))
		return model_fail(m, 415, "Unsupported Media Type", "%s", why);
	return 0;
}
