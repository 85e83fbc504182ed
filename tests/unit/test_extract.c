/*
 * test_extract — documents' text: DOCX and ODT packages made here with
 * libzip, PDFs drawn here with Cairo and Pango (line by line, where the
 * paragraphs must be found again, and through the project's own writer),
 * in English, French and Spanish; the exact paragraphs and word counts
 * that come out, the type told by content alone, every limit at its edge,
 * every refusal with its sentence and the output left as it was, and
 * documents read on several threads at once, as the server's threads will.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <zip.h>

#include "formats/extract.h"
#include "formats/pdf.h"
#include "zipparts.h"

/* Fontconfig and poppler keep caches for the life of the process, held
 * through offsets LeakSanitizer cannot follow: not leaks of Liaison's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libpoppler.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }

/* Undefined behaviour on a file from outside is a fault like a crash: left
 * to itself UBSan prints its report and the test goes on to pass. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

/* ---- making documents ---------------------------------------------------- */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static void make_docx(const char *body, buf *out)
{
	buf xml = BUF_INIT;
	buf_printf(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		   "<w:document xmlns:w=\"" W_NS "\"><w:body>%s</w:body></w:document>", body);
	const part parts[] = {
		{ "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>", 1 },
		{ "word/document.xml", buf_str(&xml), 1 },
	};
	make_zip(parts, 2, out);
	buf_free(&xml);
}

static void make_odt_typed(const char *mimetype, const char *body, buf *out)
{
	buf xml = BUF_INIT;
	buf_printf(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
		   " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
		   " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" office:version=\"1.3\">"
		   "<office:body><office:text>%s</office:text></office:body></office:document-content>", body);
	const part parts[] = {
		{ "mimetype", mimetype, 0 },   /* first and stored, as ODF asks */
		{ "content.xml", buf_str(&xml), 1 },
	};
	make_zip(parts, 2, out);
	buf_free(&xml);
}

static void make_odt(const char *body, buf *out)
{
	make_odt_typed("application/vnd.oasis.opendocument.text", body, out);
}

/* One line of text drawn at a place of a page; page 0 ends the list. */
typedef struct pline {
	int page;
	double y, size;   /* baseline, font size, points */
	const char *text;
} pline;

static cairo_status_t into_buf(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* The text set in DejaVu Sans of the size given, as the tests draw it. */
static PangoLayout *set_text(cairo_t *cr, double size, const char *text)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(layout, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(layout, text, -1);
	return layout;
}

static void draw_line(cairo_t *cr, const pline *l)
{
	PangoLayout *layout = set_text(cr, l->size, l->text);
	cairo_move_to(cr, 72, l->y - pango_layout_get_baseline(layout) / (double)PANGO_SCALE);
	pango_cairo_show_layout(cr, layout);
	g_object_unref(layout);
}

/* A PDF of A4 pages holding the lines, each where it says. */
static void make_pdf(const pline *lines, buf *out)
{
	buf_reset(out);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(into_buf, out, 595, 842);
	cairo_t *cr = cairo_create(surface);
	int page = 1;
	for (const pline *l = lines; l->page; l++) {
		for (; page < l->page; page++)
			cairo_show_page(cr);
		draw_line(cr, l);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(surface);
}

/* ---- reading them -------------------------------------------------------- */

/* Extracts doc, sniffed, expecting success: the text and its words. */
static void expect_text(const buf *doc, doc_type type, const char *want, size_t want_words)
{
	assert_int_equal(extract_sniff((const unsigned char *)doc->data, doc->len), type);
	buf out = BUF_INIT;
	char err[256] = "";
	size_t words = 0;
	int rc = extract_text((const unsigned char *)doc->data, doc->len, type, NULL, &out, &words, err, sizeof err);
	if (rc != 0)
		fail_msg("extract_text: %s", err);
	assert_string_equal(buf_str(&out), want);
	assert_int_equal(words, want_words);
	buf_free(&out);
}

/* Extracts doc as type with lim, expecting the refusal why; what out held
 * before is all it holds after. */
static void expect_refusal(const buf *doc, doc_type type, const extract_limits *lim, const char *why)
{
	buf out = BUF_INIT;
	buf_puts(&out, "before");
	char err[256] = "";
	size_t words = 99;
	assert_int_equal(extract_text((const unsigned char *)doc->data, doc->len, type, lim, &out, &words, err, sizeof err),
			 -1);
	assert_string_equal(err, why);
	assert_string_equal(buf_str(&out), "before");
	assert_int_equal(out.len, 6);
	assert_int_equal(words, 99);
	buf_free(&out);
}

/* ---- paragraphs ---------------------------------------------------------- */

static const char docx_body[] =
	"<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
	"<w:r><w:t>The Council welcomed the </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>co-operation</w:t></w:r>"
	"<w:r><w:t xml:space=\"preserve\"> of 12 Member States  in 2026.</w:t></w:r></w:p>"
	"<w:p><w:r><w:t>Le Conseil s\u2019est f\u00e9licit\u00e9 de l\u2019e\uFB03cacit\u00e9&#160;: 45&#160;% des "
	"\u00c9tats membres.</w:t></w:r><w:del><w:r><w:tab/><w:delText>supprim\u00e9</w:delText></w:r></w:del></w:p>"
	"<w:p><w:r><w:t>Punto</w:t><w:tab/><w:t>Tema</w:t><w:br/><w:t>La Organizaci\u00f3n colabor\u00f3 con Espa\u00f1a y "
	"Per\u00fa en 2025\u20132026 &amp; m\u00e1s.</w:t></w:r></w:p>"
	"<w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r><w:moveFrom w:id=\"1\"><w:r><w:t>Moved</w:t></w:r>"
	"</w:moveFrom></w:p>"
	"<w:tbl><w:tr><w:tc><w:p><w:r><w:instrText> PAGE </w:instrText><w:t>Cell</w:t><w:softHyphen/>"
	"<w:t>\u00ad one</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
	"<w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
	"<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent>"
	"</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p>"
	"</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
	"<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>";

static const char docx_text[] =
	"The Council welcomed the co-operation of 12 Member States in 2026.\n"
	"Le Conseil s\u2019est f\u00e9licit\u00e9 de l\u2019efficacit\u00e9 : 45 % des \u00c9tats membres.\n"
	"Punto\tTema La Organizaci\u00f3n colabor\u00f3 con Espa\u00f1a y Per\u00fa en 2025\u20132026 & m\u00e1s.\n"
	"Cell one\n"
	"Boxed";

static void test_docx(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_docx(docx_body, &doc);
	/* 11 English words, 10 French, 13 Spanish, 2 in the table, 1 in a text box (once) */
	expect_text(&doc, DOC_DOCX, docx_text, 37);
	buf_free(&doc);
}

/* Notes are in parts of their own, read after the body: footnotes, then
 * endnotes; the separators Word writes as notes hold no text. */
static void test_docx_notes(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	static const char body[] = "<?xml version=\"1.0\"?><w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>El Consejo "
				   "aprob\u00f3 el informe.</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p></w:body>"
				   "</w:document>";
	const part parts[] = {
		{ "word/document.xml", body, 1 },
		{ "word/endnotes.xml", "<w:endnotes xmlns:w=\"" W_NS "\"><w:endnote w:id=\"1\"><w:p><w:r><w:t>Nota "
				       "final.</w:t></w:r></w:p></w:endnote></w:endnotes>", 1 },
		{ "word/footnotes.xml", "<w:footnotes xmlns:w=\"" W_NS "\"><w:footnote w:type=\"separator\" w:id=\"-1\">"
					"<w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r>"
					"<w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> V\u00e9ase el documento C/115/2."
					"</w:t></w:r></w:p></w:footnote></w:footnotes>", 1 },
	};
	make_zip(parts, 3, &doc);
	expect_text(&doc, DOC_DOCX, "El Consejo aprob\u00f3 el informe.\nV\u00e9ase el documento C/115/2.\nNota final.",
		    5 + 6 + 2);

	const part broken[] = { parts[0], { "word/footnotes.xml", "<w:footnotes>", 1 } };
	make_zip(broken, 2, &doc);
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX's word/footnotes.xml is not well-formed XML (line 1)");
	buf_free(&doc);
}

static void test_odt(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_odt("<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion><text:p>Texte supprim\u00e9"
		 "</text:p></text:deletion></text:changed-region></text:tracked-changes>"
		 "<text:h text:outline-level=\"1\">Coop\u00e9ration \n  internationale</text:h>"
		 "<text:p>  Le Conseil<text:s text:c=\"3\"/>s\u2019est <text:span>f\u00e9licit\u00e9</text:span> de "
		 "l\u2019e\uFB03cacit\u00e9\u00a0: 45\u00a0% des \u00c9tats membres.<office:annotation><text:p>Un "
		 "commentaire</text:p></office:annotation></text:p>"
		 "<text:p>Punto<text:tab/>Tema<text:line-break/>La Organizaci\u00f3n colabor\u00f3."
		 "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body>"
		 "<text:p>Nota al pie.</text:p></text:note-body></text:note></text:p>"
		 "<text:p>   </text:p><text:list><text:list-item><text:p><![CDATA[Item <one>]]></text:p>"
		 "</text:list-item></text:list>",
		 &doc);
	expect_text(&doc, DOC_ODT,
		    "Coop\u00e9ration internationale\n"
		    "Le Conseil s\u2019est f\u00e9licit\u00e9 de l\u2019efficacit\u00e9 : 45 % des \u00c9tats membres.\n"
		    "Punto\tTema La Organizaci\u00f3n colabor\u00f3.\n"
		    "Nota al pie.\n"
		    "Item <one>",
		    2 + 10 + 5 + 3 + 2);
	buf_free(&doc);
}

/* Lines placed as a typesetter places them: the paragraphs come back from
 * their gaps, sizes, bullets and short last lines; cut words are joined. */
static const pline layout[] = {
	{ 1, 100, 11, "Le Conseil a salu\u00e9 la coop\u00e9-" },
	{ 1, 114, 11, "ration des \u00c9tats-" },
	{ 1, 128, 11, "Unis et des autres \u00c9tats membres de l\u2019Organisation internationale." },
	{ 1, 142, 11, "Une seconde phrase suit." },
	{ 1, 156, 11, "Ce paragraphe finit sur une ligne sans point" },
	{ 1, 184, 11, "Un autre commence apr\u00e8s un blanc" },
	{ 1, 198, 11, "\u2022 Premier point de la liste" },
	{ 1, 212, 11, "\u2022 Segundo punto de la lista" },
	{ 1, 240, 16, "Cooperaci\u00f3n internacional" },
	{ 1, 256, 11, "El texto sigue bajo el t\u00edtulo." },
	{ 2, 100, 11, "La p\u00e1gina siguiente empieza otro p\u00e1rrafo." },
	{ 0 },
};

static void test_pdf_lines(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_pdf(layout, &doc);
	expect_text(&doc, DOC_PDF,
		    "Le Conseil a salu\u00e9 la coop\u00e9ration des \u00c9tats-Unis et des autres \u00c9tats membres de "
		    "l\u2019Organisation internationale. Une seconde phrase suit.\n"
		    "Ce paragraphe finit sur une ligne sans point\n"
		    "Un autre commence apr\u00e8s un blanc\n"
		    "\u2022 Premier point de la liste\n"
		    "\u2022 Segundo punto de la lista\n"
		    "Cooperaci\u00f3n internacional\n"
		    "El texto sigue bajo el t\u00edtulo.\n"
		    "La p\u00e1gina siguiente empieza otro p\u00e1rrafo.",
		    20 + 8 + 6 + 5 + 5 + 2 + 6 + 6);
	buf_free(&doc);
}

/* Pages with a running head, the document's symbol, and a foot, the page's
 * number: both left out, and the paragraphs the page breaks cut go on. */
static const pline furnished[] = {
	{ 1, 40, 9, "C/115/1" },
	{ 1, 100, 11, "Le Conseil a pris note du rapport et a remerci\u00e9 les d\u00e9l\u00e9gations" },
	{ 1, 800, 9, "Page 1 de 3" },
	{ 2, 40, 9, "C/115/1" },
	{ 2, 100, 11, "qui ont pr\u00e9sent\u00e9 leurs observations." },
	{ 2, 114, 11, "Le Secr\u00e9tariat a pr\u00e9sent\u00e9 le budget et la coop\u00e9-" },
	{ 2, 800, 9, "Page 2 de 3" },
	{ 3, 40, 9, "C/115/1" },
	{ 3, 100, 11, "ration r\u00e9gionale des \u00c9tats membres." },
	{ 3, 114, 11, "Page 3 de 3" },   /* not at the same height as the feet before it: text */
	{ 3, 800, 9, "Page 3 de 3" },
	{ 0 },
};

static void test_pdf_furniture(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_pdf(furnished, &doc);
	expect_text(&doc, DOC_PDF,
		    "Le Conseil a pris note du rapport et a remerci\u00e9 les d\u00e9l\u00e9gations qui ont "
		    "pr\u00e9sent\u00e9 leurs observations.\n"
		    "Le Secr\u00e9tariat a pr\u00e9sent\u00e9 le budget et la coop\u00e9ration r\u00e9gionale des "
		    "\u00c9tats membres.\n"
		    "Page 3 de 3",
		    17 + 13 + 4);
	make_pdf((const pline[]){ furnished[0], furnished[1], furnished[2], { 0 } }, &doc);
	expect_text(&doc, DOC_PDF,   /* a page alone: nothing repeats */
		    "C/115/1\n"
		    "Le Conseil a pris note du rapport et a remerci\u00e9 les d\u00e9l\u00e9gations\n"
		    "Page 1 de 3",
		    3 + 12 + 4);
	buf_free(&doc);
}

/* Lines a line and a half apart, as drafts are set: a paragraph is told by
 * more space than its page's usual, not by space between the lines' boxes. */
static const pline spaced[] = {
	{ 1, 100, 11, "La Conferencia Regional examin\u00f3 las propuestas presentadas por" },
	{ 1, 118, 11, "los Estados Miembros y las organizaciones de la sociedad civil" },
	{ 1, 136, 11, "durante las consultas" },
	{ 1, 172, 11, "El Presidente agradeci\u00f3 a los participantes su contribuci\u00f3n" },
	{ 1, 190, 11, "y clausur\u00f3 la reuni\u00f3n" },
	{ 0 },
};

static void test_pdf_spacing(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_pdf(spaced, &doc);
	expect_text(&doc, DOC_PDF,
		    "La Conferencia Regional examin\u00f3 las propuestas presentadas por los Estados Miembros y las "
		    "organizaciones de la sociedad civil durante las consultas\n"
		    "El Presidente agradeci\u00f3 a los participantes su contribuci\u00f3n y clausur\u00f3 la reuni\u00f3n",
		    21 + 12);
	buf_free(&doc);
}

/* Lines set ragged right: a sentence that ends a line short of the margin
 * goes on when the next line's first word would not have fitted there. */
static const pline ragged[] = {
	{ 1, 100, 11, "Le Conseil a examin\u00e9 le rapport annuel de l\u2019Organisation." },
	{ 1, 114, 11, "Il a pris note des recommandations du Comit\u00e9." },
	{ 1, 128, 11, "Conform\u00e9ment \u00e0 son r\u00e8glement, il a d\u00e9cid\u00e9 de poursuivre" },
	{ 1, 142, 11, "l\u2019examen de la question \u00e0 sa session." },
	{ 1, 156, 11, "Ensuite, la s\u00e9ance a \u00e9t\u00e9 lev\u00e9e." },
	{ 0 },
};

static double text_width(const char *text)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *cr = cairo_create(surface);
	PangoLayout *layout = set_text(cr, 11, text);
	int w, h;
	pango_layout_get_size(layout, &w, &h);
	g_object_unref(layout);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return (double)w / PANGO_SCALE;
}

static void test_pdf_ragged(void **state)
{
	(void)state;
	/* what the lines are made to be: the second short by more than a tenth
	 * of the first but less than "Conformément ", the fourth by more than
	 * "Ensuite, " */
	double longest = text_width(ragged[0].text), short_by = longest - text_width(ragged[1].text);
	assert_true(short_by > 0.1 * longest);
	assert_true(short_by < text_width("Conform\u00e9ment "));
	assert_true(longest - text_width(ragged[3].text) > text_width("Ensuite, "));
	buf doc = BUF_INIT;
	make_pdf(ragged, &doc);
	expect_text(&doc, DOC_PDF,
		    "Le Conseil a examin\u00e9 le rapport annuel de l\u2019Organisation. Il a pris note des "
		    "recommandations du Comit\u00e9. Conform\u00e9ment \u00e0 son r\u00e8glement, il a d\u00e9cid\u00e9 de "
		    "poursuivre l\u2019examen de la question \u00e0 sa session.\n"
		    "Ensuite, la s\u00e9ance a \u00e9t\u00e9 lev\u00e9e.",
		    9 + 8 + 9 + 7 + 6);
	buf_free(&doc);
}

/* Paragraphs long enough to wrap, laid out by the project's PDF writer. */
static const char *const wrapped[] = {
	"The Standing Committee on Programmes and Finance took note of the report and requested the "
	"Administration to present an updated version of the financial statements at its next session, "
	"together with the comments of the external auditors.",
	"Le Comit\u00e9 permanent des programmes et des finances a pris note du rapport et pri\u00e9 "
	"l\u2019Administration de pr\u00e9senter une version actualis\u00e9e des \u00e9tats financiers \u00e0 sa "
	"prochaine session, accompagn\u00e9e des observations des v\u00e9rificateurs externes\u00a0: 98\u00a0%.",
	"El Comit\u00e9 Permanente de Programas y Finanzas tom\u00f3 nota del informe y pidi\u00f3 a la "
	"Administraci\u00f3n que presentara una versi\u00f3n actualizada de los estados financieros en su "
	"pr\u00f3xima reuni\u00f3n, junto con las observaciones de los auditores externos.",
};

static void test_pdf_wrapped(void **state)
{
	(void)state;
	pdf_doc *d = pdf_new("Informe", "es");
	pdf_heading(d, 1, "Finanzas");
	for (size_t i = 0; i < 3; i++)
		pdf_paragraph(d, wrapped[i]);
	buf doc = BUF_INIT;
	char err[128];
	assert_int_equal(pdf_finish(d, &doc, err, sizeof err), 0);
	buf want = BUF_INIT;
	buf_puts(&want, "Finanzas");
	for (size_t i = 0; i < 3; i++)
		buf_printf(&want, "\n%s", wrapped[i]);
	/* the no-break spaces come out as spaces */
	char *nbsp;
	while ((nbsp = strstr(want.data, "\u00a0")) != NULL) {
		nbsp[0] = ' ';
		memmove(nbsp + 1, nbsp + 2, strlen(nbsp + 2) + 1);
		want.len--;
	}
	expect_text(&doc, DOC_PDF, buf_str(&want), 1 + 37 + 35 + 37);
	buf_free(&want);
	buf_free(&doc);
}

/* ---- types by content ---------------------------------------------------- */

static doc_type sniff(const buf *b) { return extract_sniff((const unsigned char *)b->data, b->len); }

static doc_type sniff_text(const char *s) { return extract_sniff((const unsigned char *)s, strlen(s)); }

static void test_sniff(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	make_pdf(layout, &b);
	assert_int_equal(sniff(&b), DOC_PDF);   /* whatever it is called */
	make_docx("<w:p/>", &b);
	assert_int_equal(sniff(&b), DOC_DOCX);
	make_odt("<text:p/>", &b);
	assert_int_equal(sniff(&b), DOC_ODT);
	make_odt_typed("application/vnd.oasis.opendocument.spreadsheet", "", &b);
	assert_int_equal(sniff(&b), DOC_UNKNOWN);   /* a spreadsheet is no text document */
	make_odt_typed("application/vnd.oasis.opendocument.text\n", "", &b);
	assert_int_equal(sniff(&b), DOC_UNKNOWN);
	const part plain_zip[] = { { "word/notes.txt", "not a document", 1 }, { "readme.txt", "hello", 0 } };
	make_zip(plain_zip, 2, &b);
	assert_int_equal(sniff(&b), DOC_UNKNOWN);
	const part polyglot[] = { { "notes.txt", "%PDF-1.4 is quoted here", 0 }, { "word/document.xml", "<w:document/>", 1 } };
	make_zip(polyglot, 2, &b);
	assert_int_equal(sniff(&b), DOC_DOCX);   /* a package, whatever its first part says */
	const part upper[] = { { "WORD/Document.xml", "<w:document/>", 1 } };
	make_zip(upper, 1, &b);
	assert_int_equal(sniff(&b), DOC_DOCX);   /* part names are read as Office reads them, the case aside */
	const part workbook[] = { { "[Content_Types].xml", "<Types/>", 1 }, { "xl/workbook.xml", "<workbook/>", 1 } };
	make_zip(workbook, 2, &b);
	assert_int_equal(sniff(&b), DOC_XLSX);   /* a workbook is known, for those who take one */
	expect_refusal(&b, DOC_XLSX, NULL, "the text of an XLSX workbook is not read");
	const part both[] = { { "word/document.xml", "<w:document/>", 1 }, { "xl/workbook.xml", "<workbook/>", 1 } };
	make_zip(both, 2, &b);
	assert_int_equal(sniff(&b), DOC_DOCX);   /* a word-processing part makes a DOCX, as before */
	buf_free(&b);

	assert_int_equal(sniff_text("Rapport du Conseil, cent-quinzi\u00e8me session.\n"), DOC_UNKNOWN);
	assert_int_equal(sniff_text(""), DOC_UNKNOWN);
	assert_int_equal(sniff_text("PK\3\4 broken"), DOC_UNKNOWN);
	assert_int_equal(extract_sniff(NULL, 10), DOC_UNKNOWN);
	assert_int_equal(sniff_text("%PDF"), DOC_UNKNOWN);
	buf junk = BUF_INIT;
	for (int i = 0; i < 1019; i++)
		buf_putc(&junk, ' ');
	buf_puts(&junk, "%PDF-1.7");
	assert_int_equal(sniff(&junk), DOC_PDF);   /* the header ends at byte 1,024 */
	buf_reset(&junk);
	for (int i = 0; i < 1020; i++)
		buf_putc(&junk, ' ');
	buf_puts(&junk, "%PDF-1.7");
	assert_int_equal(sniff(&junk), DOC_UNKNOWN);   /* one byte later, past where readers look */
	buf_free(&junk);
	assert_string_equal(extract_type_name(DOC_ODT), "ODT");
	assert_string_equal(extract_type_name(DOC_XLSX), "XLSX");
	assert_string_equal(extract_type_name(DOC_UNKNOWN), "unknown");
}

/* ---- words --------------------------------------------------------------- */

static void test_words(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t words;
	} cases[] = {
		{ "", 0 },
		{ " \t ", 0 },
		{ "one", 1 },
		{ "  two words ", 2 },
		{ "aujourd\u2019hui l'Organisation", 2 },
		{ "\u00c9tats-Unis co-operation", 2 },
		{ "a - b", 2 },                       /* a dash between spaces is no word, and joins nothing */
		{ "word-", 1 },
		{ "1,250.75 et 3.5%", 3 },
		{ "fin. D\u00e9but", 2 },              /* a point between letters ends a word */
		{ "2025\u20132026", 2 },               /* an en dash is no hyphen */
		{ "\u00bfQu\u00e9 pasa? \u00a1Nada!", 3 },
		{ "\u00e9t\u00e9, \u00e0 Gen\u00e8ve", 3 },
		{ "cafe\u0301 noir", 2 },         /* a combining accent stays in its word */
		{ "\xff\xfe bad bytes", 2 },
		{ "C/115/1", 3 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t got = extract_count_words(cases[i].text, strlen(cases[i].text));
		if (got != cases[i].words)
			fail_msg("'%s': %zu words, not %zu", cases[i].text, got, cases[i].words);
	}
}

/* ---- limits -------------------------------------------------------------- */

static void test_limit_text(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_docx(docx_body, &doc);
	extract_limits lim = extract_default_limits;
	lim.max_text = strlen(docx_text);
	buf out = BUF_INIT;
	char err[256];
	assert_int_equal(extract_text((const unsigned char *)doc.data, doc.len, DOC_DOCX, &lim, &out, NULL, err, sizeof err), 0);
	assert_string_equal(buf_str(&out), docx_text);   /* exactly at the cap */
	buf_free(&out);
	lim.max_text--;
	char why[64];
	snprintf(why, sizeof why, "the text is longer than %zu bytes", lim.max_text);
	expect_refusal(&doc, DOC_DOCX, &lim, why);
	make_pdf(layout, &doc);
	lim.max_text = 100;
	expect_refusal(&doc, DOC_PDF, &lim, "the text is longer than 100 bytes");
	buf_free(&doc);
}

static void test_limit_unzipped(void **state)
{
	(void)state;
	buf body = BUF_INIT, doc = BUF_INIT;
	buf_puts(&body, "<w:p><w:r><w:t>");
	for (int i = 0; i < 1 << 20; i++)
		buf_puts(&body, "aaaaaaaa");   /* 8 MiB that deflate to a few kilobytes */
	buf_puts(&body, "</w:t></w:r></w:p>");
	make_docx(body.data, &doc);
	assert_true(doc.len < 64 << 10);
	extract_limits lim = extract_default_limits;
	lim.max_unzipped = 1 << 20;
	expect_refusal(&doc, DOC_DOCX, &lim,
		       "the DOCX's word/document.xml is larger than 1048576 bytes unpacked");
	lim.max_unzipped = 9 << 20;
	lim.max_text = 1 << 20;
	expect_refusal(&doc, DOC_DOCX, &lim, "the text is longer than 1048576 bytes");
	lim.max_text = 9 << 20;
	buf out = BUF_INIT;
	size_t words = 0;
	assert_int_equal(extract_text((const unsigned char *)doc.data, doc.len, DOC_DOCX, &lim, &out, &words, NULL, 0), 0);
	assert_int_equal(out.len, 8 << 20);
	assert_int_equal(words, 1);
	buf_free(&out);
	buf_free(&body);
	buf_free(&doc);
}

static void test_limit_pages(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	make_pdf(layout, &doc);   /* two pages */
	extract_limits lim = extract_default_limits;
	lim.max_pages = 1;
	expect_refusal(&doc, DOC_PDF, &lim, "the PDF has 2 pages, more than the 1 allowed");
	lim.max_pages = 2;
	buf out = BUF_INIT;
	assert_int_equal(extract_text((const unsigned char *)doc.data, doc.len, DOC_PDF, &lim, &out, NULL, NULL, 0), 0);
	assert_true(out.len > 100);
	buf_free(&out);
	buf_free(&doc);
}

/* ---- refusals ------------------------------------------------------------ */

static void test_refusals(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	buf_puts(&doc, "Just a text file.\n");
	expect_refusal(&doc, DOC_UNKNOWN, NULL, "the file is not a PDF, DOCX or ODT document");
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX is not a readable ZIP package");

	buf_reset(&doc);
	buf_add(&doc, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12);
	assert_int_equal(sniff(&doc), DOC_UNKNOWN);
	expect_refusal(&doc, DOC_UNKNOWN, NULL,
		       "the file is an encrypted DOCX or an older Word document (.doc), neither of which can be read");

	const part sealed[] = {
		{ "mimetype", "application/vnd.oasis.opendocument.text", 0 },
		{ "META-INF/manifest.xml", "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:"
					   "manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\">"
					   "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/>"
					   "</manifest:file-entry></manifest:manifest>", 1 },
		{ "content.xml", "\x8f\x13\xa7 ciphertext", 0 },
	};
	make_zip(sealed, 3, &doc);
	assert_int_equal(sniff(&doc), DOC_ODT);
	expect_refusal(&doc, DOC_ODT, NULL, "the ODT is encrypted");
	const part unsealed[] = {
		{ "mimetype", "application/vnd.oasis.opendocument.text", 0 },
		{ "META-INF/manifest.xml", "", 0 },
		{ "content.xml", "<x/>", 1 },
	};
	make_zip(unsealed, 3, &doc);
	expect_text(&doc, DOC_ODT, "", 0);   /* an empty manifest says nothing of a cipher */

	make_odt("<text:p>Texte</text:p>", &doc);
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX has no word/document.xml");
	make_docx("<w:p/>", &doc);
	expect_refusal(&doc, DOC_ODT, NULL, "the ODT has no content.xml");
	expect_refusal(&doc, DOC_PDF, NULL, "the PDF is damaged and cannot be read");

	make_docx("<w:p><w:r><w:t>unclosed</w:r></w:p>", &doc);
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX's word/document.xml is not well-formed XML (line 2)");

	const part laughs[] = { { "word/document.xml",
				  "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"haha\">"
				  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
				  "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>"
				  "</w:body></w:document>", 1 } };
	make_zip(laughs, 1, &doc);
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX's word/document.xml declares a DTD, which no document needs");

	const part external[] = { { "content.xml",
				    "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://example.org/x.dtd\"><x/>", 1 },
				  { "mimetype", "application/vnd.oasis.opendocument.text", 0 } };
	make_zip(external, 2, &doc);
	assert_int_equal(sniff(&doc), DOC_ODT);
	expect_refusal(&doc, DOC_ODT, NULL, "the ODT's content.xml declares a DTD, which no document needs");

	buf deep = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_puts(&deep, "<w:sdt>");
	for (int i = 0; i < 200; i++)
		buf_puts(&deep, "</w:sdt>");
	make_docx(deep.data, &doc);
	expect_refusal(&doc, DOC_DOCX, NULL, "the DOCX's word/document.xml is nested too deeply");
	buf_free(&deep);
	buf_free(&doc);
}

/* A PDF whose standard security handler wants a password the empty one is not. */
static const char encrypted_pdf[] =
	"%PDF-1.4\n"
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
	"4 0 obj << /Filter /Standard /V 1 /R 2 /P -44\n"
	"  /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>\n"
	"  /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >> endobj\n"
	"trailer << /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
	" <00112233445566778899aabbccddeeff>] >>\n"
	"%%EOF\n";

static void test_pdf_refusals(void **state)
{
	(void)state;
	buf doc = BUF_INIT;
	buf_puts(&doc, encrypted_pdf);
	assert_int_equal(sniff(&doc), DOC_PDF);
	expect_refusal(&doc, DOC_PDF, NULL, "the PDF is encrypted");

	buf_reset(&doc);
	buf_puts(&doc, "%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n");
	expect_refusal(&doc, DOC_PDF, NULL, "the PDF is damaged and cannot be read");
	buf_free(&doc);
}

/* ---- threads -------------------------------------------------------------- */

#define THREADS 4
#define READS 5

typedef struct reader {
	const buf *doc;
	doc_type type;
	const char *want;
	int wrong;   /* reads whose text was not want */
} reader;

static void *read_again(void *arg)
{
	reader *r = arg;
	for (int i = 0; i < READS; i++) {
		buf out = BUF_INIT;
		if (extract_text((const unsigned char *)r->doc->data, r->doc->len, r->type, NULL, &out, NULL, NULL, 0) != 0 ||
		    strcmp(buf_str(&out), r->want) != 0)
			r->wrong++;
		buf_free(&out);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	buf pdf = BUF_INIT, docx = BUF_INIT, pdf_text = BUF_INIT;
	make_pdf(layout, &pdf);
	make_docx(docx_body, &docx);
	assert_int_equal(extract_text((const unsigned char *)pdf.data, pdf.len, DOC_PDF, NULL, &pdf_text, NULL, NULL, 0), 0);
	reader r[THREADS];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++) {
		r[i] = i % 2 ? (reader){ &docx, DOC_DOCX, docx_text, 0 } : (reader){ &pdf, DOC_PDF, pdf_text.data, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, read_again, &r[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].wrong, 0);
	}
	buf_free(&pdf_text);
	buf_free(&pdf);
	buf_free(&docx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_docx_notes),
		cmocka_unit_test(test_odt),
		cmocka_unit_test(test_pdf_lines),
		cmocka_unit_test(test_pdf_wrapped),
		cmocka_unit_test(test_pdf_ragged),
		cmocka_unit_test(test_pdf_spacing),
		cmocka_unit_test(test_pdf_furniture),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_limit_text),
		cmocka_unit_test(test_limit_unzipped),
		cmocka_unit_test(test_limit_pages),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_pdf_refusals),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
