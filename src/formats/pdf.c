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
 * A bullet is two layouts, the bullet and its text in a column of its own,
 * so that each can be tagged (Lbl, LBody).  A fact is two layouts side by
 * side, label and value, each wrapping in its own column; a table row is
 * one layout per cell, in columns of equal width, kept on one page.  A bar
 * chart is drawn whole on one page: the legend, then per category its
 * label and its group of bars, the axis's ticks under them; its texts (and
 * the ticks' numbers, written when the chart is given) are glyph outlines.
 *
 * Tags: each block's drawing is wrapped in cairo_tag_begin/end with its
 * structure type; the first block of a run of bullets, facts or rows opens
 * the run's L or Table and the last closes it.  Cairo builds the structure
 * tree and the marked content from that, under one Document element (the
 * root readers expect), across page breaks.  The running header and the
 * page numbers must stay out of what is read aloud, but Cairo 1.16 has no
 * artifacts and marks whatever is drawn while a tag is open, and a page
 * break falls inside open tags: so they are drawn as the outlines of their
 * glyphs, ink without text.  So are a chart's words: the chart is a Figure,
 * and what a reader hears of it is its /Alt, which Cairo 1.16 cannot write
 * either: like the catalog's entries, it is added after Cairo has written
 * the file (update_objects).
 *
 * Input text is repaired on the way in (broken UTF-8 becomes U+FFFD,
 * control characters go), because Pango, Cairo and PDF viewers all expect
 * valid UTF-8 and the text comes from users.
 */
#include "formats/pdf.h"

#include <ctype.h>
#include <math.h>
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

typedef enum { B_H1, B_H2, B_PARA, B_ITEM, B_FACT, B_ROW, B_FIGURE, B_BREAK } block_kind;

/* How each kind of block looks, as data.  The space between two blocks is
 * the larger of the first's "after" and the second's "before", or TIGHT
 * inside a list, and none at the top of a page. */
static const struct style {
	double size;     /* font size, points */
	int bold;
	double before, after;
	double left;     /* shift of the whole block from the margin */
	double hang;     /* the bullet's column, where an item's text starts; 0 for none */
} styles[] = {
	[B_H1]   = { 16.0, 1, 14.0, 6.0, 0.0,  0.0 },
	[B_H2]   = { 12.5, 1, 10.0, 4.0, 0.0,  0.0 },
	[B_PARA] = { 10.5, 0,  0.0, 6.0, 0.0,  0.0 },
	[B_ITEM] = { 10.5, 0,  6.0, 6.0, 8.0, 12.0 },
	[B_FACT] = { 10.5, 0,  6.0, 6.0, 0.0,  0.0 },
	[B_ROW]  = { 10.5, 0,  6.0, 6.0, 0.0,  0.0 },
	[B_FIGURE] = { SMALL, 0, 10.0, 10.0, 0.0, 0.0 },
	[B_BREAK] = { 0 },
};

/* The structure type of each kind of block, and of the run it belongs to. */
static const struct tags {
	const char *block, *run;
} tags[] = {
	[B_H1]   = { "H1", NULL },
	[B_H2]   = { "H2", NULL },
	[B_PARA] = { "P", NULL },
	[B_ITEM] = { "LI", "L" },
	[B_FACT] = { "TR", "Table" },
	[B_ROW]  = { "TR", "Table" },
	[B_FIGURE] = { "Figure", NULL },
	[B_BREAK] = { NULL, NULL },   /* no content: nothing to tag */
};

#define CELL_GAP  8.0     /* between the columns of a table */
#define HEAD_RULE 0.5     /* the line under a table's header row */

/* A bar chart's measures, in points. */
#define BAR_H      9.0    /* one bar's thickness */
#define BAR_GAP    1.5    /* between the bars of one category */
#define GROUP_GAP  7.0    /* between categories */
#define LABEL_COL  (COLUMN * 0.32)   /* the categories' names, right-aligned */
#define VALUE_ROOM 96.0   /* right of the longest bar, for its value's text */
#define LEGEND_H   16.0
#define AXIS_H     14.0   /* the ticks' numbers */
#define SWATCH     8.0
#define TICK_W     60.0
#define INK        "#222222"   /* chart.h's text colour: 15.9:1 on white */
#define GRID       "#D9D9D9"
#define AXIS_LINE  "#767676"

/* A bar chart's data, every text repaired and every tick written. */
typedef struct {
	size_t n, nseries;
	char **categories;    /* n */
	char **names;         /* nseries: the legend */
	double *values;       /* n × nseries, a category's series together */
	char **labels;        /* n × nseries: each value as written */
	chart_axis axis;
	char **ticks;         /* axis.intervals + 1 */
} figure;

typedef struct {
	block_kind kind;
	char *text;     /* valid UTF-8, ready for Pango; a fact's value; a figure's /Alt; NULL for a row */
	char *label;    /* a fact's label; NULL for the other kinds */
	char **cells;   /* a row's cells (ncells of them); NULL for the other kinds */
	int ncells;
	int header;     /* a header row */
	figure *fig;    /* a chart's data; NULL for the other kinds */
} block;

struct pdf_doc {
	char *title, *lang;
	char *marking;  /* drawn at the top and bottom of every page, or NULL */
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

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void figure_free(figure *f)
{
	if (!f)
		return;
	strings_free(f->categories, f->n);
	strings_free(f->names, f->nseries);
	strings_free(f->labels, f->n * f->nseries);
	strings_free(f->ticks, f->axis.intervals + 1);
	free(f->values);
	free(f);
}

static void block_free(block *b)
{
	figure_free(b->fig);
	free(b->text);
	free(b->label);
	for (int i = 0; i < b->ncells; i++)
		free(b->cells[i]);
	free(b->cells);
}

/* Appends b, taking what it holds; a block whose strings could not be
 * allocated (NULL where one is needed) marks the document out of memory. */
static void add_block(pdf_doc *d, block b)
{
	int whole = b.kind == B_ROW      ? b.cells != NULL
		    : b.kind == B_FIGURE ? b.text && b.fig
					 : b.kind == B_BREAK || (b.text && (b.kind != B_FACT || b.label));
	for (int i = 0; whole && i < b.ncells; i++)
		whole = b.cells[i] != NULL;
	if (!whole)
		goto fail;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		block *p = realloc(d->blocks, cap * sizeof *p);
		if (!p)
			goto fail;
		d->blocks = p;
		d->cap = cap;
	}
	d->blocks[d->n++] = b;
	return;
fail:
	d->oom = 1;
	block_free(&b);
}

static void add(pdf_doc *d, block_kind kind, char *text, char *label)
{
	add_block(d, (block){ .kind = kind, .text = text, .label = label });
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
	add(d, B_ITEM, repaired(text, ONE_LINE), NULL);
}

void pdf_fact(pdf_doc *d, const char *label, const char *value)
{
	if (!d)
		return;
	add(d, B_FACT, repaired(value, ONE_LINE), repaired(label, ONE_LINE));
}

void pdf_row(pdf_doc *d, int header, const char *const *cells, int n)
{
	if (!d || n < 1)
		return;
	if (n > PDF_MAX_CELLS)
		n = PDF_MAX_CELLS;
	block b = { .kind = B_ROW, .header = header, .cells = calloc((size_t)n, sizeof(char *)) };
	if (b.cells) {
		b.ncells = n;
		for (int i = 0; i < n; i++)
			b.cells[i] = repaired(cells ? cells[i] : NULL, ONE_LINE);
	}
	add_block(d, b);
}

/* n strings, each repaired; NULL when any could not be made. */
static char **repaired_all(const char *const *v, size_t n)
{
	char **out = calloc(n ? n : 1, sizeof *out);
	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = repaired(v ? v[i] : NULL, ONE_LINE))) {
			strings_free(out, i);
			return NULL;
		}
	return out;
}

/* The ticks' texts, 0 to the axis's top: format's, else digits. */
static char **tick_texts(chart_axis axis, chart_format_fn format, void *ctx)
{
	char **out = calloc(axis.intervals + 1, sizeof *out);
	for (unsigned i = 0; out && i <= axis.intervals; i++) {
		buf b = BUF_INIT;
		if (format)
			format(axis.step * i, &b, ctx);
		else
			buf_printf(&b, "%.15g", axis.step * i);
		out[i] = repaired(buf_str(&b), ONE_LINE);
		buf_free(&b);
		if (!out[i]) {
			strings_free(out, i);
			return NULL;
		}
	}
	return out;
}

/* The chart's data copied, its axis and ticks worked out; NULL when out of memory. */
static figure *figure_new(const char *const *categories, size_t n, const chart_series *series, size_t nseries,
			  chart_format_fn format, void *ctx)
{
	figure *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->n = n;
	f->nseries = nseries;
	f->values = calloc(n * nseries, sizeof *f->values);
	f->labels = calloc(n * nseries, sizeof *f->labels);
	f->categories = repaired_all(categories, n);
	f->names = calloc(nseries, sizeof *f->names);
	if (!f->values || !f->labels || !f->categories || !f->names)
		goto fail;
	double max = 0;
	for (size_t s = 0; s < nseries; s++) {
		if (!(f->names[s] = repaired(series[s].name, ONE_LINE)))
			goto fail;
		for (size_t c = 0; c < n; c++) {
			double v = series[s].values ? series[s].values[c] : 0;
			f->values[c * nseries + s] = isfinite(v) && v > 0 ? v : 0;
			max = fmax(max, f->values[c * nseries + s]);
			if (!(f->labels[c * nseries + s] = repaired(series[s].labels ? series[s].labels[c] : NULL, ONE_LINE)))
				goto fail;
		}
	}
	f->axis = chart_nice_axis(max);
	if (!(f->ticks = tick_texts(f->axis, format, ctx)))
		goto fail;
	return f;
fail:
	figure_free(f);
	return NULL;
}

void pdf_bars(pdf_doc *d, const char *alt, const char *const *categories, size_t n, const chart_series *series,
	      size_t nseries, chart_format_fn format, void *ctx)
{
	if (!d || n == 0 || nseries == 0 || !series)
		return;   /* nothing to draw */
	n = n > PDF_MAX_BARS ? PDF_MAX_BARS : n;
	nseries = nseries > PDF_MAX_SERIES ? PDF_MAX_SERIES : nseries;
	add_block(d, (block){ .kind = B_FIGURE, .text = repaired(alt, ONE_LINE),
			      .fig = figure_new(categories, n, series, nseries, format, ctx) });
}

void pdf_page_break(pdf_doc *d)
{
	if (d)
		add_block(d, (block){ .kind = B_BREAK });
}

void pdf_marking(pdf_doc *d, const char *text)
{
	if (!d)
		return;
	free(d->marking);
	d->marking = text && *text ? repaired(text, ONE_LINE) : NULL;
	if (text && *text && !d->marking)
		d->oom = 1;
}

static void doc_free(pdf_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		block_free(&d->blocks[i]);
	free(d->blocks);
	free(d->title);
	free(d->lang);
	free(d->marking);
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

/* A block's text in its column: a bullet's text starts after the bullet's
 * own column (hang), and wrapped lines stay under it. */
static PangoLayout *block_layout(render *r, const block *b)
{
	const struct style *s = &styles[b->kind];
	return make_layout(r, s->size, s->bold, COLUMN - s->left - s->hang, b->text);
}

/* ---- pages ------------------------------------------------------------- */

/* Ink without text: a layout's glyph outlines, filled.  What repeats on
 * every page stays out of the text layer and the structure (see above). */
static void decoration(render *r, PangoLayout *l)
{
	pango_cairo_layout_path(r->cr, l);
	cairo_fill(r->cr);
}

/* The marking (a classification), bold and centred, its top at y. */
static void draw_marking(render *r, double y)
{
	if (!r->doc->marking)
		return;
	PangoLayout *l = make_layout(r, SMALL, 1, COLUMN, r->doc->marking);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_move_to(r->cr, MARGIN, y);
	decoration(r, l);
	g_object_unref(l);
}

/* The running header: the marking, then the title, shortened with an
 * ellipsis when too long for one line, over a thin rule. */
static void draw_header(render *r)
{
	draw_marking(r, MARGIN - 42.0);
	if (!*r->doc->title)
		return;
	PangoLayout *l = make_layout(r, SMALL, 0, COLUMN, r->doc->title);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	cairo_set_source_rgb(r->cr, 0.35, 0.35, 0.35);
	cairo_move_to(r->cr, MARGIN, MARGIN - 26.0);
	decoration(r, l);
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
	decoration(r, l);
	g_object_unref(l);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	draw_marking(r, BOTTOM + 30.0);
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
		/* placed.x includes the alignment; own.x is
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

/* Draw l whole at (x, y), tagged as tag. */
static void show_tagged(render *r, const char *tag, PangoLayout *l, double x, double y)
{
	cairo_tag_begin(r->cr, tag, NULL);
	cairo_move_to(r->cr, x, y);
	pango_cairo_show_layout(r->cr, l);
	cairo_tag_end(r->cr, tag);
}

/* The bullet (Lbl) on the baseline of the text's first line, then the text
 * (LBody) in its column, flowing over pages like a paragraph. */
static void place_item(render *r, const block *b)
{
	const struct style *s = &styles[B_ITEM];
	PangoLayout *text = block_layout(r, b);
	PangoLayout *bullet = make_layout(r, s->size, 0, s->hang, "\xE2\x80\xA2");   /* U+2022 BULLET */
	PangoLayoutIter *it = pango_layout_get_iter(text);
	int y0, y1;
	pango_layout_iter_get_line_yrange(it, &y0, &y1);
	pango_layout_iter_free(it);
	need(r, pt(y1 - y0));   /* the bullet goes where the first line will */
	double shift = pt(pango_layout_get_baseline(text) - pango_layout_get_baseline(bullet));
	show_tagged(r, "Lbl", bullet, MARGIN + s->left, r->y + shift);
	int page;
	double top;
	cairo_tag_begin(r->cr, "LBody", NULL);
	draw_lines(r, text, MARGIN + s->left + s->hang, &page, &top);
	cairo_tag_end(r->cr, "LBody");
	g_object_unref(bullet);
	g_object_unref(text);
}

/* Label (TH) and value (TD) side by side, each wrapping in its own column.
 * A fact is kept whole on one page; only a value longer than a page flows on. */
static void place_fact(render *r, const block *b)
{
	const struct style *s = &styles[B_FACT];
	PangoLayout *label = make_layout(r, s->size, 1, FACT_COL - FACT_GAP, b->label);
	PangoLayout *value = make_layout(r, s->size, 0, COLUMN - FACT_COL, b->text);
	double hl = height(label), hv = height(value);
	need(r, hl > hv ? hl : hv);
	int page;
	double top;
	show_tagged(r, "TH", label, MARGIN, r->y);
	cairo_tag_begin(r->cr, "TD", NULL);
	draw_lines(r, value, MARGIN + FACT_COL, &page, &top);
	cairo_tag_end(r->cr, "TD");
	if (r->page == page && r->y < top + hl)
		r->y = top + hl;
	g_object_unref(label);
	g_object_unref(value);
}

/* A table row: its cells in columns of equal width, TH in a header row and
 * TD elsewhere, the row kept on one page. */
static void place_row(render *r, const block *b)
{
	const struct style *s = &styles[B_ROW];
	double width = (COLUMN - (b->ncells - 1) * CELL_GAP) / b->ncells, h = 0;
	PangoLayout *cells[PDF_MAX_CELLS];
	for (int i = 0; i < b->ncells; i++) {
		cells[i] = make_layout(r, s->size, b->header, width, b->cells[i]);
		if (height(cells[i]) > h)
			h = height(cells[i]);
	}
	need(r, h);
	for (int i = 0; i < b->ncells; i++) {
		show_tagged(r, b->header ? "TH" : "TD", cells[i], MARGIN + i * (width + CELL_GAP), r->y);
		g_object_unref(cells[i]);
	}
	r->y += h;
}

/* ---- charts ------------------------------------------------------------- */

static void set_colour(render *r, const char *hex)
{
	unsigned long v = strtoul(hex + 1, NULL, 16);   /* "#RRGGBB" */
	cairo_set_source_rgb(r->cr, ((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0);
}

static double text_width(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return pt(w);
}

/* A chart's text as ink: in width (ellipsized when longer), aligned, its top at (x, y). */
static void chart_text(render *r, const char *text, double x, double y, double width, PangoAlignment align)
{
	PangoLayout *l = make_layout(r, SMALL, 0, width, text);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, align);
	cairo_move_to(r->cr, x, y);
	decoration(r, l);
	g_object_unref(l);
}

static double group_height(const figure *f) { return (double)f->nseries * BAR_H + (double)(f->nseries - 1) * BAR_GAP; }

static double figure_height(const figure *f)
{
	return LEGEND_H + (double)f->n * group_height(f) + (double)(f->n - 1) * GROUP_GAP + 4.0 + AXIS_H;
}

/* The series' swatches and names in a row above the bars. */
static void draw_legend(render *r, const figure *f, double x, double y)
{
	for (size_t s = 0; s < f->nseries; s++) {
		set_colour(r, chart_colour(s));
		cairo_rectangle(r->cr, x, y + 1.5, SWATCH, SWATCH);
		cairo_fill(r->cr);
		PangoLayout *l = make_layout(r, SMALL, 0, COLUMN, f->names[s]);
		set_colour(r, INK);
		cairo_move_to(r->cr, x + SWATCH + 4.0, y);
		decoration(r, l);
		x += SWATCH + 4.0 + text_width(l) + 14.0;
		g_object_unref(l);
	}
}

/* The grid lines at the ticks, their numbers under them, and the zero line. */
static void draw_axis(render *r, const figure *f, double x0, double width, double top, double bottom)
{
	cairo_set_line_width(r->cr, 0.5);
	for (unsigned t = 0; t <= f->axis.intervals; t++) {
		double x = x0 + width * t / f->axis.intervals;
		set_colour(r, t ? GRID : AXIS_LINE);
		cairo_move_to(r->cr, x, top);
		cairo_line_to(r->cr, x, bottom);
		cairo_stroke(r->cr);
		set_colour(r, INK);
		chart_text(r, f->ticks[t], x - TICK_W / 2, bottom + 2.0, TICK_W, PANGO_ALIGN_CENTER);
	}
}

/* Per category its name, right-aligned beside its group of bars, each bar's value at its end. */
static void place_figure(render *r, const block *b)
{
	const figure *f = b->fig;
	double h = figure_height(f), x0 = MARGIN + LABEL_COL + 6.0, width = COLUMN - LABEL_COL - 6.0 - VALUE_ROOM;
	need(r, h);
	double top = r->y, bars = top + LEGEND_H, bottom = top + h - AXIS_H;
	draw_legend(r, f, x0, top);
	draw_axis(r, f, x0, width, bars - 2.0, bottom);
	for (size_t c = 0; c < f->n; c++) {
		double y = bars + (double)c * (group_height(f) + GROUP_GAP);
		set_colour(r, INK);
		chart_text(r, f->categories[c], MARGIN, y + group_height(f) / 2 - SMALL * 0.6, LABEL_COL, PANGO_ALIGN_RIGHT);
		for (size_t s = 0; s < f->nseries; s++, y += BAR_H + BAR_GAP) {
			double v = f->values[c * f->nseries + s];
			double len = f->axis.top > 0 ? width * v / f->axis.top : 0;
			set_colour(r, chart_colour(s));
			cairo_rectangle(r->cr, x0, y, len, BAR_H);
			cairo_fill(r->cr);
			set_colour(r, INK);
			chart_text(r, f->labels[c * f->nseries + s], x0 + len + 3.0, y + BAR_H / 2 - SMALL * 0.6, VALUE_ROOM - 3.0,
				   PANGO_ALIGN_LEFT);
		}
	}
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	r->y = top + h;
}

static double gap(const block *prev, const block *b)
{
	if (!prev)
		return 0.0;
	if (prev->kind == b->kind && (b->kind == B_ITEM || b->kind == B_FACT || b->kind == B_ROW))
		return TIGHT;
	double after = styles[prev->kind].after, before = styles[b->kind].before;
	return after > before ? after : before;
}

/* Whether a and b are neighbours in one list or table. */
static int same_run(const block *a, const block *b) { return a && b && a->kind == b->kind; }

static void place_block(render *r, const block *prev, const block *b, const block *next)
{
	if (b->kind == B_BREAK) {   /* a page of its own for what came before (a cover) */
		if (!at_top(r))
			next_page(r);
		return;
	}
	const char *run = tags[b->kind].run, *tag = tags[b->kind].block;
	if (!at_top(r))
		r->y += gap(prev, b);
	if (run && !same_run(prev, b))
		cairo_tag_begin(r->cr, run, NULL);
	cairo_tag_begin(r->cr, tag, NULL);
	switch (b->kind) {
	case B_H1:
	case B_H2:
		place_heading(r, b);
		break;
	case B_FACT:
		place_fact(r, b);
		break;
	case B_ROW:
		place_row(r, b);
		break;
	case B_FIGURE:
		place_figure(r, b);
		break;
	case B_ITEM:
		place_item(r, b);
		break;
	case B_PARA:
		place_text(r, b);
		break;
	case B_BREAK:
		break;
	}
	cairo_tag_end(r->cr, tag);
	if (run && !same_run(b, next))
		cairo_tag_end(r->cr, run);
}

/* ---- output ------------------------------------------------------------ */

/* ---- the catalog: what Cairo 1.16 cannot say --------------------------- */

/* The number after key in s[0..n) ("/Size 334" → 334), or -1. */
static long number_after(const char *s, size_t n, const char *key)
{
	const char *k = memmem(s, n, key, strlen(key));
	if (!k)
		return -1;
	char *end;
	long v = strtol(k + strlen(key), &end, 10);
	return end == k + strlen(key) || v < 0 ? -1 : v;
}

/* The last occurrence of s in b, or NULL. */
static const char *last(const buf *b, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = b->len >= k ? b->len - k + 1 : 0; i-- > 0;)
		if (memcmp(b->data + i, s, k) == 0)
			return b->data + i;
	return NULL;
}

/* The inside of the dictionary that opens at d ("<<"), nested ones
 * included: *n gets its length.  NULL when it does not close. */
static const char *dict_body(const char *d, const char *end, size_t *n)
{
	int depth = 0;
	for (const char *p = d; p + 1 < end; p++) {
		if (p[0] == '<' && p[1] == '<')
			depth++, p++;
		else if (p[0] == '>' && p[1] == '>' && --depth == 0) {
			*n = (size_t)(p - d - 2);
			return d + 2;
		} else if (p[0] == '>' && p[1] == '>')
			p++;
	}
	return NULL;
}

static int lang_tag_ok(const char *lang)
{
	return *lang && strspn(lang, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == strlen(lang);
}

/* A rewritten object of the update: its number, and where its new version starts. */
typedef struct revision {
	long num;
	size_t at;
} revision;

static int by_number(const void *a, const void *b)
{
	long x = ((const revision *)a)->num, y = ((const revision *)b)->num;
	return (x > y) - (x < y);
}

/* The number of the object whose "N 0 obj" line is the last one before at, or -1. */
static long object_number(const char *start, const char *at, const char **header)
{
	const char *obj = NULL;
	for (const char *p = at - 6; p >= start && !obj; p--)
		if (memcmp(p, " 0 obj", 6) == 0)
			obj = p;
	if (!obj)
		return -1;
	const char *digits = obj;
	while (digits > start && isdigit((unsigned char)digits[-1]))
		digits--;
	if (digits == obj || (digits > start && digits[-1] != '\n'))
		return -1;
	*header = obj;
	return strtol(digits, NULL, 10);
}

/* text as a PDF text string: UTF-16BE with its byte order mark, in hex, so that nothing needs escaping. */
static void text_string(buf *out, const char *text)
{
	glong n = 0;
	gunichar2 *units = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
	buf_puts(out, "<FEFF");
	for (glong i = 0; units && i < n; i++)
		buf_printf(out, "%04X", (unsigned)units[i]);
	buf_putc(out, '>');
	g_free(units);
}

/* Each Figure structure element of pdf[0..end), in the order Cairo wrote them (the document's), again
 * with its /Alt: the alts of d's figures in order.  Returns how many were rewritten into objs. */
static size_t figure_alts(const buf *pdf, size_t end, const pdf_doc *d, buf *objs, size_t base, revision *rev, size_t nrev)
{
	static const char key[] = "/S /Figure";
	const char *p = pdf->data, *stop = pdf->data + end;
	size_t b = 0, done = 0;
	while (done < nrev && (p = memmem(p, (size_t)(stop - p), key, sizeof key - 1)) != NULL) {
		const char *after = p + sizeof key - 1, *header = NULL, *open, *body;
		size_t n;
		p = after;
		if (after < stop && !isspace((unsigned char)*after) && *after != '/')
			continue;   /* /S /FigureSomething */
		long num = object_number(pdf->data, after, &header);
		if (num < 0 || !(open = memmem(header, (size_t)(after - header), "<<", 2)) || !(body = dict_body(open, stop, &n)) ||
		    !memmem(body, n, "/Type /StructElem", 17) || memmem(body, n, "/Alt", 4))
			continue;
		while (b < d->n && d->blocks[b].kind != B_FIGURE)
			b++;
		if (b == d->n)
			break;
		rev[done++] = (revision){ num, base + objs->len };
		buf_printf(objs, "%ld 0 obj\n<<", num);
		buf_add(objs, body, n);
		buf_puts(objs, "   /Alt ");
		text_string(objs, d->blocks[b++].text);
		buf_puts(objs, "\n>>\nendobj\n");
	}
	return done;
}

/* The catalog again, with what Cairo left out of it. */
static void catalog(buf *objs, long root, const char *body, size_t n, const char *lang)
{
	buf_printf(objs, "%ld 0 obj\n<<", root);
	buf_add(objs, body, n);
	if (lang_tag_ok(lang) && !memmem(body, n, "/Lang", 5))
		buf_printf(objs, "   /Lang (%s)\n", lang);
	if (!memmem(body, n, "/MarkInfo", 9) && memmem(body, n, "/StructTreeRoot", 15))
		buf_puts(objs, "   /MarkInfo << /Marked true >>\n");
	if (!memmem(body, n, "/ViewerPreferences", 18))
		buf_puts(objs, "   /ViewerPreferences << /DisplayDocTitle true >>\n");
	buf_puts(objs, ">>\nendobj\n");
}

static size_t count_figures(const pdf_doc *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->blocks[i].kind == B_FIGURE;
	return n;
}

/*
 * An incremental update (PDF 32000-1, 7.5.6) appended to Cairo's file: a new
 * version of the document catalog with the document's language (/Lang),
 * /MarkInfo saying the content is tagged, and /ViewerPreferences asking
 * viewers to show the title in their window instead of the file name; and
 * a new version of each Figure's structure element with its /Alt.
 * Readers take the newest version of an object, through the new xref
 * section and trailer, which point back to Cairo's (/Prev).  When Cairo's
 * trailer or catalog is not found as expected, the file is left as Cairo
 * wrote it: still a whole, valid PDF.
 */
static void update_objects(buf *pdf, const pdf_doc *d)
{
	const char *sx = last(pdf, "startxref"), *tr = last(pdf, "trailer");
	if (!sx || !tr || tr > sx)
		return;
	size_t tail = pdf->len - (size_t)(tr - pdf->data), end = (size_t)(tr - pdf->data);
	long prev = number_after(sx, pdf->len - (size_t)(sx - pdf->data), "startxref");
	long size = number_after(tr, tail, "/Size "), root = number_after(tr, tail, "/Root "),
	     info = number_after(tr, tail, "/Info ");
	if (prev < 0 || size < 0 || root < 0)
		return;
	char head[32];
	snprintf(head, sizeof head, "\n%ld 0 obj", root);
	const char *obj = memmem(pdf->data, end, head, strlen(head));
	const char *open = obj ? memmem(obj, (size_t)(tr - obj), "<<", 2) : NULL;
	size_t n;
	const char *body = open ? dict_body(open, tr, &n) : NULL;
	if (!body)
		return;
	size_t nfig = count_figures(d);
	revision *rev = calloc(nfig + 1, sizeof *rev);
	if (!rev)
		return;
	buf objs = BUF_INIT;
	rev[0] = (revision){ root, pdf->len };
	catalog(&objs, root, body, n, d->lang);
	size_t nrev = 1 + figure_alts(pdf, end, d, &objs, pdf->len, rev + 1, nfig);
	buf_add(pdf, objs.data, objs.len);
	size_t xref = pdf->len;
	qsort(rev, nrev, sizeof *rev, by_number);
	/* a subsection per object; an entry is exactly 20 bytes: 10 digits, space, 5 digits, space, n, space, LF */
	buf_puts(pdf, "xref\n");
	for (size_t i = 0; i < nrev; i++)
		buf_printf(pdf, "%ld 1\n%010zu 00000 n \n", rev[i].num, rev[i].at);
	buf_printf(pdf, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, root);
	if (info >= 0)
		buf_printf(pdf, "   /Info %ld 0 R\n", info);
	buf_printf(pdf, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);
	buf_free(&objs);
	free(rev);
}

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
	cairo_tag_begin(r.cr, "Document", NULL);
	for (size_t i = 0; i < d->n; i++)
		place_block(&r, i ? &d->blocks[i - 1] : NULL, &d->blocks[i], i + 1 < d->n ? &d->blocks[i + 1] : NULL);
	cairo_tag_end(r.cr, "Document");
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
	update_objects(&bytes, d);
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
