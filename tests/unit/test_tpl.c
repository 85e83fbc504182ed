/*
 * test_tpl — the page templates: the escaping chosen for every place a value
 * can land (with values meant to break out of it), the Mustache sections,
 * lookups and partials, translated text, and every template the compiler
 * must refuse, with the file and line it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/tpl.h"

#define FILES(...) ((const embedded_file[]){ __VA_ARGS__, { NULL, NULL, 0 } })
#define FILE_OF(name, src) { name, src, sizeof src - 1 }

static json_t *parse(const char *json)
{
	if (!json)
		return NULL;
	json_error_t e;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &e);
	if (!v)
		fail_msg("bad test JSON %s: %s", json, e.text);
	return v;
}

static tpl_set *load(const embedded_file *files)
{
	char err[512] = "";
	tpl_set *s = NULL;
	if (tpl_set_load(&s, files, err, sizeof err) != 0)
		fail_msg("load failed: %s", err);
	assert_non_null(s);
	return s;
}

/* Renders template name of the set with ctx; the caller frees the text. */
static char *render_with(const tpl_set *s, const char *name, json_t *ctx, tpl_translate tr, void *cls)
{
	buf out = BUF_INIT;
	assert_int_equal(tpl_render(s, name, ctx, tr, cls, &out), 0);
	char *text = strdup(buf_str(&out));
	buf_free(&out);
	return text;
}

/* The one template src, rendered with ctx (which this takes). */
static void check_ctx(const char *src, json_t *ctx, const char *want)
{
	tpl_set *s = load(FILES({ "t.html", src, strlen(src) }));
	char *got = render_with(s, "t", ctx, NULL, NULL);
	if (strcmp(got, want) != 0)
		fail_msg("template %s\n gave %s\nwanted %s", src, got, want);
	free(got);
	json_decref(ctx);
	tpl_set_free(s);
}

static void check(const char *src, const char *json, const char *want) { check_ctx(src, parse(json), want); }

/* The one value v (a string) under the name "v". */
static void check_str(const char *src, const char *v, const char *want)
{
	check_ctx(src, json_pack("{s:s}", "v", v), want);
}

static void check_files_error(const embedded_file *files, const char *where, const char *why)
{
	char err[512] = "";
	tpl_set *s = (tpl_set *)1;
	assert_int_equal(tpl_set_load(&s, files, err, sizeof err), -1);
	assert_null(s);
	if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, why))
		fail_msg("error \"%s\" is not \"%s…%s…\"", err, where, why);
}

/* Compiling the one template src fails at where ("t.html:LINE: ") for why. */
static void check_error(const char *src, const char *where, const char *why)
{
	check_files_error(FILES({ "t.html", src, strlen(src) }), where, why);
}

/* ---- escaping ---- */

static void test_text_is_html_escaped(void **state)
{
	(void)state;
	check_str("<p>{{v}}</p>", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	check_str("<p>{{ v }}</p>", "a & b \"c\" 'd'", "<p>a &amp; b &quot;c&quot; &#39;d&#39;</p>");
	check_str("{{v}}", "Genève — 日本 ✓", "Genève — 日本 ✓");
	check_str("a < b {{v}}", "<", "a < b &lt;");   /* a lone '<' leaves text as text */
}

static void test_attribute_values_are_html_escaped(void **state)
{
	(void)state;
	check_str("<input value=\"{{v}}\">", "\" onmouseover=\"x", "<input value=\"&quot; onmouseover=&quot;x\">");
	check_str("<input value='{{v}}'>", "' onmouseover='x", "<input value='&#39; onmouseover=&#39;x'>");
	check_str("<a title=\"{{v}}\" class=x>", "javascript:alert(1)", "<a title=\"javascript:alert(1)\" class=x>");
	check_str("<textarea>{{v}}</textarea>", "</textarea><script>", "<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>");
	check_str("<title>{{v}}</title>", "<b>", "<title>&lt;b&gt;</title>");
}

static void test_url_start_refuses_other_schemes(void **state)
{
	(void)state;
	static const char *const hostile[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)",
		" javascript:alert(1)", "\t\njavascript:alert(1)", "\x01javascript:alert(1)",
		"data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "java\tscript:alert(1)",
		"ftp://example.org/", ":alert(1)",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++)
		check_str("<a href=\"{{v}}\">x</a>", hostile[i], "<a href=\"#\">x</a>");
}

static void test_url_start_passes_relative_and_web(void **state)
{
	(void)state;
	check_str("<a href=\"{{v}}\">", "/a?b=1&c=2", "<a href=\"/a?b=1&amp;c=2\">");
	check_str("<a href=\"{{v}}\">", "?q=\"x\"", "<a href=\"?q=&quot;x&quot;\">");
	check_str("<a href=\"{{v}}\">", "#top", "<a href=\"#top\">");
	check_str("<a href=\"{{v}}\">", "./x:y", "<a href=\"./x:y\">");
	check_str("<a href=\"{{v}}\">", "../up", "<a href=\"../up\">");
	check_str("<a href=\"{{v}}\">", "persons/12:3", "<a href=\"persons/12:3\">");
	check_str("<a href=\"{{v}}\">", "page", "<a href=\"page\">");
	check_str("<a href=\"{{v}}\">", "http://example.org/a", "<a href=\"http://example.org/a\">");
	check_str("<a href=\"{{v}}\">", "HTTPS://example.org/", "<a href=\"HTTPS://example.org/\">");
	check_str("<a href=\"{{v}}\">", "MailTo:ana@example.org", "<a href=\"MailTo:ana@example.org\">");
	check_str("<a href=\"{{v}}\">", " /spaced", "<a href=\" /spaced\">");
	check_str("<a href=\"{{v}}\">", "\r\n http://example.org/", "<a href=\"\r\n http://example.org/\">");
	check_str("<a href=\"{{v}}\">", ".x:y", "<a href=\".x:y\">");
	check_ctx("<a href=\"{{v}}\">", json_pack("{s:i}", "v", 12), "<a href=\"12\">");
}

static void test_every_url_attribute(void **state)
{
	(void)state;
	static const char *const srcs[] = {
		"<img src=\"{{v}}\">", "<form action=\"{{v}}\">", "<button formaction=\"{{v}}\">",
		"<q cite=\"{{v}}\">", "<video poster=\"{{v}}\">", "<a HREF=\"{{v}}\">", "<a href='{{v}}'>",
		"<a class=\"c\" Href = \"{{v}}\">", "<svg><a xlink:href=\"{{v}}\">",
	};
	static const char *const wants[] = {
		"<img src=\"#\">", "<form action=\"#\">", "<button formaction=\"#\">",
		"<q cite=\"#\">", "<video poster=\"#\">", "<a HREF=\"#\">", "<a href='#'>",
		"<a class=\"c\" Href = \"#\">", "<svg><a xlink:href=\"#\">",
	};
	for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++)
		check_str(srcs[i], "javascript:alert(1)", wants[i]);
}

static void test_url_components_are_percent_encoded(void **state)
{
	(void)state;
	check_ctx("<a href=\"/search?q={{q}}&amp;page={{n}}\">",
		json_pack("{s:s, s:i}", "q", "a b&c/d=é<\"'#?", "n", 2),
		"<a href=\"/search?q=a%20b%26c%2Fd%3D%C3%A9%3C%22%27%23%3F&amp;page=2\">");
	check_str("<a href=\"/x/{{v}}\">", "javascript:alert(1)", "<a href=\"/x/javascript%3Aalert%281%29\">");
	check_str("<a href=\"/x/{{v}}\">", "AZaz09-._~", "<a href=\"/x/AZaz09-._~\">");
	check("<a href=\"{{a}}{{b}}\">", "{\"a\":\"/p/\",\"b\":\"y z:\"}", "<a href=\"/p/y%20z%3A\">");
	/* only the very start of the value is checked as a URL */
	check_str("<a href=\" {{v}}\">", "/a b", "<a href=\" %2Fa%20b\">");
	/* after the value ends, text escaping again */
	check_str("<a href=\"/{{v}}\">{{v}}</a>", "a b", "<a href=\"/a%20b\">a b</a>");
}

static void test_numbers_and_literals(void **state)
{
	(void)state;
	check("[{{i}}|{{n}}|{{r}}|{{big}}|{{third}}|{{whole}}|{{e}}|{{pi}}|{{t}}|{{f}}|{{z}}|{{missing}}|{{o}}|{{a}}]",
		"{\"i\":42,\"n\":-7,\"r\":0.5,\"big\":9007199254740993,\"third\":0.30000000000000004,"
		"\"whole\":3.0,\"e\":1e21,\"pi\":3.14159265358979,\"t\":true,\"f\":false,\"z\":null,\"o\":{\"x\":1},\"a\":[1]}",
		"[42|-7|0.5|9007199254740993|0.3|3|1e+21|3.14159265358979|true|||||]");
	check("<a href=\"/n/{{r}}\">", "{\"r\":1e21}", "<a href=\"/n/1e%2B21\">");
	check("{{x}}", NULL, "");
}

/* ---- sections and lookups ---- */

static void test_section_over_array(void **state)
{
	(void)state;
	check("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
		"{\"items\":[{\"name\":\"Ana\"},{\"name\":\"<Bo>\"},{}]}",
		"<ul><li>Ana</li><li>&lt;Bo&gt;</li><li></li></ul>");
	check("{{#xs}}{{.}},{{/xs}}", "{\"xs\":[\"a\",1,2.5,true,null,false]}", "a,1,2.5,true,,,");
	check("{{#xs}}[{{#.}}{{.}}{{/.}}]{{/xs}}", "{\"xs\":[[1,2],[],[3]]}", "[12][][3]");
}

static void test_section_over_truthy_values(void **state)
{
	(void)state;
	check("{{#org}}{{name}} ({{acronym}}){{/org}}", "{\"org\":{\"name\":\"Org\",\"acronym\":\"O\"}}", "Org (O)");
	check("{{#flag}}yes{{/flag}}", "{\"flag\":true}", "yes");
	check("{{#s}}[{{.}}]{{/s}}", "{\"s\":\"abc\"}", "[abc]");
	check("{{#n}}[{{.}}]{{/n}}", "{\"n\":5}", "[5]");
	check("{{#r}}[{{.}}]{{/r}}", "{\"r\":-0.25}", "[-0.25]");
}

static void test_falsy_values_and_inverted_sections(void **state)
{
	(void)state;
	static const char *const falsy[] = {
		"{\"v\":false}", "{\"v\":null}", "{\"v\":\"\"}", "{\"v\":0}", "{\"v\":0.0}", "{\"v\":[]}", "{\"v\":{}}", "{}",
	};
	static const char *const truthy[] = {
		"{\"v\":true}", "{\"v\":\"x\"}", "{\"v\":1}", "{\"v\":0.5}", "{\"v\":[0]}", "{\"v\":{\"a\":1}}",
	};
	const char *src = "{{#v}}shown{{/v}}{{^v}}hidden{{/v}}";
	for (size_t i = 0; i < sizeof falsy / sizeof *falsy; i++)
		check(src, falsy[i], "hidden");
	for (size_t i = 0; i < sizeof truthy / sizeof *truthy; i++)
		check(src, truthy[i], "shown");
	/* an inverted section keeps the context it stands in */
	check("{{^items}}No {{what}}.{{/items}}", "{\"items\":[],\"what\":\"rows\"}", "No rows.");
}

static void test_nested_contexts_and_outer_lookup(void **state)
{
	(void)state;
	check("{{#org}}{{name}}:{{#people}}{{name}}/{{country}};{{/people}}{{/org}}{{name}}",
		"{\"name\":\"Outer\",\"country\":\"FR\",\"org\":{\"name\":\"Inner\","
		"\"people\":[{\"name\":\"Ana\"},{\"name\":\"Bo\",\"country\":\"SE\"}]}}",
		"Inner:Ana/FR;Bo/SE;Outer");
	/* a name present as null in the inner context hides the outer one */
	check("{{#in}}[{{x}}]{{/in}}", "{\"x\":\"outer\",\"in\":{\"x\":null}}", "[]");
	/* {{.}} is the innermost context, even inside an object section */
	check("{{#o}}{{#list}}{{.}}{{/list}}{{/o}}", "{\"o\":{\"list\":[\"p\",\"q\"]}}", "pq");
}

static void test_dotted_names(void **state)
{
	(void)state;
	check("{{a.b.c}}|{{a.b.missing}}|{{s.x}}|{{#a}}{{b.c}}{{/a}}|{{#a.b}}{{c}}{{/a.b}}|{{a.b}}",
		"{\"a\":{\"b\":{\"c\":\"deep\"}},\"s\":\"str\"}", "deep|||deep|deep|");
	/* the first part is found inside, so the rest is not looked for outside */
	check("{{#item}}[{{p.q}}]{{/item}}", "{\"p\":{\"q\":\"outer\"},\"item\":{\"p\":{\"r\":1}}}", "[]");
	/* the first part is only outside */
	check("{{#item}}[{{p.q}}]{{/item}}", "{\"p\":{\"q\":\"outer\"},\"item\":{\"r\":1}}", "[outer]");
}

static void test_sections_in_tag_positions(void **state)
{
	(void)state;
	const char *option = "<option value=\"{{v}}\"{{#selected}} selected{{/selected}}>{{v}}</option>";
	check(option, "{\"v\":\"fr\",\"selected\":true}", "<option value=\"fr\" selected>fr</option>");
	check(option, "{\"v\":\"fr\",\"selected\":false}", "<option value=\"fr\">fr</option>");
	check("<option{{#selected}} selected{{/selected}}>", "{\"selected\":1}", "<option selected>");
	check("<input {{#required}}required{{/required}}>", "{\"required\":true}", "<input required>");
	check("<input {{#required}}required{{/required}}>", "{}", "<input >");
	check("<a{{#url}} href=\"{{url}}\"{{/url}}>x</a>", "{\"url\":\"javascript:alert(1)\"}", "<a href=\"#\">x</a>");
	check("<a{{#url}} href=\"{{url}}\"{{/url}}>x</a>", "{\"url\":\"/x\"}", "<a href=\"/x\">x</a>");
	check("<a href=\"{{#u}}{{u}}{{/u}}{{^u}}/none{{/u}}\">", "{\"u\":\"data:x\"}", "<a href=\"#\">");
	check("<a{{! a comment }} title=\"{{t}}\">", "{\"t\":\"\\\"\"}", "<a title=\"&quot;\">");
}

/* ---- partials ---- */

static void test_partials(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(
		FILE_OF("foot.html", "<p>{{title}}</p>"),
		FILE_OF("page.html", "<ul>{{#rows}}{{> row }}{{/rows}}</ul>{{>foot}}"),
		FILE_OF("row.html", "<li>{{name}} of {{title}}</li>")));
	json_t *ctx = parse("{\"title\":\"T&C\",\"rows\":[{\"name\":\"a\"},{\"name\":\"b\",\"title\":\"own\"}]}");
	char *got = render_with(s, "page", ctx, NULL, NULL);
	assert_string_equal(got, "<ul><li>a of T&amp;C</li><li>b of own</li></ul><p>T&amp;C</p>");
	free(got);
	got = render_with(s, "row", ctx, NULL, NULL);
	assert_string_equal(got, "<li> of T&amp;C</li>");
	free(got);
	json_decref(ctx);
	tpl_set_free(s);
}

static void test_partials_are_escaped_where_they_land(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(
		FILE_OF("attrs.html", " name=\"{{n}}\"{{#req}} required{{/req}}"),
		FILE_OF("link.html", "{{url}}"),
		FILE_OF("page.html", "<a href=\"{{>link}}\">{{>link}}</a><a href=\"/go?u={{>link}}\">"
			"<input{{>attrs}}>")));
	json_t *ctx = json_pack("{s:s, s:s, s:b}", "url", "javascript:alert(1)", "n", "\"><x", "req", 1);
	char *got = render_with(s, "page", ctx, NULL, NULL);
	assert_string_equal(got, "<a href=\"#\">javascript:alert(1)</a><a href=\"/go?u=javascript%3Aalert%281%29\">"
		"<input name=\"&quot;&gt;&lt;x\" required>");
	free(got);
	json_decref(ctx);
	tpl_set_free(s);
}

static void test_partial_recursion_is_bounded(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(
		FILE_OF("a.html", "a{{>b}}"),
		FILE_OF("b.html", "b{{>a}}"),
		FILE_OF("self.html", "x{{>self}}")));
	char *got = render_with(s, "self", NULL, NULL, NULL);
	assert_string_equal(got, "xxxxxxxxxxxxxxxxx");   /* the page and 16 levels of partials */
	free(got);
	got = render_with(s, "a", NULL, NULL, NULL);
	assert_string_equal(got, "abababababababab" "a");
	free(got);
	tpl_set_free(s);
}

/* ---- translated text ---- */

typedef struct catalog {
	int calls;
	char last[64];
} catalog;

static const char *french(void *cls, const char *msgid)
{
	catalog *c = cls;
	c->calls++;
	snprintf(c->last, sizeof c->last, "%s", msgid);
	if (strcmp(msgid, "Search") == 0)
		return "Rechercher <tout> & \"plus\"";
	if (strcmp(msgid, "Next page") == 0)
		return "page suivante";
	return NULL;
}

static void test_translation(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(FILE_OF("t.html",
		"<p>{{_   Search  }}</p><input placeholder=\"{{_ Search}}\"><p>{{_ Not in the catalog }}</p>"
		"<a href=\"/s?q={{_ Next page}}\">{{_ Next page}}</a>")));
	catalog cat = { 0 };
	char *got = render_with(s, "t", NULL, french, &cat);
	assert_string_equal(got,
		"<p>Rechercher &lt;tout&gt; &amp; &quot;plus&quot;</p>"
		"<input placeholder=\"Rechercher &lt;tout&gt; &amp; &quot;plus&quot;\">"
		"<p>Not in the catalog</p><a href=\"/s?q=page%20suivante\">page suivante</a>");
	free(got);
	assert_int_equal(cat.calls, 5);
	assert_string_equal(cat.last, "Next page");
	got = render_with(s, "t", NULL, NULL, NULL);
	assert_string_equal(got, "<p>Search</p><input placeholder=\"Search\"><p>Not in the catalog</p>"
		"<a href=\"/s?q=Next%20page\">Next page</a>");
	free(got);
	tpl_set_free(s);
}

/* ---- raw HTML ---- */

static void test_raw_html_values(void **state)
{
	(void)state;
	check("<main>{{{html_body}}}</main>{{{ html_n }}}{{{html_missing}}}",
		"{\"html_body\":\"<p class=\\\"x\\\">a &amp; b</p>\",\"html_n\":7}",
		"<main><p class=\"x\">a &amp; b</p></main>7");
	check_error("<p>\n{{{body}}}</p>", "t.html:2: ", "html_");
	check_error("<a title=\"{{{html_t}}}\">", "t.html:1: ", "{{{html_t}}}");
}

/* ---- where the HTML scanner stands ---- */

static void test_scanner_leaves_script_style_and_comments(void **state)
{
	(void)state;
	check_str("<script>var a = \"<p title='\";</script><p>{{v}}</p>", "<", "<script>var a = \"<p title='\";</script><p>&lt;</p>");
	check_str("<style>a[title=\"x\"]{}</style><a title=\"{{v}}\">", "\"", "<style>a[title=\"x\"]{}</style><a title=\"&quot;\">");
	check_str("<!-- <a href=\" --><a href=\"{{v}}\">", "javascript:x", "<!-- <a href=\" --><a href=\"#\">");
	check_str("<!--><p>{{v}}</p><!---><b>{{v}}</b>", "&", "<!--><p>&amp;</p><!---><b>&amp;</b>");
	check_str("<!-- a --!><p>{{v}}</p>", "<", "<!-- a --!><p>&lt;</p>");
	check_str("<!doctype html><html lang=\"{{v}}\">", "fr", "<!doctype html><html lang=\"fr\">");
	check_str("<script>if (a </scripts> b) {}</script >{{v}}", "<", "<script>if (a </scripts> b) {}</script >&lt;");
}

/* ---- what the compiler refuses ---- */

static void test_refuses_script_style_and_comments(void **state)
{
	(void)state;
	check_error("<p>\nok\n<script>var x = {{x}};</script>", "t.html:3: ", "inside <script>");
	check_error("<SCRIPT type=\"module\">{{x}}</SCRIPT>", "t.html:1: ", "inside <script>");
	check_error("<script>\"</script\"{{x}}</script>", "t.html:1: ", "inside <script>");
	check_error("<style>p { color: {{c}} }</style>", "t.html:1: ", "inside <style>");
	check_error("<!-- {{x}} -->", "t.html:1: ", "inside an HTML comment");
	check_error("<!-- -- > {{x}} -->", "t.html:1: ", "inside an HTML comment");
	check_error("<script>{{#a}}{{/a}}</script>", "t.html:1: ", "inside <script>");
	check_error("<script>{{_ Words}}</script>", "t.html:1: ", "inside <script>");
}

static void test_refuses_dangerous_attributes(void **state)
{
	(void)state;
	check_error("<a onclick=\"go({{x}})\">", "t.html:1: ", "on* attribute");
	check_error("<body\nONLOAD='{{x}}'>", "t.html:2: ", "on* attribute");
	check_error("<p style=\"color: {{c}}\">", "t.html:1: ", "style attribute");
	check_error("<iframe srcdoc=\"{{html}}\">", "t.html:1: ", "srcdoc attribute");
	check_error("<p title={{x}}>", "t.html:1: ", "unquoted attribute value");
	check_error("<p title=a{{x}}>", "t.html:1: ", "unquoted attribute value");
	check_error("<{{x}}>", "t.html:1: ", "tag or attribute name");
	check_error("<p{{x}}>", "t.html:1: ", "tag or attribute name");
	check_error("<p {{x}}>", "t.html:1: ", "tag or attribute name");
	check_error("<p {{x}}=\"y\">", "t.html:1: ", "tag or attribute name");
	check_error("<p title {{x}}>", "t.html:1: ", "tag or attribute name");
	check_error("<p></p title=\"{{x}}\">", "t.html:1: ", "in an end tag");
	check_error("<p title=\"{{#a}}\">{{/a}}", "t.html:1: ", "section a begins in an attribute value");
	check_error("<p>\n<input {{_ required}}>", "t.html:2: ", "tag or attribute name");
	check_error("<a onclick=\"{{#a}}x(){{/a}}\">", "t.html:1: ", "on* attribute");
}

static void test_refuses_bad_structure(void **state)
{
	(void)state;
	check_error("a\n{{#open}}\nb", "t.html:2: ", "{{#open}} is never closed");
	check_error("{{! two\nlines }}\n{{/x}}", "t.html:3: ", "{{/x}} closes no section");
	check_error("{{#a}}\n{{^b}}\n{{/a}}", "t.html:3: ", "{{/a}} closes {{^b}} of line 2");
	check_error("x\n{{>nowhere}}", "t.html:2: ", "unknown partial");
	check_error("x\n{{{x}}}", "t.html:2: ", "only names starting html_");
	check_error("a\nb {{x", "t.html:2: ", "unterminated {{");
	check_error("{{{html_x}}", "t.html:1: ", "unterminated {{{");
	check_error("{{ }}", "t.html:1: ", "empty");
	check_error("{{a..b}}", "t.html:1: ", "not a name");
	check_error("{{#a}}<a href=\"{{/a}}\">", "t.html:1: ", "section a begins in text");
	check_error("<p>\n<a href=\"x", "t.html:2: ", "ends in an attribute value");
	check_error("{{_ }}", "t.html:1: ", "without words");
	check_files_error(FILES(FILE_OF("b.html", "x"), FILE_OF("b", "y")), "b", "also makes a template named b");
}

static void test_errors_in_partials_name_their_file(void **state)
{
	(void)state;
	/* fine in text, but included in an attribute value it reaches an on* attribute */
	check_files_error(FILES(
		FILE_OF("page.html", "<p>\n<a title=\"{{>p}}\">"),
		FILE_OF("p.html", "\" onclick=\"{{x}}")),
		"p.html:1: ", "in an on* attribute (included from page.html:2)");
	check_files_error(FILES(FILE_OF("page.html", "<a onclick=\"{{>p}}\">"), FILE_OF("p.html", "")),
		"page.html:1: ", "on* attribute");
	check_files_error(FILES(FILE_OF("page.html", "{{>p}}"), FILE_OF("p.html", "\n<a href=\"")),
		"p.html:2: ", "ends in an attribute value");
}

/* ---- the set ---- */

static void test_set_lookup_and_free(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(FILE_OF("empty.html", ""), FILE_OF("other", "{{x}}")));
	buf out = BUF_INIT;
	assert_int_equal(tpl_render(s, "nope", NULL, NULL, NULL, &out), -1);
	assert_int_equal(tpl_render(s, "empty.html", NULL, NULL, NULL, &out), -1);
	assert_int_equal(tpl_render(s, "empty", NULL, NULL, NULL, &out), 0);
	assert_int_equal(tpl_render(s, "other", NULL, NULL, NULL, &out), 0);
	assert_string_equal(buf_str(&out), "");
	buf_free(&out);
	tpl_set_free(s);
	tpl_set_free(NULL);
	s = load(FILES(FILE_OF("x.html", "")) + 1);   /* no files at all */
	assert_int_equal(tpl_render(s, "x", NULL, NULL, NULL, &out), -1);
	tpl_set_free(s);
}

static void test_render_appends(void **state)
{
	(void)state;
	tpl_set *s = load(FILES(FILE_OF("t.html", "<b>{{v}}</b>")));
	json_t *ctx = json_pack("{s:s}", "v", "x");
	buf out = BUF_INIT;
	buf_puts(&out, "before:");
	assert_int_equal(tpl_render(s, "t", ctx, NULL, NULL, &out), 0);
	assert_int_equal(tpl_render(s, "t", ctx, NULL, NULL, &out), 0);
	assert_string_equal(buf_str(&out), "before:<b>x</b><b>x</b>");
	buf_free(&out);
	json_decref(ctx);
	tpl_set_free(s);
}

static void test_the_real_templates_compile(void **state)
{
	(void)state;
	tpl_set *s = load(web_templates);
	json_t *ctx = json_pack("{s:s, s:s, s:s}", "lang", "fr", "title", "<T>", "html_body", "<main id=m></main>");
	char *got = render_with(s, "layout", ctx, NULL, NULL);
	if (!strstr(got, "<main id=m></main>") || strstr(got, "<T>"))
		fail_msg("layout gave %s", got);
	free(got);
	json_decref(ctx);
	tpl_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_html_escaped),
		cmocka_unit_test(test_attribute_values_are_html_escaped),
		cmocka_unit_test(test_url_start_refuses_other_schemes),
		cmocka_unit_test(test_url_start_passes_relative_and_web),
		cmocka_unit_test(test_every_url_attribute),
		cmocka_unit_test(test_url_components_are_percent_encoded),
		cmocka_unit_test(test_numbers_and_literals),
		cmocka_unit_test(test_section_over_array),
		cmocka_unit_test(test_section_over_truthy_values),
		cmocka_unit_test(test_falsy_values_and_inverted_sections),
		cmocka_unit_test(test_nested_contexts_and_outer_lookup),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_sections_in_tag_positions),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_partials_are_escaped_where_they_land),
		cmocka_unit_test(test_partial_recursion_is_bounded),
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_raw_html_values),
		cmocka_unit_test(test_scanner_leaves_script_style_and_comments),
		cmocka_unit_test(test_refuses_script_style_and_comments),
		cmocka_unit_test(test_refuses_dangerous_attributes),
		cmocka_unit_test(test_refuses_bad_structure),
		cmocka_unit_test(test_errors_in_partials_name_their_file),
		cmocka_unit_test(test_set_lookup_and_free),
		cmocka_unit_test(test_render_appends),
		cmocka_unit_test(test_the_real_templates_compile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
