/*
 * chart.c — SVG charts drawn by the server: the spec checked whole before a
 * byte is written, then laid out in the viewBox's units and written into a
 * scratch buffer that reaches the caller's only once the chart is complete.
 * See chart.h for what a chart promises its readers.
 */
#include "formats/chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/errmsg.h"
#include "core/textfit.h"
#include "formats/xmlstream.h"

/* The palette, chosen so that any two colours stay apart (CIE76 distance
 * of 28 or more) as readers with protanopia, deuteranopia or tritanopia see
 * them (Machado's simulation), and each is a mark readable on white.
 * WCAG contrast against white:                                           */
static const char *const palette[CHART_COLOURS] = {
	"#4400FF",   /* blue      7.8:1 */
	"#FF5500",   /* orange    3.2:1 */
	"#773344",   /* wine      9.0:1 */
	"#BB66FF",   /* lilac     3.3:1 */
	"#5599AA",   /* teal      3.2:1 */
	"#CC7766",   /* salmon    3.3:1 */
	"#663399",   /* purple    8.4:1 */
	"#992200",   /* rust      8.1:1 */
};
#define TEXT_COLOUR "#222222"   /* 15.9:1: labels, values, ticks, the legend */
#define AXIS_COLOUR "#767676"   /* 4.5:1: the zero line */
#define GRID_COLOUR "#D9D9D9"   /* the tick lines: a guide behind the marks, whose values the ticks' text gives */

/* A character's advance in a sans-serif face, about 0.6 em: widths of
 * text are estimated from it, since the server measures no font. */
#define CHAR_W (CHART_FONT * 0.6)
#define MARGIN 8.0
#define BAR_PITCH 28.0      /* a bar's row */
#define BAR_HEIGHT 18.0
#define PLOT_HEIGHT 240.0   /* the columns' and lines' plot */
#define LEGEND_ROW 22.0
#define LEGEND_CHARS 24     /* a series' name longer than this is cut in the legend */
#define MARKER 5.0          /* a marker's radius */

const char *chart_colour(size_t i) { return palette[i % CHART_COLOURS]; }

/* ---- the axis ------------------------------------------------------------ */

chart_axis chart_nice_axis(double max)
{
	chart_axis a = { 1, 1, 1 };
	if (!(max > 0) || !isfinite(max))
		return a;
	static const double mantissas[] = { 1, 2, 2.5, 5, 10 };
	double raw = max / 5, power = pow(10, floor(log10(raw)));
	double step = 10 * power;
	for (size_t i = 0; i < sizeof mantissas / sizeof *mantissas; i++) {
		if (mantissas[i] * power >= raw) {
			step = mantissas[i] * power;
			break;
		}
	}
	/* max / step is at most 5 but for rounding, which may tip either way */
	double n = ceil(max / step);
	if (n > 1 && (n - 1) * step >= max)
		n--;
	while (n * step < max)
		n++;
	a.step = step;
	a.intervals = (unsigned)n;
	a.top = n * step;
	return a;
}

/* ---- the spec checked ---------------------------------------------------- */

/* A text the chart shows: present, UTF-8, of characters XML carries. */
static int check_text(buf *scratch, const char *s, const char *what, char *err, size_t errlen)
{
	size_t bad;
	if (!s || !*s)
		return errmsg(err, errlen, "%s is missing", what);
	buf_reset(scratch);
	if (xmlstream_put(scratch, s, strlen(s), 0, &bad))
		return errmsg(err, errlen, "%s is not UTF-8 or holds a character XML cannot carry, at byte %zu", what, bad);
	return 0;
}

static int check_id(const char *id, char *err, size_t errlen)
{
	if (!id || !*id)
		return errmsg(err, errlen, "the chart's id prefix is missing");
	for (size_t i = 0; id[i]; i++) {
		char c = id[i];
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '-' || c == '_')))
			return errmsg(err, errlen, "the chart's id prefix \"%.40s\" may hold only letters, digits, - and _, "
					  "after a letter, at byte %zu", id, i);
	}
	return 0;
}

static int check_series(buf *scratch, const chart_spec *spec, size_t s, char *err, size_t errlen)
{
	const chart_series *series = &spec->series[s];
	char what[64];
	if (!series->values || !series->labels)
		return errmsg(err, errlen, "series %zu has no %s", s + 1, series->values ? "labels" : "values");
	snprintf(what, sizeof what, "series %zu's name", s + 1);
	if (spec->nseries > 1 && check_text(scratch, series->name, what, err, errlen))
		return -1;
	for (size_t c = 0; c < spec->ncategories; c++) {
		double v = series->values[c];
		if (!isfinite(v))
			return errmsg(err, errlen, "value %zu of series %zu is not a finite number", c + 1, s + 1);
		if (v < 0)
			return errmsg(err, errlen, "value %zu of series %zu is below zero: charts draw amounts from zero up",
				      c + 1, s + 1);
		snprintf(what, sizeof what, "label %zu of series %zu", c + 1, s + 1);
		if (check_text(scratch, series->labels[c], what, err, errlen))
			return -1;
	}
	return 0;
}

static int check_spec(buf *scratch, const chart_spec *spec, char *err, size_t errlen)
{
	if (check_id(spec->id, err, errlen) || check_text(scratch, spec->title, "the chart's title", err, errlen) ||
	    check_text(scratch, spec->desc, "the chart's description", err, errlen))
		return -1;
	if (spec->kind < CHART_BARS || spec->kind > CHART_LINES)
		return errmsg(err, errlen, "the chart's kind %d is none of those drawn", (int)spec->kind);
	if (!spec->categories || spec->ncategories == 0)
		return errmsg(err, errlen, "the chart has no categories");
	if (!spec->series || spec->nseries == 0)
		return errmsg(err, errlen, "the chart has no series");
	size_t most = spec->kind == CHART_BARS || spec->kind == CHART_COLUMNS ? 1 : CHART_COLOURS;
	if (spec->nseries > most)
		return errmsg(err, errlen, "the chart has %zu series where its kind draws at most %zu", spec->nseries, most);
	char what[64];
	for (size_t c = 0; c < spec->ncategories; c++) {
		snprintf(what, sizeof what, "category %zu's label", c + 1);
		if (check_text(scratch, spec->categories[c], what, err, errlen))
			return -1;
	}
	for (size_t s = 0; s < spec->nseries; s++)
		if (check_series(scratch, spec, s, err, errlen))
			return -1;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

typedef struct draw {
	const chart_spec *spec;
	buf *b;
	chart_axis axis;
	size_t label_chars;
	double left, top, width, height;   /* the plot area */
	double legend_height;
} draw;

/* A coordinate in tenths, written without printf's locale. */
static void put_number(buf *b, double v)
{
	long long tenths = llround(v * 10);
	if (tenths < 0) {
		buf_putc(b, '-');
		tenths = -tenths;
	}
	buf_printf(b, "%lld", tenths / 10);
	if (tenths % 10)
		buf_printf(b, ".%lld", tenths % 10);
}

static void put_attr(buf *b, const char *name, double v)
{
	buf_printf(b, " %s=\"", name);
	put_number(b, v);
	buf_putc(b, '"');
}

/* Texts were checked whole by check_spec: putting them cannot fail. */
static void put_text(buf *b, const char *s, size_t n) { (void)xmlstream_put(b, s, n, 0, NULL); }

static double text_width(const char *s, size_t max_chars)
{
	size_t chars = text_chars(s, strlen(s));
	return (double)(chars < max_chars ? chars : max_chars) * CHAR_W;
}

/* A text at (x, y) anchored at its start, middle or end; cut at max_chars
 * with an ellipsis, the whole text then its tooltip. */
static void put_label(buf *b, double x, double y, const char *anchor, const char *s, size_t max_chars)
{
	buf cut = BUF_INIT;
	int was_cut = text_cut(&cut, s, strlen(s), max_chars);
	buf_puts(b, "<text");
	put_attr(b, "x", x);
	put_attr(b, "y", y);
	if (strcmp(anchor, "start"))
		buf_printf(b, " text-anchor=\"%s\"", anchor);
	buf_putc(b, '>');
	put_text(b, cut.data, cut.len);
	if (was_cut) {
		buf_puts(b, "<title>");
		put_text(b, s, strlen(s));
		buf_puts(b, "</title>");
	}
	buf_puts(b, "</text>\n");
	buf_free(&cut);
}

/* A mark's tooltip: "category: label", or "category, series: label". */
static void put_value_title(const draw *d, size_t s, size_t c)
{
	const char *category = d->spec->categories[c], *label = d->spec->series[s].labels[c];
	buf_puts(d->b, "<title>");
	put_text(d->b, category, strlen(category));
	if (d->spec->nseries > 1) {
		buf_puts(d->b, ", ");
		put_text(d->b, d->spec->series[s].name, strlen(d->spec->series[s].name));
	}
	buf_puts(d->b, ": ");
	put_text(d->b, label, strlen(label));
	buf_puts(d->b, "</title>");
}

static void put_rect(const draw *d, double x, double y, double w, double h, size_t s, size_t c)
{
	buf_puts(d->b, "<rect");
	put_attr(d->b, "x", x);
	put_attr(d->b, "y", y);
	put_attr(d->b, "width", w);
	put_attr(d->b, "height", h);
	buf_putc(d->b, '>');
	put_value_title(d, s, c);
	buf_puts(d->b, "</rect>\n");
}

static void put_line(buf *b, double x1, double y1, double x2, double y2, const char *colour)
{
	buf_puts(b, "<line");
	put_attr(b, "x1", x1);
	put_attr(b, "y1", y1);
	put_attr(b, "x2", x2);
	put_attr(b, "y2", y2);
	buf_printf(b, " stroke=\"%s\"/>\n", colour);
}

/* A tick's text, as the caller writes numbers or in plain digits. */
static void tick_text(const draw *d, double v, buf *text)
{
	if (d->spec->format_tick)
		d->spec->format_tick(v, text, d->spec->format_ctx);
	else
		buf_printf(text, "%.15g", v);
}

static void put_tick_text(const draw *d, double v, double x, double y, const char *anchor)
{
	buf text = BUF_INIT;
	tick_text(d, v, &text);
	put_label(d->b, x, y, anchor, buf_str(&text), SIZE_MAX);
	buf_free(&text);
}

static double tick_width(const draw *d)
{
	double widest = 0;
	buf text = BUF_INIT;
	for (unsigned i = 0; i <= d->axis.intervals; i++) {
		buf_reset(&text);
		tick_text(d, i * d->axis.step, &text);
		widest = fmax(widest, text_width(buf_str(&text), SIZE_MAX));
	}
	buf_free(&text);
	return widest;
}

/* The baseline that centres a line of text on y. */
static double middle(double y) { return y + CHART_FONT * 0.35; }

/* ---- the legend ---------------------------------------------------------- */

/* The lines' dash patterns, a second cue beside the markers' shapes. */
static const char *const dashes[4] = { NULL, "8 4", "2 3", "8 3 2 3" };

static void put_dashes(buf *b, size_t s)
{
	if (dashes[s % 4])
		buf_printf(b, " stroke-dasharray=\"%s\"", dashes[s % 4]);
}

/* Marker shapes as polygons around their centre, in radii; a circle, a
 * square and their hollow forms are written as themselves. */
typedef struct shape {
	const char *element;   /* "circle", "rect" or "polygon" */
	int hollow;
	const double *points;
	size_t npoints;
} shape;
static const double triangle_up[] = { 0, -1.3, 1.2, 0.9, -1.2, 0.9 };
static const double diamond[] = { 0, -1.4, 1.4, 0, 0, 1.4, -1.4, 0 };
static const double triangle_down[] = { 0, 1.3, 1.2, -0.9, -1.2, -0.9 };
static const double plus[] = { -0.4, -1.3, 0.4, -1.3, 0.4, -0.4, 1.3, -0.4, 1.3, 0.4, 0.4, 0.4,
			       0.4, 1.3, -0.4, 1.3, -0.4, 0.4, -1.3, 0.4, -1.3, -0.4, -0.4, -0.4 };
static const shape shapes[CHART_COLOURS] = {
	{ "circle", 0, NULL, 0 },
	{ "rect", 0, NULL, 0 },
	{ "polygon", 0, triangle_up, 3 },
	{ "polygon", 0, diamond, 4 },
	{ "polygon", 0, plus, 12 },
	{ "polygon", 0, triangle_down, 3 },
	{ "circle", 1, NULL, 0 },
	{ "rect", 1, NULL, 0 },
};

/* Series s's marker at (x, y), with its value's title when c is a category. */
static void put_marker(const draw *d, size_t s, double x, double y, size_t c, int titled)
{
	const shape *sh = &shapes[s % CHART_COLOURS];
	buf *b = d->b;
	buf_printf(b, "<%s", sh->element);
	if (sh->points) {
		buf_puts(b, " points=\"");
		for (size_t i = 0; i < sh->npoints; i++) {
			put_number(b, x + sh->points[2 * i] * MARKER);
			buf_putc(b, ',');
			put_number(b, y + sh->points[2 * i + 1] * MARKER);
			buf_puts(b, i + 1 < sh->npoints ? " " : "\"");
		}
	} else if (!strcmp(sh->element, "circle")) {
		put_attr(b, "cx", x);
		put_attr(b, "cy", y);
		put_attr(b, "r", MARKER);
	} else {
		put_attr(b, "x", x - MARKER);
		put_attr(b, "y", y - MARKER);
		put_attr(b, "width", 2 * MARKER);
		put_attr(b, "height", 2 * MARKER);
	}
	if (sh->hollow)
		buf_puts(b, " fill=\"#FFFFFF\" stroke-width=\"2\"");
	buf_putc(b, '>');
	if (titled)
		put_value_title(d, s, c);
	buf_printf(b, "</%s>\n", sh->element);
}

/* The legend's key for series s, 16 units wide, centred on y. */
static void put_key(const draw *d, size_t s, double x, double y)
{
	const char *colour = chart_colour(s);
	if (d->spec->kind != CHART_LINES) {
		buf_printf(d->b, "<rect fill=\"%s\"", colour);
		put_attr(d->b, "x", x + 2);
		put_attr(d->b, "y", y - 6);
		buf_puts(d->b, " width=\"12\" height=\"12\"/>\n");
		return;
	}
	buf_printf(d->b, "<g fill=\"%s\" stroke=\"%s\">\n", colour, colour);
	buf_puts(d->b, "<line stroke-width=\"2\"");
	put_dashes(d->b, s);
	put_attr(d->b, "x1", x);
	put_attr(d->b, "y1", y);
	put_attr(d->b, "x2", x + 16);
	put_attr(d->b, "y2", y);
	buf_puts(d->b, "/>\n");
	put_marker(d, s, x + 8, y, 0, 0);
	buf_puts(d->b, "</g>\n");
}

/* Lays the legend out in rows across the width, drawing it when drawing
 * is 1; its height either way. */
static double legend(const draw *d, int drawing)
{
	if (d->spec->nseries < 2)
		return 0;
	double x = MARGIN, y = MARGIN + LEGEND_ROW / 2;
	if (drawing)
		buf_puts(d->b, "<g class=\"legend\">\n");
	for (size_t s = 0; s < d->spec->nseries; s++) {
		const char *name = d->spec->series[s].name;
		double w = 16 + 6 + text_width(name, LEGEND_CHARS) + 18;
		if (x > MARGIN && x + w > CHART_WIDTH - MARGIN) {
			x = MARGIN;
			y += LEGEND_ROW;
		}
		if (drawing) {
			put_key(d, s, x, y);
			put_label(d->b, x + 22, middle(y), "start", name, LEGEND_CHARS);
		}
		x += w;
	}
	if (drawing)
		buf_puts(d->b, "</g>\n");
	return y + LEGEND_ROW / 2;
}

/* ---- horizontal bars ----------------------------------------------------- */

static void bars_layout(draw *d)
{
	const chart_series *series = &d->spec->series[0];
	double labels = 0, values = 0;
	for (size_t c = 0; c < d->spec->ncategories; c++) {
		double w = text_width(d->spec->categories[c], d->label_chars);
		labels = w > labels ? w : labels;
		w = text_width(series->labels[c], SIZE_MAX);
		values = w > values ? w : values;
	}
	values = fmin(values, CHART_WIDTH * 0.3);
	d->left = MARGIN + labels + MARGIN;
	d->width = CHART_WIDTH - d->left - values - 2 * MARGIN;
	d->top = MARGIN;
	d->height = (double)d->spec->ncategories * BAR_PITCH;
}

static double bar_x(const draw *d, double v) { return d->left + v / d->axis.top * d->width; }

/* The ticks along the bars: every one's line, and the text of every one
 * where the texts fit side by side, else of every k-th counted down from
 * the top, so that the largest is always read. */
static void bars_axis(const draw *d)
{
	double bottom = d->top + d->height, spacing = d->width / d->axis.intervals;
	unsigned every = (unsigned)ceil((tick_width(d) + MARGIN) / spacing);
	for (unsigned i = 0; i <= d->axis.intervals; i++) {
		double x = bar_x(d, i * d->axis.step);
		put_line(d->b, x, d->top, x, bottom, GRID_COLOUR);
		if ((d->axis.intervals - i) % (every ? every : 1) == 0)
			put_tick_text(d, i * d->axis.step, x, bottom + CHART_FONT + 4, "middle");
	}
	put_line(d->b, d->left, d->top, d->left, bottom, AXIS_COLOUR);
}

static void bars_draw(const draw *d)
{
	const chart_series *series = &d->spec->series[0];
	bars_axis(d);
	buf_printf(d->b, "<g fill=\"%s\">\n", chart_colour(0));
	for (size_t c = 0; c < d->spec->ncategories; c++) {
		double y = d->top + c * BAR_PITCH + (BAR_PITCH - BAR_HEIGHT) / 2;
		put_rect(d, d->left, y, bar_x(d, series->values[c]) - d->left, BAR_HEIGHT, 0, c);
	}
	buf_printf(d->b, "</g>\n<g fill=\"%s\">\n", TEXT_COLOUR);
	for (size_t c = 0; c < d->spec->ncategories; c++) {
		double y = middle(d->top + (c + 0.5) * BAR_PITCH);
		put_label(d->b, d->left - MARGIN, y, "end", d->spec->categories[c], d->label_chars);
		put_label(d->b, bar_x(d, series->values[c]) + 4, y, "start", series->labels[c], SIZE_MAX);
	}
	buf_puts(d->b, "</g>\n");
}

/* ---- columns, stacked columns and lines over the categories --------------- */

static void over_layout(draw *d)
{
	d->legend_height = legend(d, 0);
	d->left = MARGIN + tick_width(d) + MARGIN;
	d->width = CHART_WIDTH - d->left - 2 * MARGIN;
	d->top = d->legend_height + MARGIN + CHART_FONT / 2;
	d->height = PLOT_HEIGHT;
}

static double slot(const draw *d) { return d->width / (double)d->spec->ncategories; }
static double slot_middle(const draw *d, size_t c) { return d->left + (c + 0.5) * slot(d); }
static double value_y(const draw *d, double v) { return d->top + d->height - v / d->axis.top * d->height; }

/* The categories under the plot: every one where they fit, else every
 * k-th, so that no two overlap. */
static void over_categories(const draw *d)
{
	double widest = 0;
	for (size_t c = 0; c < d->spec->ncategories; c++)
		widest = fmax(widest, text_width(d->spec->categories[c], d->label_chars));
	size_t every = (size_t)ceil((widest + MARGIN) / slot(d));
	every = every ? every : 1;
	double y = d->top + d->height + CHART_FONT + 4;
	for (size_t c = 0; c < d->spec->ncategories; c += every)
		put_label(d->b, slot_middle(d, c), y, "middle", d->spec->categories[c], d->label_chars);
}

static void over_axis(const draw *d)
{
	for (unsigned i = 0; i <= d->axis.intervals; i++) {
		double y = value_y(d, i * d->axis.step);
		put_line(d->b, d->left, y, d->left + d->width, y, GRID_COLOUR);
		put_tick_text(d, i * d->axis.step, d->left - MARGIN, middle(y), "end");
	}
	buf_printf(d->b, "<g fill=\"%s\">\n", TEXT_COLOUR);
	over_categories(d);
	buf_puts(d->b, "</g>\n");
}

/* What the series before s stack in category c. */
static double stacked_below(const draw *d, size_t s, size_t c)
{
	double total = 0;
	for (size_t below = 0; below < s; below++)
		total += d->spec->series[below].values[c];
	return total;
}

/* Columns, one series or stacked: a white edge parts the segments. */
static void columns_draw(const draw *d)
{
	double width = fmin(slot(d) * 0.6, 48);
	for (size_t s = 0; s < d->spec->nseries; s++) {
		const chart_series *series = &d->spec->series[s];
		buf_printf(d->b, "<g fill=\"%s\"%s>\n", chart_colour(s),
			   d->spec->nseries > 1 ? " stroke=\"#FFFFFF\"" : "");
		for (size_t c = 0; c < d->spec->ncategories; c++) {
			double base = stacked_below(d, s, c), y = value_y(d, base + series->values[c]);
			put_rect(d, slot_middle(d, c) - width / 2, y, width, value_y(d, base) - y, s, c);
		}
		buf_puts(d->b, "</g>\n");
	}
}

static void lines_draw(const draw *d)
{
	for (size_t s = 0; s < d->spec->nseries; s++) {
		const chart_series *series = &d->spec->series[s];
		const char *colour = chart_colour(s);
		buf_printf(d->b, "<g fill=\"%s\" stroke=\"%s\">\n<polyline fill=\"none\" stroke-width=\"2\"", colour,
			   colour);
		put_dashes(d->b, s);
		buf_puts(d->b, " points=\"");
		for (size_t c = 0; c < d->spec->ncategories; c++) {
			put_number(d->b, slot_middle(d, c));
			buf_putc(d->b, ',');
			put_number(d->b, value_y(d, series->values[c]));
			buf_puts(d->b, c + 1 < d->spec->ncategories ? " " : "\"/>\n");
		}
		for (size_t c = 0; c < d->spec->ncategories; c++)
			put_marker(d, s, slot_middle(d, c), value_y(d, series->values[c]), c, 1);
		buf_puts(d->b, "</g>\n");
	}
}

static void over_draw(const draw *d)
{
	legend(d, 1);
	over_axis(d);
	if (d->spec->kind == CHART_LINES)
		lines_draw(d);
	else
		columns_draw(d);
	put_line(d->b, d->left, d->top + d->height, d->left + d->width, d->top + d->height, AXIS_COLOUR);
}

/* ---- the chart ----------------------------------------------------------- */

/* The largest value, or total of a category's stack. */
static double largest(const chart_spec *spec)
{
	double max = 0;
	for (size_t c = 0; c < spec->ncategories; c++) {
		double total = 0;
		for (size_t s = 0; s < spec->nseries; s++) {
			double v = spec->series[s].values[c];
			total = spec->kind == CHART_STACKED ? total + v : fmax(total, v);
		}
		max = fmax(max, total);
	}
	return max;
}

static void put_head(const draw *d, double height)
{
	const char *id = d->spec->id;
	buf_puts(d->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ");
	put_number(d->b, CHART_WIDTH);
	buf_putc(d->b, ' ');
	put_number(d->b, ceil(height));
	buf_printf(d->b, "\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-family=\"sans-serif\" "
			 "font-size=\"%d\" fill=\"%s\">\n", id, id, CHART_FONT, TEXT_COLOUR);
	buf_printf(d->b, "<title id=\"%s-title\">", id);
	put_text(d->b, d->spec->title, strlen(d->spec->title));
	buf_printf(d->b, "</title>\n<desc id=\"%s-desc\">", id);
	put_text(d->b, d->spec->desc, strlen(d->spec->desc));
	buf_puts(d->b, "</desc>\n");
}

int chart_svg(const chart_spec *spec, buf *out, char *err, size_t errlen)
{
	if (!spec || !out)
		return errmsg(err, errlen, "no chart to draw");
	buf scratch = BUF_INIT;
	int rc = -1;
	if (check_spec(&scratch, spec, err, errlen))
		goto done;
	double max = largest(spec);
	draw d = { .spec = spec, .b = &scratch, .axis = chart_nice_axis(max),
		   .label_chars = spec->label_chars ? spec->label_chars : CHART_LABEL_CHARS };
	if (!isfinite(max) || !isfinite(d.axis.top)) {
		errmsg(err, errlen, "the values are too large to draw");
		goto done;
	}
	buf_reset(&scratch);
	if (spec->kind == CHART_BARS)
		bars_layout(&d);
	else
		over_layout(&d);
	put_head(&d, d.top + d.height + CHART_FONT + 4 + 2 * MARGIN);
	if (spec->kind == CHART_BARS)
		bars_draw(&d);
	else
		over_draw(&d);
	buf_puts(&scratch, "</svg>\n");
	buf_add(out, scratch.data, scratch.len);
	rc = 0;
done:
	buf_free(&scratch);
	return rc;
}
