/*
 * chart — charts drawn by the server as SVG that every reader can use: the
 * funding analyses (by donor, sector, country, year) show one beside their
 * table.  The module knows no records and no language: the caller gives the
 * chart's texts already translated and every value already formatted as
 * its readers write it ("1 250 000 USD"), beside the value itself.
 *
 * What every chart carries, for readers of a screen reader, of a magnified
 * page or who tell colours apart poorly:
 *  - the <svg> is role="img" with aria-labelledby naming its <title> (the
 *    chart's title) and its <desc> (the caller's one-sentence summary),
 *    whose ids begin with the caller's prefix, so that two charts of one
 *    page never share an id;
 *  - sizing by viewBox alone (no width or height): the chart takes the
 *    width of its place in the page and scales with it.  It is drawn for
 *    CHART_WIDTH units, about the pages' content column, so that a unit is
 *    about a CSS pixel at 100% zoom and text, CHART_FONT units, is as large
 *    as the page's own;
 *  - marks in a fixed palette of 8 colours, each at least 3:1 against
 *    white and told apart under the three kinds of colour blindness (see
 *    chart.c); text at least 4.5:1; the series of a line chart differ by
 *    their markers' shapes too, and stacked segments by a white edge, not
 *    by colour alone;
 *  - every mark (bar, column, segment, marker) has its value as a <title>
 *    child, what a pointer over it shows: "category: label", or
 *    "category, series: label" where there are several series.
 * The table of the data beside the chart is the page's business.
 *
 * Axes run from zero to the first "nice" number (1, 2, 2.5 or 5 times a
 * power of ten) at or above the largest value (the largest total for
 * stacked columns), in ticks of a nice step.  Negative values are refused:
 * the analyses chart amounts received, and an amount below zero there is a
 * fault of the data that a bar drawn downwards would hide.
 *
 * The same spec gives the same bytes: coordinates are written by the
 * module itself, in tenths, whatever the process's locale.
 */
#ifndef LIAISON_CHART_H
#define LIAISON_CHART_H

#include <stddef.h>

#include "core/buf.h"

#define CHART_WIDTH 640     /* the viewBox's width */
#define CHART_FONT 14       /* the text's size, in the viewBox's units */
#define CHART_COLOURS 8     /* the palette; also the most series a chart draws */
#define CHART_LABEL_CHARS 28   /* a category's label longer than this is cut, unless the spec says */

typedef enum chart_kind {
	CHART_BARS,      /* horizontal bars, one series: labels on the left, values at the bars' ends */
	CHART_COLUMNS,   /* vertical columns over the categories (years), one series */
	CHART_STACKED,   /* columns of several series stacked per category, with a legend */
	CHART_LINES,     /* a line per series over the categories, markers of a shape per series, with a legend */
} chart_kind;

typedef struct chart_series {
	const char *name;            /* the legend's text: needed where there are several series */
	const double *values;        /* one per category, finite, zero or more */
	const char *const *labels;   /* each value as its readers write it, one per category */
} chart_series;

/* A tick's text: the caller writes v as its readers write numbers. */
typedef void (*chart_format_fn)(double v, buf *out, void *ctx);

typedef struct chart_spec {
	chart_kind kind;
	const char *id;                  /* the ids' prefix, unique in the page: letters, digits, - and _ */
	const char *title;               /* the <title> */
	const char *desc;                /* the <desc>: "Funding by year, 2019 to 2026; highest in 2024" */
	const char *const *categories;   /* the bars' labels or the years, in the order drawn */
	size_t ncategories;
	const chart_series *series;
	size_t nseries;                  /* 1 for bars and columns; 1 to CHART_COLOURS otherwise */
	chart_format_fn format_tick;     /* NULL: the tick's value in digits, "2500000" */
	void *format_ctx;
	size_t label_chars;              /* where a category's label is cut; 0: CHART_LABEL_CHARS */
} chart_spec;

/* The axis for values up to max (>= 0): ticks at 0, step, 2 step, ...
 * intervals times, top = intervals * step >= max, step a nice number,
 * at most 5 intervals when max > 0 (one of 1 when max is 0). */
typedef struct chart_axis {
	double step;
	double top;
	unsigned intervals;
} chart_axis;

chart_axis chart_nice_axis(double max);

/* The palette, "#RRGGBB": series i is drawn in chart_colour(i % CHART_COLOURS). */
const char *chart_colour(size_t i);

/* Appends the spec's chart, one <svg> element, to out.  0, or -1 with the
 * reason in err and nothing appended: no categories or series, a series
 * without its values or labels, a value not finite or below zero, a text
 * missing, not UTF-8 or holding a character XML cannot carry, an id
 * prefix of other characters, a kind given more series than it draws. */
int chart_svg(const chart_spec *spec, buf *out, char *err, size_t errlen);

#endif
