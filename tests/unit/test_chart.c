/*
 * test_chart — the server's SVG charts, read back with libxml2 as a browser
 * and a screen reader would: well-formed XML whose <svg> names its title
 * and description, one mark per value carrying its value, axes at nice
 * ticks that reach the largest value, labels escaped and cut whole, a
 * palette every reader can see, the same bytes for the same spec, and the
 * specs no chart can be drawn from refused with their place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "core/textfit.h"
#include "core/xorshift.h"
#include "formats/chart.h"

#define SVG_NS "http://www.w3.org/2000/svg"

/* ---- the data: funding of invented donors ------------------------------- */

static const char *const years[] = { "2019", "2020", "2021", "2022", "2023", "2024" };
static const double north[] = { 1250000, 980000, 1500000, 0, 2250000.5, 1999999 };
static const char *const north_labels[] = { "1 250 000 USD", "980 000 USD", "1 500 000 USD", "0 USD",
					    "2 250 000,50 USD", "1 999 999 USD" };
static const double south[] = { 300000, 0, 450000, 700000, 120000, 860000 };
static const char *const south_labels[] = { "300 000 USD", "0 USD", "450 000 USD", "700 000 USD", "120 000 USD",
					    "860 000 USD" };
static const double east[] = { 10, 20, 30, 40, 50, 60 };
static const char *const east_labels[] = { "10 USD", "20 USD", "30 USD", "40 USD", "50 USD", "60 USD" };

static const chart_series three[] = {
	{ "Fondation Aurelia", north, north_labels },
	{ "Republic of Veloria", south, south_labels },
	{ "Tarsk & Partners <Ltd>", east, east_labels },
};

static chart_spec spec_of(chart_kind kind)
{
	chart_spec s = { .kind = kind, .id = "funding-year", .title = "Funding by year",
			 .desc = "Funding by year, 2019 to 2024; highest in 2023", .categories = years,
			 .ncategories = 6, .series = three, .nseries = kind == CHART_BARS || kind == CHART_COLUMNS ? 1 : 3 };
	return s;
}

static const chart_kind kinds[] = { CHART_BARS, CHART_COLUMNS, CHART_STACKED, CHART_LINES };

/* ---- reading the SVG back ------------------------------------------------ */

typedef struct svg {
	xmlDocPtr doc;
	xmlXPathContextPtr xpath;
} svg;

static svg svg_read(const buf *b)
{
	svg s;
	s.doc = xmlReadMemory(b->data, (int)b->len, "chart.svg", NULL, XML_PARSE_NONET);
	assert_non_null(s.doc);   /* well-formed */
	s.xpath = xmlXPathNewContext(s.doc);
	xmlXPathRegisterNs(s.xpath, BAD_CAST "s", BAD_CAST SVG_NS);
	return s;
}

static void svg_free(svg *s)
{
	xmlXPathFreeContext(s->xpath);
	xmlFreeDoc(s->doc);
}

static xmlNodeSetPtr svg_nodes(svg *s, const char *path, xmlXPathObjectPtr *keep)
{
	*keep = xmlXPathEvalExpression(BAD_CAST path, s->xpath);
	assert_non_null(*keep);
	return (*keep)->nodesetval;
}

static int svg_count(svg *s, const char *path)
{
	xmlXPathObjectPtr o;
	xmlNodeSetPtr set = svg_nodes(s, path, &o);
	int n = set ? set->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

/* The text of the only node at path. */
static char *svg_text(svg *s, const char *path)
{
	xmlXPathObjectPtr o;
	xmlNodeSetPtr set = svg_nodes(s, path, &o);
	assert_non_null(set);
	assert_int_equal(set->nodeNr, 1);
	char *text = (char *)xmlNodeGetContent(set->nodeTab[0]);
	xmlXPathFreeObject(o);
	return text;
}

static char *attr(xmlNodePtr n, const char *name) { return (char *)xmlGetProp(n, BAD_CAST name); }

static void draw(const chart_spec *spec, buf *out)
{
	char err[256] = "";
	int rc = chart_svg(spec, out, err, sizeof err);
	if (rc)
		fail_msg("refused: %s", err);
}

/* The spec's chart drawn into b and read back. */
static svg svg_drawn(const chart_spec *spec, buf *b)
{
	draw(spec, b);
	return svg_read(b);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_accessible_svg(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		chart_spec spec = spec_of(kinds[k]);
		buf b = BUF_INIT;
		svg s = svg_drawn(&spec, &b);
		xmlNodePtr root = xmlDocGetRootElement(s.doc);
		assert_string_equal((const char *)root->name, "svg");
		assert_string_equal((const char *)root->ns->href, SVG_NS);
		char *role = attr(root, "role"), *labelled = attr(root, "aria-labelledby"), *box = attr(root, "viewBox");
		assert_string_equal(role, "img");
		assert_non_null(box);
		assert_null(xmlHasProp(root, BAD_CAST "width"));   /* the page gives the width */
		assert_null(xmlHasProp(root, BAD_CAST "height"));
		/* aria-labelledby names the title and the description, by ids that exist once */
		assert_string_equal(labelled, "funding-year-title funding-year-desc");
		char *title = svg_text(&s, "/s:svg/s:title[@id='funding-year-title']");
		char *desc = svg_text(&s, "/s:svg/s:desc[@id='funding-year-desc']");
		assert_string_equal(title, spec.title);
		assert_string_equal(desc, spec.desc);
		assert_int_equal(svg_count(&s, "//*[@id]"), 2);
		/* text no smaller than the page's */
		char *size = attr(root, "font-size");
		assert_true(atoi(size) >= 12);
		assert_int_equal(svg_count(&s, "//*[@font-size]"), 1);
		xmlFree(role), xmlFree(labelled), xmlFree(box), xmlFree(title), xmlFree(desc), xmlFree(size);
		svg_free(&s);
		buf_free(&b);
	}
}

/* Every value is one mark, and the mark's title says its category, its
 * series where there are several, and the caller's label. */
static void test_one_mark_per_value(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		chart_spec spec = spec_of(kinds[k]);
		buf b = BUF_INIT;
		svg s = svg_drawn(&spec, &b);
		xmlXPathObjectPtr o;
		xmlNodeSetPtr marks = svg_nodes(&s, "//*[s:title and not(self::s:text) and not(self::s:svg)]", &o);
		assert_non_null(marks);
		assert_int_equal(marks->nodeNr, (int)(spec.nseries * spec.ncategories));
		int seen[3][6] = { { 0 } };
		for (int i = 0; i < marks->nodeNr; i++) {
			char *title = (char *)xmlNodeGetContent(marks->nodeTab[i]->children);
			int found = 0;
			for (size_t sr = 0; sr < spec.nseries; sr++)
				for (size_t c = 0; c < spec.ncategories; c++) {
					char want[160];
					if (spec.nseries > 1)
						snprintf(want, sizeof want, "%s, %s: %s", years[c], three[sr].name, three[sr].labels[c]);
					else
						snprintf(want, sizeof want, "%s: %s", years[c], three[sr].labels[c]);
					if (!strcmp(title, want))
						seen[sr][c]++, found = 1;
				}
			if (!found)
				fail_msg("a mark's title no value has: %s", title);
			xmlFree(title);
		}
		for (size_t sr = 0; sr < spec.nseries; sr++)
			for (size_t c = 0; c < spec.ncategories; c++)
				assert_int_equal(seen[sr][c], 1);
		xmlXPathFreeObject(o);
		svg_free(&s);
		buf_free(&b);
	}
}

/* The bar chart writes each value's label at its bar's end. */
static void test_bar_values_written(void **state)
{
	(void)state;
	chart_spec spec = spec_of(CHART_BARS);
	buf b = BUF_INIT;
	svg s = svg_drawn(&spec, &b);
	for (size_t c = 0; c < spec.ncategories; c++) {
		char path[160];
		snprintf(path, sizeof path, "//s:text[. = '%s']", north_labels[c]);
		assert_int_equal(svg_count(&s, path), 1);
		snprintf(path, sizeof path, "//s:text[. = '%s']", years[c]);
		assert_int_equal(svg_count(&s, path), 1);
	}
	svg_free(&s);
	buf_free(&b);
}

static int nice_mantissa(double step)
{
	double m = step / pow(10, floor(log10(step)));
	static const double nice[] = { 1, 2, 2.5, 5, 10 };
	for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
		if (fabs(m - nice[i]) < 1e-9)
			return 1;
	return 0;
}

/* Over maxima of every magnitude: a nice step, a top at or above the
 * maximum, no interval wholly above it, at most 5 of them. */
static void test_nice_axis(void **state)
{
	(void)state;
	chart_axis zero = chart_nice_axis(0);
	assert_true(zero.top > 0 && zero.intervals >= 1);
	chart_axis a = chart_nice_axis(1250000);
	assert_true(a.step == 250000 && a.intervals == 5 && a.top == 1250000);
	a = chart_nice_axis(0.3);
	assert_true(nice_mantissa(a.step) && a.top >= 0.3);
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 20000; i++) {
		double mantissa = 1 + xorshift_below(&seed, 900000) / 100000.0;
		int exponent = (int)xorshift_below(&seed, 40) - 20;
		double max = mantissa * pow(10, exponent);
		if (i % 7 == 0)   /* exact nice numbers too, where rounding tips */
			max = (double)(1 + xorshift_below(&seed, 10)) * 0.1 * pow(10, exponent);
		a = chart_nice_axis(max);
		if (!nice_mantissa(a.step) || a.top < max || (a.intervals - 1) * a.step >= max || a.intervals > 5 ||
		    a.top != a.intervals * a.step)
			fail_msg("max %.17g: step %.17g, %u intervals, top %.17g", max, a.step, a.intervals, a.top);
	}
}

/* The ticks the chart writes: from 0 to the axis's top by its step. */
static void tick_as_marked(double v, buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "tick:%.17g", v);
}

static void test_ticks_drawn(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		chart_spec spec = spec_of(kinds[k]);
		spec.format_tick = tick_as_marked;
		double max = 0;
		for (size_t c = 0; c < spec.ncategories; c++) {
			double total = 0;
			for (size_t sr = 0; sr < spec.nseries; sr++)
				total = kinds[k] == CHART_STACKED ? total + three[sr].values[c] : fmax(total, three[sr].values[c]);
			max = fmax(max, total);
		}
		chart_axis axis = chart_nice_axis(max);
		buf b = BUF_INIT;
		svg s = svg_drawn(&spec, &b);
		xmlXPathObjectPtr o;
		xmlNodeSetPtr ticks = svg_nodes(&s, "//s:text[starts-with(., 'tick:')]", &o);
		/* every tick is written, but along the bars' width where too many to fit */
		if (kinds[k] == CHART_BARS)
			assert_true(ticks->nodeNr >= 2 && ticks->nodeNr <= (int)axis.intervals + 1);
		else
			assert_int_equal(ticks->nodeNr, (int)axis.intervals + 1);
		double highest = -1;
		for (int i = 0; i < ticks->nodeNr; i++) {
			char *text = (char *)xmlNodeGetContent(ticks->nodeTab[i]);
			double v = strtod(text + 5, NULL);
			assert_true(nice_mantissa(axis.step));
			assert_true(fabs(v / axis.step - round(v / axis.step)) < 1e-9);
			highest = fmax(highest, v);
			xmlFree(text);
		}
		assert_true(highest >= max);
		xmlXPathFreeObject(o);
		svg_free(&s);
		buf_free(&b);
	}
}

/* Texts XML would misread come back as given; a long label is cut at its
 * budget with an ellipsis, whole characters, with the whole label its title. */
static void test_escaping_and_cutting(void **state)
{
	(void)state;
	static const char *const tricky[] = {
		"<script>alert(1)</script>", "Tarsk & Partners \"Ltd\" 'x'", "]]> end", "Ωmega\tTab",
		"Organisation internationale pour la coopération décentralisée",
		"\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 drapeau",   /* a flag of two code points */
	};
	static const double values[] = { 1, 2, 3, 4, 5, 6 };
	static const char *const labels[] = { "1 & 1", "<2>", "\"3\"", "4", "5", "6" };
	chart_series series = { "Só \"quoted\" & <b>", values, labels };
	chart_spec spec = { .kind = CHART_BARS, .id = "tricky", .title = "A & B < C", .desc = "\"Quoted\" & <tagged>",
			    .categories = tricky, .ncategories = 6, .series = &series, .nseries = 1, .label_chars = 20 };
	buf b = BUF_INIT;
	svg s = svg_drawn(&spec, &b);
	char *title = svg_text(&s, "/s:svg/s:title");
	assert_string_equal(title, spec.title);
	xmlFree(title);
	assert_int_equal(svg_count(&s, "//s:script"), 0);
	for (size_t c = 0; c < 6; c++) {
		size_t chars = text_chars(tricky[c], strlen(tricky[c]));
		xmlXPathObjectPtr o;
		char path[200];
		snprintf(path, sizeof path, "//s:text[text()][@text-anchor='end'][%zu]", c + 1);
		xmlNodeSetPtr set = svg_nodes(&s, path, &o);
		assert_int_equal(set->nodeNr, 1);
		xmlNodePtr text = set->nodeTab[0];
		char *shown = (char *)xmlNodeGetContent(text->children);   /* the text node before any title */
		if (chars <= 20) {
			assert_string_equal(shown, tricky[c]);
		} else {
			assert_true(text_chars(shown, strlen(shown)) <= 20);
			size_t n = strlen(shown);
			assert_true(n >= 3 && !strcmp(shown + n - 3, TEXT_ELLIPSIS));
			assert_memory_equal(shown, tricky[c], n - 3);   /* the beginning, cut between characters */
			char *whole = (char *)xmlNodeGetContent(text->last);
			assert_string_equal((const char *)text->last->name, "title");
			assert_string_equal(whole, tricky[c]);
			xmlFree(whole);
		}
		xmlFree(shown);
		xmlXPathFreeObject(o);
	}
	/* the values' labels too, and in the marks' titles */
	assert_int_equal(svg_count(&s, "//s:text[. = '1 & 1']"), 1);
	assert_int_equal(svg_count(&s, "//s:rect/s:title[contains(., '<2>')]"), 1);
	svg_free(&s);
	buf_free(&b);
}

/* ---- the palette ---------------------------------------------------------- */

static double channel(unsigned v)
{
	double c = v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2's relative luminance of "#RRGGBB". */
static double luminance(const char *hex)
{
	unsigned r, g, b;
	assert_int_equal(strlen(hex), 7);
	assert_int_equal(sscanf(hex, "#%2x%2x%2x", &r, &g, &b), 3);
	return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

static double contrast_with_white(const char *hex) { return 1.05 / (luminance(hex) + 0.05); }

static void test_palette_contrast(void **state)
{
	(void)state;
	for (size_t i = 0; i < CHART_COLOURS; i++) {
		assert_true(contrast_with_white(chart_colour(i)) >= 3.0);
		for (size_t j = 0; j < i; j++)
			assert_true(strcmp(chart_colour(i), chart_colour(j)) != 0);
	}
	assert_string_equal(chart_colour(CHART_COLOURS), chart_colour(0));
	/* every colour the chart fills or strokes with: text 4.5:1, marks 3:1,
	 * except white (segments' edges, hollow markers' insides) and the grid */
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		chart_spec spec = spec_of(kinds[k]);
		buf b = BUF_INIT;
		svg s = svg_drawn(&spec, &b);
		char *text = attr(xmlDocGetRootElement(s.doc), "fill");
		assert_true(contrast_with_white(text) >= 4.5);
		xmlFree(text);
		xmlXPathObjectPtr o;
		xmlNodeSetPtr set = svg_nodes(&s, "//*[self::s:g or self::s:rect or self::s:line][@fill or @stroke]", &o);
		for (int i = 0; i < set->nodeNr; i++) {
			for (int a = 0; a < 2; a++) {
				char *colour = attr(set->nodeTab[i], a ? "stroke" : "fill");
				if (colour && strcmp(colour, "none") && strcmp(colour, "#FFFFFF") && strcmp(colour, "#D9D9D9"))
					assert_true(contrast_with_white(colour) >= 3.0);
				xmlFree(colour);
			}
		}
		xmlXPathFreeObject(o);
		svg_free(&s);
		buf_free(&b);
	}
}

/* A line chart's series differ by their markers' shapes, not colour alone. */
static void test_marker_shapes(void **state)
{
	(void)state;
	static const double v[] = { 1, 2 };
	static const char *const l[] = { "1", "2" };
	static const char *const cats[] = { "2025", "2026" };
	static const char *const names[] = { "A", "B", "C", "D", "E", "F", "G", "H" };
	chart_series series[CHART_COLOURS];
	for (size_t i = 0; i < CHART_COLOURS; i++)
		series[i] = (chart_series){ names[i], v, l };
	chart_spec spec = { .kind = CHART_LINES, .id = "shapes", .title = "T", .desc = "D", .categories = cats,
			    .ncategories = 2, .series = series, .nseries = CHART_COLOURS };
	buf b = BUF_INIT;
	svg s = svg_drawn(&spec, &b);
	xmlXPathObjectPtr o;
	xmlNodeSetPtr marks = svg_nodes(&s, "//*[s:title and not(self::s:text) and not(self::s:svg)]", &o);
	assert_int_equal(marks->nodeNr, 2 * CHART_COLOURS);
	char signatures[CHART_COLOURS][64];
	for (size_t i = 0; i < CHART_COLOURS; i++) {
		xmlNodePtr m = marks->nodeTab[2 * i];
		char *fill = attr(m, "fill"), *points = attr(m, "points");
		/* a polygon's outline as offsets from its first point, where it is drawn aside */
		char outline[48] = "";
		double x0 = 0, y0 = 0, x, y;
		int at = 0, len;
		for (int p = 0; points && sscanf(points + at, "%lf,%lf%n", &x, &y, &len) == 2; p++, at += len) {
			if (p == 0)
				x0 = x, y0 = y;
			if (p < 3)
				snprintf(outline + strlen(outline), sizeof outline - strlen(outline), "%+.0f%+.0f", x - x0, y - y0);
		}
		snprintf(signatures[i], sizeof signatures[i], "%s %s %s", (const char *)m->name, fill ? fill : "-", outline);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(signatures[i], signatures[j]))
				fail_msg("series %zu and %zu share the marker %s", j + 1, i + 1, signatures[i]);
		xmlFree(fill), xmlFree(points);
	}
	xmlXPathFreeObject(o);
	svg_free(&s);
	buf_free(&b);
}

static void test_deterministic(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		chart_spec spec = spec_of(kinds[k]);
		buf a = BUF_INIT, b = BUF_INIT;
		draw(&spec, &a);
		draw(&spec, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		buf_free(&a);
		buf_free(&b);
	}
}

/* ---- refusals -------------------------------------------------------------- */

static const double with_nan[] = { 1, NAN, 3, 4, 5, 6 };
static const double with_inf[] = { 1, 2, 3, 4, 5, INFINITY };
static const double with_negative[] = { 1, 2, -3, 4, 5, 6 };
static const double huge[] = { 1e308, 1e308, 1e308, 1e308, 1e308, 1e308 };
static const char *const broken_labels[] = { "1", "2", "3", "\xC3(", "5", "6" };
static const char *const control_labels[] = { "1", "2", "3", "4", "a\x01", "6" };
static const char *const missing_labels[] = { "1", "2", NULL, "4", "5", "6" };
static const char *const broken_years[] = { "2019", "20\37720", "2021", "2022", "2023", "2024" };

typedef void (*mutation)(chart_spec *s, chart_series *series);
static void no_series(chart_spec *s, chart_series *x) { (void)x, s->nseries = 0; }
static void null_series(chart_spec *s, chart_series *x) { (void)x, s->series = NULL; }
static void no_categories(chart_spec *s, chart_series *x) { (void)x, s->ncategories = 0; }
static void nan_value(chart_spec *s, chart_series *x) { (void)s, x[1].values = with_nan; }
static void inf_value(chart_spec *s, chart_series *x) { (void)s, x[0].values = with_inf; }
static void negative(chart_spec *s, chart_series *x) { (void)s, x[2].values = with_negative; }
static void too_large(chart_spec *s, chart_series *x) { s->kind = CHART_STACKED, x[0].values = x[1].values = huge; }
static void no_values(chart_spec *s, chart_series *x) { (void)s, x[1].values = NULL; }
static void no_labels(chart_spec *s, chart_series *x) { (void)s, x[0].labels = NULL; }
static void a_label_missing(chart_spec *s, chart_series *x) { (void)s, x[2].labels = missing_labels; }
static void broken_utf8(chart_spec *s, chart_series *x) { (void)s, x[1].labels = broken_labels; }
static void control(chart_spec *s, chart_series *x) { (void)s, x[0].labels = control_labels; }
static void broken_category(chart_spec *s, chart_series *x) { (void)x, s->categories = broken_years; }
static void broken_title(chart_spec *s, chart_series *x) { (void)x, s->title = "Fund\xE2\x82"; }
static void no_desc(chart_spec *s, chart_series *x) { (void)x, s->desc = NULL; }
static void spaced_id(chart_spec *s, chart_series *x) { (void)x, s->id = "funding year"; }
static void quoted_id(chart_spec *s, chart_series *x) { (void)x, s->id = "a\"onload=\"x"; }
static void digit_id(chart_spec *s, chart_series *x) { (void)x, s->id = "1chart"; }
static void bars_of_three(chart_spec *s, chart_series *x) { (void)x, s->kind = CHART_BARS; }
static void nine_series(chart_spec *s, chart_series *x) { (void)x, s->nseries = CHART_COLOURS + 1; }
static void no_name(chart_spec *s, chart_series *x) { (void)s, x[2].name = NULL; }
static void unknown_kind(chart_spec *s, chart_series *x) { (void)x, s->kind = (chart_kind)9; }

static void test_bad_specs_refused(void **state)
{
	(void)state;
	static const struct {
		mutation change;
		const char *says;   /* in the reason */
	} bad[] = {
		{ no_series, "no series" }, { null_series, "no series" }, { no_categories, "no categories" },
		{ nan_value, "value 2 of series 2" }, { inf_value, "value 6 of series 1" },
		{ negative, "value 3 of series 3 is below zero" }, { too_large, "too large" },
		{ no_values, "series 2 has no values" }, { no_labels, "series 1 has no labels" },
		{ a_label_missing, "label 3 of series 3" }, { broken_utf8, "label 4 of series 2" },
		{ control, "label 5 of series 1" }, { broken_category, "category 2's label" },
		{ broken_title, "title" }, { no_desc, "description is missing" }, { spaced_id, "id prefix" },
		{ quoted_id, "id prefix" }, { digit_id, "id prefix" }, { bars_of_three, "3 series" },
		{ nine_series, "series" }, { no_name, "series 3's name" }, { unknown_kind, "kind" },
	};
	chart_series nine[CHART_COLOURS + 1];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (size_t j = 0; j < CHART_COLOURS + 1; j++)
			nine[j] = three[j % 3];
		chart_spec spec = spec_of(CHART_LINES);
		spec.series = nine;
		bad[i].change(&spec, nine);
		buf out = BUF_INIT;
		buf_puts(&out, "kept");
		char err[256] = "";
		assert_int_equal(chart_svg(&spec, &out, err, sizeof err), -1);
		assert_string_equal(buf_str(&out), "kept");   /* nothing half-written */
		if (!strstr(err, bad[i].says))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].says);
		buf_free(&out);
	}
	char err[64];
	buf out = BUF_INIT;
	assert_int_equal(chart_svg(NULL, &out, err, sizeof err), -1);
	assert_int_equal(out.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessible_svg),
		cmocka_unit_test(test_one_mark_per_value),
		cmocka_unit_test(test_bar_values_written),
		cmocka_unit_test(test_nice_axis),
		cmocka_unit_test(test_ticks_drawn),
		cmocka_unit_test(test_escaping_and_cutting),
		cmocka_unit_test(test_palette_contrast),
		cmocka_unit_test(test_marker_shapes),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_bad_specs_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
