"""The briefing pack as PDF, judged by tools that are not Liaison's (poppler-utils and
fontconfig's fc-list): a tagged PDF with its title, structure (headings, paragraphs, lists,
tables) and language, and visitors named in Arabic, Chinese, Japanese and Cyrillic drawn
with real glyphs of embedded fonts and read back as the same Unicode text."""

import http.client
import os
import re
import subprocess
import tempfile
import unicodedata

from harness import ServerTest

# Invented visitors; each name in the script the pack must draw.
VISITORS = [
    ("سمير", "حداد", "مستشار"),           # Arabic, which also needs shaping
    ("小明", "王", "顾问"),                # Chinese
    ("花子", "山田", "参事官"),            # Japanese (kanji)
    ("Людмила", "Вершинина", "советник"),  # Cyrillic
]
TITLE = "Visita de la delegación del Consejo de Puertos"

# Bidirectional marks pdftotext puts around right-to-left runs.
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def run(*args):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return proc


def letters(text):
    """The text without spaces and bidirectional marks: pdftotext guesses word spaces
    from glyph positions, and inside shaped Arabic it guesses some that are not there."""
    return "".join(text.split()).translate(BIDI_MARKS)


class BriefingPackPdfTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        org = s.post("/api/v1/organizations?force=true", {"name": {"es": "Consejo de Puertos Ficticios"}, "type": "igo",
                                                          "country": "CH"}, user="ana").json()["id"]
        people = []
        for given, family, position in VISITORS:
            r = s.post("/api/v1/persons?force=true", {"given_name": given, "family_name": family, "position": position,
                                                      "organization": org}, user="ana")
            assert r.status == 201, r
            people.append(r.json()["id"])
        s.post("/api/v1/interactions", {"date": "2026-11-02", "kind": "call", "subject": "Llamada preparatoria",
                                        "participants": [{"kind": "organizations", "id": org}]}, user="ana")
        b = s.post("/api/v1/briefings", {"title": TITLE, "organization": org, "language": "es", "status": "requested",
                                         "visitors": [{"kind": "persons", "id": p} for p in people]}, user="ana")
        assert b.status == 201, b
        cls.bid = b.json()["id"]
        from test_pages import Client
        cls.c = Client(s)
        cls.c.sign_in("ana")
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        try:
            conn.request("GET", "/briefings/%d/pack.pdf" % cls.bid, headers=cls.c._headers())
            resp = conn.getresponse()
            cls.status, cls.ctype, cls.pdf = resp.status, resp.getheader("Content-Type"), resp.read()
        finally:
            conn.close()
        fd, cls.path = tempfile.mkstemp(suffix=".pdf")
        with os.fdopen(fd, "wb") as f:
            f.write(cls.pdf)

    @classmethod
    def tearDownClass(cls):
        os.unlink(cls.path)
        super().tearDownClass()

    def names(self):
        return [given + " " + family for given, family, _ in VISITORS]

    def test_a_whole_pdf(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.ctype, "application/pdf")
        info = run("pdfinfo", self.path)
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertEqual(info.stderr, "")  # poppler says nothing about a broken xref or object

    def test_tagged_with_its_title(self):
        info = run("pdfinfo", self.path).stdout
        self.assertRegex(info, r"(?m)^Tagged:\s+yes$")
        self.assertRegex(info, r"(?m)^Title:\s+%s$" % re.escape(TITLE))

    def test_structure(self):
        tree = run("pdfinfo", "-struct-text", self.path)
        self.assertEqual(tree.returncode, 0, tree.stderr)
        self.assertEqual(tree.stderr, "")  # nothing poppler finds wrong in the tree (one root, known types)
        self.assertTrue(tree.stdout.startswith("Document\n"))
        kinds = set(re.findall(r"(?m)^\s*([A-Za-z0-9]+)(?: \(block\))?$", tree.stdout))
        for kind in ("H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD"):
            self.assertIn(kind, kinds, tree.stdout[:2000])
        # each visitor is a table cell holding exactly the name, and the column headers are TH
        for name in self.names():
            self.assertRegex(tree.stdout, r'TD\n\s+"%s"\n' % re.escape(name))
        self.assertRegex(tree.stdout, r'TH\n\s+"Nombre"\n')
        # the running header is not part of the structure: the title appears once, as a paragraph
        self.assertEqual(tree.stdout.count('"%s"' % TITLE), 1)

    def test_language_and_title_shown_by_viewers(self):
        """The catalog the last trailer names says /Lang and /DisplayDocTitle (an incremental update)."""
        pdf = self.pdf
        start = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
        self.assertEqual(pdf[start:start + 4], b"xref")
        root = int(re.search(rb"/Root (\d+) 0 R", pdf[start:]).group(1))
        offset = int(re.search(rb"xref\n%d 1\n(\d{10}) 00000 n \n" % root, pdf[start:]).group(1))
        catalog = pdf[offset:pdf.index(b"endobj", offset)]
        self.assertTrue(catalog.startswith(b"%d 0 obj" % root), catalog[:40])
        self.assertIn(b"/Type /Catalog", catalog)
        self.assertIn(b"/Lang (es)", catalog)
        self.assertIn(b"/DisplayDocTitle true", catalog)
        self.assertIn(b"/MarkInfo << /Marked true >>", catalog)

    def test_names_read_back_as_the_same_text(self):
        text = run("pdftotext", "-enc", "UTF-8", self.path, "-")
        self.assertEqual(text.returncode, 0, text.stderr)
        got = letters(text.stdout)
        for given, family, position in VISITORS:
            for part in (given, family, position):
                self.assertIn(letters(part), got)

    def fonts(self):
        out = run("pdffonts", self.path)
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = out.stdout.splitlines()[2:]
        self.assertTrue(rows)
        return rows

    def test_every_font_embedded(self):
        for row in self.fonts():
            # name, type (may hold spaces), encoding, emb, sub, uni, object id, generation
            emb = row.split()[-5]
            self.assertEqual(emb, "yes", row)

    def test_every_name_drawn_with_a_font_that_has_its_glyphs(self):
        """A character no installed font has is drawn by Pango as a box with its hex code: the
        names would still be cells in the tree, but no embedded font covers their letters.  Ask
        fontconfig which fonts cover each name, and find one of them embedded."""
        embedded = {row.split()[0].split("+", 1)[-1] for row in self.fonts()}
        for given, family, _ in VISITORS:
            chars = {c for c in given + family if unicodedata.category(c).startswith("L")}
            charset = " ".join("%x" % ord(c) for c in sorted(chars))
            covering = run("fc-list", ":charset=" + charset, "postscriptname").stdout
            names = set(re.findall(r"postscriptname=(\S+)", covering))
            self.assertTrue(names & embedded, "no embedded font covers %s %s (embedded: %s; covering: %s)"
                            % (given, family, sorted(embedded), sorted(names)))

    def test_the_page_lists_the_visitors(self):
        page = self.c.get("/briefings/%d/pack" % self.bid)
        self.assertEqual(page.status, 200)
        self.assertIn('<th scope="col">Nombre</th>', page.body)
        for name in self.names():
            self.assertIn("<td>%s</td>" % name, page.body)
