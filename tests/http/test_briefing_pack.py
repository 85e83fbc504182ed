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


# ---- what the pack holds, in which language, and what it leaves out ----------------------------

from html.parser import HTMLParser  # noqa: E402
import json  # noqa: E402

from test_pages import catalog  # noqa: E402

ORG_NAMES = {"en": "Invented Union of Harbours", "fr": "Union inventée des ports", "es": "Unión inventada de puertos"}
AGENDA = {"en": "Welcome by the director\nHarbour safety", "fr": "Accueil par la directrice\nSécurité portuaire",
          "es": "Bienvenida de la directora\nSeguridad portuaria"}
POINTS = {"en": "Thank them for the invented treaty", "fr": "Remercier pour le traité inventé",
          "es": "Agradecer el tratado inventado"}
# what must never reach a pack: internal notes and tags, a demo flag, a record above the pack's marking,
# a visitor's e-mail address
SECRETS = ("Internal note on the quay board", "quaytag", "Set by demo data", "Confidential call about dredging",
           "visitor-mail@example.org")
# the pack's words (their English msgids), looked up in the catalogs below
HEADINGS = ("Briefing pack", "The visit", "Visitors", "Agenda", "Talking points", "Country profile",
            "Representation", "Key relationships", "Recent contact", "Open commitments", "Open inquiries")
LABELS = ("Date", "Time", "Place", "Our participants", "Name", "Position", "Organization", "Membership",
          "Member since", "Member State", "Type", "Intergovernmental organization", "Internal", "Telephone")
DATES = {"en": "3 May 2027", "fr": "3 mai 2027", "es": "3 de mayo de 2027"}
COUNTRY = {"en": "Switzerland", "fr": "Suisse", "es": "Suiza"}


class PackText(HTMLParser):
    """The text of a page: inside the pack (<article class="pack">, with the language it says it is in)
    and outside it, and the pack's sections with what each holds besides its heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # elements open inside the pack
        self.pack_lang = None
        self.page_lang = None
        self.inside, self.outside = [], []
        self.sections = []      # [heading text, words after it]
        self.in_heading = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.page_lang = a.get("lang")
        if self.depth:
            self.depth += 1
        elif tag == "article" and "pack" in (a.get("class") or "").split():
            self.depth, self.pack_lang = 1, a.get("lang")
        if self.depth and tag == "section":
            self.sections.append(["", ""])
        self.in_heading = self.depth and tag in ("h2", "h3") and self.sections and not self.sections[-1][0]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag in ("h2", "h3"):
            self.in_heading = False

    def handle_data(self, data):
        text = data.strip()
        if not text:
            return
        (self.inside if self.depth else self.outside).append(text)
        if self.depth and self.sections:
            self.sections[-1][0 if self.in_heading else 1] += text


def page_text(body):
    p = PackText()
    p.feed(body)
    return p


def pdf_text(path, first=None, last=None):
    args = ["pdftotext", "-enc", "UTF-8"] + (["-f", str(first), "-l", str(last)] if first else []) + [path, "-"]
    out = run(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pdf_pages(path):
    return int(re.search(r"(?m)^Pages:\s+(\d+)$", run("pdfinfo", path).stdout).group(1))


def band(path, page, top, height):
    """The pixels (grey, 72 dpi) of a full-width band of a page, from top down height points."""
    out = subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page), "-x", "0", "-y", str(top),
                          "-W", "595", "-H", str(height), path], capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = out.stdout
    # P5 header: magic, width, height, maxval, one whitespace, then the pixels
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    return data[fields.end():]


class BriefingPackContentTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.conf_dir = tempfile.mkdtemp(prefix="liaison-pack-")
        conf = os.path.join(cls.conf_dir, "liaison.json")
        with open(conf, "w") as f:
            json.dump({"organization_name": ORG_NAMES, "calendar": {"time_zone": "Europe/Zurich"}}, f)
        cls.server_args = ("--config", conf)
        super().setUpClass()
        s = cls.s
        ch = s.get("/api/v1/countries/CH", user="root").json()
        r = s.patch("/api/v1/countries/CH", {"membership": "member", "membership_date": "1951-12-05"}, ch["version"],
                    user="root")
        assert r.status == 200, r
        org = s.post("/api/v1/organizations?force=true", {
            "name": {"en": "Invented Quay Board", "fr": "Office inventé des quais", "es": "Junta inventada de muelles"},
            "type": "igo", "country": "CH", "notes": SECRETS[0], "tags": [SECRETS[1]],
            "phones": ["+41 22 000 00 00"]}, user="ana").json()["id"]
        cls.org = org
        mission = s.post("/api/v1/organizations?force=true", {
            "name": {"en": "Invented Permanent Mission of Switzerland"}, "type": "permanent_mission", "country": "CH",
            "address": "1 Invented Street, Geneva"}, user="ana").json()["id"]
        r = s.post("/api/v1/relationships", {"type": "member_of", "from_organization": org, "to_organization": mission},
                   user="ana")
        assert r.status == 201, r
        people = []
        for given, family, position in (("Aino", "Inventa", "Harbour master"), ("Bram", "Fictief", "Adviser")):
            r = s.post("/api/v1/persons?force=true", {"given_name": given, "family_name": family, "position": position,
                                                      "organization": org, "emails": [SECRETS[4]]}, user="ana")
            assert r.status == 201, r
            people.append(r.json()["id"])
        i = s.post("/api/v1/interactions", {"date": "2026-11-02", "kind": "call", "subject": "Preparatory call",
                                            "participants": [{"kind": "organizations", "id": org}]}, user="ana").json()
        s.post("/api/v1/interactions", {"date": "2026-11-03", "kind": "call", "subject": SECRETS[3],
                                        "classification": "confidential",
                                        "participants": [{"kind": "organizations", "id": org}]}, user="ana")
        ana = s.get("/api/v1/users/ana", user="root").json()
        r = s.post("/api/v1/inquiries", {"subject": "Invented question on berths", "channel": "email",
                                         "requester_organization": org}, user="ana")
        assert r.status == 201, r
        r = s.post("/api/v1/follow-ups", {"interaction": i["id"], "task": "Send the invented report", "owner": ana["id"],
                                          "due_date": "2027-04-30", "status": "open"}, user="ana")
        assert r.status == 201, r
        cls.briefings = {}
        for lang in ("en", "fr", "es"):
            b = s.post("/api/v1/briefings", {
                "title": "Invented harbour visit " + lang, "organization": org, "language": lang, "status": "scheduled",
                "starts_at": "2027-05-03T09:00:00Z", "ends_at": "2027-05-03T10:30:00Z", "time_zone": "Europe/Zurich",
                "room": "Salle B", "agenda": AGENDA, "talking_points": POINTS,
                "staff": [{"kind": "users", "id": ana["id"]}],
                "visitors": [{"kind": "persons", "id": p} for p in people]}, user="ana")
            assert b.status == 201, b
            cls.briefings[lang] = b.json()["id"]
        bare = s.post("/api/v1/briefings", {"title": "Invented bare request", "language": "fr"}, user="ana")
        assert bare.status == 201, bare
        cls.bare = bare.json()["id"]
        public = s.post("/api/v1/briefings", {"title": "Invented open visit", "language": "en", "classification": "public",
                                              "organization": org}, user="ana")
        assert public.status == 201, public
        cls.public = public.json()["id"]
        from test_pages import Client
        cls.reader = {lang: Client(s, lang) for lang in ("en", "fr", "es")}
        for c in cls.reader.values():
            c.sign_in("ana")
        cls.words = {"fr": catalog("fr"), "es": catalog("es")}
        cls.english = {m for m in catalog("en")}
        cls.pdfs = {}

    @classmethod
    def tearDownClass(cls):
        for path in cls.pdfs.values():
            os.unlink(path)
        os.rmdir(cls.conf_dir) if not os.listdir(cls.conf_dir) else None
        super().tearDownClass()

    def tr(self, lang, msgid):
        return msgid if lang == "en" else self.words[lang][msgid]

    def pdf(self, bid):
        if bid not in self.pdfs:
            conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=60)
            try:
                conn.request("GET", "/briefings/%d/pack.pdf" % bid, headers=self.reader["en"]._headers())
                resp = conn.getresponse()
                body = resp.read()
            finally:
                conn.close()
            self.assertEqual(resp.status, 200)
            fd, path = tempfile.mkstemp(suffix=".pdf")
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            self.pdfs[bid] = path
        return self.pdfs[bid]

    def english_words_in(self, lang, texts):
        """The texts that are an English interface message whose translation into lang differs."""
        return [t for t in texts if t in self.english and self.tr(lang, t) != t]

    # -- the new fields --------------------------------------------------------------------------

    def test_agenda_talking_points_and_zone_round_trip(self):
        b = self.s.get("/api/v1/briefings/%d" % self.briefings["fr"], user="ana").json()
        self.assertEqual(b["agenda"], AGENDA)
        self.assertEqual(b["talking_points"], POINTS)
        self.assertEqual(b["time_zone"], "Europe/Zurich")
        r = self.s.patch("/api/v1/briefings/%d" % self.bare, {"agenda": {"fr": "Tour de table"}, "time_zone": "America/Lima"},
                         self.s.get("/api/v1/briefings/%d" % self.bare, user="ana").json()["version"], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["agenda"]["fr"], "Tour de table")
        self.assertEqual(r.json()["time_zone"], "America/Lima")
        r = self.s.patch("/api/v1/briefings/%d" % self.bare, {"agenda": None, "time_zone": None}, r.json()["version"],
                         user="ana")
        self.assertStatus(r, 200)

    def test_bad_new_fields_are_field_errors(self):
        for field, value in (("agenda", "not in three languages"), ("agenda", {"fr": "x" * 20001}),
                             ("talking_points", 12), ("talking_points", {"fr": ["a list"]}),
                             ("time_zone", "Mars/Olympus_Mons"), ("time_zone", "../../etc/passwd"), ("time_zone", 3)):
            r = self.s.post("/api/v1/briefings", {"title": "Invented wrong briefing", field: value}, user="ana")
            p = self.assertProblem(r, 422)
            # the field, or one of its languages ("agenda.fr")
            self.assertTrue([e for e in p["errors"] if e["field"].split(".")[0] == field], (field, value, p))

    def test_the_form_and_page_show_the_new_fields_labelled(self):
        for lang in ("en", "fr", "es"):
            form = self.reader[lang].get("/briefings/new").body
            for name in ("agenda", "talking_points"):
                for code in ("en", "fr", "es"):
                    self.assertIn('name="%s.%s"' % (name, code), form)
            for label in ("Agenda", "Talking points", "Time zone"):
                self.assertIn(self.tr(lang, label), form)
        page = self.reader["en"].get("/briefings/%d" % self.briefings["en"]).body
        self.assertIn("Harbour safety", page)

    # -- the language rule -----------------------------------------------------------------------

    def test_the_pack_speaks_the_visitors_language_whatever_the_readers(self):
        for lang, bid in self.briefings.items():
            for reader in ("en", "fr", "es"):
                r = self.reader[reader].get("/briefings/%d/pack" % bid)
                self.assertEqual(r.status, 200)
                p = page_text(r.body)
                self.assertEqual(p.pack_lang, lang)
                self.assertEqual(p.page_lang, reader)       # the page around the pack stays the reader's
                self.assertIn(self.tr(reader, "Briefings"), p.outside)
                inside = " ".join(p.inside)
                for msgid in HEADINGS + ("Date", "Time", "Place", "Our participants", "Membership", "Member since",
                                         "Member State", "Intergovernmental organization"):
                    self.assertIn(self.tr(lang, msgid), inside, (lang, reader, msgid))
                self.assertIn(DATES[lang], inside)
                self.assertIn("11:00–12:30 (Europe/Zurich, UTC+02:00)", inside)
                self.assertIn(COUNTRY[lang], inside)
                self.assertIn(ORG_NAMES[lang], inside)
                self.assertIn(AGENDA[lang].split("\n")[1], inside)
                self.assertIn(POINTS[lang], inside)
                self.assertIn(self.tr(lang, "Internal"), p.inside)   # the marking
                if lang != "en":
                    self.assertEqual(self.english_words_in(lang, p.inside), [], (lang, reader))

    def test_the_pdf_speaks_the_visitors_language(self):
        for lang, bid in self.briefings.items():
            lines = [line.strip() for line in pdf_text(self.pdf(bid)).splitlines() if line.strip()]
            text = " ".join(lines)
            for msgid in HEADINGS:
                self.assertIn(self.tr(lang, msgid), text, (lang, msgid))
            self.assertIn(DATES[lang], text)
            self.assertIn(ORG_NAMES[lang], text)
            if lang != "en":
                self.assertEqual(self.english_words_in(lang, lines), [], lang)
                # a fact's label and its value may share a line: no English label starts one
                for msgid in LABELS:
                    if self.tr(lang, msgid) != msgid:
                        self.assertNotRegex(text, r"(^| )%s( |$)" % re.escape(msgid), (lang, msgid))

    # -- what it leaves out ----------------------------------------------------------------------

    def test_internal_demo_and_higher_classified_things_stay_out(self):
        for lang, bid in self.briefings.items():
            page = self.reader["en"].get("/briefings/%d/pack" % bid).body
            inside = " ".join(page_text(page).inside)
            text = pdf_text(self.pdf(bid))
            for secret in SECRETS:
                self.assertNotIn(secret, inside)
                self.assertNotIn(secret, text)
            self.assertNotIn(self.tr(lang, "Telephone"), inside)
            self.assertIn("Preparatory call", inside)      # the internal interaction stays: the pack is internal
        # a public briefing's pack leaves out what is internal
        page = self.reader["en"].get("/briefings/%d/pack" % self.public).body
        self.assertNotIn("Preparatory call", page)
        self.assertNotIn("Send the invented report", page)

    def test_no_heading_without_content(self):
        r = self.reader["en"].get("/briefings/%d/pack" % self.bare)
        self.assertEqual(r.status, 200)
        p = page_text(r.body)
        self.assertEqual(p.sections, [])
        self.assertNotIn("<h2", r.body.split('class="pack"', 1)[1])
        text = pdf_text(self.pdf(self.bare))
        for msgid in HEADINGS[1:]:
            self.assertNotIn(self.tr("fr", msgid), text, msgid)
        self.assertIn("Invented bare request", text)
        # and in a full pack every section holds something besides its heading
        for bid in self.briefings.values():
            sections = page_text(self.reader["en"].get("/briefings/%d/pack" % bid).body).sections
            self.assertGreaterEqual(len(sections), 7)
            for heading, content in sections:
                self.assertTrue(heading and content, (heading, content))

    # -- the marking -----------------------------------------------------------------------------

    def test_the_marking_is_on_every_pdf_page(self):
        """The marking is ink (like the running header, kept out of what is read aloud), so each page is
        drawn and its top and bottom bands compared: the same, not blank, on every page, and another
        classification draws another."""
        path = self.pdf(self.briefings["fr"])
        pages = pdf_pages(path)
        self.assertGreaterEqual(pages, 2)   # the cover has a page of its own
        self.assertIn(self.tr("fr", "Internal"), pdf_text(path, 1, 1))   # and says it in words
        tops = {band(path, n, 0, 28) for n in range(1, pages + 1)}
        bottoms = {band(path, n, 813, 29) for n in range(1, pages + 1)}
        self.assertEqual(len(tops), 1)
        self.assertEqual(len(bottoms), 1)
        for b in tops | bottoms:
            self.assertTrue(any(px < 128 for px in b), "a blank band")
        other = self.pdf(self.public)
        self.assertNotEqual(band(other, 1, 0, 28), next(iter(tops)))
        self.assertNotEqual(band(other, 1, 813, 29), next(iter(bottoms)))

    def test_the_pdf_stays_tagged(self):
        path = self.pdf(self.briefings["es"])
        self.assertRegex(run("pdfinfo", path).stdout, r"(?m)^Tagged:\s+yes$")
        tree = run("pdfinfo", "-struct-text", path)
        self.assertEqual(tree.stderr, "")
        self.assertTrue(tree.stdout.startswith("Document\n"))
        self.assertIn('"%s"' % self.tr("es", "Agenda"), tree.stdout)
