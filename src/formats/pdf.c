/*
 * pdf — simple A4 documents written as PDF with Cairo and Pango; see pdf.h.
 *
 * The document is collected in memory first, as a list of blocks, and laid
 * out only in pdf_finish: nothing is drawn until the whole text is known,
 * and a caller that gives up midway has only memory to free.
 *
 * Every block becomes one PangoLayout as wide as the text column.  Layouts
 * are placed line by line, not whole: a line that does not fit above the
 * bottom margin starts the next page, so a page break falls between lines
 * and never through one, and a paragraph longer than a page still flows.
 * A bullet is one layout too: a tab stop and a hanging indent put its
 * text in a column of its own.  A fact is two layouts side by side, label
 * and value, each wrapping in its own column.
 *
 * Input text is repaired on the way in (broken UTF-8 becomes U+FFFD,
 * control characters go), because Pango, Cairo and PDF viewers all expect
 * valid UTF-8 and the text comes from users.
 */
#include "formats/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

/* A4 in points, and Cairo's PDF user unit is the point. */
#define PAGE_W    (210.0 / 25.4 * 72.0)
#define PAGE_H    (297.0 / 25.4 * 72.0)
#define MARGIN    (20.0 / 25.4 * 72.0)   /* 2 cm on every side */
#define TOP       MARGIN
#define BOTTOM    (PAGE_H - MARGIN)
#define COLUMN    (PAGE_W - 2 * MARGIN)
#define FONT      "DejaVu Sans"
#define SMALL     8.5     /* running header and page number */
#define KEEP      28.0    /* room a heading needs below it: about two body lines */
#define TIGHT     3.0     /* between bullets, or facts, of one list */
#define FACT_COL  150.0   /* where a fact's value starts, from the margin */
#define FACT_GAP  10.0    /* least room between a label and its value */
#define EPSILON   0.01    /* layout arithmetic is in 1/1024 pt; ignore its dust */

typedef enum { B_H1, B_H2, B_PARA, B_ITEM, B_FACT } block_kind;

/* How each kind of block looks, as data.  The space between two blocks is
 * the larger of the first's "after" and the second's "before", or TIGHT
 * inside a list, and none at the top of a page. */
static const struct style {
	double size;     /* font size, points */
	int bold;
	double before, after;
	double left;     /* shift of the whole block from the margin */
	double hang;     /* tab stop and hanging indent (bullets); 0 for none */
} styles[] = {
	[B_H1]   = { 16.0, 1, 14.0, 6.0, 0.0,  0.0 },
	[B_H2]   = { 12.5, 1, 10.0, 4.0, 0.0,  0.0 },
	[B_PARA] = { 10.5, 0,  0.0, 6.0, 0.0,  0.0 },
	[B_ITEM] = { 10.5, 0,  6.0, 6.0, 8.0, 12.0 },
	[B_FACT] = { 10.5, 0,  6.0, 6.0, 0.0,  0.0 },
};

typedef struct {
	block_kind kind;
	char *text;     /* valid UTF-8, ready for Pango; a fact's value */
	char *label;    /* a fact's label; NULL for the other kinds */
} block;

struct pdf_doc {
	char *title, *lang;
	block *blocks;
	size_t n, cap;
	int oom;        /* an append failed: pdf_finish reports it */
};

/* The state of one layout run. */
typedef struct {
	const pdf_doc *doc;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *ctx;
	double y;        /* top of the free space on the current page */
	int page;        /* 1-based */
	int outline;     /* outline id of the last level-1 heading */
} render;

/* ---- text repair ------------------------------------------------------- */

typedef enum {
	KEEP_BREAKS,   /* paragraphs: line breaks stay, tabs become spaces */
	ONE_LINE,      /* everything else: line breaks and tabs become spaces */
} repair_mode;

static void repair(buf *b, const char *s, repair_mode m)
{
	if (!s)
		return;
	const char *end = s + strlen(s);
	while (s < end) {
		gunichar c = g_utf8_get_char_validated(s, end - s);
		if (c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_validate(c)) {
			buf_add(b, "\xEF\xBF\xBD", 3);   /* U+FFFD for each broken byte */
			s++;
			continue;
		}
		const char *next = g_utf8_next_char(s);
		if (c == '\r' || c == '\n') {
			if (c == '\r' && *next == '\n')
				next++;
			buf_putc(b, m == KEEP_BREAKS ? '\n' : ' ');
		} else if (c == '\t') {
			buf_putc(b, ' ');
		} else if (!g_unichar_iscntrl(c)) {
			buf_add(b, s, (size_t)(next - s));
		}
		s = next;
	}
}

/* NULL only when out of memory. */
static char *repaired(const char *s, repair_mode m)
{
	buf b = BUF_INIT;
	repair(&b, s, m);
	return buf_steal(&b);
}

/* ---- the document model ------------------------------------------------ */

pdf_doc *pdf_new(const char *title, const char *lang)
{
	pdf_doc *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->title = repaired(title, ONE_LINE);
	d->lang = repaired(lang, ONE_LINE);
	if (!d->title || !d->lang) {
		free(d->title);
		free(d->lang);
		free(d);
		return NULL;
	}
	return d;
}

/* Takes ownership of text and label, which are NULL when they could not be
 * allocated. */
static void add(pdf_doc *d, block_kind kind, char *text, char *label)
{
	if (!text || (kind == B_FACT && !label)) {
		d->oom = 1;
		goto fail;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		block *p = realloc(d->blocks, cap * sizeof *p);
		if (!p) {
			d->oom = 1;
			goto fail;
		}
		d->blocks = p;
		d->cap = cap;
	}
	d->blocks[d->n++] = (block){ kind, text, label };
	return;
fail:
	free(text);
	free(label);
}

void pdf_heading(pdf_doc *d, int level, const char *text)
{
	if (!d)
		return;
	add(d, level <= 1 ? B_H1 : B_H2, repaired(text, ONE_LINE), NULL);
}

void pdf_paragraph(pdf_doc *d, const char *text)
{
	if (!d)
		return;
	add(d, B_PARA, repaired(text, KEEP_BREAKS), NULL);
}

void pdf_item(pdf_doc *d, const char *text)
{
	if (!d)
		return;
	buf b = BUF_INIT;
	buf_puts(&b, "\xE2\x80\xA2\t");   /* U+2022 BULLET, then the text column */
	repair(&b, text, ONE_LINE);
	add(d, B_ITEM, buf_steal(&b), NULL);
}

void pdf_fact(pdf_doc *d, const char *label, const char *value)
{
	if (!d)
		return;
	add(d, B_FACT, repaired(value, ONE_LINE), repaired(label, ONE_LINE));
}

static void doc_free(pdf_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].label);
	}
	free(d->blocks);
	free(d->title);
	free(d->lang);
	free(d);
}

/* ---- layouts ----------------------------------------------------------- */

static double pt(int pango_units) { return (double)pango_units / PANGO_SCALE; }

static PangoLayout *make_layout(render *r, double size, int bold, double width, const char *text)
{
	PangoLayout *l = pango_layout_new(r->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	/* words longer than the column are broken rather than overflowing */
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return pt(h);
}

/* A bullet's text sits in a column of its own: the tab after the bullet
 * reaches it, and the hanging indent keeps wrapped lines under it. */
static void set_hanging(PangoLayout *l, double hang)
{
	PangoTabArray *tabs = pango_tab_array_new_with_positions(1, FALSE, PANGO_TAB_LEFT,
	                                                         (int)(hang * PANGO_SCALE));
	pango_layout_set_tabs(l, tabs);
	pango_tab_array_free(tabs);
	pango_layout_set_indent(l, -(int)(hang * PANGO_SCALE));
}

static PangoLayout *block_layout(render *r, const block *b)
{
	const struct style *s = &styles[b->kind];
	PangoLayout *l = make_layout(r, s->size, s->bold, COLUMN - s->left, b->text);
	if (s->hang > 0)
		set_hanging(l, s->hang);
	return l;
}

/* ---- pages ------------------------------------------------------------- */

/* The running header: the title, shortened with an ellipsis when too long
 * for one line, over a thin rule. */
static void draw_header(render *r)
{
	if (!*r->doc->title)
		return;
	PangoLayout *l = make_layout(r, SMALL, 0, COLUMN, r->doc->title);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	cairo_set_source_rgb(r->cr, 0.35, 0.35, 0.35);
	cairo_move_to(r->cr, MARGIN, MARGIN - 26.0);
	pango_cairo_show_layout(r->cr, l);
	g_object_unref(l);
	cairo_set_line_width(r->cr, 0.5);
	cairo_move_to(r->cr, MARGIN, MARGIN - 10.0);
	cairo_line_to(r->cr, PAGE_W - MARGIN, MARGIN - 10.0);
	cairo_stroke(r->cr);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
}

/* The page number alone, in digits: it reads the same in every language. */
static void draw_footer(render *r)
{
	char num[16];
	snprintf(num, sizeof num, "%d", r->page);
	PangoLayout *l = make_layout(r, SMALL, 0, COLUMN, num);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(r->cr, 0.35, 0.35, 0.35);
	cairo_move_to(r->cr, MARGIN, BOTTOM + 16.0);
	pango_cairo_show_layout(r->cr, l);
	g_object_unref(l);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
}

static void begin_page(render *r)
{
	r->page++;
	r->y = TOP;
	draw_header(r);
}

/* Only pages that have a successor are shown here; the last one is
 * emitted by cairo_surface_finish. */
static void next_page(render *r)
{
	draw_footer(r);
	cairo_show_page(r->cr);
	begin_page(r);
}

static int at_top(const render *r) { return r->y <= TOP + EPSILON; }

/* Start a new page unless h more points fit on this one.  Content taller
 * than a whole page stays where it is: moving it on would never end. */
static void need(render *r, double h)
{
	if (r->y + h > BOTTOM + EPSILON && !at_top(r))
		next_page(r);
}

/* Draw layout l with its left edge at x, line by line from r->y, breaking
 * the page between lines.  *page and *top receive where the first line
 * went, for the outline. */
static void draw_lines(render *r, PangoLayout *l, double x, int *page, double *top)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double origin = r->y;   /* page position of the layout's top edge */
	int first = 1;
	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		r->y = origin + pt(y0);
		need(r, pt(y1 - y0));
		origin = r->y - pt(y0);
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle placed, own;
		pango_layout_iter_get_line_extents(it, NULL, &placed);
		pango_layout_line_get_extents(line, NULL, &own);
		/* placed.x includes the hanging indent and alignment; own.x is
		 * applied again by show_layout_line */
		cairo_move_to(r->cr, x + pt(placed.x - own.x), origin + pt(pango_layout_iter_get_baseline(it)));
		pango_cairo_show_layout_line(r->cr, line);
		if (first) {
			*page = r->page;
			*top = r->y;
			first = 0;
		}
		r->y = origin + pt(y1);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* A heading becomes a bookmark in the viewer's outline; level 2 sits under
 * the level 1 before it. */
static void add_outline(render *r, const block *b, int page, double top)
{
	if (!*b->text)
		return;
	char dest[64];
	snprintf(dest, sizeof dest, "page=%d pos=[%d %d]", page, (int)MARGIN, (int)top);
	int parent = b->kind == B_H2 ? r->outline : CAIRO_PDF_OUTLINE_ROOT;
	int id = cairo_pdf_surface_add_outline(r->surface, parent, b->text, dest,
	                                       b->kind == B_H1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
	if (b->kind == B_H1)
		r->outline = id;
}

static void place_heading(render *r, const block *b)
{
	PangoLayout *l = block_layout(r, b);
	/* a heading alone at the foot of a page goes with what it heads */
	need(r, height(l) + KEEP);
	int page;
	double top;
	draw_lines(r, l, MARGIN, &page, &top);
	add_outline(r, b, page, top);
	g_object_unref(l);
}

static void place_text(render *r, const block *b)
{
	PangoLayout *l = block_layout(r, b);
	int page;
	double top;
	draw_lines(r, l, MARGIN + styles[b->kind].left, &page, &top);
	g_object_unref(l);
}

/* Label and value side by side, each wrapping in its own column.  A fact
 * is kept whole on one page; only a value longer than a page flows on. */
static void place_fact(render *r, const block *b)
{
	const struct style *s = &styles[B_FACT];
	PangoLayout *label = make_layout(r, s->size, 1, FACT_COL - FACT_GAP, b->label);
	PangoLayout *value = make_layout(r, s->size, 0, COLUMN - FACT_COL, b->text);
	double hl = height(label), hv = height(value);
	need(r, hl > hv ? hl : hv);
	int page;
	double top;
	cairo_move_to(r->cr, MARGIN, r->y);
	pango_cairo_show_layout(r->cr, label);
	draw_lines(r, value, MARGIN + FACT_COL, &page, &top);
	if (r->page == page && r->y < top + hl)
		r->y = top + hl;
	g_object_unref(label);
	g_object_unref(value);
}

static double gap(const block *prev, const block *b)
{
	if (!prev)
		return 0.0;
	if (prev->kind == b->kind && (b->kind == B_ITEM || b->kind == B_FACT))
		return TIGHT;
	double after = styles[prev->kind].after, before = styles[b->kind].before;
	return after > before ? after : before;
}

static void place_block(render *r, const block *prev, const block *b)
{
	if (!at_top(r))
		r->y += gap(prev, b);
	switch (b->kind) {
	case B_H1:
	case B_H2:
		place_heading(r, b);
		break;
	case B_FACT:
		place_fact(r, b);
		break;
	case B_PARA:
	case B_ITEM:
		place_text(r, b);
		break;
	}
}

/* ---- output ------------------------------------------------------------ */

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

static void say(char *err, size_t errlen, const char *what, const char *detail)
{
	if (err && errlen)
		snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static void start(render *r, buf *bytes)
{
	const pdf_doc *d = r->doc;
	r->surface = cairo_pdf_surface_create_for_stream(sink, bytes, PAGE_W, PAGE_H);
	if (*d->title)
		cairo_pdf_surface_set_metadata(r->surface, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(r->surface, CAIRO_PDF_METADATA_CREATOR, "Liaison");
	r->cr = cairo_create(r->surface);
	r->ctx = pango_cairo_create_context(r->cr);
	/* the language picks shaping rules, line-break rules and the font
	 * fallback for characters DejaVu lacks */
	if (*d->lang)
		pango_context_set_language(r->ctx, pango_language_from_string(d->lang));
}

int pdf_finish(pdf_doc *d, buf *out, char *err, size_t errlen)
{
	if (!d) {
		say(err, errlen, "out of memory", NULL);
		return -1;
	}
	int rc = -1;
	buf bytes = BUF_INIT;
	render r = { .doc = d };
	if (d->oom) {
		say(err, errlen, "out of memory", NULL);
		goto done;
	}
	start(&r, &bytes);
	begin_page(&r);
	for (size_t i = 0; i < d->n; i++)
		place_block(&r, i ? &d->blocks[i - 1] : NULL, &d->blocks[i]);
	draw_footer(&r);
	cairo_status_t status = cairo_status(r.cr);
	if (status == CAIRO_STATUS_SUCCESS) {
		cairo_surface_finish(r.surface);
		status = cairo_surface_status(r.surface);
	}
	if (status != CAIRO_STATUS_SUCCESS) {
		say(err, errlen, "cairo", cairo_status_to_string(status));
		goto done;
	}
	buf_add(out, bytes.data, bytes.len);
	rc = 0;
done:
	if (r.ctx)
		g_object_unref(r.ctx);
	if (r.cr)
		cairo_destroy(r.cr);
	if (r.surface)
		cairo_surface_destroy(r.surface);   /* may still write: bytes outlives it */
	buf_free(&bytes);
	doc_free(d);
	return rc;
}
